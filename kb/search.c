/* search.c - search (kb.h): a query checked (search-opts.c), its field
 * values normalised like the index's (index.c), run on the index, and
 * the hits decoded from the documents' data; the candidates of a
 * signature; term and word frequencies. Calls index.c, search-opts.c and
 * core.c. */
#include "kb.h"
#include "kb-int.h"
#include "xapian-shim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


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
				char *nv = kb_int_norm_value(px, v, (size_t)(ve - v));
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

size_t kb_docset_find(const kb_docset *s, unsigned docid)
{
	size_t i = docset_lower(s, docid);
	return i < s->n && s->ids[i] == docid ? i : s->n;
}

int kb_docset_has(const kb_docset *s, unsigned docid)
{
	return kb_docset_find(s, docid) < s->n;
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
		return kb_int_fail(db, KB_BAD_QUERY, "empty query");
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
		return kb_int_fail(db, KB_BAD_QUERY, "query too long: %zu words, at most %d", words, KB_QUERY_MAX_WORDS);
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
	kb_terms b = {0};
	if (sig)
		kb_int_sig_terms(&b, sig, 1);
	xs_hit *xh = NULL;
	size_t n = 0, est = 0;
	double self = 0;
	sbuf held = {0}; /* the text as the index would hold it */
	if (text)
		kb_int_index_text(text, &held);
	kb_status st = xs_candidates(db->xs, b.terms, b.nterms, text, held.len ? sb_str(&held) : NULL, limit,
				     skip ? skip->ids : NULL, skip ? skip->n : 0, &xh, &n, &est, &self, db->err,
				     sizeof db->err);
	sb_free(&held);
	kb_int_terms_free(&b);
	if (st != KB_OK)
		return st;
	*out = hits_from_xs(db, xh, n, est);
	(*out)->self_weight = self;
	return KB_OK;
}

kb_status kb_term_df(kb_db *db, const char *field, const char *value, unsigned long *df,
		     unsigned long *ndocs)
{
	*df = 0;
	*ndocs = 0;
	if (!field || !value || !kb_prefix_find(field, strlen(field)))
		return kb_int_fail(db, KB_INVALID, "no field '%s'", field ? field : "(null)");
	char *v = kb_int_norm_field(field, value);
	kb_status st = xs_termfreq(db->xs, field, v, df, ndocs, db->err, sizeof db->err);
	free(v);
	return st;
}

kb_status kb_revision(kb_db *db, unsigned long long *rev)
{
	return xs_revision(db->xs, rev, db->err, sizeof db->err);
}

kb_status kb_word_df(kb_db *db, const char *word, unsigned long *df)
{
	*df = 0;
	if (!word || !*word)
		return kb_int_fail(db, KB_INVALID, "empty word");
	return xs_word_df(db->xs, word, df, db->err, sizeof db->err);
}
