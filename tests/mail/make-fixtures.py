#!/usr/bin/env python3
"""make-fixtures.py OUTDIR - write the small hand-made mails the unit tests
(tests/unit/test-mail.c) read: folded, padded RFC 2047 subjects as Python's
email package writes them, bodies in UTF-8/GBK/GB2312/GB18030/Big5 with
base64, quoted-printable and 8bit, multipart/alternative, attachments,
quoted replies and broken MIME. The output is committed in tests/data/mail/;
run this again only to change the fixtures."""
import base64, os, quopri, sys
from email.header import Header

out = sys.argv[1]
os.makedirs(out, exist_ok=True)

SUBJECT = ('回复: 回复:【外来邮件，注意核实】回复: [案例号: CAS-06133-X9Z4Q7 ] % |P2|ICBC|'
           '软件开发中心政府版系统异常蓝屏问题 % 初次响应 CMIT:0001362')

def write(name, data):
    with open(os.path.join(out, name), 'wb') as f:
        f.write(data)

def head(subject_line, extra=b''):
    return (b'From: "Li Qi" <liqi@example.com>\n'
            b'To: support@example.com\n'
            b'Date: Mon, 25 Apr 2022 23:42:32 +0800\n'
            b'Message-ID: <fixture-1@pmkb.test>\n'
            b'Subject: ' + subject_line + b'\n' + extra +
            b'MIME-Version: 1.0\n')

def text_part(text, charset, cte):
    raw = text.encode(charset)
    if cte == 'base64':
        body = base64.encodebytes(raw)
    elif cte == 'quoted-printable':
        body = quopri.encodestring(raw)
    else:
        body = raw
    return (b'Content-Type: text/plain; charset="' + charset.encode() + b'"\n'
            b'Content-Transfer-Encoding: ' + cte.encode() + b'\n\n' + body)

# Long Chinese subjects folded into padded B words (GMime 3.2.13 issue 133)
for cs in ('utf-8', 'gbk', 'gb18030'):
    enc = Header(SUBJECT, cs).encode(maxlinelen=76).encode('ascii')
    write('subject-%s.eml' % cs, head(enc) + text_part('正文', 'utf-8', '8bit'))

# Unlabelled 8-bit GBK in the subject and the sender's name
write('subject-raw-gbk.eml',
      b'From: ' + '李琦'.encode('gbk') + b' <liqi@example.com>\n'
      b'Date: Tue, 26 Apr 2022 10:00:00 +0000\n'
      b'Subject: ' + '答复: [案例号:CAS-08433-X3V6G7] 蓝屏问题'.encode('gbk') + b'\n'
      b'MIME-Version: 1.0\n' + text_part('你好', 'gbk', '8bit'))

# Q words, two charsets, an encoded word next to plain text
write('subject-q-mixed.eml',
      head(b'=?gb2312?Q?=C0=B6=C6=C1?= analysis =?utf-8?B?5YiG5p6Q?= done') +
      text_part('x', 'utf-8', '8bit'))

BODY = '许先生，您好：\n该dump bugcheck为0xD1，vwifimf.sys 申请的内存。\n下一步动作：\n请更新驱动。\n'
write('body-gbk-base64.eml', head(b'gbk base64') + text_part(BODY, 'gbk', 'base64'))
write('body-gb2312-qp.eml', head(b'gb2312 qp') + text_part(BODY, 'gb2312', 'quoted-printable'))
write('body-gb18030-8bit.eml',
      head(b'gb18030 8bit') + text_part(BODY + '罕见字：\U00020000\n', 'gb18030', '8bit'))
write('body-big5.eml',
      head(b'big5') + text_part('藍屏問題分析：驅動程式記憶體損壞。\n', 'big5', '8bit'))
# declared Latin-1, bytes are GBK; declared UTF-8, bytes are GBK
write('body-wrong-latin1.eml',
      head(b'wrong charset') + text_part(BODY, 'gbk', '8bit').replace(b'charset="gbk"', b'charset="iso-8859-1"'))
write('body-wrong-utf8.eml',
      head(b'wrong charset') + text_part(BODY, 'gbk', 'base64').replace(b'charset="gbk"', b'charset="utf-8"'))

# multipart/alternative: the plain part wins; HTML only: rendered
html = ('<html><head><style>p{color:red}</style><script>alert(1)</script></head>'
        '<body><p>蓝屏&nbsp;分析</p><div>第二行&lt;ok&gt;</div>第三行<br>第四行 &#x4E2D;&#25991;</body></html>')
alt = (b'Content-Type: multipart/alternative; boundary="ALT"\n\n'
       b'--ALT\n' + text_part('PLAIN 纯文本', 'utf-8', 'base64') + b'\n'
       b'--ALT\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n' +
       html.encode() + b'\n--ALT--\n')
write('alternative.eml', head(b'alt') + alt)
htmlonly = (b'Content-Type: multipart/alternative; boundary="ALT"\n\n'
            b'--ALT\nContent-Type: text/html; charset=gbk\nContent-Transfer-Encoding: quoted-printable\n\n' +
            quopri.encodestring(html.encode('gbk')) + b'\n--ALT--\n')
write('html-only.eml', head(b'html') + htmlonly)

# body + WinDbg .txt attachment (GBK) + a dump + an image
windbg = ('0: kd> !analyze -v\nDRIVER_IRQL_NOT_LESS_OR_EQUAL (d1)\nArguments:\n'
          'Arg1: 0000000000000000, memory referenced\n附件分析\n')
mixed = (b'Content-Type: multipart/mixed; boundary="MIX"\n\n'
         b'--MIX\n' + text_part('见附件。', 'utf-8', '8bit') + b'\n'
         b'--MIX\nContent-Type: text/plain; charset=gbk; name="windbg.txt"\n'
         b'Content-Disposition: attachment; filename="windbg.txt"\n'
         b'Content-Transfer-Encoding: base64\n\n' + base64.encodebytes(windbg.encode('gbk')) +
         b'--MIX\nContent-Type: application/octet-stream; name="MEMORY.DMP"\n'
         b'Content-Disposition: attachment; filename="MEMORY.DMP"\n'
         b'Content-Transfer-Encoding: base64\n\n' + base64.encodebytes(b'PAGEDU64' + bytes(120)) +
         b'--MIX\nContent-Type: image/png; name="shot.png"\n'
         b'Content-Disposition: attachment; filename="shot.png"\n'
         b'Content-Transfer-Encoding: base64\n\n' + base64.encodebytes(b'\x89PNG\r\n\x1a\n' + bytes(40)) +
         b'--MIX--\n')
write('attachments.eml', head(b'attachments') + mixed)

# a reply that quotes earlier mails three ways
reply = ('新的回复正文。\n下一步动作：\n升级驱动。\n\n'
         '-----原始邮件-----\n发件人: Li Qi\n发送时间: 2022年4月25日 15:42\n主题: 旧邮件\n\n'
         '0: kd> !analyze -v\n旧的分析\n')
write('quoted-original.eml', head(b'quoted') + text_part(reply, 'utf-8', 'quoted-printable'))
outlook = ('Thanks, see below.\n\n________________________________\n'
           'From: Li Qi <liqi@example.com>\nSent: Monday, April 25, 2022 3:42 PM\n'
           'To: support\nSubject: RE: old\n\nold analysis text\n')
write('quoted-outlook.eml', head(b'outlook') + text_part(outlook, 'utf-8', '8bit'))
gt = 'Agreed.\n\nOn Mon, Apr 25, 2022 at 3:42 PM Li Qi wrote:\n> old line 1\n>\n> old line 2\n'
write('quoted-gt.eml', head(b'gt') + text_part(gt, 'utf-8', '8bit'))

# broken MIME: a boundary that never comes, a multipart without boundary
write('broken-boundary.eml', head(b'broken') +
      b'Content-Type: multipart/mixed; boundary="NEVER"\n\n--OTHER\n' +
      text_part('残缺的正文', 'utf-8', '8bit'))
write('no-boundary.eml', head(b'no boundary') +
      b'Content-Type: multipart/mixed\n\n' + '没有分界'.encode() + b'\n')
write('not-mail.eml', b'\x00\x01\x02 just some bytes\n\nand more\n')

# mbox: a "From " line in a body (no date: not a separator), a >From line
def mboxmsg(n, body):
    return (b'From liqi@example.com Mon Apr 25 15:42:3%d 2022\n' % n +
            b'From: Li Qi <liqi@example.com>\nDate: Mon, 25 Apr 2022 15:42:3%d +0000\n' % n +
            b'Message-ID: <mbox-%d@pmkb.test>\nSubject: mbox %d\n\n' % (n, n) + body + b'\n')
write('box.mbox', mboxmsg(1, b'first\n\nFrom here on it is body text\n>From escaped\n') +
      mboxmsg(2, b'second') + mboxmsg(3, b'third'))
write('bad.mbox', b'Hello, this is not an mbox\n' + mboxmsg(1, b'x'))
