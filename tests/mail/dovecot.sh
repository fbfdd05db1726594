# dovecot.sh - start a throw-away Dovecot IMAP server for the mail tests;
# source it from a shell test after lib.sh:
#   . "$TOP/tests/mail/dovecot.sh"
#   dovecot_start            # sets DV_PORT, DV_MAILDIR (INBOX of user "support")
#   DV_TLS=1 dovecot_start   # also STARTTLS on DV_PORT and imaps on DV_TLS_PORT,
#                            # with a self-signed certificate DV_CA for 127.0.0.1
#   DV_TLS=1 DV_RELAY=PORT dovecot_start
#                            # also Dovecot's submission service: SMTP with
#                            # STARTTLS on DV_SUBMIT_PORT, smtps on
#                            # DV_SUBMITS_PORT, AUTH as DV_USER/DV_PASS, the
#                            # mail relayed to the SMTP server on 127.0.0.1:PORT
#   dovecot_deliver FILE...  # put mails into INBOX (new/)
# The server listens on 127.0.0.1 on a free port with plain IMAP (ssl=no
# unless DV_TLS=1),
# keeps everything in $T/dovecot and is stopped by a trap at exit. Exits 77
# (skip) when Dovecot is not installed.
DV_USER=support
DV_PASS=s3cret-imap

dovecot_stop() {
	if [ -n "${DV_DIR:-}" ] && [ -f "$DV_DIR/run/master.pid" ]; then
		kill "$(cat "$DV_DIR/run/master.pid")" 2>/dev/null
		i=0
		while [ -f "$DV_DIR/run/master.pid" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	fi
}

dovecot_start() {
	command -v dovecot >/dev/null 2>&1 || { echo "dovecot is not installed (apt-get install dovecot-imapd)"; exit 77; }
	DV_DIR="$T/dovecot"
	mkdir -p "$DV_DIR/run" "$DV_DIR/home" "$DV_DIR/mail/$DV_USER/cur" "$DV_DIR/mail/$DV_USER/new" "$DV_DIR/mail/$DV_USER/tmp"
	DV_MAILDIR="$DV_DIR/mail/$DV_USER"
	# mail processes run as nobody (Dovecot refuses uid 0): they must reach $T
	chmod 755 "$T"
	DV_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	login_user=nobody
	id dovenull >/dev/null 2>&1 && login_user=dovenull
	free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
	ssl_conf="ssl = no"
	DV_TLS_PORT=0
	if [ "${DV_TLS:-0}" = 1 ]; then
		command -v openssl >/dev/null 2>&1 || { echo "openssl is needed for the TLS test"; exit 77; }
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
			-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
			-keyout "$DV_DIR/key.pem" -out "$DV_DIR/cert.pem" 2>/dev/null || fail "openssl cannot make a certificate"
		DV_CA="$DV_DIR/cert.pem"
		DV_TLS_PORT=$(free_port)
		ssl_conf="ssl = yes
ssl_cert = <$DV_DIR/cert.pem
ssl_key = <$DV_DIR/key.pem"
	fi
	cat >"$DV_DIR/dovecot.conf" <<CONF
base_dir = $DV_DIR/run
state_dir = $DV_DIR/run/state
log_path = $DV_DIR/dovecot.log
protocols = imap
listen = 127.0.0.1
$ssl_conf
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = nobody
default_login_user = $login_user
mail_location = maildir:$DV_DIR/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $DV_DIR/passwd
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$DV_DIR/home/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $DV_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $DV_TLS_PORT
  }
  chroot =
}
service anvil {
  chroot =
}
CONF
	if [ -n "${DV_RELAY:-}" ]; then
		[ "${DV_TLS:-0}" = 1 ] || fail "DV_RELAY needs DV_TLS=1"
		[ -x /usr/lib/dovecot/submission ] || { echo "dovecot-submissiond is not installed"; exit 77; }
		DV_SUBMIT_PORT=$(free_port)
		DV_SUBMITS_PORT=$(free_port)
		sed -i 's/^protocols = imap$/protocols = imap submission/' "$DV_DIR/dovecot.conf"
		cat >>"$DV_DIR/dovecot.conf" <<CONF
hostname = localhost
submission_relay_host = 127.0.0.1
submission_relay_port = $DV_RELAY
submission_relay_trusted = yes
service submission-login {
  inet_listener submission {
    address = 127.0.0.1
    port = $DV_SUBMIT_PORT
  }
  inet_listener submissions {
    address = 127.0.0.1
    port = $DV_SUBMITS_PORT
    ssl = yes
  }
  chroot =
}
CONF
	fi
	echo "$DV_USER:{PLAIN}$DV_PASS" >"$DV_DIR/passwd"
	chown -R nobody:nogroup "$DV_DIR/mail" "$DV_DIR/home"
	trap dovecot_stop EXIT
	dovecot -c "$DV_DIR/dovecot.conf" || { cat "$DV_DIR/dovecot.log" 2>/dev/null; fail "dovecot did not start"; }
	i=0
	while ! python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $DV_PORT), 1)" 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 50 ] || { cat "$DV_DIR/dovecot.log"; fail "dovecot does not listen on $DV_PORT"; }
		sleep 0.1
	done
	DV_URL="imap://$DV_USER@127.0.0.1:$DV_PORT/INBOX"
}

# dovecot_deliver FILE...: new mail in INBOX, in the order given
dovecot_deliver() {
	for f in "$@"; do
		DV_SEQ=$(( ${DV_SEQ:-0} + 1 ))
		cp "$f" "$DV_MAILDIR/new/$(date +%s).M${DV_SEQ}P$$.pmkb-test"
	done
	chown -R nobody:nogroup "$DV_MAILDIR"
}
