#!/bin/sh
# bench.sh - pmkb benchmarks on generated corpora, side by side with notmuch on
# the same maildir: import throughput and memory, database size, match, search
# and .dmp latency. Called by `make bench`, `make bench-smoke`, `make bench-large`;
# what it measures and how is in docs/benchmarks.md.
#
# usage: bench.sh --gen PMKB-GEN --pmkb PMKB --dir SCRATCH [--sizes "10000 100000"]
#                 [--queries 1000] [--search-repeat 20] [--seed S] [--eval-max N]
#                 [--write FILE] [--smoke] [--thread-only]
# --thread-only: the thread export only, no maildir and so no notmuch (the
# 1M run of `make bench-large`: 8.6M mail files would take notmuch hours).
# A pmkb command that is not built yet shows as "n/a (not built)".
set -u

GEN=; PMKB=; DIR=; SIZES="10000 100000"; QUERIES=1000; SEARCH_REPEAT=20; SEED=20260101
WRITE=; SMOKE=0; EVAL_MAX=2000; IR_Q=10; FORMAT=both
while [ $# -gt 0 ]; do
	case "$1" in
	--gen) GEN=$2; shift ;;
	--pmkb) PMKB=$2; shift ;;
	--dir) DIR=$2; shift ;;
	--sizes) SIZES=$2; shift ;;
	--queries) QUERIES=$2; shift ;;
	--search-repeat) SEARCH_REPEAT=$2; shift ;;
	--seed) SEED=$2; shift ;;
	--eval-max) EVAL_MAX=$2; shift ;;
	--write) WRITE=$2; shift ;;
	--smoke) SMOKE=1 ;;
	--thread-only) FORMAT=thread ;;
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
	SEARCH_REPEAT=2; IR_Q=2
fi
TOP=$(cd "$(dirname "$0")/.." && pwd)
abspath() { case "$1" in /*) echo "$1" ;; *) echo "$(pwd)/$1" ;; esac; }
GEN=$(abspath "$GEN"); PMKB=$(abspath "$PMKB")
RUNLAT=$(dirname "$GEN")/pmkb-runlat
HTTPLAT=$(dirname "$GEN")/pmkb-httplat
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
command -v notmuch >/dev/null 2>&1 && [ "$FORMAT" = both ] && HAVE_NOTMUCH=1

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
	T_NA=0
	grep -q "not built yet" "$DIR/$name.err" && T_NA=1
	return 0
}

# outcome: the table cell for a failed timed run
outcome() { if [ "$T_NA" = 1 ]; then echo "n/a (not built)"; else echo "failed (exit $T_RC)"; fi; }

# per-second and per-MB figures; "-" when there is nothing to divide
rate() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f", a / b; else printf "-" }'; }
rate1() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else printf "-" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else printf "-" }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
dir_bytes() { du -sb --exclude=.notmuch "$1" 2>/dev/null | awk '{ print $1 }'; }

# lat NAME: "p50 / p95 / p99 / mean" in ms, wall then CPU, from a
# pmkb-runlat line in $DIR/NAME.lat
lat() {
	l=$(cat "$DIR/$1.lat" 2>/dev/null)
	case "$l" in runs=*) ;; *) echo "- | -"; return ;; esac
	echo "$l" | awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		printf "%s / %s / %s / %s", v["p50"], v["p95"], v["p99"], v["mean"];
		if (v["fails"] > 0) printf " (%s failed: exit %s)", v["fails"], v["exit"]
		printf " | %s / %s / %s / %s", v["cpu_p50"], v["cpu_p95"], v["cpu_p99"], v["cpu_mean"] }'
}

# import_rows LABEL KB INPUT_BYTES: the import and database-size rows of the
# pmkb import just timed (LABEL: "thread export" or "maildir")
import_rows() {
	if [ "$T_RC" -eq 0 ]; then
		IMPORT_ROWS="$IMPORT_ROWS| $N | pmkb import ($1) | $T_WALL | $T_CPU | $(rate "$N" "$T_WALL") | $(rate1 "$(mb "$3")" "$T_WALL") | $T_RSS_MB |
"
		DB_ROWS="$DB_ROWS| $N | pmkb ($1) | $(mb "$(dir_bytes "$2")") | $(rate1 "$(dir_bytes "$2")" "$((N * 1024))") |
"
	else
		IMPORT_ROWS="$IMPORT_ROWS| $N | pmkb import ($1) | $(outcome) | | | | |
"
	fi
}

# irs CMD...: instructions executed by CMD (callgrind), "-" without valgrind
irs() {
	command -v valgrind >/dev/null 2>&1 || { echo "-"; return; }
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
		sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' | tail -n 1
}

IMPORT_ROWS=; ACC_ROWS=; MATCH_ROWS=; SEARCH_ROWS=; CORPUS_ROWS=; DB_ROWS=; EXTRA_ROWS=
SERVE_ROWS=

for N in $SIZES; do
	C=$DIR/corpus-$N
	stamp="pmkb-gen $(cksum <"$GEN" | cut -d' ' -f1) --seed $SEED --threads $N --queries $QUERIES"
	[ "$FORMAT" = both ] || stamp="$stamp --format $FORMAT"
	if [ "$(cat "$C/.stamp" 2>/dev/null)" != "$stamp" ]; then
		rm -rf "$C"
		log "generating $N threads"
		timed gen-$N "$GEN" --seed "$SEED" --threads "$N" --format "$FORMAT" --out "$C" --queries "$QUERIES"
		[ "$T_RC" -eq 0 ] || { echo "bench.sh: the generator failed, see $LOG" >&2; exit 70; }
		echo "$stamp" >"$C/.stamp"
		GEN_NOTE="$(rate "$N" "$T_WALL") threads/s"
	else
		GEN_NOTE="reused"
	fi
	nmails=-
	[ -d "$C/maildir" ] && nmails=$(find "$C/maildir/cur" "$C/maildir/new" -type f | wc -l)
	nan=$(grep -vc '^#' "$C/labels.tsv"); nan=$((nan - 1))
	tbytes=$(dir_bytes "$C/threads"); mbytes=0
	[ -d "$C/maildir" ] && mbytes=$(dir_bytes "$C/maildir")
	CORPUS_ROWS="$CORPUS_ROWS| $N | $nmails | $nan | $(mb "$tbytes") | $(mb "$mbytes") | $GEN_NOTE |
"
	# both sides read from the page cache, not the disk
	find "$C/threads" $([ -d "$C/maildir" ] && echo "$C/maildir") -type f -print0 | xargs -0 cat >/dev/null

	KT=$DIR/kb-thread-$N; KM=$DIR/kb-mail-$N
	if built import; then
		rm -rf "$KT" "$KM"
		timed import-thread-$N "$PMKB" --db "$KT" import --format thread "$C/threads"
		PT_WALL=$T_WALL; PT_CPU=$T_CPU; PT_RC=$T_RC
		import_rows "thread export" "$KT" "$tbytes"
		PM_WALL=0; PM_CPU=0; PM_RC=1 # --thread-only: no maildir
		if [ "$FORMAT" = both ]; then
			timed import-mail-$N "$PMKB" --db "$KM" import --format maildir "$C/maildir"
			PM_WALL=$T_WALL; PM_CPU=$T_CPU; PM_RC=$T_RC
			import_rows maildir "$KM" "$mbytes"
		fi
	else
		PM_RC=1; PM_WALL=0; PM_CPU=0; PT_RC=1; PT_WALL=0; PT_CPU=0
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
			NM_CPU=$T_CPU
			[ "$PM_RC" -eq 0 ] && EXTRA_ROWS="$EXTRA_ROWS| $N | import speed, notmuch new / pmkb import, same maildir (wall; CPU); > 1 = pmkb faster | $(ratio "$NM_WALL" "$PM_WALL"); $(ratio "$NM_CPU" "$PM_CPU") |
"
			[ "$PT_RC" -eq 0 ] && EXTRA_ROWS="$EXTRA_ROWS| $N | import speed, notmuch new (maildir) / pmkb import (thread export of the same mails) (wall; CPU) | $(ratio "$NM_WALL" "$PT_WALL"); $(ratio "$NM_CPU" "$PT_CPU") |
"
		else
			IMPORT_ROWS="$IMPORT_ROWS| $N | notmuch new (maildir) | $(outcome) | | | | |
"
		fi
	fi

	# process start floor: what any one-shot pmkb command costs before work
	echo x | "$RUNLAT" -r 50 -- "$PMKB" --version >"$DIR/version-$N.lat" 2>>"$LOG"
	EXTRA_ROWS="$EXTRA_ROWS| $N | pmkb --version: process start floor (wall ms p50 / p95 / p99 / mean \\| CPU ms; instructions) | $(lat version-$N | sed 's/ | / \\| /'); $(irs "$PMKB" --version) |
"

	# match: the held-out queries (new dumps, 9 in 10 of known causes)
	if built match && [ -d "$KT" ]; then
		ls "$C"/queries/q*.txt | head -n "$QUERIES" >"$DIR/queries-$N.list"
		# the index read once, as the import's input was: a knowledge base
		# in use is in the page cache, a just-written one may not be
		cat "$KT"/xapian/* "$KT"/kb.sqlite >/dev/null 2>&1
		"$RUNLAT" -w 0 -- "$PMKB" --db "$KT" match {} <"$DIR/queries-$N.list" >"$DIR/match-$N.lat" 2>>"$LOG"
		# instruction counts: repeatable whatever the load of the machine
		irm=$(head -n "$IR_Q" "$DIR/queries-$N.list" | while read -r q; do irs "$PMKB" --db "$KT" match "$q"; done |
			awk '$1 > 0 { s += $1; n++; if ($1 > m) m = $1 } END { if (n) printf "%.1f M mean, %.1f M max (%d queries)", s / n / 1e6, m / 1e6, n; else printf "-" }')
		MATCH_ROWS="$MATCH_ROWS| $N | $(wc -l <"$DIR/queries-$N.list") | $(lat match-$N) | $irm |
"
		# accuracy on the same held-out queries: is a case of the right
		# cause ranked first; do unseen causes get the verdict "new"
		if command -v jq >/dev/null 2>&1; then
			awk -F'\t' '!/^#/ && $1 != "seed" { print $4 "\t" $8 }' "$C/labels.tsv" | sort -u >"$DIR/case-cluster-$N"
			: >"$DIR/match-top-$N"
			while read -r q; do
				"$PMKB" --db "$KT" match --json "$q" 2>/dev/null |
					jq -r --arg q "queries/$(basename "$q")" '(if .results then .results[0].result else . end) as $r | [$q, $r.verdict, ([$r.matches[].case] | join(" "))] | @tsv' >>"$DIR/match-top-$N"
			done <"$DIR/queries-$N.list"
			acc=$(awk -F'\t' 'FILENAME == ARGV[1] { cc[$1 SUBSEP $2] = 1; next }
				FILENAME == ARGV[2] { if (!/^#/ && $1 != "seed") want[$1] = $8; next }
				{ w = want[$1]; n = split($3, cs, " ")
				  if (w ~ /^unseen-/) { nu++; if ($2 == "new") un++; next }
				  nk++; if ($2 != "new") kn++
				  for (i = 1; i <= n; i++) if ((cs[i] SUBSEP w) in cc) { rr += 1 / i; if (i == 1) r1++; break } }
				END { d = nk ? nk : 1; e = nu ? nu : 1
				  printf "%d of known causes: RR@1 %.3f, MRR %.3f, verdict not \"new\" %.3f; %d of unseen causes: verdict \"new\" %.3f",
					nk, r1 / d, rr / d, kn / d, nu, un / e }' \
				"$DIR/case-cluster-$N" "$C/queries.tsv" "$DIR/match-top-$N")
			ACC_ROWS="$ACC_ROWS| $N | held-out queries, \`pmkb match --json\` | $acc |
"
		fi
	else
		MATCH_ROWS="$MATCH_ROWS| $N | - | n/a (not built) | | |
"
	fi
	# the same queries to a resident server (pmkb serve): POST /api/match
	# over kept-alive loopback connections, one client three passes (the
	# first with the workers' caches empty, the third as a server that has
	# run a while answers), then 4 at once
	if [ -x "$HTTPLAT" ] && [ -d "$KT" ] && [ -s "$DIR/queries-$N.list" ] && "$PMKB" serve --help >/dev/null 2>&1; then
		"$PMKB" --db "$KT" serve --listen 127.0.0.1:0 --threads "$(nproc)" >"$DIR/serve-$N.out" 2>>"$LOG" &
		SVP=$!
		i=0
		until grep -q 'listening on' "$DIR/serve-$N.out" 2>/dev/null || [ $i -gt 300 ]; do sleep 0.1; i=$((i + 1)); done
		SVU=$(sed -n 's|.*listening on \(http://[^ ]*\)/ .*|\1|p' "$DIR/serve-$N.out")
		for run in 1 2 3 4; do
			c=1 what="1, pass $run"
			[ $run -eq 1 ] && what="1, pass 1 (cold)"
			[ $run -eq 3 ] && what="1, pass 3 (warm)"
			[ $run -eq 4 ] && c=4 what=4
			# the server's CPU time over the run (utime + stime, clock ticks)
			t0=$(awk '{ print $14 + $15 }' "/proc/$SVP/stat" 2>/dev/null || echo 0)
			"$HTTPLAT" -c $c -w 5 "$SVU/api/match" <"$DIR/queries-$N.list" >"$DIR/serve-$N-r$run.lat" 2>>"$LOG"
			t1=$(awk '{ print $14 + $15 }' "/proc/$SVP/stat" 2>/dev/null || echo 0)
			[ $run -eq 2 ] && continue # between the cold and the warm pass
			SERVE_ROWS="$SERVE_ROWS| $N | $what | $(awk -v ticks="$((t1 - t0))" -v hz="$(getconf CLK_TCK)" -v c=$c '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
				printf "%s / %s / %s / %s | %.2f | %s | %s", v["p50"], v["p95"], v["p99"], v["mean"], ticks * 1000 / hz / (v["runs"] + 5 * c), v["rps"], v["fails"] }' "$DIR/serve-$N-r$run.lat") |
"
		done
		kill "$SVP" 2>/dev/null
		wait "$SVP" 2>/dev/null
	fi
	# leave-one-out over the labelled corpus (pmkb eval builds its own
	# temporary knowledge base, one case per analysis)
	if [ "$N" -le "$EVAL_MAX" ] && built eval; then
		timed eval-$N "$PMKB" eval --data "$C" "$C/labels.tsv"
		if [ "$T_RC" -eq 0 ]; then
			ACC_ROWS="$ACC_ROWS| $N | \`pmkb eval labels.tsv\` ($T_WALL s) | $(grep -v '^$' "$DIR/eval-$N.out" | tr '\n' ';' | sed 's/;$//; s/;/; /g') |
"
		else
			ACC_ROWS="$ACC_ROWS| $N | \`pmkb eval labels.tsv\` | $(outcome) |
"
		fi
	fi

	# clusters: every analysis of the thread-export import grouped
	# (pmkb-clusters(1)); the pairs scored are the bounded work
	if built clusters && [ -d "$KT" ]; then
		timed clusters-$N "$PMKB" --db "$KT" clusters --json
		if [ "$T_RC" -eq 0 ]; then
			EXTRA_ROWS="$EXTRA_ROWS| $N | pmkb clusters (thread export): analyses, clusters of 2+ (wall s; CPU s; peak RSS MB) | $(jq -r '"\(.analyses) analyses, \(.clusters | length) clusters"' "$DIR/clusters-$N.out"); $T_WALL; $T_CPU; $T_RSS_MB |
"
		else
			EXTRA_ROWS="$EXTRA_ROWS| $N | pmkb clusters (thread export) | $(outcome) |
"
		fi
	fi

	# search: the same terms in both, each SEARCH_REPEAT times
	cid=$(awk -F'\t' '!/^#/ && $1 != "seed" && $4 != "-" { print $4; exit }' "$C/labels.tsv")
	mod=$(awk -F'\t' '!/^#/ && $1 != "seed" && $8 !~ /^singleton/ { split($7, m, ";"); c[m[1]]++ } END { for (k in c) if (c[k] < 5) print k }' "$C/labels.tsv" | LC_ALL=C sort | head -n 1)
	printf '%s\n' vwifimf nwifi DRIVER_IRQL_NOT_LESS_OR_EQUAL KeBugCheckEx "$cid" "${mod:-lwfmgr}" special 蓝屏 >"$DIR/terms-$N"
	: >"$DIR/hits-$N"
	# search the maildir import (the same mail notmuch indexed); until mail
	# import is built, the thread-export import of the same cases
	KS=$KM; KS_NOTE="maildir import"
	[ "$PM_RC" -eq 0 ] || { KS=$KT; KS_NOTE="thread-export import: maildir import failed or not built"; }
	[ "$FORMAT" = both ] || KS_NOTE="thread-export import (--thread-only)"
	if built search && [ -d "$KS" ]; then
		"$RUNLAT" -r "$SEARCH_REPEAT" -w 1 -- "$PMKB" --db "$KS" search {} <"$DIR/terms-$N" >"$DIR/search-pmkb-$N.lat" 2>>"$LOG"
		SP=$(lat search-pmkb-$N)
	else
		SP="n/a (not built) | -"
	fi
	if [ "$HAVE_NOTMUCH" = 1 ] && [ -d "$C/maildir/.notmuch" ]; then
		NOTMUCH_CONFIG=$NMCFG "$RUNLAT" -r "$SEARCH_REPEAT" -w 1 -- notmuch search --limit=20 {} <"$DIR/terms-$N" >"$DIR/search-notmuch-$N.lat" 2>>"$LOG"
		export NOTMUCH_CONFIG="$NMCFG"
		SN=$(lat search-notmuch-$N)
		unset NOTMUCH_CONFIG
	else
		SN="n/a (notmuch not installed) | -"
	fi
	while IFS= read -r term; do
		hp=-; hn=-
		built search && [ -d "$KS" ] && hp=$("$PMKB" --db "$KS" search --json "$term" 2>/dev/null | jq -r '.estimated // "?"' 2>/dev/null)
		[ "$HAVE_NOTMUCH" = 1 ] && [ -d "$C/maildir/.notmuch" ] && hn=$(NOTMUCH_CONFIG=$NMCFG notmuch count --output=threads "$term" 2>/dev/null)
		echo "$term:$hp/$hn" >>"$DIR/hits-$N"
	done <"$DIR/terms-$N"
	SEARCH_ROWS="$SEARCH_ROWS| $N | pmkb search ($KS_NOTE) | $SP |
| $N | notmuch search | $SN |
"
	log "hits (pmkb estimated/notmuch threads): $(tr '\n' ' ' <"$DIR/hits-$N")"
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
	echo "Versions: $("$PMKB" --version 2>/dev/null | head -n 1) (tree $(git -C "$TOP" log -1 --format=%h 2>/dev/null || echo '?')), SQLite $(ver sqlite3), Xapian $(ver xapian-core), GMime $(ver gmime-3.0), $(notmuch --version 2>/dev/null || echo 'notmuch not installed')."
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
	echo "\`pmkb match\` latency, one process per query, as a user sees it (ms: p50 / p95 / p99 / mean); the CPU time of the process (user + system), which waiting for a busy CPU does not inflate; instructions per query (callgrind):"
	echo
	echo "| threads | queries | wall ms | CPU ms | instructions |"
	echo "|---:|---:|---|---|---|"
	printf '%s' "$MATCH_ROWS"
	echo
	if [ -n "${SERVE_ROWS:-}" ]; then
		echo "\`pmkb serve\`: the same queries as \`POST /api/match\` to a resident server on loopback, kept-alive connections, $(nproc) worker threads (ms: p50 / p95 / p99 / mean, each request as its client saw it; the server process's CPU time over the run per request, warm-up included; requests per second over the run):"
		echo
		echo "| threads | clients (pass) | wall ms | server CPU ms per request | requests/s | failed |"
		echo "|---:|---:|---|---:|---:|---:|"
		printf '%s' "$SERVE_ROWS"
		echo
	fi
	echo "Ranking quality on the generated corpus (synthetic causes are cleaner than real ones: these figures check that quality holds with scale, not the quality itself; see tests/data/eval for the real seeds):"
	echo
	echo "| threads | measure | result |"
	echo "|---:|---|---|"
	printf '%s' "$ACC_ROWS"
	echo
	echo "Search latency, one process per query, terms: $(tr '\n' ' ' <"$DIR/terms-$(echo "$SIZES" | awk '{ print $NF }')" | sed 's/ $//') (ms: p50 / p95 / p99 / mean):"
	echo
	echo "| threads | command | wall ms | CPU ms |"
	echo "|---:|---|---|---|"
	printf '%s' "$SEARCH_ROWS"
	echo
	echo "Matching cases per term (pmkb search --json .estimated / notmuch count --output=threads): $(for N in $SIZES; do printf '%s: %s; ' "$N" "$(tr '\n' ' ' <"$DIR/hits-$N" | sed 's/ $//')"; done)"
	echo
	echo "Other figures:"
	echo
	echo "| threads | figure | value |"
	echo "|---:|---|---|"
	printf '%s' "$EXTRA_ROWS"
	echo "| - | \`pmkb sig\` on tests/data/dumps/kernel/triage_x64.dmp, 50 runs (wall ms p50 / p95 / p99 / mean \\| CPU ms) | $(echo "$SIGDMP" | sed 's/ | / \\| /') |"
	echo
	echo "Commands (scratch directory \`$(basename "$DIR")\`):"
	echo
	echo '```'
	echo "pmkb-gen --seed $SEED --threads N --format both --out corpus-N --queries $QUERIES"
	echo "/usr/bin/time -v pmkb --db kb-thread-N import --format thread corpus-N/threads"
	echo "/usr/bin/time -v pmkb --db kb-mail-N import --format maildir corpus-N/maildir"
	echo "NOTMUCH_CONFIG=notmuch-N.config /usr/bin/time -v notmuch new --quiet    # database.path = corpus-N/maildir"
	echo "pmkb-runlat -- pmkb --db kb-thread-N match {} < queries-N.list      # one line per query file"
	echo "pmkb-runlat -r $SEARCH_REPEAT -w 1 -- pmkb --db kb-mail-N search {} < terms-N        # 20 results by default"
	echo "NOTMUCH_CONFIG=notmuch-N.config pmkb-runlat -r $SEARCH_REPEAT -w 1 -- notmuch search --limit=20 {} < terms-N"
	echo "pmkb --db kb-thread-N serve --listen 127.0.0.1:0 & pmkb-httplat -c 1 -w 5 URL/api/match < queries-N.list (three times), then -c 4"
	echo "pmkb --db kb-thread-N match --json QUERY    # accuracy: top case's clusters (labels.tsv) vs queries.tsv"
	echo "pmkb eval --data corpus-N corpus-N/labels.tsv    # leave-one-out, sizes up to $EVAL_MAX threads"
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
