/* cluster.h - the stored analyses grouped into root causes (pmkb
 * clusters). Pure C, no storage: the caller hands in every analysis with
 * its signature, the words of its own part of the text, and the engineers'
 * links; out comes a cluster number per analysis and how it got there.
 * How, and what it costs at 100k analyses: docs/matching.md, "Clusters".
 */
#ifndef PMKB_CLUSTER_H
#define PMKB_CLUSTER_H

#include <stddef.h>
#include "rules.h"
#include "score.h"

typedef struct cl_item {
	const char *case_id;
	int analysis;
	const pm_signature *sig;
	char **words;       /* canonical module-like words of the analysis' part of its
			     * message (cli: cluster_text_words), or NULL */
	size_t nwords;
} cl_item;

/* An engineer's link between items a and b (indexes into the items). */
typedef struct cl_link {
	size_t a, b;
	int same;
} cl_link;

typedef enum cl_how {
	CL_ALONE = 0,  /* nothing joined it to another analysis */
	CL_FEEDBACK,   /* an engineer's "same" link */
	CL_RULE,       /* a rule of the cluster's cause fires on it */
	CL_SIMILAR,    /* its signature scores at least the threshold with a member's */
	CL_TEXT,       /* only a bugcheck in its signature; its text names the cluster's modules */
	CL_CASE,       /* only a bugcheck, no module named: its case's largest cluster */
} cl_how;

const char *cl_how_name(cl_how h); /* "alone", "feedback", "rule", ... */

/* The structured similarity at which two analyses naming one third-party
 * module, each other's nearest neighbours, join. It was match's t_similar
 * (0.30) when the clustering was measured (docs/matching.md, section 7);
 * match's threshold is now a calibrated probability (0.5 at t_similar),
 * a question of the verdict, not of grouping, so the two are apart. */
#define CL_T_SHARED 0.30

typedef struct cl_opts {
	const ruleset *rules;        /* NULL or empty: similarity alone */
	const score_params *params;  /* NULL: score_defaults */
	double threshold;            /* similarity that joins two analyses (0: 0.5) */
	double threshold_shared;     /* ... that name a third-party module in common (0:
				      * CL_T_SHARED) */
	size_t block_max;            /* a key shared by more analyses than this is not a
				      * candidate key (0: 200, or n / 100 when larger) */
	size_t partners;             /* candidate partners scored per analysis (0: 30) */
} cl_opts;

typedef struct cl_result {
	size_t *cluster;      /* per item: its cluster, 0..ncl-1, biggest cluster first */
	cl_how *how;          /* per item: how it joined */
	const rule **rule;    /* per item: the best rule firing on it, or NULL */
	size_t *peer;         /* per item: the item it was joined with (SIZE_MAX: none) */
	double *score;        /* per item, CL_SIMILAR: the score with peer */
	size_t ncl;
	size_t pairs_scored;  /* signature pairs scored (the cost) */
} cl_result;

/* Cluster items: engineer "same" links first, then rules (one cluster per
 * cause), then similarity over candidate pairs that share a rare key (kept
 * frame, third-party module, pool tag), strongest first; then analyses with
 * nothing but a bugcheck go where their text, else their case, points.
 * A "different" link is never crossed. Never fails; clear with
 * cl_result_clear. */
void cluster_items(const cl_item *items, size_t n, const cl_link *links, size_t nlinks,
		   const cl_opts *o, cl_result *out);
void cl_result_clear(cl_result *r);

/* Is the signature weak: no kept frame, third-party module or pool tag? */
int cluster_sig_weak(const pm_signature *s);

/* The canonical module-like words of text[0..len) (e.g. "nwifi.sys" ->
 * "nwifi"), distinct; caller frees each and the array. */
char **cluster_text_words(const char *text, size_t len, size_t *n);

#endif
