# T055: a 10 GB sparse file (no disk used): the reader preads only the
# structures it needs, so a real small dump at the head of a 10 GB file
# reads in bounded memory, and an all-zero 10 GB file is refused at once.
. "$TOP/tests/cli/lib.sh"
dmp="$TOP/tests/data/dumps/kernel/triage_x64.dmp"

"$PMKB" sig "$dmp" >"$T/out" 2>"$T/err"
if grep -q "cannot read dump files yet" "$T/err"; then echo "pmkb sig does not read .dmp files in this build"; exit 77; fi

cp "$dmp" "$T/big.dmp"
truncate -s 10G "$T/big.dmp" 2>/dev/null || { echo "cannot make a sparse file here"; exit 77; }
[ "$(wc -c <"$T/big.dmp")" -eq 10737418240 ] || fail "big.dmp is not 10 GB"
# bounded address space (not under AddressSanitizer, which reserves terabytes)
case "$PMKB" in
*asan*) limit= ;;
*) limit="ulimit -v 400000;" ;;
esac
sh -c "$limit \"\$0\" sig --json \"\$1\"" "$PMKB" "$T/big.dmp" >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 0 ] || { cat "$T/err"; fail "10 GB dump exited $rc"; }
jq_eq "$T/out" '.analyses[0].bugcheck.code' 0x1000007e
jq_eq "$T/out" '.analyses[0].fault_ip' amdppm.sys+0x334c
jq_eq "$T/out" '.analyses[0].modules | length' 151

# an all-zero 10 GB file named .dmp: refused in one line, fast
rm -f "$T/big.dmp"
truncate -s 10G "$T/zero.dmp"
expect_exit 65 sh -c "$limit \"\$0\" sig \"\$1\"" "$PMKB" "$T/zero.dmp"
one_line "$T/err"
contains "$T/err" "pmkb: cannot read '$T/zero.dmp':"
