/* cmd-search.c - pmkb search: full text (Chinese included) and field
 * queries over the index; one line per case, or --json
 * (docs/search-json.md). */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A non-negative count from an option value, or -1. */
static long parse_count(const char *s)
{
	char *end = NULL;
	long v = strtol(s, &end, 10);
	if (!*s || !end || *end || v < 0 || v > 1000000)
		return -1;
	return v;
}

int cmd_search(cli_ctx *ctx, int argc, char **argv)
{
	int json = 0, count = 0, snip = 0;
	kb_order order = KB_ORDER_RELEVANCE;
	long limit = 20, offset = 0;
	int c;
	const cli_command *cmd = cli_command_find("search");
	while ((c = cli_getopt(cmd, argc, argv)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'n':
			if ((limit = parse_count(optarg)) <= 0)
				return cli_usage(cmd->usage, "-n needs a positive number, not '%s'", optarg);
			break;
		case 'o':
			if ((offset = parse_count(optarg)) < 0)
				return cli_usage(cmd->usage, "--offset needs a number, not '%s'", optarg);
			break;
		case 's':
			if (!strcmp(optarg, "relevance"))
				order = KB_ORDER_RELEVANCE;
			else if (!strcmp(optarg, "date"))
				order = KB_ORDER_NEWEST;
			else if (!strcmp(optarg, "oldest"))
				order = KB_ORDER_OLDEST;
			else
				return cli_usage(cmd->usage, "--sort takes relevance, date or oldest, not '%s'", optarg);
			break;
		case 'c':
			count = 1;
			break;
		case 'S':
			snip = 1;
			break;
		default:
			return cli_getopt_exit;
		}
	}
	if (optind >= argc)
		return cli_usage(cmd->usage, "no query");
	sbuf q = {0};
	for (int i = optind; i < argc; i++) {
		if (i > optind)
			sb_addc(&q, ' ');
		sb_adds(&q, argv[i]);
	}
	if (q.len == strspn(sb_str(&q), " \t\r\n")) {
		sb_free(&q);
		return cli_usage(cmd->usage, "empty query");
	}
	if (!utf8_valid(q.buf, q.len)) {
		sb_free(&q);
		return cli_usage(cmd->usage, "the query is not valid UTF-8");
	}

	kb_db *db = NULL;
	int rc = cli_open_db(ctx, KB_READ, &db);
	if (rc != PMKB_EX_OK) {
		sb_free(&q);
		return rc;
	}
	kb_hits *h = NULL;
	kb_search_order(db, order);
	kb_search_exact_count(db, count);
	kb_status st = kb_search(db, sb_str(&q), count ? 0 : (size_t)offset, count ? 1 : (size_t)limit, &h);
	if (st != KB_OK) {
		rc = cli_kb_fail(db, st, "search failed");
		/* the fields hint answers a field or value it does not know, not a
		 * query refused for its size */
		if (st == KB_BAD_QUERY && !strstr(kb_last_error(db), "too long"))
			pmkb_hint("fields: case: customer: bugcheck:0xd1 module: frame: pooltag: process: "
				  "date:2020-09..2021-03 (date:2022.., date:..2021-06-30); quote a value with a colon");
		kb_close(db);
		sb_free(&q);
		return rc;
	}
	char **snippets = xcalloc(h->n + 1, sizeof *snippets);
	for (size_t i = 0; !count && (json || snip) && i < h->n; i++)
		snippets[i] = cli_search_snippet(db, h->hits[i].case_id, sb_str(&q));
	if (count) {
		printf("%zu\n", h->estimated);
	} else if (json) {
		sbuf out = {0};
		cli_search_json(&out, sb_str(&q), (size_t)offset, (size_t)limit, h,
				(const char *const *)snippets);
		sb_addc(&out, '\n');
		fputs(sb_str(&out), stdout);
		sb_free(&out);
	} else {
		for (size_t i = 0; i < h->n; i++) {
			const kb_hit *x = &h->hits[i];
			char date[11] = "-";
			if (x->date && *x->date)
				snprintf(date, sizeof date, "%s", x->date);
			printf("%s  %s  %s  %s\n", x->case_id, date,
			       x->customer && *x->customer ? x->customer : "-", x->title ? x->title : "");
			if (snippets[i])
				printf("    %s\n", snippets[i]);
		}
	}
	for (size_t i = 0; i < h->n; i++)
		free(snippets[i]);
	free(snippets);
	rc = h->n > 0 ? PMKB_EX_OK : PMKB_EX_NOMATCH;
	kb_hits_free(h);
	kb_close(db);
	sb_free(&q);
	return rc;
}
