/* privacy.h - the last gate before text reaches a customer: does it still
 * hold anything personal or internal? Case and ticket ids (CAS-, CMIT:,
 * REG:), e-mail addresses, phone and ID numbers, passwords, host names,
 * machine names, IP addresses, URLs, and the names of people and customers
 * the caller knows (the knowledge base's senders and customers). Pure C,
 * no storage: whoever sends calls it and refuses to send on a finding.
 */
#ifndef PMKB_PRIVACY_H
#define PMKB_PRIVACY_H

#include <stddef.h>
#include "../util/util.h"

typedef struct privacy_opts {
	const char *const *names;  /* people and customers that must not appear; a
				    * pseudonym ("person-3fa2c1", redact_pseudonym)
				    * stands for the name it was made from */
	size_t nnames;
	const char *const *allow_hosts; /* host names a text may name (public sites) */
	size_t nallow;
} privacy_opts;

/* Check text (UTF-8). Returns the number of findings; for each, one line
 * "KIND at byte N: XY..." is appended to why (may be NULL). The datum
 * itself is not copied whole into why: only its first two characters,
 * so the report can go to a log. KINDs: "case id", "e-mail address",
 * "phone number", "ID number", "password", "host name", "machine name",
 * "IP address", "URL", "name". */
int privacy_check(const char *text, const privacy_opts *o, sbuf *why);

#endif
