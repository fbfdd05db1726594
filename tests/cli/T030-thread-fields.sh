# T030: the export-format reader end to end: import the seed threads and
# check each case's fields through `pmkb show --json` (case number, customer,
# priority, refs, title, status, message count, senders and dates); seed 003
# is a plain-text case named after its file.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
[ -d "$S" ] || { echo "tests/data/seeds is missing"; exit 77; }
expect_exit 0 "$PMKB" import "$S"/*.txt
contains "$T/out" "imported 5 cases, 65 messages"

# case customer priority refs status messages format
while read -r id cust prio refs status n fmt; do
	expect_exit 0 "$PMKB" show --json "$id"
	J="$T/$id.json"; cp "$T/out" "$J"
	jq_eq "$J" .case "$id"
	jq_eq "$J" .customer "$cust"
	jq_eq "$J" .priority "$prio"
	jq_eq "$J" .refs "$refs"
	jq_eq "$J" .status "$status"
	jq_eq "$J" '.messages | length' "$n"
	jq_eq "$J" .format "$fmt"
done <<'LIST'
CAS-06133-X9Z4Q7 ICBC P2 CMIT:0001362 closed 8 thread
CAS-02698-C5V4N5 ICBC null REG:120081126000849 closed 28 thread
CAS-04223-R4W0Q7 ICBC P2 CMIT:0001765 closed 25 thread
003_25707b60ca074d00 null null null open 1 text
CAS-08433-X3V6G7 中信建投 null CMIT:0001887 closed 3 thread
LIST

J="$T/CAS-06133-X9Z4Q7.json"
jq_eq "$J" .title 软件开发中心政府版系统异常蓝屏问题
jq_eq "$J" .first_date "2022-04-25 15:42:32"
jq_eq "$J" .last_date "2022-05-23 16:47:51"
jq_eq "$J" '.messages[4].sender' "Windows Server技术支持"
jq_eq "$J" '.messages[4].sent' "2022-05-05 17:37:33"
jq_eq "$J" '.messages[1].body' ""
J="$T/CAS-02698-C5V4N5.json"
jq_eq "$J" .title 升级1809后从网盘拷文件蓝屏
jq_eq "$J" '.messages[3].sender' person-872622   # win10sup@..., redacted
jq_eq "$J" '.messages[27].sent' "2020-09-15 15:57:09"
J="$T/CAS-04223-R4W0Q7.json"
jq_eq "$J" .title "V0-H升级失败，需要分析TMS哪个进程阻止系统升级"
jq_eq "$J" '.messages[1].sender' person-e47366   # 朱卫艳, redacted
J="$T/CAS-08433-X3V6G7.json"
jq_eq "$J" .title TAM反馈中信建投客户系统蓝屏问题
jq_eq "$J" '.messages[2].sent' "2023-03-17 09:49:39"
J="$T/003_25707b60ca074d00.json"
jq_eq "$J" .title "NdisFSendNetBufferLists 在禁用适配器时导致 BSoD"
jq_eq "$J" '.messages[0].sender' null

# the text view shows the same header
expect_exit 0 "$PMKB" show CAS-08433-X3V6G7
contains "$T/out" "customer   中信建投"
contains "$T/out" "status     closed"
