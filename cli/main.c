/* main.c - the pmkb command: global options, then one subcommand from the
 * command table below (one cmd-<name>.c per subcommand). */
#include "cli.h"
#include "../util/config.h"

#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	{"link", cmd_link, "record that two analyses have the same root cause, or not"},
	{"unlink", cmd_unlink, "take back a link"},
	{"links", cmd_links, "list the links (engineer feedback)"},
	{"list", cmd_list, "list the stored cases"},
	{"count", cmd_count, "count the stored cases"},
	{"rm", cmd_rm, "remove a case (and its links) from the knowledge base"},
	{"clusters", cmd_clusters, "group the stored analyses into root causes"},
};

static void usage(FILE *f)
{
	fputs("usage: pmkb [--db DIR]... [--version] [--help] COMMAND [ARGS]\n\n"
	      "DIR defaults to $PMKB_DB, else $XDG_DATA_HOME/pmkb (~/.local/share/pmkb).\n\n"
	      "commands:\n", f);
	for (size_t i = 0; i < PMKB_ARRAY_LEN(commands); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fputs("\nsee 'pmkb COMMAND --help' and man pmkb (docs/pmkb.1)\n", f);
}

int main(int argc, char **argv)
{
	setlocale(LC_CTYPE, "C.UTF-8"); /* UTF-8 regex and iconv; the rest stays "C" */
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
	for (size_t i = 0; i < PMKB_ARRAY_LEN(commands); i++) {
		if (strcmp(commands[i].name, name) == 0) {
			int sub_argc = argc - optind;
			char **sub_argv = argv + optind;
			optind = 0; /* reset getopt for the subcommand (glibc: full re-init) */
			int rc = commands[i].fn(&ctx, sub_argc, sub_argv);
			config_free(ctx.config);
			free(dbs);
			return rc;
		}
	}
	pmkb_error("'%s' is not a pmkb command; see 'pmkb --help'", name);
	free(dbs);
	return PMKB_EX_USAGE;
}
