/* input.c - the input reader (input.h): dump sniffing, byte-order marks
 * and UTF-16, binary refusal, charsets, the size bound. */
#include "input.h"
#include "readers.h"
#include "../util/charset.h"
#include "../util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static input_status binary(input *in)
{
	snprintf(in->err, sizeof in->err, "binary file, neither text nor a dump");
	return INPUT_ERR_BINARY;
}

static input_status from_dump_result(input *in, int rc, pm_status code)
{
	if (rc == 0) {
		in->is_dump = 1;
		return INPUT_OK;
	}
	free(in->warnings);
	in->warnings = NULL;
	if (!in->err[0])
		snprintf(in->err, sizeof in->err, "not a dump file");
	return code == PM_NO_INPUT ? INPUT_ERR_OPEN : INPUT_ERR_DUMP;
}

static input_status dump_mem(const char *buf, size_t len, input *in)
{
	pm_status code = PM_OK;
	int rc = dmp_read_mem((const unsigned char *)buf, len, &in->dump, &in->warnings, in->err,
			      sizeof in->err, &code);
	return from_dump_result(in, rc, code);
}

/* The bytes as text (see input.h for the order of the tests). *owned,
 * when given, is buf itself, NUL-terminated, which the caller would free:
 * valid UTF-8 (most input) is then kept in place instead of copied, and
 * *owned set to NULL. */
static input_status decode(const char *buf, size_t len, char **owned, input *in)
{
	size_t bom = 0;
	int u16 = charset_sniff_utf16(buf, len, &bom);
	if (u16) {
		if (charset_utf16_looks_binary(buf + bom, len - bom, u16))
			return binary(in);
		in->text = charset_utf16_to_utf8(buf + bom, len - bom, u16, &in->len);
		in->encoding = u16 == CHARSET_UTF16BE ? "utf-16be" : "utf-16le";
		return INPUT_OK;
	}
	if (charset_looks_binary(buf, len))
		return binary(in);
	if (owned && utf8_valid(buf, len)) {
		/* what charset_text_to_utf8 would copy: the bytes without a BOM
		 * (no NUL: that is binary) */
		char *t = *owned;
		*owned = NULL;
		if (len >= 3 && !memcmp(t, "\xEF\xBB\xBF", 3)) {
			memmove(t, t + 3, len - 3);
			len -= 3;
			t[len] = 0;
		}
		in->text = t;
		in->len = len;
		in->encoding = "utf-8";
		return INPUT_OK;
	}
	in->text = charset_text_to_utf8(buf, len, &in->len, &in->encoding);
	return INPUT_OK;
}

static void init(input *in)
{
	memset(in, 0, sizeof *in);
}

static input_dumps dumps_of(const input_opts *o)
{
	return o ? o->dumps : INPUT_DUMPS_SNIFF;
}

static size_t max_of(const input_opts *o)
{
	return o && o->max_text ? o->max_text : INPUT_MAX_TEXT;
}

input_status input_read_mem(const char *buf, size_t len, const input_opts *o, input *in)
{
	init(in);
	if (!buf)
		buf = "";
	input_dumps d = dumps_of(o);
	if (d == INPUT_DUMPS_ONLY || (d == INPUT_DUMPS_SNIFF && dmp_is_dump((const unsigned char *)buf, len)))
		return dump_mem(buf, len, in);
	size_t max = max_of(o);
	if (len > max) {
		snprintf(in->err, sizeof in->err, "larger than %zu MiB", max >> 20);
		return INPUT_ERR_TOO_LARGE;
	}
	return decode(buf, len, NULL, in);
}

input_status input_read(const char *path, const input_opts *o, input *in)
{
	init(in);
	input_dumps d = dumps_of(o);
	if (strcmp(path, "-") != 0 &&
	    (d == INPUT_DUMPS_ONLY || (d == INPUT_DUMPS_SNIFF && dmp_file_is_dump(path)))) {
		/* read where it lies: a memory dump may be far larger than the
		 * text bound (the dump reader reads bounded pieces) */
		pm_status code = PM_OK;
		int rc = dmp_read_file(path, &in->dump, &in->warnings, in->err, sizeof in->err, &code);
		return from_dump_result(in, rc, code);
	}
	size_t max = max_of(o);
	char *buf = NULL;
	size_t len = 0;
	pm_status code = PM_OK;
	if (read_file_bounded(path, max, &buf, &len, in->err, sizeof in->err, &code) != 0) {
		if (code != PM_TOO_BIG)
			return INPUT_ERR_OPEN;
		snprintf(in->err, sizeof in->err, "larger than %zu MiB", max >> 20);
		return INPUT_ERR_TOO_LARGE;
	}
	input_status st;
	if (d == INPUT_DUMPS_ONLY || (d == INPUT_DUMPS_SNIFF && dmp_is_dump((const unsigned char *)buf, len)))
		st = dump_mem(buf, len, in); /* a dump on standard input */
	else
		st = decode(buf, len, &buf, in);
	free(buf);
	return st;
}

void input_clear(input *in)
{
	free(in->text);
	free(in->warnings);
	pm_analysis_clear(&in->dump);
	init(in);
}
