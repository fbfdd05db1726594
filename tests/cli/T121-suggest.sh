# T121: pmkb suggest. A known cause with a resolved case gives a draft in
# the text's language (or --lang), with the remediation, the outcome
# sentence and nothing personal; every failed gate condition routes to an
# engineer (exit 1) with its reason in the JSON; templates are overridable
# per knowledge base; the final privacy check refuses a leaking rule text.
. "$TOP/tests/cli/lib.sh"
NEW="$TOP/examples/new/vwifimf-0xfc.txt"
expect_exit 0 "$PMKB" import "$TOP/tests/data/seeds"
# Chinese by default (a dump text has no prose; suggest.lang defaults to zh)
expect_exit 0 "$PMKB" suggest "$NEW"
contains "$T/out" "您好"
contains "$T/out" "卸载 TMS 的无线组件（vwifimf.sys）"
contains "$T/out" "在以往 1 个已结案的同类案例中，此方法解决了其中 1 个。"
contains "$T/out" "完整内存转储"
for bad in CAS- CMIT REG: ICBC "Li Qi" @ 138; do lacks "$T/out" "$bad"; done
# English on request, and from an English mail
expect_exit 0 "$PMKB" suggest --lang en "$NEW"
contains "$T/out" "Uninstall the TMS wireless component (vwifimf.sys)"
contains "$T/out" "This resolved the problem in 1 of 1 closed cases like yours."
{ echo "Hello support, our laptop crashed again, the analysis is below."; cat "$NEW"; } > "$T/mail-en.txt"
expect_exit 0 "$PMKB" suggest --json "$T/mail-en.txt"
jq_eq "$T/out" .lang en
jq_eq "$T/out" .route customer
jq_eq "$T/out" .rule vwifimf-nbl-ptos
jq_eq "$T/out" '[.gate[].check] | join(" ")' "verdict confidence customer-text outcome feedback privacy"
jq_eq "$T/out" '[.gate[].pass] | all' true
jq_eq "$T/out" '.draft | test("Hello,")' true
{ echo "您好，我们的电脑又蓝屏了，分析如下："; cat "$NEW"; } > "$T/mail-zh.txt"
expect_exit 0 "$PMKB" suggest --json "$T/mail-zh.txt"
jq_eq "$T/out" .lang zh
# an unknown dump: routed, with the reasons
expect_exit 1 "$PMKB" suggest --json "$TOP/tests/data/windbg/npcap-819-0a-send.txt"
jq_eq "$T/out" .route engineer
jq_eq "$T/out" .draft null
jq_eq "$T/out" '[.gate[] | select(.check == "verdict")][0].pass' false
jq_eq "$T/out" '.reasons | length > 0' true
expect_exit 1 "$PMKB" suggest "$TOP/tests/data/windbg/npcap-819-0a-send.txt"
contains "$T/out" "routed to an engineer:"
contains "$T/out" "verdict: verdict new"
# the threshold is a setting; a rule's own wins
expect_exit 0 "$PMKB" config set suggest.threshold 1.0
expect_exit 0 "$PMKB" suggest "$NEW"
expect_exit 0 "$PMKB" config set suggest.threshold 2
expect_exit 78 "$PMKB" suggest "$NEW"
expect_exit 0 "$PMKB" config unset suggest.threshold
sed 's/^cases = CAS-02698-C5V4N5 CAS-06133-X9Z4Q7$/&\nsuggest.threshold = 1.0/' "$TOP/data/rules.conf" > "$T/strict.conf"
grep -q '^suggest.threshold = 1.0' "$T/strict.conf" || fail "sed did not add the rule threshold"
expect_exit 0 "$PMKB" suggest --rules "$T/strict.conf" --json "$NEW"
jq_eq "$T/out" .threshold 1
# no resolved case: routed
expect_exit 0 "$PMKB" outcome CAS-06133-X9Z4Q7 unknown
expect_exit 1 "$PMKB" suggest --json "$NEW"
jq_eq "$T/out" '[.gate[] | select(.pass | not) | .check] | join(" ")' outcome
# an engineer says it did not help: routed even with a resolved case
expect_exit 0 "$PMKB" outcome CAS-06133-X9Z4Q7 resolved
expect_exit 0 "$PMKB" outcome --note "crashed again after uninstall" CAS-02698-C5V4N5#6 not-resolved
expect_exit 1 "$PMKB" suggest --json "$NEW"
jq_eq "$T/out" '[.gate[] | select(.pass | not) | .check] | join(" ")' feedback
expect_exit 0 "$PMKB" outcome CAS-02698-C5V4N5#6 unknown
expect_exit 0 "$PMKB" suggest "$NEW"
# a rule without customer text: routed
grep -v '^explain\.\|^remedy\.\|^  ' "$TOP/data/rules.conf" > "$T/bare.conf"
expect_exit 1 "$PMKB" suggest --rules "$T/bare.conf" --json "$NEW"
jq_eq "$T/out" '[.gate[] | select(.pass | not) | .check] | join(" ")' customer-text
# the final check: a rule text naming a person, a mailbox or a case is refused
for leak in "Li Qi" "engineer-b@microsoft.com" "CAS-02698-C5V4N5" "13812340001" "https://cduc.cmgos.com/x"; do
	sed "s|^remedy.en = Uninstall|remedy.en = Ask $leak, then uninstall|" "$TOP/data/rules.conf" > "$T/leak.conf"
	expect_exit 1 "$PMKB" suggest --lang en --rules "$T/leak.conf" --json "$NEW"
	jq_eq "$T/out" '[.gate[] | select(.pass | not) | .check] | join(" ")' privacy
	jq_eq "$T/out" .draft null
	lacks "$T/out" "$leak"
done
# names from the configuration count too
expect_exit 0 "$PMKB" config set privacy.names "Wang Customer, 王工"
sed "s|^remedy.en = Uninstall|remedy.en = Ask Wang Customer, then uninstall|" "$TOP/data/rules.conf" > "$T/leak.conf"
expect_exit 1 "$PMKB" suggest --lang en --rules "$T/leak.conf" "$NEW"
contains "$T/out" "privacy: 1 personal or internal data left: name at byte"
# templates: the knowledge base's own, file by file
mkdir -p "$PMKB_DB/templates/en"
printf '# ours\nDear customer,\n{explain}\n{remedy}\n{outcome}\n-- the crash team\n' > "$PMKB_DB/templates/en/reply.txt"
expect_exit 0 "$PMKB" suggest --lang en "$NEW"
contains "$T/out" "Dear customer,"
contains "$T/out" "-- the crash team"
contains "$T/out" "closed cases like yours"
lacks "$T/out" "# ours"
printf 'Dear {customer_name},\n' > "$PMKB_DB/templates/en/reply.txt"
expect_exit 78 "$PMKB" suggest --lang en "$NEW"
contains "$T/err" "unknown placeholder {customer_name}"
one_line_err() { [ "$(grep -c '^pmkb:' "$T/err")" = 1 ] || fail "not one error line"; }
one_line_err
rm -r "$PMKB_DB/templates"
# usage and input errors
expect_exit 64 "$PMKB" suggest --lang fr "$NEW"
expect_exit 64 "$PMKB" suggest
expect_exit 66 "$PMKB" suggest "$T/no-such-file"
