# T060: the seed threads as real mail (.eml, mbox, maildir; UTF-8, GBK,
# GB18030, Big5; base64, QP, 8bit; HTML; quoted replies; a WinDbg
# attachment) give the same cases as the export format: same ids,
# messages, analyses, next steps. Incremental: mail for stored cases merges.
. "$TOP/tests/cli/lib.sh"
command -v python3 >/dev/null || { echo "python3 is needed to build the mails"; exit 77; }
python3 "$TOP/tests/mail/make-mail.py" "$TOP/tests/data/seeds" "$T/mail" || fail "make-mail.py failed"
ids="CAS-06133-X9Z4Q7 CAS-02698-C5V4N5 CAS-04223-R4W0Q7 CAS-08433-X3V6G7"

PMKB_DB="$T/export" expect_exit 0 "$PMKB" import "$TOP"/tests/data/seeds/*.txt
PMKB_DB="$T/eml" expect_exit 0 "$PMKB" import "$T"/mail/eml/*.eml
contains "$T/out" "imported"
PMKB_DB="$T/mbox" expect_exit 0 "$PMKB" import "$T/mail/all.mbox"
PMKB_DB="$T/maildir" expect_exit 0 "$PMKB" import "$T/mail/maildir"
# the mbox and the maildir are told apart by content, not by name
cp "$T/mail/all.mbox" "$T/mail/no-suffix"
PMKB_DB="$T/mbox2" expect_exit 0 "$PMKB" import "$T/mail/no-suffix"
for db in eml mbox maildir mbox2; do
	for id in $ids; do
		PMKB_DB="$T/export" "$PMKB" show --json "$id" | jq -S -f "$TOP/tests/mail/compare.jq" >"$T/a.json" ||
			fail "show $id (export)"
		PMKB_DB="$T/$db" "$PMKB" show --json "$id" | jq -S -f "$TOP/tests/mail/compare.jq" >"$T/b.json" ||
			fail "show $id ($db)"
		diff -u "$T/a.json" "$T/b.json" || fail "$id differs between the export and $db"
		jq -e '.analyses | length > 0' "$T/b.json" >/dev/null || fail "$id: no analysis from $db"
	done
done

# the analysis attached as a .log file is read; the Big5 thread decodes
PMKB_DB="$T/maildir" "$PMKB" show --json CAS-09002-L0G1A2 >"$T/log.json" || fail "show CAS-09002-L0G1A2"
jq_eq "$T/log.json" '.analyses[0].bugcheck.code' 0x3b
PMKB_DB="$T/maildir" "$PMKB" show --json CAS-09001-B5T1W2 >"$T/big5.json" || fail "show CAS-09001-B5T1W2"
jq_eq "$T/big5.json" '.title' '藍屏問題'
jq_eq "$T/big5.json" '.messages[0].sender' 'person-f38ed4'   # 陳先生, redacted
contains "$T/big5.json" '記憶體傾印檔'

# incremental: the export first, then the same threads by mail: merged,
# nothing twice; a second run adds nothing
PMKB_DB="$T/both" expect_exit 0 "$PMKB" import "$TOP"/tests/data/seeds/*.txt
PMKB_DB="$T/both" expect_exit 0 "$PMKB" import "$T/mail/all.mbox"
PMKB_DB="$T/both" expect_exit 0 "$PMKB" import "$T/mail/maildir"
contains "$T/out" "imported 0 cases, 0 messages"
for id in $ids; do
	PMKB_DB="$T/export" "$PMKB" show --json "$id" | jq -S -f "$TOP/tests/mail/compare.jq" >"$T/a.json"
	PMKB_DB="$T/both" "$PMKB" show --json "$id" | jq -S -f "$TOP/tests/mail/compare.jq" >"$T/b.json"
	diff -u "$T/a.json" "$T/b.json" || fail "$id changed when its mail was imported after the export"
done
PMKB_DB="$T/both" "$PMKB" stats >"$T/stats"
contains "$T/stats" "cases      7"
contains "$T/stats" "messages   67"

# a thread split over runs: half the mails, then the rest
PMKB_DB="$T/split" expect_exit 0 "$PMKB" import "$T"/mail/eml/001_*-0[1-9].eml
PMKB_DB="$T/split" expect_exit 0 "$PMKB" import "$T"/mail/eml/001_*-[12]?.eml
PMKB_DB="$T/split" "$PMKB" show --json CAS-02698-C5V4N5 | jq -S -f "$TOP/tests/mail/compare.jq" >"$T/b.json"
PMKB_DB="$T/export" "$PMKB" show --json CAS-02698-C5V4N5 | jq -S -f "$TOP/tests/mail/compare.jq" >"$T/a.json"
diff -u "$T/a.json" "$T/b.json" || fail "a thread imported in two runs differs"
exit 0
