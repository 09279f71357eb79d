#!/bin/bash
# The intake's occupation list (tui/intake_occupations.h) is what
# scripts/occupations.py extracts from the Jiangsu 指导目录 attachment in the
# seed documents: regenerated and compared byte for byte, and spot-checked
# against entries read in the attachment by eye.
# Usage: occupations.sh GUANTONG SOURCE_DIR
set -u
src=$2
seed=$src/../shared/seeds/003_2c716e3d4377715c.txt
[ -f "$seed" ] || seed=$(dirname "$src")/shared/seeds/003_2c716e3d4377715c.txt
pass=0 fail=0
ok() { pass=$((pass + 1)); }
no() { echo "FAIL $*"; fail=$((fail + 1)); }
if [ ! -f "$seed" ]; then
	echo "golden occupations: the seed documents are not beside the repository; 0 passed, 0 failed"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if python3 "$src/scripts/occupations.py" "$seed" >"$tmp/occ.h" 2>"$tmp/err"; then
	ok
	if cmp -s "$tmp/occ.h" "$src/tui/intake_occupations.h"; then ok; else
		no "tui/intake_occupations.h differs from what scripts/occupations.py makes of the seed:"
		diff -u "$src/tui/intake_occupations.h" "$tmp/occ.h" | head -20
	fi
else
	no "scripts/occupations.py failed: $(cat "$tmp/err")"
fi
# Each form of entry the attachment has, and every series row with codes.
for want in '"4-02-01", "轨道交通运输服务人员", "engineering"' '"6", "生产制造及有关人员", "engineering"' \
	'"6-31-01-11", "工业视觉系统运维员", "engineering"' '"5-04-02", "水产养殖人员", "agriculture"' \
	'"6-09-01-06", "墨制作工", "arts_crafts"' '"4-12-01-03", "讲解员", "cultural_relics"' \
	'"6-31-03", "检验试验人员", "lab_tech"' '"4-13-01", "群众文化活动服务人员", "art"' \
	'"4-14-01-04", "社群健康助理员", "sports"'; do
	grep -qF "{ $want }" "$src/tui/intake_occupations.h" && ok || no "no entry { $want }"
done
n=$(grep -c '^	{ "' "$src/tui/intake_occupations.h")
# Counted in the attachment: 40 entries with a GBM code, 32 new occupations
# by their code, 6 named with the code after them.
[ "$n" = 78 ] && ok || no "$n entries, not the attachment's 78"
echo "golden occupations: $pass passed, $fail failed"
[ $fail -eq 0 ]
