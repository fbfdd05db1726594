# T183: the README cannot go stale. Its sample session at the top is run
# and every line it shows (up to a "..." that elides the rest of a line)
# must be in what pmkb prints now, with the exit code it shows; and every
# command of its usage blocks that runs on the bundled cases alone (no mail
# server, no placeholder the reader fills in) is run in the order printed,
# with files of the tree for its example names, and must succeed (exit 0,
# or 1 where that is the documented "no match"/"routed" answer).
. "$TOP/tests/cli/lib.sh"
R="$TOP/README.md"
cd "$TOP" || fail "no source tree"
expect_exit 0 "$PMKB" import examples/cases

# 1. The sample session: "$ CMD" lines and the lines after each.
awk '/^```/{n++; next} n == 1' "$R" >"$T/sample"
grep -q '^\$ pmkb match' "$T/sample" || fail "no sample session at the top of the README"
awk -v dir="$T" '/^\$ /{k++; f=dir "/cmd" k; print substr($0, 3) >f; next} k {print >(dir "/want" k)}' "$T/sample"
k=1
while [ -f "$T/cmd$k" ]; do
	cmd=$(cat "$T/cmd$k")
	(sh -c "PATH=\"$(dirname "$PMKB"):\$PATH\"; $cmd") >"$T/got$k" 2>&1
	while IFS= read -r line; do
		case "$line" in
		*...*) line=${line%%...*} ;; # an elision: what comes before it
		esac
		line=$(printf '%s' "$line" | sed 's/[[:space:]]*$//')
		[ -n "$(printf '%s' "$line" | tr -d ' ')" ] || continue
		grep -qF -- "$line" "$T/got$k" || {
			cat "$T/got$k"
			fail "README sample '$cmd': the line '$line' is not what pmkb prints"
		}
	done <"$T/want$k"
	k=$((k + 1))
done
[ $k -ge 3 ] || fail "expected at least two sample commands, found $((k - 1))"

# 2. The usage blocks: each "pmkb ..." line, its comment cut off.
awk '/^```/{n++; next} n > 1 && n % 2 == 1 && /^pmkb /' "$R" | sed 's/[[:space:]]\{2,\}#.*$//' >"$T/usage"
[ "$(wc -l <"$T/usage")" -ge 20 ] || fail "the README's usage blocks have fewer than 20 pmkb commands"
# example names in the README, and what stands for them here
Q=tests/data/windbg/npcap-819-0a-send.txt
M=tests/data/mail/quoted-outlook.eml
cp data/rules.conf "$T/new.conf"
ran=0
while IFS= read -r cmd; do
	case "$cmd" in
	# alternatives and placeholders the reader fills in; servers; mail
	*' | '* | *'['* | *FILE* | *' ID'* | *imap* | *smtp* | *serve* | *watch* | *queue* | *saved/*) continue ;;
	esac
	c=$(printf '%s' "$cmd" | sed -e "s|dump\.txt|$Q|g; s|crash\.txt|$Q|g; s|customer\.eml|$M|g" \
		-e "s|new\.conf|$T/new.conf|g; s|^pmkb |\"\$PMKB\" |")
	(eval "$c") >"$T/u.out" 2>"$T/u.err"
	rc=$?
	case "$rc:$cmd" in
	0:*) ;;
	1:"pmkb match "* | 1:"pmkb suggest "* | 1:"pmkb search "* | 1:"pmkb count "*) ;;
	*) cat "$T/u.err"; fail "README command '$cmd' exited $rc" ;;
	esac
	! grep -q "usage:" "$T/u.err" || { cat "$T/u.err"; fail "README command '$cmd' is not what pmkb accepts"; }
	ran=$((ran + 1))
done <"$T/usage"
[ $ran -ge 15 ] || fail "only $ran README commands were run"
echo "ran $ran README commands"
exit 0
