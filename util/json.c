/* json.c - the JSON writer of json.h. */
#include "json.h"

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

void jw_int(jw *w, const char *key, long long v)
{
	member(w, key);
	sb_addf(w->sb, "%lld", v);
}

void jw_size(jw *w, const char *key, size_t v)
{
	member(w, key);
	sb_addf(w->sb, "%zu", v);
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
