/* mail-thread.c - mail messages into case threads (see mail-thread.h):
 * the threading of a batch, the duplicate test, the renumbering of a
 * case that gained messages and the customer from the senders. */
#include "mail-thread.h"
#include "mail-quote.h"
#include "readers.h"
#include "../util/util.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The line mail.c puts before the text of each attachment. */
#define ATTACHMENT_MARK "[attachment: "

void mt_msg_clear(mt_msg *r)
{
	mail_msg_clear(&r->m);
	free(r->where);
	free(r->case_no);
	free(r->norm);
	r->where = r->case_no = r->norm = NULL;
	r->key = NULL;
}

char *mail_normalise_subject(const char *s)
{
	if (!s)
		return NULL;
	const char *p = s, *end = s + strlen(s);
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		int hit = 0;
		size_t n;
		while ((n = mq_prefix(p, end, NULL)) != 0) { /* mail-quote.c */
			p += n;
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

static int msg_cmp(const void *a, const void *b)
{
	const mt_msg *x = a, *y = b;
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

/* Give each message its case id (msgs sorted by date first). */
static void assign_keys(mt_msg *v, size_t n, const char *single_stem, const mt_lookup *lk,
			GHashTable *keys)
{
	GHashTable *by_mid = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTable *by_subj = g_hash_table_new(g_str_hash, g_str_equal);
	for (size_t i = 0; i < n; i++) {
		mt_msg *r = &v[i];
		if (r->m.subject) {
			pm_case *t = pm_case_new();
			thread_parse_subject(r->m.subject, t);
			if (t->id && *t->id)
				r->case_no = xstrdup(t->id);
			r->norm = mail_normalise_subject(t->title && *t->title ? t->title : r->m.subject);
			pm_case_free(t);
		}
	}
	qsort(v, n, sizeof *v, msg_cmp);
	for (size_t i = 0; i < n; i++) {
		mt_msg *r = &v[i];
		if (!r->case_no)
			continue;
		r->key = intern(keys, r->case_no);
		if (r->m.message_id)
			g_hash_table_insert(by_mid, r->m.message_id, (gpointer)r->key);
		if (r->norm && !g_hash_table_contains(by_subj, r->norm))
			g_hash_table_insert(by_subj, r->norm, (gpointer)r->key);
	}
	for (size_t i = 0; i < n; i++) {
		mt_msg *r = &v[i];
		if (r->key)
			continue;
		/* References newest first, then In-Reply-To */
		const char *key = NULL;
		if (r->m.in_reply_to)
			key = g_hash_table_lookup(by_mid, r->m.in_reply_to);
		for (size_t k = r->m.nrefs; !key && k-- > 0;)
			key = g_hash_table_lookup(by_mid, r->m.refs[k]);
		if (!key && lk && lk->case_of_message) {
			const char *cand[2] = {r->m.in_reply_to, r->m.nrefs ? r->m.refs[r->m.nrefs - 1] : NULL};
			for (int k = 0; k < 2 && !key; k++) {
				char *id = cand[k] ? lk->case_of_message(lk->ctx, cand[k]) : NULL;
				if (id)
					key = intern(keys, id);
				free(id);
			}
		}
		if (!key && r->norm)
			key = g_hash_table_lookup(by_subj, r->norm);
		if (!key) {
			if (single_stem)
				key = intern(keys, single_stem);
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

static int pair_cmp(const void *a, const void *b)
{
	const size_t *x = a, *y = b;
	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return x[1] < y[1] ? -1 : x[1] > y[1];
}

void mail_thread(mt_msg *msgs, size_t n, const char *single_stem, const mt_lookup *lookup,
		 mt_threads *out)
{
	memset(out, 0, sizeof *out);
	GHashTable *keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	out->keys = keys;
	if (!n)
		return;
	assign_keys(msgs, n, single_stem, lookup, keys);
	/* group by key, in order of each thread's first message (linear:
	 * first position of each key, then a sort on it) */
	GHashTable *first = g_hash_table_new(g_direct_hash, g_direct_equal);
	size_t *pos = xmalloc(n * 2 * sizeof *pos);
	size_t ngroups = 0;
	for (size_t i = 0; i < n; i++) {
		gpointer f;
		if (!g_hash_table_lookup_extended(first, msgs[i].key, NULL, &f)) {
			f = GSIZE_TO_POINTER(i);
			g_hash_table_insert(first, (gpointer)msgs[i].key, f);
			ngroups++;
		}
		pos[2 * i] = GPOINTER_TO_SIZE(f);
		pos[2 * i + 1] = i;
	}
	g_hash_table_destroy(first);
	qsort(pos, n, 2 * sizeof *pos, pair_cmp);
	out->slots = xmalloc(n * sizeof *out->slots);
	out->v = xcalloc(ngroups, sizeof *out->v);
	for (size_t i = 0; i < n;) {
		mt_thread *t = &out->v[out->n++];
		size_t group = pos[2 * i];
		t->msgs = &out->slots[i];
		t->key = msgs[pos[2 * i + 1]].key;
		while (i < n && pos[2 * i] == group)
			t->msgs[t->n++] = &msgs[pos[2 * i++ + 1]];
	}
	free(pos);
}

void mt_threads_free(mt_threads *t)
{
	free(t->v);
	free(t->slots);
	if (t->keys)
		g_hash_table_destroy(t->keys);
	memset(t, 0, sizeof *t);
}

int mail_same_message(const pm_message *a, const mail_msg *m, const char *body)
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

void mail_thread_renumber(pm_case *c)
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

void mail_thread_customer(pm_case *c, mt_msg *const *ms, size_t n)
{
	for (size_t i = 0; i < n + c->nmessages && !c->customer; i++) {
		const char *who[2] = {NULL, NULL};
		if (i < n) {
			who[0] = ms[i]->m.address;
			who[1] = ms[i]->m.sender;
		} else
			who[0] = c->messages[i - n].sender;
		for (int k = 0; k < 2 && !c->customer; k++) {
			if (!who[k] || !strchr(who[k], '@') || strchr(who[k], '\n'))
				continue;
			const char *known = thread_customer_of_sender(who[k]);
			if (known)
				c->customer = xstrdup(known);
		}
	}
}

/* ---- the case of a thread ---- */

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

/* A dump attachment through the dump reader: its analysis joins the case
 * (message idx). Returns 1 when read; a dump that cannot be read stays an
 * attachment record, with a warning naming the message. */
static int read_dump(pm_case *c, int idx, const mail_att *at, const char *where, sbuf *warnings)
{
	pm_analysis a = {0};
	char *warn = NULL;
	char err[256] = "";
	pm_status st = PM_OK;
	const char *name = at->filename ? at->filename : "unnamed";
	if (dmp_read_mem(at->data, at->len, &a, &warn, err, sizeof err, &st) < 0) {
		sb_addf(warnings, "'%s': dump attachment '%s' not read: %s\n", where, name, err);
		pm_analysis_clear(&a);
		free(warn);
		return 0;
	}
	if (warn) {
		char *save = NULL;
		for (char *line = strtok_r(warn, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			sb_addf(warnings, "'%s': dump attachment '%s': %s\n", where, name, line);
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

void mail_thread_case(pm_case **cp, const mt_thread *t, const char *source, const char *format,
		      mt_added *ad)
{
	memset(ad, 0, sizeof *ad);
	sbuf warnings = {0};
	mt_msg *const *rs = t->msgs;
	size_t nrs = t->n;
	pm_case *c = *cp;
	if (!c) {
		c = pm_case_new();
		/* the subject that carries the case number tells the most */
		const mt_msg *best = rs[0];
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
		c->id = xstrdup(t->key);
		c->source = xstrdup(source);
		c->format = xstrdup(format);
		*cp = c;
	}
	for (size_t i = 0; i < nrs; i++) {
		const mail_msg *m = &rs[i]->m;
		int red = 0;
		char *body = stored_body(m, &red);
		int dup = 0;
		for (size_t k = 0; k < c->nmessages && !dup; k++)
			dup = mail_same_message(&c->messages[k], m, body);
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
			if (!at->data || !read_dump(c, idx, at, rs[i]->where, &warnings))
				ad->attachments++;
		}
		ad->messages++;
	}
	ad->warnings = warnings.len ? sb_detach(&warnings) : NULL;
	sb_free(&warnings);
	if (!ad->messages)
		return;
	mail_thread_renumber(c);
	if (!c->customer)
		mail_thread_customer(c, rs, nrs);
	thread_detect_status(c);
	pm_case_update_dates(c);
}
