# T053: malformed dumps (fuzzer outputs and negative tests of other
# readers, real files) and files that only look like dumps: one-line
# error naming the structure, exit 65, nothing on stdout.
. "$TOP/tests/cli/lib.sh"
d="$TOP/tests/data/dumps/corrupt"

"$PMKB" sig "$TOP/tests/data/dumps/user/test_winxp_x86.dmp" >"$T/out" 2>"$T/err"
if grep -q "cannot read dump files yet" "$T/err"; then echo "pmkb sig does not read .dmp files in this build"; exit 77; fi

for f in "$d"/*; do
	expect_exit 65 "$PMKB" sig --json "$f"
	one_line "$T/err"
	contains "$T/err" "pmkb: cannot read '$f': minidump"
	[ -s "$T/out" ] && fail "stdout not empty for $f"
done
expect_exit 65 "$PMKB" sig "$d/rizin-fuzzed-npe_r_mdmp.c-364_1.mdmp"
contains "$T/err" "StreamDirectoryRva 0xffff00 (file offset 0xc) + 1791 x 12 exceeds file size 0x262"
expect_exit 65 "$PMKB" sig "$d/rust-minidump-invalid-range.dmp"
contains "$T/err" "no system info, module list or exception stream among the 4 streams"

# a CAB-packed dump, an unfinished dump, an unknown variant
printf 'MSCF\000\000\000\000%0100d' 0 >"$T/x.cab"
expect_exit 65 "$PMKB" sig "$T/x.cab"
one_line "$T/err"
contains "$T/err" "CAB archive (MSCF): extract the .dmp first"
printf 'PAGEPAGEPAGEPAGE' >"$T/unfinished.dmp"
expect_exit 65 "$PMKB" sig "$T/unfinished.dmp"
contains "$T/err" "dump header is unwritten \"PAGE\" fill"
{ printf 'PAGEDU32'; head -c 100 /dev/zero; } >"$T/odd.dmp"
expect_exit 65 "$PMKB" sig "$T/odd.dmp"
contains "$T/err" "unknown kernel dump variant: signature \"PAGE\" followed by 44 55 33 32"
# the same variant past the 64 MiB text bound (sparse): still named as a
# dump variant by sig and import, which peek at the head only
cp "$T/odd.dmp" "$T/odd-big.dmp"
truncate -s 100M "$T/odd-big.dmp" || { echo "truncate cannot make a sparse file here"; exit 77; }
expect_exit 65 "$PMKB" sig "$T/odd-big.dmp"
contains "$T/err" "unknown kernel dump variant"
expect_exit 65 "$PMKB" import "$T/odd-big.dmp"
contains "$T/err" "unknown kernel dump variant"
# ...but a WinDbg paste that starts with the same letters is text
printf 'PAGE_FAULT_IN_NONPAGED_AREA (50)\nArguments:\nArg1: ffffffffffffffe8, memory referenced.\nArg2: 0000000000000000, value 0 = read operation, 1 = write operation.\n' >"$T/paste.txt"
expect_exit 0 "$PMKB" sig --json "$T/paste.txt"
jq_eq "$T/out" '.analyses[0].bugcheck.code' 0x50
expect_exit 0 "$PMKB" import "$T/paste.txt"
contains "$T/out" "imported 1 cases"
# a dump piped into import is read as a dump
expect_exit 0 "$PMKB" import - <"$TOP/tests/data/dumps/kernel/triage_x64.dmp"
expect_exit 0 "$PMKB" show --json stdin
jq_eq "$T/out" '.analyses[0].bugcheck.code' 0x1000007e
# a dump header cut short
printf 'PAGEDU64' >"$T/short.dmp"
expect_exit 65 "$PMKB" sig "$T/short.dmp"
contains "$T/err" "kernel dump header: the file is 0x8 bytes, shorter than the 0x2000-byte PAGEDU64 header"
printf 'MDMP\223\247' >"$T/short2.dmp"
expect_exit 65 "$PMKB" sig "$T/short2.dmp"
contains "$T/err" "minidump header: the file is 0x6 bytes"
# missing file
expect_exit 66 "$PMKB" sig "$T/none.dmp"
one_line "$T/err"
