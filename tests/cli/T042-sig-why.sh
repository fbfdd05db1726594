# T042: pmkb sig --why explains each decision; --json --why adds a "why" array.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"

expect_exit 0 "$PMKB" sig --why "$S/001_a48089f2710e0f3a.txt"
contains "$T/out" "  why:"
contains "$T/out" "    skip nt!KeBugCheckEx: bugcheck plumbing"
contains "$T/out" "    skip nt!KiPageFault: trap plumbing"
contains "$T/out" "    keep nwifi!Dot11SendCompletion (microsoft)"
contains "$T/out" "    keep netwtw08 (third-party)"
contains "$T/out" "    keep 0x3200360035 (raw address)"
contains "$T/out" "    module Netwtw08 -> netwtw08 (third-party)"
contains "$T/out" "    module vwifimf.sys -> vwifimf (third-party)"
contains "$T/out" "    pool tag Filt owned by vwifimf"
contains "$T/out" "    text: bugcheck and the first 6 of"
# exception dispatch and stack expansion in the 0x1e stack
contains "$T/out" "skip nt!__C_specific_handler: exception dispatch"
contains "$T/out" "skip nt!KeExpandKernelStackAndCalloutEx: stack expansion callout"
contains "$T/out" "skip nt!KeExpandKernelStackAndCalloutInternal\$filt\$0: exception filter funclet"

# seed 002: thread start skipped, boot-time driver loading kept
expect_exit 0 "$PMKB" sig --why "$S/002_413591d54dd1d178.txt"
contains "$T/out" "skip nt!KiStartSystemThread: thread start"
contains "$T/out" "skip nt!PspSystemThreadStartup: thread start"
contains "$T/out" "keep nt!IopLoadDriver (microsoft)"
contains "$T/out" "keep lwfmgr+0x5167 (third-party)"

# without --why there is no trace
expect_exit 0 "$PMKB" sig "$S/002_413591d54dd1d178.txt"
lacks "$T/out" "why:"

# --json --why: the same lines as a JSON array of strings
expect_exit 0 "$PMKB" sig --json --why "$S/002_413591d54dd1d178.txt"
jq_eq "$T/out" '.analyses[0].why | map(select(. == "skip nt!KeBugCheckEx: bugcheck plumbing")) | length' 1
jq_eq "$T/out" '.analyses[0].why | all(type == "string")' true
expect_exit 0 "$PMKB" sig --json "$S/002_413591d54dd1d178.txt"
jq_eq "$T/out" '.analyses[0] | has("why")' false
