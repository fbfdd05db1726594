/* customer.c - outcomes of stored analyses (customer.h). SQLite only: the
 * index does not carry them. Tables (docs/schema.md):
 *
 *   outcomes(case_id, analysis, source, outcome, remediation, note, set_at)
 *            PK(case_id, analysis, source); source "import" | "manual"
 *   replies(id PK, message_id UNIQUE, mailbox, from_addr, to_addr, subject,
 *            refs, lang, rule, body, gate, state, note, out_message_id,
 *            created_at, updated_at)      the reply queue (customer.h)
 *
 * Not in store.c's case tables: re-storing a case replaces its import rows
 * here (kb_outcome_import) and keeps what an engineer set by hand.
 */
#include "customer.h"
#include "kb-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *customer_sql =
	"CREATE TABLE IF NOT EXISTS outcomes(case_id TEXT NOT NULL, analysis INTEGER NOT NULL,"
	" source TEXT NOT NULL, outcome TEXT NOT NULL, remediation TEXT, note TEXT, set_at TEXT,"
	" PRIMARY KEY(case_id, analysis, source));"
	"CREATE TABLE IF NOT EXISTS replies(id INTEGER PRIMARY KEY, message_id TEXT NOT NULL UNIQUE,"
	" mailbox TEXT, from_addr TEXT, to_addr TEXT, subject TEXT, refs TEXT, lang TEXT, rule TEXT,"
	" body TEXT, gate TEXT, state TEXT NOT NULL, note TEXT, out_message_id TEXT,"
	" created_at TEXT, updated_at TEXT);";

static kb_status backfill_outcomes(kb_db *db);

kb_status kb_customer_schema(kb_db *db)
{
	sqlite3_stmt *s = NULL;
	int had = 0;
	if (sqlite3_prepare_v2(kb_int_sql(db), "SELECT 1 FROM sqlite_master WHERE name='outcomes'", -1, &s,
			       NULL) == SQLITE_OK)
		had = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	kb_status st = kb_int_exec(db, customer_sql);
	/* a knowledge base imported before outcomes existed: read them now
	 * from the stored threads, once */
	if (st == KB_OK && !had)
		st = backfill_outcomes(db);
	return st;
}

static void now_iso(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Prepare sql; *missing set (and KB_OK) when a table of it does not exist
 * yet (a knowledge base never opened for writing by this version). */
static kb_status prep(kb_db *db, const char *sql, sqlite3_stmt **s, int *missing)
{
	sqlite3 *h = kb_int_sql(db);
	*s = NULL;
	if (missing)
		*missing = 0;
	if (!h)
		return KB_INVALID;
	int rc = sqlite3_prepare_v2(h, sql, -1, s, NULL);
	if (rc == SQLITE_OK)
		return KB_OK;
	if (missing && strstr(sqlite3_errmsg(h), "no such table")) {
		*missing = 1;
		return KB_OK;
	}
	return kb_int_sql_fail(db, rc, "cannot read outcomes");
}

static void bind_opt(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

static kb_status put_row(kb_db *db, const char *case_id, int analysis, const char *source,
			 outcome_kind k, const char *remediation, const char *note)
{
	sqlite3_stmt *s = NULL;
	kb_status st = prep(db, "INSERT OR REPLACE INTO outcomes(case_id,analysis,source,outcome,"
			    "remediation,note,set_at) VALUES(?,?,?,?,?,?,?)", &s, NULL);
	if (st != KB_OK)
		return st;
	char now[32];
	now_iso(now);
	sqlite3_bind_text(s, 1, case_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 2, analysis);
	sqlite3_bind_text(s, 3, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, outcome_name(k), -1, SQLITE_STATIC);
	bind_opt(s, 5, remediation);
	bind_opt(s, 6, note);
	/* what import read is as old as the case (cases.imported_at) */
	bind_opt(s, 7, strcmp(source, "manual") == 0 ? now : NULL);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? KB_OK : kb_int_sql_fail(db, rc, "cannot write outcome");
}

kb_status kb_outcome_import(kb_db *db, const pm_case *c)
{
	if (!kb_int_writable(db))
		return KB_INVALID;
	sqlite3_stmt *s = NULL;
	kb_status st = prep(db, "DELETE FROM outcomes WHERE case_id=? AND source='import'", &s, NULL);
	if (st != KB_OK)
		return st;
	sqlite3_bind_text(s, 1, c->id, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return kb_int_sql_fail(db, rc, "cannot write outcome");
	outcome_kind k = outcome_of_case(c);
	if (c->nanalyses == 0)
		return put_row(db, c->id, -1, "import", k, outcome_remediation(c, 0), NULL);
	for (size_t i = 0; i < c->nanalyses && st == KB_OK; i++)
		st = put_row(db, c->id, (int)i, "import", k, outcome_remediation(c, i), NULL);
	return st;
}

/* How many analyses the case has; -1 when there is no such case. */
static kb_status count_analyses(kb_db *db, const char *case_id, long *n)
{
	sqlite3_stmt *s = NULL;
	kb_status st = prep(db, "SELECT (SELECT count(*) FROM cases WHERE id=?1),"
			    " (SELECT count(*) FROM analyses WHERE case_id=?1)", &s, NULL);
	if (st != KB_OK)
		return st;
	sqlite3_bind_text(s, 1, case_id, -1, SQLITE_TRANSIENT);
	*n = -1;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) > 0)
		*n = sqlite3_column_int(s, 1);
	sqlite3_finalize(s);
	return KB_OK;
}

/* The import row's remediation of one analysis (caller frees), or NULL. */
static char *import_remediation(kb_db *db, const char *case_id, int analysis)
{
	sqlite3_stmt *s = NULL;
	int missing;
	if (prep(db, "SELECT remediation FROM outcomes WHERE case_id=? AND analysis=?"
		 " AND source='import'", &s, &missing) != KB_OK || missing)
		return NULL;
	sqlite3_bind_text(s, 1, case_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 2, analysis);
	char *r = NULL;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		r = xstrdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return r;
}

kb_status kb_outcome_set(kb_db *db, const char *case_id, int analysis, outcome_kind k,
			 const char *note)
{
	if (!kb_int_writable(db))
		return KB_INVALID;
	long n = 0;
	kb_status st = count_analyses(db, case_id, &n);
	if (st != KB_OK)
		return st;
	if (n < 0 || analysis >= (int)n || (analysis >= 0 && n == 0))
		return KB_NOT_FOUND;
	st = kb_int_exec(db, "SAVEPOINT outcome_set");
	int from = analysis >= 0 ? analysis : (n ? 0 : -1);
	int to = analysis >= 0 ? analysis : (n ? (int)n - 1 : -1);
	for (int i = from; i <= to && st == KB_OK; i++) {
		char *rem = import_remediation(db, case_id, i);
		st = put_row(db, case_id, i, "manual", k, rem, note);
		free(rem);
	}
	kb_int_exec(db, st == KB_OK ? "RELEASE outcome_set" : "ROLLBACK TO outcome_set; RELEASE outcome_set");
	return st;
}

void kb_outcomes_free(kb_outcome *o, size_t n)
{
	for (size_t i = 0; o && i < n; i++) {
		free(o[i].remediation);
		free(o[i].source);
		free(o[i].note);
		free(o[i].set_at);
	}
	free(o);
}

static char *col(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? xstrdup((const char *)t) : NULL;
}

kb_status kb_outcome_get(kb_db *db, const char *case_id, kb_outcome **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *s = db->st[ST_SEL_OUTCOMES];
	if (!s) {
		/* import rows first, so a manual row of the same analysis replaces it */
		const char *q = "SELECT analysis, outcome, remediation, source, note, set_at"
				" FROM outcomes WHERE case_id=? ORDER BY analysis, source='manual'";
		sqlite3 *h = kb_int_sql(db);
		if (!h)
			return KB_INVALID;
		int rc = sqlite3_prepare_v3(h, q, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
		if (rc != SQLITE_OK) {
			if (strstr(sqlite3_errmsg(h), "no such table"))
				return KB_OK; /* written before outcomes were kept: none */
			return kb_int_sql_fail(db, rc, "cannot read outcomes");
		}
		db->st[ST_SEL_OUTCOMES] = s; /* finalized by kb_close */
	}
	sqlite3_bind_text(s, 1, case_id, -1, SQLITE_TRANSIENT);
	kb_outcome *o = NULL;
	size_t cnt = 0, cap = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		int a = sqlite3_column_int(s, 0);
		kb_outcome row = {.analysis = a};
		char *kind = col(s, 1);
		if (outcome_parse(kind, &row.outcome) < 0)
			row.outcome = OUTCOME_UNKNOWN;
		free(kind);
		row.remediation = col(s, 2);
		row.source = col(s, 3);
		row.note = col(s, 4);
		row.set_at = col(s, 5);
		if (cnt && o[cnt - 1].analysis == a) {
			kb_outcome *prev = &o[cnt - 1];
			if (!row.remediation) {
				row.remediation = prev->remediation;
				prev->remediation = NULL;
			}
			free(prev->remediation);
			free(prev->source);
			free(prev->note);
			free(prev->set_at);
			*prev = row;
			continue;
		}
		XGROW(o, cap, cnt + 1);
		o[cnt++] = row;
	}
	/* kept for the next call; reset, it holds no read transaction */
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	*out = o;
	*n = cnt;
	return KB_OK;
}

kb_status kb_outcome_of(kb_db *db, const char *case_id, int analysis, outcome_kind *k,
			char **remediation, int *manual)
{
	*k = OUTCOME_UNKNOWN;
	if (manual)
		*manual = 0;
	if (remediation)
		*remediation = NULL;
	kb_outcome *o = NULL;
	size_t n = 0;
	kb_status st = kb_outcome_get(db, case_id, &o, &n);
	if (st != KB_OK)
		return st;
	const kb_outcome *pick = NULL;
	for (size_t i = 0; i < n; i++) {
		if (analysis >= 0) {
			if (o[i].analysis == analysis)
				pick = &o[i];
		} else if (!pick || (pick->outcome != OUTCOME_RESOLVED &&
				     (o[i].outcome == OUTCOME_RESOLVED ||
				      (o[i].outcome == OUTCOME_NOT_RESOLVED && pick->outcome == OUTCOME_UNKNOWN)))) {
			pick = &o[i];
		}
	}
	if (pick) {
		*k = pick->outcome;
		if (remediation)
			*remediation = xstrdup(pick->remediation);
		if (manual)
			*manual = pick->source && !strcmp(pick->source, "manual");
	}
	kb_outcomes_free(o, n);
	return KB_OK;
}

static void add_name(char ***names, size_t *n, size_t *cap, const char *s, size_t len)
{
	while (len && (*s == ' ' || *s == '"' || *s == '\''))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '"' || s[len - 1] == '\''))
		len--;
	if (len < 2)
		return;
	for (size_t i = 0; i < *n; i++)
		if (strlen((*names)[i]) == len && !strncmp((*names)[i], s, len))
			return;
	XGROW(*names, *cap, *n + 1);
	(*names)[(*n)++] = xstrndup(s, len);
}

kb_status kb_people(kb_db *db, char ***names, size_t *n)
{
	*names = NULL;
	*n = 0;
	sqlite3_stmt *s = NULL;
	kb_status st = prep(db, "SELECT DISTINCT sender FROM messages WHERE sender IS NOT NULL"
			    " UNION SELECT DISTINCT customer FROM cases WHERE customer IS NOT NULL", &s, NULL);
	if (st != KB_OK)
		return st;
	size_t cap = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(s, 0);
		if (!v)
			continue;
		/* "Name <addr>", "addr", "Name" */
		const char *lt = strchr(v, '<');
		const char *at = strchr(v, '@');
		if (lt)
			add_name(names, n, &cap, v, (size_t)(lt - v));
		else if (at)
			add_name(names, n, &cap, v, (size_t)(at - v));
		else
			add_name(names, n, &cap, v, strlen(v));
	}
	sqlite3_finalize(s);
	return KB_OK;
}

/* ---- replies ---- */

#define REPLY_COLS "id, message_id, mailbox, from_addr, to_addr, subject, refs, lang, rule," \
		   " body, gate, state, note, out_message_id, created_at, updated_at"

static void reply_from_row(sqlite3_stmt *s, kb_reply *r)
{
	r->id = (long)sqlite3_column_int64(s, 0);
	char **f[] = {&r->message_id, &r->mailbox, &r->from_addr, &r->to_addr, &r->subject, &r->refs,
		      &r->lang, &r->rule, &r->body, &r->gate, &r->state, &r->note, &r->out_message_id,
		      &r->created_at, &r->updated_at};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(f); i++)
		*f[i] = col(s, (int)i + 1);
}

void kb_reply_free(kb_reply *r)
{
	kb_replies_free(r, r ? 1 : 0);
}

void kb_replies_free(kb_reply *r, size_t n)
{
	for (size_t i = 0; r && i < n; i++) {
		char *f[] = {r[i].message_id, r[i].mailbox, r[i].from_addr, r[i].to_addr, r[i].subject,
			     r[i].refs, r[i].lang, r[i].rule, r[i].body, r[i].gate, r[i].state, r[i].note,
			     r[i].out_message_id, r[i].created_at, r[i].updated_at};
		for (size_t k = 0; k < PMKB_ARRAY_LEN(f); k++)
			free(f[k]);
	}
	free(r);
}

kb_status kb_reply_find(kb_db *db, const char *message_id, long *id)
{
	*id = 0;
	sqlite3_stmt *s = NULL;
	int missing = 0;
	kb_status st = prep(db, "SELECT id FROM replies WHERE message_id=?", &s, &missing);
	if (st != KB_OK || missing)
		return st;
	sqlite3_bind_text(s, 1, message_id, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) == SQLITE_ROW)
		*id = (long)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return KB_OK;
}

kb_status kb_reply_add(kb_db *db, kb_reply *r)
{
	if (!kb_int_writable(db))
		return KB_INVALID;
	long existing = 0;
	kb_status st = kb_reply_find(db, r->message_id, &existing);
	if (st != KB_OK)
		return st;
	if (existing) {
		r->id = existing;
		return KB_INVALID;
	}
	sqlite3_stmt *s = NULL;
	st = prep(db, "INSERT INTO replies(message_id, mailbox, from_addr, to_addr, subject, refs, lang,"
		  " rule, body, gate, state, note, out_message_id, created_at, updated_at)"
		  " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", &s, NULL);
	if (st != KB_OK)
		return st;
	char now[32];
	now_iso(now);
	const char *v[] = {r->message_id, r->mailbox, r->from_addr, r->to_addr, r->subject, r->refs,
			   r->lang, r->rule, r->body, r->gate, r->state, r->note, r->out_message_id,
			   now, now};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(v); i++)
		bind_opt(s, (int)i + 1, v[i]);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return kb_int_sql_fail(db, rc, "cannot queue the reply");
	r->id = (long)sqlite3_last_insert_rowid(kb_int_sql(db));
	return KB_OK;
}

kb_status kb_reply_get(kb_db *db, long id, kb_reply **out)
{
	*out = NULL;
	sqlite3_stmt *s = NULL;
	int missing = 0;
	kb_status st = prep(db, "SELECT " REPLY_COLS " FROM replies WHERE id=?", &s, &missing);
	if (st != KB_OK)
		return st;
	if (missing)
		return KB_NOT_FOUND;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW) {
		*out = xcalloc(1, sizeof **out);
		reply_from_row(s, *out);
	}
	sqlite3_finalize(s);
	return *out ? KB_OK : KB_NOT_FOUND;
}

kb_status kb_reply_list(kb_db *db, const char *state, kb_reply **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *s = NULL;
	int missing = 0;
	kb_status st = prep(db, state ? "SELECT " REPLY_COLS " FROM replies WHERE state=? ORDER BY id"
				      : "SELECT " REPLY_COLS " FROM replies ORDER BY id", &s, &missing);
	if (st != KB_OK || missing)
		return st;
	if (state)
		sqlite3_bind_text(s, 1, state, -1, SQLITE_TRANSIENT);
	size_t cap = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		XGROW(*out, cap, *n + 1);
		memset(&(*out)[*n], 0, sizeof **out);
		reply_from_row(s, &(*out)[(*n)++]);
	}
	sqlite3_finalize(s);
	return KB_OK;
}

kb_status kb_reply_update(kb_db *db, long id, const char *state, const char *body,
			  const char *note, const char *out_message_id)
{
	if (!kb_int_writable(db))
		return KB_INVALID;
	sqlite3_stmt *s = NULL;
	kb_status st = prep(db, "UPDATE replies SET state=?, body=coalesce(?, body), note=coalesce(?, note),"
			    " out_message_id=coalesce(?, out_message_id), updated_at=? WHERE id=?", &s, NULL);
	if (st != KB_OK)
		return st;
	char now[32];
	now_iso(now);
	bind_opt(s, 1, state);
	bind_opt(s, 2, body);
	bind_opt(s, 3, note);
	bind_opt(s, 4, out_message_id);
	sqlite3_bind_text(s, 5, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 6, id);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return kb_int_sql_fail(db, rc, "cannot update the reply");
	return sqlite3_changes(kb_int_sql(db)) ? KB_OK : KB_NOT_FOUND;
}

static kb_status backfill_outcomes(kb_db *db)
{
	sqlite3_stmt *s = NULL;
	char **ids = NULL;
	size_t n = 0, cap = 0;
	kb_status st = prep(db, "SELECT id FROM cases", &s, NULL);
	if (st != KB_OK)
		return st;
	while (sqlite3_step(s) == SQLITE_ROW) {
		XGROW(ids, cap, n + 1);
		ids[n++] = col(s, 0);
	}
	sqlite3_finalize(s);
	st = n ? kb_int_exec(db, "SAVEPOINT backfill") : KB_OK;
	for (size_t i = 0; i < n && st == KB_OK; i++) {
		pm_case *c = NULL;
		st = kb_get_case(db, ids[i], &c);
		if (st == KB_OK)
			st = kb_outcome_import(db, c);
		pm_case_free(c);
	}
	if (n)
		kb_int_exec(db, st == KB_OK ? "RELEASE backfill" : "ROLLBACK TO backfill; RELEASE backfill");
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	return st;
}
