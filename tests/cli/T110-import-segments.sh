# T110: a long import writes its index in segments and merges them at the
# end (docs/benchmarks.md, "Mail import, fifth pass"); the knowledge base is
# the same as one written straight into the index: every case shown alike,
# the same search answers, a re-imported case with its newest text only (a
# case stored in the index before, and one stored twice in the same run),
# no segment left behind. Killed before the merge, nothing committed is
# lost: the next writable open re-indexes the cases from SQLite.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
[ -d "$S" ] || { echo "tests/data/seeds is missing"; exit 77; }
seed="$S/000_e3b3544fec26024b.txt"

# copies of a seed thread under distinct case ids; a word in the subject
# line tells the versions of one case apart
copies() { # copies DIR IDDIGIT FIRST N WORD
	mkdir -p "$1"
	i=$3
	while [ $i -lt $(($3 + $4)) ]; do
		sed "s/CAS-06133-X9Z4Q7/CAS-$2$(printf %04d $i)-SEGTST/; 1s/蓝屏问题/蓝屏问题 $5/" "$seed" >"$1/t$(printf %04d $i).txt"
		i=$((i + 1))
	done
}
copies "$T/old" 7 0 20 quokkaold    # in the knowledge base before
copies "$T/new" 8 0 40 wombatnew    # new cases of the long import
copies "$T/mod1" 7 0 20 quokkaone   # the old ones, changed (in the index) ...
copies "$T/mod2" 7 0 10 quokkatwo   # ... and ten of them changed again
copies "$T/again" 8 20 8 wombattwo  # new ones changed, once in a closed segment

build() { # build KB SEGMENT: the old cases, then one import of the rest
	expect_exit 0 "$PMKB" --db "$1" import "$T/old"
	PMKB_BATCH_SIZE=5 PMKB_INDEX_SEGMENT=$2 "$PMKB" --db "$1" import "$T/new" "$T/mod1" "$T/mod2" "$T/again" \
		>"$T/out" 2>"$T/err" || fail "import into $1: $(cat "$T/err")"
	contains "$T/out" "imported 78 cases"
}
# straight into the index, and in segments of 5 cases once 20 (the larger
# of the segment size and the cases the index held) are written
build "$T/plain" 0
strace -f -e trace=mkdir -o "$T/trace" true 2>/dev/null && TRACE=1 || TRACE=
if [ -n "$TRACE" ]; then
	expect_exit 0 "$PMKB" --db "$T/seg" import "$T/old"
	PMKB_BATCH_SIZE=5 PMKB_INDEX_SEGMENT=5 strace -f -e trace=mkdir -o "$T/trace" \
		"$PMKB" --db "$T/seg" import "$T/new" "$T/mod1" "$T/mod2" "$T/again" >"$T/out" 2>"$T/err" ||
		fail "segmented import: $(cat "$T/err")"
	contains "$T/out" "imported 78 cases"
	# the 20 new cases after the first 20 in four segments of five; the
	# changed ones where their case is (the index, a closed segment)
	[ "$(grep -c 'xapian\.seg[0-9]*"' "$T/trace")" -eq 4 ] ||
		{ grep mkdir "$T/trace"; fail "expected four segments"; }
else
	build "$T/seg" 5
fi
ls "$T/seg" | grep -q 'xapian\.' && fail "left behind: $(ls "$T/seg")"

for k in plain seg; do
	expect_exit 0 "$PMKB" --db "$T/$k" check
	expect_exit 0 "$PMKB" --db "$T/$k" stats --json
	jq_eq "$T/out" .cases 60
	jq_eq "$T/out" .indexed 60
	: >"$T/$k.answers"
	for q in wombatnew wombattwo quokkaold quokkaone quokkatwo 蓝屏 case:cas-70003-segtst case:cas-70015-segtst case:cas-80039-segtst \
		'bugcheck:0xd1' 'module:vwifimf'; do
		"$PMKB" --db "$T/$k" search --json --limit 100 "$q" | jq -S 'del(.. | .imported? )' >>"$T/$k.answers" ||
			fail "search $q in $k"
	done
	"$PMKB" --db "$T/$k" list --json | jq -r '.cases[].case' | sort >"$T/$k.ids"
	: >"$T/$k.show"
	while read -r c; do
		"$PMKB" --db "$T/$k" show --json "$c" | jq -S 'del(.. | .imported? )' >>"$T/$k.show"
	done <"$T/$k.ids"
done
cmp "$T/plain.ids" "$T/seg.ids" || fail "other cases in segments"
cmp "$T/plain.show" "$T/seg.show" || { diff "$T/plain.show" "$T/seg.show" | head; fail "a case differs"; }
cmp "$T/plain.answers" "$T/seg.answers" ||
	{ diff "$T/plain.answers" "$T/seg.answers" | head -20; fail "a search answers otherwise"; }
# the newest text of each case only: one document per case
expect_exit 1 "$PMKB" --db "$T/seg" search --json --limit 100 quokkaold # 1: nothing found
jq_eq "$T/out" '.results | length' 0
expect_exit 0 "$PMKB" --db "$T/seg" search --json --limit 100 quokkaone
jq_eq "$T/out" '.results | length' 10
expect_exit 0 "$PMKB" --db "$T/seg" search --json --limit 100 quokkatwo
jq_eq "$T/out" '.results | length' 10
expect_exit 0 "$PMKB" --db "$T/seg" search --json case:cas-70003-segtst
jq_eq "$T/out" '.results | length' 1
jq_eq "$T/out" '.results[0].title | test("quokkatwo")' true
expect_exit 0 "$PMKB" --db "$T/seg" search --json --limit 100 wombattwo
jq_eq "$T/out" '.results | length' 8
expect_exit 0 "$PMKB" --db "$T/seg" search --json --limit 100 wombatnew
jq_eq "$T/out" '.results | length' 32

# killed between a SQLite commit and the index commit, in segments: the
# cases committed are all there, and indexed by the next writable open
K="$T/kill"
expect_exit 0 "$PMKB" --db "$K" import "$T/old"
PMKB_BATCH_SIZE=5 PMKB_INDEX_SEGMENT=5 PMKB_TEST_CRASH_AFTER_COMMITS=8 \
	"$PMKB" --db "$K" import "$T/new" >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 137 ] || fail "expected death by SIGKILL (137), got $rc"
ls "$K" | grep -q 'xapian\.seg' || fail "no segment was written before the kill"
"$PMKB" --db "$K" check >"$T/out" 2>&1
contains "$T/out" "index segments not merged: 4"
contains "$T/out" "pending work: 20 cases to re-index"
expect_exit 0 "$PMKB" --db "$K" stats --json
jq_eq "$T/out" .cases 60    # the old 20 and eight batches of five
jq_eq "$T/out" .indexed 40  # four batches in the index, four in a segment
expect_exit 0 "$PMKB" --db "$K" import "$T/mod2"
ls "$K" | grep -q 'xapian\.' && fail "left behind: $(ls "$K")"
expect_exit 0 "$PMKB" --db "$K" stats --json
jq_eq "$T/out" .cases 60
jq_eq "$T/out" .indexed 60
expect_exit 0 "$PMKB" --db "$K" check
expect_exit 0 "$PMKB" --db "$K" search --json --limit 100 wombatnew
jq_eq "$T/out" '.results | length' 40
exit 0
