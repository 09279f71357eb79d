#!/bin/bash
# The queue in English (LC_ALL=C.UTF-8, LANGUAGE unset): an empty real
# database offers to start empty, never to load examples; guantong --demo
# opens the demo cases in a database of their own; the screen as expected at
# 120x40, search by name and by identity-number prefix with n/N and wrapping,
# sorting, the help screen.
. "$(dirname "$0")/lib.sh"

# The case number of the first row of the queue (the screen's third line).
first_row() { printf '%s\n' "$TUI_SCREEN" | sed -n 3p | awk '{ print $1 }'; }
# The case number of the selected row (drawn on yellow: the C_SELECT pair).
selected_row() { tui_capture_attrs | grep -a $'\e\\[[0-9;]*43m' | head -n 1 | sed -E 's/\x1b\[[0-9;]*m//g' | awk '{ print $1 }'; }
# check_first NAME NUMBER STATUS-TEXT: after a search, the hit is the
# selected row, and the page stays still (issue 16, item 3: all 13 cases fit,
# so the first row is still case 1).
check_first() {
	local sel
	if wait_for "$3" && sel=$(selected_row) && [ "$sel" = "$2" ] && [ "$(first_row)" = 1 ]; then
		pass "$1"
	else
		fail "$1" "expected case $2 selected, the page still, and \"$3\"; first row is $(first_row), selected ${sel:-none}"
		printf '%s\n' "$TUI_SCREEN" | sed 's/^/  | /'
	fi
}
search() { tui_keys /; wait_for "Search (name, pinyin" && tui_type "$1" && tui_keys Enter; }

real=$(tui_db real)
tui_start 120 40 "$real"
expect empty-question "No cases yet: start empty? (examples: guantong --demo) (y/n)"
tui_keys n
st=$(wait_exit) && [ "$st" = 0 ] && pass empty-n-quits || fail empty-n-quits "exit status ${st:-none} after n"
check empty-stays-empty [ "$(sqlite3 "$real" 'SELECT count(*) FROM cases')" = 0 ]
tui_start 120 40 "$real"
expect empty-question-again "start empty?"
tui_keys y
expect empty-y-opens-the-queue "No cases yet: i takes in a new case."
tui_quit empty-quit
check empty-stays-empty-after-y [ "$(sqlite3 "$real" 'SELECT count(*) FROM cases')" = 0 ]

# guantong --demo: a database of its own beside the default one.
xdg=$TUI_TMP/xdg
db=$xdg/guantong/demo.db
tui_start 120 40 --demo XDG_DATA_HOME="$xdg"
expect demo-title "(demo database)"
# The whole screen (times and the user masked).
wait_for "贺卫东" && same_screen queue-120x40
check demo-count [ "$(sqlite3 "$db" 'SELECT count(*) FROM cases')" = 13 ]
check demo-not-default [ ! -e "$xdg/guantong/cases.db" ]

# Search by name: the first match from the selected row on, then n, N.
search 马雪梅
check_first search-name 4 "Case 4: 马雪梅"
tui_keys n
check_first search-next 12 "Case 12: 马雪梅"
tui_keys n
check_first search-wrap 4 "Search wrapped around."
tui_keys N
check_first search-prev-wrap 12 "Search wrapped around."
tui_keys N
check_first search-prev 4 "Case 4: 马雪梅"
# A name nobody has.
search 李
expect search-none 'No case matches "李".'

# By identity-number prefix, from the top (g), then n.
tui_keys g
wait_gone 'No case matches'
search 3206
check_first search-id 2 "Case 2: 孟立新"
tui_keys n
check_first search-id-next 5 "Case 5: 朱明亮"
# A lower-case check character matches its upper-case form.
tui_keys g
search 50010319920101776x
check_first search-id-x 9 "Case 9: 潘春生"
# n without a search in a fresh workstation is said to need one: below.

# Sorting: s cycles the order; the title says it, the column has the arrow.
tui_keys g s
expect sort-name "(sorted by name)"
# In pinyin order (issue 16, item 4): 方振华 first, 朱明亮 last.
check sort-name-first [ "$(first_row)" = 6 ]
screen_has sort-name-arrow "Name▲"
tui_keys S
expect sort-desc "(sorted by name, descending)"
check sort-desc-first [ "$(first_row)" = 5 ]
screen_has sort-desc-arrow "Name▼"
tui_keys S s
expect sort-region "(sorted by region)"
want=$(sqlite3 "$db" 'SELECT id FROM cases ORDER BY region, id LIMIT 1')
check sort-region-first [ "$(first_row)" = "$want" ]
screen_has sort-region-arrow "Region▲"
tui_keys s s s
expect sort-outcome "(sorted by outcome)"
want=$(sqlite3 "$db" 'SELECT id FROM cases ORDER BY outcome, id LIMIT 1')
check sort-outcome-first [ "$(first_row)" = "$want" ]
tui_keys s s
expect sort-assignee "(sorted by assignee)"
tui_keys s s
expect sort-number "(sorted by number)"
check sort-number-first [ "$(first_row)" = 1 ]

# The help screen, from the one table of keys; Esc back.
tui_keys '?'
expect help "search: any part of the name, its pinyin or initials"
screen_has help-keys "next match of the search" "filter by status, region, outcome and direction"
tui_keys Escape
wait_gone "identity-number prefix" && wait_for "贺卫东" && pass help-back || fail help-back "Esc did not return to the queue"
tui_quit

# A new workstation: n before any search says how to start one.
tui_start 120 40 "$db"
wait_for "贺卫东"
tui_keys n
expect next-without-search "No search yet: / starts one."
tui_quit quit-2
tui_done
