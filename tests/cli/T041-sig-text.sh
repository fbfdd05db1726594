# T041: pmkb sig text output: the analysis line, arguments, the one-line
# signature, kept frames, third-party modules and pool tags.
. "$TOP/tests/cli/lib.sh"
S="$TOP/tests/data/seeds"

# seed 002: lwfmgr hands ndis a NULL filter handle while drivers load
expect_exit 0 "$PMKB" sig "$S/002_413591d54dd1d178.txt"
contains "$T/out" "analysis 1: no bugcheck printed"
contains "$T/out" "  signature: ndis!NdisFDeregisterFilterDriver | lwfmgr+0x5167 | lwfmgr+0xb49a | nt!IopLoadDriver"
contains "$T/out" "    lwfmgr+0x5167  (third-party)"
contains "$T/out" "    ndis!NdisFDeregisterFilterDriver+0x47"
contains "$T/out" "  third-party modules: lwfmgr"
lacks "$T/out" "nt!KeBugCheckEx"
lacks "$T/out" "nt!KiStartSystemThread"
[ -s "$T/err" ] && fail "stderr not empty: $(cat "$T/err")"

# the same stack on its own (a pasted !mex.t), copied from that thread
expect_exit 0 "$PMKB" sig "$TOP/tests/data/sig/lwfmgr-kc.txt"
contains "$T/out" "  signature: ndis!NdisFDeregisterFilterDriver | lwfmgr+0x5167 | lwfmgr+0xb49a | nt!IopLoadDriver | nt!IopInitializeSystemDrivers | nt!IoInitSystem"

# seed 001: the analyses numbered from 1, as many as --json lists, the
# 0x50 one with its arguments
expect_exit 0 "$PMKB" sig --json "$S/001_a48089f2710e0f3a.txt"
n=$(jq '.analyses | length' "$T/out")
expect_exit 0 "$PMKB" sig "$S/001_a48089f2710e0f3a.txt"
contains "$T/out" "analysis 1: bugcheck 0xd1"
contains "$T/out" ": bugcheck 0x50 PAGE_FAULT_IN_NONPAGED_AREA"
contains "$T/out" "  args: 0xffffffffffffffe8 0x0 0xfffff8057b5694fd 0x2"
contains "$T/out" ": bugcheck 0x1e KMODE_EXCEPTION_NOT_HANDLED"
contains "$T/out" "  pool tags: Filt (vwifimf)"
contains "$T/out" "  signature: 0x1e | 0x3200360035 | nwifi!Dot11SendCompletion | nwifi!Pt6SendComplete"
[ "$(grep -c '^analysis ' "$T/out")" -eq "$n" ] || fail "expected $n analyses"
grep -q "^analysis $n: " "$T/out" || fail "analyses not numbered 1..$n"

# seed 000: the dump names are shown
expect_exit 0 "$PMKB" sig "$S/000_e3b3544fec26024b.txt"
contains "$T/out" "analysis 1 (dump liyue-hwclient.DMP): bugcheck 0x7f"
contains "$T/out" "hwusbclient"
