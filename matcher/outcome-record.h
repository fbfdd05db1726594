/* outcome-record.h - "resolved in 3 of 4 closed cases": the outcome record
 * of what a match names (the cases of its rule, or the cases it ranks),
 * read from the knowledge base (kb/customer.h). Printed by match, show
 * and suggest; the gate of suggest reads it.
 */
#ifndef PMKB_OUTCOME_RECORD_H
#define PMKB_OUTCOME_RECORD_H

#include "match.h"
#include "../kb/customer.h"

typedef struct outcome_entry {
	char *case_id;
	int analysis;          /* -1: the case as a whole */
	outcome_kind outcome;
	char *remediation;     /* proposed for it, or NULL */
	int manual;            /* set by an engineer (pmkb outcome), not read at import */
} outcome_entry;

typedef struct outcome_record {
	int resolved, not_resolved, unknown;
	outcome_entry *e;      /* one per case, in the order named */
	size_t n, cap;
	const char *over;      /* "rule" (its cases), "matches" (those ranked) or NULL */
} outcome_record;

/* The record of r: with a rule, over the rule's cases and the ranked cases
 * it catches; else, for a known or similar verdict, over the ranked cases;
 * for new, empty. A knowledge base without SQLite (a remote index) gives
 * an empty record, not an error. Caller clears. */
kb_status outcome_record_of_match(kb_db *db, const match_result *r, outcome_record *out);
void outcome_record_clear(outcome_record *o);

/* Cases whose outcome is recorded (resolved + not-resolved). */
int outcome_record_closed(const outcome_record *o);

/* JSON object (docs/match-json.md "outcome") and one line of text:
 * "outcome: resolved in 1 of 2 closed cases (CAS-1 resolved, ...)". */
void outcome_record_json(const outcome_record *o, sbuf *sb);
void outcome_record_text(const outcome_record *o, sbuf *sb);

#endif
