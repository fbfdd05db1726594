/* windbg-read.c - the WinDbg text reader's entry points (windbg_extract,
 * windbg_read_case, readers.h): the raw text's lines normalised (HTML,
 * joined and cut lines) and fed one by one to the line readers
 * (windbg-lines.c), which build the analyses with windbg.c's helpers. */
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
/* normalisation of raw lines */

static int detect_html(const char *t, size_t n)
{
	/* one pass over the text (it was eight ifind scans of every body):
	 * each mark starts with '&' or '<', which have no case */
	static const char *const amp[] = {"&gt;", "&lt;", "&nbsp;", "&amp;", NULL, NULL};
	/* also a stack pasted in <pre> with rows in <b> (a forum's markup) */
	static const char *const lt[] = {"<br", "</p>", "</div>", "</td>", "</pre>", "</b>"};
	const char *z = t + n;
	for (const char *p = t; p < z; p++) {
		if (*p != '&' && *p != '<')
			continue;
		const char *const *marks = *p == '&' ? amp : lt;
		for (size_t k = 0; k < 6 && marks[k]; k++) {
			size_t m = strlen(marks[k]);
			if ((size_t)(z - p) >= m && wb_ieq_n(p, marks[k], m))
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
		if (strlen(tags[k]) == j - i && wb_ieq_n(t + i, tags[k], j - i)) {
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
	*brk = (j - i == 2 && (wb_ieq_n(t + i, "br", 2) || wb_ieq_n(t + i, "tr", 2) || wb_ieq_n(t + i, "li", 2))) ||
	       (j - i == 1 && wb_ieq_n(t + i, "p", 1)) || (j - i == 3 && wb_ieq_n(t + i, "div", 3));
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
		if (n >= m && wb_ieq_n(t, ents[k].e, m)) {
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

/* Is t the start of a label of Windows' own crash reports, which a page
 * or a copy can join into one line ("Problem Event Name: APPCRASH
 * Application Name: explorer.exe ... Exception Code: c0000005")? */
static int is_report_label(const char *t, size_t rem)
{
#define L(x) {x, sizeof x - 1}
	static const struct {
		const char *s;
		size_t n;
	} labels[] = {
		L("Problem Event Name:"), L("Application Name:"), L("Application Version:"), L("Application Timestamp:"),
		L("Fault Module Name:"), L("Fault Module Version:"), L("Fault Module Timestamp:"), L("Exception Code:"),
		L("Exception Offset:"), L("OS Version:"), L("Locale ID:"), L("Faulting application name:"),
		L("Faulting module name:"), L("Fault offset:"), L("Faulting process id:"),
		L("Faulting application start time:"), L("Faulting application path:"), L("Faulting module path:"),
		L("Report Id:"), L("Faulting package full name:"), L("Bug Check Code:"), L("Bug Check String:"),
		L("Caused By Driver:"), L("Crash Address:"), L("Application:"), L("CoreCLR Version:"),
		L("Exception Info:")};
#undef L
	if (rem < 8 || !isupper((unsigned char)t[0]) || !strchr("ABCEFLOPR", t[0]))
		return 0;
	for (size_t i = 0; i < PMKB_ARRAY_LEN(labels); i++)
		if (labels[i].s[0] == t[0] && rem >= labels[i].n && wb_ieq_n(t, labels[i].s, labels[i].n))
			return 1;
	return 0;
}

/* WER's BlueScreen fields retyped on one line: "BCCode : 0000007F BCP1 :
 * 00000008 BCP2 : ..." (the key, then ':' glued or after a blank) */
static int is_bc_key(const char *t, size_t tn, const char *end)
{
	size_t k = tn && t[tn - 1] == ':' ? tn - 1 : tn;
	int key = (k == 6 && wb_ieq_n(t, "BCCode", 6)) ||
		  (k == 4 && wb_ieq_n(t, "BCP", 3) && t[3] >= '1' && t[3] <= '4');
	if (!key)
		return 0;
	if (k < tn)
		return 1;
	const char *c = t + tn;
	while (c < end && *c == ' ')
		c++;
	return c < end && *c == ':';
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
	/* two keys need two colons */
	const char *c1 = memchr(s, ':', n);
	if (!c1 || !memchr(c1 + 1, ':', n - (size_t)(c1 + 1 - s)))
		return 0;
	while (wb_next_tok(s, n, &pos, &t, &tn))
		if (is_field_key(t, tn) || (tn == 5 && wb_starts(t, tn, "Arg") && t[3] >= '1' && t[3] <= '4' && t[4] == ':') ||
		    is_report_label(t, n - (size_t)(t - s)) || is_bc_key(t, tn, s + n))
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
	int have_prev = 0, cut_next = 0, kv = 0;
	const char *t;
	size_t tn;
	while (wb_next_tok(s, n, &pos, &t, &tn)) {
		size_t tb = (size_t)(t - s);
		int cut = 0, header = 0;
		/* the bugcheck header ("SYSTEM_SERVICE_EXCEPTION (3b)") is a line
		 * of its own: cut before it and after its code */
		if (tn >= 8 && memchr(t, '_', tn) && isupper((unsigned char)t[0])) {
			size_t p2 = pos;
			const char *u;
			size_t un;
			unsigned long long code;
			if (wb_next_tok(s, n, &p2, &u, &un) && un >= 3 && u[0] == '(' && u[un - 1] == ')' &&
			    wb_all_hex(u + 1, un - 2) && bugcheck_code_of(t, tn, &code))
				header = 1;
		}
		if (have_prev && tb > start) {
			if (cut_next || header || is_field_key(t, tn) ||
			    (tn == 5 && wb_starts(t, tn, "Arg") && t[3] >= '1' && t[3] <= '4' && t[4] == ':') ||
			    is_report_label(t, n - tb) || is_bc_key(t, tn, s + n) ||
			    ((unsigned char)t[0] >= 0x80 && ws_label_starts(t, n - tb)))
				cut = 1;
			else if (tn == 3 && memcmp(t, "Key", 3) == 0 && pos + 1 < n && s[pos] == ' ' && s[pos + 1] == ':')
				cut = kv = 1; /* KEY_VALUES_STRING's "Key  : Failure.Bucket" */
			else if (kv && tn == 6 && memcmp(t, "Value:", 6) == 0)
				cut = 1;      /* and its "Value: 0x50_x!F" */
			else if (wb_is_addr(t, tn)) {
				size_t p2 = pos;
				const char *u, *w;
				size_t un, wn;
				const char *pv = s + prev_b;
				size_t pvn = prev_e - prev_b;
				if (wb_next_tok(s, n, &p2, &u, &un) && wb_is_addr(u, un) && wb_next_tok(s, n, &p2, &w, &wn) && wn == 1 &&
				    w[0] == ':' && !(pvn == 1 && pv[0] == ':') && !wb_is_addr(pv, pvn))
					cut = 1;
				/* a 32-bit row ("9444fadc 82843dd6 9444faf8 00000000
				 * 9444fb4c nt!KiDispatchException+0x1ac") after a call
				 * site, a warning's full stop or STACK_TEXT:, three
				 * addresses */
				p2 = pos;
				if (!cut && pvn > 1 &&
				    (memchr(pv, '!', pvn) || wb_ifind(pv, pvn, "+0x") || pv[pvn - 1] == '.' || is_field_key(pv, pvn)) &&
				    wb_next_tok(s, n, &p2, &u, &un) && wb_is_addr(u, un) && wb_next_tok(s, n, &p2, &w, &wn) &&
				    wb_is_addr(w, wn))
					cut = 1;
			}
		}
		if (cut) {
			/* the handlers read lines as NUL-terminated strings */
			sb_reset(&st->piece);
			sb_add(&st->piece, s + start, tb - 1 - start);
			wb_handle_line(st, st->piece.buf, st->piece.len, off0, off1);
			start = tb;
		}
		/* after the header's "(3b)" */
		cut_next = tn >= 3 && t[0] == '(' && t[tn - 1] == ')' && have_prev && prev_e > prev_b &&
			   (s[prev_b] >= 'A' && s[prev_b] <= 'Z') && memchr(s + prev_b, '_', prev_e - prev_b) &&
			   wb_all_hex(t + 1, tn - 2) && tb > start;
		prev_b = tb;
		prev_e = tb + tn;
		have_prev = 1;
	}
	wb_handle_line(st, s + start, n - start, off0, off1); /* the tail ends where s does */
}

/* The keys of !analyze -v a page that drops line breaks glues to the value
 * before them ("...MICROCODE_ZEROBUGCHECK_STR: 0xAPROCESS_NAME: x.exe"). */
#define K(x) {x, sizeof x - 1}
static const struct {
	const char *s;
	size_t n;
} glued_keys[] = {
	K("BUGCHECK_CODE:"), K("BUGCHECK_P1:"), K("BUGCHECK_P2:"), K("BUGCHECK_P3:"), K("BUGCHECK_P4:"),
	K("BUGCHECK_STR:"), K("DEFAULT_BUCKET_ID:"), K("BUCKET_ID:"), K("FAILURE_BUCKET_ID:"), K("PROCESS_NAME:"),
	K("IMAGE_NAME:"), K("MODULE_NAME:"), K("SYMBOL_NAME:"), K("FAULTING_IP:"), K("FOLLOWUP_IP:"),
	K("FAULTING_MODULE:"), K("STACK_TEXT:"), K("STACK_COMMAND:"), K("LAST_CONTROL_TRANSFER:"),
	K("CURRENT_IRQL:"), K("READ_ADDRESS:"), K("WRITE_ADDRESS:"), K("IMAGE_VERSION:"), K("FAILURE_ID_HASH:"),
	K("FAILURE_ID_HASH_STRING:"), K("FAULTING_THREAD:"), K("EXCEPTION_RECORD:"), K("EXCEPTION_CODE_STR:"),
	K("ERROR_CODE:"), K("EXCEPTION_CODE:"), K("TRAP_FRAME:"), K("CONTEXT:"), K("CUSTOMER_CRASH_COUNT:"),
	K("PRIMARY_PROBLEM_CLASS:"), K("KEY_VALUES_STRING:"), K("ANALYSIS_VERSION:"), K("OSPLATFORM_TYPE:"),
	K("OSNAME:"), K("BUILDLAB_STR:"), K("FAULTING_SOURCE_LINE:"), K("FAULTING_SOURCE_FILE:"), K("BLACKBOXBSD:"),
	K("BLACKBOXNTFS:"), K("BLACKBOXPNP:"), K("BLACKBOXWINLOGON:"), K("DUMP_FILE_ATTRIBUTES:"),
	K("BUGCHECK_ARGS:"), K("TARGET_TIME:"), K("SYSTEM_UPTIME:"), K("PROCESS_OBJECT:"), K("IRP_ADDRESS:"),
	K("DEVICE_OBJECT:"), K("DRIVER_OBJECT:"), K("IMAGE_BASE:"), K("FOLLOWUP_NAME:"),
	K("BUCKET_ID_FUNC_OFFSET:"), K("FAILURE_PROBLEM_CLASS:"), K("FAILURE_EXCEPTION_CODE:"),
	K("FAILURE_IMAGE_NAME:"), K("FAILURE_SYMBOL_NAME:"), K("FAILURE_FUNC_NAME:"), K("ADDITIONAL_DEBUG_TEXT:"),
	K("DEBUG_FLR_IMAGE_TIMESTAMP:"), K("Debugging Details:"), K("Arguments:"), K("Arg1:"), K("Arg2:"),
	K("Arg3:"), K("Arg4:")
};
#undef K

/* A line that lost its line breaks and the blanks around them: a blank put
 * back before each key glued to what comes before it, after the banner's
 * stars, and after the header's "(50)"; 1 if two or more keys were put
 * back (the line is then st->unglued), else 0. */
static int unglue(state *st, const char *s, size_t n)
{
	/* cheap first: two keys need two colons right after a word (a kv
	 * row's " : " has none) */
	int keyish = 0;
	for (const char *c = memchr(s, ':', n); c && keyish < 2; c = memchr(c + 1, ':', n - (size_t)(c + 1 - s)))
		keyish += c > s && (isalnum((unsigned char)c[-1]) || c[-1] == '_');
	if (keyish < 2)
		return 0;
	size_t put = 0;
	sbuf *o = &st->unglued;
	sb_reset(o);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && s[i - 1] != ' ') {
			int cut = 0;
			if (s[i - 1] == '*' && isupper((unsigned char)s[i]) && i >= 10 && s[i - 2] == '*')
				cut = 1;
			else if (s[i - 1] == ')' && isalpha((unsigned char)s[i])) {
				/* "NONPAGED_AREA (50)Invalid" */
				size_t k = i - 1;
				while (k > 0 && is_hex(s[k - 1]))
					k--;
				cut = k >= 3 && k < i - 1 && i - 1 - k <= 8 && s[k - 1] == '(' && s[k - 2] == ' ' &&
				      isupper((unsigned char)s[k - 3]);
			} else if (s[i - 1] != '_' && (isupper((unsigned char)s[i]) || s[i] == 'D')) {
				for (size_t g = 0; g < PMKB_ARRAY_LEN(glued_keys) && !cut; g++)
					if (glued_keys[g].s[0] == s[i] && glued_keys[g].n <= n - i &&
					    memcmp(s + i, glued_keys[g].s, glued_keys[g].n) == 0)
						cut = 2; /* a key */
			}
			if (cut) {
				sb_addc(o, ' ');
				put += cut == 2;
			}
		}
		sb_addc(o, s[i]);
	}
	return put >= 2;
}

/* A Markdown link's text for the link ("[afwcore.sys](https://www.google.com/
 * search?q=afwcore.sys)" -> "afwcore.sys"), in place: a tool that links
 * every name it prints (a report generator's "Probably caused by :
 * [x.sys](...)") */
static void unlink_markdown(sbuf *o)
{
	if (!o->len || !memchr(o->buf, ']', o->len))
		return;
	size_t w = 0;
	for (size_t r = 0; r < o->len;) {
		if (o->buf[r] == '[') {
			const char *c = memchr(o->buf + r + 1, ']', o->len - r - 1);
			size_t tl = c ? (size_t)(c - o->buf) - r - 1 : 0;
			const char *u = c && c + 1 < o->buf + o->len && c[1] == '(' ? c + 2 : NULL;
			const char *ue = u ? memchr(u, ')', (size_t)(o->buf + o->len - u)) : NULL;
			if (ue && tl && !memchr(o->buf + r + 1, '[', tl) &&
			    (((size_t)(ue - u) > 3 && wb_has_lit(u, (size_t)(ue - u), "://")) || u[0] == '#' || u[0] == '/')) {
				memmove(o->buf + w, o->buf + r + 1, tl);
				w += tl;
				r = (size_t)(ue - o->buf) + 1;
				continue;
			}
		}
		o->buf[w++] = o->buf[r++];
	}
	o->len = w;
	o->buf[w] = 0;
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
				if (m >= 4 && (wb_istarts(tg, 2, "td") || wb_istarts(tg, 2, "th")) && !space) {
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
		} else if (c >= 0xC3 && i + 1 < rn) {
			/* full-width punctuation of Chinese and Japanese text
			 * ("バグチェックコード：0x139(0x3、0xFFFF…)"), a "×" typed
			 * for the x of "0x" and an en dash an editor made of " - "
			 * ("OUTLOOK.EXE – Application Error") read as their ASCII
			 * twins */
			unsigned char c1 = (unsigned char)raw[i + 1], c2 = i + 2 < rn ? (unsigned char)raw[i + 2] : 0;
			char a = 0;
			size_t w = 3;
			if (c == 0xEF && c1 == 0xBC)
				a = c2 == 0x9A ? ':' : c2 == 0x8C ? ',' : c2 == 0x88 ? '(' : c2 == 0x89 ? ')' : 0;
			else if (c == 0xE3 && c1 == 0x80 && c2 == 0x81)
				a = ',';
			else if (c == 0xE2 && c1 == 0x80 && c2 == 0x93 && o->len && o->buf[o->len - 1] == ' ' && i + 3 < rn &&
				 raw[i + 3] == ' ')
				a = '-'; /* an en dash between blanks, as editors turn " - " */
			else if (c == 0xC3 && c1 == 0x97 && o->len && o->buf[o->len - 1] == '0' &&
				 (o->len == 1 || !isalnum((unsigned char)o->buf[o->len - 2])) && i + 2 < rn &&
				 isxdigit(c2))
				a = 'x', w = 2;
			if (a == ',') {
				/* a comma of these scripts has no blank after it */
				sb_addc(o, ',');
				sb_addc(o, ' ');
				space = 1;
				i += w - 1;
				continue;
			}
			if (a) {
				c = (unsigned char)a;
				i += w - 1;
			}
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
	unlink_markdown(o);
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
	/* a paste site's copy that numbers every line ("  1. Error ...", "  2.",
	 * "  3. Log Name: Application"): the numbers go when the text's first
	 * line is "1. " and each line carries the next */
	if (n && st->numbered >= 0) {
		size_t d = 0;
		unsigned v = 0;
		while (d < n && d < 5 && isdigit((unsigned char)s[d]))
			v = v * 10 + (unsigned)(s[d++] - '0');
		int want = st->numbered ? st->numbered : 1;
		if (d && d < n && s[d] == '.' && (d + 1 == n || s[d + 1] == ' ') && v == (unsigned)want) {
			st->numbered = want + 1;
			s += d + 1, n -= d + 1;
			while (n && s[0] == ' ')
				s++, n--;
		} else {
			st->numbered = -1;
		}
	}
	/* an event's message after Event Viewer's label or in the quotes of a
	 * copied event: "Description: Faulting application x.exe, ...",
	 * "\"Faulting application w3wp.exe, ..., fault address 0x000249d3\"" */
	if (n > 20 && (s[0] == '"' || s[0] == 'D')) {
		const char *m = s + (s[0] == '"');
		size_t mn = n - (size_t)(m - s);
		if (wb_starts(m, mn, "Description: "))
			m += 13, mn -= 13;
		static const char *const starts[] = {"Faulting application ", "EventType ", "Error code ", "Fehlercode ",
						     "The computer has rebooted from a bugcheck"};
		for (size_t i = 0; m != s && i < PMKB_ARRAY_LEN(starts); i++)
			if (wb_istarts(m, mn, starts[i])) {
				if (mn && m[mn - 1] == '"')
					mn--;
				s = m, n = mn;
				break;
			}
	}
	if (n > 160 && unglue(st, s, n))
		handle_joined(st, st->unglued.buf, st->unglued.len, off0, off1);
	else if (n > 160 || two_keys(s, n))
		handle_joined(st, s, n, off0, off1);
	else
		wb_handle_line(st, s, n, off0, off1);
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
		wb_handle_line(&st, w.buf, w.len, st.wrapped_off0, len);
		sb_free(&w);
	}
	if (st.in_stack)
		wb_stack_commit(&st);
	wb_finish(&st);
	wb_prose_blame_analysis(&st, text, len);
	wb_stk_clear(&st);
	sb_free(&st.wrapped);
	free(st.stk);
	sb_free(&st.partial);
	wb_frame_free(&st.bare);
	sb_free(&st.prose_sys);
	sb_free(&st.unglued);
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
