#!/bin/sh
# demo.sh - the newcomer's first run (make demo): import the bundled sample
# cases into ./demo-kb, then the main job first: have we seen this crash?
# (known, new, a .dmp, JSON), then a customer's draft, search, show and the
# signature pmkb reads.
set -eu
cd "$(dirname "$0")/.."
PMKB=./pmkb
DB=demo-kb
rm -rf "$DB"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { step "$*"; "$@"; }
# run a command whose exit status is part of the answer (1: new)
run_rc() { step "$*; echo \$?"; rc=0; "$@" || rc=$?; echo "$rc"; }

run $PMKB --db $DB import examples/cases tests/data/dumps/kernel/triage_x64.dmp

# A dump analysis an engineer pastes: have we seen this?
run $PMKB --db $DB match examples/new/vwifimf-0xfc.txt
# A crash of another driver (a public Npcap report): not seen before, exit 1
run_rc $PMKB --db $DB match tests/data/windbg/npcap-819-0a-send.txt
# A .dmp file straight from C:\Windows\Minidump, read without WinDbg: the
# customer sent the same crash again under another name
cp tests/data/dumps/kernel/triage_x64.dmp "$DB/customer-upload.dmp"
run $PMKB --db $DB match "$DB/customer-upload.dmp"
# The same answer for a program
step "$PMKB --db $DB match --json examples/new/vwifimf-0xfc.txt | jq '{verdict, confidence, case: .matches[0].ref, rule: .rule.id}'"
$PMKB --db $DB match --json examples/new/vwifimf-0xfc.txt |
	jq '{verdict, confidence, case: .matches[0].ref, rule: .rule.id}'

# What the customer would receive (gated: known, sure, resolved before, nothing personal)
run $PMKB --db $DB suggest --lang en examples/new/vwifimf-0xfc.txt

run $PMKB --db $DB search vwifimf
run $PMKB --db $DB search 蓝屏
step "$PMKB --db $DB show CAS-06133-X9Z4Q7 | head -n 30"
$PMKB --db $DB show CAS-06133-X9Z4Q7 | head -n 30
run $PMKB sig --why examples/new/vwifimf-0xfc.txt
printf '\nThe knowledge base is in ./%s; try: ./pmkb --db %s search module:gscfmgr, ./pmkb --db %s serve\n' "$DB" "$DB" "$DB"
