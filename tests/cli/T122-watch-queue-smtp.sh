# T122: inbox to outbox against real servers on 127.0.0.1: Dovecot (IMAP)
# holds the customers' mail, OpenSMTPD delivers pmkb's replies into a
# maildir read back here. watch --once files drafts (a Chinese GB18030
# mail with the analysis inline, an English one with a .dmp attached),
# routes the unknown dump and the mail without analysis to an engineer,
# skips the mail over the size limit with a note; queue approve sends a
# threaded reply in the customer's language holding the remediation and
# the outcome and no personal or internal datum of any seed. Each
# Message-ID is answered once; a crash between send and record sends no
# second mail; an SMTP server down keeps the reply (69) and the next pass
# sends it; a refused IMAP login is 78, a second watch 75.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/mail/dovecot.sh"
. "$TOP/tests/mail/opensmtpd.sh"
D="$TOP/tests/data/dumps/kernel"
python3 "$TOP/tests/mail/make-customer-mail.py" "$T" "$TOP/examples/new/vwifimf-0xfc.txt" \
	"$D/triage_x64.dmp" "$D/triage_arm64.dmp" || fail "make-customer-mail.py failed"

# the knowledge base: the seed threads, and a stored dump whose cause a
# test rule names (with customer text), resolved once
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
expect_exit 0 "$PMKB" config set smtp.from support@example.com
expect_exit 0 "$PMKB" config set watch.max-size 3

dovecot_start
smtpd_start
trap 'dovecot_stop; smtpd_stop' EXIT
export PMKB_IMAP_PASSWORD="$DV_PASS"
dovecot_deliver "$T/zh-inline.eml" "$T/en-dmp.eml" "$T/unknown-dmp.eml" "$T/no-analysis.eml" "$T/big.eml"

# refused login: 78, nothing filed
PMKB_IMAP_PASSWORD=wrong expect_exit 78 "$PMKB" watch --once --rules "$T/rules.conf" "$DV_URL"
contains "$T/err" "login refused"
# the IMAP server unreachable: 69
closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
expect_exit 69 "$PMKB" watch --once "imap://$DV_USER@127.0.0.1:$closed/INBOX"
expect_exit 0 "$PMKB" queue list
[ ! -s "$T/out" ] || fail "a failed watch filed something"

# one pass: two drafts, two routed, one skipped
expect_exit 0 "$PMKB" watch --once --smtp "$SM_URL" --rules "$T/rules.conf" "$DV_URL"
lacks "$T/err" "$DV_PASS"
expect_exit 0 "$PMKB" queue list --json
jq_eq "$T/out" '[.replies[].state] | join(" ")' "queued queued routed routed skipped"
jq_eq "$T/out" '.replies[0].message_id' zh-inline-1@example.org
jq_eq "$T/out" '.replies[0].lang' zh
jq_eq "$T/out" '.replies[0].rule' vwifimf-nbl-ptos
jq_eq "$T/out" '.replies[1].lang' en
jq_eq "$T/out" '.replies[1].rule' amdppm-test
jq_eq "$T/out" '.replies[4].note | test("larger than 3 MiB")' true
expect_exit 0 "$PMKB" queue show --json 3
jq_eq "$T/out" .draft null
jq_eq "$T/out" '.gate.route' engineer
jq_eq "$T/out" '[.gate.gate[] | select(.check == "verdict")][0].pass' false
[ "$(smtpd_count)" = 0 ] || fail "something was sent before approval"

# approve the Chinese draft: one mail, threaded, in Chinese, clean
expect_exit 0 "$PMKB" queue approve --smtp "$SM_URL" 1
[ "$(smtpd_count 1)" = 1 ] || fail "approve delivered $(smtpd_count) mails, expected 1"
python3 - "$SM_MAILDIR" "$TOP/tests/data/seeds" "$T/mail1.txt" <<'PY' || fail "the delivered reply is wrong"
import email, email.policy, glob, os, re, sys
md, seeds, out = sys.argv[1:4]
files = glob.glob(md + "/new/*") + glob.glob(md + "/cur/*")
m = email.message_from_bytes(open(files[0], "rb").read(), policy=email.policy.default)
body = m.get_body(("plain",)).get_content()
open(out, "w").write(str(m["Subject"]) + "\n" + body)
def need(c, what):
    if not c:
        print("FAIL:", what); sys.exit(1)
need(m["To"] == "wang.customer@example.org", "To is %s" % m["To"])
need(m["From"] == "support@example.com", "From is %s" % m["From"])
need(str(m["Subject"]) == "回复: 电脑蓝屏，请帮忙分析", "Subject is %s" % m["Subject"])
need(m["In-Reply-To"] == "<zh-inline-1@example.org>", "In-Reply-To is %s" % m["In-Reply-To"])
need("<zh-inline-1@example.org>" in m["References"], "References is %s" % m["References"])
need(m["Message-ID"].startswith("<pmkb-reply-1-"), "Message-ID is %s" % m["Message-ID"])
need("卸载 TMS 的无线组件（vwifimf.sys）" in body, "no remediation")
need("此方法解决了其中 1 个" in body, "no outcome sentence")
need("您好" in body, "not Chinese")
# nothing personal or internal of any seed: case numbers, refs, mailboxes,
# phones, ID numbers, senders and customers
bad = set()
for f in glob.glob(seeds + "/*.txt"):
    t = open(f, encoding="utf-8", errors="replace").read()
    bad |= set(re.findall(r"CAS-\d{5}-\w{6}|CMIT:\d+|REG:\d+|[\w.+-]+@[\w.-]+\.\w+|1[3-9]\d{9}|\d{17}[\dX]", t))
    bad |= set(s.strip() for s in re.findall(r"发件人：([^\n<]+)", t) if len(s.strip()) > 1)
bad |= {"ICBC", "中信建投", "wang.customer", "王先生"}
leaks = [b for b in bad if b in body or b in str(m["Subject"]).replace("电脑蓝屏，请帮忙分析", "")]
need(not leaks, "leaks: %s" % leaks)
PY
expect_exit 0 "$PMKB" queue list --json
jq_eq "$T/out" '.replies[0].state' sent
# approving it again sends nothing
expect_exit 1 "$PMKB" queue approve --smtp "$SM_URL" 1
contains "$T/err" "reply 1 is sent: not sent again"

# each Message-ID once: the same mail again, and a second pass, file nothing
dovecot_deliver "$T/zh-inline.eml"
expect_exit 0 "$PMKB" watch --once --smtp "$SM_URL" --rules "$T/rules.conf" "$DV_URL"
expect_exit 0 "$PMKB" queue list
[ "$(wc -l <"$T/out")" = 5 ] || fail "the repeated Message-ID was filed again"

# edit: the final check refuses a draft an engineer made leak
cat >"$T/editor.sh" <<'ED'
#!/bin/sh
printf '\nCall Li Qi on 13812340002.\n' >>"$1"
ED
chmod +x "$T/editor.sh"
EDITOR="$T/editor.sh" expect_exit 0 "$PMKB" queue edit 2
expect_exit 65 "$PMKB" queue approve --smtp "$SM_URL" 2
contains "$T/err" "personal or internal data left"
lacks "$T/err" "13812340002"
cat >"$T/editor.sh" <<'ED'
#!/bin/sh
sed -i '/Call Li Qi/d' "$1"
ED
EDITOR="$T/editor.sh" expect_exit 0 "$PMKB" queue edit 2

# a crash between the transfer and its record: no second mail
PMKB_TEST_CRASH_AFTER_SEND=1 expect_exit 70 "$PMKB" queue approve --smtp "$SM_URL" 2
[ "$(smtpd_count 2)" = 2 ] || fail "expected 2 mails after the crash, got $(smtpd_count)"
expect_exit 1 "$PMKB" queue approve --smtp "$SM_URL" 2
contains "$T/err" "marked unconfirmed"
contains "$T/err" "reply 2 is unconfirmed: not sent again"
expect_exit 0 "$PMKB" watch --once --smtp "$SM_URL" --rules "$T/rules.conf" "$DV_URL"
[ "$(smtpd_count)" = 2 ] || fail "a pass after the crash sent $(smtpd_count) mails, expected 2"
expect_exit 0 "$PMKB" queue show --json 2
jq_eq "$T/out" .state unconfirmed
# the English reply with the .dmp's remediation did arrive, threaded
python3 - "$SM_MAILDIR" <<'PY' || fail "the .dmp reply is wrong"
import email, email.policy, glob, sys
ms = [email.message_from_bytes(open(f, "rb").read(), policy=email.policy.default)
      for f in glob.glob(sys.argv[1] + "/new/*") + glob.glob(sys.argv[1] + "/cur/*")]
m = [x for x in ms if x["To"] == "alex@example.org"][0]
body = m.get_body(("plain",)).get_content()
assert str(m["Subject"]) == "Re: Server crashed overnight", m["Subject"]
assert m["In-Reply-To"] == "<en-dmp-1@example.org>", m["In-Reply-To"]
assert m["References"].split() == ["<earlier-1@example.org>", "<en-dmp-1@example.org>"], m["References"]
assert "Update the chipset driver" in body and "1 of 1 closed cases" in body, body
assert "Call Li Qi" not in body
PY

# the SMTP server down: 69, the reply stays approved, the next pass sends it
dovecot_deliver "$T/en-inline.eml"
expect_exit 0 "$PMKB" watch --once --rules "$T/rules.conf" "$DV_URL"
expect_exit 0 "$PMKB" queue list --state queued
id=$(cut -f1 "$T/out")
[ -n "$id" ] || fail "the English mail was not queued"
smtpd_stop
expect_exit 69 "$PMKB" queue approve --smtp "$SM_URL" "$id"
contains "$T/err" "server unreachable"
expect_exit 0 "$PMKB" queue show --json "$id"
jq_eq "$T/out" .state approved
smtpd_start
expect_exit 0 "$PMKB" watch --once --smtp "$SM_URL" --rules "$T/rules.conf" "$DV_URL"
[ "$(smtpd_count 3)" = 3 ] || fail "the retried reply did not arrive"
expect_exit 0 "$PMKB" queue show --json "$id"
jq_eq "$T/out" .state sent

# reject
expect_exit 1 "$PMKB" queue reject 1
expect_exit 1 "$PMKB" queue show 99

# an auto-send rule: sent at once, logged, no queue
sed 's/^Message-ID: <en-dmp-1@example.org>/Message-ID: <en-dmp-2@example.org>/' "$T/en-dmp.eml" >"$T/en-dmp-2.eml"
grep -q '^Message-ID: <en-dmp-2@example.org>' "$T/en-dmp-2.eml" || fail "sed did not change the Message-ID"
sed 's/^require = bugcheck image$/&\nauto-send = yes/' "$T/rules.conf" >"$T/auto.conf"
dovecot_deliver "$T/en-dmp-2.eml"
expect_exit 0 "$PMKB" watch --once --smtp "$SM_URL" --rules "$T/auto.conf" "$DV_URL"
contains "$T/err" "auto-send (rule amdppm-test)"
[ "$(smtpd_count 4)" = 4 ] || fail "the auto-send reply did not arrive"
expect_exit 0 "$PMKB" queue list --json --state sent
jq_eq "$T/out" '[.replies[] | select(.message_id == "en-dmp-2@example.org")][0].note' "auto-send rule"

# a second watch while one runs: 75
"$PMKB" watch --interval 3600 --rules "$T/rules.conf" "$DV_URL" >"$T/w1.out" 2>"$T/w1.err" &
W1=$!
i=0
while ! grep -q "watch\|UID" "$T/w1.err" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.5
expect_exit 75 "$PMKB" watch --once "$DV_URL"
contains "$T/err" "another pmkb watch runs on it"
kill "$W1"
wait "$W1"
[ "$?" = 0 ] || fail "the watcher did not stop cleanly on SIGTERM"
