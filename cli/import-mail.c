/* import-mail.c - pmkb import of mail: .eml files, mbox files, maildir
 * folders and IMAP mailboxes. Reads every message (import/mail.c), threads
 * the messages into cases (case number in the subject, else References /
 * In-Reply-To, else the normalised subject), merges them with the cases
 * already stored and stores each case through cli_store_case. Rules in
 * docs/mail-import.md.
 */
#define _GNU_SOURCE
#include "cli.h"
#include "../import/mail-reader.h"
#include "../import/readers.h"

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

/* The line mail.c puts before the text of each attachment. */
#define ATTACHMENT_MARK "[attachment: "

/* Messages larger than this are refused when fetched over IMAP (files are
 * parsed in place and need no such bound). */
#define IMAP_MESSAGE_MAX ((size_t)64 << 20)

/* One message read, waiting to be threaded. */
typedef struct rec {
	mail_msg m;
	char *where;    /* "a.eml", "box.mbox line 120", "UID 7": for messages */
	char *case_no;  /* case number from the subject, or NULL */
	char *norm;     /* normalised subject, or NULL */
	const char *key;/* case id it goes to (owned by the keys table) */
	long order;
	unsigned long uid;
} rec;

typedef struct batch {
	rec *v;
	size_t n, cap;
	int worst;             /* worst exit code so far */
	const char *format;
	const char *source;
	char *single_stem;     /* a lone .eml: its stem is the id of a thread without number */
	/* where a full batch goes (see batch_add) */
	kb_db *db;
	import_report *rep;
	struct progress *pg;
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

/* ---- progress ---- */

struct progress;
static int store_batch(kb_db *db, struct batch *b, import_report *rep, struct progress *pg);

typedef struct progress {
	int tty;
	time_t start, last;
	long messages;
	long cases;
} progress;

static void progress_tick(progress *p, int force)
{
	if (!p->tty)
		return;
	time_t now = time(NULL);
	if (!force && now == p->last)
		return;
	p->last = now;
	double secs = difftime(now, p->start);
	fprintf(stderr, "\rpmkb: import: %ld messages (%.0f/s), %ld cases", p->messages,
		secs > 0 ? p->messages / secs : (double)p->messages, p->cases);
	if (force)
		fputc('\n', stderr);
	fflush(stderr);
}

/* Combine exit codes: the first failure is kept (it is the one reported
 * first), success only when both succeeded. */
static int worse(int a, int b)
{
	return a ? a : b;
}

static void msg_warnings(const rec *r, import_report *rep)
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

static void batch_flush(batch *b);

/* Add a parsed message (taking over m) to the batch; a full batch is
 * stored at once. */
static void batch_add(batch *b, mail_msg *m, char *where, unsigned long uid)
{
	XGROW(b->v, b->cap, b->n + 1);
	rec *r = &b->v[b->n];
	memset(r, 0, sizeof *r);
	r->m = *m;
	memset(m, 0, sizeof *m);
	r->where = where;
	r->order = (long)b->n;
	r->uid = uid;
	b->n++;
	if (b->n >= MAIL_BATCH && b->db)
		batch_flush(b);
}

/* Drop the messages (once stored); the batch stays usable. */
static void batch_clear(batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		mail_msg_clear(&b->v[i].m);
		free(b->v[i].where);
		free(b->v[i].case_no);
		free(b->v[i].norm);
	}
	b->n = 0;
}

static void batch_free(batch *b)
{
	batch_clear(b);
	free(b->v);
	free(b->single_stem);
	memset(b, 0, sizeof *b);
}

/* Thread and store what the batch holds, then empty it. */
static void batch_flush(batch *b)
{
	int r = store_batch(b->db, b, b->rep, b->pg);
	if (r == PMKB_EX_TEMPFAIL || r == PMKB_EX_SOFTWARE || r == PMKB_EX_CONFIG)
		b->fatal = 1;
	b->store_rc = b->store_rc ? b->store_rc : r;
	batch_clear(b);
}

/* Parse [start,end) of fd as one message; report a refusal naming it. */
static void read_one(batch *b, int fd, off_t start, off_t end, char *where, import_report *rep,
		     progress *pg)
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
	pg->messages++;
	progress_tick(pg, 0);
	batch_add(b, &m, where, 0);
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
	read_one(b, fd, 0, -1, xstrdup(path), rep, pg);
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
	for (size_t i = 0; i < n && !interrupted && !b->fatal; i++) {
		size_t before = b->n;
		read_one(b, fd, spans[i].start, spans[i].end,
			 xasprintf("%s line %ld", path, spans[i].line), rep, pg);
		if (b->n > before) {
			mbox_unescape(b->v[b->n - 1].m.body);
			mbox_unescape(b->v[b->n - 1].m.attached_text);
		}
	}
	free(spans);
	close(fd);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int read_maildir(batch *b, const char *path, import_report *rep, progress *pg)
{
	static const char *const subs[] = {"cur", "new"};
	for (size_t s = 0; s < 2 && !interrupted; s++) {
		char *dir = xasprintf("%s/%s", path, subs[s]);
		DIR *d = opendir(dir);
		if (!d) {
			pmkb_error("cannot read '%s': %s", dir, strerror(errno));
			free(dir);
			return PMKB_EX_NOINPUT;
		}
		char **names = NULL;
		size_t n = 0, cap = 0;
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			XGROW(names, cap, n + 1);
			names[n++] = xstrdup(e->d_name);
		}
		closedir(d);
		if (n)
			qsort(names, n, sizeof *names, cmp_str);
		for (size_t i = 0; i < n; i++) {
			char *file = xasprintf("%s/%s", dir, names[i]);
			free(names[i]);
			if (interrupted || b->fatal) {
				free(file);
				continue;
			}
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
			read_one(b, fd, 0, -1, file, rep, pg);
			close(fd);
		}
		free(names);
		free(dir);
	}
	return 0;
}

/* ---- threading ---- */

/* Subject without reply/forward prefixes, bracketed tags and white space:
 * the last resort for putting a message into a thread. */
static char *normalise_subject(const char *s)
{
	if (!s)
		return NULL;
	static const char *const prefixes[] = {"re:", "re：", "fw:", "fw：", "fwd:", "fwd：",
		"回复:", "回复：", "答复:", "答复：", "转发:", "转发：", "aw:", "sv:", NULL};
	const char *p = s;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		int hit = 0;
		for (int k = 0; prefixes[k]; k++)
			if (str_istarts(p, prefixes[k])) {
				p += strlen(prefixes[k]);
				hit = 1;
			}
		/* 【外来邮件，注意核实】 and [tags] */
		if (str_starts(p, "【")) {
			const char *e = strstr(p, "】");
			if (e) {
				p = e + strlen("】");
				hit = 1;
			}
		}
		if (!hit)
			break;
	}
	sbuf sb = {0};
	sb_add(&sb, "", 0);
	for (; *p; p++)
		if (*p != ' ' && *p != '\t')
			sb_addc(&sb, (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
	if (!sb.len) {
		sb_free(&sb);
		return NULL;
	}
	return sb_detach(&sb);
}

static int rec_cmp(const void *a, const void *b)
{
	const rec *x = a, *y = b;
	const char *dx = x->m.date ? x->m.date : "", *dy = y->m.date ? y->m.date : "";
	int c = strcmp(dx, dy);
	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static const char *intern(GHashTable *keys, const char *k)
{
	char *v = g_hash_table_lookup(keys, k);
	if (!v) {
		v = g_strdup(k);
		g_hash_table_insert(keys, v, v);
	}
	return v;
}

/* Give each message its case id. */
static void assign_keys(kb_db *db, batch *b, GHashTable *keys)
{
	GHashTable *by_mid = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTable *by_subj = g_hash_table_new(g_str_hash, g_str_equal);
	for (size_t i = 0; i < b->n; i++) {
		rec *r = &b->v[i];
		if (r->m.subject) {
			pm_case *t = pm_case_new();
			thread_parse_subject(r->m.subject, t);
			if (t->id && *t->id)
				r->case_no = xstrdup(t->id);
			r->norm = normalise_subject(t->title && *t->title ? t->title : r->m.subject);
			pm_case_free(t);
		}
	}
	qsort(b->v, b->n, sizeof *b->v, rec_cmp);
	for (size_t i = 0; i < b->n; i++) {
		rec *r = &b->v[i];
		if (!r->case_no)
			continue;
		r->key = intern(keys, r->case_no);
		if (r->m.message_id)
			g_hash_table_insert(by_mid, r->m.message_id, (gpointer)r->key);
		if (r->norm && !g_hash_table_contains(by_subj, r->norm))
			g_hash_table_insert(by_subj, r->norm, (gpointer)r->key);
	}
	for (size_t i = 0; i < b->n; i++) {
		rec *r = &b->v[i];
		if (r->key)
			continue;
		/* References newest first, then In-Reply-To */
		const char *key = NULL;
		if (r->m.in_reply_to)
			key = g_hash_table_lookup(by_mid, r->m.in_reply_to);
		for (size_t k = r->m.nrefs; !key && k-- > 0;)
			key = g_hash_table_lookup(by_mid, r->m.refs[k]);
		if (!key && db) {
			const char *cand[2] = {r->m.in_reply_to, r->m.nrefs ? r->m.refs[r->m.nrefs - 1] : NULL};
			for (int k = 0; k < 2 && !key; k++) {
				char *id = NULL;
				if (cand[k] && kb_case_by_message_id(db, cand[k], &id) == KB_OK && id)
					key = intern(keys, id);
				free(id);
			}
		}
		if (!key && r->norm)
			key = g_hash_table_lookup(by_subj, r->norm);
		if (!key) {
			if (b->single_stem)
				key = intern(keys, b->single_stem);
			else {
				/* a stable id from what starts the thread */
				const char *basis = r->norm ? r->norm :
						    r->m.message_id ? r->m.message_id : r->where;
				char hex[17];
				hash_hex(fnv1a64(basis, strlen(basis)), hex);
				char id[32];
				snprintf(id, sizeof id, "mail-%.12s", hex);
				key = intern(keys, id);
			}
		}
		r->key = key;
		if (r->m.message_id)
			g_hash_table_insert(by_mid, r->m.message_id, (gpointer)key);
		if (r->norm && !g_hash_table_contains(by_subj, r->norm))
			g_hash_table_insert(by_subj, r->norm, (gpointer)key);
	}
	g_hash_table_destroy(by_mid);
	g_hash_table_destroy(by_subj);
}

/* Is stored message a the mail m (whose stored body would be body)? By
 * Message-ID when both have one; else by sender and date (the export
 * format has no Message-ID); a mail with neither date nor Message-ID by
 * sender and body, so that importing it twice stores it once. */
static int same_message(const pm_message *a, const mail_msg *m, const char *body)
{
	if (a->message_id && m->message_id)
		return !strcmp(a->message_id, m->message_id);
	if (!a->sender != !m->sender)
		return 0;
	if (a->sender && strcmp(a->sender, m->sender)) {
		/* stored senders are redacted (redact_case) */
		char *r = redact_sender_field(m->sender);
		int eq = !strcmp(a->sender, r);
		free(r);
		if (!eq)
			return 0;
	}
	if (a->sent && m->date)
		return !strcmp(a->sent, m->date);
	if (!a->sent && !m->date)
		return a->body && body && !strcmp(a->body, body);
	return 0;
}

/* The stored messages in date order with their notes extracted again: the
 * indices of notes, dump analyses and attachments follow the new order. */
static void renumber(pm_case *c)
{
	size_t n = c->nmessages;
	size_t *idx = xmalloc((n ? n : 1) * sizeof *idx);
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	/* stable insertion sort by date (threads are short) */
	for (size_t i = 1; i < n; i++) {
		size_t v = idx[i], j = i;
		const char *dv = c->messages[v].sent ? c->messages[v].sent : "";
		while (j > 0) {
			const char *dp = c->messages[idx[j - 1]].sent ? c->messages[idx[j - 1]].sent : "";
			if (strcmp(dp, dv) <= 0)
				break;
			idx[j] = idx[j - 1];
			j--;
		}
		idx[j] = v;
	}
	pm_message *msgs = xmalloc((n ? n : 1) * sizeof *msgs);
	int *newpos = xmalloc((n ? n : 1) * sizeof *newpos);
	for (size_t i = 0; i < n; i++) {
		msgs[i] = c->messages[idx[i]];
		newpos[idx[i]] = (int)i;
	}
	memcpy(c->messages, msgs, n * sizeof *msgs);
	free(msgs);
	/* notes and text analyses come again from the bodies; dump analyses
	 * and attachment records keep their message, renumbered */
	for (size_t i = 0; i < c->nnotes; i++) {
		free(c->notes[i].kind);
		free(c->notes[i].text);
	}
	c->nnotes = 0;
	size_t keep = 0;
	for (size_t i = 0; i < c->nanalyses; i++) {
		pm_analysis *a = &c->analyses[i];
		if (a->source && !strcmp(a->source, "dmp")) {
			if (a->message >= 0 && (size_t)a->message < n)
				a->message = newpos[a->message];
			if (keep != i)
				c->analyses[keep] = *a, memset(a, 0, sizeof *a);
			keep++;
		} else
			pm_analysis_clear(a);
	}
	c->nanalyses = keep;
	for (size_t i = 0; i < c->nattachments; i++)
		if (c->attachments[i].message >= 0 && (size_t)c->attachments[i].message < n)
			c->attachments[i].message = newpos[c->attachments[i].message];
	/* notes come from what the engineer wrote, not from attachments (a
	 * WinDbg log is read for analyses only) */
	for (size_t i = 0; i < n; i++) {
		const char *body = c->messages[i].body;
		if (!body)
			continue;
		const char *att = str_starts(body, ATTACHMENT_MARK) ? body : strstr(body, "\n" ATTACHMENT_MARK);
		if (att) {
			char *own = xstrndup(body, (size_t)(att - body));
			thread_extract_notes(c, (int)i, own);
			free(own);
		} else
			thread_extract_notes(c, (int)i, body);
	}
	free(idx);
	free(newpos);
}

/* The body stored for a message: quotes cut, attachment text after it,
 * redacted. */
static char *stored_body(const mail_msg *m, int *redactions)
{
	const char *b = m->body ? m->body : "";
	while (*b == '\n' || *b == '\r')
		b++;
	char *cut = mail_cut_quotes(b);
	if (m->attached_text) {
		char *t = xasprintf("%s%s%s", cut, *cut ? "\n\n" : "", m->attached_text);
		free(cut);
		cut = t;
	}
	int n = 0;
	char *red = redact_text(cut, &n);
	free(cut);
	*redactions += n;
	return red;
}

/* The customer from the senders' mail domains when the subject names
 * none: the export reader's rule, reached through its public entry point
 * with a one-message export so both readers agree. */
static void customer_from_senders(pm_case *c, rec **rs, size_t nrs)
{
	for (size_t i = 0; i < nrs + c->nmessages && !c->customer; i++) {
		const char *who[2] = {NULL, NULL};
		if (i < nrs) {
			who[0] = rs[i]->m.address;
			who[1] = rs[i]->m.sender;
		} else
			who[0] = c->messages[i - nrs].sender;
		for (int k = 0; k < 2 && !c->customer; k++) {
			if (!who[k] || !strchr(who[k], '@') || strchr(who[k], '\n'))
				continue;
			char *text = xasprintf("邮件主题：x\n\n====第1封邮件====\n\n发件人：%s\n"
					       "发送时间：2000-01-01 00:00:00\n邮件内容:\nx\n", who[k]);
			pm_case *t = NULL;
			char err[128];
			if (thread_read("sender", text, strlen(text), &t, err, sizeof err) == 0 && t &&
			    t->customer)
				c->customer = xstrdup(t->customer);
			pm_case_free(t);
			free(text);
		}
	}
}

/* A dump attachment through the dump reader: its analysis joins the case
 * (message idx). Returns 1 when read; a dump that cannot be read stays an
 * attachment record, with a warning naming the message. */
static int read_dump(pm_case *c, int idx, const mail_att *at, const char *where,
		     import_report *rep)
{
	pm_analysis a = {0};
	char *warn = NULL;
	char err[256] = "";
	int ex = 0;
	const char *name = at->filename ? at->filename : "unnamed";
	if (dmp_read_mem(at->data, at->len, &a, &warn, err, sizeof err, &ex) < 0) {
		pmkb_warning("'%s': dump attachment '%s' not read: %s", where, name, err);
		rep->warnings++;
		pm_analysis_clear(&a);
		free(warn);
		return 0;
	}
	if (warn) {
		for (char *line = strtok(warn, "\n"); line; line = strtok(NULL, "\n")) {
			pmkb_warning("'%s': dump attachment '%s': %s", where, name, line);
			rep->warnings++;
		}
		free(warn);
	}
	a.message = idx;
	if (!a.dump_name)
		a.dump_name = xstrdup(name);
	if (!a.source)
		a.source = xstrdup("dmp");
	pm_case_take_analysis(c, &a);
	return 1;
}

/* Build (or extend) and store the case of recs [from, to) (all one key). */
static int store_thread(kb_db *db, batch *b, rec **rs, size_t nrs, import_report *rep,
			progress *pg)
{
	const char *key = rs[0]->key;
	pm_case *c = NULL;
	kb_status st = kb_get_case(db, key, &c);
	if (st != KB_OK && st != KB_NOT_FOUND)
		return cli_kb_fail(db, st, "cannot read the stored case");
	int fresh = st == KB_NOT_FOUND || !c;
	size_t old_analyses = fresh ? 0 : c->nanalyses, old_notes = fresh ? 0 : c->nnotes;
	int old_redactions = fresh ? 0 : c->redactions;
	if (fresh) {
		c = pm_case_new();
		/* the subject that carries the case number tells the most */
		const rec *best = rs[0];
		for (size_t i = 0; i < nrs; i++)
			if (rs[i]->case_no && rs[i]->m.subject) {
				best = rs[i];
				break;
			}
		if (best->m.subject) {
			/* like the export reader: personal data out of the title too */
			char *rs_ = redact_text(best->m.subject, &c->redactions);
			thread_parse_subject(rs_, c);
			free(rs_);
		}
		free(c->id);
		c->id = xstrdup(key);
		c->source = xstrdup(b->source);
		c->format = xstrdup(b->format);
	}
	size_t added = 0;
	for (size_t i = 0; i < nrs; i++) {
		const mail_msg *m = &rs[i]->m;
		int red = 0;
		char *body = stored_body(m, &red);
		int dup = 0;
		for (size_t k = 0; k < c->nmessages && !dup; k++)
			dup = same_message(&c->messages[k], m, body);
		if (dup) {
			free(body);
			continue;
		}
		c->redactions += red;
		int idx = (int)c->nmessages;
		pm_message *pm = pm_case_add_message(c);
		pm->sender = xstrdup(m->sender);
		pm->sent = xstrdup(m->date);
		pm->subject = m->subject ? redact_text(m->subject, &c->redactions) : NULL;
		pm->message_id = xstrdup(m->message_id);
		pm->body = body;
		for (size_t a = 0; a < m->natts; a++) {
			const mail_att *at = &m->atts[a];
			pm_attachment *pa = pm_case_add_attachment(c);
			pa->message = idx;
			pa->filename = xstrdup(at->filename);
			pa->content_type = xstrdup(at->content_type);
			pa->size = at->size;
			if (!at->data || !read_dump(c, idx, at, rs[i]->where, rep))
				rep->attachments++;
		}
		added++;
	}
	if (!added) {
		pm_case_free(c);
		return 0;
	}
	renumber(c);
	if (!c->customer)
		customer_from_senders(c, rs, nrs);
	thread_detect_status(c);
	pm_case_update_dates(c);
	pg->cases++;
	progress_tick(pg, 0);
	/* cli_store_case counts the whole case; the report counts what is new */
	long msgs = rep->messages;
	int rc = cli_store_case(db, c, rep);
	if (rc == 0) {
		rep->messages = msgs + (long)added;
		rep->analyses -= (long)old_analyses;
		rep->notes -= (long)old_notes;
		rep->redactions -= old_redactions;
	}
	return rc;
}

static int pair_cmp(const void *a, const void *b)
{
	const size_t *x = a, *y = b;
	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* Thread the batch and store every case, one commit each. */
static int store_batch(kb_db *db, batch *b, import_report *rep, progress *pg)
{
	if (!b->n)
		return 0;
	GHashTable *keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	assign_keys(db, b, keys);
	/* group by key, in order of each thread's first message (linear:
	 * first position of each key, then a sort on it) */
	GHashTable *first = g_hash_table_new(g_direct_hash, g_direct_equal);
	size_t *pos = xmalloc(b->n * 2 * sizeof *pos);
	for (size_t i = 0; i < b->n; i++) {
		gpointer f;
		if (!g_hash_table_lookup_extended(first, b->v[i].key, NULL, &f)) {
			f = GSIZE_TO_POINTER(i);
			g_hash_table_insert(first, (gpointer)b->v[i].key, f);
		}
		pos[2 * i] = GPOINTER_TO_SIZE(f);
		pos[2 * i + 1] = i;
	}
	g_hash_table_destroy(first);
	qsort(pos, b->n, 2 * sizeof *pos, pair_cmp);
	rec **rs = xmalloc(b->n * sizeof *rs);
	int rc = 0;
	for (size_t i = 0; i < b->n && !interrupted;) {
		size_t nrs = 0;
		size_t group = pos[2 * i];
		while (i < b->n && pos[2 * i] == group)
			rs[nrs++] = &b->v[pos[2 * i++ + 1]];
		for (size_t k = 0; k < nrs; k++)
			msg_warnings(rs[k], rep);
		int r = store_thread(db, b, rs, nrs, rep, pg);
		if (r == PMKB_EX_TEMPFAIL || r == PMKB_EX_SOFTWARE || r == PMKB_EX_CONFIG) {
			rc = r;
			break;
		}
		rc = worse(rc, r);
	}
	free(rs);
	free(pos);
	g_hash_table_destroy(keys);
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
	int ex = 0;
	imap_conn *ic;
	if (imap_open(url, &ic, err, sizeof err, &ex) < 0) {
		char *shown = mask_password(url);
		pmkb_error("cannot read '%s': %s", shown, err);
		free(shown);
		if (ex == PMKB_EX_USAGE && strstr(err, "password"))
			pmkb_hint("put the password in $PMKB_IMAP_PASSWORD or a netrc file ($PMKB_NETRC or ~/.netrc), never in the URL");
		return ex;
	}
	unsigned long uidvalidity = 0, uidnext = 0;
	if (imap_status(ic, &uidvalidity, &uidnext, err, sizeof err, &ex) < 0) {
		pmkb_error("cannot read '%s': %s", imap_state_key(ic), err);
		if (imap_hint(ic))
			pmkb_hint("%s", imap_hint(ic));
		imap_close(ic);
		return ex;
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
	if (imap_search(ic, last + 1, search, &uids, &n, err, sizeof err, &ex) < 0) {
		pmkb_error("cannot read '%s': %s", imap_state_key(ic), err);
		if (imap_hint(ic))
			pmkb_hint("%s", imap_hint(ic));
		imap_close(ic);
		free(skey);
		return ex;
	}
	/* which of them are unread now: they are made unread again after */
	unsigned long *unseen = NULL;
	size_t nunseen = 0;
	if (n) {
		char *crit = xasprintf("UNSEEN%s%s", search && *search ? " " : "", search ? search : "");
		if (imap_search(ic, last + 1, crit, &unseen, &nunseen, err, sizeof err, &ex) < 0)
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
		if (imap_fetch(ic, uids[i], IMAP_MESSAGE_MAX, &buf, &len, err, sizeof err, &ex) < 0) {
			pmkb_error("cannot read '%s': %s", where, err);
			free(where);
			rep->errors++;
			if (ex == PMKB_EX_DATAERR) {
				/* this message is bad, the connection is fine: go on */
				rc = worse(rc, ex);
				upto = uids[i];
				continue;
			}
			rc = ex;
			break; /* connection gone: keep what we have */
		}
		mail_msg m;
		if (mail_parse_mem(buf, len, &m, err, sizeof err) < 0) {
			pmkb_error("cannot read '%s': %s", where, err);
			free(where);
			rep->errors++;
			rc = worse(rc, PMKB_EX_DATAERR);
		} else {
			pg->messages++;
			progress_tick(pg, 0);
			batch_add(b, &m, where, uids[i]);
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
	if (k && imap_unsee(ic, unseen, k, err, sizeof err, &ex) < 0) {
		pmkb_warning("'%s': cannot mark the fetched mail unread again: %s", imap_state_key(ic), err);
		rep->warnings++;
	}
	free(unseen);
	imap_close(ic);
	batch_flush(b);
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
		import_report *rep)
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
	progress pg = {.tty = isatty(2), .start = time(NULL)};
	batch b = {.format = format, .source = source, .db = db, .rep = rep, .pg = &pg};
	int rc;
	if (!strcmp(format, "imap")) {
		rc = import_imap(db, &b, source, search, rep, &pg);
	} else {
		if (!strcmp(format, "eml")) {
			b.single_stem = path_stem(source);
			rc = read_eml(&b, source, rep, &pg);
		} else if (!strcmp(format, "mbox")) {
			rc = read_mbox(&b, source, rep, &pg);
		} else if (!strcmp(format, "maildir")) {
			rc = read_maildir(&b, source, rep, &pg);
		} else {
			pmkb_error("cannot read '%s': unknown mail format '%s'", source, format);
			rc = PMKB_EX_USAGE;
		}
		if (!rc) {
			batch_flush(&b);
			rc = b.fatal ? b.store_rc : worse(b.worst, b.store_rc);
		}
	}
	progress_tick(&pg, 1);
	sigaction(SIGINT, &old, NULL);
	batch_free(&b);
	if (interrupted) {
		/* the caller's handler reports what is kept */
		raise(SIGINT);
		rc = 130;
	}
	return rc;
}
