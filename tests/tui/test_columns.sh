#!/bin/bash
# Issue 16, item 5: the queue's columns do not follow the longest name on
# the page. One long minority name (阿卜杜热合曼·买买提艾力·…) is cut with
# "…"; 最后修改 stays on an 80-column screen; every row's status starts in
# the same column, on this page and the next; no header label is cut.
. "$(dirname "$0")/lib.sh"
zh_ready columns-zh || { tui_done; exit; }
db=$(tui_demo_db columns)
long="阿卜杜热合曼·买买提艾力·阿不都克热木·艾合买提江"
sqlite3 "$db" "UPDATE applicants SET name = '$long' WHERE id = (SELECT applicant_id FROM cases WHERE id = 3)"
# The column (in display cells) where TEXT starts on LINE.
col_of() { python3 -c 'import sys, unicodedata as u
line, t = sys.argv[1], sys.argv[2]
i = line.find(t)
print(-1 if i < 0 else sum(2 if u.east_asian_width(c) in "WF" else 1 for c in line[:i]))' "$1" "$2"; }
for size in "80 24" "120 40"; do
	set -- $size
	tag=$1x$2
	tui_start "$1" "$2" "$db" LC_ALL=zh_CN.UTF-8
	wait_for "贺卫东"
	screen_has $tag-header "最后修改" "编号▲" "结果" "状态"
	grep -q '…' <<<"$(sed -n 2p <<<"$TUI_SCREEN")" && fail $tag-header-whole "a header label is cut" || pass $tag-header-whole
	row3=$(grep -E '^ +3 ' <<<"$TUI_SCREEN")
	[[ $row3 == *"阿卜杜"*"…"* && $row3 != *"艾合买提江"* ]] && pass $tag-long-name-cut || fail $tag-long-name-cut "$row3"
	cols=$(grep -E '^ +[0-9]+ ' <<<"$TUI_SCREEN" | while IFS= read -r l; do col_of "$l" "已提交"; done | sort -u)
	check $tag-status-aligned [ "$(wc -l <<<"$cols")" = 1 ]
	check $tag-last-change-shown [ "$(grep -cE '^ +[0-9]+ .*[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$' <<<"$TUI_SCREEN")" = 13 ]
	tui_quit $tag-quit
done
tui_done
