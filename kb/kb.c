/* kb.c - placeholder storage until the foundation lands. */
#include "kb.h"
#include <stdio.h>
#include <stdlib.h>

const char *kb_status_string(kb_status st) { (void)st; return "not built yet"; }
int kb_status_exit(kb_status st) { (void)st; return PMKB_EX_SOFTWARE; }
kb_status kb_open(const char *dir, kb_mode mode, kb_db **out, char *err, size_t errsz)
{
	(void)dir; (void)mode; *out = NULL;
	if (err) snprintf(err, errsz, "storage not built yet");
	return KB_INTERNAL;
}
void kb_close(kb_db *db) { (void)db; }
const char *kb_last_error(const kb_db *db) { (void)db; return ""; }
char *kb_default_dir(void) { return xstrdup("pmkb-db"); }
