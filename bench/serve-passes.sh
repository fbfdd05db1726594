#!/bin/sh
# serve-passes.sh: the server's figures of docs/benchmarks.md ("The server"), by hand.
#
#   bench/serve-passes.sh passes PMKB KB LIST PASSES [THREADS [CLIENTS]]
#       a fresh `pmkb serve` (THREADS workers, default 2) on KB; LIST (one query
#       file a line) posted to /api/match PASSES times by CLIENTS clients
#       (default 1); per pass pmkb-httplat's line and the server's CPU
#       milliseconds a request. The first pass is cold.
#   bench/serve-passes.sh callgrind PMKB KB LIST
#       a one-worker server under callgrind, collecting inside api_match only;
#       LIST once (cold), the counters zeroed, LIST again, dumped: prints the
#       warm pass's instructions a request.
#
# PMKB is the pmkb binary of a build (its pmkb-serve beside it); the client is
# this tree's build/bench/pmkb-httplat (make unit-bins).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
hl=$top/build/bench/pmkb-httplat
[ -x "$hl" ] || { echo "serve-passes.sh: $hl missing (make unit-bins)" >&2; exit 2; }
mode=${1:-}; shift || true
case $mode in
passes)
	[ $# -ge 4 ] || { echo "usage: serve-passes.sh passes PMKB KB LIST PASSES [THREADS [CLIENTS]]" >&2; exit 2; }
	pmkb=$1 kb=$2 list=$3 passes=$4 threads=${5:-2} clients=${6:-1}
	out=$(mktemp); trap 'rm -f "$out"' EXIT
	"$pmkb" --db "$kb" serve --listen 127.0.0.1:0 --threads "$threads" >"$out" 2>&1 &
	pid=$!
	i=0
	until grep -q 'listening on' "$out" 2>/dev/null || [ $i -gt 600 ]; do sleep 0.1; i=$((i+1)); done
	url=$(sed -n 's|.*listening on \(http://[^ ]*\)/ .*|\1|p' "$out")
	[ -n "$url" ] || { cat "$out" >&2; kill $pid 2>/dev/null; exit 1; }
	# the worker process (pmkb runs pmkb-serve)
	spid=$(pgrep -P $pid | head -1); [ -n "$spid" ] || spid=$pid
	n=$(wc -l <"$list")
	hz=$(getconf CLK_TCK)
	for p in $(seq 1 "$passes"); do
		t0=$(awk '{ print $14 + $15 }' /proc/$spid/stat)
		r=$("$hl" -c "$clients" -w 5 "$url/api/match" <"$list")
		t1=$(awk '{ print $14 + $15 }' /proc/$spid/stat)
		echo "pass $p: $r server_cpu_ms=$(awk -v a=$t0 -v b=$t1 -v n=$n -v hz=$hz 'BEGIN { printf "%.3f", (b - a) * 1000 / hz / (n + 5) }')"
	done
	kill $pid; wait $pid 2>/dev/null
	;;
callgrind)
	[ $# -ge 3 ] || { echo "usage: serve-passes.sh callgrind PMKB KB LIST" >&2; exit 2; }
	pmkb=$1 kb=$2 list=$3
	d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
	valgrind --tool=callgrind --trace-children=yes --collect-atstart=no --toggle-collect=api_match \
		--callgrind-out-file="$d/cg.%p" "$pmkb" --db "$kb" serve --listen 127.0.0.1:0 --threads 1 \
		>"$d/out" 2>&1 &
	pid=$!
	i=0
	until grep -q 'listening on' "$d/out" 2>/dev/null || [ $i -gt 1200 ]; do sleep 0.2; i=$((i+1)); done
	url=$(sed -n 's|.*listening on \(http://[^ ]*\)/ .*|\1|p' "$d/out")
	[ -n "$url" ] || { cat "$d/out" >&2; kill $pid 2>/dev/null; exit 1; }
	"$hl" -c 1 -w 0 "$url/api/match" <"$list" >/dev/null
	callgrind_control -z >/dev/null 2>&1
	"$hl" -c 1 -w 0 "$url/api/match" <"$list" >/dev/null
	callgrind_control -d >/dev/null 2>&1
	kill $pid; wait $pid 2>/dev/null
	f=$(ls "$d"/cg.*.1 2>/dev/null | head -1)
	[ -n "$f" ] || { echo "serve-passes.sh: no callgrind dump" >&2; exit 1; }
	tot=$(sed -n 's/^summary: *//p; s/^totals: *//p' "$f" | head -1)
	echo "warm instructions a request: $(awk -v t="$tot" -v n="$(wc -l <"$list")" 'BEGIN { printf "%.2f M", t / n / 1e6 }')"
	;;
*)
	echo "usage: serve-passes.sh passes|callgrind ..." >&2; exit 2 ;;
esac
