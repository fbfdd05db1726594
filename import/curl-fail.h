/* curl-fail.h - what a failed libcurl transfer means to a user, for the
 * mail transports (imap.c, smtp.c): the failures they share, one wording
 * and one exit code each. */
#ifndef PMKB_CURL_FAIL_H
#define PMKB_CURL_FAIL_H

#include <curl/curl.h>
#include <stddef.h>

/* A refused login, a server without STARTTLS, an untrusted certificate
 * (exit 78, configuration), or a server that cannot be reached or dropped
 * the connection (exit 69). reason is libcurl's message; tls_scheme names
 * the implicit-TLS scheme to suggest ("imaps", "smtps"). Returns 1 with err
 * and *exitcode set when r is one of these, else 0 (the caller maps the
 * failures of its own protocol). */
int curl_fail_common(CURLcode r, const char *reason, const char *tls_scheme, char *err,
		     size_t errsz, int *exitcode);

#endif
