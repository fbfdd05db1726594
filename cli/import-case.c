/* import-case.c - pmkb import --case ID --customer NAME: file what a
 * source holds (a dump, a paste, a mail) under a case of the engineer's
 * choosing, added to what the case already holds (see cli.h). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

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

int import_file_under(kb_db *db, pm_case **cp, const char *id, const char *customer)
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
