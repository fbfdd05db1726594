#!/bin/sh
# run.sh BUILD_DIR - run every cmocka unit test binary in BUILD_DIR/tests/unit
# and every end-to-end shell test tests/cli/T*.sh against BUILD_DIR/pmkb.
# Prints one line per test file and closes with "N passed, N failed".
#
# Shell tests get: PMKB (the binary), TOP (the source tree), T (a scratch
# directory removed afterwards) and PMKB_DB pointing into T. A shell test
# exits 0 on success, 77 to skip, anything else on failure.
set -u
build=${1:-build}
TOP=$(cd "$(dirname "$0")/.." && pwd)
export TOP
PMKB="$TOP/$build/pmkb"
export PMKB
pass=0; fail=0; skip=0; failed=""
log=$(mktemp)

for bin in "$TOP/$build"/tests/unit/test-*; do
	case "$bin" in *.o|*.d) continue ;; esac
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	if (cd "$TOP" && "$bin") >"$log" 2>&1; then
		n=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
		pass=$((pass + ${n:-1}))
		echo "ok   unit/$name (${n:-?} tests)"
	else
		n=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
		p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
		fail=$((fail + ${n:-1})); pass=$((pass + ${p:-0}))
		failed="$failed unit/$name"
		echo "FAIL unit/$name"; sed 's/^/    /' "$log" | tail -n 60
	fi
done

for t in "$TOP"/tests/cli/T*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	T=$(mktemp -d); export T
	PMKB_DB="$T/kb"; export PMKB_DB
	(cd "$T" && sh "$t") >"$log" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		pass=$((pass + 1)); echo "ok   cli/$name"
	elif [ $rc -eq 77 ]; then
		skip=$((skip + 1)); echo "skip cli/$name: $(tail -n 1 "$log")"
	else
		fail=$((fail + 1)); failed="$failed cli/$name"
		echo "FAIL cli/$name (exit $rc)"; sed 's/^/    /' "$log" | tail -n 60
	fi
	rm -rf "$T"
done
rm -f "$log"
[ -z "$failed" ] || echo "failed:$failed"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
