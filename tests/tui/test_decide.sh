#!/bin/bash
# Decisions in the case view. A reviewer opens a case (Enter), approves it
# (a), types a note (Chinese), Enter: the case is approved, as sqlite3 and
# `guantong evaluate` confirm. A clerk pressing a or r is refused with the
# store's message, before any note is asked, and nothing is recorded.
# Another process changing the case while the note is being typed: the
# "changed by ... at ..." message and the choice to reload; nothing of ours
# is recorded.
. "$(dirname "$0")/lib.sh"
me=$(id -un)

# A demo database where the OS user has ROLE (the creator is admin: another
# admin is added first so that the creator may step down).
db_as() {
	local db
	db=$(tui_demo_db "$1")
	gt "$db" user add nobody --role admin >/dev/null 2>&1
	[ "$1" = admin ] || gt "$db" user add "$me" --role "$1" >/dev/null 2>&1
	echo "$db"
}
q() { sqlite3 "$1" "$2"; }
# The text of the message box on the screen, its lines joined.
box_text() { printf '%s\n' "$TUI_SCREEN" | grep '│.*│' | sed -E 's/^[^│]*│ ?//; s/ *│[^│]*$//' | tr '\n' ' ' | tr -s ' '; }
box_has() { # NAME TEXT...
	local name=$1 t txt; shift
	txt=$(box_text)
	for t in "$@"; do
		[[ $txt == *"$t"* ]] || { fail "$name" "the message lacks \"$t\": $txt"; return 1; }
	done
	pass "$name"
}

# ---- a reviewer approves
db=$(db_as reviewer)
tui_start 120 40 "$db"
expect reviewer-title "$me (reviewer)"
wait_for "贺卫东"
tui_keys Enter
expect open-case "Case 1 · 魏秋菊 · 510104198110222956 · submitted · version 1"
tui_keys a
expect approve-prompt "approve case 1 — note:"
tui_type "材料齐全，同意"
expect note-typed "材料齐全，同意"
tui_keys Enter
expect approved-status "Case 1 is now approved."
# The view reloads: the new status, the decision with its note.
wait_for "· approved · version 2" || fail approved-view "the view does not show approved"
# the decision is in the case view's header (issue 16, item 7)
wait_for "approve by $me at" && screen_has decision-shown "材料齐全，同意" ||
	fail decision-shown "the case view does not show the decision"
check approved-stored [ "$(q "$db" "SELECT status, version FROM cases WHERE id = 1")" = "approved|2" ]
check decision-stored [ "$(q "$db" "SELECT action, decided_by, note FROM decisions WHERE case_id = 1")" = "approve|$me|材料齐全，同意" ]
out=$(gt "$db" evaluate 1 2>&1)
[[ $out == *"Case 1: 魏秋菊 (510104198110222956), approved, version 2"* && $out == *"材料齐全，同意"* ]] &&
	pass evaluate-approved || fail evaluate-approved "guantong evaluate 1: $out"
# Back to the queue: the row says approved.
tui_keys Escape
wait_line "^ +1 魏秋菊 .* approved " && pass queue-approved || fail queue-approved "the queue does not show case 1 approved"
tui_quit reviewer-quit

# ---- a clerk is refused
db=$(db_as clerk)
audit0=$(q "$db" "SELECT count(*) FROM audit")
tui_start 120 40 "$db"
expect clerk-title "$me (clerk)"
wait_for "贺卫东"
tui_keys Enter
expect clerk-open "Case 1 · 魏秋菊"
tui_keys a
expect clerk-refused "only a reviewer may approve a case; you ($me) are a clerk"
screen_lacks clerk-no-prompt "— note:"
tui_keys r
expect clerk-refused-reject "only a reviewer may reject a case; you ($me) are a clerk"
check clerk-nothing-recorded [ "$(q "$db" "SELECT status, version FROM cases WHERE id = 1")|$(q "$db" "SELECT count(*) FROM decisions")|$(q "$db" "SELECT count(*) FROM audit")" = "submitted|1|0|$audit0" ]
# A clerk may return a case for evidence: the note is asked; Esc cancels it.
tui_keys b
expect clerk-return-prompt "return for evidence case 1 — note:"
tui_keys Escape
wait_gone "— note:"
check clerk-cancel-nothing [ "$(q "$db" "SELECT status, version FROM cases WHERE id = 1")|$(q "$db" "SELECT count(*) FROM decisions")" = "submitted|1|0" ]
tui_keys Escape
wait_for "贺卫东"
tui_quit clerk-quit

# ---- a conflict: the case changes while the note is typed
db=$(tui_demo_db conflict)
tui_start 120 40 "$db"
wait_for "贺卫东"
tui_keys Enter
expect conflict-open "Case 1 · 魏秋菊 · 510104198110222956 · submitted · version 1"
tui_keys a
wait_for "approve case 1 — note:"
# Another process returns the case meanwhile.
gt "$db" decide 1 --return --note "缺少证明" >/dev/null 2>&1
check conflict-outside [ "$(q "$db" "SELECT status, version FROM cases WHERE id = 1")" = "returned|2" ]
tui_type ok
tui_keys Enter
expect conflict-title "Someone else changed this case"
# The time in local time, to the minute, without an offset.
wait_line "case 1 was changed by $me at [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}([^:0-9]|$)" &&
	box_has conflict-message "after you opened it (it is now version 2, you had version 1); nothing was saved" ||
	fail conflict-message "no \"changed by $me at ...\" message"
tui_keys Space
expect conflict-reload-question "Reload the case to see the change? (y/n)"
tui_keys y
expect conflict-reloaded "Case 1 · 魏秋菊 · 510104198110222956 · returned · version 2"
wait_for "return for evidence by $me at" && screen_has conflict-their-decision "缺少证明" ||
	fail conflict-their-decision "the reloaded view does not show the other decision"
check conflict-nothing-ours [ "$(q "$db" "SELECT group_concat(action) FROM decisions")|$(q "$db" "SELECT status FROM cases WHERE id = 1")" = "return|returned" ]
# The same once more on case 3, answering n: nothing saved, and said so.
tui_keys Escape
wait_line "^ +1 魏秋菊 .* returned " || fail conflict-queue "the queue does not show case 1 returned"
tui_keys j j Enter
expect conflict2-open "Case 3 · 钱思远 · 440106197904084815 · submitted · version 1"
tui_keys r
wait_for "reject case 3 — note:"
gt "$db" decide 3 --approve --note "同意" >/dev/null 2>&1
tui_type "不同意"
tui_keys Enter
expect conflict2-title "Someone else changed this case"
tui_keys Space
wait_for "Reload the case to see the change? (y/n)"
tui_keys n
expect conflict2-not-saved "Nothing was saved; the case on screen is out of date."
check conflict2-nothing-ours [ "$(q "$db" "SELECT action || ':' || note FROM decisions WHERE case_id = 3")|$(q "$db" "SELECT status FROM cases WHERE id = 3")" = "approve:同意|approved" ]
tui_keys Escape
wait_for "贺卫东"
tui_quit conflict-quit
tui_done
