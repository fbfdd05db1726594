# T061: hostile and broken mail: not a mail, a bad mbox, broken MIME, a
# wrong charset label, a maildir with things that are not mail, a 200 MB
# attachment (bounded memory), 10,000 parts, a 1 MB header line. Each gets a
# message naming the file (or mbox line) and the reason; good mail around
# it is imported; nothing crashes.
. "$TOP/tests/cli/lib.sh"
D="$TOP/tests/data/mail"

# not a mail at all: one line, exit 65
expect_exit 65 "$PMKB" import "$D/not-mail.eml"
contains "$T/err" "pmkb: cannot read '$D/not-mail.eml': not a mail message"
grep -v '^warning:' "$T/err" >"$T/err1"; one_line "$T/err1"
expect_exit 65 "$PMKB" import "$D/bad.mbox"
contains "$T/err" "cannot read '$D/bad.mbox': not an mbox: line 1 is not a 'From ' line with a date"
expect_exit 66 "$PMKB" import "$T/missing.eml"

# broken boundaries and a wrong charset label: imported, text readable
expect_exit 0 "$PMKB" import "$D/broken-boundary.eml" "$D/no-boundary.eml" "$D/body-wrong-latin1.eml" "$D/body-wrong-utf8.eml"
"$PMKB" show --json body-wrong-latin1 >"$T/w.json" || fail "show body-wrong-latin1"
contains "$T/w.json" "person-e970d4，您好"   # 许先生, as a pseudonym
"$PMKB" show --json no-boundary >"$T/w.json" || fail "show no-boundary"
contains "$T/w.json" "没有分界"

# an mbox whose second message has no header: named by its line, the rest kept
{ cat "$D/box.mbox"; printf 'From nobody Mon Apr 25 15:42:39 2022\n\x01\x02 no header here\n\n'; \
  printf 'From liqi@example.com Mon Apr 25 15:50:00 2022\nFrom: Li Qi <liqi@example.com>\nSubject: [案例号: CAS-00004-M8O0X1] after\nMessage-ID: <after@pmkb.test>\n\nafter the bad one\n'; } >"$T/mixed.mbox"
"$PMKB" import "$T/mixed.mbox" >"$T/out" 2>"$T/err"
bad_line=$(( $(wc -l <"$D/box.mbox") + 1 ))
contains "$T/err" "cannot read '$T/mixed.mbox line $bad_line': not a mail message"
"$PMKB" show CAS-00004-M8O0X1 >"$T/show" || fail "the mail after a bad one was lost"

# a maildir with a folder, junk and server files besides the mail
M="$T/Maildir"
mkdir -p "$M/cur/subdir" "$M/new" "$M/tmp"
cp "$D/subject-gbk.eml" "$M/cur/1.host:2,S"
head -c 3000 /dev/urandom >"$M/new/2.junk"
printf 'dovecot uidlist\n' >"$M/dovecot-uidlist"
printf 'x' >"$M/cur/.hidden"
"$PMKB" import "$M" >"$T/out" 2>"$T/err"
contains "$T/err" "cannot read '$M/cur/subdir': not a regular file"
contains "$T/err" "cannot read '$M/new/2.junk'"
lacks "$T/err" "dovecot-uidlist"
"$PMKB" show CAS-06133-X9Z4Q7 >"$T/show" || fail "the good mail of the maildir was lost"

# a 200 MB attachment (sparse file): refused with a warning naming the
# message, the mail itself imported, memory stays small
B="$T/Big"
mkdir -p "$B/cur" "$B/new"
printf 'From: Li Qi <liqi@example.com>\nSubject: [案例号: CAS-00003-B1G0A1] big\nDate: Mon, 25 Apr 2022 15:42:32 +0000\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="B"\n\n--B\nContent-Type: text/plain; charset=utf-8\n\nsmall body\n--B\nContent-Type: text/plain; name="huge.log"\nContent-Disposition: attachment; filename="huge.log"\nContent-Transfer-Encoding: 8bit\n\n' >"$B/cur/1.big"
truncate -s +200M "$B/cur/1.big" || { echo "truncate cannot make a sparse file here"; exit 77; }
printf '\n--B--\n' >>"$B/cur/1.big"
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f '%M' -o "$T/rss" "$PMKB" import "$B" >"$T/out" 2>"$T/err" || fail "import of the 200 MB mail failed"
	rss=$(tail -n 1 "$T/rss")
	[ "$rss" -lt 150000 ] || fail "importing a 200 MB attachment used $rss KiB"
else
	"$PMKB" import "$B" >"$T/out" 2>"$T/err" || fail "import of the 200 MB mail failed"
fi
contains "$T/err" "warning: '$B/cur/1.big': part 'huge.log' (200 MiB encoded) larger than 32 MiB: not read"
"$PMKB" show --json CAS-00003-B1G0A1 >"$T/big.json" || fail "the 200 MB mail was not imported"
jq_eq "$T/big.json" '.messages[0].body' 'small body'
jq_eq "$T/big.json" '.attachments[0].filename' 'huge.log'
# the same mail as a bare .eml file: mail is read message by message, so the
# 64 MiB cap of text files does not apply to it
cp --sparse=always "$B/cur/1.big" "$T/big.eml"
PMKB_DB="$T/big-kb" expect_exit 0 "$PMKB" import "$T/big.eml"
contains "$T/out" "imported 1 cases, 1 messages"
contains "$T/err" "part 'huge.log' (200 MiB encoded) larger than 32 MiB: not read"

# 10,000 parts and a 1 MB subject line: bounded work, warnings
python3 - "$T/many.eml" "$T/long.eml" <<'PY' || fail "cannot write the hostile mails"
import sys
with open(sys.argv[1], 'w') as f:
    f.write('From: a@example.com\nSubject: [案例号: CAS-00005-P4R7S0] parts\nMIME-Version: 1.0\n'
            'Content-Type: multipart/mixed; boundary=B\n\n')
    for i in range(10000):
        f.write('--B\nContent-Type: text/plain\n\npart %d\n' % i)
    f.write('--B--\n')
with open(sys.argv[2], 'w') as f:
    f.write('From: a@example.com\nSubject: [案例号: CAS-00006-L0N6G1] ' + 'x' * (1 << 20) +
            '\nX-Long: ' + 'y' * (1 << 20) + '\n\nbody\n')
PY
expect_exit 0 "$PMKB" import "$T/many.eml" "$T/long.eml"
contains "$T/err" "'$T/many.eml': more than 1000 parts: the rest not read"
contains "$T/err" "'$T/long.eml': subject longer than 4096 bytes: cut"
"$PMKB" show CAS-00005-P4R7S0 >/dev/null || fail "the mail with 10,000 parts was not imported"
"$PMKB" show CAS-00006-L0N6G1 >/dev/null || fail "the mail with a 1 MB subject was not imported"
exit 0
