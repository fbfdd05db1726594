/* cmd-outcome.c - pmkb outcome: did the remediation proposed for a stored
 * analysis work? Show it, or set it by hand (docs/pmkb-outcome.1). */
#include "cli.h"
#include "../kb/customer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "CAS-1#2" -> id "CAS-1", analysis 1 (0-based); "CAS-1" -> -1. Returns
 * -1 when N is not a number from 1. */
static int split_ref(const char *ref, char **id, int *analysis)
{
	const char *hash = strrchr(ref, '#');
	*analysis = -1;
	if (!hash) {
		*id = xstrdup(ref);
		return 0;
	}
	char *end;
	long n = strtol(hash + 1, &end, 10);
	if (hash == ref || !hash[1] || *end || n < 1 || n > 1000000)
		return -1;
	*id = xstrndup(ref, (size_t)(hash - ref));
	*analysis = (int)n - 1;
	return 0;
}

static void entry_free(kb_outcome *o)
{
	free(o->remediation);
	free(o->source);
	free(o->note);
	free(o->set_at);
}

static void print(const char *id, const kb_outcome *o, size_t n, int json)
{
	sbuf sb = {0};
	if (json) {
		jw w;
		jw_init(&w, &sb);
		jw_obj(&w, NULL);
		jw_str(&w, "case", id);
		cli_outcomes_json(&w, o, n);
		jw_end(&w);
		sb_addc(&sb, '\n');
	}
	for (size_t i = 0; !json && i < n; i++) {
		if (o[i].analysis >= 0)
			sb_addf(&sb, "%s#%d\t%s\t%s", id, o[i].analysis + 1, outcome_name(o[i].outcome),
				o[i].source ? o[i].source : "");
		else
			sb_addf(&sb, "%s\t%s\t%s", id, outcome_name(o[i].outcome), o[i].source ? o[i].source : "");
		if (o[i].note)
			sb_addf(&sb, "\t%s", o[i].note);
		sb_addc(&sb, '\n');
	}
	fputs(sb_str(&sb), stdout);
	sb_free(&sb);
}

int cmd_outcome(cli_ctx *ctx, int argc, char **argv)
{
	const cli_command *cmd = cli_command_find("outcome");
	int json = 0, c;
	const char *note = NULL;
	while ((c = cli_getopt(cmd, argc, argv)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'n':
			note = optarg;
			break;
		default:
			return cli_getopt_exit;
		}
	}
	int nargs = argc - optind;
	if (nargs < 1 || nargs > 2)
		return cli_usage(cmd->usage, nargs < 1 ? "which case?" : "too many arguments");
	char *id = NULL;
	int analysis = -1;
	if (split_ref(argv[optind], &id, &analysis) < 0)
		return cli_usage(cmd->usage, "'%s': want CASE or CASE#N with N from 1", argv[optind]);
	outcome_kind k = OUTCOME_UNKNOWN;
	if (nargs == 2 && outcome_parse(argv[optind + 1], &k) < 0) {
		free(id);
		return cli_usage(cmd->usage, "'%s' is not an outcome: resolved, not-resolved or unknown",
				 argv[optind + 1]);
	}
	if (nargs == 1 && note) {
		free(id);
		return cli_usage(cmd->usage, "--note goes with an outcome to set");
	}
	kb_db *db = NULL;
	int rc = cli_open_db(ctx, nargs == 2 ? KB_WRITE : KB_READ, &db);
	if (rc) {
		free(id);
		return rc;
	}
	kb_status st = KB_OK;
	if (nargs == 2) {
		st = kb_outcome_set(db, id, analysis, k, note);
		if (st == KB_NOT_FOUND) {
			if (analysis >= 0)
				pmkb_error("no analysis %d in case '%s'", analysis + 1, id);
			else
				pmkb_error("no case '%s'", id);
			pmkb_hint("'pmkb show %s' lists its analyses", id);
			rc = PMKB_EX_NOMATCH;
		} else if (st != KB_OK) {
			rc = cli_kb_fail(db, st, "cannot record the outcome");
		}
	}
	kb_outcome *o = NULL;
	size_t n = 0;
	if (rc == PMKB_EX_OK) {
		st = kb_outcome_get(db, id, &o, &n);
		if (st != KB_OK) {
			rc = cli_kb_fail(db, st, "cannot read outcomes");
		} else if (n == 0) {
			pmkb_error("no outcome recorded for '%s'", id);
			pmkb_hint("is it a stored case? 'pmkb show %s'", id);
			rc = PMKB_EX_NOMATCH;
		} else {
			size_t keep = 0;
			for (size_t i = 0; i < n; i++)
				if (analysis < 0 || o[i].analysis == analysis)
					o[keep++] = o[i];
				else
					entry_free(&o[i]);
			if (keep == 0) {
				pmkb_error("no analysis %d in case '%s'", analysis + 1, id);
				rc = PMKB_EX_NOMATCH;
			} else {
				print(id, o, keep, json);
			}
			n = keep;
		}
	}
	kb_outcomes_free(o, n);
	kb_close(db);
	free(id);
	return rc;
}
