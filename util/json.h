/* json.h - the one way pmkb writes JSON: a small streaming writer over an
 * sbuf that places the commas and keys itself, and field tables for the
 * records whose members are all strings (print a record as a list of its
 * members, not as a hand-written sequence per record shape).
 *
 *     jw w;
 *     jw_init(&w, &sb);
 *     jw_obj(&w, NULL);                 {
 *     jw_str(&w, "case", c->id);          "case":"CAS-1",
 *     jw_arr(&w, "analyses");             "analyses":[
 *     jw_end(&w);                         ]
 *     jw_end(&w);                       }
 *
 * Inside an array the key is NULL. Strings are escaped by json_strn
 * (util.h); a NULL string is written as null. Parsing JSON is jansson's
 * job (serve/), never done by hand.
 */
#ifndef PMKB_JSON_H
#define PMKB_JSON_H

#include "util.h"

#include <stddef.h>

#define JW_MAX_DEPTH 32

typedef struct jw {
	sbuf *sb;
	int depth;
	unsigned char used[JW_MAX_DEPTH]; /* a member was written at this level */
	char close[JW_MAX_DEPTH];         /* '}' or ']' */
} jw;

void jw_init(jw *w, sbuf *sb);
void jw_obj(jw *w, const char *key);
void jw_arr(jw *w, const char *key);
void jw_end(jw *w);
void jw_str(jw *w, const char *key, const char *v);
void jw_int(jw *w, const char *key, long long v);
void jw_size(jw *w, const char *key, size_t v);
void jw_bool(jw *w, const char *key, int v);
void jw_null(jw *w, const char *key);
/* a number with a printf format ("%.4f"), as the documented schema has it */
void jw_num(jw *w, const char *key, const char *fmt, double v);
/* v already JSON (a nested document built elsewhere) */
void jw_raw(jw *w, const char *key, const char *json);

/* A string member of a record: its JSON name and where it lies. */
typedef struct jw_field {
	const char *name;
	size_t off; /* offsetof(record, member), a char * */
} jw_field;
#define JW_FIELD(type, member) { #member, offsetof(type, member) }
#define JW_FIELD_AS(name, type, member) { name, offsetof(type, member) }

/* Each field of rec as a "name":"value" member of the open object. */
void jw_fields(jw *w, const void *rec, const jw_field *f, size_t n);

#endif
