/* index.c - the index document of a case: its field terms (normalised the
 * same way at index and at query time), its text (each distinct line
 * once) and the data a hit is read from (kb-int.h). Calls no other file
 * of kb/ but the Xapian shim. */
#include "kb.h"
#include "kb-int.h"
#include "xapian-shim.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* field value normalisation: the same at index and at query time */

/* The normalised value of a field term (kb_prefix_table norm flags);
 * caller frees. Values too long for a Xapian term become "#<hash>". */
char *kb_int_norm_value(const kb_prefix *p, const char *v, size_t len)
{
	char *raw = xstrndup(v, len);
	char *out = NULL;
	if (p->norm & KB_NORM_BUGCHECK) {
		/* "0x00000000100000fc", "100000FC", "0xfc": one code */
		out = pm_norm_bugcheck(raw);
		if (!out)
			out = xstrdup(raw);
	} else if (p->norm & KB_NORM_MODULE) {
		out = pm_canon_module(raw);
	} else if (p->norm & KB_NORM_FRAME) {
		char *bang = strchr(raw, '!');
		char *plus = strchr(raw, '+');
		if (bang && plus && plus > bang)
			*plus = '\0'; /* frame keys of symbolised frames carry no offset */
		char *cut = bang ? bang : plus;
		if (cut && cut > raw) {
			char save = *cut;
			*cut = '\0';
			char *m = pm_canon_module(raw);
			*cut = save;
			char *rest = xstrdup(cut);
			str_lower(rest);
			out = xasprintf("%s%s", m, rest);
			free(m);
			free(rest);
		} else {
			out = xstrdup(raw);
			str_lower(out);
		}
	} else {
		out = xstrdup(raw);
		if (p->norm & KB_NORM_LOWER)
			str_lower(out);
	}
	free(raw);
	if (strlen(out) > 200) {
		char hex[17];
		hash_hex(fnv1a64(out, strlen(out)), hex);
		free(out);
		out = xasprintf("#%s", hex);
	}
	return out;
}

char *kb_int_norm_field(const char *field, const char *v)
{
	const kb_prefix *p = kb_prefix_find(field, strlen(field));
	return p && v ? kb_int_norm_value(p, v, strlen(v)) : NULL;
}

/* ------------------------------------------------------------------ */
/* the index document of a case */

/* Document data and the KB_SLOT_MATCH value: records
 * "<key><length>:<bytes>\n", keys i (case id), t (title), c (customer),
 * d (last date), s (status), a (number of analyses), n (one next step,
 * repeated; m its message), k (last conclusion; K its message), M (the
 * message of one analysis, repeated) in the data; i and g (one serialised
 * signature, repeated) in the value. Self-delimiting, so any bytes
 * survive; unknown keys are skipped. */
static void data_put(sbuf *sb, char key, const char *v)
{
	if (!v)
		return;
	sb_addf(sb, "%c%zu:", key, strlen(v));
	sb_adds(sb, v);
	sb_addc(sb, '\n');
}

static void add_term(kb_terms *b, const char *field, const char *value)
{
	if (!value || !*value)
		return;
	if (b->nterms >= KB_MAX_FIELD_TERMS)
		return; /* bounded: 4096 analyses x 10000 frames would be 40M terms */
	char *v = kb_int_norm_field(field, value);
	if (!v)
		return;
	XGROW(b->owned, b->owned_cap, b->nowned + 1);
	b->owned[b->nowned++] = v;
	XGROW(b->terms, b->terms_cap, b->nterms + 1);
	b->terms[b->nterms].field = field;
	b->terms[b->nterms].value = v;
	b->nterms++;
}

void kb_int_terms_free(kb_terms *b)
{
	for (size_t i = 0; i < b->nowned; i++)
		free(b->owned[i]);
	free(b->owned);
	free(b->terms);
}

/* The field terms of one signature. kept_only: only frames that are not
 * skipped (candidates); the index holds every frame. */
void kb_int_sig_terms(kb_terms *b, const pm_signature *s, int kept_only)
{
	add_term(b, "bugcheck", s->bugcheck);
	if (kept_only) {
		size_t idx[64];
		size_t k = sig_kept_frames(s, idx, PMKB_ARRAY_LEN(idx));
		for (size_t i = 0; i < k; i++)
			add_term(b, "frame", s->frames[idx[i]].key);
	} else {
		for (size_t i = 0; i < s->nframes; i++)
			add_term(b, "frame", s->frames[i].key);
	}
	for (size_t i = 0; i < s->nmodules; i++)
		add_term(b, "module", s->modules[i]);
	if (s->image)
		add_term(b, "module", s->image);
	for (size_t i = 0; i < s->npool_tags; i++)
		add_term(b, "pooltag", s->pool_tags[i].tag);
	add_term(b, "process", s->process);
	/* the code with Arg1 (its rarity weighs Arg1 agreement) and with all
	 * four arguments (the same dump posted twice): sig_arg_key */
	char *ak = sig_arg_key(s), *dk = sig_dump_key(s);
	add_term(b, "bugarg", ak);
	add_term(b, "bugarg", dk);
	free(ak);
	free(dk);
}

/* Append the line [a, z) without its long hexadecimal numbers: a token of
 * letters, digits and backticks that is hex digits only (after an optional
 * 0x) and holds more than 8 of them, such as the 64-bit addresses of stack
 * dumps and bugcheck arguments (fffff807`1a2b3c4d, ffffe31a85ef4448). They
 * were half of the index's distinct words, no two crashes share them, and
 * nobody searches for one. Numbers of 8 digits or fewer stay searchable:
 * NTSTATUS codes (c0000005), driver time stamps (5a98cbfa), offsets. */
static void add_line_words(sbuf *out, const char *a, const char *z)
{
	const char *p = a;
	while (p < z) {
		if (!isalnum((unsigned char)*p) && *p != '`') {
			p++;
			continue;
		}
		const char *t = p;
		while (p < z && (isalnum((unsigned char)*p) || *p == '`'))
			p++;
		const char *h = t;
		if (p - t > 2 && h[0] == '0' && (h[1] == 'x' || h[1] == 'X'))
			h += 2;
		size_t digits = 0;
		int hex = 1;
		for (const char *q = h; q < p && hex; q++) {
			if (isxdigit((unsigned char)*q))
				digits++;
			else if (*q != '`')
				hex = 0;
		}
		if (hex && digits > 8) {
			sb_add(out, a, (size_t)(t - a));
			sb_addc(out, ' ');
			a = p;
		}
	}
	sb_add(out, a, (size_t)(z - a));
}

/* The distinct lines of texts, hashed in a set, appended to out (each line
 * once, with add_line_words), up to KB_INDEX_TEXT_MAX bytes. */
typedef struct line_set {
	uint64_t *set;
	size_t cap, n;
} line_set;

static void add_unique_lines(line_set *ls, const char *t, sbuf *out)
{
	if (!ls->set) {
		ls->cap = 1024;
		ls->set = xcalloc(ls->cap, sizeof *ls->set);
	}
	while (*t && out->len < KB_INDEX_TEXT_MAX) {
		const char *e = strchr(t, '\n');
		size_t len = e ? (size_t)(e - t) : strlen(t);
		const char *a = t, *z = t + len;
		while (a < z && (*a == ' ' || *a == '\t' || *a == '\r' || *a == '>'))
			a++;
		while (z > a && (z[-1] == ' ' || z[-1] == '\t' || z[-1] == '\r'))
			z--;
		if (z > a) {
			uint64_t h = fnv1a64(a, (size_t)(z - a)) | 1; /* 0 marks an empty slot */
			if ((ls->n + 1) * 2 > ls->cap) {
				size_t ncap = ls->cap * 2;
				uint64_t *ns = xcalloc(ncap, sizeof *ns);
				for (size_t i = 0; i < ls->cap; i++) {
					if (!ls->set[i])
						continue;
					size_t j = ls->set[i] & (ncap - 1);
					while (ns[j])
						j = (j + 1) & (ncap - 1);
					ns[j] = ls->set[i];
				}
				free(ls->set);
				ls->set = ns;
				ls->cap = ncap;
			}
			size_t j = h & (ls->cap - 1);
			while (ls->set[j] && ls->set[j] != h)
				j = (j + 1) & (ls->cap - 1);
			if (!ls->set[j]) {
				ls->set[j] = h;
				ls->n++;
				add_line_words(out, a, z);
				sb_addc(out, '\n');
			}
		}
		t += len;
		if (*t == '\n')
			t++;
	}
}

/* The text of every message body and note, each distinct line once.
 * Threads quote earlier mails again and again; indexing a quoted line once
 * keeps term frequencies honest (BM25) and makes indexing several times
 * faster on long threads. */
static void unique_lines(const pm_case *c, sbuf *out)
{
	/* Bound the index work per case: a 60 MB log is stored whole but only
	 * its first KB_INDEX_TEXT_MAX bytes of distinct lines are searchable
	 * (Xapian holds a document's terms in memory). */
	line_set ls = {0};
	size_t nsrc = c->nmessages + c->nnotes;
	for (size_t k = 0; k < nsrc; k++) {
		const char *t = k < c->nmessages ? c->messages[k].body : c->notes[k - c->nmessages].text;
		if (t)
			add_unique_lines(&ls, t, out);
	}
	free(ls.set);
}

void kb_int_index_text(const char *text, sbuf *out)
{
	line_set ls = {0};
	add_unique_lines(&ls, text, out);
	free(ls.set);
}

/* Index (replace, not commit) the document of c. sigs[i] and sigtext[i]
 * belong to c->analyses[i]. */
kb_status kb_int_index_doc(kb_db *db, const pm_case *c, const pm_signature *sigs, char **sigtext)
{
	kb_terms b = {0};
	add_term(&b, "case", c->id);
	add_term(&b, "customer", c->customer);
	for (size_t i = 0; i < c->nanalyses; i++)
		kb_int_sig_terms(&b, &sigs[i], 0);

	size_t ntexts = 0;
	const char *texts[5];
	texts[ntexts++] = c->title;
	texts[ntexts++] = c->id;
	texts[ntexts++] = c->customer;
	texts[ntexts++] = c->refs;
	sbuf body = {0};
	unique_lines(c, &body);
	texts[ntexts++] = sb_str(&body);

	sbuf data = {0}, match = {0};
	data_put(&data, 'i', c->id);
	data_put(&data, 't', c->title);
	data_put(&data, 'c', c->customer);
	data_put(&data, 'd', c->last_date);
	data_put(&data, 's', c->status);
	char count[32];
	snprintf(count, sizeof count, "%zu", c->nanalyses);
	data_put(&data, 'a', count);
	data_put(&match, 'i', c->id);
	for (size_t i = 0; i < c->nanalyses; i++)
		data_put(&match, 'g', sigtext[i] ? sigtext[i] : "");
	const char *conclusion = NULL;
	int conclusion_msg = 0;
	char num[32];
	for (size_t i = 0; i < c->nnotes; i++) {
		if (c->notes[i].kind && strcmp(c->notes[i].kind, PM_NOTE_NEXT_STEP) == 0) {
			data_put(&data, 'n', c->notes[i].text ? c->notes[i].text : "");
			snprintf(num, sizeof num, "%d", c->notes[i].message);
			data_put(&data, 'm', num);
		}
		if (c->notes[i].kind && strcmp(c->notes[i].kind, PM_NOTE_CONCLUSION) == 0) {
			conclusion = c->notes[i].text;
			conclusion_msg = c->notes[i].message;
		}
	}
	data_put(&data, 'k', conclusion);
	if (conclusion) {
		snprintf(num, sizeof num, "%d", conclusion_msg);
		data_put(&data, 'K', num);
	}
	for (size_t i = 0; i < c->nanalyses; i++) {
		snprintf(num, sizeof num, "%d", c->analyses[i].message);
		data_put(&data, 'M', num);
	}

	xs_doc d = {
		.case_id = c->id,
		.terms = b.terms,
		.nterms = b.nterms,
		.texts = texts,
		.ntexts = ntexts,
		.date = c->last_date,
		.data = sb_str(&data),
		.datalen = data.len,
		.match = sb_str(&match),
		.matchlen = match.len,
	};
	kb_status st = xs_replace(db->xs, &d, db->err, sizeof db->err);
	sb_free(&data);
	sb_free(&match);
	sb_free(&body);
	kb_int_terms_free(&b);
	return st;
}
