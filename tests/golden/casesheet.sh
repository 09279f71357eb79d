#!/bin/bash
# The printed forms of issue 18, from the real binary: `sheet` (the case
# sheet, 审核表) and `agenda` as PDF, read back with poppler: the page count
# (one A4 page per case, the longest name and a case with every route
# included), the applicant's name, identity number, the conclusion and the
# clause in Chinese, no text beyond the page (pdftotext -bbox), a decided
# case showing its decision, the file written 0600 through gt_file (a link
# refused, an existing file only with --force) and audited.
# Usage: casesheet.sh GUANTONG SOURCE_DIR
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
if ! command -v pdftotext >/dev/null || ! command -v pdftoppm >/dev/null; then
	echo "SKIP: poppler-utils is not installed"
	exit 0
fi
pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'; }
# The text of a PDF (or one page) in content order, lines joined: a name
# wrapped inside its cell is found whole.
text() { pdftotext -raw "$@" - 2>/dev/null | tr -d '\n'; }
has() { text "$1" | grep -qF -- "$2"; }
hasnt() { ! text "$1" | grep -qF -- "$2"; }

db=$tmp/c.db
"$bin" import --db "$db" "$src/fixtures/casesheet/cases.csv" >/dev/null 2>&1 || no "import fixtures/casesheet/cases.csv"
"$bin" import --db "$db" --skip-invalid --reject "$tmp/rej.csv" "$src/fixtures/demo.csv" >/dev/null 2>&1 ||
	no "import fixtures/demo.csv"
ncases=$(sqlite3 "$db" "SELECT count(*) FROM cases")
check "16 cases stored" [ "$ncases" = 16 ]
long=$(sed -n 2p "$src/fixtures/casesheet/cases.csv" | cut -d, -f2)
check "the long name has 64 characters" [ "$(printf %s "$long" | wc -m)" = 64 ]

# Every case, one page each: the long name and the cases with every honour,
# result and document included.
ids=$(seq 1 "$ncases")
# shellcheck disable=SC2086
"$bin" sheet --db "$db" $ids --out "$tmp/all.pdf" 2>"$tmp/err" || no "sheet of every case: $(cat "$tmp/err")"
check "one page per case" [ "$(pages "$tmp/all.pdf")" = "$ncases" ]
check "the summary counts the sheets and pages" grep -q "审核表16份，共16页" "$tmp/err"
for i in $ids; do
	idn=$(sqlite3 "$db" "SELECT a.id_number FROM cases c JOIN applicants a ON a.id = c.applicant_id WHERE c.id = $i")
	text "$tmp/all.pdf" -f "$i" -l "$i" | grep -qF "$idn" || no "page $i holds case $i's identity number"
	text "$tmp/all.pdf" -f "$i" -l "$i" | grep -qF "案件$i，" || no "page $i's footer names case $i"
done
ok
# No word beyond the page or its margins (A4: 595 x 842 points).
pdftotext -bbox "$tmp/all.pdf" "$tmp/bbox.html" 2>/dev/null
out=$(grep -o 'xMin="[0-9.]*" yMin="[0-9.]*" xMax="[0-9.]*" yMax="[0-9.]*"' "$tmp/bbox.html" |
	tr -d '"' | awk -F'[= ]' '$2 < 36 || $4 < 20 || $6 > 560 || $8 > 835 { n++ } END { print n + 0 }')
check "no text beyond the margins ($out words)" [ "$out" = 0 ]
check "words were measured" [ "$(grep -c '<word' "$tmp/bbox.html")" -gt $((100 * ncases)) ]

# Case 1: the long name, whole, its number, the conclusion and the clause.
check "the long name" has "$tmp/all.pdf" "$long"
check "the identity number" has "$tmp/all.pdf" "$(sed -n 2p "$src/fixtures/casesheet/cases.csv" | cut -d, -f3)"
check "the conclusion in Chinese" has "$tmp/all.pdf" "符合条件"
check "the level in Chinese" has "$tmp/all.pdf" "副高级"
check "the route in Chinese" has "$tmp/all.pdf" "破格／绿色通道"
check "the clause cited" has "$tmp/all.pdf" "附件1 六（二）3"
check "the clause's own words" has "$tmp/all.pdf" "技艺高超，在世界技能大赛中获得铜牌以上奖励"
check "the award relied on" has "$tmp/all.pdf" "国家级一类技能竞赛第3名"
check "the evidence checklist" has "$tmp/all.pdf" "近三年年度考核结果 已核验"
check "the conditions required vs actual" has "$tmp/all.pdf" "需具备高级工及以上技能等级，现有：高级工"
check "blank lines for the vote" has "$tmp/all.pdf" "同意：____票"
check "the footer's rule set" has "$tmp/all.pdf" "规则集 《四川省高技能人才与专业技术人才职业发展贯通实施方案》"
check "no code in the sheet" hasnt "$tmp/all.pdf" "skill_to_title"
check "no English label" hasnt "$tmp/all.pdf" "Identity number"
# A year condition not yet met: the date it falls due.
check "the date a year condition falls due" has "$tmp/all.pdf" "到期日"

# Rendered: one picture per page, as pdftoppm draws them.
pdftoppm -png -r 40 "$tmp/all.pdf" "$tmp/page" 2>/dev/null
check "one PNG per page" [ "$(ls "$tmp"/page-*.png 2>/dev/null | wc -l)" = "$ncases" ]

# The file: 0600, a link refused, an existing file replaced only with --force.
check "written 0600" [ "$(stat -c %a "$tmp/all.pdf")" = 600 ]
cp "$tmp/all.pdf" "$tmp/before.pdf"
"$bin" sheet --db "$db" 2 --out "$tmp/all.pdf" 2>"$tmp/err"
check "an existing file: exit 1" [ $? = 1 ]
check "an existing file: --force named" grep -q -- "--force" "$tmp/err"
check "an existing file is left alone" cmp -s "$tmp/all.pdf" "$tmp/before.pdf"
"$bin" sheet --db "$db" 2 --out "$tmp/all.pdf" --force 2>/dev/null
check "--force replaces it" [ "$(pages "$tmp/all.pdf")" = 1 ]
echo keep >"$tmp/victim"
ln -s "$tmp/victim" "$tmp/link.pdf"
"$bin" sheet --db "$db" 2 --out "$tmp/link.pdf" --force 2>/dev/null
check "a symbolic link: exit 1" [ $? = 1 ]
check "a symbolic link: its target untouched" [ "$(cat "$tmp/victim")" = keep ]
check "audited: one row per file written" [ "$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE action = 'sheet'")" = 2 ]
# A vetoed case with no level applied for: its sheet names the level it was
# judged for, as the queue shows it (cases.target), not "—".
vid=$(sqlite3 "$db" "SELECT id FROM cases WHERE outcome = 'vetoed' AND requested_level IS NULL AND target <> '' LIMIT 1")
vlevel=$(sqlite3 "$db" "SELECT target FROM cases WHERE id = ${vid:-0}")
vzh=$(LC_ALL=zh_CN.UTF-8 "$bin" stats --db "$db" --format csv | awk -F, -v c="$vlevel" '$1 == "level" && $2 ~ ":" c "$" { print $3; exit }')
"$bin" sheet --db "$db" "${vid:-0}" --out "$tmp/veto.pdf" 2>/dev/null || no "sheet of vetoed case ${vid:-none}"
check "the vetoed case's level judged for ($vzh)" has "$tmp/veto.pdf" "${vzh:-none}（按此等级审核，未获准）"
check "the vetoed case: not stated, judged for" has "$tmp/veto.pdf" "未填写（按${vzh:-none}审核）"
check "audited: the file and the number of cases" \
	[ "$(sqlite3 "$db" "SELECT json_extract(after, '\$.cases') || ' ' || json_extract(after, '\$.format') FROM audit WHERE action = 'sheet' ORDER BY id LIMIT 1")" = "16 pdf" ]

# Bad usage and unknown cases: clear errors, nothing written.
"$bin" sheet --db "$db" 1 --out "$tmp/x.txt" 2>/dev/null
check "not .pdf: exit 2" [ $? = 2 ]
"$bin" sheet --db "$db" 999 --out "$tmp/none.pdf" 2>/dev/null
check "an unknown case: exit 1" [ $? = 1 ]
check "an unknown case: no file" [ ! -e "$tmp/none.pdf" ]
"$bin" sheet --db "$db" 2>/dev/null
check "no case: exit 2" [ $? = 2 ]
(cd "$tmp" && "$bin" sheet --db "$db" 3 2>/dev/null)
check "the default name" [ -s "$tmp/sheet-3.pdf" ]

# A decided case shows the decision, not blank lines for the vote.
"$bin" decide --db "$db" 3 --approve --note "材料齐全，同意破格" >/dev/null 2>&1 || no "decide case 3"
"$bin" sheet --db "$db" 3 --out "$tmp/decided.pdf" 2>/dev/null
check "decided: the decision" has "$tmp/decided.pdf" "批准"
check "decided: the note" has "$tmp/decided.pdf" "材料齐全，同意破格"
check "decided: as decided" has "$tmp/decided.pdf" "三、审核结论（决定时）"
check "decided: no blank vote" hasnt "$tmp/decided.pdf" "同意：____票"

# English for an English locale.
LC_ALL=C.UTF-8 "$bin" sheet --db "$db" 1 --out "$tmp/en.pdf" 2>/dev/null
check "English labels" has "$tmp/en.pdf" "Identity number"

# The agenda: the cases awaiting a decision grouped by series and level, a
# vote table per group, then their sheets.
waiting=$(sqlite3 "$db" "SELECT count(*) FROM cases WHERE status IN ('submitted', 'in_review')")
"$bin" agenda --db "$db" --out "$tmp/agenda.pdf" 2>/dev/null || no "agenda"
apages=$(pages "$tmp/agenda.pdf")
if [ "$apages" -gt "$waiting" ] && [ "$apages" -le $((waiting + 3)) ]; then
	ok; else no "agenda: its pages, then one sheet per case ($apages pages, $waiting cases)"; fi
check "agenda: its title" has "$tmp/agenda.pdf" "评审会议议程"
check "agenda: the count" has "$tmp/agenda.pdf" "待决定案件${waiting}个"
check "agenda: a group by series and level" has "$tmp/agenda.pdf" "工程 · 高技能人才参加职称评审 · 副高级"
check "agenda: the vote table" has "$tmp/agenda.pdf" "案件 同意 反对 弃权 结果"
check "agenda: not the decided case" hasnt "$tmp/agenda.pdf" "材料齐全，同意破格"
"$bin" agenda --db "$db" --region 重庆 --out "$tmp/cq.pdf" 2>/dev/null
cq=$(sqlite3 "$db" "SELECT count(*) FROM cases WHERE status IN ('submitted', 'in_review') AND region = 'chongqing'")
check "agenda --region: only those cases" has "$tmp/cq.pdf" "待决定案件${cq}个"
"$bin" agenda --db "$db" 2>/dev/null
check "agenda without --out: exit 2" [ $? = 2 ]
check "agenda audited" [ "$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE action = 'agenda'")" = 2 ]

echo "casesheet: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
