#!/bin/bash
# The spec's worked examples (../shared/spec/examples/second-reading.csv,
# issue 12): one input row for each point the second reading settled; the
# eight machine columns of 'guantong screen' (case_ref and the seven after it,
# without the free-worded message) must equal second-reading.expected.csv,
# in English and in Chinese (the machine columns do not follow the language).
# The examples illustrate; the acceptance corpus is fixtures/screen. This
# test keeps the program from drifting away from what the spec shows.
# Usage: examples.sh GUANTONG SOURCE_DIR
set -u
bin=$1 src=$2
dir=$src/../shared/spec/examples
[ -d "$dir" ] || dir=$(dirname "$src")/shared/spec/examples
if [ ! -f "$dir/second-reading.csv" ]; then
	echo "FAIL: the spec's examples are not beside the source tree ($dir)"
	exit 1
fi
fail=0 pass=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The expected columns hold no quote and no comma inside a field, so the
# first nine comma-separated fields of a row are its first nine columns; a
# quoted field among them would make the rows differ and the test fail.
tr -d '\r' <"$dir/second-reading.expected.csv" >"$tmp/expected"
ncol=$(head -1 "$tmp/expected" | tr ',' '\n' | wc -l)

for lang in en zh_CN; do
	if ! env LANGUAGE=$lang LC_ALL=C.UTF-8 "$bin" screen "$dir/second-reading.csv" >"$tmp/out" 2>"$tmp/err"; then
		echo "FAIL $lang: exit $?: $(head -3 "$tmp/err")"
		fail=$((fail + 1))
		continue
	fi
	tr -d '\r' <"$tmp/out" | cut -d, -f1-"$ncol" >"$tmp/cols"
	if [ "$(wc -l <"$tmp/cols")" -ne "$(wc -l <"$tmp/expected")" ]; then
		echo "FAIL $lang: $(wc -l <"$tmp/cols") rows, expected $(wc -l <"$tmp/expected")"
		fail=$((fail + 1))
	elif ! cmp -s "$tmp/cols" "$tmp/expected"; then
		echo "FAIL $lang: the machine columns differ from the spec's examples:"
		diff "$tmp/expected" "$tmp/cols" | head -20
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
done

echo "golden examples: $pass passed, $fail failed"
[ $fail -eq 0 ]
