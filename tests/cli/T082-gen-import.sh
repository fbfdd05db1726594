# T082: generated threads and mail import through pmkb: every case of the
# labels file is found again, by the thread export and by the maildir; the
# labels file is readable by `pmkb eval`.
. "$TOP/tests/cli/lib.sh"
GEN=$(dirname "$PMKB")/bench/pmkb-gen
[ -x "$GEN" ] || { echo "pmkb-gen is not built (make unit-bins)"; exit 77; }
"$PMKB" import --help 2>&1 | grep -q "not built yet" && { echo "pmkb import is not built yet"; exit 77; }
expect_exit 0 "$GEN" --seed 11 --threads 30 --clusters 8 --out "$T/g"

expect_exit 0 "$PMKB" --db "$T/kt" import --format thread "$T/g/threads"
grep -v '^#' "$T/g/labels.tsv" | tail -n +2 | cut -f4 | sort -u >"$T/cases"
[ -s "$T/cases" ] || fail "no labelled case"
# every thread is a case; a labelled case is shown by its number
while read -r c; do
	expect_exit 0 "$PMKB" --db "$T/kt" show "$c"
	contains "$T/out" "$c"
done <"$T/cases"
expect_exit 0 "$PMKB" --db "$T/kt" stats --json
[ "$(jq -r '.cases' "$T/out")" -eq 30 ] || fail "stats: $(cat "$T/out"), want 30 cases"

mkdir -p "$T/probe/cur" "$T/probe/new" "$T/probe/tmp"
if ! "$PMKB" --db "$T/kp" import --format maildir "$T/probe" 2>&1 | grep -q "not built yet"; then
	expect_exit 0 "$PMKB" --db "$T/km" import --format maildir "$T/g/maildir"
	expect_exit 0 "$PMKB" --db "$T/km" stats --json
	[ "$(jq -r '.cases' "$T/out")" -eq 30 ] || fail "maildir stats: $(cat "$T/out"), want 30 cases"
	c=$(head -n 1 "$T/cases")
	expect_exit 0 "$PMKB" --db "$T/km" show "$c"
fi

# the labels file in the seed-dumps.tsv format is what pmkb eval reads
if ! "$PMKB" eval --help 2>&1 | grep -q "not built yet"; then
	expect_exit 0 "$PMKB" --db "$T/kt" eval "$T/g/labels.tsv"
fi
exit 0
