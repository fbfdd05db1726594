# T132: every command of the README's "Answering customers" block runs,
# as written, against real servers on 127.0.0.1: Dovecot (IMAP over TLS,
# and its submission service with AUTH, relaying to OpenSMTPD, which
# delivers into a maildir). Only the host names (mail), the passwords (...)
# and the IDs are filled in; a line of another shape fails the test, so
# the block cannot drift from what pmkb does.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/mail/dovecot.sh"
. "$TOP/tests/mail/opensmtpd.sh"
D="$TOP/tests/data/dumps/kernel"
python3 "$TOP/tests/mail/make-customer-mail.py" "$T" "$TOP/examples/new/vwifimf-0xfc.txt" \
	"$D/triage_x64.dmp" "$D/triage_arm64.dmp" || fail "make-customer-mail.py failed"
sed 's/^Message-ID: <zh-inline-1@example.org>/Message-ID: <zh-inline-r@example.org>/' "$T/zh-inline.eml" >"$T/zh-2.eml"
grep -q '^Message-ID: <zh-inline-r@example.org>' "$T/zh-2.eml" || fail "sed did not change the Message-ID"
# the files the block names, in the working directory ($T)
cp "$TOP/examples/new/vwifimf-0xfc.txt" crash.txt
cp "$T/zh-inline.eml" customer.eml
expect_exit 0 "$PMKB" import "$TOP/tests/data/seeds"

smtpd_start
DV_TLS=1 DV_RELAY=$SM_PORT dovecot_start
trap 'dovecot_stop; smtpd_stop' EXIT
dovecot_deliver "$T/zh-inline.eml" "$T/en-inline.eml" "$T/zh-2.eml"
export PMKB_CA_FILE="$DV_CA"

# the engineer's edit (queue edit)
printf '#!/bin/sh\nprintf "\\nEdited by hand.\\n" >>"$1"\n' >"$T/editor.sh"
chmod +x "$T/editor.sh"
export VISUAL="$T/editor.sh" EDITOR="$T/editor.sh"

awk '/^## Answering customers/ { s = 1; next } s && /^## / { exit }
     s && /^```/ { if (b) exit; b = 1; next } s && b' "$TOP/README.md" >"$T/block"
[ "$(wc -l <"$T/block")" -ge 5 ] || { cat "$T/block"; fail "no command block in the README's section"; }
n=0
while IFS= read -r line; do
	cmd=$(printf '%s\n' "$line" | sed 's/  *# .*$//')
	case "$cmd" in
	"export PMKB_IMAP_PASSWORD=... PMKB_SMTP_PASSWORD=...")
		export PMKB_IMAP_PASSWORD="$DV_PASS" PMKB_SMTP_PASSWORD="$DV_PASS"
		n=$((n + 1))
		continue ;;
	"pmkb queue list | show ID | approve ID | reject ID | edit ID")
		set -- "list" "show 1" "approve 1" "reject 2" "edit 3" ;;
	"pmkb "*)
		set -- "$(printf '%s\n' "${cmd#pmkb }" |
			sed "s|imaps://support@mail/|imaps://support@127.0.0.1:$DV_TLS_PORT/|g;
			     s|smtps://support@mail|smtps://support@127.0.0.1:$DV_SUBMITS_PORT|g")" ;;
	*) fail "README line of an unknown shape: $line" ;;
	esac
	case "$cmd" in "pmkb queue "*) pre="queue " ;; *) pre= ;; esac
	for c in "$@"; do
		echo "+ pmkb $pre$c" >>"$T/ran"
		case "$c" in
		"watch "*)
			# runs until stopped: until the three mails are filed
			"$PMKB" $c >"$T/out" 2>"$T/err" &
			W=$!
			i=0
			until [ "$(grep -c ': queued (reply' "$T/err")" = 3 ]; do
				i=$((i + 1))
				[ $i -lt 300 ] && kill -0 $W 2>/dev/null || { cat "$T/err"; kill $W; fail "watch filed no 3 drafts"; }
				sleep 0.1
			done
			kill $W
			wait $W || fail "watch did not stop cleanly on SIGTERM"
			;;
		*) eval "expect_exit 0 \"\$PMKB\" $pre$c" ;;
		esac
		lacks "$T/err" "$DV_PASS"
	done
	n=$((n + 1))
done <"$T/block"
[ "$n" = "$(wc -l <"$T/block")" ] || fail "ran $n of $(wc -l <"$T/block") lines"
cat "$T/ran"

# what the block did: an outcome set, drafts filed, one sent, one rejected
expect_exit 0 "$PMKB" outcome CAS-02698-C5V4N5#6
[ "$(cat "$T/out")" = "$(printf 'CAS-02698-C5V4N5#6\tresolved\tmanual\tno crash since')" ] ||
	{ cat "$T/out"; fail "the outcome was not set"; }
expect_exit 0 "$PMKB" queue list --json
jq_eq "$T/out" '[.replies[].state] | join(" ")' "sent rejected queued"
expect_exit 0 "$PMKB" queue show --json 3
jq_eq "$T/out" '.draft | test("Edited by hand")' true
[ "$(smtpd_count 1)" = 1 ] || fail "the approved reply was not delivered"
grep -q 'submission-login: Info: Login: user=<support>.*, TLS, ' "$DV_DIR/dovecot.log" ||
	fail "the reply did not go out over TLS with a login"
exit 0
