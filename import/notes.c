/* notes.c - the sections engineers write in a thread (问题分析, 下一步动作,
 * 问题总结, ...) as notes, and the case's closed/open status. See
 * docs/thread-format.md. */
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
	th_trim_range(&p, &e);
	if (p >= e)
		return NULL; /* no heading is empty */
	/* the first byte as th_starts_ci's strncasecmp compares it: most lines
	 * start like no heading, and this runs for every line of every body */
	int f = tolower((unsigned char)*p);
	for (size_t i = 0; i < PMKB_ARRAY_LEN(headings); i++) {
		if (tolower((unsigned char)headings[i].text[0]) != f)
			continue;
		size_t n = th_starts_ci(p, e, headings[i].text);
		if (!n)
			continue;
		const char *q = p + n;
		while (q < e && (*q == ' ' || *q == '\t'))
			q++;
		size_t cn = th_colon_at(q, e);
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
	th_trim_range(&p, &e);
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
	th_trim_range(&p, &e);
	while (p < e && isdigit((unsigned char)*p))
		p++;
	if (p < e && *p == ':')
		p++;
	while (p < e && *p == ' ')
		p++;
	return th_starts_ci(p, e, "kd>") || th_starts_ci(p, e, "lkd>");
}

/* Closing words and signatures end a section; so does the start of a
 * quoted mail (mail-quote.c: a separator, a From/Sent header line). */
static const char *const stop_prefixes[] = {
	"以上", "谢谢", "此致", "顺祝", "祝好", "Best regards", "Best Regards", "BRs", "Regards",
	"Thanks", "Thank you", "Support Escalation",
};

static int stop_line(const char *p, const char *e)
{
	th_trim_range(&p, &e);
	if (mq_boundary(p, e) || mq_sent_line(p, e, 0))
		return 1;
	for (size_t i = 0; i < PMKB_ARRAY_LEN(stop_prefixes); i++)
		if (th_starts_ci(p, e, stop_prefixes[i]))
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
		if (!*q || *q == '\n' || th_colon_at(q, q + strnlen(q, 3)) || !strncmp(q, "是", 3) ||
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
		th_trim_range(&a, &b);
		while (b > a && (b[-1] == ',' || b[-1] == '.'))
			b--;
		if ((size_t)(b - a) <= strlen(kw) + 3)
			continue;
		char *t = xstrndup(a, th_utf8_cut(a, (size_t)(b - a), MAX_INLINE_LEN));
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
			th_trim_range(&a, &b);                                            \
			if (b > a) {                                                   \
				char *t = xstrndup(a, th_utf8_cut(a, (size_t)(b - a), MAX_NOTE)); \
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
			th_trim_range(&a, &b);
			started = b > a;
			blanks = 0;
			if (started)
				sb_add(&text, a, (size_t)(b - a));
		} else if (cur) {
			const char *a = p, *b = e;
			th_trim_range(&a, &b);
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
	th_set_field(&c->status, xstrdup(st));
}
