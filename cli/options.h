/* options.h - one table per command drives both its getopt_long parsing
 * and its --help text (and the shell completion, pmkb completion bash|zsh).
 * The tables themselves are in cli/commands.c. */
#ifndef PMKB_OPTIONS_H
#define PMKB_OPTIONS_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

/* cli_opt.flags */
#define CLI_OPT_SHORT 1u   /* -X works too, X being val */
#define CLI_OPT_REPEAT 2u  /* may be given more than once (for completion) */

typedef struct cli_opt {
	int val;          /* what cli_getopt returns for it (the short letter, or a code) */
	const char *name; /* the long option, without "--"; NULL for -X only */
	const char *arg;  /* the argument's name in --help (it then takes one), or NULL */
	unsigned flags;
	const char *help; /* for --help; "\n" starts a continuation line */
} cli_opt;

typedef struct cli_command {
	const char *name;    /* "match" */
	const char *usage;   /* the line after "usage: " */
	const char *summary; /* one line, for pmkb --help */
	const char *text;    /* what --help says after the summary, or NULL */
	const cli_opt *opts; /* ends with {0}; NULL: none but the global ones */
	const char *exits;   /* the exit codes, "0 done, 64 usage, ..." */
	const char *page;    /* its manual page, "pmkb-match(1)" */
	const char *subcmds; /* words that may follow (completion), "list check test", or NULL */
	const char *args;    /* what the operands are, for completion: "file", "dir", or NULL */
	int in_order;        /* stop at the first operand (getopt's '+') */
} cli_command;

/* The options every command takes besides its own (after the command name
 * or before it): -h/--help, -q/--quiet, -v/--verbose. */
extern const cli_opt cli_global_opts[];

/* pmkb itself: its options before the command name (--db, --version). */
extern const cli_command cli_top;

/* Every command, in the order pmkb --help lists them (cli/commands.c). */
extern const cli_command cli_commands[];
extern const size_t cli_ncommands;
const cli_command *cli_command_find(const char *name);

/* The getopt_long arguments of cmd: its options, then the global ones.
 * Fills longs (up to nlongs entries, the last {0}) and optstring (up to
 * n bytes). Returns 0, or -1 when they do not fit. */
int cli_opt_build(const cli_command *cmd, struct option *longs, size_t nlongs, char *optstring,
		  size_t n);

/* What cli_getopt returns when the command must stop; cli_getopt_exit
 * then holds the exit code (0 after --help, 64 after a usage error, which
 * is reported). */
#define CLI_OPT_STOP (-2)
extern int cli_getopt_exit;

/* getopt_long over cmd's table: returns the val of the next option of the
 * command (optarg set), -1 after the last one (optind at the first
 * operand), or CLI_OPT_STOP: --help was printed, or an unknown option, a
 * missing argument was reported with the usage. -q and -v set
 * cli_verbosity and are not returned. */
int cli_getopt(const cli_command *cmd, int argc, char **argv);

/* -q: -1, none: 0, -v: 1 (each -v adds one). pmkb_warning and pmkb_hint
 * print nothing below 0. */
extern int cli_verbosity;
void cli_set_verbosity(int v);

/* The --help text of cmd. */
void cli_help(const cli_command *cmd, FILE *f);

/* pmkb completion bash|zsh: the script, from the tables. Returns 0, or
 * -1 for another shell. */
int cli_completion(const char *shell, FILE *f);

#endif
