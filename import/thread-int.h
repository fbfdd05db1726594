/* thread-int.h - private to the thread reader (thread.c), the subject
 * parser (subject.c) and the note extraction (notes.c): the text helpers
 * they share (thread-text.c) and the bounds they agree on. Not for use
 * outside import/. */
#ifndef PMKB_THREAD_INT_H
#define PMKB_THREAD_INT_H

#include <stddef.h>

#define MAX_MESSAGES 10000
#define MAX_NOTE 4000
#define MAX_TITLE 300
#define SUBJECT_LABEL "邮件主题"

int th_is_space(unsigned char c);
size_t th_uspace_at(const char *p, const char *e);
size_t th_uspace_before(const char *s, const char *e);
void th_trim_range(const char **s, const char **e);
char *th_dup_trim(const char *s, const char *e);
size_t th_utf8_cut(const char *s, size_t n, size_t max);
size_t th_starts_ci(const char *p, const char *e, const char *pre);
size_t th_colon_at(const char *p, const char *e);
/* Replace *field (freed) by value (taken). */
void th_set_field(char **field, char *value);

#endif
