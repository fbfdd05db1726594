#!/bin/sh
# smoke.sh SECONDS NAME... - run each fuzz target for SECONDS on a scratch
# copy of its seed corpus; fail on the first crash, leak or timeout.
set -eu
secs=$1; shift
fail=0; pass=0
for name in "$@"; do
	work=$(mktemp -d)
	if [ -d "fuzz/corpus/${name#fuzz-}" ]; then cp -r "fuzz/corpus/${name#fuzz-}/." "$work/"; fi
	echo "fuzz: $name for ${secs}s"
	if ASAN_OPTIONS=detect_leaks=1 "build-fuzz/fuzz/$name" -max_total_time="$secs" \
		-max_len=65536 -rss_limit_mb=2048 -timeout=10 -print_final_stats=0 \
		-artifact_prefix="$work/" "$work" >"$work.log" 2>&1; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1)); echo "fuzz: $name FAILED"; tail -n 40 "$work.log"
	fi
	rm -rf "$work" "$work.log"
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
