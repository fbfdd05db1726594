/* cmd-link.c - engineer feedback: pmkb link, pmkb unlink and pmkb links
 * (docs/pmkb-link.1). A judgement on a pair of analyses ("same root
 * cause" or "different") kept in the knowledge base (kb_link_put) and
 * honoured by match. */
#include "cli.h"
#include "../util/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Split "CAS-1#2" into the case id (caller frees) and the index of its
 * second analysis, 1 (CASE#N counts from 1, as match, show and outcome
 * print it); a bare case id is the whole case (-1). Returns 0, or -1 when
 * the part after '#' is not a number from 1. */
static int parse_ref(const char *s, char **case_id, int *analysis)
{
	const char *h = strrchr(s, '#');
	*analysis = -1;
	if (!h) {
		if (!*s)
			return -1;
		*case_id = xstrdup(s);
		return 0;
	}
	char *end = NULL;
	long v = strtol(h + 1, &end, 10);
	if (h == s || !h[1] || *end || v < 1 || v > 100000)
		return -1;
	*case_id = xstrndup(s, (size_t)(h - s));
	*analysis = (int)v - 1;
	return 0;
}

/* Who makes the link: user.name, else $USER, else "unknown". NULL when
 * the configuration cannot be read (reported). */
static char *who_am_i(cli_ctx *ctx)
{
	const pm_config *cfg = NULL;
	if (cli_config(ctx, &cfg) != PMKB_EX_OK)
		return NULL;
	const char *v = config_get(cfg, "user.name");
	if (v && *v)
		return xstrdup(v);
	const char *u = getenv("USER");
	return xstrdup(u && *u ? u : "unknown");
}

int cmd_link(cli_ctx *ctx, int argc, char **argv)
{
	const cli_command *cmd = cli_command_find("link");
	int same = -1, c;
	const char *note = NULL;
	while ((c = cli_getopt(cmd, argc, argv)) != -1) {
		switch (c) {
		case 's':
		case 'd':
			if (same >= 0 && same != (c == 's'))
				return cli_usage(cmd->usage, "--same and --different exclude each other");
			same = c == 's';
			break;
		case 'n':
			note = optarg;
			break;
		default:
			return cli_getopt_exit;
		}
	}
	if (argc - optind != 2)
		return cli_usage(cmd->usage, "link needs two analyses, CASE#N CASE#M");
	if (same < 0)
		return cli_usage(cmd->usage, "say --same or --different");
	kb_link l = {.same = same, .note = (char *)note};
	if (parse_ref(argv[optind], &l.a_case, &l.a_analysis) < 0 ||
	    parse_ref(argv[optind + 1], &l.b_case, &l.b_analysis) < 0) {
		free(l.a_case);
		return cli_usage(cmd->usage, "'%s' is not CASE or CASE#N (N: the analysis, from 0)",
				 l.a_case ? argv[optind + 1] : argv[optind]);
	}
	l.who = who_am_i(ctx);
	kb_db *db = NULL;
	int ex = l.who ? cli_open_db(ctx, KB_WRITE, &db) : PMKB_EX_CONFIG;
	if (!ex) {
		kb_status st = kb_link_put(db, &l);
		if (st == KB_OK)
			printf("linked %s %s: %s root cause (%s)\n", argv[optind], argv[optind + 1],
			       same ? "same" : "different", l.who);
		else
			ex = cli_kb_fail(db, st, "cannot link");
		if (st == KB_NOT_FOUND)
			pmkb_hint("'pmkb show CASE' lists a case's analyses, numbered from 0");
		kb_close(db);
	}
	free(l.a_case);
	free(l.b_case);
	free(l.who);
	return ex;
}

int cmd_unlink(cli_ctx *ctx, int argc, char **argv)
{
	const cli_command *cmd = cli_command_find("unlink");
	int c;
	while ((c = cli_getopt(cmd, argc, argv)) != -1) {
		(void)c;
		return cli_getopt_exit;
	}
	if (argc - optind != 2)
		return cli_usage(cmd->usage, "unlink needs the two analyses of the link");
	char *ac = NULL, *bc = NULL;
	int aa, ba;
	if (parse_ref(argv[optind], &ac, &aa) < 0 || parse_ref(argv[optind + 1], &bc, &ba) < 0) {
		int ex = cli_usage(cmd->usage, "'%s' is not CASE or CASE#N",
				   ac ? argv[optind + 1] : argv[optind]);
		free(ac);
		return ex;
	}
	kb_db *db = NULL;
	int ex = cli_open_db(ctx, KB_WRITE, &db);
	if (!ex) {
		int removed = 0;
		kb_status st = kb_link_del(db, ac, aa, bc, ba, &removed);
		if (st != KB_OK) {
			ex = cli_kb_fail(db, st, "cannot unlink");
		} else if (!removed) {
			pmkb_error("no link between '%s' and '%s'", argv[optind], argv[optind + 1]);
			pmkb_hint("'pmkb links CASE' lists the links of a case");
			ex = PMKB_EX_NOINPUT;
		} else {
			printf("unlinked %s %s\n", argv[optind], argv[optind + 1]);
		}
		kb_close(db);
	}
	free(ac);
	free(bc);
	return ex;
}

static void ref_str(sbuf *sb, const char *c, int a)
{
	if (a < 0)
		sb_adds(sb, c);
	else
		sb_addf(sb, "%s#%d", c, a + 1);
}

int cmd_links(cli_ctx *ctx, int argc, char **argv)
{
	const cli_command *cmd = cli_command_find("links");
	int json = 0, c;
	while ((c = cli_getopt(cmd, argc, argv)) != -1) {
		if (c == 'j')
			json = 1;
		else
			return cli_getopt_exit;
	}
	if (argc - optind > 1)
		return cli_usage(cmd->usage, "at most one case");
	kb_db *db = NULL;
	int ex = cli_open_db(ctx, KB_READ, &db);
	if (ex)
		return ex;
	kb_link *l = NULL;
	size_t n = 0;
	kb_status st = kb_links(db, optind < argc ? argv[optind] : NULL, &l, &n);
	if (st != KB_OK) {
		ex = cli_kb_fail(db, st, "cannot read links");
		kb_close(db);
		return ex;
	}
	sbuf out = {0};
	jw w;
	jw_init(&w, &out);
	if (json) {
		jw_obj(&w, NULL);
		jw_arr(&w, "links");
	}
	for (size_t i = 0; i < n; i++) {
		if (json) {
			sbuf a = {0}, b = {0};
			ref_str(&a, l[i].a_case, l[i].a_analysis);
			ref_str(&b, l[i].b_case, l[i].b_analysis);
			jw_obj(&w, NULL);
			jw_str(&w, "a", sb_str(&a));
			jw_str(&w, "b", sb_str(&b));
			jw_str(&w, "relation", l[i].same ? "same" : "different");
			jw_str(&w, "who", l[i].who);
			jw_str(&w, "at", l[i].at);
			jw_str(&w, "note", l[i].note);
			jw_end(&w);
			sb_free(&a);
			sb_free(&b);
		} else {
			ref_str(&out, l[i].a_case, l[i].a_analysis);
			sb_addc(&out, ' ');
			ref_str(&out, l[i].b_case, l[i].b_analysis);
			sb_addf(&out, "  %s  %s  %s", l[i].same ? "same" : "different",
				l[i].who ? l[i].who : "-", l[i].at ? l[i].at : "-");
			if (l[i].note)
				sb_addf(&out, "  %s", l[i].note);
			sb_addc(&out, '\n');
		}
	}
	if (json) {
		jw_end(&w);
		jw_end(&w);
		sb_addc(&out, '\n');
	}
	fputs(sb_str(&out), stdout);
	sb_free(&out);
	kb_links_free(l, n);
	kb_close(db);
	return PMKB_EX_OK;
}
