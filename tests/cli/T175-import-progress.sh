# T175: pmkb import's progress line, one format for thread files and mail:
# with --progress (standard error is no terminal here) it counts files
# against the total the walk found, ends with "N of N files (100%)" and the
# time taken; a maildir counts its messages against their total, and the
# last line adds them up; without --progress a non-terminal gets no
# progress line, and -q hides it even with --progress. A log file gets no
# terminal escape codes.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
command -v python3 >/dev/null || { echo "python3 is needed to build the mails"; exit 77; }
nfiles=$(find "$S" -type f ! -name '.*' ! -iname 'readme*' ! -name '*.md' | wc -l)
[ "$nfiles" -ge 5 ] || fail "expected the seed threads, found $nfiles files"

# progress lines are drawn over each other with \r: one per line here
lines() { tr '\r' '\n' <"$1" | grep '^pmkb: import: '; }

expect_exit 0 "$PMKB" import --progress "$S"
lines "$T/err" >"$T/p"
[ -s "$T/p" ] || { cat "$T/err"; fail "no progress line with --progress"; }
last=$(tail -n 1 "$T/p")
case "$last" in
*"$nfiles of $nfiles files (100%)"*"cases"*"analyses"*"done in "*) ;;
*) fail "last progress line: '$last'" ;;
esac
! grep -q "$(printf '\033')" "$T/err" || fail "escape codes written"
# the summary follows on its own line
tail -n 1 "$T/out" | grep -q '^imported ' || fail "no summary on stdout"

python3 "$TOP/tests/mail/make-mail.py" "$S" "$T/mail" >/dev/null || fail "make-mail.py failed"
nmsg=$(ls "$T/mail/maildir/cur" "$T/mail/maildir/new" 2>/dev/null | grep -vc '^$\|:$')
[ "$nmsg" -ge 10 ] || fail "expected a maildir, found $nmsg messages"
PMKB_DB="$T/kb2" expect_exit 0 "$PMKB" import --progress "$T/mail/maildir"
last=$(lines "$T/err" | tail -n 1)
case "$last" in
*"1 of 1 files (100%), $nmsg messages,"*"done in "*) ;;
*) fail "last progress line of the maildir: '$last' ($nmsg messages)" ;;
esac

# a non-terminal without --progress, and -q: no progress line
PMKB_DB="$T/kb3" expect_exit 0 "$PMKB" import "$S"
! lines "$T/err" | grep -q . || fail "a progress line without --progress on a non-terminal"
PMKB_DB="$T/kb4" expect_exit 0 "$PMKB" -q import --progress "$S"
! lines "$T/err" | grep -q . || fail "-q did not hide the progress line"
exit 0
