/* outcome.c - the outcome a closed thread states about itself (outcome.h). */
#define _GNU_SOURCE /* strcasestr */
#include "outcome.h"
#include "../util/util.h"

#include <string.h>
#include <strings.h>

const char *outcome_name(outcome_kind k)
{
	switch (k) {
	case OUTCOME_RESOLVED: return "resolved";
	case OUTCOME_NOT_RESOLVED: return "not-resolved";
	default: return "unknown";
	}
}

int outcome_parse(const char *s, outcome_kind *out)
{
	static const outcome_kind all[] = {OUTCOME_UNKNOWN, OUTCOME_RESOLVED, OUTCOME_NOT_RESOLVED};
	for (size_t i = 0; s && i < PMKB_ARRAY_LEN(all); i++)
		if (strcmp(s, outcome_name(all[i])) == 0) {
			*out = all[i];
			return 0;
		}
	return -1;
}

/* Markers, matched case-insensitively (ASCII) as substrings. The negative
 * ones are read first: "未解决" holds "解决", "not resolved" holds
 * "resolved". */
static const char *const negative[] = {
	"未解决", "没有解决", "仍未解决", "尚未解决", "无法解决", "问题依旧", "仍然蓝屏", "依然蓝屏",
	"仍有蓝屏", "再次复现", "仍然复现", "依旧复现",
	"not resolved", "unresolved", "not fixed", "still crash", "still occur", "still happen",
	"did not help", "didn't help",
};
static const char *const positive[] = {
	"已解决", "不再复现", "未再复现", "没有再复现", "没有再出现", "未再出现", "不再出现",
	"问题解决", "已经解决", "得到解决", "提供解决方案", "已修复",
	"resolved", "fixed", "no longer reproduces", "no longer occurs", "no longer crashes",
};

static int has_any(const char *text, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcasestr(text, list[i]))
			return 1;
	return 0;
}

static outcome_kind judge(const char *text)
{
	if (!text || !*text)
		return OUTCOME_UNKNOWN;
	if (has_any(text, negative, PMKB_ARRAY_LEN(negative)))
		return OUTCOME_NOT_RESOLVED;
	if (has_any(text, positive, PMKB_ARRAY_LEN(positive)))
		return OUTCOME_RESOLVED;
	return OUTCOME_UNKNOWN;
}

/* The text after the last summary heading of a body, or NULL. */
static const char *summary_of(const char *body)
{
	static const char *const heads[] = {"问题总结", "案例总结", "Case summary", "Summary:"};
	const char *best = NULL;
	for (size_t i = 0; body && i < PMKB_ARRAY_LEN(heads); i++) {
		for (const char *p = strcasestr(body, heads[i]); p; p = strcasestr(p + 1, heads[i]))
			if (!best || p > best)
				best = p;
	}
	return best;
}

outcome_kind outcome_of_case(const pm_case *c)
{
	for (size_t i = c->nnotes; i-- > 0;) {
		const pm_note *n = &c->notes[i];
		if (!n->kind || strcmp(n->kind, PM_NOTE_CONCLUSION) != 0)
			continue;
		outcome_kind k = judge(n->text);
		if (k != OUTCOME_UNKNOWN)
			return k;
	}
	for (size_t i = c->nmessages; i-- > 0;) {
		outcome_kind k = judge(summary_of(c->messages[i].body));
		if (k != OUTCOME_UNKNOWN)
			return k;
	}
	return OUTCOME_UNKNOWN;
}

const char *outcome_remediation(const pm_case *c, size_t i)
{
	int from = i < c->nanalyses ? c->analyses[i].message : 0;
	const pm_note *best = NULL;
	for (size_t k = 0; k < c->nnotes; k++) {
		const pm_note *n = &c->notes[k];
		if (!n->kind || strcmp(n->kind, PM_NOTE_NEXT_STEP) != 0 || n->message < from)
			continue;
		if (!best || n->message < best->message)
			best = n;
	}
	return best ? best->text : NULL;
}
