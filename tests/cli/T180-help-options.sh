# T180: every command's --help gives its usage, description, options and
# exit codes, and agrees with its manual page: each long option the page's
# SYNOPSIS, OPTIONS or COMMANDS section names is in the --help of a command
# the page documents, and the exit codes of --help and of the page's EXIT
# STATUS are the same set; README's exit-code list holds them all.
. "$TOP/tests/cli/lib.sh"
expect_exit 0 "$PMKB" --help
cp "$T/out" "$T/top"
cmds=$(sed -n '/^commands:/,/^$/p' "$T/top" | awk 'NF > 1 { print $1 }')
[ "$(echo "$cmds" | wc -l)" -ge 20 ] || fail "pmkb --help lists too few commands: $cmds"

# the exit codes pmkb uses; numbers in the prose that are no exit code are not counted
codes() { sed "s/([0-9])//g" | grep -oE '(^|[^0-9.])(0|1|64|65|66|69|70|73|75|78|130)([^0-9.]|$)' | grep -oE '[0-9]+' | sort -un; }
# the long options named in a page's SYNOPSIS, OPTIONS and COMMANDS sections
page_opts() {
	awk '/^\.SH/ { on = ($0 ~ /SYNOPSIS|OPTIONS|COMMANDS/) } on' "$1" |
		grep -oE '\\-\\-[a-z][a-z\\-]*' | sed 's/\\//g' | grep -vx -- '--db' | sort -u
}
page_exits() { awk '/^\.SH/ { on = ($0 ~ /EXIT STATUS/); next } on' "$1" | codes; }

: >"$T/pages"
for c in $cmds; do
	expect_exit 0 "$PMKB" "$c" --help
	h="$T/help-$c"
	cp "$T/out" "$h"
	head -n 1 "$h" | grep -q "^usage: pmkb $c" || fail "pmkb $c --help: no usage line"
	[ -n "$(sed -n 3p "$h")" ] || fail "pmkb $c --help: no description"
	for o in --help --quiet --verbose; do contains "$h" "$o"; done
	contains "$h" "exit: 0"
	page=$(sed -n "s/^see \([a-z-]*\)(\([0-9]\)).*/\1.\2/p" "$h")
	[ -f "$TOP/docs/$page" ] || fail "pmkb $c --help names '$page', not in docs/"
	echo "$page $c" >>"$T/pages"
	# --help's exit codes are the page's
	sed -n '/^exit:/,/^see /p' "$h" | codes >"$T/hx-$c"
	page_exits "$TOP/docs/$page" >"$T/px"
	[ -s "$T/px" ] || fail "docs/$page has no EXIT STATUS codes"
	for x in $(cat "$T/hx-$c"); do
		grep -qx "$x" "$T/px" || fail "pmkb $c --help lists exit $x, docs/$page does not"
	done
	# and README's list has each
	for x in $(cat "$T/hx-$c"); do
		sed -n '/^Exit codes:/,/^$/p' "$TOP/README.md" | codes | grep -qx "$x" ||
			fail "README's exit codes lack $x (pmkb $c)"
	done
done

# per page: its options and exit codes are in the --help of its commands
for page in $(awk '{ print $1 }' "$T/pages" | sort -u); do
	: >"$T/union"
	: >"$T/unionx"
	for c in $(awk -v p="$page" '$1 == p { print $2 }' "$T/pages"); do
		cat "$T/help-$c" >>"$T/union"
		cat "$T/hx-$c" >>"$T/unionx"
	done
	for o in $(page_opts "$TOP/docs/$page"); do
		grep -qE -- "$o( |=|$)" "$T/union" || fail "docs/$page names $o, which no --help of its commands lists"
	done
	for x in $(page_exits "$TOP/docs/$page"); do
		grep -qx "$x" "$T/unionx" || fail "docs/$page lists exit $x, the --help of its commands does not"
	done
done

# an unknown option: exit 64, the option named, the usage line
expect_exit 64 "$PMKB" match --bogus x
contains "$T/err" "unknown option '--bogus'"
contains "$T/err" "usage: pmkb match"
expect_exit 64 "$PMKB" search --limit
contains "$T/err" "'--limit' needs an argument"
# -q/-v before or after the command name
expect_exit 0 "$PMKB" -q stats --help
expect_exit 0 "$PMKB" stats -v --help

# -q drops the warnings (not the errors), before the command name (passed
# on to pmkb-import) or after it; -v names the knowledge base opened
mkdir "$T/in"
cp "$TOP/tests/data/seeds/001_a48089f2710e0f3a.txt" "$T/in/"
printf '\000\001binary' >"$T/in/bad.txt"
expect_exit 0 "$PMKB" import "$T/in"
contains "$T/err" "warning: 1 of 2 sources could not be imported"
for q in "-q import" "import -q" "--quiet import"; do
	expect_exit 0 "$PMKB" $q "$T/in"
	contains "$T/err" "cannot read"
	lacks "$T/err" "warning:"
done
expect_exit 0 "$PMKB" -v stats
contains "$T/err" "pmkb: knowledge base '$PMKB_DB' (reading)"
expect_exit 0 "$PMKB" stats --verbose
contains "$T/err" "pmkb: knowledge base"
expect_exit 0 "$PMKB" stats
lacks "$T/err" "knowledge base"
