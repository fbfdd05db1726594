/* match.h - "have we seen this?": one query signature against the
 * knowledge base. Candidates come from the index (kb_candidates, BM25 over
 * signature terms and text), are re-ranked by the structured score
 * (score.h) with frame rarity from the knowledge base (kb_term_df), and
 * the known-signature rules (rules.h) decide "known" before similarity
 * does. The output model is what `pmkb match` prints (docs/match-json.md).
 */
#ifndef PMKB_MATCH_H
#define PMKB_MATCH_H

#include <stddef.h>
#include "../kb/kb.h"
#include "rules.h"
#include "score.h"

/* What a long-lived reader (pmkb serve, one per worker and its handle)
 * keeps between matches so as not to do it again: the candidates' parsed
 * signatures (by document and analysis, until the index changes,
 * kb_revision; with shards, checked against the signature text), the
 * documents kept whole, which the candidate search then does not read,
 * and the rarity of the terms looked up (until the index changes). Answers are
 * the same with and without it (tests/unit/test-match-cache.c). Not
 * thread-safe: one per thread. */
typedef struct match_cache match_cache;
match_cache *match_cache_new(void);
void match_cache_free(match_cache *c);
/* Look-ups answered from c and done anew, since it was made. */
void match_cache_counts(const match_cache *c, size_t *sig_hits, size_t *sig_misses,
			size_t *idf_hits, size_t *idf_misses);
/* Candidates the index search did not read again because c keeps their
 * document whole (one index only), since c was made. */
size_t match_cache_docs_reused(const match_cache *c);

typedef struct match_opts {
	const ruleset *rules;       /* NULL or empty: similarity alone */
	const score_params *params; /* NULL: score_defaults */
	size_t limit;               /* matches kept (0: 5) */
	size_t candidates;          /* candidates asked from the index (0: 50) */
	const char *exclude_case;   /* leave this case out (leave-one-out evaluation) */
	int use_text;               /* 1: compare text even when the query has a stack */
	int keep_all;               /* 1: keep candidates that share nothing structured (evaluation) */
	size_t text_analyses;       /* analyses the query text holds (0: unknown, taken as one);
				     * with several, the drivers it names are not this one's */
	match_cache *cache;         /* NULL: none (one process per query) */
} match_opts;

typedef struct match_item {
	char *case_id, *title, *customer, *date, *conclusion;
	char **next_steps;
	size_t nnext_steps;
	int analysis;               /* index of the case's analysis that scored best, -1 none */
	double score;               /* 0..1, what the ranking uses (rule credit included) */
	double similarity;          /* the structured score alone */
	score_result parts;
	const rule *rule;           /* the query's rule also names this case / fires on it */
	score_evs evidence;
	unsigned docid;             /* its index document (kb_fill_hits) */
	int tie_culprit, tie_fault; /* same culprit, same top kept frame (ties) */
	double tie_text;            /* text similarity, 0 when not compared (ties) */
	int steps_tied;             /* next steps and conclusion are those answering the
				     * matched analysis (else the case's: an index
				     * without note messages, or no analysis) */
	char **own_mods, **other_mods; /* third-party modules of the matched analysis
				     * and of the case's others (tie_steps) */
	size_t nown_mods, nother_mods;
	int *next_step_msgs;        /* kb_hit's, until the steps are tied */
	int conclusion_msg;
	int *analysis_msgs;
	size_t nanalysis_msgs;
	int feedback;               /* engineer feedback (feedback.h): 1 same root cause as
				     * what the query is, -1 different, 0 none */
	int kept;                   /* a match keeps it (it shares something structured,
				     * a rule or feedback names it; match_opts.keep_all
				     * keeps the others too) */
	/* match.c's own: the matched analysis, kept until the evidence is
	 * written for the items that are shown (most candidates are not) */
	pm_signature ev_sig;
	int ev_how;
	size_t ev_added;
} match_item;

typedef struct match_result {
	verdict v;
	double confidence;
	double best_similarity;     /* best structured score over all candidates */
	double verdict_score;       /* what the verdict and confidence read: the top
				     * case's score_evidence_total */
	double margin;              /* the top case's score minus the next kept case's
				     * (its own score when there is none) */
	double features[CF_N];      /* what the confidence read (score_conf_features) */
	const rule *rule;           /* best rule firing on the query, or NULL */
	rule_result rule_res;
	const char *thin;           /* static reason when the query is thin (no kept
				     * frame, no culprit): the verdict rests on little */
	match_item *items;
	size_t n, cap;
} match_result;

/* Rank the knowledge base against q (text: the query text or NULL). On
 * success out holds the result (caller clears with match_result_clear); a
 * kb failure is returned as is (reason in kb_last_error). An empty
 * knowledge base is not an error: verdict new, or known by a rule. */
kb_status match_signature(kb_db *db, const pm_signature *q, const char *text,
			  const match_opts *o, match_result *out);
void match_result_clear(match_result *r);

/* The text of a candidate that the query text is compared with: title,
 * conclusion, next steps and the one-line signatures. Caller frees. */
char *match_hit_text(const kb_hit *h);

/* The version of the shape `pmkb match --json` prints (docs/match-json.md);
 * 2: top-level verdict of the best analysis, results, ref, tied_with. */
#define MATCH_JSON_FORMAT 2

/* Output: JSON object of one result (docs/match-json.md) and the text an
 * engineer reads. */
void match_json(const match_result *r, sbuf *out);
/* The members of that object, into w's open object (match --json puts the
 * best analysis's at the top level). */
struct jw;
void match_json_members(const match_result *r, struct jw *w);
void match_text(const match_result *r, sbuf *out);

#endif
