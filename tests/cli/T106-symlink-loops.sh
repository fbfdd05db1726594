# T106: directory walks read each directory once, by (device, inode): a
# "self -> ." link does not import the same file again, two links that
# make an exponential walk end at once, and a directory reached by a
# second link is read once; each skip is said on standard error.
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
