#!/bin/bash
# `stats` and `due` (issue 18, items 3 and 4) from the real binary, on the
# demo cases and a generated store: every count of `stats --format csv`
# against the same count made independently with the sqlite3 shell, the
# median and 90th percentile of the days to decision recomputed by awk, the
# bar charts (aligned by display width, block characters or ASCII, no colour
# without a terminal, a login's escape made visible), and the call-back list
# (only the cases waiting for years, within N days, earliest first).
# With GT_TEST_DB=pg the same on PostgreSQL (tests/golden/lib/db.sh), the
# counts made by psql, the hand edits by the cluster's superuser; the
# upgrade of a version-8 file is SQLite's alone.
# Usage: stats.sh GUANTONG SOURCE_DIR
set -u
bin=$(realpath "$1") src=$(realpath "$2")
fail=0 pass=0
tmp=$(mktemp -d)
trap 'db_cleanup; rm -rf "$tmp"' EXIT
. "$src/tests/golden/lib/db.sh"
unset LANGUAGE
export LC_ALL=zh_CN.UTF-8 TZ=Asia/Shanghai
ok() { pass=$((pass + 1)); }
no() { echo "FAIL $*"; fail=$((fail + 1)); }
check() { local name=$1; shift; if "$@"; then ok; else no "$name"; fi; }
q() { dbq "$db" "$1"; }
sq() { if on_pg; then echo "$2"; else echo "$1"; fi; } # sq SQLITE-SQL POSTGRESQL-SQL: this store's

# The generated store: the demo cases twenty times over under other
# identity numbers, and five cases waiting one year in the region, falling
# due in 5, 10, 20, 40 and 300 days.
db=$(db_new s)
python3 - "$src/fixtures/demo.csv" "$tmp/gen.csv" "$(date +%F)" <<'EOF'
import csv, sys, datetime
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8')))
h, body = rows[0], rows[1:]
ix = {k: i for i, k in enumerate(h)}
def idnum(b):
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return b + '10X98765432'[sum(int(a) * c for a, c in zip(b, w)) % 11]
out = [h]
for k in range(20):
    for j, r in enumerate(body):
        if r[0].startswith('inv-'):
            continue
        r = list(r)
        r[ix['id_number']] = idnum(r[ix['id_number']][:6] + r[ix['id_number']][6:14] + '%03d' % (k * 20 + j))
        r[ix['case_ref']] = '%s-%d' % (r[0], k)
        out.append(r)
today = datetime.date.fromisoformat(sys.argv[3])
gz = [r for r in body if r[0] == 'gz-comp-s2t-region-1y-day-before'][0]
for n, d in enumerate([5, 10, 20, 40, 300]):
    r = list(gz)
    due = today + datetime.timedelta(days=d)
    r[ix['region_work_start']] = due.replace(year=due.year - 1).isoformat()
    r[ix['application_date']] = today.isoformat()
    r[ix['id_number']] = idnum('44010619800101%03d' % (900 + n))
    r[ix['case_ref']] = 'due-%d' % d
    r[ix['name']] = ['甲一', '乙二', '丙三', '丁四', '戊五'][n]
    out.append(r)
csv.writer(open(sys.argv[2], 'w', encoding='utf-8', newline=''), lineterminator='\n').writerows(out)
EOF
"$bin" import --db "$db" "$tmp/gen.csv" >/dev/null 2>&1 || no "import of the generated cases"
"$bin" import --db "$db" --skip-invalid --reject "$tmp/rej.csv" "$src/fixtures/demo.csv" >/dev/null 2>&1 ||
	no "import of the demo cases"
ncases=$(q "SELECT count(*) FROM cases")
check "the generated store ($ncases cases)" [ "$ncases" -ge 250 ]
# Decisions: approvals and rejections, by the store's actor.
for i in $(seq 1 13 130); do
	"$bin" decide --db "$db" "$i" --approve --note "同意" >/dev/null 2>&1 || no "approve $i"
done
for i in $(seq 2 17 130); do
	"$bin" decide --db "$db" "$i" --reject --note "不同意" >/dev/null 2>&1
done
"$bin" decide --db "$db" 3 --return --note "补材料" >/dev/null 2>&1
# A decision of another month by a login with an escape in it (written by
# hand: the program would not make such a login).
dbsu "$db" "$(sq "" "SET search_path = guantong;")
   INSERT INTO decisions (case_id, case_version, eval_id, action, decided_by, decided_at, note, snapshot)
   SELECT id, version, eval_id, 'reject', 'ev'||$(sq char chr)(27)||'[31mil', '2025-01-31 17:00:00+00:00', '', '' FROM cases WHERE id = 200"

# An even number of decided cases: the median is the lower of the middle two.
if [ $(($(q "SELECT count(*) FROM cases c JOIN decisions d ON d.id = c.decision_id WHERE d.action IN ('approve', 'reject')") % 2)) = 1 ]; then
	"$bin" decide --db "$db" 250 --approve --note "同意" >/dev/null 2>&1 || no "approve 250"
fi
# Intake spread over two months, so that the days to decision differ.
dbsu "$db" "$(sq "UPDATE cases SET created_at = strftime('%Y-%m-%d %H:%M:%S+00:00', 'now', '-' || (id * 7 % 61) || ' days',
   '-' || (id % 24) || ' hours')" "UPDATE guantong.cases SET created_at = to_char((now() - (id * 7 % 61) * interval '1 day'
   - (id % 24) * interval '1 hour') AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS+00:00')")"
"$bin" stats --db "$db" --format csv >"$tmp/s.csv" 2>"$tmp/err" || no "stats --format csv: $(cat "$tmp/err")"
# One statistic's rows as "code,count[,rejected]".
rows() { tr -d '\r' <"$tmp/s.csv" | awk -F, -v s="$1" '$1 == s { print $2 "," $4 ($5 != "" ? "," $5 : "") }' | sort; }
same() {
	local name=$1 got want
	got=$(rows "$name")
	want=$(q "$2" | tr '|' ',' | sort)
	if [ "$got" = "$want" ] && [ -n "$got" ]; then ok; else no "stats $name: got [$got] want [$want]"; fi
}
same region "SELECT region, count(*) FROM cases GROUP BY region"
same direction "SELECT direction, count(*) FROM cases GROUP BY direction"
same outcome "SELECT outcome, count(*) FROM cases GROUP BY outcome"
same status "SELECT status, count(*) FROM cases GROUP BY status"
same route "SELECT e.route, count(*) FROM evaluations e WHERE e.id IN (SELECT eval_id FROM cases) GROUP BY e.route"
same level "SELECT direction || ':' || $(sq "ifnull(requested_level, target)" level), count(*) FROM cases GROUP BY 1"
same month "$(sq "SELECT substr(datetime(decided_at, 'localtime'), 1, 7), sum(action = 'approve'), sum(action = 'reject')
            FROM decisions WHERE action IN ('approve', 'reject') GROUP BY 1" \
            "SELECT to_char(decided_at::timestamptz AT TIME ZONE '$TZ', 'YYYY-MM'), count(*) FILTER (WHERE action = 'approve'),
            count(*) FILTER (WHERE action = 'reject') FROM decisions WHERE action IN ('approve', 'reject') GROUP BY 1")"
check "the cases" [ "$(awk -F, '$1 == "cases" { print $4 }' "$tmp/s.csv")" = "$ncases" ]
check "approvals and rejections by reviewer" [ "$(rows reviewer | grep -c .)" = 2 ]
check "the actor's approvals" [ "$(rows reviewer | grep -v ev | cut -d, -f2)" = "$(q "SELECT count(*) FROM decisions WHERE action = 'approve'")" ]
# The awards of green channels: the basis split by python, not by SQL.
want=$(q "SELECT e.basis FROM cases c JOIN evaluations e ON e.id = c.eval_id WHERE e.route = 'green_channel'" |
	python3 -c 'import sys, collections
c = collections.Counter(x for l in sys.stdin for x in l.strip().split(";") if x)
print("\n".join(sorted("%s,%d" % kv for kv in c.items())))')
if [ "$(rows award)" = "$want" ] && [ -n "$want" ]; then ok; else no "the awards of green channels"; fi
# The days from intake to the current decision, in whole hours (what the
# counters keep), recomputed by awk from the seconds between the two times.
q "SELECT $(sq "strftime('%s', d.decided_at) - strftime('%s', c.created_at)" \
	"extract(epoch FROM d.decided_at::timestamptz - c.created_at::timestamptz)::bigint") FROM cases c JOIN decisions d ON d.id = c.decision_id
   WHERE d.action IN ('approve', 'reject')" | awk '{ printf "%d\n", $1 / 3600 }' | sort -g >"$tmp/days"
k=$(wc -l <"$tmp/days")
med=$(awk -v k="$k" 'NR == int((k - 1) / 2) + 1 { printf "%.2f", $1 / 24 }' "$tmp/days")
p90=$(awk -v k="$k" 'BEGIN { r = int((9 * k + 9) / 10) } NR == r { printf "%.2f", $1 / 24 }' "$tmp/days")
check "decided cases" [ "$(awk -F, '$1 == "decided" { print $4 }' "$tmp/s.csv")" = "$k" ]
check "the median days" [ "$(awk -F, '$2 == "median" { print $4 }' "$tmp/s.csv")" = "$med" ]
check "the 90th percentile" [ "$(awk -F, '$2 == "p90" { print $4 }' "$tmp/s.csv")" = "$p90" ]
"$bin" stats --db "$db" --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); assert d["cases"] > 0 and d["region"]' ||
	no "stats --format json is JSON"

# The text: bars aligned by display width, no colour and no raw escape.
"$bin" stats --db "$db" >"$tmp/s.txt"
check "bars of block characters" grep -q "█" "$tmp/s.txt"
check "no escape sequence (not a terminal)" [ "$(grep -c $'\033' "$tmp/s.txt")" = 0 ]
check "the login's escape made visible" grep -qF 'ev\x1b[31mil' "$tmp/s.txt"
check "Chinese names, not codes" grep -q "重庆" "$tmp/s.txt"
check "the time to decision" grep -q "中位数" "$tmp/s.txt"
python3 - "$tmp/s.txt" <<'EOF' || no "the bars of one chart start in one column"
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in s)
block = None
for line in open(sys.argv[1], encoding='utf-8'):
    if not line.startswith('  '):
        block = set(); continue
    i = line.find('█')
    if i > 0:
        block.add(width(line[:i]))
        if len(block) > 1:
            sys.exit(1)
EOF
GUANTONG_ASCII=1 "$bin" stats --db "$db" >"$tmp/a.txt"
check "GUANTONG_ASCII=1: bars of #" grep -q "#####" "$tmp/a.txt"
check "GUANTONG_ASCII=1: no block character" [ "$(grep -c "█" "$tmp/a.txt")" = 0 ]
"$bin" stats --db "$db" --format xml 2>/dev/null
check "stats --format xml: exit 2" [ $? = 2 ]

# due: the cases waiting only for years, within 30 days or due already.
"$bin" due --db "$db" --format csv >"$tmp/due.csv" || no "due --format csv"
check "due: a byte-order mark" [ "$(head -c 3 "$tmp/due.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ]
refs=$(tail -n +2 "$tmp/due.csv" | cut -d, -f4 | tr -d '\r' | tr '\n' ' ')
check "due: within 30 days, earliest first ($refs)" [ "$(tail -n +2 "$tmp/due.csv" | cut -d, -f2 | tr -d '\r' | awk '$1 >= 0' | tr '\n' ' ')" = "5 10 20 " ]
check "due: the names of those cases" [ "$(tail -n +2 "$tmp/due.csv" | awk -F, '$2 >= 0 { print $4 }' | tr '\n' ' ')" = "甲一 乙二 丙三 " ]
check "due: the date it will be" grep -q "^$(date -d '+5 days' +%F),5," "$tmp/due.csv"
check "due: sorted by date" sh -c "tail -n +2 '$tmp/due.csv' | cut -d, -f1 | sort -c"
check "due: the already-due case of the demo" grep -q "^2024-07-01," "$tmp/due.csv"
check "due: not the 40-day case" [ "$(grep -c '丁四' "$tmp/due.csv")" = 0 ]
"$bin" due --db "$db" --within 60 --format csv | grep -q 丁四 || no "due --within 60 has the 40-day case"
"$bin" due --db "$db" --within 0 --format csv | grep -q 甲一 && no "due --within 0 has the 5-day case"
ok
# Not eligible for another reason than years: never listed.
other=$(q "SELECT count(*) FROM cases c JOIN evaluations e ON e.id = c.eval_id WHERE c.outcome = 'not_eligible' AND e.unmet LIKE '%related%'")
check "there are cases not eligible for other reasons ($other)" [ "$other" -gt 0 ]
"$bin" due --db "$db" --within 36600 --format csv | tail -n +2 | cut -d, -f3 | while read -r id; do
	u=$(q "SELECT e.unmet FROM cases c JOIN evaluations e ON e.id = c.eval_id WHERE c.id = $id")
	case $u in *related* | *held_level* | *honour* | *scope*) echo "FAIL case $id listed with $u" ;; esac
done | grep -q FAIL && no "due lists a case that waits for more than years"
ok
"$bin" due --db "$db" >"$tmp/due.txt"
check "due: text with Chinese names" grep -q "甲一" "$tmp/due.txt"
"$bin" due --db "$db" --within -1 2>/dev/null
check "due --within -1: exit 2" [ $? = 2 ]

# The same selection exported like any filter: export --due 30.
dueids=$(tail -n +2 "$tmp/due.csv" | cut -d, -f3 | sort -n | tr '\n' ' ')
"$bin" export --db "$db" --machine --due 30 --out "$tmp/due-x.csv" 2>"$tmp/err" || no "export --due 30: $(cat "$tmp/err")"
col=$(head -1 "$tmp/due-x.csv" | tr ',' '\n' | grep -nx case_id | cut -d: -f1)
xids=$(tail -n +2 "$tmp/due-x.csv" | python3 -c 'import csv, sys; c = int(sys.argv[1]) - 1
print(" ".join(sorted((r[c] for r in csv.reader(sys.stdin)), key=int)) + " ")' "$col")
if [ "$xids" = "$dueids" ] && [ -n "$dueids" ]; then ok; else no "export --due 30: the cases of due --within 30 ($xids)"; fi
check "export --due: the filter in the audit row" [ "$(q "SELECT $(sq "json_extract(after, '$.filter.due_until')" "after::jsonb#>>'{filter,due_until}'") FROM audit WHERE action = 'export' ORDER BY id DESC LIMIT 1")" = "$(date -d '+30 days' +%F)" ]
# A version-8 file: the upgrade makes the dates of the cases already stored.
if ! on_pg; then
cp "$db" "$tmp/old.db"
sqlite3 "$tmp/old.db" "DELETE FROM case_due; DROP TABLE case_due;
  $(q "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_schema WHERE type = 'trigger' AND (name GLOB 'decision_*' OR name GLOB 'case_counts_*')")
  DROP TABLE case_counts; DROP TABLE decision_counts; DROP TABLE decision_hours; PRAGMA user_version = 8"
"$bin" user list --db "$tmp/old.db" >/dev/null 2>&1
"$bin" import --db "$tmp/old.db" --skip-invalid --reject "$tmp/rej7.csv" "$src/fixtures/demo.csv" >/dev/null 2>&1
"$bin" due --db "$tmp/old.db" --format csv >"$tmp/due-old.csv" || no "due after the upgrade"
check "due after the upgrade from version 8: the same list" cmp -s "$tmp/due.csv" "$tmp/due-old.csv"
fi

# A void case is out of the call-back list: out of due and of export --due
# alike (export --due 30 listed the 5-day case once it was void).
"$bin" void --db "$db" due-5 --note "重复登记" >/dev/null 2>"$tmp/err" || no "void due-5: $(cat "$tmp/err")"
"$bin" due --db "$db" --format csv >"$tmp/due-v.csv" || no "due --format csv after the void"
check "due: not the void case" [ "$(grep -c 甲一 "$tmp/due-v.csv")" = 0 ]
dueids=$(tail -n +2 "$tmp/due-v.csv" | cut -d, -f3 | sort -n | tr '\n' ' ')
"$bin" export --db "$db" --machine --due 30 --out "$tmp/due-vx.csv" 2>"$tmp/err" || no "export --due 30 after the void: $(cat "$tmp/err")"
xids=$(tail -n +2 "$tmp/due-vx.csv" | python3 -c 'import csv, sys; c = int(sys.argv[1]) - 1
print(" ".join(sorted((r[c] for r in csv.reader(sys.stdin)), key=int)) + " ")' "$col")
if [ "$xids" = "$dueids" ] && [ -n "$dueids" ]; then ok; else no "export --due 30 after a void: the cases of due --within 30 ($xids)"; fi
# ... whatever the statuses asked for, as it is of the approved ones (the
# call-back list's selection, then the filter): --status void listed it.
for st in void approved; do
	"$bin" export --db "$db" --machine --due 30 --status $st --out "$tmp/due-$st.csv" 2>"$tmp/err" ||
		no "export --due 30 --status $st: $(cat "$tmp/err")"
	check "export --due 30 --status $st: no case ($(tail -n +2 "$tmp/due-$st.csv" | cut -d, -f1 | tr -d '\r' | tr '\n' ' '))" \
		[ "$(wc -l <"$tmp/due-$st.csv")" = 1 ]
done

echo "stats: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
