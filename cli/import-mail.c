/* import-mail.c - pmkb import of mail: .eml files, mbox files, maildir
 * folders and IMAP mailboxes. Reads every message (import/mail.c) into
 * batches, has import/mail-thread.c thread them into cases and build each
 * case (merged with the case already stored), shows progress and stores
 * each case through cli_store_case. Rules in docs/mail-import.md.
 */
#define _GNU_SOURCE
#include "cli.h"
#include "../import/mail-reader.h"
#include "../import/mail-thread.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Messages larger than this are refused when fetched over IMAP (files are
 * parsed in place and need no such bound). */
#define IMAP_MESSAGE_MAX ((size_t)64 << 20)

typedef struct batch {
	mt_msg *v;             /* the messages read, waiting to be threaded */
	size_t n, cap;
	long seq;              /* messages added so far: the next one's order */
	int worst;             /* worst exit code so far */
	const char *format;
	const char *source;
	char *single_stem;     /* a lone .eml: its stem is the id of a thread without number */
	/* where a full batch goes (see batch_add) */
	kb_db *db;
	import_report *rep;
	import_progress *pg;
	int store_rc;          /* worst exit code of the stores so far */
	int fatal;             /* the knowledge base failed (locked...): stop reading */
} batch;

/* Messages held before they are threaded and stored: bounds the memory of
 * a large mbox or maildir. Threads that span batches still come together:
 * case numbers and stored Message-IDs find the stored case, and a thread
 * without either gets the same id from its subject in every batch. */
#define MAIL_BATCH 2000

static volatile sig_atomic_t interrupted;
static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* ---- progress (import-progress.h) ---- */

typedef import_progress progress;
static int store_batch(kb_db *db, struct batch *b, int last, import_report *rep, progress *pg);

/* Does status r end the import (the knowledge base is busy or failed, or
 * the configuration is bad) rather than refuse one mail or thread? */
static int fatal_status(int r)
{
	return r == PMKB_EX_TEMPFAIL || r == PMKB_EX_SOFTWARE || r == PMKB_EX_CONFIG;
}

/* Combine exit codes: the first failure is kept (it is the one reported
 * first), success only when both succeeded. */
static int worse(int a, int b)
{
	return a ? a : b;
}

static void msg_warnings(const mt_msg *r, import_report *rep)
{
	if (!r->m.warnings)
		return;
	char *w = xstrdup(r->m.warnings);
	for (char *line = strtok(w, "\n"); line; line = strtok(NULL, "\n")) {
		pmkb_warning("'%s': %s", r->where, line);
		rep->warnings++;
	}
	free(w);
}

static void batch_flush(batch *b, int last);

/* Add a parsed message (taking over m) to the batch; a full batch is
 * stored at once. */
static void batch_add(batch *b, mail_msg *m, char *where)
{
	XGROW(b->v, b->cap, b->n + 1);
	mt_msg *r = &b->v[b->n];
	memset(r, 0, sizeof *r);
	r->m = *m;
	memset(m, 0, sizeof *m);
	r->where = where;
	r->order = b->seq++;
	b->n++;
	if (b->n >= MAIL_BATCH && b->db)
		batch_flush(b, 0);
}

/* Drop the messages (once stored); the batch stays usable. */
static void batch_clear(batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		mt_msg_clear(&b->v[i]);
	b->n = 0;
}

static void batch_free(batch *b)
{
	batch_clear(b);
	free(b->v);
	free(b->single_stem);
	memset(b, 0, sizeof *b);
}

/* Thread and store what the batch holds, then empty it; unless last, a
 * thread still active is kept back for the next batch (store_batch). */
static void batch_flush(batch *b, int last)
{
	int r = store_batch(b->db, b, last, b->rep, b->pg);
	if (fatal_status(r))
		b->fatal = 1;
	b->store_rc = b->store_rc ? b->store_rc : r;
}

/* Parse [start,end) of fd as one message; report a refusal naming it. */
static void read_one(batch *b, int fd, off_t start, off_t end, char *where, int mbox,
		     import_report *rep, progress *pg)
{
	mail_msg m;
	char err[256];
	if (mail_parse_fd(fd, start, end, &m, err, sizeof err) < 0) {
		pmkb_error("cannot read '%s': %s", where, err);
		rep->errors++;
		b->worst = worse(b->worst, PMKB_EX_DATAERR);
		free(where);
		return;
	}
	if (mbox) {
		mbox_unescape(m.body);
		mbox_unescape(m.attached_text);
	}
	import_progress_step(pg, rep->cases, rep->analyses);
	batch_add(b, &m, where);
}

static int open_file(const char *path, int *fd, struct stat *st)
{
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0) {
		pmkb_error("cannot read '%s': %s", path, errno == ENOENT ? "no such file" : strerror(errno));
		return PMKB_EX_NOINPUT;
	}
	if (fstat(*fd, st) < 0 || !S_ISREG(st->st_mode)) {
		pmkb_error("cannot read '%s': not a regular file", path);
		close(*fd);
		return PMKB_EX_NOINPUT;
	}
	return 0;
}

static int read_eml(batch *b, const char *path, import_report *rep, progress *pg)
{
	int fd;
	struct stat st;
	int rc = open_file(path, &fd, &st);
	if (rc)
		return rc;
	read_one(b, fd, 0, -1, xstrdup(path), 0, rep, pg);
	close(fd);
	return 0;
}

static int read_mbox(batch *b, const char *path, import_report *rep, progress *pg)
{
	int fd;
	struct stat st;
	int rc = open_file(path, &fd, &st);
	if (rc)
		return rc;
	if (st.st_size == 0) {
		close(fd);
		pmkb_error("cannot read '%s': empty file", path);
		return PMKB_EX_DATAERR;
	}
	mbox_span *spans;
	size_t n;
	char err[256];
	if (mbox_split_fd(fd, &spans, &n, err, sizeof err) < 0) {
		close(fd);
		pmkb_error("cannot read '%s': %s", path, err);
		return PMKB_EX_DATAERR;
	}
	import_progress_total(pg, (long)n);
	for (size_t i = 0; i < n && !interrupted && !b->fatal; i++) {
		read_one(b, fd, spans[i].start, spans[i].end,
			 xasprintf("%s line %ld", path, spans[i].line), 1, rep, pg);
	}
	free(spans);
	close(fd);
	return 0;
}

/* One file of a maildir: its folder (cur/ or new/) and where its name
 * starts in the listing's one buffer of names. */
typedef struct md_file {
	const char *sub;
	size_t name;
} md_file;

/* The length of a maildir file name without its info part (":2,S"). */
static size_t md_base_len(const char *name)
{
	const char *colon = strchr(name, ':');
	return colon ? (size_t)(colon - name) : strlen(name);
}

/* Delivery order: a maildir file name starts with its delivery time, and a
 * mail moved from new/ to cur/ keeps its name but gains ":2,FLAGS"; so the
 * names without that part, compared, put cur/ and new/ in one order, and
 * the unread mails of a thread come next to the ones already read. arg is
 * the buffer of names. */
static int cmp_md_file(const void *a, const void *b, void *arg)
{
	const md_file *x = a, *y = b;
	const char *names = arg, *xn = names + x->name, *yn = names + y->name;
	size_t lx = md_base_len(xn), ly = md_base_len(yn);
	int c = memcmp(xn, yn, lx < ly ? lx : ly);
	if (c)
		return c;
	if (lx != ly)
		return lx < ly ? -1 : 1;
	c = strcmp(x->sub, y->sub);
	return c ? c : strcmp(xn, yn);
}

/* Every mail of cur/ and new/, in delivery order (cmp_md_file), so that a
 * thread's mails are read close together and stored as one case once. The
 * names are kept in one buffer, freed at the end: a name allocated each
 * and freed as its mail is read left, at 857,505 mails, a heap of small
 * free chunks among live ones that made every later allocation of the
 * import slower (docs/benchmarks.md, "Mail import, fifth pass"). */
static int read_maildir(batch *b, const char *path, import_report *rep, progress *pg)
{
	static const char *const subs[] = {"cur", "new"};
	md_file *files = NULL;
	size_t n = 0, cap = 0;
	sbuf names = {0};
	for (size_t s = 0; s < 2; s++) {
		char *dir = xasprintf("%s/%s", path, subs[s]);
		DIR *d = opendir(dir);
		if (!d) {
			pmkb_error("cannot read '%s': %s", dir, strerror(errno));
			free(dir);
			sb_free(&names);
			free(files);
			return PMKB_EX_NOINPUT;
		}
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			XGROW(files, cap, n + 1);
			files[n].sub = subs[s];
			files[n].name = names.len;
			sb_add(&names, e->d_name, strlen(e->d_name) + 1);
			n++;
		}
		closedir(d);
		free(dir);
	}
	if (n)
		qsort_r(files, n, sizeof *files, cmp_md_file, names.buf);
	import_progress_total(pg, pg->total + (long)n);
	for (size_t i = 0; i < n && !interrupted && !b->fatal; i++) {
		char *file = xasprintf("%s/%s/%s", path, files[i].sub, names.buf + files[i].name);
		int fd = open(file, O_RDONLY | O_CLOEXEC);
		struct stat st;
		if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
			pmkb_error("cannot read '%s': not a regular file", file);
			rep->errors++;
			b->worst = worse(b->worst, PMKB_EX_DATAERR);
			if (fd >= 0)
				close(fd);
			free(file);
			continue;
		}
		read_one(b, fd, 0, -1, file, 0, rep, pg);
		close(fd);
	}
	sb_free(&names);
	free(files);
	return 0;
}

/* ---- threading ---- */

/* Build (or extend) the case of one thread (mail-thread.c) and store it. */
static int store_thread(kb_db *db, batch *b, const mt_thread *t, import_report *rep, progress *pg)
{
	pm_case *c = NULL;
	kb_status st = kb_get_case(db, t->key, &c);
	if (st != KB_OK && st != KB_NOT_FOUND)
		return cli_kb_fail(db, st, "cannot read the stored case");
	if (st == KB_NOT_FOUND)
		c = NULL;
	size_t old_analyses = c ? c->nanalyses : 0, old_notes = c ? c->nnotes : 0;
	int old_redactions = c ? c->redactions : 0;
	mt_added ad;
	mail_thread_case(&c, t, b->source, b->format, &ad);
	if (ad.warnings) {
		char *save = NULL;
		for (char *line = strtok_r(ad.warnings, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			pmkb_warning("%s", line);
			rep->warnings++;
		}
		free(ad.warnings);
	}
	rep->attachments += ad.attachments;
	if (!ad.messages) {
		pm_case_free(c);
		return 0;
	}
	/* cli_store_case counts the whole case; the report counts what is new */
	long msgs = rep->messages;
	int rc = cli_store_case(db, c, rep);
	if (rc == 0) {
		rep->messages = msgs + (long)ad.messages;
		rep->analyses -= (long)old_analyses;
		rep->notes -= (long)old_notes;
		rep->redactions -= old_redactions;
	}
	import_progress_count(pg, rep->cases, rep->analyses);
	return rc;
}

/* mt_lookup: the stored case of a Message-ID */
static char *stored_case_of(void *ctx, const char *message_id)
{
	char *id = NULL;
	if (kb_case_by_message_id(ctx, message_id, &id) != KB_OK) {
		free(id);
		return NULL;
	}
	return id;
}

/* A full batch keeps back the threads still active: those with a mail
 * among the last CARRY_RECENT read, up to CARRY_MAX mails in all. They are
 * threaded again with the next batch, so a thread whose mails straddle two
 * batches (mail is read in delivery order, and a thread's mails come over
 * days) is built and stored once instead of twice. The bound keeps the
 * memory of a batch what it was: carried mails count in the next one. */
#define CARRY_RECENT (MAIL_BATCH / 4)
#define CARRY_MAX (MAIL_BATCH / 2)

static int thread_active(const batch *b, const mt_thread *t)
{
	for (size_t k = 0; k < t->n; k++)
		if (t->msgs[k]->order >= b->seq - CARRY_RECENT)
			return 1;
	return 0;
}

/* Thread the batch (mail-thread.c) and store every case, one commit each;
 * unless last, keep the active threads (above) in the batch and drop the
 * rest. */
static int store_batch(kb_db *db, batch *b, int last, import_report *rep, progress *pg)
{
	if (!b->n)
		return 0;
	mt_lookup lookup = {db ? stored_case_of : NULL, db};
	mt_threads th;
	mail_thread(b->v, b->n, b->single_stem, &lookup, &th);
	unsigned char *keep = xcalloc(b->n, 1);
	size_t carried = 0;
	int rc = 0;
	for (size_t i = 0; i < th.n && !interrupted; i++) {
		mt_thread *t = &th.v[i];
		if (!last && carried + t->n <= CARRY_MAX && thread_active(b, t)) {
			for (size_t k = 0; k < t->n; k++)
				keep[t->msgs[k] - b->v] = 1;
			carried += t->n;
			continue;
		}
		for (size_t k = 0; k < t->n; k++)
			msg_warnings(t->msgs[k], rep);
		int r = store_thread(db, b, t, rep, pg);
		if (fatal_status(r)) {
			rc = r;
			break;
		}
		rc = worse(rc, r);
	}
	mt_threads_free(&th);
	/* the kept mails move to the front, to be threaded afresh */
	size_t n = 0;
	for (size_t i = 0; i < b->n; i++) {
		mt_msg *r = &b->v[i];
		if (!keep[i] || fatal_status(rc) || interrupted) {
			mt_msg_clear(r);
			continue;
		}
		free(r->case_no);
		free(r->norm);
		r->case_no = r->norm = NULL;
		r->key = NULL;
		b->v[n++] = *r;
	}
	b->n = n;
	free(keep);
	return rc;
}

/* ---- IMAP ---- */

/* The URL as it may be shown: a password in it becomes "***". */
static char *mask_password(const char *url)
{
	const char *scheme = strstr(url, "://");
	const char *start = scheme ? scheme + 3 : url;
	const char *slash = strchr(start, '/');
	const char *at = NULL;
	for (const char *p = start; *p && (!slash || p < slash); p++)
		if (*p == '@')
			at = p;
	const char *colon = at ? memchr(start, ':', (size_t)(at - start)) : NULL;
	if (!colon)
		return xstrdup(url);
	return xasprintf("%.*s***%s", (int)(colon + 1 - url), url, at);
}

static int import_imap(kb_db *db, batch *b, const char *url, const char *search,
		       import_report *rep, progress *pg)
{
	char err[512];
	pm_status ist = PM_OK;
	imap_conn *ic;
	if (imap_open(url, &ic, err, sizeof err, &ist) < 0) {
		char *shown = mask_password(url);
		pmkb_error("cannot read '%s': %s", shown, err);
		free(shown);
		if (ist == PM_USAGE && strstr(err, "password"))
			pmkb_hint("put the password in $PMKB_IMAP_PASSWORD or a netrc file ($PMKB_NETRC or ~/.netrc), never in the URL");
		return cli_exit_of(ist);
	}
	unsigned long uidvalidity = 0, uidnext = 0;
	if (imap_status(ic, &uidvalidity, &uidnext, err, sizeof err, &ist) < 0) {
		pmkb_error("cannot read '%s': %s", imap_state_key(ic), err);
		if (imap_hint(ic))
			pmkb_hint("%s", imap_hint(ic));
		imap_close(ic);
		return cli_exit_of(ist);
	}
	char *skey = search && *search ? xasprintf("imap:%s search:%s", imap_state_key(ic), search)
				       : xasprintf("imap:%s", imap_state_key(ic));
	unsigned long last = 0, oldvalidity = 0;
	char *state = NULL;
	if (kb_state_get(db, skey, &state) == KB_OK && state) {
		if (sscanf(state, "%lu %lu", &oldvalidity, &last) != 2)
			oldvalidity = last = 0;
	}
	free(state);
	if (oldvalidity && oldvalidity != uidvalidity) {
		pmkb_warning("'%s': UIDVALIDITY changed (%lu, was %lu): reading the whole mailbox again",
			     imap_state_key(ic), uidvalidity, oldvalidity);
		last = 0;
	}
	unsigned long *uids = NULL;
	size_t n = 0;
	if (imap_search(ic, last + 1, search, &uids, &n, err, sizeof err, &ist) < 0) {
		pmkb_error("cannot read '%s': %s", imap_state_key(ic), err);
		if (imap_hint(ic))
			pmkb_hint("%s", imap_hint(ic));
		imap_close(ic);
		free(skey);
		return cli_exit_of(ist);
	}
	import_progress_total(pg, (long)n);
	/* which of them are unread now: they are made unread again after */
	unsigned long *unseen = NULL;
	size_t nunseen = 0;
	if (n) {
		char *crit = xasprintf("UNSEEN%s%s", search && *search ? " " : "", search ? search : "");
		if (imap_search(ic, last + 1, crit, &unseen, &nunseen, err, sizeof err, &ist) < 0)
			nunseen = 0;
		free(crit);
	}
	int rc = 0;
	unsigned long upto = last; /* every UID up to this one is read */
	for (size_t i = 0; i < n && !interrupted && !b->fatal; i++) {
		if (uids[i] <= last)
			continue;
		char *buf = NULL;
		size_t len = 0;
		char *where = xasprintf("%s UID %lu", imap_state_key(ic), uids[i]);
		if (imap_fetch(ic, uids[i], IMAP_MESSAGE_MAX, &buf, &len, err, sizeof err, &ist) < 0) {
			pmkb_error("cannot read '%s': %s", where, err);
			free(where);
			rep->errors++;
			if (ist == PM_BAD_DATA || ist == PM_TOO_BIG) {
				/* this message is bad, the connection is fine: go on */
				rc = worse(rc, cli_exit_of(ist));
				upto = uids[i];
				continue;
			}
			rc = cli_exit_of(ist);
			break; /* connection gone: keep what we have */
		}
		mail_msg m;
		if (mail_parse_mem(buf, len, &m, err, sizeof err) < 0) {
			pmkb_error("cannot read '%s': %s", where, err);
			free(where);
			rep->errors++;
			rc = worse(rc, PMKB_EX_DATAERR);
		} else {
			import_progress_step(pg, rep->cases, rep->analyses);
			batch_add(b, &m, where);
		}
		free(buf);
		upto = uids[i];
	}
	free(uids);
	/* leave the mailbox as it was: fetched mail that was unread is unread */
	size_t k = 0;
	for (size_t i = 0; i < nunseen; i++)
		if (unseen[i] <= upto)
			unseen[k++] = unseen[i];
	if (k && imap_unsee(ic, unseen, k, err, sizeof err, &ist) < 0) {
		pmkb_warning("'%s': cannot mark the fetched mail unread again: %s", imap_state_key(ic), err);
		rep->warnings++;
	}
	free(unseen);
	imap_close(ic);
	batch_flush(b, 1);
	int src = b->store_rc;
	if (b->fatal || interrupted) {
		free(skey);
		return src ? src : rc;
	}
	/* remember where we are only once the cases are stored */
	char val[64];
	snprintf(val, sizeof val, "%lu %lu", uidvalidity, upto);
	kb_status st = kb_state_set(db, skey, val);
	free(skey);
	if (st != KB_OK)
		return cli_kb_fail(db, st, "cannot save the IMAP position");
	return worse(rc, src);
}

/* ---- entry points ---- */

const char *import_mail_detect(const char *path)
{
	if (str_istarts(path, "imap://") || str_istarts(path, "imaps://"))
		return "imap";
	struct stat st;
	if (stat(path, &st) < 0)
		return NULL;
	if (S_ISDIR(st.st_mode)) {
		char *cur = xasprintf("%s/cur", path), *new = xasprintf("%s/new", path);
		struct stat a, c;
		int ok = stat(cur, &a) == 0 && S_ISDIR(a.st_mode) && stat(new, &c) == 0 &&
			 S_ISDIR(c.st_mode);
		free(cur);
		free(new);
		return ok ? "maildir" : NULL;
	}
	if (!S_ISREG(st.st_mode))
		return NULL;
	size_t l = strlen(path);
	if (l > 4 && !strcasecmp(path + l - 4, ".eml"))
		return "eml";
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char head[1024];
	size_t n = fread(head, 1, sizeof head, f);
	fclose(f);
	if (mbox_looks_like(head, n))
		return "mbox";
	if (l > 5 && !strcasecmp(path + l - 5, ".mbox"))
		return "mbox";
	return NULL;
}

int import_mail(kb_db *db, const char *source, const char *format, const char *search,
		import_report *rep, import_progress *pg)
{
	mail_init();
	if (!format)
		format = import_mail_detect(source);
	if (!format) {
		pmkb_error("cannot read '%s': not an .eml file, an mbox, a maildir or an IMAP URL", source);
		return access(source, F_OK) ? PMKB_EX_NOINPUT : PMKB_EX_DATAERR;
	}
	struct sigaction sa = {0}, old;
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, &old);
	interrupted = 0;
	/* an .eml is one file to the progress line; other sources count
	 * their messages */
	int counts_messages = strcmp(format, "eml") != 0;
	if (counts_messages)
		import_progress_mail(pg);
	batch b = {.format = format, .source = source, .db = db, .rep = rep, .pg = pg};
	int rc;
	if (!strcmp(format, "imap")) {
		rc = import_imap(db, &b, source, search, rep, pg);
	} else {
		if (!strcmp(format, "eml")) {
			b.single_stem = path_stem(source);
			rc = read_eml(&b, source, rep, pg);
		} else if (!strcmp(format, "mbox")) {
			rc = read_mbox(&b, source, rep, pg);
		} else if (!strcmp(format, "maildir")) {
			rc = read_maildir(&b, source, rep, pg);
		} else {
			pmkb_error("cannot read '%s': unknown mail format '%s'", source, format);
			rc = PMKB_EX_USAGE;
		}
		if (!rc) {
			batch_flush(&b, 1);
			rc = b.fatal ? b.store_rc : worse(b.worst, b.store_rc);
		}
	}
	if (counts_messages)
		import_progress_mail_end(pg, rep->cases, rep->analyses);
	sigaction(SIGINT, &old, NULL);
	batch_free(&b);
	if (interrupted) {
		/* the caller's handler reports what is kept */
		raise(SIGINT);
		rc = 130;
	}
	return rc;
}
