/* fuzz-thread.c - libFuzzer target of the thread reader and of redaction:
 * any bytes go through thread_read (export format or plain text) and
 * redact_text; everything is freed, so leaks show under ASan. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../import/readers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pm_case *c = NULL;
	char err[256];
	if (thread_read("fuzz.txt", (const char *)data, size, &c, err, sizeof err) == 0) {
		/* the reader's own invariants */
		if (!c || !c->id || !c->status || !c->format || c->nmessages == 0)
			abort();
		for (size_t i = 0; i < c->nnotes; i++)
			if (strlen(c->notes[i].text) > 4000)
				abort();
		pm_case_free(c);
	} else if (c || !err[0]) {
		abort();
	}
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = 0;
	int n = 0;
	char *r = redact_text(s, &n);
	/* idempotent: a second pass finds nothing new */
	int n2 = 0;
	char *r2 = redact_text(r, &n2);
	if (n2 != 0 || strcmp(r, r2) != 0)
		abort();
	free(r2);
	free(r);
	free(s);
	return 0;
}
