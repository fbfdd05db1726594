# T109: a knowledge base the user may read but not write (another user's,
# or on a read-only mount) is read as notmuch reads one: search, show,
# list, match, stats and check answer as they do on a writable one, and a
# write is refused with one line that says "read-only" (exit 66), leaving
# kb.sqlite and the index as they were. A knowledge base the user may not
# read at all is said to be unreadable, not missing.
# As root the reads run as the user nobody (setpriv); as anyone else the
# knowledge base is made read-only with chmod.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
[ -d "$S" ] || { echo "tests/data/seeds is missing"; exit 77; }
KB="$T/kb"
expect_exit 0 "$PMKB" --db "$KB" import "$S"
Q="$TOP/tests/data/windbg/$(ls "$TOP/tests/data/windbg" | grep '\.txt$' | head -n 1)"
CASE=$("$PMKB" --db "$KB" list | head -n 1 | cut -f 1 -d ' ')
[ -n "$CASE" ] || fail "no case listed"

# what a writable knowledge base answers, to compare with
for c in "search ICBC" "show $CASE" "list" "stats" "match --json $Q"; do
	"$PMKB" --db "$KB" $c >"$T/rw-$(echo "$c" | cut -c 1-4).out" 2>/dev/null
done

mkdir -p "$T/home"
chmod 755 "$T" "$T/home"
if [ "$(id -u)" -eq 0 ]; then
	command -v setpriv >/dev/null || { echo "no setpriv"; exit 77; }
	ro() { HOME="$T/home" XDG_CONFIG_HOME="$T/home" setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	ro test -x "$PMKB" -a -r "$Q" || { echo "the build is not reachable by the user nobody"; exit 77; }
	chmod -R a+rX "$KB"
else
	ro() { "$@"; }
fi
chmod -R a-w "$KB"
sum_before=$(cat "$KB/kb.sqlite" "$KB"/xapian/* | md5sum)

for c in "search ICBC" "show $CASE" "list" "stats" "match --json $Q"; do
	k=$(echo "$c" | cut -c 1-4)
	# match exits 0 (known) or 1 (new); the answer must be the same
	ro "$PMKB" --db "$KB" $c >"$T/ro-$k.out" 2>"$T/ro-$k.err"
	rc=$?
	[ $rc -le 1 ] || { cat "$T/ro-$k.err"; fail "'$c' on a read-only knowledge base exited $rc"; }
	cmp -s "$T/rw-$k.out" "$T/ro-$k.out" || fail "'$c' answers differently on a read-only knowledge base"
done
expect_exit 0 ro "$PMKB" --db "$KB" check

# writes: refused, one line, the words "read-only", nothing changed
expect_exit 66 ro "$PMKB" --db "$KB" import "$S/000_e3b3544fec26024b.txt"
one_line "$T/err"
contains "$T/err" "read-only"
expect_exit 66 ro "$PMKB" --db "$KB" outcome "$CASE" resolved
contains "$T/err" "read-only"
expect_exit 66 ro "$PMKB" --db "$KB" reindex
contains "$T/err" "read-only"
lacks "$T/err" "locked by another"
sum_after=$(cat "$KB/kb.sqlite" "$KB"/xapian/* | md5sum)
[ "$sum_before" = "$sum_after" ] || fail "a refused write changed the knowledge base"

# a knowledge base the user may not read at all (only as root, who can
# make one that nobody may read): unreadable, not "no knowledge base"
if [ "$(id -u)" -eq 0 ]; then
	chmod 700 "$KB"
	expect_exit 66 ro "$PMKB" --db "$KB" search ICBC
	one_line "$T/err"
	contains "$T/err" "ermission denied"
	lacks "$T/err" "no knowledge base there"
fi
exit 0
