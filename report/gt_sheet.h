/* The printed forms of issue 18: the case sheet (审核表) and the meeting's
 * agenda, as PDF. Laid out by Pango (line breaking, CJK fonts) over Cairo's
 * PDF surface; the cases are read through the store's one read path
 * (gt_store_get, gt_store_answer, gt_store_get_decision) and the file is
 * written through gt_file (never over a link, 0600, replaced only when
 * asked) and audited before it gets its name. No ncurses here. */
#ifndef GT_SHEET_H
#define GT_SHEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gt_store.h"

struct gt_sheet_result {
	long cases;  /* case sheets written */
	long pages;  /* pages in the file */
	long over;   /* case sheets that took more than one page */
};

/* One sheet per case of ids[0..n), in that order, into path. replace: an
 * existing regular file may be replaced. Returns GT_OK or a gt_store_rc
 * (GT_ERR_EXISTS: the file is there and replace was not given); err says
 * why in words for people. */
int gt_sheet_write(gt_store *st, const char *path, const int64_t *ids, long n, bool replace,
		   struct gt_sheet_result *res, char *err, size_t errsz);

/* The agenda of the cases awaiting a decision within f (gt_store_awaiting):
 * grouped by series and level, one line each with the evaluation's outcome,
 * a vote table per group; then their case sheets. */
int gt_agenda_write(gt_store *st, const char *path, const struct gt_export_filter *f, bool replace,
		    struct gt_sheet_result *res, char *err, size_t errsz);

#endif
