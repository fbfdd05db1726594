/* dmp.c - reads Windows crash dump files (.dmp) on any OS, without a
 * debugger or symbols: detection by the first bytes, bounded reads (pread
 * of the structures needed, never the whole file), module lookup, frames
 * and the evidence trail. The formats: dmp-kernel.c, dmp-user.c;
 * docs/dmp.md says what is read. */
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
	c->code = PMKB_EX_DATAERR;
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
			c->code = PMKB_EX_NOINPUT;
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
static const char *base_name(const char *path)
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
	m->name = xstrdup(base_name(path));
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

/* Names from Microsoft's Bug Check Code Reference. */
static const struct {
	uint32_t code;
	const char *name;
} bugchecks[] = {
	{0x01, "APC_INDEX_MISMATCH"},
	{0x03, "INVALID_AFFINITY_SET"},
	{0x04, "INVALID_DATA_ACCESS_TRAP"},
	{0x05, "INVALID_PROCESS_ATTACH_ATTEMPT"},
	{0x06, "INVALID_PROCESS_DETACH_ATTEMPT"},
	{0x07, "INVALID_SOFTWARE_INTERRUPT"},
	{0x08, "IRQL_NOT_DISPATCH_LEVEL"},
	{0x09, "IRQL_NOT_GREATER_OR_EQUAL"},
	{0x0A, "IRQL_NOT_LESS_OR_EQUAL"},
	{0x0B, "NO_EXCEPTION_HANDLING_SUPPORT"},
	{0x0C, "MAXIMUM_WAIT_OBJECTS_EXCEEDED"},
	{0x10, "SPIN_LOCK_NOT_OWNED"},
	{0x12, "TRAP_CAUSE_UNKNOWN"},
	{0x13, "EMPTY_THREAD_REAPER_LIST"},
	{0x18, "REFERENCE_BY_POINTER"},
	{0x19, "BAD_POOL_HEADER"},
	{0x1A, "MEMORY_MANAGEMENT"},
	{0x1E, "KMODE_EXCEPTION_NOT_HANDLED"},
	{0x20, "KERNEL_APC_PENDING_DURING_EXIT"},
	{0x22, "FILE_SYSTEM"},
	{0x23, "FAT_FILE_SYSTEM"},
	{0x24, "NTFS_FILE_SYSTEM"},
	{0x27, "RDR_FILE_SYSTEM"},
	{0x2E, "DATA_BUS_ERROR"},
	{0x35, "NO_MORE_IRP_STACK_LOCATIONS"},
	{0x3B, "SYSTEM_SERVICE_EXCEPTION"},
	{0x3D, "INTERRUPT_EXCEPTION_NOT_HANDLED"},
	{0x3F, "NO_MORE_SYSTEM_PTES"},
	{0x44, "MULTIPLE_IRP_COMPLETE_REQUESTS"},
	{0x4A, "IRQL_GT_ZERO_AT_SYSTEM_SERVICE"},
	{0x4E, "PFN_LIST_CORRUPT"},
	{0x50, "PAGE_FAULT_IN_NONPAGED_AREA"},
	{0x51, "REGISTRY_ERROR"},
	{0x5C, "HAL_INITIALIZATION_FAILED"},
	{0x6B, "PROCESS1_INITIALIZATION_FAILED"},
	{0x74, "BAD_SYSTEM_CONFIG_INFO"},
	{0x76, "PROCESS_HAS_LOCKED_PAGES"},
	{0x77, "KERNEL_STACK_INPAGE_ERROR"},
	{0x7A, "KERNEL_DATA_INPAGE_ERROR"},
	{0x7B, "INACCESSIBLE_BOOT_DEVICE"},
	{0x7C, "BUGCODE_NDIS_DRIVER"},
	{0x7E, "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED"},
	{0x7F, "UNEXPECTED_KERNEL_MODE_TRAP"},
	{0x80, "NMI_HARDWARE_FAILURE"},
	{0x8E, "KERNEL_MODE_EXCEPTION_NOT_HANDLED"},
	{0x96, "INVALID_WORK_QUEUE_ITEM"},
	{0x9A, "SYSTEM_LICENSE_VIOLATION"},
	{0x9C, "MACHINE_CHECK_EXCEPTION"},
	{0x9E, "USER_MODE_HEALTH_MONITOR"},
	{0x9F, "DRIVER_POWER_STATE_FAILURE"},
	{0xA0, "INTERNAL_POWER_ERROR"},
	{0xB8, "ATTEMPTED_SWITCH_FROM_DPC"},
	{0xBE, "ATTEMPTED_WRITE_TO_READONLY_MEMORY"},
	{0xC1, "SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION"},
	{0xC2, "BAD_POOL_CALLER"},
	{0xC4, "DRIVER_VERIFIER_DETECTED_VIOLATION"},
	{0xC5, "DRIVER_CORRUPTED_EXPOOL"},
	{0xC6, "DRIVER_CAUGHT_MODIFYING_FREED_POOL"},
	{0xC7, "TIMER_OR_DPC_INVALID"},
	{0xC9, "DRIVER_VERIFIER_IOMANAGER_VIOLATION"},
	{0xCA, "PNP_DETECTED_FATAL_ERROR"},
	{0xCB, "DRIVER_LEFT_LOCKED_PAGES_IN_PROCESS"},
	{0xCC, "PAGE_FAULT_IN_FREED_SPECIAL_POOL"},
	{0xCD, "PAGE_FAULT_BEYOND_END_OF_ALLOCATION"},
	{0xCE, "DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS"},
	{0xD0, "DRIVER_CORRUPTED_MMPOOL"},
	{0xD1, "DRIVER_IRQL_NOT_LESS_OR_EQUAL"},
	{0xD3, "DRIVER_PORTION_MUST_BE_NONPAGED"},
	{0xD5, "DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL"},
	{0xD6, "DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION"},
	{0xD7, "DRIVER_UNMAPPING_INVALID_VIEW"},
	{0xD8, "DRIVER_USED_EXCESSIVE_PTES"},
	{0xDA, "SYSTEM_PTE_MISUSE"},
	{0xDB, "DRIVER_CORRUPTED_SYSPTES"},
	{0xDE, "POOL_CORRUPTION_IN_FILE_AREA"},
	{0xE1, "WORKER_THREAD_RETURNED_AT_BAD_IRQL"},
	{0xE2, "MANUALLY_INITIATED_CRASH"},
	{0xE3, "RESOURCE_NOT_OWNED"},
	{0xE4, "WORKER_INVALID"},
	{0xE6, "DRIVER_VERIFIER_DMA_VIOLATION"},
	{0xEA, "THREAD_STUCK_IN_DEVICE_DRIVER"},
	{0xED, "UNMOUNTABLE_BOOT_VOLUME"},
	{0xEF, "CRITICAL_PROCESS_DIED"},
	{0xF4, "CRITICAL_OBJECT_TERMINATION"},
	{0xF7, "DRIVER_OVERRAN_STACK_BUFFER"},
	{0xFC, "ATTEMPTED_EXECUTE_OF_NOEXECUTE_MEMORY"},
	{0xFE, "BUGCODE_USB_DRIVER"},
	{0x101, "CLOCK_WATCHDOG_TIMEOUT"},
	{0x109, "CRITICAL_STRUCTURE_CORRUPTION"},
	{0x10D, "WDF_VIOLATION"},
	{0x10E, "VIDEO_MEMORY_MANAGEMENT_INTERNAL"},
	{0x113, "VIDEO_DXGKRNL_FATAL_ERROR"},
	{0x116, "VIDEO_TDR_FAILURE"},
	{0x117, "VIDEO_TDR_TIMEOUT_DETECTED"},
	{0x119, "VIDEO_SCHEDULER_INTERNAL_ERROR"},
	{0x124, "WHEA_UNCORRECTABLE_ERROR"},
	{0x12B, "FAULTY_HARDWARE_CORRUPTED_PAGE"},
	{0x133, "DPC_WATCHDOG_VIOLATION"},
	{0x139, "KERNEL_SECURITY_CHECK_FAILURE"},
	{0x13A, "KERNEL_MODE_HEAP_CORRUPTION"},
	{0x141, "VIDEO_ENGINE_TIMEOUT_DETECTED"},
	{0x144, "BUGCODE_USB3_DRIVER"},
	{0x14F, "PDC_WATCHDOG_TIMEOUT"},
	{0x154, "UNEXPECTED_STORE_EXCEPTION"},
	{0x15E, "BUGCODE_NDIS_DRIVER_LIVE_DUMP"},
	{0x15F, "CONNECTED_STANDBY_WATCHDOG_TIMEOUT_LIVEDUMP"},
	{0x160, "WIN32K_ATOMIC_CHECK_FAILURE"},
	{0x18B, "SECURE_KERNEL_ERROR"},
	{0x192, "KERNEL_AUTO_BOOST_LOCK_ACQUISITION_WITH_RAISED_IRQL"},
	{0x19C, "WIN32K_POWER_WATCHDOG_TIMEOUT"},
	{0x1C8, "MANUALLY_INITIATED_POWER_BUTTON_HOLD"},
	{0x1CA, "SYNTHETIC_WATCHDOG_TIMEOUT"},
	{0x1CC, "EXRESOURCE_TIMEOUT_LIVEDUMP"},
	{0xC000021A, "WINLOGON_FATAL_ERROR"},
};

const char *dmp_bugcheck_name(uint32_t code)
{
	for (size_t i = 0; i < PMKB_ARRAY_LEN(bugchecks); i++)
		if (bugchecks[i].code == code)
			return bugchecks[i].name;
	return NULL;
}

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
static int read_any(dmp_ctx *c, char **warnings, int *exitcode)
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
	if (exitcode)
		*exitcode = rc == 0 ? PMKB_EX_OK : c->code;
	return rc;
}

/* Both entry points (readers.h): *out is overwritten without being freed
 * first (pass a fresh one) and is empty after a failure; *warnings is NULL
 * or a string the caller frees. The file is never read whole. */
int dmp_read_mem(const unsigned char *buf, size_t len, pm_analysis *out, char **warnings,
		 char *err, size_t errsz, int *exitcode)
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
	return read_any(&c, warnings, exitcode);
}

int dmp_read_file(const char *path, pm_analysis *out, char **warnings, char *err, size_t errsz,
		  int *exitcode)
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
		if (exitcode)
			*exitcode = PMKB_EX_NOINPUT;
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errsz, "%s", S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
		close(fd);
		if (exitcode)
			*exitcode = PMKB_EX_NOINPUT;
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
	int rc = read_any(&c, warnings, exitcode);
	close(fd);
	if (rc == 0) {
		const char *b = base_name(path);
		out->dump_name = xstrdup(b);
	}
	return rc;
}
