#!/bin/bash
# The lost-update race and the 4-process x 1,000-operation stress on
# PostgreSQL (tests/stress/stress_backend.c, which also runs on SQLite as
# stress/backend-sqlite): exactly one winner, no lost update, audit complete.
# The simulated users connect to the database gtstress as the role of their
# name (trusted local connections in the test cluster only).
# Usage: stress.sh GUANTONG SOURCE_DIR STRESS_BACKEND [OPTIONS...]
set -u
bin=$1 src=$2 stress=$3
shift 3
. "$src/tests/pg/lib.sh"
pg_setup "$src" "$bin"
as gtpg createdb gtstress || { echo "not ok 1 - createdb gtstress"; exit 1; }
if ! as gtpg "$gt" init --db "dbname=gtstress" --admin stadmin >"$work/init" 2>&1; then
	echo "not ok 1 - init"; cat "$work/init"; exit 1
fi
"$stress" --db "host=$PGHOST dbname=gtstress" "$@"
rc=$?
[ $rc -eq 0 ] && echo "ok 1 - stress_backend on PostgreSQL" || echo "not ok 1 - stress_backend on PostgreSQL (exit $rc)"
echo "1..1"
exit $rc
