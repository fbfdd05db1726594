/* json-out.c - the --json documents of pmkb search (docs/search-json.md)
 * and pmkb show (pmkb-show(1)), built here once so that the web API
 * (serve/) returns exactly what the commands print. Written with the JSON
 * writer (util/json.h); records of string members by their field tables. */
#include "cli.h"
#include "../kb/customer.h"
#include "../util/json.h"

#include <stdlib.h>
#include <string.h>

static const jw_field hit_fields[] = {
	JW_FIELD_AS("case", kb_hit, case_id), JW_FIELD(kb_hit, title), JW_FIELD(kb_hit, customer),
	JW_FIELD(kb_hit, date), JW_FIELD(kb_hit, status),
};

void cli_search_json(sbuf *sb, const char *query, size_t offset, size_t limit, const kb_hits *h,
		     const char *const *snippets)
{
	jw w;
	jw_init(&w, sb);
	jw_obj(&w, NULL);
	jw_str(&w, "query", query);
	jw_size(&w, "offset", offset);
	jw_size(&w, "limit", limit);
	jw_size(&w, "estimated", h->estimated);
	jw_arr(&w, "results");
	for (size_t i = 0; i < h->n; i++) {
		const kb_hit *x = &h->hits[i];
		jw_obj(&w, NULL);
		jw_fields(&w, x, hit_fields, PMKB_ARRAY_LEN(hit_fields));
		jw_str(&w, "snippet", snippets ? snippets[i] : NULL);
		jw_num(&w, "weight", "%.4f", x->weight);
		jw_size(&w, "analyses", x->nanalyses);
		jw_str(&w, "conclusion", x->conclusion);
		jw_arr(&w, "next_steps");
		for (size_t j = 0; j < x->nnext_steps; j++)
			jw_str(&w, NULL, x->next_steps[j]);
		jw_end(&w);
		jw_end(&w);
	}
	jw_end(&w);
	jw_end(&w);
}

static void notes_of(jw *w, const char *key, const pm_case *c, const char *kind)
{
	jw_arr(w, key);
	for (size_t i = 0; i < c->nnotes; i++)
		if (c->notes[i].kind && strcmp(c->notes[i].kind, kind) == 0)
			jw_str(w, NULL, c->notes[i].text);
	jw_end(w);
}

static const jw_field analysis_fields[] = {
	JW_FIELD(pm_analysis, process), JW_FIELD(pm_analysis, irql),
	JW_FIELD(pm_analysis, image), JW_FIELD(pm_analysis, failure_bucket),
	JW_FIELD(pm_analysis, default_bucket), JW_FIELD(pm_analysis, os_build),
	JW_FIELD(pm_analysis, exception_code), JW_FIELD(pm_analysis, fault_ip),
	JW_FIELD(pm_analysis, machine), JW_FIELD(pm_analysis, source),
};
static const jw_field frame_fields[] = {
	JW_FIELD(pm_frame, module), JW_FIELD(pm_frame, function),
	JW_FIELD(pm_frame, offset), JW_FIELD(pm_frame, address),
};
static const jw_field module_fields[] = {
	JW_FIELD(pm_module, name), JW_FIELD(pm_module, start), JW_FIELD(pm_module, end),
	JW_FIELD(pm_module, image_path), JW_FIELD(pm_module, timestamp),
	JW_FIELD(pm_module, checksum), JW_FIELD(pm_module, image_size),
};
static const jw_field pool_tag_fields[] = {
	JW_FIELD(pm_pooltag, tag), JW_FIELD(pm_pooltag, owner),
};
static const jw_field local_fields[] = {
	JW_FIELD(pm_local, name), JW_FIELD(pm_local, value),
};

/* An array of records of string members: each an object of its fields. */
static void records(jw *w, const char *key, const void *base, size_t size, size_t n,
		    const jw_field *f, size_t nf)
{
	jw_arr(w, key);
	for (size_t i = 0; i < n; i++) {
		jw_obj(w, NULL);
		jw_fields(w, (const char *)base + i * size, f, nf);
		jw_end(w);
	}
	jw_end(w);
}

static void analysis(jw *w, const char *case_id, size_t idx, const pm_analysis *a, const pm_signature *sig)
{
	jw_obj(w, NULL);
	jw_size(w, "index", idx);
	/* the name text output, pmkb link and pmkb outcome use: from 1 */
	char *ref = xasprintf("%s#%zu", case_id ? case_id : "", idx + 1);
	jw_str(w, "ref", ref);
	free(ref);
	jw_int(w, "message", a->message);
	jw_str(w, "dump_name", a->dump_name);
	jw_str(w, "hash", a->hash[0] ? a->hash : NULL);
	jw_obj(w, "bugcheck");
	jw_str(w, "code", a->bugcheck_code);
	jw_str(w, "name", a->bugcheck_name);
	jw_arr(w, "args");
	for (int j = 0; j < 4; j++)
		jw_str(w, NULL, a->args[j]);
	jw_end(w);
	jw_end(w);
	jw_fields(w, a, analysis_fields, PMKB_ARRAY_LEN(analysis_fields));
	jw_arr(w, "frames");
	for (size_t j = 0; j < a->nframes; j++) {
		jw_obj(w, NULL);
		jw_fields(w, &a->frames[j], frame_fields, PMKB_ARRAY_LEN(frame_fields));
		jw_bool(w, "inline", a->frames[j].is_inline);
		jw_end(w);
	}
	jw_end(w);
	records(w, "modules", a->modules, sizeof a->modules[0], a->nmodules, module_fields,
		PMKB_ARRAY_LEN(module_fields));
	records(w, "pool_tags", a->pool_tags, sizeof a->pool_tags[0], a->npool_tags,
		pool_tag_fields, PMKB_ARRAY_LEN(pool_tag_fields));
	records(w, "locals", a->locals, sizeof a->locals[0], a->nlocals, local_fields,
		PMKB_ARRAY_LEN(local_fields));
	jw_str(w, "signature", sig && sig->text && *sig->text ? sig->text : NULL);
	jw_end(w);
}

static const jw_field outcome_fields[] = {
	JW_FIELD(kb_outcome, source), JW_FIELD(kb_outcome, remediation),
	JW_FIELD(kb_outcome, note), JW_FIELD(kb_outcome, set_at),
};

void cli_outcomes_json(jw *w, const kb_outcome *o, size_t n)
{
	jw_arr(w, "outcomes");
	for (size_t i = 0; i < n; i++) {
		jw_obj(w, NULL);
		if (o[i].analysis >= 0)
			jw_int(w, "analysis", o[i].analysis);
		else
			jw_null(w, "analysis");
		jw_str(w, "outcome", outcome_name(o[i].outcome));
		jw_fields(w, &o[i], outcome_fields, PMKB_ARRAY_LEN(outcome_fields));
		jw_end(w);
	}
	jw_end(w);
}

static const jw_field case_fields[] = {
	JW_FIELD_AS("case", pm_case, id), JW_FIELD(pm_case, title), JW_FIELD(pm_case, customer),
	JW_FIELD(pm_case, priority), JW_FIELD(pm_case, status), JW_FIELD(pm_case, refs),
	JW_FIELD(pm_case, first_date), JW_FIELD(pm_case, last_date), JW_FIELD(pm_case, source),
	JW_FIELD(pm_case, format),
};
static const jw_field message_fields[] = {
	JW_FIELD(pm_message, sender), JW_FIELD(pm_message, sent), JW_FIELD(pm_message, subject),
	JW_FIELD(pm_message, message_id), JW_FIELD(pm_message, body),
};

void cli_case_json(sbuf *sb, const pm_case *c, const pm_signature *sigs, size_t nsigs,
		   const kb_outcome *outc, size_t noutc)
{
	jw w;
	jw_init(&w, sb);
	jw_obj(&w, NULL);
	jw_fields(&w, c, case_fields, PMKB_ARRAY_LEN(case_fields));
	jw_int(&w, "redactions", c->redactions);
	jw_arr(&w, "messages");
	for (size_t i = 0; i < c->nmessages; i++) {
		jw_obj(&w, NULL);
		jw_size(&w, "index", i);
		jw_fields(&w, &c->messages[i], message_fields, PMKB_ARRAY_LEN(message_fields));
		jw_end(&w);
	}
	jw_end(&w);
	jw_arr(&w, "notes");
	for (size_t i = 0; i < c->nnotes; i++) {
		jw_obj(&w, NULL);
		jw_int(&w, "message", c->notes[i].message);
		jw_str(&w, "kind", c->notes[i].kind);
		jw_str(&w, "text", c->notes[i].text);
		jw_end(&w);
	}
	jw_end(&w);
	notes_of(&w, "conclusions", c, PM_NOTE_CONCLUSION);
	notes_of(&w, "next_steps", c, PM_NOTE_NEXT_STEP);
	jw_arr(&w, "analyses");
	for (size_t i = 0; i < c->nanalyses; i++)
		analysis(&w, c->id, i, &c->analyses[i], i < nsigs ? &sigs[i] : NULL);
	jw_end(&w);
	jw_arr(&w, "attachments");
	for (size_t i = 0; i < c->nattachments; i++) {
		const pm_attachment *a = &c->attachments[i];
		jw_obj(&w, NULL);
		jw_int(&w, "message", a->message);
		jw_str(&w, "filename", a->filename);
		jw_str(&w, "content_type", a->content_type);
		jw_size(&w, "size", a->size);
		jw_end(&w);
	}
	jw_end(&w);
	cli_outcomes_json(&w, outc, noutc);
	jw_end(&w);
}
