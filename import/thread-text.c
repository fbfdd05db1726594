/* thread-text.c - the small text helpers the thread reader, the subject
 * parser and the note extraction share (thread-int.h): Unicode spaces,
 * trimming, UTF-8-safe cuts, case-insensitive prefixes, ASCII and
 * full-width colons. */
#include "thread-int.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

int th_is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* Length of a Unicode blank (U+00A0, U+2000..U+200B, U+202F, U+205F,
 * U+3000, U+FEFF) starting at p, or 0. Subjects of the seeds use U+2009. */
size_t th_uspace_at(const char *p, const char *e)
{
	const unsigned char *u = (const unsigned char *)p;
	if (e - p >= 2 && u[0] == 0xC2 && u[1] == 0xA0)
		return 2;
	if (e - p < 3)
		return 0;
	if (u[0] == 0xE2 && u[1] == 0x80 && (u[2] <= 0x8B || u[2] == 0xAF))
		return 3;
	if (u[0] == 0xE2 && u[1] == 0x81 && u[2] == 0x9F)
		return 3;
	if (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;
	if (u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
		return 3;
	return 0;
}

/* Length of a Unicode blank ending at e, or 0. */
size_t th_uspace_before(const char *s, const char *e)
{
	if (e - s >= 2 && th_uspace_at(e - 2, e) == 2)
		return 2;
	if (e - s >= 3 && th_uspace_at(e - 3, e) == 3)
		return 3;
	return 0;
}

/* Trim ASCII and Unicode blanks from both ends of [*s, *e). */
void th_trim_range(const char **s, const char **e)
{
	size_t n;
	for (;;) {
		if (*s < *e && th_is_space((unsigned char)**s))
			(*s)++;
		else if ((n = th_uspace_at(*s, *e)))
			*s += n;
		else
			break;
	}
	for (;;) {
		if (*e > *s && th_is_space((unsigned char)(*e)[-1]))
			(*e)--;
		else if ((n = th_uspace_before(*s, *e)))
			*e -= n;
		else
			break;
	}
}

char *th_dup_trim(const char *s, const char *e)
{
	th_trim_range(&s, &e);
	return xstrndup(s, (size_t)(e - s));
}

/* Cut n at a UTF-8 character boundary at or below max. */
size_t th_utf8_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

/* Does [p, e) start with the ASCII-case-insensitive prefix pre? */
size_t th_starts_ci(const char *p, const char *e, const char *pre)
{
	size_t n = strlen(pre);
	if ((size_t)(e - p) < n || strncasecmp(p, pre, n) != 0)
		return 0;
	return n;
}

/* A colon, ASCII or full-width, at p: its length, or 0. */
size_t th_colon_at(const char *p, const char *e)
{
	if (p < e && *p == ':')
		return 1;
	if (e - p >= 3 && !memcmp(p, "：", 3))
		return 3;
	return 0;
}

void th_set_field(char **field, char *value)
{
	free(*field);
	*field = value;
}
