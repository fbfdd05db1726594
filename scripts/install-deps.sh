#!/bin/sh
# install-deps.sh - install the Debian 12 packages pmkb builds, tests and
# benchmarks with, when any is missing; does nothing when all are there.
# Uses apt-get as root, or through sudo. Set PMKB_NO_INSTALL=1 to only check.
set -eu

PKGS="gcc g++ make pkg-config libsqlite3-dev libxapian-dev libgmime-3.0-dev
libcurl4-openssl-dev libcmocka-dev clang libclang-rt-14-dev jq python3
xapian-tools dovecot-imapd notmuch time sqlite3 ca-certificates opensmtpd
libmicrohttpd-dev libjansson-dev curl chromium fonts-wqy-zenhei strace
openssl dovecot-submissiond zsh"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# node and npm: any install will do (the image may bring its own node)
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
# then the npm packages of the browser test (scripts/install-npm.sh)
[ -z "$missing" ] && exec sh "$(dirname "$0")/install-npm.sh"

echo "pmkb: installing missing packages:$missing" >&2
if [ "${PMKB_NO_INSTALL:-}" = 1 ]; then
	echo "pmkb: PMKB_NO_INSTALL=1, not installing" >&2
	exit 78
fi
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "pmkb: need root or sudo to install:$missing" >&2
	exit 78
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >&2
# dovecot's and opensmtpd's postinst would start system-wide servers we do
# not need: the tests start their own on loopback.
$SUDO apt-get install -y -q --no-install-recommends $missing >&2
if [ -x /usr/sbin/dovecot ] && command -v systemctl >/dev/null 2>&1; then
	$SUDO systemctl disable --now dovecot >/dev/null 2>&1 || true
fi
if [ -x /usr/sbin/smtpd ] && command -v systemctl >/dev/null 2>&1; then
	$SUDO systemctl disable --now opensmtpd >/dev/null 2>&1 || true
fi
if [ -x /usr/sbin/smtpd ] && [ -x /etc/init.d/opensmtpd ]; then
	# without systemd: stop what the postinst started (it would hold the
	# control socket the tests' own smtpd needs)
	$SUDO /etc/init.d/opensmtpd stop >/dev/null 2>&1 || true
	$SUDO update-rc.d opensmtpd disable >/dev/null 2>&1 || true
fi
exec sh "$(dirname "$0")/install-npm.sh"
