/* test-mail-quote.c - subject prefixes and message boundaries
 * (import/mail-quote.c) on tables of what real mail clients write: Outlook
 * and Foxmail in English and Chinese, Gmail, Thunderbird, and the export
 * format's block markers; plus the reply subject the SMTP writer makes
 * from them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../import/mail-quote.h"
#include "../../import/smtp.h"
#include "../../util/util.h"

static size_t prefix_of(const char *s, int *kind)
{
	return mq_prefix(s, s + strlen(s), kind);
}

static void test_prefixes(void **state)
{
	(void)state;
	static const struct {
		const char *subject;
		size_t len; /* of the prefix, 0: none */
		int kind;
	} t[] = {
		{"Re: 蓝屏", 3, MQ_REPLY},
		{"RE: BSOD 0x133", 3, MQ_REPLY},
		{"re:x", 3, MQ_REPLY},
		{"Re：蓝屏", 5, MQ_REPLY},       /* full-width colon */
		{"RE：蓝屏", 5, MQ_REPLY},
		{"回复: 蓝屏", 7, MQ_REPLY},
		{"回复：蓝屏", 9, MQ_REPLY},
		{"答复: 蓝屏", 7, MQ_REPLY},
		{"答复：蓝屏", 9, MQ_REPLY},
		{"AW: Absturz", 3, MQ_REPLY},
		{"SV: krasch", 3, MQ_REPLY},
		{"Fwd: dump", 4, MQ_FORWARD},
		{"FWD：dump", 6, MQ_FORWARD},
		{"FW: dump", 3, MQ_FORWARD},
		{"Fw：dump", 5, MQ_FORWARD},
		{"转发: 蓝屏", 7, MQ_FORWARD},
		{"转发：蓝屏", 9, MQ_FORWARD},
		/* not prefixes */
		{"Re 蓝屏", 0, 0},
		{"Regarding: the dump", 0, 0},
		{"Report: 0x133", 0, 0},
		{" Re: leading space is the caller's", 0, 0},
		{"回复", 0, 0},
		{"Re:", 3, MQ_REPLY},
		{"", 0, 0},
	};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(t); i++) {
		int kind = 0;
		size_t n = prefix_of(t[i].subject, &kind);
		if (n != t[i].len)
			fail_msg("'%s': prefix %zu, want %zu", t[i].subject, n, t[i].len);
		if (n)
			assert_int_equal(kind, t[i].kind);
	}
	/* nested: each prefix in turn */
	const char *s = "RE: 回复：Fwd: 答复:蓝屏";
	const char *e = s + strlen(s);
	int kinds[4], k = 0;
	size_t n;
	while ((n = mq_prefix(s, e, &kinds[k])) != 0) {
		s += n;
		while (*s == ' ')
			s++;
		k++;
	}
	assert_int_equal(k, 4);
	assert_int_equal(kinds[2], MQ_FORWARD);
	assert_string_equal(s, "蓝屏");
}

static int boundary(const char *line)
{
	return mq_boundary(line, line + strlen(line));
}

static void test_boundaries(void **state)
{
	(void)state;
	static const struct {
		const char *line;
		int boundary;
	} t[] = {
		{"-----Original Message-----", 1},
		{"----- Original Message -----", 1},
		{"-----原始邮件-----", 1},
		{"------------------ 原始邮件 ------------------", 1},
		{"----- 转发的邮件 -----", 1},
		{"---------- Forwarded message ---------", 1},
		{"-----Original", 1},
		{"From: Zhang San [mailto:zs@example.com]", 1},
		{"From : Zhang San", 1},
		{"发件人: 张三", 1},
		{"发件人：张三 <zs@example.com>", 1},
		{"  发件人： 张三", 1},
		{"寄件者: 張三", 1},
		{"在 2023年3月1日 星期三 10:02，张三 写道：", 1},
		{"On Wed, Mar 1, 2023 at 10:02 AM Zhang San <zs@example.com> wrote:", 1},
		{"________________________________", 1},
		{"====第3封邮件====", 1},
		{"  ======第12封邮件======  ", 1},
		{"邮件主题：蓝屏问题", 1},
		/* not boundaries */
		{"--", 0},
		{"-----", 0},
		{"----- stack -----", 0},
		{"From the dump we see a pool corruption", 0},
		{"Sent: Wednesday, March 1, 2023 10:02 AM", 0}, /* inside a header block */
		{"0: kd> !analyze -v", 0},
		{"____", 0},
		{"___x_______", 0},
		{"====第封邮件====", 0},
		{"=第1封邮件=", 0},
		{"", 0},
	};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(t); i++)
		if (boundary(t[i].line) != t[i].boundary)
			fail_msg("'%s': boundary %d, want %d", t[i].line, !t[i].boundary, t[i].boundary);
	const char *l = "====第12封邮件====";
	assert_int_equal(mq_block_marker(l, l + strlen(l)), 12);
	l = "Sent: Wednesday, March 1, 2023 10:02 AM";
	assert_true(mq_sent_line(l, l + strlen(l), 0));
	l = "发送时间：2023年3月1日 10:02";
	assert_true(mq_sent_line(l, l + strlen(l), 0));
	l = "Date: 2025/9/5 下午 9:44:48"; /* a tool's output, unless under a From line */
	assert_false(mq_sent_line(l, l + strlen(l), 0));
	assert_true(mq_sent_line(l, l + strlen(l), 1));
	l = "主题: RE: 蓝屏";
	assert_true(mq_subject_line(l, l + strlen(l)));
	l = "Subject: RE: BSOD";
	assert_true(mq_subject_line(l, l + strlen(l)));
}

static void check_cut(const char *body, const char *want)
{
	char *c = mail_cut_quotes(body);
	assert_string_equal(c, want);
	free(c);
}

static void test_cut(void **state)
{
	(void)state;
	/* Chinese Outlook header block, the rule above it goes too */
	check_cut("请升级驱动。\n\n________________________________\n发件人: 张三\n发送时间: 2023年3月1日 10:02\n"
		  "收件人: 李四\n主题: 蓝屏\n\n旧内容",
		  "请升级驱动。");
	/* English Outlook */
	check_cut("See below.\nFrom: Zhang San\nSent: Wednesday, March 1, 2023\nTo: Li Si\nSubject: RE: BSOD\n\nold",
		  "See below.");
	/* Gmail / Thunderbird style header block: Date, not Sent */
	check_cut("ok\n---\nFrom: Zhang San <zs@example.com>\nDate: Wed, 1 Mar 2023 10:02\nSubject: BSOD\n\nold",
		  "ok\n---");
	check_cut("新的回复。\n-----Original Message-----\nold", "新的回复。");
	check_cut("好的。\n\n在 2023年3月1日 10:02，张三 写道：\n> 旧内容\n", "好的。");
	check_cut("Agreed.\n\nOn Wed, Mar 1, 2023 Zhang San wrote:\n\n> old\n> older", "Agreed.");
	/* an attribution not followed by a quote, and a From line without a
	 * header block, stay */
	check_cut("He wrote:\nthe driver is old", "He wrote:\nthe driver is old");
	check_cut("From: the vendor we learned this\nend", "From: the vendor we learned this\nend");
}

static void check_reply(const char *subject, const char *lang, const char *want)
{
	char *r = reply_subject(subject, lang);
	assert_string_equal(r, want);
	free(r);
}

static void test_reply_subject(void **state)
{
	(void)state;
	check_reply("蓝屏问题", "zh", "回复: 蓝屏问题");
	check_reply("BSOD", "en", "Re: BSOD");
	check_reply("Re: BSOD", "en", "Re: BSOD");
	check_reply("RE：BSOD", "en", "RE：BSOD");
	check_reply("答复：蓝屏", "zh", "答复：蓝屏");
	check_reply("  回复: 蓝屏", "zh", "回复: 蓝屏");
	/* a forward is answered as a reply to it */
	check_reply("Fwd: BSOD", "en", "Re: Fwd: BSOD");
	check_reply("转发: 蓝屏", "zh", "回复: 转发: 蓝屏");
	check_reply(NULL, "en", "Re: ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_boundaries),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_reply_subject),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
