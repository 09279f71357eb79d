/* Civil dates as day numbers, and the spec's "满 N 年" rule. */
#ifndef GT_DATE_H
#define GT_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Days since 1970-01-01 (proleptic Gregorian). GT_DATE_NONE marks a blank date. */
typedef int32_t gt_date;
#define GT_DATE_NONE INT32_MIN

gt_date gt_date_from_ymd(int y, int m, int d);
void gt_date_to_ymd(gt_date date, int *y, int *m, int *d);
bool gt_date_valid_ymd(int y, int m, int d);
bool gt_is_leap(int y);
int gt_days_in_month(int y, int m);

/* Parses "YYYY-MM-DD", "YYYY/M/D" or "YYYY.M.D" (one- or two-digit month and
 * day, one separator throughout; years 1900-2199); returns 0 on success, -1 on
 * a malformed string, -2 on a well-formed date that does not exist. */
int gt_date_parse(const char *s, size_t n, gt_date *out);

/* Writes "YYYY-MM-DD" and a NUL into buf (at least 11 bytes). */
void gt_date_format(gt_date date, char *buf);

/* The N-th anniversary of `from`; an anniversary of 29 February falls on
 * 28 February in a common year (spec: Years). */
gt_date gt_date_add_years(gt_date from, int years);

/* The calendar counts years from SHIFT_YEARS before year 0 (gt_date.c), so
 * that every year it handles is non-negative. */
#define GT_DATE_SHIFT_YEARS (400ll * 1048576)

/* gt_date_add_years for a date already taken apart (from = y-m-d), without
 * building the day number again: the same month and day `years` later are
 * 365 days a year and one for each 29 February between, counting years
 * from 1 March (Jan and Feb belong to the year before); 29 February in a
 * common year is 28 February. The evaluator counts most "满 N 年" so. */
static inline gt_date gt_date_add_years_ymd(gt_date from, int y, int m, int d, int years)
{
	uint64_t y0 = (uint64_t)((int64_t)y + GT_DATE_SHIFT_YEARS) - (m <= 2);
	uint64_t y1 = y0 + (uint64_t)(int64_t)years;
	uint64_t leaps = (y1 / 4 - y1 / 100 + y1 / 400) - (y0 / 4 - y0 / 100 + y0 / 400);
	gt_date to = from + 365 * years + (gt_date)(int64_t)leaps;
	if (m == 2 && d == 29 && !gt_is_leap(y + years))
		to--;
	return to;
}

/* Adds months, clamping the day to the end of the target month. */
gt_date gt_date_add_months(gt_date from, int months);

/* True when "满 N 年 since from" holds on `at`. */
static inline bool gt_years_reached(gt_date from, int years, gt_date at)
{
	return at >= gt_date_add_years(from, years);
}

/* Whole months completed from `from` to `at` (0 if at < from). */
int gt_months_between(gt_date from, gt_date at);
/* The same on dates already taken apart (from = y1-m1-d1, at = y2-m2-d2). */
int gt_months_between_ymd(int y1, int m1, int d1, int y2, int m2, int d2);

/* Today in local time. */
gt_date gt_date_today(void);

#endif
