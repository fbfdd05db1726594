# T075: pmkb rules test replays every stored analysis against the rules;
# match on an input holding several analyses matches each.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
expect_exit 0 "$PMKB" import "$S"/0*.txt

expect_exit 0 "$PMKB" rules test
contains "$T/out" "gscfmgr-c4-user-handle: 1 analyses: CAS-02698-C5V4N5"
contains "$T/out" "lwfmgr-null-filter-handle: 1 analyses: CAS-04223-R4W0Q7"
contains "$T/out" "npf-send-while-paused: 1 analyses: 003_25707b60ca074d00"
contains "$T/out" "hwusbclient-double-fault: 1 analyses: CAS-06133-X9Z4Q7"
contains "$T/out" "no rule:"
expect_exit 0 "$PMKB" rules test --json
# the vwifimf pTOS rule catches the 1803, 0xFC and 0x1E analyses of CAS-02698
jq_eq "$T/out" '[.rules[] | select(.id == "vwifimf-nbl-ptos") | .caught[] | select(.case == "CAS-02698-C5V4N5")] | length >= 3' true
jq_eq "$T/out" '.analyses >= 12' true
# every stored analysis is either caught or listed under no_rule
jq_eq "$T/out" '.analyses as $n | ([.rules[].caught[] | "\(.case)#\(.analysis)"] + [.no_rule[] | "\(.case)#\(.analysis)"]) | unique | length == $n' true
# with no rules, everything is under no_rule
expect_exit 0 "$PMKB" rules test --json --rules /dev/null
jq_eq "$T/out" '(.no_rule | length) == .analyses' true
# with no knowledge base: the documented error
expect_exit 66 "$PMKB" --db "$T/none" rules test

# rules check against this knowledge base: the shipped rules name only
# stored cases; a rule naming a case not stored gets a warning (not refused)
expect_exit 0 "$PMKB" rules check "$TOP/data/rules.conf"
lacks "$T/err" "warning"
printf '[rule r]\ntitle = r\nmodule = x\ncases = CAS-00000-NOPE00 CAS-04223-R4W0Q7\n' >"$T/ref.conf"
expect_exit 0 "$PMKB" rules check "$T/ref.conf"
contains "$T/err" "$T/ref.conf:1: rule 'r' names case 'CAS-00000-NOPE00', which the knowledge base does not hold"
lacks "$T/err" "CAS-04223-R4W0Q7"

# thread 000 mail 3 holds two analyses: the HwUsbClient double fault and a
# vwifimf D1; each is matched
sed -n '/====第3封邮件====/,/====第4封邮件====/p' "$S/000_e3b3544fec26024b.txt" >"$T/two.txt"
expect_exit 0 "$PMKB" match --json "$T/two.txt"
jq_eq "$T/out" '.results | length' 2
jq_eq "$T/out" '.results[0].dump' liyue-hwclient.DMP
jq_eq "$T/out" '.results[0].result.rule.id' hwusbclient-double-fault
jq_eq "$T/out" '.results[1].analysis' 1
jq_eq "$T/out" '.results[1].result.matches | length > 0' true
expect_exit 0 "$PMKB" match "$T/two.txt"
contains "$T/out" "== analysis 1 of 2 (liyue-hwclient.DMP)"
contains "$T/out" "== analysis 2 of 2"
exit 0
