# T143: `pmkb import` runs beside the server while a client asks
# POST /api/match in a loop (a bounded count): every answer is 200 with
# the verdict "known" and the right case; not one request fails. The
# readers reopen the index a writer changed (DatabaseModifiedError).
# A slow request does not hold up another client's: a free worker answers
# it, whatever connection it came on. One client's requests in a row are
# answered by one worker (Server-Timing names it).
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

# one client's requests, one after the other, go to one worker (the one
# free for the shortest time: its caches are warm), not round the workers
: >"$T/workers"
i=0
while [ $i -lt 30 ]; do
	curl -sS -o /dev/null -D "$T/h" --data-binary @"$T/q.txt" "$SV_URL/api/match" ||
		fail "request $i of the sequence failed"
	sed -n 's/^[Ss]erver-[Tt]iming:.*worker;desc="\([0-9]*\)".*/\1/p' "$T/h" >>"$T/workers"
	i=$((i + 1))
done
[ "$(wc -l <"$T/workers")" = 30 ] || fail "not every answer named its worker: $(cat "$T/h")"
[ "$(sort -u "$T/workers" | wc -l)" = 1 ] ||
	fail "30 requests one after the other went to several workers: $(sort "$T/workers" | uniq -c | tr '\n' ' ')"

# a paste of about 64 MB (the analysis again and again) keeps a worker
# busy for a second or more; a small match sent meanwhile on another
# connection is answered first, by the other worker
cp "$T/q.txt" "$T/big.txt"
while [ "$(wc -c <"$T/big.txt")" -lt 50000000 ]; do
	cat "$T/big.txt" "$T/big.txt" >"$T/big2.txt" && mv "$T/big2.txt" "$T/big.txt"
done
( curl -sS -o /dev/null -D "$T/big.h" -w '%{http_code}' --data-binary @"$T/big.txt" "$SV_URL/api/match" >"$T/big.code"
  echo big >>"$T/order" ) &
BIG=$!
sleep 0.5
curl -sS -o "$T/small.json" -D "$T/small.h" -w '%{http_code}' --data-binary @"$T/q.txt" "$SV_URL/api/match" >"$T/small.code"
echo small >>"$T/order"
wait $BIG
[ "$(cat "$T/big.code")" = 200 ] || fail "the 64 MB paste answered HTTP $(cat "$T/big.code")"
[ "$(cat "$T/small.code")" = 200 ] || fail "the small match answered HTTP $(cat "$T/small.code")"
jq_eq "$T/small.json" '.matches[0].case' CAS-08433-X3V6G7
[ "$(head -n 1 "$T/order")" = small ] || fail "the small match waited for the slow one: $(tr '\n' ' ' <"$T/order")"
wb=$(sed -n 's/^[Ss]erver-[Tt]iming:.*worker;desc="\([0-9]*\)".*/\1/p' "$T/big.h")
ws=$(sed -n 's/^[Ss]erver-[Tt]iming:.*worker;desc="\([0-9]*\)".*/\1/p' "$T/small.h")
[ -n "$wb" ] && [ -n "$ws" ] && [ "$wb" != "$ws" ] || fail "the big and the small match: workers '$wb' and '$ws'"
serve_stop
