#!/bin/sh
# demo.sh - the newcomer's first run (make demo): import the bundled sample
# cases into ./demo-kb, then search, show, read a signature and match.
set -eu
cd "$(dirname "$0")/.."
PMKB=./pmkb
DB=demo-kb
rm -rf "$DB"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { step "$*"; "$@"; }

run $PMKB --db $DB import examples/cases
run $PMKB --db $DB stats
run $PMKB --db $DB search vwifimf
run $PMKB --db $DB search 蓝屏
step "$PMKB --db $DB show CAS-06133-X9Z4Q7 | head -n 40"
$PMKB --db $DB show CAS-06133-X9Z4Q7 | head -n 40
run $PMKB --db $DB search 'frame:nwifi!Dot11SendCompletion'

# A new dump analysis from a customer: have we seen this?
run $PMKB sig --why examples/new/vwifimf-0x50.txt
step "$PMKB --db $DB match examples/new/vwifimf-0x50.txt"
$PMKB --db $DB match examples/new/vwifimf-0x50.txt || true
# A .dmp file straight from C:\Windows\Minidump
run $PMKB sig tests/data/dumps/kernel/triage_x64.dmp
step "$PMKB --db $DB match tests/data/dumps/kernel/triage_x64.dmp"
$PMKB --db $DB match tests/data/dumps/kernel/triage_x64.dmp || true
printf '\nThe knowledge base is in ./%s; try: ./pmkb --db %s search module:gscfmgr\n' "$DB" "$DB"
