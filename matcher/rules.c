/* rules.c - the known-signature rules language (docs/pmkb-rules.5): an
 * all-or-nothing parser that reports every error as "file:line: reason",
 * and the evaluation of a rule against a signature. */
#include "rules.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_RULES 10000
#define MAX_CONDS 256
#define MAX_VALUES 64
#define MAX_ERRORS 50
#define MAX_ID 64

/* Condition keys: the slot is the index in this table; weight = and
 * require = name slots by these keys. Default weights: frames say the most
 * about a cause, bugcheck codes the least (one cause crosses codes). */
static const struct ckey {
	const char *key;
	rule_field field;
	int argno;
	double weight;
} ckeys[] = {
	{"bugcheck", RF_BUGCHECK, 0, 1.0},
	{"arg1", RF_ARG, 0, 2.0},
	{"arg2", RF_ARG, 1, 2.0},
	{"arg3", RF_ARG, 2, 2.0},
	{"arg4", RF_ARG, 3, 2.0},
	{"frame", RF_FRAME, 0, 3.0},
	{"frame~", RF_FRAME_RE, 0, 3.0},
	{"module", RF_MODULE, 0, 2.0},
	{"stack", RF_STACK, 0, 2.0},
	{"owner", RF_OWNER, 0, 2.0},
	{"pooltag", RF_POOLTAG, 0, 2.0},
	{"process", RF_PROCESS, 0, 1.0},
	{"image", RF_IMAGE, 0, 1.0},
};
#define NSLOTS PMKB_ARRAY_LEN(ckeys)

static const char *const field_names[RF_NFIELDS] = {
	"bugcheck", "arg", "frame", "frame~", "module", "stack", "owner", "pooltag", "process", "image",
};

const char *rule_field_name(rule_field f)
{
	return f < RF_NFIELDS ? field_names[f] : "?";
}

static int slot_of(const char *key)
{
	for (size_t i = 0; i < NSLOTS; i++)
		if (strcmp(ckeys[i].key, key) == 0)
			return (int)i;
	return -1;
}

static int slot_of_cond(const rule_cond *c)
{
	for (size_t i = 0; i < NSLOTS; i++)
		if (ckeys[i].field == c->field && (c->field != RF_ARG || ckeys[i].argno == c->argno))
			return (int)i;
	return -1;
}

char *rules_norm_hex(const char *v, int fold)
{
	if (!v)
		return NULL;
	while (isspace((unsigned char)*v))
		v++;
	char *h = pm_norm_hex(v, strcspn(v, " \t\r\n"));
	char *f = fold ? pm_bugcheck_fold(h) : NULL;
	if (f) {
		free(h);
		return f;
	}
	return h;
}

/* ---- parsing ---- */

typedef struct parser {
	const char *name;
	sbuf *err;
	int nerr;
	ruleset *rs;
	rule *cur;            /* rule being read, or NULL before the first header */
	int cur_ok;           /* 0 when the current header was refused: its lines are skipped */
	double weights[NSLOTS];
	int wline[NSLOTS];
	int required[NSLOTS];
	int rline[NSLOTS];
	int seen_threshold, seen_top;
	int seen_header;      /* a [..] line was read: settings before it are errors */
	char **cont;          /* value a continuation line appends to (steps.*) */
} parser;

static void perr(parser *p, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void perr(parser *p, int line, const char *fmt, ...)
{
	if (p->nerr++ >= MAX_ERRORS)
		return;
	sb_addf(p->err, "%s:%d: ", p->name, line);
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(p->err, fmt, ap);
	va_end(ap);
	sb_addc(p->err, '\n');
}

static void cond_clear(rule_cond *c)
{
	for (size_t i = 0; i < c->nvalues; i++)
		free(c->values[i]);
	free(c->values);
	free(c->owner);
	free(c->src);
	if (c->has_re)
		regfree(&c->re);
	free(c->re_prefix);
}

static void rule_clear(rule *r)
{
	free(r->id);
	free(r->title);
	free(r->cause);
	free(r->steps_zh);
	free(r->steps_en);
	free(r->explain_zh);
	free(r->explain_en);
	free(r->remedy_zh);
	free(r->remedy_en);
	free(r->ask_zh);
	free(r->ask_en);
	for (size_t i = 0; i < r->ncases; i++)
		free(r->cases[i]);
	free(r->cases);
	for (size_t i = 0; i < r->nconds; i++)
		cond_clear(&r->conds[i]);
	free(r->conds);
}

void rules_free(ruleset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n; i++)
		rule_clear(&rs->rules[i]);
	free(rs->rules);
	free(rs->name);
	free(rs);
}

static int valid_id(const char *s, size_t n)
{
	if (n == 0 || n > MAX_ID || !isalnum((unsigned char)s[0]))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
			return 0;
	return 1;
}

/* Close the rule being read: apply weight/require lines, check what can
 * only be checked once the whole block is read. */
static void finish_rule(parser *p)
{
	rule *r = p->cur;
	if (!r || !p->cur_ok) {
		p->cur = NULL;
		return;
	}
	int present[NSLOTS] = {0};
	for (size_t i = 0; i < r->nconds; i++) {
		int s = slot_of_cond(&r->conds[i]);
		present[s] = 1;
		if (p->weights[s] >= 0)
			r->conds[i].weight = p->weights[s];
		if (p->required[s])
			r->conds[i].required = 1;
	}
	for (size_t s = 0; s < NSLOTS; s++) {
		if (p->weights[s] >= 0 && !present[s])
			perr(p, p->wline[s], "weight for '%s', which rule '%s' has no condition on", ckeys[s].key, r->id);
		if (p->required[s] && !present[s])
			perr(p, p->rline[s], "require names '%s', which rule '%s' has no condition on", ckeys[s].key, r->id);
	}
	if (r->nconds == 0)
		perr(p, r->line, "rule '%s' has no condition", r->id);
	if (!r->title)
		perr(p, r->line, "rule '%s' has no title", r->id);
	if (!r->cause)
		r->cause = xstrdup(r->id);
	double total = 0;
	for (size_t i = 0; i < r->nconds; i++)
		total += r->conds[i].weight;
	if (r->nconds > 0 && total <= 0)
		perr(p, r->line, "rule '%s' has only zero weights", r->id);
	p->cur = NULL;
}

static void start_rule(parser *p, int line, const char *id, size_t idlen)
{
	finish_rule(p);
	for (size_t s = 0; s < NSLOTS; s++) {
		p->weights[s] = -1;
		p->required[s] = 0;
	}
	p->seen_threshold = p->seen_top = 0;
	p->cont = NULL;
	if (!valid_id(id, idlen)) {
		perr(p, line, "invalid rule id '%.*s' (letters, digits, '-', '_', '.'; at most %d)",
		     (int)(idlen > 80 ? 80 : idlen), id, MAX_ID);
		p->cur_ok = 0;
		p->cur = NULL;
		return;
	}
	for (size_t i = 0; i < p->rs->n; i++) {
		if (strlen(p->rs->rules[i].id) == idlen && !strncmp(p->rs->rules[i].id, id, idlen)) {
			perr(p, line, "duplicate rule id '%.*s' (first at line %d)", (int)idlen, id,
			     p->rs->rules[i].line);
			p->cur_ok = 0;
			p->cur = NULL;
			return;
		}
	}
	if (p->rs->n >= MAX_RULES) {
		perr(p, line, "more than %d rules", MAX_RULES);
		p->cur_ok = 0;
		p->cur = NULL;
		return;
	}
	XGROW(p->rs->rules, p->rs->cap, p->rs->n + 1);
	rule *r = &p->rs->rules[p->rs->n++];
	memset(r, 0, sizeof *r);
	r->id = xstrndup(id, idlen);
	r->line = line;
	r->threshold = 0.5;
	p->cur = r;
	p->cur_ok = 1;
}

/* Split value on spaces/tabs into at most MAX_VALUES words. Returns count. */
static size_t split_words(char *v, char **words)
{
	size_t n = 0;
	char *save = NULL;
	for (char *w = strtok_r(v, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (n >= MAX_VALUES)
			return MAX_VALUES + 1;
		words[n++] = w;
	}
	return n;
}

static int parse_number(const char *s, double *out)
{
	char *end;
	errno = 0;
	double d = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(d))
		return -1;
	*out = d;
	return 0;
}

/* glibc compiles a bounded repetition by copying its operand, so
 * "(a{255}){255}" costs memory in the product of the bounds: a rules file
 * must not be able to exhaust memory. Frame patterns need little of this. */
/* The literal start of an anchored extended regex ("^npf!NPF_Write" ->
 * "npf!NPF_Write", "^nwifi!Pt6?Send" -> "nwifi!Pt", "^nt!(A|B)$" -> "nt!"),
 * which every string it matches begins with (in any case, as REG_ICASE
 * reads it); NULL when there is none, or when an alternation outside
 * parentheses could match without it. */
static char *re_literal_prefix(const char *re)
{
	if (re[0] != '^')
		return NULL;
	int depth = 0;
	for (const char *p = re; *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '[') { /* a bracket expression: skip to its end */
			p++;
			if (*p == '^')
				p++;
			if (*p == ']')
				p++;
			while (*p && *p != ']')
				p++;
			if (!*p)
				return NULL;
		} else if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		else if (*p == '|' && depth <= 0)
			return NULL;
	}
	size_t n = 0;
	const char *p = re + 1;
	while (isalnum((unsigned char)p[n]) || p[n] == '_' || p[n] == '!')
		n++;
	/* a quantifier after the last letter makes it optional or repeated
	 * ('+' keeps one) */
	if (n && (p[n] == '?' || p[n] == '*' || p[n] == '{'))
		n--;
	return n ? xstrndup(p, n) : NULL;
}

static const char *regex_too_big(const char *re)
{
	if (strlen(re) > 1024)
		return "longer than 1024 characters";
	int braces = 0, quantifiers = 0, after_quantifier = 0;
	double product = 1; /* worst case: every repetition nested in the others */
	for (const char *s = re; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			after_quantifier = 0;
			continue;
		}
		int q = *s == '*' || *s == '+' || *s == '?' || *s == '{';
		/* "a***": undefined in POSIX, and exponential to compile in glibc */
		if (q && after_quantifier)
			return "a repetition operator right after another";
		if (q && ++quantifiers > 32)
			return "more than 32 repetition operators";
		after_quantifier = q;
		if (*s != '{')
			continue;
		if (++braces > 4)
			return "more than 4 bounded repetitions {n,m}";
		long hi = 1;
		for (const char *d = s + 1; *d && *d != '}'; d++) {
			if (isdigit((unsigned char)*d)) {
				char *end;
				long v = strtol(d, &end, 10);
				if (v > 64)
					return "a repetition bound above 64";
				if (v > hi)
					hi = v;
				d = end - 1;
			}
		}
		while (s[1] && s[1] != '}')
			s++; /* past the bounds: the '}' ends the quantifier */
		if (s[1] == '}')
			s++;
		product *= (double)hi;
		if (product > 1024)
			return "bounded repetitions allowing more than 1024 copies";
	}
	return NULL;
}

static void add_cond(parser *p, int line, int slot, const char *key, char *value)
{
	rule *r = p->cur;
	if (r->nconds >= MAX_CONDS) {
		perr(p, line, "more than %d conditions in rule '%s'", MAX_CONDS, r->id);
		return;
	}
	rule_cond c = {0};
	c.field = ckeys[slot].field;
	c.argno = ckeys[slot].argno;
	c.weight = ckeys[slot].weight;
	c.line = line;
	c.src = xasprintf("%s = %s", key, value);
	char *words[MAX_VALUES + 1];
	int bad = 0;

	if (c.field == RF_FRAME_RE) {
		const char *why = regex_too_big(value);
		if (why) {
			perr(p, line, "regular expression refused: %s", why);
			free(c.src);
			return;
		}
		int rc = regcomp(&c.re, value, REG_EXTENDED | REG_ICASE | REG_NOSUB);
		if (rc != 0) {
			char msg[128];
			regerror(rc, &c.re, msg, sizeof msg);
			perr(p, line, "invalid regular expression '%s': %s", value, msg);
			free(c.src);
			return;
		}
		c.has_re = 1;
		c.re_prefix = re_literal_prefix(value);
		c.values = xmalloc(sizeof(char *));
		c.values[0] = xstrdup(value);
		c.nvalues = 1;
	} else if (c.field == RF_POOLTAG) {
		size_t n = split_words(value, words);
		if (n == 1 || (n == 3 && !strcasecmp(words[1], "owner"))) {
			if (strlen(words[0]) > 4) {
				perr(p, line, "pool tag '%s' is longer than 4 characters", words[0]);
				bad = 1;
			} else {
				c.values = xmalloc(sizeof(char *));
				c.values[0] = xstrdup(words[0]);
				c.nvalues = 1;
				if (n == 3)
					c.owner = pm_canon_module(words[2]);
			}
		} else {
			perr(p, line, "pooltag wants 'TAG' or 'TAG owner MODULE'");
			bad = 1;
		}
	} else {
		size_t n = split_words(value, words);
		if (n > MAX_VALUES) {
			perr(p, line, "more than %d values", MAX_VALUES);
			bad = 1;
			n = 0;
		}
		c.values = xcalloc(n ? n : 1, sizeof(char *));
		for (size_t i = 0; i < n && !bad; i++) {
			char *v = NULL;
			switch (c.field) {
			case RF_BUGCHECK:
			case RF_ARG:
				v = rules_norm_hex(words[i], c.field == RF_BUGCHECK);
				if (!v) {
					perr(p, line, "'%s' is not a hexadecimal number", words[i]);
					bad = 1;
				}
				break;
			case RF_MODULE:
			case RF_STACK:
			case RF_OWNER:
			case RF_IMAGE:
				v = pm_canon_module(words[i]);
				break;
			case RF_PROCESS:
				v = xstrdup(words[i]);
				str_lower(v);
				break;
			default: /* RF_FRAME */
				v = xstrdup(words[i]);
				break;
			}
			if (v)
				c.values[c.nvalues++] = v;
		}
	}
	if (bad) {
		cond_clear(&c);
		return;
	}
	XGROW(r->conds, r->conds_cap, r->nconds + 1);
	r->conds[r->nconds++] = c;
}

static void set_text(parser *p, int line, char **dst, const char *key, const char *value)
{
	if (*dst) {
		perr(p, line, "'%s' given twice in rule '%s'", key, p->cur->id);
		return;
	}
	*dst = xstrdup(value);
}

/* The customer-facing text field key names (explain.zh ... ask.en), or
 * NULL. */
static char **customer_text(rule *r, const char *key)
{
	static const char *const keys[] = {"explain.zh", "explain.en", "remedy.zh", "remedy.en",
					   "ask.zh", "ask.en"};
	char **dst[] = {&r->explain_zh, &r->explain_en, &r->remedy_zh, &r->remedy_en,
			&r->ask_zh, &r->ask_en};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(keys); i++)
		if (!strcmp(key, keys[i]))
			return dst[i];
	return NULL;
}

static void setting(parser *p, int line, char *key, char *value)
{
	rule *r = p->cur;
	p->cont = NULL;
	int slot = slot_of(key);
	if (slot >= 0) {
		add_cond(p, line, slot, key, value);
	} else if (!strcmp(key, "title")) {
		set_text(p, line, &r->title, key, value);
	} else if (!strcmp(key, "cause")) {
		if (!valid_id(value, strlen(value)))
			perr(p, line, "invalid cause '%s' (letters, digits, '-', '_', '.')", value);
		else
			set_text(p, line, &r->cause, key, value);
	} else if (!strcmp(key, "steps.zh") || !strcmp(key, "steps.en")) {
		char **dst = key[6] == 'z' ? &r->steps_zh : &r->steps_en;
		set_text(p, line, dst, key, value);
		p->cont = dst;
	} else if (customer_text(r, key)) {
		char **dst = customer_text(r, key);
		set_text(p, line, dst, key, value);
		p->cont = dst;
	} else if (!strcmp(key, "auto-send")) {
		if (r->auto_send_line)
			perr(p, line, "'auto-send' given twice in rule '%s'", r->id);
		else if (strcmp(value, "yes") && strcmp(value, "no"))
			perr(p, line, "auto-send '%s' is not yes or no", value);
		else {
			r->auto_send = !strcmp(value, "yes");
			r->auto_send_line = line;
		}
	} else if (!strcmp(key, "suggest.threshold")) {
		double d;
		if (r->suggest_threshold > 0)
			perr(p, line, "'suggest.threshold' given twice in rule '%s'", r->id);
		else if (parse_number(value, &d) < 0 || d <= 0 || d > 1)
			perr(p, line, "suggest.threshold '%s' is not a number in (0, 1]", value);
		else
			r->suggest_threshold = d;
	} else if (!strcmp(key, "cases")) {
		char *words[MAX_VALUES + 1];
		size_t n = split_words(value, words);
		if (n > MAX_VALUES) {
			perr(p, line, "more than %d cases on one line", MAX_VALUES);
			return;
		}
		for (size_t i = 0; i < n; i++) {
			XGROW(r->cases, r->cases_cap, r->ncases + 1);
			r->cases[r->ncases++] = xstrdup(words[i]);
		}
	} else if (!strcmp(key, "threshold")) {
		double d;
		if (p->seen_threshold++)
			perr(p, line, "'threshold' given twice in rule '%s'", r->id);
		else if (parse_number(value, &d) < 0 || d <= 0 || d > 1)
			perr(p, line, "threshold '%s' is not a number in (0, 1]", value);
		else
			r->threshold = d;
	} else if (!strcmp(key, "frame.top")) {
		double d;
		if (p->seen_top++)
			perr(p, line, "'frame.top' given twice in rule '%s'", r->id);
		else if (parse_number(value, &d) < 0 || d < 0 || d > 10000 || d != floor(d))
			perr(p, line, "frame.top '%s' is not a whole number from 0 to 10000", value);
		else
			r->frame_top = (int)d;
	} else if (!strcmp(key, "weight")) {
		char *words[MAX_VALUES + 1];
		size_t n = split_words(value, words);
		if (n == 0 || n % 2 || n > MAX_VALUES) {
			perr(p, line, "weight wants pairs 'FIELD NUMBER ...'");
			return;
		}
		for (size_t i = 0; i < n; i += 2) {
			int s = slot_of(words[i]);
			double d;
			if (s < 0)
				perr(p, line, "weight names '%s', which is not a condition field", words[i]);
			else if (parse_number(words[i + 1], &d) < 0 || d < 0 || d > 1000)
				perr(p, line, "weight '%s' is not a number from 0 to 1000", words[i + 1]);
			else {
				p->weights[s] = d;
				p->wline[s] = line;
			}
		}
	} else if (!strcmp(key, "require")) {
		char *words[MAX_VALUES + 1];
		size_t n = split_words(value, words);
		if (n == 0 || n > MAX_VALUES) {
			perr(p, line, "require wants condition fields");
			return;
		}
		for (size_t i = 0; i < n; i++) {
			int s = slot_of(words[i]);
			if (s < 0) {
				perr(p, line, "require names '%s', which is not a condition field", words[i]);
			} else {
				p->required[s] = 1;
				p->rline[s] = line;
			}
		}
	} else {
		perr(p, line, "unknown field '%s'", key);
	}
}

int rules_parse(const char *name, const char *text, size_t len, ruleset **out, sbuf *err)
{
	parser p = {0};
	p.name = name ? name : "(rules)";
	p.err = err;
	p.rs = xcalloc(1, sizeof *p.rs);
	p.rs->name = xstrdup(p.name);
	*out = NULL;

	size_t pos = 0;
	int line = 0;
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		pos = 3;
	if (memchr(text, 0, len))
		perr(&p, 1, "holds a NUL byte: not a rules file");
	else if (!utf8_valid(text, len))
		perr(&p, 1, "not valid UTF-8");
	else while (pos < len) {
		line++;
		const char *eol = memchr(text + pos, '\n', len - pos);
		size_t n = eol ? (size_t)(eol - (text + pos)) : len - pos;
		char *buf = xstrndup(text + pos, n);
		pos += n + (eol ? 1 : 0);
		size_t bl = strlen(buf);
		if (bl && buf[bl - 1] == '\r')
			buf[--bl] = 0;
		int indented = buf[0] == ' ' || buf[0] == '\t';
		char *s = str_trim(buf);
		if (*s == 0) {
			p.cont = NULL;
		} else if (indented && p.cont && p.cur) {
			/* continuation of a multi-line steps value */
			char *joined = xasprintf("%s\n%s", *p.cont, s);
			free(*p.cont);
			*p.cont = joined;
		} else if (*s == '#' || *s == ';') {
			/* comment */
		} else if (*s == '[') {
			p.cont = NULL;
			p.seen_header = 1;
			char *close = strchr(s, ']');
			if (!close || str_trim(close + 1)[0] != 0) {
				perr(&p, line, "section header wants '[rule ID]'");
				finish_rule(&p);
				p.cur_ok = 0;
			} else {
				*close = 0;
				char *in = str_trim(s + 1);
				if (strncmp(in, "rule", 4) || !(in[4] == ' ' || in[4] == '\t')) {
					perr(&p, line, "unknown section '[%s]' (only [rule ID])", in);
					finish_rule(&p);
					p.cur_ok = 0;
				} else {
					char *id = str_trim(in + 4);
					start_rule(&p, line, id, strlen(id));
				}
			}
		} else {
			char *eq = strchr(s, '=');
			if (indented && !p.cont && p.cur_ok && p.cur && !eq) {
				perr(&p, line, "continuation line where no steps value goes on");
			} else if (!eq) {
				perr(&p, line, "expected 'FIELD = VALUE', '[rule ID]' or a comment");
			} else {
				*eq = 0;
				char *key = str_trim(s);
				char *value = str_trim(eq + 1);
				if (!p.seen_header)
					perr(&p, line, "'%s' outside of a [rule ID] block", key);
				else if (!p.cur)
					; /* inside a refused block: its header error was reported */
				else if (!*key)
					perr(&p, line, "empty field name");
				else if (!*value)
					perr(&p, line, "empty value for '%s'", key);
				else
					setting(&p, line, key, value);
			}
		}
		free(buf);
	}
	finish_rule(&p);
	if (p.nerr > MAX_ERRORS)
		sb_addf(err, "%s: %d more errors\n", p.name, p.nerr - MAX_ERRORS);
	if (p.nerr) {
		rules_free(p.rs);
		return -1;
	}
	*out = p.rs;
	return 0;
}

int rules_load_file(const char *path, ruleset **out, sbuf *err, pm_status *st)
{
	char *buf = NULL, why[256];
	size_t len = 0;
	*out = NULL;
	if (read_file_bounded(path, 16u << 20, &buf, &len, why, sizeof why, st) < 0) {
		sb_addf(err, "cannot read '%s': %s\n", path, why);
		return -1;
	}
	int rc = rules_parse(path, buf, len, out, err);
	free(buf);
	if (rc < 0)
		*st = PM_BAD_DATA;
	return rc;
}

int rules_replace(ruleset **cur, const char *path, sbuf *err, pm_status *st)
{
	ruleset *fresh = NULL;
	if (rules_load_file(path, &fresh, err, st) < 0)
		return -1;
	rules_free(*cur);
	*cur = fresh;
	return 0;
}

/* The compiled-in data/rules.conf (generated header, see matcher/Makefile.local). */
#include "rules-conf.h"

const char *rules_builtin_text(size_t *len)
{
	if (len)
		*len = sizeof rules_conf_data - 1;
	return (const char *)rules_conf_data;
}

ruleset *rules_builtin(void)
{
	size_t len;
	const char *t = rules_builtin_text(&len);
	ruleset *rs = NULL;
	sbuf err = {0};
	if (rules_parse("(built-in rules)", t, len, &rs, &err) < 0) {
		/* cannot happen with a tested build; say so rather than crash */
		pmkb_warning("built-in rules refused: %s", sb_str(&err));
		rs = xcalloc(1, sizeof *rs);
		rs->name = xstrdup("(built-in rules)");
	}
	sb_free(&err);
	return rs;
}

/* ---- evaluation ---- */

static int frame_matches(const rule_cond *c, const sig_frame *f)
{
	/* the key is "module!function" for a symbolised frame; match that
	 * spelling too when the key says it otherwise */
	char buf[512];
	const char *mf = NULL;
	const char *key = f->key ? f->key : "";
	if (f->module && f->function) {
		size_t lm = strlen(f->module), lf = strlen(f->function);
		int same = strlen(key) == lm + 1 + lf && !memcmp(key, f->module, lm) && key[lm] == '!' &&
			   !memcmp(key + lm + 1, f->function, lf);
		if (!same && lm + 1 + lf < sizeof buf) {
			memcpy(buf, f->module, lm);
			buf[lm] = '!';
			memcpy(buf + lm + 1, f->function, lf + 1);
			mf = buf;
		}
	}
	int ok = 0;
	for (size_t i = 0; i < c->nvalues && !ok; i++) {
		if (c->field == RF_FRAME_RE) {
			size_t pl = c->re_prefix ? strlen(c->re_prefix) : 0;
			if (pl && strncasecmp(key, c->re_prefix, pl) != 0 &&
			    (!mf || strncasecmp(mf, c->re_prefix, pl) != 0))
				continue; /* neither can match */
			ok = regexec(&c->re, key, 0, NULL, 0) == 0 ||
			     (mf && regexec(&c->re, mf, 0, NULL, 0) == 0);
		} else {
			ok = glob_casefold(c->values[i], key) || (mf && glob_casefold(c->values[i], mf));
		}
	}
	return ok;
}

static int in_values(const rule_cond *c, const char *v)
{
	if (!v)
		return 0;
	for (size_t i = 0; i < c->nvalues; i++)
		if (!strcasecmp(c->values[i], v))
			return 1;
	return 0;
}

/* Does c hold on s? When it does and what is not NULL, *what says what
 * matched (caller frees). */
static int cond_holds(const rule *r, const rule_cond *c, const pm_signature *s, char **what)
{
	if (what)
		*what = NULL;
	switch (c->field) {
	case RF_BUGCHECK: {
		char *b = rules_norm_hex(s->bugcheck, 1);
		int ok = in_values(c, b);
		if (ok && what)
			*what = xasprintf("bugcheck %s", b);
		free(b);
		return ok;
	}
	case RF_ARG: {
		char *a = rules_norm_hex(s->args[c->argno], 0);
		int ok = in_values(c, a);
		if (ok && what)
			*what = xasprintf("arg%d %s", c->argno + 1, a);
		free(a);
		return ok;
	}
	case RF_FRAME:
	case RF_FRAME_RE:
	case RF_STACK: {
		int kept = 0;
		const sig_frame *f;
		for (size_t i = 0; (f = sig_next_kept(s, &i));) {
			if (r->frame_top > 0 && kept >= r->frame_top)
				break;
			kept++;
			int ok = c->field == RF_STACK ? in_values(c, f->module) : frame_matches(c, f);
			if (ok) {
				if (what)
					*what = xasprintf("%s (kept frame %d)", f->key ? f->key : "?", kept);
				return 1;
			}
		}
		return 0;
	}
	case RF_MODULE:
		for (size_t i = 0; i < s->nmodules; i++)
			if (in_values(c, s->modules[i])) {
				if (what)
					*what = xasprintf("module %s", s->modules[i]);
				return 1;
			}
		return 0;
	case RF_OWNER:
	case RF_POOLTAG:
		for (size_t i = 0; i < s->npool_tags; i++) {
			const sig_pooltag *t = &s->pool_tags[i];
			int ok;
			if (c->field == RF_OWNER) {
				ok = in_values(c, t->owner);
			} else {
				ok = t->tag && !strcmp(t->tag, c->values[0]) &&
				     (!c->owner || !t->owner || !strcasecmp(c->owner, t->owner));
			}
			if (ok) {
				if (what)
					*what = xasprintf("pool tag %s (%s)", t->tag ? t->tag : "?", t->owner ? t->owner : "owner unknown");
				return 1;
			}
		}
		return 0;
	case RF_PROCESS:
		if (in_values(c, s->process)) {
			if (what)
				*what = xasprintf("process %s", s->process);
			return 1;
		}
		return 0;
	case RF_IMAGE:
		if (in_values(c, s->image)) {
			if (what)
				*what = xasprintf("image %s", s->image);
			return 1;
		}
		return 0;
	default:
		return 0;
	}
}

/* Weigh r's conditions on s: *score the share of the weight that holds,
 * returns whether r fires. With hit and what (one slot per condition) it
 * records which held and what matched; without them it stops at the first
 * required condition that fails. */
static int weigh(const rule *r, const pm_signature *s, unsigned char *hit, char **what,
		 double *score)
{
	double total = 0, got = 0;
	int required_ok = 1;
	*score = 0;
	for (size_t i = 0; i < r->nconds; i++) {
		const rule_cond *c = &r->conds[i];
		total += c->weight;
		if (cond_holds(r, c, s, what ? &what[i] : NULL)) {
			if (hit)
				hit[i] = 1;
			got += c->weight;
		} else if (c->required) {
			required_ok = 0;
			if (!hit)
				return 0;
		}
	}
	*score = total > 0 ? got / total : 0;
	/* a small epsilon: 0.1 + 0.2 style sums must reach a threshold of 0.3 */
	return required_ok && total > 0 && *score + 1e-9 >= r->threshold;
}

void rule_eval(const rule *r, const pm_signature *s, rule_result *out)
{
	memset(out, 0, sizeof *out);
	out->r = r;
	out->hit = xcalloc(r->nconds ? r->nconds : 1, 1);
	out->what = xcalloc(r->nconds ? r->nconds : 1, sizeof(char *));
	out->fired = weigh(r, s, out->hit, out->what, &out->score);
}

int rule_fires(const rule *r, const pm_signature *s)
{
	double score;
	return weigh(r, s, NULL, NULL, &score);
}

void rule_result_clear(rule_result *res)
{
	if (!res)
		return;
	if (res->what && res->r)
		for (size_t i = 0; i < res->r->nconds; i++)
			free(res->what[i]);
	free(res->what);
	free(res->hit);
	memset(res, 0, sizeof *res);
}

const rule *rules_best(const ruleset *rs, const pm_signature *s, rule_result *out)
{
	const rule *best = NULL;
	memset(out, 0, sizeof *out);
	if (!rs)
		return NULL;
	for (size_t i = 0; i < rs->n; i++) {
		rule_result res;
		rule_eval(&rs->rules[i], s, &res);
		if (res.fired && (!best || res.score > out->score + 1e-9)) {
			rule_result_clear(out);
			*out = res;
			best = &rs->rules[i];
		} else {
			rule_result_clear(&res);
		}
	}
	return best;
}
