# T130: the replies go out over TLS with SMTP AUTH, against real servers
# on 127.0.0.1: Dovecot's submission service (a self-signed certificate
# made here, the credentials in its passwd file) relays to OpenSMTPD,
# which delivers into a maildir. (OpenSMTPD 6.8 of Debian 12 cannot do
# TLS with OpenSSL 3, its upstream issue 1171, so it only delivers.)
# STARTTLS (smtp://) and smtps:// verified through
# $PMKB_CA_FILE; a certificate not trusted is refused (78, with a hint);
# a wrong password is 78 and nothing is marked sent; the password comes
# from $PMKB_SMTP_PASSWORD or a netrc file and never shows in pmkb's
# output, its log lines or the queue.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/mail/dovecot.sh"
. "$TOP/tests/mail/opensmtpd.sh"
D="$TOP/tests/data/dumps/kernel"
python3 "$TOP/tests/mail/make-customer-mail.py" "$T" "$TOP/examples/new/vwifimf-0xfc.txt" \
	"$D/triage_x64.dmp" "$D/triage_arm64.dmp" || fail "make-customer-mail.py failed"
expect_exit 0 "$PMKB" import "$TOP/tests/data/seeds"
expect_exit 0 "$PMKB" config set smtp.from support@example.com

smtpd_start
DV_TLS=1 DV_RELAY=$SM_PORT dovecot_start
trap 'dovecot_stop; smtpd_stop' EXIT
export PMKB_IMAP_PASSWORD="$DV_PASS"
# three customer mails with the same analysis: three drafts
for i in 1 2 3; do
	sed "s/^Message-ID: <zh-inline-1@example.org>/Message-ID: <zh-inline-t$i@example.org>/" \
		"$T/zh-inline.eml" >"$T/zh-$i.eml"
	grep -q "^Message-ID: <zh-inline-t$i@example.org>" "$T/zh-$i.eml" || fail "sed did not change the Message-ID"
done
dovecot_deliver "$T/zh-1.eml" "$T/zh-2.eml" "$T/zh-3.eml"
PMKB_CA_FILE="$DV_CA" expect_exit 0 "$PMKB" watch --once "$DV_URL"
expect_exit 0 "$PMKB" queue list --state queued
[ "$(wc -l <"$T/out")" = 3 ] || fail "expected 3 queued drafts"

SM_USER=$DV_USER SM_PASS=$DV_PASS SM_CA=$DV_CA
STARTTLS="smtp://$SM_USER@127.0.0.1:$DV_SUBMIT_PORT"
SMTPS="smtps://$SM_USER@127.0.0.1:$DV_SUBMITS_PORT"
# every pmkb run's output and log lines, and the queue, checked for the
# password at the end
logs() { cat "$T/out" "$T/err" >>"$T/all.log"; }

# a wrong password: 78, the reply stays approved (not sent), nothing delivered
PMKB_CA_FILE="$SM_CA" PMKB_SMTP_PASSWORD=wrong-pass-123 expect_exit 78 "$PMKB" queue approve --smtp "$STARTTLS" 1
logs
contains "$T/err" "login refused"
lacks "$T/err" wrong-pass-123
expect_exit 0 "$PMKB" queue show --json 1
logs
jq_eq "$T/out" .state approved
lacks "$T/out" wrong-pass-123
[ "$(smtpd_count)" = 0 ] || fail "a refused login delivered mail"

# a certificate not trusted: 78 with a hint, on both ports
export PMKB_SMTP_PASSWORD="$SM_PASS"
PMKB_CA_FILE= expect_exit 78 "$PMKB" queue approve --smtp "$STARTTLS" 1
logs
contains "$T/err" "TLS certificate not trusted"
contains "$T/err" "PMKB_CA_FILE"
PMKB_CA_FILE= expect_exit 78 "$PMKB" queue approve --smtp "$SMTPS" 1
logs
contains "$T/err" "TLS certificate not trusted"
expect_exit 0 "$PMKB" queue show --json 1
jq_eq "$T/out" .state approved
[ "$(smtpd_count)" = 0 ] || fail "an untrusted certificate delivered mail"

# STARTTLS, verified, password from the environment
PMKB_CA_FILE="$SM_CA" expect_exit 0 "$PMKB" queue approve --smtp "$STARTTLS" 1
logs
[ "$(smtpd_count 1)" = 1 ] || fail "STARTTLS delivered $(smtpd_count) mails, expected 1"
# smtps://, verified, password from a netrc file
unset PMKB_SMTP_PASSWORD
printf 'machine 127.0.0.1 login %s password %s\n' "$SM_USER" "$SM_PASS" >"$T/netrc"
chmod 600 "$T/netrc"
PMKB_NETRC="$T/netrc" PMKB_CA_FILE="$SM_CA" expect_exit 0 "$PMKB" queue approve --smtp "$SMTPS" 2
logs
[ "$(smtpd_count 2)" = 2 ] || fail "smtps delivered $(smtpd_count) mails, expected 2"
# no password at all: refused by the server (AUTH required), 78
PMKB_NETRC="$T/none" PMKB_CA_FILE="$SM_CA" expect_exit 78 "$PMKB" queue approve --smtp "$STARTTLS" 3
logs
expect_exit 0 "$PMKB" queue list --json
logs
jq_eq "$T/out" '[.replies[].state] | join(" ")' "sent sent approved"
# a password in the URL is refused before anything is sent
expect_exit 64 "$PMKB" queue approve --smtp "smtps://$SM_USER:$SM_PASS@127.0.0.1:$DV_SUBMITS_PORT" 3
contains "$T/err" "the URL holds a password"
lacks "$T/err" "$SM_PASS"

# both sends logged in over TLS and were relayed; no login without TLS
n=$(grep -c 'submission-login: Info: Login: user=<support>, method=PLAIN, .*, TLS, ' "$DV_DIR/dovecot.log")
[ "$n" = 2 ] || { cat "$DV_DIR/dovecot.log"; fail "$n TLS logins in the server's log, expected 2"; }
! grep 'submission-login: Info: Login:' "$DV_DIR/dovecot.log" | grep -qv ', TLS, ' ||
	{ cat "$DV_DIR/dovecot.log"; fail "a login without TLS"; }
[ "$(grep -c 'Successfully relayed message' "$DV_DIR/dovecot.log")" = 2 ] || fail "expected 2 relayed messages"
# the password in nothing pmkb printed, nor in the queue's rows
expect_exit 0 "$PMKB" queue show --json 3
logs
lacks "$T/all.log" "$SM_PASS"
lacks "$T/all.log" wrong-pass-123
[ -f "$PMKB_DB/kb.sqlite" ] || fail "no kb.sqlite"
! sqlite3 "$PMKB_DB/kb.sqlite" .dump | grep -qF "$SM_PASS" || fail "the password is stored"
exit 0
