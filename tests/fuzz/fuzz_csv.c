/* libFuzzer: the CSV reader never fails on content, and what it reads
 * without error survives the writer and a second reading unchanged. Every
 * field read also survives export's formula neutralisation and import's
 * restoring: gt_cell_restore(gt_cell_neutralise(x)) == x, and the
 * neutralised cell does not begin with a character that starts a formula.
 * The reader's memchr fast path, over memory and over a stream, gives the
 * same records, errors and lines as reading byte by byte. Read as GB18030
 * (--encoding gb18030), every field read without error is valid UTF-8. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gt_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same_record(const struct gt_csv_record *x, const struct gt_csv_record *y)
{
	if (x->nfields != y->nfields || x->line != y->line || x->error != y->error ||
	    x->err_line != y->err_line || x->err_field != y->err_field)
		return false;
	for (int i = 0; i < x->nfields; i++)
		if (x->fields[i].n != y->fields[i].n ||
		    memcmp(x->fields[i].p, y->fields[i].p, x->fields[i].n) != 0)
			return false;
	return true;
}

/* The fast path against the byte-by-byte reader, over memory and a stream. */
static void check_fast_path(const uint8_t *data, size_t size)
{
	static struct gt_csv_record x, y, z;
	gt_csv *fast = gt_csv_new_mem((const char *)data, size);
	gt_csv *slow = gt_csv_new_mem((const char *)data, size);
	FILE *f = size ? fmemopen((void *)data, size, "rb") : NULL;
	gt_csv *stream = f ? gt_csv_new(f) : NULL;
	if (!fast || !slow || (f && !stream))
		abort();
	gt_csv_set_bytewise(slow);
	for (;;) {
		int a = gt_csv_next(fast, &x), b = gt_csv_next(slow, &y);
		if (a != b || (a == 1 && !same_record(&x, &y)))
			abort();
		if (stream) {
			int c = gt_csv_next(stream, &z);
			if (c != a || (c == 1 && !same_record(&x, &z)))
				abort();
		}
		if (a != 1)
			break;
	}
	gt_csv_free(&fast);
	gt_csv_free(&slow);
	gt_csv_free(&stream);
	if (f)
		fclose(f);
}

/* The input as GB18030: converted text, records moving forward. */
static void check_gb18030(const uint8_t *data, size_t size)
{
	static struct gt_csv_record x;
	gt_csv *r = gt_csv_new_mem((const char *)data, size);
	if (!r || gt_csv_set_encoding(r, "gb18030") < 0)
		abort();
	long last = 0;
	int rc;
	while ((rc = gt_csv_next(r, &x)) == 1) {
		if (x.line <= last || x.nfields < 1 || x.nfields > GT_CSV_MAX_FIELDS)
			abort();
		last = x.line;
		if (x.error == GT_CSV_BAD_UTF8)
			abort(); /* converted input reports GT_CSV_BAD_ENCODING instead */
		if (x.error == GT_CSV_OK)
			for (int i = 0; i < x.nfields; i++)
				if (gt_utf8_check(x.fields[i].p, x.fields[i].n) == GT_CSV_BAD_UTF8)
					abort();
	}
	if (rc < 0)
		abort();
	gt_csv_free(&r);
}

/* gt_out_row (every field checked) writes what gt_out_field and gt_out_end
 * write, quoting what needs it, or refuses, writing nothing, exactly when
 * the row is larger than the buffer. */
static void check_row_at_once(const struct gt_csv_record *a)
{
	static struct gt_out o;
	static const char *s[32];
	static size_t n[32];
	int count = a->nfields < 32 ? a->nfields : 32;
	size_t total = 2;
	for (int i = 0; i < count; i++) {
		s[i] = a->fields[i].p;
		n[i] = a->fields[i].n;
		total += n[i] + (i > 0);
		bool quote = false;
		for (size_t k = 0; k < n[i]; k++) {
			quote |= s[i][k] == ',' || s[i][k] == '"' || s[i][k] == '\r' || s[i][k] == '\n';
			total += s[i][k] == '"';
		}
		total += quote ? 2 : 0;
	}
	char *x = NULL, *y = NULL;
	size_t xn = 0, yn = 0;
	FILE *f = open_memstream(&x, &xn);
	gt_out_init(&o, f);
	for (int i = 0; i < count; i++)
		gt_out_field(&o, s[i], n[i], i == 0);
	gt_out_end(&o);
	gt_out_flush(&o);
	fclose(f);
	f = open_memstream(&y, &yn);
	gt_out_init(&o, f);
	bool ok = gt_out_row(&o, s, n, count, UINT32_MAX);
	if (ok != (total <= sizeof o.buf) || (!ok && o.len != 0))
		abort();
	if (ok) {
		gt_out_flush(&o);
		fclose(f);
		if (xn != yn || memcmp(x, y, xn) != 0)
			abort();
	} else {
		fclose(f);
	}
	free(x);
	free(y);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_gb18030(data, size);
	static struct gt_csv_record a, b;
	static struct gt_out o;
	check_fast_path(data, size);
	gt_csv *r = gt_csv_new_mem((const char *)data, size);
	if (!r)
		return 0;
	static char neut[2 * GT_CSV_MAX_FIELD + 2], back[2 * GT_CSV_MAX_FIELD + 2];
	long last_line = 0;
	while (gt_csv_next(r, &a) == 1) {
		if (a.line <= last_line || a.nfields < 1 || a.nfields > GT_CSV_MAX_FIELDS)
			abort(); /* records move forward and have fields */
		last_line = a.line;
		for (int i = 0; i < a.nfields; i++) {
			const char *x = a.fields[i].p;
			size_t n = a.fields[i].n;
			if (n > GT_CSV_MAX_FIELD)
				abort(); /* a field is cut at the limit */
			size_t k = gt_cell_neutralise(x, n, neut);
			if (k < n || k > 2 * n + 1)
				abort(); /* apostrophes added, at most one per part */
			for (size_t p = 0; p < k; p++) /* no part starts a formula */
				if ((p == 0 || memchr(";\t\r\n", neut[p - 1], 4)) && memchr("=+-@\t\r\n", neut[p], 7))
					abort();
			if (gt_cell_dangerous(x, n) ? neut[0] != '\'' || neut[1] != x[0]
						    : (k > 0 && memcmp(neut, x, 1) != 0))
				abort(); /* an apostrophe in front exactly when the start is dangerous */
			size_t m = gt_cell_restore(neut, k, back);
			if (m != n || memcmp(back, x, n) != 0)
				abort();
		}
		if (a.error != GT_CSV_OK)
			continue;
		check_row_at_once(&a);
		char *out = NULL;
		size_t outlen = 0;
		FILE *f = open_memstream(&out, &outlen);
		gt_out_init(&o, f);
		for (int i = 0; i < a.nfields; i++)
			gt_out_field(&o, a.fields[i].p, a.fields[i].n, i == 0);
		gt_out_end(&o);
		gt_out_flush(&o);
		fclose(f);
		gt_csv *r2 = gt_csv_new_mem(out, outlen);
		/* A record of one empty field is written as an empty line, which a
		 * reader skips as blank: the one form that does not come back. */
		bool blank = a.nfields == 1 && a.fields[0].n == 0;
		int got = gt_csv_next(r2, &b);
		if (blank) {
			if (got != 0)
				abort();
		} else {
			if (got != 1 || b.error != GT_CSV_OK || b.nfields != a.nfields)
				abort();
			for (int i = 0; i < a.nfields; i++)
				if (a.fields[i].n != b.fields[i].n ||
				    memcmp(a.fields[i].p, b.fields[i].p, a.fields[i].n) != 0)
					abort();
		}
		gt_csv_free(&r2);
		free(out);
	}
	gt_csv_free(&r);
	return 0;
}
