#!/bin/sh
# The man pages' Chinese catalogue (po4a, man/po4a.cfg):
#   scripts/man-po.sh update   refresh man/po/guantong-man.pot and man/po/zh_CN.po
#                              from man/src, filling new strings that po/zh_CN.po
#                              translates (then translate what is still new)
#   scripts/man-po.sh check    exit 1 if a string of a listed page is untranslated
#                              or fuzzy (ctest man/zh_CN runs tests/man-zh.sh)
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
case ${1:-check} in
update)
	# --force: po4a goes by file times and skips a catalogue whose .pot is
	# newer than the sources (after a checkout, or a new page in po4a.cfg)
	po4a -q --force --no-translations man/po4a.cfg
	# A string the program's own catalogue translates (the KEYS rows of
	# guantong(1) are the workstation's key help, status and role names) takes
	# that translation when it has none yet, so that page and screen agree.
	msgmerge -q --no-fuzzy-matching -C po/zh_CN.po -o "$tmp/zh_CN.po" \
		man/po/zh_CN.po man/po/guantong-man.pot
	cp "$tmp/zh_CN.po" man/po/zh_CN.po
	;;
check)
	bash tests/man-zh.sh "$(command -v groff)" "$(command -v python3)" .
	;;
esac
