# T108: small ones. A full-width case number in a subject is the case
# number (no duplicate case); a search of more than 1000 words is refused
# at once (exit 64) instead of running for seconds; a kb.sqlite that is a
# directory is named as such, not "disk I/O error".
. "$TOP/tests/cli/lib.sh"
printf '邮件主题：RE: ＣＡＳ－０７７７７－ＡＢＣＤＥＦ 蓝屏\n\n====第1封邮件====\n\n发件人：x\n发送时间：2023-01-01 10:00:00\n邮件内容:\n正文一\n' >"$T/fw.txt"
printf '邮件主题：RE: CAS-07777-ABCDEF 蓝屏\n\n====第1封邮件====\n\n发件人：x\n发送时间：2023-01-01 10:00:00\n邮件内容:\n正文一\n\n====第2封邮件====\n\n发件人：y\n发送时间：2023-01-02 10:00:00\n邮件内容:\n正文二\n' >"$T/ascii.txt"
expect_exit 0 "$PMKB" import "$T/fw.txt" "$T/ascii.txt"
expect_exit 0 "$PMKB" stats --json
jq_eq "$T/out" .cases 1
expect_exit 0 "$PMKB" show --json CAS-07777-ABCDEF
jq_eq "$T/out" '.messages | length' 2

q=$(awk 'BEGIN { for (i = 0; i < 5000; i++) printf "w%d ", i }')
expect_exit 64 timeout 10 "$PMKB" search "$q"
one_line "$T/err"
contains "$T/err" "query too long: 5000 words, at most 1000"
q=$(awk 'BEGIN { for (i = 0; i < 1000; i++) printf "w%d OR ", i; printf "正文一" }')
expect_exit 64 "$PMKB" search "$q"   # 2001 words with the ORs
expect_exit 0 "$PMKB" search "w1 OR w2 OR 正文一"

mkdir -p "$T/dirdb/kb.sqlite"
expect_exit 66 "$PMKB" --db "$T/dirdb" stats
contains "$T/err" "kb.sqlite is not a regular file"
expect_exit 66 "$PMKB" --db "$T/dirdb" import "$T/fw.txt"
contains "$T/err" "kb.sqlite is not a regular file"
