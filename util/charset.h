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

/* ---- text whose charset nobody declared: a file, a paste, a request body ---- */

/* Undeclared text in an 8-bit charset: UTF-8 (a BOM is dropped), or UTF-8
 * apart from a few stray bytes (a damaged export: each stray byte becomes
 * U+FFFD, the rest stays), else what charset_to_utf8 makes of it with no
 * label (GB18030). Same out parameters as charset_to_utf8. */
char *charset_text_to_utf8(const char *buf, size_t len, size_t *outlen, const char **used);

/* Are these bytes binary data rather than text in an 8-bit charset? A NUL
 * byte, or more than one control byte in 20 in the first 64 KiB (tab, LF,
 * CR, FF and the ESC of coloured terminal output are text). UTF-16 is
 * binary by this test: sniff it first (charset_sniff_utf16). */
int charset_looks_binary(const char *buf, size_t len);

enum { CHARSET_UTF16LE = 1, CHARSET_UTF16BE = 2 };

/* Is buf UTF-16? By its byte-order mark (*bomlen = 2), else by the NUL
 * bytes of mostly-ASCII UTF-16 text (an even length; in the first 8 KiB,
 * a NUL in at least every fourth unit, on the same side, few on the other
 * side and no NUL unit) (*bomlen = 0). Returns
 * CHARSET_UTF16LE, CHARSET_UTF16BE or 0. */
int charset_sniff_utf16(const char *buf, size_t len, size_t *bomlen);

/* UTF-16 (kind CHARSET_UTF16LE or _BE, without its BOM) as UTF-8 the
 * caller frees; a unit that does not decode (a lone surrogate, an odd last
 * byte) becomes U+FFFD, as does U+0000. Never fails. */
char *charset_utf16_to_utf8(const char *buf, size_t len, int kind, size_t *outlen);

/* charset_looks_binary's test on the code units of UTF-16 (kind as
 * above, without its BOM): U+0000 counts as a control character. */
int charset_utf16_looks_binary(const char *buf, size_t len, int kind);

/* Is this label one of the GB family (gb2312, gbk, cp936, gb18030)? */
int charset_is_gb(const char *label);

#endif
