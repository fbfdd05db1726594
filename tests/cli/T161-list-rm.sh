# T161: pmkb list, count and rm on the seed threads. rm takes a case out of
# SQLite and the index at once, with its links, and leaves no trace in
# search, match, list or the SQLite file (after VACUUM); bad dates and
# options are usage errors with a hint.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
command -v sqlite3 >/dev/null || { echo "sqlite3 (the command) is not installed"; exit 77; }

expect_exit 0 "$PMKB" import "$S"
expect_exit 0 "$PMKB" count
[ "$(cat "$T/out")" = 5 ] || fail "count: $(cat "$T/out")"
expect_exit 0 "$PMKB" count date:2021..2022
[ "$(cat "$T/out")" = 2 ] || fail "count 2021..2022: $(cat "$T/out")"
expect_exit 0 "$PMKB" count date:2020-09-15
[ "$(cat "$T/out")" = 1 ] || fail "count of one day: $(cat "$T/out")"

# newest first; by id; JSON with the total; offset and limit
expect_exit 0 "$PMKB" list
[ "$(head -n 1 "$T/out" | cut -d' ' -f1)" = CAS-08433-X3V6G7 ] || fail "list is not newest first"
[ "$(wc -l <"$T/out")" -eq 5 ] || fail "list is not 5 lines"
contains "$T/out" "CAS-02698-C5V4N5  2020-09-15  ICBC  7 analyses  升级1809后从网盘拷文件蓝屏"
expect_exit 0 "$PMKB" list --json --sort case --offset 1 --limit 2
jq_eq "$T/out" .total 5
jq_eq "$T/out" '[.cases[].case] | join(" ")' "CAS-02698-C5V4N5 CAS-04223-R4W0Q7"
jq_eq "$T/out" '.cases[0] | keys | join(",")' "analyses,case,customer,first_date,last_date,source,status,title"
expect_exit 0 "$PMKB" list --json date:..2020
jq_eq "$T/out" '[.cases[].case] | join(" ")' "CAS-02698-C5V4N5"

# bad values: usage errors with a hint
expect_exit 64 "$PMKB" list date:2022-13
contains "$T/err" "pmkb: 'date:2022-13' is not a date range"
contains "$T/err" "hint: date:2020-09..2021-03"
expect_exit 64 "$PMKB" count when:2022
expect_exit 64 "$PMKB" list --sort size
contains "$T/err" "--sort takes date or case, not 'size'"
expect_exit 64 "$PMKB" list --limit many
expect_exit 64 "$PMKB" rm

# import --case files a dump under a stored case: added, once, the thread kept
D="$TOP/tests/data/dumps/kernel/triage_x64.dmp"
expect_exit 0 "$PMKB" show --json CAS-08433-X3V6G7
nmsg=$(jq '.messages | length' "$T/out")
expect_exit 0 "$PMKB" import --case CAS-08433-X3V6G7 "$D"
expect_exit 0 "$PMKB" import --case CAS-08433-X3V6G7 --customer 'CITIC' "$D"
expect_exit 0 "$PMKB" list --json
jq_eq "$T/out" .total 5
jq_eq "$T/out" '.cases[] | select(.case == "CAS-08433-X3V6G7") | [.analyses, .customer] | join(" ")' "2 CITIC"
expect_exit 0 "$PMKB" show --json CAS-08433-X3V6G7
jq_eq "$T/out" '.messages | length' "$nmsg"
jq_eq "$T/out" '.analyses[-1].dump_name' triage_x64.dmp
expect_exit 64 "$PMKB" import --case 'A#1' "$D"

# a link to the case to be removed, and one not touching it
expect_exit 0 "$PMKB" link CAS-02698-C5V4N5#7 CAS-06133-X9Z4Q7#2 --same
expect_exit 0 "$PMKB" link CAS-04223-R4W0Q7 CAS-08433-X3V6G7 --different

# the case is found everywhere before
expect_exit 0 "$PMKB" search 网盘
contains "$T/out" CAS-02698-C5V4N5
sed -n "/====第19封邮件====/,/====第20封邮件====/p" "$S/001_a48089f2710e0f3a.txt" >"$T/q19.txt"
expect_exit 0 "$PMKB" match --json "$T/q19.txt"
jq_eq "$T/out" '.matches[0].case' CAS-02698-C5V4N5

expect_exit 0 "$PMKB" rm CAS-02698-C5V4N5
contains "$T/out" "removed CAS-02698-C5V4N5 and its 1 link"
expect_exit 66 "$PMKB" rm CAS-02698-C5V4N5
contains "$T/err" "pmkb: cannot remove 'CAS-02698-C5V4N5': no case 'CAS-02698-C5V4N5'"
expect_exit 0 "$PMKB" links
lacks "$T/out" CAS-02698-C5V4N5
contains "$T/out" "CAS-04223-R4W0Q7 CAS-08433-X3V6G7  different"

# no trace: count, list, search (words and fields), match, stats
expect_exit 0 "$PMKB" count
[ "$(cat "$T/out")" = 4 ] || fail "count after rm: $(cat "$T/out")"
expect_exit 0 "$PMKB" list
lacks "$T/out" CAS-02698-C5V4N5
expect_exit 1 "$PMKB" search 网盘
expect_exit 1 "$PMKB" search case:CAS-02698-C5V4N5
expect_exit 0 "$PMKB" match --json "$T/q19.txt"
jq_eq "$T/out" '[.matches[].case] | index("CAS-02698-C5V4N5")' null
expect_exit 0 "$PMKB" stats --json
jq_eq "$T/out" '.cases' 4
jq_eq "$T/out" '.indexed' 4
# nor in the SQLite file, once vacuumed (a word and the case id)
expect_exit 0 sqlite3 "$PMKB_DB/kb.sqlite" "PRAGMA wal_checkpoint(TRUNCATE); VACUUM;"
! grep -qa "CAS-02698-C5V4N5" "$PMKB_DB"/kb.sqlite* || fail "the case id is still in kb.sqlite"
! grep -qa "网盘" "$PMKB_DB"/kb.sqlite* || fail "the case's text is still in kb.sqlite"
# a reindex does not bring it back
expect_exit 0 "$PMKB" reindex
contains "$T/out" "reindexed 4 cases"

# several at once; the one missing is reported, the others removed
expect_exit 66 "$PMKB" rm CAS-04223-R4W0Q7 NOPE 003_25707b60ca074d00
contains "$T/out" "removed CAS-04223-R4W0Q7 and its 1 link"
contains "$T/out" "removed 003_25707b60ca074d00"
contains "$T/err" "no case 'NOPE'"
expect_exit 0 "$PMKB" count
[ "$(cat "$T/out")" = 2 ] || fail "count after rm of two: $(cat "$T/out")"
exit 0
