#!/bin/bash
# The loadable modules (store/gt_module.c, SECURITY.md "Modules"): the PDF
# forms (gt-pdf.so) and the PostgreSQL store (gt-pg.so) are read only from
# the directory fixed at build time. A module missing, of another build, a
# symbolic link, not the owner's or writable by others is refused with a
# clear error for the command that needs it, and every other command works;
# a module planted in LD_LIBRARY_PATH's directory or in the current
# directory is never loaded (the planted one ends the process with 97).
# Usage: modules.sh GUANTONG GUANTONG_MODTEST MODTEST_DIR MODULES_BUILD_DIR BUILD_DIR SOURCE_DIR
# (guantong_modtest reads its modules from MODTEST_DIR, which this script fills.)
set -u
bin=$1 mod=$2 dir=$3 helpers=$4 build=$5 src=$6
fail=0 pass=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$dir"' EXIT
unset LANGUAGE
export LC_ALL=C.UTF-8 TZ=Asia/Shanghai
ok() { pass=$((pass + 1)); }
no() { echo "FAIL $*"; fail=$((fail + 1)); }
check() { local name=$1; shift; if "$@"; then ok; else no "$name"; fi; }
# run NAME CMD...: runs it, its status in $rc and its stderr in $tmp/err
run() { "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }
has_err() { grep -qF -- "$1" "$tmp/err"; }
not_planted() { ! grep -q "PLANTED MODULE LOADED" "$tmp/err" && [ "$rc" -ne 97 ]; }
is_pdf() { [ -s "$1" ] && [ "$(head -c 5 "$1")" = "%PDF-" ]; }

db=$tmp/c.db
"$bin" import --db "$db" "$src/fixtures/casesheet/cases.csv" >/dev/null 2>&1 || no "import"
reset_dir() { rm -rf "$dir"; mkdir -p "$dir"; chmod 755 "$dir"; }

# The modules' own directory, the test binary's copy of the tree's modules:
# it works as guantong does.
reset_dir
cp "$build/gt-pdf.so" "$build/gt-pg.so" "$dir/"
chmod 644 "$dir"/*.so
run "$mod" sheet --db "$db" 1 --out "$tmp/ok.pdf"
check "the real module in its directory: the sheet is written" [ "$rc" -eq 0 ]
check "  a PDF" is_pdf "$tmp/ok.pdf"

# Missing: that command fails clearly; the others work.
reset_dir
run "$mod" sheet --db "$db" 1 --out "$tmp/m.pdf"
check "no gt-pdf.so: sheet fails with status 1" [ "$rc" -eq 1 ]
check "  and says which module and why" has_err "writing a PDF needs the module gt-pdf.so, which cannot be loaded: $dir/gt-pdf.so: No such file or directory"
check "  and writes nothing" [ ! -e "$tmp/m.pdf" ]
run "$mod" agenda --db "$db" --out "$tmp/m.pdf"
check "no gt-pdf.so: agenda fails with status 1" [ "$rc" -eq 1 ]
check "  and says so" has_err "needs the module gt-pdf.so"
run "$mod" stats --db "$db"
check "no module: stats works" [ "$rc" -eq 0 ]
run "$mod" export --db "$db" --out "$tmp/x.csv"
check "no module: export works" eval '[ "$rc" -eq 0 ] && [ -s "$tmp/x.csv" ]'
run "$mod" --version
check "no module: --version works" [ "$rc" -eq 0 ]
run "$mod" export --db "$db" --out "$tmp/m.xlsx"
check "no gt-xlsx.so: an XLSX export fails with status 1" [ "$rc" -eq 1 ]
check "  and says which module" has_err "needs the module gt-xlsx.so, which cannot be loaded"
check "  and makes nothing, not even a temporary file" eval '[ -z "$(ls -A "$tmp" | grep "^m\.xlsx")" ]'
run "$mod" stats --db postgresql:///guantong
check "no gt-pg.so: a PostgreSQL database fails with status 1" [ "$rc" -eq 1 ]
check "  and says which module" has_err "a PostgreSQL database needs the module gt-pg.so, which cannot be loaded"
LC_ALL=zh_CN.UTF-8 run "$mod" sheet --db "$db" 1 --out "$tmp/m.pdf"
check "  in Chinese under zh_CN" has_err "写入 PDF需要模块 gt-pdf.so，但无法加载"

# Of another build: refused before any of its functions runs.
reset_dir
cp "$helpers/stale/gt-pdf.so" "$dir/"
chmod 644 "$dir/gt-pdf.so"
run "$mod" sheet --db "$db" 1 --out "$tmp/s.pdf"
check "a stale gt-pdf.so: sheet fails with status 1" [ "$rc" -eq 1 ]
check "  saying it is of another build" has_err "gt-pdf.so was built from other sources (guantong 0.0.9 0123456789abcdef, this program guantong "
check "  its code never ran" eval '! has_err "STALE MODULE RAN"'

# A symbolic link where the module should be, to a planted one.
reset_dir
cp "$helpers/planted/gt-pdf.so" "$tmp/evil.so"
ln -s "$tmp/evil.so" "$dir/gt-pdf.so"
run "$mod" sheet --db "$db" 1 --out "$tmp/l.pdf"
check "a link to a planted gt-pdf.so: refused with status 1" [ "$rc" -eq 1 ]
check "  saying it is a link" has_err "$dir/gt-pdf.so is a symbolic link"
check "  never loaded" not_planted
# The directory a link.
rm -rf "$dir"
mkdir -p "$tmp/evildir"
cp "$helpers/planted/gt-pdf.so" "$tmp/evildir/"
ln -s "$tmp/evildir" "$dir"
run "$mod" sheet --db "$db" 1 --out "$tmp/l.pdf"
check "the modules' directory a link: refused" eval '[ "$rc" -eq 1 ] && has_err "$dir is a symbolic link"'
check "  never loaded" not_planted
rm -f "$dir"

# Writable by others: the file, the directory (not sticky).
reset_dir
cp "$helpers/planted/gt-pdf.so" "$dir/"
chmod 664 "$dir/gt-pdf.so"
run "$mod" sheet --db "$db" 1 --out "$tmp/w.pdf"
check "a group-writable gt-pdf.so: refused" eval '[ "$rc" -eq 1 ] && has_err "$dir/gt-pdf.so may be written by others (mode 0664)"'
check "  never loaded" not_planted
chmod 644 "$dir/gt-pdf.so"
chmod 777 "$dir"
run "$mod" sheet --db "$db" 1 --out "$tmp/w.pdf"
check "a world-writable directory: refused" eval '[ "$rc" -eq 1 ] && has_err "$dir may be written by others (mode 0777)"'
check "  never loaded" not_planted
chmod 755 "$dir"
# Another user's (as root: a file given to nobody).
if [ "$(id -u)" -eq 0 ] && id -u nobody >/dev/null 2>&1; then
	chown nobody "$dir/gt-pdf.so"
	run "$mod" sheet --db "$db" 1 --out "$tmp/o.pdf"
	check "another user's gt-pdf.so: refused" eval '[ "$rc" -eq 1 ] && has_err "$dir/gt-pdf.so belongs to user $(id -u nobody), not to root or to you"'
	check "  never loaded" not_planted
fi

# The modules' directory unreachable or without them: the program's own
# directory instead (a copy of the program and its modules where a test's
# OS users may run them), but never when the program is setgid.
reset_dir
mkdir -p "$tmp/beside"
cp "$mod" "$build/gt-pdf.so" "$build/gt-pg.so" "$tmp/beside/"
run "$tmp/beside/$(basename "$mod")" sheet --db "$db" 1 --out "$tmp/b.pdf"
check "no module in its directory: the one beside the program writes the sheet" eval '[ "$rc" -eq 0 ] && is_pdf "$tmp/b.pdf"'
if [ "$(id -u)" -eq 0 ] && getent group nogroup >/dev/null; then
	chgrp nogroup "$tmp/beside/$(basename "$mod")"
	chmod 2755 "$tmp/beside/$(basename "$mod")"
	run "$tmp/beside/$(basename "$mod")" sheet --db "$db" 1 --out "$tmp/g.pdf"
	check "setgid: not the module beside the program" eval '[ "$rc" -eq 1 ] && has_err "$dir/gt-pdf.so: No such file or directory" && [ ! -e "$tmp/g.pdf" ]'
fi

# The environment and the current directory name no module: the real
# binary, its modules in the build tree, with planted ones in both.
mkdir -p "$tmp/plant"
cp "$helpers/planted/gt-pdf.so" "$helpers/planted/gt-pg.so" "$tmp/plant/"
LD_LIBRARY_PATH=$tmp/plant run "$bin" sheet --db "$db" 1 --out "$tmp/e.pdf"
check "LD_LIBRARY_PATH with a planted gt-pdf.so: the build's module writes the sheet" eval '[ "$rc" -eq 0 ] && is_pdf "$tmp/e.pdf"'
check "  the planted one never loaded" not_planted
LD_LIBRARY_PATH=$tmp/plant run "$bin" stats --db postgresql:///nowhere?connect_timeout=1
check "LD_LIBRARY_PATH with a planted gt-pg.so: never loaded" not_planted
check "a planted gt-pdf.so in the current directory: never loaded, the sheet written" \
	eval '(cd "$tmp/plant" && run "$bin" sheet --db "$db" 1 --out "$tmp/c.pdf" && not_planted && [ "$rc" -eq 0 ])'
check "a planted gt-pg.so in the current directory: never loaded" \
	eval '(cd "$tmp/plant" && run "$bin" stats --db postgresql:///nowhere?connect_timeout=1; not_planted)'
check "  (the sheet of the current directory's run)" is_pdf "$tmp/c.pdf"

echo "modules: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
