# T019: importing a folder reads its cases, not its documentation: the seed
# folder carries a README.md, which a walk skips (as it skips hidden files),
# while a README named on the command line is still read.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
[ -f "$S/README.md" ] || { echo "tests/data/seeds/README.md is missing"; exit 77; }
cp -r "$S" "$T/seeds"
printf '邮件主题：hidden\n\n====第1封邮件====\n\n发件人：x\n发送时间：2020-01-01 00:00:00\n邮件内容:\nbugcheck为D1\n' >"$T/seeds/.hidden.txt"
expect_exit 0 "$PMKB" import "$T/seeds"
contains "$T/out" "imported 5 cases"
expect_exit 0 "$PMKB" stats --json
jq_eq "$T/out" .cases 5
expect_exit 1 "$PMKB" show README
# named explicitly, it is imported (as a plain-text case)
expect_exit 0 "$PMKB" import "$T/seeds/README.md"
contains "$T/out" "imported 1 cases"
expect_exit 0 "$PMKB" show README
