/* mail-query.c - a customer's raw mail as a query, in pmkb-import (GMime):
 * the WinDbg text of its decoded body and text attachments (base64,
 * quoted-printable, GB18030... as import/mail.c decodes them for pmkb
 * import) and its .dmp attachments. pmkb watch files each fetched mail with
 * it; pmkb suggest on a raw mail runs here (cli/exec-import.c). */
#include "cli.h"
#include "../import/mail-reader.h"
#include "../import/readers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

pm_case *cli_mail_query_of(const mail_msg *m, char **text)
{
	pm_case *q = pm_case_new();
	q->id = xstrdup("query");
	sbuf sb = {0};
	sb_adds(&sb, m->body ? m->body : "");
	if (m->attached_text) {
		sb_addc(&sb, '\n');
		sb_adds(&sb, m->attached_text);
	}
	windbg_extract(sb.buf ? sb.buf : "", sb.len, -1, q);
	for (size_t i = 0; i < m->natts; i++) {
		if (!m->atts[i].data)
			continue;
		pm_analysis a;
		memset(&a, 0, sizeof a);
		char *warn = NULL, err[256];
		pm_status dex = PM_OK;
		if (dmp_read_mem(m->atts[i].data, m->atts[i].len, &a, &warn, err, sizeof err, &dex) == 0)
			pm_case_take_analysis(q, &a);
		else
			pm_analysis_clear(&a);
		free(warn);
	}
	*text = sb_detach(&sb);
	return q;
}

int cli_mail_query(cli_ctx *ctx, int argc, char **argv, const char *path, const char *buf,
		   size_t len, pm_case **q, char **text)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	char err[256];
	char *own = NULL;
	*q = NULL;
	*text = NULL;
	if (!buf) {
		pm_status st = PM_OK;
		if (read_file_bounded(path, 64u << 20, &own, &len, err, sizeof err, &st) < 0) {
			pmkb_error("cannot read '%s': %s", path, err);
			return cli_exit_of(st);
		}
		buf = own;
	}
	mail_init();
	mail_msg m;
	if (mail_parse_mem(buf, len, &m, err, sizeof err) < 0) {
		pmkb_error("cannot read '%s': not a mail: %s", path, err);
		free(own);
		return PMKB_EX_DATAERR;
	}
	free(own);
	if (m.warnings && *m.warnings) {
		char *w = m.warnings, *nl;
		while (*w) {
			nl = strchr(w, '\n');
			size_t n = nl ? (size_t)(nl - w) : strlen(w);
			if (n)
				pmkb_warning("'%s': %.*s", path, (int)n, w);
			w += n + (nl != NULL);
		}
	}
	*q = cli_mail_query_of(&m, text);
	mail_msg_clear(&m);
	return 0;
}
