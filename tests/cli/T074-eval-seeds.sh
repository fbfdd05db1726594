# T074: pmkb eval, leave-one-out over the labelled seed analyses
# (tests/data/eval/seed-dumps.tsv), with and without the shipped rules;
# bad label files refused.
. "$TOP/tests/cli/lib.sh"
L="$TOP/tests/data/eval/seed-dumps.tsv"
D="$TOP/tests/data/seeds"

expect_exit 0 "$PMKB" eval --json --data "$D" "$L"
cp "$T/out" "$T/rules.json"
jq_eq "$T/out" .analyses 14
jq_eq "$T/out" '.rr1 >= 0.85 and .mrr >= 0.9' true
# every vwifimf pTOS analysis with a stack or a bugcheck ranks another first
jq_eq "$T/out" '[.rows[] | select(.cluster == "vwifimf-nbl-ptos" and (.prose | not)) | .rank] | length' 6
jq_eq "$T/out" '[.rows[] | select(.cluster == "vwifimf-nbl-ptos" and (.prose | not)) | .rank] | all(. == 1)' true
# the causes a rule names are known; the unseen one is new
for c in gscfmgr-c4-user-handle-kernelmode lwfmgr-null-filter-handle-deregister npf-send-while-paused; do
	jq_eq "$T/out" "[.rows[] | select(.cluster == \"$c\") | .verdict] | unique | join(\",\")" known
done
jq_eq "$T/out" '.unseen_new == .unseen' true

# similarity alone: the same singletons are new, ranking still holds
expect_exit 0 "$PMKB" eval --json --rules /dev/null --data "$D" "$L"
jq_eq "$T/out" .rules 0
jq_eq "$T/out" '.rr1 >= 0.7' true
for c in gscfmgr-c4-user-handle-kernelmode lwfmgr-null-filter-handle-deregister npf-send-while-paused; do
	jq_eq "$T/out" "[.rows[] | select(.cluster == \"$c\") | .verdict] | unique | join(\",\")" new
done
jq_eq "$T/out" '.new_rate == 1' true
jq_eq "$T/out" '.auc >= 0.75' true

# text report
expect_exit 0 "$PMKB" eval -v --data "$D" "$L"
contains "$T/out" "RR@1"
contains "$T/out" "MRR"
contains "$T/out" "AUC known vs new"
# other analyses of the same case left out too
expect_exit 0 "$PMKB" eval --json --exclude-case --data "$D" "$L"
jq_eq "$T/out" .exclude_case true
# without rules and without the own case, the vwifimf analyses of thread 001
# must still find thread 000, whose D1 names vwifimf only in prose (its
# stack was a screenshot): 0.286 before the prose-named modules, 0.571 after
expect_exit 0 "$PMKB" eval --json --rules /dev/null --exclude-case --data "$D" "$L"
jq_eq "$T/out" '.rr1 >= 0.55 and .mrr >= 0.65' true
jq_eq "$T/out" '.new_rate' 1

# the same, one query: the 0xFC of thread 001 mail 19 (nwifi, tcpip and the
# vwifimf Filt pool tag) against thread 000 alone ranks its vwifimf case first
sed -n '/====第19封邮件====/,/====第20封邮件====/p' "$D/001_a48089f2710e0f3a.txt" >"$T/q19.txt"
expect_exit 0 "$PMKB" --db "$T/kb0" import "$D/000_e3b3544fec26024b.txt"
"$PMKB" --db "$T/kb0" match --json --rules /dev/null "$T/q19.txt" >"$T/out"
jq_eq "$T/out" '.matches[0].case' CAS-06133-X9Z4Q7
# (a module only a text names counts prose_credit of a module the analysis shows)
jq_eq "$T/out" '.matches[0].parts.modules > 0' true
jq_eq "$T/out" '[.matches[0].evidence[] | select(.field == "module-text") | .query] | join(",")' vwifimf

# labels next to their data: resolved relative to the TSV's directory
mkdir -p "$T/set"
cp "$D"/*.txt "$T/set/"
cp "$L" "$T/set/labels.tsv"
expect_exit 0 "$PMKB" eval --json "$T/set/labels.tsv"
jq_eq "$T/out" .analyses 14

# the WinDbg corpus format: file, bugcheck, key_module, cluster
printf 'file\tbugcheck\tkey_module\tcluster\n' >"$T/set/wb.tsv"
printf '003_25707b60ca074d00.txt\t0x3b\tnpf\tnpf\n002_413591d54dd1d178.txt\t0x7e\tlwfmgr\tlwfmgr\n' >>"$T/set/wb.tsv"
printf '000_e3b3544fec26024b.txt\t0x7f\thwusbclient\thw\n' >>"$T/set/wb.tsv"
expect_exit 0 "$PMKB" eval --json --rules /dev/null "$T/set/wb.tsv"
jq_eq "$T/out" .analyses 3
jq_eq "$T/out" .with_mate 0

# bad label files
expect_exit 66 "$PMKB" eval "$T/none.tsv"
printf 'a\tb\n1\t2\n' >"$T/nohdr.tsv"
expect_exit 65 "$PMKB" eval "$T/nohdr.tsv"
contains "$T/err" "cluster"
printf 'seed\temail\tcluster\nx.txt\t1\n' >"$T/short.tsv"
expect_exit 65 "$PMKB" eval "$T/short.tsv"
contains "$T/err" "line 2"
printf 'seed\temail\tcluster\n../../etc/passwd\t1\tx\n' >"$T/escape.tsv"
expect_exit 65 "$PMKB" eval "$T/escape.tsv"
printf 'seed\temail\tcluster\nmissing.txt\t1\tx\n' >"$T/missing.tsv"
expect_exit 66 "$PMKB" eval "$T/missing.tsv"
contains "$T/err" "missing.txt"
printf 'seed\temail\tcluster\n' >"$T/empty.tsv"
expect_exit 65 "$PMKB" eval "$T/empty.tsv"
head -c 5000 /dev/urandom >"$T/bin.tsv"
expect_exit 65 "$PMKB" eval "$T/bin.tsv"
expect_exit 64 "$PMKB" eval
exit 0
