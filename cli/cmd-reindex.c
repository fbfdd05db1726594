/* cmd-reindex.c - pmkb reindex: rebuild the search index from SQLite
 * alone (after a damaged index, or a change of index layout). */
#include "cli.h"

#include <stdio.h>

int cmd_reindex(cli_ctx *ctx, int argc, char **argv)
{
	const cli_command *cmd = cli_command_find("reindex");
	if (cli_getopt(cmd, argc, argv) != -1)
		return cli_getopt_exit;
	if (optind < argc)
		return cli_usage(cmd->usage, "unexpected argument '%s'", argv[optind]);
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
