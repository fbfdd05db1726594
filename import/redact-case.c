/* redact-case.c - personal data in the fields of a case that redact_text
 * does not see: sender fields, attachment and dump file names, the source
 * path, and the personal names that senders, greetings and signatures
 * give, which are replaced in the bodies by the same stable pseudonym
 * ("person-3fa2c1": a hash of the name, so a thread stays readable and
 * one person is one pseudonym everywhere). Contract in readers.h. */
#include "readers.h"
#include "../util/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PSEUDO_PREFIX REDACT_PSEUDO_PREFIX

/* Words that make a sender a role or a mailbox, not a person. */
static const char *const role_words[] = {
	"支持", "技术", "服务", "中心", "客服", "团队", "小组", "部门", "运维", "support", "team",
	"service", "help", "admin", "noreply", "no-reply", "desk", "system", "windows", "microsoft",
};

static int is_cjk_at(const unsigned char *s)
{
	/* U+4E00..U+9FFF: E4 B8 80 .. E9 BF BF */
	return s[0] >= 0xE4 && s[0] <= 0xE9 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
	       !(s[0] == 0xE4 && s[1] < 0xB8);
}

static int has_role_word(const char *s)
{
	char *low = xstrdup(s);
	str_lower(low);
	int r = 0;
	for (size_t i = 0; i < PMKB_ARRAY_LEN(role_words) && !r; i++)
		r = strstr(low, role_words[i]) != NULL;
	free(low);
	return r;
}

/* A personal name: 2 to 4 CJK characters, or 1 to 4 Latin words of
 * letters (a capital first), without digits and not a role. */
static int person_like(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	if (len == 0 || str_starts(s, PSEUDO_PREFIX) || strchr(s, '[') || has_role_word(s))
		return 0;
	if (p[0] >= 0xE4) {
		size_t n = 0;
		for (size_t i = 0; i < len; i += 3, n++)
			if (i + 3 > len || !is_cjk_at(p + i))
				return 0;
		return n >= 2 && n <= 4;
	}
	int words = 0, start = 1;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = p[i];
		if (c == ' ') {
			start = 1;
			continue;
		}
		if (start) {
			if (!(c >= 'A' && c <= 'Z'))
				return 0;
			words++;
			start = 0;
		} else if (!isalpha(c) && c != '.' && c != '-' && c != '\'') {
			return 0;
		}
	}
	return words >= 1 && words <= 4;
}

static char *pseudonym(const char *name)
{
	/* name is person_like here (names_add), see redact_pseudonym */
	char *low = xstrdup(name);
	str_lower(low);
	char hex[17];
	hash_hex(fnv1a64(low, strlen(low)), hex);
	free(low);
	return xasprintf(PSEUDO_PREFIX "%.6s", hex);
}

char *redact_pseudonym(const char *name)
{
	return person_like(name) ? pseudonym(name) : NULL;
}

typedef struct names {
	char **from, **to;
	size_t n, cap;
} names;

static void names_add(names *nm, const char *name)
{
	if (!person_like(name))
		return;
	for (size_t i = 0; i < nm->n; i++)
		if (strcmp(nm->from[i], name) == 0)
			return;
	size_t cap = nm->cap;
	XGROW(nm->from, cap, nm->n + 1);
	XGROW(nm->to, nm->cap, nm->n + 1);
	nm->from[nm->n] = xstrdup(name);
	nm->to[nm->n] = pseudonym(name);
	nm->n++;
}

static void names_free(names *nm)
{
	for (size_t i = 0; i < nm->n; i++) {
		free(nm->from[i]);
		free(nm->to[i]);
	}
	free(nm->from);
	free(nm->to);
}

static char *trim_dup(const char *a, const char *b)
{
	while (a < b && (*a == ' ' || *a == '\t' || *a == '"' || *a == '\''))
		a++;
	while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '"' || b[-1] == '\''))
		b--;
	return xstrndup(a, (size_t)(b - a));
}

/* The sender field: an address becomes a pseudonym, a person's name a
 * pseudonym, a role stays (with phone numbers and addresses in it
 * replaced). "Name <addr>", "Name 13812340001", "addr". */
static char *redact_sender(const char *sender, names *nm, int *count)
{
	if (str_starts(sender, PSEUDO_PREFIX) || strncmp(sender, "[redacted:", 10) == 0)
		return xstrdup(sender);
	const char *lt = strchr(sender, '<');
	char *display = lt ? trim_dup(sender, lt) : xstrdup(sender);
	char *addr = NULL;
	if (lt) {
		const char *gt = strchr(lt, '>');
		addr = trim_dup(lt + 1, gt ? gt : lt + strlen(lt));
	} else if (strchr(display, '@') && !strchr(display, ' ')) {
		addr = display;
		display = xstrdup("");
	}
	int n = 0;
	char *red = redact_text(display, &n);
	/* the name without the markers of what was in it */
	sbuf bare = {0};
	for (const char *p = red; *p;) {
		if (strncmp(p, "[redacted:", 10) == 0) {
			const char *e = strchr(p, ']');
			p = e ? e + 1 : p + strlen(p);
			continue;
		}
		sb_addc(&bare, *p++);
	}
	char *name = trim_dup(sb_str(&bare), sb_str(&bare) + bare.len);
	sb_free(&bare);
	char *out;
	if (person_like(name)) {
		names_add(nm, name);
		out = pseudonym(name);
		n++;
	} else if (*name) {
		out = xstrdup(red);
	} else if (addr && *addr) {
		out = pseudonym(addr);
		n++;
	} else {
		out = xstrdup(red);
	}
	if (addr && *name && !person_like(name))
		n++; /* a role's address is dropped */
	*count += n;
	free(name);
	free(red);
	free(display);
	free(addr);
	return out;
}

char *redact_sender_field(const char *sender)
{
	names nm = {0};
	int n = 0;
	char *r = redact_sender(sender, &nm, &n);
	names_free(&nm);
	return r;
}

/* Replace every whole occurrence of the names in body. Latin names match
 * as whole words; CJK names anywhere. */
static char *replace_names(const char *body, const names *nm, int *count)
{
	int any = 0;
	for (size_t i = 0; i < nm->n && !any; i++)
		any = strstr(body, nm->from[i]) != NULL;
	if (!any)
		return xstrdup(body);
	/* the bytes a name starts with: text between them is copied whole */
	unsigned char first[256] = {0};
	size_t *lens = xmalloc(nm->n * sizeof *lens);
	for (size_t i = 0; i < nm->n; i++) {
		lens[i] = strlen(nm->from[i]);
		first[(unsigned char)nm->from[i][0]] = 1;
	}
	first[0] = 0;
	sbuf out = {0};
	const char *p = body;
	while (*p) {
		if (!first[(unsigned char)*p]) {
			const char *q = p + 1;
			while (*q && !first[(unsigned char)*q])
				q++;
			sb_add(&out, p, (size_t)(q - p));
			p = q;
			continue;
		}
		size_t best = 0, which = 0;
		for (size_t i = 0; i < nm->n; i++) {
			size_t l = lens[i];
			if (l > best && strncmp(p, nm->from[i], l) == 0) {
				int latin = (unsigned char)nm->from[i][0] < 0x80;
				if (latin && ((p > body && isalnum((unsigned char)p[-1])) || isalnum((unsigned char)p[l])))
					continue;
				best = l;
				which = i;
			}
		}
		if (best) {
			sb_adds(&out, nm->to[which]);
			p += best;
			(*count)++;
		} else {
			sb_addc(&out, *p++);
		}
	}
	free(lens);
	return sb_detach(&out);
}

/* Honorifics after a Chinese surname in a greeting ("许先生，您好"). */
static const char *const honorifics[] = {"先生", "女士", "小姐", "老师", "经理", "工程师", "同学"};

/* Names that greetings and signatures give in body: a surname before an
 * honorific; "Dear X," / "Hi X,"; the short line after "Best regards",
 * "Thanks", "谢谢", "此致" and the like. */
static void names_in_body(const char *body, names *nm)
{
	const unsigned char *s = (const unsigned char *)body;
	for (size_t h = 0; h < PMKB_ARRAY_LEN(honorifics); h++) {
		for (const char *hit = strstr(body, honorifics[h]); hit; hit = strstr(hit + 1, honorifics[h])) {
			size_t i = (size_t)(hit - body);
			/* one CJK surname right before, not itself after a CJK
			 * character other than 的 (then it is a word: 这位先生) */
			if (i < 3 || !is_cjk_at(s + i - 3))
				continue;
			if (i >= 6 && is_cjk_at(s + i - 6) && strncmp(body + i - 6, "的", 3) != 0)
				continue;
			char *full = xasprintf("%.3s%s", body + i - 3, honorifics[h]);
			names_add(nm, full);
			free(full);
		}
	}
	static const char *const greet[] = {"Dear ", "Hi ", "Hello "};
	static const char *const closing[] = {"best regards", "regards", "thanks", "thank you", "谢谢",
					      "此致", "祝好", "顺祝"};
	const char *line = body;
	int after_closing = 0;
	while (*line) {
		const char *eol = strchr(line, '\n');
		size_t ll = eol ? (size_t)(eol - line) : strlen(line);
		const char *a = line, *z = line + ll;
		while (a < z && (*a == ' ' || *a == '\t'))
			a++;
		while (z > a && (z[-1] == ' ' || z[-1] == '\t' || z[-1] == '\r' || z[-1] == ',' || z[-1] == '.' ||
				 z[-1] == '!'))
			z--;
		size_t tl = (size_t)(z - a);
		if (after_closing && tl) {
			if (tl <= 40) {
				char *l = xstrndup(a, tl);
				names_add(nm, l);
				free(l);
			}
			after_closing = 0;
		} else if (tl) {
			for (size_t k = 0; k < PMKB_ARRAY_LEN(closing); k++) {
				size_t cl = strlen(closing[k]);
				if (tl >= cl && tl <= cl + 12 && strncasecmp(a, closing[k], cl) == 0)
					after_closing = 1;
			}
			for (size_t k = 0; k < PMKB_ARRAY_LEN(greet); k++) {
				size_t gl = strlen(greet[k]);
				if (tl > gl && tl - gl <= 40 && strncmp(a, greet[k], gl) == 0) {
					char *nm_ = xstrndup(a + gl, tl - gl);
					char *cut = strpbrk(nm_, ",:;");
					if (cut)
						*cut = '\0';
					names_add(nm, nm_);
					free(nm_);
				}
			}
		}
		line = eol ? eol + 1 : line + ll;
	}
}

static void replace_field(char **f, int *count, int name)
{
	if (!*f)
		return;
	char *r = name ? redact_name(*f, count) : redact_text(*f, count);
	free(*f);
	*f = r;
}

void redact_case(pm_case *c)
{
	int n = 0;
	names nm = {0};
	for (size_t i = 0; i < c->nmessages; i++) {
		pm_message *m = &c->messages[i];
		if (m->sender) {
			char *r = redact_sender(m->sender, &nm, &n);
			free(m->sender);
			m->sender = r;
		}
		replace_field(&m->subject, &n, 0);
	}
	replace_field(&c->title, &n, 0);
	replace_field(&c->source, &n, 1);
	for (size_t i = 0; i < c->nattachments; i++)
		replace_field(&c->attachments[i].filename, &n, 1);
	for (size_t i = 0; i < c->nanalyses; i++)
		replace_field(&c->analyses[i].dump_name, &n, 1);
	/* names in the bodies of messages no analysis points into yet (an
	 * analysis keeps byte offsets into its body) */
	for (size_t i = 0; i < c->nmessages; i++) {
		int busy = 0;
		for (size_t k = 0; k < c->nanalyses && !busy; k++)
			busy = c->analyses[k].message == (int)i;
		if (!busy && c->messages[i].body)
			names_in_body(c->messages[i].body, &nm);
	}
	for (size_t i = 0; i < c->nmessages && nm.n; i++) {
		pm_message *m = &c->messages[i];
		int busy = 0;
		for (size_t k = 0; k < c->nanalyses && !busy; k++)
			busy = c->analyses[k].message == (int)i;
		if (busy || !m->body)
			continue;
		char *r = replace_names(m->body, &nm, &n);
		free(m->body);
		m->body = r;
	}
	for (size_t i = 0; i < c->nnotes && nm.n; i++) {
		if (!c->notes[i].text)
			continue;
		char *r = replace_names(c->notes[i].text, &nm, &n);
		free(c->notes[i].text);
		c->notes[i].text = r;
	}
	if (c->title && nm.n) {
		char *r = replace_names(c->title, &nm, &n);
		free(c->title);
		c->title = r;
	}
	names_free(&nm);
	c->redactions += n;
}
