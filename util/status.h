/* status.h - the library's error currency.
 *
 * Readers (import/), the input reader, the mail transports, the rules
 * (matcher/rules.c) and util/ say why they failed with a pm_status, never
 * with a process exit code: what a failure means to a user is decided by
 * the front end that called them. The command line maps it to an exit
 * code (cli/common.c, cli_exit_of), the web server to an HTTP status
 * (serve/srv.c, srv_status_of). The knowledge base keeps its own
 * kb_status (kb/kb.h), which cli_kb_exit maps the same way.
 *
 * Each value names a cause, not a remedy; the exit code each one becomes
 * is in the comment (the exit codes: README.md, docs/pmkb.1).
 */
#ifndef PMKB_STATUS_H
#define PMKB_STATUS_H

typedef enum pm_status {
	PM_OK = 0,
	PM_BAD_DATA,    /* malformed or unusable data; a message gone from a mailbox (65) */
	PM_TOO_BIG,     /* the input is over its size bound (65) */
	PM_NO_INPUT,    /* missing, a directory, unreadable, a read error; no such mailbox (66) */
	PM_USAGE,       /* the caller's argument is wrong: a URL, search keys (64) */
	PM_CONFIG,      /* the setup is wrong: login refused, TLS not trusted, no STARTTLS (78) */
	PM_UNAVAILABLE, /* a server unreachable, the connection lost, a message refused (69) */
	PM_INTERNAL,    /* a library failed to start, a bug (70); stays last (test-exit.c) */
} pm_status;

/* A few words for st ("bad data", "no such input", ...): never NULL. */
const char *pm_status_string(pm_status st);

#endif
