/* pipeline.c - the step every importer shares: find the dump analyses in
 * each message body, quoted repeats stored once (windbg_extract dedups by
 * content hash within the case). */
#include "readers.h"

#include <string.h>

void analyses_extract(pm_case *c)
{
	for (size_t i = 0; i < c->nmessages; i++) {
		const char *body = c->messages[i].body;
		if (body && *body)
			windbg_extract(body, strlen(body), (int)i, c);
	}
}
