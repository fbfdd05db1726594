# T131: pmkb suggest on a customer's raw mail decodes it as pmkb watch
# does (the mail reader of pmkb-import): a GB18030 body in base64, a UTF-8
# body in quoted-printable, an analysis in a text attachment, a .dmp
# attachment; from a file or standard input; the draft is the one the
# plain analysis gets. A mail pasted as text is still read as text; a
# broken .eml is 65 naming the file.
. "$TOP/tests/cli/lib.sh"
D="$TOP/tests/data/dumps/kernel"
A="$TOP/examples/new/vwifimf-0xfc.txt"
python3 "$TOP/tests/mail/make-customer-mail.py" "$T" "$A" "$D/triage_x64.dmp" "$D/triage_arm64.dmp" ||
	fail "make-customer-mail.py failed"
python3 - "$T" "$A" <<'PY' || fail "cannot write the test mails"
import sys
from email.message import EmailMessage
from email.policy import SMTP
out, analysis = sys.argv[1:3]
text = open(analysis, encoding="utf-8").read()
def save(name, m):
    open(f"{out}/{name}", "wb").write(m.as_bytes())
# quoted-printable UTF-8, English
m = EmailMessage(policy=SMTP)
m["From"] = "Alex Doe <alex@example.org>"
m["To"] = "support@example.com"
m["Subject"] = "Blue screen on my laptop"
m["Message-ID"] = "<qp-1@example.org>"
m.set_content("Hello, my laptop crashed again this morning while on the wireless network. "
              "Below is what WinDbg printed, could you tell me what to do?\n\n" + text,
              charset="utf-8", cte="quoted-printable")
save("qp.msg", m)
# the analysis in a text attachment, a Chinese body in GB18030 base64
m = EmailMessage(policy=SMTP)
m["From"] = "wang.customer@example.org"
m["Subject"] = "蓝屏日志见附件"
m["Message-ID"] = "<att-1@example.org>"
m.set_content("您好，我们的电脑又蓝屏了，分析日志在附件里，请帮忙看看是什么原因，应该怎么处理。谢谢！",
              charset="gb18030", cte="base64")
m.add_attachment(text.encode("utf-8"), maintype="text", subtype="plain", filename="windbg.txt")
save("att.eml", m)
PY
grep -q '^Content-Transfer-Encoding: quoted-printable' "$T/qp.msg" || fail "qp.msg is not quoted-printable"
grep -q 'gb18030' "$T/zh-inline.eml" || fail "zh-inline.eml is not GB18030"

expect_exit 0 "$PMKB" import "$TOP/tests/data/seeds" "$D/triage_x64.dmp"
expect_exit 0 "$PMKB" outcome triage_x64 resolved
{ cat "$TOP/data/rules.conf"; cat <<'RULE'

[rule amdppm-test]
title = amdppm.sys faults in the System process (test rule)
bugcheck = 0x7e
image = amdppm
require = bugcheck image
explain.en = The processor power driver amdppm.sys stopped with an access violation.
explain.zh = 处理器电源驱动 amdppm.sys 发生访问冲突。
remedy.en = Update the chipset driver from the board vendor.
remedy.zh = 请从主板厂商处更新芯片组驱动。
cases = triage_x64
RULE
} >"$T/rules.conf"

# the plain analysis: what each mail's draft must match
expect_exit 0 "$PMKB" suggest --json --lang zh "$A"
jq -r .draft "$T/out" >"$T/want-zh.txt"
jq_eq "$T/out" .rule vwifimf-nbl-ptos

# the body is base64 GB18030: without the mail reader there is no analysis in it
expect_exit 1 "$PMKB" match "$T/zh-inline.eml"

# a .eml file, and the same mail on standard input
expect_exit 0 "$PMKB" suggest --json "$T/zh-inline.eml"
cp "$T/out" "$T/zh.json"
jq_eq "$T/zh.json" .route customer
jq_eq "$T/zh.json" .rule vwifimf-nbl-ptos
jq_eq "$T/zh.json" .lang zh
jq -r .draft "$T/zh.json" | cmp -s - "$T/want-zh.txt" || fail "the .eml's draft differs from the plain analysis's"
expect_exit 0 "$PMKB" suggest --json - <"$T/zh-inline.eml"
cmp -s "$T/out" "$T/zh.json" || fail "the mail on standard input drafts otherwise"

# quoted-printable UTF-8 (no .eml name: told by its MIME-Version header),
# from a file and from standard input: English
expect_exit 0 "$PMKB" suggest --json "$T/qp.msg"
jq_eq "$T/out" .rule vwifimf-nbl-ptos
jq_eq "$T/out" .lang en
cp "$T/out" "$T/qp.json"
expect_exit 0 "$PMKB" suggest --json - <"$T/qp.msg"
cmp -s "$T/out" "$T/qp.json" || fail "the QP mail on standard input drafts otherwise"

# the analysis in a text attachment, the words in GB18030: Chinese
expect_exit 0 "$PMKB" suggest --json "$T/att.eml"
jq_eq "$T/out" .rule vwifimf-nbl-ptos
jq_eq "$T/out" .lang zh

# a .dmp attachment, matched by the test rule
expect_exit 0 "$PMKB" suggest --json --rules "$T/rules.conf" "$T/en-dmp.eml"
jq_eq "$T/out" .rule amdppm-test
jq_eq "$T/out" .lang en
jq_eq "$T/out" '.draft | test("Update the chipset driver")' true
# a dump nobody knows: routed to an engineer (1)
expect_exit 1 "$PMKB" suggest --rules "$T/rules.conf" "$T/unknown-dmp.eml"
# no analysis at all: routed (1), with a warning naming the file
expect_exit 1 "$PMKB" suggest "$T/no-analysis.eml"
contains "$T/err" "no dump analysis found in '$T/no-analysis.eml'"

# a mail pasted as text (no header block) is read as text, as before
{ printf 'From: Li Qi\nSent: Monday\n\n'; cat "$A"; } >"$T/pasted.txt"
expect_exit 0 "$PMKB" suggest --json "$T/pasted.txt"
jq_eq "$T/out" .rule vwifimf-nbl-ptos
expect_exit 0 "$PMKB" suggest --json - <"$A"
jq_eq "$T/out" .rule vwifimf-nbl-ptos
# a dump on standard input still reads as a dump
expect_exit 0 "$PMKB" suggest --json --rules "$T/rules.conf" - <"$D/triage_x64.dmp"
jq_eq "$T/out" .rule amdppm-test

# a broken .eml: 65, one line naming it; a missing one: 66
printf '\001\002 not a mail\n' >"$T/broken.eml"
expect_exit 65 "$PMKB" suggest "$T/broken.eml"
one_line "$T/err"
contains "$T/err" "pmkb: cannot read '$T/broken.eml'"
expect_exit 66 "$PMKB" suggest "$T/missing.eml"
contains "$T/err" "pmkb: cannot read '$T/missing.eml'"
exit 0
