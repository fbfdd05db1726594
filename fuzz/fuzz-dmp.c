/* fuzz-dmp.c - libFuzzer target for the crash dump reader: any bytes into
 * dmp_read_mem must give an analysis or a one-line error, never a crash,
 * an out-of-bounds read or a leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../import/readers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pm_analysis a;
	char err[512], *warnings = NULL;
	pm_status ec = PM_OK;
	(void)dmp_is_dump(data, size);
	if (dmp_read_mem(data, size, &a, &warnings, err, sizeof err, &ec) == 0) {
		pm_analysis_clear(&a);
		free(warnings);
	} else if (!err[0] || strchr(err, '\n') || ec == PM_OK) {
		abort(); /* an error must be one non-empty line with a status */
	}
	return 0;
}
