#!/bin/bash
# Issue 16, item 10: q closes the case view and quits only at the queue; the
# footer shows only the actions the user can take (a clerk sees no 批准; a
# returned case shows u 重新提交; a reviewer sees w 接手审核); an unknown
# key says so; `:` and a case number goes to that case; Home and End sent as
# ESC[1~ / ESC[4~ (tmux, PuTTY) move in the view instead of acting as Esc,
# under a TERM whose entry has other sequences for them (xterm-256color).
. "$(dirname "$0")/lib.sh"
me=$(id -un)
zh_ready keys-zh || { tui_done; exit; }
ZH=LC_ALL=zh_CN.UTF-8
footer() { printf '%s\n' "$TUI_SCREEN" | tail -n 1; }
footer_has() { # NAME TEXT: the footer line shows TEXT
	if [[ $(footer) == *"$2"* ]]; then pass "$1"; else fail "$1" "the footer lacks \"$2\": $(footer)"; fi
}
footer_lacks() {
	if [[ $(footer) != *"$2"* ]]; then pass "$1"; else fail "$1" "the footer shows \"$2\": $(footer)"; fi
}
db_as() { # ROLE NAME
	local db
	db=$(tui_demo_db "$2")
	gt "$db" user add nobody --role admin >/dev/null 2>&1
	[ "$1" = admin ] || gt "$db" user add "$me" --role "$1" >/dev/null 2>&1
	echo "$db"
}

for size in "80 24" "120 40"; do
	set -- $size
	tag=$1x$2
	# ---- a clerk
	db=$(db_as clerk clerk$tag)
	tui_start "$1" "$2" "$db" $ZH TERM=xterm-256color
	wait_for "贺卫东"
	tui_keys Enter
	expect $tag-clerk-open "案件1 · 魏秋菊"
	footer_lacks $tag-clerk-no-approve "a 批准"
	footer_lacks $tag-clerk-no-reject "r 不予通过"
	footer_lacks $tag-clerk-no-take "w 接手审核"
	footer_has $tag-clerk-return "b 退回"
	footer_has $tag-clerk-q-back "q 返回"
	# q closes the view: the queue again, the program still running.
	tui_keys q
	wait_gone "案件1 · 魏秋菊" && wait_for "贺卫东" && pass $tag-q-closes-view ||
		fail $tag-q-closes-view "q in the case view did not lead back to the queue"
	check $tag-still-running [ ! -s "$TUI_EXIT" ]
	footer_has $tag-queue-q-quits "q 退出"
	# An unknown key is said.
	tui_keys Z
	expect $tag-unknown-key "按键 Z 在此处无作用；按 ? 查看按键。"
	# `:` 11 goes to case 11: Enter opens it.
	tui_keys :
	expect $tag-jump-prompt "跳转到案件"
	tui_type 11
	tui_keys Enter
	wait_gone "跳转到案件"
	tui_keys Enter
	expect $tag-jump-open "案件11 · 冯燕妮"
	# End and Home as tmux and PuTTY send them.
	tui_keys -l $'\e[4~'
	expect $tag-end "历史记录"
	screen_lacks $tag-end-not-esc "编号▲"
	tui_keys -l $'\e[1~'
	expect $tag-home "案件11 · 冯燕妮 ·"
	screen_lacks $tag-home-not-esc "编号▲"
	# A clerk returns the case: then u 重新提交 is offered.
	tui_keys b
	wait_for "备注："
	tui_type "缺少获奖证书"
	tui_keys Enter
	expect $tag-returned "案件11 · 冯燕妮 · 500103197604082575 · 已退回"
	footer_has $tag-returned-u "u 重新提交"
	footer_lacks $tag-returned-no-o "o 重新打开"
	footer_lacks $tag-returned-no-b "b 退回"
	tui_keys q
	wait_for "贺卫东"
	tui_quit $tag-clerk-quit

	# ---- a reviewer: approve, reject and take are offered on a submitted case
	db=$(db_as reviewer rev$tag)
	tui_start "$1" "$2" "$db" $ZH
	wait_for "贺卫东"
	tui_keys Enter
	expect $tag-rev-open "案件1 · 魏秋菊"
	footer_has $tag-rev-approve "a 批准"
	footer_has $tag-rev-take "w 接手审核"
	footer_lacks $tag-rev-no-reopen "o 重新打开"
	tui_keys q
	wait_for "贺卫东"
	tui_quit $tag-rev-quit
done
tui_done
