# T052: pmkb sig on the two real user-mode minidumps: exception, faulting
# module, module list, process.
. "$TOP/tests/cli/lib.sh"
d="$TOP/tests/data/dumps/user"

"$PMKB" sig --json "$d/calc_win7_x64.dmp" >"$T/out" 2>"$T/err"
if grep -q "cannot read dump files yet" "$T/err"; then echo "pmkb sig does not read .dmp files in this build"; exit 77; fi

a='.analyses[0]'
expect_exit 0 "$PMKB" sig --json "$d/calc_win7_x64.dmp"
jq_eq "$T/out" "$a.bugcheck.code" null
jq_eq "$T/out" "$a.exception_code" 0x80000003
jq_eq "$T/out" "$a.fault_ip" ntdll.dll+0x4ae10
jq_eq "$T/out" "$a.os_build" 7601
jq_eq "$T/out" "$a.machine" x64
jq_eq "$T/out" "$a.process" calc.exe
jq_eq "$T/out" "$a.modules | length" 28
jq_eq "$T/out" "$a.frames[0].key" ntdll+0x4ae10

expect_exit 0 "$PMKB" sig --json "$d/test_winxp_x86.dmp"
jq_eq "$T/out" "$a.exception_code" 0xc0000005
jq_eq "$T/out" "$a.fault_ip" test_app.exe+0x429e
jq_eq "$T/out" "$a.image" test_app.exe
jq_eq "$T/out" "$a.os_build" 2600
jq_eq "$T/out" "$a.machine" x86
jq_eq "$T/out" "$a.modules | length" 13
jq_eq "$T/out" "$a.modules[0].image_path" 'c:\test_app.exe'
jq_eq "$T/out" "$a.modules[0].start" 00400000
jq -r "$a.evidence" "$T/out" >"$T/ev"
contains "$T/ev" "exception stream (file offset 0xdc): thread 3060, code 0xc0000005 at 0x40429e = test_app.exe+0x429e"
