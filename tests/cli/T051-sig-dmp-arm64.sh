# T051: pmkb sig on the real ARM64 small memory dump (Windows 11 22000,
# bugcheck 0x1c8): ARM64 context and the frame-pointer chain.
. "$TOP/tests/cli/lib.sh"
dmp="$TOP/tests/data/dumps/kernel/triage_arm64.dmp"

"$PMKB" sig --json "$dmp" >"$T/out" 2>"$T/err"
if grep -q "cannot read dump files yet" "$T/err"; then echo "pmkb sig does not read .dmp files in this build"; exit 77; fi

expect_exit 0 "$PMKB" sig --json "$dmp"
a='.analyses[0]'
jq_eq "$T/out" "$a.bugcheck.code" 0x1c8
jq_eq "$T/out" "$a.bugcheck.name" MANUALLY_INITIATED_POWER_BUTTON_HOLD
jq_eq "$T/out" "$a.bugcheck.args[0:2] | join(\" \")" "0x1b58 0xfffff803f3a20860"
jq_eq "$T/out" "$a.os_build" 22000
jq_eq "$T/out" "$a.machine" arm64
jq_eq "$T/out" "$a.modules | length" 245
# context PC, then the LR values of the frame-pointer chain
jq_eq "$T/out" "[$a.frames[0:5][] | .printed_module + \"+\" + .offset] | join(\" \")" \
	"ntoskrnl.exe+0x4de014 ntoskrnl.exe+0x5442a0 ntoskrnl.exe+0x29ff1c ntoskrnl.exe+0x373340 ntoskrnl.exe+0x207de4"
jq_eq "$T/out" "$a.frames[1].key" nt+0x5442a0
jq -r "$a.evidence" "$T/out" >"$T/ev"
contains "$T/ev" "bugcheck 0x1c8: no parameter holds a code address"
contains "$T/ev" "(frame-pointer chain)"
jq -r "$a.registers" "$T/out" >"$T/regs"
contains "$T/regs" "pc=fffff803f32de014 sp=ffffe00e0e4bc4a0"
