/* srv.c - what the pages and the API of pmkb serve share (srv.h): the
 * per-worker knowledge base handle, a request's arguments and the HTTP
 * status of an exit code. Calls nothing else of serve/. */
#include "srv.h"
#include "../util/json.h"

#include <stdarg.h>

#include <microhttpd.h>
#include <pthread.h>

/* ---- per-worker read handles ---- */

static __thread kb_db *tl_db;
static __thread match_cache *tl_cache;

kb_status srv_db(srv *s, kb_db **db, char *err, size_t errsz)
{
	if (!tl_db) {
		kb_status st = kb_open(s->db_dir, KB_READ, &tl_db, err, errsz);
		if (st != KB_OK)
			return st;
		tl_cache = match_cache_new();
		/* a worker matches for as long as the server runs */
		kb_match_dates_resident(tl_db, 1);
		pthread_mutex_lock(&s->handles_lock);
		XGROW(s->handles, s->handles_cap, s->nhandles + 1);
		XGROW(s->caches, s->caches_cap, s->nhandles + 1);
		s->caches[s->nhandles] = tl_cache;
		s->handles[s->nhandles++] = tl_db;
		pthread_mutex_unlock(&s->handles_lock);
	}
	*db = tl_db;
	return KB_OK;
}

void srv_db_drop(srv *s)
{
	if (!tl_db)
		return;
	pthread_mutex_lock(&s->handles_lock);
	for (size_t i = 0; i < s->nhandles; i++) {
		if (s->handles[i] == tl_db) {
			s->nhandles--;
			s->handles[i] = s->handles[s->nhandles];
			s->caches[i] = s->caches[s->nhandles];
			break;
		}
	}
	pthread_mutex_unlock(&s->handles_lock);
	kb_close(tl_db);
	match_cache_free(tl_cache);
	tl_db = NULL;
	tl_cache = NULL;
}

match_cache *srv_cache(void)
{
	return tl_cache;
}

int srv_status_of_exit(int ex)
{
	switch (ex) {
	case PMKB_EX_OK: return 200;
	case PMKB_EX_NOMATCH: return 404;
	case PMKB_EX_USAGE: return 400;
	case PMKB_EX_DATAERR: return 400;
	case PMKB_EX_NOINPUT: return 404;
	case PMKB_EX_UNAVAILABLE: return 502;
	case PMKB_EX_TEMPFAIL: return 503;
	default: return 500;
	}
}

const char *srv_arg(const srv_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

void srv_error_json(srv_resp *resp, int status, int ex, const char *fmt, ...)
{
	sbuf m = {0};
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&m, fmt, ap);
	va_end(ap);
	resp->status = status;
	resp->type = "application/json";
	sb_reset(&resp->body);
	jw w;
	jw_init(&w, &resp->body);
	jw_obj(&w, NULL);
	jw_str(&w, "error", sb_str(&m));
	jw_int(&w, "exit", ex);
	jw_end(&w);
	sb_addc(&resp->body, '\n');
	sb_free(&m);
}
