/* cmd-search.c - pmkb search (placeholder until its issue lands). */
#include "cli.h"

int cmd_search(cli_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	pmkb_error("'search' is not built yet");
	return PMKB_EX_SOFTWARE;
}
