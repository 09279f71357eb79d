/* libFuzzer: arbitrary bytes through the whole screen path — the CSV reader,
 * the header, the row parser (codes, Chinese synonyms, dates, identity
 * numbers, competitions), the evaluator and every text it produces. Each
 * input is read twice: as UTF-8 and as GB18030 (--encoding gb18030), where
 * every field read without error must be valid UTF-8. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "gt_csv.h"
#include "gt_eval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void screen_once(const uint8_t *data, size_t size, const char *encoding);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	screen_once(data, size, NULL);
	screen_once(data, size, "gb18030");
	return 0;
}

static void screen_once(const uint8_t *data, size_t size, const char *encoding)
{
	static struct gt_csv_record rec;
	static struct gt_case c;
	static struct gt_eval ev;
	static FILE *devnull;
	char buf[4096], msg[1024];
	struct gt_header h;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	gt_csv *r = gt_csv_new_mem((const char *)data, size);
	if (!r)
		return;
	if (gt_csv_set_encoding(r, encoding) < 0)
		abort();
	if (gt_csv_next(r, &rec) == 1 && rec.error == GT_CSV_OK &&
	    gt_header_parse(&h, rec.fields, rec.nfields, NULL, 0, msg, sizeof msg) == 0) {
		int rows = 0;
		while (gt_csv_next(r, &rec) == 1 && rows++ < 64) {
			struct gt_row_error err;
			if (rec.error != GT_CSV_OK)
				continue;
			for (int i = 0; i < rec.nfields; i++)
				if (gt_utf8_check(rec.fields[i].p, rec.fields[i].n) != GT_CSV_OK)
					abort(); /* a field read without error is UTF-8 */
			if (gt_case_parse(&c, &h, rec.fields, rec.nfields, gt_date_from_ymd(2024, 6, 30), &err) < 0) {
				gt_row_error_format(&err, rec.line, msg, sizeof msg);
				continue;
			}
			gt_evaluate(&c, &ev);
			gt_eval_basis(&ev, buf, sizeof buf);
			gt_eval_citation(&ev, buf, sizeof buf);
			gt_eval_message(&ev, buf, sizeof buf);
			gt_explain(&ev, devnull);
		}
	}
	gt_csv_free(&r);
}
