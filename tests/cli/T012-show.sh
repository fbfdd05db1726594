# T012: show a case as text and JSON: header, messages, conclusion, next
# steps; no personal data; exit 1 for an unknown case.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
[ -d "$S" ] || { echo "tests/data/seeds is missing"; exit 77; }
expect_exit 0 "$PMKB" import "$S"/*.txt

expect_exit 0 "$PMKB" show --json CAS-02698-C5V4N5
J="$T/out"
jq_eq "$J" .case CAS-02698-C5V4N5
jq_eq "$J" .customer ICBC
[ "$(jq '.messages | length' "$J")" -gt 3 ] || fail "messages missing"
jq_eq "$J" '.messages[0] | has("sender") and has("sent") and has("body")' true
# this thread states its findings as 问题分析 and 下一步 notes (no 问题总结)
[ "$(jq '[.notes[] | select(.kind == "analysis")] | length' "$J")" -ge 1 ] || fail "no analysis note"
[ "$(jq '.next_steps | length' "$J")" -ge 1 ] || fail "no next steps"
[ "$(jq .redactions "$J")" -gt 0 ] || fail "nothing redacted"
# the synthetic ID number, mobile and password of the seeds are gone
lacks "$J" 110105199001011232
lacks "$J" 13812340002
! grep -Eq '[1-9][0-9]{16}[0-9Xx]' "$J" || fail "an ID-card number is left"
! grep -Eq '(^|[^0-9])1[3-9][0-9]{9}([^0-9]|$)' "$J" || fail "a mobile number is left"
contains "$J" "[redacted:"
expect_exit 0 "$PMKB" show --json CAS-06133-X9Z4Q7
[ "$(jq '.conclusions | length' "$T/out")" -ge 1 ] || fail "no conclusion"
[ "$(jq '.next_steps | length' "$T/out")" -ge 1 ] || fail "no next steps"
expect_exit 0 "$PMKB" show --json CAS-08433-X3V6G7
! grep -Eq '密码[:：] *[A-Za-z0-9]' "$T/out" || fail "a password is left"

expect_exit 0 "$PMKB" show CAS-02698-C5V4N5
contains "$T/out" "case       CAS-02698-C5V4N5"
contains "$T/out" "== message 1:"
contains "$T/out" "== next steps"

expect_exit 1 "$PMKB" show CAS-NOPE
one_line "$T/err"
contains "$T/err" "pmkb: no case 'CAS-NOPE'"
expect_exit 64 "$PMKB" show
expect_exit 64 "$PMKB" show a b
