/* kb-int.h - private to kb/: the kb_db handle and what the storage files
 * share of it. Never included outside kb/; callers outside kb/ use kb.h
 * only.
 *
 * The files of kb/ and who calls whom (each calls only the ones below it):
 *
 *   kb.c          open, close, repair, reindex, shards; the SQLite schema
 *   customer.c    outcomes and replies (their additive tables, created at
 *                 every writable open by kb.c)
 *   manage.c      listing and removing cases
 *   check.c       pmkb check
 *   feedback.c    links between analyses
 *   search.c      search, candidates, hits
 *   search-opts.c a query's fields checked; the order of results
 *   store.c       the SQLite reads and writes of cases; a write indexes the
 *                 case with index.c
 *   index.c       the index document of a case and its field terms
 *   core.c        the handle: statuses, errors, SQL helpers
 */
#ifndef PMKB_KB_INT_H
#define PMKB_KB_INT_H

#include <sqlite3.h>
#include "kb.h"
#include "xapian-shim.h"

#define KB_SCHEMA_VERSION 1
#define KB_BATCH_DEFAULT 500
#define KB_INDEX_TEXT_MAX ((size_t)4 << 20) /* text indexed per case */
#define KB_MAX_FIELD_TERMS 100000            /* field terms per case */
#define KB_QUERY_MAX_WORDS 1000              /* words of a search query */

/* The tables holding rows of one case (store.c: case_tables). */
#define KB_NCASE_TABLES 13

/* Statements kb_int_prepare keeps per handle (beyond: prepared each time). */
#define KB_STMT_CACHE 48

/* Prepared statements of store.c, made once per handle and reused. */
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
	ST_COUNT = ST_DEL_FIRST + KB_NCASE_TABLES,
};

struct kb_db {
	char *dir;
	kb_mode mode;
	sqlite3 *sql;
	xs_db *xs;
	sqlite3_stmt *st[ST_COUNT];
	/* kb_int_prepare's statements, by the address of their SQL text */
	struct {
		const char *sql;
		sqlite3_stmt *s;
	} cache[KB_STMT_CACHE];
	size_t ncache;
	char err[512];
	int batch;          /* inside kb_begin_batch .. kb_commit */
	int in_txn;         /* the batch's SQLite transaction is open */
	size_t batch_n;     /* cases stored since the last flush */
	size_t batch_size;  /* flush every batch_size cases */
	long crash_after;   /* test hook, see flush_batch (store.c) */
	size_t nshards;     /* indexes added with kb_add_shard */
	long sql_commits;
	int lockfd;         /* kb.lock, flock'ed by a writable handle; -1 */
};

/* ---- core.c ---- */

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
/* The status of a SQLite result code. */
kb_status kb_int_sql_status(int rc);
/* kb_int_fail with SQLite's message for rc: "what: message". */
kb_status kb_int_sql_fail(kb_db *db, int rc, const char *what);
/* Run SQL statements; the status and last error on failure. */
kb_status kb_int_exec(kb_db *db, const char *sql);
/* The error buffer itself, for xs_* calls. */
char *kb_int_errbuf(kb_db *db, size_t *size);
/* Column i of the current row as a new string (NULL for NULL). */
char *kb_int_col_text(sqlite3_stmt *s, int i);
/* The statement of sql, a string constant: made once per handle and kept
 * (by the address of sql), reset and unbound on each call. SQLITE_OK or
 * the code of sqlite3_prepare. Give it back with kb_int_done, which
 * resets it (a statement left stepping would hold a read transaction). */
int kb_int_prepare(kb_db *db, const char *sql, sqlite3_stmt **s);
void kb_int_done(kb_db *db, sqlite3_stmt *s);
/* Finalize the kept statements (kb_close). */
void kb_int_cache_free(kb_db *db);
/* The first column of the first row of sql as a number, -1 on failure. */
long kb_int_count_rows(kb_db *db, const char *sql);

/* The SQLite calls on an index-only handle (a remote shard). */
#define NEED_SQL(db)                                                                       \
	do {                                                                               \
		if (!(db)->sql)                                                            \
			return kb_int_fail(db, KB_INVALID, "'%s' is a remote index without cases; " \
					   "give a local --db first", (db)->dir);          \
	} while (0)

/* ---- index.c ---- */

/* The field terms of a document or a candidate query. */
typedef struct kb_terms {
	xs_term *terms;
	size_t nterms, terms_cap;
	char **owned; /* strings to free */
	size_t nowned, owned_cap;
} kb_terms;

/* The normalised value of a field term (kb_prefix_table norm flags):
 * the same at index and at query time; caller frees. */
char *kb_int_norm_value(const kb_prefix *p, const char *v, size_t len);
/* The same by field name; NULL for an unknown field or a NULL v. */
char *kb_int_norm_field(const char *field, const char *v);
/* The field terms of one signature. kept_only: only frames that are not
 * skipped (candidates); the index holds every frame. */
void kb_int_sig_terms(kb_terms *b, const pm_signature *s, int kept_only);
void kb_int_terms_free(kb_terms *b);
/* Index (replace, not commit) the document of c. sigs[i] and sigtext[i]
 * belong to c->analyses[i]. */
kb_status kb_int_index_doc(kb_db *db, const pm_case *c, const pm_signature *sigs, char **sigtext);
/* text as the index holds a case's body: each distinct line once, hex
 * numbers of more than 8 digits left out (appended to out) */
void kb_int_index_text(const char *text, sbuf *out);

/* ---- store.c ---- */

/* The tables holding rows of one case (column id in "cases", case_id in
 * the others): what removing a case deletes. */
const char *const *kb_int_case_tables(size_t *n);
/* Load the case id from SQLite and index it (repair, reindex); the
 * document of a case SQLite does not hold is deleted. */
kb_status kb_int_index_case(kb_db *db, const char *id);

/* ---- search-opts.c ---- */

/* 0 when the fields and values of a search query are known and well
 * formed (field: names of kb_prefix_table, date:FROM..TO, bugcheck: a hex
 * code); else -1 with the reason in err. */
int kb_int_check_query(const char *q, char *err, size_t errsz);

/* ---- feedback.c ---- */

/* Delete the links of a case inside the caller's transaction; *n is how
 * many. */
kb_status kb_int_links_del_case(kb_db *db, const char *case_id, size_t *n);

/* ---- customer.c ---- */

/* Create the outcome and reply-queue tables when missing (every writable
 * open; additive, no schema version change). */
kb_status kb_customer_schema(kb_db *db);

#endif
