/* cmd-eval.c - pmkb eval (placeholder until its issue lands). */
#include "cli.h"

int cmd_eval(cli_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	pmkb_error("'eval' is not built yet");
	return PMKB_EX_SOFTWARE;
}
