# T193: the same report again (docs/matching.md, "The same report", "The
# same WER bucket"). Real input from the public corpus, against a knowledge
# base of every other public text: nmap#1626 moved to npcap#347 word for
# word (prose, no stack) is "similar" with its mate first; two events of one
# application crash (QuiteRSS in msvcrt.dll at one offset, one code) are one
# WER bucket. A !analyze header cut after Arg1 whose explanation every 0x7c
# dump repeats (npcap#296) is not the same report as another 0x7c header.
. "$TOP/tests/cli/lib.sh"
D="$TOP/tests/data/public"
[ -f "$D/npcap-347-prose-detachadapter.txt" ] || { echo "no public corpus"; exit 77; }
mkdir "$T/in"
for f in "$D"/*.txt; do
	case "$f" in
	*/nmap-1626-prose-detachadapter.txt | */quiterss-1051-apperror-msvcrt-upper.txt | */npcap-296-7c-pppoe-bluetooth.txt) ;;
	*) cp "$f" "$T/in/" ;;
	esac
done
expect_exit 0 "$PMKB" import "$T/in"
"$PMKB" match --json --rules /dev/null "$D/nmap-1626-prose-detachadapter.txt" >"$T/out" 2>"$T/err"
[ $? -le 1 ] || { cat "$T/err"; fail "match exited $?"; }
jq_eq "$T/out" '.matches[0].case' npcap-347-prose-detachadapter
jq_eq "$T/out" '.verdict' similar
jq_eq "$T/out" '.matches[0].score >= 0.9' true
# one program, one code, one fault site
"$PMKB" match --json --rules /dev/null "$D/quiterss-1051-apperror-msvcrt-upper.txt" >"$T/out" 2>"$T/err"
[ $? -le 1 ] || { cat "$T/err"; fail "match exited $?"; }
jq_eq "$T/out" '.matches[0].case' quiterss-1045-apperror-msvcrt
jq_eq "$T/out" '.verdict' similar
jq_eq "$T/out" '[.matches[0].evidence[] | select(.field == "bucket" and .match)] | length' 1
# boilerplate of a header is no report
"$PMKB" match --json --rules /dev/null "$D/npcap-296-7c-pppoe-bluetooth.txt" >"$T/out" 2>"$T/err"
[ $? -le 1 ] || { cat "$T/err"; fail "match exited $?"; }
jq_eq "$T/out" '.verdict' new
