/* gt-xlsx.so's one visible symbol: its table (store/gt_xlsx_module.h),
 * libxlsxwriter's functions the export calls. */
#include "gt_xlsx_module.h"

#define GT_XLSX_ENTRY(ret, name, params, args) .name = name,
#define GT_XLSX_VENTRY(name, params, args) .name = name,
__attribute__((visibility("default"))) const struct gt_xlsx_module gt_xlsx_module = {
	.head = { GT_MODULE_ABI },
	GT_XLSX_CALLS(GT_XLSX_ENTRY, GT_XLSX_VENTRY)
};
