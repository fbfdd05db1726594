/* mail.c - one RFC 5322 message (GMime 3) as decoded UTF-8 text: headers
 * through our own RFC 2047 decoder, the text body, text attachments and
 * dump attachments; plus the mbox splitter. See mail-reader.h; the quote
 * cutter is in mail-quote.c. All charset work goes through util/charset.h.
 */
#define _GNU_SOURCE
#include "mail-reader.h"
#include "../util/charset.h"
#include "../util/util.h"

#include <gmime/gmime.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

void mail_init(void)
{
	static int done;
	if (!done) {
		g_mime_init();
		done = 1;
	}
}

void mail_msg_clear(mail_msg *m)
{
	if (!m)
		return;
	free(m->subject);
	free(m->sender);
	free(m->address);
	free(m->date);
	free(m->message_id);
	free(m->in_reply_to);
	for (size_t i = 0; i < m->nrefs; i++)
		free(m->refs[i]);
	free(m->refs);
	free(m->body);
	free(m->attached_text);
	for (size_t i = 0; i < m->natts; i++) {
		free(m->atts[i].filename);
		free(m->atts[i].content_type);
		free(m->atts[i].data);
	}
	free(m->atts);
	free(m->warnings);
	memset(m, 0, sizeof *m);
}

/* ---- RFC 2047 ---- */

static int b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decode the text of one B word on its own: padding ends the word's
 * groups, stray characters are skipped. */
static void b64_decode_word(const char *s, size_t n, sbuf *out)
{
	unsigned acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '=')
			break;
		int v = b64val((unsigned char)s[i]);
		if (v < 0)
			continue;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			sb_addc(out, (char)((acc >> bits) & 0xff));
		}
	}
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void q_decode_word(const char *s, size_t n, sbuf *out)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '_')
			sb_addc(out, ' ');
		else if (s[i] == '=' && i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0 &&
			 hexval((unsigned char)s[i + 2]) >= 0) {
			sb_addc(out, (char)(hexval((unsigned char)s[i + 1]) * 16 +
					    hexval((unsigned char)s[i + 2])));
			i += 2;
		} else
			sb_addc(out, s[i]);
	}
}

/* Is there an encoded word at s? Sets charset, encoding, text and the
 * total length of the word. */
static int parse_eword(const char *s, size_t n, const char **cs, size_t *cslen, char *enc,
		       const char **text, size_t *textlen, size_t *total)
{
	if (n < 8 || s[0] != '=' || s[1] != '?')
		return 0;
	size_t i = 2;
	while (i < n && s[i] != '?' && !isspace((unsigned char)s[i]) && i < 80)
		i++;
	if (i >= n || s[i] != '?' || i == 2)
		return 0;
	*cs = s + 2;
	*cslen = i - 2;
	/* RFC 2231 language suffix: charset*lang */
	const char *star = memchr(*cs, '*', *cslen);
	if (star)
		*cslen = (size_t)(star - *cs);
	i++;
	if (i + 1 >= n || s[i + 1] != '?')
		return 0;
	char e = (char)toupper((unsigned char)s[i]);
	if (e != 'B' && e != 'Q')
		return 0;
	*enc = e;
	i += 2;
	size_t start = i;
	while (i + 1 < n && !(s[i] == '?' && s[i + 1] == '=')) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')
			return 0;
		i++;
	}
	if (i + 1 >= n)
		return 0;
	*text = s + start;
	*textlen = i - start;
	*total = i + 2;
	return 1;
}

static void flush_words(sbuf *out, sbuf *pending, char *pcs)
{
	if (pending->len) {
		size_t ol;
		char *u = charset_to_utf8(pending->buf, pending->len, pcs[0] ? pcs : NULL, &ol, NULL);
		sb_add(out, u, ol);
		free(u);
	}
	sb_reset(pending);
	pcs[0] = '\0';
}

static void add_raw_text(sbuf *out, const char *s, size_t n)
{
	if (!n)
		return;
	size_t ol;
	char *u = charset_to_utf8(s, n, NULL, &ol, NULL);
	sb_add(out, u, ol);
	free(u);
}

char *mail_decode_header(const char *raw, size_t len)
{
	/* unfold: drop CR and LF (the folding white space stays) */
	sbuf un = {0};
	sb_add(&un, "", 0);
	for (size_t i = 0; i < len; i++)
		if (raw[i] != '\r' && raw[i] != '\n')
			sb_addc(&un, raw[i] == '\t' ? ' ' : raw[i]);
	const char *s = un.buf;
	size_t n = un.len;

	sbuf out = {0}, pending = {0};
	sb_add(&out, "", 0);
	char pcs[64] = "";
	size_t lit = 0; /* start of the literal text not yet added */
	int in_words = 0; /* only encoded words and blanks since the last word */
	size_t i = 0;
	while (i < n) {
		const char *cs, *text;
		size_t cslen, textlen, total;
		char enc;
		if (s[i] == '=' && parse_eword(s + i, n - i, &cs, &cslen, &enc, &text, &textlen, &total)) {
			char csbuf[64];
			snprintf(csbuf, sizeof csbuf, "%.*s", (int)(cslen < 63 ? cslen : 63), cs);
			/* white space between two encoded words is dropped */
			int only_ws = 1;
			for (size_t k = lit; k < i; k++)
				if (s[k] != ' ')
					only_ws = 0;
			int after_word = in_words && only_ws;
			if (!(after_word && !strcasecmp(csbuf, pcs))) {
				/* another charset, or text in between: convert what we have */
				flush_words(&out, &pending, pcs);
				if (!after_word)
					add_raw_text(&out, s + lit, i - lit);
				snprintf(pcs, sizeof pcs, "%s", csbuf);
			}
			if (enc == 'B')
				b64_decode_word(text, textlen, &pending);
			else
				q_decode_word(text, textlen, &pending);
			in_words = 1;
			i += total;
			lit = i;
			continue;
		}
		if (s[i] != ' ')
			in_words = 0;
		i++;
	}
	flush_words(&out, &pending, pcs);
	add_raw_text(&out, s + lit, n - lit);
	sb_free(&pending);
	sb_free(&un);
	char *r = sb_detach(&out);
	char *t = str_trim(r);
	if (t != r)
		memmove(r, t, strlen(t) + 1);
	return r;
}

/* ---- HTML ---- */

static void add_codepoint(sbuf *sb, unsigned long cp)
{
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80)
		sb_addc(sb, (char)cp);
	else if (cp < 0x800) {
		sb_addc(sb, (char)(0xC0 | (cp >> 6)));
		sb_addc(sb, (char)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		sb_addc(sb, (char)(0xE0 | (cp >> 12)));
		sb_addc(sb, (char)(0x80 | ((cp >> 6) & 0x3F)));
		sb_addc(sb, (char)(0x80 | (cp & 0x3F)));
	} else {
		sb_addc(sb, (char)(0xF0 | (cp >> 18)));
		sb_addc(sb, (char)(0x80 | ((cp >> 12) & 0x3F)));
		sb_addc(sb, (char)(0x80 | ((cp >> 6) & 0x3F)));
		sb_addc(sb, (char)(0x80 | (cp & 0x3F)));
	}
}

static const struct { const char *name; unsigned cp; } entities[] = {
	{"nbsp", ' '}, {"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''},
	{"ldquo", 0x201C}, {"rdquo", 0x201D}, {"lsquo", 0x2018}, {"rsquo", 0x2019},
	{"mdash", 0x2014}, {"ndash", 0x2013}, {"hellip", 0x2026}, {"middot", 0xB7},
	{"copy", 0xA9}, {"reg", 0xAE}, {"times", 0xD7},
};

static int tag_is(const char *t, size_t n, const char *name)
{
	size_t k = strlen(name);
	return n >= k && !strncasecmp(t, name, k) && (n == k || !isalnum((unsigned char)t[k]));
}

char *mail_html_to_text(const char *h, size_t n)
{
	sbuf out = {0};
	sb_add(&out, "", 0);
	size_t i = 0;
	int space = 0;
	while (i < n) {
		if (h[i] == '<') {
			size_t j = i + 1;
			if (j + 2 < n && !strncmp(h + j, "!--", 3)) {
				const char *e = memmem(h + j, n - j, "-->", 3);
				i = e ? (size_t)(e - h) + 3 : n;
				continue;
			}
			int closing = j < n && h[j] == '/';
			if (closing)
				j++;
			const char *e = memchr(h + j, '>', n - j);
			size_t tend = e ? (size_t)(e - h) : n;
			const char *t = h + j;
			size_t tn = tend - j;
			if (!closing && (tag_is(t, tn, "script") || tag_is(t, tn, "style") ||
					 tag_is(t, tn, "head"))) {
				const char *name = tag_is(t, tn, "script") ? "</script" :
						   tag_is(t, tn, "style") ? "</style" : "</head";
				size_t k = tend;
				const char *endtag = NULL;
				while (k < n) {
					const char *lt = memchr(h + k, '<', n - k);
					if (!lt)
						break;
					if ((size_t)(n - (size_t)(lt - h)) >= strlen(name) &&
					    !strncasecmp(lt, name, strlen(name))) {
						endtag = lt;
						break;
					}
					k = (size_t)(lt - h) + 1;
				}
				if (!endtag) {
					i = n;
					continue;
				}
				const char *gt = memchr(endtag, '>', n - (size_t)(endtag - h));
				i = gt ? (size_t)(gt - h) + 1 : n;
				continue;
			}
			if (tag_is(t, tn, "br") || tag_is(t, tn, "p") || tag_is(t, tn, "div") ||
			    tag_is(t, tn, "tr") || tag_is(t, tn, "li") || tag_is(t, tn, "h1") ||
			    tag_is(t, tn, "h2") || tag_is(t, tn, "h3") || tag_is(t, tn, "pre") ||
			    tag_is(t, tn, "table") || tag_is(t, tn, "blockquote")) {
				if (!(tag_is(t, tn, "p") || tag_is(t, tn, "div")) || closing ||
				    (out.len && out.buf[out.len - 1] != '\n'))
					sb_addc(&out, '\n');
				space = 0;
			} else if (tag_is(t, tn, "td") || tag_is(t, tn, "th")) {
				if (!closing)
					sb_addc(&out, ' ');
			}
			i = e ? tend + 1 : n;
			continue;
		}
		if (h[i] == '&') {
			size_t j = i + 1;
			while (j < n && j - i < 12 && h[j] != ';' && !isspace((unsigned char)h[j]) && h[j] != '&')
				j++;
			if (j < n && h[j] == ';') {
				const char *ent = h + i + 1;
				size_t el = j - i - 1;
				int done = 0;
				if (el > 1 && ent[0] == '#') {
					unsigned long cp = (ent[1] == 'x' || ent[1] == 'X') ?
						strtoul(ent + 2, NULL, 16) : strtoul(ent + 1, NULL, 10);
					add_codepoint(&out, cp == 0xA0 ? ' ' : cp);
					done = 1;
				} else {
					for (size_t k = 0; k < PMKB_ARRAY_LEN(entities); k++)
						if (strlen(entities[k].name) == el &&
						    !strncmp(entities[k].name, ent, el)) {
							add_codepoint(&out, entities[k].cp);
							done = 1;
							break;
						}
				}
				if (done) {
					i = j + 1;
					space = 0;
					continue;
				}
			}
		}
		/* HTML white space (including source line breaks) collapses */
		if (h[i] == '\n' || h[i] == '\r' || h[i] == '\t' || h[i] == ' ') {
			if (!space && out.len && out.buf[out.len - 1] != '\n')
				sb_addc(&out, ' ');
			space = 1;
			i++;
			continue;
		}
		space = 0;
		sb_addc(&out, h[i]);
		i++;
	}
	return sb_detach(&out);
}

/* ---- mbox ---- */

/* "From sender date" with a time somewhere: the separator of mbox (and of
 * the lax variants mail tools write). */
static int from_line_ok(const char *s, size_t n)
{
	if (n < 6 || memcmp(s, "From ", 5))
		return 0;
	size_t i = 5;
	while (i < n && s[i] == ' ')
		i++;
	size_t sender = i;
	while (i < n && s[i] != ' ')
		i++;
	if (i == sender)
		return 0;
	for (; i + 4 < n; i++)
		if (isdigit((unsigned char)s[i]) && s[i + 1] == ':' && isdigit((unsigned char)s[i + 2]) &&
		    isdigit((unsigned char)s[i + 3]))
			return 1;
		else if (isdigit((unsigned char)s[i]) && isdigit((unsigned char)s[i + 1]) &&
			 s[i + 2] == ':' && isdigit((unsigned char)s[i + 3]) &&
			 isdigit((unsigned char)s[i + 4]))
			return 1;
	return 0;
}

void mbox_unescape(char *text)
{
	if (!text)
		return;
	char *w = text;
	const char *r = text;
	int bol = 1;
	while (*r) {
		if (bol && *r == '>') {
			const char *p = r;
			while (*p == '>')
				p++;
			if (!strncmp(p, "From ", 5))
				r++; /* drop one '>' */
		}
		bol = *r == '\n';
		*w++ = *r++;
	}
	*w = '\0';
}

int mbox_looks_like(const char *buf, size_t len)
{
	const char *e = memchr(buf, '\n', len);
	size_t n = e ? (size_t)(e - buf) : len;
	return from_line_ok(buf, n);
}

/* The splitter's state, fed one line at a time by mbox_split (a buffer)
 * and mbox_split_fd (a file read in blocks): the same rule for both. */
typedef struct mbox_scan {
	mbox_span *spans;
	size_t n, cap;
	long line;
	int prev_cr; /* the line before ended in "\r\n" */
} mbox_scan;

/* One line: head is its first hl bytes (all of it unless it is longer
 * than MBOX_LINE_HEAD), at offset at; next is the offset after its '\n'
 * (or the end of the file); len the length of the file. */
static void scan_line(mbox_scan *sc, const char *head, size_t hl, off_t at, off_t next, off_t len)
{
	/* the blank line before a separator is the rule, but some tools
	 * leave it out: a full "From sender date" line is enough */
	if (from_line_ok(head, hl)) {
		if (sc->n) {
			/* the line end before the separator belongs to mbox */
			mbox_span *last = &sc->spans[sc->n - 1];
			off_t end = at;
			if (end > last->start) /* at follows a '\n' */
				end--;
			if (end > last->start && sc->prev_cr)
				end--;
			last->end = end;
		}
		XGROW(sc->spans, sc->cap, sc->n + 1);
		sc->spans[sc->n].start = next;
		sc->spans[sc->n].end = len;
		sc->spans[sc->n].line = sc->line;
		sc->n++;
	}
	sc->line++;
}

static int scan_done(mbox_scan *sc, mbox_span **spans, size_t *n, char *err, size_t errsz)
{
	if (!sc->n || sc->spans[0].line != 1) {
		free(sc->spans);
		snprintf(err, errsz, "not an mbox: line 1 is not a 'From ' line with a date");
		return -1;
	}
	*spans = sc->spans;
	*n = sc->n;
	return 0;
}

int mbox_split(const char *buf, size_t len, mbox_span **spans, size_t *n, char *err,
	       size_t errsz)
{
	*spans = NULL;
	*n = 0;
	mbox_scan sc = { .line = 1 };
	size_t i = 0;
	while (i < len) {
		const char *e = memchr(buf + i, '\n', len - i);
		size_t ll = e ? (size_t)(e - buf) - i : len - i;
		size_t next = e ? (size_t)(e - buf) + 1 : len;
		scan_line(&sc, buf + i, ll < MBOX_LINE_HEAD ? ll : MBOX_LINE_HEAD, (off_t)i, (off_t)next,
			  (off_t)len);
		sc.prev_cr = e && ll && buf[i + ll - 1] == '\r';
		if (sc.line == 2 && !sc.n)
			break; /* line 1 is no separator: not an mbox */
		i = next;
	}
	return scan_done(&sc, spans, n, err, errsz);
}

int mbox_split_fd(int fd, mbox_span **spans, size_t *n, char *err, size_t errsz)
{
	*spans = NULL;
	*n = 0;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		snprintf(err, errsz, "%s", strerror(errno));
		return -1;
	}
	off_t len = st.st_size, at = 0, line_at = 0;
	mbox_scan sc = { .line = 1 };
	char head[MBOX_LINE_HEAD];
	size_t hl = 0;
	char last = 0; /* the line's last byte before its '\n' */
	char *blk = xmalloc(1 << 16);
	while (at < len) {
		ssize_t got = pread(fd, blk, 1 << 16, at);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			snprintf(err, errsz, "%s", got < 0 ? strerror(errno) : "the file shrank while it was read");
			free(blk);
			free(sc.spans);
			return -1;
		}
		for (ssize_t i = 0; i < got; i++) {
			char c = blk[i];
			if (c != '\n') {
				if (hl < sizeof head)
					head[hl++] = c;
				last = c;
				continue;
			}
			off_t next = at + i + 1;
			scan_line(&sc, head, hl, line_at, next, len);
			sc.prev_cr = next - 1 > line_at && last == '\r';
			hl = 0;
			last = 0;
			line_at = next;
		}
		at += got;
		if (sc.line >= 2 && !sc.n)
			break; /* line 1 is no separator: not an mbox */
	}
	if (line_at < len && (sc.n || sc.line == 1)) /* a last line without '\n' */
		scan_line(&sc, head, hl, line_at, len, len);
	free(blk);
	return scan_done(&sc, spans, n, err, errsz);
}

/* ---- message ---- */

static char *header_raw(GMimeObject *obj, const char *name)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(obj);
	if (!hl)
		return NULL;
	GMimeHeader *h = g_mime_header_list_get_header(hl, name);
	if (!h)
		return NULL;
	const char *raw = g_mime_header_get_raw_value(h);
	return raw ? xstrdup(raw) : NULL;
}

static char *strip_angle(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '<')
		s++;
	char *r = xstrdup(s);
	size_t n = strlen(r);
	while (n && (r[n - 1] == '>' || isspace((unsigned char)r[n - 1])))
		r[--n] = '\0';
	if (!*r) {
		free(r);
		return NULL;
	}
	return r;
}

/* From: display name (unquoted) and address */
static void parse_from(const char *v, char **name, char **addr)
{
	*name = *addr = NULL;
	const char *lt = strrchr(v, '<');
	const char *gt = lt ? strchr(lt, '>') : NULL;
	if (lt && gt) {
		*addr = xstrndup(lt + 1, (size_t)(gt - lt - 1));
		char *n = xstrndup(v, (size_t)(lt - v));
		char *t = str_trim(n);
		size_t tl = strlen(t);
		if (tl >= 2 && t[0] == '"' && t[tl - 1] == '"') {
			t[tl - 1] = '\0';
			t++;
		}
		if (*t)
			*name = xstrdup(t);
		free(n);
	} else {
		char *a = xstrdup(v);
		char *t = str_trim(a);
		char *paren = strchr(t, '(');
		if (paren) {
			char *close = strrchr(paren, ')');
			if (close && close > paren + 1)
				*name = xstrndup(paren + 1, (size_t)(close - paren - 1));
			*paren = '\0';
			t = str_trim(t);
		}
		if (*t)
			*addr = xstrdup(t);
		free(a);
	}
}

static void add_warning(mail_msg *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_warning(mail_msg *m, const char *fmt, ...)
{
	sbuf sb = {0};
	if (m->warnings)
		sb_adds(&sb, m->warnings);
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	sb_addc(&sb, '\n');
	free(m->warnings);
	m->warnings = sb_detach(&sb);
}

typedef struct walk {
	mail_msg *m;
	sbuf body;
	sbuf attached;
	int have_body;
	int parts;
	int parts_warned;
} walk;

/* Decode the content of a part (transfer encoding undone) into memory,
 * unless its encoded size exceeds the bound. Returns NULL when refused. */
static GByteArray *part_bytes(GMimePart *part, size_t *encoded, int *refused)
{
	*refused = 0;
	*encoded = 0;
	GMimeDataWrapper *w = g_mime_part_get_content(part);
	if (!w)
		return g_byte_array_new();
	GMimeStream *raw = g_mime_data_wrapper_get_stream(w);
	gint64 l = raw ? g_mime_stream_length(raw) : 0;
	if (l > 0)
		*encoded = (size_t)l;
	if (l > (gint64)MAIL_PART_MAX) {
		*refused = 1;
		return NULL;
	}
	GMimeStream *mem = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(w, mem);
	GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	GByteArray *copy = g_byte_array_sized_new(ba->len);
	g_byte_array_append(copy, ba->data, ba->len);
	g_object_unref(mem);
	return copy;
}

static int ends_ci(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcasecmp(s + a - b, suffix);
}

static char *part_text(GMimePart *part, GMimeContentType *ct, const unsigned char *d, size_t n)
{
	const char *cs = g_mime_content_type_get_parameter(ct, "charset");
	char *u = charset_to_utf8((const char *)d, n, cs, NULL, NULL);
	if (g_mime_content_type_is_type(ct, "text", "html")) {
		char *t = mail_html_to_text(u, strlen(u));
		free(u);
		u = t;
	}
	(void)part;
	return u;
}

static void record_att(walk *w, const char *fname, GMimeContentType *ct, size_t size,
		       unsigned char *data, size_t len, int refused)
{
	mail_msg *m = w->m;
	m->atts = xrealloc(m->atts, (m->natts + 1) * sizeof *m->atts);
	mail_att *a = &m->atts[m->natts++];
	memset(a, 0, sizeof *a);
	a->filename = xstrdup(fname);
	char *mt = ct ? g_mime_content_type_get_mime_type(ct) : NULL;
	a->content_type = xstrdup(mt ? mt : "application/octet-stream");
	g_free(mt);
	a->size = size;
	a->data = data;
	a->len = len;
	a->refused = refused;
}

static int looks_like_dump(const unsigned char *d, size_t n)
{
	return n >= 8 && (!memcmp(d, "PAGEDU64", 8) || !memcmp(d, "PAGEDUMP", 8) ||
			  !memcmp(d, "MDMP", 4));
}

static void walk_object(walk *w, GMimeObject *obj, int depth);

static void walk_leaf(walk *w, GMimePart *part)
{
	GMimeObject *obj = GMIME_OBJECT(part);
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	const char *fname = g_mime_part_get_filename(part);
	GMimeContentDisposition *disp = g_mime_object_get_content_disposition(obj);
	int is_att = (disp && g_mime_content_disposition_is_attachment(disp)) || fname;
	int is_text = ct && (g_mime_content_type_is_type(ct, "text", "plain") ||
			     g_mime_content_type_is_type(ct, "text", "html"));
	int text_file = fname && (ends_ci(fname, ".txt") || ends_ci(fname, ".log"));
	int dump_file = fname && (ends_ci(fname, ".dmp") || ends_ci(fname, ".mdmp"));
	size_t enc;
	int refused;

	if (is_att && !text_file && !dump_file && !(is_text && !fname)) {
		/* some other attachment: a record, and a dump if it smells like one */
		GMimeDataWrapper *dw = g_mime_part_get_content(part);
		GMimeStream *raw = dw ? g_mime_data_wrapper_get_stream(dw) : NULL;
		gint64 l = raw ? g_mime_stream_length(raw) : 0;
		if (ct && g_mime_content_type_is_type(ct, "application", "octet-stream") &&
		    l > 0 && l <= (gint64)MAIL_PART_MAX) {
			GByteArray *ba = part_bytes(part, &enc, &refused);
			if (ba && looks_like_dump(ba->data, ba->len)) {
				size_t blen = ba->len;
				unsigned char *d = g_byte_array_free(ba, FALSE);
				unsigned char *copy = xmalloc(blen ? blen : 1);
				memcpy(copy, d, blen);
				g_free(d);
				record_att(w, fname, ct, blen, copy, blen, 0);
				return;
			}
			size_t blen = ba ? ba->len : 0;
			if (ba)
				g_byte_array_free(ba, TRUE);
			record_att(w, fname, ct, blen, NULL, 0, 0);
			return;
		}
		record_att(w, fname, ct, l > 0 ? (size_t)l : 0, NULL, 0, 0);
		return;
	}
	GByteArray *ba = part_bytes(part, &enc, &refused);
	if (!ba) {
		add_warning(w->m, "part '%s' (%zu MiB encoded) larger than %zu MiB: not read",
			    fname ? fname : "unnamed", enc >> 20, MAIL_PART_MAX >> 20);
		record_att(w, fname, ct, enc, NULL, 0, 1);
		return;
	}
	if (dump_file || looks_like_dump(ba->data, ba->len)) {
		size_t blen = ba->len;
		unsigned char *copy = xmalloc(blen ? blen : 1);
		memcpy(copy, ba->data, blen);
		g_byte_array_free(ba, TRUE);
		record_att(w, fname, ct, blen, copy, blen, 0);
		return;
	}
	char *text = part_text(part, ct ? ct : NULL, ba->data, ba->len);
	g_byte_array_free(ba, TRUE);
	if (is_att || text_file) {
		sb_addf(&w->attached, "%s[attachment: %s]\n", w->attached.len ? "\n\n" : "",
			fname ? fname : "unnamed");
		sb_adds(&w->attached, text);
	} else if (!w->have_body) {
		sb_adds(&w->body, text);
		w->have_body = 1;
	} else {
		if (w->body.len)
			sb_adds(&w->body, "\n\n");
		sb_adds(&w->body, text);
	}
	free(text);
}

/* Read the text of obj and its children into w, bounded in depth and parts. */
static void walk_object(walk *w, GMimeObject *obj, int depth)
{
	if (!obj)
		return;
	if (depth > MAIL_MAX_DEPTH) {
		if (!w->parts_warned) {
			add_warning(w->m, "parts nested deeper than %d levels: not read", MAIL_MAX_DEPTH);
			w->parts_warned = 1;
		}
		return;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int count = g_mime_multipart_get_count(mp);
		GMimeContentType *ct = g_mime_object_get_content_type(obj);
		if (count == 0) {
			/* no boundary found: the text is all in the prologue */
			const char *pro = g_mime_multipart_get_prologue(mp);
			if (pro && *pro && !w->have_body) {
				char *u = charset_to_utf8(pro, strlen(pro), NULL, NULL, NULL);
				sb_adds(&w->body, u);
				free(u);
				w->have_body = 1;
			}
			return;
		}
		if (ct && g_mime_content_type_is_type(ct, "multipart", "alternative")) {
			/* prefer text/plain, else HTML, else the last part */
			GMimeObject *best = NULL;
			for (int i = 0; i < count && !best; i++) {
				GMimeObject *p = g_mime_multipart_get_part(mp, i);
				GMimeContentType *pct = g_mime_object_get_content_type(p);
				if (pct && g_mime_content_type_is_type(pct, "text", "plain"))
					best = p;
			}
			for (int i = 0; i < count && !best; i++) {
				GMimeObject *p = g_mime_multipart_get_part(mp, i);
				GMimeContentType *pct = g_mime_object_get_content_type(p);
				if (pct && g_mime_content_type_is_type(pct, "text", "html"))
					best = p;
			}
			if (!best && count > 0)
				best = g_mime_multipart_get_part(mp, count - 1);
			walk_object(w, best, depth + 1);
			return;
		}
		for (int i = 0; i < count; i++) {
			if (w->parts >= MAIL_MAX_PARTS) {
				if (!w->parts_warned) {
					add_warning(w->m, "more than %d parts: the rest not read",
						    MAIL_MAX_PARTS);
					w->parts_warned = 1;
				}
				return;
			}
			walk_object(w, g_mime_multipart_get_part(mp, i), depth + 1);
		}
		return;
	}
	if (GMIME_IS_MESSAGE_PART(obj)) {
		/* an attached mail: its text read like a text attachment */
		GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		if (!inner)
			return;
		walk sub = {.m = w->m, .parts = w->parts, .parts_warned = w->parts_warned};
		walk_object(&sub, g_mime_message_get_mime_part(inner), depth + 1);
		w->parts = sub.parts;
		w->parts_warned = sub.parts_warned;
		const char *subj = g_mime_message_get_subject(inner);
		sb_addf(&w->attached, "%s[attachment: %s]\n", w->attached.len ? "\n\n" : "",
			subj ? subj : "message");
		sb_adds(&w->attached, sb_str(&sub.body));
		if (sub.attached.len) {
			sb_adds(&w->attached, "\n\n");
			sb_adds(&w->attached, sb_str(&sub.attached));
		}
		sb_free(&sub.body);
		sb_free(&sub.attached);
		return;
	}
	if (GMIME_IS_PART(obj)) {
		w->parts++;
		walk_leaf(w, GMIME_PART(obj));
	}
}

static char *format_date(GDateTime *dt)
{
	if (!dt)
		return NULL;
	GDateTime *u = g_date_time_to_utc(dt);
	if (!u)
		return NULL;
	char *s = g_date_time_format(u, "%Y-%m-%d %H:%M:%S");
	g_date_time_unref(u);
	char *r = xstrdup(s);
	g_free(s);
	return r;
}

/* Cut a string at max bytes on a UTF-8 boundary. */
static void cut_utf8(char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max)
		return;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	s[max] = '\0';
}

static int parse_stream(GMimeStream *stream, mail_msg *m, char *err, size_t errsz)
{
	memset(m, 0, sizeof *m);
	GMimeParser *p = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(p, GMIME_FORMAT_MESSAGE);
	g_mime_parser_set_persist_stream(p, TRUE);
	GMimeMessage *msg = g_mime_parser_construct_message(p, NULL);
	g_object_unref(p);
	if (!msg) {
		snprintf(err, errsz, "not a mail message");
		return -1;
	}
	GMimeObject *obj = GMIME_OBJECT(msg);
	char *subj = header_raw(obj, "Subject");
	char *from = header_raw(obj, "From");
	char *date = header_raw(obj, "Date");
	char *mid = header_raw(obj, "Message-ID");
	if (!subj && !from && !date && !mid) {
		free(subj), free(from), free(date), free(mid);
		g_object_unref(msg);
		snprintf(err, errsz, "not a mail message: no From, Date, Subject or Message-ID header");
		return -1;
	}
	if (subj) {
		m->subject = mail_decode_header(subj, strlen(subj));
		if (strlen(m->subject) > MAIL_MAX_SUBJECT) {
			cut_utf8(m->subject, MAIL_MAX_SUBJECT);
			add_warning(m, "subject longer than %d bytes: cut", MAIL_MAX_SUBJECT);
		}
	}
	if (from) {
		char *dec = mail_decode_header(from, strlen(from));
		cut_utf8(dec, MAIL_MAX_SUBJECT);
		parse_from(dec, &m->sender, &m->address);
		if (!m->sender && m->address)
			m->sender = xstrdup(m->address);
		free(dec);
	}
	if (date) {
		GDateTime *dt = g_mime_utils_header_decode_date(date);
		m->date = format_date(dt);
		if (dt)
			g_date_time_unref(dt);
		if (!m->date)
			add_warning(m, "unreadable Date header");
	}
	if (mid) {
		char *dec = g_mime_utils_decode_message_id(mid);
		m->message_id = dec ? xstrdup(dec) : strip_angle(mid);
		g_free(dec);
		if (m->message_id && strlen(m->message_id) > 998) {
			free(m->message_id);
			m->message_id = NULL;
		}
	}
	char *irt = header_raw(obj, "In-Reply-To");
	if (irt) {
		GMimeReferences *r = g_mime_references_parse(NULL, irt);
		if (r && g_mime_references_length(r) > 0)
			m->in_reply_to = xstrdup(g_mime_references_get_message_id(r, 0));
		if (r)
			g_mime_references_free(r);
		free(irt);
	}
	char *refs = header_raw(obj, "References");
	if (refs) {
		GMimeReferences *r = g_mime_references_parse(NULL, refs);
		int n = r ? g_mime_references_length(r) : 0;
		if (n > 1000)
			n = 1000;
		if (n > 0) {
			m->refs = xcalloc((size_t)n, sizeof *m->refs);
			for (int i = 0; i < n; i++)
				m->refs[m->nrefs++] = xstrdup(g_mime_references_get_message_id(r, i));
		}
		if (r)
			g_mime_references_free(r);
		free(refs);
	}
	free(subj), free(from), free(date), free(mid);

	walk w = {.m = m};
	sb_add(&w.body, "", 0);
	walk_object(&w, g_mime_message_get_mime_part(msg), 0);
	m->body = sb_detach(&w.body);
	if (w.attached.len)
		m->attached_text = sb_detach(&w.attached);
	sb_free(&w.attached);
	g_object_unref(msg);
	return 0;
}

int mail_parse_mem(const char *buf, size_t len, mail_msg *out, char *err, size_t errsz)
{
	mail_init();
	GMimeStream *s = g_mime_stream_mem_new_with_buffer(buf, len);
	int r = parse_stream(s, out, err, errsz);
	g_object_unref(s);
	if (r)
		mail_msg_clear(out);
	return r;
}

int mail_parse_fd(int fd, off_t start, off_t end, mail_msg *out, char *err, size_t errsz)
{
	mail_init();
	int d = dup(fd);
	if (d < 0) {
		snprintf(err, errsz, "cannot duplicate file descriptor");
		memset(out, 0, sizeof *out);
		return -1;
	}
	GMimeStream *s = g_mime_stream_fs_new_with_bounds(d, start, end);
	int r = parse_stream(s, out, err, errsz);
	g_object_unref(s);
	if (r)
		mail_msg_clear(out);
	return r;
}
