/* outcome-record.c - the outcome record of a match (outcome-record.h). */
#include "outcome-record.h"

#include "../util/json.h"

#include <stdlib.h>
#include <string.h>

static int has_case(const outcome_record *o, const char *id)
{
	for (size_t i = 0; i < o->n; i++)
		if (strcmp(o->e[i].case_id, id) == 0)
			return 1;
	return 0;
}

static kb_status add_case(kb_db *db, outcome_record *o, const char *id, int analysis)
{
	if (!id || has_case(o, id))
		return KB_OK;
	outcome_kind k = OUTCOME_UNKNOWN;
	char *rem = NULL;
	int manual = 0;
	kb_status st = kb_outcome_of(db, id, analysis, &k, &rem, &manual);
	if (st == KB_INVALID) /* a remote index: no outcomes there */
		st = KB_OK;
	if (st != KB_OK)
		return st;
	XGROW(o->e, o->cap, o->n + 1);
	o->e[o->n++] = (outcome_entry){xstrdup(id), analysis, k, rem, manual};
	*(k == OUTCOME_RESOLVED ? &o->resolved : k == OUTCOME_NOT_RESOLVED ? &o->not_resolved
									     : &o->unknown) += 1;
	return KB_OK;
}

kb_status outcome_record_of_match(kb_db *db, const match_result *r, outcome_record *out)
{
	memset(out, 0, sizeof *out);
	kb_status st = KB_OK;
	if (r->rule) {
		out->over = "rule";
		/* the ranked ones first: they know which analysis the rule caught */
		for (size_t i = 0; i < r->n && st == KB_OK; i++)
			if (r->items[i].rule == r->rule)
				st = add_case(db, out, r->items[i].case_id, r->items[i].analysis);
		for (size_t i = 0; i < r->rule->ncases && st == KB_OK; i++)
			st = add_case(db, out, r->rule->cases[i], -1);
	} else if (r->v != VERDICT_NEW) {
		out->over = "matches";
		for (size_t i = 0; i < r->n && st == KB_OK; i++)
			st = add_case(db, out, r->items[i].case_id, r->items[i].analysis);
	}
	if (st != KB_OK)
		outcome_record_clear(out);
	return st;
}

void outcome_record_clear(outcome_record *o)
{
	for (size_t i = 0; i < o->n; i++) {
		free(o->e[i].case_id);
		free(o->e[i].remediation);
	}
	free(o->e);
	memset(o, 0, sizeof *o);
}

int outcome_record_closed(const outcome_record *o)
{
	return o->resolved + o->not_resolved;
}

void outcome_record_json(const outcome_record *o, sbuf *sb)
{
	jw w;
	jw_init(&w, sb);
	jw_obj(&w, NULL);
	jw_str(&w, "over", o->over);
	jw_int(&w, "resolved", o->resolved);
	jw_int(&w, "not_resolved", o->not_resolved);
	jw_int(&w, "unknown", o->unknown);
	jw_int(&w, "closed", outcome_record_closed(o));
	jw_arr(&w, "cases");
	for (size_t i = 0; i < o->n; i++) {
		jw_obj(&w, NULL);
		jw_str(&w, "case", o->e[i].case_id);
		if (o->e[i].analysis >= 0)
			jw_int(&w, "analysis", o->e[i].analysis);
		else
			jw_null(&w, "analysis");
		jw_str(&w, "outcome", outcome_name(o->e[i].outcome));
		jw_str(&w, "remediation", o->e[i].remediation);
		jw_end(&w);
	}
	jw_end(&w);
	jw_end(&w);
}

void outcome_record_text(const outcome_record *o, sbuf *sb)
{
	if (!o->over)
		return;
	int closed = outcome_record_closed(o);
	sb_adds(sb, "outcome: ");
	if (closed)
		sb_addf(sb, "resolved in %d of %d closed case%s", o->resolved, closed, closed == 1 ? "" : "s");
	else
		sb_adds(sb, "no closed case records whether the fix worked");
	sb_adds(sb, " (");
	for (size_t i = 0; i < o->n; i++)
		sb_addf(sb, "%s%s %s", i ? ", " : "", o->e[i].case_id, outcome_name(o->e[i].outcome));
	sb_adds(sb, ")\n");
}
