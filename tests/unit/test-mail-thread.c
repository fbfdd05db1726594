/* test-mail-thread.c - mail threading (import/mail-thread.c) on messages
 * parsed by the mail reader from RFC 5322 text: threads by References and
 * In-Reply-To, by normalised subject when those are missing, by case
 * number; a reply that arrives before its parent; a stored case found
 * through the lookup callback; the same message twice kept once; the
 * renumbering of a case that gained messages; the customer from the
 * senders; the case built from a thread. Run from the top directory (it
 * reads tests/data/mail/). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../import/mail-thread.h"
#include "../../import/readers.h"
#include "../../util/util.h"

#define MAX_MSGS 16

typedef struct batch {
	mt_msg v[MAX_MSGS];
	size_t n;
	mt_threads th;
} batch;

/* Parse raw as the next message of b (arrival order = position). */
static void add(batch *b, const char *raw)
{
	assert_true(b->n < MAX_MSGS);
	mt_msg *r = &b->v[b->n];
	memset(r, 0, sizeof *r);
	char err[256] = "";
	if (mail_parse_mem(raw, strlen(raw), &r->m, err, sizeof err))
		fail_msg("message %zu: %s", b->n, err);
	r->where = xasprintf("message %zu", b->n);
	r->order = (long)b->n;
	b->n++;
}

static void run(batch *b, const char *stem, const mt_lookup *lk)
{
	mail_thread(b->v, b->n, stem, lk, &b->th);
}

static void done(batch *b)
{
	mt_threads_free(&b->th);
	for (size_t i = 0; i < b->n; i++)
		mt_msg_clear(&b->v[i]);
	b->n = 0;
}

/* The key of the message with this Message-ID (or this subject). */
static const char *key_of(const batch *b, const char *what)
{
	for (size_t i = 0; i < b->n; i++)
		if ((b->v[i].m.message_id && !strcmp(b->v[i].m.message_id, what)) ||
		    (b->v[i].m.subject && !strcmp(b->v[i].m.subject, what)))
			return b->v[i].key;
	fail_msg("no message '%s'", what);
	return NULL;
}

static int is_mail_id(const char *k)
{
	if (!k || strlen(k) != 17 || strncmp(k, "mail-", 5))
		return 0;
	return strspn(k + 5, "0123456789abcdef") == 12;
}

static void test_references(void **state)
{
	(void)state;
	batch b = {0};
	add(&b, "Message-ID: <a@x>\nFrom: li@example.com\nDate: Wed, 01 Mar 2023 10:00:00 +0000\n"
		"Subject: Server 12 blue screen\n\nIt crashed.\n");
	add(&b, "Message-ID: <d@x>\nFrom: wang@example.com\nDate: Wed, 01 Mar 2023 10:30:00 +0000\n"
		"Subject: Printer driver crash\n\nAnother one.\n");
	add(&b, "Message-ID: <b@x>\nIn-Reply-To: <a@x>\nFrom: eng@example.com\n"
		"Date: Wed, 01 Mar 2023 11:00:00 +0000\nSubject: the dump you sent\n\nLooking.\n");
	add(&b, "Message-ID: <c@x>\nReferences: <a@x> <b@x>\nFrom: li@example.com\n"
		"Date: Wed, 01 Mar 2023 12:00:00 +0000\nSubject: new words\n\nThanks.\n");
	run(&b, NULL, NULL);
	const char *ka = key_of(&b, "a@x");
	assert_true(is_mail_id(ka));
	assert_string_equal(key_of(&b, "b@x"), ka);
	assert_string_equal(key_of(&b, "c@x"), ka);
	assert_string_not_equal(key_of(&b, "d@x"), ka);
	/* threads in order of their first message, messages in date order */
	assert_int_equal(b.th.n, 2);
	assert_string_equal(b.th.v[0].key, ka);
	assert_int_equal(b.th.v[0].n, 3);
	assert_string_equal(b.th.v[0].msgs[0]->m.message_id, "a@x");
	assert_string_equal(b.th.v[0].msgs[1]->m.message_id, "b@x");
	assert_string_equal(b.th.v[0].msgs[2]->m.message_id, "c@x");
	assert_int_equal(b.th.v[1].n, 1);
	assert_string_equal(b.th.v[1].msgs[0]->m.message_id, "d@x");
	done(&b);
}

static void test_subject(void **state)
{
	(void)state;
	batch b = {0};
	add(&b, "From: li@example.com\nDate: Wed, 01 Mar 2023 10:00:00 +0000\n"
		"Subject: =?UTF-8?B?6JOd5bGP6Zeu6aKYIG9uIGhvc3Q=?=\n\na\n"); /* 蓝屏问题 on host */
	add(&b, "From: eng@example.com\nDate: Wed, 01 Mar 2023 11:00:00 +0000\n"
		"Subject: =?UTF-8?B?5Zue5aSN77ya6JOd5bGP6Zeu6aKYIG9uIGhvc3Q=?=\n\nb\n"); /* 回复：蓝屏问题 on host */
	add(&b, "From: li@example.com\nDate: Wed, 01 Mar 2023 12:00:00 +0000\n"
		"Subject: RE: =?UTF-8?B?5Zue5aSNOiDok53lsY/pl67popggT04gSE9TVA==?=\n\nc\n"); /* RE: 回复: 蓝屏问题 ON HOST */
	add(&b, "From: boss@example.com\nDate: Wed, 01 Mar 2023 13:00:00 +0000\n"
		"Subject: =?UTF-8?B?Rndk77ya44CQ5aSW5p2l6YKu5Lu277yM5rOo5oSP5qC45a6e44CR6JOd5bGP6Zeu6aKYIG9uIGhvc3Q=?=\n\nd\n");
	add(&b, "From: other@example.com\nDate: Wed, 01 Mar 2023 10:10:00 +0000\n"
		"Subject: =?UTF-8?B?5Y+m5LiA5Liq6Zeu6aKY?=\n\ne\n"); /* 另一个问题 */
	run(&b, NULL, NULL);
	const char *k = key_of(&b, "蓝屏问题 on host");
	assert_true(is_mail_id(k));
	assert_string_equal(key_of(&b, "回复：蓝屏问题 on host"), k);
	assert_string_equal(key_of(&b, "RE: 回复: 蓝屏问题 ON HOST"), k);
	assert_string_equal(key_of(&b, "Fwd：【外来邮件，注意核实】蓝屏问题 on host"), k);
	assert_string_not_equal(key_of(&b, "另一个问题"), k);
	char *n = mail_normalise_subject("RE: 回复: 蓝屏问题 ON HOST");
	assert_string_equal(n, "蓝屏问题onhost");
	free(n);
	n = mail_normalise_subject("Fwd：【外来邮件，注意核实】 Re:  Blue Screen");
	assert_string_equal(n, "bluescreen");
	free(n);
	assert_null(mail_normalise_subject("Re: 回复： "));
	assert_null(mail_normalise_subject(NULL));
	done(&b);
}

static void test_reply_first(void **state)
{
	(void)state;
	/* the reply comes first in the mailbox, its parent after it */
	batch b = {0};
	add(&b, "Message-ID: <r@x>\nIn-Reply-To: <p@x>\nFrom: eng@example.com\n"
		"Date: Thu, 02 Mar 2023 09:00:00 +0000\nSubject: what we found\n\nreply\n");
	add(&b, "Message-ID: <p@x>\nFrom: li@example.com\nDate: Wed, 01 Mar 2023 10:00:00 +0000\n"
		"Subject: Server 7 hangs\n\nparent\n");
	run(&b, NULL, NULL);
	assert_string_equal(key_of(&b, "r@x"), key_of(&b, "p@x"));
	assert_int_equal(b.th.n, 1);
	assert_string_equal(b.th.v[0].msgs[0]->m.message_id, "p@x");
	assert_string_equal(b.th.v[0].msgs[1]->m.message_id, "r@x");
	char *k = xstrdup(key_of(&b, "p@x"));
	done(&b);
	/* the reply in one batch, the parent in the next: the ids come from
	 * the subject, so both batches name the same case */
	add(&b, "Message-ID: <r2@x>\nIn-Reply-To: <p2@x>\nFrom: eng@example.com\n"
		"Date: Thu, 02 Mar 2023 09:00:00 +0000\nSubject: Re: Server 7 hangs\n\nreply\n");
	run(&b, NULL, NULL);
	char *kr = xstrdup(key_of(&b, "r2@x"));
	done(&b);
	add(&b, "Message-ID: <p2@x>\nFrom: li@example.com\nDate: Wed, 01 Mar 2023 10:00:00 +0000\n"
		"Subject: Server 7 hangs\n\nparent\n");
	run(&b, NULL, NULL);
	assert_string_equal(key_of(&b, "p2@x"), kr);
	assert_string_equal(kr, k);
	done(&b);
	free(k);
	free(kr);
}

struct stored {
	int calls;
	char last[64];
};

static char *stored_case(void *ctx, const char *mid)
{
	struct stored *s = ctx;
	s->calls++;
	snprintf(s->last, sizeof s->last, "%s", mid);
	return !strcmp(mid, "old@x") ? xstrdup("CAS-01234-ABCDEF") : NULL;
}

static void test_lookup_and_case_number(void **state)
{
	(void)state;
	batch b = {0};
	struct stored s = {0};
	mt_lookup lk = {stored_case, &s};
	add(&b, "Message-ID: <n1@x>\nIn-Reply-To: <old@x>\nFrom: li@example.com\n"
		"Date: Wed, 01 Mar 2023 10:00:00 +0000\nSubject: Re: still crashing\n\nx\n");
	add(&b, "Message-ID: <n2@x>\nFrom: li@example.com\nDate: Wed, 01 Mar 2023 11:00:00 +0000\n"
		"Subject: =?UTF-8?B?5Zue5aSNOiBb5qGI5L6L5Y+3OiBDQVMtMDYxMzMtWDlaNFE3IF0g6JOd5bGP?=\n\ny\n");
	add(&b, "Message-ID: <n3@x>\nIn-Reply-To: <n2@x>\nFrom: eng@example.com\n"
		"Date: Wed, 01 Mar 2023 12:00:00 +0000\nSubject: the analysis\n\nz\n");
	add(&b, "Message-ID: <n4@x>\nFrom: wang@example.com\nDate: Wed, 01 Mar 2023 13:00:00 +0000\n"
		"Subject: =?UTF-8?B?UkU6IOiTneWxjw==?=\n\nw\n"); /* RE: 蓝屏 */
	run(&b, NULL, &lk);
	assert_string_equal(key_of(&b, "n1@x"), "CAS-01234-ABCDEF");
	assert_true(s.calls >= 1);
	/* "回复: [案例号: CAS-06133-X9Z4Q7 ] 蓝屏": the number is the id; a reply
	 * to it and a mail with its subject join it */
	assert_string_equal(key_of(&b, "n2@x"), "CAS-06133-X9Z4Q7");
	assert_string_equal(key_of(&b, "n2@x"), b.v[1].case_no);
	assert_string_equal(key_of(&b, "n3@x"), "CAS-06133-X9Z4Q7");
	assert_string_equal(key_of(&b, "n4@x"), "CAS-06133-X9Z4Q7");
	assert_int_equal(b.th.n, 2);
	done(&b);
	/* a lone .eml: its file stem names a thread without number */
	add(&b, "From: li@example.com\nSubject: hello\n\nx\n");
	run(&b, "support-mail", NULL);
	assert_string_equal(b.v[0].key, "support-mail");
	done(&b);
	/* an empty batch */
	run(&b, NULL, NULL);
	assert_int_equal(b.th.n, 0);
	done(&b);
}

/* What store_thread does: add each mail unless the case holds it. */
static size_t store(pm_case *c, const batch *b)
{
	size_t added = 0;
	for (size_t i = 0; i < b->n; i++) {
		const mail_msg *m = &b->v[i].m;
		int dup = 0;
		for (size_t k = 0; k < c->nmessages && !dup; k++)
			dup = mail_same_message(&c->messages[k], m, m->body);
		if (dup)
			continue;
		pm_message *pm = pm_case_add_message(c);
		pm->sender = m->sender ? redact_sender_field(m->sender) : NULL;
		pm->sent = m->date ? xstrdup(m->date) : NULL;
		pm->message_id = m->message_id ? xstrdup(m->message_id) : NULL;
		pm->body = xstrdup(m->body);
		added++;
	}
	return added;
}

static void test_same_message(void **state)
{
	(void)state;
	static const char *const mails[] = {
		"Message-ID: <m1@x>\nFrom: Zhang San <zs@example.com>\nDate: Wed, 01 Mar 2023 10:00:00 +0000\n"
		"Subject: a\n\none\n",
		/* no Message-ID: by sender and date */
		"From: Zhang San <zs@example.com>\nDate: Wed, 01 Mar 2023 11:00:00 +0000\nSubject: a\n\ntwo\n",
		/* neither: by sender and body */
		"From: Zhang San <zs@example.com>\nSubject: a\n\nthree\n",
	};
	batch b = {0};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(mails); i++)
		add(&b, mails[i]);
	for (size_t i = 0; i < PMKB_ARRAY_LEN(mails); i++)
		add(&b, mails[i]); /* each twice */
	pm_case *c = pm_case_new();
	assert_int_equal(store(c, &b), 3);
	assert_int_equal(c->nmessages, 3);
	assert_int_equal(store(c, &b), 0); /* imported again: nothing new */
	done(&b);
	/* what differs is a message of its own */
	add(&b, "Message-ID: <m2@x>\nFrom: Zhang San <zs@example.com>\nDate: Wed, 01 Mar 2023 10:00:00 +0000\n"
		"Subject: a\n\none\n");
	add(&b, "From: Zhang San <zs@example.com>\nDate: Wed, 01 Mar 2023 11:00:01 +0000\nSubject: a\n\ntwo\n");
	add(&b, "From: Li Si <ls@example.com>\nDate: Wed, 01 Mar 2023 11:00:00 +0000\nSubject: a\n\ntwo\n");
	add(&b, "From: Zhang San <zs@example.com>\nSubject: a\n\nthree, edited\n");
	assert_int_equal(store(c, &b), 4);
	done(&b);
	pm_case_free(c);
}

static pm_message *msg(pm_case *c, const char *sent, const char *body)
{
	pm_message *m = pm_case_add_message(c);
	m->sent = xstrdup(sent);
	m->body = xstrdup(body);
	return m;
}

static void test_renumber(void **state)
{
	(void)state;
	pm_case *c = pm_case_new();
	/* stored first, then two older mails added */
	msg(c, "2023-03-01 12:00:00", "第三封\n\n下一步动作：\n升级网卡驱动。");
	msg(c, "2023-03-01 10:00:00", "第一封");
	msg(c, "2023-03-01 11:00:00", "第二封\n\n[attachment: notes.txt]\n下一步动作：\n不是工程师写的");
	pm_attachment *at = pm_case_add_attachment(c);
	at->message = 0;
	at->filename = xstrdup("MEMORY.DMP");
	pm_analysis *d = pm_case_add_analysis(c);
	d->message = 2;
	d->source = xstrdup("dmp");
	d->dump_name = xstrdup("MEMORY.DMP");
	pm_analysis *t = pm_case_add_analysis(c);
	t->message = 0;
	t->source = xstrdup("windbg");
	pm_case_add_note(c, 0, "next_step", "stale");
	mail_thread_renumber(c);
	assert_int_equal(c->nmessages, 3);
	assert_string_equal(c->messages[0].body, "第一封");
	assert_true(str_starts(c->messages[1].body, "第二封"));
	assert_true(str_starts(c->messages[2].body, "第三封"));
	assert_int_equal(c->attachments[0].message, 2);
	/* the dump analysis stays with its message; the text one is found again later */
	assert_int_equal(c->nanalyses, 1);
	assert_string_equal(c->analyses[0].source, "dmp");
	assert_int_equal(c->analyses[0].message, 1);
	/* notes again from the bodies, not from attachment text */
	assert_int_equal(c->nnotes, 1);
	assert_int_equal(c->notes[0].message, 2);
	assert_non_null(strstr(c->notes[0].text, "升级网卡驱动"));
	pm_case_free(c);
}

static void test_customer(void **state)
{
	(void)state;
	batch b = {0};
	add(&b, "From: someone@example.com\nSubject: x\n\nx\n");
	add(&b, "From: =?UTF-8?B?5p2O5Zub?= <lisi@sz.icbc.com.cn>\nSubject: x\n\nx\n");
	pm_case *c = pm_case_new();
	mt_msg *ms[2] = {&b.v[0], &b.v[1]};
	mail_thread_customer(c, ms, 2);
	assert_string_equal(c->customer, "ICBC");
	pm_case_free(c);
	/* from the case's stored senders when the mails name none */
	c = pm_case_new();
	pm_case_add_message(c)->sender = xstrdup("Wang <wang@ccb.com>");
	mail_thread_customer(c, ms, 1);
	assert_string_equal(c->customer, "CCB");
	pm_case_free(c);
	/* a domain that only ends like a customer's is not one */
	c = pm_case_new();
	pm_case_add_message(c)->sender = xstrdup("x@notccb.com");
	mail_thread_customer(c, ms, 1);
	assert_null(c->customer);
	pm_case_free(c);
	assert_string_equal(thread_customer_of_sender("li@abchina.com\r"), "ABC");
	assert_null(thread_customer_of_sender("no address"));
	done(&b);
}

static void test_case_of_thread(void **state)
{
	(void)state;
	/* a mail with a text, a (too short) dump and an image attachment */
	batch b = {0};
	FILE *f = fopen("tests/data/mail/attachments.eml", "rb");
	assert_non_null(f);
	static char raw[1 << 16];
	size_t len = fread(raw, 1, sizeof raw - 1, f);
	fclose(f);
	raw[len] = '\0';
	add(&b, raw);
	run(&b, NULL, NULL);
	assert_int_equal(b.th.n, 1);
	pm_case *c = NULL;
	mt_added ad;
	mail_thread_case(&c, &b.th.v[0], "box.mbox", "mbox", &ad);
	assert_non_null(c);
	assert_string_equal(c->id, b.th.v[0].key);
	assert_string_equal(c->format, "mbox");
	assert_int_equal(ad.messages, 1);
	assert_int_equal(c->nmessages, 1);
	assert_int_equal(c->nattachments, 2); /* the dump and the image; windbg.txt is body text */
	assert_int_equal(ad.attachments, 2); /* the dump could not be read */
	assert_non_null(ad.warnings);
	assert_non_null(strstr(ad.warnings, "'message 0': dump attachment 'MEMORY.DMP' not read: "));
	free(ad.warnings);
	/* the sender is stored as redact_case will store it; the same mail again adds nothing */
	mail_thread_case(&c, &b.th.v[0], "box.mbox", "mbox", &ad);
	assert_int_equal(ad.messages, 0);
	assert_int_equal(c->nmessages, 1);
	free(ad.warnings);
	pm_case_free(c);
	done(&b);
}

int main(void)
{
	mail_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_references),
		cmocka_unit_test(test_subject),
		cmocka_unit_test(test_reply_first),
		cmocka_unit_test(test_lookup_and_case_number),
		cmocka_unit_test(test_same_message),
		cmocka_unit_test(test_renumber),
		cmocka_unit_test(test_customer),
		cmocka_unit_test(test_case_of_thread),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
