/* mail-thread.h - mail messages into case threads: which case each message
 * of a batch belongs to, and how a case that gained messages is put back
 * in order. Pure domain logic: no storage and no command line; what the
 * knowledge base already holds is asked through a callback (mt_lookup).
 * cli/import-mail.c reads the sources, batches, shows progress and stores.
 * The rules are docs/mail-import.md, "Threading rules".
 */
#ifndef PMKB_MAIL_THREAD_H
#define PMKB_MAIL_THREAD_H

#include "mail-reader.h"
#include "model.h"

#include <stddef.h>

/* One message of a batch. The caller fills m, where and order;
 * mail_thread fills case_no, norm and key. mt_msg_clear frees it all. */
typedef struct mt_msg {
	mail_msg m;
	char *where;     /* names the message: "a.eml", "box.mbox line 120", "UID 7" */
	long order;      /* arrival order: breaks ties of date */
	char *case_no;   /* case number from the subject, or NULL */
	char *norm;      /* normalised subject (mail_normalise_subject), or NULL */
	const char *key; /* the case id it goes to (owned by the mt_threads) */
} mt_msg;

void mt_msg_clear(mt_msg *m);

/* What the knowledge base already holds. case_of_message: the id of the
 * stored case that holds the message with this Message-ID, as a new
 * string, or NULL (none, or no knowledge base). Either member may be
 * NULL: nothing is stored. */
typedef struct mt_lookup {
	char *(*case_of_message)(void *ctx, const char *message_id);
	void *ctx;
} mt_lookup;

/* One thread: its case id and its messages in date order. */
typedef struct mt_thread {
	const char *key;
	mt_msg **msgs;
	size_t n;
} mt_thread;

typedef struct mt_threads {
	mt_thread *v;    /* in order of each thread's first message */
	size_t n;
	mt_msg **slots;  /* storage of the msgs arrays */
	void *keys;      /* the case ids (interned) */
} mt_threads;

/* Thread msgs[0..n): sort them by date (then order), give each its case id
 * and group them. A message goes to, in this order: the case number in its
 * subject; the case of the message its In-Reply-To or References name (of
 * this batch, else asked of lookup); the case of an earlier message with
 * the same normalised subject; else a new case, id single_stem when given
 * (a lone .eml file), else "mail-" and 12 hex digits of a hash of the
 * normalised subject (or the Message-ID, or where): the same id in every
 * batch and every run. out is freed with mt_threads_free (which leaves
 * msgs alone; their keys point into out). */
void mail_thread(mt_msg *msgs, size_t n, const char *single_stem, const mt_lookup *lookup,
		 mt_threads *out);
void mt_threads_free(mt_threads *t);

/* What mail_thread_case did. */
typedef struct mt_added {
	size_t messages;  /* mails added (0: the case held them all) */
	long attachments; /* attachment records that are not a dump read */
	char *warnings;   /* "'WHERE': dump attachment 'NAME' ...", one a line,
			   * or NULL; caller frees */
} mt_added;

/* Add the mails of thread t to the case *cp: a stored case, or NULL for a
 * new one (id t->key; title, customer, priority and references from the
 * subject that carries the case number, else the first; source and format
 * as given). A mail the case holds (mail_same_message) is skipped; the
 * body stored is the mail's without quotes (mail_cut_quotes), with its
 * attachment text after it, redacted; each attachment is a record, and a
 * dump attachment goes through the dump reader (its analysis joins the
 * case; one it cannot read is a warning). When mails were added the case
 * is renumbered, its customer found from the senders when the subject named
 * none, its status and dates set again. */
void mail_thread_case(pm_case **cp, const mt_thread *t, const char *source, const char *format,
		      mt_added *ad);

/* A subject without reply/forward prefixes (mail-quote.c), 【…】 tags and
 * white space, ASCII lower-cased: the last resort for threading. NULL
 * when nothing is left. Caller frees. */
char *mail_normalise_subject(const char *subject);

/* Is the stored message a the mail m, whose stored body would be body? By
 * Message-ID when both have one; else by sender (redacted as stored) and
 * date; a mail with neither date nor Message-ID by sender and body, so
 * that importing it twice stores it once. */
int mail_same_message(const pm_message *a, const mail_msg *m, const char *body);

/* Put the messages of c in date order (stable) after new ones were added:
 * dump analyses and attachment records keep their message, renumbered;
 * text analyses are dropped (analyses_extract finds them again) and notes
 * extracted again from each body, without its attachment text. */
void mail_thread_renumber(pm_case *c);

/* The customer of c from the senders' mail domains, when c names none:
 * the addresses and sender fields of the mails ms[0..n) first, then the
 * senders of c's messages (readers.h: thread_customer_of_sender). */
void mail_thread_customer(pm_case *c, mt_msg *const *ms, size_t n);

#endif
