/* cmd-list.c - managing the stored cases: pmkb list, pmkb count and
 * pmkb rm (docs/pmkb-list.1, docs/pmkb-rm.1). */
#include "cli.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


/* A date bound: YYYY, YYYY-MM or YYYY-MM-DD (empty: open). */
static int date_ok(const char *s, size_t n)
{
	static const char shape[] = "dddd-dd-dd";
	if (n != 0 && n != 4 && n != 7 && n != 10)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != '-')
			return 0;
	int month = n >= 7 ? atoi(s + 5) : 1, day = n == 10 ? atoi(s + 8) : 1;
	return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/* "date:FROM..TO", "date:DAY" into *from / *to (caller frees; NULL:
 * open). Returns 0, or -1 when the argument is not such a range. */
static int parse_range(const char *arg, char **from, char **to)
{
	*from = *to = NULL;
	if (strncmp(arg, "date:", 5))
		return -1;
	const char *r = arg + 5, *dots = strstr(r, "..");
	const char *a = r, *b = dots ? dots + 2 : r;
	size_t na = dots ? (size_t)(dots - r) : strlen(r), nb = strlen(b);
	if ((!dots && !na) || !date_ok(a, na) || !date_ok(b, nb))
		return -1;
	if (na)
		*from = xstrndup(a, na);
	if (nb)
		*to = xstrndup(b, nb);
	return 0;
}

static int parse_size(const char *s, size_t *out)
{
	char *end = NULL;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v < 0)
		return -1;
	*out = (size_t)v;
	return 0;
}

static int range_usage(const char *usage, const char *arg)
{
	cli_usage(usage, "'%s' is not a date range", arg);
	pmkb_hint("date:2020-09..2021-03, date:2022-05-23, date:..2021 or date:2022..; "
		  "dates are those of the case's last message");
	return PMKB_EX_USAGE;
}

/* the members of a case row in pmkb list --json, in order */
static const jw_field row_fields[] = {
	JW_FIELD_AS("case", kb_case_row, id), JW_FIELD(kb_case_row, title),
	JW_FIELD(kb_case_row, customer), JW_FIELD(kb_case_row, first_date),
	JW_FIELD(kb_case_row, last_date), JW_FIELD(kb_case_row, status), JW_FIELD(kb_case_row, source),
};

int cmd_list(cli_ctx *ctx, int argc, char **argv)
{
	const cli_command *cmd = cli_command_find("list");
	int json = 0, c;
	kb_sort sort = KB_SORT_DATE;
	size_t limit = 0, offset = 0;
	while ((c = cli_getopt(cmd, argc, argv)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 's':
			if (!strcmp(optarg, "date"))
				sort = KB_SORT_DATE;
			else if (!strcmp(optarg, "case"))
				sort = KB_SORT_CASE;
			else
				return cli_usage(cmd->usage, "--sort takes date or case, not '%s'", optarg);
			break;
		case 'n':
			if (parse_size(optarg, &limit) < 0)
				return cli_usage(cmd->usage, "--limit takes a number, not '%s'", optarg);
			break;
		case 'o':
			if (parse_size(optarg, &offset) < 0)
				return cli_usage(cmd->usage, "--offset takes a number, not '%s'", optarg);
			break;
		default:
			return cli_getopt_exit;
		}
	}
	if (argc - optind > 1)
		return cli_usage(cmd->usage, "at most one date range");
	char *from = NULL, *to = NULL;
	if (optind < argc && parse_range(argv[optind], &from, &to) < 0)
		return range_usage(cmd->usage, argv[optind]);
	kb_db *db = NULL;
	int ex = cli_open_db(ctx, KB_READ, &db);
	if (ex) {
		free(from);
		free(to);
		return ex;
	}
	kb_case_row *rows = NULL;
	size_t n = 0, total = 0;
	kb_status st = kb_list_cases(db, sort, from, to, offset, limit, &rows, &n, &total);
	free(from);
	free(to);
	if (st != KB_OK) {
		ex = cli_kb_fail(db, st, "cannot list cases");
		kb_close(db);
		return ex;
	}
	sbuf out = {0};
	jw w;
	jw_init(&w, &out);
	if (json) {
		jw_obj(&w, NULL);
		jw_size(&w, "total", total);
		jw_size(&w, "offset", offset);
		jw_arr(&w, "cases");
	}
	for (size_t i = 0; i < n; i++) {
		const kb_case_row *r = &rows[i];
		if (json) {
			jw_obj(&w, NULL);
			jw_fields(&w, r, row_fields, PMKB_ARRAY_LEN(row_fields));
			jw_int(&w, "analyses", r->analyses);
			jw_end(&w);
		} else {
			char day[11] = "-";
			if (r->last_date)
				snprintf(day, sizeof day, "%s", r->last_date);
			sb_addf(&out, "%s  %s  %s  %ld analyses  %s\n", r->id, day,
				r->customer ? r->customer : "-", r->analyses, r->title ? r->title : "");
		}
	}
	if (json) {
		jw_end(&w);
		jw_end(&w);
		sb_addc(&out, '\n');
	}
	fputs(sb_str(&out), stdout);
	sb_free(&out);
	if (!json && n < total && isatty(2))
		fprintf(stderr, "%zu of %zu cases shown (--offset %zu)\n", n, total, offset);
	kb_case_rows_free(rows, n);
	kb_close(db);
	return PMKB_EX_OK;
}

int cmd_count(cli_ctx *ctx, int argc, char **argv)
{
	const cli_command *cmd = cli_command_find("count");
	int c;
	while ((c = cli_getopt(cmd, argc, argv)) != -1) {
		(void)c;
		return cli_getopt_exit;
	}
	if (argc - optind > 1)
		return cli_usage(cmd->usage, "at most one date range");
	char *from = NULL, *to = NULL;
	if (optind < argc && parse_range(argv[optind], &from, &to) < 0)
		return range_usage(cmd->usage, argv[optind]);
	kb_db *db = NULL;
	int ex = cli_open_db(ctx, KB_READ, &db);
	if (!ex) {
		kb_case_row *rows = NULL;
		size_t n = 0, total = 0;
		/* limit 1: the count is all that is wanted */
		kb_status st = kb_list_cases(db, KB_SORT_CASE, from, to, 0, 1, &rows, &n, &total);
		if (st == KB_OK)
			printf("%zu\n", total);
		else
			ex = cli_kb_fail(db, st, "cannot count cases");
		kb_case_rows_free(rows, n);
		kb_close(db);
	}
	free(from);
	free(to);
	return ex;
}

int cmd_rm(cli_ctx *ctx, int argc, char **argv)
{
	const cli_command *cmd = cli_command_find("rm");
	int c;
	while ((c = cli_getopt(cmd, argc, argv)) != -1) {
		(void)c;
		return cli_getopt_exit;
	}
	if (optind >= argc)
		return cli_usage(cmd->usage, "which case?");
	kb_db *db = NULL;
	int ex = cli_open_db(ctx, KB_WRITE, &db);
	if (ex)
		return ex;
	for (int i = optind; i < argc; i++) {
		size_t nlinks = 0;
		kb_status st = kb_rm_case(db, argv[i], &nlinks);
		if (st != KB_OK) {
			char *what = xasprintf("cannot remove '%s'", argv[i]);
			int e = cli_kb_fail(db, st, what);
			free(what);
			if (st == KB_NOT_FOUND)
				pmkb_hint("'pmkb list' shows the stored cases");
			if (!ex)
				ex = e;
			continue;
		}
		if (nlinks)
			printf("removed %s and its %zu link%s\n", argv[i], nlinks, nlinks == 1 ? "" : "s");
		else
			printf("removed %s\n", argv[i]);
	}
	kb_close(db);
	return ex;
}
