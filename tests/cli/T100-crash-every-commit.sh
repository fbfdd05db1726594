# T100: crash at every commit. A first import, a second import and a
# reindex are killed (SIGKILL, by strace's fault injection) before each
# fsync, fdatasync and rename they make, one run per kill point: every
# SQLite commit, every index commit, the creation of kb.sqlite and of the
# index, the swap of a rebuilt index. After each kill: the next command
# opens the knowledge base, no case is half stored, and a re-run of the
# same command leaves SQLite and the index in agreement (pmkb check) with
# every case exactly as a clean import stores it (every stored row; and
# show --json of every case at the first and every tenth kill point).
. "$TOP/tests/cli/lib.sh"
# LeakSanitizer cannot run under ptrace: off for the traced runs (ASan stays)
TRACED_ASAN="ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
S="$TOP/tests/data/seeds"
[ -d "$S" ] || { echo "tests/data/seeds is missing"; exit 77; }
command -v strace >/dev/null || fail "strace is not installed (scripts/install-deps.sh installs it)"
command -v sqlite3 >/dev/null || fail "sqlite3 is not installed"
strace -f -o /dev/null -e inject=fsync:signal=KILL:when=1 true 2>/dev/null ||
	{ echo "strace cannot trace here (ptrace not permitted)"; exit 77; }
export PMKB_BATCH_SIZE=2

# the reference: a clean import
REF="$T/ref"
expect_exit 0 "$PMKB" --db "$REF" import "$S"
sqlite3 "$REF/kb.sqlite" "SELECT id FROM cases ORDER BY id" >"$T/ids"
ncases=$(wc -l <"$T/ids")
[ "$ncases" -ge 5 ] || fail "reference import holds $ncases cases"
sqlite3 "$REF/kb.sqlite" "SELECT case_id, count(*) FROM messages GROUP BY case_id ORDER BY 1" >"$T/ref.counts"
dump() { # dump DB OUT: show --json of every reference case
	: >"$2"
	while read -r id; do
		"$PMKB" --db "$1" show --json "$id" | jq -S 'del(.imported_at)' >>"$2" ||
			fail "show $id in $1"
	done <"$T/ids"
}
dump "$REF" "$T/ref.show"
# what is stored, every table but the import time, as one line per row
content() {
	for q in "SELECT id,title,customer,priority,status,refs,first_date,last_date,source,format,redactions FROM cases ORDER BY id" \
		"SELECT * FROM messages ORDER BY case_id, idx" "SELECT * FROM notes ORDER BY case_id, idx" \
		"SELECT * FROM analyses ORDER BY case_id, idx" "SELECT * FROM analysis_frames ORDER BY case_id, analysis, idx" \
		"SELECT * FROM signatures ORDER BY case_id, analysis" "SELECT * FROM attachments ORDER BY case_id, idx"; do
		sqlite3 "$1/kb.sqlite" "$q"
	done | cksum
}
ref_content=$(content "$REF")

# after_kill DB: the state a kill left is sane
after_kill() {
	if [ ! -e "$1/kb.sqlite" ]; then
		# a first import killed before kb.sqlite was in place: nothing
		# there yet, and readers say so
		expect_exit 66 "$PMKB" --db "$1" stats
		contains "$T/err" "no knowledge base there"
		return
	fi
	# check: exit 0, or 1 = the index needs the repair the next writer does
	"$PMKB" --db "$1" check --full >"$T/chk" 2>&1
	rc=$?
	[ $rc -eq 0 ] || [ $rc -eq 1 ] || { cat "$T/chk"; fail "check after a kill exited $rc"; }
	lacks "$T/chk" DAMAGED
	# no half case: every stored case has as many messages as in the reference
	sqlite3 "$1/kb.sqlite" "SELECT case_id, count(*) FROM messages GROUP BY case_id ORDER BY 1" >"$T/counts"
	sqlite3 "$1/kb.sqlite" "SELECT count(*) FROM cases WHERE id NOT IN (SELECT case_id FROM messages)" >"$T/empty"
	[ "$(cat "$T/empty")" = 0 ] || fail "a case without messages after a kill"
	comm -23 "$T/counts" "$T/ref.counts" >"$T/half"
	[ ! -s "$T/half" ] || fail "half cases after a kill: $(cat "$T/half")"
	# readers answer (the index may lag until the next writer repairs it)
	expect_exit 0 "$PMKB" --db "$1" stats
}

# finish DB [show]: the re-run made it whole and equal to the reference
# (every stored row; with "show", also show --json of every case)
finish() {
	expect_exit 0 "$PMKB" --db "$1" check --full
	contains "$T/out" "index against kb.sqlite: ok"
	contains "$T/out" "pending work: none"
	expect_exit 0 "$PMKB" --db "$1" stats --json
	jq_eq "$T/out" .cases "$ncases"
	jq_eq "$T/out" .indexed "$ncases"
	[ "$(content "$1")" = "$ref_content" ] || fail "after a kill and a re-run, the stored cases differ from a clean import"
	if [ "${2:-}" = show ]; then
		dump "$1" "$T/got.show"
		cmp -s "$T/ref.show" "$T/got.show" || fail "after a kill and a re-run, show --json differs from a clean import"
	fi
	expect_exit 0 "$PMKB" --db "$1" search case:"$(head -n 1 "$T/ids")"
}

kills=0
# campaign NAME SETUP CMD...: kill CMD before the Nth call of each syscall,
# N = 1, 2, ... until CMD runs to its end
campaign() {
	name=$1; setup=$2; shift 2
	for sc in fdatasync fsync rename renameat2; do
		n=1
		while [ $n -le 80 ]; do
			db="$T/k-$name-$sc-$n"
			$setup "$db"
			env "$TRACED_ASAN" strace -f -o /dev/null -e trace="$sc" -e inject="$sc":signal=KILL:when=$n \
				"$PMKB" --db "$db" "$@" >"$T/run.out" 2>"$T/run.err"
			rc=$?
			if [ $rc -eq 0 ]; then
				break
			fi
			[ $rc -eq 137 ] || { cat "$T/run.err"; fail "$name: run with a kill at $sc #$n exited $rc"; }
			kills=$((kills + 1))
			after_kill "$db"
			"$PMKB" --db "$db" "$@" >"$T/run.out" 2>"$T/run.err" ||
				{ cat "$T/run.err"; fail "$name: re-run after a kill at $sc #$n failed"; }
			# show --json of every case at the first and every tenth kill
			if [ $((n % 10)) -eq 1 ]; then finish "$db" show; else finish "$db"; fi
			rm -rf "$db"
			n=$((n + 1))
		done
		[ $n -le 80 ] || fail "$name: still killed after 80 calls of $sc"
	done
}

empty() { :; }
half() { "$PMKB" --db "$1" import "$S/000_e3b3544fec26024b.txt" "$S/001_a48089f2710e0f3a.txt" >/dev/null ||
	fail "setup import"; }
full() { "$PMKB" --db "$1" import "$S" >/dev/null || fail "setup import"; }

campaign first empty import "$S"
campaign second half import "$S"
campaign reindex full reindex
echo "survived $kills kills"
[ $kills -ge 60 ] || fail "only $kills kill points: the campaign did not reach the commits"
