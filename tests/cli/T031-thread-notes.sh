# T031: the sections engineers wrote come out as notes, conclusions and
# next steps of `pmkb show --json`, bounded to their section.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
[ -d "$S" ] || { echo "tests/data/seeds is missing"; exit 77; }
expect_exit 0 "$PMKB" import "$S"/*.txt

expect_exit 0 "$PMKB" show --json CAS-06133-X9Z4Q7
J="$T/out"
# message 3 (index 2): 下一步动作 for the HwUsbClient dump, ending before the next dump
jq_eq "$J" '[.notes[] | select(.message == 2 and .kind == "next_step")][0].text | test("HwUsbClient")' true
jq_eq "$J" '[.notes[] | select(.message == 2 and .kind == "next_step")][0].text | test("lanping")' false
# message 4 (index 3): the case summary
jq_eq "$J" '[.notes[] | select(.message == 3 and .kind == "conclusion")][0].text' "经用户确认，目前问题已解决，暂无其他问题，可关闭此case。"
jq_eq "$J" '[.notes[] | select(.message == 3 and .kind == "analysis")][0].text | test("CAS-05796-S4W5H4")' true
jq_eq "$J" '[.notes[] | select(.message == 0 and .kind == "definition")] | length' 1
jq_eq "$J" '.conclusions | length' 1
jq_eq "$J" '[.next_steps[] | select(test("FilterSendNetBufferListsComplete"))] | length' 1
# no WinDbg prompt, rule line or signature inside a note
jq_eq "$J" '[.notes[].text | select(test("kd>|=====|以上"))] | length' 0

expect_exit 0 "$PMKB" show --json CAS-02698-C5V4N5
jq_eq "$T/out" '[.notes[] | select(.message == 12 and .kind == "next_step")][0].text | test("^卸载vwifimf.sys驱动")' true
jq_eq "$T/out" '[.notes[] | select(.message == 16 and .kind == "analysis")] | length' 1
# next steps given inline in prose (messages without a next-step section)
jq_eq "$T/out" '[.notes[] | select(.message == 14 and .kind == "next_step")][0].text' 建议联系TMS厂商进行问题排查
jq_eq "$T/out" '[.next_steps[] | select(. == "建议TMS厂商进一步排查")] | length' 1
jq_eq "$T/out" '[.notes[] | select(.message == 8)] | length' 0

expect_exit 0 "$PMKB" show --json CAS-04223-R4W0Q7
jq_eq "$T/out" '[.notes[] | select(.message == 20 and .kind == "conclusion")][0].text | test("lwfmgr.sys")' true
jq_eq "$T/out" '[.notes[].text | select(length > 4000)] | length' 0

expect_exit 0 "$PMKB" show --json CAS-08433-X3V6G7
jq_eq "$T/out" '.conclusions[0]' "经用户确认，目前问题已解决，该问题做关闭处理。"
jq_eq "$T/out" '[.next_steps[] | select(test("CDUC"))] | length' 1

expect_exit 0 "$PMKB" show CAS-06133-X9Z4Q7
contains "$T/out" "HwUsbClient的更新版本"
