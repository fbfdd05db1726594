# T062: import over IMAP from a real Dovecot on 127.0.0.1 (plain IMAP,
# throw-away config): a second run fetches only the new mail, a third
# nothing; a UIDVALIDITY change reads the mailbox again without
# duplicates; --search takes only case mail; credentials from the
# environment or a netrc file, never the URL; a refused login exits 78, an
# unreachable server 69; a server that drops the connection mid-fetch
# leaves the mail before it imported and a re-run resumes.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/mail/dovecot.sh"
command -v python3 >/dev/null || { echo "python3 is needed to build the mails"; exit 77; }
python3 "$TOP/tests/mail/make-mail.py" "$TOP/tests/data/seeds" "$T/mail" || fail "make-mail.py failed"
E="$T/mail/eml"
dovecot_start
LOG="$DV_DIR/dovecot.log"
# messages whose body the server sent in the last session
fetched() { sed -n 's/.*Disconnected: Logged out.* body_count=\([0-9]*\).*/\1/p' "$LOG" | tail -n 1; }
sync_box() { doveadm -c "$DV_DIR/dovecot.conf" mailbox status -u "$DV_USER" "messages uidnext uidvalidity" INBOX; }

# the URL never holds the password
expect_exit 64 "$PMKB" import "imap://$DV_USER:$DV_PASS@127.0.0.1:$DV_PORT/INBOX"
contains "$T/err" "the URL holds a password: refused"
contains "$T/err" "hint:"
lacks "$T/err" "$DV_PASS"

# a refused login: 78 with a hint; an unreachable server: 69
PMKB_IMAP_PASSWORD=wrong expect_exit 78 "$PMKB" import "$DV_URL"
contains "$T/err" "login refused by the server"
contains "$T/err" "hint:"
closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PMKB_IMAP_PASSWORD=x expect_exit 69 "$PMKB" import "imap://$DV_USER@127.0.0.1:$closed/INBOX"
contains "$T/err" "server unreachable"

export PMKB_IMAP_PASSWORD="$DV_PASS"
# first run: half of one thread
dovecot_deliver "$E"/000_*-0[1-4].eml
sync_box >/dev/null
expect_exit 0 "$PMKB" import "$DV_URL"
contains "$T/out" "imported 1 cases, 4 messages"
[ "$(fetched)" = 4 ] || fail "first run fetched $(fetched) messages, expected 4"

# second run: the rest of it and another thread; only those are fetched
dovecot_deliver "$E"/000_*-0[5-8].eml "$E"/004_*.eml
sync_box >/dev/null
expect_exit 0 "$PMKB" import "$DV_URL"
contains "$T/out" "imported 2 cases, 7 messages"
[ "$(fetched)" = 7 ] || fail "second run fetched $(fetched) messages, expected 7"
# what was unread stays unread (fetching sets \Seen; pmkb clears it again)
unseen=$(doveadm -c "$DV_DIR/dovecot.conf" search -u "$DV_USER" mailbox INBOX unseen | wc -l)
[ "$unseen" = 11 ] || fail "$unseen of 11 messages left unread after the import"
expect_exit 0 "$PMKB" import "$DV_URL"
contains "$T/out" "imported 0 cases, 0 messages"
[ "$(fetched)" = 0 ] || fail "third run fetched $(fetched) messages, expected 0"

# the same thread as in the export format
PMKB_DB="$T/export" expect_exit 0 "$PMKB" import "$TOP"/tests/data/seeds/000_*.txt
for id in CAS-06133-X9Z4Q7; do
	PMKB_DB="$T/export" "$PMKB" show --json "$id" | jq -S -f "$TOP/tests/mail/compare.jq" >"$T/a.json"
	"$PMKB" show --json "$id" | jq -S -f "$TOP/tests/mail/compare.jq" >"$T/b.json"
	diff -u "$T/a.json" "$T/b.json" || fail "$id over IMAP differs from the export"
done

# UIDVALIDITY changes (the server lost its index): everything again, no duplicates
"$PMKB" stats >"$T/stats.before"
dovecot_stop
rm -f "$DV_MAILDIR"/dovecot-uidlist "$DV_MAILDIR"/dovecot-uidvalidity* "$DV_MAILDIR"/dovecot.index*
sleep 1 # UIDVALIDITY is a time stamp
dovecot -c "$DV_DIR/dovecot.conf" || fail "dovecot did not restart"
sleep 0.5
sync_box >/dev/null
expect_exit 0 "$PMKB" import "$DV_URL"
contains "$T/err" "UIDVALIDITY changed"
[ "$(fetched)" = 11 ] || fail "the re-scan fetched $(fetched) messages, expected 11"
"$PMKB" stats >"$T/stats.after"
diff "$T/stats.before" "$T/stats.after" || fail "the re-scan after a UIDVALIDITY change added something"

# --search: only the mail of one case, into another knowledge base
PMKB_DB="$T/search" expect_exit 0 "$PMKB" import --search 'SUBJECT CAS-08433' "$DV_URL"
PMKB_DB="$T/search" "$PMKB" stats >"$T/stats"
contains "$T/stats" "cases      1"
contains "$T/stats" "messages   3"

# credentials from a netrc file
printf 'machine 127.0.0.1\nlogin %s\npassword %s\n' "$DV_USER" "$DV_PASS" >"$T/netrc"
PMKB_IMAP_PASSWORD= PMKB_NETRC="$T/netrc" PMKB_DB="$T/netrc-kb" expect_exit 0 "$PMKB" import "$DV_URL"
contains "$T/out" "imported 2 cases, 11 messages"

# the server drops the connection mid-fetch (Dovecot disconnects when a
# maildir file is shorter than its name says): the mail before it is
# imported, the message is named, and a re-run resumes after the fix
dovecot_deliver "$E"/002_*-0[1-3].eml
sync_box >/dev/null
cp "$E/002_413591d54dd1d178-04.eml" "$DV_MAILDIR/new/1999999999.M1P1.pmkb-test,S=9999999"
chown nobody:nogroup "$DV_MAILDIR"/new/*
sync_box >/dev/null
dovecot_deliver "$E"/002_*-0[5-9].eml
sync_box >/dev/null
# exit 69 although some mail came: a cron job must see it and retry
expect_exit 69 "$PMKB" import "$DV_URL"
contains "$T/err" "UID 15': server unreachable or connection lost"
"$PMKB" show --json CAS-04223-R4W0Q7 >"$T/c.json" || fail "the mail before the drop was lost"
jq_eq "$T/c.json" '.messages | length' 3
for f in "$DV_MAILDIR"/cur/1999999999.M1P1.pmkb-test,S=9999999*; do mv "$f" "$DV_MAILDIR/cur/1999999999.M1P1.pmkb-test:2,"; done
expect_exit 0 "$PMKB" import "$DV_URL"
[ "$(fetched)" = 6 ] || fail "the re-run fetched $(fetched) messages, expected the 6 not read"
"$PMKB" show --json CAS-04223-R4W0Q7 >"$T/c.json"
jq_eq "$T/c.json" '.messages | length' 9
exit 0
