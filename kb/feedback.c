/* feedback.c - engineer feedback on pairs of analyses ("same root cause",
 * "different"), kept in SQLite beside the cases (kb.h, docs/schema.md).
 *
 *   links(a_case, a_analysis, b_case, b_analysis, relation, who, at, note)
 *         PK(a_case, a_analysis, b_case, b_analysis); the pair is stored in
 *         one order ((a_case, a_analysis) < (b_case, b_analysis)), so a
 *         judgement on a pair replaces the earlier one, whichever way round
 *         it was given. a_analysis / b_analysis -1: the whole case.
 *
 * The table is created by the first link (CREATE TABLE IF NOT EXISTS), so a
 * knowledge base made before it, or by a reader, needs no upgrade; it holds
 * no foreign key to the case rows, which a re-import deletes and inserts
 * again: the judgement outlives every re-import, reindex and rule change.
 * Only removing the case (kb_rm_case) removes its links.
 *
 * DIR/links-made, an empty file, is created before the first link is
 * written and never removed: a match (which reads the index, not SQLite)
 * asks SQLite for links only when it is there, so a knowledge base nobody
 * linked in pays one stat(), not a parse of the SQLite schema (3 % of a
 * match's instructions).
 */
#include "kb-int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char links_sql[] =
	"CREATE TABLE IF NOT EXISTS links(a_case TEXT NOT NULL, a_analysis INTEGER NOT NULL,"
	" b_case TEXT NOT NULL, b_analysis INTEGER NOT NULL,"
	" relation TEXT NOT NULL CHECK(relation IN ('same','different')),"
	" who TEXT, at TEXT NOT NULL, note TEXT,"
	" PRIMARY KEY(a_case, a_analysis, b_case, b_analysis));"
	"CREATE INDEX IF NOT EXISTS links_b ON links(b_case);";

#define LINKS_MARK "links-made"

/* Has a link ever been made here? (see the file header) */
static int links_marked(const kb_db *db)
{
	char *p = xasprintf("%s/" LINKS_MARK, kb_int_dir(db));
	struct stat st;
	int yes = stat(p, &st) == 0;
	free(p);
	return yes;
}

static kb_status mark_links(kb_db *db)
{
	char *p = xasprintf("%s/" LINKS_MARK, kb_int_dir(db));
	int fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	kb_status st = KB_OK;
	if (fd < 0)
		st = kb_int_fail(db, KB_IO, "cannot create '%s': %s", p, strerror(errno));
	else
		close(fd);
	free(p);
	return st;
}

/* Does the links table exist? (a reader never creates it) */
static int have_links(sqlite3 *sql)
{
	sqlite3_stmt *s = NULL;
	int yes = 0;
	if (sqlite3_prepare_v2(sql, "SELECT 1 FROM sqlite_master WHERE type='table' AND name='links'", -1,
			       &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		yes = 1;
	sqlite3_finalize(s);
	return yes;
}

static kb_status need_writable(kb_db *db)
{
	if (!kb_int_sql(db))
		return kb_int_fail(db, KB_INVALID, "a remote index holds no feedback");
	if (!kb_int_writable(db))
		return kb_int_fail(db, KB_INVALID, "knowledge base opened read-only");
	if (kb_int_in_batch(db))
		return kb_int_fail(db, KB_INVALID, "a link cannot be stored inside an import batch");
	return KB_OK;
}

static kb_status exec(kb_db *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(kb_int_sql(db), sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		kb_status st = kb_int_sql_fail(db, rc, msg ? msg : "sqlite");
		sqlite3_free(msg);
		return st;
	}
	return KB_OK;
}

/* Is (case_id, analysis) stored? analysis -1: the case. */
static kb_status check_exists(kb_db *db, const char *case_id, int analysis)
{
	sqlite3 *sql = kb_int_sql(db);
	sqlite3_stmt *s = NULL;
	const char *q = analysis < 0 ? "SELECT 1 FROM cases WHERE id=?"
				     : "SELECT 1 FROM analyses WHERE case_id=? AND idx=?";
	int rc = sqlite3_prepare_v2(sql, q, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return kb_int_sql_fail(db, rc, "cannot read cases");
	sqlite3_bind_text(s, 1, case_id, -1, SQLITE_STATIC);
	if (analysis >= 0)
		sqlite3_bind_int(s, 2, analysis);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return KB_OK;
	if (rc != SQLITE_DONE)
		return kb_int_sql_fail(db, rc, "cannot read cases");
	if (analysis < 0)
		return kb_int_fail(db, KB_NOT_FOUND, "no case '%s'", case_id);
	return kb_int_fail(db, KB_NOT_FOUND, "case '%s' has no analysis #%d", case_id, analysis + 1);
}

/* Put the pair in its stored order. */
static void order_pair(const char **ac, int *aa, const char **bc, int *ba)
{
	int c = strcmp(*ac, *bc);
	if (c > 0 || (c == 0 && *aa > *ba)) {
		const char *t = *ac;
		*ac = *bc;
		*bc = t;
		int u = *aa;
		*aa = *ba;
		*ba = u;
	}
}

static void now_iso(char *buf, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

kb_status kb_link_put(kb_db *db, const kb_link *l)
{
	kb_status st = need_writable(db);
	if (st != KB_OK)
		return st;
	if (!l->a_case || !l->b_case || !*l->a_case || !*l->b_case)
		return kb_int_fail(db, KB_INVALID, "a link needs two cases");
	const char *ac = l->a_case, *bc = l->b_case;
	int aa = l->a_analysis < 0 ? -1 : l->a_analysis, ba = l->b_analysis < 0 ? -1 : l->b_analysis;
	if (!strcmp(ac, bc) && (aa == ba || aa < 0 || ba < 0))
		return kb_int_fail(db, KB_INVALID, "'%s' cannot be linked with itself", ac);
	if ((st = check_exists(db, ac, aa)) != KB_OK || (st = check_exists(db, bc, ba)) != KB_OK)
		return st;
	order_pair(&ac, &aa, &bc, &ba);
	char at[32];
	now_iso(at, sizeof at);
	if ((st = mark_links(db)) != KB_OK || (st = exec(db, "BEGIN IMMEDIATE")) != KB_OK)
		return st;
	st = exec(db, links_sql);
	sqlite3_stmt *s = NULL;
	if (st == KB_OK) {
		int rc = sqlite3_prepare_v2(kb_int_sql(db),
					    "INSERT OR REPLACE INTO links(a_case,a_analysis,b_case,b_analysis,"
					    "relation,who,at,note) VALUES(?,?,?,?,?,?,?,?)",
					    -1, &s, NULL);
		if (rc != SQLITE_OK)
			st = kb_int_sql_fail(db, rc, "cannot store the link");
	}
	if (st == KB_OK) {
		sqlite3_bind_text(s, 1, ac, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 2, aa);
		sqlite3_bind_text(s, 3, bc, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 4, ba);
		sqlite3_bind_text(s, 5, l->same ? "same" : "different", -1, SQLITE_STATIC);
		if (l->who)
			sqlite3_bind_text(s, 6, l->who, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 7, l->at ? l->at : at, -1, SQLITE_STATIC);
		if (l->note && *l->note)
			sqlite3_bind_text(s, 8, l->note, -1, SQLITE_STATIC);
		int rc = sqlite3_step(s);
		if (rc != SQLITE_DONE)
			st = kb_int_sql_fail(db, rc, "cannot store the link");
	}
	sqlite3_finalize(s);
	if (st == KB_OK)
		st = exec(db, "COMMIT");
	if (st != KB_OK)
		sqlite3_exec(kb_int_sql(db), "ROLLBACK", NULL, NULL, NULL);
	return st;
}

kb_status kb_link_del(kb_db *db, const char *a_case, int a_analysis, const char *b_case,
		      int b_analysis, int *removed)
{
	*removed = 0;
	kb_status st = need_writable(db);
	if (st != KB_OK)
		return st;
	if (!have_links(kb_int_sql(db)))
		return KB_OK;
	int aa = a_analysis < 0 ? -1 : a_analysis, ba = b_analysis < 0 ? -1 : b_analysis;
	order_pair(&a_case, &aa, &b_case, &ba);
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(kb_int_sql(db),
				    "DELETE FROM links WHERE a_case=? AND a_analysis=? AND b_case=?"
				    " AND b_analysis=?",
				    -1, &s, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(s, 1, a_case, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 2, aa);
		sqlite3_bind_text(s, 3, b_case, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 4, ba);
		rc = sqlite3_step(s);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return kb_int_sql_fail(db, rc, "cannot remove the link");
	*removed = sqlite3_changes(kb_int_sql(db)) > 0;
	return KB_OK;
}

static char *col(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? xstrdup((const char *)t) : NULL;
}

kb_status kb_links(kb_db *db, const char *case_id, kb_link **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3 *sql = kb_int_sql(db);
	if (!sql || !links_marked(db) || !have_links(sql))
		return KB_OK;
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(sql,
				    case_id ? "SELECT a_case,a_analysis,b_case,b_analysis,relation,who,at,note"
					      " FROM links WHERE a_case=?1 OR b_case=?1 ORDER BY at, rowid"
					    : "SELECT a_case,a_analysis,b_case,b_analysis,relation,who,at,note"
					      " FROM links ORDER BY at, rowid",
				    -1, &s, NULL);
	if (rc != SQLITE_OK)
		return kb_int_sql_fail(db, rc, "cannot read links");
	if (case_id)
		sqlite3_bind_text(s, 1, case_id, -1, SQLITE_STATIC);
	size_t cap = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		XGROW(*out, cap, *n + 1);
		kb_link *l = &(*out)[(*n)++];
		l->a_case = col(s, 0);
		l->a_analysis = sqlite3_column_int(s, 1);
		l->b_case = col(s, 2);
		l->b_analysis = sqlite3_column_int(s, 3);
		const unsigned char *rel = sqlite3_column_text(s, 4);
		l->same = rel && !strcmp((const char *)rel, "same");
		l->who = col(s, 5);
		l->at = col(s, 6);
		l->note = col(s, 7);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		kb_links_free(*out, *n);
		*out = NULL;
		*n = 0;
		return kb_int_sql_fail(db, rc, "cannot read links");
	}
	return KB_OK;
}

kb_status kb_linked_analyses(kb_db *db, const char *sigtext, kb_analysis_ref **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3 *sql = kb_int_sql(db);
	if (!sql || !sigtext || !links_marked(db) || !have_links(sql))
		return KB_OK;
	/* bounded by the links, not by the knowledge base: each side of a
	 * link is looked up by its primary key */
	static const char q[] =
		"SELECT DISTINCT s.case_id, s.analysis FROM signatures s JOIN"
		" (SELECT a_case AS c, a_analysis AS x FROM links"
		"  UNION SELECT b_case, b_analysis FROM links) l"
		" ON s.case_id = l.c AND (l.x < 0 OR s.analysis = l.x)"
		" WHERE s.text = ? ORDER BY s.case_id, s.analysis";
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(sql, q, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return kb_int_sql_fail(db, rc, "cannot read links");
	sqlite3_bind_text(s, 1, sigtext, -1, SQLITE_STATIC);
	size_t cap = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		XGROW(*out, cap, *n + 1);
		(*out)[*n].case_id = col(s, 0);
		(*out)[*n].analysis = sqlite3_column_int(s, 1);
		(*n)++;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		kb_refs_free(*out, *n);
		*out = NULL;
		*n = 0;
		return kb_int_sql_fail(db, rc, "cannot read links");
	}
	return KB_OK;
}

void kb_links_free(kb_link *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(l[i].a_case);
		free(l[i].b_case);
		free(l[i].who);
		free(l[i].at);
		free(l[i].note);
	}
	free(l);
}

void kb_refs_free(kb_analysis_ref *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(r[i].case_id);
	free(r);
}

kb_status kb_int_links_del_case(kb_db *db, const char *case_id, size_t *n)
{
	*n = 0;
	sqlite3 *sql = kb_int_sql(db);
	if (!have_links(sql))
		return KB_OK;
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(sql, "DELETE FROM links WHERE a_case=?1 OR b_case=?1", -1, &s, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(s, 1, case_id, -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return kb_int_sql_fail(db, rc, "cannot remove links");
	*n = (size_t)sqlite3_changes(sql);
	return KB_OK;
}
