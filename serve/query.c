/* query.c - what a page or API request asks to match: a pasted WinDbg
 * text, a mail or thread, or a .dmp, read from memory as `pmkb match` and
 * `pmkb sig` read a file; and the match itself, one per analysis. */
#include "serve.h"
#include "../import/readers.h"
#include "../util/charset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The file name a request gives its body: the last path component only
 * (it names the case of a dump, it is never opened). */
char *srv_safe_name(const char *name)
{
	if (!name || !*name)
		return NULL;
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	const char *bs = strrchr(base, '\\');
	base = bs ? bs + 1 : base;
	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0 || strlen(base) > 200 ||
	    !utf8_valid(base, strlen(base)))
		return NULL;
	char *out = xstrdup(base);
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = '_';
	return out;
}

int srv_read_query(const char *buf, size_t len, const char *name, pm_case **q, char **text,
		   char *err, size_t errsz)
{
	*q = NULL;
	*text = NULL;
	pm_case *c = pm_case_new();
	c->id = xstrdup("query");
	if (dmp_is_dump((const unsigned char *)buf, len)) {
		pm_analysis a;
		memset(&a, 0, sizeof a);
		char *warn = NULL;
		int ex = PMKB_EX_DATAERR;
		if (dmp_read_mem((const unsigned char *)buf, len, &a, &warn, err, errsz, &ex) < 0) {
			free(warn);
			pm_analysis_clear(&a);
			pm_case_free(c);
			return ex ? ex : PMKB_EX_DATAERR;
		}
		free(warn);
		if (!a.dump_name && name)
			a.dump_name = xstrdup(name); /* as a file of that name is read */
		pm_case_take_analysis(c, &a);
		*q = c;
		return 0;
	}
	const char *enc = NULL;
	if (len >= 2 && (((unsigned char)buf[0] == 0xff && (unsigned char)buf[1] == 0xfe) ||
			 ((unsigned char)buf[0] == 0xfe && (unsigned char)buf[1] == 0xff)))
		enc = "utf-16"; /* WinDbg .logopen /u */
	else if (memchr(buf, '\0', len)) {
		snprintf(err, errsz, "binary data, neither text nor a .dmp file");
		pm_case_free(c);
		return PMKB_EX_DATAERR;
	}
	size_t tlen = 0;
	char *t = charset_to_utf8(buf, len, enc, &tlen, NULL);
	windbg_extract(t, tlen, -1, c);
	*q = c;
	*text = t;
	return 0;
}

kb_status srv_match(srv *s, kb_db *db, const pm_case *q, const char *text, size_t limit,
		    int use_text, match_result **res, size_t *nres)
{
	match_opts o = {.rules = s->rules, .limit = limit, .use_text = use_text};
	return cli_match_all(db, q, text, &o, res, nres);
}

void srv_results_free(match_result *res, size_t n)
{
	cli_match_free(res, n);
}
