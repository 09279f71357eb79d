#!/bin/bash
# Issue 16, item 6 (and item 7's "no green for a vetoed case"): each outcome
# in the queue has its theme colour and a mark that says the same without
# colour (NO_COLOR): + 符合, ~ 待补材料, ? 人工审核, x 不符合, ! 否决. The
# view of a vetoed case shows nothing in green and says the award is not
# applied. zh_CN.UTF-8, at 120x40 (colour) and 80x24 (NO_COLOR).
. "$(dirname "$0")/lib.sh"
zh_ready outcome-zh || { tui_done; exit; }
db=$(tui_demo_db outcome)
esc=$'\e'
# The line of case N in the queue, with its attributes.
row_attrs() { tui_capture_attrs | grep -E "^(${esc}\[[0-9;]*m)* +$1 " | head -n 1; }

tui_start 120 40 "$db" LC_ALL=zh_CN.UTF-8 TERM=screen-256color
wait_for "贺卫东"
tui_keys j # the selection off row 1
wait_stable
r1=$(row_attrs 1) r5=$(row_attrs 5) r6=$(row_attrs 6) r11=$(row_attrs 11)
[[ $r1 == *"${esc}[32m+ 符合"* ]] && pass colour-eligible-green || fail colour-eligible-green "$(cat -v <<<"$r1")"
[[ $r5 == *"${esc}[31m! 否决"* ]] && pass colour-vetoed-red || fail colour-vetoed-red "$(cat -v <<<"$r5")"
[[ $r11 == *"${esc}[31mx 不符合"* ]] && pass colour-not-eligible-red || fail colour-not-eligible-red "$(cat -v <<<"$r11")"
[[ $r6 == *"${esc}[33m~ 待补材料"* ]] && pass colour-needs-evidence-yellow || fail colour-needs-evidence-yellow "$(cat -v <<<"$r6")"
# The vetoed case: its outcome line not green, the award not applied.
tui_keys j j j Enter
expect veto-open "案件5 · 朱明亮"
expect veto-not-applied "因一票否决不予适用：江苏大工匠"
grep -qE '^ +适用：' <<<"$TUI_SCREEN" && fail veto-no-applies "an award reads as applied" || pass veto-no-applies
attrs=$(tui_capture_attrs)
[[ $attrs != *"${esc}[32m"* ]] && pass veto-nothing-green || fail veto-nothing-green "green on the vetoed case's view"
[[ $attrs == *"${esc}[31m! 一票否决"* ]] && pass veto-outcome-red || fail veto-outcome-red "the outcome line is not red"
tui_keys q
wait_for "贺卫东"
tui_quit colour-quit

# Monochrome: the marks carry the outcome.
tui_start 80 24 "$db" LC_ALL=zh_CN.UTF-8 NO_COLOR=1
wait_for "贺卫东"
screen_has mono-marks "+ 符合" "! 否决" "x 不符合" "~ 待补材料" "? 人工审核"
tui_quit mono-quit
tui_done
