# Shared by the PostgreSQL tests (sourced): a throwaway cluster of their own
# (tests/pg/cluster.sh), real OS users, TAP-like output.
#   pg_setup SRC BIN   starts the cluster, makes database guantong, runs init
#                      as the cluster's superuser with gtadmin as first admin;
#                      $gt is the binary copied where every OS user can run it
#   as USER CMD...     runs CMD as that OS user (peer authentication: the role)
#   run NAME WANT-EXIT USER ARGS...  the binary as USER, checked; output in $work/o, $work/e
#   sql QUERY          one query as gtadmin, its rows
# Without root, or without a PostgreSQL server, the script says SKIP and
# exits 0 (ctest shows the SKIP line) unless GT_PG_REQUIRED=1 (CI), when it
# fails instead.
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)) failed=$((failed + 1))
	echo "not ok $n - $1"
	shift
	local line
	for line in "$@"; do printf '#   %s\n' "$line"; done
}
skip_all() {
	if [ "${GT_PG_REQUIRED:-0}" = 1 ]; then
		echo "not ok 1 - PostgreSQL tests required (GT_PG_REQUIRED=1) but: $1"
		exit 1
	fi
	echo "SKIP: $1"
	exit 0
}
# The switch is setpriv's (the user's uid, its group and groups), not
# runuser's: runuser opens a PAM session each call, 42 ms of CPU against
# setpriv's 23 (cpuacct, 50 calls each), and these scripts switch hundreds
# of times. USER and LOGNAME as runuser sets them (the program ignores both:
# it asks the system who runs it). As the user already running, no switch.
declare -A pg_gid=()
pg_me=$(id -un)
as() {
	local u=$1; shift
	if [ "$u" = "$pg_me" ]; then
		env PGHOST="$PGHOST" LC_ALL=C.UTF-8 HOME=/nonexistent USER="$u" LOGNAME="$u" "$@"
		return
	fi
	[ -n "${pg_gid[$u]:-}" ] || pg_gid[$u]=$(id -g "$u") || return 1
	setpriv --reuid="$u" --regid="${pg_gid[$u]}" --init-groups \
		env PGHOST="$PGHOST" LC_ALL=C.UTF-8 HOME=/nonexistent USER="$u" LOGNAME="$u" "$@"
}
pg_cleanup() {
	[ -n "${pgdir:-}" ] && sh "$src/tests/pg/cluster.sh" stop "$pgdir" >/dev/null 2>&1
	[ -n "${work:-}" ] && rm -rf "$work"
}
pg_setup() {
	src=$1 bin=$2
	[ "$(id -u)" -eq 0 ] || skip_all "the PostgreSQL tests run as root (they make OS users and run as them)"
	ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || skip_all "no PostgreSQL server installed (Debian: postgresql-15)"
	command -v psql >/dev/null || skip_all "no psql"
	work=$(mktemp -d /tmp/gtpgtest.XXXXXX)
	chmod 755 "$work"
	# The test users start where they may be: ctest's directory may lie
	# under one only root may enter (a fresh clone under mktemp -d).
	cd "$work"
	pgdir=$work/cluster
	trap pg_cleanup EXIT
	local envs
	envs=$(sh "$src/tests/pg/cluster.sh" start "$pgdir") || skip_all "the cluster did not start"
	local u # (cluster.sh made them)
	for u in gtpg gtadmin gtclerk gtrev1 gtrev2 gtother; do pg_gid[$u]=$(id -g "$u"); done
	eval "$envs"
	# The binary where every test user can run it (the build may be under /root).
	cp "$bin" "$work/guantong"
	chmod 755 "$work/guantong"
	# and its modules beside it (store/gt_module.c: read from there when the
	# build's directory is out of the user's reach)
	cp "$(dirname "$bin")"/gt-*.so "$work/"
	gt=$work/guantong
	as gtpg createdb guantong || skip_all "createdb failed"
	db=postgresql:///guantong
}
# psql as USER: one statement, its output and error in $work/out.
psql_as() { local u=$1; shift; as "$u" psql -X -q -v ON_ERROR_STOP=1 -d guantong -At -c "$1" >"$work/out" 2>&1; }
has() { grep -qF -- "$2" "$1"; }

run() {
	local name=$1 want=$2 u=$3; shift 3
	as "$u" "$gt" "$@" >"$work/o" 2>"$work/e"
	local rc=$?
	if [ "$rc" -ne "$want" ]; then
		not_ok "$name" "exit $rc, expected $want" "stderr: $(head -c 400 "$work/e")"
		return 1
	fi
	ok "$name"
}
sql() { as gtadmin psql -X -q -d guantong -At -c "$1" 2>&1; }
# The server's counters (schema.sql's case_counts, decision_counts,
# decision_hours) against the same figures counted from the cases, their
# current evaluations and the decisions: the rows that differ, either way
# (0 when the triggers kept them).
counters_off() {
	as gtpg psql -X -q -d guantong -At -c "
	WITH cc AS (SELECT c.region, c.direction, c.level, c.outcome, coalesce(e.route, '') AS route,
	                   CASE WHEN e.route = 'green_channel' THEN e.basis ELSE '' END AS award, c.status, count(*) AS n
	            FROM guantong.cases c LEFT JOIN guantong.evaluations e ON e.id = c.eval_id GROUP BY 1, 2, 3, 4, 5, 6, 7),
	     kc AS (SELECT region, direction, level, outcome, route, award, status, n FROM guantong.case_counts WHERE n <> 0),
	     cd AS (SELECT left(decided_at, 13) AS hour, decided_by AS reviewer, count(*) FILTER (WHERE action = 'approve') AS a,
	                   count(*) FILTER (WHERE action = 'reject') AS r
	            FROM guantong.decisions WHERE action IN ('approve', 'reject') GROUP BY 1, 2),
	     kd AS (SELECT hour, reviewer, approved, rejected FROM guantong.decision_counts WHERE approved <> 0 OR rejected <> 0),
	     ch AS (SELECT (extract(epoch FROM d.decided_at::timestamptz) - extract(epoch FROM c.created_at::timestamptz))::bigint
	                   / 3600 AS hours, count(*) AS n
	            FROM guantong.cases c JOIN guantong.decisions d ON d.id = c.decision_id AND d.action IN ('approve', 'reject')
	            GROUP BY 1),
	     kh AS (SELECT hours, n FROM guantong.decision_hours WHERE n <> 0)
	SELECT (SELECT count(*) FROM (TABLE cc EXCEPT TABLE kc) a) + (SELECT count(*) FROM (TABLE kc EXCEPT TABLE cc) b)
	     + (SELECT count(*) FROM (TABLE cd EXCEPT TABLE kd) c) + (SELECT count(*) FROM (TABLE kd EXCEPT TABLE cd) d)
	     + (SELECT count(*) FROM (TABLE ch EXCEPT TABLE kh) e) + (SELECT count(*) FROM (TABLE kh EXCEPT TABLE ch) f)
	     || '|' || (SELECT count(*) FROM guantong.cases)" 2>&1
}
# counters_hold NAME: checks counters_off says 0 rows off.
counters_hold() {
	local got
	got=$(counters_off)
	case $got in 0\|*) ok "$1: the counters are the cases' (${got#*|} cases)" ;; *) not_ok "$1: counters" "rows off|cases: $got" ;; esac
}
