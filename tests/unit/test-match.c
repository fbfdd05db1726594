/* test-match.c - the verdict and what match shows (matcher/match.h) against
 * a real knowledge base in a temporary directory, its cases read from
 * WinDbg text the way import reads them: a code and Arg1 alone stay "new"
 * and show no next steps; the same dump is known and ranked first; next
 * steps are those of the matched analysis, named CASE#N; equal scores are
 * ordered by evidence and reported as ties; a thin query says so; the JSON
 * carries the format 2 fields. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../import/readers.h"
#include "../../matcher/match.h"

/* A 0x50 as !analyze prints it: code, four arguments, no stack. */
#define BARE_50 "PAGE_FAULT_IN_NONPAGED_AREA (50)\nArguments:\n" \
	"Arg1: ffffffffffffffe8, memory referenced.\n" \
	"Arg2: 0000000000000000, value 0 = read operation, 1 = write operation.\n" \
	"Arg3: %s, If non-zero, the instruction address\n" \
	"Arg4: 0000000000000002, (reserved)\n"

/* A 0x7e with an lwfmgr stack (kc rows), and another driver's. */
#define LWF_7E "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED (7e)\nArguments:\n" \
	"Arg1: ffffffffc0000005, The exception code that was not handled\n" \
	"Arg2: fffff80521915167, The address that the exception occurred at\n" \
	"Arg3: ffffa88ce7007598, Exception Record Address\n" \
	"Arg4: ffffa88ce7006dd0, Context Record Address\n\n" \
	"STACK_TEXT:\n" \
	"ffffa88ce70062d8 fffff8052028599e : 00000000`0000007e : nt!KeBugCheckEx\n" \
	"ffffa88ce7007530 fffff80521915167 : 00000000`00000000 : ndis!NdisFDeregisterFilterDriver+0x47\n" \
	"ffffa88ce7007570 fffff8052191b49a : 00000000`00000000 : lwfmgr+0x5167\n" \
	"ffffa88ce70075a0 fffff805206fca55 : 00000000`00000000 : lwfmgr+0xb49a\n" \
	"ffffa88ce7007830 fffff80520a63908 : 00000000`00000000 : nt!IopLoadDriver+0x4bd\n"

static char *dir;
static kb_db *db;

/* Store a case: one message per body (its analyses read from it), and
 * next steps, steps[i] in message step_msg[i]. */
static void put(const char *id, const char *title, const char *const *bodies, size_t nbodies,
		const char *const *steps, const int *step_msg, size_t nsteps)
{
	pm_case *c = pm_case_new();
	c->id = xstrdup(id);
	c->title = xstrdup(title);
	c->format = xstrdup("thread");
	for (size_t i = 0; i < nbodies; i++) {
		pm_message *m = pm_case_add_message(c);
		m->body = xstrdup(bodies[i]);
		windbg_extract(bodies[i], strlen(bodies[i]), (int)i, c);
	}
	for (size_t i = 0; i < nsteps; i++)
		pm_case_add_note(c, step_msg[i], PM_NOTE_NEXT_STEP, steps[i]);
	assert_int_equal(kb_put_case(db, c, NULL), KB_OK);
	pm_case_free(c);
}

static int setup(void **st)
{
	(void)st;
	const char *base = getenv("TMPDIR");
	char *tmpl = xasprintf("%s/pmkb-test-match-XXXXXX", base && *base ? base : P_tmpdir);
	assert_non_null(mkdtemp(tmpl));
	dir = tmpl;
	char *kbdir = xasprintf("%s/kb", dir);
	char err[256];
	assert_int_equal(kb_open(kbdir, KB_WRITE, &db, err, sizeof err), KB_OK);
	free(kbdir);

	char *b50 = xasprintf(BARE_50, "fffff8057b5694fd");
	char *b50b = xasprintf(BARE_50, "fffff80311112222");
	/* CAS-A: message 0 a bare 0x50, message 1 the lwfmgr 0x7e; each
	 * with its own next step */
	const char *a_bodies[] = {b50, "the second dump:\n" LWF_7E};
	const char *a_steps[] = {"enable special pool for the 0x50", "remove lwfmgr.sys before the upgrade"};
	const int a_msg[] = {0, 1};
	put("CAS-A", "two dumps", a_bodies, 2, a_steps, a_msg, 2);
	/* CAS-B: another 0x50 with the same Arg1 (another dump) */
	const char *b_bodies[] = {b50b};
	const char *b_steps[] = {"update the storage driver"};
	const int b_msg[] = {0};
	put("CAS-B", "another 0x50", b_bodies, 1, b_steps, b_msg, 1);
	assert_int_equal(kb_commit(db), KB_OK);
	free(b50);
	free(b50b);
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	kb_close(db);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(dir);
	return 0;
}

/* The signature of the first analysis of text. */
static void query(const char *text, pm_signature *sig)
{
	pm_case *q = pm_case_new();
	windbg_extract(text, strlen(text), -1, q);
	assert_true(q->nanalyses >= 1);
	sig_build(&q->analyses[0], sig, NULL);
	pm_case_free(q);
}

static const match_item *find(const match_result *r, const char *id)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->items[i].case_id, id))
			return &r->items[i];
	return NULL;
}

/* The same dump (code and four arguments) is known and ranked first; a
 * 0x50 that shares the code and Arg1 alone comes after it, flagged. */
static void test_same_dump_known(void **st)
{
	(void)st;
	char *text = xasprintf(BARE_50, "fffff8057b5694fd");
	pm_signature sig = {0};
	query(text, &sig);
	match_opts o = {0};
	match_result r;
	assert_int_equal(match_signature(db, &sig, text, &o, &r), KB_OK);
	assert_int_equal(r.v, VERDICT_KNOWN);
	assert_true(r.confidence >= 0.99);
	assert_true(r.n >= 2);
	assert_string_equal(r.items[0].case_id, "CAS-A");
	assert_true(r.items[0].parts.same_dump);
	assert_int_equal(r.items[0].analysis, 0);
	const match_item *b = find(&r, "CAS-B");
	assert_non_null(b);
	assert_true(b->parts.bugcheck_only);
	/* the matched analysis's step only, not the lwfmgr one */
	assert_true(r.items[0].steps_tied);
	assert_int_equal(r.items[0].nnext_steps, 1);
	assert_string_equal(r.items[0].next_steps[0], "enable special pool for the 0x50");
	/* a thin query says so */
	assert_non_null(r.thin);
	sbuf t = {0};
	match_text(&r, &t);
	assert_non_null(strstr(sb_str(&t), "1. CAS-A#1  score"));
	assert_non_null(strstr(sb_str(&t), "only the bugcheck agrees"));
	assert_null(strstr(sb_str(&t), "update the storage driver"));
	assert_null(strstr(sb_str(&t), "remove lwfmgr"));
	sb_free(&t);
	match_result_clear(&r);
	sig_clear(&sig);
	free(text);
}

/* A code and Arg1 alone: "new", however rare the argument. */
static void test_bugcheck_only_new(void **st)
{
	(void)st;
	char *text = xasprintf(BARE_50, "fffff80399998888");
	pm_signature sig = {0};
	query(text, &sig);
	match_opts o = {0};
	match_result r;
	/* no text: the cases' titles would tell them apart (tie_text) */
	assert_int_equal(match_signature(db, &sig, NULL, &o, &r), KB_OK);
	assert_int_equal(r.v, VERDICT_NEW);
	assert_true(r.confidence < 0.5);
	assert_true(r.n >= 2);
	for (size_t i = 0; i < r.n; i++)
		assert_true(r.items[i].parts.bugcheck_only);
	/* CAS-A and CAS-B share the same evidence with the query: a tie,
	 * reported both ways */
	sbuf j = {0};
	match_json(&r, &j);
	assert_non_null(strstr(sb_str(&j), "\"tied_with\":[\"CAS-B\"]"));
	assert_non_null(strstr(sb_str(&j), "\"tied_with\":[\"CAS-A\"]"));
	assert_non_null(strstr(sb_str(&j), "\"ref\":\"CAS-A#1\""));
	sb_free(&j);
	match_result_clear(&r);
	sig_clear(&sig);
	free(text);
}

/* The lwfmgr stack finds the second analysis of CAS-A: CAS-A#2 and its
 * own next step. */
static void test_steps_of_the_analysis(void **st)
{
	(void)st;
	pm_signature sig = {0};
	query(LWF_7E, &sig);
	match_opts o = {0};
	match_result r;
	assert_int_equal(match_signature(db, &sig, LWF_7E, &o, &r), KB_OK);
	assert_true(r.n >= 1);
	assert_string_equal(r.items[0].case_id, "CAS-A");
	assert_int_equal(r.items[0].analysis, 1);
	assert_null(r.thin);
	assert_int_equal(r.items[0].nnext_steps, 1);
	assert_string_equal(r.items[0].next_steps[0], "remove lwfmgr.sys before the upgrade");
	sbuf t = {0};
	match_text(&r, &t);
	assert_non_null(strstr(sb_str(&t), "1. CAS-A#2  score"));
	assert_non_null(strstr(sb_str(&t), "next step there: remove lwfmgr.sys before the upgrade"));
	sb_free(&t);
	match_result_clear(&r);
	sig_clear(&sig);
}

/* Nothing structured in common: new, and what it reads says what the
 * confidence means. */
static void test_new_reads_right(void **st)
{
	(void)st;
	const char *text = "DRIVER_IRQL_NOT_LESS_OR_EQUAL (d1)\nArguments:\nArg1: 0000000000000028\n";
	pm_signature sig = {0};
	query(text, &sig);
	match_opts o = {0};
	match_result r;
	assert_int_equal(match_signature(db, &sig, text, &o, &r), KB_OK);
	assert_int_equal(r.v, VERDICT_NEW);
	sbuf t = {0};
	match_text(&r, &t);
	assert_non_null(strstr(sb_str(&t), "new (confidence 0."));
	assert_non_null(strstr(sb_str(&t), "that a stored case shares the root cause"));
	sb_free(&t);
	match_result_clear(&r);
	sig_clear(&sig);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_dump_known),
		cmocka_unit_test(test_bugcheck_only_new),
		cmocka_unit_test(test_steps_of_the_analysis),
		cmocka_unit_test(test_new_reads_right),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
