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

# a dump attached to a mail (base64, as mail clients send it): its analysis
# joins the case of the thread; a corrupt attached dump is a warning only
make_mail() { # make_mail FILE ID DUMP
	printf 'From: engineer@example.com\nTo: support@example.com\nSubject: [%s] blue screen on a workstation\nDate: Mon, 22 Feb 2021 10:00:00 +0800\nMessage-ID: <%s@example.com>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b1"\n\n--b1\nContent-Type: text/plain; charset=utf-8\n\nThe customer machine crashed, minidump attached.\n\n--b1\nContent-Type: application/octet-stream; name="022121-1234-01.dmp"\nContent-Disposition: attachment; filename="022121-1234-01.dmp"\nContent-Transfer-Encoding: base64\n\n' "$2" "$2" >"$1"
	base64 "$3" >>"$1"
	printf '\n--b1--\n' >>"$1"
}
command -v base64 >/dev/null || { echo "no base64 tool"; exit 77; }
make_mail "$T/crash.eml" CAS-01234-ABCDEF "$d/kernel/triage_x64.dmp"
expect_exit 0 "$PMKB" import "$T/crash.eml"
expect_exit 0 "$PMKB" show --json CAS-01234-ABCDEF
jq_eq "$T/out" '.analyses | length' 1
jq_eq "$T/out" "$a.message" 0
jq_eq "$T/out" "$a.dump_name" 022121-1234-01.dmp
jq_eq "$T/out" "$a.source" dmp
jq_eq "$T/out" "$a.bugcheck.code" 0x1000007e
jq_eq "$T/out" "$a.image" amdppm.sys
make_mail "$T/bad.eml" CAS-04321-FEDCBA "$d/corrupt/rust-minidump-invalid-record-count.dmp"
expect_exit 0 "$PMKB" import "$T/bad.eml"
contains "$T/err" "dump attachment '022121-1234-01.dmp' not read: minidump: no system info, module list or exception stream"
expect_exit 0 "$PMKB" show --json CAS-04321-FEDCBA
jq_eq "$T/out" '.analyses | length' 0
