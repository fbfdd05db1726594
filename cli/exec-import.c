/* exec-import.c - `pmkb import` in the pmkb binary: run pmkb-import, the
 * same program built with the mail readers (cli/cmd-import.c,
 * cli/import-mail.c), which pull in GMime and libcurl; see
 * cli/exec-helper.c for why and where it is looked for. */
#include "cli.h"

#include <errno.h>
#include <string.h>

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

/* pmkb suggest on a raw mail: pmkb-import decodes it (cli/mail-query.c). */
int cli_mail_query(cli_ctx *ctx, int argc, char **argv, const char *path, const char *buf,
		   size_t len, pm_case **q, char **text)
{
	*q = NULL;
	*text = NULL;
	if (!strcmp(path, "-") && cli_stdin_put_back(buf, len) < 0) {
		pmkb_error("cannot pass standard input on to pmkb-import: %s", strerror(errno));
		return PMKB_EX_SOFTWARE;
	}
	return cmd_import(ctx, argc, argv);
}
