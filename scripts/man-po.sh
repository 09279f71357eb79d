#!/bin/sh
# The man pages' Chinese catalogue (po4a, man/po4a.cfg):
#   scripts/man-po.sh update   refresh man/po/guantong-man.pot and man/po/zh_CN.po
#                              from man/src (then translate what is new)
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
	;;
check)
	bash tests/man-zh.sh "$(command -v groff)" "$(command -v python3)" .
	;;
esac
