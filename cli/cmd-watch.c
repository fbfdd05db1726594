/* cmd-watch.c - pmkb watch: answer the support mailbox. Each pass reads
 * the mail that arrived since the last one (UID state in the knowledge
 * base, as pmkb import does), finds WinDbg text or .dmp attachments in
 * it, runs pmkb suggest on them and files a threaded reply to the sender
 * in the queue (kb/customer.h), or routes the mail to an engineer; drafts
 * of an auto-send rule are sent at once. Each incoming Message-ID is
 * answered at most once. Part of pmkb-import (GMime, libcurl).
 * docs/pmkb-watch.1.
 */
#define _GNU_SOURCE
#include "cli.h"
#include "../import/mail-reader.h"
#include "../import/readers.h"
#include "../kb/customer.h"
#include "../matcher/suggest.h"
#include "../util/config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>



static volatile sig_atomic_t stop;
static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

typedef struct watcher {
	cli_ctx *ctx;
	const char *url, *smtp;
	const ruleset *rs;
	size_t max_size;
	char *from;          /* our address */
	long queued, routed, skipped, sent;
} watcher;

static int worse(int a, int b)
{
	return a ? a : b;
}

/* File one fetched mail: a queued draft, a routed note, or nothing when
 * its Message-ID was seen before. */
static int file_mail(watcher *w, kb_db *db, const char *mailbox, const mail_msg *m, const char *where)
{
	char *mid = m->message_id ? xstrdup(m->message_id) : xasprintf("%s@pmkb.invalid", where);
	long seen = 0;
	kb_status st = kb_reply_find(db, mid, &seen);
	if (st != KB_OK) {
		free(mid);
		return cli_kb_fail(db, st, "cannot read the reply queue");
	}
	if (seen) { /* answered (or routed) before: at most once */
		free(mid);
		return PMKB_EX_OK;
	}
	sbuf refs = {0};
	for (size_t i = 0; i < m->nrefs; i++)
		sb_addf(&refs, "%s%s", i ? " " : "", m->refs[i]);
	kb_reply r = {.message_id = mid, .mailbox = (char *)mailbox, .from_addr = w->from,
		      .to_addr = m->address, .subject = m->subject, .refs = refs.len ? refs.buf : NULL};
	char *text = NULL;
	pm_case *q = cli_mail_query_of(m, &text);
	suggest_result res;
	memset(&res, 0, sizeof res);
	sbuf gate = {0};
	int ex = PMKB_EX_OK;
	if (q->nanalyses == 0) {
		r.state = "routed";
		r.note = "no dump analysis or .dmp in the mail: an engineer answers";
	} else if (!m->address) {
		r.state = "routed";
		r.note = "the mail has no sender address to reply to";
	} else {
		ex = cli_suggest(w->ctx, db, w->rs, q, text, NULL, &res);
		if (ex) {
			pm_case_free(q);
			free(text);
			sb_free(&refs);
			free(mid);
			return ex;
		}
		suggest_json(&res, &gate);
		r.gate = gate.buf;
		r.lang = (char *)suggest_lang_name(res.lang);
		r.rule = (char *)res.rule_id;
		r.body = res.draft;
		r.state = res.pass ? (res.auto_send ? "approved" : "queued") : "routed";
		r.note = res.pass ? (res.auto_send ? "auto-send rule" : NULL) : "the gate routed it to an engineer";
	}
	st = kb_reply_add(db, &r);
	if (st != KB_OK && st != KB_INVALID) {
		ex = cli_kb_fail(db, st, "cannot queue the reply");
	} else if (st == KB_OK) {
		fprintf(stderr, "pmkb: %s: %s (reply %ld%s%s)\n", where, r.state, r.id, r.rule ? ", rule " : "",
			r.rule ? r.rule : "");
		if (!strcmp(r.state, "routed"))
			w->routed++;
		else
			w->queued++;
		if (!strcmp(r.state, "approved")) {
			/* an auto-send rule: no queue, logged */
			fprintf(stderr, "pmkb: reply %ld: auto-send (rule %s)\n", r.id, r.rule);
			ex = cli_reply_send(w->ctx, db, r.id, w->smtp, 0);
			if (!ex)
				w->sent++;
		}
	}
	suggest_result_clear(&res);
	sb_free(&gate);
	pm_case_free(q);
	free(text);
	sb_free(&refs);
	free(mid);
	return ex;
}

/* Record a mail that was not read (too large, unparsable), once. */
static int skip_mail(watcher *w, kb_db *db, const char *mailbox, const char *stand_in, const char *why)
{
	kb_reply r = {.message_id = (char *)stand_in, .mailbox = (char *)mailbox, .state = "skipped",
		      .note = (char *)why};
	kb_status st = kb_reply_add(db, &r);
	if (st == KB_OK) {
		w->skipped++;
		pmkb_warning("%s: skipped: %s", stand_in, why);
	}
	return st == KB_OK || st == KB_INVALID ? PMKB_EX_OK : cli_kb_fail(db, st, "cannot record the mail");
}

static int pass(watcher *w)
{
	kb_db *db = NULL;
	int ex = cli_open_db(w->ctx, KB_WRITE, &db);
	if (ex)
		return ex;
	ex = cli_reply_reconcile(db);
	/* approved replies not sent yet (the SMTP server was down) */
	kb_reply *ap = NULL;
	size_t nap = 0;
	if (!ex && w->smtp && kb_reply_list(db, "approved", &ap, &nap) == KB_OK)
		for (size_t i = 0; i < nap && !stop; i++) {
			int sx = cli_reply_send(w->ctx, db, ap[i].id, w->smtp, 0);
			if (!sx)
				w->sent++;
			ex = worse(ex, sx);
		}
	kb_replies_free(ap, nap);
	char err[512];
	pm_status ix = PM_OK;
	imap_conn *ic = NULL;
	if (imap_open(w->url, &ic, err, sizeof err, &ix) < 0) {
		pmkb_error("cannot read '%s': %s", w->url, err);
		if (ix == PM_USAGE && strstr(err, "password"))
			pmkb_hint("put the password in $PMKB_IMAP_PASSWORD or a netrc file, never in the URL");
		kb_close(db);
		return cli_exit_of(ix);
	}
	unsigned long validity = 0, next = 0;
	if (imap_status(ic, &validity, &next, err, sizeof err, &ix) < 0) {
		pmkb_error("cannot read '%s': %s", imap_state_key(ic), err);
		if (imap_hint(ic))
			pmkb_hint("%s", imap_hint(ic));
		imap_close(ic);
		kb_close(db);
		return cli_exit_of(ix);
	}
	char *skey = xasprintf("watch:%s", imap_state_key(ic));
	char *state = NULL;
	unsigned long last = 0, oldvalidity = 0;
	if (kb_state_get(db, skey, &state) == KB_OK && state && sscanf(state, "%lu %lu", &oldvalidity, &last) != 2)
		oldvalidity = last = 0;
	free(state);
	if (oldvalidity && oldvalidity != validity)
		last = 0; /* read again: Message-IDs keep it from answering twice */
	unsigned long *uids = NULL;
	size_t n = 0;
	if (imap_search(ic, last + 1, NULL, &uids, &n, err, sizeof err, &ix) < 0) {
		pmkb_error("cannot read '%s': %s", imap_state_key(ic), err);
		ex = worse(ex, cli_exit_of(ix));
		n = 0;
	}
	/* which of them are unread: fetching marks them read, and a shared
	 * support mailbox should look the same to the engineers after */
	unsigned long *unseen = NULL;
	unsigned long upto = last;
	size_t nunseen = 0;
	if (n && imap_search(ic, last + 1, "UNSEEN", &unseen, &nunseen, err, sizeof err, &ix) < 0)
		nunseen = 0;
	for (size_t i = 0; i < n && !stop; i++) {
		if (uids[i] <= last)
			continue;
		upto = uids[i];
		char *buf = NULL;
		size_t len = 0;
		char *where = xasprintf("%s UID %lu", imap_state_key(ic), uids[i]);
		int fx = 0;
		pm_status fst = PM_OK;
		if (imap_fetch(ic, uids[i], w->max_size, &buf, &len, err, sizeof err, &fst) < 0) {
			if (fst != PM_BAD_DATA && fst != PM_TOO_BIG) {
				/* the connection is gone: this mail is read next time */
				pmkb_error("cannot read '%s': %s", where, err);
				free(where);
				ex = worse(ex, cli_exit_of(fst));
				break;
			}
			char *stand_in = xasprintf("uid-%lu-%lu@%s", validity, uids[i], imap_state_key(ic));
			fx = skip_mail(w, db, imap_state_key(ic), stand_in, err);
			free(stand_in);
		} else {
			mail_msg m;
			if (mail_parse_mem(buf, len, &m, err, sizeof err) < 0) {
				char *stand_in = xasprintf("uid-%lu-%lu@%s", validity, uids[i], imap_state_key(ic));
				fx = skip_mail(w, db, imap_state_key(ic), stand_in, err);
				free(stand_in);
			} else {
				fx = file_mail(w, db, imap_state_key(ic), &m, where);
				mail_msg_clear(&m);
			}
		}
		free(buf);
		free(where);
		if (fx && fx != PMKB_EX_UNAVAILABLE && fx != PMKB_EX_CONFIG) {
			ex = worse(ex, fx);
			break; /* the knowledge base failed: read it again next time */
		}
		ex = worse(ex, fx); /* a send that failed stays approved: retried */
		/* this mail is filed: the next pass starts after it */
		char val[64];
		snprintf(val, sizeof val, "%lu %lu", validity, uids[i]);
		kb_status st = kb_state_set(db, skey, val);
		if (st != KB_OK) {
			ex = worse(ex, cli_kb_fail(db, st, "cannot save the IMAP position"));
			break;
		}
	}
	free(uids);
	size_t k = 0;
	for (size_t i = 0; i < nunseen; i++)
		if (unseen[i] <= upto)
			unseen[k++] = unseen[i];
	if (k && imap_unsee(ic, unseen, k, err, sizeof err, &ix) < 0)
		pmkb_warning("'%s': cannot mark the fetched mail unread again: %s", imap_state_key(ic), err);
	free(unseen);
	free(skey);
	imap_close(ic);
	kb_close(db);
	return ex;
}

int cmd_watch(cli_ctx *ctx, int argc, char **argv)
{
	const cli_command *cmd = cli_command_find("watch");
	int once = 0, c;
	long interval = 60;
	const char *smtp = NULL, *rules_path = NULL;
	while ((c = cli_getopt(cmd, argc, argv)) != -1) {
		switch (c) {
		case 'o': once = 1; break;
		case 's': smtp = optarg; break;
		case 'r': rules_path = optarg; break;
		case 'i': {
			char *end;
			interval = strtol(optarg, &end, 10);
			if (*end || interval < 1 || interval > 86400)
				return cli_usage(cmd->usage, "--interval wants seconds from 1 to 86400, not '%s'", optarg);
			break;
		}
		default:
			return cli_getopt_exit;
		}
	}
	if (optind != argc - 1)
		return cli_usage(cmd->usage, "watch wants one imap:// or imaps:// mailbox URL");
	const pm_config *cfg = NULL;
	int ex = cli_config(ctx, &cfg);
	if (ex)
		return ex;
	watcher w = {.ctx = ctx, .url = argv[optind], .smtp = smtp ? smtp : config_get(cfg, "smtp.url")};
	double maxmb = 0;
	char err[256] = "";
	if (config_get_double(cfg, "watch.max-size", 10, &maxmb, err, sizeof err) < 0 || maxmb <= 0 || maxmb > 1024) {
		pmkb_error("bad configuration: watch.max-size: %s", *err ? err : "not a number of MiB from 0 to 1024");
		return PMKB_EX_CONFIG;
	}
	w.max_size = (size_t)(maxmb * 1024 * 1024);
	const char *from = config_get(cfg, "smtp.from");
	if (from) {
		w.from = xstrdup(from);
	} else {
		/* the mailbox's own address: user@host of the URL */
		const char *p = strstr(w.url, "://");
		p = p ? p + 3 : w.url;
		size_t len = strcspn(p, ":/");
		w.from = xstrndup(p, len);
	}
	ruleset *rs = NULL;
	ex = cli_rules_in_force(ctx, rules_path, &rs);
	if (ex) {
		free(w.from);
		return ex;
	}
	w.rs = rs;
	/* one watcher per knowledge base: a lock held while it runs */
	char *dir = cli_db_dir(ctx);
	if (!dir) {
		rules_free(rs);
		free(w.from);
		return cli_no_db_dir();
	}
	char *lockpath = xasprintf("%s/watch.lock", dir);
	mkdir(dir, 0700);
	int lfd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lfd < 0 || flock(lfd, LOCK_EX | LOCK_NB) < 0) {
		int busy = lfd >= 0 && errno == EWOULDBLOCK;
		pmkb_error("cannot watch with '%s': %s", dir, busy ? "another pmkb watch runs on it" : strerror(errno));
		if (busy)
			pmkb_hint("one watcher per knowledge base; stop the other one first");
		ex = busy ? PMKB_EX_TEMPFAIL : PMKB_EX_NOINPUT;
		goto out;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	for (;;) {
		ex = pass(&w);
		if (once || stop)
			break;
		if (ex == PMKB_EX_CONFIG || ex == PMKB_EX_USAGE)
			break; /* waiting does not fix a password */
		for (long s = 0; s < interval && !stop; s++)
			sleep(1);
		if (stop)
			break;
	}
	fprintf(stderr, "pmkb: watch: %ld drafted, %ld routed to an engineer, %ld skipped, %ld sent\n",
		w.queued, w.routed, w.skipped, w.sent);
out:
	if (lfd >= 0)
		close(lfd);
	free(lockpath);
	free(dir);
	rules_free(rs);
	free(w.from);
	return ex;
}
