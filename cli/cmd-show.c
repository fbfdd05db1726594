/* cmd-show.c - pmkb show (placeholder until its issue lands). */
#include "cli.h"

int cmd_show(cli_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	pmkb_error("'show' is not built yet");
	return PMKB_EX_SOFTWARE;
}
