/* match-doc.c - what pmkb match prints and POST /api/match answers: every
 * analysis of a query matched, the best one's verdict on top (format 2,
 * docs/match-json.md), each result with the outcome record of its cases
 * (pmkb-outcome(1)). One place, so that the command and the server agree. */
#include "cli.h"
#include "../matcher/match.h"
#include "../matcher/outcome-record.h"

#include <stdlib.h>
#include <string.h>

kb_status cli_match_all(kb_db *db, const pm_case *q, const char *text, const match_opts *o,
			match_result **res, size_t *nres)
{
	size_t nq = q->nanalyses, runs = nq ? nq : 1;
	match_opts oo = *o;
	oo.text_analyses = nq;
	match_result *out = xcalloc(runs, sizeof *out);
	for (size_t i = 0; i < runs; i++) {
		pm_signature sig;
		memset(&sig, 0, sizeof sig);
		if (nq)
			sig_build(&q->analyses[i], &sig, NULL);
		kb_status st = match_signature(db, &sig, text, &oo, &out[i]);
		sig_clear(&sig);
		if (st != KB_OK) {
			cli_match_free(out, i);
			return st;
		}
	}
	*res = out;
	*nres = runs;
	return KB_OK;
}

void cli_match_free(match_result *res, size_t n)
{
	for (size_t i = 0; i < n; i++)
		match_result_clear(&res[i]);
	free(res);
}

int cli_match_any_known(const match_result *res, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (res[i].v != VERDICT_NEW)
			return 1;
	return 0;
}

void cli_match_none_json(sbuf *out)
{
	jw w;
	jw_init(&w, out);
	jw_obj(&w, NULL);
	jw_int(&w, "format", MATCH_JSON_FORMAT);
	jw_str(&w, "verdict", "new");
	jw_int(&w, "confidence", 0);
	jw_str(&w, "reason", "no dump analysis found");
	jw_int(&w, "analyses", 0);
	jw_null(&w, "best");
	jw_null(&w, "thin");
	jw_null(&w, "rule");
	jw_arr(&w, "matches");
	jw_end(&w);
	jw_null(&w, "outcome");
	jw_arr(&w, "results");
	jw_end(&w);
	jw_end(&w);
}

/* The members of r's JSON object (match_json_members) and its outcome
 * record rec. */
static void fields(const match_result *r, const outcome_record *rec, jw *w)
{
	match_json_members(r, w);
	sbuf o = {0};
	outcome_record_json(rec, &o);
	jw_raw(w, "outcome", sb_str(&o));
	sb_free(&o);
}

kb_status cli_match_put(kb_db *db, const match_result *r, int json, sbuf *out)
{
	outcome_record rec;
	kb_status st = outcome_record_of_match(db, r, &rec);
	if (st != KB_OK)
		return st;
	if (json) {
		jw w;
		jw_init(&w, out);
		jw_obj(&w, NULL);
		fields(r, &rec, &w);
		jw_end(&w);
	} else {
		match_text(r, out);
		outcome_record_text(&rec, out);
	}
	outcome_record_clear(&rec);
	return KB_OK;
}

kb_status cli_match_doc(kb_db *db, const pm_case *q, const match_result *res, size_t nres,
			int json, sbuf *out)
{
	kb_status st = KB_OK;
	if (!json) {
		for (size_t i = 0; i < nres && st == KB_OK; i++) {
			if (nres > 1) {
				pm_signature sig;
				memset(&sig, 0, sizeof sig);
				sig_build(&q->analyses[i], &sig, NULL);
				sb_addf(out, "%s== analysis %zu of %zu", i ? "\n" : "", i + 1, nres);
				if (q->analyses[i].dump_name)
					sb_addf(out, " (%s)", q->analyses[i].dump_name);
				if (sig.text)
					sb_addf(out, ": %s", sig.text);
				sb_adds(out, " ==\n");
				sig_clear(&sig);
			}
			st = cli_match_put(db, &res[i], 0, out);
		}
		return st;
	}
	/* the best analysis: the strongest verdict, then the highest
	 * confidence (the first of equals) */
	size_t best = 0;
	for (size_t i = 1; i < nres; i++)
		if (res[i].v > res[best].v ||
		    (res[i].v == res[best].v && res[i].confidence > res[best].confidence))
			best = i;
	/* each result's outcome record read once, the best one's used twice */
	outcome_record *recs = xcalloc(nres + 1, sizeof *recs);
	size_t nrec = 0;
	while (nrec < nres && (st = outcome_record_of_match(db, &res[nrec], &recs[nrec])) == KB_OK)
		nrec++;
	size_t nq = q->nanalyses;
	if (st == KB_OK) {
		jw w;
		jw_init(&w, out);
		jw_obj(&w, NULL);
		jw_int(&w, "format", MATCH_JSON_FORMAT);
		if (nres)
			fields(&res[best], &recs[best], &w);
		jw_null(&w, "reason");
		jw_size(&w, "analyses", nq);
		jw_size(&w, "best", best);
		jw_arr(&w, "results");
		for (size_t i = 0; i < nres; i++) {
			jw_obj(&w, NULL);
			jw_size(&w, "analysis", i);
			jw_str(&w, "dump", nq ? q->analyses[i].dump_name : NULL);
			jw_obj(&w, "result");
			fields(&res[i], &recs[i], &w);
			jw_end(&w);
			jw_end(&w);
		}
		jw_end(&w);
		jw_end(&w);
	}
	for (size_t i = 0; i < nrec; i++)
		outcome_record_clear(&recs[i]);
	free(recs);
	return st;
}
