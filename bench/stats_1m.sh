#!/usr/bin/env bash
# bench/stats_1m.sh: `stats` on a million cases, cold and warm, beside the
# sqlite3 shell's aggregates over the raw tables (bench/stats_raw.sql), with
# CPU time (the machine is shared: the wall time waits for the others).
# The million are made from bench/report.sh's 200k database (run that
# first): four more copies of every case under new applicants, inserted
# through the counters' triggers, so that stats reads what 1M writes left;
# no search keys for the copies (stats does not read them). Importing 1M
# rows takes long on a loaded machine; this takes a few minutes.
# Usage: bash bench/stats_1m.sh     (env: RUNS)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench/out
WORK=$OUT/report-work
SRC=$WORK/report-200k.db
DB=$WORK/synth-1M.db
G=build-bench/guantong
RUNS=${RUNS:-3}
LOG=$OUT/stats_1m.log
say() { printf '\n== %s\n' "$*"; }
: >"$LOG"
# shellcheck source=SCRIPTDIR/lib.sh
. bench/lib.sh
[ -s "$SRC" ] && [ -x "$G" ] || { echo "run bash bench/report.sh first" >&2; exit 1; }
if [ ! -s "$DB" ] || [ "$(sqlite3 "$DB" 'SELECT count(*) FROM cases')" -lt 900000 ]; then
	say "making $DB from $SRC"
	rm -f "$DB" "$DB-wal" "$DB-shm"
	sqlite3 "$SRC" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
	cp "$SRC" "$DB"
	cols=$(sqlite3 "$DB" "SELECT group_concat(name, ', ') FROM pragma_table_info('cases') WHERE name NOT IN ('id', 'applicant_id')")
	ccols=$(sqlite3 "$DB" "SELECT group_concat('c.' || name, ', ') FROM pragma_table_info('cases') WHERE name NOT IN ('id', 'applicant_id')")
	sqlite3 "$DB" <<SQL
BEGIN;
CREATE TEMP TABLE k (k INTEGER);
INSERT INTO k VALUES (1), (2), (3), (4);
INSERT INTO applicants (id, id_number, name, birth_date)
	SELECT a.id + k.k * 1000000, 'X' || k.k || substr(a.id_number, 3), a.name, a.birth_date FROM applicants a, k;
INSERT INTO cases (id, applicant_id, $cols)
	SELECT c.id + k.k * 1000000, c.applicant_id + k.k * 1000000, $ccols FROM cases c, k;
COMMIT;
SQL
fi
echo "cases: $(sqlite3 "$DB" 'SELECT count(*) FROM cases'); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for what in stats sqlite3; do
	if [ $what = stats ]; then cmd=("$G" stats --db "$DB" --format csv); else cmd=(sqlite3 "$DB" ".read bench/stats_raw.sql"); fi
	uncache "$DB" "$DB-wal"
	run_once /dev/null "${cmd[@]}"
	printf '  %-14s %8.3f s  CPU %6s s  peak RSS %7d KiB\n' "$what cold" "$WALL" "$CPU" "$RSS"
	walls=() cpus=()
	for _ in $(seq "$RUNS"); do
		run_once /dev/null "${cmd[@]}"
		walls+=("$WALL") cpus+=("${CPU:-0}")
	done
	printf '  %-14s %8.3f s  CPU %6s s  (median of %d)\n' "$what warm" "$(median "${walls[@]}")" "$(median "${cpus[@]}")" "$RUNS"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
