# T120: outcomes. Import reads each seed thread's closing summary (问题总结 /
# 案例总结); pmkb outcome shows and sets them by hand (kept over a
# re-import); match and show print the outcome record, JSON carries it.
. "$TOP/tests/cli/lib.sh"
expect_exit 0 "$PMKB" import "$TOP/tests/data/seeds"
# read at import: 000 and 004 say 问题已解决, 001 says nothing
expect_exit 0 "$PMKB" outcome --json CAS-06133-X9Z4Q7
jq_eq "$T/out" '[.outcomes[].outcome] | unique | join(",")' resolved
jq_eq "$T/out" '.outcomes[0].source' import
expect_exit 0 "$PMKB" outcome CAS-08433-X3V6G7
contains "$T/out" "CAS-08433-X3V6G7#1	resolved	import"
expect_exit 0 "$PMKB" outcome --json CAS-02698-C5V4N5#6
jq_eq "$T/out" '.outcomes[0].outcome' unknown
# the remediation of analysis 6 is the next step of the message answering it
jq_eq "$T/out" '.outcomes[0].remediation | test("卸载vwifimf.sys")' true
# match: the vwifimf rule's cases, one resolved and one unknown
expect_exit 0 "$PMKB" match "$TOP/examples/new/vwifimf-0xfc.txt"
contains "$T/out" "outcome: resolved in 1 of 1 closed case (CAS-02698-C5V4N5 unknown, CAS-06133-X9Z4Q7 resolved)"
expect_exit 0 "$PMKB" match --json "$TOP/examples/new/vwifimf-0xfc.txt"
jq_eq "$T/out" '.outcome.over' rule
jq_eq "$T/out" '.outcome.resolved' 1
jq_eq "$T/out" '.outcome.closed' 1
jq_eq "$T/out" '[.outcome.cases[].case] | sort | join(" ")' "CAS-02698-C5V4N5 CAS-06133-X9Z4Q7"
# set by hand, with a note; the record follows
expect_exit 0 "$PMKB" outcome --note "uninstalled vwifimf, no crash in 30 days" CAS-02698-C5V4N5#6 resolved
contains "$T/out" "CAS-02698-C5V4N5#6	resolved	manual	uninstalled vwifimf, no crash in 30 days"
expect_exit 0 "$PMKB" match "$TOP/examples/new/vwifimf-0xfc.txt"
contains "$T/out" "outcome: resolved in 2 of 2 closed cases"
expect_exit 0 "$PMKB" outcome CAS-06133-X9Z4Q7 not-resolved
expect_exit 0 "$PMKB" match --json "$TOP/examples/new/vwifimf-0xfc.txt"
jq_eq "$T/out" '.outcome.not_resolved' 1
# a re-import keeps what was set by hand
expect_exit 0 "$PMKB" import "$TOP/tests/data/seeds"
expect_exit 0 "$PMKB" outcome CAS-02698-C5V4N5#6
contains "$T/out" "resolved	manual"
# show: text and JSON
expect_exit 0 "$PMKB" show CAS-02698-C5V4N5
contains "$T/out" "== outcomes"
contains "$T/out" "[6] resolved (manual: uninstalled vwifimf, no crash in 30 days)"
expect_exit 0 "$PMKB" show --json CAS-02698-C5V4N5
jq_eq "$T/out" '.outcomes[5].outcome' resolved
jq_eq "$T/out" '.outcomes[5].note' "uninstalled vwifimf, no crash in 30 days"
jq_eq "$T/out" '.outcomes[0].outcome' unknown
# errors: no such case / analysis (1), bad outcome or reference (64)
expect_exit 1 "$PMKB" outcome NO-SUCH-CASE resolved
one_line_err() { grep -c '^pmkb:' "$T/err" | grep -qx 1 || fail "not one error line"; }
one_line_err
contains "$T/err" "no case 'NO-SUCH-CASE'"
expect_exit 1 "$PMKB" outcome CAS-02698-C5V4N5#99 resolved
contains "$T/err" "no analysis 99 in case 'CAS-02698-C5V4N5'"
expect_exit 64 "$PMKB" outcome CAS-02698-C5V4N5 fixed
expect_exit 64 "$PMKB" outcome CAS-02698-C5V4N5#0 resolved
expect_exit 64 "$PMKB" outcome --note why CAS-02698-C5V4N5
# a knowledge base written before outcomes existed reads as no record
rm -rf "$T/old" && cp -r "$PMKB_DB" "$T/old"
sqlite3 "$T/old/kb.sqlite" "DROP TABLE outcomes" || fail "cannot drop the table"
expect_exit 0 "$PMKB" --db "$T/old" match "$TOP/examples/new/vwifimf-0xfc.txt"
contains "$T/out" "outcome: no closed case records whether the fix worked"
expect_exit 1 "$PMKB" --db "$T/old" outcome CAS-02698-C5V4N5
# opening it for writing adds the table
expect_exit 0 "$PMKB" --db "$T/old" outcome CAS-02698-C5V4N5#1 resolved
# ... and reads the outcomes of the cases stored before, once
expect_exit 0 "$PMKB" --db "$T/old" outcome CAS-08433-X3V6G7
contains "$T/out" "CAS-08433-X3V6G7#1	resolved	import"
