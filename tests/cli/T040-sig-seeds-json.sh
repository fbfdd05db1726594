# T040: pmkb sig --json on the real seed threads: every analysis the thread
# holds, with the fields of design.md section 5 and the normalised signature.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"

# 001: the vwifimf thread: analyses under six bugchecks (and stacks
# pasted without one); picked by bugcheck, not position
expect_exit 0 "$PMKB" sig --json "$S/001_a48089f2710e0f3a.txt"
cp "$T/out" "$T/001.json"
# seven dumps in seed-dumps.tsv: the 1803 dump (mail 13) prints its kc
# stack without a bugcheck
jq_eq "$T/001.json" '.analyses | length' 7
jq_eq "$T/001.json" '[.analyses[].bugcheck.code | select(. != null)] | join(",")' "0xd1,0x50,0xc4,0x139,0xfc,0x1e"
# 0x50 (mail 8): arguments as four lower-case hex strings; the 1803 dump
# (mail 13, no bugcheck printed): the stack under nwifi, netwtw08 below
jq_eq "$T/001.json" '(.analyses | map(select(.bugcheck.code == "0x50"))[0]).bugcheck.name' PAGE_FAULT_IN_NONPAGED_AREA
jq_eq "$T/001.json" '(.analyses | map(select(.bugcheck.code == "0x50"))[0]).bugcheck.args | length' 4
jq_eq "$T/001.json" '(.analyses | map(select(.bugcheck.code == "0x50"))[0]).bugcheck.args[0]' 0xffffffffffffffe8
jq_eq "$T/001.json" '[(.analyses | map(select(.module_set | index("netwtw08")))[0]).frames[] | select(.skipped == null)][0].key' nwifi!Dot11SendCompletion
jq_eq "$T/001.json" '(.analyses | map(select(.module_set | index("netwtw08")))[0]).frames[0].skipped' "bugcheck plumbing"
jq_eq "$T/001.json" '(.analyses | map(select(.module_set | index("netwtw08")))[0]).frames[0].function' KeBugCheckEx
jq_eq "$T/001.json" '(.analyses | map(select(.module_set | index("netwtw08")))[0]).third_party_modules | join(",")' netwtw08,vwifimf
jq_eq "$T/001.json" '(.analyses | map(select(.module_set | index("netwtw08")))[0]).pool_tags[0] | "\(.tag) \(.owner)"' "Filt vwifimf"
# 0xc4: gscfmgr, under six nt frames, is named at the end of the signature
jq_eq "$T/001.json" '(.analyses | map(select(.bugcheck.code == "0xc4"))[0]).signature | endswith(" | ... | gscfmgr+0xaa39")' true
jq_eq "$T/001.json" '(.analyses | map(select(.bugcheck.code == "0xc4"))[0]).third_party_modules | join(",")' gscfmgr
# 0x139: a !pool owner printed as nt!fsrtl is the module nt
jq_eq "$T/001.json" '[(.analyses | map(select(.bugcheck.code == "0x139"))[0]).pool_tags[] | select(.tag == "FSfc")][0].owner' nt
# 0xfc: tcpip!Ipv4Global executed, then nwifi's send completion; vwifimf third-party
jq_eq "$T/001.json" '(.analyses | map(select(.bugcheck.code == "0xfc"))[0]).signature' \
	"0xfc | tcpip!Ipv4Global | nwifi!Dot11SendCompletion | nwifi!Pt6SendComplete | ndis!ndisCallSendCompleteHandler"
# 0x1e: the jump to 0x3200360035 is a raw-address frame, kept
jq_eq "$T/001.json" '[(.analyses | map(select(.bugcheck.code == "0x1e"))[0]).frames[] | select(.skipped == null)][0] | "\(.key) \(.module)"' "0x3200360035 null"
jq_eq "$T/001.json" '(.analyses | map(select(.bugcheck.code == "0x1e"))[0]).third_party_modules | index("vwifimf") != null' true
# the same cause under 0xd1/0x50/0xfc/0x1e shares its kept frames
jq_eq "$T/001.json" '(.analyses | map(select(.module_set | index("netwtw08")))[0]).frames | map(select(.skipped == null) | .key) | index("nwifi!Pt6SendComplete") != null' true
for c in 0xfc 0x1e; do
	jq_eq "$T/001.json" "(.analyses | map(select(.bugcheck.code == \"$c\"))[0]).frames | map(select(.skipped == null) | .key) | index(\"nwifi!Pt6SendComplete\") != null" true
done

# 003: Npcap, every field design.md names
expect_exit 0 "$PMKB" sig --json "$S/003_25707b60ca074d00.txt"
jq_eq "$T/out" '.analyses | length' 1
jq_eq "$T/out" '.analyses[0].bugcheck.code' 0x3b
jq_eq "$T/out" '.analyses[0].image' npf.sys
jq_eq "$T/out" '.analyses[0].image_module' npf
jq_eq "$T/out" '.analyses[0].process' EapolLogin.exe
jq_eq "$T/out" '.analyses[0].failure_bucket' '0x3B_npf!NPF_Write'
jq_eq "$T/out" '.analyses[0].os_build' 14267.1000.amd64fre.rs1_release.160213-0213
jq_eq "$T/out" '.analyses[0].frames[1] | "\(.module) \(.function) \(.offset) \(.third_party)"' "npf NPF_Write 0x214 true"
jq_eq "$T/out" '.analyses[0].modules[0] | "\(.name) \(.canonical) \(.third_party)"' "npf.sys npf true"
jq_eq "$T/out" '.analyses[0].module_set | join(",")' ndis,npf,nt
jq_eq "$T/out" '.analyses[0].source' windbg
jq_eq "$T/out" '.analyses[0].hash | test("^[0-9a-f]{16}$")' true
# every documented key is present in every analysis of every seed
for f in "$S"/0*.txt; do
	expect_exit 0 "$PMKB" sig --json "$f"
	for k in bugcheck frames modules module_set third_party_modules pool_tags process image \
		failure_bucket default_bucket os_build irql exception_code fault_ip machine dump_name \
		hash locals signature source evidence registers image_module; do
		jq_eq "$T/out" "[.analyses[] | has(\"$k\")] | all" true
	done
	jq_eq "$T/out" '[.analyses[].bugcheck | has("code") and has("name") and (.args | length == 4)] | all' true
	jq_eq "$T/out" '[.analyses[].frames[] | has("module") and has("function") and has("offset") and has("key") and has("skipped") and has("third_party")] | all' true
done
