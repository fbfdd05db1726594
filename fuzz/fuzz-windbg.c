/* fuzz-windbg.c - libFuzzer target for the WinDbg text reader: any bytes
 * into windbg_extract (twice, so the repeat path that merges quoted
 * analyses runs too) and windbg_read_case must never crash, read out of
 * bounds or leak; every analysis found must respect the reader's bounds,
 * and its signature (culprit included) must survive the stored form. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../import/readers.h"
#include "../sig/signature.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	pm_case *c = pm_case_new();
	size_t n = windbg_extract(text, size, 0, c);
	n += windbg_extract(text, size, 1, c);
	if (n != c->nanalyses || n > 2 * 4096)
		abort();
	for (size_t i = 0; i < c->nanalyses; i++) {
		const pm_analysis *a = &c->analyses[i];
		if (a->nframes > 10000 || a->span_end > size || a->span_start > a->span_end || strlen(a->hash) != 16)
			abort();
		for (size_t k = 0; k < a->nframes; k++)
			if (!a->frames[k].module && !a->frames[k].address)
				abort(); /* a frame is a module or a raw address */
		/* its signature and culprit, stored and read back exactly */
		pm_signature s, p;
		sbuf why = {0}, x = {0}, y = {0};
		sig_build(a, &s, &why);
		if (s.culprit && !s.culprit_from)
			abort();
		sig_serialize(&s, &x);
		if (sig_parse(sb_str(&x), &p) != 0)
			abort();
		sig_serialize(&p, &y);
		if (strcmp(sb_str(&x), sb_str(&y)) != 0)
			abort();
		sig_clear(&p);
		sig_clear(&s);
		sb_free(&why);
		sb_free(&x);
		sb_free(&y);
	}
	pm_case_free(c);

	pm_case *r = NULL;
	char err[256];
	if (windbg_read_case("fuzz.txt", text, size, &r, err, sizeof err) == 0)
		pm_case_free(r);
	else if (!err[0] || strchr(err, '\n'))
		abort();
	return 0;
}
