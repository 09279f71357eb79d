/* libFuzzer: arbitrary bytes through the whole screen path — the CSV reader,
 * the header, the row parser (codes, Chinese synonyms, dates, identity
 * numbers, competitions), the evaluator and every text it produces. Each
 * input is read twice: as UTF-8 and as GB18030 (--encoding gb18030), where
 * every field read without error must be valid UTF-8. The explanation
 * written from gt_explain's table of kept pieces must be the one written
 * with every piece worked out on use, with English and Chinese names. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gt_csv.h"
#include "gt_eval.h"
#include "gt_format.h"
#include "gt_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void screen_once(const uint8_t *data, size_t size, const char *encoding);

/* gt_explain of ev with the table or without it, into buf; its length. */
static size_t explain_into(const struct gt_eval *ev, bool cached, char *buf, size_t size)
{
	FILE *m = fmemopen(buf, size, "w");
	if (!m)
		abort();
	gt_explain_cache(cached);
	gt_explain(ev, m);
	gt_explain_cache(true);
	long n = ftell(m);
	fclose(m);
	return n < 0 ? 0 : (size_t)n;
}

static void explain_both_ways(const struct gt_eval *ev)
{
	static char fresh[1 << 17], kept[1 << 17];
	for (int zh = 0; zh < 2; zh++) {
		gt_set_names_zh(zh);
		size_t n1 = explain_into(ev, false, fresh, sizeof fresh);
		size_t n2 = explain_into(ev, true, kept, sizeof kept);
		if (n1 != n2 || memcmp(fresh, kept, n1) != 0)
			abort(); /* the kept pieces differ from the pieces worked out */
	}
	gt_set_names_zh(false);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	screen_once(data, size, NULL);
	screen_once(data, size, "gb18030");
	return 0;
}

/* The summary row screen writes (gt_evaluate_summary) is the one of the full
 * evaluation, column for column. */
static void summary_both_ways(const struct gt_eval *ev)
{
	static struct gt_eval lean;
	static struct gt_summary s1, s2;
	gt_evaluate_summary(ev->c, &lean);
	gt_summary_make(ev, &s1);
	gt_summary_make(&lean, &s2);
	for (int i = 0; i < GT_SUM_COUNT; i++)
		if (s1.len[i] != s2.len[i] || memcmp(s1.col[i], s2.col[i], s1.len[i]) != 0) {
			fprintf(stderr, "fuzz_screen: the summary's evaluation differs in %s:\n%.*s\n%.*s\n",
				gt_summary_names[i], (int)s1.len[i], s1.col[i], (int)s2.len[i], s2.col[i]);
			abort();
		}
}

static void screen_once(const uint8_t *data, size_t size, const char *encoding)
{
	static struct gt_csv_record rec;
	static struct gt_case c;
	static struct gt_eval ev;
	char buf[4096], msg[1024];
	struct gt_header h;

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
			summary_both_ways(&ev);
			gt_eval_basis(&ev, buf, sizeof buf);
			gt_eval_citation(&ev, buf, sizeof buf);
			gt_eval_message(&ev, buf, sizeof buf);
			/* gt_explain as screen --explain runs it (English names,
			 * the kept pieces) is one of the four ways explained here. */
			explain_both_ways(&ev);
		}
	}
	gt_csv_free(&r);
}
