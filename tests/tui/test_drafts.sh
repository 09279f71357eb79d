#!/bin/bash
# Issue 17, item 7: several named drafts per user, listed when intake opens
# (starting afresh keeps them); the draft of an edit, resumed after someone
# else changed the case, says which fields they changed and applies the
# clerk's own changes to the new version, which then saves.
# Under zh_CN.UTF-8 at 80x24.
. "$(dirname "$0")/lib.sh"

zh_ready zh-catalogue || { tui_done; exit; }
db=$(tui_demo_db)
q() { sqlite3 "$db" "$1" 2>&1; }
tui_start 80 24 "$db" LC_ALL=zh_CN.UTF-8
wait_line '^ +1 魏秋菊' || fail start "no queue"

# Leave a new case with Esc: the draft is kept (y to the question).
leave() {
	tui_keys Escape
	wait_for "(y/n)" && tui_keys y
	wait_line '^ +1 魏秋菊'
}
tui_keys i
wait_for "第1/7页"
tui_type 王五
leave
# The second new case: the list offers the first draft by name, and a new case.
tui_keys i
if wait_for "新案件的草稿" && screen_has draft-listed "王五，保存于" "新建案件（草稿保留）"; then
	tui_keys Down Enter
	wait_for "第1/7页"
	tui_type 赵六
	leave
else
	fail draft-listed "no list of drafts"
fi
check two-drafts [ "$(q "SELECT group_concat(name, ',') FROM (SELECT name FROM drafts ORDER BY id)")" = "王五,赵六" ]
# Both are listed now; Enter on 王五 resumes it.
tui_keys i
wait_for "新案件的草稿" && screen_has both-listed "王五，保存于" "赵六，保存于"
tui_keys Down
tui_keys Enter
if wait_for "第1/7页" && wait_line '^姓名 +王五'; then pass resumed; else fail resumed "王五's draft not resumed"; fi
leave

# An edit of case 1: a reference typed, then Esc keeps the draft.
tui_keys e
wait_for "编辑案件1" || fail edit "no edit form"
tui_keys Tab Tab C-u
tui_type R-1
leave
check edit-draft [ "$(q "SELECT case_id || ':' || base_version FROM drafts WHERE case_id = 1")" = "1:1" ]
# Meanwhile the case changes: 3 appraisals become 2 (an import by the batch command).
gt "$db" export --machine --out "$TUI_TMP/out.csv" >/dev/null 2>&1
python3 - "$TUI_TMP/out.csv" "$TUI_TMP/in.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
h = rows[0]
row = rows[1]
row[h.index("appraisals_passed")] = "2"
w = csv.writer(open(sys.argv[2], "w", encoding="utf-8", newline=""))
w.writerow(h)
w.writerow(row)
EOF
gt "$db" import "$TUI_TMP/in.csv" >/dev/null 2>"$TUI_TMP/import.err" || fail import "$(cat "$TUI_TMP/import.err")"
check case-changed [ "$(q "SELECT version || ':' || appraisals_passed FROM cases WHERE id = 1")" = "2:2" ]
# Resuming the draft says what they changed and what the clerk changed.
tui_keys e
wait_for "本案件的草稿" || fail edit-drafts "no list of this case's drafts"
tui_keys Enter
if wait_for "对方修改了" && screen_has conflict-theirs "近3年考核合格次数：3 → 2" && screen_has conflict-mine "您修改了：参考编号"; then
	:
else
	fail conflict "no account of the changes"
fi
tui_keys Enter # the message
wait_for "将您的修改应用到案件的当前版本" && tui_keys y
expect reapplied "您的修改已应用到第2版"
tui_keys F2
wait_line '^ +1 魏秋菊' || fail saved "not back in the queue"
check saved-both [ "$(q "SELECT version || ':' || case_ref || ':' || appraisals_passed FROM cases WHERE id = 1")" = "3:R-1:2" ]
check edit-draft-gone [ "$(q "SELECT count(*) FROM drafts WHERE case_id = 1")" = 0 ]
check new-drafts-kept [ "$(q "SELECT count(*) FROM drafts WHERE case_id = 0")" = 2 ]
tui_quit quit
tui_done
