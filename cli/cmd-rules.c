/* cmd-rules.c - pmkb rules (placeholder until its issue lands). */
#include "cli.h"

int cmd_rules(cli_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	pmkb_error("'rules' is not built yet");
	return PMKB_EX_SOFTWARE;
}
