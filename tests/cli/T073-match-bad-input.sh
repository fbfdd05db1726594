# T073: pmkb match on bad input: no analysis (exit 1, nothing to match),
# missing, a directory, binary junk, a truncated or corrupt dump, GBK text,
# usage errors; never a crash, one-line messages naming the file.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
expect_exit 0 "$PMKB" import "$S/002_413591d54dd1d178.txt"

# prose with no dump analysis: nothing to match
printf '您好，客户反馈电脑蓝屏，请帮忙分析。\nThanks\n' >"$T/prose.txt"
expect_exit 1 "$PMKB" match "$T/prose.txt"
[ ! -s "$T/out" ] || fail "nothing to match printed a result"
contains "$T/err" "pmkb: nothing to match in '$T/prose.txt': no dump analysis found"
expect_exit 1 "$PMKB" match --json - <"$T/prose.txt"
contains "$T/err" "nothing to match in '-'"
: >"$T/empty.txt"
expect_exit 1 "$PMKB" match "$T/empty.txt"
contains "$T/err" "nothing to match"
# --text matches the prose itself: the lwfmgr thread's words
printf 'lwfmgr NdisFDeregisterFilterDriver 升级失败 回滚 0xc1900101 TMS\n' >"$T/words.txt"
"$PMKB" match --json --text "$T/words.txt" >"$T/out" 2>"$T/err"
jq_eq "$T/out" '.matches[0].case' CAS-04223-R4W0Q7
jq_eq "$T/out" '.matches[0].parts.text > 0' true

# missing, directory, unreadable
expect_exit 66 "$PMKB" match "$T/no-such.txt"
one_line "$T/err"
contains "$T/err" "pmkb: cannot read '$T/no-such.txt':"
expect_exit 66 "$PMKB" match "$T"
one_line "$T/err"

# binary junk is refused as sig and import refuse it: bad input data
head -c 200000 /dev/urandom >"$T/junk.bin"
expect_exit 65 "$PMKB" match "$T/junk.bin"
one_line "$T/err"
contains "$T/err" "pmkb: cannot read '$T/junk.bin': binary file, neither text nor a dump"
[ -s "$T/out" ] && fail "stdout not empty on binary input"
# GBK-encoded WinDbg text with Chinese around it still matches
{ printf '\265\332\322\273\267\342\323\312\274\376\n'; cat "$TOP/tests/data/sig/lwfmgr-kc.txt"; } >"$T/gbk.txt"
expect_exit 0 "$PMKB" match --json "$T/gbk.txt"
jq_eq "$T/out" .rule.id lwfmgr-null-filter-handle

# a WinDbg text that starts with "PAGE_FAULT_IN_NONPAGED_AREA" is text, not a
# dump whose magic starts with "PAGE" (found by make bench-smoke)
{ printf 'PAGE_FAULT_IN_NONPAGED_AREA (50)\nArguments:\nArg1: ffffffffffffffe8, memory referenced.\n'
  printf 'Arg2: 0000000000000000, value 0 = read operation, 1 = write operation.\n'
  printf 'Arg3: fffff8057b5694fd, If non-zero, the instruction address\nArg4: 0000000000000002, (reserved)\n'; } >"$T/page.txt"
expect_exit 1 "$PMKB" match --json --rules /dev/null "$T/page.txt"
jq_eq "$T/out" .verdict new
jq_eq "$T/out" '.matches | length' 0
# and a bare NULL-0x18 read names no cause by rule (docs/matching.md)
expect_exit 1 "$PMKB" match --json "$T/page.txt"
jq_eq "$T/out" .rule null

# dumps: a corrupt one and a truncated one give a one-line error
for f in "$TOP"/tests/data/dumps/corrupt/*; do
	"$PMKB" match "$f" >"$T/out" 2>"$T/err"
	rc=$?
	[ $rc -eq 65 ] || [ $rc -eq 1 ] || [ $rc -eq 0 ] || fail "match '$f' exited $rc"
	[ $rc -ne 65 ] || { one_line "$T/err"; contains "$T/err" "pmkb: cannot read '$f':"; }
done
head -c 4096 "$TOP/tests/data/dumps/kernel/triage_x64.dmp" >"$T/trunc.dmp"
"$PMKB" match "$T/trunc.dmp" >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 65 ] || [ $rc -eq 1 ] || fail "truncated dump: exit $rc"

# a real kernel dump: a result or "new", valid JSON either way
"$PMKB" match --json "$TOP/tests/data/dumps/kernel/triage_x64.dmp" >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] || [ $rc -eq 1 ] || fail "kernel dump: exit $rc"
jq -e '.verdict' "$T/out" >/dev/null || fail "kernel dump: no verdict"

# usage
expect_exit 64 "$PMKB" match
expect_exit 64 "$PMKB" match a b
expect_exit 64 "$PMKB" match -n 0 "$T/words.txt"
expect_exit 64 "$PMKB" match -n x "$T/words.txt"
expect_exit 64 "$PMKB" match --frobnicate "$T/words.txt"
expect_exit 66 "$PMKB" match --rules "$T/no-rules.conf" "$T/words.txt"
# no knowledge base at all
expect_exit 66 "$PMKB" --db "$T/none" match "$TOP/tests/data/sig/lwfmgr-kc.txt"

# options after the file, as people type them; after "--" a word is a file
expect_exit 1 "$PMKB" match "$T/page.txt" --json -n 2 --rules /dev/null
jq_eq "$T/out" .verdict new
expect_exit 1 "$PMKB" match - --json --rules /dev/null <"$T/page.txt"
jq_eq "$T/out" .verdict new
expect_exit 64 "$PMKB" match -- "$T/page.txt" --json
exit 0
