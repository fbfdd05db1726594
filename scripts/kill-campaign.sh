#!/bin/sh
# kill-campaign.sh [KILLS] [THREADS] - kill -9 pmkb at random moments, by
# hand (minutes; make check runs the bounded tests T100-T107 instead).
#
# Generates THREADS case threads (bench/gen.c, seed 7), imports them once
# cleanly as the reference, then on a second knowledge base: KILLS times,
# starts `pmkb import` (batches of 50) or, every third time, `pmkb reindex`,
# kills it with SIGKILL after a random time up to the length of a clean
# import (measured first), and checks: pmkb check
# reports nothing DAMAGED, no case has fewer messages than in the reference.
# At the end one import runs to completion and everything stored must
# equal the reference (every table but imported_at), with the index in
# agreement (pmkb check exit 0). Prints one line per kill and a summary;
# exits 1 at the first broken invariant. Run from the top of the tree
# after make: sh scripts/kill-campaign.sh 30 1000
set -u
KILLS=${1:-30}
THREADS=${2:-1000}
TOP=$(cd "$(dirname "$0")/.." && pwd)
PMKB="$TOP/build/pmkb"
GEN="$TOP/build/bench/pmkb-gen"
[ -x "$PMKB" ] && [ -x "$GEN" ] || { echo "build first: make pmkb unit-bins"; exit 2; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
"$GEN" --seed 7 --threads "$THREADS" --clusters 40 --out "$W/g" >/dev/null || exit 2
export PMKB_BATCH_SIZE=50

content() { # content DB: every stored row but the import time, as one hash
	for q in "SELECT id,title,customer,priority,status,refs,first_date,last_date,source,format,redactions FROM cases ORDER BY id" \
		"SELECT * FROM messages ORDER BY case_id, idx" "SELECT * FROM notes ORDER BY case_id, idx" \
		"SELECT * FROM analyses ORDER BY case_id, idx" "SELECT * FROM signatures ORDER BY case_id, analysis" \
		"SELECT * FROM attachments ORDER BY case_id, idx"; do
		sqlite3 "$1/kb.sqlite" "$q"
	done | md5sum | cut -d' ' -f1
}
fail() { echo "FAIL: $*"; exit 1; }

t0=$(date +%s%N)
"$PMKB" --db "$W/ref" import --format thread "$W/g/threads" >/dev/null || fail "reference import"
span=$((($(date +%s%N) - t0) / 1000000))
echo "a clean import takes $span ms; kills fall in 20..$span ms"
want=$(content "$W/ref")
sqlite3 "$W/ref/kb.sqlite" "SELECT case_id, count(*) FROM messages GROUP BY case_id ORDER BY 1" >"$W/ref.counts"

K="$W/k"
i=0; imports=0; reindexes=0; survived=0
while [ $i -lt "$KILLS" ]; do
	i=$((i + 1))
	if [ $((i % 3)) -eq 0 ] && [ -e "$K/kb.sqlite" ]; then
		what=reindex; reindexes=$((reindexes + 1))
		"$PMKB" --db "$K" reindex >/dev/null 2>&1 &
	else
		what=import; imports=$((imports + 1))
		"$PMKB" --db "$K" import --format thread "$W/g/threads" >/dev/null 2>&1 &
	fi
	pid=$!
	r=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
	ms=$((20 + r % span))
	sleep "$(awk -v m="$ms" 'BEGIN { printf "%.3f", m / 1000 }')"
	kill -9 $pid 2>/dev/null && killed=killed || killed="finished before"
	wait $pid 2>/dev/null
	if [ -e "$K/kb.sqlite" ]; then
		"$PMKB" --db "$K" check >"$W/chk" 2>&1
		rc=$?
		{ [ $rc -eq 0 ] || [ $rc -eq 1 ]; } && ! grep -q DAMAGED "$W/chk" || { cat "$W/chk"; fail "kill $i: check exit $rc"; }
		sqlite3 "$K/kb.sqlite" "SELECT case_id, count(*) FROM messages GROUP BY case_id ORDER BY 1" >"$W/counts"
		[ -z "$(comm -23 "$W/counts" "$W/ref.counts")" ] || fail "kill $i: a half case"
		n=$(sqlite3 "$K/kb.sqlite" "SELECT count(*) FROM cases")
	else
		n=0
	fi
	survived=$((survived + 1))
	echo "kill $i: $what $killed at ${ms} ms; $n cases stored, check exit $rc"
done
"$PMKB" --db "$K" import --format thread "$W/g/threads" >/dev/null 2>&1 || fail "final import"
"$PMKB" --db "$K" check >"$W/chk" 2>&1 || { cat "$W/chk"; fail "final check"; }
[ "$(content "$K")" = "$want" ] || fail "after the kills and a re-run, the stored cases differ from a clean import"
echo "survived $survived kills ($imports imports, $reindexes reindexes) of $THREADS threads; the re-run equals a clean import"
