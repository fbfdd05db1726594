/* windbg-lines.c - what one line of WinDbg text (or of a mail or a post
 * around it) is: an ordered table of line readers, each taking the line
 * or leaving it to the next (docs/windbg-reader.md). */
#include "windbg-int.h"
#include "bugcheck-names.h"
#include "mail-quote.h"
#include "../util/charset.h"
#include "../util/norm.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		int rc = wb_parse_row(j.buf, j.len, &r, wb_null_param_cb, st);
		if (rc == ROW_OK) {
			wb_stack_add(st, &r, p0, off1);
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
		wb_handle_line(st, w.buf, w.len, st->wrapped_off0, off0);
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
		wb_handle_line(st, j.buf, j.len, w0, off1);
		sb_free(&j);
		return 1;
	}
	if (!st->in_stack && n < 512 && !st->unwrapping) {
		int w = wb_wrapped_code_args(s, n);
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
	/* "ArgN:" with its value on a line of its own (a page that broke the
	 * line): the value */
	if (st->pend_arg && n) {
		int k = st->pend_arg;
		st->pend_arg = 0;
		size_t hn = 0;
		while (hn < n && (is_hex(s[hn]) || s[hn] == '`'))
			hn++;
		if (st->lineno - st->pend_arg_line <= 3 && hn && (hn == n || s[hn] == ' ' || s[hn] == ',') &&
		    st->cur.live) {
			wb_set_arg(&st->cur, k - 1, s, hn, NULL, 0);
			return 1;
		}
	}
	/* the second line of a live debugger's banner */
	if (st->args_next) {
		st->args_next = 0;
		if (s[0] == '(' && st->cur.live && wb_set_args_list(&st->cur, s, n))
			return 1;
	}
	if (st->caused_next) {
		st->caused_next = 0;
		const char *p = s;
		while (*p == '*' || *p == ' ')
			p++;
		size_t e = strcspn(p, " ,");
		if (e && st->cur.live && wb_module_name_ok(p, e)) {
			wb_module_get(&st->cur.a, p, e);
			wb_set_once(&st->cur.a.caused_by, p, e);
			return 1;
		}
	}
	/* a bugcheck name alone on its line, then its four arguments, each a
	 * bare "0x..." on a line of its own (a stop screen retyped):
	 * "SYSTEM_SERVICE_EXCEPTION" / "0x00000000C0000005" / ... */
	if (st->name_line && st->lineno - st->name_line <= 2 && st->name_args < 4 && st->cur.live && n > 2 && n <= 18 &&
	    s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		size_t hn = 2;
		while (hn < n && is_hex(s[hn]))
			hn++;
		if (hn == n && hn > 2 && hn - 2 <= 16) {
			/* the code itself before them: not an argument */
			if (st->name_args == 0 && wb_code_eq(&st->cur, s, n) && !st->cur.a.args[0]) {
				st->name_line = st->lineno;
				return 1;
			}
			if (!st->cur.a.args[st->name_args]) {
				wb_set_arg(&st->cur, st->name_args, s, n, NULL, 0);
				st->name_args++;
				st->name_line = st->lineno;
				return 1;
			}
		}
	}
	if (st->name_line && st->lineno - st->name_line > 2)
		st->name_line = 0;
	/* a driver's label alone on its line ("Source du crash"), its value
	 * a module or an address in one ("ntoskrnl.exe+1B1040", which the
	 * stack reader would take for a frame): the file, not the next label */
	if (st->pend_label[0] && st->lineno - st->pend_line <= 3 &&
	    ws_label_alone(st->pend_label, strlen(st->pend_label)) == WS_CAUSED_BY) {
		if (memchr(s, ' ', n) || !memchr(s, '.', n)) {
			st->pend_label[0] = 0;
			return 0;
		}
		st->pend_label[0] = 0;
		ws_span lv = {s, n};
		return wb_labelled_value(st, WS_CAUSED_BY, lv, off0, off1);
	}
	/* the bucket a sentence announced, alone on one of the next three
	 * lines ("The failure bucket is also consistently:" / "AV_NETIO!Fe
	 * ApplyModifiedLayerData") */
	if (st->bucket_said && st->lineno - st->bucket_said <= 3 && n >= 6 && n <= 200 && !memchr(s, ' ', n) &&
	    memchr(s, '_', n) && (memchr(s, '!', n) || memchr(s, '+', n)) && isalnum((unsigned char)s[0])) {
		st->bucket_said = 0;
		builder *b = wb_cur(st, off0, off1);
		wb_set_bucket(b, s, n, 2);
		return 1;
	}
	if (st->kv_next) {
		int kv = st->kv_next;
		st->kv_next = KV_NONE;
		size_t kvn;
		const char *kvv = wb_field(s, n, "Value", &kvn);
		if (kvv && kvn) {
			builder *kb = wb_cur(st, off0, off1);
			if (kv == KV_BUCKET)
				wb_set_bucket(kb, kvv, kvn, 2);
			else if (!kb->a.bugcheck_code) {
				const char *q = kvv;
				size_t k = wb_hex_code_at(&q, kvv + kvn);
				if (k)
					wb_set_code(kb, q, k);
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
	const char *c = wb_command(s, n, &cn);
	if (c) {
		wb_handle_command(st, c, cn, off0);
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
			wb_stack_commit(st);
		wb_finish(st);
		st->lm_mode = st->pool_mode = st->reg_mode = st->tag_table = st->proc_next = st->fip_next = 0;
		st->wer_bsod = st->kv_next = st->evt_xml = st->wer_app = st->wer_inline = st->kp_event = st->bp_crashed = 0;
		st->tag_pending[0] = st->wer_sig[0] = 0;
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
	const char *ba = wb_ifind(s, n, "Bugcheck Analysis");
	if (ba) {
		/* the banner, not a sentence that names it ("will find the
		 * Bugcheck Analysis that mentions \"Caused by : icardd.dll\""):
		 * little else than stars around it */
		size_t words = 0;
		for (size_t i = 0; i < n; i++)
			if ((s + i < ba || s + i >= ba + 17) && isalnum((unsigned char)s[i]))
				words++;
		if (words > 12)
			ba = NULL;
	}
	if (ba || wb_starts(s, n, "Bugcheck details") || wb_starts(s, n, "Crashing Stack")) {
		if (st->in_stack)
			wb_stack_commit(st);
		st->last_marker_line = st->lineno;
		st->last_marker_off = off0;
		return 1;
	}
	return 0;
}

/* A .NET exception stack's frame, "   at Ns.Type.Method(Type arg) in
 * C:\src\x.cs:line 12": a frame of a managed module, named by the root
 * namespace ("System", "Microsoft", "PowerLauncher"), the rest of the
 * name its function ("Threading.Tasks.Task.ExecuteWithThreadLocal"). The
 * name needs two dots and its argument list; "--- End of stack trace from
 * previous location ---" between two frames keeps the stack going. */
static int line_dotnet_frame(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	const char *p = s, *e = s + n;
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (st->in_stack && st->dotnet_line && st->lineno - st->dotnet_line <= 2 && e - p > 10 &&
	    wb_starts(p, (size_t)(e - p), "--- End of ")) {
		st->dotnet_line = st->lineno;
		return 1;
	}
	if (e - p < 8 || !wb_starts(p, (size_t)(e - p), "at ") || !(isalpha((unsigned char)p[3]) || p[3] == '_'))
		return 0;
	p += 3;
	const char *nm = p;
	size_t dots = 0;
	for (; p < e && *p != '('; p++) {
		if (*p == '.')
			dots++;
		else if (!is_alnum_ascii(*p) && !(*p && strchr("_`<>+$[],", *p)))
			return 0;
	}
	if (p >= e || dots < 2 || p[-1] == '.')
		return 0;
	const char *rp = memchr(p, ')', (size_t)(e - p));
	if (!rp)
		return 0;
	const char *after = rp + 1;
	while (after < e && *after == ' ')
		after++;
	if (after < e && !wb_starts(after, (size_t)(e - after), "in "))
		return 0;
	const char *dot = memchr(nm, '.', (size_t)(p - nm));
	if (dot == nm)
		return 0;
	row r;
	memset(&r, 0, sizeof r);
	r.f.module = xstrndup(nm, (size_t)(dot - nm));
	r.f.function = xstrndup(dot + 1, (size_t)(p - dot - 1));
	wb_stack_add(st, &r, off0, off1);
	st->dotnet_line = st->lineno;
	return 1;
}

/* a stack row or a stack header */
static int line_stack(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	int done = 0;
	wb_handle_row_line(st, s, n, off0, off1, &done);
	if (done)
		return 1;
	if (wb_is_stack_header(s, n)) {
		st->stack_expect = st->lineno;
		st->lm_mode = 0;
		if (wb_starts(s, n, "STACK_TEXT:"))
			st->reg_mode = 0;
		return 1;
	}
	return 0;
}

/* A call site as the fields print it: "module!function+offset", the
 * parts it has. */
static char *callsite_text(const pm_frame *f)
{
	sbuf fi = {0};
	sb_adds(&fi, f->module);
	if (f->function)
		sb_addf(&fi, "!%s", f->function);
	if (f->offset)
		sb_addf(&fi, "+%s", f->offset);
	return sb_detach(&fi);
}
/* a register block */
static int line_registers(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	builder *b = &st->cur;
	/* a register block pasted without its .trap/.cxr command */
	if (!st->reg_mode && !st->after_frame && ((wb_starts(s, n, "rax=") && strstr(s, " rbx=")) ||
						   (wb_starts(s, n, "eax=") && strstr(s, " ebx="))))
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
			b = wb_cur(st, off0, off1);
			wb_add_reg_line(b, s, n);
			not_prose_only(b);
			return 1;
		}
		if (wb_starts(s, n, "NOTE:") || wb_starts(s, n, "Some register values"))
			return 1;
		/* the symbol line ("HwUsbClient+0xccae:"), not a dump's name
		 * that starts the next analysis ("x.dmp:", "x.dmp：") */
		if (s[n - 1] == ':' && !memchr(s, ' ', n) && n > 1 && !(n > 5 && wb_ieq_n(s + n - 5, ".dmp:", 5))) {
			if (b->live) {
				pm_frame f;
				if (wb_parse_callsite(s, n - 1, &f, NULL, NULL) && f.module && !b->a.fault_ip)
					b->a.fault_ip = callsite_text(&f);
				wb_frame_free(&f);
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
		if (!b->live && wb_parse_callsite(tok, tl, &f, NULL, NULL)) {
			/* the field starts the analysis when it names a module */
			if (f.module)
				b = wb_cur(st, off0, off1);
			wb_frame_free(&f);
			dst = fip == 2 ? &b->a.followup_ip : &b->a.fault_ip;
		}
		if (b->live && !*dst && wb_parse_callsite(tok, tl, &f, NULL, NULL)) {
			*dst = f.module ? callsite_text(&f) : f.address ? xstrdup(f.address) : xstrdup("");
			wb_frame_free(&f);
		}
		return 1;
	}
	/* with its value on the line, in a sentence or as a label: "With
	 * faulting ip: `ScpVBus+b174`", "Faulting IP: acme!F+0x10" */
	const char *v = n > 16 && b->live ? wb_ifind(s, n, "faulting ip:") : NULL;
	if (v && !b->a.fault_ip) {
		const char *p = v + 12, *e = s + n;
		while (p < e && (*p == ' ' || *p == '`'))
			p++;
		size_t tl = 0;
		while (p + tl < e && p[tl] != ' ' && p[tl] != '`')
			tl++;
		pm_frame f;
		if (tl && wb_parse_callsite(p, tl, &f, NULL, NULL)) {
			if (f.module)
				b->a.fault_ip = callsite_text(&f);
			wb_frame_free(&f);
			if (b->a.fault_ip)
				return 1;
		}
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
			b = wb_cur(st, off0, off1);
			wb_set_once(&b->a.process, s, (size_t)(paren - s));
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
		if (wb_starts(s, n, "start ") && wb_ifind(s, n, "module name")) {
			return 1;
		}
		size_t pos = 0;
		const char *t1, *t2, *t3;
		size_t n1, n2, n3;
		if (wb_next_tok(s, n, &pos, &t1, &n1) && wb_is_addr(t1, n1) && wb_next_tok(s, n, &pos, &t2, &n2) && wb_is_addr(t2, n2) &&
		    wb_next_tok(s, n, &pos, &t3, &n3) && !wb_is_addr(t3, n3) && wb_module_name_ok(t3, n3)) {
			b = wb_cur(st, off0, off1);
			pm_module *m = wb_module_get(&b->a, t3, n3);
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
			if ((v = wb_field(s, n, "Image path", &vn))) {
				wb_set_once(&m->image_path, v, vn);
				return 1;
			}
			if ((v = wb_field(s, n, "Timestamp", &vn))) {
				const char *lp = memchr(v, '(', vn);
				const char *rp = lp ? memchr(lp, ')', vn - (size_t)(lp - v)) : NULL;
				if (lp && rp && rp > lp + 1)
					wb_set_once(&m->timestamp, lp + 1, (size_t)(rp - lp - 1));
				else if (vn)
					wb_set_once(&m->timestamp, v, vn);
				return 1;
			}
			if ((v = wb_field(s, n, "CheckSum", &vn))) {
				wb_set_once(&m->checksum, v, vn);
				return 1;
			}
			if ((v = wb_field(s, n, "ImageSize", &vn))) {
				wb_set_once(&m->image_size, v, vn);
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
						b = wb_cur(st, off0, off1);
						wb_tag_get(&b->a, t, tl, star);
						not_prose_only(b);
						st->pool_mode = 1;
					}
				}
				return 1;
			}
		}
		if ((v = wb_field(s, n, "Pooltag", &vn)) == NULL && wb_starts(s, n, "Pooltag ")) {
			/* "Pooltag FSfc : desc, Binary : nt!fsrtl" */
			const char *t = s + 8;
			size_t tl = 0;
			while (8 + tl < n && t[tl] != ' ' && t[tl] != ':')
				tl++;
			const char *bin = wb_ifind(s, n, "Binary :");
			if (tl && tl <= 4) {
				b = wb_cur(st, off0, off1);
				pm_pooltag *pt = wb_tag_get(&b->a, t, tl, 0);
				if (pt && bin && !pt->owner) {
					const char *o = bin + 8;
					while (*o == ' ')
						o++;
					size_t on = strlen(o);
					if (on)
						pt->owner = wb_dup_trim(o, on);
				}
			}
			return 1;
		}
		if (st->pool_mode && (v = wb_field(s, n, "Owning component", &vn)) && b->live && b->a.npool_tags) {
			pm_pooltag *pt = &b->a.pool_tags[0];
			if (!pt->owner && vn && !wb_istarts(v, vn, "Unknown"))
				pt->owner = wb_dup_trim(v, vn);
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
	if (wb_starts(s, n, "Name ") && wb_ifind(s, n, "Number of Hits")) {
		st->tag_table = 1;
		return 1;
	}
	if (st->tag_table) {
		if (s[0] == '=')
			return 1;
		st->tag_table = 0;
		if (st->tag_pending[0] && !wb_starts(s, n, "Hits")) {
			size_t pos = 0;
			const char *nm;
			size_t nml;
			if (wb_next_tok(s, n, &pos, &nm, &nml)) {
				const char *loc = NULL;
				const char *bs = memchr(s, '\\', n);
				if (bs) {
					const char *ls = bs;
					while (ls > s && ls[-1] != ' ')
						ls--;
					loc = ls;
				}
				b = wb_cur(st, off0, off1);
				pm_pooltag *pt = wb_tag_get(&b->a, st->tag_pending, strlen(st->tag_pending), 0);
				pm_module *m = wb_module_get(&b->a, nm, nml);
				if (m && loc)
					wb_set_once(&m->image_path, loc, n - (size_t)(loc - s));
				if (pt && !pt->owner) {
					const char *base = loc ? strrchr(loc, '\\') : NULL;
					if (base && wb_name_core(base + 1) == nml && wb_ieq_n(base + 1, nm, nml))
						pt->owner = wb_dup_trim(base + 1, n - (size_t)(base + 1 - s));
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
	if (wb_starts(s, n, "Process ") && strstr(s, " Thread ") && strstr(s, "CID")) {
		st->proc_next = 1;
		return 1;
	}
	if ((v = wb_ifind(s, n, "Image: ")) && wb_starts(s, n, "Owning Process")) {
		b = wb_cur(st, off0, off1);
		wb_set_once(&b->a.process, v + 7, n - (size_t)(v + 7 - s));
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
	if ((v = wb_ifind(s, n, "Fatal System Error:"))) {
		const char *p = v + 19;
		size_t k = wb_hex_code_at(&p, s + n);
		if (k) {
			b = wb_bugcheck_for(st, p, k, 1, off0, off1);
			not_prose_only(b);
			b->fatal = 1;
			if (!wb_set_args_list(b, p + k, n - (size_t)(p + k - s)))
				st->args_next = 1;
			return 1;
		}
	}
	if ((v = wb_field(s, n, "Driver at fault", &vn)) && vn == 0) {
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
	if (wb_bc_header(hs, hn, &nl, &code, &cl)) {
		/* an Application Verifier stop in a process,
		 * "APPLICATION_VERIFIER_HEAPS_CORRUPTED_HEAP_BLOCK_START_STAMP
		 * (10)": the stop's own code, no bug check */
		if (nl > 21 && wb_starts(hs, hn, "APPLICATION_VERIFIER_")) {
			wb_cur(st, off0, off1);
			return 1;
		}
		/* the !analyze -v a live session runs after its "*** Fatal
		 * System Error": the same crash, also when the paste ends before
		 * the header's arguments */
		if (b->live && b->fatal && !b->a.bugcheck_name && wb_code_eq(b, code, cl)) {
			b = wb_cur(st, off0, off1);
			wb_set_once(&b->a.bugcheck_name, hs, nl);
			return 1;
		}
		b = wb_bugcheck_for(st, code, cl, 1, off0, off1);
		wb_set_once(&b->a.bugcheck_name, hs, nl);
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
	if (wb_starts(s, n, "BugCheck ") && memchr(s, '{', n)) {
		const char *p = s + 9;
		size_t k = 0;
		while (9 + k < n && is_hex(p[k]))
			k++;
		if (k && 9 + k < n && p[k] == ',') {
			b = wb_bugcheck_for(st, p, k, 1, off0, off1);
			const char *a = memchr(s, '{', n) + 1;
			for (int i = 0; i < 4; i++) {
				while (*a == ' ')
					a++;
				const char *e = a;
				while (*e && *e != ',' && *e != '}')
					e++;
				wb_set_arg(b, i, a, (size_t)(e - a), NULL, 0);
				if (*e != ',')
					break;
				a = e + 1;
			}
			not_prose_only(b);
			return 1;
		}
	}
	/* .bugcheck: "Bugcheck code 000000D1" then "Arguments 00000000`00000027 ..." */
	if (wb_starts(s, n, "Bugcheck code ")) {
		const char *p = s + 14;
		size_t k = 0;
		while (14 + k < n && is_hex(p[k]))
			k++;
		if (k && 14 + k == n) {
			b = wb_bugcheck_for(st, p, k, 1, off0, off1);
			not_prose_only(b);
			return 1;
		}
	}
	if (wb_starts(s, n, "Arguments ") && b->live && b->a.bugcheck_code && !b->a.args[0]) {
		size_t pos = 10;
		const char *t;
		size_t tn;
		for (int i = 0; i < 4 && wb_next_tok(s, n, &pos, &t, &tn); i++)
			wb_set_arg(b, i, t, tn, NULL, 0);
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
			b = wb_bugcheck_for(st, rc.p, rc.n, 1, off0, off1);
			for (int i = 0; i < 4; i++)
				wb_set_arg(b, i, ra[i].p, ra[i].n, NULL, 0);
			if (rd.n && wb_module_name_ok(rd.p, rd.n)) {
				wb_module_get(&b->a, rd.p, rd.n);
				wb_set_once(&b->a.caused_by, rd.p, rd.n);
			}
			not_prose_only(b);
			return 1;
		}
	}
	/* the event log of Windows 2000 and XP (event 1003): "Error code
	 * 0000007f, Parameter 1 00000000, Parameter 2 ..., Parameter 4 ...",
	 * also "parameter1 c0000005", after the event's label ("Description:
	 * Error code 000000D1, parameter1 ..."), and in German ("Fehlercode
	 * 000000d1, 1. Parameter 00000009, 2. Parameter ..."): the four
	 * parameters and a documented code */
	if (n > 60) {
		/* the words at the start of the line, or after a label's colon */
		const char *w0 = s + (s[0] == '"');
		const char *colon = memchr(s, ':', n < 40 ? n : 40);
		static const char *const words[] = {"error code ", "fehlercode "};
		const char *c = NULL;
		for (int at = 0; at < 2 && !c; at++) {
			const char *q = at == 0 ? w0 : colon && colon + 2 < s + n && colon[1] == ' ' ? colon + 2 : NULL;
			for (size_t w = 0; q && w < PMKB_ARRAY_LEN(words) && !c; w++)
				if (wb_istarts(q, (size_t)(s + n - q), words[w]))
					c = q + strlen(words[w]);
		}
		if (c && wb_ifind(c, (size_t)(s + n - c), "parameter")) {
			size_t cn = 0;
			while (c + cn < s + n && is_hex(c[cn]))
				cn++;
			ws_span a[4];
			int ok = cn >= 1 && cn <= 8;
			const char *p = c + cn;
			for (int k = 0; ok && k < 4; k++) {
				const char *m = wb_ifind(p, n - (size_t)(p - s), "parameter");
				ok = m != NULL;
				if (!ok)
					break;
				if (m - p >= 3 && m[-1] == ' ' && m[-2] == '.' && m[-3] == '1' + k) {
					/* "1. Parameter 00000009" */
					m += 9;
				} else {
					m += 9;
					if (m < s + n && *m == ' ')
						m++;
					ok = m < s + n && *m == '1' + k;
					m++;
				}
				while (ok && m < s + n && *m == ' ')
					m++;
				size_t an = 0;
				while (ok && m + an < s + n && is_hex(m[an]))
					an++;
				ok = ok && an >= 1 && an <= 16;
				a[k].p = m;
				a[k].n = an;
				p = m + an;
			}
			char hx[12];
			if (ok) {
				memcpy(hx, c, cn);
				hx[cn] = 0;
				unsigned long long v = strtoull(hx, NULL, 16);
				ok = bugcheck_name_of(v >> 12 == 0x10000 ? v & 0xfff : v) != NULL;
			}
			if (ok) {
				b = wb_bugcheck_for(st, c, cn, 1, off0, off1);
				for (int k = 0; k < 4; k++)
					wb_set_arg(b, k, a[k].p, a[k].n, NULL, 0);
				not_prose_only(b);
				return 1;
			}
		}
	}
	/* a code and its arguments in one line: the event log ("The bugcheck
	 * was: 0x000000d1 (0xa, 0x2, 0x0, 0xfffff8000f10b1a4)"), !mex.di
	 * ("Bugcheck: D1 (a, b, c, d)"), prose ("0x3b (c0000005, ...)") */
	if (memchr(s, '(', n) || (n < 120 && memchr(s, ':', n) && wb_ifind(s, n, "stop"))) {
		ws_span wc, wa[4];
		int na = 0;
		if (ws_code_args(s, n, &wc, wa, &na)) {
			b = wb_bugcheck_for(st, wc.p, wc.n, 1, off0, off1);
			for (int i = 0; i < na; i++)
				wb_set_arg(b, i, wa[i].p, wa[i].n, NULL, 0);
			not_prose_only(b);
			/* the driver the screen names after the list ("STOP 0x0A(0x30,
			 * 0x02,0xFC9416D1) ... - NETFLX.SYS"): the culprit of last
			 * resort, as if named in prose */
			if (na > 0) {
				const char *r = wa[na - 1].p + wa[na - 1].n;
				if (r < s + n)
					wb_collect_prose_sys(st, r, (size_t)(s + n - r), off0, off1);
			}
			return 1;
		}
	}
	return 0;
}

/* The driver an old stop screen names beside the faulting address, under
 * its code: "*** nv4_disp.dll - Address BFA6EEE4 base at BF9B8000,
 * DateStamp 3b8f4298" (Windows 2000 and XP), "***Address 8000f67c has base
 * at 80001000 - hal.dll" (NT 4): the module that faulted, as "Probably
 * caused by" names it */
static int line_stop_address(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	(void)off0, (void)off1;
	builder *b = &st->cur;
	if (n < 20 || !b->live || !b->a.bugcheck_code || b->a.caused_by)
		return 0;
	const char *ad = wb_has_lit(s, n, "ddress ") ? wb_ifind(s, n, "address ") : NULL;
	const char *ba = ad ? wb_ifind(ad, n - (size_t)(ad - s), "base at ") : NULL;
	if (!ba)
		return 0;
	const char *p = NULL, *e = NULL;
	/* the name before " - Address" */
	const char *d = ad;
	while (d > s && d[-1] == ' ')
		d--;
	if (d > s && d[-1] == '-') {
		e = d - 1;
		while (e > s && e[-1] == ' ')
			e--;
		p = e;
		while (p > s && p[-1] != ' ' && p[-1] != '*')
			p--;
	} else {
		/* the name after "base at HEX - " */
		const char *h = ba + 8;
		while (h < s + n && is_hex(*h))
			h++;
		while (h < s + n && (*h == ' ' || *h == ','))
			h++;
		if (h < s + n && *h == '-') {
			h++;
			while (h < s + n && *h == ' ')
				h++;
			p = h;
			e = h;
			while (e < s + n && *e != ' ' && *e != ',')
				e++;
		}
	}
	if (!p || e <= p || !wb_module_name_ok(p, (size_t)(e - p)) || !memchr(p, '.', (size_t)(e - p)))
		return 0;
	wb_module_get(&b->a, p, (size_t)(e - p));
	wb_set_once(&b->a.caused_by, p, (size_t)(e - p));
	not_prose_only(b);
	return 1;
}

/* A Markdown table a person wrote of their crashes: "| Dump | Bugcheck |
 * Process |", "|---|---|---|", then a row per crash. The header needs a
 * column of the code (or the exception) and one more the reader knows
 * ("| Code | Description |" of a page that lists codes is no crash); each
 * row is an analysis, its cells read as the labelled values their columns
 * name. */
static int line_md_table(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	/* a row has two bars at least (the reader took a leading "| " for a
	 * mail quote marker) */
	const char *bar = n >= 3 ? memchr(s, '|', n) : NULL;
	if (!bar || !memchr(bar + 1, '|', n - (size_t)(bar + 1 - s))) {
		st->md_ncols = 0;
		return 0;
	}
	ws_span cell[12];
	int nc = 0;
	for (const char *p = s + (s[0] == '|'), *e = s + n; p < e && nc < 12;) {
		const char *q = memchr(p, '|', (size_t)(e - p));
		if (!q)
			q = e;
		cell[nc].p = p;
		cell[nc].n = (size_t)(q - p);
		nc++;
		p = q + 1;
	}
	if (st->md_ncols && !st->md_sep) {
		int sep = 1;
		for (size_t i = 0; i < n && sep; i++)
			sep = s[i] == '|' || s[i] == '-' || s[i] == ':' || s[i] == ' ';
		if (sep) {
			st->md_sep = 1;
			return 1;
		}
		st->md_ncols = 0;
	}
	if (!st->md_ncols) {
		int code = 0, other = 0;
		for (int i = 0; i < nc; i++) {
			enum ws_role r = ws_table_column(cell[i].p, cell[i].n);
			st->md_role[i] = (signed char)r;
			if (r == WS_CODE || r == WS_EXCEPTION)
				code++;
			else if (r != WS_NONE)
				other++;
		}
		if (!code || !(other || code > 1))
			return 0;
		st->md_ncols = nc;
		st->md_sep = 0;
		return 1;
	}
	if (!st->md_sep)
		return 0;
	/* a row: its cells trimmed of blanks, backticks and bold */
	for (int i = 0; i < nc; i++) {
		while (cell[i].n && (cell[i].p[0] == ' ' || cell[i].p[0] == '`' || cell[i].p[0] == '*'))
			cell[i].p++, cell[i].n--;
		while (cell[i].n && (cell[i].p[cell[i].n - 1] == ' ' || cell[i].p[cell[i].n - 1] == '`' ||
				     cell[i].p[cell[i].n - 1] == '*'))
			cell[i].n--;
	}
	int took = 0;
	for (int i = 0; i < nc && i < st->md_ncols; i++)
		if (st->md_role[i] == WS_DUMP)
			took |= wb_labelled_value(st, WS_DUMP, cell[i], off0, off1);
	if (!took && st->cur.live)
		wb_start_new(st, off0, off1);
	/* the code first: the other values belong to it */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < nc && i < st->md_ncols; i++) {
			enum ws_role r = (enum ws_role)st->md_role[i];
			if (r == WS_NONE || r == WS_DUMP || (r == WS_CODE) != (pass == 0) || !cell[i].n)
				continue;
			wb_labelled_value(st, r, cell[i], off0, off1);
		}
	return 1;
}

/* an ArgN: line */
static int line_arg_line(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	builder *b = &st->cur;
	/* a German stop message's parameters, a line each, under its code
	 * ("STOP Message: 000000d1" / "1. Parameter 00000009") */
	if (n >= 14 && n <= 40 && s[0] >= '1' && s[0] <= '4' && s[1] == '.' && s[2] == ' ' &&
	    wb_istarts(s + 3, n - 3, "parameter ") && b->live && b->a.bugcheck_code) {
		const char *p = s + 13, *e = s + n;
		while (p < e && (*p == ' ' || *p == ':'))
			p++;
		size_t hn = 0;
		while (p + hn < e && is_hex(p[hn]))
			hn++;
		if (hn && hn <= 16 && p + hn == e) {
			wb_set_arg(b, s[0] - '1', p, hn, NULL, 0);
			return 1;
		}
	}
	/* Arguments (also without the header a forum renderer dropped) */
	if (n >= 5 && wb_starts(s, n, "Arg") && s[3] >= '1' && s[3] <= '4' && s[4] == ':') {
		if (!b->live)
			b = wb_cur(st, off0, off1);
		const char *p = s + 5;
		while (*p == ' ')
			p++;
		if (!*p) {
			/* a page that put the value on a line of its own */
			st->pend_arg = s[3] - '0';
			st->pend_arg_line = st->lineno;
			return 1;
		}
		const char *e = p;
		while (*e && *e != ',' && *e != ' ')
			e++;
		const char *d = *e == ',' ? e + 1 : e;
		while (e > p + 1 && e[-1] == '.')
			e--; /* "Arg3: 0." */
		while (*d == ' ')
			d++;
		wb_set_arg(b, s[3] - '1', p, (size_t)(e - p), d, n - (size_t)(d - s));
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
		if ((v = wb_field(s, n, "BUGCHECK_CODE", &vn)) || (v = wb_field(s, n, "BUGCHECK_STR", &vn))) {
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
					b = wb_cur(st, off0, off1);
					if (!b->a.exception_code) {
						b->a.exception_code = h;
						h = NULL;
					}
				} else if (cv >= 0x10000000ULL && !bugcheck_name_of(cv >> 12 == 0x10000 ? cv & 0xfff : cv)) {
					/* eight digits no bug check has ("BUGCHECK_STR:
					 * 12DCB470" of a debugger that could not read the
					 * code): no code */
				} else if (!b->live || !b->a.bugcheck_code) {
					b = wb_bugcheck_for(st, p, k, 0, off0, off1);
				}
				free(h);
				not_prose_only(b);
			}
			return 1;
		}
		if ((v = wb_field(s, n, "FAILURE_BUCKET_ID", &vn)) || (v = wb_field(s, n, "BUCKET_ID", &vn)) ||
		    (v = wb_field(s, n, "FAILURE_ID_HASH_STRING", &vn))) {
			if (vn) {
				int rank = s[0] == 'B' ? 2 : s[8] == 'B' ? 3 : 1;
				if (rank == 1 && vn > 3 && v[2] == ':')
					v += 3, vn -= 3; /* "km:" */
				b = wb_cur(st, off0, off1);
				wb_set_bucket(b, v, vn, rank);
			}
			return 1;
		}
		if ((v = wb_field(s, n, "Key", &vn))) {
			if (vn == 14 && wb_starts(v, vn, "Failure.Bucket"))
				st->kv_next = KV_BUCKET;
			else if (wb_starts(v, vn, "Bugcheck.Code.KiBugCheckData") || wb_starts(v, vn, "Bugcheck.Code.LegacyAPI"))
				st->kv_next = KV_CODE;
			return 1;
		}
		for (int i = 0; i < 4; i++) {
			char key[32];
			snprintf(key, sizeof key, "BUGCHECK_P%d", i + 1);
			if ((v = wb_field(s, n, key, &vn))) {
				/* the value, without a comment after it:
				 * "BUGCHECK_P2: 0x2   (IRQL at time of crash)" */
				size_t tn = 0;
				while (tn < vn && v[tn] != ' ' && v[tn] != '\t')
					tn++;
				b = wb_cur(st, off0, off1);
				wb_set_arg(b, i, v, tn, NULL, 0);
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
			if ((v = wb_field(s, n, simple[i].key, &vn))) {
				if (vn == 0)
					return 1;
				b = wb_cur(st, off0, off1);
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
				wb_set_once(fp, v, vn);
				if (simple[i].off == offsetof(pm_analysis, image)) {
					size_t e = 0;
					while (e < vn && v[e] != ' ')
						e++;
					wb_module_get(&b->a, v, e);
				}
				not_prose_only(b);
				return 1;
			}
		}
		if ((v = wb_field(s, n, "OSBUILD", &vn)) || (v = wb_field(s, n, "OS_VERSION", &vn))) {
			if (b->live && vn)
				wb_set_once(&b->a.os_build, v, vn);
			return 1;
		}
		if ((v = wb_field(s, n, "OSPLATFORM_TYPE", &vn))) {
			if (b->live && vn)
				wb_set_once(&b->a.machine, v, vn);
			return 1;
		}
		if ((v = wb_field(s, n, "MODULE_NAME", &vn))) {
			if (vn) {
				b = wb_cur(st, off0, off1);
				size_t e = 0;
				while (e < vn && v[e] != ' ')
					e++;
				wb_module_get(&b->a, v, e);
				wb_set_once(&b->a.module_name, v, e);
				not_prose_only(b);
			}
			return 1;
		}
		if ((v = wb_field(s, n, "EXCEPTION_CODE", &vn)) || (v = wb_field(s, n, "EXCEPTION_CODE_STR", &vn)) ||
		    (v = wb_field(s, n, "ERROR_CODE", &vn))) {
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
			/* a user-mode analysis cut before its first field starts
			 * here ("ERROR_CODE: (NTSTATUS) 0xc0000005 - ...") */
			if (h && !b->live && strtoull(h, NULL, 16) >= 0x80000000ULL) {
				b = wb_cur(st, off0, off1);
				b->own_evidence = 1;
			}
			if (h && b->live && !b->a.exception_code)
				b->a.exception_code = h;
			else
				free(h);
			return 1;
		}
		if ((v = wb_field(s, n, "FAULTING_IP", &vn)) || (v = wb_field(s, n, "IP_IN_PAGED_CODE", &vn)) ||
		    (v = wb_field(s, n, "FOLLOWUP_IP", &vn))) {
			int fol = s[0] == 'F' && s[1] == 'O';
			if (vn == 0) {
				st->fip_next = fol ? 2 : 1;
				return 1;
			}
			/* the symbol on the field's own line */
			pm_frame f;
			size_t e = pm_symbol_len(v);
			if (e > vn)
				e = vn;
			if (wb_parse_callsite(v, e, &f, NULL, NULL)) {
				if (f.module) {
					b = wb_cur(st, off0, off1);
					wb_set_once(fol ? &b->a.followup_ip : &b->a.fault_ip, v, e);
					not_prose_only(b);
				}
				wb_frame_free(&f);
			}
			return 1;
		}
		if ((v = wb_field(s, n, "ExceptionAddress", &vn))) {
			/* .exr: "ExceptionAddress: fffff806`2921c1f0 (dxgmms2!F+0x184)" */
			const char *lp = memchr(v, '(', vn);
			const char *rp = lp ? memchr(lp, ')', vn - (size_t)(lp - v)) : NULL;
			pm_frame f;
			if (rp && wb_parse_callsite(lp + 1, (size_t)(rp - lp - 1), &f, NULL, NULL)) {
				if (f.module && f.function && strcmp(f.function, "KeBugCheckEx") != 0) {
					b = wb_cur(st, off0, off1);
					wb_set_once(&b->a.fault_ip, lp + 1, (size_t)(rp - lp - 1));
				}
				wb_frame_free(&f);
			}
			return 1;
		}
		if ((v = wb_field(s, n, "SYMBOL_NAME", &vn))) {
			size_t e = pm_symbol_len(v); /* "x!`anonymous namespace'::send+20a" */
			if (e > vn)
				e = vn;
			if (e) {
				b = wb_cur(st, off0, off1);
				wb_set_once(&b->a.symbol_name, v, e);
				not_prose_only(b);
			}
			return 1;
		}
		if (((v = wb_field(s, n, "CONTEXT", &vn)) || (v = wb_field(s, n, "TRAP_FRAME", &vn))) && strstr(s, "-- (.")) {
			st->reg_mode = 1;
			return 1;
		}
	}
	return 0;
}

/* The number of a WER problem signature's line, 1-based, and where its
 * value starts (*v); 0 when the line is none: "P4: x", "Problem
 * Signature 04: x" (French "Signature du problème 04", German
 * "Problemsignatur 04", Chinese "问题签名 04", Spanish "Firma del
 * problema 04"), Report.wer's
 * "Sig[3].Value=x". */
static int wer_p_number(const char *s, size_t n, const char **v)
{
	static const char *const labels[] = {"problem signature ", "signature du problème ", "problemsignatur ",
					     "问题签名 ", "firma del problema "};
	size_t i = 0;
	int zero_based = 0;
	if (n > 3 && s[0] == 'P' && isdigit((unsigned char)s[1])) {
		i = 1;
	} else if (wb_istarts(s, n, "Sig[")) {
		i = 4;
		zero_based = 1;
	} else {
		for (size_t k = 0; k < PMKB_ARRAY_LEN(labels) && !i; k++)
			if (wb_istarts(s, n, labels[k]))
				i = strlen(labels[k]);
		if (!i)
			return 0;
	}
	int num = 0;
	size_t d = 0;
	while (i < n && isdigit((unsigned char)s[i]) && d < 2)
		num = num * 10 + (s[i++] - '0'), d++;
	if (!d)
		return 0;
	if (zero_based) {
		if (!wb_istarts(s + i, n - i, "].Value="))
			return 0;
		*v = s + i + 8;
		return num + 1;
	}
	while (i < n && s[i] == ' ')
		i++;
	if (i >= n || s[i] != ':')
		return 0;
	*v = s + i + 1;
	return num;
}

/* The kinds of application crash a WER signature names (its "Event Name",
 * Report.wer's and the event log's "EventType"): 1 APPCRASH, 2 CLR20r3,
 * 3 BEX and BEX64, 4 MoAppCrash (a packaged app's) */
static const struct {
	const char *name;
	int kind;
} wer_kinds[] = {{"APPCRASH", 1}, {"MoAppCrash", 4}, {"CLR20r3", 2}, {"BEX64", 3}, {"BEX", 3}};

/* What a WER problem signature's P1..P9 say, by the event's kind:
 * APPCRASH (1), CLR20r3 (2), BEX and BEX64 (3), MoAppCrash (4: P1 the
 * package, P2 "praid:" and the app's id, P5 the faulting module, P8 the
 * exception code, P9 the offset) */
static const enum ws_role wer_roles[4][9] = {
	{WS_PROCESS, WS_NONE, WS_NONE, WS_FAULT_MODULE, WS_NONE, WS_NONE, WS_EXCEPTION, WS_FAULT_OFFSET, WS_NONE},
	{WS_PROCESS, WS_NONE, WS_NONE, WS_FAULT_MODULE, WS_NONE, WS_NONE, WS_NONE, WS_NONE, WS_NONE},
	{WS_PROCESS, WS_NONE, WS_NONE, WS_FAULT_MODULE, WS_NONE, WS_NONE, WS_FAULT_OFFSET, WS_EXCEPTION, WS_NONE},
	{WS_NONE, WS_NONE, WS_NONE, WS_NONE, WS_FAULT_MODULE, WS_NONE, WS_NONE, WS_EXCEPTION, WS_FAULT_OFFSET},
};

/* The "Pn value" items of a one-line signature: at the line's start or
 * after ", " (a value wrapped onto the next line is cut there) */
static void wer_inline_values(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	const char *e = s + n;
	for (const char *p = s; p < e;) {
		const char *q = p == s && n > 2 && s[0] == 'P' ? s : wb_ifind(p, (size_t)(e - p), ", P");
		if (!q)
			break;
		if (q != s || s[0] != 'P')
			q += 2;
		p = q + 1;
		if (q + 2 >= e || !isdigit((unsigned char)q[1]) || q[1] == '0' || q[2] != ' ')
			continue;
		int pno = q[1] - '0';
		const char *v0 = q + 3, *v1 = v0;
		while (v1 < e && *v1 != ',')
			v1++;
		enum ws_role role = wer_roles[st->wer_app - 1][pno - 1];
		if (role != WS_NONE && v1 > v0) {
			ws_span lv = {v0, (size_t)(v1 - v0)};
			wb_labelled_value(st, role, lv, off0, off1);
		}
		p = v1;
	}
}

/* WER problem signatures */
static int line_wer(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	builder *b = &st->cur;
	const char *v;
	/* summaries of other tools: BlueScreenView, WER, Application Error */
	if (wb_ifind(s, n, "<Provider ") && wb_ifind(s, n, "Name=\"Application Error\"")) {
		st->evt_xml = 1;
		st->evt_data = 0;
		return 1;
	}
	/* WER: "Problem Event Name: BlueScreen" (any language: "Nome evento:
	 * BlueScreen"); its problem signature's P1 is the code, P2-P5 the
	 * arguments */
	if ((v = wb_ifind(s, n, "BlueScreen")) && memchr(s, ':', (size_t)(v - s)) && n - (size_t)(v - s) == 10) {
		st->wer_bsod = 1;
		st->wer_app = 0;
		return 1;
	}
	/* an application crash's signature ("Event Name: APPCRASH", "Имя
	 * события проблемы: APPCRASH", Report.wer's "EventType=APPCRASH"):
	 * P1 the application, P4 the faulting module, P7 the exception code;
	 * BEX and BEX64 (a buffer overrun or DEP stop) swap P7 and P8; a
	 * .NET application's unhandled exception, CLR20r3: P1 the
	 * application, P4 the assembly that threw (P7, P8 a method token and
	 * an IL offset, P9 the exception's type) */
	{
		for (size_t k = 0; k < PMKB_ARRAY_LEN(wer_kinds); k++) {
			size_t m = strlen(wer_kinds[k].name);
			if (n <= m || !wb_ieq_n(s + n - m, wer_kinds[k].name, m))
				continue;
			v = s + n - m;
			if (!(memchr(s, ':', (size_t)(v - s)) || v[-1] == '=') || is_alnum_ascii(v[-1]))
				continue;
			st->wer_app = wer_kinds[k].kind;
			st->wer_bsod = 0;
			if (wer_kinds[k].kind == 2) {
				b = wb_cur(st, off0, off1);
				b->own_evidence = 1;
			}
			return 1;
		}
	}
	/* the event log's one line of a signature (ASP.NET's event 5000,
	 * "EventType clr20r3, P1 w3wp.exe, P2 6.0.3790.3959, ..., P4 x, ...,
	 * P9 system.nullreferenceexception, P10 NIL.", also "Event Type" and
	 * wrapped onto the next lines) */
	size_t et = wb_istarts(s, n, "EventType ") ? 10 : wb_istarts(s, n, "Event Type ") ? 11 : 0;
	if (et && wb_ifind(s, n, ", P1 ")) {
		int kind = 0;
		for (size_t k = 0; k < PMKB_ARRAY_LEN(wer_kinds) && !kind; k++) {
			size_t m = strlen(wer_kinds[k].name);
			if (et + m < n && s[et + m] == ',' && wb_istarts(s + et, n - et, wer_kinds[k].name))
				kind = wer_kinds[k].kind;
		}
		if (!kind)
			return 0;
		st->wer_app = kind;
		st->wer_inline = 1;
		st->wer_bsod = 0;
		b = wb_cur(st, off0, off1);
		if (kind == 2)
			b->own_evidence = 1;
		wer_inline_values(st, s, n, off0, off1);
		not_prose_only(&st->cur);
		return 1;
	}
	if (st->wer_inline && st->wer_app && (wb_ifind(s, n, ", P") || (n > 3 && s[0] == 'P' && isdigit((unsigned char)s[1])))) {
		wer_inline_values(st, s, n, off0, off1);
		return 1;
	}
	st->wer_inline = 0;
	/* a problem signature's P1..P9: what each says, by its kind
	 * ("P4: x.dll", "Problem Signature 04: x.dll" in four languages,
	 * Report.wer's "Sig[3].Value=x.dll", counted from 0) */
	/* a signature whose event name was cut or translated: "P2:
	 * praid:NanaZip" is a packaged app's (MoAppCrash) */
	if (!st->wer_app && n > 10 && s[0] == 'P' && s[1] == '2' && wer_p_number(s, n, &v) == 2) {
		const char *q = v;
		while (q < s + n && *q == ' ')
			q++;
		if (wb_istarts(q, (size_t)(s + n - q), "praid:")) {
			st->wer_app = 4;
			st->wer_bsod = 0;
			return 1;
		}
	}
	int pno = st->wer_app ? wer_p_number(s, n, &v) : 0;
	if (pno >= 1 && pno <= 9) {
		enum ws_role role = wer_roles[st->wer_app - 1][pno - 1];
		if (role == WS_NONE)
			return 1;
		const char *p = v;
		while (*p == ' ')
			p++;
		size_t pn = n - (size_t)(p - s);
		ws_span lv = {p, pn};
		if (pn)
			wb_labelled_value(st, role, lv, off0, off1);
		return 1;
	}
	if (st->wer_bsod && n > 3 && s[0] == 'P' && s[1] >= '1' && s[1] <= '5' && s[2] == ':') {
		const char *p = s + 3;
		while (*p == ' ')
			p++;
		size_t pn = n - (size_t)(p - s);
		if (pn && wb_all_hex(p, pn)) {
			if (s[1] == '1') {
				b = wb_bugcheck_for(st, p, pn, 0, off0, off1);
				not_prose_only(b);
			} else if (b->live) {
				wb_set_arg(b, s[1] - '2', p, pn, NULL, 0);
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
	 * a bucket on a line of its own, or in a title's sentence
	 * ("0x119_5_DRIVER_FAULTED_SYSTEM_COMMAND_igdkmdnd64!unknown_function
	 * when updating drivers"): a code the table knows, then a module's
	 * "!function" or "_IMAGE_x.sys" */
	{
		size_t bl = 0;
		const char *bk = NULL;
		for (size_t i = 0; i + 4 < n && !bk; i++) {
			if ((i > 0 && s[i - 1] != ' ') || s[i] != '0' || (s[i + 1] != 'x' && s[i + 1] != 'X'))
				continue;
			size_t e = i;
			while (e < n && s[e] != ' ' && s[e] != ',')
				e++;
			while (e > i && (s[e - 1] == '.' || s[e - 1] == ')' || s[e - 1] == '`' || s[e - 1] == '"'))
				e--;
			char *tok = xstrndup(s + i, e - i);
			unsigned long long bc;
			const char *bang = strchr(tok, '!'), *img = strstr(tok, "_IMAGE_");
			if (ws_bucket_code(tok, &bc) && ((bang && bang[1]) || (img && img[7])) && strchr(tok, '_')) {
				bk = s + i;
				bl = e - i;
			}
			free(tok);
		}
		if (bk) {
			b = wb_cur(st, off0, off1);
			wb_set_bucket(b, bk, bl, 2);
			return 1;
		}
	}
	/* !analyze's bucket quoted inside a sentence: "... service
	 * (FAILURE_BUCKET_ID: AV_vgk!unknown_function / More information ..." */
	{
		const char *k = n > 30 ? wb_ifind(s, n, "FAILURE_BUCKET_ID:") : NULL;
		if (k && k > s) {
			const char *v = k + 18, *e = s + n;
			while (v < e && *v == ' ')
				v++;
			const char *w = v;
			while (w < e && *w != ' ' && *w != ')' && *w != ',' && *w != '"' && *w != '`')
				w++;
			if (w - v >= 4 && memchr(v, '_', (size_t)(w - v))) {
				b = wb_cur(st, off0, off1);
				wb_set_bucket(b, v, (size_t)(w - v), 3);
				/* the sentence may name the code too: read on */
			}
		}
	}
	/* WER's "Fault bucket 1076040974, type 5": the bucket's number, the
	 * same for every report WER put in that bucket; the label one word
	 * or two, "Fault bucket", "Foutbucket", "Fehlerbucket" */
	/* in German and Dutch too: "Fehlerbucket 123…, Typ 5", "Foutbucket
	 * 1704498217310049737, type 5" */
	const char *fb = n > 20 && (s[0] == 'F' || s[0] == 'f') ? wb_ifind(s, n < 20 ? n : 20, "bucket ") : NULL;
	if (fb && !memchr(s, ' ', (size_t)(fb - s - (fb > s && fb[-1] == ' ')))) {
		size_t i = (size_t)(fb - s) + 7, k = 0;
		if (i < n && s[i] == '-')
			k++; /* a number WER printed signed: "Fault bucket -1130033585, type 1" */
		while (i + k < n && isdigit((unsigned char)s[i + k]))
			k++;
		if (k >= 4 && i + k + 6 < n &&
		    (wb_istarts(s + i + k, n - i - k, ", type ") || wb_istarts(s + i + k, n - i - k, ", typ "))) {
			b = wb_cur(st, off0, off1);
			wb_set_bucket(b, s + i, k, 2);
			return 1;
		}
	}
	/* Report.wer's "Response.BucketId=14dcba96117898c96cf93f6cddc9dcf5" */
	if (wb_istarts(s, n, "Response.BucketId=") && n > 18 + 4) {
		b = wb_cur(st, off0, off1);
		wb_set_bucket(b, s + 18, n - 18, 2);
		return 1;
	}
	return 0;
}

/* labelled lines of other tools' summaries (any language) */
static int line_labelled(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	/* the four parameters on one labelled line, as BlueScreenView's
	 * fields are retyped: "Parameters : ffffffff`c0000005 , fffff800`02099054
	 * , fffff880`02d55328 , fffff880`02d54b90" */
	if (wb_istarts(s, n, "parameters") && st->cur.live && st->cur.a.bugcheck_code && !st->cur.a.args[0]) {
		size_t i = 10;
		while (i < n && s[i] == ' ')
			i++;
		if (i < n && (s[i] == ':' || s[i] == '=')) {
			ws_span t[4];
			int k = 0;
			for (i++; i < n && k < 5;) {
				size_t e = i;
				while (e < n && s[e] != ',')
					e++;
				size_t a = i, z = e;
				while (a < z && s[a] == ' ')
					a++;
				while (z > a && s[z - 1] == ' ')
					z--;
				if (k < 4)
					t[k].p = s + a, t[k].n = z - a;
				k++;
				i = e + 1;
			}
			int ok = k == 4;
			for (int j = 0; j < 4 && ok; j++) {
				char *h = pm_norm_hex(t[j].p, t[j].n);
				ok = h != NULL;
				free(h);
			}
			if (ok) {
				for (int j = 0; j < 4; j++)
					wb_set_arg(&st->cur, j, t[j].p, t[j].n, NULL, 0);
				return 1;
			}
		}
	}
	/* a code's or a parameter's label alone on its line, its value alone on
	 * one of the next three (a crash viewer's report: "Bug Check Code" / ""
	 * / "0x00000139", "Paramètre 1" / "" / "0x000000000000001D") */
	if (st->pend_label[0]) {
		/* the value: one token (a table's next header cell is no value) */
		int near = st->lineno - st->pend_line <= 3 && !memchr(s, ' ', n);
		if (near) {
			sbuf l = {0};
			sb_adds(&l, st->pend_label);
			sb_adds(&l, ": ");
			sb_add(&l, s, n);
			st->pend_label[0] = 0;
			ws_span pv = {NULL, 0};
			enum ws_role pr = ws_labelled(sb_str(&l), l.len, &pv);
			int took = pr != WS_NONE && wb_labelled_value(st, pr, pv, off0, off1);
			free(l.buf);
			if (took)
				return 1;
		}
		st->pend_label[0] = 0;
	}
	if (n >= 4 && n < 48 && !memchr(s, ':', n) && !memchr(s, '=', n) && (isalpha((unsigned char)s[0]) || (unsigned char)s[0] >= 0x80)) {
		enum ws_role pr = ws_label_alone(s, n);
		if (pr == WS_CODE || (pr >= WS_P1 && pr <= WS_P4) || pr == WS_EXCEPTION || pr == WS_CAUSED_BY) {
			snprintf(st->pend_label, sizeof st->pend_label, "%.*s", (int)n, s);
			st->pend_line = st->lineno;
			return 1;
		}
	}
	ws_span lv = {NULL, 0};
	enum ws_role role = ws_labelled(s, n, &lv);
	if (role == WS_NONE && st->evt_xml)
		role = wb_evt_xml_data(st, s, n, &lv);
	return wb_labelled_value(st, role, lv, off0, off1);
}

/* What a labelled value of a summary gives the analysis being built; 1 when
 * it was taken. */
int wb_labelled_value(state *st, enum ws_role role, ws_span lv, size_t off0, size_t off1)
{
	builder *b = &st->cur;
	{
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
			size_t k = wb_hex_code_at(&p, lv.p + lv.n);
			if (k) {
				b = wb_bugcheck_for(st, p, k, 0, off0, off1);
				not_prose_only(b);
				return 1;
			}
			if (ws_bugcheck_name(lv.p, lv.n, &code, &nm)) {
				char hx[24];
				snprintf(hx, sizeof hx, "%llx", code);
				b = wb_bugcheck_for(st, hx, strlen(hx), 0, off0, off1);
				wb_set_once(&b->a.bugcheck_name, nm.p, nm.n);
				not_prose_only(b);
				return 1;
			}
			break;
		}
		case WS_NAME:
			/* the name; its code when the summary prints none (finish) */
			if (ws_bugcheck_name(lv.p, lv.n, &code, &nm)) {
				b = wb_cur(st, off0, off1);
				wb_set_once(&b->a.bugcheck_name, nm.p, nm.n);
				not_prose_only(b);
				return 1;
			}
			break;
		case WS_P1:
		case WS_P2:
		case WS_P3:
		case WS_P4:
			if (b->live || st->wer_bsod) {
				b = wb_cur(st, off0, off1);
				wb_set_arg(b, (int)(role - WS_P1), lv.p, lv.n, NULL, 0);
				return 1;
			}
			break;
		case WS_CAUSED_BY:
		case WS_FAULT_MODULE:
			/* the module of an address ("hal.dll+12a3b"), and a file
			 * before its address in parentheses ("ntoskrnl.exe
			 * (ntoskrnl.exe+3fbca0)") */
			for (size_t i = 1; i + 1 < lv.n; i++)
				if ((lv.p[i] == '+' && is_hex(lv.p[i + 1])) || (lv.p[i] == ' ' && lv.p[i + 1] == '(')) {
					lv.n = i;
					break;
				}
			/* "unknown", and WER's "StackHash_0a9e", a stand-in for a
			 * module it could not name: no module */
			if (wb_module_name_ok(lv.p, lv.n) && !(lv.n == 7 && wb_ieq_n(lv.p, "unknown", 7)) &&
			    !wb_istarts(lv.p, lv.n, "StackHash")) {
				const char *p = lv.p;
				size_t pn = lv.n;
				for (size_t i = 0; i < pn; i++)
					if (p[i] == '\\' || p[i] == '/')
						p = lv.p + i + 1, pn = lv.n - i - 1;
				b = wb_cur(st, off0, off1);
				wb_module_get(&b->a, p, pn);
				wb_set_once(&b->a.caused_by, p, pn);
				not_prose_only(b);
				return 1;
			}
			if (memchr(lv.p, '\\', lv.n)) {
				/* "Module = C:\Windows\SysWOW64\ntdll.dll" */
				const char *p = lv.p + lv.n;
				while (p > lv.p && p[-1] != '\\')
					p--;
				size_t pn = (size_t)(lv.p + lv.n - p);
				if (wb_module_name_ok(p, pn)) {
					b = wb_cur(st, off0, off1);
					wb_module_get(&b->a, p, pn);
					wb_set_once(&b->a.caused_by, p, pn);
					return 1;
				}
			}
			break;
		case WS_PROCESS:
			if (lv.n == 32) {
				/* the name WER gives an application whose own it
				 * hashed ("P1 erxkab1r2c2ibqtnnxtpzrumqv3gqlpl" of a
				 * CLR20r3 signature, "XFU1LOPV1B5JQH0HBYGNH00TXWMZP45M"
				 * in a report's dialog): 32 letters of one case and
				 * digits */
				int ok = 1, dig = 0, lo = 0, up = 0;
				for (size_t i = 0; i < 32 && ok; i++) {
					unsigned char ch = (unsigned char)lv.p[i];
					ok = isalnum(ch);
					dig |= isdigit(ch) != 0;
					lo |= islower(ch) != 0;
					up |= isupper(ch) != 0;
				}
				if (ok && dig && (lo ^ up)) {
					b = wb_cur(st, off0, off1);
					wb_set_once(&b->a.process, lv.p, lv.n);
					return 1;
				}
			}
			/* Windows' own name for an application whose image it
			 * could not read: "Faulting application name:
			 * BAD_MODULE_INFO, version: 0.0.0.0" */
			if (lv.n == 15 && wb_ieq_n(lv.p, "BAD_MODULE_INFO", 15)) {
				b = wb_cur(st, off0, off1);
				wb_set_once(&b->a.process, lv.p, lv.n);
				return 1;
			}
			if (lv.n > 4 && wb_ieq_n(lv.p + lv.n - 4, ".exe", 4)) {
				/* a path's file name */
				const char *p = lv.p + lv.n;
				while (p > lv.p && p[-1] != '\\' && p[-1] != '/')
					p--;
				b = wb_cur(st, off0, off1);
				wb_set_once(&b->a.process, p, (size_t)(lv.p + lv.n - p));
				return 1;
			}
			break;
		case WS_EXCEPTION: {
			unsigned long xc;
			char *h = ws_exception_name(lv.p, lv.n, &xc) ? xasprintf("0x%lx", xc) : pm_norm_hex(lv.p, lv.n);
			if (h && strlen(h) > 2 && strlen(h) <= 10) {
				b = wb_cur(st, off0, off1);
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
			b = wb_cur(st, off0, off1);
			wb_set_bucket(b, lv.p, lv.n, 2);
			return 1;
		case WS_FAULT_OFFSET: {
			char *h = pm_norm_hex(lv.p, lv.n);
			if (h && strlen(h) < sizeof b->fault_off) {
				b = wb_cur(st, off0, off1);
				if (!b->fault_off[0])
					memcpy(b->fault_off, h, strlen(h) + 1);
				free(h);
				return 1;
			}
			free(h);
			break;
		}
		case WS_DUMP:
			for (size_t i = lv.n; i > 0; i--)
				if (lv.p[i - 1] == '\\' || lv.p[i - 1] == '/') {
					/* WhoCrashed's "crash dump file: C:\Windows\Minidump\x.dmp" */
					lv.n -= i;
					lv.p += i;
					break;
				}
			if (lv.n > 4 && wb_ieq_n(lv.p + lv.n - 4, ".dmp", 4)) {
				/* a new block of a summary of several dumps */
				b = st->cur.live ? wb_start_new(st, off0, off1) : wb_cur(st, off0, off1);
				wb_set_once(&b->a.dump_name, lv.p, lv.n);
				return 1;
			}
			break;
		}
	}
	return 0;
}

/* Kernel-Power event 41 (the reboot after a bugcheck) as Event XML or
 * Event Viewer's friendly view: "<Data Name="BugcheckCode">80</Data>" or
 * "BugcheckCode 80" (decimal: 0x50; 0 when no bugcheck is recorded), then
 * "BugcheckParameter1" to "BugcheckParameter4" (hex) */
static int line_kernel_power(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	const char *k, *v;
	size_t kn, vn;
	if (wb_istarts(s, n, "<Data Name=\"Bugcheck")) {
		k = s + 12;
		const char *q = memchr(k, '"', n - 12);
		const char *gt = q ? memchr(q, '>', (size_t)(s + n - q)) : NULL;
		if (!gt)
			return 0;
		kn = (size_t)(q - k);
		v = gt + 1;
		const char *lt = memchr(v, '<', (size_t)(s + n - v));
		vn = (size_t)((lt ? lt : s + n) - v);
	} else if (wb_istarts(s, n, "BugcheckCode ") || wb_istarts(s, n, "BugcheckCode:") ||
		   wb_istarts(s, n, "BugcheckParameter")) {
		size_t i = 0;
		while (i < n && s[i] != ' ' && s[i] != ':')
			i++;
		k = s;
		kn = i;
		while (i < n && (s[i] == ' ' || s[i] == ':'))
			i++;
		v = s + i;
		vn = n - i;
		if (memchr(v, ' ', vn))
			return 0; /* one value, nothing after it */
	} else {
		return 0;
	}
	while (vn && *v == ' ')
		v++, vn--;
	while (vn && v[vn - 1] == ' ')
		vn--;
	if (!vn)
		return 0;
	if (kn == 12 && wb_ieq_n(k, "BugcheckCode", 12)) {
		unsigned long long c = 0;
		size_t i = 0;
		if (vn > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
			if (!wb_all_hex(v + 2, vn - 2) || vn > 18)
				return 0;
			for (i = 2; i < vn; i++)
				c = c << 4 | (unsigned long long)(isdigit((unsigned char)v[i]) ? v[i] - '0'
											: tolower((unsigned char)v[i]) - 'a' + 10);
		} else {
			if (vn > 10)
				return 0;
			for (i = 0; i < vn; i++) {
				if (!isdigit((unsigned char)v[i]))
					return 0;
				c = c * 10 + (unsigned long long)(v[i] - '0');
			}
		}
		st->kp_event = 0;
		if (c == 0 || c > 0xffffffffULL)
			return 1; /* a power loss, not a bugcheck */
		char hx[24];
		snprintf(hx, sizeof hx, "%llx", c);
		builder *b = wb_bugcheck_for(st, hx, strlen(hx), 0, off0, off1);
		not_prose_only(b);
		st->kp_event = 1;
		return 1;
	}
	if (kn == 18 && wb_ieq_n(k, "BugcheckParameter", 17) && k[17] >= '1' && k[17] <= '4') {
		if (st->kp_event && st->cur.live)
			wb_set_arg(&st->cur, k[17] - '1', v, vn, NULL, 0);
		return 1;
	}
	return 0;
}

/* Report.wer: "Sig[3].Name=Fault Module Name" then "Sig[3].Value=KERNELBASE.dll",
 * read as the labelled line "Fault Module Name: KERNELBASE.dll" */
static int line_report_wer(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	if (!wb_starts(s, n, "Sig["))
		return 0;
	const char *d = memchr(s, ']', n);
	if (!d || (size_t)(d - s) > 8 || d + 1 >= s + n || d[1] != '.')
		return 0;
	const char *f = d + 2;
	size_t fn = n - (size_t)(f - s);
	if (wb_starts(f, fn, "Name=")) {
		size_t vn = fn - 5;
		if (vn >= sizeof st->wer_sig)
			vn = sizeof st->wer_sig - 1;
		memcpy(st->wer_sig, f + 5, vn);
		st->wer_sig[vn] = 0;
		return 1;
	}
	if (wb_starts(f, fn, "Value=") && st->wer_sig[0]) {
		sbuf l = {0};
		sb_adds(&l, st->wer_sig);
		sb_adds(&l, ": ");
		sb_add(&l, f + 6, fn - 6);
		st->wer_sig[0] = 0;
		ws_span lv = {NULL, 0};
		enum ws_role role = ws_labelled(l.buf ? l.buf : "", l.len, &lv);
		/* the value is copied into the analysis before l is freed */
		wb_labelled_value(st, role, lv, off0, off1);
		free(l.buf);
		return 1;
	}
	return 0;
}

/* Visual Studio's exception messages: "Exception thrown at 0x00007FFA39041EA7
 * (Microsoft.UI.Xaml.dll) in app.exe: 0xC0000005: Access violation ...",
 * "Unhandled exception at 0x7728EDBB (ucrtbase.dll) in Fork.exe: Fatal
 * program exit requested.", "First-chance exception at ...": the module,
 * the process and the exception code (user mode: never a bugcheck) */
static int line_vs_exception(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	const char *p = wb_ifind(s, n, "exception thrown at 0x");
	if (p)
		p += 20;
	else if ((p = wb_ifind(s, n, "exception at 0x")))
		p += 13;
	else
		return 0;
	const char *e = s + n;
	while (p < e && *p != ' ')
		p++; /* the address */
	while (p < e && *p == ' ')
		p++;
	const char *mod = NULL;
	size_t modn = 0;
	if (p < e && *p == '(') {
		const char *q = memchr(p, ')', (size_t)(e - p));
		if (!q)
			return 0;
		mod = p + 1;
		modn = (size_t)(q - mod);
		p = q + 1;
		while (p < e && *p == ' ')
			p++;
	}
	if (!wb_starts(p, (size_t)(e - p), "in "))
		return 0;
	p += 3;
	const char *colon = memchr(p, ':', (size_t)(e - p));
	if (!colon)
		return 0;
	const char *proc = p;
	size_t procn = (size_t)(colon - p);
	builder *b = wb_cur(st, off0, off1);
	if (mod && modn && wb_module_name_ok(mod, modn)) {
		wb_module_get(&b->a, mod, modn);
		wb_set_once(&b->a.caused_by, mod, modn);
	}
	if (procn > 4 && wb_ieq_n(proc + procn - 4, ".exe", 4) && !memchr(proc, '[', procn) && !memchr(proc, ' ', procn))
		wb_set_once(&b->a.process, proc, procn);
	p = colon + 1;
	while (p < e && *p == ' ')
		p++;
	const char *c = p;
	while (p < e && *p != ':' && *p != ' ')
		p++;
	if (p < e && *p == ':' && p - c > 2 && c[0] == '0' && (c[1] == 'x' || c[1] == 'X') && !b->a.exception_code &&
	    !b->a.bugcheck_code)
		b->a.exception_code = pm_norm_hex(c, (size_t)(p - c));
	not_prose_only(b);
	return 1;
}

/* DumpStack.log, the crash-dump stack's own log of a bugcheck: the code
 * and the four arguments on lines of their own, 64-bit hex,
 * "#BugCheckCode 0x000000000000003B", "#BugCheckP1 0x00000000C0000005"
 * ... "#BugCheckP4 0x0000000000000000" */
static int line_dumpstack_log(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	if (n < 12 || s[0] != '#' || !wb_starts(s, n, "#BugCheck"))
		return 0;
	const char *p = s + 9, *e = s + n;
	int arg = -1;
	if (wb_starts(p, (size_t)(e - p), "Code "))
		p += 5;
	else if (e - p > 3 && p[0] == 'P' && p[1] >= '1' && p[1] <= '4' && p[2] == ' ')
		arg = p[1] - '1', p += 3;
	else
		return 0;
	while (p < e && *p == ' ')
		p++;
	size_t k = 0;
	while (p + k < e && (is_hex(p[k]) || (k == 1 && (p[k] == 'x' || p[k] == 'X'))))
		k++;
	if (k == 0 || p + k != e)
		return 0;
	if (arg < 0) {
		/* a 64-bit field holding a 32-bit code */
		char *h = pm_norm_hex(p, k);
		int ok = h && strlen(h) <= 10;
		free(h);
		if (!ok)
			return 0;
		builder *b = wb_bugcheck_for(st, p, k, 1, off0, off1);
		not_prose_only(b);
		return 1;
	}
	if (!st->cur.live || !st->cur.a.bugcheck_code)
		return 0;
	wb_set_arg(wb_cur(st, off0, off1), arg, p, k, NULL, 0);
	return 1;
}

/* An exception code Windows or the debugger recorded (c[0..cn), hex) for
 * the current analysis, unless it has one or is a bugcheck's: evidence of
 * an analysis by itself. Returns 1 (the line is taken). */
static int recorded_exception(state *st, const char *c, size_t cn, size_t off0, size_t off1)
{
	builder *b = wb_cur(st, off0, off1);
	if (!b->a.exception_code && !b->a.bugcheck_code) {
		b->a.exception_code = pm_norm_hex(c, cn);
		b->own_evidence = 1;
	}
	not_prose_only(b);
	return 1;
}

/* A program's own report of the exception that ended it: "Unhandled
 * Win32 exception 0xC0000005.", "Unhandled Exception e06d7363
 * (e06d7363h) at 0x...", "SqlDumpExceptionHandler: Process 1156
 * generated fatal exception c0000005 EXCEPTION_ACCESS_VIOLATION": a status
 * code from 0x80000000 up that is no bug check; a "Module: x.dll" or
 * "Module name: 'x.dll'" on one of the next three lines is where it was
 * raised */
static int line_unhandled_exception(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	if (st->exc_line && st->lineno - st->exc_line <= 3 && st->cur.live && !st->cur.a.caused_by &&
	    (wb_istarts(s, n, "module:") || wb_istarts(s, n, "module name:"))) {
		const char *p = memchr(s, ':', n) + 1, *e = s + n;
		while (p < e && (*p == ' ' || *p == '\'' || *p == '"'))
			p++;
		size_t l = 0;
		while (p + l < e && p[l] != ' ' && p[l] != '\'' && p[l] != '"' && p[l] != ',')
			l++;
		while (l && p[l - 1] == '.')
			l--;
		st->exc_line = 0;
		if (l > 4 && memchr(p, '.', l) && wb_module_name_ok(p, l)) {
			wb_module_get(&st->cur.a, p, l);
			wb_set_once(&st->cur.a.caused_by, p, l);
			return 1;
		}
		return 0;
	}
	/* an exception's documented name and its code: "Expression:
	 * EXCEPTION_ACCESS_VIOLATION (0xC0000005)" (a game's crash reporter) */
	const char *xn = n >= 30 ? (const char *)memchr(s, 'E', n) : NULL;
	for (; xn && s + n - xn >= 30; xn = memchr(xn + 1, 'E', (size_t)(s + n - xn - 1))) {
		if (memcmp(xn, "EXCEPTION_", 10) != 0 || (xn > s && (isalnum((unsigned char)xn[-1]) || xn[-1] == '_')))
			continue;
		size_t t = 0;
		while (xn + t < s + n && (isupper((unsigned char)xn[t]) || xn[t] == '_'))
			t++;
		unsigned long xc;
		const char *q = xn + t;
		if (!ws_exception_name(xn, t, &xc) || s + n - q < 13 || memcmp(q, " (0x", 4) != 0)
			continue;
		char hx[9];
		memcpy(hx, q + 4, 8);
		hx[8] = 0;
		size_t hl = 0;
		while (hl < 8 && is_hex(hx[hl]))
			hl++;
		if (hl == 8 && q[12] == ')' && strtoul(hx, NULL, 16) == xc)
			return recorded_exception(st, q + 4, 8, off0, off1);
	}
	if (n < 24 || !wb_has_lit(s, n, "xception "))
		return 0;
	static const char *const said[] = {"unhandled win32 exception ", "unhandled exception ", "fatal exception "};
	const char *c = NULL;
	for (size_t k = 0; k < PMKB_ARRAY_LEN(said) && !c; k++)
		if ((c = wb_ifind(s, n, said[k])) != NULL)
			c += strlen(said[k]);
	if (!c)
		return 0;
	if (s + n - c > 2 && c[0] == '0' && (c[1] == 'x' || c[1] == 'X'))
		c += 2;
	size_t cn = 0;
	while (c + cn < s + n && is_hex(c[cn]))
		cn++;
	if (cn != 8 || (c + cn < s + n && (is_alnum_ascii(c[cn]) || c[cn] == '_')))
		return 0;
	char hx[9];
	memcpy(hx, c, 8);
	hx[8] = 0;
	unsigned long long v = strtoull(hx, NULL, 16);
	if (v < 0x80000000ULL || bugcheck_name_of(v))
		return 0;
	st->exc_line = st->lineno;
	return recorded_exception(st, c, cn, off0, off1);
}

/* The heap manager's report of a corrupted heap, "Critical error
 * detected c0000374" (a debugger's break 80000003 follows it): the
 * exception is the status it names */
static int line_heap_critical(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	if (n < 32 || (s[0] != 'C' && s[0] != 'c') || !wb_istarts(s, n, "Critical error detected "))
		return 0;
	const char *c = s + 24;
	size_t cn = 0;
	while (c + cn < s + n && is_hex(c[cn]))
		cn++;
	if (cn != 8 || (c + cn < s + n && is_alnum_ascii(c[cn])))
		return 0;
	return recorded_exception(st, c, cn, off0, off1);
}

/* The .NET Runtime's event 1026 of an unhandled exception, "Exception
 * Info: System.Exception: Duplicate rules found" (after "Application:
 * x.exe" and "Description: The process was terminated due to an unhandled
 * exception."): an application crash of its own; its stack, "   at
 * Ns.Type.Method()", follows */
static int line_clr_exception_info(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	if (s[0] != 'E' || !wb_starts(s, n, "Exception Info: "))
		return 0;
	const char *t = s + 16, *e = s + n;
	/* a native exception the runtime reports: "Exception Info: exception
	 * code c0000005, exception address 5EB8E0AF" */
	if (wb_istarts(t, (size_t)(e - t), "exception code ")) {
		const char *c = t + 15;
		size_t cn = 0;
		while (c + cn < e && is_hex(c[cn]))
			cn++;
		if (cn == 8)
			return recorded_exception(st, c, cn, off0, off1);
		return 0;
	}
	size_t k = 0, dots = 0;
	while (t + k < e && (is_alnum_ascii(t[k]) || t[k] == '.' || t[k] == '_')) {
		dots += t[k] == '.';
		k++;
	}
	if (dots == 0 || k < 9 || !wb_ieq_n(t + k - 9, "Exception", 9))
		return 0;
	builder *b = wb_cur(st, off0, off1);
	b->own_evidence = 1;
	not_prose_only(b);
	return 1;
}

/* Windows' crash dialog: its title "OUTLOOK.EXE - Application Error" (also
 * after a copy's "Message: ") names the process; its text "The
 * instruction at "0x308e00de" referenced memory at "0x00000006". The memory
 * could not be "read"." is an access violation, c0000005 */
static int line_crash_dialog(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	const char *t = s;
	size_t tn = n;
	if (wb_istarts(t, tn, "Message: "))
		t += 9, tn -= 9;
	if (tn > 24 && wb_ieq_n(t + tn - 20, " - Application Error", 20)) {
		size_t pn = tn - 20;
		if (pn > 4 && !memchr(t, ' ', pn) && wb_ieq_n(t + pn - 4, ".exe", 4)) {
			builder *b = wb_cur(st, off0, off1);
			wb_set_once(&b->a.process, t, pn);
			b->own_evidence = 1;
			not_prose_only(b);
			return 1;
		}
		return 0;
	}
	if (n > 40 && wb_ifind(s, n, "memory at \"0x") &&
	    (wb_ifind(s, n, "could not be \"") || wb_ifind(s, n, "cannot be \"")))
		return recorded_exception(st, "c0000005", 8, off0, off1);
	/* "The exception unknown software exception (0x006d007e) occurred in
	 * the application at location 0x77e8f142." */
	const char *x = n > 40 ? wb_ifind(s, n, "The exception ") : NULL;
	const char *o = x ? wb_ifind(x, n - (size_t)(x - s), ") occurred in the application") : NULL;
	if (o) {
		const char *c = o;
		while (c > x && is_hex(c[-1]))
			c--;
		if (c - x > 3 && c[-1] == 'x' && c[-2] == '0' && c[-3] == '(' && o - c >= 1 && o - c <= 8)
			return recorded_exception(st, c, (size_t)(o - c), off0, off1);
	}
	return 0;
}

/* A virtual machine's log of the guest's crash: "WinBSOD: Synthetic
 * MSR[0x40000100] 0x80" then MSR[0x40000101] to [0x40000104], Hyper-V's
 * crash registers P0 to P4 (the code and the four arguments, as VMware
 * and Hyper-V record them) */
static int line_crash_msr(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	const char *m = n > 24 ? wb_ifind(s, n, "MSR[0x4000010") : NULL;
	if (!m || !(wb_ifind(s, n, "WinBSOD") || wb_ifind(s, n, "Synthetic MSR")))
		return 0;
	const char *e = s + n, *d = m + 13;
	if (d + 3 >= e || *d < '0' || *d > '4' || d[1] != ']' || d[2] != ' ')
		return 0;
	int k = *d - '0';
	const char *v = d + 3;
	while (v < e && *v == ' ')
		v++;
	if (e - v < 3 || v[0] != '0' || (v[1] != 'x' && v[1] != 'X'))
		return 0;
	const char *h = v + 2;
	size_t hn = 0;
	while (h + hn < e && is_hex(h[hn]))
		hn++;
	if (!hn || hn > 16)
		return 0;
	builder *b = &st->cur;
	if (k == 0) {
		b = wb_bugcheck_for(st, h, hn, 1, off0, off1);
		not_prose_only(b);
	} else if (b->live && b->a.bugcheck_code) {
		wb_set_arg(b, k - 1, h, hn, NULL, 0);
	}
	return 1;
}

/* The .NET Runtime's event 1023, "Description: The process was terminated
 * due to an internal error in the .NET Runtime at IP 0x00007FFCFDE9C5E4
 * (0x00007FFCFDD10000) with exit code 0x80131506.": the runtime's failure
 * code is the crash's exception code */
static int line_clr_internal_error(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	if (n < 60 || !wb_ifind(s, n, "internal error in the .NET Runtime"))
		return 0;
	const char *x = wb_ifind(s, n, "with exit code 0x");
	if (!x)
		return 0;
	x += 17;
	size_t xn = 0;
	while (x + xn < s + n && is_hex(x[xn]))
		xn++;
	if (xn == 0 || xn > 8)
		return 0;
	return recorded_exception(st, x, xn, off0, off1);
}

/* A user-mode !analyze whose failure code is not the exception's:
 * "DEBUG_FLR_EXCEPTION_CODE(8000ffff) and the ".exr -1"
 * ExceptionCode(c000027b) don't match" - the exception raised is the
 * second (a stowed or fail-fast exception under an HRESULT), the one a
 * person names the crash by. */
static int line_exr_mismatch(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	if (s[0] != 'D' || !wb_starts(s, n, "DEBUG_FLR_EXCEPTION_CODE("))
		return 0;
	const char *c = wb_ifind(s, n, "ExceptionCode(");
	if (!c)
		return 0;
	c += 14;
	size_t cn = 0;
	while (c + cn < s + n && is_hex(c[cn]))
		cn++;
	if (cn == 0 || cn > 8 || c + cn >= s + n || c[cn] != ')')
		return 0;
	return recorded_exception(st, c, cn, off0, off1);
}

/* Windows XP's Application Error event in one sentence: "Faulting
 * application acme.exe, version 1.0.0.0, faulting module ntdll.dll, version
 * 5.1.2600.5512, fault address 0x0001e8f4." */
static int line_xp_app_error(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	if (wb_istarts(s, n, "Faulting application ") && !wb_istarts(s + 21, n - 21, "name") &&
	    !wb_istarts(s + 21, n - 21, "path") && !wb_istarts(s + 21, n - 21, "start")) {
		const char *a = s + 21, *e = s + n;
		size_t an = 0;
		while (a + an < e && a[an] != ',' && a[an] != ' ')
			an++;
		const char *m = wb_ifind(s, n, "faulting module ");
		if (!(an > 4 && wb_ieq_n(a + an - 4, ".exe", 4)) || !m)
			return 0;
		builder *b = wb_cur(st, off0, off1);
		wb_set_once(&b->a.process, a, an);
		m += 16;
		size_t mn = 0;
		while (m + mn < e && m[mn] != ',' && m[mn] != ' ')
			mn++;
		if (mn && wb_module_name_ok(m, mn) && !(mn == 7 && wb_ieq_n(m, "unknown", 7))) {
			wb_module_get(&b->a, m, mn);
			wb_set_once(&b->a.caused_by, m, mn);
		}
		/* Vista's and Server 2008's sentence goes on: "..., exception
		 * code 0xe053534f, fault offset 0x000442eb, process id ..." */
		const char *x = wb_ifind(s, n, ", exception code 0x");
		if (x && !b->a.exception_code) {
			x += 17;
			size_t xn = 0;
			while (x + xn < e && x[xn] != ',' && x[xn] != ' ')
				xn++;
			char *h = pm_norm_hex(x, xn);
			if (h && strlen(h) > 2 && strlen(h) <= 10) {
				b->a.exception_code = h;
				h = NULL;
			}
			free(h);
		}
		const char *fo = wb_ifind(s, n, ", fault offset 0x");
		if (fo && !b->fault_off[0]) {
			fo += 15;
			size_t fn = 0;
			while (fo + fn < e && fo[fn] != ',' && fo[fn] != ' ' && fo[fn] != '.')
				fn++;
			char *h = pm_norm_hex(fo, fn);
			if (h && strlen(h) < sizeof b->fault_off)
				memcpy(b->fault_off, h, strlen(h) + 1);
			free(h);
		}
		not_prose_only(b);
		return 1;
	}
	return 0;
}

/* A user-mode debugger's exception event: "(27fc.2858): CLR exception - code
 * e0434352 (first/second chance not available)", "(1a2c.3f0): Access
 * violation - code c0000005 (first chance)": the exception code, unless the
 * analysis is a bugcheck's or it is the break a debugger attaches with */
static int line_dbg_event(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	size_t i = 0;
	if (n >= 8 && s[0] == '(' && is_hex(s[1])) {
		i = 1;
		while (i < n && is_hex(s[i]))
			i++;
		if (i >= n || s[i] != '.')
			return 0;
		i++;
		size_t j = i;
		while (i < n && is_hex(s[i]))
			i++;
		if (i == j || i + 1 >= n || s[i] != ')' || s[i + 1] != ':')
			return 0;
	} else {
		/* the event without its "(pid.tid): ", as a title or a quote
		 * gives it: "Access violation - code c0000005": an exception's
		 * description (letters, blanks, '+', '-') right before */
		const char *m = wb_ifind(s, n, " - code ");
		if (!m)
			return 0;
		while (i < n && (s[i] == '#' || s[i] == '>' || s[i] == ' ' || s[i] == '`'))
			i++;
		/* .lastevent's "Last event: 616c.a550: Unknown exception - code c0000374" */
		if (wb_starts(s + i, n - i, "Last event: ")) {
			size_t k = i + 12, h0 = k;
			while (k < n && is_hex(s[k]))
				k++;
			if (k > h0 && k < n && s[k] == '.') {
				size_t h1 = ++k;
				while (k < n && is_hex(s[k]))
					k++;
				if (k > h1 && k + 1 < n && s[k] == ':' && s[k + 1] == ' ')
					i = k + 2;
			}
		}
		size_t j = (size_t)(m - s);
		if (j <= i || j - i > 64 || !isalpha((unsigned char)s[i]))
			return 0;
		for (size_t k = i; k < j; k++)
			if (!(isalpha((unsigned char)s[k]) || s[k] == ' ' || s[k] == '+' || s[k] == '-'))
				return 0;
		i = j;
	}
	const char *c = wb_ifind(s + i, n - i, " - code ");
	if (!c)
		return 0;
	c += 8;
	size_t cn = 0;
	while (c + cn < s + n && is_hex(c[cn]))
		cn++;
	if (cn < 8 || cn > 8)
		return 0;
	/* the break a debugger attaches with (4000001f under WOW64): no crash */
	if (wb_ieq_n(c, "80000003", 8) || wb_ieq_n(c, "4000001f", 8))
		return 1;
	return recorded_exception(st, c, cn, off0, off1);
}

/* Breakpad's minidump_stackwalk: "Thread 0 (crashed)" then " 0  rdm.exe +
 * 0x27896" (or "0  rdm.exe!F [file.cpp : 12 + 0x5]"): the module of the
 * crashed thread's frame 0 is the faulting module */
static int line_breakpad(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	if (wb_starts(s, n, "Thread ") && n > 10 && wb_ieq_n(s + n - 9, "(crashed)", 9)) {
		st->bp_crashed = 1;
		return 1;
	}
	if (!st->bp_crashed)
		return 0;
	if (!(n > 3 && s[0] == '0' && s[1] == ' '))
		return 0;
	st->bp_crashed = 0;
	const char *m = s + 2;
	size_t mn = 0;
	while (m + mn < s + n && m[mn] != ' ' && m[mn] != '!')
		mn++;
	if (mn && !(mn > 2 && m[0] == '0' && m[1] == 'x') && wb_module_name_ok(m, mn)) {
		builder *b = wb_cur(st, off0, off1);
		wb_module_get(&b->a, m, mn);
		wb_set_once(&b->a.caused_by, m, mn);
		not_prose_only(b);
	}
	return 1;
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
		if (wb_parse_callsite(s, n - 1, &f, NULL, NULL)) {
			size_t ml = f.module ? strlen(f.module) : 0;
			int kernel = (ml == 2 && wb_ieq_n(f.module, "nt", 2)) || (ml == 3 && wb_ieq_n(f.module, "hal", 3)) ||
				     wb_istarts(f.module, ml, "ntkrnl") || wb_istarts(f.module, ml, "ntoskrnl");
			if (f.module && f.function && !kernel)
				wb_set_once(&b->a.fault_ip, s, n - 1);
			wb_frame_free(&f);
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
	if (wb_starts(s, n, "*** WARNING: Unable to verify timestamp for ") || wb_starts(s, n, "*** WARNING: Unable to verify checksum for ")) {
		size_t pl = s[35] == 't' ? 44 : 43; /* "timestamp for " / "checksum for " */
		const char *p = s + pl;
		size_t pn = n - pl;
		while (pn && p[pn - 1] == ' ')
			pn--;
		if (pn) {
			b = wb_cur(st, off0, off1);
			wb_module_get(&b->a, p, pn);
			wb_add_warned(&b->a, p, pn);
		}
		return 1;
	}
	/* "***** Kernel symbols are WRONG. Please fix symbols to do analysis." */
	if (wb_ifind(s, n, "symbols are WRONG")) {
		b = wb_cur(st, off0, off1);
		wb_add_listed(&b->a.unreliable, "nt", 2);
		return 1;
	}
	/* other debugger warnings that name an image */
	{
		static const char *const warn[] = {"symbols could not be loaded for ", "Defaulted to export symbols for ",
			"Symbol file could not be found. Defaulted to export symbols for ", "Unable to load image "};
		for (size_t w = 0; w < PMKB_ARRAY_LEN(warn); w++) {
			const char *p = wb_ifind(s, n, warn[w]);
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
			if (pn && wb_module_name_ok(p, pn)) {
				b = wb_cur(st, off0, off1);
				wb_module_get(&b->a, p, pn);
				wb_add_warned(&b->a, p, pn);
				/* export symbols: the function names of its frames are
				 * the nearest export, not the code that ran */
				if (warn[w][0] == 'D' || warn[w][0] == 'S')
					wb_add_listed(&b->a.unreliable, p, pn);
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
	/* !analyze's line and WhoCrashed's ("This was probably caused by the
	 * following module: x.sys (x+0x24DC)"), in Japanese too */
	static const char *const said[] = {"Probably caused by", "原因である可能性があります"};
	const char *v = NULL;
	for (size_t k = 0; k < PMKB_ARRAY_LEN(said) && !v; k++)
		v = wb_ifind(s, n, said[k]);
	if (v) {
		const char *p = strchr(v, ':');
		if (p) {
			p++;
			while (*p == ' ')
				p++;
			/* WhoCrashed's link text before the name: "GOOGLE search:" */
			if (wb_istarts(p, strlen(p), "google ")) {
				const char *c = strchr(p, ':');
				if (c && c - p < 24) {
					p = c + 1;
					while (*p == ' ')
						p++;
				}
			}
			const char *e = p;
			while (*e && *e != ' ' && *e != '(')
				e++;
			if (e > p) {
				b = wb_cur(st, off0, off1);
				wb_module_get(&b->a, p, (size_t)(e - p));
				/* "x.sys ( x!F+4a )" whole: the symbol names the function */
				const char *end = s + n;
				while (end > e && (end[-1] == '`' || end[-1] == ' '))
					end--;
				wb_set_once(&b->a.caused_by, p, (size_t)(end - p));
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
	/* the debugger's "Loading Dump File [C:\LocalDumps\explorer.exe.17364.dmp]"
	 * at a session's start: the file's name */
	if (n > 24 && s[0] == 'L' && wb_starts(s, n, "Loading Dump File [")) {
		const char *p = s + 19, *e = memchr(p, ']', n - 19);
		if (e && e - p > 4 && wb_ieq_n(e - 4, ".dmp", 4)) {
			const char *b0 = e;
			while (b0 > p && b0[-1] != '\\' && b0[-1] != '/')
				b0--;
			/* the session's first dump only: a second load in one
			 * paste may fail ("Could not open dump file") */
			if (!st->cur.live)
				wb_set_once(&wb_cur(st, off0, off1)->a.dump_name, b0, (size_t)(e - b0));
			return 1;
		}
	}
	/* dump named in prose: "liyue-hwclient.DMP：" */
	if (n > 5 && n < 300) {
		size_t e = n;
		if (e >= 3 && wb_starts(s + e - 3, 3, "："))
			e -= 3;
		else if (s[e - 1] == ':')
			e--;
		if (e < n && e > 4 && wb_ieq_n(s + e - 4, ".dmp", 4)) {
			builder *nb = st->cur.live ? wb_start_new(st, off0, off1) : wb_cur(st, off0, off1);
			wb_set_once(&nb->a.dump_name, s, e);
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
					wb_add_local(&b->a, nb, (size_t)(ne - nb), vb, (size_t)(ve - vb), cb, cl2);
			}
		}
	}
	return 0;
}

/* a pool tag tied to a driver in prose */
static int line_prose_pool_tag(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	/* a pool tag tied to a driver in prose: "tag为Filt的block，即vwifimf.sys" */
	if (wb_ifind(s, n, "tag") && wb_ifind(s, n, ".sys")) {
		for (const char *q = s; (q = wb_ifind(q, n - (size_t)(q - s), "tag")) != NULL; q += 3) {
			if (q > s && is_alnum_ascii(q[-1]))
				continue;
			const char *r = q + 3;
			const char *e = s + n;
			for (int k = 0; k < 4 && r < e; k++) {
				if (*r == ' ' || *r == ':' || *r == '\'')
					r++;
				else if (wb_starts(r, (size_t)(e - r), "为") || wb_starts(r, (size_t)(e - r), "是"))
					r += 3;
				else
					break;
			}
			size_t tl = 0;
			while (r + tl < e && is_alnum_ascii(r[tl]) && tl < 5)
				tl++;
			if (tl < 3 || tl > 4 || (r + tl < e && is_alnum_ascii(r[tl])))
				continue;
			const char *x = wb_ifind(r + tl, (size_t)(e - r - tl), ".sys");
			if (!x)
				break;
			const char *nb2 = x;
			while (nb2 > r + tl && (is_alnum_ascii(nb2[-1]) || nb2[-1] == '_' || nb2[-1] == '-'))
				nb2--;
			if (nb2 == x)
				break;
			builder *tb = wb_cur(st, off0, off1);
			pm_pooltag *pt = wb_tag_get(&tb->a, r, tl, 0);
			if (pt && !pt->owner)
				pt->owner = xstrndup(nb2, (size_t)(x + 4 - nb2));
			break;
		}
	}
	return 0;
}

/* A boot loader's error screen: "File: \Windows\System32\drivers\x.sys"
 * and, on one of the next lines, its status ("Error code: 0xc0000098",
 * "Status: 0xc000000f"), under "The operating system couldn't be loaded
 * because a critical system driver is missing or contains errors": the
 * driver file it names is the driver at fault. No bugcheck: the status is
 * not a stop code. */
static int line_boot_error(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (n > 5 && wb_istarts(s, n, "file:")) {
		const char *p = s + 5;
		size_t pn = n - 5;
		while (pn && (*p == ' ' || *p == '\t'))
			p++, pn--;
		/* a path: its last component, a .sys file */
		const char *b0 = p;
		for (size_t i = 0; i < pn; i++)
			if (p[i] == '\\' || p[i] == '/')
				b0 = p + i + 1;
		size_t bl = (size_t)(p + pn - b0);
		st->boot_file_line = 0;
		if (b0 > p && bl > 4 && bl < sizeof st->boot_file && wb_ieq_n(b0 + bl - 4, ".sys", 4) &&
		    wb_module_name_ok(b0, bl - 4)) {
			memcpy(st->boot_file, b0, bl);
			st->boot_file[bl] = 0;
			st->boot_file_line = st->lineno;
			st->boot_file_off0 = off0;
		}
		return 0;
	}
	if (!st->boot_file_line || st->lineno - st->boot_file_line > 3)
		return 0;
	size_t k = n > 11 && wb_istarts(s, n, "error code:") ? 11 : n > 7 && wb_istarts(s, n, "status:") ? 7 : 0;
	if (!k)
		return 0;
	const char *p = s + k;
	while (p < s + n && (*p == ' ' || *p == '\t'))
		p++;
	size_t hl = 0;
	if (s + n - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		while (p + 2 + hl < s + n && isxdigit((unsigned char)p[2 + hl]))
			hl++;
	if (hl != 8 || p + 2 + hl != s + n)
		return 0;
	size_t fl = strlen(st->boot_file);
	builder *b = wb_cur(st, st->boot_file_off0, off1);
	wb_module_get(&b->a, st->boot_file, fl);
	wb_set_once(&b->a.caused_by, st->boot_file, fl);
	not_prose_only(b);
	st->boot_file_line = 0;
	return 1;
}

/* prose: drivers, the process name and a bugcheck it names */
/* An application's crash told in a sentence: "... it provides is w3wp.exe
 * Faulting Application Exception Code 0xc0000409", "an event ID 1000 for
 * Wfica32.exe crashing with error code 0xc0000005", "process w3wp.exe
 * crashed with “Exception Code: 0xc00000fd”": a program, a status code
 * (0x80000000 and up, not a bug check's) and a word of a crash, in one line;
 * an application or a program spoken of in place of its file, with an
 * "exception code" */
static int prose_app_crash(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	const char *k = wb_ifind(s, n, "exception code");
	size_t kl = 14;
	if (!k) {
		k = wb_ifind(s, n, "error code");
		kl = 10;
	}
	if (!k)
		return 0;
	const char *e = s + n, *c = k + kl;
	for (int r = 0; r < 6 && c < e; r++) {
		if (*c == ' ' || *c == ':' || *c == '"' || *c == '`')
			c++;
		else if (e - c >= 3 && (unsigned char)c[0] == 0xE2 && (unsigned char)c[1] == 0x80 &&
			 ((unsigned char)c[2] == 0x9C || (unsigned char)c[2] == 0x98))
			c += 3; /* an opening curly quote */
		else
			break;
	}
	if (e - c < 10 || c[0] != '0' || (c[1] != 'x' && c[1] != 'X'))
		return 0;
	c += 2;
	size_t cn = 0;
	while (c + cn < e && is_hex(c[cn]))
		cn++;
	if (cn != 8 || (c + cn < e && is_alnum_ascii(c[cn])) || !strchr("89abcdefABCDEF", c[0]))
		return 0;
	char hx[9];
	memcpy(hx, c, 8);
	hx[8] = 0;
	if (bugcheck_name_of(strtoull(hx, NULL, 16)))
		return 0;
	static const char *const crash[] = {"crash", "faulting", "application error", "event id 1000", "stopped working",
					    "terminated"};
	int said = 0;
	for (size_t i = 0; i < PMKB_ARRAY_LEN(crash) && !said; i++)
		said = wb_ifind(s, n, crash[i]) != NULL;
	if (!said)
		return 0;
	/* the program: the first "x.exe" of the line */
	const char *x = NULL;
	for (const char *p = s; !x && (p = wb_ifind(p, (size_t)(e - p), ".exe")) != NULL; p += 4) {
		if (p + 4 < e && (is_alnum_ascii(p[4]) || p[4] == '_'))
			continue;
		const char *a = p;
		while (a > s && (is_alnum_ascii(a[-1]) || a[-1] == '_' || a[-1] == '-' || a[-1] == '.'))
			a--;
		if (a < p)
			x = a;
		if (x) {
			builder *b = wb_cur(st, off0, off1);
			wb_set_once(&b->a.process, x, (size_t)(p + 4 - x));
		}
	}
	/* no program named: "the application crashes during the loading
	 * phase ... exception code 0xE0434352" (an exception code, not an
	 * error code, and an application spoken of) */
	if (!x && !(kl == 14 && (wb_ifind(s, n, "application") || wb_ifind(s, n, "program"))))
		return 0;
	return recorded_exception(st, c, cn, off0, off1);
}

static int line_prose(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	const char *v;
	/* "The failure bucket is also consistently:": the bucket follows */
	if (n > 8 && s[n - 1] == ':' && wb_ifind(s, n, "bucket"))
		st->bucket_said = st->lineno;
	const char *code = NULL;
	size_t cl = 0;
	/* driver files the prose names: the culprit of last resort */
	wb_collect_prose_sys(st, s, n, off0, off1);
	wb_collect_prose_blame(st, s, n, off0, off1);
	/* "the process name was AdguardSvc.exe", "`PROCESS_NAME` is `x.exe`" */
	if (!st->prose_process[0] && ((v = wb_ifind(s, n, "process name")) || (v = wb_ifind(s, n, "process_name")))) {
		const char *p = v + 12, *e = s + n;
		for (int r = 0; r < 4 && p < e; r++) {
			while (p < e && (*p == ' ' || *p == '`' || *p == ':' || *p == '*'))
				p++;
			if (e - p > 3 && wb_istarts(p, (size_t)(e - p), "was "))
				p += 4;
			else if (e - p > 2 && wb_istarts(p, (size_t)(e - p), "is "))
				p += 3;
			else
				break;
		}
		size_t l = 0;
		while (p + l < e && (is_alnum_ascii(p[l]) || p[l] == '_' || p[l] == '-' || p[l] == '.' || p[l] == '+'))
			l++;
		while (l && p[l - 1] == '.')
			l--;
		if (l > 4 && l < sizeof st->prose_process && wb_ieq_n(p + l - 4, ".exe", 4)) {
			memcpy(st->prose_process, p, l);
			st->prose_process[l] = 0;
		}
	}

	if (!st->cur.live && prose_app_crash(st, s, n, off0, off1))
		return 1;
	/* Reliability Monitor's "LiveKernelEvent Code 141": a live dump's code,
	 * which the table of bug checks names */
	if ((v = wb_ifind(s, n, "LiveKernelEvent Code ")) != NULL) {
		const char *c = v + 21;
		size_t cn = 0;
		while (c + cn < s + n && is_hex(c[cn]))
			cn++;
		char hx[9];
		if (cn >= 2 && cn <= 8 && !(c + cn < s + n && is_alnum_ascii(c[cn]))) {
			memcpy(hx, c, cn);
			hx[cn] = 0;
			if (bugcheck_name_of(strtoull(hx, NULL, 16))) {
				builder *lb = wb_bugcheck_for(st, c, cn, 0, off0, off1);
				not_prose_only(lb);
				return 1;
			}
		}
	}
	/* bugcheck named in prose: by code, or by its name alone
	 * ("the stop code is KMODE EXCEPTION NOT HANDLED") */
	char namehex[24];
	ws_span pname = {NULL, 0};
	int by_code = wb_prose_bugcheck(s, n, &code, &cl) || wb_prose_stop_code(s, n, &code, &cl);
	unsigned long long ncode = 0;
	int by_name = ws_bugcheck_name(s, n, &ncode, &pname);
	if (!by_code && by_name) {
		snprintf(namehex, sizeof namehex, "%llx", ncode);
		code = namehex;
		cl = strlen(namehex);
	}
	if (by_code || by_name) {
		builder *cb = &st->cur;
		if (cb->live && cb->a.bugcheck_code && !wb_code_eq(cb, code, cl)) {
			/* prose after a complete analysis (its arguments and a
			 * stack) explains it, it does not start another: docs
			 * pages name related bugchecks after the analysis */
			if (cb->a.args[0] && cb->a.nframes >= 2)
				return 1;
			/* a name alone after a code and its four arguments: the
			 * record or prose that explains it ("Notify Type :
			 * Machine Check Exception" of !errrec under a 0x124) */
			if (!by_code && cb->a.args[0] && cb->a.args[3])
				return 1;
			cb = wb_start_new(st, off0, off1);
		}
		int fresh = !cb->live;
		cb = wb_cur(st, off0, off1);
		if (by_name && !cb->a.bugcheck_name) {
			char hx[24];
			snprintf(hx, sizeof hx, "%llx", ncode);
			if (!cb->a.bugcheck_code || wb_code_eq(cb, hx, strlen(hx)) || !by_code)
				wb_set_once(&cb->a.bugcheck_name, pname.p, pname.n);
		}
		if (by_name) {
			/* the file named right after the name: "Kmode_Exception_
			 * Not_Handled. RASDD.DLL", "PAGE_FAULT_IN_NONPAGED_AREA
			 * (ntfs.sys)" (a library too, there) */
			const char *f = pname.p + pname.n, *e = s + n;
			for (int k = 0; k < 3 && f < e && (*f == ' ' || *f == '.' || *f == '-' || *f == '(' || *f == ':'); k++)
				f++;
			size_t fl = 0;
			while (f + fl < e && (is_alnum_ascii(f[fl]) || f[fl] == '_' || f[fl] == '-' || f[fl] == '.'))
				fl++;
			while (fl && f[fl - 1] == '.')
				fl--;
			if (fl > 4 && (wb_ieq_n(f + fl - 4, ".sys", 4) || wb_ieq_n(f + fl - 4, ".dll", 4)) &&
			    wb_module_name_ok(f, fl - 4))
				wb_prose_file_add(st, f, fl);
		}
		if (by_name && !by_code && pname.n + 2 >= n && !cb->a.args[0]) {
			/* the name alone on its line: bare arguments may follow */
			st->name_line = st->lineno;
			st->name_args = 0;
		}
		if (!cb->a.bugcheck_code) {
			wb_set_code(cb, code, cl);
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
	line_dotnet_frame,
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
	line_stop_address,
	line_md_table,
	line_arg_line,
	line_analyze_field,
	line_kernel_power,
	line_dumpstack_log,
	line_wer,
	line_report_wer,
	line_fault_bucket,
	line_vs_exception,
	line_heap_critical,
	line_unhandled_exception,
	line_clr_exception_info,
	line_dbg_event,
	line_exr_mismatch,
	line_xp_app_error,
	line_clr_internal_error,
	line_crash_msr,
	line_crash_dialog,
	line_breakpad,
	line_boot_error,
	line_labelled,
	line_current_label,
	line_warnings,
	line_probably_caused,
	line_prose_dump,
	line_prose_locals,
	line_prose_pool_tag,
	line_prose,
};

void wb_handle_line(state *st, const char *s, size_t n, size_t off0, size_t off1)
{
	st->lineno++;
	if (n == 0)
		return;
	wb_dis_record(st, s, n);
	for (size_t i = 0; i < PMKB_ARRAY_LEN(line_readers); i++)
		if (line_readers[i](st, s, n, off0, off1))
			return;
}

