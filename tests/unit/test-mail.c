/* test-mail.c - the mail reader (import/mail.c) on the mails of
 * tests/data/mail/ (made by tests/mail/make-fixtures.py) and on hostile
 * input built here: headers, charsets, transfer encodings, MIME structure,
 * attachments, quote cutting, mbox splitting. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <gmime/gmime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../import/mail-reader.h"
#include "../../util/charset.h"
#include "../../util/util.h"

#define SUBJECT "回复: 回复:【外来邮件，注意核实】回复: [案例号: CAS-06133-X9Z4Q7 ] % |P2|ICBC|" \
	"软件开发中心政府版系统异常蓝屏问题 % 初次响应 CMIT:0001362"

static void parse_file(const char *name, mail_msg *m)
{
	char *path = xasprintf("tests/data/mail/%s", name);
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	char err[256] = "";
	int r = mail_parse_fd(fd, 0, -1, m, err, sizeof err);
	if (r)
		fprintf(stderr, "%s: %s\n", path, err);
	assert_int_equal(r, 0);
	close(fd);
	free(path);
}

static void check_subject(const char *file)
{
	mail_msg m;
	parse_file(file, &m);
	assert_string_equal(m.subject, SUBJECT);
	assert_string_equal(m.sender, "Li Qi");
	assert_string_equal(m.address, "liqi@example.com");
	assert_string_equal(m.date, "2022-04-25 15:42:32");
	assert_string_equal(m.message_id, "fixture-1@pmkb.test");
	mail_msg_clear(&m);
}

/* GMime 3.2.13 cuts these subjects short (gmime issue 133); ours does not. */
static void test_folded_padded_subjects(void **state)
{
	(void)state;
	check_subject("subject-utf-8.eml");
	check_subject("subject-gbk.eml");
	check_subject("subject-gb18030.eml");
}

static void test_raw_gbk_and_q_words(void **state)
{
	(void)state;
	mail_msg m;
	parse_file("subject-raw-gbk.eml", &m);
	assert_string_equal(m.subject, "答复: [案例号:CAS-08433-X3V6G7] 蓝屏问题");
	assert_string_equal(m.sender, "李琦");
	assert_string_equal(m.body, "你好");
	mail_msg_clear(&m);
	parse_file("subject-q-mixed.eml", &m);
	assert_string_equal(m.subject, "蓝屏 analysis 分析 done");
	mail_msg_clear(&m);
	/* a word split inside a character: the bytes are joined first */
	const char *h = "=?utf-8?B?5Zue?= =?utf-8?B?5aSN?=";
	char *d = mail_decode_header(h, strlen(h));
	assert_string_equal(d, "回复");
	free(d);
	const char *h2 = "=?utf-8?B?5b?=\r\n =?utf-8?B?mV?= plain";
	d = mail_decode_header(h2, strlen(h2));
	free(d); /* garbage in, no crash */
	const char *h3 = "=?bogus-charset?Q?abc?= =?utf-8?X?abc?= =?";
	d = mail_decode_header(h3, strlen(h3));
	assert_non_null(strstr(d, "abc"));
	free(d);
}

#define BODY "许先生，您好：\n该dump bugcheck为0xD1，vwifimf.sys 申请的内存。\n下一步动作：\n请更新驱动。\n"

static void test_body_charsets(void **state)
{
	(void)state;
	static const char *const files[] = {"body-gbk-base64.eml", "body-gb2312-qp.eml",
		"body-wrong-latin1.eml", "body-wrong-utf8.eml"};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(files); i++) {
		mail_msg m;
		parse_file(files[i], &m);
		assert_string_equal(m.body, BODY);
		mail_msg_clear(&m);
	}
	mail_msg m;
	parse_file("body-gb18030-8bit.eml", &m);
	assert_string_equal(m.body, BODY "罕见字：\xF0\xA0\x80\x80\n");
	mail_msg_clear(&m);
	parse_file("body-big5.eml", &m);
	assert_string_equal(m.body, "藍屏問題分析：驅動程式記憶體損壞。\n");
	mail_msg_clear(&m);
}

static void test_alternative_and_html(void **state)
{
	(void)state;
	mail_msg m;
	parse_file("alternative.eml", &m);
	assert_string_equal(m.body, "PLAIN 纯文本");
	mail_msg_clear(&m);
	parse_file("html-only.eml", &m);
	assert_non_null(strstr(m.body, "蓝屏 分析"));
	assert_non_null(strstr(m.body, "第二行<ok>"));
	assert_non_null(strstr(m.body, "第三行\n第四行 中文"));
	assert_null(strstr(m.body, "alert"));
	assert_null(strstr(m.body, "color"));
	mail_msg_clear(&m);
}

static void test_attachments(void **state)
{
	(void)state;
	mail_msg m;
	parse_file("attachments.eml", &m);
	assert_string_equal(m.body, "见附件。");
	assert_non_null(m.attached_text);
	assert_non_null(strstr(m.attached_text, "[attachment: windbg.txt]\n0: kd> !analyze -v"));
	assert_non_null(strstr(m.attached_text, "附件分析"));
	assert_int_equal(m.natts, 2);
	assert_string_equal(m.atts[0].filename, "MEMORY.DMP");
	assert_non_null(m.atts[0].data);
	assert_int_equal(m.atts[0].len, 128);
	assert_memory_equal(m.atts[0].data, "PAGEDU64", 8);
	assert_string_equal(m.atts[1].filename, "shot.png");
	assert_string_equal(m.atts[1].content_type, "image/png");
	assert_null(m.atts[1].data);
	mail_msg_clear(&m);
}

static void check_cut(const char *file, const char *want)
{
	mail_msg m;
	parse_file(file, &m);
	char *c = mail_cut_quotes(m.body);
	assert_string_equal(c, want);
	free(c);
	mail_msg_clear(&m);
}

static void test_quotes(void **state)
{
	(void)state;
	check_cut("quoted-original.eml", "新的回复正文。\n下一步动作：\n升级驱动。");
	check_cut("quoted-outlook.eml", "Thanks, see below.");
	check_cut("quoted-gt.eml", "Agreed.");
	char *c = mail_cut_quotes("正文\n发件人： 张三\n收件人： 李四\n发送时间： 2022-01-01\n主题： 旧\n旧内容");
	assert_string_equal(c, "正文");
	free(c);
	/* a WinDbg prompt and "From:" prose are not quotes */
	const char *keep = "0: kd> kc\n # Call Site\nFrom: the vendor we learned this\nend";
	c = mail_cut_quotes(keep);
	assert_string_equal(c, keep);
	free(c);
	c = mail_cut_quotes("");
	assert_string_equal(c, "");
	free(c);
}

static void test_broken_mime(void **state)
{
	(void)state;
	mail_msg m;
	parse_file("broken-boundary.eml", &m);
	assert_string_equal(m.subject, "broken");
	mail_msg_clear(&m);
	parse_file("no-boundary.eml", &m);
	assert_non_null(strstr(m.body, "没有分界"));
	mail_msg_clear(&m);
	char *path = "tests/data/mail/not-mail.eml";
	int fd = open(path, O_RDONLY);
	char err[256];
	assert_int_equal(mail_parse_fd(fd, 0, -1, &m, err, sizeof err), -1);
	assert_non_null(strstr(err, "not a mail message"));
	close(fd);
	assert_int_equal(mail_parse_mem("", 0, &m, err, sizeof err), -1);
}

static void test_mbox(void **state)
{
	(void)state;
	char *buf;
	size_t len;
	char err[256];
	pm_status ex;
	assert_int_equal(read_file_bounded("tests/data/mail/box.mbox", 1 << 20, &buf, &len, err,
					   sizeof err, &ex), 0);
	mbox_span *s;
	size_t n;
	assert_int_equal(mbox_split(buf, len, &s, &n, err, sizeof err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(s[0].line, 1);
	mail_msg m;
	assert_int_equal(mail_parse_mem(buf + s[0].start, (size_t)(s[0].end - s[0].start), &m, err,
					sizeof err), 0);
	assert_string_equal(m.subject, "mbox 1");
	assert_non_null(strstr(m.body, "From here on it is body text"));
	mbox_unescape(m.body);
	assert_non_null(strstr(m.body, "\nFrom escaped"));
	char esc[] = ">From a\n>>From b\nx>From c\n>Fro";
	mbox_unescape(esc);
	assert_string_equal(esc, "From a\n>From b\nx>From c\n>Fro");
	mail_msg_clear(&m);
	assert_int_equal(mail_parse_mem(buf + s[2].start, (size_t)(s[2].end - s[2].start), &m, err,
					sizeof err), 0);
	assert_string_equal(m.message_id, "mbox-3@pmkb.test");
	mail_msg_clear(&m);
	free(s);
	free(buf);
	assert_int_equal(read_file_bounded("tests/data/mail/bad.mbox", 1 << 20, &buf, &len, err,
					   sizeof err, &ex), 0);
	assert_int_equal(mbox_split(buf, len, &s, &n, err, sizeof err), -1);
	assert_string_equal(err, "not an mbox: line 1 is not a 'From ' line with a date");
	free(buf);
}

/* mbox_split_fd reads a file in 64 KiB blocks and must split it exactly
 * as mbox_split splits it in memory: separators straddling a block end,
 * CRLF line ends, a separator without the blank line before it, a "From "
 * line in a body that is not a separator, a last line without '\n'. */
static void split_both(const char *text, size_t len)
{
	char path[] = "/tmp/pmkb-test-mbox-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	unlink(path);
	mbox_span *a, *b;
	size_t na, nb;
	char err[256], err2[256];
	int ra = mbox_split(text, len, &a, &na, err, sizeof err);
	int rb = mbox_split_fd(fd, &b, &nb, err2, sizeof err2);
	close(fd);
	assert_int_equal(ra, rb);
	if (ra < 0) {
		assert_string_equal(err, err2);
		return;
	}
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++) {
		assert_int_equal(a[i].start, b[i].start);
		assert_int_equal(a[i].end, b[i].end);
		assert_int_equal(a[i].line, b[i].line);
	}
	free(a);
	free(b);
}

static void test_mbox_fd(void **state)
{
	(void)state;
	char *buf;
	size_t len;
	char err[256];
	pm_status ex;
	assert_int_equal(read_file_bounded("tests/data/mail/box.mbox", 1 << 20, &buf, &len, err,
					   sizeof err, &ex), 0);
	split_both(buf, len);
	free(buf);
	assert_int_equal(read_file_bounded("tests/data/mail/bad.mbox", 1 << 20, &buf, &len, err,
					   sizeof err, &ex), 0);
	split_both(buf, len);
	free(buf);
	sbuf sb = {0};
	for (int k = 0; k < 40; k++) {
		const char *eol = k % 2 ? "\r\n" : "\n";
		sb_addf(&sb, "From sender%d@pmkb.test Mon Jan  1 00:00:%02d 2024%s", k, k, eol);
		sb_addf(&sb, "Subject: m%d%sMessage-ID: <m%d@pmkb.test>%s%s", k, eol, k, eol, eol);
		/* bodies of varied length, so separators fall on and around
		 * the 64 KiB block ends */
		for (int j = 0; j < 700 + 37 * k; j++)
			sb_addf(&sb, "line %d of message %d%s", j, k, eol);
		sb_addf(&sb, "From here on it is body text%s", eol);
		if (k % 3)
			sb_adds(&sb, eol); /* the blank line, or none */
	}
	sb_adds(&sb, "last line without a newline");
	split_both(sb_str(&sb), sb.len);
	mbox_span *s;
	size_t n;
	assert_int_equal(mbox_split(sb_str(&sb), sb.len, &s, &n, err, sizeof err), 0);
	assert_int_equal(n, 40);
	free(s);
	sb_free(&sb);
	split_both("", 0);
	split_both("From x Mon Jan  1 00:00:00 2024", 31);
	split_both("not mail\nFrom x Mon Jan  1 00:00:00 2024\n", 41);
}

/* 10,000 parts, a 1 MB header line, 200 levels of nesting, a part over
 * the size bound: bounded work, warnings, no crash. */
static void test_hostile(void **state)
{
	(void)state;
	sbuf sb = {0};
	sb_adds(&sb, "From: a@b\nSubject: many\nContent-Type: multipart/mixed; boundary=B\n\n");
	for (int i = 0; i < 10000; i++)
		sb_addf(&sb, "--B\nContent-Type: text/plain\n\npart %d\n", i);
	sb_adds(&sb, "--B--\n");
	mail_msg m;
	char err[256];
	assert_int_equal(mail_parse_mem(sb.buf, sb.len, &m, err, sizeof err), 0);
	assert_non_null(m.warnings);
	assert_non_null(strstr(m.warnings, "more than 1000 parts"));
	assert_non_null(strstr(m.body, "part 999"));
	assert_null(strstr(m.body, "part 1000\n"));
	mail_msg_clear(&m);

	sb_reset(&sb);
	sb_adds(&sb, "From: a@b\nSubject: ");
	for (int i = 0; i < (1 << 20) / 8; i++)
		sb_adds(&sb, "CAS-1 x ");
	sb_adds(&sb, "\n\nbody\n");
	assert_int_equal(mail_parse_mem(sb.buf, sb.len, &m, err, sizeof err), 0);
	assert_true(strlen(m.subject) <= MAIL_MAX_SUBJECT);
	assert_non_null(strstr(m.warnings, "subject longer than"));
	mail_msg_clear(&m);

	sb_reset(&sb);
	sb_adds(&sb, "From: a@b\nSubject: deep\n");
	for (int i = 0; i < 200; i++)
		sb_addf(&sb, "Content-Type: multipart/mixed; boundary=L%d\n\n--L%d\n", i, i);
	sb_adds(&sb, "Content-Type: text/plain\n\nbottom\n");
	assert_int_equal(mail_parse_mem(sb.buf, sb.len, &m, err, sizeof err), 0);
	mail_msg_clear(&m);

	/* a part just over the bound: refused and recorded, the body kept */
	sb_reset(&sb);
	sb_adds(&sb, "From: a@b\nSubject: big\nContent-Type: multipart/mixed; boundary=B\n\n"
		     "--B\nContent-Type: text/plain\n\nsmall body\n--B\nContent-Type: text/plain\n"
		     "Content-Disposition: attachment; filename=\"huge.log\"\n\n");
	size_t at = sb.len;
	XGROW(sb.buf, sb.cap, at + MAIL_PART_MAX + 200);
	memset(sb.buf + at, 'x', MAIL_PART_MAX + 100);
	sb.len = at + MAIL_PART_MAX + 100;
	sb_adds(&sb, "\n--B--\n");
	assert_int_equal(mail_parse_mem(sb.buf, sb.len, &m, err, sizeof err), 0);
	assert_string_equal(m.body, "small body");
	assert_non_null(strstr(m.warnings, "part 'huge.log'"));
	assert_int_equal(m.natts, 1);
	assert_true(m.atts[0].refused);
	mail_msg_clear(&m);
	sb_free(&sb);
}

static void test_html_edges(void **state)
{
	(void)state;
	const char *cases[] = {"<", "<script>", "&", "&#;", "&#x110000;", "<!--", "a<b", "<style",
			       "&#0;", "<p", "</"};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(cases); i++) {
		char *t = mail_html_to_text(cases[i], strlen(cases[i]));
		assert_non_null(t);
		free(t);
	}
}

/* util/charset.c: labels mailers really write, and labels that lie */
static void check_cs(const char *bytes, const char *label, const char *want, const char *used_want)
{
	const char *used = NULL;
	char *u = charset_to_utf8(bytes, strlen(bytes), label, NULL, &used);
	assert_string_equal(u, want);
	if (used_want)
		assert_string_equal(used, used_want);
	free(u);
}

static void test_charset_labels(void **state)
{
	(void)state;
	const char *big5 = "\xC2\xC5\xAB\xCC"; /* 藍屏 */
	check_cs(big5, "big5", "藍屏", "big5");
	check_cs(big5, "big5_tw", "藍屏", "big5");
	check_cs(big5, "x-big5", "藍屏", "big5");
	check_cs(big5, "CP950", "藍屏", "big5");
	const char *gbk = "\xC0\xB6\xC6\xC1\xCE\xCA\xCC\xE2"; /* 蓝屏问题 */
	check_cs(gbk, "gb2312", "蓝屏问题", "gb18030");
	check_cs(gbk, "iso-8859-1", "蓝屏问题", "gb18030");   /* a lying label */
	check_cs(gbk, "windows-1252", "蓝屏问题", "gb18030");
	check_cs(gbk, "x-unknown-charset", "蓝屏问题", "gb18030");
	check_cs(gbk, NULL, "蓝屏问题", "gb18030");
	check_cs(gbk, "utf-8", "蓝屏问题", "gb18030");        /* not UTF-8 at all */
	check_cs("caf\xE9" " cr\xE8" "me", "iso-8859-1", "café crème", NULL); /* really Latin-1 */
	check_cs("蓝屏", "gbk", "蓝屏", "utf-8");              /* UTF-8 under a GB label */
	check_cs("\xEF\xBB\xBF" "bom", NULL, "bom", "utf-8");
	const char *gb4 = "\x95\x32\x82\x36"; /* U+20000, four bytes in GB18030 */
	check_cs(gb4, "gb18030", "\xF0\xA0\x80\x80", "gb18030");
	char *u = charset_to_utf8("a\0b", 3, NULL, NULL, NULL);
	assert_string_equal(u, "a\xEF\xBF\xBD" "b");
	free(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_folded_padded_subjects),
		cmocka_unit_test(test_raw_gbk_and_q_words),
		cmocka_unit_test(test_body_charsets),
		cmocka_unit_test(test_alternative_and_html),
		cmocka_unit_test(test_attachments),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_broken_mime),
		cmocka_unit_test(test_mbox),
		cmocka_unit_test(test_mbox_fd),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_html_edges),
		cmocka_unit_test(test_charset_labels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
