/* store.c - the SQLite reads and writes of cases (kb.h): a case stored
 * in one transaction, then its index document (index.c); a stored case
 * read back whole; signatures, state and the origin of a case. kb.c
 * describes the schema and the order of commits. Calls index.c and
 * core.c. */
#include "kb.h"
#include "kb-int.h"
#include "xapian-shim.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Tables holding rows of one case, cleared before a case is (re)stored. */
static const char *case_tables[] = {
	"cases", "messages", "notes", "analyses", "analysis_frames", "analysis_modules",
	"analysis_pooltags", "analysis_locals", "signatures", "sig_frames", "sig_modules",
	"sig_pooltags", "attachments",
};
#define NCASE_TABLES PMKB_ARRAY_LEN(case_tables)
_Static_assert(NCASE_TABLES == KB_NCASE_TABLES, "KB_NCASE_TABLES (kb-int.h) counts case_tables");

const char *const *kb_int_case_tables(size_t *n)
{
	*n = NCASE_TABLES;
	return case_tables;
}

static const char *stmt_sql[ST_DEL_FIRST] = {
	[ST_INS_CASE] = "INSERT INTO cases(id,title,customer,priority,status,refs,first_date,"
			"last_date,source,format,redactions,imported_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
	[ST_INS_MSG] = "INSERT INTO messages(case_id,idx,sender,sent,subject,message_id,body)"
		       " VALUES(?,?,?,?,?,?,?)",
	[ST_INS_NOTE] = "INSERT INTO notes(case_id,idx,message,kind,text) VALUES(?,?,?,?,?)",
	[ST_INS_AN] = "INSERT INTO analyses(case_id,idx,message,dump_name,span_start,span_end,hash,"
		      "bugcheck_code,bugcheck_name,arg1,arg2,arg3,arg4,arg_desc1,arg_desc2,arg_desc3,"
		      "arg_desc4,process,irql,failure_bucket,default_bucket,os_build,exception_code,"
		      "fault_ip,image,machine,registers,source,evidence)"
		      " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[ST_INS_AFRAME] = "INSERT INTO analysis_frames(case_id,analysis,idx,module,function,offset,"
			  "address,is_inline) VALUES(?,?,?,?,?,?,?,?)",
	[ST_INS_AMOD] = "INSERT INTO analysis_modules(case_id,analysis,idx,name,start,end_addr,"
			"image_path,timestamp,checksum,image_size) VALUES(?,?,?,?,?,?,?,?,?,?)",
	[ST_INS_APOOL] = "INSERT INTO analysis_pooltags(case_id,analysis,idx,tag,owner) VALUES(?,?,?,?,?)",
	[ST_INS_ALOCAL] = "INSERT INTO analysis_locals(case_id,analysis,idx,name,value) VALUES(?,?,?,?,?)",
	[ST_INS_SIG] = "INSERT INTO signatures(case_id,analysis,text,bugcheck,summary) VALUES(?,?,?,?,?)",
	[ST_INS_SFRAME] = "INSERT INTO sig_frames(case_id,analysis,idx,key,module,function,offset,"
			  "third_party,skip) VALUES(?,?,?,?,?,?,?,?,?)",
	[ST_INS_SMOD] = "INSERT OR IGNORE INTO sig_modules(case_id,analysis,module,third_party)"
			" VALUES(?,?,?,?)",
	[ST_INS_SPOOL] = "INSERT INTO sig_pooltags(case_id,analysis,idx,tag,owner) VALUES(?,?,?,?,?)",
	[ST_INS_ATT] = "INSERT INTO attachments(case_id,idx,message,filename,content_type,size)"
		       " VALUES(?,?,?,?,?,?)",
	[ST_INS_PENDING] = "INSERT OR IGNORE INTO pending_index(case_id) VALUES(?)",
	[ST_DEL_PENDING] = "DELETE FROM pending_index WHERE case_id=?",
};

/* ------------------------------------------------------------------ */
/* prepared statements */

static sqlite3_stmt *stmt(kb_db *db, int which)
{
	if (!db->st[which]) {
		char sql[128];
		const char *text = stmt_sql[which < ST_DEL_FIRST ? which : 0];
		if (which >= ST_DEL_FIRST) {
			const char *t = case_tables[which - ST_DEL_FIRST];
			snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s=?", t,
				 strcmp(t, "cases") == 0 ? "id" : "case_id");
			text = sql;
		}
		if (sqlite3_prepare_v3(db->sql, text, -1, SQLITE_PREPARE_PERSISTENT, &db->st[which], NULL) !=
		    SQLITE_OK)
			return NULL;
	}
	sqlite3_reset(db->st[which]);
	sqlite3_clear_bindings(db->st[which]);
	return db->st[which];
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}


/* ------------------------------------------------------------------ */
/* re-indexing a stored case */

/* Load the case id from SQLite and index it (repair, reindex). The
 * document of a case missing from SQLite (removed by kb_rm_case, or lost
 * with a commit that was not durable) is deleted: the index never keeps a
 * case SQLite does not hold. */
kb_status kb_int_index_case(kb_db *db, const char *id)
{
	pm_case *c = NULL;
	kb_status st = kb_get_case(db, id, &c);
	if (st == KB_NOT_FOUND)
		return xs_delete(db->xs, id, db->err, sizeof db->err);
	if (st != KB_OK)
		return st;
	pm_signature *sigs = xcalloc(c->nanalyses + 1, sizeof *sigs);
	char **texts = xcalloc(c->nanalyses + 1, sizeof *texts);
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db->sql, "SELECT analysis, text FROM signatures WHERE case_id=?", -1, &s,
			       NULL) == SQLITE_OK) {
		sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
		while (sqlite3_step(s) == SQLITE_ROW) {
			int a = sqlite3_column_int(s, 0);
			if (a >= 0 && (size_t)a < c->nanalyses && !texts[a])
				texts[a] = kb_int_col_text(s, 1);
		}
	}
	sqlite3_finalize(s);
	for (size_t i = 0; i < c->nanalyses; i++) {
		/* The stored text is the truth; an unreadable one (older
		 * serialisation) is rebuilt from the stored analysis. */
		if (!texts[i] || sig_parse(texts[i], &sigs[i]) != 0 || sigs[i].version < SIG_VERSION) {
			/* an older serialisation (no culprit) is rebuilt too */
			int old = texts[i] && sigs[i].version && sigs[i].version < SIG_VERSION;
			sig_clear(&sigs[i]);
			sig_build(&c->analyses[i], &sigs[i], NULL);
			if (old) {
				free(texts[i]);
				texts[i] = NULL;
			}
			if (old && db->mode == KB_WRITE) {
				/* the case store gets the rebuilt signature too */
				sbuf sb = {0};
				sig_serialize(&sigs[i], &sb);
				sqlite3_stmt *u = NULL;
				if (sqlite3_prepare_v2(db->sql, "UPDATE signatures SET text=?, summary=? WHERE case_id=? AND analysis=?",
						       -1, &u, NULL) == SQLITE_OK) {
					sqlite3_bind_text(u, 1, sb_str(&sb), -1, SQLITE_TRANSIENT);
					sqlite3_bind_text(u, 2, sigs[i].text, -1, SQLITE_TRANSIENT);
					sqlite3_bind_text(u, 3, id, -1, SQLITE_STATIC);
					sqlite3_bind_int(u, 4, (int)i);
					sqlite3_step(u);
				}
				sqlite3_finalize(u);
				texts[i] = sb_detach(&sb);
			}
			if (!texts[i]) {
				sbuf sb = {0};
				sig_serialize(&sigs[i], &sb);
				texts[i] = sb_detach(&sb);
			}
		}
	}
	st = kb_int_index_doc(db, c, sigs, texts);
	for (size_t i = 0; i < c->nanalyses; i++) {
		sig_clear(&sigs[i]);
		free(texts[i]);
	}
	free(sigs);
	free(texts);
	pm_case_free(c);
	return st;
}

/* ------------------------------------------------------------------ */
/* writing */

#define STEP_OR_FAIL(s, what)                                                     \
	do {                                                                      \
		int rc_ = sqlite3_step(s);                                        \
		if (rc_ != SQLITE_DONE) {                                         \
			st = kb_int_sql_fail(db, rc_, what);                             \
			goto fail;                                                \
		}                                                                 \
	} while (0)

#define PREP(var, which)                                                          \
	do {                                                                      \
		var = stmt(db, which);                                            \
		if (!var) {                                                       \
			st = kb_int_sql_fail(db, sqlite3_errcode(db->sql), "cannot prepare"); \
			goto fail;                                                \
		}                                                                 \
	} while (0)

/* Insert the rows of c (its old rows already deleted). */
static kb_status insert_case(kb_db *db, const pm_case *c, const pm_signature *sigs, char **sigtext)
{
	kb_status st = KB_OK;
	sqlite3_stmt *s;
	const char *id = c->id;

	for (size_t t = 0; t < NCASE_TABLES; t++) {
		PREP(s, ST_DEL_FIRST + (int)t);
		bind_text(s, 1, id);
		STEP_OR_FAIL(s, "cannot delete the old case");
	}

	char now[32];
	time_t tt = time(NULL);
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
	PREP(s, ST_INS_CASE);
	bind_text(s, 1, id);
	bind_text(s, 2, c->title);
	bind_text(s, 3, c->customer);
	bind_text(s, 4, c->priority);
	bind_text(s, 5, c->status);
	bind_text(s, 6, c->refs);
	bind_text(s, 7, c->first_date);
	bind_text(s, 8, c->last_date);
	bind_text(s, 9, c->source);
	bind_text(s, 10, c->format);
	sqlite3_bind_int(s, 11, c->redactions);
	bind_text(s, 12, now);
	STEP_OR_FAIL(s, "cannot store the case");

	for (size_t i = 0; i < c->nmessages; i++) {
		const pm_message *m = &c->messages[i];
		PREP(s, ST_INS_MSG);
		bind_text(s, 1, id);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
		bind_text(s, 3, m->sender);
		bind_text(s, 4, m->sent);
		bind_text(s, 5, m->subject);
		bind_text(s, 6, m->message_id);
		bind_text(s, 7, m->body);
		STEP_OR_FAIL(s, "cannot store a message");
	}
	for (size_t i = 0; i < c->nnotes; i++) {
		const pm_note *n = &c->notes[i];
		PREP(s, ST_INS_NOTE);
		bind_text(s, 1, id);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
		sqlite3_bind_int(s, 3, n->message);
		bind_text(s, 4, n->kind ? n->kind : "");
		bind_text(s, 5, n->text);
		STEP_OR_FAIL(s, "cannot store a note");
	}
	for (size_t i = 0; i < c->nattachments; i++) {
		const pm_attachment *a = &c->attachments[i];
		PREP(s, ST_INS_ATT);
		bind_text(s, 1, id);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
		sqlite3_bind_int(s, 3, a->message);
		bind_text(s, 4, a->filename);
		bind_text(s, 5, a->content_type);
		sqlite3_bind_int64(s, 6, (sqlite3_int64)a->size);
		STEP_OR_FAIL(s, "cannot store an attachment");
	}
	for (size_t i = 0; i < c->nanalyses; i++) {
		const pm_analysis *a = &c->analyses[i];
		sqlite3_int64 ai = (sqlite3_int64)i;
		PREP(s, ST_INS_AN);
		int k = 1;
		bind_text(s, k++, id);
		sqlite3_bind_int64(s, k++, ai);
		sqlite3_bind_int(s, k++, a->message);
		bind_text(s, k++, a->dump_name);
		sqlite3_bind_int64(s, k++, (sqlite3_int64)a->span_start);
		sqlite3_bind_int64(s, k++, (sqlite3_int64)a->span_end);
		bind_text(s, k++, a->hash);
		bind_text(s, k++, a->bugcheck_code);
		bind_text(s, k++, a->bugcheck_name);
		for (int j = 0; j < 4; j++)
			bind_text(s, k++, a->args[j]);
		for (int j = 0; j < 4; j++)
			bind_text(s, k++, a->arg_desc[j]);
		bind_text(s, k++, a->process);
		bind_text(s, k++, a->irql);
		bind_text(s, k++, a->failure_bucket);
		bind_text(s, k++, a->default_bucket);
		bind_text(s, k++, a->os_build);
		bind_text(s, k++, a->exception_code);
		bind_text(s, k++, a->fault_ip);
		bind_text(s, k++, a->image);
		bind_text(s, k++, a->machine);
		bind_text(s, k++, a->registers);
		bind_text(s, k++, a->source);
		bind_text(s, k++, a->evidence);
		STEP_OR_FAIL(s, "cannot store an analysis");
		for (size_t j = 0; j < a->nframes; j++) {
			const pm_frame *f = &a->frames[j];
			PREP(s, ST_INS_AFRAME);
			bind_text(s, 1, id);
			sqlite3_bind_int64(s, 2, ai);
			sqlite3_bind_int64(s, 3, (sqlite3_int64)j);
			bind_text(s, 4, f->module);
			bind_text(s, 5, f->function);
			bind_text(s, 6, f->offset);
			bind_text(s, 7, f->address);
			sqlite3_bind_int(s, 8, f->is_inline);
			STEP_OR_FAIL(s, "cannot store a frame");
		}
		for (size_t j = 0; j < a->nmodules; j++) {
			const pm_module *m = &a->modules[j];
			PREP(s, ST_INS_AMOD);
			bind_text(s, 1, id);
			sqlite3_bind_int64(s, 2, ai);
			sqlite3_bind_int64(s, 3, (sqlite3_int64)j);
			bind_text(s, 4, m->name);
			bind_text(s, 5, m->start);
			bind_text(s, 6, m->end);
			bind_text(s, 7, m->image_path);
			bind_text(s, 8, m->timestamp);
			bind_text(s, 9, m->checksum);
			bind_text(s, 10, m->image_size);
			STEP_OR_FAIL(s, "cannot store a module");
		}
		for (size_t j = 0; j < a->npool_tags; j++) {
			PREP(s, ST_INS_APOOL);
			bind_text(s, 1, id);
			sqlite3_bind_int64(s, 2, ai);
			sqlite3_bind_int64(s, 3, (sqlite3_int64)j);
			bind_text(s, 4, a->pool_tags[j].tag);
			bind_text(s, 5, a->pool_tags[j].owner);
			STEP_OR_FAIL(s, "cannot store a pool tag");
		}
		for (size_t j = 0; j < a->nlocals; j++) {
			PREP(s, ST_INS_ALOCAL);
			bind_text(s, 1, id);
			sqlite3_bind_int64(s, 2, ai);
			sqlite3_bind_int64(s, 3, (sqlite3_int64)j);
			bind_text(s, 4, a->locals[j].name);
			bind_text(s, 5, a->locals[j].value);
			STEP_OR_FAIL(s, "cannot store a local");
		}

		const pm_signature *g = &sigs[i];
		PREP(s, ST_INS_SIG);
		bind_text(s, 1, id);
		sqlite3_bind_int64(s, 2, ai);
		bind_text(s, 3, sigtext[i] ? sigtext[i] : "");
		bind_text(s, 4, g->bugcheck);
		bind_text(s, 5, g->text);
		STEP_OR_FAIL(s, "cannot store a signature");
		for (size_t j = 0; j < g->nframes; j++) {
			const sig_frame *f = &g->frames[j];
			PREP(s, ST_INS_SFRAME);
			bind_text(s, 1, id);
			sqlite3_bind_int64(s, 2, ai);
			sqlite3_bind_int64(s, 3, (sqlite3_int64)j);
			bind_text(s, 4, f->key);
			bind_text(s, 5, f->module);
			bind_text(s, 6, f->function);
			bind_text(s, 7, f->offset);
			sqlite3_bind_int(s, 8, f->third_party);
			bind_text(s, 9, f->skip);
			STEP_OR_FAIL(s, "cannot store a signature frame");
		}
		for (size_t j = 0; j < g->nmodules; j++) {
			if (!g->modules[j])
				continue;
			int tp = 0;
			for (size_t q = 0; q < g->nthird_party; q++)
				if (g->third_party[q] && strcmp(g->third_party[q], g->modules[j]) == 0)
					tp = 1;
			PREP(s, ST_INS_SMOD);
			bind_text(s, 1, id);
			sqlite3_bind_int64(s, 2, ai);
			bind_text(s, 3, g->modules[j]);
			sqlite3_bind_int(s, 4, tp);
			STEP_OR_FAIL(s, "cannot store a signature module");
		}
		for (size_t j = 0; j < g->npool_tags; j++) {
			PREP(s, ST_INS_SPOOL);
			bind_text(s, 1, id);
			sqlite3_bind_int64(s, 2, ai);
			sqlite3_bind_int64(s, 3, (sqlite3_int64)j);
			bind_text(s, 4, g->pool_tags[j].tag);
			bind_text(s, 5, g->pool_tags[j].owner);
			STEP_OR_FAIL(s, "cannot store a signature pool tag");
		}
	}
	PREP(s, ST_INS_PENDING);
	bind_text(s, 1, id);
	STEP_OR_FAIL(s, "cannot mark the case for indexing");
	return KB_OK;
fail:
	return st;
}

/* Commit the batch: SQLite first (cases and their pending_index rows
 * become durable together), then the index, then clear pending_index.
 * Killed anywhere in between, the next writable open re-indexes the
 * pending cases. */
static kb_status flush_batch(kb_db *db)
{
	kb_status st = KB_OK;
	if (db->in_txn) {
		st = kb_int_exec(db, "COMMIT");
		if (st != KB_OK) {
			sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
			db->in_txn = 0;
			return st;
		}
		db->in_txn = 0;
		db->sql_commits++;
		/* Test hook (tests/cli/T024): die like kill -9 in the window
		 * between the SQLite commit and the index commit. */
		if (db->crash_after > 0 && db->sql_commits >= db->crash_after)
			raise(SIGKILL);
	}
	if (db->batch_n > 0) {
		st = xs_commit(db->xs, db->err, sizeof db->err);
		if (st == KB_OK)
			st = kb_int_exec(db, "DELETE FROM pending_index");
	}
	db->batch_n = 0;
	return st;
}

kb_status kb_put_case(kb_db *db, const pm_case *c, const pm_signature *given)
{
	if (!db || !c)
		return KB_INVALID;
	db->err[0] = '\0';
	if (db->mode != KB_WRITE)
		return kb_int_fail(db, KB_INVALID, "knowledge base opened read-only");
	if (!c->id || !*c->id)
		return kb_int_fail(db, KB_INVALID, "case without id");
	if (strlen(c->id) > 1000)
		return kb_int_fail(db, KB_INVALID, "case id longer than 1000 bytes");

	pm_signature *built = NULL;
	const pm_signature *sigs = given;
	if (!sigs && c->nanalyses > 0) {
		built = xcalloc(c->nanalyses, sizeof *built);
		for (size_t i = 0; i < c->nanalyses; i++)
			sig_build(&c->analyses[i], &built[i], NULL);
		sigs = built;
	}
	char **sigtext = xcalloc(c->nanalyses + 1, sizeof *sigtext);
	for (size_t i = 0; i < c->nanalyses; i++) {
		sbuf sb = {0};
		sig_serialize(&sigs[i], &sb);
		sigtext[i] = sb_detach(&sb);
	}

	kb_status st;
	if (db->batch) {
		if (!db->in_txn) {
			st = kb_int_exec(db, "BEGIN IMMEDIATE");
			if (st != KB_OK)
				goto out;
			db->in_txn = 1;
		}
		st = kb_int_exec(db, "SAVEPOINT put_case");
	} else {
		st = kb_int_exec(db, "BEGIN IMMEDIATE");
	}
	if (st != KB_OK)
		goto out;
	st = insert_case(db, c, sigs, sigtext);
	if (st != KB_OK) {
		char keep[sizeof db->err];
		memcpy(keep, db->err, sizeof keep);
		if (db->batch)
			sqlite3_exec(db->sql, "ROLLBACK TO put_case; RELEASE put_case", NULL, NULL, NULL);
		else
			sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
		memcpy(db->err, keep, sizeof keep);
		goto out;
	}
	st = kb_int_exec(db, db->batch ? "RELEASE put_case" : "COMMIT");
	if (st != KB_OK) {
		sqlite3_exec(db->sql, db->batch ? "ROLLBACK TO put_case; RELEASE put_case" : "ROLLBACK",
			     NULL, NULL, NULL);
		goto out;
	}
	if (!db->batch)
		db->sql_commits++;
	st = kb_int_index_doc(db, c, sigs, sigtext);
	if (st != KB_OK)
		goto out; /* the pending_index row stays: repaired at the next open */
	if (db->batch) {
		db->batch_n++;
		if (db->batch_n >= db->batch_size)
			st = flush_batch(db);
	} else {
		if (db->crash_after > 0 && db->sql_commits >= db->crash_after)
			raise(SIGKILL);
		st = xs_commit(db->xs, db->err, sizeof db->err);
		if (st == KB_OK) {
			sqlite3_stmt *s = stmt(db, ST_DEL_PENDING);
			if (s) {
				bind_text(s, 1, c->id);
				sqlite3_step(s);
				sqlite3_reset(s);
			}
		}
	}
out:
	for (size_t i = 0; i < c->nanalyses; i++)
		free(sigtext[i]);
	free(sigtext);
	if (built) {
		for (size_t i = 0; i < c->nanalyses; i++)
			sig_clear(&built[i]);
		free(built);
	}
	return st;
}

kb_status kb_begin_batch(kb_db *db)
{
	if (db->mode != KB_WRITE)
		return kb_int_fail(db, KB_INVALID, "knowledge base opened read-only");
	db->batch = 1;
	return KB_OK;
}

kb_status kb_commit(kb_db *db)
{
	if (db->mode != KB_WRITE)
		return KB_OK;
	kb_status st = flush_batch(db);
	db->batch = 0;
	return st;
}

/* ------------------------------------------------------------------ */
/* reading */

/* A read of case id stopped by SQLite error rc: KB_INTERNAL with the
 * reason (KB_LOCKED, KB_NOMEM or KB_CORRUPT when it is one of those),
 * never part of a case. */
static kb_status read_fail(kb_db *db, int rc, const char *id)
{
	kb_status st = kb_int_sql_status(rc);
	if (st != KB_LOCKED && st != KB_NOMEM && st != KB_CORRUPT)
		st = KB_INTERNAL;
	return kb_int_fail(db, st, "cannot read case '%.200s' from kb.sqlite: %s", id, sqlite3_errstr(rc));
}

kb_status kb_get_case(kb_db *db, const char *id, pm_case **out)
{
	*out = NULL;
	if (!id)
		return KB_INVALID;
	NEED_SQL(db);
	sqlite3_stmt *s = NULL;
	kb_status st = KB_OK;
	int rc = kb_int_prepare(db,
				"SELECT id,title,customer,priority,status,refs,first_date,last_date,"
				"source,format,redactions FROM cases WHERE id=?",
				&s);
	if (rc != SQLITE_OK)
		return kb_int_sql_fail(db, rc, "cannot read cases");
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		kb_int_done(db, s);
		if (rc == SQLITE_DONE)
			return kb_int_fail(db, KB_NOT_FOUND, "no case '%s'", id);
		return kb_int_sql_fail(db, rc, "cannot read cases");
	}
	pm_case *c = pm_case_new();
	c->id = kb_int_col_text(s, 0);
	c->title = kb_int_col_text(s, 1);
	c->customer = kb_int_col_text(s, 2);
	c->priority = kb_int_col_text(s, 3);
	c->status = kb_int_col_text(s, 4);
	c->refs = kb_int_col_text(s, 5);
	c->first_date = kb_int_col_text(s, 6);
	c->last_date = kb_int_col_text(s, 7);
	c->source = kb_int_col_text(s, 8);
	c->format = kb_int_col_text(s, 9);
	c->redactions = sqlite3_column_int(s, 10);
	kb_int_done(db, s);

/* A read that stops on an error (a damaged page) fails the whole case:
 * never a case with part of its rows. */
#define END_QUERY()                                                                \
	do {                                                                       \
		kb_int_done(db, s);                                                \
		s = NULL;                                                          \
		if (rc != SQLITE_DONE) {                                           \
			st = read_fail(db, rc, id);                                \
			goto fail;                                                 \
		}                                                                  \
	} while (0)
#define QUERY(text)                                                                \
	do {                                                                       \
		s = NULL;                                                          \
		rc = kb_int_prepare(db, text, &s);                                 \
		if (rc != SQLITE_OK) {                                             \
			st = kb_int_sql_fail(db, rc, "cannot read the case");             \
			goto fail;                                                 \
		}                                                                  \
		sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);                    \
	} while (0)

	QUERY("SELECT sender,sent,subject,message_id,body FROM messages WHERE case_id=? ORDER BY idx");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		pm_message *m = pm_case_add_message(c);
		m->sender = kb_int_col_text(s, 0);
		m->sent = kb_int_col_text(s, 1);
		m->subject = kb_int_col_text(s, 2);
		m->message_id = kb_int_col_text(s, 3);
		m->body = kb_int_col_text(s, 4);
	}
	END_QUERY();

	QUERY("SELECT message,kind,text FROM notes WHERE case_id=? ORDER BY idx");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		pm_case_add_note(c, sqlite3_column_int(s, 0), (const char *)sqlite3_column_text(s, 1),
				 (const char *)sqlite3_column_text(s, 2));
	END_QUERY();

	QUERY("SELECT message,filename,content_type,size FROM attachments WHERE case_id=? ORDER BY idx");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		pm_attachment *a = pm_case_add_attachment(c);
		a->message = sqlite3_column_int(s, 0);
		a->filename = kb_int_col_text(s, 1);
		a->content_type = kb_int_col_text(s, 2);
		a->size = (size_t)sqlite3_column_int64(s, 3);
	}
	END_QUERY();

	QUERY("SELECT message,dump_name,span_start,span_end,hash,bugcheck_code,bugcheck_name,"
	      "arg1,arg2,arg3,arg4,arg_desc1,arg_desc2,arg_desc3,arg_desc4,process,irql,"
	      "failure_bucket,default_bucket,os_build,exception_code,fault_ip,image,machine,"
	      "registers,source,evidence FROM analyses WHERE case_id=? ORDER BY idx");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		pm_analysis *a = pm_case_add_analysis(c);
		int k = 0;
		a->message = sqlite3_column_int(s, k++);
		a->dump_name = kb_int_col_text(s, k++);
		a->span_start = (size_t)sqlite3_column_int64(s, k++);
		a->span_end = (size_t)sqlite3_column_int64(s, k++);
		const unsigned char *h = sqlite3_column_text(s, k++);
		if (h)
			snprintf(a->hash, sizeof a->hash, "%s", (const char *)h);
		a->bugcheck_code = kb_int_col_text(s, k++);
		a->bugcheck_name = kb_int_col_text(s, k++);
		for (int j = 0; j < 4; j++)
			a->args[j] = kb_int_col_text(s, k++);
		for (int j = 0; j < 4; j++)
			a->arg_desc[j] = kb_int_col_text(s, k++);
		a->process = kb_int_col_text(s, k++);
		a->irql = kb_int_col_text(s, k++);
		a->failure_bucket = kb_int_col_text(s, k++);
		a->default_bucket = kb_int_col_text(s, k++);
		a->os_build = kb_int_col_text(s, k++);
		a->exception_code = kb_int_col_text(s, k++);
		a->fault_ip = kb_int_col_text(s, k++);
		a->image = kb_int_col_text(s, k++);
		a->machine = kb_int_col_text(s, k++);
		a->registers = kb_int_col_text(s, k++);
		a->source = kb_int_col_text(s, k++);
		a->evidence = kb_int_col_text(s, k++);
	}
	END_QUERY();

	QUERY("SELECT analysis,module,function,offset,address,is_inline FROM analysis_frames"
	      " WHERE case_id=? ORDER BY analysis, idx");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int ai = sqlite3_column_int(s, 0);
		if (ai < 0 || (size_t)ai >= c->nanalyses)
			continue;
		pm_frame *f = pm_analysis_add_frame(&c->analyses[ai]);
		f->module = kb_int_col_text(s, 1);
		f->function = kb_int_col_text(s, 2);
		f->offset = kb_int_col_text(s, 3);
		f->address = kb_int_col_text(s, 4);
		f->is_inline = sqlite3_column_int(s, 5);
	}
	END_QUERY();

	QUERY("SELECT analysis,name,start,end_addr,image_path,timestamp,checksum,image_size"
	      " FROM analysis_modules WHERE case_id=? ORDER BY analysis, idx");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int ai = sqlite3_column_int(s, 0);
		if (ai < 0 || (size_t)ai >= c->nanalyses)
			continue;
		pm_module *m = pm_analysis_add_module(&c->analyses[ai]);
		m->name = kb_int_col_text(s, 1);
		m->start = kb_int_col_text(s, 2);
		m->end = kb_int_col_text(s, 3);
		m->image_path = kb_int_col_text(s, 4);
		m->timestamp = kb_int_col_text(s, 5);
		m->checksum = kb_int_col_text(s, 6);
		m->image_size = kb_int_col_text(s, 7);
	}
	END_QUERY();

	QUERY("SELECT analysis,tag,owner FROM analysis_pooltags WHERE case_id=? ORDER BY analysis, idx");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int ai = sqlite3_column_int(s, 0);
		if (ai < 0 || (size_t)ai >= c->nanalyses)
			continue;
		pm_pooltag *p = pm_analysis_add_pooltag(&c->analyses[ai]);
		p->tag = kb_int_col_text(s, 1);
		p->owner = kb_int_col_text(s, 2);
	}
	END_QUERY();

	QUERY("SELECT analysis,name,value FROM analysis_locals WHERE case_id=? ORDER BY analysis, idx");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int ai = sqlite3_column_int(s, 0);
		if (ai < 0 || (size_t)ai >= c->nanalyses)
			continue;
		pm_local *l = pm_analysis_add_local(&c->analyses[ai]);
		l->name = kb_int_col_text(s, 1);
		l->value = kb_int_col_text(s, 2);
	}
	END_QUERY();
#undef QUERY
#undef END_QUERY
	*out = c;
	return KB_OK;
fail:
	pm_case_free(c);
	return st;
}

kb_status kb_get_signatures(kb_db *db, const char *id, pm_signature **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	NEED_SQL(db);
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db->sql, "SELECT count(*) FROM cases WHERE id=?", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return kb_int_sql_fail(db, rc, "cannot read cases");
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	int found = rc == SQLITE_ROW && sqlite3_column_int(s, 0) > 0;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW)
		return read_fail(db, rc, id);
	if (!found)
		return kb_int_fail(db, KB_NOT_FOUND, "no case '%s'", id);
	rc = sqlite3_prepare_v2(db->sql, "SELECT text FROM signatures WHERE case_id=? ORDER BY analysis",
				-1, &s, NULL);
	if (rc != SQLITE_OK)
		return kb_int_sql_fail(db, rc, "cannot read signatures");
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	pm_signature *sigs = NULL;
	size_t cnt = 0, cap = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		XGROW(sigs, cap, cnt + 1);
		memset(&sigs[cnt], 0, sizeof sigs[cnt]);
		const char *t = (const char *)sqlite3_column_text(s, 0);
		if (sig_parse(t ? t : "", &sigs[cnt]) != 0)
			memset(&sigs[cnt], 0, sizeof sigs[cnt]);
		cnt++;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		kb_signatures_free(sigs, cnt);
		return read_fail(db, rc, id);
	}
	*out = sigs;
	*n = cnt;
	return KB_OK;
}

void kb_signatures_free(pm_signature *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sig_clear(&s[i]);
	free(s);
}

kb_status kb_case_by_message_id(kb_db *db, const char *message_id, char **case_id)
{
	*case_id = NULL;
	if (!message_id || !*message_id)
		return KB_OK;
	NEED_SQL(db);
	sqlite3_stmt *s = NULL;
	int rc = kb_int_prepare(db, "SELECT case_id FROM messages WHERE message_id=? LIMIT 1", &s);
	if (rc != SQLITE_OK)
		return kb_int_sql_fail(db, rc, "cannot read messages");
	sqlite3_bind_text(s, 1, message_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*case_id = kb_int_col_text(s, 0);
	kb_int_done(db, s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return kb_int_sql_fail(db, rc, "cannot read messages");
	return KB_OK;
}


kb_status kb_get_stats(kb_db *db, kb_stats *out)
{
	memset(out, 0, sizeof *out);
	NEED_SQL(db);
	out->cases = kb_int_count_rows(db, "SELECT count(*) FROM cases");
	out->messages = kb_int_count_rows(db, "SELECT count(*) FROM messages");
	out->analyses = kb_int_count_rows(db, "SELECT count(*) FROM analyses");
	out->notes = kb_int_count_rows(db, "SELECT count(*) FROM notes");
	out->frames = kb_int_count_rows(db, "SELECT count(*) FROM analysis_frames");
	out->modules = kb_int_count_rows(db, "SELECT count(DISTINCT module) FROM sig_modules");
	out->pool_tags = kb_int_count_rows(db, "SELECT count(DISTINCT tag) FROM sig_pooltags");
	if (out->cases < 0 || out->messages < 0 || out->analyses < 0 || out->notes < 0)
		return kb_int_sql_fail(db, sqlite3_errcode(db->sql), "cannot count");
	unsigned long nd = 0;
	kb_status st = xs_doccount(db->xs, &nd, db->err, sizeof db->err);
	out->indexed = (long)nd;
	return st;
}

kb_status kb_foreach_signature(kb_db *db, kb_sig_fn fn, void *ctx)
{
	NEED_SQL(db);
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db->sql,
				    "SELECT case_id, analysis, text FROM signatures ORDER BY case_id, analysis",
				    -1, &s, NULL);
	if (rc != SQLITE_OK)
		return kb_int_sql_fail(db, rc, "cannot read signatures");
	kb_status st = KB_OK;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		pm_signature sig;
		memset(&sig, 0, sizeof sig);
		const char *t = (const char *)sqlite3_column_text(s, 2);
		if (sig_parse(t ? t : "", &sig) != 0)
			memset(&sig, 0, sizeof sig);
		int r = fn(ctx, (const char *)sqlite3_column_text(s, 0), sqlite3_column_int(s, 1), &sig);
		sig_clear(&sig);
		if (r != 0) {
			st = (kb_status)r;
			break;
		}
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		st = kb_int_sql_fail(db, rc, "cannot read signatures");
	sqlite3_finalize(s);
	return st;
}

/* ------------------------------------------------------------------ */
/* state */

kb_status kb_state_get(kb_db *db, const char *key, char **value)
{
	*value = NULL;
	NEED_SQL(db);
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db->sql, "SELECT value FROM state WHERE key=?", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return kb_int_sql_fail(db, rc, "cannot read state");
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		*value = kb_int_col_text(s, 0);
	sqlite3_finalize(s);
	return KB_OK;
}

kb_status kb_state_set(kb_db *db, const char *key, const char *value)
{
	if (db->mode != KB_WRITE)
		return kb_int_fail(db, KB_INVALID, "knowledge base opened read-only");
	sqlite3_stmt *s = NULL;
	int rc = value ? sqlite3_prepare_v2(db->sql, "INSERT OR REPLACE INTO state(key,value) VALUES(?,?)",
					    -1, &s, NULL)
		       : sqlite3_prepare_v2(db->sql, "DELETE FROM state WHERE key=?", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return kb_int_sql_fail(db, rc, "cannot write state");
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (value)
		sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return kb_int_sql_fail(db, rc, "cannot write state");
	return KB_OK;
}

kb_status kb_case_origin(kb_db *db, const char *id, char **source, char **format)
{
	*source = *format = NULL;
	NEED_SQL(db);
	sqlite3_stmt *s = NULL;
	int rc = kb_int_prepare(db, "SELECT source, format FROM cases WHERE id=?", &s);
	if (rc != SQLITE_OK)
		return kb_int_sql_fail(db, rc, "cannot read cases");
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*source = kb_int_col_text(s, 0);
		*format = kb_int_col_text(s, 1);
	}
	kb_int_done(db, s);
	if (rc == SQLITE_DONE)
		return KB_NOT_FOUND;
	if (rc != SQLITE_ROW)
		return read_fail(db, rc, id);
	return KB_OK;
}
