# T057: pmkb import of real dump files end to end: each dump becomes a case
# (id = file stem, format dmp) whose stored analysis holds what the dump
# reader derived; show and search find it; bad dumps are refused by name.
. "$TOP/tests/cli/lib.sh"
d="$TOP/tests/data/dumps"

"$PMKB" import "$d/kernel/triage_x64.dmp" >"$T/out" 2>"$T/err"
if grep -q "not built yet" "$T/err"; then echo "pmkb import is not built yet"; exit 77; fi

expect_exit 0 "$PMKB" import "$d/kernel/triage_x64.dmp" "$d/kernel/triage_arm64.dmp" \
	"$d/user/calc_win7_x64.dmp" "$d/user/test_winxp_x86.dmp"
contains "$T/out" "imported 4 cases"

expect_exit 0 "$PMKB" show --json triage_x64
jq_eq "$T/out" .format dmp
a='.analyses[0]'
jq_eq "$T/out" '.analyses | length' 1
jq_eq "$T/out" "$a.source" dmp
jq_eq "$T/out" "$a.dump_name" triage_x64.dmp
jq_eq "$T/out" "$a.bugcheck.code" 0x1000007e
jq_eq "$T/out" "$a.bugcheck.args[1]" 0xfffff8048b58334c
jq_eq "$T/out" "$a.image" amdppm.sys
jq_eq "$T/out" "$a.process" System
jq_eq "$T/out" "$a.os_build" 19041
jq_eq "$T/out" "$a.machine" x64
jq_eq "$T/out" "$a.exception_code" 0xc0000005
jq_eq "$T/out" "$a.frames[0].module" amdppm.sys
jq_eq "$T/out" "$a.frames[0].offset" 0x334c
jq_eq "$T/out" "$a.modules | length" 151
jq_eq "$T/out" "$a.signature | startswith(\"0x7e | amdppm+0x334c\")" true

expect_exit 0 "$PMKB" show --json triage_arm64
jq_eq "$T/out" "$a.bugcheck.code" 0x1c8
jq_eq "$T/out" "$a.os_build" 22000
jq_eq "$T/out" "$a.frames[1].offset" 0x5442a0
expect_exit 0 "$PMKB" show --json test_winxp_x86
jq_eq "$T/out" "$a.exception_code" 0xc0000005
jq_eq "$T/out" "$a.fault_ip" test_app.exe+0x429e
jq_eq "$T/out" "$a.modules | length" 13

# found by the fields the dump gave
expect_exit 0 "$PMKB" search module:amdppm
contains "$T/out" triage_x64
expect_exit 0 "$PMKB" search bugcheck:0x1c8
contains "$T/out" triage_arm64

# importing the same dump again keeps one case
expect_exit 0 "$PMKB" import "$d/kernel/triage_x64.dmp"
expect_exit 0 "$PMKB" show --json triage_x64
jq_eq "$T/out" '.analyses | length' 1

# a corrupt dump and a CAB-packed one: refused, named, nothing stored
expect_exit 65 "$PMKB" import "$d/corrupt/rust-minidump-invalid-range.dmp"
contains "$T/err" "pmkb: cannot read '$d/corrupt/rust-minidump-invalid-range.dmp': minidump: no system info, module list or exception stream"
printf 'MSCF\000\000\000\000%0100d' 0 >"$T/crash.cab"
expect_exit 65 "$PMKB" import "$T/crash.cab"
contains "$T/err" "CAB archive (MSCF): extract the .dmp first"
head -c 200000 "$d/kernel/triage_x64.dmp" >"$T/cut.dmp"
expect_exit 65 "$PMKB" import "$T/cut.dmp"
contains "$T/err" "pmkb: cannot read '$T/cut.dmp': triage header: SizeOfDump 0x13a28c (file offset 0x2004) exceeds file size 0x30d40"
expect_exit 1 "$PMKB" show cut
