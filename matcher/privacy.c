/* privacy.c - the outgoing privacy check (privacy.h). Patterns are POSIX
 * EREs compiled once; digit runs (phones, ID numbers) are scanned by hand
 * because they must not fire inside hex numbers (0xC1900101) or dates. */
#define _GNU_SOURCE /* strcasestr, memmem */
#include "privacy.h"
#include "../import/readers.h"

#include <ctype.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct pattern {
	const char *kind;
	const char *re;
} patterns[] = {
	{"case id", "(CAS|SR|INC|REQ|TKT)-[0-9]{3,}"},
	{"case id", "(CMIT|REG)(:|：)? ?[0-9]{3,}"},
	{"case id", "(case|ticket|工单|案例|案例号|case no\\.?)[ ]*(#|号|no\\.?)?[ ]*(:|：)?[ ]*[0-9]{6,}"},
	{"e-mail address", "[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+"},
	{"password", "(password|passwd|pwd|密码|口令)[ ]*(:|：|=)"},
	{"URL", "(https?|ftp|file|smb)://[^ \t\r\n]+"},
	{"host name", "[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.(com|cn|net|org|local|corp|lan|internal|intra|int|io|edu|gov|localdomain)([^A-Za-z0-9-]|$)"},
	{"machine name", "(DESKTOP|LAPTOP|WIN|PC|SRV|SERVER)-[A-Z0-9]{5,}"},
	{"machine name", "\\\\\\\\[A-Za-z0-9._-]+\\\\"},
	/* the first octet of two or three digits: "2.0.1.8" is a version */
	{"IP address", "(^|[^0-9.])[1-9][0-9]{1,2}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}([^0-9.]|$)"},
};

static regex_t compiled[PMKB_ARRAY_LEN(patterns)];
static int compiled_ok;

static void compile_all(void)
{
	if (compiled_ok)
		return;
	for (size_t i = 0; i < PMKB_ARRAY_LEN(patterns); i++)
		if (regcomp(&compiled[i], patterns[i].re, REG_EXTENDED | REG_ICASE) != 0)
			abort(); /* a typo in the table above: the unit tests catch it */
	compiled_ok = 1;
}

static void finding(sbuf *why, int *n, const char *kind, const char *text, size_t off, size_t len)
{
	(*n)++;
	if (!why)
		return;
	/* two characters (UTF-8), never the whole datum */
	size_t show = 0;
	for (int chars = 0; show < len && chars < 2; chars++) {
		show++;
		while (show < len && ((unsigned char)text[off + show] & 0xc0) == 0x80)
			show++;
	}
	sb_addf(why, "%s at byte %zu: %.*s...\n", kind, off, (int)show, text + off);
}

static int host_allowed(const char *s, size_t len, const privacy_opts *o)
{
	for (size_t i = 0; o && i < o->nallow; i++) {
		size_t al = strlen(o->allow_hosts[i]);
		/* the host, or a URL on it */
		const char *h = s;
		size_t hl = len;
		const char *sl = memmem(s, len, "://", 3);
		if (sl) {
			h = sl + 3;
			hl = len - (size_t)(h - s);
			const char *end = memchr(h, '/', hl);
			if (end)
				hl = (size_t)(end - h);
		}
		while (hl && !isalnum((unsigned char)h[hl - 1]))
			hl--;
		if (hl >= al && strncasecmp(h + hl - al, o->allow_hosts[i], al) == 0 &&
		    (hl == al || h[hl - al - 1] == '.'))
			return 1;
	}
	return 0;
}

static void run_patterns(const char *text, const privacy_opts *o, sbuf *why, int *n)
{
	compile_all();
	for (size_t i = 0; i < PMKB_ARRAY_LEN(patterns); i++) {
		const char *p = text;
		regmatch_t m;
		while (*p && regexec(&compiled[i], p, 1, &m, p == text ? 0 : REG_NOTBOL) == 0) {
			size_t off = (size_t)(p - text) + (size_t)m.rm_so;
			size_t len = (size_t)(m.rm_eo - m.rm_so);
			if (len == 0) {
				p++;
				continue;
			}
			int hostish = !strcmp(patterns[i].kind, "URL") || !strcmp(patterns[i].kind, "host name");
			if (!(hostish && host_allowed(text + off, len, o)))
				finding(why, n, patterns[i].kind, text, off, len);
			p = text + off + len;
		}
	}
}

/* Phone and ID numbers: a run of digits with single spaces, hyphens or
 * brackets between groups (and an optional leading +), starting where no
 * letter or digit precedes it: "13812340001", "+86 (510) 55501234",
 * "0756-5550123", "110105199001011232". Not a date (2022-04-25) nor a
 * Windows update (KB4559003). */
static void scan_numbers(const char *text, sbuf *why, int *n)
{
	size_t len = strlen(text);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (!(isdigit(c) || (c == '+' && i + 1 < len && isdigit((unsigned char)text[i + 1]))))
			continue;
		if (i > 0 && (isalnum((unsigned char)text[i - 1]) || text[i - 1] == '_' || text[i - 1] == '.'))
			continue;
		/* a date, 2022-04-25, is not a number to hide (nor the time after it) */
		if (i + 10 <= len && isdigit((unsigned char)text[i + 1]) && isdigit((unsigned char)text[i + 2]) &&
		    isdigit((unsigned char)text[i + 3]) && text[i + 4] == '-' && isdigit((unsigned char)text[i + 5]) &&
		    isdigit((unsigned char)text[i + 6]) && text[i + 7] == '-' && isdigit((unsigned char)text[i + 8]) &&
		    isdigit((unsigned char)text[i + 9])) {
			i += 9;
			continue;
		}
		/* a Windows update number: KB4559003, KB 4559003 */
		if ((i >= 2 && !strncasecmp(text + i - 2, "KB", 2)) ||
		    (i >= 3 && !strncasecmp(text + i - 3, "KB ", 3)))
			continue;
		size_t j = i, digits = 0, last_digit = i;
		int x_end = 0;
		while (j < len) {
			unsigned char d = (unsigned char)text[j];
			if (isdigit(d)) {
				digits++;
				last_digit = j;
			} else if ((d == ' ' || d == '-' || d == '(' || d == ')' || (d == '+' && j == i)) &&
				   j + 1 < len && (isdigit((unsigned char)text[j + 1]) || text[j + 1] == '(')) {
				/* a separator between groups */
			} else if ((d == 'X' || d == 'x') && digits == 17) {
				x_end = 1;
				last_digit = j;
				j++;
				break;
			} else {
				break;
			}
			j++;
		}
		size_t end = last_digit + 1;
		/* hex, a version or a file name goes on with a letter or dot */
		int glued = end < len && (isalnum((unsigned char)text[end]) || text[end] == '_' ||
					  (text[end] == '.' && end + 1 < len && isalnum((unsigned char)text[end + 1])));
		if (!glued) {
			if ((digits == 17 && x_end) || digits == 18 || digits == 15)
				finding(why, n, "ID number", text, i, end - i);
			else if (digits >= 7 && digits <= 16)
				finding(why, n, "phone number", text, i, end - i);
		}
		i = end;
	}
}

static int word_char(unsigned char c)
{
	return isalnum(c) || c == '_';
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Is the candidate text[at, at+len) the name behind one of the sorted
 * pseudonyms? */
static void try_candidate(const char *text, size_t at, size_t len, char **pseud, size_t np,
			  sbuf *why, int *n)
{
	char *cand = xstrndup(text + at, len);
	char *ps = redact_pseudonym(cand);
	free(cand);
	if (ps && bsearch(&ps, pseud, np, sizeof *pseud, cmp_str))
		finding(why, n, "name", text, at, len);
	free(ps);
}

static int cjk_at(const unsigned char *s)
{
	return s[0] >= 0xE4 && s[0] <= 0xE9 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
	       !(s[0] == 0xE4 && s[1] < 0xB8);
}

/* The knowledge base keeps a person's name only as its pseudonym
 * (import/redact-case.c), so a stored person is found in text by the
 * pseudonym of each name-shaped candidate: runs of 1-4 capitalised Latin
 * words, and 2-4 characters of a CJK run. */
static void scan_pseudonyms(const char *text, char **pseud, size_t np, sbuf *why, int *n)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t len = strlen(text);
	for (size_t i = 0; i < len;) {
		if (i + 3 <= len && cjk_at(t + i)) {
			size_t end = i;
			while (end + 3 <= len && cjk_at(t + end))
				end += 3;
			for (size_t a = i; a < end; a += 3)
				for (size_t k = 2; k <= 4 && a + 3 * k <= end; k++)
					try_candidate(text, a, 3 * k, pseud, np, why, n);
			i = end;
			continue;
		}
		if (t[i] >= 'A' && t[i] <= 'Z' && (i == 0 || !word_char(t[i - 1]))) {
			/* up to four capitalised words from here, one blank apart */
			size_t ends[4], k = 0, p = i;
			while (k < 4 && p < len && t[p] >= 'A' && t[p] <= 'Z') {
				while (p < len && (isalpha(t[p]) || t[p] == '.' || t[p] == '-' || t[p] == '\''))
					p++;
				ends[k++] = p;
				if (p + 1 < len && t[p] == ' ' && t[p + 1] >= 'A' && t[p + 1] <= 'Z')
					p++;
				else
					break;
			}
			for (size_t w = 0; w < k; w++)
				if (ends[w] >= len || !word_char(t[ends[w]]))
					try_candidate(text, i, ends[w] - i, pseud, np, why, n);
		}
		i++;
	}
}

static void scan_names(const char *text, const privacy_opts *o, sbuf *why, int *n)
{
	char **pseud = NULL;
	size_t np = 0;
	for (size_t k = 0; o && k < o->nnames; k++)
		if (o->names[k] && str_starts(o->names[k], REDACT_PSEUDO_PREFIX)) {
			pseud = xrealloc(pseud, (np + 1) * sizeof *pseud);
			pseud[np++] = (char *)o->names[k];
		}
	if (np) {
		qsort(pseud, np, sizeof *pseud, cmp_str);
		scan_pseudonyms(text, pseud, np, why, n);
	}
	free(pseud);
	for (size_t k = 0; o && k < o->nnames; k++) {
		const char *name = o->names[k];
		if (name && str_starts(name, REDACT_PSEUDO_PREFIX))
			continue;
		size_t nl = name ? strlen(name) : 0;
		if (nl < 2)
			continue;
		int ascii = 1;
		for (size_t i = 0; i < nl; i++)
			if ((unsigned char)name[i] >= 0x80)
				ascii = 0;
		for (const char *p = text; (p = ascii ? strcasestr(p, name) : strstr(p, name)); p += nl) {
			/* a Latin name is a word of its own: "Li" is not in "Link" */
			if (ascii && ((p > text && word_char((unsigned char)p[-1])) || word_char((unsigned char)p[nl])))
				continue;
			finding(why, n, "name", text, (size_t)(p - text), nl);
		}
	}
}

int privacy_check(const char *text, const privacy_opts *o, sbuf *why)
{
	int n = 0;
	if (!text)
		return 0;
	run_patterns(text, o, why, &n);
	scan_numbers(text, why, &n);
	scan_names(text, o, why, &n);
	return n;
}
