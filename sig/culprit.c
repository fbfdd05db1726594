/* culprit.c - the culprit of an analysis: the module a person (or
 * !analyze) would blame, chosen from the fields the text prints in a fixed
 * order, with the source that gave it (docs/signature.md, "Culprit").
 *
 * Sources, strongest first: a bucket's third-party driver before its
 * Microsoft image ("0x9F_3_x_IMAGE_pci.sys"), IMAGE_NAME, MODULE_NAME,
 * "Probably caused by"
 * (and the other tools' "Caused By Driver" / "Driver at fault"),
 * SYMBOL_NAME, FOLLOWUP_IP, the bucket's module!function, FAULTING_IP,
 * the first third-party kept frame, the one third-party image a debugger
 * warning names, the first kept frame outside the kernel. A symbol field
 * that names the kernel or the HAL is weak: the stack is asked first, the
 * kernel is the answer only when nothing else names a module.
 */
#include "signature.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const froms[] = {
	"image_name", "module_name", "probably_caused_by", "symbol_name", "followup_ip", "bucket",
	"fault_ip", "stack_third_party", "warning", "stack_first", "prose", "pool_owner",
};

const char *sig_culprit_from_intern(const char *from)
{
	if (!from)
		return NULL;
	for (size_t i = 0; i < PMKB_ARRAY_LEN(froms); i++)
		if (strcmp(from, froms[i]) == 0)
			return froms[i];
	return "another version of pmkb";
}

typedef struct cand {
	const char *from;
	char *module;   /* canonical */
	char *printed;  /* the name as printed, or NULL */
	char *function; /* or NULL */
	int weak;       /* 0; 1 a Microsoft module, 2 the kernel or HAL, named by a symbol field;
			 * 3 the prose, asked after every printed field and frame */
} cand;

typedef struct cands {
	cand v[16];
	size_t n;
} cands;

static int is_kernel(const char *m)
{
	return strcmp(m, "nt") == 0 || strcmp(m, "hal") == 0;
}

/* Verdicts !analyze prints where a module would be (see signature.c). */
static int is_verdict(const char *c)
{
	static const char *const names[] = {
		"memory_corruption", "hardware", "hardware_ram", "hardware_disk", "hardware_cpu",
		"pool_corruption", "unknown", "unknown_image", "corrupt_module", "unloaded_module",
		"large_pool_corruption", "hardware_nic", "hardware_gpu", "hardware_usb",
		/* the processor a machine check names as its "image"
		 * (0x124_0_GenuineIntel_PROCESSOR__UNKNOWN_IMAGE_GenuineIntel.sys) */
		"genuineintel", "authenticamd",
	};
	if (!*c || strncmp(c, "unknown_module", 14) == 0 || strncmp(c, "unknown_image", 13) == 0 ||
	    strstr(c, "wrong_symbols"))
		return 1;
	for (size_t i = 0; i < PMKB_ARRAY_LEN(names); i++)
		if (strcmp(c, names[i]) == 0)
			return 1;
	/* a bare address is no module */
	const char *d = strncmp(c, "0x", 2) == 0 ? c + 2 : c;
	size_t hex = 0;
	while (isxdigit((unsigned char)d[hex]))
		hex++;
	return hex >= 8 && d[hex] == '\0';
}

static void add(cands *cs, const char *from, const char *printed, size_t pn, const char *func, size_t fn,
		int sym_field, sbuf *why)
{
	if (cs->n >= PMKB_ARRAY_LEN(cs->v) || !printed || pn == 0)
		return;
	/* "Unloaded_vendor.sys": the driver that unloaded, named */
	if (pn > 9 && strncasecmp(printed, "unloaded_", 9) == 0 && isalnum((unsigned char)printed[9])) {
		printed += 9;
		pn -= 9;
	}
	char *p = xstrndup(printed, pn);
	char *m = pm_canon_module(p);
	if (is_verdict(m)) {
		if (why && *m)
			sb_addf(why, "culprit: %s %s is a verdict of !analyze, not a module\n", from, p);
		free(m);
		free(p);
		return;
	}
	cand *c = &cs->v[cs->n++];
	c->from = sig_culprit_from_intern(from);
	c->module = m;
	c->printed = p;
	c->function = fn ? xstrndup(func, fn) : NULL;
	/* a symbol field naming the kernel is asked last; one naming another
	 * Microsoft module after the third-party frames and warnings */
	c->weak = !sym_field ? 0 : is_kernel(m) ? 2 : sig_is_microsoft(m) ? 1 : 0;
}

/* "npf!NPF_Write+0x2a", "npf+0x1bae0", "npf.sys", "npf.sys ( npf!F+4a )":
 * module and function of a printed symbol. */
static void add_symbol(cands *cs, const char *from, const char *sym, int sym_field, sbuf *why)
{
	if (!sym || !*sym)
		return;
	while (*sym == ' ' || *sym == '*' || *sym == '`')
		sym++;
	size_t n = pm_symbol_len(sym);
	while (n && (sym[n - 1] == '*' || sym[n - 1] == '`' || sym[n - 1] == ','))
		n--;
	size_t m = 0;
	while (m < n && sym[m] != '!' && sym[m] != '+')
		m++;
	const char *fn = NULL;
	size_t fl = 0;
	if (m < n && sym[m] == '!') {
		fn = sym + m + 1;
		while (fn + fl < sym + n && fn[fl] != '+')
			fl++;
	}
	if (fn && fl) {
		/* a reporting frame ("verifier!VerifierStopMessage",
		 * "nt!KeBugCheckEx") names where the crash was reported,
		 * not its cause: no candidate */
		char *mod = xstrndup(sym, m), *f = xstrndup(fn, fl);
		char *cm = pm_canon_module(mod);
		int plumbing = cm && sig_skip_reason(cm, f) != NULL;
		free(cm);
		free(mod);
		free(f);
		if (plumbing)
			return;
	}
	add(cs, from, sym, m, fn, fl, sym_field, why);
}

/* "vendor.sys ( vendor!VendorDpc+4a )": the module, and the function of
 * the symbol in parentheses when it is the same module's. */
static void add_caused_by(cands *cs, const char *v, sbuf *why)
{
	if (!v || !*v)
		return;
	size_t n = strcspn(v, " (");
	const char *lp = strchr(v, '(');
	size_t before = cs->n;
	add(cs, "probably_caused_by", v, n, NULL, 0, 0, why);
	if (cs->n == before || !lp)
		return;
	cands tmp = {0};
	add_symbol(&tmp, "probably_caused_by", lp + 1, 0, NULL);
	cand *c = &cs->v[before];
	if (tmp.n && tmp.v[0].function && strcmp(tmp.v[0].module, c->module) == 0)
		c->function = xstrdup(tmp.v[0].function);
	for (size_t i = 0; i < tmp.n; i++) {
		free(tmp.v[i].module);
		free(tmp.v[i].printed);
		free(tmp.v[i].function);
	}
}

/* A pool verdict ("Probably caused by : Pool_Corruption") or a pool
 * bugcheck (0x19, 0xC2, 0x13A) with a pool tag whose owner the text
 * prints ("Pooltag Filt : ..., Binary : vendor.sys", "Owning component"):
 * the owner of the first tag (the block !pool marks) is the driver
 * blamed. A Microsoft owner is weak, as a symbol field naming one. */
static int is_pool_verdict(const char *v)
{
	if (!v || !*v)
		return 0;
	char *x = xstrndup(v, strcspn(v, " ("));
	char *c = pm_canon_module(x);
	int r = strstr(c, "pool_corruption") != NULL;
	free(c);
	free(x);
	return r;
}

static void add_pool_owner(cands *cs, const pm_analysis *a, sbuf *why)
{
	if (!a->npool_tags || !a->pool_tags[0].owner || !*a->pool_tags[0].owner)
		return;
	const char *bc = a->bugcheck_code;
	int pool = is_pool_verdict(a->image) || is_pool_verdict(a->module_name) ||
		   is_pool_verdict(a->caused_by) || is_pool_verdict(a->failure_bucket) ||
		   (bc && (strcmp(bc, "0x19") == 0 || strcmp(bc, "0xc2") == 0 || strcmp(bc, "0x13a") == 0));
	/* a file or module!function, not a description ("Filter Manager") */
	const char *o = a->pool_tags[0].owner;
	size_t on = strcspn(o, " \t(");
	if (pool && (memchr(o, '.', on) || memchr(o, '!', on)))
		add_symbol(cs, "pool_owner", o, 1, why);
}

/* Where the module of bucket[0..cut) starts when no module of the
 * analysis names it: past the bucket's own words (the code, "X64", "DPC",
 * "AV": upper case and digits; a user-mode exception code,
 * "NULL_POINTER_READ_c0000005_x.dll!F": eight hex digits; the subcode after
 * the code, "0x139_a_GUARD_..._nt!F": one or two hex digits; the debugger's
 * "(null)"), at the first part with a lower-case letter; (size_t)-1 when
 * none does. */
static size_t bucket_module_start(const char *bucket, size_t cut)
{
	size_t i = 0;
	int after_code = 0;
	while (i < cut) {
		size_t e = i;
		int lower = 0, hex = 1, word = 1;
		while (e < cut && bucket[e] != '_')
			lower |= islower((unsigned char)bucket[e]) && !(e == i + 1 && bucket[i] == '0'),
			hex &= isxdigit((unsigned char)bucket[e]) != 0,
			word &= isalnum((unsigned char)bucket[e]) || bucket[e] == '.' || bucket[e] == '-' || bucket[e] == '$',
			e++;
		/* "AV_R_(null)_x!F": the debugger's place holder, no module */
		if (!word)
			lower = 0;
		if (hex && e - i == 8 && e < cut)
			lower = 0;
		if (after_code && hex && e - i <= 2 && e < cut)
			lower = 0;
		if (lower)
			return i;
		after_code = e - i > 2 && bucket[i] == '0' && (bucket[i + 1] == 'x' || bucket[i + 1] == 'X');
		i = e + 1;
	}
	return (size_t)-1;
}

/* A bucket that names a third-party driver before a Microsoft image:
 * "0x9F_3_nvlddmkm_IMAGE_pci.sys" (a power IRP stuck in nvlddmkm's device,
 * pci.sys the image !analyze prints): the driver, asked before IMAGE_NAME */
static void add_bucket_driver(cands *cs, const char *bucket, sbuf *why)
{
	if (!bucket)
		return;
	const char *img = NULL;
	for (const char *p = bucket; (p = strstr(p, "_IMAGE_")) != NULL; p += 7)
		img = p;
	if (!img)
		return;
	size_t cut = (size_t)(img - bucket);
	size_t b0 = bucket_module_start(bucket, cut);
	if (b0 == (size_t)-1 || cut - b0 < 2 || memchr(bucket + b0, '!', cut - b0))
		return;
	char *d = xstrndup(bucket + b0, cut - b0);
	char *dc = pm_canon_module(d);
	char *ic = pm_canon_module(img + 7);
	if (*dc && *ic && !sig_is_microsoft(dc) && sig_is_microsoft(ic) && !is_verdict(dc)) {
		if (why)
			sb_addf(why, "culprit: the bucket names %s before its Microsoft image %s\n", d, img + 7);
		add(cs, "bucket", bucket + b0, cut - b0, NULL, 0, 0, why);
	}
	free(ic);
	free(dc);
	free(d);
}

/* The module (and function) a bucket names: "0x3B_npf!NPF_Write",
 * "X64_0xD1_acme_flt!Func+1c", "AV_vendor+1a2b", "0xc4_..._IMAGE_x.sys".
 * The module part before '!' is the longest '_'-separated tail that names
 * a module of the analysis, else the first part with a lower-case letter
 * past the bucket's own words ("AV_R_(null)_dxgkrnl!F": dxgkrnl). */
static void add_bucket(cands *cs, const char *bucket, const pm_analysis *a, const char *from, sbuf *why)
{
	if (!bucket || !*bucket)
		return;
	const char *img = NULL;
	for (const char *p = bucket; (p = strstr(p, "_IMAGE_")) != NULL; p += 7)
		img = p + 7;
	if (img) {
		add(cs, from, img, strcspn(img, " "), NULL, 0, 1, why);
		return;
	}
	size_t n = strcspn(bucket, " ");
	size_t bang = strcspn(bucket, "!");
	size_t cut = bang < n ? bang : strcspn(bucket, "+");
	if (cut >= n || cut == 0)
		return;
	/* candidate starts: after each '_' (and the start), longest first */
	size_t best = (size_t)-1, last = 0;
	for (size_t i = 0; i < cut; i++) {
		if (i > 0 && bucket[i - 1] != '_')
			continue;
		last = i;
		if (best != (size_t)-1)
			continue;
		char *p = xstrndup(bucket + i, cut - i);
		char *c = pm_canon_module(p);
		int known = 0;
		for (size_t k = 0; k < a->nframes && !known; k++)
			if (a->frames[k].module) {
				char *fc = pm_canon_module(a->frames[k].module);
				known = strcmp(fc, c) == 0;
				free(fc);
			}
		for (size_t k = 0; k < a->nmodules && !known; k++)
			if (a->modules[k].name) {
				char *mc = pm_canon_module(a->modules[k].name);
				known = strcmp(mc, c) == 0;
				free(mc);
			}
		if (!known && a->fault_ip) {
			/* FAULTING_IP's module ("acmehook!HookProc+1f") */
			char *fm = xstrndup(a->fault_ip, strcspn(a->fault_ip, "!+ "));
			char *fc = pm_canon_module(fm);
			known = strcmp(fc, c) == 0;
			free(fc);
			free(fm);
		}
		if (known)
			best = i;
		free(c);
		free(p);
	}
	size_t st = best != (size_t)-1 ? best : last;
	if (best == (size_t)-1) {
		size_t b0 = bucket_module_start(bucket, cut);
		if (b0 != (size_t)-1)
			st = b0;
	}
	const char *fn = NULL;
	size_t fl = 0;
	if (bang < n) {
		fn = bucket + bang + 1;
		fl = strcspn(fn, "+ ");
	}
	/* "0x50_nt" alone has no '!' nor '+': nothing here; a tail that is
	 * the code ("0xD1") is no module */
	if (cut - st >= 2 && !(bucket[st] == '0' && (bucket[st + 1] == 'x' || bucket[st + 1] == 'X')))
		add(cs, from, bucket + st, cut - st, fn, fl, 1, why);
}

/* The printed spelling of module m the text gives (a file name with its
 * extension preferred), or NULL. */
static const char *printed_name(const pm_analysis *a, const cands *cs, const char *m)
{
	const char *plain = NULL;
	for (size_t i = 0; i < a->nmodules; i++) {
		const char *nm = a->modules[i].name;
		if (!nm)
			continue;
		char *c = pm_canon_module(nm);
		int eq = strcmp(c, m) == 0;
		free(c);
		if (!eq)
			continue;
		if (strchr(nm, '.'))
			return nm;
		if (!plain)
			plain = nm;
	}
	for (size_t i = 0; i < cs->n; i++)
		if (strcmp(cs->v[i].module, m) == 0 && strchr(cs->v[i].printed, '.') &&
		    !strchr(cs->v[i].printed, '!') && !strchr(cs->v[i].printed, '+'))
			return cs->v[i].printed;
	return plain;
}

void sig_choose_culprit(const pm_analysis *a, pm_signature *out, sbuf *why)
{
	cands cs = {0};
	size_t nfixed;
	if (!a)
		return;
	add_bucket_driver(&cs, a->failure_bucket, why);
	add(&cs, "image_name", a->image, a->image ? strcspn(a->image, " ") : 0, NULL, 0, 0, why);
	add(&cs, "module_name", a->module_name, a->module_name ? strcspn(a->module_name, " ") : 0, NULL, 0, 0, why);
	add_caused_by(&cs, a->caused_by, why);
	add_pool_owner(&cs, a, why);
	add_symbol(&cs, "symbol_name", a->symbol_name, 1, why);
	add_symbol(&cs, "followup_ip", a->followup_ip, 1, why);
	add_bucket(&cs, a->failure_bucket, a, "bucket", why);
	add_symbol(&cs, "fault_ip", a->fault_ip, 1, why);
	nfixed = cs.n;
	/* the stack: first third-party kept frame, else first kept frame
	 * outside the kernel; none for a machine check (0x124
	 * WHEA_UNCORRECTABLE_ERROR, 0x9c MACHINE_CHECK_EXCEPTION): the
	 * hardware stopped whatever code ran, the frames were interrupted */
	size_t tp = (size_t)-1, first = (size_t)-1;
	int mce = a->bugcheck_code && (!strcmp(a->bugcheck_code, "0x124") || !strcmp(a->bugcheck_code, "0x9c"));
	for (size_t i = 0; i < out->nframes && !mce; i++) {
		const sig_frame *f = &out->frames[i];
		if (f->skip || !f->module)
			continue;
		if (f->third_party && tp == (size_t)-1)
			tp = i;
		if (!is_kernel(f->module) && first == (size_t)-1)
			first = i;
	}
	const pm_frame *pf = NULL;
	if (tp != (size_t)-1) {
		pf = &a->frames[tp];
		add(&cs, "stack_third_party", pf->module, strlen(pf->module), pf->function,
		    pf->function ? strlen(pf->function) : 0, 0, why);
	}
	/* a debugger warning that names exactly one third-party image */
	if (a->warned_image) {
		const char *one = NULL;
		size_t onel = 0, count = 0;
		for (const char *p = a->warned_image; *p;) {
			size_t l = strcspn(p, " ");
			char *x = xstrndup(p, l);
			char *c = pm_canon_module(x);
			if (*c && !sig_is_microsoft(c) && !is_verdict(c)) {
				if (!one || strncmp(one, p, l) != 0)
					count++;
				one = p;
				onel = l;
			}
			free(c);
			free(x);
			p += l;
			while (*p == ' ')
				p++;
		}
		if (count == 1)
			add(&cs, "warning", one, onel, NULL, 0, 0, why);
	}
	if (first != (size_t)-1) {
		pf = &a->frames[first];
		add(&cs, "stack_first", pf->module, strlen(pf->module), pf->function,
		    pf->function ? strlen(pf->function) : 0, 0, why);
	}
	/* the driver the prose names: one third-party file, else one file */
	if (a->prose_images) {
		const char *one_tp = NULL, *one = NULL;
		size_t ltp = 0, l1 = 0, ntp = 0, nall = 0;
		for (const char *p = a->prose_images; *p;) {
			size_t l = strcspn(p, " ");
			char *x = xstrndup(p, l);
			char *c = pm_canon_module(x);
			if (*c && !is_verdict(c)) {
				nall++;
				one = p, l1 = l;
				if (!sig_is_microsoft(c)) {
					ntp++;
					one_tp = p, ltp = l;
				}
			}
			free(c);
			free(x);
			p += l;
			while (*p == ' ')
				p++;
		}
		size_t before = cs.n;
		if (ntp == 1)
			add(&cs, "prose", one_tp, ltp, NULL, 0, 0, why);
		else if (ntp == 0 && nall == 1)
			add(&cs, "prose", one, l1, NULL, 0, 0, why);
		if (cs.n > before)
			cs.v[before].weak = 3;
	}
	/* the first strong candidate, then a Microsoft module a symbol field
	 * names before the first inbox frame, then the kernel */
	size_t pick = (size_t)-1;
	for (int level = 0; level <= 3 && pick == (size_t)-1; level++)
		for (size_t i = 0; i < cs.n && pick == (size_t)-1; i++) {
			if (cs.v[i].weak != level)
				continue;
			if (level == 0 && strcmp(cs.v[i].from, "stack_first") == 0) {
				/* an inbox frame yields to an inbox symbol field */
				int field = 0;
				for (size_t k = 0; k < cs.n; k++)
					field |= cs.v[k].weak == 1;
				if (field)
					continue;
			}
			pick = i;
		}
	if (pick == (size_t)-1) {
		for (size_t i = 0; i < cs.n && pick == (size_t)-1; i++)
			if (strcmp(cs.v[i].from, "stack_first") == 0)
				pick = i;
	}
	if (pick != (size_t)-1) {
		cand *c = &cs.v[pick];
		out->culprit = xstrdup(c->module);
		out->culprit_from = c->from;
		const char *pr = printed_name(a, &cs, c->module);
		out->culprit_printed = pr ? xstrdup(pr) : NULL;
		/* the function: from the chosen source, else from the first
		 * other source that names the same module with a function */
		const char *fn = c->function;
		for (size_t i = 0; !fn && i < cs.n; i++)
			if (cs.v[i].function && strcmp(cs.v[i].module, c->module) == 0)
				fn = cs.v[i].function;
		out->culprit_function = fn && *fn ? xstrdup(fn) : NULL;
		if (why) {
			sb_addf(why, "culprit %s", c->module);
			if (out->culprit_function)
				sb_addf(why, "!%s", out->culprit_function);
			sb_addf(why, " (from %s%s)\n", c->from,
				c->weak == 2 ? ", the kernel: nothing else named a module" :
				c->weak == 1 ? ", a Microsoft module: no third-party frame or warning" : "");
			/* the printed sources that name another module */
			for (size_t i = 0; i < nfixed; i++)
				if (i != pick && strcmp(cs.v[i].module, c->module) != 0)
					sb_addf(why, "culprit conflict: %s names %s\n", cs.v[i].from, cs.v[i].printed);
		}
	} else if (why) {
		sb_adds(why, "culprit: none (no field, frame or warning names a module)\n");
	}
	for (size_t i = 0; i < cs.n; i++) {
		free(cs.v[i].module);
		free(cs.v[i].printed);
		free(cs.v[i].function);
	}
}
