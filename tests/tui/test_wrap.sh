#!/bin/bash
# Issue 16, item 8: the case view wraps by display columns at any place CJK
# text allows, not only at ASCII spaces: no condition's box ("[ ]", "[x]")
# is left alone on a line, no line starts with a closing mark (，。、；：）),
# no continuation is a blank line. Every case of the demo, every page, at
# 80x24 and 120x40 under zh_CN.UTF-8.
. "$(dirname "$0")/lib.sh"
zh_ready wrap-zh || { tui_done; exit; }
db=$(tui_demo_db wrap)
for size in "80 24" "120 40"; do
	set -- $size
	tag=$1x$2
	tui_start "$1" "$2" "$db" LC_ALL=zh_CN.UTF-8
	wait_for "贺卫东"
	all=""
	for c in $(seq 1 13); do
		tui_keys :
		wait_for "跳转到案件"
		tui_type "$c"
		tui_keys Enter
		wait_gone "跳转到案件"
		tui_keys Enter
		wait_for "案件$c ·"
		prev=""
		for p in $(seq 1 30); do
			wait_stable 5
			page=$(printf '%s\n' "$TUI_SCREEN" | sed '1d' | head -n $(($2 - 3)))
			all+=$'\n'"$page"
			[ "$page" = "$prev" ] && break
			prev=$page
			tui_keys PgDn
		done
		tui_keys q
		wait_for "贺卫东"
	done
	orphans=$(grep -cE '^ *\[[ x~]\] *$' <<<"$all")
	check $tag-no-orphan-box [ "$orphans" = 0 ]
	starts=$(grep -cE '^ *[，。、；：）》」]' <<<"$all")
	check $tag-no-closing-mark-first [ "$starts" = 0 ]
	# A wrapped condition continues on the next line (indented text).
	check $tag-saw-cases [ "$(grep -c '历史记录' <<<"$all")" -ge 13 ]
	tui_quit $tag-quit
done
tui_done
