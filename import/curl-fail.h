/* curl-fail.h - what a failed libcurl transfer means to a user, for the
 * mail transports (imap.c, smtp.c): the failures they share, one wording
 * and one status (util/status.h) each. */
#ifndef PMKB_CURL_FAIL_H
#define PMKB_CURL_FAIL_H

#include <curl/curl.h>
#include <stddef.h>
#include "../util/status.h"

/* A refused login, a server without STARTTLS, an untrusted certificate
 * (PM_CONFIG: the setup is wrong), or a server that cannot be reached or dropped
 * the connection (PM_UNAVAILABLE). reason is libcurl's message; tls_scheme
 * names the implicit-TLS scheme to suggest ("imaps", "smtps"). Returns 1
 * with err and *st set when r is one of these, else 0 (the caller maps the
 * failures of its own protocol). */
int curl_fail_common(CURLcode r, const char *reason, const char *tls_scheme, char *err,
		     size_t errsz, pm_status *st);

#endif
