#!/usr/bin/env bash
# bench/store.sh: issue 14's targets, side by side, on one machine. Builds
# Release in build-bench/, generates bench/out/cases-200k.csv (and with --1m
# bench/out/cases-1M.csv; reused when complete), then for each size runs
# RUNS (default 3) interleaved rounds (a, b, c, a, b, c, ...: the load of a
# shared machine falls on all alike) and reports medians:
#
#   import:   guantong import --db X --skip-invalid --reject R --force FILE   (fresh file)
#   floor:    sqlite3 F < floor.sql   (fresh file: .import --csv FILE t, then
#             CREATE INDEX on ten columns of t, the issue's floor)
#   bare:     sqlite3 S '.import --csv FILE t'                            (fresh file)
#   re-import of the same file into the imported store (no-op: one audit row)
#   export:   guantong export --db X --out F
#   shell:    sqlite3 -csv -header T 'SELECT * FROM t' > F2   (T: our export .imported
#             into a plain table, once, untimed: the same bytes)
#
# and prints the three ratios (database size / CSV bytes, import / floor,
# export / shell), the re-import's ratio to the import, the ratio to the bare
# .import, peak RSS, and the load average; beside each wall time the CPU time
# (user + sys, by GNU time), which a shared machine's load disturbs less.
# Never a timed assertion.
# Usage: bash bench/store.sh [--1m]     (env: RUNS, SEED)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=build-bench
OUT=bench/out
WORK=$OUT/store-work
RUNS=${RUNS:-3}
SEED=${SEED:-1}
SIZES="200000"
[ "${1:-}" = --1m ] && SIZES="200000 1000000"
LOG=$OUT/store.log
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
median() { printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }

# timed KEY CMD...: one run, appended to KEY's walls and CPU times; peak RSS kept.
declare -A WALLS CPUS RSSMAX
timed() {
	local k=$1 outf=/dev/null
	shift
	if [ "$1" = ">" ]; then outf=$2; shift 2; fi
	sync
	run_once "$outf" "$@"
	WALLS[$k]+="$WALL "
	CPUS[$k]+="${CPU:-0} "
	[ "${RSSMAX[$k]:-0}" -lt "$RSS" ] && RSSMAX[$k]=$RSS
	printf '  %-10s %8.3f s  user+sys %7.2f s  peak RSS %7d KiB  load %s\n' "$k" "$WALL" "${CPU:-0}" "$RSS" \
		"$(cut -d' ' -f1 /proc/loadavg)"
}
med() { median ${WALLS[$1]}; }
cpu() { median ${CPUS[$1]}; }
# pairs A B: A's wall over B's in each round (the two ran one after the
# other), as "median (round 1, round 2, ...)": a slow spell of a shared
# machine falls on both of a pair, where the medians of the two columns
# above may take them from different rounds.
pairs() {
	local -a a=(${WALLS[$1]}) b=(${WALLS[$2]})
	local rs=() i
	for i in "${!a[@]}"; do rs+=("$(ratio "${a[$i]}" "${b[$i]}")"); done
	printf '%s× (%s)' "$(median "${rs[@]}")" "$(IFS=,; echo "${rs[*]}" | sed 's/,/, /g')"
}

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
RESULTS=() CPURES=() PAIRS=()
for N in $SIZES; do
	case $N in 1000000) L=1M ;; 200000) L=200k ;; *) L=$N ;; esac
	CSV=$OUT/cases-$L.csv
	if [ -s "$CSV" ] && [ "$(wc -l <"$CSV")" -eq "$((N + 1))" ]; then
		say "reusing $CSV"
	else
		say "generating $CSV ($N rows, seed $SEED)"
		"$BUILD/bench/gen_cases" "$N" "$SEED" >"$CSV.tmp" && mv "$CSV.tmp" "$CSV"
	fi
	CSVB=$(stat -c %s "$CSV")
	DB=$WORK/store-$L.db F=$WORK/floor-$L.db S=$WORK/bare-$L.db
	FLOOR=$WORK/floor.sql
	{
		echo ".import --csv $CSV t"
		echo "CREATE INDEX t_name ON t (name);"
		echo "CREATE INDEX t_region ON t (region);"
		echo "CREATE INDEX t_direction ON t (direction);"
		echo "CREATE INDEX t_skill ON t (skill_level);"
		echo "CREATE INDEX t_title ON t (title_level);"
		echo "CREATE INDEX t_series ON t (series);"
		echo "CREATE INDEX t_app ON t (application_date);"
		echo "CREATE INDEX t_person ON t (id_number, region, direction);"
		echo "CREATE INDEX t_ref ON t (case_ref);"
		echo "CREATE INDEX t_evidence ON t (evidence);"
	} >"$FLOOR"
	say "$L: import, floor, bare .import, re-import: $RUNS interleaved rounds"
	echo "  \$ $G import --db $DB --skip-invalid --reject R --force $CSV"
	echo "  \$ sqlite3 $F '.read $FLOOR'   (.import --csv + ten CREATE INDEX)"
	echo "  \$ sqlite3 $S '.import --csv $CSV t'"
	echo "  \$ $G import --db $DB --skip-invalid --reject R --force $CSV   (again, same store)"
	for ((r = 1; r <= RUNS; r++)); do
		rmdb "$DB"
		timed import "$G" import --db "$DB" --skip-invalid --reject "$WORK/rej.csv" --force "$CSV"
		rmdb "$F"
		timed floor sqlite3 "$F" ".read $FLOOR"
		rmdb "$S"
		timed bare sqlite3 "$S" ".import --csv $CSV t"
		timed reimport "$G" import --db "$DB" --skip-invalid --reject "$WORK/rej2.csv" --force "$CSV"
	done
	sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
	DBB=$(stat -c %s "$DB")
	AUD=$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = 'import'")
	TAB=$({ sqlite3 -separator ' ' "$DB" "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 8" 2>/dev/null || true; } | awk '{ printf "%s %.1f MiB; ", $1, $2 / 1048576 }')
	# Every table and index, for the log (issue 14: where the bytes are).
	say "$L: the database's bytes by table and index"
	echo "  \$ sqlite3 $DB 'SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC'"
	{ sqlite3 -separator ' ' "$DB" "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC" 2>/dev/null ||
		echo "(this sqlite3 has no dbstat)"; } | awk 'NF == 2 { printf "  %-32s %8.2f MiB\n", $1, $2 / 1048576; next } { print "  " $0 }'

	X=$WORK/export-$L.csv X2=$WORK/shell-export-$L.csv T=$WORK/shell-t-$L.db
	rm -f "$X"
	"$G" export --db "$DB" --out "$X" --force 2>>"$LOG"
	rmdb "$T"
	sqlite3 "$T" ".import --csv $X t"
	say "$L: export: $RUNS interleaved rounds"
	echo "  \$ $G export --db $DB --out $X --force"
	echo "  \$ sqlite3 -csv -header $T 'SELECT * FROM t' > $X2"
	for ((r = 1; r <= RUNS; r++)); do
		timed export "$G" export --db "$DB" --out "$X" --force
		timed shell ">" "$X2" sqlite3 -csv -header "$T" 'SELECT * FROM t'
	done
	XB=$(stat -c %s "$X") X2B=$(stat -c %s "$X2")
	RESULTS+=("| $L | $(mib "$CSVB") | $(mib "$DBB") | **$(ratio "$DBB" "$CSVB")×** | $(med import) s | $(med floor) s | **$(ratio "$(med import)" "$(med floor)")×** | $(ratio "$(med import)" "$(med bare)")× | $(med reimport) s (**$(ratio "$(med reimport)" "$(med import)")×**) | $(med export) s | $(med shell) s | **$(ratio "$(med export)" "$(med shell)")×** | $((RSSMAX[import] / 1024)) / $((RSSMAX[export] / 1024)) MiB |")
	PAIRS+=("| $L | **$(pairs import floor)** | $(pairs import bare) | **$(pairs export shell)** |")
	CPURES+=("| $L | $(cpu import) s | $(cpu floor) s | **$(ratio "$(cpu import)" "$(cpu floor)")×** | $(cpu bare) s | $(ratio "$(cpu import)" "$(cpu bare)")× | $(cpu reimport) s | $(cpu export) s | $(cpu shell) s | **$(ratio "$(cpu export)" "$(cpu shell)")×** |")
	echo "  store: $TAB"
	echo "  import audit rows: $AUD (one per import); export $(mib "$XB"), shell's $(mib "$X2B")"
	rm -f "$X" "$X2"
	rmdb "$T"
	rmdb "$F"
	rmdb "$S"
	unset WALLS CPUS RSSMAX
	declare -A WALLS CPUS RSSMAX
done

{
	echo "### Case store vs the sqlite3 shell (issue 14)"
	echo
	echo "\`bash bench/store.sh${1:+ $1}\` on $(date -u +%Y-%m-%d): $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo),"
	echo "$(nproc) cores, load average $LOAD0 before and $(cut -d' ' -f1-3 /proc/loadavg) after; Release build, guantong"
	echo "$(git rev-parse --short HEAD)$([ -n "$(git status --porcelain -- core store tui schema.sql)" ] && echo +changes),"
	echo "SQLite $(sqlite3 :memory: 'select sqlite_version()'). Medians of $RUNS interleaved runs; peak RSS import / export."
	echo
	echo "| cases | CSV | database | size ratio (≤ 2.5) | import | floor | import / floor (≤ 1.3) | import / bare .import | re-import (≤ 0.5×) | export | shell export | export / shell (≤ 1.3) | peak RSS |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	printf '%s\n' "${RESULTS[@]}"
	echo
	echo "The same rounds paired: in each round the import's time over the floor's (run right after it) and"
	echo "over the bare .import's, the export's over the shell's; the median, then each round's in order:"
	echo
	echo "| cases | import / floor (≤ 1.3) | import / bare .import | export / shell (≤ 1.3) |"
	echo "|---|---|---|---|"
	printf '%s\n' "${PAIRS[@]}"
	echo
	echo "CPU time (user + sys, medians of the same runs):"
	echo
	echo "| cases | import | floor | import / floor | bare .import | import / bare | re-import | export | shell export | export / shell |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	printf '%s\n' "${CPURES[@]}"
} >"$OUT/store-results.md"
say "results ($OUT/store-results.md)"
cat "$OUT/store-results.md"
