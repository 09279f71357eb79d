#!/bin/bash
# Issue 17's intake, as a new clerk meets it under zh_CN.UTF-8 at 80x24:
# the page indicator (n/7 and the page's name, every page named), ? and F1
# open the help from a text field, pick lists show Chinese names without
# codes and keep j/k for moving, the form's labels in its messages, the
# identity number described (not "corrected"), the two questions that start
# unanswered, competitions chosen in four steps. Then the must-show: a
# Chongqing 高级工 worker applying for 助理级, typed with the IME's full-width
# punctuation and the date 20220115, saved and read back with sqlite3.
. "$(dirname "$0")/lib.sh"

# The live panel: what is right of the form's separator.
panel() { printf '%s\n' "$TUI_SCREEN" | grep '│' | sed 's/^.*│//'; }
# The status line (above the footer).
status_line() { printf '%s\n' "$TUI_SCREEN" | tail -n 2 | head -n 1; }

zh_ready zh-catalogue || { tui_done; exit; }
db=$(tui_db zh)
tui_start 80 24 "$db" LC_ALL=zh_CN.UTF-8
wait_for "guantong --demo" || fail start "no question about starting empty"
tui_keys y
wait_gone "guantong --demo"
tui_keys i
wait_line '^ +│' || fail open "no intake form after i"

# Item 1: where the clerk is, and every page named at 80 columns.
wait_for "第1/7页 申请人" && screen_has page-indicator "5 荣誉和竞赛" "6 材料"
# Item 2: ? in the name field opens the help (nothing typed), F1 too; the
# footer says both.
screen_has footer-help "?/F1 帮助"
tui_keys '?'
expect help-question "本屏幕的按键"
tui_keys q
wait_for "第1/7页"
if [[ $(printf '%s\n' "$TUI_SCREEN" | grep '^姓名') == *'?'* ]]; then
	fail help-not-typed "? was typed into the name field"
else
	pass help-not-typed
fi
tui_type 李四
tui_keys Tab F1
expect help-f1 "本屏幕的按键"
tui_keys q
wait_for "第1/7页"

# Item 5: a number that does not check says what it encodes, never the
# "right" last character.
tui_type 500103198804121230
if wait_for "未通过校验" && [[ $(status_line) == *出生日期1988-04-12，男* && $(status_line) != *校验码应为* ]]; then
	pass id-does-not-check
else
	fail id-does-not-check "no description of the number: $(status_line)"
fi
# A Sichuan number is described as such; once the region is 重庆, a warning.
tui_keys C-u
tui_type 510104198503151239
if wait_for "身份证号码通过校验" && [[ $(status_line) == *签发地四川省（510104）* ]]; then
	pass id-checks
else
	fail id-checks "$(status_line)"
fi
tui_keys Tab Tab
# Page 2: the region's list has Chinese names without codes.
wait_for "第2/7页 申报信息"
tui_keys Enter
wait_for "地区：按Enter选择"
screen_has region-names 重庆 鞍山 四川 江苏 广州 && screen_lacks region-no-codes "(chongqing)" chongqing
# j moves in a list (it is not typed into a hidden filter).
tui_keys j k Enter
wait_gone "地区：按Enter选择"
if wait_line '^地区 +重庆 +│'; then pass region-chosen; else fail region-chosen "the region is not 重庆"; fi
tui_keys Tab
if wait_for "签发地为四川省，不在案件所属地区重庆"; then pass id-region-warning; else fail id-region-warning "no warning"; fi
wait_for "身份证号码非重庆签发" && pass id-region-panel || fail id-region-panel "the panel does not say it"
# Back to page 1 for the Chongqing number of the must-show case.
tui_keys PageUp
wait_for "第1/7页"
tui_keys Down
tui_keys C-u
tui_type 500103198804121238
wait_for "签发地重庆市（500103）"
tui_keys PageDown
wait_for "第2/7页"
# Item 8: the occupation code from the Jiangsu 指导目录, searched in Chinese;
# the series' own occupations come first.
tui_keys Tab Tab Tab Enter
if wait_for "江苏《指导目录》" && screen_has occupation-list "本系列（工程）对应的职业（工种）" "4-02-01  轨道交通运输服务人员"; then
	tui_type 工业视觉
	wait_gone "轨道交通运输服务人员"
	tui_keys Enter Enter
	wait_gone "本系列（工程）对应"
	wait_line '^职业（工种）代码 +6-31-01-11' && pass occupation-picked || fail occupation-picked "not 6-31-01-11"
fi
# Free entry stays: the code as the IME types it (full-width digits and dash).
tui_keys C-u
tui_type '６－３１－０３'
tui_keys Tab
# The level applied for: 助理级, found by typing Chinese into the list.
tui_keys Enter
wait_for "申报层级：按Enter选择" || wait_for "按Enter选择"
tui_type 助理
wait_for "搜索："
tui_keys Enter Enter
wait_gone "搜索："
wait_line '^申报层级 +助理级' && pass requested "" || fail requested "not 助理级"

# Page 3: 高级工 since 20220115; 专业（职业）对应 starts unanswered.
tui_keys PageDown
wait_for "第3/7页 现有等级"
screen_has related-unanswered "（未回答：按空格）"
tui_keys Enter
wait_for "按Enter选择"
tui_type 高级工
wait_for "搜索："
tui_keys Enter Enter
wait_line '^现有技能等级 +高级工' || fail skill "not 高级工"
tui_keys Tab
tui_type 20220115
tui_keys Tab
wait_for "2022-01-15" && pass skill-date || fail skill-date "20220115 not read as 2022-01-15"
tui_keys Tab Tab
# The panel claims nothing while a question is unanswered.
wait_for "专业（职业）对应：尚未回答"
if panel | grep -q '符合'; then
	fail panel-unanswered "the live panel claims eligibility before the questions are answered"
else
	pass panel-unanswered
fi
tui_keys Space
wait_line '^专业（职业）对应 +是'
# Page 4: 在本地区就业 unanswered too; a full-width date and count.
tui_keys PageDown
wait_for "第4/7页 工作等情况"
tui_type '2010／3／1'
tui_keys Tab
tui_type '３'
tui_keys Tab Tab
wait_for "在本地区就业：尚未回答"
# F2 now refuses and says why.
tui_keys F2
wait_line "在本地区就业：尚未回答" && screen_lacks save-refused "符合条件"
tui_keys Space
wait_gone "在本地区就业：尚未回答" && pass employed-answered || fail employed-answered "still unanswered"

# Item 4: a competition result in four steps, full-width place number.
tui_keys PageDown
wait_for "第5/7页 荣誉和竞赛" && screen_has page-indicator-5 "7 核对并保存"
# A long list (the honours): j moves, ? opens the help; nothing is typed
# into a hidden filter, and the search line says how to search.
tui_keys Enter
wait_for "（按/搜索）" || fail honours-list "no honours list with its search line"
tui_keys j '?'
expect pick-help "本屏幕的按键"
tui_keys q
wait_for "（按/搜索）" && screen_lacks pick-j-not-typed "搜索：j" "没有符合搜索的项"
tui_keys Escape
wait_gone "（按/搜索）"
tui_keys Down
tui_keys Enter
wait_for "＋ 添加一项竞赛成绩" || fail comps-list "no competitions list"
tui_keys Enter
wait_for "竞赛（1/4）"
tui_type 重庆
wait_for "中国·重庆职业技能大赛"
tui_keys Enter Enter
wait_for "成绩或名次（2/4）"
tui_type 名次
tui_keys Enter Enter
wait_for "名次（1—999）："
tui_type '２'
tui_keys Enter
wait_for "参赛身份（3/4）"
tui_keys Enter
wait_for "参赛人数（4/4）"
tui_keys Enter
wait_for "中国·重庆职业技能大赛、第2名" && pass comps-picked || fail comps-picked "the entry is not listed"
tui_keys Escape
if wait_line '^竞赛成绩 +中国·重庆职业技能大赛、第2名'; then pass comps-field; else fail comps-field "not shown on the form"; fi

# Page 7: the review, then F2.
tui_keys PageDown PageDown
wait_for "第7/7页 核对并保存"
screen_has review 李四 500103198804121238 重庆 高级工 2022-01-15 助理级 6-31-03
screen_lacks review-no-codes chongqing skill_to_title assistant
tui_keys F2
if wait_line "^ +1 李四 +重庆"; then pass saved; else fail saved "the queue does not show case 1"; fi
tui_quit quit

row=$(sqlite3 "$db" "SELECT region, direction, occupation_code, requested_level, i.skill_level, i.skill_date,
	related, i.work_start, appraisals_passed, employed_in_region,
	(SELECT group_concat(competition || ':' || result || ':' || role || ':' || team_size)
	 FROM case_competitions WHERE case_id = 1) FROM cases JOIN case_inputs i ON i.case_id = id WHERE id = 1" 2>&1)
want="chongqing|skill_to_title|6-31-03|assistant|senior|2022-01-15|1|2010-03-01|3|1|chongqing_skills:rank2:winner:1"
if [ "$row" = "$want" ]; then pass stored; else fail stored "sqlite3 shows $row, not $want"; fi
tui_done
