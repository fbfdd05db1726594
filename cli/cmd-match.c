/* cmd-match.c - pmkb match: "have we seen this?" for a WinDbg text, a
 * mail with an analysis in it, or a .dmp file (docs/pmkb-match.1). */
#include "cli.h"
#include "../import/readers.h"
#include "../matcher/match.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Read the query through the input reader (import/input.h): analyses of
 * a WinDbg text (or mail), or one .dmp. On success *c holds them (caller
 * frees) and *text the input as text (NULL for a dump). Returns 0 or the
 * exit code after reporting. */
int cli_read_query(const char *path, pm_case **c, char **text)
{
	*c = NULL;
	*text = NULL;
	input in;
	input_status st = input_read(path, NULL, &in);
	if (in.warnings && *in.warnings)
		pmkb_warning("'%s': %s", path, in.warnings);
	if (st != INPUT_OK) {
		pmkb_error("cannot read '%s': %s", path, in.err);
		input_clear(&in);
		return cli_input_exit(st);
	}
	pm_case *q = pm_case_new();
	q->id = xstrdup("query");
	if (in.is_dump) {
		pm_case_take_analysis(q, &in.dump);
	} else {
		windbg_extract(in.text, in.len, -1, q);
		*text = in.text;
		in.text = NULL;
	}
	input_clear(&in);
	*c = q;
	return 0;
}

int cmd_match(cli_ctx *ctx, int argc, char **argv)
{
	const cli_command *cmd = cli_command_find("match");
	int json = 0, prose = 0, c;
	long n = 5;
	const char *rules_path = NULL;
	while ((c = cli_getopt(cmd, argc, argv)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'r':
			rules_path = optarg;
			break;
		case 't':
			prose = 1;
			break;
		case 'n': {
			char *end;
			n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 1000)
				return cli_usage(cmd->usage, "-n wants a number from 1 to 1000, not '%s'", optarg);
			break;
		}
		default:
			return cli_getopt_exit;
		}
	}
	if (optind != argc - 1)
		return cli_usage(cmd->usage, "match wants one FILE (or - for standard input)");
	const char *path = argv[optind];

	ruleset *rs = NULL;
	int ex = cli_rules_in_force(ctx, rules_path, &rs);
	if (ex)
		return ex;
	pm_case *q = NULL;
	char *text = NULL;
	ex = cli_read_query(path, &q, &text);
	if (ex) {
		rules_free(rs);
		return ex;
	}
	size_t nq = q->nanalyses;
	if (nq == 0 && !(prose && text && *str_trim(text))) {
		/* a verdict all the same for a program: the reason says why */
		if (json) {
			sbuf none = {0};
			cli_match_none_json(&none);
			printf("%s\n", sb_str(&none));
			sb_free(&none);
		}
		pmkb_error("nothing to match in '%s': no dump analysis found", path);
		pmkb_hint("give it !analyze -v output, a kc/k stack or a .dmp; --text matches prose alone");
		pm_case_free(q);
		free(text);
		rules_free(rs);
		return PMKB_EX_NOMATCH;
	}

	kb_db *db = NULL;
	ex = cli_open_db(ctx, KB_READ, &db);
	if (ex) {
		pm_case_free(q);
		free(text);
		rules_free(rs);
		return ex;
	}
	match_opts o = {.rules = rs, .limit = (size_t)n, .use_text = prose};
	match_result *res = NULL;
	size_t nres = 0;
	sbuf out = {0};
	int rc = PMKB_EX_OK;
	kb_status st = cli_match_all(db, q, text, &o, &res, &nres);
	if (st != KB_OK) {
		rc = cli_kb_fail(db, st, "cannot match");
	} else if ((st = cli_match_doc(db, q, res, nres, json, &out)) != KB_OK) {
		rc = cli_kb_fail(db, st, "cannot read outcomes");
	} else {
		fputs(sb_str(&out), stdout);
		if (json)
			fputc('\n', stdout);
		rc = cli_match_any_known(res, nres) ? PMKB_EX_OK : PMKB_EX_NOMATCH;
	}
	if (res)
		cli_match_free(res, nres);
	sb_free(&out);
	kb_close(db);
	pm_case_free(q);
	free(text);
	rules_free(rs);
	return rc;
}
