# T192: pmkb eval measures what the texts share, not their file names. The
# forum post (tests/data/eval/names, written for this test) shares with
# zorblat-crash.txt nothing but the word "zorblat", which is in the crash's
# file name and not in its text; labelled as the same cause, the post must
# not find the crash first through the name (it did while eval stored each
# text under its file name as case id and title, both indexed text).
. "$TOP/tests/cli/lib.sh"
D="$TOP/tests/data/eval/names"
expect_exit 0 "$PMKB" eval --json "$D/labels.tsv"
jq_eq "$T/out" '.rows | length' 3
jq_eq "$T/out" '.rows[] | select(.id == "forum-post#4") | .prose' true
jq_eq "$T/out" '.rows[] | select(.id == "forum-post#4") | .rank != 1' true
jq_eq "$T/out" '[.rows[] | select(.id == "forum-post#4") | .top][0] != "zorblat-crash#2"' true
# the reports still name each row by its file
jq_eq "$T/out" '[.rows[].id] | sort | join(",")' 'forum-post#4,ramdisk-hang#3,zorblat-crash#2'
exit 0
