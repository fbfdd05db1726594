# T142: the pmkb serve page in a real browser (Debian's chromium, headless,
# driven by playwright-core from tests/browser): paste a seed analysis and
# see "known" with its case first, upload triage_x64.dmp, search in
# Chinese, open a case, read the rules. Screenshots of every page go to
# BUILD/test-artefacts/T142 (BUILD is where $PMKB is).
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/serve/serve.sh"
S="$TOP/tests/data/seeds"
[ -x /usr/bin/chromium ] || fail "no /usr/bin/chromium: run 'make deps'"
[ -d "$TOP/tests/browser/node_modules/playwright-core" ] || fail "no playwright-core in tests/browser: run 'make deps'"
ART="$(dirname "$PMKB")/test-artefacts/T142"
rm -rf "$ART"

expect_exit 0 "$PMKB" import "$S"
# mail 2 of thread 004: the smss session-space analysis that the shipped
# rule be-smss-session-space names, as the engineer pasted it
sed -n '/====第2封邮件====/,/====第3封邮件====/p' "$S/004_f83e32c4bf43c7da.txt" >"$T/paste.txt"
[ -s "$T/paste.txt" ] || fail "no mail 2 in seed thread 004"

serve_start
HOME="$T" node "$TOP/tests/browser/serve-page.js" "$SV_URL" "$T/paste.txt" \
	"$TOP/tests/data/dumps/kernel/triage_x64.dmp" "$ART" CAS-08433-X3V6G7 >"$T/node.out" 2>&1 ||
	{ cat "$T/node.out"; fail "the browser run failed"; }
cat "$T/node.out"
for f in 1-home 2-match-paste 3-match-dump 4-search-zh 5-case 6-rules serve; do
	[ -s "$ART/$f.png" ] || fail "no screenshot $f.png"
	[ "$(head -c 8 "$ART/$f.png" | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] || fail "$f.png is not a PNG"
done
serve_stop
