/* cmd-queue.c - pmkb queue: the drafted replies waiting for an engineer,
 * and sending them (docs/pmkb-queue.1). Part of pmkb-import (libcurl).
 *
 * Exactly once: before the SMTP transfer the row is set to "sending" with
 * the Message-ID the mail will carry (committed); after the server
 * accepted it, to "sent". A row found in "sending" by a later run (the
 * process died between the two) becomes "unconfirmed" and is never sent
 * again unless an engineer says so (approve --resend).
 */
#include "cli.h"
#include "../import/smtp.h"
#include "../kb/customer.h"
#include "../util/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>


int cli_reply_reconcile(kb_db *db)
{
	kb_reply *r = NULL;
	size_t n = 0;
	kb_status st = kb_reply_list(db, "sending", &r, &n);
	for (size_t i = 0; st == KB_OK && i < n; i++) {
		pmkb_warning("reply %ld was being sent when pmkb stopped: it may have gone out; "
			     "marked unconfirmed (check the customer's mail, then 'pmkb queue approve --resend %ld')",
			     r[i].id, r[i].id);
		st = kb_reply_update(db, r[i].id, "unconfirmed", NULL,
				     "interrupted between the SMTP transfer and its record: may have been sent", NULL);
	}
	kb_replies_free(r, n);
	return st == KB_OK ? PMKB_EX_OK : cli_kb_fail(db, st, "cannot reconcile the reply queue");
}

/* Our Message-ID for reply r: unique, and the same for every attempt. */
static char *reply_message_id(const kb_reply *r)
{
	char h[17];
	sbuf sb = {0};
	sb_addf(&sb, "%ld %s %ld", r->id, r->message_id, (long)time(NULL));
	hash_hex(fnv1a64(sb.buf, sb.len), h);
	sb_free(&sb);
	const char *at = r->from_addr ? strchr(r->from_addr, '@') : NULL;
	return xasprintf("pmkb-reply-%ld-%s@%s", r->id, h, at ? at + 1 : "pmkb.invalid");
}

int cli_reply_send(cli_ctx *ctx, kb_db *db, long id, const char *smtp_url, int resend)
{
	kb_reply *r = NULL;
	kb_status st = kb_reply_get(db, id, &r);
	if (st == KB_NOT_FOUND) {
		pmkb_error("no reply %ld in the queue", id);
		return PMKB_EX_NOMATCH;
	}
	if (st != KB_OK)
		return cli_kb_fail(db, st, "cannot read the reply queue");
	int ex = PMKB_EX_OK;
	const char *state = r->state ? r->state : "";
	if (!strcmp(state, "sent") || (!strcmp(state, "unconfirmed") && !resend)) {
		pmkb_error("reply %ld is %s: not sent again", id, state);
		if (!strcmp(state, "unconfirmed"))
			pmkb_hint("it may have gone out; if the customer did not get it: pmkb queue approve --resend %ld", id);
		ex = PMKB_EX_NOMATCH;
		goto out;
	}
	if (strcmp(state, "queued") && strcmp(state, "approved") && strcmp(state, "unconfirmed")) {
		pmkb_error("reply %ld is %s: only a queued draft is sent", id, state);
		ex = PMKB_EX_NOMATCH;
		goto out;
	}
	if (!r->body || !r->to_addr || !r->from_addr) {
		pmkb_error("reply %ld has no draft, recipient or sender address", id);
		ex = PMKB_EX_DATAERR;
		goto out;
	}
	if (!smtp_url || !*smtp_url) {
		pmkb_error("reply %ld: no SMTP server to send it with", id);
		pmkb_hint("pass --smtp smtps://host or 'pmkb config set smtp.url smtps://host'");
		ex = PMKB_EX_CONFIG;
		goto out;
	}
	/* the final check, on the text that goes out (an edit may have added something) */
	cli_privacy pv;
	st = cli_privacy_load(ctx, db, &pv);
	if (st != KB_OK) {
		ex = cli_kb_fail(db, st, "cannot read the knowledge base");
		goto out;
	}
	sbuf why = {0};
	int found = privacy_check(r->body, &pv.opts, &why);
	cli_privacy_free(&pv);
	if (found) {
		pmkb_error("reply %ld not sent: %d personal or internal data left in it", id, found);
		const char *p = sb_str(&why);
		while (*p) {
			size_t len = strcspn(p, "\n");
			fprintf(stderr, "pmkb:   %.*s\n", (int)len, p);
			p += len + (p[len] == '\n');
		}
		pmkb_hint("remove them with 'pmkb queue edit %ld', or reject it", id);
		sb_free(&why);
		ex = PMKB_EX_DATAERR;
		goto out;
	}
	sb_free(&why);
	/* 1. the intent, with the Message-ID the mail will carry */
	char *mid = reply_message_id(r);
	st = kb_reply_update(db, id, "sending", NULL, NULL, mid);
	if (st != KB_OK) {
		free(mid);
		ex = cli_kb_fail(db, st, "cannot record the reply");
		goto out;
	}
	sbuf msg = {0};
	reply_mail m = {r->from_addr, r->to_addr, r->subject, r->lang, r->message_id, r->refs, mid, NULL, r->body};
	reply_compose(&m, &msg);
	/* 2. the transfer */
	char err[512];
	pm_status sx = PM_OK;
	int rc = smtp_send(smtp_url, r->from_addr, r->to_addr, sb_str(&msg), err, sizeof err, &sx);
	sb_free(&msg);
	if (rc < 0) {
		/* not accepted: nothing went out; back to approved, retried later */
		pmkb_error("cannot send reply %ld: %s", id, err);
		if (sx == PM_CONFIG)
			pmkb_hint("check the SMTP user and password ($PMKB_SMTP_PASSWORD or the netrc file)");
		else if (sx == PM_UNAVAILABLE)
			pmkb_hint("it stays approved: the next 'pmkb watch' pass or 'pmkb queue approve %ld' sends it", id);
		char *note = xasprintf("send failed: %s", err);
		kb_reply_update(db, id, "approved", NULL, note, NULL);
		free(note);
		free(mid);
		ex = cli_exit_of(sx);
		goto out;
	}
	const char *crash = getenv("PMKB_TEST_CRASH_AFTER_SEND");
	if (crash && *crash == '1')
		_exit(PMKB_EX_SOFTWARE); /* test hook: die between the transfer and its record */
	/* 3. the record */
	/* an earlier failure is no longer news; other notes (auto-send) stay */
	st = kb_reply_update(db, id, "sent", NULL, r->note && str_starts(r->note, "send failed") ? "" : NULL, NULL);
	if (st != KB_OK)
		ex = cli_kb_fail(db, st, "sent, but cannot record it");
	else
		fprintf(stderr, "pmkb: reply %ld sent to the customer (Message-ID <%s>)\n", id, mid);
	free(mid);
out:
	kb_reply_free(r);
	return ex;
}

/* the string members of a reply in pmkb queue --json, in order */
static const jw_field reply_fields[] = {
	JW_FIELD(kb_reply, message_id), JW_FIELD(kb_reply, mailbox), JW_FIELD_AS("to", kb_reply, to_addr),
	JW_FIELD_AS("from", kb_reply, from_addr), JW_FIELD(kb_reply, subject), JW_FIELD(kb_reply, lang),
	JW_FIELD(kb_reply, rule), JW_FIELD(kb_reply, note), JW_FIELD(kb_reply, out_message_id),
	JW_FIELD(kb_reply, created_at), JW_FIELD(kb_reply, updated_at),
};

static void reply_json(jw *w, const kb_reply *r, int full)
{
	jw_obj(w, NULL);
	jw_int(w, "id", r->id);
	jw_str(w, "state", r->state);
	jw_fields(w, r, reply_fields, PMKB_ARRAY_LEN(reply_fields));
	if (full) {
		jw_str(w, "draft", r->body);
		jw_raw(w, "gate", r->gate && *r->gate ? r->gate : NULL);
	}
	jw_end(w);
}

static int parse_id(const char *s, long *id)
{
	char *end;
	*id = strtol(s, &end, 10);
	return *s && !*end && *id > 0 ? 0 : -1;
}

/* edit: the draft in $VISUAL / $EDITOR (vi), then back into the row. */
static int edit_reply(kb_db *db, long id)
{
	kb_reply *r = NULL;
	kb_status st = kb_reply_get(db, id, &r);
	if (st != KB_OK) {
		if (st == KB_NOT_FOUND)
			pmkb_error("no reply %ld in the queue", id);
		return st == KB_NOT_FOUND ? PMKB_EX_NOMATCH : cli_kb_fail(db, st, "cannot read the reply queue");
	}
	int ex = PMKB_EX_OK;
	if (!r->body || (strcmp(r->state, "queued") && strcmp(r->state, "approved"))) {
		pmkb_error("reply %ld is %s: only a queued draft can be edited", id, r->state);
		kb_reply_free(r);
		return PMKB_EX_NOMATCH;
	}
	char path[] = "/tmp/pmkb-reply-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, r->body, strlen(r->body)) != (ssize_t)strlen(r->body)) {
		pmkb_error("cannot write a temporary file for the editor");
		if (fd >= 0)
			close(fd), unlink(path);
		kb_reply_free(r);
		return PMKB_EX_SOFTWARE;
	}
	close(fd);
	const char *ed = getenv("VISUAL");
	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed)
		ed = "vi";
	pid_t pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", "exec $0 \"$1\"", ed, path, (char *)NULL);
		_exit(127);
	}
	int wst = 0;
	if (pid < 0 || waitpid(pid, &wst, 0) < 0 || !WIFEXITED(wst) || WEXITSTATUS(wst) != 0) {
		pmkb_error("the editor '%s' failed: the draft is unchanged", ed);
		ex = PMKB_EX_SOFTWARE;
	} else {
		char *buf = NULL, err[256];
		size_t len = 0;
		pm_status rx;
		if (read_file_bounded(path, 1u << 20, &buf, &len, err, sizeof err, &rx) < 0 || !utf8_valid(buf, len)) {
			pmkb_error("cannot read the edited draft: %s", buf ? "not UTF-8" : err);
			ex = PMKB_EX_DATAERR;
		} else if (!*str_trim(buf)) {
			pmkb_error("the edited draft is empty: unchanged (reject it to send nothing)");
			ex = PMKB_EX_DATAERR;
		} else if ((st = kb_reply_update(db, id, r->state, buf, NULL, NULL)) != KB_OK) {
			ex = cli_kb_fail(db, st, "cannot save the draft");
		}
		free(buf);
	}
	unlink(path);
	kb_reply_free(r);
	return ex;
}

int cmd_queue(cli_ctx *ctx, int argc, char **argv)
{
	const cli_command *cmd = cli_command_find("queue");
	int json = 0, resend = 0, c;
	const char *state = NULL, *smtp = NULL, *note = NULL;
	/* options anywhere: before the sub-command or after it */
	while ((c = cli_getopt(cmd, argc, argv)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 's': state = optarg; break;
		case 'm': smtp = optarg; break;
		case 'r': resend = 1; break;
		case 'n': note = optarg; break;
		default:
			return cli_getopt_exit;
		}
	}
	if (optind >= argc)
		return cli_usage(cmd->usage, "queue wants list, show, approve, reject or edit");
	const char *sub = argv[optind++];
	int want_id = strcmp(sub, "list") != 0;
	if (strcmp(sub, "list") && strcmp(sub, "show") && strcmp(sub, "approve") && strcmp(sub, "reject") &&
	    strcmp(sub, "edit"))
		return cli_usage(cmd->usage, "'%s' is not a queue command", sub);
	long id = 0;
	if (want_id && (optind != argc - 1 || parse_id(argv[optind], &id) < 0))
		return cli_usage(cmd->usage, "queue %s wants one reply ID (a number, see 'pmkb queue list')", sub);
	if (!want_id && optind != argc)
		return cli_usage(cmd->usage, "queue list takes no argument");
	const pm_config *cfg = NULL;
	int ex = cli_config(ctx, &cfg);
	if (ex)
		return ex;
	int writes = !strcmp(sub, "approve") || !strcmp(sub, "reject") || !strcmp(sub, "edit");
	kb_db *db = NULL;
	ex = cli_open_db(ctx, writes ? KB_WRITE : KB_READ, &db);
	if (ex)
		return ex;
	if (writes)
		ex = cli_reply_reconcile(db);
	if (!ex && !strcmp(sub, "list")) {
		kb_reply *r = NULL;
		size_t n = 0;
		kb_status st = kb_reply_list(db, state, &r, &n);
		if (st != KB_OK) {
			ex = cli_kb_fail(db, st, "cannot read the reply queue");
		} else {
			sbuf sb = {0};
			jw w;
			jw_init(&w, &sb);
			if (json) {
				jw_obj(&w, NULL);
				jw_arr(&w, "replies");
			}
			for (size_t i = 0; i < n; i++) {
				if (json) {
					reply_json(&w, &r[i], 0);
				} else {
					sb_addf(&sb, "%ld\t%s\t%s\t%s\t%s\n", r[i].id, r[i].state,
						r[i].to_addr ? r[i].to_addr : "-", r[i].rule ? r[i].rule : "-",
						r[i].subject ? r[i].subject : "");
				}
			}
			if (json) {
				jw_end(&w);
				jw_end(&w);
				sb_addc(&sb, '\n');
			}
			fputs(sb_str(&sb), stdout);
			sb_free(&sb);
		}
		kb_replies_free(r, n);
	} else if (!ex && !strcmp(sub, "show")) {
		kb_reply *r = NULL;
		kb_status st = kb_reply_get(db, id, &r);
		if (st == KB_NOT_FOUND) {
			pmkb_error("no reply %ld in the queue", id);
			ex = PMKB_EX_NOMATCH;
		} else if (st != KB_OK) {
			ex = cli_kb_fail(db, st, "cannot read the reply queue");
		} else {
			sbuf sb = {0};
			if (json) {
				jw w;
				jw_init(&w, &sb);
				reply_json(&w, r, 1);
				sb_addc(&sb, '\n');
			} else {
				sb_addf(&sb, "reply %ld: %s\nto:      %s\nsubject: %s\nrule:    %s\n", r->id, r->state,
					r->to_addr ? r->to_addr : "-", r->subject ? r->subject : "",
					r->rule ? r->rule : "-");
				if (r->note && *r->note)
					sb_addf(&sb, "note:    %s\n", r->note);
				sb_addf(&sb, "\n%s", r->body ? r->body : "(no draft: an engineer answers)\n");
			}
			fputs(sb_str(&sb), stdout);
			sb_free(&sb);
			kb_reply_free(r);
		}
	} else if (!ex && !strcmp(sub, "approve")) {
		kb_reply *r = NULL;
		kb_status st = kb_reply_get(db, id, &r);
		if (st == KB_OK && r->state && !strcmp(r->state, "queued"))
			st = kb_reply_update(db, id, "approved", NULL, NULL, NULL);
		kb_reply_free(r);
		if (st != KB_OK && st != KB_NOT_FOUND)
			ex = cli_kb_fail(db, st, "cannot approve");
		else
			ex = cli_reply_send(ctx, db, id, smtp ? smtp : config_get(cfg, "smtp.url"), resend);
	} else if (!ex && !strcmp(sub, "reject")) {
		kb_reply *r = NULL;
		kb_status st = kb_reply_get(db, id, &r);
		if (st == KB_NOT_FOUND) {
			pmkb_error("no reply %ld in the queue", id);
			ex = PMKB_EX_NOMATCH;
		} else if (st != KB_OK) {
			ex = cli_kb_fail(db, st, "cannot read the reply queue");
		} else if (strcmp(r->state, "queued") && strcmp(r->state, "approved") && strcmp(r->state, "unconfirmed")) {
			pmkb_error("reply %ld is %s: nothing to reject", id, r->state);
			ex = PMKB_EX_NOMATCH;
		} else if ((st = kb_reply_update(db, id, "rejected", NULL, note ? note : "", NULL)) != KB_OK) {
			ex = cli_kb_fail(db, st, "cannot reject");
		}
		kb_reply_free(r);
	} else if (!ex) {
		ex = edit_reply(db, id);
	}
	kb_close(db);
	return ex;
}
