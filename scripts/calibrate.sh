#!/bin/sh
# calibrate.sh - fit the match confidence (docs/matching.md, "Calibration"):
# a Platt fit P(top case shares the root cause) = 1 / (1 + exp(-(A s + B)))
# of the score s the verdict reads, on the leave-one-out rows of labelled
# sets, reported on other sets held out.
#
#   scripts/calibrate.sh [-p PMKB] [-f F,...] FIT_SET... -- HELD_OUT_SET...
#   scripts/calibrate.sh [-p PMKB] [-f F,...] SET...   (rows alternate: odd fit, even held out)
#   scripts/calibrate.sh [-p PMKB] [-f F,...] -s SET... (pmkb eval --split: whole clusters
#                                             "fit" for the fit, "test" held out)
#
# A set is "LABELS.tsv" or "DATA_DIR:LABELS.tsv" (pmkb eval --data). Rules
# are off (the confidence without a rule is what is calibrated). A row is
# positive when its top case (rank 1) is of its own cluster. Prints A, B,
# the parameters for pmkb (calib_k = A, t_similar = -B/A, t_known where the
# confidence is 0.9) and, on each part, the log loss, the Brier score, the
# expected calibration error over 10 bins, the AUC of the confidence (top
# case right against the other rows) and the AUC pmkb eval prints (rows
# with a cluster-mate against those without).
#
# -f F,... adds the named features of each row (pmkb eval --json, rows[].
# features: what agrees between the query and its top case, e.g. margin,
# text_only, code_diff) to the model: P = 1 / (1 + exp(-(A s + B + sum w_f
# f))), the w_f with an L2 penalty of RIDGE (default 0.1) each. pmkb's
# confidence reads the score alone: this is for measuring what evidence
# would add (docs/matching.md, "Which evidence agrees").
set -eu
PMKB=${PMKB:-./pmkb}
if [ "${1:-}" = -p ]; then PMKB=$2; shift 2; fi
FEATS=
if [ "${1:-}" = -f ]; then FEATS=$2; shift 2; fi
RIDGE=${RIDGE:-0.1}
SPLIT=0
if [ "${1:-}" = -s ]; then SPLIT=1; shift; fi
rows() { # set [eval options] -> "s label" lines
	set_=$1
	shift
	case "$set_" in
	*:*) "$PMKB" eval --json --rules /dev/null "$@" --data "${set_%%:*}" "${set_#*:}" ;;
	*) "$PMKB" eval --json --rules /dev/null "$@" "$set_" ;;
	esac | jq -r --arg f "$FEATS" '($f | split(",") | map(select(. != ""))) as $fs |
		.rows[] | . as $r | ([.similarity, (if .rank == 1 then 1 else 0 end),
		(if .mates > 0 then 1 else 0 end)] + [$fs[] | $r.features[.]]) | map(tostring) | join(" ")'
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
awk -v HELD="$held" -v FEATS="$FEATS" -v RIDGE="$RIDGE" '
function sig(z) { return 1 / (1 + exp(-z)) }
function z(x, i,    k, v) { # the model on row i of x (x[i, 0] = 1, x[i, 1] = s, x[i, 1 + f])
	v = 0
	for (k = 0; k < m; k++) v += w[k] * x[i, k]
	return v
}
function obj(    i, p, t, f, k) { # cross-entropy against the smoothed targets, plus the ridge
	f = 0
	for (i = 1; i <= n; i++) {
		t = y[i] ? hi : lo; p = sig(z(x, i))
		if (p < 1e-12) p = 1e-12; if (p > 1 - 1e-12) p = 1 - 1e-12
		f -= t * log(p) + (1 - t) * log(1 - p)
	}
	for (k = 2; k < m; k++) f += RIDGE / 2 * w[k] ^ 2
	return f
}
function auc(n, p, pos, neg,    i, j, np_, nn, wn) { # P(a row of pos outranks a row of neg)
	np_ = nn = wn = 0
	for (i = 1; i <= n; i++) for (j = 1; j <= n; j++) if (pos[i] && neg[j]) {
		np_++
		if (p[i] > p[j] + 1e-12) wn += 1; else if (p[i] > p[j] - 1e-12) wn += 0.5
	}
	return np_ ? sprintf("%.3f", wn / np_) : "-"
}
function report(name, n, xx, y, mt,    i, p, pp, ll, br, b, cnt, sp, sy, ece, np_, notr, nomate) {
	ll = br = np_ = 0
	for (b = 0; b < 10; b++) { cnt[b] = sp[b] = sy[b] = 0 }
	for (i = 1; i <= n; i++) {
		p = sig(z(xx, i)); pp[i] = p
		if (p < 1e-9) p = 1e-9; if (p > 1 - 1e-9) p = 1 - 1e-9
		ll -= y[i] ? log(p) : log(1 - p)
		br += (p - y[i]) ^ 2
		b = int(p * 10); if (b > 9) b = 9
		cnt[b]++; sp[b] += p; sy[b] += y[i]
		np_ += y[i]; notr[i] = !y[i]; nomate[i] = !mt[i]
	}
	ece = 0
	for (b = 0; b < 10; b++) if (cnt[b]) ece += cnt[b] / n * ((sp[b] - sy[b]) / cnt[b] >= 0 ? (sp[b] - sy[b]) / cnt[b] : (sy[b] - sp[b]) / cnt[b])
	printf "%s: %d rows, %d positive: log loss %.3f  Brier %.3f  ECE %.3f  AUC %s  AUC with mate %s\n", name, n, np_, ll / n, br / n, ece, auc(n, pp, y, notr), auc(n, pp, mt, nomate)
	for (b = 0; b < 10; b++) if (cnt[b]) printf "  confidence %.1f-%.1f: %3d rows, mean %.2f, observed %.2f\n", b / 10, (b + 1) / 10, cnt[b], sp[b] / cnt[b], sy[b] / cnt[b]
}
{ n++; y[n] = $2; mt[n] = $3; np += $2; x[n, 0] = 1; x[n, 1] = $1; for (k = 4; k <= NF; k++) x[n, k - 2] = $k }
END {
	m = 2 + (FEATS == "" ? 0 : split(FEATS, fname, ","))
	# Platt (1999): targets smoothed by the class counts, Newton steps
	hi = (np + 1) / (np + 2); lo = 1 / (n - np + 2)
	for (k = 0; k < m; k++) w[k] = 0
	w[0] = log((n - np + 1) / (np + 1))
	f0 = obj()
	for (it = 0; it < 200; it++) {
		for (a = 0; a < m; a++) { g[a] = 0; for (b = 0; b < m; b++) h[a, b] = 0 }
		for (i = 1; i <= n; i++) {
			t = y[i] ? hi : lo; p = sig(z(x, i)); d = p - t; v = p * (1 - p)
			for (a = 0; a < m; a++) {
				g[a] += x[i, a] * d
				for (b = 0; b < m; b++) h[a, b] += x[i, a] * x[i, b] * v
			}
		}
		for (a = 0; a < m; a++) h[a, a] += 1e-12
		for (a = 2; a < m; a++) { g[a] += RIDGE * w[a]; h[a, a] += RIDGE }
		# solve h d = g (Gauss-Jordan, partial pivoting)
		for (a = 0; a < m; a++) { for (b = 0; b < m; b++) e[a, b] = h[a, b]; e[a, m] = g[a] }
		sing = 0
		for (c = 0; c < m; c++) {
			piv = c
			for (a = c + 1; a < m; a++) if ((e[a, c] < 0 ? -e[a, c] : e[a, c]) > (e[piv, c] < 0 ? -e[piv, c] : e[piv, c])) piv = a
			if (e[piv, c] == 0) { sing = 1; break }
			for (b = 0; b <= m; b++) { tmp = e[c, b]; e[c, b] = e[piv, b]; e[piv, b] = tmp }
			for (a = 0; a < m; a++) if (a != c) {
				r = e[a, c] / e[c, c]
				for (b = c; b <= m; b++) e[a, b] -= r * e[c, b]
			}
		}
		if (sing) break
		gd = dd = 0
		for (a = 0; a < m; a++) { dl[a] = e[a, m] / e[a, a]; gd += g[a] * -dl[a]; dd += dl[a] ^ 2; w0[a] = w[a] }
		# backtracking: a Newton step that does not lower the loss is halved
		for (step = 1; step > 1e-10; step /= 2) {
			for (a = 0; a < m; a++) w[a] = w0[a] - step * dl[a]
			f1 = obj()
			if (f1 < f0 + 1e-4 * step * gd) break
		}
		if (step <= 1e-10) { for (a = 0; a < m; a++) w[a] = w0[a]; break }
		f0 = f1
		if (step * step * dd < 1e-18) break
	}
	A = w[1]; B = w[0]
	printf "A %.4f  B %.4f\n", A, B
	for (k = 2; k < m; k++) printf "w %s %.4f\n", fname[k - 1], w[k]
	if (A > 0 && m == 2) printf "pmkb parameters: calib_k=%.2f,t_similar=%.3f,t_known=%.3f\n", A, -B / A, (log(9) - B) / A
	report("fit", n, x, y, mt)
	hn = 0
	while ((getline line < HELD) > 0) {
		nf = split(line, f, " "); hn++
		hy[hn] = f[2]; hm[hn] = f[3]; hx[hn, 0] = 1; hx[hn, 1] = f[1]
		for (k = 4; k <= nf; k++) hx[hn, k - 2] = f[k]
	}
	if (hn) report("held out", hn, hx, hy, hm)
}' "$fit"
