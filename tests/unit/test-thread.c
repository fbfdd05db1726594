/* test-thread.c - unit tests of import/thread.c on the seed threads in
 * tests/data/seeds/: case fields, messages, notes, status, and bad input
 * (empty, binary, truncated, wrongly encoded, huge, CRLF). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../import/readers.h"
#include "../../util/util.h"
#include "testdata.h"

#define SEED000 "tests/data/seeds/000_e3b3544fec26024b.txt"
#define SEED001 "tests/data/seeds/001_a48089f2710e0f3a.txt"
#define SEED002 "tests/data/seeds/002_413591d54dd1d178.txt"
#define SEED003 "tests/data/seeds/003_25707b60ca074d00.txt"
#define SEED004 "tests/data/seeds/004_f83e32c4bf43c7da.txt"


static pm_case *read_ok(const char *name, const char *buf, size_t len)
{
	pm_case *c = NULL;
	char err[256];
	int rc = thread_read(name, buf, len, &c, err, sizeof err);
	if (rc != 0)
		fail_msg("thread_read %s: %s", name, err);
	assert_non_null(c);
	return c;
}

static pm_case *read_seed(const char *path)
{
	size_t len;
	char *buf = test_load(path, &len);
	pm_case *c = read_ok(path, buf, len);
	free(buf);
	return c;
}

/* The first note of kind in message idx, or NULL. */
static const char *note(const pm_case *c, int idx, const char *kind)
{
	for (size_t i = 0; i < c->nnotes; i++)
		if (c->notes[i].message == idx && !strcmp(c->notes[i].kind, kind))
			return c->notes[i].text;
	return NULL;
}

static void test_seed000(void **state)
{
	(void)state;
	pm_case *c = read_seed(SEED000);
	assert_string_equal(c->id, "CAS-06133-X9Z4Q7");
	assert_string_equal(c->format, "thread");
	assert_string_equal(c->customer, "ICBC");
	assert_string_equal(c->priority, "P2");
	assert_string_equal(c->refs, "CMIT:0001362");
	assert_string_equal(c->title, "软件开发中心政府版系统异常蓝屏问题");
	assert_string_equal(c->status, "closed");
	assert_int_equal(c->nmessages, 8);
	assert_string_equal(c->messages[0].sender, "Li Qi");
	assert_string_equal(c->messages[0].sent, "2022-04-25 15:42:32");
	assert_string_equal(c->messages[4].sender, "Windows Server技术支持");
	assert_string_equal(c->messages[4].sent, "2022-05-05 17:37:33");
	assert_string_equal(c->messages[7].sender, "Wei Liang");
	assert_string_equal(c->first_date, "2022-04-25 15:42:32");
	assert_string_equal(c->last_date, "2022-05-23 16:47:51");
	/* message 2 is empty in the export */
	assert_string_equal(c->messages[1].body, "");
	assert_true(str_starts(c->messages[0].body, "许先生，您好："));

	/* notes: scope definition, next steps per dump, the closing summary */
	const char *def = note(c, 0, PM_NOTE_DEFINITION);
	assert_non_null(def);
	assert_non_null(strstr(def, "偶发性蓝屏"));
	assert_null(strstr(def, "问题范围"));
	const char *next = note(c, 2, PM_NOTE_NEXT_STEP);
	assert_non_null(next);
	assert_non_null(strstr(next, "HwUsbClient"));
	/* the next step ends before the next dump's label line */
	assert_null(strstr(next, "lanping"));
	const char *concl = note(c, 3, PM_NOTE_CONCLUSION);
	assert_non_null(concl);
	assert_non_null(strstr(concl, "可关闭"));
	assert_null(strstr(concl, "=="));
	assert_null(strstr(concl, "以上"));
	assert_non_null(note(c, 3, PM_NOTE_DESCRIPTION));
	const char *ana = note(c, 3, PM_NOTE_ANALYSIS);
	assert_non_null(ana);
	assert_non_null(strstr(ana, "CAS-05796-S4W5H4"));
	const char *adv = note(c, 5, PM_NOTE_NEXT_STEP);
	assert_non_null(adv);
	assert_non_null(strstr(adv, "FilterSendNetBufferListsComplete"));

	/* the customer's phone in message 5 is gone before storage */
	assert_int_equal(c->redactions, 1);
	assert_non_null(strstr(c->messages[4].body, "电话：[redacted:phone]"));
	assert_null(strstr(c->messages[4].body, "13812340001"));
	/* WinDbg text is kept as is */
	assert_non_null(strstr(c->messages[2].body, "fffff803`496dccae e84d010000"));
	pm_case_free(c);
}

static void test_seed001(void **state)
{
	(void)state;
	pm_case *c = read_seed(SEED001);
	assert_string_equal(c->id, "CAS-02698-C5V4N5");
	/* no customer in the subject: taken from the customer's mail domain */
	assert_string_equal(c->customer, "ICBC");
	assert_null(c->priority);
	assert_string_equal(c->refs, "REG:120081126000849");
	assert_string_equal(c->title, "升级1809后从网盘拷文件蓝屏");
	assert_string_equal(c->status, "closed");
	assert_int_equal(c->nmessages, 28);
	assert_string_equal(c->messages[3].sender, "win10sup@sdc.icbc.com.cn");
	assert_string_equal(c->messages[3].sent, "2020-08-06 16:14:12");
	assert_string_equal(c->messages[12].sender, "Bin Hua");
	assert_string_equal(c->messages[27].sent, "2020-09-15 15:57:09");
	assert_int_equal(c->redactions, 21); /* 9 phones and IDs, 12 e-mail addresses */
	const char *b10 = c->messages[10].body;
	assert_non_null(strstr(b10, "电话：[redacted:phone]"));
	assert_non_null(strstr(b10, "身份证号：[redacted:id-number]"));
	assert_null(strstr(b10, "110105199001011232"));
	const char *n12 = note(c, 12, PM_NOTE_NEXT_STEP);
	assert_non_null(n12);
	assert_non_null(strstr(n12, "pTOS"));
	assert_null(strstr(n12, "Dump分析"));
	assert_non_null(note(c, 16, PM_NOTE_ANALYSIS));
	assert_non_null(strstr(note(c, 16, PM_NOTE_NEXT_STEP), "TMS"));
	/* next steps given inline in prose, when a message has no section */
	assert_string_equal(note(c, 14, PM_NOTE_NEXT_STEP), "建议联系TMS厂商进行问题排查");
	assert_string_equal(note(c, 15, PM_NOTE_NEXT_STEP), "建议由TMS厂商进行进一步排查");
	assert_string_equal(note(c, 2, PM_NOTE_NEXT_STEP), "建议优先升级网卡驱动");
	/* "已经建议用户…" reports what was done: not a next step */
	assert_null(note(c, 8, PM_NOTE_NEXT_STEP));
	/* KB numbers and registry numbers survive redaction */
	assert_non_null(strstr(c->messages[11].body, "KB 4559003"));
	pm_case_free(c);
}

static void test_seed002(void **state)
{
	(void)state;
	pm_case *c = read_seed(SEED002);
	assert_string_equal(c->id, "CAS-04223-R4W0Q7");
	assert_string_equal(c->customer, "ICBC");
	assert_string_equal(c->priority, "P2");
	assert_string_equal(c->refs, "CMIT:0001765");
	assert_string_equal(c->title, "V0-H升级失败，需要分析TMS哪个进程阻止系统升级");
	assert_string_equal(c->status, "closed");
	assert_int_equal(c->nmessages, 25);
	assert_string_equal(c->messages[1].sender, "朱卫艳");
	assert_string_equal(c->messages[23].sender, "win10升级支持");
	assert_int_equal(c->redactions, 6); /* and an e-mail address */
	const char *concl = note(c, 20, PM_NOTE_CONCLUSION);
	assert_non_null(concl);
	assert_non_null(strstr(concl, "lwfmgr.sys"));
	assert_null(strstr(concl, "Crashing Stack"));
	assert_non_null(note(c, 24, PM_NOTE_DESCRIPTION));
	assert_non_null(strstr(c->messages[15].body, "身份证号：[redacted:id-number]"));
	assert_non_null(strstr(c->messages[15].body, "手机号：[redacted:phone]"));
	/* empty labels stay as they are */
	assert_non_null(strstr(c->messages[14].body, "身份证号：\n手机号：\n"));
	pm_case_free(c);
}

static void test_seed003_text(void **state)
{
	(void)state;
	pm_case *c = read_seed(SEED003);
	assert_string_equal(c->id, "003_25707b60ca074d00");
	assert_string_equal(c->format, "text");
	assert_string_equal(c->title, "NdisFSendNetBufferLists 在禁用适配器时导致 BSoD");
	assert_int_equal(c->nmessages, 1);
	assert_null(c->messages[0].sender);
	assert_null(c->messages[0].sent);
	assert_null(c->customer);
	assert_string_equal(c->status, "open");
	assert_non_null(strstr(c->messages[0].body, "SYSTEM_SERVICE_EXCEPTION (3b)"));
	assert_int_equal(c->redactions, 0);
	pm_case_free(c);
}

static void test_seed004(void **state)
{
	(void)state;
	pm_case *c = read_seed(SEED004);
	assert_string_equal(c->id, "CAS-08433-X3V6G7");
	assert_string_equal(c->customer, "中信建投");
	assert_null(c->priority);
	assert_string_equal(c->refs, "CMIT:0001887");
	assert_string_equal(c->title, "TAM反馈中信建投客户系统蓝屏问题");
	assert_int_equal(c->nmessages, 3);
	assert_string_equal(c->status, "closed");
	assert_string_equal(c->messages[2].sent, "2023-03-17 09:49:39");
	assert_int_equal(c->redactions, 2);
	const char *b = c->messages[0].body;
	assert_non_null(strstr(b, "用户名：[redacted:username]"));
	assert_non_null(strstr(b, "密码：[redacted:password]"));
	assert_null(strstr(b, "demouser01"));
	assert_null(strstr(b, "Xq7pass2023"));
	const char *n = note(c, 0, PM_NOTE_NEXT_STEP);
	assert_non_null(n);
	assert_non_null(strstr(n, "CDUC"));
	assert_non_null(strstr(note(c, 2, PM_NOTE_CONCLUSION), "关闭处理"));
	pm_case_free(c);
}

static void test_subjects(void **state)
{
	(void)state;
	static const struct {
		const char *subject, *id, *customer, *priority, *refs, *title;
	} t[] = {
		{"回复: [案例号:CAS-08433-X3V6G7] %TAM反馈中信建投客户系统蓝屏问题% 案例重新分配 CMIT:0001887",
		 "CAS-08433-X3V6G7", "中信建投", NULL, "CMIT:0001887", "TAM反馈中信建投客户系统蓝屏问题"},
		{"RE: [REG:120081126000849] CAS-02698-C5V4N5 - 升级1809后从网盘拷文件蓝屏", "CAS-02698-C5V4N5",
		 NULL, NULL, "REG:120081126000849", "升级1809后从网盘拷文件蓝屏"},
		{"答复: 转发: [P1] cas-12345-abc123 电脑蓝屏", "CAS-12345-ABC123", NULL, "P1", NULL, "电脑蓝屏"},
		{"% |P3|某证券|终端蓝屏 %", NULL, "某证券", "P3", NULL, "终端蓝屏"},
		{"Re: 中国工商银行 蓝屏", NULL, "ICBC", NULL, NULL, "中国工商银行 蓝屏"},
		{"ICBCX-style words are not customers", NULL, NULL, NULL, NULL,
		 "ICBCX-style words are not customers"},
		{"CAS-1234-ABCDEF too short a number", NULL, NULL, NULL, NULL, "CAS-1234-ABCDEF too short a number"},
	};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(t); i++) {
		pm_case *c = pm_case_new();
		thread_parse_subject(t[i].subject, c);
		if (t[i].id)
			assert_string_equal(c->id, t[i].id);
		else
			assert_null(c->id);
		if (t[i].customer)
			assert_string_equal(c->customer, t[i].customer);
		else
			assert_null(c->customer);
		if (t[i].priority)
			assert_string_equal(c->priority, t[i].priority);
		else
			assert_null(c->priority);
		if (t[i].refs)
			assert_string_equal(c->refs, t[i].refs);
		else
			assert_null(c->refs);
		assert_string_equal(c->title, t[i].title);
		pm_case_free(c);
	}
	/* a 20 KB subject: the title is bounded and stays valid UTF-8 */
	sbuf big = {0};
	sb_adds(&big, "回复: [案例号: CAS-06133-X9Z4Q7 ] ");
	for (int i = 0; i < 2000; i++)
		sb_adds(&big, "蓝屏问题|");
	pm_case *bc = pm_case_new();
	thread_parse_subject(big.buf, bc);
	assert_string_equal(bc->id, "CAS-06133-X9Z4Q7");
	assert_true(strlen(bc->title) <= 300);
	assert_true(utf8_valid(bc->title, strlen(bc->title)));
	pm_case_free(bc);
	sb_free(&big);
	/* hostile subjects: nothing but markers */
	const char *odd[] = {"", "||||", "%%%", "[案例号", "【", "回复:回复:回复:", "CAS-", "| P2 |"};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(odd); i++) {
		pm_case *c = pm_case_new();
		thread_parse_subject(odd[i], c);
		assert_non_null(c->title);
		pm_case_free(c);
	}
}

static void test_is_export(void **state)
{
	(void)state;
	size_t len;
	char *buf = test_load(SEED000, &len);
	assert_true(thread_is_export(buf, len));
	free(buf);
	buf = test_load(SEED003, &len);
	assert_false(thread_is_export(buf, len));
	free(buf);
	const char *no_block = "邮件主题：蓝屏\n\n没有邮件块\n";
	assert_false(thread_is_export(no_block, strlen(no_block)));
	assert_false(thread_is_export("", 0));
}

static void expect_refused(const char *buf, size_t len, const char *reason)
{
	pm_case *c = (pm_case *)1;
	char err[256] = "";
	assert_int_equal(thread_read("bad.txt", buf, len, &c, err, sizeof err), -1);
	assert_null(c);
	assert_non_null(strstr(err, reason));
	/* one line, lower case start, no final full stop */
	assert_null(strchr(err, '\n'));
	assert_true(err[0] >= 'a' && err[0] <= 'z');
	assert_true(err[strlen(err) - 1] != '.');
}

static void test_refused(void **state)
{
	(void)state;
	expect_refused("", 0, "empty file");
	expect_refused(" \n\r\n\t\n", 6, "empty file");
	expect_refused("\xEF\xBB\xBF\n", 4, "empty file");
	static const char nul[] = "邮件主题：x\0\n====第1封邮件====\n";
	expect_refused(nul, sizeof nul - 1, "binary file");
	unsigned char bin[4096];
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof bin; i++) {
		x = x * 1103515245u + 12345u;
		bin[i] = (unsigned char)(x >> 16);
		if (!bin[i])
			bin[i] = 1; /* no NUL: the control characters alone must tell */
	}
	expect_refused((const char *)bin, sizeof bin, "binary file");
	const char *no_block = "邮件主题：回复: [案例号: CAS-06133-X9Z4Q7 ] 蓝屏\n\n发件人：Li Qi\n";
	expect_refused(no_block, strlen(no_block), "no message block");
}

static void test_truncated(void **state)
{
	(void)state;
	size_t len;
	char *buf = test_load(SEED000, &len);
	/* cut in the middle of the body of block 5 */
	const char *cut = strstr(buf, "通软公司根据蓝屏机器dump");
	assert_non_null(cut);
	size_t n = (size_t)(cut - buf) + 40; /* inside a UTF-8 character, too */
	pm_case *c = read_ok("cut.txt", buf, n);
	assert_int_equal(c->nmessages, 5);
	assert_string_equal(c->messages[4].sender, "Windows Server技术支持");
	assert_true(str_starts(c->messages[4].body, "通软公司"));
	pm_case_free(c);
	/* cut inside the header of block 6, right after 发件人 */
	cut = strstr(buf, "====第6封邮件====");
	n = (size_t)(cut - buf) + strlen("====第6封邮件====\n\n发件人：Li");
	c = read_ok("cut.txt", buf, n);
	assert_int_equal(c->nmessages, 6);
	assert_string_equal(c->messages[5].sender, "Li");
	assert_null(c->messages[5].sent);
	assert_string_equal(c->messages[5].body, "");
	pm_case_free(c);
	/* cut right after the marker of block 2 */
	cut = strstr(buf, "====第2封邮件====");
	n = (size_t)(cut - buf) + 10;
	c = read_ok("cut.txt", buf, n);
	assert_int_equal(c->nmessages, 1);
	pm_case_free(c);
	free(buf);
}

static void test_block_without_sender(void **state)
{
	(void)state;
	const char *t = "邮件主题：RE: CAS-11111-AAAAAA - 测试\n\n====第1封邮件====\n\n"
			"发送时间：2021-01-02 03:04:05.000000+00:00\n邮件内容:\n正文一\n\n"
			"====第2封邮件====\n\n发件人：\n发送时间：not a date\n"
			/* found by the fuzzer: a repeated header leaked the first */
			"邮件主题：一\n邮件主题：二\n邮件内容:\n正文二\n";
	pm_case *c = read_ok("x.txt", t, strlen(t));
	assert_string_equal(c->id, "CAS-11111-AAAAAA");
	assert_int_equal(c->nmessages, 2);
	assert_null(c->messages[0].sender);
	assert_string_equal(c->messages[0].sent, "2021-01-02 03:04:05");
	assert_string_equal(c->messages[0].body, "正文一");
	assert_null(c->messages[1].sender);
	assert_string_equal(c->messages[1].sent, "not a date");
	assert_string_equal(c->messages[1].subject, "一");
	assert_string_equal(c->status, "open");
	pm_case_free(c);
}

static void test_dates_and_status(void **state)
{
	(void)state;
	const char *t = "邮件主题：问题\n====第1封邮件====\n发件人：A\n"
			"发送时间：2022-04-26 07:42:32.232000+08:00\n邮件内容:\n"
			"如果能及时解决问题，我们将考虑关闭案例。\n"
			"====第2封邮件====\n发件人：B\n发送时间：2022-04-25T20:00:00-05:30\n邮件内容:\n"
			"问题已解决，谢谢。\n";
	pm_case *c = read_ok("case-x.txt", t, strlen(t));
	assert_string_equal(c->id, "case-x");
	assert_string_equal(c->messages[0].sent, "2022-04-25 23:42:32");
	assert_string_equal(c->messages[1].sent, "2022-04-26 01:30:00");
	/* "考虑关闭案例" is not a closing; "已解决" is a resolution */
	assert_string_equal(c->status, "resolved");
	assert_string_equal(c->first_date, "2022-04-25 23:42:32");
	pm_case_free(c);
}

static char *to_gb18030(const char *in, size_t len, size_t *outlen)
{
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	assert_true(cd != (iconv_t)-1);
	size_t cap = len * 2 + 16, left = cap;
	char *out = malloc(cap), *op = out;
	char *ip = (char *)in;
	size_t il = len;
	assert_true(iconv(cd, &ip, &il, &op, &left) != (size_t)-1);
	iconv_close(cd);
	*outlen = cap - left;
	return out;
}

static void assert_same_case(const pm_case *a, const pm_case *b)
{
	assert_string_equal(a->id, b->id);
	assert_string_equal(a->title, b->title);
	assert_string_equal(a->status, b->status);
	if (a->customer)
		assert_string_equal(a->customer, b->customer);
	assert_int_equal(a->nmessages, b->nmessages);
	for (size_t i = 0; i < a->nmessages; i++) {
		if (a->messages[i].sender)
			assert_string_equal(a->messages[i].sender, b->messages[i].sender);
		assert_string_equal(a->messages[i].body, b->messages[i].body);
	}
	assert_int_equal(a->nnotes, b->nnotes);
	for (size_t i = 0; i < a->nnotes; i++)
		assert_string_equal(a->notes[i].text, b->notes[i].text);
	assert_int_equal(a->redactions, b->redactions);
}

static void test_gb18030_same_case(void **state)
{
	(void)state;
	const char *seeds[] = {SEED000, SEED004};
	for (size_t k = 0; k < 2; k++) {
		size_t len, glen;
		char *buf = test_load(seeds[k], &len);
		char *gb = to_gb18030(buf, len, &glen);
		assert_false(utf8_valid(gb, glen));
		assert_true(thread_is_export(gb, glen));
		pm_case *a = read_ok(seeds[k], buf, len);
		pm_case *b = read_ok(seeds[k], gb, glen);
		assert_same_case(a, b);
		pm_case_free(a);
		pm_case_free(b);
		free(gb);
		free(buf);
	}
}

static void test_crlf_same_case(void **state)
{
	(void)state;
	size_t len;
	char *buf = test_load(SEED001, &len);
	sbuf sb = {0};
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n')
			sb_addc(&sb, '\r');
		sb_addc(&sb, buf[i]);
	}
	pm_case *a = read_ok(SEED001, buf, len);
	pm_case *b = read_ok(SEED001, sb.buf, sb.len);
	assert_same_case(a, b);
	pm_case_free(a);
	pm_case_free(b);
	sb_free(&sb);
	free(buf);
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	size_t len;
	char *buf = test_load(SEED000, &len);
	/* a few stray bytes in the bodies: still text, read with U+FFFD */
	char *bad = malloc(len + 8);
	memcpy(bad, buf, len);
	char *p = strstr(bad, "许先生");
	p[1] = '\xff';
	p = strstr(bad, "HwUsbClient在进行");
	p[0] = '\x80';
	pm_case *c = read_ok("bad-utf8.txt", bad, len);
	assert_string_equal(c->id, "CAS-06133-X9Z4Q7");
	assert_int_equal(c->nmessages, 8);
	for (size_t i = 0; i < c->nmessages; i++)
		assert_true(utf8_valid(c->messages[i].body, strlen(c->messages[i].body)));
	pm_case_free(c);
	free(bad);
	free(buf);
}

static void test_huge_text(void **state)
{
	(void)state;
	/* 50 MB of plain text: one message, bounded notes, linear time */
	size_t len;
	char *seed = test_load(SEED003, &len);
	size_t target = 50u << 20;
	char *big = malloc(target + 1);
	size_t n = 0;
	while (n + len <= target) {
		memcpy(big + n, seed, len);
		n += len;
	}
	big[n] = 0;
	pm_case *c = read_ok("big.txt", big, n);
	assert_int_equal(c->nmessages, 1);
	assert_string_equal(c->format, "text");
	assert_true(strlen(c->messages[0].body) > (40u << 20));
	for (size_t i = 0; i < c->nnotes; i++)
		assert_true(strlen(c->notes[i].text) <= 4000);
	pm_case_free(c);
	free(big);
	free(seed);
}

static void test_too_many_blocks(void **state)
{
	(void)state;
	sbuf sb = {0};
	sb_adds(&sb, "邮件主题：many\n");
	for (int i = 1; i <= 10001; i++)
		sb_addf(&sb, "====第%d封邮件====\n发件人：x\n邮件内容:\nb\n", i);
	pm_case *c = NULL;
	char err[256];
	assert_int_equal(thread_read("many.txt", sb.buf, sb.len, &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "10000"));
	sb_free(&sb);
	/* exactly 10000 is fine */
	sb_adds(&sb, "邮件主题：many\n");
	for (int i = 1; i <= 10000; i++)
		sb_addf(&sb, "====第%d封邮件====\n发件人：x\n邮件内容:\nb\n", i);
	c = read_ok("many.txt", sb.buf, sb.len);
	assert_int_equal(c->nmessages, 10000);
	pm_case_free(c);
	sb_free(&sb);
}

static void test_notes_bounds(void **state)
{
	(void)state;
	sbuf sb = {0};
	sb_adds(&sb, "问题分析：\n");
	for (int i = 0; i < 3000; i++)
		sb_adds(&sb, "分析");
	sb_adds(&sb, "\n下一步建议：卸载驱动\n0: kd> kc\nnt!KeBugCheckEx\n建议：升级补丁\n"
		     "=====\n尾部\n分析结论：\n====\n结论一\n\n\n后续无关\n");
	pm_case *c = pm_case_new();
	thread_extract_notes(c, 0, sb.buf);
	assert_int_equal(c->nnotes, 4);
	assert_string_equal(c->notes[0].kind, PM_NOTE_ANALYSIS);
	assert_true(strlen(c->notes[0].text) <= 4000);
	assert_true(utf8_valid(c->notes[0].text, strlen(c->notes[0].text)));
	assert_string_equal(c->notes[1].kind, PM_NOTE_NEXT_STEP);
	assert_string_equal(c->notes[1].text, "卸载驱动");
	assert_string_equal(c->notes[2].text, "升级补丁");
	assert_string_equal(c->notes[3].kind, PM_NOTE_CONCLUSION);
	assert_string_equal(c->notes[3].text, "结论一");
	pm_case_free(c);
	sb_free(&sb);
}

static void test_inline_suggestions(void **state)
{
	(void)state;
	static const struct {
		const char *body, *want;
	} t[] = {
		{"分析如下。由于无法开启special pool，建议由TMS厂商进行进一步排查。\n", "建议由TMS厂商进行进一步排查"},
		{"建议联系TMS厂商进行问题排查，谢谢\n", "建议联系TMS厂商进行问题排查"},
		{"建议优先升级网卡驱动，请问是否已升级？", "建议优先升级网卡驱动"},
		{"我按照 Jeffrey 的建议修改了我的代码。", NULL},
		{"并且已经建议用户开启special pool，请知悉。", NULL},
		{"我们已建议客户升级。", NULL},
		{"建议。", NULL},
		{"建议", NULL},
	};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(t); i++) {
		pm_case *c = pm_case_new();
		thread_extract_notes(c, 0, t[i].body);
		if (t[i].want) {
			assert_int_equal(c->nnotes, 1);
			assert_string_equal(c->notes[0].kind, PM_NOTE_NEXT_STEP);
			assert_string_equal(c->notes[0].text, t[i].want);
		} else {
			assert_int_equal(c->nnotes, 0);
		}
		pm_case_free(c);
	}
	/* a next-step section wins: no inline duplicates */
	pm_case *c = pm_case_new();
	thread_extract_notes(c, 0, "下一步建议：\n卸载驱动\n\n\n另外建议升级补丁。\n");
	assert_int_equal(c->nnotes, 1);
	assert_string_equal(c->notes[0].text, "卸载驱动");
	pm_case_free(c);
	/* at most three per message, each bounded */
	sbuf sb = {0};
	for (int i = 0; i < 10; i++) {
		sb_adds(&sb, "建议");
		for (int k = 0; k < 200; k++)
			sb_adds(&sb, "检查");
		sb_adds(&sb, "。\n");
	}
	c = pm_case_new();
	thread_extract_notes(c, 0, sb.buf);
	assert_int_equal(c->nnotes, 3);
	for (size_t i = 0; i < c->nnotes; i++) {
		assert_true(strlen(c->notes[i].text) <= 300);
		assert_true(utf8_valid(c->notes[i].text, strlen(c->notes[i].text)));
	}
	pm_case_free(c);
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed000),
		cmocka_unit_test(test_seed001),
		cmocka_unit_test(test_seed002),
		cmocka_unit_test(test_seed003_text),
		cmocka_unit_test(test_seed004),
		cmocka_unit_test(test_subjects),
		cmocka_unit_test(test_is_export),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_block_without_sender),
		cmocka_unit_test(test_dates_and_status),
		cmocka_unit_test(test_gb18030_same_case),
		cmocka_unit_test(test_crlf_same_case),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_huge_text),
		cmocka_unit_test(test_too_many_blocks),
		cmocka_unit_test(test_notes_bounds),
		cmocka_unit_test(test_inline_suggestions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
