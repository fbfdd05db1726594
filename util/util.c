/* util.c - allocation, growable strings, bounded file reads, hashing,
 * messages and JSON string escaping (see util.h). */
#define _GNU_SOURCE /* FNM_CASEFOLD */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fcntl.h>
#include <fnmatch.h>

static void oom(void)
{
	fputs("pmkb: out of memory\n", stderr);
	exit(70); /* EX_SOFTWARE, as cli/exit.h: the one exit util makes (util.h) */
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom();
	return q;
}

char *xstrdup(const char *s)
{
	return s ? xstrndup(s, strlen(s)) : NULL;
}

char *xstrndup(const char *s, size_t n)
{
	if (!s)
		return NULL;
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	sbuf sb = {0};
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	return sb_detach(&sb);
}

void xgrow(void **arr, size_t *cap, size_t need, size_t elsz)
{
	if (need <= *cap)
		return;
	size_t n = *cap ? *cap : 8;
	while (n < need) {
		if (n > SIZE_MAX / 2 / elsz)
			oom();
		n *= 2;
	}
	*arr = xrealloc(*arr, n * elsz);
	*cap = n;
}

void sb_add(sbuf *sb, const char *s, size_t n)
{
	if (sb->len + n + 1 < sb->len)
		oom();
	if (sb->len + n + 1 > sb->cap)
		xgrow((void **)&sb->buf, &sb->cap, sb->len + n + 1, 1);
	if (n)
		memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_adds(sbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void sb_grow1(sbuf *sb)
{
	if (sb->len + 2 > sb->cap) {
		if (sb->len + 2 < sb->len)
			oom();
		xgrow((void **)&sb->buf, &sb->cap, sb->len + 2, 1);
	}
}

void sb_vaddf(sbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if (sb->len + (size_t)n + 1 > sb->cap)
		xgrow((void **)&sb->buf, &sb->cap, sb->len + (size_t)n + 1, 1);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void sb_addf(sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

void sb_reset(sbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

char *sb_detach(sbuf *sb)
{
	char *p = sb->buf ? sb->buf : xstrdup("");
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return p;
}

void sb_free(sbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

const char *sb_str(const sbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

int read_file_bounded(const char *path, size_t max, char **out, size_t *len,
		      char *err, size_t errsz, pm_status *status)
{
	int fd = 0;
	int is_stdin = strcmp(path, "-") == 0;
	*out = NULL;
	*len = 0;
	*status = PM_OK;
	if (!is_stdin) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			snprintf(err, errsz, "%s", errno == ENOENT ? "no such file" : strerror(errno));
			*status = PM_NO_INPUT;
			return -1;
		}
		struct stat st;
		if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
			snprintf(err, errsz, "is a directory");
			*status = PM_NO_INPUT;
			close(fd);
			return -1;
		}
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size > max) {
			snprintf(err, errsz, "file too large (%llu bytes, limit %zu MiB)",
				 (unsigned long long)st.st_size, max >> 20);
			*status = PM_TOO_BIG;
			close(fd);
			return -1;
		}
	}
	sbuf sb = {0};
	char chunk[65536];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errsz, "%s", strerror(errno));
			*status = PM_NO_INPUT;
			goto fail;
		}
		if (n == 0)
			break;
		if (sb.len + (size_t)n > max) {
			snprintf(err, errsz, "input too large (limit %zu MiB)", max >> 20);
			*status = PM_TOO_BIG;
			goto fail;
		}
		sb_add(&sb, chunk, (size_t)n);
	}
	if (!is_stdin)
		close(fd);
	*len = sb.len;
	*out = sb_detach(&sb);
	return 0;
fail:
	if (!is_stdin)
		close(fd);
	sb_free(&sb);
	return -1;
}

uint64_t fnv1a64(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t h = 14695981039346656037ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

void hash_hex(uint64_t h, char out[17])
{
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

int str_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int str_istarts(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

int str_ends(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

char *str_trim(char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

void str_lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

char *path_stem(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t n = (dot && dot != base) ? (size_t)(dot - base) : strlen(base);
	return xstrndup(base, n);
}

int utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t k;
		uint32_t cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			k = 1;
			cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			k = 2;
			cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			k = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (i + k >= n)
			return 0;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + j] & 0x3F);
		}
		if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += k + 1;
	}
	return 1;
}

static void vmsg(const char *prefix, const char *fmt, va_list ap)
{
	sbuf sb = {0};
	sb_adds(&sb, prefix);
	sb_vaddf(&sb, fmt, ap);
	sb_addc(&sb, '\n');
	fputs(sb.buf, stderr);
	sb_free(&sb);
}

void pmkb_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("pmkb: ", fmt, ap);
	va_end(ap);
}

int pmkb_quiet;

void pmkb_warning(const char *fmt, ...)
{
	if (pmkb_quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

void pmkb_hint(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("hint: ", fmt, ap);
	va_end(ap);
}

void json_strn(sbuf *sb, const char *s, size_t n)
{
	if (!s) {
		sb_adds(sb, "null");
		return;
	}
	sb_addc(sb, '"');
	for (size_t i = 0; i < n; i++) {
		/* the bytes that need no escape, in one copy (a match's JSON is
		 * mostly such runs) */
		size_t j = i;
		while (j < n && (unsigned char)s[j] >= 0x20 && s[j] != '"' && s[j] != '\\' && s[j] != 0x7f)
			j++;
		if (j > i) {
			sb_add(sb, s + i, j - i);
			i = j;
			if (i == n)
				break;
		}
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': sb_adds(sb, "\\\""); break;
		case '\\': sb_adds(sb, "\\\\"); break;
		case '\n': sb_adds(sb, "\\n"); break;
		case '\r': sb_adds(sb, "\\r"); break;
		case '\t': sb_adds(sb, "\\t"); break;
		default:
			if (c < 0x20 || c == 0x7f)
				sb_addf(sb, "\\u%04x", c);
			else
				sb_addc(sb, (char)c);
		}
	}
	sb_addc(sb, '"');
}

void json_str(sbuf *sb, const char *s)
{
	json_strn(sb, s, s ? strlen(s) : 0);
}

/* ASCII, and (for a pattern) no bracket expression and no escape. */
static int glob_plain(const char *s, int pattern)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80 || (pattern && (*s == '[' || *s == '\\')))
			return 0;
	return 1;
}

int glob_casefold(const char *pat, const char *s)
{
	if (!glob_plain(pat, 1) || !glob_plain(s, 0))
		return fnmatch(pat, s, FNM_CASEFOLD) == 0;
	/* '*' any run, '?' any one character; on a mismatch the last '*'
	 * takes one character more */
	const char *star = NULL, *resume = NULL;
	while (*s) {
		if (*pat == '*') {
			star = ++pat;
			resume = s;
		} else if (*pat && (*pat == '?' || tolower((unsigned char)*pat) == tolower((unsigned char)*s))) {
			pat++;
			s++;
		} else if (star) {
			pat = star;
			s = ++resume;
		} else {
			return 0;
		}
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}
