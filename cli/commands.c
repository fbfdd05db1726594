/* commands.c - every pmkb command's option table and help (cli/options.h):
 * what getopt accepts, what --help prints and what the shell completion
 * offers all come from here. The exit codes are those of the commands'
 * manual pages (docs/pmkb-*.1); tests/cli/T180 checks that they agree.
 * Linked into pmkb and its helpers (pmkb-import, pmkb-serve) alike, so
 * pmkb --help and the completion know the commands the helpers run. */
#include "options.h"
#include "../util/util.h"

static const cli_opt import_opts[] = {
	{'f', "format", "FMT", CLI_OPT_SHORT, "auto (default), thread, text, windbg, dmp, eml, mbox, maildir"},
	{'s', "search", "CRIT", CLI_OPT_SHORT, "IMAP SEARCH criteria for imap:// sources"},
	{'C', "case", "ID", 0, "file what is read under case ID (added to it)"},
	{'U', "customer", "NAME", 0, "the customer of the cases imported"},
	{'P', "progress", NULL, 0, "show the progress line (files or messages, rate, ETA) even when "
				   "standard error is no terminal; -q hides it"},
	{0},
};

static const cli_opt sig_opts[] = {
	{'j', "json", NULL, 0, "{\"analyses\":[...]}, the schema of docs/sig-json.md"},
	{'w', "why", NULL, 0, "explain each decision (skipped frames, module names, folding)"},
	{0},
};

static const cli_opt match_opts[] = {
	{'j', "json", NULL, 0, "JSON output (docs/match-json.md)"},
	{'n', NULL, "N", CLI_OPT_SHORT, "show at most N cases (default 5, at most 1000)"},
	{'r', "rules", "FILE", 0, "the rules of FILE instead of those in force\n(/dev/null: similarity alone)"},
	{'t', "text", NULL, 0, "match prose too (the text alone when there is no analysis)"},
	{0},
};

static const cli_opt search_opts[] = {
	{'j', "json", NULL, CLI_OPT_SHORT, "JSON output (docs/search-json.md)"},
	{'n', "limit", "N", CLI_OPT_SHORT, "at most N results (default 20)"},
	{'o', "offset", "K", 0, "skip the first K results"},
	{'s', "sort", "ORDER", 0, "relevance (default), date (newest first) or oldest"},
	{'c', "count", NULL, 0, "print only how many cases match"},
	{'S', "snippets", NULL, 0, "under each case, the text around the words found\n(--json always has them)"},
	{0},
};

static const cli_opt show_opts[] = {
	{'j', "json", NULL, CLI_OPT_SHORT, "the whole case as JSON (see pmkb-show(1))"},
	{0},
};

static const cli_opt rules_opts[] = {
	{'j', "json", NULL, 0, "JSON output (list, test, diff)"},
	{'r', "rules", "FILE", 0, "the rules of FILE instead of those in force (list, test)"},
	{'s', "syntax", NULL, 0, "list: the rules in force as rules-file text"},
	{'e', "eval", "LABELS.tsv", 0, "diff: then the eval figures under OLD and NEW"},
	{'D', "data", "DIR", 0, "diff --eval: where the labels' files are"},
	{0},
};

static const cli_opt eval_opts[] = {
	{'j', "json", NULL, 0, "the figures as JSON"},
	{'d', "data", "DIR", 0, "where the labels' files are (default: next to LABELS.tsv)"},
	{'r', "rules", "FILE", 0, "the rules of FILE instead of those in force"},
	{'x', "exclude-case", NULL, 0, "leave the query's own case out of its candidates"},
	{'s', "split", "fit|test", 0, "one side of the fixed split of the clusters"},
	{'p', "param", "NAME=V,...", 0, "score parameters instead of the defaults"},
	{0},
};

static const cli_opt stats_opts[] = {
	{'j', "json", NULL, CLI_OPT_SHORT, "one JSON object (see pmkb-stats(1))"},
	{0},
};

static const cli_opt config_opts[] = {
	{'u', "user", NULL, CLI_OPT_SHORT, "set/unset in the user's file instead of DIR/config"},
	{0},
};

static const cli_opt outcome_opts[] = {
	{'j', "json", NULL, 0, "print as JSON (see pmkb-outcome(1))"},
	{'n', "note", "TEXT", 0, "why (kept with the outcome)"},
	{0},
};

static const cli_opt suggest_opts[] = {
	{'l', "lang", "zh|en", 0, "the reply's language (default: the text's)"},
	{'j', "json", NULL, 0, "draft and gate as JSON (docs/suggest-json.md)"},
	{'r', "rules", "FILE", 0, "the rules of FILE instead of those in force"},
	{0},
};

static const cli_opt watch_opts[] = {
	{'o', "once", NULL, 0, "one pass, then exit"},
	{'s', "smtp", "URL", 0, "send approved replies over this SMTP server (smtp.url)"},
	{'i', "interval", "SECONDS", 0, "between passes (default 60)"},
	{'r', "rules", "FILE", 0, "the rules of FILE instead of those in force"},
	{0},
};

static const cli_opt queue_opts[] = {
	{'j', "json", NULL, 0, "JSON output (list, show)"},
	{'s', "state", "STATE", 0, "list: only the replies in STATE"},
	{'m', "smtp", "URL", 0, "approve: the SMTP server (smtp.url)"},
	{'r', "resend", NULL, 0, "approve: send a sent or unconfirmed reply again"},
	{'n', "note", "TEXT", 0, "reject: why"},
	{0},
};

static const cli_opt serve_opts[] = {
	{'l', "listen", "ADDR:PORT", CLI_OPT_SHORT,
	 "where to listen (serve.listen; default 127.0.0.1:8080;\nport 0 picks a free one, printed on start)"},
	{'t', "threads", "N", CLI_OPT_SHORT, "worker threads (serve.threads; default 4)"},
	{'r', "rules", "FILE", 0, "the rules of FILE instead of those in force"},
	{0},
};

static const cli_opt check_opts[] = {
	{'f', "full", NULL, CLI_OPT_SHORT, "integrity_check and every index document read"},
	{0},
};

static const cli_opt link_opts[] = {
	{'s', "same", NULL, 0, "the two analyses have the same root cause"},
	{'d', "different", NULL, 0, "they have different root causes"},
	{'n', "note", "TEXT", 0, "why (kept with the link)"},
	{0},
};

static const cli_opt json_opts[] = {
	{'j', "json", NULL, 0, "JSON output"},
	{0},
};

static const cli_opt list_opts[] = {
	{'j', "json", NULL, 0, "one JSON object (see pmkb-list(1))"},
	{'s', "sort", "date|case", 0, "newest first (default) or by case id"},
	{'n', "limit", "N", CLI_OPT_SHORT, "at most N cases (0, the default: all)"},
	{'o', "offset", "N", 0, "skip the first N"},
	{0},
};

static const cli_opt clusters_opts[] = {
	{'j', "json", NULL, 0, "JSON output (docs/clusters-json.md)"},
	{'a', "all", NULL, 0, "list the analyses alone in their cluster too"},
	{'r', "rules", "FILE", 0, "the rules of FILE instead of those in force"},
	{'t', "threshold", "S", 0, "the similarity that joins two analyses, in (0, 1]"},
	{0},
};

/* pmkb's own options, before the command name (cli/main.c) */
static const cli_opt top_opts[] = {
	{'d', "db", "DIR", CLI_OPT_REPEAT, "the knowledge base directory (several: searched as one)"},
	{'V', "version", NULL, 0, "print the version"},
	{0},
};

const cli_command cli_top = {
	"pmkb", "pmkb [--db DIR]... [-q|-v] [--version] [--help] COMMAND [ARGS]",
	"The postmortem knowledge base and crash-signature matcher.", NULL, top_opts,
	"0 success, 1 no match, 64 usage, 65 bad input data, 66 input missing, 69 server\n"
	"unreachable, 70 internal error, 75 database locked, 78 configuration, 130 interrupted",
	"pmkb(1)", NULL, NULL, 1,
};

const cli_command cli_commands[] = {
	{"import", "pmkb import [--format FMT] [--search CRITERIA] [--case ID] [--customer NAME] PATH...",
	 "Import case threads, mail, WinDbg text or .dmp files.",
	 "Case threads (the export format or any plain text, UTF-8 or GB18030), WinDbg\n"
	 "output, .eml/mbox/maildir mail and imap:// mailboxes. Directories are read\n"
	 "recursively; '-' is standard input. Re-importing a case replaces it.\n",
	 import_opts,
	 "0 imported (warnings counted on stderr), 64 usage, 65 bad data, 66 input\n"
	 "missing, 69 mail server unreachable, 75 knowledge base locked by another\n"
	 "writer, 78 schema version mismatch or IMAP login refused, 130 interrupted",
	 "pmkb-import(1)", NULL, "file", 0},
	{"sig", "pmkb sig [--json] [--why] FILE|-",
	 "Print the crash signature(s) of a dump analysis or .dmp.",
	 "Every dump analysis in FILE (WinDbg output, a mail, a case thread or a .dmp;\n"
	 "'-' reads standard input).\n",
	 sig_opts,
	 "0 analyses printed, 1 none found, 64 usage, 65 binary or oversized input,\n"
	 "66 missing input",
	 "pmkb-sig(1)", NULL, "file", 0},
	{"match", "pmkb match [--json] [-n N] [--rules FILE] [--text] FILE|-",
	 "Rank known cases against a new dump, with a verdict.",
	 "The verdict: known (a rule names the cause), similar or new; with the cases\n"
	 "ranked, the reason and the next steps of the best one.\n",
	 match_opts,
	 "0 verdict known or similar, 1 verdict new (or nothing to match), 64 usage,\n"
	 "65 bad input or a rules file refused, 66 input or knowledge base missing,\n"
	 "75 knowledge base locked",
	 "pmkb-match(1)", NULL, "file", 0},
	{"search", "pmkb search [--json] [-n N] [--offset K] [--sort relevance|date|oldest] [--count] [--snippets] QUERY...",
	 "Search the knowledge base (full text and fields).",
	 "Words (Chinese too) must all match; fields:\n"
	 "  case:ID customer:NAME bugcheck:0xd1 module:vwifimf\n"
	 "  frame:nwifi!Dot11SendCompletion pooltag:Filt process:explorer.exe\n"
	 "AND, OR, NOT, parentheses and \"phrases\" work as usual. date:FROM..TO keeps\n"
	 "the cases whose last message is in the range (YYYY, YYYY-MM or YYYY-MM-DD\n"
	 "bounds, either may be left out).\n",
	 search_opts,
	 "0 found, 1 nothing matched, 64 usage or bad query, 66 no knowledge base,\n"
	 "69 a remote index unreachable, 70 index missing or damaged, 78 schema version\n"
	 "mismatch",
	 "pmkb-search(1)", NULL, NULL, 0},
	{"show", "pmkb show [--json] CASE", "Show a stored case.",
	 "Header, messages, conclusions, next steps and dump analyses (bugcheck, top\n"
	 "frames), then the outcomes.\n",
	 show_opts, "0 shown, 1 no such case, 64 usage, 66 no knowledge base, 78 schema version mismatch",
	 "pmkb-show(1)", NULL, NULL, 0},
	{"rules",
	 "pmkb rules list [--json|--syntax] [--rules FILE] | check FILE... | test [--json] [--rules FILE]"
	 " | diff [--json] [--eval LABELS.tsv [--data DIR]] OLD NEW",
	 "List, check or test the known-signature rules.",
	 "  list    the rules in force (shipped, DIR/rules.conf, $PMKB_RULES)\n"
	 "  check   parse each FILE\n"
	 "  test    replay the stored analyses against the rules\n"
	 "  diff    what changes from the rules of OLD to those of NEW\n",
	 rules_opts,
	 "0 done, 64 usage, 65 a rules file refused, 66 a rules file unreadable or\n"
	 "(test, diff) no knowledge base, 78 a knowledge base of another schema version",
	 "pmkb-rules(5)", "list check test diff", "file", 0},
	{"eval",
	 "pmkb eval [--json] [-v] [--data DIR] [--rules FILE] [--exclude-case] [--split fit|test] [--param NAME=V,...] LABELS.tsv...",
	 "Measure ranking quality on a labelled set.",
	 "Each labelled analysis is matched against all the others (leave one out):\n"
	 "RR@1, MRR, AUC, calibration and how well each field was read. -v: each query.\n",
	 eval_opts, "0 done (whatever the figures), 64 usage, 65 malformed labels, 66 a labels or data file missing",
	 "pmkb-eval(1)", NULL, "file", 0},
	{"reindex", "pmkb reindex", "Rebuild the search index from SQLite.", NULL, NULL,
	 "0 done, 64 usage, 70 kb.sqlite damaged, 75 another pmkb is writing, 78 schema\n"
	 "version mismatch",
	 "pmkb-reindex(1)", NULL, NULL, 0},
	{"stats", "pmkb stats [--json]", "Count what the knowledge base holds.",
	 "Cases, messages, analyses, notes, frames, distinct modules and pool tags, and\n"
	 "the documents in the search index.\n",
	 stats_opts, "0, 64 usage, 66 no knowledge base, 78 schema version mismatch", "pmkb-stats(1)", NULL, NULL, 0},
	{"config", "pmkb config [--user] get KEY | set KEY VALUE | unset KEY | list",
	 "Read or change the configuration.",
	 "'key = value' lines in the knowledge base's DIR/config, over the user's\n"
	 "$XDG_CONFIG_HOME/pmkb/config (~/.config/pmkb/config). DIR/config wins where\n"
	 "both set a key (docs/config.md).\n"
	 "  get KEY          print the value in force (exit 1 when unset)\n"
	 "  set KEY VALUE    write KEY into DIR/config (mode 0600)\n"
	 "  unset KEY        remove KEY from DIR/config\n"
	 "  list             every key in force, 'key = value'\n",
	 config_opts,
	 "0 done, 1 get of an unset key, 64 usage, 78 unreadable or malformed\n"
	 "configuration file",
	 "pmkb-config(1)", "get set unset list", NULL, 1},
	{"outcome", "pmkb outcome [--json] [--note TEXT] CASE[#N] [resolved|not-resolved|unknown]",
	 "Show or set whether a case's remediation worked.",
	 "Read from the closing summary at import, or set here: CASE#N is the case's\n"
	 "analysis N (as 'pmkb show' numbers them), CASE alone all of them.\n",
	 outcome_opts,
	 "0 shown or set, 1 no such case or analysis, 64 usage, 66 no knowledge base,\n"
	 "75 another pmkb is writing",
	 "pmkb-outcome(1)", NULL, NULL, 0},
	{"suggest", "pmkb suggest [--lang zh|en] [--json] [--rules FILE] FILE|-",
	 "Draft the customer's reply, or route it to an engineer.",
	 "From the known cause and what resolved it before, for a crash report (WinDbg\n"
	 "text, a raw mail or a mail pasted as text, or a .dmp).\n",
	 suggest_opts,
	 "0 drafted, 1 routed to an engineer, 64 usage, 65 unreadable input data,\n"
	 "66 input or knowledge base missing, 78 a bad setting or template",
	 "pmkb-suggest(1)", NULL, "file", 0},
	{"watch", "pmkb watch [--once] [--smtp URL] [--interval SECONDS] [--rules FILE] imap[s]://USER@HOST/MAILBOX",
	 "Answer the support mailbox: new mail in, drafts to the queue.",
	 "Read new mail, match the WinDbg text and .dmp files in it, and file threaded\n"
	 "draft replies in the queue (pmkb queue), or route the mail to an engineer.\n",
	 watch_opts,
	 "0 done, 64 usage, 69 a server unreachable, 75 another watch runs (or another pmkb\n"
	 "writes), 78 login refused or a bad setting",
	 "pmkb-watch(1)", NULL, NULL, 0},
	{"queue",
	 "pmkb queue list [--json] [--state STATE] | show [--json] ID | approve [--smtp URL] [--resend] ID"
	 " | reject [--note TEXT] ID | edit ID",
	 "List, show, approve (send), reject or edit drafted replies.",
	 "The replies pmkb watch drafted: approve sends one over SMTP, edit opens the\n"
	 "draft in $EDITOR.\n",
	 queue_opts,
	 "0 done, 1 no such reply (or not in a state for it), 64 usage, 65 personal\n"
	 "data found in the draft, 69 SMTP server unreachable (the reply stays\n"
	 "approved), 75 another pmkb writes, 78 SMTP login refused or not configured",
	 "pmkb-queue(1)", "list show approve reject edit", NULL, 0},
	{"serve", "pmkb serve [--listen ADDR:PORT] [--threads N] [--rules FILE]",
	 "A web page and JSON API for the knowledge base.",
	 "Paste or upload a dump (have we seen it?), search, cases, rules; the JSON API\n"
	 "is docs/api.md. Runs until SIGINT/SIGTERM. Writes (POST /api/import) need\n"
	 "serve.token (docs/config.md).\n",
	 serve_opts, "0 stopped by a signal, 64 usage, 69 cannot listen, 70 workers not started,\n78 configuration",
	 "pmkb-serve(1)", NULL, NULL, 0},
	{"check", "pmkb check [--full]", "Check the knowledge base: kb.sqlite, the index, pending work.",
	 "Without writing to it: kb.sqlite (quick_check; --full: integrity_check), the\n"
	 "index, the index against kb.sqlite, and work an interrupted write left.\n",
	 check_opts,
	 "0 whole, 1 the index needs 'pmkb reindex', 64 usage, 66 no knowledge base,\n"
	 "70 kb.sqlite damaged",
	 "pmkb-check(1)", NULL, NULL, 0},
	{"link", "pmkb link CASE[#N] CASE[#M] --same|--different [--note TEXT]",
	 "Record that two analyses have the same root cause, or not.",
	 "Honoured by match; 'pmkb unlink' takes it back, 'pmkb links' lists them.\n", link_opts,
	 "0 done, 64 usage, 65 an analysis linked with itself, 66 no such case or\n"
	 "analysis, 75 knowledge base locked",
	 "pmkb-link(1)", NULL, NULL, 0},
	{"unlink", "pmkb unlink CASE[#N] CASE[#M]", "Take back a link.", NULL, NULL,
	 "0 done, 64 usage, 66 no such link, 75 knowledge base locked", "pmkb-link(1)", NULL, NULL, 0},
	{"links", "pmkb links [--json] [CASE]", "List the links (engineer feedback).", NULL, json_opts,
	 "0 done, 64 usage, 66 no knowledge base", "pmkb-link(1)", NULL, NULL, 0},
	{"list", "pmkb list [--json] [--sort date|case] [--limit N] [--offset N] [date:FROM..TO]",
	 "List the stored cases.",
	 "One line per case: id, last message's date, customer, analyses, title.\n"
	 "date:FROM..TO keeps those whose last message is in the range.\n",
	 list_opts, "0 (also when nothing is listed), 64 usage, 66 no knowledge base", "pmkb-list(1)", NULL,
	 NULL, 0},
	{"count", "pmkb count [date:FROM..TO]", "Count the stored cases.", NULL, NULL,
	 "0, 64 usage, 66 no knowledge base", "pmkb-list(1)", NULL, NULL, 0},
	{"rm", "pmkb rm CASE...", "Remove a case (and its links) from the knowledge base.", NULL, NULL,
	 "0 every case removed, 64 no case given, 66 a case not there (the others are\n"
	 "removed) or no knowledge base, 75 knowledge base locked",
	 "pmkb-rm(1)", NULL, NULL, 0},
	{"clusters", "pmkb clusters [--json] [--all] [--rules FILE] [--threshold S] [show ID]",
	 "Group the stored analyses into root causes.",
	 "By rules, similarity and engineers' links; 'show ID' prints one cluster.\n", clusters_opts,
	 "0 done, 64 usage, 65 a rules file refused, 66 no knowledge base, or no\n"
	 "cluster ID",
	 "pmkb-clusters(1)", "show", NULL, 0},
};

const size_t cli_ncommands = PMKB_ARRAY_LEN(cli_commands);
