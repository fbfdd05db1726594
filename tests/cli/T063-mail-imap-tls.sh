# T063: IMAP over TLS against a real Dovecot with a self-signed certificate
# made here: imap:// upgrades with STARTTLS, imaps:// is TLS from the start;
# the certificate is trusted through $PMKB_CA_FILE and refused (exit 78)
# without it.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/mail/dovecot.sh"
DV_TLS=1 dovecot_start
dovecot_deliver "$TOP/tests/data/mail/subject-gbk.eml" "$TOP/tests/data/mail/attachments.eml"
export PMKB_IMAP_PASSWORD="$DV_PASS"

# not trusted without the CA file (STARTTLS is taken when offered)
PMKB_CA_FILE= expect_exit 78 "$PMKB" import "$DV_URL"
contains "$T/err" "TLS certificate not trusted"
PMKB_CA_FILE= expect_exit 78 "$PMKB" import "imaps://$DV_USER@127.0.0.1:$DV_TLS_PORT/INBOX"
contains "$T/err" "TLS certificate not trusted"

PMKB_CA_FILE="$DV_CA" expect_exit 0 "$PMKB" import "$DV_URL"
contains "$T/out" "imported 2 cases, 2 messages"
grep -q 'TLS' "$DV_DIR/dovecot.log" || fail "the session was not encrypted"
PMKB_CA_FILE="$DV_CA" PMKB_DB="$T/kb2" expect_exit 0 "$PMKB" import "imaps://$DV_USER@127.0.0.1:$DV_TLS_PORT/INBOX"
contains "$T/out" "imported 2 cases, 2 messages"
"$PMKB" show --json CAS-06133-X9Z4Q7 >"$T/c.json" || fail "show"
jq_eq "$T/c.json" '.messages[0].sender' 'person-21c775'   # Li Qi, redacted
exit 0
