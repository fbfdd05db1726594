/* mail-reader.h - RFC 5322 mail (GMime 3) turned into plain UTF-8 parts:
 * decoded headers, one text body, text attachments, dump attachments; the
 * mbox splitter, the quote cutter and the IMAP client (libcurl). None of
 * this touches storage: cli/import-mail.c threads messages into cases.
 */
#ifndef PMKB_MAIL_READER_H
#define PMKB_MAIL_READER_H

#include "mail-quote.h"

#include <stddef.h>
#include <sys/types.h>
#include "../util/status.h"

/* Bounds: a part larger than this (encoded) is refused with a warning and
 * only recorded; at most MAIL_MAX_PARTS leaf parts and MAIL_MAX_DEPTH
 * levels of nesting are looked at; a decoded subject is cut at
 * MAIL_MAX_SUBJECT bytes. */
#define MAIL_PART_MAX ((size_t)32 << 20)
#define MAIL_MAX_PARTS 1000
#define MAIL_MAX_DEPTH 32
#define MAIL_MAX_SUBJECT 4096

/* An attachment that is not text: kept as a record; a dump file also keeps
 * its bytes (data, len) for the dump reader. */
typedef struct mail_att {
	char *filename;      /* decoded, or NULL */
	char *content_type;  /* "application/octet-stream" */
	size_t size;         /* decoded size, or the encoded size when refused */
	unsigned char *data; /* dump bytes, else NULL */
	size_t len;
	int refused;         /* larger than MAIL_PART_MAX: not decoded */
} mail_att;

typedef struct mail_msg {
	char *subject;     /* decoded UTF-8 (our own RFC 2047 decoder), or NULL */
	char *sender;      /* display name, else the address, or NULL */
	char *address;     /* the From address, or NULL */
	char *date;        /* "YYYY-MM-DD HH:MM:SS" in UTC, or NULL */
	char *message_id;  /* without <>, or NULL */
	char *in_reply_to; /* without <>, or NULL */
	char **refs;       /* References, oldest first, without <> */
	size_t nrefs;
	char *body;        /* UTF-8 text of the message (quotes NOT cut) */
	char *attached_text; /* UTF-8 text of .txt/.log attachments and
			      * attached messages, each after a line
			      * "[attachment: NAME]", or NULL */
	mail_att *atts;
	size_t natts;
	char *warnings;    /* one reason per line (oversized part, ...), or NULL */
} mail_msg;

/* Initialise GMime once (safe to call many times). */
void mail_init(void);

/* Parse one message from memory (copied into a GMime stream). Returns 0,
 * or -1 with a one-line reason in err (e.g. "no mail header fields").
 * *out is filled on success and must be released with mail_msg_clear;
 * on failure it is left cleared. */
int mail_parse_mem(const char *buf, size_t len, mail_msg *out, char *err, size_t errsz);

/* The same from the byte range [start, end) of an open file (end -1: to
 * the end). Parts are not loaded into memory unless decoded, so a huge
 * attachment costs no memory. fd stays owned by the caller. */
int mail_parse_fd(int fd, off_t start, off_t end, mail_msg *out, char *err, size_t errsz);

void mail_msg_clear(mail_msg *m);

/* Decode an unfolded or folded raw header value: RFC 2047 encoded words
 * (each word decoded on its own, adjacent words of one charset joined
 * before conversion, so padding inside a word and characters split across
 * words both work: the GMime 3.2.13 bug does not apply) and raw 8-bit text
 * (UTF-8, else GB18030). Returns a new UTF-8 string. */
char *mail_decode_header(const char *raw, size_t len);

/* Render HTML to text: tags dropped, block tags as line breaks, script and
 * style skipped, entities decoded. Input and output UTF-8; new string. */
char *mail_html_to_text(const char *html, size_t len);

/* mail_cut_quotes, the body without the earlier mails quoted in it, is in
 * mail-quote.h (included here). */

/* One message of an mbox: the byte range after its "From " line. */
typedef struct mbox_span {
	off_t start, end;
	long line;  /* line number of its "From " line (1-based) */
} mbox_span;

/* Split an mbox held in buf. A separator is a line "From " with a sender
 * and a time (hh:mm), after an empty line or not (some tools leave it
 * out); other "From " lines stay in the body. Fails (-1, reason in err) when the
 * first line is not a separator. *spans is the caller's (free()). */
int mbox_split(const char *buf, size_t len, mbox_span **spans, size_t *n, char *err,
	       size_t errsz);
/* The same, reading the open file fd in blocks, so that memory does not
 * grow with the file. A separator is recognised by the first
 * MBOX_LINE_HEAD bytes of its line. Fails also when fd cannot be read. */
#define MBOX_LINE_HEAD 4096
int mbox_split_fd(int fd, mbox_span **spans, size_t *n, char *err, size_t errsz);

/* Undo the mbox escaping of body lines: ">From " -> "From ", ">>From "
 * -> ">From " (mboxrd; mboxo writers escape the same way). In place. */
void mbox_unescape(char *text);

/* Does the buffer start like an mbox ("From " line with a time)? */
int mbox_looks_like(const char *buf, size_t len);

/* ---- import/imap.c: a mailbox over IMAP (libcurl) ---- */

typedef struct imap_conn imap_conn;

/* Parse and check an imap:// or imaps:// URL (user@host[:port]/MAILBOX)
 * and prepare a connection (nothing is sent yet). A URL that holds a
 * password is refused (PM_USAGE) with a hint; credentials come from
 * $PMKB_IMAP_PASSWORD or a netrc file ($PMKB_NETRC, else ~/.netrc); a CA
 * bundle from $PMKB_CA_FILE. imap:// uses STARTTLS when the server offers
 * it and requires it unless the host is loopback. Returns 0, or -1 with
 * err and *st (util/status.h; the failures of each call below). */
int imap_open(const char *url, imap_conn **out, char *err, size_t errsz, pm_status *st);
void imap_close(imap_conn *c);

/* "imap://user@host:port/MAILBOX": the key of the incremental state. */
const char *imap_state_key(const imap_conn *c);

/* What the user should fix after the last failure of c (the user or the
 * password and where it was looked up, the CA file, STARTTLS, the host,
 * the mailbox name, the search keys), or NULL. */
const char *imap_hint(const imap_conn *c);

/* STATUS of the mailbox: UIDVALIDITY and UIDNEXT. Logs in on first use.
 * Failures: PM_UNAVAILABLE (unreachable, dropped), PM_CONFIG (login
 * refused, TLS not trusted), PM_NO_INPUT (no such mailbox). */
int imap_status(imap_conn *c, unsigned long *uidvalidity, unsigned long *uidnext,
		char *err, size_t errsz, pm_status *st);

/* UID SEARCH UID first:* [criteria]: the UIDs >= first, ascending. criteria
 * (may be NULL) is an IMAP search key list such as "SUBJECT CAS-"; the
 * server refusing it is PM_USAGE. */
int imap_search(imap_conn *c, unsigned long first, const char *criteria,
		unsigned long **uids, size_t *n, char *err, size_t errsz, pm_status *st);

/* Clear the \Seen flag of these UIDs again (UID STORE -FLAGS.SILENT):
 * fetching marks mail as read, and a shared support mailbox should look
 * the same after pmkb read it. */
int imap_unsee(imap_conn *c, const unsigned long *uids, size_t n, char *err, size_t errsz,
	       pm_status *st);

/* Fetch one message by UID into a new buffer (at most max bytes: larger
 * messages fail with PM_TOO_BIG and "larger than N MiB"; a message gone
 * from the mailbox meanwhile is PM_BAD_DATA). */
int imap_fetch(imap_conn *c, unsigned long uid, size_t max, char **buf, size_t *len,
	       char *err, size_t errsz, pm_status *st);

#endif
