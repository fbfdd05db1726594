/* dmp-common.c - what the crash dump readers share (dmp-int.h): errors,
 * warnings and the evidence trail, bounded reads, UTF-16 names, the module
 * list and address lookup, frames, stack scanning and register contexts.
 * dmp.c detects a dump and hands it to dmp-kernel.c or dmp-user.c, which
 * call these; nothing here calls back up. */
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

int dmp_fail(dmp_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, c->errsz, fmt, ap);
	va_end(ap);
	/* one line, always */
	for (char *p = c->err; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	c->code = PM_BAD_DATA;
	return -1;
}

void dmp_warn(dmp_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&c->warn, fmt, ap);
	va_end(ap);
	sb_addc(&c->warn, '\n');
}

void dmp_ev(dmp_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&c->ev, fmt, ap);
	va_end(ap);
	sb_addc(&c->ev, '\n');
}

int dmp_in_file(const dmp_ctx *c, uint64_t off, uint64_t len)
{
	return len <= c->size && off <= c->size - len;
}

int dmp_read(dmp_ctx *c, uint64_t off, void *buf, size_t len, const char *what)
{
	if (!dmp_in_file(c, off, len))
		return dmp_fail(c, "%s: 0x%zx bytes at file offset 0x%llx lie beyond the end of the file (size 0x%llx)",
				what, len, (unsigned long long)off, (unsigned long long)c->size);
	if (c->mem) {
		memcpy(buf, c->mem + off, len);
		return 0;
	}
	size_t done = 0;
	while (done < len) {
		ssize_t n = pread(c->fd, (char *)buf + done, len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			dmp_fail(c, "%s: read error at file offset 0x%llx: %s", what,
				 (unsigned long long)(off + done), n < 0 ? strerror(errno) : "file shrank");
			c->code = PM_NO_INPUT;
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

char *dmp_utf16(const unsigned char *p, size_t n)
{
	sbuf sb = {0};
	for (size_t i = 0; i < n; i++) {
		uint32_t u = dmp_le16(p + 2 * i);
		if (u == 0)
			break;
		if (u >= 0xd800 && u <= 0xdbff && i + 1 < n) {
			uint32_t lo = dmp_le16(p + 2 * i + 2);
			if (lo >= 0xdc00 && lo <= 0xdfff) {
				u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
				i++;
			} else {
				u = 0xfffd;
			}
		} else if (u >= 0xd800 && u <= 0xdfff) {
			u = 0xfffd;
		}
		char tmp[4];
		size_t k;
		if (u < 0x80) {
			tmp[0] = (char)u;
			k = 1;
		} else if (u < 0x800) {
			tmp[0] = (char)(0xc0 | u >> 6);
			tmp[1] = (char)(0x80 | (u & 0x3f));
			k = 2;
		} else if (u < 0x10000) {
			tmp[0] = (char)(0xe0 | u >> 12);
			tmp[1] = (char)(0x80 | ((u >> 6) & 0x3f));
			tmp[2] = (char)(0x80 | (u & 0x3f));
			k = 3;
		} else {
			tmp[0] = (char)(0xf0 | u >> 18);
			tmp[1] = (char)(0x80 | ((u >> 12) & 0x3f));
			tmp[2] = (char)(0x80 | ((u >> 6) & 0x3f));
			tmp[3] = (char)(0x80 | (u & 0x3f));
			k = 4;
		}
		sb_add(&sb, tmp, k);
	}
	return sb_detach(&sb);
}

/* The part of a Windows path after the last backslash (or slash). */
const char *dmp_base_name(const char *path)
{
	const char *b = path;
	for (const char *p = path; *p; p++)
		if (*p == '\\' || *p == '/')
			b = p + 1;
	return b;
}

dmp_mod *dmp_add_mod(dmp_ctx *c, int unloaded, uint64_t base, uint64_t size, char *path)
{
	dmp_mod *m;
	if (unloaded) {
		XGROW(c->unl, c->unl_cap, c->nunl + 1);
		m = &c->unl[c->nunl++];
	} else {
		XGROW(c->mods, c->mods_cap, c->nmods + 1);
		m = &c->mods[c->nmods++];
	}
	memset(m, 0, sizeof *m);
	m->base = base;
	m->size = size;
	m->path = path;
	m->name = xstrdup(dmp_base_name(path));
	return m;
}

static const dmp_mod *lookup_in(const dmp_mod *v, size_t n, uint64_t addr, uint64_t *off)
{
	for (size_t i = 0; i < n; i++)
		if (addr >= v[i].base && addr - v[i].base < v[i].size) {
			if (off)
				*off = addr - v[i].base;
			return &v[i];
		}
	return NULL;
}

const dmp_mod *dmp_lookup(const dmp_ctx *c, uint64_t addr, uint64_t *off)
{
	return lookup_in(c->mods, c->nmods, addr, off);
}

const dmp_mod *dmp_lookup_unloaded(const dmp_ctx *c, uint64_t addr, uint64_t *off)
{
	return lookup_in(c->unl, c->nunl, addr, off);
}

void dmp_publish_modules(dmp_ctx *c)
{
	for (size_t i = 0; i < c->nmods; i++) {
		const dmp_mod *m = &c->mods[i];
		pm_module *pm = pm_analysis_add_module(c->a);
		pm->name = xstrdup(m->name);
		pm->start = xasprintf("%0*llx", c->ptr * 2, (unsigned long long)m->base);
		pm->end = xasprintf("%0*llx", c->ptr * 2, (unsigned long long)(m->base + m->size));
		pm->image_path = xstrdup(m->path);
		if (m->have_ts) {
			pm->timestamp = xasprintf("%08X", m->timestamp);
			pm->checksum = xasprintf("%08X", m->checksum);
		}
		pm->image_size = xasprintf("%08llX", (unsigned long long)m->size);
	}
}

char *dmp_where(const dmp_mod *m, uint64_t off, uint64_t addr)
{
	if (!m)
		return xasprintf("0x%llx", (unsigned long long)addr);
	return xasprintf("%s+0x%llx", m->name, (unsigned long long)off);
}

void dmp_add_frame(dmp_ctx *c, const dmp_mod *m, uint64_t off, uint64_t addr)
{
	pm_frame *f = pm_analysis_add_frame(c->a);
	if (m) {
		f->module = xstrdup(m->name);
		f->offset = xasprintf("0x%llx", (unsigned long long)off);
	} else {
		f->address = xasprintf("0x%llx", (unsigned long long)addr);
	}
}

size_t dmp_scan_stack(dmp_ctx *c, const unsigned char *stk, size_t len, uint64_t va,
		      uint64_t from, size_t max, uint64_t skip_addr, dmp_call_check check, void *arg)
{
	size_t added = 0, dropped = 0, hdr = 0, ptr = (size_t)c->ptr;
	uint64_t last = skip_addr;
	if (from < va || from - va >= len)
		from = va;
	size_t k = (size_t)(from - va);
	k = (k + ptr - 1) / ptr * ptr; /* pointer-aligned slots only */
	for (; k + ptr <= len && added < max; k += ptr) {
		uint64_t v = dmp_leptr(stk + k, c->ptr), off;
		const dmp_mod *m = dmp_lookup(c, v, &off);
		if (!m || v == last)
			continue;
		if (off < 0x1000) { /* the image's header page holds no code */
			hdr++;
			continue;
		}
		const char *how = NULL;
		int call = check ? check(c, arg, v, &how) : 0;
		if (call < 0) {
			dropped++;
			continue;
		}
		last = v;
		dmp_add_frame(c, m, off, v);
		if (call > 0)
			dmp_ev(c, "frame %zu %s+0x%llx: stack 0x%llx (saved stack +0x%zx) holds 0x%llx (scan candidate, preceded by %s in the dump's code bytes)",
			       c->a->nframes - 1, m->name, (unsigned long long)off, (unsigned long long)(va + k), k,
			       (unsigned long long)v, how);
		else
			dmp_ev(c, "frame %zu %s+0x%llx: stack 0x%llx (saved stack +0x%zx) holds 0x%llx (scan candidate: a value inside a loaded image, not a proven return address)",
			       c->a->nframes - 1, m->name, (unsigned long long)off, (unsigned long long)(va + k), k,
			       (unsigned long long)v);
		added++;
	}
	if (dropped)
		dmp_ev(c, "stack scan: %zu values inside loaded images dropped: the dump's code bytes before them hold no call",
		       dropped);
	if (hdr)
		dmp_ev(c, "stack scan: %zu values pointing into an image's header page dropped (no code there)", hdr);
	return added;
}

const char *dmp_machine_name(unsigned machine)
{
	switch (machine) {
	case DMP_MACHINE_AMD64: return "x64";
	case DMP_MACHINE_ARM64: return "arm64";
	case DMP_MACHINE_I386: return "x86";
	case DMP_MACHINE_ARMNT: return "arm";
	default: return NULL;
	}
}

int dmp_context(dmp_ctx *c, unsigned machine, const unsigned char *b, size_t len,
		uint64_t *ip, uint64_t *sp, uint64_t *fp)
{
	sbuf r = {0};
	if (machine == DMP_MACHINE_AMD64) {
		static const char *const names[] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
						    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"};
		if (len < 0x100)
			return -1;
		*ip = dmp_le64(b + 0xf8);
		*sp = dmp_le64(b + 0x98);
		*fp = dmp_le64(b + 0xa0);
		sb_addf(&r, "rip=%016llx rsp=%016llx rbp=%016llx\n", (unsigned long long)*ip,
			(unsigned long long)*sp, (unsigned long long)*fp);
		for (int i = 0; i < 16; i++) {
			if (i == 4 || i == 5)
				continue;
			sb_addf(&r, "%s=%016llx%s", names[i], (unsigned long long)dmp_le64(b + 0x78 + 8 * i),
				(i % 4 == 3 || i == 15) ? "\n" : " ");
		}
		sb_addf(&r, "efl=%08x", dmp_le32(b + 0x44));
	} else if (machine == DMP_MACHINE_ARM64) {
		if (len < 0x110)
			return -1;
		*ip = dmp_le64(b + 0x108);
		*sp = dmp_le64(b + 0x100);
		*fp = dmp_le64(b + 0xf0);
		sb_addf(&r, "pc=%016llx sp=%016llx fp=%016llx lr=%016llx\n", (unsigned long long)*ip,
			(unsigned long long)*sp, (unsigned long long)*fp, (unsigned long long)dmp_le64(b + 0xf8));
		for (int i = 0; i < 29; i++)
			sb_addf(&r, "x%d=%016llx%s", i, (unsigned long long)dmp_le64(b + 8 + 8 * i),
				(i % 4 == 3 || i == 28) ? "\n" : " ");
		sb_addf(&r, "cpsr=%08x", dmp_le32(b + 4));
	} else if (machine == DMP_MACHINE_I386) {
		if (len < 0xcc)
			return -1;
		*ip = dmp_le32(b + 0xb8);
		*sp = dmp_le32(b + 0xc4);
		*fp = dmp_le32(b + 0xb4);
		sb_addf(&r, "eip=%08x esp=%08x ebp=%08x\neax=%08x ebx=%08x ecx=%08x edx=%08x esi=%08x edi=%08x\nefl=%08x",
			(unsigned)*ip, (unsigned)*sp, (unsigned)*fp, dmp_le32(b + 0xb0), dmp_le32(b + 0xa4),
			dmp_le32(b + 0xac), dmp_le32(b + 0xa8), dmp_le32(b + 0xa0), dmp_le32(b + 0x9c),
			dmp_le32(b + 0xc0));
	} else {
		return -1;
	}
	free(c->a->registers);
	c->a->registers = sb_detach(&r);
	return 0;
}

int dmp_is_core(const char *name)
{
	/* The kernel, HAL and debugger transport: present on every stack, so
	 * never "the cause" when a driver is also there. */
	static const char *const core[] = {"ntoskrnl.exe", "ntkrnlmp.exe", "ntkrnlpa.exe", "ntkrpamp.exe",
					   "hal.dll", "kd.dll", "ntdll.dll", "kernel32.dll", "kernelbase.dll",
					   "wow64.dll", "wow64cpu.dll", "wow64win.dll", "user32.dll"};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(core); i++)
		if (strcasecmp(name, core[i]) == 0)
			return 1;
	return 0;
}

