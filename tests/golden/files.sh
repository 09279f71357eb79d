#!/bin/bash
# The files guantong writes for a person (issue 13): exports (CSV and XLSX),
# the import's reject file and backups. For each writer: a planted symbolic
# link, an existing file, a FIFO or device, a directory and the database
# itself are refused and left exactly as they were (same inode, same bytes);
# a new file is 0600 whatever the umask; a full disk (a small tmpfs when we
# may mount one, and `ulimit -f` always) is exit 1 with a message that says
# what was not written, and leaves nothing; SIGTERM in the middle leaves no
# temporary file, SIGKILL leaves one private 0600 file (or 0700 directory)
# that the next run does not trip over; exports and backups are audited
# before the file gets its name, and without the audit row there is no file.
# With GT_TEST_DB=pg the same on PostgreSQL (tests/golden/lib/db.sh) but
# what concerns the database's own file (there is none) and backups (the
# server's pg_dump; golden/store checks that backup says so).
# Usage: files.sh GUANTONG SOURCE_DIR        Prints TAP-like "ok N - ..." lines.
set -u
bin=$(realpath "$1")
src=$(realpath "$2")
tmp=$(mktemp -d)
mounted=
bgpid=
cleanup() {
	[ -n "$bgpid" ] && kill -9 "$bgpid" 2>/dev/null
	[ -n "$mounted" ] && { umount "$mounted" 2>/dev/null || umount -l "$mounted" 2>/dev/null; }
	db_cleanup
	rm -rf "$tmp"
}
trap cleanup EXIT
. "$src/tests/golden/lib/db.sh"
export LC_ALL=C.UTF-8
unset LANGUAGE GUANTONG_DB
export HOME=$tmp/home XDG_DATA_HOME=$tmp/home/.local/share
mkdir -p "$HOME"
umask 022
n=0 failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)) failed=$((failed + 1))
	echo "not ok $n - $1"
	shift
	local line
	for line in "$@"; do printf '#   %s\n' "$line"; done
}
check() { # check NAME COMMAND...
	local name=$1; shift
	if "$@"; then ok "$name"; else not_ok "$name" "failed: $*"; fi
}
# run NAME WANT-EXIT ARGS...: the binary's exit status; output in out, err.
run() {
	local name=$1 want=$2; shift 2
	# A timeout: a writer that opened a FIFO would wait for a reader forever.
	timeout 600 "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	if [ "$rc" -ne "$want" ]; then
		not_ok "$name" "exit $rc, expected $want" "stderr: $(head -c 400 "$tmp/err")"
		return 1
	fi
	ok "$name"
	return 0
}
has_err() { grep -qF -- "$1" "$tmp/err"; }
ident() { stat -c '%i %F %s' "$1" 2>/dev/null; }     # inode, type, size
sum() { sha256sum "$1" 2>/dev/null | cut -d' ' -f1; }
mode() { stat -c %a "$1" 2>/dev/null; }
parts() { (cd "$1" && ls -d ./*.part* 2>/dev/null | tr '\n' ' '); } # temporary files left in a directory
q() { dbq "$@"; }

if ! command -v sqlite3 >/dev/null; then
	echo "not ok 1 - sqlite3 is needed"; exit 1
fi
cd "$tmp" || exit 1
db=$(db_new cases)
"$bin" import --db "$db" --skip-invalid --reject "$tmp/setup-rej.csv" "$src/fixtures/demo.csv" 2>/dev/null ||
	{ echo "not ok 1 - import demo.csv"; exit 1; }
rm -f "$tmp/setup-rej.csv"
# The database's content (a checkpoint moves pages between the file and its
# -wal, so the bytes of the file alone are not the measure).
# On PostgreSQL: the schema's dump by the cluster's superuser (less the
# random key of its \restrict lines).
content() {
	if on_pg; then
		(cd / && pg_su pg_dump -d "${1#postgresql:///}" -n guantong) 2>/dev/null |
			grep -v '^\\\(un\)\?restrict ' | sha256sum | cut -d' ' -f1
	else
		sqlite3 -batch "$1" .dump 2>/dev/null | sha256sum | cut -d' ' -f1
	fi
}
dbsum=$(content "$db")
precious() { [ "$(head -c 100 "$1" | tr -cd '[:print:]')" = precious ]; } # without printing what is there
db_intact() { [ "$(content "$db")" = "$dbsum" ] && { on_pg || [ "$(q "$db" 'PRAGMA integrity_check')" = ok ]; } &&
	[ "$(q "$db" 'SELECT count(*) FROM cases')" = 13 ]; }
audit_rows() { q "$db" "SELECT count(*) FROM audit WHERE action = '$1'"; }

# ============================================================ export
mkdir -p ex && cd ex || exit 1
echo precious >victim
# ---- the database itself, by name and through a hard link
if ! on_pg; then
run "export --out the database is refused" 1 export --db "$db" --out "$db" &&
	check "export --out the database: the message says why" has_err "is the database"
run "export --out the database, --force, CSV format given" 1 export --db "$db" --out "$db" --format csv --force
check "the database is intact after export --out it" db_intact
ln "$db" "$tmp/ex/db-link.csv"
run "export --out a hard link to the database is refused" 1 export --db "$db" --out db-link.csv --force
check "the database is intact" db_intact
run "export --out the database's -wal name is refused" 1 export --db "$db" --out "$db-wal" --format csv
check "no -wal file was made by the export" [ ! -s "$db-wal" ]
check "the database is intact after it" db_intact
rm -f db-link.csv
fi

for fmt in csv xlsx; do
	# ---- a planted symbolic link, with and without --force
	ln -s victim "link.$fmt"
	run "$fmt: a symbolic link at the target is refused" 1 export --db "$db" --out "link.$fmt"
	run "$fmt: a symbolic link at the target is refused with --force" 1 export --db "$db" --out "link.$fmt" --force
	if [ "$(cat victim)" = precious ] && [ -L "link.$fmt" ]; then ok "$fmt: the link and its target are unchanged"; else not_ok "$fmt: the link and its target are unchanged" "failed"; fi
	ln -s nowhere "dangling.$fmt"
	run "$fmt: a dangling link is refused" 1 export --db "$db" --out "dangling.$fmt"
	check "$fmt: nothing was created through the dangling link" [ ! -e nowhere ]
	# ---- an existing file: kept without --force, replaced with it
	echo earlier >"old.$fmt"
	before=$(ident "old.$fmt")
	run "$fmt: an existing file is not replaced" 1 export --db "$db" --out "old.$fmt" &&
		check "$fmt: the message names the file and --force" has_err "old.$fmt exists and was not replaced (give --force"
	if [ "$(cat "old.$fmt")" = earlier ] && [ "$(ident "old.$fmt")" = "$before" ]; then ok "$fmt: the existing file is unchanged"; else not_ok "$fmt: the existing file is unchanged" "failed"; fi
	run "$fmt: --force replaces it" 0 export --db "$db" --out "old.$fmt" --force
	check "$fmt: the replacement is 0600" [ "$(mode "old.$fmt")" = 600 ]
	# ---- a FIFO, a directory, a device
	mkfifo "fifo.$fmt"
	fi=$(ident "fifo.$fmt")
	run "$fmt: a FIFO is refused" 1 export --db "$db" --out "fifo.$fmt" --force
	if [ -p "fifo.$fmt" ] && [ "$(ident "fifo.$fmt")" = "$fi" ]; then ok "$fmt: the FIFO is still there"; else not_ok "$fmt: the FIFO is still there" "failed"; fi
	mkdir "dir.$fmt"
	run "$fmt: a directory is refused" 1 export --db "$db" --out "dir.$fmt" --force
	if [ -d "dir.$fmt" ] && [ -z "$(ls -A "dir.$fmt")" ]; then ok "$fmt: the directory is still there, empty"; else not_ok "$fmt: the directory is still there, empty" "failed"; fi
	# ---- a new file: 0600 under umask 022
	run "$fmt: a new file" 0 export --db "$db" --out "new.$fmt"
	check "$fmt: a new file is 0600" [ "$(mode "new.$fmt")" = 600 ]
	check "$fmt: no temporary file is left" [ -z "$(parts .)" ]
done
# /dev/null: refused, and never removed (run as root, main deleted it).
run "a device is refused" 1 export --db "$db" --out /dev/null --format csv --force
check "/dev/null is still the device" [ -c /dev/null ]

# ---- the extension and --format
run "report.pdf is refused (no format of that name)" 2 export --db "$db" --out report.pdf &&
	check "report.pdf: the message says .csv or .xlsx" has_err "must end in .csv or .xlsx"
run "report.pdf with --format csv is refused" 2 export --db "$db" --out report.pdf --format csv
run "a .csv name with --format xlsx is refused" 2 export --db "$db" --out r.csv --format xlsx &&
	check "the message says the two disagree" has_err "the extension says csv but --format says xlsx"
if [ ! -e report.pdf ] && [ ! -e r.csv ]; then ok "nothing was written for the bad names"; else not_ok "nothing was written for the bad names" "failed"; fi
run "the format comes from the extension" 0 export --db "$db" --out "UPPER.XLSX"
check "UPPER.XLSX is a workbook" [ "$(head -c 2 UPPER.XLSX)" = PK ]
# ---- ~ is the home directory
run "a leading ~ is the home directory" 0 export --db "$db" --out '~/home.csv'
if [ -f "$HOME/home.csv" ] && [ ! -e '~' ]; then ok "~/home.csv is in \$HOME"; else not_ok "~/home.csv is in \$HOME" "failed"; fi
check "the message shows the expanded name" has_err "$HOME/home.csv: 13 cases written"

# ---- the audit: a row per export, valid JSON, before the file gets its name
rows=$(audit_rows export)
run "an export with a filter" 0 export --db "$db" --out audited.csv --status submitted --region sichuan,jiangsu
check "the export is in the audit log" [ "$(audit_rows export)" = $((rows + 1)) ]
if on_pg; then # (a text column that does not hold JSON fails the cast: the query's error is the test's)
	got=$(q "$db" "SELECT CASE WHEN actor = '$(id -un)' THEN 1 ELSE 0 END, 1, after::jsonb->>'file', after::jsonb->>'cases',
		after::jsonb#>>'{filter,status}', after::jsonb#>>'{filter,region}' FROM audit WHERE action = 'export' ORDER BY id DESC LIMIT 1" | tr -d '\n')
else
	got=$(q "$db" "SELECT actor = '$(id -un)', json_valid(after), json_extract(after, '$.file'), json_extract(after, '$.cases'),
		json_extract(after, '$.filter.status'), json_extract(after, '$.filter.region') FROM audit WHERE action = 'export' ORDER BY id DESC LIMIT 1")
fi
want="1|1|audited.csv|$(($(wc -l <audited.csv) - 1))|submitted|sichuan,jiangsu"
check "the audit row: who, the file, how many cases, the filter" [ "$got" = "$want" ]
weird=$'we"ird\\name '$(printf 'x%.0s' $(seq 1 200))'.csv'
run "an export to a long name with quotes and backslashes" 0 export --db "$db" --out "$weird"
if on_pg; then
	same_name="SELECT CASE WHEN after::jsonb->>'file' = entity_id THEN 1 ELSE 0 END FROM audit ORDER BY id DESC LIMIT 1"
else
	same_name="SELECT json_valid(after) AND json_extract(after, '$.file') = entity_id FROM audit ORDER BY id DESC LIMIT 1"
fi
check "its audit row is valid JSON with the whole name" [ "$(q "$db" "$same_name")" = 1 ]
# Without the audit row, no file: a trigger refuses export rows (on
# PostgreSQL made by the cluster's superuser: no login role may).
if on_pg; then
	dbsu "$db" "CREATE FUNCTION guantong.refuse_export() RETURNS trigger LANGUAGE plpgsql AS
		\$\$ BEGIN RAISE EXCEPTION 'audit refused for the test'; END \$\$;
		CREATE TRIGGER refuse_export BEFORE INSERT ON guantong.audit FOR EACH ROW
		WHEN (NEW.action IN ('export', 'backup')) EXECUTE FUNCTION guantong.refuse_export()"
else
	q "$db" "CREATE TRIGGER refuse_export BEFORE INSERT ON audit WHEN NEW.action IN ('export', 'backup')
		BEGIN SELECT RAISE(ABORT, 'audit refused for the test'); END"
fi
for fmt in csv xlsx; do
	run "$fmt: an export whose audit row fails" 1 export --db "$db" --out "unaudited.$fmt" &&
		check "$fmt: the message says nothing was written" has_err "nothing was written"
	if [ ! -e "unaudited.$fmt" ] && [ -z "$(parts .)" ]; then ok "$fmt: no file remains when the audit fails"; else not_ok "$fmt: no file remains when the audit fails" "failed"; fi
done
if ! on_pg; then
	run "a backup whose audit row fails" 1 backup --db "$db" unaudited.db
	if [ ! -e unaudited.db ] && [ -z "$(parts .)" ]; then ok "no backup remains when the audit fails"; else not_ok "no backup remains when the audit fails" "failed"; fi
fi
if on_pg; then
	dbsu "$db" "DROP TRIGGER refuse_export ON guantong.audit; DROP FUNCTION guantong.refuse_export()"
else
	q "$db" "DROP TRIGGER refuse_export"
fi
dbsum=$(content "$db") # the audit rows above changed it
cd "$tmp" || exit 1

# ============================================================ backup
if ! on_pg; then
mkdir -p bk && cd bk || exit 1
echo precious >victim
# A planted FILE.part: a link to someone's file, or a world-writable file.
ln -s victim copy1.db.part
run "backup with a planted .part link" 0 backup --db "$db" copy1.db
if [ "$(cat victim)" = precious ] && [ -L copy1.db.part ]; then ok "the planted link's target is unchanged"; else not_ok "the planted link's target is unchanged" "failed"; fi
if [ "$(mode copy1.db)" = 600 ] && [ "$(q copy1.db 'PRAGMA integrity_check')" = ok ]; then ok "the backup is 0600 and a database"; else not_ok "the backup is 0600 and a database" "failed"; fi
echo planted >copy2.db.part
chmod 0666 copy2.db.part
pi=$(ident copy2.db.part)
run "backup with a planted world-writable .part" 0 backup --db "$db" copy2.db
if [ "$(mode copy2.db)" = 600 ] && [ "$(ident copy2.db)" != "$pi" ]; then ok "the backup is 0600, not the planted file's 0666"; else not_ok "the backup is 0600, not the planted file's 0666" "failed"; fi
if [ "$(cat copy2.db.part)" = planted ] && [ "$(ident copy2.db.part)" = "$pi" ]; then ok "the planted .part is untouched"; else not_ok "the planted .part is untouched" "failed"; fi
rm -f copy1.db.part copy2.db.part
# The target: a link, a FIFO, a directory, the database.
ln -s victim link.db
run "backup to a symbolic link is refused" 1 backup --db "$db" link.db
if [ "$(cat victim)" = precious ] && [ -L link.db ]; then ok "the link's target is unchanged"; else not_ok "the link's target is unchanged" "failed"; fi
dbsum=$(content "$db") # the backups above added audit rows
mkfifo fifo.db
run "backup to a FIFO is refused" 1 backup --db "$db" fifo.db
check "the FIFO is still there" [ -p fifo.db ]
mkdir dir.db
run "backup to a directory is refused" 1 backup --db "$db" dir.db
run "backup onto the database is refused" 1 backup --db "$db" "$db"
check "the database is intact" db_intact
run "backup onto the database's -journal name is refused" 1 backup --db "$db" "$db-journal"
check "no -journal was made" [ ! -e "$db-journal" ]
# The audit row.
rows=$(audit_rows backup)
run "a backup" 0 backup --db "$db" audited.db
check "the backup is in the audit log, valid JSON" \
	[ "$(q "$db" "SELECT count(*) FROM audit WHERE action = 'backup' AND json_valid(after)
		AND json_extract(after, '$.file') = 'audited.db' AND json_extract(after, '$.cases') = 13")" = 1 ] &&
	[ "$(audit_rows backup)" = $((rows + 1)) ]
check "no temporary file or directory is left" [ -z "$(parts .)" ]
dbsum=$(content "$db")
cd "$tmp" || exit 1
fi

# ============================================================ the reject file
mkdir -p rj && cd rj || exit 1
cp "$src/fixtures/demo.csv" in.csv # 13 valid rows, 1 invalid
head -n 3 "$src/fixtures/demo.csv" >good.csv
before_cases=$(q "$db" 'SELECT count(*) FROM cases')
cases_same() { [ "$(q "$db" 'SELECT count(*) FROM cases')" = "$before_cases" ]; }
# An unprivileged stand-in for /dev/null: a FIFO (a special file) ...
mkfifo null.csv
fi=$(ident null.csv)
run "--reject a FIFO is refused" 1 import --db "$db" --skip-invalid --reject null.csv in.csv &&
	check "the message says nothing was imported" has_err "nothing was imported"
if [ -p null.csv ] && [ "$(ident null.csv)" = "$fi" ]; then ok "the FIFO is still there, the same one"; else not_ok "the FIFO is still there, the same one" "failed"; fi
run "--reject a FIFO, no invalid row" 1 import --db "$db" --skip-invalid --reject null.csv good.csv
if [ -p null.csv ] && [ "$(ident null.csv)" = "$fi" ]; then ok "the FIFO is still there after an import with no invalid row"; else not_ok "the FIFO is still there after an import with no invalid row" "failed"; fi
run "--reject /dev/null is refused" 1 import --db "$db" --skip-invalid --reject /dev/null in.csv
check "/dev/null is still the device" [ -c /dev/null ]
# ... and a file of one's own.
echo mine >mine.csv
mi=$(ident mine.csv)
run "--reject an existing file is refused" 1 import --db "$db" --skip-invalid --reject mine.csv in.csv
if [ "$(cat mine.csv)" = mine ] && [ "$(ident mine.csv)" = "$mi" ]; then ok "the existing file is untouched"; else not_ok "the existing file is untouched" "failed"; fi
check "nothing was imported" cases_same
run "--force, no invalid row" 0 import --db "$db" --skip-invalid --reject mine.csv --force good.csv
dbsum=$(content "$db") # an import, even of unchanged cases, writes its audit row (issue 14)
if [ "$(cat mine.csv)" = mine ] && [ "$(ident mine.csv)" = "$mi" ]; then ok "an existing reject file is never deleted (no invalid row)"; else not_ok "an existing reject file is never deleted (no invalid row)" "failed"; fi
printf 'case_ref,name\n' >empty.csv
run "--force, a failed import" 1 import --db "$db" --skip-invalid --reject mine.csv --force empty.csv
if [ "$(cat mine.csv)" = mine ] && [ "$(ident mine.csv)" = "$mi" ]; then ok "an existing reject file is never deleted (a failed import)"; else not_ok "an existing reject file is never deleted (a failed import)" "failed"; fi
ln -s victim link.csv
echo precious >victim
run "--reject a symbolic link is refused" 1 import --db "$db" --skip-invalid --reject link.csv --force in.csv
if [ "$(cat victim)" = precious ] && [ -L link.csv ]; then ok "the link's target is unchanged"; else not_ok "the link's target is unchanged" "failed"; fi
if ! on_pg; then # (a connection string is no file name)
	run "--reject the database is refused" 1 import --db "$db" --skip-invalid --reject "$db" --force in.csv
	check "the database is intact" db_intact
fi
insum=$(sum in.csv)
run "--reject the input file itself, with --force, is refused" 1 import --db "$db" --skip-invalid --reject in.csv --force in.csv
check "the input file is untouched" [ "$(sum in.csv)" = "$insum" ]
run "--reject a new file" 0 import --db "$db" --skip-invalid --reject rej.csv in.csv
check "the reject file is 0600" [ "$(mode rej.csv)" = 600 ]
check "the reject file has the header and the invalid row" [ "$(wc -l <rej.csv)" = 2 ]
run "--force replaces an earlier reject file" 0 import --db "$db" --skip-invalid --reject mine.csv --force in.csv
if [ "$(mode mine.csv)" = 600 ] && grep -q reject_reason mine.csv; then ok "the replaced reject file is 0600 and holds the invalid row"; else not_ok "the replaced reject file is 0600 and holds the invalid row" "failed"; fi
check "no temporary file is left" [ -z "$(parts .)" ]
dbsum=$(content "$db")
cd "$tmp" || exit 1

# ============================================================ a full disk
# Many invalid rows (a reject file of ~70 KB, past the 48 KiB limit below,
# while the messages on stderr, a file under the same limit, stay well within
# it) and a larger database.
awk 'BEGIN { print "case_ref,name,id_number,region,direction,series,skill_level,skill_date,title_level,application_date"
	for (i = 1; i <= 150; i++)
		printf "BAD%d,申请人申请人申请人申请人申请人申请人申请人申请人申请人申请人申请人申请人申请人申请人申请人申请人申请人申请人%d,500103198804121230,chongqing,skill_to_title,engineering,technician,2021-06-30,none,2024-06-30\n", i, i
	print "OK1,王五,110105194912310016,chongqing,skill_to_title,engineering,technician,2021-06-30,none,2024-06-30"
}' >many-bad.csv
awk -v N=30000 'BEGIN {
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
big=$(db_new big)
"$bin" import --db "$big" big.csv 2>/dev/null || not_ok "import big.csv"
bigcases=$(q "$big" 'SELECT count(*) FROM cases')
bigaudit=$(q "$big" 'SELECT count(*) FROM audit')

# full_disk WHERE LABEL: every writer into WHERE fails cleanly.
full_disk() {
	local d=$1 label=$2
	for fmt in csv xlsx; do
		run "$label: export $fmt exits 1" 1 export --db "$big" --out "$d/full.$fmt" &&
			check "$label: export $fmt says it was not written" has_err "was not written"
		if [ ! -e "$d/full.$fmt" ] && [ -z "$(parts "$d")" ]; then ok "$label: export $fmt leaves nothing"; else not_ok "$label: export $fmt leaves nothing" "failed"; fi
	done
	if ! on_pg; then
		run "$label: backup exits 1" 1 backup --db "$big" "$d/full.db" &&
			check "$label: backup says it was not written" has_err "was not written"
		if [ ! -e "$d/full.db" ] && [ -z "$(parts "$d")" ]; then ok "$label: backup leaves nothing"; else not_ok "$label: backup leaves nothing" "failed"; fi
	fi
	local c0
	c0=$(q "$db" 'SELECT count(*) FROM cases')
	run "$label: import with a reject file that does not fit exits 1" 1 \
		import --db "$db" --skip-invalid --reject "$d/rej.csv" many-bad.csv &&
		check "$label: the message says nothing was imported and the reject file was not written" \
			has_err "nothing was imported and $d/rej.csv was not written"
	check "$label: the good row was not imported" [ "$(q "$db" 'SELECT count(*) FROM cases')" = "$c0" ]
	if [ ! -e "$d/rej.csv" ] && [ -z "$(parts "$d")" ]; then ok "$label: no reject file, no temporary file"; else not_ok "$label: no reject file, no temporary file" "failed"; fi
}
# The file size limit (no privileges needed): 48 KiB.
mkdir -p lim
( ulimit -f 48; full_disk "$tmp/lim" "ulimit -f" ) >ulimit.tap
cat ulimit.tap
n=$((n + $(grep -c '^ok\|^not ok' ulimit.tap))) failed=$((failed + $(grep -c '^not ok' ulimit.tap)))
check "ulimit -f: no export or backup is in the audit log" [ "$(q "$big" 'SELECT count(*) FROM audit')" = "$bigaudit" ]
# A small tmpfs, filled up to 8 KiB, when we may mount one.
mkdir -p full
if mount -t tmpfs -o size=512k,mode=0755 tmpfs "$tmp/full" 2>/dev/null; then
	mounted=$tmp/full
	dd if=/dev/zero of="$tmp/full/filler" bs=4k 2>/dev/null
	truncate -s -8K "$tmp/full/filler"
	full_disk "$tmp/full" "full tmpfs"
	check "full tmpfs: no export or backup is in the audit log" [ "$(q "$big" 'SELECT count(*) FROM audit')" = "$bigaudit" ]
	umount "$tmp/full" && mounted=
else
	ok "a full tmpfs # SKIP cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN)"
fi

# ============================================================ killed in the middle
# stop_when_started PID DIR: waits for the writer's temporary file in DIR,
# then stops the process there (SIGSTOP), mid-write. 1 when it ended first.
stop_when_started() {
	local pid=$1 d=$2
	while kill -0 "$pid" 2>/dev/null; do
		if [ -n "$(parts "$d")" ]; then
			kill -STOP "$pid"
			return 0
		fi
	done
	return 1
}
# killed LABEL SIGNAL DIR ARGS...: runs the binary, stops it mid-write, sends SIGNAL.
killed() {
	local label=$1 sig=$2 d=$3
	shift 3
	killed_with "$label" "$sig" "$d" : "$@"
}
# killed_with LABEL SIGNAL DIR SCRIPT ARGS...: killed, with SCRIPT (shell
# code, $d the directory) run while the process is stopped.
killed_with() {
	local label=$1 sig=$2 d=$3 script=$4
	shift 4
	mkdir -p "$d"
	# A background job of a script starts with SIGINT ignored: give it back.
	env --default-signal=INT,TERM,HUP "$bin" "$@" >/dev/null 2>"$tmp/kill.err" &
	local pid=$!
	bgpid=$pid
	if ! stop_when_started "$pid" "$d"; then
		wait "$pid"
		not_ok "$label: not caught in the middle (it finished first)"
		return 1
	fi
	eval "$script"
	kill -"$sig" "$pid"
	kill -CONT "$pid" 2>/dev/null
	wait "$pid"
	local rc=$?
	bgpid=
	local want=$((128 + $(kill -l "$sig")))
	if [ "$rc" -ne "$want" ]; then
		not_ok "$label: exit $rc, expected $want (killed by $sig)" "$(cat "$tmp/kill.err")"
		return 1
	fi
	return 0
}
backup=backup
on_pg && backup=
for what in export.csv export.xlsx $backup; do
	d=$tmp/k-$what
	case $what in
	export.csv) args=(export --db "$big" --out "$d/out.csv"); target=$d/out.csv ;;
	export.xlsx) args=(export --db "$big" --out "$d/out.xlsx"); target=$d/out.xlsx ;;
	backup) args=(backup --db "$big" "$d/out.db"); target=$d/out.db ;;
	esac
	for sig in TERM INT HUP; do
		if killed "$what: SIG$sig" "$sig" "$d" "${args[@]}"; then
			if [ -z "$(parts "$d")" ] && [ ! -e "$target" ]; then
				ok "$what: SIG$sig in the middle leaves no temporary file and no target"; else not_ok "$what: SIG$sig in the middle leaves no temporary file and no target" "failed"; fi
		fi
	done
	if killed "$what: SIGKILL" KILL "$d" "${args[@]}"; then
		left=$(parts "$d")
		# What SIGKILL leaves: one TARGET.part-XXXXXX, a 0600 file (CSV) or
		# a 0700 directory (XLSX, backup), readable by nobody else.
		if [ "$(echo $left | wc -w)" = 1 ] && { [ "$(mode "$d/${left% }")" = 600 ] || [ "$(mode "$d/${left% }")" = 700 ]; }; then
			ok "$what: SIGKILL leaves one private temporary file or directory ($left)"; else not_ok "$what: SIGKILL leaves one private temporary file or directory ($left)" "failed"; fi
		run "$what: the next run after a SIGKILL succeeds" 0 "${args[@]}"
		if [ -n "$(parts "$d")" ] && [ -e "$target" ]; then ok "$what: and the leftover is not its to delete"; else not_ok "$what: and the leftover is not its to delete" "failed"; fi
	fi
done
check "the killed backups did not touch the database" [ "$(q "$big" 'SELECT count(*) FROM cases')" = "$bigcases" ]

# ============================================================ a signal while the library has a file of its own
# libxlsxwriter makes its temporary files in the export's private directory
# (tmpdir) and unlinks each as soon as it is open: a signal between the two
# used to leave the directory (rmdir: not empty) with that file in it. The
# process is stopped mid-write, as above, and such a file put in the
# directory, as libxlsxwriter would have it at that moment.
d=$tmp/k-lib
for sig in TERM HUP; do
	rm -rf "$d"
	if killed_with "export.xlsx, a library's temporary file in the private directory: SIG$sig" "$sig" \
		"$d" 'for p in "$d"/*.part-*/; do : >"${p}tmp.lib0123456"; done' export --db "$big" --out "$d/out.xlsx"; then
		if [ -z "$(parts "$d")" ] && [ ! -e "$d/out.xlsx" ]; then ok "export.xlsx: SIG$sig with a library's temporary file in the private directory leaves nothing"; else not_ok "export.xlsx: SIG$sig with a library's temporary file in the private directory leaves nothing" "left: $(ls -R "$d")"; fi
	fi
done

# ============================================================ a signal as the temporary file is born
# Between the making of the temporary file (or private directory) and its
# entry in the clean-up list, a signal used to end the process with the
# file left behind (the loop above stops the process as soon as a .part
# appears, and once in a while caught it there). strace delivers SIGHUP as
# the call that makes it returns — fchmod(2) of the new CSV file, mkdir(2)
# of the private directory — every time: the program must still die of it
# and leave nothing.
born_clean() { [ "$1" = 129 ] && [ -z "$(parts "$2")" ] && [ ! -e "$3" ]; }
if ! command -v strace >/dev/null; then
	not_ok "strace is needed for the signal-at-birth checks (scripts/deps.sh installs it)"
elif ! strace -o /dev/null true 2>/dev/null; then
	echo "# SKIP the signal-at-birth checks: this machine does not allow ptrace"
else
	for what in export.csv export.xlsx $backup; do
		d=$tmp/born-$what
		mkdir -p "$d"
		case $what in
		export.csv) args=(export --db "$big" --out "$d/out.csv"); call=fchmod; target=$d/out.csv ;;
		export.xlsx) args=(export --db "$big" --out "$d/out.xlsx"); call=mkdir; target=$d/out.xlsx ;;
		backup) args=(backup --db "$big" "$d/out.db"); call=mkdir; target=$d/out.db ;;
		esac
		env --default-signal=HUP strace -f -o /dev/null -e trace=$call -e inject=$call:signal=HUP:when=1 \
			"$bin" "${args[@]}" >/dev/null 2>&1
		rc=$?
		check "$what: SIGHUP as its temporary file is made: it dies of it ($rc) and leaves nothing ($(parts "$d"))" \
			born_clean "$rc" "$d" "$target"
	done
fi

# ============================================================ a swap while writing
# What another clerk with write access to a shared export directory can do
# while an admin's XLSX export runs: put a link to a victim file where the
# temporary file is (a file: replaced by the link; a private directory:
# renamed away and replaced by one holding the link). libxlsxwriter opens
# its output by name at the end; the victim must stay as it was.
for what in export.xlsx $backup; do
	d=$tmp/swap-$what
	mkdir -p "$d"
	echo precious >"$d/victim"
	case $what in
	export.xlsx) args=(export --db "$big" --out "$d/out.xlsx"); target=$d/out.xlsx ;;
	backup) args=(backup --db "$big" "$d/out.db"); target=$d/out.db ;;
	esac
	"$bin" "${args[@]}" >/dev/null 2>"$tmp/swap.err" &
	pid=$!
	bgpid=$pid
	if stop_when_started "$pid" "$d"; then
		part=$(cd "$d" && ls -d ./*.part* | head -n 1)
		part=${part#./}
		if [ -d "$d/$part" ]; then
			mv "$d/$part" "$d/moved-away"
			mkdir "$d/$part"
			ln -s ../victim "$d/$part/$(basename "$target")"
			ln -s ../victim "$d/$part/$(basename "$target")-journal"
		else
			rm -f "$d/$part"
			ln -s victim "$d/$part"
		fi
		kill -CONT "$pid"
		wait "$pid"
		rc=$?
		bgpid=
		check "$what: a link swapped in while writing: the victim is unchanged" precious "$d/victim"
		check "$what: and the file is complete or absent (exit $rc)" \
			eval '[ $rc -ne 0 ] && [ ! -e "$target" ] || { [ $rc -eq 0 ] && [ -f "$target" ] && [ ! -L "$target" ]; }'
		[ $rc -eq 0 ] && [ "$what" = export.xlsx ] &&
			check "$what: the workbook is a whole zip" python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).testzip()' "$target"
		[ $rc -eq 0 ] && [ "$what" = backup ] &&
			check "$what: the copy is a whole database" [ "$(q "$target" 'PRAGMA integrity_check')" = ok ]
	else
		wait "$pid"
		bgpid=
		not_ok "$what: not caught in the middle (it finished first)"
	fi
done
# The reject file while the import waits for its input (a FIFO): SIGTERM
# removes the temporary reject file, and nothing is imported.
mkdir -p k-import
mkfifo k-import/in.csv
c0=$(q "$db" 'SELECT count(*) FROM cases')
"$bin" import --db "$db" --skip-invalid --reject k-import/rej.csv k-import/in.csv >/dev/null 2>&1 &
pid=$!
bgpid=$pid
exec 7>k-import/in.csv # the import opens its input, then makes the reject file
head -n 2 many-bad.csv >&7
for _ in $(seq 1 200); do [ -n "$(parts k-import)" ] && break; sleep 0.05; done
check "the import made its temporary reject file" [ -n "$(parts k-import)" ]
kill -TERM "$pid"
wait "$pid"
rc=$?
exec 7>&-
bgpid=
check "import: SIGTERM while reading: killed by it ($rc)" [ "$rc" = 143 ]
if [ -z "$(parts k-import)" ] && [ ! -e k-import/rej.csv ]; then ok "import: SIGTERM leaves no reject file and no temporary file"; else not_ok "import: SIGTERM leaves no reject file and no temporary file" "failed"; fi
check "import: nothing was imported" [ "$(q "$db" 'SELECT count(*) FROM cases')" = "$c0" ]

echo "1..$n"
echo "golden files: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
