/* Unit tests of core/gt_date: parsing, the day-number calendar, anniversaries. */
#include <criterion/criterion.h>
#include <string.h>

#include "gt_date.h"

static int parse(const char *s, gt_date *out)
{
	return gt_date_parse(s, strlen(s), out);
}

static gt_date ymd(int y, int m, int d)
{
	return gt_date_from_ymd(y, m, d);
}

static gt_date P(const char *s)
{
	gt_date d = 12345;
	cr_assert_eq(parse(s, &d), 0, "parse(\"%s\")", s);
	return d;
}

/* ---- gt_date_parse: malformed (-1) ---- */

static void expect_malformed(const char *s)
{
	gt_date d = 777;
	cr_expect_eq(parse(s, &d), -1, "\"%s\" should be malformed", s);
	cr_expect_eq(d, 777, "\"%s\": out must be untouched on error", s);
}

/* One test for the table (the message names the input): a Criterion test
 * is a process of its own, and one per input bought nothing. */
static const char *const malformed[] = {
	"",                 /* empty_is_malformed */
	"2023-2-1",         /* single_digit_month_and_day_malformed */
	"2023-02-1",        /* single_digit_day_malformed */
	"20230201",         /* compact_form_malformed */
	/* The spreadsheet forms (spec, Input): one separator throughout, one or two
	 * digits of month and day, nothing else. */
	"2020/1.5",         /* mixed_separators_malformed */
	"2020.1/5",         /* mixed_separators_dot_first_malformed */
	"2020-01/05",       /* dash_and_slash_malformed */
	"2020/1/",          /* slash_missing_day_malformed */
	"2020//5",          /* slash_missing_month_malformed */
	"2020/001/5",       /* slash_three_digit_month_malformed */
	"2020/1/005",       /* slash_three_digit_day_malformed */
	"2020/1/5/",        /* slash_trailing_separator_malformed */
	"2020/ 1/5",        /* slash_space_malformed */
	"2020/+1/5",        /* slash_sign_malformed */
	"20/1/5",           /* slash_two_digit_year_malformed */
	"2026.6.30.",       /* dot_trailing_dot_malformed */
	"2026.0630",        /* dot_compact_malformed */
	"2023-02-01 ",      /* trailing_space_malformed */
	" 2023-02-01",      /* leading_space_malformed */
	"2023- 2-01",       /* space_padded_month_malformed */
	"2023-02-0a",       /* letter_in_day_malformed */
	"+023-02-01",       /* sign_in_year_malformed */
	"23-02-01",         /* two_digit_year_malformed */
	"02023-02-01",      /* five_digit_year_malformed */
	"2023-02-01T00:00", /* datetime_malformed */
};

Test(date_parse, malformed)
{
	for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++)
		expect_malformed(malformed[i]);
}

Test(date_parse, length_counts_not_nul)
{
	/* The length argument rules, not a terminating NUL. */
	gt_date d;
	cr_expect_eq(gt_date_parse("2023-02-01xyz", 10, &d), 0);
	cr_expect_eq(d, ymd(2023, 2, 1));
	cr_expect_eq(gt_date_parse("2023-02-01", 9, &d), -1);
}

/* ---- gt_date_parse: well-formed but nonexistent (-2) ---- */

static void expect_nonexistent(const char *s)
{
	gt_date d = 777;
	cr_expect_eq(parse(s, &d), -2, "\"%s\" should be nonexistent", s);
	cr_expect_eq(d, 777, "\"%s\": out must be untouched on error", s);
}

/* One test for the table, as for the malformed ones. */
static const char *const nonexistent[] = {
	"2023-02-29", /* feb_29_common_year_nonexistent */
	"1900-02-29", /* feb_29_1900_nonexistent */
	"2100-02-29", /* feb_29_2100_nonexistent */
	"2024-02-30", /* feb_30_leap_year_nonexistent */
	"2023-04-31", /* april_31_nonexistent */
	"2023-13-01", /* month_13_nonexistent */
	"2023-00-10", /* month_00_nonexistent */
	"2023-01-00", /* day_00_nonexistent */
	"2023-01-32", /* day_32_nonexistent */
	"1899-12-31", /* year_1899_out_of_range */
	"2200-01-01", /* year_2200_out_of_range */
	"0000-01-01", /* year_0000_out_of_range */
	"2020/13/1",  /* slash_month_13_nonexistent */
	"2020/0/1",   /* slash_month_0_nonexistent */
	"2020/1/0",   /* slash_day_0_nonexistent */
	"2023/2/29",  /* slash_feb_29_common_year_nonexistent */
	"2026.6.31",  /* dot_june_31_nonexistent */
	"1899.12.31", /* dot_year_1899_out_of_range */
};

Test(date_parse, nonexistent)
{
	for (size_t i = 0; i < sizeof nonexistent / sizeof nonexistent[0]; i++)
		expect_nonexistent(nonexistent[i]);
}

/* ---- gt_date_parse: valid ---- */

Test(date_parse, valid_plain)
{
	cr_expect_eq(P("2023-02-01"), ymd(2023, 2, 1));
}

Test(date_parse, valid_slash_and_dot_forms_are_the_same_date)
{
	cr_expect_eq(P("2020/1/5"), ymd(2020, 1, 5));
	cr_expect_eq(P("2020/01/05"), ymd(2020, 1, 5));
	cr_expect_eq(P("2020/1/05"), ymd(2020, 1, 5));
	cr_expect_eq(P("2020/01/5"), ymd(2020, 1, 5));
	cr_expect_eq(P("2026.6.30"), P("2026-06-30"));
	cr_expect_eq(P("2026.06.30"), P("2026-06-30"));
	cr_expect_eq(P("2020/12/31"), ymd(2020, 12, 31));
	cr_expect_eq(P("2024/2/29"), ymd(2024, 2, 29));
	cr_expect_eq(P("2000.2.29"), ymd(2000, 2, 29));
	cr_expect_eq(P("1900/1/1"), ymd(1900, 1, 1));
	cr_expect_eq(P("2199.12.31"), ymd(2199, 12, 31));
}

Test(date_parse, slash_form_formats_back_as_iso)
{
	char buf[11];
	gt_date_format(P("2020/1/5"), buf);
	cr_expect_str_eq(buf, "2020-01-05");
	gt_date_format(P("2026.6.30"), buf);
	cr_expect_str_eq(buf, "2026-06-30");
}

Test(date_parse, slash_length_counts_not_nul)
{
	gt_date d;
	cr_expect_eq(gt_date_parse("2020/1/59", 8, &d), 0);
	cr_expect_eq(d, ymd(2020, 1, 5));
}

Test(date_parse, valid_range_ends)
{
	cr_expect_eq(P("1900-01-01"), ymd(1900, 1, 1));
	cr_expect_eq(P("2199-12-31"), ymd(2199, 12, 31));
}

Test(date_parse, valid_leap_days)
{
	cr_expect_eq(P("2000-02-29"), ymd(2000, 2, 29));
	cr_expect_eq(P("2024-02-29"), ymd(2024, 2, 29));
}

Test(date_parse, epoch_is_day_zero)
{
	cr_expect_eq(P("1970-01-01"), 0);
	cr_expect_eq(P("1969-12-31"), -1);
	cr_expect_eq(P("2000-01-01"), 10957);
	cr_expect_eq(P("1900-01-01"), -25567);
}

/* ---- calendar ---- */

Test(calendar, is_leap)
{
	cr_expect_not(gt_is_leap(1900));
	cr_expect(gt_is_leap(2000));
	cr_expect_not(gt_is_leap(2100));
	cr_expect(gt_is_leap(2024));
	cr_expect_not(gt_is_leap(2023));
}

Test(calendar, days_in_month)
{
	static const int common[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	for (int m = 1; m <= 12; m++)
		cr_expect_eq(gt_days_in_month(2023, m), common[m - 1], "month %d", m);
	cr_expect_eq(gt_days_in_month(2024, 2), 29);
	cr_expect_eq(gt_days_in_month(1900, 2), 28);
	cr_expect_eq(gt_days_in_month(2000, 2), 29);
}

Test(calendar, days_in_month_out_of_range_is_zero)
{
	cr_expect_eq(gt_days_in_month(2023, 0), 0);
	cr_expect_eq(gt_days_in_month(2023, 13), 0);
}

Test(calendar, valid_ymd)
{
	cr_expect(gt_date_valid_ymd(2024, 2, 29));
	cr_expect_not(gt_date_valid_ymd(2023, 2, 29));
	cr_expect_not(gt_date_valid_ymd(2023, 0, 1));
	cr_expect_not(gt_date_valid_ymd(2023, 1, 0));
}

/* Walks the calendar day by day from 1 January of `first` to 31 December of
 * `last`, independently of gt_date, checks both directions each day and
 * that 1970-01-01 is day 0; returns the number of days. */
static long walk_calendar(int first, int last)
{
	int y = first, m = 1, d = 1;
	gt_date expect = gt_date_from_ymd(first, 1, 1);
	long days = 0;
	while (y <= last) {
		gt_date z = gt_date_from_ymd(y, m, d);
		if (z != expect)
			cr_assert_fail("from_ymd(%d-%02d-%02d) = %d, expected %d", y, m, d, z, expect);
		int yy, mm, dd;
		gt_date_to_ymd(z, &yy, &mm, &dd);
		if (yy != y || mm != m || dd != d)
			cr_assert_fail("to_ymd(%d) = %d-%02d-%02d, expected %d-%02d-%02d",
				       z, yy, mm, dd, y, m, d);
		if (y == 1970 && m == 1 && d == 1)
			cr_assert_eq(z, 0);
		expect++;
		days++;
		if (++d > gt_days_in_month(y, m)) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	return days;
}

Test(calendar, round_trip_every_day_1900_to_2199)
{
	/* 300 years: 73 leap years (1900, 2100 are not; 2000 is). */
	cr_expect_eq(walk_calendar(1900, 2199), 300L * 365 + 73);
}

Test(calendar, round_trip_every_day_4000_bc_to_6000_ad)
{
	/* The calendar arithmetic far beyond the range dates parse in (it has
	 * no branch per era). */
	cr_assert_eq(gt_date_from_ymd(-4000, 1, 1), -2180498); /* 10 × 146,097 + 366 + 719,162 back */
	cr_expect_eq(walk_calendar(-4000, 5999), 10000L * 365 + 2425);
}

Test(calendar, parse_agrees_with_from_ymd_and_format)
{
	/* Every 7th day over the range: format -> parse gives the same day. */
	for (gt_date z = ymd(1900, 1, 1); z <= ymd(2199, 12, 31); z += 7) {
		char buf[11];
		gt_date back = 0;
		gt_date_format(z, buf);
		if (gt_date_parse(buf, strlen(buf), &back) != 0 || back != z)
			cr_assert_fail("day %d formatted as \"%s\" did not parse back", z, buf);
	}
}

/* ---- gt_date_format ---- */

Test(date_format, zero_padded)
{
	char buf[16];
	memset(buf, 'Z', sizeof buf);
	gt_date_format(ymd(2023, 2, 1), buf);
	cr_expect_str_eq(buf, "2023-02-01");
	cr_expect_eq(buf[11], 'Z', "writes exactly 11 bytes");
}

Test(date_format, range_ends)
{
	char buf[11];
	gt_date_format(ymd(1900, 1, 1), buf);
	cr_expect_str_eq(buf, "1900-01-01");
	gt_date_format(ymd(2199, 12, 31), buf);
	cr_expect_str_eq(buf, "2199-12-31");
}

/* ---- gt_date_add_years ---- */

Test(add_years, ordinary_day)
{
	cr_expect_eq(gt_date_add_years(ymd(2015, 7, 1), 5), ymd(2020, 7, 1));
}

Test(add_years, zero_years_is_identity)
{
	cr_expect_eq(gt_date_add_years(ymd(2020, 2, 29), 0), ymd(2020, 2, 29));
}

Test(add_years, feb_29_to_leap_year_stays_29)
{
	cr_expect_eq(gt_date_add_years(ymd(2020, 2, 29), 4), ymd(2024, 2, 29));
}

Test(add_years, feb_29_to_common_year_is_28)
{
	cr_expect_eq(gt_date_add_years(ymd(2020, 2, 29), 1), ymd(2021, 2, 28));
	cr_expect_eq(gt_date_add_years(ymd(2020, 2, 29), 3), ymd(2023, 2, 28));
}

Test(add_years, feb_29_to_2100_is_28)
{
	cr_expect_eq(gt_date_add_years(ymd(2096, 2, 29), 4), ymd(2100, 2, 28));
}

Test(add_years, feb_28_stays_28_in_leap_year)
{
	cr_expect_eq(gt_date_add_years(ymd(2023, 2, 28), 1), ymd(2024, 2, 28));
}

Test(add_years, year_end)
{
	cr_expect_eq(gt_date_add_years(ymd(2019, 12, 31), 1), ymd(2020, 12, 31));
}

/* ---- gt_date_add_months ---- */

Test(add_years, ymd_form_agrees_with_add_years_day_by_day)
{
	/* The evaluator's form on a date taken apart: every day 1890-2210 with
	 * 0-60 years (29 February to common and leap years, centuries), and
	 * every 97th day of years 10 to 5000 with -5 to 450 years (the reference,
	 * gt_date_add_months, is for years after 0). */
	for (gt_date from = ymd(1890, 1, 1); from <= ymd(2210, 12, 31); from++) {
		int y, m, d;
		gt_date_to_ymd(from, &y, &m, &d);
		for (int n = 0; n <= 60; n++)
			if (gt_date_add_years_ymd(from, y, m, d, n) != gt_date_add_years(from, n))
				cr_assert_fail("add_years_ymd(%d-%02d-%02d, %d) = %d, want %d", y, m, d, n,
					       gt_date_add_years_ymd(from, y, m, d, n),
					       gt_date_add_years(from, n));
	}
	for (gt_date from = ymd(10, 1, 1); from <= ymd(5000, 12, 31); from += 97) {
		int y, m, d;
		gt_date_to_ymd(from, &y, &m, &d);
		for (int n = -5; n <= 450; n += 7)
			if (gt_date_add_years_ymd(from, y, m, d, n) != gt_date_add_years(from, n))
				cr_assert_fail("add_years_ymd(%d-%02d-%02d, %d) = %d, want %d", y, m, d, n,
					       gt_date_add_years_ymd(from, y, m, d, n),
					       gt_date_add_years(from, n));
	}
}

Test(add_months, clamps_to_month_end)
{
	cr_expect_eq(gt_date_add_months(ymd(2020, 1, 31), 1), ymd(2020, 2, 29));
	cr_expect_eq(gt_date_add_months(ymd(2021, 1, 31), 1), ymd(2021, 2, 28));
	cr_expect_eq(gt_date_add_months(ymd(2021, 3, 31), 1), ymd(2021, 4, 30));
}

Test(add_months, crosses_year)
{
	cr_expect_eq(gt_date_add_months(ymd(2021, 11, 15), 3), ymd(2022, 2, 15));
}

/* ---- gt_years_reached ---- */

Test(years_reached, day_before_anniversary_not_reached)
{
	cr_expect_not(gt_years_reached(ymd(2018, 6, 15), 5, ymd(2023, 6, 14)));
}

Test(years_reached, on_anniversary_reached)
{
	cr_expect(gt_years_reached(ymd(2018, 6, 15), 5, ymd(2023, 6, 15)));
}

Test(years_reached, day_after_anniversary_reached)
{
	cr_expect(gt_years_reached(ymd(2018, 6, 15), 5, ymd(2023, 6, 16)));
}

Test(years_reached, feb_29_anniversary_in_common_year_is_feb_28)
{
	cr_expect_not(gt_years_reached(ymd(2020, 2, 29), 3, ymd(2023, 2, 27)));
	cr_expect(gt_years_reached(ymd(2020, 2, 29), 3, ymd(2023, 2, 28)));
}

Test(years_reached, feb_29_anniversary_in_leap_year_is_feb_29)
{
	cr_expect_not(gt_years_reached(ymd(2020, 2, 29), 4, ymd(2024, 2, 28)));
	cr_expect(gt_years_reached(ymd(2020, 2, 29), 4, ymd(2024, 2, 29)));
}

Test(years_reached, zero_years_on_same_day)
{
	cr_expect(gt_years_reached(ymd(2020, 5, 5), 0, ymd(2020, 5, 5)));
	cr_expect_not(gt_years_reached(ymd(2020, 5, 5), 0, ymd(2020, 5, 4)));
}

/* ---- gt_months_between: whole months k with add_months(from, k) <= at ---- */

Test(months_between, at_before_or_equal_from_is_zero)
{
	cr_expect_eq(gt_months_between(ymd(2020, 5, 5), ymd(2020, 5, 5)), 0);
	cr_expect_eq(gt_months_between(ymd(2020, 5, 5), ymd(2019, 1, 1)), 0);
}

Test(months_between, day_before_monthiversary)
{
	cr_expect_eq(gt_months_between(ymd(2020, 5, 15), ymd(2020, 6, 14)), 0);
	cr_expect_eq(gt_months_between(ymd(2020, 5, 15), ymd(2020, 6, 15)), 1);
}

Test(months_between, jan_31_to_feb_29_is_one_month)
{
	/* add_months(2020-01-31, 1) clamps to 2020-02-29, which is <= at. */
	cr_expect_eq(gt_months_between(ymd(2020, 1, 31), ymd(2020, 2, 29)), 1);
}

Test(months_between, jan_31_to_feb_28_leap_year_is_zero)
{
	cr_expect_eq(gt_months_between(ymd(2020, 1, 31), ymd(2020, 2, 28)), 0);
}

Test(months_between, jan_31_to_mar_30_is_one_month)
{
	cr_expect_eq(gt_months_between(ymd(2020, 1, 31), ymd(2020, 3, 30)), 1);
	cr_expect_eq(gt_months_between(ymd(2020, 1, 31), ymd(2020, 3, 31)), 2);
}

Test(months_between, across_years)
{
	cr_expect_eq(gt_months_between(ymd(2018, 11, 20), ymd(2021, 2, 19)), 26);
	cr_expect_eq(gt_months_between(ymd(2018, 11, 20), ymd(2021, 2, 20)), 27);
}

Test(months_between, agrees_with_add_months_definition)
{
	/* For a spread of (from, at), k = result satisfies add(from,k) <= at < add(from,k+1). */
	for (gt_date from = ymd(2019, 1, 1); from < ymd(2021, 1, 1); from += 13) {
		for (gt_date at = from; at < from + 800; at += 17) {
			int k = gt_months_between(from, at);
			if (!(gt_date_add_months(from, k) <= at && at < gt_date_add_months(from, k + 1)))
				cr_assert_fail("months_between(%d, %d) = %d breaks the definition",
					       from, at, k);
		}
	}
}

Test(months_between, ymd_form_agrees_with_the_definition_day_by_day)
{
	/* The evaluator's form on dates taken apart, every `at` day by day
	 * around month ends and 29 February (2019-2021), and `at` <= from. */
	for (gt_date from = ymd(2019, 1, 1); from < ymd(2022, 1, 1); from += 3) {
		int y1, m1, d1;
		gt_date_to_ymd(from, &y1, &m1, &d1);
		int want = 0; /* non-decreasing as `at` grows */
		for (gt_date at = from - 40; at < from + 800; at++) {
			int y2, m2, d2;
			gt_date_to_ymd(at, &y2, &m2, &d2);
			int k = gt_months_between_ymd(y1, m1, d1, y2, m2, d2);
			while (gt_date_add_months(from, want + 1) <= at)
				want++;
			if (k != want)
				cr_assert_fail("months_between_ymd(%d-%d-%d, %d-%d-%d) = %d, want %d",
					       y1, m1, d1, y2, m2, d2, k, want);
		}
	}
}
