# T047: pmkb sig is deterministic: the same input gives byte-identical
# output (file or stdin), an analysis pasted twice is one analysis, and the
# JSON is one line.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"

for f in "$S/001_a48089f2710e0f3a.txt" "$TOP/tests/data/dumps/kernel/triage_x64.dmp"; do
	expect_exit 0 "$PMKB" sig --json --why "$f"
	mv "$T/out" "$T/a"
	expect_exit 0 "$PMKB" sig --json --why "$f"
	cmp -s "$T/a" "$T/out" || fail "$f: two runs differ"
	"$PMKB" sig --json --why - <"$f" >"$T/b" 2>/dev/null || fail "$f: stdin run failed"
	# the dump name comes from the file name, absent on stdin
	jq -S 'del(.analyses[].dump_name)' "$T/a" >"$T/a1"
	jq -S 'del(.analyses[].dump_name)' "$T/b" >"$T/b1"
	cmp -s "$T/a1" "$T/b1" || fail "$f: file and stdin differ"
	[ "$(wc -l <"$T/a")" -eq 1 ] || fail "$f: JSON is not one line"
done

# the same analysis pasted twice (a quoted reply) is counted once
cat "$S/003_25707b60ca074d00.txt" "$S/003_25707b60ca074d00.txt" >"$T/twice.txt"
expect_exit 0 "$PMKB" sig --json "$T/twice.txt"
jq_eq "$T/out" '.analyses | length' 1
jq_eq "$T/out" '.analyses[0].signature' \
	"0x3b | ndis!NdisFSendNetBufferLists | npf!NPF_Write | nt!IopSynchronousServiceTail | nt!NtWriteFile | 0x7fff94c21034"
