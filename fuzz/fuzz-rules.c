/* fuzz-rules.c - libFuzzer target for the rules language: any bytes into
 * rules_parse give a ruleset or "name:line: reason" errors, never a crash
 * or a leak; a parsed ruleset is evaluated on a real seed signature. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../matcher/rules.h"

static pm_signature *fixture(void)
{
	static sig_frame frames[3];
	static sig_pooltag tags[1];
	static char *mods[] = {"ndis", "nwifi", "vwifimf"};
	static char *tp[] = {"vwifimf"};
	static pm_signature s;
	frames[0] = (sig_frame){.key = "nt!KeBugCheckEx", .module = "nt", .function = "KeBugCheckEx", .skip = "bugcheck"};
	frames[1] = (sig_frame){.key = "nwifi!Dot11SendCompletion", .module = "nwifi", .function = "Dot11SendCompletion"};
	frames[2] = (sig_frame){.key = "vwifimf+0x1f92", .module = "vwifimf", .offset = "0x1f92", .third_party = 1};
	tags[0] = (sig_pooltag){.tag = "Filt", .owner = "vwifimf"};
	s = (pm_signature){.bugcheck = "0x1e", .args = {"0xffffffffc0000005"}, .frames = frames, .nframes = 3,
			   .modules = mods, .nmodules = 3, .third_party = tp, .nthird_party = 1,
			   .pool_tags = tags, .npool_tags = 1, .process = "system", .image = "vwifimf"};
	return &s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ruleset *rs = NULL;
	sbuf err = {0};
	if (rules_parse("fuzz", (const char *)data, size, &rs, &err) == 0) {
		if (err.len)
			abort(); /* success says nothing */
		rule_result res;
		rules_best(rs, fixture(), &res);
		rule_result_clear(&res);
		rules_free(rs);
	} else if (rs || !err.len || strncmp(sb_str(&err), "fuzz:", 5)) {
		abort(); /* failure: nothing returned, errors named "fuzz:LINE: ..." */
	}
	sb_free(&err);
	return 0;
}
