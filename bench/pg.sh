#!/usr/bin/env bash
# bench/pg.sh: import and export on PostgreSQL (issue 15) beside the server's
# own floor, on one throwaway cluster (tests/pg/cluster.sh, fsync off as in
# the tests: it measures the work, not the disk). For each size:
#   import:  guantong import --db CONN --skip-invalid --reject R --force FILE
#            (a fresh database each round: COPY into a temporary table, then
#            the server's import_run, which into the empty database builds
#            the indexes after the rows); also the server's CPU for it (the
#            postmaster's reaped children: the session's backend)
#   floor:   psql -c '\copy t FROM FILE CSV HEADER' into a plain table of
#            text columns (fresh each round)
#   export:  guantong export --db CONN --machine --out F --force
#   floor:   psql -c '\copy (SELECT * FROM t) TO F CSV HEADER'
# RUNS rounds (default 1), medians, and the load average before and after.
# Run as root (the cluster runs as the OS user gtpg). Never a timed assertion.
# Usage: bash bench/pg.sh [--1m]     (env: BUILD=build dir [build], RUNS, SEED)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=bench/out
RUNS=${RUNS:-1}
SEED=${SEED:-1}
SIZES="200000"
[ "${1:-}" = --1m ] && SIZES="200000 1000000"
LOG=$OUT/pg.log
say() { printf '\n== %s\n' "$*"; }
mkdir -p "$OUT"
: >"$LOG"
# shellcheck source=SCRIPTDIR/lib.sh
. bench/lib.sh
G=$BUILD/guantong
PGDIR=$(mktemp -d /tmp/gtpgbench.XXXXXX)
chmod 755 "$PGDIR"
trap 'sh tests/pg/cluster.sh stop "$PGDIR/c" >/dev/null 2>&1; rm -rf "$PGDIR"' EXIT
eval "$(sh tests/pg/cluster.sh start "$PGDIR/c")"
CONN="host=$PGHOST dbname=gtstress user=gtbench"
su_psql() { runuser -u gtpg -- psql -X -q -d "$1" -c "$2" >>"$LOG" 2>&1; }
fresh() {
	su_psql postgres "DROP DATABASE IF EXISTS gtstress"
	su_psql postgres "DROP OWNED BY gtbench CASCADE" || true
	for r in gtbench guantong_admin guantong_reviewer guantong_clerk guantong_owner; do
		su_psql postgres "DROP ROLE IF EXISTS $r" || true
	done
	su_psql postgres "CREATE DATABASE gtstress"
	runuser -u gtpg -- "$G" init --db "dbname=gtstress" --admin gtbench >>"$LOG" 2>&1
}
# CPU seconds of the server's exited backends so far.
server_cpu() { awk '{ printf "%.2f", ($16 + $17) / 100 }' "/proc/$(head -1 "$PGDIR/c/data/postmaster.pid")/stat"; }
median() { printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
for N in $SIZES; do
	case $N in 1000000) L=1M ;; 200000) L=200k ;; *) L=$N ;; esac
	CSV=$OUT/cases-$L.csv
	if [ -s "$CSV" ] && [ "$(wc -l <"$CSV")" -eq "$((N + 1))" ]; then
		say "reusing $CSV"
	else
		say "generating $CSV ($N rows, seed $SEED)"
		"$BUILD/bench/gen_cases" "$N" "$SEED" >"$CSV.tmp" && mv "$CSV.tmp" "$CSV"
	fi
	chmod 644 "$CSV"
	cols=$(head -1 "$CSV" | tr -d '\r' | sed 's/,/ text, /g; s/$/ text/')
	IMP=() FLI=() EXP=() FLE=()
	for r in $(seq 1 "$RUNS"); do
		say "$L round $r"
		fresh
		c0=$(server_cpu)
		run_once /dev/null "$G" import --db "$CONN" --skip-invalid --reject "$PGDIR/rej.csv" --force "$CSV"
		sleep 0.5
		IMP+=("$WALL"); printf '  import   %8.3f s  client CPU %s s, peak RSS %d KiB, server CPU %.1f s\n' "$WALL" "${CPU:-?}" \
			"$RSS" "$(awk -v a="$c0" -v b="$(server_cpu)" 'BEGIN { print b - a }')"
		c0=$(server_cpu)
		run_once /dev/null "$G" export --db "$CONN" --machine --out "$PGDIR/out.csv" --force
		EXP+=("$WALL"); printf '  export   %8.3f s  client CPU %s s, peak RSS %d KiB, server CPU %.1f s (%d rows)\n' "$WALL" \
			"${CPU:-?}" "$RSS" "$(awk -v a="$c0" -v b="$(server_cpu)" 'BEGIN { print b - a }')" "$(($(wc -l <"$PGDIR/out.csv") - 1))"
		su_psql gtstress "DROP TABLE IF EXISTS t"
		su_psql gtstress "CREATE TABLE t ($cols)"
		# \copy is strict: the generated file's deliberately ragged rows are left out.
		python3 -c 'import csv,sys; r=csv.reader(open(sys.argv[1],newline="",encoding="utf-8")); w=csv.writer(open(sys.argv[2],"w",newline="",encoding="utf-8")); h=next(r); w.writerow(h); [w.writerow(x) for x in r if len(x)==len(h)]' "$CSV" "$PGDIR/in.csv"
		chmod 644 "$PGDIR/in.csv"
		run_once /dev/null runuser -u gtpg -- psql -X -q -d gtstress -c "\\copy t FROM '$PGDIR/in.csv' CSV HEADER"
		FLI+=("$WALL"); printf '  \\copy in %8.3f s\n' "$WALL"
		chmod 777 "$PGDIR"
		run_once /dev/null runuser -u gtpg -- psql -X -q -d gtstress -c "\\copy (SELECT * FROM t) TO '$PGDIR/floor.csv' CSV HEADER"
		FLE+=("$WALL"); printf '  \\copy out%8.3f s\n' "$WALL"
	done
	i=$(median "${IMP[@]}") fi=$(median "${FLI[@]}") e=$(median "${EXP[@]}") fe=$(median "${FLE[@]}")
	printf '\n%s cases: import %.2f s (\\copy %.2f s, x%s), export %.2f s (\\copy %.2f s, x%s)\n' \
		"$L" "$i" "$fi" "$(ratio "$i" "$fi")" "$e" "$fe" "$(ratio "$e" "$fe")"
done
printf 'load average before %s, after %s (2 cores, shared)\n' "$LOAD0" "$(cut -d' ' -f1-3 /proc/loadavg)"
