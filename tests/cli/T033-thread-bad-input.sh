# T033: bad thread files: refused with a one-line reason and exit 65
# (nothing stored), or read as well as they can be (a thread cut in the
# middle of a block, a block without sender, stray bytes); CRLF and
# GB18030 copies give the same case as the UTF-8 original.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
[ -d "$S" ] || { echo "tests/data/seeds is missing"; exit 77; }
S0="$S/000_e3b3544fec26024b.txt"

# a subject line and no block at all
printf '邮件主题：回复: [案例号: CAS-06133-X9Z4Q7 ] 蓝屏\n\n发件人：Li Qi\n' >"$T/noblock.txt"
expect_exit 65 "$PMKB" import "$T/noblock.txt"
one_line "$T/err"
contains "$T/err" "pmkb: cannot read '$T/noblock.txt': no message block after the subject line"
# only blank lines
printf '\n\r\n  \n' >"$T/blank.txt"
expect_exit 65 "$PMKB" import "$T/blank.txt"
one_line "$T/err"
contains "$T/err" "empty file"
# mostly control characters (no NUL)
awk 'BEGIN { for (i = 0; i < 3000; i++) printf "%c%c%c", 1, 2, 65 }' >"$T/ctl.txt"
expect_exit 65 "$PMKB" import "$T/ctl.txt"
one_line "$T/err"
contains "$T/err" "binary file"
expect_exit 0 "$PMKB" stats --json
jq_eq "$T/out" .cases 0

# cut in the middle of block 5 (inside a UTF-8 character): 5 messages
n=$(grep -b -o '通软公司根据蓝屏机器dump' "$S0" | cut -d: -f1)
head -c $((n + 40)) "$S0" >"$T/cut.txt"
expect_exit 0 "$PMKB" import "$T/cut.txt"
expect_exit 0 "$PMKB" show --json CAS-06133-X9Z4Q7
jq_eq "$T/out" '.messages | length' 5
jq_eq "$T/out" '.messages[4].body | startswith("通软公司")' true

# a block without 发件人
printf '邮件主题：RE: CAS-11111-AAAAAA - 测试\n\n====第1封邮件====\n\n发送时间：2021-01-02 03:04:05.000000+00:00\n邮件内容:\n正文一\n' >"$T/nosender.txt"
expect_exit 0 "$PMKB" import "$T/nosender.txt"
expect_exit 0 "$PMKB" show --json CAS-11111-AAAAAA
jq_eq "$T/out" '.messages[0].sender' null
jq_eq "$T/out" '.messages[0].sent' "2021-01-02 03:04:05"

# CRLF and GB18030 copies read as the same case as the original
show_norm() { jq -S 'del(.source)' "$T/out"; }
expect_exit 0 "$PMKB" import "$S0"
expect_exit 0 "$PMKB" show --json CAS-06133-X9Z4Q7
show_norm >"$T/utf8.json"
sed 's/$/\r/' "$S0" >"$T/crlf.txt"
expect_exit 0 "$PMKB" import "$T/crlf.txt"
expect_exit 0 "$PMKB" show --json CAS-06133-X9Z4Q7
show_norm >"$T/crlf.json"
cmp -s "$T/utf8.json" "$T/crlf.json" || fail "CRLF copy differs"
iconv -f UTF-8 -t GB18030 "$S0" >"$T/gb.txt"
expect_exit 0 "$PMKB" import "$T/gb.txt"
expect_exit 0 "$PMKB" show --json CAS-06133-X9Z4Q7
show_norm >"$T/gb.json"
cmp -s "$T/utf8.json" "$T/gb.json" || fail "GB18030 copy differs"

# stray invalid bytes in a UTF-8 thread: still the same case, U+FFFD in place
sed 's/许先生/许\xff生/' "$S0" >"$T/stray.txt"
expect_exit 0 "$PMKB" import "$T/stray.txt"
expect_exit 0 "$PMKB" show --json CAS-06133-X9Z4Q7
jq_eq "$T/out" '.messages | length' 8
jq_eq "$T/out" .customer ICBC
contains "$T/out" "许�生"
