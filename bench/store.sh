#!/usr/bin/env bash
# bench/store.sh: the case store against the sqlite3 shell, side by side, in one
# run on one machine. Builds Release in build-bench/, generates
# bench/out/cases-100k.csv and bench/out/cases-1M.csv (reused when present and
# complete), then for each size times (best and median of RUNS runs, peak RSS):
#
#   guantong import --db X --skip-invalid --reject R FILE     (fresh database file)
#   sqlite3 S '.import --csv FILE t'                           (fresh file, shell defaults)
#   sqlite3 -cmd 'PRAGMA journal_mode=WAL' S '.import --csv FILE t'   (fresh file, WAL)
#   guantong export --db X --out F
#   sqlite3 -csv -header S 'SELECT * FROM t' > F2
#   guantong export --db X --format xlsx --out F.xlsx          (once, time only)
#
# plus, once, the floor: SQLite alone writing the rows the import wrote into a
# fresh file (INSERT ... SELECT with the store's schema and settings). The runs
# of the commands compared are interleaved. Writes a Markdown table to
# bench/out/store-results.md (also printed). The ratios compare with the shell
# in WAL mode: the same journal and the same synchronous=FULL as the store.
# Run from anywhere: bash bench/store.sh   (env: SIZES="100000 1000000", SEED, RUNS)
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD=build-bench
OUT=bench/out
SIZES=${SIZES:-100000 1000000}
SEED=${SEED:-1}
RUNS=${RUNS:-3}
LOG=$OUT/store.log
WORK=$OUT/store-work
G=$BUILD/guantong

say() { printf '\n== %s\n' "$*"; }

say "build (Release) in $BUILD"
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DGT_TESTS=OFF >/dev/null
if ! cmake --build "$BUILD" -j2; then
	echo "store.sh: WARNING: the full build failed; building guantong gen_cases only" >&2
	cmake --build "$BUILD" -j2 --target guantong gen_cases
fi
mkdir -p "$OUT" "$WORK"
: >"$LOG"

# shellcheck source=SCRIPTDIR/lib.sh
. bench/lib.sh

# The runs of several commands are interleaved (a, b, c, a, b, c, ...) so that
# the load of a shared machine falls on all of them alike. A command is named
# by a word K with arrays K_cmd (the command), and variables K_prep (run
# before each run, untimed), K_out (its standard output file) and K_label.
# interleave K...: RUNS rounds; sets K_best, K_median, K_all, K_cpu (median
# user + sys), K_rss (max peak RSS, KiB).
interleave() {
	local k i
	for k in "$@"; do eval "${k}_walls=(); ${k}_cpus=(); ${k}_rss=0"; done
	for ((i = 1; i <= RUNS; i++)); do
		for k in "$@"; do
			local -n cmd="${k}_cmd" walls="${k}_walls" cpus="${k}_cpus" rss="${k}_rss"
			local -n prep="${k}_prep" outf="${k}_out" label="${k}_label"
			eval "$prep"
			sync
			run_once "$outf" "${cmd[@]}"
			walls+=("$WALL")
			cpus+=("${CPU:-0}")
			[ "$RSS" -gt "$rss" ] && rss=$RSS
			printf '  %-20s run %d: %8.3f s wall, %7s s cpu, peak RSS %8d KiB\n' "$label" "$i" "$WALL" "${CPU:-?}" "$RSS"
			unset -n cmd walls cpus rss prep outf label
		done
	done
	for k in "$@"; do
		local -n walls="${k}_walls" cpus="${k}_cpus"
		printf -v "${k}_best" '%s' "$(printf '%s\n' "${walls[@]}" | sort -g | head -n 1)"
		printf -v "${k}_median" '%s' "$(printf '%s\n' "${walls[@]}" | sort -g | sed -n "$(((RUNS + 1) / 2))p")"
		printf -v "${k}_all" '%s' "$(printf '%s\n' "${walls[@]}" | paste -sd/)"
		printf -v "${k}_cpu" '%s' "$(printf '%s\n' "${cpus[@]}" | sort -g | sed -n "$(((RUNS + 1) / 2))p")"
		unset -n walls cpus
	done
}

mib() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }
bytes_mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
grouped() { printf '%s\n' "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
fsize() { stat -c %s "$1"; }
rmdb() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal"; }

# ---- round trip, once, untimed: demo.csv -> export -> import -> export, byte for byte
say "check: export -> import -> export round trip (fixtures/demo.csv)"
RT=$WORK/rt
rmdb "$RT-a.db"
rmdb "$RT-b.db"
"$G" import --db "$RT-a.db" --skip-invalid --reject "$RT-rej.csv" --force fixtures/demo.csv 2>>"$LOG"
"$G" export --db "$RT-a.db" --out "$RT-1.csv" --force 2>>"$LOG"
"$G" import --db "$RT-b.db" "$RT-1.csv" 2>>"$LOG"
"$G" export --db "$RT-b.db" --out "$RT-2.csv" --force 2>>"$LOG"
if cmp -s "$RT-1.csv" "$RT-2.csv"; then
	echo "  identical ($(($(wc -l <"$RT-1.csv") - 1)) cases)"
	RT_OK="identical"
else
	echo "  MISMATCH: $RT-1.csv and $RT-2.csv differ" >&2
	exit 1
fi
rmdb "$RT-a.db"
rmdb "$RT-b.db"

CPU_MODEL=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
CC_VER=$(awk -F= '/^CMAKE_C_COMPILER:/ { print $2 }' "$BUILD/CMakeCache.txt")
CC_VER=$("$CC_VER" --version 2>/dev/null | head -n 1)
SQLITE_LIB=$(sqlite3 :memory: 'select sqlite_version()')
SQLITE_SHELL=$(sqlite3 --version | cut -d' ' -f1)
SHELL_SYNC=$(sqlite3 -cmd 'PRAGMA journal_mode=WAL' "$WORK/probe.db" 'PRAGMA synchronous' 2>/dev/null | tail -n 1)
SHELL_CACHE=$(sqlite3 :memory: 'PRAGMA cache_size')
SHELL_PAGE=$(sqlite3 :memory: 'PRAGMA page_size')
rmdb "$WORK/probe.db"
REV=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- core store tui schema.sql 2>/dev/null)" ]; then REV="$REV+changes"; fi

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
ROWS_MD=()
NOTES_MD=()
for N in $SIZES; do
	case $N in
	1000000) CSV=$OUT/cases-1M.csv L=1M ;;
	100000) CSV=$OUT/cases-100k.csv L=100k ;;
	*) CSV=$OUT/cases-$N.csv L=$N ;;
	esac
	if [ -s "$CSV" ] && [ "$(wc -l <"$CSV")" -eq "$((N + 1))" ]; then
		say "reusing $CSV ($(wc -l <"$CSV") lines)"
	else
		say "generating $CSV ($N rows, seed $SEED)"
		run_once "$CSV.tmp" "$BUILD/bench/gen_cases" "$N" "$SEED"
		mv "$CSV.tmp" "$CSV"
		echo "  $WALL s"
	fi
	CSV_MIB=$(bytes_mib "$(fsize "$CSV")")

	DB=$WORK/store-$L.db
	REJ=$WORK/store-$L.rejects.csv
	SDB=$WORK/shell-$L.db
	SWDB=$WORK/shellwal-$L.db
	FDB=$WORK/floor-$L.db
	XCSV=$WORK/export-$L.csv
	XLSX=$WORK/export-$L.xlsx
	SCSV=$WORK/shell-export-$L.csv

	imp_cmd=("$G" import --db "$DB" --skip-invalid --reject "$REJ" --force "$CSV")
	imp_prep="rmdb $DB" imp_out=/dev/null imp_label="import"
	shd_cmd=(sqlite3 "$SDB" ".import --csv $CSV t")
	shd_prep="rmdb $SDB" shd_out=/dev/null shd_label="shell import"
	shw_cmd=(sqlite3 -cmd 'PRAGMA journal_mode=WAL' "$SWDB" ".import --csv $CSV t")
	shw_prep="rmdb $SWDB" shw_out=/dev/null shw_label="shell import WAL"
	say "$L: import, $RUNS interleaved runs each"
	echo "  \$ ${imp_cmd[*]}"
	echo "  \$ sqlite3 $SDB '.import --csv $CSV t'"
	echo "  \$ sqlite3 -cmd 'PRAGMA journal_mode=WAL' $SWDB '.import --csv $CSV t'"
	interleave imp shd shw
	I_LINE=$(grep -a "^$CSV: " "$LOG" | tail -n 1 || true)
	echo "  $I_LINE"
	DB_SIZE=$(fsize "$DB")
	[ -e "$DB-wal" ] && WAL_SIZE=$(fsize "$DB-wal") || WAL_SIZE=0
	CASES=$(sqlite3 "$DB" 'SELECT count(*) FROM cases')
	EVALS=$(sqlite3 "$DB" 'SELECT count(*) FROM evaluations')
	AUDITS=$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE entity = 'case'")
	UPDATED=$(printf '%s\n' "$I_LINE" | sed -n 's/.* \([0-9]*\) updated.*/\1/p')
	echo "  cases $CASES (+ $UPDATED updated by a later row of the file), evaluations $EVALS, case audit rows $AUDITS;"
	echo "  file $(bytes_mib "$DB_SIZE"), WAL left $WAL_SIZE bytes"
	# one evaluation and one audit row per case written (a new case or a new version)
	[ "$EVALS" = "$((CASES + UPDATED))" ] && [ "$AUDITS" = "$EVALS" ] ||
		{ echo "  MISMATCH: one evaluation and one audit row per case written expected" >&2; exit 1; }
	S_SIZE=$(fsize "$SDB")
	W_SIZE=$(fsize "$SWDB")
	SROWS=$(sqlite3 "$SWDB" 'SELECT count(*) FROM t')
	echo "  shell table: $SROWS rows; file $(bytes_mib "$S_SIZE") (defaults), $(bytes_mib "$W_SIZE") (WAL)"

	# The floor: SQLite alone writing the rows the import wrote (table by
	# table, INSERT ... SELECT from the imported file) into a fresh file with
	# the store's schema and settings (its page size too). No parsing, no
	# evaluating, no binding.
	FLOOR_SQL=$WORK/floor-$L.sql
	{
		echo "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;"
		sqlite3 "$DB" .schema
		echo "ATTACH '$DB' AS src; BEGIN IMMEDIATE;"
		for t in meta users applicants cases case_honours case_competitions evidence evaluations decisions audit; do
			echo "INSERT INTO main.$t SELECT * FROM src.$t;"
		done
		echo "COMMIT;"
	} >"$FLOOR_SQL"
	STORE_PAGE=$(sqlite3 "$DB" 'PRAGMA page_size')
	STORE_INDEXES=$(sqlite3 "$DB" "SELECT count(*) FROM sqlite_schema WHERE type = 'index'")
	flo_cmd=(sqlite3 -cmd "PRAGMA page_size = $STORE_PAGE" -cmd 'PRAGMA journal_mode=WAL' "$FDB" ".read $FLOOR_SQL")
	flo_prep="rmdb $FDB" flo_out=/dev/null flo_label="floor (SQLite alone)"
	echo "  \$ ${flo_cmd[*]}"
	SAVE_RUNS=$RUNS
	RUNS=1
	interleave flo
	RUNS=$SAVE_RUNS
	F_SIZE=$(fsize "$FDB")
	rmdb "$FDB"

	exp_cmd=("$G" export --db "$DB" --out "$XCSV")
	exp_prep="rm -f $XCSV" exp_out=/dev/null exp_label="export"
	she_cmd=(sqlite3 -csv -header "$SWDB" 'SELECT * FROM t')
	she_prep="rm -f $SCSV" she_out=$SCSV she_label="shell export"
	say "$L: export, $RUNS interleaved runs each"
	echo "  \$ ${exp_cmd[*]}"
	echo "  \$ sqlite3 -csv -header $SWDB 'SELECT * FROM t' > $SCSV"
	interleave exp she
	E_LINES=$(($(wc -l <"$XCSV") - 1))
	E_SIZE=$(fsize "$XCSV")
	T_SIZE=$(fsize "$SCSV")
	echo "  export: $E_LINES data lines, $(bytes_mib "$E_SIZE"); shell export $(bytes_mib "$T_SIZE")"

	xls_cmd=("$G" export --db "$DB" --format xlsx --out "$XLSX")
	xls_prep="rm -f $XLSX" xls_out=/dev/null xls_label="export xlsx"
	echo "  \$ ${xls_cmd[*]}"
	RUNS=1
	interleave xls
	RUNS=$SAVE_RUNS
	X_SIZE=$(fsize "$XLSX")

	row() { # LABEL KEY COMMAND RATIO SIZE
		local -n b="${2}_best" m="${2}_median" a="${2}_all" c="${2}_cpu" r="${2}_rss"
		ROWS_MD+=("| $L | $1 | \`$3\` | $b s | $m s | $a | $c s | $4 | $(mib "$r") | $5 |")
	}
	row "import" imp "guantong import --db X --skip-invalid --reject R $CSV" "**$(ratio "$imp_median" "$shw_median")×**" "$(bytes_mib "$DB_SIZE")"
	row "shell import, WAL" shw "sqlite3 -cmd 'PRAGMA journal_mode=WAL' S '.import --csv $CSV t'" "1" "$(bytes_mib "$W_SIZE")"
	row "shell import, defaults" shd "sqlite3 S '.import --csv $CSV t'" "($(ratio "$imp_median" "$shd_median")×)" "$(bytes_mib "$S_SIZE")"
	row "floor: SQLite alone writes the store's rows (once)" flo "sqlite3 -cmd 'PRAGMA page_size=$STORE_PAGE' -cmd 'PRAGMA journal_mode=WAL' F '.read floor.sql'" "($(ratio "$flo_median" "$shw_median")×)" "$(bytes_mib "$F_SIZE")"
	row "export CSV" exp "guantong export --db X --out F" "**$(ratio "$exp_median" "$she_median")×**" "$(bytes_mib "$E_SIZE") out"
	row "shell export" she "sqlite3 -csv -header S 'SELECT * FROM t' > F2" "1" "$(bytes_mib "$T_SIZE") out"
	row "export XLSX (once)" xls "guantong export --db X --format xlsx --out F.xlsx" "" "$(bytes_mib "$X_SIZE") out"
	NOTES_MD+=("- $L: input \`$CSV\` ($CSV_MIB, $(grouped "$N") rows); import: ${I_LINE#"$CSV: "}; $(grouped "$CASES") cases, $(grouped "$EVALS") evaluations and as many case audit rows; export $(grouped "$E_LINES") rows.")
	# keep the disk tidy: the big files are not needed any more
	rm -f "$XCSV" "$SCSV" "$XLSX" "$REJ"
	rmdb "$SDB"
	rmdb "$SWDB"
	rmdb "$DB"
done

{
	echo "### Case store vs the sqlite3 shell"
	echo
	echo "Measured by \`bench/store.sh\` on $(date -u +%Y-%m-%d): $CPU_MODEL, $(nproc) cores (load average $LOAD_BEFORE"
	echo "before the run, $(cut -d' ' -f1-3 /proc/loadavg) after; the benchmark ran at niceness $(nice)); Release build ($CC_VER), guantong $REV,"
	echo "SQLite $SQLITE_LIB (shell $SQLITE_SHELL). Wall times: best and median of $RUNS runs, all runs listed;"
	echo "the runs of the commands compared are interleaved (a, b, c, a, b, c, ...) so that other load falls"
	echo "on all alike. cpu: median user + sys seconds (all threads). Peak RSS by $RSS_HOW, max over the runs."
	echo
	echo "Every import goes into a fresh file. The store: WAL, synchronous=FULL, foreign keys on, its own"
	echo "cache_size, page_size $STORE_PAGE, one transaction; per case it writes a case, an evaluation and an audit"
	echo "row (and an applicant, honours, competitions) into tables with $STORE_INDEXES indexes (UNIQUE constraints"
	echo "included). The shell: one transaction, one table of text columns, no"
	echo "index, page_size $SHELL_PAGE, cache_size $SHELL_CACHE (its defaults). **The ratio compares with the"
	echo "shell in WAL mode**, which has the store's journal and synchronous=FULL (synchronous=$SHELL_SYNC there); the"
	echo "ratio to the shell with its defaults (rollback journal, synchronous=FULL) is in parentheses. The floor"
	echo "row is SQLite alone writing the rows the import wrote (INSERT ... SELECT, table by table, same schema"
	echo "and settings): what the data costs before any parsing, evaluating or binding. The shell exports its"
	echo "WAL-mode table. Round trip demo.csv -> export -> import -> export: $RT_OK."
	echo
	echo "| cases | what | command | best | median | runs (wall, s) | cpu | ratio (median) | peak RSS | size |"
	echo "|---|---|---|---:|---:|---|---:|---:|---:|---:|"
	printf '%s\n' "${ROWS_MD[@]}"
	echo
	printf '%s\n' "${NOTES_MD[@]}"
	echo
	echo "Targets: import ≤ 1.5× the shell, export ≤ 1.5× the shell, peak RSS not growing with the number of cases."
} >"$OUT/store-results.md"

say "results ($OUT/store-results.md)"
cat "$OUT/store-results.md"
