# T070: pmkb rules list/check: the shipped rules, and rules files refused
# with FILE:LINE: reason (syntax error, unknown field, invalid regular
# expression, duplicate id); match refuses a bad --rules file as a whole.
. "$TOP/tests/cli/lib.sh"

expect_exit 0 "$PMKB" rules list
for id in vwifimf-nbl-ptos lwfmgr-null-filter-handle gscfmgr-c4-user-handle vwifimf-pool-overrun \
	hwusbclient-double-fault npf-send-while-paused; do
	contains "$T/out" "$id"
done
expect_exit 0 "$PMKB" rules list --json
jq_eq "$T/out" '.rules | length >= 6' true
jq_eq "$T/out" '.rules[] | select(.id == "gscfmgr-c4-user-handle") | .conditions | map(.condition) | index("arg1 = 0xf6") != null' true
jq_eq "$T/out" '.rules[0].steps.zh != null and .rules[0].steps.en != null' true

# the shipped file itself checks clean
expect_exit 0 "$PMKB" rules check "$TOP/data/rules.conf"
contains "$T/out" "rules, ok"

cat >"$T/syntax.conf" <<'R'
[rule a]
title = a
module vwifimf
R
expect_exit 65 "$PMKB" rules check "$T/syntax.conf"
contains "$T/err" "pmkb: $T/syntax.conf:3: expected 'FIELD = VALUE'"

cat >"$T/unknown.conf" <<'R'
# comment
[rule a]
title = a
module = x
colour = red
R
expect_exit 65 "$PMKB" rules check "$T/unknown.conf"
contains "$T/err" "$T/unknown.conf:5: unknown field 'colour'"

cat >"$T/regex.conf" <<'R'
[rule a]
title = a
frame~ = ^nwifi!(Pt6
R
expect_exit 65 "$PMKB" rules check "$T/regex.conf"
contains "$T/err" "$T/regex.conf:3: invalid regular expression '^nwifi!(Pt6'"

cat >"$T/dup.conf" <<'R'
[rule a]
title = a
module = x

[rule a]
title = again
module = y
R
expect_exit 65 "$PMKB" rules check "$T/dup.conf"
contains "$T/err" "$T/dup.conf:5: duplicate rule id 'a' (first at line 1)"

# several errors at once, several files: each named
expect_exit 65 "$PMKB" rules check "$T/unknown.conf" "$TOP/data/rules.conf" "$T/dup.conf"
contains "$T/err" "unknown.conf:5:"
contains "$T/err" "dup.conf:5:"
contains "$T/out" "rules.conf: "

# hostile: binary, not UTF-8, a directory, missing
head -c 3000 /dev/urandom >"$T/bin.conf"
printf '[rule a]\ntitle = \262\342\312\324\nmodule = x\n' >"$T/gbk.conf"
expect_exit 65 "$PMKB" rules check "$T/bin.conf"
expect_exit 65 "$PMKB" rules check "$T/gbk.conf"
contains "$T/err" "not valid UTF-8"
expect_exit 66 "$PMKB" rules check "$T/missing.conf"
one_line "$T/err"
contains "$T/err" "pmkb: cannot read '$T/missing.conf':"
expect_exit 66 "$PMKB" rules check "$T"
# a long file of junk lines: bounded report, still refused
awk 'BEGIN { for (i = 0; i < 5000; i++) print "junk line " i }' >"$T/junk.conf"
expect_exit 65 "$PMKB" rules check "$T/junk.conf"
[ "$(wc -l <"$T/err")" -le 60 ] || fail "error report not bounded"

# match and rules list refuse a bad file as a whole: nothing on stdout
expect_exit 65 "$PMKB" match --rules "$T/regex.conf" "$TOP/tests/data/sig/lwfmgr-kc.txt"
[ ! -s "$T/out" ] || fail "match printed a result with a refused rules file"
contains "$T/err" "regex.conf:3: invalid regular expression"
expect_exit 65 "$PMKB" rules list --rules "$T/dup.conf"

# usage
expect_exit 64 "$PMKB" rules
expect_exit 64 "$PMKB" rules frobnicate
expect_exit 64 "$PMKB" rules check
expect_exit 0 "$PMKB" rules list --rules /dev/null
[ ! -s "$T/out" ] || fail "no rules should list nothing"
exit 0
