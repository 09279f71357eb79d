#!/bin/bash
# The queue's name order and search on PostgreSQL, against SQLite's on the
# same cases (issue 16 items 3 and 4 on both stores): the order is pinyin
# order (ICU's "zh" collation), and "/" finds any part of the name, the
# pinyin and its initials by syllable, the case_ref, an identity-number
# prefix and the case number, each case once, n after n and N after N in the
# same sequence. After an import changed some names, the old names are gone
# from the search and the new ones found (the terms kept by the server).
# The name and level orders with gt_queue_count's total and places, also
# filtered, and the `:` jump (gt_store_find, then the rows from the case).
# Usage: queue.sh GUANTONG SOURCE_DIR GEN_CASES QUEUE_DUMP
set -u
bin=$1 src=$2 gen=$3 qd=$4
. "$src/tests/pg/lib.sh"
pg_setup "$src" "$bin"
cp "$qd" "$work/queue_dump" && chmod 755 "$work/queue_dump"

run "init" 0 gtpg init --db "$db" --admin gtadmin
run "user add gtclerk" 0 gtadmin --db "$db" user add gtclerk --role clerk
mkdir "$work/c" && chown gtclerk "$work/c"
# 400 generated cases (a few invalid: skipped), and a Latin name.
"$gen" 400 3 >"$work/cases.csv" 2>/dev/null
sed -n 2p "$work/cases.csv" | sed 's/^[^,]*,[^,]*,[^,]*,/CR-Latin,Ann Lee,110101199001011237,/' >>"$work/cases.csv"
chmod 644 "$work/cases.csv"
run "import into PostgreSQL" 0 gtclerk import --db "$db" --skip-invalid --reject "$work/c/r.csv" "$work/cases.csv"
"$gt" import --db "$work/s.db" --skip-invalid --reject "$work/sr.csv" "$work/cases.csv" >/dev/null 2>&1 \
	&& ok "import into SQLite" || not_ok "import into SQLite"
[ "$(sqlite3 "$work/s.db" "SELECT count(*) FROM cases")" = "$(sql "SELECT count(*) FROM guantong.cases")" ] \
	&& ok "the same number of cases" || not_ok "same number of cases"

# Queries from the data (SQLite's keys): a pinyin, initials, a later
# syllable's pinyin, a name's middle character, a surname, a case_ref, an
# identity-number prefix and a whole number with its X, a case number.
k() { sqlite3 "$work/s.db" "$1"; }
queries=(
	"$(k "SELECT pinyin FROM case_keys WHERE case_id = 10")"
	"$(k "SELECT initials FROM case_keys WHERE case_id = 20")"
	"$(k "SELECT substr(initials, 2) FROM case_keys WHERE case_id = 30 AND length(initials) > 1")"
	"$(k "SELECT substr(a.name, 2, 1) FROM cases c JOIN applicants a ON a.id = c.applicant_id WHERE c.id = 40")"
	"$(k "SELECT substr(a.name, 1, 1) FROM cases c JOIN applicants a ON a.id = c.applicant_id WHERE c.id = 50")"
	"$(k "SELECT upper(substr(pinyin, 1, 3)) FROM case_keys WHERE case_id = 60")"
	"w" "cr1" "CR-LAT" "ann" "lee" "4401" "1"
	"$(k "SELECT a.id_number FROM cases c JOIN applicants a ON a.id = c.applicant_id WHERE a.id_number LIKE '%X' LIMIT 1")"
	"12" "no such name"
)
as gtclerk "$work/queue_dump" "$db" "${queries[@]}" >"$work/pg.out" 2>&1
"$work/queue_dump" "$work/s.db" "${queries[@]}" >"$work/sq.out" 2>&1
# compare LABEL: the dumps' lines for the label agree, and are not empty
# (but for the query that matches nothing).
compare() {
	local a b
	a=$(awk -v p="$1:" 'index($0, p) == 1' "$work/sq.out") b=$(awk -v p="$1:" 'index($0, p) == 1' "$work/pg.out")
	if [ -z "$a" ] || [ "$a" != "$b" ]; then
		not_ok "$1: as on SQLite" "SQLite:     $(printf '%s' "$a" | head -c 300)" \
			"PostgreSQL: $(printf '%s' "$b" | head -c 300)"
	elif [ "$2" = some ] && [ "$a" = "$1:" ]; then
		not_ok "$1: finds something" "$a"
	else
		ok "$1: as on SQLite ($(($(echo "$a" | wc -w) - $(echo "$1:" | wc -w))) cases)"
	fi
}
check_all() {
	local o q
	for o in "name asc" "name desc" "level asc" "level desc" submitted; do
		compare "$o" some
		compare "count $o" some
	done
	for q in "${queries[@]}"; do
		[ -n "$q" ] || { not_ok "a query from the data" "empty"; continue; }
		if [ "$q" = "no such name" ] || [ "$q" = "${old5:-}" ]; then
			compare "search $q" none
		else
			compare "search $q" some
			compare "search $q back" some
		fi
		compare "jump $q" any
	done
}
check_all
# Every case once in the name order.
ncases=$(sql "SELECT count(*) FROM guantong.cases")
[ "$(grep "^name asc:" "$work/pg.out" | wc -w)" = $((ncases + 2)) ] && ok "the name order has every case once" \
	|| not_ok "every case once in the name order"

# Names changed by an import (the update path): cases 5 and 6 get new names.
old5=$(sqlite3 "$work/s.db" "SELECT pinyin FROM case_keys WHERE case_id = 5")
python3 - "$work/cases.csv" "$work/renamed.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8')))
rows[5][1], rows[6][1] = '欧阳修远', '司马光明'
csv.writer(open(sys.argv[2], 'w', encoding='utf-8', newline=''), lineterminator='\n').writerows(rows)
PY
chmod 644 "$work/renamed.csv"
run "an import that renames two cases" 0 gtclerk import --db "$db" --skip-invalid --reject "$work/c/r2.csv" "$work/renamed.csv"
"$gt" import --db "$work/s.db" --skip-invalid --reject "$work/sr2.csv" "$work/renamed.csv" >/dev/null 2>&1
queries=("ouyang" "oyxy" "xiuyuan" "smgm" "修远" "光明" "$old5")
as gtclerk "$work/queue_dump" "$db" "${queries[@]}" >"$work/pg.out" 2>&1
"$work/queue_dump" "$work/s.db" "${queries[@]}" >"$work/sq.out" 2>&1
check_all
[ "$(grep "^search oyxy:" "$work/pg.out")" = "search oyxy: 5" ] && ok "the new name's initials find case 5" \
	|| not_ok "oyxy finds case 5" "$(grep "^search oyxy:" "$work/pg.out")"
terms_diff=$(as gtpg psql -X -q -d guantong -At -c "WITH k AS (SELECT t AS term, c.id AS case_id FROM guantong.cases c,
                   guantong.case_terms_of(c.id, c.name, c.pinyin, c.case_ref, c.id_number) t)
                 SELECT (SELECT count(*) FROM (TABLE k EXCEPT ALL SELECT term, case_id FROM guantong.case_terms) x)
                        || ' ' || (SELECT count(*) FROM (SELECT term, case_id FROM guantong.case_terms EXCEPT ALL TABLE k) y)")
[ "$terms_diff" = "0 0" ] && ok "every case's terms are those of its name now, no more, no fewer" \
	|| not_ok "terms as the names' now" "missing, extra: $terms_diff"
case " $(awk -v p="search $old5:" 'index($0, p) == 1' "$work/pg.out") " in
*" 5 "*) not_ok "case 5's old name no longer finds it" ;;
*) ok "case 5's old name no longer finds it" ;;
esac

# A clerk cannot write the terms or the pinyin themselves.
psql_as gtclerk "INSERT INTO guantong.case_terms VALUES ('forged', 1)"
has "$work/out" "permission denied" && ok "a clerk cannot insert a term" || not_ok "insert a term" "$(cat "$work/out")"
psql_as gtclerk "UPDATE guantong.cases SET pinyin = 'x' WHERE id = 1"
has "$work/out" "permission denied" && ok "nor set a pinyin" || not_ok "set a pinyin" "$(cat "$work/out")"

echo "1..$n"
[ "$failed" -eq 0 ]
