# T083: the benchmark harness runs end to end on a tiny corpus (it asserts
# that the harness works, never a speed): it prints the tables, marks what
# is not built, and splices its results between the markers of a document.
. "$TOP/tests/cli/lib.sh"
GEN=$(dirname "$PMKB")/bench/pmkb-gen
[ -x "$GEN" ] && [ -x "$(dirname "$PMKB")/bench/pmkb-runlat" ] || { echo "pmkb-gen is not built (make unit-bins)"; exit 77; }
[ -x /usr/bin/time ] || { echo "GNU time not installed"; exit 77; }
printf '# doc\n\nprose before\n\n<!-- bench:begin -->\nold results\n<!-- bench:end -->\n\nprose after\n' >"$T/doc.md"
expect_exit 0 sh "$TOP/bench/bench.sh" --gen "$GEN" --pmkb "$PMKB" --dir "$T/run" --sizes 30 --queries 5 \
	--search-repeat 1 --write "$T/doc.md"
for s in '| threads | mails | analyses |' '| 30 |' 'peak RSS MB' 'match' 'notmuch' 'pmkb --version' 'pmkb clusters (thread export): analyses' 'Machine:' 'Versions:'; do
	contains "$T/out" "$s"
done
contains "$T/doc.md" "prose before"
contains "$T/doc.md" "prose after"
contains "$T/doc.md" "| 30 |"
lacks "$T/doc.md" "old results"
[ "$(grep -c '^<!-- bench:begin -->' "$T/doc.md")" -eq 1 ] || fail "markers duplicated"
# a command that is not there is reported, not fatal
"$PMKB" match --help 2>&1 | grep -q "not built yet" && contains "$T/out" "n/a (not built)"
# bad usage
expect_exit 64 sh "$TOP/bench/bench.sh" --gen "$GEN"
expect_exit 64 sh "$TOP/bench/bench.sh" --bogus
exit 0
