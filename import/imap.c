/* imap.c - read a mailbox over IMAP with libcurl: STATUS for UIDVALIDITY,
 * UID SEARCH for the new mail, UID FETCH for each message. One easy handle
 * per mailbox, so the connection and the login are reused. See
 * mail-reader.h for the contract and docs/mail-import.md for the setup.
 */
#define _GNU_SOURCE
#include "mail-reader.h"
#include "curl-fail.h"
#include "../util/util.h"

#include <curl/curl.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct imap_conn {
	CURL *h;
	char *base;        /* "imap://user@host:port" (URL-encoded user) */
	char *mailbox;     /* decoded name: "INBOX" */
	char *mailbox_url; /* as in the URL path (percent-encoded) */
	char *key;         /* "imap://user@host:port/INBOX" */
	char errbuf[CURL_ERROR_SIZE];
	sbuf resp;
	size_t max;
	int too_big;
	int has_user;      /* the URL names a user */
	int password_env;  /* the password came from $PMKB_IMAP_PASSWORD (else netrc) */
	const char *hint;  /* what to fix after the last failure (imap_hint), or NULL */
};

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
	imap_conn *c = ud;
	size_t len = size * n;
	if (c->max && c->resp.len + len > c->max) {
		c->too_big = 1;
		return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
	}
	sb_add(&c->resp, p, len);
	return len;
}

static void lower_first(char *s)
{
	if (s && *s && isupper((unsigned char)s[0]) && !(s[1] && isupper((unsigned char)s[1])))
		s[0] = (char)tolower((unsigned char)s[0]);
	size_t n = s ? strlen(s) : 0;
	while (n && (s[n - 1] == '\n' || s[n - 1] == '.' || s[n - 1] == ' '))
		s[--n] = '\0';
}

int imap_open(const char *url, imap_conn **out, char *err, size_t errsz, pm_status *st)
{
	*out = NULL;
	static int inited;
	if (!inited) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		inited = 1;
	}
	CURLU *u = curl_url();
	char *scheme = NULL, *user = NULL, *pass = NULL, *host = NULL, *port = NULL, *path = NULL;
	int rc = -1;
	*st = PM_USAGE;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
		snprintf(err, errsz, "not a valid IMAP URL (imap://user@host[:port]/MAILBOX)");
		goto out;
	}
	curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
	curl_url_get(u, CURLUPART_USER, &user, 0);
	curl_url_get(u, CURLUPART_PASSWORD, &pass, 0);
	curl_url_get(u, CURLUPART_HOST, &host, 0);
	curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
	curl_url_get(u, CURLUPART_PATH, &path, 0);
	if (!scheme || (strcasecmp(scheme, "imap") && strcasecmp(scheme, "imaps")) || !host) {
		snprintf(err, errsz, "not an imap:// or imaps:// URL");
		goto out;
	}
	if (pass) {
		snprintf(err, errsz, "the URL holds a password: refused");
		goto out;
	}
	if (!user || !*user) {
		snprintf(err, errsz, "the URL names no user: imap://USER@HOST/MAILBOX");
		goto out;
	}
	imap_conn *c = xcalloc(1, sizeof *c);
	c->h = curl_easy_init();
	if (!c->h) {
		free(c);
		snprintf(err, errsz, "cannot start libcurl");
		*st = PM_INTERNAL;
		goto out;
	}
	const char *p = path ? path : "/";
	while (*p == '/')
		p++;
	char *mb = xstrdup(*p ? p : "INBOX");
	char *semi = strchr(mb, ';'); /* ;UIDVALIDITY=... of RFC 5092 */
	if (semi)
		*semi = '\0';
	size_t ml = strlen(mb);
	while (ml && mb[ml - 1] == '/')
		mb[--ml] = '\0';
	if (!*mb) {
		free(mb);
		mb = xstrdup("INBOX");
	}
	c->mailbox_url = mb;
	int dl = 0;
	char *dec = curl_easy_unescape(c->h, mb, 0, &dl);
	c->mailbox = xstrdup(dec ? dec : mb);
	curl_free(dec);
	/* the user stays in the URL (not CURLOPT_USERNAME) so that libcurl
	 * looks its password up in the netrc file */
	c->base = xasprintf("%s://%s%s%s:%s", scheme, user ? user : "", user ? "@" : "", host, port);
	c->key = xasprintf("%s://%s%s%s:%s/%s", scheme, user ? user : "", user ? "@" : "", host,
			   port, c->mailbox);

	CURL *h = c->h;
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, c->errbuf);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, c);
	c->has_user = user && *user;
	c->password_env = curl_setup_common(h, "imap,imaps", "PMKB_IMAP_PASSWORD", 1,
					    !strcasecmp(scheme, "imap"), host);
	*out = c;
	rc = 0;
out:
	curl_free(scheme);
	curl_free(user);
	curl_free(pass);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_url_cleanup(u);
	return rc;
}

const char *imap_hint(const imap_conn *c)
{
	return c ? c->hint : NULL;
}

void imap_close(imap_conn *c)
{
	if (!c)
		return;
	if (c->h)
		curl_easy_cleanup(c->h);
	free(c->base);
	free(c->mailbox);
	free(c->mailbox_url);
	free(c->key);
	sb_free(&c->resp);
	free(c);
}

const char *imap_state_key(const imap_conn *c)
{
	return c->key;
}

/* Map a libcurl failure to a reason and a status. what_missing names
 * what a "not found" means for this request. */
static int fail_hint(imap_conn *c, CURLcode r, const char *what_missing, const char *refused_hint,
		     pm_status refused, char *err, size_t errsz, pm_status *st);

/* What to fix after a failure of r, for imap_hint. */
static const char *hint_of(const imap_conn *c, CURLcode r, const char *refused_hint)
{
	switch (r) {
	case CURLE_LOGIN_DENIED:
		if (!c->has_user)
			return "the URL names no user: imap://USER@HOST/MAILBOX";
		if (c->password_env)
			return "the server refused this user with the password in $PMKB_IMAP_PASSWORD: check both";
		return "no $PMKB_IMAP_PASSWORD, so the password was looked up in the netrc file "
		       "($PMKB_NETRC, else ~/.netrc): it needs a line 'machine HOST login USER password PASSWORD'";
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
		return "a self-signed certificate or a private CA: give the CA certificate (PEM) in $PMKB_CA_FILE";
	case CURLE_USE_SSL_FAILED:
		return "the server offers no STARTTLS on this port: use imaps:// (port 993)";
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
		return "check the host and port in the URL, and that the server is up";
	case CURLE_REMOTE_FILE_NOT_FOUND:
	case CURLE_QUOTE_ERROR:
		return refused_hint;
	default:
		return NULL;
	}
}

static int fail(imap_conn *c, CURLcode r, const char *what_missing, char *err, size_t errsz,
		pm_status *st)
{
	return fail_hint(c, r, what_missing, NULL, PM_CONFIG, err, errsz, st);
}

/* The failure of r: err and *st; refused is the status when the
 * server refused the command (what_missing says what), refused_hint what
 * to fix then. */
static int fail_hint(imap_conn *c, CURLcode r, const char *what_missing, const char *refused_hint,
		     pm_status refused, char *err, size_t errsz, pm_status *st)
{
	char reason[CURL_ERROR_SIZE + 64];
	snprintf(reason, sizeof reason, "%s", c->errbuf[0] ? c->errbuf : curl_easy_strerror(r));
	lower_first(reason);
	c->hint = hint_of(c, r, refused_hint);
	if (curl_fail_common(r, reason, "imaps", err, errsz, st))
		return -1;
	switch (r) {
	case CURLE_REMOTE_FILE_NOT_FOUND:
	case CURLE_QUOTE_ERROR:
		snprintf(err, errsz, "%s (%s)", what_missing, reason);
		*st = refused;
		break;
	case CURLE_WRITE_ERROR:
		if (c->too_big) {
			snprintf(err, errsz, "message larger than %zu MiB: not read", c->max >> 20);
			*st = PM_TOO_BIG;
			break;
		}
		/* fall through */
	default:
		snprintf(err, errsz, "server unreachable or connection lost (%s)", reason);
		*st = PM_UNAVAILABLE;
		break;
	}
	return -1;
}

static CURLcode perform(imap_conn *c, const char *url, const char *custom, size_t max)
{
	sb_reset(&c->resp);
	sb_add(&c->resp, "", 0);
	c->errbuf[0] = '\0';
	c->max = max;
	c->too_big = 0;
	curl_easy_setopt(c->h, CURLOPT_URL, url);
	curl_easy_setopt(c->h, CURLOPT_CUSTOMREQUEST, custom);
	return curl_easy_perform(c->h);
}

/* Quote a mailbox name as an IMAP quoted string. */
static char *quoted(const char *s)
{
	sbuf sb = {0};
	sb_addc(&sb, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			sb_addc(&sb, '\\');
		if (*s != '\r' && *s != '\n')
			sb_addc(&sb, *s);
	}
	sb_addc(&sb, '"');
	return sb_detach(&sb);
}

static int find_number(const char *s, const char *label, unsigned long *v)
{
	const char *p = strcasestr(s, label);
	if (!p)
		return 0;
	p += strlen(label);
	while (*p == ' ')
		p++;
	if (!isdigit((unsigned char)*p))
		return 0;
	*v = strtoul(p, NULL, 10);
	return 1;
}

int imap_status(imap_conn *c, unsigned long *uidvalidity, unsigned long *uidnext,
		char *err, size_t errsz, pm_status *st)
{
	char *url = xasprintf("%s/", c->base);
	char *q = quoted(c->mailbox);
	char *cmd = xasprintf("STATUS %s (UIDVALIDITY UIDNEXT)", q);
	CURLcode r = perform(c, url, cmd, 1 << 20);
	free(url);
	free(q);
	free(cmd);
	if (r != CURLE_OK) {
		char what[300];
		snprintf(what, sizeof what, "no mailbox '%s' on the server", c->mailbox);
		return fail_hint(c, r, what,
				 "check the mailbox in the URL: imap://USER@HOST/MAILBOX, INBOX or a folder "
				 "(Cases, Support/Cases; percent-encoded); names other than INBOX are case-sensitive",
				 PM_NO_INPUT, err, errsz, st);
	}
	if (!find_number(sb_str(&c->resp), "UIDVALIDITY", uidvalidity)) {
		snprintf(err, errsz, "no mailbox '%s' (the server gave no UIDVALIDITY)", c->mailbox);
		*st = PM_CONFIG;
		return -1;
	}
	if (!find_number(sb_str(&c->resp), "UIDNEXT", uidnext))
		*uidnext = 0;
	return 0;
}

int imap_search(imap_conn *c, unsigned long first, const char *criteria,
		unsigned long **uids, size_t *n, char *err, size_t errsz, pm_status *st)
{
	*uids = NULL;
	*n = 0;
	if (criteria && strpbrk(criteria, "\r\n")) {
		snprintf(err, errsz, "search criteria hold a line break");
		*st = PM_USAGE;
		return -1;
	}
	char *url = xasprintf("%s/%s", c->base, c->mailbox_url);
	char *cmd = xasprintf("UID SEARCH UID %lu:*%s%s", first ? first : 1,
			      criteria && *criteria ? " " : "", criteria && *criteria ? criteria : "");
	CURLcode r = perform(c, url, cmd, 64 << 20);
	free(url);
	free(cmd);
	if (r != CURLE_OK) {
		char what[300];
		snprintf(what, sizeof what, "search refused in mailbox '%s'", c->mailbox);
		return fail_hint(c, r, what,
				 "check --search: IMAP SEARCH keys such as 'SUBJECT CAS-' or 'SINCE 1-Jan-2024'",
				 PM_USAGE, err, errsz, st);
	}
	size_t cap = 0;
	const char *s = sb_str(&c->resp);
	for (const char *line = s; line && *line;) {
		const char *eol = strchr(line, '\n');
		if (str_istarts(line, "* SEARCH")) {
			const char *p = line + 8;
			while (p < (eol ? eol : p + strlen(p))) {
				while (*p == ' ')
					p++;
				if (!isdigit((unsigned char)*p))
					break;
				char *end;
				unsigned long v = strtoul(p, &end, 10);
				/* "n:*" also returns the last message when n is past it */
				if (v >= first) {
					XGROW(*uids, cap, *n + 1);
					(*uids)[(*n)++] = v;
				}
				p = end;
			}
		}
		line = eol ? eol + 1 : NULL;
	}
	/* ascending, unique */
	for (size_t i = 1; i < *n; i++) {
		unsigned long v = (*uids)[i];
		size_t j = i;
		while (j > 0 && (*uids)[j - 1] > v) {
			(*uids)[j] = (*uids)[j - 1];
			j--;
		}
		(*uids)[j] = v;
	}
	size_t k = 0;
	for (size_t i = 0; i < *n; i++)
		if (!k || (*uids)[k - 1] != (*uids)[i])
			(*uids)[k++] = (*uids)[i];
	*n = k;
	return 0;
}

int imap_fetch(imap_conn *c, unsigned long uid, size_t max, char **buf, size_t *len,
	       char *err, size_t errsz, pm_status *st)
{
	*buf = NULL;
	*len = 0;
	char *url = xasprintf("%s/%s/;UID=%lu", c->base, c->mailbox_url, uid);
	CURLcode r = perform(c, url, NULL, max);
	free(url);
	if (r != CURLE_OK) {
		int rc = fail(c, r, "message gone from the mailbox", err, errsz, st);
		if (r == CURLE_REMOTE_FILE_NOT_FOUND)
			*st = PM_BAD_DATA;
		return rc;
	}
	*len = c->resp.len;
	*buf = sb_detach(&c->resp);
	return 0;
}

int imap_unsee(imap_conn *c, const unsigned long *uids, size_t n, char *err, size_t errsz,
	       pm_status *st)
{
	/* ascending UIDs as ranges, a few hundred per command */
	size_t i = 0;
	while (i < n) {
		sbuf set = {0};
		int ranges = 0;
		while (i < n && ranges < 500) {
			size_t j = i;
			while (j + 1 < n && uids[j + 1] == uids[j] + 1)
				j++;
			if (set.len)
				sb_addc(&set, ',');
			if (j > i)
				sb_addf(&set, "%lu:%lu", uids[i], uids[j]);
			else
				sb_addf(&set, "%lu", uids[i]);
			ranges++;
			i = j + 1;
		}
		char *url = xasprintf("%s/%s", c->base, c->mailbox_url);
		char *cmd = xasprintf("UID STORE %s -FLAGS.SILENT (\\Seen)", sb_str(&set));
		CURLcode r = perform(c, url, cmd, 1 << 20);
		free(url);
		free(cmd);
		sb_free(&set);
		if (r != CURLE_OK)
			return fail(c, r, "flags refused", err, errsz, st);
	}
	return 0;
}
