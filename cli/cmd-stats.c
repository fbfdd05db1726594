/* cmd-stats.c - pmkb stats: what the knowledge base holds. */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>

static const char usage_text[] = "pmkb stats [--json]";

int cmd_stats(cli_ctx *ctx, int argc, char **argv)
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
			printf("usage: %s\n\nCount cases, messages, analyses, notes, frames, distinct\n"
			       "modules and pool tags, and the documents in the search index.\n"
			       "  --json   one JSON object (see pmkb-stats(1))\n",
			       usage_text);
			return PMKB_EX_OK;
		default:
			return cli_usage(usage_text, "unknown option");
		}
	}
	if (optind < argc)
		return cli_usage(usage_text, "unexpected argument '%s'", argv[optind]);
	kb_db *db = NULL;
	int rc = cli_open_db(ctx, KB_READ, &db);
	if (rc != PMKB_EX_OK)
		return rc;
	kb_stats s;
	kb_status st = kb_get_stats(db, &s);
	if (st != KB_OK) {
		rc = cli_kb_fail(db, st, "cannot count");
		kb_close(db);
		return rc;
	}
	kb_close(db);
	if (json)
		printf("{\"cases\":%ld,\"messages\":%ld,\"analyses\":%ld,\"notes\":%ld,\"frames\":%ld,"
		       "\"modules\":%ld,\"pool_tags\":%ld,\"indexed\":%ld}\n",
		       s.cases, s.messages, s.analyses, s.notes, s.frames, s.modules, s.pool_tags, s.indexed);
	else
		printf("cases      %ld\nmessages   %ld\nanalyses   %ld\nnotes      %ld\nframes     %ld\n"
		       "modules    %ld\npool tags  %ld\nindexed    %ld\n",
		       s.cases, s.messages, s.analyses, s.notes, s.frames, s.modules, s.pool_tags, s.indexed);
	return PMKB_EX_OK;
}
