/* thread.c - the reader of the seed export format (邮件主题 line, then
 * "====第N封邮件====" blocks of 发件人/发送时间/邮件内容) and of plain text.
 * The subject parsing it shares with the mail reader is subject.c, the
 * extraction of the sections engineers write (问题分析, 下一步动作, ...) and
 * the closed/open status notes.c. See docs/thread-format.md. */
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
	while (*s && th_is_space((unsigned char)*s))
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
	size_t cn = th_colon_at(p, p + strnlen(p, 3));
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
	th_trim_range(&s, &e);
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
	return n ? xstrndup(s, th_utf8_cut(s, n, 64)) : NULL;
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
	size_t cn = th_colon_at(p, e);
	return cn ? p + cn : NULL;
}

/* Store body [s, e) redacted in message m of c. */
static void set_body(pm_case *c, pm_message *m, const char *s, const char *e)
{
	/* drop blank lines around the body but keep indentation of its first line */
	while (s < e && (*s == '\n' || *s == '\r'))
		s++;
	while (e > s && th_is_space((unsigned char)e[-1]))
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
	char *subject = th_dup_trim(subj, se);
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
				char *s = th_dup_trim(v, e);
				if (*s)
					m->sender = s;
				else
					free(s);
				hdr_end = l ? l + 1 : e;
			} else if ((v = field_line(p, e, "发送时间")) && !m->sent) {
				m->sent = parse_sent(v, e);
				hdr_end = l ? l + 1 : e;
			} else if ((v = field_line(p, e, "邮件主题")) && !m->subject) {
				char *s = th_dup_trim(v, e);
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
	th_set_field(&c->format, xstrdup("thread"));
	return 0;
}

/* A plain text: one message, title = first line. */
static void read_text(pm_case *c, const char *u)
{
	const char *nl = strchr(u, '\n');
	const char *e = nl ? nl : u + strlen(u);
	const char *a = u, *b = e;
	th_trim_range(&a, &b);
	char *t = xstrndup(a, th_utf8_cut(a, (size_t)(b - a), MAX_TITLE));
	c->title = redact_text(t, &c->redactions);
	free(t);
	pm_message *m = pm_case_add_message(c);
	set_body(c, m, u, u + strlen(u));
	th_set_field(&c->format, xstrdup("text"));
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
