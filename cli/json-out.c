/* json-out.c - the --json documents of pmkb search (docs/search-json.md)
 * and pmkb show (pmkb-show(1)), built here once so that the web API
 * (serve/) returns exactly what the commands print. */
#include "cli.h"
#include "../kb/customer.h"

#include <string.h>

void cli_search_json(sbuf *sb, const char *query, size_t offset, size_t limit, const kb_hits *h)
{
	sb_adds(sb, "{\"query\":");
	json_str(sb, query);
	sb_addf(sb, ",\"offset\":%zu,\"limit\":%zu,\"estimated\":%zu,\"results\":[", offset, limit,
		h->estimated);
	for (size_t i = 0; i < h->n; i++) {
		const kb_hit *x = &h->hits[i];
		sb_adds(sb, i ? ",{\"case\":" : "{\"case\":");
		json_str(sb, x->case_id);
		sb_adds(sb, ",\"title\":");
		json_str(sb, x->title);
		sb_adds(sb, ",\"customer\":");
		json_str(sb, x->customer);
		sb_adds(sb, ",\"date\":");
		json_str(sb, x->date);
		sb_adds(sb, ",\"status\":");
		json_str(sb, x->status);
		sb_addf(sb, ",\"weight\":%.4f,\"analyses\":%zu,\"conclusion\":", x->weight, x->nanalyses);
		json_str(sb, x->conclusion);
		sb_adds(sb, ",\"next_steps\":[");
		for (size_t j = 0; j < x->nnext_steps; j++) {
			if (j)
				sb_addc(sb, ',');
			json_str(sb, x->next_steps[j]);
		}
		sb_adds(sb, "]}");
	}
	sb_adds(sb, "]}");
}

static void json_field(sbuf *sb, const char *name, const char *v, int comma)
{
	if (comma)
		sb_addc(sb, ',');
	json_str(sb, name);
	sb_addc(sb, ':');
	json_str(sb, v);
}

static void json_notes_of(sbuf *sb, const pm_case *c, const char *kind)
{
	sb_addc(sb, '[');
	int first = 1;
	for (size_t i = 0; i < c->nnotes; i++) {
		if (!c->notes[i].kind || strcmp(c->notes[i].kind, kind) != 0)
			continue;
		if (!first)
			sb_addc(sb, ',');
		first = 0;
		json_str(sb, c->notes[i].text);
	}
	sb_addc(sb, ']');
}

static void json_analysis(sbuf *sb, size_t idx, const pm_analysis *a, const pm_signature *sig)
{
	sb_addf(sb, "{\"index\":%zu,\"message\":%d", idx, a->message);
	json_field(sb, "dump_name", a->dump_name, 1);
	json_field(sb, "hash", a->hash[0] ? a->hash : NULL, 1);
	sb_adds(sb, ",\"bugcheck\":{");
	json_field(sb, "code", a->bugcheck_code, 0);
	json_field(sb, "name", a->bugcheck_name, 1);
	sb_adds(sb, ",\"args\":[");
	for (int j = 0; j < 4; j++) {
		if (j)
			sb_addc(sb, ',');
		json_str(sb, a->args[j]);
	}
	sb_adds(sb, "]}");
	json_field(sb, "process", a->process, 1);
	json_field(sb, "irql", a->irql, 1);
	json_field(sb, "image", a->image, 1);
	json_field(sb, "failure_bucket", a->failure_bucket, 1);
	json_field(sb, "default_bucket", a->default_bucket, 1);
	json_field(sb, "os_build", a->os_build, 1);
	json_field(sb, "exception_code", a->exception_code, 1);
	json_field(sb, "fault_ip", a->fault_ip, 1);
	json_field(sb, "machine", a->machine, 1);
	json_field(sb, "source", a->source, 1);
	sb_adds(sb, ",\"frames\":[");
	for (size_t j = 0; j < a->nframes; j++) {
		const pm_frame *f = &a->frames[j];
		sb_adds(sb, j ? ",{" : "{");
		json_field(sb, "module", f->module, 0);
		json_field(sb, "function", f->function, 1);
		json_field(sb, "offset", f->offset, 1);
		json_field(sb, "address", f->address, 1);
		sb_addf(sb, ",\"inline\":%s}", f->is_inline ? "true" : "false");
	}
	sb_adds(sb, "],\"modules\":[");
	for (size_t j = 0; j < a->nmodules; j++) {
		const pm_module *m = &a->modules[j];
		sb_adds(sb, j ? ",{" : "{");
		json_field(sb, "name", m->name, 0);
		json_field(sb, "start", m->start, 1);
		json_field(sb, "end", m->end, 1);
		json_field(sb, "image_path", m->image_path, 1);
		json_field(sb, "timestamp", m->timestamp, 1);
		json_field(sb, "checksum", m->checksum, 1);
		json_field(sb, "image_size", m->image_size, 1);
		sb_addc(sb, '}');
	}
	sb_adds(sb, "],\"pool_tags\":[");
	for (size_t j = 0; j < a->npool_tags; j++) {
		sb_adds(sb, j ? ",{" : "{");
		json_field(sb, "tag", a->pool_tags[j].tag, 0);
		json_field(sb, "owner", a->pool_tags[j].owner, 1);
		sb_addc(sb, '}');
	}
	sb_adds(sb, "],\"locals\":[");
	for (size_t j = 0; j < a->nlocals; j++) {
		sb_adds(sb, j ? ",{" : "{");
		json_field(sb, "name", a->locals[j].name, 0);
		json_field(sb, "value", a->locals[j].value, 1);
		sb_addc(sb, '}');
	}
	sb_adds(sb, "]");
	json_field(sb, "signature", sig && sig->text && *sig->text ? sig->text : NULL, 1);
	sb_addc(sb, '}');
}

/* The outcome of each analysis (kb/customer.h), as a JSON member. */
static void json_outcomes(sbuf *sb, const kb_outcome *o, size_t n)
{
	sb_adds(sb, ",\"outcomes\":[");
	for (size_t i = 0; i < n; i++) {
		sb_adds(sb, i ? ",{\"analysis\":" : "{\"analysis\":");
		if (o[i].analysis >= 0)
			sb_addf(sb, "%d", o[i].analysis);
		else
			sb_adds(sb, "null");
		json_field(sb, "outcome", outcome_name(o[i].outcome), 1);
		json_field(sb, "source", o[i].source, 1);
		json_field(sb, "remediation", o[i].remediation, 1);
		json_field(sb, "note", o[i].note, 1);
		json_field(sb, "set_at", o[i].set_at, 1);
		sb_addc(sb, '}');
	}
	sb_addc(sb, ']');
}

void cli_case_json(sbuf *sb, const pm_case *c, const pm_signature *sigs, size_t nsigs,
		   const kb_outcome *outc, size_t noutc)
{
	sb_addc(sb, '{');
	json_field(sb, "case", c->id, 0);
	json_field(sb, "title", c->title, 1);
	json_field(sb, "customer", c->customer, 1);
	json_field(sb, "priority", c->priority, 1);
	json_field(sb, "status", c->status, 1);
	json_field(sb, "refs", c->refs, 1);
	json_field(sb, "first_date", c->first_date, 1);
	json_field(sb, "last_date", c->last_date, 1);
	json_field(sb, "source", c->source, 1);
	json_field(sb, "format", c->format, 1);
	sb_addf(sb, ",\"redactions\":%d,\"messages\":[", c->redactions);
	for (size_t i = 0; i < c->nmessages; i++) {
		const pm_message *m = &c->messages[i];
		sb_addf(sb, "%s{\"index\":%zu", i ? "," : "", i);
		json_field(sb, "sender", m->sender, 1);
		json_field(sb, "sent", m->sent, 1);
		json_field(sb, "subject", m->subject, 1);
		json_field(sb, "message_id", m->message_id, 1);
		json_field(sb, "body", m->body, 1);
		sb_addc(sb, '}');
	}
	sb_adds(sb, "],\"notes\":[");
	for (size_t i = 0; i < c->nnotes; i++) {
		sb_addf(sb, "%s{\"message\":%d", i ? "," : "", c->notes[i].message);
		json_field(sb, "kind", c->notes[i].kind, 1);
		json_field(sb, "text", c->notes[i].text, 1);
		sb_addc(sb, '}');
	}
	sb_adds(sb, "],\"conclusions\":");
	json_notes_of(sb, c, PM_NOTE_CONCLUSION);
	sb_adds(sb, ",\"next_steps\":");
	json_notes_of(sb, c, PM_NOTE_NEXT_STEP);
	sb_adds(sb, ",\"analyses\":[");
	for (size_t i = 0; i < c->nanalyses; i++) {
		if (i)
			sb_addc(sb, ',');
		json_analysis(sb, i, &c->analyses[i], i < nsigs ? &sigs[i] : NULL);
	}
	sb_adds(sb, "],\"attachments\":[");
	for (size_t i = 0; i < c->nattachments; i++) {
		const pm_attachment *a = &c->attachments[i];
		sb_addf(sb, "%s{\"message\":%d", i ? "," : "", a->message);
		json_field(sb, "filename", a->filename, 1);
		json_field(sb, "content_type", a->content_type, 1);
		sb_addf(sb, ",\"size\":%zu}", a->size);
	}
	sb_adds(sb, "]");
	json_outcomes(sb, outc, noutc);
	sb_addc(sb, '}');
}
