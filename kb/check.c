/* check.c - pmkb check: is the knowledge base whole? Reads kb.sqlite and
 * the index without writing (a read-only handle of each, opened here so
 * that an index that cannot be opened is reported, not fatal). Implements
 * kb_check of kb.h. */
#include "kb.h"
#include "xapian-shim.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The first rows of an integrity pragma, "" when it says "ok". */
static void sqlite_verify(sqlite3 *sql, int full, char *out, size_t outsz)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(sql, full ? "PRAGMA integrity_check(3)" : "PRAGMA quick_check(3)", -1,
				    &s, NULL);
	size_t len = 0;
	out[0] = '\0';
	while (rc == SQLITE_OK || rc == SQLITE_ROW) {
		rc = sqlite3_step(s);
		if (rc != SQLITE_ROW)
			break;
		const char *v = (const char *)sqlite3_column_text(s, 0);
		if (v && strcmp(v, "ok") == 0)
			continue;
		if (len < outsz)
			len += (size_t)snprintf(out + len, outsz - len, "%s%s", len ? "; " : "", v ? v : "?");
	}
	if (rc != SQLITE_DONE && rc != SQLITE_OK && !out[0])
		snprintf(out, outsz, "%s", sqlite3_errmsg(sql));
	sqlite3_finalize(s);
	for (char *p = out; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
}

static long count(sqlite3 *sql, const char *q)
{
	sqlite3_stmt *s = NULL;
	long n = -1;
	if (sqlite3_prepare_v2(sql, q, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

kb_status kb_check(const char *dir, int full, kb_check_report *r, char *err, size_t errsz)
{
	memset(r, 0, sizeof *r);
	r->cases = r->pending = -1;
	char *sqlpath = xasprintf("%s/kb.sqlite", dir);
	char *xpath = xasprintf("%s/xapian", dir);
	char *npath = xasprintf("%s/xapian.new", dir);
	struct stat sb;
	sqlite3 *sql = NULL;
	xs_db *xs = NULL;
	char **ids = NULL;
	size_t n = 0, cap = 0;
	kb_status st = KB_OK;
	if (stat(sqlpath, &sb) != 0) {
		int missing = errno == ENOENT || errno == ENOTDIR;
		snprintf(err, errsz, missing ? "no knowledge base there (no kb.sqlite)" : "cannot read kb.sqlite: %s",
			 strerror(errno));
		st = missing ? KB_NOT_FOUND : KB_IO;
		goto out;
	}
	r->leftover = stat(npath, &sb) == 0;
	int rc = sqlite3_open_v2(sqlpath, &sql, SQLITE_OPEN_READONLY, NULL);
	if (rc != SQLITE_OK) {
		snprintf(r->sqlite_problem, sizeof r->sqlite_problem, "cannot open: %s",
			 sql ? sqlite3_errmsg(sql) : sqlite3_errstr(rc));
	} else {
		sqlite3_busy_timeout(sql, 10000);
		sqlite_verify(sql, full, r->sqlite_problem, sizeof r->sqlite_problem);
		r->cases = count(sql, "SELECT count(*) FROM cases");
		r->pending = count(sql, "SELECT count(*) FROM pending_index");
		sqlite3_stmt *s = NULL;
		if (sqlite3_prepare_v2(sql, "SELECT id FROM cases", -1, &s, NULL) == SQLITE_OK) {
			while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
				const char *id = (const char *)sqlite3_column_text(s, 0);
				XGROW(ids, cap, n + 1);
				ids[n++] = xstrdup(id ? id : "");
			}
			if (rc != SQLITE_DONE && !r->sqlite_problem[0])
				snprintf(r->sqlite_problem, sizeof r->sqlite_problem, "cannot read the cases: %s",
					 sqlite3_errmsg(sql));
		} else if (!r->sqlite_problem[0]) {
			snprintf(r->sqlite_problem, sizeof r->sqlite_problem, "cannot read the cases: %s",
				 sqlite3_errmsg(sql));
		}
		sqlite3_finalize(s);
	}

	char why[512] = "";
	kb_status xst = KB_NOT_FOUND;
	if (stat(xpath, &sb) != 0) {
		r->index_missing = 1;
		snprintf(why, sizeof why, "missing (the next import or reindex builds it)");
	} else
		xst = xs_open(xpath, 0, &xs, why, sizeof why);
	if (xst == KB_OK)
		xst = xs_doccount(xs, &r->indexed, why, sizeof why);
	if (xst == KB_OK && full)
		xst = xs_verify(xs, why, sizeof why);
	if (xst == KB_OK)
		xst = xs_compare_ids(xs, (const char *const *)ids, n, 0, &r->missing, &r->extra, r->first_extra,
				     sizeof r->first_extra, why, sizeof why);
	if (xst != KB_OK) {
		char *cut = strstr(why, "; run 'pmkb reindex'");
		if (cut)
			*cut = '\0';
		snprintf(r->index_problem, sizeof r->index_problem, "%s",
			 why[0] ? why : kb_status_string(xst));
	}
out:
	xs_close(xs);
	if (sql)
		sqlite3_close(sql);
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	free(sqlpath);
	free(xpath);
	free(npath);
	return st;
}
