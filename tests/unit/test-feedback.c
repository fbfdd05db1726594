/* test-feedback.c - engineer feedback and case management against a real
 * knowledge base in a temporary directory: links stored in one order and
 * replaced, kept across a re-put of the case, found by signature, removed
 * with their case; listing by date and id with offset and limit; and the
 * matcher's feedback step on a ranked result (matcher/feedback.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../kb/kb.h"
#include "../../matcher/feedback.h"

static char *new_dir(void)
{
	const char *base = getenv("TMPDIR");
	char *tmpl = xasprintf("%s/pmkb-test-feedback-XXXXXX", base && *base ? base : P_tmpdir);
	char *d = mkdtemp(tmpl);
	assert_non_null(d);
	char *dir = xasprintf("%s/kb", d);
	free(tmpl);
	return dir;
}

static void rm_dir(char *dir)
{
	char *parent = xstrdup(dir);
	*strrchr(parent, '/') = '\0';
	char *cmd = xasprintf("rm -rf '%s'", parent);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(parent);
	free(dir);
}

/* A case of n analyses, its last message sent on date; analysis i has the
 * bugcheck code "0x<bc+i>" and a frame of module mod. */
static void put(kb_db *db, const char *id, const char *date, int n, int bc, const char *mod)
{
	pm_case *c = pm_case_new();
	c->id = xstrdup(id);
	c->title = xasprintf("case %s", id);
	c->customer = xstrdup("ICBC");
	pm_message *m = pm_case_add_message(c);
	m->sent = xstrdup(date);
	m->body = xasprintf("蓝屏 %s", mod);
	pm_case_update_dates(c);
	for (int i = 0; i < n; i++) {
		pm_analysis *a = pm_case_add_analysis(c);
		a->message = 0;
		a->bugcheck_code = xasprintf("0x%x", bc + i);
		snprintf(a->hash, sizeof a->hash, "%08x%08x", bc, i);
		pm_frame *f = pm_analysis_add_frame(a);
		f->module = xstrdup(mod);
		f->function = xasprintf("Func%d", i);
	}
	assert_int_equal(kb_put_case(db, c, NULL), KB_OK);
	pm_case_free(c);
}

static kb_db *open_ok(const char *dir, kb_mode mode)
{
	kb_db *db = NULL;
	char err[256] = "";
	if (kb_open(dir, mode, &db, err, sizeof err) != KB_OK)
		fail_msg("kb_open: %s", err);
	return db;
}

static void test_links_round_trip(void **state)
{
	(void)state;
	char *dir = new_dir();
	kb_db *db = open_ok(dir, KB_WRITE);
	put(db, "CAS-B", "2021-01-02 10:00:00", 2, 0xd1, "vwifimf");
	put(db, "CAS-A", "2020-05-01 10:00:00", 1, 0xfc, "vwifimf");

	/* never linked: no table, no links, no error */
	kb_link *l = NULL;
	size_t n = 9;
	assert_int_equal(kb_links(db, NULL, &l, &n), KB_OK);
	assert_int_equal(n, 0);

	kb_link x = {.a_case = "CAS-B", .a_analysis = 1, .b_case = "CAS-A", .b_analysis = 0,
		     .same = 0, .who = "Lin Wei", .note = "another path"};
	assert_int_equal(kb_link_put(db, &x), KB_OK);
	assert_int_equal(kb_links(db, "CAS-A", &l, &n), KB_OK);
	assert_int_equal(n, 1);
	/* stored in one order whichever way it was given */
	assert_string_equal(l[0].a_case, "CAS-A");
	assert_int_equal(l[0].a_analysis, 0);
	assert_string_equal(l[0].b_case, "CAS-B");
	assert_int_equal(l[0].b_analysis, 1);
	assert_int_equal(l[0].same, 0);
	assert_string_equal(l[0].who, "Lin Wei");
	assert_string_equal(l[0].note, "another path");
	assert_non_null(l[0].at);
	kb_links_free(l, n);

	/* the same pair again, the other way round: replaced */
	kb_link y = {.a_case = "CAS-A", .a_analysis = 0, .b_case = "CAS-B", .b_analysis = 1, .same = 1};
	assert_int_equal(kb_link_put(db, &y), KB_OK);
	assert_int_equal(kb_links(db, NULL, &l, &n), KB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(l[0].same, 1);
	assert_null(l[0].note);
	kb_links_free(l, n);

	/* refused: missing case or analysis, itself */
	kb_link bad = {.a_case = "CAS-A", .a_analysis = 0, .b_case = "CAS-Z", .b_analysis = -1};
	assert_int_equal(kb_link_put(db, &bad), KB_NOT_FOUND);
	bad.b_case = "CAS-B";
	bad.b_analysis = 2;
	assert_int_equal(kb_link_put(db, &bad), KB_NOT_FOUND);
	assert_non_null(strstr(kb_last_error(db), "has no analysis #3"));
	bad.b_case = "CAS-A";
	bad.b_analysis = -1;
	assert_int_equal(kb_link_put(db, &bad), KB_INVALID);

	/* a re-put of the case (re-import) keeps the link */
	put(db, "CAS-B", "2021-01-02 10:00:00", 2, 0xd1, "vwifimf");
	assert_int_equal(kb_links(db, "CAS-B", &l, &n), KB_OK);
	assert_int_equal(n, 1);
	kb_links_free(l, n);

	/* what a query is: the analysis with its signature, among linked ones */
	pm_signature *sigs = NULL;
	size_t ns = 0;
	assert_int_equal(kb_get_signatures(db, "CAS-B", &sigs, &ns), KB_OK);
	assert_int_equal(ns, 2);
	sbuf sb = {0};
	sig_serialize(&sigs[1], &sb);
	kb_analysis_ref *refs = NULL;
	size_t nr = 0;
	assert_int_equal(kb_linked_analyses(db, sb_str(&sb), &refs, &nr), KB_OK);
	assert_int_equal(nr, 1);
	assert_string_equal(refs[0].case_id, "CAS-B");
	assert_int_equal(refs[0].analysis, 1);
	kb_refs_free(refs, nr);
	sb_free(&sb);
	/* analysis 0 of CAS-B is not in a link */
	sig_serialize(&sigs[0], &sb);
	assert_int_equal(kb_linked_analyses(db, sb_str(&sb), &refs, &nr), KB_OK);
	assert_int_equal(nr, 0);
	sb_free(&sb);
	kb_signatures_free(sigs, ns);

	int removed = 0;
	assert_int_equal(kb_link_del(db, "CAS-B", 1, "CAS-A", 0, &removed), KB_OK);
	assert_int_equal(removed, 1);
	assert_int_equal(kb_link_del(db, "CAS-B", 1, "CAS-A", 0, &removed), KB_OK);
	assert_int_equal(removed, 0);
	kb_close(db);
	rm_dir(dir);
}

static void test_list_and_rm(void **state)
{
	(void)state;
	char *dir = new_dir();
	kb_db *db = open_ok(dir, KB_WRITE);
	put(db, "CAS-1", "2020-09-15 15:57:09", 1, 0xfc, "vwifimf");
	put(db, "CAS-2", "2022-05-23 09:00:00", 2, 0xd1, "vwifimf");
	put(db, "CAS-3", "2021-06-25 11:00:00", 1, 0x7e, "lwfmgr");
	kb_link x = {.a_case = "CAS-1", .a_analysis = 0, .b_case = "CAS-2", .b_analysis = -1, .same = 1};
	assert_int_equal(kb_link_put(db, &x), KB_OK);
	x.b_case = "CAS-3";
	x.same = 0;
	assert_int_equal(kb_link_put(db, &x), KB_OK);

	kb_case_row *r = NULL;
	size_t n = 0, total = 0;
	assert_int_equal(kb_list_cases(db, KB_SORT_DATE, NULL, NULL, 0, 0, &r, &n, &total), KB_OK);
	assert_int_equal(n, 3);
	assert_int_equal(total, 3);
	assert_string_equal(r[0].id, "CAS-2"); /* newest first */
	assert_string_equal(r[2].id, "CAS-1");
	assert_int_equal(r[0].analyses, 2);
	kb_case_rows_free(r, n);
	/* a range of whole days and months, an offset and a limit */
	assert_int_equal(kb_list_cases(db, KB_SORT_CASE, "2021", "2022-05", 0, 1, &r, &n, &total), KB_OK);
	assert_int_equal(total, 2);
	assert_int_equal(n, 1);
	assert_string_equal(r[0].id, "CAS-2");
	kb_case_rows_free(r, n);
	assert_int_equal(kb_list_cases(db, KB_SORT_CASE, "2021", "2022-05", 1, 1, &r, &n, &total), KB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(r[0].id, "CAS-3");
	kb_case_rows_free(r, n);
	assert_int_equal(kb_list_cases(db, KB_SORT_CASE, NULL, "2020-09-15", 0, 0, &r, &n, &total), KB_OK);
	assert_int_equal(total, 1);
	kb_case_rows_free(r, n);

	size_t nl = 0;
	assert_int_equal(kb_rm_case(db, "CAS-1", &nl), KB_OK);
	assert_int_equal(nl, 2);
	assert_int_equal(kb_rm_case(db, "CAS-1", &nl), KB_NOT_FOUND);
	pm_case *c = NULL;
	assert_int_equal(kb_get_case(db, "CAS-1", &c), KB_NOT_FOUND);
	kb_hits *h = NULL;
	assert_int_equal(kb_search(db, "case:CAS-1", 0, 10, &h), KB_OK);
	assert_int_equal(h->n, 0);
	kb_hits_free(h);
	assert_int_equal(kb_search(db, "蓝屏", 0, 10, &h), KB_OK);
	assert_int_equal(h->n, 2);
	kb_hits_free(h);
	kb_link *l = NULL;
	assert_int_equal(kb_links(db, NULL, &l, &nl), KB_OK);
	assert_int_equal(nl, 0);
	kb_stats st;
	assert_int_equal(kb_get_stats(db, &st), KB_OK);
	assert_int_equal(st.cases, 2);
	assert_int_equal(st.indexed, 2);
	kb_close(db);

	/* a reader cannot remove */
	db = open_ok(dir, KB_READ);
	assert_int_equal(kb_rm_case(db, "CAS-2", &nl), KB_INVALID);
	kb_close(db);
	rm_dir(dir);
}

/* An item of a hand-made result. */
static void item(match_result *r, const char *id, int analysis, double score, double sim,
		 const rule *ru)
{
	XGROW(r->items, r->cap, r->n + 1);
	match_item *it = &r->items[r->n++];
	memset(it, 0, sizeof *it);
	it->case_id = xstrdup(id);
	it->analysis = analysis;
	it->score = score;
	it->similarity = sim;
	it->rule = ru;
}

static void test_feedback_apply(void **state)
{
	(void)state;
	char *dir = new_dir();
	kb_db *db = open_ok(dir, KB_WRITE);
	put(db, "TOP", "2020-01-01 00:00:00", 1, 0xfc, "vwifimf");
	put(db, "RULED", "2020-01-02 00:00:00", 1, 0xd1, "vwifimf");
	put(db, "LOW", "2020-01-03 00:00:00", 1, 0x50, "vwifimf");
	put(db, "OTHER", "2020-01-04 00:00:00", 1, 0x7e, "lwfmgr");
	kb_link d = {.a_case = "TOP", .a_analysis = 0, .b_case = "RULED", .b_analysis = 0, .same = 0,
		     .who = "Lin Wei", .note = "not the same NBL"};
	assert_int_equal(kb_link_put(db, &d), KB_OK);
	kb_link s = {.a_case = "LOW", .a_analysis = -1, .b_case = "TOP", .b_analysis = -1, .same = 1};
	assert_int_equal(kb_link_put(db, &s), KB_OK);

	rule ru;
	memset(&ru, 0, sizeof ru);
	match_result r;
	memset(&r, 0, sizeof r);
	item(&r, "TOP", 0, 0.95, 0.9, &ru);
	item(&r, "RULED", 0, 0.90, 0.2, &ru);
	item(&r, "OTHER", 0, 0.40, 0.4, NULL);
	item(&r, "LOW", 0, 0.10, 0.1, NULL);
	/* the query is no stored analysis: the top match stands for it */
	feedback fb;
	memset(&fb, 0, sizeof fb);
	assert_int_equal(feedback_apply(db, &fb, &r), KB_OK);
	feedback_clear(&fb);
	assert_string_equal(r.items[0].case_id, "TOP");
	assert_string_equal(r.items[1].case_id, "LOW"); /* lifted */
	assert_int_equal(r.items[1].feedback, 1);
	assert_true(r.items[1].score == 0.95);
	assert_string_equal(r.items[1].evidence.ev[0].field, "feedback");
	assert_int_equal(r.items[1].evidence.ev[0].matched, 1);
	assert_string_equal(r.items[2].case_id, "OTHER");
	assert_string_equal(r.items[3].case_id, "RULED"); /* after every other */
	assert_int_equal(r.items[3].feedback, -1);
	assert_null(r.items[3].rule);
	assert_true(r.items[3].score <= 0.2);
	assert_string_equal(r.items[3].evidence.ev[0].query, "TOP#1");
	assert_non_null(strstr(r.items[3].evidence.ev[0].cand, "RULED#1: different root cause (Lin Wei, "));
	assert_non_null(strstr(r.items[3].evidence.ev[0].cand, "not the same NBL"));
	match_result_clear(&r);

	/* no links touching the top match: nothing changes */
	memset(&r, 0, sizeof r);
	item(&r, "OTHER", 0, 0.9, 0.9, NULL);
	item(&r, "RULED", 0, 0.5, 0.5, &ru);
	memset(&fb, 0, sizeof fb);
	assert_int_equal(feedback_apply(db, &fb, &r), KB_OK);
	feedback_clear(&fb);
	assert_string_equal(r.items[1].case_id, "RULED");
	assert_int_equal(r.items[1].feedback, 0);
	assert_non_null(r.items[1].rule);
	match_result_clear(&r);
	kb_close(db);
	rm_dir(dir);
}

/* A removal killed between the SQLite commit and the index commit leaves
 * the case in pending_index and its document in the index: the next
 * writable open deletes the document. */
static void test_rm_repaired(void **state)
{
	(void)state;
	char *dir = new_dir();
	kb_db *db = open_ok(dir, KB_WRITE);
	put(db, "CAS-GONE", "2021-01-02 10:00:00", 1, 0xd1, "vwifimf");
	put(db, "CAS-KEPT", "2021-01-03 10:00:00", 1, 0xd1, "vwifimf");
	kb_close(db);
	/* what kb_rm_case's transaction leaves when the process dies there */
	char *path = xasprintf("%s/kb.sqlite", dir);
	sqlite3 *sql = NULL;
	assert_int_equal(sqlite3_open(path, &sql), SQLITE_OK);
	assert_int_equal(sqlite3_exec(sql,
				      "BEGIN; DELETE FROM cases WHERE id='CAS-GONE';"
				      " DELETE FROM messages WHERE case_id='CAS-GONE';"
				      " DELETE FROM analyses WHERE case_id='CAS-GONE';"
				      " DELETE FROM signatures WHERE case_id='CAS-GONE';"
				      " INSERT INTO pending_index(case_id) VALUES('CAS-GONE'); COMMIT",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(sql);
	free(path);
	/* a reader still sees the stale document: nothing repairs it */
	db = open_ok(dir, KB_READ);
	kb_hits *h = NULL;
	assert_int_equal(kb_search(db, "case:CAS-GONE", 0, 10, &h), KB_OK);
	assert_int_equal(h->n, 1);
	kb_hits_free(h);
	kb_close(db);
	/* the next writer does */
	db = open_ok(dir, KB_WRITE);
	assert_int_equal(kb_search(db, "case:CAS-GONE", 0, 10, &h), KB_OK);
	assert_int_equal(h->n, 0);
	kb_hits_free(h);
	assert_int_equal(kb_search(db, "case:CAS-KEPT", 0, 10, &h), KB_OK);
	assert_int_equal(h->n, 1);
	kb_hits_free(h);
	kb_close(db);
	rm_dir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_links_round_trip),
		cmocka_unit_test(test_list_and_rm),
		cmocka_unit_test(test_feedback_apply),
		cmocka_unit_test(test_rm_repaired),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
