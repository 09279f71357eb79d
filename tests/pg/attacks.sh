#!/bin/bash
# Issue 15's attacks on PostgreSQL, each as a real OS user connected with
# psql (peer authentication: the OS login is the role): a clerk's direct
# UPDATE of users, decisions and the audit log, a forged decision, an audit
# rewrite, dropping the audit trigger, a removed user acting or reactivating
# themselves. Each must be refused by the server; each statement is first
# shown to work for the cluster's superuser, so that a refusal is the
# privileges' doing and not a typo. And what the clerk may do through the
# workstation they may also do with psql, no more.
# Usage: attacks.sh GUANTONG SOURCE_DIR
set -u
bin=$1 src=$2
. "$src/tests/pg/lib.sh"
pg_setup "$src" "$bin"

if as gtpg "$gt" init --db "$db" --admin gtadmin >"$work/init" 2>&1 && has "$work/init" "first administrator: gtadmin"; then
	ok "init sets up the database and says what it did"
else
	not_ok "init" "$(cat "$work/init")"
fi
for u in gtclerk:clerk gtrev1:reviewer gtrev2:reviewer; do
	as gtadmin "$gt" user --db "$db" add "${u%%:*}" --role "${u#*:}" >/dev/null 2>&1 || not_ok "user add $u"
done
mkdir "$work/clerk" && chown gtclerk "$work/clerk"
cp "$src/fixtures/demo.csv" "$work/demo.csv"
chmod 644 "$work/demo.csv"
as gtclerk "$gt" import --db "$db" --skip-invalid --reject "$work/clerk/rej.csv" "$work/demo.csv" >"$work/imp" 2>&1 || cat "$work/imp"
psql_as gtadmin "SELECT count(*) FROM guantong.cases"
cases=$(cat "$work/out")
[ "$cases" -ge 10 ] 2>/dev/null && ok "a clerk imports ($cases cases)" || not_ok "a clerk imports" "$cases"

# refused USER NAME SQL [CONTROL]: the statement fails for USER with a
# permission error, and works (in a transaction rolled back) for CONTROL: by
# default the cluster's superuser with triggers off, else that user.
refused() {
	local u=$1 name=$2 sql=$3 control=${4:-}
	local pre="SET session_replication_role = replica;"
	[ -n "$control" ] && pre=""
	if ! as "${control:-gtpg}" psql -X -q -v ON_ERROR_STOP=1 -d guantong -At \
		-c "BEGIN; $pre $sql; ROLLBACK;" >"$work/su" 2>&1; then
		not_ok "$name: the statement itself works (as ${control:-the superuser})" "$(head -3 "$work/su")"
		return
	fi
	if psql_as "$u" "$sql"; then
		not_ok "$name: refused" "it worked: $(head -3 "$work/out")"
	elif grep -qE "permission denied|must be owner|is a clerk|not a user|needs a|must have admin option" "$work/out"; then
		ok "$name: refused ($(head -1 "$work/out" | cut -c1-90))"
	else
		not_ok "$name: refused for the right reason" "$(head -3 "$work/out")"
	fi
}
# Another OS user with a login role but no guantong group.
as gtpg psql -X -q -d guantong -c "CREATE ROLE gtother LOGIN" >/dev/null 2>&1
refused gtclerk "a clerk makes themselves reviewer (UPDATE users)" \
	"UPDATE guantong.users SET role = 'reviewer' WHERE login = 'gtclerk'"
refused gtclerk "a clerk grants themselves the reviewers' group" "GRANT guantong_reviewer TO gtclerk"
refused gtclerk "a clerk approves by UPDATE of the case" \
	"UPDATE guantong.cases SET status = 'approved', version = version + 1 WHERE id = 3"
refused gtclerk "a clerk forges a reviewer's decision (INSERT INTO decisions)" \
	"INSERT INTO guantong.decisions (case_id, case_version, eval_id, action, decided_by, decided_at, snapshot) SELECT id, version + 1, eval_id, 'approve', 'gtrev1', '2026-12-01 10:00:00+00:00', 'x' FROM guantong.cases WHERE id = 3"
refused gtclerk "a clerk approves through the server's function" \
	"SELECT guantong.case_act(3, 1, 'approve', 'ok', 'x', 'r', '[]', 'e')" gtrev1
psql_as gtrev1 "SELECT guantong.case_act(4, 1, 'approve', 'fine', 'snapshot', 'r', '[]', 'e')" \
	&& ok "a reviewer approves case 4 through the function" || not_ok "a reviewer approves case 4" "$(cat "$work/out")"
refused gtclerk "a clerk changes a decision (UPDATE decisions)" \
	"UPDATE guantong.decisions SET action = 'reject', decided_by = 'gtrev2'"
refused gtrev1 "even a reviewer cannot UPDATE a decision" "UPDATE guantong.decisions SET note = 'changed'"
refused gtclerk "a clerk rewrites the audit log (UPDATE audit)" "UPDATE guantong.audit SET actor = 'gtrev1'"
refused gtclerk "a clerk deletes audit rows" "DELETE FROM guantong.audit WHERE actor = 'gtclerk'"
refused gtclerk "a clerk replaces an audit row (INSERT ... ON CONFLICT DO UPDATE)" \
	"INSERT INTO guantong.audit (id, at, actor, action, entity, entity_id) OVERRIDING SYSTEM VALUE SELECT id, at, 'gtrev1', action, entity, entity_id FROM guantong.audit WHERE id = 1 ON CONFLICT (id) DO UPDATE SET actor = excluded.actor"
refused gtclerk "a clerk drops the audit trigger" "DROP TRIGGER audit_no_change ON guantong.audit"
refused gtclerk "a clerk writes an audit row of their choosing" \
	"SELECT guantong.audit_add('case.approve', 'case', '3', NULL, '{}')"
refused gtclerk "a clerk truncates the audit log" "TRUNCATE guantong.audit"
# audit_file is a clerk's (exports are audited): it takes only the files the
# program writes, never an action name of the client's choosing.
for args in "'case.approve', 'case', 'csv', 1" "'user.update', 'gtclerk', 'csv', 0" "'import', 'x.csv', 'csv', 0" \
	"'export', 'x.csv', 'sqlite', 0" "'backup', 'x.db', 'sqlite', 0" "'export', '', 'csv', 0" "'export', 'x.csv', 'csv', -1"; do
	psql_as gtclerk "SELECT guantong.audit_file($args, NULL)"
	has "$work/out" "is not a file this program audits" && ok "audit_file($args) is refused" \
		|| not_ok "audit_file($args) refused" "$(head -2 "$work/out")"
done
psql_as gtclerk "SELECT guantong.audit_file('export', '/tmp/x.csv', 'csv', 3, NULL)" \
	&& ok "audit_file takes an export's row" || not_ok "audit_file export" "$(head -2 "$work/out")"
refused gtadmin "even an admin cannot UPDATE the audit log" "UPDATE guantong.audit SET actor = 'nobody'"
psql_as gtpg "UPDATE guantong.audit SET actor = 'x' WHERE id = 1"
has "$work/out" "append-only" && ok "even the owner's tables refuse an audit UPDATE (the trigger; a superuser passes privileges)" \
	|| not_ok "the append-only trigger" "$(cat "$work/out")"

# A removed user.
as gtadmin "$gt" user --db "$db" remove gtrev2 >/dev/null 2>&1 && ok "an admin removes gtrev2" || not_ok "remove gtrev2"
as gtrev2 "$gt" decide --db "$db" 5 --approve --note "still here" >"$work/o" 2>&1
rc=$?
[ $rc -ne 0 ] && grep -q "not a user" "$work/o" && ok "the removed reviewer cannot decide with guantong" \
	|| not_ok "the removed reviewer cannot decide with guantong" "exit $rc: $(cat "$work/o")"
refused gtrev2 "the removed reviewer cannot decide through the function" \
	"SELECT guantong.case_act(5, 1, 'reject', 'x', 'x', 'r', '[]', 'e')" gtrev1
refused gtrev2 "the removed reviewer cannot reactivate themselves (UPDATE users)" \
	"UPDATE guantong.users SET active = true WHERE login = 'gtrev2'"
refused gtrev2 "the removed reviewer cannot reactivate themselves (user_set)" \
	"SELECT guantong.user_set('gtrev2', 'reviewer', NULL)" gtadmin
refused gtrev2 "the removed reviewer cannot read the cases any more" "SELECT count(*) FROM guantong.cases"
refused gtother "another OS user (no guantong role) cannot read the cases" "SELECT count(*) FROM guantong.cases"

# What the workstation lets a clerk do, psql lets them do too, and no more:
# return a case for evidence (a decision the clerk may take), with its audit row.
psql_as gtclerk "SELECT guantong.case_act(6, 1, 'return', 'the diploma is missing', 'snapshot', 'r', '[]', 'e')" \
	&& ok "a clerk returns case 6 for evidence with psql" || not_ok "a clerk returns case 6" "$(cat "$work/out")"
psql_as gtadmin "SELECT actor || ' ' || action FROM guantong.audit WHERE entity = 'case' AND entity_id = '6'"
has "$work/out" "gtclerk case.return" && ok "its audit row names gtclerk, written by the server" \
	|| not_ok "the audit row of the return" "$(cat "$work/out")"
psql_as gtadmin "SELECT count(*) FROM guantong.audit WHERE actor NOT IN ('gtpg', 'gtadmin', 'gtclerk', 'gtrev1')"
[ "$(cat "$work/out")" = 0 ] && ok "no audit row names anyone else (nothing forged got in)" \
	|| not_ok "audit rows by others" "$(cat "$work/out")"
psql_as gtadmin "SELECT count(*) FROM guantong.decisions d JOIN guantong.audit a ON a.entity = 'case' AND a.entity_id = d.case_id::text AND a.action = 'case.' || d.action AND a.actor = d.decided_by"
dec=$(cat "$work/out")
psql_as gtadmin "SELECT count(*) FROM guantong.decisions"
[ "$dec" = "$(cat "$work/out")" ] && ok "every decision has its audit row ($dec)" || not_ok "decisions without audit" "$dec vs $(cat "$work/out")"

echo "1..$n"
[ $failed -eq 0 ]
