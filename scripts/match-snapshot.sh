#!/bin/sh
# match-snapshot.sh PMKB OUT - what pmkb reads and answers, in one file, so a
# change meant to keep behaviour can be checked byte for byte:
#   scripts/match-snapshot.sh build/pmkb /tmp/before
#   ... change, rebuild ...
#   scripts/match-snapshot.sh build/pmkb /tmp/after && cmp /tmp/before /tmp/after
# It imports the seed threads into one knowledge base and the public
# analyses (one case each) into another, then writes `sig --json` and
# `match --json` of every WinDbg text, public analysis and dump against both.
set -u
case $1 in /*) pmkb=$1 ;; *) pmkb=$(pwd)/$1 ;; esac
case $2 in /*) out=$2 ;; *) out=$(pwd)/$2 ;; esac
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
"$pmkb" --db "$t/seeds" import tests/data/seeds >/dev/null 2>&1
"$pmkb" --db "$t/public" import tests/data/public >/dev/null 2>&1
: >"$out"
for f in tests/data/windbg/*.txt tests/data/public/*.txt \
	 tests/data/dumps/kernel/*.dmp tests/data/dumps/user/*.dmp; do
	[ -f "$f" ] || continue
	n=$f
	for kb in seeds public; do
		printf '== %s %s\n' "$kb" "$n" >>"$out"
		"$pmkb" --db "$t/$kb" match --json -n 5 "$f" >>"$out" 2>&1
		echo "exit $?" >>"$out"
	done
	printf '== sig %s\n' "$n" >>"$out"
	"$pmkb" sig --json "$f" >>"$out" 2>&1
	echo "exit $?" >>"$out"
done
# what show, search and list print of the stored cases
for kb in seeds public; do
	"$pmkb" --db "$t/$kb" list --json >>"$out" 2>&1
	"$pmkb" --db "$t/$kb" list >>"$out" 2>&1
	"$pmkb" --db "$t/$kb" list 2>/dev/null | awk '{print $1}' | while read -r id; do
		printf '== show %s %s\n' "$kb" "$id" >>"$out"
		"$pmkb" --db "$t/$kb" show --json "$id" >>"$out" 2>&1
		"$pmkb" --db "$t/$kb" show "$id" >>"$out" 2>&1
	done
	for q in vwifimf 蓝屏 bugcheck:0xd1 'module:ndis OR process:System' nt; do
		printf '== search %s %s\n' "$kb" "$q" >>"$out"
		"$pmkb" --db "$t/$kb" search --json "$q" >>"$out" 2>&1
		"$pmkb" --db "$t/$kb" search "$q" >>"$out" 2>&1
	done
done
