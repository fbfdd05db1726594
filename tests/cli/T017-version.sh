# T017: a knowledge base of another schema version is refused with a
# clear message (exit 78), by readers and writers; --help everywhere.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
[ -d "$S" ] || { echo "tests/data/seeds is missing"; exit 77; }
command -v sqlite3 >/dev/null || { echo "sqlite3 (the command) is not installed"; exit 77; }
expect_exit 0 "$PMKB" import "$S/000_e3b3544fec26024b.txt"
sqlite3 "$PMKB_DB/kb.sqlite" "PRAGMA user_version = 7"
expect_exit 78 "$PMKB" search 蓝屏
contains "$T/err" "schema version 7"
contains "$T/err" "hint:"
expect_exit 78 "$PMKB" import "$S/001_a48089f2710e0f3a.txt"
expect_exit 78 "$PMKB" stats
sqlite3 "$PMKB_DB/kb.sqlite" "PRAGMA user_version = 1"
expect_exit 0 "$PMKB" stats

# --db wins over $PMKB_DB
expect_exit 0 "$PMKB" --db "$T/other" import "$S/001_a48089f2710e0f3a.txt"
expect_exit 0 "$PMKB" --db "$T/other" stats --json
jq_eq "$T/out" .cases 1
expect_exit 0 "$PMKB" stats --json
jq_eq "$T/out" .cases 1
expect_exit 1 "$PMKB" --db "$T/other" show CAS-06133-X9Z4Q7

for c in import search show stats reindex; do
	expect_exit 0 "$PMKB" $c --help
	contains "$T/out" "usage: pmkb $c"
done
expect_exit 64 "$PMKB" stats --bogus
