/* cli.h - what the subcommands share: the global options and opening the
 * knowledge base with the documented messages and exit codes. */
#ifndef PMKB_CLI_H
#define PMKB_CLI_H

#include <stddef.h>
#include "../kb/kb.h"
#include "../util/util.h"

#define PMKB_VERSION "0.1.0"

struct pm_config;

typedef struct cli_ctx {
	const char **dbs;  /* --db DIR, in order given; empty: the default dir */
	size_t ndbs;
	struct pm_config *config; /* loaded by cli_config, freed by main */
} cli_ctx;

/* Every subcommand: argv[0] is the subcommand name; returns an exit code. */
typedef int (*cli_fn)(cli_ctx *ctx, int argc, char **argv);

int cmd_import(cli_ctx *ctx, int argc, char **argv);
int cmd_sig(cli_ctx *ctx, int argc, char **argv);
int cmd_match(cli_ctx *ctx, int argc, char **argv);
int cmd_search(cli_ctx *ctx, int argc, char **argv);
int cmd_show(cli_ctx *ctx, int argc, char **argv);
int cmd_rules(cli_ctx *ctx, int argc, char **argv);
int cmd_eval(cli_ctx *ctx, int argc, char **argv);
int cmd_reindex(cli_ctx *ctx, int argc, char **argv);
int cmd_stats(cli_ctx *ctx, int argc, char **argv);
int cmd_config(cli_ctx *ctx, int argc, char **argv);
int cmd_link(cli_ctx *ctx, int argc, char **argv);
int cmd_unlink(cli_ctx *ctx, int argc, char **argv);
int cmd_links(cli_ctx *ctx, int argc, char **argv);
int cmd_list(cli_ctx *ctx, int argc, char **argv);
int cmd_count(cli_ctx *ctx, int argc, char **argv);
int cmd_rm(cli_ctx *ctx, int argc, char **argv);
int cmd_clusters(cli_ctx *ctx, int argc, char **argv);

/* The directory of the (first) knowledge base: --db, else kb_default_dir().
 * Caller frees. */
char *cli_db_dir(const cli_ctx *ctx);

/* Open the knowledge base, printing "pmkb: cannot open ...: reason" (and a
 * hint for a locked database) on failure. Returns PMKB_EX_OK with *db set,
 * or the exit code to return. */
int cli_open_db(const cli_ctx *ctx, kb_mode mode, kb_db **db);

/* Print "pmkb: <what>: <status reason>" for a failed kb call and return the
 * exit code for st. */
int cli_kb_fail(kb_db *db, kb_status st, const char *what);

/* What an import did, summed over its sources; printed by cmd-import. */
typedef struct import_report {
	long files;        /* sources read */
	long cases;        /* cases stored (new or updated) */
	long messages;
	long analyses;
	long notes;
	long redactions;   /* personal data items replaced */
	long attachments;  /* attachments kept as records only */
	long errors;       /* sources or messages refused (each reported on stderr) */
	long warnings;
} import_report;

/* cmd-import.c: extract the analyses of c (analyses_extract), store it
 * with kb_put_case and add to rep. Takes ownership of c. Returns
 * PMKB_EX_OK or the exit code of the failure (already reported). */
int cli_store_case(kb_db *db, pm_case *c, import_report *rep);

/* import-mail.c: import one mail source, an .eml file, an mbox file, a
 * maildir folder or an imap:// / imaps:// URL (format "eml", "mbox",
 * "maildir", "imap" or NULL to detect), threading messages into cases and
 * storing them through cli_store_case. search is the IMAP SEARCH criteria
 * or NULL. Errors are reported on stderr naming the message; returns
 * PMKB_EX_OK or the exit code of the worst failure. */
int import_mail(kb_db *db, const char *source, const char *format, const char *search,
		import_report *rep);

/* Does path look like mail: *.eml, an mbox ("From " first line) or a
 * maildir (cur/ and new/)? Returns the format name or NULL. */
const char *import_mail_detect(const char *path);

/* The configuration in force (util/config.h): the user's file, then the
 * knowledge base's DIR/config; loaded once, owned by ctx. Returns
 * PMKB_EX_OK with *out set, or PMKB_EX_CONFIG after printing the reason. */
int cli_config(cli_ctx *ctx, const struct pm_config **out);

/* import-case.c: file *c under case id (pmkb import --case): it becomes
 * that case, or, when the knowledge base holds one, is merged into it (its
 * messages, notes, analyses and attachments added; those already there
 * kept once). customer (may be NULL) replaces the case's. *c is replaced
 * by the case to store (caller frees it). Returns PMKB_EX_OK or the exit
 * code after reporting. */
int import_file_under(kb_db *db, pm_case **c, const char *id, const char *customer);

struct ruleset;
/* rules-force.c: the rules in force. path (--rules FILE) alone when given;
 * else the shipped rules, then DIR/rules.conf when it exists, then the file
 * $PMKB_RULES names, each adding to them (a rule of an id already there
 * replaces it). A file refused is refused as a whole, reported. Returns 0
 * with *out set (rules_free), or the exit code. */
int cli_rules_in_force(const cli_ctx *ctx, const char *path, struct ruleset **out);
/* The same rules as their files' text, each headed by a comment naming it
 * (pmkb rules list --syntax). Returns 0 or the exit code after reporting. */
int cli_rules_text(const cli_ctx *ctx, const char *path, sbuf *out);

/* rules-diff.c: replay every stored analysis under old and new (match,
 * its own case left out) and print those whose rule, verdict or top case
 * changes (pmkb rules diff). Returns an exit code. */
int cli_rules_diff(const cli_ctx *ctx, const struct ruleset *old, const struct ruleset *new_, int json);

/* snippet.c: a line of case_id's text around the first word or phrase
 * of query it holds (else its title), or NULL. Caller frees. */
char *cli_search_snippet(kb_db *db, const char *case_id, const char *query);

/* Usage error: print "pmkb CMD: msg" and "usage: ..." and return 64. */
int cli_usage(const char *usage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
