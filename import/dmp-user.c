/* dmp-user.c - user-mode minidumps (MDMP: MiniDumpWriteDump, WER,
 * procdump, Breakpad): system info, module list, exception stream and the
 * exception thread's stack. A stream that points outside the file is
 * skipped with a warning; the file fails only when nothing usable is left. */
#include "dmp-int.h"

#include <stdio.h>
#include <stdlib.h>

enum { S_THREADS = 3, S_MODULES = 4, S_EXCEPTION = 6, S_SYSINFO = 7, S_MISC = 15 };

typedef struct stream {
	uint32_t size, rva;
	uint64_t dirpos; /* file offset of its directory entry */
	int present;
} stream;

static const char *stream_name(uint32_t t)
{
	switch (t) {
	case S_THREADS: return "thread list";
	case S_MODULES: return "module list";
	case S_EXCEPTION: return "exception";
	case S_SYSINFO: return "system info";
	default: return "misc info";
	}
}

/* Check a stream's bounds and minimal size; warn and return -1 if bad. */
static int stream_ok(dmp_ctx *c, uint32_t type, const stream *s, uint32_t minsize, char **first)
{
	char *msg = NULL;
	if (!dmp_in_file(c, s->rva, s->size))
		msg = xasprintf("minidump %s stream: Rva 0x%x + DataSize 0x%x (directory entry at file offset 0x%llx) exceeds file size 0x%llx",
				stream_name(type), s->rva, s->size, (unsigned long long)s->dirpos, (unsigned long long)c->size);
	else if (s->size < minsize)
		msg = xasprintf("minidump %s stream: DataSize 0x%x (directory entry at file offset 0x%llx) is smaller than 0x%x",
				stream_name(type), s->size, (unsigned long long)s->dirpos, minsize);
	if (!msg)
		return 0;
	dmp_warn(c, "%s: skipped", msg);
	if (!*first)
		*first = msg;
	else
		free(msg);
	return -1;
}

/* MINIDUMP_STRING at rva (Length in bytes, UTF-16LE) or NULL. */
static char *md_string(dmp_ctx *c, uint32_t rva)
{
	unsigned char lb[4];
	if (!dmp_in_file(c, rva, 4) || dmp_read(c, rva, lb, 4, "module name") < 0)
		return NULL;
	uint32_t bytes = dmp_le32(lb);
	if (bytes == 0 || bytes % 2 || bytes > 2 * DMP_MAX_NAME || !dmp_in_file(c, (uint64_t)rva + 4, bytes))
		return NULL;
	unsigned char *b = xmalloc(bytes);
	char *s = NULL;
	if (dmp_read(c, (uint64_t)rva + 4, b, bytes, "module name") == 0)
		s = dmp_utf16(b, bytes / 2);
	free(b);
	return s;
}

int dmp_read_user(dmp_ctx *c)
{
	pm_analysis *a = c->a;
	unsigned char h[32];
	if (c->size < 32)
		return dmp_fail(c, "minidump header: the file is 0x%llx bytes, shorter than the 0x20-byte header",
				(unsigned long long)c->size);
	if (dmp_read(c, 0, h, 32, "minidump header") < 0)
		return -1;
	uint32_t ver = dmp_le32(h + 4), n = dmp_le32(h + 8), dir = dmp_le32(h + 12);
	if ((ver & 0xffff) != 0xa793)
		return dmp_fail(c, "minidump header: Version 0x%08x (file offset 0x4) lacks the 0xa793 minidump magic", ver);
	if (n == 0 || n > DMP_MAX_STREAMS)
		return dmp_fail(c, "minidump header: NumberOfStreams %u (file offset 0x8) is %s", n,
				n ? "over the limit 4096" : "zero");
	if (!dmp_in_file(c, dir, (uint64_t)n * 12))
		return dmp_fail(c, "minidump header: StreamDirectoryRva 0x%x (file offset 0xc) + %u x 12 exceeds file size 0x%llx",
				dir, n, (unsigned long long)c->size);
	unsigned char *d = xmalloc((size_t)n * 12);
	if (dmp_read(c, dir, d, (size_t)n * 12, "minidump stream directory") < 0) {
		free(d);
		return -1;
	}
	stream st[16] = {{0}};
	for (uint32_t i = 0; i < n; i++) {
		uint32_t t = dmp_le32(d + 12 * i);
		if (t < 16 && !st[t].present) {
			st[t].present = 1;
			st[t].size = dmp_le32(d + 12 * i + 4);
			st[t].rva = dmp_le32(d + 12 * i + 8);
			st[t].dirpos = dir + 12ull * i;
		}
	}
	free(d);
	dmp_ev(c, "minidump header: version 0x%08x, %u streams, directory at file offset 0x%x", ver, n, dir);

	char *first = NULL; /* the first stream problem, for the error if nothing is usable */
	int usable = 0;
	unsigned machine = 0;
	unsigned char b[0xa8];

	if (st[S_SYSINFO].present && stream_ok(c, S_SYSINFO, &st[S_SYSINFO], 24, &first) == 0 &&
	    dmp_read(c, st[S_SYSINFO].rva, b, 24, "system info stream") == 0) {
		static const unsigned arch_machine[] = {[0] = DMP_MACHINE_I386, [5] = DMP_MACHINE_ARMNT,
							[9] = DMP_MACHINE_AMD64, [12] = DMP_MACHINE_ARM64};
		uint16_t arch = dmp_le16(b);
		machine = arch < PMKB_ARRAY_LEN(arch_machine) ? arch_machine[arch] : 0;
		c->ptr = machine == DMP_MACHINE_I386 || machine == DMP_MACHINE_ARMNT ? 4 : 8;
		a->machine = xstrdup(dmp_machine_name(machine));
		a->os_build = xasprintf("%u", dmp_le32(b + 16));
		dmp_ev(c, "system info stream (file offset 0x%x): Windows %u.%u.%u, processor architecture %u (%s), %u processors",
		       st[S_SYSINFO].rva, dmp_le32(b + 8), dmp_le32(b + 12), dmp_le32(b + 16), arch,
		       a->machine ? a->machine : "unknown", b[6]);
		usable = 1;
	}

	if (st[S_MODULES].present && stream_ok(c, S_MODULES, &st[S_MODULES], 4, &first) == 0 &&
	    dmp_read(c, st[S_MODULES].rva, b, 4, "module list stream") == 0) {
		uint32_t cnt = dmp_le32(b), fit = (st[S_MODULES].size - 4) / 108;
		if (cnt > fit || cnt > DMP_MAX_MODULES) {
			uint32_t keep = fit < DMP_MAX_MODULES ? fit : DMP_MAX_MODULES;
			dmp_warn(c, "minidump module list stream: NumberOfModules %u (file offset 0x%x) exceeds what the stream holds; reading %u",
				 cnt, st[S_MODULES].rva, keep);
			cnt = keep;
		}
		for (uint32_t i = 0; i < cnt; i++) {
			uint64_t pos = st[S_MODULES].rva + 4ull + 108ull * i;
			if (dmp_read(c, pos, b, 24, "module list stream") < 0)
				goto fail;
			uint64_t base = dmp_le64(b);
			uint32_t size = dmp_le32(b + 8);
			char *name = md_string(c, dmp_le32(b + 20));
			if (!name || size == 0 || base + size < base) {
				dmp_warn(c, "minidump module list stream: module %u at file offset 0x%llx has %s: skipped", i,
					 (unsigned long long)pos, name ? "an empty or wrapping range" : "an unreadable name");
				free(name);
				continue;
			}
			dmp_mod *m = dmp_add_mod(c, 0, base, size, name);
			m->checksum = dmp_le32(b + 12);
			m->timestamp = dmp_le32(b + 16);
			m->have_ts = 1;
		}
		dmp_ev(c, "module list stream (file offset 0x%x): %zu modules", st[S_MODULES].rva, c->nmods);
		if (c->nmods) {
			dmp_publish_modules(c);
			a->process = xstrdup(c->mods[0].name);
			dmp_ev(c, "process %s: the first module of the list", c->mods[0].name);
			usable = 1;
		}
	}

	uint32_t nthreads = 0;
	if (st[S_THREADS].present && stream_ok(c, S_THREADS, &st[S_THREADS], 4, &first) == 0 &&
	    dmp_read(c, st[S_THREADS].rva, b, 4, "thread list stream") == 0) {
		nthreads = dmp_le32(b);
		uint32_t fit = (st[S_THREADS].size - 4) / 48;
		if (nthreads > fit) {
			dmp_warn(c, "minidump thread list stream: NumberOfThreads %u (file offset 0x%x) exceeds what the stream holds; reading %u",
				 nthreads, st[S_THREADS].rva, fit);
			nthreads = fit;
		}
		dmp_ev(c, "thread list stream (file offset 0x%x): %u threads", st[S_THREADS].rva, nthreads);
	}

	if (st[S_EXCEPTION].present && stream_ok(c, S_EXCEPTION, &st[S_EXCEPTION], 0xa8, &first) == 0 &&
	    dmp_read(c, st[S_EXCEPTION].rva, b, 0xa8, "exception stream") == 0) {
		uint32_t tid = dmp_le32(b), code = dmp_le32(b + 8);
		uint64_t addr = dmp_le64(b + 24), off;
		if (c->ptr == 4)
			addr &= 0xffffffffu;
		a->exception_code = xasprintf("0x%x", code);
		const dmp_mod *m = dmp_lookup(c, addr, &off);
		a->fault_ip = dmp_where(m, off, addr);
		dmp_add_frame(c, m, off, addr);
		if (m)
			a->image = xstrdup(m->name);
		dmp_ev(c, "exception stream (file offset 0x%x): thread %u, code 0x%x at 0x%llx = %s", st[S_EXCEPTION].rva, tid,
		       code, (unsigned long long)addr, a->fault_ip);
		dmp_ev(c, "frame 0 %s: exception address", a->fault_ip);
		usable = 1;

		/* the thread's context, then a scan of its stack from the SP */
		uint32_t csz = dmp_le32(b + 0xa0), crva = dmp_le32(b + 0xa4);
		uint64_t ip = 0, sp = 0, fp = 0;
		int have_ctx = 0;
		if (machine && csz && csz <= 0x2000 && dmp_in_file(c, crva, csz)) {
			unsigned char *cb = xmalloc(csz);
			if (dmp_read(c, crva, cb, csz, "exception context") == 0 &&
			    dmp_context(c, machine, cb, csz, &ip, &sp, &fp) == 0) {
				have_ctx = 1;
				dmp_ev(c, "exception context (file offset 0x%x, 0x%x bytes): IP 0x%llx, SP 0x%llx", crva, csz,
				       (unsigned long long)ip, (unsigned long long)sp);
			}
			free(cb);
		} else if (csz) {
			dmp_warn(c, "minidump exception stream: context Rva 0x%x + DataSize 0x%x %s: registers not read", crva, csz,
				 machine ? "lies outside the file" : "of an unknown processor architecture");
		}
		for (uint32_t i = 0; have_ctx && i < nthreads; i++) {
			uint64_t pos = st[S_THREADS].rva + 4ull + 48ull * i;
			unsigned char tb[48];
			if (dmp_read(c, pos, tb, 48, "thread list stream") < 0)
				goto fail;
			if (dmp_le32(tb) != tid)
				continue;
			uint64_t start = dmp_le64(tb + 24);
			uint32_t ssz = dmp_le32(tb + 32), srva = dmp_le32(tb + 36);
			if (!dmp_in_file(c, srva, ssz)) {
				dmp_warn(c, "minidump thread list stream: thread %u stack Rva 0x%x + DataSize 0x%x (file offset 0x%llx) exceeds file size 0x%llx: stack not scanned",
					 tid, srva, ssz, (unsigned long long)pos, (unsigned long long)c->size);
				break;
			}
			uint64_t skip = sp >= start && sp - start < ssz ? sp - start : 0;
			skip &= ~(uint64_t)(c->ptr - 1);
			size_t len = ssz - skip > DMP_MAX_USTACK ? DMP_MAX_USTACK : (size_t)(ssz - skip);
			unsigned char *sb = xmalloc(len ? len : 1);
			if (dmp_read(c, srva + skip, sb, len, "thread stack") == 0) {
				size_t k = dmp_scan_stack(c, sb, len, start + skip, start + skip, DMP_MAX_SCAN_FRAMES, addr, NULL, NULL);
				dmp_ev(c, "stack scan: %zu candidate frames from SP 0x%llx (thread %u stack at file offset 0x%x)", k,
				       (unsigned long long)(start + skip), tid, srva);
			}
			free(sb);
			break;
		}
	}

	if (!usable) {
		if (first)
			dmp_fail(c, "%s", first);
		else
			dmp_fail(c, "minidump: no system info, module list or exception stream among the %u streams of the directory at file offset 0x%x",
				 n, dir);
		free(first);
		return -1;
	}
	free(first);
	return 0;
fail:
	free(first);
	return -1;
}
