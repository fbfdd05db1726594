/* serve.c - pmkb serve: the HTTP server (libmicrohttpd, a thread pool
 * with one knowledge base read handle per worker, kept by srv.c), its
 * settings from the configuration (docs/config.md), bounds, authorisation
 * and the routing to the pages (html.c) and the API (api.c), which call
 * srv.c and query.c and never back into this file. docs/pmkb-serve.1,
 * docs/api.md. */
#define _GNU_SOURCE /* pthread_setname_np */
#include "srv.h"
#include "api.h"
#include "html.h"
#include "../util/config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---- one connection's request ---- */

typedef struct conn_state {
	srv_req req;
	struct MHD_PostProcessor *pp;
	size_t received;          /* body bytes so far */
	int too_large;
	int bad_form;
	/* a request whose body is in is answered by the first free worker
	 * (the workers below) while its connection is suspended */
	int state;                /* CS_READING, CS_QUEUED, CS_DONE */
	int api;                  /* an /api/ path */
	srv_resp resp;            /* the worker's answer, sent by the I/O thread */
	struct conn_state *next;  /* in the queue */
} conn_state;

enum { CS_READING = 0, CS_QUEUED, CS_DONE };

static void req_free(conn_state *cs)
{
	sb_free(&cs->resp.body);
	if (cs->pp)
		MHD_destroy_post_processor(cs->pp);
	sb_free(&cs->req.body);
	sb_free(&cs->req.f_text);
	sb_free(&cs->req.f_file);
	free(cs->req.f_filename);
	free(cs->req.f_use_text);
	free(cs);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	if (*con_cls)
		req_free(*con_cls);
	*con_cls = NULL;
}

/* Form fields of the page's "Have we seen this?" form. */
static enum MHD_Result form_field(void *cls, enum MHD_ValueKind kind, const char *key,
				  const char *filename, const char *content_type,
				  const char *transfer_encoding, const char *data, uint64_t off,
				  size_t size)
{
	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	(void)off;
	conn_state *cs = cls;
	srv_req *r = &cs->req;
	if (strcmp(key, "text") == 0) {
		sb_add(&r->f_text, data, size);
	} else if (strcmp(key, "file") == 0) {
		if (filename && !r->f_filename)
			r->f_filename = xstrdup(filename);
		sb_add(&r->f_file, data, size);
	} else if (strcmp(key, "use_text") == 0) {
		free(r->f_use_text);
		r->f_use_text = xstrndup(data, size);
	}
	return MHD_YES;
}

static int is_form(const char *ct)
{
	return ct && (str_istarts(ct, "multipart/form-data") ||
		      str_istarts(ct, "application/x-www-form-urlencoded"));
}

/* Constant time in the length of the token: no early exit on the first
 * differing byte. */
static int token_ok(const char *want, const char *got)
{
	if (!want || !*want || !got)
		return 0;
	size_t wl = strlen(want), gl = strlen(got);
	unsigned char d = (unsigned char)(wl != gl);
	for (size_t i = 0; i < wl; i++)
		d |= (unsigned char)(want[i] ^ (i < gl ? got[i] : 0));
	return d == 0;
}

static int client_is_loopback(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !ci->client_addr)
		return 0;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
		if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr))
			return 1;
		return IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) && in6->sin6_addr.s6_addr[12] == 127;
	}
	return 0;
}

static double ts_ms(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e3 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

/* Run the handler of a request whose body is in: the pages or the API,
 * timed for Server-Timing. On a worker, or on the I/O thread when the
 * workers have stopped. */
static void run_handler(srv *s, conn_state *cs)
{
	srv_resp *resp = &cs->resp;
	struct timespec c0, w0, c1, w1;
	int timed = clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0) == 0 &&
		    clock_gettime(CLOCK_MONOTONIC, &w0) == 0;
	if (cs->api)
		api_handle(s, &cs->req, resp);
	else
		html_handle(s, &cs->req, resp);
	if (timed && clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1) == 0 &&
	    clock_gettime(CLOCK_MONOTONIC, &w1) == 0) {
		resp->cpu_ms = ts_ms(&c0, &c1);
		resp->wall_ms = ts_ms(&w0, &w1);
	}
}

/* ---- the workers ----
 *
 * One thread reads and writes the connections (libmicrohttpd); the
 * requests go to a queue that serve.threads workers take from, each with
 * its own read handle and match cache (srv.c). A request is answered by
 * whichever worker is free, whatever connection it came on: with a pool
 * of connection threads instead, two kept-alive clients whose connections
 * landed on one thread were answered one after the other while the other
 * threads idled.
 *
 * Of the free workers, the one that became free last takes the request
 * (a stack of idle workers, each waiting on its own condition): its match
 * cache and its CPU's caches hold the most. One client's requests then
 * go to one worker, whose cache warms as if it were the only one; with a
 * condition variable shared by all, the worker that had waited longest
 * woke, so one client's requests went round every worker and each cache
 * saw only a share of them. Under load every worker is busy anyway. */

typedef struct pool_worker {
	pthread_t th;
	pthread_cond_t wake;
	int idle;                 /* on the idle stack */
} pool_worker;

static struct pool {
	pthread_mutex_t lock;
	conn_state *head, *tail;
	int stopping;             /* the workers finish the queue and leave */
	pool_worker *w;
	size_t n;
	size_t *idle;             /* indexes of idle workers, the last idle on top */
	size_t nidle;
	srv *s;
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void *worker_main(void *arg)
{
	size_t me = (size_t)(uintptr_t)arg;
	pool_worker *w = &pool.w[me];
	for (;;) {
		pthread_mutex_lock(&pool.lock);
		while (!pool.head && !pool.stopping) {
			if (!w->idle) {
				w->idle = 1;
				pool.idle[pool.nidle++] = me;
			}
			pthread_cond_wait(&w->wake, &pool.lock);
		}
		conn_state *cs = pool.head;
		if (cs) {
			pool.head = cs->next;
			if (!pool.head)
				pool.tail = NULL;
		}
		if (w->idle) { /* woke without being called: off the stack */
			size_t k = 0;
			while (k < pool.nidle && pool.idle[k] != me)
				k++;
			if (k < pool.nidle) {
				memmove(&pool.idle[k], &pool.idle[k + 1], (pool.nidle - k - 1) * sizeof *pool.idle);
				pool.nidle--;
			}
			w->idle = 0;
		}
		pthread_mutex_unlock(&pool.lock);
		if (!cs)
			break; /* stopping, and nothing left */
		cs->resp.worker = (unsigned)me + 1;
		run_handler(pool.s, cs);
		cs->state = CS_DONE;
		/* the last touch: the I/O thread may answer and free cs at once */
		MHD_resume_connection(cs->req.conn);
	}
	return NULL;
}

/* Queue cs for a worker (its connection suspended until answered).
 * Returns 0, or -1 when the workers have stopped (answer it here). */
static int pool_submit(struct MHD_Connection *c, conn_state *cs)
{
	pthread_mutex_lock(&pool.lock);
	if (pool.stopping || !pool.n) {
		pthread_mutex_unlock(&pool.lock);
		return -1;
	}
	cs->state = CS_QUEUED;
	cs->next = NULL;
	/* suspended before any worker can see it, so resumed after */
	MHD_suspend_connection(c);
	if (pool.tail)
		pool.tail->next = cs;
	else
		pool.head = cs;
	pool.tail = cs;
	/* the worker idle the shortest time; it leaves the stack here, so
	 * the next request wakes another */
	if (pool.nidle) {
		pool_worker *w = &pool.w[pool.idle[--pool.nidle]];
		w->idle = 0;
		pthread_cond_signal(&w->wake);
	}
	pthread_mutex_unlock(&pool.lock);
	return 0;
}

/* Start n workers; returns how many started. */
static size_t pool_start(srv *s, size_t n)
{
	pool.s = s;
	pool.w = xcalloc(n, sizeof *pool.w);
	pool.idle = xcalloc(n, sizeof *pool.idle);
	for (size_t i = 0; i < n; i++) {
		pthread_cond_init(&pool.w[i].wake, NULL);
		/* pool.n counts the started: a worker reads pool.w[i] only */
		pthread_mutex_lock(&pool.lock);
		int rc = pthread_create(&pool.w[pool.n].th, NULL, worker_main, (void *)(uintptr_t)pool.n);
		if (rc == 0)
			pool.n++;
		pthread_mutex_unlock(&pool.lock);
		if (rc != 0) {
			pthread_cond_destroy(&pool.w[i].wake);
			break;
		}
		char name[16]; /* the kernel keeps 15 characters */
		snprintf(name, sizeof name, "pmkb-work-%u", (unsigned)(i + 1) % 1000);
		pthread_setname_np(pool.w[i].th, name);
	}
	return pool.n;
}

/* The workers answer what is queued and stop. */
static void pool_stop(void)
{
	pthread_mutex_lock(&pool.lock);
	pool.stopping = 1;
	for (size_t i = 0; i < pool.n; i++)
		pthread_cond_signal(&pool.w[i].wake);
	pthread_mutex_unlock(&pool.lock);
	for (size_t i = 0; i < pool.n; i++) {
		pthread_join(pool.w[i].th, NULL);
		pthread_cond_destroy(&pool.w[i].wake);
	}
	free(pool.w);
	free(pool.idle);
	pool.w = NULL;
	pool.idle = NULL;
	pool.nidle = 0;
}

static enum MHD_Result send_resp(struct MHD_Connection *c, srv_resp *resp)
{
	size_t len = resp->body.len;
	struct MHD_Response *mr = MHD_create_response_from_buffer(len, len ? resp->body.buf : (void *)"",
								 MHD_RESPMEM_MUST_COPY);
	if (!mr)
		return MHD_NO; /* libmicrohttpd sends no body for HEAD itself */
	MHD_add_response_header(mr, "Content-Type", resp->type ? resp->type : "text/plain; charset=utf-8");
	MHD_add_response_header(mr, "Cache-Control", "no-store");
	MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(mr, "Referrer-Policy", "no-referrer");
	/* no script, nothing from elsewhere, not framed */
	MHD_add_response_header(mr, "Content-Security-Policy",
				"default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
				"form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
	if (resp->retry_after > 0) {
		char ra[24];
		snprintf(ra, sizeof ra, "%d", resp->retry_after);
		MHD_add_response_header(mr, "Retry-After", ra);
	}
	if (resp->cpu_ms >= 0 && resp->wall_ms >= 0) {
		/* what the answer cost here, apart from the network and the
		 * queue (docs/api.md) */
		char st[128];
		int k = snprintf(st, sizeof st, "cpu;dur=%.3f, total;dur=%.3f", resp->cpu_ms, resp->wall_ms);
		if (resp->worker && k > 0 && (size_t)k < sizeof st)
			snprintf(st + k, sizeof st - (size_t)k, ", worker;desc=\"%u\"", resp->worker);
		MHD_add_response_header(mr, "Server-Timing", st);
	}
	if (resp->status == 405)
		MHD_add_response_header(mr, "Allow", "GET, HEAD, POST");
	if (resp->status == 401)
		MHD_add_response_header(mr, "WWW-Authenticate", "Bearer realm=\"pmkb\"");
	enum MHD_Result rc = MHD_queue_response(c, (unsigned)resp->status, mr);
	MHD_destroy_response(mr);
	return rc;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload_data,
			      size_t *upload_data_size, void **con_cls)
{
	(void)version;
	srv *s = cls;
	conn_state *cs = *con_cls;
	if (!cs) {
		cs = xcalloc(1, sizeof *cs);
		*con_cls = cs;
		cs->req.conn = c;
		cs->req.method = method;
		cs->req.path = url;
		cs->req.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
		const char *len = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		if (len && strtoull(len, NULL, 10) > s->max_body) {
			/* answered before the body comes: libmicrohttpd then
			 * closes the connection instead of reading it */
			srv_resp resp = {0};
			resp.cpu_ms = resp.wall_ms = -1;
			char *m = xasprintf("request body larger than serve.max_body_mb (%zu bytes)", s->max_body);
			srv_error_json(&resp, 413, PMKB_EX_DATAERR, "%s", m);
			free(m);
			enum MHD_Result rc = send_resp(c, &resp);
			sb_free(&resp.body);
			return rc;
		}
		if (strcmp(method, "POST") == 0 && !str_starts(url, "/api/") && is_form(cs->req.content_type)) {
			cs->pp = MHD_create_post_processor(c, 64 * 1024, form_field, cs);
			if (!cs->pp)
				cs->bad_form = 1;
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		cs->received += n;
		if (cs->received > s->max_body)
			cs->too_large = 1;
		if (cs->too_large || cs->bad_form)
			return MHD_YES; /* read and dropped; answered at the end */
		if (cs->pp) {
			if (MHD_post_process(cs->pp, upload_data, n) != MHD_YES)
				cs->bad_form = 1;
		} else {
			sb_add(&cs->req.body, upload_data, n);
		}
		return MHD_YES;
	}

	if (cs->state == CS_DONE) { /* a worker's answer */
		enum MHD_Result rc = send_resp(c, &cs->resp);
		sb_free(&cs->resp.body);
		return rc;
	}
	if (cs->state == CS_QUEUED) /* not expected: suspended until answered */
		return MHD_YES;

	srv_req *r = &cs->req;
	r->path = url;
	srv_resp *resp = &cs->resp;
	memset(resp, 0, sizeof *resp);
	resp->cpu_ms = resp->wall_ms = -1;
	int api = str_starts(url, "/api/");
	int head = strcmp(method, "HEAD") == 0;
	r->loopback = client_is_loopback(c);
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	r->authorised = auth && str_istarts(auth, "Bearer ") && token_ok(s->token, auth + 7);
	int read_ok = s->reads == SRV_READS_OPEN || r->authorised ||
		      (s->reads == SRV_READS_LOOPBACK && r->loopback);

	if (strcmp(method, "GET") != 0 && !head && strcmp(method, "POST") != 0) {
		srv_error_json(resp, 405, PMKB_EX_USAGE, "%s", "method not allowed: GET, HEAD or POST");
	} else if (cs->too_large) {
		char *m = xasprintf("request body larger than serve.max_body_mb (%zu bytes)", s->max_body);
		srv_error_json(resp, 413, PMKB_EX_DATAERR, "%s", m);
		free(m);
	} else if (cs->bad_form) {
		srv_error_json(resp, 400, PMKB_EX_USAGE, "%s", "malformed form data");
	} else if (!read_ok && !(api && strcmp(url, "/api/import") == 0)) {
		/* a write checks its own token in api.c */
		if (api)
			srv_error_json(resp, 401, PMKB_EX_CONFIG, "%s",
					"reads need the token here: Authorization: Bearer TOKEN (serve.reads)");
		else
			srv_error_json(resp, 403, PMKB_EX_CONFIG, "%s",
					"the pages are served to loopback clients only here (serve.reads)");
	} else {
		cs->api = api;
		if (pool_submit(c, cs) == 0)
			return MHD_YES; /* answered when a worker resumes it */
		run_handler(s, cs);
	}
	enum MHD_Result rc = send_resp(c, resp);
	sb_free(&resp->body);
	return rc;
}

/* ---- settings ---- */

/* A count from the configuration within [lo, hi]; def when unset. */
static int config_count_key(const pm_config *cfg, const char *key, double def, double lo, double hi,
			    double *out)
{
	char err[256];
	if (config_get_double(cfg, key, def, out, err, sizeof err) != 0 || *out < lo || *out > hi) {
		pmkb_error("bad configuration: %s wants a number from %.0f to %.0f, not '%s'", key, lo, hi,
			   config_get(cfg, key) ? config_get(cfg, key) : "");
		pmkb_hint("pmkb config set %s N; see docs/config.md", key);
		return -1;
	}
	return 0;
}

/* "127.0.0.1:8080", "[::1]:8080", "localhost:8080", ":8080" (all
 * addresses). Returns 0, or -1 after reporting. */
static int parse_listen(const char *spec, struct sockaddr_storage *ss, socklen_t *sslen, int *loopback)
{
	char host[256], port[16];
	const char *colon = strrchr(spec, ':');
	if (!colon || !colon[1] || strlen(colon + 1) >= sizeof port ||
	    (size_t)(colon - spec) >= sizeof host) {
		pmkb_error("--listen '%s': want ADDRESS:PORT, e.g. 127.0.0.1:8080", spec);
		return -1;
	}
	size_t hl = (size_t)(colon - spec);
	memcpy(host, spec, hl);
	host[hl] = '\0';
	snprintf(port, sizeof port, "%s", colon + 1);
	if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
		memmove(host, host + 1, hl - 2);
		host[hl - 2] = '\0';
	}
	struct addrinfo hints, *ai = NULL;
	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	int e = getaddrinfo(*host ? host : NULL, port, &hints, &ai);
	if (e != 0 || !ai) {
		pmkb_error("--listen '%s': %s", spec, e ? gai_strerror(e) : "no address");
		return -1;
	}
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*sslen = ai->ai_addrlen;
	freeaddrinfo(ai);
	*loopback = 0;
	if (ss->ss_family == AF_INET)
		*loopback = (ntohl(((struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
	else if (ss->ss_family == AF_INET6)
		*loopback = IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *)ss)->sin6_addr);
	return 0;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	sbuf sb = {0};
	sb_vaddf(&sb, fmt, ap);
	while (sb.len && sb.buf[sb.len - 1] == '\n')
		sb.buf[--sb.len] = '\0';
	pmkb_warning("http: %s", sb_str(&sb));
	sb_free(&sb);
}

int cmd_serve(cli_ctx *ctx, int argc, char **argv)
{
	const cli_command *cmd = cli_command_find("serve");
	const char *listen_opt = NULL, *rules_path = NULL, *threads_opt = NULL;
	int c;
	while ((c = cli_getopt(cmd, argc, argv)) != -1) {
		switch (c) {
		case 'l': listen_opt = optarg; break;
		case 't': threads_opt = optarg; break;
		case 'r': rules_path = optarg; break;
		default:
			return cli_getopt_exit;
		}
	}
	if (optind != argc)
		return cli_usage(cmd->usage, "serve takes no arguments");

	const pm_config *cfg = NULL;
	int ex = cli_config(ctx, &cfg);
	if (ex)
		return ex;
	double threads = 4, max_mb = 64, timeout = 60, max_conns = 256;
	if (threads_opt) {
		char *end;
		threads = strtod(threads_opt, &end);
		if (*end || threads < 1 || threads > 256)
			return cli_usage(cmd->usage, "--threads wants a number from 1 to 256, not '%s'", threads_opt);
	} else if (config_count_key(cfg, "serve.threads", 4, 1, 256, &threads)) {
		return PMKB_EX_CONFIG;
	}
	if (config_count_key(cfg, "serve.max_body_mb", 64, 1, 4096, &max_mb) ||
	    config_count_key(cfg, "serve.timeout", 60, 1, 3600, &timeout) ||
	    config_count_key(cfg, "serve.max_connections", 256, 1, 65536, &max_conns))
		return PMKB_EX_CONFIG;
	const char *reads = config_get(cfg, "serve.reads");
	int reads_mode = SRV_READS_LOOPBACK;
	if (reads && strcmp(reads, "open") == 0)
		reads_mode = SRV_READS_OPEN;
	else if (reads && strcmp(reads, "token") == 0)
		reads_mode = SRV_READS_TOKEN;
	else if (reads && strcmp(reads, "loopback") != 0) {
		pmkb_error("bad configuration: serve.reads is 'loopback', 'open' or 'token', not '%s'", reads);
		return PMKB_EX_CONFIG;
	}
	const char *token = config_get(cfg, "serve.token");
	if (token && strlen(token) < 16) {
		pmkb_error("bad configuration: serve.token is shorter than 16 characters");
		pmkb_hint("pmkb config set serve.token \"$(head -c 24 /dev/urandom | base64)\"");
		return PMKB_EX_CONFIG;
	}
	if (reads_mode == SRV_READS_TOKEN && !token) {
		pmkb_error("bad configuration: serve.reads is 'token' but serve.token is not set");
		return PMKB_EX_CONFIG;
	}
	const char *listen_spec = listen_opt ? listen_opt : config_get(cfg, "serve.listen");
	if (!listen_spec)
		listen_spec = "127.0.0.1:8080";
	struct sockaddr_storage ss;
	socklen_t sslen = 0;
	int loopback = 0;
	if (parse_listen(listen_spec, &ss, &sslen, &loopback) != 0)
		return listen_opt ? PMKB_EX_USAGE : PMKB_EX_CONFIG;

	srv s;
	memset(&s, 0, sizeof s);
	s.db_dir = cli_db_dir(ctx);
	if (!s.db_dir)
		return cli_no_db_dir();
	s.ctx = ctx;
	s.token = token ? xstrdup(token) : NULL;
	s.reads = reads_mode;
	s.max_body = (size_t)max_mb << 20;
	pthread_mutex_init(&s.write_lock, NULL);
	pthread_mutex_init(&s.handles_lock, NULL);
	ex = cli_rules_in_force(ctx, rules_path, &s.rules);
	if (ex) {
		free(s.db_dir);
		free(s.token);
		return ex;
	}
	if (!loopback && (reads_mode == SRV_READS_OPEN || !token))
		pmkb_warning("listening on %s, not loopback, %s", listen_spec,
			     token ? "with reads open to anyone (serve.reads = open)"
				   : "without serve.token: anyone who reaches it reads the knowledge base");
	{
		char err[512] = "";
		kb_db *probe = NULL;
		kb_status st = kb_open(s.db_dir, KB_READ, &probe, err, sizeof err);
		if (st == KB_OK)
			kb_close(probe);
		else if (st == KB_NOT_FOUND)
			pmkb_warning("no knowledge base in '%s' yet: pages answer 'import something first'", s.db_dir);
		else
			pmkb_warning("knowledge base '%s': %s", s.db_dir, *err ? err : kb_status_string(st));
	}

	/* the workers inherit this mask: only the main thread takes the signals */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* the workers first: a request may come as soon as the daemon runs */
	if (pool_start(&s, (size_t)threads) < (size_t)threads) {
		pmkb_error("cannot start %u worker threads: %s", (unsigned)threads, strerror(errno));
		pool_stop();
		html_cleanup();
		rules_free(s.rules);
		free(s.db_dir);
		free(s.token);
		return PMKB_EX_SOFTWARE;
	}
	/* one thread for the connections (reading a request and writing its
	 * answer); the workers answer */
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
			MHD_ALLOW_SUSPEND_RESUME | (ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
		0, NULL, NULL, handle, &s,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)max_conns,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)timeout,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)(max_conns / 2 > 1 ? max_conns / 2 : 1),
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_END);
	ex = PMKB_EX_OK;
	if (!d) {
		pmkb_error("cannot listen on %s: %s", listen_spec, errno ? strerror(errno) : "refused");
		ex = PMKB_EX_UNAVAILABLE;
	} else {
		const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
		char host[INET6_ADDRSTRLEN] = "";
		if (ss.ss_family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof host);
		else
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof host);
		printf("pmkb serve: listening on http://%s%s%s:%u/ (%s, %u threads)\n",
		       ss.ss_family == AF_INET6 ? "[" : "", host, ss.ss_family == AF_INET6 ? "]" : "",
		       di ? (unsigned)di->port : 0, s.db_dir, (unsigned)threads);
		fflush(stdout);
		int got = 0;
		sigwait(&sigs, &got);
		/* what is queued is answered (a suspended connection must be
		 * resumed before the daemon stops); later requests are
		 * answered on the connection thread until it stops */
		pool_stop();
		MHD_stop_daemon(d);
	}
	if (!d)
		pool_stop();
	html_cleanup();
	for (size_t i = 0; i < s.nhandles; i++) {
		kb_close(s.handles[i]);
		match_cache_free(s.caches[i]);
	}
	free(s.handles);
	free(s.caches);
	rules_free(s.rules);
	pthread_mutex_destroy(&s.write_lock);
	pthread_mutex_destroy(&s.handles_lock);
	free(s.db_dir);
	free(s.token);
	return ex;
}
