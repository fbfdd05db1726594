/* score.h - the structured similarity of two crash signatures, part by
 * part (stack alignment, third-party modules, pool tags, bugcheck and
 * arguments, culprit, text), the verdict and its confidence. Pure C:
 * no storage calls; frame rarity comes in through a callback. How the
 * score is made and calibrated: docs/matching.md.
 */
#ifndef PMKB_SCORE_H
#define PMKB_SCORE_H

#include <stddef.h>
#include "../sig/signature.h"

typedef enum score_part {
	SP_STACK = 0, /* top-weighted, rarity-weighted alignment of the kept frames */
	SP_MODULES,   /* Jaccard of the third-party modules (and pool owners) */
	SP_POOL,      /* Jaccard of the pool tags */
	SP_BUGCHECK,  /* same code (and Arg1): weak, one cause crosses codes */
	SP_CULPRIT,   /* same culprit: the driver a person would blame (the faulting image) */
	SP_TEXT,      /* cosine of word / CJK-bigram counts */
	SP_FAULT_IP,  /* the fault address argument at the same offset in its page: one
		       * instruction under another load address; counts only when it agrees */
	SP_PROCESS,   /* the same process name, times its rarity (both sides name one) */
	SP_N
} score_part;

const char *score_part_name(score_part p); /* "stack", "modules", ... */

typedef struct score_params {
	double weight[SP_N];  /* weight of each part in the total */
	double min_evidence;  /* denominator floor: a query with little in it cannot score high */
	double pos_decay;     /* frame i weighs exp(-pos_decay * i): the top says the most */
	double gap_decay;     /* aligned frames at positions i, j weigh exp(-gap_decay * |i-j|) */
	size_t max_frames;    /* kept frames compared (top first) */
	double t_known;       /* score at or above which a case is "known" (near-identical) */
	double t_similar;     /* score at or above which a case is "similar"; below: "new" */
	double calib_k;       /* confidence = 1 / (1 + exp(-calib_k * (score - t_similar))) */
	double unsym;         /* credit for two unsymbolised frames of one third-party module at other offsets */
	double rarity;        /* exponent on the frame rarity (0: every frame weighs the same) */
	double symmix;        /* credit for a symbolised and an unsymbolised frame of one third-party module */
	double short_stack;   /* stack part of a one-frame alignment (two frames: halfway to 1) */
	double family;        /* bugcheck part for another code of the same family (0xa/0xd1, ...) */
	double bugcheck_only; /* factor on a total made of bugcheck agreement alone */
	double inbox_culprit; /* culprit part when both blame one inbox module (nt, ndis) */
	double text_bm25;     /* text part of a thin query: at least this times the case's
			       * BM25 weight relative to the best candidate's (match.c) */
	double text_verdict;  /* share of the text part's weight the verdict counts */
	double mod_rarity;    /* exponent on a module's rarity (modules and culprit parts) */
	double culprit_named; /* culprit part when one side's third-party culprit is a module the
			       * other names without blaming it */
	double prose_credit;  /* factor on module and culprit agreement that only a case's (or
			       * the query's) text shows (match.c module-text) */
	double unknown_weight; /* share of a part's weight counted (at 0) when only the query
				* has data for it: what is not known is not agreement */
	double stack_depth;   /* the stack weight grows by this share for 8 kept frames on
			       * both sides (linearly from 1) */
	double same_bucket;   /* the least total of one program's crash with one code at one
			       * place (score_same_bucket) */
	double same_text_words; /* the least distinct words of a query whose text a case holds
				 * whole to be that report again */
} score_params;

extern const score_params score_defaults;

/* Override parameters from "name=value,name=value" (names: the part names
 * for weights, and min_evidence, pos_decay, gap_decay, max_frames,
 * t_known, t_similar, calib_k, unsym, rarity). Returns 0, or -1 naming the bad item
 * in err. For calibration experiments (pmkb eval --param). */
int score_params_parse(const char *spec, score_params *p, char *err, size_t errsz);

/* Rarity of a frame key in 0..1 (1: never seen elsewhere; near 0: on every
 * stack). NULL callback: every frame weighs 1. A key that starts with a
 * tab (no frame key holds one) names another field: SCORE_ARGKEY + "0x1e/
 * c0000005" (a code and Arg1, score_arg_key) weighs Arg1 agreement,
 * SCORE_MODKEY + "vwifimf" (a module) weighs module and culprit agreement,
 * SCORE_PROCKEY + "explorer.exe" (a process) process agreement.
 * key_fold is sig_fold_hash(frame_key) when the caller has it (a kept
 * frame's sig_frame.key_fold), else 0. */
typedef double (*score_idf_fn)(void *ctx, const char *frame_key, uint32_t key_fold);
#define SCORE_ARGKEY "\tbugarg:"
#define SCORE_MODKEY "\tmodule:"
#define SCORE_PROCKEY "\tprocess:"

/* The rarity key of s's code and Arg1: SCORE_ARGKEY + sig_arg_key
 * ("<tab>bugarg:0x1e/c0000005"). NULL when s lacks either. Caller frees. */
char *score_arg_key(const pm_signature *s);

/* Are q and c the same dump? Same code and all four arguments equal, one of
 * them an address (8+ significant hex digits, 5+ distinct digits): two
 * different dumps practically never share them. */
int score_same_dump(const pm_signature *q, const pm_signature *c);
/* Two application crashes (no bug check) of one program with the same
 * exception code at the same place (the first kept frame, module and
 * offset): WER's own bucket key. */
int score_same_bucket(const pm_signature *q, const pm_signature *c);

/* Are two codes of one family ("unhandled exception" 0x1e/0x7e/0x8e/0x3b,
 * "IRQL" 0xa/0xd1, "bad or freed memory" 0x50/0xd5/0xcc)? Not when equal. */
int score_code_family(const char *a, const char *b);

/* The culprit of s: the reader's culprit (signature.h) when it has one,
 * else the faulting image. Borrowed, may be NULL. The culprit part is
 * present when both sides have one (a stored analysis without one neither
 * agrees nor disagrees). */
const char *score_culprit(const pm_signature *s);

typedef struct score_result {
	double part[SP_N];    /* each 0..1 */
	int present[SP_N];    /* the query has data for this part (it counts in the total) */
	double total;         /* 0..1 */
	int same_dump;        /* score_same_dump: ranked first, total at least 0.95 */
	int same_bucket;      /* score_same_bucket: one program's crash at one place, total at
			       * least same_bucket (docs/matching.md) */
	int same_text;        /* the case holds every word of a thin query of at least
			       * same_text_words words, as often: the same report posted
			       * again (match.c); total at least same_bucket */
	int bugcheck_only;    /* nothing but the bugcheck agreed (score_evidence_total) */
	int process_only;     /* nothing but the process (and perhaps the bugcheck) agreed:
			       * weighed down as bugcheck_only is, not flagged as it */
	size_t depth;         /* kept frames both sides hold, to 8: the stack part's weight */
	int thin;             /* the query holds fewer than two kept frames: a total made of
			       * bugcheck agreement alone is ranked at bugcheck_only of it */
	int kernel_culprit;   /* both culprits are the kernel (nt, hal): no more evidence of
			       * one cause than the code (bugcheck_only) */
	int unknown[SP_N];    /* the query has data for the part, the candidate none (a stack,
			       * pool tags, a culprit): unknown_weight of its weight, at 0 */
} score_result;

/* Score candidate c against query q. text_sim is the text part in 0..1, or
 * negative when there is no text to compare. Never fails. */
double score_pair(const pm_signature *q, const pm_signature *c, double text_sim,
		  const score_params *p, score_idf_fn idf, void *idf_ctx, score_result *out);

/* Recompute r's total (and its bugcheck_only flag) from its parts, as
 * score_pair does: for a caller that changed a part. */
void score_retotal(score_result *r, const score_params *p);

/* The stack part alone (exposed for tests). */
double score_stack(const pm_signature *q, const pm_signature *c, const score_params *p,
		   score_idf_fn idf, void *idf_ctx);

/* Cosine similarity of two UTF-8 texts over lower-cased ASCII words (3+
 * characters, hex noise dropped) and CJK character bigrams; 0..1. */
double score_text_sim(const char *a, const char *b);

/* A text's words counted once, to compare with many (a query's text with
 * every candidate's, whose words a server's worker keeps between matches):
 * score_text_sim_text(score_text_new(a), score_text_new(b)) is
 * score_text_sim(a, b). score_text_new(NULL) is NULL; free with
 * score_text_free (NULL is fine). */
typedef struct score_text score_text;
score_text *score_text_new(const char *t);
void score_text_free(score_text *v);
double score_text_sim_text(const score_text *a, const score_text *b);
/* A copy of x in score_text_size(x) bytes at mem (aligned for a double),
 * never freed on its own (in memory its owner frees at once). */
size_t score_text_size(const score_text *x);
/* How many distinct words (and bigrams) x holds; 0 for NULL. */
size_t score_text_words(const score_text *x);
score_text *score_text_place(const score_text *x, void *mem);

/* Field-by-field evidence: what matched and what did not. */
typedef struct score_ev {
	char *field;   /* "bugcheck", "arg1", "frame", "module", "pooltag", "process", "image" */
	char *query;   /* value in the query or NULL */
	char *cand;    /* value in the candidate or NULL */
	int matched;
} score_ev;

typedef struct score_evs {
	score_ev *ev;
	size_t n, cap;
} score_evs;

/* Append the evidence comparing q and c to out (caller frees with
 * score_evs_clear). Bounded: at most max_frames frames each way. */
void score_evidence(const pm_signature *q, const pm_signature *c, const score_params *p,
		    score_evs *out);
void score_evs_add(score_evs *e, const char *field, const char *q, const char *c, int matched);
void score_evs_clear(score_evs *e);

/* The score the verdict reads: the total with the text part at
 * text_verdict of its weight, times p->bugcheck_only when nothing but the
 * bugcheck agreed (a code and Arg1 alone never reach t_similar); the same
 * dump's total as it is. The ranking keeps the plain total. */
double score_evidence_total(const score_result *r, const score_params *p);

/* What agrees between a query and its top case: pmkb eval --json prints
 * them for each row, so that scripts/calibrate.sh -f can measure what a
 * confidence reading them would add to one reading the score alone
 * (docs/matching.md, "Which evidence agrees"). The confidence reads
 * CF_SCORE only. */
typedef enum conf_feat {
	CF_SCORE = 0, /* the score the verdict reads (score_evidence_total) */
	CF_STACK,     /* the stack part */
	CF_DRIVER,    /* the culprit part or the module part, whichever is higher */
	CF_CODE,      /* the bugcheck part */
	CF_FAULT_IP,  /* the fault address at the same page offset */
	CF_PROCESS,   /* the process part */
	CF_TEXT,      /* the text part */
	CF_MARGIN,    /* the top case's score minus the next kept case's (match_result) */
	CF_WEAK,      /* nothing but the code (or the process) agreed: 1, else 0 */
	CF_THIN,      /* the query holds fewer than two kept frames: 1, else 0 */
	CF_TEXT_ONLY, /* the text part when the query holds nothing structured (no
		       * analysis found: prose, a .NET stack): 0 otherwise */
	CF_CODE_DIFF, /* both sides print a code, of no one family, and nothing but
		       * words agrees: 1, else 0 */
	CF_N
} conf_feat;

const char *conf_feat_name(conf_feat f); /* "score", "stack", ... */

/* The features of a top case whose parts are r, whose verdict score is
 * vscore and whose score leads the runner-up's by margin. */
void score_conf_features(const score_result *r, double vscore, double margin, double f[CF_N]);

typedef enum verdict { VERDICT_NEW = 0, VERDICT_SIMILAR, VERDICT_KNOWN } verdict;
const char *verdict_name(verdict v);

/* Verdict and confidence (0..1) from the best similarity score and the
 * best firing rule (rule_score < 0: none fired). A firing rule is "known";
 * else the thresholds of p decide. Confidence is monotone in the score and
 * 0.5 exactly at t_similar, so "new" means confidence below 0.5. */
verdict score_verdict(double best, double rule_score, const score_params *p, double *confidence);

#endif
