#!/bin/bash
# The man pages in Chinese (issue 17): every string of every page that
# man/po4a.cfg lists is translated and none is fuzzy, measured against the
# current man/src (po4a updates a copy of the catalogue first, so a source
# changed without its translation fails); each page renders silently under
# groff -ww and, under zh_CN.UTF-8, `man -l` shows it in Chinese, at 80
# columns with no word hyphenated.
# Usage: man-zh.sh GROFF PYTHON SRC
set -u
groff=$1 python=$2 src=$3
fail=0 pass=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
no() { echo "FAIL $*"; fail=$((fail + 1)); }
if ! command -v po4a >/dev/null 2>&1; then
	no "po4a is not installed (scripts/deps.sh installs it)"
	echo "man zh_CN: $pass passed, $fail failed"
	exit 1
fi
mkdir -p "$tmp/out/man/po" "$tmp/out/man/zh_CN/src"
if ! po4a -q --srcdir "$src" --destdir "$tmp/out" "$src/man/po4a.cfg" >"$tmp/po4a.log" 2>&1; then
	no "po4a: $(head -c 600 "$tmp/po4a.log")"
fi
po=$tmp/out/man/po/zh_CN.po
[ -s "$po" ] || no "po4a wrote no updated man/po/zh_CN.po"
untranslated=$(msgattrib --untranslated --no-obsolete "$po" 2>/dev/null | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$po" 2>/dev/null | grep -c '^msgid ' || true)
# (msgattrib prints the header entry too when it prints anything)
[ "$untranslated" -gt 0 ] && untranslated=$((untranslated - 1))
[ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))
if [ "$untranslated" -eq 0 ] && [ "$fuzzy" -eq 0 ]; then
	pass=$((pass + 1))
else
	no "man/po/zh_CN.po: $untranslated untranslated, $fuzzy fuzzy (scripts/man-po.sh update, then translate):"
	msgattrib --untranslated --only-fuzzy --no-obsolete "$po" 2>/dev/null | grep -A2 '^msgid ' | head -20
	msgattrib --untranslated --no-obsolete "$po" 2>/dev/null | grep -A2 '^msgid ' | head -20
fi
pages=$(sed -n 's/^\[type: man\] man\/src\/\([^ ]*\) .*/\1/p' "$src/man/po4a.cfg")
[ -n "$pages" ] || no "man/po4a.cfg lists no page"
for page in $pages; do
	zh=$tmp/out/man/zh_CN/src/$page
	if [ ! -f "$zh" ]; then
		no "$page: po4a wrote no Chinese page (not fully translated)"
		continue
	fi
	"$python" "$src/man/utf8-to-groff.py" "$zh" "$tmp/$page"
	out=$("$groff" -ww -t -man -z "$tmp/$page" 2>&1)
	if [ -n "$out" ]; then no "$page (zh_CN): groff -ww: $out"; else pass=$((pass + 1)); fi
	# Rendered for a person: the Chinese section names, no English ones.
	text=$(LC_ALL=zh_CN.UTF-8 MANWIDTH=80 man -l "$tmp/$page" 2>&1)
	if [[ $text == *$'\n名称\n'* && $text == *描述* && $text != *$'\nNAME\n'* && $text != *DESCRIPTION* ]]; then
		pass=$((pass + 1))
	else
		no "$page (zh_CN): man -l does not show the Chinese sections: $(head -c 300 <<<"$text")"
	fi
	# Codes and commands stay whole: no line ends in a hyphen groff added
	# (U+2010; a translated page is not hyphenated, and a \% after Chinese
	# text must not become a break with a hyphen).
	broken=$(grep -n $'\xe2\x80\x90$' <<<"$text" | head -3)
	if [ -z "$broken" ]; then pass=$((pass + 1)); else no "$page (zh_CN): a word is hyphenated at a line end: $broken"; fi
done
echo "man zh_CN: $pass passed, $fail failed"
[ $fail -eq 0 ]
