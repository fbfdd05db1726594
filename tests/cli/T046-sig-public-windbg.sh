# T046: pmkb sig on real WinDbg output posted in public issue trackers
# (tests/data/windbg, see SOURCES.md there): every labelled file gives valid
# JSON with its bugcheck (the 0x1000007e of dokany#1310 folded to 0x7e),
# third-party drivers told from Microsoft's, plumbing frames skipped.
. "$TOP/tests/cli/lib.sh"
W="$TOP/tests/data/windbg"
[ -f "$W/labels.tsv" ] || { echo "tests/data/windbg is not in this tree"; exit 77; }

tab=$(printf '\t')
n=0
while IFS="$tab" read -r f bc km cluster; do
	[ "$f" = file ] && continue
	n=$((n + 1))
	expect_exit 0 "$PMKB" sig --json "$W/$f"
	jq -e '.analyses | length > 0' "$T/out" >/dev/null || fail "$f: no analysis"
	jq -e '[.analyses[].frames[] | (.key | type == "string") and (.third_party | type == "boolean")] | all' \
		"$T/out" >/dev/null || fail "$f: frame without key"
	if [ "$bc" != "-" ]; then
		want=$bc
		case $bc in 0x1000????) want=0x$(echo "$bc" | sed 's/^0x1000//; s/^0*//') ;; esac
		jq_eq "$T/out" "[.analyses[].bugcheck.match_code] | index(\"$want\") != null" true
		jq_eq "$T/out" "[.analyses[].bugcheck.code] | index(\"$bc\") != null" true
	fi
	# a signature line starts with the bugcheck when there is one
	jq_eq "$T/out" '[.analyses[] | select(.bugcheck.code != null) | .signature | startswith("0x")] | all' true
done <"$W/labels.tsv"
[ "$n" -ge 20 ] || fail "only $n labelled files"

# the _M variant, folded
expect_exit 0 "$PMKB" sig --json "$W/dokany-1310-7e-deletefcb.txt"
jq_eq "$T/out" '.analyses[0].bugcheck | "\(.match_code) \(.code) \(.name)"' \
	"0x7e 0x1000007e SYSTEM_THREAD_EXCEPTION_NOT_HANDLED"

# Npcap's NdisWaitEvent at DISPATCH_LEVEL: npcap third-party, ndis not
expect_exit 0 "$PMKB" sig --json "$W/npcap-184-7c-waitevent.txt"
jq_eq "$T/out" '[.analyses[].third_party_modules[]] | unique | join(",")' npcap
jq_eq "$T/out" '[.analyses[].signature | select(startswith("0x7c | ndis!NdisWaitEvent | npcap+0x33b6"))] | length > 0' true

# dokan's oplock crash: the stack without a bugcheck still has a signature
expect_exit 0 "$PMKB" sig --json "$W/dokany-1172-deletefcb-stack.txt"
jq_eq "$T/out" '.analyses[0].third_party_modules | join(",")' dokan2
jq_eq "$T/out" '.analyses[0].frames | map(select(.skipped == null) | .key) | index("dokan2!DokanDeleteFcb") != null' true

# WFP: fwpkclnt, tcpip and netio are Microsoft's
expect_exit 0 "$PMKB" sig --json "$W/adguard-2276-wfp-classify.txt"
jq_eq "$T/out" '[.analyses[].third_party_modules[]] | map(select(. == "fwpkclnt" or . == "tcpip" or . == "netio")) | length' 0

# 0x133: the clock tick that noticed the DPC is skipped; netkvm is kept
expect_exit 0 "$PMKB" sig --why "$W/netkvm-85-133-dpc.txt"
contains "$T/out" "skip nt!KeClockInterruptNotify: clock interrupt and watchdog plumbing"
contains "$T/out" "keep netkvm+0x8443 (third-party)"
