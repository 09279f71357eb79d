#!/bin/bash
# Formula neutralisation (issue 13, item 6): a cell holding ';' or a tab is
# quoted, so that a spreadsheet using ';' as its separator (LibreOffice and
# Excel in many locales) cannot split "x;=1+1" into a formula cell; a cell of
# 64 KiB or more is neutralised like any other. Checked through LibreOffice
# with ';' as separator, on the export and on the reject file, beside a
# control file that does make a formula. Skips the LibreOffice part cleanly
# when soffice is not installed.
# Usage: formula.sh GUANTONG SOURCE_DIR        Prints TAP-like "ok N - ..." lines.
set -u
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8
unset LANGUAGE GUANTONG_DB
export HOME=$tmp/home XDG_DATA_HOME=$tmp/home/.local/share
mkdir -p "$HOME"
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)) failed=$((failed + 1))
	echo "not ok $n - $1"
	shift
	local line
	for line in "$@"; do printf '#   %s\n' "$line"; done
}

hdr=case_ref,name,id_number,region,direction,series,skill_level,skill_date,title_level
big="=$(head -c 71679 /dev/zero | tr '\0' 1)"          # 70 KiB
edge="=$(head -c 65535 /dev/zero | tr '\0' 2)"         # exactly 64 KiB: a valid field
{
	echo "$hdr"
	echo "f1,x;=1+1,11010519491231002X,chongqing,skill_to_title,engineering,senior,2015-01-01,none"
	# Invalid rows (a wrong check character, a name too long), for the reject file.
	echo "f2,x;=2+2,110105194912310021,chongqing,skill_to_title,engineering,senior,2015-01-01,none"
	echo "f3,$big,11010519491231002X,chongqing,skill_to_title,engineering,senior,2015-01-01,none"
	echo "f4,$edge,11010519491231002X,chongqing,skill_to_title,engineering,senior,2015-01-01,none"
} >"$tmp/in.csv"
"$bin" import --db "$tmp/f.db" --skip-invalid --reject "$tmp/rej.csv" "$tmp/in.csv" >/dev/null 2>"$tmp/err"
"$bin" export --db "$tmp/f.db" --machine --out "$tmp/exp.csv" >/dev/null 2>>"$tmp/err"
if [ -s "$tmp/rej.csv" ] && [ -s "$tmp/exp.csv" ]; then
	ok "import --skip-invalid and export wrote their files"
else
	not_ok "import --skip-invalid and export wrote their files" "$(cat "$tmp/err")"
fi
grep -q "^f1,\"x;'=1+1\"," "$tmp/exp.csv" && ok "export quotes a cell holding ';' and neutralises the part after it" ||
	not_ok "export quotes a cell holding ';' and neutralises the part after it" "$(grep '^f1' "$tmp/exp.csv" | head -c 200)"
grep -q "^f2,\"x;'=2+2\"," "$tmp/rej.csv" && ok "the reject file quotes a cell holding ';' and neutralises the part after it" ||
	not_ok "the reject file quotes a cell holding ';' and neutralises the part after it" "$(grep '^f2' "$tmp/rej.csv" | head -c 200)"
grep -q "^f3,'=111" "$tmp/rej.csv" && ok "the reject file neutralises a 70 KiB formula cell" ||
	not_ok "the reject file neutralises a 70 KiB formula cell" "$(grep '^f3' "$tmp/rej.csv" | head -c 200)"
grep -q "^f4,'=222" "$tmp/rej.csv" && ok "the reject file neutralises a formula cell of exactly 64 KiB" ||
	not_ok "the reject file neutralises a formula cell of exactly 64 KiB" "$(grep '^f4' "$tmp/rej.csv" | head -c 200)"
# Read back: import takes the apostrophes off again.
"$bin" import --db "$tmp/back.db" "$tmp/exp.csv" >/dev/null 2>&1
got=$(sqlite3 -batch "$tmp/back.db" "SELECT name FROM applicants" 2>/dev/null)
[ "$got" = "x;=1+1" ] && ok "import reads the export's x;'=1+1 back as x;=1+1" ||
	not_ok "import reads the export back exactly" "name: $got"

soffice=$(command -v soffice || command -v libreoffice || true)
if [ -z "$soffice" ] || ! command -v python3 >/dev/null; then
	ok "LibreOffice with ';' as separator reads no formula # SKIP no soffice or python3"
	echo "1..$n"; echo "golden formula: $((n - failed)) passed, $failed failed"; [ $failed -eq 0 ]; exit
fi
lo=$tmp/lo
mkdir -p "$lo/in" "$lo/out"
cp "$tmp/exp.csv" "$lo/in/export.csv"
cp "$tmp/rej.csv" "$lo/in/reject.csv"
# The control: the same cells unquoted, as the writer wrote them before.
printf 'case_ref,name\r\nC1,x;=1+1\r\nC2,%s\r\n' "$big" >"$lo/in/control.csv"
# CSV:59,34,76,1 = separator ';', text delimiter '"', UTF-8, from line 1.
if ! timeout 180 "$soffice" -env:UserInstallation="file://$lo/profile" --headless --norestore \
	--infilter="CSV:59,34,76,1" --convert-to xlsx --outdir "$lo/out" \
	"$lo/in/export.csv" "$lo/in/reject.csv" "$lo/in/control.csv" >"$lo/log" 2>&1 ||
	[ ! -f "$lo/out/control.xlsx" ]; then
	not_ok "LibreOffice converts the files" "$(cat "$lo/log")"
	echo "1..$n"; echo "golden formula: $((n - failed)) passed, $failed failed"; exit 1
fi
cat >"$tmp/f.py" <<'PY'
import re, sys, zipfile
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
import xml.etree.ElementTree as ET
def formulas(path):
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    return [c.get("r") for c in ET.fromstring(xml).iter(NS + "c") if c.find(NS + "f") is not None]
path, want = sys.argv[1], sys.argv[2]
f = formulas(path)
if want == "none" and f:
    print("formula cells: %s" % f[:10]); sys.exit(1)
if want == "some" and not f:
    print("no formula cell"); sys.exit(1)
PY
check_lo() { # check_lo NAME FILE none|some
	local out
	if out=$(python3 "$tmp/f.py" "$2" "$3" 2>&1); then ok "$1"; else not_ok "$1" "$out"; fi
}
check_lo "the control: LibreOffice with ';' as separator makes formulas of unquoted x;=1+1 and a 70 KiB =..." \
	"$lo/out/control.xlsx" some
check_lo "LibreOffice with ';' as separator reads no formula from the export" "$lo/out/export.xlsx" none
check_lo "LibreOffice with ';' as separator reads no formula from the reject file" "$lo/out/reject.xlsx" none

echo "1..$n"
echo "golden formula: $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
