/* bugcheck-names.h - Windows bug check codes and names (import/bugcheck-names.c). */
#ifndef PMKB_BUGCHECK_NAMES_H
#define PMKB_BUGCHECK_NAMES_H

#include <stddef.h>

/* The symbolic name of a code ("DRIVER_IRQL_NOT_LESS_OR_EQUAL" for 0xd1),
 * NULL when the code is not a documented one. */
const char *bugcheck_name_of(unsigned long long code);

/* The code of a name spelled with '_', ' ' or '-' between its words, in
 * any case ("kmode exception not handled"), or with the same words in
 * another order or one of them plural ("DRIVER_IRQL_LESS_OR_NOT_EQUAL",
 * three words or more, when no other name has those words); 1 when found. */
int bugcheck_code_of(const char *s, size_t n, unsigned long long *code);

/* The code of a name mistyped by one edit of its letters and digits (two
 * from twenty letters on), its separators ignored: "MEMORY_MANAGMENT",
 * "PAGE_FAULT_IN_NON_PAGED_AREA"; ten letters or more, and no name of
 * another code as near. For text that is not a name exactly. */
int bugcheck_code_near(const char *s, size_t n, unsigned long long *code);

/* 1 when w[0..n) (any case, a plural 's' dropped) is a word of a name:
 * a cheap test before trying a run of words as a name. */
int bugcheck_name_word(const char *w, size_t n);

/* The table, for tests and documentation: entry i (NULL past the end). */
size_t bugcheck_names_count(void);
const char *bugcheck_names_entry(size_t i, unsigned long long *code);

#endif
