/* cmd-search.c - pmkb search: full text (Chinese included) and field
 * queries over the index; one line per case, or --json
 * (docs/search-json.md). */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] = "pmkb search [--json] [-n N] [--offset K] QUERY...";

static const struct option long_opts[] = {
	{"json", no_argument, NULL, 'j'},
	{"limit", required_argument, NULL, 'n'},
	{"offset", required_argument, NULL, 'o'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

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
	int json = 0;
	long limit = 20, offset = 0;
	int c;
	while ((c = getopt_long(argc, argv, "jn:h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'n':
			if ((limit = parse_count(optarg)) <= 0)
				return cli_usage(usage_text, "-n needs a positive number, not '%s'", optarg);
			break;
		case 'o':
			if ((offset = parse_count(optarg)) < 0)
				return cli_usage(usage_text, "--offset needs a number, not '%s'", optarg);
			break;
		case 'h':
			printf("usage: %s\n\n"
			       "Search the stored cases. Words (Chinese too) must all match; fields:\n"
			       "  case:ID customer:NAME bugcheck:0xd1 module:vwifimf\n"
			       "  frame:nwifi!Dot11SendCompletion pooltag:Filt process:explorer.exe\n"
			       "AND, OR, NOT, parentheses and \"phrases\" work as usual.\n\n"
			       "  --json          JSON output (docs/search-json.md)\n"
			       "  -n, --limit N   at most N results (default 20)\n"
			       "  --offset K      skip the first K results\n\n"
			       "exit: 0 found, 1 nothing matched, 64 bad query; see pmkb-search(1)\n",
			       usage_text);
			return PMKB_EX_OK;
		default:
			return cli_usage(usage_text, "unknown option");
		}
	}
	if (optind >= argc)
		return cli_usage(usage_text, "no query");
	sbuf q = {0};
	for (int i = optind; i < argc; i++) {
		if (i > optind)
			sb_addc(&q, ' ');
		sb_adds(&q, argv[i]);
	}
	if (q.len == strspn(sb_str(&q), " \t\r\n")) {
		sb_free(&q);
		return cli_usage(usage_text, "empty query");
	}
	if (!utf8_valid(q.buf, q.len)) {
		sb_free(&q);
		return cli_usage(usage_text, "the query is not valid UTF-8");
	}

	kb_db *db = NULL;
	int rc = cli_open_db(ctx, KB_READ, &db);
	if (rc != PMKB_EX_OK) {
		sb_free(&q);
		return rc;
	}
	kb_hits *h = NULL;
	kb_status st = kb_search(db, sb_str(&q), (size_t)offset, (size_t)limit, &h);
	if (st != KB_OK) {
		rc = cli_kb_fail(db, st, "search failed");
		kb_close(db);
		sb_free(&q);
		return rc;
	}
	if (json) {
		sbuf out = {0};
		cli_search_json(&out, sb_str(&q), (size_t)offset, (size_t)limit, h);
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
		}
	}
	rc = h->n > 0 ? PMKB_EX_OK : PMKB_EX_NOMATCH;
	kb_hits_free(h);
	kb_close(db);
	sb_free(&q);
	return rc;
}
