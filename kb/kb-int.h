/* kb-int.h - private to kb/: what the other storage files (customer.c,
 * feedback.c, manage.c, check.c) use of a kb_db handle kept in kb.c. Never
 * included outside kb/; callers outside kb/ use kb.h only. */
#ifndef PMKB_KB_INT_H
#define PMKB_KB_INT_H

#include <sqlite3.h>
#include "kb.h"
#include "xapian-shim.h"

/* The SQLite connection (NULL on an index-only handle), the index, and
 * the mode the handle was opened in. Owned by db. */
sqlite3 *kb_int_sql(kb_db *db);
xs_db *kb_int_xs(kb_db *db);
const char *kb_int_dir(const kb_db *db); /* the knowledge base directory */
int kb_int_writable(const kb_db *db);
/* Is a kb_begin_batch open? (writes of their own refuse to run inside one) */
int kb_int_in_batch(const kb_db *db);
/* Set the handle's last error (lower case, no full stop) and return st. */
kb_status kb_int_fail(kb_db *db, kb_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* kb_int_fail with SQLite's message for rc: "what: message". */
kb_status kb_int_sql_fail(kb_db *db, int rc, const char *what);
/* Run SQL statements; the status and last error on failure. */
kb_status kb_int_exec(kb_db *db, const char *sql);
/* The tables holding rows of one case (column id in "cases", case_id in
 * the others): what removing a case deletes. */
const char *const *kb_int_case_tables(size_t *n);
/* feedback.c: delete the links of a case inside the caller's
 * transaction; *n is how many. */
kb_status kb_int_links_del_case(kb_db *db, const char *case_id, size_t *n);
/* search-opts.c: 0 when the fields and values of a search query are
 * known and well formed (field: names of kb_prefix_table, date:FROM..TO,
 * bugcheck: a hex code); else -1 with the reason in err. */
int kb_int_check_query(const char *q, char *err, size_t errsz);
/* The error buffer itself, for xs_* calls. */
char *kb_int_errbuf(kb_db *db, size_t *size);

/* customer.c: create the outcome and reply-queue tables when missing
 * (every writable open; additive, no schema version change). */
kb_status kb_customer_schema(kb_db *db);

#endif
