# T140: the JSON API of pmkb serve with curl: match, sig, search (Chinese
# too) and cases answer exactly what the commands' --json print; errors
# are {"error","exit"} with the HTTP status of the exit code; an answer
# says what it cost (Server-Timing); the pages
# escape what they show; a request names no file.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/serve/serve.sh"
S="$TOP/tests/data/seeds"
DMP="$TOP/tests/data/dumps/kernel/triage_x64.dmp"
expect_exit 0 "$PMKB" import "$S"
sed -n '/====第2封邮件====/,/====第3封邮件====/p' "$S/004_f83e32c4bf43c7da.txt" >"$T/q.txt"
serve_start

# same() A B: two JSON documents are equal (keys sorted)
same() { jq -S . "$1" >"$T/a.json" && jq -S . "$2" >"$T/b.json" && diff -u "$T/a.json" "$T/b.json" >&2 || fail "$3"; }

# POST /api/match: a raw paste, as JSON, a .dmp; the --json of pmkb match
http POST /api/match --data-binary @"$T/q.txt"
status_is 200
grep -qi '^content-type: application/json' "$T/headers" || fail "match is not application/json"
# what the answer cost the server: its thread's CPU and the handler's time
grep -Eqi '^server-timing: cpu;dur=[0-9]+\.[0-9]{3}, total;dur=[0-9]+\.[0-9]{3}' "$T/headers" ||
	fail "no Server-Timing header on /api/match"
"$PMKB" match --json "$T/q.txt" >"$T/cli.json"
same "$T/body" "$T/cli.json" "POST /api/match differs from pmkb match --json"
jq_eq "$T/body" .verdict known
jq_eq "$T/body" '.matches[0].case' CAS-08433-X3V6G7
jq -n --rawfile t "$T/q.txt" '{text: $t, n: 2}' >"$T/req.json"
http POST /api/match -H 'Content-Type: application/json' --data-binary @"$T/req.json"
status_is 200
"$PMKB" match --json -n 2 "$T/q.txt" >"$T/cli.json"
same "$T/body" "$T/cli.json" "POST /api/match (JSON, n=2) differs from pmkb match --json -n 2"
http POST "/api/match?name=triage_x64.dmp" --data-binary @"$DMP" -H 'Content-Type: application/octet-stream'
status_is 200
"$PMKB" match --json "$DMP" >"$T/cli.json"
same "$T/body" "$T/cli.json" "POST /api/match of a .dmp differs from pmkb match --json"
# several analyses: {"results": [...]} as pmkb match prints
sed -n '/====第1封邮件====/,$p' "$S/001_a48089f2710e0f3a.txt" >"$T/multi.txt"
http POST /api/match --data-binary @"$T/multi.txt"
status_is 200
"$PMKB" match --json "$T/multi.txt" >"$T/cli.json"
same "$T/body" "$T/cli.json" "POST /api/match of several analyses differs from pmkb match --json"
jq_eq "$T/body" '.results | length > 1' true

# POST /api/sig: pmkb sig --json
http POST "/api/sig?name=triage_x64.dmp" --data-binary @"$DMP"
status_is 200
"$PMKB" sig --json "$DMP" >"$T/cli.json"
same "$T/body" "$T/cli.json" "POST /api/sig differs from pmkb sig --json"

# GET /api/search, Chinese and fields, paged: pmkb search --json
http GET '/api/search?q=%E8%93%9D%E5%B1%8F&limit=2&offset=1'
status_is 200
"$PMKB" search --json -n 2 --offset 1 蓝屏 >"$T/cli.json"
same "$T/body" "$T/cli.json" "GET /api/search?q=蓝屏 differs from pmkb search --json"
jq_eq "$T/body" '.results | length' 2
http GET '/api/search?q=module%3Avwifimf'
status_is 200
jq_eq "$T/body" '[.results[].case] | index("CAS-02698-C5V4N5") != null' true

# GET /api/cases/ID: pmkb show --json; an unknown case is 404 with exit 1
http GET /api/cases/CAS-06133-X9Z4Q7
status_is 200
"$PMKB" show --json CAS-06133-X9Z4Q7 >"$T/cli.json"
same "$T/body" "$T/cli.json" "GET /api/cases/ID differs from pmkb show --json"
http GET /api/cases/CAS-NOPE
status_is 404
jq_eq "$T/body" .exit 1
jq_eq "$T/body" .error "no case 'CAS-NOPE'"
# a path in the id is only an id: never a file
http GET /api/cases/..%2F..%2Fetc%2Fpasswd
status_is 404
lacks "$T/body" "root:"

# errors: bad JSON, no text, nothing to match, binary, bad n, no query,
# wrong method, unknown API
http POST /api/match -H 'Content-Type: application/json' --data-binary '{"text":'
status_is 400
jq_eq "$T/body" .exit 64
contains "$T/body" "request JSON"
http POST /api/match -H 'Content-Type: application/json' --data-binary '{"txt":"x"}'
status_is 400
contains "$T/body" '\"text\"'
http POST /api/match --data-binary 'hello, nothing to see'
status_is 422
jq_eq "$T/body" .exit 1
printf 'ab\000cd' >"$T/bin"
http POST /api/match --data-binary @"$T/bin"
status_is 400
jq_eq "$T/body" .exit 65
http POST '/api/match?n=0' --data-binary @"$T/q.txt"
status_is 400
http GET /api/search
status_is 400
http GET '/api/search?q=%22unbalanced'
[ "$(cat "$T/status")" = 200 ] || [ "$(cat "$T/status")" = 400 ] || fail "a bad query gave $(cat "$T/status")"
http GET /api/match
status_is 405
grep -qi '^allow:' "$T/headers" || fail "405 without Allow"
http DELETE /api/cases/CAS-06133-X9Z4Q7
status_is 405
http GET /api/nothing
status_is 404
jq_eq "$T/body" .exit 64

# pages: every value escaped, security headers, HEAD, 404
http GET '/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E'
lacks "$T/body" "<script>"
contains "$T/body" "&lt;script&gt;"
grep -qi "^content-security-policy: default-src 'none'" "$T/headers" || fail "no CSP header"
grep -qi '^x-content-type-options: nosniff' "$T/headers" || fail "no nosniff header"
http HEAD / -I
status_is 200
# the search page: Chinese, fields, pages of 20 (five cases: one page)
http GET '/search?q=%E8%93%9D%E5%B1%8F'
status_is 200
contains "$T/body" 'href="/case/CAS-02698-C5V4N5"'
lacks "$T/body" 'rel="next"'
http GET '/search?q=%E8%93%9D%E5%B1%8F&page=2'
status_is 200
contains "$T/body" 'rel="prev"'
lacks "$T/body" 'href="/case/CAS-02698-C5V4N5"'
http GET '/search?q=bugcheck%3A0xbe'
contains "$T/body" 'href="/case/CAS-08433-X3V6G7"'
http GET /case/CAS-02698-C5V4N5
status_is 200
contains "$T/body" "升级1809后从网盘拷文件蓝屏"
http GET /case/CAS-NOPE
status_is 404
http GET /nothing
status_is 404
serve_stop
