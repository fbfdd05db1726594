# T043: pmkb sig on bad input: missing, directory, binary, oversized, empty,
# text without an analysis, usage errors. One-line errors naming the file,
# the exit codes of design.md section 5, never a crash.
. "$TOP/tests/cli/lib.sh"

expect_exit 66 "$PMKB" sig "$T/nope.txt"
one_line "$T/err"
contains "$T/err" "pmkb: cannot read '$T/nope.txt': no such file"
[ -s "$T/out" ] && fail "stdout not empty on error"

mkdir "$T/dir"
expect_exit 66 "$PMKB" sig "$T/dir"
one_line "$T/err"
contains "$T/err" "cannot read '$T/dir'"

# binary data that is not a dump
head -c 4096 "$PMKB" >"$T/bin.dat"
expect_exit 65 "$PMKB" sig "$T/bin.dat"
one_line "$T/err"
contains "$T/err" "pmkb: cannot read '$T/bin.dat': binary file, neither text nor a dump"

# larger than the 64 MiB text bound (sparse: no disk used)
truncate -s 65M "$T/big.txt"
expect_exit 65 "$PMKB" sig "$T/big.txt"
one_line "$T/err"
contains "$T/err" "cannot read '$T/big.txt'"

# text with no dump analysis: exit 1; --json still prints an empty list
printf 'hello\nthe customer says the PC restarted\n' >"$T/prose.txt"
expect_exit 1 "$PMKB" sig "$T/prose.txt"
one_line "$T/err"
contains "$T/err" "pmkb: no dump analysis found in '$T/prose.txt'"
[ -s "$T/out" ] && fail "stdout not empty without analyses"
expect_exit 1 "$PMKB" sig --json "$T/prose.txt"
jq_eq "$T/out" '.analyses | length' 0
: >"$T/empty.txt"
expect_exit 1 "$PMKB" sig "$T/empty.txt"

# usage
expect_exit 64 "$PMKB" sig
contains "$T/err" "usage: pmkb sig"
expect_exit 64 "$PMKB" sig a b
expect_exit 64 "$PMKB" sig --bogus "$T/prose.txt"
contains "$T/err" "--bogus"
expect_exit 0 "$PMKB" sig --help
contains "$T/out" "usage: pmkb sig"

# hostile text: a stack of 20000 frames, a line of 1 MiB, control bytes
{
	echo "BugCheck D1, {0, 2, 0, fffff8053606a2b7}"
	echo " # Child-SP          RetAddr               Call Site"
	i=0
	while [ $i -lt 20000 ]; do printf '%02x fffff08f`489f4ce8 fffff803`2f869513     nwifi!Dot11SendCompletion+0x4b\n' $((i % 256)); i=$((i + 1)); done
} >"$T/deep.txt"
"$PMKB" sig --json "$T/deep.txt" >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] || [ $rc -eq 1 ] || fail "deep stack: exit $rc"
[ $rc -eq 0 ] && jq -e . "$T/out" >/dev/null || [ $rc -eq 1 ] || fail "deep stack: bad JSON"
head -c 1048576 /dev/zero | tr '\0' 'A' >"$T/long.txt"
printf '\nnt!KeBugCheckEx+0x0\n\001\002\033[31m\n' >>"$T/long.txt"
"$PMKB" sig "$T/long.txt" >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] || [ $rc -eq 1 ] || fail "long line: exit $rc"
