# opensmtpd.sh - start a throw-away OpenSMTPD for the reply tests; source
# it from a shell test after lib.sh:
#   . "$TOP/tests/mail/opensmtpd.sh"
#   smtpd_start       # sets SM_PORT, SM_MAILDIR (every recipient's mail lands there)
#   smtpd_stop        # stops it (smtpd_start installs a trap that does)
#   smtpd_count       # messages delivered so far
# The server listens on 127.0.0.1 on a free port (plain SMTP; pmkb tries
# STARTTLS and goes on without it only because the host is loopback),
# accepts mail for any address and delivers it, as user nobody, into one
# maildir under $T/smtpd. Its configuration, log and maildir live in $T.
# OpenSMTPD was chosen over Postfix and Exim because one short
# configuration file and a foreground process (-d) are all a test needs;
# it runs as root (it drops privileges itself), as the Dovecot tests do.

smtpd_stop() {
	if [ -n "${SM_PID:-}" ]; then
		kill "$SM_PID" 2>/dev/null
		i=0
		while kill -0 "$SM_PID" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
		SM_PID=
	fi
}

smtpd_start() {
	command -v smtpd >/dev/null 2>&1 || { echo "OpenSMTPD is not installed (apt-get install opensmtpd)"; exit 77; }
	SM_DIR="$T/smtpd"
	SM_MAILDIR="$SM_DIR/maildir"
	mkdir -p "$SM_MAILDIR/new" "$SM_MAILDIR/cur" "$SM_MAILDIR/tmp"
	chmod 755 "$T" "$SM_DIR"
	chown -R nobody:nogroup "$SM_MAILDIR"
	[ -n "${SM_PORT:-}" ] || SM_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	echo "@ nobody" >"$SM_DIR/recipients"
	cat >"$SM_DIR/smtpd.conf" <<CONF
table recipients file:$SM_DIR/recipients
listen on 127.0.0.1 port $SM_PORT
action "maildir" maildir "$SM_MAILDIR" virtual <recipients>
match from any for any action "maildir"
CONF
	chmod 600 "$SM_DIR/smtpd.conf"
	# its control socket (/var/run/smtpd.sock) and queue (/var/spool/smtpd)
	# are fixed paths: a second smtpd (another test running at the same
	# time) refuses to start or shares the queue. A private mount namespace
	# gives this one its own, under $SM_DIR.
	mkdir -p "$SM_DIR/run" "$SM_DIR/spool"
	chmod 711 "$SM_DIR/spool"
	# (a fresh install has no /var/spool/smtpd until smtpd first ran as a
	# service: make the mount point)
	[ -d /var/spool/smtpd ] || mkdir -p /var/spool/smtpd 2>/dev/null
	if [ -d /var/spool/smtpd ] && unshare -m true 2>/dev/null; then
		unshare -m sh -c 'mount --bind "$1/run" /run && mount --bind "$1/spool" /var/spool/smtpd &&
			exec smtpd -d -f "$1/smtpd.conf"' sh "$SM_DIR" >>"$SM_DIR/smtpd.log" 2>&1 &
	else
		smtpd -d -f "$SM_DIR/smtpd.conf" >>"$SM_DIR/smtpd.log" 2>&1 &
	fi
	SM_PID=$!
	i=0
	while ! python3 -c "import socket; socket.create_connection(('127.0.0.1', $SM_PORT), 1)" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 50 ] && kill -0 "$SM_PID" 2>/dev/null || { cat "$SM_DIR/smtpd.log"; fail "smtpd does not listen on $SM_PORT"; }
		sleep 0.1
	done
	SM_URL="smtp://127.0.0.1:$SM_PORT"
}

# smtpd_count: messages delivered into the maildir (delivery is queued:
# wait until it settles)
smtpd_count() {
	i=0
	while [ $i -lt 30 ]; do
		n1=$(find "$SM_MAILDIR/new" "$SM_MAILDIR/cur" -type f | wc -l)
		sleep 0.2
		n2=$(find "$SM_MAILDIR/new" "$SM_MAILDIR/cur" -type f | wc -l)
		[ "$n1" = "$n2" ] && [ -z "${1:-}" -o "$n2" -ge "${1:-0}" ] && break
		i=$((i + 1))
	done
	echo "$n2"
}
