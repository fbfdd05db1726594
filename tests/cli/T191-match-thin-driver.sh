# T191: a thin query (a stop code and the driver its prose names, no stack)
# ranks the case that shows that driver before the many that share only
# the code (docs/matching.md, sections 2 and 3). Real input from the public
# corpus: HyperDbg#30's "DRIVER_IRQL_NOT_LESS_OR_EQUAL ... hprdbghv.sys+1b27a"
# against a knowledge base of every other public text, which holds the
# thread's `k` rows (hprdbghv+0x1b70a, no code printed) and a dozen other
# 0xd1 headers and titles. Before, the stack pasted alone ranked 24th: its
# missing code counted as a disagreement, and code-only agreement ranked
# as high as for a query with a stack.
. "$TOP/tests/cli/lib.sh"
D="$TOP/tests/data/public"
Q="$D/hyperdbg-30-prose-d1.txt"
[ -f "$Q" ] || { echo "no $Q"; exit 77; }
mkdir "$T/in"
for f in "$D"/*.txt; do
	[ "$f" = "$Q" ] || cp "$f" "$T/in/"
done
expect_exit 0 "$PMKB" import "$T/in"
"$PMKB" match --json -n 20 --rules /dev/null "$Q" >"$T/out" 2>"$T/err"
[ $? -le 1 ] || { cat "$T/err"; fail "match exited $?"; }
jq_eq "$T/out" '.matches[0].case' hyperdbg-30-k-rows
# the case prints no code: the part is unknown, not 0
jq_eq "$T/out" '.matches[0].parts.bugcheck' null
jq_eq "$T/out" '.matches[0].parts.culprit > 0' true
# code-only cases follow, flagged as such
jq_eq "$T/out" '[.matches[1:][] | select(.bugcheck_only)] | length > 3' true
# the driver alone is not a verdict: still new (section 3)
jq_eq "$T/out" '.verdict' new
