/* cmd-eval.c - pmkb eval: field accuracy of the reader, leave-one-out
 * ranking quality and "new" verdict calibration over a labelled set of dump
 * analyses (docs/pmkb-eval.1). Each labelled analysis becomes one case of a
 * temporary knowledge base; each is then matched against all the others. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "cli.h"
#include "../import/mail-quote.h"
#include "../import/readers.h"
#include "../matcher/match.h"
#include "../sig/signature.h"

#include <ctype.h>
#include <ftw.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>


#define MAX_ROWS 100000
#define MAX_FILE (16u << 20)

/* the fields whose reading is measured: the label column of each */
enum { F_BUGCHECK, F_ARGS, F_CULPRIT, F_BUCKET, F_PROCESS, F_EXCEPTION, NFIELDS };
static const char *const field_names[NFIELDS] = {
	"bugcheck", "args", "culprit", "bucket", "process", "exception_code",
};

typedef struct row {
	int line;
	char *file;      /* resolved path */
	int email;       /* 1-based mail block, 0 or -1: the whole file */
	char *case_id;   /* thread case number, or NULL */
	char *dump;
	char *cluster;
	char *label[NFIELDS]; /* what the text says, NULL: "-" or no column */
	char *got[NFIELDS];   /* what pmkb read, NULL: nothing */
	int ok[NFIELDS];      /* 1 the reading equals the label, 0 not (labelled fields only) */
	char *id;        /* what reports call it: FILE-STEM#LINE or CASE#LINE */
	char *kid;       /* its case in the temporary knowledge base: "eval-N",
			  * with no title, so that no file or case name (often a
			  * product's) is text a match could find */
	pm_case *c;      /* what is stored: one message, the row's analysis if any */
	char *text;      /* the text the analysis was read from */
	int prose;       /* no analysis found: matched on its text */
	size_t block_analyses; /* analyses in the text */
	/* results */
	int mates;       /* other rows of the same cluster (left after exclusion) */
	int ruled;       /* a rule in force has this cluster as its cause */
	int rank;        /* rank of the first same-cluster case, 0: not ranked */
	char *top_id;
	verdict v;
	double confidence;
	double similarity; /* the score the verdict read (match_result.verdict_score) */
	double features[CF_N]; /* what the confidence read (match_result.features) */
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

/* Read the labels of one file and append them to *out: the seed-dumps
 * format (seed, email, case, dump, cluster, ...), the WinDbg corpus format
 * (file, bugcheck, key_module, cluster) or the public corpus format (file,
 * bugcheck, args, culprit, bucket, process, exception_code, cluster, shape).
 * Columns are found by their header names. */
static int read_labels(const char *path, const char *data_dir, row **out, size_t *nout, size_t *capp)
{
	char *buf = NULL, err[256];
	size_t len = 0;
	pm_status st;
	if (read_file_bounded(path, MAX_FILE, &buf, &len, err, sizeof err, &st) < 0) {
		pmkb_error("cannot read '%s': %s", path, err);
		return cli_exit_of(st);
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
	row *rows = *out;
	size_t n = *nout, cap = *capp, first = *nout;
	int cfile = -1, cemail = -1, ccase = -1, cdump = -1, ccluster = -1, ncols = 0, lineno = 0;
	int cfield[NFIELDS];
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
			for (int k = 0; k < NFIELDS; k++)
				cfield[k] = col(f, nf, field_names[k]);
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
		for (int k = 0; k < NFIELDS; k++)
			r->label[k] = cfield[k] >= 0 ? dash_null(str_trim(f[cfield[k]])) : NULL;
	}
	if (rc == PMKB_EX_OK && n == first) {
		pmkb_error("cannot read '%s': no labelled analysis in it", path);
		rc = PMKB_EX_DATAERR;
	}
	free(buf);
	free(dir);
	*out = rows;
	*nout = n;
	*capp = cap;
	return rc;
}

/* The text of mail block n ("====第n封邮件====" up to the next one), or the
 * whole text when n < 1 or the text has no such blocks. Caller frees. */
static char *mail_block(const char *text, int n)
{
	if (n < 1)
		return xstrdup(text);
	const char *s = NULL, *e = NULL;
	for (const char *l = text; *l && !e;) {
		const char *le = strchr(l, '\n');
		if (!le)
			le = l + strlen(l);
		long k = mq_block_marker(l, le); /* mail-quote.c */
		if (k && s)
			e = l;
		else if (k == n && !s)
			s = l;
		l = *le ? le + 1 : le;
	}
	if (!s)
		return xstrdup(text);
	return e ? xstrndup(s, (size_t)(e - s)) : xstrdup(s);
}

/* Fill r->c: the analysis of row k among the rows reading the same block
 * (in order, or by dump name), or none (prose only). */
static int load_row(row *rows, size_t i)
{
	row *r = &rows[i];
	/* text in any encoding the input reader knows (import/input.h) */
	input_opts o = {.max_text = MAX_FILE, .dumps = INPUT_DUMPS_NEVER};
	input in;
	input_status st = input_read(r->file, &o, &in);
	if (st != INPUT_OK) {
		pmkb_error("cannot read '%s': %s", r->file, in.err);
		input_clear(&in);
		return cli_input_exit(st);
	}
	r->text = mail_block(in.text, r->email);
	input_clear(&in);
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
	/* rows of several label files: the same name and line twice */
	for (size_t j = 0; j < i; j++)
		if (!strcmp(rows[j].id, r->id)) {
			char *u = xasprintf("%s.%zu", r->id, i + 1);
			free(r->id);
			r->id = u;
			break;
		}
	r->kid = xasprintf("eval-%zu", i + 1);
	c->id = xstrdup(r->kid);
	c->format = xstrdup("text");
	pm_message *m = pm_case_add_message(c);
	m->body = xstrdup(r->text);
	thread_extract_notes(c, 0, r->text);
	if (pick >= 0) {
		r->block_analyses = tmp->nanalyses;
		pm_case_take_analysis(c, &tmp->analyses[pick]);
		c->analyses[0].message = 0;
	} else {
		r->prose = 1;
	}
	pm_case_free(tmp);
	r->c = c;
	return PMKB_EX_OK;
}

/* The value of a hex number as labels and readings print it ("0x1E",
 * "ffffffff`c0000005", "1e"); -1 when it is not one. */
static int parse_hex(const char *s, uint64_t *v)
{
	if (!s)
		return -1;
	while (isspace((unsigned char)*s))
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	uint64_t x = 0;
	int digits = 0, sig = 0;
	for (; *s && !isspace((unsigned char)*s); s++) {
		if (*s == '`')
			continue;
		if (!isxdigit((unsigned char)*s))
			return -1;
		int d = isdigit((unsigned char)*s) ? *s - '0' : (tolower((unsigned char)*s) - 'a' + 10);
		if (sig || d)
			sig++;
		if (sig > 16)
			return -1;
		x = x << 4 | (uint64_t)d;
		digits++;
	}
	while (isspace((unsigned char)*s))
		s++;
	if (!digits || *s)
		return -1;
	*v = x;
	return 0;
}

/* Two printings of one 32-bit value agree whether or not one of them is
 * sign-extended (x86 dumps, BUGCHECK_P fields, "ffffffffc0000005"). */
static int same_value(uint64_t a, uint64_t b)
{
	if (a == b)
		return 1;
	uint32_t ha = (uint32_t)(a >> 32), hb = (uint32_t)(b >> 32);
	return (uint32_t)a == (uint32_t)b && (ha == 0 || ha == 0xffffffffu) && (hb == 0 || hb == 0xffffffffu);
}

static int same_hex(const char *label, const char *got)
{
	uint64_t a, b;
	return parse_hex(label, &a) == 0 && parse_hex(got, &b) == 0 && same_value(a, b);
}

/* 0x1000007e is 0x7e with the exception record (the "_M" forms): pmkb
 * folds it, so the label is folded too. */
static uint64_t fold_bugcheck(uint64_t v)
{
	return (v >> 28) == 1 && (v & 0x0ffff000u) == 0 ? (v & 0xfffu) : v;
}

/* A module name for comparison: canonical (no path, no extension, the
 * kernel's aliases) with every character that is not a letter or a digit
 * made '_', as WinDbg does for module names ("winfsp-x64.sys" and
 * "winfsp_x64" are one module). Caller frees. */
static char *module_key(const char *name)
{
	char *c = pm_canon_module(name);
	for (char *p = c; p && *p; p++)
		if (!isalnum((unsigned char)*p))
			*p = '_';
	return c;
}

/* The culprit the signature names (the module a person or !analyze would
 * blame, chosen by sig/culprit.c), or NULL. */
static const char *sig_culprit(const pm_signature *s)
{
	return s->culprit;
}

/* What pmkb read of each labelled field of row r (a: its analysis and s
 * the signature built from it, or NULL when no analysis was found), and
 * whether it equals the label. */
static void eval_fields(row *r, const pm_analysis *a, const pm_signature *s)
{
	if (s) {
		r->got[F_BUGCHECK] = xstrdup(s->bugcheck);
		if (s->args[0] || s->args[1] || s->args[2] || s->args[3]) {
			sbuf sb = {0};
			for (int i = 0; i < 4; i++) {
				const char *v = s->args[i] ? s->args[i] : "-";
				if (v[0] == '0' && v[1] == 'x')
					v += 2;
				sb_addf(&sb, "%s%s", i ? "," : "", v);
			}
			r->got[F_ARGS] = xstrdup(sb_str(&sb));
			sb_free(&sb);
		}
		r->got[F_CULPRIT] = xstrdup(sig_culprit(s));
		r->got[F_BUCKET] = xstrdup(s->failure_bucket);
		r->got[F_PROCESS] = xstrdup(s->process);
	}
	if (a)
		r->got[F_EXCEPTION] = xstrdup(a->exception_code);
	for (int k = 0; k < NFIELDS; k++) {
		const char *want = r->label[k], *got = r->got[k];
		r->ok[k] = 0;
		if (!want || !got)
			continue;
		switch (k) {
		case F_BUGCHECK: {
			uint64_t x, y;
			r->ok[k] = parse_hex(want, &x) == 0 && parse_hex(got, &y) == 0 &&
				   same_value(fold_bugcheck(x), fold_bugcheck(y));
			break;
		}
		case F_ARGS: {
			/* all four, in order */
			char *w = xstrdup(want), *save = NULL;
			int i = 0, all = 1;
			for (char *t = strtok_r(w, ",", &save); t; t = strtok_r(NULL, ",", &save), i++)
				if (i >= 4 || !s->args[i] || !same_hex(t, s->args[i]))
					all = 0;
			r->ok[k] = all && i == 4;
			free(w);
			break;
		}
		case F_CULPRIT: {
			char *x = module_key(want), *y = module_key(got);
			r->ok[k] = x && y && !strcmp(x, y);
			free(x);
			free(y);
			break;
		}
		case F_BUCKET:
			r->ok[k] = !strcmp(want, got);
			break;
		case F_PROCESS:
			r->ok[k] = !strcasecmp(want, got);
			break;
		case F_EXCEPTION:
			r->ok[k] = same_hex(want, got);
			break;
		}
	}
}

/* Which half of the labels a cluster falls in: FNV-1a of its name, even
 * "fit", odd "test"; every analysis of a cluster on the same side. */
static int cluster_side(const char *cluster)
{
	return (int)(fnv1a64(cluster, strlen(cluster)) & 1);
}

/* Expected calibration error of the confidence, read as the probability
 * that the best-ranked case shares the query's root cause: over 10 equal
 * bins of confidence, the mean |share right - mean confidence| weighted by
 * the bin's size. cnt/conf/acc receive the reliability diagram. */
#define ECE_BINS 10
static double ece(const row *rows, size_t n, double cnt[ECE_BINS], double conf[ECE_BINS], double acc[ECE_BINS])
{
	for (int b = 0; b < ECE_BINS; b++)
		cnt[b] = conf[b] = acc[b] = 0;
	for (size_t i = 0; i < n; i++) {
		double c = rows[i].confidence < 0 ? 0 : rows[i].confidence > 1 ? 1 : rows[i].confidence;
		int b = (int)(c * ECE_BINS);
		if (b >= ECE_BINS)
			b = ECE_BINS - 1;
		cnt[b]++;
		conf[b] += c;
		acc[b] += rows[i].rank == 1;
	}
	double e = 0;
	for (int b = 0; b < ECE_BINS; b++) {
		if (!cnt[b])
			continue;
		conf[b] /= cnt[b];
		acc[b] /= cnt[b];
		e += cnt[b] / (double)n * (acc[b] > conf[b] ? acc[b] - conf[b] : conf[b] - acc[b]);
	}
	return n ? e : -1;
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
	const cli_command *cmd = cli_command_find("eval");
	int json = 0, verbose = 0, excl_case = 0, split = -1, c;
	const char *data = NULL, *rules_path = NULL;
	score_params params = score_defaults;
	char perr[256];
	while ((c = cli_getopt(cmd, argc, argv)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'd': data = optarg; break;
		case 'r': rules_path = optarg; break;
		case 'x': excl_case = 1; break;
		case 'p':
			if (score_params_parse(optarg, &params, perr, sizeof perr) < 0)
				return cli_usage(cmd->usage, "--param: %s", perr);
			break;
		case 's':
			if (!strcmp(optarg, "fit"))
				split = 0;
			else if (!strcmp(optarg, "test"))
				split = 1;
			else
				return cli_usage(cmd->usage, "--split wants fit or test");
			break;
		default:
			return cli_getopt_exit;
		}
	}
	verbose = cli_verbosity > 0; /* -v, given before or after "eval" */
	if (optind >= argc)
		return cli_usage(cmd->usage, "eval wants a LABELS.tsv");
	ruleset *rs = NULL;
	int ex = cli_rules_in_force(ctx, rules_path, &rs);
	if (ex)
		return ex;
	row *rows = NULL;
	size_t n = 0, cap = 0;
	for (int i = optind; !ex && i < argc; i++)
		ex = read_labels(argv[i], data, &rows, &n, &cap);
	/* one side of the split: whole clusters only */
	size_t all = n;
	if (!ex && split >= 0) {
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			if (cluster_side(rows[i].cluster) == split) {
				rows[k++] = rows[i];
				continue;
			}
			free(rows[i].file);
			free(rows[i].case_id);
			free(rows[i].dump);
			free(rows[i].cluster);
			for (int f = 0; f < NFIELDS; f++)
				free(rows[i].label[f]);
		}
		n = k;
		if (!n) {
			pmkb_error("no labelled analysis on the %s side of the split", split ? "test" : "fit");
			ex = PMKB_EX_DATAERR;
		}
	}
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
			ex = cli_kb_exit(st);
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
		eval_fields(r, r->prose ? NULL : &r->c->analyses[0], r->prose ? NULL : &sig);
		match_opts o = {.rules = rs, .limit = n, .candidates = n < 1000 ? n : 1000,
				.exclude_case = r->kid, .use_text = r->prose, .keep_all = 1,
				.params = &params, .text_analyses = r->block_analyses};
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
				if (!strcmp(rows[j].kid, res.items[k].case_id))
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
		r->similarity = res.verdict_score;
		memcpy(r->features, res.features, sizeof r->features);
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
		size_t lab[NFIELDS] = {0}, right[NFIELDS] = {0};
		for (size_t i = 0; i < n; i++)
			for (int k = 0; k < NFIELDS; k++)
				if (rows[i].label[k]) {
					lab[k]++;
					right[k] += rows[i].ok[k] == 1;
				}
		double bn[ECE_BINS], bconf[ECE_BINS], bacc[ECE_BINS];
		double e = ece(rows, n, bn, bconf, bacc);
		size_t top_right = 0;
		for (size_t i = 0; i < n; i++)
			top_right += rows[i].rank == 1;
		sbuf sb = {0};
		if (json) {
			jw w;
			jw_init(&w, &sb);
			jw_obj(&w, NULL);
			jw_size(&w, "analyses", n);
			jw_size(&w, "prose_only", nprose);
			jw_size(&w, "with_mate", nm);
			jw_size(&w, "unseen", ns);
			jw_size(&w, "ruled_singletons", nr);
			jw_size(&w, "ruled_known", rknown);
			jw_num(&w, "rr1", "%.3f", nm ? (double)top1 / (double)nm : 0);
			jw_num(&w, "mrr", "%.3f", nm ? rr / (double)nm : 0);
			jw_size(&w, "unseen_new", snew);
			jw_num(&w, "new_rate", "%.3f", ns ? (double)snew / (double)ns : 0);
			if (a >= 0)
				jw_num(&w, "auc", "%.3f", a);
			else
				jw_null(&w, "auc");
			if (e >= 0)
				jw_num(&w, "ece", "%.3f", e);
			else
				jw_null(&w, "ece");
			jw_size(&w, "top_right", top_right);
			jw_arr(&w, "calibration");
			for (int b = 0; b < ECE_BINS; b++) {
				if (!bn[b])
					continue;
				jw_obj(&w, NULL);
				jw_num(&w, "from", "%.1f", b / (double)ECE_BINS);
				jw_num(&w, "to", "%.1f", (b + 1) / (double)ECE_BINS);
				jw_num(&w, "n", "%.0f", bn[b]);
				jw_num(&w, "confidence", "%.3f", bconf[b]);
				jw_num(&w, "right", "%.3f", bacc[b]);
				jw_end(&w);
			}
			jw_end(&w);
			jw_obj(&w, "fields");
			for (int k = 0; k < NFIELDS; k++) {
				jw_obj(&w, field_names[k]);
				jw_size(&w, "labelled", lab[k]);
				jw_size(&w, "right", right[k]);
				if (lab[k])
					jw_num(&w, "accuracy", "%.3f", (double)right[k] / (double)lab[k]);
				else
					jw_null(&w, "accuracy");
				jw_end(&w);
			}
			jw_end(&w);
			jw_str(&w, "split", split < 0 ? NULL : split ? "test" : "fit");
			jw_size(&w, "labelled_in_all", all);
			jw_size(&w, "rules", rs->n);
			jw_bool(&w, "exclude_case", excl_case);
			jw_arr(&w, "rows");
			for (size_t i = 0; i < n; i++) {
				row *r = &rows[i];
				jw_obj(&w, NULL);
				jw_int(&w, "line", r->line);
				jw_str(&w, "id", r->id);
				jw_str(&w, "cluster", r->cluster);
				jw_bool(&w, "prose", r->prose);
				jw_int(&w, "mates", r->mates);
				if (r->rank)
					jw_int(&w, "rank", r->rank);
				else
					jw_null(&w, "rank");
				jw_str(&w, "top", r->top_id);
				jw_str(&w, "verdict", verdict_name(r->v));
				jw_num(&w, "confidence", "%.3f", r->confidence);
				jw_num(&w, "similarity", "%.4f", r->similarity);
				jw_obj(&w, "features");
				for (int k = 0; k < CF_N; k++)
					jw_num(&w, conf_feat_name((conf_feat)k), "%.4f", r->features[k]);
				jw_end(&w);
				jw_obj(&w, "fields");
				for (int k = 0; k < NFIELDS; k++) {
					if (!r->label[k])
						continue;
					jw_obj(&w, field_names[k]);
					jw_str(&w, "label", r->label[k]);
					jw_str(&w, "read", r->got[k]);
					jw_bool(&w, "right", r->ok[k]);
					jw_end(&w);
				}
				jw_end(&w);
				jw_end(&w);
			}
			jw_end(&w);
			jw_end(&w);
			sb_addc(&sb, '\n');
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
					for (int k = 0; k < NFIELDS; k++)
						if (r->label[k] && !r->ok[k])
							sb_addf(&sb, "    %s: label %s, read %s\n", field_names[k], r->label[k],
								r->got[k] ? r->got[k] : "nothing");
				}
			}
			sb_addf(&sb, "labelled analyses: %zu (%zu prose only), rules: %zu%s\n", n, nprose, rs->n,
				excl_case ? ", other analyses of the same case left out" : "");
			if (split >= 0)
				sb_addf(&sb, "split: the %s side, %zu of %zu labelled analyses\n", split ? "test" : "fit", n, all);
			for (int k = 0; k < NFIELDS; k++) {
				if (lab[k])
					sb_addf(&sb, "field %-15s %zu of %zu right (%.3f)\n", field_names[k], right[k], lab[k],
						(double)right[k] / (double)lab[k]);
			}
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
			if (e >= 0)
				sb_addf(&sb, "calibration: ECE %.3f over %zu analyses (10 bins; right = the best case shares the cluster, %zu)\n",
					e, n, top_right);
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
		free(rows[i].kid);
		free(rows[i].text);
		free(rows[i].top_id);
		for (int k = 0; k < NFIELDS; k++) {
			free(rows[i].label[k]);
			free(rows[i].got[k]);
		}
		pm_case_free(rows[i].c);
	}
	free(rows);
	rules_free(rs);
	return ex;
}
