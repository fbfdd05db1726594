# T020: pmkb links SQLite and Xapian only; `pmkb import` runs pmkb-import
# (the mail libraries) found through $PMKB_EXEC_PATH or next to pmkb, with
# the --db options passed on. Without the helper: one line, exit 78,
# nothing written.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
M="$TOP/tests/data/mail"
[ -d "$S" ] && [ -d "$M" ] || { echo "tests/data is missing"; exit 77; }
B=$(dirname "$PMKB")
[ -x "$B/pmkb-import" ] || { echo "pmkb-import was not built next to pmkb"; exit 1; }

# The fast half: no GMime, GLib, libcurl or TLS library is loaded.
if command -v ldd >/dev/null; then
	ldd "$PMKB" >"$T/ldd"
	contains "$T/ldd" libxapian
	contains "$T/ldd" libsqlite3
	for lib in libgmime libglib libgio libcurl libgnutls libgpgme; do
		if grep -q "$lib" "$T/ldd"; then echo "pmkb links $lib"; exit 1; fi
	done
	ldd "$B/pmkb-import" >"$T/ldd"
	contains "$T/ldd" libgmime
	contains "$T/ldd" libcurl
fi

# Through pmkb, next to it: thread export and mail, several --db kept.
expect_exit 0 "$PMKB" --db "$T/a" import "$S/001_a48089f2710e0f3a.txt" "$M/alternative.eml"
contains "$T/out" "imported 2 cases"
expect_exit 0 "$PMKB" --db "$T/a" stats --json
jq_eq "$T/out" .cases 2
expect_exit 0 "$PMKB" --db "$T/a" import --help
contains "$T/out" "usage: pmkb import"
expect_exit 64 "$PMKB" --db "$T/a" import --format nonsense x
contains "$T/err" "unknown format"

# A lone pmkb without its helper.
mkdir "$T/bin" "$T/empty"
cp "$PMKB" "$T/bin/pmkb"
LIBEXEC=$(strings "$PMKB" 2>/dev/null | grep '/libexec/pmkb$' | head -n 1)
if [ -n "$LIBEXEC" ] && [ -x "$LIBEXEC/pmkb-import" ]; then
	echo "pmkb-import is installed in $LIBEXEC; the lone-binary case is not testable here"
else
	expect_exit 78 env PMKB_EXEC_PATH="$T/empty" "$T/bin/pmkb" --db "$T/b" import "$S/001_a48089f2710e0f3a.txt"
	contains "$T/err" "cannot run pmkb-import"
	contains "$T/err" "PMKB_EXEC_PATH"
	one_line "$T/err"
	[ ! -e "$T/b" ] || { echo "a knowledge base was created without an import"; exit 1; }
	# The other commands do not need it.
	expect_exit 0 env PMKB_EXEC_PATH="$T/empty" "$T/bin/pmkb" --db "$T/a" search vwifimf
fi

# $PMKB_EXEC_PATH is honoured first.
expect_exit 0 env PMKB_EXEC_PATH="$B" "$T/bin/pmkb" --db "$T/c" import "$S/001_a48089f2710e0f3a.txt"
contains "$T/out" "imported 1 cases"
