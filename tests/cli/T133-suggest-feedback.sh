# T133: the suggest gate honours engineer feedback: a "different root
# cause" link (pmkb link) between what the crash is and a case the
# answering rule names routes the reply to an engineer (exit 1) with the
# reason in the JSON; unlinking lets the draft through again.
. "$TOP/tests/cli/lib.sh"
NEW="$TOP/examples/new/vwifimf-0xfc.txt"
expect_exit 0 "$PMKB" import "$TOP/tests/data/seeds"
expect_exit 0 "$PMKB" suggest --json "$NEW"
jq_eq "$T/out" .route customer
jq_eq "$T/out" '[.gate[] | select(.check == "feedback")][0].pass' true
# the stored analysis the query is (the same dump), and a case of the rule
expect_exit 0 "$PMKB" link 'CAS-02698-C5V4N5#6' CAS-06133-X9Z4Q7 --different --note "another NBL path"
expect_exit 1 "$PMKB" suggest --json "$NEW"
jq_eq "$T/out" .route engineer
jq_eq "$T/out" '[.gate[] | select(.pass | not) | .check] | join(" ")' feedback
contains "$T/out" "CAS-06133-X9Z4Q7 as a different root cause"
jq_eq "$T/out" .draft null
expect_exit 0 "$PMKB" unlink 'CAS-02698-C5V4N5#6' CAS-06133-X9Z4Q7
expect_exit 0 "$PMKB" suggest --json "$NEW"
jq_eq "$T/out" .route customer
