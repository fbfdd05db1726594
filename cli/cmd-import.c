/* cmd-import.c - pmkb import (placeholder until its issue lands). */
#include "cli.h"

int cmd_import(cli_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	pmkb_error("'import' is not built yet");
	return PMKB_EX_SOFTWARE;
}
