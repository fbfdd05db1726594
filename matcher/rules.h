/* rules.h - known-signature rules: a small line-based language (grammar in
 * docs/pmkb-rules.5) naming a root cause and the signature conditions that
 * identify it, with remediation steps and the cases it came from. Pure C:
 * parsing and evaluation against a pm_signature, no storage.
 */
#ifndef PMKB_RULES_H
#define PMKB_RULES_H

#include <stddef.h>
#include <regex.h>
#include "../sig/signature.h"
#include "../util/util.h"

/* What a condition looks at. */
typedef enum rule_field {
	RF_BUGCHECK = 0, /* bugcheck = 0xd1 0x50 ...         code in the set */
	RF_ARG,          /* arg1..arg4 = 0xf6 ...            argument in the set */
	RF_FRAME,        /* frame = nwifi!Dot11* ...         exact or glob, kept frames */
	RF_FRAME_RE,     /* frame~ = ^nwifi!Pt6?Send         ERE on the frame key */
	RF_MODULE,       /* module = vwifimf ...             named anywhere in the analysis */
	RF_STACK,        /* stack = vwifimf ...              module of a kept frame */
	RF_OWNER,        /* owner = vwifimf ...              owns a pool tag of the analysis */
	RF_POOLTAG,      /* pooltag = Filt [owner vwifimf]   pool tag (and its owner) */
	RF_PROCESS,      /* process = smss.exe ...           process name */
	RF_IMAGE,        /* image = npf ...                  faulting image */
	RF_NFIELDS
} rule_field;

/* The key spelling of a field ("frame~"); for arguments "arg". */
const char *rule_field_name(rule_field f);

typedef struct rule_cond {
	rule_field field;
	int argno;          /* 0..3 for RF_ARG */
	char **values;      /* alternatives (normalised); one regex source for RF_FRAME_RE */
	size_t nvalues;
	char *owner;        /* RF_POOLTAG: required owner or NULL */
	regex_t re;         /* RF_FRAME_RE only */
	int has_re;
	char *re_prefix;    /* what every frame the regex matches starts with
			     * (any case), or NULL: a frame without it is not
			     * given to regexec */
	double weight;      /* from the field default or a weight = line */
	int required;       /* from a require = line */
	char *src;          /* the condition as written, for evidence: "frame = nwifi!Dot11SendCompletion" */
	int line;
} rule_cond;

typedef struct rule {
	char *id;
	char *title;
	char *cause;        /* root-cause name; defaults to id (several rules may share one) */
	char *steps_zh;     /* remediation, may be NULL */
	char *steps_en;
	char **cases;       /* case ids the rule came from */
	size_t ncases;
	rule_cond *conds;
	size_t nconds;
	double threshold;   /* fraction of the condition weight that must match (default 0.5) */
	int frame_top;      /* frame/frame~/stack look at the top N kept frames; 0: anywhere */
	int line;           /* line of the [rule ...] header */
	size_t conds_cap, cases_cap;
	/* customer-facing text (pmkb suggest), separate from the engineer's
	 * steps; each may be NULL */
	char *explain_zh, *explain_en; /* what happened, in plain words */
	char *remedy_zh, *remedy_en;   /* what to do */
	char *ask_zh, *ask_en;         /* what to send back if it does not help (NULL: the template's) */
	int auto_send;                 /* auto-send = yes: drafts skip the approval queue */
	int auto_send_line;            /* line of the auto-send setting, 0 when unset */
	double suggest_threshold;      /* suggest.threshold; 0: the configured one */
} rule;

typedef struct ruleset {
	rule *rules;
	size_t n, cap;
	char *name;         /* file name it came from ("(built-in)") */
} ruleset;

/* Parse a rules text. name is used in messages ("name:line: reason").
 * All or nothing: returns 0 with *out set, or -1 with *out NULL and every
 * error found appended to err, one per line. Bounded: at most 10000 rules,
 * 256 conditions a rule, lines up to 64 KiB are read whole. */
int rules_parse(const char *name, const char *text, size_t len, ruleset **out, sbuf *err);
void rules_free(ruleset *rs);

/* Read and parse a rules file (max 16 MiB). -1 with "FILE:LINE: reason"
 * lines (or "cannot read 'FILE': reason") in err and *st set (PM_NO_INPUT
 * when unreadable, PM_TOO_BIG when over 16 MiB, PM_BAD_DATA when malformed). */
int rules_load_file(const char *path, ruleset **out, sbuf *err, pm_status *st);

/* Replace *cur by the rules of path only when they parse: on failure *cur
 * is left as it was (the rules in force stay the old ones). */
int rules_replace(ruleset **cur, const char *path, sbuf *err, pm_status *st);

/* The shipped rules (data/rules.conf compiled in). Never fails: the build
 * checks them (tests). Caller frees with rules_free. */
ruleset *rules_builtin(void);
const char *rules_builtin_text(size_t *len);

/* Result of one rule on one signature. */
typedef struct rule_result {
	const rule *r;
	int fired;          /* required conditions hold and score >= threshold */
	double score;       /* matched weight / total weight, 0..1 */
	unsigned char *hit; /* per condition: 1 matched; caller frees (rule_result_clear) */
	char **what;        /* per condition: what in the signature matched it, or NULL */
} rule_result;

/* Evaluate r on s (frames: the kept ones, skip == NULL). Never fails. */
void rule_eval(const rule *r, const pm_signature *s, rule_result *out);
/* Does r fire on s? rule_eval's answer without the account of what matched
 * (no allocation; for scoring many candidates). */
int rule_fires(const rule *r, const pm_signature *s);
void rule_result_clear(rule_result *res);

/* The best firing rule of rs on s (highest score, then first in file), or
 * NULL; when not NULL, *out holds its result (caller clears). */
const rule *rules_best(const ruleset *rs, const pm_signature *s, rule_result *out);

/* Normalise a bugcheck or argument value: "0x000000D1" / "D1" / "d1" ->
 * "0xd1"; "0x1000007e" -> "0x7e" when fold is set. Caller frees; NULL when
 * it is not hex. */
char *rules_norm_hex(const char *v, int fold);

#endif
