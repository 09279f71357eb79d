/* gt-pdf.so's one visible symbol: its table (store/gt_module.h), through
 * which the program writes the case sheets and the agenda once it has
 * loaded it. */
#include "gt_module.h"
#include "gt_sheet.h"

__attribute__((visibility("default"))) const struct gt_pdf_module gt_pdf_module = {
	.head = { GT_MODULE_ABI },
	.sheet_write = gt_sheet_write,
	.agenda_write = gt_agenda_write,
};
