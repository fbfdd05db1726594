/* serve.h - pmkb serve: the web page (html.c) and JSON API (api.c) over
 * one knowledge base, on libmicrohttpd with a thread pool (serve.c).
 *
 * Every worker thread reads through its own kb_db handle (srv_db), which
 * sees what a writer committed since (the Xapian shim reopens a reader
 * whose snapshot changed). Writes (POST /api/import) take the knowledge
 * base's one-writer lock for the length of the request, or answer 503 with
 * Retry-After. No request names a file: bodies are read into memory within
 * serve.max_body.
 */
#ifndef PMKB_SERVE_H
#define PMKB_SERVE_H

#include <pthread.h>
#include <stddef.h>
#include "../cli/cli.h"
#include "../matcher/match.h"

typedef struct srv {
	char *db_dir;             /* the knowledge base */
	ruleset *rules;           /* shared, read only */
	char *token;              /* serve.token, or NULL: writes refused */
	int reads;                /* SRV_READS_* (serve.reads) */
	size_t max_body;          /* serve.max_body, bytes */
	pthread_mutex_t write_lock; /* one import at a time in this process */
	pthread_mutex_t handles_lock;
	kb_db **handles;          /* every worker's read handle, closed at the end */
	size_t nhandles, handles_cap;
} srv;

enum { SRV_READS_LOOPBACK = 0, SRV_READS_OPEN, SRV_READS_TOKEN };

/* What a handler answers. */
typedef struct srv_resp {
	int status;               /* HTTP status */
	const char *type;         /* Content-Type */
	sbuf body;
	int retry_after;          /* seconds, 0: no Retry-After */
} srv_resp;

/* A request as the handlers see it: the body whole, or a form's fields. */
typedef struct srv_req {
	const char *method;       /* "GET", "HEAD" or "POST" */
	const char *path;         /* the URL path, decoded */
	struct MHD_Connection *conn;
	int loopback;             /* the client is on a loopback address */
	int authorised;           /* a valid "Authorization: Bearer TOKEN" came */
	const char *content_type;
	sbuf body;                /* raw body (not a form) */
	/* form fields (multipart/form-data or urlencoded) */
	sbuf f_text, f_file;
	char *f_filename;
	char *f_use_text;
} srv_req;

/* The calling worker's read handle (opened on first use). Returns KB_OK
 * with *db set, or the status with the reason in err. After a failure that
 * may leave the handle unusable call srv_db_drop. */
kb_status srv_db(srv *s, kb_db **db, char *err, size_t errsz);
void srv_db_drop(srv *s);

/* A request argument from the query string, or NULL. */
const char *srv_arg(const srv_req *r, const char *name);

/* The HTTP status for an exit code (64/65 400, 1/66 404, 75 503, ...). */
int srv_status_of_exit(int ex);

/* query.c: the analyses (or prose) to match in a text or .dmp sent in
 * memory; name (may be NULL) is the file name it came as, the name of a
 * dump's analysis. On success *q holds them and *text the input as UTF-8
 * text (NULL for a dump); returns 0, or the exit code with the reason in
 * err. */
int srv_read_query(const char *buf, size_t len, const char *name, pm_case **q, char **text,
		   char *err, size_t errsz);

/* The last component of a file name a request gives (it names a case or a
 * dump, it is never opened), or NULL when there is none. Caller frees. */
char *srv_safe_name(const char *name);

/* Run the matcher on every analysis of q (or once on the prose when it has
 * none and use_text is set). *res holds *nres results (free with
 * srv_results_free). Returns KB_OK or the failing status. */
kb_status srv_match(srv *s, kb_db *db, const pm_case *q, const char *text, size_t limit,
		    int use_text, match_result **res, size_t *nres);
void srv_results_free(match_result *res, size_t n);

/* api.c: /api/... ; html.c: the pages. Both fill resp. */
void api_handle(srv *s, srv_req *r, srv_resp *resp);
void html_handle(srv *s, srv_req *r, srv_resp *resp);

/* html.c: escape text for HTML element content and attribute values. */
void html_esc(sbuf *sb, const char *s);
/* html.c: free what the pages keep between requests (at the end). */
void html_cleanup(void);

#endif
