#!/bin/bash
# The void, the staged evidence marks and the statistics on PostgreSQL, as on
# SQLite (issue 16 items 12 and 9, issue 18 item 3): an administrator voids a case with a note through
# case_act, audited by the server; clerks and reviewers cannot, nor can a
# void go without a note; a voided case leaves the queue and the export
# unless asked for, refuses decisions, edits and imports, and comes back
# submitted when reopened. The case view's marks of a whole checklist are one
# version and one audit row. The same steps on an SQLite file give the same
# export.
# Usage: void.sh GUANTONG SOURCE_DIR MARK_EVIDENCE
set -u
bin=$1 src=$2 mark=$3
. "$src/tests/pg/lib.sh"
pg_setup "$src" "$bin"
cp "$mark" "$work/mark_evidence" && chmod 755 "$work/mark_evidence"

run "init" 0 gtpg init --db "$db" --admin gtadmin
run "user add gtclerk" 0 gtadmin --db "$db" user add gtclerk --role clerk
run "user add gtrev1" 0 gtadmin --db "$db" user add gtrev1 --role reviewer
mkdir "$work/c" && chown gtclerk "$work/c"
cp "$src/fixtures/demo.csv" "$work/demo.csv" && chmod 644 "$work/demo.csv"
run "import" 0 gtclerk import --db "$db" --skip-invalid --reject "$work/c/r.csv" "$work/demo.csv"
s=$work/s.db
"$gt" import --db "$s" --skip-invalid --reject "$work/sr.csv" "$work/demo.csv" >/dev/null 2>&1
want() {
	local got
	got=$(sql "$3")
	[ "$got" = "$2" ] && ok "$1" || not_ok "$1" "expected: $2" "got: $got"
}

# The void.
run "a clerk cannot void" 1 gtclerk void --db "$db" 2 --note "a duplicate"
run "nor a reviewer" 1 gtrev1 void --db "$db" 2 --note "a duplicate"
psql_as gtadmin "SELECT guantong.case_act(2, 0, 'void', '', NULL, NULL, NULL, NULL)"
has "$work/out" "a note is required" && ok "the server wants a note" || not_ok "void without a note" "$(cat "$work/out")"
run "an administrator voids case 2" 0 gtadmin void --db "$db" 2 --note "a duplicate of case 3"
"$gt" void --db "$s" 2 --note "a duplicate of case 3" >/dev/null 2>&1
want "case 2 is void, version 2" "void|2" "SELECT status || '|' || version FROM guantong.cases WHERE id = 2"
want "its audit row, by the server" "gtadmin|case.void|a duplicate of case 3" \
	"SELECT actor || '|' || action || '|' || (after::jsonb->>'note') FROM guantong.audit WHERE entity = 'case' AND entity_id = '2' AND action = 'case.void'"
run "a voided case is not voided again" 1 gtadmin void --db "$db" 2 --note "again"
run "nor decided" 1 gtrev1 decide --db "$db" 2 --approve
want "nor decided (nothing written)" "void|2|0" \
	"SELECT status || '|' || version || '|' || (SELECT count(*) FROM guantong.decisions WHERE case_id = 2) FROM guantong.cases WHERE id = 2"
run "export --machine" 0 gtclerk export --db "$db" --machine --out "$work/c/e.csv"
grep -q "^[^,]*,[^,]*,[^,]*,.*,2,void," "$work/c/e.csv" && not_ok "the export leaves the voided case out" \
	|| ok "the export leaves the voided case out"
[ "$(wc -l <"$work/c/e.csv")" = 13 ] && ok "12 cases and the header" || not_ok "12 cases exported" "$(wc -l <"$work/c/e.csv")"
run "export --status void" 0 gtclerk export --db "$db" --machine --status void --out "$work/c/v.csv"
[ "$(wc -l <"$work/c/v.csv")" = 2 ] && ok "--status void exports it alone" || not_ok "--status void" "$(cat "$work/c/v.csv")"
# An import that changes the voided case's row: refused, the case as it was.
sed '3s/,魏秋菊,/,魏秋菊改,/; 2s/,魏秋菊,/,魏秋菊改,/' "$work/demo.csv" >"$work/demo2.csv"
awk -F, 'NR > 1 && $2 ~ /改/ { print NR }' "$work/demo2.csv" | grep -q . || sed -i '3s/^\([^,]*\),\([^,]*\),/\1,\2改,/' "$work/demo2.csv"
chmod 644 "$work/demo2.csv"
before=$(sql "SELECT name FROM guantong.cases WHERE id = 2")
run "an import over the voided case" 0 gtclerk import --db "$db" --skip-invalid --reject "$work/c/r2.csv" "$work/demo2.csv"
"$gt" import --db "$s" --skip-invalid --reject "$work/sr2.csv" "$work/demo2.csv" >/dev/null 2>&1
want "leaves it as it was" "$before|2" "SELECT name || '|' || version FROM guantong.cases WHERE id = 2"

# The staged marks: documents 0-2 received, 0 and 2 verified, the rest not.
v=$(sql "SELECT version FROM guantong.cases WHERE id = 3")
a=$(sql "SELECT count(*) FROM guantong.audit WHERE entity_id = '3'")
as gtclerk "$work/mark_evidence" "$db" 3 "$v" 7 5 >"$work/o" 2>&1
has "$work/o" "changed" && ok "the marks are saved" || not_ok "marks saved" "$(cat "$work/o")"
"$work/mark_evidence" "$s" 3 "$v" 7 5 >/dev/null 2>&1
want "as one version" "$((v + 1))" "SELECT version FROM guantong.cases WHERE id = 3"
want "and one audit row" "$((a + 1))|evidence.set" \
	"SELECT count(*) || '|' || max(action) FILTER (WHERE id = (SELECT max(id) FROM guantong.audit)) FROM guantong.audit WHERE entity_id = '3'"
# The audit row's after: the documents that changed, as SQLite's says them.
keys() { python3 -c 'import json, sys; print(" ".join(sorted(json.loads(sys.stdin.read()))))'; }
pk=$(sql "SELECT after FROM guantong.audit WHERE entity_id = '3' AND action = 'evidence.set'" | keys)
sk=$(sqlite3 "$s" "SELECT after FROM audit WHERE entity = 'case' AND entity_id = '3' AND action = 'evidence.set'" | keys)
[ -n "$pk" ] && [ "$pk" = "$sk" ] && ok "its after names the documents that changed, as on SQLite ($pk)" \
	|| not_ok "audit after as SQLite's" "PostgreSQL: $pk" "SQLite: $sk"
as gtclerk "$work/mark_evidence" "$db" 3 "$((v + 1))" 7 5 >"$work/o" 2>&1
has "$work/o" "unchanged" && ok "the same marks again change nothing" || not_ok "same marks" "$(cat "$work/o")"
want "(still one version more)" "$((v + 1))" "SELECT version FROM guantong.cases WHERE id = 3"
as gtclerk "$work/mark_evidence" "$db" 3 "$v" 1 1 >"$work/o" 2>&1
has "$work/o" "after you opened it" && ok "marks on an old version are a conflict" \
	|| not_ok "conflict" "$(cat "$work/o")"
as gtclerk "$work/mark_evidence" "$db" 2 2 1 1 >"$work/o" 2>&1
has "$work/o" "void" && ok "a voided case takes no marks" || not_ok "marks on a void case" "$(cat "$work/o")"

# The same steps on SQLite: the same cases, statuses, outcomes and marks.
for st in "" void; do
	run "export --machine ${st:+--status $st}" 0 gtclerk export --db "$db" --machine ${st:+--status $st} --out "$work/c/p$st.csv"
	"$gt" export --db "$s" --machine ${st:+--status $st} --out "$work/s$st.csv" >/dev/null 2>&1
	cmp -s "$work/s$st.csv" "$work/c/p$st.csv" && ok "the export${st:+ of the voided} reads as SQLite's" \
		|| not_ok "export${st:+ --status $st} as SQLite's" "$(diff "$work/s$st.csv" "$work/c/p$st.csv" | head -6)"
done

# The office's figures (stats, by SQL aggregates on the server): with a
# void, marks and two decisions, the same as SQLite's counters say, but the
# reviewer's login (gtrev1 there, root here).
run "approve case 4" 0 gtrev1 decide --db "$db" 4 --approve
run "reject case 5" 0 gtrev1 decide --db "$db" 5 --reject --note "the diploma is missing"
"$gt" decide --db "$s" 4 --approve >/dev/null 2>&1
"$gt" decide --db "$s" 5 --reject --note "the diploma is missing" >/dev/null 2>&1
run "stats on PostgreSQL" 0 gtclerk stats --db "$db" --format csv
sed 's/gtrev1/REVIEWER/g' "$work/o" >"$work/pstats"
"$gt" stats --db "$s" --format csv 2>&1 | sed 's/root/REVIEWER/g' >"$work/sstats"
grep -q "^reviewer,REVIEWER,REVIEWER,1,1" "$work/sstats" && grep -q "^status,void,.*,1," "$work/sstats" \
	&& cmp -s "$work/sstats" "$work/pstats" && ok "stats --format csv reads as SQLite's ($(wc -l <"$work/pstats") lines)" \
	|| not_ok "stats as SQLite's" "$(diff "$work/sstats" "$work/pstats" | head -8)"
run "stats as text" 0 gtclerk stats --db "$db"

# Reopened (the workstation's o: case_act), a voided case is submitted again.
psql_as gtrev1 "SELECT guantong.case_act(2, 0, 'reopen', 'not a duplicate', NULL, NULL, NULL, NULL)"
has "$work/out" "needs a admin" && ok "a reviewer cannot undo a void" || not_ok "reviewer reopen" "$(cat "$work/out")"
psql_as gtadmin "SELECT guantong.case_act(2, 0, 'reopen', 'not a duplicate', NULL, NULL, NULL, NULL)" \
	&& ok "an administrator can" || not_ok "admin reopen" "$(cat "$work/out")"
want "and the case is submitted again" "submitted" "SELECT status FROM guantong.cases WHERE id = 2"
echo "1..$n"
[ "$failed" -eq 0 ]
