#!/bin/bash
# Local time on the screens (issue 13, item 8): a case changed at 20:31 UTC
# on 4 December shows 2026-12-05 04:31 in the queue and the case view under
# TZ=Asia/Shanghai, and 2026-12-04 14:31 under TZ=America/Chicago, without
# an offset or seconds.
. "$(dirname "$0")/lib.sh"

db=$(tui_demo_db)
sqlite3 "$db" "UPDATE cases SET created_at = '2026-12-04 20:30:00+00:00', updated_at = '2026-12-04 20:31:00+00:00' WHERE id = 1"

shown() { # TAG TZ QUEUE-TIME CREATED
	local tag=$1 tz=$2 queue=$3 created=$4
	tui_start 120 40 "$db" TZ="$tz"
	expect "$tag-queue" "$queue"
	screen_lacks "$tag-queue-no-offset" "+00:00" "04:31:00" "20:31"
	tui_keys Enter
	expect "$tag-case-view" "taken in $created by"
	tui_keys q # q closes the case view (issue 16, item 10), a second q quits
	wait_gone "taken in $created by"
	tui_quit "$tag-quit"
}
shown shanghai Asia/Shanghai "2026-12-05 04:31" "2026-12-05 04:30"
shown chicago America/Chicago "2026-12-04 14:31" "2026-12-04 14:30"

tui_done
