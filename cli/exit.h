/* exit.h - the exit codes of pmkb (README.md "Exit codes", docs/pmkb.1;
 * sysexits values) and the one place that maps library statuses to them.
 *
 * Exit codes are the command line's business alone: the library says why
 * it failed with a pm_status (util/status.h), the input reader with an
 * input_status (import/input.h), the knowledge base with a kb_status
 * (kb/kb.h). pmkb-serve uses these maps too, for the "exit" of its JSON
 * errors (docs/api.md), and maps statuses to HTTP itself (serve/srv.c).
 */
#ifndef PMKB_CLI_EXIT_H
#define PMKB_CLI_EXIT_H

#include "../util/status.h"
#include "../import/input.h"
#include "../kb/kb.h"

enum {
	PMKB_EX_OK = 0,
	PMKB_EX_NOMATCH = 1,     /* match: verdict new; search: no hit; sig: no analysis */
	PMKB_EX_USAGE = 64,
	PMKB_EX_DATAERR = 65,    /* bad input data */
	PMKB_EX_NOINPUT = 66,    /* input missing or unreadable */
	PMKB_EX_UNAVAILABLE = 69,/* server unreachable */
	PMKB_EX_SOFTWARE = 70,   /* internal error */
	PMKB_EX_TEMPFAIL = 75,   /* database locked: retry */
	PMKB_EX_CONFIG = 78,     /* configuration error */
};

/* PM_OK 0, PM_USAGE 64, PM_BAD_DATA and PM_TOO_BIG 65, PM_NO_INPUT 66,
 * PM_UNAVAILABLE 69, PM_INTERNAL 70, PM_CONFIG 78. */
int cli_exit_of(pm_status st);

/* KB_OK 0, KB_BAD_QUERY 64, KB_INVALID 65, KB_NOT_FOUND and KB_IO 66,
 * KB_UNAVAILABLE 69, KB_CORRUPT, KB_NOMEM, KB_INTERNAL and KB_NOSPACE 70,
 * KB_LOCKED 75, KB_VERSION 78. */
int cli_kb_exit(kb_status st);

/* The exit code of a failed read by the input reader (import/input.h):
 * 66 when the input is missing or unreadable (INPUT_ERR_OPEN), 65 when it
 * is binary data, too large or a dump the dump reader refused. */
int cli_input_exit(input_status st);

#endif
