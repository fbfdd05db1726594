# T050: pmkb sig on the real x64 small memory dump (Windows 10 19041,
# bugcheck 0x1000007e in amdppm.sys): every field the dump reader derives.
. "$TOP/tests/cli/lib.sh"
dmp="$TOP/tests/data/dumps/kernel/triage_x64.dmp"

"$PMKB" sig --json "$dmp" >"$T/out" 2>"$T/err"
if grep -q "cannot read dump files yet" "$T/err"; then echo "pmkb sig does not read .dmp files in this build"; exit 77; fi

expect_exit 0 "$PMKB" sig --json "$dmp"
[ -s "$T/err" ] && { cat "$T/err"; fail "unexpected messages on stderr"; }
jq_eq "$T/out" '.analyses | length' 1
a='.analyses[0]'
jq_eq "$T/out" "$a.source" dmp
jq_eq "$T/out" "$a.dump_name" triage_x64.dmp
jq_eq "$T/out" "$a.bugcheck.match_code" 0x7e
jq_eq "$T/out" "$a.bugcheck.code" 0x1000007e
jq_eq "$T/out" "$a.bugcheck.args | join(\" \")" \
	"0xffffffffc0000005 0xfffff8048b58334c 0xffff850429891ee8 0xffff850429891720"
jq_eq "$T/out" "$a.os_build" 19041
jq_eq "$T/out" "$a.machine" x64
jq_eq "$T/out" "$a.exception_code" 0xc0000005
jq_eq "$T/out" "$a.image" amdppm.sys
jq_eq "$T/out" "$a.fault_ip" amdppm.sys+0x334c
# the faulting address frame first: module amdppm, offset 0x334c
jq_eq "$T/out" "$a.frames[0].module" amdppm
jq_eq "$T/out" "$a.frames[0].printed_module" amdppm.sys
jq_eq "$T/out" "$a.frames[0].offset" 0x334c
jq_eq "$T/out" "$a.frames[0].function" null
# every loaded driver
jq_eq "$T/out" "$a.modules | length" 151
jq_eq "$T/out" "$a.modules[0].name" ntoskrnl.exe
jq_eq "$T/out" "$a.modules[0].start" fffff8047ba00000
jq_eq "$T/out" "$a.modules[0].timestamp" 0D8333E6
jq_eq "$T/out" "[$a.modules[] | select(.name == \"amdppm.sys\")] | .[0].image_path" \
	'\SystemRoot\System32\drivers\amdppm.sys'
# the evidence says where each value came from
jq -r "$a.evidence" "$T/out" >"$T/ev"
contains "$T/ev" "P2 0xfffff8048b58334c = amdppm.sys+0x334c (bugcheck 0x1000007e parameter 2: faulting address)"
contains "$T/ev" "scan candidate"
contains "$T/ev" "exception code 0xc0000005: EXCEPTION_RECORD at P3"
jq -r "$a.registers" "$T/out" >"$T/regs"
contains "$T/regs" "rip=fffff8048b58334c rsp=ffff850429892120"

# the text form
expect_exit 0 "$PMKB" sig "$dmp"
contains "$T/out" "bugcheck 0x7e SYSTEM_THREAD_EXCEPTION_NOT_HANDLED"
contains "$T/out" "image: amdppm.sys"
contains "$T/out" "amdppm+0x334c"

# from standard input: the same analysis
expect_exit 0 "$PMKB" sig --json - <"$dmp"
jq_eq "$T/out" "$a.fault_ip" amdppm.sys+0x334c
jq_eq "$T/out" "$a.modules | length" 151
