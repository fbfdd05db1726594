/* cmd-reindex.c - pmkb reindex (placeholder until its issue lands). */
#include "cli.h"

int cmd_reindex(cli_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	pmkb_error("'reindex' is not built yet");
	return PMKB_EX_SOFTWARE;
}
