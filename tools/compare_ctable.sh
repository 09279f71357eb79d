#!/bin/bash
# cmp.sh BIN FILE...: screen (summary and --explain, English and Chinese) with
# the packs and with the C table; counts rows and differing bytes.
bin=$1; shift
rows=0; diffs=0
for f in "$@"; do
  for mode in "" "--explain"; do
    for lang in en zh; do
      if [ $lang = zh ]; then envl="LANGUAGE=zh_CN LC_ALL=zh_CN.UTF-8"; else envl="LC_ALL=C.UTF-8"; fi
      env $envl "$bin" screen --as-of 2024-06-30 $mode "$f" >/tmp/cmp19/a 2>/tmp/cmp19/ae; ra=$?
      env $envl GT_RULES_SOURCE=ctable "$bin" screen --as-of 2024-06-30 $mode "$f" >/tmp/cmp19/b 2>/tmp/cmp19/be; rb=$?
      n=$(wc -l </tmp/cmp19/a)
      rows=$((rows + n))
      if ! cmp -s /tmp/cmp19/a /tmp/cmp19/b || ! cmp -s /tmp/cmp19/ae /tmp/cmp19/be || [ $ra != $rb ]; then
        diffs=$((diffs + 1)); echo "DIFF: $f $mode $lang"; diff /tmp/cmp19/a /tmp/cmp19/b | head -5
      fi
    done
  done
done
echo "lines compared: $rows; differing runs: $diffs"
