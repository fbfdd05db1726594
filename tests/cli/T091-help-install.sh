# T091: pmkb help CMD opens the manual page (like git help); a mistyped
# command says "did you mean"; an installed tree (bin/, libexec/pmkb/,
# share/man/) works wherever it is moved: pmkb finds pmkb-import and its
# manual pages relative to its own path.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
B=$(dirname "$PMKB")
export MANPAGER=cat PAGER=cat MANWIDTH=80
expect_exit 0 "$PMKB" help match
contains "$T/out" "PMKB-MATCH(1)"
expect_exit 0 "$PMKB" help rules
contains "$T/out" "PMKB-RULES(5)"
expect_exit 0 "$PMKB" help
contains "$T/out" "usage: pmkb"
expect_exit 64 "$PMKB" help nosuch
expect_exit 64 "$PMKB" serch vwifimf
contains "$T/err" "did you mean 'pmkb search'?"
expect_exit 64 "$PMKB" improt x
contains "$T/err" "did you mean 'pmkb import'?"
expect_exit 64 "$PMKB" zzzzzz
lacks "$T/err" "did you mean"

# An installed layout, then moved: no PMKB_EXEC_PATH, no build tree near
# (the compiled-in libexec directory must not hold one, or this proves nothing).
[ -x /usr/local/libexec/pmkb/pmkb-import ] && { echo "a pmkb is installed in /usr/local; the relocation check needs it gone"; exit 77; }
unset PMKB_EXEC_PATH
R="$T/root/opt/pmkb"
mkdir -p "$R/bin" "$R/libexec/pmkb" "$R/share/man/man1" "$R/share/man/man5"
cp "$PMKB" "$R/bin/pmkb"
cp "$B/pmkb-import" "$R/libexec/pmkb/pmkb-import"
cp "$TOP"/docs/*.1 "$R/share/man/man1/"
cp "$TOP"/docs/*.5 "$R/share/man/man5/"
mv "$T/root" "$T/moved"
P="$T/moved/opt/pmkb/bin/pmkb"
expect_exit 0 "$P" --db "$T/kb2" import "$S/001_a48089f2710e0f3a.txt"
contains "$T/out" "imported 1 cases"
expect_exit 0 "$P" help sig
contains "$T/out" "PMKB-SIG(1)"
