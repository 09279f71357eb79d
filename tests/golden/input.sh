#!/bin/bash
# Golden tests of the input forms (spec, Input) through the real binary:
# spreadsheet dates, GB18030 files with --encoding gb18030 for screen and
# import, and the one-line hint when a file is not UTF-8. Files: fixtures/input/.
# Usage: input.sh GUANTONG SOURCE_DIR
set -u
bin=$1 src=$2
dir=$src/fixtures/input
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset LANGUAGE GUANTONG_DB
export LC_ALL=C.UTF-8
pass=0 fail=0
ok() { pass=$((pass + 1)); }
not_ok() { echo "FAIL $1"; shift; for l in "$@"; do echo "    $l"; done; fail=$((fail + 1)); }
screen() { "$bin" screen --as-of 2024-06-30 "$@"; }

# ---- dates: YYYY/M/D and YYYY.M.D are the same date as YYYY-MM-DD
screen "$dir/dates.csv" >"$tmp/dates.out" 2>"$tmp/dates.err"
screen "$dir/dates-iso.csv" >"$tmp/iso.out" 2>/dev/null
if cmp -s "$tmp/dates.out" "$tmp/iso.out" && ! grep -q ',invalid,' "$tmp/dates.out"; then ok; else
	not_ok "spreadsheet dates read as the ISO dates" "$(diff "$tmp/iso.out" "$tmp/dates.out" | head -5)"; fi
screen "$dir/dates-bad.csv" >"$tmp/bad.out" 2>/dev/null
if cmp -s "$tmp/bad.out" "$dir/dates-bad.expected.csv"; then ok; else
	not_ok "malformed and unreal dates" "$(diff "$dir/dates-bad.expected.csv" "$tmp/bad.out" | head -5)"; fi

# ---- GB18030 with --encoding: the same bytes out as the UTF-8 twin
screen --encoding gb18030 "$dir/gb18030.csv" >"$tmp/gb.out" 2>"$tmp/gb.err"
rc=$?
screen "$dir/gb18030.utf8.csv" >"$tmp/utf8.out" 2>/dev/null
if [ $rc -eq 0 ] && cmp -s "$tmp/gb.out" "$tmp/utf8.out" && [ ! -s "$tmp/gb.err" ] &&
	grep -q '^gb-four-byte-name,eligible,' "$tmp/gb.out"; then ok; else
	not_ok "screen --encoding gb18030" "exit $rc, stderr: $(cat "$tmp/gb.err")" "$(diff "$tmp/utf8.out" "$tmp/gb.out" | head -5)"; fi
screen --encoding=GB18030 - <"$dir/gb18030.csv" >"$tmp/gb2.out" 2>/dev/null
if cmp -s "$tmp/gb2.out" "$tmp/utf8.out"; then ok; else not_ok "--encoding=GB18030 from standard input"; fi
# --explain reads it the same way: the four-byte character comes out whole.
screen --explain --encoding gb18030 "$dir/gb18030.csv" >"$tmp/gbx.out" 2>/dev/null
if grep -q '^gb-four-byte-name 𠮷野德胜  500103197304080375$' "$tmp/gbx.out"; then ok; else
	not_ok "--explain --encoding gb18030" "$(head -3 "$tmp/gbx.out")"; fi

# ---- bytes that are not GB18030: the row, line and column, and reading goes on
screen --encoding gb18030 "$dir/gb18030-invalid.csv" >"$tmp/gbbad.out" 2>"$tmp/gbbad.err"
rc=$?
if [ $rc -eq 0 ] && cmp -s "$tmp/gbbad.out" "$dir/gb18030-invalid.expected.csv" && [ ! -s "$tmp/gbbad.err" ]; then ok; else
	not_ok "invalid GB18030" "exit $rc, stderr: $(cat "$tmp/gbbad.err")" "$(diff "$dir/gb18030-invalid.expected.csv" "$tmp/gbbad.out" | head -5)"; fi

# ---- without --encoding: invalid rows, and the hint once on stderr
screen "$dir/gb18030.csv" >"$tmp/nohint.out" 2>"$tmp/hint.err"
rc=$?
n=$(grep -c -- '--encoding gb18030' "$tmp/hint.err")
if [ $rc -eq 0 ] && [ "$n" -eq 1 ] && [ "$(wc -l <"$tmp/hint.err")" -eq 1 ] &&
	[ "$(grep -c ',invalid,.*not valid UTF-8' "$tmp/nohint.out")" -eq 4 ]; then ok; else
	not_ok "the GB18030 hint, once" "exit $rc, $n hints: $(cat "$tmp/hint.err")"; fi
LANGUAGE=zh_CN screen "$dir/gb18030.csv" 2>&1 >/dev/null | grep -q 'GB18030.*--encoding gb18030' &&
	LANGUAGE=zh_CN screen "$dir/gb18030.csv" 2>&1 >/dev/null | grep -q '不是有效的 UTF-8' && ok ||
	not_ok "the hint in Chinese" "$(LANGUAGE=zh_CN screen "$dir/gb18030.csv" 2>&1 >/dev/null)"
screen "$dir/gb18030.utf8.csv" >/dev/null 2>"$tmp/quiet.err"
if [ ! -s "$tmp/quiet.err" ]; then ok; else not_ok "no hint for a UTF-8 file" "$(cat "$tmp/quiet.err")"; fi
screen --encoding latin1 "$dir/gb18030.csv" >/dev/null 2>"$tmp/usage.err"
if [ $? -eq 2 ] && grep -q 'gb18030' "$tmp/usage.err"; then ok; else not_ok "--encoding latin1 is bad usage"; fi

# ---- import: the same option and the same hint
db=$tmp/cases.db
"$bin" import --db "$db" --as-of 2024-06-30 --encoding gb18030 "$dir/gb18030.csv" >/dev/null 2>"$tmp/imp.err"
rc=$?
names=$(sqlite3 -batch "$db" 'select name from applicants order by name' 2>/dev/null | tr '\n' ' ')
# (rows gb-two-byte and gb-quoted give one identity number, as 王建国 and then
# 胡家豪: the applicant carries the later row's name, as an update would give it)
if [ $rc -eq 0 ] && [[ $names == *𠮷野德胜* ]] && [[ $names == *刘䶮* ]] && [[ $names == *胡家豪* ]] &&
	[ "$(sqlite3 -batch "$db" 'select count(*) from cases' 2>/dev/null)" = 4 ]; then ok; else
	not_ok "import --encoding gb18030" "exit $rc: $(cat "$tmp/imp.err")" "names: $names"; fi
"$bin" import --db "$tmp/two.db" --as-of 2024-06-30 "$dir/gb18030.csv" >/dev/null 2>"$tmp/imp2.err"
rc=$?
n=$(grep -c -- '--encoding gb18030' "$tmp/imp2.err")
if [ $rc -eq 1 ] && [ "$n" -eq 1 ] && grep -q 'line 3, applicant name (column 2)' "$tmp/imp2.err"; then ok; else
	not_ok "import without --encoding: invalid rows and the hint once" "exit $rc, $n hints: $(cat "$tmp/imp2.err")"; fi
"$bin" import --db "$tmp/three.db" --as-of 2024-06-30 --encoding gb18030 "$dir/gb18030-invalid.csv" >/dev/null 2>"$tmp/imp3.err"
if [ $? -eq 1 ] && grep -q 'line 3, applicant name (column 2): the field is not valid GB18030' "$tmp/imp3.err" &&
	grep -q 'line 4, date of application (column 15)' "$tmp/imp3.err"; then ok; else
	not_ok "import of invalid GB18030" "$(cat "$tmp/imp3.err")"; fi

echo "golden input: $pass passed, $fail failed"
[ $fail -eq 0 ]
