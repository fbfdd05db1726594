/* main.c - the pmkb command: global options, then one subcommand from the
 * command table below (one cmd-<name>.c per subcommand). */
#include "cli.h"
#include "../util/config.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct command {
	const char *name;
	cli_fn fn;
	const char *summary;
} commands[] = {
	{"import", cmd_import, "import case threads, mail, WinDbg text or .dmp files"},
	{"sig", cmd_sig, "print the crash signature(s) of a dump analysis or .dmp"},
	{"match", cmd_match, "rank known cases against a new dump, with a verdict"},
	{"search", cmd_search, "search the knowledge base (full text and fields)"},
	{"show", cmd_show, "show a stored case"},
	{"rules", cmd_rules, "list, check or test the known-signature rules"},
	{"eval", cmd_eval, "measure ranking quality on a labelled set"},
	{"reindex", cmd_reindex, "rebuild the search index from SQLite"},
	{"stats", cmd_stats, "count what the knowledge base holds"},
	{"config", cmd_config, "read or change the configuration"},
	{"outcome", cmd_outcome, "show or set whether a case's remediation worked"},
	{"suggest", cmd_suggest, "draft the customer's reply, or route it to an engineer"},
	{"watch", cmd_watch, "answer the support mailbox: new mail in, drafts to the queue"},
	{"queue", cmd_queue, "list, show, approve (send), reject or edit drafted replies"},
	{"serve", cmd_serve, "a web page and JSON API for the knowledge base"},
	{"check", cmd_check, "check the knowledge base: kb.sqlite, the index, pending work"},
};

static void usage(FILE *f);

/* Edit distance of a and b (short ASCII words), for "did you mean". */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 31 || lb > 31)
		return 99;
	size_t d[32][32];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
			d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
	return d[la][lb];
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < PMKB_ARRAY_LEN(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* "'x' is not a pmkb command", with the nearest commands (git's rule:
 * within two edits, or a prefix). */
static int not_a_command(const char *name)
{
	pmkb_error("'%s' is not a pmkb command; see 'pmkb --help'", name);
	size_t best = 3;
	for (size_t i = 0; i < PMKB_ARRAY_LEN(commands); i++) {
		size_t d = distance(name, commands[i].name);
		if (str_starts(commands[i].name, name) && *name)
			d = 1;
		if (d < best)
			best = d;
	}
	for (size_t i = 0; best < 3 && i < PMKB_ARRAY_LEN(commands); i++) {
		size_t d = distance(name, commands[i].name);
		if (str_starts(commands[i].name, name) && *name)
			d = 1;
		if (d == best)
			pmkb_hint("did you mean 'pmkb %s'?", commands[i].name);
	}
	return PMKB_EX_USAGE;
}

/* pmkb help [COMMAND]: the manual page, like git help. The page is looked
 * for in the source tree next to the binary (docs/), then where make
 * install puts it (../share/man/man1 from the binary), then by name. */
static int help(int argc, char **argv)
{
	if (argc < 2) {
		usage(stdout);
		return PMKB_EX_OK;
	}
	const char *name = argv[1];
	if (argc > 2 || !find_command(name))
		return argc > 2 ? (pmkb_error("help takes one command"), PMKB_EX_USAGE) : not_a_command(name);
	char *page = xasprintf("pmkb-%s", name);
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	char *path = NULL;
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash)
			*slash = '\0';
		/* section 1, else 5 (pmkb-rules(5) documents the rules command) */
		const char *where[] = {"%s/docs/%s.1", "%s/../docs/%s.1", "%s/../share/man/man1/%s.1",
				       "%s/docs/%s.5", "%s/../docs/%s.5", "%s/../share/man/man5/%s.5"};
		for (size_t i = 0; i < PMKB_ARRAY_LEN(where) && !path; i++) {
			char *p = xasprintf(where[i], self, page);
			if (access(p, R_OK) == 0)
				path = p;
			else
				free(p);
		}
	}
	fflush(NULL);
	if (path)
		execlp("man", "man", "-l", path, (char *)NULL);
	else
		execlp("man", "man", page, (char *)NULL);
	pmkb_error("cannot run man for %s: %s", page, strerror(errno));
	pmkb_hint("'pmkb %s --help' prints the options", name);
	free(path);
	free(page);
	return PMKB_EX_CONFIG;
}

static void usage(FILE *f)
{
	fputs("usage: pmkb [--db DIR]... [--version] [--help] COMMAND [ARGS]\n\n"
	      "DIR defaults to $PMKB_DB, else $XDG_DATA_HOME/pmkb (~/.local/share/pmkb).\n\n"
	      "commands:\n", f);
	for (size_t i = 0; i < PMKB_ARRAY_LEN(commands); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fputs("\nsee 'pmkb COMMAND --help', 'pmkb help COMMAND' and man pmkb (docs/pmkb.1)\n", f);
}

int main(int argc, char **argv)
{
	setlocale(LC_CTYPE, "C.UTF-8"); /* UTF-8 regex and iconv; the rest stays "C" */
	cli_safe_output();
	cli_ctx ctx = {0};
	const char **dbs = xcalloc((size_t)argc + 1, sizeof(char *));
	ctx.dbs = dbs;

	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int c;
	/* '+': stop at the first non-option, the subcommand */
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dbs[ctx.ndbs++] = optarg;
			break;
		case 'h':
			usage(stdout);
			free(dbs);
			return PMKB_EX_OK;
		case 'V':
			printf("pmkb %s\n", PMKB_VERSION);
			free(dbs);
			return PMKB_EX_OK;
		default:
			usage(stderr);
			free(dbs);
			return PMKB_EX_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		free(dbs);
		return PMKB_EX_USAGE;
	}
	const char *name = argv[optind];
	if (strcmp(name, "help") == 0) {
		free(dbs);
		return help(argc - optind, argv + optind);
	}
	const struct command *cmd = find_command(name);
	if (!cmd) {
		free(dbs);
		return not_a_command(name);
	}
	int sub_argc = argc - optind;
	char **sub_argv = argv + optind;
	optind = 0; /* reset getopt for the subcommand (glibc: full re-init) */
	int rc = cmd->fn(&ctx, sub_argc, sub_argv);
	config_free(ctx.config);
	free(dbs);
	return rc;
}
