/* common.c - opening the knowledge base and reporting failures the same
 * way in every subcommand (see cli.h). Reading commands given several
 * --db search them all as one (kb_add_shard); writes go to the first. */
#define _GNU_SOURCE /* fopencookie */
#include "cli.h"
#include "../util/config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

char *cli_db_dir(const cli_ctx *ctx)
{
	if (ctx->ndbs > 0)
		return xstrdup(ctx->dbs[0]);
	return kb_default_dir();
}

int cli_no_db_dir(void)
{
	pmkb_error("no knowledge base directory: HOME is not set (or not absolute); give --db DIR or set PMKB_DB");
	return PMKB_EX_CONFIG;
}

int cli_open_db(const cli_ctx *ctx, kb_mode mode, kb_db **db)
{
	char *dir = cli_db_dir(ctx);
	if (!dir)
		return cli_no_db_dir();
	char err[512] = "";
	kb_status st = kb_open(dir, mode, db, err, sizeof err);
	if (st != KB_OK) {
		pmkb_error("cannot open knowledge base '%s': %s", dir, *err ? err : kb_status_string(st));
		if (st == KB_LOCKED)
			pmkb_hint("another pmkb is writing to it; retry when it is done");
		else if (st == KB_NOT_FOUND)
			pmkb_hint("import something first: pmkb import PATH");
		else if (st == KB_VERSION && strstr(err, "index '"))
			pmkb_hint("the search index is of another version of pmkb; 'pmkb reindex' rebuilds it from kb.sqlite");
		else if (st == KB_VERSION)
			pmkb_hint("made by another version of pmkb; re-import into a new --db");
		free(dir);
		return cli_kb_exit(st);
	}
	if (cli_verbosity > 0)
		fprintf(stderr, "pmkb: knowledge base '%s' (%s)\n", dir, mode == KB_READ ? "reading" : "writing");
	free(dir);
	/* Several --db for reading: search them as one (docs/shards.md). */
	for (size_t i = 1; mode == KB_READ && i < ctx->ndbs; i++) {
		st = kb_add_shard(*db, ctx->dbs[i], err, sizeof err);
		if (st != KB_OK) {
			pmkb_error("cannot open knowledge base '%s': %s", ctx->dbs[i],
				   *err ? err : kb_status_string(st));
			if (st == KB_UNAVAILABLE)
				pmkb_hint("is xapian-tcpsrv running there?");
			kb_close(*db);
			*db = NULL;
			return cli_kb_exit(st);
		}
	}
	return PMKB_EX_OK;
}

int cli_kb_fail(kb_db *db, kb_status st, const char *what)
{
	const char *why = db ? kb_last_error(db) : NULL;
	pmkb_error("%s: %s", what, why && *why ? why : kb_status_string(st));
	if (st == KB_LOCKED)
		pmkb_hint("another pmkb is writing to the knowledge base; retry when it is done");
	return cli_kb_exit(st);
}

int cli_usage(const char *usage, const char *fmt, ...)
{
	sbuf sb = {0};
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	fprintf(stderr, "pmkb: %s\nusage: %s\n", sb_str(&sb), usage);
	sb_free(&sb);
	return PMKB_EX_USAGE;
}

int cli_config(cli_ctx *ctx, const struct pm_config **out)
{
	if (!ctx->config) {
		char *dir = cli_db_dir(ctx);
		char err[512] = "";
		if (config_load(dir, &ctx->config, err, sizeof err) != 0) {
			pmkb_error("bad configuration: %s", err);
			pmkb_hint("fix the line, or 'pmkb config unset KEY'; see pmkb-config(1)");
			free(dir);
			return PMKB_EX_CONFIG;
		}
		free(dir);
	}
	*out = ctx->config;
	return PMKB_EX_OK;
}

/* Write all of buf to fd, control characters shown as ^X (ESC as ^[, so
 * no escape sequence from a stored text reaches a terminal). keep: the
 * control characters that pass (newline and tab; on stderr also CR, for
 * the progress line). */
static void write_safe(int fd, const char *buf, size_t n, const char *keep)
{
	char out[4096];
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)buf[i];
		if (k + 2 > sizeof out) {
			for (size_t w = 0; w < k;) {
				ssize_t r = write(fd, out + w, k - w);
				if (r <= 0)
					return;
				w += (size_t)r;
			}
			k = 0;
		}
		if ((ch < 0x20 || ch == 0x7f) && !strchr(keep, ch)) {
			out[k++] = '^';
			out[k++] = ch == 0x7f ? '?' : (char)(ch + '@');
		} else {
			out[k++] = (char)ch;
		}
	}
	for (size_t w = 0; w < k;) {
		ssize_t r = write(fd, out + w, k - w);
		if (r <= 0)
			return;
		w += (size_t)r;
	}
}

static ssize_t out_write(void *cookie, const char *buf, size_t n)
{
	(void)cookie;
	write_safe(1, buf, n, "\n\t");
	return (ssize_t)n;
}

static ssize_t err_write(void *cookie, const char *buf, size_t n)
{
	(void)cookie;
	write_safe(2, buf, n, "\n\t\r");
	return (ssize_t)n;
}

void cli_safe_output(void)
{
	cookie_io_functions_t o = {.write = out_write}, e = {.write = err_write};
	int out_tty = isatty(1);
	FILE *f = fopencookie(NULL, "w", o);
	if (f) {
		setvbuf(f, NULL, out_tty ? _IOLBF : _IOFBF, BUFSIZ);
		stdout = f;
	}
	f = fopencookie(NULL, "w", e);
	if (f) {
		setvbuf(f, NULL, _IONBF, 0);
		stderr = f;
	}
}
