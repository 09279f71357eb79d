#!/bin/bash
# The statistics screen (t) and the 到期 list (d) from the queue, at 80x24
# under zh_CN.UTF-8 and with NO_COLOR=1 (issue 18, items 3 and 4): the
# figures against sqlite3's counts, bars of one chart starting in one
# column and every line within 80 columns (wide characters counted), the
# screen scrolling and following a decision taken elsewhere, no colour
# under NO_COLOR; the 到期 list the same cases, in the same order, as
# `guantong due --within N`, N changed with d, a case opened with Enter and
# the list exported with x like any filter.
. "$(dirname "$0")/lib.sh"

zh_ready zh-locale || { tui_done; exit; }
db=$(tui_demo_db)
# Five cases waiting one year in the region, falling due in 5, 10, 20, 40
# and 300 days.
python3 - "$GT_SRC/fixtures/demo.csv" "$TUI_TMP/due.csv" "$(date +%F)" <<'EOF'
import csv, sys, datetime
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8')))
h, body = rows[0], rows[1:]
ix = {k: i for i, k in enumerate(h)}
def idnum(b):
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return b + '10X98765432'[sum(int(a) * c for a, c in zip(b, w)) % 11]
today = datetime.date.fromisoformat(sys.argv[3])
gz = [r for r in body if r[0] == 'gz-comp-s2t-region-1y-day-before'][0]
out = [h]
# The sixth, applied for ten days ago, falls due today (已到期).
for n, d in enumerate([5, 10, 20, 40, 300, 0]):
    r = list(gz)
    due = today + datetime.timedelta(days=d)
    r[ix['region_work_start']] = due.replace(year=due.year - 1).isoformat()
    r[ix['application_date']] = (today - datetime.timedelta(days=10 if d == 0 else 0)).isoformat()
    r[ix['id_number']] = idnum('44010619800101%03d' % (900 + n))
    r[ix['case_ref']] = 'due-%d' % d
    r[ix['name']] = ['甲一', '乙二', '丙三', '丁四', '戊五', '己六'][n]
    out.append(r)
csv.writer(open(sys.argv[2], 'w', encoding='utf-8', newline=''), lineterminator='\n').writerows(out)
EOF
gt "$db" import "$TUI_TMP/due.csv" >/dev/null 2>&1 || fail import "the due cases"
gt "$db" decide 7 --approve --note ok >/dev/null 2>&1
gt "$db" decide 11 --reject --note no >/dev/null 2>&1
q() { sqlite3 "$db" "$1"; }

# The lines of one chart: from its title to the next blank line.
block() { printf '%s\n' "$TUI_SCREEN" | awk -v t="$1" 'index($0, t) == 1 { on = 1; next } on && /^ *$/ { exit } on'; }
# Every line within 80 columns, and each chart's bars starting in one column.
layout_ok() {
	printf '%s\n' "$TUI_SCREEN" | python3 -c '
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
col, bad = None, []
for line in sys.stdin.read().split("\n"):
    if width(line) > 80:
        bad.append("wider than 80: " + line)
    if not line.startswith("  "):
        col = None
        continue
    i = min([j for j in (line.find("█"), line.find("▏"), line.find("▎"), line.find("▍"), line.find("▌"),
                         line.find("▋"), line.find("▊"), line.find("▉"), line.find("#")) if j > 0], default=-1)
    if i > 0:
        w = width(line[:i])
        if col is None:
            col = w
        elif w != col:
            bad.append("bar at %d, not %d: %s" % (w, col, line))
print("\n".join(bad))
sys.exit(1 if bad else 0)'
}
# The colour parameters of the screen's SGR sequences (as test_display).
colours() { tui_capture_attrs | grep -oE $'\e\\[[0-9;]*m' | tr -d $'\e[m' | tr ';' '\n' |
	grep -E '^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$' | sort -u | tr '\n' ' '; }

# ---- the statistics screen
tui_start 80 24 "$db" LC_ALL=zh_CN.UTF-8
expect queue "案件列表"
tui_keys t
expect stats-title "guantong — 统计"
expect stats-region "按地区统计案件"
n=$(q "SELECT count(*) FROM cases")
screen_has stats-total "共${n}个案件"
declare -A region_zh=([chongqing]=重庆 [anshan]=鞍山 [sichuan]=四川 [jiangsu]=江苏 [guangzhou]=广州)
want="" got=""
while IFS='|' read -r code k; do
	want+="${region_zh[$code]} $k;"
	got+="$(block 按地区统计案件 | awk -v r="${region_zh[$code]}" '$1 == r { printf "%s %s;", $1, $2 }')"
done < <(q "SELECT region, count(*) FROM cases GROUP BY region ORDER BY region")
[ "$got" = "$want" ] && pass stats-region-counts || fail stats-region-counts "screen [$got], sqlite3 [$want]"
layout_ok >"$TUI_TMP/layout" && pass stats-layout || fail stats-layout "$(cat "$TUI_TMP/layout")"
[ -n "$(colours)" ] && pass stats-colour || fail stats-colour "no colour without NO_COLOR (the NO_COLOR check would prove nothing)"
# Scrolling: the end shows the time to decision, the start is gone.
tui_keys G
expect stats-end "从受理到决定的时间"
screen_lacks stats-scrolled "共${n}个案件"
decided=$(q "SELECT count(*) FROM cases c JOIN decisions d ON d.id = c.decision_id WHERE d.action IN ('approve', 'reject')")
screen_has stats-decided "已决定${decided}个案件"
layout_ok >"$TUI_TMP/layout" && pass stats-layout-end || fail stats-layout-end "$(cat "$TUI_TMP/layout")"
# A decision taken elsewhere shows within the refresh.
gt "$db" decide 2 --approve --note ok >/dev/null 2>&1
expect stats-follows "已决定$((decided + 1))个案件" 10
tui_keys g
expect stats-top "共${n}个案件"
tui_keys PgDn
wait_gone "共${n}个案件" && pass stats-pgdn || fail stats-pgdn "PgDn did not scroll"
tui_keys q
expect stats-back "案件列表"
screen_lacks stats-closed "按地区统计案件"

# ---- the 到期 list
# The cases and their order as `due` lists them: "case name" per line.
due_list() { gt "$db" due --within "$1" --format csv | tail -n +2 | tr -d '\r' | awk -F, '{ print $3, $4 }'; }
# The list's rows on the screen: "case name" per line.
rows_shown() { printf '%s\n' "$TUI_SCREEN" | sed -n '3,22p' | awk '$1 ~ /^[0-9][0-9][0-9][0-9]-/ { print $3, $4 }'; }
tui_keys d
expect due-title "30天内到期"
want=$(due_list 30)
got=$(rows_shown)
[ -n "$want" ] && [ "$got" = "$want" ] && pass due-30 || fail due-30 "screen [$got], due [$want]"
screen_has due-names 甲一 乙二 丙三
screen_lacks due-not-40 丁四
layout_ok >"$TUI_TMP/layout" && pass due-layout || fail due-layout "$(cat "$TUI_TMP/layout")"
# Days in words where a number would read oddly: a case due today reads
# 已到期, the demo's case 13 (due on a 2024 date) 逾期N天, no row "-887".
due_row() { printf '%s\n' "$TUI_SCREEN" | grep -- "$1" | head -n 1; }
due_row 己六 | grep -q ' 已到期 ' && pass due-today || fail due-today "row [$(due_row 己六)]"
over=$(gt "$db" due --within 30 --format csv | tr -d '\r' | awk -F, '$3 == 13 { print $1 }')
days=$(python3 -c 'import datetime, sys; print((datetime.date.today() - datetime.date.fromisoformat(sys.argv[1])).days)' "$over")
due_row 贺卫东 | grep -q " 逾期${days}天 " && pass due-overdue || fail due-overdue "row [$(due_row 贺卫东)], ${days} days"
printf '%s\n' "$TUI_SCREEN" | sed -n '3,22p' | awk '$1 ~ /^[0-9][0-9][0-9][0-9]-/ { print $2 }' | grep -q -- '^-' &&
	fail due-no-negative "a negative number of days" || pass due-no-negative
# The first rows are by date: those due already (the demo's), then 5, 10, 20 days.
printf '%s\n' "$TUI_SCREEN" | sed -n '3,22p' | awk '$1 ~ /^[0-9][0-9][0-9][0-9]-/ { print $1 }' | sort -c &&
	pass due-sorted || fail due-sorted "not by date"
tui_keys d
expect due-ask "查看多少天内到期的案件"
tui_keys C-u
tui_type 60
tui_keys Enter
expect due-60 "60天内到期"
want=$(due_list 60)
got=$(rows_shown)
[ "$got" = "$want" ] && pass due-60-rows || fail due-60-rows "screen [$got], due [$want]"
screen_has due-40 丁四
# Exported like any filter: the cases of `due --within 60`.
tui_keys x
expect due-export-ask "导出到"
tui_keys C-u
tui_type "$TUI_TMP/due-x.csv"
tui_keys Enter
expect due-exported "导出到$TUI_TMP/due-x.csv" 20
xids=$(python3 -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
c = rows[0].index("case_id") if "case_id" in rows[0] else [i for i, h in enumerate(rows[0]) if "案件编号" in h or h == "编号"][0]
print(" ".join(sorted((r[c] for r in rows[1:]), key=int)))' "$TUI_TMP/due-x.csv" 2>&1)
wids=$(due_list 60 | cut -d' ' -f1 | sort -n | tr '\n' ' ')
[ "$xids " = "$wids" ] && pass due-export-cases || fail due-export-cases "exported [$xids], due [$wids]"
[ "$(stat -c %a "$TUI_TMP/due-x.csv")" = 600 ] && pass due-export-0600 || fail due-export-0600 "mode $(stat -c %a "$TUI_TMP/due-x.csv")"
# Enter opens the selected case; q comes back to the list.
first=$(rows_shown | head -n 1)
[ -n "$first" ] || fail due-first "no row"
tui_keys Enter
expect due-open "案件${first%% *}"
tui_keys q
expect due-back "60天内到期"
tui_keys q
expect due-queue "案件列表"
tui_quit

# ---- NO_COLOR=1: the same screens without colour
tui_start 80 24 "$db" LC_ALL=zh_CN.UTF-8 NO_COLOR=1
expect nc-queue "案件列表"
tui_keys t
expect nc-stats "按地区统计案件" && wait_stable
c=$(colours)
[ -z "$c" ] && pass nc-stats-mono || fail nc-stats-mono "colour parameters with NO_COLOR=1: $c"
screen_has nc-stats-bars "█"
layout_ok >"$TUI_TMP/layout" && pass nc-stats-layout || fail nc-stats-layout "$(cat "$TUI_TMP/layout")"
tui_keys q
expect nc-back "案件列表"
tui_keys d
expect nc-due "30天内到期" && wait_stable
c=$(colours)
[ -z "$c" ] && pass nc-due-mono || fail nc-due-mono "colour parameters with NO_COLOR=1: $c"
tui_keys q
expect nc-due-back "案件列表"
tui_quit nc-quit
tui_done
