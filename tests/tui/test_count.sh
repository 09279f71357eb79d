#!/bin/bash
# Issue 16, item 5, under zh_CN.UTF-8 with 317 cases: the status line says
# how many cases the queue holds and which of them the page shows
# (共317件，第20–38件), through PgDn, PgUp, End, Home, j past the page, a
# jump, a filter and a void; the identity number is a column from 100
# columns up (not at 80); the long minority name is cut with "…" at a fixed
# width; no header label is ever cut, in any of the nine sort orders.
. "$(dirname "$0")/lib.sh"
zh_ready count-zh || { tui_done; exit; }

db=$(tui_db count)
tui_gen_cases 317 1 >"$TUI_TMP/cases.csv"
gt "$db" import "$TUI_TMP/cases.csv" 2>"$TUI_TMP/import.err" ||
	{ fail import "$(cat "$TUI_TMP/import.err")"; tui_done; exit 1; }
long="阿卜杜热合曼·买买提艾力·阿不都克热木·艾合买提江"
sqlite3 "$db" "UPDATE applicants SET name = '$long' WHERE id = (SELECT applicant_id FROM cases WHERE id = 3)"
id1=$(sqlite3 "$db" "SELECT id_number FROM applicants a JOIN cases c ON c.applicant_id = a.id WHERE c.id = 1")
status_line() { sed -n "$((TUI_LINES - 1))p" <<<"$TUI_SCREEN"; }
count_is() { # NAME TEXT: the status line ends in TEXT
	local line
	if wait_line "$2\$"; then
		line=$(status_line)
		[[ $line == *"$2" ]] && pass "$1" || fail "$1" "the status line is \"$line\""
	else
		fail "$1" "no \"$2\" at the end of a line"
	fi
}
header_whole() { # NAME: the header line has no cut label
	local h
	h=$(sed -n 2p <<<"$TUI_SCREEN")
	[[ $h != *…* && $h != *">"* ]] && pass "$1" || fail "$1" "a header label is cut: $h"
}

# ---- 80x24: 19 rows a page
tui_start 80 24 "$db" LC_ALL=zh_CN.UTF-8
expect start-80 "赵敏芳"
count_is first-80 "共317件，第1–19件"
tui_keys PageDown
count_is pgdn-80 "共317件，第20–38件"
tui_keys PageDown
count_is pgdn2-80 "共317件，第39–57件"
tui_keys PageUp
count_is pgup-80 "共317件，第20–38件"
tui_keys End # ESC[4~ from tmux
count_is end-80 "共317件，第299–317件"
tui_keys Home # ESC[1~ from tmux
count_is home-80 "共317件，第1–19件"
for ((i = 0; i < 19; i++)); do tui_keys j; done
count_is j-past-page-80 "共317件，第2–20件"
tui_keys :
wait_for "：" && tui_type 200 && tui_keys Enter
count_is jump-80 "共317件，第200–218件"
wait_stable
screen_lacks no-idnum-80 "身份证号码" "$id1"
row3() { grep -E '^ +3 ' <<<"$TUI_SCREEN"; }
tui_keys Home
wait_line "^ +3 阿卜杜" && [[ $(row3) == *"阿卜杜"*"…"* && $(row3) != *艾合买提江* ]] && pass long-name-80 ||
	fail long-name-80 "$(row3)"
# Every sort order: the header whole.
for ((k = 0; k < 9; k++)); do
	wait_stable
	header_whole "header-80-$k"
	tui_keys s
done
tui_keys '#'
wait_line "编号▲"
# A filter: the count is of the filter.
n_cq=$(sqlite3 "$db" "SELECT count(*) FROM cases WHERE region = 'chongqing'")
tui_keys f
wait_for "[ ] 草稿" && tui_type 重庆
wait_gone "[ ] 草稿" && tui_keys Enter Space && wait_for "[x] 重庆" && tui_keys Enter
count_is filter-80 "共${n_cq}件，第1–19件"
tui_keys f
wait_for "[x] 重庆" && tui_type 重庆
wait_gone "[ ] 草稿" && tui_keys Enter Space && wait_for "[ ] 重庆" && tui_keys Enter
count_is unfilter-80 "共317件，第1–19件"
# A void from outside: the count follows by itself.
gt "$db" void 5 --note 重复 >/dev/null 2>&1
count_is void-80 "共316件，第1–19件"
tui_quit quit-80

# ---- 120x40: 35 rows a page, the identity number a column
tui_start 120 40 "$db" LC_ALL=zh_CN.UTF-8
expect start-120 "赵敏芳"
count_is first-120 "共316件，第1–35件"
screen_has idnum-120 "身份证号码" "$id1"
tui_keys PageDown
count_is pgdn-120 "共316件，第36–70件"
tui_keys Home
wait_line "^ +3 阿卜杜" && [[ $(row3) == *"阿卜杜"*"…"* && $(row3) != *艾合买提江* ]] && pass long-name-120 ||
	fail long-name-120 "$(row3)"
wait_stable
# The identity number of case 3 is whole beside the cut name.
id3=$(sqlite3 "$db" "SELECT id_number FROM applicants a JOIN cases c ON c.applicant_id = a.id WHERE c.id = 3")
[[ $(row3) == *"$id3"* ]] && pass idnum-beside-long-120 || fail idnum-beside-long-120 "$(row3)"
for ((k = 0; k < 9; k++)); do
	wait_stable
	header_whole "header-120-$k"
	tui_keys s
done
tui_quit quit-120
tui_done
