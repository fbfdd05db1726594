/* testdata.h - reading a test data file in a cmocka unit test. Include
 * after <cmocka.h>; tests run from the top of the tree, so paths are
 * "tests/data/...". */
#ifndef PMKB_TESTDATA_H
#define PMKB_TESTDATA_H

#include "../../util/util.h"

/* The whole file, NUL-terminated, caller frees; *len (may be NULL) gets
 * its length. A file that cannot be read fails the running test. */
__attribute__((noinline, unused)) static char *test_load(const char *path, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	char err[256];
	pm_status st = PM_OK;
	if (read_file_bounded(path, 64u << 20, &buf, &n, err, sizeof err, &st) != 0)
		fail_msg("cannot read %s: %s", path, err);
	if (len)
		*len = n;
	return buf;
}

#endif
