#!/bin/bash
# The bad-input corpus (fixtures/bad/README.md): every malformed input class
# gets its exact message and exit status from `guantong import` (and from
# `guantong screen` where it reads the file), and nothing is written: a new
# database has no cases, an existing one dumps (sqlite3 .dump) the same before
# and after. Usage: bad.sh GUANTONG SOURCE_DIR
set -u
bin=$(realpath "$1")
src=$(realpath "$2")
bad=$src/fixtures/bad
fail=0 pass=0 skip=0
tmp=$(mktemp -d)
mounts=()
cleanup() {
	for m in "${mounts[@]}"; do umount "$m" 2>/dev/null; done
	chattr -i "$tmp"/ro-immutable/* 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
export LC_ALL=C.UTF-8
unset LANGUAGE GUANTONG_DB

ok() { pass=$((pass + 1)); }
no() { echo "FAIL $*"; fail=$((fail + 1)); }
skipped() { echo "SKIP $*"; skip=$((skip + 1)); }

if ! command -v sqlite3 >/dev/null; then
	echo "SKIP golden bad: the sqlite3 shell is needed to look into the databases (scripts/deps.sh installs it)"
	exit 0
fi

# The expected standard error, one argument a line.
msg() { printf '%s\n' "$@" >"$tmp/want"; }

# run NAME WANT-RC DIR -- ARGS: runs the program in DIR (so that the messages
# name files as given) under ulimit -f $LIMIT when set; checks the exit status
# and that stderr is exactly $tmp/want. Stdout is left in $tmp/out.
run() {
	local name=$1 want=$2 dir=$3
	shift 4
	(cd "$dir" && { [ -z "${LIMIT:-}" ] || ulimit -f "$LIMIT"; } && exec "$bin" "$@") >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	if [ $rc -ne "$want" ]; then
		no "$name: exit $rc, expected $want; stderr: $(head -c 300 "$tmp/err")"
	elif ! cmp -s "$tmp/want" "$tmp/err"; then
		no "$name: stderr differs (expected, then got):"
		diff "$tmp/want" "$tmp/err" | head -10
	else
		ok
	fi
}

cases() { sqlite3 "$1" 'SELECT count(*) FROM cases' 2>&1; }
dump() { sqlite3 "$1" .dump; }
same_as_seed() { # NAME DB
	if dump "$2" | cmp -s - "$tmp/seed.dump"; then ok; else no "$1: the existing database changed"; fi
}

# An existing database: the chongqing fixture, 67 cases.
"$bin" import --db "$tmp/seed.db" --as-of 2024-06-30 "$src/fixtures/screen/chongqing.csv" 2>/dev/null ||
	no "seeding the existing database"
dump "$tmp/seed.db" >"$tmp/seed.dump"

# both NAME DIR FILE WANT-RC: import FILE into a new database and into a copy
# of the seed; the same exit status and stderr ($tmp/want) for both, and
# nothing written to either.
both() {
	local name=$1 dir=$2 file=$3 want=$4
	rm -f "$tmp/new.db" "$tmp/old.db"
	cp "$tmp/seed.db" "$tmp/old.db"
	run "$name (new database)" "$want" "$dir" -- import --db "$tmp/new.db" "$file"
	if [ -f "$tmp/new.db" ] && [ "$(cases "$tmp/new.db")" != 0 ]; then
		no "$name: the new database has cases"
	else
		ok
	fi
	run "$name (existing database)" "$want" "$dir" -- import --db "$tmp/old.db" "$file"
	same_as_seed "$name" "$tmp/old.db"
}

# screen_rows NAME DIR FILE ROWS: screen exits 0, says nothing on stderr and
# writes exactly these invalid rows (without the CR). A file that is not UTF-8
# gets the spec's one-line GB18030 hint, and only that.
screen_rows() {
	local name=$1 dir=$2 file=$3 rows=$4
	(cd "$dir" && exec "$bin" screen --as-of 2024-06-30 "$file") >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	if grep -q 'not valid UTF-8' "$rows" 2>/dev/null; then
		if [ "$(grep -c -- '--encoding gb18030' "$tmp/err")" = 1 ] && [ "$(wc -l <"$tmp/err")" = 1 ]; then
			: >"$tmp/err"
		fi
	fi
	if [ $rc -ne 0 ] || [ -s "$tmp/err" ]; then
		no "$name (screen): exit $rc, stderr: $(head -c 300 "$tmp/err")"
	elif ! grep -a ',invalid,' "$tmp/out" | tr -d '\r' | cmp -s - "$rows"; then
		no "$name (screen): the invalid rows differ (expected, then got):"
		grep -a ',invalid,' "$tmp/out" | tr -d '\r' | diff "$rows" - | head -10
	else
		ok
	fi
}

# ---- the committed files: row-level errors. import: exit 1, every problem
# listed, nothing written; screen: exit 0, an invalid row for each.
for err in "$bad"/*.err; do
	name=$(basename "$err" .err)
	cp "$err" "$tmp/want"
	both "$name" "$bad" "$name.csv" 1
	screen_rows "$name" "$bad" "$name.csv" "$bad/$name.screen"
done

# ---- made at test time: a 1 MB field, 100,000 columns in the header and in a row
gen=$tmp/gen
mkdir "$gen"
H='case_ref,name,id_number,region,direction,series,skill_level,skill_date,title_level,application_date'
B1='B1,张伟,11010519491231002X,chongqing,skill_to_title,engineering,technician,2021-06-30,none,2024-06-30'
{
	printf '%s\r\n%s\r\nB2,' "$H" "$B1"
	head -c 1048576 /dev/zero | tr '\0' A
	printf ',500103198804121238,sichuan,skill_to_title,engineering,senior,2020-01-01,none,2024-06-30\r\n'
} >"$gen/field-1mb.csv"
{ seq -f 'c%g' 1 100000 | paste -sd, -; printf '%s\r\n' "$B1"; } >"$gen/columns-100k-header.csv"
{ printf '%s\r\n%s\r\n' "$H" "$B1"; seq 1 100000 | paste -sd, -; } >"$gen/columns-100k-row.csv"

msg 'line 3, applicant name (column 2): the field is longer than 65536 bytes' \
    'guantong import: field-1mb.csv: 1 row is invalid; nothing was imported'
both field-1mb "$gen" field-1mb.csv 1
echo ',invalid,,,,,,no,,"line 3, applicant name (column 2): the field is longer than 65536 bytes"' >"$tmp/rows"
screen_rows field-1mb "$gen" field-1mb.csv "$tmp/rows"

msg 'guantong import: columns-100k-header.csv: line 1, column 257: the row has more than 256 fields'
both columns-100k-header "$gen" columns-100k-header.csv 1
msg 'guantong: columns-100k-header.csv: line 1, column 257: the row has more than 256 fields'
run "columns-100k-header (screen)" 1 "$gen" -- screen columns-100k-header.csv
[ -s "$tmp/out" ] && no "columns-100k-header (screen): wrote output"

msg 'line 3, field 257: the row has more than 256 fields' \
    'guantong import: columns-100k-row.csv: 1 row is invalid; nothing was imported'
both columns-100k-row "$gen" columns-100k-row.csv 1
echo ',invalid,,,,,,no,,"line 3, field 257: the row has more than 256 fields"' >"$tmp/rows"
screen_rows columns-100k-row "$gen" columns-100k-row.csv "$tmp/rows"

# ---- hostile spreadsheet cells: to the validator, = + - @ at the start of a
# name or case_ref are text (both are free text), so these rows are imported
# as given; export puts an apostrophe in front of each, and import takes it
# off again. A tab (any control character) is refused: hostile-tab.err above.
hc=$tmp/hostile
mkdir "$hc"
msg 'hostile-cells.csv: 5 rows: 5 new cases, 0 updated, 0 unchanged, 0 invalid'
run "hostile-cells (import)" 0 "$bad" -- import --db "$hc/h.db" hostile-cells.csv
"$bin" export --db "$hc/h.db" --machine >"$hc/export.csv" 2>/dev/null
cat >"$tmp/want" <<'EOF'
case_ref,name
B1,张伟
"'=HYPERLINK(""http://x.invalid/"")",'=1+2
'+B3,'+86 王芳
'-B4,'-刘洋
'@B5,'@SUM(A1:A9)
EOF
# The first two cells of each line (a quoted cell may hold commas).
if tr -d '\r' <"$hc/export.csv" | sed -E 's/^("([^"]|"")*"|[^,]*),([^,]*),.*/\1,\3/' | cmp -s - "$tmp/want"; then
	ok
else
	no "hostile-cells: the export is not neutralised as expected:"
	tr -d '\r' <"$hc/export.csv" | cut -c1-60
fi
"$bin" import --db "$hc/h2.db" "$hc/export.csv" 2>/dev/null
if "$bin" export --db "$hc/h2.db" --machine | cmp -s - "$hc/export.csv"; then ok; else
	no "hostile-cells: export -> import -> export changed the cells"; fi

# ---- a file that is not SQLite (4 KiB of random bytes): refused, left as it was
nd=$tmp/notadb
mkdir "$nd"
cp "$bad/notadb.db" "$nd/"
msg 'guantong: notadb.db is not a guantong database (not an SQLite file)'
run notadb 1 "$nd" -- import --db notadb.db "$bad/hostile-cells.csv"
if cmp -s "$nd/notadb.db" "$bad/notadb.db" && [ "$(ls "$nd")" = notadb.db ]; then ok; else
	no "notadb: the file changed or something was made beside it: $(ls "$nd")"; fi
# An SQLite file that is not guantong's: refused, left as it was.
sqlite3 "$nd/other.db" 'CREATE TABLE t (x); INSERT INTO t VALUES (1);'
dump "$nd/other.db" >"$tmp/other.dump"
msg 'guantong: other.db is an SQLite file but not a guantong database; nothing was changed'
run other-sqlite 1 "$nd" -- import --db other.db "$bad/hostile-cells.csv"
if dump "$nd/other.db" | cmp -s - "$tmp/other.dump"; then ok; else no "other-sqlite: the file changed"; fi

# ---- a read-only database. As root (CI), chmod 444 does not stop writes, so
# three ways, each where this machine allows it: an immutable file
# (chattr +i), a read-only bind mount, and the nobody user with a 0444 file.
ro=$tmp/ro-immutable
mkdir "$ro"
cp "$tmp/seed.db" "$ro/r.db"
if chattr +i "$ro/r.db" 2>/dev/null; then
	msg 'guantong import: saving the applicant: the database file is read-only; nothing was saved'
	run readonly-immutable 1 "$ro" -- import --db r.db "$bad/hostile-cells.csv"
	chattr -i "$ro/r.db"
	same_as_seed readonly-immutable "$ro/r.db"
else
	skipped "readonly-immutable: chattr +i is not supported here (file system or privileges)"
fi

mkdir "$tmp/ro-src" "$tmp/ro-mnt"
cp "$tmp/seed.db" "$tmp/ro-src/r.db"
if mount --bind "$tmp/ro-src" "$tmp/ro-mnt" 2>/dev/null; then
	mounts+=("$tmp/ro-mnt")
	if mount -o remount,ro,bind "$tmp/ro-mnt" 2>/dev/null; then
		# A WAL database on a read-only file system cannot even be read:
		# SQLite must create its -shm file beside it (see SECURITY.md).
		msg 'guantong: opening the database: unable to open database file'
		run readonly-mount 1 "$tmp/ro-mnt" -- import --db r.db "$bad/hostile-cells.csv"
		same_as_seed readonly-mount "$tmp/ro-src/r.db"
	else
		skipped "readonly-mount: cannot remount read-only"
	fi
else
	skipped "readonly-mount: mount is not permitted here"
fi

nb=$tmp/ro-nobody
mkdir "$nb"
cp "$tmp/seed.db" "$nb/r.db"
cp "$bad/hostile-cells.csv" "$nb/"
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1 && command -v runuser >/dev/null &&
	"$bin" user add nobody --role clerk --db "$nb/r.db" 2>/dev/null && chmod 755 "$tmp" "$nb" &&
	chmod 444 "$nb/r.db" "$nb/hostile-cells.csv" && runuser -u nobody -- test -x "$bin" -a -r "$nb/r.db"; then
	dump "$nb/r.db" >"$tmp/nobody.dump"
	msg 'guantong: opening the database: the database file is read-only; nothing was saved'
	(cd "$nb" && exec runuser -u nobody -- "$bin" import --db r.db hostile-cells.csv) >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 1 ] && cmp -s "$tmp/want" "$tmp/err"; then ok; else
		no "readonly-nobody: exit $rc, stderr: $(cat "$tmp/err")"; fi
	if dump "$nb/r.db" | cmp -s - "$tmp/nobody.dump"; then ok; else no "readonly-nobody: the database changed"; fi
else
	skipped "readonly-nobody: needs root, the nobody user, runuser, and a binary that nobody may run"
fi
chmod 700 "$tmp"

# ---- a full disk. A file size limit (ulimit -f; always possible): the program
# ignores SIGXFSZ, so the write fails with EFBIG, SQLite reports an I/O error
# and the transaction is rolled back (before, the program died of SIGXFSZ).
# The limit is below the size of the files (pages are 16 KiB): the database
# is read, and the import's log is cut short.
kib() { echo $(( ($(stat -c %s "$1") + 1023) / 1024 )); }
fd=$tmp/full
mkdir "$fd"
# A new database: made by an import of a header without rows (which fails).
head -n 1 "$src/fixtures/screen/sichuan.csv" >"$fd/header.csv"
"$bin" import --db "$fd/new.db" "$fd/header.csv" >/dev/null 2>&1
[ "$(cases "$fd/new.db")" = 0 ] || no "full-ulimit: the new database is not there, or not empty"
# Into an empty store the import's transaction has a rollback journal
# (issue 14: each page written once), which the limit stops first, as the
# import drops the indexes it builds after the rows.
msg 'guantong import: preparing the import: disk I/O error'
LIMIT=64 run "full-ulimit (new database)" 1 "$fd" -- import --db new.db --as-of 2024-06-30 \
	"$src/fixtures/screen/sichuan.csv"
if [ "$(cases "$fd/new.db")" = 0 ] && [ "$(sqlite3 "$fd/new.db" 'PRAGMA integrity_check')" = ok ]; then ok; else
	no "full-ulimit: the new database has cases or fails its integrity check"; fi
cp "$tmp/seed.db" "$fd/old.db"
msg 'guantong import: saving the change: disk I/O error'
LIMIT=64 run "full-ulimit (existing database)" 1 "$fd" -- import --db old.db --as-of 2024-06-30 \
	"$src/fixtures/screen/sichuan.csv"
same_as_seed full-ulimit "$fd/old.db"
[ "$(sqlite3 "$fd/old.db" 'PRAGMA integrity_check')" = ok ] && ok || no "full-ulimit: integrity check"

# A really full file system: a tmpfs with room for the existing database and
# 48 KiB more, where mounting is permitted.
fs=$tmp/tmpfs
mkdir "$fs"
room=$(( $(kib "$tmp/seed.db") + 48 ))
if mount -t tmpfs -o size=${room}k tmpfs "$fs" 2>/dev/null; then
	mounts+=("$fs")
	cp "$tmp/seed.db" "$fs/old.db"
	msg 'guantong import: saving the change: the disk is full; nothing was saved'
	run "full-tmpfs (existing database)" 1 "$fs" -- import --db old.db --as-of 2024-06-30 \
		"$src/fixtures/screen/sichuan.csv"
	same_as_seed full-tmpfs "$fs/old.db"
	# Too little room to create the database at all.
	rm -f "$fs"/*
	head -c $(( room * 1024 - 64 * 1024 )) /dev/zero >"$fs/filler"
	msg 'guantong: saving the change: the disk is full; nothing was saved'
	run "full-tmpfs (new database)" 1 "$fs" -- import --db new.db --as-of 2024-06-30 \
		"$src/fixtures/screen/sichuan.csv"
	# Whatever the room left, the answer is an error about the disk, never
	# a wrong one: a failed read while opening used to be taken for "not a
	# user of this database". From 64 KiB free to almost room for the empty
	# database, in steps of 48 KiB.
	for free in $(seq 64 48 $(( room - 96 ))); do
		rm -rf "${fs:?}"/*
		head -c $(( (room - free) * 1024 )) /dev/zero >"$fs/filler"
		(cd "$fs" && exec "$bin" import --db new.db --as-of 2024-06-30 "$src/fixtures/screen/sichuan.csv") \
			>/dev/null 2>"$tmp/err"
		rc=$?
		if [ $rc -eq 1 ] && grep -Eq '^guantong( import)?: [a-z ]+: (the disk is full; nothing was saved|disk I/O error)$' "$tmp/err"; then
			ok
		else
			no "full-tmpfs ($free KiB free): exit $rc: $(cat "$tmp/err")"
		fi
		rm -f "$fs/filler" # room again, to look
		if [ ! -s "$fs/new.db" ] || [ "$(cases "$fs/new.db")" = 0 ]; then ok; else
			no "full-tmpfs ($free KiB free): cases were written"; fi
	done
else
	skipped "full-tmpfs: mount is not permitted here (the ulimit -f cases above ran)"
fi

echo "golden bad: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
