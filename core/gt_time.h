/* Moments in time: stored in UTC, shown in local time.
 *
 * The store writes "YYYY-MM-DD HH:MM:SS+00:00" (UTC, so that the text sorts
 * as time does); files written before kept their local offset, which is
 * read too. People read "YYYY-MM-DD HH:MM" in the local zone (TZ, else the
 * system's), without an offset. */
#ifndef GT_TIME_H
#define GT_TIME_H

#include <stddef.h>
#include <time.h>

#include "gt_date.h"

/* Now, in UTC, as stored: "YYYY-MM-DD HH:MM:SS+00:00" (buf: 32 bytes). */
void gt_time_now(char buf[32]);
/* The stored form of t. */
void gt_time_format_utc(time_t t, char buf[32]);

/* Reads "YYYY-MM-DD HH:MM[:SS]" with an optional "Z" or "+HH:MM"/"-HH:MM"
 * (none: UTC). Returns 0, or -1 when s is not such a time. */
int gt_time_parse(const char *s, time_t *t);

/* The local "YYYY-MM-DD HH:MM" of a stored time; an empty string stays
 * empty, and text that is not a time is copied as it is. */
void gt_time_show(const char *stored, char *out, size_t size);

/* The local date of a stored time (GT_DATE_NONE if it is not one). */
gt_date gt_time_local_date(const char *stored);

/* The stored form of the first moment of a local date: what "since that
 * day" compares the stored times with. */
void gt_time_local_day_start(gt_date d, char buf[32]);

#endif
