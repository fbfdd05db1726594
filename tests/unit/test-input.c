/* test-input.c - unit tests of the input reader (import/input.c) on real
 * files of tests/data: a WinDbg analysis and a seed thread re-encoded (with
 * iconv, as a user's editor or WinDbg's .logopen /u would) as UTF-8 with a
 * BOM, UTF-16LE/BE with and without a BOM and GB18030 each read back to the
 * original text; the sample dumps, by path and from memory; binary files,
 * empty input and the size bound refused or accepted as documented. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../import/input.h"
#include "../../import/readers.h"
#include "../../util/charset.h"
#include "../../util/util.h"
#include "testdata.h"

#define WINDBG "tests/data/windbg/npcap-819-0a-send.txt"
#define SEED "tests/data/seeds/002_413591d54dd1d178.txt" /* Chinese and WinDbg text */
#define X64 "tests/data/dumps/kernel/triage_x64.dmp"
#define PNG "docs/serve.png"

/* text re-encoded to charset by iconv (the test's own, not pmkb's). */
static char *encode(const char *text, size_t len, const char *charset, size_t *outlen)
{
	iconv_t cd = iconv_open(charset, "UTF-8");
	assert_true(cd != (iconv_t)-1);
	size_t cap = len * 4 + 16, left = cap;
	char *out = malloc(cap), *op = out, *in = (char *)text;
	size_t inleft = len;
	assert_true(iconv(cd, &in, &inleft, &op, &left) != (size_t)-1);
	iconv_close(cd);
	*outlen = cap - left;
	return out;
}

static char *prefix(const char *pre, size_t plen, const char *buf, size_t len)
{
	char *out = malloc(plen + len + 1);
	memcpy(out, pre, plen);
	memcpy(out + plen, buf, len);
	out[plen + len] = 0;
	return out;
}

/* buf read from memory and from a file gives text equal to want. */
static void reads_as(const char *buf, size_t len, const char *want, size_t wlen, const char *enc)
{
	input in;
	assert_int_equal(input_read_mem(buf, len, NULL, &in), INPUT_OK);
	assert_false(in.is_dump);
	assert_int_equal(in.len, wlen);
	assert_memory_equal(in.text, want, wlen);
	assert_int_equal(in.text[in.len], 0);
	assert_string_equal(in.encoding, enc);
	input_clear(&in);

	char path[] = "test-input-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
	assert_int_equal(input_read(path, NULL, &in), INPUT_OK);
	unlink(path);
	assert_int_equal(in.len, wlen);
	assert_memory_equal(in.text, want, wlen);
	assert_string_equal(in.encoding, enc);
	input_clear(&in);
}

static void test_utf8_and_bom(void **state)
{
	(void)state;
	size_t len;
	char *t = test_load(WINDBG, &len);
	reads_as(t, len, t, len, "utf-8");
	char *b = prefix("\xEF\xBB\xBF", 3, t, len);
	reads_as(b, len + 3, t, len, "utf-8");
	free(b);
	free(t);
}

static void test_utf16(void **state)
{
	(void)state;
	const char *files[] = {WINDBG, SEED};
	for (size_t f = 0; f < 2; f++) {
		size_t len, n;
		char *t = test_load(files[f], &len);
		char *le = encode(t, len, "UTF-16LE", &n);
		reads_as(le, n, t, len, "utf-16le"); /* no BOM: sniffed by its NULs */
		char *b = prefix("\xFF\xFE", 2, le, n);
		reads_as(b, n + 2, t, len, "utf-16le");
		free(b);
		free(le);
		char *be = encode(t, len, "UTF-16BE", &n);
		reads_as(be, n, t, len, "utf-16be");
		b = prefix("\xFE\xFF", 2, be, n);
		reads_as(b, n + 2, t, len, "utf-16be");
		free(b);
		free(be);
		free(t);
	}
}

/* A UTF-16 analysis still gives the analysis of the UTF-8 text. */
static void test_utf16_analysis(void **state)
{
	(void)state;
	size_t len, n;
	char *t = test_load(WINDBG, &len);
	char *le = encode(t, len, "UTF-16LE", &n);
	char *b = prefix("\xFF\xFE", 2, le, n);
	pm_case *want = pm_case_new(), *got = pm_case_new();
	windbg_extract(t, len, -1, want);
	input in;
	assert_int_equal(input_read_mem(b, n + 2, NULL, &in), INPUT_OK);
	windbg_extract(in.text, in.len, -1, got);
	assert_true(want->nanalyses > 0);
	assert_int_equal(got->nanalyses, want->nanalyses);
	assert_string_equal(got->analyses[0].bugcheck_code, want->analyses[0].bugcheck_code);
	assert_int_equal(got->analyses[0].nframes, want->analyses[0].nframes);
	input_clear(&in);
	pm_case_free(want);
	pm_case_free(got);
	free(b);
	free(le);
	free(t);
}

static void test_gb18030(void **state)
{
	(void)state;
	size_t len, n;
	char *t = test_load(SEED, &len);
	char *gb = encode(t, len, "GB18030", &n);
	assert_true(n != len); /* really re-encoded: the thread is Chinese */
	reads_as(gb, n, t, len, "gb18030");
	free(gb);
	free(t);
}

/* UTF-8 with a few stray bytes stays UTF-8 (not read as GB18030). */
static void test_damaged_utf8(void **state)
{
	(void)state;
	size_t len;
	char *t = test_load(SEED, &len);
	char *d = malloc(len + 2);
	memcpy(d, t, len);
	memcpy(d + len, "\xFF\n", 2);
	input in;
	assert_int_equal(input_read_mem(d, len + 2, NULL, &in), INPUT_OK);
	assert_string_equal(in.encoding, "utf-8");
	assert_memory_equal(in.text, t, len);
	assert_string_equal(in.text + len, "\xEF\xBF\xBD\n");
	input_clear(&in);
	free(d);
	free(t);
}

static void test_dump(void **state)
{
	(void)state;
	input in;
	/* by path: read where it lies */
	assert_int_equal(input_read(X64, NULL, &in), INPUT_OK);
	assert_true(in.is_dump);
	assert_null(in.text);
	assert_string_equal(in.dump.source, "dmp");
	assert_non_null(in.dump.bugcheck_code);
	assert_string_equal(in.dump.dump_name, "triage_x64.dmp");
	char *code = xstrdup(in.dump.bugcheck_code);
	input_clear(&in);
	/* from memory: the same analysis */
	size_t len;
	char *d = test_load(X64, &len);
	assert_int_equal(input_read_mem(d, len, NULL, &in), INPUT_OK);
	assert_true(in.is_dump);
	assert_string_equal(in.dump.bugcheck_code, code);
	input_clear(&in);
	/* a header cut short is a dump the dump reader refuses, with its reason */
	assert_int_equal(input_read_mem(d, 64, NULL, &in), INPUT_ERR_DUMP);
	assert_false(in.is_dump);
	assert_true(in.err[0] != 0);
	input_clear(&in);
	/* text only: a dump is binary data */
	input_opts never = {.dumps = INPUT_DUMPS_NEVER};
	assert_int_equal(input_read(X64, &never, &in), INPUT_ERR_BINARY);
	input_clear(&in);
	/* dumps only: text is refused by the dump reader */
	input_opts only = {.dumps = INPUT_DUMPS_ONLY};
	assert_int_equal(input_read(WINDBG, &only, &in), INPUT_ERR_DUMP);
	assert_non_null(strstr(in.err, "not a Windows dump"));
	input_clear(&in);
	free(d);
	free(code);
	/* text that starts with the letters of a dump signature is text */
	const char *page = "PAGE_FAULT_IN_NONPAGED_AREA (50)\nArguments:\n";
	assert_int_equal(input_read_mem(page, strlen(page), NULL, &in), INPUT_OK);
	assert_false(in.is_dump);
	assert_string_equal(in.text, page);
	input_clear(&in);
}

static void test_binary(void **state)
{
	(void)state;
	input in;
	assert_int_equal(input_read(PNG, NULL, &in), INPUT_ERR_BINARY);
	assert_string_equal(in.err, "binary file, neither text nor a dump");
	assert_null(in.text);
	input_clear(&in);
	/* one NUL in text; an odd length is not UTF-16 */
	assert_int_equal(input_read_mem("ab\0cd", 5, NULL, &in), INPUT_ERR_BINARY);
	input_clear(&in);
	/* control bytes: more than 1 in 20 is binary, a few are text */
	char ctl[400];
	for (size_t i = 0; i < sizeof ctl; i++)
		ctl[i] = i % 10 ? 'a' : '\001';
	assert_int_equal(input_read_mem(ctl, sizeof ctl, NULL, &in), INPUT_ERR_BINARY);
	input_clear(&in);
	for (size_t i = 0; i < sizeof ctl; i++)
		ctl[i] = i % 40 ? 'a' : '\001';
	assert_int_equal(input_read_mem(ctl, sizeof ctl, NULL, &in), INPUT_OK);
	input_clear(&in);
	/* UTF-16 units that are control characters */
	char u[400];
	for (size_t i = 0; i < sizeof u; i += 2) {
		u[i] = (char)(i % 8 ? 'a' : 2);
		u[i + 1] = 0;
	}
	assert_int_equal(input_read_mem(u, sizeof u, NULL, &in), INPUT_ERR_BINARY);
	input_clear(&in);
}

static void test_empty(void **state)
{
	(void)state;
	input in;
	assert_int_equal(input_read_mem("", 0, NULL, &in), INPUT_OK);
	assert_false(in.is_dump);
	assert_int_equal(in.len, 0);
	assert_string_equal(in.text, "");
	input_clear(&in);
	assert_int_equal(input_read_mem(NULL, 0, NULL, &in), INPUT_OK);
	assert_string_equal(in.text, "");
	input_clear(&in);
	/* a BOM alone is an empty text */
	assert_int_equal(input_read_mem("\xFF\xFE", 2, NULL, &in), INPUT_OK);
	assert_string_equal(in.text, "");
	input_clear(&in);
	assert_int_equal(input_read_mem("\xEF\xBB\xBF", 3, NULL, &in), INPUT_OK);
	assert_string_equal(in.text, "");
	input_clear(&in);
}

static void test_bounds_and_missing(void **state)
{
	(void)state;
	input in;
	input_opts small = {.max_text = 1u << 20};
	char *big = malloc((1u << 20) + 1);
	memset(big, 'a', (1u << 20) + 1);
	assert_int_equal(input_read_mem(big, (1u << 20) + 1, &small, &in), INPUT_ERR_TOO_LARGE);
	assert_string_equal(in.err, "larger than 1 MiB");
	input_clear(&in);
	assert_int_equal(input_read_mem(big, 1u << 20, &small, &in), INPUT_OK);
	assert_int_equal(in.len, 1u << 20);
	input_clear(&in);
	free(big);
	/* a file over the bound (sparse): refused before it is read */
	char path[] = "test-input-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 2 << 20), 0);
	close(fd);
	assert_int_equal(input_read(path, &small, &in), INPUT_ERR_TOO_LARGE);
	assert_string_equal(in.err, "larger than 1 MiB");
	input_clear(&in);
	unlink(path);
	assert_int_equal(input_read("tests/data/no-such-file.txt", NULL, &in), INPUT_ERR_OPEN);
	assert_string_equal(in.err, "no such file");
	input_clear(&in);
	assert_int_equal(input_read("tests/data", NULL, &in), INPUT_ERR_OPEN);
	assert_string_equal(in.err, "is a directory");
	input_clear(&in);
}

/* charset.h's UTF-16 sniffing on its own. */
static void test_sniff(void **state)
{
	(void)state;
	size_t bom;
	assert_int_equal(charset_sniff_utf16("\xFF\xFE", 2, &bom), CHARSET_UTF16LE);
	assert_int_equal(bom, 2);
	assert_int_equal(charset_sniff_utf16("\xFE\xFF", 2, &bom), CHARSET_UTF16BE);
	assert_int_equal(charset_sniff_utf16("B\0u\0g\0", 6, &bom), CHARSET_UTF16LE);
	assert_int_equal(bom, 0);
	assert_int_equal(charset_sniff_utf16("\0B\0u\0g", 6, &bom), CHARSET_UTF16BE);
	assert_int_equal(charset_sniff_utf16("Bug", 3, &bom), 0);
	assert_int_equal(charset_sniff_utf16("B\0\0\0g\0", 6, &bom), 0); /* a NUL unit */
	assert_int_equal(charset_sniff_utf16("B\0u\0g", 5, &bom), 0);    /* odd length */
	assert_int_equal(charset_sniff_utf16("", 0, &bom), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_and_bom),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_utf16_analysis),
		cmocka_unit_test(test_gb18030),
		cmocka_unit_test(test_damaged_utf8),
		cmocka_unit_test(test_dump),
		cmocka_unit_test(test_binary),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_bounds_and_missing),
		cmocka_unit_test(test_sniff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
