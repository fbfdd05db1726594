# T200: pmkb sig on the shapes people paste besides !analyze -v (invented
# excerpts in tests/data/shapes/): a live debugger's banner, the event log
# with a WER report, an Application Error event, the tail of an analysis
# without banner or stack, a title in prose. Each is one analysis with its
# code, arguments, bucket, process and culprit (with the rule that chose
# it); --why names the rule; the stored form keeps the culprit.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/shapes"

expect_exit 0 "$PMKB" sig --json "$S/live-kd.txt"
jq_eq "$T/out" '.analyses | length' 1
jq_eq "$T/out" '.analyses[0].bugcheck.code' 0xd1
jq_eq "$T/out" '.analyses[0].bugcheck.name' DRIVER_IRQL_NOT_LESS_OR_EQUAL
jq_eq "$T/out" '.analyses[0].bugcheck.args | join(",")' 0xfffff8037aca1fa0,0xff,0x0,0xfffff8037aca1fa0
jq_eq "$T/out" '.analyses[0].culprit.module' acme
jq_eq "$T/out" '.analyses[0].culprit.from' probably_caused_by

# the event log line wrapped by a mail client, and its WER report: one crash
expect_exit 0 "$PMKB" sig --json "$S/eventlog-wer.txt"
jq_eq "$T/out" '.analyses | length' 1
jq_eq "$T/out" '.analyses[0].bugcheck.code' 0x3b
jq_eq "$T/out" '.analyses[0].bugcheck.args | join(",")' 0xc0000005,0xfffff80815a0f9c8,0xffffbf0094c14e70,0x0
jq_eq "$T/out" '.analyses[0].failure_bucket' 0x3B_acmefs!AcmeOverridePermissions
jq_eq "$T/out" '.analyses[0].culprit | "\(.module)!\(.function) \(.from)"' "acmefs!AcmeOverridePermissions bucket"
jq_eq "$T/out" '.analyses[0].signature' "0x3b | acmefs!AcmeOverridePermissions"

# user mode: an exception, not a bugcheck
expect_exit 0 "$PMKB" sig --json "$S/application-error.txt"
jq_eq "$T/out" '.analyses[0].bugcheck.code' null
jq_eq "$T/out" '.analyses[0].exception_code' 0xc0000005
jq_eq "$T/out" '.analyses[0].process' notepad.exe
jq_eq "$T/out" '.analyses[0].culprit.printed' acmehook.dll

# fields only: the code from the bucket, the file name and the debugger's
# module name one culprit, the followed-up symbol frame 0
expect_exit 0 "$PMKB" sig --json --why "$S/fields-only.txt"
jq_eq "$T/out" '.analyses[0].bugcheck.code' 0xd1
jq_eq "$T/out" '.analyses[0].culprit | "\(.module) \(.printed) \(.function) \(.from)"' "acme_flt acme-flt.sys AcmeClassify image_name"
jq_eq "$T/out" '.analyses[0].third_party_modules | join(",")' acme_flt
jq_eq "$T/out" '.analyses[0].frames[0].key' acme_flt!AcmeClassify
jq_eq "$T/out" '[.analyses[0].why[] | select(startswith("culprit acme_flt!AcmeClassify (from image_name)"))] | length' 1
expect_exit 0 "$PMKB" sig --why "$S/fields-only.txt"
contains "$T/out" "culprit: acme-flt.sys (acme_flt!AcmeClassify) [from image_name]"

# prose: the name gives the code; the verb "bugchecked" no second one; the
# driver named is the culprit of last resort, but not the image
expect_exit 0 "$PMKB" sig --json "$S/prose-title.txt"
jq_eq "$T/out" '.analyses | length' 1
jq_eq "$T/out" '.analyses[0].bugcheck.code' 0x1e
jq_eq "$T/out" '.analyses[0].culprit.from' prose
jq_eq "$T/out" '.analyses[0].image' null

# stored and read back: a knowledge base keeps the culprit
expect_exit 0 "$PMKB" import "$S"/*.txt
expect_exit 0 sqlite3 "$PMKB_DB/kb.sqlite" "SELECT text FROM signatures WHERE case_id='fields-only'"
contains "$T/out" "pmkb-sig	2"
contains "$T/out" "culprit	acme_flt	acme-flt.sys	AcmeClassify	image_name"
expect_exit 0 "$PMKB" match --json "$S/fields-only.txt"
jq_eq "$T/out" '.matches[0].case' fields-only
