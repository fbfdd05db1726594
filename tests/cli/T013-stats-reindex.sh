# T013: stats counts, and reindex rebuilds the index from SQLite alone
# (here after the index was deleted).
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
[ -d "$S" ] || { echo "tests/data/seeds is missing"; exit 77; }

# no knowledge base yet: input missing, with a hint
expect_exit 66 "$PMKB" stats
contains "$T/err" "pmkb: cannot open knowledge base"
contains "$T/err" "hint:"

expect_exit 0 "$PMKB" import "$S"/*.txt
expect_exit 0 "$PMKB" stats --json
for k in cases messages analyses notes frames modules pool_tags indexed; do
	jq -e "has(\"$k\")" "$T/out" >/dev/null || fail "stats lacks $k"
done
expect_exit 0 "$PMKB" stats
contains "$T/out" "cases      5"

expect_exit 0 "$PMKB" search --json 蓝屏
jq -S '[.results[].case] | sort' "$T/out" >"$T/before"

rm -rf "$PMKB_DB/xapian"
expect_exit 70 "$PMKB" search 蓝屏
contains "$T/err" "reindex"
expect_exit 0 "$PMKB" reindex
contains "$T/out" "reindexed 5 cases"
expect_exit 0 "$PMKB" search --json 蓝屏
jq -S '[.results[].case] | sort' "$T/out" >"$T/after"
cmp "$T/before" "$T/after" || fail "reindex changed the results"
expect_exit 0 "$PMKB" search vwifimf
[ "$(wc -l <"$T/out")" -eq 2 ] || fail "vwifimf after reindex"
expect_exit 64 "$PMKB" reindex extra

# a writable open that finds the index gone rebuilds it by itself
rm -rf "$PMKB_DB/xapian"
expect_exit 0 "$PMKB" import "$S/003_25707b60ca074d00.txt"
expect_exit 0 "$PMKB" stats --json
jq_eq "$T/out" .indexed 5
expect_exit 0 "$PMKB" search vwifimf
[ "$(wc -l <"$T/out")" -eq 2 ] || fail "vwifimf after the automatic rebuild"
