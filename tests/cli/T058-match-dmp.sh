# T058: pmkb match with a dump file as the query, end to end: a stored
# dump is recognised from the file alone (same dump under another name),
# an unrelated dump is new (exit 1), a bad dump is refused (exit 65).
. "$TOP/tests/cli/lib.sh"
d="$TOP/tests/data/dumps"

"$PMKB" import "$d/kernel/triage_x64.dmp" >"$T/out" 2>"$T/err"
if grep -q "not built yet" "$T/err"; then echo "pmkb import is not built yet"; exit 77; fi
"$PMKB" match "$d/kernel/triage_x64.dmp" >"$T/out" 2>"$T/err"
if grep -q "not built yet" "$T/err"; then echo "pmkb match is not built yet"; exit 77; fi

cp "$d/kernel/triage_x64.dmp" "$T/customer-upload.dmp"
expect_exit 0 "$PMKB" match --json "$T/customer-upload.dmp"
jq_eq "$T/out" .verdict known
jq_eq "$T/out" '.matches[0].case' triage_x64
# the evidence is the dump reader's fields: bugcheck, the faulting frame, the image
jq_eq "$T/out" '[.matches[0].evidence[] | select(.field == "frame" and .query == "amdppm+0x334c")][0].match' true
jq_eq "$T/out" '[.matches[0].evidence[] | select(.field == "bugcheck")][0].query' 0x7e
expect_exit 0 "$PMKB" match "$T/customer-upload.dmp"
contains "$T/out" triage_x64

# another crash (ARM64, 0x1c8) shares nothing: new, exit 1
expect_exit 1 "$PMKB" match --json "$d/kernel/triage_arm64.dmp"
jq_eq "$T/out" .verdict new

# bad dumps: one-line error, exit 65
expect_exit 65 "$PMKB" match "$d/corrupt/rizin-fuzzed-npe_w_bin_mdmp.c-111_1.mdmp"
one_line "$T/err"
contains "$T/err" "StreamDirectoryRva 0x400 (file offset 0xc) + 1791 x 12 exceeds file size 0x115f"
head -c 70000 "$d/kernel/triage_x64.dmp" >"$T/cut.dmp"
expect_exit 65 "$PMKB" match "$T/cut.dmp"
one_line "$T/err"
contains "$T/err" "driver list: DriverListOffset 0x10828 (file offset 0x2030)"
# a dump larger than the 64 MiB text bound (sparse) is read where it lies,
# as sig and import read it: the stored original is found
cp "$d/kernel/triage_x64.dmp" "$T/big.dmp"
truncate -s 200M "$T/big.dmp" || { echo "truncate cannot make a sparse file here"; exit 77; }
expect_exit 0 "$PMKB" match --json "$T/big.dmp"
jq_eq "$T/out" '.matches[0].case' triage_x64
