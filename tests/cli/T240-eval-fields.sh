# T240: pmkb eval's field accuracy on a small labelled subset of the public
# corpus (tests/data/public): for each field, "labelled" is counted from the
# label file and "right" from the labels and what `pmkb sig --json` reads of
# each text, compared here independently of eval's own code; plus one row
# whose bugcheck label no reading can match. Also --split (whole clusters on
# one side) and the calibration report (bins consistent with the ECE).
. "$TOP/tests/cli/lib.sh"
P="$TOP/tests/data/public"
[ -f "$P/labels.tsv" ] || fail "no tests/data/public/labels.tsv"

mkdir -p "$T/set"
head -n 1 "$P/labels.tsv" >"$T/set/labels.tsv"
for f in usbip-172-3b-assert.txt adguard-4691-50-fields.txt msdocs-3195-1aa-unknown.txt \
	msdocs-3194-1aa-unknown.txt simplevisor-52-d1-fatal.txt tailscale-15175-wdnisdrv-fields.txt \
	meminfo-14-apperror.txt systeminformer-275-c4-verifier-x86.txt zfsin-190-1000007e-header.txt \
	wsl-582-3b-eventlog-wer.txt; do
	cp "$P/$f" "$T/set/"
	grep "^$f	" "$P/labels.tsv" >>"$T/set/labels.tsv" || fail "$f has no label row"
done
# the same text labelled with a code it does not print: labelled, never right
cp "$P/usbip-172-3b-assert.txt" "$T/set/wrong.txt"
printf 'wrong.txt\t0xd1\tc0000420,fffff80464541037,ffffb68c624a9cb0,0\tusbip_vhci\t-\t-\t-\twrong\tanalyze-v\n' \
	>>"$T/set/labels.tsv"
rows=$(($(wc -l <"$T/set/labels.tsv") - 1))
[ "$rows" -ge 10 ] || fail "only $rows labelled rows"

expect_exit 0 "$PMKB" eval --json "$T/set/labels.tsv"
cp "$T/out" "$T/eval.json"
jq_eq "$T/eval.json" .analyses "$rows"
expect_exit 0 "$PMKB" eval "$T/set/labels.tsv"
cp "$T/out" "$T/eval.txt"

# what pmkb sig reads of one file, as "field<TAB>value" lines (value "-" when
# nothing): the first analysis, which is the one eval measures
reads() {
	"$PMKB" sig --json "$1" >"$T/sig.json" 2>/dev/null
	[ -s "$T/sig.json" ] || echo '{"analyses":[]}' >"$T/sig.json"
	jq -r '.analyses[0] // {} |
		"bugcheck\t\(.bugcheck.match_code // "-")",
		"args\t\(if (.bugcheck.args // []) | map(select(. != null)) | length > 0
			then [.bugcheck.args[] | (. // "-") | sub("^0x"; "")] | join(",") else "-" end)",
		"culprit\t\(.culprit.module // "-")",
		"bucket\t\(.failure_bucket // "-")",
		"process\t\(.process // "-")",
		"exception_code\t\(.exception_code // "-")"' "$T/sig.json"
}

# label and reading agree? (the rules of docs/pmkb-eval.1, written again here)
agree() { # field label read
	awk -v f="$1" -v a="$2" -v b="$3" '
	function hex(s,   t) { t = tolower(s); gsub(/`/, "", t); sub(/^0x/, "", t); sub(/^0+/, "", t); return t == "" ? "0" : t }
	function same(x, y) { # equal, or one the sign-extension of the other
		x = hex(x); y = hex(y)
		if (x == y) return 1
		if (length(x) == 16 && substr(x, 1, 8) == "ffffffff") x = substr(x, 9)
		if (length(y) == 16 && substr(y, 1, 8) == "ffffffff") y = substr(y, 9)
		sub(/^0+/, "", x); sub(/^0+/, "", y)
		return x == y
	}
	function fold(x) { x = hex(x); if (x ~ /^10000[0-9a-f][0-9a-f][0-9a-f]$/) { x = substr(x, 6); sub(/^0+/, "", x) } return x }
	function mod(x) { x = tolower(x); sub(/\.(sys|dll|exe)$/, "", x); gsub(/[^a-z0-9]/, "_", x); return x }
	BEGIN {
		if (b == "-") { print 0; exit }
		if (f == "bugcheck") ok = same(fold(a), fold(b))
		else if (f == "args") {
			n = split(a, la, ","); m = split(b, lb, ",")
			ok = (n == 4 && m == 4)
			for (i = 1; ok && i <= 4; i++) ok = (lb[i] != "-" && same(la[i], lb[i]))
		} else if (f == "culprit") ok = (mod(a) == mod(b))
		else if (f == "bucket") ok = (a == b)
		else if (f == "process") ok = (tolower(a) == tolower(b))
		else ok = same(a, b)
		print ok ? 1 : 0
	}'
}

col=2
for field in bugcheck args culprit bucket process exception_code; do
	[ "$(head -n 1 "$T/set/labels.tsv" | cut -f $col)" = "$field" ] ||
		fail "column $col of the labels is not $field"
	labelled=0; right=0
	tail -n +2 "$T/set/labels.tsv" | cut -f 1,$col >"$T/col"
	while IFS='	' read -r file label; do
		[ "$label" = "-" ] && continue
		labelled=$((labelled + 1))
		got=$(reads "$T/set/$file" | awk -F'\t' -v f="$field" '$1 == f { print $2 }')
		right=$((right + $(agree "$field" "$label" "${got:--}")))
	done <"$T/col"
	jq_eq "$T/eval.json" ".fields.$field.labelled" "$labelled"
	jq_eq "$T/eval.json" ".fields.$field.right" "$right"
	if [ "$labelled" -gt 0 ]; then
		contains "$T/eval.txt" "$(printf 'field %-15s %d of %d right' "$field" "$right" "$labelled")"
	else
		lacks "$T/eval.txt" "field $field "
	fi
	col=$((col + 1))
done
# the subset is not degenerate: codes and arguments are read from these
# texts today, so a reader that reads nothing fails here
jq_eq "$T/eval.json" '.fields.bugcheck.right >= 3 and .fields.args.right >= 2' true
# the mislabelled copy: same reading as its original, bugcheck wrong, args right
jq_eq "$T/eval.json" '[.rows[] | select(.id | startswith("wrong#")) | .fields.bugcheck.right] | .[0]' false
jq_eq "$T/eval.json" '[.rows[] | select(.id | startswith("wrong#")) | .fields.args.right] | .[0]' \
	"$(jq -r '[.rows[] | select(.id | startswith("usbip-172")) | .fields.args.right] | .[0]' "$T/eval.json")"

# calibration: the bins hold every analysis and give the ECE printed
jq_eq "$T/eval.json" '[.calibration[].n] | add' "$rows"
jq_eq "$T/eval.json" '(.ece - ([.calibration[] | .n / '"$rows"' * ((.right - .confidence) | fabs)] | add)) | fabs < 0.002' true
contains "$T/eval.txt" "calibration: ECE"

# --split: the two sides partition the rows by whole clusters
expect_exit 0 "$PMKB" eval --json --split fit "$T/set/labels.tsv"
cp "$T/out" "$T/fit.json"
expect_exit 0 "$PMKB" eval --json --split test "$T/set/labels.tsv"
cp "$T/out" "$T/test.json"
jq_eq "$T/fit.json" .split fit
jq_eq "$T/test.json" .labelled_in_all "$rows"
[ $(($(jq .analyses "$T/fit.json") + $(jq .analyses "$T/test.json"))) -eq "$rows" ] ||
	fail "the split sides do not add up to $rows"
jq -r '.rows[].cluster' "$T/fit.json" | sort -u >"$T/fit.cl"
jq -r '.rows[].cluster' "$T/test.json" | sort -u >"$T/test.cl"
[ -z "$(comm -12 "$T/fit.cl" "$T/test.cl")" ] || fail "a cluster on both sides: $(comm -12 "$T/fit.cl" "$T/test.cl")"
# both 1aa texts are one cluster: on the same side, each other's mate
side=$(grep -qx msdocs-1aa "$T/fit.cl" && echo fit || echo test)
jq_eq "$T/$side.json" '[.rows[] | select(.cluster == "msdocs-1aa") | .mates] | join(",")' 1,1
expect_exit 64 "$PMKB" eval --split half "$T/set/labels.tsv"
contains "$T/err" "--split wants fit or test"

# several label files pool their rows; a cluster name shared across them is
# one cluster
head -n 1 "$T/set/labels.tsv" >"$T/two.tsv"
grep '^msdocs-3194' "$T/set/labels.tsv" >>"$T/two.tsv"
mkdir -p "$T/other"
cp "$T/set/msdocs-3195-1aa-unknown.txt" "$T/other/"
head -n 1 "$T/set/labels.tsv" >"$T/other/labels.tsv"
grep '^msdocs-3195' "$T/set/labels.tsv" >>"$T/other/labels.tsv"
cp "$T/set/msdocs-3194-1aa-unknown.txt" "$T/"
expect_exit 0 "$PMKB" eval --json "$T/two.tsv" "$T/other/labels.tsv"
jq_eq "$T/out" .analyses 2
jq_eq "$T/out" .with_mate 2
jq_eq "$T/out" '.fields.bugcheck.labelled' 2
exit 0
