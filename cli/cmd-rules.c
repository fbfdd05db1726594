/* cmd-rules.c - pmkb rules list|check|test: show the rules in force, check
 * a rules file, replay every stored analysis against the rules
 * (docs/pmkb-rules.5). */
#include "cli.h"
#include "../matcher/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* the usage line, from the option table (cli/commands.c) */
static const char *usage(void)
{
	return cli_command_find("rules")->usage;
}

static int rules_list(const ruleset *rs, int json)
{
	sbuf sb = {0};
	if (json) {
		jw w;
		jw_init(&w, &sb);
		jw_obj(&w, NULL);
		jw_arr(&w, "rules");
		for (size_t i = 0; i < rs->n; i++) {
			const rule *r = &rs->rules[i];
			jw_obj(&w, NULL);
			jw_str(&w, "id", r->id);
			jw_str(&w, "title", r->title);
			jw_str(&w, "cause", r->cause);
			jw_num(&w, "threshold", "%.3f", r->threshold);
			jw_int(&w, "frame_top", r->frame_top);
			jw_arr(&w, "conditions");
			for (size_t k = 0; k < r->nconds; k++) {
				jw_obj(&w, NULL);
				jw_str(&w, "condition", r->conds[k].src);
				jw_num(&w, "weight", "%.3f", r->conds[k].weight);
				jw_bool(&w, "required", r->conds[k].required);
				jw_end(&w);
			}
			jw_end(&w);
			jw_obj(&w, "steps");
			jw_str(&w, "zh", r->steps_zh);
			jw_str(&w, "en", r->steps_en);
			jw_end(&w);
			jw_arr(&w, "cases");
			for (size_t k = 0; k < r->ncases; k++)
				jw_str(&w, NULL, r->cases[k]);
			jw_end(&w);
			jw_end(&w);
		}
		jw_end(&w);
		jw_end(&w);
		sb_addc(&sb, '\n');
	} else {
		for (size_t i = 0; i < rs->n; i++) {
			const rule *r = &rs->rules[i];
			sb_addf(&sb, "%s", r->id);
			if (strcmp(r->cause, r->id))
				sb_addf(&sb, " (cause %s)", r->cause);
			sb_addf(&sb, ": %s\n", r->title);
			for (size_t k = 0; k < r->nconds; k++)
				sb_addf(&sb, "    %s  [weight %g%s]\n", r->conds[k].src, r->conds[k].weight,
					r->conds[k].required ? ", required" : "");
			if (r->frame_top)
				sb_addf(&sb, "    frame.top = %d\n", r->frame_top);
			sb_addf(&sb, "    threshold %g; cases:", r->threshold);
			for (size_t k = 0; k < r->ncases; k++)
				sb_addf(&sb, " %s", r->cases[k]);
			sb_adds(&sb, "\n");
		}
	}
	fputs(sb_str(&sb), stdout);
	sb_free(&sb);
	return PMKB_EX_OK;
}

/* Cases a rule names that the knowledge base does not hold: warnings
 * (a rule may come from a case not imported here). */
static void check_refs(const cli_ctx *ctx, const char *path, const ruleset *rs)
{
	char *dir = cli_db_dir(ctx);
	kb_db *db = NULL;
	char err[256];
	if (!dir || kb_open(dir, KB_READ, &db, err, sizeof err) != KB_OK) {
		free(dir);
		return; /* no knowledge base here: nothing to check against */
	}
	free(dir);
	kb_stats stats;
	if (kb_get_stats(db, &stats) == KB_OK && stats.cases > 0) {
		for (size_t i = 0; i < rs->n; i++) {
			for (size_t k = 0; k < rs->rules[i].ncases; k++) {
				const char *id = rs->rules[i].cases[k];
				char *q = xasprintf("case:%s", id);
				kb_hits *h = NULL;
				int found = 0;
				if (kb_search(db, q, 0, 1, &h) == KB_OK) {
					for (size_t j = 0; j < h->n; j++)
						found |= h->hits[j].case_id && !strcmp(h->hits[j].case_id, id);
					kb_hits_free(h);
				}
				if (!found)
					pmkb_warning("%s:%d: rule '%s' names case '%s', which the knowledge base does not hold",
						     path, rs->rules[i].line, rs->rules[i].id, id);
				free(q);
			}
		}
	}
	kb_close(db);
}

static int rules_check(const cli_ctx *ctx, int n, char **files)
{
	int worst = PMKB_EX_OK;
	for (int i = 0; i < n; i++) {
		ruleset *rs = NULL;
		sbuf err = {0};
		pm_status st = PM_BAD_DATA;
		if (rules_load_file(files[i], &rs, &err, &st) < 0) {
			int ex = cli_exit_of(st);
			cli_rules_errors(sb_str(&err));
			if (ex > worst || worst == PMKB_EX_OK)
				worst = ex;
		} else {
			check_refs(ctx, files[i], rs);
			printf("%s: %zu rules, ok\n", files[i], rs->n);
			rules_free(rs);
		}
		sb_free(&err);
	}
	return worst;
}

/* ---- rules test: replay the stored analyses ---- */

typedef struct caught {
	char *case_id;
	int analysis;
} caught;

typedef struct test_ctx {
	const ruleset *rs;
	caught **by_rule;      /* per rule: analyses it fires on */
	size_t *n, *cap;
	caught *none;          /* analyses no rule fires on */
	size_t nnone, capnone;
	long analyses;
} test_ctx;

static int test_one(void *vctx, const char *case_id, int idx, const pm_signature *sig)
{
	test_ctx *t = vctx;
	t->analyses++;
	int any = 0;
	for (size_t i = 0; i < t->rs->n; i++) {
		rule_result res;
		rule_eval(&t->rs->rules[i], sig, &res);
		if (res.fired) {
			any = 1;
			XGROW(t->by_rule[i], t->cap[i], t->n[i] + 1);
			t->by_rule[i][t->n[i]++] = (caught){xstrdup(case_id), idx};
		}
		rule_result_clear(&res);
	}
	if (!any) {
		XGROW(t->none, t->capnone, t->nnone + 1);
		t->none[t->nnone++] = (caught){xstrdup(case_id), idx};
	}
	return 0;
}

static int caught_has_case(const caught *c, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(c[i].case_id, id))
			return 1;
	return 0;
}

/* "CAS-1 #0 #2, CAS-2 #1": analyses grouped by case (they come in case order). */
static void add_caught(sbuf *sb, const caught *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || strcmp(c[i].case_id, c[i - 1].case_id))
			sb_addf(sb, "%s%s #%d", i ? ", " : "", c[i].case_id, c[i].analysis + 1);
		else
			sb_addf(sb, " #%d", c[i].analysis + 1);
	}
}

/* The same as an array member of w: {"case":..,"analysis":N} each. */
static void caught_json(jw *w, const char *key, const caught *c, size_t n)
{
	jw_arr(w, key);
	for (size_t i = 0; i < n; i++) {
		jw_obj(w, NULL);
		jw_str(w, "case", c[i].case_id);
		jw_int(w, "analysis", c[i].analysis);
		jw_end(w);
	}
	jw_end(w);
}

static int rules_test(cli_ctx *ctx, const ruleset *rs, int json)
{
	kb_db *db = NULL;
	int ex = cli_open_db(ctx, KB_READ, &db);
	if (ex)
		return ex;
	test_ctx t = {.rs = rs};
	size_t nr = rs->n ? rs->n : 1;
	t.by_rule = xcalloc(nr, sizeof(caught *));
	t.n = xcalloc(nr, sizeof(size_t));
	t.cap = xcalloc(nr, sizeof(size_t));
	kb_status st = kb_foreach_signature(db, test_one, &t);
	if (st != KB_OK)
		ex = cli_kb_fail(db, st, "cannot replay the stored analyses");
	sbuf sb = {0};
	jw w;
	jw_init(&w, &sb);
	if (!ex && json) {
		jw_obj(&w, NULL);
		jw_int(&w, "analyses", t.analyses);
		jw_arr(&w, "rules");
	}
	for (size_t i = 0; !ex && i < rs->n; i++) {
		const rule *r = &rs->rules[i];
		if (json) {
			jw_obj(&w, NULL);
			jw_str(&w, "id", r->id);
			caught_json(&w, "caught", t.by_rule[i], t.n[i]);
			jw_arr(&w, "named_not_caught");
			for (size_t k = 0; k < r->ncases; k++)
				if (!caught_has_case(t.by_rule[i], t.n[i], r->cases[k]))
					jw_str(&w, NULL, r->cases[k]);
			jw_end(&w);
			jw_end(&w);
		} else {
			sb_addf(&sb, "%s: %zu analyses", r->id, t.n[i]);
			if (t.n[i]) {
				sb_adds(&sb, ": ");
				add_caught(&sb, t.by_rule[i], t.n[i]);
			}
			sb_addc(&sb, '\n');
			for (size_t k = 0; k < r->ncases; k++)
				if (!caught_has_case(t.by_rule[i], t.n[i], r->cases[k]))
					sb_addf(&sb, "    names %s, but catches none of its analyses\n", r->cases[k]);
		}
	}
	if (!ex) {
		if (json) {
			jw_end(&w);
			caught_json(&w, "no_rule", t.none, t.nnone);
			jw_end(&w);
			sb_addc(&sb, '\n');
		} else {
			sb_addf(&sb, "no rule: %zu of %ld analyses", t.nnone, t.analyses);
			if (t.nnone) {
				sb_adds(&sb, ": ");
				add_caught(&sb, t.none, t.nnone);
			}
			sb_addc(&sb, '\n');
		}
		fputs(sb_str(&sb), stdout);
	}
	sb_free(&sb);
	for (size_t i = 0; i < rs->n; i++) {
		for (size_t k = 0; k < t.n[i]; k++)
			free(t.by_rule[i][k].case_id);
		free(t.by_rule[i]);
	}
	for (size_t k = 0; k < t.nnone; k++)
		free(t.none[k].case_id);
	free(t.none);
	free(t.by_rule);
	free(t.n);
	free(t.cap);
	kb_close(db);
	return ex;
}

/* rules diff OLD NEW: both files, refused as a whole when malformed; with
 * labels, pmkb eval's figures under each (cmd-eval.c, run as it is). */
static int rules_diff(cli_ctx *ctx, int n, char **files, int json, const char *labels,
		      const char *data)
{
	if (n != 2)
		return cli_usage(usage(), "rules diff wants two rules files, OLD and NEW");
	ruleset *a = NULL, *b = NULL;
	int ex = cli_rules_in_force(ctx, files[0], &a);
	if (!ex)
		ex = cli_rules_in_force(ctx, files[1], &b);
	if (!ex)
		ex = cli_rules_diff(ctx, a, b, json);
	rules_free(a);
	rules_free(b);
	for (int k = 0; !ex && labels && k < 2; k++) {
		char *args[] = {"eval", "--rules", files[k], "--data", (char *)data, (char *)labels, NULL};
		if (!data) {
			args[3] = (char *)labels;
			args[4] = NULL;
		}
		printf("\neval with %s (%s):\n", k ? "NEW" : "OLD", files[k]);
		fflush(stdout);
		optind = 0; /* getopt again, for cmd_eval */
		ex = cmd_eval(ctx, data ? 6 : 4, args);
	}
	return ex;
}

int cmd_rules(cli_ctx *ctx, int argc, char **argv)
{
	const cli_command *cmd = cli_command_find("rules");
	int json = 0, syntax = 0, c;
	const char *rules_path = NULL, *labels = NULL, *data = NULL;
	while ((c = cli_getopt(cmd, argc, argv)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 's':
			syntax = 1;
			break;
		case 'e':
			labels = optarg;
			break;
		case 'D':
			data = optarg;
			break;
		case 'r':
			rules_path = optarg;
			break;
		default:
			return cli_getopt_exit;
		}
	}
	if (optind >= argc)
		return cli_usage(usage(), "rules wants list, check or test");
	const char *sub = argv[optind++];
	if (!strcmp(sub, "check")) {
		if (optind >= argc)
			return cli_usage(usage(), "rules check wants a FILE");
		return rules_check(ctx, argc - optind, argv + optind);
	}
	if ((labels || data) && (strcmp(sub, "diff") || json || !labels))
		return cli_usage(usage(), "--eval LABELS (and --data DIR) are for rules diff, without --json");
	if (!strcmp(sub, "diff"))
		return rules_diff(ctx, argc - optind, argv + optind, json, labels, data);
	if (strcmp(sub, "list") && strcmp(sub, "test"))
		return cli_usage(usage(), "'%s' is not list, check, test or diff", sub);
	if (syntax && (json || strcmp(sub, "list")))
		return cli_usage(usage(), "--syntax is for rules list, without --json");
	if (syntax) {
		sbuf sb = {0};
		int ex = cli_rules_text(ctx, rules_path, &sb);
		if (!ex)
			fputs(sb_str(&sb), stdout);
		sb_free(&sb);
		return ex;
	}
	if (optind != argc)
		return cli_usage(usage(), "unexpected argument '%s'", argv[optind]);
	ruleset *rs = NULL;
	int ex = cli_rules_in_force(ctx, rules_path, &rs);
	if (ex)
		return ex;
	ex = !strcmp(sub, "list") ? rules_list(rs, json) : rules_test(ctx, rs, json);
	/* test --rules NEW: what would change against the rules in force */
	if (!ex && !json && rules_path && !strcmp(sub, "test")) {
		ruleset *cur = NULL;
		ex = cli_rules_in_force(ctx, NULL, &cur);
		if (!ex) {
			printf("\nagainst the rules in force:\n");
			fflush(stdout);
			ex = cli_rules_diff(ctx, cur, rs, 0);
		}
		rules_free(cur);
	}
	rules_free(rs);
	return ex;
}
