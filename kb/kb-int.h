/* kb-int.h - private to kb/: what the other storage files (customer.c)
 * need from kb.c's handle. Callers outside kb/ use kb.h only. */
#ifndef PMKB_KB_INT_H
#define PMKB_KB_INT_H

#include <sqlite3.h>
#include "kb.h"

/* The handle's SQLite connection (NULL for a remote index). */
sqlite3 *kb_int_sql(kb_db *db);
/* Opened with KB_WRITE (and holding SQLite)? */
int kb_int_writable(const kb_db *db);
/* Record "what: sqlite's message" as the last error; the status of rc. */
kb_status kb_int_sql_fail(kb_db *db, int rc, const char *what);
/* Run SQL statements; the status and last error on failure. */
kb_status kb_int_exec(kb_db *db, const char *sql);

/* customer.c: create the outcome and reply-queue tables when missing
 * (every writable open; additive, no schema version change). */
kb_status kb_customer_schema(kb_db *db);

#endif
