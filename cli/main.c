/* main.c - the pmkb command: global options, then one subcommand from the
 * command table below (one cmd-<name>.c per subcommand). */
#include "cli.h"
#include "../util/config.h"
#include "options.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The function of each command; their options, help and summary are in
 * cli/commands.c. */
static const struct command {
	const char *name;
	cli_fn fn;
} commands[] = {
	{"import", cmd_import},
	{"sig", cmd_sig},
	{"match", cmd_match},
	{"search", cmd_search},
	{"show", cmd_show},
	{"rules", cmd_rules},
	{"eval", cmd_eval},
	{"reindex", cmd_reindex},
	{"stats", cmd_stats},
	{"config", cmd_config},
	{"outcome", cmd_outcome},
	{"suggest", cmd_suggest},
	{"watch", cmd_watch},
	{"queue", cmd_queue},
	{"serve", cmd_serve},
	{"check", cmd_check},
	{"link", cmd_link},
	{"unlink", cmd_unlink},
	{"links", cmd_links},
	{"list", cmd_list},
	{"count", cmd_count},
	{"rm", cmd_rm},
	{"clusters", cmd_clusters},
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

/* Does `man -w page` find page (on MANPATH, or man's own path)? */
static int man_finds(const char *page)
{
	pid_t pid = fork();
	if (pid < 0)
		return 0;
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execlp("man", "man", "-w", page, (char *)NULL);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 0;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* Is prog an executable file in $PATH? */
static int in_path(const char *prog)
{
	const char *path = getenv("PATH");
	if (!path)
		return 0;
	while (*path) {
		size_t n = strcspn(path, ":");
		char *p = xasprintf("%.*s/%s", (int)n, n ? path : ".", prog);
		int ok = access(p, X_OK) == 0;
		free(p);
		if (ok)
			return 1;
		path += n + (path[n] == ':');
	}
	return 0;
}

/* pmkb help [COMMAND]: the manual page, like git help. The page is looked
 * for in the source tree next to the binary (docs/), then where make
 * install puts it (../share/man/man1 from the binary), then by name on
 * man's own path (MANPATH). Without man, or when no page is found, the
 * command's --help text, saying why on standard error. */
static int help(int argc, char **argv)
{
	if (argc < 2) {
		usage(stdout);
		return PMKB_EX_OK;
	}
	const char *name = argv[1];
	if (argc > 2 || !find_command(name))
		return argc > 2 ? (pmkb_error("help takes one command"), PMKB_EX_USAGE) : not_a_command(name);
	const cli_command *cmd = cli_command_find(name);
	/* the page's name and section: pmkb-rules(5) documents the rules command,
	 * pmkb-link(1) link, unlink and links */
	const char *open = strrchr(cmd->page, '(');
	char *page = xasprintf("%.*s", (int)(open - cmd->page), cmd->page);
	char sect = open[1];
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	char *path = NULL;
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash)
			*slash = '\0';
		const char *where[] = {"%s/docs/%s.%c", "%s/../docs/%s.%c", "%s/../share/man/man%c/%s.%c"};
		for (size_t i = 0; i < PMKB_ARRAY_LEN(where) && !path; i++) {
			char *p = i < 2 ? xasprintf(where[i], self, page, sect)
					: xasprintf(where[i], self, sect, page, sect);
			if (access(p, R_OK) == 0)
				path = p;
			else
				free(p);
		}
	}
	int have_man = in_path("man");
	fflush(NULL);
	if (have_man && path)
		execlp("man", "man", "-l", path, (char *)NULL);
	else if (have_man && man_finds(page))
		execlp("man", "man", page, (char *)NULL);
	/* no man, or no page: the --help text */
	if (!have_man)
		pmkb_warning("man is not installed (apt-get install man-db): here is 'pmkb %s --help'", name);
	else
		pmkb_warning("the manual page %s is not installed: here is 'pmkb %s --help'", cmd->page, name);
	pmkb_hint("'make install' installs the pages (or set MANPATH to a directory holding "
		  "man%c/%s.%c); in the source tree: man -l docs/%s.%c", sect, page, sect, page, sect);
	cli_help(cmd, stdout);
	free(path);
	free(page);
	return PMKB_EX_OK;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: %s\n\n", cli_top.usage);
	fputs("DIR defaults to $PMKB_DB, else $XDG_DATA_HOME/pmkb (~/.local/share/pmkb).\n"
	      "-q: no warnings; -v: say more on standard error (every command takes them too).\n\n"
	      "commands:\n", f);
	for (size_t i = 0; i < cli_ncommands; i++) {
		const char *s = cli_commands[i].summary;
		size_t l = strlen(s);
		/* "Show a stored case." -> "show a stored case" */
		fprintf(f, "  %-10s%c%.*s\n", cli_commands[i].name, s[0] >= 'A' && s[0] <= 'Z' ? s[0] - 'A' + 'a' : s[0],
			(int)(l > 1 && s[l - 1] == '.' ? l - 2 : l - 1), s + 1);
	}
	fputs("\nsee 'pmkb COMMAND --help', 'pmkb help COMMAND' and man pmkb (docs/pmkb.1)\n", f);
}

int main(int argc, char **argv)
{
	setlocale(LC_CTYPE, "C.UTF-8"); /* UTF-8 regex and iconv; the rest stays "C" */
	cli_safe_output();
	cli_ctx ctx = {0};
	const char **dbs = xcalloc((size_t)argc + 1, sizeof(char *));
	ctx.dbs = dbs;

	/* pmkb's options (cli_top, cli/commands.c) and the global ones; '+':
	 * stop at the first non-option, the subcommand */
	struct option opts[16];
	char optstring[32];
	if (cli_opt_build(&cli_top, opts, PMKB_ARRAY_LEN(opts), optstring, sizeof optstring) < 0)
		return PMKB_EX_SOFTWARE;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, optstring, opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dbs[ctx.ndbs++] = optarg;
			break;
		case 'h':
			usage(stdout);
			free(dbs);
			return PMKB_EX_OK;
		case 'q':
			cli_set_verbosity(-1);
			break;
		case 'v':
			cli_set_verbosity(cli_verbosity < 0 ? 1 : cli_verbosity + 1);
			break;
		case 'V':
			printf("pmkb %s\n", PMKB_VERSION);
			free(dbs);
			return PMKB_EX_OK;
		default:
			if (c == ':')
				pmkb_error("option '%s' needs an argument", argv[optind - 1]);
			else
				pmkb_error("unknown option '%s'", optopt ? (char[]){'-', (char)optopt, 0} : argv[optind - 1]);
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
	if (strcmp(name, "completion") == 0) {
		/* hidden: the shell completion script, from the option tables */
		free(dbs);
		if (argc - optind != 2 || cli_completion(argv[optind + 1], stdout) < 0) {
			pmkb_error("usage: pmkb completion bash|zsh");
			return PMKB_EX_USAGE;
		}
		return PMKB_EX_OK;
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
