#!/bin/sh
# bench.sh - pmkb benchmarks on generated corpora, side by side with notmuch on
# the same maildir: import throughput and memory, database size, match, search
# and .dmp latency. Called by `make bench`, `make bench-smoke`, `make bench-large`;
# what it measures and how is in docs/benchmarks.md.
#
# usage: bench.sh --gen PMKB-GEN --pmkb PMKB --dir SCRATCH [--sizes "10000 100000"]
#                 [--queries 1000] [--search-repeat 20] [--seed S] [--write FILE] [--smoke]
# A pmkb command that is not built yet shows as "n/a (not built)".
set -u

GEN=; PMKB=; DIR=; SIZES="10000 100000"; QUERIES=1000; SEARCH_REPEAT=20; SEED=20260101
WRITE=; SMOKE=0
while [ $# -gt 0 ]; do
	case "$1" in
	--gen) GEN=$2; shift ;;
	--pmkb) PMKB=$2; shift ;;
	--dir) DIR=$2; shift ;;
	--sizes) SIZES=$2; shift ;;
	--queries) QUERIES=$2; shift ;;
	--search-repeat) SEARCH_REPEAT=$2; shift ;;
	--seed) SEED=$2; shift ;;
	--write) WRITE=$2; shift ;;
	--smoke) SMOKE=1 ;;
	*) echo "bench.sh: unknown option '$1'" >&2; exit 64 ;;
	esac
	shift
done
[ -n "$GEN" ] && [ -n "$PMKB" ] && [ -n "$DIR" ] || {
	echo "usage: bench.sh --gen PMKB-GEN --pmkb PMKB --dir SCRATCH [--sizes LIST] [--queries N] [--write FILE] [--smoke]" >&2
	exit 64
}
if [ "$SMOKE" = 1 ]; then
	[ "$SIZES" = "10000 100000" ] && SIZES=200
	[ "$QUERIES" = 1000 ] && QUERIES=50
	SEARCH_REPEAT=2
fi
TOP=$(cd "$(dirname "$0")/.." && pwd)
abspath() { case "$1" in /*) echo "$1" ;; *) echo "$(pwd)/$1" ;; esac; }
GEN=$(abspath "$GEN"); PMKB=$(abspath "$PMKB")
RUNLAT=$(dirname "$GEN")/pmkb-runlat
mkdir -p "$DIR" || exit 73
DIR=$(cd "$DIR" && pwd)
LOG=$DIR/bench.log
OUT=$DIR/results.md
: >"$LOG"
for tool in "$GEN" "$RUNLAT" "$PMKB"; do
	[ -x "$tool" ] || { echo "bench.sh: '$tool' is not built (make build/bench/pmkb-gen pmkb)" >&2; exit 66; }
done
[ -x /usr/bin/time ] || { echo "bench.sh: /usr/bin/time (GNU time) is needed for peak RSS; apt-get install time" >&2; exit 69; }
HAVE_NOTMUCH=0
command -v notmuch >/dev/null 2>&1 && HAVE_NOTMUCH=1

log() { echo "$*" >>"$LOG"; [ -t 2 ] && echo "bench: $*" >&2; return 0; }

# built CMD: is the pmkb subcommand CMD more than its placeholder?
built() {
	"$PMKB" "$1" --help >"$DIR/probe" 2>&1
	! grep -q "not built yet" "$DIR/probe"
}

# timed NAME CMD...: run CMD under GNU time; sets T_WALL T_CPU T_RSS_MB T_RC
timed() {
	name=$1; shift
	/usr/bin/time -v -o "$DIR/$name.time" "$@" >"$DIR/$name.out" 2>"$DIR/$name.err"
	T_RC=$?
	T_WALL=$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$DIR/$name.time" |
		awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
	T_CPU=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$DIR/$name.time")
	T_RSS_MB=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$DIR/$name.time")
	log "$name: rc=$T_RC wall=${T_WALL}s cpu=${T_CPU}s rss=${T_RSS_MB}MB: $*"
	[ "$T_RC" -eq 0 ] || { log "$name stderr:"; tail -n 5 "$DIR/$name.err" >>"$LOG"; }
}

# per-second and per-MB figures; "-" when there is nothing to divide
rate() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f", a / b; else printf "-" }'; }
rate1() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else printf "-" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else printf "-" }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
dir_bytes() { du -sb --exclude=.notmuch "$1" 2>/dev/null | awk '{ print $1 }'; }

# lat NAME: "p50 / p95 / p99 / mean" in ms from a pmkb-runlat line in $DIR/NAME.lat
lat() {
	l=$(cat "$DIR/$1.lat" 2>/dev/null)
	case "$l" in runs=*) ;; *) echo "-"; return ;; esac
	echo "$l" | awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		printf "%s / %s / %s / %s", v["p50"], v["p95"], v["p99"], v["mean"];
		if (v["fails"] > 0) printf " (%s failed: exit %s)", v["fails"], v["exit"] }'
}

IMPORT_ROWS=; MATCH_ROWS=; SEARCH_ROWS=; CORPUS_ROWS=; DB_ROWS=; EXTRA_ROWS=

for N in $SIZES; do
	C=$DIR/corpus-$N
	stamp="pmkb-gen $(cksum <"$GEN" | cut -d' ' -f1) --seed $SEED --threads $N --queries $QUERIES"
	if [ "$(cat "$C/.stamp" 2>/dev/null)" != "$stamp" ]; then
		rm -rf "$C"
		log "generating $N threads"
		timed gen-$N "$GEN" --seed "$SEED" --threads "$N" --format both --out "$C" --queries "$QUERIES"
		[ "$T_RC" -eq 0 ] || { echo "bench.sh: the generator failed, see $LOG" >&2; exit 70; }
		echo "$stamp" >"$C/.stamp"
		GEN_NOTE="$(rate "$N" "$T_WALL") threads/s"
	else
		GEN_NOTE="reused"
	fi
	nmails=$(find "$C/maildir/cur" "$C/maildir/new" -type f | wc -l)
	nan=$(grep -vc '^#' "$C/labels.tsv"); nan=$((nan - 1))
	tbytes=$(dir_bytes "$C/threads"); mbytes=$(dir_bytes "$C/maildir")
	CORPUS_ROWS="$CORPUS_ROWS| $N | $nmails | $nan | $(mb "$tbytes") | $(mb "$mbytes") | $GEN_NOTE |
"
	# both sides read from the page cache, not the disk
	find "$C/threads" "$C/maildir" -type f -print0 | xargs -0 cat >/dev/null

	KT=$DIR/kb-thread-$N; KM=$DIR/kb-mail-$N
	if built import; then
		rm -rf "$KT" "$KM"
		timed import-thread-$N "$PMKB" --db "$KT" import --format thread "$C/threads"
		if [ "$T_RC" -eq 0 ]; then
			IMPORT_ROWS="$IMPORT_ROWS| $N | pmkb import (thread export) | $T_WALL | $T_CPU | $(rate "$N" "$T_WALL") | $(rate1 "$(mb "$tbytes")" "$T_WALL") | $T_RSS_MB |
"
			DB_ROWS="$DB_ROWS| $N | pmkb (thread export) | $(mb "$(dir_bytes "$KT")") | $(rate1 "$(dir_bytes "$KT")" "$((N * 1024))") |
"
		else
			IMPORT_ROWS="$IMPORT_ROWS| $N | pmkb import (thread export) | failed (exit $T_RC) | | | | |
"
		fi
		timed import-mail-$N "$PMKB" --db "$KM" import --format maildir "$C/maildir"
		PM_WALL=$T_WALL; PM_RC=$T_RC
		if [ "$T_RC" -eq 0 ]; then
			IMPORT_ROWS="$IMPORT_ROWS| $N | pmkb import (maildir) | $T_WALL | $T_CPU | $(rate "$N" "$T_WALL") | $(rate1 "$(mb "$mbytes")" "$T_WALL") | $T_RSS_MB |
"
			DB_ROWS="$DB_ROWS| $N | pmkb (maildir) | $(mb "$(dir_bytes "$KM")") | $(rate1 "$(dir_bytes "$KM")" "$((N * 1024))") |
"
		else
			IMPORT_ROWS="$IMPORT_ROWS| $N | pmkb import (maildir) | failed (exit $T_RC) | | | | |
"
		fi
	else
		PM_RC=1; PM_WALL=0
		IMPORT_ROWS="$IMPORT_ROWS| $N | pmkb import | n/a (not built) | | | | |
"
	fi

	NMCFG=$DIR/notmuch-$N.config
	if [ "$HAVE_NOTMUCH" = 1 ]; then
		rm -rf "$C/maildir/.notmuch"
		printf '[database]\npath=%s\n[user]\nname=bench\nprimary_email=bench@example.com\n[new]\ntags=unread;inbox;\nignore=\n[search]\nexclude_tags=\n[maildir]\nsynchronize_flags=true\n' \
			"$C/maildir" >"$NMCFG"
		timed notmuch-new-$N env NOTMUCH_CONFIG="$NMCFG" notmuch new --quiet
		NM_WALL=$T_WALL
		if [ "$T_RC" -eq 0 ]; then
			IMPORT_ROWS="$IMPORT_ROWS| $N | notmuch new (maildir) | $T_WALL | $T_CPU | $(rate "$N" "$T_WALL") | $(rate1 "$(mb "$mbytes")" "$T_WALL") | $T_RSS_MB |
"
			DB_ROWS="$DB_ROWS| $N | notmuch | $(mb "$(du -sb "$C/maildir/.notmuch" | awk '{ print $1 }')") | $(rate1 "$(du -sb "$C/maildir/.notmuch" | awk '{ print $1 }')" "$((N * 1024))") |
"
			[ "$PM_RC" -eq 0 ] && EXTRA_ROWS="$EXTRA_ROWS| $N | import speed, notmuch new / pmkb import (maildir wall time; > 1 = pmkb faster) | $(ratio "$NM_WALL" "$PM_WALL") |
"
		else
			IMPORT_ROWS="$IMPORT_ROWS| $N | notmuch new (maildir) | failed (exit $T_RC) | | | | |
"
		fi
	fi

	# process start floor: what any one-shot pmkb command costs before work
	echo x | "$RUNLAT" -r 50 -- "$PMKB" --version >"$DIR/version-$N.lat" 2>>"$LOG"
	EXTRA_ROWS="$EXTRA_ROWS| $N | pmkb --version (fork + exec + start, ms p50 / p95 / p99 / mean) | $(lat version-$N) |
"

	# match: the held-out queries (new dumps, 9 in 10 of known causes)
	if built match && [ -d "$KT" ]; then
		ls "$C"/queries/q*.txt | head -n "$QUERIES" >"$DIR/queries-$N.list"
		"$RUNLAT" -w 0 -- "$PMKB" --db "$KT" match {} <"$DIR/queries-$N.list" >"$DIR/match-$N.lat" 2>>"$LOG"
		MATCH_ROWS="$MATCH_ROWS| $N | $(wc -l <"$DIR/queries-$N.list") | $(lat match-$N) |
"
	else
		MATCH_ROWS="$MATCH_ROWS| $N | - | n/a (not built) |
"
	fi

	# search: the same terms in both, each SEARCH_REPEAT times
	cid=$(awk -F'\t' '!/^#/ && $1 != "seed" && $4 != "-" { print $4; exit }' "$C/labels.tsv")
	mod=$(awk -F'\t' '!/^#/ && $1 != "seed" && $8 !~ /^singleton/ { split($7, m, ";"); c[m[1]]++ } END { for (k in c) if (c[k] < 5) print k }' "$C/labels.tsv" | LC_ALL=C sort | head -n 1)
	printf '%s\n' vwifimf nwifi DRIVER_IRQL_NOT_LESS_OR_EQUAL KeBugCheckEx "$cid" "${mod:-lwfmgr}" special 蓝屏 >"$DIR/terms-$N"
	: >"$DIR/hits-$N"
	if built search && [ -d "$KM" ]; then
		"$RUNLAT" -r "$SEARCH_REPEAT" -w 1 -- "$PMKB" --db "$KM" search {} <"$DIR/terms-$N" >"$DIR/search-pmkb-$N.lat" 2>>"$LOG"
		SP=$(lat search-pmkb-$N)
	else
		SP="n/a (not built)"
	fi
	if [ "$HAVE_NOTMUCH" = 1 ] && [ -d "$C/maildir/.notmuch" ]; then
		NOTMUCH_CONFIG=$NMCFG "$RUNLAT" -r "$SEARCH_REPEAT" -w 1 -- notmuch search {} <"$DIR/terms-$N" >"$DIR/search-notmuch-$N.lat" 2>>"$LOG"
		export NOTMUCH_CONFIG="$NMCFG"
		SN=$(lat search-notmuch-$N)
		unset NOTMUCH_CONFIG
	else
		SN="n/a (notmuch not installed)"
	fi
	while IFS= read -r term; do
		hp=-; hn=-
		built search && [ -d "$KM" ] && hp=$("$PMKB" --db "$KM" search "$term" 2>/dev/null | wc -l)
		[ "$HAVE_NOTMUCH" = 1 ] && [ -d "$C/maildir/.notmuch" ] && hn=$(NOTMUCH_CONFIG=$NMCFG notmuch search "$term" 2>/dev/null | wc -l)
		echo "$term:$hp/$hn" >>"$DIR/hits-$N"
	done <"$DIR/terms-$N"
	SEARCH_ROWS="$SEARCH_ROWS| $N | pmkb search | $SP |
| $N | notmuch search | $SN |
"
	log "hits (pmkb lines/notmuch threads): $(tr '\n' ' ' <"$DIR/hits-$N")"
done

# .dmp read: the real kernel triage dump, read again and again
DMP=$TOP/tests/data/dumps/kernel/triage_x64.dmp
if [ -f "$DMP" ] && built sig; then
	echo "$DMP" | "$RUNLAT" -r 50 -w 2 -- "$PMKB" sig {} >"$DIR/sig-dmp.lat" 2>>"$LOG"
	SIGDMP=$(lat sig-dmp)
elif [ -f "$DMP" ]; then
	SIGDMP="n/a (not built)"
else
	SIGDMP="n/a (tests/data/dumps/kernel/triage_x64.dmp not in the tree yet)"
fi

# the machine and the versions, so a reader can compare like with like
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
memkb=$(awk '/MemTotal/ { print $2 }' /proc/meminfo)
ver() { pkg-config --modversion "$1" 2>/dev/null || echo "?"; }
{
	echo "Run $(date -u '+%Y-%m-%d %H:%M UTC'); sizes: $SIZES threads; seed $SEED; $QUERIES match queries; each search term $SEARCH_REPEAT times."
	echo
	echo "Machine: $(nproc) CPUs ($cpu), $((memkb / 1024)) MB memory, Linux $(uname -r); the CPUs are shared with other jobs, so CPU seconds are steadier than wall seconds."
	echo "Versions: $("$PMKB" --version 2>/dev/null | head -n 1), SQLite $(ver sqlite3), Xapian $(ver xapian-core), GMime $(ver gmime-3.0), $(notmuch --version 2>/dev/null || echo 'notmuch not installed')."
	echo
	echo "Corpus (pmkb-gen, thread export and maildir of the same threads):"
	echo
	echo "| threads | mails | analyses | export MB | maildir MB | generator |"
	echo "|---:|---:|---:|---:|---:|---|"
	printf '%s' "$CORPUS_ROWS"
	echo
	echo "Import (one process, page cache warm; threads/s and MB/s on wall time; peak RSS from \`/usr/bin/time -v\`):"
	echo
	echo "| threads | command | wall s | CPU s | threads/s | MB/s | peak RSS MB |"
	echo "|---:|---|---:|---:|---:|---:|---:|"
	printf '%s' "$IMPORT_ROWS"
	echo
	echo "Database size:"
	echo
	echo "| threads | database | MB | KB per case |"
	echo "|---:|---|---:|---:|"
	printf '%s' "$DB_ROWS"
	echo
	echo "\`pmkb match\` latency, one process per query, as a user sees it (ms: p50 / p95 / p99 / mean):"
	echo
	echo "| threads | queries | latency |"
	echo "|---:|---:|---|"
	printf '%s' "$MATCH_ROWS"
	echo
	echo "Search latency, one process per query, terms: $(tr '\n' ' ' <"$DIR/terms-$(echo "$SIZES" | awk '{ print $NF }')" | sed 's/ $//') (ms: p50 / p95 / p99 / mean):"
	echo
	echo "| threads | command | latency |"
	echo "|---:|---|---|"
	printf '%s' "$SEARCH_ROWS"
	echo
	echo "Hits per term (pmkb output lines / notmuch threads): $(for N in $SIZES; do printf '%s: %s; ' "$N" "$(tr '\n' ' ' <"$DIR/hits-$N" | sed 's/ $//')"; done)"
	echo
	echo "Other figures:"
	echo
	echo "| threads | figure | value |"
	echo "|---:|---|---|"
	printf '%s' "$EXTRA_ROWS"
	echo "| - | \`pmkb sig\` on tests/data/dumps/kernel/triage_x64.dmp (ms p50 / p95 / p99 / mean) | $SIGDMP |"
	echo
	echo "Commands (scratch directory \`$(basename "$DIR")\`):"
	echo
	echo '```'
	echo "pmkb-gen --seed $SEED --threads N --format both --out corpus-N --queries $QUERIES"
	echo "/usr/bin/time -v pmkb --db kb-thread-N import --format thread corpus-N/threads"
	echo "/usr/bin/time -v pmkb --db kb-mail-N import --format maildir corpus-N/maildir"
	echo "NOTMUCH_CONFIG=notmuch-N.config /usr/bin/time -v notmuch new --quiet    # database.path = corpus-N/maildir"
	echo "pmkb-runlat -- pmkb --db kb-thread-N match {} < queries-N.list      # one line per query file"
	echo "pmkb-runlat -r $SEARCH_REPEAT -w 1 -- pmkb --db kb-mail-N search {} < terms-N"
	echo "NOTMUCH_CONFIG=notmuch-N.config pmkb-runlat -r $SEARCH_REPEAT -w 1 -- notmuch search {} < terms-N"
	echo '```'
} >"$OUT"
cat "$OUT"

# splice the results into FILE between the markers (the rest is prose)
if [ -n "$WRITE" ]; then
	if ! grep -q '^<!-- bench:begin -->' "$WRITE" 2>/dev/null; then
		printf '\n## Results\n\n<!-- bench:begin -->\n<!-- bench:end -->\n' >>"$WRITE"
	fi
	awk -v res="$OUT" '
		/^<!-- bench:begin -->/ { print; while ((getline l < res) > 0) print l; skip = 1; next }
		/^<!-- bench:end -->/ { skip = 0 }
		!skip { print }' "$WRITE" >"$WRITE.tmp" && mv "$WRITE.tmp" "$WRITE"
	echo "bench: results written to $WRITE" >&2
fi
exit 0
