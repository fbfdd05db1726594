#!/usr/bin/env python3
"""make-mail.py SEEDDIR OUTDIR - turn the seed threads (export format) into
real mail: OUTDIR/eml/<stem>-NN.eml (one file per message), OUTDIR/all.mbox
(every message, date order) and OUTDIR/maildir/{cur,new,tmp}.

The mails vary what a mail reader must handle: charsets (UTF-8, GBK,
GB18030; one extra thread in Big5), transfer encodings (base64,
quoted-printable, 8bit), long folded Chinese subjects (Python's email
package pads the encoded words: GMime 3.2.13 issue 133), display names in
RFC 2047, multipart/alternative with HTML (and HTML only for some short
mails), every reply quoting the mail before it (原始邮件 / Original Message /
Outlook header block / "> " quoting), a WinDbg analysis repeated in a .txt
attachment, and two extra threads: one whose only analysis is in a .log
attachment, one in Big5. Deterministic: the same input gives the same bytes.
"""
import base64, html, os, quopri, re, sys
from datetime import datetime, timezone, timedelta
from email.header import Header

seeddir, out = sys.argv[1], sys.argv[2]
CST = timezone(timedelta(hours=8))


def parse_export(text):
    lines = text.split('\n')
    subject = lines[0].split('：', 1)[1].strip()
    msgs, cur, body = [], None, None
    for line in lines[1:]:
        if re.match(r'^====第\d+封邮件====$', line):
            if cur is not None:
                cur['body'] = '\n'.join(body or []).strip('\n').rstrip()
                msgs.append(cur)
            cur, body = {'sender': None, 'sent': None}, None
            continue
        if cur is None:
            continue
        if body is None:
            m = re.match(r'^(发件人|发送时间|邮件内容)\s*[：:]\s*(.*)$', line)
            if m and m.group(1) == '发件人':
                cur['sender'] = m.group(2).strip()
            elif m and m.group(1) == '发送时间':
                cur['sent'] = m.group(2).strip()
            elif m and m.group(1) == '邮件内容':
                body = []
            continue
        body.append(line)
    if cur is not None:
        cur['body'] = '\n'.join(body or []).strip('\n').rstrip()
        msgs.append(cur)
    return subject, msgs


def when(sent):
    d = datetime.strptime(sent[:19], '%Y-%m-%d %H:%M:%S').replace(tzinfo=timezone.utc)
    return d


def rfc2822(d):
    # the mail carries the engineers' local time (+0800); pmkb stores UTC
    l = d.astimezone(CST)
    return l.strftime('%a, %d %b %Y %H:%M:%S +0800')


def addr_of(name):
    local = re.sub(r'[^a-z0-9]+', '.', name.lower()).strip('.') or 'support'
    return local + '@example.com'


def hdr(value, charset):
    try:
        value.encode('ascii')
        return value
    except UnicodeEncodeError:
        return Header(value, charset).encode(maxlinelen=76)


def encodable(text, cs):
    try:
        text.encode(cs)
        return True
    except UnicodeEncodeError:
        return False


def text_part(text, charset, cte, subtype='plain', extra=''):
    raw = text.encode(charset)
    if cte == 'base64':
        body = base64.encodebytes(raw).decode('ascii')
    elif cte == 'quoted-printable':
        body = quopri.encodestring(raw).decode('ascii')
    else:
        body = raw.decode(charset)  # 8bit: written in the charset below
    head = ('Content-Type: text/%s; charset="%s"%s\nContent-Transfer-Encoding: %s\n\n'
            % (subtype, charset, extra, cte))
    return head, body, (cte == '8bit')


def to_html(text):
    out = []
    for line in text.split('\n'):
        esc = html.escape(line).replace('  ', '&nbsp; ')
        out.append('<div>%s</div>' % (esc or '<br>'))
    return '<html><head><style>div{font-family:SimSun}</style></head><body>%s</body></html>' % ''.join(out)


def quote_block(i, prev, subject):
    pd = rfc2822(when(prev['sent'])) if prev.get('sent') else ''
    style = i % 4
    if style == 0:
        return ('-----原始邮件-----\n发件人: %s\n发送时间: %s\n收件人: support@example.com\n主题: %s\n\n%s'
                % (prev['sender'], pd, subject, prev['body']))
    if style == 1:
        return ('-----Original Message-----\nFrom: %s\nSent: %s\nTo: support@example.com\nSubject: %s\n\n%s'
                % (prev['sender'], pd, subject, prev['body']))
    if style == 2:
        return ('________________________________\n发件人: %s <%s>\n发送时间: %s\n收件人: support\n主题: %s\n\n%s'
                % (prev['sender'], addr_of(prev['sender']), pd, subject, prev['body']))
    return ('On %s, %s wrote:\n%s' % (pd, prev['sender'],
                                      '\n'.join('> ' + l for l in prev['body'].split('\n'))))


WINDBG_RE = re.compile(r'^\s*\d+: kd> ', re.M)


def windbg_block(body):
    """The first WinDbg command and its output in a body, or None."""
    m = WINDBG_RE.search(body)
    if not m:
        return None
    return body[m.start():]


class Writer:
    def __init__(self):
        self.all = []  # (date, bytes, name)

    def add(self, name, date, data):
        self.all.append((date, data, name))


def build_message(stem, idx, subject, m, prev, irt, refs, w, variant):
    charsets = ['utf-8', 'gbk', 'gb18030']
    ctes = ['base64', 'quoted-printable', '8bit']
    cs = charsets[variant % 3]
    cte = ctes[(variant // 3) % 3]
    body = m['body']
    if prev is not None and prev['body']:
        body = body + '\n\n' + quote_block(variant, prev, subject)
    if not encodable(body, cs) or not encodable(subject, cs):
        cs = 'gb18030'
    subj = subject if idx == 0 else '回复: ' + subject
    d = when(m['sent'])
    mid = '<%s.%d@pmkb.test>' % (stem, idx + 1)
    if '@' in m['sender']:
        head = 'From: <%s>\n' % m['sender']  # the export shows a bare address
    else:
        head = 'From: %s <%s>\n' % (hdr(m['sender'], cs), addr_of(m['sender']))
    head += 'To: support@example.com\n'
    head += 'Subject: %s\n' % hdr(subj, cs)
    head += 'Date: %s\nMessage-ID: %s\n' % (rfc2822(d), mid)
    if irt:
        head += 'In-Reply-To: %s\nReferences: %s\n' % (irt, ' '.join(refs))
    head += 'MIME-Version: 1.0\n'
    parts = []  # (header, body, is8bit)
    short = len(m['body']) < 200 and not re.search('下一步|问题|建议|结论|总结|分析|kd>', m['body'])
    wb = windbg_block(m['body'])
    if short and m['body'] and variant % 2 == 0:
        # HTML only (no plain part): the reader renders it
        h, b, e8 = text_part(to_html(body), cs, cte, 'html')
        parts = [('alternative', [(h, b, e8)])]
    elif variant % 3 == 1:
        plain = text_part(body, cs, cte)
        htmlp = text_part(to_html(body), 'utf-8', 'base64', 'html')
        parts = [('alternative', [plain, htmlp])]
    else:
        parts = [('single', [text_part(body, cs, cte)])]
    if wb:
        # the analysis mail again as a .txt attachment: stored once
        att = text_part(m['body'], 'gb18030' if cs != 'utf-8' else 'utf-8', 'base64',
                        extra='; name="windbg-%d.txt"' % (idx + 1))
        att = (att[0].replace('\n\n', '\nContent-Disposition: attachment; filename="windbg-%d.txt"\n\n' % (idx + 1), 1),
               att[1], att[2])
        parts.append(('attach', [att]))
    return head, parts, cs, d, mid


def serialise(head, parts, cs):
    def enc(s, e8, charset):
        return s.encode(charset) if e8 else s.encode('ascii')
    out = head.encode('ascii')
    if len(parts) == 1 and parts[0][0] == 'single':
        h, b, e8 = parts[0][1][0]
        return out + h.encode('ascii') + enc(b, e8, cs)
    out += b'Content-Type: multipart/mixed; boundary="=MIX="\n\nThis is a multi-part message.\n'
    for kind, ps in parts:
        out += b'--=MIX=\n'
        if kind == 'alternative':
            out += b'Content-Type: multipart/alternative; boundary="=ALT="\n\n'
            for h, b, e8 in ps:
                charset = re.search(r'charset="([^"]+)"', h).group(1)
                out += b'--=ALT=\n' + h.encode('ascii') + enc(b, e8, charset) + b'\n'
            out += b'--=ALT=--\n'
        else:
            h, b, e8 = ps[0]
            charset = re.search(r'charset="([^"]+)"', h).group(1)
            out += h.encode('ascii') + enc(b, e8, charset) + b'\n'
    out += b'--=MIX=--\n'
    return out


def main():
    w = Writer()
    os.makedirs(os.path.join(out, 'eml'), exist_ok=True)
    variant = 0
    for name in sorted(os.listdir(seeddir)):
        if not name.endswith('.txt'):
            continue
        text = open(os.path.join(seeddir, name), encoding='utf-8').read()
        if not text.startswith('邮件主题'):
            continue  # plain texts are not mail threads
        stem = name[:-4]
        subject, msgs = parse_export(text)
        prev, refs = None, []
        for i, m in enumerate(msgs):
            irt = refs[-1] if refs else None
            head, parts, cs, d, mid = build_message(stem, i, subject, m, prev, irt, list(refs), w, variant)
            data = serialise(head, parts, cs)
            fname = '%s-%02d.eml' % (stem, i + 1)
            with open(os.path.join(out, 'eml', fname), 'wb') as f:
                f.write(data)
            w.add(fname, d, data)
            refs.append(mid)
            prev = m
            variant += 1
    extras(w)
    write_mbox(w)
    write_maildir(w)


def extras(w):
    # a Big5 thread (traditional Chinese customer)
    d = datetime(2023, 3, 1, 2, 0, 0, tzinfo=timezone.utc)
    body = '您好：\n客戶端電腦出現藍屏，已上傳記憶體傾印檔。\n下一步動作：\n請更新網路卡驅動程式。\n'
    subj = '[案例號: CAS-09001-B5T1W2] 藍屏問題'
    h, b, e8 = text_part(body, 'big5', '8bit')
    data = ('From: %s <tw@example.com>\nSubject: %s\nDate: %s\nMessage-ID: <big5.1@pmkb.test>\n'
            'MIME-Version: 1.0\n' % (Header('陳先生', 'big5').encode(), Header(subj, 'big5').encode(),
                                    rfc2822(d))).encode('ascii') + h.encode('ascii') + b.encode('big5')
    with open(os.path.join(out, 'eml', 'big5-01.eml'), 'wb') as f:
        f.write(data)
    w.add('big5-01.eml', d, data)
    # a thread whose only analysis is in a .log attachment (real WinDbg
    # text of seed 003, the forum paste)
    log = open(os.path.join(seeddir, '003_25707b60ca074d00.txt'), encoding='utf-8').read()
    wb = windbg_block(log) or ''
    d = datetime(2023, 3, 2, 2, 0, 0, tzinfo=timezone.utc)
    att = base64.encodebytes(wb.encode('gb18030')).decode('ascii')
    data = ('From: Li Qi <li.qi@example.com>\nSubject: =?utf-8?b?5YiG5p6Q6KeB6ZmE5Lu2?= CAS-09002-L0G1A2\n'
            'Date: %s\nMessage-ID: <log.1@pmkb.test>\nMIME-Version: 1.0\n'
            'Content-Type: multipart/mixed; boundary="B"\n\n--B\n'
            'Content-Type: text/plain; charset=utf-8\n\n分析见附件。\n--B\n'
            'Content-Type: application/octet-stream; name="kd-output.log"\n'
            'Content-Disposition: attachment; filename="kd-output.log"\n'
            'Content-Transfer-Encoding: base64\n\n%s--B--\n' % (rfc2822(d), att)).encode('utf-8')
    with open(os.path.join(out, 'eml', 'log-01.eml'), 'wb') as f:
        f.write(data)
    w.add('log-01.eml', d, data)


def write_mbox(w):
    with open(os.path.join(out, 'all.mbox'), 'wb') as f:
        for d, data, name in sorted(w.all, key=lambda x: (x[0], x[2])):
            f.write(b'From support@example.com ' + d.strftime('%a %b %d %H:%M:%S %Y').encode() + b'\n')
            # mboxrd: escape body lines that look like separators
            f.write(re.sub(rb'(?m)^(>*From )', rb'>\1', data))
            if not data.endswith(b'\n'):
                f.write(b'\n')
            f.write(b'\n')


def write_maildir(w):
    for sub in ('cur', 'new', 'tmp'):
        os.makedirs(os.path.join(out, 'maildir', sub), exist_ok=True)
    for n, (d, data, name) in enumerate(sorted(w.all, key=lambda x: (x[0], x[2]))):
        base = '%d.M%dP1.pmkb-test' % (int(d.timestamp()), n)
        path = os.path.join(out, 'maildir', 'new', base) if n % 5 == 4 else \
            os.path.join(out, 'maildir', 'cur', base + ':2,S')
        with open(path, 'wb') as f:
            f.write(data)


main()
