/* test-match-cache.c - what a server's worker keeps between matches
 * (match_cache, matcher/match.h) changes no answer: every WinDbg text of
 * tests/data/windbg is stored as a case and matched against the others
 * without a cache, with a fresh one and with one warm from earlier
 * matches, and the JSON is compared byte for byte; the cache is used
 * (hits counted); a case a writer commits beside the reader is seen, and
 * the rarity of terms is looked up again after it; an index reindex
 * swaps in with the reader's own revision number is read. The matcher changes
 * the candidates it scores (modules their case's prose names): a second
 * round of the same queries would differ if that reached the cache. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../import/readers.h"
#include "../../matcher/match.h"
#include "testdata.h"

#define MAXF 64

static char *dir, *kbdir;
static char *names[MAXF], *texts[MAXF];
static size_t nfiles;

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Store text as case id (what import reads of one message). */
static void put(kb_db *w, const char *id, const char *text)
{
	pm_case *c = pm_case_new();
	c->id = xstrdup(id);
	c->title = xstrdup(id);
	c->format = xstrdup("thread");
	pm_message *m = pm_case_add_message(c);
	m->body = xstrdup(text);
	windbg_extract(text, strlen(text), 0, c);
	assert_int_equal(kb_put_case(w, c, NULL), KB_OK);
	pm_case_free(c);
}

static int setup(void **st)
{
	(void)st;
	DIR *d = opendir("tests/data/windbg");
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d)) && nfiles < MAXF) {
		size_t n = strlen(e->d_name);
		if (n > 4 && !strcmp(e->d_name + n - 4, ".txt"))
			names[nfiles++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, nfiles, sizeof *names, name_cmp);
	assert_true(nfiles >= 10);
	for (size_t i = 0; i < nfiles; i++) {
		char *p = xasprintf("tests/data/windbg/%s", names[i]);
		texts[i] = test_load(p, NULL);
		free(p);
	}
	const char *base = getenv("TMPDIR");
	dir = xasprintf("%s/pmkb-test-match-cache-XXXXXX", base && *base ? base : P_tmpdir);
	assert_non_null(mkdtemp(dir));
	kbdir = xasprintf("%s/kb", dir);
	char err[256];
	kb_db *w = NULL;
	assert_int_equal(kb_open(kbdir, KB_WRITE, &w, err, sizeof err), KB_OK);
	/* all but the last file: that one is imported beside the reader */
	for (size_t i = 0; i + 1 < nfiles; i++) {
		char *id = xasprintf("CAS-%02zu", i);
		put(w, id, texts[i]);
		free(id);
	}
	assert_int_equal(kb_commit(w), KB_OK);
	kb_close(w);
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(dir);
	free(kbdir);
	for (size_t i = 0; i < nfiles; i++) {
		free(names[i]);
		free(texts[i]);
	}
	return 0;
}

/* The JSON of matching file i against db (c: the cache or NULL), every
 * analysis of it, five matches each; with text so the text score and the
 * prose modules take part. */
static char *match_json_of(kb_db *db, size_t i, match_cache *c)
{
	pm_case *q = pm_case_new();
	windbg_extract(texts[i], strlen(texts[i]), -1, q);
	sbuf sb = {0};
	for (size_t a = 0; a < q->nanalyses; a++) {
		pm_signature sig;
		sig_build(&q->analyses[a], &sig, NULL);
		match_opts o = {.limit = 5, .use_text = 1, .cache = c};
		match_result r;
		assert_int_equal(match_signature(db, &sig, texts[i], &o, &r), KB_OK);
		match_json(&r, &sb);
		sb_addf(&sb, "\n");
		match_result_clear(&r);
		sig_clear(&sig);
	}
	pm_case_free(q);
	return sb_detach(&sb);
}

/* Every file's answer from db with cache c is that of a fresh reader of
 * the knowledge base at kb (after what changed it: what). */
static void same_as_fresh(kb_db *db, match_cache *c, const char *kb, const char *what)
{
	char err[256];
	kb_db *fresh = NULL;
	assert_int_equal(kb_open(kb, KB_READ, &fresh, err, sizeof err), KB_OK);
	for (size_t i = 0; i < nfiles; i++) {
		char *a = match_json_of(db, i, c);
		char *b = match_json_of(fresh, i, NULL);
		if (strcmp(a, b))
			fail_msg("%s: the cache answered other than a fresh reader %s", names[i], what);
		free(a);
		free(b);
	}
	kb_close(fresh);
}

/* Every file matched without, with a fresh and with a warm cache: the
 * same answers; the warm cache answered from what it kept. */
static void test_same_answers(void **st)
{
	(void)st;
	char err[256];
	kb_db *db = NULL;
	assert_int_equal(kb_open(kbdir, KB_READ, &db, err, sizeof err), KB_OK);
	match_cache *c = match_cache_new();
	size_t sh, sm, ih, im;
	for (int round = 0; round < 2; round++)
		for (size_t i = 0; i < nfiles; i++) {
			char *plain = match_json_of(db, i, NULL);
			char *cached = match_json_of(db, i, c);
			assert_non_null(strstr(plain, "\"verdict\""));
			if (strcmp(plain, cached))
				fail_msg("%s, round %d: the cache changed the answer", names[i], round);
			free(plain);
			free(cached);
		}
	match_cache_counts(c, &sh, &sm, &ih, &im);
	/* the second round parsed nothing anew, looked no term up anew */
	assert_true(sm > 0);
	assert_true(sh >= sm);
	assert_true(im > 0);
	assert_true(ih > im);
	/* and the second round's candidates were not read from the index
	 * again: the cache kept their documents whole */
	assert_true(match_cache_docs_reused(c) > 0);
	match_cache_free(c);
	kb_close(db);
}

/* A case committed by a writer while the reader and its cache live is
 * found, answers stay those of a fresh reader, and the rarity of terms is
 * looked up again (the index revision changed). */
static void test_import_beside(void **st)
{
	(void)st;
	char err[256];
	kb_db *db = NULL;
	assert_int_equal(kb_open(kbdir, KB_READ, &db, err, sizeof err), KB_OK);
	/* as a server's worker: the dates, posting lists and term
	 * frequencies kept, of the revision read */
	kb_match_dates_resident(db, 1);
	match_cache *c = match_cache_new();
	size_t last = nfiles - 1;
	for (size_t i = 0; i < nfiles; i++)
		free(match_json_of(db, i, c));
	char *before = match_json_of(db, last, c);
	assert_null(strstr(before, "CAS-NEW"));
	size_t sh, sm, ih0, im0, ih1, im1;
	match_cache_counts(c, &sh, &sm, &ih0, &im0);

	kb_db *w = NULL;
	assert_int_equal(kb_open(kbdir, KB_WRITE, &w, err, sizeof err), KB_OK);
	put(w, "CAS-NEW", texts[last]);
	assert_int_equal(kb_commit(w), KB_OK);
	kb_close(w);

	char *after = match_json_of(db, last, c);
	assert_non_null(strstr(after, "CAS-NEW"));
	match_cache_counts(c, &sh, &sm, &ih1, &im1);
	assert_true(im1 > im0); /* looked up again after the commit */
	same_as_fresh(db, c, kbdir, "after an import");
	free(before);
	free(after);
	match_cache_free(c);
	kb_close(db);
}

/* A case a writer replaces while the reader and its cache live (the same
 * index document, now with another analysis): the cache's parsed
 * signatures of it are not used again (on one index they are dropped
 * when its revision changes), answers stay those of a fresh reader. */
static void test_replace_beside(void **st)
{
	(void)st;
	char err[256];
	kb_db *db = NULL;
	assert_int_equal(kb_open(kbdir, KB_READ, &db, err, sizeof err), KB_OK);
	match_cache *c = match_cache_new();
	for (int round = 0; round < 2; round++)
		for (size_t i = 0; i < nfiles; i++)
			free(match_json_of(db, i, c));

	/* CAS-00 now holds the analysis of the second file */
	kb_db *w = NULL;
	assert_int_equal(kb_open(kbdir, KB_WRITE, &w, err, sizeof err), KB_OK);
	put(w, "CAS-00", texts[1]);
	assert_int_equal(kb_commit(w), KB_OK);
	kb_close(w);

	same_as_fresh(db, c, kbdir, "after a case was replaced");
	match_cache_free(c);
	kb_close(db);
}

/* The index rebuilt and swapped in beside a warm reader, with the
 * revision number the reader already has: a small knowledge base of four
 * cases, each committed on its own (revisions 2 to 5); the reader warms
 * its cache; a writer replaces CAS-00's analysis (revision 6, not read)
 * and reindexes one case a commit, which gives the new index revision 5
 * again. The reader must move to the new index and drop what it kept of
 * the old: answers those of a fresh reader, and a revision other than
 * the one it had. */
static void test_reindex_beside(void **st)
{
	(void)st;
	char err[256];
	char *kb2 = xasprintf("%s/kb-reindex", dir);
	kb_db *w = NULL;
	assert_int_equal(kb_open(kb2, KB_WRITE, &w, err, sizeof err), KB_OK);
	for (size_t i = 0; i < 4; i++) {
		char *id = xasprintf("CAS-%02zu", i);
		put(w, id, texts[i]);
		assert_int_equal(kb_commit(w), KB_OK);
		free(id);
	}
	kb_close(w);

	kb_db *db = NULL;
	assert_int_equal(kb_open(kb2, KB_READ, &db, err, sizeof err), KB_OK);
	match_cache *c = match_cache_new();
	for (int round = 0; round < 2; round++)
		for (size_t i = 0; i < nfiles; i++)
			free(match_json_of(db, i, c));
	unsigned long long before = 0, after = 0, fresh_rev = 0;
	assert_int_equal(kb_revision(db, &before), KB_OK);

	assert_int_equal(setenv("PMKB_BATCH_SIZE", "1", 1), 0);
	assert_int_equal(kb_open(kb2, KB_WRITE, &w, err, sizeof err), KB_OK);
	put(w, "CAS-00", texts[5]);
	assert_int_equal(kb_commit(w), KB_OK);
	assert_int_equal(kb_reindex(w), KB_OK);
	kb_close(w);
	assert_int_equal(unsetenv("PMKB_BATCH_SIZE"), 0);

	kb_db *fresh = NULL;
	assert_int_equal(kb_open(kb2, KB_READ, &fresh, err, sizeof err), KB_OK);
	assert_int_equal(kb_revision(fresh, &fresh_rev), KB_OK);
	kb_close(fresh);
	/* the case this test is about: the same revision number */
	assert_int_equal(fresh_rev, before);
	same_as_fresh(db, c, kb2, "after a reindex beside it (the old index's answers)");
	assert_int_equal(kb_revision(db, &after), KB_OK);
	assert_true(after != before);
	match_cache_free(c);
	kb_close(db);
	free(kb2);
}

/* Each hit of h as a line: label (when not NULL), case, docid and the
 * weight's bits. */
static void put_hits(sbuf *sb, const char *label, const kb_hits *h)
{
	for (size_t k = 0; k < h->n; k++)
		sb_addf(sb, "%s%s%s %u %a\n", label ? label : "", label ? " " : "",
			h->hits[k].case_id ? h->hits[k].case_id : "-", h->hits[k].docid, h->hits[k].weight);
}

/* The candidates of file i's analyses against db: case, docid and the
 * weight's bits, limit of them each (with and without the text); and the
 * hits of the matcher's search for each module the analyses name. */
static char *candidates_of(kb_db *db, size_t i, size_t limit)
{
	pm_case *q = pm_case_new();
	windbg_extract(texts[i], strlen(texts[i]), -1, q);
	sbuf sb = {0};
	for (size_t a = 0; a < q->nanalyses; a++) {
		pm_signature sig;
		sig_build(&q->analyses[a], &sig, NULL);
		for (int t = 0; t < 2; t++) {
			kb_hits *h = NULL;
			assert_int_equal(kb_candidates(db, &sig, t ? texts[i] : NULL, limit, NULL, &h), KB_OK);
			put_hits(&sb, NULL, h);
			sb_addf(&sb, "--\n");
			kb_hits_free(h);
		}
		/* the matcher's search for a module's name in the cases' text */
		for (size_t m = 0; m < sig.nmodules; m++) {
			kb_hits *h = NULL;
			assert_int_equal(kb_search_skip(db, sig.modules[m], 0, limit, NULL, &h), KB_OK);
			put_hits(&sb, sig.modules[m], h);
			kb_hits_free(h);
		}
		sig_clear(&sig);
	}
	pm_case_free(q);
	return sb_detach(&sb);
}

/* The shim weighs the candidate query from the posting lists itself
 * (kb_match_direct, the default), keeping them in a long-lived reader:
 * the same hits, in the same order, with the same weights to the last
 * bit as Xapian's Enquire gives, at a limit that cuts through runs of
 * equal weight (3) and one that takes all (50); and again when the kept
 * lists answer. A module's name searched alone (one term) is weighed the
 * same way. */
static void test_direct_candidates(void **st)
{
	(void)st;
	char err[256];
	kb_db *ref = NULL, *direct = NULL, *kept = NULL;
	assert_int_equal(kb_open(kbdir, KB_READ, &ref, err, sizeof err), KB_OK);
	assert_int_equal(kb_open(kbdir, KB_READ, &direct, err, sizeof err), KB_OK);
	assert_int_equal(kb_open(kbdir, KB_READ, &kept, err, sizeof err), KB_OK);
	kb_match_direct(ref, 0);
	kb_match_dates_resident(kept, 1);
	size_t compared = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < nfiles; i++)
			for (size_t limit = 3; limit <= 50; limit += 47) {
				char *a = candidates_of(ref, i, limit), *b = candidates_of(direct, i, limit),
				     *c = candidates_of(kept, i, limit);
				assert_string_equal(b, a);
				assert_string_equal(c, a);
				compared += strlen(a) > 8;
				free(a);
				free(b);
				free(c);
			}
	assert_true(compared >= nfiles);
	kb_close(ref);
	kb_close(direct);
	kb_close(kept);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_answers),
		cmocka_unit_test(test_direct_candidates),
		cmocka_unit_test(test_import_beside),
		cmocka_unit_test(test_replace_beside),
		cmocka_unit_test(test_reindex_beside),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
