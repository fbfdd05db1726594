# T018: import recognises each source by its content in one run (thread
# export, plain text, WinDbg text, crash dump, .eml, mbox) and honours
# --format; a corrupt dump among good sources is reported and skipped.
. "$TOP/tests/cli/lib.sh"
D="$TOP/tests/data"
[ -d "$D/seeds" ] || { echo "tests/data/seeds is missing"; exit 77; }
[ -d "$D/dumps/kernel" ] && [ -d "$D/mail" ] && [ -d "$D/windbg" ] || { echo "test data missing"; exit 77; }

mkdir -p "$T/mix/sub"
cp "$D/seeds/001_a48089f2710e0f3a.txt" "$T/mix/"
cp "$D/dumps/kernel/triage_x64.dmp" "$T/mix/sub/"
cp "$D/mail/subject-utf-8.eml" "$T/mix/"
cp "$D/mail/box.mbox" "$T/mix/sub/"
cp "$D/dumps/corrupt/rust-minidump-invalid-range.dmp" "$T/mix/zz-corrupt.dmp"
expect_exit 0 "$PMKB" import "$T/mix"
contains "$T/err" "zz-corrupt.dmp"
contains "$T/err" "warning: 1 of 5 sources"
expect_exit 0 "$PMKB" show --json triage_x64
jq_eq "$T/out" .format dmp
jq_eq "$T/out" '.analyses | length' 1
jq_eq "$T/out" '.analyses[0].bugcheck.code | startswith("0x")' true
expect_exit 0 "$PMKB" show --json CAS-02698-C5V4N5
jq_eq "$T/out" .format thread
expect_exit 0 "$PMKB" stats --json
[ "$(jq .cases "$T/out")" -ge 4 ] || fail "expected at least 4 cases: $(cat "$T/out")"
jq_eq "$T/out" '.cases == .indexed' true
expect_exit 0 "$PMKB" search --json 'process:System OR bugcheck:0xd1 OR vwifimf'
[ "$(jq '.results | length' "$T/out")" -ge 1 ] || fail "nothing found"

# --format windbg: one case of the analyses of a saved WinDbg output
f=$(ls "$D/windbg"/*.txt | head -n 1)
stem=$(basename "$f" .txt)
expect_exit 0 "$PMKB" import --format windbg "$f"
contains "$T/out" "imported 1 cases"
expect_exit 0 "$PMKB" show --json "$stem"
[ "$(jq '.analyses | length' "$T/out")" -ge 1 ] || fail "no analysis from $f"

# --format dmp on a text file, --format eml on a dump: refused, one line
expect_exit 65 "$PMKB" import --format dmp "$D/seeds/003_25707b60ca074d00.txt"
one_line "$T/err"
contains "$T/err" "pmkb: cannot read '$D/seeds/003_25707b60ca074d00.txt':"
"$PMKB" import --format eml "$D/dumps/kernel/triage_arm64.dmp" >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 65 ] || [ $rc -eq 0 ] || fail "eml on a dump: exit $rc"
# --format text reads a thread export as plain text rules allow: still a case
expect_exit 0 "$PMKB" import --format text "$D/seeds/004_f83e32c4bf43c7da.txt"
contains "$T/out" "imported 1 cases"
