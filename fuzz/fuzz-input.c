/* fuzz-input.c - libFuzzer target for the input reader (import/input.c),
 * the first code every byte of `pmkb sig`, `match`, `import` and the web
 * API meets: dump sniffing, byte-order marks and UTF-16, binary refusal,
 * charsets and the size bound. Whatever the bytes, the reader must return
 * NUL-free, valid UTF-8 of the length it says, or a dump, or a reason;
 * the text then goes through windbg_extract as `pmkb sig` sends it. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../import/input.h"
#include "../import/readers.h"
#include "../util/util.h"

static void check(const uint8_t *data, size_t size, const input_opts *o, int extract)
{
	input in;
	input_status st = input_read_mem((const char *)data, size, o, &in);
	if (st != INPUT_OK) {
		if (in.text || in.is_dump || !in.err[0] || strlen(in.err) >= sizeof in.err)
			abort(); /* a failure has a reason and nothing else */
	} else if (in.is_dump) {
		if (in.text || !in.dump.source || strcmp(in.dump.source, "dmp") != 0)
			abort();
	} else {
		if (!in.text || !in.encoding || strlen(in.text) != in.len || !utf8_valid(in.text, in.len))
			abort(); /* text is NUL-free UTF-8 of the length given */
		if (in.len > size * 3 + 3)
			abort(); /* no decoding grows a byte into more than 3 */
		if (extract) {
			pm_case *c = pm_case_new();
			windbg_extract(in.text, in.len, -1, c);
			pm_case_free(c);
		}
	}
	input_clear(&in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check(data, size, NULL, 1);
	input_opts never = {.dumps = INPUT_DUMPS_NEVER};
	check(data, size, &never, 0);
	input_opts small = {.max_text = 1u << 10};
	check(data, size, &small, 0);
	return 0;
}
