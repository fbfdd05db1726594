/* exit.c - what a library status means as an exit code (exit.h). The
 * library (util/, import/, matcher/, kb/) never returns an exit code: it
 * says why with a pm_status, an input_status or a kb_status, and the
 * command line maps them here, in one place. */
#include "exit.h"

int cli_exit_of(pm_status st)
{
	switch (st) {
	case PM_OK: return PMKB_EX_OK;
	case PM_USAGE: return PMKB_EX_USAGE;
	case PM_BAD_DATA: return PMKB_EX_DATAERR;
	case PM_TOO_BIG: return PMKB_EX_DATAERR;
	case PM_NO_INPUT: return PMKB_EX_NOINPUT;
	case PM_UNAVAILABLE: return PMKB_EX_UNAVAILABLE;
	case PM_INTERNAL: return PMKB_EX_SOFTWARE;
	case PM_CONFIG: return PMKB_EX_CONFIG;
	}
	return PMKB_EX_SOFTWARE;
}

int cli_kb_exit(kb_status st)
{
	switch (st) {
	case KB_OK: return PMKB_EX_OK;
	case KB_NOT_FOUND: return PMKB_EX_NOINPUT;
	case KB_LOCKED: return PMKB_EX_TEMPFAIL;
	case KB_VERSION: return PMKB_EX_CONFIG;
	case KB_CORRUPT: return PMKB_EX_SOFTWARE;
	case KB_BAD_QUERY: return PMKB_EX_USAGE;
	case KB_NOMEM: return PMKB_EX_SOFTWARE;
	case KB_IO: return PMKB_EX_NOINPUT;
	case KB_UNAVAILABLE: return PMKB_EX_UNAVAILABLE;
	case KB_INVALID: return PMKB_EX_DATAERR;
	case KB_INTERNAL: return PMKB_EX_SOFTWARE;
	case KB_NOSPACE: return PMKB_EX_SOFTWARE;
	}
	return PMKB_EX_SOFTWARE;
}

int cli_input_exit(input_status st)
{
	switch (st) {
	case INPUT_OK:
		return PMKB_EX_OK;
	case INPUT_ERR_OPEN:
		return PMKB_EX_NOINPUT;
	case INPUT_ERR_TOO_LARGE:
	case INPUT_ERR_BINARY:
	case INPUT_ERR_DUMP:
		break;
	}
	return PMKB_EX_DATAERR;
}
