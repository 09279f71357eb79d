#!/bin/bash
# Moving through a queue of 300 cases at 80x24 (19 rows a page): PgDn,
# PgUp, End, Home, j/k past the page's edge, each page checked against
# sqlite3's order; the same under a sort by name and under a filter. And
# the live refresh: a case imported by another process appears by itself.
. "$(dirname "$0")/lib.sh"

db=$(tui_db paging)
tui_gen_cases 300 1 >"$TUI_TMP/cases.csv"
gt "$db" import "$TUI_TMP/cases.csv" 2>"$TUI_TMP/import.err" ||
	{ fail import "$(cat "$TUI_TMP/import.err")"; tui_done; exit 1; }
check imported [ "$(sqlite3 "$db" 'SELECT count(*) FROM cases')" = 300 ]

rows_shown() { printf '%s\n' "$TUI_SCREEN" | sed -n "3,$((TUI_LINES - 3))p" | awk '$1 ~ /^[0-9]+$/ { print $1 }' | tr '\n' ' '; }
# page NAME SQL: after the keys sent, the queue shows the ids SQL gives (in order).
page() {
	local name=$1 want got
	want=$(sqlite3 "$db" "$2" | tr '\n' ' ')
	local end=$((SECONDS + TUI_TIMEOUT))
	while :; do
		TUI_SCREEN=$(tui_capture)
		got=$(rows_shown)
		[ "$got" = "$want" ] && { pass "$name"; return 0; }
		[ $SECONDS -ge $end ] && break
		sleep $TUI_POLL
	done
	fail "$name" "the queue shows [$got], expected [$want]"
	printf '%s\n' "$TUI_SCREEN" | sed 's/^/  | /'
}
by_id() { echo "SELECT id FROM cases ORDER BY id LIMIT ${2:-19} OFFSET $1"; }

tui_start 80 24 "$db"
wait_for "Filter: all cases"
page first-page "$(by_id 0)"
tui_keys PageDown
page pgdn "$(by_id 19)"
tui_keys PageDown PageDown
page pgdn-3 "$(by_id 57)"
tui_keys PageUp
page pgup "$(by_id 38)"
tui_keys End
page end "$(by_id 281)"
tui_keys PageDown # nothing after the last page
page pgdn-at-end "$(by_id 281)"
tui_keys Home
page home "$(by_id 0)"
# j down to the page's last row, then once more: the page moves by one.
for i in $(seq 18); do tui_keys j; done
tui_keys j
page j-scrolls "$(by_id 1)"
tui_keys C-f # ^F is page down too
page ctrl-f "$(by_id 20)"
# A new page selects its first row: k there moves the page back by one.
tui_keys k
page k-scrolls "$(by_id 19)"
for i in $(seq 18); do tui_keys k; done
page k-scrolls-18 "$(by_id 1)"
tui_keys G
page G "$(by_id 281)"
tui_keys g
page g "$(by_id 0)"

# Sorted by name: pages in name order (the stored ICU "zh" keys: pinyin
# order; ties by number), End, Home.
tui_keys s
wait_for "(sorted by name)"
by_name="SELECT case_id FROM case_keys ORDER BY name_key, case_id"
page name-first "$by_name LIMIT 19"
tui_keys PageDown
page name-pgdn "$by_name LIMIT 19 OFFSET 19"
tui_keys End
page name-end "$by_name LIMIT 19 OFFSET 281"
tui_keys S # descending
wait_for "(sorted by name, descending)"
page name-desc "SELECT case_id FROM case_keys ORDER BY name_key DESC, case_id DESC LIMIT 19"
tui_keys '#' # back to number order in one key (issue 16, item 4)
wait_for "(sorted by number)"

# Under a filter (Sichuan: 60 cases): pages of the matching rows only.
tui_keys f
wait_for "[ ] draft"
tui_keys /
tui_type sichuan
wait_gone "[ ] draft" && tui_keys Enter Space && wait_for "[x] Sichuan"
tui_keys Enter
wait_for "Filter: Sichuan"
page filter-first "SELECT id FROM cases WHERE region = 'sichuan' ORDER BY id LIMIT 19"
tui_keys PageDown
page filter-pgdn "SELECT id FROM cases WHERE region = 'sichuan' ORDER BY id LIMIT 19 OFFSET 19"
tui_keys End
page filter-end "SELECT id FROM cases WHERE region = 'sichuan' ORDER BY id LIMIT 19 OFFSET 41"

# The live refresh: another process imports a Sichuan case; it appears.
tui_gen_cases 5 301 | awk 'NR == 1 || /,sichuan,/' >"$TUI_TMP/more.csv"
gt "$db" import "$TUI_TMP/more.csv" 2>/dev/null
page live-refresh "SELECT id FROM cases WHERE region = 'sichuan' ORDER BY id LIMIT 19 OFFSET 41"
tui_keys End
page live-refresh-end "SELECT id FROM cases WHERE region = 'sichuan' ORDER BY id LIMIT 19 OFFSET 42"
tui_quit
tui_done
