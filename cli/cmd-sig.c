/* cmd-sig.c - pmkb sig (placeholder until its issue lands). */
#include "cli.h"

int cmd_sig(cli_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	pmkb_error("'sig' is not built yet");
	return PMKB_EX_SOFTWARE;
}
