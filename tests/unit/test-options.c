/* test-options.c - unit tests of cli/options.c: an option table gives the
 * getopt_long arguments (optstring, long options), cli_getopt parses real
 * argument vectors with it (an unknown option or a missing argument is a
 * usage error, exit 64, naming the option), and every command's table in
 * cli/commands.c is sound (no option twice, each one helped, exit codes). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../cli/options.h"
#include "../../util/util.h"

static const cli_opt demo_opts[] = {
	{'j', "json", NULL, 0, "JSON output"},
	{'n', "limit", "N", CLI_OPT_SHORT, "at most N"},
	{'f', NULL, "FILE", CLI_OPT_SHORT, "short only"},
	{'x', "exclude-case", NULL, CLI_OPT_SHORT, "a flag with a short form"},
	{0},
};

static const cli_command demo = {
	"demo", "pmkb demo [--json] [-n N] [-f FILE] ARG", "A command for the test.", NULL, demo_opts,
	"0 done, 64 usage", "pmkb-demo(1)", NULL, NULL, 0,
};

static const struct option *find_long(const struct option *l, const char *name)
{
	for (; l->name; l++)
		if (!strcmp(l->name, name))
			return l;
	return NULL;
}

static void test_build(void **state)
{
	(void)state;
	struct option longs[16];
	char os[64];
	assert_int_equal(cli_opt_build(&demo, longs, 16, os, sizeof os), 0);
	/* ':' first (a missing argument is told apart), then the table's short
	 * options, then the global ones */
	assert_string_equal(os, ":n:f:xhqv");
	const struct option *l = find_long(longs, "limit");
	assert_non_null(l);
	assert_int_equal(l->has_arg, required_argument);
	assert_int_equal(l->val, 'n');
	assert_null(l->flag);
	l = find_long(longs, "json");
	assert_non_null(l);
	assert_int_equal(l->has_arg, no_argument);
	assert_int_equal(l->val, 'j');
	assert_non_null(find_long(longs, "exclude-case"));
	assert_non_null(find_long(longs, "help"));
	assert_non_null(find_long(longs, "quiet"));
	assert_non_null(find_long(longs, "verbose"));
	/* -f has no long name: 4 of the table's + 3 global, then the {0} end */
	size_t n = 0;
	while (longs[n].name)
		n++;
	assert_int_equal(n, 6);
	assert_int_equal(longs[n].val, 0);

	cli_command ordered = demo;
	ordered.in_order = 1;
	assert_int_equal(cli_opt_build(&ordered, longs, 16, os, sizeof os), 0);
	assert_string_equal(os, "+:n:f:xhqv");
	/* what does not fit is refused, not cut */
	assert_int_equal(cli_opt_build(&demo, longs, 4, os, sizeof os), -1);
	assert_int_equal(cli_opt_build(&demo, longs, 16, os, 6), -1);
}

/* Run cli_getopt over words (NULL-terminated); the options returned go in
 * got (as a string of their vals), the optargs in args joined by '|', the
 * last return value is returned, stderr goes to err. */
static int run(const cli_command *cmd, const char **words, char *got, char *args, char *err, size_t errsz)
{
	char *argv[32];
	int argc = 0;
	while (words[argc]) {
		argv[argc] = (char *)words[argc];
		argc++;
	}
	argv[argc] = NULL;
	fflush(stderr);
	int saved = dup(2);
	FILE *tmp = tmpfile();
	assert_non_null(tmp);
	dup2(fileno(tmp), 2);
	optind = 0;
	got[0] = args[0] = '\0';
	int c;
	while ((c = cli_getopt(cmd, argc, argv)) != -1 && c != CLI_OPT_STOP) {
		size_t k = strlen(got);
		got[k] = (char)c;
		got[k + 1] = '\0';
		if (optarg) {
			strcat(args, optarg);
			strcat(args, "|");
		}
	}
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	size_t n = fread(err, 1, errsz - 1, tmp);
	err[n] = '\0';
	fclose(tmp);
	return c;
}

static void test_parse(void **state)
{
	(void)state;
	char got[32], args[128], err[1024];
	const char *w1[] = {"demo", "--json", "-n", "5", "--limit=7", "-f", "a.txt", "-x", "ARG", NULL};
	assert_int_equal(run(&demo, w1, got, args, err, sizeof err), -1);
	assert_string_equal(got, "jnnfx");
	assert_string_equal(args, "5|7|a.txt|");
	assert_string_equal(err, "");
	/* operands after options are permuted to the end unless in_order */
	const char *w2[] = {"demo", "ARG", "--json", NULL};
	assert_int_equal(run(&demo, w2, got, args, err, sizeof err), -1);
	assert_string_equal(got, "j");
	assert_int_equal(optind, 2);
	cli_command ordered = demo;
	ordered.in_order = 1;
	assert_int_equal(run(&ordered, w2, got, args, err, sizeof err), -1);
	assert_string_equal(got, "");
	assert_int_equal(optind, 1);
}

static void test_errors(void **state)
{
	(void)state;
	char got[32], args[128], err[1024];
	const char *w1[] = {"demo", "--json", "--bogus", "ARG", NULL};
	assert_int_equal(run(&demo, w1, got, args, err, sizeof err), CLI_OPT_STOP);
	assert_int_equal(cli_getopt_exit, 64);
	assert_non_null(strstr(err, "unknown option '--bogus'"));
	assert_non_null(strstr(err, "usage: pmkb demo"));
	const char *w2[] = {"demo", "-xz", NULL};
	assert_int_equal(run(&demo, w2, got, args, err, sizeof err), CLI_OPT_STOP);
	assert_int_equal(cli_getopt_exit, 64);
	assert_non_null(strstr(err, "unknown option '-z'"));
	/* --json is long only: -j is unknown */
	const char *w3[] = {"demo", "-j", NULL};
	assert_int_equal(run(&demo, w3, got, args, err, sizeof err), CLI_OPT_STOP);
	assert_non_null(strstr(err, "unknown option '-j'"));
	const char *w4[] = {"demo", "--limit", NULL};
	assert_int_equal(run(&demo, w4, got, args, err, sizeof err), CLI_OPT_STOP);
	assert_int_equal(cli_getopt_exit, 64);
	assert_non_null(strstr(err, "'--limit' needs an argument"));
	const char *w5[] = {"demo", "-n", NULL};
	assert_int_equal(run(&demo, w5, got, args, err, sizeof err), CLI_OPT_STOP);
	assert_non_null(strstr(err, "'-n' needs an argument"));
	/* an option taking no argument given one */
	const char *w6[] = {"demo", "--json=1", NULL};
	assert_int_equal(run(&demo, w6, got, args, err, sizeof err), CLI_OPT_STOP);
	assert_int_equal(cli_getopt_exit, 64);
}

static void test_global(void **state)
{
	(void)state;
	char got[32], args[128], err[1024];
	const char *w1[] = {"demo", "-v", "--json", "--verbose", NULL};
	cli_set_verbosity(0);
	assert_int_equal(run(&demo, w1, got, args, err, sizeof err), -1);
	assert_string_equal(got, "j"); /* -v is not the command's */
	assert_int_equal(cli_verbosity, 2);
	assert_int_equal(pmkb_quiet, 0);
	const char *w2[] = {"demo", "--quiet", NULL};
	assert_int_equal(run(&demo, w2, got, args, err, sizeof err), -1);
	assert_int_equal(cli_verbosity, -1);
	assert_int_equal(pmkb_quiet, 1);
	/* -q: warnings are not printed, errors are */
	fflush(stderr);
	int saved = dup(2);
	FILE *tmp = tmpfile();
	dup2(fileno(tmp), 2);
	pmkb_warning("a warning");
	pmkb_error("an error");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	size_t n = fread(err, 1, sizeof err - 1, tmp);
	err[n] = '\0';
	fclose(tmp);
	assert_null(strstr(err, "a warning"));
	assert_non_null(strstr(err, "an error"));
	cli_set_verbosity(0);
}

static void test_help(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cli_help(&demo, f);
	fclose(f);
	assert_true(str_starts(buf, "usage: pmkb demo [--json]"));
	assert_non_null(strstr(buf, "A command for the test."));
	assert_non_null(strstr(buf, "  -n, --limit N"));
	assert_non_null(strstr(buf, "  -f FILE"));
	assert_non_null(strstr(buf, "      --json "));
	assert_non_null(strstr(buf, "  -h, --help"));
	assert_non_null(strstr(buf, "  -q, --quiet"));
	assert_non_null(strstr(buf, "exit: 0 done, 64 usage"));
	assert_non_null(strstr(buf, "pmkb-demo(1)"));
	free(buf);
}

/* The real tables: every option has a help line, no val or name is taken
 * twice (with the global options too), the exit codes start at 0 and
 * name 64, the page is NAME(S); the getopt arguments fit. */
static void test_tables(void **state)
{
	(void)state;
	assert_true(cli_ncommands >= 20);
	for (size_t i = 0; i < cli_ncommands; i++) {
		const cli_command *c = &cli_commands[i];
		assert_ptr_equal(cli_command_find(c->name), c);
		assert_non_null(c->usage);
		assert_true(str_starts(c->usage, "pmkb "));
		assert_non_null(c->summary);
		assert_true(str_starts(c->exits, "0"));
		assert_non_null(strstr(c->exits, "64"));
		assert_non_null(strchr(c->page, '('));
		struct option longs[64];
		char os[160];
		assert_int_equal(cli_opt_build(c, longs, 64, os, sizeof os), 0);
		for (const cli_opt *o = c->opts; o && (o->name || o->val); o++) {
			assert_non_null(o->help);
			assert_true(o->name || (o->flags & CLI_OPT_SHORT));
			for (const cli_opt *p = o + 1; p->name || p->val; p++) {
				assert_int_not_equal(o->val, p->val);
				assert_false(o->name && p->name && !strcmp(o->name, p->name));
			}
			for (const cli_opt *g = cli_global_opts; g->name; g++) {
				assert_int_not_equal(o->val, g->val);
				assert_false(o->name && !strcmp(o->name, g->name));
			}
			/* every option is in the usage line (long or short), but
			 * for import's, which --help details */
			if (o->name && strcmp(c->name, "import")) {
				char *want = xasprintf("--%s", o->name);
				char shortform[4] = {'-', (char)o->val, ' ', 0};
				if (!strstr(c->usage, want) &&
				    !((o->flags & CLI_OPT_SHORT) && strstr(c->usage, shortform)))
					fail_msg("pmkb %s: --%s is not in the usage line", c->name, o->name);
				free(want);
			}
		}
	}
	assert_null(cli_command_find("nosuch"));
	/* pmkb's own options: in order (the command name ends them) */
	struct option longs[16];
	char os[32];
	assert_int_equal(cli_opt_build(&cli_top, longs, 16, os, sizeof os), 0);
	assert_string_equal(os, "+:hqv");
	assert_int_equal(find_long(longs, "db")->has_arg, required_argument);
	assert_non_null(find_long(longs, "version"));
}

static void test_completion(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_int_equal(cli_completion("bash", f), 0);
	fclose(f);
	assert_non_null(strstr(buf, "complete -o filenames -F _pmkb pmkb"));
	for (size_t i = 0; i < cli_ncommands; i++) {
		char *arm = xasprintf("\t%s) opts='", cli_commands[i].name);
		assert_non_null(strstr(buf, arm));
		free(arm);
	}
	/* an argument of a few words completes from them */
	assert_non_null(strstr(buf, "suggest:--lang) COMPREPLY=($(compgen -W 'zh en' -- \"$cur\"))"));
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_int_equal(cli_completion("zsh", f), 0);
	fclose(f);
	assert_true(str_starts(buf, "#compdef pmkb\n"));
	assert_non_null(strstr(buf, "'--json[JSON output (docs/match-json.md)]'"));
	assert_non_null(strstr(buf, "'--lang[the reply"));
	assert_non_null(strstr(buf, ":(zh en)'"));
	free(buf);
	f = fopen("/dev/null", "w");
	assert_int_equal(cli_completion("fish", f), -1);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build),   cmocka_unit_test(test_parse),  cmocka_unit_test(test_errors),
		cmocka_unit_test(test_global),  cmocka_unit_test(test_help),   cmocka_unit_test(test_tables),
		cmocka_unit_test(test_completion),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
