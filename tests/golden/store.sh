#!/bin/bash
# Golden tests of the case store through the real binary: import all-or-none
# (bad rows, --skip-invalid, kill -9 in the middle), export round trips,
# formula-looking cells through LibreOffice, the XLSX export, decide and
# evaluate. Real files in a temporary directory, no mocks. With
# GT_TEST_DB=pg the same on PostgreSQL (tests/golden/lib/db.sh): each file
# is a database of a throwaway cluster, the kill -9 lands while the server
# runs the import, and the clerk's copy is a second database (backup is
# pg_dump's there; the test checks that backup says so), but for LibreOffice's
# reading of the exports (the same client code's bytes; see there).
# Usage: store.sh GUANTONG SOURCE_DIR        Prints TAP-like "ok N - ..." lines.
set -u
bin=$1 src=$2
tmp=$(mktemp -d)
bgpid=
cleanup() {
	[ -n "$bgpid" ] && kill -9 "$bgpid" 2>/dev/null
	db_cleanup
	rm -rf "$tmp"
}
trap cleanup EXIT
. "$src/tests/golden/lib/db.sh"
export LC_ALL=C.UTF-8
unset LANGUAGE GUANTONG_DB
export HOME=$tmp/home XDG_DATA_HOME=$tmp/home/.local/share
mkdir -p "$HOME"
me=$(id -un)
n=0 failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)) failed=$((failed + 1))
	echo "not ok $n - $1"
	shift
	local line
	for line in "$@"; do printf '#   %s\n' "$line"; done
}
# check NAME COMMAND...: ok when the command succeeds.
check() {
	local name=$1; shift
	if "$@"; then ok "$name"; else not_ok "$name" "failed: $*"; fi
}
has() { grep -qF -- "$2" "$1"; }          # has FILE TEXT
q() { dbq "$@"; }                        # q DB SQL
# run NAME WANT-EXIT ARGS...: the binary's exit status; output in $tmp/out, $tmp/err.
run() {
	local name=$1 want=$2; shift 2
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	if [ "$rc" -ne "$want" ]; then
		not_ok "$name" "exit $rc, expected $want" "stderr: $(head -c 400 "$tmp/err")"
		return 1
	fi
	return 0
}

for tool in sqlite3 python3 cmp; do
	if ! command -v $tool >/dev/null; then
		echo "not ok 1 - $tool is needed"; exit 1
	fi
done

# The Python side: identity numbers, CSV and XLSX reading.
cat >"$tmp/h.py" <<'PY'
import csv, io, re, sys, zipfile
import xml.etree.ElementTree as ET

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
C = "10X98765432"
HDR = ("case_ref,name,id_number,region,direction,series,skill_level,skill_date,title_level,"
       "appraisals_passed,evidence,application_date")
EV = "id_card;skill_certificate;work_record;appraisal_records"


def idnum(k):
    f17 = "110105%04d%02d%02d%03d" % (1960 + k % 40, k // 40 % 12 + 1, k // 480 % 28 + 1, k // 13440 % 1000)
    return f17 + C[sum(int(d) * w for d, w in zip(f17, W)) % 11]


def gen(n, k0, appraisals):
    """n valid rows: Chongqing technicians, identity numbers from k0."""
    out = sys.stdout
    out.write(HDR + "\n")
    for k in range(k0, k0 + n):
        out.write("G%d,张伟%d,%s,chongqing,skill_to_title,engineering,technician,2021-06-30,none,%s,%s,2024-06-30\n"
                  % (k, k % 97, idnum(k), appraisals, EV))


HOSTILE = ["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(1)", "=1+1", '=HYPERLINK("http://x.invalid/","x")',
           "-", "@"]


def hostile():
    w = csv.writer(sys.stdout, lineterminator="\r\n")
    w.writerow(HDR.split(","))
    for i, name in enumerate(HOSTILE):
        w.writerow(["H%d" % i, name, idnum(500 + i), "chongqing", "skill_to_title", "engineering",
                    "technician", "2021-06-30", "none", "3", EV, "2024-06-30"])


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def export_names(path):
    """The export holds each hostile name with one more leading apostrophe."""
    got = {r["case_ref"]: r["name"] for r in rows(path)}
    bad = []
    for i, name in enumerate(HOSTILE):
        if got.get("H%d" % i) != "'" + name:
            bad.append("H%d: %r, expected %r" % (i, got.get("H%d" % i), "'" + name))
    if bad:
        print("\n".join(bad))
    return not bad


def export_notes(path, *pairs):
    """case_ref=note pairs (note with \\t \\r \\n escapes): decision_note is the note neutralised."""
    got = {r["case_ref"]: r["decision_note"] for r in rows(path)}
    bad = []
    for p in pairs:
        ref, note = p.split("=", 1)
        note = note.encode().decode("unicode_escape")
        if got.get(ref) != "'" + note:
            bad.append("%s: %r, expected %r" % (ref, got.get(ref), "'" + note))
    if bad:
        print("\n".join(bad))
    return not bad


NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    k = 0
    for ch in letters:
        k = k * 26 + ord(ch) - 64
    return k - 1


def sheet(path):
    """[(row, col, type, text, has_formula)] of the first sheet, and its XML."""
    z = zipfile.ZipFile(path)
    names = z.namelist()
    shared = []
    if "xl/sharedStrings.xml" in names:
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(NS + "si"):
            shared.append("".join(t.text or "" for t in si.iter(NS + "t")))
    xml = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    cells = []
    for c in ET.fromstring(xml).iter(NS + "c"):
        ref, t = c.get("r"), c.get("t", "n")
        v = c.find(NS + "v")
        text = v.text if v is not None else None
        if t == "s":
            text = shared[int(text)]
        elif t == "inlineStr":
            text = "".join(x.text or "" for x in c.iter(NS + "t"))
        row = int(re.search(r"\d+", ref).group(0))
        cells.append((row, col_index(ref), t, text, c.find(NS + "f") is not None))
    return cells, xml


def lo_cells(xlsx, export_csv, *pairs):
    """LibreOffice's reading of the export: no formula anywhere, and every
    neutralised cell read as text with its apostrophe, CR and CRLF in a cell
    turned into LF (what LibreOffice does with line breaks in a quoted field)."""
    cells, _ = sheet(xlsx)
    bad = ["%s%d is a formula" % (chr(65 + c) if c < 26 else c, r) for r, c, t, x, f in cells if f]
    header = next(csv.reader(open(export_csv, newline="", encoding="utf-8")))
    grid = {(r, c): (t, x) for r, c, t, x, f in cells}
    data = rows(export_csv)
    name_col, note_col = header.index("name"), header.index("decision_note")
    checked = 0
    for i, r in enumerate(data):
        for col, value in ((name_col, r["name"]), (note_col, r["decision_note"])):
            if not value.startswith("'"):
                continue
            checked += 1
            want = value.replace("\r\n", "\n").replace("\r", "\n")
            t, x = grid.get((i + 2, col), (None, None))
            if t not in ("s", "str", "inlineStr") or x != want:
                bad.append("row %d col %d: %r %r, expected text %r" % (i + 2, col, t, x, want))
    if checked < len(HOSTILE) + 5:
        bad.append("only %d neutralised cells in the export" % checked)
    if bad:
        print("\n".join(bad))
    return not bad


def has_formula(xlsx):
    cells, _ = sheet(xlsx)
    return any(f for *_, f in cells)


def xlsx_check(xlsx, export_csv):
    """Identity numbers and dates stored as text, exactly; Chinese headers; frozen header row."""
    cells, xml = sheet(xlsx)
    bad = []
    header = [x for r, c, t, x, f in sorted(cells) if r == 1]
    if len(header) != 42 or not all(re.search("[\u4e00-\u9fff]", h or "") for h in header):
        bad.append("header: %r" % header)
    if not re.search(r'<pane [^>]*ySplit="1"[^>]*state="frozen"', xml) and \
       not re.search(r'<pane [^>]*state="frozen"[^>]*ySplit="1"', xml):
        bad.append("no frozen pane with ySplit=1")
    grid = {(r, c): (t, x) for r, c, t, x, f in cells}
    hdr = next(csv.reader(open(export_csv, newline="", encoding="utf-8")))
    want = rows(export_csv)
    if max(r for r, *_ in cells) != len(want) + 1:
        bad.append("%d rows, expected %d" % (max(r for r, *_ in cells) - 1, len(want)))
    for i, r in enumerate(want):
        for name in ("id_number", "skill_date", "title_date", "application_date", "case_ref"):
            if not r[name]:
                continue
            t, x = grid.get((i + 2, hdr.index(name)), (None, None))
            if t not in ("s", "str", "inlineStr") or x != r[name]:
                bad.append("row %d %s: %r %r, expected text %r" % (i + 2, name, t, x, r[name]))
    if bad:
        print("\n".join(bad[:20]))
    return not bad


def lo_csv_ids(lo_csv, export_csv):
    """LibreOffice's CSV of the XLSX has every identity number exact."""
    with open(lo_csv, newline="", encoding="utf-8") as f:
        got = [r[2] for r in csv.reader(f)][1:]
    want = [r["id_number"] for r in rows(export_csv)]
    if got != want:
        print("got %r\nexpected %r" % (got[:5], want[:5]))
    return got == want


def screen_agrees(export_csv, screen_csv):
    """The export's screening columns are what 'screen' says of the same rows."""
    cols = ["outcome", "target", "route", "basis", "unmet", "missing_evidence", "theory_exempt",
            "citation", "message"]
    scr = {r["case_ref"]: r for r in rows(screen_csv)}
    bad = []
    for r in rows(export_csv):
        s = scr.get(r["case_ref"])
        for c in cols:
            if s is None or s[c] != r[c]:
                bad.append("%s %s: export %r, screen %r" % (r["case_ref"], c, r[c], s and s[c]))
    if bad:
        print("\n".join(bad[:10]))
    return not bad and len(rows(export_csv)) > 0


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "gen":
        gen(int(args[0]), int(args[1]), args[2])
    elif cmd == "hostile":
        hostile()
    elif cmd == "idnum":
        print(idnum(int(args[0])))
    elif cmd == "has_formula":
        sys.exit(0 if has_formula(*args) else 1)
    else:
        sys.exit(0 if globals()[cmd](*args) else 1)
PY
py() { python3 "$tmp/h.py" "$@"; }

# ---------------------------------------------------------------- import: all or none
# demo.csv has one invalid row (line 7, a wrong check character); add another
# (line 16, a date that is not one).
cp "$src/fixtures/demo.csv" "$tmp/bad.csv"
tail -n 1 "$src/fixtures/demo.csv" | sed 's/,2023-01-01,/,2023-02-30,/; s/^[^,]*,/bad-date,/' >>"$tmp/bad.csv"
grep -q "^bad-date,.*2023-02-30" "$tmp/bad.csv" || not_ok "make the bad-date row from demo.csv"
db=$(db_new bad)
if run "import with bad rows exits 1" 1 import --db "$db" "$tmp/bad.csv"; then
	if has "$tmp/err" "line 7, identity card number: " && has "$tmp/err" "line 16, date the skill level was obtained: " &&
		has "$tmp/err" "2 rows are invalid; nothing was imported"; then
		ok "import with bad rows exits 1 and lists each as \"line N, column C: reason\""
	else
		not_ok "import with bad rows lists each problem" "stderr: $(cat "$tmp/err")"
	fi
fi
check "a failed import leaves no cases" [ "$(q "$db" 'SELECT count(*) FROM cases')" = 0 ]
check "a failed import leaves no audit of cases" \
	[ "$(q "$db" "SELECT count(*) FROM audit WHERE entity = 'case'")" = 0 ]
check "a failed import writes no reject file" [ ! -e "$tmp/bad.csv.rejects.csv" ]

# ---------------------------------------------------------------- --skip-invalid
db=$(db_new skip)
if run "import --skip-invalid exits 0" 0 import --db "$db" --skip-invalid --reject "$tmp/rej.csv" "$tmp/bad.csv"; then
	ok "import --skip-invalid exits 0"
	check "the valid rows are imported" [ "$(q "$db" 'SELECT count(*) FROM cases')" = 13 ]
	check "stderr counts them" has "$tmp/err" "15 rows: 13 new cases, 0 updated, 0 unchanged, 2 invalid"
	if [ -f "$tmp/rej.csv" ] && head -n 1 "$tmp/rej.csv" | grep -q ',application_date,reject_reason' &&
		[ "$(wc -l <"$tmp/rej.csv")" -eq 3 ] &&
		grep -q '^inv-id-check-character,.*"line 7, identity card number: ' "$tmp/rej.csv" &&
		grep -q '^bad-date,.*"line 16, date the skill level was obtained: ' "$tmp/rej.csv"; then
		ok "the reject file has the bad rows as read, with a reject_reason column"
	else
		not_ok "the reject file" "$(head -n 5 "$tmp/rej.csv" 2>&1)"
	fi
fi
mkdir -p "$tmp/dflt" && cp "$tmp/bad.csv" "$tmp/dflt/in.csv"
db=$(db_new dflt)
run "--skip-invalid without --reject" 0 import --db "$db" --skip-invalid "$tmp/dflt/in.csv" &&
	check "the default reject file is FILE.rejects.csv" [ "$(wc -l <"$tmp/dflt/in.csv.rejects.csv")" -eq 3 ]
run "--reject without --skip-invalid is bad usage" 2 import --db "$db" --reject x.csv "$tmp/bad.csv" &&
	ok "--reject without --skip-invalid is bad usage"

# ---------------------------------------------------------------- kill -9 during a large import
big=200000
on_pg && big=20000 # seconds of the server's import: enough to land in it
py gen $big 0 3 >"$tmp/big.csv"
# killed_import DB ROWS STATEMENT: starts importing big.csv into DB and
# kills it with SIGKILL when kill_wait says (below, one for each store), 60 s
# at most. Sets $landed: "mid" when the import was still running when
# killed, "done" when it had already finished.
killed_import() {
	kill_start "$@"
	"$bin" import --db "$1" "$tmp/big.csv" >/dev/null 2>"$tmp/kill.err" &
	bgpid=$!
	landed='done'
	kill_wait "$@" && kill -9 "$bgpid" 2>/dev/null && landed=mid
	wait "$bgpid" 2>/dev/null
	bgpid=
	kill_end "$@"
}
# now_ms: $ms, the time in milliseconds, without a process (the polls below are many).
now_ms() { local t=${EPOCHREALTIME/[.,]/}; ms=$((t / 1000)); }
# nap SECONDS: a pause without a process: a read with a time-out on a FIFO
# that nobody writes, held open both ways so that it neither blocks nor ends.
mkfifo "$tmp/nap" && exec {nap_fd}<>"$tmp/nap" || { echo "not ok 1 - a FIFO for the polls"; exit 1; }
nap() { read -r -t "$1" -u "$nap_fd" _ 2>/dev/null || :; }
if on_pg; then
# On PostgreSQL: as soon as the server runs STATEMENT for it (COPY: the rows
# on their way; import_run: the server writing them); then until the server
# has ended that session. Each wait is one statement that polls the server's
# view of its sessions itself (a psql every 50 ms was about 5 s of CPU);
# beside it, the import's end ends the wait.
others="SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
server_wait() { # DB CONDITION: until CONDITION holds, 60 s at most; false on time-out
	[ "$(q "$1" "DO \$\$ DECLARE t timestamptz := clock_timestamp() + interval '60 s'; BEGIN
		LOOP
			PERFORM pg_stat_clear_snapshot(); -- else one snapshot of the sessions for the whole statement
			EXIT WHEN $2;
			IF clock_timestamp() > t THEN RAISE EXCEPTION 'time-out'; END IF;
			PERFORM pg_sleep(0.02);
		END LOOP; END \$\$; SELECT 'held'" 2>&1)" = held ]
}
kill_wait() {
	server_wait "$1" "EXISTS ($others AND state = 'active' AND query LIKE '%$3%')" &
	local waiter=$! first rc
	wait -n -p first "$waiter" "$bgpid"
	rc=$?
	[ "$first" = "$waiter" ] && return $rc
	kill "$waiter" 2>/dev/null # the import ended first
	wait "$waiter" 2>/dev/null
	return 1
}
kill_start() { :; }
kill_end() { server_wait "$1" "NOT EXISTS ($others)"; }
else
# How many bytes a row takes once written: a complete import of the first
# 5000 rows (the file is checkpointed and closed, so its size is the data).
head -n 5001 "$tmp/big.csv" >"$tmp/cal.csv"
now_ms
t0=$ms
run "a calibration import" 0 import --db "$tmp/cal.db" "$tmp/cal.csv"
now_ms
ms5k=$((ms - t0))
per5k=$(stat -c %s "$tmp/cal.db")
rm -f "$tmp"/cal.*

# On SQLite: once about ROWS rows are written (its write-ahead log holds
# that many rows' worth of pages), or as soon as anything of it reaches the
# database file itself (a commit; the file grows by 1 MB), whichever comes
# first, or once it has run as long as the calibration import took for ROWS
# rows (schema 5 writes little until its page cache spills, and builds the
# indexes of an empty store at the end).
# Polled every 50 ms (the time first: no process).
kill_start() { k_base=$(stat -c %s "$1" 2>/dev/null || echo 0); }
kill_wait() {
	local limit=$(($2 * per5k / 5000)) ms_limit=$(($2 * ms5k / 5000)) size grown start
	now_ms
	start=$ms
	while kill -0 "$bgpid" 2>/dev/null; do
		now_ms
		[ $((ms - start)) -gt "$ms_limit" ] && return 0
		[ $((ms - start)) -gt 60000 ] && return 1
		size=$(stat -c %s "$1-wal" 2>/dev/null || echo 0)
		grown=$(($(stat -c %s "$1" 2>/dev/null || echo 0) - k_base))
		{ [ "$size" -gt "$limit" ] || { [ "$k_base" -gt 0 ] && [ "$grown" -gt 1000000 ]; }; } && return 0
		nap 0.05
	done
	return 1
}
kill_end() { :; }
fi
# What the database holds of its cases: the names live in applicants on
# SQLite, in cases on PostgreSQL, whose file-level check is the server's.
apps=applicants
on_pg && apps=cases
integrity_ok() { on_pg || [ "$(q "$1" 'PRAGMA integrity_check')" = ok ]; }

# Into a new file, killed after about 30000 rows.
db=$(db_new kill1)
run "create the file" 0 user --db "$db" add nobody --role clerk
killed_import "$db" 30000 COPY
check "kill -9 of an import into a new file: integrity_check ok" integrity_ok "$db"
count=$(q "$db" 'SELECT count(*) FROM cases')
if [ "$landed" = mid ] && { [ "$count" = 0 ] || [ "$count" = $big ]; }; then
	ok "kill -9 in the middle of an import: all or none ($count cases of $big)"
else
	not_ok "kill -9 of an import into a new file: all or none" "landed $landed, $count cases of $big" \
		"(done: the import finished before it could be killed: nothing was tested)"
fi
# (schema 5: no audit row per created case; the import's one row, or none)
check "... the same for its applicants, evaluations and audit rows" \
	[ "$(q "$db" "SELECT ((SELECT count(*) FROM $apps) + (SELECT count(*) FROM evaluations) + (SELECT count(*) FROM audit WHERE entity = 'case')) || ' ' || (SELECT count(*) FROM audit WHERE action = 'import')")" = "$((2 * count)) $((count > 0 ? 1 : 0))" ]
py gen 3 900000 3 >"$tmp/small.csv"
run "the file is usable after the kill" 0 import --db "$db" "$tmp/small.csv" &&
	check "the file is usable after the kill" [ "$(q "$db" 'SELECT count(*) FROM cases')" = $((count + 3)) ]

# Into a file that already holds 1000 of these cases (with 2 passed
# appraisals, so that the large import updates them first), killed early.
db=$(db_new kill2)
py gen 1000 0 2 >"$tmp/first.csv"
run "an earlier import" 0 import --db "$db" "$tmp/first.csv"
passed=appraisals_passed
on_pg && passed="fields[(SELECT pos FROM case_columns WHERE name = 'appraisals_passed')]::int"
state="SELECT count(*), sum(version), sum($passed), max(eval_id), (SELECT count(*) FROM audit), (SELECT count(*) FROM evaluations) FROM cases"
before=$(q "$db" "$state")
killed_import "$db" 10000 import_run
check "kill -9 of an import into a full file: integrity_check ok" integrity_ok "$db"
after=$(q "$db" "$state")
count=$(q "$db" 'SELECT count(*) FROM cases')
if [ "$landed" = mid ] && [ "$after" = "$before" ]; then
	ok "kill -9 in the middle: the earlier 1000 cases exactly as they were ($after)"
elif [ "$landed" = mid ] && [ "$count" = $big ] && [ "$(q "$db" 'SELECT count(*) FROM cases WHERE version = 2')" = 1000 ]; then
	ok "kill -9 came as the import committed: all of it"
else
	not_ok "kill -9 of an import into a full file: all or none" "landed $landed; before $before; after $after"
fi
run "export after the kill" 0 export --db "$db" --machine --out "$tmp/after-kill.csv" &&
	check "export after the kill has the cases" [ "$(($(wc -l <"$tmp/after-kill.csv") - 1))" = "$count" ]
rm -f "$tmp"/kill*.db* "$tmp/big.csv"

# ---------------------------------------------------------------- export round trip
db=$(db_new rt)
run "import demo.csv --skip-invalid" 0 import --db "$db" --skip-invalid --reject "$tmp/demo-rej.csv" \
	"$src/fixtures/demo.csv"
run "export CSV" 0 export --db "$db" --machine --out "$tmp/e1.csv" && ok "export CSV"
want_header='case_ref,name,id_number,region,direction,series,occupation_code,skill_level,skill_date,title_level,title_date,related,work_start,appraisals_passed,frontline,employed_in_region,self_employed,region_work_start,pilot_enterprise,honors,competitions,diploma_related,tech_school_class,integrity_flag,public_institution_worker,evidence,requested_level,application_date,outcome,target,route,basis,unmet,missing_evidence,theory_exempt,citation,message,case_id,status,decided_by,decided_at,decision_note'
check "the export's header is the contract's, CRLF" [ "$(head -n 1 "$tmp/e1.csv")" = "$want_header"$'\r' ]
check "the export has the 13 cases" [ "$(($(wc -l <"$tmp/e1.csv") - 1))" = 13 ]
"$bin" screen "$src/fixtures/demo.csv" >"$tmp/screen.csv" 2>/dev/null
check "the export's screening columns are screen's" py screen_agrees "$tmp/e1.csv" "$tmp/screen.csv"
run "export to standard output" 0 export --db "$db" --machine && check "export to standard output is the same" cmp -s "$tmp/out" "$tmp/e1.csv"
if run "import the export" 0 import --db "$db" "$tmp/e1.csv"; then
	check "import of the export: every case unchanged" has "$tmp/err" "13 rows: 0 new cases, 0 updated, 13 unchanged, 0 invalid"
fi
run "export again" 0 export --db "$db" --machine --out "$tmp/e2.csv" &&
	check "export -> import -> export is byte-identical" cmp "$tmp/e1.csv" "$tmp/e2.csv"
rt=$db rt2=$(db_new rt2)
run "import the export into a new file" 0 import --db "$rt2" "$tmp/e1.csv" &&
	run "export the new file" 0 export --db "$rt2" --machine --out "$tmp/e3.csv" &&
	check "... and into a new file: byte-identical" cmp "$tmp/e1.csv" "$tmp/e3.csv"
check "no decision was imported" [ "$(q "$rt2" 'SELECT count(*) FROM decisions')" = 0 ]

# ---------------------------------------------------------------- hostile cells
db=$(db_new hostile) hostile2=$(db_new hostile2)
py hostile >"$tmp/hostile.csv"
nh=$(($(wc -l <"$tmp/hostile.csv") - 1))
run "import names that look like formulas" 0 import --db "$db" "$tmp/hostile.csv" &&
	check "names that look like formulas are valid names" [ "$(q "$db" 'SELECT count(*) FROM cases')" = "$nh" ]
check "... stored as written" [ "$(q "$db" "SELECT name FROM $apps WHERE name LIKE '=cmd%'")" = "=cmd|' /C calc'!A0" ]
printf '%s\r\n%s\r\n' "$(head -n 1 "$tmp/hostile.csv" | tr -d '\r')" \
	"T1,$(printf 'a\tb'),$(py idnum 600),chongqing,skill_to_title,engineering,technician,2021-06-30,none,3,id_card,2024-06-30" \
	>"$tmp/tab.csv"
run "a name with a tab is refused" 1 import --db "$db" "$tmp/tab.csv" &&
	check "a name with a tab is refused" has "$tmp/err" "line 2, applicant name: "
run "export hostile names" 0 export --db "$db" --machine --out "$tmp/h1.csv" &&
	check "each formula-looking name gets one leading apostrophe" py export_names "$tmp/h1.csv"
names="SELECT name FROM $apps ORDER BY id"
run "import the hostile export into a new file" 0 import --db "$hostile2" "$tmp/h1.csv" &&
	check "import restores the original names" [ "$(q "$hostile2" "$names")" = "$(q "$db" "$names")" ]
run "export the new file" 0 export --db "$hostile2" --machine --out "$tmp/h2.csv" &&
	check "hostile names: export -> import -> export is byte-identical" cmp "$tmp/h1.csv" "$tmp/h2.csv"
# Decisions whose notes start with a tab, CR, LF, = and @.
note1=$'\tcalc' note2=$'\rnote' note3=$'\nline' note4='=1+1' note5='@SUM(A1)'
run "decide with hostile notes" 0 decide --db "$db" H0 --approve --note "$note1" &&
	run "decide with hostile notes" 0 decide --db "$db" H1 --reject --note "$note2" &&
	run "decide with hostile notes" 0 decide --db "$db" H2 --return --note "$note3" &&
	run "decide with hostile notes" 0 decide --db "$db" H3 --approve --note "$note4" &&
	run "decide with hostile notes" 0 decide --db "$db" H4 --reject --note "$note5" &&
	ok "decide with notes that start with tab, CR, LF, = and @"
run "export decided cases" 0 export --db "$db" --machine --out "$tmp/h3.csv" &&
	check "each formula-looking note gets one leading apostrophe" py export_notes "$tmp/h3.csv" \
		'H0=\tcalc' 'H1=\rnote' 'H2=\nline' 'H3==1+1' 'H4=@SUM(A1)'

# LibreOffice reads the export as a clerk's spreadsheet would. Its CSV import
# keeps a leading apostrophe as a character of the text (the cell shows
# '=cmd|...; it is not Calc's hidden "text" marker), turns CR and CRLF inside a
# quoted field into LF, and makes a formula of any cell that starts with =
# (the control file shows it does here). The conversions are queued here and
# below (the XLSX), and made in one LibreOffice start (tests/golden/lib/lo.sh)
# after the XLSX section.
# Not on PostgreSQL: what LibreOffice reads is the export's bytes, written by
# the same client code from the same rows as on SQLite, and those bytes are
# checked on both stores (export_names, export_notes, xlsx_check): a start
# of LibreOffice there (two, about 13 s of CPU) tested nothing of the store.
. "$src/tests/golden/lib/lo.sh"
lo=
if on_pg; then
	lo_skip="on PostgreSQL: the same bytes as on SQLite, checked above; LibreOffice reads them under golden/store"
elif lo_init "$tmp/lo"; then
	lo=$tmp/lo
	mkdir -p "$lo/in" "$lo/out"
	cp "$tmp/h3.csv" "$lo/in/export.csv"
	printf 'case_ref,name\r\nC1,=1+1\r\n' >"$lo/in/control.csv"
	for f in export control; do
		lo_add "$lo/in/$f.csv" CSV:44,34,76,1 "$lo/out/$f.xlsx" "Calc MS Excel 2007 XML"
	done
else
	lo_skip="no libreoffice"
fi

# ---------------------------------------------------------------- XLSX export
db=$rt
if run "export --format xlsx" 0 export --db "$db" --machine --format xlsx --out "$tmp/e.xlsx"; then
	check "XLSX: identity numbers and dates are exact text, headers Chinese, header row frozen" \
		py xlsx_check "$tmp/e.xlsx" "$tmp/e1.csv"
	if [ -n "$lo" ]; then
		cp "$tmp/e.xlsx" "$lo/in/e.xlsx"
		lo_add "$lo/in/e.xlsx" "" "$lo/out/e.csv" "Text - txt - csv (StarCalc):44,34,76,1"
	fi
fi
if [ -z "$lo" ]; then
	ok "LibreOffice reads no formula from the export # SKIP $lo_skip"
	ok "XLSX read back by LibreOffice # SKIP $lo_skip"
elif lo_run && [ -f "$lo/out/export.xlsx" ] && [ -f "$lo/out/control.xlsx" ] && [ -f "$lo/out/e.csv" ]; then
	check "LibreOffice makes a formula of an unprotected =1+1 (the control)" py has_formula "$lo/out/control.xlsx"
	check "LibreOffice reads no formula from the export; each neutralised cell is its text with the apostrophe" \
		py lo_cells "$lo/out/export.xlsx" "$tmp/h3.csv"
	check "XLSX read back by LibreOffice: every identity number exact" py lo_csv_ids "$lo/out/e.csv" "$tmp/e1.csv"
else
	not_ok "LibreOffice converts the export and the XLSX" "$(lo_log)"
fi
run "XLSX needs --out" 2 export --db "$db" --format xlsx && ok "XLSX to standard output is bad usage"

# ---------------------------------------------------------------- decide
# The file's creator (this OS user) is its admin. Another admin first, then a
# copy of the file in which this user is a clerk, and this one as a reviewer.
# (On PostgreSQL backup is the server's pg_dump: the copy is a second
# database with the same cases and users, made before this user's role
# changes, which hold for the whole cluster there.)
db=$rt
run "user add another admin" 0 user --db "$db" add nobody --role admin
if on_pg; then
	clerk=$(db_new clerk)
	run "the clerk's database" 0 import --db "$clerk" --skip-invalid --reject "$tmp/clerk-rej.csv" \
		"$src/fixtures/demo.csv" && run "its other admin" 0 user --db "$clerk" add nobody --role admin
	run "backup on PostgreSQL" 1 backup --db "$db" "$tmp/clerk.db" &&
		check "backup on PostgreSQL is refused, naming pg_dump, and writes nothing" \
			eval 'has "$tmp/err" "pg_dump" && [ ! -e "$tmp/clerk.db" ]'
else
	clerk=$tmp/clerk.db
	run "backup" 0 backup --db "$db" "$clerk"
	run "backup refuses an existing file" 1 backup --db "$db" "$clerk" &&
		check "backup refuses an existing file" has "$tmp/err" "exists"
fi
run "this user becomes a reviewer" 0 user --db "$db" add "$me" --role reviewer
ref1=sc-s2t-pg-class1-rank3-pair ref2=js-t2s-principal-by-full-senior-manual ref3=gz-comp-s2t-region-1y-day-of
if run "reviewer approves" 0 decide --db "$db" "$ref1" --approve --note "符合条件"; then
	check "reviewer approves: exit 0, the new status" has "$tmp/out" "approved (version 2)"
fi
check "the decision is recorded" [ "$(q "$db" "SELECT action || ',' || decided_by || ',' || note FROM decisions")" = "approve,$me,符合条件" ]
run "reviewer approves again" 1 decide --db "$db" "$ref1" --approve &&
	check "approving an approved case is refused" has "$tmp/err" "it cannot be given"
run "reject without a note" 1 decide --db "$db" "$ref2" --reject &&
	check "reject needs a note" has "$tmp/err" "a note is required"
run "return for evidence" 0 decide --db "$db" "$ref2" --return --note "缺工作年限证明" && ok "return for evidence"
if run "a decision on a stale version" 3 decide --db "$db" "$ref2" --approve --version 1; then
	if has "$tmp/err" "was changed by $me at " && has "$tmp/err" "it is now version 2, you had version 1" &&
		has "$tmp/err" "nothing was saved"; then
		ok "a decision on a stale version exits 3 with the conflict message"
	else
		not_ok "the conflict message" "$(cat "$tmp/err")"
	fi
fi
check "... and the case is as it was" [ "$(q "$db" "SELECT status || ' ' || version FROM cases WHERE case_ref = '$ref2'")" = "returned 2" ]
run "a decision on the current version" 0 decide --db "$db" "$ref3" --reject --note "不符合" --version 1 &&
	check "a decision on the current version goes through" has "$tmp/out" "rejected (version 2)"
run "a reviewer cannot manage users" 1 user --db "$db" add someone --role clerk &&
	check "a reviewer cannot manage users" has "$tmp/err" "only an administrator"

db=$clerk
if on_pg; then # the other admin makes this user a clerk (this user is a reviewer in every database by now)
	as_nobody() { runuser -u nobody -- env PGHOST="$PGHOST" LC_ALL=C.UTF-8 HOME=/nonexistent "$pgwork/guantong" "$@"; }
	as_nobody user --db "$db" add "$me" --role clerk >"$tmp/out" 2>"$tmp/err" && ok "this user becomes a clerk" ||
		not_ok "this user becomes a clerk" "$(cat "$tmp/err")"
else
	run "this user becomes a clerk" 0 user --db "$db" add "$me" --role clerk
fi
if run "a clerk's approve is refused" 1 decide --db "$db" "$ref1" --approve --note x; then
	if has "$tmp/err" "only a reviewer may approve a case; you ($me) are a clerk"; then
		ok "a clerk's approve is refused"
	else
		not_ok "a clerk's approve is refused: the message" "$(cat "$tmp/err")"
	fi
fi
run "a clerk's reject is refused" 1 decide --db "$db" "$ref1" --reject --note x && ok "a clerk's reject is refused"
check "... nothing recorded" [ "$(q "$db" 'SELECT count(*) FROM decisions')" = 0 ]
run "a clerk may return a case" 0 decide --db "$db" "$ref1" --return --note "请补充材料" && ok "a clerk may return a case"
run "decide on no case" 1 decide --db "$db" no-such-case --approve && check "decide on no case" has "$tmp/err" 'no case "no-such-case"'

# ---------------------------------------------------------------- evaluate
db=$rt
if run "evaluate CASE" 0 evaluate --db "$db" "$ref1"; then
	o=$tmp/out
	if has "$o" "Case 1: 魏秋菊 (510104198110222956), approved, version 2" && has "$o" "Stored evaluation" &&
		has "$o" "[SC-S2T-1]" && has "$o" "[x] needs skill level senior worker or above, holds senior worker" &&
		has "$o" "[ ] needs 2 years since 2024-12-01" && has "$o" "Evidence:" &&
		grep -q "^  award or honour certificate  *verified" "$o" && has "$o" "Decision: approve by $me" &&
		has "$o" "History:" && grep -q "case.import" "$o" && grep -q "case.approve" "$o" &&
		! grep -q " by  at " "$o"; then
		ok "evaluate CASE prints the pathways, the evidence, the decision and the history"
	else
		not_ok "evaluate CASE output" "$(head -c 1500 "$o")"
	fi
fi
run "evaluate by identity number" 0 evaluate --db "$db" 510104198110222956 &&
	check "evaluate by identity number" has "$tmp/out" "Case 1: 魏秋菊"
run "evaluate no case" 1 evaluate --db "$db" nobody-here && check "evaluate no case" has "$tmp/err" 'no case "nobody-here"'

echo "1..$n"
echo "golden store: $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
