/* GB 11643-1999 citizen identification numbers: 6-digit area, 8-digit birth
 * date, 3-digit sequence, ISO 7064 MOD 11-2 check character. */
#include <string.h>

#include "gt_idnum.h"

char gt_id_check_char(const char *d)
{
	static const unsigned char w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	static const char map[] = "10X98765432";
	unsigned sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (unsigned)(d[i] - '0') * w[i];
	return map[sum % 11];
}

enum gt_id_status gt_id_validate(const char *s, size_t n, char norm[19], gt_date *birth)
{
	/* The people's export writes the number grouped 6-8-4 with single
	 * spaces, so that a spreadsheet keeps it as text; read back, it is the
	 * same number. */
	char packed[18];
	if (n == 20 && s[6] == ' ' && s[15] == ' ') {
		memcpy(packed, s, 6);
		memcpy(packed + 6, s + 7, 8);
		memcpy(packed + 14, s + 16, 4);
		s = packed;
		n = 18;
	}
	if (n != 18)
		return GT_ID_LENGTH;
	for (int i = 0; i < 17; i++)
		if (s[i] < '0' || s[i] > '9')
			return GT_ID_CHARS;
	char last = s[17] == 'x' ? 'X' : s[17];
	if (!((last >= '0' && last <= '9') || last == 'X'))
		return GT_ID_CHARS;
	if (gt_id_check_char(s) != last)
		return GT_ID_CHECK;
	int y = 0, m = 0, d = 0;
	for (int i = 6; i < 10; i++)
		y = y * 10 + (s[i] - '0');
	m = (s[10] - '0') * 10 + (s[11] - '0');
	d = (s[12] - '0') * 10 + (s[13] - '0');
	if (y < 1900 || !gt_date_valid_ymd(y, m, d))
		return GT_ID_BIRTH_DATE;
	for (int i = 0; i < 17; i++)
		norm[i] = s[i];
	norm[17] = last;
	norm[18] = '\0';
	*birth = gt_date_from_ymd(y, m, d);
	return GT_ID_OK;
}
