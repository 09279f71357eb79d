#!/bin/sh
# The message catalogue, from the one list of sources:
#   scripts/po.sh update   regenerate po/guantong.pot and merge it into po/zh_CN.po
#   scripts/po.sh check    exit 1 if any message of the sources (and of the policy
#                          packs' notes) has no Chinese, or only a fuzzy one
# Messages are marked _(), N_(), gt_ngettext(); the packs' `note:` values are
# msgids too, looked up when a manual route is explained.
set -eu
cd "$(dirname "$0")/.."
mode=${1:-check}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The packs' notes as C string literals, so that xgettext finds them.
sed -n 's/^ *note: *\("\(.*\)"\) *$/N_(\1)/p' rules/*.yaml | sort -u >"$tmp/pack_notes.c"
xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ --keyword=gt_ngettext:1,2 \
	--add-comments=TRANSLATORS --package-name=guantong --sort-by-file -o "$tmp/guantong.pot" \
	core/*.c store/*.c store/pg/*.c report/*.c tui/*.c "$tmp/pack_notes.c"
case $mode in
update)
	cp "$tmp/guantong.pot" po/guantong.pot
	msgmerge --quiet --update --backup=none --no-fuzzy-matching po/zh_CN.po po/guantong.pot
	msgattrib --no-obsolete -o po/zh_CN.po po/zh_CN.po
	;;
check)
	msgmerge --quiet --no-fuzzy-matching -o "$tmp/zh_CN.po" po/zh_CN.po "$tmp/guantong.pot"
	missing=$(msgattrib --untranslated --no-obsolete "$tmp/zh_CN.po" | grep -c '^msgid ' || true)
	fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$tmp/zh_CN.po" | grep -c '^msgid ' || true)
	# msgattrib prints the header entry too when it prints anything
	[ "$missing" -gt 0 ] && missing=$((missing - 1))
	[ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))
	total=$(grep -c '^msgid ' "$tmp/guantong.pot")
	if [ "$missing" -ne 0 ] || [ "$fuzzy" -ne 0 ]; then
		msgattrib --untranslated --no-obsolete "$tmp/zh_CN.po" | grep -A3 '^msgid ' | head -60
		echo "po check: $((total - 1 - missing - fuzzy)) passed, $((missing + fuzzy)) failed (untranslated $missing, fuzzy $fuzzy)"
		exit 1
	fi
	echo "po check: $((total - 1)) passed, 0 failed"
	;;
esac
