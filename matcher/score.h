/* score.h - the structured similarity of two crash signatures, part by
 * part (stack alignment, third-party modules, pool tags, bugcheck and
 * arguments, faulting image, text), the verdict and its confidence. Pure C:
 * no storage calls; frame rarity comes in through a callback. How the
 * score is made and calibrated: docs/matching.md.
 */
#ifndef PMKB_SCORE_H
#define PMKB_SCORE_H

#include <stddef.h>
#include "signature.h"

typedef enum score_part {
	SP_STACK = 0, /* top-weighted, rarity-weighted alignment of the kept frames */
	SP_MODULES,   /* Jaccard of the third-party modules (and pool owners) */
	SP_POOL,      /* Jaccard of the pool tags */
	SP_BUGCHECK,  /* same code (and Arg1): weak, one cause crosses codes */
	SP_IMAGE,     /* same faulting image */
	SP_TEXT,      /* cosine of word / CJK-bigram counts */
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
} score_params;

extern const score_params score_defaults;

/* Override parameters from "name=value,name=value" (names: the part names
 * for weights, and min_evidence, pos_decay, gap_decay, max_frames,
 * t_known, t_similar, calib_k, unsym, rarity). Returns 0, or -1 naming the bad item
 * in err. For calibration experiments (pmkb eval --param). */
int score_params_parse(const char *spec, score_params *p, char *err, size_t errsz);

/* Rarity of a frame key in 0..1 (1: never seen elsewhere; near 0: on every
 * stack). NULL callback: every frame weighs 1. */
typedef double (*score_idf_fn)(void *ctx, const char *frame_key);

typedef struct score_result {
	double part[SP_N];    /* each 0..1 */
	int present[SP_N];    /* the query has data for this part (it counts in the total) */
	double total;         /* 0..1 */
} score_result;

/* Score candidate c against query q. text_sim is the text part in 0..1, or
 * negative when there is no text to compare. Never fails. */
double score_pair(const pm_signature *q, const pm_signature *c, double text_sim,
		  const score_params *p, score_idf_fn idf, void *idf_ctx, score_result *out);

/* The stack part alone (exposed for tests). */
double score_stack(const pm_signature *q, const pm_signature *c, const score_params *p,
		   score_idf_fn idf, void *idf_ctx);

/* Cosine similarity of two UTF-8 texts over lower-cased ASCII words (3+
 * characters, hex noise dropped) and CJK character bigrams; 0..1. */
double score_text_sim(const char *a, const char *b);

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

typedef enum verdict { VERDICT_NEW = 0, VERDICT_SIMILAR, VERDICT_KNOWN } verdict;
const char *verdict_name(verdict v);

/* Verdict and confidence (0..1) from the best similarity score and the
 * best firing rule (rule_score < 0: none fired). A firing rule is "known";
 * else the thresholds of p decide. Confidence is monotone in the score and
 * 0.5 exactly at t_similar, so "new" means confidence below 0.5. */
verdict score_verdict(double best, double rule_score, const score_params *p, double *confidence);

#endif
