/* cmd-suggest.c - pmkb suggest: the customer's reply, drafted from what
 * worked before, behind the gate (matcher/suggest.h, docs/pmkb-suggest.1).
 * cli_suggest is shared with pmkb watch (cli.h). */
#define _GNU_SOURCE
#include "cli.h"
#include "../import/readers.h"
#include "../kb/customer.h"
#include "../matcher/suggest.h"
#include "../util/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>



/* Split a config list ("a, b c") into words; caller frees each and *out. */
static size_t split_list(const char *v, char ***out)
{
	size_t n = 0, cap = 0;
	*out = NULL;
	while (v && *v) {
		size_t skip = strspn(v, ", \t");
		v += skip;
		size_t len = strcspn(v, ",\t");
		while (len && v[len - 1] == ' ')
			len--;
		if (len) {
			XGROW(*out, cap, n + 1);
			(*out)[n++] = xstrndup(v, len);
		}
		v += strcspn(v, ",\t");
	}
	return n;
}

static void free_list(char **l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

kb_status cli_privacy_config(cli_ctx *ctx, cli_privacy *p)
{
	const pm_config *cfg = ctx->config;
	memset(p, 0, sizeof p[0]);
	p->nnames = split_list(cfg ? config_get(cfg, "privacy.names") : NULL, &p->names);
	const char *user = cfg ? config_get(cfg, "user.name") : NULL;
	if (user) {
		p->names = xrealloc(p->names, (p->nnames + 1) * sizeof *p->names);
		p->names[p->nnames++] = xstrdup(user);
	}
	p->nallow = split_list(cfg ? config_get(cfg, "privacy.allow-hosts") : NULL, &p->allow);
	p->opts = (privacy_opts){(const char *const *)p->names, p->nnames,
				 (const char *const *)p->allow, p->nallow};
	return KB_OK;
}

kb_status cli_privacy_load(cli_ctx *ctx, kb_db *db, cli_privacy *p)
{
	cli_privacy_config(ctx, p);
	char **people = NULL;
	size_t npeople = 0;
	kb_status st = kb_people(db, &people, &npeople);
	if (st == KB_INVALID) /* a remote index: no SQLite */
		st = KB_OK;
	if (st != KB_OK) {
		cli_privacy_free(p);
		return st;
	}
	p->names = xrealloc(p->names, (p->nnames + npeople + 1) * sizeof *p->names);
	for (size_t i = 0; i < npeople; i++)
		p->names[p->nnames++] = people[i];
	free(people);
	p->opts.names = (const char *const *)p->names;
	p->opts.nnames = p->nnames;
	return KB_OK;
}

void cli_privacy_free(cli_privacy *p)
{
	free_list(p->names, p->nnames);
	free_list(p->allow, p->nallow);
	memset(p, 0, sizeof *p);
}

int cli_suggest(cli_ctx *ctx, kb_db *db, const ruleset *rs, const pm_case *q, const char *text,
		const char *lang, suggest_result *out)
{
	const pm_config *cfg = NULL;
	int ex = cli_config(ctx, &cfg);
	if (ex)
		return ex;
	char err[512] = "";
	double threshold = 0.9;
	if (config_get_double(cfg, "suggest.threshold", 0.9, &threshold, err, sizeof err) < 0 ||
	    threshold <= 0 || threshold > 1) {
		pmkb_error("bad configuration: suggest.threshold: %s", *err ? err : "not in (0, 1]");
		pmkb_hint("pmkb config set suggest.threshold 0.9");
		return PMKB_EX_CONFIG;
	}
	suggest_lang l = SUGGEST_ZH, def = SUGGEST_ZH;
	const char *deflang = config_get(cfg, "suggest.lang");
	if (deflang && suggest_lang_parse(deflang, &def) < 0) {
		pmkb_error("bad configuration: suggest.lang '%s' is not zh or en", deflang);
		return PMKB_EX_CONFIG;
	}
	if (lang) {
		suggest_lang_parse(lang, &l);
	} else {
		/* the customer's words before the first analysis, when there
		 * are some: an analysis may carry an engineer's notes */
		size_t first = text ? strlen(text) : 0, words = 0;
		for (size_t i = 0; i < q->nanalyses; i++)
			if (q->analyses[i].span_start < first)
				first = q->analyses[i].span_start;
		for (size_t i = 0; i < first; i++)
			words += text[i] != ' ' && text[i] != '\n' && text[i] != '\r' && text[i] != '\t';
		char *head = words >= 16 ? xstrndup(text, first) : NULL;
		l = suggest_detect_lang(head ? head : text, def);
		free(head);
	}

	char *dir = cli_db_dir(ctx);
	if (!dir)
		return cli_no_db_dir();
	suggest_templates t;
	if (suggest_templates_load(dir, &t, err, sizeof err) < 0) {
		pmkb_error("bad reply template: %s", err);
		free(dir);
		return PMKB_EX_CONFIG;
	}
	free(dir);

	/* the analysis pmkb is surest of: a known one before the others */
	match_opts o = {.rules = rs, .limit = 5};
	match_result best;
	memset(&best, 0, sizeof best);
	int have = 0;
	kb_status st = KB_OK;
	for (size_t i = 0; i < (q->nanalyses ? q->nanalyses : 1) && st == KB_OK; i++) {
		pm_signature sig;
		memset(&sig, 0, sizeof sig);
		if (q->nanalyses)
			sig_build(&q->analyses[i], &sig, NULL);
		match_result r;
		st = match_signature(db, &sig, text, &o, &r);
		sig_clear(&sig);
		if (st != KB_OK)
			break;
		if (!have || r.v > best.v || (r.v == best.v && r.confidence > best.confidence)) {
			if (have)
				match_result_clear(&best);
			best = r;
			have = 1;
		} else {
			match_result_clear(&r);
		}
	}
	cli_privacy pv;
	memset(&pv, 0, sizeof pv);
	if (st == KB_OK)
		st = cli_privacy_config(ctx, &pv);
	if (st == KB_OK) {
		suggest_params sp = {l, threshold, &t, &pv.opts};
		st = suggest_match(db, &best, &sp, out);
	}
	if (st != KB_OK)
		ex = cli_kb_fail(db, st, "cannot draft a reply");
	cli_privacy_free(&pv);
	if (have)
		match_result_clear(&best);
	suggest_templates_free(&t);
	return ex;
}

int cli_stdin_put_back(const char *buf, size_t len)
{
	int fd = memfd_create("pmkb-stdin", 0);
	if (fd < 0)
		return -1;
	for (size_t off = 0; off < len;) {
		ssize_t n = write(fd, buf + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		off += (size_t)n;
	}
	if (lseek(fd, 0, SEEK_SET) < 0 || dup2(fd, 0) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	close(fd);
	return 0;
}

/* A raw RFC 5322 mail, whose parts only the mail reader decodes: a name
 * ending in .eml, or a header block (field lines, folded lines, up to the
 * first empty line) holding MIME-Version. A mail pasted as text has no
 * such block and is read as text. */
static int is_raw_mail(const char *path, const char *buf, size_t len)
{
	size_t l = strlen(path);
	if (l > 4 && !strcasecmp(path + l - 4, ".eml"))
		return 1;
	int mime = 0;
	size_t i = 0;
	if (len > 65536)
		len = 65536;
	while (i < len) {
		const char *line = buf + i;
		const char *nl = memchr(line, '\n', len - i);
		if (!nl)
			return 0;
		size_t n = (size_t)(nl - line);
		if (n && line[n - 1] == '\r')
			n--;
		if (n == 0)
			return i > 0 && mime;
		if (line[0] == ' ' || line[0] == '\t') {
			if (i == 0)
				return 0;
		} else {
			size_t k = 0;
			while (k < n && line[k] > ' ' && line[k] < 127 && line[k] != ':')
				k++;
			if (k == 0 || k == n || line[k] != ':')
				return 0;
			mime |= k == 12 && !strncasecmp(line, "MIME-Version", 12);
		}
		i = (size_t)(nl - buf) + 1;
	}
	return 0;
}

/* The query of path: a raw mail decoded by the mail reader, else what
 * cli_read_query reads (WinDbg text, a pasted mail, a .dmp). */
static int read_suggest_query(cli_ctx *ctx, int argc, char **argv, const char *path, pm_case **q,
			      char **text)
{
	int is_stdin = !strcmp(path, "-");
	if (!is_stdin && dmp_file_is_dump(path))
		return cli_read_query(path, q, text);
	char *buf = NULL, err[256];
	size_t len = 0;
	int ex = 0;
	if (is_stdin) {
		pm_status rst = PM_OK;
		if (read_file_bounded(path, 64u << 20, &buf, &len, err, sizeof err, &rst) < 0) {
			pmkb_error("cannot read '%s': %s", path, err);
			return cli_exit_of(rst);
		}
	} else {
		/* the head is enough to tell; a missing file is reported below */
		FILE *f = fopen(path, "rb");
		if (f) {
			buf = xmalloc(65536);
			len = fread(buf, 1, 65536, f);
			fclose(f);
		}
	}
	int mail = is_raw_mail(path, buf ? buf : "", len);
	if (mail) {
		ex = cli_mail_query(ctx, argc, argv, path, is_stdin ? buf : NULL, len, q, text);
	} else if (is_stdin && cli_stdin_put_back(buf, len) < 0) {
		pmkb_error("cannot read '-': %s", strerror(errno));
		ex = PMKB_EX_SOFTWARE;
	} else {
		ex = cli_read_query(path, q, text);
	}
	free(buf);
	return ex;
}

int cmd_suggest(cli_ctx *ctx, int argc, char **argv)
{
	const cli_command *cmd = cli_command_find("suggest");
	int json = 0, c;
	const char *lang = NULL, *rules_path = NULL;
	while ((c = cli_getopt(cmd, argc, argv)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'l':
			if (strcmp(optarg, "zh") && strcmp(optarg, "en"))
				return cli_usage(cmd->usage, "--lang wants zh or en, not '%s'", optarg);
			lang = optarg;
			break;
		case 'r':
			rules_path = optarg;
			break;
		default:
			return cli_getopt_exit;
		}
	}
	if (optind != argc - 1)
		return cli_usage(cmd->usage, "suggest wants one FILE (or - for standard input)");
	const char *path = argv[optind];
	ruleset *rs = NULL;
	int ex = cli_rules_in_force(ctx, rules_path, &rs);
	if (ex)
		return ex;
	pm_case *q = NULL;
	char *text = NULL;
	ex = read_suggest_query(ctx, argc, argv, path, &q, &text);
	if (ex) {
		rules_free(rs);
		return ex;
	}
	kb_db *db = NULL;
	if (q->nanalyses == 0) {
		/* nothing to match: an engineer reads it */
		pmkb_warning("no dump analysis found in '%s'", path);
	}
	ex = cli_open_db(ctx, KB_READ, &db);
	if (!ex) {
		suggest_result r;
		memset(&r, 0, sizeof r);
		ex = cli_suggest(ctx, db, rs, q, text, lang, &r);
		if (!ex) {
			sbuf out = {0};
			if (json) {
				suggest_json(&r, &out);
				sb_addc(&out, '\n');
			} else {
				suggest_text(&r, &out);
			}
			fputs(sb_str(&out), stdout);
			sb_free(&out);
			ex = r.pass ? PMKB_EX_OK : PMKB_EX_NOMATCH;
		}
		suggest_result_clear(&r);
		kb_close(db);
	}
	pm_case_free(q);
	free(text);
	rules_free(rs);
	return ex;
}
