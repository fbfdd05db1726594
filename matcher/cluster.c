/* cluster.c - root-cause clusters over the stored analyses (cluster.h).
 *
 * Union-find over the analyses, joined in this order, never across a
 * "different" link: the engineers' "same" links; the rules (every analysis
 * a rule of one cause fires on, one cluster); the structured similarity
 * (score.h, the mean of both directions) of candidate pairs, strongest
 * first, down to the threshold (lower for two analyses naming the same
 * third-party module that are each other's nearest neighbours); then the analyses whose signature holds
 * nothing but a bugcheck code go to the cluster whose modules their own
 * part of the text names, else to the largest cluster of their case.
 *
 * Candidate pairs are bounded, not all pairs: an analysis is scored only
 * against the analyses that share a key with it (a kept frame, a
 * third-party module, a pool tag) held by at most block_max analyses, at
 * most `partners` of them (those sharing the most keys). So the work is at
 * most n x partners pair scores, whatever n.
 */
#include "cluster.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *cl_how_name(cl_how h)
{
	switch (h) {
	case CL_ALONE: return "alone";
	case CL_FEEDBACK: return "feedback";
	case CL_RULE: return "rule";
	case CL_SIMILAR: return "similar";
	case CL_TEXT: return "text";
	case CL_CASE: return "case";
	}
	return "alone";
}

/* ---- a string -> list of item indexes map (open addressing) ---- */

typedef struct postings {
	size_t *ids;
	size_t n, cap;
} postings;

typedef struct smap {
	char **keys;
	postings *vals;
	size_t slots, n;
} smap;

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static size_t smap_slot(const smap *m, const char *key)
{
	size_t i = (size_t)hash_str(key) & (m->slots - 1);
	while (m->keys[i] && strcmp(m->keys[i], key))
		i = (i + 1) & (m->slots - 1);
	return i;
}

static postings *smap_get(const smap *m, const char *key)
{
	if (!m->slots)
		return NULL;
	size_t i = smap_slot(m, key);
	return m->keys[i] ? &m->vals[i] : NULL;
}

static void smap_grow(smap *m)
{
	smap old = *m;
	m->slots = old.slots ? old.slots * 2 : 1024;
	m->keys = xcalloc(m->slots, sizeof *m->keys);
	m->vals = xcalloc(m->slots, sizeof *m->vals);
	m->n = 0;
	for (size_t i = 0; i < old.slots; i++) {
		if (!old.keys[i])
			continue;
		size_t j = smap_slot(m, old.keys[i]);
		m->keys[j] = old.keys[i];
		m->vals[j] = old.vals[i];
		m->n++;
	}
	free(old.keys);
	free(old.vals);
}

/* Append id to key's list (once: ids come in increasing order). */
static void smap_add(smap *m, const char *key, size_t id)
{
	if ((m->n + 1) * 2 > m->slots)
		smap_grow(m);
	size_t i = smap_slot(m, key);
	if (!m->keys[i]) {
		m->keys[i] = xstrdup(key);
		m->n++;
	}
	postings *p = &m->vals[i];
	if (p->n && p->ids[p->n - 1] == id)
		return;
	XGROW(p->ids, p->cap, p->n + 1);
	p->ids[p->n++] = id;
}

static void smap_free(smap *m)
{
	for (size_t i = 0; i < m->slots; i++) {
		free(m->keys[i]);
		free(m->vals[i].ids);
	}
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

/* ---- union-find that never crosses a "different" link ---- */

typedef struct uf {
	size_t *parent, *size;
	const cl_link *links;
	size_t nlinks;
} uf;

static size_t uf_find(uf *u, size_t x)
{
	while (u->parent[x] != x) {
		u->parent[x] = u->parent[u->parent[x]];
		x = u->parent[x];
	}
	return x;
}

/* Join the clusters of a and b; 0 when a "different" link forbids it (or
 * they are one already). */
static int uf_join(uf *u, size_t a, size_t b)
{
	size_t ra = uf_find(u, a), rb = uf_find(u, b);
	if (ra == rb)
		return 0;
	for (size_t i = 0; i < u->nlinks; i++) {
		if (u->links[i].same)
			continue;
		size_t x = uf_find(u, u->links[i].a), y = uf_find(u, u->links[i].b);
		if ((x == ra && y == rb) || (x == rb && y == ra))
			return 0;
	}
	if (u->size[ra] < u->size[rb] || (u->size[ra] == u->size[rb] && rb < ra)) {
		size_t t = ra;
		ra = rb;
		rb = t;
	}
	u->parent[rb] = ra;
	u->size[ra] += u->size[rb];
	return 1;
}

/* ---- keys and rarity ---- */

int cluster_sig_weak(const pm_signature *s)
{
	size_t idx[1];
	return sig_kept_frames(s, idx, 1) == 0 && s->nthird_party == 0 && s->npool_tags == 0;
}

/* The candidate keys of a signature, "f:<frame>", "m:<module>", "p:<tag>". */
static char **sig_keys(const pm_signature *s, size_t max_frames, size_t *n)
{
	size_t idx[64];
	size_t nk = sig_kept_frames(s, idx, max_frames < 64 ? max_frames : 64);
	char **k = xcalloc(nk + s->nthird_party + s->npool_tags + 1, sizeof *k);
	*n = 0;
	for (size_t i = 0; i < nk; i++)
		k[(*n)++] = xasprintf("f:%s", s->frames[idx[i]].key);
	for (size_t i = 0; i < s->nthird_party; i++)
		k[(*n)++] = xasprintf("m:%s", s->third_party[i]);
	for (size_t i = 0; i < s->npool_tags; i++)
		k[(*n)++] = xasprintf("p:%s", s->pool_tags[i].tag);
	return k;
}

typedef struct rarity {
	const smap *keys;
	size_t n;
} rarity;

/* Frame rarity from the analyses themselves, as match takes it from the
 * index: log((N+1)/(df+0.5)) over its maximum, in 0.05..1. */
static double key_idf(void *ctx, const char *frame, uint32_t fold)
{
	const rarity *r = ctx;
	(void)fold;
	if (!frame)
		return 1.0;
	char *k = xasprintf("f:%s", frame);
	postings *p = smap_get(r->keys, k);
	free(k);
	if (!p || p->n == 0)
		return 1.0;
	double max = log(((double)r->n + 1) / 0.5);
	double v = log(((double)r->n + 1) / ((double)p->n + 0.5)) / max;
	return v < 0.05 ? 0.05 : v > 1 ? 1 : v;
}

/* Do two signatures name a third-party module in common? (the same
 * driver on both stacks: a lower bar than Microsoft frames alone, which
 * chain unrelated causes through common kernel paths) */
static int shares_third_party(const pm_signature *a, const pm_signature *b)
{
	for (size_t i = 0; i < a->nthird_party; i++)
		for (size_t j = 0; j < b->nthird_party; j++)
			if (!strcmp(a->third_party[i], b->third_party[j]))
				return 1;
	return 0;
}

typedef struct edge {
	size_t a, b;
	double s;
} edge;

static int edge_cmp(const void *x, const void *y)
{
	const edge *a = x, *b = y;
	if (a->s != b->s)
		return a->s < b->s ? 1 : -1;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return a->b < b->b ? -1 : a->b > b->b;
}

static int pair_cmp(const void *x, const void *y)
{
	const edge *a = x, *b = y;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return a->b < b->b ? -1 : a->b > b->b;
}

/* Pairs each analysis keeps (see by_similarity). */
#define NEAREST 3

typedef struct tally {
	size_t id;
	double w;
} tally;

static int tally_cmp(const void *x, const void *y)
{
	const tally *a = x, *b = y;
	if (a->w != b->w)
		return a->w < b->w ? 1 : -1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static void note(cl_result *r, size_t i, cl_how how, size_t peer, double score)
{
	if (r->how[i] != CL_ALONE)
		return;
	r->how[i] = how;
	r->peer[i] = peer;
	r->score[i] = score;
}

/* ---- the steps ---- */

static void by_rules(const cl_item *items, size_t n, const cl_opts *o, uf *u, cl_result *r)
{
	smap causes = {0};
	for (size_t i = 0; i < n; i++) {
		rule_result rr;
		memset(&rr, 0, sizeof rr);
		r->rule[i] = rules_best(o->rules, items[i].sig, &rr);
		rule_result_clear(&rr);
		if (r->rule[i])
			smap_add(&causes, r->rule[i]->cause, i);
	}
	for (size_t k = 0; k < causes.slots; k++) {
		const postings *p = &causes.vals[k];
		for (size_t j = 1; causes.keys[k] && j < p->n; j++)
			if (uf_join(u, p->ids[0], p->ids[j])) {
				note(r, p->ids[0], CL_RULE, p->ids[j], 0);
				note(r, p->ids[j], CL_RULE, p->ids[0], 0);
			}
	}
	smap_free(&causes);
}

static void by_similarity(const cl_item *items, size_t n, const cl_opts *o, uf *u, cl_result *r,
			  smap *keys)
{
	const score_params *p = o->params ? o->params : &score_defaults;
	/* 200, or one analysis in a hundred in a big knowledge base, where
	 * more frames are common to several causes and a fixed bound left 38 %
	 * of 127k generated analyses alone (docs/matching.md) */
	size_t block_max = o->block_max ? o->block_max : n / 100 > 200 ? n / 100 : 200;
	size_t partners = o->partners ? o->partners : 30;
	double t = o->threshold > 0 ? o->threshold : 0.5;
	double t_shared = o->threshold_shared > 0 ? o->threshold_shared : CL_T_SHARED;
	char ***ik = xcalloc(n + 1, sizeof *ik);
	size_t *nik = xcalloc(n + 1, sizeof *nik);
	for (size_t i = 0; i < n; i++) {
		ik[i] = sig_keys(items[i].sig, p->max_frames, &nik[i]);
		for (size_t k = 0; k < nik[i]; k++)
			smap_add(keys, ik[i][k], i);
	}
	rarity rar = {keys, n};
	unsigned *shared = xcalloc(n + 1, sizeof *shared);
	size_t *touched = xcalloc(n + 1, sizeof *touched);
	tally *cand = xcalloc(n + 1, sizeof *cand);
	edge *edges = NULL;
	size_t nedges = 0, edges_cap = 0;
	for (size_t i = 0; i < n; i++) {
		size_t nt = 0;
		for (size_t k = 0; k < nik[i]; k++) {
			const postings *ps = smap_get(keys, ik[i][k]);
			if (!ps || ps->n > block_max)
				continue; /* on too many stacks to say anything */
			for (size_t x = 0; x < ps->n; x++) {
				size_t j = ps->ids[x];
				if (j == i)
					continue;
				if (!shared[j]++)
					touched[nt++] = j;
			}
		}
		for (size_t x = 0; x < nt; x++)
			cand[x] = (tally){touched[x], shared[touched[x]]};
		qsort(cand, nt, sizeof *cand, tally_cmp);
		for (size_t x = 0; x < nt && x < partners; x++) {
			size_t j = cand[x].id;
			double s1 = score_pair(items[i].sig, items[j].sig, -1, p, key_idf, &rar, NULL);
			double s2 = score_pair(items[j].sig, items[i].sig, -1, p, key_idf, &rar, NULL);
			r->pairs_scored++;
			double s = (s1 + s2) / 2;
			if (s >= (shares_third_party(items[i].sig, items[j].sig) ? t_shared : t)) {
				XGROW(edges, edges_cap, nedges + 1);
				edges[nedges++] = (edge){i, j, s};
			}
		}
		for (size_t x = 0; x < nt; x++)
			shared[touched[x]] = 0;
	}
	/* A pair at or above t joins. Below it (down to t_shared, two stacks
	 * naming one third-party module), only mutual nearest neighbours: each
	 * of the two keeps the other among its NEAREST best pairs, so a module
	 * on many stacks cannot chain unrelated causes into one (single-link
	 * chaining: on 10k generated threads, BCubed precision 0.48 without
	 * this, 0.87 with it, recall 0.73 and 0.71; docs/matching.md) */
	if (nedges)
		qsort(edges, nedges, sizeof *edges, edge_cmp);
	size_t *kept = xcalloc(n + 1, sizeof *kept);
	size_t nk = 0;
	for (size_t e = 0; e < nedges; e++)
		if (kept[edges[e].a]++ < NEAREST || edges[e].s >= t)
			edges[nk++] = edges[e];
	nedges = nk;
	/* directed (a keeps b) -> undirected pairs kept both ways */
	for (size_t e = 0; e < nedges; e++)
		if (edges[e].a > edges[e].b) {
			size_t x = edges[e].a;
			edges[e].a = edges[e].b;
			edges[e].b = x;
		}
	if (nedges)
		qsort(edges, nedges, sizeof *edges, pair_cmp);
	nk = 0;
	for (size_t e = 0; e < nedges; e++) {
		int both = e + 1 < nedges && edges[e].a == edges[e + 1].a && edges[e].b == edges[e + 1].b;
		if (both || edges[e].s >= t)
			edges[nk++] = edges[e];
		if (both)
			e++;
	}
	nedges = nk;
	free(kept);
	if (nedges)
		qsort(edges, nedges, sizeof *edges, edge_cmp);
	for (size_t e = 0; e < nedges; e++)
		if (uf_join(u, edges[e].a, edges[e].b)) {
			note(r, edges[e].a, CL_SIMILAR, edges[e].b, edges[e].s);
			note(r, edges[e].b, CL_SIMILAR, edges[e].a, edges[e].s);
		}
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < nik[i]; k++)
			free(ik[i][k]);
		free(ik[i]);
	}
	free(ik);
	free(nik);
	free(shared);
	free(touched);
	free(cand);
	free(edges);
}

/* Analyses with nothing but a bugcheck, still alone: where their own text
 * points (modules of a cluster named there: a third-party module counts 1,
 * an inbox one 1/2, at least 1 in all), else their case's largest cluster. */
static void place_weak(const cl_item *items, size_t n, const cl_opts *o, uf *u, cl_result *r)
{
	size_t block_max = o->block_max ? o->block_max : 200;
	/* module -> the clusters (roots) of the analyses naming it */
	smap mods = {0};
	for (size_t i = 0; i < n; i++) {
		if (cluster_sig_weak(items[i].sig))
			continue;
		for (size_t k = 0; k < items[i].sig->nmodules; k++)
			smap_add(&mods, items[i].sig->modules[k], uf_find(u, i));
	}
	tally *t = xcalloc(1, sizeof *t);
	size_t tcap = 1;
	int *weak = xcalloc(n + 1, sizeof *weak);
	for (size_t i = 0; i < n; i++)
		weak[i] = cluster_sig_weak(items[i].sig) && u->size[uf_find(u, i)] == 1;
	for (size_t i = 0; i < n; i++) {
		if (!weak[i])
			continue;
		size_t nt = 0;
		for (size_t w = 0; w < items[i].nwords; w++) {
			const postings *ps = smap_get(&mods, items[i].words[w]);
			if (!ps || ps->n > block_max)
				continue;
			double wt = sig_is_microsoft(items[i].words[w]) ? 0.5 : 1.0;
			/* roots are listed once per analysis: count each root once */
			for (size_t x = 0; x < ps->n; x++) {
				size_t root = uf_find(u, ps->ids[x]);
				int dup = 0;
				for (size_t y = 0; y < x && !dup; y++)
					dup = uf_find(u, ps->ids[y]) == root;
				if (dup)
					continue;
				size_t y = 0;
				while (y < nt && t[y].id != root)
					y++;
				if (y == nt) {
					XGROW(t, tcap, nt + 1);
					t[nt++] = (tally){root, 0};
				}
				t[y].w += wt;
			}
		}
		qsort(t, nt, sizeof *t, tally_cmp);
		for (size_t x = 0; x < nt && t[x].w >= 1.0; x++)
			if (uf_join(u, i, t[x].id)) {
				note(r, i, CL_TEXT, t[x].id, t[x].w);
				break;
			}
	}
	/* the case: items of one case are found through a map case -> items */
	smap cases = {0};
	for (size_t i = 0; i < n; i++)
		smap_add(&cases, items[i].case_id, i);
	for (size_t i = 0; i < n; i++) {
		if (!weak[i] || r->how[i] != CL_ALONE)
			continue;
		const postings *ps = smap_get(&cases, items[i].case_id);
		size_t best = SIZE_MAX, best_size = 1;
		for (size_t x = 0; ps && x < ps->n; x++) {
			size_t j = ps->ids[x];
			size_t root = uf_find(u, j);
			if (j == i || root == uf_find(u, i) || weak[j])
				continue;
			if (u->size[root] > best_size) {
				best_size = u->size[root];
				best = j;
			}
		}
		if (best != SIZE_MAX && uf_join(u, i, best))
			note(r, i, CL_CASE, best, 0);
	}
	smap_free(&cases);
	smap_free(&mods);
	free(t);
	free(weak);
}

/* ---- numbering ---- */

static const cl_item *num_items;
static const size_t *num_size;
static const size_t *num_first;

static int root_cmp(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	if (num_size[a] != num_size[b])
		return num_size[a] < num_size[b] ? 1 : -1;
	const cl_item *ia = &num_items[num_first[a]], *ib = &num_items[num_first[b]];
	int c = strcmp(ia->case_id, ib->case_id);
	if (c)
		return c;
	return ia->analysis < ib->analysis ? -1 : ia->analysis > ib->analysis;
}

void cluster_items(const cl_item *items, size_t n, const cl_link *links, size_t nlinks,
		   const cl_opts *o, cl_result *out)
{
	memset(out, 0, sizeof *out);
	out->cluster = xcalloc(n + 1, sizeof *out->cluster);
	out->how = xcalloc(n + 1, sizeof *out->how);
	out->rule = xcalloc(n + 1, sizeof *out->rule);
	out->peer = xcalloc(n + 1, sizeof *out->peer);
	out->score = xcalloc(n + 1, sizeof *out->score);
	uf u = {xcalloc(n + 1, sizeof(size_t)), xcalloc(n + 1, sizeof(size_t)), links, nlinks};
	for (size_t i = 0; i < n; i++) {
		u.parent[i] = i;
		u.size[i] = 1;
		out->peer[i] = SIZE_MAX;
	}
	for (size_t i = 0; i < nlinks; i++)
		if (links[i].same && links[i].a < n && links[i].b < n && uf_join(&u, links[i].a, links[i].b)) {
			note(out, links[i].a, CL_FEEDBACK, links[i].b, 0);
			note(out, links[i].b, CL_FEEDBACK, links[i].a, 0);
		}
	by_rules(items, n, o, &u, out);
	smap keys = {0};
	by_similarity(items, n, o, &u, out, &keys);
	smap_free(&keys);
	place_weak(items, n, o, &u, out);

	/* number the clusters: biggest first, then by their first analysis */
	size_t *first = xcalloc(n + 1, sizeof *first);
	size_t *roots = xcalloc(n + 1, sizeof *roots);
	size_t *num = xcalloc(n + 1, sizeof *num);
	size_t nr = 0;
	for (size_t i = 0; i < n; i++) {
		size_t root = uf_find(&u, i);
		if (root == i)
			roots[nr++] = root;
		num[i] = SIZE_MAX;
	}
	for (size_t i = n; i-- > 0;) {
		/* the smallest (case, analysis) of each cluster */
		size_t root = uf_find(&u, i);
		size_t f = num[root] == SIZE_MAX ? i : first[root];
		if (num[root] == SIZE_MAX) {
			num[root] = 0;
			first[root] = i;
			continue;
		}
		int c = strcmp(items[i].case_id, items[f].case_id);
		if (c < 0 || (c == 0 && items[i].analysis < items[f].analysis))
			first[root] = i;
	}
	num_items = items;
	num_size = u.size;
	num_first = first;
	qsort(roots, nr, sizeof *roots, root_cmp);
	for (size_t k = 0; k < nr; k++)
		num[roots[k]] = k;
	for (size_t i = 0; i < n; i++)
		out->cluster[i] = num[uf_find(&u, i)];
	out->ncl = nr;
	free(first);
	free(roots);
	free(num);
	free(u.parent);
	free(u.size);
}

void cl_result_clear(cl_result *r)
{
	free(r->cluster);
	free(r->how);
	free(r->rule);
	free(r->peer);
	free(r->score);
	memset(r, 0, sizeof *r);
}

char **cluster_text_words(const char *text, size_t len, size_t *n)
{
	char **w = NULL;
	size_t cap = 0;
	*n = 0;
	size_t i = 0;
	while (i < len) {
		unsigned char ch = (unsigned char)text[i];
		if (!(isalnum(ch) || ch == '_') || ch >= 0x80) {
			i++;
			continue;
		}
		size_t s = i;
		while (i < len && (unsigned char)text[i] < 0x80 &&
		       (isalnum((unsigned char)text[i]) || text[i] == '_' || text[i] == '.'))
			i++;
		size_t e = i;
		while (e > s && text[e - 1] == '.')
			e--;
		if (e - s < 3 || e - s > 64)
			continue;
		int letter = 0;
		for (size_t k = s; k < e; k++)
			letter |= isalpha((unsigned char)text[k]) != 0;
		if (!letter)
			continue;
		char *raw = xstrndup(text + s, e - s);
		char *c = pm_canon_module(raw);
		free(raw);
		if (!c)
			continue;
		str_lower(c);
		int dup = 0;
		for (size_t k = 0; k < *n && !dup; k++)
			dup = !strcmp(w[k], c);
		if (dup) {
			free(c);
			continue;
		}
		XGROW(w, cap, *n + 1);
		w[(*n)++] = c;
	}
	return w;
}
