/* kb.h - the knowledge base: SQLite (source of truth) plus a Xapian index
 * rebuilt from it at will. Callers never see a SQLite or Xapian type.
 *
 * Every function returns a kb_status; results come through out-parameters
 * the caller owns and frees with the matching *_free function. On failure
 * kb_last_error() holds a one-line reason (lower case, no full stop).
 */
#ifndef PMKB_KB_H
#define PMKB_KB_H

#include <stddef.h>
#include "../import/model.h"
#include "../sig/signature.h"
#include "kb-status.h"

typedef struct kb_db kb_db;


typedef enum kb_mode {
	KB_READ = 0,
	KB_WRITE = 1, /* creates the directory and databases if missing */
	KB_REINDEX = 2, /* KB_WRITE that does not open the index (it may be
			 * damaged or of another schema): for kb_reindex, which
			 * builds a new one and swaps it in */
} kb_mode;

/* Open the knowledge base in dir (created when mode is KB_WRITE: the index
 * and kb.sqlite each made whole beside and renamed into place). KB_WRITE
 * takes the single-writer lock (kb.lock) and repairs what a kill or damage
 * left (docs/schema.md): an index missing or unopenable is rebuilt from
 * SQLite, pending cases re-indexed, an index holding another number of
 * cases rebuilt. On failure *out is NULL and, when err is not NULL, a
 * one-line reason is written into it. */
kb_status kb_open(const char *dir, kb_mode mode, kb_db **out, char *err, size_t errsz);
void kb_close(kb_db *db);
const char *kb_last_error(const kb_db *db);

/* Store (insert or replace) a case with the signature of each analysis
 * (sigs[i] belongs to c->analyses[i]; sigs may be NULL to let kb build them
 * with sig_build). One SQLite transaction per case, then the index.
 * Re-storing the same case id replaces it: idempotent. */
kb_status kb_put_case(kb_db *db, const pm_case *c, const pm_signature *sigs);

/* Group many kb_put_case calls: durability is at kb_commit (SQLite and the
 * index are flushed every n cases and at commit). Optional. */
kb_status kb_begin_batch(kb_db *db);
kb_status kb_commit(kb_db *db);

/* Load a stored case (messages, notes, analyses with their fields). */
kb_status kb_get_case(kb_db *db, const char *id, pm_case **out);
/* Signatures of a stored case, one per analysis, same order. */
kb_status kb_get_signatures(kb_db *db, const char *id, pm_signature **out, size_t *n);
void kb_signatures_free(pm_signature *s, size_t n);

/* Which case holds the message with this Message-ID (mail threading)?
 * *case_id NULL when none. */
kb_status kb_case_by_message_id(kb_db *db, const char *message_id, char **case_id);

typedef struct kb_stats {
	long cases, messages, analyses, notes, frames, modules, pool_tags;
	long indexed; /* documents in the index */
} kb_stats;
kb_status kb_get_stats(kb_db *db, kb_stats *out);

/* Rebuild the whole index from SQLite, beside the old one, then swap it
 * in (readers see the old index or the new one). KB_CORRUPT, the index
 * left as it was, when kb.sqlite fails PRAGMA quick_check. */
kb_status kb_reindex(kb_db *db);

/* Search results. data fields are what the index document holds, so they
 * are available from remote shards too. A search (kb_search) fills all but
 * sigs; a matcher's search (kb_search_skip, kb_candidates) fills case_id
 * and sigs only, and kb_fill_hits the rest for the hits it shows. */
typedef struct kb_hit {
	char *case_id;
	char *title;
	char *customer;
	char *date;          /* last message date */
	char *status;
	double weight;       /* BM25 weight from the index */
	char **sigs;         /* serialised signatures (sig_serialize) of the case's analyses */
	size_t nsigs;
	size_t nanalyses;    /* how many analyses the case has */
	char **next_steps;   /* next-step notes of the case, in order */
	size_t nnext_steps;
	char *conclusion;    /* last conclusion note, or NULL */
	unsigned docid;      /* the index document, for kb_docset */
	/* kb_fill_hits, documents indexed since these were added (else NULL,
	 * -2): the 0-based message of each next step, of the conclusion and
	 * of each analysis (-1: a bare text), to tie a note to the analysis
	 * it answers */
	int *next_step_msgs; /* nnext_steps entries */
	int conclusion_msg;
	int *analysis_msgs;
	size_t nanalysis_msgs;
} kb_hit;

typedef struct kb_hits {
	kb_hit *hits;
	size_t n;
	size_t estimated;    /* estimated total matches */
	double self_weight;  /* kb_candidates: the weight a duplicate of the query would get
			      * (the scale of the hits' weights); 0 from the searches */
} kb_hits;
void kb_hits_free(kb_hits *h);
/* Fill title, customer, date, status, conclusion and next steps of hits
 * (by docid, from this handle's searches) from their index documents. */
kb_status kb_fill_hits(kb_db *db, kb_hit *const *hits, size_t n);

/* Full-text and field search: query syntax in docs/pmkb-search.1
 * (case:, customer:, bugcheck:, module:, frame:, pooltag:, process:, free
 * text including Chinese). KB_BAD_QUERY on a syntax error. */
kb_status kb_search(kb_db *db, const char *query, size_t offset, size_t limit, kb_hits **out);

/* The order of this handle's kb_search results from now on (the
 * matcher's searches are not affected). Documents without a date sort
 * last when newest first. */
typedef enum kb_order { KB_ORDER_RELEVANCE = 0, KB_ORDER_NEWEST, KB_ORDER_OLDEST } kb_order;
void kb_search_order(kb_db *db, kb_order order);
/* on: this handle's kb_search counts every match (kb_hits.estimated is
 * then exact), at the cost of visiting them all. */
void kb_search_exact_count(kb_db *db, int on);
/* on: this handle, a long-lived reader, keeps every document's last-message
 * date in memory (read again when the index revision changes) for the
 * matcher's searches, which order equal weights by it: they then read no
 * date from the index. The same order as without; for a server's worker,
 * where the first match after each commit pays for reading them all. */
void kb_match_dates_resident(kb_db *db, int on);
/* on (the default): kb_candidates on a local index weighs the candidate
 * query from the posting lists itself; off: through Xapian's Enquire. The
 * same hits in the same order with the same weights either way (checked by
 * tests/unit/test-match-cache.c); on does a fraction of the work. */
void kb_match_direct(kb_db *db, int on);

/* Index documents already read by one match: later searches of the same
 * match return them as hits with only docid and weight set (case_id and
 * the rest NULL), without reading their data again. The ranking and the
 * limit are those of the whole result. Valid for one open kb_db. */
typedef struct kb_docset {
	unsigned *ids; /* sorted, distinct */
	size_t n, cap;
} kb_docset;
void kb_docset_add(kb_docset *s, unsigned docid);
int kb_docset_has(const kb_docset *s, unsigned docid);
/* docid's position in s->ids, or s->n when s does not hold it (a caller
 * keeping something for each id in a parallel array finds it so). */
size_t kb_docset_find(const kb_docset *s, unsigned docid);
void kb_docset_free(kb_docset *s);

/* kb_search for the matcher: the documents of skip (NULL: none) unread,
 * and terms weighed as kb_candidates does (BM25 without length
 * normalisation), not as a search for an engineer. */
kb_status kb_search_skip(kb_db *db, const char *query, size_t offset, size_t limit,
			 const kb_docset *skip, kb_hits **out);

/* Candidates for matching a signature: an OR query over its terms
 * (bugcheck, kept frames, modules, pool tags, process) and text, BM25
 * ranked without length normalisation (b = 0). Bounded work: the rarest
 * terms within a budget of postings (kb/xapian-shim.cc), at most limit
 * hits; the documents of skip (NULL: none) unread. */
kb_status kb_candidates(kb_db *db, const pm_signature *sig, const char *text,
			size_t limit, const kb_docset *skip, kb_hits **out);

/* Document frequency of a field term (e.g. field "frame", value
 * "nwifi!Dot11SendCompletion") and the number of documents: for frame
 * rarity weights learned from the knowledge base. */
kb_status kb_term_df(kb_db *db, const char *field, const char *value,
		     unsigned long *df, unsigned long *ndocs);

/* The revision of the index as the handle reads it now (kb_candidates and
 * searches move a reader to the newest commit, and to an index reindex
 * swapped in): equal revisions, equal documents and document frequencies.
 * Fails (KB_INTERNAL) on a handle with shards. */
kb_status kb_revision(kb_db *db, unsigned long long *rev);

/* Cases whose free text holds word (as a search for it finds them). */
kb_status kb_word_df(kb_db *db, const char *word, unsigned long *df);

/* Call fn for every stored analysis signature (rules test). Stops and
 * returns fn's non-zero value if it returns one. */
typedef int (*kb_sig_fn)(void *ctx, const char *case_id, int analysis_index,
			 const pm_signature *sig);
kb_status kb_foreach_signature(kb_db *db, kb_sig_fn fn, void *ctx);

/* Small key-value state kept in SQLite (e.g. IMAP UIDVALIDITY and last UID
 * per mailbox). *value NULL when absent. */
kb_status kb_state_get(kb_db *db, const char *key, char **value);
kb_status kb_state_set(kb_db *db, const char *key, const char *value);

/* The default directory: $PMKB_DB, else $XDG_DATA_HOME/pmkb, else
 * ~/.local/share/pmkb. Caller frees. NULL when none of them is set ($HOME
 * unset or not absolute): never a directory relative to where pmkb runs. */
char *kb_default_dir(void);

/* Search several knowledge bases as one (docs/shards.md): add the index of
 * another directory, or a remote index "tcp://host:port" served by
 * xapian-tcpsrv, to a handle opened with KB_READ. Searches, candidates and
 * term frequencies then cover all of them (hits carry their data, so no
 * SQLite is needed); case reads (kb_get_case, stats, ...) still use the
 * first. kb_open(dir, KB_READ) also accepts "tcp://host:port": an
 * index-only handle whose SQLite calls fail with KB_INVALID. Errors:
 * KB_UNAVAILABLE (shard unreachable), KB_NOT_FOUND, KB_VERSION. */
kb_status kb_add_shard(kb_db *db, const char *dir_or_url, char *err, size_t errsz);

/* Where the stored case id came from: its source and format (either may
 * be NULL when not recorded; caller frees both). KB_NOT_FOUND when no case
 * has this id. A cheap lookup, for an importer deciding whether an id is
 * taken (cli/import-place.c). */
kb_status kb_case_origin(kb_db *db, const char *id, char **source, char **format);

/* What pmkb check found (kb/check.c). Problems are one-line reasons, ""
 * when none. */
typedef struct kb_check_report {
	char sqlite_problem[512]; /* kb.sqlite failed quick_check/integrity_check */
	char index_problem[512];  /* the index cannot be opened or read */
	int index_missing;        /* there is no index (yet) */
	long cases;               /* cases in kb.sqlite */
	long pending;             /* cases waiting to be (re)indexed */
	unsigned long indexed;    /* documents in the index */
	unsigned long missing;    /* cases without an index document */
	unsigned long extra;      /* index documents of no case in kb.sqlite */
	char first_extra[128];    /* the id of one of them */
	int leftover;             /* xapian.new of an interrupted rebuild */
} kb_check_report;

/* Check the knowledge base in dir without writing to it: kb.sqlite
 * (PRAGMA quick_check, or integrity_check when full), the index (opens;
 * when full, every document and term read), the index against kb.sqlite
 * (every case has its document, no document without a case), and pending
 * work. KB_OK when the check ran (what it found is in *r); KB_NOT_FOUND
 * when dir holds no knowledge base. */
kb_status kb_check(const char *dir, int full, kb_check_report *r, char *err, size_t errsz);
/* ---- engineer feedback (kb/feedback.c; docs/schema.md, table links) ----
 * "These two analyses have the same root cause" or "not the same", kept in
 * SQLite apart from the case rows, so re-import, reindex, new rules or a
 * new scoring never undo it. An analysis is a case id and the index of one
 * of its analyses, or -1 for the whole case. A pair is unordered: storing
 * it again replaces the earlier judgement. */
typedef struct kb_link {
	char *a_case, *b_case;
	int a_analysis, b_analysis; /* -1: the whole case */
	int same;                   /* 1: same root cause, 0: different */
	char *who, *at, *note;      /* who said so, when (UTC, ISO 8601), why (or NULL) */
} kb_link;

/* Store l (who, at and note as given; at NULL: now). Both cases, and the
 * analyses named, must be stored (KB_NOT_FOUND, reason in kb_last_error);
 * a pair of one analysis with itself is KB_INVALID. */
kb_status kb_link_put(kb_db *db, const kb_link *l);
/* Remove the judgement on a pair; *removed says whether there was one. */
kb_status kb_link_del(kb_db *db, const char *a_case, int a_analysis, const char *b_case,
		      int b_analysis, int *removed);
/* The links touching case_id (NULL: every link), oldest first. A knowledge
 * base without the table (never linked), or an index-only handle, has
 * none. Caller frees with kb_links_free. */
kb_status kb_links(kb_db *db, const char *case_id, kb_link **out, size_t *n);
/* The stored analyses whose signature is exactly sigtext (sig_serialize),
 * among those named by a link: what a query "is", when it was stored.
 * Analyses of a whole-case link match any analysis of that case. */
typedef struct kb_analysis_ref {
	char *case_id;
	int analysis;
} kb_analysis_ref;
kb_status kb_linked_analyses(kb_db *db, const char *sigtext, kb_analysis_ref **out, size_t *n);
void kb_links_free(kb_link *l, size_t n);
void kb_refs_free(kb_analysis_ref *r, size_t n);

/* ---- managing cases (kb/manage.c) ---- */

/* One line of a listing. */
typedef struct kb_case_row {
	char *id, *title, *customer, *first_date, *last_date, *status, *source;
	long analyses;
} kb_case_row;

typedef enum kb_sort { KB_SORT_DATE = 0, KB_SORT_CASE } kb_sort;

/* Stored cases, newest last message first (KB_SORT_DATE) or by id, those
 * whose last message date is within [from, to] (either NULL: open; dates
 * compared as text, "YYYY-MM-DD" prefixes), from offset, at most limit (0:
 * all). *total is the number that qualify. Caller frees with
 * kb_case_rows_free. */
kb_status kb_list_cases(kb_db *db, kb_sort sort, const char *from, const char *to, size_t offset,
			size_t limit, kb_case_row **out, size_t *n, size_t *total);
void kb_case_rows_free(kb_case_row *r, size_t n);

/* Remove a case: its rows in SQLite and its links (one transaction), then
 * its index document; a crash between the two is repaired at the next
 * writable open. *nlinks is how many links were removed with it.
 * KB_NOT_FOUND when there is no such case. */
kb_status kb_rm_case(kb_db *db, const char *id, size_t *nlinks);

#endif
