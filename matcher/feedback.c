/* feedback.c - engineer feedback applied to a ranked match (feedback.h).
 *
 * What the query "is": the stored analyses whose signature equals the
 * query's (it was imported, then judged), else the top match. A link
 * between that and a match decides, whatever the score or the rules say:
 * "different" takes the match's rule credit away and ranks it after every
 * match not so judged; "same" lifts it to the best score of the list, just
 * after what the query is. The evidence of the match says which link, who
 * made it, when and why.
 */
#include "feedback.h"

#include <stdlib.h>
#include <string.h>

kb_status feedback_load(kb_db *db, const pm_signature *q, feedback *fb)
{
	memset(fb, 0, sizeof *fb);
	sbuf sb = {0};
	sig_serialize(q, &sb);
	kb_status st = kb_linked_analyses(db, sb_str(&sb), &fb->self, &fb->nself);
	sb_free(&sb);
	size_t cap = 0;
	for (size_t i = 0; st == KB_OK && i < fb->nself; i++) {
		if (i && !strcmp(fb->self[i].case_id, fb->self[i - 1].case_id))
			continue; /* one case's links, read once */
		kb_link *l = NULL;
		size_t n = 0;
		st = kb_links(db, fb->self[i].case_id, &l, &n);
		XGROW(fb->links, cap, fb->nlinks + n + 1);
		memcpy(fb->links + fb->nlinks, l, n * sizeof *l);
		fb->nlinks += n;
		free(l);
	}
	if (st != KB_OK)
		feedback_clear(fb);
	return st;
}

void feedback_clear(feedback *fb)
{
	kb_refs_free(fb->self, fb->nself);
	kb_links_free(fb->links, fb->nlinks);
	memset(fb, 0, sizeof *fb);
}

/* Does one side of a link (case c, analysis a; -1 whole case) name the
 * analysis an (-1: any) of case_id? */
static int side_is(const char *c, int a, const char *case_id, int an)
{
	return !strcmp(c, case_id) && (a < 0 || an < 0 || a == an);
}

/* The link of fb joining an anchor with (case_id, an), or NULL; a
 * "different" judgement wins over a "same" one. */
static const kb_link *judged(const feedback *fb, const kb_analysis_ref *anchors, size_t nanchors,
			     const char *case_id, int an, const kb_analysis_ref **anchor)
{
	const kb_link *found = NULL;
	for (size_t i = 0; i < fb->nlinks; i++) {
		const kb_link *l = &fb->links[i];
		for (size_t k = 0; k < nanchors; k++) {
			const kb_analysis_ref *x = &anchors[k];
			int hit = (side_is(l->a_case, l->a_analysis, x->case_id, x->analysis) &&
				   side_is(l->b_case, l->b_analysis, case_id, an)) ||
				  (side_is(l->b_case, l->b_analysis, x->case_id, x->analysis) &&
				   side_is(l->a_case, l->a_analysis, case_id, an));
			if (hit && (!found || (found->same && !l->same))) {
				found = l;
				*anchor = x;
			}
		}
	}
	return found;
}

static char *ref(const char *case_id, int an)
{
	return an < 0 ? xstrdup(case_id) : xasprintf("%s#%d", case_id, an + 1);
}

/* The evidence of a judgement, put first in the item's list. */
static void add_evidence(match_item *it, const kb_analysis_ref *anchor, const kb_link *l)
{
	char *q = ref(anchor->case_id, anchor->analysis);
	/* the match as the link names it */
	int a_is_anchor = side_is(l->a_case, l->a_analysis, anchor->case_id, anchor->analysis) &&
			  side_is(l->b_case, l->b_analysis, it->case_id, it->analysis);
	char *c = a_is_anchor ? ref(l->b_case, l->b_analysis) : ref(l->a_case, l->a_analysis);
	sbuf why = {0};
	sb_addf(&why, "%s: %s root cause (%s, %s%s%s)", c, l->same ? "same" : "different",
		l->who ? l->who : "unknown", l->at ? l->at : "", l->note ? ": " : "",
		l->note ? l->note : "");
	score_evs_add(&it->evidence, "feedback", q, sb_str(&why), l->same);
	score_ev ev = it->evidence.ev[it->evidence.n - 1];
	memmove(it->evidence.ev + 1, it->evidence.ev, (it->evidence.n - 1) * sizeof ev);
	it->evidence.ev[0] = ev;
	sb_free(&why);
	free(q);
	free(c);
}

/* 0: what the query is, 1: judged the same, 2: not judged, 3: different */
static int order_of(const match_item *it, const kb_analysis_ref *anchors, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (!strcmp(anchors[k].case_id, it->case_id))
			return 0;
	return it->feedback > 0 ? 1 : it->feedback < 0 ? 3 : 2;
}

static const kb_analysis_ref *sort_anchors;
static size_t sort_nanchors;

static int fb_cmp(const void *a, const void *b)
{
	const match_item *x = a, *y = b;
	int ox = order_of(x, sort_anchors, sort_nanchors), oy = order_of(y, sort_anchors, sort_nanchors);
	if (ox != oy)
		return ox < oy ? -1 : 1;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return strcmp(x->case_id, y->case_id);
}

kb_status feedback_apply(kb_db *db, feedback *fb, match_result *r)
{
	if (r->n == 0)
		return KB_OK;
	kb_analysis_ref top = {r->items[0].case_id, r->items[0].analysis};
	const kb_analysis_ref *anchors = fb->self;
	size_t nanchors = fb->nself;
	if (nanchors == 0) {
		/* not a stored analysis: the top match stands for it */
		kb_status st = kb_links(db, top.case_id, &fb->links, &fb->nlinks);
		if (st != KB_OK)
			return st;
		anchors = &top;
		nanchors = 1;
	}
	if (fb->nlinks == 0)
		return KB_OK;
	double best = 0;
	for (size_t i = 0; i < r->n; i++)
		if (r->items[i].score > best)
			best = r->items[i].score;
	int changed = 0;
	for (size_t i = 0; i < r->n; i++) {
		match_item *it = &r->items[i];
		if (order_of(it, anchors, nanchors) == 0)
			continue;
		const kb_analysis_ref *anchor = NULL;
		const kb_link *l = judged(fb, anchors, nanchors, it->case_id, it->analysis, &anchor);
		if (!l)
			continue;
		it->feedback = l->same ? 1 : -1;
		if (l->same) {
			it->score = best;
		} else {
			it->rule = NULL; /* not this root cause, whatever the rule says */
			it->score = it->similarity < it->score ? it->similarity : it->score;
		}
		add_evidence(it, anchor, l);
		changed = 1;
	}
	if (changed) {
		sort_anchors = anchors;
		sort_nanchors = nanchors;
		qsort(r->items, r->n, sizeof *r->items, fb_cmp);
		sort_anchors = NULL;
	}
	return KB_OK;
}

size_t feedback_same_cases(const feedback *fb, const char **ids, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < fb->nlinks && n < max; i++) {
		const kb_link *l = &fb->links[i];
		if (!l->same)
			continue;
		/* the side that is not the query */
		const char *other = NULL;
		for (size_t k = 0; k < fb->nself && !other; k++) {
			if (side_is(l->a_case, l->a_analysis, fb->self[k].case_id, fb->self[k].analysis))
				other = l->b_case;
			else if (side_is(l->b_case, l->b_analysis, fb->self[k].case_id, fb->self[k].analysis))
				other = l->a_case;
		}
		int dup = !other;
		for (size_t k = 0; k < n && !dup; k++)
			dup = !strcmp(ids[k], other);
		if (!dup)
			ids[n++] = other;
	}
	return n;
}
