# T028: several --db searched as one: a local knowledge base plus two
# remote indexes served by xapian-tcpsrv on loopback (docs/shards.md).
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
[ -d "$S" ] || { echo "tests/data/seeds is missing"; exit 77; }
command -v xapian-tcpsrv >/dev/null || { echo "xapian-tcpsrv (xapian-tools) is not installed"; exit 77; }
command -v setsid >/dev/null || { echo "setsid (util-linux) is not installed"; exit 77; }

expect_exit 0 "$PMKB" --db "$T/a" import "$S/000_e3b3544fec26024b.txt" "$S/001_a48089f2710e0f3a.txt"
expect_exit 0 "$PMKB" --db "$T/b" import "$S/002_413591d54dd1d178.txt" "$S/004_f83e32c4bf43c7da.txt"
# c holds a case that a holds too: listed once
expect_exit 0 "$PMKB" --db "$T/c" import "$S/003_25707b60ca074d00.txt" "$S/001_a48089f2710e0f3a.txt"

pids=""
trap 'for p in $pids; do kill $p 2>/dev/null; done' EXIT
# serve DIR: start xapian-tcpsrv on a free loopback port; sets $port
serve() {
	tries=0
	while [ $tries -lt 20 ]; do
		port=$(( 20000 + ($$ * 7 + tries * 131 + ${#pids} * 17) % 30000 ))
		# its own session: on SIGTERM xapian-tcpsrv signals its whole
		# process group, which would otherwise be this test
		setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port $port "$1" >"$T/srv.log" 2>&1 &
		p=$!
		i=0
		while [ $i -lt 50 ]; do
			kill -0 $p 2>/dev/null || break
			"$PMKB" --db "tcp://127.0.0.1:$port" search zzqqnotaword >/dev/null 2>&1
			[ $? -eq 1 ] && { pids="$pids $p"; return 0; }
			sleep 0.1; i=$((i + 1))
		done
		kill $p 2>/dev/null
		tries=$((tries + 1))
	done
	fail "cannot start xapian-tcpsrv: $(cat "$T/srv.log")"
}
serve "$T/b/xapian"; pb=$port
serve "$T/c/xapian"; pc=$port

# every case once, from three knowledge bases
expect_exit 0 "$PMKB" --db "$T/a" --db "tcp://127.0.0.1:$pb" --db "tcp://127.0.0.1:$pc" search --json 蓝屏
jq_eq "$T/out" '[.results[].case] | sort | join(",")' \
	003_25707b60ca074d00,CAS-02698-C5V4N5,CAS-04223-R4W0Q7,CAS-06133-X9Z4Q7,CAS-08433-X3V6G7
jq_eq "$T/out" '[.results[] | select(.case == "CAS-08433-X3V6G7")][0].customer' 中信建投
# fields work across shards
expect_exit 0 "$PMKB" --db "$T/a" --db "tcp://127.0.0.1:$pb" search customer:中信建投
contains "$T/out" CAS-08433-X3V6G7
expect_exit 0 "$PMKB" --db "$T/a" --db "tcp://127.0.0.1:$pb" search customer:icbc
[ "$(wc -l <"$T/out")" -eq 3 ] || { cat "$T/out"; fail "three ICBC cases expected"; }
# a remote index alone answers search (its documents carry what is shown)
expect_exit 0 "$PMKB" --db "tcp://127.0.0.1:$pb" search --json 中信建投
jq_eq "$T/out" '.results[0].case' CAS-08433-X3V6G7
jq_eq "$T/out" '.results[0].title | length > 0' true
# local directories as shards too
expect_exit 0 "$PMKB" --db "$T/a" --db "$T/b" search 中信建投
contains "$T/out" CAS-08433-X3V6G7
# show looks in each local --db in turn
expect_exit 0 "$PMKB" --db "$T/a" --db "$T/b" show CAS-08433-X3V6G7
contains "$T/out" "customer   中信建投"
expect_exit 64 "$PMKB" --db "tcp://127.0.0.1:$pb" show CAS-08433-X3V6G7

# an unreachable shard: 69 with a hint; a remote index cannot be written
for p in $pids; do kill $p; wait $p 2>/dev/null; done
pids=""
expect_exit 69 "$PMKB" --db "$T/a" --db "tcp://127.0.0.1:$pb" search 蓝屏
contains "$T/err" "unreachable"
contains "$T/err" "hint:"
expect_exit 65 "$PMKB" --db "tcp://127.0.0.1:$pb" import "$S/000_e3b3544fec26024b.txt"
expect_exit 64 "$PMKB" --db "tcp://127.0.0.1:$pb" search '' 
expect_exit 66 "$PMKB" --db "$T/a" --db "$T/nothing" search 蓝屏
