/* smtp.h - send one message over SMTP with libcurl, and compose the reply
 * mail pmkb sends (threading headers, RFC 2047 subject, base64 UTF-8
 * body). No storage: cli/cmd-queue.c records what was sent.
 */
#ifndef PMKB_SMTP_H
#define PMKB_SMTP_H

#include <stddef.h>
#include "../util/util.h"

/* Send msg (a whole RFC 5322 message, CRLF or LF lines) from from to
 * to over url: smtp://[user@]host[:port] (STARTTLS, required unless the
 * host is loopback) or smtps://. With a user, the password comes from
 * $PMKB_SMTP_PASSWORD, else a netrc file ($PMKB_NETRC, else ~/.netrc),
 * never from the URL (refused, PM_USAGE); TLS is verified against the
 * system CAs or $PMKB_CA_FILE. Returns 0 when the server accepted the
 * message, else -1 with a reason in err and *st (util/status.h):
 * PM_UNAVAILABLE unreachable or dropped (nothing sent) or the message
 * refused, PM_CONFIG login refused, no STARTTLS, TLS not trusted, PM_USAGE
 * a bad URL, PM_INTERNAL libcurl would not start. */
int smtp_send(const char *url, const char *from, const char *to, const char *msg,
	      char *err, size_t errsz, pm_status *st);

typedef struct reply_mail {
	const char *from, *to;      /* bare addresses */
	const char *subject;        /* the incoming subject, decoded (may be NULL) */
	const char *lang;           /* "zh": 回复: prefix, else Re: */
	const char *in_reply_to;    /* the incoming Message-ID, without <> */
	const char *references;     /* earlier References, space separated, without <> (may be NULL) */
	const char *message_id;     /* ours, without <> */
	const char *date;           /* RFC 5322 date, or NULL for now */
	const char *body;           /* UTF-8 text */
} reply_mail;

/* The reply's subject: "Re: S" or "回复: S", not prefixed twice. New string. */
char *reply_subject(const char *subject, const char *lang);

/* The whole message, CRLF lines: From, To, Subject (RFC 2047 B when not
 * ASCII), Date, Message-ID, In-Reply-To, References, MIME headers,
 * the body base64 in UTF-8. */
void reply_compose(const reply_mail *m, sbuf *out);

#endif
