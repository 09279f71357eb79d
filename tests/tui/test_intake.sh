#!/bin/bash
# A full intake of a Chinese-named applicant with a green-channel honour:
# Sichuan, skill to title, senior skill level since 2020-03-01, 3 appraisals,
# a frontline post, the honour 四川省技术能手 picked through the searchable
# list by typing Chinese, the documents marked. The live panel shows the
# honour and the outcome as they are entered; F2 saves; the queue shows the
# new case; `guantong evaluate` and sqlite3 confirm what was stored.
# Once in Chinese at 120x40, once in English at 80x24.
. "$(dirname "$0")/lib.sh"

# The live panel: what is right of the form's separator, one line per row.
panel() { printf '%s\n' "$TUI_SCREEN" | grep '│' | sed 's/^.*│//'; }
panel_line() { panel | grep -qx -- "$1"; }
panel_has() { panel | grep -qF -- "$1"; }
# The codes of the case CSV that are no English word (those with an
# underscore: needs_evidence, sichuan_technical_expert, id_card, …), from
# every code table: an English screen names things, it never shows these.
mapfile -t CODES < <(grep -oE '^[[:space:]]*\{ "[a-z0-9]+_[a-z0-9_]+"' "$GT_SRC/core/gt_codes.c" | grep -oE '[a-z0-9_]+' | sort -u)
[ ${#CODES[@]} -gt 50 ] || echo "FAIL codes: only ${#CODES[@]} codes read from core/gt_codes.c"
no_codes() { [ $zh = 1 ] || screen_lacks "$1-no-codes" "${CODES[@]}"; }

intake() { # TAG LC_ALL COLS LINES  (zh: Chinese display names)
	local tag=$1 lc=$2 cols=$3 lines=$4
	local db
	db=$(tui_db "$tag")
	local zh=0
	[[ $lc == zh_* ]] && zh=1
	# Display names: Chinese under zh_CN, English names in English (never
	# the codes: no_codes).
	local sichuan=Sichuan senior="senior worker" eligible=eligible needs="needs evidence" honour="Sichuan Technical Expert"
	local target="intermediate level" idcard="identity card" guangzhou=Guangzhou senior_tech="senior technician"
	local national="National Technical Expert" title_cert="title certificate"
	local sichuan_cell=Sichuan # the queue's cell: a name, never the code
	if [ $zh = 1 ]; then
		sichuan_cell=四川
		sichuan=四川 senior=高级工 eligible=符合条件 needs=条件符合，材料待补 honour=四川省技术能手
		target=中级 idcard=身份证 guangzhou=广州 senior_tech=高级技师 national=全国技术能手 title_cert=职称证书
	fi

	tui_start "$cols" "$lines" "$db" LC_ALL="$lc"
	# An empty database: start empty, yes.
	if ! wait_for "guantong --demo"; then fail "$tag-start" "no question about starting empty"; return; fi
	tui_keys y
	wait_gone "guantong --demo" || { fail "$tag-start" "the question stayed"; return; }
	tui_keys i
	# The intake form: the separator of the live panel.
	if ! wait_line '^ +│$'; then fail "$tag-open" "no intake form after i"; return; fi
	pass "$tag-open"

	# Page 1: name, identity number (Tab moves on; the reference stays empty).
	tui_type 张三丰
	tui_keys Tab
	tui_type 510104198503151239
	tui_keys Tab Tab
	# Page 2: the region from its pick list (the third item).
	tui_keys Enter
	# (the list shows names, no codes: a code is searched for, not shown)
	wait_for "$guangzhou" || { fail "$tag-region" "no region list"; return; }
	[ $zh = 1 ] || screen_lacks "$tag-region-no-codes" chongqing anshan sichuan jiangsu guangzhou
	tui_keys Down Down Enter
	wait_gone "$guangzhou" && wait_line "^[^│]* $sichuan +│" && pass "$tag-region" || fail "$tag-region" "the region is not $sichuan"
	# Page 3: skill level from its list (none, junior, intermediate, senior), its date.
	tui_keys PageDown
	tui_keys Enter
	wait_for "$senior_tech" || { fail "$tag-level" "no skill level list"; return; }
	[ $zh = 1 ] || screen_lacks "$tag-level-no-codes" senior_technician principal_technician chief_technician
	tui_keys Down Down Down Enter
	wait_gone "$senior_tech"
	tui_keys Tab
	tui_type 20200301 # YYYYMMDD is written as YYYY-MM-DD on leaving the field
	# The related specialty starts unanswered (issue 17): yes.
	tui_keys Tab Tab Tab Space
	wait_line "^[^│]* $senior +│" && wait_for "2020-03-01" && pass "$tag-level" ||
		fail "$tag-level" "no $senior since 2020-03-01"
	# Page 4: 3 appraisals, a frontline post.
	tui_keys PageDown Tab
	tui_type 3
	# A frontline post; employed in the region (unanswered until now): yes.
	tui_keys Tab Space Tab Space
	wait_line '^[^│]* 3 +│' || fail "$tag-appraisals" "no 3 appraisals"
	# The panel so far: the regular route for a senior worker, documents missing.
	if wait_for "$needs" && panel_line "$needs" && panel_has "$idcard"; then
		pass "$tag-panel-before"
	else
		fail "$tag-panel-before" "the live panel does not show $needs and the missing $idcard"
	fi
	no_codes "$tag-panel-before"
	# Page 5: the honour, searched for by typing Chinese in the pick list.
	tui_keys PageDown Enter
	wait_for "$national" || { fail "$tag-honour" "no honours list"; return; }
	no_codes "$tag-honours"
	# Typing Chinese starts the search; Enter ends it, the list stays narrowed.
	tui_type 四川省技术
	wait_gone "$national" || fail "$tag-honour-search" "typing did not narrow the list"
	tui_keys Enter
	wait_for "[ ] $honour"
	# Only the one honour is left; Space marks it, Enter takes the list.
	if [ "$(printf '%s\n' "$TUI_SCREEN" | grep -c '\[ \]')" = 1 ]; then
		pass "$tag-honour-search"
	else
		fail "$tag-honour-search" "more than one honour left after typing 四川省技术"
	fi
	tui_keys Space
	wait_for "[x] $honour" || fail "$tag-honour" "Space did not mark it"
	tui_keys Enter
	wait_gone "[x] $honour"
	# The live panel: the green channel resting on the honour (the citation may
	# wrap inside "附件1", so only its clause is looked for on one line).
	if wait_for "$target" && panel_has "$honour" && panel_has "六（一）2"; then
		pass "$tag-panel-honour"
	else
		fail "$tag-panel-honour" "the live panel does not rest on $honour (clause 附件1 六（一）2)"
		printf '%s\n' "$TUI_SCREEN" | sed 's/^/  | /'
	fi
	no_codes "$tag-panel-honour"
	# Page 6: the documents the panel asked for, found by their codes.
	tui_keys PageDown Enter
	wait_for "$title_cert" || { fail "$tag-evidence" "no evidence list"; return; }
	no_codes "$tag-evidence"
	local code n=0
	# The 高级工 scope's certificate and Sichuan's achievements are asked too
	# (interpretations 24, 26). Each found by its code: / searches.
	for code in id_card skill_certificate appraisal_records award_certificate achievement_evidence; do
		tui_keys /
		tui_type "$code"
		tui_keys Enter
		n=$((n + 1))
		wait_gone "$title_cert" && wait_for "[ ]" && tui_keys Space && wait_for "[x]" ||
			fail "$tag-evidence" "could not mark $code"
		tui_keys C-u
		wait_for "$title_cert"
		[ "$(printf '%s\n' "$TUI_SCREEN" | grep -c '\[x\]')" = $n ] || fail "$tag-evidence" "$code is not marked"
	done
	tui_keys Enter
	wait_gone "$title_cert"
	if wait_line "│$eligible\$" && panel_line "$eligible" && panel_has "$honour"; then
		pass "$tag-panel-eligible"
	else
		fail "$tag-panel-eligible" "the live panel does not say $eligible with $honour"
		printf '%s\n' "$TUI_SCREEN" | sed 's/^/  | /'
	fi
	no_codes "$tag-panel-eligible"
	# Page 7: the review shows what was entered; F2 saves.
	tui_keys PageDown
	wait_for "510104198503151239" && screen_has "$tag-review" 张三丰 "$sichuan" "$honour" 2020-03-01
	no_codes "$tag-review"
	tui_keys F2
	# The queue, with the new case.
	# (the queue's outcome column has short names: 符合 / eligible)
	if wait_line "^ +1 张三丰 +([0-9X]{18} +)?$sichuan_cell .*${eligible:0:2}"; then
		pass "$tag-queue"
	else
		fail "$tag-queue" "the queue does not show case 1 张三丰 $sichuan_cell $eligible"
	fi
	tui_quit "$tag-quit"

	# What was stored, from outside.
	local out
	out=$(gt "$db" evaluate 1 2>&1)
	if [[ $out == *"张三丰 (510104198503151239)"* && $out == *"eligible  intermediate level  green channel"* &&
		$out == *"resting on Sichuan Technical Expert"* && $out == *'"honors":"sichuan_technical_expert"'* ]]; then
		pass "$tag-evaluate"
	else
		fail "$tag-evaluate" "guantong evaluate 1 does not show the stored honour: $out"
	fi
	local row
	row=$(sqlite3 "$db" "SELECT c.region, i.skill_level, i.skill_date, c.appraisals_passed, c.frontline,
		c.status, c.outcome, (SELECT evidence FROM case_evidence WHERE case_id = c.id), group_concat(h.honour) FROM cases c
		JOIN case_inputs i ON i.case_id = c.id
		LEFT JOIN case_honours h ON h.case_id = c.id WHERE c.id = 1 GROUP BY c.id" 2>&1)
	if [ "$row" = "sichuan|senior|2020-03-01|3|1|submitted|eligible|id_card;skill_certificate;appraisal_records;award_certificate;achievement_evidence|sichuan_technical_expert" ]; then
		pass "$tag-stored"
	else
		fail "$tag-stored" "sqlite3 shows: $row"
	fi
	# The draft was removed on saving.
	check "$tag-no-draft" [ "$(sqlite3 "$db" 'SELECT count(*) FROM drafts')" = 0 ]
}

zh_ready zh-catalogue && intake zh zh_CN.UTF-8 120 40
intake en C.UTF-8 80 24
tui_done
