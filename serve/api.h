/* api.h - the JSON API of pmkb serve (api.c, docs/api.md). */
#ifndef PMKB_SERVE_API_H
#define PMKB_SERVE_API_H

#include "srv.h"

/* Answer a request for /api/...: fills resp. */
void api_handle(srv *s, srv_req *r, srv_resp *resp);

#endif
