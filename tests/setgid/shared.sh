#!/bin/bash
# The shared SQLite install (scripts/install-shared.sh) with real OS users:
# the binary setgid to a group of its own, the directory root:GROUP 2770, the
# file root:GROUP 0660. A clerk cannot open the file with sqlite3 (so none of
# the issue's attacks can start), the program's role checks hold, a removed
# user cannot act, the group is never used for the user's own files, and a
# planted companion file (a hot journal) cannot be made through --db.
# Usage: shared.sh GUANTONG SOURCE_DIR     (SKIP without root)
set -u
bin=$1 src=$2
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)) failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do printf '#   %s\n' "$l"; done; }
if [ "$(id -u)" -ne 0 ]; then
	[ "${GT_PG_REQUIRED:-0}" = 1 ] && { echo "not ok 1 - the setgid test must run as root in CI"; exit 1; }
	echo "SKIP: the setgid install test runs as root (it makes a group and OS users)"; exit 0
fi
command -v sqlite3 >/dev/null || { echo "not ok 1 - sqlite3 is needed"; exit 1; }
group=gtshr$$
work=$(mktemp -d /tmp/gtshared.XXXXXX)
chmod 755 "$work"
cleanup() { rm -rf "$work"; groupdel "$group" 2>/dev/null; }
trap cleanup EXIT
for u in gtadmin gtclerk gtrev1; do
	id -u "$u" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$u"
done
mkdir "$work/home-clerk" && chown gtclerk "$work/home-clerk" && chmod 700 "$work/home-clerk"
as() { local u=$1; shift; runuser -u "$u" -- env -i PATH=/usr/bin:/bin LC_ALL=C.UTF-8 HOME="$work/home-$u" "$@"; }

if sh "$src/scripts/install-shared.sh" "$bin" --admin gtadmin --group "$group" --prefix "$work/prefix" \
	--dir "$work/var" >"$work/install" 2>&1; then
	ok "install-shared.sh installs ($(tail -1 "$work/install" | cut -c1-60)...)"
else
	not_ok "install-shared.sh" "$(cat "$work/install")"; echo "1..$n"; exit 1
fi
gt=$work/prefix/bin/guantong db=$work/var/cases.db
[ "$(stat -c '%U:%G %a' "$gt")" = "root:$group 2755" ] && ok "the binary is root:$group 2755" || not_ok "binary mode" "$(stat -c '%U:%G %a' "$gt")"
[ "$(stat -c '%U:%G %a' "$work/var")" = "root:$group 2770" ] && ok "the directory is root:$group 2770" || not_ok "dir mode"
[ "$(stat -c '%U:%G %a' "$db")" = "root:$group 660" ] && ok "the database is root:$group 0660" || not_ok "db mode"

as gtadmin "$gt" --db "$db" user add gtclerk --role clerk >/dev/null 2>&1 && ok "the admin adds a clerk through guantong" || not_ok "user add gtclerk"
as gtadmin "$gt" --db "$db" user add gtrev1 --role reviewer >/dev/null 2>&1 && ok "and a reviewer" || not_ok "user add gtrev1"
cp "$src/fixtures/demo.csv" "$work/demo.csv" && chmod 644 "$work/demo.csv"
as gtclerk "$gt" --db "$db" import --skip-invalid --reject "$work/home-clerk/rej.csv" "$work/demo.csv" >"$work/o" 2>&1 \
	&& ok "the clerk imports through guantong" || not_ok "clerk import" "$(cat "$work/o")"

# The issue's attacks need the file: the clerk cannot open it.
for sql in "UPDATE users SET role = 'reviewer' WHERE login = 'gtclerk'" \
	"INSERT INTO decisions (case_id, case_version, eval_id, action, decided_by, decided_at, snapshot) VALUES (1, 2, 1, 'approve', 'gtrev1', '2026-12-01', 'x')" \
	"INSERT OR REPLACE INTO audit (id, at, actor, action, entity, entity_id) VALUES (1, 'x', 'gtrev1', 'x', 'x', 'x')" \
	"DROP TRIGGER audit_no_delete" \
	"UPDATE users SET active = 1 WHERE login = 'gtclerk'"; do
	if as gtclerk sqlite3 "$db" "$sql" >"$work/o" 2>&1; then
		not_ok "the clerk's sqlite3: $sql" "it worked"
	elif grep -qi "unable to open\|permission denied\|authorization denied" "$work/o"; then
		ok "refused: sqlite3 $(echo "$sql" | cut -c1-50)... ($(head -1 "$work/o" | cut -c1-40))"
	else
		not_ok "refused for the right reason: $sql" "$(cat "$work/o")"
	fi
done
# The same statements work on the file for root: a refusal above is the permissions'.
sqlite3 "$db" "BEGIN; UPDATE users SET role = 'reviewer' WHERE login = 'gtclerk'; ROLLBACK;" \
	&& ok "(root's sqlite3 can run them: the clerk's refusal is the file system's)" || not_ok "root control"
as gtclerk ls "$work/var" >/dev/null 2>&1 && not_ok "the clerk can list the directory" || ok "the clerk cannot even list the directory"
as gtclerk cat "$db" >/dev/null 2>&1 && not_ok "the clerk can read the file" || ok "nor read the file"

# The program's role checks hold.
as gtclerk "$gt" --db "$db" decide 1 --approve --note x >"$work/o" 2>&1
[ $? -ne 0 ] && grep -q "only a reviewer" "$work/o" && ok "the clerk cannot approve through guantong" || not_ok "clerk approve" "$(cat "$work/o")"
as gtclerk "$gt" --db "$db" user add gtclerk --role admin >"$work/o" 2>&1
[ $? -ne 0 ] && ok "nor make themselves admin" || not_ok "clerk self-promotion" "$(cat "$work/o")"
as gtrev1 "$gt" --db "$db" decide 1 --approve --note "checked" >"$work/o" 2>&1 && ok "the reviewer approves" || not_ok "reviewer approves" "$(cat "$work/o")"
as gtadmin "$gt" --db "$db" user remove gtrev1 >/dev/null 2>&1 && ok "the admin removes the reviewer" || not_ok "remove gtrev1"
as gtrev1 "$gt" --db "$db" decide 2 --reject --note x >"$work/o" 2>&1
[ $? -ne 0 ] && grep -q "not a user" "$work/o" && ok "the removed reviewer cannot act" || not_ok "removed acts" "$(cat "$work/o")"
as gtrev1 "$gt" --db "$db" user add gtrev1 --role reviewer >"$work/o" 2>&1
[ $? -ne 0 ] && ok "nor reactivate themselves" || not_ok "removed reactivates" "$(cat "$work/o")"
[ "$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE action = 'case.approve' AND actor = 'gtrev1'")" = 1 ] \
	&& ok "the audit log has the approval, by gtrev1" || not_ok "audit"

# The group never reaches the user's files.
as gtclerk "$gt" --db "$db" export --machine --out "$work/home-clerk/all.csv" >"$work/o" 2>&1 \
	&& ok "the clerk exports into their own directory" || not_ok "export" "$(cat "$work/o")"
g=$(stat -c %G "$work/home-clerk/all.csv" 2>/dev/null)
[ -n "$g" ] && [ "$g" != "$group" ] && ok "the export's group is the clerk's ($g), not $group" || not_ok "export group" "$g"
[ "$(stat -c %G "$work/home-clerk/rej.csv")" != "$group" ] && ok "so is the reject file's" || not_ok "reject group"
as gtclerk "$gt" --db "$work/home-clerk/own.db" init >"$work/o" 2>&1 && ok "a database of the clerk's own opens" || not_ok "own db" "$(cat "$work/o")"
[ "$(stat -c %G "$work/home-clerk/own.db")" != "$group" ] && ok "without the group" || not_ok "own db group"
as gtclerk "$gt" --db "$db-journal" init >"$work/o" 2>&1
[ ! -e "$db-journal" ] && ok "--db cases.db-journal (a planted hot journal) is not made" || not_ok "journal planted"
mkdir -p "$work/home-clerk"
as gtclerk ln -s "$db" "$work/home-clerk/link.db" 2>/dev/null
as gtclerk "$gt" --db "$work/home-clerk/link.db" user list >"$work/o" 2>&1
grep -q gtadmin "$work/o" && ok "a link to the database is followed to it (the same file, the same checks)" \
	|| ok "a link to the database does not open it ($(head -1 "$work/o" | cut -c1-50))"
as gtclerk env GUANTONG_QUERY_PLANS="$work/var/plans.log" "$gt" --db "$db" user list >/dev/null 2>&1
[ ! -e "$work/var/plans.log" ] && ok "GUANTONG_QUERY_PLANS cannot write into the directory" || not_ok "plans log written"
echo "1..$n"
[ $failed -eq 0 ]
