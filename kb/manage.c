/* manage.c - listing and removing stored cases (kb.h): what a curator
 * needs to see what is there and to take out a file imported by mistake or
 * a customer's data after a deletion request.
 *
 * Removal is written like a store (store.c): one SQLite transaction deletes
 * the case's rows and links and records the case in pending_index, then
 * the index document goes and is committed, then the pending row. A crash
 * in between leaves the pending row, and the next writable open deletes
 * the document (index_case of a case SQLite no longer holds). Deleted
 * pages are overwritten (secure_delete) and the WAL checkpointed, so the
 * case's text is not left in kb.sqlite's free pages.
 */
#include "kb-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *col(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? xstrdup((const char *)t) : NULL;
}

kb_status kb_list_cases(kb_db *db, kb_sort sort, const char *from, const char *to, size_t offset,
			size_t limit, kb_case_row **out, size_t *n, size_t *total)
{
	*out = NULL;
	*n = 0;
	*total = 0;
	sqlite3 *sql = kb_int_sql(db);
	if (!sql)
		return kb_int_fail(db, KB_INVALID, "a remote index holds no case list; give a local --db");
	/* "to" is inclusive of the whole day it names: compare with its
	 * prefix by appending the highest character */
	char *to_end = to ? xasprintf("%s\xef\xbf\xbf", to) : NULL;
	const char *where = " WHERE (?1 IS NULL OR c.last_date >= ?1) AND (?2 IS NULL OR c.last_date <= ?2)";
	char *q = xasprintf("SELECT count(*) FROM cases c%s", where);
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(sql, q, -1, &s, NULL);
	free(q);
	if (rc == SQLITE_OK) {
		if (from)
			sqlite3_bind_text(s, 1, from, -1, SQLITE_STATIC);
		if (to_end)
			sqlite3_bind_text(s, 2, to_end, -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW)
			*total = (size_t)sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	s = NULL;
	if (rc != SQLITE_ROW) {
		free(to_end);
		return kb_int_sql_fail(db, rc, "cannot count cases");
	}
	q = xasprintf("SELECT c.id, c.title, c.customer, c.first_date, c.last_date, c.status, c.source,"
		      " (SELECT count(*) FROM analyses a WHERE a.case_id = c.id)"
		      " FROM cases c%s ORDER BY %s LIMIT ?3 OFFSET ?4",
		      where, sort == KB_SORT_CASE ? "c.id" : "c.last_date DESC, c.id");
	rc = sqlite3_prepare_v2(sql, q, -1, &s, NULL);
	free(q);
	if (rc != SQLITE_OK) {
		free(to_end);
		return kb_int_sql_fail(db, rc, "cannot list cases");
	}
	if (from)
		sqlite3_bind_text(s, 1, from, -1, SQLITE_STATIC);
	if (to_end)
		sqlite3_bind_text(s, 2, to_end, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, limit ? (sqlite3_int64)limit : -1);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)offset);
	size_t cap = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		XGROW(*out, cap, *n + 1);
		kb_case_row *r = &(*out)[(*n)++];
		r->id = col(s, 0);
		r->title = col(s, 1);
		r->customer = col(s, 2);
		r->first_date = col(s, 3);
		r->last_date = col(s, 4);
		r->status = col(s, 5);
		r->source = col(s, 6);
		r->analyses = (long)sqlite3_column_int64(s, 7);
	}
	sqlite3_finalize(s);
	free(to_end);
	if (rc != SQLITE_DONE) {
		kb_case_rows_free(*out, *n);
		*out = NULL;
		*n = 0;
		return kb_int_sql_fail(db, rc, "cannot list cases");
	}
	return KB_OK;
}

void kb_case_rows_free(kb_case_row *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(r[i].id);
		free(r[i].title);
		free(r[i].customer);
		free(r[i].first_date);
		free(r[i].last_date);
		free(r[i].status);
		free(r[i].source);
	}
	free(r);
}

static kb_status exec1(kb_db *db, const char *sql, const char *arg)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(kb_int_sql(db), sql, -1, &s, NULL);
	if (rc == SQLITE_OK) {
		if (arg)
			sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
		do
			rc = sqlite3_step(s);
		while (rc == SQLITE_ROW);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? KB_OK : kb_int_sql_fail(db, rc, "cannot remove the case");
}

kb_status kb_rm_case(kb_db *db, const char *id, size_t *nlinks)
{
	*nlinks = 0;
	if (!kb_int_sql(db))
		return kb_int_fail(db, KB_INVALID, "a remote index cannot be written");
	if (!kb_int_writable(db))
		return kb_int_fail(db, KB_INVALID, "knowledge base opened read-only");
	if (kb_int_in_batch(db))
		return kb_int_fail(db, KB_INVALID, "a case cannot be removed inside an import batch");
	kb_status st = exec1(db, "PRAGMA secure_delete=ON", NULL);
	if (st == KB_OK)
		st = exec1(db, "BEGIN IMMEDIATE", NULL);
	if (st != KB_OK)
		return st;
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(kb_int_sql(db), "SELECT 1 FROM cases WHERE id=?", -1, &s, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
	}
	sqlite3_finalize(s);
	if (rc == SQLITE_DONE)
		st = kb_int_fail(db, KB_NOT_FOUND, "no case '%s'", id);
	else if (rc != SQLITE_ROW)
		st = kb_int_sql_fail(db, rc, "cannot read cases");
	size_t nt = 0;
	const char *const *tables = kb_int_case_tables(&nt);
	for (size_t i = 0; i < nt && st == KB_OK; i++) {
		char *q = xasprintf("DELETE FROM %s WHERE %s=?", tables[i],
				    strcmp(tables[i], "cases") ? "case_id" : "id");
		st = exec1(db, q, id);
		free(q);
	}
	if (st == KB_OK)
		st = kb_int_links_del_case(db, id, nlinks);
	/* its outcomes (kb/customer.c) hold its remediation text: they go too */
	if (st == KB_OK)
		st = exec1(db, "DELETE FROM outcomes WHERE case_id=?", id);
	if (st == KB_OK)
		st = exec1(db, "INSERT OR IGNORE INTO pending_index(case_id) VALUES(?)", id);
	if (st == KB_OK)
		st = exec1(db, "COMMIT", NULL);
	if (st != KB_OK) {
		char keep[512];
		size_t esz;
		snprintf(keep, sizeof keep, "%s", kb_int_errbuf(db, &esz));
		sqlite3_exec(kb_int_sql(db), "ROLLBACK", NULL, NULL, NULL);
		sqlite3_exec(kb_int_sql(db), "PRAGMA secure_delete=OFF", NULL, NULL, NULL);
		*nlinks = 0;
		return kb_int_fail(db, st, "%s", keep);
	}
	size_t esz;
	char *err = kb_int_errbuf(db, &esz);
	st = xs_delete(kb_int_xs(db), id, err, esz);
	if (st == KB_OK)
		st = xs_commit(kb_int_xs(db), err, esz);
	if (st == KB_OK)
		st = exec1(db, "DELETE FROM pending_index WHERE case_id=?", id);
	/* the old pages leave the WAL for the main file, overwritten there */
	if (st == KB_OK)
		st = exec1(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL);
	sqlite3_exec(kb_int_sql(db), "PRAGMA secure_delete=OFF", NULL, NULL, NULL);
	return st;
}
