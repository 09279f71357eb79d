/* Civil dates (days since 1970-01-01). */
#include <time.h>

#include "gt_date.h"

bool gt_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int gt_days_in_month(int y, int m)
{
	static const unsigned char mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m < 1 || m > 12)
		return 0;
	return m == 2 && gt_is_leap(y) ? 29 : mdays[m - 1];
}

bool gt_date_valid_ymd(int y, int m, int d)
{
	return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= gt_days_in_month(y, m);
}

/* The calendar without branches or signed division, after C. Neri and
 * L. Schneider, "Euclidean affine functions and their application to calendar
 * algorithms" (2022): days and years are counted from 1 March of a year
 * SHIFT_YEARS before year 0, so that every gt_date and year is non-negative,
 * and each division is by a constant (a multiply and a shift). Exactly
 * Hinnant's days_from_civil and civil_from_days over +-10,000 years (checked
 * day by day when this was written), in a third of the instructions: the
 * evaluator takes dates apart for every case. */
#define SHIFT_ERAS 1048576ull                     /* 400-year eras */
#define SHIFT_YEARS ((uint64_t)GT_DATE_SHIFT_YEARS) /* 400 * SHIFT_ERAS */
#define SHIFT_DAYS (719468ull + 146097ull * SHIFT_ERAS) /* to 1970-01-01 */

gt_date gt_date_from_ymd(int y, int m, int d)
{
	uint64_t jan_feb = m <= 2; /* counted with the year before */
	uint64_t year = (uint64_t)((int64_t)y + (int64_t)SHIFT_YEARS) - jan_feb;
	uint64_t month = jan_feb ? (uint64_t)m + 12 : (uint64_t)m; /* 3..14 */
	uint64_t century = year / 100;
	uint64_t days = 1461 * year / 4 - century + century / 4 + (979 * month - 2919) / 32 +
			(uint64_t)(int64_t)(d - 1);
	return (gt_date)((int64_t)days - (int64_t)SHIFT_DAYS);
}

void gt_date_to_ymd(gt_date z, int *y, int *m, int *d)
{
	uint64_t n = (uint64_t)((int64_t)z + (int64_t)SHIFT_DAYS);
	uint64_t century = (4 * n + 3) / 146097;
	uint64_t day_of_century = (4 * n + 3) % 146097 / 4;
	uint64_t p = 2939745 * (4 * day_of_century + 3);
	uint64_t year_of_century = p >> 32;
	uint64_t day_of_year = (p & 0xffffffffu) / 2939745 / 4; /* from 1 March */
	uint64_t md = 2141 * day_of_year + 197913;
	uint64_t jan_feb = day_of_year >= 306;
	*y = (int)((int64_t)(100 * century + year_of_century + jan_feb) - (int64_t)SHIFT_YEARS);
	*m = (int)((md >> 16) - 12 * jan_feb);
	*d = (int)((md & 0xffff) / 2141) + 1;
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* One or two digits of a month or day; returns the number of digits read. */
static size_t small_number(const char *s, size_t n, int *v)
{
	size_t k = 0;
	*v = 0;
	while (k < n && k < 3 && s[k] >= '0' && s[k] <= '9')
		*v = *v * 10 + (s[k++] - '0');
	return k >= 1 && k <= 2 ? k : 0;
}

/* "YYYY-MM-DD", or "YYYY/M/D" and "YYYY.M.D" with one- or two-digit month and
 * day as spreadsheets write them (spec: Input). The two separators must be the
 * same: "2020/1.5" is no date a spreadsheet writes, so it is malformed. */
int gt_date_parse(const char *s, size_t n, gt_date *out)
{
	if (n < 8 || n > 10)
		return -1;
	int y = digits(s, 4), m, d;
	if (y < 0)
		return -1;
	char sep = s[4];
	if (sep == '-') {
		if (n != 10 || s[7] != '-')
			return -1;
		m = digits(s + 5, 2);
		d = digits(s + 8, 2);
		if (m < 0 || d < 0)
			return -1;
	} else if (sep == '/' || sep == '.') {
		size_t i = 5;
		size_t k = small_number(s + i, n - i, &m);
		if (!k)
			return -1;
		i += k;
		if (i >= n || s[i] != sep)
			return -1;
		i++;
		k = small_number(s + i, n - i, &d);
		if (!k || i + k != n)
			return -1;
	} else {
		return -1;
	}
	if (y < 1900 || y > 2199 || !gt_date_valid_ymd(y, m, d))
		return -2;
	*out = gt_date_from_ymd(y, m, d);
	return 0;
}

void gt_date_format(gt_date date, char *buf)
{
	int y, m, d;
	gt_date_to_ymd(date, &y, &m, &d);
	buf[0] = (char)('0' + y / 1000 % 10);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
}

gt_date gt_date_add_months(gt_date from, int months)
{
	int y, m, d;
	gt_date_to_ymd(from, &y, &m, &d);
	int total = y * 12 + (m - 1) + months;
	y = total / 12;
	m = total % 12 + 1;
	int dim = gt_days_in_month(y, m);
	return gt_date_from_ymd(y, m, d > dim ? dim : d);
}

gt_date gt_date_add_years(gt_date from, int years)
{
	/* 29 February + N years in a common year clamps to 28 February. */
	return gt_date_add_months(from, years * 12);
}

int gt_months_between(gt_date from, gt_date at)
{
	if (at <= from)
		return 0;
	int y1, m1, d1, y2, m2, d2;
	gt_date_to_ymd(from, &y1, &m1, &d1);
	gt_date_to_ymd(at, &y2, &m2, &d2);
	return gt_months_between_ymd(y1, m1, d1, y2, m2, d2);
}

int gt_months_between_ymd(int y1, int m1, int d1, int y2, int m2, int d2)
{
	int months = (y2 - y1) * 12 + (m2 - m1);
	if (months <= 0)
		return 0;
	/* gt_date_add_months(from, months) falls in at's month, on d1 or that
	 * month's last day: it is after `at` exactly when that day is. */
	int dim = gt_days_in_month(y2, m2);
	if ((d1 > dim ? dim : d1) > d2)
		months--;
	return months;
}

gt_date gt_date_today(void)
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	return gt_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}
