/* cmd-match.c - pmkb match (placeholder until its issue lands). */
#include "cli.h"

int cmd_match(cli_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	pmkb_error("'match' is not built yet");
	return PMKB_EX_SOFTWARE;
}
