/* snippet.c - the line of a case's text that shows why a search found it:
 * the first place its text holds a word or "phrase" of the query (see
 * cli.h). Field terms (module:x), operators and the words Xapian found
 * only through their stem are not looked for; then the title is shown. */
#include "cli.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define SNIPPET_BEFORE 40
#define SNIPPET_AFTER 100

/* The words and phrases of a query, lower-case ASCII (caller frees). */
static char **needles(const char *q, size_t *n)
{
	char **v = NULL;
	size_t cap = 0;
	*n = 0;
	const char *p = q;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '(' || *p == ')' || *p == '+' || *p == '-')
			p++;
		if (!*p)
			break;
		const char *s = p, *e;
		if (*p == '"') {
			s = ++p;
			e = strchr(p, '"');
			if (!e)
				e = p + strlen(p);
			p = *e ? e + 1 : e;
		} else {
			while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != ')')
				p++;
			e = p;
			const char *colon = memchr(s, ':', (size_t)(e - s));
			size_t len = (size_t)(e - s);
			if (colon || (len == 3 && (!strncmp(s, "AND", 3) || !strncmp(s, "NOT", 3))) ||
			    (len == 2 && !strncmp(s, "OR", 2)) || (len == 4 && !strncmp(s, "NEAR", 4)))
				continue; /* a field, or an operator */
		}
		if (e > s) {
			char *w = xstrndup(s, (size_t)(e - s));
			for (char *c = w; *c; c++)
				*c = (char)tolower((unsigned char)*c);
			XGROW(v, cap, *n + 1);
			v[(*n)++] = w;
		}
	}
	return v;
}

/* Collapse white space of text[a..b) into out. */
static void add_flat(sbuf *out, const char *t, size_t a, size_t b)
{
	int blank = 0;
	for (size_t i = a; i < b; i++) {
		char c = t[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			blank = 1;
			continue;
		}
		if (blank && out->len)
			sb_addc(out, ' ');
		blank = 0;
		sb_addc(out, c);
	}
}

/* The snippet of text around its first needle, or NULL. */
static char *around(const char *text, char **nd, size_t nn)
{
	if (!text || !nn)
		return NULL;
	size_t len = strlen(text);
	char *low = xstrdup(text);
	for (char *c = low; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	const char *best = NULL;
	size_t blen = 0;
	for (size_t i = 0; i < nn; i++) {
		const char *hit = strstr(low, nd[i]);
		if (hit && (!best || hit < best)) {
			best = hit;
			blen = strlen(nd[i]);
		}
	}
	char *out = NULL;
	if (best) {
		size_t at = (size_t)(best - low);
		size_t a = at > SNIPPET_BEFORE ? at - SNIPPET_BEFORE : 0;
		size_t b = at + blen + SNIPPET_AFTER < len ? at + blen + SNIPPET_AFTER : len;
		while (a > 0 && ((unsigned char)text[a] & 0xc0) == 0x80) /* UTF-8 boundaries */
			a--;
		while (b < len && ((unsigned char)text[b] & 0xc0) == 0x80)
			b++;
		sbuf sb = {0};
		if (a > 0)
			sb_adds(&sb, "...");
		add_flat(&sb, text, a, b);
		if (b < len)
			sb_adds(&sb, "...");
		out = sb_detach(&sb);
	}
	free(low);
	return out;
}

char *cli_search_snippet(kb_db *db, const char *case_id, const char *query)
{
	pm_case *c = NULL;
	if (!case_id || kb_get_case(db, case_id, &c) != KB_OK)
		return NULL;
	size_t nn = 0;
	char **nd = needles(query, &nn);
	char *s = around(c->title, nd, nn);
	for (size_t i = 0; !s && i < c->nmessages; i++)
		s = around(c->messages[i].body, nd, nn);
	for (size_t i = 0; !s && i < c->nnotes; i++)
		s = around(c->notes[i].text, nd, nn);
	if (!s && c->title) {
		sbuf sb = {0};
		add_flat(&sb, c->title, 0, strlen(c->title));
		s = sb_detach(&sb);
	}
	for (size_t i = 0; i < nn; i++)
		free(nd[i]);
	free(nd);
	pm_case_free(c);
	return s;
}
