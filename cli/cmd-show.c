/* cmd-show.c - pmkb show: one stored case with its messages, notes and
 * analyses, as text or --json (schema in pmkb-show(1)). */
#include "cli.h"
#include "../kb/customer.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] = "pmkb show [--json] CASE";

#define SHOW_TOP_FRAMES 12

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

/* The outcome of each analysis (kb/customer.h), as JSON members. */
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

static void print_outcomes(const kb_outcome *o, size_t n)
{
	if (n)
		printf("\n== outcomes\n");
	for (size_t i = 0; i < n; i++) {
		if (o[i].analysis >= 0)
			printf("[%d] %s", o[i].analysis + 1, outcome_name(o[i].outcome));
		else
			printf("case %s", outcome_name(o[i].outcome));
		printf(" (%s%s%s)\n", o[i].source ? o[i].source : "?", o[i].note ? ": " : "",
		       o[i].note ? o[i].note : "");
		if (o[i].remediation)
			printf("    remediation: %s\n", o[i].remediation);
	}
}

static void print_json(const pm_case *c, const pm_signature *sigs, size_t nsigs,
		       const kb_outcome *outc, size_t noutc)
{
	sbuf sb = {0};
	sb_addc(&sb, '{');
	json_field(&sb, "case", c->id, 0);
	json_field(&sb, "title", c->title, 1);
	json_field(&sb, "customer", c->customer, 1);
	json_field(&sb, "priority", c->priority, 1);
	json_field(&sb, "status", c->status, 1);
	json_field(&sb, "refs", c->refs, 1);
	json_field(&sb, "first_date", c->first_date, 1);
	json_field(&sb, "last_date", c->last_date, 1);
	json_field(&sb, "source", c->source, 1);
	json_field(&sb, "format", c->format, 1);
	sb_addf(&sb, ",\"redactions\":%d,\"messages\":[", c->redactions);
	for (size_t i = 0; i < c->nmessages; i++) {
		const pm_message *m = &c->messages[i];
		sb_addf(&sb, "%s{\"index\":%zu", i ? "," : "", i);
		json_field(&sb, "sender", m->sender, 1);
		json_field(&sb, "sent", m->sent, 1);
		json_field(&sb, "subject", m->subject, 1);
		json_field(&sb, "message_id", m->message_id, 1);
		json_field(&sb, "body", m->body, 1);
		sb_addc(&sb, '}');
	}
	sb_adds(&sb, "],\"notes\":[");
	for (size_t i = 0; i < c->nnotes; i++) {
		sb_addf(&sb, "%s{\"message\":%d", i ? "," : "", c->notes[i].message);
		json_field(&sb, "kind", c->notes[i].kind, 1);
		json_field(&sb, "text", c->notes[i].text, 1);
		sb_addc(&sb, '}');
	}
	sb_adds(&sb, "],\"conclusions\":");
	json_notes_of(&sb, c, PM_NOTE_CONCLUSION);
	sb_adds(&sb, ",\"next_steps\":");
	json_notes_of(&sb, c, PM_NOTE_NEXT_STEP);
	sb_adds(&sb, ",\"analyses\":[");
	for (size_t i = 0; i < c->nanalyses; i++) {
		if (i)
			sb_addc(&sb, ',');
		json_analysis(&sb, i, &c->analyses[i], i < nsigs ? &sigs[i] : NULL);
	}
	sb_adds(&sb, "],\"attachments\":[");
	for (size_t i = 0; i < c->nattachments; i++) {
		const pm_attachment *a = &c->attachments[i];
		sb_addf(&sb, "%s{\"message\":%d", i ? "," : "", a->message);
		json_field(&sb, "filename", a->filename, 1);
		json_field(&sb, "content_type", a->content_type, 1);
		sb_addf(&sb, ",\"size\":%zu}", a->size);
	}
	sb_adds(&sb, "]");
	json_outcomes(&sb, outc, noutc);
	sb_adds(&sb, "}\n");
	fputs(sb_str(&sb), stdout);
	sb_free(&sb);
}

static void line(const char *label, const char *v)
{
	if (v && *v)
		printf("%-10s %s\n", label, v);
}

static void print_notes(const pm_case *c, const char *kind, const char *heading)
{
	int any = 0;
	for (size_t i = 0; i < c->nnotes; i++) {
		if (!c->notes[i].kind || strcmp(c->notes[i].kind, kind) != 0)
			continue;
		if (!any)
			printf("\n== %s\n", heading);
		any = 1;
		printf("- (message %d) %s\n", c->notes[i].message + 1, c->notes[i].text ? c->notes[i].text : "");
	}
}

static void print_text(const pm_case *c, const pm_signature *sigs, size_t nsigs)
{
	line("case", c->id);
	line("title", c->title);
	line("customer", c->customer);
	line("priority", c->priority);
	line("status", c->status);
	line("refs", c->refs);
	if (c->first_date || c->last_date)
		printf("%-10s %s .. %s\n", "dates", c->first_date ? c->first_date : "?",
		       c->last_date ? c->last_date : "?");
	line("source", c->source);
	if (c->redactions)
		printf("%-10s %d personal data items\n", "redacted", c->redactions);
	for (size_t i = 0; i < c->nmessages; i++) {
		const pm_message *m = &c->messages[i];
		printf("\n== message %zu: %s, %s\n", i + 1, m->sender ? m->sender : "?", m->sent ? m->sent : "?");
		if (m->body && *m->body) {
			fputs(m->body, stdout);
			if (m->body[strlen(m->body) - 1] != '\n')
				putchar('\n');
		}
	}
	print_notes(c, PM_NOTE_CONCLUSION, "conclusions");
	print_notes(c, PM_NOTE_NEXT_STEP, "next steps");
	if (c->nanalyses)
		printf("\n== analyses\n");
	for (size_t i = 0; i < c->nanalyses; i++) {
		const pm_analysis *a = &c->analyses[i];
		printf("[%zu] %s%s(message %d): %s %s\n", i + 1, a->dump_name ? a->dump_name : "",
		       a->dump_name ? " " : "", a->message + 1, a->bugcheck_code ? a->bugcheck_code : "?",
		       a->bugcheck_name ? a->bugcheck_name : "");
		if (a->args[0])
			printf("    args: %s %s %s %s\n", a->args[0], a->args[1] ? a->args[1] : "-",
			       a->args[2] ? a->args[2] : "-", a->args[3] ? a->args[3] : "-");
		if (a->process || a->image)
			printf("    process: %s  image: %s\n", a->process ? a->process : "-", a->image ? a->image : "-");
		for (size_t j = 0; j < a->nframes && j < SHOW_TOP_FRAMES; j++) {
			const pm_frame *f = &a->frames[j];
			if (f->module && f->function)
				printf("    %s!%s%s%s\n", f->module, f->function, f->offset ? "+" : "",
				       f->offset ? f->offset : "");
			else if (f->module)
				printf("    %s%s%s\n", f->module, f->offset ? "+" : "", f->offset ? f->offset : "");
			else
				printf("    %s\n", f->address ? f->address : "?");
		}
		if (a->nframes > SHOW_TOP_FRAMES)
			printf("    ... %zu more frames\n", a->nframes - SHOW_TOP_FRAMES);
		if (i < nsigs && sigs[i].text && *sigs[i].text)
			printf("    signature: %s\n", sigs[i].text);
	}
}

int cmd_show(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option long_opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int json = 0, c;
	while ((c = getopt_long(argc, argv, "jh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'h':
			printf("usage: %s\n\nShow a stored case: header, messages, conclusions, next steps\n"
			       "and dump analyses (bugcheck, top frames).\n"
			       "  --json   the whole case as JSON (see pmkb-show(1))\n"
			       "exit: 0 shown, 1 no such case\n",
			       usage_text);
			return PMKB_EX_OK;
		default:
			return cli_usage(usage_text, "unknown option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage(usage_text, optind >= argc ? "which case?" : "one case at a time");
	const char *id = argv[optind];
	/* With several --db, the first local one that holds the case; remote
	 * indexes hold no cases. */
	size_t ndirs = ctx->ndbs ? ctx->ndbs : 1;
	kb_db *db = NULL;
	pm_case *cs = NULL;
	kb_status st = KB_NOT_FOUND;
	int rc = PMKB_EX_OK, opened = 0;
	for (size_t i = 0; i < ndirs && !cs; i++) {
		if (ctx->ndbs && str_starts(ctx->dbs[i], "tcp://"))
			continue;
		cli_ctx one = {ctx->ndbs ? &ctx->dbs[i] : NULL, ctx->ndbs ? 1 : 0, NULL};
		rc = cli_open_db(&one, KB_READ, &db);
		if (rc != PMKB_EX_OK)
			return rc;
		opened = 1;
		st = kb_get_case(db, id, &cs);
		if (st == KB_NOT_FOUND) {
			kb_close(db);
			db = NULL;
			continue;
		}
		if (st != KB_OK) {
			rc = cli_kb_fail(db, st, "cannot read the case");
			kb_close(db);
			return rc;
		}
	}
	if (!opened)
		return cli_usage(usage_text, "no local --db given: remote indexes hold no cases");
	if (!cs) {
		pmkb_error("no case '%s'", id);
		return PMKB_EX_NOMATCH;
	}
	pm_signature *sigs = NULL;
	size_t nsigs = 0;
	if (kb_get_signatures(db, id, &sigs, &nsigs) != KB_OK)
		nsigs = 0;
	kb_outcome *outc = NULL;
	size_t noutc = 0;
	if (kb_outcome_get(db, id, &outc, &noutc) != KB_OK)
		noutc = 0;
	if (json) {
		print_json(cs, sigs, nsigs, outc, noutc);
	} else {
		print_text(cs, sigs, nsigs);
		print_outcomes(outc, noutc);
	}
	kb_outcomes_free(outc, noutc);
	kb_signatures_free(sigs, nsigs);
	pm_case_free(cs);
	kb_close(db);
	return PMKB_EX_OK;
}
