/* test-import-progress.c - the progress line of pmkb import
 * (cli/import-progress.c): counts with and without a total, the rate and
 * the ETA from the time passed, the messages of a mail source counted
 * apart and then added to the final line, the final line's time taken. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../cli/import-progress.h"

static void test_files_eta(void **state)
{
	(void)state;
	import_progress p;
	import_progress_start(&p, 0, 1000);
	for (int i = 0; i < 250; i++)
		import_progress_step(&p, i / 2, i / 4);
	char line[256];
	/* 250 files in 10 s: 25 files/s, 750 to go: 30 s */
	import_progress_format(&p, p.start + 10, 0, line, sizeof line);
	assert_string_equal(line, "250 of 1000 files (25%), 124 cases, 62 analyses, 25 files/s, ETA 0:30");
	/* the final line says the time taken, not an ETA */
	import_progress_format(&p, p.start + 3725, 1, line, sizeof line);
	assert_non_null(strstr(line, "done in 1:02:05"));
	assert_null(strstr(line, "ETA"));
}

static void test_unknown_total(void **state)
{
	(void)state;
	import_progress p;
	import_progress_start(&p, 0, 0);
	import_progress_step(&p, 1, 0);
	char line[256];
	import_progress_format(&p, p.start + 0.1, 0, line, sizeof line);
	assert_string_equal(line, "1 files, 1 cases, 0 analyses");
	/* a walk that counted fewer than were read never shows over 100% */
	import_progress_start(&p, 0, 2);
	for (int i = 0; i < 3; i++)
		import_progress_step(&p, 0, 0);
	import_progress_format(&p, p.start + 0.1, 0, line, sizeof line);
	assert_string_equal(line, "3 of 3 files (100%), 0 cases, 0 analyses");
}

static void test_mail_source(void **state)
{
	(void)state;
	import_progress p;
	import_progress_start(&p, 0, 2);
	import_progress_step(&p, 1, 1); /* a thread file */
	import_progress_mail(&p);       /* then a maildir of 40 messages */
	import_progress_total(&p, 40);
	for (int i = 0; i < 10; i++)
		import_progress_step(&p, 1 + i, 1);
	char line[256];
	import_progress_format(&p, p.start + 2, 0, line, sizeof line);
	assert_string_equal(line, "10 of 40 messages (25%), 10 cases, 1 analyses, 5 messages/s, ETA 0:06");
	for (int i = 10; i < 40; i++)
		import_progress_step(&p, 1 + i, 1);
	import_progress_mail_end(&p, 41, 1);
	import_progress_format(&p, p.start + 0.1, 0, line, sizeof line);
	assert_string_equal(line, "2 of 2 files (100%), 40 messages, 41 cases, 1 analyses");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_files_eta),
		cmocka_unit_test(test_unknown_total),
		cmocka_unit_test(test_mail_source),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
