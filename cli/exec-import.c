/* exec-import.c - `pmkb import` in the pmkb binary: run pmkb-import, the
 * same program built with the mail readers (cli/cmd-import.c,
 * cli/import-mail.c), which pull in GMime and libcurl; see
 * cli/exec-helper.c for why and where it is looked for. */
#include "cli.h"

int cmd_import(cli_ctx *ctx, int argc, char **argv)
{
	return cli_exec_helper(ctx, "pmkb-import", argc, argv);
}

/* pmkb watch and pmkb queue send mail (libcurl): pmkb-import runs them. */
int cmd_watch(cli_ctx *ctx, int argc, char **argv)
{
	return cmd_import(ctx, argc, argv);
}

int cmd_queue(cli_ctx *ctx, int argc, char **argv)
{
	return cmd_import(ctx, argc, argv);
}
