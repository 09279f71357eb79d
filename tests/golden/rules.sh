#!/bin/bash
# Policy packs (guantong-rules(5)): `rules check` on the shipped packs and on
# one test pack per kind of error (line, column, reason, exit 1); a fictitious
# version of Anshan's document in $XDG_DATA_HOME supersedes the shipped one
# from 2030-01-01, so that cases dated the day before and on that day are
# judged by the two versions, and the store names the version that judged.
# Usage: rules.sh GUANTONG SOURCE_DIR
set -u
bin=$1 src=$2
packs=$src/tests/packs
seeds=$src/../shared/seeds
fail=0 pass=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8 XDG_DATA_HOME=$tmp/xdg GUANTONG_RULES_D=$tmp/etc HOME=$tmp
unset LANGUAGE GUANTONG_DB
ok() { pass=$((pass + 1)); }
no() { echo "FAIL $*"; fail=$((fail + 1)); }

[ -d "$seeds" ] || seeds=$(dirname "$src")/shared/seeds
"$bin" rules check --sources "$seeds" >"$tmp/out" 2>&1 && grep -q "5 policy packs checked: no error" "$tmp/out" \
	&& ok || no "the shipped packs: $(cat "$tmp/out")"

# check NAME EXPECTED-LINE FILE...: exit 1 and the line, with its position.
check() {
	local name=$1 want=$2; shift 2
	"$bin" rules check --sources "$seeds" "$@" >"$tmp/out" 2>&1
	local rc=$?
	if [ $rc -ne 1 ]; then no "$name: exit $rc, expected 1: $(cat "$tmp/out")"
	elif ! grep -qF -- "$want" "$tmp/out"; then no "$name: expected \"$want\", got: $(cat "$tmp/out")"
	else ok; fi
}
check bad-yaml "bad-yaml.yaml, line 38, column 14: not YAML: did not find expected ',' or ']'" "$packs/bad-yaml.yaml"
check unknown-code "unknown-code.yaml, line 49, column 16: unknown skill_level code \"grand_master\"" "$packs/unknown-code.yaml"
check missing-citation "missing-citation.yaml, line 43, column 9: rule GZ-S2T-2 has no clause path (citation)" "$packs/missing-citation.yaml"
check quote "quote-not-in-source.yaml, line 43, column 9: rule GZ-S2T-2 quotes words not in 004_83e023296301b12d.txt" "$packs/quote-not-in-source.yaml"
check overlap "overlap-b.yaml, line 11, column 3: in force from 2022-12-22 while version 1-test-a" "$packs/overlap-a.yaml" "$packs/overlap-b.yaml"
check hidden-text "hidden-text.yaml, line 43, column 11: a control, bidi or invisible character" "$packs/hidden-text.yaml"
check unreachable "unreachable.yaml, line 88, column 9: rule GZ-T2S-2 is unreachable" "$packs/unreachable.yaml"
: >"$tmp/empty.yaml"
check empty "empty.yaml, line 1, column 1: the pack is empty" "$tmp/empty.yaml"
"$bin" rules check --sources "$seeds" "$src/rules/anshan.yaml" "$packs/supersede-anshan.yaml" >"$tmp/out" 2>&1 \
	&& ok || no "the superseding pack beside the shipped one: $(cat "$tmp/out")"

# The superseding version, installed for this user.
mkdir -p "$tmp/xdg/guantong/rules"
cp "$packs/supersede-anshan.yaml" "$tmp/xdg/guantong/rules/"
"$bin" rules list >"$tmp/out" 2>&1
[ "$(grep -c '^Anshan' "$tmp/out")" = 2 ] && grep -q "version 2-test: in force from 2030-01-01" "$tmp/out" \
	&& ok || no "rules list: $(cat "$tmp/out")"
"$bin" rules show anshan --as-of 2029-12-31 | head -1 | grep -q "version 1," && ok || no "show before"
"$bin" rules show anshan --as-of 2030-01-01 | head -1 | grep -q "version 2-test," && ok || no "show on the day"
LANGUAGE=zh_CN LC_ALL=zh_CN.UTF-8 "$bin" rules list >"$tmp/out" 2>&1
grep -q "^鞍山" "$tmp/out" && grep -q "版本" "$tmp/out" && ok || no "rules list in Chinese: $(head -3 "$tmp/out")"

hdr=case_ref,name,id_number,region,direction,series,skill_level,skill_date,title_level,frontline,appraisals_passed,related,evidence,application_date
ev="id_card;skill_certificate;title_certificate;work_record;appraisal_records;frontline_proof"
{
	echo "$hdr"
	echo "day-before,王建国,210302196801010002,anshan,skill_to_title,engineering,senior,2020-01-01,none,yes,3,yes,$ev,2029-12-31"
	echo "day-of,赵德胜,210302197304080370,anshan,skill_to_title,engineering,senior,2020-01-01,none,yes,3,yes,$ev,2030-01-01"
} >"$tmp/cases.csv"
"$bin" screen "$tmp/cases.csv" >"$tmp/out" 2>"$tmp/err" || no "screen: $(cat "$tmp/err")"
grep -q "^day-before,eligible,assistant,regular," "$tmp/out" && ok || no "day before: $(grep day-before "$tmp/out")"
grep -q "^day-of,not_eligible,,,,years_since_level," "$tmp/out" && grep "^day-of" "$tmp/out" | grep -q "years_since_level" \
	&& ok || no "day of: $(grep day-of "$tmp/out")"

# The store keeps the version that judged each case.
"$bin" --db "$tmp/cases.db" import "$tmp/cases.csv" >"$tmp/out" 2>&1 || no "import: $(cat "$tmp/out")"
if command -v sqlite3 >/dev/null; then
	sqlite3 "$tmp/cases.db" "SELECT c.case_ref, r.name FROM evaluations e JOIN cases c ON c.id = e.case_id JOIN rulesets r ON r.id = e.ruleset ORDER BY c.case_ref" >"$tmp/out" 2>&1
	grep -q "^day-before|鞍人社〔2020〕33号 1 [0-9a-f]\{16\}$" "$tmp/out" &&
		grep -q "^day-of|鞍人社〔2020〕33号 2-test [0-9a-f]\{16\}$" "$tmp/out" && ok || no "stored ruleset: $(cat "$tmp/out")"
fi

# A broken pack stops the commands (rules check still runs and says why).
cp "$packs/bad-yaml.yaml" "$tmp/xdg/guantong/rules/"
"$bin" screen "$tmp/cases.csv" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "bad-yaml.yaml, line 38, column 14" "$tmp/err" && ok || no "broken local pack: $(cat "$tmp/err")"
"$bin" rules check --sources "$seeds" >"$tmp/out" 2>&1
[ $? -eq 1 ] && grep -q "bad-yaml.yaml, line 38, column 14" "$tmp/out" && ok || no "check of the loaded packs: $(cat "$tmp/out")"

echo "golden rules: $pass passed, $fail failed"
[ $fail -eq 0 ]
