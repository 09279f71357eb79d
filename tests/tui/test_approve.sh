#!/bin/bash
# Issue 16, item 1: approving against the evaluation. Case 5 (朱明亮) is
# vetoed (一票否决): a reviewer's `a` is refused before any note is asked,
# and nothing is recorded; an administrator is shown the evaluation's outcome
# and asked for a note, an empty note is refused, a note is recorded with the
# decision. A not-eligible case (11, 冯燕妮) approved by a reviewer likewise
# needs a note. The batch `decide` keeps the same rule (the store checks it).
# A note typed when someone else changed the case survives the conflict: the
# next decision's prompt starts with it. zh_CN.UTF-8, at 80x24 and 120x40.
. "$(dirname "$0")/lib.sh"
me=$(id -un)
q() { sqlite3 "$1" "$2"; }
zh_ready approve-zh || { tui_done; exit; }
ZH=LC_ALL=zh_CN.UTF-8

db_as() { # ROLE NAME: a demo database where the OS user has ROLE
	local db
	db=$(tui_demo_db "$2")
	gt "$db" user add nobody --role admin >/dev/null 2>&1
	[ "$1" = admin ] || gt "$db" user add "$me" --role "$1" >/dev/null 2>&1
	echo "$db"
}

# ---- a reviewer on a vetoed case, 80x24: refused, nothing asked or recorded
db=$(db_as reviewer rev)
check vetoed-stored [ "$(q "$db" "SELECT e.outcome FROM cases c JOIN evaluations e ON e.id = c.eval_id WHERE c.id = 5")" = vetoed ]
audit0=$(q "$db" "SELECT count(*) FROM audit")
tui_start 80 24 "$db" $ZH
wait_for "贺卫东"
tui_keys j j j j Enter
expect rev-open "案件5 · 朱明亮"
tui_keys a
expect rev-vetoed-refused "案件5已被否决（一票否决）：只有管理员可以批准；您是审核员。"
screen_lacks rev-no-prompt "备注："
check rev-nothing-recorded [ "$(q "$db" "SELECT status FROM cases WHERE id = 5")|$(q "$db" "SELECT count(*) FROM decisions")|$(q "$db" "SELECT count(*) FROM audit")" = "submitted|0|$audit0" ]
# The batch command is refused too, note or not.
out=$(env LC_ALL=zh_CN.UTF-8 "$GT_BIN" decide --db "$db" 5 --approve --note "委员会同意" 2>&1)
[[ $out == *"案件5已被否决（一票否决）：只有管理员可以批准"* ]] && pass rev-batch-vetoed || fail rev-batch-vetoed "$out"
# A not-eligible case: the evaluation is shown, a note asked for.
tui_keys q
wait_for "贺卫东"
tui_keys G k k Enter
expect rev-open11 "案件11 · 冯燕妮"
tui_keys a
expect rev-ne-box "与评估结论相反的批准"
screen_has rev-ne-says "评估结论：不符合条件"
tui_keys Space
expect rev-ne-prompt "（与评估结论“不符合条件”相反）— 备注："
tui_keys Enter
expect rev-ne-empty-refused "与评估结论相反的批准须填写说明理由的备注"
check rev-ne-nothing [ "$(q "$db" "SELECT status FROM cases WHERE id = 11")|$(q "$db" "SELECT count(*) FROM decisions")" = "submitted|0" ]
tui_keys a
wait_for "与评估结论相反的批准"
tui_keys Space
wait_for "— 备注："
tui_type "获省级技能大赛一等奖，委员会破格认定"
tui_keys Enter
expect rev-ne-approved "案件11 · 冯燕妮 · 500103197604082575 · 已批准"
check rev-ne-stored [ "$(q "$db" "SELECT action, note FROM decisions WHERE case_id = 11")" = "approve|获省级技能大赛一等奖，委员会破格认定" ]
out=$(gt "$db" decide 6 --approve 2>&1)
[[ $out == *'the evaluation of case 6 says "needs evidence": approving against it needs a note that says why'* ]] &&
	pass batch-needs-note || fail batch-needs-note "$out"
check batch-nothing [ "$(q "$db" "SELECT status FROM cases WHERE id = 6")" = submitted ]
tui_keys q
wait_for "贺卫东"
tui_quit rev-quit

# ---- an administrator approves the vetoed case, 120x40, with a note
db=$(db_as admin adm)
tui_start 120 40 "$db" $ZH
wait_for "贺卫东"
tui_keys j j j j Enter
expect adm-open "案件5 · 朱明亮"
tui_keys a
expect adm-box "评估结论为一票否决。只有管理员可以批准被否决的案件；您是管理员。"
tui_keys Space
expect adm-prompt "批准案件5（与评估结论“一票否决”相反）— 备注："
tui_keys Enter
expect adm-empty-refused "案件5的评估结论是“一票否决”：与评估结论相反的批准须填写说明理由的备注"
check adm-empty-nothing [ "$(q "$db" "SELECT status FROM cases WHERE id = 5")" = submitted ]
tui_keys a
wait_for "评估结论为一票否决"
tui_keys Space
wait_for "— 备注："
tui_type "经复核，记录系他人冒名"
tui_keys Enter
expect adm-approved "案件5 · 朱明亮 · 320602199310221839 · 已批准"
check adm-stored [ "$(q "$db" "SELECT action, decided_by, note FROM decisions WHERE case_id = 5")" = "approve|$me|经复核，记录系他人冒名" ]
tui_keys q
wait_for "贺卫东"
tui_quit adm-quit

# ---- the note survives a conflict, 80x24
db=$(db_as admin conflict)
tui_start 80 24 "$db" $ZH
wait_for "贺卫东"
tui_keys Enter
expect cf-open "案件1 · 魏秋菊"
tui_keys r
wait_for "不予通过 — 案件1，备注："
tui_type "工作年限证明系复印件"
# Another clerk changes the case meanwhile (takes it into review).
sqlite3 "$db" "UPDATE cases SET version = version + 1, status = 'in_review', updated_by = 'nobody' WHERE id = 1"
tui_keys Enter
expect cf-conflict "其他人已修改此案件"
tui_keys Space
wait_for "(y/n)"
tui_keys y
expect cf-kept-said "您的备注已保留"
tui_keys r
expect cf-note-kept "工作年限证明系复印件"
tui_keys Enter
expect cf-rejected "案件1 · 魏秋菊 · 510104198110222956 · 未通过"
check cf-stored [ "$(q "$db" "SELECT action, note FROM decisions WHERE case_id = 1")" = "reject|工作年限证明系复印件" ]
tui_keys q
wait_for "贺卫东"
tui_quit cf-quit
tui_done
