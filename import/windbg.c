/* windbg.c - find every dump analysis in a pasted text (a mail body, a
 * forum post, saved WinDbg output) and extract its fields as WinDbg printed
 * them: bugcheck, arguments, stack frames, modules, pool tags, process...
 *
 * Plain C scanning, one pass over the lines, no regular expressions: the
 * text is read line by line, each line normalised (CRLF, tabs, HTML
 * escapes, runs of spaces collapsed, mail quote markers dropped) and fed
 * to a small state machine. See docs/windbg-reader.md for the shapes read.
 */
#include "readers.h"
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

#define MAX_ANALYSES 4096
#define MAX_FRAMES 10000
#define MAX_LINE (1024 * 1024)
#define MAX_MODULES 512
#define MAX_TAGS 256
#define MAX_LOCALS 64
#define MAX_REGS 65536
#define EXPECT_WINDOW 4 /* lines a stack header/prompt waits for its first row */
#define PROSE_LIST_GAP 3 /* prose bugchecks this close together form a list */

/* ------------------------------------------------------------------ */
/* small string helpers */

static int is_hex(int c) { return isxdigit((unsigned char)c); }
static int is_alnum_ascii(int c) { return c < 128 && isalnum((unsigned char)c); }

/* tolower() of the C and C.UTF-8 locales (the only ones pmkb runs in,
 * cli/main.c): A-Z only, inline (ifind runs on every line of every body) */
static inline unsigned char lower_ascii(unsigned char c)
{
	return (unsigned char)(c - 'A') < 26 ? (unsigned char)(c + ('a' - 'A')) : c;
}

static int ieq_n(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lower_ascii((unsigned char)a[i]) != lower_ascii((unsigned char)b[i]))
			return 0;
	return 1;
}

/* Case-insensitive search of needle in s[0..n). */
static const char *ifind(const char *s, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	if (m == 0 || m > n)
		return NULL;
	unsigned char f = lower_ascii((unsigned char)needle[0]);
	for (size_t i = 0; i + m <= n; i++)
		if (lower_ascii((unsigned char)s[i]) == f && ieq_n(s + i + 1, needle + 1, m - 1))
			return s + i;
	return NULL;
}

static int starts(const char *s, size_t n, const char *p)
{
	size_t m = strlen(p);
	return n >= m && memcmp(s, p, m) == 0;
}

static int istarts(const char *s, size_t n, const char *p)
{
	size_t m = strlen(p);
	return n >= m && ieq_n(s, p, m);
}

/* Is s[0..n) an address column: >= 8 hex digits, at most one backtick. */
static int is_addr(const char *s, size_t n)
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

static int all_hex(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!is_hex(s[i]))
			return 0;
	return 1;
}

/* Next space-separated token of a squeezed line. */
static int next_tok(const char *s, size_t n, size_t *pos, const char **t, size_t *tn)
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

static char *dup_trim(const char *s, size_t n)
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
typedef void (*param_cb)(void *ctx, const char *name, size_t nn, const char *val, size_t vn);

static size_t parse_callsite(const char *s, size_t n, pm_frame *f, param_cb cb, void *ctx)
{
	memset(f, 0, sizeof *f);
	/* the extent: up to the first space outside () and <> */
	size_t end = 0;
	int paren = 0, angle = 0;
	size_t popen = (size_t)-1, pclose = (size_t)-1;
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
		else if (c == ' ' && paren == 0 && angle == 0)
			break;
	}
	if (paren > 0)
		return 0;
	if (end == 0 || end > 4096)
		return 0;
	const char *t = s;
	size_t tn = end;
	/* "<Unloaded_vendor.sys>+0x1a2b": code of a driver that unloaded
	 * before it ran; the frame is that driver's */
	if (tn > 11 && t[0] == '<' && istarts(t + 1, tn - 1, "Unloaded_")) {
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
	if (!bang && is_addr(t, mn))
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

static void frame_free(pm_frame *f)
{
	free(f->module);
	free(f->function);
	free(f->offset);
	free(f->address);
	memset(f, 0, sizeof *f);
}

enum { ROW_NO, ROW_OK, ROW_PARTIAL };

typedef struct row {
	int has_num;
	unsigned num;
	int naddr;   /* Child-SP/RetAddr/args columns before the call site */
	int colon;   /* kv/kb " : " columns */
	int is_inline;
	char first_arg[24]; /* first argument column (kb/kv), for KeBugCheckEx */
	pm_frame f;
} row;

/* Parse a stack row of any shape (kc, k, kb, kv, kn, !mex.t, STACK_TEXT).
 * On ROW_OK r->f holds the frame (caller owns it). */
static int parse_row(const char *s, size_t n, row *r, param_cb cb, void *ctx)
{
	memset(r, 0, sizeof *r);
	size_t pos = 0;
	const char *t;
	size_t tn;
	if (!next_tok(s, n, &pos, &t, &tn))
		return ROW_NO;
	/* a frame number: at most 4 hex digits (10,000 frames), not the last token */
	if (tn <= 4 && all_hex(t, tn)) {
		const char *t2;
		size_t t2n, p2 = pos;
		if (next_tok(s, n, &p2, &t2, &t2n)) {
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
	if (next_tok(s, n, &p3, &t, &tn)) {
		if (tn == 7 && memcmp(t, "(Inline", 7) == 0) {
			const char *t2;
			size_t t2n, p4 = p3;
			if (next_tok(s, n, &p4, &t2, &t2n) && starts(t2, t2n, "Function)")) {
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
		if (!next_tok(s, n, &p5, &t, &tn))
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
			pos = p5;
			continue;
		}
		if (is_addr(t, tn)) {
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
	size_t used = parse_callsite(s + pos, n - pos, &r->f, cb, ctx);
	if (!used)
		return ROW_NO;
	r->f.is_inline = r->is_inline;
	/* a kc row is "NN call-site" and little else: reject prose such as
	 * "0 errors found" by requiring symbol syntax or nothing after it */
	if (r->has_num && r->naddr == 0 && !r->is_inline) {
		size_t rn = n - pos - used;
		int symbolic = r->f.function || r->f.offset || r->f.address;
		if (!symbolic && rn > 0) {
			frame_free(&r->f);
			return ROW_NO;
		}
	}
	return ROW_OK;
}

/* ------------------------------------------------------------------ */
/* the extraction state */

typedef struct builder {
	pm_analysis a;
	int live;            /* anything recorded */
	int prose_only;      /* only a bugcheck code from prose so far */
	int listy;           /* follows a dropped prose bugcheck: an item of a list */
	long prose_line;
	size_t off0, off1;   /* byte range in the original text */
	char kbx[24];        /* first argument of a KeBugCheckEx row */
	int bucket_rank;     /* where failure_bucket came from: 3 FAILURE_BUCKET_ID, 2 BUCKET_ID/WER, 1 hash string */
} builder;

typedef struct state {
	pm_case *c;
	int message;
	size_t added;
	long lineno;
	builder cur;
	size_t prev_end;   /* end of the last closed analysis: spans never overlap */
	long last_drop_line;
	long last_marker_line;
	size_t last_marker_off;

	/* stack being read */
	int in_stack;
	long stack_expect; /* line of the last header/prompt, or -1 */
	long no_stack_line;/* a row on this line cannot start a stack (.frame output) */
	unsigned next_num;
	int stack_numbered;
	pm_frame *stk;
	size_t nstk, stk_cap;
	size_t stk_off0, stk_off1;
	char stk_kbx[24];
	sbuf partial;      /* a row cut by a mail client, waiting for its end */
	sbuf wrapped;      /* "...was: 0x00000050 (0x.., 0x..," wrapped: waiting for the rest */
	size_t wrapped_off0;
	int wrapped_code;  /* the line ended with the code: only a "(" line continues it */
	int unwrapping;    /* reading a held line on its own: not held again */
	int stack_cmd_thread; /* the stack being read was asked of another thread (!mex.t ADDR, !thread ADDR, ~Ns k) */
	pm_frame bare;     /* a bare call-site line waiting for a second one */
	long bare_line;    /* its line, 0 when none */
	size_t bare_off0;
	size_t partial_off0;

	/* other block modes */
	int lm_mode;
	int pool_mode;
	int reg_mode;      /* 1 reading registers, 2 after the symbol line */
	int after_frame;   /* the last command was .frame: its registers are a frame's, not a trap's */
	int fip_next;      /* FAULTING_IP (1) / FOLLOWUP_IP (2): the symbol is on the next line */
	int proc_next;     /* the next line is a process-table row */
	int tag_table;     /* inside a !tag / !mex.tag table */
	int args_next;     /* "*** Fatal System Error: 0x..": the arguments are on the next line */
	int caused_next;   /* "Driver at fault:": the driver is on the next line */
	int wer_bsod;      /* inside a WER BlueScreen problem signature ("Code: 3b") */
	/* disassembly a live session printed ("mapDriver!F+0x2d:" over
	 * "fffff880`0327702d cc int 3"): a label and an address under it,
	 * to name the module of a fault address the text shows no symbol for */
	struct { char label[128]; unsigned long long addr; } dis[16];
	size_t ndis;
	char dis_pending[128];
	int dis_line;
	int evt_xml;       /* inside an Application Error event as Event XML */
	int evt_data;      /* its <Data> elements so far (they are positional) */
	int kv_next;       /* KV_*: the next "Value:" line is this key's */
	sbuf prose_sys;    /* driver files named in prose lines, space separated */
	char prose_process[128]; /* the process the prose names */
	char tag_pending[16];
	sbuf line;         /* the normalised current line */
	sbuf piece;        /* one piece of a joined line, NUL-terminated */
} state;

static void stack_commit(state *st);
static pm_module *module_get(pm_analysis *a, const char *name, size_t nn);
static pm_pooltag *tag_get(pm_analysis *a, const char *tag, size_t tn, int front);
static void add_local(pm_analysis *a, const char *name, size_t nn, const char *val, size_t vn, const char *comment,
		      size_t cn);

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
	/* a user-mode crash: the exception and the process or module */
	if (a->exception_code && a->process)
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
		pm_module *m = module_get(dst, sm->name, strlen(sm->name));
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
		pm_pooltag *t = tag_get(dst, src->pool_tags[i].tag, strlen(src->pool_tags[i].tag), 0);
		if (t)
			merge_str(&t->owner, &src->pool_tags[i].owner);
	}
	for (size_t i = 0; i < src->nlocals; i++) {
		pm_local *l = &src->locals[i];
		add_local(dst, l->name, strlen(l->name), l->value, strlen(l->value), NULL, 0);
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
static void finish(state *st)
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
		/* nt!KeBugCheckEx's first argument is the code */
		for (size_t i = 0; i < a->nframes; i++) {
			if (a->frames[i].function && strcmp(a->frames[i].function, "KeBugCheckEx") == 0) {
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
	dis_resolve(st, a);
	/* the prose's drivers go with the first analysis of the text only (a
	 * title names the driver of the crash it reports, not of every dump
	 * a thread quotes) */
	if (st->prose_sys.len && !a->prose_images && st->added == 0)
		a->prose_images = xstrdup(st->prose_sys.buf);
	if (st->prose_process[0] && !a->process && st->added == 0 && b->live)
		a->process = xstrdup(st->prose_process);
	int keep = has_evidence(a) && st->added < MAX_ANALYSES && !(b->prose_only && b->listy && !a->dump_name);
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
static enum ws_role evt_xml_data(state *st, const char *s, size_t n, ws_span *v)
{
	while (n && (*s == ' ' || *s == '\t' || *s == '-' || *s == '>'))
		s++, n--;
	if (starts(s, n, "</EventData") || starts(s, n, "</Event>")) {
		st->evt_xml = 0;
		return WS_NONE;
	}
	if (!starts(s, n, "<Data"))
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
	const char *nm = ifind(s, (size_t)(gt - s), "Name=\"");
	if (nm) {
		nm += 6;
		size_t k = (size_t)(gt - nm);
		if (istarts(nm, k, "AppName\""))
			return WS_PROCESS;
		if (istarts(nm, k, "ModuleName\""))
			return WS_FAULT_MODULE;
		if (istarts(nm, k, "ExceptionCode\""))
			return WS_EXCEPTION;
		return WS_NONE;
	}
	return idx == 0 ? WS_PROCESS : idx == 3 ? WS_FAULT_MODULE : idx == 6 ? WS_EXCEPTION : WS_NONE;
}

/* Make sure there is a current analysis covering [off0, off1). */
static builder *cur(state *st, size_t off0, size_t off1)
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
static builder *start_new(state *st, size_t off0, size_t off1)
{
	if (st->in_stack)
		stack_commit(st);
	builder *b = &st->cur;
	if (b->live && b->prose_only && !b->a.dump_name && st->lineno - b->prose_line <= PROSE_LIST_GAP) {
		pm_analysis_clear(&b->a);
		memset(b, 0, sizeof *b);
		st->last_drop_line = st->lineno;
	}
	finish(st);
	st->last_marker_line = -1;
	return cur(st, off0, off1);
}

static void not_prose_only(builder *b) { b->prose_only = 0; }

/* ---- modules, tags, locals ---- */

static size_t name_core(const char *s)
{
	size_t n = strlen(s);
	if (n > 4 && (istarts(s + n - 4, 4, ".sys") || istarts(s + n - 4, 4, ".dll") || istarts(s + n - 4, 4, ".exe")))
		n -= 4;
	return n;
}

/* The module entry named name ("npf" and "npf.sys" are one), appended when
 * new; NULL when the analysis already holds MAX_MODULES. Owned by a. */
static pm_module *module_get(pm_analysis *a, const char *name, size_t nn)
{
	char *tmp = xstrndup(name, nn);
	size_t core = name_core(tmp);
	for (size_t i = 0; i < a->nmodules; i++) {
		size_t mc = name_core(a->modules[i].name);
		if (mc == core && ieq_n(a->modules[i].name, tmp, core)) {
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

static int module_name_ok(const char *s, size_t n)
{
	if (n == 0 || n > 128)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(is_alnum_ascii(s[i]) || s[i] == '_' || s[i] == '.' || s[i] == '-' || s[i] == '$'))
			return 0;
	return 1;
}

static void set_once(char **field, const char *s, size_t n)
{
	if (*field || n == 0)
		return;
	*field = dup_trim(s, n);
}

/* Add a name to a space-separated list of names (distinct, at most 16). */
static void add_listed(char **list, const char *s, size_t n)
{
	if (n == 0 || n > 128 || memchr(s, ' ', n))
		return;
	size_t count = 0;
	for (const char *p = *list; p && *p;) {
		size_t l = strcspn(p, " ");
		if (l == n && ieq_n(p, s, n))
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
static void add_warned(pm_analysis *a, const char *s, size_t n)
{
	add_listed(&a->warned_image, s, n);
}

/* The pool tag entry for tag, appended when new (first when front: the
 * block marked '*'); NULL when the analysis holds MAX_TAGS. Owned by a. */
static pm_pooltag *tag_get(pm_analysis *a, const char *tag, size_t tn, int front)
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
static void add_local(pm_analysis *a, const char *name, size_t nn, const char *val, size_t vn, const char *comment, size_t cn)
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
static void null_param_cb(void *ctx, const char *name, size_t nn, const char *val, size_t vn)
{
	state *st = ctx;
	char *h = pm_norm_hex(val, vn);
	if (h && strcmp(h, "0x0") == 0 && st->cur.live)
		add_local(&st->cur.a, name, nn, val, vn, NULL, 0);
	free(h);
}

/* ---- stacks ---- */

static void stk_clear(state *st)
{
	for (size_t i = 0; i < st->nstk; i++)
		frame_free(&st->stk[i]);
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
		if (f[i].function && (strcmp(f[i].function, "KeBugCheckEx") == 0 || strcmp(f[i].function, "KeBugCheck2") == 0))
			return 1;
	return 0;
}

/* The stack being read has ended: give it to the current analysis, drop
 * it when it repeats the current analysis' stack, or start a new
 * analysis with it. */
static void stack_commit(state *st)
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
		if (ml > 3 && !all_hex(l->module, ml))
			break;
		frame_free(l);
		st->nstk--;
	}
	if (st->nstk == 0)
		return;
	builder *b = &st->cur;
	if (b->live && b->a.nframes > 0) {
		if (stacks_overlap(b->a.frames, b->a.nframes, st->stk, st->nstk)) {
			stk_clear(st);
			return;
		}
		/* a stack of another thread of the same dump (!mex.t of a
		 * waiter, !thread, ~Ns): the analysis already holds the
		 * crashing stack (through KeBugCheckEx) and this one neither
		 * bugchecks nor follows a new bugcheck: context, not a dump */
		if (has_kebugcheck(b->a.frames, b->a.nframes) && !has_kebugcheck(st->stk, st->nstk) &&
		    st->stack_cmd_thread) {
			stk_clear(st);
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
		finish(st);
		b = cur(st, o0, o1);
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
				finish(st);
			}
		}
		b = cur(st, st->stk_off0, st->stk_off1);
	}
	if (st->stk_off1 > b->off1)
		b->off1 = st->stk_off1;
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
static void stack_add(state *st, row *r, size_t off0, size_t off1)
{
	if (!st->in_stack) {
		st->in_stack = 1;
		st->stk_off0 = off0;
		st->stack_numbered = r->has_num;
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
		if (!st->stk_kbx[0] && r->first_arg[0] && nf->function && strcmp(nf->function, "KeBugCheckEx") == 0) {
			char *h = pm_norm_hex(r->first_arg, strlen(r->first_arg));
			if (h && strlen(h) <= 10)
				memcpy(st->stk_kbx, r->first_arg, sizeof st->stk_kbx);
			free(h);
		}
	} else {
		frame_free(&r->f);
	}
	st->next_num = r->num + 1;
	(void)off1; /* the stack's end is stk_off1; the analysis takes it at commit */
}

/* ---- line classification helpers ---- */

/* "NAME: value" field of !analyze -v; returns the value (may be empty). */
static const char *field(const char *s, size_t n, const char *key, size_t *vn)
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
static const char *command(const char *s, size_t n, size_t *cn)
{
	size_t i = 0;
	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	if (i < n && s[i] == ':') {
		size_t j = i + 1;
		if (j < n && s[j] == ' ')
			j++;
		if (j + 2 < n && (starts(s + j, n - j, "kd>") || starts(s + j, n - j, "lkd>"))) {
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
	if (starts(s, n, "kd>")) {
		i = 3;
		while (i < n && s[i] == ' ')
			i++;
		*cn = n - i;
		return s + i;
	}
	if (starts(s, n, "Running: ")) {
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
			if (istarts(s, n, known[k])) {
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
static int is_stack_header(const char *s, size_t n)
{
	if (n && s[0] == '#') {
		s++, n--;
		while (n && *s == ' ')
			s++, n--;
	}
	return starts(s, n, "Call Site") || starts(s, n, "Child-SP") || starts(s, n, "ChildEBP") ||
	       starts(s, n, "STACK_TEXT:") || starts(s, n, "RetAddr") || starts(s, n, "Child SP");
}

/* "DRIVER_IRQL_NOT_LESS_OR_EQUAL (d1)": the whole line. */
static int bc_header(const char *s, size_t n, size_t *namelen, const char **code, size_t *codelen)
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

/* A bugcheck code in prose after another word: "BSOD 0x0000001e",
 * "STOP 0x0000007E", "stop code 0x50", "Stop error: 0xD1", "BSOD `0x139`"
 * (the code needs its 0x). Returns the code text. */
static int prose_stop_code(const char *s, size_t n, const char **code, size_t *codelen)
{
	static const char *const words[] = {"bsod", "stop code", "stop error", "stop", "blue screen", "error code"};
	for (size_t w = 0; w < PMKB_ARRAY_LEN(words); w++) {
		size_t m = strlen(words[w]);
		for (const char *p = s; (p = ifind(p, n - (size_t)(p - s), words[w])) != NULL; p += m) {
			if (p > s && (is_alnum_ascii(p[-1]) || p[-1] == '_'))
				continue;
			const char *q = p + m, *e = s + n;
			if (q < e && (is_alnum_ascii(*q) || *q == '_'))
				continue;
			for (int r = 0; r < 4 && q < e; r++) {
				while (q < e && (*q == ' ' || *q == ':' || *q == '`' || *q == '(' || *q == '=' || *q == '*'))
					q++;
				if (e - q > 3 && istarts(q, (size_t)(e - q), "was") && !is_alnum_ascii(q[3]))
					q += 3;
				else if (e - q > 2 && istarts(q, (size_t)(e - q), "is") && !is_alnum_ascii(q[2]))
					q += 2;
				else if (e - q > 2 && istarts(q, (size_t)(e - q), "of") && !is_alnum_ascii(q[2]))
					q += 2;
				else
					break;
			}
			if (e - q < 3 || q[0] != '0' || (q[1] != 'x' && q[1] != 'X'))
				continue;
			const char *h = q + 2;
			size_t k = 0;
			while (h + k < e && is_hex(h[k]))
				k++;
			if (k == 0 || k > 8 || (h + k < e && (is_alnum_ascii(h[k]) || h[k] == '_')))
				continue;
			*code = h;
			*codelen = k;
			return 1;
		}
	}
	/* the code before the word: "0x7E BSOD", "0xC4 bug check code" */
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
		static const char *const after[] = {"bsod", "bug check", "bugcheck", "blue screen", "stop error"};
		for (size_t w = 0; w < PMKB_ARRAY_LEN(after); w++)
			if (istarts(s + j, n - j, after[w])) {
				*code = s + i + 2;
				*codelen = k;
				return 1;
			}
	}
	return 0;
}

/* A bugcheck named in prose: "bugcheck为D1", "Bugcheck 0xfc，", "其bugcheck为7f",
 * "bugcheck 50（page fault）", "Bug Check 0x50". Returns the code text. */
static int prose_bugcheck(const char *s, size_t n, const char **code, size_t *codelen)
{
	size_t i = 0;
	while (i < n) {
		const char *p = ifind(s + i, n - i, "bug");
		if (!p)
			return 0;
		size_t at = (size_t)(p - s);
		i = at + 3;
		if (at > 0 && (is_alnum_ascii(s[at - 1]) || s[at - 1] == '_' || s[at - 1] == '!'))
			continue;
		size_t j = at + 3;
		if (j < n && s[j] == ' ')
			j++;
		if (!istarts(s + j, n - j, "check"))
			continue;
		j += 5;
		/* a word boundary: "bugchecked" is a verb, not code 0xed */
		if (j < n && (is_alnum_ascii(s[j]) || s[j] == '_'))
			continue;
		/* separators */
		for (int rounds = 0; rounds < 4; rounds++) {
			while (j < n && s[j] == ' ')
				j++;
			if (starts(s + j, n - j, "为") || starts(s + j, n - j, "是") || starts(s + j, n - j, "："))
				j += 3;
			else if (j < n && (s[j] == ':' || s[j] == '=' || s[j] == '(' || s[j] == '`'))
				j++;
			else if (istarts(s + j, n - j, "code") && !(j + 4 < n && is_alnum_ascii(s[j + 4])))
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

static void set_code(builder *b, const char *code, size_t n)
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

static int code_eq(const builder *b, const char *code, size_t n)
{
	char *h = pm_norm_hex(code, n);
	int eq = h && b->a.bugcheck_code && strcmp(h, b->a.bugcheck_code) == 0;
	free(h);
	return eq;
}

/* A bugcheck (header, BugCheck line, field) for the current analysis:
 * merged when compatible, else a new analysis starts. */
static builder *bugcheck_for(state *st, const char *code, size_t n, int with_args, size_t off0, size_t off1)
{
	builder *b = &st->cur;
	if (b->live && b->a.bugcheck_code) {
		int eq = code_eq(b, code, n);
		if (!eq || (with_args && b->a.args[0]))
			b = start_new(st, off0, off1);
	} else if (b->live && b->a.args[0]) {
		b = start_new(st, off0, off1);
	}
	b = cur(st, off0, off1);
	set_code(b, code, n);
	return b;
}

static void set_arg(builder *b, int i, const char *v, size_t vn, const char *desc, size_t dn)
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
			b->a.arg_desc[i] = dup_trim(desc, dn);
	}
	not_prose_only(b);
}

static void add_reg_line(builder *b, const char *s, size_t n)
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
static int set_args_list(builder *b, const char *p, size_t n)
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
		set_arg(b, k++, p + a, z - a, NULL, 0);
		if (e >= n || p[e] == ')')
			break;
		i = e + 1;
	}
	return k;
}

/* A bugcheck code a line states: hex with or without 0x, at most 8 digits
 * ("0x000000d1" is 8 after its 0x). Returns its length from *p. */
static size_t hex_code_at(const char **p, const char *end)
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
static void set_bucket(builder *b, const char *v, size_t vn, int rank)
{
	while (vn && v[vn - 1] == ' ')
		vn--;
	if (vn == 0 || (b->a.failure_bucket && b->bucket_rank >= rank))
		return;
	free(b->a.failure_bucket);
	b->a.failure_bucket = NULL;
	set_once(&b->a.failure_bucket, v, vn);
	b->bucket_rank = rank;
	not_prose_only(b);
}

/* Driver files ("vendor.sys") named in a prose line, added to the text's
 * list (distinct, at most 16, 4 KiB). */
static void collect_prose_sys(state *st, const char *s, size_t n)
{
	for (const char *x = s; (x = ifind(x, n - (size_t)(x - s), ".sys")) != NULL; x += 4) {
		if (x + 4 < s + n && is_alnum_ascii(x[4]))
			continue;
		const char *b0 = x;
		while (b0 > s && (is_alnum_ascii(b0[-1]) || b0[-1] == '_' || b0[-1] == '-'))
			b0--;
		size_t l = (size_t)(x + 4 - b0);
		if (b0 == x || l > 64)
			continue;
		int dup = 0, count = 0;
		for (const char *p = st->prose_sys.buf; p && *p;) {
			size_t pl = strcspn(p, " ");
			dup |= pl == l && ieq_n(p, b0, l);
			count++;
			p += pl;
			while (*p == ' ')
				p++;
		}
		if (dup || count >= 16 || st->prose_sys.len + l + 1 > 4096)
			continue;
		if (st->prose_sys.len)
			sb_addc(&st->prose_sys, ' ');
		sb_add(&st->prose_sys, b0, l);
	}
}

/* Does the line end inside the argument list of a code ("...was:
 * 0x00000050 (0xffffffffffffffe8, 0x0000000000000000,")? 1; or with the
 * code after a bugcheck word, the list maybe on the next line? 2. */
static int wrapped_code_args(const char *s, size_t n)
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
		return (ifind(s, n, "bugcheck") || ifind(s, n, "bug check") || ifind(s, n, "stop")) ? 2 : 0;
	}
	if (!ifind(s, (size_t)(lp - s), "0x"))
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
enum { KV_NONE, KV_BUCKET, KV_CODE };

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
	if ((ml == 2 && ieq_n(s, "nt", 2)) || (ml == 3 && ieq_n(s, "hal", 3)) || istarts(s, ml, "ntkrnl") ||
	    istarts(s, ml, "ntoskrnl"))
		return 0;
	return ml;
}

/* Disassembly: a label line "mapDriver!F+0x2d:" and the address of the
 * line under it ("fffff880`0327702d cc  int 3") are recorded (the first
 * 16 such pairs of the text). */
static void dis_record(state *st, const char *s, size_t n)
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

static void handle_line(state *st, const char *s, size_t n, size_t off0, size_t off1);

/* A call site alone on a line, as stacks are quoted without columns:
 * "vendor!Func+0x1a77", "VBoxUSB+0x2d09", a Visual Studio call stack row
 * "vendor!Func+0x1a77 [C:\src\file.c @ 123] C/C++/ASM". 1 with *f. */
static int bare_callsite(const char *s, size_t n, pm_frame *f)
{
	size_t sp = 0;
	while (sp < n && s[sp] != ' ')
		sp++;
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
	if (rn && !(rn == 9 && starts(r, rn, "C/C++/ASM")))
		return 0;
	if (!parse_callsite(s, sp, f, NULL, NULL))
		return 0;
	if (!f->module || (!f->function && !f->offset)) {
		frame_free(f);
		return 0;
	}
	return 1;
}

/* Stack rows: continue the stack being read (numbers must follow on), keep
 * a row cut by a mail client for the next line, or start a stack at a row
 * numbered 0 or an unnumbered kv row. *done is set when the line was a row. */
static void handle_row_line(state *st, const char *s, size_t n, size_t off0, size_t off1, int *done)
{
	row r;
	*done = 0;
	int rc = parse_row(s, n, &r, null_param_cb, st);
	if (st->in_stack || (st->stack_expect >= 0 && st->lineno - st->stack_expect <= EXPECT_WINDOW)) {
		if (rc == ROW_OK) {
			int ok = 1;
			if (st->in_stack && st->stack_numbered && r.has_num && r.num != st->next_num) {
				stack_commit(st);
				ok = r.num == 0 && st->lineno != st->no_stack_line;
			}
			if (ok && (r.has_num || r.naddr >= 2)) {
				stack_add(st, &r, off0, off1);
				*done = 1;
				return;
			}
			frame_free(&r.f);
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
				stack_add(st, &br, off0, off1);
				*done = 1;
				return;
			}
		}
		if (rc == ROW_NO && st->in_stack) {
			if (starts(s, n, "WARNING:") || is_stack_header(s, n)) {
				*done = 1;
				return;
			}
			/* a debugger warning between two rows ("*** WARNING: Unable
			 * to verify timestamp for x.sys", printed right before the
			 * driver's first frame): the stack goes on, the warning is
			 * read by the line handlers */
			if (starts(s, n, "***") || starts(s, n, "Unable to load image"))
				return;
			stack_commit(st);
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
				stack_add(st, &first, st->bare_off0, off1);
				stack_add(st, &br, off0, off1);
			} else {
				frame_free(&st->bare);
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
			stack_add(st, &r, off0, off1);
			*done = 1;
			return;
		}
		frame_free(&r.f);
	}
}

/* A debugger command (possibly several joined by ';') ends the block before
 * it and arms the one its output is: stack, registers, lm, pool, tag. */
static void handle_command(state *st, const char *c, size_t cn, size_t off0)
{
	if (st->in_stack)
		stack_commit(st);
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
		if (is_k_command(p, pn) || (istarts(p, pn, "!mex.t") && (pn == 6 || p[6] == ' ')) ||
		    istarts(p, pn, "!thread") || istarts(p, pn, "!mex.us")) {
			st->stack_expect = st->lineno;
			/* a thread named by address: another thread's stack */
			st->stack_cmd_thread = (istarts(p, pn, "!mex.t ") || istarts(p, pn, "!thread ")) && pn > 8;
		} else if (pn >= 2 && p[0] == '~' && isdigit((unsigned char)p[1])) {
			st->stack_expect = st->lineno;
			st->stack_cmd_thread = 1;
		}
		else if (istarts(p, pn, ".trap") || istarts(p, pn, ".cxr") || istarts(p, pn, ".ecxr"))
			st->reg_mode = 1;
		else if (starts(p, pn, "lm"))
			st->lm_mode = 1;
		else if (istarts(p, pn, "!pool") && !istarts(p, pn, "!poolfind") && !istarts(p, pn, "!poolused"))
			st->pool_mode = 1;
		else if (istarts(p, pn, "!tag ") || istarts(p, pn, "!mex.tag ")) {
			const char *sp = memchr(p, ' ', pn);
			if (sp) {
				size_t tl = pn - (size_t)(sp + 1 - p);
				if (tl > 0 && tl < sizeof st->tag_pending) {
					memcpy(st->tag_pending, sp + 1, tl);
					st->tag_pending[tl] = 0;
				}
			}
		} else if (istarts(p, pn, ".frame")) {
			st->no_stack_line = st->lineno + 1;
			st->after_frame = 1;
		}
		i = j + 1;
	}
}

/* ---- line readers ----
 *
 * Each takes one normalised line s[0..n) (NUL-terminated at n) whose bytes
 * in the original text are [off0, off1), and says 1 when the line was its
 * (it updated the state), 0 to leave it to the next; line_readers below
 * gives their order. */

/* a stack row a mail client cut in two, joined with this line */
static int line_cut_row(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	(void)off0;
	if (st->partial.len) {
		sbuf j = {0};
		sb_add(&j, st->partial.buf, st->partial.len);
		sb_addc(&j, ' ');
		sb_add(&j, s, n);
		size_t p0 = st->partial_off0;
		sb_reset(&st->partial);
		row r;
		int rc = parse_row(j.buf, j.len, &r, null_param_cb, st);
		if (rc == ROW_OK) {
			stack_add(st, &r, p0, off1);
			sb_free(&j);
			return 1;
		}
		/* not a row after all: the cut part is dropped, this line is read on its own */
		sb_free(&j);
	}
	return 0;
}

/* a code and its argument list wrapped over two lines */
static int line_wrapped(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	/* a code and its argument list wrapped by a mail client or a forum */
	if (st->wrapped.len && st->wrapped_code && s[0] != '(') {
		/* not the arguments: the held line is read on its own first */
		sbuf w = st->wrapped;
		memset(&st->wrapped, 0, sizeof st->wrapped);
		st->lineno--;
		st->unwrapping = 1;
		handle_line(st, w.buf, w.len, st->wrapped_off0, off0);
		st->unwrapping = 0;
		sb_free(&w);
	}
	if (st->wrapped.len) {
		sbuf j = {0};
		sb_add(&j, st->wrapped.buf, st->wrapped.len);
		sb_addc(&j, ' ');
		sb_add(&j, s, n);
		size_t w0 = st->wrapped_off0;
		sb_reset(&st->wrapped);
		st->lineno--;
		handle_line(st, j.buf, j.len, w0, off1);
		sb_free(&j);
		return 1;
	}
	if (!st->in_stack && n < 512 && !st->unwrapping) {
		int w = wrapped_code_args(s, n);
		if (w) {
			sb_add(&st->wrapped, s, n);
			st->wrapped_off0 = off0;
			st->wrapped_code = w == 2;
			return 1;
		}
	}
	return 0;
}

/* a line a previous one announced: the arguments of a live banner, the driver at fault, a Key/Value pair */
static int line_pending(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	/* the second line of a live debugger's banner */
	if (st->args_next) {
		st->args_next = 0;
		if (s[0] == '(' && st->cur.live && set_args_list(&st->cur, s, n))
			return 1;
	}
	if (st->caused_next) {
		st->caused_next = 0;
		const char *p = s;
		while (*p == '*' || *p == ' ')
			p++;
		size_t e = strcspn(p, " ,");
		if (e && st->cur.live && module_name_ok(p, e)) {
			module_get(&st->cur.a, p, e);
			set_once(&st->cur.a.caused_by, p, e);
			return 1;
		}
	}
	if (st->kv_next) {
		int kv = st->kv_next;
		st->kv_next = KV_NONE;
		size_t kvn;
		const char *kvv = field(s, n, "Value", &kvn);
		if (kvv && kvn) {
			builder *kb = cur(st, off0, off1);
			if (kv == KV_BUCKET)
				set_bucket(kb, kvv, kvn, 2);
			else if (!kb->a.bugcheck_code) {
				const char *q = kvv;
				size_t k = hex_code_at(&q, kvv + kvn);
				if (k)
					set_code(kb, q, k);
			}
			return 1;
		}
	}
	return 0;
}

/* a debugger command (kd> !analyze -v, .trap, lm ...) */
static int line_command(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	(void)off1;
	size_t cn;
	const char *c = command(s, n, &cn);
	if (c) {
		handle_command(st, c, cn, off0);
		return 1;
	}
	return 0;
}

/* a new mail message */
static int line_mail_boundary(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	(void)off0;
	(void)off1;
	/* mail boundaries: a new message (export block, quoted header, Outlook
	 * separator) never continues the previous message's analysis */
	if (mq_boundary(s, s + n)) { /* mail-quote.c */
		if (st->in_stack)
			stack_commit(st);
		finish(st);
		st->lm_mode = st->pool_mode = st->reg_mode = st->tag_table = st->proc_next = st->fip_next = 0;
		st->wer_bsod = st->kv_next = st->evt_xml = 0;
		st->tag_pending[0] = 0;
		st->stack_expect = st->last_marker_line = -1;
		return 1;
	}
	return 0;
}

/* a banner that opens an analysis */
static int line_banner(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	(void)off1;
	/* banners: the analysis' span starts here when evidence follows */
	if (ifind(s, n, "Bugcheck Analysis") || starts(s, n, "Bugcheck details") || starts(s, n, "Crashing Stack")) {
		if (st->in_stack)
			stack_commit(st);
		st->last_marker_line = st->lineno;
		st->last_marker_off = off0;
		return 1;
	}
	return 0;
}

/* a stack row or a stack header */
static int line_stack(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	int done = 0;
	handle_row_line(st, s, n, off0, off1, &done);
	if (done)
		return 1;
	if (is_stack_header(s, n)) {
		st->stack_expect = st->lineno;
		st->lm_mode = 0;
		if (starts(s, n, "STACK_TEXT:"))
			st->reg_mode = 0;
		return 1;
	}
	return 0;
}

/* a register block */
static int line_registers(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	builder *b = &st->cur;
	/* a register block pasted without its .trap/.cxr command */
	if (!st->reg_mode && !st->after_frame && ((starts(s, n, "rax=") && strstr(s, " rbx=")) ||
						   (starts(s, n, "eax=") && strstr(s, " ebx="))))
		st->reg_mode = 1;
	/* register block after .trap/.cxr/CONTEXT:/TRAP_FRAME: */
	if (st->reg_mode == 1) {
		int reg = 0;
		if (n >= 3 && islower((unsigned char)s[0])) {
			const char *eq = memchr(s, '=', n < 8 ? n : 8);
			if (eq) {
				reg = 1;
				for (const char *q = s; q < eq; q++)
					if (!isalnum((unsigned char)*q))
						reg = 0;
			}
		}
		if (reg) {
			b = cur(st, off0, off1);
			add_reg_line(b, s, n);
			not_prose_only(b);
			return 1;
		}
		if (starts(s, n, "NOTE:") || starts(s, n, "Some register values"))
			return 1;
		if (s[n - 1] == ':' && !memchr(s, ' ', n) && n > 1) {
			if (b->live) {
				pm_frame f;
				if (parse_callsite(s, n - 1, &f, NULL, NULL) && f.module) {
					if (!b->a.fault_ip) {
						sbuf fi = {0};
						sb_adds(&fi, f.module);
						if (f.function)
							sb_addf(&fi, "!%s", f.function);
						if (f.offset)
							sb_addf(&fi, "+%s", f.offset);
						b->a.fault_ip = sb_detach(&fi);
					}
				}
				frame_free(&f);
			}
			st->reg_mode = 2;
			return 1;
		}
		st->reg_mode = 0;
	} else if (st->reg_mode == 2) {
		st->reg_mode = 0;
		return 1; /* the disassembly line */
	}
	return 0;
}

/* the value under FAULTING_IP: / FOLLOWUP_IP: */
static int line_fault_ip_value(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	builder *b = &st->cur;
	if (st->fip_next) {
		int fip = st->fip_next;
		st->fip_next = 0;
		pm_frame f;
		char tok[512];
		size_t sp = 0, tl = 0;
		/* the symbol, without Markdown bold ("**psav3cld.sys**+1bae0") */
		for (; sp < n && s[sp] != ' ' && tl + 1 < sizeof tok; sp++) {
			if (s[sp] == '*' && sp + 1 < n && s[sp + 1] == '*') {
				sp++;
				continue;
			}
			tok[tl++] = s[sp];
		}
		tok[tl] = 0;
		char **dst = fip == 2 ? &b->a.followup_ip : &b->a.fault_ip;
		if (!b->live && parse_callsite(tok, tl, &f, NULL, NULL)) {
			/* the field starts the analysis when it names a module */
			if (f.module)
				b = cur(st, off0, off1);
			frame_free(&f);
			dst = fip == 2 ? &b->a.followup_ip : &b->a.fault_ip;
		}
		if (b->live && !*dst && parse_callsite(tok, tl, &f, NULL, NULL)) {
			sbuf fi = {0};
			if (f.module) {
				sb_adds(&fi, f.module);
				if (f.function)
					sb_addf(&fi, "!%s", f.function);
				if (f.offset)
					sb_addf(&fi, "+%s", f.offset);
			} else if (f.address)
				sb_adds(&fi, f.address);
			*dst = sb_detach(&fi);
			frame_free(&f);
		}
		return 1;
	}
	return 0;
}

/* the row under a process table header */
static int line_process_row(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	(void)n;
	builder *b = &st->cur;
	if (st->proc_next) {
		st->proc_next = 0;
		const char *paren = strstr(s, " (");
		if (paren && paren > s && is_hex(paren[2])) {
			b = cur(st, off0, off1);
			set_once(&b->a.process, s, (size_t)(paren - s));
		}
		return 1;
	}
	return 0;
}

/* lm output: modules and their attributes */
static int line_lm(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	builder *b = &st->cur;
	size_t vn;
	const char *v;
	/* lm block */
	if (st->lm_mode) {
		if (starts(s, n, "start ") && ifind(s, n, "module name")) {
			return 1;
		}
		size_t pos = 0;
		const char *t1, *t2, *t3;
		size_t n1, n2, n3;
		if (next_tok(s, n, &pos, &t1, &n1) && is_addr(t1, n1) && next_tok(s, n, &pos, &t2, &n2) && is_addr(t2, n2) &&
		    next_tok(s, n, &pos, &t3, &n3) && !is_addr(t3, n3) && module_name_ok(t3, n3)) {
			b = cur(st, off0, off1);
			pm_module *m = module_get(&b->a, t3, n3);
			if (m) {
				char *a1 = pm_norm_hex(t1, n1), *a2 = pm_norm_hex(t2, n2);
				if (!m->start && a1)
					m->start = xstrdup(a1 + 2);
				if (!m->end && a2)
					m->end = xstrdup(a2 + 2);
				free(a1);
				free(a2);
				st->lm_mode = 2; /* attributes belong to the last module */
			}
			return 1;
		}
		if (st->lm_mode == 2 && b->live && b->a.nmodules) {
			pm_module *m = &b->a.modules[b->a.nmodules - 1];
			if ((v = field(s, n, "Image path", &vn))) {
				set_once(&m->image_path, v, vn);
				return 1;
			}
			if ((v = field(s, n, "Timestamp", &vn))) {
				const char *lp = memchr(v, '(', vn);
				const char *rp = lp ? memchr(lp, ')', vn - (size_t)(lp - v)) : NULL;
				if (lp && rp && rp > lp + 1)
					set_once(&m->timestamp, lp + 1, (size_t)(rp - lp - 1));
				else if (vn)
					set_once(&m->timestamp, v, vn);
				return 1;
			}
			if ((v = field(s, n, "CheckSum", &vn))) {
				set_once(&m->checksum, v, vn);
				return 1;
			}
			if ((v = field(s, n, "ImageSize", &vn))) {
				set_once(&m->image_size, v, vn);
				return 1;
			}
		}
	}
	return 0;
}

/* pool listing rows and pool tag lines */
static int line_pool(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	builder *b = &st->cur;
	size_t vn;
	const char *v;
	/* pool listing rows: "*ffff81021744d190 size:   30 previous size:    0  (Allocated) *Filt" */
	{
		const char *sz = n > 20 ? strstr(s, " size:") : NULL;
		if (sz && strstr(sz, "previous size:")) {
			size_t p0 = 0;
			int star = s[0] == '*';
			if (star)
				p0 = 1;
			size_t q = p0;
			while (q < n && is_hex(s[q]))
				q++;
			if (q - p0 >= 8) {
				const char *rp = strchr(sz, ')');
				if (rp) {
					const char *t = rp + 1;
					while (*t == ' ')
						t++;
					if (*t == '*')
						t++;
					size_t tl = 0;
					while (t[tl] && t[tl] != ' ' && tl < 4)
						tl++;
					if (tl > 0) {
						b = cur(st, off0, off1);
						tag_get(&b->a, t, tl, star);
						not_prose_only(b);
						st->pool_mode = 1;
					}
				}
				return 1;
			}
		}
		if ((v = field(s, n, "Pooltag", &vn)) == NULL && starts(s, n, "Pooltag ")) {
			/* "Pooltag FSfc : desc, Binary : nt!fsrtl" */
			const char *t = s + 8;
			size_t tl = 0;
			while (8 + tl < n && t[tl] != ' ' && t[tl] != ':')
				tl++;
			const char *bin = ifind(s, n, "Binary :");
			if (tl && tl <= 4) {
				b = cur(st, off0, off1);
				pm_pooltag *pt = tag_get(&b->a, t, tl, 0);
				if (pt && bin && !pt->owner) {
					const char *o = bin + 8;
					while (*o == ' ')
						o++;
					size_t on = strlen(o);
					if (on)
						pt->owner = dup_trim(o, on);
				}
			}
			return 1;
		}
		if (st->pool_mode && (v = field(s, n, "Owning component", &vn)) && b->live && b->a.npool_tags) {
			pm_pooltag *pt = &b->a.pool_tags[0];
			if (!pt->owner && vn && !istarts(v, vn, "Unknown"))
				pt->owner = dup_trim(v, vn);
			return 1;
		}
	}
	return 0;
}

/* !tag tables */
static int line_tag_table(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	builder *b = &st->cur;
	/* !tag / !mex.tag table: "Name Number of Hits Version Time Stamp Location" */
	if (starts(s, n, "Name ") && ifind(s, n, "Number of Hits")) {
		st->tag_table = 1;
		return 1;
	}
	if (st->tag_table) {
		if (s[0] == '=')
			return 1;
		st->tag_table = 0;
		if (st->tag_pending[0] && !starts(s, n, "Hits")) {
			size_t pos = 0;
			const char *nm;
			size_t nml;
			if (next_tok(s, n, &pos, &nm, &nml)) {
				const char *loc = NULL;
				const char *bs = memchr(s, '\\', n);
				if (bs) {
					const char *ls = bs;
					while (ls > s && ls[-1] != ' ')
						ls--;
					loc = ls;
				}
				b = cur(st, off0, off1);
				pm_pooltag *pt = tag_get(&b->a, st->tag_pending, strlen(st->tag_pending), 0);
				pm_module *m = module_get(&b->a, nm, nml);
				if (m && loc)
					set_once(&m->image_path, loc, n - (size_t)(loc - s));
				if (pt && !pt->owner) {
					const char *base = loc ? strrchr(loc, '\\') : NULL;
					if (base && name_core(base + 1) == nml && ieq_n(base + 1, nm, nml))
						pt->owner = dup_trim(base + 1, n - (size_t)(base + 1 - s));
					else
						pt->owner = xstrndup(nm, nml);
				}
				not_prose_only(b);
			}
		}
		return 1;
	}
	return 0;
}

/* process tables */
static int line_process_table(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	builder *b = &st->cur;
	const char *v;
	/* process tables (!mex.t, Crashing Stack, !thread) */
	if (starts(s, n, "Process ") && strstr(s, " Thread ") && strstr(s, "CID")) {
		st->proc_next = 1;
		return 1;
	}
	if ((v = ifind(s, n, "Image: ")) && starts(s, n, "Owning Process")) {
		b = cur(st, off0, off1);
		set_once(&b->a.process, v + 7, n - (size_t)(v + 7 - s));
		return 1;
	}
	return 0;
}

/* a live kernel debugger's stop */
static int line_live_kd(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	builder *b = &st->cur;
	size_t vn;
	const char *v;
	/* a live kernel debugger: "*** Fatal System Error: 0x000000d1", the
	 * arguments "(0x..,0x..,0x..,0x..)" on the same or the next line */
	if ((v = ifind(s, n, "Fatal System Error:"))) {
		const char *p = v + 19;
		size_t k = hex_code_at(&p, s + n);
		if (k) {
			b = bugcheck_for(st, p, k, 1, off0, off1);
			not_prose_only(b);
			if (!set_args_list(b, p + k, n - (size_t)(p + k - s)))
				st->args_next = 1;
			return 1;
		}
	}
	if ((v = field(s, n, "Driver at fault", &vn)) && vn == 0) {
		st->caused_next = 1;
		return 1;
	}
	return 0;
}

/* the bugcheck header "NAME (code)" */
static int line_bugcheck_header(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	builder *b = &st->cur;
	/* bugcheck header "NAME (code)" */
	size_t nl, cl;
	const char *code = NULL;
	const char *hs = s; /* a Markdown heading: "### PAGE_FAULT_IN_NONPAGED_AREA (50)" */
	size_t hn = n;
	while (hn > 1 && hs[0] == '#' && (hs[1] == '#' || hs[1] == ' '))
		hs++, hn--;
	if (hs != s && hn && hs[0] == ' ')
		hs++, hn--;
	if (bc_header(hs, hn, &nl, &code, &cl)) {
		b = bugcheck_for(st, code, cl, 1, off0, off1);
		set_once(&b->a.bugcheck_name, hs, nl);
		not_prose_only(b);
		return 1;
	}
	return 0;
}

/* BugCheck, .bugcheck and Arguments lines */
static int line_bugcheck_command(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	builder *b = &st->cur;
	/* "BugCheck D1, {ffffcf8000000000, 2, 0, fffff80123456789}" */
	if (starts(s, n, "BugCheck ") && memchr(s, '{', n)) {
		const char *p = s + 9;
		size_t k = 0;
		while (9 + k < n && is_hex(p[k]))
			k++;
		if (k && 9 + k < n && p[k] == ',') {
			b = bugcheck_for(st, p, k, 1, off0, off1);
			const char *a = memchr(s, '{', n) + 1;
			for (int i = 0; i < 4; i++) {
				while (*a == ' ')
					a++;
				const char *e = a;
				while (*e && *e != ',' && *e != '}')
					e++;
				set_arg(b, i, a, (size_t)(e - a), NULL, 0);
				if (*e != ',')
					break;
				a = e + 1;
			}
			not_prose_only(b);
			return 1;
		}
	}
	/* .bugcheck: "Bugcheck code 000000D1" then "Arguments 00000000`00000027 ..." */
	if (starts(s, n, "Bugcheck code ")) {
		const char *p = s + 14;
		size_t k = 0;
		while (14 + k < n && is_hex(p[k]))
			k++;
		if (k && 14 + k == n) {
			b = bugcheck_for(st, p, k, 1, off0, off1);
			not_prose_only(b);
			return 1;
		}
	}
	if (starts(s, n, "Arguments ") && b->live && b->a.bugcheck_code && !b->a.args[0]) {
		size_t pos = 10;
		const char *t;
		size_t tn;
		for (int i = 0; i < 4 && next_tok(s, n, &pos, &t, &tn); i++)
			set_arg(b, i, t, tn, NULL, 0);
		return 1;
	}
	return 0;
}

/* one-line summaries: a BlueScreenView row, a code with its arguments */
static int line_summary_row(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	builder *b = &st->cur;
	/* a BlueScreenView row (tab-separated, or a Markdown table): "x.dmp
	 * <time> NAME 0x0000007f A1 A2 A3 A4 x.sys x.sys+ac1e5 ..." */
	{
		ws_span rc, ra[4], rd;
		if (n > 40 && ws_table_row(s, n, &rc, ra, &rd)) {
			b = bugcheck_for(st, rc.p, rc.n, 1, off0, off1);
			for (int i = 0; i < 4; i++)
				set_arg(b, i, ra[i].p, ra[i].n, NULL, 0);
			if (rd.n && module_name_ok(rd.p, rd.n)) {
				module_get(&b->a, rd.p, rd.n);
				set_once(&b->a.caused_by, rd.p, rd.n);
			}
			not_prose_only(b);
			return 1;
		}
	}
	/* a code and its arguments in one line: the event log ("The bugcheck
	 * was: 0x000000d1 (0xa, 0x2, 0x0, 0xfffff8000f10b1a4)"), !mex.di
	 * ("Bugcheck: D1 (a, b, c, d)"), prose ("0x3b (c0000005, ...)") */
	if (memchr(s, '(', n)) {
		ws_span wc, wa[4];
		int na = 0;
		if (ws_code_args(s, n, &wc, wa, &na)) {
			b = bugcheck_for(st, wc.p, wc.n, 1, off0, off1);
			for (int i = 0; i < na; i++)
				set_arg(b, i, wa[i].p, wa[i].n, NULL, 0);
			not_prose_only(b);
			return 1;
		}
	}
	return 0;
}

/* an ArgN: line */
static int line_arg_line(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	builder *b = &st->cur;
	/* Arguments (also without the header a forum renderer dropped) */
	if (n > 6 && starts(s, n, "Arg") && s[3] >= '1' && s[3] <= '4' && s[4] == ':') {
		if (!b->live)
			b = cur(st, off0, off1);
		const char *p = s + 5;
		while (*p == ' ')
			p++;
		const char *e = p;
		while (*e && *e != ',' && *e != ' ')
			e++;
		const char *d = *e == ',' ? e + 1 : e;
		while (e > p + 1 && e[-1] == '.')
			e--; /* "Arg3: 0." */
		while (*d == ' ')
			d++;
		set_arg(b, s[3] - '1', p, (size_t)(e - p), d, n - (size_t)(d - s));
		return 1;
	}
	return 0;
}

/* the fields of !analyze -v */
static int line_analyze_field(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	builder *b = &st->cur;
	size_t vn;
	const char *v;
	/* !analyze -v fields */
	if (n > 3 && isupper((unsigned char)s[0]) && memchr(s, ':', n)) {
		if ((v = field(s, n, "BUGCHECK_CODE", &vn)) || (v = field(s, n, "BUGCHECK_STR", &vn))) {
			const char *p = v;
			size_t k = 0;
			if (vn > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
				p += 2, vn -= 2;
			while (k < vn && is_hex(p[k]))
				k++;
			if (k && k <= 8 && (k == vn || !is_alnum_ascii(p[k]))) {
				char *h = pm_norm_hex(p, k);
				unsigned long long cv = strtoull(h, NULL, 16);
				if (cv >= 0x80000000ULL && !bugcheck_name_of(cv)) {
					/* a user-mode analysis: an exception, not a bugcheck */
					b = cur(st, off0, off1);
					if (!b->a.exception_code) {
						b->a.exception_code = h;
						h = NULL;
					}
				} else if (!b->live || !b->a.bugcheck_code) {
					b = bugcheck_for(st, p, k, 0, off0, off1);
				}
				free(h);
				not_prose_only(b);
			}
			return 1;
		}
		if ((v = field(s, n, "FAILURE_BUCKET_ID", &vn)) || (v = field(s, n, "BUCKET_ID", &vn)) ||
		    (v = field(s, n, "FAILURE_ID_HASH_STRING", &vn))) {
			if (vn) {
				int rank = s[0] == 'B' ? 2 : s[8] == 'B' ? 3 : 1;
				if (rank == 1 && vn > 3 && v[2] == ':')
					v += 3, vn -= 3; /* "km:" */
				b = cur(st, off0, off1);
				set_bucket(b, v, vn, rank);
			}
			return 1;
		}
		if ((v = field(s, n, "Key", &vn))) {
			if (vn == 14 && starts(v, vn, "Failure.Bucket"))
				st->kv_next = KV_BUCKET;
			else if (starts(v, vn, "Bugcheck.Code.KiBugCheckData") || starts(v, vn, "Bugcheck.Code.LegacyAPI"))
				st->kv_next = KV_CODE;
			return 1;
		}
		for (int i = 0; i < 4; i++) {
			char key[32];
			snprintf(key, sizeof key, "BUGCHECK_P%d", i + 1);
			if ((v = field(s, n, key, &vn))) {
				b = cur(st, off0, off1);
				set_arg(b, i, v, vn, NULL, 0);
				return 1;
			}
		}
		struct {
			const char *key;
			size_t off;
		} simple[] = {
			{"PROCESS_NAME", offsetof(pm_analysis, process)},
			{"CURRENT_IRQL", offsetof(pm_analysis, irql)},
			{"DEFAULT_BUCKET_ID", offsetof(pm_analysis, default_bucket)},
			{"BUILD_VERSION_STRING", offsetof(pm_analysis, os_build)},
			{"IMAGE_NAME", offsetof(pm_analysis, image)},
		};
		for (size_t i = 0; i < PMKB_ARRAY_LEN(simple); i++) {
			if ((v = field(s, n, simple[i].key, &vn))) {
				if (vn == 0)
					return 1;
				b = cur(st, off0, off1);
				char **fp = (char **)((char *)&b->a + simple[i].off);
				if (simple[i].off == offsetof(pm_analysis, os_build) && *fp && !strchr(*fp, '.')) {
					free(*fp);
					*fp = NULL;
				}
				/* prose around a quoted field: "PROCESS_NAME:  x.exe." (a
				 * name cut to 14 characters, "syncthing-gtk.", keeps its
				 * dot: WinDbg prints it so) */
				if (simple[i].off != offsetof(pm_analysis, os_build)) {
					if (vn > 1 && v[vn - 1] == ',')
						vn--;
					if (vn > 5 && v[vn - 1] == '.' && v[vn - 5] == '.')
						vn--;
				}
				set_once(fp, v, vn);
				if (simple[i].off == offsetof(pm_analysis, image)) {
					size_t e = 0;
					while (e < vn && v[e] != ' ')
						e++;
					module_get(&b->a, v, e);
				}
				not_prose_only(b);
				return 1;
			}
		}
		if ((v = field(s, n, "OSBUILD", &vn)) || (v = field(s, n, "OS_VERSION", &vn))) {
			if (b->live && vn)
				set_once(&b->a.os_build, v, vn);
			return 1;
		}
		if ((v = field(s, n, "OSPLATFORM_TYPE", &vn))) {
			if (b->live && vn)
				set_once(&b->a.machine, v, vn);
			return 1;
		}
		if ((v = field(s, n, "MODULE_NAME", &vn))) {
			if (vn) {
				b = cur(st, off0, off1);
				size_t e = 0;
				while (e < vn && v[e] != ' ')
					e++;
				module_get(&b->a, v, e);
				set_once(&b->a.module_name, v, e);
				not_prose_only(b);
			}
			return 1;
		}
		if ((v = field(s, n, "EXCEPTION_CODE", &vn)) || (v = field(s, n, "EXCEPTION_CODE_STR", &vn))) {
			const char *x = v;
			const char *end = v + vn;
			if (*x == '(') {
				x = memchr(x, ')', vn);
				x = x ? x + 1 : end;
			}
			while (x < end && *x == ' ')
				x++;
			const char *e = x;
			while (e < end && *e != ' ')
				e++;
			char *h = pm_norm_hex(x, (size_t)(e - x));
			if (h && b->live && !b->a.exception_code)
				b->a.exception_code = h;
			else
				free(h);
			return 1;
		}
		if ((v = field(s, n, "FAULTING_IP", &vn)) || (v = field(s, n, "IP_IN_PAGED_CODE", &vn)) ||
		    (v = field(s, n, "FOLLOWUP_IP", &vn))) {
			int fol = s[0] == 'F' && s[1] == 'O';
			if (vn == 0) {
				st->fip_next = fol ? 2 : 1;
				return 1;
			}
			/* the symbol on the field's own line */
			pm_frame f;
			size_t e = 0;
			while (e < vn && v[e] != ' ')
				e++;
			if (parse_callsite(v, e, &f, NULL, NULL)) {
				if (f.module) {
					b = cur(st, off0, off1);
					set_once(fol ? &b->a.followup_ip : &b->a.fault_ip, v, e);
					not_prose_only(b);
				}
				frame_free(&f);
			}
			return 1;
		}
		if ((v = field(s, n, "ExceptionAddress", &vn))) {
			/* .exr: "ExceptionAddress: fffff806`2921c1f0 (dxgmms2!F+0x184)" */
			const char *lp = memchr(v, '(', vn);
			const char *rp = lp ? memchr(lp, ')', vn - (size_t)(lp - v)) : NULL;
			pm_frame f;
			if (rp && parse_callsite(lp + 1, (size_t)(rp - lp - 1), &f, NULL, NULL)) {
				if (f.module && f.function && strcmp(f.function, "KeBugCheckEx") != 0) {
					b = cur(st, off0, off1);
					set_once(&b->a.fault_ip, lp + 1, (size_t)(rp - lp - 1));
				}
				frame_free(&f);
			}
			return 1;
		}
		if ((v = field(s, n, "SYMBOL_NAME", &vn))) {
			size_t e = 0;
			while (e < vn && v[e] != ' ')
				e++;
			if (e) {
				b = cur(st, off0, off1);
				set_once(&b->a.symbol_name, v, e);
				not_prose_only(b);
			}
			return 1;
		}
		if (((v = field(s, n, "CONTEXT", &vn)) || (v = field(s, n, "TRAP_FRAME", &vn))) && strstr(s, "-- (.")) {
			st->reg_mode = 1;
			return 1;
		}
	}
	return 0;
}

/* WER problem signatures */
static int line_wer(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	builder *b = &st->cur;
	const char *v;
	/* summaries of other tools: BlueScreenView, WER, Application Error */
	if (ifind(s, n, "<Provider ") && ifind(s, n, "Name=\"Application Error\"")) {
		st->evt_xml = 1;
		st->evt_data = 0;
		return 1;
	}
	/* WER: "Problem Event Name: BlueScreen" (any language: "Nome evento:
	 * BlueScreen"); its problem signature's P1 is the code, P2-P5 the
	 * arguments */
	if ((v = ifind(s, n, "BlueScreen")) && memchr(s, ':', (size_t)(v - s)) && n - (size_t)(v - s) == 10) {
		st->wer_bsod = 1;
		return 1;
	}
	if (st->wer_bsod && n > 3 && s[0] == 'P' && s[1] >= '1' && s[1] <= '5' && s[2] == ':') {
		const char *p = s + 3;
		while (*p == ' ')
			p++;
		size_t pn = n - (size_t)(p - s);
		if (pn && all_hex(p, pn)) {
			if (s[1] == '1') {
				b = bugcheck_for(st, p, pn, 0, off0, off1);
				not_prose_only(b);
			} else if (b->live) {
				set_arg(b, s[1] - '2', p, pn, NULL, 0);
			}
		}
		return 1;
	}
	return 0;
}

/* a fault bucket in a line */
static int line_fault_bucket(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	builder *b = &st->cur;
	/* "Fault bucket 0x13A_win32kfull!DesktopAlloc, type 0" (any language),
	 * or a bucket on a line of its own */
	{
		size_t bl = 0;
		const char *bk = NULL;
		for (size_t i = 0; i + 4 < n && !bk; i++) {
			if ((i > 0 && s[i - 1] != ' ') || s[i] != '0' || (s[i + 1] != 'x' && s[i + 1] != 'X'))
				continue;
			size_t e = i;
			while (e < n && s[e] != ' ' && s[e] != ',')
				e++;
			char *tok = xstrndup(s + i, e - i);
			unsigned long long bc;
			if (ws_bucket_code(tok, &bc) && (strchr(tok, '!') || strstr(tok, "_IMAGE_")) &&
			    (i == 0 ? e == n : ifind(s, i, "bucket") != NULL)) {
				bk = s + i;
				bl = e - i;
			}
			free(tok);
		}
		if (bk) {
			b = cur(st, off0, off1);
			set_bucket(b, bk, bl, 2);
			return 1;
		}
	}
	return 0;
}

/* labelled lines of other tools' summaries (any language) */
static int line_labelled(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	builder *b = &st->cur;
	{
		ws_span lv;
		enum ws_role role = ws_labelled(s, n, &lv);
		if (role == WS_NONE && st->evt_xml)
			role = evt_xml_data(st, s, n, &lv);
		unsigned long long code;
		ws_span nm;
		switch (role) {
		case WS_NONE:
			break;
		case WS_WER_CODE:
			if (!st->wer_bsod)
				break;
			/* fall through */
		case WS_CODE: {
			const char *p = lv.p;
			size_t k = hex_code_at(&p, lv.p + lv.n);
			if (k) {
				b = bugcheck_for(st, p, k, 0, off0, off1);
				not_prose_only(b);
				return 1;
			}
			if (ws_bugcheck_name(lv.p, lv.n, &code, &nm)) {
				char hx[24];
				snprintf(hx, sizeof hx, "%llx", code);
				b = bugcheck_for(st, hx, strlen(hx), 0, off0, off1);
				set_once(&b->a.bugcheck_name, nm.p, nm.n);
				not_prose_only(b);
				return 1;
			}
			break;
		}
		case WS_NAME:
			/* the name; its code when the summary prints none (finish) */
			if (ws_bugcheck_name(lv.p, lv.n, &code, &nm)) {
				b = cur(st, off0, off1);
				set_once(&b->a.bugcheck_name, nm.p, nm.n);
				not_prose_only(b);
				return 1;
			}
			break;
		case WS_P1:
		case WS_P2:
		case WS_P3:
		case WS_P4:
			if (b->live || st->wer_bsod) {
				b = cur(st, off0, off1);
				set_arg(b, (int)(role - WS_P1), lv.p, lv.n, NULL, 0);
				return 1;
			}
			break;
		case WS_CAUSED_BY:
		case WS_FAULT_MODULE:
			if (module_name_ok(lv.p, lv.n) && !(lv.n == 7 && ieq_n(lv.p, "unknown", 7))) {
				const char *p = lv.p;
				size_t pn = lv.n;
				for (size_t i = 0; i < pn; i++)
					if (p[i] == '\\' || p[i] == '/')
						p = lv.p + i + 1, pn = lv.n - i - 1;
				b = cur(st, off0, off1);
				module_get(&b->a, p, pn);
				set_once(&b->a.caused_by, p, pn);
				not_prose_only(b);
				return 1;
			}
			if (memchr(lv.p, '\\', lv.n)) {
				/* "Module = C:\Windows\SysWOW64\ntdll.dll" */
				const char *p = lv.p + lv.n;
				while (p > lv.p && p[-1] != '\\')
					p--;
				size_t pn = (size_t)(lv.p + lv.n - p);
				if (module_name_ok(p, pn)) {
					b = cur(st, off0, off1);
					module_get(&b->a, p, pn);
					set_once(&b->a.caused_by, p, pn);
					return 1;
				}
			}
			break;
		case WS_PROCESS:
			if (lv.n > 4 && ieq_n(lv.p + lv.n - 4, ".exe", 4)) {
				b = cur(st, off0, off1);
				set_once(&b->a.process, lv.p, lv.n);
				return 1;
			}
			break;
		case WS_EXCEPTION: {
			char *h = pm_norm_hex(lv.p, lv.n);
			if (h && strlen(h) > 2 && strlen(h) <= 10) {
				b = cur(st, off0, off1);
				if (!b->a.exception_code) {
					b->a.exception_code = h;
					h = NULL;
				}
				free(h);
				return 1;
			}
			free(h);
			break;
		}
		case WS_BUCKET:
			b = cur(st, off0, off1);
			set_bucket(b, lv.p, lv.n, 2);
			return 1;
		case WS_DUMP:
			if (lv.n > 4 && ieq_n(lv.p + lv.n - 4, ".dmp", 4)) {
				/* a new block of a summary of several dumps */
				b = st->cur.live ? start_new(st, off0, off1) : cur(st, off0, off1);
				set_once(&b->a.dump_name, lv.p, lv.n);
				return 1;
			}
			break;
		}
	}
	return 0;
}

/* the current instruction's label */
static int line_current_label(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	(void)off0;
	(void)off1;
	builder *b = &st->cur;
	/* the current instruction's label in a live session or after .trap
	 * ("mapDriver!__security_init_cookie+0x2d:"): where it stopped, unless
	 * it is the kernel's own break or bugcheck code */
	if (b->live && !b->a.fault_ip && n > 3 && s[n - 1] == ':' && !memchr(s, ' ', n) && memchr(s, '!', n)) {
		pm_frame f;
		if (parse_callsite(s, n - 1, &f, NULL, NULL)) {
			size_t ml = f.module ? strlen(f.module) : 0;
			int kernel = (ml == 2 && ieq_n(f.module, "nt", 2)) || (ml == 3 && ieq_n(f.module, "hal", 3)) ||
				     istarts(f.module, ml, "ntkrnl") || istarts(f.module, ml, "ntoskrnl");
			if (f.module && f.function && !kernel)
				set_once(&b->a.fault_ip, s, n - 1);
			frame_free(&f);
			return 1;
		}
	}
	return 0;
}

/* debugger warnings that name an image */
static int line_warnings(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	builder *b = &st->cur;
	/* "*** WARNING: Unable to verify timestamp for npf.sys" */
	if (starts(s, n, "*** WARNING: Unable to verify timestamp for ") || starts(s, n, "*** WARNING: Unable to verify checksum for ")) {
		size_t pl = s[35] == 't' ? 44 : 43; /* "timestamp for " / "checksum for " */
		const char *p = s + pl;
		size_t pn = n - pl;
		while (pn && p[pn - 1] == ' ')
			pn--;
		if (pn) {
			b = cur(st, off0, off1);
			module_get(&b->a, p, pn);
			add_warned(&b->a, p, pn);
		}
		return 1;
	}
	/* "***** Kernel symbols are WRONG. Please fix symbols to do analysis." */
	if (ifind(s, n, "symbols are WRONG")) {
		b = cur(st, off0, off1);
		add_listed(&b->a.unreliable, "nt", 2);
		return 1;
	}
	/* other debugger warnings that name an image */
	{
		static const char *const warn[] = {"symbols could not be loaded for ", "Defaulted to export symbols for ",
			"Symbol file could not be found. Defaulted to export symbols for ", "Unable to load image "};
		for (size_t w = 0; w < PMKB_ARRAY_LEN(warn); w++) {
			const char *p = ifind(s, n, warn[w]);
			if (!p)
				continue;
			p += strlen(warn[w]);
			size_t pn = strcspn(p, " ,");
			while (pn && (p[pn - 1] == '-' || p[pn - 1] == '.'))
				pn--;
			for (size_t i = 0; i < pn; i++)
				if (p[i] == '\\' || p[i] == '/') {
					p += i + 1;
					pn -= i + 1;
					i = (size_t)-1;
				}
			if (pn && module_name_ok(p, pn)) {
				b = cur(st, off0, off1);
				module_get(&b->a, p, pn);
				add_warned(&b->a, p, pn);
				/* export symbols: the function names of its frames are
				 * the nearest export, not the code that ran */
				if (warn[w][0] == 'D' || warn[w][0] == 'S')
					add_listed(&b->a.unreliable, p, pn);
			}
			return 1;
		}
	}
	return 0;
}

/* "Probably caused by" */
static int line_probably_caused(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	builder *b = &st->cur;
	const char *v;
	if ((v = ifind(s, n, "Probably caused by"))) {
		const char *p = strchr(v, ':');
		if (p) {
			p++;
			while (*p == ' ')
				p++;
			const char *e = p;
			while (*e && *e != ' ' && *e != '(')
				e++;
			if (e > p) {
				b = cur(st, off0, off1);
				module_get(&b->a, p, (size_t)(e - p));
				/* "x.sys ( x!F+4a )" whole: the symbol names the function */
				const char *end = s + n;
				while (end > e && (end[-1] == '`' || end[-1] == ' '))
					end--;
				set_once(&b->a.caused_by, p, (size_t)(end - p));
				not_prose_only(b);
			}
		}
		return 1;
	}
	return 0;
}

/* a dump named in prose */
static int line_prose_dump(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	/* dump named in prose: "liyue-hwclient.DMP：" */
	if (n > 5 && n < 300) {
		size_t e = n;
		if (e >= 3 && starts(s + e - 3, 3, "："))
			e -= 3;
		else if (s[e - 1] == ':')
			e--;
		if (e < n && e > 4 && ieq_n(s + e - 4, ".dmp", 4)) {
			builder *nb = st->cur.live ? start_new(st, off0, off1) : cur(st, off0, off1);
			set_once(&nb->a.dump_name, s, e);
			return 1;
		}
	}
	return 0;
}

/* locals the text marks */
static int line_prose_locals(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	(void)off0;
	(void)off1;
	builder *b = &st->cur;
	/* locals the text marks: "pTOS : 0x... //this was Null when ..." */
	{
		const char *cm = NULL;
		for (size_t i = 1; i + 1 < n; i++)
			if (s[i] == '/' && s[i + 1] == '/' && s[i - 1] != ':' && s[i - 1] != '/') {
				cm = s + i;
				break;
			}
		if (cm && b->live) {
			size_t before = (size_t)(cm - s);
			const char *sep = NULL;
			for (size_t i = 0; i < before; i++)
				if ((s[i] == ':' || s[i] == '=') && i > 0 && s[i - 1] == ' ') {
					sep = s + i;
					break;
				}
			if (sep) {
				const char *ne = sep - 1;
				while (ne > s && ne[-1] == ' ')
					ne--;
				const char *nb = ne;
				while (nb > s && (is_alnum_ascii(nb[-1]) || nb[-1] == '_'))
					nb--;
				const char *vb = sep + 1;
				while (vb < cm && *vb == ' ')
					vb++;
				const char *ve = vb;
				while (ve < cm && *ve != ' ' && *ve != '/')
					ve++;
				const char *cb = cm + 2;
				size_t cl2 = n - (size_t)(cb - s);
				if (ne > nb && ve > vb)
					add_local(&b->a, nb, (size_t)(ne - nb), vb, (size_t)(ve - vb), cb, cl2);
			}
		}
	}
	return 0;
}

/* a pool tag tied to a driver in prose */
static int line_prose_pool_tag(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	/* a pool tag tied to a driver in prose: "tag为Filt的block，即vwifimf.sys" */
	if (ifind(s, n, "tag") && ifind(s, n, ".sys")) {
		for (const char *q = s; (q = ifind(q, n - (size_t)(q - s), "tag")) != NULL; q += 3) {
			if (q > s && is_alnum_ascii(q[-1]))
				continue;
			const char *r = q + 3;
			const char *e = s + n;
			for (int k = 0; k < 4 && r < e; k++) {
				if (*r == ' ' || *r == ':' || *r == '\'')
					r++;
				else if (starts(r, (size_t)(e - r), "为") || starts(r, (size_t)(e - r), "是"))
					r += 3;
				else
					break;
			}
			size_t tl = 0;
			while (r + tl < e && is_alnum_ascii(r[tl]) && tl < 5)
				tl++;
			if (tl < 3 || tl > 4 || (r + tl < e && is_alnum_ascii(r[tl])))
				continue;
			const char *x = ifind(r + tl, (size_t)(e - r - tl), ".sys");
			if (!x)
				break;
			const char *nb2 = x;
			while (nb2 > r + tl && (is_alnum_ascii(nb2[-1]) || nb2[-1] == '_' || nb2[-1] == '-'))
				nb2--;
			if (nb2 == x)
				break;
			builder *tb = cur(st, off0, off1);
			pm_pooltag *pt = tag_get(&tb->a, r, tl, 0);
			if (pt && !pt->owner)
				pt->owner = xstrndup(nb2, (size_t)(x + 4 - nb2));
			break;
		}
	}
	return 0;
}

/* prose: drivers, the process name and a bugcheck it names */
static int line_prose(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	const char *v;
	const char *code = NULL;
	size_t cl = 0;
	/* driver files the prose names: the culprit of last resort */
	collect_prose_sys(st, s, n);
	/* "the process name was AdguardSvc.exe", "`PROCESS_NAME` is `x.exe`" */
	if (!st->prose_process[0] && ((v = ifind(s, n, "process name")) || (v = ifind(s, n, "process_name")))) {
		const char *p = v + 12, *e = s + n;
		for (int r = 0; r < 4 && p < e; r++) {
			while (p < e && (*p == ' ' || *p == '`' || *p == ':' || *p == '*'))
				p++;
			if (e - p > 3 && istarts(p, (size_t)(e - p), "was "))
				p += 4;
			else if (e - p > 2 && istarts(p, (size_t)(e - p), "is "))
				p += 3;
			else
				break;
		}
		size_t l = 0;
		while (p + l < e && (is_alnum_ascii(p[l]) || p[l] == '_' || p[l] == '-' || p[l] == '.' || p[l] == '+'))
			l++;
		while (l && p[l - 1] == '.')
			l--;
		if (l > 4 && l < sizeof st->prose_process && ieq_n(p + l - 4, ".exe", 4)) {
			memcpy(st->prose_process, p, l);
			st->prose_process[l] = 0;
		}
	}

	/* bugcheck named in prose: by code, or by its name alone
	 * ("the stop code is KMODE EXCEPTION NOT HANDLED") */
	char namehex[24];
	ws_span pname = {NULL, 0};
	int by_code = prose_bugcheck(s, n, &code, &cl) || prose_stop_code(s, n, &code, &cl);
	unsigned long long ncode = 0;
	int by_name = ws_bugcheck_name(s, n, &ncode, &pname);
	if (!by_code && by_name) {
		snprintf(namehex, sizeof namehex, "%llx", ncode);
		code = namehex;
		cl = strlen(namehex);
	}
	if (by_code || by_name) {
		builder *cb = &st->cur;
		if (cb->live && cb->a.bugcheck_code && !code_eq(cb, code, cl)) {
			/* prose after a complete analysis (its arguments and a
			 * stack) explains it, it does not start another: docs
			 * pages name related bugchecks after the analysis */
			if (cb->a.args[0] && cb->a.nframes >= 2)
				return 1;
			cb = start_new(st, off0, off1);
		}
		int fresh = !cb->live;
		cb = cur(st, off0, off1);
		if (by_name && !cb->a.bugcheck_name) {
			char hx[24];
			snprintf(hx, sizeof hx, "%llx", ncode);
			if (!cb->a.bugcheck_code || code_eq(cb, hx, strlen(hx)) || !by_code)
				set_once(&cb->a.bugcheck_name, pname.p, pname.n);
		}
		if (!cb->a.bugcheck_code) {
			set_code(cb, code, cl);
			if (fresh || (!cb->a.dump_name && !cb->a.nframes && !cb->a.nmodules && !cb->a.npool_tags &&
				      !cb->a.registers && !cb->a.args[0])) {
				cb->prose_only = 1;
				cb->prose_line = st->lineno;
				cb->listy = st->last_drop_line > 0 && st->lineno - st->last_drop_line <= PROSE_LIST_GAP;
			}
		}
		return 1;
	}
	return 0;
}

/* What a line of text can be, in the order they are tried; the first that
 * takes the line ends its reading. The order matters: the lines a previous
 * one holds or announces, commands and boundaries first, then the blocks
 * in progress (stack, registers, lm, pool, tables), then line shapes
 * (bugcheck header, fields, summaries of other tools, warnings), prose
 * last. */
typedef int (*line_reader)(state *st, const char *s, size_t n, size_t off0, size_t off1);
static const line_reader line_readers[] = {
	line_cut_row,
	line_wrapped,
	line_pending,
	line_command,
	line_mail_boundary,
	line_banner,
	line_stack,
	line_registers,
	line_fault_ip_value,
	line_process_row,
	line_lm,
	line_pool,
	line_tag_table,
	line_process_table,
	line_live_kd,
	line_bugcheck_header,
	line_bugcheck_command,
	line_summary_row,
	line_arg_line,
	line_analyze_field,
	line_wer,
	line_fault_bucket,
	line_labelled,
	line_current_label,
	line_warnings,
	line_probably_caused,
	line_prose_dump,
	line_prose_locals,
	line_prose_pool_tag,
	line_prose,
};

static void handle_line(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	st->lineno++;
	if (n == 0)
		return;
	dis_record(st, s, n);
	for (size_t i = 0; i < PMKB_ARRAY_LEN(line_readers); i++)
		if (line_readers[i](st, s, n, off0, off1))
			return;
}

/* ------------------------------------------------------------------ */
/* normalisation of raw lines */

static int detect_html(const char *t, size_t n)
{
	/* one pass over the text (it was eight ifind scans of every body):
	 * each mark starts with '&' or '<', which have no case */
	static const char *const amp[] = {"&gt;", "&lt;", "&nbsp;", "&amp;"};
	static const char *const lt[] = {"<br", "</p>", "</div>", "</td>"};
	const char *z = t + n;
	for (const char *p = t; p < z; p++) {
		if (*p != '&' && *p != '<')
			continue;
		const char *const *marks = *p == '&' ? amp : lt;
		for (size_t k = 0; k < 4; k++) {
			size_t m = strlen(marks[k]);
			if ((size_t)(z - p) >= m && ieq_n(p, marks[k], m))
				return 1;
		}
	}
	return 0;
}

/* HTML tag at t (t[0] == '<'): its length when it is a formatting tag we
 * drop, 0 otherwise (so "<mailto:x>" and "<unavailable>" stay). *brk is set
 * for tags that end a line. */
static size_t html_tag(const char *t, size_t n, int *brk)
{
	static const char *tags[] = {"br", "p", "div", "span", "font", "pre", "code", "b", "i", "u", "strong",
		"em", "html", "body", "head", "a", "table", "td", "tr", "th", "tbody", "blockquote", "li", "ul", "ol",
		"hr", "img", "meta", "o:p", "tt", "small", "big", "sup", "sub", "h1", "h2", "h3", "h4", "title"};
	size_t i = 1;
	if (i < n && t[i] == '/')
		i++;
	size_t j = i;
	while (j < n && (isalnum((unsigned char)t[j]) || t[j] == ':'))
		j++;
	if (j == i || j >= n || !(t[j] == '>' || t[j] == ' ' || t[j] == '/'))
		return 0;
	int known = 0;
	for (size_t k = 0; k < PMKB_ARRAY_LEN(tags); k++)
		if (strlen(tags[k]) == j - i && ieq_n(t + i, tags[k], j - i)) {
			known = 1;
			break;
		}
	if (!known)
		return 0;
	size_t e = j;
	while (e < n && e < 2048 && t[e] != '>' && t[e] != '\n')
		e++;
	if (e >= n || t[e] != '>')
		return 0;
	*brk = (j - i == 2 && (ieq_n(t + i, "br", 2) || ieq_n(t + i, "tr", 2) || ieq_n(t + i, "li", 2))) ||
	       (j - i == 1 && ieq_n(t + i, "p", 1)) || (j - i == 3 && ieq_n(t + i, "div", 3));
	return e + 1;
}

/* HTML entity at t (t[0] == '&'): appends its UTF-8 to out, returns length. */
static size_t html_entity(const char *t, size_t n, sbuf *out)
{
	static const struct {
		const char *e;
		const char *v;
	} ents[] = {{"&gt;", ">"}, {"&lt;", "<"}, {"&amp;", "&"}, {"&nbsp;", " "}, {"&quot;", "\""},
		    {"&apos;", "'"}, {"&#39;", "'"}, {"&#96;", "`"}, {"&#x27;", "'"}, {"&#32;", " "}};
	for (size_t k = 0; k < PMKB_ARRAY_LEN(ents); k++) {
		size_t m = strlen(ents[k].e);
		if (n >= m && ieq_n(t, ents[k].e, m)) {
			sb_adds(out, ents[k].v);
			return m;
		}
	}
	return 0;
}

/* Is t[0..n) an !analyze field key such as "BUGCHECK_CODE:" or "STACK_TEXT:"? */
static int is_field_key(const char *t, size_t n)
{
	if (n < 5 || t[n - 1] != ':' || !isupper((unsigned char)t[0]))
		return 0;
	int us = 0;
	for (size_t i = 0; i + 1 < n; i++) {
		if (t[i] == '_')
			us = 1;
		else if (!isupper((unsigned char)t[i]) && !isdigit((unsigned char)t[i]))
			return 0;
	}
	return us;
}

/* Does a short line hold two field keys ("PROCESS_NAME: System
 * IMAGE_NAME: acme.sys", "Arg1: 27 Arg2: 2")? A page that collapsed the
 * analysis onto lines of 100-160 bytes joins them too. */
static int two_keys(const char *s, size_t n)
{
	size_t pos = 0;
	const char *t;
	size_t tn;
	int keys = 0;
	while (next_tok(s, n, &pos, &t, &tn))
		if (is_field_key(t, tn) || (tn == 5 && starts(t, tn, "Arg") && t[3] >= '1' && t[3] <= '4' && t[4] == ':'))
			if (++keys == 2)
				return 1;
	return 0;
}

/* Some forums and mail clients join a whole analysis into one line. A long
 * line is cut again before each field key ("BUGCHECK_P1:", "STACK_TEXT:"),
 * each "ArgN:", and each kv stack row (two address columns then ':' after a
 * call site); every piece is handled as a line of its own. */
static void handle_joined(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	size_t start = 0, pos = 0, prev_b = 0, prev_e = 0;
	int have_prev = 0;
	const char *t;
	size_t tn;
	while (next_tok(s, n, &pos, &t, &tn)) {
		size_t tb = (size_t)(t - s);
		int cut = 0;
		if (have_prev && tb > start) {
			if (is_field_key(t, tn) || (tn == 5 && starts(t, tn, "Arg") && t[3] >= '1' && t[3] <= '4' && t[4] == ':'))
				cut = 1;
			else if (is_addr(t, tn)) {
				size_t p2 = pos;
				const char *u, *w;
				size_t un, wn;
				const char *pv = s + prev_b;
				size_t pvn = prev_e - prev_b;
				if (next_tok(s, n, &p2, &u, &un) && is_addr(u, un) && next_tok(s, n, &p2, &w, &wn) && wn == 1 &&
				    w[0] == ':' && !(pvn == 1 && pv[0] == ':') && !is_addr(pv, pvn))
					cut = 1;
			}
		}
		if (cut) {
			/* the handlers read lines as NUL-terminated strings */
			sb_reset(&st->piece);
			sb_add(&st->piece, s + start, tb - 1 - start);
			handle_line(st, st->piece.buf, st->piece.len, off0, off1);
			start = tb;
		}
		prev_b = tb;
		prev_e = tb + tn;
		have_prev = 1;
	}
	handle_line(st, s + start, n - start, off0, off1); /* the tail ends where s does */
}

/* Normalise one raw line and hand it to the state machine. */
static void emit_line(state *st, const char *raw, size_t rn, size_t off0, size_t off1, int html)
{
	sbuf *o = &st->line;
	sb_reset(o);
	if (rn > MAX_LINE)
		rn = MAX_LINE;
	int space = 1; /* drop leading spaces */
	for (size_t i = 0; i < rn; i++) {
		unsigned char c = (unsigned char)raw[i];
		if (html && c == '&') {
			size_t before = o->len;
			size_t m = html_entity(raw + i, rn - i, o);
			if (m) {
				if (o->len == before + 1 && o->buf[before] == ' ') {
					o->len = before;
					o->buf[o->len] = 0;
					if (!space)
						sb_addc(o, ' ');
					space = 1;
				} else
					space = 0;
				i += m - 1;
				continue;
			}
		}
		if (html && c == '<') {
			int brk = 0;
			size_t m = html_tag(raw + i, rn - i, &brk);
			if (m) {
				/* table cells are separated, as their columns were */
				const char *tg = raw + i + 1 + (raw[i + 1] == '/');
				if (m >= 4 && (istarts(tg, 2, "td") || istarts(tg, 2, "th")) && !space) {
					sb_addc(o, ' ');
					space = 1;
				}
				i += m - 1;
				continue;
			}
		}
		if (c == '\\' && i + 1 < rn && raw[i + 1] == '`') {
			continue; /* markdown escapes backticks: "ffffd001\`528e3fb0" */
		}
		if (c == 0xC2 && i + 1 < rn && (unsigned char)raw[i + 1] == 0xA0) {
			c = ' ';
			i++;
		} else if (c == 0xE3 && i + 2 < rn && (unsigned char)raw[i + 1] == 0x80 && (unsigned char)raw[i + 2] == 0x80) {
			c = ' ';
			i += 2;
		}
		if (c == '\t' || c == '\v' || c == '\f' || c == '\0' || c == '\r')
			c = ' ';
		if (c == ' ') {
			if (!space)
				sb_addc(o, ' ');
			space = 1;
			continue;
		}
		space = 0;
		sb_addc(o, (char)c);
	}
	while (o->len && o->buf[o->len - 1] == ' ')
		o->buf[--o->len] = 0;
	const char *s = sb_str(o);
	size_t n = o->len;
	/* mail quote markers "> " and "| ", a Markdown fence glued to the line */
	while (n >= 2 && (s[0] == '>' || s[0] == '|') && s[1] == ' ')
		s += 2, n -= 2;
	if (n >= 3 && s[0] == '`' && s[1] == '`' && s[2] == '`') {
		s += 3, n -= 3;
		while (n && s[0] == ' ')
			s++, n--;
	}
	while (n >= 3 && s[n - 1] == '`' && s[n - 2] == '`' && s[n - 3] == '`') {
		n -= 3;
		while (n && s[n - 1] == ' ')
			n--;
	}
	/* a line in inline-code backticks ("`SYMBOL_NAME:  x!F+248`") */
	if (n >= 2 && s[0] == '`' && s[1] != '`') {
		s++, n--;
		if (n && s[n - 1] == '`')
			n--;
		while (n && s[0] == ' ')
			s++, n--;
	}
	/* a Markdown bullet before a field ("- Arg1: 2000", "* Stop code: ...") */
	if (n >= 3 && (s[0] == '-' || s[0] == '*') && s[1] == ' ' && isalpha((unsigned char)s[2]))
		s += 2, n -= 2;
	if (n == 1 && s[0] == '>')
		n = 0;
	if (n > 160 || two_keys(s, n))
		handle_joined(st, s, n, off0, off1);
	else
		handle_line(st, s, n, off0, off1);
}

size_t windbg_extract(const char *text, size_t len, int message, pm_case *c)
{
	if (!text || !c)
		return 0;
	state st;
	memset(&st, 0, sizeof st);
	st.c = c;
	st.message = message;
	st.stack_expect = -1;
	st.last_marker_line = -1;
	st.no_stack_line = -1;
	st.last_drop_line = -100;
	int html = detect_html(text, len);
	size_t i = 0, ls = 0;
	while (i <= len) {
		int end = 0;
		size_t skip = 0;
		if (i == len)
			end = 1;
		else if (text[i] == '\n')
			end = 1, skip = 1;
		else if (text[i] == '\r')
			end = 1, skip = (i + 1 < len && text[i + 1] == '\n') ? 2 : 1;
		else if (html && text[i] == '<') {
			int brk = 0;
			size_t m = html_tag(text + i, len - i, &brk);
			if (m && brk)
				end = 1, skip = m;
		}
		if (end) {
			if (i > ls || i < len)
				emit_line(&st, text + ls, i - ls, ls, i, html);
			if (i == len)
				break;
			i += skip;
			ls = i;
			continue;
		}
		i++;
	}
	if (st.wrapped.len) {
		/* the text ended inside the list: read what there is */
		sbuf w = st.wrapped;
		memset(&st.wrapped, 0, sizeof st.wrapped);
		st.unwrapping = 1;
		handle_line(&st, w.buf, w.len, st.wrapped_off0, len);
		sb_free(&w);
	}
	if (st.in_stack)
		stack_commit(&st);
	finish(&st);
	stk_clear(&st);
	sb_free(&st.wrapped);
	free(st.stk);
	sb_free(&st.partial);
	frame_free(&st.bare);
	sb_free(&st.prose_sys);
	sb_free(&st.line);
	sb_free(&st.piece);
	return st.added;
}

/* ------------------------------------------------------------------ */

int windbg_read_case(const char *name, const char *buf, size_t len, pm_case **out, char *err, size_t errsz)
{
	*out = NULL;
	if (!buf || len == 0) {
		snprintf(err, errsz, "empty file");
		return -1;
	}
	/* binary data (charset.h's test); UTF-16 has been decoded by the input
	 * reader (import/input.h) before it comes here */
	if (charset_looks_binary(buf, len)) {
		snprintf(err, errsz, "binary data, not WinDbg text");
		return -1;
	}
	size_t tl = 0;
	char *text = charset_text_to_utf8(buf, len, &tl, NULL);
	size_t k = 0;
	while (k < tl && isspace((unsigned char)text[k]))
		k++;
	if (k == tl) {
		free(text);
		snprintf(err, errsz, "empty file");
		return -1;
	}
	pm_case *c = pm_case_new();
	c->id = path_stem(name ? name : "windbg");
	c->format = xstrdup("windbg");
	c->source = xstrdup(name ? name : "-");
	/* bodies are stored redacted (personal data in pasted mails); the
	 * analyses are read from the stored body so that spans point into it */
	pm_message *m = pm_case_add_message(c);
	m->body = redact_text(text, &c->redactions);
	free(text);
	windbg_extract(m->body, strlen(m->body), 0, c);
	*out = c;
	return 0;
}
