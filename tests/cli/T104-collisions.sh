# T104: a source never replaces another source's case. A WinDbg text
# named after a case number is added to that case's thread; two dumps
# named MEMORY.DMP from two folders, and two different pastes on standard
# input, are two cases with stable ids; two threads with one case number
# in one run are merged; a re-import of the same thread replaces it but
# keeps what other sources added; the summary counts what the knowledge
# base holds. Odd ids (control characters, blanks, quotes, invalid UTF-8, a
# phone number) are made safe, and control characters in stored text are
# shown as ^X in text output.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
W="$TOP/tests/data/windbg"
K="$TOP/tests/data/dumps/kernel"
[ -d "$S" ] && [ -d "$K" ] || { echo "test data missing"; exit 77; }
command -v sqlite3 >/dev/null || fail "sqlite3 is not installed"
msgs() { sqlite3 "$PMKB_DB/kb.sqlite" "SELECT count(*) FROM messages WHERE case_id='$1'"; }
ans() { sqlite3 "$PMKB_DB/kb.sqlite" "SELECT count(*) FROM analyses WHERE case_id='$1'"; }

expect_exit 0 "$PMKB" import "$S"
contains "$T/out" "the knowledge base holds 65 messages in the 5 cases touched (5 new, 0 updated, 0 unchanged)"
[ "$(msgs CAS-02698-C5V4N5)" = 28 ] || fail "seed thread not 28 messages"
an0=$(ans CAS-02698-C5V4N5)

# a WinDbg text whose file name is the case number joins the thread
mkdir "$T/x"
cp "$W/86box-4082-7f-x86.txt" "$T/x/CAS-02698-C5V4N5.txt"
expect_exit 0 "$PMKB" import "$T/x/CAS-02698-C5V4N5.txt"
contains "$T/out" "the knowledge base holds 29 messages in the 1 cases touched (0 new, 1 updated, 0 unchanged)"
contains "$T/err" "added to case 'CAS-02698-C5V4N5'"
[ "$(msgs CAS-02698-C5V4N5)" = 29 ] || fail "the thread lost messages: $(msgs CAS-02698-C5V4N5)"
[ "$(ans CAS-02698-C5V4N5)" -gt "$an0" ] || fail "the WinDbg analysis was not added"
# again: nothing new
expect_exit 0 "$PMKB" import "$T/x/CAS-02698-C5V4N5.txt"
contains "$T/out" "(0 new, 0 updated, 1 unchanged)"
# the thread re-imported from its own file: replaced, the WinDbg text kept
expect_exit 0 "$PMKB" import "$S/001_a48089f2710e0f3a.txt"
[ "$(msgs CAS-02698-C5V4N5)" = 29 ] || fail "a re-import dropped what another source added"

# two MEMORY.DMP from two folders: two cases; ids stable over a re-run
mkdir "$T/a" "$T/b" "$T/c"
cp "$K/triage_x64.dmp" "$T/a/MEMORY.DMP"
cp "$K/triage_arm64.dmp" "$T/b/MEMORY.DMP"
cp "$K/triage_x64.dmp" "$T/c/MEMORY.DMP"
expect_exit 0 "$PMKB" import "$T/a" "$T/b"
contains "$T/out" "(2 new, 0 updated, 0 unchanged)"
contains "$T/err" "case id 'MEMORY' is held by"
sqlite3 "$PMKB_DB/kb.sqlite" "SELECT id FROM cases WHERE format='dmp' ORDER BY id" >"$T/dmp1"
[ "$(wc -l <"$T/dmp1")" = 2 ] || fail "two dumps, $(wc -l <"$T/dmp1") cases"
expect_exit 0 "$PMKB" import "$T/a" "$T/b"
contains "$T/out" "(0 new, 2 updated, 0 unchanged)"
sqlite3 "$PMKB_DB/kb.sqlite" "SELECT id FROM cases WHERE format='dmp' ORDER BY id" >"$T/dmp2"
cmp -s "$T/dmp1" "$T/dmp2" || fail "dump case ids changed on a re-run"
# the same dump from a third folder is the same case
expect_exit 0 "$PMKB" import "$T/c"
contains "$T/out" "in the 1 cases touched (0 new, 1 updated, 0 unchanged)"
[ "$(sqlite3 "$PMKB_DB/kb.sqlite" "SELECT count(*) FROM cases WHERE format='dmp'")" = 2 ] ||
	fail "the same dump from another folder made another case"

# two different pastes on standard input: two cases; the same paste: one
printf 'first paste\nIRQL_NOT_LESS_OR_EQUAL seen twice\n' >"$T/p1"
printf 'second paste\nanother text\n' >"$T/p2"
expect_exit 0 "$PMKB" import - <"$T/p1"
expect_exit 0 "$PMKB" import - <"$T/p2"
contains "$T/out" "(1 new, 0 updated, 0 unchanged)"
expect_exit 0 "$PMKB" import - <"$T/p1"
contains "$T/out" "(0 new, 1 updated, 0 unchanged)"
[ "$(sqlite3 "$PMKB_DB/kb.sqlite" "SELECT count(*) FROM cases WHERE source='stdin'")" = 2 ] ||
	fail "two pastes are not two cases"

# two threads with one case number in one run: merged, nothing dropped
export PMKB_DB="$T/two"
mkdir "$T/tt"
cp "$S/000_e3b3544fec26024b.txt" "$T/tt/a.txt"
python3 - "$S/000_e3b3544fec26024b.txt" "$T/tt/b.txt" <<'PY'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
i = s.index("====第2封邮件")
s = s[:i] + "====第9封邮件====\n\n发件人：someone\n发送时间：2023-01-01 10:00:00\n邮件内容:\n另一个线程的新消息\n\n" + s[i:]
open(sys.argv[2], "w", encoding="utf-8").write(s)
PY
expect_exit 0 "$PMKB" import "$T/tt"
contains "$T/out" "the knowledge base holds 9 messages in the 1 cases touched (1 new, 0 updated, 0 unchanged)"
[ "$(msgs CAS-06133-X9Z4Q7)" = 9 ] || fail "merged thread has $(msgs CAS-06133-X9Z4Q7) messages"
expect_exit 0 "$PMKB" search 另一个线程的新消息
contains "$T/out" CAS-06133-X9Z4Q7

# odd ids: made safe, found by search case: and show, nothing raw on a terminal
export PMKB_DB="$T/odd"
mkdir "$T/odd-src"
esc=$(printf '\033')
printf 'text one\n' >"$T/odd-src/bad${esc}[31mid with 'quote.txt"
printf 'text two\n' >"$T/odd-src/$(printf 'inv\377alid').txt"
printf 'text three\n' >"$T/odd-src/13693172002.txt"
expect_exit 0 "$PMKB" import "$T/odd-src"
sqlite3 "$PMKB_DB/kb.sqlite" "SELECT id FROM cases ORDER BY id" >"$T/ids"
lacks "$T/ids" "$esc"
lacks "$T/ids" "'"
lacks "$T/ids" " "
lacks "$T/ids" 13693172002
python3 -c "open('$T/ids','rb').read().decode('utf-8')" || fail "an id is not UTF-8"
grep -q '^case-[0-9a-f]\{8\}$' "$T/ids" || fail "the phone-number stem did not become case-<hash>"
while read -r id; do
	expect_exit 0 "$PMKB" show "$id"
	expect_exit 0 "$PMKB" search "case:$id"
	contains "$T/out" "$id"
done <"$T/ids"
# control characters in stored text reach no terminal: shown as ^X
printf 'body \033[31mred\033[0m and \007bell\n' >"$T/odd-src/escbody.txt"
expect_exit 0 "$PMKB" import "$T/odd-src/escbody.txt"
expect_exit 0 "$PMKB" show escbody
lacks "$T/out" "$esc"
contains "$T/out" 'body ^[[31mred^[[0m and ^Gbell'
expect_exit 0 "$PMKB" show --json escbody
jq_eq "$T/out" '.messages[0].body' "$(printf 'body \033[31mred\033[0m and \007bell')"
