/* exec-serve.c - `pmkb serve` in pmkb and pmkb-import: run pmkb-serve, the
 * same program built with the web server (serve/), which links
 * libmicrohttpd and jansson besides the mail readers; see
 * cli/exec-helper.c. */
#include "cli.h"

int cmd_serve(cli_ctx *ctx, int argc, char **argv)
{
	return cli_exec_helper(ctx, "pmkb-serve", argc, argv);
}
