# T011: search: free text (English and Chinese), fields with normalised
# values, JSON output, paging, exit 1 on no match.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
[ -d "$S" ] || { echo "tests/data/seeds is missing"; exit 77; }
expect_exit 0 "$PMKB" import "$S"/*.txt

# the two ICBC cases that discuss vwifimf, and only them
expect_exit 0 "$PMKB" search vwifimf
contains "$T/out" CAS-06133-X9Z4Q7
contains "$T/out" CAS-02698-C5V4N5
[ "$(wc -l <"$T/out")" -eq 2 ] || { cat "$T/out"; fail "vwifimf should match exactly 2 cases"; }
# one line per case: id, date, customer, title
grep -q '^CAS-06133-X9Z4Q7  20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]  ICBC  ' "$T/out" || { cat "$T/out"; fail "line format"; }

expect_exit 0 "$PMKB" search 蓝屏
[ "$(wc -l <"$T/out")" -ge 3 ] || { cat "$T/out"; fail "蓝屏 should match most cases"; }
expect_exit 0 "$PMKB" search 中信建投
contains "$T/out" CAS-08433-X3V6G7
expect_exit 0 "$PMKB" search customer:中信建投
contains "$T/out" CAS-08433-X3V6G7
[ "$(wc -l <"$T/out")" -eq 1 ] || fail "customer:中信建投 should match one case"
expect_exit 0 "$PMKB" search customer:icbc
[ "$(wc -l <"$T/out")" -eq 3 ] || { cat "$T/out"; fail "customer:icbc should match the three ICBC cases"; }
expect_exit 0 "$PMKB" search case:cas-02698-c5v4n5
[ "$(wc -l <"$T/out")" -eq 1 ] || fail "case: should match one case"
expect_exit 0 "$PMKB" search customer:ICBC vwifimf
[ "$(wc -l <"$T/out")" -eq 2 ] || fail "customer:ICBC vwifimf"
expect_exit 1 "$PMKB" search vwifimf NOT customer:icbc

# one bugcheck code however it is spelt (util/norm.c): the 0xFC case
for q in bugcheck:0xfc bugcheck:FC bugcheck:0x000000FC bugcheck:0x100000fc \
	 bugcheck:0x00000000100000fc bugcheck:100000FC; do
	expect_exit 0 "$PMKB" search "$q"
	contains "$T/out" CAS-02698-C5V4N5
done

# JSON (docs/search-json.md)
expect_exit 0 "$PMKB" search --json vwifimf
jq_eq "$T/out" '.results | length' 2
jq_eq "$T/out" .query vwifimf
jq_eq "$T/out" '[.results[].case] | sort | join(",")' CAS-02698-C5V4N5,CAS-06133-X9Z4Q7
jq_eq "$T/out" '.results[0] | has("title") and has("customer") and has("date") and has("weight") and has("next_steps")' true
expect_exit 0 "$PMKB" search --json -n 1 vwifimf
jq_eq "$T/out" '.results | length' 1
first=$(jq -r '.results[0].case' "$T/out")
expect_exit 0 "$PMKB" search --json -n 1 --offset 1 vwifimf
jq_eq "$T/out" '.results | length' 1
[ "$(jq -r '.results[0].case' "$T/out")" != "$first" ] || fail "--offset did not page"

# nothing matched: exit 1, and JSON says so
expect_exit 1 "$PMKB" search zzqqxxnotaword
[ ! -s "$T/out" ] || fail "no output expected"
expect_exit 1 "$PMKB" search --json zzqqxxnotaword
jq_eq "$T/out" '.results | length' 0

# usage errors
expect_exit 64 "$PMKB" search
expect_exit 64 "$PMKB" search -n x vwifimf
expect_exit 64 "$PMKB" search --bogus vwifimf
expect_exit 0 "$PMKB" search --help
contains "$T/out" "bugcheck:"
# stray syntax is read as words, never a crash
expect_exit 1 "$PMKB" search '(("zzqq AND OR'

# 64-bit numbers (stack addresses, arguments) are not words of the index;
# 8-digit ones are: NTSTATUS codes and driver time stamps stay searchable
expect_exit 1 "$PMKB" search 'ffff8102`075046a0'
expect_exit 1 "$PMKB" search ffff8102075046a0
expect_exit 0 "$PMKB" search c0000005
expect_exit 0 "$PMKB" search 5F6414D9
expect_exit 0 "$PMKB" search 'kebugcheckex'
