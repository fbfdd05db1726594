# T162: pmkb clusters on the seed threads, against the labels of
# tests/data/eval/seed-dumps.tsv: every vwifimf pTOS analysis (0xD1 twice,
# 0x50, 0xFC, 0x1E and the 1803 stack without a bugcheck, in two cases) in
# one cluster, with the shipped rules and without any; the gscfmgr, lwfmgr
# and npf analyses each apart. An engineer's "different" link splits a
# cluster and is never crossed; a "same" link joins. show ID lists the
# members and how each joined.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"

expect_exit 0 "$PMKB" import "$S"
# the vwifimf pTOS analyses (seed-dumps.tsv, cluster vwifimf-nbl-ptos, as
# the reader numbers them: mails 3, 8, 13, 19, 22 of thread 001 and the
# lanping dump of thread 000)
PTOS='["CAS-02698-C5V4N5#0","CAS-02698-C5V4N5#1","CAS-02698-C5V4N5#2","CAS-02698-C5V4N5#5","CAS-02698-C5V4N5#6","CAS-06133-X9Z4Q7#1"]'
GSCFMGR=CAS-02698-C5V4N5#3
LWFMGR=CAS-04223-R4W0Q7#0
NPF=003_25707b60ca074d00#0

# cluster_of REF: the id of the cluster holding REF in $T/all.json
cluster_of() { jq -r --arg r "$1" '.clusters[] | select(any(.members[]; (.case + "#" + (.analysis | tostring)) == $r)) | .id' "$T/all.json"; }

check_seeds() {
	expect_exit 0 "$PMKB" clusters --all --json "$@"
	cp "$T/out" "$T/all.json"
	jq_eq "$T/all.json" .analyses 12
	# one cluster holds exactly the six
	jq_eq "$T/all.json" "[.clusters[] | select(.size > 1) | [.members[] | .case + \"#\" + (.analysis | tostring)] | sort] == [$PTOS]" true
	jq_eq "$T/all.json" '[.clusters[] | select(.size > 1)][0].bugchecks | join(" ")' "0x1e 0x50 0xd1 0xfc none"
	jq_eq "$T/all.json" '[.clusters[] | select(.size > 1)][0].cases | join(" ")' "CAS-02698-C5V4N5 CAS-06133-X9Z4Q7"
	jq_eq "$T/all.json" '[.clusters[] | select(.size > 1)][0].customers | join(" ")' "ICBC"
	jq_eq "$T/all.json" '[.clusters[] | select(.size > 1)][0].first_seen' "2020-07-30 10:53:06"
	jq_eq "$T/all.json" '[.clusters[] | select(.size > 1)][0].last_seen' "2022-05-23 16:47:51"
	p=$(cluster_of CAS-02698-C5V4N5#5)
	for other in $GSCFMGR $LWFMGR $NPF; do
		c=$(cluster_of "$other")
		[ -n "$c" ] || fail "$other is in no cluster"
		[ "$c" != "$p" ] || fail "$other is in the vwifimf pTOS cluster"
		jq_eq "$T/all.json" ".clusters[] | select(.id == \"$c\") | .size" 1
	done
}
check_seeds
jq_eq "$T/all.json" '[.clusters[] | select(.size > 1)][0].rule' vwifimf-nbl-ptos
jq_eq "$T/all.json" '[.clusters[] | select(.size > 1)][0].remediation | startswith("Uninstall vwifimf.sys")' true
# how each joined: the rule for the analyses it fires on, the text or the
# case for those with nothing but a bugcheck
jq_eq "$T/all.json" '[.clusters[0].members[] | select(.case == "CAS-02698-C5V4N5" and .analysis == 6)][0].how' rule
jq_eq "$T/all.json" '[.clusters[0].members[] | select(.case == "CAS-06133-X9Z4Q7")][0].how' text
jq_eq "$T/all.json" '[.clusters[0].members[] | select(.analysis == 1)][0].how' case
check_seeds --rules /dev/null
jq_eq "$T/all.json" '[.clusters[] | select(.size > 1)][0].rule' null
jq_eq "$T/all.json" '[.clusters[] | select(.size > 1)][0].name' "vwifimf / nwifi!Dot11SendCompletion"
jq_eq "$T/all.json" '[.clusters[0].members[] | select(.case == "CAS-02698-C5V4N5" and .analysis == 6)][0].how' similar

# the text form and show
expect_exit 0 "$PMKB" clusters
contains "$T/out" "6 analyses in 2 cases  rule vwifimf-nbl-ptos"
contains "$T/out" "bugchecks: 0x1e 0x50 0xd1 0xfc none"
contains "$T/out" "12 analyses in 7 clusters (6 alone"
id=$(head -n 1 "$T/out" | cut -d' ' -f1)
expect_exit 0 "$PMKB" clusters show "$id"
contains "$T/out" "CAS-06133-X9Z4Q7#2  text with CAS-02698-C5V4N5#"
contains "$T/out" "CAS-02698-C5V4N5#7  rule vwifimf-nbl-ptos"
expect_exit 66 "$PMKB" clusters show c00000000
contains "$T/err" "pmkb: no cluster 'c00000000'"

# feedback as hard constraints: the 0x1E judged different from the 0xFC
# and the 1803 stack goes apart, with and without rules
expect_exit 0 "$PMKB" link CAS-02698-C5V4N5#7 CAS-02698-C5V4N5#6 --different
expect_exit 0 "$PMKB" link CAS-02698-C5V4N5#7 CAS-02698-C5V4N5#3 --different
for rules in "" "--rules /dev/null"; do
	# shellcheck disable=SC2086
	expect_exit 0 "$PMKB" clusters --all --json $rules
	cp "$T/out" "$T/all.json"
	[ "$(cluster_of CAS-02698-C5V4N5#6)" != "$(cluster_of CAS-02698-C5V4N5#5)" ] ||
		fail "a different link was crossed ($rules)"
	[ "$(cluster_of CAS-02698-C5V4N5#6)" != "$(cluster_of CAS-02698-C5V4N5#2)" ] ||
		fail "a different link was crossed ($rules)"
done
# with the rules the rest stays together (without, the 0xFC and the 1803
# stack score 0.28 with each other: the 0x1E was what joined them)
expect_exit 0 "$PMKB" clusters --all --json
cp "$T/out" "$T/all.json"
[ "$(cluster_of CAS-02698-C5V4N5#2)" = "$(cluster_of CAS-02698-C5V4N5#5)" ] ||
	fail "the rest of the cluster fell apart"
# a same link joins what nothing else would
expect_exit 0 "$PMKB" link CAS-04223-R4W0Q7#1 003_25707b60ca074d00#1 --same  # CASE#N counts from 1
expect_exit 0 "$PMKB" clusters --all --json
cp "$T/out" "$T/all.json"
[ "$(cluster_of $LWFMGR)" = "$(cluster_of $NPF)" ] || fail "a same link did not join"
jq_eq "$T/all.json" "[.clusters[].members[] | select(.case == \"CAS-04223-R4W0Q7\")][0].how" feedback

# bad input
expect_exit 64 "$PMKB" clusters show
expect_exit 64 "$PMKB" clusters --threshold 2
expect_exit 64 "$PMKB" clusters list
exit 0
