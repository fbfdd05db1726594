# T015: kill -9 during an import loses nothing committed, leaves no half
# case, and the next writable open repairs the index.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
[ -d "$S" ] || { echo "tests/data/seeds is missing"; exit 77; }
command -v sqlite3 >/dev/null || { echo "sqlite3 (the command) is not installed"; exit 77; }

# many files: copies of a seed under distinct case ids (plain-text stems)
mkdir "$T/many"
i=0
while [ $i -lt 60 ]; do
	sed "s/CAS-06133-X9Z4Q7/CAS-9$(printf %04d $i)-KILL00/" "$S/000_e3b3544fec26024b.txt" >"$T/many/t$(printf %04d $i).txt"
	i=$((i + 1))
done
nmsg=$(grep -c '^====第' "$S/000_e3b3544fec26024b.txt")

# 1) killed (SIGKILL, by the test hook) right after the second SQLite
#    commit and before the index commit: the worst moment
PMKB_BATCH_SIZE=10 PMKB_TEST_CRASH_AFTER_COMMITS=2 "$PMKB" import "$T/many" >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 137 ] || fail "expected death by SIGKILL (137), got $rc"
expect_exit 0 "$PMKB" stats --json
jq_eq "$T/out" .cases 20            # two batches of 10 committed in SQLite
jq_eq "$T/out" .messages $((20 * nmsg))   # every case whole
jq_eq "$T/out" .indexed 10          # the second batch never reached the index
# a writable open repairs the index from pending_index
expect_exit 0 "$PMKB" import "$S/003_25707b60ca074d00.txt"
expect_exit 0 "$PMKB" stats --json
jq_eq "$T/out" .cases 21
jq_eq "$T/out" .indexed 21
expect_exit 0 "$PMKB" search case:cas-90015-kill00
expect_exit 0 "$PMKB" show CAS-90015-KILL00

# 2) a real kill -9 from outside at some moment of a long import
PMKB_BATCH_SIZE=3 "$PMKB" import "$T/many" "$T/many" "$T/many" >"$T/out" 2>"$T/err" &
pid=$!
# readers keep answering while it writes (never locked, never an error)
i=0
while [ $i -lt 5 ]; do
	"$PMKB" search 蓝屏 >/dev/null 2>"$T/rerr"; rc=$?
	[ $rc -eq 0 ] || fail "search during an import exited $rc: $(cat "$T/rerr")"
	"$PMKB" show CAS-90001-KILL00 >/dev/null 2>"$T/rerr" || fail "show during an import: $(cat "$T/rerr")"
	i=$((i + 1))
done
kill -9 $pid 2>/dev/null
wait $pid
expect_exit 0 "$PMKB" stats --json
# no half case: every stored case has all its messages
sqlite3 "$PMKB_DB/kb.sqlite" "SELECT count(*) FROM (SELECT case_id, count(*) n FROM messages WHERE case_id LIKE 'CAS-9%' GROUP BY case_id HAVING n != $nmsg)" >"$T/half"
[ "$(cat "$T/half")" = 0 ] || fail "half cases: $(cat "$T/half")"
sqlite3 "$PMKB_DB/kb.sqlite" "SELECT count(*) FROM cases WHERE id NOT IN (SELECT case_id FROM messages)" >"$T/empty"
[ "$(cat "$T/empty")" = 0 ] || fail "cases without messages"
expect_exit 0 "$PMKB" import "$S/004_f83e32c4bf43c7da.txt"
expect_exit 0 "$PMKB" stats --json
[ "$(jq .cases "$T/out")" -eq "$(jq .indexed "$T/out")" ] || fail "index not repaired: $(cat "$T/out")"
# the rest imports fine afterwards, nothing lost
expect_exit 0 "$PMKB" import "$T/many"
expect_exit 0 "$PMKB" stats --json
jq_eq "$T/out" .cases 62
jq_eq "$T/out" .indexed 62

# 3) Ctrl-C (SIGINT): stops after the current source, commits what was
#    imported, exits 130; the index is complete, no repair needed
export PMKB_DB="$T/int"
PMKB_BATCH_SIZE=5 "$PMKB" import "$T/many" "$T/many" "$T/many" "$T/many" >"$T/int.out" 2>"$T/int.err" &
pid=$!
i=0
while [ $i -lt 200 ]; do
	n=$("$PMKB" stats --json 2>/dev/null | jq -r .cases 2>/dev/null)
	[ -n "$n" ] && [ "$n" -ge 5 ] && break
	sleep 0.05; i=$((i + 1))
done
kill -INT $pid 2>/dev/null
wait $pid
rc=$?
[ $rc -eq 130 ] || [ $rc -eq 0 ] || fail "SIGINT: exit $rc, $(cat "$T/int.err")"
if [ $rc -eq 130 ]; then
	contains "$T/int.err" "interrupted"
	contains "$T/int.out" "imported"
fi
expect_exit 0 "$PMKB" stats --json
[ "$(jq .cases "$T/out")" -ge 5 ] || fail "cases lost after SIGINT: $(cat "$T/out")"
jq_eq "$T/out" '.cases == .indexed' true
sqlite3 "$PMKB_DB/kb.sqlite" "SELECT count(*) FROM pending_index" >"$T/pending"
[ "$(cat "$T/pending")" = 0 ] || fail "pending index rows left after SIGINT"
