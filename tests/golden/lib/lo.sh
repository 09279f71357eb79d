# LibreOffice for the golden scripts (sourced): several conversions in one
# start. A start costs about 6 s of CPU here, whatever it converts, and
# `soffice --convert-to` takes one output format and one input filter a
# start; a Basic macro (lib/convert.bas, in a profile made here) loads and
# stores each file as --infilter and --convert-to would.
#   lo_init DIR      a profile in DIR/profile with the macro; the list empty.
#                    Fails without soffice.
#   lo_add IN IN-FILTER[:OPTIONS] OUT OUT-FILTER[:OPTIONS]
#                    one conversion, for the next lo_run (IN-FILTER empty:
#                    LibreOffice's own detection, as without --infilter;
#                    OUT-FILTER a filter's name: "Calc MS Excel 2007 XML" is
#                    --convert-to xlsx, calc_pdf_Export pdf)
#   lo_run           runs the conversions added, in order (a conversion may
#                    read the one before's output), in one start; fails
#                    when LibreOffice fails or any conversion did; lo_log
#                    says which.
lo_soffice=$(command -v soffice || command -v libreoffice || true)
lo_dir=
lo_init() {
	[ -n "$lo_soffice" ] || return 1
	lo_dir=$1
	local basic=$lo_dir/profile/user/basic
	mkdir -p "$basic" || return 1
	# LibreOffice's own empty library (program/../presets), then our module in it
	cp -r "$(dirname "$(realpath "$lo_soffice")")/../presets/basic/." "$basic/" || return 1
	# The module as LibreOffice stores one: the Basic, escaped for XML.
	{
		echo '<?xml version="1.0" encoding="UTF-8"?>'
		echo '<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">'
		printf '%s' '<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">'
		sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g' "$src/tests/golden/lib/convert.bas"
		echo '</script:module>'
	} >"$basic/Standard/Module1.xba" || return 1
	# A profile marked as set up: else the first start copies the presets
	# over it, the module included.
	cat >"$lo_dir/profile/user/registrymodifications.xcu" <<'XCU'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/Office"><prop oor:name="ooSetupInstCompleted" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
XCU
	: >"$lo_dir/list"
}
lo_add() { printf '%s\t%s\t%s\t%s\n' "$(realpath -m "$1")" "$2" "$(realpath -m "$3")" "$4" >>"$lo_dir/list"; }
lo_run() {
	rm -f "$lo_dir/list.failed"
	timeout 300 "$lo_soffice" -env:UserInstallation="file://$lo_dir/profile" --headless --norestore \
		"macro:///Standard.Module1.Batch(\"$lo_dir/list\")" >"$lo_dir/log" 2>&1 &&
		[ -f "$lo_dir/list.failed" ] && [ ! -s "$lo_dir/list.failed" ]
}
lo_log() {
	if [ -s "$lo_dir/list.failed" ]; then
		sed 's/^/failed: /' "$lo_dir/list.failed"
	elif [ ! -f "$lo_dir/list.failed" ]; then
		echo "the macro did not run: $(cat "$lo_dir/log")"
	fi
}
