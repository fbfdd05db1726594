# T081: what pmkb-gen writes has the shapes of the seeds: the export format
# (subject with the case number, numbered mail blocks), the WinDbg shapes, a
# labels file with the columns of tests/data/eval/seed-dumps.tsv whose every
# row points at a block that holds its dump, and RFC 5322 mail that a mail
# parser reads (RFC 2047 subjects with the case number, threading headers).
. "$TOP/tests/cli/lib.sh"
GEN=$(dirname "$PMKB")/bench/pmkb-gen
[ -x "$GEN" ] || { echo "pmkb-gen is not built (make unit-bins)"; exit 77; }
expect_exit 0 "$GEN" --seed 7 --threads 60 --clusters 12 --queries 10 --out "$T/g"

# labels: the header of the seed labels, 9 columns in every row
grep -v '^#' "$TOP/tests/data/eval/seed-dumps.tsv" | head -n 1 >"$T/head.want"
grep -v '^#' "$T/g/labels.tsv" | head -n 1 >"$T/head.got"
cmp -s "$T/head.want" "$T/head.got" || fail "labels header differs from seed-dumps.tsv"
awk -F'\t' '!/^#/ && NF != 9 { print "line " NR ": " NF " columns"; bad = 1 } END { exit bad }' "$T/g/labels.tsv" ||
	fail "labels rows without 9 columns"
rows=$(grep -v '^#' "$T/g/labels.tsv" | tail -n +2 | wc -l)
[ "$rows" -ge 30 ] || fail "only $rows labelled analyses in 60 threads"

# every row: the file exists, its block N holds the dump name and the case
grep -v '^#' "$T/g/labels.tsv" | tail -n +2 | while IFS='	' read -r seed email repeats case dump bc km cl ns; do
	f="$T/g/$seed"
	[ -f "$f" ] || fail "labelled file $seed missing"
	awk -v n="$email" '/^====第[0-9]+封邮件====$/ { b++ } b == n' "$f" >"$T/block"
	contains "$T/block" "$dump"
	head -n 1 "$f" | grep -qF "$case" || fail "$seed: subject lacks $case"
	b=$(printf '%s' "$bc" | sed 's/^0x//')
	grep -qi "bugcheck.*0x$b\|($b)" "$T/block" || fail "$seed block $email: no bugcheck $bc"
	first=$(printf '%s' "$km" | cut -d';' -f1)
	contains "$T/block" "$first"
	[ "$repeats" = - ] || {
		awk -v n="$repeats" '/^====第[0-9]+封邮件====$/ { b++ } b == n' "$f" >"$T/rep"
		contains "$T/rep" "$dump"
	}
	case "$cl" in "") fail "$seed: empty cluster" ;; esac
done || exit 1

# the seed causes are there, and clusters recur across cases
contains "$T/g/labels.tsv" "vwifimf-nbl-ptos"
big=$(grep -v '^#' "$T/g/labels.tsv" | tail -n +2 | cut -f4,8 | sort -u | cut -f2 | sort | uniq -c | sort -rn | awk 'NR == 1 { print $1 }')
[ "$big" -ge 3 ] || fail "no cluster spans three cases"

# export format and WinDbg shapes
f=$T/g/threads/0000/0000001.txt
head -n 1 "$f" | grep -q '^邮件主题：' || fail "no 邮件主题： line"
grep -q '^====第1封邮件====$' "$f" || fail "no first block"
grep -q '^发件人：' "$f" && grep -q '^发送时间：20[0-9][0-9]-' "$f" && grep -q '^邮件内容:$' "$f" || fail "block header"
cat "$T"/g/threads/0000/*.txt >"$T/all"
for s in '!analyze -v' 'STACK_TEXT:' ' # Call Site' ' # Child-SP          RetAddr' 'Arguments:' 'Arg1: ' \
	'lmvm ' 'Running: !mex.tag ' '下一步动作：' 'nt!KeBugCheckEx' '案例号: CAS-'; do
	contains "$T/all" "$s"
done
grep -q '^Next steps:$' "$T/all" || fail "no English thread in 60"

# mail: a parser reads every file; subject decodes to the case number;
# In-Reply-To names a message of the same thread
command -v python3 >/dev/null || { echo "python3 not installed"; exit 77; }
python3 - "$T/g/maildir" <<'PY' || fail "maildir check failed"
import email, email.policy, os, sys, re
root = sys.argv[1]; ids = {}; n = 0
for sub in ("cur", "new"):
    for name in sorted(os.listdir(os.path.join(root, sub))):
        with open(os.path.join(root, sub, name), "rb") as fh:
            m = email.message_from_binary_file(fh, policy=email.policy.default)
        subj = str(m["subject"])
        case = re.search(r"CAS-\d{5}-[A-Z0-9]{6}", subj)
        assert case, (name, subj)
        body = m.get_body().get_content()
        assert len(body) > 20, name
        ids[str(m["message-id"])] = case.group(0)
        n += 1
for sub in ("cur", "new"):
    for name in os.listdir(os.path.join(root, sub)):
        with open(os.path.join(root, sub, name), "rb") as fh:
            m = email.message_from_binary_file(fh, policy=email.policy.default)
        irt = m["in-reply-to"]
        if irt:
            assert str(irt) in ids, (name, irt)
            assert ids[str(irt)] == ids[str(m["message-id"])], name
print(n, "mails")
PY
exit 0
