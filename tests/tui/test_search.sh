#!/bin/bash
# Issue 16, items 3 and 4: "/" finds any part of the name (雪梅), its pinyin
# (maxuemei) and initials (mxm), the start of a case number (13), of a
# case_ref and of an identity number, each case once; the page stays still
# when the match is on it and the "搜索：" label goes with the next key.
# Names sort in pinyin order (ICU's zh collator), levels by rank, and # goes
# back to number order in one key. zh_CN.UTF-8, at 80x24 and 120x40.
. "$(dirname "$0")/lib.sh"
zh_ready search-zh || { tui_done; exit; }
db=$(tui_demo_db search)

# The case numbers of the queue's rows, in order.
rows() { printf '%s\n' "$TUI_SCREEN" | sed -n '3,$p' | awk '$1 ~ /^[0-9]+$/ { printf "%s ", $1 }'; }
# The names of the queue's rows, in order.
names() { printf '%s\n' "$TUI_SCREEN" | sed -n '3,$p' | awk '$1 ~ /^[0-9]+$/ { printf "%s ", $2 }'; }
selected_row() { tui_capture_attrs | grep -a $'\e\\[[0-9;]*43m' | head -n 1 | sed -E 's/\x1b\[[0-9;]*m//g' | awk '{ print $1 }'; }
search() { tui_keys /; wait_for "搜索（" && tui_type "$1" && tui_keys Enter; }
# found NAME NUMBER TEXT: the hit is selected, the page still (case 1 first).
found() {
	local sel
	if wait_for "$3" && sel=$(selected_row) && [ "$sel" = "$2" ] && [ "$(rows | awk '{ print $1 }')" = 1 ]; then
		pass "$1"
	else
		fail "$1" "expected case $2 selected with \"$3\", the page still; selected ${sel:-none}, rows $(rows)"
	fi
}

for size in "80 24" "120 40"; do
	set -- $size
	tag=w$1
	tui_start "$1" "$2" "$db" LC_ALL=zh_CN.UTF-8
	wait_for "贺卫东"
	search 雪梅
	found $tag-given-name 4 "案件4：马雪梅"
	screen_has $tag-label "搜索：雪梅"
	tui_keys n
	found $tag-given-name-next 12 "案件12：马雪梅"
	tui_keys j
	wait_gone "搜索：雪梅" && pass $tag-label-goes || fail $tag-label-goes "the search label stays"
	search mxm
	found $tag-initials 4 "案件4：马雪梅"
	tui_keys n
	found $tag-initials-next 12 "案件12：马雪梅"
	tui_keys n
	found $tag-initials-once 4 "已绕回另一端继续搜索。"
	search maxuemei
	found $tag-pinyin 4 "案件4：马雪梅"
	search XUEMEI
	found $tag-pinyin-part 4 "案件4：马雪梅"
	search 13
	found $tag-case-number 13 "案件13：贺卫东"
	search cq-t2s-direct
	found $tag-case-ref 11 "案件11：冯燕妮"
	search 3206
	found $tag-id-prefix 2 "案件2：孟立新"
	search 李
	expect $tag-none "没有与“李”匹配的案件。"

	# s: by name, in pinyin order.
	tui_keys s
	wait_for "按姓名排序"
	check $tag-pinyin-order [ "$(names)" = "方振华 冯燕妮 贺卫东 廖淑芬 马雪梅 马雪梅 孟立新 潘春生 钱思远 田明亮 汪晓东 魏秋菊 朱明亮 " ]
	# by region: its title keeps room for the arrow (item 5: never "地…").
	tui_keys s
	wait_for "按地区排序"
	screen_has $tag-sort-label-whole "地区▲"
	# by level: by rank (高级工 before 特级技师; 助理级, 副高级, 正高级).
	tui_keys s s
	wait_for "按等级排序"
	wait_stable
	check $tag-level-rank [ "$(rows)" = "3 12 13 4 10 11 2 6 1 5 8 9 7 " ]
	# # : number order in one key.
	tui_keys '#'
	wait_for "按编号排序"
	wait_stable
	check $tag-back-to-number [ "$(rows)" = "1 2 3 4 5 6 7 8 9 10 11 12 13 " ]
	tui_quit $tag-quit
done
tui_done
