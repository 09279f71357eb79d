#!/usr/bin/env bash
# bench/run.sh: builds Release in build-bench/, generates bench/out/cases-1M.csv
# (reused when present and complete), runs bench_eval, then times
# `guantong screen` (the summary CSV, and --explain) against SQLite's CSV import
# of the same file, in one run (best and median of 3 runs, peak RSS), and writes
# a Markdown table to bench/out/results.md, beside issue 12's targets: screen
# >= 1,000,000 rows/s, --explain >= 200,000 rows/s, the evaluator >= 2,000,000/s.
# Run from anywhere: bash bench/run.sh   (env: N=rows, SEED=seed, RUNS=runs)
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD=build-bench
OUT=bench/out
N=${N:-1000000}
SEED=${SEED:-1}
RUNS=${RUNS:-3}
if [ "$N" = 1000000 ]; then CSV=$OUT/cases-1M.csv; else CSV=$OUT/cases-$N.csv; fi
AS_OF=2025-06-30
LOG=$OUT/run.log

say() { printf '\n== %s\n' "$*"; }

say "build (Release) in $BUILD"
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DGT_TESTS=OFF >/dev/null
if ! cmake --build "$BUILD" -j2; then
	# Only these targets are measured; a failure elsewhere (e.g. a message
	# catalogue) is reported but does not stop the benchmark.
	echo "run.sh: WARNING: the full build failed; building guantong gen_cases bench_eval only" >&2
	cmake --build "$BUILD" -j2 --target guantong gen_cases bench_eval bench_packs
fi
mkdir -p "$OUT"
: >"$LOG"

# shellcheck source=SCRIPTDIR/lib.sh
. bench/lib.sh

# measure NAME CMD...: RUNS runs; sets BEST, MEDIAN (s), CPU_MED (the median
# of the process's own user + sys seconds, "-" without GNU time) and PEAK (max
# RSS, KiB). The CPU time tells the program's work from the machine's speed:
# a run slowed by other processes waits longer, but its CPU time barely moves.
measure() {
	local name=$1 i walls=() cpus=() peak=0
	shift
	for ((i = 1; i <= RUNS; i++)); do
		run_once /dev/null "$@"
		walls+=("$WALL")
		cpus+=("${CPU:--}")
		[ "$RSS" -gt "$peak" ] && peak=$RSS
		printf '  %-8s run %d: %7.3f s, CPU %5s s, peak RSS %8d KiB\n' "$name" "$i" "$WALL" "${CPU:--}" "$RSS"
	done
	BEST=$(printf '%s\n' "${walls[@]}" | sort -g | head -n 1)
	MEDIAN=$(printf '%s\n' "${walls[@]}" | sort -g | sed -n "$(((RUNS + 1) / 2))p")
	CPU_MED=$(printf '%s\n' "${cpus[@]}" | sort -g | sed -n "$(((RUNS + 1) / 2))p")
	PEAK=$peak
}

mib() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
grouped() { printf '%s\n' "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }
secs() { awk -v n="$1" -v r="$2" 'BEGIN { printf "%.3f", n / r }'; }

# ---- the input file
GEN_CMD="$BUILD/bench/gen_cases $N $SEED > $CSV"
if [ -s "$CSV" ] && [ "$(wc -l <"$CSV")" -eq "$((N + 1))" ]; then
	say "reusing $CSV ($(wc -l <"$CSV") lines)"
	GEN_TIME="(reused)"
else
	say "generating $CSV ($N rows, seed $SEED)"
	run_once "$CSV.tmp" "$BUILD/bench/gen_cases" "$N" "$SEED"
	mv "$CSV.tmp" "$CSV"
	GEN_TIME="$WALL s"
	echo "  $WALL s, peak RSS $RSS KiB"
	tail -n 1 "$LOG"
fi
SIZE_MIB=$(du -m "$CSV" | cut -f1)

# ---- the evaluator alone
say "bench_eval $CSV $RUNS"
EVAL_OUT=$OUT/bench_eval.txt
run_once "$EVAL_OUT" "$BUILD/bench/bench_eval" "$CSV" "$RUNS"
cat "$EVAL_OUT"
EVAL_RSS=$RSS
# ---- loading the policy packs (issue 19: < 20 ms for the five)
say "bench_packs 50"
PACKS_OUT=$OUT/bench_packs.txt
"$BUILD/bench/bench_packs" 50 >"$PACKS_OUT"
cat "$PACKS_OUT"
PACKS_BEST=$(sed -n 's/^load best: *\([0-9.]*\) ms.*/\1/p' "$PACKS_OUT")
PACKS_MED=$(sed -n 's/^load median: *\([0-9.]*\) ms.*/\1/p' "$PACKS_OUT")
res() { sed -n 's/^RESULT .*\b'"$1"'=\([0-9a-f]*\).*/\1/p' "$EVAL_OUT"; }
CASES=$(res cases)
EVAL_RATE=$(res eval_per_s)
EVAL_RATE_MED=$(res eval_per_s_median)
FMT_RATE=$(res eval_fmt_per_s)
FMT_RATE_MED=$(res eval_fmt_per_s_median)
PARSE_RATE=$(res parse_rows_per_s)

# ---- checks, once, untimed
say "checks"
SCREEN_OUT=$(mktemp)
trap 'rm -f "$SCREEN_OUT"' EXIT
"$BUILD/guantong" screen --as-of "$AS_OF" "$CSV" >"$SCREEN_OUT" 2>>"$LOG"
SCREEN_LINES=$(wc -l <"$SCREEN_OUT")
echo "  guantong screen: exit 0, $SCREEN_LINES output lines (expected $((N + 1)))"
[ "$SCREEN_LINES" -eq "$((N + 1))" ] || { echo "  MISMATCH" >&2; exit 1; }
if command -v python3 >/dev/null; then
	python3 - "$SCREEN_OUT" <<'EOF'
import collections, csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = csv.reader(f)
    col = next(rows).index("outcome")
    hist = collections.Counter(r[col] for r in rows)
print("  screen outcomes: " + ", ".join(f"{k}={v}" for k, v in sorted(hist.items())))
EOF
fi
SQL_COUNT=$(sqlite3 :memory: -cmd ".import --csv $CSV t" 'select count(*) from t' 2>/dev/null)
echo "  sqlite3 .import --csv: select count(*) = $SQL_COUNT (expected $N)"
[ "$SQL_COUNT" -eq "$N" ] || { echo "  MISMATCH" >&2; exit 1; }

# ---- side by side
SCREEN_CMD="$BUILD/guantong screen --as-of $AS_OF $CSV > /dev/null"
EXPLAIN_CMD="$BUILD/guantong screen --explain --as-of $AS_OF $CSV > /dev/null"
SQLITE_CMD="sqlite3 :memory: -cmd '.import --csv $CSV t' '.quit'"
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
say "timing, $RUNS runs each (load average $LOAD_AT_START)"
echo "  \$ $SCREEN_CMD"
measure screen "$BUILD/guantong" screen --as-of "$AS_OF" "$CSV"
S_BEST=$BEST S_MED=$MEDIAN S_RSS=$PEAK S_CPU=$CPU_MED
echo "  \$ $EXPLAIN_CMD"
measure explain "$BUILD/guantong" screen --explain --as-of "$AS_OF" "$CSV"
X_BEST=$BEST X_MED=$MEDIAN X_RSS=$PEAK X_CPU=$CPU_MED
echo "  \$ $SQLITE_CMD"
measure sqlite sqlite3 :memory: -cmd ".import --csv $CSV t" '.quit'
Q_BEST=$BEST Q_MED=$MEDIAN Q_RSS=$PEAK Q_CPU=$CPU_MED

# ---- the table
CPU=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
CC_VER=$(awk -F= '/^CMAKE_C_COMPILER:/ { print $2 }' "$BUILD/CMakeCache.txt")
CC_VER=$("$CC_VER" --version 2>/dev/null | head -n 1)
SQLITE_VER=$(sqlite3 --version | cut -d' ' -f1)
REV=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- core tui 2>/dev/null)" ]; then REV="$REV+changes"; fi

{
	echo "### Performance ($(grouped "$N") generated cases)"
	echo
	echo "Measured by \`bench/run.sh\` on $(date -u +%Y-%m-%d): $CPU, $(nproc) cores, one thread;"
	echo "Release build ($CC_VER), guantong $REV, SQLite $SQLITE_VER. Input: \`$CSV\`"
	echo "($SIZE_MIB MiB, $(grouped "$N") rows, $(grouped "$((N - CASES))") of them invalid by design), made by"
	echo "\`$GEN_CMD\` (generation: $GEN_TIME). Wall times are best / median of $RUNS runs;"
	echo "peak RSS by $RSS_HOW. Load average when the timing began: $LOAD_AT_START (other"
	echo "processes on the machine slow every figure alike; the CPU column, the process's own"
	echo "user + sys time, moves much less with them)."
	echo
	echo "| what | command | best | median | CPU (median, user + sys) | throughput (median) | target | peak RSS |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|"
	echo "| \`gt_evaluate()\` alone, $(grouped "$CASES") cases in memory | \`$BUILD/bench/bench_eval $CSV $RUNS\` | $(secs "$CASES" "$EVAL_RATE") s | $(secs "$CASES" "$EVAL_RATE_MED") s | | $(grouped "$EVAL_RATE_MED") eval/s | 2,000,000 | $(mib "$EVAL_RSS") |"
	echo "| \`gt_evaluate()\` + basis, citation, message text | (same run) | $(secs "$CASES" "$FMT_RATE") s | $(secs "$CASES" "$FMT_RATE_MED") s | | $(grouped "$FMT_RATE_MED") eval/s | | |"
	echo "| CSV read + \`gt_case_parse()\` | (same run, once) | | | | $(grouped "$PARSE_RATE") rows/s | | |"
	echo "| loading the five policy packs (parse + compile) | \`$BUILD/bench/bench_packs 50\` | $PACKS_BEST ms | $PACKS_MED ms | | | < 20 ms | |"
	echo "| \`guantong screen\`, whole file | \`$SCREEN_CMD\` | $S_BEST s | $S_MED s | $S_CPU s | $(grouped "$(rate "$N" "$S_MED")") rows/s | 1,000,000 | $(mib "$S_RSS") |"
	echo "| \`guantong screen --explain\`, whole file | \`$EXPLAIN_CMD\` | $X_BEST s | $X_MED s | $X_CPU s | $(grouped "$(rate "$N" "$X_MED")") rows/s | 200,000 | $(mib "$X_RSS") |"
	echo "| SQLite CSV import, for scale | \`$SQLITE_CMD\` | $Q_BEST s | $Q_MED s | $Q_CPU s | $(grouped "$(rate "$N" "$Q_MED")") rows/s | | $(mib "$Q_RSS") |"
} >"$OUT/results.md"

say "results ($OUT/results.md)"
cat "$OUT/results.md"
