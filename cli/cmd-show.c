/* cmd-show.c - pmkb show: one stored case with its messages, notes and
 * analyses, as text or --json (schema in pmkb-show(1)). */
#include "cli.h"
#include "../kb/customer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOW_TOP_FRAMES 12

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
	const cli_command *cmd = cli_command_find("show");
	int json = 0, c;
	while ((c = cli_getopt(cmd, argc, argv)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		default:
			return cli_getopt_exit;
		}
	}
	if (optind + 1 != argc)
		return cli_usage(cmd->usage, optind >= argc ? "which case?" : "one case at a time");
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
		return cli_usage(cmd->usage, "no local --db given: remote indexes hold no cases");
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
		sbuf out = {0};
		cli_case_json(&out, cs, sigs, nsigs, outc, noutc);
		sb_addc(&out, '\n');
		fputs(sb_str(&out), stdout);
		sb_free(&out);
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
