/* json.c - the JSON writer of json.h. */
#include "json.h"

#include <math.h>
#include <stdlib.h>

void jw_init(jw *w, sbuf *sb)
{
	w->sb = sb;
	w->depth = 0;
	w->used[0] = 0;
}

/* The comma before a value and its key, inside an object. */
static void member(jw *w, const char *key)
{
	if (w->depth > 0) {
		if (w->used[w->depth])
			sb_addc(w->sb, ',');
		w->used[w->depth] = 1;
	}
	if (key) {
		json_str(w->sb, key);
		sb_addc(w->sb, ':');
	}
}

static void open_(jw *w, const char *key, char open, char close)
{
	member(w, key);
	sb_addc(w->sb, open);
	if (w->depth + 1 >= JW_MAX_DEPTH)
		abort(); /* a programming error: no document of pmkb is this deep */
	w->depth++;
	w->used[w->depth] = 0;
	w->close[w->depth] = close;
}

void jw_obj(jw *w, const char *key)
{
	open_(w, key, '{', '}');
}

void jw_arr(jw *w, const char *key)
{
	open_(w, key, '[', ']');
}

void jw_end(jw *w)
{
	if (w->depth <= 0)
		abort();
	sb_addc(w->sb, w->close[w->depth]);
	w->depth--;
}

void jw_str(jw *w, const char *key, const char *v)
{
	member(w, key);
	json_str(w->sb, v);
}

/* The decimal digits of u, sign first when neg, into sb (what "%llu"
 * with a '-' before writes). */
static void add_digits(sbuf *sb, int neg, unsigned long long u)
{
	char b[24];
	size_t i = sizeof b;
	do {
		b[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (neg)
		b[--i] = '-';
	sb_add(sb, b + i, sizeof b - i);
}

void jw_int(jw *w, const char *key, long long v)
{
	member(w, key);
	add_digits(w->sb, v < 0, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v);
}

void jw_size(jw *w, const char *key, size_t v)
{
	member(w, key);
	add_digits(w->sb, 0, v);
}

/* v as "%.Nf" (N from 0 to 6) writes it, without printf for the usual
 * values (a match's JSON writes some sixty: printf's exact decimal
 * conversion was a thirtieth of a match): |v| 10^N below 1e9 is rounded
 * to the nearest integer, which is printf's answer unless the exact
 * product is within the error of the computed one (at most 1.2e-7 there)
 * of a half; within 1e-6 of one, and for any other format or value,
 * printf decides. 0: not written. */
static int fixed(sbuf *sb, const char *fmt, double v)
{
	static const double p10[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
	static const unsigned long long u10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
	if (fmt[0] != '%' || fmt[1] != '.' || fmt[2] < '0' || fmt[2] > '6' || fmt[3] != 'f' || fmt[4])
		return 0;
	int n = fmt[2] - '0';
	double x = fabs(v) * p10[n];
	if (!(x < 1e9))
		return 0; /* NaN, infinities, large values */
	double fl = floor(x), frac = x - fl;
	if (fabs(frac - 0.5) < 1e-6)
		return 0;
	unsigned long long u = (unsigned long long)fl + (frac > 0.5);
	add_digits(sb, signbit(v) != 0, u / u10[n]);
	if (n) {
		char b[8];
		unsigned long long f = u % u10[n];
		for (int i = n - 1; i >= 0; i--) {
			b[i] = (char)('0' + f % 10);
			f /= 10;
		}
		sb_addc(sb, '.');
		sb_add(sb, b, (size_t)n);
	}
	return 1;
}

void jw_bool(jw *w, const char *key, int v)
{
	member(w, key);
	sb_adds(w->sb, v ? "true" : "false");
}

void jw_null(jw *w, const char *key)
{
	member(w, key);
	sb_adds(w->sb, "null");
}

void jw_num(jw *w, const char *key, const char *fmt, double v)
{
	member(w, key);
	if (!fixed(w->sb, fmt, v))
		sb_addf(w->sb, fmt, v);
}

void jw_raw(jw *w, const char *key, const char *json)
{
	member(w, key);
	sb_adds(w->sb, json ? json : "null");
}

void jw_fields(jw *w, const void *rec, const jw_field *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		jw_str(w, f[i].name, *(const char *const *)((const char *)rec + f[i].off));
}
