/* Resident identity numbers (GB 11643-1999). */
#ifndef GT_IDNUM_H
#define GT_IDNUM_H

#include <stdbool.h>
#include <stddef.h>
#include "gt_date.h"

enum gt_id_status {
	GT_ID_OK,
	GT_ID_LENGTH,      /* not 18 characters */
	GT_ID_CHARS,       /* not 17 digits and a digit or X */
	GT_ID_CHECK,       /* check character does not match */
	GT_ID_BIRTH_DATE,  /* characters 7-14 are not a real date */
};

/* The check character for the first 17 digits: '0'..'9' or 'X'. */
char gt_id_check_char(const char *digits17);

/* Validates s[0..n), 18 characters or the same grouped 6-8-4 with single
 * spaces ("500103 19690715 4321", the people's export form); on GT_ID_OK writes the normalised number (lower-case x
 * read as X, NUL-terminated) into norm[19] and the birth date into *birth. */
enum gt_id_status gt_id_validate(const char *s, size_t n, char norm[19], gt_date *birth);

/* A division of GB/T 2260: its code (2 digits for a province, 4 for a
 * city), its Chinese name and its romanised name. */
struct gt_id_area {
	const char *code, *zh, *en;
};

/* What the first 17 digits say (GB 11643-1999): the issuing area, the birth
 * date and the sex. For a number that does not check, to compare with the
 * card rather than to guess which character is wrong. */
struct gt_id_info {
	char area[7];                    /* the six-digit area code */
	const struct gt_id_area *province; /* by the first two digits; NULL: no such province */
	const struct gt_id_area *city;   /* the case regions' cities (鞍山, 广州...), else NULL */
	gt_date birth;                   /* GT_DATE_NONE: digits 7-14 are no date */
	int sex;                         /* 1 man (17th digit odd), 2 woman */
};

/* Decodes the first 17 characters of s[0..n); false unless they are digits. */
bool gt_id_decode(const char *s, size_t n, struct gt_id_info *info);
/* Whether a six-digit area code lies in the case region (gt_region). */
bool gt_id_in_region(const char *area, int region);
/* The province-level table, for tests. */
const struct gt_id_area *gt_id_provinces(int *n);

#endif
