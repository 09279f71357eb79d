/* Unit tests of core/gt_codes: gt_code_lookup over every table. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "gt_codes.h"
#include "gt_text.h"

static const struct gt_code_table *const all_tables[] = {
	&gt_regions, &gt_directions, &gt_series_codes, &gt_skill_levels, &gt_title_levels,
	&gt_honours, &gt_comps, &gt_results, &gt_roles, &gt_schools, &gt_evidence_codes,
	&gt_unmet_codes, &gt_routes, &gt_outcomes,
};
#define NTABLES (sizeof all_tables / sizeof all_tables[0])

static int look(const struct gt_code_table *t, const char *s)
{
	return gt_code_lookup(t, s, strlen(s));
}

/* ---- edge cases ---- */

Test(code_lookup, empty_fails_in_every_table)
{
	for (size_t k = 0; k < NTABLES; k++)
		cr_expect_eq(gt_code_lookup(all_tables[k], "", 0), -1, "table %s", all_tables[k]->column);
}

Test(code_lookup, codes_are_case_sensitive)
{
	cr_expect_eq(look(&gt_series_codes, "ENGINEERING"), -1);
	cr_expect_eq(look(&gt_series_codes, "Engineering"), -1);
	cr_expect_eq(look(&gt_regions, "Chongqing"), -1);
	cr_expect_eq(look(&gt_skill_levels, "NONE"), -1);
}

Test(code_lookup, leading_space_not_trimmed)
{
	cr_expect_eq(look(&gt_series_codes, " engineering"), -1);
	cr_expect_eq(look(&gt_series_codes, " 工程"), -1);
}

Test(code_lookup, trailing_space_not_trimmed)
{
	cr_expect_eq(look(&gt_series_codes, "engineering "), -1);
	cr_expect_eq(look(&gt_series_codes, "工程 "), -1);
	cr_expect_eq(look(&gt_series_codes, "engineering\t"), -1);
}

Test(code_lookup, prefix_and_extension_fail)
{
	cr_expect_eq(look(&gt_series_codes, "engineer"), -1);
	cr_expect_eq(look(&gt_series_codes, "engineerings"), -1);
	cr_expect_eq(look(&gt_series_codes, "工"), -1);
	cr_expect_eq(look(&gt_skill_levels, "高级"), -1);
}

Test(code_lookup, length_argument_rules_not_nul)
{
	cr_expect_eq(gt_code_lookup(&gt_series_codes, "engineering;art", 11), GT_SERIES_ENGINEERING);
	cr_expect_eq(gt_code_lookup(&gt_series_codes, "artx", 3), GT_SERIES_ART);
}

Test(code_lookup, code_of_another_table_fails)
{
	cr_expect_eq(look(&gt_regions, "worldskills"), -1);
	cr_expect_eq(look(&gt_skill_levels, "assistant"), -1);
	cr_expect_eq(look(&gt_title_levels, "senior"), -1);
}

Test(code_lookup, chinese_of_the_other_level_table_fails)
{
	cr_expect_eq(look(&gt_skill_levels, "中级"), -1);
	cr_expect_eq(look(&gt_skill_levels, "助理级"), -1);
	cr_expect_eq(look(&gt_title_levels, "技师"), -1);
	cr_expect_eq(look(&gt_title_levels, "三级"), -1);
}

Test(code_lookup, bare_chuji_is_not_a_skill_level)
{
	cr_expect_eq(look(&gt_skill_levels, "初级"), -1);
}

Test(code_lookup, bare_chuji_is_not_a_title_level)
{
	cr_expect_eq(look(&gt_title_levels, "初级"), -1);
}

Test(code_lookup, route_none_has_empty_code_and_is_not_looked_up)
{
	cr_expect_str_eq(gt_code_of(&gt_routes, GT_ROUTE_NONE), "");
	cr_expect_eq(look(&gt_routes, "regular"), GT_ROUTE_REGULAR);
}

Test(code_lookup, code_of_and_zh_of_out_of_range_give_empty)
{
	cr_expect_str_eq(gt_code_of(&gt_regions, -1), "");
	cr_expect_str_eq(gt_code_of(&gt_regions, GT_REGION_COUNT), "");
	cr_expect_str_eq(gt_zh_of(&gt_regions, GT_REGION_COUNT), "");
}

Test(code_lookup, code_len_is_the_codes_strlen)
{
	/* gt_code_len reads the index's lengths: every code and past both ends */
	for (size_t k = 0; k < NTABLES; k++) {
		const struct gt_code_table *t = all_tables[k];
		for (int i = -2; i <= t->count + 1; i++)
			cr_expect_eq(gt_code_len(t, i), strlen(gt_code_of(t, i)), "table %s, code %d",
				     t->column, i);
	}
}

/* ---- table shape ---- */

Test(code_tables, counts_match_enums)
{
	cr_expect_eq(gt_regions.count, GT_REGION_COUNT);
	cr_expect_eq(gt_directions.count, GT_DIR_COUNT);
	cr_expect_eq(gt_series_codes.count, GT_SERIES_COUNT);
	cr_expect_eq(gt_skill_levels.count, GT_SKILL_COUNT);
	cr_expect_eq(gt_title_levels.count, GT_TITLE_COUNT);
	cr_expect_eq(gt_honours.count, GT_HON_COUNT);
	cr_expect_eq(gt_comps.count, GT_COMP_COUNT);
	cr_expect_eq(gt_results.count, GT_RES_COUNT);
	cr_expect_eq(gt_roles.count, GT_ROLE_COUNT);
	cr_expect_eq(gt_schools.count, GT_SCHOOL_COUNT);
	cr_expect_eq(gt_evidence_codes.count, GT_EV_COUNT);
	cr_expect_eq(gt_unmet_codes.count, GT_UNMET_COUNT);
	cr_expect_eq(gt_routes.count, GT_ROUTE_COUNT);
	cr_expect_eq(gt_outcomes.count, GT_OUT_COUNT);
}

Test(code_tables, codes_are_lower_case_ascii)
{
	for (size_t k = 0; k < NTABLES; k++) {
		const struct gt_code_table *t = all_tables[k];
		for (int i = 0; i < t->count; i++)
			for (const char *p = t->codes[i].code; *p; p++)
				cr_expect((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_',
					  "%s: code \"%s\"", t->column, t->codes[i].code);
	}
}

Test(code_tables, zh_present_for_every_nonempty_code)
{
	for (size_t k = 0; k < NTABLES; k++) {
		const struct gt_code_table *t = all_tables[k];
		for (int i = 0; i < t->count; i++)
			if (t->codes[i].code[0])
				cr_expect(t->codes[i].zh && t->codes[i].zh[0], "%s: %s", t->column,
					  t->codes[i].code);
	}
}

/* ---- every spelling in every table finds its own entry ---- */

Test(code_lookup, every_code_matches_itself)
{
	for (size_t k = 0; k < NTABLES; k++) {
		const struct gt_code_table *t = all_tables[k];
		for (int i = 0; i < t->count; i++) {
			const char *c = t->codes[i].code;
			if (!c[0])
				continue; /* the empty route code */
			cr_expect_eq(look(t, c), i, "%s: code \"%s\"", t->column, c);
		}
	}
}

Test(code_lookup, every_zh_name_matches_its_entry)
{
	for (size_t k = 0; k < NTABLES; k++) {
		const struct gt_code_table *t = all_tables[k];
		for (int i = 0; i < t->count; i++) {
			const char *zh = t->codes[i].zh;
			if (!zh[0])
				continue;
			cr_expect_eq(look(t, zh), i, "%s: zh \"%s\" (entry %s)", t->column, zh,
				     t->codes[i].code);
		}
	}
}

Test(code_lookup, every_synonym_matches_its_entry)
{
	int seen = 0;
	for (size_t k = 0; k < NTABLES; k++) {
		const struct gt_code_table *t = all_tables[k];
		for (int i = 0; i < t->count; i++) {
			const char *s = t->codes[i].synonyms;
			while (s && *s) {
				const char *bar = strchr(s, '|');
				size_t n = bar ? (size_t)(bar - s) : strlen(s);
				cr_expect_neq(n, 0, "%s: empty synonym in %s", t->column, t->codes[i].code);
				cr_expect_eq(gt_code_lookup(t, s, n), i, "%s: synonym \"%.*s\" (entry %s)",
					     t->column, (int)n, s, t->codes[i].code);
				seen++;
				s = bar ? bar + 1 : NULL;
			}
		}
	}
	cr_expect_gt(seen, 30, "the tables should hold synonyms to test");
}

Test(code_lookup, spelling_plus_one_char_fails)
{
	/* A spelling with something appended must not match by prefix. */
	for (size_t k = 0; k < NTABLES; k++) {
		const struct gt_code_table *t = all_tables[k];
		for (int i = 0; i < t->count; i++) {
			char buf[512];
			snprintf(buf, sizeof buf, "%s级", t->codes[i].zh);
			if (t->codes[i].zh[0])
				cr_expect_eq(look(t, buf), -1, "%s: \"%s\"", t->column, buf);
		}
	}
}

/* ---- spot checks against the spec's tables ---- */

Test(code_lookup, spec_senior_synonyms)
{
	cr_expect_eq(look(&gt_skill_levels, "高级工"), GT_SKILL_SENIOR);
	cr_expect_eq(look(&gt_skill_levels, "三级"), GT_SKILL_SENIOR);
}

Test(code_lookup, spec_technician_synonyms)
{
	cr_expect_eq(look(&gt_skill_levels, "技师"), GT_SKILL_TECHNICIAN);
	cr_expect_eq(look(&gt_skill_levels, "二级"), GT_SKILL_TECHNICIAN);
}

Test(code_lookup, spec_junior_synonyms)
{
	cr_expect_eq(look(&gt_skill_levels, "五级"), GT_SKILL_JUNIOR);
	cr_expect_eq(look(&gt_skill_levels, "初级工"), GT_SKILL_JUNIOR);
}

Test(code_lookup, spec_assistant_synonyms)
{
	cr_expect_eq(look(&gt_title_levels, "助理级"), GT_TITLE_ASSISTANT);
	cr_expect_eq(look(&gt_title_levels, "助理工程师"), GT_TITLE_ASSISTANT);
}

Test(code_lookup, spec_engineering_series)
{
	cr_expect_eq(look(&gt_series_codes, "工程"), GT_SERIES_ENGINEERING);
}

Test(code_lookup, spec_high_skill_levels)
{
	cr_expect_eq(look(&gt_skill_levels, "一级"), GT_SKILL_SENIOR_TECHNICIAN);
	cr_expect_eq(look(&gt_skill_levels, "高级技师"), GT_SKILL_SENIOR_TECHNICIAN);
	cr_expect_eq(look(&gt_skill_levels, "特级技师"), GT_SKILL_PRINCIPAL_TECHNICIAN);
	cr_expect_eq(look(&gt_skill_levels, "首席技师"), GT_SKILL_CHIEF_TECHNICIAN);
	cr_expect_eq(look(&gt_skill_levels, "无"), GT_SKILL_NONE);
}

Test(code_lookup, spec_title_levels)
{
	cr_expect_eq(look(&gt_title_levels, "员级"), GT_TITLE_ENTRY);
	cr_expect_eq(look(&gt_title_levels, "技术员"), GT_TITLE_ENTRY);
	cr_expect_eq(look(&gt_title_levels, "中级"), GT_TITLE_INTERMEDIATE);
	cr_expect_eq(look(&gt_title_levels, "工程师"), GT_TITLE_INTERMEDIATE);
	cr_expect_eq(look(&gt_title_levels, "副高级"), GT_TITLE_DEPUTY_SENIOR);
	cr_expect_eq(look(&gt_title_levels, "高级工程师"), GT_TITLE_DEPUTY_SENIOR);
	cr_expect_eq(look(&gt_title_levels, "正高级"), GT_TITLE_FULL_SENIOR);
	cr_expect_eq(look(&gt_title_levels, "正高级工程师"), GT_TITLE_FULL_SENIOR);
}

Test(code_lookup, spec_roles)
{
	cr_expect_eq(look(&gt_roles, "教练"), GT_ROLE_COACH);
	cr_expect_eq(look(&gt_roles, "指导教练"), GT_ROLE_COACH);
	cr_expect_eq(look(&gt_roles, "选手"), GT_ROLE_WINNER);
}

/* The Chinese the spec writes beside each code, verbatim (the spec's
 * "national_master_studio 国家级技能大师工作室 领衔/…" is taken without its space). */
struct spec_name {
	const struct gt_code_table *t;
	const char *zh;
	int idx;
};

static const struct spec_name spec_names[] = {
	{ &gt_series_codes, "农业", GT_SERIES_AGRICULTURE },
	{ &gt_series_codes, "工艺美术", GT_SERIES_ARTS_CRAFTS },
	{ &gt_series_codes, "文物博物（群众文化）", GT_SERIES_CULTURAL_RELICS },
	{ &gt_series_codes, "实验技术", GT_SERIES_LAB_TECH },
	{ &gt_series_codes, "艺术", GT_SERIES_ART },
	{ &gt_series_codes, "体育", GT_SERIES_SPORTS },
	{ &gt_series_codes, "技工院校教师", GT_SERIES_TECH_SCHOOL_TEACHER },
	{ &gt_honours, "中华技能大奖", GT_HON_CHINA_SKILLS_AWARD },
	{ &gt_honours, "全国技术能手", GT_HON_NATIONAL_TECHNICAL_EXPERT },
	{ &gt_honours, "享受国务院政府特殊津贴", GT_HON_STATE_COUNCIL_ALLOWANCE },
	{ &gt_honours, "国家级技能大师工作室领衔/领创/领办/带头人", GT_HON_NATIONAL_MASTER_STUDIO },
	{ &gt_honours, "省级技能大师工作室（工作站）领办/领创/带头人", GT_HON_PROVINCIAL_MASTER_STUDIO },
	{ &gt_honours, "市级技能大师工作站领创人", GT_HON_MUNICIPAL_MASTER_STUDIO },
	{ &gt_honours, "国家级非物质文化遗产代表性传承人", GT_HON_NATIONAL_HERITAGE_INHERITOR },
	{ &gt_honours, "省级非物质文化遗产代表性传承人", GT_HON_PROVINCIAL_HERITAGE_INHERITOR },
	{ &gt_honours, "省级以上人才奖励或培育支持项目", GT_HON_PROVINCIAL_TALENT_PROGRAM },
	{ &gt_honours, "省（部）级以上科学技术奖", GT_HON_PROVINCIAL_SCI_TECH_AWARD },
	{ &gt_honours, "国际职业资格证书", GT_HON_INTERNATIONAL_CERTIFICATE },
	{ &gt_honours, "重庆技能大师", GT_HON_CHONGQING_SKILLS_MASTER },
	{ &gt_honours, "市级首席技能大师工作室领衔专家（重庆）", GT_HON_CHONGQING_CHIEF_MASTER_STUDIO },
	{ &gt_honours, "辽宁工匠", GT_HON_LIAONING_CRAFTSMAN },
	{ &gt_honours, "辽宁省功勋高技能人才", GT_HON_LIAONING_MERITORIOUS },
	{ &gt_honours, "辽宁省有突出贡献高技能人才", GT_HON_LIAONING_OUTSTANDING },
	{ &gt_honours, "辽宁省技术能手", GT_HON_LIAONING_TECHNICAL_EXPERT },
	{ &gt_honours, "鞍山工匠", GT_HON_ANSHAN_CRAFTSMAN },
	{ &gt_honours, "四川省技术能手", GT_HON_SICHUAN_TECHNICAL_EXPERT },
	{ &gt_honours, "天府工匠", GT_HON_TIANFU_CRAFTSMAN },
	{ &gt_honours, "四川技能大师", GT_HON_SICHUAN_SKILLS_MASTER },
	{ &gt_honours, "江苏大工匠", GT_HON_JIANGSU_GREAT_CRAFTSMAN },
	{ &gt_honours, "江苏工匠", GT_HON_JIANGSU_CRAFTSMAN },
	{ &gt_honours, "江苏省有突出贡献中青年专家", GT_HON_JIANGSU_YOUNG_EXPERT },
	{ &gt_honours, "江苏省乡土人才大师示范工作室或传承示范基地带头人", GT_HON_JIANGSU_RURAL_MASTER_STUDIO },
	{ &gt_comps, "世界技能大赛", GT_COMP_WORLDSKILLS },
	{ &gt_comps, "全国技能大赛", GT_COMP_NATIONAL_SKILLS },
	{ &gt_comps, "中华人民共和国职业技能大赛", GT_COMP_NATIONAL_SKILLS },
	{ &gt_comps, "国家级一类技能竞赛", GT_COMP_NATIONAL_CLASS1 },
	{ &gt_comps, "国家级二类技能竞赛", GT_COMP_NATIONAL_CLASS2 },
	{ &gt_comps, "中国·重庆职业技能大赛", GT_COMP_CHONGQING_SKILLS },
	{ &gt_comps, "省级（或全国行业）技能竞赛", GT_COMP_PROVINCIAL },
	{ &gt_comps, "市级技能大赛", GT_COMP_MUNICIPAL },
	{ &gt_comps, "江苏技能状元大赛（职工组）", GT_COMP_JIANGSU_CHAMPION },
	{ &gt_comps, "江苏省乡土人才技艺技能大赛总决赛", GT_COMP_JIANGSU_RURAL },
	{ &gt_comps, "省级或全国行业以上教师能力、创新创业等其他竞赛", GT_COMP_PROVINCIAL_OTHER },
	{ &gt_results, "优胜奖", GT_RES_EXCELLENCE },
	{ &gt_results, "一等奖", GT_RES_FIRST },
	{ &gt_results, "二等奖", GT_RES_SECOND },
	{ &gt_results, "三等奖", GT_RES_THIRD },
	{ &gt_roles, "技术指导专家", GT_ROLE_EXPERT },
	{ &gt_roles, "专家组组长", GT_ROLE_EXPERT_LEADER },
	{ &gt_roles, "教练组组长", GT_ROLE_COACH_LEADER },
	{ &gt_roles, "指导学生参赛", GT_ROLE_STUDENT_COACH },
	{ &gt_schools, "中级工班", GT_SCHOOL_INTERMEDIATE_WORKER },
	{ &gt_schools, "高级工班", GT_SCHOOL_SENIOR_WORKER },
	{ &gt_schools, "预备技师（技师）班", GT_SCHOOL_PREPARATORY_TECHNICIAN },
	{ &gt_evidence_codes, "身份证", GT_EV_ID_CARD },
	{ &gt_evidence_codes, "职业资格或职业技能等级证书", GT_EV_SKILL_CERTIFICATE },
	{ &gt_evidence_codes, "职称证书", GT_EV_TITLE_CERTIFICATE },
	{ &gt_evidence_codes, "单位出具的从事相关工作年限证明", GT_EV_WORK_RECORD },
	{ &gt_evidence_codes, "近三年年度考核结果", GT_EV_APPRAISAL_RECORDS },
	{ &gt_evidence_codes, "获奖或荣誉证书", GT_EV_AWARD_CERTIFICATE },
	{ &gt_evidence_codes, "表彰文件", GT_EV_COMMENDATION_DOCUMENT },
	{ &gt_evidence_codes, "相关专业毕业证书", GT_EV_DIPLOMA },
	{ &gt_evidence_codes, "技工院校毕业证书", GT_EV_TECH_SCHOOL_CERTIFICATE },
	{ &gt_evidence_codes, "一线岗位证明", GT_EV_FRONTLINE_PROOF },
	{ &gt_evidence_codes, "在本地区就业证明（劳动合同或社保记录）", GT_EV_EMPLOYMENT_PROOF },
	{ &gt_evidence_codes, "业绩成果材料", GT_EV_ACHIEVEMENT_EVIDENCE },
	{ &gt_evidence_codes, "国际职业资格证书", GT_EV_INTERNATIONAL_CERTIFICATE },
};

Test(code_lookup, spec_chinese_names_accepted)
{
	for (size_t i = 0; i < sizeof spec_names / sizeof spec_names[0]; i++)
		cr_expect_eq(look(spec_names[i].t, spec_names[i].zh), spec_names[i].idx,
			     "%s: \"%s\"", spec_names[i].t->column, spec_names[i].zh);
}

/* The two spec spellings below are written in the spec's honours and
 * competitions lists but are absent from core/gt_codes.c. */
Test(code_lookup, spec_name_provincial_gov_award_accepted)
{
	cr_expect_eq(look(&gt_honours,
			  "省级以上人民政府（或经其同意由省级部门）颁发的优秀成果奖、自然科学奖、技术发明奖、科学进步奖"),
		     GT_HON_PROVINCIAL_GOV_AWARD);
}

Test(code_lookup, spec_name_national_skills_full_accepted)
{
	cr_expect_eq(look(&gt_comps, "中华人民共和国职业技能大赛（全国技能大赛）"),
		     GT_COMP_NATIONAL_SKILLS);
}

/* ---- the index (gt_code_index) against the search in order ---- */

static void expect_same(const struct gt_code_table *t, const char *s, size_t n)
{
	cr_expect_eq(gt_code_lookup(t, s, n), gt_code_lookup_in_order(t, s, n),
		     "table %s, \"%.*s\"", t->column, (int)n, s);
	cr_expect_eq(gt_code_find(t, s, n), gt_code_lookup_in_order(t, s, n),
		     "gt_code_find: table %s, \"%.*s\"", t->column, (int)n, s);
}

Test(code_lookup, index_agrees_with_search_in_order)
{
	for (size_t k = 0; k < NTABLES; k++) {
		const struct gt_code_table *t = all_tables[k];
		cr_assert(t->index && t->index->ready, "table %s has no index", t->column);
		for (int i = 0; i < t->count; i++) {
			const char *code = t->codes[i].code;
			size_t n = strlen(code);
			if (n)
				cr_expect_eq(gt_code_lookup(t, code, n), i, "table %s, %s", t->column, code);
			char buf[300];
			/* Every prefix, the code with a byte more, and every one-byte change. */
			for (size_t m = 0; m <= n; m++)
				expect_same(t, code, m);
			snprintf(buf, sizeof buf, "%s_", code);
			expect_same(t, buf, n + 1);
			for (size_t m = 0; m < n; m++)
				for (int b = 0x20; b < 0x7F; b++) {
					memcpy(buf, code, n);
					buf[m] = (char)b;
					expect_same(t, buf, n);
				}
			/* Every other table's codes, looked up in this one. */
			for (size_t j = 0; j < NTABLES; j++)
				for (int o = 0; o < all_tables[j]->count; o++) {
					const char *c = all_tables[j]->codes[o].code;
					expect_same(t, c, strlen(c));
				}
		}
	}
}

/* screen writes the columns of codes without quoting or making them visible
 * (gt_out_plain): every code must be lower-case ASCII, digits and '_'. */
Test(code_lookup, codes_need_no_quoting)
{
	for (size_t k = 0; k < NTABLES; k++)
		for (int i = 0; i < all_tables[k]->count; i++)
			for (const char *p = all_tables[k]->codes[i].code; *p; p++)
				cr_expect((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_',
					  "table %s, code %s", all_tables[k]->column, all_tables[k]->codes[i].code);
}

/* The queue's short names: in English at most 14 cells (its level column)
 * and never a code of any table (but "technician", which is the English
 * name too); under the Chinese names, the Chinese names themselves. */
Test(code_tables, short_names_fit_and_are_no_codes)
{
	const struct gt_code_table *all[] = { &gt_regions, &gt_directions, &gt_series_codes,
		&gt_skill_levels, &gt_title_levels, &gt_honours, &gt_comps, &gt_results, &gt_roles,
		&gt_schools, &gt_evidence_codes, &gt_unmet_codes, &gt_routes, &gt_outcomes };
	const struct gt_code_table *shown[] = { &gt_regions, &gt_skill_levels, &gt_title_levels };
	for (size_t s = 0; s < sizeof shown / sizeof shown[0]; s++)
		for (int i = 0; i < shown[s]->count; i++) {
			gt_set_names_zh(true);
			cr_expect_str_eq(gt_short_name_of(shown[s], i), gt_zh_of(shown[s], i));
			gt_set_names_zh(false);
			const char *n = gt_short_name_of(shown[s], i);
			cr_expect(gt_text_width(n) >= 1 && gt_text_width(n) <= 14, "\"%s\" is %d cells", n,
				  gt_text_width(n));
			if (strcmp(n, gt_en_of(shown[s], i)) == 0 && strcmp(n, gt_code_of(shown[s], i)) == 0)
				continue;
			for (size_t t = 0; t < sizeof all / sizeof all[0]; t++)
				for (int k = 0; k < all[t]->count; k++)
					cr_expect_str_neq(n, gt_code_of(all[t], k), "\"%s\" is a code of %s", n,
							  all[t]->column);
		}
}

/* ---- gt_code_list_exact, the one-pass reading of a list cell ---- */

/* The reference: the cell split at every ';', each item exactly a code of 2
 * to 24 bytes (found in order); the cells gt_code_list_exact must take, and
 * the mask they give. */
static bool list_exact_ref(const struct gt_code_table *t, const char *s, size_t n, uint32_t *mask)
{
	uint32_t m = 0;
	for (size_t from = 0;;) {
		const char *semi = memchr(s + from, ';', n - from);
		size_t to = semi ? (size_t)(semi - s) : n;
		int i = gt_code_lookup_in_order(t, s + from, to - from);
		if (i < 0 || to - from < 2 || to - from > 24)
			return false;
		m |= 1u << i;
		if (!semi)
			break;
		from = to + 1;
	}
	*mask = m;
	return true;
}

static unsigned list_rand(unsigned *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 16;
}

/* Random cells of codes, most of them plain lists, the rest broken in the
 * ways a typed cell is (a blank, an empty item, a doubled or a trailing ';',
 * a code cut short or one byte longer or changed, a Chinese name, another
 * table's code): the fast reading takes exactly the plain ones, with the
 * reference's mask, and leaves the rest alone. */
Test(code_list_exact, agrees_with_item_by_item)
{
	/* the honours' and competitions' codes share first bytes ("national_"):
	 * no prefix index, no cell taken */
	const struct gt_code_table *lists[] = { &gt_evidence_codes, &gt_honours, &gt_comps };
	cr_expect(gt_evidence_codes.index->pready && !gt_honours.index->pready && !gt_comps.index->pready);
	unsigned state = 12345;
	long taken = 0, left = 0;
	for (int round = 0; round < 200000; round++) {
		const struct gt_code_table *t = lists[round % (sizeof lists / sizeof lists[0])];
		char cell[400];
		size_t n = 0;
		int items = 1 + (int)(list_rand(&state) % 8);
		for (int j = 0; j < items; j++) {
			const struct gt_code *c = &t->codes[list_rand(&state) % (unsigned)t->count];
			const char *word = c->code;
			unsigned how = list_rand(&state) % 40;
			if (how == 0)
				word = c->zh;
			else if (how == 1)
				word = gt_evidence_codes.codes[list_rand(&state) % (unsigned)gt_evidence_codes.count].code;
			size_t len = strlen(word);
			if (n + len + 4 >= sizeof cell)
				break;
			if (j && how != 2)
				cell[n++] = ';';
			if (how == 3)
				cell[n++] = ' ';
			if (how == 4)
				cell[n++] = ';';
			memcpy(cell + n, word, len);
			if (how == 5 && len > 1)
				len--;
			else if (how == 6)
				cell[n + len++] = 'x';
			else if (how == 7 && len)
				cell[n + list_rand(&state) % len] ^= 0x20;
			n += len;
			if (how == 8)
				cell[n++] = ' ';
		}
		if (list_rand(&state) % 50 == 0)
			cell[n++] = ';';
		uint32_t want = 0, got = 0xDEAD;
		bool ref = t->index->pready && list_exact_ref(t, cell, n, &want);
		bool fast = gt_code_list_exact(t, cell, n, &got);
		cr_assert_eq(fast, ref, "table %s, \"%.*s\": fast %d, reference %d", t->column, (int)n, cell, fast,
			     ref);
		if (ref) {
			cr_assert_eq(got, want, "table %s, \"%.*s\"", t->column, (int)n, cell);
			taken++;
		} else {
			cr_assert_eq(got, 0xDEAD, "table %s: the mask written for a cell left alone", t->column);
			left++;
		}
	}
	cr_expect(taken > 20000 && left > 100000, "%ld cells taken, %ld left", taken, left);
}
