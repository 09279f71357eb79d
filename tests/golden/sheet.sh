#!/bin/bash
# The exports for people, opened by LibreOffice (issue 17, items 9 and 10):
# the CSV (byte-order mark, identity numbers grouped 6-8-4) opened and saved
# again keeps every identity number, those ending in X included, and every
# Chinese name, and import reads the saved file back to the same numbers;
# the spec form (--machine) through the same path loses them (the control);
# the XLSX holds Chinese values and local times; its printed page (PDF) shows
# every identity number whole. Skipped without soffice.
# Usage: sheet.sh GUANTONG SOURCE_DIR
set -u
bin=$(realpath "$1") src=$(realpath "$2")
fail=0 pass=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset LANGUAGE
export LC_ALL=zh_CN.UTF-8 TZ=Asia/Shanghai
ok() { pass=$((pass + 1)); }
no() { echo "FAIL $*"; fail=$((fail + 1)); }
check() { local name=$1; shift; if "$@"; then ok; else no "$name"; fi; }

db=$tmp/s.db
"$bin" import --db "$db" "$src/fixtures/sheet/cases.csv" 2>/dev/null || no "import of fixtures/sheet/cases.csv"
"$bin" decide --db "$db" 1 --return --note "缺少工作年限证明" >/dev/null 2>&1
"$bin" export --db "$db" --machine --out "$tmp/machine.csv" 2>/dev/null
"$bin" export --db "$db" --out "$tmp/people.csv" 2>/dev/null
"$bin" export --db "$db" --out "$tmp/people.xlsx" 2>/dev/null
"$bin" export --db "$db" --machine --out "$tmp/codes.xlsx" 2>/dev/null

# The CSV for people without LibreOffice: a BOM, the numbers grouped, and
# import gives back exactly the stored numbers.
check "people's CSV begins with a UTF-8 BOM" [ "$(head -c 3 "$tmp/people.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ]
check "machine CSV has no BOM" [ "$(head -c 8 "$tmp/machine.csv")" = case_ref ]
grep -q ',方振华,500103 19690715 018X,' "$tmp/people.csv" && ok || no "people's CSV: 方振华's number is not grouped"
grep -q ',方振华,50010319690715018X,' "$tmp/machine.csv" && ok || no "machine CSV: 方振华's number is not spec-exact"
"$bin" import --db "$tmp/back.db" "$tmp/people.csv" 2>/dev/null
"$bin" export --db "$tmp/back.db" --machine | cut -d, -f1-3 >"$tmp/back-ids"
cut -d, -f1-3 "$tmp/machine.csv" >"$tmp/want-ids"
check "import of the people's CSV gives back every number" cmp -s "$tmp/want-ids" "$tmp/back-ids"

. "$src/tests/golden/lib/lo.sh"
lo=$tmp/lo
if ! command -v python3 >/dev/null || ! lo_init "$lo"; then
	echo "sheet: SKIP no soffice or python3 ($pass passed)"
	exit 0
fi
mkdir -p "$lo/saved" "$lo/back" "$lo/pdf"
cp "$tmp/people.csv" "$lo/people.csv"
cp "$tmp/machine.csv" "$lo/machine.csv"
# Every conversion below in one LibreOffice start (tests/golden/lib/lo.sh;
# four starts were about 17 s of CPU more), in this order.
# Opened as a spreadsheet opens them and saved as a workbook: first with
# LibreOffice's own defaults for a CSV given on the command line (which are
# Windows-1252, comma, double quote: the names cannot survive that, the
# numbers must), then as its import dialog offers a file with a UTF-8 BOM
# (UTF-8, comma, double quote, every column "Standard", no special numbers).
for f in people machine; do
	lo_add "$lo/$f.csv" "" "$lo/saved/default-$f.xlsx" "Calc MS Excel 2007 XML"
	lo_add "$lo/$f.csv" "Text - txt - csv (StarCalc):44,34,76,1" "$lo/saved/utf8-$f.xlsx" "Calc MS Excel 2007 XML"
done
# ... and saved again as CSV (UTF-8, comma, double quote), as a clerk saves
# it; with them, our workbook for people.
cp "$tmp/people.xlsx" "$lo/saved/ours-people.xlsx"
for f in default-people default-machine utf8-people utf8-machine ours-people; do
	lo_add "$lo/saved/$f.xlsx" "" "$lo/back/$f.csv" "Text - txt - csv (StarCalc):44,34,76,1"
done
# A PDF of our workbook's page.
lo_add "$tmp/people.xlsx" "" "$lo/pdf/people.pdf" calc_pdf_Export
lo_run || no "LibreOffice's conversions: $(lo_log)"

# ids FILE: case_ref, name and identity number of each row, by header.
ids() {
	python3 - "$1" <<'PY'
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", errors="replace", newline="") as f:
    r = csv.reader(f)
    h = next(r)
    if h and h[0].startswith("\u00ef\u00bb\u00bf"):
        h[0] = h[0][3:]  # the BOM read as Windows-1252
    i = [h.index(c) for c in ("case_ref", "name", "id_number")] if "case_ref" in h else None
    for row in r:
        if i:
            print("\t".join(row[k] for k in i))
PY
}
ids "$tmp/machine.csv" >"$tmp/want"
cut -f1,3 "$tmp/want" >"$tmp/want-nums"
differs() { ! cmp -s "$1" "$2"; }
for d in default utf8; do
	f=$lo/back/$d-people.csv
	if [ ! -s "$f" ]; then no "$d: LibreOffice wrote no $f"; continue; fi
	# Every number is in the saved file whole, still grouped (the spaces
	# are all that differs from the stored number).
	ids "$f" | cut -f1,3 | tr -d ' ' >"$tmp/saved-nums"
	check "$d: every identity number (X included) whole in the saved CSV" cmp -s "$tmp/want-nums" "$tmp/saved-nums"
	# The control: the spec form loses the numbers that end in a digit.
	ids "$lo/back/$d-machine.csv" | cut -f1,3 >"$tmp/ctl"
	check "$d: control: the machine form loses numbers in a spreadsheet" differs "$tmp/want-nums" "$tmp/ctl"
	grep -q 'E+017\|E+17' "$tmp/ctl" && ok || no "$d: control: no number in E+17 notation: $(head -3 "$tmp/ctl")"
done
# Read as UTF-8 (as the import dialog offers a file with a BOM), the saved
# file imports, and gives back every number and every name. (Under
# LibreOffice's command-line default, Windows-1252, the BOM and the names
# are mojibake: such a file is not UTF-8 and cannot be a case CSV.)
f=$lo/back/utf8-people.csv
rm -f "$tmp/re.db"
if [ -s "$f" ] && "$bin" import --db "$tmp/re.db" --as-of 2024-03-01 "$f" >/dev/null 2>"$tmp/err"; then
	"$bin" export --db "$tmp/re.db" --machine --out "$tmp/re.csv" --force 2>/dev/null
	ids "$tmp/re.csv" >"$tmp/got"
	check "utf8: every identity number and every Chinese name back through import" cmp -s "$tmp/want" "$tmp/got"
	ids "$f" | cut -f2 >"$tmp/saved-names"
	check "utf8: every Chinese name intact in the saved CSV" cmp -s <(cut -f2 "$tmp/want") "$tmp/saved-names"
else
	no "utf8: the saved people's CSV does not import: $(head -c 300 "$tmp/err")"
fi

# The workbook for people: Chinese values and headers, local times, whole numbers.
x=$lo/back/ours-people.csv
if [ -s "$x" ]; then
	python3 - "$x" "$tmp/want" <<'PY' >"$tmp/xlsx-check" 2>&1 && ok || { no "XLSX values: $(cat "$tmp/xlsx-check")"; }
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
h = rows[0]
want = [l.rstrip("\n").split("\t") for l in open(sys.argv[2], encoding="utf-8")]
col = {name: h.index(name) for name in ("姓名", "身份证号码", "地区", "方向", "技能等级", "结果", "状态", "决定时间")}
got = {(r[col["姓名"]], r[col["身份证号码"]]) for r in rows[1:]}
for ref, name, num in want:
    assert (name, num) in got, (name, num, sorted(got))
first = rows[1]
assert first[col["地区"]] == "重庆", first[col["地区"]]
assert first[col["方向"]] == "高技能人才参加职称评审", first[col["方向"]]
assert first[col["技能等级"]] == "高级工", first[col["技能等级"]]
assert first[col["状态"]] == "已退回", first[col["状态"]]
assert first[col["结果"]] == "条件符合，材料待补", first[col["结果"]]
t = first[col["决定时间"]]
assert len(t) == 16 and t[4] == "-" and t[10] == " " and "+" not in t, t
for r in rows[1:]:
    for c in r:
        assert c not in ("chongqing", "skill_to_title", "senior", "needs_evidence", "returned"), c
PY
else
	no "LibreOffice did not convert the people's XLSX"
fi
# The spec form of the workbook keeps the codes.
python3 - "$tmp/codes.xlsx" <<'PY' && ok || no "XLSX --machine: no codes"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
# constant_memory mode writes inline strings into the sheet itself.
s = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/") or n == "xl/sharedStrings.xml")
assert "chongqing" in s and "skill_to_title" in s and "needs_evidence" in s
PY
# The print setup: A4 (9), landscape, fit to one page wide, header row repeated.
python3 - "$tmp/people.xlsx" <<'PY' && ok || no "XLSX print setup"
import sys, zipfile, re
z = zipfile.ZipFile(sys.argv[1])
ws = z.read("xl/worksheets/sheet1.xml").decode()
wb = z.read("xl/workbook.xml").decode()
ps = re.search(r'<pageSetup[^>]*>', ws).group(0)
assert 'paperSize="9"' in ps and 'orientation="landscape"' in ps and 'fitToHeight="0"' in ps, ps
assert 'fitToPage="1"' in ws
assert "_xlnm.Print_Titles" in wb and "$1:$1" in wb, wb
PY
# The printed page: every identity number whole (pdftotext), and a picture
# to look at (pdftoppm) kept when GT_KEEP_PDF names a directory.
pdf=$lo/pdf/people.pdf
if [ -s "$pdf" ] && command -v pdftotext >/dev/null; then
	pdftotext -layout "$pdf" "$tmp/page.txt"
	while IFS=$'\t' read -r ref name num; do
		grep -q "$num" "$tmp/page.txt" && ok || no "PDF: $num ($name) is not printed whole"
	done <"$tmp/want"
	if [ -n "${GT_KEEP_PDF:-}" ] && command -v pdftoppm >/dev/null; then
		mkdir -p "$GT_KEEP_PDF" && cp "$pdf" "$GT_KEEP_PDF/" && pdftoppm -png -r 120 "$pdf" "$GT_KEEP_PDF/page"
	fi
else
	no "no PDF of the XLSX, or no pdftotext"
fi

echo "sheet: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
