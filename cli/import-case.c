/* import-case.c - filing what an import read into the knowledge base:
 * pmkb import --case ID --customer NAME files what a source holds (a
 * dump, a paste, a mail) under a case of the engineer's choosing, added to
 * what the case already holds; cli_store_case stores a case read by any
 * source (see cli.h). */
#include "cli.h"
#include "../import/readers.h"
#include "../kb/customer.h"

#include <stdlib.h>
#include <string.h>

/* --case, --customer: what every case read is filed under */
static const char *file_case, *file_customer;

static int same_str(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

/* Move the messages, notes, analyses and attachments of src into dst: a
 * message already in dst (same date and body) and an analysis already in
 * it (same hash) are kept once. */
static void merge_into(pm_case *dst, pm_case *src)
{
	int *map = xcalloc(src->nmessages + 1, sizeof *map);
	size_t had = dst->nmessages + dst->nanalyses + dst->nattachments;
	for (size_t i = 0; i < src->nmessages; i++) {
		pm_message *m = &src->messages[i];
		map[i] = -1;
		for (size_t k = 0; k < dst->nmessages && map[i] < 0; k++)
			if (same_str(dst->messages[k].body, m->body) && same_str(dst->messages[k].sent, m->sent))
				map[i] = (int)k;
		if (map[i] >= 0)
			continue;
		map[i] = (int)dst->nmessages;
		pm_message *d = pm_case_add_message(dst);
		*d = *m;
		memset(m, 0, sizeof *m);
	}
	/* the notes and analyses of a message already there are there too */
	for (size_t i = 0; i < src->nnotes; i++) {
		pm_note *n = &src->notes[i];
		int mi = n->message >= 0 && (size_t)n->message < src->nmessages ? map[n->message] : -1;
		int dup = 0;
		for (size_t k = 0; k < dst->nnotes && !dup; k++)
			dup = dst->notes[k].message == mi && same_str(dst->notes[k].text, n->text);
		if (!dup)
			pm_case_add_note(dst, mi, n->kind, n->text);
	}
	for (size_t i = 0; i < src->nanalyses; i++) {
		pm_analysis *a = &src->analyses[i];
		int dup = 0;
		for (size_t k = 0; k < dst->nanalyses && !dup; k++)
			dup = a->hash[0] && !strcmp(dst->analyses[k].hash, a->hash);
		if (dup)
			continue;
		if (a->message >= 0 && (size_t)a->message < src->nmessages)
			a->message = map[a->message];
		pm_case_take_analysis(dst, a);
	}
	for (size_t i = 0; i < src->nattachments; i++) {
		pm_attachment *t = &src->attachments[i];
		pm_attachment *d = pm_case_add_attachment(dst);
		*d = *t;
		d->message = t->message >= 0 && (size_t)t->message < src->nmessages ? map[t->message] : -1;
		memset(t, 0, sizeof *t);
	}
	/* the items redacted are counted once, with the messages they are in */
	if (dst->nmessages + dst->nanalyses + dst->nattachments > had)
		dst->redactions += src->redactions;
	free(map);
}

/* File *c under case id (pmkb import --case): it becomes
 * that case, or, when the knowledge base holds one, is merged into it (its
 * messages, notes, analyses and attachments added; those already there
 * kept once). customer (may be NULL) replaces the case's. *c is replaced
 * by the case to store (caller frees it). Returns PMKB_EX_OK or the exit
 * code after reporting. */
static int import_file_under(kb_db *db, pm_case **cp, const char *id, const char *customer)
{
	pm_case *c = *cp;
	pm_case *old = NULL;
	kb_status st = kb_get_case(db, id, &old);
	if (st == KB_NOT_FOUND) {
		free(c->id);
		c->id = xstrdup(id);
		if (customer) {
			free(c->customer);
			c->customer = xstrdup(customer);
		}
		return PMKB_EX_OK;
	}
	if (st != KB_OK) {
		char *what = xasprintf("cannot read case '%s'", id);
		int ex = cli_kb_fail(db, st, what);
		free(what);
		return ex;
	}
	merge_into(old, c);
	if (customer) {
		free(old->customer);
		old->customer = xstrdup(customer);
	}
	if (!old->title && c->title) {
		old->title = c->title;
		c->title = NULL;
	}
	pm_case_update_dates(old);
	pm_case_free(c);
	*cp = old;
	return PMKB_EX_OK;
}

void import_case_target(const char *id, const char *customer)
{
	file_case = id;
	file_customer = customer;
}

const char *import_case_id(void)
{
	return file_case;
}

int import_case_apply(kb_db *db, pm_case **c)
{
	if (file_customer && !file_case) {
		free((*c)->customer);
		(*c)->customer = xstrdup(file_customer);
	}
	return file_case ? import_file_under(db, c, file_case, file_customer) : PMKB_EX_OK;
}

int cli_store_case(kb_db *db, pm_case *c, import_report *rep)
{
	redact_case(c);
	analyses_extract(c);
	int ex = import_case_apply(db, &c);
	if (ex) {
		pm_case_free(c);
		rep->errors++;
		return ex;
	}
	char *osrc = NULL, *ofmt = NULL;
	int existed = c->id && kb_case_origin(db, c->id, &osrc, &ofmt) == KB_OK;
	free(osrc);
	free(ofmt);
	kb_status st = kb_put_case(db, c, NULL);
	if (st == KB_OK)
		st = kb_outcome_import(db, c); /* what the closing summary says */
	if (st != KB_OK) {
		char *what = xasprintf("cannot store case '%s'", c->id ? c->id : "");
		int code = cli_kb_fail(db, st, what);
		free(what);
		pm_case_free(c);
		rep->errors++;
		return code;
	}
	rep->cases++;
	rep->messages += (long)c->nmessages;
	rep->analyses += (long)c->nanalyses;
	rep->notes += (long)c->nnotes;
	rep->attachments += (long)c->nattachments;
	rep->redactions += c->redactions;
	place_stored(c, existed, 1);
	pm_case_free(c);
	return PMKB_EX_OK;
}
