/* test-norm.c - the one normaliser (util/norm.c): hex values, bugcheck
 * codes with the 0x1000xxxx fold, module names. Every reader, the
 * signature, the rules and the store's field terms call these, so each row
 * here is a spelling that must compare equal everywhere. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../util/util.h"
#include "../../util/norm.h"
#include "../../matcher/rules.h"

static const struct {
	const char *in, *hex, *bugcheck;
} hex_rows[] = {
	/* as printed                 pm_norm_hex            pm_norm_bugcheck */
	{"0x000000D1", "0xd1", "0xd1"},
	{"D1", "0xd1", "0xd1"},
	{"000000d1", "0xd1", "0xd1"},
	{"0x100000fc", "0x100000fc", "0xfc"},
	{"0x00000000100000fc", "0x100000fc", "0xfc"},
	{"100000FC", "0x100000fc", "0xfc"},
	{"0x1000007E", "0x1000007e", "0x7e"},
	{"0x10000000", "0x10000000", "0x0"},
	{"0x100000", "0x100000", "0x100000"},
	{"0x1001007e", "0x1001007e", "0x1001007e"},
	{"ffffe08f`6fa3fb50", "0xffffe08f6fa3fb50", "0xffffe08f6fa3fb50"},
	{"0x00000000`000000be", "0xbe", "0xbe"},
	{"0", "0x0", "0x0"},
	{"0x0", "0x0", "0x0"},
	{"0x", NULL, "0x"},
	{"xyz", NULL, "xyz"},
	{"ffffffffffffffff0", NULL, "0xffffffffffffffff0"},
};

static void test_hex_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < PMKB_ARRAY_LEN(hex_rows); i++) {
		const char *in = hex_rows[i].in;
		char *h = pm_norm_hex(in, strlen(in));
		if (hex_rows[i].hex) {
			assert_non_null(h);
			assert_string_equal(h, hex_rows[i].hex);
		} else {
			assert_null(h);
		}
		free(h);
		char *b = pm_norm_bugcheck(in);
		assert_non_null(b);
		assert_string_equal(b, hex_rows[i].bugcheck);
		free(b);
		/* the rules read a bugcheck value the same way */
		char *r = rules_norm_hex(in, 1);
		if (hex_rows[i].hex) {
			assert_non_null(r);
			assert_string_equal(r, hex_rows[i].bugcheck);
		} else {
			assert_null(r);
		}
		free(r);
	}
	assert_null(pm_norm_hex(NULL, 0));
	assert_null(pm_norm_value(NULL));
	assert_null(pm_norm_value(" ` "));
	assert_null(pm_bugcheck_fold(NULL));
	assert_null(pm_bugcheck_fold("0xd1"));
}

static const struct {
	const char *in, *want;
} module_rows[] = {
	{"VWIFIMF.SYS", "vwifimf"},
	{"vwifimf", "vwifimf"},
	{"\\SystemRoot\\system32\\DRIVERS\\vwifimf.sys", "vwifimf"},
	{"vwifimf!MpReturnNetBufferLists+0x1b", "vwifimf"},
	{"lwfmgr+0x5167", "lwfmgr"},
	{"nt!", "nt"},
	{"ntoskrnl.exe", "nt"},
	{"ntkrnlmp", "nt"},
	{"halmacpi.dll", "hal"},
	{"acme-flt.sys", "acme_flt"},
	{"acme_flt", "acme_flt"},
	{"c++.dll", "c__"},
	{"  Netwtw08.sys  ", "netwtw08"},
	/* a second module of one name, its base address appended */
	{"nt_fffff8070e0b4000", "nt"},
	{"acme_fffff80612340000!Foo+0x10", "acme"},
	/* not an address: too short, or no '_' before it */
	{"acme_12345678", "acme_12345678"},
	{"acmefffff8070e0b4000", "acmefffff8070e0b4000"},
	/* WER's name of a module that had unloaded */
	{"atiadlxx.dll_unloaded", "atiadlxx"},
	{"ACME.SYS_UNLOADED", "acme"},
	{"my_unloaded", "my_unloaded"},
	/* other kinds of image */
	{"VMMR0.r0", "vmmr0"},
	{"hpcpp.drv", "hpcpp"},
	{"acme.ocx", "acme"},
};

static void test_module_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < PMKB_ARRAY_LEN(module_rows); i++) {
		char *c = pm_canon_module(module_rows[i].in);
		assert_non_null(c);
		assert_string_equal(c, module_rows[i].want);
		free(c);
	}
	assert_null(pm_canon_module(NULL));
}

/* C# compiler-generated members: the ordinals go, the names stay */
static const struct {
	const char *in, *want;
} function_rows[] = {
	{"Plugin.Program.Programs.UWPApplication.<>c__DisplayClass64_0.<Launch>b__0",
	 "Plugin.Program.Programs.UWPApplication.<>c__DisplayClass.<Launch>b__"},
	{"Threading.Tasks.Task.<>c.<ThrowAsync>b__128_0", "Threading.Tasks.Task.<>c.<ThrowAsync>b__"},
	{"Threading.Tasks.Task.<>c.<ThrowAsync>b__124_0", "Threading.Tasks.Task.<>c.<ThrowAsync>b__"},
	{"App.Worker.<RunAsync>d__12.MoveNext", "App.Worker.<RunAsync>d__.MoveNext"},
	{"App.Worker.<Run>g__Step|3_0", "App.Worker.<Run>g__Step"},
	{"App.<>f__AnonymousType0`2.get_Name", "App.<>f__AnonymousType`2.get_Name"},
	/* native names, templates included, come back as printed */
	{"NxTxXlat::YieldToNetAdapter", "NxTxXlat::YieldToNetAdapter"},
	{"std::vector<int,std::allocator<int> >::push_back", "std::vector<int,std::allocator<int> >::push_back"},
	{"Foo<Bar>b__2", "Foo<Bar>b__"},
	{"x>b__", "x>b__"},
	{">", ">"},
	{"", ""},
};

static void test_function_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < PMKB_ARRAY_LEN(function_rows); i++) {
		char *c = pm_canon_function(function_rows[i].in);
		assert_non_null(c);
		assert_string_equal(c, function_rows[i].want);
		/* canonical names are fixed points */
		char *again = pm_canon_function(c);
		assert_string_equal(again, c);
		free(again);
		free(c);
	}
	assert_null(pm_canon_function(NULL));
}

static void test_symbol_len(void **state)
{
	(void)state;
	assert_int_equal(pm_symbol_len("nt!KeBugCheckEx+0x0 (x)"), 19);
	assert_int_equal(pm_symbol_len("x!`anonymous namespace'::send+20a rest"), 33);
	assert_int_equal(pm_symbol_len("x!F(void * H = 0)+4"), 3);
	assert_int_equal(pm_symbol_len("fffff803`4d400000 next"), 17);
	assert_int_equal(pm_symbol_len(""), 0);
	/* a quote that does not close within 64 bytes is no quote */
	assert_int_equal(pm_symbol_len("x!`a b"), 4);
	assert_int_equal(pm_msvc_quoted("`vftable' x", 11), 9);
	assert_int_equal(pm_msvc_quoted("`1x'", 4), 0);
	assert_int_equal(pm_msvc_quoted("`abc", 4), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex_table),
		cmocka_unit_test(test_module_table),
		cmocka_unit_test(test_function_table),
		cmocka_unit_test(test_symbol_len),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
