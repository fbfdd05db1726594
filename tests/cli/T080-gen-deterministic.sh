# T080: pmkb-gen writes the same bytes for the same seed, other bytes for
# another seed, and thread i does not depend on how many threads follow.
. "$TOP/tests/cli/lib.sh"
GEN=$(dirname "$PMKB")/bench/pmkb-gen
[ -x "$GEN" ] || { echo "pmkb-gen is not built (make unit-bins)"; exit 77; }

expect_exit 0 "$GEN" --seed 42 --threads 40 --clusters 10 --queries 5 --out "$T/a"
contains "$T/err" "40 threads"
expect_exit 0 "$GEN" --seed 42 --threads 40 --clusters 10 --queries 5 --out "$T/b"
diff -r "$T/a" "$T/b" >/dev/null || fail "same seed, different output"

expect_exit 0 "$GEN" --seed 43 --threads 40 --clusters 10 --out "$T/c"
cmp -s "$T/a/threads/0000/0000000.txt" "$T/c/threads/0000/0000000.txt" && fail "seeds 42 and 43 wrote the same thread"

# prefix: the first 25 threads of a 40-thread corpus are a 25-thread corpus
expect_exit 0 "$GEN" --seed 42 --threads 25 --clusters 10 --format thread --out "$T/d"
for f in "$T"/d/threads/0000/*.txt; do
	cmp -s "$f" "$T/a/threads/0000/$(basename "$f")" || fail "thread $(basename "$f") depends on the corpus size"
done
[ ! -d "$T/d/maildir" ] || fail "--format thread wrote a maildir"

# formats and counts: one export file per thread, 2-30 mails per thread
[ "$(find "$T/a/threads" -name '*.txt' | wc -l)" -eq 40 ] || fail "not 40 thread files"
nm=$(find "$T/a/maildir/cur" "$T/a/maildir/new" -type f | wc -l)
[ "$nm" -ge 80 ] && [ "$nm" -le 1200 ] || fail "$nm mails for 40 threads"
[ -d "$T/a/maildir/tmp" ] || fail "maildir has no tmp/"
[ "$(find "$T/a/queries" -name 'q*.txt' | wc -l)" -eq 5 ] || fail "not 5 queries"

# bad usage: exit 64 with a one-line reason, nothing written
expect_exit 64 "$GEN" --threads 0 --out "$T/e"
expect_exit 64 "$GEN" --threads 10 --out "$T/e" --format mbox
contains "$T/err" "bad value 'mbox' for --format"
expect_exit 64 "$GEN" --threads -5 --out "$T/e"
expect_exit 64 "$GEN" --threads 10
[ ! -e "$T/e" ] || fail "a failed run wrote '$T/e'"
expect_exit 73 "$GEN" --threads 2 --out /proc/pmkb-gen-cannot-write
one_line "$T/err"
exit 0
