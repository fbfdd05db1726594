# T059: one dump reader behind every command: the same bad dump gets the
# same one-line reason and exit 65 from sig, import and match, and a dump
# on standard input reads like the file.
. "$TOP/tests/cli/lib.sh"
d="$TOP/tests/data/dumps"

"$PMKB" import "$d/kernel/triage_x64.dmp" >"$T/out" 2>"$T/err"
if grep -q "not built yet" "$T/err"; then echo "pmkb import is not built yet"; exit 77; fi
"$PMKB" match "$d/kernel/triage_x64.dmp" >"$T/out" 2>"$T/err"
if grep -q "not built yet" "$T/err"; then echo "pmkb match is not built yet"; exit 77; fi

# bad dumps: real corrupt samples, a cut real dump, an encrypted one
cp "$d/corrupt/"* "$T/"
head -c 20000 "$d/kernel/triage_arm64.dmp" >"$T/cut-arm64.dmp"
cp "$d/kernel/triage_x64.dmp" "$T/encrypted.dmp"; chmod u+w "$T/encrypted.dmp"
printf '\000\001\000\000' | dd of="$T/encrypted.dmp" bs=1 seek=$((0x1050)) conv=notrunc 2>/dev/null
for f in "$T"/*.dmp "$T"/*.mdmp; do
	reason=
	for cmd in sig import match; do
		expect_exit 65 "$PMKB" "$cmd" "$f"
		line=$(grep "^pmkb: cannot read '$f': " "$T/err") || { cat "$T/err"; fail "$cmd: no 'cannot read' line for $f"; }
		[ "$(echo "$line" | wc -l)" -eq 1 ] || fail "$cmd: more than one error line for $f"
		r=${line#*"': "}
		[ -z "$reason" ] && reason=$r
		[ "$r" = "$reason" ] || fail "$cmd gave '$r', sig gave '$reason' for $f"
	done
done
expect_exit 65 "$PMKB" sig "$T/encrypted.dmp"
contains "$T/err" "dump data is encrypted: Attributes 0x100 (file offset 0x1050)"
expect_exit 65 "$PMKB" sig "$T/cut-arm64.dmp"
contains "$T/err" "driver list: DriverListOffset 0xde30 (file offset 0x2030)"

# standard input: the same analysis as the file
expect_exit 0 "$PMKB" sig --json "$d/user/test_winxp_x86.dmp"
mv "$T/out" "$T/file.json"
expect_exit 0 "$PMKB" sig --json - <"$d/user/test_winxp_x86.dmp"
jq_eq "$T/out" '.analyses[0].hash' "$(jq -r '.analyses[0].hash' "$T/file.json")"
jq_eq "$T/out" '.analyses[0].frames | length' "$(jq -r '.analyses[0].frames | length' "$T/file.json")"
expect_exit 0 "$PMKB" match --json - <"$d/kernel/triage_x64.dmp"
jq_eq "$T/out" '.matches[0].case' triage_x64
