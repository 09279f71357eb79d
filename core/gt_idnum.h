/* Resident identity numbers (GB 11643-1999). */
#ifndef GT_IDNUM_H
#define GT_IDNUM_H

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

#endif
