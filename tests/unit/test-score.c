/* test-score.c - the structured similarity on hand-built signatures (real
 * seed stacks): alignment, top and rarity weights, skip list, bugcheck as a
 * weak part, evidence, text, verdict thresholds and confidence. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../matcher/score.h"
#include "sigfix.h"

static const score_params *P = &score_defaults;

static void test_identical_and_disjoint(void **st)
{
	(void)st;
	pm_signature *a = fix_sig("0xd1", NULL, STACK_D1, "vwifimf", "Filt:vwifimf", NULL);
	pm_signature *b = fix_sig("0xd1", NULL, STACK_D1, "vwifimf", "Filt:vwifimf", NULL);
	pm_signature *n = fix_sig("0x3b", "0xc0000005", STACK_NPF, NULL, NULL, "npf");
	score_result r;
	assert_true(score_stack(a, b, P, NULL, NULL) > 0.999);
	double s = score_pair(a, b, -1, P, NULL, NULL, &r);
	assert_true(s > 0.95);
	assert_true(r.present[SP_STACK] && r.present[SP_MODULES] && r.present[SP_POOL] && r.present[SP_BUGCHECK]);
	assert_false(r.present[SP_TEXT]);
	s = score_pair(a, n, -1, P, NULL, NULL, &r);
	/* npf shares only the skipped nt!KeBugCheckEx: nothing */
	assert_true(r.part[SP_STACK] < 0.01);
	assert_true(s < 0.05);
	fix_free(a);
	fix_free(b);
	fix_free(n);
}

/* One cause across bugchecks: the FC and 1E stacks of vwifimf are closer to
 * the D1 stack than the npf or lwfmgr stacks are, and a different bugcheck
 * costs little. */
static void test_bugcheck_is_weak(void **st)
{
	(void)st;
	pm_signature *d1 = fix_sig("0xd1", NULL, STACK_D1, NULL, "Filt:vwifimf", NULL);
	pm_signature *fc = fix_sig("0xfc", NULL, STACK_FC, NULL, "Filt:vwifimf", NULL);
	pm_signature *e1 = fix_sig("0x1e", NULL, STACK_1E, NULL, "Filt:vwifimf", NULL);
	pm_signature *npf = fix_sig("0x3b", NULL, STACK_NPF, NULL, NULL, "npf");
	pm_signature *lwf = fix_sig("0x7e", NULL, STACK_LWF, NULL, NULL, NULL);
	pm_signature *d1npf = fix_sig("0xd1", NULL, STACK_NPF, NULL, NULL, "npf");
	double s_fc = score_pair(fc, d1, -1, P, NULL, NULL, NULL);
	double s_1e = score_pair(e1, d1, -1, P, NULL, NULL, NULL);
	double s_npf = score_pair(npf, d1, -1, P, NULL, NULL, NULL);
	double s_lwf = score_pair(lwf, d1, -1, P, NULL, NULL, NULL);
	/* (whether that is "similar" is the calibration's call: the
	 * threshold comes from labelled data, docs/matching.md) */
	assert_true(s_fc > s_npf + 0.3);
	assert_true(s_1e > s_lwf + 0.3);
	/* the same bugcheck on another stack does not make it similar */
	assert_true(score_pair(d1npf, d1, -1, P, NULL, NULL, NULL) < P->t_similar);
	assert_true(score_pair(d1npf, d1, -1, P, NULL, NULL, NULL) < s_fc - 0.2);
	fix_free(d1); fix_free(fc); fix_free(e1); fix_free(npf); fix_free(lwf); fix_free(d1npf);
}

/* Frames near the top weigh more: sharing the top frame beats sharing a
 * frame further down. */
static void test_top_weighs_more(void **st)
{
	(void)st;
	pm_signature *q = fix_sig("0x1", NULL, "a!f1 a!f2 a!f3 a!f4 a!f5 a!f6 a!f7 a!f8", NULL, NULL, NULL);
	pm_signature *top = fix_sig("0x1", NULL, "a!f1 b!g2 b!g3 b!g4 b!g5 b!g6 b!g7 b!g8", NULL, NULL, NULL);
	pm_signature *bot = fix_sig("0x1", NULL, "b!g1 b!g2 b!g3 b!g4 b!g5 b!g6 b!g7 a!f8", NULL, NULL, NULL);
	double st_top = score_stack(q, top, P, NULL, NULL), st_bot = score_stack(q, bot, P, NULL, NULL);
	assert_true(st_top > 0);
	assert_true(st_bot > 0);
	assert_true(st_top > 1.5 * st_bot);
	/* the same frames shifted down by one align, a little below identical */
	pm_signature *shift = fix_sig("0x1", NULL, "x!y a!f1 a!f2 a!f3 a!f4 a!f5 a!f6 a!f7", NULL, NULL, NULL);
	double s = score_stack(q, shift, P, NULL, NULL);
	assert_true(s > 0.6 && s < 0.95);
	/* order matters: reversed stacks align one frame at best */
	pm_signature *rev = fix_sig("0x1", NULL, "a!f8 a!f7 a!f6 a!f5 a!f4 a!f3 a!f2 a!f1", NULL, NULL, NULL);
	assert_true(score_stack(q, rev, P, NULL, NULL) < 0.3);
	fix_free(q); fix_free(top); fix_free(bot); fix_free(shift); fix_free(rev);
}

/* Rare frames weigh more than frames every stack has (IDF from the kb). */
static double fake_idf(void *ctx, const char *key, uint32_t fold)
{
	(void)ctx;
	/* a hash handed over is the key's own (match.c's rarity cache
	 * places keys by it) */
	if (fold)
		assert_int_equal(fold, sig_fold_hash(key));
	return strncmp(key, "nt!", 3) == 0 ? 0.1 : 1.0;
}

static void test_rarity(void **st)
{
	(void)st;
	pm_signature *q = fix_sig("0x1", NULL, "nt!Common1 drv!Rare nt!Common2", NULL, NULL, NULL);
	pm_signature *common = fix_sig("0x1", NULL, "nt!Common1 other!X nt!Common2", NULL, NULL, NULL);
	pm_signature *rare = fix_sig("0x1", NULL, "zz!A drv!Rare zz!B", NULL, NULL, NULL);
	/* without rarity, sharing two frames beats sharing one */
	assert_true(score_stack(q, common, P, NULL, NULL) > score_stack(q, rare, P, NULL, NULL));
	/* with it, the one rare frame wins */
	assert_true(score_stack(q, rare, P, fake_idf, NULL) > score_stack(q, common, P, fake_idf, NULL));
	fix_free(q); fix_free(common); fix_free(rare);
}

/* Skipped frames (bugcheck and trap plumbing) never count. */
static void test_skip_list(void **st)
{
	(void)st;
	pm_signature *a = fix_sig("0x1", NULL, "-nt!KeBugCheckEx -nt!KiPageFault x!A", NULL, NULL, NULL);
	pm_signature *b = fix_sig("0x1", NULL, "-nt!KeBugCheckEx -nt!KiPageFault y!B", NULL, NULL, NULL);
	assert_true(score_stack(a, b, P, NULL, NULL) == 0);
	pm_signature *only = fix_sig(NULL, NULL, "-nt!KeBugCheckEx", NULL, NULL, NULL);
	score_result r;
	score_pair(only, a, -1, P, NULL, NULL, &r);
	assert_false(r.present[SP_STACK]);
	assert_true(r.total == 0);
	fix_free(a); fix_free(b); fix_free(only);
}

/* Unsymbolised frames of one third-party module at other offsets get the
 * partial credit p->unsym; the same offset is the same frame. */
static void test_unsymbolised(void **st)
{
	(void)st;
	pm_signature *a = fix_sig("0x7e", NULL, "lwfmgr+0x5167", NULL, NULL, NULL);
	pm_signature *b = fix_sig("0x7e", NULL, "lwfmgr+0x5200", NULL, NULL, NULL);
	/* one frame each: the stack part is scaled by short_stack */
	double s = score_stack(a, b, P, NULL, NULL);
	double want = P->unsym * P->short_stack;
	assert_true(s > want - 0.01 && s < want + 0.01);
	score_params half = score_defaults;
	half.unsym = 0.5;
	half.short_stack = 1;
	s = score_stack(a, b, &half, NULL, NULL);
	assert_true(s > 0.49 && s < 0.51);
	assert_true(score_stack(a, a, &half, NULL, NULL) > 0.999);
	/* an inbox module's unsymbolised frames get nothing at other offsets */
	pm_signature *c = fix_sig("0x7e", NULL, "ndis+0x10", NULL, NULL, NULL);
	pm_signature *d = fix_sig("0x7e", NULL, "ndis+0x20", NULL, NULL, NULL);
	assert_true(score_stack(c, d, &half, NULL, NULL) == 0);
	fix_free(a); fix_free(b); fix_free(c); fix_free(d);
}

static void test_params_parse(void **st)
{
	(void)st;
	score_params p = score_defaults;
	char err[128];
	assert_int_equal(score_params_parse("stack=0.7,bugcheck=0,t_similar=0.4,max_frames=8", &p, err, sizeof err), 0);
	assert_true(p.weight[SP_STACK] == 0.7 && p.weight[SP_BUGCHECK] == 0);
	assert_true(p.t_similar == 0.4 && p.max_frames == 8);
	assert_int_equal(score_params_parse("colour=1", &p, err, sizeof err), -1);
	assert_non_null(strstr(err, "unknown parameter 'colour'"));
	assert_int_equal(score_params_parse("stack=x", &p, err, sizeof err), -1);
	assert_int_equal(score_params_parse("stack", &p, err, sizeof err), -1);
	assert_int_equal(score_params_parse("stack=-1", &p, err, sizeof err), -1);
}

/* A query with little in it cannot reach a high score: a lone bugcheck
 * is never "known". */
static void test_min_evidence(void **st)
{
	(void)st;
	pm_signature *q = fix_sig("0x50", "0xffffffffffffffe8", NULL, NULL, NULL, NULL);
	pm_signature *c = fix_sig("0x50", "0xffffffffffffffe8", STACK_D1, NULL, NULL, NULL);
	score_result r;
	double s = score_pair(q, c, -1, P, NULL, NULL, &r);
	assert_true(r.part[SP_BUGCHECK] == 1.0);
	assert_true(s <= P->weight[SP_BUGCHECK] / P->min_evidence + 1e-9);
	assert_true(s < P->t_known);
	fix_free(q); fix_free(c);
}

static void test_evidence(void **st)
{
	(void)st;
	pm_signature *q = fix_sig("0xfc", NULL, STACK_FC, "vwifimf", "Filt:vwifimf", NULL);
	pm_signature *c = fix_sig("0xd1", NULL, STACK_D1, "vwifimf netwtw08", "Filt:vwifimf", NULL);
	score_evs ev = {0};
	score_evidence(q, c, P, &ev);
	int bc = 0, dot11 = 0, ipv4 = 0, mod = 0, net = 0, tag = 0;
	for (size_t i = 0; i < ev.n; i++) {
		score_ev *e = &ev.ev[i];
		if (!strcmp(e->field, "bugcheck"))
			bc = !e->matched && !strcmp(e->query, "0xfc") && !strcmp(e->cand, "0xd1");
		if (!strcmp(e->field, "frame") && !strcmp(e->query, "nwifi!Dot11SendCompletion"))
			dot11 = e->matched;
		if (!strcmp(e->field, "frame") && !strcmp(e->query, "tcpip!Ipv4Global"))
			ipv4 = !e->matched && !e->cand;
		if (!strcmp(e->field, "module") && e->query && !strcmp(e->query, "vwifimf"))
			mod = e->matched;
		if (!strcmp(e->field, "module") && e->cand && !strcmp(e->cand, "netwtw08"))
			net = !e->matched && !e->query;
		if (!strcmp(e->field, "pooltag"))
			tag = e->matched;
	}
	assert_true(bc && dot11 && ipv4 && mod && net && tag);
	score_evs_clear(&ev);
	fix_free(q); fix_free(c);
}

static void test_text(void **st)
{
	(void)st;
	const char *a = "vwifimf 把 NBL 的 pTOS 参数设置为空，引起蓝屏重启";
	const char *b = "卸载vwifimf.sys驱动，或请厂商排查为何把NBL的pTOS参数设置为空";
	const char *c = "升级过程第四阶段回滚并报错 0xc1900101";
	double ab = score_text_sim(a, b), ac = score_text_sim(a, c);
	assert_true(score_text_sim(a, a) > 0.999);
	assert_true(ab > 0.3);
	assert_true(ac < 0.1);
	assert_true(score_text_sim("", a) == 0);
	assert_true(score_text_sim(NULL, a) == 0);
	/* addresses are noise */
	assert_true(score_text_sim("fffff8032addb290 ffffe08f6fa3fb50", "fffff8032addb290 ffffe08f6fa3fb50") == 0);
	/* invalid UTF-8 does not crash and gives a number in range */
	double g = score_text_sim("\xff\xe4\xb8", "\xe4\xb8\xad\xe6\x96\x87");
	assert_true(g >= 0 && g <= 1);
}

/* A text counted once and compared with many gives what a pair gives,
 * to the last bit, also against a copy of the other's words placed in
 * memory of its own: the matcher counts the query's words once a match,
 * and a server's worker keeps a candidate's between matches. */
static void test_text_prepared(void **st)
{
	(void)st;
	const char *t[] = {"vwifimf 把 NBL 的 pTOS 参数设置为空，引起蓝屏重启",
			   "卸载vwifimf.sys驱动，或请厂商排查为何把NBL的pTOS参数设置为空",
			   "nt!KiPageFault e1d68x64!ContextCleanup e1d68x64 driver update driver update",
			   "Update the e1d68x64 driver; the driver was fixed in 12.19",
			   "fffff8032addb290", "!!", "", NULL};
	size_t n = sizeof t / sizeof *t;
	for (size_t i = 0; i < n; i++) {
		score_text *x = score_text_new(t[i]);
		assert_true((x == NULL) == (t[i] == NULL));
		for (size_t j = 0; j < n; j++) {
			double pair = score_text_sim(t[i], t[j]);
			score_text *y = score_text_new(t[j]);
			void *mem = y ? malloc(score_text_size(y)) : NULL;
			const score_text *kept = y ? score_text_place(y, mem) : NULL;
			double once = t[i] && *t[i] ? score_text_sim_text(x, y) : 0;
			double placed = t[i] && *t[i] ? score_text_sim_text(x, kept) : 0;
			assert_memory_equal(&pair, &once, sizeof pair);
			assert_memory_equal(&pair, &placed, sizeof pair);
			score_text_free(y);
			free(mem);
		}
		score_text_free(x);
	}
	score_text *x = score_text_new(t[2]), *y3 = score_text_new(t[3]), *y4 = score_text_new(t[4]);
	assert_true(score_text_sim_text(x, y3) > 0.2);
	assert_true(score_text_sim_text(x, y4) == 0);
	score_text_free(x);
	score_text_free(y3);
	score_text_free(y4);
}

static void test_verdict(void **st)
{
	(void)st;
	double conf;
	assert_int_equal(score_verdict(0.05, -1, P, &conf), VERDICT_NEW);
	assert_true(conf < 0.5);
	assert_int_equal(score_verdict(P->t_similar, -1, P, &conf), VERDICT_SIMILAR);
	assert_true(conf > 0.499 && conf < 0.501);
	assert_int_equal(score_verdict(P->t_known + 0.01, -1, P, &conf), VERDICT_KNOWN);
	assert_true(conf > 0.75);
	/* a firing rule makes it known whatever the similarity */
	assert_int_equal(score_verdict(0.0, 1.0, P, &conf), VERDICT_KNOWN);
	assert_true(conf >= 0.999);
	assert_int_equal(score_verdict(0.0, 0.5, P, &conf), VERDICT_KNOWN);
	assert_true(conf > 0.89 && conf < 0.91);
	/* monotone */
	double prev = -1;
	for (double s = 0; s <= 1.0; s += 0.05) {
		score_verdict(s, -1, P, &conf);
		assert_true(conf >= prev);
		prev = conf;
	}
	assert_string_equal(verdict_name(VERDICT_SIMILAR), "similar");
}


/* Arg1 agreement weighs the rarity of (code, Arg1): c0000005 under 0x1e,
 * on most reports, earns little; the rarity key names the code and Arg1. */
static double arg_idf(void *ctx, const char *key, uint32_t fold)
{
	(void)ctx;
	(void)fold;
	if (!strncmp(key, SCORE_ARGKEY, strlen(SCORE_ARGKEY)))
		return strstr(key, "c0000005") ? 0.1 : 1.0;
	return 1.0;
}

static void test_arg_rarity(void **st)
{
	(void)st;
	pm_signature *q = fix_sig("0x1e", "0xc0000005", NULL, NULL, NULL, NULL);
	pm_signature *c = fix_sig("0x1e", "0xC0000005", NULL, NULL, NULL, NULL);
	pm_signature *q2 = fix_sig("0x1e", "0x80000003", NULL, NULL, NULL, NULL);
	pm_signature *c2 = fix_sig("0x1e", "80000003", NULL, NULL, NULL, NULL);
	score_result r, r2;
	score_pair(q, c, -1, P, arg_idf, NULL, &r);
	score_pair(q2, c2, -1, P, arg_idf, NULL, &r2);
	assert_true(r.part[SP_BUGCHECK] < 0.75); /* 0.7 + 0.3 x 0.1 */
	assert_true(r2.part[SP_BUGCHECK] > 0.99); /* leading 0x and case do not matter */
	char *k = score_arg_key(q);
	assert_string_equal(k, SCORE_ARGKEY "0x1e/c0000005");
	free(k);
	/* agreement on the bugcheck alone is flagged, and the verdict's score
	 * stays below t_similar even when Arg1 is rare */
	assert_true(r2.bugcheck_only);
	assert_true(score_evidence_total(&r2, P) < P->t_similar);
	double conf;
	assert_int_equal(score_verdict(score_evidence_total(&r2, P), -1, P, &conf), VERDICT_NEW);
	fix_free(q); fix_free(c); fix_free(q2); fix_free(c2);
}

/* One dump posted twice: code and four arguments equal, one an address. */
static void test_same_dump(void **st)
{
	(void)st;
	pm_signature *q = fix_sig("0x50", "0xffffffffffffffe8", NULL, NULL, NULL, NULL);
	pm_signature *c = fix_sig("0x50", "ffffffffffffffe8", NULL, NULL, NULL, NULL);
	const char *a[3] = {"0", "fffff8057b5694fd", "2"};
	for (int i = 0; i < 3; i++) {
		q->args[i + 1] = strdup(a[i]);
		c->args[i + 1] = strdup(a[i]);
	}
	score_result r;
	double s = score_pair(q, c, -1, P, NULL, NULL, &r);
	assert_true(r.same_dump);
	assert_true(s >= 0.95);
	assert_false(r.bugcheck_only);
	char *k = sig_dump_key(q);
	assert_string_equal(k, "0x50/ffffffffffffffe8/0/fffff8057b5694fd/2");
	free(k);
	/* another address: not the same dump, but the fault address sits at
	 * the same offset of its page (another load address) */
	free(c->args[2]);
	c->args[2] = strdup("fffff8033c1a94fd");
	s = score_pair(q, c, -1, P, NULL, NULL, &r);
	assert_false(r.same_dump);
	assert_true(r.present[SP_FAULT_IP] && r.part[SP_FAULT_IP] == 1);
	/* small constants are no dump identity */
	pm_signature *x = fix_sig("0x7f", "8", NULL, NULL, NULL, NULL);
	pm_signature *y = fix_sig("0x7f", "8", NULL, NULL, NULL, NULL);
	for (int i = 1; i < 4; i++) {
		x->args[i] = strdup("0");
		y->args[i] = strdup("0");
	}
	assert_false(score_same_dump(x, y));
	/* an excerpt cut before its code: the four arguments, one an
	 * address, are still the dump's; two codes that differ are not */
	free(c->args[2]);
	c->args[2] = strdup("fffff8057b5694fd");
	free(c->bugcheck);
	c->bugcheck = NULL;
	assert_true(score_same_dump(q, c));
	c->bugcheck = strdup("0xd1");
	assert_false(score_same_dump(q, c));
	fix_free(q); fix_free(c); fix_free(x); fix_free(y);
}

/* Codes of one family earn part of the bugcheck part. */
static void test_code_family(void **st)
{
	(void)st;
	assert_true(score_code_family("0xa", "0xd1"));
	assert_true(score_code_family("0x1e", "0x3b"));
	assert_true(score_code_family("0x7e", "0x8e"));
	assert_true(score_code_family("0x50", "0xcc"));
	assert_false(score_code_family("0xd1", "0xd1"));
	assert_false(score_code_family("0xd1", "0x50"));
	assert_false(score_code_family(NULL, "0x50"));
	pm_signature *q = fix_sig("0xa", NULL, NULL, NULL, NULL, NULL);
	pm_signature *c = fix_sig("0xd1", NULL, NULL, NULL, NULL, NULL);
	score_result r;
	score_pair(q, c, -1, P, NULL, NULL, &r);
	assert_true(r.part[SP_BUGCHECK] > 0.3 && r.part[SP_BUGCHECK] < 0.7);
	score_evs ev = {0};
	score_evidence(q, c, P, &ev);
	assert_string_equal(ev.ev[0].field, "bugcheck-family");
	assert_true(ev.ev[0].matched);
	score_evs_clear(&ev);
	fix_free(q); fix_free(c);
}

/* A symbolised and an unsymbolised frame of one third-party driver (two
 * posts of one dump) earn symmix; a stack of one frame is not a full match. */
static void test_symmix_and_short(void **st)
{
	(void)st;
	pm_signature *a = fix_sig("0xd1", NULL, "acme!Send acme!Queue ndis!NdisSend", NULL, NULL, NULL);
	pm_signature *b = fix_sig("0xd1", NULL, "acme+0x7150 acme+0x66b0 ndis!NdisSend", NULL, NULL, NULL);
	pm_signature *n = fix_sig("0xd1", NULL, "other+0x7150 other+0x66b0 ndis!NdisSend", NULL, NULL, NULL);
	assert_true(score_stack(a, b, P, NULL, NULL) > score_stack(a, n, P, NULL, NULL) + 0.2);
	pm_signature *one = fix_sig("0xd1", NULL, "acme!Send", NULL, NULL, NULL);
	double s1 = score_stack(one, a, P, NULL, NULL);
	assert_true(s1 <= P->short_stack + 1e-9);
	/* a stored analysis without a stack neither agrees nor disagrees */
	pm_signature *bare = fix_sig("0xd1", NULL, NULL, "acme", NULL, NULL);
	score_result r;
	score_pair(a, bare, -1, P, NULL, NULL, &r);
	assert_false(r.present[SP_STACK]);
	assert_true(r.part[SP_MODULES] == 1);
	fix_free(a); fix_free(b); fix_free(n); fix_free(one); fix_free(bare);
}

/* One frame on both sides aligns in full whatever its rarity (the weights
 * cancel out): a short stack that shares only inbox frames weighs the
 * rarity of the rarest; a shared third-party frame keeps its credit. */
static double flat_idf(void *ctx, const char *key, uint32_t fold)
{
	(void)ctx;
	(void)fold;
	(void)key;
	return 0.3;
}

static void test_short_stack_rarity(void **st)
{
	(void)st;
	pm_signature *a = fix_sig("0x3b", NULL, "tcpip!TcpDeliverDataToClient", NULL, NULL, NULL);
	pm_signature *b = fix_sig("0x3b", NULL, "tcpip!TcpDeliverDataToClient", NULL, NULL, NULL);
	double s = score_stack(a, b, P, NULL, NULL);
	assert_true(s > P->short_stack - 1e-9 && s < P->short_stack + 1e-9);
	s = score_stack(a, b, P, flat_idf, NULL);
	assert_true(s > 0.3 * P->short_stack - 1e-9 && s < 0.3 * P->short_stack + 1e-9);
	pm_signature *c = fix_sig("0x3b", NULL, "acme!Send", NULL, NULL, NULL);
	pm_signature *d = fix_sig("0x3b", NULL, "acme!Send", NULL, NULL, NULL);
	s = score_stack(c, d, P, flat_idf, NULL);
	assert_true(s > P->short_stack - 1e-9 && s < P->short_stack + 1e-9);
	fix_free(a); fix_free(b); fix_free(c); fix_free(d);
}

/* What agrees between a query and its top case, as pmkb eval prints it
 * for scripts/calibrate.sh -f. */
static void test_conf_features(void **st)
{
	(void)st;
	double f[CF_N];
	/* another code and nothing structured agreeing: code_diff */
	pm_signature *a = fix_sig("0xd1", NULL, NULL, NULL, NULL, NULL);
	pm_signature *b = fix_sig("0x50", NULL, NULL, NULL, NULL, NULL);
	score_result r;
	score_pair(a, b, 0.2, P, NULL, NULL, &r);
	score_conf_features(&r, 0.1, 0.05, f);
	assert_true(f[CF_CODE_DIFF] == 1 && f[CF_TEXT_ONLY] == 0 && f[CF_CODE] == 0);
	assert_true(f[CF_SCORE] == 0.1 && f[CF_MARGIN] == 0.05 && f[CF_TEXT] > 0.19);
	assert_string_equal(conf_feat_name(CF_CODE_DIFF), "code_diff");
	/* the same driver under another code is not words alone */
	pm_signature *c = fix_sig("0xd1", NULL, "acme!Send", NULL, NULL, NULL);
	pm_signature *d = fix_sig("0x50", NULL, "acme!Send", NULL, NULL, NULL);
	score_pair(c, d, -1, P, NULL, NULL, &r);
	score_conf_features(&r, 0.3, 0.1, f);
	assert_true(f[CF_CODE_DIFF] == 0 && f[CF_STACK] > 0);
	/* a query with nothing structured: the text is all there is */
	pm_signature *e = fix_sig(NULL, NULL, NULL, NULL, NULL, NULL);
	score_pair(e, b, 0.3, P, NULL, NULL, &r);
	score_conf_features(&r, 0.05, 0, f);
	assert_true(f[CF_TEXT_ONLY] > 0.29 && f[CF_TEXT_ONLY] < 0.31 && f[CF_CODE_DIFF] == 0);
	fix_free(a); fix_free(b); fix_free(c); fix_free(d); fix_free(e);
}

/* The culprit (here the faulting image) is its own part. */
static void test_culprit(void **st)
{
	(void)st;
	pm_signature *q = fix_sig("0x3b", NULL, STACK_NPF, NULL, NULL, "npf");
	pm_signature *c = fix_sig("0x3b", NULL, NULL, NULL, NULL, "npf");
	pm_signature *d = fix_sig("0x3b", NULL, NULL, NULL, NULL, "acme");
	score_result r;
	score_pair(q, c, -1, P, NULL, NULL, &r);
	assert_true(r.present[SP_CULPRIT] && r.part[SP_CULPRIT] == 1);
	assert_false(r.bugcheck_only);
	score_pair(q, d, -1, P, NULL, NULL, &r);
	assert_true(r.part[SP_CULPRIT] == 0);
	assert_string_equal(score_part_name(SP_CULPRIT), "culprit");
	fix_free(q); fix_free(c); fix_free(d);
}

/* The same process name counts as rare as it is; a process on one side
 * only is no part; process and bugcheck alone stay bugcheck-only. */
static double proc_idf(void *ctx, const char *key, uint32_t fold)
{
	(void)ctx;
	(void)fold;
	if (!strncmp(key, SCORE_PROCKEY, strlen(SCORE_PROCKEY)))
		return !strcmp(key + strlen(SCORE_PROCKEY), "commonapp.exe") ? 0.25 : 1.0;
	return 1.0;
}

static void test_process(void **st)
{
	(void)st;
	pm_signature *q = fix_sig("0x3b", NULL, NULL, NULL, NULL, NULL);
	pm_signature *c = fix_sig("0x3b", NULL, NULL, NULL, NULL, NULL);
	pm_signature *d = fix_sig("0x3b", NULL, NULL, NULL, NULL, NULL);
	q->process = strdup("vendorapp.exe");
	c->process = strdup("vendorapp.exe");
	d->process = strdup("other.exe");
	score_result r;
	score_pair(q, c, -1, P, proc_idf, NULL, &r);
	assert_true(r.present[SP_PROCESS] && r.part[SP_PROCESS] == 1);
	assert_true(r.bugcheck_only); /* a process and the code are not a cause */
	assert_true(r.process_only);
	assert_true(score_evidence_total(&r, P) < P->t_similar);
	double same = r.total;
	score_pair(q, d, -1, P, proc_idf, NULL, &r);
	assert_true(r.present[SP_PROCESS] && r.part[SP_PROCESS] == 0);
	assert_true(r.total < same);
	free(q->process), free(c->process);
	q->process = strdup("commonapp.exe");
	c->process = strdup("commonapp.exe");
	score_pair(q, c, -1, P, proc_idf, NULL, &r);
	assert_true(r.part[SP_PROCESS] > 0.4999 && r.part[SP_PROCESS] < 0.5001); /* sqrt(0.25): mod_rarity 0.5 */
	free(q->process), free(c->process);
	/* the kernel's own process says nothing of the cause, however rare
	 * the index thinks it is */
	q->process = strdup("system");
	c->process = strdup("System");
	score_pair(q, c, -1, P, NULL, NULL, &r);
	assert_false(r.present[SP_PROCESS]);
	free(d->process);
	d->process = NULL;
	score_pair(q, d, -1, P, proc_idf, NULL, &r);
	assert_false(r.present[SP_PROCESS]);
	assert_string_equal(score_part_name(SP_PROCESS), "process");
	fix_free(q); fix_free(c); fix_free(d);
}

/* Two application crashes: the same rare exception code is their code;
 * a common one (an access violation) or two that differ say nothing; a
 * kernel case is not compared on it */
static void test_exception_code(void **st)
{
	(void)st;
	pm_signature *q = fix_sig(NULL, NULL, NULL, NULL, NULL, NULL);
	pm_signature *c = fix_sig(NULL, NULL, NULL, NULL, NULL, NULL);
	q->process = strdup("vendorapp.exe");
	c->process = strdup("vendorapp.exe");
	q->exception_code = strdup("0xc00000fd");
	c->exception_code = strdup("0xc00000fd");
	score_result r;
	score_pair(q, c, -1, P, proc_idf, NULL, &r);
	assert_true(r.present[SP_BUGCHECK] && r.part[SP_BUGCHECK] == 1);
	double same = r.total;
	free(c->exception_code);
	c->exception_code = strdup("0xc0000005");
	score_pair(q, c, -1, P, proc_idf, NULL, &r);
	assert_false(r.present[SP_BUGCHECK]);
	assert_true(r.total <= same);
	free(q->exception_code);
	q->exception_code = strdup("0xc0000005");
	score_pair(q, c, -1, P, proc_idf, NULL, &r);
	assert_false(r.present[SP_BUGCHECK]);
	/* one program, one code, one fault site: WER's bucket */
	pm_signature *u = fix_sig(NULL, NULL, "vendorapp+0x3654", NULL, NULL, NULL);
	pm_signature *v = fix_sig(NULL, NULL, "vendorapp+0x3654", NULL, NULL, NULL);
	u->process = strdup("VendorApp.exe");
	v->process = strdup("vendorapp.exe");
	u->exception_code = strdup("0xc0000005");
	v->exception_code = strdup("0xc0000005");
	score_pair(u, v, -1, P, proc_idf, NULL, &r);
	assert_true(r.same_bucket);
	assert_false(r.bugcheck_only || r.process_only);
	assert_true(r.total >= P->same_bucket && score_evidence_total(&r, P) >= P->same_bucket);
	assert_true(score_evidence_total(&r, P) < P->t_known);
	free(v->exception_code);
	v->exception_code = strdup("0xc0000409");
	score_pair(u, v, -1, P, proc_idf, NULL, &r);
	assert_false(r.same_bucket);
	fix_free(u); fix_free(v);
	u = fix_sig(NULL, NULL, "vendorapp+0x0", NULL, NULL, NULL);
	v = fix_sig(NULL, NULL, "vendorapp+0x0", NULL, NULL, NULL);
	u->process = strdup("vendorapp.exe");
	v->process = strdup("vendorapp.exe");
	u->exception_code = strdup("0xc0000005");
	v->exception_code = strdup("0xc0000005");
	score_pair(u, v, -1, P, proc_idf, NULL, &r);
	assert_false(r.same_bucket); /* an offset of 0: WER could not place it */
	/* ... but WER's own bucket number, the same on both, is its bucket */
	u->failure_bucket = strdup("1076040974");
	v->failure_bucket = strdup("1076040974");
	score_pair(u, v, -1, P, proc_idf, NULL, &r);
	assert_true(r.same_bucket);
	free(v->failure_bucket);
	v->failure_bucket = strdup("1076040975");
	score_pair(u, v, -1, P, proc_idf, NULL, &r);
	assert_false(r.same_bucket);
	/* a .NET exception raised in KernelBase: every crash of the program
	 * shares that site, so it is no bucket */
	{
		pm_signature *x = fix_sig(NULL, NULL, "kernelbase+0x2cd29", NULL, NULL, NULL);
		pm_signature *y = fix_sig(NULL, NULL, "kernelbase+0x2cd29", NULL, NULL, NULL);
		x->process = strdup("acme.exe");
		y->process = strdup("acme.exe");
		x->exception_code = strdup("0xe0434352");
		y->exception_code = strdup("0xe0434352");
		score_pair(x, y, -1, P, proc_idf, NULL, &r);
		assert_false(r.same_bucket);
		free(x->exception_code);
		free(y->exception_code);
		x->exception_code = strdup("0xc0000005");
		y->exception_code = strdup("0xc0000005");
		score_pair(x, y, -1, P, proc_idf, NULL, &r);
		assert_true(r.same_bucket); /* an access violation there is a place */
		fix_free(x);
		fix_free(y);
	}
	/* a kernel bucket's words are no WER number */
	free(u->failure_bucket);
	free(v->failure_bucket);
	u->failure_bucket = strdup("AV_vendorapp!Run");
	v->failure_bucket = strdup("AV_vendorapp!Run");
	score_pair(u, v, -1, P, proc_idf, NULL, &r);
	assert_false(r.same_bucket);
	fix_free(u); fix_free(v);
	pm_signature *k = fix_sig("0x3b", NULL, NULL, NULL, NULL, NULL);
	k->exception_code = strdup("0xc0000005");
	score_pair(q, k, -1, P, proc_idf, NULL, &r);
	assert_false(r.present[SP_BUGCHECK]);
	fix_free(q); fix_free(c); fix_free(k);
}

/* A query with no stack (a bugcheck line and the driver its prose names)
 * against a case that shares only the code and one that shows the driver
 * but prints no code (a stack pasted alone): the driver ranks first. A
 * case with no code neither agrees nor disagrees on it; two culprits that
 * are the kernel are no more evidence than the code. */
static void test_thin_code_only(void **st)
{
	(void)st;
	pm_signature *q = fix_sig("0xd1", NULL, NULL, "acmedrv", NULL, NULL);
	q->culprit = strdup("acmedrv");
	q->culprit_from = "prose";
	pm_signature *code = fix_sig("0xd1", NULL, NULL, NULL, NULL, NULL);
	pm_signature *drv = fix_sig(NULL, NULL, "acmedrv+0x1b70a", NULL, NULL, "acmedrv");
	score_result rc, rd;
	double s_code = score_pair(q, code, -1, P, NULL, NULL, &rc);
	double s_drv = score_pair(q, drv, -1, P, NULL, NULL, &rd);
	assert_true(rc.bugcheck_only && rc.thin);
	assert_false(rd.bugcheck_only);
	assert_true(rd.unknown[SP_BUGCHECK] && !rd.present[SP_BUGCHECK]);
	assert_true(s_drv > s_code);
	/* the rank weighs code-only agreement as the verdict does */
	rc.thin = 0;
	score_retotal(&rc, P);
	assert_true(rc.total * P->bugcheck_only > s_code - 1e-9 && rc.total * P->bugcheck_only < s_code + 1e-9);
	/* with a stack on the query the rank keeps the plain score */
	pm_signature *qs = fix_sig("0xd1", NULL, STACK_NPF, NULL, NULL, NULL);
	score_result rs;
	score_pair(qs, code, -1, P, NULL, NULL, &rs);
	assert_false(rs.thin);
	double plain = rs.total;
	rs.thin = 1;
	score_retotal(&rs, P);
	assert_true(rs.total < plain);
	/* the kernel blamed on both sides: still only the code */
	pm_signature *kq = fix_sig("0x1e", NULL, "nt!ExpInterlockedPopEntrySListFault", NULL, NULL, "nt");
	pm_signature *kc = fix_sig("0x1e", NULL, NULL, NULL, NULL, "nt");
	score_result rk;
	score_pair(kq, kc, -1, P, NULL, NULL, &rk);
	assert_true(rk.kernel_culprit && rk.part[SP_CULPRIT] > 0);
	assert_true(rk.bugcheck_only);
	fix_free(q); fix_free(code); fix_free(drv); fix_free(qs); fix_free(kq); fix_free(kc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identical_and_disjoint),
		cmocka_unit_test(test_bugcheck_is_weak),
		cmocka_unit_test(test_top_weighs_more),
		cmocka_unit_test(test_rarity),
		cmocka_unit_test(test_skip_list),
		cmocka_unit_test(test_unsymbolised),
		cmocka_unit_test(test_params_parse),
		cmocka_unit_test(test_min_evidence),
		cmocka_unit_test(test_evidence),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_verdict),
		cmocka_unit_test(test_arg_rarity),
		cmocka_unit_test(test_same_dump),
		cmocka_unit_test(test_code_family),
		cmocka_unit_test(test_symmix_and_short),
		cmocka_unit_test(test_short_stack_rarity),
		cmocka_unit_test(test_conf_features),
		cmocka_unit_test(test_text_prepared),
		cmocka_unit_test(test_culprit),
		cmocka_unit_test(test_process),
		cmocka_unit_test(test_exception_code),
		cmocka_unit_test(test_thin_code_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
