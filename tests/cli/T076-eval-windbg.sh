# T076: pmkb eval on the labelled public WinDbg analyses (tests/data/windbg,
# labels.tsv: file, bugcheck, key_module, cluster), and the shipped rules
# fire on none of them (no false "known" on other drivers' crashes).
. "$TOP/tests/cli/lib.sh"
W="$TOP/tests/data/windbg"
[ -f "$W/labels.tsv" ] || { echo "no tests/data/windbg/labels.tsv"; exit 77; }
n=$(grep -vc '^file' "$W/labels.tsv")

expect_exit 0 "$PMKB" eval --json "$W/labels.tsv"
jq_eq "$T/out" .analyses "$n"
# floors that guard against regressions (docs/matching.md gives the figures)
jq_eq "$T/out" '.rr1 >= 0.55 and .mrr >= 0.6' true
jq_eq "$T/out" '.new_rate >= 0.6' true
jq_eq "$T/out" '.auc >= 0.6' true
# the rules change nothing here: they name other drivers
cp "$T/out" "$T/with.json"
expect_exit 0 "$PMKB" eval --json --rules /dev/null "$W/labels.tsv"
jq_eq "$T/out" '.rr1' "$(jq -r .rr1 "$T/with.json")"

expect_exit 0 "$PMKB" import "$W"/*.txt
expect_exit 0 "$PMKB" rules test --json
jq_eq "$T/out" '[.rules[].caught[]] | length' 0
jq_eq "$T/out" '.no_rule | length' "$n"

# matching one public analysis against the others: same driver ranks first
expect_exit 0 "$PMKB" match --json "$W/dokany-344-exceptionfilter.txt"
jq_eq "$T/out" '[.matches[].case] | index("dokany-207-exceptionfilter") != null' true
exit 0
