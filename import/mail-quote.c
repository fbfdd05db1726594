/* mail-quote.c - subject prefixes and message boundaries: the one list of
 * each (see mail-quote.h). */
#define _GNU_SOURCE
#include "mail-quote.h"
#include "../util/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FW_COLON "\xEF\xBC\x9A" /* U+FF1A FULLWIDTH COLON */
#define IDEO_SPACE "\xE3\x80\x80" /* U+3000 */

/* ---- subject prefixes ---- */

static const struct {
	const char *word;
	int kind;
} prefixes[] = {
	{"Re", MQ_REPLY},   {"AW", MQ_REPLY},      {"SV", MQ_REPLY},  {"回复", MQ_REPLY},
	{"答复", MQ_REPLY}, {"Fwd", MQ_FORWARD},   {"Fw", MQ_FORWARD}, {"转发", MQ_FORWARD},
};

static size_t colon_len(const char *p, const char *e)
{
	if (p < e && *p == ':')
		return 1;
	if (e - p >= 3 && !memcmp(p, FW_COLON, 3))
		return 3;
	return 0;
}

size_t mq_prefix(const char *s, const char *e, int *kind)
{
	for (size_t i = 0; i < PMKB_ARRAY_LEN(prefixes); i++) {
		size_t n = strlen(prefixes[i].word);
		if ((size_t)(e - s) <= n || strncasecmp(s, prefixes[i].word, n))
			continue;
		size_t c = colon_len(s + n, e);
		if (!c)
			continue;
		if (kind)
			*kind = prefixes[i].kind;
		return n + c;
	}
	return 0;
}

/* ---- message boundaries ---- */

/* [*s, *e) trimmed of white space (ASCII and U+3000). */
static void trim(const char **s, const char **e)
{
	for (;;) {
		if (*s < *e && (**s == ' ' || **s == '\t' || **s == '\r'))
			(*s)++;
		else if (*e - *s >= 3 && !memcmp(*s, IDEO_SPACE, 3))
			*s += 3;
		else
			break;
	}
	for (;;) {
		if (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r'))
			(*e)--;
		else if (*e - *s >= 3 && !memcmp(*e - 3, IDEO_SPACE, 3))
			*e -= 3;
		else
			break;
	}
}

static int has(const char *s, const char *e, const char *needle)
{
	return memmem(s, (size_t)(e - s), needle, strlen(needle)) != NULL;
}

long mq_block_marker(const char *s, const char *e)
{
	trim(&s, &e);
	const char *q = s;
	while (q < e && *q == '=')
		q++;
	if (q - s < 2 || e - q < 3 || memcmp(q, "第", 3))
		return 0;
	q += 3;
	const char *d = q;
	long n = 0;
	while (q < e && isdigit((unsigned char)*q))
		n = n * 10 + (*q++ - '0');
	if (q == d || q - d > 6)
		return 0;
	if (e - q < 9 || memcmp(q, "封邮件", 9))
		return 0;
	q += 9;
	const char *r = q;
	while (q < e && *q == '=')
		q++;
	return q == e && q - r >= 2 ? n : 0;
}

int mq_separator(const char *s, const char *e)
{
	trim(&s, &e);
	if (e - s < 8 || s[0] != '-' || s[1] != '-')
		return 0;
	const char *p = s;
	while (p < e && *p == '-')
		p++;
	const char *q = e;
	while (q > p && q[-1] == '-')
		q--;
	trim(&p, &q);
	size_t n = (size_t)(q - p);
	return n && (has(p, q, "原始邮件") || !strncasecmp(p, "Original Message", n) ||
		     has(p, q, "转发") || !strncasecmp(p, "Forwarded message", n) ||
		     has(p, q, "Original Message"));
}

static int header_label(const char *s, const char *e, const char *const *labels)
{
	trim(&s, &e);
	for (int k = 0; labels[k]; k++) {
		size_t l = strlen(labels[k]);
		if ((size_t)(e - s) > l && !strncasecmp(s, labels[k], l)) {
			const char *p = s + l;
			while (p < e && *p == ' ')
				p++;
			if (colon_len(p, e))
				return 1;
		}
	}
	return 0;
}

static const char *const from_labels[] = {"发件人", "From", "寄件者", NULL};
static const char *const sent_labels[] = {"发送时间", "Sent", "寄件日期", NULL};
static const char *const date_labels[] = {"Date", "日期", "时间", NULL};
static const char *const subj_labels[] = {"主题", "Subject", "主旨", NULL};

int mq_from_line(const char *s, const char *e)
{
	return header_label(s, e, from_labels);
}

int mq_sent_line(const char *s, const char *e, int in_block)
{
	return header_label(s, e, sent_labels) || (in_block && header_label(s, e, date_labels));
}

int mq_subject_line(const char *s, const char *e)
{
	return header_label(s, e, subj_labels);
}

int mq_attribution(const char *s, const char *e)
{
	trim(&s, &e);
	return e - s > 6 && (!strncmp(e - 6, "wrote:", 6) || has(s, e, "写道"));
}

int mq_rule_line(const char *s, const char *e)
{
	trim(&s, &e);
	if (e - s < 10)
		return 0;
	for (const char *p = s; p < e; p++)
		if (*p != '_')
			return 0;
	return 1;
}

/* "邮件主题：", the first line of an export */
static int export_subject(const char *s, const char *e)
{
	static const char *const label[] = {"邮件主题", NULL};
	return header_label(s, e, label);
}

int mq_boundary(const char *s, const char *e)
{
	return mq_block_marker(s, e) || export_subject(s, e) || mq_separator(s, e) ||
	       mq_from_line(s, e) || mq_rule_line(s, e) || mq_attribution(s, e);
}

/* ---- quote cutting ---- */

char *mail_cut_quotes(const char *body)
{
	size_t len = strlen(body);
	/* line starts */
	size_t nl = 0, cap = 0;
	size_t *ls = NULL;
	for (size_t i = 0; i <= len;) {
		XGROW(ls, cap, nl + 1);
		ls[nl++] = i;
		const char *e = memchr(body + i, '\n', len - i);
		if (!e)
			break;
		i = (size_t)(e - body) + 1;
	}
#define LINE_END(k) ((k) + 1 < nl ? body + ls[(k) + 1] - 1 : body + len)
	size_t cut = len;
	for (size_t k = 0; k < nl && cut == len; k++) {
		const char *s = body + ls[k];
		const char *e = LINE_END(k);
		const char *ts = s, *te = e;
		trim(&ts, &te);
		if (mq_separator(ts, te)) {
			cut = ls[k];
			break;
		}
		/* Outlook block: From/发件人 then, within 6 lines, a date and a subject */
		if (mq_from_line(ts, te)) {
			int sent = 0, subj = 0;
			for (size_t j = k + 1; j < nl && j <= k + 6; j++) {
				sent |= mq_sent_line(body + ls[j], LINE_END(j), 1);
				subj |= mq_subject_line(body + ls[j], LINE_END(j));
			}
			if (sent && subj) {
				/* an Outlook rule (or blank lines) just above belongs to it */
				size_t at = k;
				while (at > 0) {
					const char *s3 = body + ls[at - 1];
					const char *e3 = body + ls[at] - 1;
					trim(&s3, &e3);
					if (s3 == e3 || mq_rule_line(s3, e3))
						at--;
					else
						break;
				}
				cut = ls[at];
				break;
			}
		}
		/* "On ... wrote:" / "在 ... 写道：" followed by quoted lines */
		if (mq_attribution(ts, te) && k + 1 < nl) {
			size_t j = k + 1;
			while (j < nl && body[ls[j]] == '\n')
				j++;
			if (j < nl && body[ls[j]] == '>') {
				cut = ls[k];
				break;
			}
		}
		/* a trailing block of ">" lines */
		if (*ts == '>') {
			int all = 1;
			for (size_t j = k; j < nl && all; j++) {
				const char *s2 = body + ls[j];
				const char *e2 = LINE_END(j);
				trim(&s2, &e2);
				if (s2 < e2 && *s2 != '>')
					all = 0;
			}
			if (all) {
				cut = ls[k];
				break;
			}
		}
	}
#undef LINE_END
	free(ls);
	while (cut > 0 && isspace((unsigned char)body[cut - 1]))
		cut--;
	return xstrndup(body, cut);
}
