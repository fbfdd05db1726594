/* suggest.c - the customer's draft and its gate (suggest.h). */
#include "suggest.h"

#include "../util/json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "templates.h" /* generated: builtin_templates[] */

#ifndef PMKB_DATADIR
#define PMKB_DATADIR "/usr/local/share"
#endif

static const char *const lang_names[] = {"zh", "en"};
static const char *const template_names[ST_NTEMPLATES] = {"reply.txt", "outcome.txt", "ask.txt"};
/* placeholders each template may use */
static const char *const template_keys[ST_NTEMPLATES] = {
	"explain remedy outcome confidence ask", "resolved closed", ""};

const char *suggest_lang_name(suggest_lang l)
{
	return lang_names[l == SUGGEST_EN];
}

int suggest_lang_parse(const char *s, suggest_lang *out)
{
	if (s && !strcmp(s, "zh"))
		*out = SUGGEST_ZH;
	else if (s && !strcmp(s, "en"))
		*out = SUGGEST_EN;
	else
		return -1;
	return 0;
}

suggest_lang suggest_detect_lang(const char *text, suggest_lang def)
{
	if (!text)
		return def;
	int cjk = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		/* U+3400..U+9FFF: three-byte sequences E3 90 80 .. E9 BF BF */
		if (p[0] >= 0xe3 && p[0] <= 0xe9 && p[1] >= 0x80 && p[2] >= 0x80 && !(p[0] == 0xe3 && p[1] < 0x90))
			if (++cjk >= 4)
				return SUGGEST_ZH;
	}
	return SUGGEST_EN;
}

/* ------------------------------------------------------------------ */
/* templates */

/* The text without comment lines and trailing blank lines. */
static char *strip_comments(const char *s)
{
	sbuf sb = {0};
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) + 1 : strlen(s);
		if (*s != '#')
			sb_add(&sb, s, n);
		s += n;
	}
	while (sb.len && (sb.buf[sb.len - 1] == '\n' || sb.buf[sb.len - 1] == '\r' || sb.buf[sb.len - 1] == ' '))
		sb.buf[--sb.len] = 0;
	return sb_detach(&sb);
}

/* Every {word} of text is one of keys (space separated). */
static int check_keys(const char *text, const char *keys, char *bad, size_t badsz)
{
	for (const char *p = strchr(text, '{'); p; p = strchr(p + 1, '{')) {
		const char *e = p + 1;
		while ((*e >= 'a' && *e <= 'z') || *e == '-' || *e == '_')
			e++;
		if (*e != '}' || e == p + 1)
			continue;
		size_t n = (size_t)(e - p - 1);
		int ok = 0;
		for (const char *k = keys; *k;) {
			size_t kl = strcspn(k, " ");
			if (kl == n && !strncmp(k, p + 1, n))
				ok = 1;
			k += kl;
			k += *k == ' ';
		}
		if (!ok) {
			snprintf(bad, badsz, "%.*s", (int)n, p + 1);
			return -1;
		}
	}
	return 0;
}

static const char *builtin(const char *name)
{
	for (size_t i = 0; i < PMKB_ARRAY_LEN(builtin_templates); i++)
		if (!strcmp(builtin_templates[i].name, name))
			return (const char *)builtin_templates[i].data;
	return NULL;
}

int suggest_templates_load(const char *kb_dir, suggest_templates *t, char *err, size_t errsz)
{
	memset(t, 0, sizeof *t);
	for (int l = 0; l < 2; l++) {
		for (int k = 0; k < ST_NTEMPLATES; k++) {
			char *rel = xasprintf("%s/%s", lang_names[l], template_names[k]);
			char *paths[2] = {kb_dir ? xasprintf("%s/templates/%s", kb_dir, rel) : NULL,
					  xasprintf("%s/pmkb/templates/%s", PMKB_DATADIR, rel)};
			char *raw = NULL;
			const char *from = "(built-in)";
			for (int i = 0; i < 2 && !raw; i++) {
				struct stat st;
				if (!paths[i] || stat(paths[i], &st) != 0)
					continue;
				char why[256];
				size_t len = 0;
				pm_status rst;
				if (read_file_bounded(paths[i], 1u << 20, &raw, &len, why, sizeof why, &rst) < 0 ||
				    !utf8_valid(raw, len)) {
					snprintf(err, errsz, "%s: %s", paths[i], raw ? "not valid UTF-8" : why);
					free(raw);
					free(paths[0]);
					free(paths[1]);
					free(rel);
					suggest_templates_free(t);
					return -1;
				}
				from = paths[i];
			}
			const char *text = raw ? raw : builtin(rel);
			t->text[l][k] = strip_comments(text ? text : "");
			t->from[l][k] = xstrdup(from);
			free(raw);
			free(paths[0]);
			free(paths[1]);
			char bad[64];
			if (check_keys(t->text[l][k], template_keys[k], bad, sizeof bad) < 0) {
				snprintf(err, errsz, "%s: unknown placeholder {%s} (this file takes: %s)",
					 t->from[l][k], bad, *template_keys[k] ? template_keys[k] : "none");
				free(rel);
				suggest_templates_free(t);
				return -1;
			}
			free(rel);
		}
	}
	return 0;
}

void suggest_templates_free(suggest_templates *t)
{
	for (int l = 0; l < 2; l++)
		for (int k = 0; k < ST_NTEMPLATES; k++) {
			free(t->text[l][k]);
			free(t->from[l][k]);
		}
	memset(t, 0, sizeof *t);
}

/* ------------------------------------------------------------------ */
/* filling */

typedef struct fill_kv {
	const char *key;
	const char *value;
} fill_kv;

static void fill(sbuf *out, const char *tmpl, const fill_kv *kv, size_t n)
{
	for (const char *p = tmpl; *p;) {
		if (*p == '{') {
			const char *e = strchr(p, '}');
			size_t kl = e ? (size_t)(e - p - 1) : 0;
			size_t i;
			for (i = 0; e && i < n; i++)
				if (strlen(kv[i].key) == kl && !strncmp(kv[i].key, p + 1, kl))
					break;
			if (e && i < n) {
				sb_adds(out, kv[i].value ? kv[i].value : "");
				p = e + 1;
				continue;
			}
		}
		sb_addc(out, *p++);
	}
}

/* A rule's multi-line value as one paragraph: continuation lines joined
 * with a space between Latin words, with nothing between Chinese ones. */
static char *paragraph(const char *s)
{
	sbuf sb = {0};
	for (const char *p = s; p && *p; p++) {
		if (*p != '\n') {
			sb_addc(&sb, *p);
			continue;
		}
		unsigned char before = sb.len ? (unsigned char)sb.buf[sb.len - 1] : 0;
		unsigned char after = (unsigned char)p[1];
		if (before < 0x80 && after < 0x80)
			sb_addc(&sb, ' ');
	}
	return sb_detach(&sb);
}

static void add_check(suggest_result *r, const char *name, int pass, char *detail)
{
	if (r->nchecks < PMKB_ARRAY_LEN(r->checks))
		r->checks[r->nchecks++] = (suggest_check){name, pass, detail};
	else
		free(detail);
}

static char *draft_of(const suggest_in *in, const rule *ru, const char *explain, const char *remedy)
{
	int l = in->lang == SUGGEST_EN;
	const outcome_record *rec = in->record;
	char resolved[32], closed[32], confidence[32];
	snprintf(resolved, sizeof resolved, "%d", rec->resolved);
	snprintf(closed, sizeof closed, "%d", outcome_record_closed(rec));
	snprintf(confidence, sizeof confidence, "%.0f%%", in->match->confidence * 100);
	sbuf outcome = {0};
	fill_kv okv[] = {{"resolved", resolved}, {"closed", closed}};
	fill(&outcome, in->templates->text[l][ST_OUTCOME], okv, PMKB_ARRAY_LEN(okv));
	const char *ask_rule = l ? ru->ask_en : ru->ask_zh;
	char *ex = paragraph(explain), *re = paragraph(remedy);
	char *ask = ask_rule ? paragraph(ask_rule) : xstrdup(in->templates->text[l][ST_ASK]);
	fill_kv kv[] = {{"explain", ex}, {"remedy", re}, {"outcome", sb_str(&outcome)},
			{"confidence", confidence}, {"ask", ask}};
	sbuf out = {0};
	fill(&out, in->templates->text[l][ST_REPLY], kv, PMKB_ARRAY_LEN(kv));
	sb_addc(&out, '\n');
	sb_free(&outcome);
	free(ex);
	free(re);
	free(ask);
	return sb_detach(&out);
}

void suggest_build(const suggest_in *in, suggest_result *out)
{
	memset(out, 0, sizeof *out);
	const match_result *m = in->match;
	const rule *ru = m->rule;
	const outcome_record *rec = in->record;
	out->lang = in->lang;
	out->rule_id = ru ? ru->id : NULL;
	out->threshold = ru && ru->suggest_threshold > 0 ? ru->suggest_threshold : in->threshold;

	add_check(out, "verdict", m->v == VERDICT_KNOWN,
		  xasprintf("verdict %s%s", verdict_name(m->v),
			    m->v == VERDICT_KNOWN ? "" : ": only a known cause is answered"));
	add_check(out, "confidence", m->confidence >= out->threshold,
		  xasprintf("confidence %.3f %s threshold %.3f (%s)", m->confidence,
			    m->confidence >= out->threshold ? ">=" : "<", out->threshold,
			    ru && ru->suggest_threshold > 0 ? "the rule's suggest.threshold" : "suggest.threshold"));
	const char *explain = ru ? (in->lang == SUGGEST_EN ? ru->explain_en : ru->explain_zh) : NULL;
	const char *remedy = ru ? (in->lang == SUGGEST_EN ? ru->remedy_en : ru->remedy_zh) : NULL;
	add_check(out, "customer-text", explain && remedy,
		  !ru ? xstrdup("no rule names this cause, so there is no customer-facing text")
		  : explain && remedy ? xasprintf("rule %s has explain.%s and remedy.%s", ru->id,
						   suggest_lang_name(in->lang), suggest_lang_name(in->lang))
				      : xasprintf("rule %s lacks explain.%s or remedy.%s", ru->id,
						  suggest_lang_name(in->lang), suggest_lang_name(in->lang)));
	add_check(out, "outcome", rec && rec->resolved >= 1,
		  xasprintf("resolved in %d of %d closed cases", rec ? rec->resolved : 0,
			    rec ? outcome_record_closed(rec) : 0));
	int contradicted = 0;
	for (size_t i = 0; rec && i < rec->n; i++)
		if (rec->e[i].manual && rec->e[i].outcome == OUTCOME_NOT_RESOLVED)
			contradicted++;
	/* and an engineer's "different root cause" link (pmkb link, applied
	 * by match: feedback -1) between what this crash is and a case that
	 * the answering rule names, or the top case */
	const char *differs = NULL;
	for (size_t i = 0; i < m->n && !differs; i++) {
		if (m->items[i].feedback >= 0)
			continue;
		int named = i == 0; /* match took the rule's credit away: ask the rule */
		for (size_t k = 0; ru && !named && k < ru->ncases; k++)
			named = m->items[i].case_id && strcmp(ru->cases[k], m->items[i].case_id) == 0;
		if (named)
			differs = m->items[i].case_id;
	}
	add_check(out, "feedback", contradicted == 0 && !differs,
		  contradicted ? xasprintf("an engineer marked %d of its cases not-resolved", contradicted)
		  : differs ? xasprintf("an engineer linked this crash to %s as a different root cause", differs)
			    : xstrdup("no engineer marked its cases not-resolved or a different root cause"));
	int pass = 1;
	for (size_t i = 0; i < out->nchecks; i++)
		pass &= out->checks[i].pass;
	if (!pass)
		return;
	char *draft = draft_of(in, ru, explain, remedy);
	sbuf why = {0};
	int found = privacy_check(draft, in->privacy, &why);
	if (why.len)
		why.buf[--why.len] = 0; /* the last newline */
	add_check(out, "privacy", found == 0,
		  found ? xasprintf("%d personal or internal data left: %s", found, sb_str(&why))
			: xstrdup("nothing personal or internal found"));
	sb_free(&why);
	if (found) {
		free(draft);
		return;
	}
	out->pass = 1;
	out->auto_send = ru->auto_send;
	out->draft = draft;
}

void suggest_result_clear(suggest_result *r)
{
	for (size_t i = 0; i < r->nchecks; i++)
		free(r->checks[i].detail);
	free(r->draft);
	memset(r, 0, sizeof *r);
}

void suggest_json(const suggest_result *r, sbuf *sb)
{
	jw w;
	jw_init(&w, sb);
	jw_obj(&w, NULL);
	jw_str(&w, "route", r->pass ? "customer" : "engineer");
	jw_bool(&w, "auto_send", r->auto_send);
	jw_str(&w, "lang", suggest_lang_name(r->lang));
	jw_str(&w, "rule", r->rule_id);
	jw_num(&w, "threshold", "%.3f", r->threshold);
	jw_arr(&w, "gate");
	for (size_t i = 0; i < r->nchecks; i++) {
		jw_obj(&w, NULL);
		jw_str(&w, "check", r->checks[i].name);
		jw_bool(&w, "pass", r->checks[i].pass);
		jw_str(&w, "detail", r->checks[i].detail);
		jw_end(&w);
	}
	jw_end(&w);
	jw_arr(&w, "reasons");
	for (size_t i = 0; i < r->nchecks; i++)
		if (!r->checks[i].pass)
			jw_str(&w, NULL, r->checks[i].detail);
	jw_end(&w);
	jw_str(&w, "draft", r->draft);
	jw_end(&w);
}

void suggest_text(const suggest_result *r, sbuf *sb)
{
	if (r->pass) {
		sb_adds(sb, r->draft);
		return;
	}
	sb_adds(sb, "routed to an engineer:\n");
	for (size_t i = 0; i < r->nchecks; i++)
		if (!r->checks[i].pass)
			sb_addf(sb, "  %s: %s\n", r->checks[i].name, r->checks[i].detail);
}

kb_status suggest_match(kb_db *db, const match_result *m, const suggest_params *p,
			suggest_result *out)
{
	memset(out, 0, sizeof *out);
	outcome_record rec;
	kb_status st = outcome_record_of_match(db, m, &rec);
	if (st != KB_OK)
		return st;
	char **people = NULL;
	size_t npeople = 0;
	st = kb_people(db, &people, &npeople);
	if (st == KB_INVALID) /* a remote index: no SQLite, no people */
		st = KB_OK;
	if (st == KB_OK) {
		size_t nextra = p->extra ? p->extra->nnames : 0;
		const char **names = xcalloc(npeople + nextra + 1, sizeof *names);
		for (size_t i = 0; i < npeople; i++)
			names[i] = people[i];
		for (size_t i = 0; i < nextra; i++)
			names[npeople + i] = p->extra->names[i];
		privacy_opts po = {names, npeople + nextra, p->extra ? p->extra->allow_hosts : NULL,
				   p->extra ? p->extra->nallow : 0};
		suggest_in in = {m, &rec, p->lang, p->threshold, p->templates, &po};
		suggest_build(&in, out);
		free(names);
	}
	for (size_t i = 0; i < npeople; i++)
		free(people[i]);
	free(people);
	outcome_record_clear(&rec);
	return st;
}
