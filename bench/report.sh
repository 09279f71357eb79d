#!/usr/bin/env bash
# bench/report.sh: issue 18's figures on one machine. Builds Release in
# build-bench/, generates bench/out/cases-200k.csv (with --1m also
# cases-1M.csv; reused when complete), imports it once, then measures:
#
#   stats cold: guantong stats --format csv, after the database's pages are
#               dropped from the page cache (posix_fadvise DONTNEED on its
#               files only: other users of the machine keep theirs)
#   stats warm: the same again, RUNS times (median)
#   sqlite3:    the same figures aggregated over the raw tables by the shell
#               (bench/stats_raw.sql), cold and warm, side by side
#   sheet:      guantong sheet 1..1000 --out F.pdf (pages per second)
#   due:        guantong due --within 30 --format csv
#
# each with its peak RSS. Never a timed assertion; short runs.
# Usage: bash bench/report.sh [--1m]     (env: RUNS, SEED)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=build-bench
OUT=bench/out
WORK=$OUT/report-work
RUNS=${RUNS:-3}
SEED=${SEED:-1}
SIZES="200000"
[ "${1:-}" = --1m ] && SIZES="200000 1000000"
LOG=$OUT/report.log
G=$BUILD/guantong
say() { printf '\n== %s\n' "$*"; }

say "build (Release) in $BUILD"
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DGT_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j2 --target guantong gen_cases >/dev/null
mkdir -p "$OUT" "$WORK"
: >"$LOG"
# shellcheck source=SCRIPTDIR/lib.sh
. bench/lib.sh

rmdb() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal"; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); peak RSS by $RSS_HOW"
for N in $SIZES; do
	case $N in 1000000) L=1M ;; 200000) L=200k ;; *) L=$N ;; esac
	CSV=$OUT/cases-$L.csv
	if [ -s "$CSV" ] && [ "$(wc -l <"$CSV")" -eq "$((N + 1))" ]; then
		say "reusing $CSV"
	else
		say "generating $CSV ($N rows, seed $SEED)"
		"$BUILD/bench/gen_cases" "$N" "$SEED" >"$CSV.tmp" && mv "$CSV.tmp" "$CSV"
	fi
	DB=$WORK/report-$L.db
	# Made once (the marker says the import and the decisions finished).
	if [ ! -s "$DB" ] || [ ! -e "$DB.done" ] || [ "$(sqlite3 "$DB" 'PRAGMA user_version')" -lt 9 ]; then
		say "importing $CSV"
		rmdb "$DB"
		rm -f "$DB.done"
		run_once /dev/null "$G" import --db "$DB" --skip-invalid --reject "$WORK/rej-$L.csv" --force "$CSV"
		printf '  %-12s %8.3f s  peak RSS %7d KiB\n' "import" "$WALL" "$RSS"
		# Some decisions, for the figures by month and reviewer.
		for i in $(seq 1 997 $((N / 10))); do
			"$G" decide --db "$DB" "$i" --approve --note "bench" >/dev/null 2>>"$LOG" || true
		done
		touch "$DB.done"
	fi
	say "stats on $L cases"
	uncache "$DB" "$DB-wal"
	run_once /dev/null "$G" stats --db "$DB" --format csv
	printf '  %-12s %8.3f s  CPU %6s s  peak RSS %7d KiB\n' "cold" "$WALL" "$CPU" "$RSS"
	walls=() cpus=()
	rss=0
	for _ in $(seq "$RUNS"); do
		run_once /dev/null "$G" stats --db "$DB" --format csv
		walls+=("$WALL") cpus+=("${CPU:-0}")
		[ "$RSS" -gt "$rss" ] && rss=$RSS
	done
	printf '  %-12s %8.3f s  CPU %6s s  peak RSS %7d KiB  (median of %d)\n' "warm" "$(median "${walls[@]}")" \
		"$(median "${cpus[@]}")" "$rss" "$RUNS"
	# Side by side: the same figures aggregated over the raw tables by the
	# sqlite3 shell (what stats did before the counters).
	uncache "$DB" "$DB-wal"
	run_once /dev/null sqlite3 "$DB" ".read bench/stats_raw.sql"
	printf '  %-12s %8.3f s  CPU %6s s  peak RSS %7d KiB\n' "sqlite3 cold" "$WALL" "$CPU" "$RSS"
	walls=() cpus=()
	rss=0
	for _ in $(seq "$RUNS"); do
		run_once /dev/null sqlite3 "$DB" ".read bench/stats_raw.sql"
		walls+=("$WALL") cpus+=("${CPU:-0}")
		[ "$RSS" -gt "$rss" ] && rss=$RSS
	done
	printf '  %-12s %8.3f s  CPU %6s s  peak RSS %7d KiB  (median of %d)\n' "sqlite3 warm" "$(median "${walls[@]}")" \
		"$(median "${cpus[@]}")" "$rss" "$RUNS"
	say "due --within 30 on $L cases"
	run_once /dev/null "$G" due --db "$DB" --within 30 --format csv
	printf '  %-12s %8.3f s  peak RSS %7d KiB\n' "due" "$WALL" "$RSS"
	if [ "$N" = 200000 ]; then
		say "sheet: 1000 case sheets"
		rm -f "$WORK/sheets.pdf"
		# shellcheck disable=SC2046
		run_once /dev/null "$G" sheet --db "$DB" $(seq 1 1000) --out "$WORK/sheets.pdf"
		P=$(pdfinfo "$WORK/sheets.pdf" | awk '/^Pages:/ { print $2 }')
		printf '  %-12s %8.3f s  %d pages, %.1f pages/s  peak RSS %7d KiB  %s bytes\n' "sheet" "$WALL" "$P" \
			"$(awk -v p="$P" -v w="$WALL" 'BEGIN { print p / w }')" "$RSS" "$(stat -c %s "$WORK/sheets.pdf")"
	fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
