#!/bin/bash
# The workstation and the batch commands agree on what may not reach the
# terminal (issue 13, item 5): a name with a bidi override, a zero-width
# space and a C1 CSI shows each as one "?" in the queue and the case view,
# the characters gt_vis escapes in `evaluate`.
. "$(dirname "$0")/lib.sh"

db=$(tui_db unsafe)
rlo=$(printf '\342\200\256') zw=$(printf '\342\200\213') csi=$(printf '\302\233')
printf 'case_ref,name,id_number,region,direction,series,skill_level,skill_date,title_level\nu1,张%s三%s李%s四,11010519491231002X,chongqing,skill_to_title,engineering,senior,2015-01-01,none\n' \
	"$rlo" "$zw" "$csi" >"$TUI_TMP/u.csv"
gt "$db" import "$TUI_TMP/u.csv" 2>"$TUI_TMP/import.err" || fail import "$(cat "$TUI_TMP/import.err")"
out=$(gt "$db" evaluate 1 2>&1 | head -1)
[[ $out == *"张<U+202E>三<U+200B>李<U+009B>四"* ]] && pass evaluate-escapes || fail evaluate-escapes "$out"

tui_start 100 30 "$db"
# the queue cuts a long name to its column, with "…"
expect queue-shows-question-marks "张?三?李"
screen_lacks queue-no-raw "$rlo" "$zw" "$csi"
tui_keys Enter
expect case-view-shows-question-marks "张?三?李?四"
screen_lacks case-view-no-raw "$rlo" "$zw" "$csi"
tui_keys q # closes the case view; the queue's q quits
wait_for "case queue"
tui_quit

tui_done
