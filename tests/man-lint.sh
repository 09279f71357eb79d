#!/bin/bash
# man/*.1 and man/*.5 are generated from man/src by man/utf8-to-groff.py; both
# must be current and clean under groff -ww. Usage: man-lint.sh GROFF PYTHON SRC
set -u
groff=$1 python=$2 src=$3
fail=0 pass=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for page in guantong.1 guantong-csv.5; do
	"$python" "$src/man/utf8-to-groff.py" "$src/man/src/$page" "$tmp/$page"
	if ! cmp -s "$tmp/$page" "$src/man/$page"; then
		echo "FAIL $page: regenerate with man/utf8-to-groff.py man/src/$page man/$page"
		fail=$((fail + 1))
	fi
	out=$("$groff" -ww -t -man -z "$src/man/$page" 2>&1)
	if [ -n "$out" ]; then echo "FAIL $page: groff -ww: $out"; fail=$((fail + 1)); else pass=$((pass + 1)); fi
done
echo "man lint: $pass passed, $fail failed"
[ $fail -eq 0 ]
