# T077: one root cause crosses bugcheck codes (design.md). A copy of the
# x64 triage dump (0x1000007E in amdppm) patched to bugcheck 0xD1, same
# arguments and stack, is matched against a knowledge base holding the
# original among the seed threads and the public WinDbg analyses: the
# original ranks first, similar or known, and the bugcheck is named as the
# difference (no candidate query or score may hinge on the code).
. "$TOP/tests/cli/lib.sh"
D="$TOP/tests/data/dumps/kernel/triage_x64.dmp"
[ -f "$D" ] || { echo "no tests/data/dumps/kernel/triage_x64.dmp"; exit 77; }

cp "$D" "$T/d1.dmp"
# DUMP_HEADER64.BugCheckCode: u32 little-endian at file offset 0x38
printf '\321\000\000\000' | dd of="$T/d1.dmp" bs=1 seek=56 conv=notrunc 2>/dev/null
[ "$(od -An -tx1 -j56 -N4 "$T/d1.dmp" | tr -d ' ')" = d1000000 ] || fail "patch did not take"
expect_exit 0 "$PMKB" sig --json "$T/d1.dmp"
contains "$T/out" '"0xd1"'

expect_exit 0 "$PMKB" import "$TOP"/tests/data/seeds/0*.txt "$TOP"/tests/data/windbg/*.txt "$D"
"$PMKB" match --json "$T/d1.dmp" >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] || { cat "$T/out" "$T/err"; fail "match on the 0xD1 copy exited $rc"; }
jq_eq "$T/out" '.matches | length > 0' true
jq_eq "$T/out" '.matches[0].case' triage_x64
jq_eq "$T/out" '.verdict == "similar" or .verdict == "known"' true
jq_eq "$T/out" '.matches[0].parts.stack >= 0.6' true
jq_eq "$T/out" '.rule' null

# the text form says the code differs and the frames are the same
expect_exit 0 "$PMKB" match "$T/d1.dmp"
contains "$T/out" "bugcheck 0xd1 vs 0x7e"
contains "$T/out" "frame amdppm+0x334c"
exit 0
