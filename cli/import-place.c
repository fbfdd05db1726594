/* import-place.c - where a case read from a file goes (docs/pmkb-import.1,
 * "Case ids"): its id made safe, and what happens when another source
 * already holds that id. A source never replaces another source's case:
 *
 *   - a source that holds all the stored case holds (a re-import, a
 *     later export of the thread, the same content from another path)
 *     replaces it, counted as updated; when the stored case holds what the
 *     source does not (messages or dumps other sources added, or an
 *     edited file), what the source has new is added instead (below);
 *   - an id taken from a file stem (no case number in the text) that
 *     another source holds with other content: the stem plus "-" and 8
 *     hex digits of the content hash, stable from run to run;
 *   - a case number held by another source (a second export of the
 *     thread, a WinDbg text or dump named after the case): the messages
 *     and dump analyses the case lacks are added to it, a message of the
 *     same sender and time takes the new text (updated); nothing when it
 *     has them all (unchanged).
 *
 * Standard input has no identity: two pastes are compared by content.
 * It also counts, for the summary, what the knowledge base holds of the
 * cases an import touched. */
#include "cli.h"
#include "../import/readers.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- ids ---- */

/* A case number CAS-ddddd-XXXXXX, the whole id. */
static int is_case_no(const char *id)
{
	if (strlen(id) != 16 || strncmp(id, "CAS-", 4) != 0 || id[9] != '-')
		return 0;
	for (int i = 4; i < 9; i++)
		if (id[i] < '0' || id[i] > '9')
			return 0;
	for (int i = 10; i < 16; i++) {
		char c = id[i];
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
			return 0;
	}
	return 1;
}

/* Length of the valid UTF-8 sequence at s (1-4), 0 when invalid. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3
		   : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
	if (n == 0 || (n == 2 && s[0] < 0xc2))
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

char *place_safe_id(const char *id)
{
	sbuf sb = {0};
	const unsigned char *s = (const unsigned char *)id;
	while (*s) {
		size_t n = utf8_len(s);
		if (n == 0 || *s < 0x20 || *s == 0x7f || *s == ' ' || *s == '"' || *s == '\'' ||
		    *s == '\\' || *s == '`') {
			/* control characters (ESC reaching a terminal), blanks and
			 * quotes (which a query cannot spell), invalid UTF-8 */
			if (sb.len == 0 || sb_str(&sb)[sb.len - 1] != '_')
				sb_addc(&sb, '_');
			s += n ? n : 1;
			continue;
		}
		sb_add(&sb, (const char *)s, n);
		s += n;
	}
	char *out = sb_detach(&sb);
	if (!out || !*out) {
		free(out);
		out = xstrdup("case");
	}
	/* a stem that is (or holds) personal data: a phone or ID number as
	 * the file name */
	int red = 0;
	char *r = redact_text(out, &red);
	free(r);
	if (red > 0) {
		char hex[17];
		hash_hex(fnv1a64(id, strlen(id)), hex);
		free(out);
		out = xasprintf("case-%.8s", hex);
	}
	return out;
}

/* ---- content ---- */

/* A hash of what a case says: message bodies, and the analyses of dumps
 * (message -1; those of messages follow from the bodies). */
static uint64_t content_hash(const pm_case *c)
{
	sbuf sb = {0};
	for (size_t i = 0; i < c->nmessages; i++) {
		const char *b = c->messages[i].body ? c->messages[i].body : "";
		sb_addf(&sb, "m%zu:", strlen(b));
		sb_adds(&sb, b);
	}
	for (size_t i = 0; i < c->nanalyses; i++) {
		const pm_analysis *a = &c->analyses[i];
		if (a->message >= 0)
			continue;
		sb_addf(&sb, "a%s|%s", a->hash, a->bugcheck_code ? a->bugcheck_code : "");
		for (int k = 0; k < 4; k++)
			sb_addf(&sb, "|%s", a->args[k] ? a->args[k] : "");
		for (size_t k = 0; k < a->nframes; k++)
			sb_addf(&sb, "|%s!%s", a->frames[k].module ? a->frames[k].module : "",
				a->frames[k].function ? a->frames[k].function : "");
		sb_addc(&sb, '\n');
	}
	uint64_t h = fnv1a64(sb_str(&sb), sb.len);
	sb_free(&sb);
	return h;
}

static int same_analysis(const pm_analysis *a, const pm_analysis *b)
{
	if (a->hash[0] && b->hash[0])
		return strcmp(a->hash, b->hash) == 0;
	return 0;
}

static void steal(char **dst, char **src)
{
	if (!*dst && *src) {
		*dst = *src;
		*src = NULL;
	}
}

/* Remove the notes and analyses of message k from s. */
static void drop_message_parts(pm_case *s, int k)
{
	size_t w = 0;
	for (size_t i = 0; i < s->nnotes; i++) {
		if (s->notes[i].message == k) {
			free(s->notes[i].kind);
			free(s->notes[i].text);
		} else {
			s->notes[w++] = s->notes[i];
		}
	}
	s->nnotes = w;
	w = 0;
	for (size_t i = 0; i < s->nanalyses; i++) {
		if (s->analyses[i].message == k)
			pm_analysis_clear(&s->analyses[i]);
		else
			s->analyses[w++] = s->analyses[i];
	}
	s->nanalyses = w;
}

/* Add to stored what c has and stored lacks: messages (by body), their
 * notes and attachments, and dump analyses (by content hash). Returns how
 * many items were added. */
static size_t merge_into(pm_case *stored, pm_case *c)
{
	size_t added = 0, matched = 0, nstored = stored->nmessages;
	int *map = xcalloc(c->nmessages + 1, sizeof *map);
	for (size_t i = 0; i < c->nmessages; i++) {
		pm_message *m = &c->messages[i];
		map[i] = -1;
		for (size_t k = 0; k < stored->nmessages && map[i] == -1; k++) {
			pm_message *o = &stored->messages[k];
			if (strcmp(o->body ? o->body : "", m->body ? m->body : "") == 0) {
				map[i] = -2; /* held already */
				matched++;
			} else if (o->sender && o->sent && m->sender && m->sent &&
				   strcmp(o->sender, m->sender) == 0 && strcmp(o->sent, m->sent) == 0) {
				/* the same mail (sender and time), another text: a
				 * later export of it; its notes and analyses go too */
				drop_message_parts(stored, (int)k);
				free(o->body);
				o->body = m->body;
				m->body = NULL;
				map[i] = (int)k;
				added++;
				matched++;
			}
		}
		if (map[i] != -1)
			continue;
		map[i] = (int)stored->nmessages;
		pm_message *to = pm_case_add_message(stored);
		*to = *m;
		memset(m, 0, sizeof *m);
		added++;
	}
	for (size_t i = 0; i < c->nnotes; i++) {
		const pm_note *n = &c->notes[i];
		if (n->message >= 0 && (size_t)n->message < c->nmessages && map[n->message] >= 0)
			pm_case_add_note(stored, map[n->message], n->kind, n->text);
	}
	for (size_t i = 0; i < c->nattachments; i++) {
		pm_attachment *a = &c->attachments[i];
		if (a->message < 0 || (size_t)a->message >= c->nmessages || map[a->message] < 0)
			continue;
		pm_attachment *to = pm_case_add_attachment(stored);
		*to = *a;
		to->message = map[a->message];
		memset(a, 0, sizeof *a);
	}
	for (size_t i = 0; i < c->nanalyses; i++) {
		pm_analysis *a = &c->analyses[i];
		int held = 0;
		for (size_t k = 0; k < stored->nanalyses && !held; k++)
			held = same_analysis(&stored->analyses[k], a);
		if (held)
			continue;
		if (a->message >= 0) {
			if ((size_t)a->message >= c->nmessages || map[a->message] < 0)
				continue;
			a->message = map[a->message];
		}
		pm_case_take_analysis(stored, a);
		added++;
	}
	free(map);
	if (added) {
		steal(&stored->title, &c->title);
		steal(&stored->customer, &c->customer);
		steal(&stored->priority, &c->priority);
		steal(&stored->status, &c->status);
		steal(&stored->refs, &c->refs);
		/* every stored message was one of c's: c's count is the count */
		stored->redactions = matched >= nstored ? c->redactions : stored->redactions + c->redactions;
		pm_case_update_dates(stored);
	}
	return added;
}

/* Does c hold every message of stored, and every dump analysis? Then
 * storing c in its place loses nothing. */
static int holds_all(const pm_case *c, const pm_case *stored)
{
	for (size_t k = 0; k < stored->nmessages; k++) {
		const char *b = stored->messages[k].body ? stored->messages[k].body : "";
		int found = 0;
		for (size_t i = 0; i < c->nmessages && !found; i++)
			found = strcmp(c->messages[i].body ? c->messages[i].body : "", b) == 0;
		if (!found)
			return 0;
	}
	for (size_t k = 0; k < stored->nanalyses; k++) {
		if (stored->analyses[k].message >= 0)
			continue;
		int found = 0;
		for (size_t i = 0; i < c->nanalyses && !found; i++)
			found = same_analysis(&c->analyses[i], &stored->analyses[k]);
		if (!found)
			return 0;
	}
	return 1;
}

static int from_stdin(const char *source)
{
	return !source || strcmp(source, "stdin") == 0 || strcmp(source, "-") == 0;
}

/* ---- the decision ---- */

int place_case(kb_db *db, pm_case **cp, import_report *rep)
{
	pm_case *c = *cp;
	char *safe = place_safe_id(c->id ? c->id : "");
	if (!c->id || strcmp(safe, c->id) != 0) {
		pmkb_warning("'%s': case id '%s' stored as '%s'", c->source ? c->source : "-",
			     c->id ? c->id : "", safe);
		rep->warnings++;
	}
	free(c->id);
	c->id = safe;

	for (int round = 0; round < 3; round++) {
		char *source = NULL, *format = NULL;
		kb_status st = kb_case_origin(db, c->id, &source, &format);
		if (st == KB_NOT_FOUND)
			return PLACE_STORE;
		if (st != KB_OK)
			return -cli_kb_fail(db, st, "cannot read the stored case");
		int same_source = !from_stdin(c->source) && source && strcmp(source, c->source) == 0;
		pm_case *stored = NULL;
		st = kb_get_case(db, c->id, &stored);
		if (st != KB_OK) {
			free(source);
			free(format);
			return -cli_kb_fail(db, st, "cannot read the stored case");
		}
		int result;
		if (holds_all(c, stored)) {
			/* a re-import, or a later export of the thread: the
			 * source holds all the case held, so it replaces it */
			result = PLACE_STORE;
			pm_case_free(stored);
		} else if (content_hash(stored) == content_hash(c)) {
			/* the same content from another path: the same case */
			result = PLACE_STORE;
			pm_case_free(stored);
		} else if (!is_case_no(c->id) && !same_source) {
			/* a file stem another source holds: an id of its own */
			char hex[17];
			hash_hex(content_hash(c), hex);
			char *id = round == 0 ? xasprintf("%s-%.8s", c->id, hex)
					      : xasprintf("%s-%d", c->id, round + 1);
			pmkb_warning("'%s': case id '%s' is held by '%s'; stored as '%s'",
				     c->source ? c->source : "-", c->id, source ? source : "?", id);
			rep->warnings++;
			free(c->id);
			c->id = id;
			pm_case_free(stored);
			free(source);
			free(format);
			continue;
		} else {
			size_t added = merge_into(stored, c);
			if (added) {
				pmkb_warning("'%s': added to case '%s' (from '%s'): %zu items it lacked",
					     c->source ? c->source : "-", c->id, source ? source : "?", added);
				rep->warnings++;
				pm_case_free(c);
				*cp = stored;
				result = PLACE_STORE;
			} else {
				place_stored(stored, 1, 0);
				pm_case_free(stored);
				result = PLACE_UNCHANGED;
			}
		}
		free(source);
		free(format);
		return result;
	}
	pmkb_error("'%s': no free case id for '%s'", c->source ? c->source : "-", c->id);
	return -PMKB_EX_SOFTWARE;
}

/* ---- what the touched cases hold ---- */

/* An open-addressing set of the touched case ids (by 64-bit hash), each
 * with the number of messages the case holds now and what the import did
 * to it: 0 nothing (it held all), 1 updated, 2 new. */
static struct {
	uint64_t *keys;
	long *msgs;
	unsigned char *state;
	size_t cap, n;
} touched;

static size_t slot(uint64_t *keys, size_t cap, uint64_t h)
{
	size_t j = h & (cap - 1);
	while (keys[j] && keys[j] != h)
		j = (j + 1) & (cap - 1);
	return j;
}

void place_stored(const pm_case *c, int existed, int written)
{
	uint64_t h = fnv1a64(c->id, strlen(c->id));
	if (h == 0)
		h = 1;
	if ((touched.n + 1) * 2 > touched.cap) {
		size_t ncap = touched.cap ? touched.cap * 2 : 1024;
		uint64_t *k = xcalloc(ncap, sizeof *k);
		long *m = xcalloc(ncap, sizeof *m);
		unsigned char *st = xcalloc(ncap, 1);
		for (size_t i = 0; i < touched.cap; i++) {
			if (!touched.keys[i])
				continue;
			size_t j = slot(k, ncap, touched.keys[i]);
			k[j] = touched.keys[i];
			m[j] = touched.msgs[i];
			st[j] = touched.state[i];
		}
		free(touched.keys);
		free(touched.msgs);
		free(touched.state);
		touched.keys = k;
		touched.msgs = m;
		touched.state = st;
		touched.cap = ncap;
	}
	size_t j = slot(touched.keys, touched.cap, h);
	if (!touched.keys[j]) {
		touched.keys[j] = h;
		touched.n++;
		touched.state[j] = !written ? 0 : existed ? 1 : 2;
	} else if (written && touched.state[j] == 0) {
		touched.state[j] = 1;
	}
	touched.msgs[j] = (long)c->nmessages;
}

void place_totals(place_summary *out)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < touched.cap; i++) {
		if (!touched.keys[i])
			continue;
		out->cases++;
		out->messages += touched.msgs[i];
		if (touched.state[i] == 2)
			out->created++;
		else if (touched.state[i] == 1)
			out->updated++;
		else
			out->unchanged++;
	}
	free(touched.keys);
	free(touched.msgs);
	free(touched.state);
	memset(&touched, 0, sizeof touched);
}
