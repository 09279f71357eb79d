/* The golden files agree with the hand-derived expectations: every
 * fixtures/screen/NAME.expected.csv (the program's output, compared byte for
 * byte by tests/golden/screen.sh) against NAME.intent.csv, written from the
 * documents by hand. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gt_csv.h"

#define MAXROWS 512
#define NCOLS 10

struct table {
	int nrows, ncols;
	char *cell[MAXROWS][NCOLS];
	char *head[NCOLS];
};

static void load(const char *path, struct table *t, const char *const *cols, int ncols)
{
	FILE *f = fopen(path, "rb");
	cr_assert(f, "cannot open %s", path);
	gt_csv *r = gt_csv_new(f);
	static struct gt_csv_record rec;
	int idx[NCOLS];
	cr_assert_eq(gt_csv_next(r, &rec), 1, "%s: no header", path);
	for (int c = 0; c < ncols; c++) {
		idx[c] = -1;
		for (int k = 0; k < rec.nfields; k++)
			if (rec.fields[k].n == strlen(cols[c]) &&
			    memcmp(rec.fields[k].p, cols[c], rec.fields[k].n) == 0)
				idx[c] = k;
		cr_assert(idx[c] >= 0, "%s: no column %s", path, cols[c]);
	}
	t->nrows = 0;
	t->ncols = ncols;
	while (gt_csv_next(r, &rec) == 1) {
		cr_assert_eq(rec.error, GT_CSV_OK, "%s line %ld", path, rec.line);
		cr_assert(t->nrows < MAXROWS);
		for (int c = 0; c < ncols; c++)
			t->cell[t->nrows][c] = strndup(rec.fields[idx[c]].p, rec.fields[idx[c]].n);
		t->nrows++;
	}
	gt_csv_free(&r);
	fclose(f);
}

static void unload(struct table *t)
{
	for (int i = 0; i < t->nrows; i++)
		for (int c = 0; c < t->ncols; c++)
			free(t->cell[i][c]);
}

Test(fixtures, expected_outputs_match_the_hand_derived_intent)
{
	static const char *const cols[] = { "case_ref", "outcome", "target", "route", "basis",
					    "unmet", "missing_evidence", "theory_exempt" };
	const int n = sizeof cols / sizeof cols[0];
	char dirpath[512];
	snprintf(dirpath, sizeof dirpath, "%s/fixtures/screen", GT_SOURCE_DIR);
	DIR *d = opendir(dirpath);
	cr_assert(d);
	int files = 0, rows = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 11 || strcmp(e->d_name + len - 11, ".intent.csv") != 0)
			continue;
		char intent[1024], expected[1024];
		snprintf(intent, sizeof intent, "%s/%s", dirpath, e->d_name);
		snprintf(expected, sizeof expected, "%s/%.*s.expected.csv", dirpath, (int)(len - 11), e->d_name);
		static struct table want, got;
		load(intent, &want, cols, n);
		load(expected, &got, cols, n);
		cr_assert_eq(want.nrows, got.nrows, "%s: %d rows intended, %d expected", e->d_name,
			     want.nrows, got.nrows);
		/* the clause of the intent must be the clause of the citation */
		static const char *const ccols[] = { "clause" };
		static const char *const gcols[] = { "citation" };
		static struct table wc, gc;
		load(intent, &wc, ccols, 1);
		load(expected, &gc, gcols, 1);
		for (int i = 0; i < want.nrows; i++) {
			for (int c = 0; c < n; c++)
				cr_expect_str_eq(got.cell[i][c], want.cell[i][c], "%s %s: %s",
						 e->d_name, want.cell[i][0], cols[c]);
			const char *clause = wc.cell[i][0], *cite = gc.cell[i][0];
			if (clause[0]) {
				size_t cl = strlen(clause), ct = strlen(cite);
				cr_expect(ct > cl && strcmp(cite + ct - cl, clause) == 0 && cite[ct - cl - 1] == ' ',
					  "%s %s: citation \"%s\" is not clause \"%s\"", e->d_name,
					  want.cell[i][0], cite, clause);
			} else if (strcmp(want.cell[i][1], "invalid") == 0) {
				cr_expect_str_eq(cite, "", "%s %s: an invalid row cites nothing",
						 e->d_name, want.cell[i][0]);
			} else {
				/* no clause: the document number alone (no_rule, and
				 * Guangzhou's veto: spec citation, interp. 37) */
				cr_expect(cite[0] && !strchr(cite, ' '),
					  "%s %s: citation \"%s\" should be the document number alone",
					  e->d_name, want.cell[i][0], cite);
			}
			rows++;
		}
		unload(&want);
		unload(&got);
		unload(&wc);
		unload(&gc);
		files++;
	}
	closedir(d);
	cr_assert(files >= 7, "only %d intent files", files);
	cr_assert(rows >= 80, "only %d fixture rows", rows);
}
