#!/bin/bash
# Options that take a code take the Chinese names too (issue 17, item 11):
# every code of every such option, by its name and by each accepted
# spelling, selects exactly what the code selects; a value an option does
# not take is named, with the accepted ones, in one line, and a usage error
# is that line and where the usage is (item 12), compared byte for byte
# with fixtures/options/*.err. Usage: options.sh GUANTONG SOURCE_DIR
set -u
bin=$1 src=$2
fail=0 pass=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset LANGUAGE
export LC_ALL=C.UTF-8 TZ=Asia/Shanghai GUANTONG_DB=$tmp/o.db
ok() { pass=$((pass + 1)); }
no() { echo "FAIL $*"; fail=$((fail + 1)); }

"$bin" import --skip-invalid --reject "$tmp/r.csv" "$src/fixtures/demo.csv" 2>/dev/null
"$bin" decide 1 --approve --note ok >/dev/null 2>&1
"$bin" decide 2 --return --note "缺材料" >/dev/null 2>&1
"$bin" decide 3 --reject --note "不符合" >/dev/null 2>&1

# The codes and their Chinese spellings, as core/gt_codes.c and the store
# list them: OPTION CODE NAME...
while read -r opt code names; do
	"$bin" export --machine "$opt" "$code" >"$tmp/by-code" 2>"$tmp/err" || { no "$opt $code: $(cat "$tmp/err")"; continue; }
	for name in $names; do
		if "$bin" export --machine "$opt" "$name" >"$tmp/by-name" 2>"$tmp/err" &&
			cmp -s "$tmp/by-code" "$tmp/by-name"; then ok; else
			no "$opt $name does not select what $opt $code does: $(head -c 300 "$tmp/err")"; fi
	done
done <<'LIST'
--region chongqing 重庆
--region anshan 鞍山
--region sichuan 四川
--region jiangsu 江苏
--region guangzhou 广州
--direction skill_to_title 高技能人才参加职称评审
--direction title_to_skill 专业技术人才参加职业技能评价
--outcome eligible 符合条件
--outcome needs_evidence 条件符合，材料待补
--outcome not_eligible 不符合条件
--outcome vetoed 一票否决
--outcome manual_review 需人工审核
--outcome invalid 数据有误
--status draft 草稿
--status submitted 已提交 提交
--status in_review 审核中
--status approved 已批准 批准
--status rejected 未通过 驳回 不通过
--status returned 已退回 退回
LIST

# Lists: separated by ',', '，' or '、', names and codes mixed, spaces trimmed.
"$bin" export --machine --region chongqing,sichuan >"$tmp/a" 2>/dev/null
for v in "重庆,四川" "重庆，四川" "重庆、sichuan" " 重庆 , 四川 " "--region=重庆、四川"; do
	case $v in --region=*) set -- "$v" ;; *) set -- --region "$v" ;; esac
	"$bin" export --machine "$@" >"$tmp/b" 2>/dev/null && cmp -s "$tmp/a" "$tmp/b" && ok ||
		no "--region \"$v\" is not chongqing,sichuan"
done
"$bin" export --machine --outcome needs_evidence,eligible >"$tmp/a" 2>/dev/null
"$bin" export --machine --outcome 条件符合，材料待补、符合条件 >"$tmp/b" 2>/dev/null
cmp -s "$tmp/a" "$tmp/b" && [ "$(wc -l <"$tmp/a")" -gt 1 ] && ok ||
	no "--outcome 条件符合，材料待补、符合条件 (a name holding '，') is not needs_evidence,eligible"

# user --role: codes and names.
for r in "clerk 经办员" "clerk 经办人" "reviewer 审核员" "reviewer 审核人" "admin 管理员"; do
	set -- $r
	"$bin" user add "u$2" --role "$2" 2>"$tmp/err" && "$bin" user list | grep -q "^u$2 *$1 " && ok ||
		no "user add --role $2 is not $1: $(cat "$tmp/err")"
done

# The usage errors, byte for byte, in English and in Chinese: one line that
# says what is wrong (the accepted values when a value is wrong) and one
# that says where the rest is.
golden() { # NAME EXIT ARGS...
	local name=$1 want=$2; shift 2
	for loc in C.UTF-8 zh_CN.UTF-8; do
		LC_ALL=$loc "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
		local rc=$? exp=$src/fixtures/options/$name.${loc%%.*}.err
		if [ $rc -ne "$want" ]; then
			no "$name ($loc): exit $rc, expected $want"
		elif [ -s "$tmp/out" ]; then
			no "$name ($loc): wrote to standard output"
		elif [ -n "${GT_REGEN:-}" ]; then
			cp "$tmp/err" "$exp"; ok
		elif cmp -s "$tmp/err" "$exp"; then ok; else
			no "$name ($loc): stderr differs from $exp:"; diff "$exp" "$tmp/err" | head -10
		fi
	done
}
golden region-unknown 2 export --region 北京
golden region-missing 2 export --region
golden status-unknown 2 export --status 已完成
golden outcome-unknown 2 export --outcome eligible,合格
golden direction-unknown 2 export --direction 双向
golden role-unknown 2 user add x --role 科长
golden export-unknown-option 2 export --colour
golden export-bad-format 2 export --format pdf
golden export-bad-since 2 export --since 2023-02-29
golden import-no-file 2 import
golden import-unknown-option 2 import --fast x.csv
golden screen-unknown-option 2 screen --fast x.csv
golden screen-bad-as-of 2 screen --as-of yesterday x.csv
golden decide-no-action 2 decide 1
golden evaluate-no-case 2 evaluate
golden user-no-verb 2 user
golden backup-no-file 2 backup
golden unknown-command 2 frobnicate

echo "options: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
