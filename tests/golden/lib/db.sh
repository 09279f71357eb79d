# The store the golden store scripts run against (sourced once $bin, $src and
# $tmp are set). SQLite files by default; with GT_TEST_DB=pg, databases in a
# throwaway PostgreSQL cluster of the script's own (tests/pg/cluster.sh), in
# which this OS user is a login role and the first administrator of each
# database (peer authentication on the cluster's socket), as this user is of
# each SQLite file it creates.
#   on_pg           true on PostgreSQL
#   db_new NAME     the --db argument of a new store NAME (a file name that
#                   does not exist yet; a fresh database, set up by
#                   `guantong init` as the cluster's superuser)
#   dbq DB SQL      one query's rows, as this OS user (sqlite3; psql with
#                   the guantong schema first in the search path)
#   dbsu DB SQL     SQL as the database's owner: the cluster's superuser
#                   on PostgreSQL (what no login role may do), sqlite3 on SQLite
#   db_cleanup      stops the cluster (call it from the script's EXIT trap)
#   pg_su CMD...    CMD as the cluster's superuser's OS user (gtpg), with
#                   PGHOST; setpriv, not runuser: see tests/pg/lib.sh's as
# Without root or a PostgreSQL server the script says "SKIP: why" and exits
# 0, unless GT_PG_REQUIRED=1 (CI), when it fails instead: the rules of the
# tests in tests/pg.
gt_test_db=${GT_TEST_DB:-sqlite}
pgwork=
on_pg() { [ "$gt_test_db" = pg ]; }
db_cleanup() {
	[ -n "$pgwork" ] && sh "$src/tests/pg/cluster.sh" stop "$pgwork/cluster" >/dev/null 2>&1 && rm -rf "$pgwork"
	pgwork=
}
db_skip() {
	if [ "${GT_PG_REQUIRED:-0}" = 1 ]; then
		echo "not ok 1 - PostgreSQL tests required (GT_PG_REQUIRED=1) but: $1"
		exit 1
	fi
	echo "SKIP: $1"
	exit 0
}
db_new() {
	if ! on_pg; then
		echo "$tmp/$1.db"
		return
	fi
	cd / && pg_su createdb "$1" >&2 &&
		pg_su LC_ALL=C.UTF-8 HOME=/nonexistent "$pgwork/guantong" init --db "postgresql:///$1" --admin "$(id -un)" >/dev/null ||
		{ echo "db_new $1: createdb or init failed" >&2; return 1; }
	echo "postgresql:///$1"
}
dbq() {
	if on_pg; then
		PGOPTIONS="-c search_path=guantong" psql -X -q -At -v ON_ERROR_STOP=1 -d "${1#postgresql:///}" -c "$2"
	else
		sqlite3 -batch "$1" "$2"
	fi
}
dbsu() {
	if on_pg; then
		(cd / && pg_su psql -X -q -At -v ON_ERROR_STOP=1 -d "${1#postgresql:///}" -c "$2")
	else
		sqlite3 -batch "$1" "$2"
	fi
}
case $gt_test_db in
sqlite) ;;
pg)
	[ "$(id -u)" -eq 0 ] || db_skip "GT_TEST_DB=pg runs as root (the cluster's server runs as the OS user gtpg)"
	ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || db_skip "no PostgreSQL server installed (Debian: postgresql-15)"
	command -v psql >/dev/null || db_skip "no psql"
	# The cluster and the binary where the server's OS user may reach them.
	pgwork=$(mktemp -d /tmp/gtgolden.XXXXXX)
	chmod 755 "$pgwork"
	cp "$bin" "$pgwork/guantong"
	chmod 755 "$pgwork/guantong"
	cp "$(dirname "$bin")"/gt-*.so "$pgwork/" # store/gt_module.c
	envs=$(sh "$src/tests/pg/cluster.sh" start "$pgwork/cluster") || { db_cleanup; db_skip "the cluster did not start"; }
	eval "$envs"
	export PGHOST
	pg_su_gid=$(id -g gtpg)
	pg_su() { setpriv --reuid=gtpg --regid="$pg_su_gid" --init-groups env PGHOST="$PGHOST" "$@"; }
	;;
*)
	echo "not ok 1 - GT_TEST_DB is sqlite or pg, not \"$gt_test_db\""
	exit 1 ;;
esac
