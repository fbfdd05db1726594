/* html.h - the pages of pmkb serve (html.c). */
#ifndef PMKB_SERVE_HTML_H
#define PMKB_SERVE_HTML_H

#include "srv.h"

/* Answer a request for a page: fills resp. */
void html_handle(srv *s, srv_req *r, srv_resp *resp);
/* Escape text for HTML element content and attribute values. */
void html_esc(sbuf *sb, const char *s);
/* Free what the pages keep between requests (at the end). */
void html_cleanup(void);

#endif
