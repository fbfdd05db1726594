/* fuzz-config.c - libFuzzer target for the configuration file reader: any
 * bytes into config_parse give entries or one "name:line: reason" error,
 * never a crash or a leak; what was parsed reads back through config_get
 * (each key's last value) and config_get_double. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../util/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	pm_config *c = config_new();
	char err[512] = "";
	if (config_parse(c, text, "fuzz", err, sizeof err) == 0) {
		for (size_t i = 0; i < config_count(c); i++) {
			const char *v = NULL;
			const char *k = config_key(c, i, &v);
			if (!k || !v || !config_key_valid(k))
				abort(); /* an entry is a valid key with a value */
			const char *g = config_get(c, k);
			if (!g || strcmp(g, v))
				abort(); /* the key reads back as its entry's value */
			double d;
			char e2[256];
			(void)config_get_double(c, k, 0, &d, e2, sizeof e2);
		}
	} else if (!err[0] || strchr(err, '\n') || strncmp(err, "fuzz", 4)) {
		abort(); /* an error is one non-empty line naming the file */
	}
	config_free(c);
	free(text);
	return 0;
}
