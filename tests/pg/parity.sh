#!/bin/bash
# Both stores after the same imports and decisions (issue 15: the workstation
# does not know which backend it runs on): a SQLite file and a PostgreSQL
# database get the same files and commands, as the same OS user, and must
# answer alike: every command's output and exit status, `export --machine`,
# `evaluate` of every case (versions, evaluations, evidence and the history,
# whose JSON is compared as data: the servers write it in their own spacing
# and key order), `due` and `export --due`. The files hold what a row-by-row
# import meets:
#   * a new case given twice (its second row another name): new, then
#     updated, at version 2;
#   * a stored case given as A and then as stored (X): two updates, versions
#     +1 and +2, two audit rows (the store ends where it began but for them);
#   * a case given three times, each time changed: three updates;
#   * a known identity number in another region under another name: a new
#     case, and the applicant renamed on every case of theirs;
#   * an edited name (re-import of a changed row): the same;
#   * rows that would change a decided case: invalid rows, as on SQLite (the
#     same messages, counts, exit status and reject file; without
#     --skip-invalid nothing imported and only the first checked), mixed
#     with rows invalid as read and a row giving the decided case unchanged.
# Usage: parity.sh GUANTONG SOURCE_DIR GEN_CASES
set -u
bin=$1 src=$2 gen=$3
. "$src/tests/pg/lib.sh"
pg_setup "$src" "$bin"
s=$work/s.db
psql_su() { as gtpg psql -X -q -d guantong -At -c "$1" 2>&1; }
run "init (root the first administrator, as SQLite's first user)" 0 gtpg init --db "$db" --admin root

# both NAME CMD ARGS...: the command on both stores, as root; their stdout,
# stderr and exit status must be the same (the stores' own names and the
# reject files' names read alike).
both() {
	local name=$1 cmd=$2
	shift 2
	as root "$gt" "$cmd" --db "$db" "$@" >"$work/p.out" 2>"$work/p.err"
	local pr=$?
	as root "$gt" "$cmd" --db "$s" "$@" >"$work/s.out" 2>"$work/s.err"
	local sr=$?
	local f
	for f in p.out p.err s.out s.err; do
		sed -i -E -e "s#$db#DB#g" -e "s#$s#DB#g" -e 's#/[ps]rej#/Xrej#g' \
			-e 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}(:[0-9]{2}\+00:00)?/TIME/g' "$work/$f"
	done
	if [ "$pr" = "$sr" ] && cmp -s "$work/p.out" "$work/s.out" && cmp -s "$work/p.err" "$work/s.err"; then
		ok "$name: the same on both (exit $pr)"
	else
		not_ok "$name" "exit: PostgreSQL $pr, SQLite $sr" \
			"$(diff "$work/s.out" "$work/p.out" | head -6)" "$(diff "$work/s.err" "$work/p.err" | head -6)"
	fi
}
# The import's rejects go to a file of each store's own.
imp() { # NAME FILE
	local f
	rm -f "$work/prej.csv" "$work/srej.csv"
	as root "$gt" import --db "$db" --skip-invalid --reject "$work/prej.csv" "$2" >"$work/p.out" 2>"$work/p.err"
	local pr=$?
	as root "$gt" import --db "$s" --skip-invalid --reject "$work/srej.csv" "$2" >"$work/s.out" 2>"$work/s.err"
	local sr=$?
	for f in p.out p.err s.out s.err; do
		sed -i -e 's#/[ps]rej#/Xrej#g' "$work/$f"
	done
	if [ "$pr" = 0 ] && [ "$sr" = 0 ] && cmp -s "$work/p.err" "$work/s.err" && cmp -s "$work/p.out" "$work/s.out"; then
		ok "$1: $(grep -oE '[0-9]+ rows?: .*' "$work/p.err" | head -1)"
	else
		not_ok "$1" "exit: PostgreSQL $pr, SQLite $sr" "SQLite: $(cat "$work/s.err")" "PostgreSQL: $(cat "$work/p.err")"
	fi
}

# 600 generated rows (some invalid: rejected alike), the second given again
# at the end under another name.
"$gen" 600 11 >"$work/f1.csv" 2>/dev/null
python3 - "$work/f1.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
h, r = rows[0], list(rows[1])
r[h.index('name')] += '乙'
with open(sys.argv[1], 'a', newline='', encoding='utf-8') as f:
    csv.writer(f, lineterminator='\n').writerow(r)
EOF
chmod 644 "$work/f1.csv"
imp "the first import" "$work/f1.csv"
grep -q " 1 updated" "$work/p.err" && ok "the case given twice: new, then updated" || not_ok "given twice" "$(cat "$work/p.err")"

# The second file, made from the stored cases (SQLite's export): case 3 as
# A, then as stored; case 5 three times changed; case 4's identity number in
# another region under another name; case 7 renamed. (Case 6 is rejected
# first, for the files after it.)
as root "$gt" decide --db "$db" 6 --reject --note "parity" >/dev/null 2>&1
as root "$gt" decide --db "$s" 6 --reject --note "parity" >/dev/null 2>&1
as root "$gt" export --db "$s" --machine --out "$work/x.csv" >/dev/null 2>&1
python3 - "$work/x.csv" "$work/f2.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
h = rows[0]
n = h.index('requested_level') + 2  # the input columns end with application_date
h = h[:n]
case = {r[rows[0].index('case_id')]: r[:n] for r in rows[1:]}
def ch(r, col, v):
    r = list(r); r[h.index(col)] = v; return r
out = [h]
out += [ch(case['3'], 'case_ref', 'a-3'), case['3']]
# Case 5's rows change its documents too: one added (b-1), then one of
# those it had dropped and the added one kept (b-2); case 7 gains one. The
# audit rows carry each changed document's received/verified/note, and the
# documents' rows who verified them and when, as on SQLite.
ev = h.index('evidence')
def docs(r, add=(), drop=()):
    d = [c for c in r[ev].split(';') if c and c not in drop]
    return ch(r, 'evidence', ';'.join(d + [c for c in add if c not in d]))
c5 = [c for c in case['5'][ev].split(';') if c]
out += [ch(case['5'], 'case_ref', 'b-0'),
        docs(ch(case['5'], 'case_ref', 'b-1'), add=['international_certificate']),
        docs(ch(case['5'], 'case_ref', 'b-2'), add=['international_certificate'], drop=c5[:1])]
r4 = case['4']
other = {'sichuan': 'jiangsu'}.get(r4[h.index('region')], 'sichuan')
out += [ch(ch(r4, 'region', other), 'name', r4[h.index('name')] + '丙')]
c7 = case['7'][ev].split(';')
new7 = [c for c in ('diploma', 'award_certificate', 'frontline_proof') if c not in c7][:1]
out += [docs(ch(case['7'], 'name', case['7'][h.index('name')] + '丁'), add=new7)]
with open(sys.argv[2], 'w', newline='', encoding='utf-8') as f:
    csv.writer(f, lineterminator='\n').writerows(out)
EOF
chmod 644 "$work/f2.csv"
imp "the second import" "$work/f2.csv"
grep -qE ": 1 new cases?, 6 updated, 0 unchanged" "$work/p.err" \
	&& ok "new 1, updated 6" || not_ok "second import's counts" "$(cat "$work/p.err")"
want_pg() { # NAME EXPECTED SQL
	local got
	got=$(psql_su "$3")
	[ "$got" = "$2" ] && ok "$1" || not_ok "$1" "expected: $2" "got: $got"
}
want_pg "case 3 went to A and back: two versions, two evaluations, two audit rows" "3|3|2" \
	"SELECT c.version, (SELECT count(*) FROM guantong.evaluations WHERE case_id = 3),
	        (SELECT count(*) FROM guantong.audit WHERE entity_id = '3' AND action = 'case.import')
	 FROM guantong.cases c WHERE id = 3"
want_pg "the other cases of case 4's applicant show the new name, at their version" "0" \
	"SELECT count(*) FROM guantong.cases c JOIN guantong.cases d ON d.id_number = c.id_number
	 WHERE c.id = 4 AND (d.name <> c.name OR d.fields[2] <> c.name OR d.pinyin <> c.pinyin OR c.version <> 1)"
imp "the second file again" "$work/f2.csv"

# One identity number under two names in two regions in one file (f6: case
# 12 renamed, a new case of theirs elsewhere under a third name, case 12
# as its first row again): on SQLite each row renames the applicant, so a
# row meets its case under the name the row before gave, and each import of
# the file after any other write changes the cases again (versions, audit
# rows), the applicant ending with the last row's name.
as root "$gt" export --db "$s" --machine --out "$work/x.csv" >/dev/null 2>&1
python3 - "$work/x.csv" "$work/f6.csv" <<'EOF2'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
h = rows[0]
n = h.index('requested_level') + 2
case = {r[h.index('case_id')]: r[:n] for r in rows[1:]}
h = h[:n]
def ch(r, col, v):
    r = list(r); r[h.index(col)] = v; return r
r12 = case['12']
other = {'sichuan': 'jiangsu'}.get(r12[h.index('region')], 'sichuan')
with open(sys.argv[2], 'w', newline='', encoding='utf-8') as f:
    a = ch(r12, 'name', r12[h.index('name')] + '戊')
    csv.writer(f, lineterminator='\n').writerows([h, a, ch(ch(r12, 'region', other), 'name', r12[h.index('name')] + '己'), a])
EOF2
chmod 644 "$work/f6.csv"
imp "one applicant under two names in two regions" "$work/f6.csv"
imp "the same file again (the last import's file: nothing written)" "$work/f6.csv"
as root "$gt" decide --db "$db" 13 --reject --note "parity" >/dev/null 2>&1
as root "$gt" decide --db "$s" 13 --reject --note "parity" >/dev/null 2>&1
imp "the same file after another write" "$work/f6.csv"
grep -qE ": 0 new cases?, 2 updated, 1 unchanged" "$work/p.err" \
	&& ok "flipped again: 2 updated, 1 unchanged" || not_ok "flips' counts" "$(cat "$work/p.err")"
imp "and once more" "$work/f6.csv"

# Rows that would change decided case 6 (f3: changed, as stored, a row
# invalid as read, changed again; f4: the invalid row first; f5: no row
# invalid as read, case 6 changed after another case's change), with and
# without --skip-invalid: the same output, exit status and reject file.
as root "$gt" export --db "$s" --machine --out "$work/x.csv" >/dev/null 2>&1
python3 - "$work/x.csv" "$work/f3.csv" "$work/f4.csv" "$work/f5.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
h = rows[0]
n = h.index('requested_level') + 2
h = h[:n]
case = {r[rows[0].index('case_id')]: r[:n] for r in rows[1:]}
def ch(r, col, v):
    r = list(r); r[h.index(col)] = v; return r
bad = ch(case['9'], 'id_number', '123')
f3 = [h, ch(case['8'], 'case_ref', 'c-8'), ch(case['6'], 'case_ref', 'r-6'), case['6'], bad,
      ch(case['6'], 'case_ref', 'r-6b'), ch(case['10'], 'case_ref', 'c-10')]
f4 = [h, bad, ch(case['6'], 'case_ref', 'r-6')]
f5 = [h, ch(case['8'], 'case_ref', 'c-8'), ch(case['6'], 'case_ref', 'r-6')]
for name, out in ((sys.argv[2], f3), (sys.argv[3], f4), (sys.argv[4], f5)):
    with open(name, 'w', newline='', encoding='utf-8') as f:
        csv.writer(f, lineterminator='\n').writerows(out)
EOF
chmod 644 "$work/f3.csv" "$work/f4.csv" "$work/f5.csv"
# refusal NAME EXIT FILE [--skip-invalid]: both stores, compared; the
# reject files byte for byte.
refusal() {
	local name=$1 want=$2 file=$3 f
	shift 3
	rm -f "$work/prej.csv" "$work/srej.csv"
	local pa=() sa=()
	[ $# -gt 0 ] && pa=(--skip-invalid --reject "$work/prej.csv") sa=(--skip-invalid --reject "$work/srej.csv")
	as root "$gt" import --db "$db" "${pa[@]}" "$file" >"$work/p.out" 2>"$work/p.err"
	local pr=$?
	as root "$gt" import --db "$s" "${sa[@]}" "$file" >"$work/s.out" 2>"$work/s.err"
	local sr=$?
	for f in p.out p.err s.out s.err; do
		sed -i -e 's#/[ps]rej#/Xrej#g' -e "s#$db#DB#g" -e "s#$s#DB#g" "$work/$f"
	done
	local rej=same
	if [ -e "$work/prej.csv" ] || [ -e "$work/srej.csv" ]; then
		cmp -s "$work/prej.csv" "$work/srej.csv" || rej="differ: $(diff "$work/srej.csv" "$work/prej.csv" | head -4)"
	fi
	if [ "$pr" = "$want" ] && [ "$sr" = "$want" ] && cmp -s "$work/p.err" "$work/s.err" \
		&& cmp -s "$work/p.out" "$work/s.out" && [ "$rej" = same ]; then
		ok "$name: exit $pr, $(grep -c 'decided case' "$work/p.err") refused, reject files alike"
	else
		not_ok "$name" "exit: PostgreSQL $pr, SQLite $sr (want $want); reject files $rej" \
			"$(diff "$work/s.err" "$work/p.err" | head -8)" "$(diff "$work/s.out" "$work/p.out" | head -4)"
	fi
}
refusal "decided case 6 changed, without --skip-invalid" 1 "$work/f3.csv"
grep -q "line 3: .*decided" "$work/p.err" && ! grep -q "line 6: .*decided" "$work/p.err" \
	&& ok "only the first refusal, before the invalid row" || not_ok "first refusal" "$(cat "$work/p.err")"
refusal "an invalid row before the decided case's, without --skip-invalid" 1 "$work/f4.csv"
refusal "decided case 6 changed, no other invalid row, without --skip-invalid" 1 "$work/f5.csv"
want_pg "nothing imported" "0" "SELECT count(*) FROM guantong.cases WHERE case_ref IN ('c-8', 'c-10', 'r-6', 'r-6b')"
refusal "decided case 6 changed, with --skip-invalid" 0 "$work/f3.csv" --skip-invalid
[ "$(grep -c 'decided case' "$work/prej.csv")" = 2 ] && ok "both refused rows in the reject file" \
	|| not_ok "reject file" "$(cat "$work/prej.csv")"
refusal "an invalid row before the decided case's, with --skip-invalid" 0 "$work/f4.csv" --skip-invalid
want_pg "cases 8 and 10 imported, case 6 not changed" "c-10 c-8" \
	"SELECT string_agg(case_ref, ' ' ORDER BY case_ref) FROM guantong.cases WHERE case_ref IN ('c-8', 'c-10', 'r-6', 'r-6b')"

# The per-case audit rows of the imports, every one, their JSON as data
# (the servers write it in their own spacing and key order).
audit_json() {
	python3 -c '
import json, sys
for line in sys.stdin:
    k, b, a = line.rstrip("\n").split("\t")
    print(k, *(json.dumps(json.loads(x), sort_keys=True, ensure_ascii=False) for x in (b, a)))'
}
psql_su "SELECT entity_id || chr(9) || before || chr(9) || after FROM guantong.audit
	WHERE action = 'case.import' ORDER BY id" | audit_json >"$work/pa"
sqlite3 -separator "$(printf '\t')" "$s" "SELECT entity_id, before, after FROM audit
	WHERE action = 'case.import' ORDER BY id" | audit_json >"$work/sa"
if [ -s "$work/sa" ] && cmp -s "$work/pa" "$work/sa"; then
	ok "the $(wc -l <"$work/sa") case.import audit rows: the same JSON on both"
else
	not_ok "case.import audit rows" "$(diff "$work/sa" "$work/pa" | head -8)"
fi
grep -q '"international_certificate": {"note": "", "received": true, "verified": true}' "$work/sa" \
	&& ok "a document added by an import is in its audit row" || not_ok "evidence in audit" "$(grep -c . "$work/sa")"

# Everything a person reads, on both.
both "export --machine" export --machine --out -
both "due" due --within 36600
both "due, as CSV" due --within 36600 --format csv
both "export --due" export --machine --due 36600 --out -
# (Each evaluate is a process on each store: the cases the files touched,
# the applicant's, and every fortieth.)
ncase=$(psql_su "SELECT max(id) FROM guantong.cases")
some=$(psql_su "SELECT string_agg(id::text, ' ' ORDER BY id) FROM guantong.cases c WHERE id <= 8 OR id >= $ncase - 1
	OR id % 40 = 0 OR id_number IN (SELECT id_number FROM guantong.cases WHERE id IN (4, 12))")
# evaluate: the history's JSON as data, the times as TIME; each FILE
# rewritten so, by one interpreter for all (one a case was 80 ms of CPU
# each, more than the evaluate it read).
norm() {
	python3 -c '
import json, re, sys
for name in sys.argv[1:]:
    out = []
    with open(name, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            line = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d", "TIME", line.rstrip("\n"))
            m = re.match(r"(\s+TIME\s+\S+\s+\S+\s+)(\{.*\})$", line)
            if m:
                line = m.group(1) + json.dumps(json.loads(m.group(2)), sort_keys=True, ensure_ascii=False)
            out.append(line + "\n")
    with open(name, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.writelines(out)' "$@"
}
mkdir -p "$work/ev"
for i in $some; do
	as root "$gt" evaluate --db "$db" "$i" >"$work/ev/p$i" 2>&1
	as root "$gt" evaluate --db "$s" "$i" >"$work/ev/s$i" 2>&1
done
norm "$work"/ev/* || not_ok "evaluate's output normalised" "python3 failed"
bad=0
for i in $some; do
	if ! cmp -s "$work/ev/p$i" "$work/ev/s$i"; then
		[ $bad -lt 3 ] && diff "$work/ev/s$i" "$work/ev/p$i" | head -8 | sed 's/^/#   /'
		bad=$((bad + 1))
	fi
done
nsome=$(echo $some | wc -w)
[ "$nsome" -gt 20 ] && [ $bad -eq 0 ] && ok "evaluate of $nsome of the $ncase cases: the same on both" \
	|| not_ok "evaluate" "$bad of $nsome cases differ (SQLite <, PostgreSQL >)"
counters_hold "after the imports"

echo "1..$n"
[ $failed -eq 0 ]
