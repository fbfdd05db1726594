/* search-opts.c - what an engineer's search adds to the index's: the
 * query's fields and values checked before the query parser sees them, so
 * a misspelt field or a bad value is a usage error with the reason, not
 * "no hit" (kb-int.h); the order of the results and an exact count
 * (kb.h). */
#include "kb-int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A date bound: empty, YYYY, YYYY-MM or YYYY-MM-DD with a real month and
 * day. */
static int date_bound_ok(const char *s, size_t n)
{
	static const char shape[] = "dddd-dd-dd";
	if (n != 0 && n != 4 && n != 7 && n != 10)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != '-')
			return 0;
	int month = n >= 7 ? atoi(s + 5) : 1, day = n == 10 ? atoi(s + 8) : 1;
	return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

static int hex_ok(const char *v, size_t n)
{
	if (n > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
		v += 2;
		n -= 2;
	}
	if (n == 0 || n > 16)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)v[i]))
			return 0;
	return 1;
}

int kb_int_check_query(const char *q, char *err, size_t errsz)
{
	int quoted = 0;
	for (const char *p = q; *p; p++) {
		if (*p == '"') {
			quoted = !quoted;
			continue;
		}
		int at_start = p == q || p[-1] == ' ' || p[-1] == '\t' || p[-1] == '(' || p[-1] == '+' ||
			       p[-1] == '-' || p[-1] == '\n';
		if (quoted || !at_start || !isalpha((unsigned char)*p))
			continue;
		const char *f = p;
		while (isalpha((unsigned char)*f) || *f == '_')
			f++;
		if (*f != ':')
			continue;
		size_t nl = (size_t)(f - p);
		const char *v = f + 1, *ve = v;
		if (*v == '"') {
			const char *close = strchr(v + 1, '"');
			ve = close ? close + 1 : v + strlen(v);
		} else {
			while (*ve && *ve != ' ' && *ve != '\t' && *ve != '\n' && *ve != ')')
				ve++;
		}
		char name[32];
		snprintf(name, sizeof name, "%.*s", (int)(nl < 31 ? nl : 31), p);
		for (char *c = name; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		if (!strcmp(name, "date")) {
			const char *dots = strstr(v, "..");
			if (!dots || dots >= ve || !date_bound_ok(v, (size_t)(dots - v)) ||
			    !date_bound_ok(dots + 2, (size_t)(ve - dots - 2)) || ve - v == 2) {
				snprintf(err, errsz, "'%.*s' is not a date range", (int)(ve - p), p);
				return -1;
			}
		} else if (!kb_prefix_find(name, strlen(name))) {
			snprintf(err, errsz, "unknown field '%s:'", name);
			return -1;
		} else if (!strcmp(name, "bugcheck") && *v != '"' && !hex_ok(v, (size_t)(ve - v))) {
			snprintf(err, errsz, "'%.*s' is not a bugcheck code", (int)(ve - p), p);
			return -1;
		} else if (ve == v) {
			snprintf(err, errsz, "'%s:' has no value", name);
			return -1;
		}
		p = ve - 1;
	}
	return 0;
}

void kb_search_order(kb_db *db, kb_order order)
{
	xs_set_order(kb_int_xs(db), (int)order);
}

void kb_search_exact_count(kb_db *db, int on)
{
	xs_set_exact(kb_int_xs(db), on);
}

void kb_match_dates_resident(kb_db *db, int on)
{
	xs_set_dates_resident(kb_int_xs(db), on);
}

void kb_match_direct(kb_db *db, int on)
{
	xs_set_direct(kb_int_xs(db), on);
}
