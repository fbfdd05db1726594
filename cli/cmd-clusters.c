/* cmd-clusters.c - pmkb clusters: the stored analyses grouped into root
 * causes (matcher/cluster.h), with the engineers' links as hard
 * constraints; pmkb clusters show ID (docs/pmkb-clusters.1,
 * docs/clusters-json.md). */
#include "cli.h"
#include "../matcher/cluster.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>



typedef struct loaded {
	cl_item *items;
	pm_signature *sigs;
	size_t n, cap, sigcap;
	kb_db *db;
	pm_case *cur;   /* the case last read for text (items come in case order) */
	kb_status st;
} loaded;

/* The part of its message an analysis owns: from the end of the analysis
 * before it in the same message to the start of the next one. */
static void section(const pm_case *c, int idx, const char **s, size_t *len)
{
	const pm_analysis *a = &c->analyses[idx];
	*s = NULL;
	*len = 0;
	if (a->message < 0 || (size_t)a->message >= c->nmessages || !c->messages[a->message].body)
		return;
	const char *body = c->messages[a->message].body;
	size_t blen = strlen(body), from = 0, to = blen;
	for (size_t k = 0; k < c->nanalyses; k++) {
		const pm_analysis *b = &c->analyses[k];
		if ((int)k == idx || b->message != a->message)
			continue;
		if (b->span_end <= a->span_start && b->span_end > from)
			from = b->span_end;
		if (b->span_start >= a->span_end && b->span_start < to)
			to = b->span_start;
	}
	if (from > blen || to > blen || from >= to)
		return;
	*s = body + from;
	*len = to - from;
}

static int take_sig(void *ctx, const char *case_id, int analysis, const pm_signature *sig)
{
	loaded *l = ctx;
	XGROW(l->items, l->cap, l->n + 1);
	XGROW(l->sigs, l->sigcap, l->n + 1);
	sbuf sb = {0};
	sig_serialize(sig, &sb);
	if (sig_parse(sb_str(&sb), &l->sigs[l->n]) != 0)
		memset(&l->sigs[l->n], 0, sizeof l->sigs[l->n]);
	sb_free(&sb);
	cl_item *it = &l->items[l->n];
	memset(it, 0, sizeof *it);
	it->case_id = xstrdup(case_id);
	it->analysis = analysis;
	/* the words of its text, for an analysis with nothing but a bugcheck */
	if (cluster_sig_weak(sig)) {
		if (!l->cur || strcmp(l->cur->id, case_id)) {
			pm_case_free(l->cur);
			l->cur = NULL;
			kb_status st = kb_get_case(l->db, case_id, &l->cur);
			if (st != KB_OK && st != KB_NOT_FOUND) {
				l->st = st;
				return 1;
			}
		}
		if (l->cur && analysis >= 0 && (size_t)analysis < l->cur->nanalyses) {
			const char *s;
			size_t len;
			section(l->cur, analysis, &s, &len);
			if (s)
				it->words = cluster_text_words(s, len, &it->nwords);
		}
	}
	l->n++;
	return 0;
}

static void loaded_free(loaded *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free((char *)l->items[i].case_id);
		for (size_t w = 0; w < l->items[i].nwords; w++)
			free(l->items[i].words[w]);
		free(l->items[i].words);
		sig_clear(&l->sigs[i]);
	}
	free(l->items);
	free(l->sigs);
	pm_case_free(l->cur);
}

/* Item of (case, analysis), SIZE_MAX when none; items are in case order. */
static size_t find_item(const loaded *l, const char *case_id, int analysis)
{
	size_t lo = 0, hi = l->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(l->items[mid].case_id, case_id);
		if (c < 0 || (c == 0 && l->items[mid].analysis < analysis))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < l->n && !strcmp(l->items[lo].case_id, case_id) &&
	    (analysis < 0 || l->items[lo].analysis == analysis))
		return lo;
	return SIZE_MAX;
}

/* The analyses a side of a link names: one, or every one of the case. */
static size_t side_items(const loaded *l, const char *case_id, int analysis, size_t *first)
{
	*first = find_item(l, case_id, analysis < 0 ? -1 : analysis);
	if (*first == SIZE_MAX)
		return 0;
	if (analysis >= 0)
		return 1;
	size_t n = 0;
	while (*first + n < l->n && !strcmp(l->items[*first + n].case_id, case_id))
		n++;
	return n;
}

/* Links as constraints on items: "different" between every analysis the
 * two sides name; "same" only between two single analyses (a whole case
 * of several analyses is no one root cause). */
static cl_link *item_links(const loaded *l, const kb_link *kl, size_t nkl, size_t *n)
{
	cl_link *out = NULL;
	size_t cap = 0;
	*n = 0;
	for (size_t i = 0; i < nkl; i++) {
		size_t fa, fb;
		size_t na = side_items(l, kl[i].a_case, kl[i].a_analysis, &fa);
		size_t nb = side_items(l, kl[i].b_case, kl[i].b_analysis, &fb);
		if (kl[i].same && (na != 1 || nb != 1))
			continue;
		for (size_t x = 0; x < na; x++)
			for (size_t y = 0; y < nb; y++) {
				XGROW(out, cap, *n + 1);
				out[(*n)++] = (cl_link){fa + x, fb + y, kl[i].same};
			}
	}
	return out;
}

/* ---- one cluster, as printed ---- */

typedef struct cluster {
	size_t *members;  /* item indexes, in case order */
	size_t n;
	const rule *rule; /* the rule of most members, or NULL */
	char id[10];
	char *name;
} cluster;

static const kb_case_row *case_row(const kb_case_row *rows, size_t nrows, const char *id)
{
	size_t lo = 0, hi = nrows;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(rows[mid].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < nrows && !strcmp(rows[lo].id, id) ? &rows[lo] : NULL;
}

/* Distinct strings added in order. */
typedef struct strset {
	const char **v;
	size_t n, cap;
} strset;

static void strset_add(strset *s, const char *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], x))
			return;
	XGROW(s->v, s->cap, s->n + 1);
	s->v[s->n++] = x;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The name of a cluster without a rule: its most common third-party
 * module and kept top frame. */
static char *strongest(const loaded *l, const cluster *c)
{
	const char *best_mod = NULL, *best_frame = NULL;
	size_t nm = 0, nf = 0;
	for (size_t i = 0; i < c->n; i++) {
		const pm_signature *s = l->items[c->members[i]].sig;
		size_t idx[1];
		for (size_t pass = 0; pass < 2; pass++) {
			const char *cand = NULL;
			if (pass == 0 && s->nthird_party)
				cand = s->third_party[0];
			if (pass == 1 && sig_kept_frames(s, idx, 1))
				cand = s->frames[idx[0]].key;
			if (!cand)
				continue;
			size_t k = 0;
			for (size_t j = 0; j < c->n; j++) {
				const pm_signature *t = l->items[c->members[j]].sig;
				if (pass == 0) {
					for (size_t m = 0; m < t->nthird_party; m++)
						k += !strcmp(t->third_party[m], cand);
				} else {
					for (size_t m = 0; m < t->nframes; m++)
						k += !t->frames[m].skip && !strcmp(t->frames[m].key, cand);
				}
			}
			if (pass == 0 && k > nm) {
				nm = k;
				best_mod = cand;
			} else if (pass == 1 && k > nf) {
				nf = k;
				best_frame = cand;
			}
		}
	}
	if (best_mod && best_frame)
		return xasprintf("%s / %s", best_mod, best_frame);
	if (best_mod || best_frame)
		return xstrdup(best_mod ? best_mod : best_frame);
	const pm_signature *s = l->items[c->members[0]].sig;
	return xstrdup(s->bugcheck ? s->bugcheck : "no signature");
}

/* s with every run of white space one blank, trimmed; caller frees. */
static char *one_line(const char *s)
{
	char *o = xcalloc(strlen(s) + 1, 1);
	size_t n = 0;
	int blank = 0;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			blank = n > 0;
			continue;
		}
		if (blank)
			o[n++] = ' ';
		blank = 0;
		o[n++] = *s;
	}
	return o;
}

/* What resolved most of its cases: the rule's steps, else the last next
 * step (the one the thread ended on) of the case holding most of the
 * cluster's analyses. On one line; caller frees. */
static char *remediation(const loaded *l, kb_db *db, const cluster *c)
{
	if (c->rule && (c->rule->steps_en || c->rule->steps_zh))
		return one_line(c->rule->steps_en ? c->rule->steps_en : c->rule->steps_zh);
	const char *best = NULL;
	size_t bestn = 0;
	for (size_t i = 0; i < c->n;) {
		const char *id = l->items[c->members[i]].case_id;
		size_t k = 0;
		while (i + k < c->n && !strcmp(l->items[c->members[i + k]].case_id, id))
			k++;
		if (k > bestn) {
			bestn = k;
			best = id;
		}
		i += k;
	}
	pm_case *pc = NULL;
	char *out = NULL;
	if (best && kb_get_case(db, best, &pc) == KB_OK) {
		for (size_t i = pc->nnotes; i-- > 0 && !out;)
			if (!strcmp(pc->notes[i].kind, PM_NOTE_NEXT_STEP) && pc->notes[i].text)
				out = one_line(pc->notes[i].text);
	}
	pm_case_free(pc);
	return out;
}

static void ref_add(sbuf *sb, const cl_item *it)
{
	sb_addf(sb, "%s#%d", it->case_id, it->analysis + 1); /* 1-based, as match prints */
}

/* A set of strings as an array member of w. */
static void strset_json(jw *w, const char *key, const strset *s)
{
	jw_arr(w, key);
	for (size_t i = 0; i < s->n; i++)
		jw_str(w, NULL, s->v[i]);
	jw_end(w);
}

/* One cluster: as text into out, or as an object into w (json). */
static void print_cluster(const loaded *l, kb_db *db, const cl_result *r, const cluster *c,
			  const kb_case_row *rows, size_t nrows, jw *w, int json, int detail, sbuf *out)
{
	strset cases = {0}, customers = {0}, codes = {0};
	const char *first = NULL, *last = NULL;
	for (size_t i = 0; i < c->n; i++) {
		const cl_item *it = &l->items[c->members[i]];
		strset_add(&cases, it->case_id);
		strset_add(&codes, it->sig->bugcheck ? it->sig->bugcheck : "none");
		const kb_case_row *row = case_row(rows, nrows, it->case_id);
		if (!row)
			continue;
		strset_add(&customers, row->customer);
		const char *f = row->first_date ? row->first_date : row->last_date;
		if (f && (!first || strcmp(f, first) < 0))
			first = f;
		if (row->last_date && (!last || strcmp(row->last_date, last) > 0))
			last = row->last_date;
	}
	if (codes.n)
		qsort(codes.v, codes.n, sizeof *codes.v, str_cmp);
	if (customers.n)
		qsort(customers.v, customers.n, sizeof *customers.v, str_cmp);
	char *rem = remediation(l, db, c);
	if (json) {
		jw_obj(w, NULL);
		jw_str(w, "id", c->id);
		jw_str(w, "name", c->name);
		jw_str(w, "rule", c->rule ? c->rule->id : NULL);
		jw_size(w, "size", c->n);
		strset_json(w, "cases", &cases);
		strset_json(w, "customers", &customers);
		jw_str(w, "first_seen", first);
		jw_str(w, "last_seen", last);
		strset_json(w, "bugchecks", &codes);
		jw_str(w, "remediation", rem);
		jw_arr(w, "members");
		for (size_t i = 0; i < c->n; i++) {
			size_t m = c->members[i];
			const cl_item *it = &l->items[m];
			jw_obj(w, NULL);
			jw_str(w, "case", it->case_id);
			jw_int(w, "analysis", it->analysis);
			jw_str(w, "bugcheck", it->sig->bugcheck);
			jw_str(w, "how", cl_how_name(r->how[m]));
			if (r->peer[m] != SIZE_MAX) {
				sbuf p = {0};
				ref_add(&p, &l->items[r->peer[m]]);
				jw_str(w, "with", sb_str(&p));
				sb_free(&p);
			} else {
				jw_null(w, "with");
			}
			jw_str(w, "rule", r->rule[m] ? r->rule[m]->id : NULL);
			jw_str(w, "signature", it->sig->text);
			jw_end(w);
		}
		jw_end(w);
		jw_end(w);
	} else {
		sb_addf(out, "%s  %zu analys%s in %zu case%s  %s", c->id, c->n, c->n == 1 ? "is" : "es", cases.n,
			cases.n == 1 ? "" : "s", c->rule ? "rule " : "");
		if (c->rule)
			sb_addf(out, "%s - %s\n", c->rule->id, c->rule->title ? c->rule->title : "");
		else
			sb_addf(out, "%s\n", c->name);
		sb_adds(out, "   customers: ");
		for (size_t i = 0; i < customers.n; i++)
			sb_addf(out, "%s%s", i ? ", " : "", customers.v[i]);
		if (!customers.n)
			sb_adds(out, "-");
		sb_addf(out, "  seen %.10s .. %.10s  bugchecks:", first ? first : "-", last ? last : "-");
		for (size_t i = 0; i < codes.n; i++)
			sb_addf(out, " %s", codes.v[i]);
		sb_addc(out, '\n');
		if (rem)
			sb_addf(out, "   remediation: %s\n", rem);
		for (size_t i = 0; detail && i < c->n; i++) {
			size_t m = c->members[i];
			const cl_item *it = &l->items[m];
			sb_adds(out, "   ");
			ref_add(out, it);
			sb_addf(out, "  %s", cl_how_name(r->how[m]));
			if (r->how[m] == CL_RULE && r->rule[m])
				sb_addf(out, " %s", r->rule[m]->id);
			if (r->peer[m] != SIZE_MAX) {
				sb_adds(out, " with ");
				ref_add(out, &l->items[r->peer[m]]);
			}
			if (r->how[m] == CL_SIMILAR)
				sb_addf(out, " (%.2f)", r->score[m]);
			sb_addf(out, "  %s\n", it->sig->text && *it->sig->text ? it->sig->text : "(no signature)");
		}
	}
	free(rem);
	free(cases.v);
	free(customers.v);
	free(codes.v);
}

int cmd_clusters(cli_ctx *ctx, int argc, char **argv)
{
	const cli_command *cmd = cli_command_find("clusters");
	int json = 0, all = 0, c;
	const char *rules_path = NULL;
	cl_opts o = {0};
	while ((c = cli_getopt(cmd, argc, argv)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'a':
			all = 1;
			break;
		case 'r':
			rules_path = optarg;
			break;
		case 't': {
			char *end = NULL;
			o.threshold = strtod(optarg, &end);
			if (!*optarg || *end || !(o.threshold > 0 && o.threshold <= 1))
				return cli_usage(cmd->usage, "--threshold takes a score in (0, 1], not '%s'", optarg);
			break;
		}
		default:
			return cli_getopt_exit;
		}
	}
	const char *show = NULL;
	if (optind < argc) {
		if (strcmp(argv[optind], "show") || argc - optind != 2)
			return cli_usage(cmd->usage, "'%s' is not 'show ID'", argv[optind]);
		show = argv[optind + 1];
	}
	ruleset *rs = NULL;
	int ex = cli_rules_in_force(ctx, rules_path, &rs);
	if (ex)
		return ex;
	o.rules = rs;
	kb_db *db = NULL;
	ex = cli_open_db(ctx, KB_READ, &db);
	if (ex) {
		rules_free(rs);
		return ex;
	}
	loaded l = {.db = db};
	kb_status st = kb_foreach_signature(db, take_sig, &l);
	if (st == KB_OK && l.st != KB_OK)
		st = l.st;
	for (size_t i = 0; i < l.n; i++)
		l.items[i].sig = &l.sigs[i];
	kb_link *kl = NULL;
	size_t nkl = 0;
	kb_case_row *rows = NULL;
	size_t nrows = 0, total = 0;
	if (st == KB_OK)
		st = kb_links(db, NULL, &kl, &nkl);
	if (st == KB_OK)
		st = kb_list_cases(db, KB_SORT_CASE, NULL, NULL, 0, 0, &rows, &nrows, &total);
	if (st != KB_OK) {
		ex = cli_kb_fail(db, st, "cannot read the analyses");
		goto out;
	}
	size_t nlinks = 0;
	cl_link *links = item_links(&l, kl, nkl, &nlinks);
	cl_result r;
	cluster_items(l.items, l.n, links, nlinks, &o, &r);
	free(links);

	cluster *cl = xcalloc(r.ncl + 1, sizeof *cl);
	for (size_t i = 0; i < l.n; i++) {
		cluster *x = &cl[r.cluster[i]];
		x->members = xrealloc(x->members, (x->n + 1) * sizeof *x->members);
		x->members[x->n++] = i;
	}
	size_t shown = 0, alone = 0;
	for (size_t k = 0; k < r.ncl; k++) {
		cluster *x = &cl[k];
		/* its rule: the one firing on most members */
		size_t bestn = 0;
		for (size_t i = 0; i < x->n; i++) {
			const rule *ru = r.rule[x->members[i]];
			size_t cnt = 0;
			for (size_t j = 0; ru && j < x->n; j++)
				cnt += r.rule[x->members[j]] && !strcmp(r.rule[x->members[j]]->cause, ru->cause);
			if (cnt > bestn) {
				bestn = cnt;
				x->rule = ru;
			}
		}
		x->name = x->rule ? xstrdup(x->rule->title ? x->rule->title : x->rule->id) : strongest(&l, x);
		sbuf ref = {0};
		ref_add(&ref, &l.items[x->members[0]]);
		char hex[17];
		hash_hex(fnv1a64(ref.buf, ref.len), hex);
		snprintf(x->id, sizeof x->id, "c%.8s", hex);
		sb_free(&ref);
		if (x->n == 1)
			alone++;
	}
	sbuf out = {0};
	jw w;
	jw_init(&w, &out);
	if (show) {
		size_t k = 0;
		while (k < r.ncl && strcmp(cl[k].id, show))
			k++;
		if (k == r.ncl) {
			pmkb_error("no cluster '%s'", show);
			pmkb_hint("'pmkb clusters --all' lists every cluster id; ids follow the clusters' first analysis");
			ex = PMKB_EX_NOINPUT;
		} else {
			print_cluster(&l, db, &r, &cl[k], rows, nrows, &w, json, 1, &out);
			if (json)
				sb_addc(&out, '\n');
		}
	} else {
		if (json) {
			jw_obj(&w, NULL);
			jw_size(&w, "analyses", l.n);
			jw_size(&w, "clusters_total", r.ncl);
			jw_size(&w, "alone", alone);
			jw_arr(&w, "clusters");
		}
		for (size_t k = 0; k < r.ncl; k++) {
			if (cl[k].n < 2 && !all)
				continue;
			print_cluster(&l, db, &r, &cl[k], rows, nrows, &w, json, 0, &out);
			shown++;
		}
		if (json) {
			jw_end(&w);
			jw_end(&w);
			sb_addc(&out, '\n');
		} else
			sb_addf(&out, "%zu analyses in %zu clusters (%zu alone%s); %zu signature pairs scored\n", l.n,
				r.ncl, alone, all ? "" : ", not listed: --all", r.pairs_scored);
	}
	fputs(sb_str(&out), stdout);
	sb_free(&out);
	for (size_t k = 0; k < r.ncl; k++) {
		free(cl[k].members);
		free(cl[k].name);
	}
	free(cl);
	cl_result_clear(&r);
out:
	kb_case_rows_free(rows, nrows);
	kb_links_free(kl, nkl);
	loaded_free(&l);
	kb_close(db);
	rules_free(rs);
	return ex;
}
