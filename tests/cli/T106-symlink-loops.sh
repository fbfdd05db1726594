# T106: directory walks read each directory once, by (device, inode): a
# "self -> ." link does not import the same file again, two links that
# make an exponential walk end at once, and a directory reached by a
# second link is read once; each skip is said on standard error. Also: no
# HOME refuses (exit 78), SIGHUP keeps what an import did.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
[ -d "$S" ] || { echo "tests/data/seeds is missing"; exit 77; }
mkdir -p "$T/d/sub"
cp "$S/000_e3b3544fec26024b.txt" "$T/d/a.txt"
cp "$S/004_f83e32c4bf43c7da.txt" "$T/d/sub/b.txt"
ln -s . "$T/d/self"
ln -s .. "$T/d/sub/up"
ln -s ../sub "$T/d/sub/again"
ln -s "$T/d/sub" "$T/d/other"
expect_exit 0 timeout 60 "$PMKB" import "$T/d"
contains "$T/out" "imported 2 cases, 11 messages"
contains "$T/err" "directory already read in this import"
# the same directory named twice on the command line: read once
expect_exit 0 "$PMKB" import "$T/d" "$T/d/sub"
contains "$T/out" "imported 2 cases,"

# small ones: no HOME and no PMKB_DB: refused, never a KB relative to the
# working directory
(unset HOME PMKB_DB XDG_DATA_HOME; cd "$T" && "$PMKB" import "$S/000_e3b3544fec26024b.txt") >"$T/out" 2>"$T/err"
[ $? -eq 78 ] || fail "import without HOME: not exit 78"
contains "$T/err" "HOME is not set"
[ ! -e "$T/.local" ] || fail "a knowledge base was made under the working directory"
# SIGHUP during an import keeps what is done, as SIGINT does
export PMKB_DB="$T/hup"
mkfifo "$T/fifo"
exec 3<>"$T/fifo"
"$PMKB" import "$S/001_a48089f2710e0f3a.txt" - <"$T/fifo" >"$T/hup.out" 2>"$T/hup.err" 3>&- &
pid=$!
# the first file is imported and the import waits on standard input: it
# is in read(2) on fd 0 (Linux x86-64: syscall 0, first argument 0);
# elsewhere, wait for the WAL and a little more
i=0
case "$(uname -m)" in
x86_64)
	until sed -n 's/^\(0 0x0 \).*/\1/p' "/proc/$pid/syscall" 2>/dev/null | grep -q . || [ $i -ge 600 ]; do
		sleep 0.05; i=$((i + 1))
	done ;;
*)
	while [ ! -e "$PMKB_DB/kb.sqlite-wal" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	sleep 1 ;;
esac
kill -HUP $pid
exec 3>&-
wait $pid
rc=$?
[ $rc -eq 130 ] || [ $rc -eq 0 ] || fail "SIGHUP: exit $rc, $(cat "$T/hup.err")"
expect_exit 0 "$PMKB" stats --json
jq_eq "$T/out" .cases 1
jq_eq "$T/out" .indexed 1
