/* signature.c - the normalised crash signature of one analysis (see
 * signature.h and docs/signature.md): canonical module names, frame keys,
 * the skip list applied, the module set, the human one-line text; its
 * stable text serialisation and its JSON form (docs/sig-json.md).
 */
#include "signature.h"
#include "../import/bugcheck-names.h"
#include "../util/norm.h"
#include "../util/json.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- canonical names and values ---- */

/* Names !analyze prints where a module would be, that are its verdicts,
 * not modules: IMAGE_NAME "memory_corruption", frames in
 * "Unknown_Module_fffff801`00000000+0x10". Canonical (lower case) form. */
static int is_pseudo_module(const char *c)
{
	static const char *const names[] = {
		"memory_corruption", "hardware", "hardware_ram", "hardware_disk", "hardware_cpu",
		"pool_corruption", "unknown", "unknown_image", "corrupt_module", "unloaded_module",
		"large_pool_corruption", "hardware_nic", "hardware_gpu", "hardware_usb",
	};
	if (str_starts(c, "unknown_module") || str_starts(c, "unknown_image") || strstr(c, "wrong_symbols"))
		return 1;
	for (size_t i = 0; i < PMKB_ARRAY_LEN(names); i++)
		if (strcmp(c, names[i]) == 0)
			return 1;
	return 0;
}


/* Empty strings count as absent. */
static char *dup_nonempty(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

/* ---- building ---- */

/* A module name seen while building, for the module set. */
typedef struct seen_mod {
	char *canon;
	const char *printed;
	size_t order;
} seen_mod;

typedef struct seen_list {
	seen_mod *v;
	size_t n, cap;
} seen_list;

static void seen_add(seen_list *l, const char *printed)
{
	if (!printed || !*printed)
		return;
	char *c = pm_canon_module(printed);
	if (!*c || is_pseudo_module(c)) {
		free(c);
		return;
	}
	XGROW(l->v, l->cap, l->n + 1);
	l->v[l->n] = (seen_mod){c, printed, l->n};
	l->n++;
}

/* "ndis!NdisFSendNetBufferLists+0xc0" -> "ndis"; "lwfmgr+0x5167" -> "lwfmgr";
 * a bare address -> nothing. */
static void seen_add_ip(seen_list *l, const char *ip)
{
	if (!ip || !*ip)
		return;
	size_t n = strcspn(ip, "!+ \t");
	if (n == 0 || ip[n] == '\0' || ip[n] == ' ' || ip[n] == '\t')
		return; /* "0x3200360035" or a single word without a module */
	char *m = xstrndup(ip, n);
	if (!str_starts(m, "0x")) {
		/* seen_add keeps the printed pointer for --why: it must outlive
		 * the build, so the canonical name stands in for it */
		char *c = pm_canon_module(m);
		if (*c && !is_pseudo_module(c)) {
			XGROW(l->v, l->cap, l->n + 1);
			l->v[l->n] = (seen_mod){c, NULL, l->n};
			l->n++;
		} else {
			free(c);
		}
	}
	free(m);
}

static int cmp_seen(const void *x, const void *y)
{
	const seen_mod *a = x, *b = y;
	int r = strcmp(a->canon, b->canon);
	if (r)
		return r;
	return a->order < b->order ? -1 : a->order > b->order;
}

static int streq(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

/* Is the canonical module m in the space-separated list of printed names? */
static int in_list(const char *list, const char *m)
{
	int found = 0;
	for (const char *p = list; p && *p && !found;) {
		size_t l = strcspn(p, " ");
		char *x = xstrndup(p, l);
		char *c = pm_canon_module(x);
		found = strcmp(c, m) == 0;
		free(c);
		free(x);
		p += l;
		while (*p == ' ')
			p++;
	}
	return found;
}

/* Put f (taken) in front of out's frames, saying so in why: the frame 0
 * an analysis without a printed kept frame gets from one of its fields. */
static void prepend_frame(pm_signature *out, sig_frame *f, sbuf *why, const char *from)
{
	XGROW(out->frames, out->frames_cap, out->nframes + 1);
	memmove(&out->frames[1], &out->frames[0], out->nframes * sizeof *out->frames);
	out->frames[0] = *f;
	out->nframes++;
	if (why)
		sb_addf(why, "keep %s (%s; frame 0 from %s: no kept frame printed)\n", f->key,
			f->third_party ? "third-party" : "microsoft", from);
}

/* No kept frame: the symbol !analyze followed up on (SYMBOL_NAME,
 * FOLLOWUP_IP) or the faulting instruction's (FAULTING_IP) becomes the
 * first frame, so an excerpt cut before its stack still has one. */
static void fault_frame(const pm_analysis *a, pm_signature *out, sbuf *why)
{
	if (sig_kept_frames(out, NULL, 0) > 0)
		return;
	const char *src[] = {a->symbol_name, a->followup_ip, a->fault_ip};
	const char *from[] = {"symbol_name", "followup_ip", "fault_ip"};
	for (int k = 0; k < 3; k++) {
		const char *v = src[k];
		if (!v || !*v)
			continue;
		char *sym = xstrndup(v, pm_symbol_len(v));
		size_t m = strcspn(sym, "!+");
		if (m == 0 || !sym[m]) {
			free(sym);
			continue; /* an address, or a word without a module */
		}
		char *mp = xstrndup(sym, m);
		char *mod = pm_canon_module(mp);
		free(mp);
		if (!*mod || is_pseudo_module(mod)) {
			free(mod);
			free(sym);
			continue;
		}
		char *fn = NULL, *off = NULL;
		const char *q = sym + m;
		if (*q == '!') {
			size_t fl = strcspn(q + 1, "+");
			fn = fl ? xstrndup(q + 1, fl) : NULL;
			q += 1 + fl;
		}
		if (*q == '+')
			off = pm_norm_value(q + 1);
		free(sym);
		const char *skip = sig_skip_reason(mod, fn);
		if (skip || (!fn && !off)) {
			free(mod);
			free(fn);
			free(off);
			continue;
		}
		sig_frame f = {0};
		f.module = mod;
		f.function = fn;
		f.offset = off;
		f.key = fn ? xasprintf("%s!%s", mod, fn) : xasprintf("%s+%s", mod, off);
		f.third_party = !sig_is_microsoft(mod);
		prepend_frame(out, &f, why, from[k]);
		return;
	}
	/* the function the bucket or "Probably caused by" names with the culprit */
	if (out->culprit && out->culprit_function && out->culprit_from &&
	    (strcmp(out->culprit_from, "bucket") == 0 || strcmp(out->culprit_from, "probably_caused_by") == 0) &&
	    !sig_skip_reason(out->culprit, out->culprit_function)) {
		sig_frame f = {0};
		f.module = xstrdup(out->culprit);
		f.function = xstrdup(out->culprit_function);
		f.key = xasprintf("%s!%s", f.module, f.function);
		f.third_party = !sig_is_microsoft(f.module);
		prepend_frame(out, &f, why, out->culprit_from);
	}
}

/* One sig_frame per printed frame, in order (none dropped, so index i of
 * out->frames is frame i of a): canonical module, key, skip reason,
 * third-party flag; a why line each. */
static void build_frames(const pm_analysis *a, pm_signature *out, sbuf *why)
{
	if (a->nframes == 0)
		return;
	out->frames = xcalloc(a->nframes, sizeof *out->frames);
	out->frames_cap = a->nframes;
	for (size_t i = 0; i < a->nframes; i++) {
		const pm_frame *pf = &a->frames[i];
		sig_frame *f = &out->frames[out->nframes++];
		char *mod = pf->module && *pf->module ? pm_canon_module(pf->module) : NULL;
		if (mod && !*mod) {
			free(mod);
			mod = NULL;
		}
		f->function = pf->function && *pf->function ? pm_canon_function(pf->function) : NULL;
		f->offset = pm_norm_value(pf->offset);
		if (mod && is_pseudo_module(mod)) {
			/* "Unknown_Module_...+0x10": an address outside every
			 * module, keyed by the address when there is one */
			if (!pf->address || !*pf->address)
				f->key = f->offset ? xasprintf("%s+%s", mod, f->offset) : xstrdup(mod);
			free(mod);
			mod = NULL;
		}
		f->module = mod;
		if (!f->key) {
			if (mod && f->function)
				f->key = xasprintf("%s!%s", mod, f->function);
			else if (mod && f->offset)
				f->key = xasprintf("%s+%s", mod, f->offset);
			else if (mod)
				f->key = xstrdup(mod);
			else if (pf->address && *pf->address)
				f->key = pm_norm_value(pf->address);
			else if (f->function)
				f->key = xstrdup(f->function);
		}
		if (!f->key) {
			f->key = xstrdup("?");
			f->skip = sig_skip_empty_reason();
		} else {
			f->skip = sig_skip_reason(mod, f->function);
			if (!f->skip && mod && f->function && in_list(a->unreliable, mod))
				f->skip = sig_skip_unreliable_reason();
		}
		f->third_party = mod && !sig_is_microsoft(mod);
		if (!why)
			continue;
		const char *inl = pf->is_inline ? " inline" : "";
		if (f->skip)
			sb_addf(why, "skip%s %s: %s\n", inl, f->key, f->skip);
		else
			sb_addf(why, "keep%s %s (%s)\n", inl, f->key,
				!mod ? "raw address" : f->third_party ? "third-party" : "microsoft");
	}
}

/* The module set (canonical, distinct, sorted) and its third-party subset
 * from every place the analysis names a module; why says how each printed
 * spelling became canonical. */
static void build_modules(const pm_analysis *a, pm_signature *out, sbuf *why)
{
	seen_list l = {0};
	for (size_t i = 0; i < a->nframes; i++)
		seen_add(&l, a->frames[i].module);
	seen_add(&l, a->image);
	seen_add_ip(&l, a->fault_ip);
	seen_add_ip(&l, a->followup_ip);
	seen_add_ip(&l, a->symbol_name);
	for (size_t i = 0; i < a->npool_tags; i++)
		seen_add(&l, a->pool_tags[i].owner);
	/* A dump file's module list is every loaded driver (151 in a triage
	 * dump): not "named by the analysis", so not in the set, or every
	 * third-party driver of the machine would look involved. */
	int is_dmp = a->source && streq(a->source, "dmp");
	if (!is_dmp)
		for (size_t i = 0; i < a->nmodules; i++)
			seen_add(&l, a->modules[i].name ? a->modules[i].name : a->modules[i].image_path);
	else if (why && a->nmodules)
		sb_addf(why, "modules: the %zu loaded drivers of the dump are listed, not in the module set\n",
			a->nmodules);
	if (l.n)
		qsort(l.v, l.n, sizeof *l.v, cmp_seen);
	for (size_t i = 0; i < l.n; i++) {
		if (i > 0 && streq(l.v[i].canon, l.v[i - 1].canon))
			continue;
		const char *c = l.v[i].canon;
		int tp = !sig_is_microsoft(c);
		XGROW(out->modules, out->modules_cap, out->nmodules + 1);
		out->modules[out->nmodules++] = xstrdup(c);
		if (tp) {
			XGROW(out->third_party, out->third_party_cap, out->nthird_party + 1);
			out->third_party[out->nthird_party++] = xstrdup(c);
		}
		if (why) {
			/* one line per distinct spelling that differs from c */
			int said = 0;
			for (size_t j = i; j < l.n && streq(l.v[j].canon, c); j++) {
				const char *p = l.v[j].printed;
				if (!p || streq(p, c))
					continue;
				int dup = 0;
				for (size_t k = i; k < j && !dup; k++)
					dup = l.v[k].printed && streq(l.v[k].printed, p);
				if (dup)
					continue;
				sb_addf(why, "module %s -> %s (%s)\n", p, c, tp ? "third-party" : "microsoft");
				said = 1;
			}
			if (!said)
				sb_addf(why, "module %s (%s)\n", c, tp ? "third-party" : "microsoft");
		}
	}
	for (size_t i = 0; i < l.n; i++)
		free(l.v[i].canon);
	free(l.v);
}

/* The one-line human signature from what is already built (bugcheck,
 * frames, image, third-party modules): see docs/signature.md. */
static void build_text(pm_signature *out, sbuf *why)
{
	sbuf t = {0};
	if (out->bugcheck)
		sb_adds(&t, out->bugcheck);
	/* the first kept frames, a run of one key (recursion, or a driver
	 * without symbols: "netwtw08" eight times) said once */
	size_t k = 0, i = 0;
	const char *prev = NULL;
	int tp_said = 0;
	size_t kept_all = sig_kept_frames(out, NULL, 0);
	for (; i < out->nframes && k < SIG_TEXT_FRAMES; i++) {
		const sig_frame *f = &out->frames[i];
		if (f->skip || (prev && streq(prev, f->key)))
			continue;
		if (t.len)
			sb_adds(&t, " | ");
		sb_adds(&t, f->key);
		tp_said |= f->third_party;
		prev = f->key;
		k++;
	}
	/* the first third-party frame further down, when the first frames are
	 * all Microsoft's (gscfmgr under six nt frames in the 0xc4 case) */
	const char *tp_later = NULL;
	for (; !tp_said && i < out->nframes && !tp_later; i++)
		if (!out->frames[i].skip && out->frames[i].third_party)
			tp_later = out->frames[i].key;
	if (tp_later)
		sb_addf(&t, " | ... | %s", tp_later);
	else if (k && !tp_said && out->image && !sig_is_microsoft(out->image))
		sb_addf(&t, " | image:%s", out->image); /* frames of Microsoft's only */
	if (k == 0) {
		/* no stack: what the analysis blames */
		if (out->image) {
			if (t.len)
				sb_adds(&t, " | ");
			sb_addf(&t, "image:%s", out->image);
		}
		if (out->nthird_party) {
			if (t.len)
				sb_adds(&t, " | ");
			sb_adds(&t, "third-party:");
			for (size_t i = 0; i < out->nthird_party; i++)
				sb_addf(&t, "%s%s", i ? "," : "", out->third_party[i]);
		}
	}
	if (why) {
		if (k)
			sb_addf(why, "text: bugcheck and the first %zu of %zu kept frames (repeats said once)%s\n",
				k, kept_all, tp_later ? ", then the first third-party frame" : "");
		else
			sb_adds(why, "text: no kept frame; bugcheck, faulting image and third-party modules\n");
	}
	out->text = sb_detach(&t);
}

uint32_t sig_fold_hash(const char *t)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)t; *p; p++)
		h = (h ^ (unsigned)tolower(*p)) * 16777619u;
	return h ? h : 1;
}

/* The fold hashes of the kept frames (the matcher aligns them pair by
 * pair: sig_frame.key_fold). */
static void fold_frames(pm_signature *s)
{
	for (size_t i = 0; i < s->nframes; i++) {
		sig_frame *f = &s->frames[i];
		if (f->skip || !f->key || !f->module)
			continue;
		f->key_fold = sig_fold_hash(f->key);
		f->module_fold = sig_fold_hash(f->module);
	}
}

void sig_build(const pm_analysis *a, pm_signature *out, sbuf *why)
{
	memset(out, 0, sizeof *out);
	if (!a) {
		out->text = xstrdup("");
		return;
	}
	char *code = pm_norm_value(a->bugcheck_code);
	int folded = 0;
	/* 0x1000007e is 0x7e raised through KeBugCheck2 with the same four
	 * parameters: one crash, one code */
	char *f = pm_bugcheck_fold(code);
	if (f) {
		if (why)
			sb_addf(why, "bugcheck %s -> %s (_M variant)\n", a->bugcheck_code, f);
		free(code);
		code = f;
		folded = 1;
	}
	if (code && why && !folded)
		sb_addf(why, "bugcheck %s\n", code);
	out->bugcheck = code;
	if (a->bugcheck_name && *a->bugcheck_name) {
		char *n = xstrdup(a->bugcheck_name);
		for (char *p = n; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		if (folded && str_ends(n, "_M"))
			n[strlen(n) - 2] = '\0';
		out->bugcheck_name = n;
	} else if (code) {
		/* a code printed without its name: the documented name */
		const char *nm = bugcheck_name_of(strtoull(code + 2, NULL, 16));
		if (nm) {
			out->bugcheck_name = xstrdup(nm);
			if (why)
				sb_addf(why, "bugcheck name %s: the documented name of %s\n", nm, code);
		}
	}
	for (int i = 0; i < 4; i++)
		out->args[i] = pm_norm_value(a->args[i]);

	build_frames(a, out, why);
	build_modules(a, out, why);

	for (size_t i = 0; i < a->npool_tags; i++) {
		const pm_pooltag *pt = &a->pool_tags[i];
		if (!pt->tag || !*pt->tag)
			continue;
		XGROW(out->pool_tags, out->pool_tags_cap, out->npool_tags + 1);
		sig_pooltag *t = &out->pool_tags[out->npool_tags++];
		t->tag = xstrdup(pt->tag);
		t->owner = pt->owner && *pt->owner ? pm_canon_module(pt->owner) : NULL;
		if (t->owner && !*t->owner) {
			free(t->owner);
			t->owner = NULL;
		}
		if (why)
			sb_addf(why, "pool tag %s owned by %s\n", t->tag, t->owner ? t->owner : "(unknown)");
	}
	if (a->process && *a->process) {
		out->process = xstrdup(a->process);
		str_lower(out->process);
	}
	if (a->image && *a->image) {
		out->image = pm_canon_module(a->image);
		if (!*out->image || is_pseudo_module(out->image)) {
			if (why && *out->image)
				sb_addf(why, "image %s: a verdict of !analyze, not a module\n", a->image);
			free(out->image);
			out->image = NULL;
		}
	}
	out->os_build = dup_nonempty(a->os_build);
	out->failure_bucket = dup_nonempty(a->failure_bucket);
	if (a->exception_code && *a->exception_code) {
		out->exception_code = pm_norm_hex(a->exception_code, strlen(a->exception_code));
		if (why && out->exception_code)
			sb_addf(why, "exception code %s\n", out->exception_code);
	}
	sig_choose_culprit(a, out, why);
	fault_frame(a, out, why);
	out->version = SIG_VERSION;
	build_text(out, why); /* says the printed image only */
	if (!out->image && out->culprit && strcmp(out->culprit, "nt") != 0 && strcmp(out->culprit, "hal") != 0 &&
	    strcmp(out->culprit_from, "prose") != 0) {
		/* image: what the text printed, or the culprit (not the kernel
		 * named only because nothing else is: every crash has it; nor a
		 * driver the prose names) */
		out->image = xstrdup(out->culprit);
		if (why)
			sb_addf(why, "image %s: the culprit (no IMAGE_NAME printed)\n", out->image);
	}	fold_frames(out);
}

/* Every string pointer of s, the one list of them (sig_clear frees them,
 * sig_relocate moves them): fn gets the address of each. */
static void each_str(pm_signature *s, void (*fn)(const pm_signature *s, char **p, void *ctx), void *ctx)
{
	fn(s, &s->bugcheck, ctx);
	fn(s, &s->bugcheck_name, ctx);
	for (int i = 0; i < 4; i++)
		fn(s, &s->args[i], ctx);
	for (size_t i = 0; i < s->nframes; i++) {
		fn(s, &s->frames[i].key, ctx);
		fn(s, &s->frames[i].module, ctx);
		fn(s, &s->frames[i].function, ctx);
		fn(s, &s->frames[i].offset, ctx);
	}
	for (size_t i = 0; i < s->nmodules; i++)
		fn(s, &s->modules[i], ctx);
	for (size_t i = 0; i < s->nthird_party; i++)
		fn(s, &s->third_party[i], ctx);
	for (size_t i = 0; i < s->npool_tags; i++) {
		fn(s, &s->pool_tags[i].tag, ctx);
		fn(s, &s->pool_tags[i].owner, ctx);
	}
	fn(s, &s->process, ctx);
	fn(s, &s->exception_code, ctx);
	fn(s, &s->image, ctx);
	fn(s, &s->os_build, ctx);
	fn(s, &s->failure_bucket, ctx);
	fn(s, &s->culprit, ctx);
	fn(s, &s->culprit_printed, ctx);
	fn(s, &s->culprit_function, ctx);
	fn(s, &s->text, ctx);
}

/* Is p inside s's arena (a string sig_parse made)? */
static int in_arena(const pm_signature *s, const char *p)
{
	uintptr_t a = (uintptr_t)s->arena, x = (uintptr_t)p;
	return s->arena && x >= a && x < a + s->arena_len;
}

/* Free a string of s unless it lives in s's arena (sig_parse). */
static void free_str(const pm_signature *s, char **p, void *ctx)
{
	(void)ctx;
	if (!in_arena(s, *p))
		free(*p);
}

void sig_clear(pm_signature *s)
{
	if (!s)
		return;
	each_str(s, free_str, NULL);
	free(s->frames);
	free(s->modules);
	free(s->third_party);
	free(s->pool_tags);
	free(s->arena);
	memset(s, 0, sizeof *s);
}

static size_t round16(size_t n)
{
	return (n + 15) & ~(size_t)15;
}

size_t sig_relocate_size(const pm_signature *s)
{
	return round16(s->arena_len) + s->nframes * sizeof *s->frames + s->nmodules * sizeof *s->modules +
	       s->nthird_party * sizeof *s->third_party + s->npool_tags * sizeof *s->pool_tags;
}

struct relocation {
	const pm_signature *src;
	char *base;
	int all; /* every string was in the arena */
};

static void rebase_str(const pm_signature *s, char **p, void *ctx)
{
	(void)s;
	struct relocation *r = ctx;
	if (!*p)
		return;
	if (!in_arena(r->src, *p)) {
		r->all = 0;
		*p = NULL;
		return;
	}
	*p = r->base + (*p - r->src->arena);
}

int sig_relocate(const pm_signature *s, void *mem, pm_signature *out)
{
	char *m = mem;
	size_t sz = round16(s->arena_len);
	size_t fr = s->nframes * sizeof *s->frames, md = s->nmodules * sizeof *s->modules;
	size_t tp = s->nthird_party * sizeof *s->third_party;
	pm_signature d = *s;
	if (s->arena_len)
		memcpy(m, s->arena, s->arena_len);
	d.arena = m;
	d.frames = fr ? (sig_frame *)(m + sz) : NULL;
	d.modules = md ? (char **)(m + sz + fr) : NULL;
	d.third_party = tp ? (char **)(m + sz + fr + md) : NULL;
	d.pool_tags = s->npool_tags ? (sig_pooltag *)(m + sz + fr + md + tp) : NULL;
	d.frames_cap = s->nframes;
	d.modules_cap = s->nmodules;
	d.third_party_cap = s->nthird_party;
	d.pool_tags_cap = s->npool_tags;
	/* the arrays' elements (frame flags, the static skip reason), then
	 * each string moved to the copy of the arena */
	if (fr)
		memcpy(d.frames, s->frames, fr);
	if (md)
		memcpy(d.modules, s->modules, md);
	if (tp)
		memcpy(d.third_party, s->third_party, tp);
	if (s->npool_tags)
		memcpy(d.pool_tags, s->pool_tags, s->npool_tags * sizeof *s->pool_tags);
	struct relocation r = {s, m, 1};
	each_str(&d, rebase_str, &r);
	if (!r.all)
		return -1;
	*out = d;
	return 0;
}

const sig_frame *sig_next_kept(const pm_signature *s, size_t *i)
{
	for (; *i < s->nframes; (*i)++)
		if (!s->frames[*i].skip)
			return &s->frames[(*i)++];
	return NULL;
}

size_t sig_kept_frames(const pm_signature *s, size_t *idx, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; sig_next_kept(s, &i); n++) {
		if (idx) {
			if (n >= max)
				break;
			idx[n] = i - 1;
		}
	}
	return n;
}

/* ---- serialisation ----
 *
 * Version 2 (1 is read too: it has no culprit record), one record per
 * line, fields separated by tabs:
 *   pmkb-sig 2
 *   bugcheck CODE NAME
 *   args A1 A2 A3 A4
 *   process P / image I / os_build B / failure_bucket F
 *   culprit MODULE PRINTED FUNCTION FROM                           (version 2 only)
 *   text T
 *   frame KEY MODULE FUNCTION OFFSET THIRD_PARTY(0|1) SKIP_REASON   (0..n)
 *   module NAME THIRD_PARTY(0|1)                                   (0..n)
 *   pool TAG OWNER                                                 (0..n)
 *   end NFRAMES NMODULES NPOOL
 * in exactly this order. A field that is NULL is "\N"; in other fields
 * backslash, tab, newline, CR and other control bytes are escaped as
 * "\\", "\t", "\n", "\r" and "\xHH". The end record's counts catch a
 * truncated record list. docs/signature.md documents the format.
 */

static void ser_field(sbuf *out, const char *s)
{
	sb_addc(out, '\t');
	if (!s) {
		sb_adds(out, "\\N");
		return;
	}
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		/* a run of bytes that need no escape, copied at once */
		const unsigned char *q = p;
		while (*q >= 0x20 && *q != 0x7f && *q != '\\')
			q++;
		if (q > p) {
			sb_add(out, (const char *)p, (size_t)(q - p));
			p = q;
			continue;
		}
		switch (*p) {
		case '\\': sb_adds(out, "\\\\"); break;
		case '\t': sb_adds(out, "\\t"); break;
		case '\n': sb_adds(out, "\\n"); break;
		case '\r': sb_adds(out, "\\r"); break;
		default: sb_addf(out, "\\x%02x", *p);
		}
		p++;
	}
}

void sig_serialize(const pm_signature *s, sbuf *out)
{
	sb_addf(out, "pmkb-sig\t%d\n", SIG_VERSION);
	sb_adds(out, "bugcheck");
	ser_field(out, s->bugcheck);
	ser_field(out, s->bugcheck_name);
	sb_adds(out, "\nargs");
	for (int i = 0; i < 4; i++)
		ser_field(out, s->args[i]);
	sb_adds(out, "\nprocess");
	ser_field(out, s->process);
	if (s->exception_code) {
		/* a record of its own, only when there is one: signatures
		 * without it read as before */
		sb_adds(out, "\nexception");
		ser_field(out, s->exception_code);
	}
	sb_adds(out, "\nimage");
	ser_field(out, s->image);
	sb_adds(out, "\nos_build");
	ser_field(out, s->os_build);
	sb_adds(out, "\nfailure_bucket");
	ser_field(out, s->failure_bucket);
	sb_adds(out, "\nculprit");
	ser_field(out, s->culprit);
	ser_field(out, s->culprit_printed);
	ser_field(out, s->culprit_function);
	ser_field(out, s->culprit_from);
	sb_adds(out, "\ntext");
	ser_field(out, s->text);
	sb_addc(out, '\n');
	for (size_t i = 0; i < s->nframes; i++) {
		const sig_frame *f = &s->frames[i];
		sb_adds(out, "frame");
		ser_field(out, f->key);
		ser_field(out, f->module);
		ser_field(out, f->function);
		ser_field(out, f->offset);
		ser_field(out, f->third_party ? "1" : "0");
		ser_field(out, f->skip);
		sb_addc(out, '\n');
	}
	/* third_party is the subset of modules: a flag per module keeps it */
	for (size_t i = 0, t = 0; i < s->nmodules; i++) {
		int tp = t < s->nthird_party && streq(s->third_party[t], s->modules[i]);
		if (tp)
			t++;
		sb_adds(out, "module");
		ser_field(out, s->modules[i]);
		ser_field(out, tp ? "1" : "0");
		sb_addc(out, '\n');
	}
	for (size_t i = 0; i < s->npool_tags; i++) {
		sb_adds(out, "pool");
		ser_field(out, s->pool_tags[i].tag);
		ser_field(out, s->pool_tags[i].owner);
		sb_addc(out, '\n');
	}
	sb_addf(out, "end\t%zu\t%zu\t%zu\n", s->nframes, s->nmodules, s->npool_tags);
}

#define MAX_FIELDS 8

/* One field of a serialised line, not copied: most are compared or
 * dropped, and only the kept ones are allocated (span_dup). */
typedef struct span {
	const char *p;
	size_t len;
	int null; /* "\N" */
	int esc;  /* holds a backslash escape */
} span;

/* The unescaped field, or NULL for "\N" or a bad escape (*bad set). */
static char *span_unescape(const span *f, int *bad)
{
	sbuf sb = {0};
	const char *p = f->p;
	size_t flen = f->len;
	for (size_t j = 0; j < flen; j++) {
		unsigned char c = (unsigned char)p[j];
		if (c != '\\') {
			sb_addc(&sb, (char)c);
			continue;
		}
		if (++j >= flen)
			goto bad;
		switch (p[j]) {
		case '\\': sb_addc(&sb, '\\'); break;
		case 't': sb_addc(&sb, '\t'); break;
		case 'n': sb_addc(&sb, '\n'); break;
		case 'r': sb_addc(&sb, '\r'); break;
		case 'x': {
			if (j + 2 >= flen)
				goto bad;
			char h[3] = {p[j + 1], p[j + 2], 0};
			if (!isxdigit((unsigned char)h[0]) || !isxdigit((unsigned char)h[1]))
				goto bad;
			unsigned v = (unsigned)strtoul(h, NULL, 16);
			if (v == 0 || (v >= 0x20 && v != 0x7f))
				goto bad; /* only control bytes are hex-escaped */
			sb_addc(&sb, (char)v);
			j += 2;
			break;
		}
		default:
			goto bad;
		}
	}
	return sb_detach(&sb);
bad:
	sb_free(&sb);
	*bad = 1;
	return NULL;
}

/* The field as a string in out's arena; NULL for "\N". Fits: a field
 * unescaped is no longer than it was, and its tab or newline makes room
 * for the terminating NUL. */
static char *span_dup(pm_signature *out, size_t *used, const span *f)
{
	if (f->null)
		return NULL;
	char *d = out->arena + *used;
	if (!f->esc) {
		memcpy(d, f->p, f->len);
		d[f->len] = '\0';
		*used += f->len + 1;
		return d;
	}
	int bad = 0;
	char *u = span_unescape(f, &bad); /* checked by split_line */
	size_t n = u ? strlen(u) : 0;
	memcpy(d, u ? u : "", n + 1);
	free(u);
	*used += n + 1;
	return d;
}

static int span_eq(const span *f, const char *lit)
{
	size_t n = strlen(lit);
	return !f->null && !f->esc && f->len == n && memcmp(f->p, lit, n) == 0;
}

/* Split one line (without its newline) into fields. Returns the number of
 * fields, or -1 on a raw control byte, a bad escape or too many fields. */
static int split_line(const char *line, size_t len, span *f)
{
	int n = 0;
	size_t i = 0;
	for (;;) {
		if (n == MAX_FIELDS)
			return -1;
		size_t start = i;
		while (i < len && line[i] != '\t')
			i++;
		span *x = &f[n];
		x->p = line + start;
		x->len = i - start;
		x->null = x->len == 2 && x->p[0] == '\\' && x->p[1] == 'N';
		x->esc = 0;
		if (!x->null) {
			for (size_t j = 0; j < x->len; j++) {
				unsigned char c = (unsigned char)x->p[j];
				if (c < 0x20 || c == 0x7f)
					return -1; /* raw control byte: not ours */
				if (c == '\\')
					x->esc = 1;
			}
			if (x->esc) {
				int bad = 0;
				free(span_unescape(x, &bad));
				if (bad)
					return -1;
			}
		}
		n++;
		if (i >= len)
			break;
		i++; /* the tab */
	}
	return n;
}

static int parse_count(const span *f, size_t *v)
{
	if (f->null || f->esc || !f->len || f->len > 12)
		return -1;
	size_t r = 0;
	for (size_t i = 0; i < f->len; i++) {
		if (!isdigit((unsigned char)f->p[i]))
			return -1;
		r = r * 10 + (size_t)(f->p[i] - '0');
	}
	if (f->p[0] == '0' && f->len > 1)
		return -1;
	*v = r;
	return 0;
}

static int parse_flag(const span *f, int *v)
{
	if (f->null || f->len != 1 || (f->p[0] != '0' && f->p[0] != '1'))
		return -1;
	*v = f->p[0] == '1';
	return 0;
}

int sig_parse(const char *text, pm_signature *out)
{
	memset(out, 0, sizeof *out);
	if (!text)
		return -1;
	out->arena_len = strlen(text) + 1;
	out->arena = xmalloc(out->arena_len);
	size_t used = 0;
	/* the records in their order; "*" marks a repeatable one */
	static const struct {
		const char *name;
		int nf;       /* fields after the record name */
		int repeat;   /* 1 repeatable, 2 optional */
	} rec[] = {
		{"pmkb-sig", 1, 0}, {"bugcheck", 2, 0}, {"args", 4, 0}, {"process", 1, 0}, {"exception", 1, 2},
		{"image", 1, 0}, {"os_build", 1, 0}, {"failure_bucket", 1, 0}, {"culprit", 4, 0}, {"text", 1, 0},
		{"frame", 6, 1}, {"module", 2, 1}, {"pool", 2, 1}, {"end", 3, 0},
	};
	const size_t nrec = PMKB_ARRAY_LEN(rec);
	size_t state = 0; /* index of the next record expected (or the repeating one) */
	int done = 0;
	const char *p = text;
	span f[MAX_FIELDS];
	while (*p) {
		if (done)
			goto bad; /* anything after "end" */
		const char *nl = strchr(p, '\n');
		if (!nl)
			goto bad; /* every record ends with a newline: truncated */
		int n = split_line(p, (size_t)(nl - p), f);
		p = nl + 1;
		if (n < 1 || f[0].null)
			goto bad;
		/* find the record: the expected one, or a later one */
		size_t r = state;
		while (r < nrec && !span_eq(&f[0], rec[r].name)) {
			if (rec[r].repeat != 1 && rec[r].repeat != 2 && r >= state &&
			    !(out->version == 1 && streq(rec[r].name, "culprit")))
				break; /* a single record may not be skipped (version 1 has no culprit) */
			r++;
		}
		int ok = r < nrec && span_eq(&f[0], rec[r].name) && n == rec[r].nf + 1;
		/* every field of these records except where NULL is allowed */
		if (ok) {
			const char *nm = rec[r].name;
			if (streq(nm, "pmkb-sig")) {
				out->version = span_eq(&f[1], "1") ? 1 : span_eq(&f[1], "2") ? 2 : 0;
				ok = out->version != 0;
			} else if (streq(nm, "culprit")) {
				/* version 2 only; its provenance is one of ours */
				ok = out->version >= 2;
				if (ok) {
					out->culprit = span_dup(out, &used, &f[1]);
					out->culprit_printed = span_dup(out, &used, &f[2]);
					out->culprit_function = span_dup(out, &used, &f[3]);
					if (!f[4].null) {
						size_t mark = used;
						out->culprit_from = sig_culprit_from_intern(span_dup(out, &used, &f[4]));
						used = mark;
					}
				}
			}
			else if (streq(nm, "frame")) {
				sig_frame fr = {0};
				int tp;
				ok = !f[1].null && f[1].len && parse_flag(&f[5], &tp) == 0;
				if (ok && out->nframes >= 1000000)
					ok = 0;
				if (ok) {
					fr.key = span_dup(out, &used, &f[1]);
					fr.module = span_dup(out, &used, &f[2]);
					fr.function = span_dup(out, &used, &f[3]);
					fr.offset = span_dup(out, &used, &f[4]);
					fr.third_party = tp;
					if (!f[6].null) {
						size_t mark = used;
						fr.skip = sig_skip_intern(span_dup(out, &used, &f[6]));
						used = mark; /* interned: its copy is not kept */
					}
					XGROW(out->frames, out->frames_cap, out->nframes + 1);
					out->frames[out->nframes++] = fr;
				}
			} else if (streq(nm, "module")) {
				int tp;
				ok = !f[1].null && f[1].len && parse_flag(&f[2], &tp) == 0;
				char *m = ok ? span_dup(out, &used, &f[1]) : NULL;
				/* canonical set: sorted, distinct */
				if (ok && out->nmodules && strcmp(out->modules[out->nmodules - 1], m) >= 0)
					ok = 0;
				if (ok) {
					XGROW(out->modules, out->modules_cap, out->nmodules + 1);
					out->modules[out->nmodules++] = m;
					if (tp) {
						XGROW(out->third_party, out->third_party_cap,
						      out->nthird_party + 1);
						out->third_party[out->nthird_party++] = m;
					}
				}
			} else if (streq(nm, "pool")) {
				ok = !f[1].null;
				if (ok) {
					XGROW(out->pool_tags, out->pool_tags_cap, out->npool_tags + 1);
					out->pool_tags[out->npool_tags++] =
						(sig_pooltag){span_dup(out, &used, &f[1]), span_dup(out, &used, &f[2])};
				}
			} else if (streq(nm, "end")) {
				size_t a, b, c;
				ok = parse_count(&f[1], &a) == 0 && parse_count(&f[2], &b) == 0 &&
				     parse_count(&f[3], &c) == 0 && a == out->nframes &&
				     b == out->nmodules && c == out->npool_tags;
				done = ok;
			} else if (streq(nm, "bugcheck")) {
				out->bugcheck = span_dup(out, &used, &f[1]);
				out->bugcheck_name = span_dup(out, &used, &f[2]);
			} else if (streq(nm, "args")) {
				for (int k = 0; k < 4; k++)
					out->args[k] = span_dup(out, &used, &f[k + 1]);
			} else {
				char **dst = streq(nm, "process") ? &out->process
					     : streq(nm, "exception") ? &out->exception_code
					     : streq(nm, "image") ? &out->image
					     : streq(nm, "os_build") ? &out->os_build
					     : streq(nm, "failure_bucket") ? &out->failure_bucket
										 : &out->text;
				*dst = span_dup(out, &used, &f[1]);
			}
		}
		if (!ok)
			goto bad;
		state = rec[r].repeat == 1 ? r : r + 1;
	}
	if (!done)
		goto bad;
	fold_frames(out);
	return 0;
bad:
	sig_clear(out);
	return -1;
}

/* ---- JSON ---- */

static void str_array(jw *w, const char *key, char *const *v, size_t n)
{
	jw_arr(w, key);
	for (size_t i = 0; i < n; i++)
		jw_str(w, NULL, v[i]);
	jw_end(w);
}

void sig_json(const pm_analysis *a, const pm_signature *s, sbuf *out)
{
	jw w;
	jw_init(&w, out);
	jw_obj(&w, NULL);
	jw_str(&w, "dump_name", a ? a->dump_name : NULL);
	jw_str(&w, "hash", a && a->hash[0] ? a->hash : NULL);
	jw_str(&w, "source", a ? a->source : NULL);

	jw_obj(&w, "bugcheck");
	/* code: as printed (normalised hex); match_code: what matching
	 * compares, the 0x1000xxxx _M variants folded */
	jw_str(&w, "code", a && a->bugcheck_code ? a->bugcheck_code : s->bugcheck);
	jw_str(&w, "match_code", s->bugcheck);
	jw_str(&w, "name", s->bugcheck_name);
	str_array(&w, "args", s->args, 4);
	if (a) {
		str_array(&w, "arg_desc", a->arg_desc, 4);
	} else {
		char *none[4] = {NULL, NULL, NULL, NULL};
		str_array(&w, "arg_desc", none, 4);
	}
	jw_end(&w);
	jw_str(&w, "signature", s->text);

	jw_arr(&w, "frames");
	int mapped = a && a->nframes == s->nframes;
	for (size_t i = 0; i < s->nframes; i++) {
		const sig_frame *fr = &s->frames[i];
		jw_obj(&w, NULL);
		jw_str(&w, "module", fr->module);
		jw_str(&w, "function", fr->function);
		jw_str(&w, "offset", fr->offset);
		jw_str(&w, "key", fr->key);
		jw_str(&w, "skipped", fr->skip);
		jw_bool(&w, "third_party", fr->third_party);
		if (mapped) {
			jw_str(&w, "printed_module", a->frames[i].module);
			jw_str(&w, "address", a->frames[i].address);
			jw_bool(&w, "inline", a->frames[i].is_inline);
		}
		jw_end(&w);
	}
	jw_end(&w);

	jw_arr(&w, "modules");
	for (size_t i = 0; a && i < a->nmodules; i++) {
		const pm_module *m = &a->modules[i];
		char *c = pm_canon_module(m->name ? m->name : m->image_path);
		jw_obj(&w, NULL);
		jw_str(&w, "name", m->name);
		jw_str(&w, "canonical", c);
		jw_str(&w, "start", m->start);
		jw_str(&w, "end", m->end);
		jw_str(&w, "image_path", m->image_path);
		jw_str(&w, "timestamp", m->timestamp);
		jw_str(&w, "checksum", m->checksum);
		jw_str(&w, "image_size", m->image_size);
		jw_bool(&w, "third_party", c && *c && !sig_is_microsoft(c));
		jw_end(&w);
		free(c);
	}
	jw_end(&w);
	str_array(&w, "module_set", s->modules, s->nmodules);
	str_array(&w, "third_party_modules", s->third_party, s->nthird_party);

	jw_arr(&w, "pool_tags");
	for (size_t i = 0; i < s->npool_tags; i++) {
		jw_obj(&w, NULL);
		jw_str(&w, "tag", s->pool_tags[i].tag);
		jw_str(&w, "owner", s->pool_tags[i].owner);
		jw_end(&w);
	}
	jw_end(&w);

	jw_str(&w, "process", a ? a->process : s->process);
	/* image: what the text printed (IMAGE_NAME), else the culprit */
	jw_str(&w, "image",
	       a && a->image ? a->image
	       : s->image && s->culprit && strcmp(s->image, s->culprit) == 0 && s->culprit_printed ? s->culprit_printed
												: s->image);
	jw_str(&w, "image_module", s->image);
	if (s->culprit) {
		jw_obj(&w, "culprit");
		jw_str(&w, "module", s->culprit);
		jw_str(&w, "printed", s->culprit_printed);
		jw_str(&w, "function", s->culprit_function);
		jw_str(&w, "from", s->culprit_from);
		jw_end(&w);
	} else {
		jw_null(&w, "culprit");
	}
	jw_str(&w, "failure_bucket", s->failure_bucket);
	jw_str(&w, "default_bucket", a ? a->default_bucket : NULL);
	jw_str(&w, "os_build", s->os_build);
	jw_str(&w, "irql", a ? a->irql : NULL);
	jw_str(&w, "exception_code", a ? a->exception_code : NULL);
	jw_str(&w, "fault_ip", a ? a->fault_ip : NULL);
	jw_str(&w, "machine", a ? a->machine : NULL);
	jw_arr(&w, "locals");
	for (size_t i = 0; a && i < a->nlocals; i++) {
		jw_obj(&w, NULL);
		jw_str(&w, "name", a->locals[i].name);
		jw_str(&w, "value", a->locals[i].value);
		jw_end(&w);
	}
	jw_end(&w);
	jw_str(&w, "registers", a ? a->registers : NULL);
	jw_str(&w, "evidence", a ? a->evidence : NULL);
	jw_end(&w);
}

const char *sig_hex_digits(const char *v)
{
	if (v[0] == '0' && (v[1] == 'x' || v[1] == 'X'))
		v += 2;
	while (*v == '0' && v[1])
		v++;
	return v;
}

static char *lower(char *k)
{
	for (char *c = k; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return k;
}

char *sig_arg_key(const pm_signature *s)
{
	if (!s->bugcheck || !s->args[0])
		return NULL;
	return lower(xasprintf("%s/%s", s->bugcheck, sig_hex_digits(s->args[0])));
}

char *sig_dump_key(const pm_signature *s)
{
	if (!s->bugcheck || !s->args[0] || !s->args[1] || !s->args[2] || !s->args[3])
		return NULL;
	return lower(xasprintf("%s/%s/%s/%s/%s", s->bugcheck, sig_hex_digits(s->args[0]),
			       sig_hex_digits(s->args[1]), sig_hex_digits(s->args[2]),
			       sig_hex_digits(s->args[3])));
}
