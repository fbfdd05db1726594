/* import-progress.c - the progress line of pmkb import (import-progress.h). */
#include "import-progress.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static double now_secs(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void clock_text(double secs, char *buf, size_t n)
{
	long s = secs < 0 ? 0 : (long)(secs + 0.5);
	if (s >= 3600)
		snprintf(buf, n, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, n, "%ld:%02ld", s / 60, s % 60);
}

void import_progress_format(const import_progress *p, double now, int final, char *buf, size_t n)
{
	double secs = now - p->start;
	double rate = secs > 0.5 ? (double)p->done / secs : 0;
	size_t k = 0;
	long total = p->total && p->done > p->total ? p->done : p->total;
	if (total)
		k += (size_t)snprintf(buf + k, n - k, "%ld of %ld %s (%ld%%)", p->done, total, p->unit,
				      p->done * 100 / total);
	else
		k += (size_t)snprintf(buf + k, n - k, "%ld %s", p->done, p->unit);
	if (k < n && p->messages && !strcmp(p->unit, "files"))
		k += (size_t)snprintf(buf + k, n - k, ", %ld messages", p->messages);
	if (k < n)
		k += (size_t)snprintf(buf + k, n - k, ", %ld cases, %ld analyses", p->cases, p->analyses);
	if (k < n && rate > 0)
		k += (size_t)snprintf(buf + k, n - k, ", %.0f %s/s", rate, p->unit);
	char t[32];
	if (final) {
		clock_text(now - p->files_start, t, sizeof t);
		if (k < n)
			snprintf(buf + k, n - k, ", done in %s", t);
	} else if (total && rate > 0 && p->done < total) {
		clock_text((double)(total - p->done) / rate, t, sizeof t);
		if (k < n)
			snprintf(buf + k, n - k, ", ETA %s", t);
	}
}

static void draw(import_progress *p, double now, int final)
{
	char line[256];
	import_progress_format(p, now, final, line, sizeof line);
	/* over the last line with \r; spaces wipe what a longer one left
	 * (no escape codes: stderr shows control characters as ^X) */
	int len = (int)strlen(line);
	int pad = p->width > len ? p->width - len : 0;
	fprintf(p->out, "\rpmkb: import: %s%*s%s", line, pad, "", final ? "\n" : "");
	fflush(p->out);
	p->width = final ? 0 : len;
	p->drawn = !final;
	p->last = now;
}

void import_progress_start(import_progress *p, int show, long total)
{
	memset(p, 0, sizeof *p);
	p->show = show;
	p->out = stderr;
	p->unit = "files";
	p->total = total;
	p->start = p->last = p->files_start = now_secs();
}

void import_progress_step(import_progress *p, long cases, long analyses)
{
	p->done++;
	p->cases = cases;
	p->analyses = analyses;
	if (!p->show)
		return;
	double now = now_secs();
	if (now - p->last >= 1.0)
		draw(p, now, 0);
}

void import_progress_count(import_progress *p, long cases, long analyses)
{
	p->cases = cases;
	p->analyses = analyses;
}

void import_progress_mail(import_progress *p)
{
	p->files_done = p->done;
	p->files_total = p->total;
	p->unit = "messages";
	p->done = p->total = 0;
	p->start = now_secs();
}

void import_progress_total(import_progress *p, long total)
{
	p->total = total;
}

void import_progress_mail_end(import_progress *p, long cases, long analyses)
{
	p->messages += p->done;
	p->unit = "files";
	p->done = p->files_done;
	p->total = p->files_total;
	p->start = p->files_start;
	import_progress_step(p, cases, analyses);
}

void import_progress_end(import_progress *p, long cases, long analyses)
{
	p->cases = cases;
	p->analyses = analyses;
	if (p->show && (p->drawn || p->done))
		draw(p, now_secs(), 1);
}
