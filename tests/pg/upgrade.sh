#!/bin/bash
# The upgrade of a PostgreSQL database made by the previous version (schema
# version 1: tests/pg/v1.sql, a pg_dump of the schema guantong that the
# guantong of d9470ba made: init, gtclerk added, fixtures/demo.csv imported
# with --skip-invalid, case 1 approved by gtadmin). The program refuses it
# until an administrator of the server runs init, which upgrades it in one
# transaction (a failure changes nothing) and audits it; afterwards the cases
# and the log are as they were, every name has its pinyin and its search
# terms, the void works, and the export reads as SQLite's of the same file.
# Usage: upgrade.sh GUANTONG SOURCE_DIR
set -u
bin=$1 src=$2
. "$src/tests/pg/lib.sh"
pg_setup "$src" "$bin"
# The cluster's roles as the old init made them, then the dump. The files
# are opened here, as root, and given on standard input: the server's OS
# user may not enter the source tree (a fresh clone under mktemp -d).
: >"$work/restore"
as gtpg psql -X -q -v ON_ERROR_STOP=1 -d guantong <"$src/store/pg/roles.sql" >>"$work/restore" 2>&1 \
	&& as gtpg psql -X -q -v ON_ERROR_STOP=1 -d guantong -c "CREATE ROLE gtadmin LOGIN; CREATE ROLE gtclerk LOGIN;
		GRANT guantong_admin TO gtadmin; GRANT guantong_clerk TO gtclerk" >>"$work/restore" 2>&1 \
	&& as gtpg psql -X -q -v ON_ERROR_STOP=1 -d guantong <"$src/tests/pg/v1.sql" >>"$work/restore" 2>&1 \
	&& as gtpg psql -X -q -d guantong -c "REVOKE guantong_owner FROM gtpg" >/dev/null 2>&1 \
	&& ok "a version 1 database" || { not_ok "restore v1.sql" "$(head -5 "$work/restore")"; echo "1..$n"; exit 1; }
want() {
	local got
	got=$(sql "$3")
	[ "$got" = "$2" ] && ok "$1" || not_ok "$1" "expected: $2" "got: $got"
}
# What must not change: the cases (but the new pinyin), decisions, evaluations, users and audit rows.
state() {
	sql "SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (
	       SELECT (c.id, c.id_number, c.name, c.region, c.direction, c.case_ref, c.level, c.fields, c.status,
	               c.version, c.updated_at, c.outcome, c.eval_id, c.decision_id)::text AS x FROM guantong.cases c
	       UNION ALL SELECT d::text FROM guantong.decisions d UNION ALL SELECT e::text FROM guantong.evaluations e
	       UNION ALL SELECT u::text FROM guantong.users u UNION ALL SELECT a::text FROM guantong.audit a) s"
}
state >"$work/state0"
want "its cases" "13" "SELECT count(*) FROM guantong.cases"

run "the program refuses the old schema" 1 gtclerk export --db "$db" --machine --out -
has "$work/e" "schema version 1, older than this program's 6" && has "$work/e" "guantong init" \
	&& ok "and says how to upgrade" || not_ok "says how to upgrade" "$(cat "$work/e")"
run "a clerk cannot upgrade it" 1 gtclerk init --db "$db"
# A failure halfway (an object in the way of the migration): nothing changes.
as gtpg psql -X -q -d guantong -c "CREATE TABLE guantong.case_terms (x int)" >/dev/null 2>&1
run "an upgrade that fails" 1 gtpg init --db "$db"
as gtpg psql -X -q -d guantong -c "DROP TABLE guantong.case_terms" >/dev/null 2>&1
want "leaves no column, no version" "0|0" \
	"SELECT (SELECT count(*) FROM pg_attribute WHERE attrelid = 'guantong.cases'::regclass AND attname = 'pinyin')
	        || '|' || (SELECT count(*) FROM guantong.meta WHERE key = 'schema_version')"
[ "$(state)" = "$(cat "$work/state0")" ] && ok "and the data as it was" || not_ok "data unchanged after the failure"

run "init upgrades it" 0 gtpg init --db "$db"
has "$work/o" "from schema version 1 to 6" && ok "and says so" || not_ok "says upgraded" "$(cat "$work/o" "$work/e")"
want "schema version 6" "6" "SELECT value FROM guantong.meta WHERE key = 'schema_version'"
[ "$(state)" != "$(cat "$work/state0")" ] || not_ok "the upgrade has its audit row"
want "one audit row, by the server's caller" "gtpg|schema.upgrade|1|6" \
	"SELECT actor || '|' || action || '|' || (before::jsonb->>'version') || '|' || (after::jsonb->>'version')
	 FROM guantong.audit WHERE action = 'schema.upgrade'"
# The same state once the upgrade's row is left out.
sql "SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (
       SELECT (c.id, c.id_number, c.name, c.region, c.direction, c.case_ref, c.level, c.fields, c.status,
               c.version, c.updated_at, c.outcome, c.eval_id, c.decision_id)::text AS x FROM guantong.cases c
       UNION ALL SELECT d::text FROM guantong.decisions d UNION ALL SELECT e::text FROM guantong.evaluations e
       UNION ALL SELECT u::text FROM guantong.users u
       UNION ALL SELECT a::text FROM guantong.audit a WHERE action <> 'schema.upgrade') s" >"$work/state1"
cmp -s "$work/state0" "$work/state1" && ok "cases, evaluations, decisions, users and the log as they were" \
	|| not_ok "data unchanged by the upgrade"
counters_hold "after the upgrade (from the rows stored)"
want "every name has its pinyin" "0" "SELECT count(*) FROM guantong.cases WHERE pinyin = ''"
want "wei qiu ju (魏秋菊)" "wei qiu ju" "SELECT pinyin FROM guantong.cases WHERE name = '魏秋菊'"
terms=$(as gtpg psql -X -q -d guantong -At -c "WITH k AS (SELECT t AS term, c.id AS case_id FROM guantong.cases c,
          guantong.case_terms_of(c.id, c.name, c.pinyin, c.case_ref, c.id_number) t)
        SELECT (SELECT count(*) FROM guantong.case_terms) || ' ' ||
               (SELECT count(*) FROM (TABLE k EXCEPT ALL SELECT term, case_id FROM guantong.case_terms) x) || ' ' ||
               (SELECT count(*) FROM (SELECT term, case_id FROM guantong.case_terms EXCEPT ALL TABLE k) y)")
case $terms in
[1-9]*" 0 0") ok "every case has its search terms ($terms)" ;;
*) not_ok "search terms" "$terms" ;;
esac
want "gtpg is not left in guantong_owner" "0" \
	"SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
	 WHERE r.rolname = 'guantong_owner' AND u.rolname = 'gtpg'"
run "init again changes nothing" 1 gtpg init --db "$db"
has "$work/e" "set up for guantong already" && ok "and says so" || not_ok "set up already" "$(cat "$work/e")"

# The program works on it as on a new one.
mkdir "$work/c" && chown gtclerk "$work/c"
cp "$src/fixtures/demo.csv" "$work/demo.csv" && chmod 644 "$work/demo.csv"
"$gt" import --db "$work/s.db" --skip-invalid --reject "$work/sr.csv" "$work/demo.csv" >/dev/null 2>&1
"$gt" decide --db "$work/s.db" 1 --approve >/dev/null 2>&1 # as in the dump: the undecided compared
"$gt" export --db "$work/s.db" --machine --status submitted --out "$work/s.csv" >/dev/null 2>&1
run "export" 0 gtclerk export --db "$db" --machine --status submitted --out "$work/c/p.csv"
cmp -s "$work/s.csv" "$work/c/p.csv" && ok "the export reads as SQLite's" \
	|| not_ok "export as SQLite's" "$(diff "$work/s.csv" "$work/c/p.csv" | head -6)"
# Version 5: the due dates the upgrade made (the client evaluates the cases
# that wait for years only, as SQLite's gt_due_fill), read by one index.
"$gt" due --db "$work/s.db" --within 36600 >"$work/sdue" 2>&1
run "due" 0 gtclerk due --db "$db" --within 36600
want "the upgrade kept the due dates" "1" "SELECT count(*) FROM guantong.cases WHERE due_on IS NOT NULL"
grep -q "1 case falls due" "$work/o" && cmp -s "$work/sdue" "$work/o" && ok "due reads as SQLite's" \
	|| not_ok "due as SQLite's" "SQLite: $(cat "$work/sdue")" "PostgreSQL: $(cat "$work/o" "$work/e")"
as gtpg psql -X -q -d guantong -At -c "SET enable_seqscan = off; EXPLAIN SELECT id FROM guantong.cases
	WHERE due_on <= '2030-01-01' AND status <> 'approved' ORDER BY due_on, id" >"$work/plan" 2>&1
grep -q "cases_due" "$work/plan" && ok "due reads the index cases_due" || not_ok "due's index" "$(cat "$work/plan")"
run "a void" 0 gtadmin void --db "$db" 2 --note "a duplicate"
want "(the new status)" "void" "SELECT status FROM guantong.cases WHERE id = 2"
run "a new case's terms" 0 gtclerk import --db "$db" --skip-invalid --reject "$work/c/r.csv" "$work/demo.csv"
# Version 3's import_run: a repeated import that changes nothing is one
# audit row that names the import it repeats, with the client's counts.
run "the same file again" 0 gtclerk import --db "$db" --skip-invalid --reject "$work/c/r2.csv" "$work/demo.csv"
want "one audit row naming the import it repeats" "2|14|1|13|utf-8" \
	"SELECT count(*) || '|' || max(after::jsonb->>'rows') FILTER (WHERE after::jsonb ? 'same_as')
	        || '|' || max(after::jsonb->>'invalid') FILTER (WHERE after::jsonb ? 'same_as')
	        || '|' || max(after::jsonb->>'unchanged') FILTER (WHERE after::jsonb ? 'same_as')
	        || '|' || max(after::jsonb->>'encoding') FILTER (WHERE after::jsonb ? 'same_as')
	 FROM guantong.audit WHERE action = 'import' AND id > (SELECT max(id) FROM guantong.audit WHERE action = 'schema.upgrade')"
# Version 4: the search terms' function is one the planner inlines (no SET
# clause, not SECURITY DEFINER, not STRICT), and a case given twice in one
# file counts as on SQLite: the second row, the same as the first, unchanged.
want "case_terms_of is inlinable" "true|false|false" \
	"SELECT (proconfig IS NULL) || '|' || prosecdef || '|' || proisstrict FROM pg_proc
	 WHERE proname = 'case_terms_of' AND pronamespace = 'guantong'::regnamespace"
as gtpg psql -X -q -d guantong -At -c "EXPLAIN SELECT t FROM guantong.cases c,
	guantong.case_terms_of(c.id, c.name, c.pinyin, c.case_ref, c.id_number) t" >"$work/plan" 2>&1
grep -q "Seq Scan on cases" "$work/plan" && ! grep -q "Function Scan on case_terms_of" "$work/plan" \
	&& ok "and the planner inlines it (no function call per case)" || not_ok "inlined" "$(cat "$work/plan")"
python3 - "$work/demo.csv" "$work/twice.csv" <<'EOF'
import csv, sys
# Case 3 of the demo (undecided on both stores), its name changed, twice.
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
h, r = rows[0], rows[3]
r[h.index('name')] += '乙'
with open(sys.argv[2], 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f, lineterminator='\n'); w.writerow(h); w.writerow(r); w.writerow(r)
EOF
chmod 644 "$work/twice.csv"
"$gt" import --db "$work/s.db" "$work/twice.csv" >/dev/null 2>"$work/se"
run "a case given twice" 0 gtclerk import --db "$db" "$work/twice.csv"
grep -q "1 updated, 1 unchanged" "$work/se" && [ "$(sed 's/^[^:]*: //' "$work/se")" = "$(sed 's/^[^:]*: //' "$work/e")" ] \
	&& ok "counts as on SQLite: $(sed 's/^[^:]*: //' "$work/e")" \
	|| not_ok "counts of a case given twice" "SQLite: $(cat "$work/se")" "PostgreSQL: $(cat "$work/e")"
counters_hold "after a void, imports and a decision"
run "a reviewer's decision" 0 gtadmin decide --db "$db" 3 --reject --note "not yet"
counters_hold "after a rejection"
psql_as gtclerk "INSERT INTO guantong.case_counts VALUES ('x', 'x', 'x', 'x', 'x', 'x', 'x', 1)"
grep -q "permission denied" "$work/out" && ok "a clerk cannot write the counters" || not_ok "counters writable" "$(cat "$work/out")"
psql_as gtclerk "UPDATE guantong.decision_counts SET approved = approved + 1"
grep -q "permission denied" "$work/out" && ok "nor the decisions' counts" || not_ok "decision counts writable" "$(cat "$work/out")"

# A newer schema than the program's: refused.
as gtpg psql -X -q -d guantong -c "UPDATE guantong.meta SET value = '7' WHERE key = 'schema_version'" >/dev/null 2>&1
run "a newer schema is refused" 1 gtclerk export --db "$db" --machine --out -
has "$work/e" "newer than this program's" && ok "and says so" || not_ok "newer" "$(cat "$work/e")"
echo "1..$n"
[ "$failed" -eq 0 ]
