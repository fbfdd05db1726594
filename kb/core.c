/* core.c - the bottom of kb/: the kb_db handle's statuses and errors,
 * its accessors for the other kb/ files, and the SQL helpers they share
 * (kb-int.h). Calls nothing else of kb/. */
#include "kb.h"
#include "kb-int.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* status, errors */

const char *kb_status_string(kb_status st)
{
	switch (st) {
	case KB_OK: return "ok";
	case KB_NOT_FOUND: return "not found";
	case KB_LOCKED: return "locked by another writer";
	case KB_VERSION: return "schema version mismatch";
	case KB_CORRUPT: return "database damaged";
	case KB_BAD_QUERY: return "bad query";
	case KB_NOMEM: return "out of memory";
	case KB_IO: return "input/output error";
	case KB_UNAVAILABLE: return "index server unreachable";
	case KB_INVALID: return "invalid argument";
	case KB_INTERNAL: return "internal error";
	case KB_NOSPACE: return "no space left on the device";
	}
	return "unknown status";
}

const char *kb_last_error(const kb_db *db)
{
	return db ? db->err : "";
}

kb_status kb_int_sql_status(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW: return KB_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return KB_LOCKED;
	case SQLITE_NOMEM: return KB_NOMEM;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB: return KB_CORRUPT;
	case SQLITE_FULL: return KB_NOSPACE;
	case SQLITE_CANTOPEN:
	case SQLITE_IOERR:
	case SQLITE_READONLY:
	case SQLITE_PERM: return KB_IO;
	default: return KB_INTERNAL;
	}
}

kb_status kb_int_sql_fail(kb_db *db, int rc, const char *what)
{
	if ((rc & 0xff) == SQLITE_FULL)
		return kb_int_fail(db, KB_NOSPACE, "%s: no space left on the device (kb.sqlite)", what);
	return kb_int_fail(db, kb_int_sql_status(rc), "%s: %s", what,
		    db->sql ? sqlite3_errmsg(db->sql) : sqlite3_errstr(rc));
}

kb_status kb_int_exec(kb_db *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db->sql, sql, NULL, NULL, &msg);
	if ((rc & 0xff) == SQLITE_FULL) {
		sqlite3_free(msg);
		return kb_int_fail(db, KB_NOSPACE, "no space left on the device (kb.sqlite)");
	}
	if (rc != SQLITE_OK) {
		kb_status st = kb_int_fail(db, kb_int_sql_status(rc), "sqlite: %s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return st;
	}
	return KB_OK;
}

/* ------------------------------------------------------------------ */
/* the handle, for the other kb/ files */

sqlite3 *kb_int_sql(kb_db *db) { return db->sql; }
const char *kb_int_dir(const kb_db *db) { return db->dir; }
xs_db *kb_int_xs(kb_db *db) { return db->xs; }
int kb_int_writable(const kb_db *db) { return db->mode == KB_WRITE && db->sql; }
int kb_int_in_batch(const kb_db *db) { return db->batch; }

char *kb_int_errbuf(kb_db *db, size_t *size)
{
	*size = sizeof db->err;
	return db->err;
}

kb_status kb_int_fail(kb_db *db, kb_status st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(db->err, sizeof db->err, fmt, ap);
	va_end(ap);
	return st;
}

/* ------------------------------------------------------------------ */
/* SQL helpers */

char *kb_int_col_text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? xstrdup((const char *)t) : NULL;
}

int kb_int_prepare(kb_db *db, const char *sql, sqlite3_stmt **s)
{
	*s = NULL;
	for (size_t i = 0; i < db->ncache; i++)
		if (db->cache[i].sql == sql) {
			*s = db->cache[i].s;
			sqlite3_reset(*s);
			sqlite3_clear_bindings(*s);
			return SQLITE_OK;
		}
	int persistent = db->ncache < KB_STMT_CACHE;
	int rc = sqlite3_prepare_v3(db->sql, sql, -1, persistent ? SQLITE_PREPARE_PERSISTENT : 0, s, NULL);
	if (rc == SQLITE_OK && persistent) {
		db->cache[db->ncache].sql = sql;
		db->cache[db->ncache++].s = *s;
	}
	return rc;
}

void kb_int_done(kb_db *db, sqlite3_stmt *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < db->ncache; i++)
		if (db->cache[i].s == s) {
			sqlite3_reset(s);
			return;
		}
	sqlite3_finalize(s);
}

void kb_int_cache_free(kb_db *db)
{
	for (size_t i = 0; i < db->ncache; i++)
		sqlite3_finalize(db->cache[i].s);
	db->ncache = 0;
}

long kb_int_count_rows(kb_db *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	long n = -1;
	if (sqlite3_prepare_v2(db->sql, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}
