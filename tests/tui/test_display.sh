#!/bin/bash
# What the screens are drawn with: Chinese display names under
# LC_ALL=zh_CN.UTF-8 (regions, outcomes, levels, honours in the queue, the
# case view and the filter dialog), English names under LC_ALL=C.UTF-8
# with LANGUAGE unset, never a code in a queue cell (the whole queue as
# expected at 80x24); colours by
# default, none with NO_COLOR=1 (attributes only: bold, reverse); no
# box-drawing characters with GUANTONG_ASCII=1; GUANTONG_TIMING's lines.
. "$(dirname "$0")/lib.sh"

db=$(tui_demo_db)
# The queue row of a case: "NUMBER NAME REGION ..." (by number and name).
row_of() { printf '%s\n' "$TUI_SCREEN" | grep -E "^ +$1 $2 "; }
row_has() { # NAME NUMBER PERSON REGEX...
	local name=$1 n=$2 who=$3 r t; shift 3
	r=$(row_of "$n" "$who")
	for t in "$@"; do
		grep -Eq -- "$t" <<<"$r" || { fail "$name" "the row of case $n lacks /$t/: $r"; return 1; }
	done
	pass "$name"
}

# ---- Chinese display names
chinese() {
tui_start 120 40 "$db" LC_ALL=zh_CN.UTF-8
wait_for 贺卫东
# (the outcome column has short names, from the catalogue: 符合, 不符合, 待补…)
row_has zh-row-1 1 魏秋菊 " 四川 " " 副高级 " " 符合"
row_has zh-row-2 2 孟立新 " 江苏 " " 特级技师"
row_has zh-row-6 6 方振华 " 重庆 " " 助理级 " "待补|条件符合"
row_has zh-row-7 7 田明亮 " 鞍山 " " 正高级 " " 符合"
row_has zh-row-13 13 贺卫东 " 广州 " " 不符合"
screen_lacks zh-no-codes " sichuan " " eligible " "needs_evidence" "deputy_senior"
# The case view of 田明亮: the honour by its Chinese name.
tui_keys j j j j j j Enter
wait_for "田明亮 · 210302198210227030"
screen_has zh-case "符合条件  正高级" "辽宁工匠"
tui_keys Escape
wait_for 贺卫东
tui_keys f
wait_for "[ ] 四川"
screen_has zh-filter "[ ] 重庆" "[ ] 广州"
wait_line "\\[ \\] 不?符合" 2 && pass zh-filter-outcome || fail zh-filter-outcome "no Chinese outcome in the filter dialog"
tui_keys Escape
wait_gone "[ ] 四川"
tui_quit zh-quit
}
zh_ready zh-catalogue && chinese

# ---- English at 80x24, as expected
# The queue's cells that are a region's or a level's code, or one cut short
# (principal_tec…): the cells under the Region and Level titles, by display
# column.
code_cells() { printf '%s\n' "$TUI_SCREEN" | python3 -S -c '
import sys, unicodedata as u
codes = set("chongqing anshan sichuan jiangsu guangzhou none junior intermediate senior "
            "senior_technician principal_technician chief_technician entry assistant "
            "deputy_senior full_senior".split())
w = lambda s: sum(2 if u.east_asian_width(c) in "WF" else 1 for c in s)
def cut(line, a, b):  # the text between display columns a and b
    out, col = "", 0
    for c in line:
        if a <= col < b:
            out += c
        col += w(c)
    return out.strip()
lines = sys.stdin.read().split("\n")
head = lines[1]
bounds = []
for title, after in (("Region", "Dir."), ("Level", "Outcome")):
    bounds.append((w(head[:head.index(title)]), w(head[:head.index(after)])))
rows = 0
for line in lines[2:]:
    if not line[:5].strip().isdigit():
        continue
    rows += 1
    for a, b in bounds:
        cell = cut(line, a, b)
        if cell in codes or (cell.endswith("\u2026") and any(k.startswith(cell[:-1]) for k in codes)):
            print(cell)
print("rows", rows)'; }
tui_start 80 24 "$db" LC_ALL=C.UTF-8
wait_for 贺卫东 && wait_stable
same_screen en-queue-80x24
row_has en-row-1 1 魏秋菊 " Sichuan " " deputy senior " " eligible " " submitted"
row_has en-row-2 2 孟立新 " Jiangsu " " princ. tech. "
cells=$(code_cells)
if [ "$cells" = "rows 13" ]; then pass en-no-codes; else
	fail en-no-codes "queue cells show codes: $(tr '\n' ' ' <<<"$cells")"; fi
screen_has en-labels "case queue (sorted by number)" "Filter: all cases" "/ search" "f filter"
screen_lacks en-no-chinese-names 四川 符合条件 副高级
tui_keys Enter
wait_for "Case 1 · 魏秋菊"
screen_has en-case "eligible  deputy senior level  green channel"
# The awards come after the applicant's facts and the route (issue 16, item 7).
for _ in 1 2 3 4 5 6; do
	wait_stable
	grep -qF "Green-channel awards" <<<"$TUI_SCREEN" && break
	tui_keys PgDn
done
screen_has en-case-awards "Green-channel awards"
tui_keys Escape
wait_for 贺卫东
tui_quit en-quit

# ---- colours, and NO_COLOR
# The colour parameters (30-49, 90-107; 39/49 are the defaults) of the screen's SGR sequences.
colours() { tui_capture_attrs | grep -oE $'\e\\[[0-9;]*m' | tr -d $'\e[m' | tr ';' '\n' |
	grep -E '^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$' | sort -u | tr '\n' ' '; }
attrs() { tui_capture_attrs | grep -oE $'\e\\[[0-9;]*m' | tr -d $'\e[m' | tr ';' '\n' | sort -u | tr '\n' ' '; }
tui_start 120 40 "$db"
wait_for 贺卫东 && wait_stable
c=$(colours)
[ -n "$c" ] && pass colour-default || fail colour-default "no colours by default (the check would prove nothing)"
tui_quit colour-quit
tui_start 120 40 "$db" NO_COLOR=1
wait_for 贺卫东 && wait_stable
c=$(colours) a=$(attrs)
[ -z "$c" ] && pass no-color-queue || fail no-color-queue "colour parameters with NO_COLOR=1: $c"
[[ " $a" == *" 7 "* && " $a" == *" 1 "* ]] && pass no-color-attrs || fail no-color-attrs "no reverse and bold: $a"
tui_keys f
wait_for "[ ] Sichuan" && wait_stable
c=$(colours)
[ -z "$c" ] && pass no-color-dialog || fail no-color-dialog "colour parameters with NO_COLOR=1: $c"
tui_keys Escape
wait_gone "[ ] Sichuan"
tui_keys Enter
wait_for "Case 1 · 魏秋菊" && wait_stable
c=$(colours)
[ -z "$c" ] && pass no-color-case || fail no-color-case "colour parameters with NO_COLOR=1: $c"
tui_keys Escape
wait_for 贺卫东
tui_quit no-color-quit

# ---- GUANTONG_ASCII=1: no box drawing anywhere
# Lines with characters of U+2500-U+259F (box drawing, block elements), the
# ellipsis or the sort arrows.
box_lines() { printf '%s\n' "$TUI_SCREEN" | python3 -c '
import sys
for line in sys.stdin:
    if any(0x2500 <= ord(c) <= 0x259F or c in "\u2026\u25b2\u25bc" for c in line):
        sys.stdout.write(line)'; }
no_box() { # NAME
	wait_stable
	local n
	n=$(box_lines | wc -l)
	if [ "$n" = 0 ]; then pass "$1"; else
		fail "$1" "$n lines with box-drawing characters with GUANTONG_ASCII=1"
		box_lines | sed 's/^/  | /'
	fi
}
# Without it, the same check finds the dialog's box (or it would prove nothing).
tui_start 80 24 "$db"
wait_for 贺卫东
tui_keys f
wait_for "[ ] draft" && wait_stable
[ "$(box_lines | wc -l)" -gt 10 ] && pass box-default || fail box-default "no box-drawing characters found without GUANTONG_ASCII"
tui_keys Escape
wait_gone "[ ] draft"
tui_quit box-default-quit
# (a long name, for a value cut short: the levels' names fit their column)
adb=$(tui_demo_db ascii)
sqlite3 "$adb" "UPDATE applicants SET name = '阿卜杜热合曼·买买提艾力·阿不都克热木·艾合买提江' WHERE id = (SELECT applicant_id FROM cases WHERE id = 3)"
tui_start 80 24 "$adb" GUANTONG_ASCII=1
wait_for 贺卫东
no_box ascii-queue
screen_has ascii-sort-mark "No.^"
# a value cut short ends in > rather than …
grep -Eq '^ +3 阿卜杜热合曼[^ ]*> ' <<<"$TUI_SCREEN" && pass ascii-cut || fail ascii-cut "$(grep -E '^ +3 ' <<<"$TUI_SCREEN")"
tui_keys f
wait_for "[ ] draft"
no_box ascii-filter
screen_has ascii-filter-box "+-Filter: mark with Space" "|"
tui_keys Escape
wait_gone "[ ] draft"
tui_keys Enter
wait_for "Case 1 · 魏秋菊"
no_box ascii-case
tui_keys v
wait_for "[R] [V]"
no_box ascii-evidence
tui_keys Escape
wait_gone "[R] [V]"
tui_keys Escape
wait_for 贺卫东
tui_keys i
wait_for "Live evaluation"
no_box ascii-intake
tui_keys Escape
wait_gone "Live evaluation"
tui_resize 60 20
wait_for "needs at least 80x24"
no_box ascii-too-small
tui_quit ascii-quit

# ---- GUANTONG_TIMING: the start-up and each key handled
tui_start 80 24 "$db" GUANTONG_TIMING="$TUI_TMP/timing.txt"
wait_for 贺卫东
tui_keys j j G
wait_line "^ +13 贺卫东" && sleep 0.3
tui_quit timing-quit
grep -Eq '^startup [0-9]+\.[0-9]{3}$' "$TUI_TMP/timing.txt" && pass timing-startup ||
	fail timing-startup "no startup line: $(head -c 300 "$TUI_TMP/timing.txt")"
# Each key line: its wall time, then its CPU time (the benchmarks' figure
# on a shared machine).
check timing-keys [ "$(grep -Ec '^key (106|71|113) [0-9]+\.[0-9]{3} [0-9]+\.[0-9]{3}$' "$TUI_TMP/timing.txt")" = 4 ]
tui_done
