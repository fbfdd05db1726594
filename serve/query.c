/* query.c - what a page or API request asks to match: a pasted WinDbg
 * text, a mail or thread, or a .dmp, read from memory as `pmkb match` and
 * `pmkb sig` read a file; and the match itself, one per analysis. */
#include "query.h"
#include "../import/readers.h"
#include "../matcher/suggest.h"

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
	/* the body bound is serve.max_body_mb's, checked before */
	input_opts o = {.max_text = (size_t)-1, .dumps = INPUT_DUMPS_SNIFF};
	input in;
	input_status st = input_read_mem(buf, len, &o, &in);
	if (st != INPUT_OK) {
		snprintf(err, errsz, "%s", in.err);
		input_clear(&in);
		return cli_input_exit(st);
	}
	pm_case *c = pm_case_new();
	c->id = xstrdup("query");
	if (in.is_dump) {
		if (!in.dump.dump_name && name)
			in.dump.dump_name = xstrdup(name); /* as a file of that name is read */
		pm_case_take_analysis(c, &in.dump);
	} else {
		windbg_extract(in.text, in.len, -1, c);
		*text = in.text;
		in.text = NULL;
	}
	input_clear(&in);
	*q = c;
	return 0;
}

kb_status srv_match(srv *s, kb_db *db, const pm_case *q, const char *text, size_t limit,
		    int use_text, match_result **res, size_t *nres)
{
	match_opts o = {.rules = s->rules, .limit = limit, .use_text = use_text, .cache = srv_cache()};
	return cli_match_all(db, q, text, &o, res, nres);
}

void srv_results_free(match_result *res, size_t n)
{
	cli_match_free(res, n);
}

int srv_suggest(srv *s, kb_db *db, const pm_case *q, const char *text, const char *lang,
		suggest_result *out)
{
	memset(out, 0, sizeof *out);
	return cli_suggest(s->ctx, db, s->rules, q, text, lang, out);
}
