/* charset.c - decode bytes to UTF-8 (see charset.h). GB18030 is the
 * fallback for unlabelled 8-bit text because the seed threads come from
 * Chinese mail systems. */
#include "charset.h"
#include "util.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <strings.h>

int charset_is_gb(const char *l)
{
	if (!l)
		return 0;
	return !strcasecmp(l, "gb2312") || !strcasecmp(l, "gbk") || !strcasecmp(l, "cp936") ||
	       !strcasecmp(l, "x-gbk") || !strcasecmp(l, "gb18030") || !strcasecmp(l, "euc-cn") ||
	       !strcasecmp(l, "x-euc-cn") || !strcasecmp(l, "ms936") || !strcasecmp(l, "windows-936");
}

/* Big5 under the names mailers use (Python writes "big5_tw"). */
static int is_big5_label(const char *l)
{
	return !strcasecmp(l, "big5") || !strcasecmp(l, "big5_tw") || !strcasecmp(l, "big5-tw") ||
	       !strcasecmp(l, "x-big5") || !strcasecmp(l, "cn-big5") || !strcasecmp(l, "cp950") ||
	       !strcasecmp(l, "big5-hkscs");
}

static int is_utf8_label(const char *l)
{
	return !strcasecmp(l, "utf-8") || !strcasecmp(l, "utf8") || !strcasecmp(l, "us-ascii") ||
	       !strcasecmp(l, "ascii");
}

/* Copy valid UTF-8, replacing NUL with U+FFFD. */
static char *copy_utf8(const char *buf, size_t len, size_t *outlen)
{
	sbuf sb = {0};
	sb_add(&sb, "", 0);
	for (size_t i = 0; i < len;) {
		const char *nul = memchr(buf + i, '\0', len - i);
		size_t n = nul ? (size_t)(nul - (buf + i)) : len - i;
		sb_add(&sb, buf + i, n);
		i += n;
		if (nul) {
			sb_adds(&sb, "\xEF\xBF\xBD");
			i++;
		}
	}
	if (outlen)
		*outlen = sb.len;
	return sb_detach(&sb);
}

static int ascii_only(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)buf[i] >= 0x80)
			return 0;
	return 1;
}

/* iconv with replacement: each undecodable unit (a byte, or two bytes of
 * UTF-16: step) becomes U+FFFD. Returns NULL when iconv does not know the
 * charset. */
static char *via_iconv_step(const char *buf, size_t len, const char *from, size_t step,
			    size_t *outlen)
{
	iconv_t cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1)
		return NULL;
	sbuf sb = {0};
	sb_add(&sb, "", 0);
	char out[8192];
	char *in = (char *)buf;
	size_t inleft = len;
	while (inleft > 0) {
		char *op = out;
		size_t oleft = sizeof out;
		size_t r = iconv(cd, &in, &inleft, &op, &oleft);
		sb_add(&sb, out, sizeof out - oleft);
		if (r == (size_t)-1) {
			if (errno == E2BIG)
				continue;
			/* EILSEQ or EINVAL (truncated at end): skip one unit */
			size_t skip = step < inleft ? step : inleft;
			sb_adds(&sb, "\xEF\xBF\xBD");
			in += skip;
			inleft -= skip;
			iconv(cd, NULL, NULL, NULL, NULL);
		}
	}
	iconv_close(cd);
	/* NUL bytes decode to NUL: replace them */
	for (size_t i = 0; i < sb.len; i++)
		if (sb.buf[i] == '\0') {
			char *fixed = copy_utf8(sb.buf, sb.len, outlen);
			sb_free(&sb);
			return fixed;
		}
	if (outlen)
		*outlen = sb.len;
	return sb_detach(&sb);
}

static char *via_iconv(const char *buf, size_t len, const char *from, size_t *outlen)
{
	return via_iconv_step(buf, len, from, 1, outlen);
}

/* Latin-1 style labels: any byte "decodes", so a wrong label goes unnoticed. */
static int is_western_label(const char *l)
{
	return str_istarts(l, "iso-8859-") || str_istarts(l, "iso8859-") || str_istarts(l, "latin") ||
	       str_istarts(l, "windows-125") || str_istarts(l, "cp125") || !strcasecmp(l, "l1");
}

/* Do the bytes read as GB18030 with no error and mostly CJK characters?
 * Chinese mail systems label GBK text as ISO-8859-1 often enough. */
static int reads_as_gb(const char *buf, size_t len)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return 0;
	char *in = (char *)buf;
	size_t inleft = len;
	size_t cjk = 0, high = 0;
	char out[4096];
	int ok = 1;
	while (inleft > 0 && ok) {
		char *op = out;
		size_t oleft = sizeof out;
		size_t r = iconv(cd, &in, &inleft, &op, &oleft);
		for (char *p = out; p < op; p++) {
			unsigned char c = (unsigned char)*p;
			if (c >= 0xC0)
				high++;
			if (c >= 0xE3 && c <= 0xE9) /* U+3000..U+9FFF: CJK and punctuation */
				cjk++;
		}
		if (r == (size_t)-1 && errno != E2BIG)
			ok = 0;
	}
	iconv_close(cd);
	return ok && high > 0 && cjk * 10 >= high * 8;
}

char *charset_to_utf8(const char *buf, size_t len, const char *declared,
		      size_t *outlen, const char **used)
{
	const char *dummy;
	if (!used)
		used = &dummy;
	if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
		buf += 3;
		len -= 3;
	}
	int valid = utf8_valid(buf, len);
	if (declared && is_western_label(declared) && !valid && reads_as_gb(buf, len)) {
		*used = "gb18030";
		return via_iconv(buf, len, "GB18030", outlen);
	}
	if (declared && *declared && !is_utf8_label(declared) && !ascii_only(buf, len)) {
		const char *from = charset_is_gb(declared) ? "GB18030" : declared;
		if (is_big5_label(declared))
			from = "BIG5-HKSCS";
		/* A wrong label on valid UTF-8 with CJK is common: trust the bytes
		 * when the declared decoding would fail but UTF-8 is valid. */
		if (!valid || charset_is_gb(declared) || is_big5_label(declared)) {
			if (!(valid && charset_is_gb(declared) && len > 0)) {
				char *r = via_iconv(buf, len, from, outlen);
				if (r) {
					*used = charset_is_gb(declared) ? "gb18030" :
						is_big5_label(declared) ? "big5" : declared;
					return r;
				}
			}
		}
	}
	if (valid) {
		*used = "utf-8";
		return copy_utf8(buf, len, outlen);
	}
	*used = "gb18030";
	char *r = via_iconv(buf, len, "GB18030", outlen);
	if (r)
		return r;
	*used = "utf-8";
	return copy_utf8(buf, len, outlen);
}

/* ---- text whose charset nobody declared (files, pastes, request bodies) ---- */

#define BINARY_PROBE ((size_t)64 << 10) /* how much the binary test looks at */

/* A control character that text does not hold (tab, LF, CR, FF and the
 * escape of coloured terminal output are text). */
static int is_ctl(unsigned u)
{
	return u < 0x20 && u != '\t' && u != '\n' && u != '\r' && u != '\f' && u != 0x1b;
}

int charset_looks_binary(const char *buf, size_t len)
{
	if (memchr(buf, '\0', len))
		return 1;
	size_t n = len < BINARY_PROBE ? len : BINARY_PROBE, ctl = 0;
	for (size_t i = 0; i < n; i++)
		ctl += is_ctl((unsigned char)buf[i]);
	return ctl * 20 > n;
}

int charset_utf16_looks_binary(const char *buf, size_t len, int kind)
{
	const unsigned char *b = (const unsigned char *)buf;
	size_t n = (len < BINARY_PROBE ? len : BINARY_PROBE) / 2, ctl = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned u = kind == CHARSET_UTF16BE ? (unsigned)b[2 * i] << 8 | b[2 * i + 1]
						     : (unsigned)b[2 * i + 1] << 8 | b[2 * i];
		ctl += is_ctl(u);
	}
	return ctl * 20 > n;
}

int charset_sniff_utf16(const char *buf, size_t len, size_t *bomlen)
{
	const unsigned char *b = (const unsigned char *)buf;
	*bomlen = 0;
	if (len >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
		*bomlen = 2;
		return CHARSET_UTF16LE;
	}
	if (len >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
		*bomlen = 2;
		return CHARSET_UTF16BE;
	}
	/* No mark: text that is mostly ASCII, in UTF-16, has a NUL in every
	 * other byte, at odd offsets (little-endian) or even ones (big). Text
	 * in any 8-bit charset has no NUL at all; binary data has NULs at both
	 * or a whole NUL unit; UTF-16 has an even length. */
	if (len % 2)
		return 0;
	size_t n = len < 8192 ? len : 8192;
	size_t even = 0, odd = 0;
	for (size_t i = 0; i < n; i += 2) {
		if (!b[i] && !b[i + 1])
			return 0;
		even += !b[i];
		odd += !b[i + 1];
	}
	size_t units = n / 2;
	if (units == 0)
		return 0;
	if (odd * 4 >= units && even * 8 <= odd)
		return CHARSET_UTF16LE;
	if (even * 4 >= units && odd * 8 <= even)
		return CHARSET_UTF16BE;
	return 0;
}

char *charset_utf16_to_utf8(const char *buf, size_t len, int kind, size_t *outlen)
{
	char *r = via_iconv_step(buf, len, kind == CHARSET_UTF16BE ? "UTF-16BE" : "UTF-16LE", 2,
				 outlen);
	if (r)
		return r;
	/* no iconv module for UTF-16 (never seen on glibc): nothing to show */
	if (outlen)
		*outlen = 0;
	return xstrdup("");
}

/* Length of the valid UTF-8 sequence at s[i], or 0. */
static size_t utf8_seq(const unsigned char *s, size_t len, size_t i)
{
	unsigned char c = s[i];
	size_t k = c < 0x80 ? 1 : (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3
		 : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
	if (!k || i + k > len)
		return 0;
	return utf8_valid((const char *)s + i, k) ? k : 0;
}

char *charset_text_to_utf8(const char *buf, size_t len, size_t *outlen, const char **used)
{
	if (utf8_valid(buf, len)) /* the common case, in one quick pass */
		return charset_to_utf8(buf, len, NULL, outlen, used);
	const unsigned char *s = (const unsigned char *)buf;
	size_t multi = 0, bad = 0;
	for (size_t i = 0; i < len;) {
		size_t k = utf8_seq(s, len, i);
		if (!k) {
			bad++;
			i++;
		} else {
			multi += k > 1;
			i += k;
		}
	}
	if (bad == 0 || multi < 20 * bad)
		return charset_to_utf8(buf, len, NULL, outlen, used);
	/* UTF-8 apart from a few stray bytes (a damaged export): reading it as
	 * GB18030 would garble all of it, so each stray byte becomes U+FFFD */
	if (used)
		*used = "utf-8";
	sbuf sb = {0};
	sb_add(&sb, "", 0);
	size_t i = (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) ? 3 : 0;
	while (i < len) {
		size_t k = utf8_seq(s, len, i);
		if (!k || (k == 1 && s[i] == 0)) {
			sb_adds(&sb, "\xEF\xBF\xBD");
			i++;
		} else {
			sb_add(&sb, buf + i, k);
			i += k;
		}
	}
	if (outlen)
		*outlen = sb.len;
	return sb_detach(&sb);
}
