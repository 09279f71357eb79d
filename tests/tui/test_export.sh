#!/bin/bash
# Export from the queue: x asks for a path (today's name offered), Enter
# writes it. A .csv path gives the CSV (header, one row per case, CRLF; the
# same bytes as the batch `guantong export`); a .xlsx path the workbook; the
# queue's filter applies; an existing file is replaced only after a question
# that names it; a link or another extension is refused; a path that cannot
# be written is an error on the status line and the workstation goes on.
. "$(dirname "$0")/lib.sh"

db=$(tui_demo_db)
out=$TUI_TMP/out
mkdir -p "$out"
export_to() { # PATH
	tui_keys x
	wait_for "Export to (.csv or .xlsx):" || return 1
	tui_keys C-u
	tui_type "$1"
	tui_keys Enter
}

tui_start 120 40 "$db"
wait_for "贺卫东"
tui_keys x
expect offered-name "Export to (.csv or .xlsx): guantong-export-$(date +%Y%m%d).csv"
tui_keys Escape
wait_gone "Export to"

# CSV
export_to "$out/all.csv"
expect csv-status "Exported 13 cases to $out/all.csv."
if [ -f "$out/all.csv" ]; then
	pass csv-exists
	head -n 1 "$out/all.csv" | grep -q $'^\xef\xbb\xbfcase_ref,name,id_number,region,direction,series,' &&
		head -n 1 "$out/all.csv" | grep -q ',case_id,status,decided_by,decided_at,decision_note' &&
		pass csv-header || fail csv-header "header: $(head -n 1 "$out/all.csv")"
	check csv-rows [ "$(wc -l <"$out/all.csv")" = 14 ]
	check csv-crlf [ "$(grep -c $'\r$' "$out/all.csv")" = 14 ]
	# The form for people (issue 17): a byte-order mark for Excel and WPS,
	# identity numbers grouped 6-8-4 so that a spreadsheet keeps them as text.
	check csv-bom [ "$(head -c 3 "$out/all.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ]
	grep -q '^sc-s2t-pg-class1-rank3-pair,魏秋菊,510104 19811022 2956,sichuan,' "$out/all.csv" &&
		pass csv-row || fail csv-row "no row of 魏秋菊 with the number grouped"
	# Read back, the file gives the stored numbers, the one ending in X too.
	gt "$out/back.db" import "$out/all.csv" 2>/dev/null
	gt "$out/back.db" export --machine | cut -d, -f2,3 >"$out/back-ids"
	gt "$db" export --machine | cut -d, -f2,3 >"$out/want-ids"
	check csv-reads-back cmp -s "$out/want-ids" "$out/back-ids"
	check csv-has-an-x grep -q 'X$' "$out/want-ids"
	gt "$db" export --out "$out/batch.csv" 2>/dev/null
	check csv-same-as-batch cmp -s "$out/all.csv" "$out/batch.csv"
else
	fail csv-exists "no $out/all.csv"
fi

# The same name again (the day's earlier file): the workstation asks, naming
# the file; n leaves it exactly as it was, y replaces it (issue 13).
echo earlier >"$out/again.csv"
before=$(stat -c %i "$out/again.csv")
export_to "$out/again.csv"
expect replace-asks "$out/again.csv exists. Replace it? (y/n)"
tui_keys n
expect replace-no-status "Not exported: $out/again.csv was left as it was."
check replace-no-unchanged [ "$(cat "$out/again.csv")" = earlier ] && [ "$(stat -c %i "$out/again.csv")" = "$before" ]
export_to "$out/again.csv"
wait_for "Replace it?" && tui_keys y
expect replace-yes-status "Exported 13 cases to $out/again.csv."
check replace-yes-replaced cmp -s "$out/again.csv" "$out/all.csv"
check replace-yes-0600 [ "$(stat -c %a "$out/again.csv")" = 600 ]
# A link planted at the name is refused, not followed or asked about.
echo precious >"$out/victim"
ln -s victim "$out/link.csv"
export_to "$out/link.csv"
expect link-refused "$out/link.csv is a symbolic link"
check link-victim-unchanged [ "$(cat "$out/victim")" = precious ] && [ -L "$out/link.csv" ]
# A name of no export format: an error, nothing written.
export_to "$out/report.pdf"
expect pdf-refused "$out/report.pdf: the file name must end in .csv or .xlsx; nothing was written."
check pdf-nothing [ ! -e "$out/report.pdf" ]
check no-temporary-files [ -z "$(cd "$out" && ls -d ./*.part* 2>/dev/null)" ]

# XLSX
export_to "$out/all.xlsx"
expect xlsx-status "Exported 13 cases to $out/all.xlsx."
if python3 - "$out/all.xlsx" <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
sheet = z.read("xl/worksheets/sheet1.xml").decode()
rows = len(re.findall(r"<row[ >]", sheet))
text = sheet + (z.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in z.namelist() else "")
assert rows == 14, f"{rows} rows"
assert "魏秋菊" in text and "510104198110222956" in text, "no 魏秋菊 row"
PY
then pass xlsx-content; else fail xlsx-content "the workbook is not the 13 cases and a header"; fi

# The queue's filter applies: Sichuan only.
tui_keys f
wait_for "Filter: mark with Space"
tui_keys /
tui_type sichuan
wait_gone "[ ] draft" && tui_keys Enter Space && wait_for "[x] Sichuan"
tui_keys Enter
wait_for "Filter: Sichuan"
export_to "$out/sichuan.csv"
expect filtered-status "Exported 2 cases to $out/sichuan.csv."
check filtered-rows [ "$(cut -d, -f4 "$out/sichuan.csv" | tr -d '\r' | tr '\n' ' ')" = "region sichuan sichuan " ]

# A path that cannot be written: an error, nothing written, the queue goes on.
export_to "$out/no/such/dir/x.csv"
wait_for "$out/no/such/dir" && screen_lacks unwritable "Exported" || fail unwritable "no error for an unwritable path"
check unwritable-nothing [ ! -e "$out/no" ]
tui_keys j
wait_gone "$out/no/such/dir"
tui_quit

# The x file opened by LibreOffice (UTF-8, every column Standard) and saved
# again as CSV: every identity number and every name is intact, and import
# reads it back to the stored numbers.
soffice=$(command -v soffice || command -v libreoffice || true)
if [ -n "$soffice" ] && [ -f "$out/all.csv" ]; then
	lo=$out/lo
	mkdir -p "$lo/x" "$lo/c"
	lo_run() { # OUTDIR TO ARGS...
		local d=$1 to=$2; shift 2
		timeout 300 "$soffice" -env:UserInstallation="file://$lo/profile" --headless --norestore \
			--convert-to "$to" --outdir "$d" "$@" >/dev/null 2>&1
	}
	lo_run "$lo/x" xlsx --infilter="Text - txt - csv (StarCalc):44,34,76,1" "$out/all.csv"
	lo_run "$lo/c" 'csv:Text - txt - csv (StarCalc):44,34,76,1' "$lo/x/all.xlsx"
	if [ -s "$lo/c/all.csv" ] && gt "$out/lo.db" import --as-of 2026-01-01 "$lo/c/all.csv" 2>"$out/lo.err"; then
		gt "$out/lo.db" export --machine | cut -d, -f2,3 >"$out/lo-ids"
		check libreoffice-round-trip cmp -s "$out/want-ids" "$out/lo-ids"
	else
		fail libreoffice-round-trip "LibreOffice's saved file: $(head -c 300 "$out/lo.err" 2>/dev/null)"
	fi
fi
tui_done
