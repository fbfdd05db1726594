/* util.h - small helpers every part of pmkb uses: allocation, growable
 * strings, file reading with a size bound, hashing, messages.
 *
 * Allocation failure is not recoverable in a command-line tool: the x*
 * functions print "pmkb: out of memory" and exit 70.
 */
#ifndef PMKB_UTIL_H
#define PMKB_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include "status.h"

/* Failures are reported as a pm_status (status.h); the exit codes are
 * the command line's (cli/exit.h). */

#define PMKB_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);            /* NULL in, NULL out */
char *xstrndup(const char *s, size_t n); /* NULL in, NULL out */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow *arr (of elements of size elsz) so that it holds at least need
 * elements; *cap is updated. Doubles, so appends are amortised O(1). */
void xgrow(void **arr, size_t *cap, size_t need, size_t elsz);
#define XGROW(arr, cap, need) xgrow((void **)&(arr), &(cap), (need), sizeof(*(arr)))

/* Growable NUL-terminated byte string. Zero-initialise ({0}) before use. */
typedef struct sbuf {
	char *buf;
	size_t len;
	size_t cap;
} sbuf;

void sb_add(sbuf *sb, const char *s, size_t n);
void sb_adds(sbuf *sb, const char *s);
void sb_grow1(sbuf *sb); /* room for one more byte and the NUL */
/* the byte-at-a-time builders (line readers, redaction, the index text)
 * call this millions of times per import: inline, no memcpy */
static inline void sb_addc(sbuf *sb, char c)
{
	if (sb->len + 2 > sb->cap)
		sb_grow1(sb);
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}
void sb_addf(sbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vaddf(sbuf *sb, const char *fmt, va_list ap);
void sb_reset(sbuf *sb);
char *sb_detach(sbuf *sb); /* caller owns the string; sb is reset (never NULL) */
void sb_free(sbuf *sb);
const char *sb_str(const sbuf *sb); /* "" when empty */

/* Read at most max bytes of path (or stdin when path is "-") into a
 * NUL-terminated buffer the caller frees. Returns 0, or -1 with a reason in
 * err ("no such file", "is a directory", "larger than 64 MiB", ...) and
 * *status set to PM_NO_INPUT (cannot be read) or PM_TOO_BIG (over max). */
int read_file_bounded(const char *path, size_t max, char **out, size_t *len,
		      char *err, size_t errsz, pm_status *status);

/* 64-bit FNV-1a; content hashes are printed as 16 lower-case hex digits. */
uint64_t fnv1a64(const void *data, size_t n);
void hash_hex(uint64_t h, char out[17]);

/* String helpers. */
int str_starts(const char *s, const char *prefix);
int str_istarts(const char *s, const char *prefix);
int str_ends(const char *s, const char *suffix);
char *str_trim(char *s);                 /* in place; returns s advanced */
void str_lower(char *s);                 /* ASCII only, in place */
char *path_stem(const char *path);       /* "a/b/003_x.txt" -> "003_x"; caller frees */
int utf8_valid(const char *s, size_t n);
/* fnmatch(pat, s, FNM_CASEFOLD) == 0 (a shell glob, letters in either
 * case); when both are plain ASCII and the pattern has no '[' or '\\',
 * matched here, without fnmatch's conversion of both to wide characters
 * in a UTF-8 locale (the rules test every candidate's frames). */
int glob_casefold(const char *pat, const char *s);

/* Messages: "pmkb: <message>" on stderr. */
void pmkb_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* pmkb -q: warnings are not printed (errors and hints are). */
extern int pmkb_quiet;
void pmkb_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pmkb_hint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* JSON output helpers: append a quoted, escaped string (or null). */
void json_str(sbuf *sb, const char *s);
void json_strn(sbuf *sb, const char *s, size_t n);

#endif
