#!/bin/sh
# A throwaway PostgreSQL 15 cluster for the tests: initdb and pg_ctl in a
# directory of its own (no systemd, no pg_ctlcluster), a Unix socket there and
# no TCP. Run as root it runs the server as the OS user gtpg (made here with
# useradd when missing) and makes the test OS users; run as another user it
# runs the server as that user and the tests that need other OS users skip.
#
#   cluster.sh start DIR   starts it; prints the environment to use, e.g.
#                          eval "$(sh tests/pg/cluster.sh start /tmp/gtpg)"
#   cluster.sh stop DIR    stops it and removes DIR
#   cluster.sh template DIR  makes DIR/data as start would, without starting
#                          it; with GT_PG_TEMPLATE=DIR/data (root only) start
#                          copies it instead of running initdb, which is
#                          about 2 s of CPU a cluster (.ci/run: one a test)
#
# Authentication on the socket: peer (the OS login is the role) for every
# database but gtstress, where the stress programs, which simulate several
# users under one OS account, connect as any role (trust).
set -eu
cmd=${1:-} dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: cluster.sh start|stop|template DIR" >&2; exit 2; }
bin=${GT_PG_BIN:-}
if [ -z "$bin" ]; then
	for d in /usr/lib/postgresql/*/bin; do [ -x "$d/pg_ctl" ] && bin=$d; done
fi
[ -n "$bin" ] && [ -x "$bin/pg_ctl" ] || { echo "cluster.sh: no PostgreSQL server (pg_ctl) found" >&2; exit 3; }

# as USER CMD...: runs CMD as the cluster's OS user.
as() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u gtpg -- "$@"; else "$@"; fi
}

# make_data DATA: a new cluster's data directory (initdb, and the trust
# line for gtstress), owned by the server's OS user.
make_data() {
	as "$bin/initdb" -D "$1" -U "$dbuser" -E UTF8 --locale=C.UTF-8 --auth-local=peer \
		--auth-host=reject --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	# gtstress: the stress programs' database, any role without a password.
	sed -i '1i local gtstress all trust' "$1/pg_hba.conf"
}

case $cmd in
start|template)
	if [ "$(id -u)" -eq 0 ]; then
		# The server's account, and the test OS users (no password, no login shell needed).
		for u in gtpg gtadmin gtclerk gtrev1 gtrev2 gtother; do
			id -u "$u" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$u"
		done
		dbuser=gtpg
	else
		dbuser=$(id -un)
	fi
	mkdir -p "$dir"
	chmod 755 "$dir"
	[ "$(id -u)" -eq 0 ] && chown gtpg "$dir"
	if [ "$cmd" = template ]; then
		make_data "$dir/data"
		exit 0
	fi
	tpl=${GT_PG_TEMPLATE:-}
	if [ -n "$tpl" ] && [ "$(id -u)" -eq 0 ] && [ -f "$tpl/PG_VERSION" ] &&
		[ "$(stat -c %U "$tpl")" = "$dbuser" ]; then
		cp -a "$tpl" "$dir/data"
	else
		make_data "$dir/data"
	fi
	as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-c listen_addresses='' -k $dir -c fsync=off -c max_connections=60" start >/dev/null \
		|| { cat "$dir/server.log" >&2; exit 1; }
	echo "PGHOST=$dir; export PGHOST"
	echo "GT_PG_SUPERUSER=$dbuser; export GT_PG_SUPERUSER"
	echo "GT_PG_BIN=$bin; export GT_PG_BIN"
	# The server's own client programs first: Debian's psql, createdb...
	# in /usr/bin are one Perl wrapper (pg_wrapper) that costs more CPU a
	# call than most of the tests' queries.
	echo "PATH=$bin:\$PATH; export PATH"
	;;
stop)
	[ -d "$dir/data" ] && as "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	rm -rf "$dir"
	;;
*)
	echo "usage: cluster.sh start|stop|template DIR" >&2; exit 2 ;;
esac
