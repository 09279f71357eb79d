/* Unit tests of core/gt_case: the header row and one data row of the case CSV. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include "gt_case.h"
#include "gt_format.h"

static struct gt_case c;
static struct gt_row_error err;
static struct gt_header hdr;
static char msg[512];

/* ---- helpers ---- */

static struct gt_span S(const char *s)
{
	struct gt_span sp = { s, strlen(s) };
	return sp;
}

static int header_of(const char *const *names, int n, const char *const *extra, int nextra)
{
	struct gt_span f[64];
	cr_assert_leq(n, 64);
	for (int i = 0; i < n; i++)
		f[i] = S(names[i]);
	msg[0] = '\0';
	return gt_header_parse(&hdr, f, n, extra, nextra, msg, sizeof msg);
}
#define HEADER(...)                                                                     \
	header_of((const char *[]){ __VA_ARGS__ },                                      \
		  (int)(sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(char *)), NULL, 0)

static void expect_header_error(const char *part)
{
	cr_expect_str_neq(msg, "", "a message is written");
	cr_expect_not_null(strstr(msg, part), "message \"%s\" should contain \"%s\"", msg, part);
}

/* A row over the full header (every input column, in table order). */
static const char *vals[GT_COL_COUNT];
static gt_date as_of;

static gt_date D(int y, int m, int d)
{
	return gt_date_from_ymd(y, m, d);
}

static void base_row(void)
{
	for (int i = 0; i < GT_COL_COUNT; i++)
		vals[i] = "";
	vals[GT_COL_NAME] = "张三";
	vals[GT_COL_ID_NUMBER] = "11010519491231002X";
	vals[GT_COL_REGION] = "chongqing";
	vals[GT_COL_DIRECTION] = "skill_to_title";
	vals[GT_COL_SERIES] = "engineering";
	vals[GT_COL_SKILL_LEVEL] = "technician";
	vals[GT_COL_SKILL_DATE] = "2015-06-01";
	vals[GT_COL_TITLE_LEVEL] = "none";
	as_of = D(2024, 6, 30);
}

static void setup(void)
{
	int rc = header_of(gt_column_names, GT_COL_COUNT, NULL, 0);
	cr_assert_eq(rc, 0, "full header: %s", msg);
	base_row();
}

static int parse(void)
{
	struct gt_span f[GT_COL_COUNT];
	for (int i = 0; i < GT_COL_COUNT; i++)
		f[i] = S(vals[i]);
	memset(&err, 0x5A, sizeof err);
	return gt_case_parse(&c, &hdr, f, GT_COL_COUNT, as_of, &err);
}

static void expect_ok(void)
{
	int rc = parse();
	cr_assert_eq(rc, 0, "expected the row to parse; column %d: %s", err.column, err.msg);
}

/* The row is rejected; the error names `col` and its message contains `part`. */
static void expect_fail(int col, const char *part)
{
	int rc = parse();
	cr_assert_eq(rc, -1, "expected an error in column %s",
		     col >= 0 ? gt_column_names[col] : "(row)");
	cr_expect_eq(err.column, col, "error column: got %d (%s), expected %s", err.column,
		     err.column >= 0 && err.column < GT_COL_COUNT ? gt_column_names[err.column] : "-",
		     col >= 0 ? gt_column_names[col] : "(row)");
	cr_expect_not_null(strstr(err.msg, part), "message \"%s\" should contain \"%s\"", err.msg,
			   part);
}

static void set_and_fail(int col, const char *value, const char *part)
{
	base_row();
	vals[col] = value;
	expect_fail(col, part);
}

/* n copies of a UTF-8 character. */
static char *rep(const char *ch, int n)
{
	size_t l = strlen(ch);
	char *s = malloc(l * (size_t)n + 1);
	cr_assert_not_null(s);
	for (int i = 0; i < n; i++)
		memcpy(s + l * (size_t)i, ch, l);
	s[l * (size_t)n] = '\0';
	return s;
}

/* ================= gt_header_parse ================= */

Test(header, full_header_in_table_order)
{
	cr_assert_eq(header_of(gt_column_names, GT_COL_COUNT, NULL, 0), 0, "%s", msg);
	cr_expect_eq(hdr.nfields, GT_COL_COUNT);
	for (int i = 0; i < GT_COL_COUNT; i++)
		cr_expect_eq(hdr.pos[i], i, "%s", gt_column_names[i]);
}

Test(header, order_is_free)
{
	cr_assert_eq(HEADER("title_level", "skill_level", "series", "direction", "region",
			    "id_number", "name"), 0, "%s", msg);
	cr_expect_eq(hdr.pos[GT_COL_TITLE_LEVEL], 0);
	cr_expect_eq(hdr.pos[GT_COL_NAME], 6);
	cr_expect_eq(hdr.pos[GT_COL_ID_NUMBER], 5);
	cr_expect_eq(hdr.nfields, 7);
}

Test(header, optional_columns_absent_are_minus_one)
{
	cr_assert_eq(HEADER("name", "id_number", "region", "direction", "series", "skill_level",
			    "title_level"), 0, "%s", msg);
	cr_expect_eq(hdr.pos[GT_COL_CASE_REF], -1);
	cr_expect_eq(hdr.pos[GT_COL_APPLICATION_DATE], -1);
	cr_expect_eq(hdr.pos[GT_COL_SKILL_DATE], -1);
}

Test(header, every_required_column_missing_is_named)
{
	for (int miss = 0; miss < GT_COL_COUNT; miss++) {
		const char *names[GT_COL_COUNT];
		int n = 0;
		for (int i = 0; i < GT_COL_COUNT; i++)
			if (i != miss)
				names[n++] = gt_column_names[i];
		int rc = header_of(names, n, NULL, 0);
		if (!gt_column_required((gt_column)miss)) {
			cr_expect_eq(rc, 0, "%s is optional: %s", gt_column_names[miss], msg);
			continue;
		}
		char want[80];
		snprintf(want, sizeof want, "\"%s\"", gt_column_names[miss]);
		cr_expect_eq(rc, -1, "without %s", gt_column_names[miss]);
		cr_expect_not_null(strstr(msg, want), "\"%s\" should name %s", msg, want);
		cr_expect_not_null(strstr(msg, "missing"), "\"%s\"", msg);
	}
}

Test(header, required_columns_are_the_specs)
{
	const int req[] = { GT_COL_NAME, GT_COL_ID_NUMBER, GT_COL_REGION, GT_COL_DIRECTION,
			    GT_COL_SERIES, GT_COL_SKILL_LEVEL, GT_COL_TITLE_LEVEL };
	int n = 0;
	for (int i = 0; i < GT_COL_COUNT; i++)
		n += gt_column_required((gt_column)i);
	cr_expect_eq(n, 7);
	for (size_t i = 0; i < sizeof req / sizeof req[0]; i++)
		cr_expect(gt_column_required((gt_column)req[i]), "%s", gt_column_names[req[i]]);
}

Test(header, unknown_column)
{
	cr_expect_eq(HEADER("name", "id_number", "region", "direction", "series", "skill_level",
			    "title_level", "favourite_colour"), -1);
	expect_header_error("unknown column \"favourite_colour\"");
	expect_header_error("column 8");
}

Test(header, column_names_are_case_sensitive)
{
	cr_expect_eq(HEADER("Name", "id_number", "region", "direction", "series", "skill_level",
			    "title_level"), -1);
	expect_header_error("unknown column \"Name\"");
}

Test(header, duplicated_column)
{
	cr_expect_eq(HEADER("name", "id_number", "region", "direction", "series", "skill_level",
			    "title_level", "name"), -1);
	expect_header_error("duplicated column \"name\"");
	expect_header_error("column 8");
	expect_header_error("also column 1");
}

Test(header, duplicated_optional_column)
{
	cr_expect_eq(HEADER("honors", "name", "id_number", "region", "direction", "series",
			    "skill_level", "title_level", "honors"), -1);
	expect_header_error("duplicated column \"honors\"");
}

Test(header, empty_column_name)
{
	cr_expect_eq(HEADER("name", "id_number", "", "region", "direction", "series",
			    "skill_level", "title_level"), -1);
	expect_header_error("empty column name");
	expect_header_error("column 3");
}

Test(header, extra_allowed_columns_are_skipped)
{
	static const char *const extra[] = { "outcome", "case_id" };
	const char *names[] = { "name", "outcome", "id_number", "region", "direction", "series",
				"skill_level", "title_level", "case_id" };
	cr_assert_eq(header_of(names, 9, extra, 2), 0, "%s", msg);
	cr_expect_eq(hdr.nfields, 9);
	cr_expect_eq(hdr.pos[GT_COL_ID_NUMBER], 2);
	cr_expect_eq(hdr.pos[GT_COL_TITLE_LEVEL], 7);
}

Test(header, extra_column_not_in_allowed_list_is_unknown)
{
	static const char *const extra[] = { "outcome" };
	const char *names[] = { "name", "id_number", "region", "direction", "series",
				"skill_level", "title_level", "status" };
	cr_expect_eq(header_of(names, 8, extra, 1), -1);
	expect_header_error("unknown column \"status\"");
}

Test(header, extra_allowed_does_not_excuse_missing_required)
{
	static const char *const extra[] = { "outcome" };
	const char *names[] = { "outcome", "id_number", "region", "direction", "series",
				"skill_level", "title_level" };
	cr_expect_eq(header_of(names, 7, extra, 1), -1);
	expect_header_error("\"name\"");
}

/* ================= gt_case_parse: good rows and defaults ================= */

TestSuite(case_parse, .init = setup);

Test(case_parse, base_row_ok)
{
	expect_ok();
	cr_expect_str_eq(c.name, "张三");
	cr_expect_str_eq(c.id_number, "11010519491231002X");
	cr_expect_eq(c.birth_date, D(1949, 12, 31));
	cr_expect_eq(c.region, GT_REGION_CHONGQING);
	cr_expect_eq(c.direction, GT_DIR_SKILL_TO_TITLE);
	cr_expect_eq(c.series, GT_SERIES_ENGINEERING);
	cr_expect_eq(c.skill, GT_SKILL_TECHNICIAN);
	cr_expect_eq(c.skill_date, D(2015, 6, 1));
	cr_expect_eq(c.title, GT_TITLE_NONE);
}

Test(case_parse, defaults_of_blank_cells)
{
	expect_ok();
	cr_expect(c.related, "related defaults to yes");
	cr_expect(c.employed_in_region, "employed_in_region defaults to yes");
	cr_expect_not(c.frontline);
	cr_expect_not(c.self_employed);
	cr_expect_not(c.pilot_enterprise);
	cr_expect_not(c.diploma_related);
	cr_expect_not(c.integrity_flag);
	cr_expect_not(c.public_institution_worker);
	cr_expect_eq(c.appraisals, -1);
	cr_expect_eq(c.requested, -1);
	cr_expect_eq(c.tech_school, GT_SCHOOL_NONE);
	cr_expect_eq(c.application_date, as_of, "application date defaults to as_of");
	cr_expect_eq(c.title_date, GT_DATE_NONE);
	cr_expect_eq(c.work_start, GT_DATE_NONE);
	cr_expect_eq(c.region_work_start, GT_DATE_NONE);
	cr_expect_eq(c.honours, 0);
	cr_expect_eq(c.evidence, 0);
	cr_expect_eq(c.ncomps, 0);
	cr_expect_str_eq(c.case_ref, "");
	cr_expect_str_eq(c.occupation_code, "");
}

Test(case_parse, defaults_of_absent_columns)
{
	cr_assert_eq(HEADER("title_level", "name", "id_number", "region", "direction", "series",
			    "skill_level", "skill_date"), 0, "%s", msg);
	const char *row[] = { "none", "李四", "11010519491231002x", "anshan", "title_to_skill",
			      "agriculture", "senior", "2020-01-01" };
	struct gt_span f[8];
	for (int i = 0; i < 8; i++)
		f[i] = S(row[i]);
	cr_assert_eq(gt_case_parse(&c, &hdr, f, 8, D(2024, 1, 1), &err), 0, "%s", err.msg);
	cr_expect_str_eq(c.id_number, "11010519491231002X", "lower-case x read as X");
	cr_expect_eq(c.region, GT_REGION_ANSHAN);
	cr_expect_eq(c.direction, GT_DIR_TITLE_TO_SKILL);
	cr_expect(c.related);
	cr_expect(c.employed_in_region);
	cr_expect_eq(c.appraisals, -1);
	cr_expect_eq(c.requested, -1);
	cr_expect_eq(c.application_date, D(2024, 1, 1));
}

Test(case_parse, every_column_filled)
{
	vals[GT_COL_CASE_REF] = "R-001";
	vals[GT_COL_OCCUPATION_CODE] = "6-31-03";
	vals[GT_COL_TITLE_LEVEL] = "assistant";
	vals[GT_COL_TITLE_DATE] = "2018-03-01";
	vals[GT_COL_RELATED] = "no";
	vals[GT_COL_WORK_START] = "2005-09-01";
	vals[GT_COL_APPRAISALS_PASSED] = "3";
	vals[GT_COL_FRONTLINE] = "yes";
	vals[GT_COL_EMPLOYED_IN_REGION] = "no";
	vals[GT_COL_SELF_EMPLOYED] = "yes";
	vals[GT_COL_REGION_WORK_START] = "2010-01-01";
	vals[GT_COL_PILOT_ENTERPRISE] = "yes";
	vals[GT_COL_HONORS] = "national_technical_expert";
	vals[GT_COL_COMPETITIONS] = "worldskills:gold";
	vals[GT_COL_DIPLOMA_RELATED] = "yes";
	vals[GT_COL_TECH_SCHOOL_CLASS] = "senior_worker";
	vals[GT_COL_INTEGRITY_FLAG] = "yes";
	vals[GT_COL_PUBLIC_INSTITUTION_WORKER] = "yes";
	vals[GT_COL_EVIDENCE] = "id_card";
	vals[GT_COL_REQUESTED_LEVEL] = "intermediate";
	vals[GT_COL_APPLICATION_DATE] = "2024-05-01";
	expect_ok();
	cr_expect_str_eq(c.case_ref, "R-001");
	cr_expect_str_eq(c.occupation_code, "6-31-03");
	cr_expect_eq(c.title, GT_TITLE_ASSISTANT);
	cr_expect_eq(c.title_date, D(2018, 3, 1));
	cr_expect_not(c.related);
	cr_expect_eq(c.work_start, D(2005, 9, 1));
	cr_expect_eq(c.appraisals, 3);
	cr_expect(c.frontline);
	cr_expect_not(c.employed_in_region);
	cr_expect(c.self_employed);
	cr_expect_eq(c.region_work_start, D(2010, 1, 1));
	cr_expect(c.pilot_enterprise);
	cr_expect_eq(c.honours, 1u << GT_HON_NATIONAL_TECHNICAL_EXPERT);
	cr_expect_eq(c.ncomps, 1);
	cr_expect(c.diploma_related);
	cr_expect_eq(c.tech_school, GT_SCHOOL_SENIOR_WORKER);
	cr_expect(c.integrity_flag);
	cr_expect(c.public_institution_worker);
	cr_expect_eq(c.evidence, 1u << GT_EV_ID_CARD);
	cr_expect_eq(c.requested, GT_TITLE_INTERMEDIATE);
	cr_expect_eq(c.application_date, D(2024, 5, 1), "the row's date overrides as_of");
}

Test(case_parse, chinese_codes_accepted)
{
	vals[GT_COL_REGION] = "江苏";
	vals[GT_COL_SERIES] = "工程";
	vals[GT_COL_SKILL_LEVEL] = "高级工";
	vals[GT_COL_TITLE_LEVEL] = "助理工程师";
	vals[GT_COL_TITLE_DATE] = "2019-01-01";
	vals[GT_COL_TECH_SCHOOL_CLASS] = "技师班";
	expect_ok();
	cr_expect_eq(c.region, GT_REGION_JIANGSU);
	cr_expect_eq(c.series, GT_SERIES_ENGINEERING);
	cr_expect_eq(c.skill, GT_SKILL_SENIOR);
	cr_expect_eq(c.title, GT_TITLE_ASSISTANT);
	cr_expect_eq(c.tech_school, GT_SCHOOL_PREPARATORY_TECHNICIAN);
}

Test(case_parse, spaces_trimmed_from_codes_dates_numbers)
{
	vals[GT_COL_REGION] = "  sichuan ";
	vals[GT_COL_SKILL_DATE] = " 2015-06-01\t";
	vals[GT_COL_APPRAISALS_PASSED] = " 2 ";
	vals[GT_COL_RELATED] = " no ";
	vals[GT_COL_ID_NUMBER] = " 11010519491231002X ";
	expect_ok();
	cr_expect_eq(c.region, GT_REGION_SICHUAN);
	cr_expect_eq(c.skill_date, D(2015, 6, 1));
	cr_expect_eq(c.appraisals, 2);
	cr_expect_not(c.related);
	cr_expect_str_eq(c.id_number, "11010519491231002X");
}

Test(case_parse, name_not_trimmed)
{
	vals[GT_COL_NAME] = " 张 三 ";
	expect_ok();
	cr_expect_str_eq(c.name, " 张 三 ");
}

Test(case_parse, date_equal_to_application_date_ok)
{
	vals[GT_COL_SKILL_DATE] = "2024-06-30";
	expect_ok();
	cr_expect_eq(c.skill_date, as_of);
}

Test(case_parse, dates_judged_against_row_application_date_not_as_of)
{
	vals[GT_COL_APPLICATION_DATE] = "2024-12-31";
	vals[GT_COL_SKILL_DATE] = "2024-07-01"; /* after as_of, before the row's date */
	expect_ok();
}

Test(case_parse, skill_none_needs_no_date)
{
	vals[GT_COL_SKILL_LEVEL] = "none";
	vals[GT_COL_SKILL_DATE] = "";
	vals[GT_COL_TITLE_LEVEL] = "intermediate";
	vals[GT_COL_TITLE_DATE] = "2016-01-01";
	expect_ok();
	cr_expect_eq(c.skill, GT_SKILL_NONE);
	cr_expect_eq(c.skill_date, GT_DATE_NONE);
}

/* ================= the row as a whole ================= */

Test(case_parse, too_few_fields)
{
	struct gt_span f[GT_COL_COUNT];
	for (int i = 0; i < GT_COL_COUNT; i++)
		f[i] = S(vals[i]);
	cr_assert_eq(gt_case_parse(&c, &hdr, f, GT_COL_COUNT - 1, as_of, &err), -1);
	cr_expect_eq(err.column, -1);
	cr_expect_not_null(strstr(err.msg, "has 27 fields but the header has 28"), "%s", err.msg);
}

Test(case_parse, too_many_fields)
{
	struct gt_span f[GT_COL_COUNT + 1];
	for (int i = 0; i < GT_COL_COUNT; i++)
		f[i] = S(vals[i]);
	f[GT_COL_COUNT] = S("");
	cr_assert_eq(gt_case_parse(&c, &hdr, f, GT_COL_COUNT + 1, as_of, &err), -1);
	cr_expect_eq(err.column, -1);
	cr_expect_not_null(strstr(err.msg, "has 29 fields but the header has 28"), "%s", err.msg);
}

Test(case_parse, no_application_date_and_no_as_of)
{
	as_of = GT_DATE_NONE;
	expect_fail(GT_COL_APPLICATION_DATE, "required");
}

/* ================= one column at a time ================= */

Test(case_parse, application_date_malformed)
{
	/* The dash form takes two digits; the spreadsheet forms are "/" and "." only. */
	set_and_fail(GT_COL_APPLICATION_DATE, "2024-6-30", "not a date of the form YYYY-MM-DD");
	set_and_fail(GT_COL_APPLICATION_DATE, "2024/6.30", "not a date of the form YYYY-MM-DD");
}

/* Spec, Input: "YYYY/M/D" and "YYYY.M.D" are the same date as "YYYY-MM-DD". */
Test(case_parse, spreadsheet_date_forms_read_as_the_same_date)
{
	vals[GT_COL_SKILL_DATE] = "2015/6/1";
	vals[GT_COL_APPLICATION_DATE] = " 2024.7.1 ";
	expect_ok();
	cr_expect_eq(c.skill_date, D(2015, 6, 1));
	cr_expect_eq(c.application_date, D(2024, 7, 1));
	char buf[16];
	gt_case_field(&c, GT_COL_SKILL_DATE, buf, sizeof buf);
	cr_expect_str_eq(buf, "2015-06-01", "output always uses YYYY-MM-DD");
}

/* Rows rejected for one cell: the cell's column, the value put in the base
 * row, and words the message must hold. One Criterion test walks them all
 * (a test process costs ~0.3 s of CPU under AddressSanitizer); a failure
 * names the row. */
static const struct bad_cell {
	const char *name;
	int col;
	const char *value, *part;
} bad_cells[] = {
	{ "spreadsheet_date_month_13_is_not_real", GT_COL_SKILL_DATE, "2020/13/1", "not a real date" },
	{ "application_date_nonexistent", GT_COL_APPLICATION_DATE, "2023-02-29", "not a real date" },
	{ "case_ref_with_control_char", GT_COL_CASE_REF, "R\t1", "control character" },
	{ "name_blank", GT_COL_NAME, "", "required" },
	{ "name_only_spaces", GT_COL_NAME, "   ", "only spaces" },
	{ "name_with_newline", GT_COL_NAME, "张\n三", "control character" },
	{ "name_with_cr", GT_COL_NAME, "张三\r", "control character" },
	{ "name_with_del", GT_COL_NAME, "张\x7F三", "control character" },
	{ "id_number_blank", GT_COL_ID_NUMBER, "", "required" },
	{ "id_number_19_chars", GT_COL_ID_NUMBER, "11010519491231002X1", "has 19 characters" },
	{ "id_number_letters", GT_COL_ID_NUMBER, "1101051949123100AX", "must be 17 digits and a digit or X" },
	{ "id_number_nonexistent_birth_date", GT_COL_ID_NUMBER, "110105199902300015", "not a real birth date" },
	{ "id_number_birth_before_1900", GT_COL_ID_NUMBER, "110105189912310015", "not a real birth date" },
	{ "region_blank", GT_COL_REGION, "", "a value is required" },
	{ "region_unknown", GT_COL_REGION, "shanghai", "unknown code \"shanghai\"" },
	{ "region_upper_case", GT_COL_REGION, "Chongqing", "unknown code" },
	{ "direction_unknown", GT_COL_DIRECTION, "both", "unknown code \"both\"" },
	{ "series_unknown", GT_COL_SERIES, "ENGINEERING", "unknown code \"ENGINEERING\"" },
	{ "occupation_code_bad_chars", GT_COL_OCCUPATION_CODE, "6_31_03", "not an occupation code" },
	{ "occupation_code_too_long", GT_COL_OCCUPATION_CODE, "123456789-123456789-123456789-123", "longer than 32" },
	{ "skill_level_unknown", GT_COL_SKILL_LEVEL, "master", "unknown code \"master\"" },
	{ "skill_level_blank", GT_COL_SKILL_LEVEL, "", "a value is required" },
	{ "skill_level_bare_chuji", GT_COL_SKILL_LEVEL, "初级", "ambiguous" },
	{ "skill_level_title_code", GT_COL_SKILL_LEVEL, "assistant", "unknown code \"assistant\"" },
	{ "skill_date_missing_when_level_held", GT_COL_SKILL_DATE, "", "required when a skill level is held" },
	{ "skill_date_malformed", GT_COL_SKILL_DATE, "2015-6-1", "\"2015-6-1\" is not a date of the form YYYY-MM-DD, YYYY/M/D or YYYY.M.D" },
	{ "skill_date_nonexistent", GT_COL_SKILL_DATE, "2015-02-29", "\"2015-02-29\" is not a real date" },
	{ "skill_date_after_application_date", GT_COL_SKILL_DATE, "2024-07-01", "2024-07-01 is after the application date 2024-06-30" },
	{ "title_level_unknown", GT_COL_TITLE_LEVEL, "senior", "unknown code \"senior\"" },
	{ "title_level_bare_chuji", GT_COL_TITLE_LEVEL, "初级", "ambiguous: write 员级 or 助理级" },
	{ "work_start_after_application_date", GT_COL_WORK_START, "2024-07-01", "after the application date" },
	{ "work_start_malformed", GT_COL_WORK_START, "yesterday", "not a date of the form" },
	{ "region_work_start_after_application_date", GT_COL_REGION_WORK_START, "2025-01-01", "after the application date" },
	{ "region_work_start_nonexistent", GT_COL_REGION_WORK_START, "2021-04-31", "not a real date" },
	{ "appraisals_passed_4", GT_COL_APPRAISALS_PASSED, "4", "\"4\" is not a number from 0 to 3" },
	{ "appraisals_passed_x", GT_COL_APPRAISALS_PASSED, "x", "\"x\" is not a number from 0 to 3" },
	{ "appraisals_passed_negative", GT_COL_APPRAISALS_PASSED, "-1", "not a number from 0 to 3" },
	{ "yes_no_columns_reject_chinese_shi", GT_COL_FRONTLINE, "是", "is not yes or no" },
	{ "tech_school_class_unknown", GT_COL_TECH_SCHOOL_CLASS, "university", "unknown code \"university\"" },
	{ "competition_without_result", GT_COL_COMPETITIONS, "worldskills", "is not competition:result[:role[:team_size]]" },
	{ "competition_five_parts", GT_COL_COMPETITIONS, "a:b:c:d:e", "is not competition:result[:role[:team_size]]" },
	{ "competition_team_size_4", GT_COL_COMPETITIONS, "worldskills:gold:winner:4", "team size \"4\" is not 1, 2 or 3" },
	{ "competition_team_size_0", GT_COL_COMPETITIONS, "worldskills:gold:winner:0", "team size" },
	{ "competition_rank0", GT_COL_COMPETITIONS, "worldskills:rank0", "unknown result \"rank0\"" },
	{ "competition_bare_rank", GT_COL_COMPETITIONS, "worldskills:rank", "unknown result \"rank\"" },
	{ "competition_unknown", GT_COL_COMPETITIONS, "foo:gold", "unknown competition \"foo\"" },
	{ "competition_unknown_result", GT_COL_COMPETITIONS, "worldskills:platinum", "unknown result \"platinum\"" },
	{ "competition_unknown_role", GT_COL_COMPETITIONS, "worldskills:gold:judge", "unknown role \"judge\"" },
	{ "requested_none", GT_COL_REQUESTED_LEVEL, "none", "\"none\" is not a level one can apply for" },
	{ "requested_wu_is_none", GT_COL_REQUESTED_LEVEL, "无", "is not a level one can apply for" },
	{ "requested_bare_chuji_title", GT_COL_REQUESTED_LEVEL, "初级", "ambiguous: write 员级 or 助理级" },
	{ "requested_unknown", GT_COL_REQUESTED_LEVEL, "boss", "unknown code \"boss\"" },
};

Test(case_parse, one_bad_cell_each)
{
	for (size_t i = 0; i < sizeof bad_cells / sizeof bad_cells[0]; i++) {
		const struct bad_cell *b = &bad_cells[i];
		base_row();
		vals[b->col] = b->value;
		int rc = parse();
		cr_expect_eq(rc, -1, "%s: expected an error in column %s", b->name, gt_column_names[b->col]);
		if (rc != -1)
			continue;
		cr_expect_eq(err.column, b->col, "%s: error column: got %d, expected %s", b->name, err.column,
			     gt_column_names[b->col]);
		cr_expect_not_null(strstr(err.msg, b->part), "%s: message \"%s\" should contain \"%s\"", b->name,
				   err.msg, b->part);
	}
}

Test(case_parse, case_ref_65_chars_rejected)
{
	char *s = rep("a", 65);
	set_and_fail(GT_COL_CASE_REF, s, "has 65 characters; at most 64");
	free(s);
}

Test(case_parse, case_ref_64_four_byte_chars_ok)
{
	char *s = rep("\xF0\x9F\x98\x80", 64);
	vals[GT_COL_CASE_REF] = s;
	expect_ok();
	cr_expect_str_eq(c.case_ref, s);
	free(s);
}

Test(case_parse, name_65_chinese_chars_rejected)
{
	char *s = rep("张", 65);
	set_and_fail(GT_COL_NAME, s, "has 65 characters; at most 64");
	free(s);
}

Test(case_parse, name_64_chinese_chars_ok)
{
	char *s = rep("张", 64);
	vals[GT_COL_NAME] = s;
	expect_ok();
	cr_expect_str_eq(c.name, s);
	free(s);
}

Test(case_parse, name_of_invalid_utf8_longer_than_buffer_rejected)
{
	/* 300 continuation bytes count as 0 characters; the name buffer holds 256
	 * bytes. gt_case_parse must not accept (and copy) more than it can hold. */
	static char s[301];
	memset(s, 0x80, 300);
	vals[GT_COL_NAME] = s;
	int rc = parse();
	cr_expect_eq(rc, -1, "a 300-byte name must be rejected");
	cr_expect_eq(err.column, GT_COL_NAME);
}

Test(case_parse, id_number_17_chars)
{
	set_and_fail(GT_COL_ID_NUMBER, "11010519491231002", "has 17 characters; an identity number has 18");
}

Test(case_parse, id_number_wrong_check_char)
{
	/* What the number reads as, never the "right" last character (issue 17). */
	set_and_fail(GT_COL_ID_NUMBER, "110105194912310021",
		     "does not check: a character is mistyped; it reads born 1949-12-31, female, issued in Beijing Shi (110105)");
	cr_expect_null(strstr(err.msg, "should be"), "%s", err.msg);
}

Test(case_parse, id_number_birth_after_application_date)
{
	/* 2025-01-01 (check character 1), as_of 2024-06-30 */
	set_and_fail(GT_COL_ID_NUMBER, "110105202501010011",
		     "after the application date 2024-06-30");
}

Test(case_parse, title_date_missing_when_title_held)
{
	vals[GT_COL_TITLE_LEVEL] = "entry";
	expect_fail(GT_COL_TITLE_DATE, "required when a title is held");
}

Test(case_parse, title_date_after_application_date)
{
	vals[GT_COL_TITLE_LEVEL] = "entry";
	vals[GT_COL_TITLE_DATE] = "2030-01-01";
	expect_fail(GT_COL_TITLE_DATE, "after the application date");
}

Test(case_parse, appraisals_passed_0_and_3_ok)
{
	vals[GT_COL_APPRAISALS_PASSED] = "0";
	expect_ok();
	cr_expect_eq(c.appraisals, 0);
	vals[GT_COL_APPRAISALS_PASSED] = "3";
	expect_ok();
	cr_expect_eq(c.appraisals, 3);
}

static const int yes_no_columns[] = {
	GT_COL_RELATED, GT_COL_FRONTLINE, GT_COL_EMPLOYED_IN_REGION, GT_COL_SELF_EMPLOYED,
	GT_COL_PILOT_ENTERPRISE, GT_COL_DIPLOMA_RELATED, GT_COL_INTEGRITY_FLAG,
	GT_COL_PUBLIC_INSTITUTION_WORKER,
};

Test(case_parse, yes_no_columns_reject_capitalised_Yes)
{
	for (size_t i = 0; i < sizeof yes_no_columns / sizeof yes_no_columns[0]; i++)
		set_and_fail(yes_no_columns[i], "Yes", "\"Yes\" is not yes or no");
}

Test(case_parse, yes_no_columns_reject_1)
{
	for (size_t i = 0; i < sizeof yes_no_columns / sizeof yes_no_columns[0]; i++)
		set_and_fail(yes_no_columns[i], "1", "\"1\" is not yes or no");
}

Test(case_parse, honours_list_with_spaces_and_empty_items)
{
	vals[GT_COL_HONORS] = "national_technical_expert; 辽宁工匠;;";
	expect_ok();
	cr_expect_eq(c.honours,
		     (1u << GT_HON_NATIONAL_TECHNICAL_EXPERT) | (1u << GT_HON_LIAONING_CRAFTSMAN));
}

Test(case_parse, honours_only_separators_is_empty)
{
	vals[GT_COL_HONORS] = " ; ;";
	expect_ok();
	cr_expect_eq(c.honours, 0);
}

Test(case_parse, honours_unknown_code)
{
	set_and_fail(GT_COL_HONORS, "china_skills_award;nobel", "unknown code \"nobel\"");
}

Test(case_parse, honours_last_code_fits_mask)
{
	vals[GT_COL_HONORS] = "jiangsu_rural_master_studio";
	expect_ok();
	cr_expect_eq(c.honours, 1u << GT_HON_JIANGSU_RURAL_MASTER_STUDIO);
}

Test(case_parse, evidence_list_with_spaces_and_empty_items)
{
	vals[GT_COL_EVIDENCE] = " id_card ; work_record;;身份证; international_certificate ;";
	expect_ok();
	cr_expect_eq(c.evidence, (1u << GT_EV_ID_CARD) | (1u << GT_EV_WORK_RECORD) |
				 (1u << GT_EV_INTERNATIONAL_CERTIFICATE));
}

Test(case_parse, evidence_unknown_code)
{
	set_and_fail(GT_COL_EVIDENCE, "id_card;passport", "unknown code \"passport\"");
}

/* ---- competitions ---- */

Test(case_parse, competition_worldskills_gold)
{
	vals[GT_COL_COMPETITIONS] = "worldskills:gold";
	expect_ok();
	cr_assert_eq(c.ncomps, 1);
	cr_expect_eq(c.comps[0].comp, GT_COMP_WORLDSKILLS);
	cr_expect_eq(c.comps[0].result, GT_RES_GOLD);
	cr_expect_eq(c.comps[0].rank, 1);
	cr_expect_eq(c.comps[0].role, GT_ROLE_WINNER, "role defaults to winner");
	cr_expect_eq(c.comps[0].team_size, 1, "team size defaults to 1");
}

Test(case_parse, competition_rank_role_and_team)
{
	vals[GT_COL_COMPETITIONS] = "national_class1:rank4:coach:2";
	expect_ok();
	cr_assert_eq(c.ncomps, 1);
	cr_expect_eq(c.comps[0].comp, GT_COMP_NATIONAL_CLASS1);
	cr_expect_eq(c.comps[0].result, GT_RES_RANK);
	cr_expect_eq(c.comps[0].rank, 4);
	cr_expect_eq(c.comps[0].role, GT_ROLE_COACH);
	cr_expect_eq(c.comps[0].team_size, 2);
}

Test(case_parse, competition_chinese)
{
	vals[GT_COL_COMPETITIONS] = "世界技能大赛:金牌";
	expect_ok();
	cr_assert_eq(c.ncomps, 1);
	cr_expect_eq(c.comps[0].comp, GT_COMP_WORLDSKILLS);
	cr_expect_eq(c.comps[0].result, GT_RES_GOLD);
}

/* What the IME types (issue 17): full-width ：；、 and digits, an
 * ideographic space. */
Test(case_parse, competition_full_width_punctuation)
{
	vals[GT_COL_COMPETITIONS] = "全国技能大赛：金牌；国家级一类技能竞赛：第４名：教练：２";
	expect_ok();
	cr_assert_eq(c.ncomps, 2);
	cr_expect_eq(c.comps[0].comp, GT_COMP_NATIONAL_SKILLS);
	cr_expect_eq(c.comps[0].result, GT_RES_GOLD);
	cr_expect_eq(c.comps[1].comp, GT_COMP_NATIONAL_CLASS1);
	cr_expect_eq(c.comps[1].rank, 4);
	cr_expect_eq(c.comps[1].role, GT_ROLE_COACH);
	cr_expect_eq(c.comps[1].team_size, 2);
}

Test(case_parse, honours_and_evidence_full_width_separators)
{
	vals[GT_COL_HONORS] = "中华技能大奖、全国技术能手";
	vals[GT_COL_EVIDENCE] = "身份证；职称证书\xe3\x80\x80";
	expect_ok();
	cr_expect_eq(__builtin_popcount(c.honours), 2);
	cr_expect_eq(__builtin_popcount(c.evidence), 2);
}

Test(case_parse, competition_list_with_spaces)
{
	vals[GT_COL_COMPETITIONS] = " provincial : first ;; national_skills:silver:教练 ;";
	expect_ok();
	cr_assert_eq(c.ncomps, 2);
	cr_expect_eq(c.comps[0].comp, GT_COMP_PROVINCIAL);
	cr_expect_eq(c.comps[0].result, GT_RES_FIRST);
	cr_expect_eq(c.comps[0].rank, 0, "prizes carry no rank");
	cr_expect_eq(c.comps[1].comp, GT_COMP_NATIONAL_SKILLS);
	cr_expect_eq(c.comps[1].result, GT_RES_SILVER);
	cr_expect_eq(c.comps[1].rank, 2);
	cr_expect_eq(c.comps[1].role, GT_ROLE_COACH);
}

Test(case_parse, competition_error_in_second_entry)
{
	set_and_fail(GT_COL_COMPETITIONS, "worldskills:gold;foo:gold", "unknown competition \"foo\"");
}

Test(case_parse, competitions_16_ok_17_rejected)
{
	static char list[17 * 20 + 1];
	list[0] = '\0';
	for (int i = 0; i < 16; i++)
		strcat(list, "municipal:third;");
	vals[GT_COL_COMPETITIONS] = list;
	expect_ok();
	cr_expect_eq(c.ncomps, 16);
	strcat(list, "municipal:third");
	expect_fail(GT_COL_COMPETITIONS, "more than 16 competition entries");
}

/* ---- requested_level ---- */

Test(case_parse, requested_title_level)
{
	vals[GT_COL_REQUESTED_LEVEL] = "工程师";
	expect_ok();
	cr_expect_eq(c.requested, GT_TITLE_INTERMEDIATE);
}

Test(case_parse, requested_skill_level_for_title_to_skill)
{
	vals[GT_COL_DIRECTION] = "title_to_skill";
	vals[GT_COL_REQUESTED_LEVEL] = "senior_technician";
	expect_ok();
	cr_expect_eq(c.requested, GT_SKILL_SENIOR_TECHNICIAN);
}

Test(case_parse, requested_skill_level_in_skill_to_title)
{
	set_and_fail(GT_COL_REQUESTED_LEVEL, "senior",
		     "\"senior\" is a skill level; an application for a title requests a title level");
}

Test(case_parse, requested_title_level_in_title_to_skill)
{
	vals[GT_COL_DIRECTION] = "title_to_skill";
	vals[GT_COL_REQUESTED_LEVEL] = "助理级";
	expect_fail(GT_COL_REQUESTED_LEVEL,
		    "\"助理级\" is a title level; an application for a skill level requests a skill level");
}

Test(case_parse, requested_bare_chuji_skill)
{
	vals[GT_COL_DIRECTION] = "title_to_skill";
	vals[GT_COL_REQUESTED_LEVEL] = "初级";
	expect_fail(GT_COL_REQUESTED_LEVEL, "ambiguous");
}

Test(case_parse, requested_blank_spaces_is_blank)
{
	vals[GT_COL_REQUESTED_LEVEL] = "  ";
	expect_ok();
	cr_expect_eq(c.requested, -1);
}

/* ================= gt_row_error_format ================= */

Test(row_error_format, with_column)
{
	struct gt_row_error e = { GT_COL_SKILL_DATE, "required when a skill level is held" };
	char buf[256];
	size_t n = gt_row_error_format(&e, 7, buf, sizeof buf);
	/* The column as a person calls it, not its CSV name. */
	cr_expect_str_eq(buf, "line 7, date the skill level was obtained: required when a skill level is held");
	cr_expect_eq(n, strlen(buf));
}

Test(row_error_format, whole_row)
{
	struct gt_row_error e = { -1, "the row has 3 fields but the header has 8" };
	char buf[256];
	gt_row_error_format(&e, 12, buf, sizeof buf);
	cr_expect_str_eq(buf, "line 12: the row has 3 fields but the header has 8");
}

Test(row_error_format, truncates_to_buffer)
{
	struct gt_row_error e = { GT_COL_NAME, "a value is required" };
	char buf[10];
	size_t n = gt_row_error_format(&e, 3, buf, sizeof buf);
	cr_expect_str_eq(buf, "line 3, a");
	cr_expect_eq(n, sizeof buf - 1);
}

Test(row_error_format, from_a_parsed_row, .init = setup)
{
	vals[GT_COL_APPRAISALS_PASSED] = "4";
	cr_assert_eq(parse(), -1);
	char buf[512];
	gt_row_error_format(&err, 5, buf, sizeof buf);
	cr_expect_str_eq(buf, "line 5, appraisals passed in the last 3 years: \"4\" is not a number from 0 to 3");
}

/* ================= gt_case_init / gt_case_validate ================= */

Test(case_validate, init_gives_defaults)
{
	gt_case_init(&c);
	cr_expect(c.related);
	cr_expect(c.employed_in_region);
	cr_expect_eq(c.appraisals, -1);
	cr_expect_eq(c.requested, -1);
	cr_expect_eq(c.application_date, GT_DATE_NONE);
	cr_expect_eq(c.skill_date, GT_DATE_NONE);
}

Test(case_validate, missing_dates_rejected)
{
	gt_case_init(&c);
	c.application_date = D(2024, 1, 1);
	cr_expect_eq(gt_case_validate(&c, &err), 0);
	c.skill = GT_SKILL_SENIOR;
	cr_expect_eq(gt_case_validate(&c, &err), -1);
	cr_expect_eq(err.column, GT_COL_SKILL_DATE);
	c.skill_date = D(2020, 1, 1);
	c.title = GT_TITLE_ENTRY;
	cr_expect_eq(gt_case_validate(&c, &err), -1);
	cr_expect_eq(err.column, GT_COL_TITLE_DATE);
}

Test(case_validate, out_of_range_enums_rejected)
{
	gt_case_init(&c);
	c.application_date = D(2024, 1, 1);
	c.region = GT_REGION_COUNT;
	cr_expect_eq(gt_case_validate(&c, &err), -1);
	cr_expect_eq(err.column, GT_COL_REGION);
}

/* ---- the dates' fast path (gt_case_date_parse) against gt_date_parse ---- */

static void expect_same_date(const char *s)
{
	gt_date a = 12345, b = 12345;
	size_t n = strlen(s);
	int ra = gt_case_date_parse(s, n, &a), rb = gt_date_parse(s, n, &b);
	cr_expect_eq(ra, rb, "\"%s\": %d, gt_date_parse %d", s, ra, rb);
	if (ra == 0 && rb == 0)
		cr_expect_eq(a, b, "\"%s\"", s);
}

Test(case_date, fast_path_agrees_with_gt_date_parse)
{
	char s[40]; /* room for any three ints: gcc -O1 checks it */
	/* Every day, month and year field from 0 to 99 of years around both ends. */
	static const int years[] = { 1000, 1899, 1900, 1901, 1999, 2000, 2024, 2025, 2100, 2199, 2200, 9999 };
	for (size_t k = 0; k < sizeof years / sizeof years[0]; k++)
		for (int m = 0; m < 100; m++)
			for (int d = 0; d < 100; d++) {
				snprintf(s, sizeof s, "%04d-%02d-%02d", years[k], m, d);
				expect_same_date(s);
			}
	/* Every year of the range, on the 1st, the 28th and the 29th of February. */
	for (int y = 1890; y <= 2210; y++) {
		snprintf(s, sizeof s, "%04d-02-28", y);
		expect_same_date(s);
		snprintf(s, sizeof s, "%04d-02-29", y);
		expect_same_date(s);
		snprintf(s, sizeof s, "%04d-01-01", y);
		expect_same_date(s);
	}
	/* One byte changed anywhere in a good date. */
	static const char bytes[] = "0123456789-/. a+\x7f\xe5";
	for (int pos = 0; pos < 10; pos++)
		for (size_t b = 0; b < sizeof bytes - 1; b++) {
			snprintf(s, sizeof s, "2023-06-15");
			s[pos] = bytes[b];
			expect_same_date(s);
		}
	/* Every byte value at every place of a few dates (read by length, so a
	 * NUL is a byte like any other). */
	static const char *const good[] = { "2023-06-15", "1900-01-01", "2199-12-28", "2024-02-29" };
	for (size_t g = 0; g < sizeof good / sizeof good[0]; g++)
		for (int pos = 0; pos < 10; pos++)
			for (int b = 0; b < 256; b++) {
				char t[10];
				memcpy(t, good[g], 10);
				t[pos] = (char)b;
				gt_date x = 12345, y = 12345;
				int rx = gt_case_date_parse(t, 10, &x), ry = gt_date_parse(t, 10, &y);
				cr_expect_eq(rx, ry, "%s, byte %d at %d: %d, gt_date_parse %d", good[g], b, pos, rx, ry);
				if (rx == 0 && ry == 0)
					cr_expect_eq(x, y, "%s, byte %d at %d", good[g], b, pos);
			}
	expect_same_date("2023/6/15");
	expect_same_date("2023.06.15");
	expect_same_date("2023-6-15");
	expect_same_date("2023-06-150");
}

/* ---- text cells: the one-pass scan (ASCII and CJK) and the general path ---- */

static void name_counts(const char *a, int na, const char *b, int nb, bool ok)
{
	char *x = rep(a, na), *y = rep(b, nb);
	size_t lx = strlen(x), ly = strlen(y);
	char *s = malloc(lx + ly + 1);
	cr_assert_not_null(s);
	memcpy(s, x, lx);
	memcpy(s + lx, y, ly + 1);
	base_row();
	vals[GT_COL_NAME] = s;
	if (ok) {
		expect_ok();
		cr_expect_str_eq(c.name, s);
	} else {
		char part[64];
		snprintf(part, sizeof part, "has %d characters; at most 64", na + nb);
		expect_fail(GT_COL_NAME, part);
	}
	free(s);
	free(x);
	free(y);
}

Test(case_parse, text_characters_counted_on_both_paths)
{
	/* CJK and ASCII (the scan), then with one character it leaves to the
	 * general path (é, 㐀 U+3400 below its range, 😀) at either end. */
	static const char *const other[] = { "\xC3\xA9", "\xE3\x90\x80", "\xF0\x9F\x98\x80", "\xEA\xB0\x80" };
	name_counts("张", 64, "", 0, true);
	name_counts("张", 60, "a", 4, true);
	name_counts("张", 60, "a", 5, false);
	for (size_t k = 0; k < sizeof other / sizeof other[0]; k++) {
		name_counts("张", 63, other[k], 1, true);
		name_counts(other[k], 1, "张", 63, true);
		name_counts("张", 64, other[k], 1, false);
		name_counts(other[k], 2, "a", 63, false);
	}
}

Test(case_parse, text_bad_utf8_and_controls_on_both_paths)
{
	set_and_fail(GT_COL_NAME, "张\xE5\x90", "UTF-8");       /* a CJK lead, cut short */
	set_and_fail(GT_COL_NAME, "张\xE5\x41\x80", "UTF-8");   /* a lead and an ASCII byte */
	set_and_fail(GT_COL_NAME, "\xC3\xA9\x01", "control character");
	set_and_fail(GT_COL_NAME, "张\x1F", "control character");
	set_and_fail(GT_COL_CASE_REF, "\xC3\xA9\x7F", "control character");
}

/* ---- gt_case_parse (its fast path) against gt_case_parse_reference ---- */

#include <dirent.h>

#include "gt_csv.h"

static long compared, fast_taken;

/* The same case, or the same error, both ways. */
static void compare_parsers(const struct gt_header *h, const struct gt_span *f, int n, const char *where)
{
	static struct gt_case a, b;
	struct gt_row_error ea, eb;
	memset(&a, 0x11, sizeof a);
	memset(&b, 0x22, sizeof b);
	int ra = gt_case_parse(&a, h, f, n, D(2025, 6, 30), &ea);
	int rb = gt_case_parse_reference(&b, h, f, n, D(2025, 6, 30), &eb);
	compared++;
	fast_taken += ra == 0;
	cr_assert_eq(ra, rb, "%s: fast %d, reference %d (%s)", where, ra, rb, eb.msg);
	cr_assert_eq(ea.column, eb.column, "%s", where);
	cr_assert_str_eq(ea.msg, eb.msg, "%s", where);
	if (ra == 0)
		cr_assert(gt_case_same(&a, &b), "%s: the cases differ", where);
}

static long plain_rows; /* records parsed with no trimming (rec->blanks false) */

/* gt_case_parse_record (which trims no cell of a row the reader saw no blank
 * in) against the reference. */
static void compare_record(const struct gt_header *h, const struct gt_csv_record *rec, const char *where)
{
	static struct gt_case a, b;
	struct gt_row_error ea, eb;
	memset(&a, 0x11, sizeof a);
	memset(&b, 0x22, sizeof b);
	int ra = gt_case_parse_record(&a, h, rec, D(2025, 6, 30), &ea);
	int rb = gt_case_parse_reference(&b, h, rec->fields, rec->nfields, D(2025, 6, 30), &eb);
	plain_rows += !rec->blanks;
	cr_assert_eq(ra, rb, "%s: record %d, reference %d (%s)", where, ra, rb, eb.msg);
	cr_assert_eq(ea.column, eb.column, "%s", where);
	cr_assert_str_eq(ea.msg, eb.msg, "%s", where);
	if (ra == 0)
		cr_assert(gt_case_same(&a, &b), "%s: the cases differ", where);
}

/* Cells a clerk's file may hold, right and wrong, for every column. */
static const char *const variants[] = {
	"", " ", "\t", "x", "yes", "no", " yes", "no ", "YES", "none", "初级", "无", "0", "3", "4", "03",
	"2020-02-28", "2020-02-29", "2021-02-29", "2020-02-30", "2020/1/5", "2020.6.30", " 2020-01-05",
	"2099-01-01", "1899-12-31", "2025-06-30", "2025-07-01", "2025-6-1", "20250601",
	"id_card;;skill_certificate", "id_card；skill_certificate", " id_card ; title_certificate ;",
	"id_card;nope", "身份证;职称证书", "national_skills:gold", "national_skills:gold:coach:2",
	"全国技能大赛：金牌", "worldskills:rank3", "provincial:第3名", "municipal:gold:x",
	"张三", "a\tb", "\xC3\xA9", "\xE5\x90", "11010519491231002X", "11010519491231002x",
	"110105 19491231 002X", "110105194912310021", "chongqing", "anshan ", "重庆", "skill_to_title",
	"title_to_skill", "engineering", "文物博物", "senior", "技师", "deputy_senior", "副高级",
	"高级工程师", "senior_technician", "intermediate_worker", "6-31-03", "6-31-03x", "china_skills_award",
	"国务院特殊津贴;national_technical_expert", "preparatory_technician", "技师班",
	"0123456789012345678901234567890123456789012345678901234567890123456789",
};

static char file_data[1 << 20];

static long canon_rows, other_rows; /* compared with the spec's header, and with another */

static bool canonical(const struct gt_header *h)
{
	for (int i = 0; i < GT_COL_COUNT; i++)
		if (h->pos[i] != i)
			return false;
	return h->nfields == GT_COL_COUNT;
}

/* The row's cells moved to other places, under the header so moved: the
 * same case by the header's look-ups (the fast path reads the spec's own
 * order at fixed places). Reversed, and with two pairs of columns of the
 * same kind swapped (cells a wrong fixed place would read without error). */
static void compare_moved(const struct gt_header *h, const struct gt_span *f, int n, const char *where)
{
	if (n != h->nfields || n > GT_COL_COUNT + 2)
		return;
	for (int how = 0; how < 2; how++) {
		struct gt_header r = *h;
		struct gt_span rf[GT_COL_COUNT + 2];
		int to[GT_COL_COUNT + 2]; /* field i goes to place to[i] */
		for (int i = 0; i < n; i++)
			to[i] = how == 0 ? n - 1 - i : i;
		if (how == 1) {
			static const int pairs[][2] = { { GT_COL_WORK_START, GT_COL_REGION_WORK_START },
							{ GT_COL_FRONTLINE, GT_COL_PILOT_ENTERPRISE } };
			for (int k = 0; k < 2; k++) {
				int a = h->pos[pairs[k][0]], b = h->pos[pairs[k][1]];
				if (a >= 0 && b >= 0)
					to[a] = b, to[b] = a;
			}
		}
		for (int i = 0; i < GT_COL_COUNT; i++)
			r.pos[i] = h->pos[i] < 0 ? -1 : (int16_t)to[h->pos[i]];
		for (int i = 0; i < n; i++)
			rf[to[i]] = f[i];
		char w[1700];
		snprintf(w, sizeof w, "%s (columns %s)", where, how == 0 ? "reversed" : "swapped");
		other_rows += !canonical(&r);
		compare_parsers(&r, rf, n, w);
	}
}

static void compare_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	cr_assert_not_null(fp, "%s", path);
	size_t len = fread(file_data, 1, sizeof file_data, fp);
	fclose(fp);
	gt_csv *r = gt_csv_new_mem(file_data, len);
	cr_assert_not_null(r);
	static struct gt_csv_record rec;
	static struct gt_span rows[64][GT_COL_COUNT + 2];
	static int widths[64];
	struct gt_header h;
	char m[512], where[1600];
	int nrows = 0;
	if (gt_csv_next(r, &rec) != 1 || rec.error != GT_CSV_OK ||
	    gt_header_parse(&h, rec.fields, rec.nfields, NULL, 0, m, sizeof m) != 0) {
		gt_csv_free(&r);
		return;
	}
	while (gt_csv_next(r, &rec) == 1) {
		if (rec.error != GT_CSV_OK)
			continue;
		snprintf(where, sizeof where, "%s line %ld", path, rec.line);
		canon_rows += canonical(&h);
		other_rows += !canonical(&h);
		compare_parsers(&h, rec.fields, rec.nfields, where);
		compare_record(&h, &rec, where);
		compare_moved(&h, rec.fields, rec.nfields, where);
		if (nrows < 64 && rec.nfields <= GT_COL_COUNT + 2) {
			memcpy(rows[nrows], rec.fields, (size_t)rec.nfields * sizeof rec.fields[0]);
			widths[nrows++] = rec.nfields;
		}
	}
	/* Each row with each cell changed: to every variant, and to the same
	 * column's cell of the next row. */
	for (int i = 0; i < nrows; i++) {
		struct gt_span f[GT_COL_COUNT + 2];
		for (int k = 0; k < widths[i]; k++) {
			memcpy(f, rows[i], (size_t)widths[i] * sizeof f[0]);
			for (size_t v = 0; v <= sizeof variants / sizeof variants[0]; v++) {
				if (v < sizeof variants / sizeof variants[0])
					f[k] = S(variants[v]);
				else if (widths[(i + 1) % nrows] == widths[i])
					f[k] = rows[(i + 1) % nrows][k];
				snprintf(where, sizeof where, "%s row %d, field %d = \"%.*s\"", path, i + 1, k + 1,
					 (int)f[k].n, f[k].p);
				compare_parsers(&h, f, widths[i], where);
				compare_moved(&h, f, widths[i], where);
			}
		}
	}
	gt_csv_free(&r);
}

Test(case_fast, agrees_with_the_reference_on_every_fixture_and_its_variants)
{
	static const char *const dirs[] = { "fixtures", "fixtures/screen", "fixtures/bad", "fixtures/input",
					     "fixtures/casesheet", "fixtures/sheet", "fixtures/options" };
	for (size_t d = 0; d < sizeof dirs / sizeof dirs[0]; d++) {
		char dir[512];
		snprintf(dir, sizeof dir, "%s/%s", GT_SOURCE_DIR, dirs[d]);
		DIR *dp = opendir(dir);
		if (!dp)
			continue;
		struct dirent *e;
		while ((e = readdir(dp))) {
			size_t n = strlen(e->d_name);
			if (n < 4 || strcmp(e->d_name + n - 4, ".csv") != 0)
				continue;
			char path[1100];
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			compare_file(path);
		}
		closedir(dp);
	}
	/* Enough rows, and the fast path taken on many (it is not never). */
	cr_expect_gt(compared, 50000, "%ld rows compared", compared);
	cr_expect_gt(fast_taken, compared / 10, "%ld of %ld rows by the fast path", fast_taken, compared);
	cr_expect_gt(plain_rows, 100, "%ld rows with no blank", plain_rows);
	/* Both ways a header is read: the spec's order at fixed places, and any other. */
	cr_expect_gt(canon_rows, 500, "%ld rows under the spec's header", canon_rows);
	cr_expect_gt(other_rows, 500, "%ld rows under another header", other_rows);
}

/* ---- list cells of codes: the fast path reads every plain one ---- */

/* Every ASCII list of evidence (or honours) codes up to the fast reader's 256 bytes,
 * spaces and empty items included, with the codes at every place of its
 * 16-byte blocks, is read by the fast path (not left to the reference) and
 * gives the reference's case; longer ones and those with a code it does not
 * know give the reference's case or error. */
Test(case_fast, reads_every_plain_list_cell)
{
	static const char *const names[] = {
		"case_ref", "name", "id_number", "region", "direction", "series", "skill_level", "skill_date",
		"title_level", "honors", "evidence",
	};
	const int nnames = (int)(sizeof names / sizeof names[0]);
	struct gt_span hf[16], f[16];
	for (int i = 0; i < nnames; i++)
		hf[i] = S(names[i]);
	struct gt_header h;
	char m[256];
	cr_assert_eq(gt_header_parse(&h, hf, nnames, NULL, 0, m, sizeof m), 0, "%s", m);
	const char *row[] = { "CR1", "张三", "11010519491231002X", "jiangsu", "skill_to_title", "engineering",
			      "technician", "2020-01-25", "none", "", "" };
	for (int i = 0; i < nnames; i++)
		f[i] = S(row[i]);
	static const char *const gaps[] = { "", " ", ";", " ;", "\t", ";;" };
	char cell[400];
	static struct gt_case a, b;
	struct gt_row_error eb;
	unsigned seed = 7;
	long fast = 0;
	for (int round = 0; round < 20000; round++) {
		/* Odd rounds fill honors, even ones evidence. */
		const struct gt_code_table *t = round % 2 ? &gt_honours : &gt_evidence_codes;
		size_t n = 0;
		int items = round % 17;
		for (int k = 0; k < items && n < 330; k++) {
			seed = seed * 1103515245u + 12345u;
			const char *gap = gaps[(seed >> 20) % 6];
			const char *code = t->codes[(seed >> 8) % (unsigned)t->count].code;
			n += (size_t)snprintf(cell + n, sizeof cell - n, "%s%s%s", k ? ";" : "", k ? gap : "", code);
		}
		if (round % 7 == 0 && n < 300) /* padding: codes at other places of the blocks */
			n += (size_t)snprintf(cell + n, sizeof cell - n, "%.*s", round % 16, ";  ;  ;  ;  ;  ;  ");
		bool unknown = round % 11 == 5 && n > 0;
		if (unknown)
			cell[n / 2] = 'Q'; /* no code has an upper-case letter */
		f[9] = f[10] = S("");
		f[round % 2 ? 9 : 10] = (struct gt_span){ cell, n };
		memset(&a, 0x11, sizeof a);
		memset(&b, 0x22, sizeof b);
		bool ok = gt_case_parse_fast(&a, &h, f, nnames, D(2025, 6, 30));
		int rb = gt_case_parse_reference(&b, &h, f, nnames, D(2025, 6, 30), &eb);
		if (!unknown && n <= 256)
			cr_assert(ok, "round %d: the fast path leaves \"%.*s\" (%zu bytes) to the reference", round,
				  (int)n, cell, n);
		if (ok) {
			fast++;
			cr_assert_eq(rb, 0, "round %d: \"%.*s\": %s", round, (int)n, cell, eb.msg);
			cr_assert(gt_case_same(&a, &b), "round %d: \"%.*s\": the cases differ", round,
				  (int)n, cell);
		}
	}
	cr_expect_gt(fast, 15000);
}

/* gt_case_same: what lies past a text's end or past ncomps does not count;
 * every field before does. */
Test(case_same, tails_do_not_count_fields_do)
{
	static struct gt_case a, b;
	memset(&a, 0x11, sizeof a);
	memset(&b, 0x22, sizeof b);
	gt_case_init(&a);
	gt_case_init(&b);
	memset(b.case_ref + 1, 'x', sizeof b.case_ref - 1);
	memset(b.comps, 0x33, sizeof b.comps);
	cr_assert(gt_case_same(&a, &b), "the texts' tails and the unused entries count");
	strcpy(a.case_ref, "A1");
	strcpy(b.case_ref, "A1");
	cr_assert(gt_case_same(&a, &b));
	b.case_ref[1] = '2';
	cr_assert(!gt_case_same(&a, &b), "case_ref");
	b = a;
	b.name[0] = 'n';
	b.name[1] = '\0';
	cr_assert(!gt_case_same(&a, &b), "name");
	b = a;
	b.id_number[0] = '1';
	cr_assert(!gt_case_same(&a, &b), "id_number");
	b = a;
	b.occupation_code[0] = '1';
	cr_assert(!gt_case_same(&a, &b), "occupation_code");
	/* every byte from birth_date to the entries */
	for (size_t off = offsetof(struct gt_case, birth_date); off < offsetof(struct gt_case, comps); off++) {
		b = a;
		((unsigned char *)&b)[off] ^= 1;
		cr_assert(!gt_case_same(&a, &b), "byte %zu", off);
	}
	b = a;
	b.ncomps = a.ncomps = 1;
	b.comps[0].rank = (uint16_t)(a.comps[0].rank + 1);
	cr_assert(!gt_case_same(&a, &b), "the first entry");
}

/* The short-text block check of case_ref and name against the byte-by-byte
 * one: every length to 20, bytes drawn from the edges of each class (the
 * controls, 0x7F, the ideographs' leads E4..E9 and their neighbours E3 and
 * EA, continuations 0x80..0xBF and 0xC0, two-byte and four-byte leads), so
 * that cut, doubled and stray sequences come up at every offset. The block
 * itself (gt_utf8_cjk16, which the CSV reader also takes for a line's UTF-8)
 * takes every text of ASCII and whole ideographs, and only valid UTF-8. */
Test(text_scan, block_path_agrees_with_bytewise)
{
	static const unsigned char pick[] = { 'a', 'Z', '0', ' ', ',', 0x00, 0x01, 0x1F, 0x20, 0x7E, 0x7F,
		0x80, 0x9F, 0xBF, 0xC0, 0xC3, 0xE3, 0xE4, 0xE5, 0xE9, 0xEA, 0xF0, 0xFF };
	unsigned state = 99;
	long taken = 0;
	for (int round = 0; round < 400000; round++) {
		unsigned char b[24];
		size_t n = (size_t)round % 21;
		bool plain = true; /* ASCII and whole ideographs only */
		for (size_t i = 0; i < n; i++) {
			state = state * 1103515245u + 12345u;
			unsigned r = state >> 16;
			/* mostly whole ideographs, as a name is */
			if (r % 3 == 0 && i + 3 <= n) {
				b[i] = (unsigned char)(0xE4 + r / 3 % 6);
				b[i + 1] = (unsigned char)(0x80 + r / 18 % 64);
				b[i + 2] = (unsigned char)(0x80 + r / 1152 % 64);
				i += 2;
			} else {
				b[i] = pick[r / 3 % sizeof pick];
				plain &= b[i] < 0x80;
			}
		}
		if (n <= 16) {
			size_t chars = 999;
			bool control;
			bool block = gt_utf8_cjk16((const char *)b, n, &chars, &control);
#ifdef __SSE2__
			cr_assert(block || !plain, "round %d, %zu bytes: a plain text refused", round, n);
#endif
			if (block)
				cr_assert_eq(gt_utf8_check((const char *)b, n), GT_CSV_OK, "round %d, %zu bytes", round,
					     n);
		}
		size_t c1 = 777, c2 = 777;
		bool k1 = false, k2 = false;
		bool fast = gt_case_text_scan((const char *)b, n, &c1, &k1, false);
		bool ref = gt_case_text_scan((const char *)b, n, &c2, &k2, true);
		cr_assert_eq(fast, ref, "round %d, %zu bytes: fast %d, bytewise %d", round, n, fast, ref);
		if (ref) {
			cr_assert_eq(c1, c2, "round %d, %zu bytes: %zu characters, bytewise %zu", round, n, c1, c2);
			cr_assert_eq(k1, k2, "round %d, %zu bytes: control %d, bytewise %d", round, n, k1, k2);
			taken++;
		}
	}
	cr_expect(taken > 50000, "%ld texts taken", taken);
}

/* The occupation code's block check against the byte loop: every length to
 * 20 (GT_OCCUPATION_MAX is larger), bytes at the edges of the classes
 * ('-' and its neighbours, '0' '9' 'A' 'Z' and the bytes around them, lower
 * case, high bytes). */
Test(occupation_check, block_path_agrees_with_bytewise)
{
	static const unsigned char pick[] = { '-', '-', '0', '9', 'A', 'Z', '5', 'M', ',', '.', '/', ':',
		'@', '[', '`', 'a', 'z', ' ', 0x00, 0x7F, 0x80, 0xAD, 0xB0, 0xC1, 0xDA, 0xFF };
	unsigned state = 5;
	long taken = 0;
	for (int round = 0; round < 300000; round++) {
		char b[24], d1[GT_OCCUPATION_MAX + 1], d2[GT_OCCUPATION_MAX + 1];
		size_t n = (size_t)round % 21;
		for (size_t i = 0; i < n; i++) {
			state = state * 1103515245u + 12345u;
			unsigned r = state >> 16;
			/* mostly valid bytes, so that whole codes pass */
			b[i] = (char)(r % 8 ? pick[r / 8 % 8] : pick[r / 8 % sizeof pick]);
		}
		bool fast = gt_case_occupation_check(b, n, d1, false);
		bool ref = gt_case_occupation_check(b, n, d2, true);
		cr_assert_eq(fast, ref, "round %d, \"%.*s\": fast %d, bytewise %d", round, (int)n, b, fast, ref);
		if (ref) {
			cr_assert_str_eq(d1, d2, "round %d", round);
			taken++;
		}
	}
	cr_expect(taken > 30000, "%ld codes taken", taken);
}
