/* kb.c - the knowledge base: SQLite is the source of truth, the Xapian
 * index (xapian-shim.h) is rebuilt from it at will. Implements kb.h.
 *
 * Files in the knowledge base directory:
 *   kb.sqlite   SQLite, WAL mode, PRAGMA user_version = KB_SCHEMA_VERSION
 *   xapian/     the Xapian index, metadata pmkb_schema = KB_INDEX_SCHEMA
 *
 * SQLite schema (version 1; docs/schema.md explains every column):
 *
 *   cases(id PK, title, customer, priority, status, refs, first_date,
 *         last_date, source, format, redactions, imported_at)
 *   messages(case_id, idx, sender, sent, subject, message_id, body)
 *                                            PK(case_id, idx)
 *   notes(case_id, idx, message, kind, text) PK(case_id, idx)
 *   analyses(case_id, idx, message, dump_name, span_start, span_end, hash,
 *         bugcheck_code, bugcheck_name, arg1..arg4, arg_desc1..arg_desc4,
 *         process, irql, failure_bucket, default_bucket, os_build,
 *         exception_code, fault_ip, image, machine, registers, source,
 *         evidence)                          PK(case_id, idx)
 *   analysis_frames(case_id, analysis, idx, module, function, offset,
 *         address, is_inline)                PK(case_id, analysis, idx)
 *   analysis_modules(case_id, analysis, idx, name, start, end_addr,
 *         image_path, timestamp, checksum, image_size)
 *   analysis_pooltags(case_id, analysis, idx, tag, owner)
 *   analysis_locals(case_id, analysis, idx, name, value)
 *   signatures(case_id, analysis, text, bugcheck, summary)
 *                                            PK(case_id, analysis)
 *         text = sig_serialize() output; summary = the one-line signature
 *   sig_frames(case_id, analysis, idx, key, module, function, offset,
 *         third_party, skip)
 *   sig_modules(case_id, analysis, module, third_party)
 *   sig_pooltags(case_id, analysis, idx, tag, owner)
 *   attachments(case_id, idx, message, filename, content_type, size)
 *   state(key PK, value)                     small key-value store
 *   pending_index(case_id PK)                cases stored in SQLite whose
 *         index document is not committed yet (written in the same
 *         transaction as the case, cleared after the index commit; a
 *         writable open re-indexes what it finds here)
 *
 * Writes: one SQLite transaction per case (batch: one transaction per N
 * cases with a savepoint per case) deleting the old rows of the case id
 * and inserting the new ones, so a re-import replaces; then the index
 * document; the index is committed after SQLite (synchronous=FULL: after
 * SQLite's commit is on disk), never before. One writer: kb.lock (flock).
 * The index is rebuilt beside (xapian.new) and swapped in, never cleared
 * in place; a new kb.sqlite is made as kb.sqlite.new and renamed.
 */
#define _GNU_SOURCE /* renameat2 */
#include "kb.h"
#include "kb-int.h"
#include "xapian-shim.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define KB_SCHEMA_VERSION 1
#define KB_BATCH_DEFAULT 500
#define KB_INDEX_TEXT_MAX ((size_t)4 << 20) /* text indexed per case */
#define KB_MAX_FIELD_TERMS 100000            /* field terms per case */
#define KB_QUERY_MAX_WORDS 1000              /* words of a search query */

static const char *schema_sql =
	"CREATE TABLE cases(id TEXT PRIMARY KEY, title TEXT, customer TEXT, priority TEXT,"
	" status TEXT, refs TEXT, first_date TEXT, last_date TEXT, source TEXT, format TEXT,"
	" redactions INTEGER NOT NULL DEFAULT 0, imported_at TEXT);"
	"CREATE TABLE messages(case_id TEXT NOT NULL, idx INTEGER NOT NULL, sender TEXT,"
	" sent TEXT, subject TEXT, message_id TEXT, body TEXT, PRIMARY KEY(case_id, idx));"
	"CREATE INDEX messages_message_id ON messages(message_id) WHERE message_id IS NOT NULL;"
	"CREATE TABLE notes(case_id TEXT NOT NULL, idx INTEGER NOT NULL, message INTEGER,"
	" kind TEXT NOT NULL, text TEXT, PRIMARY KEY(case_id, idx));"
	"CREATE TABLE analyses(case_id TEXT NOT NULL, idx INTEGER NOT NULL, message INTEGER,"
	" dump_name TEXT, span_start INTEGER, span_end INTEGER, hash TEXT,"
	" bugcheck_code TEXT, bugcheck_name TEXT, arg1 TEXT, arg2 TEXT, arg3 TEXT, arg4 TEXT,"
	" arg_desc1 TEXT, arg_desc2 TEXT, arg_desc3 TEXT, arg_desc4 TEXT, process TEXT,"
	" irql TEXT, failure_bucket TEXT, default_bucket TEXT, os_build TEXT,"
	" exception_code TEXT, fault_ip TEXT, image TEXT, machine TEXT, registers TEXT,"
	" source TEXT, evidence TEXT, PRIMARY KEY(case_id, idx));"
	"CREATE TABLE analysis_frames(case_id TEXT NOT NULL, analysis INTEGER NOT NULL,"
	" idx INTEGER NOT NULL, module TEXT, function TEXT, offset TEXT, address TEXT,"
	" is_inline INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(case_id, analysis, idx));"
	"CREATE TABLE analysis_modules(case_id TEXT NOT NULL, analysis INTEGER NOT NULL,"
	" idx INTEGER NOT NULL, name TEXT, start TEXT, end_addr TEXT, image_path TEXT,"
	" timestamp TEXT, checksum TEXT, image_size TEXT, PRIMARY KEY(case_id, analysis, idx));"
	"CREATE TABLE analysis_pooltags(case_id TEXT NOT NULL, analysis INTEGER NOT NULL,"
	" idx INTEGER NOT NULL, tag TEXT, owner TEXT, PRIMARY KEY(case_id, analysis, idx));"
	"CREATE TABLE analysis_locals(case_id TEXT NOT NULL, analysis INTEGER NOT NULL,"
	" idx INTEGER NOT NULL, name TEXT, value TEXT, PRIMARY KEY(case_id, analysis, idx));"
	"CREATE TABLE signatures(case_id TEXT NOT NULL, analysis INTEGER NOT NULL,"
	" text TEXT NOT NULL, bugcheck TEXT, summary TEXT, PRIMARY KEY(case_id, analysis));"
	"CREATE TABLE sig_frames(case_id TEXT NOT NULL, analysis INTEGER NOT NULL,"
	" idx INTEGER NOT NULL, key TEXT, module TEXT, function TEXT, offset TEXT,"
	" third_party INTEGER, skip TEXT, PRIMARY KEY(case_id, analysis, idx));"
	"CREATE INDEX sig_frames_key ON sig_frames(key);"
	"CREATE TABLE sig_modules(case_id TEXT NOT NULL, analysis INTEGER NOT NULL,"
	" module TEXT NOT NULL, third_party INTEGER, PRIMARY KEY(case_id, analysis, module));"
	"CREATE INDEX sig_modules_module ON sig_modules(module);"
	"CREATE TABLE sig_pooltags(case_id TEXT NOT NULL, analysis INTEGER NOT NULL,"
	" idx INTEGER NOT NULL, tag TEXT, owner TEXT, PRIMARY KEY(case_id, analysis, idx));"
	"CREATE TABLE attachments(case_id TEXT NOT NULL, idx INTEGER NOT NULL, message INTEGER,"
	" filename TEXT, content_type TEXT, size INTEGER, PRIMARY KEY(case_id, idx));"
	"CREATE TABLE state(key TEXT PRIMARY KEY, value TEXT);"
	"CREATE TABLE pending_index(case_id TEXT PRIMARY KEY);";

/* Tables holding rows of one case, cleared before a case is (re)stored. */
static const char *case_tables[] = {
	"cases", "messages", "notes", "analyses", "analysis_frames", "analysis_modules",
	"analysis_pooltags", "analysis_locals", "signatures", "sig_frames", "sig_modules",
	"sig_pooltags", "attachments",
};
#define NCASE_TABLES PMKB_ARRAY_LEN(case_tables)

const char *const *kb_int_case_tables(size_t *n)
{
	*n = NCASE_TABLES;
	return case_tables;
}

/* Prepared statements, made once per handle and reused. */
enum {
	ST_INS_CASE,
	ST_INS_MSG,
	ST_INS_NOTE,
	ST_INS_AN,
	ST_INS_AFRAME,
	ST_INS_AMOD,
	ST_INS_APOOL,
	ST_INS_ALOCAL,
	ST_INS_SIG,
	ST_INS_SFRAME,
	ST_INS_SMOD,
	ST_INS_SPOOL,
	ST_INS_ATT,
	ST_INS_PENDING,
	ST_DEL_PENDING,
	ST_DEL_FIRST, /* ST_DEL_FIRST + i deletes the rows of case_tables[i] */
	ST_COUNT = ST_DEL_FIRST + NCASE_TABLES,
};

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

struct kb_db {
	char *dir;
	kb_mode mode;
	sqlite3 *sql;
	xs_db *xs;
	sqlite3_stmt *st[ST_COUNT];
	char err[512];
	int batch;          /* inside kb_begin_batch .. kb_commit */
	int in_txn;         /* the batch's SQLite transaction is open */
	size_t batch_n;     /* cases stored since the last flush */
	size_t batch_size;  /* flush every batch_size cases */
	long crash_after;   /* test hook, see flush_batch */
	size_t nshards;     /* indexes added with kb_add_shard */
	long sql_commits;
	int lockfd;         /* kb.lock, flock'ed by a writable handle; -1 */
};

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

int kb_status_exit(kb_status st)
{
	switch (st) {
	case KB_OK: return PMKB_EX_OK;
	case KB_NOT_FOUND: return PMKB_EX_NOINPUT;
	case KB_LOCKED: return PMKB_EX_TEMPFAIL;
	case KB_VERSION: return PMKB_EX_CONFIG;
	case KB_CORRUPT: return PMKB_EX_SOFTWARE;
	case KB_BAD_QUERY: return PMKB_EX_USAGE;
	case KB_NOMEM: return PMKB_EX_SOFTWARE;
	case KB_IO: return PMKB_EX_NOINPUT;
	case KB_UNAVAILABLE: return PMKB_EX_UNAVAILABLE;
	case KB_INVALID: return PMKB_EX_DATAERR;
	case KB_INTERNAL: return PMKB_EX_SOFTWARE;
	case KB_NOSPACE: return PMKB_EX_SOFTWARE;
	}
	return PMKB_EX_SOFTWARE;
}

const char *kb_last_error(const kb_db *db)
{
	return db ? db->err : "";
}

static kb_status fail(kb_db *db, kb_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static kb_status fail(kb_db *db, kb_status st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(db->err, sizeof db->err, fmt, ap);
	va_end(ap);
	return st;
}

/* The status of a SQLite result code. */
static kb_status sql_status(int rc)
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

static kb_status sql_fail(kb_db *db, int rc, const char *what)
{
	if ((rc & 0xff) == SQLITE_FULL)
		return fail(db, KB_NOSPACE, "%s: no space left on the device (kb.sqlite)", what);
	return fail(db, sql_status(rc), "%s: %s", what,
		    db->sql ? sqlite3_errmsg(db->sql) : sqlite3_errstr(rc));
}

static kb_status sql_exec(kb_db *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db->sql, sql, NULL, NULL, &msg);
	if ((rc & 0xff) == SQLITE_FULL) {
		sqlite3_free(msg);
		return fail(db, KB_NOSPACE, "no space left on the device (kb.sqlite)");
	}
	if (rc != SQLITE_OK) {
		kb_status st = fail(db, sql_status(rc), "sqlite: %s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return st;
	}
	return KB_OK;
}

/* ------------------------------------------------------------------ */
/* for the other kb/ files (kb-int.h) */

sqlite3 *kb_int_sql(kb_db *db) { return db->sql; }
const char *kb_int_dir(const kb_db *db) { return db->dir; }
xs_db *kb_int_xs(kb_db *db) { return db->xs; }
int kb_int_writable(const kb_db *db) { return db->mode == KB_WRITE && db->sql; }
int kb_int_in_batch(const kb_db *db) { return db->batch; }
kb_status kb_int_sql_fail(kb_db *db, int rc, const char *what) { return sql_fail(db, rc, what); }
kb_status kb_int_exec(kb_db *db, const char *sql) { return sql_exec(db, sql); }

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
/* small helpers */

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

static char *col_text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? xstrdup((const char *)t) : NULL;
}

static int mkdir_p(const char *dir)
{
	char *p = xstrdup(dir);
	for (char *q = p + 1; *q; q++) {
		if (*q == '/') {
			*q = '\0';
			if (mkdir(p, 0700) != 0 && errno != EEXIST) {
				free(p);
				return -1;
			}
			*q = '/';
		}
	}
	int rc = (mkdir(p, 0700) != 0 && errno != EEXIST) ? -1 : 0;
	free(p);
	return rc;
}

char *kb_default_dir(void)
{
	const char *e = getenv("PMKB_DB");
	if (e && *e)
		return xstrdup(e);
	e = getenv("XDG_DATA_HOME");
	if (e && *e)
		return xasprintf("%s/pmkb", e);
	e = getenv("HOME");
	if (!e || e[0] != '/')
		return NULL; /* never a knowledge base relative to the working directory */
	return xasprintf("%s/.local/share/pmkb", e);
}

/* ------------------------------------------------------------------ */
/* field value normalisation: the same at index and at query time */

/* The normalised value of a field term (kb_prefix_table norm flags);
 * caller frees. Values too long for a Xapian term become "#<hash>". */
static char *norm_value(const kb_prefix *p, const char *v, size_t len)
{
	char *raw = xstrndup(v, len);
	char *out = NULL;
	if (p->norm & KB_NORM_BUGCHECK) {
		/* "0x00000000100000fc", "100000FC", "0xfc": one code */
		out = pm_norm_bugcheck(raw);
		if (!out)
			out = xstrdup(raw);
	} else if (p->norm & KB_NORM_MODULE) {
		out = pm_canon_module(raw);
	} else if (p->norm & KB_NORM_FRAME) {
		char *bang = strchr(raw, '!');
		char *plus = strchr(raw, '+');
		if (bang && plus && plus > bang)
			*plus = '\0'; /* frame keys of symbolised frames carry no offset */
		char *cut = bang ? bang : plus;
		if (cut && cut > raw) {
			char save = *cut;
			*cut = '\0';
			char *m = pm_canon_module(raw);
			*cut = save;
			char *rest = xstrdup(cut);
			str_lower(rest);
			out = xasprintf("%s%s", m, rest);
			free(m);
			free(rest);
		} else {
			out = xstrdup(raw);
			str_lower(out);
		}
	} else {
		out = xstrdup(raw);
		if (p->norm & KB_NORM_LOWER)
			str_lower(out);
	}
	free(raw);
	if (strlen(out) > 200) {
		char hex[17];
		hash_hex(fnv1a64(out, strlen(out)), hex);
		free(out);
		out = xasprintf("#%s", hex);
	}
	return out;
}

static char *norm_field(const char *field, const char *v)
{
	const kb_prefix *p = kb_prefix_find(field, strlen(field));
	return p && v ? norm_value(p, v, strlen(v)) : NULL;
}

/* ------------------------------------------------------------------ */
/* open / close */

static kb_status check_sqlite_schema(kb_db *db, int create)
{
	sqlite3_stmt *s = NULL;
	int version = -1, tables = 0;
	if (sqlite3_prepare_v2(db->sql, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	s = NULL;
	/* the header says so: no need to read (and parse) the schema, which
	 * a match, reading the index only, would never do */
	if (version == KB_SCHEMA_VERSION)
		return KB_OK;
	int rc = sqlite3_prepare_v2(db->sql, "SELECT count(*) FROM sqlite_master", -1, &s, NULL);
	if (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		tables = sqlite3_column_int(s, 0);
	else {
		kb_status st = sql_fail(db, rc ? rc : sqlite3_errcode(db->sql), "cannot read kb.sqlite");
		sqlite3_finalize(s);
		return st;
	}
	sqlite3_finalize(s);
	if (version == 0 && tables == 0) {
		if (!create)
			return fail(db, KB_NOT_FOUND, "empty knowledge base");
		kb_status st = sql_exec(db, "BEGIN IMMEDIATE");
		if (st == KB_OK)
			st = sql_exec(db, schema_sql);
		if (st == KB_OK)
			st = sql_exec(db, "PRAGMA user_version = 1; COMMIT");
		if (st != KB_OK)
			sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
		return st;
	}
	return fail(db, KB_VERSION, "kb.sqlite has schema version %d, this pmkb needs %d", version,
		    KB_SCHEMA_VERSION);
}

static kb_status index_case(kb_db *db, const char *id);
static long count_rows(kb_db *db, const char *sql);

/* The ids a query's first column gives, into *ids (n of them). */
static kb_status read_ids(kb_db *db, const char *sql, char ***ids, size_t *n)
{
	sqlite3_stmt *s = NULL;
	size_t cap = 0;
	*ids = NULL;
	*n = 0;
	int rc = sqlite3_prepare_v2(db->sql, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return sql_fail(db, rc, "cannot read kb.sqlite");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		XGROW(*ids, cap, *n + 1);
		(*ids)[(*n)++] = col_text(s, 0);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		kb_status st = sql_fail(db, rc, "cannot read kb.sqlite");
		for (size_t i = 0; i < *n; i++)
			free((*ids)[i]);
		free(*ids);
		*ids = NULL;
		*n = 0;
		return st;
	}
	return KB_OK;
}

static void free_ids(char **ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

/* Re-index the cases left in pending_index by an interrupted write. */
static kb_status repair_pending(kb_db *db)
{
	char **ids = NULL;
	size_t n = 0;
	kb_status st = read_ids(db, "SELECT case_id FROM pending_index", &ids, &n);
	if (st != KB_OK)
		return st;
	for (size_t i = 0; i < n && st == KB_OK; i++)
		st = index_case(db, ids[i]);
	if (st == KB_OK && n > 0)
		st = xs_commit(db->xs, db->err, sizeof db->err);
	if (st == KB_OK && n > 0)
		st = sql_exec(db, "DELETE FROM pending_index");
	free_ids(ids, n);
	return st;
}

/* Remove an index directory (Xapian keeps plain files in it). */
static void remove_index_dir(const char *path)
{
	DIR *d = opendir(path);
	if (!d) {
		if (errno == ENOTDIR)
			unlink(path);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *f = xasprintf("%s/%s", path, e->d_name);
		unlink(f);
		free(f);
	}
	closedir(d);
	rmdir(path);
}

static void fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* Build an index of every case in SQLite beside the current one
 * (xapian.new), commit it, and put it in place of xapian/ in one
 * rename (RENAME_EXCHANGE; where the file system lacks it, two renames,
 * between which a reader finds no index and retries). Readers see the old
 * index or the new one, never a half one; a build killed half way leaves
 * xapian.new, which the next writable open removes. Used by reindex, for
 * a new knowledge base, and for an index that cannot be opened. */
static kb_status rebuild_index(kb_db *db)
{
	char *xpath = xasprintf("%s/xapian", db->dir);
	char *npath = xasprintf("%s/xapian.new", db->dir);
	char *opath = xasprintf("%s/xapian.old", db->dir);
	char **ids = NULL;
	size_t n = 0;
	xs_db *old = db->xs, *nx = NULL;
	struct stat sb;
	remove_index_dir(npath);
	remove_index_dir(opath);
	kb_status st = read_ids(db, "SELECT id FROM cases ORDER BY id", &ids, &n);
	if (st == KB_OK)
		st = xs_open(npath, 1, &nx, db->err, sizeof db->err);
	if (st != KB_OK)
		goto out;
	db->xs = nx;
	for (size_t i = 0; i < n && st == KB_OK; i++) {
		st = index_case(db, ids[i]);
		/* commit every batch so memory stays flat on big bases */
		if (st == KB_OK && (i + 1) % db->batch_size == 0)
			st = xs_commit(nx, db->err, sizeof db->err);
	}
	if (st == KB_OK)
		st = xs_commit(nx, db->err, sizeof db->err);
	db->xs = old;
	xs_close(nx);
	if (st != KB_OK) {
		remove_index_dir(npath);
		goto out;
	}
	fsync_dir(npath);
	xs_close(old);
	db->xs = NULL;
	if (lstat(xpath, &sb) == 0) {
		if (renameat2(AT_FDCWD, npath, AT_FDCWD, xpath, RENAME_EXCHANGE) == 0) {
			fsync_dir(db->dir);
			remove_index_dir(npath);
		} else if (rename(xpath, opath) == 0 && rename(npath, xpath) == 0) {
			fsync_dir(db->dir);
			remove_index_dir(opath);
		} else {
			st = fail(db, KB_IO, "cannot put the new index in place: %s", strerror(errno));
			goto out;
		}
	} else if (rename(npath, xpath) != 0) {
		st = fail(db, KB_IO, "cannot put the new index in place: %s", strerror(errno));
		goto out;
	}
	fsync_dir(db->dir);
	st = xs_open(xpath, 1, &db->xs, db->err, sizeof db->err);
	if (st == KB_OK)
		st = sql_exec(db, "DELETE FROM pending_index");
out:
	free_ids(ids, n);
	free(xpath);
	free(npath);
	free(opath);
	return st;
}

/* A new empty index, made as xapian.new and renamed into place. */
static kb_status create_empty_index(kb_db *db, const char *xpath)
{
	char *npath = xasprintf("%s/xapian.new", db->dir);
	xs_db *nx = NULL;
	remove_index_dir(npath);
	kb_status st = xs_open(npath, 1, &nx, db->err, sizeof db->err);
	if (st == KB_OK)
		st = xs_commit(nx, db->err, sizeof db->err);
	xs_close(nx);
	if (st == KB_OK) {
		fsync_dir(npath);
		if (rename(npath, xpath) != 0)
			st = fail(db, KB_IO, "cannot create the index: %s", strerror(errno));
		else
			fsync_dir(db->dir);
	}
	free(npath);
	return st;
}

/* A new kb.sqlite, made whole (WAL mode, schema) as kb.sqlite.new and
 * renamed into place: a first import killed at any moment leaves either
 * no kb.sqlite or a complete empty one, never a hot journal that readers
 * could not roll back. */
static kb_status create_sqlite(kb_db *db, const char *sqlpath)
{
	static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
	char *tmp = xasprintf("%s.new", sqlpath);
	for (size_t i = 0; i < PMKB_ARRAY_LEN(sfx); i++) {
		char *f = xasprintf("%s%s", tmp, sfx[i]);
		unlink(f);
		free(f);
	}
	kb_status st = KB_OK;
	int rc = sqlite3_open_v2(tmp, &db->sql, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK)
		st = sql_fail(db, rc, "cannot create kb.sqlite");
	if (st == KB_OK)
		st = sql_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL");
	if (st == KB_OK)
		st = check_sqlite_schema(db, 1);
	/* the last connection's close checkpoints the WAL into the file, syncs
	 * it and removes the WAL */
	if (db->sql && sqlite3_close(db->sql) != SQLITE_OK && st == KB_OK)
		st = fail(db, KB_IO, "cannot create kb.sqlite: close failed");
	db->sql = NULL;
	if (st == KB_OK) {
		int fd = open(tmp, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			fsync(fd);
			close(fd);
		}
		if (rename(tmp, sqlpath) != 0)
			st = fail(db, KB_IO, "cannot create kb.sqlite: %s", strerror(errno));
		else
			fsync_dir(db->dir);
	}
	free(tmp);
	return st;
}

/* The single-writer lock of the knowledge base: kb.lock, flock'ed. */
static kb_status take_lock(kb_db *db)
{
	char *p = xasprintf("%s/kb.lock", db->dir);
	db->lockfd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	free(p);
	if (db->lockfd < 0) {
		if (errno == EROFS || errno == EACCES || errno == EPERM)
			return fail(db, KB_IO, "the knowledge base is read-only (%s): it can be read, not written",
				    strerror(errno));
		return fail(db, KB_IO, "cannot create kb.lock: %s", strerror(errno));
	}
	if (flock(db->lockfd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK)
			return fail(db, KB_LOCKED, "the knowledge base is locked by another writer");
		return fail(db, KB_IO, "cannot lock kb.lock: %s", strerror(errno));
	}
	return KB_OK;
}

/* Open the index of a writable handle, repairing what a killed or
 * damaged write left: an index that is missing or cannot be opened is
 * rebuilt from SQLite (beside, then swapped in); the cases of
 * pending_index are re-indexed; and when the index then holds another
 * number of cases than SQLite (a power loss took SQLite commits the index
 * had, or the index was damaged), it is rebuilt. */
static kb_status open_index_writable(kb_db *db, const char *xpath)
{
	char *npath = xasprintf("%s/xapian.new", db->dir);
	char *opath = xasprintf("%s/xapian.old", db->dir);
	remove_index_dir(npath);
	remove_index_dir(opath);
	free(npath);
	free(opath);
	struct stat sb;
	if (lstat(xpath, &sb) != 0)
		return rebuild_index(db);
	kb_status st = xs_open(xpath, 1, &db->xs, db->err, sizeof db->err);
	if (st == KB_CORRUPT || st == KB_IO || st == KB_NOT_FOUND)
		return rebuild_index(db);
	if (st != KB_OK)
		return st;
	st = repair_pending(db);
	if (st != KB_OK)
		return st;
	unsigned long ndocs = 0;
	st = xs_doccount(db->xs, &ndocs, db->err, sizeof db->err);
	if (st != KB_OK)
		return st;
	long ncases = count_rows(db, "SELECT count(*) FROM cases");
	if (ncases < 0)
		return sql_fail(db, sqlite3_errcode(db->sql), "cannot count the cases");
	if ((unsigned long)ncases != ndocs)
		return rebuild_index(db);
	return KB_OK;
}

/* Open the index of a reading handle. A reader that meets the moment a
 * rebuilt index is swapped in (two renames) tries once more. */
static kb_status open_index_readonly(kb_db *db, const char *xpath)
{
	kb_status st = xs_open(xpath, 0, &db->xs, db->err, sizeof db->err);
	if (st == KB_NOT_FOUND || st == KB_IO || st == KB_CORRUPT || st == KB_INTERNAL) {
		struct timespec ts = {0, 100 * 1000 * 1000};
		nanosleep(&ts, NULL);
		st = xs_open(xpath, 0, &db->xs, db->err, sizeof db->err);
	}
	if (st == KB_NOT_FOUND)
		return fail(db, KB_CORRUPT, "the index is missing; run 'pmkb reindex'");
	if ((st == KB_IO || st == KB_CORRUPT) && !strstr(db->err, "pmkb reindex")) {
		char why[sizeof db->err];
		snprintf(why, sizeof why, "%s", db->err);
		return fail(db, KB_CORRUPT, "the index is damaged (%.300s); run 'pmkb reindex'", why);
	}
	if (st == KB_IO)
		return fail(db, KB_CORRUPT, "%.400s", db->err);
	return st;
}

kb_status kb_open(const char *dir, kb_mode mode, kb_db **out, char *err, size_t errsz)
{
	*out = NULL;
	kb_db *db = xcalloc(1, sizeof *db);
	db->dir = xstrdup(dir);
	db->lockfd = -1;
	int rebuild = mode == KB_REINDEX;
	if (rebuild)
		mode = KB_WRITE;
	db->mode = mode;
	db->batch_size = KB_BATCH_DEFAULT;
	const char *e = getenv("PMKB_BATCH_SIZE");
	if (e && atol(e) > 0)
		db->batch_size = (size_t)atol(e);
	e = getenv("PMKB_TEST_CRASH_AFTER_COMMITS");
	db->crash_after = e ? atol(e) : 0;

	char *sqlpath = xasprintf("%s/kb.sqlite", dir);
	char *xpath = xasprintf("%s/xapian", dir);
	kb_status st = KB_OK;
	struct stat sb;

	if (str_starts(dir, "tcp://")) {
		/* a remote index: search only, no case store */
		if (mode == KB_WRITE)
			st = fail(db, KB_INVALID, "a remote index (%s) cannot be written", dir);
		else
			st = xs_open(dir, 0, &db->xs, db->err, sizeof db->err);
		goto out;
	}
	if (mode == KB_WRITE) {
		if (mkdir_p(dir) != 0) {
			st = fail(db, KB_IO, "cannot create directory: %s", strerror(errno));
			goto out;
		}
		/* one writer at a time, before anything is touched */
		st = take_lock(db);
		if (st != KB_OK)
			goto out;
	} else if (stat(sqlpath, &sb) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			st = fail(db, KB_NOT_FOUND, "no knowledge base there (no kb.sqlite)");
		else /* another user's, say: unreadable, not missing */
			st = fail(db, KB_IO, "cannot read kb.sqlite: %s", strerror(errno));
		goto out;
	}

	if (stat(sqlpath, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		st = fail(db, KB_IO, "kb.sqlite is not a regular file");
		goto out;
	}
	if (mode == KB_WRITE && lstat(sqlpath, &sb) != 0) {
		/* a new knowledge base: the index first, then kb.sqlite, each
		 * made whole beside and renamed into place, so that wherever
		 * kb.sqlite is, an index is too */
		if (lstat(xpath, &sb) != 0)
			st = create_empty_index(db, xpath);
		if (st == KB_OK)
			st = create_sqlite(db, sqlpath);
		if (st != KB_OK)
			goto out;
	}
	int flags = mode == KB_WRITE ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
	int rc = sqlite3_open_v2(sqlpath, &db->sql, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		st = sql_fail(db, rc, "cannot open kb.sqlite");
		goto out;
	}
	sqlite3_busy_timeout(db->sql, 10000);
	sqlite3_extended_result_codes(db->sql, 0);
	if (mode == KB_WRITE) {
		/* synchronous=FULL: a commit is on disk (the WAL synced) before
		 * the index commit that follows it, so after a power loss the
		 * index never holds a case SQLite lost */
		st = sql_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
				  " PRAGMA foreign_keys=OFF");
		if (st != KB_OK)
			goto out;
	}
	st = check_sqlite_schema(db, mode == KB_WRITE);
	if (st == KB_OK && mode == KB_WRITE)
		st = kb_customer_schema(db); /* kb/customer.c: additive tables */
	if (st != KB_OK)
		goto out;

	if (mode == KB_READ)
		st = open_index_readonly(db, xpath);
	else if (!rebuild)
		st = open_index_writable(db, xpath);
	/* KB_REINDEX: kb_reindex builds the index, the old one is not opened */
out:
	free(sqlpath);
	free(xpath);
	if (st != KB_OK) {
		if (err && errsz)
			snprintf(err, errsz, "%s", db->err[0] ? db->err : kb_status_string(st));
		kb_close(db);
		return st;
	}
	*out = db;
	return KB_OK;
}

void kb_close(kb_db *db)
{
	if (!db)
		return;
	if (db->in_txn && db->sql)
		sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
	for (size_t i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(db->st[i]);
	if (db->sql)
		sqlite3_close(db->sql);
	xs_close(db->xs);
	if (db->lockfd >= 0)
		close(db->lockfd); /* releases the flock */
	free(db->dir);
	free(db);
}

/* ------------------------------------------------------------------ */
/* the index document of a case */

/* Document data and the KB_SLOT_MATCH value: records
 * "<key><length>:<bytes>\n", keys i (case id), t (title), c (customer),
 * d (last date), s (status), a (number of analyses), n (one next step,
 * repeated; m its message), k (last conclusion; K its message), M (the
 * message of one analysis, repeated) in the data; i and g (one serialised
 * signature, repeated) in the value. Self-delimiting, so any bytes
 * survive; unknown keys are skipped. */
static void data_put(sbuf *sb, char key, const char *v)
{
	if (!v)
		return;
	sb_addf(sb, "%c%zu:", key, strlen(v));
	sb_adds(sb, v);
	sb_addc(sb, '\n');
}

typedef struct doc_build {
	xs_term *terms;
	size_t nterms, terms_cap;
	char **owned; /* strings to free */
	size_t nowned, owned_cap;
} doc_build;

static void add_term(doc_build *b, const char *field, const char *value)
{
	if (!value || !*value)
		return;
	if (b->nterms >= KB_MAX_FIELD_TERMS)
		return; /* bounded: 4096 analyses x 10000 frames would be 40M terms */
	char *v = norm_field(field, value);
	if (!v)
		return;
	XGROW(b->owned, b->owned_cap, b->nowned + 1);
	b->owned[b->nowned++] = v;
	XGROW(b->terms, b->terms_cap, b->nterms + 1);
	b->terms[b->nterms].field = field;
	b->terms[b->nterms].value = v;
	b->nterms++;
}

static void doc_build_free(doc_build *b)
{
	for (size_t i = 0; i < b->nowned; i++)
		free(b->owned[i]);
	free(b->owned);
	free(b->terms);
}

/* The field terms of one signature. kept_only: only frames that are not
 * skipped (candidates); the index holds every frame. */
static void sig_terms(doc_build *b, const pm_signature *s, int kept_only)
{
	add_term(b, "bugcheck", s->bugcheck);
	if (kept_only) {
		size_t idx[64];
		size_t k = sig_kept_frames(s, idx, PMKB_ARRAY_LEN(idx));
		for (size_t i = 0; i < k; i++)
			add_term(b, "frame", s->frames[idx[i]].key);
	} else {
		for (size_t i = 0; i < s->nframes; i++)
			add_term(b, "frame", s->frames[i].key);
	}
	for (size_t i = 0; i < s->nmodules; i++)
		add_term(b, "module", s->modules[i]);
	if (s->image)
		add_term(b, "module", s->image);
	for (size_t i = 0; i < s->npool_tags; i++)
		add_term(b, "pooltag", s->pool_tags[i].tag);
	add_term(b, "process", s->process);
	/* the code with Arg1 (its rarity weighs Arg1 agreement) and with all
	 * four arguments (the same dump posted twice): sig_arg_key */
	char *ak = sig_arg_key(s), *dk = sig_dump_key(s);
	add_term(b, "bugarg", ak);
	add_term(b, "bugarg", dk);
	free(ak);
	free(dk);
}

/* Append the line [a, z) without its long hexadecimal numbers: a token of
 * letters, digits and backticks that is hex digits only (after an optional
 * 0x) and holds more than 8 of them, such as the 64-bit addresses of stack
 * dumps and bugcheck arguments (fffff807`1a2b3c4d, ffffe31a85ef4448). They
 * were half of the index's distinct words, no two crashes share them, and
 * nobody searches for one. Numbers of 8 digits or fewer stay searchable:
 * NTSTATUS codes (c0000005), driver time stamps (5a98cbfa), offsets. */
static void add_line_words(sbuf *out, const char *a, const char *z)
{
	const char *p = a;
	while (p < z) {
		if (!isalnum((unsigned char)*p) && *p != '`') {
			p++;
			continue;
		}
		const char *t = p;
		while (p < z && (isalnum((unsigned char)*p) || *p == '`'))
			p++;
		const char *h = t;
		if (p - t > 2 && h[0] == '0' && (h[1] == 'x' || h[1] == 'X'))
			h += 2;
		size_t digits = 0;
		int hex = 1;
		for (const char *q = h; q < p && hex; q++) {
			if (isxdigit((unsigned char)*q))
				digits++;
			else if (*q != '`')
				hex = 0;
		}
		if (hex && digits > 8) {
			sb_add(out, a, (size_t)(t - a));
			sb_addc(out, ' ');
			a = p;
		}
	}
	sb_add(out, a, (size_t)(z - a));
}

/* The text of every message body and note, each distinct line once.
 * Threads quote earlier mails again and again; indexing a quoted line once
 * keeps term frequencies honest (BM25) and makes indexing several times
 * faster on long threads. */
static void unique_lines(const pm_case *c, sbuf *out)
{
	/* Bound the index work per case: a 60 MB log is stored whole but only
	 * its first KB_INDEX_TEXT_MAX bytes of distinct lines are searchable
	 * (Xapian holds a document's terms in memory). */
	size_t cap = 1024, n = 0;
	uint64_t *set = xcalloc(cap, sizeof *set);
	size_t nsrc = c->nmessages + c->nnotes;
	for (size_t k = 0; k < nsrc; k++) {
		const char *t = k < c->nmessages ? c->messages[k].body : c->notes[k - c->nmessages].text;
		if (!t)
			continue;
		while (*t && out->len < KB_INDEX_TEXT_MAX) {
			const char *e = strchr(t, '\n');
			size_t len = e ? (size_t)(e - t) : strlen(t);
			const char *a = t, *z = t + len;
			while (a < z && (*a == ' ' || *a == '\t' || *a == '\r' || *a == '>'))
				a++;
			while (z > a && (z[-1] == ' ' || z[-1] == '\t' || z[-1] == '\r'))
				z--;
			if (z > a) {
				uint64_t h = fnv1a64(a, (size_t)(z - a)) | 1; /* 0 marks an empty slot */
				if ((n + 1) * 2 > cap) {
					size_t ncap = cap * 2;
					uint64_t *ns = xcalloc(ncap, sizeof *ns);
					for (size_t i = 0; i < cap; i++) {
						if (!set[i])
							continue;
						size_t j = set[i] & (ncap - 1);
						while (ns[j])
							j = (j + 1) & (ncap - 1);
						ns[j] = set[i];
					}
					free(set);
					set = ns;
					cap = ncap;
				}
				size_t j = h & (cap - 1);
				while (set[j] && set[j] != h)
					j = (j + 1) & (cap - 1);
				if (!set[j]) {
					set[j] = h;
					n++;
					add_line_words(out, a, z);
					sb_addc(out, '\n');
				}
			}
			t += len;
			if (*t == '\n')
				t++;
		}
	}
	free(set);
}

/* Index (replace, not commit) the document of c. sigs[i] and sigtext[i]
 * belong to c->analyses[i]. */
static kb_status index_doc(kb_db *db, const pm_case *c, const pm_signature *sigs, char **sigtext)
{
	doc_build b = {0};
	add_term(&b, "case", c->id);
	add_term(&b, "customer", c->customer);
	for (size_t i = 0; i < c->nanalyses; i++)
		sig_terms(&b, &sigs[i], 0);

	size_t ntexts = 0;
	const char *texts[5];
	texts[ntexts++] = c->title;
	texts[ntexts++] = c->id;
	texts[ntexts++] = c->customer;
	texts[ntexts++] = c->refs;
	sbuf body = {0};
	unique_lines(c, &body);
	texts[ntexts++] = sb_str(&body);

	sbuf data = {0}, match = {0};
	data_put(&data, 'i', c->id);
	data_put(&data, 't', c->title);
	data_put(&data, 'c', c->customer);
	data_put(&data, 'd', c->last_date);
	data_put(&data, 's', c->status);
	char count[32];
	snprintf(count, sizeof count, "%zu", c->nanalyses);
	data_put(&data, 'a', count);
	data_put(&match, 'i', c->id);
	for (size_t i = 0; i < c->nanalyses; i++)
		data_put(&match, 'g', sigtext[i] ? sigtext[i] : "");
	const char *conclusion = NULL;
	int conclusion_msg = 0;
	char num[32];
	for (size_t i = 0; i < c->nnotes; i++) {
		if (c->notes[i].kind && strcmp(c->notes[i].kind, PM_NOTE_NEXT_STEP) == 0) {
			data_put(&data, 'n', c->notes[i].text ? c->notes[i].text : "");
			snprintf(num, sizeof num, "%d", c->notes[i].message);
			data_put(&data, 'm', num);
		}
		if (c->notes[i].kind && strcmp(c->notes[i].kind, PM_NOTE_CONCLUSION) == 0) {
			conclusion = c->notes[i].text;
			conclusion_msg = c->notes[i].message;
		}
	}
	data_put(&data, 'k', conclusion);
	if (conclusion) {
		snprintf(num, sizeof num, "%d", conclusion_msg);
		data_put(&data, 'K', num);
	}
	for (size_t i = 0; i < c->nanalyses; i++) {
		snprintf(num, sizeof num, "%d", c->analyses[i].message);
		data_put(&data, 'M', num);
	}

	xs_doc d = {
		.case_id = c->id,
		.terms = b.terms,
		.nterms = b.nterms,
		.texts = texts,
		.ntexts = ntexts,
		.date = c->last_date,
		.data = sb_str(&data),
		.datalen = data.len,
		.match = sb_str(&match),
		.matchlen = match.len,
	};
	kb_status st = xs_replace(db->xs, &d, db->err, sizeof db->err);
	sb_free(&data);
	sb_free(&match);
	sb_free(&body);
	doc_build_free(&b);
	return st;
}

/* Load the case id from SQLite and index it (repair, reindex). The
 * document of a case missing from SQLite (removed by kb_rm_case, or lost
 * with a commit that was not durable) is deleted: the index never keeps a
 * case SQLite does not hold. */
static kb_status index_case(kb_db *db, const char *id)
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
				texts[a] = col_text(s, 1);
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
	st = index_doc(db, c, sigs, texts);
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
			st = sql_fail(db, rc_, what);                             \
			goto fail;                                                \
		}                                                                 \
	} while (0)

#define PREP(var, which)                                                          \
	do {                                                                      \
		var = stmt(db, which);                                            \
		if (!var) {                                                       \
			st = sql_fail(db, sqlite3_errcode(db->sql), "cannot prepare"); \
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
		st = sql_exec(db, "COMMIT");
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
			st = sql_exec(db, "DELETE FROM pending_index");
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
		return fail(db, KB_INVALID, "knowledge base opened read-only");
	if (!c->id || !*c->id)
		return fail(db, KB_INVALID, "case without id");
	if (strlen(c->id) > 1000)
		return fail(db, KB_INVALID, "case id longer than 1000 bytes");

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
			st = sql_exec(db, "BEGIN IMMEDIATE");
			if (st != KB_OK)
				goto out;
			db->in_txn = 1;
		}
		st = sql_exec(db, "SAVEPOINT put_case");
	} else {
		st = sql_exec(db, "BEGIN IMMEDIATE");
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
	st = sql_exec(db, db->batch ? "RELEASE put_case" : "COMMIT");
	if (st != KB_OK) {
		sqlite3_exec(db->sql, db->batch ? "ROLLBACK TO put_case; RELEASE put_case" : "ROLLBACK",
			     NULL, NULL, NULL);
		goto out;
	}
	if (!db->batch)
		db->sql_commits++;
	st = index_doc(db, c, sigs, sigtext);
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
		return fail(db, KB_INVALID, "knowledge base opened read-only");
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

/* The SQLite calls on an index-only handle (a remote shard). */
#define NEED_SQL(db)                                                                       \
	do {                                                                               \
		if (!(db)->sql)                                                            \
			return fail(db, KB_INVALID, "'%s' is a remote index without cases; "   \
				    "give a local --db first", (db)->dir);                     \
	} while (0)

/* A read of case id stopped by SQLite error rc: exit 70 with the reason
 * (75 when locked), never part of a case. */
static kb_status read_fail(kb_db *db, int rc, const char *id)
{
	kb_status st = sql_status(rc);
	if (st != KB_LOCKED && st != KB_NOMEM && st != KB_CORRUPT)
		st = KB_INTERNAL;
	return fail(db, st, "cannot read case '%.200s' from kb.sqlite: %s", id, sqlite3_errstr(rc));
}

kb_status kb_get_case(kb_db *db, const char *id, pm_case **out)
{
	*out = NULL;
	if (!id)
		return KB_INVALID;
	NEED_SQL(db);
	sqlite3_stmt *s = NULL;
	kb_status st = KB_OK;
	int rc = sqlite3_prepare_v2(db->sql,
				    "SELECT id,title,customer,priority,status,refs,first_date,last_date,"
				    "source,format,redactions FROM cases WHERE id=?",
				    -1, &s, NULL);
	if (rc != SQLITE_OK)
		return sql_fail(db, rc, "cannot read cases");
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(s);
		if (rc == SQLITE_DONE)
			return fail(db, KB_NOT_FOUND, "no case '%s'", id);
		return sql_fail(db, rc, "cannot read cases");
	}
	pm_case *c = pm_case_new();
	c->id = col_text(s, 0);
	c->title = col_text(s, 1);
	c->customer = col_text(s, 2);
	c->priority = col_text(s, 3);
	c->status = col_text(s, 4);
	c->refs = col_text(s, 5);
	c->first_date = col_text(s, 6);
	c->last_date = col_text(s, 7);
	c->source = col_text(s, 8);
	c->format = col_text(s, 9);
	c->redactions = sqlite3_column_int(s, 10);
	sqlite3_finalize(s);

/* A read that stops on an error (a damaged page) fails the whole case:
 * never a case with part of its rows. */
#define END_QUERY()                                                                \
	do {                                                                       \
		sqlite3_finalize(s);                                               \
		s = NULL;                                                          \
		if (rc != SQLITE_DONE) {                                           \
			st = read_fail(db, rc, id);                                \
			goto fail;                                                 \
		}                                                                  \
	} while (0)
#define QUERY(text)                                                                \
	do {                                                                       \
		s = NULL;                                                          \
		rc = sqlite3_prepare_v2(db->sql, text, -1, &s, NULL);              \
		if (rc != SQLITE_OK) {                                             \
			st = sql_fail(db, rc, "cannot read the case");             \
			goto fail;                                                 \
		}                                                                  \
		sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);                    \
	} while (0)

	QUERY("SELECT sender,sent,subject,message_id,body FROM messages WHERE case_id=? ORDER BY idx");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		pm_message *m = pm_case_add_message(c);
		m->sender = col_text(s, 0);
		m->sent = col_text(s, 1);
		m->subject = col_text(s, 2);
		m->message_id = col_text(s, 3);
		m->body = col_text(s, 4);
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
		a->filename = col_text(s, 1);
		a->content_type = col_text(s, 2);
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
		a->dump_name = col_text(s, k++);
		a->span_start = (size_t)sqlite3_column_int64(s, k++);
		a->span_end = (size_t)sqlite3_column_int64(s, k++);
		const unsigned char *h = sqlite3_column_text(s, k++);
		if (h)
			snprintf(a->hash, sizeof a->hash, "%s", (const char *)h);
		a->bugcheck_code = col_text(s, k++);
		a->bugcheck_name = col_text(s, k++);
		for (int j = 0; j < 4; j++)
			a->args[j] = col_text(s, k++);
		for (int j = 0; j < 4; j++)
			a->arg_desc[j] = col_text(s, k++);
		a->process = col_text(s, k++);
		a->irql = col_text(s, k++);
		a->failure_bucket = col_text(s, k++);
		a->default_bucket = col_text(s, k++);
		a->os_build = col_text(s, k++);
		a->exception_code = col_text(s, k++);
		a->fault_ip = col_text(s, k++);
		a->image = col_text(s, k++);
		a->machine = col_text(s, k++);
		a->registers = col_text(s, k++);
		a->source = col_text(s, k++);
		a->evidence = col_text(s, k++);
	}
	END_QUERY();

	QUERY("SELECT analysis,module,function,offset,address,is_inline FROM analysis_frames"
	      " WHERE case_id=? ORDER BY analysis, idx");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int ai = sqlite3_column_int(s, 0);
		if (ai < 0 || (size_t)ai >= c->nanalyses)
			continue;
		pm_frame *f = pm_analysis_add_frame(&c->analyses[ai]);
		f->module = col_text(s, 1);
		f->function = col_text(s, 2);
		f->offset = col_text(s, 3);
		f->address = col_text(s, 4);
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
		m->name = col_text(s, 1);
		m->start = col_text(s, 2);
		m->end = col_text(s, 3);
		m->image_path = col_text(s, 4);
		m->timestamp = col_text(s, 5);
		m->checksum = col_text(s, 6);
		m->image_size = col_text(s, 7);
	}
	END_QUERY();

	QUERY("SELECT analysis,tag,owner FROM analysis_pooltags WHERE case_id=? ORDER BY analysis, idx");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int ai = sqlite3_column_int(s, 0);
		if (ai < 0 || (size_t)ai >= c->nanalyses)
			continue;
		pm_pooltag *p = pm_analysis_add_pooltag(&c->analyses[ai]);
		p->tag = col_text(s, 1);
		p->owner = col_text(s, 2);
	}
	END_QUERY();

	QUERY("SELECT analysis,name,value FROM analysis_locals WHERE case_id=? ORDER BY analysis, idx");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int ai = sqlite3_column_int(s, 0);
		if (ai < 0 || (size_t)ai >= c->nanalyses)
			continue;
		pm_local *l = pm_analysis_add_local(&c->analyses[ai]);
		l->name = col_text(s, 1);
		l->value = col_text(s, 2);
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
		return sql_fail(db, rc, "cannot read cases");
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	int found = rc == SQLITE_ROW && sqlite3_column_int(s, 0) > 0;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW)
		return read_fail(db, rc, id);
	if (!found)
		return fail(db, KB_NOT_FOUND, "no case '%s'", id);
	rc = sqlite3_prepare_v2(db->sql, "SELECT text FROM signatures WHERE case_id=? ORDER BY analysis",
				-1, &s, NULL);
	if (rc != SQLITE_OK)
		return sql_fail(db, rc, "cannot read signatures");
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
	int rc = sqlite3_prepare_v2(db->sql, "SELECT case_id FROM messages WHERE message_id=? LIMIT 1",
				    -1, &s, NULL);
	if (rc != SQLITE_OK)
		return sql_fail(db, rc, "cannot read messages");
	sqlite3_bind_text(s, 1, message_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*case_id = col_text(s, 0);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sql_fail(db, rc, "cannot read messages");
	return KB_OK;
}

static long count_rows(kb_db *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	long n = -1;
	if (sqlite3_prepare_v2(db->sql, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

kb_status kb_get_stats(kb_db *db, kb_stats *out)
{
	memset(out, 0, sizeof *out);
	NEED_SQL(db);
	out->cases = count_rows(db, "SELECT count(*) FROM cases");
	out->messages = count_rows(db, "SELECT count(*) FROM messages");
	out->analyses = count_rows(db, "SELECT count(*) FROM analyses");
	out->notes = count_rows(db, "SELECT count(*) FROM notes");
	out->frames = count_rows(db, "SELECT count(*) FROM analysis_frames");
	out->modules = count_rows(db, "SELECT count(DISTINCT module) FROM sig_modules");
	out->pool_tags = count_rows(db, "SELECT count(DISTINCT tag) FROM sig_pooltags");
	if (out->cases < 0 || out->messages < 0 || out->analyses < 0 || out->notes < 0)
		return sql_fail(db, sqlite3_errcode(db->sql), "cannot count");
	unsigned long nd = 0;
	kb_status st = xs_doccount(db->xs, &nd, db->err, sizeof db->err);
	out->indexed = (long)nd;
	return st;
}

kb_status kb_reindex(kb_db *db)
{
	if (db->mode != KB_WRITE)
		return fail(db, KB_INVALID, "knowledge base opened read-only");
	/* SQLite is the truth the index is rebuilt from: a damaged one must
	 * not pass for a smaller knowledge base */
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db->sql, "PRAGMA quick_check(1)", -1, &s, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(s);
		kb_status st = sql_fail(db, rc, "kb.sqlite is damaged");
		return st == KB_INTERNAL ? KB_CORRUPT : st;
	}
	const char *v = (const char *)sqlite3_column_text(s, 0);
	if (!v || strcmp(v, "ok") != 0) {
		kb_status st = fail(db, KB_CORRUPT, "kb.sqlite is damaged (%.300s); the index was left as it was",
				    v ? v : "?");
		sqlite3_finalize(s);
		for (char *p = db->err; *p; p++)
			if (*p == '\n' || *p == '\r')
				*p = ' ';
		return st;
	}
	sqlite3_finalize(s);
	return rebuild_index(db);
}

/* ------------------------------------------------------------------ */
/* search */

/* Decode a document's data into h (see data_put). */
static void hit_from_data(kb_hit *h, const char *d, size_t len)
{
	h->conclusion_msg = -2;
	size_t i = 0;
	size_t sigs_cap = 0, next_cap = 0;
	while (i < len) {
		char key = d[i++];
		char *end = NULL;
		unsigned long n = strtoul(d + i, &end, 10);
		if (!end || *end != ':' || (size_t)(end + 1 - d) + n > len)
			break;
		const char *v = end + 1;
		char *val = xstrndup(v, n);
		i = (size_t)(v - d) + n + 1;
		switch (key) {
		case 'i': free(h->case_id); h->case_id = val; break;
		case 't': free(h->title); h->title = val; break;
		case 'c': free(h->customer); h->customer = val; break;
		case 'd': free(h->date); h->date = val; break;
		case 's': free(h->status); h->status = val; break;
		case 'k': free(h->conclusion); h->conclusion = val; break;
		case 'a': h->nanalyses = strtoul(val, NULL, 10); free(val); break;
		case 'g':
			XGROW(h->sigs, sigs_cap, h->nsigs + 1);
			h->sigs[h->nsigs++] = val;
			break;
		case 'n':
			XGROW(h->next_steps, next_cap, h->nnext_steps + 1);
			h->next_steps[h->nnext_steps++] = val;
			if (h->next_step_msgs) { /* an 'm' for every step so far */
				h->next_step_msgs = xrealloc(h->next_step_msgs, next_cap * sizeof(int));
				h->next_step_msgs[h->nnext_steps - 1] = -2;
			}
			break;
		case 'm':
			if (h->nnext_steps) {
				if (!h->next_step_msgs) {
					h->next_step_msgs = xcalloc(next_cap, sizeof(int));
					for (size_t k = 0; k < h->nnext_steps; k++)
						h->next_step_msgs[k] = -2;
				}
				h->next_step_msgs[h->nnext_steps - 1] = atoi(val);
			}
			free(val);
			break;
		case 'K': h->conclusion_msg = atoi(val); free(val); break;
		case 'M':
			h->analysis_msgs = xrealloc(h->analysis_msgs, (h->nanalysis_msgs + 1) * sizeof(int));
			h->analysis_msgs[h->nanalysis_msgs++] = atoi(val);
			free(val);
			break;
		default: free(val);
		}
	}
	if (h->nsigs > h->nanalyses)
		h->nanalyses = h->nsigs;
	if (!h->case_id)
		h->case_id = xstrdup("");
}

static void hit_clear(kb_hit *x)
{
	free(x->case_id);
	free(x->title);
	free(x->customer);
	free(x->date);
	free(x->status);
	free(x->conclusion);
	for (size_t j = 0; j < x->nsigs; j++)
		free(x->sigs[j]);
	free(x->sigs);
	for (size_t j = 0; j < x->nnext_steps; j++)
		free(x->next_steps[j]);
	free(x->next_steps);
	free(x->next_step_msgs);
	free(x->analysis_msgs);
}

/* Decode the hits. With shards, a case stored in several knowledge bases
 * is listed once (its best hit). */
static kb_hits *hits_from_xs(const kb_db *db, xs_hit *xh, size_t n, size_t estimated)
{
	kb_hits *h = xcalloc(1, sizeof *h);
	h->hits = xcalloc(n + 1, sizeof *h->hits);
	h->estimated = estimated;
	for (size_t i = 0; i < n; i++) {
		kb_hit *x = &h->hits[h->n];
		if (xh[i].data) /* NULL: skipped (kb_docset), docid alone */
			hit_from_data(x, xh[i].data, xh[i].datalen);
		x->weight = xh[i].weight;
		x->docid = xh[i].docid;
		free(xh[i].data);
		int dup = 0;
		if (db->nshards > 0 && n <= 2000 && x->case_id)
			for (size_t j = 0; j < h->n && !dup; j++)
				dup = h->hits[j].case_id && strcmp(h->hits[j].case_id, x->case_id) == 0;
		if (dup) {
			hit_clear(x);
			memset(x, 0, sizeof *x);
		} else {
			h->n++;
		}
	}
	free(xh);
	return h;
}

void kb_hits_free(kb_hits *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++)
		hit_clear(&h->hits[i]);
	free(h->hits);
	free(h);
}

kb_status kb_fill_hits(kb_db *db, kb_hit *const *hits, size_t n)
{
	if (!db || (n && !hits))
		return KB_INVALID;
	if (!n)
		return KB_OK;
	unsigned *ids = xcalloc(n, sizeof *ids);
	xs_hit *xh = xcalloc(n, sizeof *xh);
	for (size_t i = 0; i < n; i++)
		ids[i] = hits[i]->docid;
	kb_status st = xs_fetch(db->xs, ids, n, xh, db->err, sizeof db->err);
	for (size_t i = 0; i < n; i++) {
		if (st == KB_OK && xh[i].data) {
			/* the document's fields replace h's; h keeps its id,
			 * signatures, weight and docid (swapped, so hit_clear
			 * frees what is replaced) */
			kb_hit d = {0}, *h = hits[i];
			hit_from_data(&d, xh[i].data, xh[i].datalen);
			char *id = d.case_id;
			char **sigs = d.sigs;
			size_t nsigs = d.nsigs;
			d.case_id = h->case_id;
			d.sigs = h->sigs;
			d.nsigs = h->nsigs;
			d.weight = h->weight;
			d.docid = h->docid;
			if (h->nanalyses > d.nanalyses)
				d.nanalyses = h->nanalyses;
			h->case_id = id;
			h->sigs = sigs;
			h->nsigs = nsigs;
			hit_clear(h);
			*h = d;
		}
		free(xh[i].data);
	}
	free(xh);
	free(ids);
	return st;
}

/* Rewrite the field:value parts of a query with normalised values (the
 * same normalisation as the indexer), leaving the rest to the query
 * parser. "bugcheck:0xD1 module:VWIFIMF.SYS 蓝屏" becomes
 * "bugcheck:0xd1 module:vwifimf 蓝屏". */
static char *rewrite_query(const char *q)
{
	sbuf out = {0};
	const char *p = q;
	while (*p) {
		int at_start = p == q || p[-1] == ' ' || p[-1] == '\t' || p[-1] == '(' || p[-1] == '+' ||
			       p[-1] == '-' || p[-1] == '\n';
		if (at_start) {
			const char *f = p;
			while ((*f >= 'a' && *f <= 'z') || (*f >= 'A' && *f <= 'Z'))
				f++;
			const kb_prefix *px = NULL;
			if (*f == ':' && f > p) {
				char name[32];
				size_t nl = (size_t)(f - p);
				if (nl < sizeof name) {
					for (size_t k = 0; k < nl; k++)
						name[k] = (char)((p[k] >= 'A' && p[k] <= 'Z') ? p[k] + 32 : p[k]);
					px = kb_prefix_find(name, nl);
				}
			}
			if (px) {
				const char *v = f + 1, *ve;
				int quoted = *v == '"';
				if (quoted) {
					v++;
					ve = strchr(v, '"');
					if (!ve)
						ve = v + strlen(v);
				} else {
					ve = v;
					while (*ve && *ve != ' ' && *ve != '\t' && *ve != '\n' && *ve != ')')
						ve++;
				}
				char *nv = norm_value(px, v, (size_t)(ve - v));
				sb_adds(&out, px->field);
				sb_addc(&out, ':');
				if (strpbrk(nv, " \t\"()") || !*nv) {
					sb_addc(&out, '"');
					for (const char *c = nv; *c; c++)
						if (*c != '"')
							sb_addc(&out, *c);
					sb_addc(&out, '"');
				} else {
					sb_adds(&out, nv);
				}
				free(nv);
				p = (quoted && *ve == '"') ? ve + 1 : ve;
				continue;
			}
		}
		sb_addc(&out, *p++);
	}
	return sb_detach(&out);
}

/* The first position in s whose id is not below docid. */
static size_t docset_lower(const kb_docset *s, unsigned docid)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->ids[mid] < docid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int kb_docset_has(const kb_docset *s, unsigned docid)
{
	size_t i = docset_lower(s, docid);
	return i < s->n && s->ids[i] == docid;
}

void kb_docset_add(kb_docset *s, unsigned docid)
{
	size_t lo = docset_lower(s, docid);
	if (lo < s->n && s->ids[lo] == docid)
		return;
	XGROW(s->ids, s->cap, s->n + 1);
	memmove(s->ids + lo + 1, s->ids + lo, (s->n - lo) * sizeof *s->ids);
	s->ids[lo] = docid;
	s->n++;
}

void kb_docset_free(kb_docset *s)
{
	free(s->ids);
	memset(s, 0, sizeof *s);
}

static kb_status search(kb_db *db, const char *query, size_t offset, size_t limit, int for_match,
			const kb_docset *skip, kb_hits **out)
{
	*out = NULL;
	db->err[0] = '\0';
	if (!query)
		return fail(db, KB_BAD_QUERY, "empty query");
	if (limit > 100000)
		limit = 100000;
	if (!for_match && kb_int_check_query(query, db->err, sizeof db->err) < 0)
		return KB_BAD_QUERY;
	char *q = rewrite_query(query);
	xs_hit *xh = NULL;
	size_t n = 0, est = 0;
	kb_status st = xs_search(db->xs, q, offset, limit, for_match, skip ? skip->ids : NULL,
				 skip ? skip->n : 0, &xh, &n, &est, db->err, sizeof db->err);
	free(q);
	if (st != KB_OK)
		return st;
	*out = hits_from_xs(db, xh, n, est);
	return KB_OK;
}

kb_status kb_search(kb_db *db, const char *query, size_t offset, size_t limit, kb_hits **out)
{
	/* Xapian's query parser takes time quadratic in the number of terms
	 * (28,000 OR-ed words: 17 s): a search is bounded */
	size_t words = 0;
	for (const char *p = query ? query : ""; *p;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (*p)
			words++;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
	}
	if (words > KB_QUERY_MAX_WORDS) {
		*out = NULL;
		return fail(db, KB_BAD_QUERY, "query too long: %zu words, at most %d", words, KB_QUERY_MAX_WORDS);
	}
	return search(db, query, offset, limit, 0, NULL, out);
}

kb_status kb_search_skip(kb_db *db, const char *query, size_t offset, size_t limit,
			 const kb_docset *skip, kb_hits **out)
{
	return search(db, query, offset, limit, 1, skip, out);
}

kb_status kb_candidates(kb_db *db, const pm_signature *sig, const char *text, size_t limit,
			const kb_docset *skip, kb_hits **out)
{
	*out = NULL;
	db->err[0] = '\0';
	if (limit > 10000)
		limit = 10000;
	doc_build b = {0};
	if (sig)
		sig_terms(&b, sig, 1);
	xs_hit *xh = NULL;
	size_t n = 0, est = 0;
	kb_status st = xs_candidates(db->xs, b.terms, b.nterms, text, limit, skip ? skip->ids : NULL,
				     skip ? skip->n : 0, &xh, &n, &est, db->err, sizeof db->err);
	doc_build_free(&b);
	if (st != KB_OK)
		return st;
	*out = hits_from_xs(db, xh, n, est);
	return KB_OK;
}

kb_status kb_term_df(kb_db *db, const char *field, const char *value, unsigned long *df,
		     unsigned long *ndocs)
{
	*df = 0;
	*ndocs = 0;
	if (!field || !value || !kb_prefix_find(field, strlen(field)))
		return fail(db, KB_INVALID, "no field '%s'", field ? field : "(null)");
	char *v = norm_field(field, value);
	kb_status st = xs_termfreq(db->xs, field, v, df, ndocs, db->err, sizeof db->err);
	free(v);
	return st;
}

kb_status kb_word_df(kb_db *db, const char *word, unsigned long *df)
{
	*df = 0;
	if (!word || !*word)
		return fail(db, KB_INVALID, "empty word");
	return xs_word_df(db->xs, word, df, db->err, sizeof db->err);
}

kb_status kb_foreach_signature(kb_db *db, kb_sig_fn fn, void *ctx)
{
	NEED_SQL(db);
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db->sql,
				    "SELECT case_id, analysis, text FROM signatures ORDER BY case_id, analysis",
				    -1, &s, NULL);
	if (rc != SQLITE_OK)
		return sql_fail(db, rc, "cannot read signatures");
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
		st = sql_fail(db, rc, "cannot read signatures");
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
		return sql_fail(db, rc, "cannot read state");
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		*value = col_text(s, 0);
	sqlite3_finalize(s);
	return KB_OK;
}

kb_status kb_state_set(kb_db *db, const char *key, const char *value)
{
	if (db->mode != KB_WRITE)
		return fail(db, KB_INVALID, "knowledge base opened read-only");
	sqlite3_stmt *s = NULL;
	int rc = value ? sqlite3_prepare_v2(db->sql, "INSERT OR REPLACE INTO state(key,value) VALUES(?,?)",
					    -1, &s, NULL)
		       : sqlite3_prepare_v2(db->sql, "DELETE FROM state WHERE key=?", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return sql_fail(db, rc, "cannot write state");
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (value)
		sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return sql_fail(db, rc, "cannot write state");
	return KB_OK;
}

/* ------------------------------------------------------------------ */
/* shards */

kb_status kb_add_shard(kb_db *db, const char *dir_or_url, char *err, size_t errsz)
{
	if (db->mode != KB_READ)
		return fail(db, KB_INVALID, "shards are for reading");
	kb_status st;
	if (str_starts(dir_or_url, "tcp://")) {
		st = xs_add(db->xs, dir_or_url, db->err, sizeof db->err);
	} else {
		char *sqlpath = xasprintf("%s/kb.sqlite", dir_or_url);
		char *xpath = xasprintf("%s/xapian", dir_or_url);
		struct stat sb;
		if (stat(sqlpath, &sb) != 0 && stat(xpath, &sb) != 0)
			st = fail(db, KB_NOT_FOUND, "no knowledge base there");
		else
			st = xs_add(db->xs, xpath, db->err, sizeof db->err);
		if (st == KB_NOT_FOUND)
			st = fail(db, KB_NOT_FOUND, "no index in '%s'; run 'pmkb reindex' there", dir_or_url);
		free(sqlpath);
		free(xpath);
	}
	if (st == KB_OK)
		db->nshards++;
	if (st != KB_OK && err && errsz)
		snprintf(err, errsz, "%s", db->err[0] ? db->err : kb_status_string(st));
	return st;
}

kb_status kb_case_origin(kb_db *db, const char *id, char **source, char **format)
{
	*source = *format = NULL;
	NEED_SQL(db);
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db->sql, "SELECT source, format FROM cases WHERE id=?", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return sql_fail(db, rc, "cannot read cases");
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*source = col_text(s, 0);
		*format = col_text(s, 1);
	}
	sqlite3_finalize(s);
	if (rc == SQLITE_DONE)
		return KB_NOT_FOUND;
	if (rc != SQLITE_ROW)
		return read_fail(db, rc, id);
	return KB_OK;
}
