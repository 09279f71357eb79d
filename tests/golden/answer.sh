#!/bin/bash
# An evaluation is stored as its answer (schema version 5): message and
# citation are derived on read by the same rule set. Read back through
# export, every fixture's summary columns are byte for byte those of
# `guantong screen` on the same input; a decided case keeps what the reviewer
# saw after a rule-set change (simulated by the test build's
# GUANTONG_TEST_RULESET hook, store/gt_answer.c), in evaluate and export; and
# `guantong reevaluate` follows undecided cases, audited and idempotent.
# With GT_TEST_DB=pg the same on PostgreSQL (tests/golden/lib/db.sh).
# Usage: answer.sh GUANTONG SOURCE_DIR
set -u
bin=$(realpath "$1")
src=$(realpath "$2")
fail=0 pass=0
tmp=$(mktemp -d)
trap 'db_cleanup; rm -rf "$tmp"' EXIT
. "$src/tests/golden/lib/db.sh"
export LC_ALL=C.UTF-8
unset LANGUAGE GUANTONG_DB GUANTONG_TEST_RULESET
ok() { pass=$((pass + 1)); }
no() { echo "FAIL $*"; fail=$((fail + 1)); }
if ! command -v sqlite3 >/dev/null || ! command -v python3 >/dev/null; then
	echo "SKIP golden answer: sqlite3 and python3 are needed"
	exit 0
fi
cd "$tmp" || exit 1
q() { dbq "$@"; }
# The SQL that differs: a number or a list of an audit row's JSON, an
# evaluation's rule set by name, and where an evaluation's text would be.
if on_pg; then
	jnum() { echo "(after::jsonb->>'$1')::bigint"; }
	jlen() { echo "jsonb_array_length(after::jsonb->'$1')"; }
	jsum=summary::json rs_join= rs_name=e.ruleset
	stored_text="SELECT count(*) FROM information_schema.columns WHERE table_schema = 'guantong'
	             AND table_name = 'evaluations' AND column_name IN ('citation', 'message', 'paths')"
else
	jnum() { echo "json_extract(after, '\$.$1')"; }
	jlen() { echo "json_array_length(after, '\$.$1')"; }
	jsum=summary rs_join="JOIN rulesets r ON r.id = e.ruleset" rs_name=r.name
	stored_text='SELECT count(*) FROM evaluations WHERE citation IS NOT NULL OR message IS NOT NULL OR paths IS NOT NULL'
fi

# ---- every fixture: export's summary columns == screen's
for f in "$src"/fixtures/screen/*.csv "$src"/fixtures/demo.csv; do
	case $f in *.expected*.csv | *.intent.csv) continue ;; esac
	b=$(basename "$f" .csv)
	"$bin" screen --as-of 2026-01-01 "$f" >"$b.screen" 2>/dev/null
	rm -f "$b.db"
	bdb=$(db_new "$b")
	if ! "$bin" import --db "$bdb" --as-of 2026-01-01 --skip-invalid --reject "$b.rej" --force "$f" >/dev/null 2>"$b.err"; then
		no "$b: import failed: $(head -3 "$b.err")"
		continue
	fi
	"$bin" export --machine --db "$bdb" --out "$b.export.csv" --force 2>/dev/null
	if [ "$(q "$bdb" "$stored_text")" != 0 ]; then
		no "$b: a new evaluation stored its text"
	fi
	if out=$(python3 - "$f" "$b.screen" "$b.export.csv" <<'PY'
import csv, sys
inp = list(csv.DictReader(open(sys.argv[1], encoding='utf-8-sig', newline='')))
scr = list(csv.reader(open(sys.argv[2], encoding='utf-8', newline='')))
hdr, scr = scr[0], scr[1:]
assert len(inp) == len(scr), (len(inp), len(scr))
want = {}
for r, s in zip(inp, scr):
    if s[1] == 'invalid':
        continue
    want[(r['id_number'].strip().upper(), r['region'].strip(), r['direction'].strip())] = s[1:]
exp = list(csv.reader(open(sys.argv[3], encoding='utf-8', newline='')))
eh, exp = exp[0], exp[1:]
i0 = eh.index('outcome')
n = 0
for e in exp:
    key = (e[eh.index('id_number')], e[eh.index('region')], e[eh.index('direction')])
    got = e[i0:i0 + 9]
    if want.get(key) != got:
        print('case %s: export %r, screen %r' % (e[eh.index('case_id')], got, want.get(key)))
        sys.exit(1)
    n += 1
if n != len(want):
    print('%d cases exported, %d expected' % (n, len(want)))
    sys.exit(1)
print(n)
PY
	); then ok; else no "$b: $out"; fi
done

# ---- a re-import of the same file: one audit row, nothing else, the same reject file
rdb=$(db_new re)
"$bin" import --db "$rdb" --skip-invalid --reject re1.csv --force "$src/fixtures/demo.csv" >/dev/null 2>&1
"$bin" export --machine --db "$rdb" --out re-x1.csv --force >/dev/null 2>&1
counts() { q "$rdb" "SELECT (SELECT count(*) FROM cases) || ' ' || (SELECT count(*) FROM evaluations) || ' ' || (SELECT sum(version) FROM cases) || ' ' || (SELECT count(*) FROM audit WHERE action <> 'export')"; }
c1=$(counts)
"$bin" import --db "$rdb" --skip-invalid --reject re2.csv --force "$src/fixtures/demo.csv" >/dev/null 2>&1 || no "re-import failed"
c2=$(counts)
set -- $c1
want="$1 $2 $3 $(($4 + 1))"
[ "$c2" = "$want" ] && ok || no "re-import: counts $c2, expected $want (one audit row more, nothing else)"
[ "$(q "$rdb" "SELECT CASE WHEN $(jnum same_as) = (SELECT min(id) FROM audit WHERE action = 'import') AND $(jnum unchanged) = $(jnum rows) - $(jnum invalid) THEN 1 ELSE 0 END FROM audit WHERE action = 'import' ORDER BY id DESC LIMIT 1")" = 1 ] && ok ||
	no "re-import: the audit row names the import it repeats and counts every valid row unchanged"
cmp -s re1.csv re2.csv && ok || no "re-import: the reject file differs"
[ "$(q "$rdb" "SELECT $(jnum sha256 | sed 's/::bigint//') FROM audit WHERE action = 'import' LIMIT 1")" = "$(sha256sum "$src/fixtures/demo.csv" | cut -d' ' -f1)" ] && ok ||
	no "the import's audit row has the file's SHA-256"
"$bin" export --machine --db "$rdb" --out re-x2.csv --force >/dev/null 2>&1
cmp -s re-x1.csv re-x2.csv && ok || no "re-import changed the export"
# after another write, the same file is read in full again (and is still unchanged)
"$bin" decide --db "$rdb" 1 --return --note "x" >/dev/null 2>&1
"$bin" import --db "$rdb" --skip-invalid --reject re3.csv --force "$src/fixtures/demo.csv" >/dev/null 2>&1
[ "$(q "$rdb" "SELECT CASE WHEN $(jnum same_as) IS NULL THEN 1 ELSE 0 END FROM audit WHERE action = 'import' ORDER BY id DESC LIMIT 1")" = 1 ] && ok ||
	no "a re-import after a decision must read the file"

# ---- a decision keeps what the reviewer saw; undecided cases follow the rules
db=$(db_new d)
f=$src/fixtures/screen/chongqing.csv
"$bin" import --db "$db" --as-of 2026-01-01 --skip-invalid --reject d.rej --force "$f" >/dev/null 2>&1
me=$(id -un)
# With the rules moved four years on, some answers change: pick a case whose
# answer changes and decide it; the other cases stay undecided.
GUANTONG_TEST_RULESET=test.2:1461 "$bin" export --machine --db "$db" --out later.csv --force 2>/dev/null
"$bin" export --machine --db "$db" --out now.csv --force 2>/dev/null
read -r changed_id unchanged_id < <(python3 - now.csv later.csv <<'PY'
import csv, sys
a = list(csv.DictReader(open(sys.argv[1], encoding='utf-8', newline='')))
b = list(csv.DictReader(open(sys.argv[2], encoding='utf-8', newline='')))
ch = [x['case_id'] for x, y in zip(a, b) if x['outcome'] != y['outcome']]
print(ch[0] if ch else '', ch[1] if len(ch) > 1 else '')
PY
)
if [ -z "$changed_id" ] || [ -z "$unchanged_id" ]; then
	no "the simulated rule-set change changes no answer of chongqing.csv"
else
	ok
	"$bin" decide --db "$db" "$changed_id" --reject --note "decided under the old rules" >/dev/null 2>&1 || no "decide failed"
	q "$db" "SELECT count(*) FROM decisions WHERE ruleset IS NOT NULL AND explanation LIKE '%%' AND json_array_length($jsum) = 9" | grep -qx 1 && ok || no "the decision keeps ruleset, summary and explanation"
	before=$(python3 -c "import csv,sys; r=[x for x in csv.DictReader(open('now.csv',encoding='utf-8',newline='')) if x['case_id']=='$changed_id'][0]; print(','.join([r['outcome'],r['target'],r['citation'],r['message']]))")
	GUANTONG_TEST_RULESET=test.2:1461 "$bin" export --machine --db "$db" --out after.csv --force 2>/dev/null
	got=$(python3 -c "import csv,sys; r=[x for x in csv.DictReader(open('after.csv',encoding='utf-8',newline='')) if x['case_id']=='$changed_id'][0]; print(','.join([r['outcome'],r['target'],r['citation'],r['message']]))")
	[ "$got" = "$before" ] && ok || no "export after a rule-set change: the decided case shows '$got', decided '$before'"
	GUANTONG_TEST_RULESET=test.2:1461 "$bin" evaluate --db "$db" "$changed_id" >ev.out 2>&1
	grep -q "as decided, by rule set 渝人社发〔2021〕55号 " ev.out && grep -q "would answer differently today" ev.out && ok ||
		no "evaluate of the decided case: $(head -c 800 ev.out)"
	# reevaluate: undecided cases follow, audited, idempotent
	n_und=$(q "$db" "SELECT count(*) FROM cases WHERE status NOT IN ('approved', 'rejected')")
	GUANTONG_TEST_RULESET=test.2:1461 "$bin" reevaluate --db "$db" >re.out 2>&1 || no "reevaluate failed: $(cat re.out)"
	[ "$(q "$db" "SELECT count(*) FROM evaluations e JOIN cases c ON c.eval_id = e.id $rs_join WHERE $rs_name = 'test.2'")" = "$n_und" ] && ok ||
		no "reevaluate: $n_und undecided cases expected under test.2"
	[ "$(q "$db" "SELECT count(*) FROM evaluations e JOIN cases c ON c.eval_id = e.id $rs_join WHERE c.id = $changed_id AND $rs_name = 'test.2'")" = 0 ] && ok ||
		no "reevaluate changed the decided case"
	[ "$(q "$db" "SELECT count(*) FROM audit WHERE action = 'reevaluate'")" = 1 ] && ok || no "reevaluate: one audit row"
	nchg=$(q "$db" "SELECT $(jnum changed_outcome) FROM audit WHERE action = 'reevaluate'")
	[ "$nchg" -ge 1 ] 2>/dev/null && ok || no "reevaluate records how many changed outcome ($nchg)"
	[ "$(q "$db" "SELECT $(jlen changed) FROM audit WHERE action = 'reevaluate'")" = "$nchg" ] && ok ||
		no "reevaluate names the cases whose outcome changed"
	GUANTONG_TEST_RULESET=test.2:1461 "$bin" reevaluate --db "$db" >re2.out 2>&1
	[ "$(q "$db" "SELECT count(*) FROM audit WHERE action = 'reevaluate'")" = 1 ] && ok || no "reevaluate again wrote something"
	GUANTONG_TEST_RULESET=test.2:1461 "$bin" export --machine --db "$db" --out after2.csv --force 2>/dev/null
	cmp -s after.csv after2.csv && ok || no "the export changed after reevaluate: $(diff after.csv after2.csv | head -5)"
fi

echo "golden answer: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
