/* feedback.h - engineer feedback (kb_links, kb.h) applied to one match:
 * a pair judged "different" is never ranked as the same root cause, a
 * pair judged "same" is lifted to the rank of what it was linked with,
 * and the evidence says so. A separate step after the ranking, so no
 * scoring or rule change can undo it. docs/matching.md, "Feedback".
 */
#ifndef PMKB_FEEDBACK_H
#define PMKB_FEEDBACK_H

#include <stddef.h>
#include "match.h"

typedef struct feedback {
	kb_analysis_ref *self;  /* the stored analyses the query is (same signature) */
	size_t nself;
	kb_link *links;         /* links of those, or of the top match */
	size_t nlinks;
} feedback;

/* Before ranking: which linked stored analyses the query is (its
 * signature stored as such) and their links. No links: fb stays empty,
 * at the cost of one look-up. */
kb_status feedback_load(kb_db *db, const pm_signature *q, feedback *fb);

/* The cases judged the same as what the query is: they are candidates
 * even when the index does not offer them. ids[i] owned by fb. */
size_t feedback_same_cases(const feedback *fb, const char **ids, size_t max);

/* After ranking (r sorted best first): apply the judgements on pairs of
 * (what the query is, a match) - the query's own stored analyses, else
 * the top match - mark the items (match_item.feedback), add the evidence
 * first in each item's list, and sort again. */
kb_status feedback_apply(kb_db *db, feedback *fb, match_result *r);
void feedback_clear(feedback *fb);

#endif
