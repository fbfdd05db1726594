/* dmp-int.h - internals shared by the crash dump reader's files (dmp.c:
 * detection and dispatch; dmp-kernel.c: kernel small memory dumps;
 * dmp-user.c: user-mode minidumps; dmp-common.c, below both: bounded reads,
 * module lookup, frames, evidence). Not a public API. */
#ifndef PMKB_DMP_INT_H
#define PMKB_DMP_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "model.h"
#include "../util/util.h"

/* IMAGE_FILE_MACHINE_* values the reader knows a CONTEXT layout for. */
#define DMP_MACHINE_I386 0x014cu
#define DMP_MACHINE_ARMNT 0x01c4u
#define DMP_MACHINE_AMD64 0x8664u
#define DMP_MACHINE_ARM64 0xaa64u

/* "PAGE" as u32/u64: Windows pre-fills unwritten header fields with it. */
#define DMP_PAGE32 0x45474150u
#define DMP_PAGE64 0x4547415045474150ull

/* Hard caps on counts and sizes read from a file (all hostile). */
#define DMP_MAX_DRIVERS 4096u
#define DMP_MAX_NAME 1024u          /* characters of a driver or module name */
#define DMP_MAX_POOL (4u << 20)     /* string pool bytes */
#define DMP_MAX_STACK (1u << 20)    /* saved kernel stack bytes */
#define DMP_MAX_USTACK (256u << 10) /* user-mode stack bytes scanned */
#define DMP_MAX_UNLOADED 50u
#define DMP_MAX_STREAMS 4096u
#define DMP_MAX_MODULES 8192u
#define DMP_MAX_SCAN_FRAMES 24u     /* scan candidates kept */

/* A loaded (or unloaded) image: [base, base+size). */
typedef struct dmp_mod {
	uint64_t base, size;
	char *name;  /* file name without path: "amdppm.sys" */
	char *path;  /* as stored: "\\SystemRoot\\System32\\drivers\\amdppm.sys" */
	uint32_t timestamp, checksum;
	int have_ts; /* timestamp/checksum were read (known entry layout) */
} dmp_mod;

/* Reader state: the byte source (memory or a file read with pread), the
 * analysis being filled, the evidence and warning lines, the error slot. */
typedef struct dmp_ctx {
	const unsigned char *mem; /* memory source, or NULL for fd */
	int fd;
	uint64_t size;            /* file or buffer size */
	pm_analysis *a;
	sbuf ev;                  /* evidence lines (pm_analysis.evidence) */
	sbuf warn;                /* warning lines */
	char *err;
	size_t errsz;
	pm_status code;           /* why it failed (PM_OK while it has not) */
	dmp_mod *mods;            /* loaded images, in list order */
	size_t nmods, mods_cap;
	dmp_mod *unl;             /* unloaded drivers */
	size_t nunl, unl_cap;
	int ptr;                  /* pointer size of the crashed system: 4 or 8 */
} dmp_ctx;

static inline uint16_t dmp_le16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t dmp_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t dmp_le64(const unsigned char *p)
{
	return (uint64_t)dmp_le32(p) | (uint64_t)dmp_le32(p + 4) << 32;
}
/* A pointer-sized little-endian value (4 or 8 bytes). */
static inline uint64_t dmp_leptr(const unsigned char *p, int ptr) { return ptr == 8 ? dmp_le64(p) : dmp_le32(p); }

/* Record a fatal error (PM_BAD_DATA) and return -1. */
int dmp_fail(dmp_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Add a warning / an evidence line (no trailing newline needed). */
void dmp_warn(dmp_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void dmp_ev(dmp_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Does [off, off+len) lie inside the source? Overflow-safe. */
int dmp_in_file(const dmp_ctx *c, uint64_t off, uint64_t len);
/* Copy len bytes at off into buf. Out of range or an I/O error: an error
 * naming what (a structure name) and -1. */
int dmp_read(dmp_ctx *c, uint64_t off, void *buf, size_t len, const char *what);

/* UTF-16LE (n code units) to a new UTF-8 string; invalid units become
 * U+FFFD, a NUL unit ends the string. */
char *dmp_utf16(const unsigned char *p, size_t n);

/* The part of a Windows path after the last backslash (or slash). */
const char *dmp_base_name(const char *path);
/* Add an image to c->mods (or c->unl when unloaded); takes name/path. */
dmp_mod *dmp_add_mod(dmp_ctx *c, int unloaded, uint64_t base, uint64_t size, char *path);
/* The loaded image holding addr, or NULL; *off receives addr - base. */
const dmp_mod *dmp_lookup(const dmp_ctx *c, uint64_t addr, uint64_t *off);
const dmp_mod *dmp_lookup_unloaded(const dmp_ctx *c, uint64_t addr, uint64_t *off);
/* Copy c->mods into a->modules (name, start/end, path, timestamp...). */
void dmp_publish_modules(dmp_ctx *c);

/* Append a frame "module+0xoff" (m may be NULL: a raw address frame). */
void dmp_add_frame(dmp_ctx *c, const dmp_mod *m, uint64_t off, uint64_t addr);
/* "amdppm.sys+0x334c", "0xfffff80012345678" when m is NULL. Caller frees. */
char *dmp_where(const dmp_mod *m, uint64_t off, uint64_t addr);

/* Does the code before a candidate return address hold a call? 1: yes
 * (*how says which), 0: code bytes not in the dump, -1: no call there. */
typedef int (*dmp_call_check)(dmp_ctx *c, void *arg, uint64_t addr, const char **how);

/* Scan a saved stack (bytes stk of len, first byte at VA va) from VA from
 * upward in pointer-size steps for values inside loaded images; append up
 * to max frames (immediate repeats and image bases folded), each with an
 * evidence line. skip_addr (0: none) is a value already given as a frame
 * just before (not repeated first). check (may be NULL) drops values whose
 * code bytes show no call before them. Returns how many were added. */
size_t dmp_scan_stack(dmp_ctx *c, const unsigned char *stk, size_t len, uint64_t va,
		      uint64_t from, size_t max, uint64_t skip_addr, dmp_call_check check, void *arg);

/* Decode the CONTEXT of machine in buf (len bytes): instruction, stack and
 * frame pointer, and a register text block stored in a->registers.
 * Returns 0, or -1 when the machine is unknown or buf too short. */
int dmp_context(dmp_ctx *c, unsigned machine, const unsigned char *buf, size_t len,
		uint64_t *ip, uint64_t *sp, uint64_t *fp);

/* "x64", "arm64", "x86", "arm" or NULL. */
const char *dmp_machine_name(unsigned machine);

/* Is the image a core kernel image (not a candidate cause)? */
int dmp_is_core(const char *name);

/* Readers of the two families; fill c->a, return 0 or -1 (error set). */
int dmp_read_kernel(dmp_ctx *c, int is64);
int dmp_read_user(dmp_ctx *c);


#endif
