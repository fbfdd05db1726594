# T164: search finds what it says. Quoted phrases are phrases (word
# positions are indexed, for the CJK n-grams too); date:FROM..TO keeps the
# cases whose last message is in the range; --sort date|oldest; --count;
# a snippet per hit; an unknown field or a bad value is a usage error with
# a hint, not "no hit".
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
expect_exit 0 "$PMKB" import "$S"

# "double fault": the words are in two cases, the phrase in one
expect_exit 0 "$PMKB" search double fault
[ "$(wc -l <"$T/out")" -eq 2 ] || { cat "$T/out"; fail "the two words should match two cases"; }
expect_exit 0 "$PMKB" search '"double fault"'
[ "$(wc -l <"$T/out")" -eq 1 ] || { cat "$T/out"; fail "the phrase should match one case"; }
contains "$T/out" CAS-06133-X9Z4Q7
# Chinese: no case holds 无线驱动 (无线 and 驱动 are in several)
expect_exit 1 "$PMKB" search '"无线驱动"'
expect_exit 0 "$PMKB" search '"网卡驱动"'
[ "$(wc -l <"$T/out")" -eq 1 ] || { cat "$T/out"; fail "网卡驱动 is in one case"; }
contains "$T/out" CAS-02698-C5V4N5
grep -l "网卡驱动" "$S"/0*.txt | grep -q 001_ || fail "the seed no longer holds the phrase"

# date ranges, on the last message date (seeds: 2020-09-15, 2021-06-25,
# 2022-05-23, 2023-03-17 and one thread without dates)
expect_exit 0 "$PMKB" search --json 'date:2021..2022'
jq_eq "$T/out" '[.results[].case] | sort | join(" ")' "CAS-04223-R4W0Q7 CAS-06133-X9Z4Q7"
expect_exit 0 "$PMKB" search --json '蓝屏 date:2022-05-23..'
jq_eq "$T/out" '[.results[].case] | sort | join(" ")' "CAS-06133-X9Z4Q7 CAS-08433-X3V6G7"
expect_exit 0 "$PMKB" search --json 'date:..2020-09'
jq_eq "$T/out" '[.results[].case] | join(" ")' "CAS-02698-C5V4N5"
expect_exit 1 "$PMKB" search 'date:2024..'

# sort: newest or oldest last message first
expect_exit 0 "$PMKB" search --json --sort date customer:icbc
jq_eq "$T/out" '[.results[].case] | join(" ")' "CAS-06133-X9Z4Q7 CAS-04223-R4W0Q7 CAS-02698-C5V4N5"
expect_exit 0 "$PMKB" search --json --sort oldest customer:icbc
jq_eq "$T/out" '[.results[].case] | join(" ")' "CAS-02698-C5V4N5 CAS-04223-R4W0Q7 CAS-06133-X9Z4Q7"
# limit and offset page through the same order
expect_exit 0 "$PMKB" search --json --sort date -n 1 --offset 1 customer:icbc
jq_eq "$T/out" '[.results[].case] | join(" ")' "CAS-04223-R4W0Q7"

# a count, exact
expect_exit 0 "$PMKB" search --count customer:icbc
[ "$(cat "$T/out")" = 3 ] || fail "count: $(cat "$T/out")"
expect_exit 1 "$PMKB" search --count zzqqxxnotaword
[ "$(cat "$T/out")" = 0 ] || fail "count of nothing: $(cat "$T/out")"

# a snippet per hit: where the phrase is
expect_exit 0 "$PMKB" search --json '"double fault"'
jq_eq "$T/out" '.results[0].snippet | contains("double fault")' true
expect_exit 0 "$PMKB" search --snippets '"网卡驱动"'
[ "$(wc -l <"$T/out")" -eq 2 ] || { cat "$T/out"; fail "one line and its snippet"; }
sed -n 2p "$T/out" | grep -q '^    .*网卡驱动' || { cat "$T/out"; fail "the snippet line"; }
# without --snippets: one line per case, as scripts read it
expect_exit 0 "$PMKB" search '"网卡驱动"'
[ "$(wc -l <"$T/out")" -eq 1 ] || fail "text search is one line per case"

# unknown fields and bad values: usage errors with the fields in a hint
for q in 'modul:vwifimf' 'date:2022' 'date:2022-13..' 'bugcheck:blue' 'module:' 'vwifimf date:..'; do
	expect_exit 64 "$PMKB" search "$q"
	[ "$(grep -c '^pmkb: ' "$T/err")" -eq 1 ] || { cat "$T/err"; fail "not one error line for '$q'"; }
	contains "$T/err" "hint: fields: case: customer: bugcheck:0xd1 module:"
done
expect_exit 64 "$PMKB" search modul:vwifimf
contains "$T/err" "pmkb: search failed: unknown field 'modul:'"
expect_exit 64 "$PMKB" search 'date:2022-13..'
contains "$T/err" "'date:2022-13..' is not a date range"
# a colon inside quotes is text, not a field
expect_exit 1 "$PMKB" search '"modul: vwifimf"'
expect_exit 64 "$PMKB" search --sort size 蓝屏
exit 0
