/* cmd-eval.c - pmkb eval: leave-one-out ranking quality and "new" verdict
 * calibration over a labelled set of dump analyses (docs/pmkb-eval.1).
 * Each labelled analysis becomes one case of a temporary knowledge base;
 * each is then matched against all the others. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "cli.h"
#include "../import/readers.h"
#include "../matcher/match.h"

#include <ftw.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* defined in cmd-match.c */
int cli_load_rules(const char *path, ruleset **out);

static const char usage[] =
	"pmkb eval [--json] [-v] [--data DIR] [--rules FILE] [--exclude-case] [--param NAME=V,...] LABELS.tsv";

#define MAX_ROWS 100000
#define MAX_FILE (16u << 20)

typedef struct row {
	int line;
	char *file;      /* resolved path */
	int email;       /* 1-based mail block, 0 or -1: the whole file */
	char *case_id;   /* thread case number, or NULL */
	char *dump;
	char *cluster;
	char *id;        /* id of its case in the temporary knowledge base */
	pm_case *c;      /* what is stored: one message, the row's analysis if any */
	char *text;      /* the text the analysis was read from */
	int prose;       /* no analysis found: matched on its text */
	/* results */
	int mates;       /* other rows of the same cluster (left after exclusion) */
	int ruled;       /* a rule in force has this cluster as its cause */
	int rank;        /* rank of the first same-cluster case, 0: not ranked */
	char *top_id;
	verdict v;
	double confidence;
} row;

static void split_tabs(char *line, char **f, int max, int *n)
{
	*n = 0;
	char *p = line;
	while (*n < max) {
		f[(*n)++] = p;
		char *t = strchr(p, '\t');
		if (!t)
			break;
		*t = 0;
		p = t + 1;
	}
}

static int col(char **hdr, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(str_trim(hdr[i]), name))
			return i;
	return -1;
}

static char *dash_null(const char *s)
{
	return (!s || !*s || !strcmp(s, "-")) ? NULL : xstrdup(s);
}

/* Read the labels: the seed-dumps format (seed, email, case, dump,
 * cluster, ...) or the WinDbg corpus format (file, bugcheck, key_module,
 * cluster). Columns are found by their header names. */
static int read_labels(const char *path, const char *data_dir, row **out, size_t *nout)
{
	char *buf = NULL, err[256];
	size_t len = 0;
	int ex;
	if (read_file_bounded(path, MAX_FILE, &buf, &len, err, sizeof err, &ex) < 0) {
		pmkb_error("cannot read '%s': %s", path, err);
		return ex;
	}
	if (!utf8_valid(buf, len) || memchr(buf, 0, len)) {
		pmkb_error("cannot read '%s': not UTF-8 text", path);
		free(buf);
		return PMKB_EX_DATAERR;
	}
	char *dir = NULL;
	if (data_dir) {
		dir = xstrdup(data_dir);
	} else {
		const char *slash = strrchr(path, '/');
		dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
	}
	row *rows = NULL;
	size_t n = 0, cap = 0;
	int cfile = -1, cemail = -1, ccase = -1, cdump = -1, ccluster = -1, ncols = 0, lineno = 0;
	int rc = PMKB_EX_OK;
	for (char *line = buf, *next; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		lineno++;
		size_t l = strlen(line);
		if (l && line[l - 1] == '\r')
			line[--l] = 0;
		if (!*line || line[0] == '#')
			continue;
		char *f[64];
		int nf;
		split_tabs(line, f, 64, &nf);
		if (ccluster < 0) {
			cfile = col(f, nf, "seed");
			if (cfile < 0)
				cfile = col(f, nf, "file");
			cemail = col(f, nf, "email");
			ccase = col(f, nf, "case");
			cdump = col(f, nf, "dump");
			ccluster = col(f, nf, "cluster");
			ncols = nf;
			if (cfile < 0 || ccluster < 0) {
				pmkb_error("cannot read '%s': the header names no 'seed' or 'file' column and 'cluster' column", path);
				rc = PMKB_EX_DATAERR;
				break;
			}
			continue;
		}
		if (nf < ncols || !*f[cfile] || !*f[ccluster]) {
			pmkb_error("cannot read '%s': line %d has %d fields, the header %d", path, lineno, nf, ncols);
			rc = PMKB_EX_DATAERR;
			break;
		}
		if (n >= MAX_ROWS) {
			pmkb_error("cannot read '%s': more than %d labelled analyses", path, MAX_ROWS);
			rc = PMKB_EX_DATAERR;
			break;
		}
		if (strstr(f[cfile], "..") || f[cfile][0] == '/') {
			pmkb_error("cannot read '%s': line %d: file '%s' must be a relative path inside the data directory",
				   path, lineno, f[cfile]);
			rc = PMKB_EX_DATAERR;
			break;
		}
		XGROW(rows, cap, n + 1);
		row *r = &rows[n++];
		memset(r, 0, sizeof *r);
		r->line = lineno;
		r->file = xasprintf("%s/%s", dir, str_trim(f[cfile]));
		r->email = cemail >= 0 ? atoi(f[cemail]) : -1;
		r->case_id = ccase >= 0 ? dash_null(str_trim(f[ccase])) : NULL;
		r->dump = cdump >= 0 ? dash_null(str_trim(f[cdump])) : NULL;
		r->cluster = xstrdup(str_trim(f[ccluster]));
	}
	if (rc == PMKB_EX_OK && n == 0) {
		pmkb_error("cannot read '%s': no labelled analysis in it", path);
		rc = PMKB_EX_DATAERR;
	}
	free(buf);
	free(dir);
	*out = rows;
	*nout = n;
	return rc;
}

/* The text of mail block n ("====第n封邮件====" up to the next one), or the
 * whole text when n < 1 or the text has no such blocks. Caller frees. */
static char *mail_block(const char *text, int n)
{
	if (n < 1)
		return xstrdup(text);
	char *mark = xasprintf("====第%d封邮件====", n);
	const char *s = strstr(text, mark);
	free(mark);
	if (!s)
		return xstrdup(text);
	const char *e = strstr(s + 1, "====第");
	return e ? xstrndup(s, (size_t)(e - s)) : xstrdup(s);
}

/* Fill r->c: the analysis of row k among the rows reading the same block
 * (in order, or by dump name), or none (prose only). */
static int load_row(row *rows, size_t i)
{
	row *r = &rows[i];
	char *buf = NULL, err[256];
	size_t len = 0;
	int ex;
	if (read_file_bounded(r->file, MAX_FILE, &buf, &len, err, sizeof err, &ex) < 0) {
		pmkb_error("cannot read '%s': %s", r->file, err);
		return ex;
	}
	if (!utf8_valid(buf, len)) {
		pmkb_error("cannot read '%s': not UTF-8 text", r->file);
		free(buf);
		return PMKB_EX_DATAERR;
	}
	r->text = mail_block(buf, r->email);
	free(buf);
	pm_case *tmp = pm_case_new();
	windbg_extract(r->text, strlen(r->text), -1, tmp);
	/* which of the block's analyses is this row's */
	size_t k = 0;
	for (size_t j = 0; j < i; j++)
		if (!strcmp(rows[j].file, r->file) && rows[j].email == r->email)
			k++;
	long pick = -1;
	for (size_t a = 0; r->dump && a < tmp->nanalyses; a++)
		if (tmp->analyses[a].dump_name && !strcmp(tmp->analyses[a].dump_name, r->dump))
			pick = (long)a;
	if (pick < 0 && k < tmp->nanalyses)
		pick = (long)k;

	pm_case *c = pm_case_new();
	char *stem = path_stem(r->file);
	r->id = xasprintf("%s#%d", r->case_id ? r->case_id : stem, r->line);
	free(stem);
	c->id = xstrdup(r->id);
	c->title = xstrdup(r->case_id ? r->case_id : r->id);
	c->format = xstrdup("text");
	pm_message *m = pm_case_add_message(c);
	m->body = xstrdup(r->text);
	thread_extract_notes(c, 0, r->text);
	if (pick >= 0) {
		pm_case_take_analysis(c, &tmp->analyses[pick]);
		c->analyses[0].message = 0;
	} else {
		r->prose = 1;
	}
	pm_case_free(tmp);
	r->c = c;
	return PMKB_EX_OK;
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(p);
	return 0;
}

static double auc(const row *rows, size_t n)
{
	double pairs = 0, wins = 0;
	for (size_t i = 0; i < n; i++) {
		if (rows[i].mates <= 0 && !rows[i].ruled)
			continue;
		for (size_t j = 0; j < n; j++) {
			if (rows[j].mates > 0 || rows[j].ruled)
				continue;
			pairs++;
			if (rows[i].confidence > rows[j].confidence + 1e-12)
				wins += 1;
			else if (rows[i].confidence > rows[j].confidence - 1e-12)
				wins += 0.5;
		}
	}
	return pairs ? wins / pairs : -1;
}

int cmd_eval(cli_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"data", required_argument, NULL, 'd'},
		{"rules", required_argument, NULL, 'r'},
		{"exclude-case", no_argument, NULL, 'x'},
		{"verbose", no_argument, NULL, 'v'},
		{"param", required_argument, NULL, 'p'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int json = 0, verbose = 0, excl_case = 0, c;
	const char *data = NULL, *rules_path = NULL;
	score_params params = score_defaults;
	char perr[256];
	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'd': data = optarg; break;
		case 'r': rules_path = optarg; break;
		case 'x': excl_case = 1; break;
		case 'v': verbose = 1; break;
		case 'p':
			if (score_params_parse(optarg, &params, perr, sizeof perr) < 0)
				return cli_usage(usage, "--param: %s", perr);
			break;
		case 'h':
			printf("usage: %s\n", usage);
			return PMKB_EX_OK;
		default:
			return cli_usage(usage, "unknown option");
		}
	}
	if (optind != argc - 1)
		return cli_usage(usage, "eval wants one LABELS.tsv");
	ruleset *rs = NULL;
	int ex = cli_rules_in_force(ctx, rules_path, &rs);
	if (ex)
		return ex;
	row *rows = NULL;
	size_t n = 0;
	ex = read_labels(argv[optind], data, &rows, &n);
	for (size_t i = 0; !ex && i < n; i++)
		ex = load_row(rows, i);

	/* the temporary knowledge base: one case per labelled analysis */
	char tmpl[4096];
	const char *tmpdir = getenv("TMPDIR");
	snprintf(tmpl, sizeof tmpl, "%s/pmkb-eval.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	char *dir = NULL;
	kb_db *db = NULL;
	if (!ex) {
		dir = mkdtemp(tmpl);
		if (!dir) {
			pmkb_error("cannot create a temporary knowledge base in '%s'", tmpdir ? tmpdir : "/tmp");
			ex = PMKB_EX_SOFTWARE;
		}
	}
	if (!ex) {
		char err[512] = "";
		kb_status st = kb_open(dir, KB_WRITE, &db, err, sizeof err);
		if (st != KB_OK) {
			pmkb_error("cannot create a temporary knowledge base: %s", err);
			ex = kb_status_exit(st);
		}
	}
	if (!ex) {
		kb_begin_batch(db);
		for (size_t i = 0; !ex && i < n; i++) {
			kb_status st = kb_put_case(db, rows[i].c, NULL);
			if (st != KB_OK)
				ex = cli_kb_fail(db, st, "cannot store a labelled analysis");
		}
		kb_status st = ex ? KB_OK : kb_commit(db);
		if (st != KB_OK)
			ex = cli_kb_fail(db, st, "cannot store the labelled analyses");
	}

	/* leave one out: each analysis against all the others */
	for (size_t i = 0; !ex && i < n; i++) {
		row *r = &rows[i];
		for (size_t j = 0; j < n; j++)
			if (j != i && !strcmp(rows[j].cluster, r->cluster) &&
			    !(excl_case && r->case_id && rows[j].case_id && !strcmp(r->case_id, rows[j].case_id)))
				r->mates++;
		for (size_t k = 0; k < rs->n; k++)
			r->ruled |= !strcmp(rs->rules[k].cause, r->cluster);
		pm_signature sig;
		memset(&sig, 0, sizeof sig);
		if (!r->prose)
			sig_build(&r->c->analyses[0], &sig, NULL);
		match_opts o = {.rules = rs, .limit = n, .candidates = n < 1000 ? n : 1000,
				.exclude_case = r->id, .use_text = r->prose, .keep_all = 1,
				.params = &params};
		match_result res;
		kb_status st = match_signature(db, &sig, r->text, &o, &res);
		sig_clear(&sig);
		if (st != KB_OK) {
			ex = cli_kb_fail(db, st, "cannot match a labelled analysis");
			break;
		}
		int rank = 0;
		for (size_t k = 0; k < res.n; k++) {
			row *other = NULL;
			for (size_t j = 0; j < n && !other; j++)
				if (!strcmp(rows[j].id, res.items[k].case_id))
					other = &rows[j];
			if (!other || (excl_case && r->case_id && other->case_id && !strcmp(r->case_id, other->case_id)))
				continue;
			rank++;
			if (rank == 1)
				r->top_id = xstrdup(other->id);
			if (!strcmp(other->cluster, r->cluster)) {
				r->rank = rank;
				break;
			}
		}
		r->v = res.v;
		r->confidence = res.confidence;
		match_result_clear(&res);
	}

	if (!ex) {
		size_t nm = 0, top1 = 0, ns = 0, snew = 0, nprose = 0, nr = 0, rknown = 0;
		double rr = 0;
		for (size_t i = 0; i < n; i++) {
			nprose += rows[i].prose;
			if (rows[i].mates > 0) {
				nm++;
				top1 += rows[i].rank == 1;
				rr += rows[i].rank ? 1.0 / rows[i].rank : 0;
			} else if (rows[i].ruled) {
				nr++;
				rknown += rows[i].v == VERDICT_KNOWN;
			} else {
				ns++;
				snew += rows[i].v == VERDICT_NEW;
			}
		}
		double a = auc(rows, n);
		sbuf sb = {0};
		if (json) {
			sb_addf(&sb, "{\"analyses\":%zu,\"prose_only\":%zu,\"with_mate\":%zu,\"unseen\":%zu,\"ruled_singletons\":%zu,\"ruled_known\":%zu,", n, nprose, nm, ns, nr, rknown);
			sb_addf(&sb, "\"rr1\":%.3f,\"mrr\":%.3f,\"unseen_new\":%zu,\"new_rate\":%.3f,\"auc\":",
				nm ? (double)top1 / (double)nm : 0, nm ? rr / (double)nm : 0, snew, ns ? (double)snew / (double)ns : 0);
			if (a >= 0)
				sb_addf(&sb, "%.3f", a);
			else
				sb_adds(&sb, "null");
			sb_addf(&sb, ",\"rules\":%zu,\"exclude_case\":%s,\"rows\":[", rs->n, excl_case ? "true" : "false");
			for (size_t i = 0; i < n; i++) {
				row *r = &rows[i];
				sb_addf(&sb, "%s{\"line\":%d,\"id\":", i ? "," : "", r->line);
				json_str(&sb, r->id);
				sb_adds(&sb, ",\"cluster\":");
				json_str(&sb, r->cluster);
				sb_addf(&sb, ",\"prose\":%s,\"mates\":%d,\"rank\":", r->prose ? "true" : "false", r->mates);
				if (r->rank)
					sb_addf(&sb, "%d", r->rank);
				else
					sb_adds(&sb, "null");
				sb_adds(&sb, ",\"top\":");
				json_str(&sb, r->top_id);
				sb_adds(&sb, ",\"verdict\":");
				json_str(&sb, verdict_name(r->v));
				sb_addf(&sb, ",\"confidence\":%.3f}", r->confidence);
			}
			sb_adds(&sb, "]}\n");
		} else {
			if (verbose) {
				for (size_t i = 0; i < n; i++) {
					row *r = &rows[i];
					sb_addf(&sb, "%-28s %-40s %s", r->id, r->cluster, r->prose ? "prose " : "");
					if (r->mates > 0 && r->rank)
						sb_addf(&sb, "rank %d", r->rank);
					else if (r->mates > 0)
						sb_adds(&sb, "not ranked");
					else if (r->ruled)
						sb_adds(&sb, "singleton, ruled");
					else
						sb_adds(&sb, "singleton");
					sb_addf(&sb, "  top %s  %s %.2f\n", r->top_id ? r->top_id : "-", verdict_name(r->v),
						r->confidence);
				}
			}
			sb_addf(&sb, "labelled analyses: %zu (%zu prose only), rules: %zu%s\n", n, nprose, rs->n,
				excl_case ? ", other analyses of the same case left out" : "");
			if (nm)
				sb_addf(&sb, "ranking, %zu with a cluster-mate: RR@1 %.3f  MRR %.3f\n", nm,
					(double)top1 / (double)nm, rr / (double)nm);
			else
				sb_adds(&sb, "ranking: no analysis has a cluster-mate\n");
			if (nr)
				sb_addf(&sb, "singletons whose cause a rule names: %zu, verdict known for %zu\n", nr, rknown);
			if (ns)
				sb_addf(&sb, "unseen (no cluster-mate, no rule): %zu, verdict new for %zu (%.3f)\n", ns, snew,
					(double)snew / (double)ns);
			if (a >= 0)
				sb_addf(&sb, "AUC known vs new (confidence): %.3f\n", a);
		}
		fputs(sb_str(&sb), stdout);
		sb_free(&sb);
	}

	if (db)
		kb_close(db);
	if (dir)
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	for (size_t i = 0; i < n; i++) {
		free(rows[i].file);
		free(rows[i].case_id);
		free(rows[i].dump);
		free(rows[i].cluster);
		free(rows[i].id);
		free(rows[i].text);
		free(rows[i].top_id);
		pm_case_free(rows[i].c);
	}
	free(rows);
	rules_free(rs);
	return ex;
}
