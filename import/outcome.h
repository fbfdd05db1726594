/* outcome.h - did the fix work? What a closed thread says about its own
 * outcome (the closing summary: 问题总结 / 案例总结 / "resolved" ...), and
 * the remediation proposed for each analysis (the next step of the message
 * that answered it). Pure: reads a pm_case, touches no storage (kb/ keeps
 * the result, kb/customer.h).
 */
#ifndef PMKB_OUTCOME_H
#define PMKB_OUTCOME_H

#include "model.h"

typedef enum outcome_kind {
	OUTCOME_UNKNOWN = 0,
	OUTCOME_RESOLVED,
	OUTCOME_NOT_RESOLVED,
} outcome_kind;

/* "resolved", "not-resolved", "unknown". */
const char *outcome_name(outcome_kind k);
/* The kind named by s (the names above); -1 when s names none. */
int outcome_parse(const char *s, outcome_kind *out);

/* What the thread's closing summary says: the conclusion notes, last
 * first, then the text after the last 问题总结/案例总结/summary heading of
 * the messages. A negative marker (未解决, "not resolved", ...) wins over a
 * positive one (已解决, 不再复现, "resolved", ...) in the same text; no
 * marker: OUTCOME_UNKNOWN. */
outcome_kind outcome_of_case(const pm_case *c);

/* The remediation proposed for analysis i: the first next-step note of
 * the message holding it or of a later one, else NULL. Borrowed from c. */
const char *outcome_remediation(const pm_case *c, size_t i);

#endif
