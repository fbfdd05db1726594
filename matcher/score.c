/* score.c - structured similarity of two signatures (see score.h and
 * docs/matching.md): stack alignment in the spirit of TraceSim/FaST, set
 * overlaps for modules and pool tags, weak bugcheck agreement, text cosine. */
#include "score.h"

#include <ctype.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const part_names[SP_N] = {"stack", "modules", "pool", "bugcheck", "culprit", "text", "fault_ip", "process"};

const score_params score_defaults = {
	.weight = {
		[SP_STACK] = 0.50,
		[SP_MODULES] = 0.15,
		[SP_POOL] = 0.10,
		[SP_BUGCHECK] = 0.25,
		[SP_CULPRIT] = 0.15,
		[SP_TEXT] = 0.15,
		[SP_FAULT_IP] = 0.30,
		[SP_PROCESS] = 0.30,
	},
	.min_evidence = 0.5,
	.pos_decay = 0.12,
	.gap_decay = 0.10,
	.max_frames = 32,
	.t_known = 0.95,
	.t_similar = 0.60,
	.calib_k = 3.8,
	.unsym = 0.2,
	.rarity = 1.0,
	.symmix = 0.5,
	.short_stack = 0.6,
	.family = 0.5,
	.bugcheck_only = 0.6,
	.inbox_culprit = 0.3,
	.text_bm25 = 0.4,
	.text_verdict = 0.5,
	.mod_rarity = 0.5,
	.culprit_named = 0.5,
	.prose_credit = 0.5,
	.stack_depth = 1,
	.unknown_weight = 0.25,
	.same_bucket = 0.9,
	.same_text_words = 20,
};

int score_params_parse(const char *spec, score_params *p, char *err, size_t errsz)
{
	char *dup = xstrdup(spec), *save = NULL;
	int rc = 0;
	for (char *it = strtok_r(dup, ",", &save); it && !rc; it = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(it, '=');
		char *end = NULL;
		double v = eq ? strtod(eq + 1, &end) : 0;
		if (!eq || end == eq + 1 || *end || !isfinite(v) || v < 0 || v > 1000) {
			snprintf(err, errsz, "'%s' is not NAME=NUMBER", it);
			rc = -1;
			break;
		}
		*eq = 0;
		int done = 0;
		for (int k = 0; k < SP_N; k++)
			if (!strcmp(it, part_names[k])) {
				p->weight[k] = v;
				done = 1;
			}
		if (!strcmp(it, "min_evidence")) p->min_evidence = v, done = 1;
		if (!strcmp(it, "pos_decay")) p->pos_decay = v, done = 1;
		if (!strcmp(it, "gap_decay")) p->gap_decay = v, done = 1;
		if (!strcmp(it, "max_frames") && v >= 1) p->max_frames = (size_t)v, done = 1;
		if (!strcmp(it, "t_known")) p->t_known = v, done = 1;
		if (!strcmp(it, "t_similar")) p->t_similar = v, done = 1;
		if (!strcmp(it, "calib_k")) p->calib_k = v, done = 1;
		if (!strcmp(it, "unsym")) p->unsym = v, done = 1;
		if (!strcmp(it, "rarity")) p->rarity = v, done = 1;
		if (!strcmp(it, "symmix")) p->symmix = v, done = 1;
		if (!strcmp(it, "short_stack")) p->short_stack = v, done = 1;
		if (!strcmp(it, "family")) p->family = v, done = 1;
		if (!strcmp(it, "bugcheck_only")) p->bugcheck_only = v, done = 1;
		if (!strcmp(it, "inbox_culprit")) p->inbox_culprit = v, done = 1;
		if (!strcmp(it, "text_bm25")) p->text_bm25 = v, done = 1;
		if (!strcmp(it, "text_verdict")) p->text_verdict = v, done = 1;
		if (!strcmp(it, "mod_rarity")) p->mod_rarity = v, done = 1;
		if (!strcmp(it, "culprit_named")) p->culprit_named = v, done = 1;
		if (!strcmp(it, "prose_credit")) p->prose_credit = v, done = 1;
		if (!strcmp(it, "stack_depth")) p->stack_depth = v, done = 1;
		if (!strcmp(it, "unknown_weight")) p->unknown_weight = v, done = 1;
		if (!strcmp(it, "same_bucket")) p->same_bucket = v, done = 1;
		if (!strcmp(it, "same_text_words")) p->same_text_words = v, done = 1;
		if (!done) {
			snprintf(err, errsz, "unknown parameter '%s'", it);
			rc = -1;
		}
	}
	free(dup);
	return rc;
}


const char *score_part_name(score_part p)
{
	return p < SP_N ? part_names[p] : "?";
}

const char *verdict_name(verdict v)
{
	return v == VERDICT_KNOWN ? "known" : v == VERDICT_SIMILAR ? "similar" : "new";
}

static int streq(const char *a, const char *b)
{
	return a && b && strcasecmp(a, b) == 0;
}

/* Indexes of the kept frames of s that name a module, at most max.
 * Caller frees. */
static size_t kept(const pm_signature *s, size_t max, size_t *idx)
{
	size_t n = 0;
	/* a bare address (no module: a cut row, a frame of no image) never
	 * recurs in another dump: it would only dilute the alignment */
	for (size_t i = 0; i < s->nframes && n < max; i++)
		if (!s->frames[i].skip && s->frames[i].key && s->frames[i].module) {
			if (idx)
				idx[n] = i;
			n++;
		}
	return n;
}

/* score_stack's working memory on the stack for the usual max_frames (it
 * runs for every candidate analysis); larger settings take it from the
 * heap */
#define STACK_FRAMES 64

/* x to the power e, without pow() for the usual exponents (1, 0.5, 0):
 * it runs for every frame and module weighed. */
static double powr(double x, double e)
{
	return e == 1.0 ? x : e == 0.5 ? sqrt(x) : e == 0.0 ? 1.0 : pow(x, e);
}

/* How much two frames are the same: 1 same key; p->unsym for two
 * unsymbolised frames of one third-party module at other offsets (offsets
 * move between builds, but inside one build they are other functions);
 * p->symmix for a symbolised and an unsymbolised frame of one third-party
 * module (two posts of one dump, with and without the driver's symbols). */
static inline double frame_eq(const sig_frame *a, const sig_frame *b, const score_params *p)
{
	/* a bare module name ("nt", a cut row) says where, not what: of an
	 * inbox module nothing, of a third-party one what unsymbolised
	 * frames at other offsets earn */
	/* this runs for every pair of frames aligned (up to 32 x 32 a
	 * candidate): two fold hashes that differ say "not equal" at once */
	if (!(a->key_fold && b->key_fold && a->key_fold != b->key_fold) && streq(a->key, b->key))
		return a->function || a->offset ? 1.0 : a->third_party ? p->unsym : 0.0;
	if (!a->third_party || !b->third_party || (a->function && b->function) || !a->module ||
	    !b->module || (a->module_fold && b->module_fold && a->module_fold != b->module_fold) ||
	    strcasecmp(a->module, b->module) != 0)
		return 0.0;
	return !a->function && !b->function ? p->unsym : p->symmix;
}

double score_stack(const pm_signature *q, const pm_signature *c, const score_params *p,
		   score_idf_fn idf, void *idf_ctx)
{
	size_t qbuf[STACK_FRAMES], cbuf[STACK_FRAMES];
	int heap = p->max_frames > STACK_FRAMES;
	size_t *qi = heap ? xcalloc(p->max_frames, sizeof(size_t)) : qbuf;
	size_t *ci = heap ? xcalloc(p->max_frames, sizeof(size_t)) : cbuf;
	size_t n = kept(q, p->max_frames, qi), m = kept(c, p->max_frames, ci);
	double res = 0;
	if (n && m) {
		/* wq, rq (n each), wc, prev, cur (m, m + 1, m + 1) */
		double dbuf[5 * STACK_FRAMES + 2];
		double *wq = heap ? xcalloc(2 * n + 3 * m + 2, sizeof(double)) : dbuf;
		double *rq = wq + n, *wc = rq + n, *prev = wc + m, *cur = prev + m + 1;
		double sq = 0, sc = 0;
		for (size_t i = 0; i < n; i++) {
			rq[i] = idf ? powr(idf(idf_ctx, q->frames[qi[i]].key, q->frames[qi[i]].key_fold), p->rarity) : 1.0;
			wq[i] = exp(-p->pos_decay * (double)i) * rq[i];
			sq += wq[i];
		}
		for (size_t j = 0; j < m; j++) {
			double r = idf ? powr(idf(idf_ctx, c->frames[ci[j]].key, c->frames[ci[j]].key_fold), p->rarity) : 1.0;
			wc[j] = exp(-p->pos_decay * (double)j) * r;
			sc += wc[j];
		}
		/* weighted alignment (Needleman-Wunsch without gap cost; the
		 * position-difference factor plays that part), two rows */
		for (size_t j = 0; j <= m; j++)
			prev[j] = 0;
		for (size_t i = 1; i <= n; i++) {
			cur[0] = 0;
			for (size_t j = 1; j <= m; j++) {
				double best = prev[j] > cur[j - 1] ? prev[j] : cur[j - 1];
				double eq = frame_eq(&q->frames[qi[i - 1]], &c->frames[ci[j - 1]], p);
				if (eq > 0) {
					double gap = fabs((double)i - (double)j);
					double diag = prev[j - 1] + eq * (wq[i - 1] + wc[j - 1]) / 2 *
									exp(-p->gap_decay * gap);
					if (diag > best)
						best = diag;
				}
				cur[j] = best;
			}
			double *t = prev;
			prev = cur;
			cur = t;
		}
		double norm = (sq + sc) / 2;
		res = norm > 0 ? prev[m] / norm : 0;
		if (res > 1)
			res = 1;
		/* one frame in common is not a stack in common: a stack of one
		 * (or two) kept frames on either side earns short_stack (or
		 * halfway to 1) at most */
		size_t k = n < m ? n : m;
		if (k == 1)
			res *= p->short_stack;
		else if (k == 2)
			res *= (1 + p->short_stack) / 2;
		/* and a frame alone on both sides aligns in full whatever its
		 * rarity (the weights cancel out): a short stack that shares
		 * only Windows' own frames (a NETIO callout frame every WFP
		 * driver's crash passes through) weighs the rarity of the
		 * rarest; a third-party frame shared is the driver's own code */
		if (k <= 2 && idf) {
			double rmax = 0;
			int tp = 0;
			for (size_t i = 0; i < n && !tp; i++)
				for (size_t j = 0; j < m && !tp; j++)
					if (frame_eq(&q->frames[qi[i]], &c->frames[ci[j]], p) > 0) {
						if (rq[i] > rmax)
							rmax = rq[i];
						tp = q->frames[qi[i]].third_party || c->frames[ci[j]].third_party;
					}
			if (!tp)
				res *= rmax;
		}
		if (heap)
			free(wq);
	}
	if (heap) {
		free(qi);
		free(ci);
	}
	return res;
}

/* The third-party modules of s plus the owners of its pool tags (they are
 * third-party as a rule: inbox pool owners say little). Borrowed strings. */
static size_t tp_set(const pm_signature *s, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < s->nthird_party && n < max; i++)
		out[n++] = s->third_party[i];
	for (size_t i = 0; i < s->npool_tags && n < max; i++) {
		const char *o = s->pool_tags[i].owner;
		if (!o || !strcasecmp(o, "nt"))
			continue;
		int dup = 0;
		for (size_t k = 0; k < n; k++)
			dup |= streq(out[k], o);
		if (!dup)
			out[n++] = o;
	}
	return n;
}

static double jaccard(const char **a, size_t na, const char **b, size_t nb)
{
	if (!na && !nb)
		return 0;
	size_t inter = 0;
	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < nb; j++)
			if (streq(a[i], b[j])) {
				inter++;
				break;
			}
	size_t uni = na + nb - inter;
	return uni ? (double)inter / (double)uni : 0;
}

#define SET_MAX 256

/* A rarity key a b c d in buf (KEY_MAX bytes), lower case: per pair
 * scored, so no allocation. NULL when it does not fit. */
#define KEY_MAX 256
static const char *key_cat(char *buf, const char *a, const char *b, const char *c, const char *d)
{
	size_t n = 0;
	const char *part[4] = {a, b, c, d};
	for (int i = 0; i < 4; i++) {
		size_t l = strlen(part[i]);
		if (n + l >= KEY_MAX)
			return NULL;
		for (size_t j = 0; j < l; j++)
			buf[n++] = (char)tolower((unsigned char)part[i][j]);
	}
	buf[n] = 0;
	return buf;
}

/* Rarity of a module (SCORE_MODKEY), to the power p->mod_rarity; 1
 * without a callback. */
static double mod_rarity(score_idf_fn idf, void *ctx, const char *m, const score_params *p)
{
	if (!idf || !m)
		return 1.0;
	char buf[KEY_MAX];
	const char *k = key_cat(buf, SCORE_MODKEY, m, "", "");
	return k ? powr(idf(ctx, k, 0), p->mod_rarity) : 1.0;
}

static int arg_eq(const char *a, const char *b)
{
	return a && b && strcasecmp(sig_hex_digits(a), sig_hex_digits(b)) == 0;
}

char *score_arg_key(const pm_signature *s)
{
	char buf[KEY_MAX];
	char *v = sig_arg_key(s);
	const char *k = v ? key_cat(buf, SCORE_ARGKEY, v, "", "") : NULL;
	free(v);
	return k ? xstrdup(k) : NULL;
}

/* An address, not a small constant or a small negative (NULL - 0x18):
 * 8+ significant hex digits, 5+ distinct ones. */
static int addressish(const char *v)
{
	const char *d = sig_hex_digits(v);
	int seen[16] = {0}, distinct = 0;
	size_t n = 0;
	for (; *d; d++, n++) {
		int x = isdigit((unsigned char)*d) ? *d - '0' : tolower((unsigned char)*d) - 'a' + 10;
		if (x < 0 || x > 15)
			return 0;
		distinct += !seen[x];
		seen[x] = 1;
	}
	return n >= 8 && distinct >= 5;
}

/* The exception codes of most crashes of most programs: an access
 * violation, a CLR or C++ exception, a fail-fast (stack buffer overrun),
 * a heap corruption, a breakpoint, an exception in a user callback */
static int common_exception(const char *code)
{
	static const char *const common[] = {"0xc0000005", "0xe0434352", "0xe06d7363", "0xc0000409",
					     "0xc0000374", "0x80000003", "0xc000041d"};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(common); i++)
		if (streq(code, common[i]))
			return 1;
	return 0;
}

int score_same_dump(const pm_signature *q, const pm_signature *c)
{
	/* the same code, or one side's excerpt cut before it (the four
	 * arguments alone, one an address, are the dump's) */
	if (q->bugcheck && c->bugcheck && !streq(q->bugcheck, c->bugcheck))
		return 0;
	int addr = 0;
	for (int i = 0; i < 4; i++) {
		if (!arg_eq(q->args[i], c->args[i]))
			return 0;
		addr |= addressish(q->args[i]);
	}
	return addr;
}

/* Where an application crash faulted: its first kept frame, when that
 * names a module and an offset other than 0 (an offset WER could not
 * place is 0) */
static const sig_frame *fault_site(const pm_signature *s)
{
	for (size_t i = 0; i < s->nframes; i++) {
		const sig_frame *f = &s->frames[i];
		if (f->skip)
			continue;
		if (!f->module || !f->offset || !f->key || !strcmp(f->offset, "0x0"))
			return NULL;
		return f;
	}
	return NULL;
}

/* Is b a number as WER prints its bucket ("1076040974", "-1130033585")? */
static int wer_bucket_number(const char *b)
{
	if (*b == '-')
		b++;
	size_t n = strspn(b, "0123456789");
	return n >= 4 && b[n] == '\0';
}

int score_same_bucket(const pm_signature *q, const pm_signature *c)
{
	if (q->bugcheck || c->bugcheck || !q->exception_code || !c->exception_code || !q->process || !c->process)
		return 0;
	if (!streq(q->exception_code, c->exception_code) || strcasecmp(q->process, c->process) != 0)
		return 0;
	/* WER's own bucket number ("Fault bucket 1076040974, type 5"), the
	 * same on both: WER put the two reports in one bucket, even where the
	 * module was a StackHash and no fault site is printed */
	if (q->failure_bucket && c->failure_bucket && wer_bucket_number(q->failure_bucket) &&
	    streq(q->failure_bucket, c->failure_bucket))
		return 1;
	const sig_frame *a = fault_site(q), *b = fault_site(c);
	if (!a || !b || !streq(a->key, b->key))
		return 0;
	/* a software exception (.NET's e0434352, C++'s e06d7363, any code
	 * from 0xe0000000 up) faults where it is raised, in KernelBase's
	 * RaiseException: every such crash of one program shares that site,
	 * so it is no bucket */
	if (strtoul(q->exception_code, NULL, 16) >= 0xe0000000UL && a->module &&
	    (streq(a->module, "kernelbase") || streq(a->module, "kernel32")))
		return 0;
	return 1;
}

/* A code as a number ("0xd1" -> 0xd1), 0 when there is none. */
static unsigned long code_of(const char *code)
{
	return code ? strtoul(code, NULL, 16) : 0;
}

/* Bugcheck families whose codes one cause crosses (docs/matching.md):
 * 0xa/0xd1 (IRQL), 0x1e/0x7e/0x8e/0x3b (unhandled exception), 0x50/0xd5/
 * 0xcc (bad or freed memory); -1 for the others. */
static int family_of(const char *code)
{
	switch (code_of(code)) {
	case 0xa: case 0xd1: return 0;
	case 0x1e: case 0x7e: case 0x8e: case 0x3b: return 1;
	case 0x50: case 0xd5: case 0xcc: return 2;
	default: return -1;
	}
}

int score_code_family(const char *a, const char *b)
{
	if (!a || !b || streq(a, b))
		return 0;
	int fa = family_of(a);
	return fa >= 0 && fa == family_of(b);
}

/* Which argument of a code holds the faulting instruction's address
 * (0-based), or -1: 0x1e/0x7e/0x8e/0x3b Arg2, 0x50/0xcc/0xd5 Arg3,
 * 0xa/0xd1 Arg4. */
static int ip_arg(const char *code)
{
	switch (code_of(code)) {
	case 0x1e: case 0x7e: case 0x8e: case 0x3b: return 1;
	case 0x50: case 0xcc: case 0xd5: return 2;
	case 0xa: case 0xd1: return 3;
	default: return -1;
	}
}

/* Do q and c fault at one instruction offset in its page (the low 12 bits
 * of the fault address, which a module's load address does not change),
 * under one code or one family? Both must be addresses (addressish). */
static int same_ip_offset(const pm_signature *q, const pm_signature *c)
{
	if (!streq(q->bugcheck, c->bugcheck) && !score_code_family(q->bugcheck, c->bugcheck))
		return 0;
	int a = ip_arg(q->bugcheck), b = ip_arg(c->bugcheck);
	if (a < 0 || b < 0 || !q->args[a] || !c->args[b] || !addressish(q->args[a]) || !addressish(c->args[b]))
		return 0;
	const char *x = sig_hex_digits(q->args[a]), *y = sig_hex_digits(c->args[b]);
	size_t nx = strlen(x), ny = strlen(y);
	return strcasecmp(x + nx - 3, y + ny - 3) == 0;
}

const char *score_culprit(const pm_signature *s)
{
	return s->culprit ? s->culprit : s->image;
}

static int is_prose(const pm_signature *s)
{
	return s->culprit_from && s->culprit_from[0] == 'p' && !strcmp(s->culprit_from, "prose");
}

/* Is m a third-party module that s names (frames, lmvm, pool owners)? */
static int culprit_in(const char *m, const pm_signature *s)
{
	if (!m || sig_is_microsoft(m))
		return 0;
	for (size_t i = 0; i < s->nthird_party; i++)
		if (streq(m, s->third_party[i]))
			return 1;
	for (size_t i = 0; i < s->npool_tags; i++)
		if (streq(m, s->pool_tags[i].owner))
			return 1;
	return 0;
}

/* How much two culprits agree: the same third-party module 1 (its
 * function, when both name one, must agree too: else 0.5); an inbox
 * module (nt, ndis) that many crashes blame, p->inbox_culprit; another
 * culprit, but a third-party one the other side names, p->culprit_named. */
static double culprit_eq(const pm_signature *q, const pm_signature *c, const score_params *p)
{
	const char *a = score_culprit(q), *b = score_culprit(c);
	if (!streq(a, b))
		return culprit_in(a, c) || culprit_in(b, q) ? p->culprit_named : 0;
	double v = sig_is_microsoft(a) ? p->inbox_culprit : 1.0;
	if (q->culprit_function && c->culprit_function && !streq(q->culprit_function, c->culprit_function))
		v *= 0.5;
	if (is_prose(q) || is_prose(c))
		v *= p->prose_credit;
	return v;
}

/* The kernel's own processes: System, Idle, Registry, Secure System,
 * MemCompression ("Memory Compression" in some listings). */
static int kernel_process(const char *p)
{
	static const char *const names[] = {
		"system", "idle", "system idle process", "registry", "secure system", "memcompression",
		"memory compression",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcasecmp(p, names[i]))
			return 1;
	return 0;
}

double score_pair(const pm_signature *q, const pm_signature *c, double text_sim,
		  const score_params *p, score_idf_fn idf, void *idf_ctx, score_result *out)
{
	score_result r;
	memset(&r, 0, sizeof r);
	const char *a[SET_MAX], *b[SET_MAX];

	size_t nk = kept(q, p->max_frames, NULL);
	/* a stored analysis with no stack (a bugcheck line and prose: the
	 * stack was a screenshot) neither agrees nor disagrees on it */
	int mk = 0;
	for (size_t i = 0; i < c->nframes && !mk; i++)
		mk = !c->frames[i].skip && c->frames[i].key && c->frames[i].module;
	if (nk && mk) {
		r.present[SP_STACK] = 1;
		r.part[SP_STACK] = score_stack(q, c, p, idf, idf_ctx);
		/* a long stack aligned is more evidence than a short one: the
		 * part's weight grows with the frames both sides hold (to 8) */
		size_t m = 0;
		for (size_t i = 0; i < c->nframes && m < 8; i++)
			m += !c->frames[i].skip && c->frames[i].key && c->frames[i].module;
		size_t k = nk < m ? nk : m;
		r.depth = k > 8 ? 8 : k;
	} else if (nk) {
		r.unknown[SP_STACK] = 1;
	}
	size_t na = tp_set(q, a, SET_MAX);
	if (na) {
		size_t nb = tp_set(c, b, SET_MAX);
		r.present[SP_MODULES] = 1;
		/* the overlap, as rare as the rarest module shared: a driver
		 * half the knowledge base names says little */
		double j = jaccard(a, na, b, nb), rar = 0;
		for (size_t i = 0; j > 0 && i < na; i++)
			for (size_t k = 0; k < nb; k++)
				if (streq(a[i], b[k])) {
					double x = mod_rarity(idf, idf_ctx, a[i], p);
					if (x > rar)
						rar = x;
					break;
				}
		r.part[SP_MODULES] = j * rar;
	}
	if (q->npool_tags) {
		size_t x = 0, y = 0;
		for (size_t i = 0; i < q->npool_tags && x < SET_MAX; i++)
			if (q->pool_tags[i].tag)
				a[x++] = q->pool_tags[i].tag;
		for (size_t i = 0; i < c->npool_tags && y < SET_MAX; i++)
			if (c->pool_tags[i].tag)
				b[y++] = c->pool_tags[i].tag;
		if (x && y) {
			r.present[SP_POOL] = 1;
			r.part[SP_POOL] = jaccard(a, x, b, y);
		} else if (x) {
			r.unknown[SP_POOL] = 1;
		}
	}
	if (!q->bugcheck && !c->bugcheck && q->exception_code && c->exception_code) {
		/* two application crashes that raised the same rare exception
		 * (a stack overflow, a status of its own): that is their code.
		 * The common ones say nothing either way, nor does a code that
		 * differs (one crash is logged with the CLR's e0434352 by one
		 * event and its managed exception by another) */
		if (streq(q->exception_code, c->exception_code) && !common_exception(q->exception_code)) {
			r.present[SP_BUGCHECK] = 1;
			r.part[SP_BUGCHECK] = 1.0;
		}
	} else if (q->bugcheck && !c->bugcheck) {
		/* a stored analysis that prints no code (a stack or a tail of
		 * fields pasted alone) neither agrees nor disagrees on it */
		r.unknown[SP_BUGCHECK] = 1;
	} else if (q->bugcheck) {
		r.present[SP_BUGCHECK] = 1;
		int same = streq(q->bugcheck, c->bugcheck);
		if (same || score_code_family(q->bugcheck, c->bugcheck)) {
			/* Arg1 agreement weighs its rarity: c0000005 under 0x1e
			 * is on every other report, an address is not */
			double arg = 0.15; /* unknown either side: half credit */
			if (q->args[0] && c->args[0]) {
				arg = 0;
				if (arg_eq(q->args[0], c->args[0])) {
					char buf[KEY_MAX];
					const char *k = idf ? key_cat(buf, SCORE_ARGKEY, q->bugcheck, "/",
								      sig_hex_digits(q->args[0])) : NULL;
					arg = 0.3 * (k ? idf(idf_ctx, k, 0) : 1.0);
				}
			}
			r.part[SP_BUGCHECK] = (same ? 0.7 : 0.7 * p->family) + arg;
		}
	}
	if (score_culprit(q) && score_culprit(c)) {
		r.present[SP_CULPRIT] = 1;
		double e = culprit_eq(q, c, p);
		r.part[SP_CULPRIT] = e > 0 ? e * mod_rarity(idf, idf_ctx, score_culprit(q), p) : 0;
		/* both blame the kernel (nt, hal): the analyses found no
		 * driver, which says as little as the code does */
		r.kernel_culprit = e > 0 && streq(score_culprit(q), score_culprit(c)) &&
				   (streq(score_culprit(q), "nt") || streq(score_culprit(q), "hal"));
	} else if (score_culprit(q)) {
		r.unknown[SP_CULPRIT] = 1;
	}
	/* the same process, as rare as it is: an application's own
	 * process name is on few reports. The kernel's own processes
	 * (System runs every worker thread and most DPCs, Idle the rest)
	 * say nothing of the cause, however small the knowledge base */
	if (q->process && *q->process && c->process && *c->process && !kernel_process(q->process)) {
		r.present[SP_PROCESS] = 1;
		if (!strcasecmp(q->process, c->process)) {
			char buf[KEY_MAX];
			const char *k = idf ? key_cat(buf, SCORE_PROCKEY, q->process, "", "") : NULL;
			r.part[SP_PROCESS] = k ? powr(idf(idf_ctx, k, 0), p->mod_rarity) : 1.0;
		}
	}
	if (same_ip_offset(q, c)) {
		r.present[SP_FAULT_IP] = 1;
		r.part[SP_FAULT_IP] = 1;
	}
	if (text_sim >= 0) {
		r.present[SP_TEXT] = 1;
		r.part[SP_TEXT] = text_sim > 1 ? 1 : text_sim;
	}
	r.same_dump = score_same_dump(q, c);
	r.same_bucket = !r.same_dump && score_same_bucket(q, c);
	r.thin = nk < 2;
	score_retotal(&r, p);
	if (out)
		*out = r;
	return r.total;
}

/* The weight of part k in r's total: the stack's grows by stack_depth for
 * every kept frame both sides hold beyond the first (to 8). */
static double part_weight(const score_result *r, int k, const score_params *p)
{
	if (k == SP_STACK && r->depth > 1)
		return p->weight[k] * (1 + p->stack_depth * (double)(r->depth - 1) / 7);
	return p->weight[k];
}

void score_retotal(score_result *r, const score_params *p)
{
	double num = 0, den = 0;
	for (int k = 0; k < SP_N; k++)
		if (r->present[k]) {
			num += part_weight(r, k, p) * r->part[k];
			den += part_weight(r, k, p);
		} else if (r->unknown[k]) {
			den += part_weight(r, k, p) * p->unknown_weight;
		}
	if (den < p->min_evidence)
		den = p->min_evidence;
	r->total = den > 0 ? num / den : 0;
	if (r->total > 1)
		r->total = 1;
	/* the code and an argument alone (words aside) are not evidence of
	 * one cause: the verdict weighs such a score down
	 * (score_evidence_total); the rank keeps it */
	int other = 0;
	for (int k = 0; k < SP_N; k++)
		if (k != SP_BUGCHECK && k != SP_TEXT && k != SP_PROCESS && r->present[k] && r->part[k] >= 0.05 &&
		    !(k == SP_CULPRIT && r->kernel_culprit))
			other = 1;
	int same = r->same_dump || r->same_bucket || r->same_text;
	r->bugcheck_only = !other && r->part[SP_BUGCHECK] > 0 && !same;
	/* so is the process: many crashes of one application are of
	 * different bugs */
	r->process_only = !other && r->part[SP_PROCESS] > 0 && !same;
	/* a query with no stack to compare (a bugcheck line, a header,
	 * prose): a case that shares only the code ranks below one that
	 * shares the driver or a frame, as the verdict weighs it */
	if (r->bugcheck_only && r->thin)
		r->total *= p->bugcheck_only;
	/* the same four arguments: the same dump posted twice */
	if (r->same_dump && r->total < 0.95)
		r->total = 0.95;
	/* one program crashed with one code at one place: WER's bucket */
	if ((r->same_bucket || r->same_text) && r->total < p->same_bucket)
		r->total = p->same_bucket;
}

/* ---- text ---- */

typedef struct tok {
	uint64_t h;
	double n;
} tok;

/* Sort v by hash: a quicksort on the key itself (qsort's calls through a
 * comparison function were most of a thin query's text part). The order
 * of equal keys does not matter: they are merged. */
static void tok_sort(tok *v, size_t n)
{
	while (n > 16) {
		uint64_t a = v[0].h, b = v[n / 2].h, c = v[n - 1].h;
		uint64_t pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
		size_t i = 0, j = n - 1;
		for (;;) {
			while (v[i].h < pivot)
				i++;
			while (v[j].h > pivot)
				j--;
			if (i >= j)
				break;
			tok t = v[i];
			v[i++] = v[j];
			v[j--] = t;
		}
		/* [0, j] <= pivot <= [j + 1, n): the smaller side recursively */
		size_t left = j + 1;
		if (left < n - left) {
			tok_sort(v, left);
			v += left;
			n -= left;
		} else {
			tok_sort(v + left, n - left);
			n = left;
		}
	}
	for (size_t i = 1; i < n; i++) {
		tok t = v[i];
		size_t k = i;
		for (; k > 0 && v[k - 1].h > t.h; k--)
			v[k] = v[k - 1];
		v[k] = t;
	}
}

/* Decode one UTF-8 code point at *s (valid or not: one byte at a time on
 * garbage), advance *s. */
static unsigned next_cp(const unsigned char **s)
{
	const unsigned char *p = *s;
	unsigned cp = p[0];
	int len = 1;
	if (cp >= 0xf0 && p[1] && p[2] && p[3]) {
		cp = ((cp & 7u) << 18) | ((p[1] & 63u) << 12) | ((p[2] & 63u) << 6) | (p[3] & 63u);
		len = 4;
	} else if (cp >= 0xe0 && p[1] && p[2]) {
		cp = ((cp & 15u) << 12) | ((p[1] & 63u) << 6) | (p[2] & 63u);
		len = 3;
	} else if (cp >= 0xc0 && p[1]) {
		cp = ((cp & 31u) << 6) | (p[1] & 63u);
		len = 2;
	}
	*s = p + len;
	return cp;
}

static int is_cjk(unsigned cp)
{
	return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf);
}

/* Sorted, merged token counts of t (bounded: first 64 KiB). */
static size_t tokens(const char *t, tok **out)
{
	size_t cap = 256, n = 0;
	tok *v = xmalloc(cap * sizeof *v);
	const unsigned char *s = (const unsigned char *)t;
	const unsigned char *end = s + strnlen(t, 65536);
	unsigned prev_cjk = 0;
	while (s < end && *s) {
		uint64_t h = 0;
		int have = 0;
		if (isalnum(*s) || *s == '_') {
			char w[64];
			size_t k = 0, digits = 0;
			while (s < end && (isalnum(*s) || *s == '_' || *s == '!')) {
				if (k < sizeof w - 1)
					w[k++] = (char)tolower(*s);
				digits += isdigit(*s) != 0;
				s++;
			}
			w[k] = 0;
			/* addresses and offsets are noise between two crashes */
			int hexish = k >= 6 && strspn(w, "0123456789abcdefx`") == k;
			if (k >= 3 && !hexish && digits * 2 < k) {
				h = fnv1a64(w, k);
				have = 1;
			}
			prev_cjk = 0;
		} else {
			unsigned cp = next_cp(&s);
			if (is_cjk(cp)) {
				if (prev_cjk) {
					unsigned pair[2] = {prev_cjk, cp};
					h = fnv1a64(pair, sizeof pair) ^ 0x9e3779b97f4a7c15ull;
					have = 1;
				}
				prev_cjk = cp;
			} else {
				prev_cjk = 0;
			}
		}
		if (have) {
			if (n == cap) {
				cap *= 2;
				v = xrealloc(v, cap * sizeof *v);
			}
			v[n].h = h;
			v[n].n = 1;
			n++;
		}
	}
	tok_sort(v, n);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (m && v[m - 1].h == v[i].h)
			v[m - 1].n += 1;
		else
			v[m++] = v[i];
	}
	*out = v;
	return m;
}

struct score_text {
	tok *v;
	size_t n;
	double norm2; /* the sum of the squared sub-linear counts */
};

/* sub-linear counts: a word said ten times is not ten times the evidence */
static double tok_weight(const tok *t)
{
	return 1 + log(t->n);
}

static double tok_norm2(const tok *v, size_t n)
{
	double s = 0;
	for (size_t k = 0; k < n; k++)
		s += tok_weight(&v[k]) * tok_weight(&v[k]);
	return s;
}

score_text *score_text_new(const char *t)
{
	if (!t)
		return NULL;
	score_text *x = xmalloc(sizeof *x);
	x->n = tokens(t, &x->v);
	x->norm2 = tok_norm2(x->v, x->n);
	return x;
}

void score_text_free(score_text *x)
{
	if (!x)
		return;
	free(x->v);
	free(x);
}

/* The cosine of x and y's tokens (y: n of them, squared norm ny). */
static double text_cosine(const score_text *x, const tok *y, size_t m, double ny)
{
	double dot = 0;
	size_t i = 0, j = 0;
	while (i < x->n && j < m) {
		if (x->v[i].h == y[j].h) {
			dot += tok_weight(&x->v[i]) * tok_weight(&y[j]);
			i++;
			j++;
		} else if (x->v[i].h < y[j].h) {
			i++;
		} else {
			j++;
		}
	}
	if (x->norm2 <= 0 || ny <= 0)
		return 0;
	double r = dot / sqrt(x->norm2 * ny);
	return r > 1 ? 1 : r;
}

double score_text_sim_text(const score_text *x, const score_text *y)
{
	if (!x || !x->n || !y || !y->n)
		return 0;
	return text_cosine(x, y->v, y->n, y->norm2);
}

size_t score_text_words(const score_text *x)
{
	return x ? x->n : 0;
}

size_t score_text_size(const score_text *x)
{
	return sizeof *x + x->n * sizeof *x->v;
}

score_text *score_text_place(const score_text *x, void *mem)
{
	score_text *y = mem;
	y->v = (tok *)(y + 1);
	y->n = x->n;
	y->norm2 = x->norm2;
	if (x->n)
		memcpy(y->v, x->v, x->n * sizeof *x->v);
	return y;
}

double score_text_sim(const char *a, const char *b)
{
	if (!a || !b || !*a || !*b)
		return 0;
	score_text *x = score_text_new(a), *y = score_text_new(b);
	double r = score_text_sim_text(x, y);
	score_text_free(x);
	score_text_free(y);
	return r;
}

/* ---- evidence ---- */

void score_evs_add(score_evs *e, const char *field, const char *q, const char *c, int matched)
{
	XGROW(e->ev, e->cap, e->n + 1);
	score_ev *v = &e->ev[e->n++];
	v->field = xstrdup(field);
	v->query = xstrdup(q);
	v->cand = xstrdup(c);
	v->matched = matched;
}

void score_evs_clear(score_evs *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->ev[i].field);
		free(e->ev[i].query);
		free(e->ev[i].cand);
	}
	free(e->ev);
	memset(e, 0, sizeof *e);
}

static void set_evidence(score_evs *e, const char *field, const char **a, size_t na,
			 const char **b, size_t nb)
{
	for (size_t i = 0; i < na; i++) {
		int hit = 0;
		for (size_t j = 0; j < nb && !hit; j++)
			hit = streq(a[i], b[j]);
		score_evs_add(e, field, a[i], hit ? a[i] : NULL, hit);
	}
	for (size_t j = 0; j < nb; j++) {
		int hit = 0;
		for (size_t i = 0; i < na && !hit; i++)
			hit = streq(a[i], b[j]);
		if (!hit)
			score_evs_add(e, field, NULL, b[j], 0);
	}
}

void score_evidence(const pm_signature *q, const pm_signature *c, const score_params *p,
		    score_evs *out)
{
	if (score_same_dump(q, c))
		score_evs_add(out, "dump", "code and four arguments", "code and four arguments", 1);
	else if (score_same_bucket(q, c))
		score_evs_add(out, "bucket", "program, exception code and fault site",
			      "program, exception code and fault site", 1);
	if (!q->bugcheck && !c->bugcheck && (q->exception_code || c->exception_code))
		score_evs_add(out, "exception", q->exception_code, c->exception_code,
			      streq(q->exception_code, c->exception_code));
	if (q->bugcheck || c->bugcheck) {
		if (score_code_family(q->bugcheck, c->bugcheck))
			score_evs_add(out, "bugcheck-family", q->bugcheck, c->bugcheck, 1);
		else
			score_evs_add(out, "bugcheck", q->bugcheck, c->bugcheck, streq(q->bugcheck, c->bugcheck));
	}
	if (same_ip_offset(q, c)) {
		int a = ip_arg(q->bugcheck), b = ip_arg(c->bugcheck);
		score_evs_add(out, "fault_ip", q->args[a], c->args[b], 1);
	}
	if (q->args[0] && c->args[0] && (streq(q->bugcheck, c->bugcheck) || score_code_family(q->bugcheck, c->bugcheck)))
		score_evs_add(out, "arg1", q->args[0], c->args[0], arg_eq(q->args[0], c->args[0]));
	/* frames: those of the query, found or not in the candidate (top 8
	 * kept frames: an engineer reads the top of a stack) */
	size_t lim = p->max_frames < 8 ? p->max_frames : 8;
	size_t *qi = xcalloc(lim ? lim : 1, sizeof(size_t));
	size_t *ci = xcalloc(p->max_frames ? p->max_frames : 1, sizeof(size_t));
	size_t n = kept(q, lim, qi), m = kept(c, p->max_frames, ci);
	for (size_t i = 0; i < n; i++) {
		const sig_frame *f = &q->frames[qi[i]];
		const char *found = NULL;
		for (size_t j = 0; j < m && !found; j++)
			if (frame_eq(f, &c->frames[ci[j]], p) > 0)
				found = c->frames[ci[j]].key;
		score_evs_add(out, "frame", f->key, found, found != NULL);
	}
	free(qi);
	free(ci);
	const char *a[SET_MAX], *b[SET_MAX];
	size_t na = tp_set(q, a, SET_MAX), nb = tp_set(c, b, SET_MAX);
	set_evidence(out, "module", a, na, b, nb);
	na = nb = 0;
	for (size_t i = 0; i < q->npool_tags && na < SET_MAX; i++)
		if (q->pool_tags[i].tag)
			a[na++] = q->pool_tags[i].tag;
	for (size_t i = 0; i < c->npool_tags && nb < SET_MAX; i++)
		if (c->pool_tags[i].tag)
			b[nb++] = c->pool_tags[i].tag;
	set_evidence(out, "pooltag", a, na, b, nb);
	const char *qc = score_culprit(q), *cc = score_culprit(c);
	/* a culprit only the case's (or the query's) text names says so */
	int prose = is_prose(q) || is_prose(c);
	if (qc || cc)
		score_evs_add(out, prose ? "culprit-text" : "culprit", qc, cc, streq(qc, cc));
	if (q->process && c->process)
		score_evs_add(out, "process", q->process, c->process, streq(q->process, c->process));
}

double score_evidence_total(const score_result *r, const score_params *p)
{
	if (r->same_dump)
		return r->total;
	if (r->same_bucket || r->same_text) {
		score_result t = *r;
		t.same_bucket = t.same_text = 0;
		double e = score_evidence_total(&t, p);
		return e > p->same_bucket ? e : p->same_bucket;
	}
	/* words are evidence for the rank first, cautiously for the verdict:
	 * the text part weighs text_verdict of its weight here */
	double num = 0, den = 0;
	for (int k = 0; k < SP_N; k++)
		if (r->unknown[k]) {
			den += part_weight(r, k, p) * p->unknown_weight;
		} else if (r->present[k]) {
			double w = part_weight(r, k, p) * (k == SP_TEXT ? p->text_verdict : 1.0);
			num += w * r->part[k];
			den += w;
		}
	if (den < p->min_evidence)
		den = p->min_evidence;
	double t = den > 0 ? num / den : 0;
	if (t > 1)
		t = 1;
	return r->bugcheck_only || r->process_only ? t * p->bugcheck_only : t;
}

static const char *const feat_names[CF_N] = {"score", "stack", "driver", "code", "fault_ip",
					      "process", "text", "margin", "weak", "thin", "text_only",
					      "code_diff"};

const char *conf_feat_name(conf_feat f)
{
	return f < CF_N ? feat_names[f] : "?";
}

void score_conf_features(const score_result *r, double vscore, double margin, double f[CF_N])
{
	for (int k = 0; k < CF_N; k++)
		f[k] = 0;
	f[CF_SCORE] = vscore;
#define PART(k) (r->present[k] ? r->part[k] : 0.0)
	f[CF_STACK] = PART(SP_STACK);
	f[CF_DRIVER] = PART(SP_CULPRIT) > PART(SP_MODULES) ? PART(SP_CULPRIT) : PART(SP_MODULES);
	if (r->kernel_culprit && PART(SP_MODULES) <= 0)
		f[CF_DRIVER] = 0;
	f[CF_CODE] = PART(SP_BUGCHECK);
	f[CF_FAULT_IP] = PART(SP_FAULT_IP);
	f[CF_PROCESS] = PART(SP_PROCESS);
	f[CF_TEXT] = PART(SP_TEXT);
#undef PART
	f[CF_MARGIN] = margin < 0 ? 0 : margin > 1 ? 1 : margin;
	f[CF_WEAK] = r->bugcheck_only || r->process_only;
	f[CF_THIN] = r->thin;
	int structured = 0, agrees = 0;
	for (int k = 0; k < SP_N; k++)
		if (k != SP_TEXT) {
			structured |= r->present[k] || r->unknown[k];
			agrees |= k != SP_BUGCHECK && r->present[k] && r->part[k] > 0;
		}
	f[CF_TEXT_ONLY] = structured ? 0 : f[CF_TEXT];
	f[CF_CODE_DIFF] = r->present[SP_BUGCHECK] && r->part[SP_BUGCHECK] <= 0 && !agrees;
}

verdict score_verdict(double best, double rule_score, const score_params *p, double *confidence)
{
	double conf = 1.0 / (1.0 + exp(-p->calib_k * (best - p->t_similar)));
	verdict v = best >= p->t_known ? VERDICT_KNOWN : best >= p->t_similar ? VERDICT_SIMILAR : VERDICT_NEW;
	if (rule_score >= 0) {
		/* a firing rule is a curated statement: known, at least 0.8 */
		double rc = 0.8 + 0.2 * (rule_score > 1 ? 1 : rule_score);
		if (rc > conf)
			conf = rc;
		v = VERDICT_KNOWN;
	}
	if (confidence)
		*confidence = conf;
	return v;
}
