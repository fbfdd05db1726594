# T056: hostile headers made by patching copies of the real x64 dump:
# offsets and counts outside the file, an encrypted dump, a stride that
# does not divide, a name overrunning the string pool; and parts still
# sound (another dump type, an unknown machine) read with a warning.
. "$TOP/tests/cli/lib.sh"
dmp="$TOP/tests/data/dumps/kernel/triage_x64.dmp"

"$PMKB" sig "$dmp" >"$T/out" 2>"$T/err"
if grep -q "cannot read dump files yet" "$T/err"; then echo "pmkb sig does not read .dmp files in this build"; exit 77; fi

# patch FILE OFFSET U32: write a little-endian u32 in place
patch() {
	v=$3
	printf "\\$(printf %03o $((v & 255)))\\$(printf %03o $((v >> 8 & 255)))\\$(printf %03o $((v >> 16 & 255)))\\$(printf %03o $((v >> 24 & 255)))" |
		dd of="$1" bs=1 seek=$(($2)) conv=notrunc 2>/dev/null
}
# bad OFFSET U32 MESSAGE: a patched copy must fail with MESSAGE
bad() {
	cp "$dmp" "$T/p.dmp"; chmod u+w "$T/p.dmp"
	patch "$T/p.dmp" "$1" "$2"
	expect_exit 65 "$PMKB" sig --json "$T/p.dmp"
	one_line "$T/err"
	contains "$T/err" "pmkb: cannot read '$T/p.dmp': "
	contains "$T/err" "$3"
}
bad 0x1050 0x100 "dump data is encrypted: Attributes 0x100 (file offset 0x1050) has EncryptedDumpData (bit 8) set"
bad 0x2030 0xfffffff0 "driver list: DriverListOffset 0xfffffff0 (file offset 0x2030) lies beyond file size 0x160ab4"
bad 0x2034 0 "driver list: DriverCount 0 (file offset 0x2034)"
bad 0x2034 150 "no known entry size fits"
bad 0x2034 0x7fffffff "DriverCount 2147483647 (file offset 0x2034) exceeds the limit 4096"
bad 0x2038 0xffffff00 "string pool: StringPoolOffset 0xffffff00 (file offset 0x2038) lies beyond file size"
bad 0x2038 0x15d00 "no known entry size fits"
bad 0x203c 0xfffffff0 "string pool: StringPoolSize 0xfffffff0"
bad 0x2028 0xfffffff0 "call stack: CallStackOffset 0xfffffff0"
bad 0x202c 0x10000000 "call stack: SizeOfCallStack 0x10000000 (file offset 0x202c) exceeds the 1 MiB limit"
bad 0x2018 0x7fffffff "unloaded drivers: UnloadedDriversOffset 0x7fffffff"
bad 0x2004 0xffffffff "triage header: SizeOfDump 0xffffffff (file offset 0x2004) exceeds file size"
bad 0x13a288 0 "triage dump incomplete: validity marker at file offset 0x13a288 is 0x00000000"
bad 0x10828 0x7fffffff "driver list entry 0: DriverNameOffset 0x7fffffff"
# the last driver's name (at 0x193e0 in this file) claims more characters than the pool holds
bad 0x193e0 0x300 "driver list entry 150: name Length 768 characters (file offset 0x193e0) overruns the string pool"

# still sound: header only for another dump type, with a warning
cp "$dmp" "$T/p.dmp"; chmod u+w "$T/p.dmp"
patch "$T/p.dmp" 0xf98 6
expect_exit 0 "$PMKB" sig --json "$T/p.dmp"
contains "$T/err" "warning: '$T/p.dmp': DumpType 6 (bitmap kernel memory dump) at file offset 0xf98: only the header is read"
jq_eq "$T/out" '.analyses[0].bugcheck.code' 0x1000007e
jq_eq "$T/out" '.analyses[0].os_build' 19041
# an unknown machine type: no registers, the rest read
cp "$dmp" "$T/p.dmp"; chmod u+w "$T/p.dmp"
patch "$T/p.dmp" 0x30 0x1234
expect_exit 0 "$PMKB" sig --json "$T/p.dmp"
contains "$T/err" "unknown MachineImageType 0x1234 (file offset 0x30)"
jq_eq "$T/out" '.analyses[0].machine' null
jq_eq "$T/out" '.analyses[0].image' amdppm.sys
