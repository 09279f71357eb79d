#!/bin/bash
# Golden test of what a person reads in English (LC_ALL=C.UTF-8): no spec
# code where a sentence or a table names a thing. The cases of every
# screen fixture are imported into a fresh store; the text of `stats`,
# `due`, `evaluate` (every fourth case; its history's audit records are stored JSON
# and left out) and `screen --explain` are scanned for every code of the
# code tables (core/gt_codes.c) that is no English word (those with an
# underscore: needs_evidence, principal_technician, id_card, …). The CSV
# outputs keep their codes and are not scanned. (The same under zh_CN, for
# every code, is zh_text.sh's.)
# Usage: en_text.sh GUANTONG SOURCE_DIR
set -u
bin=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset LANGUAGE
export LC_ALL=C.UTF-8 TZ=Asia/Shanghai GUANTONG_DB="$tmp/cases.db"
fail=0

grep -oE '^[[:space:]]*\{ "[a-z0-9]+_[a-z0-9_]+"' "$src/core/gt_codes.c" | grep -oE '[a-z0-9_]+' | sort -u >"$tmp/codes"
n=$(wc -l <"$tmp/codes")
if [ "$n" -lt 50 ]; then
	echo "FAIL: only $n codes read from core/gt_codes.c"
	exit 1
fi

"$bin" init >/dev/null 2>&1 || { echo "FAIL: init"; exit 1; }
for f in "$src"/fixtures/screen/*.csv; do
	case $f in *.intent.csv | *.expected.csv | *.expected.*.csv | */invalid.csv) continue ;; esac
	# Each file's valid rows (import takes a file whole or not at all).
	name=$(basename "$f" .csv)
	"$bin" screen --as-of 2024-06-30 "$f" >"$tmp/$name.screen" 2>/dev/null
	"$bin" screen --as-of 2024-06-30 --explain "$f" >"$tmp/$name.explain" 2>/dev/null ||
		{ echo "FAIL: screen --explain $name"; fail=1; }
	python3 - "$f" "$tmp/$name.screen" "$tmp/$name.valid.csv" "$name" <<'EOF'
import csv, sys
src, screen, out, name = sys.argv[1:]
rows = list(csv.reader(open(src, encoding='utf-8-sig')))
res = list(csv.DictReader(open(screen, encoding='utf-8-sig')))
bad = {r['case_ref'] for r in res if r['outcome'] == 'invalid'}
with open(out, 'w', encoding='utf-8', newline='') as o:
    w = csv.writer(o)
    w.writerow(rows[0])
    ref = rows[0].index('case_ref')
    for r in rows[1:]:
        if r and r[ref] not in bad and r[ref]:
            r[ref] = name[:2] + r[ref]  # unique across the files
            w.writerow(r)
EOF
	"$bin" import "$tmp/$name.valid.csv" >/dev/null 2>"$tmp/$name.err" ||
		{ echo "FAIL: import $name: $(head -3 "$tmp/$name.err")"; fail=1; }
done

cases=$(sqlite3 "$GUANTONG_DB" 'SELECT count(*) FROM cases')
[ "$cases" -gt 100 ] || { echo "FAIL: only $cases cases imported"; fail=1; }
"$bin" stats >"$tmp/text.stats" 2>&1 || { echo "FAIL: stats"; fail=1; }
"$bin" due --within 36600 >"$tmp/text.due" 2>&1 || { echo "FAIL: due"; fail=1; }
for ((i = 1; i <= cases; i += 4)); do # every fourth case: a process each
	# Up to the history: its lines are the audit's stored records.
	"$bin" evaluate "$i" 2>&1 | sed '/^History:$/,$d'
done >"$tmp/text.evaluate"
cat "$tmp"/*.explain >"$tmp/text.explain"
# stats names a green channel's awards: the fixtures' must include one
# resting on a skill level (a direct route's), or the check below is blind.
grep -q '^Awards that opened green channels' "$tmp/text.stats" || { echo "FAIL: stats has no awards"; fail=1; }

for t in stats due evaluate explain; do
	hits=$(grep -owFf "$tmp/codes" "$tmp/text.$t" | sort | uniq -c | sort -rn | head -5)
	if [ -n "$hits" ]; then
		echo "FAIL: $t shows codes in English text:"
		echo "$hits" | sed 's/^/    /'
		grep -nwFf "$tmp/codes" "$tmp/text.$t" | head -5 | sed 's/^/    | /'
		fail=1
	fi
done
[ $fail = 0 ] && echo "en_text: stats, due, evaluate (every fourth of $cases cases) and screen --explain name things in English"
exit $fail
