#!/bin/bash
# The store's golden behaviours on PostgreSQL, through the real binary run
# by real OS users: import all or nothing, a repeated import changes
# nothing, export and import of the export round-trip, an edited row is one
# audited update, decisions and conflicts, a removed user, and the queue's
# refresh when another user commits (LISTEN/NOTIFY) in the workstation.
# Usage: store.sh GUANTONG SOURCE_DIR
set -u
bin=$1 src=$2
. "$src/tests/pg/lib.sh"
pg_setup "$src" "$bin"


run "init" 0 gtpg init --db "$db" --admin gtadmin
run "init again is refused" 1 gtpg init --db "$db" --admin gtadmin
has "$work/e" "set up for guantong already" && ok "and says so" || not_ok "init again says so" "$(cat "$work/e")"
run "user add gtclerk" 0 gtadmin --db "$db" user add gtclerk --role clerk
run "user add gtrev1" 0 gtadmin --db "$db" user add gtrev1 --role reviewer
run "a clerk cannot add users" 1 gtclerk --db "$db" user add gtrev2 --role admin
mkdir "$work/c" && chown gtclerk "$work/c"
cp "$src/fixtures/demo.csv" "$work/demo.csv"
chmod 644 "$work/demo.csv"

# All or nothing: the demo file has one invalid row.
run "import with an invalid row fails" 1 gtclerk import --db "$db" "$work/demo.csv"
has "$work/e" "line 7, identity card number: " && ok "the message names the line and the column" \
	|| not_ok "line and column" "$(cat "$work/e")"
[ "$(sql "SELECT count(*) FROM guantong.cases")" = 0 ] && ok "nothing was imported" || not_ok "nothing imported"
run "import --skip-invalid" 0 gtclerk import --db "$db" --skip-invalid --reject "$work/c/rej.csv" "$work/demo.csv"
has "$work/e" "13 new cases" && ok "13 new cases" || not_ok "13 new cases" "$(cat "$work/o")"
[ "$(stat -c %a "$work/c/rej.csv")" = 600 ] && ok "the reject file is 0600" || not_ok "reject 0600"
has "$work/c/rej.csv" "reject_reason" && ok "the reject file has the reason column" || not_ok "reject reason column"
[ "$(sql "SELECT count(*) FROM guantong.audit WHERE action = 'import'")" = 1 ] \
	&& ok "the import is one audit row" || not_ok "one import audit row"
sql "SELECT after FROM guantong.audit WHERE action = 'import'" >"$work/a"
has "$work/a" '"created": [[1, 13]]' && has "$work/a" '"sha256": "' && ok "which names the cases and the file's SHA-256" \
	|| not_ok "import audit row" "$(cat "$work/a")"
# The same cases on SQLite: the exports read the same, CSV and XLSX.
xlsx_cells() {
	python3 - "$1" <<'PY'
import re, sys, zipfile, html
x = zipfile.ZipFile(sys.argv[1]).read('xl/worksheets/sheet1.xml').decode()
for row in re.findall(r'<row [^>]*>(.*?)</row>', x, re.S):
    cells = re.findall(r'<c r="([A-Z]+)\d+"[^>]*>(?:<is><t[^>]*>(.*?)</t></is>)?', row)
    print('|'.join(c + '=' + html.unescape(t) for c, t in cells))
PY
}
"$gt" import --db "$work/s.db" --skip-invalid --reject "$work/srej.csv" "$work/demo.csv" >/dev/null 2>&1
"$gt" export --db "$work/s.db" --machine --out "$work/s.csv" >/dev/null 2>&1
"$gt" export --db "$work/s.db" --out "$work/s.xlsx" >/dev/null 2>&1
run "export --machine" 0 gtclerk export --db "$db" --machine --out "$work/c/first.csv"
cmp -s "$work/s.csv" "$work/c/first.csv" && ok "the CSV export is byte for byte SQLite's" \
	|| not_ok "CSV export as SQLite's" "$(diff "$work/s.csv" "$work/c/first.csv" | head -6)"
run "an XLSX export on PostgreSQL" 0 gtclerk export --db "$db" --out "$work/c/first.xlsx"
[ "$(stat -c %a "$work/c/first.xlsx")" = 600 ] && ok "the XLSX is 0600" || not_ok "xlsx 0600"
xlsx_cells "$work/s.xlsx" >"$work/s.cells"
xlsx_cells "$work/c/first.xlsx" >"$work/p.cells" 2>&1
if [ "$(wc -l <"$work/p.cells")" = 14 ] && cmp -s "$work/s.cells" "$work/p.cells"; then
	ok "its header and 13 rows read cell for cell as SQLite's"
else
	not_ok "XLSX as SQLite's" "$(diff "$work/s.cells" "$work/p.cells" | head -6)"
fi
grep -q "510104198110222956" "$work/p.cells" && grep -q "魏秋菊" "$work/p.cells" \
	&& ok "with names and whole identity numbers" || not_ok "xlsx content" "$(head -3 "$work/p.cells")"
[ "$(sql "SELECT count(*) FROM guantong.audit WHERE action = 'export' AND after::jsonb->>'format' = 'xlsx'
          AND after::jsonb->>'cases' = '13' AND actor = 'gtclerk'")" = 1 ] && ok "audited as an XLSX export of 13 cases" \
	|| not_ok "xlsx audit"
# due, agenda and sheet read the same cases as on SQLite.
"$gt" due --db "$work/s.db" --within 36600 --format csv >"$work/s.due" 2>&1
run "due on PostgreSQL" 0 gtclerk due --db "$db" --within 36600 --format csv
cmp -s "$work/s.due" "$work/o" && [ "$(wc -l <"$work/o")" -ge 2 ] && ok "lists what SQLite's lists ($(($(wc -l <"$work/o") - 1)) cases)" \
	|| not_ok "due as SQLite's" "$(diff "$work/s.due" "$work/o" | head -6)"
"$gt" agenda --db "$work/s.db" --out "$work/s.pdf" >/dev/null 2>&1
run "agenda on PostgreSQL" 0 gtclerk agenda --db "$db" --out "$work/c/agenda.pdf"
if command -v pdftotext >/dev/null; then
	# The same text but the printing time.
	pdftotext -layout "$work/s.pdf" - | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}//g' >"$work/s.txt"
	pdftotext -layout "$work/c/agenda.pdf" - | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}//g' >"$work/p.txt"
	cmp -s "$work/s.txt" "$work/p.txt" && grep -q "魏秋菊" "$work/p.txt" && ok "its text is SQLite's agenda's" \
		|| not_ok "agenda as SQLite's" "$(diff "$work/s.txt" "$work/p.txt" | head -12 | cat -A | cut -c1-200)"
fi
run "sheet on PostgreSQL" 0 gtclerk sheet --db "$db" 1 2 --out "$work/c/sheet.pdf"
[ "$(sql "SELECT count(*) FROM guantong.audit WHERE actor = 'gtclerk' AND after::jsonb->>'format' = 'pdf'")" = 2 ] \
	&& ok "the agenda and the sheet are audited" || not_ok "pdf audit rows" "$(sql "SELECT action, after FROM guantong.audit WHERE after LIKE '%pdf%'")"
run "the same file again" 0 gtclerk import --db "$db" --skip-invalid --reject "$work/c/rej2.csv" "$work/demo.csv"
has "$work/e" "13 unchanged" && ok "changes nothing (13 unchanged)" || not_ok "unchanged" "$(cat "$work/o")"
[ "$(sql "SELECT max(version) FROM guantong.cases")" = 1 ] && ok "every case still at version 1" || not_ok "versions"

# Export, and import of the export.
run "export --machine" 0 gtclerk export --db "$db" --machine --out "$work/c/all.csv"
[ "$(stat -c %a "$work/c/all.csv")" = 600 ] && ok "the export is 0600" || not_ok "export 0600"
[ "$(wc -l <"$work/c/all.csv")" = 14 ] && ok "a header and 13 rows" || not_ok "export rows" "$(wc -l <"$work/c/all.csv")"
head -1 "$work/c/all.csv" | grep -q "case_id,status,decided_by" && ok "with the store's columns" || not_ok "export header"
[ "$(sql "SELECT count(*) FROM guantong.audit WHERE action = 'export' AND after::jsonb->>'cases' = '13' AND after::jsonb->>'file' LIKE '%/all.csv'")" = 1 ] \
	&& ok "the export is audited with its count" || not_ok "export audit"
run "export to an existing file is refused" 1 gtclerk export --db "$db" --machine --out "$work/c/all.csv"
run "import of the export" 0 gtclerk import --db "$db" "$work/c/all.csv"
has "$work/e" "13 unchanged" && ok "reads back unchanged" || not_ok "round trip" "$(cat "$work/o")"
# One edited row: one update, audited with the changed field only.
sed '2s/,no,/,yes,/' "$work/c/all.csv" >"$work/edit.csv"
chmod 644 "$work/edit.csv"
if ! cmp -s "$work/edit.csv" "$work/c/all.csv"; then
	run "import of an edited row" 0 gtclerk import --db "$db" "$work/edit.csv"
	has "$work/e" "1 updated" && ok "one case updated" || not_ok "one update" "$(cat "$work/o")"
	[ "$(sql "SELECT count(*) FROM guantong.audit WHERE action = 'case.import'")" = 1 ] \
		&& ok "with its own audit row" || not_ok "case.import audit row"
else
	not_ok "the edit changed the file"
fi

# Decisions.
run "a clerk cannot approve" 1 gtclerk decide --db "$db" 1 --approve --note x
has "$work/e" "only a reviewer may approve" && ok "and is told in words" || not_ok "denied words" "$(cat "$work/e")"
run "a reviewer approves case 1" 0 gtrev1 decide --db "$db" 1 --approve --note "checked"
run "approving case 3 at version 1" 0 gtrev1 decide --db "$db" 3 --reject --note "no diploma" --version 1
run "again at version 1: conflict" 3 gtrev1 decide --db "$db" 3 --return --note x --version 1
has "$work/e" "was changed by gtrev1" && ok "the conflict names who changed it" || not_ok "conflict words" "$(cat "$work/e")"
run "evaluate shows the decision" 0 gtclerk evaluate --db "$db" 1
grep -qi "approved" "$work/o" && ok "case 1 is approved" || not_ok "evaluate" "$(head -5 "$work/o")"
run "export after the decision" 0 gtclerk export --db "$db" --machine --out "$work/c/after.csv"
grep -q ",approved,gtrev1," "$work/c/after.csv" && ok "the export shows who decided" || not_ok "export decided_by"
[ "$(sql "SELECT count(*) FROM guantong.audit a JOIN guantong.decisions d ON a.entity_id = d.case_id::text AND a.action = 'case.' || d.action AND a.actor = d.decided_by")" = 2 ] \
	&& ok "both decisions audited" || not_ok "decision audit"
run "user remove gtrev1" 0 gtadmin --db "$db" user remove gtrev1
run "the removed reviewer cannot decide" 1 gtrev1 decide --db "$db" 4 --reject --note x
has "$work/e" "not a user of this database" && ok "and is told so" || not_ok "removed words" "$(cat "$work/e")"
run "the removed reviewer cannot read" 1 gtrev1 evaluate --db "$db" 4
# reevaluate after a rule-set change (simulated as in golden/answer.sh):
# the undecided cases follow, the decided keep theirs, one audit row,
# nothing the second time.
und=$(sql "SELECT count(*) FROM guantong.cases c LEFT JOIN guantong.decisions d ON d.id = c.decision_id
           AND d.case_version = c.version WHERE d.id IS NULL")
before_v=$(sql "SELECT string_agg(id || ':' || version || ':' || updated_at, ',' ORDER BY id) FROM guantong.cases")
as gtclerk env GUANTONG_TEST_RULESET=test.2:1461 "$gt" reevaluate --db "$db" >"$work/o" 2>"$work/e" \
	&& ok "reevaluate on PostgreSQL" || not_ok "reevaluate" "$(cat "$work/e")"
[ "$(sql "SELECT count(*) FROM guantong.cases c JOIN guantong.evaluations e ON e.id = c.eval_id
          WHERE e.ruleset LIKE 'test.2%'")" = "$und" ] && ok "the $und undecided cases are evaluated by the new rule set" \
	|| not_ok "undecided cases re-evaluated" "$(cat "$work/o" "$work/e")"
[ "$(sql "SELECT count(*) FROM guantong.cases c JOIN guantong.evaluations e ON e.id = c.eval_id
          WHERE c.id IN (1, 3) AND e.ruleset LIKE 'test.2%'")" = 0 ] && ok "the decided cases keep theirs" \
	|| not_ok "decided cases untouched"
[ "$(sql "SELECT string_agg(id || ':' || version || ':' || updated_at, ',' ORDER BY id) FROM guantong.cases")" = "$before_v" ] \
	&& ok "no case's version or update time moved" || not_ok "versions moved by reevaluate"
[ "$(sql "SELECT count(*) FROM guantong.audit WHERE action = 'reevaluate' AND actor = 'gtclerk'
          AND (after::jsonb->>'cases')::int = $und
          AND jsonb_array_length(after::jsonb->'changed') = (after::jsonb->>'changed_outcome')::int
          AND before::jsonb->'rulesets' IS NOT NULL")" = 1 ] && ok "one audit row with the count and the changed outcomes" \
	|| not_ok "reevaluate audit" "$(sql "SELECT before, after FROM guantong.audit WHERE action = 'reevaluate'")"
[ "$(sql "SELECT count(*) FROM guantong.cases WHERE outcome <> (SELECT outcome FROM guantong.evaluations e WHERE e.id = eval_id)")" = 0 ] \
	&& ok "the queue's outcome column follows the new evaluation" || not_ok "cases.outcome follows"
as gtclerk env GUANTONG_TEST_RULESET=test.2:1461 "$gt" reevaluate --db "$db" >"$work/o" 2>"$work/e"
[ "$(sql "SELECT count(*) FROM guantong.audit WHERE action = 'reevaluate'")" = 1 ] && ok "reevaluate again writes nothing" \
	|| not_ok "reevaluate idempotent"
as gtother env GUANTONG_TEST_RULESET=test.3:1461 "$gt" reevaluate --db "$db" >"$work/o" 2>"$work/e" \
	&& not_ok "a stranger cannot reevaluate" || ok "a stranger cannot reevaluate"
run "backup says to use the server's tools" 1 gtadmin backup --db "$db" "$work/c/b.db"
has "$work/e" "pg_dump" && ok "pg_dump named" || not_ok "backup message" "$(cat "$work/e")"

# The workstation: the queue refreshes when another user commits (NOTIFY).
if command -v tmux >/dev/null; then
	run "user add gtrev2" 0 gtadmin --db "$db" user add gtrev2 --role reviewer
	sock=gtpg-$$
	tmux -L "$sock" -f /dev/null new-session -d -x 140 -y 30 \
		"runuser -u gtclerk -- env PGHOST=$PGHOST TERM=xterm LC_ALL=C.UTF-8 HOME=/nonexistent $gt --db $db"
	screen() { tmux -L "$sock" capture-pane -p 2>/dev/null; }
	waitfor() { local i; for i in $(seq 1 150); do screen | grep -qE "$1" && return 0; sleep 0.1; done; return 1; }
	if waitfor "^ *5 "; then
		ok "the queue shows the cases"
		as gtrev2 "$gt" decide --db "$db" 5 --reject --note "from elsewhere" >/dev/null 2>&1
		if waitfor "^ *5 .*(rejected|Rejected)"; then ok "and refreshes when another user decides"
		else not_ok "refresh on another user's decision" "$(screen | head -12)"; fi
	else
		not_ok "the queue shows the cases" "$(screen | head -12)"
	fi
	tmux -L "$sock" kill-server 2>/dev/null
fi

echo "1..$n"
[ $failed -eq 0 ]
