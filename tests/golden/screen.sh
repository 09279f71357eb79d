#!/bin/bash
# Golden test of 'guantong screen': every fixtures/screen/NAME.csv screened
# with a fixed --as-of must give NAME.expected.csv byte for byte (English
# messages), and chongqing.csv in Chinese chongqing.expected.zh_CN.csv.
# Usage: screen.sh GUANTONG SOURCE_DIR     (--update rewrites the expected files)
set -u
bin=$1 src=$2 update=${3:-}
dir=$src/fixtures/screen
fail=0 pass=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { # name lang expected input
	local name=$1 lang=$2 expected=$3 input=$4 rc
	if [ -n "$lang" ]; then
		env LANGUAGE="$lang" LC_ALL=C.UTF-8 "$bin" screen --as-of 2024-06-30 "$input" >"$tmp/out" 2>"$tmp/err"
	else
		env -u LANGUAGE LC_ALL=C.UTF-8 "$bin" screen --as-of 2024-06-30 "$input" >"$tmp/out" 2>"$tmp/err"
	fi
	rc=$?
	if [ "$update" = --update ]; then cp "$tmp/out" "$expected"; fi
	if [ $rc -ne 0 ]; then
		echo "FAIL $name: exit $rc: $(cat "$tmp/err")"; fail=$((fail + 1))
	elif ! cmp -s "$tmp/out" "$expected"; then
		echo "FAIL $name: output differs from ${expected#$src/}:"
		diff "$expected" "$tmp/out" | head -20
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}

for input in "$dir"/*.csv; do
	case $input in *.intent.csv|*.expected.csv|*.expected.*.csv) continue ;; esac
	name=$(basename "$input" .csv)
	check "$name" "" "$dir/$name.expected.csv" "$input"
done
check "chongqing (zh_CN)" zh_CN "$dir/chongqing.expected.zh_CN.csv" "$dir/chongqing.csv"

# The same file from standard input gives the same bytes.
env -u LANGUAGE LC_ALL=C.UTF-8 "$bin" screen --as-of 2024-06-30 - <"$dir/ties.csv" >"$tmp/stdin.out"
if cmp -s "$tmp/stdin.out" "$dir/ties.expected.csv"; then pass=$((pass + 1)); else
	echo "FAIL stdin: output differs"; fail=$((fail + 1)); fi

echo "golden screen: $pass passed, $fail failed"
[ $fail -eq 0 ]
