/* mail-quote.h - the one home of what a subject prefix ("Re:", "回复：")
 * and a message boundary (a quoted original, an Outlook header block, an
 * export block marker) are. The thread reader, the mail reader and its
 * threading, the WinDbg reader, eval and the reply writer all ask here.
 *
 * Every function takes a line or a subject as the range [s, e) (no NUL
 * needed) and is pure: no allocation except mail_cut_quotes.
 */
#ifndef PMKB_MAIL_QUOTE_H
#define PMKB_MAIL_QUOTE_H

#include <stddef.h>

/* ---- subject prefixes ---- */

enum { MQ_REPLY = 1, MQ_FORWARD = 2 };

/* The reply or forward prefix that starts [s, e), without skipping white
 * space: a word, ASCII letters compared case-insensitively, then an ASCII
 * or a full-width colon. Replies: Re, AW, SV, 回复, 答复; forwards: Fw,
 * Fwd, 转发 ("RE：", "Fwd:", "回复:", "答复："). Returns its length in
 * bytes, 0 when there is none; *kind (may be NULL) is set to MQ_REPLY or
 * MQ_FORWARD. */
size_t mq_prefix(const char *s, const char *e, int *kind);

/* ---- message boundaries ---- */

/* A block marker of the export format, "====第N封邮件====" (at least two
 * '=' each side, N of 1 to 6 digits; white space around ignored)? Returns
 * N, or 0. */
long mq_block_marker(const char *s, const char *e);

/* A separator line that starts a quoted or forwarded original:
 * "-----Original Message-----", "-----原始邮件-----",
 * "----- 转发的邮件 -----", "---------- Forwarded message ---------"
 * (two dashes or more, then the words, or the start of them). */
int mq_separator(const char *s, const char *e);

/* The header lines of an Outlook-style quoted block: a label, optional
 * spaces, an ASCII or full-width colon. mq_from_line: 发件人, From, 寄件者;
 * mq_sent_line: 发送时间, Sent, 寄件日期, and when in_block (the lines
 * just after a From line) also Date, 日期, 时间, which alone are too
 * common in pasted text to mean a quote; mq_subject_line: 主题, Subject,
 * 主旨. */
int mq_from_line(const char *s, const char *e);
int mq_sent_line(const char *s, const char *e, int in_block);
int mq_subject_line(const char *s, const char *e);

/* An attribution line of a quoted reply: "On ... wrote:", "在 ... 写道：". */
int mq_attribution(const char *s, const char *e);

/* An Outlook rule above a quoted header: a line of ten underscores or
 * more and nothing else. */
int mq_rule_line(const char *s, const char *e);

/* Does the line [s, e) start another message in a pasted thread? A block
 * marker, the subject line of an export ("邮件主题："), a separator, a
 * From/发件人 header line, an Outlook rule or an attribution line. What
 * was being read (an analysis, a section) ends here. */
int mq_boundary(const char *s, const char *e);

/* The body without what it quotes: cut at the first separator, at an
 * Outlook block (a From line with a Sent and a Subject line within six
 * lines, with the rule just above it), at an attribution line followed by
 * '>' lines, or at a trailing block of '>' lines. Caller frees. */
char *mail_cut_quotes(const char *body);

#endif
