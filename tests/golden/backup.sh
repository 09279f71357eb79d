#!/bin/bash
# guantong backup: a copy of the live database made with SQLite's online
# backup API. The copy is a complete database (integrity_check ok, the same
# export as the original), born 0600, never half-written under its name, and
# consistent while an import writes to the original at the same time: it holds
# the cases from before the import's transaction or all of them after it,
# never a part. Usage: backup.sh GUANTONG SOURCE_DIR
set -u
bin=$(realpath "$1")
src=$(realpath "$2")
fail=0 pass=0
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8
unset LANGUAGE GUANTONG_DB
ok() { pass=$((pass + 1)); }
no() { echo "FAIL $*"; fail=$((fail + 1)); }

if ! command -v sqlite3 >/dev/null; then
	echo "SKIP golden backup: the sqlite3 shell is needed to check the copies (scripts/deps.sh installs it)"
	exit 0
fi
cd "$tmp" || exit 1

# check NAME WANT-RC WANT-STDERR -- ARGS
check() {
	local name=$1 want=$2 err=$3
	shift 4
	"$bin" "$@" >out 2>err
	local rc=$?
	if [ $rc -ne "$want" ]; then
		no "$name: exit $rc, expected $want: $(cat err)"
	elif [ "$(cat err)" != "$err" ]; then
		no "$name: stderr \"$(cat err)\", expected \"$err\""
	else
		ok
	fi
}
integrity() { sqlite3 "$1" 'PRAGMA integrity_check' 2>&1; }
cases() { sqlite3 "$1" 'SELECT count(*) FROM cases' 2>&1; }

"$bin" import --db live.db --as-of 2024-06-30 "$src/fixtures/screen/chongqing.csv" 2>/dev/null || no "import"
base=$(cases live.db)

# ---- a quiet database
check backup 0 "backed up to copy.db" -- backup --db live.db copy.db
[ "$(integrity copy.db)" = ok ] && ok || no "copy.db: integrity_check: $(integrity copy.db)"
[ "$(stat -c %a copy.db)" = 600 ] && ok || no "copy.db: mode $(stat -c %a copy.db), expected 600"
# The original's audit log has one row more: the backup itself, written
# after the copy was made (and before it was given its name).
[ "$(sqlite3 copy.db 'SELECT count(*) + 1 FROM audit')" = "$(sqlite3 live.db 'SELECT count(*) FROM audit')" ] && ok ||
	no "the copy's audit log differs by more than the backup's row"
[ "$(sqlite3 live.db "SELECT action || ' ' || entity_id || ' ' || json_extract(after, '$.cases') FROM audit WHERE action = 'backup' ORDER BY id DESC LIMIT 1")" = "backup copy.db $base" ] && ok ||
	no "the backup's audit row: $(sqlite3 live.db 'SELECT * FROM audit ORDER BY id DESC LIMIT 1')"
"$bin" export --db live.db >live.csv 2>/dev/null
"$bin" export --db copy.db >copy.csv 2>/dev/null
cmp -s live.csv copy.csv && [ -s copy.csv ] && ok || no "the copy exports differently from the original"
ls ./*.part 2>/dev/null && no "a .part file was left behind"

# ---- refusals: an existing target is never overwritten; no database, no copy
echo precious >taken.db
check existing-target 1 "guantong backup: taken.db exists; give a new file name" -- backup --db live.db taken.db
[ "$(cat taken.db)" = precious ] && ok || no "the existing target was changed"
check missing-database 1 "guantong: nope.db: No such file or directory" -- backup --db nope.db copy2.db
[ ! -e copy2.db ] && [ ! -e nope.db ] && ok || no "missing-database: a file was created"
"$bin" backup --db live.db >out 2>err
rc=$?
[ $rc -eq 2 ] && [ "$(head -1 err)" = "guantong backup: a FILE is required" ] && ok ||
	no "no-file: exit $rc: $(head -1 err)"

# ---- while an import writes: 20,000 new cases in one transaction
awk -v N=20000 'BEGIN {
	split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " "); c = "10X98765432"
	print "case_ref,name,id_number,region,direction,series,skill_level,skill_date,title_level,application_date"
	for (i = 1; i <= N; i++) {
		d = int(i / 1000)
		s = sprintf("110105%04d%02d%02d%03d", 1960 + d % 40, 1 + int(d / 40) % 12, 1 + int(d / 480) % 28, i % 1000)
		sum = 0
		for (k = 1; k <= 17; k++) sum += substr(s, k, 1) * w[k]
		printf "G%d,申请人%d,%s%s,sichuan,skill_to_title,engineering,technician,2021-06-30,none,2024-06-30\r\n", \
			i, i, s, substr(c, sum % 11 + 1, 1)
	}
}' >big.csv
"$bin" import --db live.db big.csv 2>import.err &
importer=$!
n=0 during=0
while { kill -0 $importer 2>/dev/null && [ $n -lt 40 ]; } || [ $n -eq 0 ]; do
	n=$((n + 1))
	kill -0 $importer 2>/dev/null && running=1 || running=0
	if ! "$bin" backup --db live.db "during$n.db" 2>/dev/null; then
		no "backup $n during the import failed"
		continue
	fi
	# Still running when the copy was finished: it was made during the import.
	kill -0 $importer 2>/dev/null && [ $running = 1 ] && during=$((during + 1))
done
wait $importer || no "the import failed: $(cat import.err)"
after=$(cases live.db)
[ "$after" = $((base + 20000)) ] && ok || no "the import left $after cases"
for ((k = 1; k <= n; k++)); do
	[ -f "during$k.db" ] || continue
	i=$(integrity "during$k.db")
	c=$(cases "during$k.db")
	if [ "$i" != ok ]; then
		no "during$k.db: integrity_check: $i"
	elif [ "$c" != "$base" ] && [ "$c" != "$after" ]; then
		no "during$k.db: $c cases: a part of the import's transaction"
	else
		ok
	fi
done
echo "backups during the import: $n made, $during finished while it was still writing"

# ---- while other imports commit one after another: the backup restarts
# after each commit and still finishes, with a consistent copy.
for k in 1 2 3; do
	sed -n "1p; $((k * 5 + 2)),$((k * 5 + 6))p" big.csv | sed 's/,sichuan,/,jiangsu,/' >"small$k.csv"
done
(for r in $(seq 1 30); do "$bin" import --db live.db "small$((r % 3 + 1)).csv" 2>/dev/null; done) &
writer=$!
for k in 1 2 3; do
	if timeout 120 "$bin" backup --db live.db "busy$k.db" 2>/dev/null && [ "$(integrity "busy$k.db")" = ok ]; then
		ok
	else
		no "backup $k under repeated commits failed or is inconsistent"
	fi
done
wait $writer
ls ./*.part 2>/dev/null && no "a .part file was left behind"

echo "golden backup: $pass passed, $fail failed"
[ $fail -eq 0 ]
