/* status.c - pm_status (status.h). */
#include "status.h"

const char *pm_status_string(pm_status st)
{
	switch (st) {
	case PM_OK: return "success";
	case PM_BAD_DATA: return "bad data";
	case PM_TOO_BIG: return "input too large";
	case PM_NO_INPUT: return "input missing or unreadable";
	case PM_USAGE: return "invalid argument";
	case PM_CONFIG: return "configuration error";
	case PM_UNAVAILABLE: return "server unavailable";
	case PM_INTERNAL: return "internal error";
	}
	return "unknown status";
}
