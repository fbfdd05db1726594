# T054: the real x64 small memory dump cut at structure boundaries: each
# cut names the first structure it breaks (one line, exit 65); a cut that
# only removes the DumpBlob trailer after SizeOfDump still reads.
. "$TOP/tests/cli/lib.sh"
dmp="$TOP/tests/data/dumps/kernel/triage_x64.dmp"

"$PMKB" sig "$dmp" >"$T/out" 2>"$T/err"
if grep -q "cannot read dump files yet" "$T/err"; then echo "pmkb sig does not read .dmp files in this build"; exit 77; fi

# cut (decimal bytes) and the structure the error must name
while read -r cut msg; do
	head -c "$cut" "$dmp" >"$T/cut.dmp"
	expect_exit 65 "$PMKB" sig --json "$T/cut.dmp"
	one_line "$T/err"
	contains "$T/err" "pmkb: cannot read '$T/cut.dmp': $msg"
	[ -s "$T/out" ] && fail "stdout not empty for a cut at $cut"
done <<'CUTS'
4 kernel dump header: the file is 0x4 bytes, shorter than its 8-byte signature
8 kernel dump header: the file is 0x8 bytes
4096 kernel dump header: the file is 0x1000 bytes
8191 kernel dump header: the file is 0x1fff bytes
8192 triage header: the file ends at 0x2000
8256 triage header: the file ends at 0x2040, inside the 0x80-byte triage header
8320 driver list: DriverListOffset 0x10828 (file offset 0x2030) lies beyond file size 0x2080
73727 driver list: DriverListOffset 0x10828 (file offset 0x2030) + 151 x 0x90 = 0x15d18 exceeds file size 0x11fff
73728 driver list: DriverListOffset 0x10828
89368 string pool: StringPoolOffset 0x15d18 (file offset 0x2038) lies beyond file size 0x15d18
89369 string pool: StringPoolOffset 0x15d18 (file offset 0x2038) + StringPoolSize 0x3720 = 0x19438 exceeds file size 0x15d19
100000 string pool: StringPoolOffset 0x15d18
103480 triage header: SizeOfDump 0x13a28c (file offset 0x2004) exceeds file size 0x19438: the file is truncated
1286795 triage header: SizeOfDump 0x13a28c (file offset 0x2004) exceeds file size 0x13a28b
CUTS

# SizeOfDump is 0x13a28c = 1286796: the DumpBlob trailer after it is optional
head -c 1286796 "$dmp" >"$T/cut.dmp"
expect_exit 0 "$PMKB" sig --json "$T/cut.dmp"
jq_eq "$T/out" '.analyses[0].fault_ip' amdppm.sys+0x334c
jq_eq "$T/out" '.analyses[0].modules | length' 151

# the user-mode sample cut inside its module list: the rest is read, with
# a warning naming the skipped stream
head -c 12000 "$TOP/tests/data/dumps/user/calc_win7_x64.dmp" >"$T/calc.dmp"
"$PMKB" sig --json "$T/calc.dmp" >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" -eq 0 ]; then
	contains "$T/err" "warning: "
	jq_eq "$T/out" '.analyses[0].exception_code' 0x80000003
else
	[ "$rc" -eq 65 ] || fail "cut calc.dmp exited $rc"
	one_line "$T/err"
fi
