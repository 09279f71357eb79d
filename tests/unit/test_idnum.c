/* Unit tests of core/gt_idnum: GB 11643-1999 check character and validation. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "gt_idnum.h"

/* Numbers whose check characters were computed independently with the weights
 * 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 and the map "10X98765432"; together
 * they cover all eleven check characters. */
static const char *const known[] = {
	"11010519491231002X", /* the textbook example */
	"440304199001010070", "440304199001010011", "440304199001010062",
	"440304199001010003", "440304199001010054", "440304199001010185",
	"440304199001010046", "440304199001010097", "440304199001010038",
	"440304199001010089", "44030419900101002X", "510107200002291232",
	"320106198510154566", "500103199307077779", "110101190001010014",
};

static enum gt_id_status validate(const char *s, char norm[19], gt_date *birth)
{
	return gt_id_validate(s, strlen(s), norm, birth);
}

/* ---- gt_id_check_char ---- */

Test(id_check_char, textbook_example_is_X)
{
	cr_expect_eq(gt_id_check_char("11010519491231002"), 'X');
}

Test(id_check_char, known_numbers)
{
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		cr_expect_eq(gt_id_check_char(known[i]), known[i][17], "%s", known[i]);
}

Test(id_check_char, all_zero_digits_give_1)
{
	/* sum 0 -> map[0] = '1' */
	cr_expect_eq(gt_id_check_char("00000000000000000"), '1');
}

Test(id_check_char, reads_only_17_characters)
{
	cr_expect_eq(gt_id_check_char("110105194912310029999"), 'X');
}

/* ---- gt_id_validate: errors ---- */

Test(id_validate, empty_is_length)
{
	char norm[19];
	gt_date b;
	cr_expect_eq(gt_id_validate("", 0, norm, &b), GT_ID_LENGTH);
}

Test(id_validate, seventeen_chars_is_length)
{
	char norm[19];
	gt_date b;
	cr_expect_eq(validate("11010519491231002", norm, &b), GT_ID_LENGTH);
}

Test(id_validate, nineteen_chars_is_length)
{
	char norm[19];
	gt_date b;
	cr_expect_eq(validate("11010519491231002X0", norm, &b), GT_ID_LENGTH);
}

Test(id_validate, letter_among_first_17_is_chars)
{
	char norm[19];
	gt_date b;
	cr_expect_eq(validate("1101051949123100A2", norm, &b), GT_ID_CHARS);
	cr_expect_eq(validate("X10105194912310021", norm, &b), GT_ID_CHARS);
}

Test(id_validate, x_among_first_17_is_chars)
{
	char norm[19];
	gt_date b;
	cr_expect_eq(validate("1101051949123100XX", norm, &b), GT_ID_CHARS);
}

Test(id_validate, bad_last_character_is_chars)
{
	char norm[19];
	gt_date b;
	cr_expect_eq(validate("11010519491231002Y", norm, &b), GT_ID_CHARS);
	cr_expect_eq(validate("11010519491231002 ", norm, &b), GT_ID_CHARS);
}

Test(id_validate, space_inside_is_chars)
{
	char norm[19];
	gt_date b;
	cr_expect_eq(validate("110105 9491231002X", norm, &b), GT_ID_CHARS);
}

Test(id_validate, wrong_check_char)
{
	char norm[19];
	gt_date b;
	cr_expect_eq(validate("110105194912310021", norm, &b), GT_ID_CHECK);
	cr_expect_eq(validate("440304199001010071", norm, &b), GT_ID_CHECK);
}

Test(id_validate, digit_where_X_expected_is_check)
{
	char norm[19];
	gt_date b;
	cr_expect_eq(validate("110105194912310020", norm, &b), GT_ID_CHECK);
}

Test(id_validate, transposed_digits_caught_by_check)
{
	char norm[19];
	gt_date b;
	/* 1949-12-31 -> 1949-13-21 with the original check character */
	cr_expect_eq(validate("11010519491321002X", norm, &b), GT_ID_CHECK);
}

Test(id_validate, nonexistent_birth_date)
{
	char norm[19];
	gt_date b;
	/* 1999-02-30, with a correct check character */
	cr_expect_eq(gt_id_check_char("11010519990230001"), '5');
	cr_expect_eq(validate("110105199902300015", norm, &b), GT_ID_BIRTH_DATE);
}

Test(id_validate, birth_month_13)
{
	char norm[19];
	gt_date b;
	char s[19] = "11010519991301001";
	s[17] = gt_id_check_char(s);
	cr_expect_eq(validate(s, norm, &b), GT_ID_BIRTH_DATE);
}

Test(id_validate, birth_year_before_1900)
{
	char norm[19];
	gt_date b;
	cr_expect_eq(validate("110105189912310015", norm, &b), GT_ID_BIRTH_DATE);
}

Test(id_validate, errors_leave_outputs_untouched)
{
	char norm[19] = "untouched";
	gt_date b = 4242;
	cr_expect_eq(validate("110105194912310021", norm, &b), GT_ID_CHECK);
	cr_expect_str_eq(norm, "untouched");
	cr_expect_eq(b, 4242);
}

/* ---- gt_id_validate: OK ---- */

Test(id_validate, ok_upper_x)
{
	char norm[19];
	gt_date b;
	cr_assert_eq(validate("11010519491231002X", norm, &b), GT_ID_OK);
	cr_expect_str_eq(norm, "11010519491231002X");
	cr_expect_eq(b, gt_date_from_ymd(1949, 12, 31));
}

Test(id_validate, ok_lower_x_normalised_to_upper)
{
	char norm[19];
	gt_date b;
	cr_assert_eq(validate("11010519491231002x", norm, &b), GT_ID_OK);
	cr_expect_str_eq(norm, "11010519491231002X");
	cr_expect_eq(b, gt_date_from_ymd(1949, 12, 31));
}

Test(id_validate, ok_digit_check_and_leap_day_birth)
{
	char norm[19];
	gt_date b;
	cr_assert_eq(validate("510107200002291232", norm, &b), GT_ID_OK);
	cr_expect_str_eq(norm, "510107200002291232");
	cr_expect_eq(b, gt_date_from_ymd(2000, 2, 29));
}

Test(id_validate, ok_birth_1900_01_01)
{
	char norm[19];
	gt_date b;
	cr_assert_eq(validate("110101190001010014", norm, &b), GT_ID_OK);
	cr_expect_eq(b, gt_date_from_ymd(1900, 1, 1));
}

Test(id_validate, all_known_numbers_ok)
{
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		char norm[19];
		gt_date b;
		cr_expect_eq(validate(known[i], norm, &b), GT_ID_OK, "%s", known[i]);
		cr_expect_str_eq(norm, known[i]);
	}
}

Test(id_validate, length_argument_rules_not_nul)
{
	char norm[19];
	gt_date b;
	cr_expect_eq(gt_id_validate("11010519491231002X-trailing", 18, norm, &b), GT_ID_OK);
	cr_expect_str_eq(norm, "11010519491231002X");
}

/* The people's export groups the number 6-8-4 (issue 17): read back as the
 * same 18 characters; any other spacing is not a number. */
Test(id_validate, grouped_6_8_4_reads_as_the_number)
{
	char norm[19];
	gt_date b;
	cr_assert_eq(validate("110105 19491231 002X", norm, &b), GT_ID_OK);
	cr_expect_str_eq(norm, "11010519491231002X");
	cr_expect_eq(b, gt_date_from_ymd(1949, 12, 31));
	cr_assert_eq(validate("110105 19491231 002x", norm, &b), GT_ID_OK);
	cr_expect_str_eq(norm, "11010519491231002X");
	cr_expect_eq(validate("110105 19491231 0021", norm, &b), GT_ID_CHECK);
	cr_expect_eq(validate("11010 519491231 002X", norm, &b), GT_ID_LENGTH);
	cr_expect_eq(validate("110105  19491231 002", norm, &b), GT_ID_LENGTH);
	cr_expect_eq(validate("1101 0519 4912 3100 2X", norm, &b), GT_ID_LENGTH);
	cr_expect_eq(validate("110105 1949123 1002X", norm, &b), GT_ID_LENGTH);
}

/* ---- gt_id_decode, gt_id_in_region (issue 17: describe, never correct) ---- */

Test(id_decode, birth_sex_and_area)
{
	struct gt_id_info id;
	/* A number whose check character is wrong still says what it encodes. */
	cr_assert(gt_id_decode("500103198804121230", 18, &id));
	cr_expect_str_eq(id.area, "500103");
	cr_expect_eq(id.birth, gt_date_from_ymd(1988, 4, 12));
	cr_expect_eq(id.sex, 1, "17th digit 3 is odd: a man");
	cr_assert_not_null(id.province);
	cr_expect_str_eq(id.province->zh, "重庆市");
	cr_expect_null(id.city);
	cr_assert(gt_id_decode("44030419900101002X", 18, &id));
	cr_expect_eq(id.sex, 2, "17th digit 2 is even: a woman");
	cr_expect_str_eq(id.province->zh, "广东省");
	cr_assert(gt_id_decode("440104199001010020", 18, &id));
	cr_assert_not_null(id.city);
	cr_expect_str_eq(id.city->zh, "广州市");
}

Test(id_decode, seventeen_digits_enough_non_digits_refused)
{
	struct gt_id_info id;
	cr_expect(gt_id_decode("21030219800229123", 17, &id), "17 digits are enough to describe");
	cr_expect_eq(id.birth, gt_date_from_ymd(1980, 2, 29));
	cr_expect_str_eq(id.city->zh, "鞍山市");
	cr_expect_not(gt_id_decode("2103021980022912", 16, &id));
	cr_expect_not(gt_id_decode("21030219800229A23", 17, &id));
}

Test(id_decode, no_real_date_and_unknown_province)
{
	struct gt_id_info id;
	cr_assert(gt_id_decode("990102198102300011", 18, &id));
	cr_expect_eq(id.birth, GT_DATE_NONE, "30 February is no date");
	cr_expect_null(id.province, "99 is no province of GB/T 2260");
}

Test(id_in_region, the_five_regions)
{
	/* gt_region order: chongqing, anshan, sichuan, jiangsu, guangzhou */
	cr_expect(gt_id_in_region("500103", 0));
	cr_expect(gt_id_in_region("510202", 0), "重庆市 was 5102 in Sichuan before 1997");
	cr_expect_not(gt_id_in_region("510104", 0));
	cr_expect(gt_id_in_region("210302", 1));
	cr_expect_not(gt_id_in_region("210102", 1), "沈阳 is Liaoning but not 鞍山");
	cr_expect(gt_id_in_region("510104", 2));
	cr_expect(gt_id_in_region("320106", 3));
	cr_expect(gt_id_in_region("440104", 4));
	cr_expect_not(gt_id_in_region("440304", 4), "深圳 is not 广州");
}

/* The province table against Debian's iso-codes (ISO 3166-2:CN, the same 34
 * divisions): every romanised name is there, and the counts agree. */
Test(id_provinces, match_iso_3166_2_cn)
{
	const char *path = "/usr/share/iso-codes/json/iso_3166-2.json";
	FILE *fp = fopen(path, "r");
	if (!fp)
		cr_skip_test("%s is not installed (Debian iso-codes)", path);
	static char json[2 << 20];
	size_t n = fread(json, 1, sizeof json - 1, fp);
	fclose(fp);
	json[n] = '\0';
	int count = 0;
	for (const char *p = json; (p = strstr(p, "\"code\": \"CN-")) != NULL; p++)
		count++;
	int np;
	const struct gt_id_area *t = gt_id_provinces(&np);
	cr_expect_eq(np, count, "34 province-level divisions: ours %d, iso-codes %d", np, count);
	for (int i = 0; i < np; i++) {
		char want[128];
		snprintf(want, sizeof want, "\"name\": \"%s\"", t[i].en);
		cr_expect_not_null(strstr(json, want), "%s (%s) is not in ISO 3166-2:CN", t[i].en, t[i].code);
	}
}

/* The first 17 characters are checked a word at a time: every byte value at
 * every one of the 17 places of a valid number is GT_ID_CHARS exactly when it
 * is not a digit (a digit gives OK or, mostly, a check failure). */
Test(id_validate, every_byte_at_every_digit_place)
{
	for (int pos = 0; pos < 17; pos++)
		for (int b = 0; b < 256; b++) {
			char s[19], norm[19];
			gt_date birth;
			memcpy(s, "11010519491231002X", 19);
			s[pos] = (char)b;
			enum gt_id_status st = gt_id_validate(s, 18, norm, &birth);
			bool digit = b >= '0' && b <= '9';
			cr_assert_eq(st == GT_ID_CHARS, !digit, "byte %d at %d: status %d", b, pos, (int)st);
		}
}
