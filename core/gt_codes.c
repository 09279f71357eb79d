/* The code tables of the case CSV contract. */
#include <stdbool.h>
#include <string.h>

#include "gt_codes.h"
#include "gt_text.h"

#define TABLE(name, col, arr) \
	static struct gt_code_index name##_index; \
	const struct gt_code_table name = { col, arr, (int)(sizeof arr / sizeof arr[0]), &name##_index }

static const struct gt_code region_codes[] = {
	{ "chongqing", "Chongqing", "重庆", NULL },
	{ "anshan", "Anshan", "鞍山", NULL },
	{ "sichuan", "Sichuan", "四川", NULL },
	{ "jiangsu", "Jiangsu", "江苏", NULL },
	{ "guangzhou", "Guangzhou", "广州", NULL },
};
TABLE(gt_regions, "region", region_codes);

static const struct gt_code direction_codes[] = {
	{ "skill_to_title", "skilled worker to professional title", "高技能人才参加职称评审", NULL },
	{ "title_to_skill", "professional title to skill level", "专业技术人才参加职业技能评价", NULL },
};
TABLE(gt_directions, "direction", direction_codes);

static const struct gt_code series_code_list[] = {
	{ "engineering", "engineering", "工程", NULL },
	{ "agriculture", "agriculture", "农业", NULL },
	{ "arts_crafts", "arts and crafts", "工艺美术", NULL },
	{ "cultural_relics", "cultural relics (mass culture)", "文物博物（群众文化）", "文物博物|群众文化|文物博物(群众文化)" },
	{ "lab_tech", "laboratory technology", "实验技术", NULL },
	{ "art", "art", "艺术", NULL },
	{ "sports", "sports", "体育", NULL },
	{ "tech_school_teacher", "technical school teachers", "技工院校教师", NULL },
};
TABLE(gt_series_codes, "series", series_code_list);

static const struct gt_code skill_codes[] = {
	{ "none", "no skill level", "无", NULL },
	{ "junior", "junior worker", "初级工", "五级" },
	{ "intermediate", "intermediate worker", "中级工", "四级" },
	{ "senior", "senior worker", "高级工", "三级" },
	{ "technician", "technician", "技师", "二级" },
	{ "senior_technician", "senior technician", "高级技师", "一级" },
	{ "principal_technician", "principal technician", "特级技师", NULL },
	{ "chief_technician", "chief technician", "首席技师", NULL },
};
TABLE(gt_skill_levels, "skill_level", skill_codes);

static const struct gt_code title_codes[] = {
	{ "none", "no title", "无", NULL },
	{ "entry", "entry level", "员级", "技术员" },
	{ "assistant", "assistant level", "助理级", "助理工程师" },
	{ "intermediate", "intermediate level", "中级", "工程师" },
	{ "deputy_senior", "deputy senior level", "副高级", "高级工程师" },
	{ "full_senior", "full senior level", "正高级", "正高级工程师" },
};
TABLE(gt_title_levels, "title_level", title_codes);

static const struct gt_code honour_codes[] = {
	{ "china_skills_award", "China Skills Award", "中华技能大奖", NULL },
	{ "national_technical_expert", "National Technical Expert", "全国技术能手", NULL },
	{ "state_council_allowance", "State Council special allowance", "享受国务院政府特殊津贴", "国务院政府特殊津贴|国务院特殊津贴" },
	{ "national_master_studio", "head of a national skills master studio", "国家级技能大师工作室领衔/领创/领办/带头人",
	  "国家级技能大师工作室|国家级技能大师工作室 领衔/领创/领办/带头人|国家级技能大师工作室领衔人|国家级技能大师工作室领创人|"
	  "国家级技能大师工作室领办人|国家级技能大师工作室带头人" },
	{ "provincial_master_studio", "head of a provincial skills master studio", "省级技能大师工作室（工作站）领办/领创/带头人",
	  "省级技能大师工作室|省级技能大师工作站|省级技能大师工作室领办人|"
	  "省级技能大师工作站领创人|省级技能大师工作室带头人" },
	{ "municipal_master_studio", "founder of a municipal skills master station", "市级技能大师工作站领创人", "市级技能大师工作站" },
	{ "national_heritage_inheritor", "national intangible heritage inheritor", "国家级非物质文化遗产代表性传承人", NULL },
	{ "provincial_heritage_inheritor", "provincial intangible heritage inheritor", "省级非物质文化遗产代表性传承人", NULL },
	{ "provincial_gov_award", "provincial government achievement award",
	  "省级以上人民政府颁发的优秀成果奖、自然科学奖、技术发明奖、科学进步奖",
	  "省级以上人民政府（或经其同意由省级部门）颁发的优秀成果奖、自然科学奖、技术发明奖、科学进步奖" },
	{ "provincial_talent_program", "provincial talent award or programme", "省级以上人才奖励或培育支持项目", NULL },
	{ "provincial_sci_tech_award", "provincial or ministerial science and technology award", "省（部）级以上科学技术奖", "省部级以上科学技术奖" },
	{ "international_certificate", "international vocational qualification certificate", "国际职业资格证书", NULL },
	{ "chongqing_skills_master", "Chongqing Skills Master", "重庆技能大师", NULL },
	{ "chongqing_chief_master_studio", "lead expert of a Chongqing chief skills master studio", "市级首席技能大师工作室领衔专家（重庆）",
	  "市级首席技能大师工作室领衔专家" },
	{ "liaoning_craftsman", "Liaoning Craftsman", "辽宁工匠", NULL },
	{ "liaoning_meritorious", "Liaoning meritorious highly skilled talent", "辽宁省功勋高技能人才", NULL },
	{ "liaoning_outstanding", "Liaoning highly skilled talent of outstanding contribution", "辽宁省有突出贡献高技能人才", NULL },
	{ "liaoning_technical_expert", "Liaoning Technical Expert", "辽宁省技术能手", NULL },
	{ "anshan_craftsman", "Anshan Craftsman", "鞍山工匠", NULL },
	{ "sichuan_technical_expert", "Sichuan Technical Expert", "四川省技术能手", NULL },
	{ "tianfu_craftsman", "Tianfu Craftsman", "天府工匠", NULL },
	{ "sichuan_skills_master", "Sichuan Skills Master", "四川技能大师", NULL },
	{ "jiangsu_great_craftsman", "Jiangsu Great Craftsman", "江苏大工匠", NULL },
	{ "jiangsu_craftsman", "Jiangsu Craftsman", "江苏工匠", NULL },
	{ "jiangsu_young_expert", "Jiangsu young or middle-aged expert of outstanding contribution", "江苏省有突出贡献中青年专家", "省有突出贡献中青年专家" },
	{ "jiangsu_rural_master_studio", "head of a Jiangsu rural talent master studio or base", "江苏省乡土人才大师示范工作室或传承示范基地带头人", NULL },
};
TABLE(gt_honours, "honors", honour_codes);

static const struct gt_code comp_codes[] = {
	{ "worldskills", "WorldSkills Competition", "世界技能大赛", NULL },
	{ "national_skills", "National Skills Competition", "全国技能大赛",
	  "中华人民共和国职业技能大赛|中华人民共和国职业技能大赛（全国技能大赛）" },
	{ "national_class1", "national class I competition", "国家级一类技能竞赛", NULL },
	{ "national_class2", "national class II competition", "国家级二类技能竞赛", NULL },
	{ "chongqing_skills", "Chongqing Vocational Skills Competition", "中国·重庆职业技能大赛", "重庆职业技能大赛" },
	{ "provincial", "provincial (or national industry) competition", "省级（或全国行业）技能竞赛", "省级技能竞赛|全国行业技能竞赛" },
	{ "municipal", "municipal competition", "市级技能大赛", NULL },
	{ "jiangsu_champion", "Jiangsu Skills Champion Competition", "江苏技能状元大赛（职工组）", "江苏技能状元大赛" },
	{ "jiangsu_rural", "Jiangsu rural talent skills final", "江苏省乡土人才技艺技能大赛总决赛", "江苏省乡土人才技艺技能大赛" },
	{ "provincial_other", "other provincial or national industry competition", "省级或全国行业以上教师能力、创新创业等其他竞赛", NULL },
};
TABLE(gt_comps, "competitions", comp_codes);

static const struct gt_code result_codes[] = {
	{ "gold", "gold medal", "金牌", NULL },
	{ "silver", "silver medal", "银牌", NULL },
	{ "bronze", "bronze medal", "铜牌", NULL },
	{ "excellence", "medallion for excellence", "优胜奖", NULL },
	{ "first", "first prize", "一等奖", NULL },
	{ "second", "second prize", "二等奖", NULL },
	{ "third", "third prize", "三等奖", NULL },
	{ "rank", "place", "名次", NULL }, /* written rankN; parsed by gt_case.c */
};
TABLE(gt_results, "competitions", result_codes);

static const struct gt_code role_codes[] = {
	{ "winner", "competitor", "选手", "获得者" },
	{ "coach", "coach", "指导教练", "教练" },
	{ "expert", "technical expert", "技术指导专家", NULL },
	{ "expert_leader", "head of the expert group", "专家组组长", "专家组长" },
	{ "coach_leader", "head coach", "教练组组长", "教练组长" },
	{ "student_coach", "coach of a student", "指导学生参赛", NULL },
};
TABLE(gt_roles, "competitions", role_codes);

static const struct gt_code school_codes[] = {
	{ "none", "no technical school class", "无", NULL },
	{ "intermediate_worker", "intermediate worker class", "中级工班", NULL },
	{ "senior_worker", "senior worker class", "高级工班", NULL },
	{ "preparatory_technician", "preparatory technician class", "预备技师（技师）班", "预备技师班|技师班" },
};
TABLE(gt_schools, "tech_school_class", school_codes);

static const struct gt_code evidence_code_list[] = {
	{ "id_card", "identity card", "身份证", NULL },
	{ "skill_certificate", "skill certificate", "职业资格或职业技能等级证书", NULL },
	{ "title_certificate", "title certificate", "职称证书", NULL },
	{ "work_record", "employer's record of years of work", "单位出具的从事相关工作年限证明", "工作年限证明" },
	{ "appraisal_records", "annual appraisals of the last three years", "近三年年度考核结果", "年度考核结果" },
	{ "award_certificate", "award or honour certificate", "获奖或荣誉证书", NULL },
	{ "commendation_document", "commendation document", "表彰文件", NULL },
	{ "diploma", "diploma in a related specialty", "相关专业毕业证书", "毕业证书" },
	{ "tech_school_certificate", "technical school diploma", "技工院校毕业证书", NULL },
	{ "frontline_proof", "proof of a frontline post", "一线岗位证明", NULL },
	{ "employment_proof", "proof of employment in the region", "在本地区就业证明（劳动合同或社保记录）", "在本地区就业证明" },
	{ "achievement_evidence", "record of achievements", "业绩成果材料", NULL },
	{ "international_certificate", "international vocational qualification certificate", "国际职业资格证书", NULL },
};
TABLE(gt_evidence_codes, "evidence", evidence_code_list);

static const struct gt_code unmet_code_list[] = {
	{ "scope_level", "outside the levels the document covers", "不在文件适用的层级范围", NULL },
	{ "scope_series", "outside the title series the document covers", "不在文件适用的职称系列", NULL },
	{ "scope_region", "not employed in the region", "不在本地区就业", NULL },
	{ "scope_pilot", "not in a pilot enterprise", "不在试点企业", NULL },
	{ "held_level", "does not hold the level the rule needs", "未取得规则所需的等级或职称", NULL },
	{ "related", "the held level is not in a related specialty", "所持等级或职称与申报专业（职业）不对应", NULL },
	{ "years_since_level", "too few years since the level was obtained", "取得等级后工作年限不足", NULL },
	{ "years_cumulative", "too few years of work in all", "累计工作年限不足", NULL },
	{ "appraisal", "not every annual appraisal of the last three years passed", "近3年年度考核未全部合格", NULL },
	{ "frontline", "not in a frontline post", "不在生产服务一线岗位", NULL },
	{ "honour", "no honour or competition result the rule needs", "缺少规则所需的荣誉或竞赛成绩", NULL },
	{ "years_in_region", "too few years with enterprises in the region", "在本地区企业工作年限不足", NULL },
	{ "no_rule", "no rule gives the level applied for", "没有规则给出所申报的等级", NULL },
};
TABLE(gt_unmet_codes, "unmet", unmet_code_list);

static const struct gt_code route_codes[] = {
	{ "", "", "", NULL },
	{ "regular", "regular", "年限贯通", NULL },
	{ "green_channel", "green channel", "破格／绿色通道", NULL },
	{ "direct", "direct", "直接认定／直接申报", NULL },
	{ "competition", "competition", "以赛代评", NULL },
};
TABLE(gt_routes, "route", route_codes);

static const struct gt_code outcome_codes[] = {
	{ "eligible", "eligible", "符合条件", NULL },
	{ "needs_evidence", "needs evidence", "条件符合，材料待补", NULL },
	{ "not_eligible", "not eligible", "不符合条件", NULL },
	{ "vetoed", "vetoed", "一票否决", NULL },
	{ "manual_review", "manual review", "需人工审核", NULL },
	{ "invalid", "invalid", "数据有误", NULL },
};
TABLE(gt_outcomes, "outcome", outcome_codes);

static int synonym_match(const char *list, const char *s, size_t n)
{
	while (list && *list) {
		const char *bar = strchr(list, '|');
		size_t len = bar ? (size_t)(bar - list) : strlen(list);
		if (len == n && memcmp(list, s, n) == 0)
			return 1;
		list = bar ? bar + 1 : NULL;
	}
	return 0;
}

/* Multipliers to try: odd numbers from splitmix64, the same every start. */
static uint64_t next_mul(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15u);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return (z ^ (z >> 31)) | 1;
}

/* The prefix index, for a table whose codes of 2 to 24 bytes all differ in
 * their first two bytes (a code outside those lengths is never found by it:
 * its lists are read item by item). */
static void prefix_build(const struct gt_code_table *t)
{
	struct gt_code_index *ix = t->index;
	for (int i = 0; i < t->count; i++)
		for (int k = 0; k < i; k++)
			if (ix->len[i] >= 2 && ix->len[k] >= 2 && ix->len[i] <= 24 && ix->len[k] <= 24 &&
			    memcmp(t->codes[i].code, t->codes[k].code, 2) == 0)
				return; /* two codes share their first two bytes */
	uint64_t state = 1;
	for (int tries = 0; tries < 100000; tries++) {
		memset(ix->pslot, 0, sizeof ix->pslot);
		ix->pmul = next_mul(&state);
		bool clash = false;
		for (int i = 0; i < t->count && !clash; i++) {
			if (ix->len[i] < 2 || ix->len[i] > 24)
				continue;
			unsigned h = gt_code_prefix_hash(ix->pmul, t->codes[i].code);
			clash = ix->pslot[h] != 0;
			ix->pslot[h] = (uint8_t)(i + 1);
		}
		if (!clash) {
			ix->pready = 1;
			return;
		}
	}
}

static void index_build(const struct gt_code_table *t)
{
	struct gt_code_index *ix = t->index;
	if (t->count > (int)sizeof ix->len)
		return; /* never: a code mask has 32 bits */
	for (int i = 0; i < t->count; i++) {
		size_t n = strlen(t->codes[i].code);
		ix->len[i] = (uint8_t)(n <= 255 ? n : 0);
		if (ix->len[i])
			gt_code_key(t->codes[i].code, n, ix->key[i]);
	}
	uint64_t state = 0;
	for (int tries = 0; tries < 100000; tries++) {
		memset(ix->slot, 0, sizeof ix->slot);
		ix->mul = next_mul(&state);
		bool clash = false;
		for (int i = 0; i < t->count && !clash; i++) {
			if (!ix->len[i])
				continue; /* never looked up: the empty code, a code too long */
			unsigned h = gt_code_hash(ix->mul, ix->key[i], ix->len[i]);
			if (!ix->slot[h]) {
				ix->slot[h] = (uint8_t)(i + 1);
				continue;
			}
			/* The first of equal codes wins, as the search in order gives. */
			int k = ix->slot[h] - 1;
			clash = ix->len[k] != ix->len[i] ||
				memcmp(t->codes[k].code, t->codes[i].code, ix->len[i]) != 0;
		}
		if (!clash) {
			ix->ready = 1;
			prefix_build(t);
			return;
		}
	}
	/* No multiplier found: the table is searched in order. */
}

__attribute__((constructor)) static void codes_index_all(void)
{
	const struct gt_code_table *all[] = {
		&gt_regions, &gt_directions, &gt_series_codes, &gt_skill_levels, &gt_title_levels,
		&gt_honours, &gt_comps, &gt_results, &gt_roles, &gt_schools, &gt_evidence_codes,
		&gt_unmet_codes, &gt_routes, &gt_outcomes,
	};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		index_build(all[i]);
}

int gt_code_lookup_in_order(const struct gt_code_table *t, const char *s, size_t n)
{
	if (n == 0)
		return -1;
	for (int i = 0; i < t->count; i++) {
		const char *c = t->codes[i].code;
		if (c[0] == s[0] && strncmp(c, s, n) == 0 && c[n] == '\0')
			return i;
	}
	return -1;
}

/* Chinese spellings: the display names and their synonyms. */
__attribute__((noinline)) static int lookup_zh(const struct gt_code_table *t, const char *s, size_t n)
{
	for (int i = 0; i < t->count; i++) {
		const char *zh = t->codes[i].zh;
		if (zh[0] && strlen(zh) == n && memcmp(zh, s, n) == 0)
			return i;
		if (synonym_match(t->codes[i].synonyms, s, n))
			return i;
	}
	return -1;
}

/* Everything but an ASCII code found in the index: an empty text, a table
 * not indexed, and the Chinese spellings. */
__attribute__((noinline)) static int lookup_slow(const struct gt_code_table *t, const char *s, size_t n)
{
	if (n == 0)
		return -1;
	const struct gt_code_index *ix = t->index;
	int found = ix && ix->ready ? -1 : gt_code_lookup_in_order(t, s, n);
	/* Chinese spellings: only when the text is not plain ASCII. */
	if (found >= 0 || (unsigned char)s[0] < 0x80)
		return found;
	return lookup_zh(t, s, n);
}

int gt_code_lookup(const struct gt_code_table *t, const char *s, size_t n)
{
	const struct gt_code_index *ix = t->index;
	if (n == 0 || !ix || !ix->ready)
		return lookup_slow(t, s, n);
	uint64_t k[3];
	gt_code_key(s, n, k);
	int e = ix->slot[gt_code_hash(ix->mul, k, n)];
	if (e) {
		const uint64_t *c = ix->key[e - 1];
		if (ix->len[e - 1] == n && ((k[0] ^ c[0]) | (k[1] ^ c[1]) | (k[2] ^ c[2])) == 0 &&
		    (n <= 24 || memcmp(t->codes[e - 1].code, s, n) == 0))
			return e - 1;
	}
	if ((unsigned char)s[0] < 0x80)
		return -1;
	return lookup_slow(t, s, n);
}

const char *gt_name_of(const struct gt_code_table *t, int i)
{
	return gt_names_zh() ? gt_zh_of(t, i) : gt_en_of(t, i);
}

/* Short English names of the levels, for the queue's 14-cell column (the
 * names run to 20: "principal technician"); none spelled as a code. */
static const char *const skill_short[] = {
	"no skill level", "junior worker", "interm. worker", "senior worker",
	"technician", "senior tech.", "princ. tech.", "chief tech.",
};
static const char *const title_short[] = {
	"no title", "entry level", "assist. level", "interm. level", "deputy senior", "full senior",
};
_Static_assert(sizeof skill_short / sizeof skill_short[0] == sizeof skill_codes / sizeof skill_codes[0],
	       "a short name for every skill level");
_Static_assert(sizeof title_short / sizeof title_short[0] == sizeof title_codes / sizeof title_codes[0],
	       "a short name for every title level");

const char *gt_short_name_of(const struct gt_code_table *t, int i)
{
	if (!gt_names_zh() && i >= 0 && i < t->count) {
		if (t == &gt_skill_levels)
			return skill_short[i];
		if (t == &gt_title_levels)
			return title_short[i];
	}
	return gt_name_of(t, i);
}
