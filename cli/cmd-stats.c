/* cmd-stats.c - pmkb stats: what the knowledge base holds. */
#include "cli.h"

#include <stdio.h>

int cmd_stats(cli_ctx *ctx, int argc, char **argv)
{
	const cli_command *cmd = cli_command_find("stats");
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
	if (optind < argc)
		return cli_usage(cmd->usage, "unexpected argument '%s'", argv[optind]);
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
