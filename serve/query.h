/* query.h - what a page or API request asks to match, read from memory,
 * and the match and draft reply run on it (query.c). */
#ifndef PMKB_SERVE_QUERY_H
#define PMKB_SERVE_QUERY_H

#include "srv.h"

/* The analyses (or prose) to match in a text or .dmp sent in
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

/* The reply pmkb suggest would draft for q (cli_suggest: the same match,
 * gate and templates); lang "zh", "en" or NULL for the text's. Returns 0
 * or the exit code (the reason went to the server's standard error). */
int srv_suggest(srv *s, kb_db *db, const pm_case *q, const char *text, const char *lang,
		struct suggest_result *out);

#endif
