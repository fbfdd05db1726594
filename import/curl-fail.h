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

/* What both transports set on a handle: no signals, a 15 s connect
 * timeout, a transfer that stalls 60 s is dropped, the protocols allowed;
 * with login, the password from $password_env, else the netrc file
 * ($PMKB_NETRC, else ~/.netrc); with starttls (the plain scheme), STARTTLS
 * required unless host is loopback; the CA certificates of $PMKB_CA_FILE.
 * Returns 1 when the password came from $password_env. */
int curl_setup_common(CURL *h, const char *protocols, const char *password_env, int login,
		      int starttls, const char *host);

#endif
