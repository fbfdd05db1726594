/* test-redact.c - unit tests of import/redact.c: every personal datum
 * planted in the seed threads (tests/data/seeds/, synthetic values of the
 * real shape) is replaced and counted, and nothing else in them changes:
 * WinDbg addresses, hex dumps, registry and KB numbers, case numbers,
 * timestamps and build numbers stay byte for byte. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../import/readers.h"
#include "../../util/util.h"
#include "testdata.h"


#define MAXR 32
typedef struct replaced {
	char *orig[MAXR];
	char *kind[MAXR];
	int n;
} replaced;

static void replaced_free(replaced *r)
{
	for (int i = 0; i < r->n; i++) {
		free(r->orig[i]);
		free(r->kind[i]);
	}
}

/* Align the redacted text red with the original orig: outside the markers
 * both must be identical; collect what each marker replaced. */
static void align(const char *orig, const char *red, replaced *out)
{
	const char *o = orig, *r = red;
	out->n = 0;
	for (;;) {
		const char *m = strstr(r, "[redacted:");
		size_t lit = m ? (size_t)(m - r) : strlen(r);
		if (strncmp(o, r, lit) != 0)
			fail_msg("redacted text differs outside markers near: %.60s", r);
		o += lit;
		r += lit;
		if (!m)
			break;
		const char *close = strchr(m, ']');
		assert_non_null(close);
		assert_true(out->n < MAXR);
		out->kind[out->n] = xstrndup(m + 10, (size_t)(close - m - 10));
		r = close + 1;
		/* the original span ends where the next literal text starts */
		const char *m2 = strstr(r, "[redacted:");
		size_t next = m2 ? (size_t)(m2 - r) : strlen(r);
		if (next > 24)
			next = 24;
		const char *hit;
		if (next == 0) {
			hit = o + strlen(o);
		} else {
			char *needle = xstrndup(r, next);
			hit = strstr(o, needle);
			free(needle);
		}
		assert_non_null(hit);
		out->orig[out->n] = xstrndup(o, (size_t)(hit - o));
		out->n++;
		o = hit;
	}
	assert_string_equal(o, "");
}

static void check_seed(const char *path, const char *const *expect, int nexpect)
{
	char *orig = test_load(path, NULL);
	int count = 0;
	char *red = redact_text(orig, &count);
	replaced r;
	align(orig, red, &r);
	assert_int_equal(count, r.n);
	if (r.n != nexpect) {
		for (int i = 0; i < r.n; i++)
			print_message("replaced %s: '%s'\n", r.kind[i], r.orig[i]);
		fail_msg("%s: %d replacements, expected %d", path, r.n, nexpect);
	}
	for (int i = 0; i < r.n; i++) {
		char both[256];
		snprintf(both, sizeof both, "%s=%s", r.kind[i], r.orig[i]);
		assert_string_equal(both, expect[i]);
	}
	/* idempotent: redacting again changes nothing */
	int again = 0;
	char *red2 = redact_text(red, &again);
	assert_int_equal(again, 0);
	assert_string_equal(red2, red);
	free(red2);
	replaced_free(&r);
	free(red);
	free(orig);
}

static void test_seed000(void **state)
{
	(void)state;
	const char *e[] = {"phone=13812340001"};
	check_seed("tests/data/seeds/000_e3b3544fec26024b.txt", e, 1);
}

static void test_seed001(void **state)
{
	(void)state;
	/* in file order: e-mail addresses of senders and signatures too */
	const char *e[] = {
		"email=win10sup@sdc.icbc.com.cn", "email=win10sup@sdc.icbc.com.cn",
		"phone=13812340002", "id-number=110105199001011232",
		"phone=+86 (510) 55501234", "email=engineer-b@microsoft.com", "email=engineer-b@microsoft.com",
		"phone=+86 (510) 55501234", "email=engineer-b@microsoft.com", "email=engineer-b@microsoft.com",
		"phone=+86 (510) 55501234", "email=engineer-b@microsoft.com", "email=engineer-b@microsoft.com",
		"email=user-a@sdc.icbc.com.cn", "phone=0756-5550123",
		"phone=+86 (510) 55501234", "email=engineer-b@microsoft.com", "email=engineer-b@microsoft.com",
		"phone=+86 (510) 55501234", "email=engineer-b@microsoft.com", "email=engineer-b@microsoft.com",
		"phone=+86 (510) 55501234", "email=engineer-b@microsoft.com", "email=engineer-b@microsoft.com",
	};
	check_seed("tests/data/seeds/001_a48089f2710e0f3a.txt", e, (int)PMKB_ARRAY_LEN(e));
}

static void test_seed002(void **state)
{
	(void)state;
	const char *e[] = {
		"username=USER901", "username=USER901", "phone=+ 86 13812340003",
		"email=engineer-c@cmgos.com", "id-number=310115198505052340", "phone=13812340004",
	};
	check_seed("tests/data/seeds/002_413591d54dd1d178.txt", e, 6);
}

static void test_seed003(void **state)
{
	(void)state;
	check_seed("tests/data/seeds/003_25707b60ca074d00.txt", NULL, 0);
}

static void test_seed004(void **state)
{
	(void)state;
	const char *e[] = {"username=demouser01", "password=Xq7pass2023"};
	check_seed("tests/data/seeds/004_f83e32c4bf43c7da.txt", e, 2);
}

/* Text that must come out unchanged. */
static void test_untouched(void **state)
{
	(void)state;
	const char *keep[] = {
		"fffff803`496dccae e84d010000      call    HwUsbClient+0xce00 (fffff803`496dce00)",
		"    (RASPPPOE)         ffffe08f7073dc10    Declined with NDIS_STATUS_FAILURE",
		"RE: [REG:120081126000849] CAS-02698-C5V4N5 - 升级1809后从网盘拷文件蓝屏",
		"升级Windows补丁到最新KB 4559003（当前补丁状态是2019年9月）",
		"BUILD_VERSION_STRING: 14267.1000.amd64fre.rs1_release.160213-0213",
		"发送时间：2022-04-25 15:42:32.232000+00:00",
		"rax=0000003200360035 rbx=ffffda8ad44db938",
		"8a000000`04000021  ???????? ???????? ???????? ????????",
		"Arg2: 8a00000004000021, PTE contents.",
		/* 18 decimal digits that are not IDs: bad check digit, bad date, bad province */
		"value 110105199001011233 x", "value 110105199013011232 x", "value 990105199001011232 x",
		/* an ID shape inside a longer run is part of that run */
		"0x110105199001011232 a110105199001011232 1101051990010112321",
		/* mobile shapes inside longer runs, hex, versions and decimals */
		"0x13812340001 213812340001 13812340001a 1.13812340001 fffff803`13812340001",
		"ContextSwitches 1381234000 12345678901",
		"技术支持热线4008180055",
		"CMIT:0001362 0n13812340",
		"如刚才电话沟通，我谨在此阐述",
		"Password policy applies; 密码策略已启用",
		"EapolLogin.exe login failed",
		"身份证号：\n手机号：\n健康码和行程卡截图：",
		"Login: 张三",
		"",
	};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(keep); i++) {
		int n = 0;
		char *r = redact_text(keep[i], &n);
		if (strcmp(r, keep[i]) != 0)
			fail_msg("changed: '%s' -> '%s'", keep[i], r);
		assert_int_equal(n, 0);
		free(r);
	}
}

static void test_replaced(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
		int n;
	} t[] = {
		{"身份证号：110105199001011232", "身份证号：[redacted:id-number]", 1},
		{"身份证号码: 11010519900101123x。", "身份证号码: [redacted:id-number]。", 1},
		/* a labelled number is redacted even with a wrong check digit */
		{"身份证：110105199001011233", "身份证：[redacted:id-number]", 1},
		{"ID 11010519800101018X here", "ID [redacted:id-number] here", 1},
		{"工程师110105199001011232，电话13812340001。", "工程师[redacted:id-number]，电话[redacted:phone]。", 2},
		{"请拨 138-1234-0001 或 138 1234 0002", "请拨 [redacted:phone] 或 [redacted:phone]", 2},
		{"Mobile: +86 13812340003 | Email", "Mobile: [redacted:phone] | Email", 1},
		{"call (+86)13812340003", "call [redacted:phone]", 1},
		{"call 0086 13812340003.", "call [redacted:phone].", 1},
		{"TEL：0756-5550123(长响转手机)", "TEL：[redacted:phone](长响转手机)", 1},
		{"联系电话：010-5555 1234", "联系电话：[redacted:phone]", 1},
		{"密码：Xq7pass2023\n", "密码：[redacted:password]\n", 1},
		{"password: hunter22 then", "password: [redacted:password] then", 1},
		{"PASSWORD=s3cr3t!", "PASSWORD=[redacted:password]", 1},
		{"login: alice_01，请登录", "login: [redacted:username]，请登录", 1},
		{"账号：bob.w 用户名：carol", "账号：[redacted:username] 用户名：[redacted:username]", 2},
		/* found by the fuzzer: a number that stands alone only once its
		 * neighbour is a marker; the result must be stable */
		{"(+86)31104328003 0086) 13812340003", "(+86)31104328003 0086) [redacted:phone]", 1},
		{"电话：1234567 13812340001", "电话：[redacted:phone] [redacted:phone]", 2},
		/* a credential quoted again later is replaced there too */
		{"用户名：demouser01\n密码：demouser01\n请用demouser01登录", "用户名：[redacted:username]\n密码：[redacted:password]\n请用[redacted:username]登录", 3},
	};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(t); i++) {
		int n = 0;
		char *r = redact_text(t[i].in, &n);
		if (strcmp(r, t[i].out) != 0)
			fail_msg("'%s' -> '%s', expected '%s'", t[i].in, r, t[i].out);
		assert_int_equal(n, t[i].n);
		free(r);
	}
}

static void test_utf8_and_edges(void **state)
{
	(void)state;
	assert_null(redact_text(NULL, NULL));
	char *r = redact_text("电话：13812340001", NULL); /* count may be NULL */
	assert_string_equal(r, "电话：[redacted:phone]");
	free(r);
	/* the counter accumulates */
	int n = 5;
	r = redact_text("13812340001 13812340002", &n);
	assert_int_equal(n, 7);
	free(r);
	/* labels and numbers cut at the very end, broken UTF-8 around them */
	const char *edge[] = {"密码", "密码：", "身份证号", "\xE5\xAF", "1381234000", "+86", "+ 86 ",
			      "(+86", "0086", "\xE8\xBA\xAB\xE4", "电话：+", "tel:", "login:"};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(edge); i++) {
		n = 0;
		r = redact_text(edge[i], &n);
		assert_string_equal(r, edge[i]);
		assert_int_equal(n, 0);
		free(r);
	}
	/* output is valid UTF-8 when the input is */
	r = redact_text("中文，电话：13812340001，身份证号：110105199001011232。", &n);
	assert_true(utf8_valid(r, strlen(r)));
	free(r);
}

static void test_large(void **state)
{
	(void)state;
	/* 8 MB of WinDbg-like text with a phone every 64 KiB: linear and exact */
	const char *line = "fffff803`496dccae e84d010000 call HwUsbClient+0xce00 0x13812340001\n";
	sbuf sb = {0};
	int planted = 0;
	while (sb.len < (8u << 20)) {
		sb_adds(&sb, line);
		if (sb.len % 65536 < strlen(line)) {
			sb_adds(&sb, "电话：13812340001\n");
			planted++;
		}
	}
	int n = 0;
	char *r = redact_text(sb.buf, &n);
	assert_int_equal(n, planted);
	assert_null(strstr(r, "电话：13812340001"));
	free(r);
	sb_free(&sb);
}

/* examples/cases/ ships the seed threads redacted: each file must be
 * exactly redact_text() of its copy in tests/data/seeds/. With
 * PMKB_REGEN_EXAMPLES=1 in the environment the files are (re)written. */
static void test_examples_are_redacted_seeds(void **state)
{
	(void)state;
	static const char *const names[] = {
		"000_e3b3544fec26024b.txt", "001_a48089f2710e0f3a.txt", "002_413591d54dd1d178.txt",
		"003_25707b60ca074d00.txt", "004_f83e32c4bf43c7da.txt",
	};
	const char *regen = getenv("PMKB_REGEN_EXAMPLES");
	for (size_t i = 0; i < PMKB_ARRAY_LEN(names); i++) {
		char src[256], dst[256];
		snprintf(src, sizeof src, "tests/data/seeds/%s", names[i]);
		snprintf(dst, sizeof dst, "examples/cases/%s", names[i]);
		char *orig = test_load(src, NULL);
		char *red = redact_text(orig, NULL);
		if (regen && !strcmp(regen, "1")) {
			FILE *f = fopen(dst, "wb");
			assert_non_null(f);
			fputs(red, f);
			assert_int_equal(fclose(f), 0);
		}
		char *shipped = test_load(dst, NULL);
		assert_string_equal(shipped, red);
		free(shipped);
		free(red);
		free(orig);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed000),   cmocka_unit_test(test_seed001),
		cmocka_unit_test(test_seed002),   cmocka_unit_test(test_seed003),
		cmocka_unit_test(test_seed004),   cmocka_unit_test(test_untouched),
		cmocka_unit_test(test_replaced),  cmocka_unit_test(test_utf8_and_edges),
		cmocka_unit_test(test_large),     cmocka_unit_test(test_examples_are_redacted_seeds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
