/* cli.h - what the subcommands share: the global options and opening the
 * knowledge base with the documented messages and exit codes. */
#ifndef PMKB_CLI_H
#define PMKB_CLI_H

#include <stddef.h>
#include "../kb/kb.h"
#include "../import/input.h"
#include "../util/util.h"
#include "../util/json.h"
#include "options.h"
#include "exit.h"
#include "import-progress.h"

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
int cmd_outcome(cli_ctx *ctx, int argc, char **argv);
int cmd_suggest(cli_ctx *ctx, int argc, char **argv);
int cmd_queue(cli_ctx *ctx, int argc, char **argv);
int cmd_watch(cli_ctx *ctx, int argc, char **argv);
int cmd_serve(cli_ctx *ctx, int argc, char **argv);
int cmd_check(cli_ctx *ctx, int argc, char **argv);
int cmd_link(cli_ctx *ctx, int argc, char **argv);
int cmd_unlink(cli_ctx *ctx, int argc, char **argv);
int cmd_links(cli_ctx *ctx, int argc, char **argv);
int cmd_list(cli_ctx *ctx, int argc, char **argv);
int cmd_count(cli_ctx *ctx, int argc, char **argv);
int cmd_rm(cli_ctx *ctx, int argc, char **argv);
int cmd_clusters(cli_ctx *ctx, int argc, char **argv);

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

/* import-case.c: redact c, extract its analyses (analyses_extract), file
 * it under --case/--customer (import_case_apply), store it with
 * kb_put_case and add to rep. Takes ownership of c. Returns
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
 * or NULL; pg counts the messages read (import-progress.h). Errors are reported on stderr naming the message; returns
 * PMKB_EX_OK or the exit code of the worst failure. */
int import_mail(kb_db *db, const char *source, const char *format, const char *search,
		import_report *rep, import_progress *pg);

/* Does path look like mail: *.eml, an mbox ("From " first line) or a
 * maildir (cur/ and new/)? Returns the format name or NULL. */
const char *import_mail_detect(const char *path);

/* The configuration in force (util/config.h): the user's file, then the
 * knowledge base's DIR/config; loaded once, owned by ctx. Returns
 * PMKB_EX_OK with *out set, or PMKB_EX_CONFIG after printing the reason. */
int cli_config(cli_ctx *ctx, const struct pm_config **out);

/* cmd-match.c: read what to match, the analyses of a WinDbg text (or a
 * mail pasted as text) or one .dmp, from path or "-". On success *c holds
 * them (caller frees) and *text the input as UTF-8 text (NULL for a dump).
 * Returns 0 or the exit code after reporting. */
int cli_read_query(const char *path, pm_case **c, char **text);

struct ruleset;
struct suggest_result;
#include "../matcher/privacy.h"
/* cmd-suggest.c: what must not reach a customer (matcher/privacy.h): the
 * knowledge base's senders and customers, privacy.names, user.name and
 * the hosts of privacy.allow-hosts. Load after cli_config. */
typedef struct cli_privacy {
	char **names, **allow;
	size_t nnames, nallow;
	privacy_opts opts; /* points into the above */
} cli_privacy;
kb_status cli_privacy_load(cli_ctx *ctx, kb_db *db, cli_privacy *p);
/* The configured part only (privacy.names, user.name, privacy.allow-hosts). */
kb_status cli_privacy_config(cli_ctx *ctx, cli_privacy *p);
void cli_privacy_free(cli_privacy *p);

/* cmd-suggest.c: match the analyses of q (text: the input as text, or
 * NULL), take the one pmkb is surest of, and run the suggest gate on it
 * (matcher/suggest.h) with the configuration in force (suggest.threshold,
 * suggest.lang, privacy.names, privacy.allow-hosts, user.name), the
 * knowledge base's templates and people. lang "zh", "en" or NULL (the
 * text's). Returns 0 with *out filled (caller clears), or the exit code
 * after reporting. */
int cli_suggest(cli_ctx *ctx, kb_db *db, const struct ruleset *rs, const pm_case *q,
		const char *text, const char *lang, struct suggest_result *out);

/* cmd-queue.c (pmkb-import): send queued reply id over smtp_url, after
 * the final privacy check, recording the intent first (exactly once, see
 * the file's header); resend also sends an "unconfirmed" one. Returns the
 * exit code after reporting. */
int cli_reply_send(cli_ctx *ctx, kb_db *db, long id, const char *smtp_url, int resend);
/* Replies left "sending" by a process that died: "unconfirmed". */
int cli_reply_reconcile(kb_db *db);
/* import-case.c: the --case id and --customer name of this run (either may
 * be NULL), set once by cmd-import before any source is read;
 * import_case_id gives the --case id or NULL. import_case_apply files *c
 * as they say: under the --case id (merged into the stored case of that
 * id: its messages, notes, analyses and attachments added, those already
 * there kept once), or with the --customer name alone; *c may be
 * replaced. Returns PMKB_EX_OK or the exit code after reporting. */
void import_case_target(const char *id, const char *customer);
const char *import_case_id(void);
int import_case_apply(kb_db *db, pm_case **c);

struct ruleset;
/* rules-force.c: the rules in force. path (--rules FILE) alone when given;
 * else the shipped rules, then DIR/rules.conf when it exists, then the file
 * $PMKB_RULES names, each adding to them (a rule of an id already there
 * replaces it). A file refused is refused as a whole, reported. Returns 0
 * with *out set (rules_free), or the exit code. */
int cli_rules_in_force(const cli_ctx *ctx, const char *path, struct ruleset **out);
/* The shipped rules (path NULL) or those of path alone, all or nothing;
 * cli_rules_errors prints a rules error report, one "pmkb: FILE:LINE:
 * reason" line each. Return 0, or the exit code after reporting. */
int cli_load_rules(const char *path, struct ruleset **out);
void cli_rules_errors(const char *report);
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

/* A customer's raw mail (RFC 5322, parts in base64, quoted-printable,
 * GB18030...) as a query, for pmkb suggest: in pmkb-import
 * (cli/mail-query.c) decoded with import/mail.c from buf (len bytes), or
 * from path when buf is NULL, *q and *text as cli_read_query gives them;
 * in pmkb (cli/exec-import.c), which has no mail reader, pmkb-import runs
 * the command (argc, argv) instead, with buf given back as standard input
 * when path is "-", and this returns only when it cannot. Returns 0 or the
 * exit code after reporting. */
int cli_mail_query(cli_ctx *ctx, int argc, char **argv, const char *path, const char *buf,
		   size_t len, pm_case **q, char **text);
struct mail_msg;
/* cli/mail-query.c: the text and dumps of one decoded mail as a query. */
pm_case *cli_mail_query_of(const struct mail_msg *m, char **text);
/* cmd-suggest.c: make len bytes of buf standard input again (fd 0, a
 * memory file), after they were read from it. Returns 0 or -1 (errno). */
int cli_stdin_put_back(const char *buf, size_t len);

/* Usage error: print "pmkb CMD: msg" and "usage: ..." and return 64. */
int cli_usage(const char *usage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* exec-helper.c: replace pmkb by its helper program name (pmkb-import,
 * pmkb-serve) with the same --db options and argv; returns an exit code
 * only when it cannot (reported). */
int cli_exec_helper(cli_ctx *ctx, const char *name, int argc, char **argv);

/* json-out.c: the --json documents that the web API (serve/) returns too.
 * Search hits (docs/search-json.md) and one case (pmkb-show(1)) with the
 * outcomes of its analyses (kb/customer.h), appended to sb without a
 * newline. */
struct kb_outcome;
struct match_result;
void cli_search_json(sbuf *sb, const char *query, size_t offset, size_t limit, const kb_hits *h,
		     const char *const *snippets); /* snippets[i] of hit i (cli_search_snippet), or NULL */
void cli_case_json(sbuf *sb, const pm_case *c, const pm_signature *sigs, size_t nsigs,
		   const struct kb_outcome *outc, size_t noutc);
/* "outcomes": the outcome of each analysis, as a member of w's object
 * (pmkb show --json, pmkb outcome --json, GET /api/cases/ID) */
void cli_outcomes_json(jw *w, const struct kb_outcome *o, size_t n);

/* cmd-import.c: import one text (thread export, plain text, WinDbg
 * output) or .dmp held in memory, as `pmkb import` does a file; name is
 * the file name it came as (a dump's case id is its stem). Takes buf.
 * The caller holds db open for writing and commits. Returns PMKB_EX_OK
 * with rep counted, or the exit code with the reason in err. */
int cli_import_mem(kb_db *db, const char *name, char *buf, size_t len, const char *format,
		   import_report *rep, char *err, size_t errsz);

struct match_opts;

/* match-doc.c: what pmkb match prints and POST /api/match answers.
 * cli_match_all matches every analysis of q (once, on its text, when it
 * has none) into *res (cli_match_free frees it); a kb failure is returned
 * as is. cli_match_doc appends the document for them: JSON format 2 of
 * docs/match-json.md (the best analysis on top, every one in "results",
 * each with the outcome record of its cases) or the text an engineer
 * reads. cli_match_put appends one result alone. cli_match_none_json is
 * the JSON for an input without an analysis. */
kb_status cli_match_all(kb_db *db, const pm_case *q, const char *text, const struct match_opts *o,
			struct match_result **res, size_t *nres);
void cli_match_free(struct match_result *res, size_t n);
int cli_match_any_known(const struct match_result *res, size_t n);
kb_status cli_match_doc(kb_db *db, const pm_case *q, const struct match_result *res, size_t nres,
			int json, sbuf *out);
kb_status cli_match_put(kb_db *db, const struct match_result *r, int json, sbuf *out);
void cli_match_none_json(sbuf *out);

#endif
