#!/bin/sh
# The shared SQLite install (issue 15; SECURITY.md, "One server, a shared
# SQLite file"): clerks of one server share one database that only guantong
# can write. Run as root:
#
#   sh scripts/install-shared.sh build/guantong --admin LOGIN \
#        [--group guantong] [--prefix /usr/local] [--dir /var/lib/guantong]
#
# It makes the group (no members: nobody is to be in it), installs the binary
# setgid to it (root:GROUP 2755), makes the database directory root:GROUP 2770
# and the database, with LOGIN as its first admin, root:GROUP 0660. Clerks are
# not in the group: they cannot open the directory, so the file is reached
# only through guantong, whose role checks then hold. guantong gives the group
# up for any other database and around every file it writes for the user.
set -eu
[ $# -ge 1 ] || { echo "usage: install-shared.sh BINARY --admin LOGIN [--group G] [--prefix P] [--dir D]" >&2; exit 2; }
bin=$1; shift
admin= group=guantong prefix=/usr/local dir=/var/lib/guantong
while [ $# -gt 0 ]; do
	case $1 in
	--admin) admin=$2; shift 2 ;;
	--group) group=$2; shift 2 ;;
	--prefix) prefix=$2; shift 2 ;;
	--dir) dir=$2; shift 2 ;;
	*) echo "install-shared.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
[ "$(id -u)" -eq 0 ] || { echo "install-shared.sh: run as root" >&2; exit 1; }
[ -n "$admin" ] && id -u "$admin" >/dev/null 2>&1 || { echo "install-shared.sh: --admin LOGIN (an OS user) is required" >&2; exit 2; }
getent group "$group" >/dev/null || groupadd --system "$group"
members=$(getent group "$group" | cut -d: -f4)
[ -z "$members" ] || echo "install-shared.sh: warning: $group has members ($members); they can open the database directly" >&2
install -d -m 755 "$prefix/bin"
install -o root -g "$group" -m 2755 "$bin" "$prefix/bin/guantong"
install -d -o root -g "$group" -m 2770 "$dir"
db=$dir/cases.db
if [ ! -e "$db" ]; then
	# The first admin makes it, with the group as their real group (so the
	# program is not in its setgid mode and may create the file); then root
	# takes it over.
	runuser -u "$admin" -g "$group" -- "$prefix/bin/guantong" init --db "$db"
fi
chown root:"$group" "$db"
chmod 0660 "$db"
for f in "$db-wal" "$db-shm"; do [ -e "$f" ] && chown root:"$group" "$f" && chmod 0660 "$f"; done
echo "installed $prefix/bin/guantong (root:$group 2755), $dir (root:$group 2770), $db (root:$group 0660); first admin: $admin"
