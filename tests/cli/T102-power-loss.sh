# T102: durability order and the repair of an index ahead of SQLite.
# 1) Traced with strace: no index commit (the rename of Xapian's version
#    file) starts while kb.sqlite-wal holds writes not yet synced, so a
#    power loss can drop an SQLite commit only together with the index
#    commit after it (synchronous=FULL; NORMAL fails this).
# 2) A modelled power loss that does leave the index ahead (kb.sqlite as
#    it was before the last import, the index as after it): check reports
#    the documents of no case, readers never show them as cases, and the
#    next writable open removes them.
. "$TOP/tests/cli/lib.sh"
# LeakSanitizer cannot run under ptrace: off for the traced runs (ASan stays)
TRACED_ASAN="ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
S="$TOP/tests/data/seeds"
[ -d "$S" ] || { echo "tests/data/seeds is missing"; exit 77; }
command -v strace >/dev/null || fail "strace is not installed (scripts/install-deps.sh installs it)"
command -v sqlite3 >/dev/null || fail "sqlite3 is not installed"
strace -f -o /dev/null -e trace=fsync true 2>/dev/null ||
	{ echo "strace cannot trace here (ptrace not permitted)"; exit 77; }

D="$T/order"
expect_exit 0 "$PMKB" --db "$D" import "$S/000_e3b3544fec26024b.txt"
PMKB_BATCH_SIZE=2 env "$TRACED_ASAN" strace -f -y -o "$T/trace" -e trace=write,pwrite64,fsync,fdatasync,rename,renameat2 \
	"$PMKB" --db "$D" import "$S" >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "traced import"; }
python3 - "$T/trace" <<'PY' || fail "an index commit ran ahead of SQLite's sync"
import re, sys
dirty = False   # kb.sqlite-wal written since its last sync
commits = 0
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    m = re.search(r'(\w+)\((\d+<([^>]*)>)?', line.split(" ", 1)[1] if " " in line else line)
    if not m:
        continue
    call, path = m.group(1), m.group(3) or ""
    if call in ("write", "pwrite64") and path.endswith("kb.sqlite-wal"):
        dirty = True
    elif call in ("fsync", "fdatasync") and path.endswith("kb.sqlite-wal"):
        dirty = False
    elif call in ("rename", "renameat2") and "iamglass" in line:
        commits += 1
        if dirty:
            print("index commit %d while kb.sqlite-wal had unsynced writes" % commits)
            sys.exit(1)
if commits < 3:
    print("only %d index commits traced" % commits)
    sys.exit(1)
print("%d index commits, each after SQLite's sync" % commits)
PY

# 2) the index ahead of kb.sqlite
D="$T/ahead"
expect_exit 0 "$PMKB" --db "$D" import "$S/000_e3b3544fec26024b.txt" "$S/001_a48089f2710e0f3a.txt"
cp "$D/kb.sqlite" "$T/kb.sqlite.before"       # closed cleanly: no -wal
sqlite3 "$D/kb.sqlite" "SELECT id FROM cases ORDER BY id" >"$T/ids.before"
expect_exit 0 "$PMKB" --db "$D" import "$S"
sqlite3 "$D/kb.sqlite" "SELECT id FROM cases ORDER BY id" >"$T/ids.after"
rm -f "$D/kb.sqlite-wal" "$D/kb.sqlite-shm"
cp "$T/kb.sqlite.before" "$D/kb.sqlite"        # SQLite lost the last import
n_before=$(sqlite3 "$D/kb.sqlite" "SELECT count(*) FROM cases")
expect_exit 1 "$PMKB" --db "$D" check
contains "$T/out" "documents of no case"
lost=$(comm -13 "$T/ids.before" "$T/ids.after" | head -n 1)
[ -n "$lost" ] || fail "the model did not put the index ahead"
expect_exit 0 "$PMKB" --db "$D" search "case:$lost"   # the index still has it
expect_exit 1 "$PMKB" --db "$D" show "$lost"          # SQLite does not
contains "$T/err" "no case"
# the next writable open repairs: documents of no case removed
expect_exit 0 "$PMKB" --db "$D" import "$S/001_a48089f2710e0f3a.txt"
expect_exit 0 "$PMKB" --db "$D" check
contains "$T/out" "index against kb.sqlite: ok"
expect_exit 0 "$PMKB" --db "$D" stats --json
jq_eq "$T/out" .cases "$n_before"
jq_eq "$T/out" .indexed "$n_before"
"$PMKB" --db "$D" search "case:$lost" >"$T/out" 2>&1
[ $? -eq 1 ] || fail "the document of $lost survived the repair"
