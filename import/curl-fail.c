/* curl-fail.c - the failures the mail transports share (curl-fail.h). */
#include "curl-fail.h"
#include "../util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int curl_fail_common(CURLcode r, const char *reason, const char *tls_scheme, char *err,
		     size_t errsz, pm_status *st)
{
	switch (r) {
	case CURLE_LOGIN_DENIED:
		snprintf(err, errsz, "login refused by the server (%s)", reason);
		*st = PM_CONFIG;
		return 1;
	case CURLE_USE_SSL_FAILED:
		snprintf(err, errsz, "the server does not offer STARTTLS (use %s://)", tls_scheme);
		*st = PM_CONFIG;
		return 1;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
		snprintf(err, errsz, "TLS certificate not trusted (%s); see $PMKB_CA_FILE", reason);
		*st = PM_CONFIG;
		return 1;
	case CURLE_SEND_FAIL_REWIND:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_GOT_NOTHING:
		snprintf(err, errsz, "server unreachable or connection lost (%s)", reason);
		*st = PM_UNAVAILABLE;
		return 1;
	default:
		return 0;
	}
}

static int is_loopback(const char *host)
{
	return !strcasecmp(host, "localhost") || str_starts(host, "127.") || !strcmp(host, "::1") ||
	       !strcmp(host, "[::1]");
}

int curl_setup_common(CURL *h, const char *protocols, const char *password_env, int login,
		      int starttls, const char *host)
{
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 15L);
	/* a server that stops answering is a dropped connection */
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, protocols);
	int from_env = 0;
	if (login) {
		const char *pw = getenv(password_env);
		if (pw && *pw) {
			curl_easy_setopt(h, CURLOPT_PASSWORD, pw);
			from_env = 1;
		} else {
			curl_easy_setopt(h, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
			const char *nf = getenv("PMKB_NETRC");
			if (nf && *nf)
				curl_easy_setopt(h, CURLOPT_NETRC_FILE, nf);
		}
	}
	if (starttls)
		curl_easy_setopt(h, CURLOPT_USE_SSL, is_loopback(host) ? (long)CURLUSESSL_TRY : (long)CURLUSESSL_ALL);
	const char *ca = getenv("PMKB_CA_FILE");
	if (ca && *ca)
		curl_easy_setopt(h, CURLOPT_CAINFO, ca);
	return from_env;
}
