/* test-windbg.c - unit tests of import/windbg.c: every dump analysis of the
 * seed threads (tests/data/eval/seed-dumps.tsv is the truth), real public
 * WinDbg output (tests/data/windbg/), mangled variants of one analysis
 * (CRLF, tabs, wrapped, HTML-escaped, GB18030) and hostile input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../import/readers.h"
#include "../../util/charset.h"
#include "../../util/util.h"
#include "../../import/windbg-int.h"
#include "testdata.h"

/* Extract a seed file the way the thread importer does: one body per
 * "====第N封邮件====" block, message index N-1; a file without markers is
 * one body (message 0). */
static pm_case *extract_seed(const char *path)
{
	size_t len;
	char *buf = test_load(path, &len);
	pm_case *c = pm_case_new();
	const char *mk = "====第";
	char *p = strstr(buf, mk);
	if (!p) {
		windbg_extract(buf, len, 0, c);
		free(buf);
		return c;
	}
	while (p) {
		int n = atoi(p + strlen(mk));
		char *e = strstr(p, "封邮件====");
		assert_non_null(e);
		char *body = e + strlen("封邮件====");
		char *next = strstr(body, mk);
		size_t bl = next ? (size_t)(next - body) : strlen(body);
		windbg_extract(body, bl, n - 1, c);
		p = next;
	}
	free(buf);
	return c;
}

static char *frame_str(const pm_frame *f)
{
	if (f->address)
		return xstrdup(f->address);
	return xasprintf("%s%s%s%s%s%s", f->module ? f->module : "", f->function ? "!" : "",
			 f->function ? f->function : "", f->offset ? "+" : "", f->offset ? f->offset : "",
			 f->is_inline ? " (inline)" : "");
}

static void assert_frames(const pm_analysis *a, const char *const *want)
{
	size_t i = 0;
	for (; want[i]; i++) {
		if (i >= a->nframes)
			fail_msg("frame %zu missing (want %s)", i, want[i]);
		char *got = frame_str(&a->frames[i]);
		if (strcmp(got, want[i]) != 0)
			fail_msg("frame %zu: got '%s', want '%s'", i, got, want[i]);
		free(got);
	}
}

/* Does the analysis name this module (a frame, a module entry or a pool
 * tag owner)? Compared without ".sys", case-insensitively. */
static int names_module(const pm_analysis *a, const char *m)
{
	size_t ml = strlen(m);
	for (size_t i = 0; i < a->nframes; i++)
		if (a->frames[i].module && strncasecmp(a->frames[i].module, m, ml) == 0 &&
		    (a->frames[i].module[ml] == 0 || strcasecmp(a->frames[i].module + ml, ".sys") == 0))
			return 1;
	for (size_t i = 0; i < a->nmodules; i++)
		if (strncasecmp(a->modules[i].name, m, ml) == 0 &&
		    (a->modules[i].name[ml] == 0 || strcasecmp(a->modules[i].name + ml, ".sys") == 0))
			return 1;
	for (size_t i = 0; i < a->npool_tags; i++)
		if (a->pool_tags[i].owner && strncasecmp(a->pool_tags[i].owner, m, ml) == 0)
			return 1;
	return 0;
}

static const pm_pooltag *find_tag(const pm_analysis *a, const char *tag)
{
	for (size_t i = 0; i < a->npool_tags; i++)
		if (strcmp(a->pool_tags[i].tag, tag) == 0)
			return &a->pool_tags[i];
	return NULL;
}

static const pm_local *find_local(const pm_analysis *a, const char *name)
{
	for (size_t i = 0; i < a->nlocals; i++)
		if (strcmp(a->locals[i].name, name) == 0)
			return &a->locals[i];
	return NULL;
}

static size_t count_in_message(const pm_case *c, int msg)
{
	size_t n = 0;
	for (size_t i = 0; i < c->nanalyses; i++)
		if (c->analyses[i].message == msg)
			n++;
	return n;
}

/* The analysis of message msg whose dump name is dump (or, dump NULL, the
 * only/first one). */
static pm_analysis *find_analysis(pm_case *c, int msg, const char *dump)
{
	for (size_t i = 0; i < c->nanalyses; i++) {
		pm_analysis *a = &c->analyses[i];
		if (a->message != msg)
			continue;
		if (!dump || (a->dump_name && strcmp(a->dump_name, dump) == 0))
			return a;
	}
	return NULL;
}

/* ---- the seed analyses, row by row of seed-dumps.tsv ---- */

/* What each row of seed-dumps.tsv must give. present = 0: the text holds
 * no dump evidence (only prose such as "由ndis.sys引发" or "bugcheck不同"),
 * so no analysis is extracted; docs/windbg-reader.md explains why. */
typedef struct seed_expect {
	const char *seed;
	int email;          /* 1-based block; 0 for a file without blocks */
	const char *dump;   /* the seed-dumps.tsv dump column */
	int present;
	const char *dump_name; /* what the text names, or NULL */
	const char *code;   /* NULL: none printed */
	const char *arg1;
	const char *frames[7];
	const char *modules[5]; /* named by the text (frames, lmvm, tags) */
	const char *tag, *owner;
	const char *process;
} seed_expect;

static const seed_expect SEEDS[] = {
	{"000_e3b3544fec26024b.txt", 3, "liyue-hwclient.DMP", 1, "liyue-hwclient.DMP", "0x7f", NULL, {NULL},
	 {"HwUsbClient", NULL}, NULL, NULL, NULL},
	{"000_e3b3544fec26024b.txt", 3, "MEMORY TMS lanping.DMP", 1, "MEMORY TMS lanping.DMP", "0xd1", NULL, {NULL},
	 {NULL}, NULL, NULL, NULL},
	{"001_a48089f2710e0f3a.txt", 1, "first dumps", 0, NULL, NULL, NULL, {NULL}, {NULL}, NULL, NULL, NULL},
	{"001_a48089f2710e0f3a.txt", 2, "full dump", 0, NULL, NULL, NULL, {NULL}, {NULL}, NULL, NULL, NULL},
	{"001_a48089f2710e0f3a.txt", 3, "T490s dump", 1, NULL, "0xd1", NULL, {NULL}, {NULL}, NULL, NULL, NULL},
	{"001_a48089f2710e0f3a.txt", 8, "伍玉霞 PC", 1, NULL, "0x50", "0xffffffffffffffe8", {NULL}, {NULL}, NULL,
	 NULL, NULL},
	{"001_a48089f2710e0f3a.txt", 13, "1803 dump", 1, NULL, NULL, NULL,
	 {"nt!KeBugCheckEx", "nt!KiBugCheckDispatch", "nt!KiPageFault", "nwifi!Dot11SendCompletion",
	  "nwifi!Pt6SendComplete", NULL},
	 {"nwifi", "wdiwifi", "Netwtw08", "vwifimf", NULL}, "Filt", "vwifimf.sys", NULL},
	{"001_a48089f2710e0f3a.txt", 15, "USB plug dump", 1, NULL, "0xc4", "0xf6",
	 {"nt!KeBugCheckEx+0x0", "nt!VerifierBugCheckIfAppropriate+0xdf", "nt!VfCheckUserHandle+0x1d4",
	  "nt!ObpReferenceObjectByHandleWithTag+0x1a23ad", "nt!ObReferenceObjectByHandleWithTag+0x2a (inline)", NULL},
	 {"gscfmgr", NULL}, NULL, NULL, "explorer.exe"},
	{"001_a48089f2710e0f3a.txt", 16, "魏女士 PC", 1, NULL, "0x139", "0x3",
	 {"nt!KeBugCheckEx+0x0", "nt!KiBugCheckDispatch+0x69", "nt!KiFastFailDispatch+0xd0",
	  "nt!KiRaiseSecurityCheckFailure+0x30e", "nt!RtlFailFast+0x5 (inline)", NULL},
	 {"nt", "vwifimf", NULL}, "Filt", "vwifimf.sys", "System"},
	{"001_a48089f2710e0f3a.txt", 19, "first-dump (Aug 11)", 1, NULL, "0xfc", "0xfffff8032addb290",
	 {"nt!KeBugCheckEx", "nt!MiCheckSystemNxFault", "nt!MiSystemFault", "nt!MmAccessFault", "nt!KiPageFault", NULL},
	 {"nwifi", "tcpip", "vwifimf", NULL}, "Filt", "vwifimf.sys", NULL},
	{"001_a48089f2710e0f3a.txt", 22, "MEMORY-copy", 1, NULL, "0x1e", "0xffffffff80000003",
	 {"nt!KeBugCheckEx+0x0", "nt!KiFatalFilter+0x1f", "nt!KeExpandKernelStackAndCalloutInternal$filt$0+0x16",
	  "nt!__C_specific_handler+0x9f", NULL},
	 {"nwifi", "ndis", "vwifimf", NULL}, "Filt", "vwifimf.sys", "System"},
	{"002_413591d54dd1d178.txt", 21, "setupmem.dmp", 1, NULL, NULL, NULL,
	 {"nt!KeBugCheckEx+0x0", "nt!PspUnhandledExceptionInSystemThread+0x27 (inline)",
	  "nt!PspSystemThreadStartup$filt$0+0x44", "nt!__C_specific_handler+0x9f", NULL},
	 {"lwfmgr", "ndis", NULL}, NULL, NULL, "System"},
	{"003_25707b60ca074d00.txt", 0, "npcap minidump", 1, NULL, "0x3b", "0xc0000005",
	 {"ndis!NdisFSendNetBufferLists+0xc0", "npf!NPF_Write+0x214", "nt!IopSynchronousServiceTail+0x1a5",
	  "nt!NtWriteFile+0x67a", "nt!KiSystemServiceCopyEnd+0x13", "0x7fff94c21034"},
	 {"npf", "ndis", NULL}, NULL, NULL, "EapolLogin.exe"},
	{"004_f83e32c4bf43c7da.txt", 2, "3/10 13:31 dump", 1, NULL, "0xbe", "0xfffffec500007038",
	 {"nt!KeBugCheckEx", "nt!MiSystemFault+0x1d6d0d", "nt!MmAccessFault+0x400", "nt!KiPageFault+0x358", NULL},
	 {"smss", "win32kfull", "nt", NULL}, NULL, NULL, NULL},
};

static const seed_expect *expect_for(const char *seed, int email, const char *dump)
{
	for (size_t i = 0; i < PMKB_ARRAY_LEN(SEEDS); i++)
		if (strcmp(SEEDS[i].seed, seed) == 0 && SEEDS[i].email == email && strcmp(SEEDS[i].dump, dump) == 0)
			return &SEEDS[i];
	return NULL;
}

static void check_seed_row(const seed_expect *e)
{
	char path[256];
	snprintf(path, sizeof path, "tests/data/seeds/%s", e->seed);
	pm_case *c = extract_seed(path);
	int msg = e->email > 0 ? e->email - 1 : 0;
	pm_analysis *a = find_analysis(c, msg, e->dump_name);
	if (!e->present) {
		if (count_in_message(c, msg) != 0)
			fail_msg("%s block %d: no analysis expected", e->seed, e->email);
		pm_case_free(c);
		return;
	}
	if (!a)
		fail_msg("%s block %d (%s): analysis missing", e->seed, e->email, e->dump);
	if (e->code)
		assert_string_equal(a->bugcheck_code, e->code);
	else if (a->bugcheck_code)
		fail_msg("%s block %d: bugcheck %s, none printed", e->seed, e->email, a->bugcheck_code);
	if (e->arg1)
		assert_string_equal(a->args[0], e->arg1);
	assert_frames(a, e->frames);
	for (int i = 0; e->modules[i]; i++)
		if (!names_module(a, e->modules[i]))
			fail_msg("%s block %d: module %s not found", e->seed, e->email, e->modules[i]);
	if (e->tag) {
		const pm_pooltag *t = find_tag(a, e->tag);
		assert_non_null(t);
		assert_non_null(t->owner);
		assert_string_equal(t->owner, e->owner);
	}
	if (e->process)
		assert_string_equal(a->process, e->process);
	assert_string_equal(a->source, "windbg");
	assert_true(a->span_end > a->span_start);
	assert_int_equal(strlen(a->hash), 16);
	pm_case_free(c);
}

/* Every row of seed-dumps.tsv is checked, with the bugcheck of the row. */
static void test_seed_rows(void **state)
{
	(void)state;
	size_t len;
	char *tsv = test_load("tests/data/eval/seed-dumps.tsv", &len);
	int rows = 0;
	for (char *line = strtok(tsv, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] == '#' || strncmp(line, "seed\t", 5) == 0)
			continue;
		char *col[9] = {0};
		int n = 0;
		for (char *p = line; n < 9 && p; n++) {
			col[n] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = 0;
		}
		assert_true(n >= 8);
		const seed_expect *e = expect_for(col[0], atoi(col[1]), col[4]);
		if (!e)
			fail_msg("seed-dumps.tsv row %s/%s/%s has no expectation", col[0], col[1], col[4]);
		/* the bugcheck column: "-" none, "(implied)" not printed either */
		const char *bc = col[5];
		if (strcmp(bc, "-") == 0 || strstr(bc, "implied"))
			assert_null(e->code);
		else if (e->present)
			assert_string_equal(e->code, bc);
		check_seed_row(e);
		rows++;
	}
	assert_int_equal(rows, (int)PMKB_ARRAY_LEN(SEEDS));
	free(tsv);
}

/* Whole seed files: how many analyses, quoted repeats stored once. */
static void test_seed_counts(void **state)
{
	(void)state;
	static const struct {
		const char *seed;
		size_t n;
	} want[] = {{"000_e3b3544fec26024b.txt", 2}, {"001_a48089f2710e0f3a.txt", 7}, {"002_413591d54dd1d178.txt", 1},
		    {"003_25707b60ca074d00.txt", 1}, {"004_f83e32c4bf43c7da.txt", 1}};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(want); i++) {
		char path[256];
		snprintf(path, sizeof path, "tests/data/seeds/%s", want[i].seed);
		pm_case *c = extract_seed(path);
		if (c->nanalyses != want[i].n)
			fail_msg("%s: %zu analyses, want %zu", want[i].seed, c->nanalyses, want[i].n);
		/* the whole thread pasted as one text: the mail boundaries keep
		 * the analyses apart, the same codes and frames come out */
		size_t len;
		char *buf = test_load(path, &len);
		pm_case *w = pm_case_new();
		windbg_extract(buf, len, -1, w);
		if (w->nanalyses != want[i].n)
			fail_msg("%s as one text: %zu analyses, want %zu", want[i].seed, w->nanalyses, want[i].n);
		for (size_t k = 0; k < w->nanalyses; k++) {
			const char *x = c->analyses[k].bugcheck_code, *y = w->analyses[k].bugcheck_code;
			assert_true((!x && !y) || (x && y && strcmp(x, y) == 0));
			assert_int_equal(c->analyses[k].nframes, w->analyses[k].nframes);
		}
		pm_case_free(w);
		free(buf);
		pm_case_free(c);
	}
}

/* 001 blocks 13/14 and 22/25, 002 blocks 21/25 are quoted repeats. */
static void test_seed_repeats(void **state)
{
	(void)state;
	pm_case *c = extract_seed("tests/data/seeds/001_a48089f2710e0f3a.txt");
	assert_int_equal(count_in_message(c, 12), 1);
	assert_int_equal(count_in_message(c, 13), 0);
	assert_int_equal(count_in_message(c, 21), 1);
	assert_int_equal(count_in_message(c, 24), 0);
	/* the repeat in block 25 prints a longer k stack with vwifimf: kept */
	pm_analysis *a = find_analysis(c, 21, NULL);
	assert_true(names_module(a, "vwifimf"));
	pm_case_free(c);
	c = extract_seed("tests/data/seeds/002_413591d54dd1d178.txt");
	assert_int_equal(count_in_message(c, 20), 1);
	assert_int_equal(count_in_message(c, 24), 0);
	a = find_analysis(c, 20, NULL);
	const pm_local *l = find_local(a, "NdisFilterDriverHandle");
	assert_non_null(l);
	assert_string_equal(l->value, "0x0");
	pm_case_free(c);
}

/* Details of single seed analyses: lmvm fields, registers, !analyze fields. */
static void test_seed_fields(void **state)
{
	(void)state;
	pm_case *c = extract_seed("tests/data/seeds/000_e3b3544fec26024b.txt");
	pm_analysis *a = find_analysis(c, 2, "liyue-hwclient.DMP");
	assert_non_null(a);
	assert_int_equal(a->nmodules, 1);
	pm_module *m = &a->modules[0];
	assert_string_equal(m->name, "HwUsbClient");
	assert_string_equal(m->start, "fffff803496d0000");
	assert_string_equal(m->end, "fffff803496f4000");
	assert_string_equal(m->image_path, "\\SystemRoot\\system32\\drivers\\HwUsbClient.sys");
	assert_string_equal(m->timestamp, "5F6414D9");
	assert_string_equal(m->checksum, "00021C97");
	assert_string_equal(m->image_size, "00024000");
	assert_non_null(a->registers);
	assert_non_null(strstr(a->registers, "rip=fffff803496dccae"));
	assert_string_equal(a->fault_ip, "HwUsbClient+0xccae");
	pm_case_free(c);

	c = extract_seed("tests/data/seeds/003_25707b60ca074d00.txt");
	a = &c->analyses[0];
	assert_string_equal(a->bugcheck_name, "SYSTEM_SERVICE_EXCEPTION");
	assert_string_equal(a->args[3], "0x0");
	assert_string_equal(a->arg_desc[0], "Exception code that caused the bugcheck");
	assert_string_equal(a->failure_bucket, "0x3B_npf!NPF_Write");
	assert_string_equal(a->default_bucket, "WIN8_DRIVER_FAULT");
	assert_string_equal(a->os_build, "14267.1000.amd64fre.rs1_release.160213-0213");
	assert_string_equal(a->exception_code, "0xc0000005");
	assert_string_equal(a->fault_ip, "ndis!NdisFSendNetBufferLists+0xc0");
	assert_string_equal(a->image, "npf.sys");
	assert_string_equal(a->irql, "0");
	assert_non_null(strstr(a->registers, "rax=6b49534e02130018"));
	pm_case_free(c);

	c = extract_seed("tests/data/seeds/001_a48089f2710e0f3a.txt");
	a = find_analysis(c, 12, NULL);
	const pm_local *l = find_local(a, "pTOS");
	assert_non_null(l);
	assert_non_null(strstr(l->value, "this was Null"));
	assert_int_equal(a->nframes, 24);
	assert_string_equal(a->frames[16].module, "Netwtw08");
	assert_null(a->frames[16].function);
	a = find_analysis(c, 18, NULL);
	assert_string_equal(a->pool_tags[0].tag, "Filt"); /* the block marked '*' first */
	a = find_analysis(c, 21, NULL);
	int raw = 0;
	for (size_t i = 0; i < a->nframes; i++)
		if (a->frames[i].address && strcmp(a->frames[i].address, "0x3200360035") == 0)
			raw = 1;
	assert_true(raw);
	pm_case_free(c);
}


/* ---- real public WinDbg output (tests/data/windbg/SOURCES.md) ---- */

typedef struct pub_expect {
	const char *file;
	const char *code;   /* NULL: the excerpt prints none */
	const char *arg1;
	const char *frame0, *frame1;
	const char *module; /* named by a frame or a module entry */
	const char *process, *image, *failure_bucket, *fault_ip, *name;
} pub_expect;

static const pub_expect PUBLIC[] = {
	{"npcap-nmap1678-d1.txt", "0xd1", "0x27", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"npcap-nmap1870-d1-bugcheck.txt", "0xd1", "0x27", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"npcap-324-d1-stack.txt", NULL, NULL, "NETIO!ArbitrateAndEnforce+0xc3a", "NETIO!KfdClassify+0x5a1", "tcpip", NULL,
	 NULL, NULL, NULL, NULL},
	{"npcap-181-7c-waitevent.txt", "0x7c", "0x14", NULL, NULL, NULL, NULL, NULL, NULL, NULL, "BUGCODE_NDIS_DRIVER"},
	{"npcap-184-7c-waitevent.txt", "0x7c", NULL, "nt!KeBugCheckEx", "ndis!NdisWaitEvent+0x1f580", "npcap", NULL, NULL,
	 NULL, NULL, NULL},
	{"npcap-746-removefromgroup.txt", NULL, NULL, "nt!KeBugCheckEx", "nt!KiBugCheckDispatch+0x69", "npcap", NULL, NULL,
	 NULL, NULL, NULL},
	{"npcap-819-0a-send.txt", "0xa", NULL, "nt!KeBugCheckEx", "nt!KiBugCheckDispatch+0x69", "npcap", NULL, NULL, NULL,
	 NULL, NULL},
	{"npcap-212-d1-freenbcopies.txt", NULL, NULL, NULL, NULL, "npcap", NULL, NULL, NULL, "ndis!NdisFreeNetBuffer+0x11",
	 NULL},
	{"dokany-1310-7e-deletefcb.txt", "0x1000007e", "0xffffffffc0000005", NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	 "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED_M"},
	{"dokany-1172-deletefcb-stack.txt", NULL, NULL, "nt!IopGetFileObjectExtension+0x18", "nt!IoGetOplockFullFoExt+0x15",
	 "dokan2", NULL, NULL, NULL, NULL, NULL},
	{"dokany-207-exceptionfilter.txt", NULL, NULL, "nt!KiExceptionDispatch+0xf", "nt!KiBreakpointTrap+0xf3", "dokan1",
	 NULL, NULL, NULL, NULL, NULL},
	{"dokany-344-exceptionfilter.txt", NULL, NULL, "nt!RtlDispatchException+0x33", "nt!KiDispatchException+0x144",
	 "dokan1", NULL, NULL, NULL, NULL, NULL},
	{"dokany-pr74-diskdevicecontrol.txt", NULL, NULL, "dokan1!DiskDeviceControl+0xe62",
	 "dokan1!DokanDispatchDeviceControl+0x121", "aswSnx", NULL, NULL, NULL, NULL, NULL},
	{"dokany-85-1e-popentryslist.txt", "0x1e", "0xffffffffc0000005", NULL, NULL, NULL, "syncthing-gtk.", NULL, NULL,
	 "nt!ExpInterlockedPopEntrySListFault+0x0", "KMODE_EXCEPTION_NOT_HANDLED"},
	{"dokany-1088-1e-32bit-a.txt", "0x1e", "0xc0000005", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"dokany-1088-1e-32bit-b.txt", "0x1e", "0xc0000005", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"dokan-dotnet-120-139.txt", "0x139", "0x3", NULL, NULL, NULL, NULL, NULL, NULL, NULL, "KERNEL_SECURITY_CHECK_FAILURE"},
	{"dokany-27-50-unmount.txt", "0x50", "0xffffffffffffffd0", NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	 "PAGE_FAULT_IN_NONPAGED_AREA"},
	{"dokany-176-0a-fltmgr.txt", "0xa", "0x38", NULL, NULL, NULL, NULL, NULL, NULL, NULL, "IRQL_NOT_LESS_OR_EQUAL"},
	{"netkvm-730-0a-rss.txt", "0xa", NULL, "nt!KeBugCheckEx", "nt!KiBugCheckDispatch+0x69", "netkvm", NULL, NULL, NULL,
	 NULL, NULL},
	{"netkvm-85-133-dpc.txt", "0x133", "0x0", "nt!KeBugCheckEx", "nt!CcTestControl+0x19a8c", "netkvm", NULL, NULL, NULL,
	 NULL, NULL},
	{"mullvad-7266-0a-rbremove.txt", "0xa", NULL, "nt!KeBugCheckEx", "nt!KiBugCheckDispatch+0x69", NULL, NULL, NULL,
	 NULL, NULL, NULL},
	{"mullvad-7294-133.txt", "0x133", NULL, "nt!KeBugCheckEx", "nt!KeAccumulateTicks+0x589", NULL, "System", NULL, NULL,
	 NULL, NULL},
	{"mullvad-7517-udp-send.txt", NULL, NULL, "tcpip!UdpSendMessagesOnPath+0xccc", "tcpip!UdpSendMessages+0x363", "afd",
	 NULL, NULL, NULL, NULL, NULL},
	{"adguard-2276-wfp-classify.txt", NULL, NULL, "tcpip!AlePostProcessClassify+0x47", "NETIO!ProcessCallout+0x1e8b1",
	 "fwpkclnt", NULL, NULL, NULL, NULL, NULL},
	{"libelevate-6-1e-av.txt", "0x1e", NULL, "nt!KeBugCheckEx", "nt!KiDispatchException+0x17449b", NULL,
	 "testlibelevate.exe", "ntkrnlmp.exe", "AV_nt!KiDispatchException", NULL, NULL},
	{"alllive-101-f7-gsfailure.txt", "0xf7", NULL, "nt!KeBugCheckEx", "nt!_report_gsfailure+0x25", NULL, NULL, NULL,
	 NULL, NULL, NULL},
	{"kdu-113-50-flattened.txt", "0x50", "0xfffff802180be344", "nt!DbgBreakPointWithStatus", "nt!KiBugCheckDebugBreak+0x12",
	 NULL, "kdu.exe", NULL, NULL, NULL, NULL},
	{"dokany-46-50-obquerynamestring.txt", "0x50", "0xffffffffffffffe9", NULL, NULL, NULL, NULL, NULL, NULL,
	 "nt!ObQueryNameStringMode+0x5f", "PAGE_FAULT_IN_NONPAGED_AREA"},
	{"dokany-126-50-obquerynamestring.txt", "0x50", "0xffffffffffffffe8", NULL, NULL, NULL,
	 "mounter.exe", NULL, NULL, "nt!ObQueryNameStringMode+0x5f", NULL},
	{"dokany-230-fltmgr-mount.txt", NULL, NULL, "fltmgr!FltpGetObjectName+0x31", "fltmgr!FltpFsControlMountVolume+0xa7",
	 NULL, NULL, NULL, NULL, NULL, NULL},
	{"sysmon-223-d4-unload.txt", "0xd4", "0xfffff8075e1abae0", NULL, NULL, NULL, NULL, NULL, NULL,
	 "psav3cld.sys+0x1bae0", "SYSTEM_SCAN_AT_RAISED_IRQL_CAUGHT_IMPROPER_DRIVER_UNLOAD"},
	{"anthology-x86-k-stack.txt", NULL, NULL, "processA!LPtoDP+0x19", "processA!GetColumnWidth+0x45", "MFC71", NULL,
	 NULL, NULL, NULL, NULL},
	{"86box-4082-7f-x86.txt", "0x7f", "0x8", NULL, NULL, NULL, NULL, NULL, NULL, "nt!KiTrap0E+0xb", NULL},
	{"ucxxrt-3-7f-x86.txt", "0x7f", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "UNEXPECTED_KERNEL_MODE_TRAP"},
	{"sandboxie-141-7f-doublefault.txt", "0x7f", "0x8", NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	 "UNEXPECTED_KERNEL_MODE_TRAP"},
	{"adguard-1803-7e-hal.txt", "0x1000007e", "0xffffffffc0000005", NULL, NULL, NULL, NULL, NULL, NULL,
	 "hal!HalpAllocateAdapterCallback+0xef", "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED_M"},
};

static const pub_expect *public_expect(const char *file)
{
	for (size_t i = 0; i < PMKB_ARRAY_LEN(PUBLIC); i++)
		if (strcmp(PUBLIC[i].file, file) == 0)
			return &PUBLIC[i];
	return NULL;
}

static void opt_eq(const char *what, const char *file, const char *got, const char *want)
{
	if (!want)
		return;
	if (!got || strcmp(got, want) != 0)
		fail_msg("%s: %s is '%s', want '%s'", file, what, got ? got : "(null)", want);
}

/* Every labelled public file: one analysis, its fields, and the label's
 * bugcheck column agrees with what is extracted. */
static void test_public(void **state)
{
	(void)state;
	size_t len;
	char *tsv = test_load("tests/data/windbg/labels.tsv", &len);
	int rows = 0;
	for (char *line = strtok(tsv, "\n"); line; line = strtok(NULL, "\n")) {
		if (strncmp(line, "file\t", 5) == 0)
			continue;
		char *file = line, *bc = strchr(line, '\t');
		assert_non_null(bc);
		*bc++ = 0;
		char *e = strchr(bc, '\t');
		assert_non_null(e);
		*e = 0;
		const pub_expect *x = public_expect(file);
		if (!x)
			fail_msg("labels.tsv names %s, which has no expectation", file);
		char path[256];
		snprintf(path, sizeof path, "tests/data/windbg/%s", file);
		size_t fl;
		char *text = test_load(path, &fl);
		pm_case *c = pm_case_new();
		size_t n = windbg_extract(text, fl, -1, c);
		if (n != 1)
			fail_msg("%s: %zu analyses, want 1", file, n);
		pm_analysis *a = &c->analyses[0];
		if (strcmp(bc, "-") == 0) {
			if (a->bugcheck_code)
				fail_msg("%s: bugcheck %s, the label says none printed", file, a->bugcheck_code);
		} else
			opt_eq("bugcheck (label)", file, a->bugcheck_code, bc);
		opt_eq("bugcheck", file, a->bugcheck_code, x->code);
		if (!x->code && a->bugcheck_code)
			fail_msg("%s: unexpected bugcheck %s", file, a->bugcheck_code);
		opt_eq("arg1", file, a->args[0], x->arg1);
		opt_eq("name", file, a->bugcheck_name, x->name);
		if (x->frame0) {
			assert_true(a->nframes >= 2);
			char *f0 = frame_str(&a->frames[0]), *f1 = frame_str(&a->frames[1]);
			opt_eq("frame 0", file, f0, x->frame0);
			opt_eq("frame 1", file, f1, x->frame1);
			free(f0), free(f1);
		}
		if (x->module && !names_module(a, x->module))
			fail_msg("%s: module %s not found", file, x->module);
		opt_eq("process", file, a->process, x->process);
		opt_eq("image", file, a->image, x->image);
		opt_eq("failure bucket", file, a->failure_bucket, x->failure_bucket);
		opt_eq("fault ip", file, a->fault_ip, x->fault_ip);
		pm_case_free(c);
		free(text);
		rows++;
	}
	assert_int_equal(rows, (int)PMKB_ARRAY_LEN(PUBLIC));
	assert_true(rows >= 20);
	free(tsv);
}

/* A mail holding several public analyses, each introduced by its dump's
 * name ("xxx.dmp：" as the engineers write), is that many analyses, in
 * order, each with its dump name; without the names, neighbours that print
 * nothing to tell them apart (a header, then a bare stack) may merge. */
static void test_public_concatenated(void **state)
{
	(void)state;
	sbuf named = {0}, bare = {0};
	size_t npastes = 0;
	for (size_t i = 0; i < PMKB_ARRAY_LEN(PUBLIC); i++) {
		if (strchr(PUBLIC[i].file, '/'))
			continue;
		char path[256];
		snprintf(path, sizeof path, "tests/data/windbg/%s", PUBLIC[i].file);
		size_t fl;
		char *t = test_load(path, &fl);
		sb_addf(&named, "\n%.*s.dmp：\n", (int)(strlen(PUBLIC[i].file) - 4), PUBLIC[i].file);
		sb_add(&named, t, fl);
		sb_addf(&bare, "\n%s 的分析如下：\n", PUBLIC[i].file);
		sb_add(&bare, t, fl);
		free(t);
		npastes++;
	}
	pm_case *c = pm_case_new();
	size_t n = windbg_extract(named.buf, named.len, 0, c);
	assert_int_equal(n, npastes);
	size_t k = 0;
	for (size_t i = 0; i < PMKB_ARRAY_LEN(PUBLIC); i++) {
		if (strchr(PUBLIC[i].file, '/'))
			continue;
		const pm_analysis *a = &c->analyses[k++];
		assert_non_null(a->dump_name);
		assert_int_equal(strlen(a->dump_name), strlen(PUBLIC[i].file));
		assert_memory_equal(a->dump_name, PUBLIC[i].file, strlen(PUBLIC[i].file) - 4);
		if (PUBLIC[i].code)
			assert_string_equal(a->bugcheck_code, PUBLIC[i].code);
		if (k > 1)
			assert_true(a->span_start >= c->analyses[k - 2].span_end);
	}
	pm_case_free(c);

	c = pm_case_new();
	n = windbg_extract(bare.buf, bare.len, 0, c);
	print_message("without dump names: %zu analyses in %zu pastes\n", n, npastes);
	assert_true(n >= npastes * 2 / 3 && n <= npastes);
	for (size_t i = 1; i < c->nanalyses; i++)
		if (c->analyses[i].span_start < c->analyses[i - 1].span_end)
			fail_msg("analysis %zu starts at %zu before %zu ends at %zu", i, c->analyses[i].span_start, i - 1,
				 c->analyses[i - 1].span_end);
	pm_case_free(c);
	sb_free(&named);
	sb_free(&bare);
}

/* ---- variants of one analysis ---- */

static char *replace_all(const char *s, const char *from, const char *to)
{
	sbuf b = {0};
	size_t fl = strlen(from);
	const char *p;
	while ((p = strstr(s, from))) {
		sb_add(&b, s, (size_t)(p - s));
		sb_adds(&b, to);
		s = p + fl;
	}
	sb_adds(&b, s);
	return sb_detach(&b);
}

static char *fields_str(const pm_case *c)
{
	sbuf b = {0};
	for (size_t i = 0; i < c->nanalyses; i++) {
		const pm_analysis *a = &c->analyses[i];
		sb_addf(&b, "%s|%s|%s|%s|%s|%s|%s\n", a->bugcheck_code ? a->bugcheck_code : "-",
			a->bugcheck_name ? a->bugcheck_name : "-", a->args[0] ? a->args[0] : "-",
			a->args[3] ? a->args[3] : "-", a->process ? a->process : "-", a->image ? a->image : "-",
			a->failure_bucket ? a->failure_bucket : "-");
		for (size_t k = 0; k < a->nframes; k++) {
			char *f = frame_str(&a->frames[k]);
			sb_addf(&b, " %s\n", f);
			free(f);
		}
		for (size_t k = 0; k < a->nmodules; k++)
			sb_addf(&b, " mod %s %s\n", a->modules[k].name, a->modules[k].image_path ? a->modules[k].image_path : "-");
		for (size_t k = 0; k < a->npool_tags; k++)
			sb_addf(&b, " tag %s %s\n", a->pool_tags[k].tag, a->pool_tags[k].owner ? a->pool_tags[k].owner : "-");
		sb_addf(&b, " hash %s\n", a->hash);
	}
	return sb_detach(&b);
}

static char *fields_of(const char *text, size_t len)
{
	pm_case *c = pm_case_new();
	windbg_extract(text, len, 0, c);
	char *s = fields_str(c);
	pm_case_free(c);
	return s;
}

static char *to_gb18030(const char *utf8, size_t *outlen)
{
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	assert_true(cd != (iconv_t)-1);
	size_t inl = strlen(utf8), cap = inl * 2 + 16, outl = cap;
	char *out = xmalloc(cap), *op = out;
	char *ip = (char *)utf8;
	assert_true(iconv(cd, &ip, &inl, &op, &outl) != (size_t)-1);
	iconv_close(cd);
	*outlen = cap - outl;
	return out;
}

static void check_variants(const char *path, int msg_block)
{
	size_t len;
	char *buf = test_load(path, &len);
	/* the body of one block */
	char *body = buf;
	size_t bl = len;
	if (msg_block > 0) {
		char mk[64];
		snprintf(mk, sizeof mk, "====第%d封邮件====", msg_block);
		body = strstr(buf, mk);
		assert_non_null(body);
		body += strlen(mk);
		char *next = strstr(body, "====第");
		bl = next ? (size_t)(next - body) : strlen(body);
	}
	char *orig = xstrndup(body, bl);
	char *want = fields_of(orig, bl);
	assert_true(strlen(want) > 20);

	/* CRLF */
	char *v = replace_all(orig, "\n", "\r\n");
	char *got = fields_of(v, strlen(v));
	assert_string_equal(got, want);
	free(v), free(got);
	/* tabs and runs of spaces for single spaces */
	v = replace_all(orig, " ", "\t ");
	got = fields_of(v, strlen(v));
	assert_string_equal(got, want);
	free(v), free(got);
	/* HTML-escaped mail body */
	char *h1 = replace_all(orig, "&", "&amp;");
	char *h2 = replace_all(h1, ">", "&gt;");
	char *h3 = replace_all(h2, "<", "&lt;");
	char *h4 = replace_all(h3, "  ", " &nbsp;");
	v = replace_all(h4, "\n", "<br>\n");
	got = fields_of(v, strlen(v));
	assert_string_equal(got, want);
	free(v), free(got);
	/* the same as one HTML line: <br /> and <p> only */
	char *h5 = replace_all(h4, "\n", "<br />");
	v = xasprintf("<html><body><p>%s</p></body></html>", h5);
	got = fields_of(v, strlen(v));
	assert_string_equal(got, want);
	free(h1), free(h2), free(h3), free(h4), free(h5), free(v), free(got);
	/* GB18030 bytes, decoded by the charset layer first */
	size_t gl;
	char *gb = to_gb18030(orig, &gl);
	size_t ul;
	char *u = charset_to_utf8(gb, gl, "gb18030", &ul, NULL);
	got = fields_of(u, ul);
	assert_string_equal(got, want);
	free(gb), free(u), free(got);
	/* quoted in a reply ("> " before every line) */
	char *q = replace_all(orig, "\n", "\n> ");
	got = fields_of(q, strlen(q));
	assert_string_equal(got, want);
	free(q), free(got);
	/* truncated anywhere: never a crash, never more analyses than lines */
	for (size_t cut = 0; cut < bl; cut += bl / 97 + 1) {
		pm_case *c = pm_case_new();
		windbg_extract(orig, cut, 0, c);
		assert_true(c->nanalyses <= 4);
		pm_case_free(c);
	}
	free(want);
	free(orig);
	free(buf);
}

static void test_variants(void **state)
{
	(void)state;
	check_variants("tests/data/seeds/003_25707b60ca074d00.txt", 0);
	check_variants("tests/data/seeds/001_a48089f2710e0f3a.txt", 15);
	check_variants("tests/data/seeds/001_a48089f2710e0f3a.txt", 13);
	check_variants("tests/data/seeds/002_413591d54dd1d178.txt", 21);
	check_variants("tests/data/seeds/004_f83e32c4bf43c7da.txt", 2);
	check_variants("tests/data/windbg/dokany-85-1e-popentryslist.txt", 0);
	check_variants("tests/data/windbg/npcap-184-7c-waitevent.txt", 0);
	check_variants("tests/data/windbg/netkvm-85-133-dpc.txt", 0);
}

/* Rows cut in two by a mail client still give the same frames. */
static void test_wrapped_rows(void **state)
{
	(void)state;
	const char *one = "STACK_TEXT:\n"
			  "ffffa380`027037e0 fffff807`476f67f8 : 00000000`00000000 00000000`00000000 00000000`00000001 ffffd507`3a613570 : ndis!NdisFSendNetBufferLists+0xc0\n"
			  "ffffa380`02703860 fffff803`8c698c05 : ffffd507`3a6134a0 00000000`00000000 00000000`00000001 fffff680`00003140 : npf!NPF_Write+0x214\n"
			  "ffffa380`027038d0 fffff803`8c69840a : ffffd507`39edba60 ffffd507`3a6134a0 ffffd507`2871aef0 ffffa380`02703b80 : nt!IopSynchronousServiceTail+0x1a5\n";
	const char *two = "STACK_TEXT:\n"
			  "ffffa380`027037e0 fffff807`476f67f8 : 00000000`00000000 00000000`00000000 00000000`00000001 ffffd507`3a613570 :\n"
			  "ndis!NdisFSendNetBufferLists+0xc0\n"
			  "ffffa380`02703860 fffff803`8c698c05 : ffffd507`3a6134a0 00000000`00000000 00000000`00000001 fffff680`00003140 : npf!NPF_Write+0x214\n"
			  "ffffa380`027038d0 fffff803`8c69840a :\n"
			  "ffffd507`39edba60 ffffd507`3a6134a0 ffffd507`2871aef0 ffffa380`02703b80 : nt!IopSynchronousServiceTail+0x1a5\n";
	char *a = fields_of(one, strlen(one));
	char *b = fields_of(two, strlen(two));
	assert_non_null(strstr(a, "npf!NPF_Write+0x214"));
	assert_string_equal(a, b);
	free(b);
	/* the same rows joined into one line by a forum */
	char *joined = replace_all(one, "\n", " ");
	b = fields_of(joined, strlen(joined));
	assert_string_equal(a, b);
	free(a), free(b), free(joined);
	/* a k row whose call site went to the next line */
	const char *k = "0: kd> k\n # Child-SP          RetAddr               Call Site\n"
			"00 ffff8401`32bdd808 fffff801`40745107\n     nt!KeBugCheckEx+0x0\n"
			"01 ffff8401`32bdd810 fffff801`406841b6     nt!KiFatalFilter+0x1f\n";
	pm_case *c = pm_case_new();
	assert_int_equal(windbg_extract(k, strlen(k), -1, c), 1);
	assert_int_equal(c->analyses[0].nframes, 2);
	assert_string_equal(c->analyses[0].frames[0].function, "KeBugCheckEx");
	pm_case_free(c);
}

/* Stray mentions are not analyses; a list of bugchecks is not either. */
static void test_not_analyses(void **state)
{
	(void)state;
	const char *texts[] = {
		"从您提供的dump日志分析，蓝屏问题由ndis.sys即网卡驱动引发，但由于bugcheck不同，无法确认。\n",
		"第四次dump bugcheck与第三次不同，但两次dump 出现Error 0x80070057\n",
		"Bugcheck 0x1a：MEMORY_MANAGEMENT bug 检查的值为 0x0000001A。\nBugcheck 0xc2：BAD_POOL_CALLER bug 检查的值为 0x000000C2。\n还有其他的\n",
		"If the driver attempts to corrupt the system, bugchecks 0xC4, 0xC1 and 0xA will\n",
		"see nt!KeBugCheckEx and KiBugCheckDriver\n0 errors found\n",
		"",
	};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(texts); i++) {
		pm_case *c = pm_case_new();
		size_t n = windbg_extract(texts[i], strlen(texts[i]), 0, c);
		if (n != 0)
			fail_msg("text %zu: %zu analyses, want none", i, n);
		pm_case_free(c);
	}
}

/* Hostile input: bounded, no crash. */
static void test_hostile(void **state)
{
	(void)state;
	/* binary noise with NUL bytes */
	size_t n = 1 << 20;
	char *bin = xmalloc(n);
	uint32_t x = 12345;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		bin[i] = (char)(x >> 16);
	}
	pm_case *c = pm_case_new();
	windbg_extract(bin, n, 0, c);
	assert_true(c->nanalyses <= 4096);
	pm_case_free(c);
	free(bin);

	/* a million-line stack: capped at 10000 frames */
	sbuf s = {0};
	sb_adds(&s, "0: kd> kc\n # Call Site\n");
	for (unsigned i = 0; i < 1000000; i++)
		sb_addf(&s, "%02x nt!Frame%u+0x%x\n", i & 0xff ? i : i, i, i);
	c = pm_case_new();
	windbg_extract(s.buf, s.len, 0, c);
	assert_true(c->nanalyses >= 1);
	assert_true(c->analyses[0].nframes <= 10000);
	pm_case_free(c);
	sb_free(&s);

	/* 3 MiB lines and NUL bytes inside an analysis */
	size_t big = 3u << 20;
	char *line = xmalloc(big + 256);
	memset(line, 'a', big);
	const char *tail = "\nDRIVER_IRQL_NOT_LESS_OR_EQUAL (d1)\nArg1: 0000000000000000, memory referenced\n";
	memcpy(line + big, tail, strlen(tail));
	line[100] = 0;
	line[big + 3] = 'R';
	c = pm_case_new();
	windbg_extract(line, big + strlen(tail), 0, c);
	assert_int_equal(c->nanalyses, 1);
	assert_string_equal(c->analyses[0].bugcheck_code, "0xd1");
	pm_case_free(c);
	free(line);

	/* 100 MB of analyses (16 MB under the sanitizers, which are ~10 times
	 * slower): at most 4096 kept */
#if defined(__SANITIZE_ADDRESS__)
	size_t total = 16u << 20;
#else
	size_t total = 100u << 20;
#endif
	sbuf h = {0};
	for (unsigned i = 0; h.len < total; i++)
		sb_addf(&h, "BugCheck D1, {%x, 2, 0, fffff80123456789}\n0: kd> kc\n00 nt!KeBugCheckEx\n01 foo!Bar+0x%x\n", i, i);
	c = pm_case_new();
	size_t added = windbg_extract(h.buf, h.len, 0, c);
	assert_true(added <= 4096);
	assert_int_equal(added, c->nanalyses);
	pm_case_free(c);
	sb_free(&h);
}

static void test_read_case(void **state)
{
	(void)state;
	size_t len;
	char *buf = test_load("tests/data/seeds/003_25707b60ca074d00.txt", &len);
	pm_case *c = NULL;
	char err[256];
	assert_int_equal(windbg_read_case("dir/npcap-bsod.txt", buf, len, &c, err, sizeof err), 0);
	assert_string_equal(c->id, "npcap-bsod");
	assert_string_equal(c->format, "windbg");
	assert_int_equal(c->nmessages, 1);
	assert_int_equal(c->nanalyses, 1);
	assert_int_equal(c->analyses[0].message, 0);
	pm_case_free(c);
	free(buf);

	/* a whole thread read as WinDbg text: personal data redacted in the
	 * stored body, the analyses unchanged */
	buf = test_load("tests/data/seeds/002_413591d54dd1d178.txt", &len);
	assert_int_equal(windbg_read_case("002.txt", buf, len, &c, err, sizeof err), 0);
	assert_true(c->redactions >= 1);
	assert_non_null(strstr(c->messages[0].body, "[redacted:"));
	assert_int_equal(c->nanalyses, 1);
	assert_true(c->analyses[0].span_end <= strlen(c->messages[0].body));
	assert_non_null(strstr(c->messages[0].body + c->analyses[0].span_start, "nt!KeBugCheckEx"));
	pm_case_free(c);
	free(buf);

	assert_int_equal(windbg_read_case("empty.txt", "", 0, &c, err, sizeof err), -1);
	assert_string_equal(err, "empty file");
	assert_null(c);
	assert_int_equal(windbg_read_case("blank.txt", " \n\n\t ", 5, &c, err, sizeof err), -1);
	assert_string_equal(err, "empty file");
	const char bin[] = "PAGEDU64\0\0\0\x01\x02\x03";
	assert_int_equal(windbg_read_case("x.dmp", bin, sizeof bin, &c, err, sizeof err), -1);
	assert_string_equal(err, "binary data, not WinDbg text");
}

/* wb_ifind against the plain loop it replaced: the first position where
 * every byte of the needle matches, A-Z folded to a-z */
static const char *ifind_ref(const char *s, size_t n, const char *nd)
{
	size_t m = strlen(nd);
	if (m == 0 || m > n)
		return NULL;
	for (size_t i = 0; i + m <= n; i++) {
		size_t k = 0;
		while (k < m) {
			unsigned char a = (unsigned char)s[i + k], b = (unsigned char)nd[k];
			if (a >= 'A' && a <= 'Z')
				a = (unsigned char)(a + 32);
			if (b >= 'A' && b <= 'Z')
				b = (unsigned char)(b + 32);
			if (a != b)
				break;
			k++;
		}
		if (k == m)
			return s + i;
	}
	return NULL;
}

static void test_ifind(void **state)
{
	(void)state;
	const char *u = "Probably caused by : x.sys";
	assert_ptr_equal(wb_ifind(u, strlen(u), "probably caused"), u);
	const char *t = "xx BUGCHECK bugcheck";
	assert_ptr_equal(wb_ifind(t, strlen(t), "bugcheck"), t + 3);
	assert_ptr_equal(wb_ifind(t, strlen(t), "Bugcheck"), t + 3);
	assert_ptr_equal(wb_ifind(t, 10, "bugcheck"), NULL); /* cut inside */
	assert_ptr_equal(wb_ifind(t, strlen(t), ""), NULL);
	const char *v = "a.sys";
	assert_ptr_equal(wb_ifind(v, 5, ".SYS"), v + 1);
	assert_ptr_equal(wb_ifind(v, 4, ".SYS"), NULL);
	/* random haystacks over a small alphabet: both cases, non-letters,
	 * UTF-8 bytes */
	static const char al[] = "aAbB.:_ \xe5\x80tT";
	unsigned long r = 12345;
	for (int it = 0; it < 200000; it++) {
		char s[40], nd[6];
		r = r * 6364136223846793005UL + 1442695040888963407UL;
		size_t n = (r >> 33) % 40, m = 1 + (r >> 20) % 5;
		for (size_t i = 0; i < n; i++) {
			r = r * 6364136223846793005UL + 1442695040888963407UL;
			s[i] = al[(r >> 33) % 12];
		}
		for (size_t i = 0; i < m; i++) {
			r = r * 6364136223846793005UL + 1442695040888963407UL;
			nd[i] = al[(r >> 33) % 11];
		}
		nd[m] = '\0';
		assert_ptr_equal(wb_ifind(s, n, nd), ifind_ref(s, n, nd));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ifind),
		cmocka_unit_test(test_seed_rows),
		cmocka_unit_test(test_seed_counts),
		cmocka_unit_test(test_seed_repeats),
		cmocka_unit_test(test_seed_fields),
		cmocka_unit_test(test_public),
		cmocka_unit_test(test_public_concatenated),
		cmocka_unit_test(test_variants),
		cmocka_unit_test(test_wrapped_rows),
		cmocka_unit_test(test_not_analyses),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_read_case),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
