#!/bin/sh
# calibrate.sh - fit the match confidence (docs/matching.md, "Calibration"):
# a Platt fit P(top case shares the root cause) = 1 / (1 + exp(-(A s + B)))
# of the score s the verdict reads, on the leave-one-out rows of labelled
# sets, reported on other sets held out.
#
#   scripts/calibrate.sh [-p PMKB] FIT_SET... -- HELD_OUT_SET...
#   scripts/calibrate.sh [-p PMKB] SET...   (rows alternate: odd fit, even held out)
#   scripts/calibrate.sh [-p PMKB] -s SET... (pmkb eval --split: whole clusters
#                                             "fit" for the fit, "test" held out)
#
# A set is "LABELS.tsv" or "DATA_DIR:LABELS.tsv" (pmkb eval --data). Rules
# are off (the confidence without a rule is what is calibrated). A row is
# positive when its top case (rank 1) is of its own cluster. Prints A, B,
# the parameters for pmkb (calib_k = A, t_similar = -B/A, t_known where the
# confidence is 0.9) and, on each part, the log loss, the Brier score, the
# expected calibration error over 10 bins and the AUC of the confidence.
set -eu
PMKB=${PMKB:-./pmkb}
if [ "${1:-}" = -p ]; then PMKB=$2; shift 2; fi
SPLIT=0
if [ "${1:-}" = -s ]; then SPLIT=1; shift; fi
rows() { # set [eval options] -> "s label" lines
	set_=$1
	shift
	case "$set_" in
	*:*) "$PMKB" eval --json --rules /dev/null "$@" --data "${set_%%:*}" "${set_#*:}" ;;
	*) "$PMKB" eval --json --rules /dev/null "$@" "$set_" ;;
	esac | jq -r '.rows[] | "\(.similarity) \(if .rank == 1 then 1 else 0 end)"'
}
fit=$(mktemp) held=$(mktemp)
trap 'rm -f "$fit" "$held"' EXIT
out=$fit split=1
for a in "$@"; do [ "$a" = -- ] && split=0; done
[ $SPLIT = 1 ] && split=0
for a in "$@"; do
	if [ "$a" = -- ]; then out=$held; continue; fi
	if [ $SPLIT = 1 ]; then
		rows "$a" --split fit >>"$fit"
		rows "$a" --split test >>"$held"
	else
		rows "$a" >>"$out"
	fi
done
if [ $split = 1 ]; then
	all=$(mktemp)
	mv "$fit" "$all"
	awk 'NR % 2 == 1' "$all" >"$fit"
	awk 'NR % 2 == 0' "$all" >"$held"
	rm -f "$all"
fi
[ -s "$fit" ] || { echo "calibrate.sh: no rows to fit" >&2; exit 64; }
awk -v HELD="$held" '
function sig(z) { return 1 / (1 + exp(-z)) }
function obj(a, b,    i, p, t, f) { # cross-entropy against the smoothed targets
	f = 0
	for (i = 1; i <= n; i++) {
		t = y[i] ? hi : lo; p = sig(a * s[i] + b)
		if (p < 1e-12) p = 1e-12; if (p > 1 - 1e-12) p = 1 - 1e-12
		f -= t * log(p) + (1 - t) * log(1 - p)
	}
	return f
}
function report(name, n, s, y,    i, j, p, ll, br, b, cnt, sp, sy, ece, pos, neg, w) {
	ll = br = 0
	for (b = 0; b < 10; b++) { cnt[b] = sp[b] = sy[b] = 0 }
	for (i = 1; i <= n; i++) {
		p = sig(A * s[i] + B)
		if (p < 1e-9) p = 1e-9; if (p > 1 - 1e-9) p = 1 - 1e-9
		ll -= y[i] ? log(p) : log(1 - p)
		br += (p - y[i]) ^ 2
		b = int(p * 10); if (b > 9) b = 9
		cnt[b]++; sp[b] += p; sy[b] += y[i]
	}
	ece = 0
	for (b = 0; b < 10; b++) if (cnt[b]) ece += cnt[b] / n * ((sp[b] - sy[b]) / cnt[b] >= 0 ? (sp[b] - sy[b]) / cnt[b] : (sy[b] - sp[b]) / cnt[b])
	pos = neg = w = 0
	for (i = 1; i <= n; i++) for (j = 1; j <= n; j++) if (y[i] && !y[j]) {
		pos++
		if (s[i] > s[j] + 1e-12) w += 1; else if (s[i] > s[j] - 1e-12) w += 0.5
	}
	printf "%s: %d rows, %d positive: log loss %.3f  Brier %.3f  ECE %.3f  AUC %s\n", name, n, np, ll / n, br / n, ece, pos ? sprintf("%.3f", w / pos) : "-"
	for (b = 0; b < 10; b++) if (cnt[b]) printf "  confidence %.1f-%.1f: %3d rows, mean %.2f, observed %.2f\n", b / 10, (b + 1) / 10, cnt[b], sp[b] / cnt[b], sy[b] / cnt[b]
}
{ n++; s[n] = $1; y[n] = $2; np += $2 }
END {
	# Platt (1999): targets smoothed by the class counts, Newton steps
	hi = (np + 1) / (np + 2); lo = 1 / (n - np + 2)
	A = 0; B = log((n - np + 1) / (np + 1))
	f0 = obj(A, B)
	for (it = 0; it < 200; it++) {
		g1 = g2 = h11 = h22 = h21 = 0
		for (i = 1; i <= n; i++) {
			t = y[i] ? hi : lo; p = sig(A * s[i] + B); d = p - t; w = p * (1 - p)
			g1 += s[i] * d; g2 += d; h11 += s[i] * s[i] * w + 1e-12; h22 += w + 1e-12; h21 += s[i] * w
		}
		det = h11 * h22 - h21 * h21
		if (det <= 0) break
		dA = (h22 * g1 - h21 * g2) / det; dB = (h11 * g2 - h21 * g1) / det
		# backtracking: a Newton step that does not lower the loss is halved
		for (step = 1; step > 1e-10; step /= 2) {
			f1 = obj(A - step * dA, B - step * dB)
			if (f1 < f0 + 1e-4 * step * (g1 * -dA + g2 * -dB)) break
		}
		if (step <= 1e-10) break
		A -= step * dA; B -= step * dB; f0 = f1
		if (step * step * (dA * dA + dB * dB) < 1e-18) break
	}
	printf "A %.4f  B %.4f\n", A, B
	if (A > 0) printf "pmkb parameters: calib_k=%.2f,t_similar=%.3f,t_known=%.3f\n", A, -B / A, (log(9) - B) / A
	report("fit", n, s, y)
	m = 0; mp = 0
	while ((getline line < HELD) > 0) { split(line, f, " "); m++; hs[m] = f[1]; hy[m] = f[2]; mp += f[2] }
	np = mp
	if (m) report("held out", m, hs, hy)
}' "$fit"
