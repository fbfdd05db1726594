/* kb.c - the knowledge base: SQLite is the source of truth, the Xapian
 * index (xapian-shim.h) is rebuilt from it at will. This file opens and
 * closes a knowledge base (making it, repairing what a killed write left,
 * rebuilding the index), reindexes and adds shards; the rest of kb.h is in
 * store.c (reading and writing cases), index.c (the index document of a
 * case), search.c (search) and core.c (statuses, errors): kb-int.h says
 * who calls whom.
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

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

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
		kb_status st = kb_int_sql_fail(db, rc ? rc : sqlite3_errcode(db->sql), "cannot read kb.sqlite");
		sqlite3_finalize(s);
		return st;
	}
	sqlite3_finalize(s);
	if (version == 0 && tables == 0) {
		if (!create)
			return kb_int_fail(db, KB_NOT_FOUND, "empty knowledge base");
		kb_status st = kb_int_exec(db, "BEGIN IMMEDIATE");
		if (st == KB_OK)
			st = kb_int_exec(db, schema_sql);
		if (st == KB_OK)
			st = kb_int_exec(db, "PRAGMA user_version = 1; COMMIT");
		if (st != KB_OK)
			sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
		return st;
	}
	return kb_int_fail(db, KB_VERSION, "kb.sqlite has schema version %d, this pmkb needs %d", version,
		    KB_SCHEMA_VERSION);
}

/* The ids a query's first column gives, into *ids (n of them). */
static kb_status read_ids(kb_db *db, const char *sql, char ***ids, size_t *n)
{
	sqlite3_stmt *s = NULL;
	size_t cap = 0;
	*ids = NULL;
	*n = 0;
	int rc = sqlite3_prepare_v2(db->sql, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return kb_int_sql_fail(db, rc, "cannot read kb.sqlite");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		XGROW(*ids, cap, *n + 1);
		(*ids)[(*n)++] = kb_int_col_text(s, 0);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		kb_status st = kb_int_sql_fail(db, rc, "cannot read kb.sqlite");
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
		st = kb_int_index_case(db, ids[i]);
	if (st == KB_OK && n > 0)
		st = xs_commit(db->xs, db->err, sizeof db->err);
	if (st == KB_OK && n > 0)
		st = kb_int_exec(db, "DELETE FROM pending_index");
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
		st = kb_int_index_case(db, ids[i]);
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
			st = kb_int_fail(db, KB_IO, "cannot put the new index in place: %s", strerror(errno));
			goto out;
		}
	} else if (rename(npath, xpath) != 0) {
		st = kb_int_fail(db, KB_IO, "cannot put the new index in place: %s", strerror(errno));
		goto out;
	}
	fsync_dir(db->dir);
	st = xs_open(xpath, 1, &db->xs, db->err, sizeof db->err);
	if (st == KB_OK)
		st = kb_int_exec(db, "DELETE FROM pending_index");
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
			st = kb_int_fail(db, KB_IO, "cannot create the index: %s", strerror(errno));
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
		st = kb_int_sql_fail(db, rc, "cannot create kb.sqlite");
	if (st == KB_OK)
		st = kb_int_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL");
	if (st == KB_OK)
		st = check_sqlite_schema(db, 1);
	/* the last connection's close checkpoints the WAL into the file, syncs
	 * it and removes the WAL */
	kb_int_cache_free(db);
	if (db->sql && sqlite3_close(db->sql) != SQLITE_OK && st == KB_OK)
		st = kb_int_fail(db, KB_IO, "cannot create kb.sqlite: close failed");
	db->sql = NULL;
	if (st == KB_OK) {
		int fd = open(tmp, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			fsync(fd);
			close(fd);
		}
		if (rename(tmp, sqlpath) != 0)
			st = kb_int_fail(db, KB_IO, "cannot create kb.sqlite: %s", strerror(errno));
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
			return kb_int_fail(db, KB_IO, "the knowledge base is read-only (%s): it can be read, not written",
				    strerror(errno));
		return kb_int_fail(db, KB_IO, "cannot create kb.lock: %s", strerror(errno));
	}
	if (flock(db->lockfd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK)
			return kb_int_fail(db, KB_LOCKED, "the knowledge base is locked by another writer");
		return kb_int_fail(db, KB_IO, "cannot lock kb.lock: %s", strerror(errno));
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
	long ncases = kb_int_count_rows(db, "SELECT count(*) FROM cases");
	if (ncases < 0)
		return kb_int_sql_fail(db, sqlite3_errcode(db->sql), "cannot count the cases");
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
		return kb_int_fail(db, KB_CORRUPT, "the index is missing; run 'pmkb reindex'");
	if ((st == KB_IO || st == KB_CORRUPT) && !strstr(db->err, "pmkb reindex")) {
		char why[sizeof db->err];
		snprintf(why, sizeof why, "%s", db->err);
		return kb_int_fail(db, KB_CORRUPT, "the index is damaged (%.300s); run 'pmkb reindex'", why);
	}
	if (st == KB_IO)
		return kb_int_fail(db, KB_CORRUPT, "%.400s", db->err);
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
			st = kb_int_fail(db, KB_INVALID, "a remote index (%s) cannot be written", dir);
		else
			st = xs_open(dir, 0, &db->xs, db->err, sizeof db->err);
		goto out;
	}
	if (mode == KB_WRITE) {
		if (mkdir_p(dir) != 0) {
			st = kb_int_fail(db, KB_IO, "cannot create directory: %s", strerror(errno));
			goto out;
		}
		/* one writer at a time, before anything is touched */
		st = take_lock(db);
		if (st != KB_OK)
			goto out;
	} else if (stat(sqlpath, &sb) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			st = kb_int_fail(db, KB_NOT_FOUND, "no knowledge base there (no kb.sqlite)");
		else /* another user's, say: unreadable, not missing */
			st = kb_int_fail(db, KB_IO, "cannot read kb.sqlite: %s", strerror(errno));
		goto out;
	}

	if (stat(sqlpath, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		st = kb_int_fail(db, KB_IO, "kb.sqlite is not a regular file");
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
		st = kb_int_sql_fail(db, rc, "cannot open kb.sqlite");
		goto out;
	}
	sqlite3_busy_timeout(db->sql, 10000);
	sqlite3_extended_result_codes(db->sql, 0);
	if (mode == KB_WRITE) {
		/* synchronous=FULL: a commit is on disk (the WAL synced) before
		 * the index commit that follows it, so after a power loss the
		 * index never holds a case SQLite lost */
		/* temp_store=MEMORY: the statement journals of a long batch
		 * (every INSERT into a table with a second index keeps one)
		 * stay in memory instead of temporary files: a 10k-thread
		 * mail import made 1.46 million pwrite calls to them */
		st = kb_int_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
				  " PRAGMA foreign_keys=OFF; PRAGMA temp_store=MEMORY");
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
	kb_int_cache_free(db);
	if (db->sql)
		sqlite3_close(db->sql);
	xs_close(db->xs);
	if (db->lockfd >= 0)
		close(db->lockfd); /* releases the flock */
	free(db->dir);
	free(db);
}

kb_status kb_reindex(kb_db *db)
{
	if (db->mode != KB_WRITE)
		return kb_int_fail(db, KB_INVALID, "knowledge base opened read-only");
	/* SQLite is the truth the index is rebuilt from: a damaged one must
	 * not pass for a smaller knowledge base */
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db->sql, "PRAGMA quick_check(1)", -1, &s, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(s);
		kb_status st = kb_int_sql_fail(db, rc, "kb.sqlite is damaged");
		return st == KB_INTERNAL ? KB_CORRUPT : st;
	}
	const char *v = (const char *)sqlite3_column_text(s, 0);
	if (!v || strcmp(v, "ok") != 0) {
		kb_status st = kb_int_fail(db, KB_CORRUPT, "kb.sqlite is damaged (%.300s); the index was left as it was",
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
/* shards */

kb_status kb_add_shard(kb_db *db, const char *dir_or_url, char *err, size_t errsz)
{
	if (db->mode != KB_READ)
		return kb_int_fail(db, KB_INVALID, "shards are for reading");
	kb_status st;
	if (str_starts(dir_or_url, "tcp://")) {
		st = xs_add(db->xs, dir_or_url, db->err, sizeof db->err);
	} else {
		char *sqlpath = xasprintf("%s/kb.sqlite", dir_or_url);
		char *xpath = xasprintf("%s/xapian", dir_or_url);
		struct stat sb;
		if (stat(sqlpath, &sb) != 0 && stat(xpath, &sb) != 0)
			st = kb_int_fail(db, KB_NOT_FOUND, "no knowledge base there");
		else
			st = xs_add(db->xs, xpath, db->err, sizeof db->err);
		if (st == KB_NOT_FOUND)
			st = kb_int_fail(db, KB_NOT_FOUND, "no index in '%s'; run 'pmkb reindex' there", dir_or_url);
		free(sqlpath);
		free(xpath);
	}
	if (st == KB_OK)
		db->nshards++;
	if (st != KB_OK && err && errsz)
		snprintf(err, errsz, "%s", db->err[0] ? db->err : kb_status_string(st));
	return st;
}
