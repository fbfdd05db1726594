# T065: a maildir larger than one reading batch (2,000 mails) is stored one
# case per thread, whether a thread's mails lie together or are spread over
# the folder among other threads (names from the delivery time, as mail
# delivery makes them), and whether its last mail is still unread in new/:
# each case is built once ("imported N cases" counts every store), and the
# knowledge base is the same, case for case, in both orders.
. "$TOP/tests/cli/lib.sh"
GEN=$(dirname "$PMKB")/bench/pmkb-gen
[ -x "$GEN" ] || { echo "pmkb-gen is not built (make unit-bins)"; exit 77; }
expect_exit 0 "$GEN" --seed 7 --threads 260 --clusters 20 --format maildir --out "$T/g"
n=$(find "$T/g/maildir/cur" "$T/g/maildir/new" -type f | wc -l)
[ "$n" -gt 2000 ] || fail "the maildir has $n mails, want more than one batch"
[ "$(ls "$T/g/maildir/new" | wc -l)" -gt 0 ] || fail "no unread mail in new/"

# the same mails renamed by their Date: threads interleave over the folder
python3 - "$T/g/maildir" "$T/spread" <<'EOF'
import email.utils, os, sys
src, dst = sys.argv[1], sys.argv[2]
for sub in ("cur", "new", "tmp"):
    os.makedirs(os.path.join(dst, sub))
for sub in ("cur", "new"):
    for name in os.listdir(os.path.join(src, sub)):
        path = os.path.join(src, sub, name)
        with open(path, "rb") as f:
            head = f.read(4096).decode("utf-8", "replace")
        date = [l[6:] for l in head.split("\n") if l.startswith("Date: ")][0]
        t = int(email.utils.parsedate_to_datetime(date).timestamp())
        base, info = name.split(":")[0], name[len(name.split(":")[0]):]
        os.link(path, os.path.join(dst, sub, "%d.%s%s" % (t, base.replace(".", "_"), info)))
EOF

for d in "$T/g/maildir" "$T/spread"; do
	k="$T/kb-$(basename "$d")"
	expect_exit 0 "$PMKB" --db "$k" import -q --format maildir "$d"
	contains "$T/out" "imported 260 cases, $n messages"
	contains "$T/out" "(260 new, 0 updated, 0 unchanged)"
	"$PMKB" --db "$k" list --json | jq -r '.cases[].case' | sort >"$k.ids"
	: >"$k.show"
	while read -r c; do
		"$PMKB" --db "$k" show --json "$c" | jq -S 'del(.. | .imported? )' >>"$k.show"
	done <"$k.ids"
done
cmp "$T/kb-maildir.ids" "$T/kb-spread.ids" || fail "the two orders give other cases"
[ "$(wc -l <"$T/kb-maildir.ids")" -eq 260 ] || fail "want 260 cases"
# the stored mails name their files, which differ; the rest is the same
sed 's/"where": *"[^"]*"//; s/"source": *"[^"]*"//; s/"[^"]*\/\(cur\|new\)\/[^"]*"/F/g' "$T/kb-maildir.show" >"$T/a"
sed 's/"where": *"[^"]*"//; s/"source": *"[^"]*"//; s/"[^"]*\/\(cur\|new\)\/[^"]*"/F/g' "$T/kb-spread.show" >"$T/b"
cmp "$T/a" "$T/b" || { diff "$T/a" "$T/b" | head -20; fail "a case differs between the two orders"; }
exit 0
