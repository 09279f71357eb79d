#!/bin/bash
# Issue 16, item 9: the evidence checklist under zh_CN.UTF-8. Marks are
# staged: Space steps a document through 缺少, 待核验 and 已核验, each change
# shown as "before → after", u undoes the last; nothing is written until
# Enter, which saves every mark as ONE version with ONE audit row; the
# history names the document and its states; Esc with marks not saved asks;
# saving unchanged marks, or an unchanged intake form, writes nothing and
# says so. Documents are found by their label on the screen, never by
# their place in the list.
. "$(dirname "$0")/lib.sh"
zh_ready evidence-zh || { tui_done; exit; }
q() { sqlite3 "$db" "$1"; }
zh() { tui_start "$1" "$2" "$db" LC_ALL=zh_CN.UTF-8; }

# select_doc LABEL: moves the checklist's cursor (">") to the row of LABEL.
select_doc() {
	local i
	tui_keys Home
	for ((i = 0; i < 16; i++)); do
		wait_stable 2 >/dev/null
		grep -Eq "│>.\[.\] \[.\] $1" <<<"$TUI_SCREEN" && return 0
		tui_keys Down
	done
	fail "select-$1" "no row of $1 in the checklist"
	return 1
}
# page_to REGEX: pages the case view from the top until a line matches.
page_to() {
	local i
	tui_keys Home
	for ((i = 0; i < 12; i++)); do
		wait_stable 2 >/dev/null
		grep -Eq -- "$1" <<<"$TUI_SCREEN" && return 0
		tui_keys PageDown
	done
	return 1
}
# The checklist row of LABEL, from "[" to the state.
doc_row() { grep -Eo "\[.\] \[.\] $1[^│]*" <<<"$TUI_SCREEN" | sed -E 's/ +$//'; }
row_is() { # NAME LABEL TEXT
	local row
	row=$(doc_row "$2")
	[ "$row" = "$3" ] && pass "$1" || fail "$1" "row \"$row\", expected \"$3\""
}

for size in "80 24" "120 40"; do
	set -- $size
	db=$(tui_demo_db "demo-$1")
	zh "$1" "$2"
	expect "start-$1" 贺卫东
	tui_keys :
	wait_for "：" && tui_type 6 && tui_keys Enter
	wait_line "^ +6 方振华" && tui_keys Enter
	expect "open-$1" "案件6 · 方振华"
	v0=$(q "SELECT version FROM cases WHERE id = 6")
	a0=$(q "SELECT count(*) FROM audit")
	tui_keys v
	expect "checklist-$1" "材料：空格标记，Enter 保存，Esc 返回"
	# A missing document: Space makes it 待核验, again 已核验; u takes one back.
	select_doc 相关专业毕业证书
	row_is "missing-$1" 相关专业毕业证书 "[ ] [ ] 相关专业毕业证书：缺少"
	tui_keys Space
	wait_for "1项标记尚未保存"
	row_is "received-$1" 相关专业毕业证书 "[R] [ ] 相关专业毕业证书：缺少 → 待核验"
	tui_keys Space
	wait_for "[R] [V] 相关专业毕业证书"
	row_is "verified-$1" 相关专业毕业证书 "[R] [V] 相关专业毕业证书：缺少 → 已核验"
	tui_keys u
	wait_for "[R] [ ] 相关专业毕业证书"
	row_is "undo-$1" 相关专业毕业证书 "[R] [ ] 相关专业毕业证书：缺少 → 待核验"
	# A verified one marked missing, then undone: unchanged again.
	select_doc 身份证
	tui_keys Space
	wait_for "2项标记尚未保存"
	row_is "verified-missing-$1" 身份证 "[ ] [ ] 身份证（必需）：已核验 → 缺少"
	tui_keys u
	wait_for "1项标记尚未保存"
	row_is "undo-back-$1" 身份证 "[R] [V] 身份证（必需）：已核验"
	check "nothing-written-yet-$1" [ "$(q "SELECT version FROM cases WHERE id = 6")|$(q "SELECT count(*) FROM audit")" = "$v0|$a0" ]
	# Enter saves: one version, one audit row, named in the history.
	tui_keys Enter
	expect "saved-$1" "已保存1项标记：案件6已生成新版本。"
	check "one-version-$1" [ "$(q "SELECT version FROM cases WHERE id = 6")|$(q "SELECT count(*) FROM audit")" = "$((v0 + 1))|$((a0 + 1))" ]
	page_to "\[~\] 待核验 +相关专业毕业证书" && pass "view-received-$1" || fail "view-received-$1" "the case view does not read 待核验"
	page_to "标记材料：相关专业毕业证书：缺少 → 待核验" && pass "history-$1" ||
		fail "history-$1" "the history does not name the document and its states"
	# Esc with a mark not saved asks; n leaves the case as it was.
	tui_keys v
	wait_for "材料：空格标记"
	select_doc 相关专业毕业证书
	tui_keys Space
	wait_for "1项标记尚未保存"
	tui_keys Escape
	expect "ask-$1" "有1项标记尚未保存。是否保存？"
	tui_keys n
	expect "not-saved-$1" "标记未保存，案件保持原样。"
	check "asked-nothing-$1" [ "$(q "SELECT version FROM cases WHERE id = 6")" = $((v0 + 1)) ]
	# Enter with nothing changed writes nothing.
	tui_keys v
	wait_for "材料：空格标记"
	tui_keys Enter
	expect "unchanged-marks-$1" "没有任何改动，因此未保存。"
	# An intake form saved unchanged writes nothing either.
	tui_keys e
	wait_for "实时评估"
	tui_keys F2
	expect "unchanged-form-said-$1" "案件6：没有任何改动，因此未保存。"
	check "unchanged-form-$1" [ "$(q "SELECT version FROM cases WHERE id = 6")|$(q "SELECT count(*) FROM audit WHERE action = 'case.update'")" = "$((v0 + 1))|0" ]
	tui_keys q
	wait_for 贺卫东
	tui_quit "quit-$1"
done
tui_done
