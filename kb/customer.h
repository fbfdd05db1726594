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
	char *set_at;       /* when set by hand, UTC, ISO 8601; NULL for import */
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

/* ---- the reply queue (pmkb watch, pmkb queue) ----
 *
 * One row per incoming mail, keyed by its Message-ID (unique: a mail is
 * answered at most once). States:
 *   queued     a draft waits for an engineer (queue approve|reject|edit)
 *   approved   approved (or auto-send), not sent yet: sent by the next
 *              approve or watch pass (e.g. after the server was down)
 *   sending    the intent to send, recorded before the SMTP transfer
 *   sent       the server accepted it
 *   unconfirmed found in "sending" after a crash: it may have gone out,
 *              so it is never sent again by itself (approve --resend)
 *   rejected   an engineer said no
 *   routed     the gate said no: an engineer answers (no draft sent)
 *   skipped    not read (over the size limit, unparsable): see note
 */
typedef struct kb_reply {
	long id;
	char *message_id;     /* the incoming mail's Message-ID (or a stand-in) */
	char *mailbox;        /* where it came from: the IMAP state key */
	char *from_addr;      /* our address, the reply's From */
	char *to_addr;        /* the customer's address, the reply's To */
	char *subject;        /* the incoming subject, decoded */
	char *refs;           /* the incoming References, space separated */
	char *lang, *rule;
	char *body;           /* the draft, or NULL */
	char *gate;           /* the gate as JSON (suggest_json) */
	char *state;
	char *note;
	char *out_message_id; /* ours, chosen with the intent to send */
	char *created_at, *updated_at;
} kb_reply;

/* Add a row (r->id is set). KB_INVALID when a row with that Message-ID
 * exists (then r->id is that row's). */
kb_status kb_reply_add(kb_db *db, kb_reply *r);
/* KB_NOT_FOUND when there is no such row. */
kb_status kb_reply_get(kb_db *db, long id, kb_reply **out);
kb_status kb_reply_find(kb_db *db, const char *message_id, long *id);
/* Rows in state (NULL: all), oldest first. */
kb_status kb_reply_list(kb_db *db, const char *state, kb_reply **out, size_t *n);
/* Set the state, and body, note, out_message_id when not NULL; committed
 * when it returns (the exactly-once record depends on it). */
kb_status kb_reply_update(kb_db *db, long id, const char *state, const char *body,
			  const char *note, const char *out_message_id);
void kb_reply_free(kb_reply *r);
void kb_replies_free(kb_reply *r, size_t n);

#endif
