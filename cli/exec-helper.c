/* exec-helper.c - run one of pmkb's helper programs in place of pmkb.
 *
 * Importing mail needs GMime and libcurl, which pull in about forty shared
 * libraries (GLib, GIO, gpgme, GnuTLS, Kerberos, LDAP...). Loading them
 * costs every pmkb process about 10 ms before main(), four times the work
 * of a match. So pmkb itself links only SQLite and Xapian, and `pmkb
 * import` replaces itself with pmkb-import (cli/exec-import.c), `pmkb
 * serve` with pmkb-serve (cli/exec-serve.c): the same program built with
 * what the command needs, given the same --db options and arguments. git
 * runs its dashed helpers the same way.
 *
 * A helper is looked for in $PMKB_EXEC_PATH, then next to the running
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

/* dir/name if it is an executable file; caller frees. */
static char *helper_in(const char *dir, const char *name)
{
	if (!dir || !*dir)
		return NULL;
	char *p = xasprintf("%s/%s", dir, name);
	if (access(p, X_OK) == 0)
		return p;
	free(p);
	return NULL;
}

static char *find_helper(const char *name)
{
	char *p = helper_in(getenv("PMKB_EXEC_PATH"), name);
	if (p)
		return p;
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			if ((p = helper_in(self, name)) != NULL)
				return p;
			char *rel = xasprintf("%s/../libexec/pmkb", self);
			p = helper_in(rel, name);
			free(rel);
			if (p)
				return p;
		}
	}
	return helper_in(PMKB_LIBEXECDIR, name);
}

int cli_exec_helper(cli_ctx *ctx, const char *name, int argc, char **argv)
{
	char *helper = find_helper(name);
	if (!helper) {
		pmkb_error("cannot run %s: not in $PMKB_EXEC_PATH, next to pmkb or in %s; "
			   "reinstall pmkb or set PMKB_EXEC_PATH",
			   name, PMKB_LIBEXECDIR);
		return PMKB_EX_CONFIG;
	}
	/* HELPER --db D... [-q | -v...] COMMAND ARGS... */
	int nv = cli_verbosity < 0 ? 1 : cli_verbosity > 8 ? 8 : cli_verbosity;
	char **av = xcalloc(2 * ctx->ndbs + (size_t)nv + (size_t)argc + 2, sizeof *av);
	size_t k = 0;
	av[k++] = helper;
	for (size_t i = 0; i < ctx->ndbs; i++) {
		av[k++] = (char *)"--db";
		av[k++] = (char *)ctx->dbs[i];
	}
	for (int i = 0; i < nv; i++)
		av[k++] = (char *)(cli_verbosity < 0 ? "-q" : "-v");
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
