/* kb-status.h - what every function of the knowledge base returns (kb.h),
 * apart so that the Xapian shim (xapian-shim.h) can say it without the
 * store's API. The CLI maps it to exit codes (cli/exit.c). */
#ifndef PMKB_KB_STATUS_H
#define PMKB_KB_STATUS_H

typedef enum kb_status {
	KB_OK = 0,
	KB_NOT_FOUND,     /* no such case */
	KB_LOCKED,        /* another writer holds the database: retry */
	KB_VERSION,       /* schema version mismatch */
	KB_CORRUPT,       /* database file damaged */
	KB_BAD_QUERY,     /* query syntax error */
	KB_NOMEM,
	KB_IO,            /* cannot create/open/write the directory or files */
	KB_UNAVAILABLE,   /* remote shard unreachable */
	KB_INVALID,       /* invalid argument, e.g. a case without id */
	KB_INTERNAL,
	KB_NOSPACE,       /* no space left on the device: nothing half-written */
} kb_status;

/* A few words for st. What a status means to a user (an exit code, an HTTP
 * status) is decided by the front end: cli_kb_exit (cli/exit.h). */
const char *kb_status_string(kb_status st);

#endif
