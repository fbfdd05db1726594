# T170: a WinDbg log saved as UTF-16 (.logopen /u: UTF-16LE with a BOM;
# also without one, and big-endian) is read by sig, match and import as its
# UTF-8 original is: the same signature, the same match, the same stored
# analyses. Binary input is refused by all three alike (exit 65, one line
# naming the file). import/input.c is the one reader behind them.
. "$TOP/tests/cli/lib.sh"
command -v iconv >/dev/null || { echo "iconv not installed"; exit 77; }
W="$TOP/tests/data/windbg/npcap-819-0a-send.txt"
S="$TOP/tests/data/seeds/002_413591d54dd1d178.txt" # Chinese around the analysis

# the encodings, each in a directory of its own so the file stem (the case
# id on import) stays the same
for src in "$W" "$S"; do
	base=$(basename "$src")
	for e in le lebom be bebom; do mkdir -p "$T/$e"; done
	iconv -f UTF-8 -t UTF-16LE "$src" >"$T/le/$base" || fail "iconv utf-16le"
	{ printf '\377\376'; cat "$T/le/$base"; } >"$T/lebom/$base"
	iconv -f UTF-8 -t UTF-16BE "$src" >"$T/be/$base" || fail "iconv utf-16be"
	{ printf '\376\377'; cat "$T/be/$base"; } >"$T/bebom/$base"
done
cmp -s "$W" "$T/le/$(basename "$W")" && fail "iconv did not re-encode"

# sig --json: the same document as for the UTF-8 original, from a file and
# from standard input
for src in "$W" "$S"; do
	base=$(basename "$src")
	expect_exit 0 "$PMKB" sig --json "$src"
	mv "$T/out" "$T/sig.utf8"
	jq -e '.analyses[0].signature | length > 0' "$T/sig.utf8" >/dev/null || fail "no signature in $base"
	for e in le lebom be bebom; do
		expect_exit 0 "$PMKB" sig --json "$T/$e/$base"
		cmp "$T/sig.utf8" "$T/out" || fail "sig --json of $e/$base differs from the UTF-8 original"
	done
	expect_exit 0 "$PMKB" sig --json - <"$T/lebom/$base"
	cmp "$T/sig.utf8" "$T/out" || fail "sig --json - of lebom/$base differs"
done
jq_eq "$T/sig.utf8" '.analyses[0].signature | startswith("ndis!NdisFDeregisterFilterDriver | lwfmgr+0x5167")' true

# match --json against the seeds and the public analysis: the same answer
expect_exit 0 "$PMKB" import "$TOP/tests/data/seeds" "$W"
for src in "$W" "$S"; do
	base=$(basename "$src")
	"$PMKB" match --json "$src" >"$T/match.utf8" 2>"$T/err"
	want=$?
	[ $want -eq 0 ] || [ $want -eq 1 ] || fail "match $base exited $want"
	jq -e '.verdict' "$T/match.utf8" >/dev/null || fail "match $base: no verdict"
	for e in le lebom be bebom; do
		expect_exit $want "$PMKB" match --json "$T/$e/$base"
		cmp "$T/match.utf8" "$T/out" || fail "match --json of $e/$base differs from the UTF-8 original"
	done
done
# the public analysis finds its own case first
expect_exit 0 "$PMKB" match --json "$T/lebom/$(basename "$W")"
jq_eq "$T/out" '.matches[0].case' npcap-819-0a-send

# import + show: the same stored analyses and message body
for src in "$W" "$S"; do
	base=$(basename "$src")
	PMKB_DB="$T/kb-utf8" expect_exit 0 "$PMKB" import "$src"
	id=$(PMKB_DB="$T/kb-utf8" "$PMKB" list | awk 'NR == 1 {print $1}')
	[ -n "$id" ] || fail "no case from $base"
	PMKB_DB="$T/kb-utf8" expect_exit 0 "$PMKB" show --json "$id"
	jq -S '{analyses, body: [.messages[].body]}' "$T/out" >"$T/show.utf8"
	jq -e '.analyses[0].signature | length > 0' "$T/show.utf8" >/dev/null || fail "no stored signature"
	rm -rf "$T/kb-utf8"
	for e in le lebom be bebom; do
		PMKB_DB="$T/kb-$e" expect_exit 0 "$PMKB" import "$T/$e/$base"
		PMKB_DB="$T/kb-$e" expect_exit 0 "$PMKB" show --json "$id"
		jq -S '{analyses, body: [.messages[].body]}' "$T/out" >"$T/show.$e"
		cmp "$T/show.utf8" "$T/show.$e" || fail "import + show of $e/$base differs from the UTF-8 original"
		rm -rf "$T/kb-$e"
	done
done

# binary input: refused alike, exit 65, one line naming the file
B="$TOP/docs/serve.png"
for cmd in sig match import; do
	expect_exit 65 "$PMKB" $cmd "$B"
	one_line "$T/err"
	contains "$T/err" "pmkb: cannot read '$B': binary file, neither text nor a dump"
	[ $cmd = import ] || [ ! -s "$T/out" ] || fail "$cmd printed something for binary input"
done
exit 0
