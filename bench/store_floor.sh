#!/usr/bin/env bash
# bench/store_floor.sh: where the import's time goes, table by table.
#
# Imports bench/out/cases-100k.csv (bench/store.sh makes it) into a fresh
# store, then times SQLite alone writing parts of what the import wrote into
# fresh files with the store's schema and settings (page size, WAL, synchronous=FULL,
# INSERT ... SELECT from the imported file: no parsing, no evaluating, no
# binding), next to the sqlite3 shell's `.import --csv` of the same file into
# a plain table (WAL). Each command RUNS times, interleaved; medians.
#
#   all tables                      what `guantong import` writes
#   without the audit rows
#   without the audit rows and the evaluations
#   applicants and cases only, and their indexes
#   all tables, without the workstation's sort and filter indexes
#
# Usage: bash bench/store_floor.sh   (env: BUILD [build-bench], RUNS [5], CSV)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build-bench}
RUNS=${RUNS:-5}
CSV=${CSV:-bench/out/cases-100k.csv}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
[ -f "$CSV" ] || { echo "store_floor.sh: $CSV is missing (bash bench/store.sh makes it)" >&2; exit 1; }
[ -x "$BUILD/guantong" ] || cmake --build "$BUILD" --target guantong >/dev/null

DB=$WORK/imported.db
"$BUILD/guantong" import --db "$DB" --skip-invalid --reject "$WORK/rej.csv" --force "$CSV" >/dev/null 2>&1
PAGE=$(sqlite3 "$DB" 'PRAGMA page_size') # the store's page size, for the floor's files too

# floor_sql NAME TABLE...: the script that copies those tables into a new file
# (with the store's schema but for the lines matching $DROP, if set).
floor_sql() {
	local name=$1
	shift
	{
		echo "PRAGMA page_size = $PAGE; PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;"
		echo "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;"
		sqlite3 "$DB" .schema | { if [ -n "${DROP:-}" ]; then grep -vE "$DROP"; else cat; fi; }
		echo "ATTACH '$DB' AS src; BEGIN IMMEDIATE;"
		for t in "$@"; do echo "INSERT INTO main.$t SELECT * FROM src.$t;"; done
		echo "COMMIT;"
	} >"$WORK/$name.sql"
}
base="meta users applicants cases case_honours case_competitions evidence decisions"
floor_sql all $base evaluations audit
floor_sql no_audit $base evaluations
floor_sql no_audit_eval $base
floor_sql cases_only meta users applicants cases
# What this issue's own schema asks for, without the workstation's queue
# (issue 4): its sort and filter indexes dropped, the uniqueness and the
# per-case history indexes kept.
DROP='^CREATE INDEX (cases_|applicants_name)' floor_sql no_queue $base evaluations audit

LABELS=("guantong import" "floor: all tables" "floor: without audit" "floor: without audit, evaluations"
	"floor: applicants and cases only" "floor: all tables, without the queue's indexes"
	"sqlite3 shell .import (WAL)")
run() { # INDEX
	local out=$WORK/t.db
	rm -f "$out" "$out-wal" "$out-shm"
	case $1 in
	0) "$BUILD/guantong" import --db "$out" --skip-invalid --reject "$WORK/r.csv" --force "$CSV" >/dev/null 2>&1 ;;
	1) sqlite3 "$out" ".read $WORK/all.sql" >/dev/null ;;
	2) sqlite3 "$out" ".read $WORK/no_audit.sql" >/dev/null ;;
	3) sqlite3 "$out" ".read $WORK/no_audit_eval.sql" >/dev/null ;;
	4) sqlite3 "$out" ".read $WORK/cases_only.sql" >/dev/null ;;
	5) sqlite3 "$out" ".read $WORK/no_queue.sql" >/dev/null ;;
	6) sqlite3 -cmd 'PRAGMA journal_mode=WAL' "$out" ".import --csv $CSV t" >/dev/null 2>&1 ;;
	esac
}
declare -A T
for r in $(seq "$RUNS"); do
	for i in "${!LABELS[@]}"; do
		t0=$(date +%s%N)
		run "$i"
		T[$i]+="$(( ($(date +%s%N) - t0) / 1000000 )) "
	done
done
median() { printf '%s\n' $1 | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
SHELL_MS=$(median "${T[6]}")
echo "| $(wc -l <"$CSV") lines of $CSV, $RUNS runs | median | × shell |"
echo "|---|---:|---:|"
for i in "${!LABELS[@]}"; do
	m=$(median "${T[$i]}")
	echo "| ${LABELS[$i]} | $m ms | $(awk -v a="$m" -v b="$SHELL_MS" 'BEGIN { printf "%.2f", a / b }') |"
done
