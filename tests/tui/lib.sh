#!/bin/bash
# Shared helpers for the workstation's screen tests: the real binary in an
# isolated tmux server (its own socket, no configuration file), keys sent
# with send-keys, the screen read with capture-pane, and every wait a poll
# with a timeout (never a fixed sleep).
#
# A test script is run as  bash test_NAME.sh GUANTONG SOURCE_DIR [--update]
# and does:  . "$(dirname "$0")/lib.sh"  then tui_start / wait_for / check /
# tui_done. It prints one "PASS name" or "FAIL name: why" line per check and
# exits non-zero when any check failed.
set -u

GT_BIN=${1:?usage: test_NAME.sh GUANTONG SOURCE_DIR [--update]}
GT_SRC=${2:?usage: test_NAME.sh GUANTONG SOURCE_DIR [--update]}
TUI_UPDATE=0
[ "${3:-}" = --update ] && TUI_UPDATE=1
case $GT_BIN in /*) ;; *) GT_BIN=$PWD/$GT_BIN ;; esac
case $GT_SRC in /*) ;; *) GT_SRC=$PWD/$GT_SRC ;; esac
TUI_DIR=$GT_SRC/tests/tui
TUI_NAME=$(basename "$0" .sh)
# Each start gets a server of its own (a new socket: reusing one just killed
# races with the old server's exit); all are killed at the end.
TUI_SOCK_BASE="gt-tui-$$-$RANDOM"
TUI_NSOCK=0
TUI_SOCK=$TUI_SOCK_BASE-0
TUI_EXIT=/nonexistent
TUI_COLS=0 TUI_LINES=0
TUI_TMP=$(mktemp -d "${TMPDIR:-/tmp}/gt-tui.XXXXXX")
# Polls: every TUI_POLL seconds, for at most TUI_TIMEOUT seconds by default
# (generous: the suite must pass on a loaded 2-core machine and under
# AddressSanitizer).
TUI_TIMEOUT=${TUI_TIMEOUT:-20}
TUI_POLL=0.05
tui_pass=0 tui_failed=0
TUI_SCREEN=""   # the last screen captured

# tui_sleep SECONDS: a poll's pause without a process (each fork costs
# milliseconds of CPU on a virtual machine): a read with a time-out on a FIFO
# that nobody writes, held open both ways so that it neither blocks nor ends.
if mkfifo "$TUI_TMP/nap" 2>/dev/null && exec {TUI_NAP}<>"$TUI_TMP/nap"; then
	tui_sleep() { read -r -t "$1" -u "$TUI_NAP" _ 2>/dev/null || :; }
else
	tui_sleep() { sleep "$1"; }
fi

# The tests' own tools read UTF-8 whatever the caller's locale (ctest may run
# with none); tmux is told so too (-u).
export LC_ALL=C.UTF-8
unset LANGUAGE TMUX TMUX_PANE # (also when run from inside tmux)
tui_tmux() { tmux -u -L "$TUI_SOCK" -f /dev/null "$@"; }

# A server killed may leave its socket file behind: removed too.
TUI_SOCKDIR=${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)
tui_cleanup() {
	local i
	tui_ctl_close
	for ((i = 0; i <= TUI_NSOCK; i++)); do
		tmux -L "$TUI_SOCK_BASE-$i" -f /dev/null kill-server >/dev/null 2>&1
		rm -f "$TUI_SOCKDIR/$TUI_SOCK_BASE-$i"
	done
	rm -rf "$TUI_TMP"
}
trap tui_cleanup EXIT
trap 'exit 130' INT TERM
# A test that ctest kills at its TIMEOUT gets SIGKILL, and so do the
# processes below it, but its traps do not run, and the tmux servers it
# started (daemons, no longer below it) and the guantong in their panes ran
# on (seen: tui/level). A watcher outside the test's process tree (a
# session of its own, its parent gone) waits for the script's end, then
# kills what is left of its servers and removes its directory; after a
# normal end it finds nothing. tail --pid waits without a process a check.
# Its output goes nowhere, so that ctest does not wait for it.
(setsid bash -c 'tail --pid="$1" -f /dev/null
	for s in "$2/$3"-*; do
		[ -S "$s" ] || continue
		tmux -S "$s" -f /dev/null kill-server
		rm -f "$s"
	done
	rm -rf "$4"' tui-reaper $$ "$TUI_SOCKDIR" "$TUI_SOCK_BASE" "$TUI_TMP" </dev/null >/dev/null 2>&1 &)

if ! command -v tmux >/dev/null 2>&1; then
	echo "SKIP $TUI_NAME: tmux is not installed"
	exit 0
fi

# A fresh database path for this test (the workstation creates it; the OS
# user running the tests becomes its admin).
tui_db() { echo "$TUI_TMP/${1:-cases}.db"; }

# The batch commands on a database: gt DB ARGS...
gt() { local db=$1; shift; env -u LANGUAGE LC_ALL=C.UTF-8 "$GT_BIN" "${1}" --db "$db" "${@:2}"; }

# A database with the 13 valid demo cases (as "Load the demo cases" would).
tui_demo_db() {
	local db
	db=$(tui_db "${1:-demo}")
	gt "$db" import --skip-invalid --reject "$TUI_TMP/demo-rejects.csv" --force "$GT_SRC/fixtures/demo.csv" \
		2>"$TUI_TMP/import.err" || { echo "FAIL $TUI_NAME: demo import: $(cat "$TUI_TMP/import.err")" >&2; }
	echo "$db"
}

# tui_start COLS LINES DB [VAR=VALUE...]: starts the workstation on DB in a
# COLS x LINES window (DB "--demo": guantong --demo, its database under
# XDG_DATA_HOME, which the caller gives). The environment is clean of the variables that change
# the screens; VAR=VALUE pairs are added (LC_ALL=C.UTF-8 unless given).
tui_start() {
	local cols=$1 lines=$2 db=$3
	shift 3
	local lc=C.UTF-8 v
	for v in "$@"; do
		case $v in LC_ALL=*) lc=${v#LC_ALL=} ;; esac
	done
	tui_ctl_close
	tui_tmux kill-server >/dev/null 2>&1
	TUI_NSOCK=$((TUI_NSOCK + 1))
	TUI_SOCK=$TUI_SOCK_BASE-$TUI_NSOCK
	TUI_EXIT=$TUI_TMP/exit-$TUI_NSOCK
	# The shell in the pane writes the exit status (tmux itself does not
	# always reap a pane's process in time to report it).
	local cmd
	cmd=$(printf '%q ' env -u LANGUAGE -u LANG -u NO_COLOR -u GUANTONG_ASCII -u GUANTONG_TIMING \
		-u GUANTONG_DB -u LINES -u COLUMNS LC_ALL="$lc" "$@" "$GT_BIN")
	if [ "$db" = --demo ]; then
		cmd="$cmd --demo"
	else
		cmd="$cmd --db $(printf '%q' "$db")"
	fi
	cmd="$cmd; echo \$? >$(printf '%q' "$TUI_EXIT").tmp && mv $(printf '%q' "$TUI_EXIT").tmp $(printf '%q' "$TUI_EXIT")"
	SHELL=/bin/bash tui_tmux new-session -d -s gt -x "$cols" -y "$lines" "$cmd" \; \
		set-option -g remain-on-exit on \; set-option -g status off
	TUI_COLS=$cols TUI_LINES=$lines
	tui_ctl_open
}

# The screen as text, one line per row, trailing blanks removed.
tui_capture() { tui_tmux capture-pane -p -t gt 2>/dev/null; }

# The polls read the screen through one control-mode client of the test's
# server (tmux -C, a coprocess): a capture is a command line written and its
# %begin...%end block read back. A tmux client started for each poll cost
# about 30 ms of CPU, most of the screen tests' CPU. tui_read falls back to
# such a client when the control client is gone.
tui_ctl_open() {
	tui_ctl_close
	coproc TUI_CC { exec tmux -u -L "$TUI_SOCK" -f /dev/null -C attach-session -t gt 2>/dev/null; }
	# no %output notifications: the pane's bytes would come down the pipe too
	tui_ctl refresh-client -f no-output || tui_ctl_close
}
tui_ctl_close() {
	local pid=${TUI_CC_PID:-}
	if [ -n "${TUI_CC[1]:-}" ]; then
		exec {TUI_CC[1]}>&- 2>/dev/null
	fi
	# The end of its input detaches the client, unless another process
	# holds the pipe's write end too: seen, the test's tmux server held it
	# (its fd 9), and this wait never returned (tui/search stopped for
	# 393 s in a fresh clone's CI until the client was killed by hand,
	# then passed; tui/keys and tui/resize once stopped at an idle screen
	# under load, most likely the same way).
	# So the client is also told to stop; it holds nothing of the test's.
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	unset TUI_CC TUI_CC_PID 2>/dev/null
	return 0
}
# tui_ctl COMMAND: runs one tmux command through the control client; its
# output in TUI_CC_OUT (the lines, newline-joined, as $(...) would leave
# them). Non-zero when the command failed, 2 when there is no client.
tui_ctl() {
	[ -n "${TUI_CC[0]:-}" ] && [ -n "${TUI_CC[1]:-}" ] || return 2
	printf '%s\n' "$*" 2>/dev/null >&"${TUI_CC[1]}" || return 1
	local line tag="" out=""
	while IFS= read -r -t 10 line <&"${TUI_CC[0]}"; do
		if [ -z "$tag" ]; then
			# before the block: notifications (%session-changed, ...) and
			# the attach's own block (flags 0: not a command of ours)
			case $line in "%begin "*" 1") tag=${line#%begin }; tag=${tag% *} ;; esac
			continue
		fi
		# the block ends with the %end (or %error) of the same time and number
		case $line in
		"%end $tag "*) TUI_CC_OUT=$out; TUI_CC_OUT=${TUI_CC_OUT%"${TUI_CC_OUT##*[!$'\n']}"}; return 0 ;;
		"%error $tag "*) return 1 ;;
		esac
		out+=$line$'\n'
	done
	return 1
}
# tui_read: the screen into TUI_SCREEN. The server saves it to a file and
# the shell reads that: bash reads a pipe a byte at a time (a read(2) each,
# to leave what follows the line unread) but a regular file a block at a
# time, and a screen through the control client's pipe cost about 10 ms of
# CPU a poll, most of the screen tests' CPU.
tui_read() {
	if tui_ctl capture-pane -t gt -b gt-screen &&
		tui_ctl save-buffer -b gt-screen "'$TUI_TMP/screen'"; then
		{ IFS= read -r -d '' TUI_SCREEN || :; } <"$TUI_TMP/screen"
		TUI_SCREEN=${TUI_SCREEN%"${TUI_SCREEN##*[!$'\n']}"}
	else
		tui_ctl_close
		TUI_SCREEN=$(tui_capture)
	fi
}
# The screen with its attributes as escape sequences (colours, reverse...).
tui_capture_attrs() { tui_tmux capture-pane -p -e -t gt 2>/dev/null; }

# tui_keys ARGS...: send-keys -t gt ARGS. Through the control client, each
# word in single quotes for tmux's parser (a ' as '\''): a tmux client a
# call was 30 ms of CPU. A word with a line break, which a command line
# cannot hold, and a test without the control client use a client.
tui_keys() {
	local a line="send-keys -t gt" rc
	for a in "$@"; do
		case $a in *[$'\n\r']*) tui_tmux send-keys -t gt "$@"; return ;; esac
		line+=" '${a//\'/\'\\\'\'}'"
	done
	tui_ctl "$line"
	rc=$?
	[ $rc -eq 2 ] && { tui_tmux send-keys -t gt "$@"; return; }
	return $rc
}
tui_type() { tui_keys -l "$1"; }

# wait_for TEXT [TIMEOUT]: until the screen shows TEXT (a fixed string).
# Leaves the screen in TUI_SCREEN; on time-out prints it and returns 1.
wait_for() {
	local text=$1 timeout=${2:-$TUI_TIMEOUT}
	local end=$((SECONDS + timeout))
	while :; do
		tui_read
		if [[ $TUI_SCREEN == *"$text"* ]]; then
			# The text is there; let the rest of the screen settle (a
			# capture can fall between two parts of one redraw), so that
			# checks of TUI_SCREEN that follow see the whole screen.
			local i prev
			for i in 1 2 3 4 5 6 7 8 9 10; do
				tui_sleep 0.05
				prev=$TUI_SCREEN
				tui_read
				[ "$TUI_SCREEN" = "$prev" ] && break
			done
			return 0
		fi
		if [ $SECONDS -ge $end ]; then
			echo "  (waited ${timeout}s for \"$text\"; the screen:)" >&2
			printf '%s\n' "$TUI_SCREEN" | sed 's/^/  | /' >&2
			return 1
		fi
		tui_sleep $TUI_POLL
	done
}

# wait_gone TEXT [TIMEOUT]: until the screen no longer shows TEXT.
wait_gone() {
	local text=$1 timeout=${2:-$TUI_TIMEOUT}
	local end=$((SECONDS + timeout))
	while :; do
		tui_read
		[[ $TUI_SCREEN != *"$text"* ]] && return 0
		if [ $SECONDS -ge $end ]; then
			echo "  (waited ${timeout}s for \"$text\" to go; the screen:)" >&2
			printf '%s\n' "$TUI_SCREEN" | sed 's/^/  | /' >&2
			return 1
		fi
		tui_sleep $TUI_POLL
	done
}

# wait_line REGEX [TIMEOUT]: until a line of the screen matches REGEX (grep -E).
wait_line() {
	local re=$1 timeout=${2:-$TUI_TIMEOUT}
	local end=$((SECONDS + timeout))
	while :; do
		tui_read
		grep -Eq -- "$re" <<<"$TUI_SCREEN" && return 0
		if [ $SECONDS -ge $end ]; then
			echo "  (waited ${timeout}s for a line matching /$re/; the screen:)" >&2
			printf '%s\n' "$TUI_SCREEN" | sed 's/^/  | /' >&2
			return 1
		fi
		tui_sleep $TUI_POLL
	done
}

# wait_stable [TIMEOUT]: until two captures 0.2 s apart are the same.
wait_stable() {
	local timeout=${1:-$TUI_TIMEOUT} prev=""
	local end=$((SECONDS + timeout))
	tui_read
	prev=$TUI_SCREEN
	while :; do
		tui_sleep 0.2
		tui_read
		[ "$TUI_SCREEN" = "$prev" ] && return 0
		prev=$TUI_SCREEN
		[ $SECONDS -ge $end ] && return 1
	done
}

# The workstation's process id (a child of the pane's shell).
tui_pid() {
	local sh
	sh=$(tui_tmux display-message -p -t gt '#{pane_pid}')
	pgrep -P "$sh" -x guantong | head -n 1
}

# wait_exit [TIMEOUT]: until the workstation has exited; prints its status.
wait_exit() {
	local timeout=${1:-$TUI_TIMEOUT}
	local end=$((SECONDS + timeout))
	until [ -s "$TUI_EXIT" ]; do
		if [ $SECONDS -ge $end ]; then
			echo "  (the workstation did not exit within ${timeout}s)" >&2
			return 1
		fi
		tui_sleep $TUI_POLL
	done
	cat "$TUI_EXIT"
}

# tui_quit NAME: q from the queue; the workstation exits with status 0.
tui_quit() {
	local name=${1:-quit} st
	tui_keys q
	if st=$(wait_exit) && [ "$st" = 0 ]; then
		pass "$name"
	else
		fail "$name" "exit status ${st:-none} after q"
		tui_capture | sed 's/^/  | /' >&2
	fi
}

# resize COLS LINES: the window (and so the pane) to COLS x LINES.
tui_resize() {
	tui_tmux resize-window -t gt -x "$1" -y "$2"
	TUI_COLS=$1 TUI_LINES=$2
}

# zh_ready NAME: the zh_CN.UTF-8 locale is installed and the program finds
# its Chinese catalogue (else the Chinese screens show codes); else one FAIL
# saying which, and false (the caller skips its Chinese part).
zh_ready() {
	if ! locale -a 2>/dev/null | grep -qiE '^zh_CN\.utf-?8$'; then
		fail "$1" "the zh_CN.UTF-8 locale is not installed (scripts/deps.sh generates it)"
		return 1
	fi
	local out
	out=$(printf 'case_ref,name,id_number,region,direction,series,skill_level,title_level\nr,x,11010519491231002X,chongqing,skill_to_title,engineering,senior,none\n' |
		env -u LANGUAGE LC_ALL=zh_CN.UTF-8 "$GT_BIN" screen --as-of 2024-01-01 - 2>&1 | tail -n 1)
	if [[ $out != *第2行* ]]; then
		fail "$1" "guantong speaks no Chinese under zh_CN.UTF-8: is the catalogue built (the translations target)? $out"
		return 1
	fi
}

# tui_gen_cases N FIRST: N cases (case_ref P<FIRST>...) with valid identity
# numbers, names from a small pool, as a case CSV on standard output.
tui_gen_cases() {
	python3 - "$1" "$2" <<'PY'
import sys
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
C = "10X98765432"
surn, given = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"
regions = [("chongqing", "500103"), ("anshan", "210302"), ("sichuan", "510104"), ("jiangsu", "320602"), ("guangzhou", "440106")]
n, first = int(sys.argv[1]), int(sys.argv[2])
print("case_ref,name,id_number,region,direction,series,skill_level,skill_date,title_level,appraisals_passed,application_date")
for i in range(first, first + n):
    region, area = regions[i % 5]
    body = f"{area}19{60 + i % 40:02d}{1 + i % 12:02d}{1 + i % 28:02d}{i % 1000:03d}"
    idn = body + C[sum(int(d) * w for d, w in zip(body, W)) % 11]
    name = surn[(i * 7) % 20] + given[(i * 3) % 20] + given[i % 20]
    print(f"P{i},{name},{idn},{region},skill_to_title,engineering,senior,2019-05-01,none,3,2025-06-15")
PY
}

# ---- results

pass() {
	echo "PASS $TUI_NAME/$1"
	tui_pass=$((tui_pass + 1))
	# TUI_VERBOSE=1: the screen each check looked at.
	[ "${TUI_VERBOSE:-0}" = 1 ] && printf '%s\n' "$TUI_SCREEN" | sed 's/^/  | /'
	return 0
}
fail() {
	echo "FAIL $TUI_NAME/$1: $2"
	tui_failed=$((tui_failed + 1))
}
# check NAME COMMAND...: PASS when COMMAND succeeds.
check() {
	local name=$1; shift
	if "$@"; then pass "$name"; else fail "$name" "$*"; fi
}
# screen_has NAME TEXT...: the last screen (TUI_SCREEN) shows every TEXT.
screen_has() {
	local name=$1 t; shift
	for t in "$@"; do
		if [[ $TUI_SCREEN != *"$t"* ]]; then
			fail "$name" "the screen lacks \"$t\""
			printf '%s\n' "$TUI_SCREEN" | sed 's/^/  | /'
			return 1
		fi
	done
	pass "$name"
}
screen_lacks() {
	local name=$1 t; shift
	for t in "$@"; do
		if [[ $TUI_SCREEN == *"$t"* ]]; then
			fail "$name" "the screen shows \"$t\""
			printf '%s\n' "$TUI_SCREEN" | sed 's/^/  | /'
			return 1
		fi
	done
	pass "$name"
}
# expect NAME TEXT [TIMEOUT]: waits for TEXT; PASS or FAIL.
expect() {
	if wait_for "$2" "${3:-$TUI_TIMEOUT}"; then pass "$1"; else fail "$1" "no \"$2\" on the screen"; fi
}

# ---- expected screens (tests/tui/expected/NAME.txt)

# The volatile parts of a screen: times, today's date, the OS user.
tui_mask() {
	local user
	user=$(id -un)
	sed -E -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?([+-][0-9]{2}:?[0-9]{2})?/YYYY-MM-DD hh:mm/g' \
		-e "s/$(date +%Y-%m-%d)/YYYY-MM-DD/g" \
		-e "s/(^|[^[:alnum:]_])$user([^[:alnum:]_]|\$)/\\1USER\\2/g" \
		-e 's/guantong-export-[0-9]{8}/guantong-export-YYYYMMDD/g'
}

# screen_is NAME REFERENCE: the screen (masked) becomes REFERENCE within
# the time-out (polled: a redraw may lag behind a resize on a loaded machine);
# else FAIL with the difference.
screen_is() {
	local name=$1 want=$2 got
	local end=$((SECONDS + TUI_TIMEOUT))
	while :; do
		tui_read
		got=$(printf '%s\n' "$TUI_SCREEN" | tui_mask)
		[ "$got" = "$want" ] && { pass "$name"; return 0; }
		[ $SECONDS -ge $end ] && break
		tui_sleep $TUI_POLL
	done
	fail "$name" "the screen differs from the one expected"
	diff -u <(printf '%s\n' "$want") <(printf '%s\n' "$got") | tail -n +3 | sed 's/^/  /'
	return 1
}

# same_screen NAME: the screen, masked, is expected/NAME.txt (with --update:
# the screen, once stable, is written there).
same_screen() {
	local name=$1 file=$TUI_DIR/expected/$1.txt
	if [ $TUI_UPDATE = 1 ]; then
		wait_stable
		mkdir -p "$TUI_DIR/expected"
		printf '%s\n' "$TUI_SCREEN" | tui_mask >"$file"
		echo "UPDATED $file"
		pass "$name"
		return 0
	fi
	if [ ! -f "$file" ]; then
		fail "$name" "no $file (run with --update)"
		return 1
	fi
	screen_is "$name" "$(cat "$file")"
}

# The end of a test: the summary line, and the exit status.
tui_done() {
	echo "$TUI_NAME: $tui_pass passed, $tui_failed failed"
	[ $tui_failed -eq 0 ]
}
