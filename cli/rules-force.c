/* rules-force.c - the rules in force for match, eval, rules, clusters,
 * suggest, watch and serve: --rules FILE alone, else the shipped rules
 * with the user's files added (DIR/rules.conf, then $PMKB_RULES); see
 * cli.h and pmkb-rules(5). */
#include "cli.h"
#include "../matcher/rules.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Print a rules error report (one "FILE:LINE: reason" per line). */
void cli_rules_errors(const char *report)
{
	const char *p = report;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (n)
			fprintf(stderr, "pmkb: %.*s\n", (int)n, p);
		p = nl ? nl + 1 : p + n;
	}
}

/* The rules in force: the shipped ones, or those of path (all or
 * nothing). Returns 0, or the exit code after reporting. */
int cli_load_rules(const char *path, ruleset **out)
{
	if (!path) {
		*out = rules_builtin();
		return 0;
	}
	sbuf err = {0};
	pm_status st = PM_BAD_DATA;
	if (rules_load_file(path, out, &err, &st) < 0) {
		int ex = cli_exit_of(st);
		cli_rules_errors(sb_str(&err));
		if (ex == PMKB_EX_DATAERR)
			pmkb_hint("the rules file was refused as a whole; check it with 'pmkb rules check %s'", path);
		sb_free(&err);
		return ex;
	}
	sb_free(&err);
	return 0;
}

/* The user's rules files in force, in order (caller frees each and the
 * array): DIR/rules.conf when it exists, $PMKB_RULES when set. */
static char **user_files(const cli_ctx *ctx, size_t *n)
{
	char **f = xcalloc(3, sizeof *f);
	*n = 0;
	char *dir = cli_db_dir(ctx);
	char *local = xasprintf("%s/rules.conf", dir);
	free(dir);
	struct stat st;
	if (stat(local, &st) == 0)
		f[(*n)++] = local;
	else
		free(local);
	const char *e = getenv("PMKB_RULES");
	if (e && *e)
		f[(*n)++] = xstrdup(e);
	return f;
}

/* Move the rules of add into base: a rule of an id base holds replaces it,
 * the others are appended. add is freed. */
static void add_rules(ruleset *base, ruleset *add)
{
	for (size_t i = 0; i < add->n; i++) {
		size_t k = 0;
		while (k < base->n && strcmp(base->rules[k].id, add->rules[i].id))
			k++;
		if (k < base->n) {
			/* the replaced rule goes (rules_free of a set of it alone) */
			ruleset *old = xcalloc(1, sizeof *old);
			old->rules = xcalloc(1, sizeof *old->rules);
			old->rules[0] = base->rules[k];
			old->n = old->cap = 1;
			rules_free(old);
		} else {
			XGROW(base->rules, base->cap, base->n + 1);
			k = base->n++;
		}
		base->rules[k] = add->rules[i];
		memset(&add->rules[i], 0, sizeof add->rules[i]);
	}
	add->n = 0;
	rules_free(add);
}

int cli_rules_in_force(const cli_ctx *ctx, const char *path, ruleset **out)
{
	if (path)
		return cli_load_rules(path, out);
	ruleset *rs = rules_builtin();
	size_t n = 0;
	char **files = user_files(ctx, &n);
	int ex = 0;
	for (size_t i = 0; i < n; i++) {
		ruleset *add = NULL;
		if (!ex && (ex = cli_load_rules(files[i], &add)) == 0)
			add_rules(rs, add);
		free(files[i]);
	}
	free(files);
	if (ex) {
		rules_free(rs);
		*out = NULL;
		return ex;
	}
	*out = rs;
	return 0;
}

int cli_rules_text(const cli_ctx *ctx, const char *path, sbuf *out)
{
	size_t n = 0;
	char **files = NULL;
	if (path) {
		files = xcalloc(2, sizeof *files);
		files[n++] = xstrdup(path);
	} else {
		size_t len;
		const char *t = rules_builtin_text(&len);
		sb_adds(out, "# --- the shipped rules (compiled in; data/rules.conf in the source)\n");
		sb_add(out, t, len);
		files = user_files(ctx, &n);
	}
	int ex = 0;
	for (size_t i = 0; i < n; i++) {
		char *buf = NULL, err[256];
		size_t len = 0;
		pm_status fst = PM_NO_INPUT;
		if (!ex && read_file_bounded(files[i], 16u << 20, &buf, &len, err, sizeof err, &fst) < 0) {
			pmkb_error("cannot read '%s': %s", files[i], err);
			ex = cli_exit_of(fst);
		} else if (!ex) {
			if (!path)
				sb_addf(out, "\n# --- %s (added to the rules above)\n", files[i]);
			sb_add(out, buf, len);
		}
		free(buf);
		free(files[i]);
	}
	free(files);
	return ex;
}
