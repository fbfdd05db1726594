/* dmp.c - reads Windows crash dump files (.dmp) on any OS, without a
 * debugger or symbols: detection by the first bytes, then the format's
 * reader (dmp-kernel.c, dmp-user.c), which use the shared bounded reads,
 * module lookup, frames and evidence trail of dmp-common.c (never the
 * whole file). docs/dmp.md says what is read. */
#include "readers.h"
#include "dmp-int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Is there a NUL or a control byte other than tab, CR, LF, FF in b? */
static int has_binary_byte(const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i] < 0x20 && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' && b[i] != '\f')
			return 1;
	return 0;
}

int dmp_is_dump(const unsigned char *head, size_t len)
{
	if (!head)
		return 0;
	if (len >= 8 && (memcmp(head, "PAGEDU64", 8) == 0 || memcmp(head, "PAGEDUMP", 8) == 0))
		return 1;
	if (len >= 4 && memcmp(head, "MDMP", 4) == 0)
		return 1;
	/* dumps we cannot read: unfinished ("PAGE" fill), an unknown "PAGE"
	 * variant, a CAB-packed dump. 2 (still true) so that callers hand them
	 * to dmp_read_* and the user learns what the file is, not "binary data".
	 * Text can start with the same letters (a WinDbg paste beginning
	 * "PAGE_FAULT_IN_NONPAGED_AREA (50)"): a real header holds binary
	 * fields right after the tag (NUL bytes), text does not. */
	if (len >= 8 && memcmp(head, "PAGEPAGE", 8) == 0)
		return 2;
	if (len >= 4 && len < 8 && (memcmp(head, "PAGEDU64", len) == 0 || memcmp(head, "PAGEDUMP", len) == 0))
		return 2; /* a header cut inside its signature */
	if (len >= 4 && (memcmp(head, "PAGE", 4) == 0 || memcmp(head, "MSCF", 4) == 0) &&
	    has_binary_byte(head + 4, len - 4 < 60 ? len - 4 : 60))
		return 2;
	return 0;
}

int dmp_file_is_dump(const char *path)
{
	unsigned char head[64];
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	size_t n = fread(head, 1, sizeof head, f);
	fclose(f);
	return dmp_is_dump(head, n);
}

/* Name what the file is when it is not a dump we read: the one-line error
 * of section 0 of docs/dmp.md. */
static int classify_other(dmp_ctx *c, const unsigned char *h, size_t n)
{
	if (c->size == 0)
		return dmp_fail(c, "not a Windows dump: the file is empty");
	if (n >= 4 && memcmp(h, "MSCF", 4) == 0)
		return dmp_fail(c, "CAB archive (MSCF): extract the .dmp first (cabextract)");
	if (n >= 8 && memcmp(h, "PAGEPAGE", 8) == 0)
		return dmp_fail(c, "dump header is unwritten \"PAGE\" fill: the dump writer never finished");
	if (n >= 4 && n < 8 && memcmp(h, "PAGE", 4) == 0)
		return dmp_fail(c, "kernel dump header: the file is 0x%zx bytes, shorter than its 8-byte signature", n);
	if (n >= 8 && memcmp(h, "PAGE", 4) == 0)
		return dmp_fail(c, "unknown kernel dump variant: signature \"PAGE\" followed by %02x %02x %02x %02x at file offset 0x4",
				h[4], h[5], h[6], h[7]);
	size_t z = 0;
	while (z < n && h[z] == 0)
		z++;
	if (z == n && n >= 8)
		return dmp_fail(c, "dump file was never written: the first 0x%zx bytes are zero", n);
	sbuf sb = {0};
	for (size_t i = 0; i < n && i < 4; i++)
		sb_addf(&sb, "%s%02x", i ? " " : "", h[i]);
	dmp_fail(c, "not a Windows dump: first bytes %s", sb_str(&sb));
	sb_free(&sb);
	return -1;
}

/* Shared body of dmp_read_file/dmp_read_mem once the source is set. */
static int read_any(dmp_ctx *c, char **warnings, pm_status *st)
{
	unsigned char head[0x2000];
	size_t n = c->size < sizeof head ? (size_t)c->size : sizeof head;
	int rc;
	if (n && dmp_read(c, 0, head, n, "file head") < 0)
		rc = -1;
	else if (n >= 8 && memcmp(head, "PAGEDU64", 8) == 0)
		rc = dmp_read_kernel(c, 1);
	else if (n >= 8 && memcmp(head, "PAGEDUMP", 8) == 0)
		rc = dmp_read_kernel(c, 0);
	else if (n >= 4 && memcmp(head, "MDMP", 4) == 0)
		rc = dmp_read_user(c);
	else
		rc = classify_other(c, head, n);

	for (size_t i = 0; i < c->nmods; i++) {
		free(c->mods[i].name);
		free(c->mods[i].path);
	}
	for (size_t i = 0; i < c->nunl; i++) {
		free(c->unl[i].name);
		free(c->unl[i].path);
	}
	free(c->mods);
	free(c->unl);
	if (rc == 0) {
		pm_analysis *a = c->a;
		a->message = -1;
		free(a->source);
		a->source = xstrdup("dmp");
		if (c->ev.len && c->ev.buf[c->ev.len - 1] == '\n')
			c->ev.buf[--c->ev.len] = 0;
		free(a->evidence);
		a->evidence = c->ev.len ? sb_detach(&c->ev) : NULL;
		/* the content hash: what the reader derived, so the same dump
		 * read twice (file or attachment) is recognised */
		sbuf h = {0};
		sb_addf(&h, "%s|%s|%s|%s", a->bugcheck_code ? a->bugcheck_code : "",
			a->exception_code ? a->exception_code : "", a->os_build ? a->os_build : "",
			a->fault_ip ? a->fault_ip : "");
		for (int i = 0; i < 4; i++)
			sb_addf(&h, "|%s", a->args[i] ? a->args[i] : "");
		for (size_t i = 0; i < a->nframes; i++)
			sb_addf(&h, "|%s%s", a->frames[i].module ? a->frames[i].module : "",
				a->frames[i].offset ? a->frames[i].offset : a->frames[i].address);
		sb_addf(&h, "|%s", a->registers ? a->registers : "");
		hash_hex(fnv1a64(h.buf, h.len), a->hash);
		sb_free(&h);
		if (warnings)
			*warnings = c->warn.len ? sb_detach(&c->warn) : NULL;
	} else {
		pm_analysis_clear(c->a);
		if (warnings)
			*warnings = NULL;
	}
	sb_free(&c->ev);
	sb_free(&c->warn);
	if (st)
		*st = rc == 0 ? PM_OK : c->code;
	return rc;
}

/* Both entry points (readers.h): *out is overwritten without being freed
 * first (pass a fresh one) and is empty after a failure; *warnings is NULL
 * or a string the caller frees. The file is never read whole. */
int dmp_read_mem(const unsigned char *buf, size_t len, pm_analysis *out, char **warnings,
		 char *err, size_t errsz, pm_status *st)
{
	char dummy[8];
	dmp_ctx c = {0};
	c.mem = buf ? buf : (const unsigned char *)"";
	c.size = buf ? len : 0;
	c.fd = -1;
	c.a = out;
	c.err = err && errsz ? err : dummy;
	c.errsz = err && errsz ? errsz : sizeof dummy;
	c.err[0] = 0;
	c.ptr = 8;
	memset(out, 0, sizeof *out);
	return read_any(&c, warnings, st);
}

int dmp_read_file(const char *path, pm_analysis *out, char **warnings, char *err, size_t errsz,
		  pm_status *status)
{
	char dummy[8];
	if (!err || !errsz) {
		err = dummy;
		errsz = sizeof dummy;
	}
	memset(out, 0, sizeof *out);
	if (warnings)
		*warnings = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(err, errsz, "%s", errno == ENOENT ? "no such file" : strerror(errno));
		err[0] = (char)(err[0] >= 'A' && err[0] <= 'Z' ? err[0] - 'A' + 'a' : err[0]);
		if (fd >= 0)
			close(fd);
		if (status)
			*status = PM_NO_INPUT;
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errsz, "%s", S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
		close(fd);
		if (status)
			*status = PM_NO_INPUT;
		return -1;
	}
	dmp_ctx c = {0};
	c.fd = fd;
	c.size = (uint64_t)st.st_size;
	c.a = out;
	c.err = err;
	c.errsz = errsz;
	c.err[0] = 0;
	c.ptr = 8;
	int rc = read_any(&c, warnings, status);
	close(fd);
	if (rc == 0) {
		const char *b = dmp_base_name(path);
		out->dump_name = xstrdup(b);
	}
	return rc;
}
