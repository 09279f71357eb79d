#!/bin/bash
# Issue 16, item 7: the case view's shape. A header with the status, the
# decision and the application date; the applicant's facts; the route taken
# in full with its clause's text; every other route on one line
# (`不符合条件 中级 年限贯通：缺 技师；差3年`), in full with p; no rule ids, no
# case_refs, no summary or general condition said twice; c shows the clause
# texts where the user looks; history at the end; a vetoed case has nothing
# green. zh_CN.UTF-8, at 80x24 and 120x40.
. "$(dirname "$0")/lib.sh"
zh_ready caseview-zh || { tui_done; exit; }
db=$(tui_demo_db caseview)
# Case 1 decided (approved, as it is eligible) by the batch command, in
# English: read in Chinese, the same answer in other words does not differ.
gt "$db" decide 1 --approve --note "材料齐全" --version 1 >/dev/null 2>&1 ||
	fail decide-setup "guantong decide failed"
esc=$'\e'

# open N: the case view of case N from the queue (: jumps).
open_case() {
	tui_keys :
	wait_for "跳转到案件"
	tui_type "$1"
	tui_keys Enter
	wait_gone "跳转到案件"
	tui_keys Enter
	wait_for "案件$1 ·"
}
# the_view LINES: the whole document of the open view, page by page (PgDn
# until the last page, G's), each page's lines after those it shares with the
# page before; without the title and the footer. In VIEW, and with the
# attributes in VIEW_ATTRS.
the_view() {
	local n=$(($1 - 3)) last page prev a i j k same
	# page_of SCREEN: its lines 2..n+1 into page, as $(...) would leave them
	# (builtins only: a fork costs milliseconds of CPU here, and the loops
	# below compare pages many times)
	page_of() {
		local -a l
		mapfile -t l <<<"$1"
		printf -v page '%s\n' "${l[@]:1:n}"
		page=${page%"${page##*[!$'\n']}"}
	}
	tui_keys G
	wait_stable 5
	page_of "$TUI_SCREEN"
	last=$page
	tui_keys g
	wait_stable 5
	VIEW="" VIEW_ATTRS=""
	local -a acc=()
	for i in $(seq 1 60); do
		page_of "$TUI_SCREEN"
		mapfile -t a <<<"$page"
		# The lines this page shares with the end of the document so far.
		for ((k = ${#a[@]}; k > 0; k--)); do
			[ ${#acc[@]} -ge $k ] || continue
			same=1
			for ((j = 0; j < k; j++)); do
				[ "${acc[${#acc[@]} - k + j]}" = "${a[j]}" ] || { same=0; break; }
			done
			[ $same = 1 ] && break
		done
		acc+=("${a[@]:$k}")
		VIEW_ATTRS+=$'\n'"$(tui_capture_attrs | sed '1d' | head -n $n)"
		[ "$page" = "$last" ] && break
		tui_keys PgDn
		prev=$page
		local end=$((SECONDS + TUI_TIMEOUT))
		while [ "$page" = "$prev" ] && [ $SECONDS -lt $end ]; do
			tui_sleep $TUI_POLL
			tui_read
			page_of "$TUI_SCREEN"
		done
		wait_stable 5
	done
	VIEW=$(printf '%s\n' "${acc[@]}")
	tui_keys g
}
count() { grep -oF -- "$2" <<<"$1" | wc -l; }

for size in "80 24" "120 40"; do
	set -- $size
	tag=w$1
	tui_start "$1" "$2" "$db" LC_ALL=zh_CN.UTF-8 TERM=screen-256color
	wait_for "贺卫东"

	# Case 6: needs evidence, by the years route, for 助理级.
	open_case 6
	head6=$(printf '%s\n' "$TUI_SCREEN" | sed -n 2,7p)
	for t in "案件6 · 方振华" "已提交" "~ 条件符合，材料待补  助理级  年限贯通" "申报日期 2025-06-15" "决定：尚未作出"; do
		[[ $head6 == *"$t"* ]] && pass "$tag-header-$t" || fail "$tag-header-$t" "not in the first six lines: $head6"
	done
	the_view "$2"
	for t in "申请人情况（请与纸质档案核对）" "高级工（2019-05-01取得）" "近三年考核  未记录" \
		"所选途径：~ 条件符合，材料待补  助理级  年限贯通" "依据：渝人社发〔2021〕55号 二（一）1" \
		"条款原文：取得高级工职业资格或职业技能等级后" "历史记录"; do
		[[ $VIEW == *"$t"* ]] && pass "$tag-has-$t" || fail "$tag-has-$t" "the view lacks it"
	done
	# Other routes on one line each, with what they lack.
	grep -qE '^ +x 不符合条件  中级  年限贯通：缺 技师；差3年' <<<"$VIEW" && pass $tag-route-one-line ||
		fail $tag-route-one-line "$(grep -F '中级  年限贯通' <<<"$VIEW")"
	check $tag-summary-once [ "$(count "$VIEW" "具备申报助理级条件")" = 1 ]
	check $tag-general-once [ "$(count "$VIEW" "需具备高级工及以上技能等级，现有：高级工")" = 1 ]
	grep -qE '\[[A-Z]{2,}-[A-Z0-9-]+\]' <<<"$VIEW" && fail $tag-no-rule-ids "$(grep -E '\[[A-Z]{2,}-' <<<"$VIEW" | head -3)" ||
		pass $tag-no-rule-ids
	[[ $VIEW != *cq-s2t-appraisal-blank* ]] && pass $tag-no-case-ref || fail $tag-no-case-ref "the case_ref is shown"
	# The history is the view's last part.
	last=$(grep -nE '^ (历史记录|材料|其他途径|所选途径)' <<<"$VIEW" | tail -n 1)
	[[ $last == *历史记录* ]] && pass $tag-history-last || fail $tag-history-last "$last"
	# Tab: every other route in full; the general conditions still once.
	tui_keys Tab
	expect $tag-p-routes "其他途径（Tab 每条一行）"
	the_view "$2"
	check $tag-p-shows-conditions grep -qF "需具备技师及以上技能等级，现有：高级工" <<<"$VIEW"
	check $tag-p-general-once [ "$(count "$VIEW" "需具备高级工及以上技能等级，现有：高级工")" = 1 ]
	tui_keys Tab
	expect $tag-p-back "其他途径（Tab 展开，c 附条款原文）"
	# c: the clause texts appear on the screen the user is looking at.
	tui_keys g c
	expect $tag-c-status "各途径均附条款原文。"
	n=$(count "$TUI_SCREEN" "条款原文：")
	[[ $TUI_SCREEN == *"所选途径："* && $n -ge 1 ]] && pass $tag-c-visible ||
		fail $tag-c-visible "$n clause texts on the screen"
	the_view "$2"
	check $tag-c-every-route [ "$(count "$VIEW" "条款原文：")" -ge 3 ]
	tui_keys c q
	wait_for "贺卫东"

	# Case 5, vetoed: nothing green on any page, no route taken.
	open_case 5
	the_view "$2"
	check $tag-veto-none [ "$(count "$VIEW" "所选途径：无（一票否决）")" = 1 ]
	[[ $VIEW_ATTRS != *"${esc}[32m"* ]] && pass $tag-veto-nothing-green || fail $tag-veto-nothing-green "green on a vetoed case"
	tui_keys q
	wait_for "贺卫东"

	# Case 1, decided: the decision in the header, not at the bottom.
	open_case 1
	head1=$(printf '%s\n' "$TUI_SCREEN" | sed -n 2,7p)
	[[ $head1 == *"已批准"* && $head1 == *"决定：批准"*"材料齐全"* ]] && pass $tag-decision-in-header ||
		fail $tag-decision-in-header "$head1"
	screen_lacks $tag-decided-same-answer "结论不同" "Eligible for"
	tui_keys q
	wait_for "贺卫东"
	tui_quit $tag-quit
done
tui_done
