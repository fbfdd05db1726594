/* test-windbg-shapes.c - the shapes of crash text other tools and people
 * write (import/windbg-shapes.c, import/bugcheck-names.c and their use in
 * import/windbg.c): the bug check name table, live kernel debugger
 * banners, the event log, WER, BlueScreenView (vertical, localized,
 * flattened), Application Error events, field-only excerpts, prose.
 * Every excerpt here was written for these tests in the shape of public
 * posts (driver issue trackers, forums); vendor names are placeholders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../import/bugcheck-names.h"
#include "../../import/readers.h"
#include "../../import/windbg-shapes.h"
#include "../../sig/signature.h"
#include "testdata.h"

static pm_case *extract(const char *text)
{
	pm_case *c = pm_case_new();
	windbg_extract(text, strlen(text), -1, c);
	return c;
}

static void str_is(const char *got, const char *want)
{
	if (!want) {
		if (got)
			fail_msg("got \"%s\", want NULL", got);
		return;
	}
	if (!got)
		fail_msg("got NULL, want \"%s\"", want);
	assert_string_equal(got, want);
}

/* one analysis with this code and these four arguments (NULL: not printed) */
/* The culprit of c's first analysis is want (and its provenance from,
 * unless NULL). */
static void culprit_is(const pm_case *c, const char *want, const char *from)
{
	pm_signature s;
	sig_build(&c->analyses[0], &s, NULL);
	str_is(s.culprit, want);
	if (from)
		str_is(s.culprit_from, from);
	sig_clear(&s);
}

static pm_case *expect_one(const char *text, const char *code, const char *a1, const char *a2, const char *a3,
			   const char *a4)
{
	pm_case *c = extract(text);
	if (c->nanalyses != 1)
		fail_msg("%zu analyses in:\n%s", c->nanalyses, text);
	pm_analysis *a = &c->analyses[0];
	str_is(a->bugcheck_code, code);
	str_is(a->args[0], a1);
	str_is(a->args[1], a2);
	str_is(a->args[2], a3);
	str_is(a->args[3], a4);
	return c;
}

static void test_names_table(void **state)
{
	(void)state;
	unsigned long long code;
	assert_true(bugcheck_names_count() > 300);
	/* sorted by code, names upper case with '_' */
	unsigned long long prev = 0;
	for (size_t i = 0; i < bugcheck_names_count(); i++) {
		const char *nm = bugcheck_names_entry(i, &code);
		assert_non_null(nm);
		assert_true(code > prev);
		prev = code;
		for (const char *p = nm; *p; p++)
			assert_true((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_');
		assert_string_equal(bugcheck_name_of(code), nm);
		unsigned long long back;
		assert_true(bugcheck_code_of(nm, strlen(nm), &back));
		assert_true(back == code);
	}
	assert_null(bugcheck_names_entry(bugcheck_names_count(), &code));
	assert_string_equal(bugcheck_name_of(0xd1), "DRIVER_IRQL_NOT_LESS_OR_EQUAL");
	assert_string_equal(bugcheck_name_of(0x3b), "SYSTEM_SERVICE_EXCEPTION");
	assert_string_equal(bugcheck_name_of(0x139), "KERNEL_SECURITY_CHECK_FAILURE");
	assert_string_equal(bugcheck_name_of(0x1000007e), "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED_M");
	assert_null(bugcheck_name_of(0xc0000005));
	assert_true(bugcheck_code_of("kmode exception not handled", 27, &code) && code == 0x1e);
	assert_true(bugcheck_code_of("PAGE-FAULT-IN-NONPAGED-AREA", 27, &code) && code == 0x50);
	assert_false(bugcheck_code_of("KMODE_EXCEPTION", 15, &code));
	/* names as people misremember them: the same words in another
	 * order, or one plural; three words or more */
	assert_true(bugcheck_code_of("DRIVER_IRQL_LESS_OR_NOT_EQUAL", 29, &code) && code == 0xd1);
	assert_true(bugcheck_code_of("SYSTEM SERVICES EXCEPTION", 25, &code) && code == 0x3b);
	assert_false(bugcheck_code_of("EXCEPTION_SERVICE", 17, &code));
	assert_false(bugcheck_code_of("SYSTEM_SERVICE_EXCEPTION_FOO", 28, &code));
	assert_true(bugcheck_name_word("Services", 8) && bugcheck_name_word("irql", 4));
	assert_false(bugcheck_name_word("Wireshark", 9));
	/* names mistyped: one edit of the letters (two from twenty on), the
	 * separators ignored; never another code */
	assert_true(bugcheck_code_near("MEMORY_MANAGMENT", 16, &code) && code == 0x1a);
	assert_true(bugcheck_code_near("PAGE_FAULT_IN_NON_PAGED_AREA", 28, &code) && code == 0x50);
	assert_true(bugcheck_code_near("PAGE_FAULT_IN_NONEPAGED_AREA", 28, &code) && code == 0x50);
	assert_true(bugcheck_code_near("AGE_FAULT_IN_NONPAGED_AREA", 26, &code) && code == 0x50);
	assert_true(bugcheck_code_near("SYSTEM_THREAD_EXCEPTION_NOT_HANDELED", 36, &code) && code == 0x7e);
	assert_true(bugcheck_code_near("DRIVER IRQL NOT LESS OR EQUEL", 29, &code) && code == 0xd1);
	assert_false(bugcheck_code_near("FAILURE_BUCKET_ID", 17, &code));
	assert_false(bugcheck_code_near("NDIS_STATUS_FAILURE", 19, &code));
	assert_false(bugcheck_code_near("MEMORY_MGMT", 11, &code));
	/* every name of eleven letters or more that lost its first letter
	 * (and is no other name then) gives its own code or none */
	size_t right = 0, tried = 0;
	for (size_t i = 0; i < bugcheck_names_count(); i++) {
		unsigned long long want, got;
		const char *nm = bugcheck_names_entry(i, &want);
		size_t letters = 0;
		for (const char *p = nm; *p; p++)
			letters += *p != '_';
		if (letters < 11 || bugcheck_code_of(nm + 1, strlen(nm) - 1, &got))
			continue; /* short, or another name ("DFS_FILE_SYSTEM") */
		tried++;
		if (want >> 12 == 0x10000)
			want &= 0xfff;
		if (bugcheck_code_near(nm + 1, strlen(nm) - 1, &got)) {
			if (got != want)
				fail_msg("%s without its first letter gave 0x%llx", nm, got);
			right++;
		}
	}
	assert_true(tried > 250 && right * 10 >= tried * 9);
}

/* prose that names the stop code as people write it (public: nmap issue
 * 430, HAXM issue 157; the rest invented in their shape) */
static void test_names_in_prose(void **state)
{
	(void)state;
	pm_case *c = expect_one("When I install Npcap on my Windows 10, I got BSOD with error "
				"DRIVER_IRQL_LESS_OR_NOT_EQUAL(nwifi.sys).\n", "0xd1", NULL, NULL, NULL, NULL);
	pm_case_free(c);
	c = expect_one("IntelHaxm.sys throws a System Services Exception BSOD when trying to run the android "
		       "emulator from android studio.\n", "0x3b", NULL, NULL, NULL, NULL);
	pm_case_free(c);
	c = expect_one("Since the update the laptop shows a Kernel Security Check Failure every morning.\n", "0x139",
		       NULL, NULL, NULL, NULL);
	pm_case_free(c);
	/* a name mistyped in a title (Fort Firewall 656); not a field's label */
	c = expect_one("BSOD AGE_FAULT_IN_NONPAGED_AREA in Latest Version.\n", "0x50", NULL, NULL, NULL, NULL);
	pm_case_free(c);
	c = expect_one("Got a PAGE FAULT IN NON PAGED AREA after the update\n", "0x50", NULL, NULL, NULL, NULL);
	pm_case_free(c);
	c = extract("MEMORY_MANAGMENT: none\nFAILURE_BUCKET_IDS here\n");
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
	/* two Title Case words, or words that are no name, are prose */
	c = extract("The Memory Management team looked at it.\nThe System Service Is Running Again.\n");
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
}

/* a live session that disassembled the driver before the crash: the
 * fault address argument lies under one of its labels (public: a
 * PUBG map-hack driver's issue 35); an address far from any label names
 * nothing */
static void test_live_kd_disassembly(void **state)
{
	(void)state;
	char *t = test_load("tests/data/public/pubgmaphack-35-7e-fatal.txt", NULL);
	pm_case *c = extract(t);
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, "0x7e");
	str_is(c->analyses[0].fault_ip, "mapDriver!_IMPORT_DESCRIPTOR_ntoskrnl");
	culprit_is(c, "mapdriver", NULL);
	pm_case_free(c);
	free(t);
	c = extract("2: kd> u @rip\nacme!AcmeInit+0x2d:\nfffff880`0327702d cc              int     3\n"
		    "2: kd> g\n\n*** Fatal System Error: 0x0000007e\n"
		    "                       (0xFFFFFFFFC0000005,0xFFFFF80112345678,0xFFFFF880047BF5E8,0xFFFFF880047BEE40)\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].fault_ip, NULL);
	pm_case_free(c);
}

static void test_live_kd(void **state)
{
	(void)state;
	pm_case *c = expect_one("```\nThe driver failed to initialize\n\n*** Fatal System Error: 0x000000d1\n"
				"                       (0xFFFFF8037ACA1FA0,0x00000000000000FF,0x0000000000000000,0xFFFFF8037ACA1FA0)\n\n"
				"Driver at fault: \n***       acme.sys - Address FFFFF8037ACA1FA0 base at FFFFF8037ACA0000, DateStamp 00000000\n"
				".\nBreak instruction exception - code 80000003 (first chance)\n\nA fatal system error has occurred.\n",
				"0xd1", "0xfffff8037aca1fa0", "0xff", "0x0", "0xfffff8037aca1fa0");
	str_is(c->analyses[0].caused_by, "acme.sys");
	pm_signature s;
	sig_build(&c->analyses[0], &s, NULL);
	str_is(s.culprit, "acme");
	str_is(s.culprit_from, "probably_caused_by");
	str_is(s.bugcheck_name, "DRIVER_IRQL_NOT_LESS_OR_EQUAL");
	sig_clear(&s);
	pm_case_free(c);
	/* the arguments on the banner's own line */
	c = expect_one("*** Fatal System Error: 0x0000007e (0xFFFFFFFFC0000005,0xFFFFF80DA4B05329,0xFFFFDE0223EBA2B8,0xFFFFDE0223EB9AD0)\n",
		       "0x7e", "0xffffffffc0000005", "0xfffff80da4b05329", "0xffffde0223eba2b8", "0xffffde0223eb9ad0");
	pm_case_free(c);
}

static void test_event_log_wer(void **state)
{
	(void)state;
	pm_case *c = expect_one("The computer has rebooted from a bugcheck.  The bugcheck was: 0x00000050 (0xffffffffffffffe8, "
				"0x0000000000000000, 0xfffff802c8497c2f, 0x0000000000000000). A dump was saved in: "
				"C:\\Windows\\MEMORY.DMP. Report Id: 121115-9093-01.\n",
				"0x50", "0xffffffffffffffe8", "0x0", "0xfffff802c8497c2f", "0x0");
	pm_case_free(c);
	/* the event's XML view */
	c = expect_one("- EventData\n  param1 0x000000d1 (0x000000000000000a, 0x0000000000000002, 0x0000000000000000, 0xfffff8000f10b1a4)\n"
		       "  param2 C:\\Windows\\MEMORY.DMP\n",
		       "0xd1", "0xa", "0x2", "0x0", "0xfffff8000f10b1a4");
	pm_case_free(c);
	/* the same crash in the event and its WER report: one analysis, the bucket read */
	c = expect_one("The bugcheck was: 0x0000003b (0x00000000c0000005, 0xfffff80815a0f9c8, 0xffffbf0094c14e70, 0x0000000000000000).\n"
		       "Problem signature\nProblem Event Name:\tBlueScreen\nCode:\t3b\nParameter 1:\tc0000005\n"
		       "Parameter 2:\tfffff80815a0f9c8\nParameter 3:\tffffbf0094c14e70\nParameter 4:\t0\nOS version:\t10_0_14372\n"
		       "Bucket ID:\t0x3B_acme!AcmeOverridePermissions\n",
		       "0x3b", "0xc0000005", "0xfffff80815a0f9c8", "0xffffbf0094c14e70", "0x0");
	str_is(c->analyses[0].failure_bucket, "0x3B_acme!AcmeOverridePermissions");
	pm_signature s;
	sig_build(&c->analyses[0], &s, NULL);
	str_is(s.culprit, "acme");
	str_is(s.culprit_function, "AcmeOverridePermissions");
	str_is(s.culprit_from, "bucket");
	sig_clear(&s);
	pm_case_free(c);
	/* WER alone */
	c = expect_one("Problem Event Name: BlueScreen\nCode: d1\nParameter 1: 0\nParameter 2: 2\nParameter 3: 0\nParameter 4: fffff80112345678\n",
		       "0xd1", "0x0", "0x2", "0x0", "0xfffff80112345678");
	pm_case_free(c);
	/* MEX */
	c = expect_one("Bugcheck: D1 (ffffd08d1234abcd, 2, 0, fffff80112345678)\n", "0xd1", "0xffffd08d1234abcd", "0x2", "0x0",
		       "0xfffff80112345678");
	pm_case_free(c);
}

static void test_bluescreenview(void **state)
{
	(void)state;
	/* vertical, German labels */
	pm_case *c = expect_one("==================================================\nDump-Datei        : 051621-9000-01.dmp\n"
				"Fehlerprüfstring  : DRIVER_CORRUPTED_MMPOOL\nFehlerprüfcode    : 0x000000d0\n"
				"Parameter 1       : 0x786f6273\nParameter 2       : 0x00000006\nParameter 3       : 0x00000000\n"
				"Parameter 4       : 0x00000000\nVerursachender Treiber: AcmeDrv.sys\nVerursachende Adresse: AcmeDrv.sys+bf03\n",
				"0xd0", "0x786f6273", "0x6", "0x0", "0x0");
	str_is(c->analyses[0].dump_name, "051621-9000-01.dmp");
	culprit_is(c, "acmedrv", NULL);
	pm_case_free(c);
	/* English bullets */
	c = expect_one("BSOD details:\n- Bug Check String:     SYSTEM_THREAD_EXCEPTION_NOT_HANDLED\n- Bug Check Code :     0x1000007e\n"
		       "- Parameter 1: \t         ffffffff`c0000005\n- Parameter 2:\t         fffff80e`87a93287\n"
		       "- Parameter 3: \t         ffffc400`77268418\n- Parameter 4:             ffffc400`77267c60\n"
		       "- Caused By Driver:     vendor.sys\n- Caused By Address:\t vendor.sys+14a49\n",
		       "0x1000007e", "0xffffffffc0000005", "0xfffff80e87a93287", "0xffffc40077268418", "0xffffc40077267c60");
	str_is(c->analyses[0].caused_by, "vendor.sys");
	pm_case_free(c);
}

static void test_application_error(void **state)
{
	(void)state;
	pm_case *c = extract("Faulting application name: notepad.exe, version: 10.0.19041.1, time stamp: 0x63ee6355\n"
			     "Faulting module name: acmehook.dll, version: 1.2.3.4, time stamp: 0x317e0d0a\n"
			     "Exception code: 0xc0000005\nFault offset: 0x00000000000397a0\nFaulting process id: 0x55c\n");
	assert_int_equal(c->nanalyses, 1);
	pm_analysis *a = &c->analyses[0];
	str_is(a->bugcheck_code, NULL);
	str_is(a->exception_code, "0xc0000005");
	str_is(a->process, "notepad.exe");
	str_is(a->caused_by, "acmehook.dll");
	pm_case_free(c);
	/* French */
	c = extract("\"Nom de l’application défaillante : Tweaker.exe, version : 5.3.1.0, horodatage : 0x54cc733d\n"
		    "Nom du module défaillant : unknown, version : 0.0.0.0, horodatage : 0x00000000\n"
		    "Code d’exception : 0xc0000005\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "Tweaker.exe");
	str_is(c->analyses[0].exception_code, "0xc0000005");
	str_is(c->analyses[0].caused_by, NULL); /* "unknown" names no module */
	pm_case_free(c);
	/* the French event copied from Event Viewer's table: the message
	 * column, after a '"', holds the first label (public: WindowsTweaker
	 * issue 33) */
	char *t = test_load("tests/data/public/windowstweaker-33-apperror-fr.txt", NULL);
	c = extract(t);
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "WindowsTweaker.exe");
	str_is(c->analyses[0].exception_code, "0xc0000005");
	pm_case_free(c);
	free(t);
	/* as Event XML, positional <Data> (public: Sandboxie issue 22) */
	t = test_load("tests/data/public/sandboxie-22-apperror-xml.txt", NULL);
	c = extract(t);
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "SbieSvc.exe");
	str_is(c->analyses[0].caused_by, "ntdll.dll");
	str_is(c->analyses[0].exception_code, "0xc0000374");
	pm_case_free(c);
	free(t);
	/* named <Data> (invented, in wevtutil's shape); a <Data> outside an
	 * Application Error event is nothing */
	c = extract("<Event><System><Provider Name=\"Application Error\" /><EventID>1000</EventID></System>\n"
		    "<EventData>\n<Data Name=\"AppName\">acmesvc.exe</Data>\n<Data Name=\"AppVersion\">1.0.0.0</Data>\n"
		    "<Data Name=\"ModuleName\">acmehook.dll</Data>\n<Data Name=\"ExceptionCode\">c0000005</Data>\n"
		    "</EventData></Event>\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "acmesvc.exe");
	str_is(c->analyses[0].caused_by, "acmehook.dll");
	str_is(c->analyses[0].exception_code, "0xc0000005");
	pm_case_free(c);
	c = extract("<EventData>\n<Data>acmesvc.exe</Data>\n<Data>1.0</Data>\n<Data>5e907966</Data>\n"
		    "<Data>acmehook.dll</Data>\n</EventData>\n");
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
	/* a user-mode !analyze: BUGCHECK_STR is the exception */
	c = extract("PROCESS_NAME:  acmesvc.exe\nBUGCHECK_STR:  80000003\nFAILURE_BUCKET_ID:  BREAKPOINT_80000003_acmesvc.exe!Unknown\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, NULL);
	str_is(c->analyses[0].exception_code, "0x80000003");
	pm_case_free(c);
}

static void test_field_only(void **state)
{
	(void)state;
	/* the tail of an !analyze -v: the code from the bucket */
	pm_case *c = extract("FOLLOWUP_IP: \nacme!AcmeClassify+1c\nfffff801`1234abcd 488b01          mov     rax,qword ptr [rcx]\n\n"
			     "SYMBOL_NAME:  acme!AcmeClassify+1c\n\nFOLLOWUP_NAME:  MachineOwner\n\nMODULE_NAME: acme\n\n"
			     "IMAGE_NAME:  acme.sys\n\nFAILURE_BUCKET_ID:  X64_0xD1_acme!AcmeClassify+1c\n\nBUCKET_ID:  X64_0xD1_acme!AcmeClassify+1c\n");
	assert_int_equal(c->nanalyses, 1);
	pm_analysis *a = &c->analyses[0];
	str_is(a->bugcheck_code, "0xd1");
	str_is(a->failure_bucket, "X64_0xD1_acme!AcmeClassify+1c");
	str_is(a->followup_ip, "acme!AcmeClassify+0x1c");
	str_is(a->symbol_name, "acme!AcmeClassify+1c");
	str_is(a->module_name, "acme");
	pm_case_free(c);
	/* BUCKET_ID alone, then the hash string: the strongest source wins */
	c = extract("FAILURE_ID_HASH_STRING:  km:x64_0x3b_acme!acmewrite\nBUCKET_ID:  X64_0x3B_acme!AcmeWrite+2a\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].failure_bucket, "X64_0x3B_acme!AcmeWrite+2a");
	str_is(c->analyses[0].bugcheck_code, "0x3b");
	pm_case_free(c);
	/* the quick !analyze line */
	c = extract("```Probably caused by : acme.sys ( acme!AcmeDpc+4a )```\n");
	assert_int_equal(c->nanalyses, 1);
	pm_case_free(c);
	/* fields a page collapsed onto short lines */
	c = extract("PROCESS_NAME:  AcmeSvc.exe IMAGE_NAME:  acme.sys FAILURE_BUCKET_ID:  0x50_acme!AcmeRead\n"
		    "Arg1: ffffffffffffffe8, memory referenced. Arg2: 0000000000000000, value 0 = read operation\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "AcmeSvc.exe");
	str_is(c->analyses[0].image, "acme.sys");
	str_is(c->analyses[0].bugcheck_code, "0x50");
	str_is(c->analyses[0].args[1], "0x0");
	pm_case_free(c);
	/* a field quoted in a sentence: its full stop and comma are prose */
	c = extract("analysis indicates : BUGCHECK_STR:  0x3B_c0000005 DEFAULT_BUCKET_ID:  WIN8_DRIVER_FAULT_SERVER, PROCESS_NAME:  AcmeAgent.exe.\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "AcmeAgent.exe");
	str_is(c->analyses[0].default_bucket, "WIN8_DRIVER_FAULT_SERVER");
	str_is(c->analyses[0].bugcheck_code, "0x3b");
	pm_case_free(c);
	/* lines in inline-code backticks */
	c = extract("`SYMBOL_NAME:  acme_stub!send_stub_res+248`\n`MODULE_NAME: acme_stub`\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].symbol_name, "acme_stub!send_stub_res+248");
	pm_case_free(c);
	/* .exr's ExceptionAddress names the faulting instruction */
	c = extract("BUGCHECK_CODE:  7e\nExceptionAddress: fffff8062921c1f0 (acmegpu!PageDirectory::Expand+0x0000000000000184)\n"
		    "   ExceptionCode: c0000005 (Access violation)\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].fault_ip, "acmegpu!PageDirectory::Expand+0x0000000000000184");
	pm_case_free(c);
	/* a live session stopped in a driver: its label line */
	c = extract("*** Fatal System Error: 0x0000007e\n                       (0xFFFFFFFFC000001D,0xFFFFF88003277031,0xFFFFF880047BF5E8,0xFFFFF880047BEE40)\n"
		    "nt!DbgBreakPointWithStatus:\nfffff800`02c7a490 cc              int     3\n"
		    "acmeMap!__security_init_cookie+0x2d:\nfffff880`03277031 0f0b            ud2\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].fault_ip, "acmeMap!__security_init_cookie+0x2d");
	culprit_is(c, "acmemap", NULL);
	pm_case_free(c);
	/* KEY_VALUES_STRING */
	c = extract("KEY_VALUES_STRING: 1\n\n    Key  : Failure.Bucket\n    Value: 0x133_DPC_acme_wg!unknown_function\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].failure_bucket, "0x133_DPC_acme_wg!unknown_function");
	str_is(c->analyses[0].bugcheck_code, "0x133");
	pm_case_free(c);
	/* Arg lines whose header a forum dropped */
	c = extract("Arg1: 0000000000000000, memory referenced\nArg2: 0000000000000002, IRQL\n"
		    "Arg3: 0000000000000000, value 0 = read operation, 1 = write operation\n"
		    "Arg4: fffff80112345678, address which referenced memory\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].args[3], "0xfffff80112345678");
	pm_case_free(c);
}

static void test_prose(void **state)
{
	(void)state;
	static const struct {
		const char *text, *code;
	} want[] = {
		{"BSOD 0x0000001e caused by acmewfp.sys\n", "0x1e"},
		{"BSOD 0xD1 (DRIVER_IRQL_NOT_LESS_OR_EQUAL) in acmewfp.sys\n", "0xd1"},
		{"BSOD: acmewfp.sys causes NETIO.SYS access violation (KMODE_EXCEPTION_NOT_HANDLED)\n", "0x1e"},
		{"*   Stop code: `PAGE_FAULT_IN_NONPAGED_AREA`\n*   What failed: `acmecrypt.sys`\n", "0x50"},
		{"Windows crashes with BSOD\nSYSTEM_SERVICE_EXCEPTION\nacmefs.sys\n", "0x3b"},
		{"the stop code is KMODE EXCEPTION NOT HANDLED, every time I plug it in\n", "0x1e"},
		{"Result: BSOD `0x139 (0x1d)`. System reboots.\n", "0x139"},
		{"all four minidumps report DPC_WATCHDOG_VIOLATION (0x133)\n", "0x133"},
		{"该dump bugcheck为7f\n", "0x7f"},
		{"STOP 0x0000007E after resume\n", "0x7e"},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		pm_case *c = extract(want[i].text);
		if (c->nanalyses != 1 || !c->analyses[0].bugcheck_code ||
		    strcmp(c->analyses[0].bugcheck_code, want[i].code) != 0)
			fail_msg("%s: %zu analyses, code %s", want[i].text, c->nanalyses,
				 c->nanalyses && c->analyses[0].bugcheck_code ? c->analyses[0].bugcheck_code : "-");
		pm_case_free(c);
	}
	/* the verb is no code */
	pm_case *c = extract("The machine bugchecked twice overnight, see the attached dump.\n");
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
	/* the driver the prose names is the culprit of last resort */
	c = extract("BSOD: acmewfp.sys causes NETIO.SYS access violation (KMODE_EXCEPTION_NOT_HANDLED)\n");
	culprit_is(c, "acmewfp", "prose");
	pm_case_free(c);
}

static void test_rows_and_tables(void **state)
{
	(void)state;
	/* a BlueScreenView row, tab separated */
	pm_case *c = expect_one("032320-5906-01.dmp\t23/3/2020 3:36:57\tUNEXPECTED_KERNEL_MODE_TRAP\t0x0000007f\t00000000`00000008\t"
				"ffffc280`f1cc9f50\tffff8402`ad111fe0\tfffff80e`fb8ac1e5\tacme.sys\tacme.sys+ac1e5\tAcme driver\n",
				"0x7f", "0x8", "0xffffc280f1cc9f50", "0xffff8402ad111fe0", "0xfffff80efb8ac1e5");
	str_is(c->analyses[0].caused_by, "acme.sys");
	pm_case_free(c);
	/* the same as a Markdown table, escapes and all */
	c = expect_one("| Dump File | Crash Time | Bug Check String | Bug Check Code | Parameter 1 | Parameter 2 | Parameter 3 | Parameter 4 | Caused By Driver |\n"
		       "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
		       "| 052526-25546-01.dmp | 5/25/2026 5:51:33 AM | SYSTEM\\_SERVICE\\_EXCEPTION | 0x0000003b | 00000000\\`c0000005 | "
		       "fffff802\\`2246a129 | ffff838f\\`47e25ec0 | 00000000\\`00000000 | acmefs.sys |\n",
		       "0x3b", "0xc0000005", "0xfffff8022246a129", "0xffff838f47e25ec0", "0x0");
	str_is(c->analyses[0].caused_by, "acmefs.sys");
	pm_case_free(c);
	/* a BlueScreenView HTML report: the cells of a row on one line */
	c = expect_one("<html><body><table><tr><th>Dump File</th><th>Bug Check String</th></tr>"
		       "<tr><td bgcolor=\"#FFFFFF\" nowrap=\"\">030325-23796-01.dmp</td><td nowrap=\"\">03.03.2025 12:02:32</td>"
		       "<td nowrap=\"\">KMODE_EXCEPTION_NOT_HANDLED</td><td nowrap=\"\">0x0000001e</td><td>ffffffffc0000005</td>"
		       "<td>fffff8038162500f</td><td>ffff8e0fd7b9e4a8</td><td>ffff8e0fd7b9dc90</td><td>acmewfp.sys</td></tr></table></body></html>\n",
		       "0x1e", "0xffffffffc0000005", "0xfffff8038162500f", "0xffff8e0fd7b9e4a8", "0xffff8e0fd7b9dc90");
	str_is(c->analyses[0].caused_by, "acmewfp.sys");
	pm_case_free(c);
	/* WER in Italian: the event name, P1 the code, P2-P5 the arguments */
	c = expect_one("> Bucket errato 0x13A_acme!AcmeAlloc, tipo 0\n> Nome evento: BlueScreen\n> Firma problema:\n> P1: 13a\n"
		       "> P2: 6\n> P3: ffffc19040800000\n> P4: ffffc1904089e9e0\n> P5: 0\n> P6: 10_0_15002\n",
		       "0x13a", "0x6", "0xffffc19040800000", "0xffffc1904089e9e0", "0x0");
	str_is(c->analyses[0].failure_bucket, "0x13A_acme!AcmeAlloc");
	pm_case_free(c);
	/* a bucket on a line of its own */
	c = expect_one("0x9F_3_POWER_DOWN_WDF_WAIT_TIMEOUT_IMAGE_acme-dco.sys\n", "0x9f", NULL, NULL, NULL, NULL);
	culprit_is(c, "acme_dco", "bucket");
	pm_case_free(c);
	/* !analyze of a code it has no name for; bullets before Arg lines */
	c = expect_one("Unknown bugcheck code (1aa)\nUnknown bugcheck description\nArguments:\nArg1: 00000039d76edad0\n"
		       "Arg2: 0000000000000003\nArg3: ffffd680fd09e900\nArg4: fffffc03cd5b1598\n",
		       "0x1aa", "0x39d76edad0", "0x3", "0xffffd680fd09e900", "0xfffffc03cd5b1598");
	pm_case_free(c);
	c = expect_one("I got the following bugcheck:\n0xC4 bug check code\n\n- Arg1: 2000\n- Arg2: fffff801e7121c5d\n- Arg3: 0.\n"
		       "- Arg4: 4d4d4c43\n",
		       "0xc4", "0x2000", "0xfffff801e7121c5d", "0x0", "0x4d4d4c43");
	pm_case_free(c);
	/* values in backticks */
	c = expect_one("> The bugcheck was: `0x0000003b` (`0x0000000080000003`, `0xfffff806599ef1d0`, `0xfffffd09ca05e410`, `0x0000000000000000`).\n",
		       "0x3b", "0x80000003", "0xfffff806599ef1d0", "0xfffffd09ca05e410", "0x0");
	pm_case_free(c);
}

/* the cut last row of a truncated paste is no frame; a fence glued to
 * the header is no obstacle */
static void test_truncated_rows(void **state)
{
	(void)state;
	const char *t = "```DRIVER_IRQL_NOT_LESS_OR_EQUAL (d1)\n\nSTACK_TEXT:\n"
			"fffff803`3dd5f570 fffff801`4720c8c1 : ffffcf81`f12e0df0 00000000`00000001 fffff801`472257b0 00000000`00000000 : acme!AcmeInjectComplete+0x79\n"
			"fffff803`3dd5f5b0 fffff801`4720c402 : 00000000`00000000 ffffcf81`f12e0df0 fffff803`3dd5f750 fffff801`48176600 : fwpkclnt!FwppInjectComplete+0x79\n"
			"fffff803`3dd5f5f0 fffff801`4720c403 : 00000000`00000000 ffffcf81`f12e0df0 fffff803`3dd5f750 fffff801`48176600 : N";
	pm_case *c = extract(t);
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, "0xd1");
	assert_int_equal(c->analyses[0].nframes, 2);
	pm_case_free(c);
	const char *t2 = "STACK_TEXT:\n"
			 "ffffd984`4540f2d0 fffff803`6d72c1ac : ffffa987`0ee0b010 ffffa987`0ee0b010 ffffa987`0ee0b010 ffffa987`0ee0b3d0 : ACME!VfsUninitialize+0x28\n"
			 "ffffd984`4540f300 fffff803`6d72bb26 : ffffa987`0ee0b010 ffffa987`0ee0b010 ffffa987`0ee0b068 ffffa987`0ee0b010 : ACME!InstanceUninitialize+0x2b4\n"
			 "ffffd984`4540f460 fffff803`6d72bd62 : ffffa987`0ee0b010 00000000`00000000 00000000`00000000 ffffa9";
	c = extract(t2);
	assert_int_equal(c->nanalyses, 1);
	assert_int_equal(c->analyses[0].nframes, 2);
	culprit_is(c, "acme", NULL);
	pm_case_free(c);
}

/* one text, one dump, unless there is evidence of two */
static void test_segmentation(void **state)
{
	(void)state;
	static const char row_d1_as_a[] =
		"ffffd000`20a1f3c8 fffff801`0d3b2aa9 : 00000000`0000000a 00000000`00000027 00000000`00000002 00000000`00000001 : nt!KeBugCheckEx\n"
		"ffffd000`20a1f3d0 fffff801`0d3b12c0 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : nt!KiBugCheckDispatch+0x69\n"
		"ffffd000`20a1f510 fffff801`0f2a1111 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : nt!KiPageFault+0x440\n"
		"ffffd000`20a1f6a0 fffff801`0f2a2222 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : acme!AcmeInject+0x3c\n";
	/* the 0xd1 header over a KeBugCheckEx row that keeps the legacy 0xa */
	char *t = xasprintf("DRIVER_IRQL_NOT_LESS_OR_EQUAL (d1)\nArguments:\nArg1: 0000000000000027, memory referenced\n"
			    "Arg2: 0000000000000002, IRQL\nArg3: 0000000000000001, value 0 = read operation\n"
			    "Arg4: fffff80112345678, address\n\nSTACK_TEXT:\n%s",
			    row_d1_as_a);
	pm_case *c = extract(t);
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, "0xd1");
	assert_int_equal(c->analyses[0].nframes, 4);
	pm_case_free(c);
	free(t);
	/* a title that names a bugcheck yields to the dump's own code */
	t = xasprintf("# SYSTEM_SERVICE_EXCEPTION (3b)\n\nI see this on every boot:\n\nSTACK_TEXT:\n%s", row_d1_as_a);
	c = extract(t);
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, "0xa");
	pm_case_free(c);
	free(t);
	/* prose after a complete analysis explains it */
	t = xasprintf("BugCheck D1, {27, 2, 1, fffff80112345678}\n\nSTACK_TEXT:\n%s\n"
		      "A related bug check is 0x50 (PAGE_FAULT_IN_NONPAGED_AREA), which has other causes.\n",
		      row_d1_as_a);
	c = extract(t);
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, "0xd1");
	pm_case_free(c);
	free(t);
	/* a live session: the first row is DbgBreakPointWithStatus with a
	 * pointer as first argument; the code is the KeBugCheckEx row's */
	c = extract("STACK_TEXT:\n"
		    "ffffde02`23eb8a68 fffff803`5ff69712 : ffffde02`23eb8bd0 00000000`00000000 00000000`00000000 00000000`00000000 : nt!DbgBreakPointWithStatus\n"
		    "ffffde02`23eb8a70 fffff803`5ff68f81 : 00000000`00000003 00000000`00000000 00000000`00000000 00000000`00000000 : nt!KiBugCheckDebugBreak+0x12\n"
		    "ffffde02`23eb9230 fffff803`5fe604b5 : 00000000`0000007e ffffffff`c0000005 00000000`00000000 00000000`00000000 : nt!KeBugCheckEx+0x107\n"
		    "ffffde02`23eb9270 fffff803`5fdfa40f : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : acme!AcmeWorker+0x44\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, "0x7e");
	pm_case_free(c);
	/* a warning between two rows keeps the stack, and names the driver */
	c = extract("STACK_TEXT:\n"
		    "ffffd000`20a1f3c8 fffff801`0d3b2aa9 : 00000000`0000001e ffffffff`c0000005 00000000`00000000 00000000`00000000 : nt!KeBugCheckEx\n"
		    "ffffd000`20a1f510 fffff801`0f2a1111 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : nt!KiPageFault+0x440\n"
		    "*** WARNING: Unable to verify timestamp for acme-flt.sys\n"
		    "ffffd000`20a1f6a0 fffff801`0f2a2222 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : acme_flt+0x1a2b\n"
		    "ffffd000`20a1f6e0 fffff801`0f2a3333 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : fltmgr!FltpDispatch+0x1f\n");
	assert_int_equal(c->nanalyses, 1);
	assert_int_equal(c->analyses[0].nframes, 4);
	str_is(c->analyses[0].warned_image, "acme-flt.sys");
	pm_signature s;
	sig_build(&c->analyses[0], &s, NULL);
	str_is(s.culprit, "acme_flt");
	str_is(s.culprit_printed, "acme-flt.sys");
	assert_int_equal(s.nthird_party, 1);
	sig_clear(&s);
	pm_case_free(c);
	/* another thread's stack after the crashing one is context */
	t = xasprintf("BugCheck 7E, {ffffffffc0000005, fffff80112345678, ffffd000209be5f8, ffffd000209bde00}\n\nSTACK_TEXT:\n"
		      "ffffd000`20a1f3c8 fffff801`0d3b2aa9 : 00000000`0000007e ffffffff`c0000005 00000000`00000000 00000000`00000000 : nt!KeBugCheckEx\n"
		      "ffffd000`20a1f6a0 fffff801`0f2a2222 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : acme!AcmeWorker+0x3c\n"
		      "ffffd000`20a1f6e0 fffff801`0f2a3333 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : nt!PspSystemThreadStartup+0x55\n"
		      "\n0: kd> !mex.t ffffe0012345a080\n"
		      "ffffd000`21a1f3c8 fffff801`0d3b2aa9 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : nt!KiSwapContext+0x76\n"
		      "ffffd000`21a1f500 fffff801`0d3b12c0 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : nt!KeWaitForSingleObject+0x1ff\n"
		      "ffffd000`21a1f600 fffff801`0f2a1111 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : acmesvc!WaitForWork+0x40\n");
	c = extract(t);
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].frames[1].module, "acme");
	pm_case_free(c);
	free(t);
	/* rows from the middle of a k listing, without header; bare call sites */
	c = extract("07 ffff968a`ef821e90 fffff800`7345f1d1     nt!KiBreakpointTrap+0x35b\n"
		    "08 ffff968a`ef822020 fffff800`7347fc9f     AcmeFS!spl_panic+0x71 [C:\\src\\spl-err.c @ 87]\n"
		    "09 ffff968a`ef822080 fffff800`73480072     AcmeFS!spl_assert+0x3f [C:\\src\\debug.h @ 174]\n");
	assert_int_equal(c->nanalyses, 1);
	assert_int_equal(c->analyses[0].nframes, 3);
	pm_case_free(c);
	c = extract("STACK_TEXT:\nnt!KeBugCheckEx\nnt!MiCheckPteReserve+0x55\nAcmeUSB+0x2d09\nAcmeUSB+0x1366\nnt!IofCallDriver+0x55\n");
	assert_int_equal(c->nanalyses, 1);
	assert_int_equal(c->analyses[0].nframes, 5);
	pm_case_free(c);
	c = extract(" \tnt!KiPageFault+0x43d\tC/C++/ASM\n"
		    ">\tAcmeFS!fsDispatcher+0x1a77 [C:\\src\\vnops.c @ 7172] \tC/C++/ASM\n"
		    " \tAcmeFS!dispatcher+0x292 [C:\\src\\vnops.c @ 7400] \tC/C++/ASM\n");
	assert_int_equal(c->nanalyses, 1);
	assert_int_equal(c->analyses[0].nframes, 3);
	sig_build(&c->analyses[0], &s, NULL);
	str_is(s.culprit, "acmefs");
	str_is(s.culprit_function, "fsDispatcher");
	sig_clear(&s);
	pm_case_free(c);
}

/* The fields an analysis gives, as one string for comparison. */
static char *fields_of(const char *text, size_t len)
{
	pm_case *c = pm_case_new();
	windbg_extract(text, len, -1, c);
	sbuf sb = {0};
	sb_addf(&sb, "n=%zu", c->nanalyses);
	if (c->nanalyses) {
		pm_analysis *a = &c->analyses[0];
		pm_signature s;
		sig_build(a, &s, NULL);
		sb_addf(&sb, " code=%s args=%s,%s,%s,%s process=%s bucket=%s culprit=%s exc=%s", s.bugcheck ? s.bugcheck : "-",
			s.args[0] ? s.args[0] : "-", s.args[1] ? s.args[1] : "-", s.args[2] ? s.args[2] : "-",
			s.args[3] ? s.args[3] : "-", s.process ? s.process : "-", s.failure_bucket ? s.failure_bucket : "-",
			s.culprit ? s.culprit : "-", a->exception_code ? a->exception_code : "-");
		sig_clear(&s);
	}
	pm_case_free(c);
	return sb_detach(&sb);
}

/* text with every line transformed */
static char *each_line(const char *t, const char *pre, const char *post, int html)
{
	sbuf sb = {0};
	if (html)
		sb_adds(&sb, "<html><body><div>");
	while (*t) {
		size_t l = strcspn(t, "\n");
		sb_adds(&sb, pre);
		for (size_t i = 0; i < l; i++) {
			if (html && t[i] == '<')
				sb_adds(&sb, "&lt;");
			else if (html && t[i] == '>')
				sb_adds(&sb, "&gt;");
			else if (html && t[i] == '&')
				sb_adds(&sb, "&amp;");
			else if (html && t[i] == ' ' && i + 1 < l && t[i + 1] == ' ')
				sb_adds(&sb, "&nbsp;");
			else
				sb_addc(&sb, t[i]);
		}
		sb_adds(&sb, post);
		t += l;
		if (*t)
			t++;
	}
	if (html)
		sb_adds(&sb, "</div></body></html>");
	return sb_detach(&sb);
}

/* the text with lines longer than width broken at the last blank before it */
static char *wrap(const char *t, size_t width)
{
	sbuf sb = {0};
	size_t col = 0, last_blank = (size_t)-1;
	for (; *t; t++) {
		sb_addc(&sb, *t);
		if (*t == '\n') {
			col = 0;
			last_blank = (size_t)-1;
			continue;
		}
		if (*t == ' ')
			last_blank = sb.len - 1;
		if (++col > width && last_blank != (size_t)-1) {
			sb.buf[last_blank] = '\n';
			col = sb.len - 1 - last_blank;
			last_blank = (size_t)-1;
		}
	}
	return sb_detach(&sb);
}

/* mangled copies of each shape give the same fields as the clean text */
static void test_mangled(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"*** Fatal System Error: 0x000000d1\n                       (0xFFFFF8037ACA1FA0,0x00000000000000FF,0x0000000000000000,0xFFFFF8037ACA1FA0)\n\n"
		"Driver at fault: \n***       acme.sys - Address FFFFF8037ACA1FA0 base at FFFFF8037ACA0000, DateStamp 00000000\n",
		"The computer has rebooted from a bugcheck.  The bugcheck was: 0x00000050 (0xffffffffffffffe8, 0x0000000000000000, "
		"0xfffff802c8497c2f, 0x0000000000000000). A dump was saved in: C:\\Windows\\MEMORY.DMP.\n",
		"Faulting application name: notepad.exe, version: 10.0.19041.1, time stamp: 0x63ee6355\n"
		"Faulting module name: acmehook.dll, version: 1.2.3.4, time stamp: 0x317e0d0a\nException code: 0xc0000005\n",
		"SYMBOL_NAME:  acme!AcmeClassify+1c\n\nMODULE_NAME: acme\n\nIMAGE_NAME:  acme.sys\n\n"
		"PROCESS_NAME:  System\n\nFAILURE_BUCKET_ID:  X64_0xD1_acme!AcmeClassify+1c\n",
		"Bug Check String  : SYSTEM_SERVICE_EXCEPTION\nBug Check Code    : 0x0000003b\nParameter 1       : 00000000`c0000005\n"
		"Parameter 2       : fffff802`2246a129\nParameter 3       : ffff838f`47e25ec0\nParameter 4       : 00000000`00000000\n"
		"Caused By Driver  : acmefs.sys\n",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		char *clean = fields_of(texts[i], strlen(texts[i]));
		assert_null(strstr(clean, "n=0"));
		char *v[5];
		v[4] = wrap(texts[i], 72);                   /* wrapped at 72 columns */
		v[0] = each_line(texts[i], "", "\r\n", 0);  /* CRLF */
		v[1] = each_line(texts[i], "> ", "\n", 0);   /* quoted by a mail client */
		v[2] = each_line(texts[i], "", "<br>\n", 1); /* HTML-escaped */
		v[3] = each_line(texts[i], "    ", "  \n", 0); /* indented, trailing blanks */
		for (int k = 0; k < 5; k++) {
			char *got = fields_of(v[k], strlen(v[k]));
			if (strcmp(got, clean) != 0)
				fail_msg("variant %d of text %zu:\n  %s\nclean:\n  %s", k, i, got, clean);
			free(got);
			free(v[k]);
		}
		free(clean);
	}
}

static void test_shape_functions(void **state)
{
	(void)state;
	ws_span v, code, args[4];
	int na;
	assert_int_equal(ws_labelled("- Bug Check Code :     0x1000007e", 33, &v), WS_CODE);
	assert_int_equal(v.n, 10);
	assert_int_equal(ws_labelled("Parameter 3       : 0x00000000", 30, &v), WS_P3);
	assert_int_equal(ws_labelled("Version = 1.5.7", 15, &v), WS_NONE);
	assert_int_equal(ws_labelled("Code = 0xC0000005", 17, &v), WS_EXCEPTION);
	assert_int_equal(ws_labelled("Code: 3b", 8, &v), WS_WER_CODE);
	/* no code without a 0x or a bugcheck word */
	assert_false(ws_code_args("call 10 (1, 2, 3, 4)", 20, &code, args, &na));
	assert_true(ws_code_args("Bugcheck: D1 (1, 2, 3, 4)", 25, &code, args, &na));
	assert_int_equal(na, 4);
	assert_true(ws_code_args("0x3b (c0000005, fffff801`2a0f9c8, 0, acme!F+0x2f27)", 51, &code, args, &na));
	assert_int_equal(args[3].n, 13);
	unsigned long long c;
	assert_true(ws_bucket_code("X64_0xD1_acme!F+1c", &c) && c == 0xd1);
	assert_true(ws_bucket_code("km:x64_0x3b_acme!f", &c) && c == 0x3b);
	assert_true(ws_bucket_code("0x9F_3_POWER_DOWN_IMAGE_acme.sys", &c) && c == 0x9f);
	assert_false(ws_bucket_code("AV_acme!F", &c));
	ws_span nm;
	assert_true(ws_bugcheck_name("see SYSTEM_SERVICE_EXCEPTION here", 33, &c, &nm) && c == 0x3b);
	assert_false(ws_bugcheck_name("a FILE_SYSTEM error", 19, &c, &nm));
}

/* Kernel-Power event 41: BugcheckCode is decimal, the parameters hex; a
 * code 0 is a power loss, no bugcheck (public: windows-driver-docs issue
 * 1815, claude-code issue 30094) */
static void test_kernel_power(void **state)
{
	(void)state;
	pm_case *c = expect_one("  <EventData>\n    <Data Name=\"BugcheckCode\">209</Data>\n"
				"    <Data Name=\"BugcheckParameter1\">0x28</Data>\n"
				"    <Data Name=\"BugcheckParameter2\">0x2</Data>\n"
				"    <Data Name=\"BugcheckParameter3\">0x0</Data>\n"
				"    <Data Name=\"BugcheckParameter4\">0xfffff8012345abcd</Data>\n"
				"    <Data Name=\"SleepInProgress\">0</Data>\n  </EventData>\n",
				"0xd1", "0x28", "0x2", "0x0", "0xfffff8012345abcd");
	pm_case_free(c);
	/* Event Viewer's friendly view */
	c = expect_one("BugcheckCode 80\nBugcheckParameter1 0xffffe0012345f000\nBugcheckParameter2 0x0\n"
		       "BugcheckParameter3 0xfffff80123456789\nBugcheckParameter4 0x2\nSleepInProgress 0\n",
		       "0x50", "0xffffe0012345f000", "0x0", "0xfffff80123456789", "0x2");
	pm_case_free(c);
	c = extract("<Data Name=\"BugcheckCode\">0</Data>\n<Data Name=\"BugcheckParameter1\">0x0</Data>\n"
		    "<Data Name=\"SleepInProgress\">0</Data>\n");
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
	char *t = test_load("tests/data/public/msdocs-1815-1a-kernelpower-xml.txt", NULL);
	c = expect_one(t, "0x1a", "0x3470", "0xffffa603e09df000", "0xa6e9fbc8a2515bb0", "0xa669fbc8a2515bb0");
	pm_case_free(c);
	free(t);
}

/* user-mode crash reports: Visual Studio's exception messages and call
 * stack window, a debugger's exception event, Breakpad, Report.wer, WER
 * APPCRASH signatures and Application Error events in Russian, Spanish and
 * Chinese; the exception code is never a bugcheck */
static void test_user_mode_reports(void **state)
{
	(void)state;
	pm_case *c = extract("Exception thrown at 0x00007FFA12345678 (acmeui.dll) in AcmeApp.exe: 0xC0000005: "
			     "Access violation reading location 0x0000000000000000.\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, NULL);
	str_is(c->analyses[0].exception_code, "0xc0000005");
	str_is(c->analyses[0].process, "AcmeApp.exe");
	str_is(c->analyses[0].caused_by, "acmeui.dll");
	pm_case_free(c);
	c = extract("Unhandled exception at 0x7728EDBB (ucrtbase.dll) in Acme.exe: Fatal program exit requested.\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].exception_code, NULL);
	str_is(c->analyses[0].process, "Acme.exe");
	str_is(c->analyses[0].caused_by, "ucrtbase.dll");
	pm_case_free(c);
	/* the call stack window: parameter lists with spaces, line and
	 * language columns, the current frame marked '>' */
	c = extract(" \tacmehook.dll!FindCode(void * pCode=0x006ee830) Line 433\tC++\n"
		    ">\tacmehook.dll!PatchImport(HINSTANCE__ * mod=0x00ea0000, entry_t * e=0x0b736108) Line 551\tC++\n"
		    " \tacmehook.dll!Attach() Line 885\tC++\n"
		    "  mscorlib.dll!System.Threading.Tasks.Task.Execute() Unknown\n");
	assert_int_equal(c->nanalyses, 1);
	assert_int_equal(c->analyses[0].nframes, 4);
	str_is(c->analyses[0].frames[1].function, "PatchImport");
	pm_signature sg;
	sig_build(&c->analyses[0], &sg, NULL);
	str_is(sg.culprit, "acmehook");
	sig_clear(&sg);
	pm_case_free(c);
	/* a debugger's exception event; the break of an attach is none */
	c = extract("(27fc.2858): CLR exception - code e0434352 (first/second chance not available)\n"
		    "0:000> k\n # Child-SP          RetAddr           Call Site\n"
		    "00 0000003b`2df5d990 00007ffe`8b11788d KERNELBASE!RaiseException+0x68\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].exception_code, "0xe0434352");
	pm_case_free(c);
	c = extract("(1f00.2a4c): Break instruction exception - code 80000003 (first chance)\n");
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
	/* Breakpad: the crash reason by name, frame 0 of the crashed thread */
	c = extract("Crash reason:  EXCEPTION_ACCESS_VIOLATION_READ\nCrash address: 0x1\n\n"
		    "Thread 0 (crashed)\n 0  acme.exe + 0x27896\n    eip = 0x00427896   esp = 0x0028d7c0\n"
		    " 1  Qt5Widgets.dll + 0xb19a\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].exception_code, "0xc0000005");
	str_is(c->analyses[0].caused_by, "acme.exe");
	pm_case_free(c);
	/* Report.wer's Sig[N].Name / Sig[N].Value pairs */
	c = extract("EventType=APPCRASH\nSig[0].Name=Application Name\nSig[0].Value=AcmeApp.exe\n"
		    "Sig[3].Name=Fault Module Name\nSig[3].Value=KERNELBASE.dll\n"
		    "Sig[6].Name=Exception Code\nSig[6].Value=c06d007e\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "AcmeApp.exe");
	str_is(c->analyses[0].caused_by, "KERNELBASE.dll");
	str_is(c->analyses[0].exception_code, "0xc06d007e");
	pm_case_free(c);
	/* WER's APPCRASH signature as P1..P8 (P4 a stack hash names no module) */
	c = extract("Event Name: APPCRASH\nResponse: Not available\n\nProblem signature:\nP1: acme.exe\n"
		    "P2: 1.0.0.0\nP3: 5f26b9be\nP4: StackHash_f939\nP5: 10.0.19041.388\nP6: ccb63ea1\nP7: c000041d\n"
		    "P8: 0003508b\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, NULL);
	str_is(c->analyses[0].process, "acme.exe");
	str_is(c->analyses[0].caused_by, NULL);
	str_is(c->analyses[0].exception_code, "0xc000041d");
	pm_case_free(c);
	/* Windows XP's Application Error event, one sentence */
	c = extract("Faulting application acme.exe, version 1.0.0.0, faulting module acmehook.dll, version 1.0.0.1, "
		    "fault address 0x0001e8f4.\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "acme.exe");
	str_is(c->analyses[0].caused_by, "acmehook.dll");
	pm_case_free(c);
	/* Russian, a tab-separated WER signature whose application name has
	 * spaces; Spanish and Chinese Application Error events */
	c = extract("  Имя события проблемы:\tAPPCRASH\n  Имя приложения:\tAcme Deck 2.exe\n"
		    "  Имя модуля с ошибкой:\tKERNELBASE.dll\n  Код исключения:\te0434352\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "Acme Deck 2.exe");
	str_is(c->analyses[0].caused_by, "KERNELBASE.dll");
	str_is(c->analyses[0].exception_code, "0xe0434352");
	pm_case_free(c);
	c = extract("Nombre de la aplicación con errores: acme.exe, versión: 1.0.0.0, marca de tiempo: 0x5c57bd17\n"
		    "Nombre del módulo con errores: ntdll.dll, versión: 10.0.19041.1, marca de tiempo: 0x00000000\n"
		    "Código de excepción: 0xc0000374\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "acme.exe");
	str_is(c->analyses[0].caused_by, "ntdll.dll");
	str_is(c->analyses[0].exception_code, "0xc0000374");
	pm_case_free(c);
	c = extract("错误应用程序名称: acme.exe，版本: 1.0.0.0，时间戳: 0x5c57bd17\n"
		    "错误模块名称: acmehook.dll，版本: 1.0.0.0，时间戳: 0x5c57bd17\n异常代码: 0xc0000005\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "acme.exe");
	str_is(c->analyses[0].caused_by, "acmehook.dll");
	pm_case_free(c);
}

/* a BlueScreenView row glued to its 30 column headers, tabs flattened to
 * spaces (public: SoftEtherVPN issue 517) */
static void test_bsv_flattened_headers(void **state)
{
	(void)state;
	char *t = test_load("tests/data/public/softether-517-3b-bsv-flattened.txt", NULL);
	pm_case *c = expect_one(t, "0x3b", "0xc0000005", "0x0", "0xffff9d81fd47e440", "0x0");
	str_is(c->analyses[0].caused_by, "ntoskrnl.exe");
	pm_case_free(c);
	free(t);
}

/* "Blue Screen of Death" before the code, also glued to it (public:
 * windows-driver-docs issue 585's title); "deathly" is no such word */
static void test_prose_blue_screen_of_death(void **state)
{
	(void)state;
	pm_case *c = expect_one("Blue Screen of Death0x000000c2\n", "0xc2", NULL, NULL, NULL, NULL);
	pm_case_free(c);
	c = expect_one("Blue Screen of Death 0x0000007E after the update\n", "0x7e", NULL, NULL, NULL, NULL);
	pm_case_free(c);
	c = extract("a blue screen of deathly slow boots, then 0x50\n");
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
	/* a documented code a few words after a blue screen word, in several
	 * languages; not past the clause, not an undocumented value */
	static const struct {
		const char *text, *code;
	} near[] = {
		{"Getting blue screens (0x000000D1) in acmewlan.sys\n", "0xd1"},
		{"BSOD with code 0xc000021a after the update\n", "0xc000021a"},
		{"Синий экран с кодом 0x0000007E после установки\n", "0x7e"},
		{"蓝屏代码 0x0000007E\n", "0x7e"},
		{"Bluescreen 0x0000003B beim Start\n", "0x3b"},
		{"after the BSOD I ran sfc, it returned 0x00000005\n", NULL},
		{"no BSOD, but the app crashes with 0xc0000005 in acme.dll\n", NULL},
		{"BSOD on boot, firmware 0x00000123 was flashed\n", NULL},
	};
	for (size_t i = 0; i < sizeof near / sizeof near[0]; i++) {
		c = extract(near[i].text);
		if (!near[i].code) {
			if (c->nanalyses)
				fail_msg("read %s in: %s", c->analyses[0].bugcheck_code, near[i].text);
		} else {
			assert_int_equal(c->nanalyses, 1);
			str_is(c->analyses[0].bugcheck_code, near[i].code);
		}
		pm_case_free(c);
	}
}

/* one paste, one analysis: the !analyze -v a live session runs after its
 * "*** Fatal System Error", cut before the header's arguments (public:
 * HyperDbg issue 28); a note after a bare frame does not end the stack
 * (public: claude-code issue 92779) */
static void test_one_paste_not_split(void **state)
{
	(void)state;
	pm_case *c = expect_one("*** Fatal System Error: 0x00000139\n"
				"                       (0x0000000000000004,0xFFFFDE80B17F9510,0xFFFFDE80B17F9468,0x0000000000000000)\n\n"
				"Break instruction exception - code 80000003 (first chance)\n\n"
				"1: kd> !analyze -v\n"
				"*******************************************************************************\n"
				"*                        Bugcheck Analysis                                    *\n"
				"*******************************************************************************\n\n"
				"KERNEL_SECURITY_CHECK_FAILURE (139)\nA kernel component has corrupte\n",
				"0x139", "0x4", "0xffffde80b17f9510", "0xffffde80b17f9468", "0x0");
	str_is(c->analyses[0].bugcheck_name, "KERNEL_SECURITY_CHECK_FAILURE");
	pm_case_free(c);
	/* another code after the fatal error is another crash */
	c = extract("*** Fatal System Error: 0x0000000a\n (0x1,0x2,0x0,0xfffff80112345678)\n\n"
		    "DRIVER_IRQL_NOT_LESS_OR_EQUAL (d1)\nArguments:\nArg1: 0000000000000028, memory referenced\n");
	assert_int_equal(c->nanalyses, 2);
	pm_case_free(c);
	/* an unnumbered inline row in a STACK_TEXT (public: System Informer
	 * issue 2815); a note under a numbered row (public: WinFsp issue 578) */
	c = extract("00000092`a26ff9a0 00007ff6`040b8ef6     : ffffffff`ffffffff 00000092`a26ffb10 00000000`00000000 "
		    "00000000`00000000 : AcmeApp!MainLoop+0x126\n"
		    "(Inline Function) --------`--------     : --------`-------- --------`-------- --------`-------- "
		    "--------`-------- : AcmeApp!invoke_main+0x21\n"
		    "00000092`a26ffbd0 00007ff9`05fce8d7     : 00000000`00000000 00000000`00000000 00000000`00000000 "
		    "00000000`00000000 : AcmeApp!__scrt_common_main_seh+0x106\n");
	assert_int_equal(c->nanalyses, 1);
	assert_int_equal(c->analyses[0].nframes, 3);
	assert_true(c->analyses[0].frames[1].is_inline);
	pm_case_free(c);
	c = extract("00 fffff806`7374227d     : ffffba8c`3d156da0 ffffcd85`00000000 00000000`00000000 00000000`00000000 : "
		    "nt!FsRtlpOplockDequeueRH+0x15\n"
		    "01 fffff806`d0db70d7     : ffffba8c`3bda56c0 ffffba8c`3d156da0 ffffba8c`3d156da0 01000000`00100000 : "
		    "acmefs+0x170d7\n"
		    "  =>\tAcmeNodeDelete(NODE *Node) -> FsRtlUninitializeOplock(...);\n"
		    "02 ffffba8c`3d156da0     : ffffba8c`3d156da0 01000000`00100000 ffffcd85`dd31ea20 fffff806`d0daf475 : "
		    "acmefs+0x9f475\n");
	assert_int_equal(c->nanalyses, 1);
	assert_int_equal(c->analyses[0].nframes, 3);
	pm_case_free(c);
	c = extract("acmeflt.sys+0xd5c0\nacmeflt.sys+0x2848e\nntoskrnl.exe+0x3f3b05\n"
		    "acmeflt.sys+0x27094      <-- faulting instruction\nacmeflt.sys+0x9998\nFLTMGR.SYS+0xbc98\n");
	assert_int_equal(c->nanalyses, 1);
	assert_int_equal(c->analyses[0].nframes, 6);
	pm_case_free(c);
}

/* WhoCrashed lists several crashes, each opened by "crash dump file:":
 * one analysis each, the "probably caused by" line (before the code) its
 * own; the dump named by its file name */
static void test_whocrashed_blocks(void **state)
{
	(void)state;
	pm_case *c = extract("On Sat 01.01.2022 10:00:00 your computer crashed or a problem was reported\n"
			     "crash dump file: C:\\Windows\\Minidump\\010122-12345-01.dmp\n"
			     "This was probably caused by the following module: acmenet.sys (acmenet+0x1a2b)\n"
			     "Bugcheck code: 0xD1 (0x0, 0x2, 0x0, 0xFFFFF8012345A2B0)\nError: DRIVER_IRQL_NOT_LESS_OR_EQUAL\n\n"
			     "On Fri 31.12.2021 09:00:00 your computer crashed or a problem was reported\n"
			     "crash dump file: C:\\Windows\\Minidump\\123121-9876-01.dmp\n"
			     "This was probably caused by the following module: acmestor.sys (acmestor+0x3f5e)\n"
			     "Bugcheck code: 0x133 (0x1, 0x1E00, 0xFFFFF8016A2FB320, 0x0)\nError: DPC_WATCHDOG_VIOLATION\n");
	assert_int_equal(c->nanalyses, 2);
	str_is(c->analyses[0].dump_name, "010122-12345-01.dmp");
	str_is(c->analyses[0].bugcheck_code, "0xd1");
	str_is(c->analyses[1].bugcheck_code, "0x133");
	assert_non_null(c->analyses[1].caused_by);
	assert_non_null(strstr(c->analyses[1].caused_by, "acmestor.sys"));
	pm_case_free(c);
}

/* BlueScreenView's fields retyped with the four parameters on one line
 * (public: WinBtrfs issue 80); a boot loader's "Error code: 0xc0000098"
 * is a status, no stop code, and the driver file its screen names is
 * the driver at fault (public: tiny11builder issue 340) */
static void test_params_line_and_boot_error(void **state)
{
	(void)state;
	pm_case *c = expect_one("Bug check code : 0x1000007e\t\nParameters : ffffffff`c0000005\t, fffff800`02099054 , "
				"fffff880`02d55328 , fffff880`02d54b90\t\nCaused by driver : acmefs.sys\t\n",
				"0x1000007e", "0xffffffffc0000005", "0xfffff80002099054", "0xfffff88002d55328",
				"0xfffff88002d54b90");
	str_is(c->analyses[0].caused_by, "acmefs.sys");
	pm_case_free(c);
	/* ... but the driver file the screen names is the driver at fault:
	 * one analysis, no bugcheck */
	char *t = test_load("tests/data/public/tiny11-340-c0000098-boot-error.txt", NULL);
	c = extract(t);
	free(t);
	assert_int_equal(c->nanalyses, 1);
	assert_null(c->analyses[0].bugcheck_code);
	str_is(c->analyses[0].caused_by, "iaStorV.sys");
	culprit_is(c, "iastorv", NULL);
	pm_case_free(c);
	/* Windows Boot Manager's "Status:" after the file; a file that is no
	 * driver, or a "File:" line with no status after it, is none */
	c = extract("Windows failed to start.\n\nFile: \\Windows\\system32\\drivers\\acmestor.sys\n\n"
		    "Status: 0xc000000f\n\nInfo: The operating system couldn't be loaded\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].caused_by, "acmestor.sys");
	pm_case_free(c);
	c = extract("File: \\Windows\\system32\\winload.exe\nStatus: 0xc000000e\n");
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
	c = extract("File: \\Windows\\system32\\drivers\\acmestor.sys\nsize: 120 KB\n");
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
	/* a documented status bug check after "error code" still is one */
	c = expect_one("BSOD error code: 0xc000021a\n", "0xc000021a", NULL, NULL, NULL, NULL);
	pm_case_free(c);
	c = expect_one("error code 0x0000007e on boot\n", "0x7e", NULL, NULL, NULL, NULL);
	pm_case_free(c);
}

/* Held-out texts of 2026-12-07 (tests/data/public/SOURCES.md): a live
 * session's blank "Driver at fault" names no module (PageTable 3); a
 * BUGCHECK_Pn with a comment after its value keeps the value (usbip-win2
 * 156); DumpStack.log's "#BugCheckCode"/"#BugCheckPn" lines are a
 * bugcheck (LiveCloudKd 16); prose that blames a driver file for a crash
 * is an analysis naming it when the text has no other (Arsenal Image
 * Mounter 10, System Informer 2887), prose that blames no file is none;
 * a stop code's name in lower case is read */
static void test_heldout_shapes(void **state)
{
	(void)state;
	char *t = test_load("tests/data/public/pagetable-3-50-fatal-blank-driver.txt", NULL);
	pm_case *c = extract(t);
	free(t);
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, "0x50");
	assert_null(c->analyses[0].caused_by);
	assert_int_equal(c->analyses[0].nmodules, 0);
	pm_case_free(c);

	t = test_load("tests/data/public/usbipwin2-156-d1-commented-fields.txt", NULL);
	c = extract(t);
	free(t);
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].args[0], "0xffff9885efd17b50");
	str_is(c->analyses[0].args[1], "0x2");
	str_is(c->analyses[0].args[2], "0x0");
	str_is(c->analyses[0].args[3], "0xfffff80651f5cdd2");
	pm_case_free(c);

	t = test_load("tests/data/public/livecloudkd-16-3b-dumpstack-log.txt", NULL);
	c = extract(t);
	free(t);
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, "0x3b");
	str_is(c->analyses[0].args[0], "0xc0000005");
	str_is(c->analyses[0].args[3], "0x0");
	pm_case_free(c);

	t = test_load("tests/data/public/systeminformer-2887-prose-culprit.txt", NULL);
	c = extract(t);
	free(t);
	assert_int_equal(c->nanalyses, 1);
	assert_null(c->analyses[0].bugcheck_code);
	str_is(c->analyses[0].prose_images, "SystemInformer.sys");
	pm_signature sg;
	sig_build(&c->analyses[0], &sg, NULL);
	str_is(sg.culprit, "systeminformer");
	sig_clear(&sg);
	pm_case_free(c);
	t = test_load("tests/data/public/arsenal-10-prose-irq.txt", NULL);
	c = extract(t);
	free(t);
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].prose_images, "phdskmnt.sys");
	pm_case_free(c);
	c = extract("the crash was caused by a loose cable, the x.sys docs say\n");
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
	c = extract("the slow start is caused by foo.sys, the installer says\n");
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);

	c = extract("after the update I get irql not less or equal every morning\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, "0xa");
	pm_case_free(c);
	c = extract("IRQL not less or equal\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, "0xa");
	pm_case_free(c);
}

/* Held-out user-mode texts of 2026-12-07: a field line in Markdown bold
 * (grepWin 333); the heap manager's "Critical error detected c0000374",
 * whose six reporting frames are skipped so the program leads (TotalPE2
 * 4); "Access violation - code c0000005" as an issue's title, without the
 * debugger's "(pid.tid): " (System Informer 2369); an Application
 * Verifier stop, "APPLICATION_VERIFIER_..._STAMP (10)", is no bug check
 * 0x10 and its reporting frame verifier!VerifierStopMessage no culprit
 * (clink 283) */
static void test_heldout_user_mode(void **state)
{
	(void)state;
	char *t = test_load("tests/data/public/grepwin-333-apperror-bold-heap.txt", NULL);
	pm_case *c = extract(t);
	free(t);
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].exception_code, "0xc0000374");
	pm_case_free(c);

	t = test_load("tests/data/public/totalpe2-4-k-heap-critical.txt", NULL);
	c = extract(t);
	free(t);
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].exception_code, "0xc0000374");
	pm_signature sg;
	sig_build(&c->analyses[0], &sg, NULL);
	str_is(sg.culprit, "totalpe");
	const sig_frame *f0 = NULL;
	for (size_t i = 0; i < sg.nframes && !f0; i++)
		if (!sg.frames[i].skip)
			f0 = &sg.frames[i];
	assert_non_null(f0);
	str_is(f0->key, "ntdll!RtlpFreeHeapInternal");
	sig_clear(&sg);
	pm_case_free(c);

	t = test_load("tests/data/public/systeminformer-2369-user-analyze-keyvalues.txt", NULL);
	c = extract(t);
	free(t);
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].exception_code, "0xc0000005");
	pm_case_free(c);
	c = extract("the Access violation - code was in my notes\n");
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);

	t = test_load("tests/data/public/clink-283-user-verifier-heap.txt", NULL);
	c = extract(t);
	free(t);
	assert_int_equal(c->nanalyses, 1);
	assert_null(c->analyses[0].bugcheck_code);
	sig_build(&c->analyses[0], &sg, NULL);
	assert_true(sg.culprit == NULL || strcmp(sg.culprit, "verifier") != 0);
	sig_clear(&sg);
	pm_case_free(c);
}

/* One line for many fields (held-out, 2026-12-07): a WER problem
 * signature a page joined into one line is cut at each of its labels
 * (Symantec's article on explorer.exe in msvcrt.dll); a failure bucket
 * inside a title's sentence is read (Intel graphics issue 786) */
/* A stack cut after its first row: one kv row right under STACK_TEXT: is a
 * dump's stack (Dokan 989); the same row with no header, or a header over
 * a bare name, is not evidence enough. */
static void test_one_row_stack(void **state)
{
	(void)state;
	char *t = test_load("tests/data/public/dokany-989-stack-source-block.txt", NULL);
	pm_case *c = extract(t);
	free(t);
	assert_int_equal(c->nanalyses, 1);
	assert_int_equal(c->analyses[0].nframes, 1);
	str_is(c->analyses[0].frames[0].module, "dokan1");
	str_is(c->analyses[0].frames[0].function, "DokanCompleteDirectoryControl");
	str_is(c->analyses[0].frames[0].offset, "0x16b");
	pm_case_free(c);
	const char *row = "ffff908f`36cb5550 fffff800`5272ad4d     : ffffba84`3ca2da00 ffffba84`3c33c040 "
			  "00000000`00000002 fffff800`53b1b000 : acme!AcmeRead+0x16b\n";
	char buf[512];
	snprintf(buf, sizeof buf, "STACK_TEXT:  \n%s", row);
	c = extract(buf);
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].frames[0].module, "acme");
	pm_case_free(c);
	/* no header: one row quoted in prose */
	snprintf(buf, sizeof buf, "It crashed here:\n%s", row);
	c = extract(buf);
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
	/* a header over a bare symbol, no stack row */
	c = extract("STACK_TEXT:\nacme!AcmeRead+0x16b\n");
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
}

/* Shapes of the second held-out set (tests/data/public/SOURCES.md):
 * Japanese event labels and full-width punctuation, Windows NT's STOP
 * screen, a name between a code and its arguments, "0×" typed for "0x",
 * "error code - 0x...". */
static pm_case *load_extract(const char *name)
{
	char path[256];
	snprintf(path, sizeof path, "tests/data/public/%s", name);
	char *t = test_load(path, NULL);
	pm_case *c = extract(t);
	free(t);
	return c;
}

static void test_heldout2_shapes(void **state)
{
	(void)state;
	pm_case *c = load_extract("jpdscore-apperror-ja-msvcr120-409.txt");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "ConsoleApplication7.exe");
	str_is(c->analyses[0].caused_by, "MSVCR120.dll");
	str_is(c->analyses[0].exception_code, "0xc0000409");
	assert_int_equal(c->analyses[0].nframes, 1);
	str_is(c->analyses[0].frames[0].offset, "0x6dd27");
	pm_case_free(c);
	/* WhoCrashed in Japanese: "：" and "、", its Google link text */
	c = load_extract("system2wiki-75109-139-whocrashed-ja-a.txt");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, "0x139");
	str_is(c->analyses[0].args[1], "0xffffd0002514a5a0");
	str_is(c->analyses[0].args[3], "0x0");
	str_is(c->analyses[0].caused_by, "ntoskrnl.exe(nt + 0x14F4D0)");
	pm_case_free(c);
	c = load_extract("mskb-234765-4e-stop-cdm.txt");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, "0x4e");
	str_is(c->analyses[0].args[0], "0x7");
	str_is(c->analyses[0].args[1], "0xe32");
	pm_case_free(c);
	c = load_extract("csdnbbs-20308405-d1-stop-zeros.txt");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, "0xd1");
	str_is(c->analyses[0].args[3], "0x0");
	pm_case_free(c);
	c = load_extract("giancarlo-7e-stop-screen-it-times.txt");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, "0x7e");
	pm_case_free(c);
	c = load_extract("ghelper-1097-13a-prose.txt");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, "0x13a");
	pm_case_free(c);
	/* !errrec's "Notify Type : Machine Check Exception" under a 0x124
	 * with its four arguments explains it: no second analysis */
	c = load_extract("bsoddebugging-124-bugcheck-errrec.txt");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, "0x124");
	pm_case_free(c);
	/* a k listing in <pre> with rows in <b>: one stack, no tag in a frame */
	c = load_extract("docker-4848-k-bindflt-html.txt");
	assert_int_equal(c->nanalyses, 1);
	int seen = 0;
	for (size_t i = 0; i < c->analyses[0].nframes; i++) {
		const pm_frame *f = &c->analyses[0].frames[i];
		assert_null(f->function && strchr(f->function, '<') ? f->function : NULL);
		seen |= f->module && strcmp(f->module, "bindflt") == 0;
	}
	assert_true(seen);
	pm_case_free(c);
	/* WinDbg's (new) call stack window, copied */
	c = load_extract("btrfs-604-windbgx-callstack.txt");
	assert_int_equal(c->nanalyses, 1);
	assert_true(c->analyses[0].nframes >= 7);
	str_is(c->analyses[0].frames[4].module, "btrfs");
	str_is(c->analyses[0].frames[4].function, "RtlFailFast");
	str_is(c->analyses[0].frames[4].offset, "0x5");
	pm_case_free(c);
	c = extract("[0x0] is the first item\n[0x1]   see the list below 0x10 0x20\n");
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
	/* "STOP: c000021a" without 0x; German prose "Fehler-Code 0x00000116";
	 * a header inside a line an editor flattened */
	c = load_extract("sophoskb-109295-c000021a-prose-winlogon.txt");
	assert_true(c->nanalyses >= 1);
	str_is(c->analyses[0].bugcheck_code, "0xc000021a");
	pm_case_free(c);
	c = load_extract("borncity-116-prose-de.txt");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, "0x116");
	pm_case_free(c);
	c = load_extract("mikemstech-3b-analyze-flat.txt");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, "0x3b");
	str_is(c->analyses[0].args[0], "0xc0000005");
	pm_case_free(c);
	c = extract("STOP: 12345678 is not a code\nThe Fehlercode 0xc0000098 of the boot loader\n");
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
	/* a driver prose blames: "related to CLASSPNP.SYS", "SeLow_x64.sys BSOD" */
	c = load_extract("ventoy-1980-prose-classpnp.txt");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].prose_images, "CLASSPNP.SYS");
	pm_case_free(c);
	c = load_extract("softether-316-prose-same-here.txt");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].prose_images, "SeLow_x64.sys");
	pm_case_free(c);
	c = extract("The acme.sys driver is related to networking; acme.sys crashes nothing here.\n");
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
	/* not these: a colon after a stop word with words after it, a time,
	 * a product of numbers */
	c = extract("STOP 0000000a : see the log below\nThe job will stop: 12:30 today\nA 0×0 grid of 3×4 cells.\n");
	for (size_t i = 0; i < c->nanalyses; i++)
		assert_null(c->analyses[i].args[0]);
	pm_case_free(c);
}

/* WER's problem signatures beyond APPCRASH (the second held-out set):
 * CLR20r3 as "Problem Signature NN" in four languages, BEX64 whose P7 is
 * the offset and P8 the code, Report.wer's Sig[N] and Response.BucketId,
 * a signed fault bucket, WER's StackHash stand-in; the .NET Runtime's
 * events in Event XML, as a CSV row and as event 1023; Vista's one
 * sentence */
static void test_heldout2_user_mode(void **state)
{
	(void)state;
	static const struct {
		const char *file, *process, *module;
	} clr[] = {{"cartographer-3-clr20r3-launcher.txt", "h2online (1).exe", "mscorlib"},
		   {"futtoolkit-179-clr20r3-fr.txt", "FUT16.exe", "Newtonsoft.Json"},
		   {"sharex-1-clr20r3-de-quoted.txt", "sharex.exe", "mscorlib"},
		   {"gistintime-6-clr20r3-zh.txt", "gistintime.exe", "PresentationCore"}};
	for (size_t i = 0; i < sizeof clr / sizeof clr[0]; i++) {
		pm_case *c = load_extract(clr[i].file);
		assert_int_equal(c->nanalyses, 1);
		str_is(c->analyses[0].process, clr[i].process);
		str_is(c->analyses[0].caused_by, clr[i].module);
		pm_case_free(c);
	}
	pm_case *c = load_extract("qbittorrent-9865-wer-bex64.txt");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "qbittorrent.exe");
	str_is(c->analyses[0].exception_code, "0xc0000409");
	str_is(c->analyses[0].failure_bucket, "1402896119232875282");
	assert_int_equal(c->analyses[0].nframes, 1);
	str_is(c->analyses[0].frames[0].offset, "0x9ece0");
	pm_case_free(c);
	c = load_extract("aspnetcore-6834-wer-bex64-reportwer.txt");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "w3wp.exe");
	str_is(c->analyses[0].caused_by, "ucrtbase.dll");
	str_is(c->analyses[0].exception_code, "0xc0000409");
	str_is(c->analyses[0].failure_bucket, "14dcba96117898c96cf93f6cddc9dcf5");
	pm_case_free(c);
	c = load_extract("cartographer-11-apperror-wer-halo2.txt");
	str_is(c->analyses[0].failure_bucket, "-1130033585");
	pm_case_free(c);
	c = load_extract("chaoticrage-25-bex-stackhash.txt");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].caused_by, NULL);
	assert_int_equal(c->analyses[0].nmodules, 0);
	pm_case_free(c);
	c = load_extract("winjump-22-dotnet-eventxml.txt");
	str_is(c->analyses[0].process, "WinJump.exe");
	pm_case_free(c);
	c = load_extract("winjump-22-dotnet-flattened-quote.txt");
	str_is(c->analyses[0].process, "WinJump.exe");
	pm_case_free(c);
	c = load_extract("so-23292547-dotnet-apperror-interleaved.txt");
	str_is(c->analyses[0].process, "MyApp.exe");
	pm_case_free(c);
	c = load_extract("unigetui-2056-dotnet-1023-internal.txt");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "WingetUI.exe");
	str_is(c->analyses[0].exception_code, "0x80131506");
	pm_case_free(c);
	c = load_extract("tessblog-w3wp-apperror-2008-e053534f.txt");
	str_is(c->analyses[0].exception_code, "0xe053534f");
	str_is(c->analyses[0].frames[0].offset, "0x442eb");
	pm_case_free(c);
	/* ASP.NET's event 5000: the signature on one line */
	c = load_extract("corymathews-clr20r3-w3wp-event5000.txt");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "w3wp.exe");
	pm_case_free(c);
	c = load_extract("so-10335082-clr20r3-eventtype-line.txt");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].caused_by, "mscorlib");
	pm_case_free(c);
	/* MiniDumper's summary */
	c = load_extract("qbittorrent-16854-1e-minidumper-ru.txt");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "qbittorrent.exe");
	str_is(c->analyses[0].caused_by, "vsdatant.sys");
	pm_case_free(c);
	/* Windows' crash dialog */
	c = load_extract("vbforums-240532-outlook-apperror-dialog.txt");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "OUTLOOK.EXE");
	str_is(c->analyses[0].exception_code, "0xc0000005");
	pm_case_free(c);
	/* not these: a P line outside a signature, "Log Name: Application"
	 * (a value, not the label), a CSV row with no label in it */
	c = extract("P4: acme.dll\nLog Name: Application Source: Application Popup Date: today\n"
		    "1/1/2020;\"Info\";\"Service\";\"7036\";\"The service entered the running state\"\n");
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
}

/* Shapes of the third held-out set (tests/data/public/SOURCES.md): a label
 * without its colon (French Application Error, WER's "AppName x.exe"
 * fields), Spanish CLR20r3, Markdown italic, BlueScreen fields retyped on
 * one line, the event log's 1003 line, KeBugCheck2's code on a 32-bit
 * stack, a bucket quoted in a sentence, "a 0x3B stop code", a virtual
 * machine's crash MSRs, the XP dialog's exception, .lastevent, ASP.NET's
 * signature wrapped over lines */
static void test_heldout3_shapes(void **state)
{
	(void)state;
	pm_case *c = load_extract("modrinth-571-apperror-fr.txt");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "Modrinth App.exe");
	str_is(c->analyses[0].exception_code, "0xc0000409");
	pm_case_free(c);
	c = load_extract("terminal-17486-wer-fields-quoted.txt");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "WindowsTerminal.exe");
	str_is(c->analyses[0].caused_by, "ucrtbase.dll");
	str_is(c->analyses[0].exception_code, "0xc0000409");
	str_is(c->analyses[0].frames[0].offset, "0xa514e");
	pm_case_free(c);
	c = load_extract("filegrab-3-clr20r3-es.txt");
	str_is(c->analyses[0].process, "filegrab_v0.1.exe");
	str_is(c->analyses[0].caused_by, "mscorlib");
	pm_case_free(c);
	c = load_extract("beotm-20-apperror-italic.txt");
	str_is(c->analyses[0].process, "beotm.exe");
	pm_case_free(c);
	c = load_extract("betaarchive-891722-7f-bccode-sig.txt");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, "0x7f");
	str_is(c->analyses[0].args[1], "0x80042000");
	str_is(c->analyses[0].args[3], "0x0");
	pm_case_free(c);
	c = load_extract("experts-exchange-21673962-7f-event1003.txt");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, "0x7f");
	str_is(c->analyses[0].args[3], "0x0");
	pm_case_free(c);
	c = load_extract("ddimon-24-7f-k-stack-x86.txt");
	str_is(c->analyses[0].bugcheck_code, "0x7f");
	pm_case_free(c);
	c = load_extract("vanguard-64-3b-prose-bucket.txt");
	str_is(c->analyses[0].bugcheck_code, "0x3b");
	str_is(c->analyses[0].failure_bucket, "AV_vgk!unknown_function");
	pm_case_free(c);
	c = load_extract("broadcom-438785-symevnt-3b-prose.txt");
	str_is(c->analyses[0].bugcheck_code, "0x3b");
	pm_case_free(c);
	c = load_extract("techgens-winbsod-80-vmwarelog.txt");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, "0x80");
	str_is(c->analyses[0].args[0], "0x4f4454");
	str_is(c->analyses[0].args[3], "0x0");
	pm_case_free(c);
	c = load_extract("servium-kb309491-outlook-unknown-exception.txt");
	str_is(c->analyses[0].exception_code, "0x6d007e");
	pm_case_free(c);
	c = load_extract("ntcoder-c0000374-lastevent.txt");
	str_is(c->analyses[0].exception_code, "0xc0000374");
	pm_case_free(c);
	c = load_extract("kbalertz-911816-clr20r3-w3wp-wrapped.txt");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "w3wp.exe");
	pm_case_free(c);
	/* not these: a 64-bit stack's KeBugCheck2 row (its caller's home
	 * slots), a path label, an error code without four parameters, a
	 * crash MSR without the guest's crash words, a CamelCase key with a
	 * sentence after it */
	c = load_extract("ksm-19-7f-live-stack.txt");
	str_is(c->analyses[0].bugcheck_code, "0x7f");
	pm_case_free(c);
	c = extract("Faulting Application Path: C:\\Windows\\explorer.exe\n"
		    "Error code 0000007f, see the log.\nvcpu-0 MSR[0x40000100] 0x80\nAppName is what the user saw\n");
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
}

/* Shapes of the fourth held-out set: Dutch WER labels, the application's
 * path for its name, an application crash told in a sentence, .NET's
 * native exception, Reliability Monitor's LiveKernelEvent, "Unexpected
 * Shutdown: 0xd1", a dump WER's LocalDumps named, the exception code in a
 * user-mode bucket, a label and its value on lines of their own, ArgN's
 * value on the next line */
/* Windows' Application Error event and WER's signature in more of their
 * translations (invented values in the events' shapes), and the French
 * short form of a public text (tests/data/public/ittrip-...-fr.txt) */
static void test_event_label_languages(void **state)
{
	(void)state;
	static const struct {
		const char *text, *process, *module, *code;
	} want[] = {
		{"Nome dell'applicazione che ha generato l'errore: acme.exe, versione: 1.0.0.0\n"
		 "Nome del modulo che ha generato l'errore: vendor.dll, versione: 2.0.0.0\n"
		 "Codice eccezione: 0xc0000005\nOffset errore 0x0000000000012345\n",
		 "acme.exe", "vendor.dll", "0xc0000005"},
		{"Nome do aplicativo com falha: acme.exe, versão: 1.0.0.0\n"
		 "Nome do módulo com falha: vendor.dll, versão: 2.0.0.0\n"
		 "Código de exceção: 0xc0000409\nDeslocamento de falha: 0x0000000000012345\n",
		 "acme.exe", "vendor.dll", "0xc0000409"},
		{"Nazwa aplikacji powodującej błąd: acme.exe, wersja: 1.0.0.0\n"
		 "Nazwa modułu powodującego błąd: vendor.dll, wersja: 2.0.0.0\n"
		 "Kod wyjątku: 0xc0000005\nPrzesunięcie błędu: 0x0000000000012345\n",
		 "acme.exe", "vendor.dll", "0xc0000005"},
		{"Hata veren uygulama adı: acme.exe, sürüm: 1.0.0.0\nHata veren modül adı: vendor.dll, sürüm: 2.0\n"
		 "Özel durum kodu: 0xc0000005\nHata uzaklığı: 0x0000000000012345\n",
		 "acme.exe", "vendor.dll", "0xc0000005"},
		{"오류 있는 응용 프로그램 이름: acme.exe, 버전: 1.0.0.0\n오류 있는 모듈 이름: vendor.dll, 버전: 2.0\n"
		 "예외 코드: 0xc0000005\n오류 오프셋: 0x0000000000012345\n",
		 "acme.exe", "vendor.dll", "0xc0000005"},
		{"Nome applicazione:\tacme.exe\nNome modulo con errori:\tvendor.dll\n"
		 "Offset eccezione:\t00008c74\nCodice eccezione:\tc0000417\n",
		 "acme.exe", "vendor.dll", "0xc0000417"},
		{"Module défaillant : ucrtbase.dll\nException : 0xC0000005 (invalid_pointer_read)\n"
		 "Processus : OUTLOOK.EXE 16.0.17830.20138\n",
		 "OUTLOOK.EXE", "ucrtbase.dll", "0xc0000005"},
	};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(want); i++) {
		pm_case *c = extract(want[i].text);
		assert_int_equal(c->nanalyses, 1);
		str_is(c->analyses[0].process, want[i].process);
		str_is(c->analyses[0].caused_by, want[i].module);
		str_is(c->analyses[0].exception_code, want[i].code);
		pm_case_free(c);
	}
}

/* A stop screen retyped: the name alone, then its four arguments each a
 * bare "0x..." on its line (public: efiguard#59 in this shape); and a
 * Markdown table a person wrote of their crashes, a row per crash
 * (invented, in the shape of usbip-win2#181's table) */
static void test_bare_args_and_tables(void **state)
{
	(void)state;
	pm_case *c = extract("## BSOD\n\nSYSTEM_SERVICE_EXCEPTION\n\n0x00000000C0000005\n0xFFFFF80264FAFD80\n"
			     "0xFFFFFD831774ECC0\n0x0000000000000000\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, "0x3b");
	str_is(c->analyses[0].args[0], "0xc0000005");
	str_is(c->analyses[0].args[3], "0x0");
	pm_case_free(c);
	/* the code itself first, then the four */
	c = extract("DRIVER_IRQL_NOT_LESS_OR_EQUAL\n0x000000D1\n0x10\n0x2\n0x0\n0xfffff80112345678\n");
	str_is(c->analyses[0].bugcheck_code, "0xd1");
	str_is(c->analyses[0].args[0], "0x10");
	str_is(c->analyses[0].args[3], "0xfffff80112345678");
	pm_case_free(c);
	/* a value far from the name is not its argument */
	c = extract("SYSTEM_SERVICE_EXCEPTION\n\n\n\nThe offset was\n0x10\n");
	assert_null(c->analyses[0].args[0]);
	pm_case_free(c);
	c = extract("Three BSODs in two days:\n\n| Dump | Bugcheck | Process | Driver |\n|---|---|---|---|\n"
		    "| 120125-01.dmp | `0xA` | `explorer.exe` | acme.sys |\n"
		    "| 120225-02.dmp | **`0x139` arg1 `0x1D`** | audiodg.exe | `acme.sys` |\n\nThanks\n");
	assert_int_equal(c->nanalyses, 2);
	str_is(c->analyses[0].bugcheck_code, "0xa");
	str_is(c->analyses[0].dump_name, "120125-01.dmp");
	str_is(c->analyses[0].process, "explorer.exe");
	str_is(c->analyses[0].caused_by, "acme.sys");
	str_is(c->analyses[1].bugcheck_code, "0x139");
	str_is(c->analyses[1].process, "audiodg.exe");
	pm_case_free(c);
	/* a table of codes and what they mean is no crash */
	c = extract("| Code | Description |\n|---|---|\n| 0x0A | paged memory touched at a raised IRQL |\n"
		    "| 0x50 | memory that is not there |\n");
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
}

/* The sixth held-out set's shapes (invented values in the shapes of the
 * public texts named; tests/data/public after the set was added): old stop
 * screens and event lines, a packaged app's WER signature, programs'
 * own reports of an unhandled exception */
static void test_heldout6_shapes(void **state)
{
	(void)state;
	static const struct {
		const char *text, *code, *arg0, *arg3, *caused_by;
	} k[] = {
		/* datadungeon-q174020: the list after a colon */
		{"   STOP: 0x0000001E : (c0000005, 80119914, 00000000, 00000074)\n", "0x1e", "0xc0000005", "0x74", NULL},
		/* infania-q149817: the four without commas */
		{"  STOP: 0x0000000A (00000595 00000002 00000000 8010da41)\n", "0xa", "0x595", "0x8010da41", NULL},
		/* mskb-892137: event 1003 after its label */
		{"Description: Error code 000000D1, parameter1 fe4bc050, parameter2 00000002, parameter3 00000000, "
		 "parameter4 f223372b. For more information, see Help and Support Center\n",
		 "0xd1", "0xfe4bc050", "0xf223372b", NULL},
		/* techsupportforum-nebben: German, and a parameter a line */
		{"Fehlercode 000000d1, 1. Parameter 00000009, 2. Parameter 00000002, 3. Parameter 00000000, 4. Parameter "
		 "00000009.\n",
		 "0xd1", "0x9", "0x9", NULL},
		{"STOP Message: 000000d1 \n\ndriver_irql_not_less_or_equal \n\n1. Parameter 00000009 \n2. Parameter 00000002 \n"
		 "3. Parameter 00000000 \n4. Parameter 0000000a \n",
		 "0xd1", "0x9", "0xa", NULL},
		/* datadungeon-q131388: the screen's upper case, no colon */
		{"STOP c000021a {Fatal System Error}\n", "0xc000021a", NULL, NULL, NULL},
		/* hightechjournal, pchealthcheck: the driver beside the address */
		{"STOP: 0x0000008E (0XC0000005, 0XBFA6EEE4, 0XBA815137, 0X00000000)\n"
		 "Acme_disp.dll \xe2\x80\x93 Address BFA6EEE4, base at BF9B8000, Datestamp 3b8f4298\n",
		 "0x8e", "0xc0000005", "0x0", "Acme_disp.dll"},
		{"STOP 0x0000000A (0xBFD14AAC, 0x000000FF, 0x00000000, 0x8000F67C)\nIRQL_NOT_LESS_OR_EQUAL\n"
		 "***Address 8000f67c has base at 80001000 - acme.dll\n",
		 "0xa", "0xbfd14aac", "0x8000f67c", "acme.dll"},
		/* kanxue-246595: Arguments whose header was cut, then the code */
		{"Arguments:\nArg1: a39ffde3d5fa2996, Reserved\nArg2: b3b70a6a287be15d, Reserved\n"
		 "Arg3: fffff80205b80000, Failure type dependent information\nArg4: 0000000000000019, Type\n"
		 "Debugging Details:\n------------------\nBUGCHECK_STR: 0x109\nPROCESS_NAME: System\n",
		 "0x109", "0xa39ffde3d5fa2996", "0x19", NULL},
	};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(k); i++) {
		pm_case *c = extract(k[i].text);
		if (c->nanalyses != 1)
			fail_msg("text %zu: %zu analyses", i, c->nanalyses);
		str_is(c->analyses[0].bugcheck_code, k[i].code);
		if (k[i].arg0)
			str_is(c->analyses[0].args[0], k[i].arg0);
		if (k[i].arg3)
			str_is(c->analyses[0].args[3], k[i].arg3);
		if (k[i].caused_by)
			str_is(c->analyses[0].caused_by, k[i].caused_by);
		pm_case_free(c);
	}
	/* eight digits no bug check has, from a debugger that could not read
	 * the code (haxm-252-fields-decode): no code, no second analysis */
	pm_case *c = extract("BUGCHECK_P1: c0000005\nBUGCHECK_P4: 0\nFAULTING_IP: \nacme!Decode+537\n\nBUGCHECK_STR:  12DCB470\n");
	assert_int_equal(c->nanalyses, 1);
	assert_null(c->analyses[0].bugcheck_code);
	pm_case_free(c);
	/* a packaged app's signature whose event name is not printed
	 * (nanazip-366, a Chinese header): P5 the module, P8 the code */
	c = extract("问题签名:\nP1: 12345Vendor.AcmePreview_3.0.756.0_x64__abcdefghijklm\nP2: praid:Acme\nP3: 3.0.756.0\n"
		    "P4: 6512d77d\nP5: Acme.Core.dll\nP6: 3.0.756.0\nP7: 6512d76f\nP8: c0000005\nP9: 00000000000203dd\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].caused_by, "Acme.Core.dll");
	str_is(c->analyses[0].exception_code, "0xc0000005");
	pm_case_free(c);
	/* Windows' zh-CN Application Error labels (foundationsunshine-357) */
	c = extract("出错应用程序名称： Acme.exe，版本： 0.0.0.0，时间戳： 0x69396ded\n"
		    "出错模块名称： ntdll.dll， 版本： 10.0.26100.7344，时间戳： 0x0de0a92e\n异常代码： 0xc0000374\n"
		    "错误偏移： 0x0000000000117405\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "Acme.exe");
	str_is(c->analyses[0].caused_by, "ntdll.dll");
	str_is(c->analyses[0].exception_code, "0xc0000374");
	pm_case_free(c);
	/* a program's report of the exception that ended it, and its module
	 * (rpcs3-19102, cadguide-0x0024, sqlservercentral-diego) */
	c = extract("Unhandled Win32 exception 0xC0000005.\nSegfault reading location 000000000002d918.\n"
		    "Thread: Main Thread.\nModule name: 'acmegl64.dll'.\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].exception_code, "0xc0000005");
	str_is(c->analyses[0].caused_by, "acmegl64.dll");
	pm_case_free(c);
	c = extract("Unhandled Exception e06d7363 (e06d7363h) at 0x00007ffb3e8a3890\nModule: acmedb.dll\nOffset: 0x0024\n");
	str_is(c->analyses[0].exception_code, "0xe06d7363");
	str_is(c->analyses[0].caused_by, "acmedb.dll");
	pm_case_free(c);
	c = extract("SqlDumpExceptionHandler: Process 1156 generated fatal exception c0000005 EXCEPTION_ACCESS_VIOLATION.\n");
	str_is(c->analyses[0].exception_code, "0xc0000005");
	pm_case_free(c);
	/* not an exception: a bug check's code, a small number */
	c = extract("the driver raised an unhandled exception 0x0000007E in the kernel\n");
	assert_null(c->nanalyses ? c->analyses[0].exception_code : NULL);
	pm_case_free(c);
	/* a crash viewer's driver label alone, its value an address on a
	 * later line (public: pastebin-qkm0bfpm-139-fr.txt), and
	 * BlueScreenView's "Caused By Address" without "Caused By Driver" */
	c = load_extract("pastebin-qkm0bfpm-139-fr.txt");
	str_is(c->analyses[0].caused_by, "ntoskrnl.exe");
	pm_case_free(c);
	c = extract("Bug Check Code : 0x00000116\nCaused By Address : acmekm.sys+5d000\n");
	str_is(c->analyses[0].caused_by, "acmekm.sys");
	pm_case_free(c);
	/* the file named right after a bug check's name, a library too
	 * (huntertur-q160964) */
	c = extract("STOP: 0x0000001e (0xc0000094, 0xfe7533ca, 0xc0000094, 0x00000010)\n"
		    "Kmode_Exception_Not_Handled. ACMEDD.DLL\n");
	str_is(c->analyses[0].prose_images, "ACMEDD.DLL");
	pm_case_free(c);
	/* a faulting ip in a sentence (scptoolkit-29) */
	c = extract("DRIVER_VERIFIER_IOMANAGER_VIOLATION (c9)\nArguments:\nArg1: 000000000000021f, A driver\n"
		    "Arg2: fffff800e247b174, The address\nArg3: ffffcf8147d54dc0, IRP address.\nArg4: 0000000000000000\n\n"
		    "With faulting ip: `AcmeBus+b174`\n");
	str_is(c->analyses[0].fault_ip, "AcmeBus+0xb174");
	pm_case_free(c);
}

/* The seventh held-out set's shapes (invented values in the shapes of the
 * public texts named): an event's message after Event Viewer's label or in
 * the quotes of a copied event, an application's exception code in prose,
 * a Korean bug check code */
static void test_heldout7_shapes(void **state)
{
	(void)state;
	/* mskb-922617, msdnblogs-davidwang */
	pm_case *c = extract("Event ID: 1000\nDescription: Faulting application acme.exe, version 11.0.8000.0, stamp 43599e06, "
			     "faulting module ntdll.dll, version 5.1.2600.2180, stamp 411096b4, debug? 0, fault address 0x0000eddc.\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "acme.exe");
	str_is(c->analyses[0].caused_by, "ntdll.dll");
	pm_case_free(c);
	c = extract("\"Faulting application acme.exe, version 6.0.3790.0, faulting module kernel32.dll, version 5.2.3790.0, "
		    "fault address 0x000249d3\"\n");
	str_is(c->analyses[0].process, "acme.exe");
	pm_case_free(c);
	/* runxinzhi-1669687 */
	c = extract("Event ID: 5000\nDescription: EventType clr20r3, P1 acme.exe, P2 0.0.0.0, P3 4407bfd1, P4 mscorlib, "
		    "P5 2.0.0.0, P6 4333ab80, P7 bd0, P8 59, P9 system.formatexception, P10 NIL.\"\n");
	str_is(c->analyses[0].process, "acme.exe");
	str_is(c->analyses[0].caused_by, "mscorlib");
	pm_case_free(c);
	/* kouhan-00016251: an application, an exception code, no file */
	c = extract("the application crashes during the loading phase; the system displays exception code 0xE0434352.\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].exception_code, "0xe0434352");
	pm_case_free(c);
	c = extract("the installer crashes with error code 0x80070057 when the disk is full.\n");
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
	/* a user-mode analysis cut before its first field (tarkovsettings-17) */
	c = extract("ERROR_CODE: (NTSTATUS) 0xc0000005 - The instruction at 0x%p referenced memory at 0x%p.\n\n"
		    "EXCEPTION_CODE_STR:  c0000005\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].exception_code, "0xc0000005");
	pm_case_free(c);
	/* WER's bucket number in Dutch and German (seb-903) */
	c = extract("Foutbucket 1704498217310049737, type 5\nGebeurtenisnaam: CLR20r3\nP1: acme.exe\n");
	str_is(c->analyses[0].failure_bucket, "1704498217310049737");
	pm_case_free(c);
	c = extract("Fehlerbucket 1704498217310049737, Typ 5\nEreignisname: CLR20r3\nP1: acme.exe\n");
	str_is(c->analyses[0].failure_bucket, "1704498217310049737");
	pm_case_free(c);
	/* the bucket a sentence announces on the next lines (windscribe-352) */
	c = extract("KMODE_EXCEPTION_NOT_HANDLED (0x1E)\n\nThe failure bucket is also consistently:\n\n```text\n"
		    "AV_NETIO!FeApplyModifiedLayerData\n```\n");
	str_is(c->analyses[0].failure_bucket, "AV_NETIO!FeApplyModifiedLayerData");
	pm_case_free(c);
	/* qastackkr-1118602 */
	c = extract("버그 확인 코드 1A는 \"메모리 관리\"버그 확인으로, 일반적으로 Mm 코드가 불일치를 감지했음을 나타냅니다.\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, "0x1a");
	pm_case_free(c);
}

/* The eighth held-out set's shapes (invented values in the shapes of the
 * public texts named): a paste site's numbered lines, a stop code after an
 * aside, "what caused it" */
static void test_heldout8_shapes(void **state)
{
	(void)state;
	/* pastebin-zchr4z0u */
	pm_case *c = extract("  1. Error 2024-06-30 9:52:36 AM Application Error 1000 (100)\n  2.  \n  3. Log Name: Application\n"
			     "  4. Source: Application Error\n  5. Description:\n"
			     "  6. Faulting application name: Acme.exe, version: 1.0.0.0, time stamp: 0x64cef46f\n"
			     "  7. Faulting module name: vendor.dll, version: 2.0.0.0, time stamp: 0x64cef46f\n"
			     "  8. Exception code: 0xc0000005\n  9. Fault offset: 0x00000000005cd112\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "Acme.exe");
	str_is(c->analyses[0].caused_by, "vendor.dll");
	str_is(c->analyses[0].exception_code, "0xc0000005");
	pm_case_free(c);
	/* a list that does not start at 1 keeps its numbers */
	c = extract("3. Faulting application name: Acme.exe, version: 1.0.0.0\n4. Exception code: 0xc0000005\n");
	assert_null(c->nanalyses ? c->analyses[0].process : NULL);
	pm_case_free(c);
	/* a report generator that links every name (windivert-365), a list
	 * of crashes' "- Caused by:" (winutil-757) */
	c = extract("> BugCheck code          : 0x133\n> Parameter 1            : 0x1\n"
		    "> Probably caused by     : [acmecore.sys](https://www.google.com/search?q=acmecore.sys)\n");
	str_is(c->analyses[0].caused_by, "acmecore.sys");
	pm_case_free(c);
	c = extract("1. IRQL_NOT_LESS_OR_EQUAL \n    - Stop Code: 0x0000000a \n"
		    "    - Caused by: ntoskrnl.exe (ntoskrnl.exe+3fbca0)\n");
	str_is(c->analyses[0].bugcheck_code, "0xa");
	str_is(c->analyses[0].caused_by, "ntoskrnl.exe");
	pm_case_free(c);
	/* a Russian WER signature joined onto one line (twitchleecher-420) */
	c = extract("Имя события проблемы:\tAPPCRASH   Имя приложения:\tAcme.exe   Версия приложения:\t1.0.0.0   "
		    "Имя модуля с ошибкой:\tKERNELBASE.dll   Версия модуля с ошибкой:\t10.0.17134.677   "
		    "Код исключения:\tc06d007e   Смещение исключения:\t000000000003a388\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "Acme.exe");
	str_is(c->analyses[0].exception_code, "0xc06d007e");
	pm_case_free(c);
	/* a name with a blank for one '_' (aurora-1946) */
	c = extract("the same bsod (stop code: SYSTEM_THREAD_EXCEPTION_NOT HANDLED  // What Failed: ...)\n");
	str_is(c->analyses[0].bugcheck_code, "0x7e");
	pm_case_free(c);
	/* the application's name WER hashed, and Windows' name for an
	 * image it could not read (so-10335082, msdnblog-oanapl,
	 * pastebin-fpvqfraz) */
	c = extract("EventType clr20r3, P1 erxkab1r2c2ibqtnnxtpzrumqv3gqlpl, P2, P3 4f4b95e0, P4 mscorlib, P5, P6 4a7ce2b8, "
		    "P7 f8b, P8 80, P9 system.io.filenotfoundexception, P10 NIL.\n");
	str_is(c->analyses[0].process, "erxkab1r2c2ibqtnnxtpzrumqv3gqlpl");
	pm_case_free(c);
	c = extract("Problem Event Name:   CLR20r3\nProblem Signature 01:   XFU1LOPV1B5JQH0HBYGNH00TXWMZP45M\n"
		    "Problem Signature 04:   mscorlib\n");
	str_is(c->analyses[0].process, "XFU1LOPV1B5JQH0HBYGNH00TXWMZP45M");
	pm_case_free(c);
	c = extract("Faulting application name: BAD_MODULE_INFO, version: 0.0.0.0, time stamp: 0x00000000\n"
		    "Faulting module name: BAD_MODULE_INFO, version: 0.0.0.0, time stamp: 0x00000000\n"
		    "Exception code: 0xc0000005\n");
	str_is(c->analyses[0].process, "BAD_MODULE_INFO");
	pm_case_free(c);
	/* an exception's documented name with its code (vdd-29) */
	c = extract("**Error reason: Unhandled exception\nExpression: EXCEPTION_ACCESS_VIOLATION (0xC0000005)\n"
		    "Message: The thread attempted to read inaccessible data at 0x70.\n");
	str_is(c->analyses[0].exception_code, "0xc0000005");
	pm_case_free(c);
	c = extract("Expression: EXCEPTION_ACCESS_VIOLATION (0xC0000409)\n");
	assert_int_equal(c->nanalyses, 0); /* a name and a code that disagree */
	pm_case_free(c);
	/* a generic "Application:" label takes no name that is not a file */
	c = extract("Application: Notepad\nException code: 0xc0000005\n");
	assert_null(c->nanalyses ? c->analyses[0].process : NULL);
	pm_case_free(c);
	/* thestudentroom-813708 */
	c = extract("It tells you the problem: Page fault in non-paged area\nIt tells you what caused it: acmecon.sys\n"
		    "And it also gives you what's called a STOP code, in this case: 0x00000050 and always takes the form "
		    "0xZZZZZZZZ.\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, "0x50");
	str_is(c->analyses[0].prose_images, "acmecon.sys");
	pm_case_free(c);
}

static void test_heldout4_shapes(void **state)
{
	(void)state;
	pm_case *c = load_extract("bizhawk-231-bex-wer-nl.txt");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "EmuHawk.exe");
	str_is(c->analyses[0].exception_code, "0xc0000005");
	pm_case_free(c);
	c = load_extract("dwmblurglass-662-appcrash-summary.txt");
	str_is(c->analyses[0].process, "dwm.exe");
	pm_case_free(c);
	c = load_extract("citrix-ctx218913-wfica32-apperror-prose.txt");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "Wfica32.exe");
	str_is(c->analyses[0].exception_code, "0xc0000005");
	pm_case_free(c);
	c = load_extract("dharmesht-debugdiag-w3wp-c00000fd-prose.txt");
	str_is(c->analyses[0].process, "w3wp.exe");
	str_is(c->analyses[0].exception_code, "0xc00000fd");
	pm_case_free(c);
	c = load_extract("pastebin-kjkuctnk-dotnet-ledkeeper2-c0000005.txt");
	str_is(c->analyses[0].process, "LEDKeeper2.exe");
	str_is(c->analyses[0].exception_code, "0xc0000005");
	pm_case_free(c);
	c = load_extract("obs-9109-141-prose-livekernel.txt");
	str_is(c->analyses[0].bugcheck_code, "0x141");
	pm_case_free(c);
	c = load_extract("raywood-20140125-d1-iastora-title.txt");
	str_is(c->analyses[0].bugcheck_code, "0xd1");
	pm_case_free(c);
	c = load_extract("pastebin-xaxdx3ps-user-analyze-explorer-c0000409.txt");
	str_is(c->analyses[0].dump_name, "explorer.exe.17364.dmp");
	str_is(c->analyses[0].process, "explorer.exe");
	pm_case_free(c);
	c = load_extract("pastebin-wa7tu3cc-user-keyvalues-discovery.txt");
	str_is(c->analyses[0].exception_code, "0xc0000005");
	pm_case_free(c);
	c = load_extract("pastebin-qkm0bfpm-139-fr.txt");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, "0x139");
	str_is(c->analyses[0].args[0], "0x1d");
	str_is(c->analyses[0].args[3], "0x0");
	pm_case_free(c);
	c = load_extract("technsight-bsod-d1-analyze-cut.txt");
	str_is(c->analyses[0].args[0], "0x0");
	str_is(c->analyses[0].args[3], "0x0");
	pm_case_free(c);
	/* a second dump load in one paste that failed names no dump */
	c = load_extract("microsoftforum-592483-1000007e-bbcode-color.txt");
	str_is(c->analyses[0].dump_name, "013021-20453-01.dmp");
	pm_case_free(c);
	/* not these: BlueScreenView's header cells one per line, an error code
	 * that is a bug check's, a sentence with no crash word */
	c = load_extract("adguard-5169-1e-bsv-html.txt");
	str_is(c->analyses[0].bugcheck_code, "0x1e");
	str_is(c->analyses[0].caused_by, NULL); /* not "Caused" of the next header cell */
	pm_case_free(c);
	c = extract("Caused By Driver\nCaused By Address\nThe tool w3wp.exe returned error code 0x80070005 today\n");
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
}

/* The new shapes of the held-out sets, cut or mangled as pastes are: a
 * stop screen cut inside its arguments, a crash MSR without its value or
 * with a number beyond P4, an event 1003 line cut before Parameter 4, a
 * Report.wer Sig without its index's end, a dump load without its ']', a
 * P line whose number has no blank after it, a label alone at the text's
 * end, "ArgN:" at the end, a mistyped name of nine letters: nothing wrong is
 * read and nothing crashes */
static void test_heldout_mangled(void **state)
{
	(void)state;
	pm_case *c = extract("STOP 0000000a : 39b880ce 00000002\n"
			     "vcpu-0 - WinBSOD: Synthetic MSR[0x40000100]\n"
			     "vcpu-0 - WinBSOD: Synthetic MSR[0x40000109] 0x80\n"
			     "Error code 0000007f, Parameter 1 00000000, Parameter 2 00000000, Parameter 3 00000000\n"
			     "Sig[3.Value=acme.dll\n"
			     "Loading Dump File [C:\\LocalDumps\\x.exe.12.dmp\n"
			     "EventType clr20r3, P1x.exe, P12 y\n"
			     "MEMORY_MGMTX\n"
			     "Arg1:\n");
	for (size_t i = 0; i < c->nanalyses; i++) {
		for (int k = 0; k < 4; k++)
			assert_null(c->analyses[i].args[k]);
		str_is(c->analyses[i].process, NULL);
		str_is(c->analyses[i].dump_name, NULL);
		str_is(c->analyses[i].caused_by, NULL);
	}
	pm_case_free(c);
	c = extract("Bug Check Code\n");
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
}

static void test_heldout_one_line(void **state)
{
	(void)state;
	char *t = test_load("tests/data/public/symantec-appcrash-explorer-msvcrt-flat.txt", NULL);
	pm_case *c = extract(t);
	free(t);
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "explorer.exe");
	str_is(c->analyses[0].caused_by, "msvcrt.dll");
	str_is(c->analyses[0].exception_code, "0xc0000005");
	/* where it faulted, "Exception Offset: 00009c00", is its one frame */
	assert_int_equal(c->analyses[0].nframes, 1);
	str_is(c->analyses[0].frames[0].module, "msvcrt.dll");
	str_is(c->analyses[0].frames[0].offset, "0x9c00");
	pm_case_free(c);
	/* the Application Error event of the same crash: "Fault offset:" */
	t = test_load("tests/data/public/quiterss-1124-apperror-ntdll.txt", NULL);
	c = extract(t);
	free(t);
	assert_int_equal(c->nanalyses, 1);
	assert_int_equal(c->analyses[0].nframes, 1);
	str_is(c->analyses[0].frames[0].offset, "0x44f6b");
	pm_case_free(c);
	t = test_load("tests/data/public/igcit-786-119-bucket-title.txt", NULL);
	c = extract(t);
	free(t);
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, "0x119");
	str_is(c->analyses[0].failure_bucket, "0x119_5_DRIVER_FAULTED_SYSTEM_COMMAND_igdkmdnd64!unknown_function");
	pm_case_free(c);
	/* a symbol MSVC quotes with a blank inside (usbip-win2 172) */
	t = test_load("tests/data/public/usbipwin2-172-133-text-fence.txt", NULL);
	c = extract(t);
	free(t);
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].symbol_name, "usbip2_ude!`anonymous namespace'::send+20a");
	pm_case_free(c);
	/* a machine check blames no interrupted frame, the processor's
	 * pseudo-image is no module, the quote around a stack is no part of
	 * its last frame (coolaler 241204, HyperHide 25) */
	t = test_load("tests/data/public/coolaler-241204-124-quoted.txt", NULL);
	c = extract(t);
	free(t);
	assert_int_equal(c->nanalyses, 1);
	const pm_analysis *a = &c->analyses[0];
	str_is(a->frames[a->nframes - 1].function, "DefPortReadAcpiRegister");
	str_is(a->frames[a->nframes - 1].offset, "0x104");
	pm_signature sg;
	sig_build(a, &sg, NULL);
	assert_null(sg.culprit);
	sig_clear(&sg);
	pm_case_free(c);
	t = test_load("tests/data/public/hyperhide-25-124-bucket.txt", NULL);
	c = extract(t);
	free(t);
	assert_int_equal(c->nanalyses, 1);
	sig_build(&c->analyses[0], &sg, NULL);
	assert_null(sg.culprit);
	sig_clear(&sg);
	pm_case_free(c);
}

/* .NET crashes as Windows logs them (held-out, 2026-12-07): the .NET
 * Runtime's event 1026 ("Application: x.exe", "Exception Info:
 * System.Exception: ...", its stack) is one analysis of that process
 * (MicaForEveryone 345); a CLR20r3 problem signature gives the
 * application (P1), the assembly that threw (P4) and WER's "Fault bucket
 * N, type M" (Duplicati 198) */
static void test_heldout_dotnet_events(void **state)
{
	(void)state;
	char *t = test_load("tests/data/public/micaforeveryone-345-dotnet-runtime.txt", NULL);
	pm_case *c = extract(t);
	free(t);
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "MicaForEveryone.exe");
	assert_true(c->analyses[0].nframes >= 1);
	str_is(c->analyses[0].frames[0].module, "MicaForEveryone");
	pm_case_free(c);
	t = test_load("tests/data/public/duplicati-198-wer-clr20r3.txt", NULL);
	c = extract(t);
	free(t);
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "duplicati.exe");
	str_is(c->analyses[0].caused_by, "LightDatamodel");
	str_is(c->analyses[0].failure_bucket, "1076040974");
	pm_case_free(c);
	/* prose that names an exception type is no event */
	c = extract("Exception Info: see the attached log\n");
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
}

/* The shapes added for the held-out texts, mangled: cut, out of range or
 * without the value they announce, they read nothing rather than
 * something wrong */
static void test_heldout_shapes_mangled(void **state)
{
	(void)state;
	/* a DumpStack.log code wider than 32 bits, arguments with no code */
	pm_case *c = extract("#BugCheckCode 0x000000010000003B\n#BugCheckP1 0x1\n#BugCheckP2 0x2\n");
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
	c = extract("#BugCheckP1 0x00000000C0000005\n#BugCheckP2 0xFFFFF803611E90D7\n");
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
	/* a DumpStack.log line cut inside its value keeps what was printed */
	c = extract("#BugCheckCode 0x000000000000003B\n#BugCheckP1 0x00000000C00\n#BugCheckP2 0xFFFFF8036");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].bugcheck_code, "0x3b");
	str_is(c->analyses[0].args[0], "0xc00");
	pm_case_free(c);
	/* a heap failure cut inside its status */
	c = extract("Critical error detected c00003\n");
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
	/* a fault offset that is no number gives no frame */
	c = extract("Faulting application name: acme.exe, version: 1.0\nFaulting module name: acme.dll, version: 1.0\n"
		    "Exception code: 0xc0000005\nFault offset: n/a\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].exception_code, "0xc0000005");
	assert_int_equal(c->analyses[0].nframes, 0);
	pm_case_free(c);
	/* a CLR20r3 signature whose P4 is empty names no assembly */
	c = extract("Event Name: CLR20r3\nP1: acme.exe\nP2: 1.0\nP4:\n");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "acme.exe");
	assert_null(c->analyses[0].caused_by);
	pm_case_free(c);
	/* BUGCHECK_P1 with only a comment is no argument */
	c = extract("BUGCHECK_CODE:  d1\nBUGCHECK_P1: (none)\nBUGCHECK_P2: 2\n");
	assert_int_equal(c->nanalyses, 1);
	assert_null(c->analyses[0].args[0]);
	str_is(c->analyses[0].args[1], "0x2");
	pm_case_free(c);
	/* a joined WER line cut inside a label reads the labels before it */
	c = extract("Problem Event Name: APPCRASH Application Name: explorer.exe Fault Module Name: msvcrt.dll "
		    "Exception Code: c0000005 Exception Off");
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].process, "explorer.exe");
	str_is(c->analyses[0].exception_code, "0xc0000005");
	pm_case_free(c);
}

/* A user-mode !analyze whose failure code is an HRESULT and whose
 * exception record is not (public: microsoft-ui-xaml issues 10279 and
 * 7855): "DEBUG_FLR_EXCEPTION_CODE(8000ffff) and the \".exr -1\"
 * ExceptionCode(c000027b) don't match" is one analysis of exception
 * 0xc000027b, not text without an analysis; a sentence that quotes an
 * ExceptionCode( without the debugger's prefix is none */
static void test_exr_mismatch(void **state)
{
	(void)state;
	char *t = test_load("tests/data/public/muxaml-10279-user-analyze.txt", NULL);
	pm_case *c = extract(t);
	free(t);
	assert_int_equal(c->nanalyses, 1);
	assert_null(c->analyses[0].bugcheck_code);
	str_is(c->analyses[0].exception_code, "0xc000027b");
	pm_case_free(c);
	t = test_load("tests/data/public/muxaml-7855-user-analyze.txt", NULL);
	c = extract(t);
	free(t);
	assert_int_equal(c->nanalyses, 1);
	str_is(c->analyses[0].exception_code, "0xc0000409");
	pm_case_free(c);
	c = extract("the log said ExceptionCode(c0000005) and nothing else\n");
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
}

/* .NET exception stacks (public: PowerToys issues 48913 and 5650): each
 * "at Ns.Type.Method(args)" a frame of the managed module its root
 * namespace names, "--- End of stack trace from previous location ---"
 * inside one stack, a last line cut before its ")" no frame; System and
 * Microsoft are Microsoft's, so a program's own namespace is the culprit */
static void test_dotnet_stack(void **state)
{
	(void)state;
	char *t = test_load("tests/data/public/powertoys-48913-dotnet-uwp.txt", NULL);
	pm_case *c = extract(t);
	free(t);
	assert_int_equal(c->nanalyses, 1);
	const pm_analysis *a = &c->analyses[0];
	assert_null(a->bugcheck_code);
	assert_int_equal(a->nframes, 6);
	str_is(a->frames[0].module, "Microsoft");
	str_is(a->frames[0].function, "Plugin.Program.Programs.UWPApplication.<>c__DisplayClass64_0.<Launch>b__0");
	str_is(a->frames[3].module, "System");
	str_is(a->frames[3].function, "Threading.Tasks.Task.ExecuteWithThreadLocal");
	pm_case_free(c);
	t = test_load("tests/data/public/powertoys-5650-dotnet-dispose.txt", NULL);
	c = extract(t);
	free(t);
	assert_int_equal(c->nanalyses, 1);
	pm_signature s;
	sig_build(&c->analyses[0], &s, NULL);
	str_is(s.culprit, "powerlauncher");
	str_is(s.culprit_function, "ViewModel.MainViewModel.Dispose");
	assert_false(s.frames[0].skip != NULL);
	sig_clear(&s);
	pm_case_free(c);
	/* with its source line (invented, in the shape .NET prints it); prose
	 * that starts with "at" is none */
	c = extract("System.InvalidOperationException: Sequence contains no elements\n"
		    "   at System.Linq.ThrowHelper.ThrowNoElementsException()\n"
		    "   at Acme.Sync.Worker.Run(String path) in C:\\src\\Acme\\Worker.cs:line 42\n");
	assert_int_equal(c->nanalyses, 1);
	assert_int_equal(c->analyses[0].nframes, 2);
	str_is(c->analyses[0].frames[1].module, "Acme");
	str_is(c->analyses[0].frames[1].function, "Sync.Worker.Run");
	pm_case_free(c);
	c = extract("at first it ran.\nat least the e.g. part (twice) worked\nat Startup.Run() then\n");
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
	/* a NUL byte is no character of a name */
	static const char nul[] = "   at Acme.Sync\0.Worker.Run()\n   at Acme.Sync.\0Worker.Go()\n";
	c = pm_case_new();
	windbg_extract(nul, sizeof nul - 1, -1, c);
	assert_int_equal(c->nanalyses, 0);
	pm_case_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_table),
		cmocka_unit_test(test_names_in_prose),
		cmocka_unit_test(test_live_kd),
		cmocka_unit_test(test_live_kd_disassembly),
		cmocka_unit_test(test_event_log_wer),
		cmocka_unit_test(test_bluescreenview),
		cmocka_unit_test(test_application_error),
		cmocka_unit_test(test_field_only),
		cmocka_unit_test(test_prose),
		cmocka_unit_test(test_rows_and_tables),
		cmocka_unit_test(test_truncated_rows),
		cmocka_unit_test(test_segmentation),
		cmocka_unit_test(test_mangled),
		cmocka_unit_test(test_shape_functions),
		cmocka_unit_test(test_kernel_power),
		cmocka_unit_test(test_user_mode_reports),
		cmocka_unit_test(test_bsv_flattened_headers),
		cmocka_unit_test(test_prose_blue_screen_of_death),
		cmocka_unit_test(test_one_paste_not_split),
		cmocka_unit_test(test_whocrashed_blocks),
		cmocka_unit_test(test_params_line_and_boot_error),
		cmocka_unit_test(test_dotnet_stack),
		cmocka_unit_test(test_exr_mismatch),
		cmocka_unit_test(test_heldout_shapes),
		cmocka_unit_test(test_heldout_user_mode),
		cmocka_unit_test(test_heldout_one_line),
		cmocka_unit_test(test_one_row_stack),
		cmocka_unit_test(test_heldout2_shapes),
		cmocka_unit_test(test_heldout2_user_mode),
		cmocka_unit_test(test_heldout3_shapes),
		cmocka_unit_test(test_heldout4_shapes),
		cmocka_unit_test(test_event_label_languages),
		cmocka_unit_test(test_bare_args_and_tables),
		cmocka_unit_test(test_heldout6_shapes),
		cmocka_unit_test(test_heldout7_shapes),
		cmocka_unit_test(test_heldout8_shapes),
		cmocka_unit_test(test_heldout_mangled),
		cmocka_unit_test(test_heldout_dotnet_events),
		cmocka_unit_test(test_heldout_shapes_mangled),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
