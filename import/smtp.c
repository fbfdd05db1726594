/* smtp.c - libcurl SMTP and the reply mail (smtp.h). */
#define _GNU_SOURCE
#include "smtp.h"
#include "curl-fail.h"
#include "mail-quote.h"

#include <curl/curl.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

typedef struct upload {
	const char *p;
	size_t left;
} upload;

static size_t on_read(char *buf, size_t size, size_t n, void *ud)
{
	upload *u = ud;
	size_t len = size * n < u->left ? size * n : u->left;
	memcpy(buf, u->p, len);
	u->p += len;
	u->left -= len;
	return len;
}

int smtp_send(const char *url, const char *from, const char *to, const char *msg,
	      char *err, size_t errsz, pm_status *st)
{
	static int inited;
	if (!inited) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		inited = 1;
	}
	*st = PM_USAGE;
	CURLU *u = curl_url();
	char *scheme = NULL, *user = NULL, *pass = NULL, *host = NULL;
	int rc = -1;
	CURL *h = NULL;
	struct curl_slist *rcpt = NULL;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
		snprintf(err, errsz, "not a valid SMTP URL (smtp://[user@]host[:port] or smtps://)");
		goto out;
	}
	curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
	curl_url_get(u, CURLUPART_USER, &user, 0);
	curl_url_get(u, CURLUPART_PASSWORD, &pass, 0);
	curl_url_get(u, CURLUPART_HOST, &host, 0);
	if (!scheme || (strcasecmp(scheme, "smtp") && strcasecmp(scheme, "smtps")) || !host) {
		snprintf(err, errsz, "not an smtp:// or smtps:// URL");
		goto out;
	}
	if (pass) {
		snprintf(err, errsz, "the URL holds a password: refused");
		goto out;
	}
	h = curl_easy_init();
	if (!h) {
		snprintf(err, errsz, "cannot start libcurl");
		*st = PM_INTERNAL;
		goto out;
	}
	char errbuf[CURL_ERROR_SIZE] = "";
	upload up = {msg, strlen(msg)};
	char *mfrom = xasprintf("<%s>", from);
	char *mto = xasprintf("<%s>", to);
	rcpt = curl_slist_append(NULL, mto);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_setup_common(h, "smtp,smtps", "PMKB_SMTP_PASSWORD", user != NULL, !strcasecmp(scheme, "smtp"), host);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, mfrom);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(h, CURLOPT_READDATA, &up);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	CURLcode r = curl_easy_perform(h);
	free(mfrom);
	free(mto);
	if (r == CURLE_OK) {
		rc = 0;
		goto out;
	}
	const char *why = errbuf[0] ? errbuf : curl_easy_strerror(r);
	if (!curl_fail_common(r, why, "smtps", err, errsz, st)) {
		/* a refused sender or recipient, or another reply the server gave */
		snprintf(err, errsz, "the server refused the message (%s)", why);
		*st = PM_UNAVAILABLE;
	}
out:
	curl_slist_free_all(rcpt);
	if (h)
		curl_easy_cleanup(h);
	curl_free(scheme);
	curl_free(user);
	curl_free(pass);
	curl_free(host);
	curl_url_cleanup(u);
	return rc;
}

char *reply_subject(const char *subject, const char *lang)
{
	const char *s = subject ? subject : "";
	while (*s == ' ')
		s++;
	int kind = 0;
	if (mq_prefix(s, s + strlen(s), &kind) && kind == MQ_REPLY)
		return xstrdup(s); /* a reply already (mail-quote.c) */
	return xasprintf("%s %s", lang && !strcmp(lang, "zh") ? "回复:" : "Re:", s);
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void base64(sbuf *out, const unsigned char *p, size_t n, size_t line)
{
	size_t col = 0;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
			     (i + 2 < n ? p[i + 2] : 0);
		char q[4] = {b64[v >> 18 & 63], b64[v >> 12 & 63], i + 1 < n ? b64[v >> 6 & 63] : '=',
			     i + 2 < n ? b64[v & 63] : '='};
		sb_add(out, q, 4);
		col += 4;
		if (line && col >= line && i + 3 < n) {
			sb_adds(out, "\r\n");
			col = 0;
		}
	}
}

static int ascii_only(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80 || *s == '\r' || *s == '\n')
			return 0;
	return 1;
}

/* An RFC 2047 subject: encoded words of at most 45 bytes of UTF-8 each,
 * split on character boundaries, folded. */
static void subject_header(sbuf *out, const char *s)
{
	sb_adds(out, "Subject: ");
	if (ascii_only(s)) {
		sb_adds(out, s);
		sb_adds(out, "\r\n");
		return;
	}
	size_t n = strlen(s), i = 0;
	while (i < n) {
		size_t j = i + 45 < n ? i + 45 : n;
		while (j < n && ((unsigned char)s[j] & 0xc0) == 0x80)
			j--;
		if (i)
			sb_adds(out, "\r\n ");
		sb_adds(out, "=?UTF-8?B?");
		base64(out, (const unsigned char *)s + i, j - i, 0);
		sb_adds(out, "?=");
		i = j;
	}
	sb_adds(out, "\r\n");
}

void reply_compose(const reply_mail *m, sbuf *out)
{
	char date[64];
	if (m->date) {
		snprintf(date, sizeof date, "%s", m->date);
	} else {
		time_t t = time(NULL);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	}
	sb_addf(out, "From: %s\r\nTo: %s\r\n", m->from, m->to);
	char *subj = reply_subject(m->subject, m->lang);
	subject_header(out, subj);
	free(subj);
	sb_addf(out, "Date: %s\r\nMessage-ID: <%s>\r\n", date, m->message_id);
	if (m->in_reply_to) {
		sb_addf(out, "In-Reply-To: <%s>\r\nReferences:", m->in_reply_to);
		const char *r = m->references ? m->references : "";
		while (*r) {
			size_t len = strcspn(r, " ");
			if (len)
				sb_addf(out, " <%.*s>\r\n", (int)len, r);
			r += len;
			r += *r == ' ';
		}
		sb_addf(out, " <%s>\r\n", m->in_reply_to);
	}
	sb_adds(out, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
		     "Content-Transfer-Encoding: base64\r\nAuto-Submitted: auto-replied\r\n\r\n");
	base64(out, (const unsigned char *)m->body, strlen(m->body), 76);
	sb_adds(out, "\r\n");
}
