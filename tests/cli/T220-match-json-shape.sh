# T220: pmkb match --json keeps one shape (docs/match-json.md, format 2):
# no analysis gives a "new" verdict with the reason (exit 1); several
# analyses keep results and put the best one's verdict on top; the text
# names the matched analysis as CASE#N and ties next steps to it; a thin
# query says so.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
block() { sed -n "/====第$2封邮件====/,/====第$(($2 + 1))封邮件====/p" "$1"; }

expect_exit 0 "$PMKB" import "$S/001_a48089f2710e0f3a.txt" "$S/002_413591d54dd1d178.txt"

# no analysis at all
printf 'hello, the machine crashed yesterday\n' >"$T/words.txt"
expect_exit 1 "$PMKB" match --json "$T/words.txt"
jq_eq "$T/out" .format 2
jq_eq "$T/out" .verdict new
jq_eq "$T/out" .confidence 0
jq_eq "$T/out" .reason "no dump analysis found"
jq_eq "$T/out" '.matches | length' 0
contains "$T/err" "no dump analysis found"

# two analyses (thread 000, mail 3): results kept, the best on top
block "$S/000_e3b3544fec26024b.txt" 3 >"$T/two.txt"
expect_exit 1 "$PMKB" match --json --rules /dev/null "$T/two.txt"
jq_eq "$T/out" .analyses 2
jq_eq "$T/out" '.results | length' 2
jq_eq "$T/out" '.best as $b | .results[$b].result.verdict == .verdict' true
jq_eq "$T/out" '.best as $b | .results[$b].result.confidence == .confidence' true
jq_eq "$T/out" .reason null
# the D1 is thin (a bugcheck line and prose)
jq_eq "$T/out" '.results[1].result.thin | startswith("no kept stack frame")' true

# text: CASE#N (1-based, as pmkb show numbers analyses), the HwUsbClient
# advice of the other dump of thread 000 is not printed for the vwifimf match
expect_exit 0 "$PMKB" --db "$T/kb0" import "$S/000_e3b3544fec26024b.txt" "$S/002_413591d54dd1d178.txt" \
	"$S/003_25707b60ca074d00.txt" "$S/004_f83e32c4bf43c7da.txt"
block "$S/001_a48089f2710e0f3a.txt" 19 >"$T/q19.txt"
"$PMKB" --db "$T/kb0" match --rules /dev/null "$T/q19.txt" >"$T/out"
contains "$T/out" "1. CAS-06133-X9Z4Q7#2"
contains "$T/out" "that the top case shares the root cause"
grep -q HwUsbClient "$T/out" && fail "HwUsbClient advice printed for the vwifimf match"
"$PMKB" --db "$T/kb0" match --json --rules /dev/null "$T/q19.txt" >"$T/out"
jq_eq "$T/out" '.matches[0].ref' "CAS-06133-X9Z4Q7#2"
jq_eq "$T/out" '.matches[0].steps_for' analysis
jq_eq "$T/out" '[.matches[0].next_steps[] | test("HwUsbClient")] | any' false
jq_eq "$T/out" '.matches[0].next_steps | length > 0' true
exit 0
