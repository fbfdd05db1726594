# T016: bad inputs get a one-line error naming the file and the reason,
# the documented exit code, and leave the stored cases intact.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
[ -d "$S" ] || { echo "tests/data/seeds is missing"; exit 77; }
expect_exit 0 "$PMKB" import "$S"/*.txt
expect_exit 0 "$PMKB" stats --json
cp "$T/out" "$T/stats0"
intact() {
	expect_exit 0 "$PMKB" stats --json
	jq_eq "$T/out" .cases "$1"
	expect_exit 0 "$PMKB" show --json CAS-02698-C5V4N5
	jq_eq "$T/out" .customer ICBC
	expect_exit 0 "$PMKB" search vwifimf
}

# empty file
: >"$T/empty.txt"
expect_exit 65 "$PMKB" import "$T/empty.txt"
one_line "$T/err"
contains "$T/err" "pmkb: cannot read '$T/empty.txt': empty file"
intact 5

# binary file (NUL bytes)
head -c 4096 /dev/urandom >"$T/bin.txt"
printf 'abc\000def' >>"$T/bin.txt"
expect_exit 65 "$PMKB" import "$T/bin.txt"
one_line "$T/err"
contains "$T/err" "pmkb: cannot read '$T/bin.txt': binary file"
intact 5

# over 64 MiB (sparse, so cheap) and a 50 MB text that is accepted? No:
# 50 MB of text is within the limit, so it is read (one case, stem id)
truncate -s 70M "$T/huge.txt"
expect_exit 65 "$PMKB" import "$T/huge.txt"
one_line "$T/err"
contains "$T/err" "larger than 64 MiB"
yes '蓝屏 nwifi!Dot11SendCompletion+0x47 line of a very long log' | head -c 50000000 >"$T/big50.txt"
expect_exit 0 "$PMKB" import "$T/big50.txt"
contains "$T/out" "imported 1 cases"
intact 6

# not UTF-8: GB18030 text is decoded
printf '邮件主题：[案例号: CAS-07777-G8B1K2 ] %% |P3|测试客户|编码测试蓝屏 %%\n\n====第1封邮件====\n\n发件人：Zhang San\n发送时间：2021-01-02 03:04:05\n邮件内容:\n客户反馈系统蓝屏，编码为GB18030。\n' | iconv -f UTF-8 -t GB18030 >"$T/gb.txt"
expect_exit 0 "$PMKB" import "$T/gb.txt"
expect_exit 0 "$PMKB" search 编码为
contains "$T/out" CAS-07777-G8B1K2
expect_exit 0 "$PMKB" show --json CAS-07777-G8B1K2
jq_eq "$T/out" .customer 测试客户
intact 7

# invalid UTF-8 (stray bytes that are no charset's text) still imports
printf 'crash report \377\376\375 with broken bytes \300\300 vwifimf\n' >"$T/invalid.txt"
expect_exit 0 "$PMKB" import "$T/invalid.txt"
expect_exit 0 "$PMKB" show --json invalid
jq -e '.messages[0].body | length > 0' "$T/out" >/dev/null || fail "no body"
intact 8

# UTF-16 with a byte-order mark (WinDbg .logopen /u) is text, not binary
printf '\377\376' >"$T/u16.txt"
printf 'BugCheck D1, {0, 2, 0, fffff80000000000}\r\nvwifimf 蓝屏 utf16\r\n' | iconv -f UTF-8 -t UTF-16LE >>"$T/u16.txt"
expect_exit 0 "$PMKB" import "$T/u16.txt"
expect_exit 0 "$PMKB" search utf16
contains "$T/out" u16
intact 9

# a thread cut in the middle of a block, and a block without 发件人：
head -c 3000 "$S/001_a48089f2710e0f3a.txt" | sed 's/CAS-02698-C5V4N5/CAS-01111-CUT000/' >"$T/cut.txt"
"$PMKB" import "$T/cut.txt" >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 0 ] || [ $rc -eq 65 ] || fail "cut thread: exit $rc"
[ $rc -eq 0 ] || one_line "$T/err"
sed '0,/^发件人：/{/^发件人：/d}' "$S/000_e3b3544fec26024b.txt" | sed 's/CAS-06133-X9Z4Q7/CAS-01112-NOSEND/' >"$T/nosender.txt"
"$PMKB" import "$T/nosender.txt" >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 0 ] || [ $rc -eq 65 ] || fail "block without sender: exit $rc"
[ $rc -eq 0 ] || one_line "$T/err"
expect_exit 0 "$PMKB" show --json CAS-02698-C5V4N5
jq_eq "$T/out" .customer ICBC
expect_exit 0 "$PMKB" search vwifimf
contains "$T/out" CAS-06133-X9Z4Q7

# missing file, directory with an unreadable entry: tests run as root,
# where chmod 000 does not stop reading, so the unreadable entry is a
# dangling symbolic link
expect_exit 66 "$PMKB" import "$T/no-such.txt"
one_line "$T/err"
contains "$T/err" "pmkb: cannot read '$T/no-such.txt': no such file"
mkdir "$T/dir"
cp "$S/004_f83e32c4bf43c7da.txt" "$T/dir/a.txt"
ln -s "$T/gone" "$T/dir/b.txt"
expect_exit 0 "$PMKB" import "$T/dir"
contains "$T/out" "imported 1 cases"
contains "$T/err" "pmkb: cannot read '$T/dir/b.txt': dangling symbolic link"
contains "$T/err" "warning: 1 of 2 sources"

# several sources: continue after a bad one; nothing importable -> 65/66
expect_exit 0 "$PMKB" import "$T/empty.txt" "$S/003_25707b60ca074d00.txt" "$T/no-such.txt"
contains "$T/out" "imported 1 cases"
expect_exit 65 "$PMKB" import "$T/empty.txt" "$T/no-such.txt" "$T/bin.txt"
expect_exit 66 "$PMKB" import "$T/no-such.txt"
# an empty directory has nothing to import
mkdir "$T/void"
expect_exit 0 "$PMKB" import "$T/void"
contains "$T/out" "imported 0 cases"
expect_exit 64 "$PMKB" import
expect_exit 64 "$PMKB" import --format nope x
expect_exit 0 "$PMKB" stats --json
[ "$(jq .cases "$T/out")" -ge 9 ] || fail "cases lost"
