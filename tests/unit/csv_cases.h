/* The valid cases of a CSV stream, for the unit tests that hold one way of
 * evaluating or writing to another over many cases (test_eval,
 * test_explain). */
#ifndef GT_TEST_CSV_CASES_H
#define GT_TEST_CSV_CASES_H

#include <criterion/criterion.h>
#include <stdio.h>

#include "gt_case.h"
#include "gt_csv.h"
#include "gt_date.h"

typedef void csv_case_fn(const struct gt_case *c, const char *name, long line, void *arg);

/* Calls fn on every case of the CSV stream f (named name in messages) that
 * reads and parses without error as of 2025-06-30; returns how many. */
static inline int each_csv_case(FILE *f, const char *name, csv_case_fn *fn, void *arg)
{
	static struct gt_csv_record rec;
	static struct gt_case c;
	int cases = 0;
	gt_csv *r = gt_csv_new(f);
	struct gt_header h;
	char msg[512];
	cr_assert_eq(gt_csv_next(r, &rec), 1, "%s", name);
	cr_assert_eq(gt_header_parse(&h, rec.fields, rec.nfields, NULL, 0, msg, sizeof msg), 0, "%s: %s", name,
		     msg);
	while (gt_csv_next(r, &rec) == 1) {
		struct gt_row_error err;
		if (rec.error != GT_CSV_OK ||
		    gt_case_parse(&c, &h, rec.fields, rec.nfields, gt_date_from_ymd(2025, 6, 30), &err) < 0)
			continue;
		fn(&c, name, rec.line, arg);
		cases++;
	}
	gt_csv_free(&r);
	return cases;
}

#endif
