/* curl-fail.c - the failures the mail transports share (curl-fail.h). */
#include "curl-fail.h"
#include "../util/util.h"

#include <stdio.h>

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
