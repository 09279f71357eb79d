/* gen_cases N [SEED]: writes a case CSV (../shared/spec/case-csv.md input format,
 * header + N rows, LF) of N varied, deterministic cases to stdout, for the
 * benchmarks. About 0.5% of the rows are deliberately invalid.
 *
 * Code strings come from the core's tables (gt_codes.h), and identity numbers get
 * their check character from gt_id_check_char, so the file follows the core. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gt_case.h"
#include "gt_codes.h"
#include "gt_idnum.h"

/* ---- PRNG: xorshift64*, seeded through splitmix64 (deterministic, not rand()) */

static uint64_t rng_state;

static void rng_seed(uint64_t seed)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ull;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	rng_state = z ? z : 0x2545f4914f6cdd1dull;
}

static uint64_t rng_next(void)
{
	uint64_t x = rng_state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dull;
}

/* Uniform in [0, n) (n small: the modulo bias is irrelevant here). */
static uint32_t rng_below(uint32_t n)
{
	return (uint32_t)(((rng_next() >> 32) * (uint64_t)n) >> 32);
}

static int rng_range(int lo, int hi) /* inclusive */
{
	return lo + (int)rng_below((uint32_t)(hi - lo + 1));
}

/* True with probability per_mille / 1000. */
static bool rng_chance(int per_mille)
{
	return (int)rng_below(1000) < per_mille;
}

/* Index drawn from a table of weights. */
static int rng_weighted(const int *w, int n)
{
	int total = 0;
	for (int i = 0; i < n; i++)
		total += w[i];
	int r = (int)rng_below((uint32_t)total);
	for (int i = 0; i < n; i++) {
		if (r < w[i])
			return i;
		r -= w[i];
	}
	return n - 1;
}

/* ---- Civil dates (own arithmetic: days since 1970-01-01, H. Hinnant's algorithms) */

static int32_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int32_t)doe - 719468;
}

static void civil_from_days(int32_t z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int yy = (int)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yy + (*m <= 2);
}

#define YEAR_DAYS 365

/* ---- Output buffer */

static char obuf[1 << 22];
static size_t olen;

static void out_flush(void)
{
	if (olen && fwrite(obuf, 1, olen, stdout) != olen) {
		fprintf(stderr, "gen_cases: write error: %s\n", strerror(errno));
		exit(1);
	}
	olen = 0;
}

static inline void put_mem(const char *s, size_t n)
{
	memcpy(obuf + olen, s, n);
	olen += n;
}

static inline void put_str(const char *s)
{
	put_mem(s, strlen(s));
}

static inline void put_ch(char c)
{
	obuf[olen++] = c;
}

static inline void put_2(int v)
{
	obuf[olen++] = (char)('0' + v / 10);
	obuf[olen++] = (char)('0' + v % 10);
}

static void put_uint(uint64_t v)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		obuf[olen++] = tmp[--n];
}

static void put_date(int32_t day)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	put_2(y / 100);
	put_2(y % 100);
	put_ch('-');
	put_2(m);
	put_ch('-');
	put_2(d);
}

/* ---- Names (UTF-8) */

static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
	"胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
	"邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜",
	"叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭",
};
static const char *const compound_surnames[] = {
	"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容",
};
static const char *const given_chars[] = {
	"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
	"涛", "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "建", "国", "文", "辉",
	"玲", "鹏", "红", "飞", "鑫", "波", "斌", "宇", "浩", "凯", "健", "俊", "帆", "帅",
	"旭", "宁", "龙", "林", "欣", "佳", "晨", "阳", "璐", "婷", "雪", "琳", "晶", "慧",
	"志", "海", "峰", "春", "梅", "兰", "荣", "德", "成", "忠", "毅", "铭", "睿", "瑶",
};
static const char *const minority_names[] = {
	"阿依古丽·买买提", "次仁·多吉", "热依拉·艾山", "巴特尔·那顺", "古丽娜尔·吐尔逊",
	"扎西·平措", "阿卜杜拉·伊敏", "其木格·乌力吉",
};
#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void put_name(void)
{
	if (rng_chance(5)) {
		put_str(minority_names[rng_below(NELEM(minority_names))]);
		return;
	}
	if (rng_chance(10))
		put_str(compound_surnames[rng_below(NELEM(compound_surnames))]);
	else
		put_str(surnames[rng_below(NELEM(surnames))]);
	int n = rng_chance(300) ? 1 : 2;
	for (int i = 0; i < n; i++)
		put_str(given_chars[rng_below(NELEM(given_chars))]);
}

/* ---- Identity numbers: area code (by region), birth date, sequence, check char */

static const char *const area_codes[GT_REGION_COUNT][4] = {
	[GT_REGION_CHONGQING] = {"500103", "500106", "500112", "500233"},
	[GT_REGION_ANSHAN]    = {"210302", "210303", "210311", "210381"},
	[GT_REGION_SICHUAN]   = {"510104", "510107", "510703", "511302"},
	[GT_REGION_JIANGSU]   = {"320602", "320102", "320506", "321282"},
	[GT_REGION_GUANGZHOU] = {"440106", "440104", "440111", "440113"},
};

static void make_id(char id[19], int region, int32_t birth, bool lower_x)
{
	int y, m, d;
	civil_from_days(birth, &y, &m, &d);
	/* about 1 in 8 applicants was born elsewhere */
	int home = rng_chance(125) ? (int)rng_below(GT_REGION_COUNT) : region;
	memcpy(id, area_codes[home][rng_below(4)], 6);
	id[6] = (char)('0' + y / 1000);
	id[7] = (char)('0' + y / 100 % 10);
	id[8] = (char)('0' + y / 10 % 10);
	id[9] = (char)('0' + y % 10);
	id[10] = (char)('0' + m / 10);
	id[11] = (char)('0' + m % 10);
	id[12] = (char)('0' + d / 10);
	id[13] = (char)('0' + d % 10);
	int seq = (int)rng_below(1000);
	id[14] = (char)('0' + seq / 100);
	id[15] = (char)('0' + seq / 10 % 10);
	id[16] = (char)('0' + seq % 10);
	id[17] = '\0';
	char c = gt_id_check_char(id);
	id[17] = (c == 'X' && lower_x) ? 'x' : c;
	id[18] = '\0';
}

/* ---- Level distributions (indices are gt_skill / gt_title values) */

static const int w_skill_s2t[GT_SKILL_COUNT] = {2, 2, 5, 30, 27, 20, 7, 7};
static const int w_title_s2t[GT_TITLE_COUNT] = {55, 8, 17, 12, 7, 1};
static const int w_skill_t2s[GT_SKILL_COUNT] = {35, 5, 10, 20, 15, 10, 3, 2};
static const int w_title_t2s[GT_TITLE_COUNT] = {3, 5, 30, 32, 20, 10};

/* Regional honours by region (indices into gt_honours), -1 terminated. */
static const int regional_honours[GT_REGION_COUNT][6] = {
	[GT_REGION_CHONGQING] = {GT_HON_CHONGQING_SKILLS_MASTER, GT_HON_CHONGQING_CHIEF_MASTER_STUDIO, -1},
	[GT_REGION_ANSHAN] = {GT_HON_LIAONING_CRAFTSMAN, GT_HON_LIAONING_MERITORIOUS,
			      GT_HON_LIAONING_OUTSTANDING, GT_HON_LIAONING_TECHNICAL_EXPERT,
			      GT_HON_ANSHAN_CRAFTSMAN, -1},
	[GT_REGION_SICHUAN] = {GT_HON_SICHUAN_TECHNICAL_EXPERT, GT_HON_TIANFU_CRAFTSMAN,
			       GT_HON_SICHUAN_SKILLS_MASTER, -1},
	[GT_REGION_JIANGSU] = {GT_HON_JIANGSU_GREAT_CRAFTSMAN, GT_HON_JIANGSU_CRAFTSMAN,
			       GT_HON_JIANGSU_YOUNG_EXPERT, GT_HON_JIANGSU_RURAL_MASTER_STUDIO, -1},
	[GT_REGION_GUANGZHOU] = {-1},
};

static int pick_honour(int region)
{
	const int *r = regional_honours[region];
	int n = 0;
	while (n < 6 && r[n] >= 0)
		n++;
	if (n && rng_chance(500))
		return r[rng_below((uint32_t)n)];
	if (rng_chance(100)) /* now and then another region's honour, which counts for nothing */
		return (int)rng_below(GT_HON_COUNT);
	return (int)rng_below(GT_HON_INTERNATIONAL_CERTIFICATE + 1);
}

/* ---- Deliberate faults (a small share of the rows) */

enum fault {
	F_NONE,
	F_CHECK_CHAR,     /* wrong GB 11643 check character */
	F_REGION,         /* unknown region code */
	F_NO_SUCH_DATE,   /* application_date 2023-02-29 */
	F_FUTURE_DATE,    /* work_start after the application date */
	F_MISSING_DATE,   /* skill level held, skill_date blank */
	F_EMPTY_NAME,
	F_APPRAISALS,     /* appraisals_passed out of range */
	F_COMPETITION,    /* unknown result in a competition entry */
	F_AMBIGUOUS,      /* title_level 初级 */
	F_FIELD_COUNT,    /* a field short */
	F_BIRTH_AFTER,    /* identity number born after the application date */
	F_EVIDENCE,       /* unknown evidence code */
	F_COUNT
};

/* ---- One row */

struct stats {
	uint64_t rows, faulty, s2t, t2s, requested, honours, comps, vetoed;
};

static void put_sep(void)
{
	put_ch(',');
}

static void gen_row(uint64_t idx, struct stats *st)
{
	enum fault fault = F_NONE;
	if (rng_chance(5)) {
		fault = (enum fault)rng_range(1, F_COUNT - 1);
		st->faulty++;
	}

	/* application date: mostly 2023-01-01..2025-06-30; some earlier (2019..2022),
	 * before some documents took effect */
	static int32_t d_2019, d_2023, d_2025;
	if (!d_2019) {
		d_2019 = days_from_civil(2019, 1, 1);
		d_2023 = days_from_civil(2023, 1, 1);
		d_2025 = days_from_civil(2025, 6, 30);
	}
	int32_t app = rng_chance(60) ? rng_range(d_2019, d_2023 - 1) : rng_range(d_2023, d_2025);
	int32_t birth = app - rng_range(22 * YEAR_DAYS, 58 * YEAR_DAYS);
	int32_t adult = birth + 18 * YEAR_DAYS + 5;

	int region = (int)rng_below(GT_REGION_COUNT);
	int dir = rng_chance(600) ? GT_DIR_SKILL_TO_TITLE : GT_DIR_TITLE_TO_SKILL;
	if (dir == GT_DIR_SKILL_TO_TITLE)
		st->s2t++;
	else
		st->t2s++;
	int series = rng_chance(550) ? GT_SERIES_ENGINEERING : (int)rng_below(GT_SERIES_COUNT);

	int skill, title;
	if (dir == GT_DIR_SKILL_TO_TITLE) {
		skill = rng_weighted(w_skill_s2t, GT_SKILL_COUNT);
		title = rng_weighted(w_title_s2t, GT_TITLE_COUNT);
	} else {
		skill = rng_weighted(w_skill_t2s, GT_SKILL_COUNT);
		title = rng_weighted(w_title_t2s, GT_TITLE_COUNT);
	}

	/* dates: held levels 0..14 years back, never before adulthood */
	int32_t skill_date = 0, title_date = 0, first = app;
	if (skill) {
		skill_date = app - rng_range(0, 14 * YEAR_DAYS);
		if (skill_date < adult)
			skill_date = adult + rng_range(0, 300);
		if (skill_date > app)
			skill_date = app;
		first = skill_date;
	}
	if (title) {
		title_date = app - rng_range(0, 14 * YEAR_DAYS);
		if (title_date < adult)
			title_date = adult + rng_range(0, 300);
		if (title_date > app)
			title_date = app;
		if (title_date < first)
			first = title_date;
	}
	int32_t work_start = 0;
	if (!rng_chance(80)) {
		work_start = first - rng_range(0, 10 * YEAR_DAYS);
		if (work_start < birth + 16 * YEAR_DAYS)
			work_start = birth + 16 * YEAR_DAYS;
		if (work_start > first)
			work_start = first;
	}
	int32_t region_work_start = 0;
	if (rng_chance(region == GT_REGION_GUANGZHOU ? 800 : 150)) {
		region_work_start = app - rng_range(0, 5 * YEAR_DAYS);
		if (work_start && region_work_start < work_start)
			region_work_start = work_start;
		if (region_work_start < adult)
			region_work_start = adult;
		if (region_work_start > app)
			region_work_start = app;
	}

	bool related = !rng_chance(80);
	int appraisals = rng_chance(100) ? -1 : rng_chance(140) ? rng_range(0, 2) : 3;
	bool frontline = rng_chance(dir == GT_DIR_SKILL_TO_TITLE ? 750 : 450);
	bool employed = !rng_chance(40);
	bool self_emp = rng_chance(50);
	bool pilot = rng_chance(region == GT_REGION_GUANGZHOU ? 750 : 80);
	bool diploma = rng_chance(300);
	int school = rng_chance(850) ? GT_SCHOOL_NONE : rng_range(1, GT_SCHOOL_COUNT - 1);
	bool integrity = rng_chance(10);
	bool public_inst = rng_chance(50);
	if (integrity)
		st->vetoed++;

	/* honours: ~15% of rows */
	uint32_t honours = 0;
	if (rng_chance(150)) {
		honours |= 1u << pick_honour(region);
		if (rng_chance(200))
			honours |= 1u << pick_honour(region);
		st->honours++;
	}
	/* competitions: ~12% of rows */
	int ncomps = 0;
	if (rng_chance(120)) {
		ncomps = rng_chance(200) ? 2 : 1;
		st->comps++;
	}

	/* evidence: complete for most, partial for the rest */
	uint32_t ev = 0;
	bool complete = rng_chance(620);
	int keep = complete ? 1000 : 550;
#define EV(code, cond) do { if ((cond) && rng_chance(keep)) ev |= 1u << (code); } while (0)
	EV(GT_EV_ID_CARD, complete || rng_chance(900));
	EV(GT_EV_SKILL_CERTIFICATE, skill != GT_SKILL_NONE);
	EV(GT_EV_TITLE_CERTIFICATE, title != GT_TITLE_NONE);
	EV(GT_EV_WORK_RECORD, true);
	EV(GT_EV_APPRAISAL_RECORDS, true);
	EV(GT_EV_AWARD_CERTIFICATE, honours || ncomps);
	EV(GT_EV_COMMENDATION_DOCUMENT, (honours || ncomps) && rng_chance(800));
	EV(GT_EV_DIPLOMA, diploma);
	EV(GT_EV_TECH_SCHOOL_CERTIFICATE, school != GT_SCHOOL_NONE);
	EV(GT_EV_FRONTLINE_PROOF, frontline);
	EV(GT_EV_EMPLOYMENT_PROOF, employed && rng_chance(700));
	EV(GT_EV_ACHIEVEMENT_EVIDENCE, rng_chance(400));
	EV(GT_EV_INTERNATIONAL_CERTIFICATE, honours & (1u << GT_HON_INTERNATIONAL_CERTIFICATE));
#undef EV

	/* requested level: ~35% of rows, mostly the next level up */
	int requested = -1;
	if (rng_chance(350)) {
		st->requested++;
		if (dir == GT_DIR_SKILL_TO_TITLE) {
			int base = title > GT_TITLE_ASSISTANT ? title : GT_TITLE_ASSISTANT - 1;
			requested = rng_chance(700) ? base + rng_range(1, 2) : rng_range(1, GT_TITLE_COUNT - 1);
			if (requested >= GT_TITLE_COUNT)
				requested = GT_TITLE_COUNT - 1;
		} else {
			int base = skill > GT_SKILL_INTERMEDIATE ? skill : GT_SKILL_INTERMEDIATE;
			requested = rng_chance(700) ? base + 1 : rng_range(1, GT_SKILL_COUNT - 1);
			if (requested >= GT_SKILL_COUNT)
				requested = GT_SKILL_COUNT - 1;
		}
	}

	if (fault == F_BIRTH_AFTER)
		birth = app + rng_range(1, 400);
	char id[19];
	make_id(id, region, birth, rng_chance(300));
	if (fault == F_CHECK_CHAR)
		id[17] = id[17] == '0' ? '1' : (id[17] == 'X' || id[17] == 'x') ? '3' : '0';

	const struct gt_code_table *levels_skill = &gt_skill_levels, *levels_title = &gt_title_levels;

	/* ---- write the row, columns in the spec's order */
	/* case_ref: now and then with a comma or quotes, so the reader's quoting is exercised */
	if (rng_chance(10)) {
		put_str("\"CR,");
		put_uint(idx);
		put_ch('"');
	} else if (rng_chance(2)) {
		put_str("\"CR \"\"");
		put_uint(idx);
		put_str("\"\"\"");
	} else {
		put_str("CR");
		put_uint(idx);
	}
	put_sep();
	if (fault != F_EMPTY_NAME)
		put_name();
	put_sep();
	put_mem(id, 18);
	put_sep();
	put_str(fault == F_REGION ? "beijing" : gt_code_of(&gt_regions, region));
	put_sep();
	put_str(gt_code_of(&gt_directions, dir));
	put_sep();
	put_str(gt_code_of(&gt_series_codes, series));
	put_sep();
	if (rng_chance(700)) { /* occupation_code */
		put_ch((char)('0' + rng_range(2, 6)));
		put_ch('-');
		put_2(rng_range(1, 31));
		put_ch('-');
		put_2(rng_range(1, 12));
	}
	put_sep();
	/* skill_level, skill_date: a few in Chinese (display name) */
	if (fault == F_MISSING_DATE && !skill)
		skill = GT_SKILL_TECHNICIAN;
	put_str(rng_chance(30) ? gt_zh_of(levels_skill, skill) : gt_code_of(levels_skill, skill));
	put_sep();
	if (skill && fault != F_MISSING_DATE)
		put_date(skill_date);
	put_sep();
	if (fault == F_AMBIGUOUS)
		put_str("初级");
	else
		put_str(rng_chance(30) ? gt_zh_of(levels_title, title) : gt_code_of(levels_title, title));
	put_sep();
	if (title)
		put_date(title_date);
	put_sep();
	if (!related || rng_chance(300)) /* related: default yes, often left blank */
		put_str(related ? "yes" : "no");
	put_sep();
	if (fault == F_FUTURE_DATE)
		put_date(app + rng_range(1, 200));
	else if (work_start)
		put_date(work_start);
	put_sep();
	if (fault == F_APPRAISALS)
		put_ch('4');
	else if (appraisals >= 0)
		put_ch((char)('0' + appraisals));
	put_sep();
	put_str(frontline ? "yes" : rng_chance(500) ? "no" : "");
	put_sep();
	put_str(!employed ? "no" : rng_chance(300) ? "yes" : "");
	put_sep();
	put_str(self_emp ? "yes" : rng_chance(200) ? "no" : "");
	put_sep();
	if (region_work_start)
		put_date(region_work_start);
	put_sep();
	put_str(pilot ? "yes" : rng_chance(300) ? "no" : "");
	put_sep();
	{ /* honors */
		bool first_h = true;
		for (int h = 0; h < GT_HON_COUNT; h++) {
			if (!(honours & (1u << h)))
				continue;
			if (!first_h)
				put_ch(';');
			put_str(gt_code_of(&gt_honours, h));
			first_h = false;
		}
	}
	put_sep();
	if (fault == F_COMPETITION) {
		put_str("worldskills:platinum");
	} else {
		for (int i = 0; i < ncomps; i++) {
			if (i)
				put_ch(';');
			int comp = (int)rng_below(GT_COMP_COUNT);
			int res = (int)rng_below(GT_RES_COUNT);
			int role = rng_chance(700) ? GT_ROLE_WINNER : rng_range(1, GT_ROLE_COUNT - 1);
			int team = rng_chance(850) ? 1 : rng_range(2, 3);
			put_str(gt_code_of(&gt_comps, comp));
			put_ch(':');
			if (res == GT_RES_RANK) {
				put_str("rank");
				put_uint((uint64_t)rng_range(1, 10));
			} else {
				put_str(gt_code_of(&gt_results, res));
			}
			if (team != 1 || role != GT_ROLE_WINNER || rng_chance(100)) {
				put_ch(':');
				put_str(gt_code_of(&gt_roles, role));
				if (team != 1 || rng_chance(100)) {
					put_ch(':');
					put_ch((char)('0' + team));
				}
			}
		}
	}
	put_sep();
	put_str(diploma ? "yes" : rng_chance(200) ? "no" : "");
	put_sep();
	if (school != GT_SCHOOL_NONE || rng_chance(100))
		put_str(gt_code_of(&gt_schools, school));
	put_sep();
	put_str(integrity ? "yes" : rng_chance(300) ? "no" : "");
	put_sep();
	put_str(public_inst ? "yes" : rng_chance(100) ? "no" : "");
	put_sep();
	{ /* evidence */
		bool first_e = true;
		for (int e = 0; e < GT_EV_COUNT; e++) {
			if (!(ev & (1u << e)))
				continue;
			if (!first_e)
				put_ch(';');
			put_str(gt_code_of(&gt_evidence_codes, e));
			first_e = false;
		}
		if (fault == F_EVIDENCE)
			put_str(first_e ? "passport" : ";passport");
	}
	put_sep();
	if (requested >= 0)
		put_str(dir == GT_DIR_SKILL_TO_TITLE ? gt_code_of(levels_title, requested)
						     : gt_code_of(levels_skill, requested));
	if (fault != F_FIELD_COUNT) { /* the short row lacks application_date */
		put_sep();
		if (fault == F_NO_SUCH_DATE)
			put_str("2023-02-29");
		else
			put_date(app);
	}
	put_ch('\n');
	st->rows++;
}

static void usage(void)
{
	fputs("usage: gen_cases N [SEED]\n"
	      "Writes a case CSV with a header and N rows to stdout (deterministic per SEED).\n",
	      stderr);
	exit(2);
}

static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	if (!*s || *s == '-')
		return false;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

int main(int argc, char **argv)
{
	uint64_t n, seed = 1;
	if (argc < 2 || argc > 3 || !parse_u64(argv[1], &n) || (argc == 3 && !parse_u64(argv[2], &seed)))
		usage();
	rng_seed(seed);

	for (int c = 0; c < GT_COL_COUNT; c++) {
		if (c)
			put_ch(',');
		put_str(gt_column_names[c]);
	}
	put_ch('\n');

	struct stats st = {0};
	for (uint64_t i = 1; i <= n; i++) {
		gen_row(i, &st);
		if (olen > sizeof obuf - 8192)
			out_flush();
	}
	out_flush();
	if (fflush(stdout) != 0) {
		fprintf(stderr, "gen_cases: write error: %s\n", strerror(errno));
		return 1;
	}
	fprintf(stderr,
		"gen_cases: %" PRIu64 " rows (seed %" PRIu64 "): %" PRIu64 " skill_to_title, %" PRIu64
		" title_to_skill, %" PRIu64 " with requested_level, %" PRIu64 " with honours, %" PRIu64
		" with competitions, %" PRIu64 " integrity flags, %" PRIu64 " deliberately invalid\n",
		st.rows, seed, st.s2t, st.t2s, st.requested, st.honours, st.comps, st.vetoed, st.faulty);
	return 0;
}
