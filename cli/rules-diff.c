/* rules-diff.c - pmkb rules diff OLD NEW (and the changes rules test
 * --rules NEW prints): every stored analysis whose rule, verdict or top
 * case changes from one rules set to the other (docs/pmkb-rules.1). */
#include "cli.h"
#include "../matcher/match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One analysis under one rules set. */
typedef struct outcome {
	const char *rule;    /* the best rule firing on it (owned by its ruleset) */
	verdict v;
	char *top;           /* the case match ranks first, its own case left out */
} outcome;

typedef struct change {
	char *case_id;
	int analysis;
	outcome a, b;
} change;

typedef struct diff_ctx {
	kb_db *db;
	const ruleset *old, *new_;
	change *ch;
	size_t n, cap;
	long analyses;
	kb_status st;
} diff_ctx;

static kb_status outcome_of(kb_db *db, const ruleset *rs, const char *case_id, const pm_signature *sig,
			    outcome *out)
{
	match_opts o = {.rules = rs, .limit = 1, .exclude_case = case_id};
	match_result r;
	kb_status st = match_signature(db, sig, NULL, &o, &r);
	if (st != KB_OK)
		return st;
	out->rule = r.rule ? r.rule->id : NULL;
	out->v = r.v;
	out->top = r.n ? xstrdup(r.items[0].case_id) : NULL;
	match_result_clear(&r);
	return KB_OK;
}

static int same_str(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

static int diff_one(void *vctx, const char *case_id, int analysis, const pm_signature *sig)
{
	diff_ctx *d = vctx;
	d->analyses++;
	outcome a = {0}, b = {0};
	kb_status st = outcome_of(d->db, d->old, case_id, sig, &a);
	if (st == KB_OK)
		st = outcome_of(d->db, d->new_, case_id, sig, &b);
	if (st != KB_OK) {
		free(a.top);
		free(b.top);
		d->st = st;
		return 1;
	}
	if (same_str(a.rule, b.rule) && a.v == b.v && same_str(a.top, b.top)) {
		free(a.top);
		free(b.top);
		return 0;
	}
	XGROW(d->ch, d->cap, d->n + 1);
	d->ch[d->n++] = (change){xstrdup(case_id), analysis, a, b};
	return 0;
}

static void outcome_json(jw *w, const char *key, const outcome *o)
{
	jw_obj(w, key);
	jw_str(w, "rule", o->rule);
	jw_str(w, "verdict", verdict_name(o->v));
	jw_str(w, "top", o->top);
	jw_end(w);
}

int cli_rules_diff(const cli_ctx *ctx, const ruleset *old, const ruleset *new_, int json)
{
	kb_db *db = NULL;
	int ex = cli_open_db(ctx, KB_READ, &db);
	if (ex)
		return ex;
	diff_ctx d = {.db = db, .old = old, .new_ = new_};
	kb_status st = kb_foreach_signature(db, diff_one, &d);
	if (st == KB_OK && d.st != KB_OK)
		st = d.st;
	if (st != KB_OK) {
		ex = cli_kb_fail(db, st, "cannot replay the stored analyses");
	} else {
		sbuf sb = {0};
		size_t caught = 0, lost = 0;
		for (size_t i = 0; i < d.n; i++) {
			caught += !d.ch[i].a.rule && d.ch[i].b.rule;
			lost += d.ch[i].a.rule && !d.ch[i].b.rule;
		}
		if (json) {
			jw w;
			jw_init(&w, &sb);
			jw_obj(&w, NULL);
			jw_int(&w, "analyses", d.analyses);
			jw_size(&w, "changed", d.n);
			jw_size(&w, "newly_caught", caught);
			jw_size(&w, "no_longer_caught", lost);
			jw_arr(&w, "changes");
			for (size_t i = 0; i < d.n; i++) {
				jw_obj(&w, NULL);
				jw_str(&w, "case", d.ch[i].case_id);
				jw_int(&w, "analysis", d.ch[i].analysis);
				outcome_json(&w, "old", &d.ch[i].a);
				outcome_json(&w, "new", &d.ch[i].b);
				jw_end(&w);
			}
			jw_end(&w);
			jw_end(&w);
			sb_addc(&sb, '\n');
		} else {
			for (size_t i = 0; i < d.n; i++) {
				const change *c = &d.ch[i];
				sb_addf(&sb, "%s#%d:", c->case_id, c->analysis + 1);
				if (!same_str(c->a.rule, c->b.rule))
					sb_addf(&sb, " rule %s -> %s;", c->a.rule ? c->a.rule : "-", c->b.rule ? c->b.rule : "-");
				if (c->a.v != c->b.v)
					sb_addf(&sb, " verdict %s -> %s;", verdict_name(c->a.v), verdict_name(c->b.v));
				if (!same_str(c->a.top, c->b.top))
					sb_addf(&sb, " top %s -> %s;", c->a.top ? c->a.top : "-", c->b.top ? c->b.top : "-");
				sb.buf[sb.len - 1] = '\n';
			}
			sb_addf(&sb, "%zu of %ld analyses change (%zu newly caught by a rule, %zu no longer)\n", d.n,
				d.analyses, caught, lost);
		}
		fputs(sb_str(&sb), stdout);
		sb_free(&sb);
	}
	for (size_t i = 0; i < d.n; i++) {
		free(d.ch[i].case_id);
		free(d.ch[i].a.top);
		free(d.ch[i].b.top);
	}
	free(d.ch);
	kb_close(db);
	return ex;
}
