# T014: one writer at a time: while an import holds the knowledge base, a
# second writer exits 75 with a hint, and readers keep answering.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
[ -d "$S" ] || { echo "tests/data/seeds is missing"; exit 77; }
expect_exit 0 "$PMKB" import "$S/000_e3b3544fec26024b.txt"

# The first writer imports stdin from a FIFO we hold open, so it keeps
# the lock until we close it.
mkfifo "$T/fifo"
exec 3<>"$T/fifo"
"$PMKB" import - <"$T/fifo" >"$T/first.out" 2>"$T/first.err" 3>&- &
pid=$!
trap 'kill -9 $pid 2>/dev/null' EXIT
# The writer holds its SQLite connection (so the -wal file exists, SQLite
# removes it when the last connection closes) once it has taken the lock;
# probing earlier would race it for the lock.
i=0
while [ ! -e "$PMKB_DB/kb.sqlite-wal" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
kill -0 $pid 2>/dev/null || fail "first writer died: $(cat "$T/first.err")"
i=0; got=0
while [ $i -lt 200 ]; do
	"$PMKB" import "$S/001_a48089f2710e0f3a.txt" >"$T/out" 2>"$T/err"
	got=$?
	[ $got -eq 75 ] && break
	sleep 0.05; i=$((i + 1))
done
[ $got -eq 75 ] || { cat "$T/err"; kill $pid; fail "second writer exited $got, expected 75"; }
one_line_or_two=$(wc -l <"$T/err")
contains "$T/err" "locked"
contains "$T/err" "hint: another pmkb is writing"
[ "$one_line_or_two" -le 2 ] || fail "error plus hint expected"
expect_exit 75 "$PMKB" reindex

# readers answer meanwhile
expect_exit 0 "$PMKB" search 蓝屏
contains "$T/out" CAS-06133-X9Z4Q7
expect_exit 0 "$PMKB" show CAS-06133-X9Z4Q7
expect_exit 0 "$PMKB" stats

# let the first writer finish
cat "$S/004_f83e32c4bf43c7da.txt" >&3
exec 3>&-
wait $pid || fail "first import failed: $(cat "$T/first.err")"
contains "$T/first.out" "imported 1 cases"
expect_exit 0 "$PMKB" import "$S/001_a48089f2710e0f3a.txt"
expect_exit 0 "$PMKB" stats --json
jq_eq "$T/out" .cases 3
jq_eq "$T/out" .indexed 3
