# T163: rule impact before it lands. rules diff OLD NEW on a loosened rule
# lists exactly the analyses it newly catches (the stack-less 0x50 of thread
# 001, mail 8); rules test --rules NEW shows the same against the rules in
# force; DIR/rules.conf and $PMKB_RULES add to the shipped rules (an id
# already there is replaced); rules list --syntax prints the files in force.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
R="$TOP/data/rules.conf"
expect_exit 0 "$PMKB" import "$S"

# loosen one rule: the NULL-0x18 read no longer needs vwifimf evidence
awk '/^\[rule / { inrule = ($2 == "vwifimf-nbl-ptos-null-read]") }
     inrule && /^require = / { print "require = bugcheck arg1"; next }
     inrule && /^threshold = / { print "threshold = 0.25"; next }
     { print }' "$R" >"$T/loose.conf"
cmp -s "$R" "$T/loose.conf" && fail "the rule was not loosened"
expect_exit 0 "$PMKB" rules check "$T/loose.conf"

expect_exit 0 "$PMKB" rules diff --json "$R" "$T/loose.conf"
jq_eq "$T/out" .analyses 12
jq_eq "$T/out" .changed 1
jq_eq "$T/out" .newly_caught 1
jq_eq "$T/out" .no_longer_caught 0
jq_eq "$T/out" '.changes[0] | "\(.case)#\(.analysis)"' "CAS-02698-C5V4N5#1"
jq_eq "$T/out" '.changes[0].old.rule' null
jq_eq "$T/out" '.changes[0].new.rule' vwifimf-nbl-ptos-null-read
jq_eq "$T/out" '.changes[0].old.verdict' new
jq_eq "$T/out" '.changes[0].new.verdict' known
expect_exit 0 "$PMKB" rules diff "$R" "$T/loose.conf"
contains "$T/out" "CAS-02698-C5V4N5#2: rule - -> vwifimf-nbl-ptos-null-read; verdict new -> known"
contains "$T/out" "1 of 12 analyses change (1 newly caught by a rule, 0 no longer)"
# the other way round: no longer caught
expect_exit 0 "$PMKB" rules diff --json "$T/loose.conf" "$R"
jq_eq "$T/out" .no_longer_caught 1
# no change at all
expect_exit 0 "$PMKB" rules diff --json "$R" "$R"
jq_eq "$T/out" .changed 0
# every rule removed: every analysis a rule caught changes
expect_exit 0 "$PMKB" rules diff --json "$R" /dev/null
jq_eq "$T/out" '.no_longer_caught == .changed and .changed >= 9' true

# the eval figures before and after, on the labelled seed analyses
expect_exit 0 "$PMKB" rules diff --eval "$TOP/tests/data/eval/seed-dumps.tsv" --data "$S" "$R" "$T/loose.conf"
contains "$T/out" "CAS-02698-C5V4N5#2: rule - -> vwifimf-nbl-ptos-null-read"
contains "$T/out" "eval with OLD ($R):"
contains "$T/out" "eval with NEW ($T/loose.conf):"
[ "$(grep -c '^labelled analyses: 14' "$T/out")" -eq 2 ] || { cat "$T/out"; fail "two eval reports"; }
expect_exit 64 "$PMKB" rules diff --json --eval "$TOP/tests/data/eval/seed-dumps.tsv" "$R" "$T/loose.conf"

# rules test --rules NEW: the replay, then the changes against those in force
expect_exit 0 "$PMKB" rules test --rules "$T/loose.conf"
contains "$T/out" "vwifimf-nbl-ptos-null-read: 1 analyses: CAS-02698-C5V4N5 #2"
contains "$T/out" "against the rules in force:"
contains "$T/out" "CAS-02698-C5V4N5#2: rule - -> vwifimf-nbl-ptos-null-read"

# DIR/rules.conf adds to the shipped rules; in force for match and test
n=$("$PMKB" rules list --json | jq '.rules | length')
printf '[rule local-ndis-paused]\ntitle = a local rule\nframe = ndis!NdisFSendNetBufferLists\nmodule = npf\n' >"$PMKB_DB/rules.conf"
expect_exit 0 "$PMKB" rules list --json
jq_eq "$T/out" '.rules | length' $((n + 1))
jq_eq "$T/out" '.rules[-1].id' local-ndis-paused
# the loosened file as DIR/rules.conf replaces the shipped rule of that id:
# rules test now agrees with the loosened set
cat "$T/loose.conf" >>"$PMKB_DB/rules.conf"
expect_exit 0 "$PMKB" rules list --json
jq_eq "$T/out" '.rules | length' $((n + 1))
jq_eq "$T/out" '[.rules[] | select(.id == "vwifimf-nbl-ptos-null-read")][0].threshold' 0.25
expect_exit 0 "$PMKB" rules diff --json "$R" "$T/loose.conf"
expect_exit 0 "$PMKB" rules test --rules "$T/loose.conf"
contains "$T/out" "0 of 12 analyses change"
# $PMKB_RULES adds too
printf '[rule env-rule]\ntitle = from the environment\nmodule = lwfmgr\n' >"$T/env.conf"
PMKB_RULES="$T/env.conf"
export PMKB_RULES
expect_exit 0 "$PMKB" rules list --json
jq_eq "$T/out" '.rules[-1].id' env-rule
# the file syntax of what is in force, each file named
expect_exit 0 "$PMKB" rules list --syntax
contains "$T/out" "# --- the shipped rules"
contains "$T/out" "[rule vwifimf-nbl-ptos]"
contains "$T/out" "# --- $PMKB_DB/rules.conf (added to the rules above)"
contains "$T/out" "# --- $T/env.conf (added to the rules above)"
sed -n '/# --- the shipped rules/,/# --- /p' "$T/out" | sed '1d;$d' >"$T/shipped.conf"
expect_exit 0 "$PMKB" rules check "$T/shipped.conf"
# a bad file in force is refused as a whole, naming it
printf '[rule bad\n' >"$T/env.conf"
expect_exit 65 "$PMKB" match "$T/loose.conf"
contains "$T/err" "$T/env.conf:1:"
unset PMKB_RULES

# usage
expect_exit 64 "$PMKB" rules diff "$R"
expect_exit 64 "$PMKB" rules list --syntax --json
expect_exit 66 "$PMKB" rules diff "$R" "$T/none.conf"
exit 0
