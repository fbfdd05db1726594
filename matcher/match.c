/* match.c - the verdict for one query signature: rules first, then
 * candidates from the index re-ranked by the structured score (match.h),
 * and the text and JSON an engineer reads. */
#define _GNU_SOURCE /* strcasestr */
#include "match.h"
#include "feedback.h"
#include "../util/json.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>

/* ---- frame rarity from the knowledge base, cached for one query ---- */

/* At most IDF_MAX look-ups are cached (a hash table of IDF_SLOTS slots);
 * beyond that, still answered (uncached). A server's worker keeps more
 * between matches (IDFC_MAX, match_cache_idf): the rarity of the frames of
 * every candidate of a few thousand matches at 100k cases. */
#define IDF_MAX 4096
#define IDF_SLOTS 8192
#define IDFC_MAX 32768
#define IDFC_SLOTS 65536

typedef struct idf_cache {
	kb_db *db;
	char **keys;     /* slots of them, NULL = free; allocated on first use */
	double *vals;
	size_t n;
	size_t max, slots; /* 0: IDF_MAX, IDF_SLOTS (slots a power of two, above max) */
	size_t hits, lookups; /* answered from the cache, looked up (match_cache_counts) */
} idf_cache;

/* The slot of key, hashed by sig_fold_hash (fold: that hash when the
 * caller has it, a kept frame's key_fold; 0: computed here), so every
 * path to one key hashes it alike. */
static size_t idf_slot(const idf_cache *c, const char *key, uint32_t fold)
{
	size_t i = (size_t)(fold ? fold : sig_fold_hash(key)) & (c->slots - 1);
	while (c->keys[i] && strcmp(c->keys[i], key))
		i = (i + 1) & (c->slots - 1);
	return i;
}

/* IDF of a frame (or of a code and Arg1, or a module) in 0.05..1: log((N+1)/(df+0.5))
 * over its maximum. A frame the index does not know counts as rare (1). */
static double idf_lookup(kb_db *db, const char *key)
{
	unsigned long df = 0, ndocs = 0;
	double v = 1.0;
	/* "<tab>field:value" (score.h SCORE_ARGKEY, SCORE_MODKEY) is a term
	 * of that field */
	char field[16] = "frame";
	const char *value = key;
	const char *colon = key[0] == '\t' ? strchr(key, ':') : NULL;
	if (colon && (size_t)(colon - key) < sizeof field) {
		memcpy(field, key + 1, (size_t)(colon - key - 1));
		field[colon - key - 1] = 0;
		value = colon + 1;
	}
	if (kb_term_df(db, field, value, &df, &ndocs) == KB_OK && ndocs > 0 && df > 0) {
		double max = log(((double)ndocs + 1) / 0.5);
		v = log(((double)ndocs + 1) / ((double)df + 0.5)) / max;
		if (v < 0.05)
			v = 0.05;
		if (v > 1)
			v = 1;
	}
	return v;
}

/* The slot of key, taken for it (value to fill) when *fresh; SIZE_MAX when
 * the cache is full and key not in it. */
static size_t idf_take(idf_cache *c, const char *key, uint32_t fold, int *fresh)
{
	if (!c->keys) {
		if (!c->slots) {
			c->max = IDF_MAX;
			c->slots = IDF_SLOTS;
		}
		c->keys = xcalloc(c->slots, sizeof *c->keys);
		c->vals = xcalloc(c->slots, sizeof *c->vals);
	}
	size_t slot = idf_slot(c, key, fold);
	*fresh = !c->keys[slot];
	if (*fresh) {
		if (c->n >= c->max)
			return SIZE_MAX;
		c->keys[slot] = xstrdup(key);
		c->n++;
	}
	return slot;
}

static double kb_idf(void *ctx, const char *key, uint32_t fold)
{
	idf_cache *c = ctx;
	if (!key || !c->db)
		return 1.0;
	int fresh;
	size_t slot = idf_take(c, key, fold, &fresh);
	if (slot == SIZE_MAX || fresh)
		c->lookups++;
	else
		c->hits++;
	if (slot == SIZE_MAX)
		return idf_lookup(c->db, key);
	if (fresh)
		c->vals[slot] = idf_lookup(c->db, key);
	return c->vals[slot];
}

static int key_cmp(const void *a, const void *b)
{
	return strcasecmp(*(const char *const *)a, *(const char *const *)b);
}

/* Look up the frames score_stack will weigh (and the query's code and
 * Arg1), in index order: neighbouring
 * terms share the B-tree blocks the index reads, where one look-up per
 * score, in stack order, would read a leaf each. */
static void idf_prefill(idf_cache *c, const pm_signature *const *sigs, size_t nsigs, size_t max_frames)
{
	const char **keys = NULL;
	size_t n = 0, cap = 0;
	/* the query's code and Arg1, process, third-party modules, pool
	 * owners and culprit (score_pair weighs their agreement by these) */
	const pm_signature *q = nsigs && c->db ? sigs[0] : NULL;
	size_t nq = q ? 3 + q->nthird_party + q->npool_tags : 0;
	for (size_t i = 0; i < nq && i < 64; i++) {
		char *k = NULL;
		if (i == 0)
			k = score_arg_key(q);
		else if (i == 1)
			k = score_culprit(q) ? xasprintf(SCORE_MODKEY "%s", score_culprit(q)) : NULL;
		else if (i == 2)
			k = q->process && *q->process ? xasprintf(SCORE_PROCKEY "%s", q->process) : NULL;
		else if (i - 3 < q->nthird_party)
			k = xasprintf(SCORE_MODKEY "%s", q->third_party[i - 3]);
		else if (q->pool_tags[i - 3 - q->nthird_party].owner)
			k = xasprintf(SCORE_MODKEY "%s", q->pool_tags[i - 3 - q->nthird_party].owner);
		if (!k)
			continue;
		int fresh;
		size_t slot = idf_take(c, k, 0, &fresh);
		if (slot != SIZE_MAX && fresh) {
			XGROW(keys, cap, n + 1);
			keys[n++] = c->keys[slot];
		} else if (slot != SIZE_MAX) {
			c->hits++;
		}
		free(k);
	}
	for (size_t s = 0; s < nsigs && c->db; s++) {
		size_t kept = 0;
		const sig_frame *f;
		for (size_t i = 0; kept < max_frames && (f = sig_next_kept(sigs[s], &i));) {
			if (!f->key)
				continue;
			kept++;
			int fresh;
			size_t slot = idf_take(c, f->key, f->key_fold, &fresh);
			if (slot == SIZE_MAX || !fresh) {
				c->hits += slot != SIZE_MAX;
				continue;
			}
			XGROW(keys, cap, n + 1);
			keys[n++] = c->keys[slot];
		}
	}
	if (n)
		qsort(keys, n, sizeof *keys, key_cmp);
	for (size_t i = 0; i < n; i++) {
		int fresh;
		c->vals[idf_take(c, keys[i], 0, &fresh)] = idf_lookup(c->db, keys[i]);
	}
	c->lookups += n;
	free(keys);
}

static void idf_free(idf_cache *c)
{
	for (size_t i = 0; c->keys && i < c->slots; i++)
		free(c->keys[i]);
	free(c->keys);
	free(c->vals);
	c->keys = NULL;
	c->vals = NULL;
	c->n = 0;
}

/* ---- what a long-lived reader keeps between matches (match_cache) ---- */

/* Parsed candidate signatures: a direct-mapped table by document and
 * analysis. A document replaced by an import may keep its number: on one
 * index the whole table is dropped when its revision changes (no entry
 * outlives the revision it was read at, so none keeps its text); on
 * several (shards: no one revision) each entry is checked against the
 * signature text, kept with it. An entry's signature (and text) live in
 * chunks of memory of the cache's own (mapped, not malloc'd: thousands
 * of long-lived blocks among a match's short-lived ones made every
 * malloc and free slower, more than parsing cost), all dropped together
 * when SIGC_BUDGET is used up, between two matches. */
#define SIGC_SLOTS 131072
#define SIGC_CHUNK ((size_t)1 << 20)
#define SIGC_BUDGET ((size_t)128 << 20)

typedef struct sigc_entry {
	const char *text; /* the stored signature text (in a chunk); NULL when the
			   * index revision vouches for it (sigc_by_rev) */
	unsigned docid;
	size_t idx;
	int ok;           /* sig_parse succeeded: sig holds it */
	unsigned long gen; /* the match that last lent it out */
	pm_signature sig; /* its strings and arrays in a chunk */
} sigc_entry;

/* An index document all of whose analyses are kept (on one index only,
 * for the revision the cache is of): its candidate search need not read
 * it again (kb_candidates' skip), what the read would give is here. */
typedef struct sigc_doc {
	unsigned docid;
	const char *case_id;  /* in a chunk */
	size_t nsigs;
	sigc_entry **e;       /* nsigs of them, in a chunk */
	/* the words of its title and notes (match_hit_text), counted, for a
	 * thin query's text part: DOC_TEXT_* */
	int text_state;
	const score_text *text; /* in a chunk, when DOC_TEXT_WORDS */
} sigc_doc;

enum { DOC_TEXT_UNKNOWN = 0, DOC_TEXT_NONE, DOC_TEXT_WORDS };

struct match_cache {
	sigc_entry **sigs;    /* SIGC_SLOTS (NULL: free), allocated on first use; the
			       * entries are in the chunks */
	char **chunks;        /* SIGC_CHUNK bytes each, the last one being filled */
	size_t nchunks, chunks_cap, chunk_used;
	size_t sig_hits, sig_misses;
	/* the documents kept whole: ids sorted (a kb_docset's ids) with
	 * their docs, and those added since the last sigc_docs_merge */
	unsigned *doc_ids;
	sigc_doc **docs;
	size_t ndocs, docs_cap;
	sigc_doc **fresh_docs;
	size_t nfresh, fresh_cap;
	size_t doc_hits;      /* candidates not read again (match_cache_counts) */
	unsigned long gen;    /* the match running now (match_signature counts) */
	idf_cache idf;        /* the rarity of the terms, for index revision rev */
	unsigned long long rev;
	int rev_known;        /* rev is the index's revision: the parsed signatures
			       * are of it (their texts not kept) */
	size_t idf_hits, idf_lookups; /* of idf caches emptied since */
};

match_cache *match_cache_new(void)
{
	return xcalloc(1, sizeof(match_cache));
}

/* Forget every parsed signature (between matches only: none is lent). */
static void sigc_reset(match_cache *c)
{
	for (size_t i = 0; i < c->nchunks; i++)
		munmap(c->chunks[i], SIGC_CHUNK);
	c->nchunks = 0;
	c->chunk_used = 0;
	if (c->sigs)
		memset(c->sigs, 0, SIGC_SLOTS * sizeof *c->sigs);
	c->ndocs = 0;
	c->nfresh = 0;
}

/* n bytes (aligned for pointers) of the cache's chunks; NULL when more
 * than a chunk or no memory (the signature is then not kept). */
static void *sigc_alloc(match_cache *c, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (n > SIGC_CHUNK)
		return NULL;
	if (!c->nchunks || c->chunk_used + n > SIGC_CHUNK) {
		void *m = mmap(NULL, SIGC_CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			return NULL;
		XGROW(c->chunks, c->chunks_cap, c->nchunks + 1);
		c->chunks[c->nchunks++] = m;
		c->chunk_used = 0;
	}
	void *p = c->chunks[c->nchunks - 1] + c->chunk_used;
	c->chunk_used += n;
	return p;
}

void match_cache_free(match_cache *c)
{
	if (!c)
		return;
	sigc_reset(c);
	free(c->chunks);
	free(c->sigs);
	free(c->doc_ids);
	free(c->docs);
	free(c->fresh_docs);
	idf_free(&c->idf);
	free(c);
}

void match_cache_counts(const match_cache *c, size_t *sig_hits, size_t *sig_misses,
			size_t *idf_hits, size_t *idf_misses)
{
	*sig_hits = c ? c->sig_hits : 0;
	*sig_misses = c ? c->sig_misses : 0;
	*idf_hits = c ? c->idf_hits + c->idf.hits : 0;
	*idf_misses = c ? c->idf_lookups + c->idf.lookups : 0;
}

size_t match_cache_docs_reused(const match_cache *c)
{
	return c ? c->doc_hits : 0;
}

/* Move the parsed s into e, in the cache's chunks (sig_relocate): 0, or
 * -1 (s left as it was) when it does not fit. */
static int sigc_keep(match_cache *c, sigc_entry *e, pm_signature *s)
{
	char *m = sigc_alloc(c, sig_relocate_size(s));
	pm_signature d;
	if (!m)
		return -1;
	if (sig_relocate(s, m, &d) != 0)
		return -1; /* the chunk's bytes are lost until the next reset */
	sig_clear(s);
	e->sig = d;
	return 0;
}

/* How a candidate's parsed signature is held (parsed_hit.ok) */
enum { SIG_NONE = 0, SIG_OWNED, SIG_LENT };

/* Parse text (analysis idx of document docid) into out: SIG_OWNED (out
 * is the caller's), SIG_LENT (out is the cache's entry, copied as a
 * struct: its strings and arrays are the cache's, never changed or freed
 * by the caller, see cand_clear; kept until the match ends), or SIG_NONE
 * when the text does not parse. */
static int sig_parse_cached(match_cache *c, unsigned docid, size_t idx, const char *text,
			    pm_signature *out, sigc_entry **ent)
{
	*ent = NULL;
	if (!c)
		return sig_parse(text, out) == 0 ? SIG_OWNED : SIG_NONE;
	if (!c->sigs)
		c->sigs = xcalloc(SIGC_SLOTS, sizeof *c->sigs);
	size_t h = ((size_t)docid * 0x9e3779b1u + idx * 0x85ebca6bu) & (SIGC_SLOTS - 1);
	sigc_entry *e = c->sigs[h];
	if (e && e->docid == docid && e->idx == idx && (!e->text || !strcmp(e->text, text))) {
		c->sig_hits++;
		*ent = e;
		if (!e->ok) {
			memset(out, 0, sizeof *out);
			return SIG_NONE;
		}
		e->gen = c->gen;
		*out = e->sig;
		return SIG_LENT;
	}
	c->sig_misses++;
	int ok = sig_parse(text, out) == 0;
	if (e && e->gen == c->gen)
		return ok ? SIG_OWNED : SIG_NONE; /* lent to this match: kept */
	sigc_entry *ne = sigc_alloc(c, sizeof *ne);
	char *t = NULL;
	if (ne && !c->rev_known) {
		size_t len = strlen(text) + 1;
		if ((t = sigc_alloc(c, len)) != NULL)
			memcpy(t, text, len);
	}
	if (!ne || (!c->rev_known && !t))
		return ok ? SIG_OWNED : SIG_NONE;
	memset(ne, 0, sizeof *ne);
	if (ok && sigc_keep(c, ne, out) != 0)
		return SIG_OWNED; /* not kept: the slot keeps what it held */
	ne->text = t;
	ne->docid = docid;
	ne->idx = idx;
	ne->ok = ok;
	ne->gen = c->gen;
	c->sigs[h] = ne; /* the entry it replaces stays in its chunk until the reset */
	*ent = ne;
	if (!ok)
		return SIG_NONE;
	*out = ne->sig;
	return SIG_LENT;
}

static int docid_cmp(const void *a, const void *b)
{
	unsigned x = (*(sigc_doc *const *)a)->docid, y = (*(sigc_doc *const *)b)->docid;
	return x < y ? -1 : x > y;
}

/* The kept document docid, or NULL. */
static sigc_doc *sigc_doc_find(const match_cache *c, unsigned docid)
{
	/* doc_ids: sorted, distinct, docs[i] kept for doc_ids[i] */
	const kb_docset sorted = {.ids = c->doc_ids, .n = c->ndocs};
	size_t i = kb_docset_find(&sorted, docid);
	if (i < c->ndocs)
		return c->docs[i];
	for (size_t k = 0; k < c->nfresh; k++)
		if (c->fresh_docs[k]->docid == docid)
			return c->fresh_docs[k];
	return NULL;
}

/* The documents kept since the last merge join the sorted ones (once a
 * match: a sort of those few and one pass over the rest). */
static void sigc_docs_merge(match_cache *c)
{
	if (!c->nfresh)
		return;
	qsort(c->fresh_docs, c->nfresh, sizeof *c->fresh_docs, docid_cmp);
	size_t n = c->ndocs + c->nfresh;
	if (n > c->docs_cap) {
		c->docs_cap = n * 2;
		c->doc_ids = xrealloc(c->doc_ids, c->docs_cap * sizeof *c->doc_ids);
		c->docs = xrealloc(c->docs, c->docs_cap * sizeof *c->docs);
	}
	/* from the end: i over the old, j over the fresh, k where they go */
	size_t i = c->ndocs, j = c->nfresh, k = n;
	while (j > 0) {
		if (i > 0 && c->doc_ids[i - 1] > c->fresh_docs[j - 1]->docid) {
			k--;
			i--;
			c->doc_ids[k] = c->doc_ids[i];
			c->docs[k] = c->docs[i];
		} else {
			k--;
			j--;
			c->doc_ids[k] = c->fresh_docs[j]->docid;
			c->docs[k] = c->fresh_docs[j];
		}
	}
	c->ndocs = n;
	c->nfresh = 0;
}

/* Keep document h whole (its analyses' entries e), when the cache is of
 * one index revision and has room. */
static void sigc_doc_keep(match_cache *c, const kb_hit *h, sigc_entry **e)
{
	if (!c->rev_known || !h->case_id || sigc_doc_find(c, h->docid))
		return;
	size_t len = strlen(h->case_id) + 1;
	sigc_doc *d = sigc_alloc(c, sizeof *d);
	char *id = d ? sigc_alloc(c, len) : NULL;
	sigc_entry **v = id && h->nsigs ? sigc_alloc(c, h->nsigs * sizeof *v) : NULL;
	if (!id || (h->nsigs && !v))
		return;
	memcpy(id, h->case_id, len);
	if (h->nsigs)
		memcpy(v, e, h->nsigs * sizeof *v);
	d->docid = h->docid;
	d->case_id = id;
	d->nsigs = h->nsigs;
	d->e = v;
	d->text_state = DOC_TEXT_UNKNOWN;
	d->text = NULL;
	XGROW(c->fresh_docs, c->fresh_cap, c->nfresh + 1);
	c->fresh_docs[c->nfresh++] = d;
}

/* The candidates the search left unread because the cache keeps them
 * (case_id NULL) take what a read would have given: -1 when one is not
 * kept (the cache was dropped since: read them again). */
static int sigc_fill_hits(match_cache *c, kb_hits *hs)
{
	for (size_t i = 0; i < hs->n; i++) {
		kb_hit *h = &hs->hits[i];
		if (h->case_id)
			continue;
		const sigc_doc *d = sigc_doc_find(c, h->docid);
		if (!d)
			return -1;
		h->case_id = xstrdup(d->case_id);
		h->nsigs = h->nanalyses = d->nsigs;
		h->sigs = xcalloc(d->nsigs + 1, sizeof *h->sigs); /* NULL: kept (parse_hit) */
		h->conclusion_msg = -2; /* as hit_from_data leaves it */
		c->doc_hits++;
	}
	return 0;
}

/* The cache's rarity table for db as it reads now: emptied when the
 * index changed since (or could not say), or when it grew big (what is
 * not in it is looked up again: the same values). */
static idf_cache *match_cache_idf(match_cache *c, kb_db *db)
{
	unsigned long long rev = 0;
	int known = kb_revision(db, &rev) == KB_OK;
	/* the parsed signatures: of another revision, or now checked
	 * another way (sig_parse_cached) */
	if (known != c->rev_known || (known && rev != c->rev))
		sigc_reset(c);
	if (!known || !c->rev_known || rev != c->rev || c->idf.n > IDFC_MAX / 2) {
		c->idf_hits += c->idf.hits;
		c->idf_lookups += c->idf.lookups;
		idf_free(&c->idf);
		memset(&c->idf, 0, sizeof c->idf);
		c->idf.max = IDFC_MAX;
		c->idf.slots = IDFC_SLOTS;
	}
	c->rev = rev;
	c->rev_known = known;
	c->idf.db = db;
	return &c->idf;
}

char *match_hit_text(const kb_hit *h)
{
	sbuf sb = {0};
	const char *part[2] = {h->title, h->conclusion};
	for (size_t i = 0; i < 2 + h->nnext_steps; i++) {
		const char *t = i < 2 ? part[i] : h->next_steps[i - 2];
		if (t) {
			sb_adds(&sb, t);
			sb_addc(&sb, '\n');
		}
	}
	return sb_detach(&sb);
}

/* The top kept frame of s (the fault function), or NULL. */
static const sig_frame *first_kept(const pm_signature *s)
{
	const sig_frame *f;
	for (size_t i = 0; (f = sig_next_kept(s, &i));)
		if (f->key)
			return f;
	return NULL;
}

/* Does a rule of the same cause as r name case id? */
static int cause_names_case(const ruleset *rs, const rule *r, const char *id)
{
	for (size_t k = 0; rs && r && id && k < rs->n; k++) {
		const rule *x = &rs->rules[k];
		if (strcmp(x->cause, r->cause))
			continue;
		for (size_t i = 0; i < x->ncases; i++)
			if (!strcmp(x->cases[i], id))
				return 1;
	}
	return 0;
}

/* Does a rule of the same cause as r fire on s? */
static int cause_fires(const ruleset *rs, const rule *r, const pm_signature *s)
{
	for (size_t i = 0; rs && i < rs->n; i++) {
		const rule *x = &rs->rules[i];
		if (strcmp(x->cause, r->cause))
			continue;
		if (rule_fires(x, s))
			return 1;
	}
	return 0;
}

static match_item *find_item(match_result *r, const char *id)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->items[i].case_id, id))
			return &r->items[i];
	return NULL;
}

/* Which cases name a query's third-party module in their prose. An
 * engineer whose stack was a screenshot still writes the driver's name
 * ("vwifimf filter driver 没有完成 NBL"): the structured analysis then holds
 * a bugcheck and nothing else, and module overlap alone cannot find it. */
typedef struct prose_mods {
	char **mods;     /* owned: query module names searched */
	kb_docset *docs; /* for mods[i], the index documents whose text names it */
	size_t n;
	char **qtext;    /* owned: modules the query took from its own text (query_text_mods) */
	size_t nqtext;
} prose_mods;

static void prose_mods_free(prose_mods *pm)
{
	for (size_t i = 0; i < pm->n; i++) {
		kb_docset_free(&pm->docs[i]);
		free(pm->mods[i]);
	}
	free(pm->mods);
	free(pm->docs);
	for (size_t i = 0; i < pm->nqtext; i++)
		free(pm->qtext[i]);
	free(pm->qtext);
	memset(pm, 0, sizeof *pm);
}

/* Replace s's culprit by a driver its case's text (or the query's) names:
 * provenance "prose" (docs/matching.md). Takes name. Strings of sig_parse's
 * arena are freed with it, others here. */
static void sig_free_str(const pm_signature *s, char *p)
{
	uintptr_t a = (uintptr_t)s->arena, x = (uintptr_t)p;
	if (!s->arena || x < a || x >= a + s->arena_len)
		free(p);
}

static void set_prose_culprit(pm_signature *s, char *name)
{
	sig_free_str(s, s->culprit);
	sig_free_str(s, s->culprit_printed);
	sig_free_str(s, s->culprit_function);
	s->culprit = name;
	s->culprit_printed = s->culprit_function = NULL;
	s->culprit_from = "prose";
}

/* A query analysis that shows no third-party module (a bugcheck and an
 * inbox stack: the driver's frames were cut, or the engineer wrote its
 * name beside a screenshot) takes the third-party driver its text names
 * as "x.sys" when it names exactly one, canonical: the mirror of
 * prose_mods_apply. The
 * evidence says module-text. Returns how many (owned by *out). */
#define QTEXT_MAX 4
static int plain_word(const char *name);
static size_t query_text_mods(const pm_signature *q, const char *text, char ***out)
{
	*out = NULL;
	if (!text || q->nthird_party)
		return 0;
	size_t n = 0, len = strnlen(text, 1u << 20);
	char **v = xcalloc(QTEXT_MAX, sizeof *v);
	for (const char *p = text; n < QTEXT_MAX && (p = strstr(p, ".sys")) && (size_t)(p - text) < len; p += 4) {
		const char *b = p;
		while (b > text && (isalnum((unsigned char)b[-1]) || b[-1] == '_' || b[-1] == '-'))
			b--;
		if (b == p || isalnum((unsigned char)p[4]) || p - b > 64)
			continue;
		char *name = xstrndup(b, (size_t)(p + 4 - b));
		char *m = pm_canon_module(name);
		free(name);
		int dup = !m || !plain_word(m) || sig_is_microsoft(m);
		for (size_t k = 0; k < n && !dup; k++)
			dup = !strcmp(v[k], m);
		if (dup) {
			free(m);
			continue;
		}
		v[n++] = m;
	}
	if (n > 1) {
		/* several drivers named: which one the analysis is about is
		 * not known (a mail about two dumps) */
		for (size_t k = 0; k < n; k++)
			free(v[k]);
		n = 0;
	}
	*out = v;
	return n;
}

/* Evidence of a module the query took from its text says so. */
static void query_text_mark(score_evs *e, const prose_mods *pm)
{
	for (size_t i = 0; pm && pm->nqtext && i < e->n; i++) {
		score_ev *v = &e->ev[i];
		if (strcmp(v->field, "module") || !v->query)
			continue;
		for (size_t k = 0; k < pm->nqtext; k++)
			if (!strcmp(pm->qtext[k], v->query)) {
				free(v->field);
				v->field = xstrdup("module-text");
				break;
			}
	}
}

/* Is name a plain word the free-text query can take as it is? */
static int plain_word(const char *name)
{
	size_t n = strlen(name);
	if (n < 3 || n > 64)
		return 0;
	for (const char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
			return 0;
	return 1;
}

/* A module named in the text of more cases than this is not searched for;
 * a search takes at most PROSE_MAX_HITS cases. */
#define PROSE_MAX_DF 5000
#define PROSE_MAX_HITS 15

/* Search the knowledge base's text for each of q's third-party modules (at
 * most 8, at most limit cases each); the hits are also candidates (hits_out,
 * caller frees each). Documents in seen (read already) come back unread;
 * the ones read here are added to it. A failed search only loses that
 * module. */
static void prose_mods_find(kb_db *db, const pm_signature *q, size_t limit, prose_mods *pm,
			    kb_hits **hits_out, size_t max_hits, kb_docset *seen)
{
	memset(pm, 0, sizeof *pm);
	/* the third-party modules, then the pool owners (as score.c's module
	 * part takes them), distinct, at most max_hits */
	const char *want[8];
	size_t nq = 0;
	for (size_t i = 0; i < q->nthird_party + q->npool_tags && nq < max_hits && nq < 8; i++) {
		const char *m = i < q->nthird_party ? q->third_party[i]
						    : q->pool_tags[i - q->nthird_party].owner;
		if (!m || !strcasecmp(m, "nt") || !plain_word(m))
			continue;
		int dup = 0;
		for (size_t k = 0; k < nq; k++)
			dup |= !strcmp(want[k], m);
		if (!dup)
			want[nq++] = m;
	}
	if (!nq)
		return;
	pm->mods = xcalloc(nq, sizeof *pm->mods);
	pm->docs = xcalloc(nq, sizeof *pm->docs);
	for (size_t i = 0; i < nq; i++) {
		const char *m = want[i];
		kb_hits *hs = NULL;
		/* a name in the text of thousands of cases says nothing of a
		 * prose-only analysis, and its posting list is long */
		unsigned long df = 0;
		if (kb_word_df(db, m, &df) != KB_OK || df > PROSE_MAX_DF)
			continue;
		if (kb_search_skip(db, m, 0, limit, seen, &hs) != KB_OK || !hs)
			continue;
		size_t k = pm->n++;
		pm->mods[k] = xstrdup(m);
		for (size_t j = 0; j < hs->n; j++) {
			kb_docset_add(&pm->docs[k], hs->hits[j].docid);
			if (hs->hits[j].case_id)
				kb_docset_add(seen, hs->hits[j].docid);
		}
		hits_out[k] = hs;
	}
}

/* An analysis that names no third-party module at all takes the query's
 * modules its case's prose names (the driver the engineer wrote about but
 * the text could not show as a frame or lmvm line). An analysis that does
 * name modules keeps its own: the prose may be about another dump. */
static size_t prose_mods_apply(const prose_mods *pm, unsigned docid, pm_signature *cs)
{
	if (!pm || cs->nthird_party)
		return 0;
	for (size_t i = 0; i < pm->n; i++)
		if (kb_docset_has(&pm->docs[i], docid)) {
			XGROW(cs->third_party, cs->third_party_cap, cs->nthird_party + 1);
			cs->third_party[cs->nthird_party++] = xstrdup(pm->mods[i]);
		}
	/* one driver named: the one a person blames, unless the analysis
	 * blames a third-party module itself */
	if (cs->nthird_party == 1 && (!cs->culprit || sig_is_microsoft(cs->culprit)))
		set_prose_culprit(cs, xstrdup(cs->third_party[0]));
	return cs->nthird_party;
}

/* The module evidence that came from the case's text, not from its
 * analysis, says so (field "module-text", docs/match-json.md): an engineer
 * must not read it as a frame or lmvm line of the stored dump. */
static void prose_mods_mark(score_evs *e, const pm_signature *cs, size_t nadded)
{
	for (size_t i = 0; nadded && i < e->n; i++) {
		score_ev *v = &e->ev[i];
		if (strcmp(v->field, "module") || !v->cand)
			continue;
		int added = 0, owner = 0;
		for (size_t k = 0; k < nadded && k < cs->nthird_party; k++)
			added |= !strcmp(cs->third_party[k], v->cand);
		for (size_t k = 0; k < cs->npool_tags; k++)
			owner |= cs->pool_tags[k].owner && !strcmp(cs->pool_tags[k].owner, v->cand);
		if (added && !owner) {
			free(v->field);
			v->field = xstrdup("module-text");
		}
	}
}

/* A hit's analyses, parsed (ok[i]: sigs[i] holds one), so the frames of
 * all candidates are known before the first is scored (idf_prefill). */
typedef struct parsed_hit {
	const kb_hit *h;
	pm_signature *sigs;
	int *ok;
} parsed_hit;

static void parse_hit(parsed_hit *ph, const kb_hit *h, match_cache *c)
{
	ph->h = h;
	ph->sigs = xcalloc(h->nsigs + 1, sizeof *ph->sigs);
	ph->ok = xcalloc(h->nsigs + 1, sizeof *ph->ok);
	/* a document the search did not read: the cache's (sigc_fill_hits) */
	const sigc_doc *d = c && h->nsigs && !h->sigs[0] ? sigc_doc_find(c, h->docid) : NULL;
	if (d) {
		for (size_t i = 0; i < h->nsigs; i++) {
			sigc_entry *e = d->e[i];
			c->sig_hits++;
			e->gen = c->gen;
			if (e->ok) {
				ph->sigs[i] = e->sig;
				ph->ok[i] = SIG_LENT;
			}
		}
		return;
	}
	sigc_entry *one[8], **ents = h->nsigs <= 8 ? one : xcalloc(h->nsigs, sizeof *ents);
	int whole = 1;
	for (size_t i = 0; i < h->nsigs; i++) {
		ents[i] = NULL;
		ph->ok[i] = h->sigs[i] ? sig_parse_cached(c, h->docid, i, h->sigs[i], &ph->sigs[i], &ents[i]) : SIG_NONE;
		whole &= ents[i] != NULL;
	}
	if (c && whole && (!h->nsigs || h->sigs[0]))
		sigc_doc_keep(c, h, ents);
	if (ents != one)
		free(ents);
}

/* Free a candidate's signature held as how (SIG_OWNED: all of it;
 * SIG_LENT: only what prose_mods_apply added to the struct copy, added
 * modules). */
static void cand_clear(pm_signature *s, int how, size_t added)
{
	if (how == SIG_OWNED) {
		sig_clear(s);
	} else if (how == SIG_LENT) {
		if (added) {
			for (size_t k = 0; k < s->nthird_party; k++)
				free(s->third_party[k]);
			free(s->third_party);
		}
		sig_free_str(s, s->culprit);
		sig_free_str(s, s->culprit_printed);
		sig_free_str(s, s->culprit_function);
	}
	memset(s, 0, sizeof *s);
}

static void parsed_hit_free(parsed_hit *ph)
{
	for (size_t i = 0; ph->sigs && i < ph->h->nsigs; i++)
		cand_clear(&ph->sigs[i], ph->ok[i], 0);
	free(ph->sigs);
	free(ph->ok);
	memset(ph, 0, sizeof *ph);
}

/* Score every analysis of hit h; keep the case once, with its best one.
 * Takes ph's parsed analyses (NULL: parses them here). */
static void take_hit(match_result *r, const kb_hit *h, const pm_signature *q, const score_text *text,
		     const match_opts *o, const score_params *p, idf_cache *idf, const prose_mods *pm,
		     parsed_hit *ph, double rel)
{
	parsed_hit own = {0};
	if (!ph) {
		parse_hit(&own, h, o->cache);
		ph = &own;
	}
	if (!h->case_id || (o->exclude_case && !strcmp(o->exclude_case, h->case_id)) ||
	    find_item(r, h->case_id)) {
		parsed_hit_free(ph);
		return;
	}
	double tsim = -1;
	if (text) {
		/* a case with no title or notes has nothing to compare: the
		 * part is absent, not 0; a server's worker keeps the words of
		 * the documents it keeps (the same index revision) */
		sigc_doc *d = o->cache && h->docid ? sigc_doc_find(o->cache, h->docid) : NULL;
		if (d && d->text_state != DOC_TEXT_UNKNOWN) {
			if (d->text_state == DOC_TEXT_WORDS)
				tsim = score_text_sim_text(text, d->text);
		} else {
			char *ht = match_hit_text(h);
			if (*str_trim(ht)) {
				score_text *y = score_text_new(ht);
				tsim = score_text_sim_text(text, y);
				void *m = d ? sigc_alloc(o->cache, score_text_size(y)) : NULL;
				if (m) {
					d->text = score_text_place(y, m);
					d->text_state = DOC_TEXT_WORDS;
				}
				score_text_free(y);
			} else if (d) {
				d->text_state = DOC_TEXT_NONE;
			}
			free(ht);
		}
		/* the index compared the query text with the whole case (BM25,
		 * relative to the best candidate): the case's words, for a
		 * query whose signature is thin (docs/matching.md) */
		if (rel > 0 && p->text_bm25 * rel > tsim)
			tsim = p->text_bm25 * rel;
	}
	/* the case holds every word of a thin query's text as often as a copy
	 * would: the same report again (moved between trackers, quoted whole).
	 * A short text's words are in too many cases to say so, and so are
	 * those of a header that prints an argument: !analyze explains each
	 * code in the same words in every dump of it; a thread of several
	 * dumps that holds the words, or a query text of several, does not
	 * say which of its dumps they are about */
	int same_text = text && rel >= 0.98 && (double)score_text_words(text) >= p->same_text_words && !q->args[0] &&
			h->nsigs <= 1 && h->nanalyses <= 1 && o->text_analyses <= 1;
	double best = -1, best_sim = 0;
	int best_idx = -1, mate = 0, best_fires = 0;
	size_t best_added = 0;
	score_result best_parts;
	memset(&best_parts, 0, sizeof best_parts);
	int named = r->rule && cause_names_case(o->rules, r->rule, h->case_id);
	/* every analysis's own third-party modules (copied: scoring adds
	 * prose-named ones and frees the signatures) */
	char ***mods = xcalloc(h->nsigs + 1, sizeof *mods);
	size_t *nmods = xcalloc(h->nsigs + 1, sizeof *nmods);
	for (size_t i = 0; h->nsigs > 1 && i < h->nsigs; i++) /* tie_steps needs two */
		if (ph->ok[i] && ph->sigs[i].nthird_party) {
			nmods[i] = ph->sigs[i].nthird_party < 16 ? ph->sigs[i].nthird_party : 16;
			mods[i] = xcalloc(nmods[i], sizeof **mods);
			for (size_t k = 0; k < nmods[i]; k++)
				mods[i][k] = xstrdup(ph->sigs[i].third_party[k]);
		}
	pm_signature best_sig;
	memset(&best_sig, 0, sizeof best_sig);
	int best_how = SIG_NONE;
	for (size_t i = 0; i < h->nsigs; i++) {
		if (!ph->ok[i])
			continue;
		pm_signature cs = ph->sigs[i];
		int how = ph->ok[i];
		ph->ok[i] = SIG_NONE; /* taken */
		if (how == SIG_LENT && !cs.nthird_party) {
			/* what prose_mods_apply adds is this copy's own */
			cs.third_party = NULL;
			cs.third_party_cap = 0;
		}
		size_t added = prose_mods_apply(pm, h->docid, &cs);
		score_result sr;
		double s = score_pair(q, &cs, tsim, p, kb_idf, idf, &sr);
		if ((added || (pm && pm->nqtext)) && sr.present[SP_MODULES]) {
			/* modules only a text names are weaker evidence */
			sr.part[SP_MODULES] *= p->prose_credit;
			score_retotal(&sr, p);
			s = sr.total;
		}
		if (same_text) {
			sr.same_text = 1;
			score_retotal(&sr, p);
			s = sr.total;
		}
		int fires = r->rule && cause_fires(o->rules, r->rule, &cs);
		int m = named || fires;
		/* rule-mates rank first: the curated statement outweighs likeness */
		double ranked = m ? 0.6 + 0.4 * s : s;
		if (ranked > best) {
			best = ranked;
			best_sim = s;
			best_idx = (int)i;
			best_parts = sr;
			mate = m;
			best_fires = fires;
			cand_clear(&best_sig, best_how, best_added);
			best_added = added;
			best_sig = cs; /* kept for the evidence, parsed once */
			best_how = how;
		} else {
			cand_clear(&cs, how, added);
		}
	}
	if (best_idx < 0) {
		/* a case with no analysis (prose only): text and the rule's case list */
		score_result sr;
		pm_signature empty;
		memset(&empty, 0, sizeof empty);
		best_sim = score_pair(q, &empty, tsim, p, NULL, NULL, &sr);
		if (same_text) {
			sr.same_text = 1;
			score_retotal(&sr, p);
			best_sim = sr.total;
		}
		best_parts = sr;
		mate = named;
		best = mate ? 0.6 + 0.4 * best_sim : best_sim;
	}
	XGROW(r->items, r->cap, r->n + 1);
	match_item *it = &r->items[r->n++];
	memset(it, 0, sizeof *it);
	it->case_id = xstrdup(h->case_id);
	it->docid = h->docid; /* title and the rest: read for the matches shown */
	it->analysis = best_idx;
	it->score = best;
	it->similarity = best_sim;
	it->parts = best_parts;
	it->rule = mate ? r->rule : NULL;
	if (best_sim > r->best_similarity)
		r->best_similarity = best_sim;
	if (best_idx >= 0 && mate && !best_fires && best_sim < 0.05) {
		/* named by the rule, but none of its analyses shows the
		 * signature (a prose-only thread): comparing fields with an
		 * unrelated analysis of the case would mislead */
		it->analysis = -1;
		memset(&it->parts, 0, sizeof it->parts);
	} else if (best_idx >= 0) {
		/* evidence that breaks a tie of equal scores (item_cmp) */
		const char *qc = score_culprit(q), *cc = score_culprit(&best_sig);
		it->tie_culprit = qc && cc && !strcasecmp(qc, cc);
		const sig_frame *qf = first_kept(q), *cf = first_kept(&best_sig);
		it->tie_fault = qf && cf && !strcasecmp(qf->key, cf->key);
		/* the field-by-field evidence is written for the items kept
		 * (item_evidence): the analysis is the item's until then */
		it->ev_sig = best_sig;
		it->ev_how = best_how;
		it->ev_added = best_added;
		memset(&best_sig, 0, sizeof best_sig);
		best_how = SIG_NONE;
		best_added = 0;
	}
	it->tie_text = tsim > 0 ? tsim : 0;
	for (size_t i = 0; i < h->nsigs; i++) {
		for (size_t k = 0; k < nmods[i]; k++) {
			int own = (int)i == best_idx;
			char ***v = own ? &it->own_mods : &it->other_mods;
			size_t *n = own ? &it->nown_mods : &it->nother_mods;
			if (best_idx < 0 || *n >= 32) {
				free(mods[i][k]);
				continue;
			}
			*v = xrealloc(*v, (*n + 1) * sizeof **v);
			(*v)[(*n)++] = mods[i][k];
		}
		free(mods[i]);
	}
	free(mods);
	free(nmods);
	cand_clear(&best_sig, best_how, best_added);
	parsed_hit_free(ph);
}

/* A thread may hold several causes: the case's next steps that name what
 * the query shows (its modules, kept frames) come first, the rest keep
 * their order. Done only for the matches shown. */
static void order_next_steps(match_item *it, const pm_signature *q)
{
	if (it->nnext_steps < 2)
		return;
	sbuf words = {0};
	for (size_t i = 0; i < q->nmodules; i++)
		sb_addf(&words, "%s ", q->modules[i]);
	const sig_frame *f;
	for (size_t i = 0; (f = sig_next_kept(q, &i)) && i <= 64;) /* of the first 64 */
		if (f->key)
			sb_addf(&words, "%s ", f->key);
	if (!words.len)
		return;
	size_t n = it->nnext_steps;
	double *rel = xcalloc(n, sizeof(double));
	char **sorted = xcalloc(n, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		rel[i] = score_text_sim(sb_str(&words), it->next_steps[i]);
	for (size_t k = 0; k < n; k++) {
		size_t bi = 0;
		double br = -1;
		for (size_t i = 0; i < n; i++)
			if (rel[i] > br + 1e-12) {
				br = rel[i];
				bi = i;
			}
		sorted[k] = it->next_steps[bi];
		rel[bi] = -2;
	}
	free(it->next_steps);
	it->next_steps = sorted;
	free(rel);
	sb_free(&words);
}

/* Equal scores are ordered by evidence, not by how cases are named: the
 * same culprit, then the same fault function, then the text; only cases
 * equal on all of it fall back to their id (deterministic output), and
 * the output lists them as tied (tied_with). */
/* Keep the next steps and the conclusion that answer the matched analysis:
 * those written in its message or after it, before the next message that
 * holds another analysis of the case (a thread may hold several dumps of
 * several causes). Repeated steps are kept once. Without the messages (an
 * index built before they were stored, or no matched analysis) the case's
 * steps stay, marked as the case's. */
static void tie_steps(match_item *it)
{
	size_t k = 0;
	for (size_t i = 0; i < it->nnext_steps; i++) {
		int dup = 0;
		for (size_t j = 0; j < k && !dup; j++)
			dup = !strcmp(it->next_steps[j], it->next_steps[i]);
		if (dup) {
			free(it->next_steps[i]);
			continue;
		}
		if (it->next_step_msgs)
			it->next_step_msgs[k] = it->next_step_msgs[i];
		it->next_steps[k++] = it->next_steps[i];
	}
	it->nnext_steps = k;
	if (it->analysis < 0 || (size_t)it->analysis >= it->nanalysis_msgs ||
	    (it->nnext_steps && !it->next_step_msgs))
		return;
	int lo = it->analysis_msgs[it->analysis], hi = INT_MAX;
	for (size_t i = 0; i < it->nanalysis_msgs; i++)
		if (it->analysis_msgs[i] > lo && it->analysis_msgs[i] < hi)
			hi = it->analysis_msgs[i];
	k = 0;
	for (size_t i = 0; i < it->nnext_steps; i++) {
		int m = it->next_step_msgs[i];
		if (m >= lo && m < hi)
			it->next_steps[k++] = it->next_steps[i];
		else
			free(it->next_steps[i]);
	}
	it->nnext_steps = k;
	/* several dumps in one message: a step naming another analysis's
	 * driver and none of this one's answers the other */
	k = 0;
	for (size_t i = 0; i < it->nnext_steps; i++) {
		int own = 0, other = 0;
		for (size_t j = 0; j < it->nown_mods && !own; j++)
			own = strcasestr(it->next_steps[i], it->own_mods[j]) != NULL;
		for (size_t j = 0; j < it->nother_mods && !other; j++)
			other = strcasestr(it->next_steps[i], it->other_mods[j]) != NULL;
		if (other && !own)
			free(it->next_steps[i]);
		else
			it->next_steps[k++] = it->next_steps[i];
	}
	it->nnext_steps = k;
	if (it->conclusion && !(it->conclusion_msg >= lo && it->conclusion_msg < hi)) {
		free(it->conclusion);
		it->conclusion = NULL;
	}
	it->steps_tied = 1;
}

static int item_cmp(const void *a, const void *b)
{
	const match_item *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	if (x->tie_culprit != y->tie_culprit)
		return x->tie_culprit ? -1 : 1;
	if (x->tie_fault != y->tie_fault)
		return x->tie_fault ? -1 : 1;
	if (x->tie_text != y->tie_text)
		return x->tie_text < y->tie_text ? 1 : -1;
	return strcmp(x->case_id, y->case_id);
}

/* Are x and y tied: equal scores (as printed) and no evidence between them? */
static int items_tied(const match_item *x, const match_item *y)
{
	return fabs(x->score - y->score) < 5e-4 && x->tie_culprit == y->tie_culprit &&
	       x->tie_fault == y->tie_fault && fabs(x->tie_text - y->tie_text) < 5e-4;
}

static void item_clear(match_item *it)
{
	cand_clear(&it->ev_sig, it->ev_how, it->ev_added);
	free(it->case_id);
	free(it->title);
	free(it->customer);
	free(it->date);
	free(it->conclusion);
	for (size_t i = 0; i < it->nnext_steps; i++)
		free(it->next_steps[i]);
	free(it->next_steps);
	free(it->next_step_msgs);
	free(it->analysis_msgs);
	for (size_t i = 0; i < it->nown_mods; i++)
		free(it->own_mods[i]);
	for (size_t i = 0; i < it->nother_mods; i++)
		free(it->other_mods[i]);
	free(it->own_mods);
	free(it->other_mods);
	score_evs_clear(&it->evidence);
}

void match_result_clear(match_result *r)
{
	for (size_t i = 0; i < r->n; i++)
		item_clear(&r->items[i]);
	free(r->items);
	rule_result_clear(&r->rule_res);
	memset(r, 0, sizeof *r);
}

/* A matcher's search reads case ids and signatures only: the titles and
 * notes the text score compares with are read when there is a text. A
 * failed read leaves the text score without them. */
static void fill_all(kb_db *db, kb_hits *hs, const match_cache *c)
{
	if (!hs || !hs->n)
		return;
	kb_hit **p = xcalloc(hs->n, sizeof *p);
	size_t n = 0;
	for (size_t i = 0; i < hs->n; i++) {
		/* not the documents whose words the cache keeps (take_hit) */
		const sigc_doc *d = c && hs->hits[i].docid ? sigc_doc_find(c, hs->hits[i].docid) : NULL;
		if (hs->hits[i].case_id && !(d && d->text_state != DOC_TEXT_UNKNOWN))
			p[n++] = &hs->hits[i];
	}
	kb_fill_hits(db, p, n);
	free(p);
}

/* What an engineer reads of the matches shown (title, customer, date,
 * conclusion, next steps), from their index documents. */
static kb_status fill_items(kb_db *db, match_result *r)
{
	if (!r->n)
		return KB_OK;
	kb_hits *tmp = xcalloc(1, sizeof *tmp);
	tmp->hits = xcalloc(r->n, sizeof *tmp->hits);
	tmp->n = r->n;
	kb_hit **p = xcalloc(r->n, sizeof *p);
	for (size_t i = 0; i < r->n; i++) {
		tmp->hits[i].docid = r->items[i].docid;
		p[i] = &tmp->hits[i];
	}
	kb_status st = kb_fill_hits(db, p, r->n);
	for (size_t i = 0; st == KB_OK && i < r->n; i++) {
		match_item *it = &r->items[i];
		kb_hit *h = &tmp->hits[i];
		it->title = h->title;
		it->customer = h->customer;
		it->date = h->date;
		it->conclusion = h->conclusion;
		it->next_steps = h->next_steps;
		it->nnext_steps = h->nnext_steps;
		it->next_step_msgs = h->next_step_msgs;
		it->conclusion_msg = h->conclusion_msg;
		it->analysis_msgs = h->analysis_msgs;
		it->nanalysis_msgs = h->nanalysis_msgs;
		h->title = h->customer = h->date = h->conclusion = NULL; /* moved */
		h->next_steps = NULL;
		h->nnext_steps = 0;
		h->next_step_msgs = h->analysis_msgs = NULL;
		h->nanalysis_msgs = 0;
	}
	kb_hits_free(tmp); /* what was not moved */
	free(p);
	return st;
}

/* Take the case id as a candidate (read from the index by its id) unless
 * it is one already or left out. */
static void take_case(kb_db *db, match_result *out, const char *id, const pm_signature *q,
		      const char *t, const score_text *tv, const match_opts *o, const score_params *p,
		      idf_cache *idf, const prose_mods *pm)
{
	if (find_item(out, id) || (o->exclude_case && !strcmp(o->exclude_case, id)))
		return;
	char *qs = xasprintf("case:%s", id);
	kb_hits *one = NULL;
	if (kb_search_skip(db, qs, 0, 1, NULL, &one) == KB_OK) {
		if (t)
			fill_all(db, one, o->cache);
		for (size_t h = 0; h < one->n; h++)
			if (one->hits[h].case_id && !strcmp(one->hits[h].case_id, id))
				take_hit(out, &one->hits[h], q, tv, o, p, idf, pm, NULL, 0);
		kb_hits_free(one);
	}
	free(qs);
}

/* The field-by-field evidence of an item against q, after what feedback
 * put first; the item's analysis is let go. */
static void item_evidence(match_item *it, const pm_signature *q, const score_params *p,
			  const prose_mods *pm)
{
	if (it->ev_how == SIG_NONE)
		return;
	score_evs e = {0};
	score_evidence(q, &it->ev_sig, p, &e);
	prose_mods_mark(&e, &it->ev_sig, it->ev_added);
	query_text_mark(&e, pm);
	if (e.n) {
		XGROW(it->evidence.ev, it->evidence.cap, it->evidence.n + e.n);
		memcpy(it->evidence.ev + it->evidence.n, e.ev, e.n * sizeof *e.ev);
		it->evidence.n += e.n;
	}
	free(e.ev);
	cand_clear(&it->ev_sig, it->ev_how, it->ev_added);
	it->ev_how = SIG_NONE;
	it->ev_added = 0;
}

kb_status match_signature(kb_db *db, const pm_signature *q_in, const char *text,
			  const match_opts *o, match_result *out)
{
	memset(out, 0, sizeof *out);
	/* q: the query with the drivers its text names when its analysis
	 * shows none (query_text_mods); borrowed strings, never cleared.
	 * The rules see the analysis alone. */
	char **qtext = NULL;
	size_t nqtext = o->text_analyses > 1 ? 0 : query_text_mods(q_in, text, &qtext);
	pm_signature qq = *q_in;
	if (nqtext) {
		qq.third_party = qtext;
		qq.nthird_party = nqtext;
		if (!qq.culprit || sig_is_microsoft(qq.culprit)) {
			qq.culprit = qtext[0]; /* borrowed: qq is never cleared */
			qq.culprit_printed = qq.culprit_function = NULL;
			qq.culprit_from = "prose";
		}
	}
	const pm_signature *q = &qq;
	const score_params *p = o->params ? o->params : &score_defaults;
	size_t limit = o->limit ? o->limit : 5;
	size_t ncand = o->candidates ? o->candidates : 50;
	/* text is a part of the score only for prose-heavy queries (or when
	 * asked): against a stack, an engineer's prose adds noise */
	const char *t = (o->use_text || sig_kept_frames(q, NULL, 0) < 2) ? text : NULL;

	out->rule = rules_best(o->rules, q_in, &out->rule_res);

	feedback fb;
	kb_status st = feedback_load(db, q_in, &fb);
	if (st != KB_OK) {
		for (size_t i = 0; i < nqtext; i++)
			free(qtext[i]);
		free(qtext);
		match_result_clear(out);
		return st;
	}
	idf_cache idf_own = {.db = db}, *idf = &idf_own;
	kb_hits *hits = NULL;
	/* a server's handle: the documents its cache keeps whole are not
	 * read again (of the revision the cache is of: checked below) */
	kb_docset kept_docs = {0};
	if (o->cache) {
		if (o->cache->nchunks * SIGC_CHUNK >= SIGC_BUDGET)
			sigc_reset(o->cache);
		sigc_docs_merge(o->cache);
		kept_docs.ids = o->cache->doc_ids;
		kept_docs.n = o->cache->rev_known ? o->cache->ndocs : 0;
	}
	st = kb_candidates(db, q, t, ncand, kept_docs.n ? &kept_docs : NULL, &hits);
	if (st != KB_OK) {
		for (size_t i = 0; i < nqtext; i++)
			free(qtext[i]);
		free(qtext);
		feedback_clear(&fb);
		idf_free(&idf_own);
		match_result_clear(out);
		return st;
	}
	/* a server's handle keeps the rarity of terms between matches: the
	 * index read now is the one kb_candidates read */
	if (o->cache) {
		idf = match_cache_idf(o->cache, db);
		/* what it lends from now on is kept until the end */
		o->cache->gen++;
		if (sigc_fill_hits(o->cache, hits) != 0) {
			/* the index changed since: the cache was dropped */
			kb_hits_free(hits);
			hits = NULL;
			st = kb_candidates(db, q, t, ncand, NULL, &hits);
			if (st != KB_OK) {
				for (size_t i = 0; i < nqtext; i++)
					free(qtext[i]);
				free(qtext);
				feedback_clear(&fb);
				match_result_clear(out);
				return st;
			}
			idf = match_cache_idf(o->cache, db);
		}
	}
	/* the documents read once are not read again by the module searches */
	kb_docset seen = {0};
	for (size_t i = 0; i < hits->n; i++)
		kb_docset_add(&seen, hits->hits[i].docid);
	prose_mods pm;
	kb_hits *mhits[8] = {0};
	prose_mods_find(db, q, ncand < PROSE_MAX_HITS ? ncand : PROSE_MAX_HITS, &pm, mhits, 8, &seen);
	pm.qtext = qtext; /* freed with pm */
	pm.nqtext = nqtext;
	kb_docset_free(&seen);
	/* the text score compares with the cases' titles and notes */
	if (t) {
		fill_all(db, hits, o->cache);
		for (size_t k = 0; k < 8; k++)
			fill_all(db, mhits[k], o->cache);
	}
	/* every candidate parsed first, so their frames' rarity is looked up
	 * at once, in index order */
	size_t nall = hits->n;
	for (size_t k = 0; k < 8; k++)
		nall += mhits[k] ? mhits[k]->n : 0;
	parsed_hit *all = xcalloc(nall + 1, sizeof *all);
	const pm_signature **sigs = xcalloc(1, sizeof *sigs);
	size_t na = 0, ns = 0, sigs_cap = 1;
	sigs[ns++] = q;
	for (size_t k = 0; k <= 8; k++) {
		const kb_hits *hs = k == 0 ? hits : mhits[k - 1];
		for (size_t i = 0; hs && i < hs->n; i++) {
			parsed_hit *ph = &all[na++];
			parse_hit(ph, &hs->hits[i], o->cache);
			for (size_t j = 0; j < hs->hits[i].nsigs; j++)
				if (ph->ok[j]) {
					XGROW(sigs, sigs_cap, ns + 1);
					sigs[ns++] = &ph->sigs[j];
				}
		}
	}
	idf_prefill(idf, sigs, ns, p->max_frames);
	free(sigs);
	/* the query's words counted once for all the candidates */
	score_text *tv = t && *t ? score_text_new(t) : NULL;
	/* the text's BM25 weight relative to what a duplicate of the query
	 * would get (kb_hits.self_weight), or to the best hit's when that is
	 * higher: the best of weak candidates is not a match of the words */
	double wmax = hits->self_weight;
	for (size_t i = 0; i < hits->n; i++)
		if (hits->hits[i].case_id && hits->hits[i].weight > wmax)
			wmax = hits->hits[i].weight;
	for (size_t i = 0; i < na; i++)
		take_hit(out, all[i].h, q, tv, o, p, idf, &pm, &all[i],
			 t && i < hits->n && wmax > 0 ? all[i].h->weight / wmax : 0);
	free(all);
	kb_hits_free(hits);
	for (size_t k = 0; k < 8; k++)
		kb_hits_free(mhits[k]);

	/* the cases the firing rule's cause came from (any rule of that
	 * cause), even when the index did not offer them (prose-only threads
	 * have few signature terms) */
	for (size_t k = 0; out->rule && k < o->rules->n; k++) {
		const rule *x = &o->rules->rules[k];
		if (strcmp(x->cause, out->rule->cause))
			continue;
		for (size_t i = 0; i < x->ncases; i++)
			take_case(db, out, x->cases[i], q, t, tv, o, p, idf, &pm);
	}
	/* and those an engineer judged the same as what the query is */
	const char *same[16];
	size_t nsame = feedback_same_cases(&fb, same, 16);
	for (size_t i = 0; i < nsame; i++) {
		take_case(db, out, same[i], q, t, tv, o, p, idf, &pm);
		match_item *it = find_item(out, same[i]);
		if (it)
			it->feedback = 1; /* kept below: feedback_apply decides */
	}
	score_text_free(tv);
	idf_free(&idf_own);

	/* candidates the index offered on a shared word but that share
	 * nothing structured are noise to the reader: drop them */
	score_params structured = *p;
	structured.text_verdict = 0;
	structured.weight[SP_PROCESS] = 0; /* one process: not the same crash */
	size_t kept = 0;
	for (size_t i = 0; i < out->n; i++) {
		const match_item *it = &out->items[i];
		int prose_only = 1; /* the query has nothing structured: text is all there is */
		for (int k = 0; k < SP_N; k++)
			if (k != SP_TEXT && (it->parts.present[k] || it->parts.unknown[k]))
				prose_only = 0;
		int keep = it->rule || it->feedback || score_evidence_total(&it->parts, &structured) >= 0.05 ||
			   (prose_only && it->parts.present[SP_TEXT] && it->parts.part[SP_TEXT] >= 0.05);
		out->items[i].kept = keep;
		if (o->keep_all || keep)
			out->items[kept++] = out->items[i];
		else
			item_clear(&out->items[i]);
	}
	out->n = kept;
	if (out->n) /* qsort(NULL, 0, ...) is undefined: no candidate at all */
		qsort(out->items, out->n, sizeof *out->items, item_cmp);
	st = feedback_apply(db, &fb, out);
	feedback_clear(&fb);
	if (st != KB_OK) {
		prose_mods_free(&pm);
		match_result_clear(out);
		return st;
	}
	/* how far the top case leads the next one a match keeps (an
	 * input scripts/calibrate.sh -f can weigh): before the list is cut */
	if (out->n) {
		out->margin = out->items[0].score;
		for (size_t i = 1; i < out->n; i++)
			if (out->items[i].kept) {
				out->margin = out->items[0].score - out->items[i].score;
				break;
			}
	}
	while (out->n > limit)
		item_clear(&out->items[--out->n]);
	for (size_t i = 0; i < out->n; i++)
		item_evidence(&out->items[i], q, p, &pm);
	prose_mods_free(&pm);
	kb_status fst = fill_items(db, out);
	if (fst != KB_OK) {
		match_result_clear(out);
		return fst;
	}
	for (size_t i = 0; i < out->n; i++) {
		tie_steps(&out->items[i]);
		order_next_steps(&out->items[i], q);
	}
	/* the confidence is about the top case: the probability that it
	 * shares the root cause (docs/matching.md, calibration) */
	double top = 0;
	if (out->n) {
		score_result tr = out->items[0].parts;
		tr.total = out->items[0].similarity;
		top = score_evidence_total(&tr, p);
	}
	out->verdict_score = top;
	if (out->n)
		score_conf_features(&out->items[0].parts, top, out->margin, out->features);
	out->v = score_verdict(top, out->rule ? out->rule_res.score : -1, p, &out->confidence);
	if (out->n && out->items[0].parts.same_dump) {
		/* the same dump: two dumps practically never share the code
		 * and four addresses (not a calibrated figure: docs/matching.md) */
		out->v = VERDICT_KNOWN;
		if (out->confidence < 0.99)
			out->confidence = 0.99;
	}
	if (!first_kept(q) && !score_culprit(q))
		out->thin = q->bugcheck ? "no kept stack frame and no culprit: only the bugcheck and its arguments to go on"
					: "no bugcheck, no kept stack frame and no culprit: nothing structured to go on";
	return KB_OK;
}

/* ---- output ---- */

/* A score as the schema has it: three decimals, 0 for what is not finite. */
static void num(jw *w, const char *key, double v)
{
	jw_num(w, key, "%.3f", isfinite(v) ? v : 0.0);
}

static void json_rule(const match_result *r, jw *w)
{
	const rule *ru = r->rule;
	jw_obj(w, "rule");
	jw_str(w, "id", ru->id);
	jw_str(w, "title", ru->title);
	jw_str(w, "cause", ru->cause);
	num(w, "score", r->rule_res.score);
	jw_arr(w, "conditions");
	for (size_t i = 0; i < ru->nconds; i++) {
		jw_obj(w, NULL);
		jw_str(w, "condition", ru->conds[i].src);
		jw_bool(w, "matched", r->rule_res.hit[i]);
		num(w, "weight", ru->conds[i].weight);
		jw_str(w, "what", r->rule_res.what[i]);
		jw_end(w);
	}
	jw_end(w);
	jw_obj(w, "steps");
	jw_str(w, "zh", ru->steps_zh);
	jw_str(w, "en", ru->steps_en);
	jw_end(w);
	jw_arr(w, "cases");
	for (size_t i = 0; i < ru->ncases; i++)
		jw_str(w, NULL, ru->cases[i]);
	jw_end(w);
	jw_end(w);
}

/* The reference of a matched analysis: "CASE#N", N counted from 1 as
 * pmkb show lists a case's analyses. Caller frees; NULL when none. */
static char *item_ref(const match_item *it)
{
	return it->analysis >= 0 ? xasprintf("%s#%d", it->case_id, it->analysis + 1) : NULL;
}

static void json_item(const match_result *r, size_t i, jw *w)
{
	const match_item *it = &r->items[i];
	jw_obj(w, NULL);
	jw_str(w, "case", it->case_id);
	num(w, "score", it->score);
	num(w, "similarity", it->similarity);
	jw_str(w, "rule", it->rule ? it->rule->id : NULL);
	jw_str(w, "title", it->title);
	jw_str(w, "customer", it->customer);
	jw_str(w, "date", it->date);
	if (it->analysis >= 0)
		jw_int(w, "analysis", it->analysis);
	else
		jw_null(w, "analysis");
	char *ref = item_ref(it);
	jw_str(w, "ref", ref);
	free(ref);
	jw_bool(w, "same_dump", it->parts.same_dump);
	jw_bool(w, "bugcheck_only", it->parts.bugcheck_only);
	jw_arr(w, "tied_with");
	for (size_t j = 0; j < r->n; j++)
		if (j != i && items_tied(it, &r->items[j]))
			jw_str(w, NULL, r->items[j].case_id);
	jw_end(w);
	jw_obj(w, "parts");
	for (int k = 0; k < SP_N; k++)
		if (it->parts.present[k])
			num(w, score_part_name((score_part)k), it->parts.part[k]);
	jw_end(w);
	jw_arr(w, "evidence");
	for (size_t e = 0; e < it->evidence.n; e++) {
		const score_ev *ev = &it->evidence.ev[e];
		jw_obj(w, NULL);
		jw_str(w, "field", ev->field);
		jw_str(w, "query", ev->query);
		jw_str(w, "case", ev->cand);
		jw_bool(w, "match", ev->matched);
		jw_end(w);
	}
	jw_end(w);
	jw_str(w, "steps_for", it->steps_tied ? "analysis" : "case");
	jw_arr(w, "next_steps");
	for (size_t k = 0; k < it->nnext_steps; k++)
		jw_str(w, NULL, it->next_steps[k]);
	jw_end(w);
	jw_str(w, "conclusion", it->conclusion);
	jw_end(w);
}

void match_json_members(const match_result *r, jw *w)
{
	jw_str(w, "verdict", verdict_name(r->v));
	num(w, "confidence", r->confidence);
	jw_str(w, "thin", r->thin);
	if (r->rule)
		json_rule(r, w);
	else
		jw_null(w, "rule");
	jw_arr(w, "matches");
	for (size_t i = 0; i < r->n; i++)
		json_item(r, i, w);
	jw_end(w);
}

void match_json(const match_result *r, sbuf *sb)
{
	jw w;
	jw_init(&w, sb);
	jw_obj(&w, NULL);
	match_json_members(r, &w);
	jw_end(&w);
}

/* A note is printed whole; this only bounds a hostile one. */
#define STEP_MAX 8000

/* One line of at most max bytes (UTF-8 safe), newlines folded. */
static void add_short(sbuf *sb, const char *s, size_t max)
{
	size_t n = 0;
	for (const char *p = s; p && *p; p++) {
		if (n >= max && ((unsigned char)*p & 0xc0) != 0x80) {
			sb_adds(sb, "...");
			return;
		}
		sb_addc(sb, (*p == '\n' || *p == '\r' || *p == '\t') ? ' ' : *p);
		n++;
	}
}

static void text_evidence(const match_item *it, sbuf *sb)
{
	sbuf same = {0}, diff = {0};
	int nsame = 0, ndiff = 0, more_same = 0, more_diff = 0;
	for (size_t e = 0; e < it->evidence.n; e++) {
		const score_ev *ev = &it->evidence.ev[e];
		if (!strcmp(ev->field, "feedback"))
			continue; /* a line of its own */
		/* ten seconds to read: the first few of each, then a count */
		if (ev->matched ? nsame++ >= 8 : ndiff++ >= 6) {
			*(ev->matched ? &more_same : &more_diff) += 1;
			continue;
		}
		if (ev->matched) {
			sb_addf(&same, "%s%s %s", same.len ? ", " : "", ev->field, ev->query);
		} else if (ev->query && ev->cand) {
			sb_addf(&diff, "%s%s %s vs %s", diff.len ? ", " : "", ev->field, ev->query, ev->cand);
		} else if (ev->query) {
			sb_addf(&diff, "%s%s %s not in case", diff.len ? ", " : "", ev->field, ev->query);
		} else {
			sb_addf(&diff, "%s%s %s only in case", diff.len ? ", " : "", ev->field, ev->cand);
		}
	}
	if (more_same)
		sb_addf(&same, " (+%d more)", more_same);
	if (more_diff)
		sb_addf(&diff, " (+%d more)", more_diff);
	if (same.len) {
		sb_adds(sb, "   same:    ");
		add_short(sb, sb_str(&same), 600);
		sb_addc(sb, '\n');
	}
	if (diff.len) {
		sb_adds(sb, "   differs: ");
		add_short(sb, sb_str(&diff), 600);
		sb_addc(sb, '\n');
	}
	sb_free(&same);
	sb_free(&diff);
}

void match_text(const match_result *r, sbuf *sb)
{
	/* what the number means, said where it is read */
	sb_addf(sb, "%s (confidence %.2f that %s shares the root cause)", verdict_name(r->v), r->confidence,
		r->n ? "the top case" : "a stored case");
	if (r->rule)
		sb_addf(sb, ": rule %s - %s", r->rule->id, r->rule->title);
	else if (r->v == VERDICT_KNOWN && r->n)
		sb_addf(sb, ": %s holds a near-identical analysis", r->items[0].case_id);
	else if (r->v == VERDICT_SIMILAR)
		sb_adds(sb, ": similar cases below; no rule names this cause");
	else if (r->v == VERDICT_NEW && r->n)
		sb_adds(sb, ": no known case is close enough to share the root cause; the nearest:");
	else if (r->v == VERDICT_NEW)
		sb_adds(sb, ": nothing in the knowledge base shares this signature");
	sb_addc(sb, '\n');
	if (r->rule) {
		sbuf hit = {0}, miss = {0};
		for (size_t i = 0; i < r->rule->nconds; i++) {
			if (r->rule_res.hit[i])
				sb_addf(&hit, "%s%s", hit.len ? "; " : "", r->rule_res.what[i]);
			else
				sb_addf(&miss, "%s%s", miss.len ? "; " : "", r->rule->conds[i].src);
		}
		sb_adds(sb, "  rule matched: ");
		add_short(sb, sb_str(&hit), 300);
		sb_addc(sb, '\n');
		if (miss.len) {
			sb_adds(sb, "  not matched:  ");
			add_short(sb, sb_str(&miss), 300);
			sb_addc(sb, '\n');
		}
		if (r->rule->steps_zh) {
			sb_adds(sb, "  next steps: ");
			add_short(sb, r->rule->steps_zh, 400);
			sb_addc(sb, '\n');
		}
		if (r->rule->steps_en) {
			sb_adds(sb, "  next steps: ");
			add_short(sb, r->rule->steps_en, 400);
			sb_addc(sb, '\n');
		}
		sb_free(&hit);
		sb_free(&miss);
	}
	if (r->thin)
		sb_addf(sb, "  thin input: %s\n", r->thin);
	for (size_t i = 0; i < r->n; i++) {
		const match_item *it = &r->items[i];
		char *ref = item_ref(it);
		sb_addf(sb, "%zu. %s  score %.2f", i + 1, ref ? ref : it->case_id, it->score);
		free(ref);
		/* "-" for a missing customer or date, as list and search print
		 * it: the columns stay where they are */
		sb_addf(sb, "  %s  %.10s", it->customer && *it->customer ? it->customer : "-",
			it->date && *it->date ? it->date : "-");
		if (it->rule)
			sb_addf(sb, "  [rule %s]", it->rule->id);
		sb_addc(sb, '\n');
		if (it->title) {
			sb_adds(sb, "   ");
			add_short(sb, it->title, 160);
			sb_addc(sb, '\n');
		}
		if (it->analysis < 0 && it->rule) {
			sb_adds(sb, "   named by the rule; no stored analysis of it shows the signature\n");
		} else {
			for (size_t e = 0; e < it->evidence.n; e++)
				if (!strcmp(it->evidence.ev[e].field, "feedback"))
					sb_addf(sb, "   feedback: %s, judged against %s\n", it->evidence.ev[e].cand,
						it->evidence.ev[e].query);
			text_evidence(it, sb);
			sb_adds(sb, "   parts:  ");
			for (int k = 0; k < SP_N; k++)
				if (it->parts.present[k])
					sb_addf(sb, " %s %.2f", score_part_name((score_part)k), it->parts.part[k]);
			sb_addc(sb, '\n');
		}
		sbuf tied = {0};
		for (size_t j = 0; j < r->n; j++)
			if (j != i && items_tied(it, &r->items[j]))
				sb_addf(&tied, "%s%s", tied.len ? ", " : "", r->items[j].case_id);
		if (tied.len)
			sb_addf(sb, "   tied with: %s (nothing in the evidence tells them apart)\n", sb_str(&tied));
		sb_free(&tied);
		if (it->parts.bugcheck_only) {
			if (it->nnext_steps || it->conclusion)
				sb_adds(sb, "   only the bugcheck agrees: that case's next steps and conclusion are not shown\n");
			continue;
		}
		/* whole, once each; those of the matched analysis when the
		 * knowledge base says which answer it (tie_steps) */
		for (size_t k = 0; k < it->nnext_steps; k++) {
			sb_adds(sb, it->steps_tied ? "   next step there: " : "   case next step: ");
			add_short(sb, it->next_steps[k], STEP_MAX);
			sb_addc(sb, '\n');
		}
		if (it->conclusion) {
			sb_adds(sb, "   concluded: ");
			add_short(sb, it->conclusion, STEP_MAX);
			sb_addc(sb, '\n');
		}
	}
}
