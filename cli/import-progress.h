/* import-progress.h - the progress line of pmkb import, one format for
 * thread files and mail: "pmkb: import: 1200 of 5000 files (24%), 1180
 * cases, 310 analyses, 402 files/s, ETA 0:09", redrawn at most once a
 * second on standard error, and a last line with the time taken. A mail
 * source (mbox, maildir, IMAP) counts its messages while it is read, with
 * its own total once the source knows it, then the count goes back to
 * files. Shown when standard error is a terminal, or with --progress;
 * never with -q. */
#ifndef PMKB_IMPORT_PROGRESS_H
#define PMKB_IMPORT_PROGRESS_H

#include <stdio.h>

typedef struct import_progress {
	int show;           /* draw the line at all */
	FILE *out;          /* standard error */
	const char *unit;   /* "files", or "messages" inside a mail source */
	long done, total;   /* total 0: not known */
	long cases, analyses;
	long messages;      /* of the mail sources read so far */
	double start, last; /* seconds (monotonic) */
	int drawn;          /* a line is on the screen, not ended */
	int width;          /* the length of the line on the screen */
	/* the files count, kept while a mail source counts messages */
	long files_done, files_total;
	double files_start;
} import_progress;

/* Start counting files: total is what the walk will read (0: unknown). */
void import_progress_start(import_progress *p, int show, long total);

/* One more file or message read; the line is redrawn when a second has
 * passed since it last was. */
void import_progress_step(import_progress *p, long cases, long analyses);

/* The cases and analyses stored so far, shown at the next redraw. */
void import_progress_count(import_progress *p, long cases, long analyses);

/* A mail source begins: count its messages (total 0 until it is known,
 * import_progress_total). */
void import_progress_mail(import_progress *p);
void import_progress_total(import_progress *p, long total);
/* The mail source ended: back to files, the source counting as one. */
void import_progress_mail_end(import_progress *p, long cases, long analyses);

/* The last line ("..., done in 0:12") when anything was drawn. */
void import_progress_end(import_progress *p, long cases, long analyses);

/* The line itself, for tests: "1200 of 5000 files (24%), ..." into buf. */
void import_progress_format(const import_progress *p, double now, int final, char *buf, size_t n);

#endif
