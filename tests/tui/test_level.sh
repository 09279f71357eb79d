#!/bin/bash
# Issue 16, item 2: the queue's level column says for what a case is judged,
# vetoed and not-eligible rows too (the level the evaluation is about: the
# nearest route's, or the one a route would give without the veto), so that
# a decision in the status column says for what. zh_CN.UTF-8, 80x24 and 120x40.
. "$(dirname "$0")/lib.sh"
zh_ready level-zh || { tui_done; exit; }
db=$(tui_demo_db level)
# Case 5 (vetoed) approved by an administrator, with the note it needs.
gt "$db" decide 5 --approve --note "复核后撤销否决记录" --version 1 >/dev/null 2>&1 ||
	fail approve-setup "guantong decide failed"
for size in "80 24" "120 40"; do
	set -- $size
	tag=w$1
	tui_start "$1" "$2" "$db" LC_ALL=zh_CN.UTF-8
	wait_for "贺卫东"
	grep -qE '^ +5 朱明亮 +([0-9X]{18} +)?江苏 +技→职 副高级 +! 否决 +已批准' <<<"$TUI_SCREEN" && pass $tag-vetoed-level ||
		fail $tag-vetoed-level "$(grep -E '^ +5 ' <<<"$TUI_SCREEN")"
	grep -qE '^ +9 潘春生 +([0-9X]{18} +)?重庆 +技→职 副高级 +! 否决' <<<"$TUI_SCREEN" && pass $tag-vetoed-level-9 ||
		fail $tag-vetoed-level-9 "$(grep -E '^ +9 ' <<<"$TUI_SCREEN")"
	grep -qE '^ +11 冯燕妮 +([0-9X]{18} +)?重庆 +职→技 高级工 +x 不符合' <<<"$TUI_SCREEN" && pass $tag-not-eligible-level ||
		fail $tag-not-eligible-level "$(grep -E '^ +11 ' <<<"$TUI_SCREEN")"
	tui_quit $tag-quit
done
tui_done
