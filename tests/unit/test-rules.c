/* test-rules.c - the known-signature rules language: the shipped rules
 * parse and catch the seed root causes on hand-built signatures (real seed
 * stacks); bad rules are refused with file:line: reason, all or nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>

#include "../../matcher/rules.h"
#include "sigfix.h"

static const rule *fired(const ruleset *rs, const pm_signature *s)
{
	rule_result res;
	const rule *r = rules_best(rs, s, &res);
	rule_result_clear(&res);
	return r;
}

static void test_builtin_parses(void **st)
{
	(void)st;
	size_t len;
	const char *t = rules_builtin_text(&len);
	assert_true(len > 100);
	sbuf err = {0};
	ruleset *rs = NULL;
	int rc = rules_parse("data/rules.conf", t, len, &rs, &err);
	if (rc)
		print_error("%s", sb_str(&err));
	assert_int_equal(rc, 0);
	assert_true(rs->n >= 6);
	for (size_t i = 0; i < rs->n; i++) {
		assert_non_null(rs->rules[i].title);
		assert_non_null(rs->rules[i].steps_zh);
		assert_non_null(rs->rules[i].steps_en);
		assert_true(rs->rules[i].ncases >= 1);
	}
	rules_free(rs);
	sb_free(&err);
}

/* The vwifimf pTOS rule catches its four bugchecks and the bugcheck-less
 * 1803 stack, and nothing else of the seeds. */
static void test_vwifimf_all_forms(void **st)
{
	(void)st;
	ruleset *rs = rules_builtin();
	struct { const char *bc, *a1, *frames, *mods, *tags; } forms[] = {
		{"0xd1", NULL, STACK_D1, NULL, NULL},
		{"0xfc", NULL, STACK_FC, "vwifimf", "Filt:vwifimf"},
		{"0x1e", "0xffffffffc0000005", STACK_1E, NULL, "Filt:vwifimf"},
		{NULL, NULL, STACK_D1, "vwifimf netwtw08", "Filt:vwifimf"},
		{"0x50", "0xffffffffffffffe8", NULL, "vwifimf", NULL},
		{"0x50", "0xffffffffffffffe8", NULL, NULL, "Filt:vwifimf"},
	};
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		pm_signature *s = fix_sig(forms[i].bc, forms[i].a1, forms[i].frames, forms[i].mods, forms[i].tags, NULL);
		const rule *r = fired(rs, s);
		assert_non_null(r);
		assert_string_equal(r->cause, "vwifimf-nbl-ptos");
		fix_free(s);
	}
	/* a plain 0x50 elsewhere is not the vwifimf case */
	pm_signature *s = fix_sig("0x50", "0xfffff8057b5694fd", NULL, NULL, NULL, NULL);
	assert_null(fired(rs, s));
	fix_free(s);
	/* nor is a bare NULL-0x18 read: Dokan 0.7.4 (dokany#126) gives the same
	 * code and Arg1 in nt!ObQueryNameStringMode, with no vwifimf evidence */
	s = fix_sig("0x50", "0xffffffffffffffe8", NULL, NULL, NULL, NULL);
	assert_null(fired(rs, s));
	fix_free(s);
	s = fix_sig("0x50", "0xffffffffffffffe8", NULL, "dokan", NULL, NULL);
	assert_null(fired(rs, s));
	fix_free(s);
	rules_free(rs);
}

static void test_other_causes(void **st)
{
	(void)st;
	ruleset *rs = rules_builtin();
	struct { const char *bc, *a1, *frames, *mods, *tags, *image, *cause; } cases[] = {
		{"0x3b", "0xc0000005", STACK_NPF, NULL, NULL, "npf", "npf-send-while-paused"},
		{"0x7e", NULL, STACK_LWF, NULL, NULL, NULL, "lwfmgr-null-filter-handle-deregister"},
		{NULL, NULL, STACK_LWF, NULL, NULL, NULL, "lwfmgr-null-filter-handle-deregister"},
		{"0xc4", "0xf6", STACK_C4, NULL, NULL, NULL, "gscfmgr-c4-user-handle-kernelmode"},
		{"0x139", "0x3", "-nt!KeBugCheckEx -nt!KiFastFailDispatch nt!RemoveHeadList nt!FsRtlTeardownPerFileContexts",
		 NULL, "Filt:vwifimf FSfc", NULL, "vwifimf-pool-overrun-list-entry"},
		{"0x7f", "0x8", NULL, "hwusbclient", NULL, NULL, "hwusbclient-irp-loop-double-fault"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		pm_signature *s = fix_sig(cases[i].bc, cases[i].a1, cases[i].frames, cases[i].mods,
					  cases[i].tags, cases[i].image);
		const rule *r = fired(rs, s);
		assert_non_null(r);
		assert_string_equal(r->cause, cases[i].cause);
		fix_free(s);
	}
	/* C4 with another Arg1 is not the gscfmgr handle case (require arg1) */
	pm_signature *s = fix_sig("0xc4", "0xe3", STACK_C4, NULL, NULL, NULL);
	assert_null(fired(rs, s));
	fix_free(s);
	/* 0x139 without the Filt block is not the vwifimf overrun (require pooltag) */
	s = fix_sig("0x139", "0x3", "-nt!KeBugCheckEx nt!RemoveHeadList", NULL, "FSfc", NULL);
	assert_null(fired(rs, s));
	fix_free(s);
	rules_free(rs);
}

static ruleset *parse_ok(const char *text)
{
	sbuf err = {0};
	ruleset *rs = NULL;
	int rc = rules_parse("t.conf", text, strlen(text), &rs, &err);
	if (rc)
		print_error("%s", sb_str(&err));
	assert_int_equal(rc, 0);
	sb_free(&err);
	return rs;
}

/* parse must fail with exactly this "t.conf:LINE: reason" prefix */
static void parse_bad(const char *text, const char *want)
{
	sbuf err = {0};
	ruleset *rs = (ruleset *)1;
	int rc = rules_parse("t.conf", text, strlen(text), &rs, &err);
	assert_int_equal(rc, -1);
	assert_null(rs);
	if (!strstr(sb_str(&err), want))
		print_error("got: %s\nwant: %s\n", sb_str(&err), want);
	assert_non_null(strstr(sb_str(&err), want));
	sb_free(&err);
}

static void test_frame_top_glob_skip(void **st)
{
	(void)st;
	ruleset *rs = parse_ok("# glob within the top 2 kept frames\n"
			       "[rule t]\ntitle = t\nframe = nwifi!Dot11*\nframe.top = 2\n");
	/* kept frames of STACK_D1: Dot11SendCompletion is the first kept one */
	pm_signature *s = fix_sig("0xd1", NULL, STACK_D1, NULL, NULL, NULL);
	assert_non_null(fired(rs, s));
	fix_free(s);
	/* FC: tcpip!Ipv4Global, then Dot11SendCompletion: kept frame 2 */
	s = fix_sig("0xfc", NULL, STACK_FC, NULL, NULL, NULL);
	assert_non_null(fired(rs, s));
	fix_free(s);
	/* 1E: KiFatalFilter, 0x3200360035, then Dot11...: kept frame 3 */
	s = fix_sig("0x1e", NULL, STACK_1E, NULL, NULL, NULL);
	assert_null(fired(rs, s));
	fix_free(s);
	rules_free(rs);

	/* skipped frames never match, whatever the rule says */
	rs = parse_ok("[rule k]\ntitle = k\nframe = nt!KeBugCheckEx\n");
	s = fix_sig("0xd1", NULL, STACK_D1, NULL, NULL, NULL);
	assert_null(fired(rs, s));
	fix_free(s);
	rules_free(rs);

	/* regular expression, case-insensitive, and an unsymbolised frame */
	rs = parse_ok("[rule r]\ntitle = r\nframe~ = ^LWFMGR\\+0x[0-9a-f]+$\n");
	s = fix_sig("0x7e", NULL, STACK_LWF, NULL, NULL, NULL);
	assert_non_null(fired(rs, s));
	fix_free(s);
	rules_free(rs);

	/* anchored expressions whose start is not a plain word: an optional
	 * or repeated letter, an alternation inside and outside parentheses,
	 * a bracket, any case (the literal start a frame must have before
	 * regexec runs is read from each) */
	const struct {
		const char *re, *stack;
		int fires;
	} re_cases[] = {
		{"^nwifi!Pt6?SendComplete", STACK_D1, 1},
		{"^NWIFI!PT6?SENDCOMPLETE$", STACK_D1, 1},
		{"^nwifi!Pt7?SendComplete", STACK_D1, 0},
		{"^nwifi!Pt6*SendComplete", STACK_D1, 1},
		{"^nwifi!Pt6{0,1}SendComplete", STACK_D1, 1},
		{"^nwifi!Pt66*SendComplete", STACK_D1, 1},
		{"^nwifi!Pt6X?SendComplete", STACK_D1, 1},
		{"^nwifi!Pt6X*SendComplete", STACK_D1, 1},
		{"^nwifi!Pt6X{0}SendComplete", STACK_D1, 1},
		{"^nwifi!Pt6+SendComplete", STACK_D1, 1},
		{"^(nwifi|vwifimf)[!+]", STACK_D1, 1},
		{"^zzz!x|^ndis!ndisCallSendCompleteHandler$", STACK_D1, 1},
		{"^zzz!x|ndis!ndisCall", STACK_D1, 1},
		{"^[n]wifi!Dot11", STACK_D1, 1},
		{"^n[w]ifi!Dot11", STACK_D1, 1},
		{"^nwifi\\!Dot11", STACK_D1, 1},
		{"^npf!NPF_Write", STACK_NPF, 1},
		{"^npf!NPF_Write", STACK_D1, 0},
		{"^nwifi!Dot11SendCompletionX", STACK_D1, 0},
	};
	for (size_t i = 0; i < sizeof re_cases / sizeof *re_cases; i++) {
		char *text = xasprintf("[rule r]\ntitle = r\nframe~ = %s\n", re_cases[i].re);
		rs = parse_ok(text);
		s = fix_sig("0xd1", NULL, re_cases[i].stack, NULL, NULL, NULL);
		if ((fired(rs, s) != NULL) != re_cases[i].fires)
			fail_msg("frame~ = %s: fired %d, want %d", re_cases[i].re, fired(rs, s) != NULL,
				 re_cases[i].fires);
		fix_free(s);
		rules_free(rs);
		free(text);
	}
}

static void test_weights_require_threshold(void **st)
{
	(void)st;
	ruleset *rs = parse_ok("[rule w]\ntitle = w\nbugcheck = 0x000000D1 0x1000007E\nmodule = VWIFIMF.SYS\n"
			       "weight = bugcheck 1 module 3\nthreshold = 0.7\n");
	const rule *r = &rs->rules[0];
	assert_string_equal(r->conds[0].values[0], "0xd1");
	assert_string_equal(r->conds[0].values[1], "0x7e"); /* folded */
	assert_string_equal(r->conds[1].values[0], "vwifimf");
	assert_true(r->conds[1].weight == 3);
	rule_result res;
	/* bugcheck alone: 1/4 < 0.7 */
	pm_signature *s = fix_sig("0xd1", NULL, NULL, NULL, NULL, NULL);
	rule_eval(r, s, &res);
	assert_false(res.fired);
	assert_true(res.score > 0.24 && res.score < 0.26);
	rule_result_clear(&res);
	fix_free(s);
	/* module alone: 3/4 >= 0.7 */
	s = fix_sig("0x50", NULL, NULL, "vwifimf", NULL, NULL);
	rule_eval(r, s, &res);
	assert_true(res.fired);
	assert_int_equal(res.hit[1], 1);
	assert_non_null(strstr(res.what[1], "vwifimf"));
	rule_result_clear(&res);
	fix_free(s);
	rules_free(rs);

	/* require: a required condition that fails stops the rule whatever the score */
	rs = parse_ok("[rule q]\ntitle = q\nbugcheck = 0xc4\narg1 = 0xf6\nmodule = gscfmgr\n"
		      "weight = module 10\nrequire = arg1\n");
	s = fix_sig("0xc4", "0xe3", NULL, "gscfmgr", NULL, NULL);
	rule_eval(&rs->rules[0], s, &res);
	assert_false(res.fired);
	assert_true(res.score > 0.8);
	rule_result_clear(&res);
	fix_free(s);
	/* pool tag with owner: tag and owner must agree when the owner is known */
	rules_free(rs);
	rs = parse_ok("[rule p]\ntitle = p\npooltag = Filt owner vwifimf.sys\n");
	s = fix_sig("0xd1", NULL, NULL, NULL, "Filt:other", NULL);
	assert_null(fired(rs, s));
	fix_free(s);
	s = fix_sig("0xd1", NULL, NULL, NULL, "Filt", NULL);
	assert_non_null(fired(rs, s));
	fix_free(s);
	s = fix_sig("0xd1", NULL, NULL, NULL, "filt:vwifimf", NULL); /* tags are case-sensitive */
	assert_null(fired(rs, s));
	fix_free(s);
	rules_free(rs);
}

static void test_multiline_steps_and_comments(void **st)
{
	(void)st;
	ruleset *rs = parse_ok("\xef\xbb\xbf; comment\r\n[rule m]\r\ntitle = 多行\r\n"
			       "steps.zh = 第一步\r\n  第二步\r\n\r\nsteps.en = one\n\ttwo\nmodule = x\ncases = A B\n");
	const rule *r = &rs->rules[0];
	assert_string_equal(r->steps_zh, "第一步\n第二步");
	assert_string_equal(r->steps_en, "one\ntwo");
	assert_string_equal(r->cause, "m");
	assert_int_equal(r->ncases, 2);
	assert_int_equal(r->nconds, 1);
	rules_free(rs);
}

static ruleset *parse_ok(const char *text);

static void test_errors(void **st)
{
	(void)st;
	parse_bad("[rule a]\ntitle = a\nmodule vwifimf\n", "t.conf:3: expected 'FIELD = VALUE'");
	parse_bad("[rule a]\ntitle = a\nmodule = x\ncolour = red\n", "t.conf:4: unknown field 'colour'");
	parse_bad("[rule a]\ntitle = a\nframe~ = ^nwifi!(Pt6\n", "t.conf:3: invalid regular expression");
	parse_bad("[rule a]\ntitle = a\nframe~ = a{2}b{2}c{2}d{2}e{2}\n", "t.conf:3: regular expression refused: more than 4");
	parse_bad("[rule a]\ntitle = a\nframe~ = x{1,30000}\n", "t.conf:3: regular expression refused: a repetition bound above 64");
	parse_bad("[rule a]\ntitle = a\nframe~ = ((a{64}){64}){2}\n", "t.conf:3: regular expression refused: bounded repetitions");
	parse_bad("[rule a]\ntitle = a\nframe~ = ^(n*****wifi)\n", "t.conf:3: regular expression refused: a repetition operator right after another");
	parse_bad("[rule a]\ntitle = a\nframe~ = a{2}*\n", "t.conf:3: regular expression refused: a repetition operator right after another");
	ruleset *ok = parse_ok("[rule a]\ntitle = a\nframe~ = ^lwfmgr\\+0x[0-9a-f]{1,8}$\n");
	rules_free(ok);
	parse_bad("[rule a]\ntitle = a\nmodule = x\n\n[rule a]\ntitle = b\nmodule = y\n",
		  "t.conf:5: duplicate rule id 'a' (first at line 1)");
	parse_bad("module = x\n", "t.conf:1: 'module' outside of a [rule ID] block");
	parse_bad("[rule a]\ntitle = a\n", "t.conf:1: rule 'a' has no condition");
	parse_bad("[rule a]\ntitle = a\nmodule = x\nweight = frame 2\n",
		  "t.conf:4: weight for 'frame', which rule 'a' has no condition on");
	parse_bad("[rule a]\ntitle = a\nmodule = x\nrequire = pooltag\n",
		  "t.conf:4: require names 'pooltag', which rule 'a' has no condition on");
	parse_bad("[rule a]\ntitle = a\nbugcheck = 0xzz\n", "t.conf:3: '0xzz' is not a hexadecimal number");
	parse_bad("[rule a]\ntitle = a\nmodule = x\nthreshold = 2\n", "t.conf:4: threshold '2' is not a number");
	parse_bad("[rule a b]\ntitle = a\nmodule = x\n", "t.conf:1: invalid rule id 'a b'");
	parse_bad("[rules a]\n", "t.conf:1: unknown section");
	parse_bad("[rule a]\ntitle = a\npooltag = Filter\n", "t.conf:3: pool tag 'Filter' is longer than 4");
	parse_bad("[rule a]\ntitle = a\nmodule =\n", "t.conf:3: empty value for 'module'");
	parse_bad("[rule a]\ntitle = a\nmodule = x\n  dangling\n", "t.conf:4: continuation line");
	parse_bad("[rule a]\ntitle = \xff\xfe\n", "t.conf:1: not valid UTF-8");
	/* every error is reported, not only the first */
	sbuf err = {0};
	ruleset *rs;
	const char *two = "[rule a]\ntitle = a\nfoo = 1\nbar = 2\nmodule = x\n";
	assert_int_equal(rules_parse("t.conf", two, strlen(two), &rs, &err), -1);
	assert_non_null(strstr(sb_str(&err), "t.conf:3:"));
	assert_non_null(strstr(sb_str(&err), "t.conf:4:"));
	sb_free(&err);
}

/* A refused file leaves the rules in force as they were. */
static void test_replace_keeps_old(void **st)
{
	(void)st;
	ruleset *cur = rules_builtin();
	size_t n = cur->n;
	ruleset *before = cur;
	FILE *f = fopen("test-rules-bad.conf", "w");
	assert_non_null(f);
	fputs("[rule x]\ntitle = x\nframe~ = (\n", f);
	fclose(f);
	sbuf err = {0};
	pm_status ex = PM_OK;
	assert_int_equal(rules_replace(&cur, "test-rules-bad.conf", &err, &ex), -1);
	assert_int_equal(ex, PM_BAD_DATA);
	assert_ptr_equal(cur, before);
	assert_int_equal(cur->n, n);
	assert_non_null(strstr(sb_str(&err), "test-rules-bad.conf:3: invalid regular expression"));
	sb_reset(&err);
	assert_int_equal(rules_replace(&cur, "no-such-rules.conf", &err, &ex), -1);
	assert_int_equal(ex, PM_NO_INPUT);
	assert_ptr_equal(cur, before);
	assert_non_null(strstr(sb_str(&err), "cannot read 'no-such-rules.conf'"));
	/* a good file does replace */
	f = fopen("test-rules-bad.conf", "w");
	fputs("[rule only]\ntitle = only\nmodule = x\n", f);
	fclose(f);
	assert_int_equal(rules_replace(&cur, "test-rules-bad.conf", &err, &ex), 0);
	assert_int_equal(cur->n, 1);
	remove("test-rules-bad.conf");
	rules_free(cur);
	sb_free(&err);
}

static void test_norm_hex(void **st)
{
	(void)st;
	char *v;
	assert_string_equal(v = rules_norm_hex("0x000000D1", 1), "0xd1"); free(v);
	assert_string_equal(v = rules_norm_hex("ffffe08f`6fa3fb50", 0), "0xffffe08f6fa3fb50"); free(v);
	assert_string_equal(v = rules_norm_hex("0x1000007e", 1), "0x7e"); free(v);
	assert_string_equal(v = rules_norm_hex("0x1000007e", 0), "0x1000007e"); free(v);
	assert_string_equal(v = rules_norm_hex("0", 0), "0x0"); free(v);
	assert_null(rules_norm_hex("0x", 0));
	assert_null(rules_norm_hex("xyz", 0));
	assert_null(rules_norm_hex(NULL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_parses),
		cmocka_unit_test(test_vwifimf_all_forms),
		cmocka_unit_test(test_other_causes),
		cmocka_unit_test(test_frame_top_glob_skip),
		cmocka_unit_test(test_weights_require_threshold),
		cmocka_unit_test(test_multiline_steps_and_comments),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_replace_keeps_old),
		cmocka_unit_test(test_norm_hex),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
