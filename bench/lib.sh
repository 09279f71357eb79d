# bench/lib.sh: what the benchmark scripts share (sourced from the top of the
# repository, after LOG and say are set): peak RSS by GNU time (installed if
# missing, else /proc polling), and run_once.
# shellcheck shell=bash

# ---- peak RSS: GNU time, installed if missing, else /proc polling
TIME_BIN=/usr/bin/time
if ! "$TIME_BIN" -f %M true >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		say "installing GNU time"
		apt-get install -y time >/dev/null 2>&1 ||
			{ apt-get update >/dev/null 2>&1 && apt-get install -y time >/dev/null 2>&1; } || true
	fi
fi
if "$TIME_BIN" -f %M true >/dev/null 2>&1; then RSS_HOW="GNU time %M"; else TIME_BIN=; RSS_HOW="/proc VmHWM, polled"; fi

now_ns() { date +%s%N; }

# run_once STDOUT_FILE CMD...: runs CMD once (stdout to the file, stderr to the
# log), sets WALL (seconds), CPU (user + sys seconds, "" without GNU time) and
# RSS (KiB).
run_once() {
	local outf=$1 tf
	shift
	tf=$(mktemp)
	local t0 t1 st=0 u s
	t0=$(now_ns)
	CPU=
	if [ -n "$TIME_BIN" ]; then
		"$TIME_BIN" -f '%M %U %S' -o "$tf" "$@" >"$outf" 2>>"$LOG" || st=$?
		read -r RSS u s < <(tail -n 1 "$tf")
		CPU=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
	else
		"$@" >"$outf" 2>>"$LOG" &
		local pid=$! hwm=0 v
		while kill -0 "$pid" 2>/dev/null; do
			v=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
			[ -n "$v" ] && hwm=$v
			sleep 0.02
		done
		wait "$pid" || st=$?
		RSS=$hwm
	fi
	t1=$(now_ns)
	rm -f "$tf"
	WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	if [ "$st" != 0 ]; then
		echo "command failed (exit $st): $*" >&2
		echo "--- last lines of $LOG:" >&2
		tail -n 5 "$LOG" >&2
		exit 1
	fi
}

# The median of the arguments (the lower middle one); uncache FILE...
median() { printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"; }
# Drops one database's pages from the page cache (nobody else's).
uncache() {
	python3 - "$@" <<'EOF'
import os, sys
for p in sys.argv[1:]:
    if os.path.exists(p):
        fd = os.open(p, os.O_RDONLY)
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(fd)
EOF
}
