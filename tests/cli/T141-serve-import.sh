# T141: POST /api/import stores a text or a .dmp as `pmkb import` does a
# file, only with the bearer token of serve.token (compared in constant
# time); without serve.token writes are off; while another writer holds
# the knowledge base the answer is 503 with Retry-After, and nothing is
# lost; a body over serve.max_body_mb is 413.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/serve/serve.sh"
S="$TOP/tests/data/seeds"
DMP="$TOP/tests/data/dumps/kernel/triage_x64.dmp"
SEED4="$S/004_f83e32c4bf43c7da.txt"
expect_exit 0 "$PMKB" import "$S/000_e3b3544fec26024b.txt" "$S/001_a48089f2710e0f3a.txt"

# no serve.token: writes are off (403)
serve_start
http POST '/api/import?name=004.txt' --data-binary @"$SEED4"
status_is 403
jq_eq "$T/body" .exit 78
serve_stop

TOKEN=pmkb-test-token-0123456789abcdef
expect_exit 0 "$PMKB" config set serve.token "$TOKEN"
expect_exit 0 "$PMKB" config set serve.max_body_mb 2
serve_start
AUTH="Authorization: Bearer $TOKEN"

# no token, a wrong one, one of another length: 401
http POST '/api/import?name=004.txt' --data-binary @"$SEED4"
status_is 401
grep -qi '^www-authenticate: bearer' "$T/headers" || fail "401 without WWW-Authenticate"
http POST '/api/import?name=004.txt' --data-binary @"$SEED4" -H "Authorization: Bearer pmkb-test-token-0123456789abcdeX"
status_is 401
http POST '/api/import?name=004.txt' --data-binary @"$SEED4" -H "Authorization: Bearer pmkb"
status_is 401
http GET /api/cases/CAS-08433-X3V6G7
status_is 404

# with the token: a thread, then a dump (its case is the file's stem)
http POST '/api/import?name=004_f83e32c4bf43c7da.txt' --data-binary @"$SEED4" -H "$AUTH"
status_is 200
jq_eq "$T/body" .imported.cases 1
http GET /api/cases/CAS-08433-X3V6G7
status_is 200
"$PMKB" show --json CAS-08433-X3V6G7 >"$T/cli.json"
jq_eq "$T/cli.json" .case CAS-08433-X3V6G7
http GET '/api/search?q=case%3ACAS-08433-X3V6G7'
jq_eq "$T/body" '.results[0].case' CAS-08433-X3V6G7
http POST '/api/import?name=uploads%2Ftriage_x64.dmp' --data-binary @"$DMP" -H "$AUTH" -H 'Content-Type: application/octet-stream'
status_is 200
jq_eq "$T/body" .imported.analyses 1
http GET /api/cases/triage_x64
status_is 200
jq_eq "$T/body" .format dmp
jq_eq "$T/body" '.analyses[0].bugcheck.code' 0x1000007e
# as JSON
jq -n --rawfile t "$S/002_413591d54dd1d178.txt" '{name: "002.txt", text: $t}' >"$T/req.json"
http POST /api/import -H "$AUTH" -H 'Content-Type: application/json' --data-binary @"$T/req.json"
status_is 200
jq_eq "$T/body" .imported.cases 1

# bad input: binary, empty, no name, bad format; nothing stored
printf 'ab\000cd' >"$T/bin"
http POST '/api/import?name=x.txt' --data-binary @"$T/bin" -H "$AUTH"
status_is 400
jq_eq "$T/body" .exit 65
contains "$T/body" "binary file"
http POST '/api/import?name=x.txt' --data-binary '' -H "$AUTH"
status_is 400
http POST /api/import --data-binary @"$SEED4" -H "$AUTH"
status_is 400
jq_eq "$T/body" .exit 64
http POST '/api/import?name=x.txt&format=mbox' --data-binary @"$SEED4" -H "$AUTH"
status_is 400
expect_exit 0 "$PMKB" stats
contains "$T/out" "cases"

# over serve.max_body_mb (2 MiB): 413, for the API and the page
head -c 2200000 /dev/zero | tr '\0' 'a' >"$T/big.txt"
http POST /api/match --data-binary @"$T/big.txt"
status_is 413
http POST /match -F "file=@$T/big.txt"
status_is 413
# without a Content-Length: counted as it comes
http POST /api/match -H 'Transfer-Encoding: chunked' --data-binary @"$T/big.txt"
status_is 413

# another writer holds the knowledge base: `pmkb import -` waiting on a
# pipe. 503 with Retry-After, until it is done.
mkfifo "$T/fifo"
"$PMKB" import - <"$T/fifo" >"$T/imp.out" 2>&1 &
IMP=$!
exec 3>"$T/fifo"
# it holds the lock once it has kb.sqlite open (kb_open takes the lock first)
i=0
until ls -l "/proc/$IMP/fd" 2>/dev/null | grep -q 'kb\.sqlite$'; do
	i=$((i + 1))
	[ $i -le 300 ] || { exec 3>&-; fail "the blocking import did not open the knowledge base: $(cat "$T/imp.out")"; }
	sleep 0.1
done
i=0
while :; do
	http POST '/api/import?name=003.txt' --data-binary @"$S/003_25707b60ca074d00.txt" -H "$AUTH"
	[ "$(cat "$T/status")" = 503 ] && break
	i=$((i + 1))
	[ $i -le 100 ] || { exec 3>&-; wait $IMP; fail "no 503 while another import holds the lock (last $(cat "$T/status"))"; }
	sleep 0.1
done
jq_eq "$T/body" .exit 75
grep -qi '^retry-after: [0-9]' "$T/headers" || { exec 3>&-; fail "503 without Retry-After"; }
# reads go on meanwhile
http GET /api/cases/CAS-08433-X3V6G7
status_is 200
cat "$S/003_25707b60ca074d00.txt" >&3
exec 3>&-
wait $IMP || fail "the blocking import failed: $(cat "$T/imp.out")"
http POST '/api/import?name=003.txt' --data-binary @"$S/003_25707b60ca074d00.txt" -H "$AUTH"
status_is 200
serve_stop
