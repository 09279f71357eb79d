/* gt_out_cell: cells meant for a spreadsheet (export, reject file) are
 * formula-neutralised at any length and quoted when a spreadsheet could take
 * a character in them for its separator. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gt_csv.h"

static char *written(const char *const *cells, const size_t *lens, int n, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	cr_assert_not_null(f);
	struct gt_out *o = malloc(sizeof *o);
	cr_assert_not_null(o);
	gt_out_init(o, f);
	for (int i = 0; i < n; i++)
		gt_out_cell(o, cells[i], lens ? lens[i] : strlen(cells[i]), i == 0);
	gt_out_end(o);
	cr_assert_eq(gt_out_flush(o), 0);
	free(o);
	fclose(f);
	return buf;
}

static void expect_row(const char *const *cells, int n, const char *want)
{
	size_t len;
	char *got = written(cells, NULL, n, &len);
	cr_expect_str_eq(got, want);
	free(got);
}

Test(cell, semicolon_and_tab_are_quoted)
{
	expect_row((const char *[]){ "x;y", "a\tb", "plain" }, 3, "\"x;y\",\"a\tb\",plain\r\n");
	expect_row((const char *[]){ "id_card;work_record" }, 1, "\"id_card;work_record\"\r\n");
}

/* Quotes alone do not protect "x;=1+1": a spreadsheet splitting on ';' sees
 * the quote only at a cell's start, and reads "=1+1" as a cell of its own. */
Test(cell, every_part_a_spreadsheet_may_split_off_is_neutralised)
{
	expect_row((const char *[]){ "x;=1+1" }, 1, "\"x;'=1+1\"\r\n");
	expect_row((const char *[]){ "a\t-1;@b\n+c\r=d" }, 1, "\"a\t'-1;'@b\n'+c\r'=d\"\r\n");
	expect_row((const char *[]){ "x;'=1" }, 1, "\"x;''=1\"\r\n");
	expect_row((const char *[]){ "x; =1", "x;1=1" }, 2, "\"x; =1\",\"x;1=1\"\r\n");
}

Test(cell, formulas_neutralised_and_quoted_as_needed)
{
	expect_row((const char *[]){ "=1+1", "+1", "-1", "@x", "'=1" }, 5, "'=1+1,'+1,'-1,'@x,''=1\r\n");
	expect_row((const char *[]){ "=a;b", "=\"q\"", "" }, 3, "\"'=a;b\",\"'=\"\"q\"\"\",\r\n");
	expect_row((const char *[]){ "\tx" }, 1, "\"'\tx\"\r\n");
}

Test(cell, a_cell_of_64_kib_or_more_is_neutralised)
{
	size_t sizes[] = { GT_CSV_MAX_FIELD - 1, GT_CSV_MAX_FIELD, GT_CSV_MAX_FIELD + 1, 70 * 1024 };
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		size_t n = sizes[k], len;
		char *cell = malloc(n);
		cr_assert_not_null(cell);
		memset(cell, '1', n);
		cell[0] = '=';
		char *got = written((const char *const[]){ cell }, &n, 1, &len);
		cr_expect_eq(len, n + 3, "%zu bytes", n);
		cr_expect_eq(got[0], '\'', "%zu bytes: neutralised", n);
		cr_expect_eq(memcmp(got + 1, cell, n), 0);
		free(got);
		free(cell);
	}
}

Test(cell, reads_back_exactly)
{
	const char *cells[] = { "x;=1+1", "'=1", "=a,\"b\"\r\n-c", "a\tb;'@c", "plain" };
	size_t len;
	char *buf = written(cells, NULL, 5, &len);
	gt_csv *r = gt_csv_new_mem(buf, len);
	struct gt_csv_record *rec = malloc(sizeof *rec);
	cr_assert(r && rec);
	cr_assert_eq(gt_csv_next(r, rec), 1);
	cr_assert_eq(rec->nfields, 5);
	for (int i = 0; i < 5; i++) {
		char back[64];
		size_t m = gt_cell_restore(rec->fields[i].p, rec->fields[i].n, back);
		cr_expect_eq(m, strlen(cells[i]));
		cr_expect_eq(memcmp(back, cells[i], m), 0, "cell %d", i);
	}
	free(rec);
	gt_csv_free(&r);
	free(buf);
}
