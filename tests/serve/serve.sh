# serve.sh - start and stop `pmkb serve` for a shell test; source it after
# lib.sh. The server listens on 127.0.0.1 on a port the kernel picks (port
# 0; the server prints it), reads the throw-away configuration under $T,
# and is stopped at the end of the test (trap); a server that does not
# stop cleanly on SIGTERM (exit 0, sanitizers quiet) fails the test.
export XDG_CONFIG_HOME="$T/xdg"

# serve_start [ARGS...]: sets SV_URL (http://127.0.0.1:PORT) and SV_PID
serve_start() {
	rm -f "$T/serve.out" # the shell truncates it in the child, maybe after the first grep
	"$PMKB" serve --listen 127.0.0.1:0 "$@" >"$T/serve.out" 2>"$T/serve.err" &
	SV_PID=$!
	trap 'serve_stop' EXIT
	i=0
	until grep -q 'listening on' "$T/serve.out" 2>/dev/null; do
		i=$((i + 1))
		kill -0 "$SV_PID" 2>/dev/null || { cat "$T/serve.err"; SV_PID=; fail "pmkb serve exited at start"; }
		[ $i -le 300 ] || { cat "$T/serve.err"; fail "pmkb serve did not start in 30 s"; }
		sleep 0.1
	done
	SV_URL=$(sed -n 's|.*listening on \(http://[^ ]*\)/ .*|\1|p' "$T/serve.out")
	[ -n "$SV_URL" ] || fail "no URL in: $(cat "$T/serve.out")"
}

serve_stop() {
	[ -n "${SV_PID:-}" ] || return 0
	pid=$SV_PID
	SV_PID=
	kill -TERM "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	[ "$rc" -eq 0 ] || { cat "$T/serve.err"; fail "pmkb serve exited $rc on SIGTERM"; }
}

# http METHOD PATH [CURL ARGS...]: body in $T/body, status in $T/status,
# headers in $T/headers
http() {
	m=$1 p=$2
	shift 2
	curl -sS -X "$m" -o "$T/body" -D "$T/headers" -w '%{http_code}' "$@" "$SV_URL$p" >"$T/status" ||
		fail "curl $m $p failed"
}
# status_is CODE: the last http call answered CODE
status_is() {
	[ "$(cat "$T/status")" = "$1" ] || { head -c 2000 "$T/body"; fail "HTTP $(cat "$T/status"), expected $1"; }
}
