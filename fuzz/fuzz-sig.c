/* fuzz-sig.c - libFuzzer target for the signature step: sig_parse on
 * arbitrary stored text (it reads SQLite and remote shard data), then the
 * serialise -> parse round trip, which must be exact; and sig_build /
 * sig_serialize / sig_json on an analysis made from the input's lines
 * (one printed frame per line, "module!function+0xoff" or an address). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../sig/signature.h"

static void check_roundtrip(const pm_signature *s)
{
	sbuf a = {0}, b = {0};
	sig_serialize(s, &a);
	pm_signature p;
	if (sig_parse(sb_str(&a), &p) != 0)
		abort(); /* our own output must parse */
	sig_serialize(&p, &b);
	if (a.len != b.len || memcmp(sb_str(&a), sb_str(&b), a.len) != 0)
		abort(); /* and come back byte for byte */
	sig_clear(&p);
	sb_free(&a);
	sb_free(&b);
}

static void analysis_from_lines(const char *text, pm_analysis *a)
{
	memset(a, 0, sizeof *a);
	a->message = -1;
	const char *p = text;
	int line = 0;
	while (*p && line < 2000) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *l = xstrndup(p, n);
		switch (line) {
		case 0: a->bugcheck_code = xstrdup(l); break;
		case 1: a->image = xstrdup(l); break;
		case 2: {
			pm_pooltag *t = pm_analysis_add_pooltag(a);
			t->tag = xstrdup(l);
			t->owner = xstrdup(l);
			break;
		}
		case 3: {
			pm_module *m = pm_analysis_add_module(a);
			m->name = xstrdup(l);
			break;
		}
		default: {
			pm_frame *f = pm_analysis_add_frame(a);
			char *plus = strrchr(l, '+');
			if (plus) {
				*plus = '\0';
				f->offset = xstrdup(plus + 1);
			}
			char *bang = strchr(l, '!');
			if (bang) {
				*bang = '\0';
				f->function = xstrdup(bang + 1);
				f->module = xstrdup(l);
			} else if (l[0] == '0') {
				f->address = xstrdup(l);
			} else {
				f->module = xstrdup(l);
			}
			f->is_inline = line & 1;
		}
		}
		free(l);
		line++;
		p += n + (nl ? 1 : 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size); /* stops at a NUL */
	pm_signature s;
	if (sig_parse(text, &s) == 0) {
		check_roundtrip(&s);
		sbuf js = {0};
		sig_json(NULL, &s, &js);
		sb_free(&js);
	}
	sig_clear(&s);

	pm_analysis a;
	analysis_from_lines(text, &a);
	sbuf why = {0}, js = {0};
	sig_build(&a, &s, &why);
	check_roundtrip(&s);
	sig_json(&a, &s, &js);
	size_t idx[8];
	sig_kept_frames(&s, idx, 8);
	sb_free(&js);
	sb_free(&why);
	sig_clear(&s);
	pm_analysis_clear(&a);
	free(text);
	return 0;
}
