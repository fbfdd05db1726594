/* srv.h - what the handlers of pmkb serve share (srv.c): the server, a
 * request and a response, the per-worker knowledge base handle and the
 * arguments of a request. serve.c (the daemon) routes a request to the
 * pages (html.h) and the API (api.h); they call srv.c and query.c, never
 * back into serve.c.
 *
 * Every worker thread reads through its own kb_db handle (srv_db), which
 * sees what a writer committed since (the Xapian shim reopens a reader
 * whose snapshot changed). Writes (POST /api/import) take the knowledge
 * base's one-writer lock for the length of the request, or answer 503 with
 * Retry-After. No request names a file: bodies are read into memory within
 * serve.max_body.
 */
#ifndef PMKB_SRV_H
#define PMKB_SRV_H

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
	match_cache **caches;     /* and its match cache (caches[i] with handles[i]) */
	size_t nhandles, handles_cap, caches_cap;
	cli_ctx *ctx;             /* the command's context: its configuration, loaded
				   * before the workers start and only read after */
} srv;

enum { SRV_READS_LOOPBACK = 0, SRV_READS_OPEN, SRV_READS_TOKEN };

/* What a handler answers. */
typedef struct srv_resp {
	int status;               /* HTTP status */
	const char *type;         /* Content-Type */
	sbuf body;
	int retry_after;          /* seconds, 0: no Retry-After */
	double cpu_ms, wall_ms;   /* the handler's CPU time (its thread) and wall
				   * time, sent as Server-Timing; < 0: not timed */
	unsigned worker;          /* the worker that answered, from 1; 0: the I/O thread */
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
/* The calling worker's match cache (match.h), made and dropped with its
 * handle: what one match parsed and looked up, the next need not. */
match_cache *srv_cache(void);

/* A request argument from the query string, or NULL. */
const char *srv_arg(const srv_req *r, const char *name);

/* The HTTP status for an exit code (64/65 400, 1/66 404, 75 503, ...). */
int srv_status_of_exit(int ex);

/* The JSON error body {"error": MESSAGE, "exit": EX} with HTTP status
 * status (docs/api.md); the message is a printf format. */
void srv_error_json(srv_resp *resp, int status, int ex, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
