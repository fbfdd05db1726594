# T184: every IMAP failure a new user meets says what to fix, against a
# real Dovecot: a wrong password (check both), no password at all (where it
# was looked up: $PMKB_IMAP_PASSWORD, then the netrc file), a URL without a
# user (exit 64, the URL syntax), a mailbox that does not exist (exit 66, the mailbox syntax), search
# keys the server refuses (exit 64), a self-signed certificate
# ($PMKB_CA_FILE), a closed port (host and port). None of them reports a
# "storage failure", and the password never appears.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/mail/dovecot.sh"
dovecot_start
dovecot_deliver "$TOP/tests/data/mail/subject-gbk.eml"
B="imap://$DV_USER@127.0.0.1:$DV_PORT"

hint_is() {
	one_hint=$(grep -c '^hint: ' "$T/err")
	[ "$one_hint" -eq 1 ] || { cat "$T/err"; fail "expected one hint line, got $one_hint"; }
	contains "$T/err" "$1"
	lacks "$T/err" "storage failure"
	lacks "$T/err" "$DV_PASS"
}

PMKB_IMAP_PASSWORD=wrong expect_exit 78 "$PMKB" import "$B/INBOX"
contains "$T/err" "login refused"
hint_is 'password in $PMKB_IMAP_PASSWORD: check both'

printf 'machine elsewhere login x password y\n' >"$T/netrc"
PMKB_IMAP_PASSWORD= PMKB_NETRC="$T/netrc" expect_exit 78 "$PMKB" import "$B/INBOX"
hint_is "needs a line 'machine HOST login USER password PASSWORD'"

PMKB_IMAP_PASSWORD="$DV_PASS" expect_exit 64 "$PMKB" import "imap://127.0.0.1:$DV_PORT/INBOX"
contains "$T/err" "the URL names no user: imap://USER@HOST/MAILBOX"
lacks "$T/err" "hint:"

PMKB_IMAP_PASSWORD="$DV_PASS" expect_exit 66 "$PMKB" import "$B/NoSuchBox"
contains "$T/err" "no mailbox 'NoSuchBox' on the server"
hint_is "imap://USER@HOST/MAILBOX"

PMKB_IMAP_PASSWORD="$DV_PASS" expect_exit 64 "$PMKB" import --search 'NOSUCHKEY 1' "$B/INBOX"
contains "$T/err" "search refused"
hint_is "check --search"

closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PMKB_IMAP_PASSWORD=x expect_exit 69 "$PMKB" import "imap://$DV_USER@127.0.0.1:$closed/INBOX"
hint_is "check the host and port"

# the right settings import, and the same KB took nothing from the failures
PMKB_IMAP_PASSWORD="$DV_PASS" expect_exit 0 "$PMKB" import "$B/INBOX"
contains "$T/out" "imported 1 cases"

# a self-signed certificate: the CA file is the fix
dovecot_stop
DV_TLS=1 dovecot_start
PMKB_IMAP_PASSWORD="$DV_PASS" PMKB_CA_FILE= expect_exit 78 "$PMKB" import "imaps://$DV_USER@127.0.0.1:$DV_TLS_PORT/INBOX"
contains "$T/err" "TLS certificate not trusted"
hint_is 'give the CA certificate (PEM) in $PMKB_CA_FILE'
exit 0
