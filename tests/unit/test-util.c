/* test-util.c - unit tests of util/: growable strings, bounded reads,
 * hashing, UTF-8 validation, JSON escaping, path stems. */
#define _GNU_SOURCE /* FNM_CASEFOLD */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fnmatch.h>
#include <locale.h>

#include "../../util/util.h"
#include "../../util/json.h"

static void test_sbuf(void **state)
{
	(void)state;
	sbuf sb = {0};
	assert_string_equal(sb_str(&sb), "");
	sb_adds(&sb, "bugcheck ");
	sb_addf(&sb, "0x%x", 0xd1);
	sb_addc(&sb, '!');
	assert_string_equal(sb.buf, "bugcheck 0xd1!");
	assert_int_equal(sb.len, 14);
	for (int i = 0; i < 10000; i++)
		sb_addc(&sb, 'x');
	assert_int_equal(sb.len, 10014);
	char *s = sb_detach(&sb);
	assert_null(sb.buf);
	assert_int_equal(strlen(s), 10014);
	free(s);
}

static void test_utf8(void **state)
{
	(void)state;
	const char *zh = "蓝屏问题";
	assert_true(utf8_valid(zh, strlen(zh)));
	/* "蓝屏" in GB18030 is not UTF-8 */
	assert_false(utf8_valid("\xc0\xb6\xc6\xc1", 4));
	/* truncated 3-byte sequence */
	assert_false(utf8_valid("\xe8\x93", 2));
	/* overlong encoding of '/' */
	assert_false(utf8_valid("\xc0\xaf", 2));
	/* surrogate half */
	assert_false(utf8_valid("\xed\xa0\x80", 3));
	assert_true(utf8_valid("", 0));
}

static void test_json(void **state)
{
	(void)state;
	sbuf sb = {0};
	json_str(&sb, "a\"b\\c\n\t\x01 蓝屏");
	assert_string_equal(sb.buf, "\"a\\\"b\\\\c\\n\\t\\u0001 蓝屏\"");
	sb_reset(&sb);
	json_str(&sb, NULL);
	assert_string_equal(sb.buf, "null");
	/* escapes first, last, side by side, alone; runs copied whole */
	sb_reset(&sb);
	json_str(&sb, "\"\x7f\rplain text\\");
	assert_string_equal(sb.buf, "\"\\\"\\u007f\\rplain text\\\\\"");
	sb_reset(&sb);
	json_str(&sb, "");
	assert_string_equal(sb.buf, "\"\"");
	sb_reset(&sb);
	json_strn(&sb, "a\0b", 3);
	assert_int_equal(sb.len, 10);
	assert_memory_equal(sb.buf, "\"a\\u0000b\"", 10);
	sb_free(&sb);
}

static void test_stem(void **state)
{
	(void)state;
	char *s = path_stem("tests/data/seeds/003_25707b60ca074d00.txt");
	assert_string_equal(s, "003_25707b60ca074d00");
	free(s);
	s = path_stem("MEMORY TMS lanping.DMP");
	assert_string_equal(s, "MEMORY TMS lanping");
	free(s);
	s = path_stem(".hidden");
	assert_string_equal(s, ".hidden");
	free(s);
}

static void test_read_bounded(void **state)
{
	(void)state;
	char path[] = "/tmp/pmkb-test-util-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	char block[4096];
	memset(block, 'a', sizeof block);
	for (int i = 0; i < 4; i++)
		assert_int_equal(write(fd, block, sizeof block), (ssize_t)sizeof block);
	close(fd);

	char *buf;
	size_t len;
	char err[128];
	pm_status code;
	assert_int_equal(read_file_bounded(path, 1 << 20, &buf, &len, err, sizeof err, &code), 0);
	assert_int_equal(len, 16384);
	assert_int_equal(buf[len], '\0');
	free(buf);

	/* over the bound: refused as too big, nothing returned */
	assert_int_equal(read_file_bounded(path, 1000, &buf, &len, err, sizeof err, &code), -1);
	assert_int_equal(code, PM_TOO_BIG);
	assert_null(buf);
	unlink(path);

	assert_int_equal(read_file_bounded(path, 1000, &buf, &len, err, sizeof err, &code), -1);
	assert_int_equal(code, PM_NO_INPUT);
	assert_string_equal(err, "no such file");

	assert_int_equal(read_file_bounded("/", 1000, &buf, &len, err, sizeof err, &code), -1);
	assert_string_equal(err, "is a directory");
	assert_int_equal(code, PM_NO_INPUT);
}

static void test_hash(void **state)
{
	(void)state;
	char hex[17];
	/* FNV-1a 64 reference values */
	hash_hex(fnv1a64("", 0), hex);
	assert_string_equal(hex, "cbf29ce484222325");
	hash_hex(fnv1a64("a", 1), hex);
	assert_string_equal(hex, "af63dc4c8601ec8c");
}

static void test_trim_lower(void **state)
{
	(void)state;
	char s[] = "  \tNwifi!Dot11SendCompletion \r\n";
	char *t = str_trim(s);
	assert_string_equal(t, "Nwifi!Dot11SendCompletion");
	str_lower(t);
	assert_string_equal(t, "nwifi!dot11sendcompletion");
	assert_true(str_istarts("IMAGE_NAME: npf.sys", "image_name:"));
	assert_true(str_ends("vwifimf.sys", ".sys"));
	assert_false(str_ends("sys", ".sys"));
}

struct rec {
	char *a, *b;
};

/* jw_num and jw_int write what printf writes, for every format the
 * matcher uses and values around every rounding boundary: ties, values a
 * hair either side of one, negatives and -0, the largest and non-finite. */
static void num_is_printf(const char *fmt, double v)
{
	sbuf sb = {0};
	jw w;
	jw_init(&w, &sb);
	jw_num(&w, NULL, fmt, v);
	char want[512];
	snprintf(want, sizeof want, fmt, v);
	if (strcmp(sb.buf, want) != 0)
		fail_msg("jw_num(\"%s\", %.17g) wrote %s, printf %s", fmt, v, sb.buf, want);
	sb_free(&sb);
}

static void test_json_numbers(void **state)
{
	(void)state;
	const char *fmts[] = {"%.0f", "%.1f", "%.2f", "%.3f", "%.4f", "%.6f", "%.3g", "%f"};
	const double fixed_values[] = {0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.125, 0.375, 1.005, 2.675, 0.0005, 0.00049999999999999999,
				       -0.0001, 0.9995, 0.99949999999999994, 999999.9995, 1e9, -1e9, 123456789.5, 1e300,
				       0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 0.95, 0.05, 0.949999999999, 1e-300, 4.35, 8.675};
	for (size_t f = 0; f < sizeof fmts / sizeof *fmts; f++) {
		for (size_t i = 0; i < sizeof fixed_values / sizeof *fixed_values; i++)
			num_is_printf(fmts[f], fixed_values[i]);
		num_is_printf(fmts[f], 1.0 / 0.0);
		num_is_printf(fmts[f], -1.0 / 0.0);
		num_is_printf(fmts[f], 0.0 / 0.0);
		/* a sweep over [-2, 2] in steps that land on and beside the
		 * halves of every precision */
		for (int k = -40000; k <= 40000; k++) {
			num_is_printf(fmts[f], k / 20000.0);
			num_is_printf(fmts[f], k / 20000.0 + 1e-12);
			num_is_printf(fmts[f], k * 0.00005);
		}
	}
	const long long ints[] = {0, 1, -1, 9, 10, -10, 1234567890123LL, INT64_MAX, INT64_MIN};
	for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
		sbuf sb = {0};
		jw w;
		jw_init(&w, &sb);
		jw_int(&w, NULL, ints[i]);
		char want[32];
		snprintf(want, sizeof want, "%lld", ints[i]);
		assert_string_equal(sb.buf, want);
		sb_reset(&sb);
		jw_size(&w, NULL, (size_t)(ints[i] < 0 ? -(ints[i] + 1) : ints[i]));
		snprintf(want, sizeof want, "%zu", (size_t)(ints[i] < 0 ? -(ints[i] + 1) : ints[i]));
		assert_string_equal(sb.buf, want);
		sb_free(&sb);
	}
}

static void test_json_writer(void **state)
{
	(void)state;
	sbuf sb = {0};
	jw w;
	jw_init(&w, &sb);
	jw_obj(&w, NULL);
	jw_str(&w, "s", "a\"b\n");
	jw_str(&w, "n", NULL);
	jw_arr(&w, "empty");
	jw_end(&w);
	jw_arr(&w, "list");
	jw_int(&w, NULL, -3);
	jw_size(&w, NULL, 7);
	jw_bool(&w, NULL, 1);
	jw_null(&w, NULL);
	jw_obj(&w, NULL);
	jw_end(&w);
	jw_end(&w);
	jw_num(&w, "w", "%.2f", 0.125);
	jw_raw(&w, "raw", "{\"x\":1}");
	static const jw_field f[] = {JW_FIELD(struct rec, a), JW_FIELD_AS("bee", struct rec, b)};
	struct rec r = {"1", NULL};
	jw_obj(&w, "rec");
	jw_fields(&w, &r, f, 2);
	jw_end(&w);
	jw_end(&w);
	assert_int_equal(w.depth, 0);
	assert_string_equal(sb_str(&sb), "{\"s\":\"a\\\"b\\n\",\"n\":null,\"empty\":[],"
					 "\"list\":[-3,7,true,null,{}],\"w\":0.12,\"raw\":{\"x\":1},"
					 "\"rec\":{\"a\":\"1\",\"bee\":null}}");
	sb_free(&sb);
}

/* glob_casefold answers what fnmatch(FNM_CASEFOLD) answers: every
 * pattern of up to 4 symbols against every string of up to 4 letters over
 * a small alphabet (both cases, '.', '!', '/'), then the shapes the rules
 * and the skip list use, in a UTF-8 locale as the commands run. */
static void test_glob_casefold(void **st)
{
	(void)st;
	setlocale(LC_ALL, "C.UTF-8");
	const char pal[] = {'a', 'B', '*', '?', '.', '!'};
	const char sal[] = {'a', 'A', 'b', '.', '!', '/'};
	char pat[8], str[8];
	long checked = 0;
	for (int pl = 0; pl <= 4; pl++) {
		long pn = 1;
		for (int k = 0; k < pl; k++)
			pn *= 6;
		for (long pi = 0; pi < pn; pi++) {
			long x = pi;
			for (int k = 0; k < pl; k++, x /= 6)
				pat[k] = pal[x % 6];
			pat[pl] = 0;
			for (int sl = 0; sl <= 4; sl++) {
				long sn = 1;
				for (int k = 0; k < sl; k++)
					sn *= 6;
				for (long si = 0; si < sn; si++) {
					long y = si;
					for (int k = 0; k < sl; k++, y /= 6)
						str[k] = sal[y % 6];
					str[sl] = 0;
					int want = fnmatch(pat, str, FNM_CASEFOLD) == 0;
					if (glob_casefold(pat, str) != want)
						fail_msg("glob_casefold(\"%s\", \"%s\") != %d", pat, str, want);
					checked++;
				}
			}
		}
	}
	assert_true(checked > 1000000);
	const char *cases[][2] = {
		{"*lwfmgr*", "lwfmgr!LwfSendNetBufferLists"}, {"NETIO!*", "netio!RtlCopyBufferToMdl"},
		{"nt!Ki*", "nt!KiPageFault"}, {"nt!Ki*", "nt!KeBugCheckEx"}, {"[a-c]*", "Bnet"},
		{"\\*x", "*x"}, {"\\*x", "ax"}, {"*蓝屏*", "看到蓝屏了"}, {"?", "蓝"}, {"??", "蓝"},
		{"*!*Dispatch*", "nt!KiBugCheckDispatch"}, {"", ""}, {"*", ""}, {"a*b*c", "aXbYbZc"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		assert_int_equal(glob_casefold(cases[i][0], cases[i][1]),
				 fnmatch(cases[i][0], cases[i][1], FNM_CASEFOLD) == 0);
	assert_true(glob_casefold("NT!KI*", "nt!kipagefault"));
	assert_false(glob_casefold("nt!Ki*", "nt!KeBugCheckEx"));
	setlocale(LC_ALL, "C");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sbuf),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_numbers),
		cmocka_unit_test(test_stem),
		cmocka_unit_test(test_read_bounded),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_trim_lower),
		cmocka_unit_test(test_json_writer),
		cmocka_unit_test(test_glob_casefold),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
