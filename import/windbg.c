/* windbg.c - the WinDbg text reader's building blocks: stack rows and call
 * sites, frames, the analysis being built and when it is kept, modules,
 * pool tags, registers, the bugcheck and its arguments, debugger commands.
 *
 * The reader finds every dump analysis in a pasted text (a mail body, a
 * forum post, saved WinDbg output) and extracts its fields as WinDbg
 * printed them. Plain C scanning, one pass over the lines, no regular
 * expressions: windbg-read.c normalises each line (CRLF, tabs, HTML
 * escapes, runs of spaces collapsed, mail quote markers dropped) and feeds
 * it to the line readers of windbg-lines.c, which use what is here. See
 * docs/windbg-reader.md for the shapes read.
 */
#include "windbg-int.h"
#include "../util/util.h"
#include "../util/charset.h"
#include "../util/norm.h"
#include "bugcheck-names.h"
#include "mail-quote.h"
#include "windbg-shapes.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* ------------------------------------------------------------------ */
/* small string helpers */


/* tolower() of the C and C.UTF-8 locales (the only ones pmkb runs in,
 * cli/main.c): A-Z only, inline (wb_ifind runs on every line of every body) */
static inline unsigned char lower_ascii(unsigned char c)
{
	return (unsigned char)(c - 'A') < 26 ? (unsigned char)(c + ('a' - 'A')) : c;
}

int wb_ieq_n(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lower_ascii((unsigned char)a[i]) != lower_ascii((unsigned char)b[i]))
			return 0;
	return 1;
}

/* Case-insensitive search of needle in s[0..n): the first position
 * whose byte lowers to needle's first byte and where the rest follows.
 * Such a byte is either of at most two values (a letter's two cases), so
 * memchr finds the candidates, the next of each value kept until passed
 * (this runs over every line of every body, for some twenty needles). */
const char *wb_ifind(const char *s, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	if (m == 0 || m > n)
		return NULL;
	unsigned char lo = lower_ascii((unsigned char)needle[0]);
	unsigned char up = (lo >= 'a' && lo <= 'z') ? (unsigned char)(lo - ('a' - 'A')) : lo;
	const char *end = s + (n - m + 1); /* a match starts before end */
	const char *pl = memchr(s, lo, (size_t)(end - s));
	const char *pu = up != lo ? memchr(s, up, (size_t)(end - s)) : NULL;
	while (pl || pu) {
		const char *p = (!pu || (pl && pl < pu)) ? pl : pu;
		if (wb_ieq_n(p + 1, needle + 1, m - 1))
			return p;
		if (p == pl)
			pl = memchr(p + 1, lo, (size_t)(end - p - 1));
		else
			pu = memchr(p + 1, up, (size_t)(end - p - 1));
	}
	return NULL;
}

int wb_starts(const char *s, size_t n, const char *p)
{
	size_t m = strlen(p);
	return n >= m && memcmp(s, p, m) == 0;
}

int wb_istarts(const char *s, size_t n, const char *p)
{
	size_t m = strlen(p);
	return n >= m && wb_ieq_n(s, p, m);
}

/* Is s[0..n) an address column: >= 8 hex digits, at most one backtick. */
int wb_is_addr(const char *s, size_t n)
{
	size_t digits = 0, ticks = 0;
	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return 0; /* raw-address call sites are printed with 0x */
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '`')
			ticks++;
		else if (is_hex(s[i]) || s[i] == 'x')
			digits++; /* "xxxxxxxx`500451a8": addresses redacted in public pastes */
		else
			return 0;
	}
	return ticks <= 1 && digits >= 8 && digits <= 16;
}

int wb_all_hex(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!is_hex(s[i]))
			return 0;
	return 1;
}

/* Next space-separated token of a squeezed line. */
int wb_next_tok(const char *s, size_t n, size_t *pos, const char **t, size_t *tn)
{
	size_t i = *pos;
	while (i < n && s[i] == ' ')
		i++;
	if (i >= n)
		return 0;
	size_t j = i;
	while (j < n && s[j] != ' ')
		j++;
	*t = s + i;
	*tn = j - i;
	*pos = j;
	return 1;
}

char *wb_dup_trim(const char *s, size_t n)
{
	while (n && (*s == ' '))
		s++, n--;
	while (n && (s[n - 1] == ' '))
		n--;
	return xstrndup(s, n);
}

/* ------------------------------------------------------------------ */
/* frames */

/* Parse one call site ("nt!KeBugCheckEx+0x0", "lwfmgr+0x5167", "Netwtw08",
 * "0x3200360035", "ndis!F(void * H = 0x0)+0x47") starting at s. Fills f
 * (strings owned by f) and returns the length consumed, 0 when it is not a
 * call site. Typed parameters whose value is zero are reported through
 * null_param (called with name and value). */

size_t wb_parse_callsite(const char *s, size_t n, pm_frame *f, param_cb cb, void *ctx)
{
	memset(f, 0, sizeof *f);
	/* the extent: up to the first space outside () and <> */
	size_t end = 0;
	int paren = 0, angle = 0;
	size_t popen = (size_t)-1, pclose = (size_t)-1, quoted;
	for (end = 0; end < n; end++) {
		char c = s[end];
		if (c == '(') {
			if (paren == 0 && popen == (size_t)-1)
				popen = end;
			paren++;
		} else if (c == ')') {
			if (paren > 0 && --paren == 0 && pclose == (size_t)-1)
				pclose = end;
		} else if (c == '<' && paren == 0)
			angle++;
		else if (c == '>' && paren == 0 && angle > 0)
			angle--;
		else if (c == '`' && (quoted = pm_msvc_quoted(s + end, n - end)) != 0)
			end += quoted - 1; /* "x!`anonymous namespace'::send+20a", "`vftable'" */
		else if (c == ' ' && paren == 0 && angle == 0)
			break;
	}
	if (paren > 0)
		return 0;
	/* a closing quote of the text the stack was quoted in:
	 * "acpi!DefPortReadAcpiRegister+0x104\"" */
	while (end > 1 && s[end - 1] == '"')
		end--;
	if (end == 0 || end > 4096)
		return 0;
	const char *t = s;
	size_t tn = end;
	/* "<Unloaded_vendor.sys>+0x1a2b": code of a driver that unloaded
	 * before it ran; the frame is that driver's */
	if (tn > 11 && t[0] == '<' && wb_istarts(t + 1, tn - 1, "Unloaded_")) {
		const char *gt = memchr(t, '>', tn);
		size_t mn = gt ? (size_t)(gt - t) - 10 : 0;
		if (!gt || mn == 0 || mn > 256)
			return 0;
		for (size_t i = 0; i < mn; i++) {
			char c = t[10 + i];
			if (!(is_alnum_ascii(c) || c == '_' || c == '.' || c == '-' || c == '$'))
				return 0;
		}
		f->module = xstrndup(t + 10, mn);
		if ((size_t)(gt - t) + 1 < tn && gt[1] == '+')
			f->offset = pm_norm_hex(gt + 2, tn - (size_t)(gt - t) - 2);
		return end;
	}
	if (!(is_alnum_ascii(t[0]) || t[0] == '_'))
		return 0;
	/* a raw address */
	if (tn > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
		char *a = pm_norm_hex(t, tn);
		if (!a)
			return 0;
		f->address = a;
		return end;
	}
	/* offset: "+0x47" or "+c0" at the end, outside parentheses */
	size_t body = tn;
	for (size_t i = tn; i-- > 0;) {
		if (t[i] == ')' || t[i] == '>')
			break;
		if (t[i] == '+') {
			char *o = pm_norm_hex(t + i + 1, tn - i - 1);
			if (o) {
				f->offset = o;
				body = i;
			}
			break;
		}
	}
	/* parameters "(void * Name = value, ...)" */
	size_t fend = body;
	if (popen != (size_t)-1 && popen < body && pclose != (size_t)-1 && pclose < body) {
		fend = popen;
		if (cb) {
			const char *p = t + popen + 1;
			const char *pe = t + pclose;
			while (p < pe) {
				const char *comma = p;
				int d = 0;
				while (comma < pe && !(d == 0 && *comma == ',')) {
					if (*comma == '(' || *comma == '<')
						d++;
					else if ((*comma == ')' || *comma == '>') && d > 0)
						d--;
					comma++;
				}
				const char *eq = memchr(p, '=', (size_t)(comma - p));
				if (eq) {
					const char *ne = eq;
					while (ne > p && ne[-1] == ' ')
						ne--;
					const char *nb = ne;
					while (nb > p && (is_alnum_ascii(nb[-1]) || nb[-1] == '_'))
						nb--;
					const char *vb = eq + 1;
					while (vb < comma && *vb == ' ')
						vb++;
					const char *ve = vb;
					while (ve < comma && *ve != ' ')
						ve++;
					if (ne > nb && ve > vb)
						cb(ctx, nb, (size_t)(ne - nb), vb, (size_t)(ve - vb));
				}
				p = comma + 1;
			}
		}
	}
	const char *bang = memchr(t, '!', fend);
	size_t mn = bang ? (size_t)(bang - t) : fend;
	if (mn == 0)
		goto bad;
	for (size_t i = 0; i < mn; i++) {
		char c = t[i];
		if (!(is_alnum_ascii(c) || c == '_' || c == '.' || c == '-' || c == '$'))
			goto bad;
	}
	if (!bang && wb_is_addr(t, mn))
		goto bad;
	f->module = xstrndup(t, mn);
	if (bang && fend > mn + 1)
		f->function = xstrndup(bang + 1, fend - mn - 1);
	return end;
bad:
	free(f->offset);
	free(f->address);
	memset(f, 0, sizeof *f);
	return 0;
}

void wb_frame_free(pm_frame *f)
{
	free(f->module);
	free(f->function);
	free(f->offset);
	free(f->address);
	memset(f, 0, sizeof *f);
}


/* Parse a stack row of any shape (kc, k, kb, kv, kn, !mex.t, STACK_TEXT).
 * On ROW_OK r->f holds the frame (caller owns it). */
int wb_parse_row(const char *s, size_t n, row *r, param_cb cb, void *ctx)
{
	memset(r, 0, sizeof *r);
	size_t pos = 0;
	const char *t;
	size_t tn;
	if (!wb_next_tok(s, n, &pos, &t, &tn))
		return ROW_NO;
	/* a frame number: at most 4 hex digits (10,000 frames), not the last token */
	if (tn <= 4 && wb_all_hex(t, tn)) {
		const char *t2;
		size_t t2n, p2 = pos;
		if (wb_next_tok(s, n, &p2, &t2, &t2n)) {
			r->has_num = 1;
			char nb[8];
			memcpy(nb, t, tn);
			nb[tn] = 0;
			r->num = (unsigned)strtoul(nb, NULL, 16);
		} else {
			return ROW_NO;
		}
	} else {
		pos = 0;
	}
	/* inline markers */
	size_t p3 = pos;
	if (wb_next_tok(s, n, &p3, &t, &tn)) {
		if (tn == 7 && memcmp(t, "(Inline", 7) == 0) {
			const char *t2;
			size_t t2n, p4 = p3;
			if (wb_next_tok(s, n, &p4, &t2, &t2n) && wb_starts(t2, t2n, "Function)")) {
				r->is_inline = 1;
				pos = p4;
			}
		} else if (tn == 8 && memcmp(t, "(Inline)", 8) == 0) {
			r->is_inline = 1;
			pos = p3;
		}
	}
	/* address and argument columns */
	for (;;) {
		size_t p5 = pos;
		if (!wb_next_tok(s, n, &p5, &t, &tn))
			break;
		if (tn == 1 && t[0] == ':') {
			r->colon++;
			pos = p5;
			continue;
		}
		if (tn == 1 && t[0] == '-' && r->is_inline) {
			pos = p5;
			continue;
		}
		if (r->is_inline && tn == 17 && t[8] == '`' && t[0] == '-') {
			/* an unnumbered STACK_TEXT row of an inline frame: its
			 * placeholders stand in the address columns */
			if (!r->has_num)
				r->naddr++;
			pos = p5;
			continue;
		}
		if (wb_is_addr(t, tn)) {
			if ((r->colon == 1 || (r->colon == 0 && r->naddr == 2)) && !r->first_arg[0] && tn < sizeof r->first_arg)
				memcpy(r->first_arg, t, tn), r->first_arg[tn] = 0;
			r->naddr++;
			pos = p5;
			continue;
		}
		break;
	}
	if (!r->has_num && r->naddr < 2)
		return ROW_NO;
	if (r->has_num && r->naddr == 0 && !r->is_inline && r->colon == 0) {
		/* kc row: number then call site; nothing else needed */
	}
	while (pos < n && s[pos] == ' ')
		pos++;
	if (pos >= n)
		return (r->naddr >= 2 || r->colon) ? ROW_PARTIAL : ROW_NO;
	size_t used = wb_parse_callsite(s + pos, n - pos, &r->f, cb, ctx);
	if (!used)
		return ROW_NO;
	r->f.is_inline = r->is_inline;
	/* a kc row is "NN call-site" and little else: reject prose such as
	 * "0 errors found" by requiring symbol syntax or nothing after it */
	if (r->has_num && r->naddr == 0 && !r->is_inline) {
		size_t rn = n - pos - used;
		int symbolic = r->f.function || r->f.offset || r->f.address;
		if (!symbolic && rn > 0) {
			wb_frame_free(&r->f);
			return ROW_NO;
		}
	}
	return ROW_OK;
}

/* ------------------------------------------------------------------ */
/* the extraction state */



/* The kernel's bugcheck entry points, whose first argument is the code:
 * KeBugCheckEx, KeBugCheck2 (which a 32-bit kb stack shows with its
 * arguments), KeBugCheck */
int wb_bugcheck_fn(const char *fn)
{
	return fn && (strcmp(fn, "KeBugCheckEx") == 0 || strcmp(fn, "KeBugCheck2") == 0 || strcmp(fn, "KeBugCheck") == 0);
}

/* What a user-mode analysis implies when it does not print it: the process
 * of a dump WER's LocalDumps named ("explorer.exe.17364.dmp"), the
 * exception code inside a user-mode bucket ("INVALID_POINTER_READ_c0000005_
 * x.exe!F"; a kernel bucket's "0x3B_c0000005_" is an argument) */
static void user_mode_implied(pm_analysis *a)
{
	if (a->bugcheck_code)
		return;
	if (!a->process && a->dump_name) {
		const char *d = a->dump_name, *x = strstr(d, ".exe.");
		if (!x)
			x = strstr(d, ".EXE.");
		if (x && x > d) {
			const char *t = x + 5;
			size_t k = 0;
			while (isdigit((unsigned char)t[k]))
				k++;
			if (k && strcasecmp(t + k, ".dmp") == 0)
				a->process = xstrndup(d, (size_t)(x + 4 - d));
		}
	}
	const char *bk = a->failure_bucket;
	if (!a->exception_code && bk && !(bk[0] == '0' && (bk[1] == 'x' || bk[1] == 'X'))) {
		for (const char *p = strchr(bk, '_'); p; p = strchr(p + 1, '_')) {
			size_t k = 0;
			while (is_hex(p[1 + k]))
				k++;
			if (k == 8 && (p[9] == '_' || p[9] == '\0') && strchr("8cCeE", p[1])) {
				a->exception_code = pm_norm_hex(p + 1, 8);
				break;
			}
		}
	}
}

/* Is this a dump analysis, not a stray mention? (docs/windbg-reader.md) */
static int has_evidence(const pm_analysis *a)
{
	if (a->bugcheck_code)
		return 1;
	if (a->nframes >= 2)
		return 1;
	if (a->nframes >= 1 && (a->nmodules || a->npool_tags))
		return 1;
	/* a .trap/.cxr register block with the faulting instruction's symbol */
	if (a->registers && a->fault_ip)
		return 1;
	/* the fields of an !analyze -v that name the faulting code, printed
	 * without banner or stack (the tail of an analysis, a quoted line) */
	if (a->image || a->module_name || a->caused_by || a->symbol_name || a->followup_ip || a->fault_ip ||
	    a->failure_bucket)
		return 1;
	/* a user-mode crash: the exception and the process, module or stack */
	if (a->exception_code && (a->process || a->nframes >= 1))
		return 1;
	/* "Arg1: ..." lines whose header a forum dropped */
	if (a->args[0] && a->args[1])
		return 1;
	return 0;
}

/* Fill a->hash: FNV-1a of the code and four arguments when all are printed
 * (two pastes of one dump always print the same), else of the code, dump
 * name, frames, pool tags and module names. */
static void hash_analysis(pm_analysis *a)
{
	sbuf h = {0};
	int allargs = a->bugcheck_code && a->args[0] && a->args[1] && a->args[2] && a->args[3];
	sb_addf(&h, "bc=%s|", a->bugcheck_code ? a->bugcheck_code : "");
	if (allargs) {
		for (int i = 0; i < 4; i++)
			sb_addf(&h, "%s|", a->args[i]);
	} else {
		sb_addf(&h, "dump=%s|", a->dump_name ? a->dump_name : "");
		for (size_t i = 0; i < a->nframes; i++) {
			pm_frame *f = &a->frames[i];
			sb_addf(&h, "%s!%s+%s@%s;", f->module ? f->module : "", f->function ? f->function : "",
				f->offset ? f->offset : "", f->address ? f->address : "");
		}
		sb_adds(&h, "|");
		for (size_t i = 0; i < a->npool_tags; i++)
			sb_addf(&h, "%s=%s;", a->pool_tags[i].tag, a->pool_tags[i].owner ? a->pool_tags[i].owner : "");
		sb_adds(&h, "|");
		for (size_t i = 0; i < a->nmodules; i++)
			sb_addf(&h, "%s;", a->modules[i].name);
	}
	hash_hex(fnv1a64(h.buf, h.len), a->hash);
	sb_free(&h);
}

static void merge_str(char **dst, char **src)
{
	if (!*dst && *src) {
		*dst = *src;
		*src = NULL;
	}
}

/* A quoted repeat of an analysis already kept (same hash): what the
 * repeat prints and the first one did not is added to the first one (a
 * later mail often quotes the analysis with more output). */
static void merge_repeat(pm_analysis *dst, pm_analysis *src)
{
	merge_str(&dst->dump_name, &src->dump_name);
	merge_str(&dst->bugcheck_name, &src->bugcheck_name);
	for (int i = 0; i < 4; i++)
		merge_str(&dst->arg_desc[i], &src->arg_desc[i]);
	char **fields[][2] = {{&dst->process, &src->process}, {&dst->irql, &src->irql},
		{&dst->failure_bucket, &src->failure_bucket}, {&dst->default_bucket, &src->default_bucket},
		{&dst->os_build, &src->os_build}, {&dst->exception_code, &src->exception_code},
		{&dst->fault_ip, &src->fault_ip}, {&dst->image, &src->image}, {&dst->machine, &src->machine},
		{&dst->registers, &src->registers}, {&dst->module_name, &src->module_name},
		{&dst->caused_by, &src->caused_by}, {&dst->followup_ip, &src->followup_ip},
		{&dst->symbol_name, &src->symbol_name}, {&dst->warned_image, &src->warned_image},
		{&dst->unreliable, &src->unreliable}};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(fields); i++)
		merge_str(fields[i][0], fields[i][1]);
	if (src->nframes > dst->nframes) {
		pm_frame *f = dst->frames;
		size_t n = dst->nframes, cap = dst->frames_cap;
		dst->frames = src->frames;
		dst->nframes = src->nframes;
		dst->frames_cap = src->frames_cap;
		src->frames = f;
		src->nframes = n;
		src->frames_cap = cap;
	}
	for (size_t i = 0; i < src->nmodules; i++) {
		pm_module *sm = &src->modules[i];
		pm_module *m = wb_module_get(dst, sm->name, strlen(sm->name));
		if (!m)
			break;
		merge_str(&m->start, &sm->start);
		merge_str(&m->end, &sm->end);
		merge_str(&m->image_path, &sm->image_path);
		merge_str(&m->timestamp, &sm->timestamp);
		merge_str(&m->checksum, &sm->checksum);
		merge_str(&m->image_size, &sm->image_size);
	}
	for (size_t i = 0; i < src->npool_tags; i++) {
		pm_pooltag *t = wb_tag_get(dst, src->pool_tags[i].tag, strlen(src->pool_tags[i].tag), 0);
		if (t)
			merge_str(&t->owner, &src->pool_tags[i].owner);
	}
	for (size_t i = 0; i < src->nlocals; i++) {
		pm_local *l = &src->locals[i];
		wb_add_local(dst, l->name, strlen(l->name), l->value, strlen(l->value), NULL, 0);
	}
}

/* What the analysis prints implies: the code from the bucket
 * ("0xD1_vendor!F") or from the name alone (the signature names a code
 * printed alone, sig/signature.c); a
 * user-mode analysis' "bugcheck" (an exception code of an
 * *_APPLICATION_FAULT_* bucket) is its exception code. */
static void complete_codes(pm_analysis *a)
{
	unsigned long long v;
	if (a->bugcheck_code && a->failure_bucket && strstr(a->failure_bucket, "APPLICATION_FAULT")) {
		v = strtoull(a->bugcheck_code, NULL, 16);
		if (v >= 0x80000000ULL && !bugcheck_name_of(v)) {
			if (!a->exception_code)
				a->exception_code = a->bugcheck_code;
			else
				free(a->bugcheck_code);
			a->bugcheck_code = NULL;
			free(a->bugcheck_name);
			a->bugcheck_name = NULL;
		}
	}
	if (!a->bugcheck_code && a->failure_bucket && ws_bucket_code(a->failure_bucket, &v))
		a->bugcheck_code = xasprintf("0x%llx", v);
	if (!a->bugcheck_code && a->bugcheck_name && bugcheck_code_of(a->bugcheck_name, strlen(a->bugcheck_name), &v))
		a->bugcheck_code = xasprintf("0x%llx", v);
}

static void dis_resolve(const state *st, pm_analysis *a);

/* Close the current analysis: keep it (append to the case) when it has
 * real evidence and is not a repeat of one already in the case. */
void wb_finish(state *st)
{
	builder *b = &st->cur;
	if (!b->live) {
		pm_analysis_clear(&b->a);
		memset(b, 0, sizeof *b);
		return;
	}
	pm_analysis *a = &b->a;
	if (b->off1 > st->prev_end)
		st->prev_end = b->off1;
	if (!a->bugcheck_code && b->kbx[0]) {
		/* nt!KeBugCheckEx's (KeBugCheck2's) first argument is the code */
		for (size_t i = 0; i < a->nframes; i++) {
			if (wb_bugcheck_fn(a->frames[i].function)) {
				a->bugcheck_code = pm_norm_hex(b->kbx, strlen(b->kbx));
				break;
			}
		}
		if (a->bugcheck_code && strcmp(a->bugcheck_code, "0x0") == 0) {
			free(a->bugcheck_code);
			a->bugcheck_code = NULL;
		}
	}
	complete_codes(a);
	user_mode_implied(a);
	dis_resolve(st, a);
	if (b->fault_off[0] && a->nframes == 0 && a->caused_by && !a->bugcheck_code) {
		/* an application crash without a stack: where it faulted,
		 * "Faulting module name: msvcrt.dll" at "Fault offset:
		 * 0x00009c00", is its one frame, msvcrt+0x9c00 (two reports of
		 * one crash of one build share it) */
		pm_frame *f = pm_analysis_add_frame(a);
		f->module = xstrdup(a->caused_by);
		f->offset = xstrdup(b->fault_off);
	}
	/* the prose's drivers go with the first analysis of the text only (a
	 * title names the driver of the crash it reports, not of every dump
	 * a thread quotes) */
	if (st->prose_sys.len && !a->prose_images && st->added == 0)
		a->prose_images = xstrdup(st->prose_sys.buf);
	if (st->prose_process[0] && !a->process && st->added == 0 && b->live)
		a->process = xstrdup(st->prose_process);
	int keep = (has_evidence(a) || b->own_evidence) && st->added < MAX_ANALYSES && !(b->prose_only && b->listy && !a->dump_name);
	if (keep) {
		hash_analysis(a);
		for (size_t i = 0; i < st->c->nanalyses; i++)
			if (strcmp(st->c->analyses[i].hash, a->hash) == 0) {
				merge_repeat(&st->c->analyses[i], a);
				keep = 0;
				break;
			}
	}
	if (keep) {
		a->message = st->message;
		a->span_start = b->off0;
		a->span_end = b->off1;
		if (!a->source)
			a->source = xstrdup("windbg");
		pm_case_take_analysis(st->c, a);
		st->added++;
	}
	pm_analysis_clear(&b->a);
	memset(b, 0, sizeof *b);
}

/* An Application Error event as Event XML (Event Viewer's "XML View",
 * wevtutil): after <Provider Name="Application Error"/>, its <Data>
 * elements, named (<Data Name="AppName">) or positional (the event's
 * order: application, version, time stamp, module, version, time stamp,
 * exception code, offset, ...), read as the labelled lines of the text
 * form. Returns the role of the line's value, WS_NONE for others; the
 * event ends at </EventData> or </Event>. */
enum ws_role wb_evt_xml_data(state *st, const char *s, size_t n, ws_span *v)
{
	while (n && (*s == ' ' || *s == '\t' || *s == '-' || *s == '>'))
		s++, n--;
	if (wb_starts(s, n, "</EventData") || wb_starts(s, n, "</Event>")) {
		st->evt_xml = 0;
		return WS_NONE;
	}
	if (!wb_starts(s, n, "<Data"))
		return WS_NONE;
	const char *gt = memchr(s, '>', n);
	if (!gt)
		return WS_NONE;
	int idx = st->evt_data++;
	if (gt[-1] == '/') /* <Data /> */
		return WS_NONE;
	const char *val = gt + 1;
	const char *end = val;
	while (end < s + n && *end != '<')
		end++;
	v->p = val;
	v->n = (size_t)(end - val);
	while (v->n && (v->p[0] == ' '))
		v->p++, v->n--;
	while (v->n && v->p[v->n - 1] == ' ')
		v->n--;
	if (!v->n)
		return WS_NONE;
	const char *nm = wb_ifind(s, (size_t)(gt - s), "Name=\"");
	if (nm) {
		nm += 6;
		size_t k = (size_t)(gt - nm);
		if (wb_istarts(nm, k, "AppName\""))
			return WS_PROCESS;
		if (wb_istarts(nm, k, "ModuleName\""))
			return WS_FAULT_MODULE;
		if (wb_istarts(nm, k, "ExceptionCode\""))
			return WS_EXCEPTION;
		return WS_NONE;
	}
	return idx == 0 ? WS_PROCESS : idx == 3 ? WS_FAULT_MODULE : idx == 6 ? WS_EXCEPTION : WS_NONE;
}

/* Make sure there is a current analysis covering [off0, off1). */
builder *wb_cur(state *st, size_t off0, size_t off1)
{
	builder *b = &st->cur;
	if (!b->live) {
		b->live = 1;
		b->off0 = off0;
		if (st->last_marker_line >= 0 && st->lineno - st->last_marker_line <= 6 && st->last_marker_off < off0)
			b->off0 = st->last_marker_off;
		if (b->off0 < st->prev_end)
			b->off0 = st->prev_end < off0 ? st->prev_end : off0;
		b->off1 = off1;
		b->a.message = st->message;
	}
	if (off1 > b->off1)
		b->off1 = off1;
	if (off0 < b->off0)
		b->off0 = off0;
	return b;
}

/* Start a new analysis at this line (the current one is closed). A
 * current analysis that is only a prose bugcheck mentioned just before is
 * part of a list of bugchecks ("Bugcheck 0x1a: MEMORY_MANAGEMENT ...") and
 * dropped. */
builder *wb_start_new(state *st, size_t off0, size_t off1)
{
	if (st->in_stack)
		wb_stack_commit(st);
	builder *b = &st->cur;
	if (b->live && b->prose_only && !b->a.dump_name && st->lineno - b->prose_line <= PROSE_LIST_GAP) {
		pm_analysis_clear(&b->a);
		memset(b, 0, sizeof *b);
		st->last_drop_line = st->lineno;
	}
	wb_finish(st);
	st->last_marker_line = -1;
	return wb_cur(st, off0, off1);
}


/* ---- modules, tags, locals ---- */

size_t wb_name_core(const char *s)
{
	size_t n = strlen(s);
	if (n > 4 && (wb_istarts(s + n - 4, 4, ".sys") || wb_istarts(s + n - 4, 4, ".dll") || wb_istarts(s + n - 4, 4, ".exe")))
		n -= 4;
	return n;
}

/* The module entry named name ("npf" and "npf.sys" are one), appended when
 * new; NULL when the analysis already holds MAX_MODULES. Owned by a. */
pm_module *wb_module_get(pm_analysis *a, const char *name, size_t nn)
{
	char *tmp = xstrndup(name, nn);
	size_t core = wb_name_core(tmp);
	for (size_t i = 0; i < a->nmodules; i++) {
		size_t mc = wb_name_core(a->modules[i].name);
		if (mc == core && wb_ieq_n(a->modules[i].name, tmp, core)) {
			free(tmp);
			return &a->modules[i];
		}
	}
	if (a->nmodules >= MAX_MODULES) {
		free(tmp);
		return NULL;
	}
	pm_module *m = pm_analysis_add_module(a);
	m->name = tmp;
	return m;
}

int wb_module_name_ok(const char *s, size_t n)
{
	if (n == 0 || n > 128)
		return 0;
	int alnum = 0;
	for (size_t i = 0; i < n; i++) {
		if (!(is_alnum_ascii(s[i]) || s[i] == '_' || s[i] == '.' || s[i] == '-' || s[i] == '$'))
			return 0;
		alnum |= is_alnum_ascii(s[i]);
	}
	/* "-", "..." or "_": a blank name's place holder, no module (a live
	 * session's "Driver at fault:" of a manually mapped driver) */
	return alnum;
}

void wb_set_once(char **field, const char *s, size_t n)
{
	if (*field || n == 0)
		return;
	*field = wb_dup_trim(s, n);
}

/* Add a name to a space-separated list of names (distinct, at most 16). */
void wb_add_listed(char **list, const char *s, size_t n)
{
	if (n == 0 || n > 128 || memchr(s, ' ', n))
		return;
	size_t count = 0;
	for (const char *p = *list; p && *p;) {
		size_t l = strcspn(p, " ");
		if (l == n && wb_ieq_n(p, s, n))
			return;
		count++;
		p += l;
		while (*p == ' ')
			p++;
	}
	if (count >= 16)
		return;
	sbuf sb = {0};
	if (*list) {
		sb_adds(&sb, *list);
		sb_addc(&sb, ' ');
	}
	sb_add(&sb, s, n);
	free(*list);
	*list = sb_detach(&sb);
}

/* A module a debugger warning names. */
void wb_add_warned(pm_analysis *a, const char *s, size_t n)
{
	wb_add_listed(&a->warned_image, s, n);
}

/* The pool tag entry for tag, appended when new (first when front: the
 * block marked '*'); NULL when the analysis holds MAX_TAGS. Owned by a. */
pm_pooltag *wb_tag_get(pm_analysis *a, const char *tag, size_t tn, int front)
{
	for (size_t i = 0; i < a->npool_tags; i++)
		if (strlen(a->pool_tags[i].tag) == tn && memcmp(a->pool_tags[i].tag, tag, tn) == 0) {
			if (front && i > 0) {
				/* the block marked '*' goes before its neighbours */
				pm_pooltag t = a->pool_tags[i];
				memmove(&a->pool_tags[1], &a->pool_tags[0], i * sizeof(pm_pooltag));
				a->pool_tags[0] = t;
				return &a->pool_tags[0];
			}
			return &a->pool_tags[i];
		}
	if (a->npool_tags >= MAX_TAGS)
		return NULL;
	pm_analysis_add_pooltag(a);
	size_t at = a->npool_tags - 1;
	if (front) {
		/* the block marked '*' goes before its neighbours */
		at = 0;
		memmove(&a->pool_tags[1], &a->pool_tags[0], (a->npool_tags - 1) * sizeof(pm_pooltag));
		memset(&a->pool_tags[0], 0, sizeof(pm_pooltag));
	}
	a->pool_tags[at].tag = xstrndup(tag, tn);
	return &a->pool_tags[at];
}

/* Record a named value (hex normalised) with the text's comment, once per
 * name, at most MAX_LOCALS. */
void wb_add_local(pm_analysis *a, const char *name, size_t nn, const char *val, size_t vn, const char *comment, size_t cn)
{
	for (size_t i = 0; i < a->nlocals; i++)
		if (strlen(a->locals[i].name) == nn && memcmp(a->locals[i].name, name, nn) == 0)
			return;
	if (a->nlocals >= MAX_LOCALS)
		return;
	pm_local *l = pm_analysis_add_local(a);
	l->name = xstrndup(name, nn);
	char *h = pm_norm_hex(val, vn);
	sbuf v = {0};
	if (h)
		sb_adds(&v, h);
	else
		sb_add(&v, val, vn);
	free(h);
	if (comment && cn) {
		sb_adds(&v, " //");
		sb_add(&v, comment, cn);
	}
	l->value = sb_detach(&v);
}

/* parse_callsite's callback: a typed parameter passed as NULL is a local
 * the analysis points at ("NdisFilterDriverHandle = 0x0"). */
void wb_null_param_cb(void *ctx, const char *name, size_t nn, const char *val, size_t vn)
{
	state *st = ctx;
	char *h = pm_norm_hex(val, vn);
	if (h && strcmp(h, "0x0") == 0 && st->cur.live)
		wb_add_local(&st->cur.a, name, nn, val, vn, NULL, 0);
	free(h);
}

/* ---- stacks ---- */

void wb_stk_clear(state *st)
{
	for (size_t i = 0; i < st->nstk; i++)
		wb_frame_free(&st->stk[i]);
	st->nstk = 0;
	st->stk_kbx[0] = 0;
}

static int same_frame(const pm_frame *x, const pm_frame *y)
{
	if (x->address || y->address)
		return x->address && y->address && strcmp(x->address, y->address) == 0;
	if (!x->module || !y->module || strcmp(x->module, y->module) != 0)
		return 0;
	if (!x->function || !y->function)
		return !x->function && !y->function && (!x->offset || !y->offset || strcmp(x->offset, y->offset) == 0);
	return strcmp(x->function, y->function) == 0;
}

/* Do two stacks come from the same thread of the same dump? They share a
 * run of three frames (a kc and a kv of one thread always do). */
static int stacks_overlap(const pm_frame *a, size_t na, const pm_frame *b, size_t nb)
{
	size_t need = na < 3 || nb < 3 ? (na < nb ? na : nb) : 3;
	if (need == 0)
		return 0;
	size_t limit = na < 64 ? na : 64;
	size_t blimit = nb < 64 ? nb : 64;
	for (size_t i = 0; i + need <= limit; i++)
		for (size_t j = 0; j + need <= blimit; j++) {
			size_t k = 0;
			while (k < need && same_frame(&a[i + k], &b[j + k]))
				k++;
			if (k == need)
				return 1;
		}
	return 0;
}

/* Does a KeBugCheckEx row's code k belong to the printed code h of the
 * same crash? !analyze prints DRIVER_IRQL_NOT_LESS_OR_EQUAL (d1) while the
 * row keeps 0xa; a status-code bugcheck (0xc0000xxx) is raised as 0x4c;
 * 0x1000007e is 0x7e raised through KeBugCheck2. */
static int legacy_code_pair(const char *h, const char *k)
{
	unsigned long long hv = strtoull(h, NULL, 16), kv = strtoull(k, NULL, 16);
	if ((hv == 0xd1 && kv == 0xa) || (hv == 0xa && kv == 0xd1))
		return 1;
	if (kv == 0x4c && hv >= 0xc0000000ULL && hv <= 0xcfffffffULL)
		return 1;
	if ((hv & 0xffff) == (kv & 0xffff) && ((hv >> 16) == 0x1000 || (kv >> 16) == 0x1000))
		return 1;
	return 0;
}

static int has_kebugcheck(const pm_frame *f, size_t n)
{
	for (size_t i = 0; i < n && i < 16; i++)
		if (wb_bugcheck_fn(f[i].function))
			return 1;
	return 0;
}

/* The stack being read has ended: give it to the current analysis, drop
 * it when it repeats the current analysis' stack, or start a new
 * analysis with it. */
void wb_stack_commit(state *st)
{
	st->in_stack = 0;
	st->stack_expect = -1;
	sb_reset(&st->partial);
	/* a row cut by the paste's size limit: its call site is a fragment
	 * ("N" of NETIO!..., "ffffa9" of an argument column), not a module */
	while (st->nstk > 0) {
		pm_frame *l = &st->stk[st->nstk - 1];
		if (l->function || l->offset || l->address || !l->module)
			break;
		size_t ml = strlen(l->module);
		if (ml > 3 && !wb_all_hex(l->module, ml))
			break;
		wb_frame_free(l);
		st->nstk--;
	}
	if (st->nstk == 0)
		return;
	builder *b = &st->cur;
	if (b->live && b->a.nframes > 0) {
		if (stacks_overlap(b->a.frames, b->a.nframes, st->stk, st->nstk)) {
			wb_stk_clear(st);
			return;
		}
		/* a stack of another thread of the same dump (!mex.t of a
		 * waiter, !thread, ~Ns): the analysis already holds the
		 * crashing stack (through KeBugCheckEx) and this one neither
		 * bugchecks nor follows a new bugcheck: context, not a dump */
		if (has_kebugcheck(b->a.frames, b->a.nframes) && !has_kebugcheck(st->stk, st->nstk) &&
		    st->stack_cmd_thread) {
			wb_stk_clear(st);
			return;
		}
		/* a different stack: a different dump */
		pm_frame *keep = st->stk;
		size_t nkeep = st->nstk, cap = st->stk_cap;
		char kbx[24];
		memcpy(kbx, st->stk_kbx, sizeof kbx);
		st->stk = NULL;
		st->nstk = st->stk_cap = 0;
		size_t o0 = st->stk_off0, o1 = st->stk_off1;
		if (b->off1 > o0 && b->off0 < o0)
			b->off1 = o0;
		wb_finish(st);
		b = wb_cur(st, o0, o1);
		st->stk = keep;
		st->nstk = nkeep;
		st->stk_cap = cap;
		memcpy(st->stk_kbx, kbx, sizeof kbx);
	} else {
		/* a kv stack whose nt!KeBugCheckEx row names another bugcheck
		 * than the current analysis belongs to another dump */
		if (b->live && b->a.bugcheck_code && st->stk_kbx[0]) {
			char *k = pm_norm_hex(st->stk_kbx, strlen(st->stk_kbx));
			int other = k && strcmp(k, "0x0") != 0 && strcmp(k, b->a.bugcheck_code) != 0;
			if (other && legacy_code_pair(b->a.bugcheck_code, k)) {
				/* one crash, the row keeps the legacy code (0xa under
				 * a 0xd1 header, 0x4c under a status code) */
				other = 0;
			} else if (other && !b->a.args[0] && !b->a.nframes && !b->a.dump_name) {
				/* a header without arguments (a title) yields to the
				 * code the dump's own KeBugCheckEx row names */
				free(b->a.bugcheck_code);
				b->a.bugcheck_code = k;
				k = NULL;
				free(b->a.bugcheck_name);
				b->a.bugcheck_name = NULL;
				other = 0;
			}
			free(k);
			if (other) {
				if (b->off1 > st->stk_off0 && b->off0 < st->stk_off0)
					b->off1 = st->stk_off0;
				wb_finish(st);
			}
		}
		b = wb_cur(st, st->stk_off0, st->stk_off1);
	}
	if (st->stk_off1 > b->off1)
		b->off1 = st->stk_off1;
	/* one kv row under a stack header is a dump's stack, cut after its
	 * first row: evidence by itself (docs/windbg-reader.md) */
	if (st->stk_headed)
		b->own_evidence = 1;
	/* move frames */
	pm_analysis *a = &b->a;
	free(a->frames);
	a->frames = st->stk;
	a->nframes = st->nstk;
	a->frames_cap = st->stk_cap;
	st->stk = NULL;
	st->nstk = st->stk_cap = 0;
	memcpy(b->kbx, st->stk_kbx, sizeof b->kbx);
	st->stk_kbx[0] = 0;
	not_prose_only(b);
}

/* Append r's frame (taken over: r->f is zeroed) to the stack being read,
 * starting it when none is; frames past MAX_FRAMES are dropped. */
void wb_stack_add(state *st, row *r, size_t off0, size_t off1)
{
	if (!st->in_stack) {
		st->in_stack = 1;
		st->stk_off0 = off0;
		st->stack_numbered = r->has_num;
		st->stk_headed = st->stack_expect >= 0 && r->colon && r->naddr >= 2 && r->f.module && r->f.function;
	}
	st->stk_off1 = off1;
	if (st->nstk < MAX_FRAMES) {
		XGROW(st->stk, st->stk_cap, st->nstk + 1);
		st->stk[st->nstk++] = r->f;
		memset(&r->f, 0, sizeof r->f);
		/* the code: the first argument of the KeBugCheckEx row itself
		 * (a live session's stack starts at DbgBreakPointWithStatus),
		 * a 32-bit value */
		pm_frame *nf = &st->stk[st->nstk - 1];
		/* KeBugCheck2's arguments are its own on a 32-bit stack only (a
		 * 64-bit row shows its caller's home slots) */
		if (!st->stk_kbx[0] && r->first_arg[0] && wb_bugcheck_fn(nf->function) &&
		    (strcmp(nf->function, "KeBugCheckEx") == 0 || strlen(r->first_arg) <= 8)) {
			char *h = pm_norm_hex(r->first_arg, strlen(r->first_arg));
			if (h && strlen(h) <= 10)
				memcpy(st->stk_kbx, r->first_arg, sizeof st->stk_kbx);
			free(h);
		}
	} else {
		wb_frame_free(&r->f);
	}
	st->next_num = r->num + 1;
	(void)off1; /* the stack's end is stk_off1; the analysis takes it at commit */
}

/* ---- line classification helpers ---- */

/* "NAME: value" field of !analyze -v; returns the value (may be empty). */
const char *wb_field(const char *s, size_t n, const char *key, size_t *vn)
{
	size_t k = strlen(key);
	if (n < k + 1 || memcmp(s, key, k) != 0)
		return NULL;
	size_t i = k;
	while (i < n && s[i] == ' ')
		i++;
	if (i >= n || s[i] != ':')
		return NULL;
	i++;
	while (i < n && s[i] == ' ')
		i++;
	*vn = n - i;
	return s + i;
}

/* The command after a debugger prompt ("0: kd> kc", "kd> lmvm x",
 * "0:000> k", "Running: !mex.tag Filt"), or a bare command line
 * (".frame /r 0x9; !mex.x", "!analyze -v"). NULL when not a command. */
const char *wb_command(const char *s, size_t n, size_t *cn)
{
	size_t i = 0;
	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	if (i < n && s[i] == ':') {
		size_t j = i + 1;
		if (j < n && s[j] == ' ')
			j++;
		if (j + 2 < n && (wb_starts(s + j, n - j, "kd>") || wb_starts(s + j, n - j, "lkd>"))) {
			j += s[j] == 'l' ? 4 : 3;
			while (j < n && s[j] == ' ')
				j++;
			*cn = n - j;
			return s + j;
		}
		size_t d = j;
		while (d < n && (isdigit((unsigned char)s[d]) || s[d] == ':' || isalnum((unsigned char)s[d])))
			d++;
		if (d > j && d < n && s[d] == '>' && i > 0) {
			d++;
			while (d < n && s[d] == ' ')
				d++;
			*cn = n - d;
			return s + d;
		}
	}
	if (wb_starts(s, n, "kd>")) {
		i = 3;
		while (i < n && s[i] == ' ')
			i++;
		*cn = n - i;
		return s + i;
	}
	if (wb_starts(s, n, "Running: ")) {
		*cn = n - 9;
		return s + 9;
	}
	if (n >= 2 && (s[0] == '.' || s[0] == '!') && isalpha((unsigned char)s[1])) {
		/* bare commands, not prose starting with a dot */
		static const char *known[] = {".frame", ".trap", ".cxr", ".exr", ".thread", ".process", ".bugcheck",
			"!analyze", "!pool", "!tag", "!mex.", "!thread", "!process", "!irp", "!poolfind", "!devobj",
			"!drvobj", "!ndiskd", "!error", "!pte", "!address", "!locks", ".reload", ".ecxr", "!vm", ".lines",
			"!stacks", "!verifier", "!running", "!dpcs", "!timer", "!object", "!handle", "!wdfkd"};
		for (size_t k = 0; k < PMKB_ARRAY_LEN(known); k++)
			if (wb_istarts(s, n, known[k])) {
				*cn = n;
				return s;
			}
	}
	/* a bare k command on its own line */
	if (n <= 12 && s[0] == 'k') {
		size_t j = 1;
		while (j < n && strchr("bcvnpPfLiMd", s[j]) && s[j])
			j++;
		if (j == n || s[j] == ' ') {
			if (!(n == 2 && s[1] == 'd')) {
				*cn = n;
				return s;
			}
		}
	}
	return NULL;
}

static int is_k_command(const char *c, size_t n)
{
	if (n == 0 || c[0] != 'k')
		return 0;
	size_t j = 1;
	while (j < n && c[j] && strchr("bcvnpPfLiM", c[j]))
		j++;
	if (j < n && c[j] != ' ' && c[j] != ';')
		return 0;
	return 1;
}

/* Stack header lines. */
int wb_is_stack_header(const char *s, size_t n)
{
	if (n && s[0] == '#') {
		s++, n--;
		while (n && *s == ' ')
			s++, n--;
	}
	return wb_starts(s, n, "Call Site") || wb_starts(s, n, "Child-SP") || wb_starts(s, n, "ChildEBP") ||
	       wb_starts(s, n, "STACK_TEXT:") || wb_starts(s, n, "RetAddr") || wb_starts(s, n, "Child SP");
}

/* "DRIVER_IRQL_NOT_LESS_OR_EQUAL (d1)": the whole line. */
int wb_bc_header(const char *s, size_t n, size_t *namelen, const char **code, size_t *codelen)
{
	size_t i = 0;
	int us = 0;
	while (i < n && (isupper((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_')) {
		if (s[i] == '_')
			us = 1;
		i++;
	}
	if (i < 6 || !us || i + 3 > n || s[i] != ' ' || s[i + 1] != '(')
		return 0;
	size_t j = i + 2, k = j;
	while (k < n && is_hex(s[k]))
		k++;
	if (k == j || k - j > 8 || k >= n || s[k] != ')')
		return 0;
	if (k + 1 != n)
		return 0;
	*namelen = i;
	*code = s + j;
	*codelen = k - j;
	return 1;
}

/* The words of a blue screen, in the languages people paste them in */
static const char *const screens[] = {"bsod", "blue screen", "bluescreen", "blue-screen", "蓝屏", "藍屏",
				      "синий экран", "Синий экран", "синего экрана", "синим экраном", "écran bleu",
				      "pantallazo azul", "pantalla azul", "schermata blu", "tela azul"};

/* A bugcheck code in prose after another word: "BSOD 0x0000001e",
 * "STOP 0x0000007E", "stop code 0x50", "Stop error: 0xD1", "BSOD `0x139`"
 * (the code needs its 0x). Returns the code text. */
int wb_prose_stop_code(const char *s, size_t n, const char **code, size_t *codelen)
{
	/* from "error code" on, an eight-digit status must be a documented
	 * bug check (German, French, Russian, Chinese and Spanish too) */
	static const char *const words[] = {"bsod", "stop code", "stop error", "stop", "blue screen", "unexpected shutdown",
					    "error code",
					    "fehler-code", "fehlercode", "stoppcode", "code d'erreur", "код ошибки",
					    "错误代码", "código de error"};
	const size_t first_error_word = 6;
	/* every shape below needs a "0x", but "STOP: c000021a" */
	if (!memchr(s, 'x', n) && !memchr(s, 'X', n) && !wb_ifind(s, n, "stop"))
		return 0;
	int hex0x = 0;
	for (const char *x = s; !hex0x && (x = memchr(x, '0', n - (size_t)(x - s))) != NULL; x++)
		hex0x = x + 1 < s + n && (x[1] == 'x' || x[1] == 'X');
	if (!hex0x && !wb_ifind(s, n, "stop"))
		return 0;
	for (size_t w = 0; w < PMKB_ARRAY_LEN(words); w++) {
		size_t m = strlen(words[w]);
		for (const char *p = s; (p = wb_ifind(p, n - (size_t)(p - s), words[w])) != NULL; p += m) {
			if (p > s && (is_alnum_ascii(p[-1]) || p[-1] == '_'))
				continue;
			const char *q = p + m, *e = s + n;
			if (q < e && (is_alnum_ascii(*q) || *q == '_'))
				continue;
			for (int r = 0; r < 4 && q < e; r++) {
				while (q < e && (*q == ' ' || *q == ':' || *q == '`' || *q == '(' || *q == '=' || *q == '*' ||
						 (*q == '-' && q + 1 < e && q[1] == ' ')))
					q++;
				if (e - q > 3 && wb_istarts(q, (size_t)(e - q), "was") && !is_alnum_ascii(q[3]))
					q += 3;
				else if (e - q > 2 && wb_istarts(q, (size_t)(e - q), "is") && !is_alnum_ascii(q[2]))
					q += 2;
				else if (e - q > 2 && wb_istarts(q, (size_t)(e - q), "of") && !is_alnum_ascii(q[2]))
					q += 2;
				/* "Blue Screen of Death 0x...", a title with the code glued on
				 * ("Blue Screen of Death0x000000c2") */
				else if (e - q > 5 && wb_istarts(q, (size_t)(e - q), "death") &&
					 (!is_alnum_ascii(q[5]) ||
					  (e - q >= 15 && q[5] == '0' && (q[6] == 'x' || q[6] == 'X'))))
					q += 5;
				else
					break;
			}
			if (e - q >= 8 && !strcmp(words[w], "stop") && q > p + m &&
			    (memchr(p + m, ':', (size_t)(q - p - m)) || (memcmp(p, "STOP", 4) == 0 && q == p + 5)) && q[0] != '0') {
				/* "STOP: c000021a", "STOP c000021a {Fatal System
				 * Error}" (the screen's own upper case): eight digits
				 * without 0x, a documented code */
				size_t k = 0;
				while (q + k < e && is_hex(q[k]))
					k++;
				if (k == 8 && !(q + k < e && (is_alnum_ascii(q[k]) || q[k] == '_')) &&
				    bugcheck_name_of(strtoull(q, NULL, 16))) {
					*code = q;
					*codelen = k;
					return 1;
				}
			}
			if (e - q < 3 || q[0] != '0' || (q[1] != 'x' && q[1] != 'X'))
				continue;
			const char *h = q + 2;
			size_t k = 0;
			while (h + k < e && is_hex(h[k]))
				k++;
			if (k == 0 || k > 8 || (h + k < e && (is_alnum_ascii(h[k]) || h[k] == '_')))
				continue;
			/* "Error code: 0xc0000098" under "The operating system could
			 * not be loaded": a boot loader's status, not a stop code,
			 * unless the table of bug check codes names it */
			if (w >= first_error_word && k == 8 && strchr("89abcdefABCDEF", h[0]) &&
			    !bugcheck_name_of(strtoull(h, NULL, 16)))
				continue;
			*code = h;
			*codelen = k;
			return 1;
		}
	}
	/* a short aside between "stop code" and its colon: "a STOP code, in
	 * this case: 0x00000050" (a documented code) */
	{
		const char *p = wb_ifind(s, n, "stop code");
		const char *q = p ? p + 9 : NULL, *e = s + n;
		const char *c = q ? memchr(q, ':', (size_t)(e - q) < 32 ? (size_t)(e - q) : 32) : NULL;
		if (c && c > q && !memchr(q, '.', (size_t)(c - q))) {
			c++;
			while (c < e && *c == ' ')
				c++;
			const char *h = c;
			size_t k = e - c > 2 && c[0] == '0' && (c[1] == 'x' || c[1] == 'X') ? wb_hex_code_at(&h, e) : 0;
			char hx[9];
			if (k) {
				memcpy(hx, h, k);
				hx[k] = 0;
				if (bugcheck_name_of(strtoull(hx, NULL, 16))) {
					*code = h;
					*codelen = k;
					return 1;
				}
			}
		}
	}
	/* a documented code near a blue screen word, other words between:
	 * "blue screens (0x000000D1) in x.sys", "BSOD with code 0xc000021a",
	 * "蓝屏代码 0x0000007E", "Синий экран с кодом 0x0000007E",
	 * "Bluescreen 0x0000003B": the first 0x token within 48 bytes after
	 * the word whose value the table of bug check codes knows, eight
	 * digits wide or within 24 bytes of the word */
	for (size_t w = 0; w < PMKB_ARRAY_LEN(screens); w++) {
		size_t m = strlen(screens[w]);
		const char *p = s;
		while ((p = wb_ifind(p, n - (size_t)(p - s), screens[w])) != NULL) {
			if (p > s && (is_alnum_ascii(p[-1]) || p[-1] == '_')) {
				p += m;
				continue;
			}
			const char *q = p + m, *e = s + n;
			const char *lim = e - q > 48 ? q + 48 : e;
			for (const char *t = q; t + 3 <= lim; t++) {
				/* within the clause: "after the BSOD I ran sfc, it
				 * returned 0x00000005" names no stop code */
				if (*t == ',' || *t == ';' || *t == '.' || *t == '!' || *t == '?' ||
				    ((unsigned char)t[0] == 0xEF && (unsigned char)t[1] == 0xBC &&
				     ((unsigned char)t[2] == 0x8C || (unsigned char)t[2] == 0x9B)) ||
				    ((unsigned char)t[0] == 0xE3 && (unsigned char)t[1] == 0x80 && (unsigned char)t[2] == 0x82))
					break;
				if (t[0] != '0' || (t[1] != 'x' && t[1] != 'X') || (t > s && is_alnum_ascii(t[-1])))
					continue;
				size_t k = 0;
				while (t + 2 + k < e && is_hex(t[2 + k]))
					k++;
				if (k == 0 || k > 8 || (t + 2 + k < e && (is_alnum_ascii(t[2 + k]) || t[2 + k] == '_')))
					break;
				unsigned long long v = strtoull(t + 2, NULL, 16);
				if ((k == 8 || t - q <= 24) && v && bugcheck_name_of(v)) {
					*code = t + 2;
					*codelen = k;
					return 1;
				}
				break;
			}
			p += m;
		}
	}
	/* the code before the word: "0x7E BSOD", "0xC4 bug check code", "a 0x3B stop code" */
	for (size_t i = 0; i + 4 < n; i++) {
		if (s[i] != '0' || (s[i + 1] != 'x' && s[i + 1] != 'X') || (i > 0 && is_alnum_ascii(s[i - 1])))
			continue;
		size_t k = 0;
		while (i + 2 + k < n && is_hex(s[i + 2 + k]))
			k++;
		size_t j = i + 2 + k;
		if (k == 0 || k > 8 || j >= n || s[j] != ' ')
			continue;
		while (j < n && (s[j] == ' ' || s[j] == '`'))
			j++;
		static const char *const after[] = {"bsod", "bug check", "bugcheck", "blue screen", "stop error", "stop code"};
		for (size_t w = 0; w < PMKB_ARRAY_LEN(after); w++)
			if (wb_istarts(s + j, n - j, after[w])) {
				*code = s + i + 2;
				*codelen = k;
				return 1;
			}
	}
	return 0;
}

/* A bugcheck named in prose: "bugcheck为D1", "Bugcheck 0xfc，", "其bugcheck为7f",
 * "bugcheck 50（page fault）", "Bug Check 0x50", Korean "버그 검사 코드 1A".
 * Returns the code text. */
int wb_prose_bugcheck(const char *s, size_t n, const char **code, size_t *codelen)
{
	/* Korean: "버그 검사 코드 1A" (Microsoft's word), "버그 확인 코드 1A" */
	static const char *const ko[] = {"버그 검사 코드", "버그 확인 코드"};
	for (size_t w = 0; w < PMKB_ARRAY_LEN(ko) && memchr(s, ko[0][0], n); w++) {
		const char *p = wb_ifind(s, n, ko[w]);
		if (!p)
			continue;
		size_t j = (size_t)(p - s) + strlen(ko[w]);
		while (j < n && (s[j] == ' ' || s[j] == ':'))
			j++;
		const char *h = s + j;
		size_t k = j < n && s[j] != '`' ? wb_hex_code_at(&h, s + n) : 0;
		if (k >= 2) {
			*code = h;
			*codelen = k;
			return 1;
		}
	}
	size_t i = 0;
	while (i < n) {
		const char *p = wb_ifind(s + i, n - i, "bug");
		if (!p)
			return 0;
		size_t at = (size_t)(p - s);
		i = at + 3;
		if (at > 0 && (is_alnum_ascii(s[at - 1]) || s[at - 1] == '_' || s[at - 1] == '!'))
			continue;
		size_t j = at + 3;
		if (j < n && s[j] == ' ')
			j++;
		if (!wb_istarts(s + j, n - j, "check"))
			continue;
		j += 5;
		/* a word boundary: "bugchecked" is a verb, not code 0xed */
		if (j < n && (is_alnum_ascii(s[j]) || s[j] == '_'))
			continue;
		/* separators */
		for (int rounds = 0; rounds < 4; rounds++) {
			while (j < n && s[j] == ' ')
				j++;
			if (wb_starts(s + j, n - j, "为") || wb_starts(s + j, n - j, "是") || wb_starts(s + j, n - j, "："))
				j += 3;
			else if (j < n && (s[j] == ':' || s[j] == '=' || s[j] == '(' || s[j] == '`'))
				j++;
			else if (wb_istarts(s + j, n - j, "code") && !(j + 4 < n && is_alnum_ascii(s[j + 4])))
				j += 4;
			else
				break;
		}
		int has0x = 0;
		if (j + 1 < n && s[j] == '0' && (s[j + 1] == 'x' || s[j + 1] == 'X'))
			j += 2, has0x = 1;
		size_t k = j;
		while (k < n && is_hex(s[k]))
			k++;
		if (k == j || k - j > 8)
			continue;
		if (k < n && (is_alnum_ascii(s[k]) || s[k] == '_'))
			continue;
		if (!has0x && k - j < 2)
			continue;
		*code = s + j;
		*codelen = k - j;
		return 1;
	}
	return 0;
}

void wb_set_code(builder *b, const char *code, size_t n)
{
	if (b->a.bugcheck_code)
		return;
	char *h = pm_norm_hex(code, n);
	if (h && strcmp(h, "0x0") == 0) {
		free(h);
		return;
	}
	b->a.bugcheck_code = h;
}

int wb_code_eq(const builder *b, const char *code, size_t n)
{
	char *h = pm_norm_hex(code, n);
	int eq = h && b->a.bugcheck_code && strcmp(h, b->a.bugcheck_code) == 0;
	free(h);
	return eq;
}

/* A bugcheck (header, BugCheck line, field) for the current analysis:
 * merged when compatible, else a new analysis starts. */
builder *wb_bugcheck_for(state *st, const char *code, size_t n, int with_args, size_t off0, size_t off1)
{
	builder *b = &st->cur;
	if (b->live && b->a.bugcheck_code) {
		int eq = wb_code_eq(b, code, n);
		if (!eq || (with_args && b->a.args[0]))
			b = wb_start_new(st, off0, off1);
	} else if (b->live && b->a.args[0] && with_args) {
		/* arguments without a code, then a code with its own: another
		 * crash; a code alone ("BUGCHECK_STR: 0x109" under "Arguments:"
		 * whose header was cut) is theirs */
		b = wb_start_new(st, off0, off1);
	}
	b = wb_cur(st, off0, off1);
	wb_set_code(b, code, n);
	return b;
}

void wb_set_arg(builder *b, int i, const char *v, size_t vn, const char *desc, size_t dn)
{
	if (i < 0 || i > 3 || b->a.args[i])
		return;
	b->a.args[i] = pm_norm_hex(v, vn);
	if (!b->a.args[i])
		return; /* not a number: no argument, and no description */
	if (desc && dn && !b->a.arg_desc[i]) {
		while (dn && (desc[dn - 1] == '.' || desc[dn - 1] == ' '))
			dn--;
		if (dn)
			b->a.arg_desc[i] = wb_dup_trim(desc, dn);
	}
	not_prose_only(b);
}

void wb_add_reg_line(builder *b, const char *s, size_t n)
{
	pm_analysis *a = &b->a;
	size_t have = a->registers ? strlen(a->registers) : 0;
	if (have + n + 2 > MAX_REGS)
		return;
	sbuf r = {0};
	if (a->registers) {
		sb_adds(&r, a->registers);
		sb_addc(&r, '\n');
	}
	sb_add(&r, s, n);
	free(a->registers);
	a->registers = sb_detach(&r);
}

/* "(0xFFFFF8037ACA1FA0,0x00000000000000FF,0x0,0xFFFFF8037ACA1FA0)": up to
 * four arguments into b. Returns how many were read. */
int wb_set_args_list(builder *b, const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && p[i] != '(')
		i++;
	if (i >= n)
		return 0;
	i++;
	int k = 0;
	while (i < n && k < 4) {
		size_t e = i;
		while (e < n && p[e] != ',' && p[e] != ')')
			e++;
		size_t a = i;
		while (a < e && p[a] == ' ')
			a++;
		size_t z = e;
		while (z > a && p[z - 1] == ' ')
			z--;
		wb_set_arg(b, k++, p + a, z - a, NULL, 0);
		if (e >= n || p[e] == ')')
			break;
		i = e + 1;
	}
	return k;
}

/* Does s[0..n) hold lit (case-sensitive)? A cheap test before a
 * case-insensitive search, best with lit[0] a byte rarer than the rest. */
int wb_has_lit(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);
	for (const char *p = s; (p = memchr(p, lit[0], n - (size_t)(p - s))) != NULL; p++)
		if ((size_t)(s + n - p) >= m && memcmp(p, lit, m) == 0)
			return 1;
	return 0;
}

/* A bugcheck code a line states: hex with or without 0x, at most 8 digits
 * ("0x000000d1" is 8 after its 0x). Returns its length from *p. */
size_t wb_hex_code_at(const char **p, const char *end)
{
	const char *q = *p;
	while (q < end && (*q == ' ' || *q == '`'))
		q++;
	if (q + 1 < end && q[0] == '0' && (q[1] == 'x' || q[1] == 'X'))
		q += 2;
	size_t k = 0;
	while (q + k < end && is_hex(q[k]))
		k++;
	if (k == 0 || k > 8 || (q + k < end && is_alnum_ascii(q[k])))
		return 0;
	*p = q;
	return k;
}

/* A failure bucket from a source of the given rank (3 FAILURE_BUCKET_ID,
 * 2 BUCKET_ID / Failure.Bucket / WER "Bucket ID", 1 the hash string): a
 * stronger source replaces a weaker one. */
void wb_set_bucket(builder *b, const char *v, size_t vn, int rank)
{
	while (vn && v[vn - 1] == ' ')
		vn--;
	if (vn == 0 || (b->a.failure_bucket && b->bucket_rank >= rank))
		return;
	free(b->a.failure_bucket);
	b->a.failure_bucket = NULL;
	wb_set_once(&b->a.failure_bucket, v, vn);
	b->bucket_rank = rank;
	not_prose_only(b);
}

/* Add a file the prose names to the text's list (distinct, at most 16,
 * 4 KiB); 1 when added. */
int wb_prose_file_add(state *st, const char *b0, size_t l)
{
	int dup = 0, count = 0;
	for (const char *p = st->prose_sys.buf; p && *p;) {
		size_t pl = strcspn(p, " ");
		dup |= pl == l && wb_ieq_n(p, b0, l);
		count++;
		p += pl;
		while (*p == ' ')
			p++;
	}
	if (dup || count >= 16 || st->prose_sys.len + l + 1 > 4096)
		return 0;
	if (st->prose_sys.len)
		sb_addc(&st->prose_sys, ' ');
	sb_add(&st->prose_sys, b0, l);
	return 1;
}

/* Driver files ("vendor.sys") named in a prose line, added to the text's
 * list. */
void wb_collect_prose_sys(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	for (const char *x = s; (x = wb_ifind(x, n - (size_t)(x - s), ".sys")) != NULL; x += 4) {
		if (x + 4 < s + n && is_alnum_ascii(x[4]))
			continue;
		const char *b0 = x;
		while (b0 > s && (is_alnum_ascii(b0[-1]) || b0[-1] == '_' || b0[-1] == '-'))
			b0--;
		size_t l = (size_t)(x + 4 - b0);
		if (b0 == x || l > 64)
			continue;
		/* the debugger's own help text names no driver ("Type !verifier
		 * 3 drivername.sys for info on the allocations" under a 0xC4) */
		if ((l == 14 && wb_ieq_n(b0, "drivername.sys", 14)) || (l == 10 && wb_ieq_n(b0, "driver.sys", 10)))
			continue;
		if (!wb_prose_file_add(st, b0, l))
			continue;
		/* the first line naming a driver beside the words of a blue
		 * screen ("BSOD involving x.sys", "a BSOD during boot with x.sys
		 * being the problem") */
		for (size_t k = 0; k < PMKB_ARRAY_LEN(screens) && !st->sys_screen; k++)
			if (wb_ifind(s, n, screens[k]))
				st->sys_screen = 1, st->sys_off0 = off0, st->sys_off1 = off1;
	}
}

/* Prose that blames a driver file: "bluescreen caused by phdskmnt.sys",
 * "culprit: `SystemInformer.sys`", "blamed on x.sys". The first such file
 * is kept; wb_prose_blame_analysis makes it an analysis when the text has
 * no other and speaks of a crash. */
void wb_collect_prose_blame(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	if (st->prose_blame[0] || (!wb_ifind(s, n, ".sys") && !wb_ifind(s, n, ".dll")))
		return;
	static const char *const blame[] = {"caused by", "culprit", "blamed on", "faulting driver", "fault is in",
					    "related to", "what caused it"};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(blame); i++) {
		const char *v = wb_ifind(s, n, blame[i]);
		if (!v)
			continue;
		const char *p = v + strlen(blame[i]), *e = s + n;
		/* ": `x.sys`", " is x.sys", " the x.sys driver" */
		for (int r = 0; r < 3 && p < e; r++) {
			while (p < e && (*p == ' ' || *p == ':' || *p == '`' || *p == '*' || *p == '"' || *p == '\''))
				p++;
			if (e - p > 3 && (wb_istarts(p, (size_t)(e - p), "is ") || wb_istarts(p, (size_t)(e - p), "was ")))
				p += p[0] == 'i' || p[0] == 'I' ? 3 : 4;
			else if (e - p > 4 && wb_istarts(p, (size_t)(e - p), "the "))
				p += 4;
			else
				break;
		}
		size_t l = 0;
		while (p + l < e && (is_alnum_ascii(p[l]) || p[l] == '_' || p[l] == '-' || p[l] == '.'))
			l++;
		while (l && p[l - 1] == '.')
			l--;
		/* a library only as !analyze words it: "Caused by : icardd.dll" */
		int dll = i < 2 && l > 4 && wb_ieq_n(p + l - 4, ".dll", 4);
		if (l > 4 && l < sizeof st->prose_blame && (wb_ieq_n(p + l - 4, ".sys", 4) || dll) &&
		    wb_module_name_ok(p, l - 4)) {
			memcpy(st->prose_blame, p, l);
			st->prose_blame[l] = '\0';
			st->blame_off0 = off0;
			st->blame_off1 = off1;
			return;
		}
	}
	/* the driver named right before the crash: "sure to get SeLow_x64.sys
	 * BSOD", "an acme.sys bluescreen" */
	for (const char *v = s; (v = wb_ifind(v, n - (size_t)(v - s), ".sys ")) != NULL; v += 5) {
		const char *e = s + n, *a = v;
		while (a > s && (is_alnum_ascii(a[-1]) || a[-1] == '_' || a[-1] == '-'))
			a--;
		const char *w = v + 5;
		int crash = 0;
		for (size_t k = 0; k < PMKB_ARRAY_LEN(screens) && !crash; k++) {
			size_t m = strlen(screens[k]);
			crash = (size_t)(e - w) >= m && wb_ieq_n(w, screens[k], m) &&
				((size_t)(e - w) == m || !is_alnum_ascii(w[m]));
		}
		size_t l = (size_t)(v + 4 - a);
		if (crash && v > a && l < sizeof st->prose_blame && wb_module_name_ok(a, (size_t)(v - a))) {
			memcpy(st->prose_blame, a, l);
			st->prose_blame[l] = '\0';
			st->blame_off0 = off0;
			st->blame_off1 = off1;
			return;
		}
	}
}

/* A text with no analysis whose prose blames a driver for a crash (the
 * text speaks of one: BSOD, blue screen, bugcheck, stop code, crash): one
 * analysis naming that driver, nothing else (the culprit "from prose") */
void wb_prose_blame_analysis(state *st, const char *text, size_t len)
{
	if (st->added || (!st->prose_blame[0] && !st->prose_sys.len))
		return;
	if (!st->prose_blame[0]) {
		/* a line names a driver beside the words of a blue screen, and
		 * a few files are named, not a list of drivers; in a text of its
		 * own (a paste, a file): a message of a thread that names a
		 * driver comments on the thread's dumps ("蓝屏问题由ndis.sys即网卡
		 * 驱动引发，但由于bugcheck不同，无法确认") */
		if (!st->sys_screen || st->message >= 0)
			return;
		size_t names = 1;
		for (size_t i = 0; i < st->prose_sys.len; i++)
			names += st->prose_sys.buf[i] == ' ';
		if (names > 3)
			return;
	}
	static const char *const crash[] = {"bugcheck", "bug check", "stop code", "crash"};
	int said = 0;
	for (size_t i = 0; !said && i < PMKB_ARRAY_LEN(crash); i++)
		said = wb_ifind(text, len, crash[i]) != NULL;
	for (size_t i = 0; !said && i < PMKB_ARRAY_LEN(screens); i++)
		said = wb_ifind(text, len, screens[i]) != NULL;
	if (!said)
		return;
	/* no word of blame: the driver files the text names, of which the
	 * culprit chooser takes the one third-party file (or the one file);
	 * the analysis is that line's */
	builder *b = st->prose_blame[0] ? wb_cur(st, st->blame_off0, st->blame_off1)
				       : wb_cur(st, st->sys_off0, st->sys_off1);
	if (st->prose_blame[0])
		wb_set_once(&b->a.prose_images, st->prose_blame, strlen(st->prose_blame));
	b->own_evidence = 1;
	not_prose_only(b);
	wb_finish(st);
}

/* Does the line end inside the argument list of a code ("...was:
 * 0x00000050 (0xffffffffffffffe8, 0x0000000000000000,")? 1; or with the
 * code after a bugcheck word, the list maybe on the next line? 2. */
int wb_wrapped_code_args(const char *s, size_t n)
{
	const char *lp = NULL;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '(')
			lp = s + i;
		else if (s[i] == ')')
			lp = NULL;
	if (!lp) {
		/* "The bugcheck was: 0x00000050" at the end of the line */
		const char *e = s + n;
		const char *b = e;
		while (b > s && is_hex(b[-1]))
			b--;
		if (e - b < 1 || e - b > 8 || b - s < 3 || b[-1] != 'x' || b[-2] != '0' || b[-3] != ' ')
			return 0;
		return (wb_ifind(s, n, "bugcheck") || wb_ifind(s, n, "bug check") || wb_ifind(s, n, "stop")) ? 2 : 0;
	}
	if (!wb_ifind(s, (size_t)(lp - s), "0x"))
		return 0;
	const char *e = lp;
	while (e > s && (e[-1] == ' ' || e[-1] == '`'))
		e--;
	const char *b = e;
	while (b > s && is_hex(b[-1]))
		b--;
	if (b == e || e - b > 8 || (b > s && is_alnum_ascii(b[-1]) && !(b - s >= 2 && b[-1] == 'x' && b[-2] == '0')))
		return 0;
	/* something after the parenthesis: one line of the list, not a call */
	const char *a = lp + 1;
	while (a < s + n && *a == ' ')
		a++;
	return a == s + n || is_hex(*a) || *a == '`';
}

/* KEY_VALUES_STRING: "Key  : Failure.Bucket" then "Value: 0x133_DPC_x!F". */

/* ------------------------------------------------------------------ */
/* one normalised line */

/* The module of a label "mod!sym+0x2d" (no kernel, no HAL): its length,
 * 0 when it is none. */
static size_t dis_module(const char *s, size_t n)
{
	const char *bang = memchr(s, '!', n);
	if (!bang || bang == s)
		return 0;
	size_t ml = (size_t)(bang - s);
	for (size_t i = 0; i < ml; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-' || s[i] == '.'))
			return 0;
	if ((ml == 2 && wb_ieq_n(s, "nt", 2)) || (ml == 3 && wb_ieq_n(s, "hal", 3)) || wb_istarts(s, ml, "ntkrnl") ||
	    wb_istarts(s, ml, "ntoskrnl"))
		return 0;
	return ml;
}

/* Disassembly: a label line "mapDriver!F+0x2d:" and the address of the
 * line under it ("fffff880`0327702d cc  int 3") are recorded (the first
 * 16 such pairs of the text). */
void wb_dis_record(state *st, const char *s, size_t n)
{
	if (n > 3 && n < sizeof st->dis_pending && s[n - 1] == ':' && !memchr(s, ' ', n) && dis_module(s, n - 1)) {
		memcpy(st->dis_pending, s, n - 1);
		st->dis_pending[n - 1] = 0;
		st->dis_line = st->lineno;
		return;
	}
	if (!st->dis_pending[0] || st->lineno != st->dis_line + 1)
		return;
	const char *label = st->dis_pending;
	/* "fffff880`0327702d" or "fffff8800327702d", then a space */
	char hx[20];
	size_t k = 0, i = 0;
	for (; i < n && k < 16; i++) {
		if (s[i] == '`' && k == 8)
			continue;
		if (!is_hex(s[i]))
			break;
		hx[k++] = s[i];
	}
	if (k == 16 && i < n && s[i] == ' ' && st->ndis < PMKB_ARRAY_LEN(st->dis)) {
		hx[k] = 0;
		memcpy(st->dis[st->ndis].label, label, strlen(label) + 1);
		st->dis[st->ndis++].addr = strtoull(hx, NULL, 16);
	}
	st->dis_pending[0] = 0;
}

/* An analysis with no fault symbol whose fault address argument (0x1e,
 * 0x7e, 0x8e, 0x3b Arg2; 0x50, 0xcc, 0xd5 Arg3; 0xa, 0xd1 Arg4) lies
 * within 4 KiB of an address the text's disassembly labels: that label
 * (the nearest one at or below it, else the nearest) is its fault_ip. */
static void dis_resolve(const state *st, pm_analysis *a)
{
	if (a->fault_ip || !st->ndis || !a->bugcheck_code)
		return;
	unsigned long long code = strtoull(a->bugcheck_code, NULL, 16) & 0x0fffffffULL;
	int k = code == 0x1e || code == 0x7e || code == 0x8e || code == 0x3b ? 1 :
		code == 0x50 || code == 0xcc || code == 0xd5 ? 2 :
		code == 0xa || code == 0xd1 ? 3 : -1;
	if (k < 0 || !a->args[k])
		return;
	unsigned long long ip = strtoull(a->args[k], NULL, 16);
	if (ip < 0x10000)
		return;
	size_t best = SIZE_MAX;
	unsigned long long bestd = 0x1000;
	for (size_t i = 0; i < st->ndis; i++) {
		unsigned long long x = st->dis[i].addr;
		unsigned long long d = x <= ip ? ip - x : (x - ip) + 0x800; /* below first */
		if (d < bestd)
			bestd = d, best = i;
	}
	if (best != SIZE_MAX)
		a->fault_ip = xstrdup(st->dis[best].label);
}


/* A call site alone on a line, as stacks are quoted without columns:
 * "vendor!Func+0x1a77", "VBoxUSB+0x2d09", a Visual Studio call stack row
 * "vendor!Func+0x1a77 [C:\src\file.c @ 123] C/C++/ASM". 1 with *f. */
static int bare_callsite(const char *s, size_t n, pm_frame *f)
{
	/* WinDbg's (new) call stack window: "[0x4]   btrfs!RtlFailFast+0x5()
	 * [C:\...\wdm.h @ 11545]   0xffffce89fe14e8a0   0xfffff8064d06ab48",
	 * the frame's number first, its stack pointer and return address last */
	int pane = 0;
	if (n > 5 && s[0] == '[' && s[1] == '0' && s[2] == 'x') {
		size_t k = 3;
		while (k < n && is_hex(s[k]))
			k++;
		if (k == 3 || k >= n || s[k] != ']')
			return 0;
		k++;
		while (k < n && s[k] == ' ')
			k++;
		s += k, n -= k;
		pane = 1;
	}
	size_t sp = 0;
	while (sp < n && s[sp] != ' ') {
		/* a parameter list with spaces, as Visual Studio's call stack
		 * window prints it: "vld_x86.dll!F(void * p=0x006ee830)" */
		if (s[sp] == '(' && sp > 0 && memchr(s, '!', sp)) {
			size_t depth = 0, k = sp;
			for (; k < n && k - sp < 4096; k++) {
				if (s[k] == '(')
					depth++;
				else if (s[k] == ')' && --depth == 0)
					break;
			}
			if (k >= n || s[k] != ')')
				return 0;
			sp = k;
		}
		sp++;
	}
	if (sp < 3 || s[sp - 1] == ':' || !memchr(s, '!', sp) == !memchr(s, '+', sp)) {
		/* needs "m!f" or "m+off" (or both: "m!f+off") */
		if (!(sp >= 3 && s[sp - 1] != ':' && memchr(s, '!', sp) && memchr(s, '+', sp)))
			return 0;
	}
	/* what may follow: a source annotation, the language column */
	const char *r = s + sp;
	size_t rn = n - sp;
	while (rn && *r == ' ')
		r++, rn--;
	if (rn && *r == '[') {
		const char *e = memchr(r, ']', rn);
		if (!e)
			return 0;
		rn -= (size_t)(e + 1 - r);
		r = e + 1;
		while (rn && *r == ' ')
			r++, rn--;
	}
	/* the pane's two address columns */
	for (int col = 0; pane && col < 2 && rn > 2 && r[0] == '0' && r[1] == 'x'; col++) {
		size_t k = 2;
		while (k < rn && is_hex(r[k]))
			k++;
		if (k == 2 || (k < rn && r[k] != ' '))
			break;
		r += k, rn -= k;
		while (rn && *r == ' ')
			r++, rn--;
	}
	/* a note after the frame: "bindflt.sys+0x27094  <-- faulting
	 * instruction", "<== here", "← crash" */
	if ((rn >= 2 && r[0] == '<' && (r[1] == '-' || r[1] == '=')) ||
	    (rn >= 3 && (unsigned char)r[0] == 0xE2 && (unsigned char)r[1] == 0x86 && (unsigned char)r[2] == 0x90))
		rn = 0;
	/* Visual Studio's line and language columns: "Line 433 C++",
	 * "Line 26 C#", "Unknown" */
	if (rn > 5 && wb_starts(r, rn, "Line ") && isdigit((unsigned char)r[5])) {
		r += 5, rn -= 5;
		while (rn && isdigit((unsigned char)*r))
			r++, rn--;
		while (rn && *r == ' ')
			r++, rn--;
	}
	if (rn && !(rn == 9 && wb_starts(r, rn, "C/C++/ASM")) && !(rn == 3 && wb_starts(r, rn, "C++")) &&
	    !(rn == 2 && (wb_starts(r, rn, "C#") || wb_starts(r, rn, "F#"))) && !(rn == 1 && *r == 'C') &&
	    !(rn == 5 && wb_starts(r, rn, "Basic")) && !(rn == 7 && wb_starts(r, rn, "Unknown")))
		return 0;
	/* the pane's parameters after the offset: "x!F+0xe(_LIST_ENTRY * a = 0x...)" */
	size_t cl = sp;
	const char *par = memchr(s, '(', sp);
	if (par && memchr(s, '+', (size_t)(par - s)))
		cl = (size_t)(par - s);
	if (!wb_parse_callsite(s, cl, f, NULL, NULL))
		return 0;
	if (!f->module || (!f->function && !f->offset)) {
		wb_frame_free(f);
		return 0;
	}
	return 1;
}

/* Stack rows: continue the stack being read (numbers must follow on), keep
 * a row cut by a mail client for the next line, or start a stack at a row
 * numbered 0 or an unnumbered kv row. *done is set when the line was a row. */
void wb_handle_row_line(state *st, const char *s, size_t n, size_t off0, size_t off1, int *done)
{
	row r;
	*done = 0;
	int rc = wb_parse_row(s, n, &r, wb_null_param_cb, st);
	if (st->in_stack || (st->stack_expect >= 0 && st->lineno - st->stack_expect <= EXPECT_WINDOW)) {
		if (rc == ROW_OK) {
			int ok = 1;
			if (st->in_stack && st->stack_numbered && r.has_num && r.num != st->next_num) {
				wb_stack_commit(st);
				ok = r.num == 0 && st->lineno != st->no_stack_line;
			}
			if (ok && (r.has_num || r.naddr >= 2)) {
				wb_stack_add(st, &r, off0, off1);
				*done = 1;
				return;
			}
			wb_frame_free(&r.f);
		} else if (rc == ROW_PARTIAL) {
			sb_reset(&st->partial);
			sb_add(&st->partial, s, n);
			st->partial_off0 = off0;
			*done = 1;
			return;
		}
		if (rc == ROW_NO && !st->fip_next && (st->in_stack ? !st->stack_numbered : 1)) {
			/* an unnumbered stack of bare call sites */
			row br;
			memset(&br, 0, sizeof br);
			if (bare_callsite(s, n, &br.f)) {
				wb_stack_add(st, &br, off0, off1);
				*done = 1;
				return;
			}
		}
		if (rc == ROW_NO && st->in_stack) {
			if (wb_starts(s, n, "WARNING:") || wb_is_stack_header(s, n)) {
				*done = 1;
				return;
			}
			/* a debugger warning between two rows ("*** WARNING: Unable
			 * to verify timestamp for x.sys", printed right before the
			 * driver's first frame): the stack goes on, the warning is
			 * read by the line handlers */
			if (wb_starts(s, n, "***") || wb_starts(s, n, "Unable to load image"))
				return;
			/* a note the poster put under a row ("=> F(x) -> G(y)",
			 * "<-- here", "// crash"): the stack goes on */
			if (wb_starts(s, n, "=>") || wb_starts(s, n, "<-") || wb_starts(s, n, "<=") || wb_starts(s, n, "//") ||
			    wb_starts(s, n, "^^"))
				return;
			wb_stack_commit(st);
		}
		return;
	}
	/* no stack yet: two bare call-site lines in a row start one */
	if (rc == ROW_NO && !st->lm_mode && !st->fip_next && !st->reg_mode) {
		row br;
		memset(&br, 0, sizeof br);
		if (bare_callsite(s, n, &br.f)) {
			if (st->bare_line && st->bare_line == st->lineno - 1) {
				row first;
				memset(&first, 0, sizeof first);
				first.f = st->bare;
				memset(&st->bare, 0, sizeof st->bare);
				st->bare_line = 0;
				wb_stack_add(st, &first, st->bare_off0, off1);
				wb_stack_add(st, &br, off0, off1);
			} else {
				wb_frame_free(&st->bare);
				st->bare = br.f;
				st->bare_line = st->lineno;
				st->bare_off0 = off0;
			}
			*done = 1;
			return;
		}
	}
	/* no stack yet: a row numbered 0, a numbered row with its address
	 * columns (a run of rows pasted from the middle of a k listing), or
	 * an unnumbered kb/kv row, starts one */
	if (rc == ROW_OK) {
		if (!st->lm_mode && st->lineno != st->no_stack_line &&
		    ((r.has_num && (r.num == 0 || r.naddr >= 2)) || (!r.has_num && r.colon >= 1 && r.naddr >= 2))) {
			wb_stack_add(st, &r, off0, off1);
			*done = 1;
			return;
		}
		wb_frame_free(&r.f);
	}
}

/* A debugger command (possibly several joined by ';') ends the block before
 * it and arms the one its output is: stack, registers, lm, pool, tag. */
void wb_handle_command(state *st, const char *c, size_t cn, size_t off0)
{
	if (st->in_stack)
		wb_stack_commit(st);
	st->lm_mode = st->pool_mode = st->reg_mode = st->tag_table = st->proc_next = st->fip_next = 0;
	st->tag_pending[0] = 0;
	st->stack_expect = -1;
	st->stack_cmd_thread = 0;
	st->after_frame = 0;
	st->last_marker_line = st->lineno;
	st->last_marker_off = off0;
	/* several commands joined by ';' */
	size_t i = 0;
	while (i < cn) {
		size_t j = i;
		while (j < cn && c[j] != ';')
			j++;
		const char *p = c + i;
		size_t pn = j - i;
		while (pn && *p == ' ')
			p++, pn--;
		while (pn && p[pn - 1] == ' ')
			pn--;
		if (is_k_command(p, pn) || (wb_istarts(p, pn, "!mex.t") && (pn == 6 || p[6] == ' ')) ||
		    wb_istarts(p, pn, "!thread") || wb_istarts(p, pn, "!mex.us")) {
			st->stack_expect = st->lineno;
			/* a thread named by address: another thread's stack */
			st->stack_cmd_thread = (wb_istarts(p, pn, "!mex.t ") || wb_istarts(p, pn, "!thread ")) && pn > 8;
		} else if (pn >= 2 && p[0] == '~' && isdigit((unsigned char)p[1])) {
			st->stack_expect = st->lineno;
			st->stack_cmd_thread = 1;
		}
		else if (wb_istarts(p, pn, ".trap") || wb_istarts(p, pn, ".cxr") || wb_istarts(p, pn, ".ecxr"))
			st->reg_mode = 1;
		else if (wb_starts(p, pn, "lm"))
			st->lm_mode = 1;
		else if (wb_istarts(p, pn, "!pool") && !wb_istarts(p, pn, "!poolfind") && !wb_istarts(p, pn, "!poolused"))
			st->pool_mode = 1;
		else if (wb_istarts(p, pn, "!tag ") || wb_istarts(p, pn, "!mex.tag ")) {
			const char *sp = memchr(p, ' ', pn);
			if (sp) {
				size_t tl = pn - (size_t)(sp + 1 - p);
				if (tl > 0 && tl < sizeof st->tag_pending) {
					memcpy(st->tag_pending, sp + 1, tl);
					st->tag_pending[tl] = 0;
				}
			}
		} else if (wb_istarts(p, pn, ".frame")) {
			st->no_stack_line = st->lineno + 1;
			st->after_frame = 1;
		}
		i = j + 1;
	}
}
