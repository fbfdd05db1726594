/* options.c - getopt_long and --help from one option table per command
 * (cli/options.h); the tables are in cli/commands.c. */
#include "options.h"
#include "exit.h"
#include "../util/util.h"

#include <string.h>

const cli_opt cli_global_opts[] = {
	{'h', "help", NULL, CLI_OPT_SHORT, "this help"},
	{'q', "quiet", NULL, CLI_OPT_SHORT, "no warnings (errors and their hints still)"},
	{'v', "verbose", NULL, CLI_OPT_SHORT | CLI_OPT_REPEAT,
	 "more on standard error (the knowledge base opened;\neval: each query)"},
	{0, NULL, NULL, 0, NULL},
};

int cli_verbosity;
int cli_getopt_exit;

void cli_set_verbosity(int v)
{
	cli_verbosity = v;
	pmkb_quiet = v < 0;
}

const cli_command *cli_command_find(const char *name)
{
	for (size_t i = 0; i < cli_ncommands; i++)
		if (strcmp(cli_commands[i].name, name) == 0)
			return &cli_commands[i];
	return NULL;
}

/* Add one table's options; returns -1 when they do not fit. */
static int add_opts(const cli_opt *o, struct option *longs, size_t nlongs, size_t *nl, char *optstring,
		    size_t n, size_t *ns)
{
	for (; o && (o->name || o->val); o++) {
		if (o->name) {
			if (*nl + 1 >= nlongs)
				return -1;
			longs[*nl].name = o->name;
			longs[*nl].has_arg = o->arg ? required_argument : no_argument;
			longs[*nl].flag = NULL;
			longs[*nl].val = o->val;
			++*nl;
		}
		if (o->flags & CLI_OPT_SHORT) {
			if (*ns + 3 >= n)
				return -1;
			optstring[(*ns)++] = (char)o->val;
			if (o->arg)
				optstring[(*ns)++] = ':';
		}
	}
	return 0;
}

int cli_opt_build(const cli_command *cmd, struct option *longs, size_t nlongs, char *optstring, size_t n)
{
	size_t nl = 0, ns = 0;
	if (nlongs < 1 || n < 3)
		return -1;
	/* '+': stop at the first operand; ':': report a missing argument as ':' */
	if (cmd->in_order)
		optstring[ns++] = '+';
	optstring[ns++] = ':';
	if (add_opts(cmd->opts, longs, nlongs, &nl, optstring, n, &ns) < 0 ||
	    add_opts(cli_global_opts, longs, nlongs, &nl, optstring, n, &ns) < 0)
		return -1;
	memset(&longs[nl], 0, sizeof longs[nl]);
	optstring[ns] = '\0';
	return 0;
}

/* The option as the user wrote it, for messages. */
static const char *opt_named(int argc, char **argv, const struct option *longs)
{
	static char one[3] = "-?";
	if (optopt && optopt != '?' && optopt != ':') {
		for (const struct option *l = longs; l->name; l++)
			if (l->val == optopt && optind - 1 < argc && optind >= 1 &&
			    str_starts(argv[optind - 1], "--"))
				return argv[optind - 1];
		one[1] = (char)optopt;
		return one;
	}
	return optind >= 1 && optind - 1 < argc ? argv[optind - 1] : "?";
}

int cli_getopt(const cli_command *cmd, int argc, char **argv)
{
	struct option longs[64];
	char optstring[160];
	if (cli_opt_build(cmd, longs, PMKB_ARRAY_LEN(longs), optstring, sizeof optstring) < 0) {
		pmkb_error("%s: too many options", cmd->name);
		cli_getopt_exit = PMKB_EX_SOFTWARE;
		return CLI_OPT_STOP;
	}
	opterr = 0;
	for (;;) {
		int c = getopt_long(argc, argv, optstring, longs, NULL);
		switch (c) {
		case 'h':
			cli_help(cmd, stdout);
			cli_getopt_exit = PMKB_EX_OK;
			return CLI_OPT_STOP;
		case 'q':
			cli_set_verbosity(-1);
			continue;
		case 'v':
			cli_set_verbosity(cli_verbosity < 0 ? 1 : cli_verbosity + 1);
			continue;
		case ':':
			pmkb_error("%s: option '%s' needs an argument", cmd->name, opt_named(argc, argv, longs));
			break;
		case '?':
			pmkb_error("%s: unknown option '%s'", cmd->name, opt_named(argc, argv, longs));
			break;
		default:
			return c;
		}
		fprintf(stderr, "usage: %s\n", cmd->usage);
		pmkb_hint("'pmkb %s --help' lists its options", cmd->name);
		cli_getopt_exit = PMKB_EX_USAGE;
		return CLI_OPT_STOP;
	}
}

/* "  -n, --limit N" */
static void opt_left(const cli_opt *o, sbuf *sb)
{
	sb_adds(sb, "  ");
	if (o->flags & CLI_OPT_SHORT) {
		sb_addf(sb, "-%c", o->val);
		if (o->name)
			sb_adds(sb, ", ");
		else if (o->arg)
			sb_addf(sb, " %s", o->arg);
	} else {
		sb_adds(sb, "    ");
	}
	if (o->name) {
		sb_addf(sb, "--%s", o->name);
		if (o->arg)
			sb_addf(sb, " %s", o->arg);
	}
}

/* Print text from column col, its words wrapped before column 80 onto
 * lines indented by indent (a newline in text is a space). */
static void wrap(FILE *f, const char *text, size_t col, size_t indent)
{
	const char *p = text;
	int first = 1;
	while (*p) {
		p += strspn(p, " \n");
		size_t n = strcspn(p, " \n");
		if (!n)
			break;
		if (!first && col + 1 + n >= 80) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
		} else if (!first) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, n, f);
		col += n;
		p += n;
		first = 0;
	}
	fputc('\n', f);
}

static void opts_help(const cli_opt *o, FILE *f)
{
	for (; o && (o->name || o->val); o++) {
		sbuf left = {0};
		opt_left(o, &left);
		/* the help at column 24, or on the next line when the left is wider */
		if (left.len <= 22)
			fprintf(f, "%s%*s", sb_str(&left), 24 - (int)left.len, "");
		else
			fprintf(f, "%s\n%24s", sb_str(&left), "");
		wrap(f, o->help ? o->help : "", 24, 24);
		sb_free(&left);
	}
}

void cli_help(const cli_command *cmd, FILE *f)
{
	fprintf(f, "usage: %s\n\n%s\n", cmd->usage, cmd->summary);
	if (cmd->text)
		fprintf(f, "%s", cmd->text);
	fputs("\noptions:\n", f);
	opts_help(cmd->opts, f);
	opts_help(cli_global_opts, f);
	fputs("\nexit: ", f);
	wrap(f, cmd->exits, 6, 6);
	fprintf(f, "see %s ('pmkb help %s')\n", cmd->page, cmd->name);
}
