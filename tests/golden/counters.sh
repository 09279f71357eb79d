#!/bin/bash
# The counters that `stats` reads (store/migrate/010.sql: case_counts,
# decision_counts, decision_hours), kept by triggers on write, against the
# same counts made independently by the sqlite3 shell over the raw tables
# (cases, evaluations, decisions): after an import, edits (a re-import of
# changed rows), decisions of every kind, a reevaluation that changes
# outcomes and routes, hand edits with the shell, an import killed with
# SIGKILL part-way, and a version-8 file upgraded (the migration fills them).
# Usage: counters.sh GUANTONG SOURCE_DIR
set -u
bin=$(realpath "$1") src=$(realpath "$2")
gen=$(dirname "$bin")/bench/gen_cases
fail=0 pass=0
tmp=$(mktemp -d)
bgpid=
trap '[ -n "$bgpid" ] && kill -9 "$bgpid" 2>/dev/null; rm -rf "$tmp"' EXIT
unset LANGUAGE
export LC_ALL=zh_CN.UTF-8 TZ=Asia/Shanghai
ok() { pass=$((pass + 1)); }
no() { echo "FAIL $*"; fail=$((fail + 1)); }
db=$tmp/c.db
q() { sqlite3 "$db" "$1"; }

# Every counter against the raw rows; $1 names the moment.
same_counts() {
	local when=$1 got want
	got=$(q "SELECT region, direction, level, outcome, route, award, status, sum(n) FROM case_counts
	         GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7")
	want=$(q "SELECT c.region, c.direction, ifnull(c.requested_level, c.target), c.outcome, e.route,
	          CASE e.route WHEN 'green_channel' THEN e.basis ELSE '' END, c.status, count(*)
	          FROM cases c JOIN evaluations e ON e.id = c.eval_id
	          GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7")
	if [ -n "$want" ] && [ "$got" = "$want" ]; then ok; else
		no "$when: case_counts differ from the cases"
		diff <(echo "$want") <(echo "$got") | head -5
	fi
	got=$(q "SELECT hour, reviewer, sum(approved), sum(rejected) FROM decision_counts GROUP BY 1, 2
	         HAVING sum(approved) <> 0 OR sum(rejected) <> 0 ORDER BY 1, 2")
	want=$(q "SELECT substr(datetime(decided_at), 1, 13) || ':00:00', decided_by, sum(action = 'approve'),
	          sum(action = 'reject') FROM decisions WHERE action IN ('approve', 'reject') GROUP BY 1, 2 ORDER BY 1, 2")
	if [ "$got" = "$want" ]; then ok; else
		no "$when: decision_counts differ from the decisions"
		diff <(echo "$want") <(echo "$got") | head -5
	fi
	got=$(q "SELECT hours, n FROM decision_hours WHERE n <> 0 ORDER BY 1")
	# created_at as text through the view (seconds since version 12, or
	# the text the shell's own edit below wrote).
	want=$(q "SELECT (strftime('%s', d.decided_at) - strftime('%s', t.created_at)) / 3600 AS h, count(*)
	          FROM cases c JOIN case_times t ON t.case_id = c.id JOIN decisions d ON d.id = c.decision_id
	          WHERE d.action IN ('approve', 'reject')
	          GROUP BY h ORDER BY h")
	if [ "$got" = "$want" ]; then ok; else
		no "$when: decision_hours differ from the decided cases"
		diff <(echo "$want") <(echo "$got") | head -5
	fi
}

[ -x "$gen" ] || { echo "FAIL no $gen (built with the benchmarks)"; exit 1; }
"$gen" 3000 7 >"$tmp/a.csv" 2>/dev/null
"$bin" import --db "$db" --skip-invalid --reject "$tmp/rej.csv" "$tmp/a.csv" >/dev/null 2>&1 || no "import"
# Into an empty store the import drops the counters' triggers and the
# indexes, and makes the counts by one aggregate at the end: the counts are
# those of the cases, and the schema is a new file's.
same_counts "after an import into an empty store"
"$bin" init --db "$tmp/fresh.db" >/dev/null 2>&1 || no "init"
schema() { sqlite3 "$1" "SELECT type, name, sql FROM sqlite_schema ORDER BY type, name"; }
if [ "$(schema "$db")" = "$(schema "$tmp/fresh.db")" ]; then ok; else
	no "the schema after an import into an empty store differs from a new file's"
	diff <(schema "$tmp/fresh.db") <(schema "$db") | head -5
fi
"$bin" import --db "$db" --skip-invalid --reject "$tmp/rej2.csv" "$src/fixtures/demo.csv" >/dev/null 2>&1 ||
	no "import of the demo cases"
n=$(q "SELECT count(*) FROM cases")
[ "$n" -gt 2900 ] && ok || no "the cases imported ($n)"
[ "$(q "SELECT count(DISTINCT route) FROM evaluations")" -ge 3 ] && ok || no "several routes"
[ "$(q "SELECT count(*) FROM evaluations WHERE route = 'green_channel'")" -gt 0 ] && ok || no "a green channel"
same_counts "after the import"

# Edits: the same people re-imported with another level applied for and
# without their frontline proof; the rows keep their cases.
python3 - "$tmp/a.csv" "$tmp/b.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8')))
h, body = rows[0], rows[1:]
ix = {k: i for i, k in enumerate(h)}
out = [h]
for i, r in enumerate(body):
    if i % 3:
        continue
    r = list(r)
    r[ix['requested_level']] = '' if r[ix['requested_level']] else r[ix['requested_level']]
    r[ix['evidence']] = ';'.join(e for e in r[ix['evidence']].split(';') if e != 'frontline_proof')
    r[ix['frontline']] = 'no'
    out.append(r)
csv.writer(open(sys.argv[2], 'w', encoding='utf-8', newline=''), lineterminator='\n').writerows(out)
EOF
"$bin" import --db "$db" --skip-invalid --reject "$tmp/rej3.csv" "$tmp/b.csv" >/dev/null 2>&1 || no "re-import"
[ "$(q "SELECT count(*) FROM cases WHERE version > 1")" -gt 100 ] && ok || no "the re-import changed cases"
same_counts "after the edits"

# Decisions: approvals, rejections, returns, then a reopened case decided again.
for i in $(seq 1 97 1500); do "$bin" decide --db "$db" "$i" --approve --note "同意" >/dev/null 2>&1; done
for i in $(seq 5 101 1500); do "$bin" decide --db "$db" "$i" --reject --note "不同意" >/dev/null 2>&1; done
for i in $(seq 9 149 1500); do "$bin" decide --db "$db" "$i" --return --note "补材料" >/dev/null 2>&1; done
[ "$(q "SELECT count(DISTINCT action) FROM decisions")" = 3 ] && ok || no "three kinds of decision"
same_counts "after the decisions"

# The shell's own edits: intake spread over months, a decision by hand, a
# decision's time moved, a case's status and region changed.
q "UPDATE cases SET created_at = strftime('%Y-%m-%d %H:%M:%S+00:00', 'now', '-' || (id * 7 % 61) || ' days',
   '-' || (id % 24) || ' hours')"
q "INSERT INTO decisions (case_id, case_version, eval_id, action, decided_by, decided_at, note, snapshot)
   SELECT id, version, eval_id, 'reject', 'eve', '2025-01-31 17:00:00+00:00', '', '' FROM cases WHERE id = 200;
   UPDATE cases SET decision_id = last_insert_rowid(), status = 'rejected' WHERE id = 200"
q "UPDATE decisions SET decided_at = '2025-03-01 01:30:00+00:00' WHERE id = (SELECT min(id) FROM decisions WHERE action = 'approve')"
q "UPDATE cases SET region = 'jiangsu' WHERE id = 300 AND region <> 'jiangsu' AND NOT EXISTS
   (SELECT 1 FROM cases o WHERE o.applicant_id = cases.applicant_id AND o.region = 'jiangsu' AND o.direction = cases.direction)"
same_counts "after the shell's edits"

# Reevaluation: the rule set renamed by hand (every evaluation "by another
# rule set") and some facts changed behind the program's back, so that
# outcomes and routes change.
q "UPDATE rulesets SET name = 'old ' || name; UPDATE cases SET appraisals_passed = 0, integrity_flag = 1 WHERE id % 11 = 0"
before=$(q "SELECT count(*) FROM evaluations")
"$bin" reevaluate --db "$db" >/dev/null 2>&1 || no "reevaluate"
[ "$(q "SELECT count(*) FROM evaluations")" -gt "$before" ] && ok || no "reevaluate made evaluations"
same_counts "after reevaluate"

# An import killed with SIGKILL part-way: what is stored, counted.
"$gen" 60000 11 >"$tmp/big.csv" 2>/dev/null
"$bin" import --db "$db" --skip-invalid --reject "$tmp/rej4.csv" "$tmp/big.csv" >/dev/null 2>&1 &
bgpid=$!
sleep 1.5
kill -9 "$bgpid" 2>/dev/null && ok || no "the import was still running when killed"
wait "$bgpid" 2>/dev/null
bgpid=
q "PRAGMA integrity_check" | grep -qx ok && ok || no "the file after SIGKILL"
same_counts "after an import killed with SIGKILL"
# And a decision killed the same way, before or after its commit.
"$bin" decide --db "$db" 77 --approve --note "同意" >/dev/null 2>&1 &
bgpid=$!
kill -9 "$bgpid" 2>/dev/null
wait "$bgpid" 2>/dev/null
bgpid=
same_counts "after a decision killed with SIGKILL"

# `stats` reads the counters: a counter changed by hand shows.
"$bin" stats --db "$db" --format csv >"$tmp/s1.csv" || no "stats"
q "UPDATE case_counts SET n = n + 1000 WHERE (region, direction, level, outcome, route, award, status) IN
	   (SELECT region, direction, level, outcome, route, award, status FROM case_counts LIMIT 1)"
"$bin" stats --db "$db" --format csv >"$tmp/s2.csv" || no "stats"
c1=$(awk -F, '$1 == "cases" { print $4 }' "$tmp/s1.csv") c2=$(awk -F, '$1 == "cases" { print $4 }' "$tmp/s2.csv")
[ "$c1" = "$(q "SELECT count(*) FROM cases")" ] && ok || no "stats: the cases ($c1)"
[ "$((c2 - c1))" = 1000 ] && ok || no "stats reads the counters ($c1, $c2)"

# A version-8 file upgraded: the migration counts what is already stored.
db=$tmp/old.db
"$bin" import --db "$db" --skip-invalid --reject "$tmp/rej5.csv" "$tmp/a.csv" >/dev/null 2>&1 || no "import"
for i in 3 4 5; do "$bin" decide --db "$db" "$i" --approve --note "同意" >/dev/null 2>&1; done
q "$(q "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_schema WHERE type = 'trigger' AND name GLOB 'decision_*'
   OR name GLOB 'case_counts_*'") DROP TABLE case_counts; DROP TABLE decision_counts; DROP TABLE decision_hours; DROP TABLE case_due;
   PRAGMA user_version = 8"
"$bin" import --db "$db" --skip-invalid --reject "$tmp/rej6.csv" "$src/fixtures/demo.csv" >/dev/null 2>&1 ||
	no "import after the upgrade"
[ "$(q "PRAGMA user_version")" -ge 9 ] && ok || no "upgraded"
same_counts "after the upgrade from version 8"

echo "counters: $pass passed, $fail failed"
[ "$fail" = 0 ]
