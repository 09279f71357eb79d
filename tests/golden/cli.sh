#!/bin/bash
# The command line's contract: exit codes and messages for unreadable files
# and bad usage (spec: Files and exit codes). Usage: cli.sh GUANTONG SOURCE_DIR
set -u
bin=$1
fail=0 pass=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8
unset LANGUAGE

# expect NAME EXIT STDERR-PATTERN STDOUT-LINES -- ARGS...
expect() {
	local name=$1 want=$2 pattern=$3 lines=$4; shift 5
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$? got
	got=$(wc -l <"$tmp/out")
	if [ $rc -ne "$want" ]; then
		echo "FAIL $name: exit $rc, expected $want; stderr: $(head -c 300 "$tmp/err")"; fail=$((fail + 1))
	elif [ -n "$pattern" ] && ! grep -q -- "$pattern" "$tmp/err"; then
		echo "FAIL $name: stderr lacks \"$pattern\": $(head -c 300 "$tmp/err")"; fail=$((fail + 1))
	elif [ "$lines" != - ] && [ "$got" -ne "$lines" ]; then
		echo "FAIL $name: $got lines on stdout, expected $lines"; fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}

hdr=case_ref,name,id_number,region,direction,series,skill_level,title_level
row=r1,张三,11010519491231002X,chongqing,skill_to_title,engineering,senior,none

: >"$tmp/empty.csv"
printf '%s\n' "$hdr" >"$tmp/header-only.csv"
printf '%s\n%s\n' "case_ref,name,id_number,region,direction,series,skill_level" "$row" >"$tmp/missing.csv"
printf '%s,colour\n%s,red\n' "$hdr" "$row" >"$tmp/unknown.csv"
printf '%s,name\n%s,x\n' "$hdr" "$row" >"$tmp/dup.csv"
printf '\xef\xbb\xbf%s\n%s,2020-01-01\n' "$hdr,skill_date" "$row" >"$tmp/bom.csv"
printf '%s\r\n%s\xff\r\n' "$hdr" "$row" >"$tmp/utf8.csv"
printf '"case_ref\n' >"$tmp/broken-header.csv"

expect version 0 "" 1 -- --version
expect help 0 "" - -- --help
expect screen-help 0 "" - -- screen --help
expect no-command 2 "Usage" 0 --
expect unknown-command 2 "unknown command" 0 -- frobnicate
expect no-file 2 "FILE" 0 -- screen
expect bad-as-of 2 "as-of" 0 -- screen --as-of 2023-02-29 "$tmp/bom.csv"
expect unknown-option 2 "unknown option" 0 -- screen --fast "$tmp/bom.csv"
expect two-files 2 "only one FILE" 0 -- screen "$tmp/bom.csv" "$tmp/bom.csv"
expect missing-file 1 "No such file" 0 -- screen "$tmp/nope.csv"
expect empty-file 1 "empty" 0 -- screen "$tmp/empty.csv"
expect header-only 0 "no rows" 1 -- screen "$tmp/header-only.csv"
expect missing-column 1 'required column "title_level"' 0 -- screen "$tmp/missing.csv"
expect unknown-column 1 'column 9: unknown column "colour"' 0 -- screen "$tmp/unknown.csv"
expect duplicate-column 1 'duplicated column "name"' 0 -- screen "$tmp/dup.csv"
expect broken-header 1 "line 1, column 1" 0 -- screen "$tmp/broken-header.csv"
expect bom-accepted 0 "" 2 -- screen --as-of 2024-01-01 "$tmp/bom.csv"
expect bad-utf8-row 0 "" 2 -- screen --as-of 2024-01-01 "$tmp/utf8.csv"
grep -q 'invalid,.*not valid UTF-8' "$tmp/out" && pass=$((pass + 1)) || {
	echo "FAIL bad-utf8-row: no invalid row naming UTF-8"; fail=$((fail + 1)); }
expect directory 1 "" 0 -- screen /

echo "golden cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
