# T144: pmkb serve's settings: bad values are configuration errors (78)
# naming the key, a bad --listen is a usage error (64), a taken port
# cannot be listened on (69); serve.reads = token closes the API's reads
# and the pages to a client without the token; `pmkb serve --help` works
# from pmkb (which runs pmkb-serve).
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/serve/serve.sh"
expect_exit 0 "$PMKB" import "$TOP/tests/data/seeds/000_e3b3544fec26024b.txt"

expect_exit 0 "$PMKB" serve --help
contains "$T/out" "usage: pmkb serve"
expect_exit 64 "$PMKB" serve --listen nonsense
one_line "$T/err"
contains "$T/err" "ADDRESS:PORT"
expect_exit 64 "$PMKB" serve --threads 0
expect_exit 64 "$PMKB" serve extra-argument

expect_exit 0 "$PMKB" config set serve.reads everyone
expect_exit 78 "$PMKB" serve --listen 127.0.0.1:0
contains "$T/err" "serve.reads"
expect_exit 0 "$PMKB" config set serve.reads token
expect_exit 78 "$PMKB" serve --listen 127.0.0.1:0
contains "$T/err" "serve.token is not set"
expect_exit 0 "$PMKB" config set serve.token short
expect_exit 78 "$PMKB" serve --listen 127.0.0.1:0
contains "$T/err" "shorter than 16"
expect_exit 0 "$PMKB" config set serve.token pmkb-test-token-0123456789abcdef
expect_exit 0 "$PMKB" config set serve.max_body_mb lots
expect_exit 78 "$PMKB" serve --listen 127.0.0.1:0
contains "$T/err" "serve.max_body_mb"
expect_exit 0 "$PMKB" config unset serve.max_body_mb
expect_exit 0 "$PMKB" config set serve.timeout 0
expect_exit 78 "$PMKB" serve --listen 127.0.0.1:0
expect_exit 0 "$PMKB" config unset serve.timeout

# serve.reads = token: reads need the token
serve_start
http GET '/api/search?q=ICBC'
status_is 401
http GET '/api/search?q=ICBC' -H 'Authorization: Bearer pmkb-test-token-0123456789abcdef'
status_is 200
http GET /
status_is 403

# the port it listens on is taken: 69
port=${SV_URL##*:}
expect_exit 69 "$PMKB" serve --listen "127.0.0.1:$port"
contains "$T/err" "cannot listen"
serve_stop

# serve.listen from the configuration (port 0: any free port)
expect_exit 0 "$PMKB" config set serve.reads loopback
expect_exit 0 "$PMKB" config set serve.listen 127.0.0.1:0
rm -f "$T/serve.out" # the last server's "listening on" line must not be read as this one's
"$PMKB" serve >"$T/serve.out" 2>"$T/serve.err" &
SV_PID=$!
i=0
until grep -q 'listening on http://127.0.0.1:' "$T/serve.out" 2>/dev/null; do
	i=$((i + 1))
	[ $i -le 300 ] || fail "pmkb serve with serve.listen did not start: $(cat "$T/serve.err")"
	sleep 0.1
done
SV_URL=$(sed -n 's|.*listening on \(http://[^ ]*\)/ .*|\1|p' "$T/serve.out")
http GET /
status_is 200
serve_stop
