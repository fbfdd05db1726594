# lib.sh - helpers for the end-to-end shell tests; source it first:
#   . "$TOP/tests/cli/lib.sh"
# Every assertion prints what it expected and what it got, then exits 1.

fail() { echo "FAIL: $*" >&2; exit 1; }

# expect_exit CODE CMD...: run CMD, require exit CODE; output in $T/out, $T/err
expect_exit() {
	want=$1; shift
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	[ "$got" -eq "$want" ] || {
		echo "--- stdout"; head -c 3000 "$T/out"; echo "--- stderr"; head -c 3000 "$T/err"
		fail "'$*' exited $got, expected $want"
	}
}

# contains FILE STRING: FILE holds STRING (fixed string)
contains() { grep -qF -- "$2" "$1" || { head -c 3000 "$1"; fail "'$1' lacks '$2'"; }; }
lacks() { ! grep -qF -- "$2" "$1" || fail "'$1' holds '$2'"; }
# one_line FILE: FILE is exactly one line (an error message)
one_line() { [ "$(wc -l <"$1")" -eq 1 ] || { cat "$1"; fail "'$1' is not one line"; }; }
# jq_eq FILE FILTER VALUE: jq -r FILTER on FILE prints VALUE
jq_eq() {
	v=$(jq -r "$2" "$1") || fail "jq '$2' failed on $1"
	[ "$v" = "$3" ] || fail "jq '$2' on $1 gave '$v', expected '$3'"
}
