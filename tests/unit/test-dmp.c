/* test-dmp.c - unit tests of the crash dump reader (import/dmp*.c) on the
 * real sample dumps of tests/data/dumps/: expected values from their
 * SOURCES.md, truncation at every structure boundary, hostile headers
 * made by patching copies of the real files, and a 10 GB sparse file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../import/readers.h"
#include "../../util/util.h"

#define X64 "tests/data/dumps/kernel/triage_x64.dmp"
#define ARM64 "tests/data/dumps/kernel/triage_arm64.dmp"
#define CALC "tests/data/dumps/user/calc_win7_x64.dmp"
#define XP "tests/data/dumps/user/test_winxp_x86.dmp"

static unsigned char *load(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *b = malloc((size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return b;
}

static uint32_t get32(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t get64(const unsigned char *p) { return get32(p) | (uint64_t)get32(p + 4) << 32; }
static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}
static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static int has_frame(const pm_analysis *a, const char *module, const char *offset)
{
	for (size_t i = 0; i < a->nframes; i++)
		if (a->frames[i].module && strcmp(a->frames[i].module, module) == 0 && a->frames[i].offset &&
		    strcmp(a->frames[i].offset, offset) == 0)
			return 1;
	return 0;
}

/* An error must be one line naming a place ("0x...") and PM_BAD_DATA. */
static void assert_one_line_error(int rc, pm_status ec, const char *err)
{
	assert_int_equal(rc, -1);
	assert_int_equal(ec, PM_BAD_DATA);
	assert_true(strlen(err) > 10);
	assert_null(strchr(err, '\n'));
	assert_true(err[strlen(err) - 1] != '.');
}

static void test_triage_x64(void **state)
{
	(void)state;
	pm_analysis a;
	char err[512], *w = (char *)1;
	pm_status ec = PM_INTERNAL; /* overwritten */
	assert_int_equal(dmp_read_file(X64, &a, &w, err, sizeof err, &ec), 0);
	assert_int_equal(ec, PM_OK);
	assert_null(w);
	assert_string_equal(a.source, "dmp");
	assert_string_equal(a.dump_name, "triage_x64.dmp");
	assert_string_equal(a.bugcheck_code, "0x1000007e");
	assert_string_equal(a.bugcheck_name, "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED_M");
	assert_string_equal(a.args[0], "0xffffffffc0000005");
	assert_string_equal(a.args[1], "0xfffff8048b58334c");
	assert_string_equal(a.args[2], "0xffff850429891ee8");
	assert_string_equal(a.args[3], "0xffff850429891720");
	assert_string_equal(a.os_build, "19041");
	assert_string_equal(a.machine, "x64");
	assert_string_equal(a.exception_code, "0xc0000005");
	assert_string_equal(a.image, "amdppm.sys");
	assert_string_equal(a.fault_ip, "amdppm.sys+0x334c");
	assert_string_equal(a.process, "System");
	assert_non_null(strstr(a.evidence, "process System: EPROCESS copy at file offset 0xd0b8, ImageFileName at +0x5a8 (known offset for this build)"));
	assert_int_equal(a.nmodules, 151);
	assert_string_equal(a.modules[0].name, "ntoskrnl.exe");
	assert_string_equal(a.modules[0].start, "fffff8047ba00000");
	assert_string_equal(a.modules[0].end, "fffff8047ca46000");
	assert_string_equal(a.modules[0].timestamp, "0D8333E6");
	assert_string_equal(a.modules[0].image_size, "01046000");
	assert_string_equal(a.modules[0].image_path, "\\SystemRoot\\system32\\ntoskrnl.exe");
	/* the range Microsoft's debugger gives for the faulting address
	 * (cdb "lm a fffff8048b58334c": amdppm.sys, base fffff8048b580000,
	 * size 0x3b000), as recorded by another public project's test */
	{
		const pm_module *m = NULL;
		for (size_t i = 0; i < a.nmodules; i++)
			if (strcmp(a.modules[i].name, "amdppm.sys") == 0)
				m = &a.modules[i];
		assert_non_null(m);
		assert_string_equal(m->start, "fffff8048b580000");
		assert_string_equal(m->end, "fffff8048b5bb000");
		assert_string_equal(m->image_size, "0003B000");
		assert_string_equal(m->image_path, "\\SystemRoot\\System32\\drivers\\amdppm.sys");
	}
	assert_string_equal(a.modules[1].name, "hal.dll");
	assert_string_equal(a.modules[1].start, "fffff80479440000");
	/* the faulting address first, then scan candidates */
	assert_true(a.nframes > 2);
	assert_string_equal(a.frames[0].module, "amdppm.sys");
	assert_string_equal(a.frames[0].offset, "0x334c");
	assert_null(a.frames[0].function);
	assert_non_null(strstr(a.evidence,
			       "P2 0xfffff8048b58334c = amdppm.sys+0x334c (bugcheck 0x1000007e parameter 2: faulting address)"));
	assert_non_null(strstr(a.evidence, "scan candidate"));
	/* the code page before amdppm.sys+0x313f is in a data block: a CALL */
	assert_non_null(strstr(a.evidence, "amdppm.sys+0x313f: stack 0xffff850429892148 (saved stack +0x1260) holds 0xfffff8048b58313f (scan candidate, preceded by a CALL rel32"));
	assert_true(has_frame(&a, "amdppm.sys", "0x313f"));
	assert_false(has_frame(&a, "amdppm.sys", "0x10bc8")); /* data bytes before it: dropped */
	assert_non_null(strstr(a.evidence, "EXCEPTION_RECORD at P3 0xffff850429891ee8"));
	assert_non_null(strstr(a.evidence, "unloaded drivers: 4"));
	assert_non_null(strstr(a.evidence, "dam.sys, WdBoot.sys, hwpolicy.sys, mcupdate.dll"));
	assert_non_null(strstr(a.evidence, "system time 2021-02-21 01:38:22 UTC"));
	assert_non_null(strstr(a.registers, "rip=fffff8048b58334c rsp=ffff850429892120"));
	assert_int_equal(strlen(a.hash), 16);

	/* from memory: the same analysis */
	size_t len;
	unsigned char *buf = load(X64, &len);
	pm_analysis b;
	assert_int_equal(dmp_read_mem(buf, len, &b, &w, err, sizeof err, &ec), 0);
	assert_string_equal(a.hash, b.hash);
	assert_int_equal(a.nframes, b.nframes);
	assert_null(b.dump_name);
	pm_analysis_clear(&b);
	free(buf);
	pm_analysis_clear(&a);
}

static void test_triage_arm64(void **state)
{
	(void)state;
	pm_analysis a;
	char err[512], *w = NULL;
	pm_status ec = PM_INTERNAL; /* overwritten */
	assert_int_equal(dmp_read_file(ARM64, &a, &w, err, sizeof err, &ec), 0);
	assert_null(w);
	assert_string_equal(a.bugcheck_code, "0x1c8");
	assert_string_equal(a.bugcheck_name, "MANUALLY_INITIATED_POWER_BUTTON_HOLD");
	assert_string_equal(a.args[0], "0x0000000000001b58");
	assert_string_equal(a.args[1], "0xfffff803f3a20860");
	assert_string_equal(a.os_build, "22000");
	assert_string_equal(a.machine, "arm64");
	assert_string_equal(a.process, "System");
	assert_int_equal(a.nmodules, 245);
	/* context PC, then the frame-pointer chain */
	assert_true(a.nframes >= 5);
	assert_string_equal(a.frames[0].module, "ntoskrnl.exe");
	assert_string_equal(a.frames[0].offset, "0x4de014");
	static const char *const lr[] = {"0x5442a0", "0x29ff1c", "0x373340", "0x207de4"};
	for (int i = 0; i < 4; i++) {
		assert_string_equal(a.frames[1 + i].module, "ntoskrnl.exe");
		assert_string_equal(a.frames[1 + i].offset, lr[i]);
	}
	assert_non_null(strstr(a.evidence, "frame-pointer chain"));
	assert_non_null(strstr(a.registers, "pc=fffff803f32de014 sp=ffffe00e0e4bc4a0 fp=ffffe00e0e4bc4a0"));
	pm_analysis_clear(&a);
}

static void test_user_calc(void **state)
{
	(void)state;
	pm_analysis a;
	char err[512], *w = NULL;
	pm_status ec = PM_INTERNAL; /* overwritten */
	assert_int_equal(dmp_read_file(CALC, &a, &w, err, sizeof err, &ec), 0);
	assert_null(w);
	assert_null(a.bugcheck_code);
	assert_string_equal(a.exception_code, "0x80000003");
	assert_string_equal(a.fault_ip, "ntdll.dll+0x4ae10");
	assert_string_equal(a.frames[0].module, "ntdll.dll");
	assert_string_equal(a.frames[0].offset, "0x4ae10");
	assert_string_equal(a.machine, "x64");
	assert_string_equal(a.os_build, "7601");
	assert_string_equal(a.process, "calc.exe");
	assert_int_equal(a.nmodules, 28);
	assert_non_null(strstr(a.evidence, "thread 1628"));
	assert_non_null(strstr(a.evidence, "5 threads"));
	pm_analysis_clear(&a);
}

static void test_user_xp(void **state)
{
	(void)state;
	pm_analysis a;
	char err[512], *w = NULL;
	pm_status ec = PM_INTERNAL; /* overwritten */
	assert_int_equal(dmp_read_file(XP, &a, &w, err, sizeof err, &ec), 0);
	assert_string_equal(a.exception_code, "0xc0000005");
	assert_string_equal(a.fault_ip, "test_app.exe+0x429e");
	assert_string_equal(a.image, "test_app.exe");
	assert_string_equal(a.machine, "x86");
	assert_string_equal(a.os_build, "2600");
	assert_int_equal(a.nmodules, 13);
	assert_string_equal(a.modules[0].image_path, "c:\\test_app.exe");
	assert_string_equal(a.modules[0].start, "00400000");
	assert_true(has_frame(&a, "test_app.exe", "0x429e"));
	assert_non_null(strstr(a.registers, "eip=0040429e"));
	assert_non_null(strstr(a.evidence, "thread 3060"));
	pm_analysis_clear(&a);
	free(w);
}

static void test_corrupt_samples(void **state)
{
	(void)state;
	static const char *const files[] = {
		"tests/data/dumps/corrupt/rust-minidump-invalid-range.dmp",
		"tests/data/dumps/corrupt/rust-minidump-invalid-record-count.dmp",
		"tests/data/dumps/corrupt/rizin-fuzzed-npe_r_mdmp.c-364_1.mdmp",
		"tests/data/dumps/corrupt/rizin-fuzzed-npe_w_bin_mdmp.c-111_1.mdmp",
	};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(files); i++) {
		pm_analysis a;
		char err[512], *w = NULL;
		pm_status ec = PM_OK;
		int rc = dmp_read_file(files[i], &a, &w, err, sizeof err, &ec);
		assert_one_line_error(rc, ec, err);
		assert_null(w);
		assert_null(a.bugcheck_code);
	}
	pm_analysis a;
	char err[512];
	pm_status ec = PM_OK;
	assert_int_equal(dmp_read_file("tests/data/dumps/corrupt/no-such.dmp", &a, NULL, err, sizeof err, &ec), -1);
	assert_int_equal(ec, PM_NO_INPUT);
	assert_string_equal(err, "no such file");
	assert_int_equal(dmp_read_file("tests/data/dumps", &a, NULL, err, sizeof err, &ec), -1);
	assert_int_equal(ec, PM_NO_INPUT);
	assert_string_equal(err, "is a directory");
}

/* Read bytes from memory and expect an error containing want. */
static void expect_error(const unsigned char *b, size_t n, const char *want)
{
	pm_analysis a;
	char err[512], *w = NULL;
	pm_status ec = PM_OK;
	int rc = dmp_read_mem(b, n, &a, &w, err, sizeof err, &ec);
	if (rc == 0 || !strstr(err, want))
		fail_msg("expected an error with '%s', got rc %d: '%s'", want, rc, rc ? err : "");
	assert_one_line_error(rc, ec, err);
	assert_null(w);
}

/* Read and expect success with a warning containing want (NULL: none). */
static void expect_warning(const unsigned char *b, size_t n, const char *want, pm_analysis *out)
{
	char err[512], *w = NULL;
	pm_status ec = PM_INTERNAL; /* overwritten */
	int rc = dmp_read_mem(b, n, out, &w, err, sizeof err, &ec);
	if (rc != 0)
		fail_msg("expected success with warning '%s', got '%s'", want ? want : "(none)", err);
	assert_int_equal(ec, PM_OK);
	if (want) {
		assert_non_null(w);
		if (!strstr(w, want))
			fail_msg("warnings '%s' lack '%s'", w, want);
	} else {
		assert_null(w);
	}
	free(w);
}

static void test_detection(void **state)
{
	(void)state;
	assert_true(dmp_is_dump((const unsigned char *)"PAGEDU64", 8));
	assert_true(dmp_is_dump((const unsigned char *)"PAGEDUMP", 8));
	assert_true(dmp_is_dump((const unsigned char *)"MDMP\x93\xa7", 6));
	assert_int_equal(dmp_is_dump((const unsigned char *)"PAGEDU6", 7), 2); /* a cut header: named by the reader */
	assert_int_equal(dmp_is_dump((const unsigned char *)"MSCF\0\0\0\0", 8), 2);
	assert_int_equal(dmp_is_dump((const unsigned char *)"PAGEPAGE", 8), 2);
	assert_false(dmp_is_dump((const unsigned char *)"\x7f" "ELF", 4));
	assert_false(dmp_is_dump((const unsigned char *)"\0\0\0\0\0\0\0\0", 8));
	assert_false(dmp_is_dump(NULL, 0));
	/* text that starts with the same letters is text, not a dump */
	const char *paste = "PAGE_FAULT_IN_NONPAGED_AREA (50)\nInvalid system memory was referenced.\n";
	assert_false(dmp_is_dump((const unsigned char *)paste, strlen(paste)));
	assert_false(dmp_is_dump((const unsigned char *)"MSCF is a CAB header\n", 21));
	/* an unknown variant with binary fields after the tag is still named */
	assert_int_equal(dmp_is_dump((const unsigned char *)"PAGEDU32\x0f\0\0\0", 12), 2);

	expect_error((const unsigned char *)"\x7f" "ELF\2\1\1\0\0\0\0\0", 12, "not a Windows dump: first bytes 7f 45 4c 46");
	expect_error((const unsigned char *)"bugcheck 0xd1\n", 14, "not a Windows dump: first bytes 62 75 67 63");
	expect_error((const unsigned char *)"MSCF\0\0\0\0", 8, "CAB archive (MSCF): extract the .dmp first");
	expect_error((const unsigned char *)"", 0, "the file is empty");
	expect_error((const unsigned char *)"M", 1, "not a Windows dump: first bytes 4d");
	expect_error((const unsigned char *)"PAGEXYZW", 8, "unknown kernel dump variant");
	expect_error((const unsigned char *)"PAGEDU", 6, "kernel dump header: the file is 0x6 bytes, shorter than its 8-byte signature");
	unsigned char *z = calloc(1, 0x4000);
	expect_error(z, 0x4000, "never written");
	memset(z, 0, 0x4000);
	for (int i = 0; i < 0x4000; i += 4)
		memcpy(z + i, "PAGE", 4);
	expect_error(z, 0x4000, "unwritten \"PAGE\" fill");
	memcpy(z, "PAGEDU64", 8);
	expect_error(z, 0x4000, "unwritten \"PAGE\" fill");
	memcpy(z, "PAGEDU64", 8);
	expect_error(z, 0x1fff, "shorter than the 0x2000-byte PAGEDU64 header");
	memcpy(z, "PAGEDUMP", 8);
	expect_error(z, 0xfff, "shorter than the 0x1000-byte PAGEDUMP header");
	free(z);
}

/* The structure boundaries of a triage dump, from its own headers. */
static size_t boundaries(const unsigned char *b, size_t len, size_t *cuts, size_t max)
{
	const unsigned char *t = b + 0x2000;
	size_t n = 0;
	uint32_t list = get32(t + 0x30), count = get32(t + 0x34), pool = get32(t + 0x38);
	uint32_t stride = (pool - list) / count;
	size_t fixed[] = {0, 1, 4, 8, 0x30, 0x38, 0x40, 0x348, 0xf00, 0xf98, 0x1000, 0x1050, 0x1fff, 0x2000, 0x2004,
			  0x2030, 0x2040, 0x2048, 0x2070, 0x207f, 0x2080, get32(t + 0x14), get32(t + 0x18),
			  get32(t + 0x18) + 8, get32(t + 0x28), get32(t + 0x28) + get32(t + 0x2c), get32(t + 0x70),
			  pool, pool + get32(t + 0x3c), get32(t + 0x78), get32(t + 0x04) - 4, get32(t + 0x04), len};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(fixed) && n + 3 < max; i++)
		for (int d = -1; d <= 1; d++)
			if (fixed[i] + d <= len && !(fixed[i] == 0 && d < 0))
				cuts[n++] = fixed[i] + d;
	for (uint32_t i = 0; i <= count && n + 2 < max; i++) {
		cuts[n++] = list + (size_t)i * stride;
		cuts[n++] = list + (size_t)i * stride + 0x3c;
	}
	/* every driver name in the pool */
	for (uint32_t i = 0; i < count && n + 2 < max; i++) {
		uint32_t no = get32(b + list + (size_t)i * stride);
		cuts[n++] = no + 2;
		cuts[n++] = no + 4 + 2 * get32(b + no);
	}
	return n;
}

static void truncate_kernel(const char *path)
{
	size_t len;
	unsigned char *b = load(path, &len);
	uint32_t sod = get32(b + 0x2004);
	size_t cuts[1200];
	size_t n = boundaries(b, len, cuts, PMKB_ARRAY_LEN(cuts));
	assert_true(n > 500);
	for (size_t i = 0; i < n; i++) {
		pm_analysis a;
		char err[512], *w = NULL;
		pm_status ec = PM_OK;
		int rc = dmp_read_mem(b, cuts[i], &a, &w, err, sizeof err, &ec);
		if (cuts[i] < sod) {
			if (rc == 0)
				fail_msg("%s cut at 0x%zx: read succeeded", path, cuts[i]);
			assert_one_line_error(rc, ec, err);
			/* past the signature, every error names a file offset or size */
			if (cuts[i] >= 8 && !strstr(err, "0x"))
				fail_msg("cut at 0x%zx: '%s' names no offset", cuts[i], err);
		} else {
			/* only the DumpBlob trailer was cut: still a whole triage dump */
			assert_int_equal(rc, 0);
			pm_analysis_clear(&a);
			free(w);
		}
	}
	/* and every byte of the headers */
	for (size_t cut = 0; cut < 0x2100; cut++) {
		pm_analysis a;
		char err[512];
		pm_status ec = PM_OK;
		int rc = dmp_read_mem(b, cut, &a, NULL, err, sizeof err, &ec);
		assert_one_line_error(rc, ec, err);
	}
	free(b);
}

static void test_truncated_kernel(void **state)
{
	(void)state;
	truncate_kernel(X64);
	truncate_kernel(ARM64);
	/* named structures */
	size_t len;
	unsigned char *b = load(X64, &len);
	expect_error(b, 0x2040, "inside the 0x80-byte triage header at file offset 0x2000");
	expect_error(b, 0x12000, "driver list: DriverListOffset 0x10828 (file offset 0x2030) + 151 x 0x90 = 0x15d18 exceeds file size 0x12000");
	expect_error(b, 0x16000, "string pool: StringPoolOffset 0x15d18");
	expect_error(b, 0x100000, "triage header: SizeOfDump 0x13a28c (file offset 0x2004) exceeds file size 0x100000");
	free(b);
}

static void truncate_user(const char *path)
{
	size_t len;
	unsigned char *b = load(path, &len);
	pm_analysis full;
	expect_warning(b, len, NULL, &full);
	/* cut at every 4th byte: each stream boundary is 4-aligned in these files */
	for (size_t cut = 0; cut <= len; cut += (cut < 0x400 ? 1 : 4)) {
		pm_analysis a;
		char err[512], *w = NULL;
		pm_status ec = PM_OK;
		int rc = dmp_read_mem(b, cut, &a, &w, err, sizeof err, &ec);
		if (rc != 0) {
			assert_one_line_error(rc, ec, err);
			continue;
		}
		/* success on a cut file: what was read is what the whole file says,
		 * and anything missing was warned about */
		assert_true(a.nmodules <= full.nmodules);
		if (a.fault_ip)
			assert_string_equal(a.exception_code, full.exception_code);
		if (!w) {
			assert_int_equal(a.nmodules, full.nmodules);
			assert_string_equal(a.fault_ip, full.fault_ip);
		}
		free(w);
		pm_analysis_clear(&a);
	}
	pm_analysis_clear(&full);
	free(b);
}

static void test_truncated_user(void **state)
{
	(void)state;
	truncate_user(CALC);
	truncate_user(XP);
}

/* Patch a copy of the x64 sample: offsets relative to the triage header
 * at 0x2000 unless abs. */
static unsigned char *x64_copy(size_t *len)
{
	return load(X64, len);
}

static void test_hostile_kernel(void **state)
{
	(void)state;
	size_t len;
	unsigned char *o = x64_copy(&len), *b = malloc(len);
	const unsigned char *t = o + 0x2000;
	uint32_t list = get32(t + 0x30), pool = get32(t + 0x38), poolsz = get32(t + 0x3c);
	pm_analysis a;

#define RESET() memcpy(b, o, len)
	RESET(); put32(b + 0x2030, 0xfffffff0);
	expect_error(b, len, "DriverListOffset");
	RESET(); put32(b + 0x2034, 0);
	expect_error(b, len, "driver list: DriverCount 0 (file offset 0x2034)");
	RESET(); put32(b + 0x2034, 0xffffffff);
	expect_error(b, len, "DriverCount 4294967295 (file offset 0x2034) exceeds the limit 4096");
	RESET(); put32(b + 0x2034, 150); /* the stride no longer divides */
	expect_error(b, len, "no known entry size fits");
	RESET(); put32(b + 0x2038, list + 7);
	expect_error(b, len, "no known entry size fits");
	RESET(); put32(b + 0x2038, list - 8);
	expect_error(b, len, "is not after DriverListOffset");
	RESET(); put32(b + 0x203c, 0xffffffff);
	expect_error(b, len, "StringPoolSize 0xffffffff");
	RESET(); put32(b + 0x203c, 0);
	expect_error(b, len, "StringPoolSize 0x0");
	RESET(); put32(b + list, 0xffffffff); /* entry 0's name offset */
	expect_error(b, len, "driver list entry 0: DriverNameOffset 0xffffffff");
	RESET(); put32(b + list + 5 * 0x90, pool + poolsz - 2);
	expect_error(b, len, "driver list entry 5: DriverNameOffset");
	/* a name length that overruns the pool: the last name */
	RESET();
	{
		uint32_t last = get32(b + list + 150 * 0x90);
		put32(b + last, (pool + poolsz - last) / 2);
		expect_error(b, len, "driver list entry 150: name Length");
		put32(b + last, 0x7fffffff);
		expect_error(b, len, "exceeds the limit 1024");
		put32(b + last, 0);
		expect_error(b, len, "is zero");
	}
	RESET(); put32(b + get32(b + list) + 4 + 2 * 33, 0x41); /* no NUL after ntoskrnl's name */
	expect_error(b, len, "is not NUL-terminated");
	RESET(); put64(b + list + 3 * 0x90 + 0x38, 0x1234);
	expect_error(b, len, "driver list entry 3: DllBase 0x1234");
	RESET(); put32(b + list + 3 * 0x90 + 0x48, 0);
	expect_error(b, len, "driver list entry 3: SizeOfImage 0x0");
	RESET(); put32(b + 0x1050, 0x100);
	expect_error(b, len, "dump data is encrypted: Attributes 0x100 (file offset 0x1050)");
	RESET(); put32(b + 0x2028, 0xfffffff0);
	expect_error(b, len, "call stack: CallStackOffset 0xfffffff0");
	RESET(); put32(b + 0x202c, 0xffffffff);
	expect_error(b, len, "SizeOfCallStack 0xffffffff (file offset 0x202c) exceeds the 1 MiB limit");
	RESET(); put64(b + 0x2048, 0xfffffffffffffff0ull);
	expect_error(b, len, "TopOfStack 0xfffffffffffffff0");
	RESET(); put32(b + 0x2018, 0xfffffff0);
	expect_error(b, len, "unloaded drivers: UnloadedDriversOffset 0xfffffff0");
	RESET(); put32(b + get32(t + 0x18), 1000);
	expect_error(b, len, "unloaded drivers: count 1000");
	RESET(); put32(b + 0x2008, 0xfffffff0);
	expect_error(b, len, "ValidOffset 0xfffffff0");
	RESET(); put32(b + get32(t + 0x08), 0);
	expect_error(b, len, "validity marker at file offset 0x13a288 is 0x00000000");
	RESET(); put32(b + 0x2004, 0xffffffff);
	expect_error(b, len, "SizeOfDump 0xffffffff");
	RESET(); put32(b + 0xc, 0x45474150);
	expect_error(b, len, "MinorVersion (build)");
	RESET(); put32(b + 0x38, 0x45474150); put32(b + 0xf98, 0x45474150);
	expect_error(b, len, "unwritten \"PAGE\" fill");

	/* parts still sound: success with a warning */
	RESET(); put32(b + 0x1050, 0x4);
	expect_warning(b, len, "InsufficientDumpfileSize", &a);
	assert_string_equal(a.image, "amdppm.sys");
	pm_analysis_clear(&a);
	RESET(); put32(b + 0xf98, 6);
	expect_warning(b, len, "DumpType 6 (bitmap kernel memory dump) at file offset 0xf98: only the header is read", &a);
	assert_string_equal(a.bugcheck_code, "0x1000007e");
	assert_int_equal(a.nmodules, 0);
	pm_analysis_clear(&a);
	/* the process name: beyond the file, another name, found by the scan */
	RESET(); put32(b + 0x2020, 0xfffffff0);
	expect_warning(b, len, NULL, &a);
	assert_null(a.process);
	pm_analysis_clear(&a);
	RESET(); memcpy(b + 0xd0b8 + 0x5a8, "explorer.exe\0\0\0", 15);
	expect_warning(b, len, NULL, &a);
	assert_string_equal(a.process, "explorer.exe");
	pm_analysis_clear(&a);
	RESET(); memset(b + 0xd0b8 + 0x5a8, 'A', 15); memcpy(b + 0xd0b8 + 0x100, "smss.exe\0\0\0\0\0\0\0", 15);
	expect_warning(b, len, NULL, &a);
	assert_string_equal(a.process, "smss.exe");
	assert_non_null(strstr(a.evidence, "(heuristic)"));
	pm_analysis_clear(&a);
	/* a bitmap kernel dump cut short: header read, truncation warned */
	RESET(); put32(b + 0xf98, 6); memcpy(b + 0x2000, "SDMPDUMP", 8);
	put64(b + 0x2020, 0x3000); put64(b + 0x2028, 0x100000);
	expect_warning(b, len, "bitmap dump truncated: FirstPage 0x3000 + TotalPresentPages 0x100000 x 0x1000 (file offset 0x2020) exceeds file size 0x160ab4", &a);
	assert_string_equal(a.os_build, "19041");
	pm_analysis_clear(&a);
	put64(b + 0x2028, 0x10);
	expect_warning(b, len, "only the header is read", &a);
	assert_non_null(strstr(a.evidence, "bitmap dump: 0x10 pages present from file offset 0x3000"));
	pm_analysis_clear(&a);
	put64(b + 0x2020, 0xffffffffffffffffull); put64(b + 0x2028, 0xffffffffffffffffull);
	expect_warning(b, len, "bitmap dump truncated", &a);
	pm_analysis_clear(&a);
	/* a full dump whose pages are not all there */
	RESET(); put32(b + 0xf98, 1); put32(b + 0x88, 1); put64(b + 0x90, 0x40000);
	expect_warning(b, len, "full dump truncated: NumberOfPages 0x40000 (file offset 0x90) needs 0x40000000 bytes after the header, the file has 0x15eab4", &a);
	pm_analysis_clear(&a);
	put64(b + 0x90, 0xffffffffffffffffull);
	expect_warning(b, len, "full dump truncated", &a);
	pm_analysis_clear(&a);
	RESET(); put32(b + 0x30, 0x1234);
	expect_warning(b, len, "unknown MachineImageType 0x1234", &a);
	assert_null(a.machine);
	assert_null(a.registers);
	assert_string_equal(a.image, "amdppm.sys");
	pm_analysis_clear(&a);
	RESET(); put32(b + 0x2028, 0); put32(b + 0x202c, 0);
	expect_warning(b, len, "no saved stack", &a);
	assert_string_equal(a.frames[0].module, "amdppm.sys");
	pm_analysis_clear(&a);
	/* no faulting address known */
	RESET(); put64(b + 0x48, 0); put64(b + 0x348 + 0xf8, 0);
	expect_warning(b, len, NULL, &a);
	assert_non_null(strstr(a.evidence, "P2 0x0: the faulting address is not known"));
	pm_analysis_clear(&a);
	/* P3/P4 at the very end of the saved stack: not read past it */
	RESET();
	{
		uint64_t end = get64(b + 0x2048) + get32(b + 0x202c);
		put64(b + 0x50, end - 8);
		put64(b + 0x58, end - 8);
		expect_warning(b, len, NULL, &a);
		assert_string_equal(a.exception_code, "0xc0000005"); /* from P1 now */
		assert_non_null(strstr(a.evidence, "exception code 0xc0000005: bugcheck parameter 1"));
		pm_analysis_clear(&a);
	}
#undef RESET
	free(b);
	free(o);
}

/* The parameter table: which parameter holds the faulting address. */
static void test_fault_params(void **state)
{
	(void)state;
	size_t len;
	unsigned char *b = load(X64, &len);
	pm_analysis a;
	/* 0xd1: P4 */
	put32(b + 0x38, 0xd1);
	put64(b + 0x40, 0x10);
	put64(b + 0x48, 2);
	put64(b + 0x50, 0);
	put64(b + 0x58, 0xfffff8048b583100ull);
	expect_warning(b, len, NULL, &a);
	assert_string_equal(a.bugcheck_name, "DRIVER_IRQL_NOT_LESS_OR_EQUAL");
	assert_string_equal(a.frames[0].module, "amdppm.sys");
	assert_string_equal(a.frames[0].offset, "0x3100");
	assert_string_equal(a.image, "amdppm.sys");
	assert_non_null(strstr(a.evidence, "P4 0xfffff8048b583100 = amdppm.sys+0x3100 (bugcheck 0xd1 parameter 4: address that referenced memory)"));
	assert_null(a.exception_code); /* 0xd1 has none, and the header's is KeBugCheckEx's */
	assert_string_equal(a.arg_desc[0], "memory referenced");
	pm_analysis_clear(&a);
	/* 0x50: P3 unknown (0): the context IP is the next best */
	put32(b + 0x38, 0x50);
	put64(b + 0x58, 2);
	expect_warning(b, len, NULL, &a);
	assert_non_null(strstr(a.evidence, "P3 0x0: the faulting address is not known (bugcheck 0x50 parameter 3: faulting address, if known)"));
	assert_string_equal(a.frames[0].module, "amdppm.sys"); /* context IP */
	assert_string_equal(a.fault_ip, "amdppm.sys+0x334c");
	pm_analysis_clear(&a);
	/* 0x1e: P2 inside an unloaded driver */
	put32(b + 0x38, 0x1e);
	put64(b + 0x40, 0xc0000005);
	put64(b + 0x48, 0xfffff80487de1234ull);
	expect_warning(b, len, NULL, &a);
	assert_string_equal(a.image, "dam.sys");
	assert_string_equal(a.frames[0].address, "0xfffff80487de1234");
	assert_null(a.frames[0].module);
	assert_non_null(strstr(a.evidence, "P2 0xfffff80487de1234 = 0xfffff80487de1234 (inside unloaded driver dam.sys+0x1234)"));
	assert_string_equal(a.exception_code, "0xc0000005");
	pm_analysis_clear(&a);
	/* a code no table knows: named by its number only */
	put32(b + 0x38, 0x12345);
	expect_warning(b, len, NULL, &a);
	assert_string_equal(a.bugcheck_code, "0x12345");
	assert_null(a.bugcheck_name);
	assert_non_null(strstr(a.evidence, "bugcheck 0x12345: no parameter holds a code address"));
	pm_analysis_clear(&a);
	free(b);
}

static void test_hostile_user(void **state)
{
	(void)state;
	size_t len;
	unsigned char *o = load(CALC, &len), *b = malloc(len);
	pm_analysis a;
	/* find the exception and module stream directory entries */
	uint32_t dir = get32(o + 12), n = get32(o + 8), exc = 0, mod = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (get32(o + dir + 12 * i) == 6)
			exc = dir + 12 * i;
		if (get32(o + dir + 12 * i) == 4)
			mod = dir + 12 * i;
	}
	assert_true(exc && mod);
#define RESET() memcpy(b, o, len)
	RESET(); put32(b + exc + 8, 0xffffff00);
	expect_warning(b, len, "minidump exception stream: Rva 0xffffff00", &a);
	assert_int_equal(a.nmodules, 28); /* the rest is still read */
	assert_null(a.exception_code);
	pm_analysis_clear(&a);
	RESET(); put32(b + get32(b + mod + 8), 0x7fffffff);
	expect_warning(b, len, "NumberOfModules 2147483647", &a);
	assert_int_equal(a.nmodules, 28);
	pm_analysis_clear(&a);
	RESET(); put32(b + exc + 4, 4);
	expect_warning(b, len, "DataSize 0x4", &a);
	pm_analysis_clear(&a);
	RESET(); put32(b + 8, 0);
	expect_error(b, len, "NumberOfStreams 0");
	RESET(); put32(b + 8, 0xffffffff);
	expect_error(b, len, "NumberOfStreams 4294967295");
	RESET(); put32(b + 12, 0xfffffff8);
	expect_error(b, len, "StreamDirectoryRva 0xfffffff8");
	RESET(); put32(b + 4, 0x1234);
	expect_error(b, len, "Version 0x00001234");
	/* every stream out of range: nothing usable, the first problem named */
	RESET();
	for (uint32_t i = 0; i < n; i++)
		put32(b + dir + 12 * i + 8, 0xfffffff0);
	expect_error(b, len, "minidump system info stream: Rva 0xfffffff0");
#undef RESET
	free(b);
	free(o);
}

/* A 10 GB sparse file: nothing is read but the structures. */
static void test_sparse_10g(void **state)
{
	(void)state;
	FILE *tf = tmpfile();
	assert_non_null(tf);
	int fd = fileno(tf);
	if (ftruncate(fd, 10LL << 30) != 0) {
		fclose(tf);
		skip();
	}
	char fdpath[64];
	snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fd);
	pm_analysis a;
	char err[512], *w = NULL;
	pm_status ec = PM_OK;
	assert_int_equal(dmp_read_file(fdpath, &a, &w, err, sizeof err, &ec), -1);
	assert_int_equal(ec, PM_BAD_DATA);
	assert_non_null(strstr(err, "never written"));
	/* the real triage dump at the head of a 10 GB file reads the same */
	size_t len;
	unsigned char *b = load(X64, &len);
	assert_int_equal(pwrite(fd, b, len, 0), (ssize_t)len);
	assert_int_equal(dmp_read_file(fdpath, &a, &w, err, sizeof err, &ec), 0);
	assert_string_equal(a.fault_ip, "amdppm.sys+0x334c");
	assert_int_equal(a.nmodules, 151);
	pm_analysis_clear(&a);
	/* a kernel header claiming a huge call stack far out in the file */
	put32(b + 0x2028, 0x7ffff000);
	assert_int_equal(pwrite(fd, b, 0x2100, 0), 0x2100);
	assert_int_equal(dmp_read_file(fdpath, &a, &w, err, sizeof err, &ec), 0);
	pm_analysis_clear(&a);
	free(b);
	fclose(tf);
}

/* The fuzz seeds made by compacting the real triage dumps under 64 KiB
 * (structures moved, offsets rewritten; docs/dmp.md) read like the
 * originals, so the fuzzer starts from inputs that reach every stage. */
static void test_compact_seeds(void **state)
{
	(void)state;
	pm_analysis a;
	char err[512], *w = NULL;
	pm_status ec;
	assert_int_equal(dmp_read_file("fuzz/corpus/dmp/triage_x64-compact.dmp", &a, &w, err, sizeof err, &ec), 0);
	assert_null(w);
	assert_string_equal(a.bugcheck_code, "0x1000007e");
	assert_string_equal(a.fault_ip, "amdppm.sys+0x334c");
	assert_string_equal(a.exception_code, "0xc0000005");
	assert_int_equal(a.nmodules, 151);
	assert_non_null(strstr(a.evidence, "preceded by a CALL rel32"));
	assert_non_null(strstr(a.evidence, "dropped: the dump's code bytes before them hold no call"));
	pm_analysis_clear(&a);
	assert_int_equal(dmp_read_file("fuzz/corpus/dmp/triage_arm64-compact.dmp", &a, &w, err, sizeof err, &ec), 0);
	assert_string_equal(a.bugcheck_code, "0x1c8");
	assert_int_equal(a.nmodules, 150);
	assert_string_equal(a.frames[1].offset, "0x5442a0");
	pm_analysis_clear(&a);
}

/* No public 32-bit (PAGEDUMP) sample exists: this one is built here from
 * the documented layouts (docs/dmp.md) - an x86 small memory dump with
 * bugcheck 0xd1 in a driver "mydrv.sys" - so the 32-bit path is at least
 * consistent and safe; its layouts stay unverified on real files. */
static unsigned char *build_x86(size_t *len)
{
	size_t n = 0x1400;
	unsigned char *b = calloc(1, n);
	for (size_t i = 0; i < 0x1000; i += 4)
		memcpy(b + i, "PAGE", 4);
	memcpy(b, "PAGEDUMP", 8);
	put32(b + 0x8, 0xf);
	put32(b + 0xc, 2600);
	put32(b + 0x20, 0x14c);
	put32(b + 0x24, 2);
	put32(b + 0x28, 0xd1);
	put32(b + 0x2c, 0x10);
	put32(b + 0x30, 2);
	put32(b + 0x34, 0);
	put32(b + 0x38, 0xf8801234);
	memset(b + 0x320, 0, 0x2cc);
	put32(b + 0x320 + 0xb8, 0xf8801234); /* Eip */
	put32(b + 0x320 + 0xc4, 0xf7a00010); /* Esp */
	put32(b + 0x320 + 0xb4, 0xf7a00040); /* Ebp */
	memset(b + 0x7d0, 0, 0x50);
	put32(b + 0x7d0, 0x80000003);
	put32(b + 0xf88, 4);
	put64(b + 0xfc0, 132582535020000000ull); /* 2021-02-21 */
	unsigned char *t = b + 0x1000;
	memset(t, 0, 0x68);
	uint32_t list = 0x1068, pool = list + 2 * 0x4c; /* 0x1100 */
	static const char *const names[] = {"\\SystemRoot\\system32\\ntoskrnl.exe",
					    "\\SystemRoot\\system32\\drivers\\mydrv.sys"};
	static const uint32_t base[] = {0x80400000, 0xf8800000}, size[] = {0x200000, 0x10000};
	uint32_t at = pool;
	for (int i = 0; i < 2; i++) {
		unsigned char *e = b + list + 0x4c * i;
		put32(e, at);
		put32(e + 0x1c, base[i]);
		put32(e + 0x24, size[i]);
		put32(e + 0x44, 0x1000 + i);
		put32(e + 0x48, 0x5ef172b2 + i);
		size_t l = strlen(names[i]);
		put32(b + at, (uint32_t)l);
		for (size_t k = 0; k < l; k++)
			b[at + 4 + 2 * k] = (unsigned char)names[i][k];
		at = (uint32_t)((at + 4 + 2 * l + 2 + 7) & ~7u);
	}
	uint32_t stack = at, stacklen = 0x100;
	put32(b + stack + 0x10, 0xf8801500); /* mydrv.sys+0x1500 */
	put32(b + stack + 0x14, 0x12345678);
	put32(b + stack + 0x18, 0x80401000); /* ntoskrnl.exe+0x1000 */
	uint32_t sod = stack + stacklen + 4;
	memcpy(b + sod - 4, "TRGD", 4);
	put32(t + 0x04, sod);
	put32(t + 0x08, sod - 4);
	put32(t + 0x0c, 0x320);
	put32(t + 0x10, 0x7d0);
	put32(t + 0x28, stack);
	put32(t + 0x2c, stacklen);
	put32(t + 0x30, list);
	put32(t + 0x34, 2);
	put32(t + 0x38, pool);
	put32(t + 0x3c, at - pool);
	put32(t + 0x48, 0xf7a00000); /* TopOfStack */
	*len = sod;
	return b;
}

static void test_x86_synthetic(void **state)
{
	(void)state;
	size_t len;
	unsigned char *b = build_x86(&len);
	pm_analysis a;
	expect_warning(b, len, NULL, &a);
	assert_string_equal(a.machine, "x86");
	assert_string_equal(a.os_build, "2600");
	assert_string_equal(a.bugcheck_code, "0xd1");
	assert_string_equal(a.args[3], "0xf8801234");
	assert_string_equal(a.image, "mydrv.sys");
	assert_string_equal(a.fault_ip, "mydrv.sys+0x1234");
	assert_int_equal(a.nmodules, 2);
	assert_string_equal(a.modules[1].start, "f8800000");
	assert_string_equal(a.modules[1].end, "f8810000");
	assert_string_equal(a.modules[1].timestamp, "5EF172B3");
	assert_string_equal(a.modules[1].image_path, "\\SystemRoot\\system32\\drivers\\mydrv.sys");
	assert_true(has_frame(&a, "mydrv.sys", "0x1500"));
	assert_true(has_frame(&a, "ntoskrnl.exe", "0x1000"));
	assert_non_null(strstr(a.registers, "eip=f8801234 esp=f7a00010"));
	pm_analysis_clear(&a);
	/* every cut of it fails in one line */
	for (size_t cut = 0; cut < len; cut++) {
		char err[512];
		pm_status ec = PM_OK;
		int rc = dmp_read_mem(b, cut, &a, NULL, err, sizeof err, &ec);
		assert_one_line_error(rc, ec, err);
	}
	const char *seed = getenv("PMKB_WRITE_X86_SEED"); /* to refresh fuzz/corpus/dmp */
	if (seed) {
		FILE *f = fopen(seed, "wb");
		assert_non_null(f);
		fwrite(b, 1, len, f);
		fclose(f);
	}
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_triage_x64),
		cmocka_unit_test(test_triage_arm64),
		cmocka_unit_test(test_user_calc),
		cmocka_unit_test(test_user_xp),
		cmocka_unit_test(test_corrupt_samples),
		cmocka_unit_test(test_detection),
		cmocka_unit_test(test_truncated_kernel),
		cmocka_unit_test(test_truncated_user),
		cmocka_unit_test(test_hostile_kernel),
		cmocka_unit_test(test_fault_params),
		cmocka_unit_test(test_hostile_user),
		cmocka_unit_test(test_sparse_10g),
		cmocka_unit_test(test_compact_seeds),
		cmocka_unit_test(test_x86_synthetic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
