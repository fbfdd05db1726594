# T181: pmkb help CMD shows the manual page found on MANPATH (pmkb away
# from any source tree or install), and falls back to the --help text,
# saying why and how to get the page, when the page or man is missing.
. "$TOP/tests/cli/lib.sh"
export MANPAGER=cat PAGER=cat MANWIDTH=80
mkdir -p "$T/bin" "$T/man/man1" "$T/man/man5" "$T/empty" "$T/nobin"
cp "$PMKB" "$T/bin/pmkb"
P="$T/bin/pmkb"

if command -v man >/dev/null 2>&1; then
	cp "$TOP/docs/pmkb-sig.1" "$T/man/man1/"
	cp "$TOP/docs/pmkb-rules.5" "$T/man/man5/"
	MANPATH="$T/man" expect_exit 0 "$P" help sig
	contains "$T/out" "PMKB-SIG(1)"
	lacks "$T/out" "usage: pmkb sig"
	MANPATH="$T/man" expect_exit 0 "$P" help rules
	contains "$T/out" "PMKB-RULES(5)"
	# the page is not installed: the --help text, and how to get the page
	MANPATH="$T/empty" expect_exit 0 "$P" help sig
	contains "$T/out" "usage: pmkb sig"
	contains "$T/out" "--why"
	contains "$T/out" "exit: 0"
	contains "$T/err" "the manual page pmkb-sig(1) is not installed"
	contains "$T/err" "man -l docs/pmkb-sig.1"
else
	echo "man is not installed: only the fallback without man is checked"
fi

# no man at all (PATH without it): the --help text
PATH="$T/nobin" expect_exit 0 "$P" help match
contains "$T/out" "usage: pmkb match"
contains "$T/out" "--rules FILE"
contains "$T/err" "man is not installed"
# also from the build tree, where the page is found next to the binary
PATH="$T/nobin" expect_exit 0 "$PMKB" help sig
contains "$T/out" "usage: pmkb sig"
# pmkb help link and unlink name the page both are on
PATH="$T/nobin" expect_exit 0 "$P" help unlink
contains "$T/out" "pmkb-link(1)"
expect_exit 64 "$P" help nosuch
expect_exit 64 "$P" help sig match
