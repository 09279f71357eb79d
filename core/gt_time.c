/* Stored UTC, shown local (see gt_time.h). */
#include <stdio.h>
#include <string.h>

#include "gt_text.h"
#include "gt_time.h"

void gt_time_format_utc(time_t t, char buf[32])
{
	struct tm tm;
	if (!gmtime_r(&t, &tm)) {
		buf[0] = '\0';
		return;
	}
	strftime(buf, 32, "%Y-%m-%d %H:%M:%S+00:00", &tm);
}

void gt_time_now(char buf[32])
{
	gt_time_format_utc(time(NULL), buf);
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

int gt_time_parse(const char *s, time_t *t)
{
	if (!s || strlen(s) < 16 || s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') ||
	    s[13] != ':')
		return -1;
	int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
	int h = digits(s + 11, 2), mi = digits(s + 14, 2), sec = 0;
	const char *p = s + 16;
	if (*p == ':') {
		sec = digits(p + 1, 2);
		p += 3;
		if (*p == '.') /* fractions of a second: not shown */
			for (p++; *p >= '0' && *p <= '9'; p++)
				;
	}
	if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0 || !gt_date_valid_ymd(y, mo, d) ||
	    h > 23 || mi > 59 || sec > 60)
		return -1;
	long off = 0;
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh = digits(p + 1, 2), om = p[3] == ':' ? digits(p + 4, 2) : digits(p + 3, 2);
		if (oh < 0 || om < 0 || oh > 23 || om > 59)
			return -1;
		off = (oh * 60L + om) * 60L * (*p == '-' ? -1 : 1);
		p += p[3] == ':' ? 6 : 5;
	}
	if (*p != '\0')
		return -1;
	long long days = gt_date_from_ymd(y, mo, d);
	*t = (time_t)(days * 86400LL + h * 3600LL + mi * 60LL + sec - off);
	return 0;
}

void gt_time_show(const char *stored, char *out, size_t size)
{
	time_t t;
	struct tm tm;
	if (size == 0)
		return;
	if (!stored || !*stored) {
		out[0] = '\0';
		return;
	}
	if (gt_time_parse(stored, &t) != 0 || !localtime_r(&t, &tm) ||
	    strftime(out, size, "%Y-%m-%d %H:%M", &tm) == 0) {
		struct gt_sb sb = gt_sb_make(out, size);
		gt_sb_add(&sb, stored);
	}
}

gt_date gt_time_local_date(const char *stored)
{
	time_t t;
	struct tm tm;
	if (gt_time_parse(stored, &t) != 0 || !localtime_r(&t, &tm))
		return GT_DATE_NONE;
	return gt_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

void gt_time_local_day_start(gt_date d, char buf[32])
{
	int y, m, dd;
	gt_date_to_ymd(d, &y, &m, &dd);
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = dd, .tm_isdst = -1 };
	time_t t = mktime(&tm);
	gt_time_format_utc(t, buf);
}
