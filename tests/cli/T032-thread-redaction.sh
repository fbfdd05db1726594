# T032: personal data never reach storage: the planted (synthetic) ID
# numbers, phones, logins and passwords of the seed copies are replaced by
# markers in every view, e-mail addresses and senders' names too (names
# by a stable pseudonym), counted per case, and WinDbg text, registry and
# KB numbers stay intact. The bundled examples (already redacted of all
# but names) import to the same message bodies.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"
E="$TOP/examples/cases"
[ -d "$S" ] && [ -d "$E" ] || { echo "tests/data/seeds or examples/cases is missing"; exit 77; }
expect_exit 0 "$PMKB" import "$S"/*.txt
contains "$T/out" "(135 personal data items redacted)"

all="$T/all.json"; : >"$all"
for pair in CAS-06133-X9Z4Q7:11 CAS-02698-C5V4N5:66 CAS-04223-R4W0Q7:50 003_25707b60ca074d00:0 CAS-08433-X3V6G7:8; do
	id=${pair%%:*}; n=${pair#*:}
	expect_exit 0 "$PMKB" show --json "$id"
	jq_eq "$T/out" .redactions "$n"
	cat "$T/out" >>"$all"
	expect_exit 0 "$PMKB" show "$id"
	cat "$T/out" >>"$T/all.txt"
done
for secret in 13812340001 13812340002 13812340003 13812340004 110105199001011232 \
	310115198505052340 55501234 0756-5550123 USER901 demouser01 Xq7pass2023 \
	win10sup@sdc.icbc.com.cn engineer-b@microsoft.com "Li Qi" 朱卫艳 许先生; do
	lacks "$all" "$secret"
	lacks "$T/all.txt" "$secret"
done
contains "$all" "身份证号：[redacted:id-number]"
contains "$all" "电话：[redacted:phone]"
contains "$all" "用户名：[redacted:username]"
contains "$all" "密码：[redacted:password]"
contains "$T/all.txt" "[redacted:phone]"
# untouched: WinDbg addresses, registry numbers, KB numbers, the vendor hotline
contains "$all" 'fffff803`496dccae e84d010000'
contains "$all" "REG:120081126000849"
contains "$all" "KB 4559003"
contains "$all" "ffffe08f7073dc10"
contains "$all" "4008180055"
# the redacted data cannot be searched for either
expect_exit 1 "$PMKB" search 13812340002

# the bundled examples are the same threads, redacted: same bodies (the
# names, left in the examples, are replaced at import)
mkdir "$T/ex"
cp "$E"/*.txt "$T/ex/"
PMKB_DB="$T/kb2" expect_exit 0 "$PMKB" import "$T/ex"
contains "$T/out" "imported 5 cases, 65 messages"
contains "$T/out" "(102 personal data items redacted)"
for id in CAS-06133-X9Z4Q7 CAS-02698-C5V4N5 CAS-04223-R4W0Q7 003_25707b60ca074d00 CAS-08433-X3V6G7; do
	expect_exit 0 "$PMKB" show --json "$id"
	jq -c '[.messages[].body]' "$T/out" >"$T/a"
	PMKB_DB="$T/kb2" expect_exit 0 "$PMKB" show --json "$id"
	jq -c '[.messages[].body]' "$T/out" >"$T/b"
	cmp -s "$T/a" "$T/b" || fail "$id: the example's bodies differ from the redacted seed's"
done
