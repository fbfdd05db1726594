/* cmd-stats.c - pmkb stats (placeholder until its issue lands). */
#include "cli.h"

int cmd_stats(cli_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	pmkb_error("'stats' is not built yet");
	return PMKB_EX_SOFTWARE;
}
