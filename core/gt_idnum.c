/* GB 11643-1999 citizen identification numbers: 6-digit area, 8-digit birth
 * date, 3-digit sequence, ISO 7064 MOD 11-2 check character. */
#include <stdint.h>
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

/* Whether s[0..8) are all ASCII digits, as one word: a byte is a digit
 * exactly when it is ASCII, subtracting '0' sets no high bit (none below
 * '0') and adding 0x46 sets none (none above '9'); a borrow or a carry
 * between bytes comes only from a byte that already fails. */
static inline bool digits8(const char *s)
{
	uint64_t x;
	memcpy(&x, s, 8);
	return ((x | (x - 0x3030303030303030u) | (x + 0x4646464646464646u)) & 0x8080808080808080u) == 0;
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
	if (!digits8(s) || !digits8(s + 8) || s[16] < '0' || s[16] > '9')
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
	memcpy(norm, s, 17);
	norm[17] = last;
	norm[18] = '\0';
	*birth = gt_date_from_ymd(y, m, d);
	return GT_ID_OK;
}

/* GB/T 2260 province-level codes, the first two digits of an area code.
 * No Debian package carries the GB/T 2260 table; these 34 rows are the
 * province-level divisions of GB/T 2260-2007 (unchanged since Chongqing
 * became 50 in 1997), their romanised names as iso-codes' ISO 3166-2:CN
 * spells them (tests/unit/test_idnum.c compares the two lists). */
static const struct gt_id_area provinces[] = {
	{ "11", "北京市", "Beijing Shi" }, { "12", "天津市", "Tianjin Shi" },
	{ "13", "河北省", "Hebei Sheng" }, { "14", "山西省", "Shanxi Sheng" },
	{ "15", "内蒙古自治区", "Nei Mongol Zizhiqu" }, { "21", "辽宁省", "Liaoning Sheng" },
	{ "22", "吉林省", "Jilin Sheng" }, { "23", "黑龙江省", "Heilongjiang Sheng" },
	{ "31", "上海市", "Shanghai Shi" }, { "32", "江苏省", "Jiangsu Sheng" },
	{ "33", "浙江省", "Zhejiang Sheng" }, { "34", "安徽省", "Anhui Sheng" },
	{ "35", "福建省", "Fujian Sheng" }, { "36", "江西省", "Jiangxi Sheng" },
	{ "37", "山东省", "Shandong Sheng" }, { "41", "河南省", "Henan Sheng" },
	{ "42", "湖北省", "Hubei Sheng" }, { "43", "湖南省", "Hunan Sheng" },
	{ "44", "广东省", "Guangdong Sheng" }, { "45", "广西壮族自治区", "Guangxi Zhuangzu Zizhiqu" },
	{ "46", "海南省", "Hainan Sheng" }, { "50", "重庆市", "Chongqing Shi" },
	{ "51", "四川省", "Sichuan Sheng" }, { "52", "贵州省", "Guizhou Sheng" },
	{ "53", "云南省", "Yunnan Sheng" }, { "54", "西藏自治区", "Xizang Zizhiqu" },
	{ "61", "陕西省", "Shaanxi Sheng" }, { "62", "甘肃省", "Gansu Sheng" },
	{ "63", "青海省", "Qinghai Sheng" }, { "64", "宁夏回族自治区", "Ningxia Huizi Zizhiqu" },
	{ "65", "新疆维吾尔自治区", "Xinjiang Uygur Zizhiqu" }, { "71", "台湾省", "Taiwan Sheng" },
	{ "81", "香港特别行政区", "Hong Kong SAR" }, { "82", "澳门特别行政区", "Macao SAR" },
};

/* The cities among the case regions (GB/T 2260 prefecture codes). */
static const struct gt_id_area cities[] = {
	{ "2103", "鞍山市", "Anshan Shi" },
	{ "4401", "广州市", "Guangzhou Shi" },
	/* 重庆市 was 510200, a city of Sichuan, until 1997; numbers issued
	 * then keep it. */
	{ "5102", "重庆市", "Chongqing Shi" },
};

const struct gt_id_area *gt_id_provinces(int *n)
{
	*n = (int)(sizeof provinces / sizeof provinces[0]);
	return provinces;
}

/* The area codes (their prefixes) of each case region, by gt_region. */
static const char *const region_prefixes[][2] = {
	{ "50", "5102" }, /* chongqing */
	{ "2103", NULL }, /* anshan */
	{ "51", NULL },   /* sichuan */
	{ "32", NULL },   /* jiangsu */
	{ "4401", NULL }, /* guangzhou */
};

bool gt_id_decode(const char *s, size_t n, struct gt_id_info *info)
{
	memset(info, 0, sizeof *info);
	info->birth = GT_DATE_NONE;
	if (n < 17)
		return false;
	for (int i = 0; i < 17; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	memcpy(info->area, s, 6);
	info->area[6] = '\0';
	int y = 0;
	for (int i = 6; i < 10; i++)
		y = y * 10 + (s[i] - '0');
	int m = (s[10] - '0') * 10 + (s[11] - '0');
	int d = (s[12] - '0') * 10 + (s[13] - '0');
	if (y >= 1900 && gt_date_valid_ymd(y, m, d))
		info->birth = gt_date_from_ymd(y, m, d);
	/* The 17th digit: odd for a man, even for a woman (GB 11643 4.3). */
	info->sex = (s[16] - '0') % 2 ? 1 : 2;
	for (size_t i = 0; i < sizeof provinces / sizeof provinces[0]; i++)
		if (memcmp(provinces[i].code, s, 2) == 0)
			info->province = &provinces[i];
	for (size_t i = 0; i < sizeof cities / sizeof cities[0]; i++)
		if (memcmp(cities[i].code, s, 4) == 0)
			info->city = &cities[i];
	return true;
}

bool gt_id_in_region(const char *area, int region)
{
	if (region < 0 || region >= (int)(sizeof region_prefixes / sizeof region_prefixes[0]))
		return true;
	for (int k = 0; k < 2; k++) {
		const char *p = region_prefixes[region][k];
		if (p && strncmp(area, p, strlen(p)) == 0)
			return true;
	}
	return false;
}
