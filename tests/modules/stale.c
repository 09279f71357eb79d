/* A module of another build (tests/modules/modules.sh): the table of
 * gt-pdf.so under another GT_MODULE_ABI, whose functions say that they ran
 * and succeed without writing anything. */
#include <stdio.h>

#include "gt_module.h"

static int stale_sheet(gt_store *st, const char *path, const int64_t *ids, long n, bool replace,
		       struct gt_sheet_result *res, char *err, size_t errsz)
{
	(void)st, (void)path, (void)ids, (void)n, (void)replace, (void)res, (void)err, (void)errsz;
	fputs("STALE MODULE RAN\n", stderr);
	return GT_OK;
}

static int stale_agenda(gt_store *st, const char *path, const struct gt_export_filter *f, bool replace,
			struct gt_sheet_result *res, char *err, size_t errsz)
{
	(void)st, (void)path, (void)f, (void)replace, (void)res, (void)err, (void)errsz;
	fputs("STALE MODULE RAN\n", stderr);
	return GT_OK;
}

__attribute__((visibility("default"))) const struct gt_pdf_module gt_pdf_module = {
	.head = { "guantong 0.0.9 0123456789abcdef" },
	.sheet_write = stale_sheet,
	.agenda_write = stale_agenda,
};
