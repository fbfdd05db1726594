/* test-cluster.c - root-cause clustering (matcher/cluster.h) on signatures
 * built by sig_build from hand-made analyses: similar stacks join across
 * bugcheck codes, unrelated ones stay apart, an analysis with nothing but a
 * bugcheck goes where its text or its case points, a "different" link is
 * never crossed and a "same" one joins, a key on too many stacks makes no
 * candidate pairs, and the work is bounded by n x partners. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../matcher/cluster.h"

typedef struct fixture {
	cl_item items[64];
	pm_signature sigs[64];
	size_t n;
} fixture;

/* Add an analysis of case_id: bugcheck (or NULL) and frames "mod!func". */
static size_t add(fixture *f, const char *case_id, int idx, const char *bugcheck, const char *frames[])
{
	pm_analysis a;
	memset(&a, 0, sizeof a);
	if (bugcheck)
		a.bugcheck_code = xstrdup(bugcheck);
	for (size_t i = 0; frames && frames[i]; i++) {
		pm_frame *fr = pm_analysis_add_frame(&a);
		const char *bang = strchr(frames[i], '!');
		fr->module = xstrndup(frames[i], (size_t)(bang - frames[i]));
		fr->function = xstrdup(bang + 1);
	}
	size_t k = f->n++;
	sig_build(&a, &f->sigs[k], NULL);
	pm_analysis_clear(&a);
	f->items[k] = (cl_item){.case_id = case_id, .analysis = idx, .sig = &f->sigs[k]};
	return k;
}

static void fixture_clear(fixture *f)
{
	for (size_t i = 0; i < f->n; i++) {
		sig_clear(&f->sigs[i]);
		for (size_t w = 0; w < f->items[i].nwords; w++)
			free(f->items[i].words[w]);
		free(f->items[i].words);
	}
}

static const char *ptos_fc[] = {"tcpip!Ipv4Global", "nwifi!Dot11SendCompletion", "nwifi!Pt6SendComplete",
				"ndis!ndisCallSendCompleteHandler", "vwifimf!FilterSendNetBufferListsComplete", NULL};
static const char *ptos_1e[] = {"nwifi!Dot11SendCompletion", "nwifi!Pt6SendComplete",
				"ndis!ndisCallSendCompleteHandler", "ndis!ndisInvokeNextSendCompleteHandler",
				"vwifimf!FilterSendNetBufferListsComplete", NULL};
static const char *npf[] = {"ndis!NdisFSendNetBufferLists", "npf!NPF_Write", "nt!NtWriteFile", NULL};
static const char *lwf[] = {"ndis!NdisFDeregisterFilterDriver", "lwfmgr!Unload", "nt!IopLoadDriver", NULL};

static void test_similar_weak_and_apart(void **state)
{
	(void)state;
	fixture f = {0};
	size_t fc = add(&f, "CAS-1", 0, "0xfc", ptos_fc);
	size_t e1 = add(&f, "CAS-1", 1, "0x1e", ptos_1e);
	size_t bare = add(&f, "CAS-1", 2, "0x50", NULL);  /* no text: its case */
	size_t d1 = add(&f, "CAS-2", 0, "0xd1", NULL);    /* its text names vwifimf */
	const char *text = "该dump bugcheck为0xD1，由于vwifimf filter driver将NBL传给nwifi.sys导致蓝屏";
	f.items[d1].words = cluster_text_words(text, strlen(text), &f.items[d1].nwords);
	size_t hw = add(&f, "CAS-2", 1, "0x7f", (const char *[]){"hwusbclient!Loop", NULL});
	size_t n1 = add(&f, "CAS-3", 0, "0x3b", npf);
	size_t l1 = add(&f, "CAS-4", 0, NULL, lwf);
	size_t lone = add(&f, "CAS-5", 0, "0xd1", NULL); /* no text, no other analysis */

	cl_opts o = {0};
	cl_result r;
	cluster_items(f.items, f.n, NULL, 0, &o, &r);
	assert_int_equal(r.cluster[fc], r.cluster[e1]);
	assert_int_equal(r.how[fc], CL_SIMILAR);
	assert_true(r.score[fc] >= score_defaults.t_similar);
	assert_int_equal(r.cluster[bare], r.cluster[fc]);
	assert_int_equal(r.how[bare], CL_CASE);
	assert_int_equal(r.cluster[d1], r.cluster[fc]);
	assert_int_equal(r.how[d1], CL_TEXT);
	assert_int_not_equal(r.cluster[hw], r.cluster[fc]);
	assert_int_not_equal(r.cluster[n1], r.cluster[fc]);
	assert_int_not_equal(r.cluster[l1], r.cluster[fc]);
	assert_int_not_equal(r.cluster[n1], r.cluster[l1]);
	assert_int_equal(r.how[lone], CL_ALONE);
	/* the biggest cluster is number 0 */
	assert_int_equal(r.cluster[fc], 0);
	assert_true(r.pairs_scored <= f.n * 30);
	cl_result_clear(&r);

	/* a different link is never crossed: the 0x1E goes apart */
	cl_link no[] = {{fc, e1, 0}};
	cluster_items(f.items, f.n, no, 1, &o, &r);
	assert_int_not_equal(r.cluster[fc], r.cluster[e1]);
	cl_result_clear(&r);
	/* a same link joins what nothing else would */
	cl_link yes[] = {{n1, l1, 1}};
	cluster_items(f.items, f.n, yes, 1, &o, &r);
	assert_int_equal(r.cluster[n1], r.cluster[l1]);
	assert_int_equal(r.how[n1], CL_FEEDBACK);
	cl_result_clear(&r);
	/* higher thresholds keep the two stacks apart (the lower one applies:
	 * they name vwifimf both) */
	o.threshold_shared = 0.99;
	cluster_items(f.items, f.n, NULL, 0, &o, &r);
	assert_true(r.score[fc] >= 0.5 || r.cluster[fc] != r.cluster[e1]);
	cl_result_clear(&r);
	o.threshold = 0.99;
	cluster_items(f.items, f.n, NULL, 0, &o, &r);
	assert_int_not_equal(r.cluster[fc], r.cluster[e1]);
	cl_result_clear(&r);
	fixture_clear(&f);
}

static void test_bounded_candidates(void **state)
{
	(void)state;
	fixture f = {0};
	/* 40 analyses sharing one third-party frame, otherwise alike */
	char names[40][32];
	for (int i = 0; i < 40; i++) {
		snprintf(names[i], sizeof names[i], "CAS-%02d", i);
		add(&f, names[i], 0, "0xd1", (const char *[]){"common!Send", "nwifi!Dot11SendCompletion", NULL});
	}
	cl_opts o = {.partners = 5};
	cl_result r;
	cluster_items(f.items, f.n, NULL, 0, &o, &r);
	assert_true(r.pairs_scored <= 40 * 5);
	assert_int_equal(r.ncl, 1);
	cl_result_clear(&r);
	/* keys held by more analyses than block_max make no pairs at all */
	o.block_max = 10;
	cluster_items(f.items, f.n, NULL, 0, &o, &r);
	assert_int_equal(r.pairs_scored, 0);
	assert_int_equal(r.ncl, 40);
	cl_result_clear(&r);
	fixture_clear(&f);
}

static void test_text_words(void **state)
{
	(void)state;
	const char *t = "bugcheck D1: nwifi.sys, NDIS.SYS和VWIFIMF.sys; ntoskrnl.exe 0xfffff80 ab";
	size_t n = 0;
	char **w = cluster_text_words(t, strlen(t), &n);
	int nwifi = 0, ndis = 0, vw = 0, nt = 0, hex = 0;
	for (size_t i = 0; i < n; i++) {
		nwifi |= !strcmp(w[i], "nwifi");
		ndis |= !strcmp(w[i], "ndis");
		vw |= !strcmp(w[i], "vwifimf");
		nt |= !strcmp(w[i], "nt");
		hex |= !strcmp(w[i], "ab");
		free(w[i]);
	}
	free(w);
	assert_true(nwifi && ndis && vw && nt);
	assert_false(hex);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_similar_weak_and_apart),
		cmocka_unit_test(test_bounded_candidates),
		cmocka_unit_test(test_text_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
