/* test-kb.c - the storage API (kb/kb.h) against real SQLite and a real
 * Xapian index in a temporary directory: round trip, idempotent re-put,
 * Chinese and field search, the single-writer lock, schema version
 * checks and the repair of a write killed between SQLite and the index. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <cmocka.h>

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../kb/kb.h"

static char *new_dir(void)
{
	const char *base = getenv("TMPDIR");
	char *tmpl = xasprintf("%s/pmkb-test-kb-XXXXXX", base && *base ? base : P_tmpdir);
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

/* A case like the vwifimf threads: Chinese body, a conclusion, a next
 * step, one analysis with its fields. */
static pm_case *make_case(const char *id, const char *customer, const char *word)
{
	pm_case *c = pm_case_new();
	c->id = xstrdup(id);
	c->title = xasprintf("%s 终端异常蓝屏问题", customer);
	c->customer = xstrdup(customer);
	c->priority = xstrdup("P2");
	c->status = xstrdup("closed");
	c->refs = xstrdup("CMIT:0001362");
	c->source = xstrdup("seed.txt");
	c->format = xstrdup("thread");
	c->redactions = 2;
	pm_message *m = pm_case_add_message(c);
	m->sender = xstrdup("Li Qi");
	m->sent = xstrdup("2022-04-25 15:42:32");
	m->message_id = xasprintf("<%s@example.com>", id);
	m->body = xasprintf("您好，用户反馈电脑出现偶发性蓝屏，dump 显示 %s 驱动的问题。", word);
	m = pm_case_add_message(c);
	m->sender = xstrdup("Wang Wu");
	m->sent = xstrdup("2022-04-28 11:39:29");
	m->body = xstrdup("The stack shows nwifi!Dot11SendCompletion completing an NBL.");
	pm_case_update_dates(c);
	pm_case_add_note(c, 1, PM_NOTE_CONCLUSION, "第三方过滤驱动导致的 pTOS 为空");
	pm_case_add_note(c, 1, PM_NOTE_NEXT_STEP, "卸载该驱动后观察");
	pm_analysis *a = pm_case_add_analysis(c);
	a->message = 1;
	a->dump_name = xstrdup("liyue.DMP");
	a->bugcheck_code = xstrdup("0xd1");
	a->bugcheck_name = xstrdup("DRIVER_IRQL_NOT_LESS_OR_EQUAL");
	a->args[0] = xstrdup("0x0");
	a->process = xstrdup("System");
	a->source = xstrdup("windbg");
	strcpy(a->hash, "0123456789abcdef");
	pm_frame *f = pm_analysis_add_frame(a);
	f->module = xstrdup("nwifi");
	f->function = xstrdup("Dot11SendCompletion");
	f->offset = xstrdup("0x47");
	pm_module *md = pm_analysis_add_module(a);
	md->name = xstrdup("vwifimf");
	md->timestamp = xstrdup("5EF172B2");
	pm_pooltag *p = pm_analysis_add_pooltag(a);
	p->tag = xstrdup("Filt");
	p->owner = xstrdup("vwifimf.sys");
	return c;
}

/* The signature of make_case's analysis, made by hand so this test does
 * not depend on sig_build's choices. */
static void make_sig(pm_signature *s)
{
	memset(s, 0, sizeof *s);
	s->bugcheck = xstrdup("0xd1");
	s->frames = xcalloc(2, sizeof *s->frames);
	s->nframes = 2;
	s->frames[0].key = xstrdup("nt!KeBugCheckEx");
	s->frames[0].module = xstrdup("nt");
	s->frames[0].function = xstrdup("KeBugCheckEx");
	s->frames[0].skip = "bugcheck plumbing";
	s->frames[1].key = xstrdup("nwifi!Dot11SendCompletion");
	s->frames[1].module = xstrdup("nwifi");
	s->frames[1].function = xstrdup("Dot11SendCompletion");
	s->modules = xcalloc(2, sizeof *s->modules);
	s->modules[0] = xstrdup("nwifi");
	s->modules[1] = xstrdup("vwifimf");
	s->nmodules = 2;
	s->third_party = xcalloc(1, sizeof *s->third_party);
	s->third_party[0] = xstrdup("vwifimf");
	s->nthird_party = 1;
	s->pool_tags = xcalloc(1, sizeof *s->pool_tags);
	s->pool_tags[0].tag = xstrdup("Filt");
	s->pool_tags[0].owner = xstrdup("vwifimf");
	s->npool_tags = 1;
	s->process = xstrdup("system");
	s->text = xstrdup("0xd1 | nwifi!Dot11SendCompletion");
}

static void free_sig(pm_signature *s)
{
	sig_clear(s);
}

static kb_db *open_ok(const char *dir, kb_mode mode)
{
	kb_db *db = NULL;
	char err[256] = "";
	kb_status st = kb_open(dir, mode, &db, err, sizeof err);
	if (st != KB_OK)
		fail_msg("kb_open: %s", err);
	return db;
}

static void put(kb_db *db, const char *id, const char *customer, const char *word)
{
	pm_case *c = make_case(id, customer, word);
	pm_signature sig;
	make_sig(&sig);
	kb_status st = kb_put_case(db, c, &sig);
	if (st != KB_OK)
		fail_msg("kb_put_case: %s", kb_last_error(db));
	free_sig(&sig);
	pm_case_free(c);
}

static size_t search_n(kb_db *db, const char *q)
{
	kb_hits *h = NULL;
	kb_status st = kb_search(db, q, 0, 50, &h);
	if (st != KB_OK)
		fail_msg("kb_search '%s': %s", q, kb_last_error(db));
	size_t n = h->n;
	kb_hits_free(h);
	return n;
}

static void test_round_trip(void **state)
{
	(void)state;
	char *dir = new_dir();
	kb_db *db = open_ok(dir, KB_WRITE);
	put(db, "CAS-06133-X9Z4Q7", "ICBC", "vwifimf");

	pm_case *c = NULL;
	assert_int_equal(kb_get_case(db, "CAS-06133-X9Z4Q7", &c), KB_OK);
	assert_string_equal(c->customer, "ICBC");
	assert_string_equal(c->priority, "P2");
	assert_string_equal(c->refs, "CMIT:0001362");
	assert_string_equal(c->first_date, "2022-04-25 15:42:32");
	assert_string_equal(c->last_date, "2022-04-28 11:39:29");
	assert_int_equal(c->redactions, 2);
	assert_int_equal(c->nmessages, 2);
	assert_string_equal(c->messages[1].sender, "Wang Wu");
	assert_non_null(strstr(c->messages[0].body, "蓝屏"));
	assert_string_equal(c->messages[0].message_id, "<CAS-06133-X9Z4Q7@example.com>");
	assert_int_equal(c->nnotes, 2);
	assert_string_equal(c->notes[0].kind, PM_NOTE_CONCLUSION);
	assert_string_equal(c->notes[1].text, "卸载该驱动后观察");
	assert_int_equal(c->nanalyses, 1);
	pm_analysis *a = &c->analyses[0];
	assert_string_equal(a->bugcheck_code, "0xd1");
	assert_string_equal(a->bugcheck_name, "DRIVER_IRQL_NOT_LESS_OR_EQUAL");
	assert_string_equal(a->args[0], "0x0");
	assert_null(a->args[1]);
	assert_string_equal(a->hash, "0123456789abcdef");
	assert_string_equal(a->dump_name, "liyue.DMP");
	assert_int_equal(a->nframes, 1);
	assert_string_equal(a->frames[0].function, "Dot11SendCompletion");
	assert_string_equal(a->frames[0].offset, "0x47");
	assert_int_equal(a->nmodules, 1);
	assert_string_equal(a->modules[0].timestamp, "5EF172B2");
	assert_int_equal(a->npool_tags, 1);
	assert_string_equal(a->pool_tags[0].owner, "vwifimf.sys");
	pm_case_free(c);

	pm_signature *sigs = NULL;
	size_t n = 0;
	assert_int_equal(kb_get_signatures(db, "CAS-06133-X9Z4Q7", &sigs, &n), KB_OK);
	assert_int_equal(n, 1);
	kb_signatures_free(sigs, n);

	assert_int_equal(kb_get_case(db, "CAS-NOPE", &c), KB_NOT_FOUND);
	assert_null(c);

	char *cid = NULL;
	assert_int_equal(kb_case_by_message_id(db, "<CAS-06133-X9Z4Q7@example.com>", &cid), KB_OK);
	assert_string_equal(cid, "CAS-06133-X9Z4Q7");
	free(cid);
	assert_int_equal(kb_case_by_message_id(db, "<none@x>", &cid), KB_OK);
	assert_null(cid);

	char *v = NULL;
	assert_int_equal(kb_state_get(db, "imap:INBOX:uidvalidity", &v), KB_OK);
	assert_null(v);
	assert_int_equal(kb_state_set(db, "imap:INBOX:uidvalidity", "42"), KB_OK);
	assert_int_equal(kb_state_get(db, "imap:INBOX:uidvalidity", &v), KB_OK);
	assert_string_equal(v, "42");
	free(v);
	kb_close(db);

	/* read back from a read-only open, search data included */
	db = open_ok(dir, KB_READ);
	kb_hits *h = NULL;
	assert_int_equal(kb_search(db, "vwifimf", 0, 10, &h), KB_OK);
	assert_int_equal(h->n, 1);
	assert_string_equal(h->hits[0].case_id, "CAS-06133-X9Z4Q7");
	assert_string_equal(h->hits[0].customer, "ICBC");
	assert_string_equal(h->hits[0].date, "2022-04-28 11:39:29");
	assert_string_equal(h->hits[0].status, "closed");
	assert_int_equal(h->hits[0].nsigs, 0); /* the signatures: in the matcher's value slot */
	assert_int_equal(h->hits[0].nanalyses, 1);
	assert_int_equal(h->hits[0].nnext_steps, 1);
	assert_string_equal(h->hits[0].next_steps[0], "卸载该驱动后观察");
	assert_string_equal(h->hits[0].conclusion, "第三方过滤驱动导致的 pTOS 为空");
	kb_hits_free(h);
	assert_int_equal(kb_state_set(db, "k", "v"), KB_INVALID);
	kb_close(db);
	rm_dir(dir);
}

static void test_idempotent(void **state)
{
	(void)state;
	char *dir = new_dir();
	kb_db *db = open_ok(dir, KB_WRITE);
	put(db, "CAS-1", "ICBC", "vwifimf");
	put(db, "CAS-2", "中信建投", "lwfmgr");
	kb_stats s1, s2;
	assert_int_equal(kb_get_stats(db, &s1), KB_OK);
	put(db, "CAS-1", "ICBC", "vwifimf");
	assert_int_equal(kb_begin_batch(db), KB_OK);
	put(db, "CAS-2", "中信建投", "lwfmgr");
	assert_int_equal(kb_commit(db), KB_OK);
	assert_int_equal(kb_get_stats(db, &s2), KB_OK);
	assert_int_equal(s1.cases, 2);
	assert_int_equal(s1.messages, 4);
	assert_int_equal(s1.analyses, 2);
	assert_int_equal(s1.notes, 4);
	assert_int_equal(s1.indexed, 2);
	assert_memory_equal(&s1, &s2, sizeof s1);

	/* a batch closed without kb_commit leaves neither store changed */
	assert_int_equal(kb_begin_batch(db), KB_OK);
	put(db, "CAS-3", "ICBC", "dropped");
	kb_close(db);
	db = open_ok(dir, KB_READ);
	assert_int_equal(kb_get_stats(db, &s2), KB_OK);
	assert_int_equal(s2.cases, 2);
	assert_int_equal(s2.indexed, 2);
	assert_int_equal(search_n(db, "dropped"), 0);
	kb_close(db);
	rm_dir(dir);
}

static void test_search(void **state)
{
	(void)state;
	char *dir = new_dir();
	kb_db *db = open_ok(dir, KB_WRITE);
	assert_int_equal(kb_begin_batch(db), KB_OK);
	put(db, "CAS-06133-X9Z4Q7", "ICBC", "vwifimf");
	put(db, "CAS-04223-R4W0Q7", "中信建投", "lwfmgr");
	assert_int_equal(kb_commit(db), KB_OK);

	assert_int_equal(search_n(db, "蓝屏"), 2);
	assert_int_equal(search_n(db, "偶发性蓝屏"), 2);
	assert_int_equal(search_n(db, "vwifimf"), 1);
	assert_int_equal(search_n(db, "lwfmgr"), 1);
	assert_int_equal(search_n(db, "no-such-word-anywhere"), 0);
	/* fields, with the normalisation of values */
	assert_int_equal(search_n(db, "bugcheck:0xd1"), 2);
	assert_int_equal(search_n(db, "bugcheck:0xD1"), 2);
	assert_int_equal(search_n(db, "bugcheck:d1"), 2);
	assert_int_equal(search_n(db, "bugcheck:0x000000d1"), 2);
	assert_int_equal(search_n(db, "bugcheck:0x50"), 0);
	assert_int_equal(search_n(db, "customer:icbc"), 1);
	assert_int_equal(search_n(db, "customer:中信建投"), 1);
	assert_int_equal(search_n(db, "case:CAS-06133-X9Z4Q7"), 1);
	assert_int_equal(search_n(db, "module:VWIFIMF.SYS"), 2);
	assert_int_equal(search_n(db, "frame:nwifi!Dot11SendCompletion"), 2);
	assert_int_equal(search_n(db, "frame:NWIFI.SYS!Dot11SendCompletion+0x47"), 2);
	assert_int_equal(search_n(db, "pooltag:Filt"), 2);
	assert_int_equal(search_n(db, "process:System"), 2);
	assert_int_equal(search_n(db, "customer:ICBC 蓝屏"), 1);
	assert_int_equal(search_n(db, "bugcheck:d1 lwfmgr"), 1);

	kb_hits *h = NULL;
	assert_int_equal(kb_search(db, "蓝屏", 1, 10, &h), KB_OK);
	assert_int_equal(h->n, 1); /* offset */
	kb_hits_free(h);
	/* the parser is lenient: stray syntax is read as words */
	assert_int_equal(kb_search(db, "(蓝屏", 0, 10, &h), KB_OK);
	assert_int_equal(h->n, 2);
	kb_hits_free(h);
	assert_int_equal(kb_search(db, "\"unterminated AND OR NOT", 0, 10, &h), KB_OK);
	kb_hits_free(h);

	unsigned long df = 0, nd = 0;
	assert_int_equal(kb_term_df(db, "frame", "nwifi!Dot11SendCompletion", &df, &nd), KB_OK);
	assert_int_equal(df, 2);
	assert_int_equal(nd, 2);
	assert_int_equal(kb_term_df(db, "module", "lwfmgr", &df, &nd), KB_OK);
	assert_int_equal(df, 0);
	assert_int_equal(kb_term_df(db, "nosuchfield", "x", &df, &nd), KB_INVALID);

	/* candidates: an OR of the signature's terms plus words of the text */
	pm_signature sig;
	make_sig(&sig);
	assert_int_equal(kb_candidates(db, &sig, "lwfmgr 蓝屏", 10, NULL, &h), KB_OK);
	assert_int_equal(h->n, 2);
	assert_string_equal(h->hits[0].case_id, "CAS-04223-R4W0Q7"); /* lwfmgr is rarer */
	kb_hits_free(h);
	assert_int_equal(kb_candidates(db, &sig, NULL, 1, NULL, &h), KB_OK);
	assert_int_equal(h->n, 1);
	kb_hits_free(h);

	/* a matcher's later searches skip what it read: the same hits in the
	 * same order, the skipped ones with their docid and nothing else */
	kb_hits *all = NULL;
	assert_int_equal(kb_candidates(db, &sig, "lwfmgr 蓝屏", 10, NULL, &all), KB_OK);
	assert_int_equal(all->n, 2);
	kb_docset seen = {0};
	kb_docset_add(&seen, all->hits[0].docid);
	kb_docset_add(&seen, all->hits[0].docid); /* distinct */
	assert_int_equal(seen.n, 1);
	assert_true(kb_docset_has(&seen, all->hits[0].docid));
	assert_false(kb_docset_has(&seen, all->hits[1].docid));
	/* positions: the sorted set holds 3, 7, 9 and the first hit's id */
	kb_docset pos = {0};
	unsigned ids[] = {9, 3, 7};
	for (size_t i = 0; i < 3; i++)
		kb_docset_add(&pos, ids[i]);
	assert_int_equal(kb_docset_find(&pos, 3), 0);
	assert_int_equal(kb_docset_find(&pos, 7), 1);
	assert_int_equal(kb_docset_find(&pos, 9), 2);
	assert_int_equal(kb_docset_find(&pos, 8), pos.n);
	assert_int_equal(kb_docset_find(&pos, 1), pos.n);
	assert_int_equal(kb_docset_find(&pos, 10), pos.n);
	kb_docset_free(&pos);
	assert_int_equal(kb_candidates(db, &sig, "lwfmgr 蓝屏", 10, &seen, &h), KB_OK);
	assert_int_equal(h->n, 2);
	assert_int_equal(h->hits[0].docid, all->hits[0].docid);
	assert_null(h->hits[0].case_id);
	assert_int_equal(h->hits[0].nsigs, 0);
	assert_string_equal(h->hits[1].case_id, all->hits[1].case_id);
	assert_int_equal(h->hits[1].nsigs, all->hits[1].nsigs);
	kb_hits_free(h);
	assert_int_equal(kb_search_skip(db, "蓝屏", 0, 10, &seen, &h), KB_OK);
	assert_int_equal(h->n, 2);
	for (size_t i = 0; i < h->n; i++)
		assert_true((h->hits[i].case_id == NULL) == kb_docset_has(&seen, h->hits[i].docid));
	kb_hits_free(h);
	kb_hits_free(all);
	kb_docset_free(&seen);

	/* how many cases' text holds a word, as a search finds them */
	assert_int_equal(kb_word_df(db, "vwifimf", &df), KB_OK);
	assert_int_equal(df, 1);
	assert_int_equal(kb_word_df(db, "VWIFIMF", &df), KB_OK);
	assert_int_equal(df, 1);
	assert_int_equal(kb_word_df(db, "zzqqnotaword", &df), KB_OK);
	assert_int_equal(df, 0);

	/* the weight a duplicate of the query would get: a case stored with
	 * the query's text (a repeated line, an address the index leaves
	 * out) gets that weight, and it sets the scale whatever else is stored */
	static const char dup[] = "System bugchecked in acmeflt!AcmeFlushQueue, acmeflt.sys+0x1b27a\n"
				  "System bugchecked in acmeflt!AcmeFlushQueue, acmeflt.sys+0x1b27a\n"
				  "rip=fffff8057d903597 after the acmeflt update\n";
	pm_case *c = pm_case_new();
	c->id = xstrdup("DUP-1");
	c->title = xstrdup("x");
	pm_message *m = pm_case_add_message(c);
	m->body = xstrdup(dup);
	assert_int_equal(kb_put_case(db, c, NULL), KB_OK);
	pm_case_free(c);
	assert_int_equal(kb_candidates(db, NULL, dup, 10, NULL, &h), KB_OK);
	assert_true(h->n >= 1);
	assert_string_equal(h->hits[0].case_id, "DUP-1");
	assert_true(h->self_weight > 0);
	assert_true(fabs(h->hits[0].weight - h->self_weight) < 1e-6 * h->self_weight + 1e-9);
	kb_hits_free(h);
	/* searches set no scale */
	assert_int_equal(kb_search(db, "acmeflt", 0, 10, &h), KB_OK);
	assert_true(h->self_weight == 0);
	kb_hits_free(h);
	free_sig(&sig);
	kb_close(db);
	rm_dir(dir);
}

static int count_sig(void *ctx, const char *case_id, int ai, const pm_signature *sig)
{
	(void)sig;
	assert_non_null(case_id);
	assert_int_equal(ai, 0);
	(*(int *)ctx)++;
	return 0;
}

/* A search reads what an engineer is shown; a matcher's search reads the
 * case id and signatures only (the index's value slot 1, stored
 * uncompressed), and kb_fill_hits the rest for the matches shown. */
static void test_hit_forms(void **state)
{
	(void)state;
	char *dir = new_dir();
	kb_db *db = open_ok(dir, KB_WRITE);
	put(db, "CAS-06133-X9Z4Q7", "ICBC", "vwifimf");
	kb_close(db);
	db = open_ok(dir, KB_READ);

	kb_hits *h = NULL;
	assert_int_equal(kb_search(db, "vwifimf", 0, 5, &h), KB_OK);
	assert_int_equal(h->n, 1);
	kb_hit *x = &h->hits[0];
	assert_string_equal(x->case_id, "CAS-06133-X9Z4Q7");
	assert_string_equal(x->customer, "ICBC");
	assert_string_equal(x->conclusion, "第三方过滤驱动导致的 pTOS 为空");
	assert_int_equal(x->nnext_steps, 1);
	assert_int_equal(x->nsigs, 0);
	assert_int_equal(x->nanalyses, 1);
	char *title = xstrdup(x->title);
	kb_hits_free(h);

	assert_int_equal(kb_search_skip(db, "vwifimf", 0, 5, NULL, &h), KB_OK);
	assert_int_equal(h->n, 1);
	x = &h->hits[0];
	assert_string_equal(x->case_id, "CAS-06133-X9Z4Q7");
	assert_null(x->title);
	assert_null(x->customer);
	assert_null(x->conclusion);
	assert_int_equal(x->nsigs, 1);
	pm_signature s;
	assert_int_equal(sig_parse(x->sigs[0], &s), 0);
	assert_string_equal(s.bugcheck, "0xd1");
	assert_string_equal(s.frames[1].key, "nwifi!Dot11SendCompletion");
	sig_clear(&s);

	assert_int_equal(kb_fill_hits(db, &x, 1), KB_OK);
	assert_string_equal(x->title, title);
	assert_string_equal(x->customer, "ICBC");
	assert_string_equal(x->date, "2022-04-28 11:39:29");
	assert_string_equal(x->conclusion, "第三方过滤驱动导致的 pTOS 为空");
	assert_int_equal(x->nnext_steps, 1);
	assert_string_equal(x->next_steps[0], "卸载该驱动后观察");
	assert_int_equal(x->nsigs, 1); /* kept */
	assert_int_equal(kb_fill_hits(db, NULL, 0), KB_OK);
	kb_hits_free(h);
	free(title);
	kb_close(db);
	rm_dir(dir);
}

static void test_foreach_and_reindex(void **state)
{
	(void)state;
	char *dir = new_dir();
	kb_db *db = open_ok(dir, KB_WRITE);
	put(db, "A", "ICBC", "vwifimf");
	put(db, "B", "ICBC", "lwfmgr");
	int n = 0;
	assert_int_equal(kb_foreach_signature(db, count_sig, &n), KB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(kb_reindex(db), KB_OK);
	kb_stats s;
	assert_int_equal(kb_get_stats(db, &s), KB_OK);
	assert_int_equal(s.cases, 2);
	assert_int_equal(s.indexed, 2);
	assert_int_equal(search_n(db, "frame:nwifi!dot11sendcompletion"), 2);
	assert_int_equal(search_n(db, "蓝屏"), 2);
	kb_close(db);
	rm_dir(dir);
}

static void test_locked(void **state)
{
	(void)state;
	char *dir = new_dir();
	kb_db *w = open_ok(dir, KB_WRITE);
	put(w, "A", "ICBC", "vwifimf");
	kb_db *w2 = NULL;
	char err[256] = "";
	assert_int_equal(kb_open(dir, KB_WRITE, &w2, err, sizeof err), KB_LOCKED);
	assert_null(w2);
	assert_non_null(strstr(err, "locked"));
	/* a reader still answers while the writer holds the lock */
	kb_db *r = open_ok(dir, KB_READ);
	assert_int_equal(search_n(r, "vwifimf"), 1);
	put(w, "B", "ICBC", "vwifimf");
	assert_int_equal(search_n(r, "vwifimf"), 2);
	kb_close(r);
	kb_close(w);
	w2 = open_ok(dir, KB_WRITE);
	kb_close(w2);
	rm_dir(dir);
}

static void test_version_mismatch(void **state)
{
	(void)state;
	char *dir = new_dir();
	kb_db *db = open_ok(dir, KB_WRITE);
	put(db, "A", "ICBC", "vwifimf");
	kb_close(db);

	char *path = xasprintf("%s/kb.sqlite", dir);
	sqlite3 *s = NULL;
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	char err[256] = "";
	assert_int_equal(kb_open(dir, KB_READ, &db, err, sizeof err), KB_VERSION);
	assert_non_null(strstr(err, "99"));
	assert_int_equal(kb_open(dir, KB_WRITE, &db, err, sizeof err), KB_VERSION);
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "PRAGMA user_version = 1", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	free(path);
	db = open_ok(dir, KB_READ);
	kb_close(db);

	/* a directory that is not a knowledge base */
	char *empty = xasprintf("%s-none", dir);
	assert_int_equal(kb_open(empty, KB_READ, &db, err, sizeof err), KB_NOT_FOUND);
	free(empty);
	rm_dir(dir);
}

static void test_pending_repair(void **state)
{
	(void)state;
	char *dir = new_dir();
	kb_db *db = open_ok(dir, KB_WRITE);
	put(db, "FIRST", "ICBC", "vwifimf");
	kb_close(db);

	/* A child stores a case and is killed (SIGKILL) right after the
	 * SQLite commit, before the index commit. */
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setenv("PMKB_TEST_CRASH_AFTER_COMMITS", "1", 1);
		kb_db *c = NULL;
		if (kb_open(dir, KB_WRITE, &c, NULL, 0) != KB_OK)
			_exit(3);
		pm_case *k = make_case("SECOND", "ICBC", "lwfmgr");
		kb_put_case(c, k, NULL);
		_exit(4); /* not reached: the hook kills the process */
	}
	int wst = 0;
	assert_int_equal(waitpid(pid, &wst, 0), pid);
	assert_true(WIFSIGNALED(wst));
	assert_int_equal(WTERMSIG(wst), SIGKILL);

	/* SQLite has the whole case, the index does not yet */
	db = open_ok(dir, KB_READ);
	kb_stats s;
	assert_int_equal(kb_get_stats(db, &s), KB_OK);
	assert_int_equal(s.cases, 2);
	assert_int_equal(s.messages, 4);
	assert_int_equal(s.indexed, 1);
	assert_int_equal(search_n(db, "lwfmgr"), 0);
	kb_close(db);

	/* a writable open repairs */
	db = open_ok(dir, KB_WRITE);
	kb_close(db);
	db = open_ok(dir, KB_READ);
	assert_int_equal(kb_get_stats(db, &s), KB_OK);
	assert_int_equal(s.indexed, 2);
	assert_int_equal(search_n(db, "lwfmgr"), 1);
	kb_close(db);
	rm_dir(dir);
}

static void test_invalid(void **state)
{
	(void)state;
	char *dir = new_dir();
	kb_db *db = open_ok(dir, KB_WRITE);
	pm_case *c = pm_case_new();
	assert_int_equal(kb_put_case(db, c, NULL), KB_INVALID);
	/* a very long id still round-trips (its unique term is hashed) */
	char *id = xcalloc(600, 1);
	memset(id, 'x', 599);
	c->id = id;
	c->title = xstrdup("long id");
	assert_int_equal(kb_put_case(db, c, NULL), KB_OK);
	assert_int_equal(kb_put_case(db, c, NULL), KB_OK);
	kb_stats s;
	assert_int_equal(kb_get_stats(db, &s), KB_OK);
	assert_int_equal(s.cases, 1);
	assert_int_equal(s.indexed, 1);
	pm_case_free(c);
	kb_close(db);
	rm_dir(dir);
}

static void test_shards(void **state)
{
	(void)state;
	char *a = new_dir(), *b = new_dir();
	kb_db *db = open_ok(a, KB_WRITE);
	put(db, "A1", "ICBC", "vwifimf");
	put(db, "BOTH", "ICBC", "vwifimf");
	kb_close(db);
	db = open_ok(b, KB_WRITE);
	put(db, "B1", "中信建投", "lwfmgr");
	put(db, "BOTH", "ICBC", "vwifimf");
	kb_close(db);

	db = open_ok(a, KB_READ);
	assert_int_equal(search_n(db, "蓝屏"), 2);
	char err[256] = "";
	assert_int_equal(kb_add_shard(db, b, err, sizeof err), KB_OK);
	assert_int_equal(search_n(db, "蓝屏"), 3); /* BOTH once */
	assert_int_equal(search_n(db, "customer:中信建投"), 1);
	unsigned long df = 0, nd = 0;
	assert_int_equal(kb_term_df(db, "module", "vwifimf", &df, &nd), KB_OK);
	assert_int_equal(nd, 4); /* documents of both indexes */
	char *none = xasprintf("%s-none", a);
	assert_int_equal(kb_add_shard(db, none, err, sizeof err), KB_NOT_FOUND);
	free(none);
	assert_int_equal(kb_add_shard(db, "tcp://127.0.0.1:1", err, sizeof err), KB_UNAVAILABLE);
	assert_int_equal(kb_add_shard(db, "tcp://nohostport", err, sizeof err), KB_INVALID);
	kb_close(db);

	db = open_ok(a, KB_WRITE);
	assert_int_equal(kb_add_shard(db, b, err, sizeof err), KB_INVALID);
	kb_close(db);
	assert_int_equal(kb_open("tcp://127.0.0.1:1", KB_WRITE, &db, err, sizeof err), KB_INVALID);
	rm_dir(a);
	rm_dir(b);
}

static void test_default_dir(void **state)
{
	(void)state;
	setenv("PMKB_DB", "/x/kb", 1);
	char *d = kb_default_dir();
	assert_string_equal(d, "/x/kb");
	free(d);
	unsetenv("PMKB_DB");
	setenv("XDG_DATA_HOME", "/x/data", 1);
	d = kb_default_dir();
	assert_string_equal(d, "/x/data/pmkb");
	free(d);
	unsetenv("XDG_DATA_HOME");
	setenv("HOME", "/home/u", 1);
	d = kb_default_dir();
	assert_string_equal(d, "/home/u/.local/share/pmkb");
	free(d);
	/* no HOME (or a relative one): no default, never "./.local/share/pmkb" */
	unsetenv("HOME");
	assert_null(kb_default_dir());
	setenv("HOME", "relative", 1);
	assert_null(kb_default_dir());
	setenv("HOME", "/home/u", 1);
}

/* Case id with make_case's content, its last message sent at date. */
static void put_dated(kb_db *db, const char *id, const char *date)
{
	pm_case *c = make_case(id, "ICBC", "vwifimf");
	free(c->messages[c->nmessages - 1].sent);
	c->messages[c->nmessages - 1].sent = xstrdup(date);
	pm_case_update_dates(c);
	pm_signature sig;
	make_sig(&sig);
	kb_status st = kb_put_case(db, c, &sig);
	if (st != KB_OK)
		fail_msg("kb_put_case: %s", kb_last_error(db));
	free_sig(&sig);
	pm_case_free(c);
}

/* The case ids of the candidates of make_sig, in order, one string. */
static char *candidate_order(kb_db *db)
{
	pm_signature sig;
	make_sig(&sig);
	kb_hits *h = NULL;
	assert_int_equal(kb_candidates(db, &sig, NULL, 10, NULL, &h), KB_OK);
	sbuf sb = {0};
	for (size_t i = 0; i < h->n; i++)
		sb_addf(&sb, "%s ", h->hits[i].case_id);
	kb_hits_free(h);
	free_sig(&sig);
	return sb_detach(&sb);
}

/* Equal weights are ordered newest first: a handle that keeps the dates
 * in memory (kb_match_dates_resident, packed to seven bytes when every
 * date has the stored form) orders as one that reads them, and reads them
 * again when a writer changed one; and the shim's own weighing
 * (kb_match_direct, the default) orders as Xapian's Enquire does. */
static void test_resident_dates(void **st)
{
	(void)st;
	char *dir = new_dir();
	kb_db *w = open_ok(dir, KB_WRITE);
	/* the same content: the same weight; the dates not in id order, one
	 * case without a date */
	put_dated(w, "CAS-A", "2022-04-26 10:00:00");
	put_dated(w, "CAS-B", "2023-01-02 09:00:00");
	put_dated(w, "CAS-C", "2021-12-31 23:59:59");
	put_dated(w, "CAS-D", "2023-01-01 00:00:00");
	put_dated(w, "CAS-E", "");
	assert_int_equal(kb_commit(w), KB_OK);

	kb_db *plain = open_ok(dir, KB_READ), *res = open_ok(dir, KB_READ), *enq = open_ok(dir, KB_READ);
	kb_match_dates_resident(res, 1);
	kb_match_direct(enq, 0);
	char *a = candidate_order(plain), *b = candidate_order(res), *e = candidate_order(enq);
	assert_string_equal(a, "CAS-B CAS-D CAS-A CAS-C CAS-E ");
	assert_string_equal(b, a);
	assert_string_equal(e, a);
	free(a);
	free(b);
	free(e);

	/* a writer makes the oldest case the newest, and adds one */
	put_dated(w, "CAS-C", "2024-05-05 05:05:05");
	put_dated(w, "CAS-F", "2022-06-01 12:00:00");
	assert_int_equal(kb_commit(w), KB_OK);
	a = candidate_order(plain);
	b = candidate_order(res);
	e = candidate_order(enq);
	assert_string_equal(a, "CAS-C CAS-B CAS-D CAS-F CAS-A CAS-E ");
	assert_string_equal(b, a);
	assert_string_equal(e, a);
	free(a);
	free(b);
	free(e);

	/* a date of another form: the table keeps the texts, same order */
	put_dated(w, "CAS-G", "2022-06-01");
	assert_int_equal(kb_commit(w), KB_OK);
	a = candidate_order(plain);
	b = candidate_order(res);
	e = candidate_order(enq);
	assert_string_equal(a, "CAS-C CAS-B CAS-D CAS-F CAS-G CAS-A CAS-E ");
	assert_string_equal(b, a);
	assert_string_equal(e, a);
	free(a);
	free(b);
	free(e);
	kb_close(enq);
	kb_close(plain);
	kb_close(res);
	kb_close(w);
	rm_dir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_idempotent),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_hit_forms),
		cmocka_unit_test(test_foreach_and_reindex),
		cmocka_unit_test(test_locked),
		cmocka_unit_test(test_version_mismatch),
		cmocka_unit_test(test_pending_repair),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_shards),
		cmocka_unit_test(test_default_dir),
		cmocka_unit_test(test_resident_dates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
