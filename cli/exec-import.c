/* exec-import.c - `pmkb import` in the pmkb binary: run pmkb-import.
 *
 * Importing mail needs GMime and libcurl, which pull in about forty shared
 * libraries (GLib, GIO, gpgme, GnuTLS, Kerberos, LDAP...). Loading them
 * costs every pmkb process about 10 ms before main(), four times the work
 * of a match. So pmkb itself links only SQLite and Xapian, and `pmkb
 * import` replaces itself with pmkb-import: the same program built with
 * the mail readers (cli/cmd-import.c, cli/import-mail.c), given the same
 * --db options and arguments. git runs its dashed helpers the same way.
 *
 * pmkb-import is looked for in $PMKB_EXEC_PATH, then next to the running
 * pmkb (/proc/self/exe: the build tree), then in ../libexec/pmkb from it
 * (an installed tree moved elsewhere: relocatable), then in
 * PMKB_LIBEXECDIR set at build time. */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef PMKB_LIBEXECDIR
#define PMKB_LIBEXECDIR "/usr/local/libexec/pmkb"
#endif

#define HELPER "pmkb-import"

/* dir/HELPER if it is an executable file; caller frees. */
static char *helper_in(const char *dir)
{
	if (!dir || !*dir)
		return NULL;
	char *p = xasprintf("%s/%s", dir, HELPER);
	if (access(p, X_OK) == 0)
		return p;
	free(p);
	return NULL;
}

static char *find_helper(void)
{
	char *p = helper_in(getenv("PMKB_EXEC_PATH"));
	if (p)
		return p;
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			if ((p = helper_in(self)) != NULL)
				return p;
			char *rel = xasprintf("%s/../libexec/pmkb", self);
			p = helper_in(rel);
			free(rel);
			if (p)
				return p;
		}
	}
	return helper_in(PMKB_LIBEXECDIR);
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
		pmkb_error("cannot pass standard input on to %s: %s", HELPER, strerror(errno));
		return PMKB_EX_SOFTWARE;
	}
	return cmd_import(ctx, argc, argv);
}

int cmd_import(cli_ctx *ctx, int argc, char **argv)
{
	char *helper = find_helper();
	if (!helper) {
		pmkb_error("cannot run %s: not in $PMKB_EXEC_PATH, next to pmkb or in %s; "
			   "reinstall pmkb or set PMKB_EXEC_PATH",
			   HELPER, PMKB_LIBEXECDIR);
		return PMKB_EX_CONFIG;
	}
	/* pmkb-import --db D... import ARGS... */
	char **av = xcalloc(2 * ctx->ndbs + (size_t)argc + 2, sizeof *av);
	size_t k = 0;
	av[k++] = helper;
	for (size_t i = 0; i < ctx->ndbs; i++) {
		av[k++] = (char *)"--db";
		av[k++] = (char *)ctx->dbs[i];
	}
	for (int i = 0; i < argc; i++)
		av[k++] = argv[i];
	av[k] = NULL;
	fflush(NULL);
	execv(helper, av);
	pmkb_error("cannot run %s: %s", helper, strerror(errno));
	free(av);
	free(helper);
	return PMKB_EX_CONFIG;
}
