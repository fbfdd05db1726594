/* cmd-reindex.c - pmkb reindex: rebuild the search index from SQLite
 * alone (after a damaged index, or a change of index layout). */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>

static const char usage_text[] = "pmkb reindex";

int cmd_reindex(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option long_opts[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		if (c == 'h') {
			printf("usage: %s\n\nRebuild the Xapian index from the cases stored in SQLite.\n"
			       "exit: 0 done, 75 another pmkb is writing; see pmkb-reindex(1)\n",
			       usage_text);
			return PMKB_EX_OK;
		}
		return cli_usage(usage_text, "unknown option");
	}
	if (optind < argc)
		return cli_usage(usage_text, "unexpected argument '%s'", argv[optind]);
	kb_db *db = NULL;
	int rc = cli_open_db(ctx, KB_REINDEX, &db);
	if (rc != PMKB_EX_OK)
		return rc;
	kb_status st = kb_reindex(db);
	kb_stats s = {0};
	if (st == KB_OK)
		st = kb_get_stats(db, &s);
	if (st != KB_OK) {
		rc = cli_kb_fail(db, st, "cannot rebuild the index");
		kb_close(db);
		return rc;
	}
	kb_close(db);
	printf("reindexed %ld cases\n", s.indexed);
	return PMKB_EX_OK;
}
