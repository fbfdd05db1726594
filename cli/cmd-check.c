/* cmd-check.c - pmkb check: is the knowledge base whole? kb.sqlite's own
 * check, the index, the index against kb.sqlite, pending work. Writes
 * nothing. See docs/pmkb-check.1. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>

int cmd_check(cli_ctx *ctx, int argc, char **argv)
{
	const cli_command *cmd = cli_command_find("check");
	int full = 0, c;
	while ((c = cli_getopt(cmd, argc, argv)) != -1) {
		switch (c) {
		case 'f':
			full = 1;
			break;
		default:
			return cli_getopt_exit;
		}
	}
	if (optind < argc)
		return cli_usage(cmd->usage, "unexpected argument '%s'", argv[optind]);
	char *dir = cli_db_dir(ctx);
	if (!dir)
		return cli_no_db_dir();
	kb_check_report r;
	char err[512] = "";
	kb_status st = kb_check(dir, full, &r, err, sizeof err);
	if (st != KB_OK) {
		pmkb_error("cannot check knowledge base '%s': %s", dir, err[0] ? err : kb_status_string(st));
		free(dir);
		return cli_kb_exit(st);
	}
	free(dir);
	int index_bad = 0;
	if (r.sqlite_problem[0])
		printf("kb.sqlite: DAMAGED: %s\n", r.sqlite_problem);
	else
		printf("kb.sqlite: ok, %ld cases\n", r.cases);
	if (r.index_problem[0]) {
		printf("index: %s%s\n", r.index_missing ? "" : "DAMAGED: ", r.index_problem);
		index_bad = 1;
	} else {
		printf("index: ok, %lu documents\n", r.indexed);
		if (r.missing || r.extra) {
			printf("index against kb.sqlite: %lu cases not in the index, %lu documents of no case",
			       r.missing, r.extra);
			if (r.extra)
				printf(" (first: %s)", r.first_extra);
			putchar('\n');
			index_bad = 1;
		} else {
			printf("index against kb.sqlite: ok\n");
		}
	}
	if (r.pending > 0)
		printf("pending work: %ld cases to re-index (the next import or reindex does it)\n", r.pending);
	else
		printf("pending work: none\n");
	if (r.leftover)
		printf("interrupted rebuild: xapian.new left (the next import or reindex removes it)\n");
	if (r.sqlite_problem[0]) {
		pmkb_error("kb.sqlite is damaged: %s", r.sqlite_problem);
		pmkb_hint("restore kb.sqlite from a backup, or recover what it holds with sqlite3's .recover "
			  "into a new file; then 'pmkb reindex'");
		return PMKB_EX_SOFTWARE;
	}
	if (index_bad || r.pending > 0) {
		pmkb_hint("'pmkb reindex' rebuilds the index from kb.sqlite");
		return 1;
	}
	return PMKB_EX_OK;
}
