#!/bin/bash
# What guantong prints, and when (issue 13, items 5 and 8): stored and input
# text reaches a terminal only made visible (escape bytes, C1 controls, bidi
# and zero-width characters), and every time a person reads is local time.
# Usage: term.sh GUANTONG SOURCE_DIR        Prints TAP-like "ok N - ..." lines.
set -u
bin=$1 src=$2
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
case $src in /*) ;; *) src=$PWD/$src ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8
unset LANGUAGE GUANTONG_DB TZ
export HOME=$tmp/home XDG_DATA_HOME=$tmp/home/.local/share
mkdir -p "$HOME"
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)) failed=$((failed + 1))
	echo "not ok $n - $1"
	shift
	local line
	for line in "$@"; do printf '#   %s\n' "$line"; done
}
has() { grep -qF -- "$2" "$1"; }
q() { sqlite3 -batch "$1" "$2"; }
# run NAME WANT-EXIT ARGS...: output in $tmp/out, $tmp/err.
run() {
	local name=$1 want=$2; shift 2
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	if [ "$rc" -ne "$want" ]; then
		not_ok "$name" "exit $rc, expected $want" "stderr: $(head -c 400 "$tmp/err")"
		return 1
	fi
	return 0
}
esc=$(printf '\033') c1=$(printf '\302\233') rlo=$(printf '\342\200\256') zw=$(printf '\342\200\213')
# visible NAME FILE WANT...: no raw ESC, CSI (U+009B), RLO or ZWSP in FILE,
# and each WANT present.
visible() {
	local name=$1 f=$2; shift 2
	local w
	for w in "$esc" "$c1" "$rlo" "$zw"; do
		if grep -qF -- "$w" "$f"; then
			not_ok "$name" "a raw control, bidi or zero-width character reached the output:" \
				"$(head -c 400 "$f" | od -c | head -5)"
			return
		fi
	done
	for w in "$@"; do
		if ! grep -qF -- "$w" "$f"; then
			not_ok "$name" "\"$w\" missing from:" "$(head -c 600 "$f")"
			return
		fi
	done
	ok "$name"
}

# ------------------------------------------------------- hostile text (item 5)
hdr=case_ref,name,id_number,region,direction,series,skill_level,skill_date,title_level
{
	echo "$hdr"
	# A name with a C1 CSI and a zero-width space, a case_ref with a bidi override.
	printf 'r1%s,张%s三%s[2J,11010519491231002X,chongqing,skill_to_title,engineering,senior,2015-01-01,none\n' \
		"$rlo" "$zw" "$c1"
	# An OSC title sequence and a screen clear in a region cell.
	printf 'r2,李四,11010519491231002X,%s]0;PWNED\a%s[2J,skill_to_title,engineering,senior,2015-01-01,none\n' \
		"$esc" "$esc"
	# An escape in a case_ref.
	printf 'r3%s[2J,王五,11010519491231002X,chongqing,skill_to_title,engineering,senior,2015-01-01,none\n' "$esc"
} >"$tmp/hostile.csv"
db=$tmp/h.db

run "import of a hostile file lists its errors" 1 import --db "$db" "$tmp/hostile.csv" &&
	visible "import's error messages show the cells' escapes visibly" "$tmp/err" \
		'"\x1b]0;PWNED\x07\x1b[2J"' 'line 3, region of the case'
run "import --skip-invalid of a hostile file" 0 import --db "$db" --skip-invalid --reject "$tmp/rej.csv" "$tmp/hostile.csv" &&
	visible "import --skip-invalid's messages show the cells' escapes visibly" "$tmp/err" '\x1b]0;PWNED'

note=$(printf '\033]0;PWNED\a\033[2J\033[HFAKE: approved by rev1')
run "decide with a hostile note" 0 decide --db "$db" 1 --return --note "$note" &&
	run "evaluate the hostile case" 0 evaluate --db "$db" 1 &&
	visible "evaluate shows a note's escapes, a name's C1 and zero-width and a case_ref's bidi visibly" \
		"$tmp/out" '\x1b]0;PWNED\x07\x1b[2J\x1b[HFAKE' '张<U+200B>三<U+009B>[2J' 'r1<U+202E>'
q "$db" "SELECT note FROM decisions" | grep -qF "$note" &&
	ok "the note is stored as given (only its display is escaped)" ||
	not_ok "the note is stored as given"

run "screen --explain of a hostile file" 0 screen --explain --as-of 2025-01-01 "$tmp/hostile.csv" &&
	visible "screen --explain shows names, case_ref and cells visibly" "$tmp/out" \
		'r1<U+202E>' '张<U+200B>三<U+009B>[2J' '\x1b]0;PWNED' 'r3\x1b[2J'

# screen's CSV: the contract's bytes into a pipe, made visible on a terminal.
run "screen into a pipe" 0 screen --as-of 2025-01-01 "$tmp/hostile.csv" &&
	grep -qF "r1$rlo" "$tmp/out" && ok "screen's CSV into a pipe keeps the contract's bytes" ||
	not_ok "screen's CSV into a pipe keeps the contract's bytes" "$(head -c 300 "$tmp/out")"
if command -v script >/dev/null; then
	script -qefc "$(printf '%q ' "$bin" screen --as-of 2025-01-01 "$tmp/hostile.csv")" /dev/null \
		>"$tmp/tty.out" 2>&1 </dev/null
	visible "screen's CSV on a terminal shows every cell visibly" "$tmp/tty.out" 'r1<U+202E>' '\x1b]0;PWNED'
else
	ok "screen's CSV on a terminal # SKIP no script(1)"
fi

run "user list" 0 user --db "$db" add "x$(printf '\033')[2J" --role clerk --name "名$(printf '\342\200\256')字" &&
	run "user list" 0 user --db "$db" list &&
	visible "user list shows logins and names visibly" "$tmp/out" 'x\x1b[2J' '名<U+202E>字'

# -------------------------------------------------------- local time (item 8)
# A case taken in at 20:30 UTC on 4 December: 5 December in Shanghai, still
# the 4th in Chicago.
tdb=$tmp/t.db
printf '%s\n%s\n' "$hdr" "t1,赵六,11010519491231002X,chongqing,skill_to_title,engineering,senior,2015-01-01,none" \
	>"$tmp/one.csv"
TZ=Asia/Shanghai "$bin" import --db "$tdb" "$tmp/one.csv" 2>"$tmp/err" >/dev/null
# (seconds since version 12: read as text through the view)
stored=$(q "$tdb" "SELECT created_at FROM case_times")
case $stored in
*+00:00) ok "times are stored in UTC whatever TZ is ($stored)" ;;
*) not_ok "times are stored in UTC" "created_at = $stored" ;;
esac
q "$tdb" "UPDATE cases SET created_at = '2026-12-04 20:30:00+00:00', updated_at = '2026-12-04 20:31:00+00:00';
	UPDATE evaluations SET evaluated_at = '2026-12-04 20:30:00+00:00';
	UPDATE users SET created_at = '2026-12-04 20:29:00+00:00'"
TZ=Asia/Shanghai "$bin" evaluate --db "$tdb" 1 >"$tmp/sh.out" 2>&1
TZ=America/Chicago "$bin" evaluate --db "$tdb" 1 >"$tmp/ch.out" 2>&1
if has "$tmp/sh.out" "created 2026-12-05 04:30 by" && has "$tmp/sh.out" "last changed 2026-12-05 04:31 by" &&
	has "$tmp/sh.out" "at 2026-12-05 04:30" && ! grep -q '+00:00\|[0-9]:[0-9][0-9]:[0-9][0-9]' "$tmp/sh.out"; then
	ok "evaluate shows local times without an offset (Asia/Shanghai)"
else
	not_ok "evaluate in Asia/Shanghai" "$(head -4 "$tmp/sh.out")"
fi
if has "$tmp/ch.out" "created 2026-12-04 14:30 by" && has "$tmp/ch.out" "at 2026-12-04 14:30"; then
	ok "evaluate shows local times (America/Chicago: the day before)"
else
	not_ok "evaluate in America/Chicago" "$(head -4 "$tmp/ch.out")"
fi
TZ=Asia/Shanghai "$bin" user --db "$tdb" list >"$tmp/u.out" 2>&1
has "$tmp/u.out" "2026-12-05 04:29" && ok "user list shows local times" ||
	not_ok "user list shows local times" "$(cat "$tmp/u.out")"
# export --since takes a local date: the case changed at 04:31 on the 5th in
# Shanghai, at 14:31 on the 4th in Chicago.
TZ=Asia/Shanghai "$bin" export --db "$tdb" --since 2026-12-05 >"$tmp/s1.csv" 2>/dev/null
TZ=America/Chicago "$bin" export --db "$tdb" --since 2026-12-05 >"$tmp/s2.csv" 2>/dev/null
TZ=America/Chicago "$bin" export --db "$tdb" --since 2026-12-04 >"$tmp/s3.csv" 2>/dev/null
if [ "$(wc -l <"$tmp/s1.csv")" -eq 2 ] && [ "$(wc -l <"$tmp/s2.csv")" -eq 1 ] && [ "$(wc -l <"$tmp/s3.csv")" -eq 2 ]; then
	ok "export --since DATE is a local date"
else
	not_ok "export --since DATE is a local date" "lines: $(wc -l <"$tmp/s1.csv") $(wc -l <"$tmp/s2.csv") $(wc -l <"$tmp/s3.csv")"
fi

# A file before version 5 held local times with their offset: opened for
# writing, it is migrated to UTC, the same moments. The file is an old one
# (tests/data/schema-v1.sql, as the store's migration test makes it), not a
# new one relabelled: later versions change more than the times.
mdb=$tmp/m.db
me=$(id -un)
{
	cat "$src/tests/data/schema-v1.sql"
	cat <<SQL
INSERT INTO meta VALUES ('created_at', '2026-12-05 13:54:12+08:00'), ('created_by', '$me');
INSERT INTO users (login, role, display_name, created_at, created_by)
	VALUES ('$me', 'admin', '', '2026-12-05 13:54:12+08:00', '$me');
INSERT INTO applicants (id, id_number, name, birth_date) VALUES (1, '11010519491231002X', '张伟', '1949-12-31');
INSERT INTO cases (id, applicant_id, case_ref, region, direction, series, skill_level, skill_date, title_level,
	appraisals_passed, application_date, evidence, status, version, created_at, created_by, updated_at,
	updated_by, outcome, target, eval_id)
	VALUES (1, 1, 'A1', 'chongqing', 'skill_to_title', 'engineering', 'technician', '2021-06-30', 'none', 3,
	'2024-06-30', 'id_card;skill_certificate;work_record;appraisal_records', 'submitted', 1,
	'2026-12-05 13:54:12+08:00', '$me', '2026-12-04 20:00:00-06:00', '$me', 'eligible', 'intermediate', 1);
INSERT INTO evaluations (id, case_id, case_version, ruleset, as_of, evaluated_at, evaluated_by, outcome, target,
	route, basis, unmet, missing_evidence, theory_exempt, citation, message, paths)
	VALUES (1, 1, 1, '2024.1.0', '2024-06-30', '2026-12-05 13:54:12+08:00', '$me', 'eligible', 'intermediate',
	'regular', '', '', '', 0, 'c', 'm', 'CQ-S2T-2=eligible');
PRAGMA user_version = 1;
SQL
} | sqlite3 -batch "$mdb"
TZ=Asia/Shanghai "$bin" user --db "$mdb" add clerk9 --role clerk >/dev/null 2>"$tmp/err"
got=$(q "$mdb" "SELECT created_at, updated_at, (SELECT evaluated_at FROM evaluation_times) FROM case_times; PRAGMA user_version")
# (to the current version, that of a new file)
"$bin" import --db "$tmp/fresh.db" "$tmp/one.csv" >/dev/null 2>&1
want="2026-12-05 05:54:12+00:00|2026-12-05 02:00:00+00:00|2026-12-05 05:54:12+00:00
$(q "$tmp/fresh.db" "PRAGMA user_version")"
[ "$got" = "$want" ] && ok "a file of local times with offsets is migrated to UTC (version 5 on)" ||
	not_ok "a file of local times with offsets is migrated to UTC" "got: $got" "$(cat "$tmp/err")"

# "today" (the application date of a row that gives none, the --as-of
# default) is the local date, on both sides of the date line.
for tz in Pacific/Kiritimati Pacific/Pago_Pago; do
	want=$(TZ=$tz date +%F)
	rm -f "$tmp/today.db"*
	TZ=$tz "$bin" import --db "$tmp/today.db" "$tmp/one.csv" >/dev/null 2>&1
	got=$(q "$tmp/today.db" "SELECT application_date FROM case_inputs")
	[ "$got" = "$want" ] && ok "import's default application date is the local date ($tz: $want)" ||
		not_ok "import's default application date is the local date ($tz)" "got $got, expected $want"
done

# ------------------------------------------------- audit records (item 9)
# A 10 KiB note of quotes, backslashes, controls and Chinese: the audit
# record is valid JSON and holds the whole note (it was cut at 2,047 bytes).
adb=$tmp/a.db
"$bin" import --db "$adb" "$tmp/one.csv" >/dev/null 2>&1
big=$(python3 -c 'import sys; sys.stdout.write(("\"q\" \\ \x01\x1b[2J\t审核意见，" * 600)[:10240])')
run "decide with a 10 KiB note" 0 decide --db "$adb" 1 --return --note "$big"
got=$(q "$adb" "SELECT json_valid(after), length(json_extract(after, '$.note')),
	json_extract(after, '$.note') = (SELECT note FROM decisions) FROM audit WHERE action = 'case.return'")
want="1|$(printf '%s' "$big" | python3 -c 'import sys; print(len(sys.stdin.read()))')|1"
[ "$got" = "$want" ] && ok "the audit record of a 10 KiB note is valid JSON with the whole note" ||
	not_ok "the audit record of a 10 KiB note is valid JSON with the whole note" "got $got, expected $want"
run "evaluate after a 10 KiB note" 0 evaluate --db "$adb" 1 &&
	visible "evaluate shows the whole 10 KiB note, made visible" "$tmp/out" "$(printf '%s' "${big: -40}" | python3 -c '
import sys; s = sys.stdin.read(); print(s.replace("\x01", "\\x01").replace("\x1b", "\\x1b").replace("\t", "\\t"), end="")')"
# Within the old limit of 1,000 bytes too: 500 quotes and 500 escapes (the
# record was cut at 2,047 bytes).
mid=$(python3 -c 'import sys; sys.stdout.write("\"\x1b" * 500)')
run "decide with 1,000 bytes of quotes and escapes" 0 decide --db "$tdb" 1 --return --note "$mid"
got=$(q "$tdb" "SELECT json_valid(after), json_extract(after, '$.note') = (SELECT note FROM decisions)
	FROM audit WHERE action = 'case.return'")
[ "$got" = "1|1" ] && ok "the audit record of 1,000 bytes of quotes and escapes is valid JSON with the whole note" ||
	not_ok "the audit record of 1,000 bytes of quotes and escapes is valid and complete" "got $got"
toolong=$(head -c 16385 /dev/zero | tr '\0' x)
run "a note of more than 16 KiB is refused" 1 decide --db "$adb" 1 --return --note "$toolong"
has "$tmp/err" "at most 16384 bytes" && ok "a note of more than 16 KiB is refused plainly" ||
	not_ok "a note of more than 16 KiB is refused plainly" "$(cat "$tmp/err")"
# A display name of 128 quotes (256 bytes escaped; the record was cut at 255).
dq=$(head -c 128 /dev/zero | tr '\0' '"')
run "user add with a name of 128 quotes" 0 user --db "$adb" add clerk1 --role clerk --name "$dq"
got=$(q "$adb" "SELECT json_valid(after), json_extract(after, '$.display_name') = (SELECT display_name FROM users WHERE login = 'clerk1')
	FROM audit WHERE action = 'user.create' AND entity_id = 'clerk1'")
[ "$got" = "1|1" ] && ok "the audit record of a user's name is valid JSON with the whole name" ||
	not_ok "the audit record of a user's name is valid JSON with the whole name" "got $got"
run "a name of more than 128 bytes is refused" 1 user --db "$adb" add clerk2 --role clerk --name "x$dq" &&
	has "$tmp/err" "at most 128 bytes" && ok "a name of more than 128 bytes is refused plainly" ||
	not_ok "a name of more than 128 bytes is refused plainly" "$(cat "$tmp/err")"
bad=$(q "$adb" "SELECT count(*) FROM audit WHERE NOT json_valid(coalesce(after, '{}')) OR NOT json_valid(coalesce(before, '{}'))")
[ "$bad" = 0 ] && ok "every audit record is valid JSON" || not_ok "every audit record is valid JSON" "$bad are not"

# decide --version N for a version the case never had: said plainly.
run "decide --version 7 on a case at version 2" 1 decide --db "$adb" 1 --return --note x --version 7 &&
	has "$tmp/err" "case 1 is at version 2; there is no version 7" &&
	! has "$tmp/err" "was changed by" && ok "decide --version from the future says there is no such version" ||
	not_ok "decide --version from the future says there is no such version" "$(cat "$tmp/err")"

# ------------------------------------------------- the demo database (item 9)
# guantong --demo: example cases in a database of their own, made on first
# use from the cases built into the binary (run from another directory, so
# no file of the source tree is read); the default database is not touched.
demo_home=$tmp/demo-home
mkdir -p "$demo_home"
(cd / && HOME=$demo_home XDG_DATA_HOME= GUANTONG_DB=$demo_home/real.db "$bin" --demo evaluate 1) \
	>"$tmp/out" 2>"$tmp/err"
rc=$?
ddb=$demo_home/.local/share/guantong/demo.db
if [ $rc = 0 ] && has "$tmp/out" "Case 1: 魏秋菊" && [ "$(q "$ddb" 'SELECT count(*) FROM cases')" = 13 ] &&
	[ ! -e "$demo_home/real.db" ] && [ ! -e "$demo_home/.local/share/guantong/cases.db" ]; then
	ok "guantong --demo makes its own database of the 13 demo cases, apart from the real one"
else
	not_ok "guantong --demo makes its own database" "exit $rc: $(head -c 300 "$tmp/err")" \
		"$(ls -la "$demo_home" "$demo_home/.local/share/guantong" 2>&1)"
fi
HOME=$demo_home XDG_DATA_HOME= "$bin" --demo import "$src/fixtures/demo.csv" >/dev/null 2>&1
[ "$(q "$ddb" 'SELECT count(*) FROM cases')" = 13 ] && ok "a second --demo does not load the cases again" ||
	not_ok "a second --demo does not load the cases again" "$(q "$ddb" 'SELECT count(*) FROM cases') cases"
run "--demo with --db" 2 --demo --db "$tmp/x.db" user list && has "$tmp/err" "exclude each other" &&
	ok "--demo and --db together are refused" || not_ok "--demo and --db together are refused" "$(cat "$tmp/err")"

# ------------------------------------------------ minimum SQLite (item 9)
# The real binary with an SQLite that says it is 3.31.1 (a preloaded shim):
# a plain message, nothing opened or created.
cc=$(command -v cc || command -v gcc || true)
if [ -n "$cc" ]; then
	printf '%s\n' 'int sqlite3_libversion_number(void) { return 3031001; }' \
		'const char *sqlite3_libversion(void) { return "3.31.1"; }' >"$tmp/old.c"
	if "$cc" -shared -fPIC -o "$tmp/libold.so" "$tmp/old.c" 2>"$tmp/cc.err"; then
		LD_PRELOAD=$tmp/libold.so ASAN_OPTIONS=verify_asan_link_order=0 \
			"$bin" user --db "$tmp/old.db" list >"$tmp/out" 2>"$tmp/err"
		rc=$?
		if [ $rc = 1 ] && has "$tmp/err" "this system's SQLite is version 3.31.1; guantong needs 3.32.0 or newer" &&
			[ ! -e "$tmp/old.db" ]; then
			ok "an SQLite older than 3.32.0 is refused plainly, nothing opened"
		else
			not_ok "an SQLite older than 3.32.0 is refused plainly" "exit $rc: $(cat "$tmp/err")"
		fi
	else
		not_ok "build the SQLite version shim" "$(cat "$tmp/cc.err")"
	fi
else
	ok "an SQLite older than 3.32.0 is refused # SKIP no C compiler"
fi

echo "1..$n"
echo "golden term: $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
