/* libxlsxwriter's functions as the export calls them, forwarded to
 * gt-xlsx.so (store/gt_xlsx_module.h), which gt_xlsx_load loaded. */
#include "gt_i18n.h"
#include "gt_xlsx_module.h"

static const struct gt_xlsx_module *xlsx;

bool gt_xlsx_load(char *err, size_t errsz)
{
	if (!xlsx)
		xlsx = gt_module_load(GT_XLSX_MODULE_FILE, GT_XLSX_MODULE_SYM, _("writing XLSX"), err, errsz);
	return xlsx != NULL;
}

/* Hidden: never exported, so that the module's references to these names
 * find the library's functions, not these. */
#define GT_XLSX_FORWARD(ret, name, params, args) \
	__attribute__((visibility("hidden"))) ret name params \
	{                                        \
		return xlsx->name args;          \
	}
#define GT_XLSX_VFORWARD(name, params, args) \
	__attribute__((visibility("hidden"))) void name params \
	{                                    \
		xlsx->name args;             \
	}
GT_XLSX_CALLS(GT_XLSX_FORWARD, GT_XLSX_VFORWARD)
