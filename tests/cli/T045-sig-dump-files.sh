# T045: pmkb sig on real dump files (tests/data/dumps, see SOURCES.md there):
# the kernel triage dump's 0x1000007e is folded to 0x7e, its 151 loaded
# drivers are listed in "modules" but not in the module set; corrupt dumps
# get a one-line error and 65.
. "$TOP/tests/cli/lib.sh"
D="$TOP/tests/data/dumps"

expect_exit 0 "$PMKB" sig --json "$D/kernel/triage_x64.dmp"
jq_eq "$T/out" '.analyses | length' 1
jq_eq "$T/out" '.analyses[0].bugcheck.match_code' 0x7e
jq_eq "$T/out" '.analyses[0].bugcheck.code' 0x1000007e
jq_eq "$T/out" '.analyses[0].bugcheck.name' SYSTEM_THREAD_EXCEPTION_NOT_HANDLED
jq_eq "$T/out" '.analyses[0].source' dmp
jq_eq "$T/out" '.analyses[0].dump_name' triage_x64.dmp
jq_eq "$T/out" '.analyses[0].machine' x64
jq_eq "$T/out" '.analyses[0].modules | length' 151
jq_eq "$T/out" '.analyses[0].modules[0] | "\(.name) \(.canonical) \(.third_party)"' "ntoskrnl.exe nt false"
jq_eq "$T/out" '(.analyses[0].module_set | length) < 10' true
# amdppm is Microsoft's inbox processor driver
jq_eq "$T/out" '.analyses[0].frames[0] | "\(.key) \(.third_party)"' "amdppm+0x334c false"
jq_eq "$T/out" '.analyses[0].signature | startswith("0x7e | amdppm+0x334c | ")' true

expect_exit 0 "$PMKB" sig --why "$D/kernel/triage_x64.dmp"
contains "$T/out" "analysis 1 (dump triage_x64.dmp): bugcheck 0x7e SYSTEM_THREAD_EXCEPTION_NOT_HANDLED"
contains "$T/out" "bugcheck 0x1000007e -> 0x7e (_M variant)"
contains "$T/out" "the 151 loaded drivers of the dump are listed, not in the module set"

# a dump on standard input
expect_exit 0 "$PMKB" sig --json - <"$D/kernel/triage_arm64.dmp"
jq_eq "$T/out" '.analyses[0].machine' arm64
jq_eq "$T/out" '.analyses[0].source' dmp

# a user-mode minidump: no bugcheck
expect_exit 0 "$PMKB" sig "$D/user/calc_win7_x64.dmp"
contains "$T/out" "analysis 1 (dump calc_win7_x64.dmp): no bugcheck"

for f in "$D"/corrupt/*; do
	"$PMKB" sig "$f" >"$T/out" 2>"$T/err"
	rc=$?
	[ $rc -eq 65 ] || [ $rc -eq 0 ] || fail "$f: exit $rc"
	if [ $rc -eq 65 ]; then
		one_line "$T/err"
		contains "$T/err" "pmkb: cannot read '$f': "
	fi
done

# a truncated kernel dump: refused or read in part, never a crash
head -c 5000 "$D/kernel/triage_x64.dmp" >"$T/cut.dmp"
"$PMKB" sig "$T/cut.dmp" >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 65 ] || [ $rc -eq 0 ] || fail "truncated dump: exit $rc"
# options may follow the file, as in git: pmkb sig FILE --json
expect_exit 0 "$PMKB" sig "$D/kernel/triage_x64.dmp" --json
jq_eq "$T/out" '.analyses[0].bugcheck.code' 0x1000007e
exit 0
