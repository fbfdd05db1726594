#!/usr/bin/env python3
"""make-customer-mail.py - the customer mails of the reply test (T122).

usage: make-customer-mail.py OUTDIR ANALYSIS.txt X64.dmp ARM64.dmp

Writes OUTDIR/*.eml: a Chinese mail in GB18030 with a WinDbg analysis
inline (zh-inline.eml), an English one with a .dmp attached that a test
rule knows (en-dmp.eml), one with a dump nobody knows (unknown-dmp.eml),
one with no analysis (no-analysis.eml), one over 3 MiB (big.eml) and an
English one with the analysis inline (en-inline.eml). The senders are
invented addresses of example.org.
"""
import sys
from email.message import EmailMessage
from email.policy import SMTP

out, analysis, x64, arm64 = sys.argv[1:5]
text = open(analysis, encoding="utf-8").read()


def mail(name, sender, subject, mid, body, charset="utf-8", attach=None, refs=None):
    m = EmailMessage(policy=SMTP)
    m["From"] = sender
    m["To"] = "support@127.0.0.1"
    m["Subject"] = subject
    m["Message-ID"] = mid
    m["Date"] = "Mon, 02 Mar 2026 10:00:00 +0800"
    if refs:
        m["References"] = refs
        m["In-Reply-To"] = refs.split()[-1]
    m.set_content(body, charset=charset, cte="base64" if charset != "us-ascii" else "7bit")
    if attach:
        data = open(attach, "rb").read()
        m.add_attachment(data, maintype="application", subtype="octet-stream",
                         filename=attach.rsplit("/", 1)[-1])
    with open(f"{out}/{name}", "wb") as f:
        f.write(m.as_bytes())


mail("zh-inline.eml", "王先生 <wang.customer@example.org>", "电脑蓝屏，请帮忙分析",
     "<zh-inline-1@example.org>",
     "您好：\n我们的一台笔记本在无线网络下拷贝文件时蓝屏了，WinDbg 分析结果如下，请帮忙看看。\n\n" + text,
     charset="gb18030")
mail("en-dmp.eml", "Alex Customer <alex@example.org>", "Server crashed overnight",
     "<en-dmp-1@example.org>",
     "Hello support team,\n\nour server crashed overnight again; the minidump is attached.\n\nThanks\n",
     attach=x64, refs="<earlier-1@example.org>")
mail("unknown-dmp.eml", "Kim Customer <kim@example.org>", "Tablet crash",
     "<unknown-1@example.org>",
     "Hello,\n\nour ARM tablet crashed, the dump is attached. What should we do?\n",
     attach=arm64)
mail("no-analysis.eml", "Lee Customer <lee@example.org>", "Question about licences",
     "<no-analysis-1@example.org>",
     "Hello,\n\nhow many licences does our contract include for next year?\n")
mail("big.eml", "Pat Customer <pat@example.org>", "Huge log",
     "<big-1@example.org>",
     "Hello,\n\nthe whole event log is below.\n\n" + ("event log line with nothing in it\n" * 130000))
mail("en-inline.eml", "Sam Customer <sam@example.org>", "Laptop blue screen on Wi-Fi",
     "<en-inline-1@example.org>",
     "Hello support,\n\nanother laptop crashed while copying files over Wi-Fi. The analysis is below.\n\n" + text)
