/* Unit tests of core/gt_explain's table of pieces (issue 12): the
 * explanation written from the table (translated and measured once) is byte
 * for byte the one written with every piece worked out on use, for every
 * case of the screen fixtures, in English and in Chinese, and after the
 * language changes. */
#include <criterion/criterion.h>
#include <glob.h>
#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gt_csv.h"
#include "gt_eval.h"
#include "gt_i18n.h"
#include "gt_text.h"
#include "csv_cases.h"
#include "lang.h"

/* gt_explain of ev, with the table or without it: malloc'd text. */
static char *explain(const struct gt_eval *ev, bool cached, size_t *len)
{
	char *text = NULL;
	FILE *m = open_memstream(&text, len);
	cr_assert(m);
	gt_explain_cache(cached);
	gt_explain(ev, m);
	gt_explain_cache(true);
	cr_assert_eq(fclose(m), 0);
	return text;
}

/* Calls fn on the evaluation of every case of the CSV in (named name for
 * messages) that reads without error; returns how many. */
typedef void case_fn(const struct gt_eval *ev, const char *name, long line, void *arg);

struct each_case_arg {
	case_fn *fn;
	void *arg;
};

static void evaluate_case(const struct gt_case *c, const char *name, long line, void *arg)
{
	static struct gt_eval ev;
	const struct each_case_arg *a = arg;
	gt_evaluate(c, &ev);
	a->fn(&ev, name, line, a->arg);
}

static int each_case(FILE *in, const char *name, case_fn *fn, void *arg)
{
	struct each_case_arg a = { fn, arg };
	return each_csv_case(in, name, evaluate_case, &a);
}

/* each_case over every screen fixture. */
static int each_fixture_case(case_fn *fn, void *arg)
{
	glob_t g;
	int cases = 0;
	cr_assert_eq(glob(GT_SOURCE_DIR "/fixtures/screen/*.csv", 0, NULL, &g), 0);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *path = g.gl_pathv[i];
		if (strstr(path, ".expected") || strstr(path, ".intent"))
			continue;
		FILE *f = fopen(path, "rb");
		cr_assert(f, "%s", path);
		cases += each_case(f, path, fn, arg);
		fclose(f);
	}
	globfree(&g);
	return cases;
}

/* A case's message and explanation, each both ways. */
static void compare_case(const struct gt_eval *ev, const char *path, long line, void *arg)
{
	(void)arg;
	size_t n1, n2;
	/* The summary message alone, as screen writes it. */
	char m1[2048], m2[2048];
	gt_explain_cache(false);
	n1 = gt_eval_message(ev, m1, sizeof m1);
	gt_explain_cache(true);
	n2 = gt_eval_message(ev, m2, sizeof m2);
	cr_assert(n1 == n2 && strcmp(m1, m2) == 0,
		  "%s line %ld (names %s): the message differs\n--- worked out on use:\n%s\n--- kept:\n%s", path,
		  line, gt_names_zh() ? "zh" : "en", m1, m2);
	char *fresh = explain(ev, false, &n1);
	char *kept = explain(ev, true, &n2);
	cr_assert(n1 == n2 && memcmp(fresh, kept, n1) == 0,
		  "%s line %ld (names %s): the kept pieces differ\n--- worked out on use:\n%s\n--- kept:\n%s",
		  path, line, gt_names_zh() ? "zh" : "en", fresh, kept);
	free(fresh);
	free(kept);
}

/* Every case of every screen fixture, explained both ways; returns how many
 * were compared. */
static int compare_fixtures(void)
{
	return each_fixture_case(compare_case, NULL);
}

Test(explain_cache, kept_pieces_are_the_pieces_worked_out_on_use)
{
	language(false);
	int en = compare_fixtures();
	language(true);
	int zh = compare_fixtures();
	cr_expect_gt(en, 300, "the fixtures hold some hundreds of cases (%d)", en);
	cr_expect_eq(en, zh);
	language(false);
}

/* gt_cond_text both ways over every kind of condition and every state,
 * need and have in and past the kept ranges (durations of 0 to 80 years,
 * names past a table's end). */
static void compare_conditions(void)
{
	char fresh[512], kept[512];
	struct gt_cond k = { .since = gt_date_from_ymd(2001, 2, 3), .met_on = gt_date_from_ymd(2024, 5, 6) };
	for (int what = GT_WHAT_FLAG; what <= GT_WHAT_APPRAISALS; what++)
		for (int state = GT_COND_MET; state <= GT_COND_PENDING; state++)
			for (int have = -13; have < 80 * 12; have += what == GT_WHAT_YEARS ? 1 : 37)
				for (int need = 0; need < 70; need += what == GT_WHAT_YEARS ? 23 : 1) {
					k.what = (uint8_t)what;
					k.state = (uint8_t)state;
					k.have = (int16_t)(what == GT_WHAT_YEARS ? have : have % 41);
					k.need = (int16_t)need;
					k.code = (uint8_t)(need % GT_UNMET_COUNT);
					k.since = have == 5 ? GT_DATE_NONE : gt_date_from_ymd(2001, 2, 3);
					gt_explain_cache(false);
					size_t n1 = gt_cond_text(&k, fresh, sizeof fresh);
					gt_explain_cache(true);
					size_t n2 = gt_cond_text(&k, kept, sizeof kept);
					cr_assert(n1 == n2 && strcmp(fresh, kept) == 0,
						  "what %d state %d need %d have %d: \"%s\" kept as \"%s\"",
						  what, state, need, k.have, fresh, kept);
				}
}

Test(explain_cache, every_condition_the_same_both_ways)
{
	language(false);
	compare_conditions();
	language(true);
	compare_conditions();
	language(false);
}

/* The dates of a years condition, written from the table of digit pairs
 * (date_text), against gt_date_format's: every day of 1600-2500, and dates
 * past the range either writes as four digits. */
Test(explain_cache, every_date_the_same_both_ways)
{
	language(false);
	char fresh[512], kept[512];
	struct gt_cond k = { .what = GT_WHAT_YEARS, .state = GT_COND_UNMET, .need = 3, .have = 7 };
	gt_date first = gt_date_from_ymd(1600, 1, 1), last = gt_date_from_ymd(2500, 12, 31);
	gt_date far[] = { gt_date_from_ymd(1, 1, 1), gt_date_from_ymd(9999, 12, 31), gt_date_from_ymd(10000, 1, 1),
			  first - 800000, last + 3000000 };
	int n = 0;
	for (gt_date d = first; d <= last + (gt_date)(sizeof far / sizeof far[0]); d++) {
		gt_date day = d <= last ? d : far[d - last - 1];
		k.since = day;
		k.met_on = day + 1096;
		gt_explain_cache(false);
		size_t n1 = gt_cond_text(&k, fresh, sizeof fresh);
		gt_explain_cache(true);
		size_t n2 = gt_cond_text(&k, kept, sizeof kept);
		cr_assert(n1 == n2 && strcmp(fresh, kept) == 0, "day %d: \"%s\" kept as \"%s\"", (int)day, fresh,
			  kept);
		n++;
	}
	cr_assert(strstr(fresh, "since") && n > 300000, "%s (%d days)", fresh, n);
}

Test(explain_cache, the_table_follows_the_language)
{
	/* Built in one language, then used after a change to the other and
	 * back: each time the pieces are the current language's. */
	for (int round = 0; round < 3; round++) {
		language(round % 2 == 1);
		cr_assert_gt(compare_fixtures(), 0);
	}
	/* The catalogue changes while the names' language stays: Chinese
	 * sentences with English names, and back. */
	language(true);
	gt_set_names_zh(false);
	cr_assert_gt(compare_fixtures(), 0);
	language(false);
	cr_assert_gt(compare_fixtures(), 0);
}

Test(explain_cache, chinese_table_says_chinese)
{
	/* Not an English fallback: a row of the route table and a condition
	 * in Chinese, the columns padded by display width. */
	static struct gt_csv_record rec;
	static struct gt_case c;
	static struct gt_eval ev;
	language(true);
	FILE *f = fopen(GT_SOURCE_DIR "/fixtures/screen/guangzhou.csv", "rb");
	cr_assert(f);
	gt_csv *r = gt_csv_new(f);
	struct gt_header h;
	char msg[512];
	cr_assert_eq(gt_csv_next(r, &rec), 1);
	cr_assert_eq(gt_header_parse(&h, rec.fields, rec.nfields, NULL, 0, msg, sizeof msg), 0);
	struct gt_row_error err;
	cr_assert_eq(gt_csv_next(r, &rec), 1);
	cr_assert_eq(gt_case_parse(&c, &h, rec.fields, rec.nfields, gt_date_from_ymd(2025, 6, 30), &err), 0);
	gt_evaluate(&c, &ev);
	size_t n;
	char *text = explain(&ev, true, &n);
	cr_expect(strstr(text, "  结论："), "%s", text);
	cr_expect(strstr(text, "[x] ") || strstr(text, "[ ] "), "%s", text);
	/* Each route row: the rule's [id] starts at the same display column. */
	int col = -1;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char *id = strstr(line, "  [");
		if (strncmp(line, "    ", 4) != 0 && strncmp(line, "  * ", 4) != 0)
			continue;
		if (!id || line[4] == ' ')
			continue;
		*id = '\0';
		int w = gt_text_width(line);
		if (col < 0)
			col = w;
		cr_expect_eq(w, col, "route rows line up: %s", line);
	}
	cr_expect_gt(col, 0);
	free(text);
	gt_csv_free(&r);
	fclose(f);
	language(false);
}

/* A count of years says "1 year" and "2 years" (ngettext), both from the
 * table and worked out on use, in every sentence that counts years: no
 * "1 years" anywhere; in Chinese the one form. */
Test(explain_cache, years_counted_in_the_plural_form)
{
	for (int zh = 0; zh < 2; zh++) {
		language(zh);
		char text[512];
		for (int cached = 0; cached < 2; cached++)
			for (int n = 1; n < 70; n++)
				for (int state = GT_COND_MET; state <= GT_COND_PENDING; state++)
					for (int dated = 0; dated < 2; dated++) {
						struct gt_cond k = { .what = GT_WHAT_YEARS, .state = (uint8_t)state,
								     .need = (int16_t)n, .have = 7,
								     .since = dated ? gt_date_from_ymd(2001, 2, 3) : GT_DATE_NONE,
								     .met_on = gt_date_from_ymd(2024, 5, 6) };
						gt_explain_cache(cached);
						gt_cond_text(&k, text, sizeof text);
						gt_explain_cache(true);
						char want[32];
						snprintf(want, sizeof want, zh ? "满%d年" : n == 1 ? "needs %d year" : "needs %d years",
							 n);
						cr_assert(strstr(text, want), "\"%s\" lacks \"%s\"", text, want);
						cr_assert(!strstr(text, "1 years") || n != 1, "%s", text);
						cr_assert(!zh || !strstr(text, "year"), "%s", text);
					}
	}
	language(false);
}

/* screen --explain's writer (gt_explain_out), which keeps a route's head,
 * the answer's line and lines of missing evidence from case to case, writes
 * what gt_explain writes with every piece worked out on use, case after
 * case: the fixtures' cases and 6,000 generated ones, in English, then in
 * Chinese with the same writer (its kept lines follow the language), then
 * the fixtures again (what it kept is used). Enough heads to fill its table
 * and its arena more than once. */
struct two_ways {
	FILE *fresh, *kept;
	struct gt_explain_out *eo;
	int cases;
};

static void write_case_both_ways(const struct gt_eval *ev, const char *name, long line, void *arg)
{
	struct two_ways *t = arg;
	(void)name;
	(void)line;
	gt_explain_cache(false);
	gt_explain_visible(ev, t->fresh);
	gt_explain_cache(true);
	fputc('\n', t->fresh);
	gt_explain_out_case(t->eo, ev);
	gt_explain_out_text(t->eo, "\n", 1);
	t->cases++;
}

Test(explain_cache, writer_writes_what_gt_explain_works_out)
{
	char *fresh = NULL, *kept = NULL;
	size_t nf = 0, nk = 0;
	struct two_ways t = { open_memstream(&fresh, &nf), open_memstream(&kept, &nk), NULL, 0 };
	cr_assert(t.fresh && t.kept);
	t.eo = gt_explain_out_new(t.kept, true);
	cr_assert(t.eo);
	for (int zh = 0; zh < 2; zh++) {
		language(zh);
		each_fixture_case(write_case_both_ways, &t);
		char cmd[1024];
		snprintf(cmd, sizeof cmd, "'%s' 3000 %d 2>/dev/null", GT_GEN_CASES, 7 + zh);
		FILE *f = popen(cmd, "r");
		cr_assert(f, "cannot run %s", GT_GEN_CASES);
		each_case(f, "gen_cases", write_case_both_ways, &t);
		cr_assert_eq(pclose(f), 0);
	}
	each_fixture_case(write_case_both_ways, &t);
	language(false);
	gt_explain_out_free(t.eo);
	cr_assert_eq(fclose(t.fresh), 0);
	cr_assert_eq(fclose(t.kept), 0);
	size_t at = 0;
	while (at < nf && at < nk && fresh[at] == kept[at])
		at++;
	size_t from = at > 300 ? at - 300 : 0;
	cr_assert(nf == nk && at == nf,
		  "the writer differs at byte %zu of %zu (%zu written)\n--- worked out on use:\n%.600s\n--- writer:\n%.600s",
		  at, nf, nk, fresh + from, kept + from);
	cr_expect_gt(t.cases, 6500, "%d cases", t.cases);
	free(fresh);
	free(kept);
}
