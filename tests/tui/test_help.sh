#!/bin/bash
# Issue 16, item 11: ? in the queue explains the outcome words and the
# routes, and no line of the help is cut (the s line wraps at 80 columns).
# q closes the help. zh_CN.UTF-8 at 80x24 and 120x40.
. "$(dirname "$0")/lib.sh"
zh_ready help-zh || { tui_done; exit; }
db=$(tui_demo_db help)
for size in "80 24" "120 40"; do
	set -- $size
	tag=$1x$2
	tui_start "$1" "$2" "$db" LC_ALL=zh_CN.UTF-8
	wait_for "贺卫东"
	tui_keys '?'
	expect $tag-help "按下一列排序"
	all=$TUI_SCREEN
	for i in 1 2 3 4 5; do
		tui_keys PgDn
		wait_stable 5
		all+=$'\n'"$TUI_SCREEN"
	done
	TUI_SCREEN=$all
	screen_has $tag-outcomes "评估结论" "+ 符合条件" "! 一票否决" "x 不符合条件" "~ 条件符合，材料待补" "? 需人工审核" \
		"一票否决条款" "须由人工判断"
	screen_has $tag-routes "年限贯通" "破格／绿色通道" "以赛代评" "以竞赛成绩代替评价"
	# The s line is whole: its last words are on the screen, and no line ends in "…".
	screen_has $tag-sort-whole "最后修改）"
	grep -q '…$' <<<"$all" && fail $tag-nothing-cut "a help line is cut" || pass $tag-nothing-cut
	tui_keys q
	wait_gone "按下一列排序" && wait_for "贺卫东" && pass $tag-q-closes-help || fail $tag-q-closes-help "q did not close the help"
	tui_quit $tag-quit
done
tui_done
