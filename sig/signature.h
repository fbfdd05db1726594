/* signature.h - the normalised crash signature used for matching, built
 * from one pm_analysis (import/model.h). Pure C, no storage.
 *
 * Normalisation: module names canonical (lower case, no .sys/.dll/.exe,
 * nt/ntoskrnl/ntkrnlmp/ntkrnlpa -> "nt"); frames as "module!function" when
 * symbolised, "module+0xoff" when not; frames that say nothing about the
 * cause (bugcheck and trap plumbing, see skip list) are kept but marked
 * skipped with the reason, so `pmkb sig --why` can explain.
 */
#ifndef PMKB_SIGNATURE_H
#define PMKB_SIGNATURE_H

#include <stddef.h>
#include <stdint.h>
#include "../import/model.h"
#include "../util/util.h"
#include "../util/norm.h" /* pm_canon_module: canonical module names */

typedef struct sig_frame {
	char *key;          /* "nwifi!Dot11SendCompletion", "lwfmgr+0x5167", "netwtw08", "0x3200360035" */
	char *module;       /* canonical module, NULL for a raw address */
	char *function;     /* NULL when unsymbolised */
	char *offset;       /* "0x47" or NULL */
	int third_party;    /* module is not a Microsoft inbox module */
	const char *skip;   /* NULL when kept; else the static reason it was skipped */
	/* of a kept frame, set by sig_build and sig_parse: hashes of key and
	 * module with letters in one case (two that differ differ case-
	 * insensitively; 0: not known, compare the strings) */
	uint32_t key_fold, module_fold;
} sig_frame;

typedef struct sig_pooltag {
	char *tag;          /* as printed, e.g. "Filt" */
	char *owner;        /* canonical module or NULL */
} sig_pooltag;

typedef struct pm_signature {
	char *bugcheck;     /* "0xd1" or NULL; the 0x1000xxxx form is folded to 0xxxxx */
	char *bugcheck_name;
	char *args[4];      /* lower-case hex or NULL */
	sig_frame *frames;  /* all frames, top first, skipped ones marked */
	size_t nframes;
	char **modules;     /* canonical, distinct, sorted: every module named anywhere */
	size_t nmodules;
	char **third_party; /* subset of modules that are not Microsoft inbox modules */
	size_t nthird_party;
	sig_pooltag *pool_tags;
	size_t npool_tags;
	char *process;      /* lower case, e.g. "explorer.exe" */
	char *exception_code; /* a user-mode crash's exception code, "0xc0000005", or NULL */
	char *image;        /* faulting image, canonical: IMAGE_NAME when printed, else the culprit */
	char *os_build;
	char *failure_bucket;
	/* the culprit: the module a person (or !analyze) would blame, chosen
	 * from the analysis' fields in a fixed order (docs/signature.md) */
	char *culprit;          /* canonical module, e.g. "acme_flt", or NULL */
	char *culprit_printed;  /* as the text prints it when it does ("acme-flt.sys"), or NULL */
	char *culprit_function; /* "DispatchWrite" when the same source names it, or NULL */
	const char *culprit_from; /* static provenance: "image_name", "module_name",
				   * "probably_caused_by", "fault_ip", "followup_ip", "symbol_name",
				   * "bucket", "stack_third_party", "stack_first", "warning" */
	int version;            /* serialisation version read by sig_parse (SIG_VERSION when built) */
	char *text;         /* one-line human signature, Socorro style:
			     * "0xd1 | nwifi!Dot11SendCompletion | nwifi!Pt6SendComplete | ..." */
	size_t frames_cap, modules_cap, third_party_cap, pool_tags_cap;
	/* sig_parse: one block holding every string it read; strings in it
	 * are not freed one by one (sig_clear frees the block), strings
	 * added later are */
	char *arena;
	size_t arena_len;
} pm_signature;

/* Build the signature of a. why (may be NULL) receives a human trace, one
 * line per decision ("skip nt!KeBugCheckEx: bugcheck plumbing"). Never
 * fails; an analysis with nothing in it gives an empty signature. */
void sig_build(const pm_analysis *a, pm_signature *out, sbuf *why);
void sig_clear(pm_signature *s);

/* Fill the culprit fields of out (whose frames sig_build has built from a)
 * from the fields of a; sig/culprit.c. Called by sig_build. */
void sig_choose_culprit(const pm_analysis *a, pm_signature *out, sbuf *why);


/* Is the canonical module a Microsoft inbox module (shipped list)? */
int sig_is_microsoft(const char *canon_module);

/* Why a frame key is skipped (static string), or NULL if it is kept. */
const char *sig_skip_reason(const char *module, const char *function);

/* The next kept (not skipped) frame of s at or after index *i, with *i
 * moved past it; NULL after the last. The one definition of a kept frame:
 * sig_kept_frames and every walk over kept frames use it. */
const sig_frame *sig_next_kept(const pm_signature *s, size_t *i);

/* A hash of t with letters in one case, never 0 (sig_frame.key_fold and
 * module_fold are this of key and module; 0 there: not known). */
uint32_t sig_fold_hash(const char *t);

/* The kept frames: fills idx with up to max indexes into s->frames,
 * returns how many (idx NULL: counts them all). */
size_t sig_kept_frames(const pm_signature *s, size_t *idx, size_t max);

/* A parsed signature (sig_parse: every string in its arena) copied into
 * caller memory of sig_relocate_size(s) bytes, 16-byte aligned: out's
 * strings and arrays all lie in mem, so it is never sig_clear'ed (the
 * caller frees mem). Returns 0, or -1 when a string of s is not in its
 * arena (out then unset). s is unchanged. */
size_t sig_relocate_size(const pm_signature *s);
int sig_relocate(const pm_signature *s, void *mem, pm_signature *out);

/* Compact, stable text serialisation (one record per line, tab separated)
 * used to store a signature in SQLite and in Xapian document data, so the
 * matcher can re-rank without SQLite (remote shards). sig_parse returns 0,
 * or -1 on malformed input (out is then cleared). */
void sig_serialize(const pm_signature *s, sbuf *out);
int sig_parse(const char *text, pm_signature *out);

/* JSON object of one analysis and its signature, the shape documented in
 * docs/sig-json.md (design.md section 5). */
void sig_json(const pm_analysis *a, const pm_signature *s, sbuf *out);

/* Additions (signature helper): the tables behind sig_skip_reason and
 * sig_is_microsoft, for tests and documentation. sig_skiplist_entry returns
 * the glob pattern of entry i (NULL past the end) and its reason in
 * *reason; sig_skip_intern maps a stored reason text back to the static
 * string of this version (an unknown one to a fixed "skipped by another
 * version of pmkb"). */
size_t sig_skiplist_count(void);
const char *sig_skiplist_entry(size_t i, const char **reason);
const char *sig_skip_intern(const char *reason);
const char *sig_skip_empty_reason(void); /* a frame with nothing printed */
const char *sig_skip_unreliable_reason(void); /* a symbol the debugger says is wrong */
/* The static provenance string equal to from (a culprit_from read back),
 * or a fixed "another version of pmkb" for one this version does not know. */
const char *sig_culprit_from_intern(const char *from);
size_t sig_msmodules_count(void);
const char *sig_msmodule(size_t i);

/* The serialisation version sig_serialize writes; sig_parse also reads 1
 * (before the culprit record). */
#define SIG_VERSION 2

/* Most kept frames joined into the human signature text. */
#define SIG_TEXT_FRAMES 6

/* A hex value without 0x and leading zeros (a pointer into v). */
const char *sig_hex_digits(const char *v);
/* The values the store indexes under the field "bugarg" and the scorer
 * weighs: s's code and Arg1 ("0x1e/c0000005", Arg1 by sig_hex_digits; NULL
 * when s lacks either), and s's code and its four arguments
 * ("0x50/ffffffffffffffe8/0/fffff80312345678/2"; NULL unless all four are
 * printed: the same dump posted twice). Lower case. Caller frees. */
char *sig_arg_key(const pm_signature *s);
char *sig_dump_key(const pm_signature *s);

#endif
