/* customer.h - what pmkb keeps for answering customers: the outcome of
 * every stored analysis (did the proposed remediation work?), read from
 * the thread at import or set by hand (pmkb outcome). Tables in
 * docs/schema.md; created by a writable open (kb-int.h), absent tables
 * read as empty.
 *
 * Ownership as in kb.h: out-parameters are the caller's, freed with the
 * matching *_free; on failure kb_last_error() holds the reason.
 */
#ifndef PMKB_KB_CUSTOMER_H
#define PMKB_KB_CUSTOMER_H

#include <stddef.h>
#include "kb.h"
#include "../import/outcome.h"

/* The outcome of one analysis (analysis -1: the case as a whole, for a
 * case without analyses). */
typedef struct kb_outcome {
	int analysis;
	outcome_kind outcome;
	char *remediation;  /* the next step proposed for it, or NULL */
	char *source;       /* "import" or "manual" */
	char *note;         /* --note, or NULL */
	char *set_at;       /* UTC, ISO 8601 */
} kb_outcome;

/* Record what the thread of c says (outcome_of_case, outcome_remediation)
 * for each of its analyses, replacing earlier import rows of the case;
 * outcomes set by hand stay and win. Call after kb_put_case. */
kb_status kb_outcome_import(kb_db *db, const pm_case *c);

/* Set by hand: analysis -1 sets every analysis of the case (the case row
 * when it has none). KB_NOT_FOUND when the case or analysis does not
 * exist. note may be NULL. */
kb_status kb_outcome_set(kb_db *db, const char *case_id, int analysis, outcome_kind k,
			 const char *note);

/* The outcomes in force for a case, one per analysis (a manual row over
 * the import row), by analysis; *n 0 when none is recorded. */
kb_status kb_outcome_get(kb_db *db, const char *case_id, kb_outcome **out, size_t *n);
void kb_outcomes_free(kb_outcome *o, size_t n);

/* The outcome of a case for one analysis (-1: any; resolved if one of
 * them is, else not-resolved if one is, else unknown). *remediation (may
 * be NULL) gets that analysis' remediation, caller frees; *manual (may be
 * NULL) whether an engineer set it. */
kb_status kb_outcome_of(kb_db *db, const char *case_id, int analysis, outcome_kind *k,
			char **remediation, int *manual);

/* The people and customers the knowledge base knows, for the outgoing
 * privacy check: distinct message senders (the display name, and the
 * local part of a bare address) and case customers, each at least two
 * characters. Caller frees each and the array. */
kb_status kb_people(kb_db *db, char ***names, size_t *n);

#endif
