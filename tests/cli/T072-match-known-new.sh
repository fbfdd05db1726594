# T072: the gscfmgr, lwfmgr and npf analyses are "known" against the shipped
# rules, and "new" (exit 1) against a knowledge base that lacks both their
# rule and their case, instead of returning the nearest case anyway.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
block() { sed -n "/====第$2封邮件====/,/====第$(($2 + 1))封邮件====/p" "$1"; }
# without RULE: the shipped rules minus one block
without() {
	awk -v id="[rule $1]" '/^\[rule / { skip = ($0 == id) } !skip' "$TOP/data/rules.conf" >"$T/rules-$1.conf"
	expect_exit 0 "$PMKB" rules check "$T/rules-$1.conf"
}

block "$S/001_a48089f2710e0f3a.txt" 15 >"$T/gscfmgr.txt"
cp "$TOP/tests/data/sig/lwfmgr-kc.txt" "$T/lwfmgr.txt"
cp "$S/003_25707b60ca074d00.txt" "$T/npf.txt"

expect_exit 0 "$PMKB" import "$S"/0*.txt

check_known() { # FILE RULE CASE
	expect_exit 0 "$PMKB" match --json "$1"
	jq_eq "$T/out" .verdict known
	jq_eq "$T/out" .rule.id "$2"
	jq_eq "$T/out" '.confidence >= 0.8' true
	jq_eq "$T/out" '.matches[0].case' "$3"
	jq_eq "$T/out" '.rule.steps.en | length > 10' true
}
check_known "$T/gscfmgr.txt" gscfmgr-c4-user-handle CAS-02698-C5V4N5
check_known "$T/lwfmgr.txt" lwfmgr-null-filter-handle CAS-04223-R4W0Q7
check_known "$T/npf.txt" npf-send-while-paused 003_25707b60ca074d00
jq_eq "$T/out" '.rule.conditions[] | select(.condition == "frame = ndis!NdisFSendNetBufferLists") | .matched' true

# the same analyses against knowledge bases without their case and rule
check_new() { # FILE RULE DB-THREADS...
	f=$1; r=$2; shift 2
	without "$r"
	rm -rf "$T/kb-$r"
	expect_exit 0 "$PMKB" --db "$T/kb-$r" import "$@"
	expect_exit 1 "$PMKB" --db "$T/kb-$r" match --json --rules "$T/rules-$r.conf" "$f"
	jq_eq "$T/out" .verdict new
	jq_eq "$T/out" .rule null
	jq_eq "$T/out" '.confidence < 0.5' true
	expect_exit 1 "$PMKB" --db "$T/kb-$r" match --rules "$T/rules-$r.conf" "$f"
	contains "$T/out" "new (confidence"
}
check_new "$T/gscfmgr.txt" gscfmgr-c4-user-handle "$S/000_e3b3544fec26024b.txt" "$S/002_413591d54dd1d178.txt" \
	"$S/003_25707b60ca074d00.txt" "$S/004_f83e32c4bf43c7da.txt"
check_new "$T/lwfmgr.txt" lwfmgr-null-filter-handle "$S/000_e3b3544fec26024b.txt" "$S/001_a48089f2710e0f3a.txt" \
	"$S/003_25707b60ca074d00.txt" "$S/004_f83e32c4bf43c7da.txt"
check_new "$T/npf.txt" npf-send-while-paused "$S/000_e3b3544fec26024b.txt" "$S/001_a48089f2710e0f3a.txt" \
	"$S/002_413591d54dd1d178.txt" "$S/004_f83e32c4bf43c7da.txt"

# the case alone (no rule) is enough to make it known again
without npf-send-while-paused
expect_exit 0 "$PMKB" match --json --rules "$T/rules-npf-send-while-paused.conf" "$T/npf.txt"
jq_eq "$T/out" '.matches[0].case' 003_25707b60ca074d00
jq_eq "$T/out" '.verdict == "known" or .verdict == "similar"' true
exit 0
