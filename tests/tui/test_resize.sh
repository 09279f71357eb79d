#!/bin/bash
# Resizing: the queue, a case and the filter dialog from 120x40 to 80x24 and
# back; each time the screen is the one a workstation started at that size
# draws (no garbage left of the other size), and as expected. Too small
# (60x20): "needs at least 80x24", keys wait; larger again, the screen
# returns as it was; q quits from the message, also when started too small.
. "$(dirname "$0")/lib.sh"

db=$(tui_demo_db)
# fresh VAR COLS LINES TEXT KEYS...: VAR gets the screen (masked) of a new
# workstation at that size after KEYS, once it shows TEXT.
fresh() {
	local var=$1 cols=$2 lines=$3 want=$4; shift 4
	tui_start "$cols" "$lines" "$db"
	wait_for "贺卫东" >/dev/null
	[ $# -gt 0 ] && tui_keys "$@"
	wait_for "$want" >/dev/null && wait_stable
	printf -v "$var" '%s' "$(printf '%s\n' "$TUI_SCREEN" | tui_mask)"
	tui_tmux kill-server
}
same_as() { screen_is "$@"; }

fresh q120 120 40 贺卫东
fresh q80 80 24 贺卫东
fresh c120 120 40 History Enter G
fresh c80 80 24 History Enter G


tui_start 120 40 "$db"
wait_for "贺卫东" && wait_stable
same_screen resize-queue-120x40
same_as queue-120x40 "$q120"
tui_resize 80 24
wait_line "^ +13 贺卫东" && same_as queue-to-80x24 "$q80"
same_screen resize-queue-80x24
tui_resize 120 40
wait_for "Last change" && same_as queue-back-to-120x40 "$q120"

# The case view (at its end): the document is wrapped anew for the width;
# End shows the same end as a workstation started at that size.
tui_keys Enter G
wait_for History
same_as case-120x40 "$c120"
tui_resize 80 24
wait_line "^ guantong — case 1 +$(id -un) \(admin\)\$" && wait_line "^e edit .* q back\$" &&
	pass case-80x24-frame || fail case-80x24-frame "no title and footer at 80 columns"
tui_keys G
same_as case-to-80x24 "$c80"
tui_keys Escape
wait_for 贺卫东
# The filter dialog: its box is drawn again at the new size (over a blank screen).
tui_keys f
wait_for "[ ] draft"
tui_resize 120 40
wait_line "^     └─{108}┘\$" && same_screen resize-filter-120x40
tui_resize 80 24
wait_line "^     └─{68}┘\$" && same_screen resize-filter-80x24
tui_keys Escape
wait_gone "[ ] draft"
wait_for 贺卫东 && same_as queue-after-filter "$q80"

# Too small.
tui_resize 60 20
expect too-small "needs at least 80x24"
screen_has too-small-size "The terminal is 60x20"
screen_lacks too-small-clean "贺卫东" "Filter:"
tui_keys s j G # ignored while too small
tui_resize 80 24
wait_for 贺卫东 && same_as small-then-80x24 "$q80"
tui_resize 70 30
expect too-narrow "The terminal is 70x30; guantong needs at least 80x24"
tui_resize 100 23
expect too-short "The terminal is 100x23; guantong needs at least 80x24"
tui_resize 120 40
wait_for 贺卫东 && same_as small-then-120x40 "$q120"
# In the case view too.
tui_keys Enter
wait_for "Case 1 · 魏秋菊"
tui_resize 60 20
expect case-too-small "needs at least 80x24"
screen_lacks case-too-small-clean "Case 1 · 魏秋菊"
tui_resize 120 40
expect case-back "Case 1 · 魏秋菊"
tui_resize 60 20
wait_for "needs at least 80x24"
tui_keys q # quits from the case view too, as the message says
st=$(wait_exit) && [ "$st" = 0 ] && pass case-too-small-quit || fail case-too-small-quit "q did not quit (status ${st:-none})"
tui_start 120 40 "$db"
wait_for 贺卫东
tui_resize 60 20
wait_for "needs at least 80x24"
tui_quit quit-when-small

# Started too small: the message, then the queue once larger.
tui_start 60 20 "$db"
expect start-too-small "The terminal is 60x20; guantong needs at least 80x24"
tui_resize 80 24
wait_for 贺卫东 && same_as start-small-then-80x24 "$q80"
tui_quit
tui_start 60 20 "$db"
wait_for "needs at least 80x24"
tui_quit quit-at-start
tui_done
