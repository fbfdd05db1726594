# T010: importing the five seed threads gives the five cases; importing
# them again changes no count (re-import replaces).
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
[ -d "$S" ] || { echo "tests/data/seeds is missing"; exit 77; }

expect_exit 0 "$PMKB" import "$S"/*.txt
contains "$T/out" "imported 5 cases,"
one_line "$T/out"
expect_exit 0 "$PMKB" stats --json
cp "$T/out" "$T/stats1"
jq_eq "$T/stats1" .cases 5
jq_eq "$T/stats1" .indexed 5
[ "$(jq .messages "$T/stats1")" -gt 20 ] || fail "too few messages: $(cat "$T/stats1")"
[ "$(jq .notes "$T/stats1")" -gt 0 ] || fail "no notes: $(cat "$T/stats1")"

for id in CAS-06133-X9Z4Q7 CAS-02698-C5V4N5 CAS-04223-R4W0Q7 CAS-08433-X3V6G7 003_25707b60ca074d00; do
	expect_exit 0 "$PMKB" show --json "$id"
	jq_eq "$T/out" .case "$id"
done
expect_exit 0 "$PMKB" show --json CAS-06133-X9Z4Q7
jq_eq "$T/out" .customer ICBC
jq_eq "$T/out" .priority P2

# again: same counts
expect_exit 0 "$PMKB" import "$S"/*.txt
contains "$T/out" "imported 5 cases,"
expect_exit 0 "$PMKB" stats --json
cmp "$T/out" "$T/stats1" || fail "counts changed on re-import: $(cat "$T/out") vs $(cat "$T/stats1")"

# a directory is read recursively; stdin is '-'
mkdir -p "$T/tree/a/b"
cp "$S/000_e3b3544fec26024b.txt" "$T/tree/a/b/"
expect_exit 0 "$PMKB" import "$T/tree"
contains "$T/out" "imported 1 cases,"
expect_exit 0 "$PMKB" import - <"$S/002_413591d54dd1d178.txt"
contains "$T/out" "imported 1 cases,"
expect_exit 0 "$PMKB" stats --json
jq_eq "$T/out" .cases 5

# progress on stderr only when it is a terminal (script(1) gives a pty)
expect_exit 0 "$PMKB" import "$S/004_f83e32c4bf43c7da.txt"
[ ! -s "$T/err" ] || fail "no progress expected without a terminal: $(cat "$T/err")"
if command -v script >/dev/null; then
	script -qec "'$PMKB' import '$S/004_f83e32c4bf43c7da.txt'" /dev/null >"$T/tty" 2>&1 </dev/null
	contains "$T/tty" "pmkb: import: 1 of 1 files (100%), 1 cases, 1 analyses, done in "
	contains "$T/tty" "imported 1 cases"
fi
