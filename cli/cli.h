/* cli.h - what the subcommands share: the global options and opening the
 * knowledge base with the documented messages and exit codes. */
#ifndef PMKB_CLI_H
#define PMKB_CLI_H

#include <stddef.h>
#include "../kb/kb.h"
#include "../util/util.h"

#define PMKB_VERSION "0.1.0"

typedef struct cli_ctx {
	const char **dbs;  /* --db DIR, in order given; empty: the default dir */
	size_t ndbs;
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
int cmd_check(cli_ctx *ctx, int argc, char **argv);

/* The directory of the (first) knowledge base: --db, else kb_default_dir()
 * (NULL when there is none: cli_no_db_dir).
 * Caller frees. */
char *cli_db_dir(const cli_ctx *ctx);

/* Open the knowledge base, printing "pmkb: cannot open ...: reason" (and a
 * hint for a locked database) on failure. Returns PMKB_EX_OK with *db set,
 * or the exit code to return. */
int cli_open_db(const cli_ctx *ctx, kb_mode mode, kb_db **db);

/* Print "pmkb: <what>: <status reason>" for a failed kb call and return the
 * exit code for st. */
int cli_kb_fail(kb_db *db, kb_status st, const char *what);
/* Route stdout and stderr through filters that show control characters
 * as ^X (ESC as ^[): no stored text (a body, a file name, an id) can send
 * an escape sequence to the terminal. JSON output is unchanged (its
 * strings escape control characters already). Called first in main. */
void cli_safe_output(void);

/* cli_db_dir gave NULL: say so (exit 78). */
int cli_no_db_dir(void);

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

/* import-place.c: where a case read from a file goes (docs/pmkb-import.1,
 * "Case ids"). place_safe_id: the id without control characters, blanks,
 * quotes or invalid UTF-8, and not personal data (a phone number as a
 * file name); caller frees. place_case: make c's id safe and decide what
 * happens when another source holds it; *cp may be replaced by the stored
 * case with what c added (c freed). Returns PLACE_STORE (store *cp),
 * PLACE_UNCHANGED (the knowledge base holds it all; *cp still owned by the
 * caller) or minus the exit code of a failure (reported). place_stored
 * records a case the import stored (written) or found whole; place_totals
 * sums them for the summary and resets. */
enum { PLACE_UNCHANGED = 0, PLACE_STORE = 1 };
char *place_safe_id(const char *id);
int place_case(kb_db *db, pm_case **cp, import_report *rep);
void place_stored(const pm_case *c, int existed, int written);
typedef struct place_summary {
	long cases, messages;         /* the touched cases and the messages they hold */
	long created, updated, unchanged;
} place_summary;
void place_totals(place_summary *out);

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

/* Usage error: print "pmkb CMD: msg" and "usage: ..." and return 64. */
int cli_usage(const char *usage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
