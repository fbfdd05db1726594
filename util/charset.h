/* charset.h - the one place where text of unknown or declared encoding
 * becomes UTF-8. Readers call this before they look at any byte. */
#ifndef PMKB_CHARSET_H
#define PMKB_CHARSET_H

#include <stddef.h>

/* Convert len bytes of buf to a NUL-terminated UTF-8 string the caller
 * frees. declared may be NULL (unknown). Rules:
 *  - a UTF-8 BOM is dropped; valid UTF-8 is copied as is (unless a
 *    declared non-UTF-8 charset says otherwise and the bytes are not ASCII);
 *  - gb2312, gbk, cp936, x-gbk and unknown 8-bit text are read as GB18030
 *    (a superset), big5 as Big5, any other label through iconv;
 *  - NUL bytes become U+FFFD; undecodable sequences become U+FFFD.
 * *outlen (may be NULL) receives the length. *used (may be NULL) receives
 * the charset actually used ("utf-8", "gb18030", ...). Never fails. */
char *charset_to_utf8(const char *buf, size_t len, const char *declared,
		      size_t *outlen, const char **used);

/* Is this label one of the GB family (gb2312, gbk, cp936, gb18030)? */
int charset_is_gb(const char *label);

#endif
