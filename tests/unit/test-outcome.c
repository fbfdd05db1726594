/* test-outcome.c - unit tests of import/outcome.c: the outcome a thread's
 * closing summary states (negative markers win), on hand-made cases and
 * on the seed threads, and the remediation proposed for each analysis. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../import/outcome.h"
#include "../../import/readers.h"
#include "testdata.h"

static pm_case *with_conclusion(const char *text)
{
	pm_case *c = pm_case_new();
	c->id = xstrdup("T-1");
	pm_message *m = pm_case_add_message(c);
	m->body = xstrdup("hello");
	pm_case_add_note(c, 0, PM_NOTE_CONCLUSION, text);
	return c;
}

static void test_markers(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		outcome_kind want;
	} cases[] = {
		{"经用户确认，目前问题已解决，该问题做关闭处理。", OUTCOME_RESOLVED},
		{"卸载后蓝屏问题不再复现。", OUTCOME_RESOLVED},
		{"The customer confirmed the issue is resolved.", OUTCOME_RESOLVED},
		{"问题仍未解决，继续跟踪。", OUTCOME_NOT_RESOLVED},
		{"Issue NOT resolved after the driver update.", OUTCOME_NOT_RESOLVED},
		{"用户上传了 dump。", OUTCOME_UNKNOWN},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		pm_case *c = with_conclusion(cases[i].text);
		if (outcome_of_case(c) != cases[i].want)
			fail_msg("'%s' read as %s", cases[i].text, outcome_name(outcome_of_case(c)));
		pm_case_free(c);
	}
}

static void test_names(void **state)
{
	(void)state;
	outcome_kind k;
	assert_int_equal(outcome_parse("not-resolved", &k), 0);
	assert_int_equal(k, OUTCOME_NOT_RESOLVED);
	assert_string_equal(outcome_name(k), "not-resolved");
	assert_int_equal(outcome_parse("Resolved", &k), -1);
	assert_int_equal(outcome_parse(NULL, &k), -1);
}

/* The summary heading in a body, when no conclusion note was extracted. */
static void test_summary_in_body(void **state)
{
	(void)state;
	pm_case *c = pm_case_new();
	pm_message *m = pm_case_add_message(c);
	m->body = xstrdup("问题已解决吗？请确认。\n案例总结：\n用户仍然蓝屏，问题依旧。\n");
	assert_int_equal(outcome_of_case(c), OUTCOME_NOT_RESOLVED);
	pm_case_free(c);
}

static pm_case *seed(const char *path)
{
	size_t len = 0;
	char *buf = test_load(path, &len);
	pm_case *c = NULL;
	char err[256];
	assert_int_equal(thread_read(path, buf, len, &c, err, sizeof err), 0);
	analyses_extract(c);
	free(buf);
	return c;
}

static void test_seeds(void **state)
{
	(void)state;
	static const struct {
		const char *file;
		outcome_kind want;
	} seeds[] = {
		{"tests/data/seeds/000_e3b3544fec26024b.txt", OUTCOME_RESOLVED},
		{"tests/data/seeds/001_a48089f2710e0f3a.txt", OUTCOME_UNKNOWN},
		{"tests/data/seeds/002_413591d54dd1d178.txt", OUTCOME_RESOLVED},
		{"tests/data/seeds/003_25707b60ca074d00.txt", OUTCOME_UNKNOWN},
		{"tests/data/seeds/004_f83e32c4bf43c7da.txt", OUTCOME_RESOLVED},
	};
	for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
		pm_case *c = seed(seeds[i].file);
		if (outcome_of_case(c) != seeds[i].want)
			fail_msg("%s read as %s", seeds[i].file, outcome_name(outcome_of_case(c)));
		pm_case_free(c);
	}
}

/* Seed 001: the analysis of message 13 was answered by the next step of
 * that message (uninstall vwifimf.sys), not by an earlier one. */
static void test_remediation(void **state)
{
	(void)state;
	pm_case *c = seed("tests/data/seeds/001_a48089f2710e0f3a.txt");
	int found = 0;
	for (size_t i = 0; i < c->nanalyses; i++) {
		const char *r = outcome_remediation(c, i);
		if (c->analyses[i].message == 12) {
			assert_non_null(r);
			assert_non_null(strstr(r, "卸载vwifimf.sys"));
			found = 1;
		}
		if (r) {
			/* never a step proposed before the analysis was sent */
			int ok = 0;
			for (size_t k = 0; k < c->nnotes; k++)
				if (c->notes[k].text == r && c->notes[k].message >= c->analyses[i].message)
					ok = 1;
			assert_true(ok);
		}
	}
	assert_true(found);
	pm_case_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markers),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_summary_in_body),
		cmocka_unit_test(test_seeds),
		cmocka_unit_test(test_remediation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
