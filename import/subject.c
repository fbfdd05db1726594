/* subject.c - what a thread's subject says (case number, customer,
 * references, the title) and the customer of a sender: shared by the
 * thread reader and the mail reader. See docs/thread-format.md. */
#define _GNU_SOURCE
#include "readers.h"
#include "thread-int.h"
#include "mail-quote.h"
#include "../util/charset.h"
#include "../util/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- known customers ---- */

/* The customers whose threads the project has seen, with the names and
 * mail domains that identify them. A subject field that is not in this
 * table is still taken (see the pipe fields) as written. */
static const struct customer {
	const char *name;          /* canonical name stored in the case */
	const char *aliases[6];    /* text that names it in a subject */
	const char *domains[3];    /* mail domains of its staff */
} customers[] = {
	{"ICBC", {"ICBC", "工商银行", "工行", NULL}, {"icbc.com.cn", NULL}},
	{"中信建投", {"中信建投", "CSC证券", NULL}, {"csc.com.cn", NULL}},
	{"CCB", {"CCB", "建设银行", "建行", NULL}, {"ccb.com", NULL}},
	{"BOC", {"中国银行", NULL}, {"bankofchina.com", "boc.cn", NULL}},
	{"ABC", {"农业银行", "农行", NULL}, {"abchina.com", NULL}},
	{"CMB", {"招商银行", NULL}, {"cmbchina.com", NULL}},
};

/* Is the ASCII alias a whole word at p in s? */
static int word_at(const char *s, const char *p, size_t n)
{
	if (p > s && isalnum((unsigned char)p[-1]))
		return 0;
	return !isalnum((unsigned char)p[n]);
}

/* The canonical customer named in text, or NULL. */
static const char *customer_in(const char *text)
{
	for (size_t i = 0; i < PMKB_ARRAY_LEN(customers); i++) {
		for (const char *const *a = customers[i].aliases; *a; a++) {
			size_t n = strlen(*a);
			for (const char *p = strstr(text, *a); p; p = strstr(p + 1, *a)) {
				if ((unsigned char)(*a)[0] >= 0x80 || word_at(text, p, n))
					return customers[i].name;
			}
		}
	}
	return NULL;
}

/* Contract (readers.h). */
const char *thread_customer_of_sender(const char *sender)
{
	const char *at = sender ? strrchr(sender, '@') : NULL;
	if (!at)
		return NULL;
	at++;
	size_t an = strcspn(at, " >\t\r\n\f\v");
	for (size_t i = 0; i < PMKB_ARRAY_LEN(customers); i++) {
		for (const char *const *d = customers[i].domains; *d; d++) {
			size_t dn = strlen(*d);
			if (an >= dn && !strncasecmp(at + an - dn, *d, dn) &&
			    (an == dn || at[an - dn - 1] == '.'))
				return customers[i].name;
		}
	}
	return NULL;
}

/* ---- subject ---- */

/* A case number CAS-ddddd-XXXXXX at p (as a whole word): 16, else 0. */
static size_t case_no_at(const char *s, const char *p, const char *e)
{
	if (e - p < 16 || strncasecmp(p, "CAS-", 4) != 0)
		return 0;
	if (p > s && isalnum((unsigned char)p[-1]))
		return 0;
	for (int i = 4; i < 9; i++)
		if (!isdigit((unsigned char)p[i]))
			return 0;
	if (p[9] != '-')
		return 0;
	for (int i = 10; i < 16; i++)
		if (!isalnum((unsigned char)p[i]))
			return 0;
	if (p + 16 < e && isalnum((unsigned char)p[16]))
		return 0;
	return 16;
}

/* A reference like REG:120081126000849 or CMIT:0001362 at p: 2-8 capital
 * letters, a colon, at least 4 digits. Returns its length, or 0. */
static size_t ref_at(const char *s, const char *p, const char *e)
{
	if (p > s && isalnum((unsigned char)p[-1]))
		return 0;
	const char *q = p;
	while (q < e && q - p < 9 && *q >= 'A' && *q <= 'Z')
		q++;
	if (q - p < 2 || q - p > 8 || q >= e || *q != ':')
		return 0;
	if (q - p == 3 && !strncmp(p, "CAS", 3))
		return 0;
	const char *d = q + 1;
	while (d < e && *d == ' ')
		d++;
	const char *ds = d;
	while (d < e && isdigit((unsigned char)*d))
		d++;
	if (d - ds < 4 || (d < e && isalnum((unsigned char)*d)))
		return 0;
	return (size_t)(d - p);
}

/* Tags a mail gateway puts before a subject (the reply and forward
 * prefixes are mail-quote.c's). */
static const char *const subject_tags[] = {
	"【外来邮件，注意核实】", "【外来邮件】", "[外来邮件，注意核实]",
};

/* Tags a ticketing system appends to a subject. */
static const char *const subject_suffixes[] = {
	"初次响应", "案例重新分配", "重新分配", "案例更新", "跟进",
};

static int is_sep(unsigned char c)
{
	return th_is_space(c) || c == '-' || c == ':' || c == '|' || c == '%';
}

/* Strip prefixes, tags, bracketed case numbers and trailing tags from
 * [*s, *e). */
static void strip_subject(const char *subject, const char **ps, const char **pe)
{
	const char *s = *ps, *e = *pe;
	int changed = 1;
	while (changed && s < e) {
		changed = 0;
		th_trim_range(&s, &e);
		size_t pn = mq_prefix(s, e, NULL);
		for (size_t i = 0; i < PMKB_ARRAY_LEN(subject_tags) && !pn; i++)
			pn = th_starts_ci(s, e, subject_tags[i]);
		if (pn) {
			s += pn;
			changed = 1;
			continue;
		}
		if (*s == '[' || !strncmp(s, "【", 3)) {
			/* a bracket group that holds a case number or reference */
			const char *close = NULL;
			const char *want = *s == '[' ? "]" : "】";
			for (const char *q = s; q < e; q++)
				if (!strncmp(q, want, strlen(want))) {
					close = q;
					break;
				}
			if (close) {
				int tag = 0;
				for (const char *q = s; q < close; q++)
					if (case_no_at(subject, q, close) || ref_at(subject, q, close) ||
					    !strncmp(q, "案例", 6) || !strncmp(q, "外来邮件", 12))
						tag = 1;
				if (close - s == 3 && (s[1] == 'P' || s[1] == 'p') && isdigit((unsigned char)s[2]))
					tag = 1; /* "[P2]" */
				if (tag) {
					s = close + strlen(want);
					changed = 1;
					continue;
				}
			}
		}
		size_t n;
		if ((n = case_no_at(subject, s, e)) || (n = ref_at(subject, s, e))) {
			s += n;
			changed = 1;
			continue;
		}
		if (s < e && (*s == '-' || *s == ':')) {
			s++;
			changed = 1;
		}
	}
	changed = 1;
	while (changed && s < e) {
		changed = 0;
		th_trim_range(&s, &e);
		/* trailing "CMIT:0001362" */
		const char *w = e;
		while (w > s && !th_is_space((unsigned char)w[-1]))
			w--;
		if (w < e && (ref_at(subject, w, e) == (size_t)(e - w) ||
			      case_no_at(subject, w, e) == (size_t)(e - w))) {
			e = w;
			changed = 1;
			continue;
		}
		for (size_t i = 0; i < PMKB_ARRAY_LEN(subject_suffixes); i++) {
			size_t n = strlen(subject_suffixes[i]);
			if ((size_t)(e - s) >= n && !memcmp(e - n, subject_suffixes[i], n)) {
				e -= n;
				changed = 1;
				break;
			}
		}
	}
	*ps = s;
	*pe = e;
}

/* subject with full-width digits, letters and hyphens (ＣＡＳ－０２６９８－
 * Ｃ５Ｖ４Ｎ５, typed on a Chinese keyboard) made ASCII; NULL when it has
 * none. Other full-width punctuation (，：) stays. */
static char *fold_fullwidth(const char *s)
{
	if (!strstr(s, "\xEF\xBC") && !strstr(s, "\xEF\xBD"))
		return NULL;
	sbuf sb = {0};
	int folded = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		if (p[0] == 0xEF && (p[1] == 0xBC || p[1] == 0xBD) && p[2] >= 0x80 && p[2] <= 0xBF) {
			unsigned cp = (p[1] == 0xBC ? 0xFF00u : 0xFF40u) + (p[2] - 0x80u);
			unsigned a = cp - 0xFEE0u;
			if ((a >= '0' && a <= '9') || (a >= 'A' && a <= 'Z') || (a >= 'a' && a <= 'z') || a == '-') {
				sb_addc(&sb, (char)a);
				p += 3;
				folded = 1;
				continue;
			}
		}
		sb_addc(&sb, (char)*p++);
	}
	if (!folded) {
		sb_free(&sb);
		return NULL;
	}
	return sb_detach(&sb);
}

/* Contract (readers.h): fills id (case number), refs, customer, priority
 * and title from a subject. Fields the subject does not give are left as
 * they were, so a caller's fallback (the file stem as id) survives. */
void thread_parse_subject(const char *subject, pm_case *c)
{
	if (!subject || !c)
		return;
	char *folded = fold_fullwidth(subject);
	if (folded) {
		thread_parse_subject(folded, c);
		free(folded);
		return;
	}
	size_t len = strlen(subject);
	const char *end = subject + len;

	/* case number and references anywhere in the subject */
	sbuf refs = {0};
	int have_case = 0;
	for (const char *p = subject; p < end; p++) {
		size_t n;
		if (!have_case && (n = case_no_at(subject, p, end))) {
			char *id = xstrndup(p, n);
			for (char *q = id; *q; q++)
				*q = (char)toupper((unsigned char)*q);
			th_set_field(&c->id, id);
			have_case = 1;
			p += n - 1;
		} else if ((n = ref_at(subject, p, end))) {
			/* one blank after the colon is allowed in the subject; not stored */
			char *r = xstrndup(p, n);
			char *colon = strchr(r, ':');
			char *d = colon + 1;
			while (*d == ' ')
				memmove(d, d + 1, strlen(d));
			if (!refs.len || !strstr(refs.buf, r)) {
				if (refs.len)
					sb_addc(&refs, ' ');
				sb_adds(&refs, r);
			}
			free(r);
			p += n - 1;
		}
	}
	if (refs.len)
		th_set_field(&c->refs, sb_detach(&refs));
	sb_free(&refs);

	const char *s = subject, *e = end;
	strip_subject(subject, &s, &e);

	/* "% ... %" holds the real title (ticket systems add the markers) */
	const char *p1 = memchr(s, '%', (size_t)(e - s));
	if (p1) {
		const char *p2 = p1 + 1;
		while (p2 < e && *p2 != '%')
			p2++;
		if (p2 < e && p2 > p1 + 1) {
			s = p1 + 1;
			e = p2;
		} else {
			s = p1 + 1;
		}
		th_trim_range(&s, &e);
	}

	/* pipe fields: |P2|ICBC|title */
	const char *customer = NULL;
	if (memchr(s, '|', (size_t)(e - s))) {
		const char *fs[16], *fe[16];
		int nf = 0;
		const char *f = s;
		for (const char *q = s; q <= e && nf < 16; q++) {
			if (q == e || *q == '|') {
				const char *a = f, *b = q;
				th_trim_range(&a, &b);
				if (b > a) {
					fs[nf] = a;
					fe[nf] = b;
					nf++;
				}
				f = q + 1;
			}
		}
		if (nf >= 2) {
			for (int i = 0; i < nf - 1; i++) {
				size_t n = (size_t)(fe[i] - fs[i]);
				if (n == 2 && (fs[i][0] == 'P' || fs[i][0] == 'p') && isdigit((unsigned char)fs[i][1])) {
					char *pr = xstrndup(fs[i], 2);
					pr[0] = 'P';
					th_set_field(&c->priority, pr);
				} else if (!customer && n <= 40) {
					char *field = xstrndup(fs[i], n);
					const char *known = customer_in(field);
					th_set_field(&c->customer, xstrdup(known ? known : field));
					customer = c->customer;
					free(field);
				}
			}
			s = fs[nf - 1];
			e = fe[nf - 1];
		}
	}
	if (!customer) {
		const char *known = customer_in(subject);
		if (known)
			th_set_field(&c->customer, xstrdup(known));
	}
	/* "[P2]" style priority */
	if (!c->priority) {
		for (const char *q = subject; q + 4 <= end; q++)
			if ((q[0] == '[' || q[0] == '(') && (q[1] == 'P' || q[1] == 'p') &&
			    q[2] >= '0' && q[2] <= '4' && (q[3] == ']' || q[3] == ')')) {
				char pr[3] = {'P', q[2], 0};
				th_set_field(&c->priority, xstrdup(pr));
				break;
			}
	}

	for (int more = 1; more && s < e;) {
		more = 0;
		while (s < e && is_sep((unsigned char)*s))
			s++, more = 1;
		while (e > s && is_sep((unsigned char)e[-1]))
			e--, more = 1;
		th_trim_range(&s, &e);
	}
	if (e > s) {
		size_t n = th_utf8_cut(s, (size_t)(e - s), MAX_TITLE);
		th_set_field(&c->title, xstrndup(s, n));
	} else if (!c->title) {
		const char *a = subject, *b = end;
		th_trim_range(&a, &b);
		th_set_field(&c->title, xstrndup(a, th_utf8_cut(a, (size_t)(b - a), MAX_TITLE)));
	}
}
