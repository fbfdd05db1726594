/* dmp-kernel.c - kernel crash dumps (PAGEDU64 / PAGEDUMP): the header
 * (bugcheck, build, machine, context, exception record) of every kernel
 * dump, and for small memory dumps (triage, DumpType 4) the driver list,
 * unloaded drivers and the saved stack, from which the faulting address is
 * mapped to module+offset and candidate frames are found. Layouts and their
 * sources: docs/dmp.md. */
#include "dmp-int.h"
#include "bugcheck-names.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Where the fields of the two kernel header layouts live. */
typedef struct klayout {
	const char *sig;
	unsigned hsz;
	unsigned machine, nproc, code, params, psize, kdbg, ctx, ctxmax, exc, dumptype, systime,
		uptime, fields, product, suite, attr;
} klayout;

static const klayout k64 = {"PAGEDU64", 0x2000, 0x30, 0x34, 0x38, 0x40, 8, 0x80, 0x348, 3000, 0xf00,
			    0xf98, 0xfa8, 0x1030, 0x1038, 0x1040, 0x1044, 0x1050};
static const klayout k32 = {"PAGEDUMP", 0x1000, 0x20, 0x24, 0x28, 0x2c, 4, 0x60, 0x320, 1200, 0x7d0,
			    0xf88, 0xfc0, 0xfb8, 0xf8c, 0xf94, 0xf98, 0x8a0};

/* TRIAGE_DUMP64 / TRIAGE_DUMP32: the same u32 fields up to 0x44. */
enum {
	T_SIZE = 0x04, T_VALID = 0x08, T_MM = 0x14, T_UNLOADED = 0x18, T_STACK = 0x28, T_STACKSZ = 0x2c,
	T_DRVLIST = 0x30, T_DRVCOUNT = 0x34, T_POOL = 0x38, T_POOLSZ = 0x3c, T_TOP = 0x48,
};

static const char *dump_type_name(uint32_t t)
{
	switch (t) {
	case 1: return "full (run-based) memory dump";
	case 2: return "kernel summary dump";
	case 3: return "header-only dump";
	case 4: return "small memory dump (triage)";
	case 5: return "bitmap full memory dump";
	case 6: return "bitmap kernel memory dump";
	case 7: return "automatic memory dump";
	case 8: return "kernel range dump";
	case 9: return "kernel and user range dump";
	case 10: return "complete range dump";
	default: return "unknown dump type";
	}
}

/* Which bugcheck parameter (1..4) holds a faulting code address, and what
 * it is called, from Microsoft's Bug Check Code Reference; 0 if none. */
static int fault_param(uint32_t code, const char **what)
{
	switch (code & 0xfffffff) {
	case 0x0a: case 0xd1: *what = "address that referenced memory"; return 4;
	case 0x1e: case 0x7e: case 0x8e: case 0x3b: *what = "faulting address"; return 2;
	case 0x50: *what = "faulting address, if known"; return 3;
	case 0xfc: *what = "address whose execution was attempted"; return 1;
	default: *what = NULL; return 0;
	}
}

/* Descriptions of the parameters of the commonest bugchecks. */
static void arg_descs(uint32_t code, pm_analysis *a)
{
	static const struct {
		uint32_t code;
		const char *d[4];
	} t[] = {
		{0x0a, {"memory referenced", "IRQL", "bitfield (bit 0: write, bit 3: execute)", "address which referenced memory"}},
		{0xd1, {"memory referenced", "IRQL", "0 read, 1 write, 8 execute", "address which referenced memory"}},
		{0x1e, {"exception code", "address of the exception", "exception parameter 0", "exception parameter 1"}},
		{0x7e, {"exception code", "address of the exception", "exception record address", "context record address"}},
		{0x8e, {"exception code", "address of the exception", "trap frame", "reserved"}},
		{0x3b, {"exception code", "address of the exception", "context record address", "reserved"}},
		{0x50, {"memory referenced", "0 read, 1 write, 2 execute", "address which referenced memory, if known", "type of page fault"}},
		{0xfc, {"virtual address whose execution was attempted", "PTE contents", "reserved", "reserved"}},
		{0xbe, {"virtual address of attempted write", "PTE contents", "reserved", "reserved"}},
		{0x139, {"type of corruption", "trap frame address", "exception record address", "reserved"}},
		{0x133, {"0 single DPC timeout, 1 cumulative", "DPC time count", "DPC time allotment", "cast to nt!DPC_WATCHDOG_GLOBAL_TRIAGE_BLOCK"}},
	};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(t); i++)
		if (t[i].code == (code & 0xfffffff))
			for (int k = 0; k < 4; k++)
				a->arg_desc[k] = xstrdup(t[i].d[k]);
}

/* FILETIME (100 ns since 1601) as "2021-02-21 01:38:22 UTC", or NULL. */
static char *filetime_str(uint64_t ft)
{
	if (ft == 0 || ft == DMP_PAGE64)
		return NULL;
	uint64_t secs = ft / 10000000u;
	if (secs < 11644473600ull || secs > 11644473600ull + 8000000000ull)
		return NULL;
	time_t t = (time_t)(secs - 11644473600ull);
	struct tm tm;
	if (!gmtime_r(&t, &tm))
		return NULL;
	char b[64];
	strftime(b, sizeof b, "%Y-%m-%d %H:%M:%S UTC", &tm);
	return xstrdup(b);
}

/* Is base a plausible kernel image base for this pointer size? */
static int kernel_base_ok(uint64_t base, int ptr)
{
	if (base & 0xfff)
		return 0;
	if (ptr == 8)
		return base >> 47 == 0x1ffff;
	return base >= 0x80000000u && base <= 0xffffffffu;
}

typedef struct triage {
	uint64_t tpos;          /* file offset of the triage header */
	unsigned char t[0x80];
	uint32_t list, count, pool, poolsz, stride;
	unsigned char *stack;   /* saved stack bytes (owned) */
	uint32_t stackoff, stacklen;
	uint64_t top;           /* VA of stack byte 0 */
	unsigned char *blocks;  /* TRIAGE_DATA_BLOCK table (owned), 64-bit only */
	uint32_t nblocks;
	unsigned machine;
} triage;

/* Derive the driver entry size from the gap between list and pool (the
 * writer packs the list, ALIGN_8s it, then writes the pool). */
static int derive_stride(dmp_ctx *c, triage *tr)
{
	static const uint32_t s64[] = {0x90, 0x98, 0xa0, 0xa8}, s32[] = {0x4c, 0x50};
	const uint32_t *cand = c->ptr == 8 ? s64 : s32;
	size_t ncand = c->ptr == 8 ? PMKB_ARRAY_LEN(s64) : PMKB_ARRAY_LEN(s32);
	if (tr->pool <= tr->list)
		return dmp_fail(c, "driver list: StringPoolOffset 0x%x (file offset 0x%llx) is not after DriverListOffset 0x%x: entry size not derivable",
				tr->pool, (unsigned long long)(tr->tpos + T_POOL), tr->list);
	uint64_t span = (uint64_t)tr->pool - tr->list;
	for (size_t i = 0; i < ncand; i++) {
		uint64_t need = (uint64_t)tr->count * cand[i];
		if (span >= need && span - need < 8) {
			tr->stride = cand[i];
			return 0;
		}
	}
	return dmp_fail(c, "driver list: (StringPoolOffset 0x%x - DriverListOffset 0x%x) / DriverCount %u = 0x%llx remainder 0x%llx: no known entry size fits (file offset 0x%llx)",
			tr->pool, tr->list, tr->count, (unsigned long long)(span / tr->count),
			(unsigned long long)(span % tr->count), (unsigned long long)(tr->tpos + T_DRVCOUNT));
}

/* The driver list and its names from the string pool. */
static int read_drivers(dmp_ctx *c, triage *tr)
{
	const unsigned char *t = tr->t;
	tr->list = dmp_le32(t + T_DRVLIST);
	tr->count = dmp_le32(t + T_DRVCOUNT);
	tr->pool = dmp_le32(t + T_POOL);
	tr->poolsz = dmp_le32(t + T_POOLSZ);
	uint64_t tpos = tr->tpos;
	if (tr->count == 0)
		return dmp_fail(c, "driver list: DriverCount 0 (file offset 0x%llx): a small memory dump lists at least the kernel",
				(unsigned long long)(tpos + T_DRVCOUNT));
	if (tr->count > DMP_MAX_DRIVERS)
		return dmp_fail(c, "driver list: DriverCount %u (file offset 0x%llx) exceeds the limit %u",
				tr->count, (unsigned long long)(tpos + T_DRVCOUNT), DMP_MAX_DRIVERS);
	if (tr->list < tpos + 0x68)
		return dmp_fail(c, "driver list: DriverListOffset 0x%x (file offset 0x%llx) points into the dump headers",
				tr->list, (unsigned long long)(tpos + T_DRVLIST));
	if (tr->poolsz == 0 || tr->poolsz > DMP_MAX_POOL)
		return dmp_fail(c, "string pool: StringPoolSize 0x%x (file offset 0x%llx) is %s", tr->poolsz,
				(unsigned long long)(tpos + T_POOLSZ), tr->poolsz ? "over the 4 MiB limit" : "zero");
	if (tr->list >= c->size)
		return dmp_fail(c, "driver list: DriverListOffset 0x%x (file offset 0x%llx) lies beyond file size 0x%llx",
				tr->list, (unsigned long long)(tpos + T_DRVLIST), (unsigned long long)c->size);
	if (tr->pool >= c->size) {
		/* a file cut inside the list names the list, not the pool */
		uint32_t minstride = c->ptr == 8 ? 0x90 : 0x4c;
		uint64_t minend = tr->list + (uint64_t)tr->count * minstride;
		if (minend > c->size)
			return dmp_fail(c, "driver list: DriverListOffset 0x%x (file offset 0x%llx) + %u x 0x%x = 0x%llx exceeds file size 0x%llx",
					tr->list, (unsigned long long)(tpos + T_DRVLIST), tr->count, minstride,
					(unsigned long long)minend, (unsigned long long)c->size);
		return dmp_fail(c, "string pool: StringPoolOffset 0x%x (file offset 0x%llx) lies beyond file size 0x%llx",
				tr->pool, (unsigned long long)(tpos + T_POOL), (unsigned long long)c->size);
	}
	if (derive_stride(c, tr) < 0)
		return -1;
	uint64_t lsz = (uint64_t)tr->count * tr->stride;
	if (!dmp_in_file(c, tr->list, lsz))
		return dmp_fail(c, "driver list: DriverListOffset 0x%x (file offset 0x%llx) + %u x 0x%x = 0x%llx exceeds file size 0x%llx",
				tr->list, (unsigned long long)(tpos + T_DRVLIST), tr->count, tr->stride,
				(unsigned long long)(tr->list + lsz), (unsigned long long)c->size);
	if (!dmp_in_file(c, tr->pool, tr->poolsz))
		return dmp_fail(c, "string pool: StringPoolOffset 0x%x (file offset 0x%llx) + StringPoolSize 0x%x = 0x%llx exceeds file size 0x%llx",
				tr->pool, (unsigned long long)(tpos + T_POOL), tr->poolsz,
				(unsigned long long)tr->pool + tr->poolsz, (unsigned long long)c->size);

	unsigned char *list = xmalloc((size_t)lsz), *pool = xmalloc(tr->poolsz);
	int rc = -1;
	if (dmp_read(c, tr->list, list, (size_t)lsz, "driver list") < 0 ||
	    dmp_read(c, tr->pool, pool, tr->poolsz, "string pool") < 0)
		goto out;
	int p8 = c->ptr == 8;
	for (uint32_t i = 0; i < tr->count; i++) {
		const unsigned char *e = list + (size_t)i * tr->stride;
		uint64_t epos = tr->list + (uint64_t)i * tr->stride;
		uint32_t no = dmp_le32(e);
		uint64_t base = p8 ? dmp_le64(e + 0x38) : dmp_le32(e + 0x1c);
		uint32_t size = dmp_le32(e + (p8 ? 0x48 : 0x24));
		if (no < tr->pool || no - tr->pool > tr->poolsz - 4 || tr->poolsz < 4) {
			dmp_fail(c, "driver list entry %u: DriverNameOffset 0x%x (file offset 0x%llx) is outside the string pool 0x%x..0x%llx",
				 i, no, (unsigned long long)epos, tr->pool, (unsigned long long)tr->pool + tr->poolsz);
			goto out;
		}
		size_t so = no - tr->pool;
		uint32_t chars = dmp_le32(pool + so);
		uint64_t need = 4 + 2 * (uint64_t)chars + 2;
		if (chars == 0 || chars > DMP_MAX_NAME || need > tr->poolsz - so) {
			dmp_fail(c, "driver list entry %u: name Length %u characters (file offset 0x%x) %s",
				 i, chars, no, chars == 0 ? "is zero" : chars > DMP_MAX_NAME ? "exceeds the limit 1024" : "overruns the string pool");
			goto out;
		}
		if (dmp_le16(pool + so + 4 + 2 * (size_t)chars) != 0) {
			dmp_fail(c, "driver list entry %u: name at file offset 0x%x (Length %u) is not NUL-terminated",
				 i, no, chars);
			goto out;
		}
		if (!kernel_base_ok(base, c->ptr)) {
			dmp_fail(c, "driver list entry %u: DllBase 0x%llx (file offset 0x%llx) is not a kernel image address",
				 i, (unsigned long long)base, (unsigned long long)(epos + (p8 ? 0x38 : 0x1c)));
			goto out;
		}
		if (size == 0 || size >= (1u << 30)) {
			dmp_fail(c, "driver list entry %u: SizeOfImage 0x%x (file offset 0x%llx) is not a plausible image size",
				 i, size, (unsigned long long)(epos + (p8 ? 0x48 : 0x24)));
			goto out;
		}
		dmp_mod *m = dmp_add_mod(c, 0, base, size, dmp_utf16(pool + so + 4, chars));
		if ((p8 && tr->stride == 0x90) || (!p8 && tr->stride == 0x4c)) {
			m->checksum = dmp_le32(e + (p8 ? 0x80 : 0x44));
			m->timestamp = dmp_le32(e + (p8 ? 0x88 : 0x48));
			m->have_ts = 1;
		}
	}
	dmp_ev(c, "driver list: %u drivers at file offset 0x%x, entry size 0x%x derived from StringPoolOffset 0x%x%s",
	       tr->count, tr->list, tr->stride, tr->pool,
	       c->mods[0].have_ts ? "" : " (timestamps and checksums not read: entry layout unverified)");
	rc = 0;
out:
	free(list);
	free(pool);
	return rc;
}

/* The unloaded-driver list: u32 count, pad, then fixed entries. */
static int read_unloaded(dmp_ctx *c, triage *tr)
{
	uint32_t off = dmp_le32(tr->t + T_UNLOADED);
	if (off == 0)
		return 0;
	unsigned char hd[8];
	if (!dmp_in_file(c, off, 8))
		return dmp_fail(c, "unloaded drivers: UnloadedDriversOffset 0x%x (file offset 0x%llx) lies beyond file size 0x%llx",
				off, (unsigned long long)(tr->tpos + T_UNLOADED), (unsigned long long)c->size);
	if (dmp_read(c, off, hd, 8, "unloaded drivers") < 0)
		return -1;
	uint32_t n = dmp_le32(hd);
	if (n > DMP_MAX_UNLOADED)
		return dmp_fail(c, "unloaded drivers: count %u (file offset 0x%x) exceeds the limit %u", n, off,
				DMP_MAX_UNLOADED);
	size_t esz = c->ptr == 8 ? 0x38 : 0x28;
	if (!dmp_in_file(c, (uint64_t)off + 8, n * esz))
		return dmp_fail(c, "unloaded drivers: %u x 0x%zx bytes at file offset 0x%x exceed file size 0x%llx",
				n, esz, off + 8, (unsigned long long)c->size);
	unsigned char e[0x38];
	for (uint32_t i = 0; i < n; i++) {
		if (dmp_read(c, (uint64_t)off + 8 + i * esz, e, esz, "unloaded drivers") < 0)
			return -1;
		size_t name = c->ptr == 8 ? 0x10 : 0x08, chars = dmp_le16(e) / 2;
		if (chars > 12)
			chars = 12;
		uint64_t start = c->ptr == 8 ? dmp_le64(e + 0x28) : dmp_le32(e + 0x20);
		uint64_t end = c->ptr == 8 ? dmp_le64(e + 0x30) : dmp_le32(e + 0x24);
		if (end <= start || end - start >= (1u << 30)) {
			dmp_warn(c, "unloaded drivers: entry %u at file offset 0x%llx has range 0x%llx..0x%llx: ignored", i,
				 (unsigned long long)(off + 8 + i * esz), (unsigned long long)start, (unsigned long long)end);
			continue;
		}
		dmp_add_mod(c, 1, start, end - start, dmp_utf16(e + name, chars));
	}
	if (n) {
		sbuf names = {0};
		for (size_t i = 0; i < c->nunl; i++)
			sb_addf(&names, "%s%s", i ? ", " : "", c->unl[i].name);
		dmp_ev(c, "unloaded drivers: %u at file offset 0x%x (%s)", n, off, sb_str(&names));
		sb_free(&names);
	}
	return 0;
}

/* The saved stack of the crashing thread (optional). */
static int read_stack(dmp_ctx *c, triage *tr)
{
	tr->stackoff = dmp_le32(tr->t + T_STACK);
	tr->stacklen = dmp_le32(tr->t + T_STACKSZ);
	tr->top = c->ptr == 8 ? dmp_le64(tr->t + T_TOP) : dmp_le32(tr->t + T_TOP);
	if (tr->stackoff == 0 || tr->stacklen == 0) {
		dmp_warn(c, "triage header: no saved stack (CallStackOffset 0x%x, SizeOfCallStack 0x%x): frames come from the bugcheck parameters and context only",
			 tr->stackoff, tr->stacklen);
		return 0;
	}
	if (tr->stacklen > DMP_MAX_STACK)
		return dmp_fail(c, "call stack: SizeOfCallStack 0x%x (file offset 0x%llx) exceeds the 1 MiB limit",
				tr->stacklen, (unsigned long long)(tr->tpos + T_STACKSZ));
	if (!dmp_in_file(c, tr->stackoff, tr->stacklen))
		return dmp_fail(c, "call stack: CallStackOffset 0x%x (file offset 0x%llx) + SizeOfCallStack 0x%x exceeds file size 0x%llx",
				tr->stackoff, (unsigned long long)(tr->tpos + T_STACK), tr->stacklen,
				(unsigned long long)c->size);
	if (tr->top + tr->stacklen < tr->top)
		return dmp_fail(c, "call stack: TopOfStack 0x%llx (file offset 0x%llx) + SizeOfCallStack wraps around",
				(unsigned long long)tr->top, (unsigned long long)(tr->tpos + T_TOP));
	tr->stack = xmalloc(tr->stacklen);
	return dmp_read(c, tr->stackoff, tr->stack, tr->stacklen, "call stack");
}

/* Bytes of the saved stack at VA va (len bytes), or NULL. */
static const unsigned char *stack_at(const triage *tr, uint64_t va, size_t len)
{
	if (!tr->stack || va < tr->top || va - tr->top > tr->stacklen || len > tr->stacklen - (va - tr->top))
		return NULL;
	return tr->stack + (va - tr->top);
}

/* The data-block table: memory copies (code pages among them) the kernel
 * saved. Optional: a bad table is a warning, the blocks are not used. */
static void read_blocks(dmp_ctx *c, triage *tr)
{
	if (c->ptr != 8)
		return;
	uint32_t off = dmp_le32(tr->t + 0x78), n = dmp_le32(tr->t + 0x7c);
	if (off == 0 || n == 0)
		return;
	if (n > 100000 || !dmp_in_file(c, off, (uint64_t)n * 16)) {
		dmp_warn(c, "data blocks: DataBlocksOffset 0x%x + DataBlocksCount %u x 16 (file offset 0x%llx) %s: code bytes not used",
			 off, n, (unsigned long long)(tr->tpos + 0x78), n > 100000 ? "exceeds the limit 100000" : "exceeds the file size");
		return;
	}
	tr->blocks = xmalloc((size_t)n * 16);
	if (dmp_read(c, off, tr->blocks, (size_t)n * 16, "data blocks") < 0) {
		free(tr->blocks);
		tr->blocks = NULL;
		c->code = PM_OK;
		c->err[0] = 0;
		return;
	}
	tr->nblocks = n;
}

/* Copy the n bytes just before VA addr from a data block; 1 if found. */
static int code_before(dmp_ctx *c, const triage *tr, uint64_t addr, unsigned char *out, size_t n)
{
	if (addr < n)
		return 0;
	uint64_t va = addr - n;
	for (uint32_t i = 0; i < tr->nblocks; i++) {
		const unsigned char *b = tr->blocks + 16 * (size_t)i;
		uint64_t ba = dmp_le64(b);
		uint32_t off = dmp_le32(b + 8), sz = dmp_le32(b + 12);
		if (va < ba || va - ba > sz || n > sz - (va - ba))
			continue;
		uint64_t pos = off + (va - ba);
		if (!dmp_in_file(c, pos, n))
			return 0;
		return dmp_read(c, pos, out, n, "data block") == 0;
	}
	return 0;
}

/* Length of an FF /r instruction from its ModRM (and SIB) byte. */
static size_t ff_len(const unsigned char *p, size_t avail)
{
	unsigned m = p[1], mod = m >> 6, rm = m & 7;
	size_t len = 2;
	if (mod != 3 && rm == 4) {
		if (avail < 3)
			return 0;
		len++;
		if (mod == 0 && (p[2] & 7) == 5)
			len += 4;
	}
	if (mod == 0 && rm == 5)
		len += 4;
	if (mod == 1)
		len += 1;
	if (mod == 2)
		len += 4;
	return len;
}

/* dmp_call_check for triage dumps: x64 CALL rel32 / CALL r/m (FF /2),
 * ARM64 BL / BLR ending exactly at the candidate address. */
static int triage_call_check(dmp_ctx *c, void *arg, uint64_t addr, const char **how)
{
	const triage *tr = arg;
	unsigned char b[8];
	if (tr->machine == DMP_MACHINE_AMD64) {
		if (!code_before(c, tr, addr, b, 8))
			return 0;
		if (b[3] == 0xe8) {
			*how = "a CALL rel32";
			return 1;
		}
		for (size_t p = 0; p < 7; p++)
			if (b[p] == 0xff && ((b[p + 1] >> 3) & 7) == 2 && p + ff_len(b + p, 8 - p) == 8) {
				*how = "an indirect CALL";
				return 1;
			}
		return -1;
	}
	if (tr->machine == DMP_MACHINE_ARM64) {
		if (!code_before(c, tr, addr, b, 4))
			return 0;
		uint32_t ins = dmp_le32(b);
		if ((ins & 0xfc000000u) == 0x94000000u) {
			*how = "a BL";
			return 1;
		}
		if ((ins & 0xfffffc1fu) == 0xd63f0000u || (ins & 0xfefff800u) == 0xd63f0800u) {
			*how = "a BLR";
			return 1;
		}
		return -1;
	}
	return 0;
}

/* Map one address: loaded image, else unloaded driver, else raw. Adds the
 * frame; returns the image (NULL if none) and the text in *where. */
static const dmp_mod *map_addr(dmp_ctx *c, uint64_t addr, char **where)
{
	uint64_t off;
	const dmp_mod *m = dmp_lookup(c, addr, &off);
	if (m) {
		*where = dmp_where(m, off, addr);
		dmp_add_frame(c, m, off, addr);
		return m;
	}
	const dmp_mod *u = dmp_lookup_unloaded(c, addr, &off);
	if (u)
		*where = xasprintf("0x%llx (inside unloaded driver %s+0x%llx)", (unsigned long long)addr, u->name,
				   (unsigned long long)off);
	else
		*where = xasprintf("0x%llx (not inside any loaded driver)", (unsigned long long)addr);
	dmp_add_frame(c, NULL, 0, addr);
	return NULL;
}

/* Is p[0..15) an EPROCESS.ImageFileName: 1-14 printable characters, then
 * NUL to the end of the field? Returns the length or 0. */
static size_t image_file_name(const unsigned char *p)
{
	size_t n = 0;
	while (n < 15 && p[n] >= 0x21 && p[n] < 0x7f)
		n++;
	if (n == 0 || n == 15)
		return 0;
	for (size_t k = n; k < 15; k++)
		if (p[k])
			return 0;
	return n;
}

/* The crashing process's name from the EPROCESS copy. Its offset depends
 * on the build: known offsets first (checked on the samples: 0x5a8 on x64
 * 19041, 0x560 on ARM64 22000; the others from public type listings),
 * then, if exactly one 8-aligned field looks like a name, that one. */
static void read_process_name(dmp_ctx *c, const triage *tr, unsigned machine, uint32_t build)
{
	uint32_t po = dmp_le32(tr->t + 0x20), to = dmp_le32(tr->t + 0x24);
	if (po == 0 || po >= c->size)
		return;
	uint64_t len = to > po && to - po < 0x1000 ? to - po : 0x1000;
	if (len > c->size - po)
		len = c->size - po;
	if (len < 16)
		return;
	unsigned char *e = xmalloc((size_t)len);
	if (dmp_read(c, po, e, (size_t)len, "process copy") < 0) {
		c->code = PM_OK;
		c->err[0] = 0;
		free(e);
		return;
	}
	size_t off = 0, n = 0;
	const char *how = "known offset for this build";
	if (machine == DMP_MACHINE_AMD64)
		off = build >= 19041 && build < 26000 ? 0x5a8 : build >= 10240 && build < 19041 ? 0x450 :
		      build == 9600 ? 0x438 : build == 7601 || build == 7600 ? 0x2e0 : 0;
	else if (machine == DMP_MACHINE_ARM64 && build >= 22000 && build < 26000)
		off = 0x560;
	if (off && off + 15 <= len)
		n = image_file_name(e + off);
	if (!n) {
		size_t found = 0, at = 0;
		for (size_t k = 0; k + 15 <= len; k += 8) {
			size_t l = image_file_name(e + k);
			if (l >= 3) {
				found++;
				at = k;
			}
		}
		if (found == 1) {
			off = at;
			n = image_file_name(e + at);
			how = "the only name-shaped field of the copy (heuristic)";
		}
	}
	if (n) {
		c->a->process = xstrndup((const char *)e + off, n);
		dmp_ev(c, "process %s: EPROCESS copy at file offset 0x%x, ImageFileName at +0x%zx (%s)", c->a->process, po,
		       off, how);
	}
	free(e);
}

/* The triage part: drivers, unloaded drivers, stack; then the report. */
static int read_triage(dmp_ctx *c, const klayout *L, const unsigned char *h, unsigned machine,
		       int have_ctx, uint64_t ip, uint64_t sp, uint64_t fp)
{
	pm_analysis *a = c->a;
	triage tr = {0};
	tr.tpos = L->hsz;
	size_t tsz = c->ptr == 8 ? 0x80 : 0x68;
	if (!dmp_in_file(c, tr.tpos, tsz))
		return dmp_fail(c, "triage header: the file ends at 0x%llx, inside the 0x%zx-byte triage header at file offset 0x%llx",
				(unsigned long long)c->size, tsz, (unsigned long long)tr.tpos);
	if (dmp_read(c, tr.tpos, tr.t, tsz, "triage header") < 0)
		return -1;
	int rc = -1;
	tr.machine = machine;
	if (read_drivers(c, &tr) < 0 || read_unloaded(c, &tr) < 0 || read_stack(c, &tr) < 0)
		goto out;

	/* written last by the kernel: checked last, so that a cut file names
	 * the first structure it cuts */
	uint32_t sod = dmp_le32(tr.t + T_SIZE), valid = dmp_le32(tr.t + T_VALID);
	if (sod > c->size) {
		dmp_fail(c, "triage header: SizeOfDump 0x%x (file offset 0x%llx) exceeds file size 0x%llx: the file is truncated",
			 sod, (unsigned long long)(tr.tpos + T_SIZE), (unsigned long long)c->size);
		goto out;
	}
	unsigned char vb[4];
	if (!dmp_in_file(c, valid, 4)) {
		dmp_fail(c, "triage header: ValidOffset 0x%x (file offset 0x%llx) lies beyond file size 0x%llx", valid,
			 (unsigned long long)(tr.tpos + T_VALID), (unsigned long long)c->size);
		goto out;
	}
	if (dmp_read(c, valid, vb, 4, "triage validity marker") < 0)
		goto out;
	if (memcmp(vb, "TRGD", 4) != 0) {
		dmp_fail(c, "triage dump incomplete: validity marker at file offset 0x%x is 0x%08x, expected 0x44475254 (\"TRGD\")",
			 valid, dmp_le32(vb));
		goto out;
	}
	dmp_ev(c, "triage header at file offset 0x%llx: SizeOfDump 0x%x, \"TRGD\" marker at 0x%x", (unsigned long long)tr.tpos,
	       sod, valid);

	/* cross-check: the KDBG copy's KernBase is the kernel's base */
	uint32_t kd = dmp_le32(tr.t + (c->ptr == 8 ? 0x70 : 0x58));
	unsigned char kb[0x20];
	if (kd && dmp_in_file(c, kd, 0x20) && dmp_read(c, kd, kb, 0x20, "debugger data") == 0 &&
	    memcmp(kb + 0x10, "KDBG", 4) == 0) {
		uint64_t kern = c->ptr == 8 ? dmp_le64(kb + 0x18) : dmp_le32(kb + 0x18);
		if (kern == c->mods[0].base)
			dmp_ev(c, "KDBG copy at file offset 0x%x: KernBase 0x%llx = base of %s (driver list checked)", kd,
			       (unsigned long long)kern, c->mods[0].name);
		else
			dmp_warn(c, "debugger data: KernBase 0x%llx (file offset 0x%x) differs from the first driver's base 0x%llx",
				 (unsigned long long)kern, kd + 0x18, (unsigned long long)c->mods[0].base);
	}
	dmp_publish_modules(c);
	read_blocks(c, &tr);
	read_process_name(c, &tr, machine, dmp_le32(h + 0xc));

	/* 1. the faulting address from the bugcheck parameter that holds it */
	uint32_t code = dmp_le32(h + L->code);
	const char *what;
	int pn = fault_param(code, &what);
	uint64_t fault = 0;
	const dmp_mod *blame = NULL;
	const char *blame_why = NULL;
	if (pn) {
		fault = dmp_leptr(h + L->params + (unsigned)(pn - 1) * L->psize, c->ptr);
		if (fault == 0) {
			dmp_ev(c, "P%d 0x0: the faulting address is not known (bugcheck 0x%x parameter %d: %s)", pn, code, pn, what);
		} else {
			char *where;
			blame = map_addr(c, fault, &where);
			dmp_ev(c, "P%d 0x%llx = %s (bugcheck 0x%x parameter %d: %s)", pn, (unsigned long long)fault, where, code, pn,
			       what);
			if (!blame) {
				uint64_t uoff;
				const dmp_mod *u = dmp_lookup_unloaded(c, fault, &uoff);
				if (u) {
					free(a->image);
					a->image = xstrdup(u->name);
					dmp_ev(c, "image %s: the faulting address lies in a driver that was unloaded", u->name);
				}
			}
			free(a->fault_ip);
			a->fault_ip = where;
			blame_why = "holds the faulting address";
		}
	} else {
		dmp_ev(c, "bugcheck 0x%x: no parameter holds a code address", code);
	}

	/* 2. the exception record and context the stack may hold (0x7e P3/P4, 0x3b P3) */
	uint32_t base_code = code & 0xfffffff;
	uint64_t scan_from = 0;
	int ctx_pn = base_code == 0x7e ? 4 : base_code == 0x3b ? 3 : 0;
	if (base_code == 0x7e) {
		uint64_t er = dmp_leptr(h + L->params + 2 * L->psize, c->ptr);
		const unsigned char *r = stack_at(&tr, er, c->ptr == 8 ? 0x98 : 0x50);
		if (r) {
			uint32_t ec = dmp_le32(r);
			free(a->exception_code);
			a->exception_code = xasprintf("0x%x", ec);
			dmp_ev(c, "exception code 0x%x: EXCEPTION_RECORD at P3 0x%llx (in the saved stack +0x%llx)", ec,
			       (unsigned long long)er, (unsigned long long)(er - tr.top));
		}
	}
	if (ctx_pn && tr.stack) {
		uint64_t cva = dmp_leptr(h + L->params + (unsigned)(ctx_pn - 1) * L->psize, c->ptr);
		size_t clen = machine == DMP_MACHINE_ARM64 ? 0x390 : machine == DMP_MACHINE_AMD64 ? 0x4d0 : 0x2cc;
		const unsigned char *cb = stack_at(&tr, cva, clen);
		uint64_t cip, csp, cfp;
		if (cb) {
			char *keep = a->registers;
			a->registers = NULL;
			if (dmp_context(c, machine, cb, clen, &cip, &csp, &cfp) == 0 && cip == fault) {
				free(keep);
				scan_from = csp;
				dmp_ev(c, "CONTEXT at P%d 0x%llx (in the saved stack): instruction pointer 0x%llx = P%d, stack pointer 0x%llx; registers from it",
				       ctx_pn, (unsigned long long)cva, (unsigned long long)cip, pn, (unsigned long long)csp);
			} else {
				free(a->registers);
				a->registers = keep;
			}
		}
	}
	if (!a->exception_code && (base_code == 0x1e || base_code == 0x7e || base_code == 0x8e || base_code == 0x3b)) {
		uint32_t ec = (uint32_t)dmp_leptr(h + L->params, c->ptr);
		a->exception_code = xasprintf("0x%x", ec);
		dmp_ev(c, "exception code 0x%x: bugcheck parameter 1", ec);
	}

	/* 3. the header context's instruction pointer */
	uint64_t cur_ip = fault;
	if (have_ctx) {
		uint64_t off;
		const dmp_mod *m = dmp_lookup(c, ip, &off);
		char *w = dmp_where(m, off, ip);
		if (fault && ip == fault) {
			dmp_ev(c, "context IP 0x%llx = %s (header CONTEXT at file offset 0x%x: the faulting context)",
			       (unsigned long long)ip, w, L->ctx);
			if (!scan_from)
				scan_from = sp;
		} else if (ip) {
			dmp_add_frame(c, m, off, ip);
			dmp_ev(c, "frame %zu %s: context IP 0x%llx (header CONTEXT at file offset 0x%x; may be KeBugCheckEx's own)",
			       a->nframes - 1, w, (unsigned long long)ip, L->ctx);
			if (!a->fault_ip) {
				a->fault_ip = xstrdup(w);
			}
			if (!scan_from)
				scan_from = sp;
			cur_ip = ip;
		}
		free(w);
	}

	/* 4. the saved stack: frame-pointer chain on ARM64, else a scan */
	size_t chain = 0;
	if (tr.stack && have_ctx && machine == DMP_MACHINE_ARM64) {
		uint64_t f = fp;
		for (int guard = 0; guard < 256; guard++) {
			const unsigned char *p = stack_at(&tr, f, 16);
			if (!p || (f & 7))
				break;
			uint64_t next = dmp_le64(p), lr = dmp_le64(p + 8), off;
			const dmp_mod *m = dmp_lookup(c, lr, &off);
			if (!m)
				break;
			dmp_add_frame(c, m, off, lr);
			dmp_ev(c, "frame %zu %s+0x%llx: LR 0x%llx saved at fp 0x%llx + 8 (frame-pointer chain)", a->nframes - 1,
			       m->name, (unsigned long long)off, (unsigned long long)lr, (unsigned long long)f);
			chain++;
			if (next <= f)
				break;
			f = next;
		}
	}
	if (tr.stack && chain < 2) {
		uint64_t from = scan_from && stack_at(&tr, scan_from, 1) ? scan_from : tr.top;
		size_t n = dmp_scan_stack(c, tr.stack, tr.stacklen, tr.top, from, DMP_MAX_SCAN_FRAMES, cur_ip,
					  triage_call_check, &tr);
		dmp_ev(c, "stack scan: %zu candidate frames from 0x%llx (saved stack 0x%llx..0x%llx, file offset 0x%x)", n,
		       (unsigned long long)from, (unsigned long long)tr.top,
		       (unsigned long long)(tr.top + tr.stacklen), tr.stackoff);
	}

	/* 5. the likely cause */
	if (!blame && !a->image) {
		for (size_t i = 0; i < a->nframes; i++) {
			const char *mn = a->frames[i].module;
			if (mn && !dmp_is_core(mn)) {
				blame = NULL;
				for (size_t k = 0; k < c->nmods; k++)
					if (strcmp(c->mods[k].name, mn) == 0)
						blame = &c->mods[k];
				blame_why = "is the first non-kernel driver among the frames (low confidence)";
				break;
			}
		}
		if (!blame && have_ctx) {
			blame = dmp_lookup(c, ip, NULL);
			blame_why = "holds the context IP (no driver frame found; low confidence)";
		}
	}
	if (blame) {
		free(a->image);
		a->image = xstrdup(blame->name);
		if (blame->have_ts)
			dmp_ev(c, "image %s: %s; TimeDateStamp %08X, SizeOfImage %llX, CheckSum %08X (symbol server key %s/%08X%llx)",
			       blame->name, blame_why, blame->timestamp, (unsigned long long)blame->size, blame->checksum,
			       blame->name, blame->timestamp, (unsigned long long)blame->size);
		else
			dmp_ev(c, "image %s: %s", blame->name, blame_why);
	}
	rc = 0;
out:
	free(tr.stack);
	free(tr.blocks);
	return rc;
}

/* Full and bitmap dumps: is the file as long as the memory it claims?
 * Only a warning: the header, read already, is sound either way. */
static void check_memory_size(dmp_ctx *c, const klayout *L, const unsigned char *h, uint32_t dtype)
{
	if (dtype == 1) {
		unsigned pmb = c->ptr == 8 ? 0x88 : 0x64;
		uint32_t runs = dmp_le32(h + pmb);
		uint64_t pages = c->ptr == 8 ? dmp_le64(h + pmb + 8) : dmp_le32(h + pmb + 4);
		if (runs == DMP_PAGE32 || pages == DMP_PAGE64 || (uint32_t)pages == DMP_PAGE32) {
			dmp_warn(c, "physical memory descriptor (file offset 0x%x) is unwritten \"PAGE\" fill", pmb);
			return;
		}
		if (pages > (c->size - L->hsz) / 0x1000)
			dmp_warn(c, "full dump truncated: NumberOfPages 0x%llx (file offset 0x%x) needs 0x%llx bytes after the header, the file has 0x%llx",
				 (unsigned long long)pages, pmb + (c->ptr == 8 ? 8 : 4),
				 pages > UINT64_MAX / 0x1000 ? UINT64_MAX : (unsigned long long)pages * 0x1000,
				 (unsigned long long)(c->size - L->hsz));
		else
			dmp_ev(c, "full dump: %u runs, 0x%llx pages, all present in the file", runs, (unsigned long long)pages);
	} else if (dtype == 5 || dtype == 6) {
		unsigned char b[0x38];
		if (!dmp_in_file(c, L->hsz, sizeof b) || dmp_read(c, L->hsz, b, sizeof b, "bitmap header") < 0) {
			c->code = PM_OK;
			c->err[0] = 0;
			dmp_warn(c, "bitmap header: the file ends at 0x%llx, before the 0x38-byte bitmap header at file offset 0x%x",
				 (unsigned long long)c->size, L->hsz);
			return;
		}
		if ((memcmp(b, "SDMP", 4) != 0 && memcmp(b, "FDMP", 4) != 0) || memcmp(b + 4, "DUMP", 4) != 0) {
			dmp_warn(c, "bitmap header: signature at file offset 0x%x is %02x %02x %02x %02x, expected \"SDMP\" or \"FDMP\"",
				 L->hsz, b[0], b[1], b[2], b[3]);
			return;
		}
		uint64_t first = dmp_le64(b + 0x20), present = dmp_le64(b + 0x28);
		if (first > c->size || present > (c->size - first) / 0x1000)
			dmp_warn(c, "bitmap dump truncated: FirstPage 0x%llx + TotalPresentPages 0x%llx x 0x1000 (file offset 0x%x) exceeds file size 0x%llx",
				 (unsigned long long)first, (unsigned long long)present, L->hsz + 0x20,
				 (unsigned long long)c->size);
		else
			dmp_ev(c, "bitmap dump: 0x%llx pages present from file offset 0x%llx", (unsigned long long)present,
			       (unsigned long long)first);
	}
}

int dmp_read_kernel(dmp_ctx *c, int is64)
{
	const klayout *L = is64 ? &k64 : &k32;
	pm_analysis *a = c->a;
	c->ptr = is64 ? 8 : 4;
	if (c->size < L->hsz)
		return dmp_fail(c, "kernel dump header: the file is 0x%llx bytes, shorter than the 0x%x-byte %s header",
				(unsigned long long)c->size, L->hsz, L->sig);
	unsigned char *h = xmalloc(L->hsz);
	int rc = -1;
	if (dmp_read(c, 0, h, L->hsz, "kernel dump header") < 0)
		goto out;
	uint32_t build = dmp_le32(h + 0xc), machine = dmp_le32(h + L->machine), nproc = dmp_le32(h + L->nproc);
	uint32_t code = dmp_le32(h + L->code), dtype = dmp_le32(h + L->dumptype), attr = dmp_le32(h + L->attr);
	uint32_t product = dmp_le32(h + L->product);
	if (code == DMP_PAGE32 && dtype == DMP_PAGE32) {
		dmp_fail(c, "dump header is unwritten \"PAGE\" fill: BugCheckCode (file offset 0x%x) and DumpType (file offset 0x%x) were never written",
			 L->code, L->dumptype);
		goto out;
	}
	if (attr != DMP_PAGE32 && (attr & 0x100)) {
		dmp_fail(c, "dump data is encrypted: Attributes 0x%x (file offset 0x%x) has EncryptedDumpData (bit 8) set",
			 attr, L->attr);
		goto out;
	}
	if (attr != DMP_PAGE32 && (attr & 0x4))
		dmp_warn(c, "kernel dump header: Attributes 0x%x (file offset 0x%x) has InsufficientDumpfileSize: the writer ran out of room",
			 attr, L->attr);
	if (build == DMP_PAGE32 || build == 0 || build > 100000) {
		dmp_fail(c, "kernel dump header: MinorVersion (build) 0x%x at file offset 0xc is not a Windows build number", build);
		goto out;
	}

	a->bugcheck_code = xasprintf("0x%x", code);
	const char *bn = bugcheck_name_of(code & 0xf0000000u ? code & 0x0fffffffu : code);
	if ((code & 0xf0000000u) == 0x10000000u && bn)
		a->bugcheck_name = xasprintf("%s_M", bn);
	else
		a->bugcheck_name = xstrdup(bugcheck_name_of(code));
	for (int i = 0; i < 4; i++)
		a->args[i] = xasprintf("0x%0*llx", c->ptr * 2,
				       (unsigned long long)dmp_leptr(h + L->params + (unsigned)i * L->psize, c->ptr));
	arg_descs(code, a);
	a->os_build = xasprintf("%u", build);
	const char *mn = dmp_machine_name(machine);
	a->machine = xstrdup(mn);
	char *when = filetime_str(dmp_le64(h + L->systime));
	static const char *const products[] = {"not written", "WinNt", "LanManNt", "ServerNt"};
	const char *pn = product == DMP_PAGE32 ? products[0] : product >= 1 && product <= 3 ? products[product] : "unknown";
	dmp_ev(c, "header: %s, build %u, machine 0x%x (%s), %u processors, DumpType %u (%s), product type %u (%s)%s%s",
	       L->sig, build, machine, mn ? mn : "unknown", nproc, dtype, dump_type_name(dtype),
	       product == DMP_PAGE32 ? 0 : product, pn, when ? ", system time " : "", when ? when : "");
	free(when);
	dmp_ev(c, "bugcheck 0x%x%s%s%s: header BugCheckCode at file offset 0x%x, parameters at 0x%x", code,
	       a->bugcheck_name ? " (" : "", a->bugcheck_name ? a->bugcheck_name : "", a->bugcheck_name ? ")" : "",
	       L->code, L->params);

	/* the context and exception record of the header */
	uint64_t ip = 0, sp = 0, fp = 0;
	int have_ctx = 0;
	if (!mn)
		dmp_warn(c, "kernel dump header: unknown MachineImageType 0x%x (file offset 0x%x): context not decoded",
			 machine, L->machine);
	else if (dmp_context(c, machine, h + L->ctx, L->ctxmax, &ip, &sp, &fp) == 0)
		have_ctx = 1;
	uint32_t ec = dmp_le32(h + L->exc);
	uint64_t ea = is64 ? dmp_le64(h + L->exc + 0x10) : dmp_le32(h + L->exc + 0x0c);
	if (ec == 0x80000003u) {
		dmp_ev(c, "header exception record (file offset 0x%x): code 0x80000003 at 0x%llx, the breakpoint of KeBugCheckEx, not the fault",
		       L->exc, (unsigned long long)ea);
	} else if (ec != DMP_PAGE32 && ec != 0) {
		a->exception_code = xasprintf("0x%x", ec);
		dmp_ev(c, "exception code 0x%x at 0x%llx: header exception record (file offset 0x%x)", ec,
		       (unsigned long long)ea, L->exc);
	}

	if (dtype != 4) {
		dmp_warn(c, "DumpType %u (%s) at file offset 0x%x: only the header is read (bugcheck, parameters, build, context); open it in WinDbg for the drivers and the stack",
			 dtype, dump_type_name(dtype), L->dumptype);
		check_memory_size(c, L, h, dtype);
		if (have_ctx && ip) {
			dmp_add_frame(c, NULL, 0, ip);
			a->fault_ip = xasprintf("0x%llx", (unsigned long long)ip);
			dmp_ev(c, "frame 0 0x%llx: context IP (no driver list in this dump type to map it)", (unsigned long long)ip);
		}
		rc = 0;
		goto out;
	}
	rc = read_triage(c, L, h, machine, have_ctx, ip, sp, fp);
out:
	free(h);
	return rc;
}
