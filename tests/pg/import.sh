#!/bin/bash
# A large import on PostgreSQL (store/pg/functions.sql's import_run): into an
# empty database it drops the indexes, the unique constraint and the
# evaluations' foreign key and makes them again after the rows (its bulk
# path); into a database with cases it keeps them. Either way: the cases
# numbered in the file's order, one evaluation each, one audit row for the
# import with the file's size and SHA-256 and the created range, the same file
# again a no-op, an edited row one audited update, and the schema as init
# made it.
# Usage: import.sh GUANTONG SOURCE_DIR GEN_CASES
set -u
bin=$1 src=$2 gen=$3
. "$src/tests/pg/lib.sh"
pg_setup "$src" "$bin"

# The tables' indexes and constraints, as text to compare.
shape() {
	sql "SELECT string_agg(d, E'\n' ORDER BY d) FROM (
	       SELECT indexdef AS d FROM pg_indexes WHERE schemaname = 'guantong'
	       UNION ALL SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
	       FROM pg_constraint WHERE connamespace = 'guantong'::regnamespace) x"
}
# want NAME EXPECTED SQL: the query's one value.
want() {
	local got
	got=$(sql "$3")
	[ "$got" = "$2" ] && ok "$1" || not_ok "$1" "expected: $2" "got: $got"
}

run "init" 0 gtpg init --db "$db" --admin gtadmin
run "user add gtclerk" 0 gtadmin --db "$db" user add gtclerk --role clerk
mkdir "$work/c" && chown gtclerk "$work/c"
shape >"$work/shape0"
grep -q "cases_name" "$work/shape0" && grep -q "evaluations_case_id_fkey" "$work/shape0" \
	&& ok "the schema has its indexes and foreign keys" || not_ok "schema shape" "$(head -5 "$work/shape0")"

# 12,000 generated rows (some deliberately invalid), and the file's second
# row once more at its end: a case given twice, the later row stored.
"$gen" 12000 7 >"$work/big.csv" 2>/dev/null
sed -n 2p "$work/big.csv" >>"$work/big.csv"
chmod 644 "$work/big.csv"
valid=$(python3 - "$work/big.csv" "$src" <<'EOF'
import csv, sys
# The distinct cases the file holds: rows with every column, by their key
# (id_number, region, direction); the importer's own parser decides the
# rest, so this is an upper bound checked against its count below.
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
h = rows[0]
keys = {(r[h.index('id_number')], r[h.index('region')], r[h.index('direction')]) for r in rows[1:] if len(r) == len(h)}
print(len(keys))
EOF
)
run "import of 12,000 rows into the empty database" 0 gtclerk import --db "$db" --skip-invalid \
	--reject "$work/c/rej.csv" "$work/big.csv"
# The same file into SQLite: the same counts (the case given twice: its
# second row, the same as its first, unchanged on both).
same_counts() { # NAME: the summary line of $work/e against SQLite's in $work/se
	local p s
	p=$(grep -oE '[0-9]+ rows?: [0-9]+ new case.*' "$work/e" | tail -n 1)
	s=$(grep -oE '[0-9]+ rows?: [0-9]+ new case.*' "$work/se" | tail -n 1)
	[ -n "$s" ] && [ "$p" = "$s" ] && ok "$1: the counts are SQLite's ($p)" || not_ok "$1: counts" "SQLite: $s" "PostgreSQL: $p"
}
"$gt" import --db "$work/s.db" --skip-invalid --reject "$work/srej.csv" "$work/big.csv" >/dev/null 2>"$work/se"
same_counts "the first import"
new=$(grep -oE '[0-9]+ new cases' "$work/e" | grep -oE '^[0-9]+')
invalid=$(grep -oE '[0-9]+ invalid' "$work/e" | grep -oE '^[0-9]+')
if [ -n "$new" ] && [ "$new" -gt 11000 ] && [ "$new" -le "$valid" ]; then
	ok "$new new cases ($invalid invalid rows)"
else
	not_ok "new cases" "$(cat "$work/e")" "distinct keys in the file: $valid"
fi
want "the cases are numbered 1 to $new" "$new|1|$new" "SELECT count(*), min(id), max(id) FROM guantong.cases"
# The first row is valid in gen_cases' output (its invalid rows are spread),
# and given again as the file's last: case 1 is its case, numbered by its
# first row and holding its last (as on SQLite).
first=$(sed -n 2p "$work/big.csv" | python3 -c 'import csv,sys; print(next(csv.reader(sys.stdin))[2])')
want "in the file's order: case 1 is the first row's" "1" \
	"SELECT id FROM guantong.cases WHERE id_number = upper('$first')"
want "the case given twice is one case, at version 1" "1|1" \
	"SELECT count(*), max(version) FROM guantong.cases WHERE id_number = upper('$first')"
want "one evaluation per case, each the case's own" "$new|$new" \
	"SELECT count(*), count(*) FILTER (WHERE e.case_id = c.id AND e.case_version = 1) FROM guantong.cases c
	 JOIN guantong.evaluations e ON e.id = c.eval_id"
want "one audit row for the import" "1" "SELECT count(*) FROM guantong.audit WHERE entity <> 'user'"
size=$(stat -c %s "$work/big.csv")
sha=$(sha256sum "$work/big.csv" | cut -d' ' -f1)
want "with the file's size and SHA-256, the created range and the counts" \
	"$size|$sha|[[1, $new]]|$new|1|gtclerk" \
	"SELECT after::jsonb->>'size', after::jsonb->>'sha256', after::jsonb->>'created', after::jsonb->>'inserted',
	        after::jsonb->>'superseded', actor FROM guantong.audit WHERE action = 'import'"
counters_hold "after the bulk import"
shape >"$work/shape1"
if cmp -s "$work/shape0" "$work/shape1"; then
	ok "the indexes, the unique constraint and the foreign key are back as init made them"
else
	not_ok "schema after the bulk import" "$(diff "$work/shape0" "$work/shape1" | head -8)"
fi
# The planner uses the rebuilt indexes (the queue's keyset pages; names in
# pinyin order, the collation zh).
sql "EXPLAIN SELECT id FROM guantong.cases ORDER BY name COLLATE guantong.zh, id LIMIT 20" >"$work/plan"
grep -q "cases_name" "$work/plan" && ok "the queue's name order reads the rebuilt index" \
	|| not_ok "name index used" "$(cat "$work/plan")"
# The unique constraint holds again (tried as the cluster's superuser).
as gtpg psql -X -q -d guantong -At -c "BEGIN; INSERT INTO guantong.cases (id_number, name, region, direction, fields, status,
	created_at, created_by, updated_at, updated_by, outcome, eval_id) SELECT id_number, name, region, direction, fields,
	status, created_at, created_by, updated_at, updated_by, outcome, eval_id FROM guantong.cases WHERE id = 1; ROLLBACK" \
	>"$work/dup" 2>&1
grep -q "duplicate key value violates unique constraint" "$work/dup" \
	&& ok "the unique constraint holds again: a second row with case 1's key is refused" || not_ok "unique constraint" "$(cat "$work/dup")"

# The same file again changes nothing.
run "the same file again" 0 gtclerk import --db "$db" --skip-invalid --reject "$work/c/rej2.csv" "$work/big.csv"
grep -q "$((new + 1)) unchanged" "$work/e" && ok "$((new + 1)) unchanged" || not_ok "re-import unchanged" "$(cat "$work/e")"
"$gt" import --db "$work/s.db" --skip-invalid --reject "$work/srej2.csv" "$work/big.csv" >/dev/null 2>"$work/se"
same_counts "the same file again"
want "no new case or evaluation, one audit row (as on SQLite); every case at version 1" "$new|$new|2|1" \
	"SELECT (SELECT count(*) FROM guantong.cases), (SELECT count(*) FROM guantong.evaluations),
	        (SELECT count(*) FROM guantong.audit WHERE entity <> 'user'), (SELECT max(version) FROM guantong.cases)"
want "which names the import it repeats, every valid row unchanged" "t" \
	"SELECT (after::jsonb->>'same_as')::bigint = (SELECT min(id) FROM guantong.audit WHERE action = 'import')
	        AND (after::jsonb->>'unchanged')::bigint = (after::jsonb->>'rows')::bigint - (after::jsonb->>'invalid')::bigint
	 FROM guantong.audit WHERE action = 'import' ORDER BY id DESC LIMIT 1"

# Into a database with cases: more new ones (the indexes stay), and one edited.
"$gen" 10500 8 >"$work/more.csv" 2>/dev/null
python3 - "$work/big.csv" "$work/more.csv" <<'EOF'
import csv, sys
# The first case of big.csv, its name changed, appended to more.csv.
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
h, r = rows[0], rows[1]
r[h.index('name')] = r[h.index('name')] + '乙'
with open(sys.argv[2], 'a', newline='', encoding='utf-8') as f:
    csv.writer(f, lineterminator='\n').writerow(r)
EOF
chmod 644 "$work/more.csv"
run "import into a database with cases" 0 gtclerk import --db "$db" --skip-invalid \
	--reject "$work/c/rej3.csv" "$work/more.csv"
new2=$(grep -oE '[0-9]+ new cases' "$work/e" | grep -oE '^[0-9]+')
grep -q "1 updated" "$work/e" && [ -n "$new2" ] && [ "$new2" -gt 9000 ] \
	&& ok "$new2 new cases, 1 updated" || not_ok "second import" "$(cat "$work/e")"
"$gt" import --db "$work/s.db" --skip-invalid --reject "$work/srej3.csv" "$work/more.csv" >/dev/null 2>"$work/se"
same_counts "into a database with cases"
# (Numbers are not reused: the superuser's refused row above took one.)
want "numbered on, one block in the file's order" "$new2|$new2" \
	"SELECT count(*), max(id) - min(id) + 1 FROM guantong.cases WHERE id > $new"
want "the edited case is at version 2 with a new evaluation" "2|2" \
	"SELECT c.version, e.case_version FROM guantong.cases c JOIN guantong.evaluations e ON e.id = c.eval_id WHERE c.id = 1"
want "its own audit row says what changed, before and after" "1|1|2" \
	"SELECT count(*), max(before::jsonb->>'version'), max(after::jsonb->>'version') FROM guantong.audit
	 WHERE action = 'case.import' AND entity_id = '1' AND before::jsonb->>'name' <> after::jsonb->>'name'
	   AND after::jsonb->>'name' LIKE '%乙'"
want "the second import's row names the range and the changed case" \
	"$(sql "SELECT format('[[%s, %s]]', min(id), max(id)) FROM guantong.cases WHERE id > $new")|[[1, 2]]" \
	"SELECT after::jsonb->>'created', after::jsonb->>'changed' FROM guantong.audit WHERE action = 'import' ORDER BY id DESC LIMIT 1"
counters_hold "after an import with an update"
shape >"$work/shape2"
cmp -s "$work/shape0" "$work/shape2" && ok "the schema is unchanged" \
	|| not_ok "schema after the second import" "$(diff "$work/shape0" "$work/shape2" | head -8)"

# A case decided, or reopened, while a file is imported (gt_pg_io.c): the
# client reads the decided cases' keys and reports the rows that would
# change one before it calls import_run, which refuses such rows by itself;
# the two counts differ when a case's status changed in between, and then
# nothing is imported. The change is made real by a second session (an
# administrator's case_act, in a transaction held open): the import reads
# before it commits, and import_run's lock on cases waits for that
# transaction; committed then, the server sees the new status.
as gtadmin "$gt" export --db "$db" --machine --out - >"$work/x.csv" 2>/dev/null
python3 - "$work/x.csv" "$work/meanwhile.csv" <<'EOF2'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
h = rows[0]
n = h.index('requested_level') + 2
case = {r[h.index('case_id')]: r[:n] for r in rows[1:]}
out = [h[:n]]
for k in ('5', '6'):
    r = list(case[k]); r[h.index('case_ref')] = 'meanwhile-' + k; out.append(r)
with open(sys.argv[2], 'w', newline='', encoding='utf-8') as f:
    csv.writer(f, lineterminator='\n').writerows(out)
EOF2
chmod 644 "$work/meanwhile.csv"
# meanwhile NAME CASE ACTION: case_act in an open transaction of gtadmin's,
# the import of meanwhile.csv started, committed once the import waits for
# the lock; the import must fail and leave nothing.
meanwhile() {
	local name=$1 id=$2 action=$3 before after waited=0
	before=$(sql "SELECT count(*) || '|' || max(id) FROM guantong.audit")
	coproc B { as gtadmin psql -X -q -d guantong -At 2>&1; }
	echo "BEGIN; SELECT guantong.case_act($id, 0, '$action', 'meanwhile', '{}', 'x', 'x', 'x');" >&"${B[1]}"
	local v
	read -r -t 60 v <&"${B[0]}"
	as gtclerk "$gt" import --db "$db" --skip-invalid --reject "$work/c/mrej-$id.csv" "$work/meanwhile.csv" \
		>"$work/mo" 2>"$work/me" &
	local ipid=$!
	# Until the import's import_run waits for the lock (bounded: 60 s).
	for _ in $(seq 600); do
		[ "$(as gtpg psql -X -q -d guantong -At -c "SELECT count(*) FROM pg_stat_activity
		     WHERE wait_event_type = 'Lock' AND query LIKE '%import_run(%'" 2>&1)" = 1 ] && { waited=1; break; }
		kill -0 $ipid 2>/dev/null || break
		sleep 0.1
	done
	echo "COMMIT;" >&"${B[1]}"
	local bpid=$B_PID
	eval "exec ${B[1]}>&-"
	wait "$bpid" 2>/dev/null
	wait $ipid
	local rc=$?
	after=$(sql "SELECT count(*) || '|' || max(id) FROM guantong.audit")
	if [ "$waited" = 1 ] && [ "$rc" = 1 ] && grep -q "a case was decided or reopened while the file was imported; nothing was imported" "$work/me"; then
		ok "$name (case_act gave version $v): the import failed and said why"
	else
		not_ok "$name" "waited for the lock: $waited, exit $rc" "$(cat "$work/mo" "$work/me")"
	fi
	[ ! -e "$work/c/mrej-$id.csv" ] && ok "$name: no reject file" || not_ok "$name: a reject file" "$(cat "$work/c/mrej-$id.csv")"
	want "$name: nothing imported (the decision's audit row only)" "0|case.$action" \
		"SELECT count(*) FILTER (WHERE case_ref LIKE 'meanwhile-%') || '|' || (SELECT string_agg(action, ' ' ORDER BY id)
		 FROM guantong.audit WHERE id > ${before#*|}) FROM guantong.cases"
}
meanwhile "case 5 rejected during the import" 5 reject
want "(case 5 is rejected)" "rejected" "SELECT status FROM guantong.cases WHERE id = 5"
meanwhile "case 5 reopened during the import" 5 reopen
want "(case 5 is in review)" "in_review" "SELECT status FROM guantong.cases WHERE id = 5"
run "the file imported after" 0 gtclerk import --db "$db" --skip-invalid --reject "$work/c/mrej.csv" "$work/meanwhile.csv"
want "both cases changed" "2" "SELECT count(*) FROM guantong.cases WHERE case_ref LIKE 'meanwhile-%'"
counters_hold "after the imports that failed"

echo "1..$n"
[ $failed -eq 0 ]
