#!/bin/bash
# Golden tests of what a person reads under zh_CN (issue 12):
#  (a) the route tables of `screen --explain` (every fixture) and of
#      `evaluate` (cases imported from a fixture) line up: in every row the
#      outcome, level, route and rule start at the same display column
#      (a CJK character is two columns), no row is wider than 80 columns, and
#      no level is shown as '?' (a clause that fixes none says who sets it);
#      evaluate's evidence list lines up the same way;
#  (b) no sentence contains a spec code: the message column of every fixture's
#      rows (of an invalid row, outside the caller's text it quotes “…”),
#      the column it names included, and every indented line of the explanations are scanned for
#      every code of the code tables (core/gt_codes.c), the column names
#      (core/gt_case.c) and, when ../shared is there, the spec's codes.
# Display widths come from python3's unicodedata.east_asian_width.
# Usage: zh_text.sh GUANTONG SOURCE_DIR
set -u
bin=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LANGUAGE=zh_CN LC_ALL=C.UTF-8 GUANTONG_DB="$tmp/cases.db"

for f in "$src"/fixtures/screen/*.csv; do
	case $f in *.intent.csv|*.expected.csv|*.expected.*.csv) continue ;; esac
	name=$(basename "$f" .csv)
	"$bin" screen --as-of 2024-06-30 --explain "$f" >"$tmp/$name.explain" 2>/dev/null || {
		echo "FAIL: screen --explain $name"; exit 1; }
	"$bin" screen --as-of 2024-06-30 "$f" >"$tmp/$name.screen" 2>/dev/null || {
		echo "FAIL: screen $name"; exit 1; }
done
# evaluate: the cases of one fixture, imported into a fresh store.
"$bin" import --db "$tmp/cases.db" --as-of 2024-06-30 --skip-invalid "$src/fixtures/screen/sichuan.csv" \
	>/dev/null 2>"$tmp/import.err" || { echo "FAIL: import: $(cat "$tmp/import.err")"; exit 1; }
n=0
for ref in $(python3 -c 'import csv,sys; [print(r["case_ref"]) for r in list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))[:40]]' \
	"$src/fixtures/screen/sichuan.csv"); do
	"$bin" evaluate --db "$tmp/cases.db" "$ref" >>"$tmp/all.evaluate" 2>/dev/null && n=$((n + 1))
done
[ "$n" -ge 20 ] || { echo "FAIL: evaluate ran on only $n cases"; exit 1; }

python3 - "$tmp" "$src" <<'PY'
import csv, glob, os, re, sys, unicodedata
tmp, src = sys.argv[1], sys.argv[2]
fails = []

def width(s):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else
               0 if unicodedata.combining(ch) else 1 for ch in s)

def starts(line):
    """Display columns at which the fields of a table row begin (fields are
    separated by two or more spaces)."""
    cols, col, i = [], 0, 0
    m = re.match(r"  [* ] ", line)
    col = width(line[:m.end()])
    rest = line[m.end():]
    for part in re.finditer(r"\S(?:.*?)(?=\s{2,}|$)", rest):
        cols.append(col + width(rest[:part.start()]))
    return cols

route_row = re.compile(r"^  [* ] \S.*\[[A-Z0-9-]+\]$")

def check_table(what, text):
    rows = [l for l in text.splitlines() if route_row.match(l)]
    if len(rows) < 5:
        fails.append(f"{what}: only {len(rows)} route rows")
        return 0
    want = starts(rows[0])
    if len(want) != 4:
        fails.append(f"{what}: a route row has {len(want)} columns, not 4: {rows[0]!r}")
    for r in rows:
        if width(r) > 80:
            fails.append(f"{what}: route row wider than 80 columns ({width(r)}): {r!r}")
        if starts(r) != want:
            fails.append(f"{what}: columns start at {starts(r)}, not {want}: {r!r}")
        if re.search(r"\s\?\s", r):
            fails.append(f"{what}: a level shown as '?': {r!r}")
    return len(rows)

nrows = 0
explains = sorted(glob.glob(os.path.join(tmp, "*.explain")))
for p in explains:
    nrows += check_table(os.path.basename(p), open(p, encoding="utf-8").read())
ev = open(os.path.join(tmp, "all.evaluate"), encoding="utf-8").read()
nrows += check_table("evaluate", ev)
# evaluate's evidence list: the state starts at the same column on every row.
evid, cols = False, set()
for line in ev.splitlines():
    if line in ("材料：", "Evidence:"):
        evid = True
        continue
    if evid and line.startswith("  ") and line.strip():
        m = re.match(r"  (.*?\S)  +(\S)", line)
        if m:
            cols.add(width(line[:m.start(2)]))
    elif evid:
        evid = False
if len(cols) != 1:
    fails.append(f"evaluate: evidence states start at columns {sorted(cols)}")

# (b) the codes a sentence must not contain.
codes = set()
codes_c = open(os.path.join(src, "core/gt_codes.c"), encoding="utf-8").read()
codes |= set(re.findall(r'^\t\{ "([a-z0-9_]+)",', codes_c, re.M))
case_c = open(os.path.join(src, "core/gt_case.c"), encoding="utf-8").read()
m = re.search(r"gt_column_names\[GT_COL_COUNT\] = \{(.*?)\};", case_c, re.S)
codes |= set(re.findall(r'"([a-z_]+)"', m.group(1)))
spec = os.path.join(src, "..", "shared", "spec", "case-csv.md")
if os.path.exists(spec):
    codes |= {c for c in re.findall(r"`([a-z][a-z0-9_]*)`", open(spec, encoding="utf-8").read()) if len(c) > 1}
codes.discard("")
pattern = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(sorted(map(re.escape, codes), key=len, reverse=True)) + r")(?![A-Za-z0-9_])")

def scan(what, text):
    for hit in pattern.finditer(text):
        fails.append(f"{what}: spec code {hit.group(1)!r} in {text!r}")

nmsg = 0
for p in sorted(glob.glob(os.path.join(tmp, "*.screen"))):
    with open(p, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            msg = row["message"]
            if row["outcome"] == "invalid":
                # What the row says is wrong: the caller's own text is echoed
                # between “ and ”; the rest is the program's sentence.
                msg = re.sub(r"“[^”]*”", "“”", msg)
            scan(os.path.basename(p) + " " + row["case_ref"], msg)
            nmsg += 1
nlines = 0
for p in explains + [os.path.join(tmp, "all.evaluate")]:
    history = False
    for line in open(p, encoding="utf-8"):
        # Indented lines are the program's sentences and tables; the case's
        # heading echoes the caller's case_ref and name, and evaluate's
        # history lists the stored audit records (data, not sentences).
        if not line.startswith(" "):
            history = line.rstrip("\n") in ("历史记录：", "History:")
        elif not history:
            scan(os.path.basename(p), line.rstrip("\n"))
            nlines += 1

for f in fails[:40]:
    print("FAIL", f)
print(f"zh_text: {nrows} route rows, {nmsg} messages, {nlines} explanation lines, "
      f"{len(codes)} codes; {len(fails)} failures")
sys.exit(1 if fails else 0)
PY
