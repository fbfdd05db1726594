/* cmd-sig.c - pmkb sig: the signature(s) pmkb extracts from a dump
 * analysis (WinDbg text, a whole mail or thread) or a .dmp file, as text,
 * with --why the trace of every normalisation decision, or as JSON
 * (docs/sig-json.md). Reads only; never opens the knowledge base. */
#include "cli.h"
#include "../import/readers.h"
#include "../sig/signature.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_text(const pm_analysis *a, const pm_signature *s, size_t n, const char *why)
{
	printf("analysis %zu", n);
	if (a->dump_name)
		printf(" (dump %s)", a->dump_name);
	if (s->bugcheck)
		printf(": bugcheck %s%s%s\n", s->bugcheck, s->bugcheck_name ? " " : "",
		       s->bugcheck_name ? s->bugcheck_name : "");
	else if (a->exception_code)
		printf(": no bugcheck, exception %s\n", a->exception_code);
	else
		printf(": no bugcheck printed\n");
	if (s->args[0] || s->args[1] || s->args[2] || s->args[3]) {
		fputs("  args:", stdout);
		for (int i = 0; i < 4; i++)
			printf(" %s", s->args[i] ? s->args[i] : "-");
		putchar('\n');
	}
	printf("  signature: %s\n", s->text ? s->text : "");
	if (a->image)
		printf("  image: %s\n", a->image);
	if (s->culprit) {
		printf("  culprit: %s", s->culprit_printed ? s->culprit_printed : s->culprit);
		if (s->culprit_function)
			printf(" (%s!%s)", s->culprit, s->culprit_function);
		printf(" [from %s]\n", s->culprit_from ? s->culprit_from : "?");
	}
	if (a->process)
		printf("  process: %s\n", a->process);
	if (a->failure_bucket)
		printf("  failure bucket: %s\n", a->failure_bucket);
	size_t kept = sig_kept_frames(s, NULL, 0);
	if (kept) {
		printf("  frames (%zu kept of %zu):\n", kept, s->nframes);
		for (size_t i = 0; i < s->nframes; i++) {
			const sig_frame *f = &s->frames[i];
			if (f->skip)
				continue;
			if (f->function && f->offset)
				printf("    %s+%s%s\n", f->key, f->offset, f->third_party ? "  (third-party)" : "");
			else
				printf("    %s%s\n", f->key, f->third_party ? "  (third-party)" : "");
		}
	}
	if (s->nthird_party) {
		fputs("  third-party modules:", stdout);
		for (size_t i = 0; i < s->nthird_party; i++)
			printf(" %s", s->third_party[i]);
		putchar('\n');
	}
	if (s->npool_tags) {
		fputs("  pool tags:", stdout);
		for (size_t i = 0; i < s->npool_tags; i++)
			printf(" %s (%s)", s->pool_tags[i].tag,
			       s->pool_tags[i].owner ? s->pool_tags[i].owner : "owner unknown");
		putchar('\n');
	}
	if (why) {
		puts("  why:");
		for (const char *p = why; *p;) {
			const char *nl = strchr(p, '\n');
			size_t l = nl ? (size_t)(nl - p) : strlen(p);
			printf("    %.*s\n", (int)l, p);
			p += l + (nl ? 1 : 0);
		}
	}
}

/* Print the dump reader's warnings, one per line, naming the file. */
static void print_warnings(const char *shown, char *warnings)
{
	for (char *p = warnings; p && *p;) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (*p)
			pmkb_warning("'%s': %s", shown, p);
		p = nl ? nl + 1 : p + strlen(p);
	}
	free(warnings);
}

/* Read path ("-": stdin) into the analyses of pc through the input
 * reader (import/input.h): a dump, or text (at most 64 MiB, any encoding it
 * knows) through windbg_extract. Returns PMKB_EX_OK, PMKB_EX_NOMATCH when
 * no analysis was found, or the exit code of a failure already reported
 * on stderr. */
static int load(const char *path, const char *shown, pm_case *pc)
{
	input in;
	input_status st = input_read(path, NULL, &in);
	if (st != INPUT_OK) {
		pmkb_error("cannot read '%s': %s", shown, in.err);
		input_clear(&in);
		return cli_input_exit(st);
	}
	if (in.is_dump) {
		print_warnings(shown, in.warnings);
		in.warnings = NULL;
		pm_case_take_analysis(pc, &in.dump);
		input_clear(&in);
		return PMKB_EX_OK;
	}
	windbg_extract(in.text, in.len, -1, pc);
	input_clear(&in);
	if (pc->nanalyses == 0) {
		pmkb_error("no dump analysis found in '%s'", shown);
		return PMKB_EX_NOMATCH;
	}
	return PMKB_EX_OK;
}

int cmd_sig(cli_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	int json = 0, want_why = 0;
	const cli_command *cmd = cli_command_find("sig");
	int c;
	while ((c = cli_getopt(cmd, argc, argv)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'w': want_why = 1; break;
		default: return cli_getopt_exit;
		}
	}
	if (argc - optind != 1)
		return cli_usage(cmd->usage, "sig: %s", argc - optind < 1 ? "FILE or '-' expected"
								  : "one FILE expected");
	const char *path = argv[optind];
	const char *shown = strcmp(path, "-") == 0 ? "(stdin)" : path;

	pm_case *pc = pm_case_new();
	int rc = load(path, shown, pc);
	if (rc != PMKB_EX_OK) {
		pm_case_free(pc);
		if (json && rc == PMKB_EX_NOMATCH)
			puts("{\"analyses\":[]}");
		return rc;
	}

	sbuf out = {0};
	if (json)
		sb_adds(&out, "{\"analyses\":[");
	for (size_t i = 0; i < pc->nanalyses; i++) {
		pm_signature s;
		sbuf why = {0};
		sig_build(&pc->analyses[i], &s, want_why ? &why : NULL);
		if (json) {
			if (i)
				sb_addc(&out, ',');
			sig_json(&pc->analyses[i], &s, &out);
			if (want_why) {
				/* the trace as an extra member: reopen the object */
				out.len--;
				sb_adds(&out, ",\"why\":[");
				const char *p = sb_str(&why);
				int first = 1;
				while (*p) {
					const char *nl = strchr(p, '\n');
					size_t l = nl ? (size_t)(nl - p) : strlen(p);
					if (!first)
						sb_addc(&out, ',');
					first = 0;
					json_strn(&out, p, l);
					p += l + (nl ? 1 : 0);
				}
				sb_adds(&out, "]}");
			}
		} else {
			if (i)
				putchar('\n');
			print_text(&pc->analyses[i], &s, i + 1, want_why ? sb_str(&why) : NULL);
		}
		sb_free(&why);
		sig_clear(&s);
	}
	if (json) {
		sb_adds(&out, "]}\n");
		fputs(sb_str(&out), stdout);
	}
	sb_free(&out);
	pm_case_free(pc);
	if (fflush(stdout) != 0) {
		pmkb_error("cannot write the output");
		return PMKB_EX_SOFTWARE;
	}
	return PMKB_EX_OK;
}
