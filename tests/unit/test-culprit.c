/* test-culprit.c - the culprit of a signature (sig/culprit.c): each
 * source with its provenance, their order, conflicts in the trace, the
 * serialisation round trip and the JSON member, on real public analyses
 * (tests/data/windbg/) and on short excerpts in the shapes people paste.
 * Excerpts marked "invented" were written for these tests in the shape of
 * public posts; placeholders (acme, vendor) stand for the driver names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../sig/signature.h"
#include "../../import/readers.h"
#include "testdata.h"

/* The signature of the only (or first) analysis of a text. */
static pm_case *sig_of_text(const char *text, pm_signature *s, sbuf *why)
{
	pm_case *c = pm_case_new();
	windbg_extract(text, strlen(text), -1, c);
	assert_true(c->nanalyses >= 1);
	sig_build(&c->analyses[0], s, why);
	return c;
}

static void expect_culprit(const char *text, const char *module, const char *function, const char *from)
{
	pm_signature s;
	sbuf why = {0};
	pm_case *c = sig_of_text(text, &s, &why);
	if (!s.culprit || strcmp(s.culprit, module) != 0 || strcmp(s.culprit_from, from) != 0)
		fail_msg("culprit %s from %s, want %s from %s\n%s", s.culprit ? s.culprit : "(none)",
			 s.culprit_from ? s.culprit_from : "-", module, from, sb_str(&why));
	if (function)
		assert_string_equal(s.culprit_function ? s.culprit_function : "(none)", function);
	else
		assert_null(s.culprit_function);
	sig_clear(&s);
	sb_free(&why);
	pm_case_free(c);
}

/* invented, in the shape of an !analyze -v tail pasted without stack */
static void test_fields_order(void **state)
{
	(void)state;
	expect_culprit("FOLLOWUP_IP: \nacme_flt!AcmeWrite+2a\nfffff801`1234abcd 488b01 mov rax,qword ptr [rcx]\n\n"
		       "SYMBOL_NAME:  acme_flt!AcmeWrite+2a\nMODULE_NAME: acme_flt\nIMAGE_NAME:  acme-flt.sys\n",
		       "acme_flt", "AcmeWrite", "image_name");
	expect_culprit("SYMBOL_NAME:  acme_flt!AcmeWrite+2a\nMODULE_NAME: acme_flt\n", "acme_flt", "AcmeWrite",
		       "module_name");
	expect_culprit("Probably caused by : vendor.sys ( vendor!VendorDpc+4a )\n", "vendor", "VendorDpc",
		       "probably_caused_by");
	expect_culprit("SYMBOL_NAME:  vendor!VendorDpc+4a\n", "vendor", "VendorDpc", "symbol_name");
	expect_culprit("FOLLOWUP_IP:\nvendor!VendorDpc+4a\n", "vendor", "VendorDpc", "followup_ip");
	expect_culprit("FAILURE_BUCKET_ID:  X64_0xD1_vendor!VendorDpc+4a\n", "vendor", "VendorDpc", "bucket");
	expect_culprit("FAILURE_BUCKET_ID:  0xc4_91_IMAGE_vendor.sys\n", "vendor", NULL, "bucket");
	/* a user-mode bucket: its exception code is the bucket's own word,
	 * lower-case hex or not; FAULTING_IP's module is one of the analysis */
	expect_culprit("FAILURE_BUCKET_ID:  NULL_POINTER_READ_c0000005_acmehook.dll!HookProc\n", "acmehook", "HookProc",
		       "bucket");
	expect_culprit("FAULTING_IP: \nacme_hook!HookProc+1f\n00007ffa`12345678 488b01 mov rax,qword ptr [rcx]\n\n"
		       "FAILURE_BUCKET_ID:  INVALID_POINTER_READ_c0000005_acme_hook.dll!HookProc\n",
		       "acme_hook", "HookProc", "bucket");
	/* IMAGE_NAME's verdicts are not modules: the next source answers */
	expect_culprit("MODULE_NAME: hardware\nIMAGE_NAME: memory_corruption\n"
		       "Probably caused by : vendor.sys ( vendor+1a2b )\n",
		       "vendor", NULL, "probably_caused_by");
}

/* invented stacks in the kv shape */
static void test_stack_sources(void **state)
{
	(void)state;
	const char *tp = "BugCheck D1, {0, 2, 0, fffff80112345678}\n\n"
			 "STACK_TEXT:\n"
			 "ffffd000`20a1f3c8 fffff801`0d3b2aa9 : 00000000`0000000a 00000000`00000000 00000000`00000002 00000000`00000000 : nt!KeBugCheckEx\n"
			 "ffffd000`20a1f3d0 fffff801`0d3b12c0 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : nt!KiBugCheckDispatch+0x69\n"
			 "ffffd000`20a1f510 fffff801`0f2a1111 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : nt!KiPageFault+0x440\n"
			 "ffffd000`20a1f6a0 fffff801`0f2a2222 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : ndis!NdisFIndicateReceiveNetBufferLists+0x3c\n"
			 "ffffd000`20a1f6e0 fffff801`0f2a3333 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : vendor+0x1a2b\n";
	expect_culprit(tp, "vendor", NULL, "stack_third_party");
	/* only inbox frames: the first one outside the kernel */
	const char *inbox = "BugCheck D1, {0, 2, 0, fffff80112345678}\n\n"
			    "STACK_TEXT:\n"
			    "ffffd000`20a1f3c8 fffff801`0d3b2aa9 : 00000000`0000000a 00000000`00000000 00000000`00000002 00000000`00000000 : nt!KeBugCheckEx\n"
			    "ffffd000`20a1f510 fffff801`0f2a1111 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : nt!KiPageFault+0x440\n"
			    "ffffd000`20a1f6a0 fffff801`0f2a2222 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : tcpip!TcpSendData+0x3c\n"
			    "ffffd000`20a1f6e0 fffff801`0f2a3333 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : ndis!NdisSendNetBufferLists+0x1f\n";
	expect_culprit(inbox, "tcpip", "TcpSendData", "stack_first");
	/* a third-party frame beats a Microsoft module named by FAULTING_IP */
	char *both = xasprintf("%sFAULTING_IP:\nndis!NdisFIndicateReceiveNetBufferLists+3c\n", tp);
	expect_culprit(both, "vendor", NULL, "stack_third_party");
	free(both);
	/* a warning that names one third-party image, over an inbox frame */
	char *warn = xasprintf("*** WARNING: Unable to verify timestamp for acme-flt.sys\n%s", inbox);
	expect_culprit(warn, "acme_flt", NULL, "warning");
	free(warn);
}

/* WinDbg's module name and the file name are one culprit (acme-flt.sys
 * is acme_flt), and the JSON prints the file name the text gives */
static void test_printed_and_json(void **state)
{
	(void)state;
	/* invented */
	const char *t = "*** WARNING: Unable to verify timestamp for acme-flt.sys\n"
			"SYMBOL_NAME:  acme_flt!AcmeWrite+2a\n";
	pm_signature s;
	sbuf why = {0};
	pm_case *c = sig_of_text(t, &s, &why);
	assert_string_equal(s.culprit, "acme_flt");
	assert_string_equal(s.culprit_printed, "acme-flt.sys");
	assert_string_equal(s.culprit_function, "AcmeWrite");
	assert_string_equal(s.culprit_from, "symbol_name");
	assert_string_equal(s.image, "acme_flt"); /* no IMAGE_NAME: the culprit */
	assert_int_equal(s.nthird_party, 1);      /* one module, not two */
	sbuf j = {0};
	sig_json(&c->analyses[0], &s, &j);
	assert_non_null(strstr(sb_str(&j), "\"image\":\"acme-flt.sys\""));
	assert_non_null(strstr(sb_str(&j), "\"culprit\":{\"module\":\"acme_flt\",\"printed\":\"acme-flt.sys\","
					   "\"function\":\"AcmeWrite\",\"from\":\"symbol_name\"}"));
	/* round trip */
	sbuf ser = {0};
	sig_serialize(&s, &ser);
	assert_non_null(strstr(sb_str(&ser), "pmkb-sig\t2\n"));
	assert_non_null(strstr(sb_str(&ser), "culprit\tacme_flt\tacme-flt.sys\tAcmeWrite\tsymbol_name\n"));
	pm_signature p;
	assert_int_equal(sig_parse(sb_str(&ser), &p), 0);
	assert_int_equal(p.version, 2);
	assert_string_equal(p.culprit, "acme_flt");
	assert_string_equal(p.culprit_printed, "acme-flt.sys");
	assert_string_equal(p.culprit_function, "AcmeWrite");
	assert_ptr_equal(p.culprit_from, sig_culprit_from_intern("symbol_name"));
	sbuf ser2 = {0};
	sig_serialize(&p, &ser2);
	assert_string_equal(sb_str(&ser), sb_str(&ser2));
	sig_clear(&p);
	sb_free(&ser2);
	/* version 1 (before the culprit) is still read; 2 without it is not */
	const char *v1 = "pmkb-sig\t1\nbugcheck\t0xd1\t\\N\nargs\t\\N\t\\N\t\\N\t\\N\nprocess\t\\N\nimage\tnpf\n"
			 "os_build\t\\N\nfailure_bucket\t\\N\ntext\t0xd1\nend\t0\t0\t0\n";
	assert_int_equal(sig_parse(v1, &p), 0);
	assert_int_equal(p.version, 1);
	assert_null(p.culprit);
	assert_null(p.culprit_from);
	sig_clear(&p);
	char *v2 = xstrdup(v1);
	v2[9] = '2';
	assert_int_equal(sig_parse(v2, &p), -1);
	free(v2);
	sb_free(&ser);
	sb_free(&j);
	sb_free(&why);
	sig_clear(&s);
	pm_case_free(c);
}

/* sources that disagree are named in the trace */
static void test_conflict_why(void **state)
{
	(void)state;
	/* invented: a quick !analyze and a later !analyze -v of one dump */
	const char *t = "Probably caused by : other.sys ( other+1234 )\n"
			"IMAGE_NAME:  vendor.sys\n";
	pm_signature s;
	sbuf why = {0};
	pm_case *c = sig_of_text(t, &s, &why);
	assert_string_equal(s.culprit, "vendor");
	assert_string_equal(s.culprit_from, "image_name");
	assert_non_null(strstr(sb_str(&why), "culprit vendor (from image_name)\n"));
	assert_non_null(strstr(sb_str(&why), "culprit conflict: probably_caused_by names other.sys\n"));
	sig_clear(&s);
	sb_free(&why);
	pm_case_free(c);
}

/* real public analyses: the culprit a person blames */
static void test_real_texts(void **state)
{
	(void)state;
	static const struct {
		const char *file, *module, *from;
	} want[] = {
		{"netkvm-730-0a-rss.txt", "netkvm", "stack_third_party"},
		{"npcap-819-0a-send.txt", "npcap", "stack_third_party"},
		{"dokany-207-exceptionfilter.txt", "dokan1", "stack_third_party"},
		{"sysmon-223-d4-unload.txt", "psav3cld", "fault_ip"},
		{"dokany-230-fltmgr-mount.txt", "fltmgr", "stack_first"},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		char path[256];
		snprintf(path, sizeof path, "tests/data/windbg/%s", want[i].file);
		char *buf = test_load(path, NULL);
		pm_signature s;
		pm_case *c = sig_of_text(buf, &s, NULL);
		if (!s.culprit || strcmp(s.culprit, want[i].module) || strcmp(s.culprit_from, want[i].from))
			fail_msg("%s: culprit %s from %s", want[i].file, s.culprit ? s.culprit : "-",
				 s.culprit_from ? s.culprit_from : "-");
		sig_clear(&s);
		pm_case_free(c);
		free(buf);
	}
}

/* A bucket whose bugcheck has a subcode (0x139's "a", the check that
 * failed) and the words of that check before module!function; public,
 * tests/data/public/claudecode-80912-139-bucket-list.txt (no frame names
 * the module, so the bucket's own words are skipped by their shape) */
static void test_bucket_subcode(void **state)
{
	(void)state;
	char *buf = test_load("tests/data/public/claudecode-80912-139-bucket-list.txt", NULL);
	pm_signature s;
	pm_case *c = sig_of_text(buf, &s, NULL);
	if (!s.culprit || strcmp(s.culprit, "nt") || strcmp(s.culprit_from, "bucket"))
		fail_msg("culprit %s from %s, want nt from bucket", s.culprit ? s.culprit : "-",
			 s.culprit_from ? s.culprit_from : "-");
	assert_string_equal(s.culprit_function ? s.culprit_function : "(none)", "guard_icall_handler");
	sig_clear(&s);
	pm_case_free(c);
	free(buf);
	/* the same shape with an upper-case module and a third-party one
	 * (invented, in the shape of the line above) */
	expect_culprit("FAILURE_BUCKET_ID: 0x139_e_INVALID_REFERENCE_COUNT_NETIO!NetioDereferenceNetBufferListEx\n",
		       "netio", "NetioDereferenceNetBufferListEx", "bucket");
	expect_culprit("FAILURE_BUCKET_ID: 0x139_3_CORRUPT_LIST_ENTRY_acme_flt!AcmeRemove\n", "acme_flt",
		       "AcmeRemove", "bucket");
	/* a two-letter module right after the code is the module */
	expect_culprit("FAILURE_BUCKET_ID: 0x50_ab!AbRead\n", "ab", "AbRead", "bucket");
}

/* invented, in the shapes !analyze and !pool print: the owner of the
 * pool block a pool verdict blames, the driver an "Unloaded_" name
 * means, and a driver the prose names asked after every printed field */
static void test_pool_unloaded_prose(void **state)
{
	(void)state;
	const char *pool = "BugCheck 19, {20, ffff81021744d180, ffff81021744d1b0, 4030002}\n\n"
			   "ffff81021744d000 size:  170 previous size:    0  (Allocated)  Ntfx\n"
			   "*ffff81021744d180 size:   30 previous size:  170  (Allocated) *Vnd1\n"
			   "\t\tPooltag Vnd1 : Vendor filter buffers, Binary : vendor.sys\n\n"
			   "Probably caused by : Pool_Corruption ( nt!ExFreePool+1b )\n";
	expect_culprit(pool, "vendor", NULL, "pool_owner");
	/* an owner the text describes, not names, is no module */
	const char *desc = "BugCheck 19, {20, ffff81021744d180, ffff81021744d1b0, 4030002}\n\n"
			   "*ffff81021744d180 size:   30 previous size:  170  (Allocated) *Vnd1\n"
			   "\t\tPooltag Vnd1 : Vendor filter buffers, Binary : Vendor Filter\n\n"
			   "Probably caused by : Pool_Corruption ( nt!ExFreePool+1b )\n";
	pm_signature s;
	pm_case *c = sig_of_text(desc, &s, NULL);
	assert_null(s.culprit);
	sig_clear(&s);
	pm_case_free(c);
	expect_culprit("BugCheck CE, {fffff80112340000, 10, fffff80112340000, 0}\n"
		       "Probably caused by : Unloaded_vendor.sys\n", "vendor", NULL, "probably_caused_by");
	/* a frame in a driver that unloaded: WinDbg prints <Unloaded_x.sys> */
	expect_culprit("BugCheck CE, {fffff80112340000, 10, fffff80112340000, 0}\n\nSTACK_TEXT:\n"
		       "ffffd000`20a1f3c8 fffff801`0d3b2aa9 : 00000000`000000ce fffff801`12340000 00000000`00000010 00000000`00000000 : nt!KeBugCheckEx\n"
		       "ffffd000`20a1f510 fffff801`0f2a1111 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : nt!KiPageFault+0x440\n"
		       "ffffd000`20a1f6a0 fffff801`0f2a2222 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : <Unloaded_acme-flt.sys>+0x1a2b\n"
		       "ffffd000`20a1f6e0 fffff801`0f2a3333 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : nt!ExpWorkerThread+0x11\n",
		       "acme_flt", NULL, "stack_third_party");
	/* the prose names a driver, FAULTING_IP an inbox one: the printed field */
	expect_culprit("The crash is caused by acme.sys, I think.\n\n"
		       "BugCheck 3B, {c0000005, fffff8010d3b2aa9, ffffd00020a1f3c8, 0}\n"
		       "FAULTING_IP:\nNETIO!StreamInvokeCalloutAndNormalizeAction+20f\n",
		       "netio", "StreamInvokeCalloutAndNormalizeAction", "fault_ip");
	expect_culprit("The crash is caused by acme.sys, I think.\n\n"
		       "BugCheck 3B, {c0000005, fffff8010d3b2aa9, ffffd00020a1f3c8, 0}\n",
		       "acme", NULL, "prose");
}

/* A public text's culprit from a file of tests/data/public. */
static void expect_public(const char *file, const char *module, const char *from)
{
	char path[256];
	snprintf(path, sizeof path, "tests/data/public/%s", file);
	char *buf = test_load(path, NULL);
	pm_signature s;
	pm_case *c = sig_of_text(buf, &s, NULL);
	if (!s.culprit || strcmp(s.culprit, module) || strcmp(s.culprit_from, from))
		fail_msg("%s: culprit %s from %s, want %s from %s", file, s.culprit ? s.culprit : "-",
			 s.culprit_from ? s.culprit_from : "-", module, from);
	sig_clear(&s);
	pm_case_free(c);
	free(buf);
}

/* The driver a text about a blue screen names without a word of blame
 * (a title "BSOD involving x.sys / NETIO.SYS", "a BSOD during boot with
 * x.sys being the problem"), the driver NT's screen names after the stop
 * code's arguments, the module of a Failure.Bucket past the debugger's
 * "(null)", an analysis whose line breaks a page dropped; public texts */
static void test_prose_screen_flat(void **state)
{
	(void)state;
	expect_public("adguard-5998-title.txt", "adgnetworkwfpdrv", "prose");
	expect_public("diskcryptor-62-prose-boot.txt", "dcrypt", "prose");
	expect_public("betaarchive-107146-0a-netflx-stop.txt", "netflx", "prose");
	/* a sentence that names the banner is prose, not the banner: its
	 * quoted "Caused by : icardd.dll" is read as the label it quotes */
	expect_public("citrix-285175-icardd-prose.txt", "icardd", "probably_caused_by");
	expect_public("baidutieba-8974728496-50-flat-zh-a.txt", "dxgkrnl", "bucket");
	/* many drivers named, no blue screen spoken of, or not beside the
	 * driver: no analysis at all */
	pm_case *c = pm_case_new();
	const char *list = "BSOD after the update. Loaded: a1.sys a2.sys a3.sys a4.sys a5.sys\n";
	windbg_extract(list, strlen(list), -1, c);
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
	c = pm_case_new();
	const char *calm = "Version 2.1 of acme.sys adds a new filter mode.\n";
	windbg_extract(calm, strlen(calm), -1, c);
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
	c = pm_case_new();
	/* the debugger's help text under a 0xC4 names no driver */
	const char *help = "Another BSOD, DRIVER_VERIFIER_DETECTED_VIOLATION.\n"
			   "\tType !verifier 3 drivername.sys for info on the allocations\n";
	windbg_extract(help, strlen(help), -1, c);
	for (size_t i = 0; i < c->nanalyses; i++)
		assert_null(c->analyses[i].prose_images);
	pm_case_free(c);
	c = pm_case_new();
	const char *apart = "We had a BSOD last week.\nVersion 2.1 of acme.sys adds a new filter mode.\n";
	windbg_extract(apart, strlen(apart), -1, c);
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
	/* invented in the shape of the flattened paste: the keys glued to the
	 * values before them read as lines */
	expect_culprit("***********************************************************************"
		       "********* ** Bugcheck Analysis ** *****************************************"
		       "***************************************DRIVER_IRQL_NOT_LESS_OR_EQUAL (d1)An attempt "
		       "was made to access a pageable address.Arguments:Arg1: 0000000000000010, memory "
		       "referencedArg2: 0000000000000002, IRQLArg3: 0000000000000000, value 0 = readArg4: "
		       "fffff80112345678, addressDebugging Details:------------------BUGCHECK_CODE: "
		       "d1PROCESS_NAME: SystemIMAGE_NAME: acme.sysMODULE_NAME: acmeFAILURE_BUCKET_ID: "
		       "AV_acme!AcmeSend\n",
		       "acme", "AcmeSend", "image_name");
	/* a 32-bit STACK_TEXT flattened onto one line: a row after each call
	 * site, after a warning's full stop and after the key (invented in
	 * the shape of a public paste) */
	const char *rows = "STACK_TEXT: 9444f6b4 828ba08c 0000008e 80000003 92c70a78 nt!KeBugCheckEx+0x1e "
			   "9444fadc 82843dd6 9444faf8 00000000 9444fb4c nt!KiDispatchException+0x1ac WARNING: Stack "
			   "unwind information not available. Following frames may be wrong. 9444fbc4 92c70b1c "
			   "8730f980 00000001 00000000 acme+0xa79 9444fc14 82a3099f 8730f980 87279950 872799c0 "
			   "nt!IofCallDriver+0x63\n";
	expect_culprit(rows, "acme", NULL, "stack_third_party");
	pm_signature sg;
	c = sig_of_text(rows, &sg, NULL);
	assert_string_equal(c->analyses[0].bugcheck_code ? c->analyses[0].bugcheck_code : "-", "0x8e");
	sig_clear(&sg);
	pm_case_free(c);
	/* a bucket that names a third-party driver before a Microsoft image
	 * (0x9F's power IRP stuck in the driver's device): the driver; a
	 * Microsoft one before it, or a third-party image, keep IMAGE_NAME */
	expect_culprit("BUGCHECK_CODE:  9f\nIMAGE_NAME:  pci.sys\nMODULE_NAME: pci\n"
		       "FAILURE_BUCKET_ID:  0x9F_3_POWER_DOWN_acmewlan_IMAGE_pci.sys\n",
		       "acmewlan", NULL, "bucket");
	expect_culprit("BUGCHECK_CODE:  9f\nIMAGE_NAME:  pci.sys\nFAILURE_BUCKET_ID:  0x9F_3_storport_IMAGE_pci.sys\n",
		       "pci", NULL, "image_name");
	expect_culprit("BUGCHECK_CODE:  c4\nIMAGE_NAME:  acme.sys\nFAILURE_BUCKET_ID:  0xc4_f6_IMAGE_acme.sys\n", "acme",
		       NULL, "image_name");
	/* WER's name of a module that had unloaded is the module */
	expect_culprit("Faulting application name: acme.exe, version: 1.0.0.0\n"
		       "Faulting module name: vendor.dll_unloaded, version: 2.0.0.0\n"
		       "Exception code: 0xc0000005\n",
		       "vendor", NULL, "probably_caused_by");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields_order),
		cmocka_unit_test(test_stack_sources),
		cmocka_unit_test(test_printed_and_json),
		cmocka_unit_test(test_conflict_why),
		cmocka_unit_test(test_real_texts),
		cmocka_unit_test(test_pool_unloaded_prose),
		cmocka_unit_test(test_bucket_subcode),
		cmocka_unit_test(test_prose_screen_flat),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
