/* thread.c - the reader of the seed export format (邮件主题 line, then
 * "====第N封邮件====" blocks of 发件人/发送时间/邮件内容) and of plain text,
 * plus the subject parsing shared with the mail reader, the extraction of
 * the sections engineers write (问题分析, 下一步动作, ...) and the
 * closed/open status. See docs/thread-format.md. */
#define _GNU_SOURCE
#include "readers.h"
#include "mail-quote.h"
#include "../util/charset.h"
#include "../util/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_MESSAGES 10000
#define MAX_NOTE 4000
#define MAX_TITLE 300
#define SUBJECT_LABEL "邮件主题"

/* ---- small string helpers ---- */

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* Length of a Unicode blank (U+00A0, U+2000..U+200B, U+202F, U+205F,
 * U+3000, U+FEFF) starting at p, or 0. Subjects of the seeds use U+2009. */
static size_t uspace_at(const char *p, const char *e)
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
static size_t uspace_before(const char *s, const char *e)
{
	if (e - s >= 2 && uspace_at(e - 2, e) == 2)
		return 2;
	if (e - s >= 3 && uspace_at(e - 3, e) == 3)
		return 3;
	return 0;
}

/* Trim ASCII and Unicode blanks from both ends of [*s, *e). */
static void trim_range(const char **s, const char **e)
{
	size_t n;
	for (;;) {
		if (*s < *e && is_space((unsigned char)**s))
			(*s)++;
		else if ((n = uspace_at(*s, *e)))
			*s += n;
		else
			break;
	}
	for (;;) {
		if (*e > *s && is_space((unsigned char)(*e)[-1]))
			(*e)--;
		else if ((n = uspace_before(*s, *e)))
			*e -= n;
		else
			break;
	}
}

static char *dup_trim(const char *s, const char *e)
{
	trim_range(&s, &e);
	return xstrndup(s, (size_t)(e - s));
}

/* Cut n at a UTF-8 character boundary at or below max. */
static size_t utf8_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

/* Does [p, e) start with the ASCII-case-insensitive prefix pre? */
static size_t starts_ci(const char *p, const char *e, const char *pre)
{
	size_t n = strlen(pre);
	if ((size_t)(e - p) < n || strncasecmp(p, pre, n) != 0)
		return 0;
	return n;
}

/* A colon, ASCII or full-width, at p: its length, or 0. */
static size_t colon_at(const char *p, const char *e)
{
	if (p < e && *p == ':')
		return 1;
	if (e - p >= 3 && !memcmp(p, "：", 3))
		return 3;
	return 0;
}

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
	return is_space(c) || c == '-' || c == ':' || c == '|' || c == '%';
}

/* Strip prefixes, tags, bracketed case numbers and trailing tags from
 * [*s, *e). */
static void strip_subject(const char *subject, const char **ps, const char **pe)
{
	const char *s = *ps, *e = *pe;
	int changed = 1;
	while (changed && s < e) {
		changed = 0;
		trim_range(&s, &e);
		size_t pn = mq_prefix(s, e, NULL);
		for (size_t i = 0; i < PMKB_ARRAY_LEN(subject_tags) && !pn; i++)
			pn = starts_ci(s, e, subject_tags[i]);
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
		trim_range(&s, &e);
		/* trailing "CMIT:0001362" */
		const char *w = e;
		while (w > s && !is_space((unsigned char)w[-1]))
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

static void set_field(char **field, char *value)
{
	free(*field);
	*field = value;
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
			set_field(&c->id, id);
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
		set_field(&c->refs, sb_detach(&refs));
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
		trim_range(&s, &e);
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
				trim_range(&a, &b);
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
					set_field(&c->priority, pr);
				} else if (!customer && n <= 40) {
					char *field = xstrndup(fs[i], n);
					const char *known = customer_in(field);
					set_field(&c->customer, xstrdup(known ? known : field));
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
			set_field(&c->customer, xstrdup(known));
	}
	/* "[P2]" style priority */
	if (!c->priority) {
		for (const char *q = subject; q + 4 <= end; q++)
			if ((q[0] == '[' || q[0] == '(') && (q[1] == 'P' || q[1] == 'p') &&
			    q[2] >= '0' && q[2] <= '4' && (q[3] == ']' || q[3] == ')')) {
				char pr[3] = {'P', q[2], 0};
				set_field(&c->priority, xstrdup(pr));
				break;
			}
	}

	for (int more = 1; more && s < e;) {
		more = 0;
		while (s < e && is_sep((unsigned char)*s))
			s++, more = 1;
		while (e > s && is_sep((unsigned char)e[-1]))
			e--, more = 1;
		trim_range(&s, &e);
	}
	if (e > s) {
		size_t n = utf8_cut(s, (size_t)(e - s), MAX_TITLE);
		set_field(&c->title, xstrndup(s, n));
	} else if (!c->title) {
		const char *a = subject, *b = end;
		trim_range(&a, &b);
		set_field(&c->title, xstrndup(a, utf8_cut(a, (size_t)(b - a), MAX_TITLE)));
	}
}

/* ---- notes ---- */

static const struct heading {
	const char *text;
	const char *kind; /* NULL: a heading that only ends the previous section */
} headings[] = {
	{"因此我们的建议是", PM_NOTE_NEXT_STEP},
	{"我们的建议是", PM_NOTE_NEXT_STEP},
	{"问题定义", PM_NOTE_DEFINITION},
	{"问题描述", PM_NOTE_DESCRIPTION},
	{"问题分析", PM_NOTE_ANALYSIS},
	{"问题总结", PM_NOTE_CONCLUSION},
	{"分析结论", PM_NOTE_CONCLUSION},
	{"案例总结", PM_NOTE_CONCLUSION},
	{"下一步动作", PM_NOTE_NEXT_STEP},
	{"下一步建议", PM_NOTE_NEXT_STEP},
	{"下一步计划", PM_NOTE_NEXT_STEP},
	{"建议尝试", PM_NOTE_NEXT_STEP},
	{"建议", PM_NOTE_NEXT_STEP},
	{"案例描述", PM_NOTE_DESCRIPTION},
	{"案例分析及进展", PM_NOTE_ANALYSIS},
	{"案例分析", PM_NOTE_ANALYSIS},
	{"案例进展", PM_NOTE_CONCLUSION},
	{"分析细节", NULL},
	{"问题范围", NULL},
	{"问题现象", NULL},
	{"Case No", NULL},
	{"Dump分析", NULL},
};

/* Is [p, e) a heading line ("问题分析：", "下一步动作: text")? Returns the
 * heading, and in *rest where the text after the colon starts. */
static const struct heading *heading_line(const char *p, const char *e, const char **rest)
{
	trim_range(&p, &e);
	for (size_t i = 0; i < PMKB_ARRAY_LEN(headings); i++) {
		size_t n = starts_ci(p, e, headings[i].text);
		if (!n)
			continue;
		const char *q = p + n;
		while (q < e && (*q == ' ' || *q == '\t'))
			q++;
		size_t cn = colon_at(q, e);
		if (!cn)
			continue;
		*rest = q + cn;
		return &headings[i];
	}
	return NULL;
}

/* A rule line: only '=', '-', '_', '*', '☆' (at least three). */
static int rule_line(const char *p, const char *e)
{
	trim_range(&p, &e);
	int n = 0;
	while (p < e) {
		if (*p == '=' || *p == '-' || *p == '_' || *p == '*' || *p == '~') {
			p++;
		} else if (e - p >= 3 && (!memcmp(p, "☆", 3) || !memcmp(p, "★", 3) || !memcmp(p, "—", 3))) {
			p += 3;
		} else {
			return 0;
		}
		n++;
	}
	return n >= 3;
}

/* A WinDbg prompt line: "0: kd> ...", "kd> ...", "lkd> ...". */
static int prompt_line(const char *p, const char *e)
{
	trim_range(&p, &e);
	while (p < e && isdigit((unsigned char)*p))
		p++;
	if (p < e && *p == ':')
		p++;
	while (p < e && *p == ' ')
		p++;
	return starts_ci(p, e, "kd>") || starts_ci(p, e, "lkd>");
}

/* Closing words and signatures end a section; so does the start of a
 * quoted mail (mail-quote.c: a separator, a From/Sent header line). */
static const char *const stop_prefixes[] = {
	"以上", "谢谢", "此致", "顺祝", "祝好", "Best regards", "Best Regards", "BRs", "Regards",
	"Thanks", "Thank you", "Support Escalation",
};

static int stop_line(const char *p, const char *e)
{
	trim_range(&p, &e);
	if (mq_boundary(p, e) || mq_sent_line(p, e, 0))
		return 1;
	for (size_t i = 0; i < PMKB_ARRAY_LEN(stop_prefixes); i++)
		if (starts_ci(p, e, stop_prefixes[i]))
			return 1;
	/* a short label line of its own ("MEMORY TMS lanping.DMP：", "Call Stack:")
	 * starts some other part of the mail */
	size_t n = (size_t)(e - p);
	if (n > 0 && n <= 32 && !isdigit((unsigned char)*p)) {
		if (e[-1] == ':' || (n >= 3 && !memcmp(e - 3, "：", 3)))
			return 1;
	}
	return 0;
}

#define MAX_INLINE 3      /* inline suggestions kept per message */
#define MAX_INLINE_LEN 300

/* Engineers often give the next step inside prose rather than under a
 * heading ("…，建议由TMS厂商进行进一步排查。"). When a message has no
 * next-step section, each such "建议…" clause becomes a next_step note:
 * from 建议 to the end of its sentence, without a trailing "，谢谢" or
 * "，请问…". Not a suggestion: "的建议" (a noun: "按照 Jeffrey 的建议"),
 * "已建议"/"已经建议" (done before), "建议：" (a heading, handled above). */
static void inline_suggestions(pm_case *c, int idx, const char *body)
{
	static const char kw[] = "建议";
	int found = 0;
	for (const char *p = strstr(body, kw); p && found < MAX_INLINE; p = strstr(p + 1, kw)) {
		if (p - body >= 3 && (!memcmp(p - 3, "的", 3) || !memcmp(p - 3, "已", 3)))
			continue;
		if (p - body >= 6 && !memcmp(p - 6, "已经", 6))
			continue;
		const char *q = p + strlen(kw);
		if (!*q || *q == '\n' || colon_at(q, q + strnlen(q, 3)) || !strncmp(q, "是", 3) ||
		    !strncmp(q, "，", 3) || !strncmp(q, "。", 3) || !strncmp(q, "尝试：", 9))
			continue;
		/* the line must not be a heading line (those are sections) */
		const char *ls = p;
		while (ls > body && ls[-1] != '\n')
			ls--;
		const char *le = strchr(p, '\n');
		if (!le)
			le = p + strlen(p);
		const char *rest;
		if (heading_line(ls, le, &rest))
			continue;
		const char *e = p;
		while (e < le) {
			if (!strncmp(e, "。", 3) || !strncmp(e, "！", 3) || !strncmp(e, "？", 3) ||
			    !strncmp(e, "；", 3) || *e == ';')
				break;
			if (!strncmp(e, "，谢谢", 9) || !strncmp(e, "，请问", 9) || !strncmp(e, "谢谢", 6) ||
			    !strncmp(e, ",谢谢", 7))
				break;
			e++;
		}
		const char *a = p, *b = e;
		trim_range(&a, &b);
		while (b > a && (b[-1] == ',' || b[-1] == '.'))
			b--;
		if ((size_t)(b - a) <= strlen(kw) + 3)
			continue;
		char *t = xstrndup(a, utf8_cut(a, (size_t)(b - a), MAX_INLINE_LEN));
		pm_case_add_note(c, idx, PM_NOTE_NEXT_STEP, t);
		free(t);
		found++;
		p = e > p ? e - 1 : p;
	}
}

/* Contract (readers.h): appends to c one note per section heading found in
 * body (UTF-8, redacted), each at most MAX_NOTE bytes; sections with no
 * text are skipped. A message with no next-step section gets its inline
 * "建议…" clauses as next_step notes (at most 3, 300 bytes each). */
void thread_extract_notes(pm_case *c, int idx, const char *body)
{
	size_t notes_before = c ? c->nnotes : 0;
	if (!c || !body)
		return;
	const char *p = body;
	const struct heading *cur = NULL;
	sbuf text = {0};
	int started = 0, blanks = 0;

#define FLUSH()                                                                        \
	do {                                                                           \
		if (cur && cur->kind) {                                                \
			const char *a = sb_str(&text), *b = a + text.len;              \
			trim_range(&a, &b);                                            \
			if (b > a) {                                                   \
				char *t = xstrndup(a, utf8_cut(a, (size_t)(b - a), MAX_NOTE)); \
				pm_case_add_note(c, idx, cur->kind, t);                \
				free(t);                                               \
			}                                                              \
		}                                                                      \
		cur = NULL;                                                            \
		sb_reset(&text);                                                       \
	} while (0)

	while (*p) {
		const char *nl = strchr(p, '\n');
		const char *e = nl ? nl : p + strlen(p);
		const char *rest = NULL;
		const struct heading *h = heading_line(p, e, &rest);
		if (h) {
			FLUSH();
			cur = h;
			const char *a = rest, *b = e;
			trim_range(&a, &b);
			started = b > a;
			blanks = 0;
			if (started)
				sb_add(&text, a, (size_t)(b - a));
		} else if (cur) {
			const char *a = p, *b = e;
			trim_range(&a, &b);
			if (b == a) {
				if (started && ++blanks >= 2)
					FLUSH();
			} else if (rule_line(p, e)) {
				if (started)
					FLUSH(); /* a rule under the heading is decoration */
			} else if (prompt_line(p, e) || (started && stop_line(p, e))) {
				FLUSH();
			} else if (text.len < MAX_NOTE) {
				if (text.len)
					sb_addc(&text, '\n');
				sb_add(&text, a, (size_t)(b - a));
				started = 1;
				blanks = 0;
			}
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	FLUSH();
	sb_free(&text);
#undef FLUSH
	for (size_t i = notes_before; i < c->nnotes; i++)
		if (!strcmp(c->notes[i].kind, PM_NOTE_NEXT_STEP))
			return;
	inline_suggestions(c, idx, body);
}

/* ---- status ---- */

/* Words engineers use when a case is closed (or archived), and when it is
 * solved. "考虑关闭案例" (the scope mail's "we will consider closing")
 * must not count, so bare "关闭" is not a keyword. */
static const char *const closed_words[] = {
	"可关闭", "关闭处理", "暂做关闭", "做关闭", "已关闭", "可以关了", "可以关闭", "归档", "结案",
	"case closed", "close this case", "close the case", "can be closed",
};
static const char *const resolved_words[] = {
	"已解决", "问题解决了", "has been resolved", "is resolved", "was resolved",
};

static int contains_ci(const char *hay, const char *needle)
{
	if ((unsigned char)needle[0] >= 0x80)
		return strstr(hay, needle) != NULL;
	return strcasestr(hay, needle) != NULL;
}

/* Contract (readers.h): sets c->status to "closed" when a body says the
 * case is closed or archived, else "resolved" when one says it is solved,
 * else "open". */
void thread_detect_status(pm_case *c)
{
	if (!c)
		return;
	const char *st = "open";
	for (size_t i = 0; i < c->nmessages; i++) {
		const char *b = c->messages[i].body;
		if (!b)
			continue;
		for (size_t k = 0; k < PMKB_ARRAY_LEN(closed_words); k++)
			if (contains_ci(b, closed_words[k])) {
				st = "closed";
				goto done;
			}
		for (size_t k = 0; k < PMKB_ARRAY_LEN(resolved_words); k++)
			if (contains_ci(b, resolved_words[k]))
				st = "resolved";
	}
done:
	set_field(&c->status, xstrdup(st));
}

/* ---- reading ---- */

/* Binary or not text at all? Looks at the first 8 KiB of the raw bytes:
 * any NUL, or more than 10% control characters. */
static const char *binary_reason(const char *buf, size_t len)
{
	size_t n = len < 8192 ? len : 8192, ctl = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (c == 0)
			return "binary file (NUL bytes)";
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' &&
		     c != 0x1b && c != '\b') || c == 0x7f)
			ctl++;
	}
	if (ctl * 10 > n)
		return "binary file (not text)";
	return NULL;
}

/* CRLF and lone CR become LF, in place; returns the new length. */
static size_t normalise_newlines(char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\r') {
			s[o++] = '\n';
			if (i + 1 < n && s[i + 1] == '\n')
				i++;
		} else {
			s[o++] = s[i];
		}
	}
	s[o] = 0;
	return o;
}

/* Skip a UTF-8 BOM and leading blank lines. */
static const char *skip_lead(const char *s)
{
	if (!strncmp(s, "\xEF\xBB\xBF", 3))
		s += 3;
	while (*s && is_space((unsigned char)*s))
		s++;
	return s;
}

/* Does the line at p say 邮件主题：? Returns where the subject starts. */
static const char *subject_line(const char *p)
{
	size_t n = strlen(SUBJECT_LABEL);
	if (strncmp(p, SUBJECT_LABEL, n))
		return NULL;
	p += n;
	while (*p == ' ' || *p == '\t')
		p++;
	size_t cn = colon_at(p, p + strnlen(p, 3));
	return cn ? p + cn : NULL;
}

int thread_is_export(const char *buf, size_t len)
{
	if (!buf || !len)
		return 0;
	/* decode only a bounded head: the subject line and the first marker
	 * are near the start */
	size_t n = len < 65536 ? len : 65536;
	char *u = charset_text_to_utf8(buf, n, NULL, NULL);
	const char *p = skip_lead(u);
	int ok = 0;
	if (subject_line(p)) {
		for (const char *l = p; l && *l;) {
			const char *nl = strchr(l, '\n');
			const char *e = nl ? nl : l + strlen(l);
			if (mq_block_marker(l, e)) {
				ok = 1;
				break;
			}
			l = nl ? nl + 1 : NULL;
		}
	}
	free(u);
	return ok;
}

/* "2022-04-25 15:42:32.232000+00:00" -> "2022-04-25 15:42:32" in UTC.
 * Text that is not such a date is kept as written (bounded). */
static char *parse_sent(const char *s, const char *e)
{
	trim_range(&s, &e);
	size_t n = (size_t)(e - s);
	int Y, M, D, h, m, sec;
	char sep;
	char tmp[80];
	size_t k = n < sizeof tmp - 1 ? n : sizeof tmp - 1;
	memcpy(tmp, s, k);
	tmp[k] = 0;
	int used = 0;
	if (sscanf(tmp, "%4d-%2d-%2d%c%2d:%2d:%2d%n", &Y, &M, &D, &sep, &h, &m, &sec, &used) == 7 &&
	    (sep == ' ' || sep == 'T') && M >= 1 && M <= 12 && D >= 1 && D <= 31 && h < 24 && m < 60 &&
	    sec <= 60) {
		const char *t = tmp + used;
		if (*t == '.')
			for (t++; isdigit((unsigned char)*t); t++)
				;
		int off = 0;
		if ((*t == '+' || *t == '-') && isdigit((unsigned char)t[1]) && isdigit((unsigned char)t[2])) {
			int oh = (t[1] - '0') * 10 + (t[2] - '0'), om = 0;
			const char *u = t + 3;
			if (*u == ':')
				u++;
			if (isdigit((unsigned char)u[0]) && isdigit((unsigned char)u[1]))
				om = (u[0] - '0') * 10 + (u[1] - '0');
			off = (oh * 60 + om) * 60 * (*t == '-' ? -1 : 1);
		}
		struct tm tm = {0};
		tm.tm_year = Y - 1900;
		tm.tm_mon = M - 1;
		tm.tm_mday = D;
		tm.tm_hour = h;
		tm.tm_min = m;
		tm.tm_sec = sec;
		time_t tt = timegm(&tm) - off;
		struct tm out;
		if (gmtime_r(&tt, &out)) {
			char b[96];
			snprintf(b, sizeof b, "%04d-%02d-%02d %02d:%02d:%02d", out.tm_year + 1900,
				 out.tm_mon + 1, out.tm_mday, out.tm_hour, out.tm_min, out.tm_sec);
			return xstrdup(b);
		}
	}
	return n ? xstrndup(s, utf8_cut(s, n, 64)) : NULL;
}

/* Header field "label：value" at line [p, e)? Returns the value start. */
static const char *field_line(const char *p, const char *e, const char *label)
{
	size_t n = strlen(label);
	if ((size_t)(e - p) < n || memcmp(p, label, n))
		return NULL;
	p += n;
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	size_t cn = colon_at(p, e);
	return cn ? p + cn : NULL;
}

/* Store body [s, e) redacted in message m of c. */
static void set_body(pm_case *c, pm_message *m, const char *s, const char *e)
{
	/* drop blank lines around the body but keep indentation of its first line */
	while (s < e && (*s == '\n' || *s == '\r'))
		s++;
	while (e > s && is_space((unsigned char)e[-1]))
		e--;
	char *raw = xstrndup(s, (size_t)(e - s));
	m->body = redact_text(raw, &c->redactions);
	free(raw);
}

/* Parse the export format in the UTF-8 text u (subject line at u). */
static int read_export(pm_case *c, const char *u, char *err, size_t errsz)
{
	const char *subj = subject_line(u);
	const char *nl = strchr(subj, '\n');
	const char *se = nl ? nl : subj + strlen(subj);
	char *subject = dup_trim(subj, se);
	char *rsubject = redact_text(subject, &c->redactions);
	free(subject);
	thread_parse_subject(rsubject, c);
	free(rsubject);

	pm_message *m = NULL;
	const char *body = NULL; /* start of the current body, once 邮件内容 is seen */
	const char *hdr_end = NULL;
	const char *p = nl ? nl + 1 : se;
	while (*p) {
		const char *l = strchr(p, '\n');
		const char *e = l ? l : p + strlen(p);
		if (mq_block_marker(p, e)) {
			if (m)
				set_body(c, m, body ? body : (hdr_end ? hdr_end : p), p);
			if (c->nmessages >= MAX_MESSAGES) {
				snprintf(err, errsz, "more than %d message blocks", MAX_MESSAGES);
				return -1;
			}
			m = pm_case_add_message(c);
			body = NULL;
			hdr_end = l ? l + 1 : e;
		} else if (m && !body) {
			const char *v;
			if ((v = field_line(p, e, "发件人")) && !m->sender) {
				char *s = dup_trim(v, e);
				if (*s)
					m->sender = s;
				else
					free(s);
				hdr_end = l ? l + 1 : e;
			} else if ((v = field_line(p, e, "发送时间")) && !m->sent) {
				m->sent = parse_sent(v, e);
				hdr_end = l ? l + 1 : e;
			} else if ((v = field_line(p, e, "邮件主题")) && !m->subject) {
				char *s = dup_trim(v, e);
				m->subject = redact_text(s, &c->redactions);
				free(s);
				hdr_end = l ? l + 1 : e;
			} else if (field_line(p, e, "邮件内容")) {
				body = l ? l + 1 : e;
			}
		}
		if (!l)
			break;
		p = l + 1;
	}
	if (!m) {
		snprintf(err, errsz, "no message block after the subject line");
		return -1;
	}
	set_body(c, m, body ? body : (hdr_end ? hdr_end : p), p + strlen(p));

	/* customer from the senders' mail domains when the subject names none */
	for (size_t i = 0; !c->customer && i < c->nmessages; i++) {
		const char *k = thread_customer_of_sender(c->messages[i].sender);
		if (k)
			c->customer = xstrdup(k);
	}
	set_field(&c->format, xstrdup("thread"));
	return 0;
}

/* A plain text: one message, title = first line. */
static void read_text(pm_case *c, const char *u)
{
	const char *nl = strchr(u, '\n');
	const char *e = nl ? nl : u + strlen(u);
	const char *a = u, *b = e;
	trim_range(&a, &b);
	char *t = xstrndup(a, utf8_cut(a, (size_t)(b - a), MAX_TITLE));
	c->title = redact_text(t, &c->redactions);
	free(t);
	pm_message *m = pm_case_add_message(c);
	set_body(c, m, u, u + strlen(u));
	set_field(&c->format, xstrdup("text"));
}

/* Contract (readers.h). On success *out is a new case the caller frees
 * with pm_case_free(): id = case number of the subject or the stem of
 * name, messages with redacted bodies, notes, status; first/last dates.
 * On failure *out is NULL and err holds the reason. */
int thread_read(const char *name, const char *buf, size_t len, pm_case **out, char *err,
		size_t errsz)
{
	*out = NULL;
	if (errsz)
		err[0] = 0;
	if (!buf || len == 0) {
		snprintf(err, errsz, "empty file");
		return -1;
	}
	const char *why = binary_reason(buf, len);
	if (why) {
		snprintf(err, errsz, "%s", why);
		return -1;
	}
	size_t ulen = 0;
	/* UTF-8 apart from a few stray bytes stays UTF-8 (charset.h) */
	char *u = charset_text_to_utf8(buf, len, &ulen, NULL);
	ulen = normalise_newlines(u, ulen);
	const char *start = skip_lead(u);
	if (!*start) {
		free(u);
		snprintf(err, errsz, "empty file");
		return -1;
	}

	pm_case *c = pm_case_new();
	int rc = 0;
	if (subject_line(start))
		rc = read_export(c, start, err, errsz);
	else
		read_text(c, start);
	if (rc) {
		free(u);
		pm_case_free(c);
		return -1;
	}
	if (!c->id)
		c->id = path_stem(name && *name && strcmp(name, "-") ? name : "stdin");
	if (!c->source && name)
		c->source = xstrdup(name);
	for (size_t i = 0; i < c->nmessages; i++)
		if (c->messages[i].body)
			thread_extract_notes(c, (int)i, c->messages[i].body);
	thread_detect_status(c);
	pm_case_update_dates(c);
	free(u);
	*out = c;
	return 0;
}
