#!/bin/bash
# The workstation's screen tests: every tests/tui/test_*.sh, the real binary
# in its own tmux server (see tests/tui/lib.sh). Usage:
#   tui.sh GUANTONG SOURCE_DIR [--update] [NAME...]
# --update rewrites tests/tui/expected/*.txt from the screens seen; NAMEs
# (e.g. queue, intake) run only those tests.
set -u
bin=$1 src=$2
shift 2
update=""
[ "${1:-}" = --update ] && { update=--update; shift; }
if ! command -v tmux >/dev/null 2>&1; then
	echo "golden tui: tmux is not installed (scripts/deps.sh installs it); 0 passed, 0 failed"
	exit 0
fi
tests=()
if [ $# -gt 0 ]; then
	for n in "$@"; do tests+=("$src/tests/tui/test_$n.sh"); done
else
	tests=("$src"/tests/tui/test_*.sh)
fi
passed=0 failed=0 bad=()
for t in "${tests[@]}"; do
	name=$(basename "$t" .sh)
	start=$SECONDS
	out=$(bash "$t" "$bin" "$src" $update 2>&1)
	rc=$?
	printf '%s\n' "$out"
	p=$(grep -c '^PASS ' <<<"$out")
	f=$(grep -c '^FAIL ' <<<"$out")
	passed=$((passed + p))
	failed=$((failed + f))
	if [ $rc -ne 0 ] || [ "$f" -ne 0 ]; then
		bad+=("$name")
		[ "$f" -eq 0 ] && failed=$((failed + 1)) && echo "FAIL $name: exit status $rc"
	fi
	echo "-- $name: $p passed, $f failed ($((SECONDS - start)) s)"
done
[ ${#bad[@]} -gt 0 ] && echo "failed: ${bad[*]}"
echo "golden tui: $passed passed, $failed failed"
[ $failed -eq 0 ]
