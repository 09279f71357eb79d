#!/bin/bash
# Printing case sheets from the workstation (issue 18, item 1) at 80x24
# under zh_CN.UTF-8: Space marks cases in the queue, p writes their sheets
# to the file asked for (by default in the home directory), 0600, one page
# each, with each applicant's name and identity number (pdfinfo,
# pdftotext); an existing file is replaced only after a question, and left
# alone when the answer is no; p in the case view prints that case.
. "$(dirname "$0")/lib.sh"

zh_ready zh-locale || { tui_done; exit; }
if ! command -v pdfinfo >/dev/null || ! command -v pdftotext >/dev/null; then
	fail poppler "pdfinfo and pdftotext (poppler-utils) are not installed"
	tui_done
	exit
fi
db=$(tui_demo_db)
home=$TUI_TMP/home
mkdir -p "$home"
q() { sqlite3 "$db" "$1"; }
pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'; }
text() { pdftotext -raw "$1" - 2>/dev/null | tr -d '\n'; }
day=$(date +%Y%m%d)

tui_start 80 24 "$db" LC_ALL=zh_CN.UTF-8 HOME="$home"
expect queue "案件列表"
# Cases 1 and 2 marked: the numbers show the mark.
tui_keys Space
expect mark-one "已标记1个案件"
tui_keys Space
expect mark-two "已标记2个案件"
wait_line '^ *\*1 ' && pass mark-shown-1 || fail mark-shown-1 "no *1 in the queue"
wait_line '^ *\*2 ' && pass mark-shown-2 || fail mark-shown-2 "no *2 in the queue"
tui_keys p
expect print-ask "2个案件的审核表保存到"
screen_has print-default "~/guantong-sheets-$day.pdf"
tui_keys Enter
pdf=$home/guantong-sheets-$day.pdf
expect printed "已写出2页到$pdf" 30
check print-file [ -f "$pdf" ]
check print-0600 [ "$(stat -c %a "$pdf" 2>/dev/null)" = 600 ]
check print-pages [ "$(pages "$pdf")" = 2 ]
for id in 1 2; do
	name=$(q "SELECT a.name FROM cases c JOIN applicants a ON a.id = c.applicant_id WHERE c.id = $id")
	idn=$(q "SELECT a.id_number FROM cases c JOIN applicants a ON a.id = c.applicant_id WHERE c.id = $id")
	text "$pdf" | grep -qF "$name" && pass "print-name-$id" || fail "print-name-$id" "no $name in the PDF"
	text "$pdf" | grep -qF "$idn" && pass "print-idnumber-$id" || fail "print-idnumber-$id" "no $idn in the PDF"
done
text "$pdf" | grep -qF "审核结论" && pass print-conclusion || fail print-conclusion "no 审核结论 in the PDF"
# Again: the file exists; "n" leaves it as it was.
cp "$pdf" "$TUI_TMP/before.pdf"
tui_keys p
expect again-ask "2个案件的审核表保存到"
tui_keys Enter
expect again-exists "已存在。是否替换？"
tui_keys n
expect again-kept "未打印"
cmp -s "$pdf" "$TUI_TMP/before.pdf" && pass again-untouched || fail again-untouched "the PDF changed"
# A name that is not .pdf: refused, nothing written.
tui_keys p
expect bad-ask "审核表保存到"
tui_keys C-u
tui_type "$home/x.txt"
tui_keys Enter
expect bad-name "必须以 .pdf 结尾"
check bad-nothing [ ! -e "$home/x.txt" ]
# p in the case view, as in the queue (issue 18): the selected case (3,
# after the two marks).
tui_keys Enter
expect case-open "案件3"
tui_keys p
expect case-ask "1个案件的审核表保存到"
screen_has case-default "~/guantong-sheet-3-$day.pdf"
tui_keys Enter
one=$home/guantong-sheet-3-$day.pdf
expect case-printed "已写出1页到$one" 30
check case-pages [ "$(pages "$one")" = 1 ]
name=$(q "SELECT a.name FROM cases c JOIN applicants a ON a.id = c.applicant_id WHERE c.id = 3")
text "$one" | grep -qF "$name" && pass case-name || fail case-name "no $name in the PDF"
tui_keys q
expect back "案件列表"
tui_quit
tui_done
