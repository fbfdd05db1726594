# T071: pmkb match on the vwifimf pTOS analyses of seed thread 001 against a
# knowledge base of the other threads: every form with a stack or module
# (0xFC, 0x1E and the bugcheck-less 1803 stack) is known by the shipped rules
# and ranks the other vwifimf pTOS case (CAS-06133-X9Z4Q7, thread 000) first
# (0xD1 with a stack: thread 000's own D1 is prose; see q3 below). The
# stack-less 0x50 of mail 8 (Arg1 NULL-0x18 only) is not: see q8.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"

# block FILE N: mail N of a seed thread (the analysis as the engineer pasted it)
block() { sed -n "/====第$2封邮件====/,/====第$(($2 + 1))封邮件====/p" "$1"; }

expect_exit 0 "$PMKB" import "$S/000_e3b3544fec26024b.txt" "$S/002_413591d54dd1d178.txt" \
	"$S/003_25707b60ca074d00.txt" "$S/004_f83e32c4bf43c7da.txt"

# mail 3 (T490s): the stack was a screenshot; only "bugcheck D1" and prose are
# text. No rule can fire on that; still the vwifimf case ranks first.
block "$S/001_a48089f2710e0f3a.txt" 3 >"$T/q3.txt"
"$PMKB" match --json "$T/q3.txt" >"$T/out"
jq_eq "$T/out" '.matches[0].case' CAS-06133-X9Z4Q7
jq_eq "$T/out" '.matches[0].parts.bugcheck > 0.8' true

# mail 8: a bare 0x50 reading 0xffffffffffffffe8 and no stack, module or pool
# tag. Any NULL-0x18 read gives that (Dokan 0.7.4, dokany#126), so no rule
# names a cause, and nothing here shares a 0x50: new (docs/matching.md)
block "$S/001_a48089f2710e0f3a.txt" 8 >"$T/q8.txt"
expect_exit 1 "$PMKB" match --json "$T/q8.txt"
jq_eq "$T/out" .rule null
jq_eq "$T/out" .verdict new

for n in 13 19 22; do
	block "$S/001_a48089f2710e0f3a.txt" $n >"$T/q$n.txt"
	expect_exit 0 "$PMKB" match --json "$T/q$n.txt"
	jq_eq "$T/out" .verdict known
	jq_eq "$T/out" '.rule.cause' vwifimf-nbl-ptos
	jq_eq "$T/out" '.matches[0].case' CAS-06133-X9Z4Q7
	jq_eq "$T/out" '.matches[0].rule | startswith("vwifimf-nbl-ptos")' true
	jq_eq "$T/out" '.confidence >= 0.8 and .confidence <= 1' true
	jq_eq "$T/out" '.matches[0].next_steps | length > 0' true
done

# the JSON shape of docs/match-json.md
jq_eq "$T/out" 'keys | join(",")' "analyses,best,confidence,format,matches,outcome,reason,results,rule,thin,verdict"
jq_eq "$T/out" .format 2
jq_eq "$T/out" '.results[0].result.verdict == .verdict' true
jq_eq "$T/out" '.matches[0] | keys | join(",")' \
	"analysis,bugcheck_only,case,conclusion,customer,date,evidence,next_steps,parts,ref,rule,same_dump,score,similarity,steps_for,tied_with,title"
jq_eq "$T/out" '.matches[0].ref == "\(.matches[0].case)#\(.matches[0].analysis + 1)"' true
jq_eq "$T/out" '.rule | keys | join(",")' "cases,cause,conditions,id,score,steps,title"
jq_eq "$T/out" '[.matches[].score] | . == (sort | reverse)' true

# the text form: verdict, rule, what matched, next steps, the case
expect_exit 0 "$PMKB" match "$T/q19.txt"
contains "$T/out" "known (confidence"
contains "$T/out" "rule vwifimf-nbl-ptos"
contains "$T/out" "rule matched: bugcheck 0xfc; nwifi!Dot11SendCompletion"
contains "$T/out" "pool tag Filt (vwifimf)"
contains "$T/out" "next steps: Uninstall vwifimf.sys"
contains "$T/out" "1. CAS-06133-X9Z4Q7"

# the 1803 stack prints no bugcheck: the rule says which condition missed
expect_exit 0 "$PMKB" match --json "$T/q13.txt"
jq_eq "$T/out" '.rule.conditions[] | select(.condition | startswith("bugcheck")) | .matched' false
jq_eq "$T/out" '.rule.conditions[] | select(.condition == "frame = nwifi!Dot11SendCompletion") | .matched' true

# the other way round: thread 000's D1 (prose and "bugcheck 0xD1", in a mail
# that also holds a HwUsbClient double fault) against thread 001
block "$S/000_e3b3544fec26024b.txt" 3 >"$T/two.txt"
expect_exit 0 "$PMKB" --db "$T/kb1" import "$S/001_a48089f2710e0f3a.txt" "$S/002_413591d54dd1d178.txt"
expect_exit 0 "$PMKB" --db "$T/kb1" match --json "$T/two.txt"
jq_eq "$T/out" '.results[1].dump' "MEMORY TMS lanping.DMP"
jq_eq "$T/out" '.results[1].result.matches[0].case' CAS-02698-C5V4N5
# its analysis is "bugcheck D1" and nothing else (the mail names one driver,
# HwUsbClient, the other dump's): the code alone is no evidence of the
# cause, so the verdict is new and says the input is thin
jq_eq "$T/out" '.results[1].result.verdict' new
jq_eq "$T/out" '.results[1].result.thin != null' true
jq_eq "$T/out" '.results[1].result.matches[0].bugcheck_only' true
# the double fault is known by its rule; unrelated cases are not listed
jq_eq "$T/out" '.results[0].result.rule.id' hwusbclient-double-fault
jq_eq "$T/out" '.results[0].result.matches | length' 0

# similarity alone, across bugchecks: a knowledge base holding the 0xFC and
# 1803 analyses as WinDbg texts of their own (and two unrelated threads);
# the 0x1E analysis finds the 0xFC one through the stack. Three shared
# frames under another code: the calibrated confidence stays below 0.5
# (docs/matching.md, Calibration), so the verdict is new, the case first
expect_exit 0 "$PMKB" --db "$T/kb2" import "$T/q19.txt" "$T/q13.txt" "$S/002_413591d54dd1d178.txt" \
	"$S/003_25707b60ca074d00.txt"
expect_exit 1 "$PMKB" --db "$T/kb2" match --json --rules /dev/null "$T/q22.txt"
jq_eq "$T/out" .rule null
jq_eq "$T/out" .verdict new
jq_eq "$T/out" '.confidence > 0.2' true
jq_eq "$T/out" '.matches[0].case' q19
jq_eq "$T/out" '.matches[0].parts.stack > 0.4' true
jq_eq "$T/out" '.matches[0].parts.bugcheck' 0
jq_eq "$T/out" '[.matches[0].evidence[] | select(.field == "frame" and .query == "nwifi!Dot11SendCompletion")][0].match' true
jq_eq "$T/out" '[.matches[0].evidence[] | select(.field == "bugcheck")][0] | [.query, .case, .match] | join(" ")' "0x1e 0xfc false"
jq_eq "$T/out" '[.matches[].case] | index("CAS-04223-R4W0Q7")' null
# -n bounds the list
expect_exit 1 "$PMKB" --db "$T/kb2" match --json -n 1 --rules /dev/null "$T/q22.txt"
jq_eq "$T/out" '.matches | length' 1
exit 0
