/* suggest.h - a reply to the customer, drafted from what worked before:
 * the rule's customer-facing text (explain.*, remedy.*, ask.*), the
 * outcome record of its cases and the reply templates
 * (data/templates/LANG/NAME.txt, overridable per knowledge base), behind a
 * gate that routes every doubtful case to an engineer. Used by pmkb
 * suggest, pmkb watch and the web page: suggest_build fills a
 * suggest_result, suggest_json / suggest_text print it.
 *
 * Ownership: a suggest_result owns its strings (suggest_result_clear);
 * templates are owned by their suggest_templates (suggest_templates_free).
 */
#ifndef PMKB_SUGGEST_H
#define PMKB_SUGGEST_H

#include <stddef.h>
#include "match.h"
#include "outcome-record.h"
#include "privacy.h"

typedef enum suggest_lang { SUGGEST_ZH = 0, SUGGEST_EN = 1 } suggest_lang;
const char *suggest_lang_name(suggest_lang l); /* "zh", "en" */
int suggest_lang_parse(const char *s, suggest_lang *out);
/* The language of a customer's text: zh when it holds Chinese prose (a
 * few CJK characters), else en; def for no text (a dump file). */
suggest_lang suggest_detect_lang(const char *text, suggest_lang def);

enum { ST_REPLY, ST_OUTCOME, ST_ASK, ST_NTEMPLATES };
typedef struct suggest_templates {
	char *text[2][ST_NTEMPLATES]; /* [lang][ST_*], comment lines removed */
	char *from[2][ST_NTEMPLATES]; /* where each came from: a path or "(built-in)" */
} suggest_templates;

/* Load the templates: for each file, kb_dir/templates/LANG/NAME.txt when
 * it exists (kb_dir may be NULL), else the installed copy, else the one
 * compiled in. Returns 0, or -1 with "FILE: reason" in err (unreadable,
 * not UTF-8, or a {placeholder} the file may not use). */
int suggest_templates_load(const char *kb_dir, suggest_templates *t, char *err, size_t errsz);
void suggest_templates_free(suggest_templates *t);

/* One condition of the gate, in the order checked. */
typedef struct suggest_check {
	const char *name;   /* "verdict", "confidence", "customer-text", "outcome", "feedback", "privacy" */
	int pass;
	char *detail;       /* why, in English, for the engineer */
} suggest_check;

typedef struct suggest_in {
	const match_result *match;
	const outcome_record *record;
	suggest_lang lang;
	double threshold;             /* the configured suggest.threshold (a rule's own wins) */
	const suggest_templates *templates;
	const privacy_opts *privacy;  /* names and allowed hosts for the final check */
} suggest_in;

typedef struct suggest_result {
	int pass;                     /* every check passed: the draft may go to the customer */
	int auto_send;                /* the rule says auto-send = yes (and pass) */
	suggest_lang lang;
	const char *rule_id;          /* borrowed from the match's rule, or NULL */
	double threshold;             /* the threshold applied */
	char *draft;                  /* the reply body when pass, else NULL */
	suggest_check checks[8];
	size_t nchecks;
} suggest_result;

/* Run the gate and, when it passes, fill the templates. Never fails. */
void suggest_build(const suggest_in *in, suggest_result *out);
void suggest_result_clear(suggest_result *r);

/* The whole step for a caller holding a knowledge base and a match (the
 * web page, pmkb suggest, pmkb watch): the outcome record of m and the
 * knowledge base's people (kb_people) are read from db, names and
 * allow_hosts of extra (may be NULL) are added to the privacy check, then
 * suggest_build. A remote index (no SQLite) gives an empty record. On
 * failure out is cleared and the status returned (kb_last_error). */
typedef struct suggest_params {
	suggest_lang lang;
	double threshold;
	const suggest_templates *templates;
	const privacy_opts *extra;
} suggest_params;
kb_status suggest_match(kb_db *db, const match_result *m, const suggest_params *p,
			suggest_result *out);

/* JSON object (docs/suggest-json.md) and the text pmkb suggest prints:
 * the draft, or "routed to an engineer:" with the failed checks. */
void suggest_json(const suggest_result *r, sbuf *sb);
void suggest_text(const suggest_result *r, sbuf *sb);

#endif
