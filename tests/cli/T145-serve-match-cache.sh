# T145: a server's worker keeps parsed signatures and term rarity between
# matches (match_cache, matcher/match.c); its answers are those of
# `pmkb match --json` (no cache) for every WinDbg text and public
# analysis, asked twice (the second time from the cache), and again after
# an import beside the running server changed the index (cases added,
# every term's rarity new; the first search after it once ranked with
# the old index's term statistics).
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/serve/serve.sh"
expect_exit 0 "$PMKB" import "$TOP/tests/data/seeds"
# one worker: every request goes through the same cache
serve_start --threads 1

# check FILE WHAT: the server's answer to FILE, as pmkb match --json prints it
check() {
	curl -sS -o "$T/api.json" --data-binary @"$1" "$SV_URL/api/match" || fail "$2: no answer for $1"
	"$PMKB" match --json "$1" >"$T/cli.json" 2>/dev/null
	jq -S . "$T/api.json" >"$T/a.json" 2>/dev/null || fail "$2: not JSON for $1: $(head -c 200 "$T/api.json")"
	jq -S . "$T/cli.json" >"$T/b.json" || fail "$2: pmkb match --json $1 is not JSON"
	# no analysis at all: the API answers an error (docs/api.md), not a match
	if [ "$(jq -r '.analyses' "$T/b.json")" = 0 ] && jq -e .error "$T/a.json" >/dev/null; then
		return 0
	fi
	diff -u "$T/b.json" "$T/a.json" >&2 || fail "$2: POST /api/match of $1 differs from pmkb match --json"
}

n=0
for round in 1 2; do
	for f in "$TOP"/tests/data/windbg/*.txt "$TOP"/tests/data/public/*.txt; do
		check "$f" "round $round"
		n=$((n + 1))
	done
done
echo "$n answers as pmkb match --json"

# an import beside the server: the reader moves to the new index (the
# cache's rarity table is emptied) and the new cases are found
# (the first public text with an analysis: one read as prose only is
# matched on its words, and may rank other cases above itself)
q=
for f in "$TOP"/tests/data/public/*.txt; do
	if "$PMKB" sig "$f" >/dev/null 2>&1; then
		q=$f
		break
	fi
done
[ -n "$q" ] || fail "no public text with an analysis"
id=$(basename "$q" .txt)
curl -sS -o "$T/before.json" --data-binary @"$q" "$SV_URL/api/match" || fail "no answer for $q"
expect_exit 0 "$PMKB" import "$TOP/tests/data/public"
curl -sS -o "$T/after.json" --data-binary @"$q" "$SV_URL/api/match" || fail "no answer for $q"
jq -e --arg id "$id" '[.. | objects | .case? | strings] | index($id) != null' "$T/before.json" >/dev/null &&
	fail "$id matched before it was imported"
jq -e --arg id "$id" '[.. | objects | .case? | strings] | index($id) != null' "$T/after.json" >/dev/null ||
	fail "the import beside the server is not seen: $id not among the matches of $q"
# every answer after the import as pmkb match --json: the first search
# after a commit weighs its terms by the new index too (xs_candidates)
for f in "$TOP"/tests/data/windbg/*.txt "$TOP"/tests/data/public/*.txt; do
	check "$f" "after the import"
done
serve_stop
