/* api.c - the JSON API of pmkb serve (docs/api.md). Every answer is the
 * document the command's --json prints: match_json (docs/match-json.md),
 * sig_json (docs/sig-json.md), cli_search_json (docs/search-json.md),
 * suggest_json (docs/suggest-json.md) and cli_case_json (pmkb-show(1)); errors are {"error": reason, "exit": code}
 * with the exit code the command would return. Request JSON is parsed with
 * jansson. */
#include "api.h"
#include "query.h"
#include "../kb/customer.h"
#include "../matcher/suggest.h"

#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define API_MAX_LIMIT 1000

static void ok_json(srv_resp *resp)
{
	resp->status = 200;
	resp->type = "application/json";
	sb_addc(&resp->body, '\n');
}

/* A kb failure: 503 + Retry-After when locked. */
static void kb_err(srv *s, srv_resp *resp, kb_status st, const char *what, const char *why)
{
	int ex = cli_kb_exit(st);
	if (st == KB_LOCKED)
		resp->retry_after = 2;
	if (st == KB_CORRUPT || st == KB_INTERNAL || st == KB_IO)
		srv_db_drop(s); /* the next request opens a fresh handle */
	srv_error_json(resp, st == KB_NOT_FOUND ? 503 : srv_status_of_exit(ex), ex, "%s: %s", what,
		 why && *why ? why : kb_status_string(st));
	if (st == KB_NOT_FOUND)
		resp->retry_after = 10;
}

/* A count argument in [lo, hi], def when absent; -1 when malformed. */
static long count_arg(const char *v, long def, long lo, long hi)
{
	if (!v)
		return def;
	char *end;
	long n = strtol(v, &end, 10);
	if (!*v || *end || n < lo || n > hi)
		return -1;
	return n;
}

/* The input of match, sig and import: the raw body, or a JSON object
 * {"text": ..., ...} when sent as application/json. *doc is the parsed
 * object (NULL for a raw body; caller decrefs). Returns 0, or -1 after
 * answering. */
static int body_input(const srv_req *r, srv_resp *resp, const char **buf, size_t *len, json_t **doc)
{
	*doc = NULL;
	if (r->content_type && str_istarts(r->content_type, "application/json")) {
		json_error_t je;
		json_t *d = json_loadb(r->body.buf ? r->body.buf : "", r->body.len, 0, &je);
		if (!d || !json_is_object(d)) {
			srv_error_json(resp, 400, PMKB_EX_USAGE, "request JSON: %s",
				 d ? "not an object" : je.text);
			json_decref(d);
			return -1;
		}
		json_t *t = json_object_get(d, "text");
		if (!json_is_string(t)) {
			srv_error_json(resp, 400, PMKB_EX_USAGE, "request JSON: \"text\" (a string) is missing");
			json_decref(d);
			return -1;
		}
		*buf = json_string_value(t);
		*len = json_string_length(t);
		*doc = d;
		return 0;
	}
	*buf = r->body.buf ? r->body.buf : "";
	*len = r->body.len;
	return 0;
}

/* A boolean from the JSON object or, else, the query string ("1", "true"). */
static int flag_of(const srv_req *r, json_t *doc, const char *name)
{
	if (doc) {
		json_t *v = json_object_get(doc, name);
		if (v)
			return json_is_true(v);
	}
	const char *a = srv_arg(r, name);
	return a && (strcmp(a, "1") == 0 || strcmp(a, "true") == 0);
}

/* The file name the input came as: "name" in the JSON object, else
 * ?name=. */
static const char *name_of(const srv_req *r, json_t *doc)
{
	json_t *v = doc ? json_object_get(doc, "name") : NULL;
	return json_is_string(v) ? json_string_value(v) : srv_arg(r, "name");
}

static long limit_of(const srv_req *r, json_t *doc, const char *name, long def)
{
	if (doc) {
		json_t *v = json_object_get(doc, name);
		if (v)
			return json_is_integer(v) && json_integer_value(v) >= 1 &&
					       json_integer_value(v) <= API_MAX_LIMIT
				       ? (long)json_integer_value(v)
				       : -1;
	}
	return count_arg(srv_arg(r, name), def, 1, API_MAX_LIMIT);
}

/* POST /api/match: the --json of pmkb match (cli_match_doc). */
static void api_match(srv *s, srv_req *r, srv_resp *resp)
{
	const char *buf;
	size_t len;
	json_t *doc;
	if (body_input(r, resp, &buf, &len, &doc) < 0)
		return;
	long n = limit_of(r, doc, "n", 5);
	int use_text = flag_of(r, doc, "text_match");
	if (n < 0) {
		srv_error_json(resp, 400, PMKB_EX_USAGE, "n wants a number from 1 to %d", API_MAX_LIMIT);
		json_decref(doc);
		return;
	}
	pm_case *q = NULL;
	char *text = NULL, err[256] = "", *name = srv_safe_name(name_of(r, doc));
	int ex = srv_read_query(buf, len, name, &q, &text, err, sizeof err);
	free(name);
	json_decref(doc);
	if (ex) {
		srv_error_json(resp, srv_status_of_exit(ex), ex, "cannot read the query: %s", err);
		return;
	}
	if (q->nanalyses == 0 && !(use_text && text && *str_trim(text))) {
		srv_error_json(resp, 422, PMKB_EX_NOMATCH,
			 "nothing to match: no dump analysis found (give !analyze -v output, a stack or a "
			 ".dmp; text_match matches prose alone)");
		pm_case_free(q);
		free(text);
		return;
	}
	kb_db *db = NULL;
	kb_status st = srv_db(s, &db, err, sizeof err);
	match_result *res = NULL;
	size_t nres = 0;
	if (st == KB_OK)
		st = srv_match(s, db, q, text, (size_t)n, use_text, &res, &nres);
	if (st != KB_OK) {
		kb_err(s, resp, st, "cannot match", db ? kb_last_error(db) : err);
	} else if ((st = cli_match_doc(db, q, res, nres, 1, &resp->body)) != KB_OK) {
		sb_reset(&resp->body);
		kb_err(s, resp, st, "cannot read outcomes", kb_last_error(db));
	} else {
		ok_json(resp);
	}
	if (res)
		srv_results_free(res, nres);
	pm_case_free(q);
	free(text);
}

/* POST /api/suggest: the --json of pmkb suggest (cli_suggest); a reply
 * routed to an engineer is a 200 answer too ("route": "engineer"). */
static void api_suggest(srv *s, srv_req *r, srv_resp *resp)
{
	const char *buf;
	size_t len;
	json_t *doc;
	if (body_input(r, resp, &buf, &len, &doc) < 0)
		return;
	const char *lang = srv_arg(r, "lang");
	json_t *jl = doc ? json_object_get(doc, "lang") : NULL;
	if (jl)
		lang = json_is_string(jl) ? json_string_value(jl) : "";
	if (lang && strcmp(lang, "zh") && strcmp(lang, "en")) {
		srv_error_json(resp, 400, PMKB_EX_USAGE, "lang wants zh or en");
		json_decref(doc);
		return;
	}
	char langbuf[3] = "";
	if (lang)
		memcpy(langbuf, lang, 3);
	pm_case *q = NULL;
	char *text = NULL, err[256] = "", *name = srv_safe_name(name_of(r, doc));
	int ex = srv_read_query(buf, len, name, &q, &text, err, sizeof err);
	free(name);
	json_decref(doc);
	if (ex) {
		srv_error_json(resp, srv_status_of_exit(ex), ex, "cannot read the query: %s", err);
		return;
	}
	kb_db *db = NULL;
	kb_status st = srv_db(s, &db, err, sizeof err);
	if (st != KB_OK) {
		kb_err(s, resp, st, "cannot draft a reply", err);
	} else {
		suggest_result sr;
		ex = srv_suggest(s, db, q, text, *langbuf ? langbuf : NULL, &sr);
		if (ex) {
			if (ex == PMKB_EX_TEMPFAIL)
				resp->retry_after = 2;
			srv_error_json(resp, srv_status_of_exit(ex), ex, "cannot draft a reply: %s",
				 ex == PMKB_EX_CONFIG ? "bad configuration (see the server's log)"
						      : kb_last_error(db));
		} else {
			suggest_json(&sr, &resp->body);
			ok_json(resp);
		}
		suggest_result_clear(&sr);
	}
	pm_case_free(q);
	free(text);
}

/* POST /api/sig: {"analyses": [sig_json...]} as pmkb sig --json. */
static void api_sig(srv_req *r, srv_resp *resp)
{
	const char *buf;
	size_t len;
	json_t *doc;
	if (body_input(r, resp, &buf, &len, &doc) < 0)
		return;
	pm_case *q = NULL;
	char *text = NULL, err[256] = "", *name = srv_safe_name(name_of(r, doc));
	int ex = srv_read_query(buf, len, name, &q, &text, err, sizeof err);
	free(name);
	json_decref(doc);
	free(text);
	if (ex) {
		srv_error_json(resp, srv_status_of_exit(ex), ex, "cannot read the input: %s", err);
		return;
	}
	sb_adds(&resp->body, "{\"analyses\":[");
	for (size_t i = 0; i < q->nanalyses; i++) {
		pm_signature sig;
		sig_build(&q->analyses[i], &sig, NULL);
		if (i)
			sb_addc(&resp->body, ',');
		sig_json(&q->analyses[i], &sig, &resp->body);
		sig_clear(&sig);
	}
	sb_adds(&resp->body, "]}");
	ok_json(resp);
	pm_case_free(q);
}

/* GET /api/search?q=&offset=&limit= : pmkb search --json. */
static void api_search(srv *s, srv_req *r, srv_resp *resp)
{
	const char *q = srv_arg(r, "q");
	long limit = count_arg(srv_arg(r, "limit"), 20, 1, API_MAX_LIMIT);
	long offset = count_arg(srv_arg(r, "offset"), 0, 0, 1000000);
	if (!q || q[strspn(q, " \t\r\n")] == '\0') {
		srv_error_json(resp, 400, PMKB_EX_USAGE, "no query: GET /api/search?q=WORDS");
		return;
	}
	if (limit < 0 || offset < 0) {
		srv_error_json(resp, 400, PMKB_EX_USAGE, "limit wants 1 to %d, offset 0 or more", API_MAX_LIMIT);
		return;
	}
	if (!utf8_valid(q, strlen(q))) {
		srv_error_json(resp, 400, PMKB_EX_USAGE, "the query is not valid UTF-8");
		return;
	}
	char err[256] = "";
	kb_db *db = NULL;
	kb_hits *h = NULL;
	kb_status st = srv_db(s, &db, err, sizeof err);
	if (st == KB_OK)
		st = kb_search(db, q, (size_t)offset, (size_t)limit, &h);
	if (st != KB_OK) {
		kb_err(s, resp, st, "search failed", db ? kb_last_error(db) : err);
		return;
	}
	/* the snippets pmkb search --json gives (cli_search_snippet) */
	char **snippets = xcalloc(h->n + 1, sizeof *snippets);
	for (size_t i = 0; i < h->n; i++)
		snippets[i] = cli_search_snippet(db, h->hits[i].case_id, q);
	cli_search_json(&resp->body, q, (size_t)offset, (size_t)limit, h, (const char *const *)snippets);
	for (size_t i = 0; i < h->n; i++)
		free(snippets[i]);
	free(snippets);
	ok_json(resp);
	kb_hits_free(h);
}

/* GET /api/cases/ID : pmkb show --json. */
static void api_case(srv *s, const char *id, srv_resp *resp)
{
	char err[256] = "";
	kb_db *db = NULL;
	pm_case *c = NULL;
	kb_status st = srv_db(s, &db, err, sizeof err);
	if (st == KB_OK)
		st = kb_get_case(db, id, &c);
	if (st == KB_NOT_FOUND && db) {
		srv_error_json(resp, 404, PMKB_EX_NOMATCH, "no case '%s'", id);
		return;
	}
	if (st != KB_OK) {
		kb_err(s, resp, st, "cannot read the case", db ? kb_last_error(db) : err);
		return;
	}
	pm_signature *sigs = NULL;
	size_t nsigs = 0;
	if (kb_get_signatures(db, id, &sigs, &nsigs) != KB_OK)
		nsigs = 0;
	kb_outcome *outc = NULL;
	size_t noutc = 0;
	if (kb_outcome_get(db, id, &outc, &noutc) != KB_OK)
		noutc = 0;
	cli_case_json(&resp->body, c, sigs, nsigs, outc, noutc);
	ok_json(resp);
	kb_outcomes_free(outc, noutc);
	kb_signatures_free(sigs, nsigs);
	pm_case_free(c);
}

/* POST /api/import?name=FILE[&format=F] : as `pmkb import FILE` of a text
 * or .dmp, under the one-writer lock. Needs the bearer token. */
static void api_import(srv *s, srv_req *r, srv_resp *resp)
{
	if (!s->token) {
		srv_error_json(resp, 403, PMKB_EX_CONFIG,
			 "writes are off: set serve.token (pmkb config set serve.token ...) and restart");
		return;
	}
	if (!r->authorised) {
		srv_error_json(resp, 401, PMKB_EX_CONFIG, "writes need Authorization: Bearer TOKEN (serve.token)");
		return;
	}
	const char *buf;
	size_t len;
	json_t *doc;
	if (body_input(r, resp, &buf, &len, &doc) < 0)
		return;
	const char *name = name_of(r, doc), *format = srv_arg(r, "format");
	json_t *fv = doc ? json_object_get(doc, "format") : NULL;
	if (json_is_string(fv))
		format = json_string_value(fv);
	static const char *formats[] = {"auto", "thread", "text", "windbg", "dmp"};
	int fok = !format;
	for (size_t i = 0; format && i < PMKB_ARRAY_LEN(formats); i++)
		fok |= strcmp(format, formats[i]) == 0;
	char *fname = srv_safe_name(name);
	if (!fname || !fok) {
		srv_error_json(resp, 400, PMKB_EX_USAGE,
			 !fname ? "name=FILE is missing or not a file name (it names a dump's case)"
				: "format is auto, thread, text, windbg or dmp");
		free(fname);
		json_decref(doc);
		return;
	}
	if (len == 0) {
		srv_error_json(resp, 400, PMKB_EX_DATAERR, "'%s': empty file", fname);
		free(fname);
		json_decref(doc);
		return;
	}
	if (pthread_mutex_trylock(&s->write_lock) != 0) {
		resp->retry_after = 2;
		srv_error_json(resp, 503, PMKB_EX_TEMPFAIL, "another import is running; retry");
		free(fname);
		json_decref(doc);
		return;
	}
	char err[512] = "";
	kb_db *db = NULL;
	kb_status st = kb_open(s->db_dir, KB_WRITE, &db, err, sizeof err);
	if (st == KB_OK)
		st = kb_begin_batch(db);
	if (st != KB_OK) {
		if (st == KB_LOCKED) {
			resp->retry_after = 5;
			srv_error_json(resp, 503, PMKB_EX_TEMPFAIL,
				 "the knowledge base is locked by another writer; retry");
		} else {
			kb_err(s, resp, st, "cannot open the knowledge base for writing",
			       db ? kb_last_error(db) : err);
		}
		kb_close(db);
		pthread_mutex_unlock(&s->write_lock);
		free(fname);
		json_decref(doc);
		return;
	}
	import_report rep;
	memset(&rep, 0, sizeof rep);
	char *copy = xmalloc(len + 1);
	memcpy(copy, buf, len);
	copy[len] = '\0';
	json_decref(doc);
	int ex = cli_import_mem(db, fname, copy, len, format, &rep, err, sizeof err);
	kb_status cst = kb_commit(db);
	if (ex == PMKB_EX_OK && cst != KB_OK) {
		ex = cli_kb_exit(cst);
		snprintf(err, sizeof err, "cannot commit the import: %s", kb_last_error(db));
	}
	kb_close(db);
	pthread_mutex_unlock(&s->write_lock);
	if (ex != PMKB_EX_OK) {
		if (ex == PMKB_EX_TEMPFAIL)
			resp->retry_after = 5;
		srv_error_json(resp, srv_status_of_exit(ex), ex, "cannot import '%s': %s", fname, err);
	} else {
		sb_addf(&resp->body,
			"{\"imported\":{\"cases\":%ld,\"messages\":%ld,\"analyses\":%ld,\"notes\":%ld,"
			"\"redactions\":%ld}}",
			rep.cases, rep.messages, rep.analyses, rep.notes, rep.redactions);
		ok_json(resp);
	}
	free(fname);
}

void api_handle(srv *s, srv_req *r, srv_resp *resp)
{
	const char *p = r->path;
	int post = strcmp(r->method, "POST") == 0;
	int get = !post; /* GET or HEAD */
	if (strcmp(p, "/api/match") == 0 && post)
		api_match(s, r, resp);
	else if (strcmp(p, "/api/suggest") == 0 && post)
		api_suggest(s, r, resp);
	else if (strcmp(p, "/api/sig") == 0 && post)
		api_sig(r, resp);
	else if (strcmp(p, "/api/search") == 0 && get)
		api_search(s, r, resp);
	else if (str_starts(p, "/api/cases/") && p[11] && get)
		api_case(s, p + 11, resp);
	else if (strcmp(p, "/api/import") == 0 && post)
		api_import(s, r, resp);
	else if (strcmp(p, "/api/match") == 0 || strcmp(p, "/api/sig") == 0 ||
		 strcmp(p, "/api/suggest") == 0 ||
		 strcmp(p, "/api/search") == 0 || strcmp(p, "/api/import") == 0 ||
		 str_starts(p, "/api/cases/")) {
		resp->status = 405;
		srv_error_json(resp, 405, PMKB_EX_USAGE, "%s: method %s not allowed", p, r->method);
	} else
		srv_error_json(resp, 404, PMKB_EX_USAGE, "no such API: %s (see docs/api.md)", p);
}
