# T150: the customer reply through pmkb serve. POST /api/suggest answers
# exactly what pmkb suggest --json prints (a draft in Chinese, in English
# when asked, a .dmp, and a paste routed to an engineer); GET /api/cases/ID
# carries the same outcomes as pmkb show --json; the answer page shows the
# draft in both languages and the outcome record, or "routed to an
# engineer" with the gate's reasons; the case page shows each analysis'
# outcome.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/serve/serve.sh"
S="$TOP/tests/data/seeds"
DMP="$TOP/tests/data/dumps/kernel/triage_x64.dmp"
NEW="$TOP/tests/data/windbg/npcap-819-0a-send.txt"
expect_exit 0 "$PMKB" import "$S"
# mail 2 of thread 004: the analysis the rule be-smss-session-space names,
# its case closed as resolved
sed -n '/====第2封邮件====/,/====第3封邮件====/p' "$S/004_f83e32c4bf43c7da.txt" >"$T/q.txt"
[ -s "$T/q.txt" ] || fail "no mail 2 in seed thread 004"
serve_start

same() { jq -S . "$1" >"$T/a.json" && jq -S . "$2" >"$T/b.json" && diff -u "$T/a.json" "$T/b.json" >&2 || fail "$3"; }

# the draft, in the paste's language
http POST /api/suggest --data-binary @"$T/q.txt"
status_is 200
grep -qi '^content-type: application/json' "$T/headers" || fail "suggest is not application/json"
expect_exit 0 "$PMKB" suggest --json "$T/q.txt"
"$PMKB" suggest --json "$T/q.txt" >"$T/cli.json"
same "$T/body" "$T/cli.json" "POST /api/suggest differs from pmkb suggest --json"
jq_eq "$T/body" .route customer
jq_eq "$T/body" .lang zh
jq_eq "$T/body" .rule be-smss-session-space
# in English: ?lang=en and {"lang": "en"}
http POST '/api/suggest?lang=en' --data-binary @"$T/q.txt"
status_is 200
"$PMKB" suggest --json --lang en "$T/q.txt" >"$T/cli.json"
same "$T/body" "$T/cli.json" "POST /api/suggest?lang=en differs from pmkb suggest --json --lang en"
jq_eq "$T/body" .lang en
jq -n --rawfile t "$T/q.txt" '{text: $t, lang: "en"}' >"$T/req.json"
http POST /api/suggest -H 'Content-Type: application/json' --data-binary @"$T/req.json"
status_is 200
same "$T/body" "$T/cli.json" "POST /api/suggest (JSON, lang en) differs from pmkb suggest --json --lang en"
# a .dmp and an unknown analysis: routed to an engineer, still 200
http POST "/api/suggest?name=triage_x64.dmp" --data-binary @"$DMP" -H 'Content-Type: application/octet-stream'
status_is 200
"$PMKB" suggest --json "$DMP" >"$T/cli.json" 2>/dev/null
same "$T/body" "$T/cli.json" "POST /api/suggest of a .dmp differs from pmkb suggest --json"
http POST /api/suggest --data-binary @"$NEW"
status_is 200
expect_exit 1 "$PMKB" suggest --json "$NEW"
"$PMKB" suggest --json "$NEW" >"$T/cli.json"
same "$T/body" "$T/cli.json" "POST /api/suggest of an unknown analysis differs from pmkb suggest --json"
jq_eq "$T/body" .route engineer
jq_eq "$T/body" '.reasons | length > 0' true
# at once from several clients (the workers draft in parallel): each the same
"$PMKB" suggest --json "$T/q.txt" | jq -S . >"$T/want.json"
i=0 pids=
while [ $i -lt 8 ]; do
	curl -sS -o "$T/par$i.json" --data-binary @"$T/q.txt" "$SV_URL/api/suggest" &
	pids="$pids $!"
	i=$((i + 1))
done
for p in $pids; do wait "$p" || fail "a parallel POST /api/suggest failed"; done
i=0
while [ $i -lt 8 ]; do
	jq -S . "$T/par$i.json" | diff -u "$T/want.json" - >&2 || fail "parallel POST /api/suggest $i differs"
	i=$((i + 1))
done
# errors: a bad language, the wrong method
http POST '/api/suggest?lang=fr' --data-binary @"$T/q.txt"
status_is 400
jq_eq "$T/body" .exit 64
http GET /api/suggest
status_is 405

# the case's outcomes: pmkb show --json
http GET /api/cases/CAS-08433-X3V6G7
status_is 200
"$PMKB" show --json CAS-08433-X3V6G7 >"$T/cli.json"
same "$T/body" "$T/cli.json" "GET /api/cases/ID differs from pmkb show --json"
jq_eq "$T/body" '.outcomes[0].outcome' resolved

# the answer page: the draft in both languages, the outcome record, each
# ranked case's outcome
http POST /match --data-urlencode "text@$T/q.txt"
status_is 200
grep -q 'id="draft-text-zh"' "$T/body" || fail "no Chinese draft on the answer page"
grep -q 'id="draft-text-en"' "$T/body" || fail "no English draft on the answer page"
grep -q 'id="draft-zh" checked' "$T/body" || fail "the Chinese draft is not the one shown first"
grep -q '感谢您发来的蓝屏信息' "$T/body" || fail "the page's draft is not pmkb suggest's"
"$PMKB" match "$T/q.txt" | grep -o 'resolved in [0-9]* of [0-9]* closed cases*' | head -1 >"$T/rec"
[ -s "$T/rec" ] || fail "pmkb match prints no outcome record"
grep -q "$(cat "$T/rec")" "$T/body" || fail "the page lacks '$(cat "$T/rec")'"
grep -q 'class="case-outcome".*class="resolved"' "$T/body" || fail "no ranked case shows its outcome"
lacks "$T/body" "routed to an engineer"
# an unknown analysis: routed, with the gate's reasons
http POST /match --data-urlencode "text@$NEW"
status_is 200
grep -q 'routed to an engineer' "$T/body" || fail "the page of an unknown analysis is not routed"
grep -q 'no rule names this cause' "$T/body" || fail "the gate's reasons are not on the page"
lacks "$T/body" 'draft-text-zh'

# the case page: each analysis' outcome
http GET /case/CAS-08433-X3V6G7
status_is 200
grep -q 'id="outcome-0".*class="resolved"' "$T/body" || fail "the case page lacks the outcome of analysis 1"
serve_stop
