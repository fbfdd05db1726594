# T044: pmkb sig - reads standard input; text in GBK/GB18030 and UTF-16
# (WinDbg .logopen /u) is decoded before extraction; a dump on stdin works.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"

expect_exit 0 "$PMKB" sig - <"$S/003_25707b60ca074d00.txt"
contains "$T/out" "analysis 1: bugcheck 0x3b SYSTEM_SERVICE_EXCEPTION"
expect_exit 0 "$PMKB" sig --json - <"$S/003_25707b60ca074d00.txt"
jq_eq "$T/out" '.analyses[0].image' npf.sys

# errors on stdin name it
printf 'nothing here\n' | "$PMKB" sig - >"$T/out" 2>"$T/err"
[ $? -eq 1 ] || fail "no analysis on stdin: expected exit 1"
contains "$T/err" "no dump analysis found in '(stdin)'"

# the same thread in GB18030 (the Chinese mail text) and in UTF-16LE with a BOM
command -v iconv >/dev/null || { echo "iconv not installed"; exit 77; }
iconv -f UTF-8 -t GB18030 "$S/003_25707b60ca074d00.txt" >"$T/gb.txt" || fail "iconv gb18030"
expect_exit 0 "$PMKB" sig --json "$T/gb.txt"
jq_eq "$T/out" '.analyses[0].bugcheck.code' 0x3b
jq_eq "$T/out" '.analyses[0].third_party_modules | join(",")' npf
{ printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$S/002_413591d54dd1d178.txt"; } >"$T/u16.txt" || fail "iconv utf-16"
expect_exit 0 "$PMKB" sig "$T/u16.txt"
contains "$T/out" "signature: ndis!NdisFDeregisterFilterDriver | lwfmgr+0x5167"
