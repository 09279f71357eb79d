#!/bin/bash
# A hung-up terminal (issue 13, item 7): the terminal of a workstation with
# an intake in progress goes away (its tmux server is killed, which closes
# the pty). The workstation is not the session leader, and SIGHUP is blocked
# in it besides, so nothing but the terminal itself tells it: as after
# `su - clerk` when the connection drops. It must exit within a second with
# status 129 (as for SIGHUP), its draft saved, instead of spinning on a
# terminal that returns end of file.
# A second run lets SIGHUP through (sent by hand, as a shell would): the same.
. "$(dirname "$0")/lib.sh"

if ! command -v python3 >/dev/null; then
	echo "SKIP $TUI_NAME: python3 is needed to start with SIGHUP blocked"
	exit 0
fi

# hup_start DB BLOCK: like tui_start, but the pane's shell ignores SIGHUP (so
# that it outlives the terminal and records the exit status) and, with
# BLOCK=1, the workstation starts with SIGHUP blocked.
hup_start() {
	local db=$1 block=$2
	tui_tmux kill-server >/dev/null 2>&1
	TUI_NSOCK=$((TUI_NSOCK + 1))
	TUI_SOCK=$TUI_SOCK_BASE-$TUI_NSOCK
	TUI_EXIT=$TUI_TMP/exit-$TUI_NSOCK
	local run
	if [ "$block" = 1 ]; then
		run=$(printf '%q ' python3 -c 'import os, signal, sys
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGHUP])
os.execv(sys.argv[1], sys.argv[1:])' "$GT_BIN" --db "$db")
	else
		run=$(printf '%q ' "$GT_BIN" --db "$db")
	fi
	local cmd="trap '' HUP; env -u LANGUAGE -u LANG -u NO_COLOR -u GUANTONG_DB LC_ALL=C.UTF-8 $run"
	cmd="$cmd; echo \$? >$(printf '%q' "$TUI_EXIT").tmp && mv $(printf '%q' "$TUI_EXIT").tmp $(printf '%q' "$TUI_EXIT")"
	SHELL=/bin/bash tui_tmux new-session -d -s gt -x 80 -y 24 "$cmd" \; set-option -g status off
}

hangup() { # TAG BLOCK
	local tag=$1 block=$2 db pid st
	db=$(tui_demo_db "$tag")
	hup_start "$db" "$block"
	wait_for "case queue" || { fail "$tag-start" "no queue"; return; }
	tui_keys i
	wait_line '^ +│$' || { fail "$tag-open" "no intake form after i"; return; }
	tui_type 断线测试
	wait_for "断线测试" || { fail "$tag-typed" "the name typed does not show"; return; }
	pid=$(tui_pid)
	[ -n "$pid" ] || { fail "$tag-pid" "no workstation process"; return; }
	local t0
	t0=$(date +%s.%N)
	tui_tmux kill-server >/dev/null 2>&1
	[ "$block" = 1 ] || kill -HUP "$pid" 2>/dev/null
	# Within a second (polled every 50 ms).
	local i
	for ((i = 0; i < 20; i++)); do
		[ -s "$TUI_EXIT" ] && break
		sleep 0.05
	done
	if [ -s "$TUI_EXIT" ]; then
		local t1
		t1=$(date +%s.%N)
		pass "$tag-exits-within-a-second ($(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f s", b - a }'))"
		st=$(cat "$TUI_EXIT")
		check "$tag-status-129" [ "$st" = 129 ]
	else
		local cpu
		cpu=$(ps -o %cpu= -p "$pid" 2>/dev/null)
		fail "$tag-exits-within-a-second" "still running after 1 s (pid $pid, ${cpu:-?}% CPU)"
		kill -9 "$pid" 2>/dev/null
		return
	fi
	local draft
	draft=$(sqlite3 "$db" "SELECT fields FROM drafts" 2>/dev/null)
	if [[ $draft == *断线测试* ]]; then
		pass "$tag-draft-saved"
	else
		fail "$tag-draft-saved" "drafts: ${draft:-none}"
	fi
}

hangup blocked 1
hangup sighup 0

tui_done
