# T103: a reindex never shows half an index. Readers running during a
# reindex always find every case; a reindex killed half way (SIGKILL at
# one of its index commits) leaves the old index answering in full, check
# names the unfinished rebuild, and the next writer removes it.
. "$TOP/tests/cli/lib.sh"
# LeakSanitizer cannot run under ptrace: off for the traced runs (ASan stays)
TRACED_ASAN="ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
S="$TOP/tests/data/seeds"
[ -d "$S" ] || { echo "tests/data/seeds is missing"; exit 77; }
command -v strace >/dev/null || fail "strace is not installed (scripts/install-deps.sh installs it)"
mkdir "$T/many"
i=0
while [ $i -lt 60 ]; do
	sed "s/CAS-06133-X9Z4Q7/CAS-9$(printf %04d $i)-SWAP00/" "$S/000_e3b3544fec26024b.txt" >"$T/many/t$(printf %04d $i).txt"
	i=$((i + 1))
done
expect_exit 0 "$PMKB" import "$T/many"
expect_exit 0 "$PMKB" search --json --limit 1000 swap00
all=$(jq '.results | length' "$T/out")
[ "$all" -eq 60 ] || fail "expected 60 hits, got $all"

# readers during reindexes
export PMKB_BATCH_SIZE=3
( i=0; while [ $i -lt 4 ]; do "$PMKB" reindex >/dev/null 2>&1 || exit 1; i=$((i + 1)); done ) &
pid=$!
reads=0
while kill -0 $pid 2>/dev/null; do
	"$PMKB" search --json --limit 1000 swap00 >"$T/r" 2>"$T/rerr" || fail "search during a reindex: $(cat "$T/rerr")"
	n=$(jq '.results | length' "$T/r")
	[ "$n" -eq 60 ] || fail "a reader saw $n of 60 cases during a reindex"
	reads=$((reads + 1))
done
wait $pid || fail "reindex failed"
echo "$reads reads during 4 reindexes, each saw 60 of 60"

# a reindex killed at its third index commit (of 21 with batches of 3)
env "$TRACED_ASAN" strace -f -o /dev/null -e trace=rename -e inject=rename:signal=KILL:when=3 "$PMKB" reindex >/dev/null 2>&1
[ $? -eq 137 ] || fail "the reindex was not killed"
[ -d "$PMKB_DB/xapian.new" ] || fail "no unfinished rebuild left to test with"
expect_exit 0 "$PMKB" search --json --limit 1000 swap00
jq_eq "$T/out" '.results | length' 60
expect_exit 0 "$PMKB" check
contains "$T/out" "interrupted rebuild: xapian.new left"
expect_exit 0 "$PMKB" import "$S/001_a48089f2710e0f3a.txt"
[ ! -e "$PMKB_DB/xapian.new" ] || fail "the next writer left xapian.new"
expect_exit 0 "$PMKB" check --full
lacks "$T/out" "interrupted"
expect_exit 0 "$PMKB" stats --json
jq_eq "$T/out" .indexed 61
