# T064: threading rules. A reply without the case number joins its case
# through In-Reply-To (in the same import or already stored), then through
# the normalised subject; a thread without any case number gets a stable
# id (the file stem for a lone .eml); quoted earlier mails are cut so an
# analysis quoted in every reply is stored once.
. "$TOP/tests/cli/lib.sh"
mk() { # mk FILE MESSAGE-ID SUBJECT DATE [IN-REPLY-TO] <body
	{
		printf 'From: Li Qi <li.qi@example.com>\nSubject: %s\nDate: %s\nMessage-ID: <%s>\n' "$3" "$4" "$2"
		[ -n "${5:-}" ] && printf 'In-Reply-To: <%s>\nReferences: <%s>\n' "$5" "$5"
		printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n'
		cat
	} >"$1"
}
ANALYSIS='0: kd> !analyze -v
DRIVER_IRQL_NOT_LESS_OR_EQUAL (d1)
Arguments:
Arg1: 0000000000000000, memory referenced
Arg2: 0000000000000002, IRQL
Arg3: 0000000000000000, value 0 = read operation, 1 = write operation
Arg4: fffff8034f2a1c55, address which referenced memory
STACK_TEXT:
ffff8a0b`2f4e6f28 fffff803`4d1d2a69 : nt!KeBugCheckEx
ffff8a0b`2f4e6f30 fffff803`4d1ce890 : nt!KiBugCheckDispatch+0x69
ffff8a0b`2f4e7070 fffff803`4f2a1c55 : nt!KiPageFault+0x450
ffff8a0b`2f4e7200 fffff803`4f2a0b1e : nwifi!Dot11SendCompletion+0x45
ffff8a0b`2f4e7250 fffff803`4e8b1a3f : vwifimf+0x1b1e
IMAGE_NAME:  vwifimf.sys'

# the first mail carries the number; the replies only In-Reply-To / subject
printf '您好：\n%s\n下一步动作：\n请升级 vwifimf 驱动。\n' "$ANALYSIS" |
	mk "$T/1.eml" one@pmkb.test '[案例号: CAS-07001-T5H9R2] 无线蓝屏' 'Mon, 1 May 2023 10:00:00 +0800'
printf '收到，谢谢。\n\n-----原始邮件-----\n发件人: Li Qi\n发送时间: 2023-05-01 10:00\n主题: 无线蓝屏\n\n%s\n' "$ANALYSIS" |
	mk "$T/2.eml" two@pmkb.test 'Re: 无线蓝屏' 'Mon, 1 May 2023 11:00:00 +0800' one@pmkb.test
printf '已升级，问题解决。\n\nOn Mon, 1 May 2023, Li Qi wrote:\n%s\n' "$(printf '%s\n' "$ANALYSIS" | sed 's/^/> /')" |
	mk "$T/3.eml" three@pmkb.test '答复: 无线蓝屏' 'Tue, 2 May 2023 09:00:00 +0800'

# one import: 1 via the number, 2 via In-Reply-To, 3 via the subject
mkdir -p "$T/md/cur" "$T/md/new"
cp "$T/1.eml" "$T/md/cur/1:2,S"; cp "$T/2.eml" "$T/md/cur/2:2,S"; cp "$T/3.eml" "$T/md/new/3"
PMKB_DB="$T/a" expect_exit 0 "$PMKB" import "$T/md"
contains "$T/out" "imported 1 cases, 3 messages, 1 analyses"
PMKB_DB="$T/a" "$PMKB" show --json CAS-07001-T5H9R2 >"$T/c.json" || fail "show"
jq_eq "$T/c.json" '.messages | length' 3
jq_eq "$T/c.json" '.analyses | length' 1
jq_eq "$T/c.json" '.analyses[0].message' 0
jq_eq "$T/c.json" '.messages[1].body' '收到，谢谢。'
jq_eq "$T/c.json" '.messages[2].body' '已升级，问题解决。'

# separate runs: the reply finds its case through the stored Message-ID
PMKB_DB="$T/b" expect_exit 0 "$PMKB" import "$T/1.eml"
PMKB_DB="$T/b" expect_exit 0 "$PMKB" import "$T/2.eml"
PMKB_DB="$T/b" "$PMKB" stats >"$T/stats"
contains "$T/stats" "cases      1"
contains "$T/stats" "messages   2"

# no case number anywhere: a lone .eml is its file stem; a thread in an
# mbox gets a stable mail-… id, the same on every import
printf 'hello\n' | mk "$T/no-number.eml" n1@pmkb.test '打印机问题' 'Wed, 3 May 2023 09:00:00 +0800'
PMKB_DB="$T/c" expect_exit 0 "$PMKB" import "$T/no-number.eml"
PMKB_DB="$T/c" "$PMKB" show no-number >/dev/null || fail "a lone .eml without number is not its stem"
printf 'reply\n' | mk "$T/no-number-2.eml" n2@pmkb.test 'RE: 打印机问题' 'Wed, 3 May 2023 10:00:00 +0800' n1@pmkb.test
{ for f in no-number no-number-2; do printf 'From li.qi@example.com Wed May  3 09:00:00 2023\n'; cat "$T/$f.eml"; printf '\n'; done; } >"$T/nn.mbox"
PMKB_DB="$T/d" expect_exit 0 "$PMKB" import "$T/nn.mbox"
contains "$T/out" "imported 1 cases, 2 messages"
PMKB_DB="$T/d" "$PMKB" search --json 打印机 >"$T/s.json" || fail "search"
id=$(jq -r '.. | objects | select(has("case")) | .case' "$T/s.json" | head -n 1)
case "$id" in mail-????????????) ;; *) fail "thread without number got id '$id'" ;; esac
PMKB_DB="$T/e" expect_exit 0 "$PMKB" import "$T/nn.mbox"
PMKB_DB="$T/e" "$PMKB" show "$id" >/dev/null || fail "the id '$id' is not stable across imports"

# a mail with neither Date nor Message-ID, imported twice, is stored once
printf 'From: Li Qi <li.qi@example.com>\nSubject: [案例号: CAS-07002-N0D4T3] 无日期\n\n正文\n' >"$T/nodate.eml"
PMKB_DB="$T/f" expect_exit 0 "$PMKB" import "$T/nodate.eml"
PMKB_DB="$T/f" expect_exit 0 "$PMKB" import "$T/nodate.eml"
contains "$T/out" "imported 0 cases, 0 messages"
PMKB_DB="$T/f" "$PMKB" show --json CAS-07002-N0D4T3 >"$T/n.json" || fail "show"
jq_eq "$T/n.json" '.messages | length' 1
exit 0
