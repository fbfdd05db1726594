# T107: a full disk. On a small file system (a tmpfs the test mounts; the
# test is skipped where it may not mount one) an import stops at the first
# "no space" with one error line naming the cause, says what is kept,
# exits 70, and leaves nothing half-written: every stored case whole,
# SQLite sound. With space again, the next import completes and the index
# agrees with SQLite.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
[ -d "$S" ] || { echo "tests/data/seeds is missing"; exit 77; }
command -v sqlite3 >/dev/null || fail "sqlite3 is not installed"
mkdir "$T/small"
mount -t tmpfs -o size=600k tmpfs "$T/small" 2>/dev/null || { echo "cannot mount a tmpfs here"; exit 77; }
trap 'umount "$T/small" 2>/dev/null' EXIT
mkdir "$T/many"
i=0
while [ $i -lt 60 ]; do
	sed "s/CAS-06133-X9Z4Q7/CAS-9$(printf %04d $i)-FULL00/" "$S/000_e3b3544fec26024b.txt" >"$T/many/t$(printf %04d $i).txt"
	i=$((i + 1))
done
nmsg=$(grep -c '^====第' "$S/000_e3b3544fec26024b.txt")
for bs in 5 500; do
	D="$T/small/k$bs"
	PMKB_BATCH_SIZE=$bs "$PMKB" --db "$D" import "$T/many" >"$T/out" 2>"$T/err"
	rc=$?
	[ $rc -eq 70 ] || { cat "$T/err"; fail "batch $bs: exit $rc on a full disk, expected 70"; }
	[ "$(grep -c '^pmkb: ' "$T/err")" -le 2 ] || { cat "$T/err"; fail "batch $bs: more than the error lines"; }
	contains "$T/err" "no space left on the device"
	grep -q "committed before" "$T/err" || { cat "$T/err"; fail "batch $bs: does not say what was kept"; }
	# nothing half-written
	"$PMKB" --db "$D" check >"$T/chk" 2>&1
	lacks "$T/chk" DAMAGED
	sqlite3 "$D/kb.sqlite" "SELECT count(*) FROM (SELECT case_id, count(*) n FROM messages GROUP BY case_id HAVING n != $nmsg)" >"$T/half"
	[ "$(cat "$T/half")" = 0 ] || fail "batch $bs: half cases"
	# space again (a copy elsewhere): the import completes
	cp -r "$D" "$T/big$bs"
	rm -rf "$D"
	expect_exit 0 "$PMKB" --db "$T/big$bs" import "$T/many"
	expect_exit 0 "$PMKB" --db "$T/big$bs" check
	expect_exit 0 "$PMKB" --db "$T/big$bs" stats --json
	jq_eq "$T/out" .cases 60
	jq_eq "$T/out" .indexed 60
done
