/* test-exit.c - unit tests of cli/exit.c: every library status (pm_status,
 * kb_status, input_status) becomes the exit code README.md and
 * docs/pmkb.1 promise, and every pm_status has a name. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../cli/exit.h"

static void test_pm_status_exit(void **state)
{
	(void)state;
	assert_int_equal(cli_exit_of(PM_OK), 0);
	assert_int_equal(cli_exit_of(PM_USAGE), 64);
	assert_int_equal(cli_exit_of(PM_BAD_DATA), 65);
	assert_int_equal(cli_exit_of(PM_TOO_BIG), 65);
	assert_int_equal(cli_exit_of(PM_NO_INPUT), 66);
	assert_int_equal(cli_exit_of(PM_UNAVAILABLE), 69);
	assert_int_equal(cli_exit_of(PM_INTERNAL), 70);
	assert_int_equal(cli_exit_of(PM_CONFIG), 78);
}

static void test_kb_status_exit(void **state)
{
	(void)state;
	assert_int_equal(cli_kb_exit(KB_OK), 0);
	assert_int_equal(cli_kb_exit(KB_BAD_QUERY), 64);
	assert_int_equal(cli_kb_exit(KB_INVALID), 65);
	assert_int_equal(cli_kb_exit(KB_NOT_FOUND), 66);
	assert_int_equal(cli_kb_exit(KB_IO), 66);
	assert_int_equal(cli_kb_exit(KB_UNAVAILABLE), 69);
	assert_int_equal(cli_kb_exit(KB_CORRUPT), 70);
	assert_int_equal(cli_kb_exit(KB_NOMEM), 70);
	assert_int_equal(cli_kb_exit(KB_INTERNAL), 70);
	assert_int_equal(cli_kb_exit(KB_NOSPACE), 70);
	assert_int_equal(cli_kb_exit(KB_LOCKED), 75);
	assert_int_equal(cli_kb_exit(KB_VERSION), 78);
}

static void test_input_status_exit(void **state)
{
	(void)state;
	assert_int_equal(cli_input_exit(INPUT_OK), 0);
	assert_int_equal(cli_input_exit(INPUT_ERR_OPEN), 66);
	assert_int_equal(cli_input_exit(INPUT_ERR_TOO_LARGE), 65);
	assert_int_equal(cli_input_exit(INPUT_ERR_BINARY), 65);
	assert_int_equal(cli_input_exit(INPUT_ERR_DUMP), 65);
}

/* Each pm_status has its own words; a value out of range says so. */
static void test_pm_status_string(void **state)
{
	(void)state;
	for (int a = PM_OK; a <= PM_INTERNAL; a++) {
		const char *s = pm_status_string((pm_status)a);
		assert_non_null(s);
		assert_string_not_equal(s, "unknown status");
		for (int b = PM_OK; b < a; b++)
			assert_string_not_equal(s, pm_status_string((pm_status)b));
	}
	assert_string_equal(pm_status_string((pm_status)(PM_INTERNAL + 1)), "unknown status");
	assert_int_equal(cli_exit_of((pm_status)(PM_INTERNAL + 1)), 70);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pm_status_exit),
		cmocka_unit_test(test_kb_status_exit),
		cmocka_unit_test(test_input_status_exit),
		cmocka_unit_test(test_pm_status_string),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
