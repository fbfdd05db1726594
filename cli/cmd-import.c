/* cmd-import.c - pmkb import: read case threads, plain text, WinDbg
 * output and mail (files, directories, stdin, imap:// URLs) and store
 * them, one batch for the whole run. See docs/pmkb-import.1. */
#include "cli.h"
#include "../import/readers.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define IMPORT_MAX_BYTES ((size_t)64 << 20)
#define IMPORT_MAX_DEPTH 32


static const char *formats[] = {"auto", "thread", "text", "windbg", "dmp", "eml", "mbox", "maildir", "imap"};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

typedef struct importer {
	kb_db *db;
	const char *format; /* NULL: auto */
	const char *search;
	import_report rep;
	long sources_ok;
	long sources_bad;
	int worst;          /* exit code of the worst failure */
	import_progress pg; /* the progress line (import-progress.h) */
	int fatal;          /* storage failed: stop */
	dev_t *dir_dev;     /* directories read, by (device, inode): a symbolic */
	ino_t *dir_ino;     /* link loop or a second link to one is read once */
	size_t ndirs, dirs_cap;
	int partial;        /* a mail server failed after some cases came: its exit code */
	char why[256];      /* the reason of the last failure (cli_import_mem) */
} importer;

/* Remember a failed source; 65 (bad data) wins over 66 (missing input). */
static void source_failed(importer *im, int code)
{
	im->sources_bad++;
	im->rep.errors++;
	if (code == PMKB_EX_TEMPFAIL || code == PMKB_EX_SOFTWARE || code == PMKB_EX_CONFIG) {
		im->fatal = 1;
		im->worst = code;
	} else if (im->worst == 0 || code == PMKB_EX_DATAERR) {
		im->worst = code ? code : PMKB_EX_DATAERR;
	}
}

static int only_space(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!strchr(" \t\r\n\f\v", buf[i]))
			return 0;
	return 1;
}

static void cannot_read(importer *im, const char *path, const char *why, int code)
{
	pmkb_error("cannot read '%s': %s", path, why);
	snprintf(im->why, sizeof im->why, "%s", why);
	source_failed(im, code);
}

/* Import one mail source through import_mail (cli/import-mail.c). */
static void import_mail_source(importer *im, const char *path, const char *fmt)
{
	long before = im->rep.cases;
	im->rep.files++;
	int rc = import_mail(im->db, path, fmt, im->search, &im->rep, &im->pg);
	if (rc != PMKB_EX_OK && im->rep.cases == before) {
		source_failed(im, rc);
	} else {
		im->sources_ok++;
		/* A server lost mid-fetch: what came is kept, but the exit code
		 * says so, so that a cron job retries (a re-run resumes). */
		if (rc == PMKB_EX_UNAVAILABLE || rc == PMKB_EX_TEMPFAIL)
			im->partial = rc;
	}
}

static void store_dump(importer *im, const char *path, pm_analysis *a, char *warnings);

/* What the input reader (import/input.h) is to make of a source: with
 * --format dmp a dump, else text; a dump is sniffed only where import_path
 * has not looked already (standard input, a request body). */
static input_opts import_input_opts(const importer *im, int sniff_dumps)
{
	input_opts o = {.max_text = IMPORT_MAX_BYTES, .dumps = INPUT_DUMPS_NEVER};
	if (im->format && strcmp(im->format, "dmp") == 0)
		o.dumps = INPUT_DUMPS_ONLY;
	else if (sniff_dumps)
		o.dumps = INPUT_DUMPS_SNIFF;
	return o;
}

/* Import what the input reader read from path (read status st): a dump as
 * a case of its own, text as a thread export, plain text or WinDbg output. */
static void import_input(importer *im, const char *path, input_status st, input *in)
{
	char err[256] = "";
	int is_stdin = strcmp(path, "-") == 0;
	if (st != INPUT_OK) {
		cannot_read(im, st == INPUT_ERR_DUMP && is_stdin ? "stdin" : path, in->err,
			    cli_input_exit(st));
		return;
	}
	if (in->is_dump) {
		char *warnings = in->warnings;
		in->warnings = NULL;
		store_dump(im, is_stdin ? "stdin" : path, &in->dump, warnings);
		return;
	}
	if (only_space(in->text, in->len)) {
		cannot_read(im, path, "empty file", PMKB_EX_DATAERR);
		return;
	}
	const char *name = is_stdin ? "stdin" : path;
	pm_case *c = NULL;
	int rc;
	if (im->format && strcmp(im->format, "windbg") == 0)
		rc = windbg_read_case(name, in->text, in->len, &c, err, sizeof err);
	else
		rc = thread_read(name, in->text, in->len, &c, err, sizeof err);
	if (rc != 0 || !c) {
		cannot_read(im, path, *err ? err : "not a case thread", PMKB_EX_DATAERR);
		pm_case_free(c);
		return;
	}
	if (!c->source)
		c->source = xstrdup(name);
	if (!c->format)
		c->format = xstrdup(im->format && strcmp(im->format, "windbg") == 0 ? "windbg" : "thread");
	redact_case(c); /* before place_case compares it with what is stored */
	/* --case files it under that case (cli_store_case); else a case of
	 * its own, never another source's */
	int pl = import_case_id() ? PLACE_STORE : place_case(im->db, &c, &im->rep);
	if (pl == PLACE_UNCHANGED) {
		pm_case_free(c);
		im->sources_ok++;
		return;
	}
	if (pl < 0) {
		pm_case_free(c);
		source_failed(im, -pl);
		return;
	}
	int sc = cli_store_case(im->db, c, &im->rep);
	if (sc != PMKB_EX_OK) {
		im->rep.errors--; /* counted again by source_failed */
		source_failed(im, sc);
		snprintf(im->why, sizeof im->why, "%s", kb_last_error(im->db));
	} else {
		im->sources_ok++;
	}
}

/* Import one file, or standard input for "-": text, or a dump when
 * import_path found one (dump) or on standard input. */
static void import_file(importer *im, const char *path, int dump)
{
	im->rep.files++;
	input_opts o = import_input_opts(im, strcmp(path, "-") == 0);
	if (dump)
		o.dumps = INPUT_DUMPS_ONLY;
	input in;
	input_status st = input_read(path, &o, &in);
	import_input(im, path, st, &in);
	input_clear(&in);
}

/* A dump file as a case of one analysis, id = file stem. Dumps may be
 * larger than the text limit: the dump reader reads bounded pieces. */
/* Store one dump analysis read from path (or standard input, name
 * "stdin") as a case of its own, id = the file stem. Takes a and warnings. */
static void store_dump(importer *im, const char *path, pm_analysis *a, char *warnings)
{
	if (warnings && *warnings) {
		char *save = NULL;
		for (char *w = strtok_r(warnings, "\n", &save); w; w = strtok_r(NULL, "\n", &save))
			pmkb_warning("'%s': %s", path, w);
		im->rep.warnings++;
	}
	free(warnings);
	pm_case *c = pm_case_new();
	c->id = path_stem(path);
	c->source = xstrdup(path);
	c->format = xstrdup("dmp");
	a->message = -1;
	pm_case_take_analysis(c, a);
	redact_case(c);
	c->title = xasprintf("dump %s", c->analyses[0].dump_name ? c->analyses[0].dump_name : c->id);
	int ex = import_case_apply(im->db, &c);
	if (ex) {
		source_failed(im, ex);
		pm_case_free(c);
		return;
	}
	if (!import_case_id()) {
		/* a new source: a case of its own, never another source's */
		int pl = place_case(im->db, &c, &im->rep);
		if (pl == PLACE_UNCHANGED) {
			im->sources_ok++;
			pm_case_free(c);
			return;
		}
		if (pl < 0) {
			source_failed(im, -pl);
			pm_case_free(c);
			return;
		}
	}
	/* kb_put_case directly: a dump has no message body to extract from
	 * (a case it was added to has its analyses already) */
	char *osrc = NULL, *ofmt = NULL;
	int existed = kb_case_origin(im->db, c->id, &osrc, &ofmt) == KB_OK;
	free(osrc);
	free(ofmt);
	kb_status st = kb_put_case(im->db, c, NULL);
	if (st != KB_OK) {
		char *what = xasprintf("cannot store case '%s'", c->id);
		source_failed(im, cli_kb_fail(im->db, st, what));
		snprintf(im->why, sizeof im->why, "%s", kb_last_error(im->db));
		free(what);
	} else {
		im->rep.cases++;
		im->rep.analyses++;
		im->sources_ok++;
		place_stored(c, existed, 1);
	}
	pm_case_free(c);
}

int cli_import_mem(kb_db *db, const char *name, char *buf, size_t len, const char *format,
		   import_report *rep, char *err, size_t errsz)
{
	importer im;
	memset(&im, 0, sizeof im);
	im.db = db;
	im.format = format && strcmp(format, "auto") != 0 ? format : NULL;
	if (im.format && strcmp(im.format, "text") == 0)
		im.format = "thread";
	im.rep.files = 1;
	input_opts o = import_input_opts(&im, 1);
	input in;
	input_status st = input_read_mem(buf, len, &o, &in);
	free(buf);
	import_input(&im, name, st, &in);
	input_clear(&in);
	rep->files += im.rep.files;
	rep->cases += im.rep.cases;
	rep->messages += im.rep.messages;
	rep->analyses += im.rep.analyses;
	rep->notes += im.rep.notes;
	rep->redactions += im.rep.redactions;
	rep->attachments += im.rep.attachments;
	rep->errors += im.rep.errors;
	rep->warnings += im.rep.warnings;
	if (im.sources_bad) {
		snprintf(err, errsz, "%s", im.why[0] ? im.why : "cannot import it");
		return im.worst ? im.worst : PMKB_EX_DATAERR;
	}
	return PMKB_EX_OK;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void import_path(importer *im, const char *path, int depth);

/* A directory walk skips hidden entries and the folder's own documentation
 * (README*, *.md): a folder of saved threads often carries a note about
 * them, which is not a case. A file named on the command line is always
 * read. */
static int skip_in_walk(const char *name)
{
	return name[0] == '.' || str_istarts(name, "readme") || str_ends(name, ".md") ||
	       str_ends(name, ".MD");
}

/* Has the directory (dev, ino) been read in this run? Marks it read. */
static int dir_seen(importer *im, dev_t dev, ino_t ino)
{
	if ((im->ndirs + 1) * 2 > im->dirs_cap) {
		size_t ncap = im->dirs_cap ? im->dirs_cap * 2 : 256;
		dev_t *d = xcalloc(ncap, sizeof *d);
		ino_t *n = xcalloc(ncap, sizeof *n);
		for (size_t i = 0; i < im->dirs_cap; i++) {
			if (!im->dir_ino[i])
				continue;
			size_t j = (size_t)(im->dir_ino[i] * 31 + im->dir_dev[i]) & (ncap - 1);
			while (n[j])
				j = (j + 1) & (ncap - 1);
			d[j] = im->dir_dev[i];
			n[j] = im->dir_ino[i];
		}
		free(im->dir_dev);
		free(im->dir_ino);
		im->dir_dev = d;
		im->dir_ino = n;
		im->dirs_cap = ncap;
	}
	ino_t key = ino ? ino : 1;
	size_t j = (size_t)(key * 31 + dev) & (im->dirs_cap - 1);
	while (im->dir_ino[j]) {
		if (im->dir_ino[j] == key && im->dir_dev[j] == dev)
			return 1;
		j = (j + 1) & (im->dirs_cap - 1);
	}
	im->dir_dev[j] = dev;
	im->dir_ino[j] = key;
	im->ndirs++;
	return 0;
}

static void import_dir(importer *im, const char *path, int depth, const struct stat *st)
{
	if (dir_seen(im, st->st_dev, st->st_ino)) {
		pmkb_warning("'%s': directory already read in this import (a symbolic link loop, or a second "
			     "link to it): skipped", path);
		im->rep.warnings++;
		return;
	}
	if (depth > IMPORT_MAX_DEPTH) {
		cannot_read(im, path, "directories nested too deep", PMKB_EX_DATAERR);
		return;
	}
	DIR *d = opendir(path);
	if (!d) {
		cannot_read(im, path, strerror(errno), PMKB_EX_NOINPUT);
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (skip_in_walk(e->d_name))
			continue;
		XGROW(names, cap, n + 1);
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof *names, cmp_str);
	size_t plen = strlen(path);
	for (size_t i = 0; i < n; i++) {
		if (!interrupted && !im->fatal) {
			char *child = xasprintf("%s%s%s", path, plen && path[plen - 1] == '/' ? "" : "/", names[i]);
			import_path(im, child, depth + 1);
			free(child);
		}
		free(names[i]);
	}
	free(names);
}

/* How many files an import of path reads, for the progress line's total:
 * the walk of import_path without reading (a maildir, an mbox or an IMAP
 * mailbox is one; the line counts its messages while it is read). seen
 * keeps the directories walked, as import_dir does. */
static long count_files(importer *seen, const char *path, int depth)
{
	if (str_starts(path, "imap://") || str_starts(path, "imaps://") || strcmp(path, "-") == 0)
		return 1;
	struct stat st;
	if (stat(path, &st) != 0)
		return 0;
	if (!S_ISDIR(st.st_mode))
		return S_ISREG(st.st_mode);
	const char *mail = seen->format ? NULL : import_mail_detect(path);
	if ((mail && strcmp(mail, "maildir") == 0) || (seen->format && strcmp(seen->format, "maildir") == 0))
		return 1;
	if (depth > IMPORT_MAX_DEPTH || dir_seen(seen, st.st_dev, st.st_ino))
		return 0;
	DIR *d = opendir(path);
	if (!d)
		return 0;
	long n = 0;
	struct dirent *e;
	size_t plen = strlen(path);
	while ((e = readdir(d)) != NULL && !interrupted) {
		if (skip_in_walk(e->d_name))
			continue;
		char *child = xasprintf("%s%s%s", path, plen && path[plen - 1] == '/' ? "" : "/", e->d_name);
		n += count_files(seen, child, depth + 1);
		free(child);
	}
	closedir(d);
	return n;
}

static void import_path(importer *im, const char *path, int depth)
{
	if (str_starts(path, "imap://") || str_starts(path, "imaps://")) {
		import_mail_source(im, path, "imap");
		return;
	}
	if (strcmp(path, "-") == 0) {
		import_file(im, path, 0); /* mail comes from files or imap:// */
		import_progress_step(&im->pg, im->rep.cases, im->rep.analyses);
		return;
	}
	struct stat st;
	if (stat(path, &st) != 0) {
		struct stat lst;
		const char *why = errno == ENOENT ? (lstat(path, &lst) == 0 ? "dangling symbolic link"
									  : "no such file")
						  : strerror(errno);
		cannot_read(im, path, why, PMKB_EX_NOINPUT);
		return;
	}
	const char *fmt = im->format;
	if (S_ISDIR(st.st_mode)) {
		const char *mail = fmt ? (strcmp(fmt, "maildir") == 0 ? fmt : NULL) : import_mail_detect(path);
		if (mail && strcmp(mail, "maildir") == 0)
			import_mail_source(im, path, "maildir");
		else
			import_dir(im, path, depth, &st);
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		cannot_read(im, path, "not a regular file", PMKB_EX_NOINPUT);
		return;
	}
	if (access(path, R_OK) != 0) {
		cannot_read(im, path, strerror(errno), PMKB_EX_NOINPUT);
		return;
	}
	if ((fmt && strcmp(fmt, "dmp") == 0) || (!fmt && dmp_file_is_dump(path))) {
		import_file(im, path, 1);
		import_progress_step(&im->pg, im->rep.cases, im->rep.analyses);
		return;
	}
	/* Mail is read message by message, never whole: no size cap for it. */
	if (fmt && (strcmp(fmt, "eml") == 0 || strcmp(fmt, "mbox") == 0 || strcmp(fmt, "maildir") == 0)) {
		import_mail_source(im, path, fmt);
		return;
	}
	if (!fmt) {
		const char *mail = import_mail_detect(path);
		if (mail) {
			import_mail_source(im, path, mail);
			return;
		}
	}
	import_file(im, path, 0); /* the input reader refuses text over 64 MiB */
	import_progress_step(&im->pg, im->rep.cases, im->rep.analyses);
}

int cmd_import(cli_ctx *ctx, int argc, char **argv)
{
	importer im;
	memset(&im, 0, sizeof im);
	const cli_command *cmd = cli_command_find("import");
	const char *case_id = NULL, *case_customer = NULL;
	int c, progress_opt = 0;
	while ((c = cli_getopt(cmd, argc, argv)) != -1) {
		switch (c) {
		case 'f': {
			int ok = 0;
			for (size_t i = 0; i < PMKB_ARRAY_LEN(formats); i++)
				ok |= strcmp(optarg, formats[i]) == 0;
			if (!ok)
				return cli_usage(cmd->usage, "unknown format '%s'", optarg);
			im.format = strcmp(optarg, "auto") == 0 ? NULL : optarg;
			if (im.format && strcmp(im.format, "text") == 0)
				im.format = "thread"; /* the thread reader takes plain text too */
			break;
		}
		case 's':
			im.search = optarg;
			break;
		case 'C':
			if (!*optarg || strlen(optarg) > 1000 || strchr(optarg, '#'))
				return cli_usage(cmd->usage, "'%s' cannot be a case id", optarg);
			case_id = optarg;
			break;
		case 'U':
			case_customer = optarg;
			break;
		case 'P':
			progress_opt = 1;
			break;
		default:
			return cli_getopt_exit;
		}
	}
	if (optind >= argc)
		return cli_usage(cmd->usage, "nothing to import");
	import_case_target(case_id, case_customer);

	/* the handlers before the knowledge base is opened: a signal from
	 * then on ends the import with what is done kept, never half a batch */
	struct sigaction sa, old_int, old_term, old_hup;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND; /* a second Ctrl-C ends at once */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup); /* a closed terminal: keep what is done, as Ctrl-C */

	int rc = cli_open_db(ctx, KB_WRITE, &im.db);
	if (rc != PMKB_EX_OK)
		return rc;
	kb_status st = kb_begin_batch(im.db);
	if (st != KB_OK) {
		rc = cli_kb_fail(im.db, st, "cannot start the import");
		kb_close(im.db);
		return rc;
	}
	long total = 0;
	int show = !pmkb_quiet && (progress_opt || isatty(2));
	if (show) {
		importer walk;
		memset(&walk, 0, sizeof walk);
		walk.format = im.format;
		for (int i = optind; i < argc && !interrupted; i++)
			total += count_files(&walk, argv[i], 0);
		free(walk.dir_dev);
		free(walk.dir_ino);
	}
	import_progress_start(&im.pg, show, total);

	for (int i = optind; i < argc && !interrupted && !im.fatal; i++)
		import_path(&im, argv[i], 0);

	st = kb_commit(im.db);
	import_progress_end(&im.pg, im.rep.cases, im.rep.analyses);
	if (st != KB_OK) {
		rc = cli_kb_fail(im.db, st, "cannot commit the import");
		pmkb_warning("the cases of the last batch were not committed; what was committed before "
			     "is kept whole (see 'pmkb check')");
		kb_close(im.db);
		free(im.dir_dev);
		free(im.dir_ino);
		return rc;
	}
	kb_close(im.db);
	free(im.dir_dev);
	free(im.dir_ino);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);

	place_summary ps;
	place_totals(&ps);
	printf("imported %ld cases, %ld messages, %ld analyses (%ld personal data items redacted);"
	       " the knowledge base holds %ld messages in the %ld cases touched"
	       " (%ld new, %ld updated, %ld unchanged)\n",
	       im.rep.cases, im.rep.messages, im.rep.analyses, im.rep.redactions, ps.messages, ps.cases,
	       ps.created, ps.updated, ps.unchanged);
	fflush(stdout);
	if (interrupted) {
		pmkb_warning("interrupted; the %ld cases imported so far are kept", im.rep.cases);
		return 130;
	}
	if (im.fatal) {
		/* a refused login or certificate (78) would fail every source
		 * after it too; a storage failure may have left a batch */
		if (im.worst != PMKB_EX_CONFIG)
			pmkb_warning("stopped at the first storage failure; what was committed before it is kept "
				     "whole (see 'pmkb check')");
		else if (im.rep.cases)
			pmkb_warning("stopped at the configuration error above; the %ld cases imported before it are kept",
				     im.rep.cases);
		return im.worst;
	}
	if (im.rep.cases == 0 && ps.unchanged == 0 && im.sources_bad > 0)
		return im.worst ? im.worst : PMKB_EX_DATAERR;
	if (im.rep.errors > 0)
		pmkb_warning("%ld of %ld sources could not be imported (see above)", im.sources_bad,
			     im.sources_bad + im.sources_ok);
	if (im.partial)
		return im.partial;
	return PMKB_EX_OK;
}
