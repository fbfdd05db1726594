/* xapian-shim.h - the C face of the Xapian index (kb/xapian-shim.cc, the
 * only C++ file). index.c and search.c build documents and queries from plain C values;
 * the shim owns every Xapian object and turns every exception into a
 * kb_status, so nothing throws across this boundary.
 */
#ifndef PMKB_XAPIAN_SHIM_H
#define PMKB_XAPIAN_SHIM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#include "kb-status.h"
#include "../util/util.h"

/* The one prefix table: the indexer (xs_replace) and the query parser
 * (xs_search) both read it, so a field is spelled the same way on both
 * sides. Values are normalised by kb_int_norm_value() in index.c before
 * they reach the shim, at index and at query time alike. */
enum {
	KB_NORM_LOWER = 1,     /* ASCII lower case */
	KB_NORM_BUGCHECK = 2,  /* 0xD1, d1, 0x000000d1 -> "0xd1" */
	KB_NORM_MODULE = 4,    /* canonical module name (pm_canon_module) */
	KB_NORM_FRAME = 8,     /* canonical module before '!', lower case */
};

typedef struct kb_prefix {
	const char *field;   /* name in queries: "module" (as in module:vwifimf) */
	const char *prefix;  /* term prefix in the index: "XM" */
	int norm;            /* KB_NORM_* flags */
} kb_prefix;

extern const kb_prefix kb_prefix_table[];
extern const size_t kb_nprefixes;
/* The entry of a field name, or NULL. */
const kb_prefix *kb_prefix_find(const char *field, size_t len);

/* Value slots of a document: the last message date; what the matcher
 * reads of a candidate (index.c's record encoding: case id and serialised
 * signatures), kept apart from the document data because values are
 * stored uncompressed: a match reads fifty of them. */
enum { KB_SLOT_DATE = 0, KB_SLOT_MATCH = 1 };

/* Schema version of the index, kept in the Xapian metadata "pmkb_schema". */
#define KB_INDEX_SCHEMA "2"

typedef struct xs_db xs_db;

/* Open the index at path (a Xapian database directory, or a remote
 * "tcp://host:port" shard when remote is set). writable creates it when
 * missing and takes the Xapian write lock (KB_LOCKED when another process
 * holds it). The schema metadata is checked (KB_VERSION on mismatch) and
 * written into a new index. On failure a reason is written to err. */
kb_status xs_open(const char *path, int writable, xs_db **out, char *err, size_t errsz);
/* Add another (read-only) database to search alongside: a directory or
 * "tcp://host:port". */
kb_status xs_add(xs_db *db, const char *path, char *err, size_t errsz);
void xs_close(xs_db *db);

/* One field term of a document: the field name of kb_prefix_table and the
 * normalised value. */
typedef struct xs_term {
	const char *field;
	const char *value;
} xs_term;

/* A document: one per case. */
typedef struct xs_doc {
	const char *case_id;     /* unique id term Q<case id> (hashed when long) */
	const xs_term *terms;
	size_t nterms;
	const char *const *texts; /* free text: title, bodies, notes */
	size_t ntexts;
	const char *date;        /* KB_SLOT_DATE value, or NULL */
	const char *data;        /* document data (index.c's encoding) */
	size_t datalen;
	const char *match;       /* KB_SLOT_MATCH value (index.c's encoding) */
	size_t matchlen;
} xs_doc;

/* Insert or replace the document of doc->case_id (not yet committed). */
kb_status xs_replace(xs_db *db, const xs_doc *doc, char *err, size_t errsz);
/* The order of the searches that follow (not the matcher's): 0 by
 * relevance, 1 newest last message first, 2 oldest first. */
void xs_set_order(xs_db *db, int order);
/* on: count every match of those searches (estimated is exact). */
void xs_set_exact(xs_db *db, int on);
/* on: the matcher's searches take each document's KB_SLOT_DATE value,
 * by which they order equal weights, from a table of them all read once
 * per index revision (one index only; else as before). */
void xs_set_dates_resident(xs_db *db, int on);
/* A matcher's candidate query (xs_candidates) on one local index weighed
 * by the shim from the posting lists (on, the default) or by Xapian's
 * Enquire (off): the same hits and weights, bit for bit (tests/unit/
 * test-match-cache.c compares them); the shim's way does a fraction of the work. */
void xs_set_direct(xs_db *db, int on);
/* Make the changes durable. */
kb_status xs_commit(xs_db *db, char *err, size_t errsz);
/* Delete the document of case_id, if any (not yet committed). */
kb_status xs_delete(xs_db *db, const char *case_id, char *err, size_t errsz);
/* Compare the index with the case ids of SQLite (ids, n of them): cases
 * without a document (*missing) and documents of no case (*extra); when
 * delete_extra is set (a writable index), those documents are deleted (not
 * yet committed). The first extra document's unique term goes to
 * first_extra (may be NULL). */
kb_status xs_compare_ids(xs_db *db, const char *const *ids, size_t n, int delete_extra,
			 unsigned long *missing, unsigned long *extra, char *first_extra,
			 size_t fesz, char *err, size_t errsz);
/* Read every document of the index (the check of pmkb check): a damaged
 * table shows as KB_CORRUPT or KB_IO. */
kb_status xs_verify(xs_db *db, char *err, size_t errsz);

/* A hit: document data, or for a matcher's search (for_match, and
 * xs_candidates) the KB_SLOT_MATCH value (malloc'd, caller frees); its
 * weight and document id. */
typedef struct xs_hit {
	char *data;
	size_t datalen;
	double weight;
	unsigned docid;
} xs_hit;

/* Parse query with the prefix table (default AND, CJK n-grams) and run it.
 * KB_BAD_QUERY on a syntax error. *hits is malloc'd (free each data, then
 * the array). Documents whose id is in skip (sorted, nskip of them; NULL:
 * none) come back unread: docid and weight set, data NULL. for_match: a
 * matcher's search, terms weighed without length normalisation (BM25 b=0),
 * as xs_candidates always does. */
kb_status xs_search(xs_db *db, const char *query, size_t offset, size_t limit,
		    int for_match, const unsigned *skip, size_t nskip,
		    xs_hit **hits, size_t *n, size_t *estimated, char *err, size_t errsz);

/* OR of the given field terms and of the words of text (may be NULL), the
 * rarest first within a budget of postings, BM25 (b=0) ranked, at most
 * limit hits; skip as for xs_search. *self receives the weight a case
 * holding the field terms and the text would get, its words as the index
 * holds them (self_text: the text through kb_int_index_text; NULL, none):
 * the weight of a duplicate of the query, a scale for the hits' weights
 * that does not depend on which cases are stored. */
kb_status xs_candidates(xs_db *db, const xs_term *terms, size_t nterms, const char *text,
			const char *self_text, size_t limit, const unsigned *skip, size_t nskip,
			xs_hit **hits, size_t *n, size_t *estimated, double *self,
			char *err, size_t errsz);

/* The document data of the documents docids (n of them; from hits of
 * this handle), into out[i].data (malloc'd, caller frees each). */
kb_status xs_fetch(xs_db *db, const unsigned *docids, size_t n, xs_hit *out, char *err,
		   size_t errsz);

/* Documents holding the field term, and the number of documents. */
kb_status xs_termfreq(xs_db *db, const char *field, const char *value,
		      unsigned long *df, unsigned long *ndocs, char *err, size_t errsz);
kb_status xs_doccount(xs_db *db, unsigned long *ndocs, char *err, size_t errsz);
/* The revision of the index a reader sees: it changes with every commit
 * and when a rebuilt index was swapped in under the reader's path (whose
 * own revision number may be the old one's); fails on a handle of
 * several indexes (shards). */
kb_status xs_revision(xs_db *db, unsigned long long *rev, char *err, size_t errsz);

/* Documents whose free text holds word, as the query parser looks it up
 * (lower case, English stem). */
kb_status xs_word_df(xs_db *db, const char *word, unsigned long *df, char *err, size_t errsz);

#ifdef __cplusplus
}
#endif

#endif
