/* test-signature.c - the signature step (sig/signature.c, skiplist.c,
 * msmodules.c): canonical names, the skip list, Microsoft vs third-party,
 * bugcheck folding, the human text, --why lines, serialisation round trip
 * and rejection of malformed stored text. Hand-built analyses copy the
 * stacks of the seed threads (tests/data/seeds/); the real WinDbg text is
 * also run through windbg_extract when the reader finds analyses in it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>

#include "../../sig/signature.h"
#include "../../import/readers.h"
#include "testdata.h"

/* ---- helpers ---- */

static void add_frame(pm_analysis *a, const char *module, const char *function, const char *offset,
		      const char *address)
{
	pm_frame *f = pm_analysis_add_frame(a);
	f->module = module ? xstrdup(module) : NULL;
	f->function = function ? xstrdup(function) : NULL;
	f->offset = offset ? xstrdup(offset) : NULL;
	f->address = address ? xstrdup(address) : NULL;
}

/* "nt!KeBugCheckEx+0x0", "lwfmgr+0x5167", "0x3200360035", "netwtw08" */
static void add_printed(pm_analysis *a, const char *printed)
{
	char *s = xstrdup(printed);
	char *off = NULL, *fn = NULL;
	char *bang = strchr(s, '!');
	char *plus = strrchr(s, '+');
	if (plus) {
		*plus = '\0';
		off = plus + 1;
	}
	if (bang) {
		*bang = '\0';
		fn = bang + 1;
	}
	if (str_starts(s, "0x") && !bang)
		add_frame(a, NULL, NULL, NULL, s);
	else
		add_frame(a, s, fn, off, NULL);
	free(s);
}

/* The 0x1e stack of seed 001 ("MEMORY-copy"): jump to 0x3200360035 from
 * nwifi's send completion, under exception dispatch. */
static void build_0x1e(pm_analysis *a)
{
	static const char *const st[] = {
		"nt!KeBugCheckEx+0x0", "nt!KiFatalFilter+0x1f",
		"nt!KeExpandKernelStackAndCalloutInternal$filt$0+0x16",
		"nt!__C_specific_handler+0x9f", "nt!RtlpExecuteHandlerForException+0xf",
		"nt!RtlDispatchException+0x430", "nt!KiDispatchException+0x144",
		"nt!KiExceptionDispatch+0xc2", "nt!KiBreakpointTrap+0x301",
		"nt!KeCheckStackAndTargetAddress+0x46", "nt!__C_specific_handler+0x3b",
		"nt!RtlpExecuteHandlerForException+0xf", "nt!RtlDispatchException+0x430",
		"nt!KiDispatchException+0x144", "nt!KiExceptionDispatch+0xc2",
		"nt!KiPageFault+0x42e", "0x3200360035", "nwifi!Dot11SendCompletion+0x4b",
		"nwifi!Pt6SendComplete+0x1d", "ndis!ndisCallSendCompleteHandler+0x33",
		"ndis!ndisDataPathExpandStackCallback+0x3e",
		"nt!KeExpandKernelStackAndCalloutInternal+0x78",
		"nt!KeExpandKernelStackAndCalloutEx+0x1d",
		"ndis!NdisFSendNetBufferListsComplete+0x28dc4", "vwifimf+0x1f92",
	};
	memset(a, 0, sizeof *a);
	a->message = -1;
	a->bugcheck_code = xstrdup("0x1e");
	a->bugcheck_name = xstrdup("KMODE_EXCEPTION_NOT_HANDLED");
	a->args[0] = xstrdup("0xffffffff80000003");
	a->args[1] = xstrdup("0xfffff8014064554f");
	a->args[2] = xstrdup("0xffff840132bdead0");
	a->args[3] = xstrdup("0x0");
	for (size_t i = 0; i < PMKB_ARRAY_LEN(st); i++)
		add_printed(a, st[i]);
	pm_module *m = pm_analysis_add_module(a);
	m->name = xstrdup("VWIFIMF.SYS");
	m->image_path = xstrdup("\\SystemRoot\\system32\\DRIVERS\\vwifimf.sys");
	pm_pooltag *t = pm_analysis_add_pooltag(a);
	t->tag = xstrdup("Filt");
	t->owner = xstrdup("vwifimf.sys");
	a->process = xstrdup("System");
	a->image = xstrdup("nwifi.sys");
}

/* The lwfmgr stack of seed 002 (setupmem.dmp), 0x1000007e as printed. */
static void build_lwfmgr(pm_analysis *a)
{
	static const char *const st[] = {
		"nt!KeBugCheckEx+0x0", "nt!PspSystemThreadStartup$filt$0+0x44",
		"nt!__C_specific_handler+0x9f", "nt!RtlpExecuteHandlerForException+0xf",
		"nt!RtlDispatchException+0x430", "nt!KiDispatchException+0x144",
		"nt!KiExceptionDispatch+0xc2", "nt!KiPageFault+0x42e",
		"ndis!NdisFDeregisterFilterDriver+0x47", "lwfmgr+0x5167", "lwfmgr+0xb49a",
		"nt!IopLoadDriver+0x4bd", "nt!IopInitializeSystemDrivers+0x134",
		"nt!IoInitSystem+0x12", "nt!Phase1Initialization+0x42",
		"nt!PspSystemThreadStartup+0x55", "nt!KiStartSystemThread+0x1c",
	};
	memset(a, 0, sizeof *a);
	a->message = -1;
	a->bugcheck_code = xstrdup("0x1000007e");
	a->bugcheck_name = xstrdup("SYSTEM_THREAD_EXCEPTION_NOT_HANDLED_M");
	a->args[0] = xstrdup("0xFFFFFFFFC0000005");
	a->args[1] = xstrdup("0xfffff80521915167");
	a->args[2] = xstrdup("0xffffa88ce7007498");
	a->args[3] = xstrdup("0x0000000000000000");
	for (size_t i = 0; i < PMKB_ARRAY_LEN(st); i++)
		add_printed(a, st[i]);
	a->image = xstrdup("lwfmgr.sys");
}

static void kept_keys(const pm_signature *s, sbuf *out)
{
	size_t idx[64];
	size_t n = sig_kept_frames(s, idx, 64);
	for (size_t i = 0; i < n; i++)
		sb_addf(out, "%s%s", i ? " " : "", s->frames[idx[i]].key);
}

/* ---- canonical names ---- */

static void canon_is(const char *in, const char *want)
{
	char *c = pm_canon_module(in);
	assert_non_null(c);
	assert_string_equal(c, want);
	free(c);
}

static void test_canon_module(void **state)
{
	(void)state;
	canon_is("vwifimf.sys", "vwifimf");
	canon_is("vwifimf", "vwifimf");
	canon_is("VWIFIMF", "vwifimf");
	canon_is("VWIFIMF.SYS", "vwifimf");
	canon_is("\\SystemRoot\\system32\\DRIVERS\\vwifimf.sys", "vwifimf");
	canon_is("C:/Windows/System32/drivers/Netwtw08.sys", "netwtw08");
	canon_is("nt", "nt");
	canon_is("nt!", "nt");
	canon_is("nt!fsrtl", "nt"); /* a !pool owner */
	canon_is("lwfmgr+0x5167", "lwfmgr");
	canon_is("Netwtw08 ! ", "netwtw08");
	canon_is("ntoskrnl", "nt");
	canon_is("ntoskrnl.exe", "nt");
	canon_is("ntkrnlmp", "nt");
	canon_is("ntkrnlpa", "nt");
	canon_is("ntkrpamp", "nt");
	canon_is("NTKRNLMP.EXE", "nt");
	canon_is("halmacpi.dll", "hal");
	canon_is("  lwfmgr.sys  ", "lwfmgr");
	canon_is("win32kfull.sys", "win32kfull");
	canon_is("Wdf01000", "wdf01000");
	canon_is("explorer.exe", "explorer");
	canon_is(".sys", "_sys"); /* nothing left to strip to; '.' folds */
	/* characters WinDbg cannot use in a module name fold to '_': the file
	 * name and the debugger's module name are one module */
	canon_is("acme-flt.sys", "acme_flt");
	canon_is("acme_flt", "acme_flt");
	canon_is("c++.dll", "c__");
	canon_is("My.Driver.sys", "my_driver");
	canon_is("Unknown_Module_00000000`00000000", "unknown_module_00000000_00000000");
	canon_is("", "");
	assert_null(pm_canon_module(NULL));
}

/* ---- skip list ---- */

/* A concrete frame key for a glob: '*' -> "X", '?' -> "Y". */
static char *instantiate(const char *pattern)
{
	sbuf sb = {0};
	for (const char *p = pattern; *p; p++) {
		if (*p == '*')
			sb_adds(&sb, p == pattern ? "nt" : "X");
		else if (*p == '?')
			sb_addc(&sb, 'Y');
		else
			sb_addc(&sb, *p);
	}
	return sb_detach(&sb);
}

static void test_skiplist_every_entry(void **state)
{
	(void)state;
	size_t n = sig_skiplist_count();
	assert_true(n >= 40);
	for (size_t i = 0; i < n; i++) {
		const char *reason = NULL;
		const char *pat = sig_skiplist_entry(i, &reason);
		assert_non_null(pat);
		assert_non_null(reason);
		assert_true(strlen(reason) > 3);
		char *key = instantiate(pat);
		char *bang = strchr(key, '!');
		assert_non_null(bang);
		*bang = '\0';
		const char *got = sig_skip_reason(key, bang + 1);
		if (!got)
			fail_msg("skip list entry %s (%s) does not skip %s!%s", pat, reason, key, bang + 1);
		/* the module in capitals: the same entry (modules are compared
		 * without case, its first letter and length first) */
		for (char *k = key; *k; k++)
			*k = (char)toupper((unsigned char)*k);
		if (sig_skip_reason(key, bang + 1) != got)
			fail_msg("skip list entry %s: %s!%s not skipped as its lower-case form", pat, key, bang + 1);
		/* a stored reason comes back as the same static string */
		assert_ptr_equal(sig_skip_intern(reason), reason);
		free(key);
	}
	assert_null(sig_skiplist_entry(n, NULL));
}

static void skip_is(const char *module, const char *function, const char *reason)
{
	const char *got = sig_skip_reason(module, function);
	if (!reason) {
		if (got)
			fail_msg("%s!%s skipped (%s), expected kept", module, function, got);
		return;
	}
	if (!got || strcmp(got, reason) != 0)
		fail_msg("%s!%s: reason '%s', expected '%s'", module, function, got ? got : "(kept)",
			 reason);
}

static void test_skiplist_named(void **state)
{
	(void)state;
	/* the brief's list, with the printed kernel names WinDbg uses */
	skip_is("nt", "KeBugCheckEx", "bugcheck plumbing");
	skip_is("ntkrnlmp", "KeBugCheckEx", "bugcheck plumbing");
	skip_is("nt", "KeBugCheck2", "bugcheck plumbing");
	skip_is("nt", "KiBugCheckDispatch", "bugcheck plumbing");
	skip_is("nt", "KiFatalFilter", "bugcheck plumbing");
	skip_is("nt", "KiPageFault", "trap plumbing");
	skip_is("nt", "KiDoubleFaultAbort", "trap plumbing");
	skip_is("nt", "KiGeneralProtectionFault", "trap plumbing");
	skip_is("nt", "KiTrap0E", "trap plumbing");
	skip_is("nt", "KiBreakpointTrap", "trap plumbing");
	skip_is("nt", "KiSystemServiceCopyEnd", "system service dispatch");
	skip_is("nt", "KiServiceLinkage", "system service dispatch");
	skip_is("nt", "KiExceptionDispatch", "exception dispatch");
	skip_is("nt", "KiDispatchException", "exception dispatch");
	skip_is("nt", "RtlDispatchException", "exception dispatch");
	skip_is("nt", "_C_specific_handler", "exception dispatch");
	skip_is("nt", "__C_specific_handler", "exception dispatch");
	skip_is("nt", "RtlpExecuteHandlerForException", "exception dispatch");
	skip_is("nt", "RtlpExecuteHandlerForUnwind", "exception dispatch");
	skip_is("nt", "_GSHandlerCheck_SEH", "exception dispatch");
	skip_is("nt", "KeCheckStackAndTargetAddress", "exception dispatch");
	skip_is("nt", "VerifierBugCheckIfAppropriate", "verifier reporting");
	skip_is("nt", "MmAccessFault", "page fault handling");
	skip_is("nt", "MiSystemFault", "page fault handling");
	skip_is("nt", "MiCheckSystemNxFault", "page fault handling");
	skip_is("nt", "KiExpandKernelStackAndCalloutOnStackSwitch", "stack expansion callout");
	skip_is("nt", "KeExpandKernelStackAndCalloutInternal", "stack expansion callout");
	skip_is("nt", "KeExpandKernelStackAndCalloutEx", "stack expansion callout");
	skip_is("nt", "KxSwitchKernelStackCallout", "stack expansion callout");
	skip_is("nt", "KiSwitchKernelStackContinue", "stack expansion callout");
	skip_is("nt", "KiStartSystemThread", "thread start");
	skip_is("nt", "PspSystemThreadStartup", "thread start");
	skip_is("nt", "PspSystemThreadStartup$filt$0", "exception filter funclet");
	skip_is("nt", "KeExpandKernelStackAndCalloutInternal$filt$0", "exception filter funclet");
	skip_is("nt", "KiRetireDpcList", "dpc and interrupt dispatch");
	skip_is("nt", "FatalListEntryError", "fail-fast plumbing");
	skip_is("nt", "KiRaiseSecurityCheckFailure", "fail-fast plumbing");
	skip_is("nt", "KiFastFailDispatch", "fail-fast plumbing");
	skip_is("nt", "KeAccumulateTicks", "clock interrupt and watchdog plumbing");
	skip_is("nt", "KiInterruptSubDispatchNoLockNoEtw", "clock interrupt and watchdog plumbing");
	/* cause-relevant frames stay */
	skip_is("nt", "VfCheckUserHandle", NULL);
	skip_is("nt", "VfZwQuerySymbolicLinkObject", NULL);
	skip_is("nt", "IopLoadDriver", NULL);
	skip_is("nt", "RemoveHeadList", NULL);
	skip_is("nt", "ObpReferenceObjectByHandleWithTag", NULL);
	skip_is("nt", "MiMapViewInSystemSpace", NULL);
	skip_is("ndis", "NdisFDeregisterFilterDriver", NULL);
	skip_is("nwifi", "Dot11SendCompletion", NULL);
	skip_is("tcpip", "Ipv4Global", NULL);
	/* a third-party module named like a kernel routine is not the kernel */
	skip_is("vwifimf", "KeBugCheckEx", NULL);
	/* functions compared without case, in full; a "Prefix*" entry takes
	 * the prefix alone and anything after it, in ASCII or not (the
	 * lower-case fast path and the glob agree) */
	skip_is("nt", "KIBUGCHECKDISPATCH", "bugcheck plumbing");
	skip_is("nt", "kipagefault", "trap plumbing");
	skip_is("nt", "KiPageFault2", NULL);
	skip_is("nt", "KiPageFaul", NULL);
	skip_is("nt", "KiTrap", "trap plumbing");
	skip_is("nt", "kitrap0e", "trap plumbing");
	skip_is("nt", "KiTra", NULL);
	skip_is("nt", "KiTrap\xc3\xa9", "trap plumbing");
	skip_is("nt", "KiPageFault\xc3\xa9", NULL);
	skip_is("nt", "KiNmiInterruptShadow", "trap plumbing");
	skip_is("nt", "KiSomethingTrapShadow", "trap plumbing");
	/* unsymbolised frames are never skipped */
	assert_null(sig_skip_reason("nt", NULL));
	assert_null(sig_skip_reason(NULL, "KeBugCheckEx"));
	/* an unknown stored reason is kept as a fixed string, not lost */
	assert_non_null(sig_skip_intern("some reason of a later version"));
	assert_null(sig_skip_intern(NULL));
}

/* docs/signature.md lists the skip list: every pattern, with its reason */
static void test_skiplist_documented(void **state)
{
	(void)state;
	size_t len;
	char err[256];
	pm_status code;
	char *doc = NULL;
	assert_int_equal(read_file_bounded("docs/signature.md", 1u << 20, &doc, &len, err, sizeof err,
					   &code), 0);
	for (size_t i = 0; i < sig_skiplist_count(); i++) {
		const char *reason;
		const char *pat = sig_skiplist_entry(i, &reason);
		char *row = xasprintf("| `%s` | %s |", pat, reason);
		if (!strstr(doc, row))
			fail_msg("docs/signature.md lacks the skip list row %s", row);
		free(row);
	}
	free(doc);
}

/* ---- Microsoft vs third-party ---- */

static void test_microsoft_list(void **state)
{
	(void)state;
	size_t n = sig_msmodules_count();
	assert_true(n >= 200);
	for (size_t i = 0; i < n; i++) {
		const char *m = sig_msmodule(i);
		if (i > 0 && strcmp(sig_msmodule(i - 1), m) >= 0)
			fail_msg("microsoft module list not sorted at %s", m);
		/* each entry is already canonical and found */
		char *c = pm_canon_module(m);
		assert_string_equal(c, m);
		free(c);
		assert_true(sig_is_microsoft(m));
	}
	assert_null(sig_msmodule(n));
	static const char *const ms[] = {
		"nt", "hal", "ndis", "tcpip", "nwifi", "wdiwifi", "netio", "fltmgr", "ntfs",
		"wdf01000", "storport", "usbport", "usbhub3", "ucx01000", "classpnp", "win32k",
		"win32kbase", "win32kfull", "dxgkrnl", "amdppm", "intelppm", "smss", "fwpkclnt",
		"fs_rec", "dump_stornvme", "dump_dumpstorport", "dump_dumpfve",
	};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(ms); i++)
		if (!sig_is_microsoft(ms[i]))
			fail_msg("%s should be a Microsoft module", ms[i]);
	static const char *const tp[] = {
		"vwifimf", "lwfmgr", "gscfmgr", "npf", "hwusbclient", "netwtw08", "netwtw06",
		"rt640x64", "iastora", "nvlddmkm", "atikmdag", "npcap", "dokan2", "netkvm",
		"wintun", "vboxdrv", "vmci", "dump_iastora", "dump_", "",
	};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(tp); i++)
		if (sig_is_microsoft(tp[i]))
			fail_msg("%s should be third-party", tp[i]);
	assert_false(sig_is_microsoft(NULL));
	assert_false(sig_is_microsoft("NT")); /* canonical names only */
}

/* ---- building ---- */

static void test_build_0x1e(void **state)
{
	(void)state;
	pm_analysis a;
	build_0x1e(&a);
	pm_signature s;
	sbuf why = {0};
	sig_build(&a, &s, &why);
	assert_string_equal(s.bugcheck, "0x1e");
	assert_string_equal(s.bugcheck_name, "KMODE_EXCEPTION_NOT_HANDLED");
	assert_string_equal(s.args[3], "0x0");
	assert_int_equal(s.nframes, a.nframes);
	sbuf k = {0};
	kept_keys(&s, &k);
	assert_string_equal(sb_str(&k),
			    "0x3200360035 nwifi!Dot11SendCompletion nwifi!Pt6SendComplete "
			    "ndis!ndisCallSendCompleteHandler ndis!NdisFSendNetBufferListsComplete "
			    "vwifimf+0x1f92");
	sb_free(&k);
	/* frame parts */
	assert_string_equal(s.frames[0].key, "nt!KeBugCheckEx");
	assert_string_equal(s.frames[0].skip, "bugcheck plumbing");
	assert_string_equal(s.frames[16].key, "0x3200360035");
	assert_null(s.frames[16].module);
	assert_null(s.frames[16].skip);
	assert_false(s.frames[16].third_party);
	assert_string_equal(s.frames[17].module, "nwifi");
	assert_string_equal(s.frames[17].function, "Dot11SendCompletion");
	assert_string_equal(s.frames[17].offset, "0x4b");
	assert_false(s.frames[17].third_party);
	assert_string_equal(s.frames[24].key, "vwifimf+0x1f92");
	assert_true(s.frames[24].third_party);
	/* modules: frames, lmvm name, image, pool owner; sorted, distinct */
	assert_int_equal(s.nmodules, 4);
	assert_string_equal(s.modules[0], "ndis");
	assert_string_equal(s.modules[1], "nt");
	assert_string_equal(s.modules[2], "nwifi");
	assert_string_equal(s.modules[3], "vwifimf");
	assert_int_equal(s.nthird_party, 1);
	assert_string_equal(s.third_party[0], "vwifimf");
	assert_int_equal(s.npool_tags, 1);
	assert_string_equal(s.pool_tags[0].tag, "Filt");
	assert_string_equal(s.pool_tags[0].owner, "vwifimf");
	assert_string_equal(s.process, "system");
	assert_string_equal(s.image, "nwifi");
	assert_string_equal(s.text, "0x1e | 0x3200360035 | nwifi!Dot11SendCompletion | "
				    "nwifi!Pt6SendComplete | ndis!ndisCallSendCompleteHandler | "
				    "ndis!NdisFSendNetBufferListsComplete | vwifimf+0x1f92");
	const char *w = sb_str(&why);
	if (getenv("SIG_DEBUG"))
		fputs(w, stderr);
	assert_non_null(strstr(w, "bugcheck 0x1e\n"));
	assert_non_null(strstr(w, "skip nt!KeBugCheckEx: bugcheck plumbing\n"));
	assert_non_null(strstr(w, "skip nt!KiPageFault: trap plumbing\n"));
	assert_non_null(strstr(w, "skip ndis!ndisDataPathExpandStackCallback: stack expansion callout\n"));
	assert_non_null(strstr(w, "keep 0x3200360035 (raw address)\n"));
	assert_non_null(strstr(w, "keep nwifi!Dot11SendCompletion (microsoft)\n"));
	assert_non_null(strstr(w, "keep vwifimf+0x1f92 (third-party)\n"));
	assert_non_null(strstr(w, "module VWIFIMF.SYS -> vwifimf (third-party)\n"));
	assert_non_null(strstr(w, "module ndis (microsoft)\n"));
	assert_non_null(strstr(w, "pool tag Filt owned by vwifimf\n"));
	assert_non_null(strstr(w, "text: bugcheck and the first 6 of 6 kept frames (repeats said once)\n"));
	sb_free(&why);
	/* without a why buffer the same signature */
	pm_signature s2;
	sig_build(&a, &s2, NULL);
	assert_string_equal(s2.text, s.text);
	sig_clear(&s2);
	sig_clear(&s);
	pm_analysis_clear(&a);
}

static void test_build_folding_lwfmgr(void **state)
{
	(void)state;
	pm_analysis a;
	build_lwfmgr(&a);
	pm_signature s;
	sbuf why = {0};
	sig_build(&a, &s, &why);
	assert_string_equal(s.bugcheck, "0x7e");
	assert_string_equal(s.bugcheck_name, "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED");
	assert_string_equal(s.args[0], "0xffffffffc0000005");
	assert_string_equal(s.args[3], "0x0");
	assert_non_null(strstr(sb_str(&why), "bugcheck 0x1000007e -> 0x7e (_M variant)\n"));
	assert_non_null(strstr(sb_str(&why), "skip nt!PspSystemThreadStartup$filt$0: exception filter funclet\n"));
	assert_non_null(strstr(sb_str(&why), "skip nt!KiStartSystemThread: thread start\n"));
	assert_non_null(strstr(sb_str(&why), "keep lwfmgr+0x5167 (third-party)\n"));
	assert_string_equal(s.text, "0x7e | ndis!NdisFDeregisterFilterDriver | lwfmgr+0x5167 | "
				    "lwfmgr+0xb49a | nt!IopLoadDriver | nt!IopInitializeSystemDrivers | "
				    "nt!IoInitSystem");
	assert_int_equal(s.nthird_party, 1);
	assert_string_equal(s.third_party[0], "lwfmgr");
	sb_free(&why);
	sig_clear(&s);
	pm_analysis_clear(&a);

	/* other codes are not folded; a printed 0x0000007E is 0x7e */
	static const struct {
		const char *in, *out;
	} codes[] = {
		{"0x1000008e", "0x8e"}, {"0x100000ea", "0xea"}, {"0x0000007E", "0x7e"},
		{"D1", "0xd1"}, {"0xc000021a", "0xc000021a"}, {"0x10000", "0x10000"},
		{"0x1001007e", "0x1001007e"}, {"0x139", "0x139"},
	};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(codes); i++) {
		pm_analysis b = {0};
		b.bugcheck_code = xstrdup(codes[i].in);
		sig_build(&b, &s, NULL);
		assert_string_equal(s.bugcheck, codes[i].out);
		sig_clear(&s);
		pm_analysis_clear(&b);
	}
}

static void test_build_frame_shapes(void **state)
{
	(void)state;
	pm_analysis a = {0};
	add_frame(&a, "Netwtw08", NULL, NULL, NULL);           /* bare module */
	add_frame(&a, "lwfmgr", NULL, "0x5167", NULL);          /* module+offset */
	add_frame(&a, NULL, NULL, NULL, "0x00000032`00360035"); /* raw address */
	add_frame(&a, "NWIFI", "Dot11SendCompletion", "0x4B", NULL);
	add_frame(&a, NULL, NULL, NULL, NULL);                  /* nothing printed */
	pm_frame *f = pm_analysis_add_frame(&a);                /* inline frame */
	f->module = xstrdup("nt");
	f->function = xstrdup("RemoveHeadList");
	f->is_inline = 1;
	add_frame(&a, "ntkrnlmp", "KeBugCheckEx", NULL, NULL);
	add_frame(&a, "nt", "RemoveHeadList", NULL, NULL); /* the same key again, after a skipped one */
	pm_signature s;
	sbuf why = {0};
	sig_build(&a, &s, &why);
	assert_int_equal(s.nframes, 8);
	assert_string_equal(s.frames[0].key, "netwtw08");
	assert_true(s.frames[0].third_party);
	assert_string_equal(s.frames[1].key, "lwfmgr+0x5167");
	assert_null(s.frames[1].function);
	assert_string_equal(s.frames[2].key, "0x3200360035");
	assert_string_equal(s.frames[3].key, "nwifi!Dot11SendCompletion");
	assert_string_equal(s.frames[3].offset, "0x4b");
	assert_string_equal(s.frames[4].key, "?");
	assert_non_null(s.frames[4].skip);
	assert_string_equal(s.frames[5].key, "nt!RemoveHeadList");
	assert_null(s.frames[5].skip);
	assert_string_equal(s.frames[6].key, "nt!KeBugCheckEx");
	assert_non_null(s.frames[6].skip);
	assert_non_null(strstr(sb_str(&why), "keep inline nt!RemoveHeadList (microsoft)\n"));
	assert_string_equal(s.text, "netwtw08 | lwfmgr+0x5167 | 0x3200360035 | "
				    "nwifi!Dot11SendCompletion | nt!RemoveHeadList");
	sb_free(&why);
	sig_clear(&s);
	pm_analysis_clear(&a);

	/* six Microsoft frames first: the first third-party frame below is
	 * appended after "..." (the gscfmgr 0xc4 stack of seed 001) */
	memset(&a, 0, sizeof a);
	a.bugcheck_code = xstrdup("0xc4");
	static const char *const c4[] = {
		"nt!KeBugCheckEx", "nt!VerifierBugCheckIfAppropriate+0x6b", "nt!VfCheckUserHandle+0x1d4",
		"nt!ObpReferenceObjectByHandleWithTag+0x1a23ad", "nt!ObReferenceObjectByHandleWithTag+0x2a",
		"nt!ObReferenceObjectByHandle+0x2e", "nt!_ObReferenceObjectByHandle+0x24",
		"nt!NtQuerySymbolicLinkObject+0xf3", "nt!KiSystemServiceCopyEnd+0x25",
		"nt!KiServiceLinkage", "nt!VfZwQuerySymbolicLinkObject+0x56", "gscfmgr+0xaa39",
		"gscfmgr+0xab92",
	};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(c4); i++)
		add_printed(&a, c4[i]);
	sig_build(&a, &s, &why);
	assert_string_equal(s.text, "0xc4 | nt!VfCheckUserHandle | nt!ObpReferenceObjectByHandleWithTag | "
				    "nt!ObReferenceObjectByHandleWithTag | nt!ObReferenceObjectByHandle | "
				    "nt!_ObReferenceObjectByHandle | nt!NtQuerySymbolicLinkObject | ... | "
				    "gscfmgr+0xaa39");
	assert_non_null(strstr(sb_str(&why), "kept frames (repeats said once), then the first third-party frame\n"));
	sb_free(&why);
	sig_clear(&s);
	pm_analysis_clear(&a);

	/* a run of one unsymbolised driver is said once in the text; the
	 * frames stay */
	memset(&a, 0, sizeof a);
	a.bugcheck_code = xstrdup("0x50");
	add_frame(&a, "wdiwifi", "AdapterTxTransferCompleteInd", "0x1d", NULL);
	for (int i = 0; i < 8; i++)
		add_frame(&a, "Netwtw08", NULL, NULL, NULL);
	add_frame(&a, "ndis", "ndisMiniportDpc", "0x3a", NULL);
	sig_build(&a, &s, NULL);
	assert_int_equal(s.nframes, 10);
	assert_string_equal(s.text, "0x50 | wdiwifi!AdapterTxTransferCompleteInd | netwtw08 | ndis!ndisMiniportDpc");
	sig_clear(&s);
	pm_analysis_clear(&a);
}

static void test_build_no_stack(void **state)
{
	(void)state;
	pm_analysis a = {0};
	a.bugcheck_code = xstrdup("0x3b");
	a.image = xstrdup("npf.sys");
	a.fault_ip = xstrdup("ndis!NdisFSendNetBufferLists+0xc0");
	pm_pooltag *t = pm_analysis_add_pooltag(&a);
	t->tag = xstrdup("Filt");
	t->owner = xstrdup("\\SystemRoot\\system32\\DRIVERS\\VWIFIMF.SYS");
	pm_signature s;
	sig_build(&a, &s, NULL);
	/* no stack: the faulting instruction is frame 0 */
	assert_string_equal(s.text, "0x3b | ndis!NdisFSendNetBufferLists | image:npf");
	assert_int_equal(s.nframes, 1);
	assert_string_equal(s.frames[0].key, "ndis!NdisFSendNetBufferLists");
	assert_null(s.frames[0].skip);
	assert_int_equal(s.nmodules, 3); /* ndis (fault ip), npf, vwifimf */
	assert_string_equal(s.modules[0], "ndis");
	sig_clear(&s);
	pm_analysis_clear(&a);

	/* !analyze's verdicts where a module would be are not modules */
	memset(&a, 0, sizeof a);
	a.bugcheck_code = xstrdup("0x1a");
	a.image = xstrdup("memory_corruption");
	add_frame(&a, "Unknown_Module_00000000`00000000", NULL, "0x10", NULL);
	add_frame(&a, "nt", "MiDeleteVirtualAddresses", "0x1a5", NULL);
	pm_module *m = pm_analysis_add_module(&a);
	m->image_path = xstrdup("\\SystemRoot\\system32\\DRIVERS\\Netwtw08.sys"); /* no name */
	sbuf why = {0};
	sig_build(&a, &s, &why);
	assert_null(s.image);
	assert_null(s.frames[0].module);
	assert_false(s.frames[0].third_party);
	assert_string_equal(s.frames[0].key, "unknown_module_00000000_00000000+0x10");
	assert_int_equal(s.nmodules, 2);
	assert_string_equal(s.modules[0], "netwtw08");
	assert_string_equal(s.modules[1], "nt");
	assert_non_null(strstr(sb_str(&why), "image memory_corruption: a verdict of !analyze, not a module\n"));
	sb_free(&why);
	sig_clear(&s);
	pm_analysis_clear(&a);

	/* an empty analysis gives an empty signature, and so does NULL */
	pm_analysis e = {0};
	sig_build(&e, &s, NULL);
	assert_string_equal(s.text, "");
	assert_int_equal(s.nframes, 0);
	assert_int_equal(s.nmodules, 0);
	sig_clear(&s);
	sig_build(NULL, &s, NULL);
	assert_string_equal(s.text, "");
	sig_clear(&s);
	sig_clear(NULL);
}

static void test_build_dmp_driver_list(void **state)
{
	(void)state;
	pm_analysis a = {0};
	a.source = xstrdup("dmp");
	a.bugcheck_code = xstrdup("0xd1");
	for (int i = 0; i < 151; i++) {
		pm_module *m = pm_analysis_add_module(&a);
		m->name = xasprintf("drv%03d.sys", i);
	}
	add_frame(&a, "vwifimf", NULL, "0x1f92", NULL);
	pm_signature s;
	sbuf why = {0};
	sig_build(&a, &s, &why);
	/* the loaded-driver list is not "named by the analysis" */
	assert_int_equal(s.nmodules, 1);
	assert_string_equal(s.modules[0], "vwifimf");
	assert_non_null(strstr(sb_str(&why), "the 151 loaded drivers"));
	sbuf js = {0};
	sig_json(&a, &s, &js);
	assert_non_null(strstr(sb_str(&js), "\"name\":\"drv150.sys\""));
	assert_non_null(strstr(sb_str(&js), "\"module_set\":[\"vwifimf\"]"));
	sb_free(&js);
	sb_free(&why);
	sig_clear(&s);
	pm_analysis_clear(&a);
}

/* ---- serialisation ---- */

static void assert_sig_equal(const pm_signature *x, const pm_signature *y)
{
#define SEQ(a, b) do { if ((a) || (b)) { assert_non_null(a); assert_non_null(b); assert_string_equal(a, b); } } while (0)
	SEQ(x->bugcheck, y->bugcheck);
	SEQ(x->bugcheck_name, y->bugcheck_name);
	for (int i = 0; i < 4; i++)
		SEQ(x->args[i], y->args[i]);
	assert_int_equal(x->nframes, y->nframes);
	for (size_t i = 0; i < x->nframes; i++) {
		SEQ(x->frames[i].key, y->frames[i].key);
		SEQ(x->frames[i].module, y->frames[i].module);
		SEQ(x->frames[i].function, y->frames[i].function);
		SEQ(x->frames[i].offset, y->frames[i].offset);
		assert_int_equal(x->frames[i].third_party, y->frames[i].third_party);
		assert_ptr_equal(x->frames[i].skip, y->frames[i].skip);
	}
	assert_int_equal(x->nmodules, y->nmodules);
	for (size_t i = 0; i < x->nmodules; i++)
		SEQ(x->modules[i], y->modules[i]);
	assert_int_equal(x->nthird_party, y->nthird_party);
	for (size_t i = 0; i < x->nthird_party; i++)
		SEQ(x->third_party[i], y->third_party[i]);
	assert_int_equal(x->npool_tags, y->npool_tags);
	for (size_t i = 0; i < x->npool_tags; i++) {
		SEQ(x->pool_tags[i].tag, y->pool_tags[i].tag);
		SEQ(x->pool_tags[i].owner, y->pool_tags[i].owner);
	}
	SEQ(x->process, y->process);
	SEQ(x->exception_code, y->exception_code);
	SEQ(x->image, y->image);
	SEQ(x->os_build, y->os_build);
	SEQ(x->failure_bucket, y->failure_bucket);
	SEQ(x->text, y->text);
#undef SEQ
}

static void roundtrip(const pm_signature *s)
{
	sbuf a = {0}, b = {0};
	sig_serialize(s, &a);
	pm_signature p;
	if (sig_parse(sb_str(&a), &p) != 0)
		fail_msg("serialised signature does not parse:\n%s", sb_str(&a));
	assert_sig_equal(s, &p);
	sig_serialize(&p, &b);
	assert_string_equal(sb_str(&a), sb_str(&b));
	sig_clear(&p);
	sb_free(&a);
	sb_free(&b);
}

static void test_serialize_roundtrip(void **state)
{
	(void)state;
	pm_analysis a;
	pm_signature s;
	build_0x1e(&a);
	sig_build(&a, &s, NULL);
	roundtrip(&s);
	sig_clear(&s);
	pm_analysis_clear(&a);
	build_lwfmgr(&a);
	sig_build(&a, &s, NULL);
	roundtrip(&s);
	sig_clear(&s);
	pm_analysis_clear(&a);

	/* hostile values: tabs, newlines, backslashes, "\N" as text, control bytes, UTF-8 */
	memset(&a, 0, sizeof a);
	a.bugcheck_code = xstrdup("0xd1");
	a.bugcheck_name = xstrdup("\\N");
	a.process = xstrdup("a\tb\nc\rd\\e\x01\x1f\x7f 蓝屏");
	a.os_build = xstrdup("");
	a.failure_bucket = xstrdup("\\\\x41\\t");
	add_frame(&a, "weird\tmod", "fn\nname", "0x1", NULL);
	pm_pooltag *t = pm_analysis_add_pooltag(&a);
	t->tag = xstrdup("Fi\tt");
	sig_build(&a, &s, NULL);
	roundtrip(&s);
	sbuf ser = {0};
	sig_serialize(&s, &ser);
	/* one record per line: no raw tab or newline leaked from values */
	assert_null(strstr(sb_str(&ser), "a\tb"));
	sb_free(&ser);
	sig_clear(&s);
	pm_analysis_clear(&a);

	/* an application crash: its exception code is a record of its own,
	 * written only when there is one, and a text without it still reads */
	memset(&a, 0, sizeof a);
	a.process = xstrdup("app.exe");
	a.exception_code = xstrdup("C00000FD");
	add_frame(&a, "ntdll", NULL, "0x1234", NULL);
	sig_build(&a, &s, NULL);
	assert_string_equal(s.exception_code, "0xc00000fd");
	roundtrip(&s);
	sig_serialize(&s, &ser);
	assert_non_null(strstr(sb_str(&ser), "\nexception\t0xc00000fd\n"));
	sb_free(&ser);
	sig_clear(&s);
	free(a.exception_code);
	a.exception_code = NULL;
	sig_build(&a, &s, NULL);
	sig_serialize(&s, &ser);
	assert_null(strstr(sb_str(&ser), "\nexception"));
	sb_free(&ser);
	sig_clear(&s);
	pm_analysis_clear(&a);

	/* the empty signature */
	sig_build(NULL, &s, NULL);
	roundtrip(&s);
	sig_clear(&s);
}

static void test_parse_rejects(void **state)
{
	(void)state;
	pm_analysis a;
	pm_signature s;
	build_0x1e(&a);
	sig_build(&a, &s, NULL);
	sbuf good = {0};
	sig_serialize(&s, &good);
	sig_clear(&s);
	pm_analysis_clear(&a);
	const char *g = sb_str(&good);
	pm_signature p;
	assert_int_equal(sig_parse(g, &p), 0);
	sig_clear(&p);

	/* every truncation of a good record list is refused */
	for (size_t n = 0; n < good.len; n++) {
		char *cut = xstrndup(g, n);
		if (sig_parse(cut, &p) == 0)
			fail_msg("truncated at %zu parsed:\n%s", n, cut);
		assert_null(p.frames);
		assert_null(p.text);
		free(cut);
	}
	static const char *const bad[] = {
		"",
		"\n",
		"pmkb-sig\t2\n",
		"garbage",
		"pmkb-sig\t1\nbugcheck\t0xd1\n",
		/* records out of order: text before image */
		"pmkb-sig\t1\nbugcheck\t\\N\t\\N\nargs\t\\N\t\\N\t\\N\t\\N\nprocess\t\\N\ntext\tx\n"
		"image\t\\N\nos_build\t\\N\nfailure_bucket\t\\N\nend\t0\t0\t0\n",
		/* counts that do not agree */
		"pmkb-sig\t1\nbugcheck\t\\N\t\\N\nargs\t\\N\t\\N\t\\N\t\\N\nprocess\t\\N\nimage\t\\N\n"
		"os_build\t\\N\nfailure_bucket\t\\N\ntext\t\nend\t1\t0\t0\n",
		/* bad escape, bad flag, unsorted modules, a record after end, too many fields */
		"pmkb-sig\t1\nbugcheck\t\\q\t\\N\nargs\t\\N\t\\N\t\\N\t\\N\nprocess\t\\N\nimage\t\\N\n"
		"os_build\t\\N\nfailure_bucket\t\\N\ntext\t\nend\t0\t0\t0\n",
		"pmkb-sig\t1\nbugcheck\t\\N\t\\N\nargs\t\\N\t\\N\t\\N\t\\N\nprocess\t\\N\nimage\t\\N\n"
		"os_build\t\\N\nfailure_bucket\t\\N\ntext\t\nframe\tk\t\\N\t\\N\t\\N\t2\t\\N\nend\t1\t0\t0\n",
		"pmkb-sig\t1\nbugcheck\t\\N\t\\N\nargs\t\\N\t\\N\t\\N\t\\N\nprocess\t\\N\nimage\t\\N\n"
		"os_build\t\\N\nfailure_bucket\t\\N\ntext\t\nmodule\tnt\t0\nmodule\tndis\t0\nend\t0\t2\t0\n",
		"pmkb-sig\t1\nbugcheck\t\\N\t\\N\nargs\t\\N\t\\N\t\\N\t\\N\nprocess\t\\N\nimage\t\\N\n"
		"os_build\t\\N\nfailure_bucket\t\\N\ntext\t\nend\t0\t0\t0\nend\t0\t0\t0\n",
		/* an empty flag (found by fuzz-sig: read past the field) */
		"pmkb-sig\t1\nbugcheck\t\\N\t\\N\nargs\t\\N\t\\N\t\\N\t\\N\nprocess\t\\N\nimage\t\\N\n"
		"os_build\t\\N\nfailure_bucket\t\\N\ntext\t\nmodule\tnt\t\nend\t0\t1\t0\n",
		"pmkb-sig\t1\nbugcheck\t\\N\t\\N\nargs\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n",
		"pmkb-sig\t1\nbugcheck\t\\N\t\\N\nargs\t\\N\t\\N\t\\N\t\\N\nprocess\t\\x41\nimage\t\\N\n"
		"os_build\t\\N\nfailure_bucket\t\\N\ntext\t\nend\t0\t0\t0\n",
		"pmkb-sig\t1\nbugcheck\t\\N\t\\N\nargs\t\\N\t\\N\t\\N\t\\N\nprocess\t\\x0\nimage\t\\N\n"
		"os_build\t\\N\nfailure_bucket\t\\N\ntext\t\nend\t0\t0\t0\n",
		"pmkb-sig\t1\nbugcheck\t\\N\t\\N\nargs\t\\N\t\\N\t\\N\t\\N\nprocess\t\\N\nimage\t\\N\n"
		"os_build\t\\N\nfailure_bucket\t\\N\ntext\t\nend\t00\t0\t0\n",
		"pmkb-sig\t1\nbugcheck\t\\N\t\\N\nargs\t\\N\t\\N\t\\N\t\\N\nprocess\t\\N\nimage\t\\N\n"
		"os_build\t\\N\nfailure_bucket\t\\N\ntext\t\npool\t\\N\tx\nend\t0\t0\t1\n",
		"pmkb-sig\t1\nbugcheck\t\\N\t\\N\nargs\t\\N\t\\N\t\\N\t\\N\nprocess\t\\N\nimage\t\\N\n"
		"os_build\t\\N\nfailure_bucket\t\\N\ntext\tx\ry\nend\t0\t0\t0\n",
	};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(bad); i++) {
		if (sig_parse(bad[i], &p) == 0)
			fail_msg("malformed input %zu parsed", i);
		assert_null(p.text);
	}
	assert_int_equal(sig_parse(NULL, &p), -1);
	/* the minimal valid one */
	assert_int_equal(sig_parse("pmkb-sig\t1\nbugcheck\t\\N\t\\N\nargs\t\\N\t\\N\t\\N\t\\N\n"
				   "process\t\\N\nimage\t\\N\nos_build\t\\N\nfailure_bucket\t\\N\n"
				   "text\t\nend\t0\t0\t0\n", &p), 0);
	assert_string_equal(p.text, "");
	assert_null(p.process);
	sig_clear(&p);
	sb_free(&good);
}

/* ---- JSON ---- */

static void test_json(void **state)
{
	(void)state;
	pm_analysis a;
	pm_signature s;
	build_0x1e(&a);
	a.dump_name = xstrdup("MEMORY-copy.DMP");
	sig_build(&a, &s, NULL);
	sbuf js = {0};
	sig_json(&a, &s, &js);
	const char *j = sb_str(&js);
	assert_true(j[0] == '{' && j[js.len - 1] == '}');
	assert_non_null(strstr(j, "\"bugcheck\":{\"code\":\"0x1e\",\"match_code\":\"0x1e\","
				  "\"name\":\"KMODE_EXCEPTION_NOT_HANDLED\",\"args\":[\"0xffffffff80000003\""));
	assert_non_null(strstr(j, "{\"module\":\"nwifi\",\"function\":\"Dot11SendCompletion\","
				  "\"offset\":\"0x4b\",\"key\":\"nwifi!Dot11SendCompletion\","
				  "\"skipped\":null,\"third_party\":false"));
	assert_non_null(strstr(j, "\"skipped\":\"bugcheck plumbing\""));
	assert_non_null(strstr(j, "{\"module\":null,\"function\":null,\"offset\":null,"
				  "\"key\":\"0x3200360035\""));
	assert_non_null(strstr(j, "\"name\":\"VWIFIMF.SYS\",\"canonical\":\"vwifimf\""));
	assert_non_null(strstr(j, "\"image_path\":\"\\\\SystemRoot\\\\system32\\\\DRIVERS\\\\vwifimf.sys\""));
	assert_non_null(strstr(j, "\"third_party_modules\":[\"vwifimf\"]"));
	assert_non_null(strstr(j, "\"pool_tags\":[{\"tag\":\"Filt\",\"owner\":\"vwifimf\"}]"));
	assert_non_null(strstr(j, "\"image\":\"nwifi.sys\""));
	assert_non_null(strstr(j, "\"dump_name\":\"MEMORY-copy.DMP\""));
	assert_non_null(strstr(j, "\"signature\":\"0x1e | 0x3200360035 | nwifi!Dot11SendCompletion"));
	sb_free(&js);
	/* from a parsed signature alone (no analysis) */
	sbuf ser = {0};
	sig_serialize(&s, &ser);
	pm_signature p;
	assert_int_equal(sig_parse(sb_str(&ser), &p), 0);
	sig_json(NULL, &p, &js);
	assert_non_null(strstr(sb_str(&js), "\"module_set\":[\"ndis\",\"nt\",\"nwifi\",\"vwifimf\"]"));
	sb_free(&js);
	sb_free(&ser);
	sig_clear(&p);
	sig_clear(&s);
	pm_analysis_clear(&a);
}

/* ---- real WinDbg text (the reader fills the analysis) ---- */


static void test_real_windbg_text(void **state)
{
	(void)state;
	size_t len;
	char *text = test_load("tests/data/sig/lwfmgr-kc.txt", &len);
	assert_non_null(text);
	pm_case *c = pm_case_new();
	size_t n = windbg_extract(text, len, -1, c);
	if (n == 0) {
		/* the WinDbg reader has not landed in this tree yet */
		pm_case_free(c);
		free(text);
		skip();
		return;
	}
	pm_signature s;
	sig_build(&c->analyses[0], &s, NULL);
	sbuf k = {0};
	kept_keys(&s, &k);
	assert_non_null(strstr(sb_str(&k), "ndis!NdisFDeregisterFilterDriver lwfmgr+0x5167 lwfmgr+0xb49a nt!IopLoadDriver"));
	assert_non_null(s.third_party);
	assert_string_equal(s.third_party[0], "lwfmgr");
	sb_free(&k);
	sig_clear(&s);
	pm_case_free(c);
	free(text);
}

/* The vwifimf thread (seed 001): six analyses, one cause under several
 * bugchecks; what the reader extracted gives the expected signatures and
 * every one survives the stored form exactly. */
static void test_real_seed_vwifimf(void **state)
{
	(void)state;
	size_t len;
	char *raw = test_load("tests/data/seeds/001_a48089f2710e0f3a.txt", &len);
	assert_non_null(raw);
	pm_case *c = pm_case_new();
	size_t n = windbg_extract(raw, len, -1, c);
	free(raw);
	if (n == 0) {
		pm_case_free(c);
		skip();
		return;
	}
	int seen_fc = 0, seen_1e = 0, seen_139 = 0;
	for (size_t i = 0; i < c->nanalyses; i++) {
		pm_signature s;
		sig_build(&c->analyses[i], &s, NULL);
		roundtrip(&s);
		if (s.bugcheck && strcmp(s.bugcheck, "0xfc") == 0) {
			seen_fc = 1;
			assert_true(str_starts(s.text, "0xfc | tcpip!Ipv4Global | nwifi!Dot11SendCompletion | "
						       "nwifi!Pt6SendComplete"));
			assert_non_null(s.third_party);
			assert_string_equal(s.third_party[s.nthird_party - 1], "vwifimf");
		}
		if (s.bugcheck && strcmp(s.bugcheck, "0x1e") == 0) {
			seen_1e = 1;
			size_t idx[2];
			assert_int_equal(sig_kept_frames(&s, idx, 2), 2);
			assert_string_equal(s.frames[idx[0]].key, "0x3200360035");
			assert_string_equal(s.frames[idx[1]].key, "nwifi!Dot11SendCompletion");
			/* everything above the jump is plumbing */
			for (size_t k = 0; k < idx[0]; k++)
				assert_non_null(s.frames[k].skip);
		}
		if (s.bugcheck && strcmp(s.bugcheck, "0x139") == 0) {
			seen_139 = 1;
			assert_true(str_starts(s.text, "0x139 | nt!RemoveHeadList"));
			int filt = 0;
			for (size_t k = 0; k < s.npool_tags; k++)
				if (strcmp(s.pool_tags[k].tag, "Filt") == 0 && s.pool_tags[k].owner &&
				    strcmp(s.pool_tags[k].owner, "vwifimf") == 0)
					filt = 1;
			assert_true(filt);
		}
		sig_clear(&s);
	}
	assert_true(seen_fc && seen_1e && seen_139);
	pm_case_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canon_module),
		cmocka_unit_test(test_skiplist_every_entry),
		cmocka_unit_test(test_skiplist_named),
		cmocka_unit_test(test_skiplist_documented),
		cmocka_unit_test(test_microsoft_list),
		cmocka_unit_test(test_build_0x1e),
		cmocka_unit_test(test_build_folding_lwfmgr),
		cmocka_unit_test(test_build_frame_shapes),
		cmocka_unit_test(test_build_no_stack),
		cmocka_unit_test(test_build_dmp_driver_list),
		cmocka_unit_test(test_serialize_roundtrip),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_real_windbg_text),
		cmocka_unit_test(test_real_seed_vwifimf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
