#!/bin/bash
# Filtering the queue: f opens the facets (status, region, outcome,
# direction); Space marks, with j/k or the arrows, or after / and a search
# that narrows the list; Enter applies; the queue then shows only the matching rows (checked
# against sqlite3), and says so when none match. Esc leaves the filter as it was.
. "$(dirname "$0")/lib.sh"

# The case numbers the queue shows, one per line.
rows_shown() { printf '%s\n' "$TUI_SCREEN" | sed -n "3,$((TUI_LINES - 3))p" | awk '$1 ~ /^[0-9]+$/ { print $1 }'; }
# check_rows NAME SQL-WHERE: the queue shows exactly the cases of the condition.
check_rows() {
	local name=$1 where=$2 want got
	want=$(sqlite3 "$db" "SELECT id FROM cases WHERE $where ORDER BY id" | tr '\n' ' ')
	got=$(rows_shown | tr '\n' ' ')
	if [ -n "$want" ] && [ "$want" = "$got" ]; then
		pass "$name"
	else
		fail "$name" "the queue shows [${got% }], expected [${want% }] ($where)"
		printf '%s\n' "$TUI_SCREEN" | sed 's/^/  | /'
	fi
}
# Waits for the title and the last facet: the list is drawn after the title,
# and a capture can fall between the two.
open_filter() { tui_keys f; wait_for "Filter: mark with Space, Enter to apply" && wait_for "T→S"; }
close_filter() { tui_keys Enter; wait_gone "Filter: mark with Space"; }

db=$(tui_demo_db)
# Two decided cases, from outside.
gt "$db" decide 7 --approve --note ok >/dev/null 2>&1
gt "$db" decide 11 --reject --note no >/dev/null 2>&1
tui_start 120 40 "$db"
expect start "贺卫东"

# A status, with j as on every list (issue 17: j was typed into a filter):
# draft is selected first, approved is 3 below.
open_filter
screen_has facets "[ ] draft" "[ ] approved" "[ ] Sichuan" "[ ] eligible" "[ ] S→T"
# Under LANG=C the regions are named, never shown by their codes.
screen_lacks facets-no-codes sichuan jiangsu chongqing guangzhou anshan
tui_keys j j j Space
expect mark-approved "[x] approved"
close_filter
wait_line "Filter: approved" && check_rows status-approved "status = 'approved'"
# The dialog keeps the marks; unmark approved; regions, after typing.
open_filter
expect marks-kept "[x] approved"
tui_keys Down Down Down Space
expect unmark-approved "[ ] approved"
mark() { # TEXT-TO-TYPE ITEM [KEYS...]: narrows the list, (moves,) marks ITEM
	local text=$1 item=$2; shift 2
	tui_keys /
	tui_type "$text"
	if wait_gone "[ ] draft" && tui_keys Enter "$@" Space && wait_for "[x] $item"; then
		tui_keys C-u
		wait_for "[ ] draft" && return 0
	fi
	fail "mark-$item" "could not mark $item after typing $text"
	tui_keys C-u
	return 1
}
# Typing the code still finds a region, and so does its name.
mark sichuan Sichuan
mark Jiangsu Jiangsu
close_filter
wait_line "Filter: Sichuan,Jiangsu" || fail regions-line "no filter line"
screen_lacks filter-line-no-codes sichuan jiangsu
check_rows regions "region IN ('sichuan', 'jiangsu')"
# And an outcome: the facets combine.
open_filter
mark not "not eligible" # only "not eligible" is left (a space would mark)
close_filter
expect none-match "No case matches the filter (f to change it)."
[ -z "$(rows_shown)" ] && pass none-match-empty || fail none-match-empty "rows shown: $(rows_shown | tr '\n' ' ')"
open_filter
tui_keys /
tui_type not
wait_gone "[ ] draft" && tui_keys Enter Space && wait_for "[ ] not eligible" || fail unmark "not eligible stays marked"
tui_keys C-u
# "eligible" leaves eligible and not eligible; the selection stays on the latter.
mark eligible eligible Up
close_filter
wait_line "Filter: Sichuan,Jiangsu; eligible" || fail combined-line "no filter line"
check_rows region-and-outcome "region IN ('sichuan', 'jiangsu') AND outcome = 'eligible'"
# Esc: the filter stays as it was.
open_filter
tui_keys Space # draft, the first item, is selected
wait_for "[x] draft" || fail esc-mark "Space did not mark draft"
tui_keys Escape
wait_gone "Filter: mark with Space"
wait_line "Filter: Sichuan,Jiangsu; eligible" || fail esc-line "the filter line changed"
check_rows esc-keeps "region IN ('sichuan', 'jiangsu') AND outcome = 'eligible'"
tui_quit
tui_done
