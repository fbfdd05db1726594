# T143: `pmkb import` runs beside the server while a client asks
# POST /api/match in a loop (a bounded count): every answer is 200 with
# the verdict "known" and the right case; not one request fails. The
# readers reopen the index a writer changed (DatabaseModifiedError).
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/serve/serve.sh"
S="$TOP/tests/data/seeds"
N=150
expect_exit 0 "$PMKB" import "$S"
sed -n '/====第2封邮件====/,/====第3封邮件====/p' "$S/004_f83e32c4bf43c7da.txt" >"$T/q.txt"
serve_start --threads 2

: >"$T/fails"
client() {
	i=0
	while [ $i -lt $N ]; do
		code=$(curl -sS -o "$T/m.json" -w '%{http_code}' --data-binary @"$T/q.txt" "$SV_URL/api/match" 2>>"$T/fails")
		if [ "$code" != 200 ] || [ "$(jq -r '.verdict + " " + .matches[0].case' "$T/m.json" 2>/dev/null)" != "known CAS-08433-X3V6G7" ]; then
			echo "request $i: HTTP $code $(head -c 300 "$T/m.json")" >>"$T/fails"
		fi
		i=$((i + 1))
	done
	echo done >"$T/client.done"
}
client &
CL=$!
# import the seeds again and again (each replaces its cases in SQLite and
# the index) while the client runs; at least three times
imports=0
while [ ! -e "$T/client.done" ] || [ $imports -lt 3 ]; do
	"$PMKB" import "$S" >"$T/imp.out" 2>&1 || { kill $CL; fail "pmkb import beside the server failed: $(cat "$T/imp.out")"; }
	imports=$((imports + 1))
done
wait $CL
echo "$imports imports beside $N requests"
[ ! -s "$T/fails" ] || { head -n 20 "$T/fails"; fail "$(wc -l <"$T/fails") of $N requests failed"; }
# the imports overlapped the requests: the knowledge base was rewritten
# while the client ran, and the server still answers
http GET /api/cases/CAS-08433-X3V6G7
status_is 200
serve_stop
