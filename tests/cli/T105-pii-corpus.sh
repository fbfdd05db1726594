# T105: a corpus of personal data (synthetic), in every encoding a source
# comes in, never reaches storage or the index: phone numbers in sender
# lines and From: display names, +86 without a blank, full-width mobile
# and ID numbers, an ID number in an attachment's file name, a phone
# number as the file name (the case id), e-mail addresses, and names in
# sender fields, greetings and signatures (a stable pseudonym each).
. "$TOP/tests/cli/lib.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 is not installed"
command -v iconv >/dev/null || fail "iconv is not installed"
mkdir "$T/src"
# the thread (export format), with every kind of datum
cat >"$T/thread.txt" <<'TXT'
邮件主题：RE: [案例号: CAS-07001-P1I2I3] 客户张伟 13812340011 蓝屏

====第1封邮件====

发件人：张伟 13812340012
发送时间：2023-03-01 10:00:00.000000+00:00
邮件内容:
李先生，您好：
请联系我 +8613812340013 或 １３８１２３４００１４，身份证 １１０１０５１９９００１０１１２３２。
邮箱 zhang.wei@example-corp.com.cn
谢谢
张伟

====第2封邮件====

发件人：Wang Fang
发送时间：2023-03-02 10:00:00.000000+00:00
邮件内容:
Dear Zhang Wei,
Please call 0086 13812340015.
Best regards,
Wang Fang
TXT
# one thread per encoding, under distinct case numbers
n=0
for enc in UTF-8 GB18030 UTF-16; do
	n=$((n + 1))
	sed "s/CAS-07001-P1I2I3/CAS-0700$n-P1I2I3/" "$T/thread.txt" >"$T/t.utf8"
	if [ $enc = UTF-16 ]; then
		iconv -f UTF-8 -t UTF-16 "$T/t.utf8" >"$T/src/thread-$enc.txt"   # with a BOM
	else
		iconv -f UTF-8 -t $enc "$T/t.utf8" >"$T/src/thread-$enc.txt"
	fi
done
# mail: a display name with a phone, an attachment named with an ID number,
# the body in GB18030 (base64)
body=$(printf '王芳 13812340016 写道：\n请回复 wangfang@example.org\n谢谢\n王芳\n' | iconv -f UTF-8 -t GB18030 | base64 -w 76)
fname=$(printf '身份证_110105199001011232.jpg')
cat >"$T/src/mail.eml" <<EML
From: =?UTF-8?B?$(printf '王芳 13812340017' | base64 -w 0)?= <wangfang@example.org>
To: support@example.com
Date: Thu, 02 Mar 2023 10:00:00 +0800
Message-ID: <pii-1@pmkb.test>
Subject: [案例号: CAS-07009-P1I2I3] 蓝屏
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="MIX"

--MIX
Content-Type: text/plain; charset=gb18030
Content-Transfer-Encoding: base64

$body
--MIX
Content-Type: image/jpeg; name="$fname"
Content-Disposition: attachment; filename*=UTF-8''$(printf '%s' "$fname" | od -An -tx1 | tr ' ' '%' | tr -d '\n' | sed 's/%$//; s/%\([0-9a-f][0-9a-f]\)/%\1/g')
Content-Transfer-Encoding: base64

/9j/4AAQ
--MIX--
EML
# a paste saved under a phone number
printf 'text of a customer\ncall me\n' >"$T/src/13812340018.txt"

expect_exit 0 "$PMKB" import "$T/src"
cp "$T/out" "$T/import.out"
# everything stored, as text
sqlite3 "$PMKB_DB/kb.sqlite" .dump >"$T/dump.sql"
for secret in 13812340011 13812340012 13812340013 13812340014 138123400 13812340015 \
	13812340016 13812340017 13812340018 110105199001011232 zhang.wei@example-corp.com.cn \
	wangfang@example.org 张伟 王芳 "Wang Fang" "Zhang Wei" 李先生 \
	'１３８１２３４００１４' '１１０１０５１９９００１０１１２３２'; do
	lacks "$T/dump.sql" "$secret"
done
contains "$T/dump.sql" "[redacted:phone]"
contains "$T/dump.sql" "[redacted:id-number]"
contains "$T/dump.sql" "[redacted:email]"
# every encoding gave the same thread: same pseudonyms, same bodies
for i in 1 2 3; do
	expect_exit 0 "$PMKB" show --json "CAS-0700$i-P1I2I3"
	jq -S '[.messages[] | {sender, body}]' "$T/out" >"$T/b$i"
done
cmp -s "$T/b1" "$T/b2" || fail "GB18030 thread stored otherwise than UTF-8"
cmp -s "$T/b1" "$T/b3" || fail "UTF-16 thread stored otherwise than UTF-8"
# a pseudonym is stable: the sender of message 1 and the signature name
jq -r '.[0].sender' "$T/b1" | grep -qx 'person-[0-9a-f]\{6\}' || fail "sender not a pseudonym"
s1=$(jq -r '.[0].sender' "$T/b1")
jq -r '.[0].body' "$T/b1" | grep -qx "$s1" || fail "the signature name is not the sender's pseudonym"
jq -r '.[1].body' "$T/b1" | grep -q '^Dear person-[0-9a-f]\{6\},' || fail "the greeting's name is not a pseudonym"
s2=$(jq -r '.[1].sender' "$T/b1")
jq -r '.[1].body' "$T/b1" | grep -qx "$s2" || fail "the second signature is not the second sender's pseudonym"
# the index does not know them either
for secret in 13812340013 13812340016 张伟 zhang.wei wangfang; do
	"$PMKB" search "$secret" >"$T/s" 2>&1
	[ $? -eq 1 ] || fail "search $secret found something: $(cat "$T/s")"
done
# the phone-number file name is not the case id
expect_exit 0 sqlite3 "$PMKB_DB/kb.sqlite" "SELECT id FROM cases WHERE source LIKE '%/[redacted:phone].txt'"
grep -qx 'case-[0-9a-f]\{8\}' "$T/out" || fail "case id of the phone-number stem: $(cat "$T/out")"
# the attachment record is kept, its name redacted
expect_exit 0 "$PMKB" show --json CAS-07009-P1I2I3
jq -r '.attachments[0].filename' "$T/out" | grep -q '^身份证_\[redacted:id-number\]\.jpg$' ||
	fail "attachment name: $(jq -r '.attachments[0].filename' "$T/out")"
