#!/bin/bash
# Issue 16, item 12: a void for a duplicate or mistaken case. Under
# zh_CN.UTF-8 an administrator opens case 3 (:3 Enter Enter), presses X, is
# refused without a note, then voids it with one: the header says who voided
# it, when and why, the history keeps the note, the case leaves the queue
# and the export, and comes back with the status filter's 作废. o reopens it.
# A reviewer sees no X in the footer and is refused before any note is
# asked; `guantong void` refuses a reviewer and a missing note in one line.
. "$(dirname "$0")/lib.sh"
me=$(id -un)
zh_ready void-zh || { tui_done; exit; }
q() { sqlite3 "$1" "$2"; }
zh() { tui_start "$1" "$2" "$3" LC_ALL=zh_CN.UTF-8; }

# ---- an administrator voids case 3 (120x40)
db=$(tui_demo_db)
zh 120 40 "$db"
expect admin-start 贺卫东
tui_keys :
wait_for "：" && tui_type 3 && tui_keys Enter
wait_line "^ +3 钱思远" && tui_keys Enter
expect open "案件3 · 钱思远 · 440106197904084815 · 已提交 · 第1版"
wait_line "X 作废" && pass footer-void || fail footer-void "the administrator's footer lacks X 作废"
tui_keys X
expect prompt "作废 — 案件3，备注："
tui_keys Enter
expect note-required "执行“作废”须填写备注，说明理由"
check nothing-without-note [ "$(q "$db" "SELECT status, version FROM cases WHERE id = 3")" = "submitted|1" ]
tui_keys X
wait_for "作废 — 案件3，备注："
tui_type "与案件4重复录入"
tui_keys Enter
expect voided-status "案件3的状态已变为“作废”。"
expect voided-header "案件3 · 钱思远 · 440106197904084815 · 作废 · 第2版"
wait_line "^ *$me于[0-9-]{10} [0-9:]{5}作废此案件：与案件4重复录入（案件仍予保留；按 o 可重新打开）" &&
	pass voided-who-when-why || fail voided-who-when-why "the header does not say who voided it, when and why"
tui_keys End # sent by tmux as ESC[4~ or ESC[F
wait_line "^ +[0-9-]{10} [0-9:]{5}  $me +作废：与案件4重复录入" && pass history-note ||
	fail history-note "the history does not keep the void's note"
wait_line "o 重新打开" && screen_lacks footer-no-void-again "X 作废"
check stored [ "$(q "$db" "SELECT status, version FROM cases WHERE id = 3")|$(q "$db" "SELECT json_extract(after, '\$.note') FROM audit WHERE action = 'case.void'")" = "void|2|与案件4重复录入" ]
check kept [ "$(q "$db" "SELECT count(*) FROM cases")" = 13 ]
# The queue leaves it out; the status filter's 作废 brings it back.
tui_keys q
wait_line "^ +4 马雪梅" && screen_lacks queue-without-void 钱思远
tui_keys f
wait_for "[ ] 草稿" && tui_type 作废
wait_gone "[ ] 草稿" && tui_keys Enter Space && wait_for "[x] 作废" && tui_keys Enter
wait_line "^ +3 钱思远 .* 作废 " && screen_lacks filter-only-void 魏秋菊 贺卫东
# Export: left out unless asked for.
check export-without [ "$(gt "$db" export --machine | grep -c 440106197904084815)" = 0 ]
check export-asked [ "$(gt "$db" export --machine --status void | grep -c 440106197904084815)" = 1 ]
# o undoes it: the case is submitted again.
tui_keys Enter
wait_for "案件3 · 钱思远"
tui_keys o
wait_for "重新打开 — 案件3，备注：" && tui_type "并非重复" && tui_keys Enter
expect reopened "案件3 · 钱思远 · 440106197904084815 · 已提交 · 第3版"
tui_keys q
# Under the 作废 filter it is gone again; without the filter it is back.
wait_line "筛选：作废" && screen_lacks filter-after-reopen 钱思远
tui_keys f
wait_for "[x] 作废" && tui_type 作废
wait_gone "[ ] 草稿" && tui_keys Enter Space && wait_for "[ ] 作废" && tui_keys Enter
wait_line "^ +3 钱思远 .* 已提交 " && pass queue-reopened || fail queue-reopened "case 3 is not back in the queue"
tui_quit admin-quit

# ---- a reviewer (80x24): no X, refused before a note is asked
db=$(tui_demo_db reviewer)
gt "$db" user add nobody --role admin >/dev/null 2>&1
gt "$db" user add "$me" --role reviewer >/dev/null 2>&1
zh 80 24 "$db"
expect reviewer-start 贺卫东
tui_keys Enter
expect reviewer-open "案件1 · 魏秋菊"
wait_line "q 返回" && screen_lacks reviewer-footer "X 作废"
tui_keys X
expect reviewer-refused "只有管理员可以执行“作废”"
screen_lacks reviewer-no-prompt "备注："
check reviewer-nothing [ "$(q "$db" "SELECT status, version FROM cases WHERE id = 1")" = "submitted|1" ]
tui_keys q
wait_for 贺卫东
tui_quit reviewer-quit

# ---- guantong void: one-line refusals
out=$(env LC_ALL=zh_CN.UTF-8 "$GT_BIN" void --db "$db" 1 --note 重复 2>&1); st=$?
[ $st = 1 ] && [[ $out == *只有管理员可以执行“作废”* ]] && pass cli-reviewer || fail cli-reviewer "status $st: $out"
out=$(env LC_ALL=C.UTF-8 "$GT_BIN" void --db "$db" 1 2>&1); st=$?
[ $st = 2 ] && [[ $out == "guantong void: --note TEXT is required: say why the case is voided"* ]] && pass cli-no-note ||
	fail cli-no-note "status $st: $out"
check cli-nothing [ "$(q "$db" "SELECT status FROM cases WHERE id = 1")" = submitted ]
tui_done
