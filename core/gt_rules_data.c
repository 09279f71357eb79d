/* The five regional documents (../shared/seeds/) as rule rows. Each row cites
 * its clause; readings: ../shared/spec/interpretations.md (item numbers in the
 * comments as "interp. N") and doc/rules.md ("reading N"). */
#include "gt_i18n.h"
#include "gt_rules.h"

#define SK(x) (1u << GT_SKILL_##x)
#define TL(x) (1u << GT_TITLE_##x)
#define HON(x) (1u << GT_HON_##x)
#define CMP(x) (1u << GT_COMP_##x)
#define RES(x) (1u << GT_RES_##x)
#define ROLE(x) (1u << GT_ROLE_##x)
#define EV(x) (1u << GT_EV_##x)

#define ALL_SERIES 0xFFu
#define NO_MAX 0xFFu

/* Results (interp. 6). */
#define MEDALS (RES(GOLD) | RES(SILVER) | RES(BRONZE))
#define EXCELLENCE_UP (RES(EXCELLENCE) | MEDALS)
#define SECOND_UP (RES(FIRST) | RES(SECOND) | RES(GOLD) | RES(SILVER))
#define FIRST_PRIZE (RES(FIRST) | RES(GOLD))
#define PRIZES (RES(FIRST) | RES(SECOND) | RES(THIRD))
#define ANY_RESULT (MEDALS | RES(EXCELLENCE) | PRIZES | RES(RANK))
#define RANK(a, b, c) { a, b, c }
#define NO_RANK { 0, 0, 0 }

/* Competition tiers (reading 5). */
#define PROVINCIAL_UP (CMP(WORLDSKILLS) | CMP(NATIONAL_SKILLS) | CMP(NATIONAL_CLASS1) | \
	CMP(NATIONAL_CLASS2) | CMP(CHONGQING_SKILLS) | CMP(PROVINCIAL) | \
	CMP(JIANGSU_CHAMPION) | CMP(JIANGSU_RURAL))
#define NATIONAL_TIER (CMP(NATIONAL_SKILLS) | CMP(NATIONAL_CLASS1) | CMP(NATIONAL_CLASS2))
#define NATIONAL_AND_PROVINCIAL (NATIONAL_TIER | CMP(PROVINCIAL) | CMP(CHONGQING_SKILLS) | \
	CMP(JIANGSU_CHAMPION) | CMP(JIANGSU_RURAL))

/* Roles (reading 6). */
#define WINNER ROLE(WINNER)
#define WINNER_COACH (ROLE(WINNER) | ROLE(COACH) | ROLE(COACH_LEADER))
#define WINNER_EXPERT_COACH (WINNER_COACH | ROLE(EXPERT) | ROLE(EXPERT_LEADER))
#define WINNER_LEADERS (ROLE(WINNER) | ROLE(EXPERT_LEADER) | ROLE(COACH_LEADER))
#define COACHES (ROLE(COACH) | ROLE(COACH_LEADER))

#define S2T GT_DIR_SKILL_TO_TITLE
#define T2S GT_DIR_TITLE_TO_SKILL

#define CQ GT_REGION_CHONGQING
#define AS GT_REGION_ANSHAN
#define SC GT_REGION_SICHUAN
#define JS GT_REGION_JIANGSU
#define GZ GT_REGION_GUANGZHOU

const struct gt_document gt_documents[GT_REGION_COUNT] = {
	[CQ] = { .region = CQ, .number = "渝人社发〔2021〕55号", .version = "1",
		 .title = "重庆市《进一步加强高技能人才与专业技术人才职业发展贯通的实施方案》",
		 .source = "000_e09589a5be8507af.txt", .effective_ymd = 20211210,
		 .effective_clause = "印发通知",
		 .veto_clause = "二" },
	[AS] = { .region = AS, .number = "鞍人社〔2020〕33号", .version = "1",
		 .title = "《关于高技能人才与工程技术人才职业发展贯通工作实施方案》",
		 .source = "001_44020f85bb2052e6.txt", .effective_ymd = 20200525,
		 .effective_clause = "落款",
		 .veto_clause = "二（三）" },
	/* The text bears no number or date: its 进度安排 第二阶段 (interp. 38). */
	[SC] = { .region = SC, .number = "《四川省高技能人才与专业技术人才职业发展贯通实施方案》", .version = "1",
		 .title = "四川省高技能人才与专业技术人才职业发展贯通实施方案",
		 .source = "002_25ee1ee5849dee1a.txt", .effective_ymd = 20211101,
		 .effective_clause = "四 第二阶段",
		 .veto_clause = "二（一）" },
	[JS] = { .region = JS, .number = "苏人社发〔2021〕132号", .version = "1",
		 .title = "《江苏省高技能人才与专业技术人才职业发展贯通改革实施方案》（通人社专〔2022〕1号转发）",
		 .source = "003_2c716e3d4377715c.txt", .effective_ymd = 20211230,
		 .effective_clause = "印发通知",
		 .veto_clause = "“对通过弄虚作假……一律无效”段" },
	[GZ] = { .region = GZ, .number = "广州市《高技能人才与专业技术人才职业融合发展试点实施方案》", .version = "1",
		 .title = "高技能人才与专业技术人才职业融合发展试点实施方案（新闻报道）",
		 .source = "004_83e023296301b12d.txt", .effective_ymd = 20221222,
		 .effective_clause = "导语第1段",
		 .veto_clause = "" /* no integrity clause: the document number alone (interp. 37) */ },
};

/* Guangzhou is known through a news report with headings but no numbering:
 * its clauses are cited by heading and paragraph. */
#define GZ_INTRO "导语第2段"
#define GZ_SKILL_TO_TITLE "「试点开展高技能人才与专业技术人才职业融合发展」第1段"
#define GZ_TITLE_TO_SKILL "「试点开展高技能人才与专业技术人才职业融合发展」第2段"
#define GZ_COMPETITION "「推动建立“以赛代评”人才评价模式」第1段"

const struct gt_scope gt_scopes[GT_REGION_COUNT][GT_DIR_COUNT] = {
	[CQ] = {
		[S2T] = { CQ, S2T, GT_SKILL_SENIOR, 0, "二（一）（高技能人才；解释第1条）",
			  ALL_SERIES, "序言（贯通领域）", "二", false, NULL,
			  GT_FL_NONE, NULL, true, "二", "二（一）" },
		[T2S] = { CQ, T2S, 0, 0, NULL,
			  ALL_SERIES, "序言（贯通领域）", "二", false, NULL,
			  GT_FL_NONE, NULL, true, "二", "二（二）" },
	},
	[AS] = {
		[S2T] = { AS, S2T, GT_SKILL_SENIOR, 0, "三（一）",
			  1u << GT_SERIES_ENGINEERING, "一", "一", false, NULL,
			  GT_FL_FRONTLINE, "一", true, "三（一）", "三" },
		[T2S] = { AS, T2S, 0, 0, NULL,
			  1u << GT_SERIES_ENGINEERING, "一", "一", false, NULL,
			  GT_FL_NONE, NULL, false, NULL, "四" },
	},
	[SC] = {
		[S2T] = { SC, S2T, GT_SKILL_SENIOR, 0, "三（一）1",
			  ALL_SERIES, "三（一）1", "三（一）1", false, NULL,
			  GT_FL_NONE, NULL, true, "附件1 三", "附件1",
			  /* 附件1 五（二）3, 五（三）2-3, 五（四）2-4 and 六 (interp. 26) */
			  TL(INTERMEDIATE) | TL(DEPUTY_SENIOR) | TL(FULL_SENIOR), "附件1 五", false, NULL },
		[T2S] = { SC, T2S, 0, 0, NULL,
			  ALL_SERIES, "三（三）1", "三（三）1", false, NULL,
			  GT_FL_NONE, NULL, true, "附件2 三", "附件2",
			  /* 附件2 五（二）3, 五（三）3-4 (interp. 26) */
			  SK(TECHNICIAN) | SK(SENIOR_TECHNICIAN), "附件2 五", false, NULL },
	},
	[JS] = {
		[S2T] = { JS, S2T, GT_SKILL_SENIOR, 0, "二（一）1",
			  ALL_SERIES, "二（一）", "二（一）1", false, NULL,
			  GT_FL_FRONTLINE_OR_SELF, "二（一）1", true, "二（二）1", "二",
			  0, NULL, true, "二（一）1" },
		[T2S] = { JS, T2S, 0, GT_TITLE_ASSISTANT, "三（一）",
			  ALL_SERIES, "三（一）", "三（一）", false, NULL,
			  GT_FL_NONE, NULL, false, NULL, "三",
			  0, NULL, true, "三（一）" },
	},
	[GZ] = {
		[S2T] = { GZ, S2T, GT_SKILL_SENIOR, 0, GZ_SKILL_TO_TITLE,
			  ALL_SERIES, GZ_SKILL_TO_TITLE, GZ_INTRO, true, GZ_INTRO,
			  GT_FL_NONE, NULL, false, NULL, GZ_SKILL_TO_TITLE },
		[T2S] = { GZ, T2S, 0, 0, NULL,
			  ALL_SERIES, GZ_TITLE_TO_SKILL, GZ_INTRO, true, GZ_INTRO,
			  GT_FL_NONE, NULL, false, NULL, GZ_TITLE_TO_SKILL },
	},
};

#define REGULAR GT_ROUTE_REGULAR
#define GREEN GT_ROUTE_GREEN_CHANNEL
#define DIRECT GT_ROUTE_DIRECT
#define COMPETITION GT_ROUTE_COMPETITION
#define FIXED(level) .target_kind = GT_TGT_FIXED, .target = (level)
#define OPEN(mask) .target_kind = GT_TGT_OPEN, .target_mask = (mask)
#define SKILL_YEARS(n) .years_from = GT_FROM_SKILL, .years_since = (n)
#define TITLE_YEARS(n) .years_from = GT_FROM_TITLE, .years_since = (n)
#define ADMITS(...) .admits = { __VA_ARGS__ }, \
	.nadmits = sizeof((struct gt_comp_admit[]){ __VA_ARGS__ }) / sizeof(struct gt_comp_admit)

#define ALL_TITLES (TL(ASSISTANT) | TL(INTERMEDIATE) | TL(DEPUTY_SENIOR) | TL(FULL_SENIOR))
#define UP_TO_SENIOR_TECHNICIAN (SK(JUNIOR) | SK(INTERMEDIATE) | SK(SENIOR) | SK(TECHNICIAN) | \
	SK(SENIOR_TECHNICIAN))
#define ALL_SKILLS (SK(JUNIOR) | SK(INTERMEDIATE) | SK(SENIOR) | SK(TECHNICIAN) | \
	SK(SENIOR_TECHNICIAN) | SK(PRINCIPAL_TECHNICIAN) | SK(CHIEF_TECHNICIAN))

/* Jiangsu 二（二）3: the list that opens 副高级 (and 正高级 over a held 副高级). */
#define JS_TOP_HONOURS (HON(CHINA_SKILLS_AWARD) | HON(NATIONAL_TECHNICAL_EXPERT) | \
	HON(NATIONAL_MASTER_STUDIO) | HON(PROVINCIAL_MASTER_STUDIO) | \
	HON(JIANGSU_RURAL_MASTER_STUDIO) | HON(STATE_COUNCIL_ALLOWANCE) | \
	HON(JIANGSU_YOUNG_EXPERT) | HON(JIANGSU_GREAT_CRAFTSMAN))
#define JS_TOP_COMPS \
	{ CMP(WORLDSKILLS), MEDALS, NO_RANK, WINNER_COACH }, \
	{ CMP(NATIONAL_SKILLS), RES(GOLD), NO_RANK, WINNER_COACH }, \
	{ CMP(JIANGSU_CHAMPION) | CMP(JIANGSU_RURAL), FIRST_PRIZE, NO_RANK, WINNER }
/* Jiangsu 三（二）2: honours and results that give 技师 (高级技师 over a held 技师). */
#define JS_T2S_HONOURS (HON(STATE_COUNCIL_ALLOWANCE) | HON(JIANGSU_YOUNG_EXPERT))
#define JS_T2S_COMPS \
	{ CMP(NATIONAL_SKILLS), EXCELLENCE_UP, NO_RANK, WINNER }, \
	{ CMP(JIANGSU_CHAMPION) | CMP(JIANGSU_RURAL), FIRST_PRIZE, NO_RANK, WINNER }

static const char NOTE_OTHER_RULES[] = N_("the clause leaves this to other regulations (按有关规定)");
static const char NOTE_CUMULATIVE[] = N_("promotion by cumulative years names no number of years (按累计工作年限; interp. 20)");
static const char NOTE_SCI_TECH[] = N_("a science and technology award names no level (interp. 20)");
static const char NOTE_COMPETITION_POLICY[] = N_("results of national and provincial competitions follow the province's competition reward policy (interp. 17)");
static const char NOTE_PRINCIPAL[] = N_("特级技师 is applied for under the province's own rules (按照省有关规定; interp. 17)");
static const char NOTE_INTL[] = N_("international certificates are recognised under the province's own rules (按照我省有关规定)");
static const char NOTE_GZ_STEPS[] = N_("the article gives this step only as left to 有关规定 or the pilot enterprise's plan (interp. 9)");
static const char NOTE_GZ_COMPETITION[] = N_("以赛代评: which result earns which level is left to 按规定 (interp. 16)");
static const char NOTE_NO_TITLE[] = N_("no title is held, so 高一级 has no starting point (interp. 7)");
static const char NOTE_NO_MATCH[] = N_("no skill level corresponds to the title held (interp. 8)");

const struct gt_rule gt_rules[] = {
	/* ---- Chongqing, skill_to_title: 二（一） and 三（一）1 ---- */
	{ .id = "CQ-S2T-1", .region = CQ, .direction = S2T, .route = REGULAR,
	  FIXED(GT_TITLE_ASSISTANT), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_skill = GT_SKILL_SENIOR, SKILL_YEARS(2), .clause = "二（一）1",
	  .text = "取得高级工职业资格或职业技能等级后，从事相应专业技术技能工作满2年，可申报评审相应序列助理级职称。" },
	{ .id = "CQ-S2T-2", .region = CQ, .direction = S2T, .route = REGULAR,
	  FIXED(GT_TITLE_INTERMEDIATE), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_skill = GT_SKILL_TECHNICIAN, SKILL_YEARS(3), .clause = "二（一）2",
	  .text = "取得技师职业资格或职业技能等级后，从事相应专业技术技能工作满3年，可申报评审相应序列中级职称。" },
	{ .id = "CQ-S2T-3", .region = CQ, .direction = S2T, .route = REGULAR,
	  FIXED(GT_TITLE_DEPUTY_SENIOR), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_skill = GT_SKILL_SENIOR_TECHNICIAN, SKILL_YEARS(4), .clause = "二（一）3",
	  .text = "取得高级技师职业资格或职业技能等级后，从事相应专业技术技能工作满4年，可申报评审相应序列副高级职称。" },
	{ .id = "CQ-S2T-G1", .region = CQ, .direction = S2T, .route = GREEN,
	  FIXED(GT_TITLE_FULL_SENIOR), .max_title = NO_MAX,
	  .honours = HON(CHINA_SKILLS_AWARD),
	  ADMITS({ CMP(WORLDSKILLS), RES(GOLD), NO_RANK, WINNER_LEADERS }),
	  .clause = "三（一）1",
	  .text = "对中华技能大奖获得者、世界技能大赛金牌获得者及其专家组长、教练组长，可直接申报评审正高级职称" },
	{ .id = "CQ-S2T-G2", .region = CQ, .direction = S2T, .route = GREEN,
	  FIXED(GT_TITLE_DEPUTY_SENIOR), .max_title = NO_MAX,
	  .honours = HON(NATIONAL_TECHNICAL_EXPERT) | HON(CHONGQING_SKILLS_MASTER) |
		     HON(NATIONAL_MASTER_STUDIO) | HON(STATE_COUNCIL_ALLOWANCE),
	  ADMITS({ CMP(WORLDSKILLS), RES(SILVER), NO_RANK, WINNER }),
	  .clause = "三（一）1",
	  .text = "对全国技术能手、世界技能大赛银牌获得者、重庆技能大师、国家级技能大师工作室命名专家、享受国务院政府特殊津贴专家，可直接申报评审副高级职称" },
	{ .id = "CQ-S2T-G3", .region = CQ, .direction = S2T, .route = GREEN,
	  FIXED(GT_TITLE_INTERMEDIATE), .max_title = NO_MAX,
	  .honours = HON(CHONGQING_CHIEF_MASTER_STUDIO),
	  ADMITS({ CMP(WORLDSKILLS), RES(BRONZE), NO_RANK, WINNER },
		 { CMP(NATIONAL_CLASS1), 0, RANK(5, 5, 5), WINNER },
		 { CMP(NATIONAL_CLASS2) | CMP(CHONGQING_SKILLS), 0, RANK(3, 3, 3), WINNER }),
	  .clause = "三（一）1",
	  .text = "对世界技能大赛铜牌获得者、国家级一类技能竞赛前5名以及国家级二类技能竞赛、中国·重庆职业技能大赛前3名，市级首席技能大师工作室领衔专家，可直接申报评审中级职称" },

	/* ---- Chongqing, title_to_skill: 二（二） and 三（二）1 ---- */
	{ .id = "CQ-T2S-1A", .region = CQ, .direction = T2S, .route = REGULAR,
	  FIXED(GT_SKILL_SENIOR), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_title = GT_TITLE_ASSISTANT, .clause = "二（二）1",
	  .text = "取得助理级、中级和副高级职称，可分别申报与现岗位相对应职业（工种）的三级/高级工、二级/技师、一级/高级技师职业技能评价。" },
	{ .id = "CQ-T2S-1B", .region = CQ, .direction = T2S, .route = REGULAR,
	  FIXED(GT_SKILL_TECHNICIAN), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_title = GT_TITLE_INTERMEDIATE, .clause = "二（二）1",
	  .text = "取得助理级、中级和副高级职称，可分别申报与现岗位相对应职业（工种）的三级/高级工、二级/技师、一级/高级技师职业技能评价。" },
	{ .id = "CQ-T2S-1C", .region = CQ, .direction = T2S, .route = REGULAR,
	  FIXED(GT_SKILL_SENIOR_TECHNICIAN), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_title = GT_TITLE_DEPUTY_SENIOR, .clause = "二（二）1",
	  .text = "取得助理级、中级和副高级职称，可分别申报与现岗位相对应职业（工种）的三级/高级工、二级/技师、一级/高级技师职业技能评价。" },
	{ .id = "CQ-T2S-2", .region = CQ, .direction = T2S, .route = REGULAR,
	  FIXED(GT_SKILL_TECHNICIAN), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_title = GT_TITLE_ASSISTANT, .min_skill = GT_SKILL_SENIOR, SKILL_YEARS(1),
	  .years_cumulative = 4, .clause = "二（二）2",
	  .text = "助理级职称专业技术人才在取得现从事职业（工种）高级工职业资格或职业技能等级1年后，其累计工作年限达到4年的，可申报技师晋级评价。" },
	{ .id = "CQ-T2S-3", .region = CQ, .direction = T2S, .route = REGULAR,
	  FIXED(GT_SKILL_SENIOR_TECHNICIAN), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_title = GT_TITLE_INTERMEDIATE, .min_skill = GT_SKILL_TECHNICIAN, SKILL_YEARS(1),
	  .years_cumulative = 4, .clause = "二（二）3",
	  .text = "中级职称专业技术人才在取得现从事职业（工种）技师职业资格或职业技能等级1年后，其累计工作年限达到4年的，可申报高级技师晋级评价。" },
	{ .id = "CQ-T2S-4", .region = CQ, .direction = T2S, .route = DIRECT,
	  FIXED(GT_SKILL_SENIOR_TECHNICIAN), .flags = GT_RF_RELATED | GT_RF_FRONTLINE,
	  .max_title = NO_MAX, .min_title = GT_TITLE_DEPUTY_SENIOR, .clause = "二（二）4",
	  .text = "副高级职称和正高级职称专业技术人才，从事生产一线技能工作的，可直接申报相应职业（工种）高级技师资格。" },
	{ .id = "CQ-T2S-D", .region = CQ, .direction = T2S, .route = DIRECT,
	  /* no corresponding level (员级 or no title): at most 高级技师 (interp. 22, 23) */
	  .target_kind = GT_TGT_MATCH_TITLE, .target_mask = UP_TO_SENIOR_TECHNICIAN, .max_title = NO_MAX,
	  .honours = HON(PROVINCIAL_GOV_AWARD) | HON(PROVINCIAL_TALENT_PROGRAM),
	  ADMITS({ PROVINCIAL_UP | CMP(PROVINCIAL_OTHER), SECOND_UP, NO_RANK,
		   ROLE(WINNER) | ROLE(STUDENT_COACH) }),
	  .clause = "三（二）1", .note = NOTE_NO_MATCH,
	  .text = "对获得省级以上人民政府名义颁发的优秀成果奖……获得省级以上人才奖励或培育支持项目；参加省级或全国行业以上职业技能、教师能力、创新创业等竞赛获得二等奖以上或指导学生参加省级或全国行业以上各类竞赛获得二等奖以上的专业技术人才，可直接认定相应职业技能等级。" },

	/* ---- Anshan, skill_to_title: 三 ---- */
	{ .id = "AS-S2T-1", .region = AS, .direction = S2T, .route = REGULAR,
	  FIXED(GT_TITLE_ASSISTANT), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_skill = GT_SKILL_SENIOR, SKILL_YEARS(2), .clause = "三（二）2",
	  .text = "获得高级工职业资格或职业技能等级后从事技术技能工作满2年，可申报评审相应专业助理工程师" },
	{ .id = "AS-S2T-2", .region = AS, .direction = S2T, .route = REGULAR,
	  FIXED(GT_TITLE_INTERMEDIATE), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_skill = GT_SKILL_TECHNICIAN, SKILL_YEARS(3), .clause = "三（二）2",
	  .text = "获得技师职业资格或职业技能等级后从事技术技能工作满3年，可申报评审相应专业工程师" },
	{ .id = "AS-S2T-3", .region = AS, .direction = S2T, .route = REGULAR,
	  FIXED(GT_TITLE_DEPUTY_SENIOR), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_skill = GT_SKILL_SENIOR_TECHNICIAN, SKILL_YEARS(4), .clause = "三（二）2",
	  .text = "获得高级技师职业资格或职业技能等级后从事技术技能工作满4年，可申报评审相应专业高级工程师" },
	{ .id = "AS-S2T-G1", .region = AS, .direction = S2T, .route = GREEN,
	  FIXED(GT_TITLE_FULL_SENIOR), .max_title = NO_MAX,
	  .honours = HON(CHINA_SKILLS_AWARD) | HON(STATE_COUNCIL_ALLOWANCE) |
		     HON(NATIONAL_TECHNICAL_EXPERT) | HON(NATIONAL_MASTER_STUDIO) |
		     HON(LIAONING_CRAFTSMAN) | HON(LIAONING_MERITORIOUS),
	  .clause = "三（四）1",
	  .text = "中华技能大奖获得者、享受国务院特殊津贴的高技能人才、全国技术能手、国家级技能大师工作室领创人、辽宁工匠、辽宁省功勋高技能人才……可破格申报正高级工程师。" },
	{ .id = "AS-S2T-G1C", .region = AS, .direction = S2T, .route = GREEN,
	  FIXED(GT_TITLE_FULL_SENIOR), .flags = GT_RF_COMMENDATION, .max_title = NO_MAX,
	  ADMITS({ CMP(WORLDSKILLS), MEDALS, NO_RANK, WINNER_EXPERT_COACH }),
	  .clause = "三（四）1",
	  .text = "获得世界技能大赛金牌、银牌、铜牌的鞍山选手及其技术指导专家和教练（以证书和表彰文件为准），可破格申报正高级工程师。" },
	{ .id = "AS-S2T-G2", .region = AS, .direction = S2T, .route = GREEN,
	  FIXED(GT_TITLE_DEPUTY_SENIOR), .max_title = NO_MAX,
	  .honours = HON(LIAONING_OUTSTANDING) | HON(PROVINCIAL_MASTER_STUDIO),
	  .clause = "三（四）2",
	  .text = "辽宁省有突出贡献高技能人才、省级技能大师工作站领创人，可破格申报高级工程师。" },
	{ .id = "AS-S2T-G3", .region = AS, .direction = S2T, .route = GREEN,
	  FIXED(GT_TITLE_INTERMEDIATE), .max_title = NO_MAX,
	  .honours = HON(LIAONING_TECHNICAL_EXPERT) | HON(ANSHAN_CRAFTSMAN) | HON(MUNICIPAL_MASTER_STUDIO),
	  .clause = "三（四）3",
	  .text = "获得辽宁省技术能手、鞍山工匠、市级技能大师工作站领创人……可破格申报工程师。" },
	{ .id = "AS-S2T-G3C", .region = AS, .direction = S2T, .route = GREEN,
	  FIXED(GT_TITLE_INTERMEDIATE), .flags = GT_RF_COMMENDATION, .max_title = NO_MAX,
	  ADMITS({ PROVINCIAL_UP, 0, RANK(3, 3, 3), WINNER_COACH }),
	  .clause = "三（四）3",
	  .text = "省级以上技能大赛前三名选手及教练（以证书和表彰文件为准），可破格申报工程师。" },
	{ .id = "AS-S2T-G4", .region = AS, .direction = S2T, .route = GREEN,
	  FIXED(GT_TITLE_ASSISTANT), .flags = GT_RF_COMMENDATION, .max_title = NO_MAX,
	  ADMITS({ CMP(MUNICIPAL), 0, RANK(3, 3, 3), WINNER_COACH }),
	  .clause = "三（四）4",
	  .text = "市级技能大赛前三名选手及教练（以证书和表彰文件为准），可破格申报助理工程师。" },

	/* ---- Anshan, title_to_skill: 四 ---- */
	{ .id = "AS-T2S-1", .region = AS, .direction = T2S, .route = REGULAR,
	  OPEN(SK(JUNIOR) | SK(INTERMEDIATE) | SK(SENIOR) | SK(TECHNICIAN) | SK(SENIOR_TECHNICIAN)),
	  .flags = GT_RF_MANUAL, .max_title = GT_TITLE_ENTRY, .clause = "四（一）",
	  .note = NOTE_OTHER_RULES,
	  .text = "取得技术员资格或尚未取得专业技术资格的专业技术人员，在技能岗位工作的，可按有关规定申请参加与现岗位相对应职业（工种）的职业技能评价" },
	{ .id = "AS-T2S-2", .region = AS, .direction = T2S, .route = REGULAR,
	  FIXED(GT_SKILL_SENIOR), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_title = GT_TITLE_ASSISTANT, .clause = "四（二）",
	  .text = "取得相关专业助理工程师资格，可申报参加相关职业（工种）三级（高级工）职业技能评价。" },
	{ .id = "AS-T2S-3A", .region = AS, .direction = T2S, .route = REGULAR,
	  FIXED(GT_SKILL_TECHNICIAN), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_title = GT_TITLE_ASSISTANT, TITLE_YEARS(3), .clause = "四（三）1",
	  .text = "取得相关专业助理工程师资格后，从事本职业（工种）或相关职业（工种）工作满3年" },
	{ .id = "AS-T2S-3B", .region = AS, .direction = T2S, .route = REGULAR,
	  FIXED(GT_SKILL_TECHNICIAN), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_title = GT_TITLE_INTERMEDIATE, .clause = "四（三）2",
	  .text = "取得相关专业工程师以上资格，从事本职业或相关职业(工种)工作。" },
	{ .id = "AS-T2S-4A", .region = AS, .direction = T2S, .route = REGULAR,
	  FIXED(GT_SKILL_SENIOR_TECHNICIAN), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_title = GT_TITLE_INTERMEDIATE, TITLE_YEARS(3), .clause = "四（四）1",
	  .text = "取得相关专业工程师资格后，从事该职业(工种)或相关职业(工种)满3年" },
	{ .id = "AS-T2S-4B", .region = AS, .direction = T2S, .route = REGULAR,
	  FIXED(GT_SKILL_SENIOR_TECHNICIAN), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_title = GT_TITLE_DEPUTY_SENIOR, .clause = "四（四）2",
	  .text = "取得相关专业高级工程师资格，从事该职业(工种)或相关职业(工种)工作。" },
	/* 晋级 stops at 高级技师 (interp. 21); it rests on the held level (interp. 18) */
	{ .id = "AS-T2S-5", .region = AS, .direction = T2S, .route = REGULAR,
	  .target_kind = GT_TGT_NEXT_SKILL, .target = GT_SKILL_SENIOR_TECHNICIAN,
	  .flags = GT_RF_MANUAL | GT_RF_RELATED, .max_title = NO_MAX,
	  .min_skill = GT_SKILL_JUNIOR, SKILL_YEARS(1), .clause = "四（五）",
	  .note = NOTE_CUMULATIVE,
	  .text = "专业技术人才在取得现从事职业(工种)职业资格或职业技能等级1年后，可按累计工作年限申报现从事职业(工种)晋级评价。" },

	/* ---- Sichuan, skill_to_title: 附件1 ---- */
	{ .id = "SC-S2T-1", .region = SC, .direction = S2T, .route = REGULAR,
	  FIXED(GT_TITLE_ASSISTANT), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_skill = GT_SKILL_SENIOR, SKILL_YEARS(2), .clause = "附件1 五（一）3",
	  .text = "取得高级工职业资格或职业技能等级后，从事技术技能工作满2年。" },
	{ .id = "SC-S2T-2", .region = SC, .direction = S2T, .route = REGULAR,
	  FIXED(GT_TITLE_INTERMEDIATE), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_skill = GT_SKILL_TECHNICIAN, SKILL_YEARS(3), .clause = "附件1 五（二）4",
	  .text = "取得技师职业资格或职业技能等级后，从事技术技能工作满3年。" },
	{ .id = "SC-S2T-3", .region = SC, .direction = S2T, .route = REGULAR,
	  FIXED(GT_TITLE_DEPUTY_SENIOR), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_skill = GT_SKILL_SENIOR_TECHNICIAN, SKILL_YEARS(4), .clause = "附件1 五（三）4",
	  .text = "取得高级技师职业资格或职业技能等级后，从事技术技能工作满4年。" },
	{ .id = "SC-S2T-4A", .region = SC, .direction = S2T, .route = REGULAR,
	  FIXED(GT_TITLE_FULL_SENIOR), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_title = GT_TITLE_DEPUTY_SENIOR, TITLE_YEARS(5), .clause = "附件1 五（四）5",
	  .text = "取得副高级职称后，从事技术技能工作满5年" },
	{ .id = "SC-S2T-4B", .region = SC, .direction = S2T, .route = REGULAR,
	  FIXED(GT_TITLE_FULL_SENIOR), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_skill = GT_SKILL_SENIOR_TECHNICIAN, SKILL_YEARS(10), .clause = "附件1 五（四）5",
	  .text = "取得高级技师职业资格或职业技能等级后，从事技术技能工作满10年。" },
	{ .id = "SC-S2T-G1-1", .region = SC, .direction = S2T, .route = GREEN,
	  FIXED(GT_TITLE_INTERMEDIATE), .max_title = NO_MAX,
	  ADMITS({ NATIONAL_TIER, MEDALS, NO_RANK, WINNER }),
	  .clause = "附件1 六（一）1", .text = "技艺精通，在国家级技能竞赛中获得奖牌。" },
	{ .id = "SC-S2T-G1-2", .region = SC, .direction = S2T, .route = GREEN,
	  FIXED(GT_TITLE_INTERMEDIATE), .max_title = NO_MAX,
	  .honours = HON(SICHUAN_TECHNICAL_EXPERT),
	  .clause = "附件1 六（一）2", .text = "技术技能拔尖，获得四川省技术能手称号。" },
	{ .id = "SC-S2T-G1-3", .region = SC, .direction = S2T, .route = GREEN,
	  FIXED(GT_TITLE_INTERMEDIATE), .max_title = NO_MAX,
	  .honours = HON(PROVINCIAL_MASTER_STUDIO),
	  .clause = "附件1 六（一）3", .text = "……在带徒传技方面经验丰富，担任省级技能大师工作室领办人。" },
	{ .id = "SC-S2T-G1-4", .region = SC, .direction = S2T, .route = GREEN,
	  FIXED(GT_TITLE_INTERMEDIATE), .max_title = NO_MAX,
	  .honours = HON(PROVINCIAL_HERITAGE_INHERITOR),
	  .clause = "附件1 六（一）4", .text = "……被认定为四川省省级非物质文化遗产代表性传承人。" },
	{ .id = "SC-S2T-G2-1", .region = SC, .direction = S2T, .route = GREEN,
	  FIXED(GT_TITLE_DEPUTY_SENIOR), .max_title = NO_MAX,
	  .honours = HON(NATIONAL_TECHNICAL_EXPERT) | HON(TIANFU_CRAFTSMAN) | HON(SICHUAN_SKILLS_MASTER),
	  .clause = "附件1 六（二）1",
	  .text = "技术技能水平在本职业（工种）中有较大影响，技术技能贡献突出，获得全国技术能手、天府工匠、四川技能大师等称号。" },
	{ .id = "SC-S2T-G2-2", .region = SC, .direction = S2T, .route = GREEN,
	  FIXED(GT_TITLE_DEPUTY_SENIOR), .max_title = NO_MAX,
	  .honours = HON(NATIONAL_MASTER_STUDIO),
	  .clause = "附件1 六（二）2", .text = "……在带徒传技方面经验丰富，担任国家级技能大师工作室领办人。" },
	{ .id = "SC-S2T-G2-3", .region = SC, .direction = S2T, .route = GREEN,
	  FIXED(GT_TITLE_DEPUTY_SENIOR), .max_title = NO_MAX,
	  ADMITS({ CMP(WORLDSKILLS), MEDALS, NO_RANK, WINNER },
		 { CMP(NATIONAL_CLASS1), 0, RANK(5, 3, 2), WINNER }),
	  .clause = "附件1 六（二）3",
	  .text = "技艺高超，在世界技能大赛中获得铜牌以上奖励，或在国家级一类技能竞赛中获得前5名（双人赛项前3名、三人赛项前2名）。" },
	{ .id = "SC-S2T-G2-4", .region = SC, .direction = S2T, .route = GREEN,
	  FIXED(GT_TITLE_DEPUTY_SENIOR), .max_title = NO_MAX,
	  .honours = HON(NATIONAL_HERITAGE_INHERITOR),
	  .clause = "附件1 六（二）4", .text = "……被认定为国家级非物质文化遗产代表性传承人。" },
	{ .id = "SC-S2T-G3-1", .region = SC, .direction = S2T, .route = GREEN,
	  FIXED(GT_TITLE_FULL_SENIOR), .flags = GT_RF_FRONTLINE, .max_title = NO_MAX,
	  .honours = HON(STATE_COUNCIL_ALLOWANCE),
	  .clause = "附件1 六（三）1",
	  .text = "长期工作在生产服务岗位第一线，技艺精湛，贡献突出，享受国务院政府特殊津贴。" },
	{ .id = "SC-S2T-G3-2", .region = SC, .direction = S2T, .route = GREEN,
	  FIXED(GT_TITLE_FULL_SENIOR), .max_title = NO_MAX,
	  .honours = HON(CHINA_SKILLS_AWARD),
	  .clause = "附件1 六（三）2", .text = "技术技能水平在本职业（工种）中有较大影响，获得中华技能大奖称号。" },
	{ .id = "SC-S2T-G3-3", .region = SC, .direction = S2T, .route = GREEN,
	  FIXED(GT_TITLE_FULL_SENIOR), .max_title = NO_MAX,
	  ADMITS({ CMP(WORLDSKILLS), RES(GOLD), NO_RANK, WINNER_LEADERS }),
	  .clause = "附件1 六（三）3",
	  .text = "有较高职业素养，技能水平突出，在世界技能大赛中获得金牌，或担任世界技能大赛金奖选手技术指导专家组组长（教练组组长）。" },

	/* ---- Sichuan, title_to_skill: 附件2 and 三（三） ---- */
	{ .id = "SC-T2S-1", .region = SC, .direction = T2S, .route = REGULAR,
	  FIXED(GT_SKILL_SENIOR), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_title = GT_TITLE_ASSISTANT, .years_cumulative = 2, .clause = "附件2 五（一）3",
	  .text = "取得助理级职称或初级专业技术职业资格，累计从事本专业技术技能工作达到2年。" },
	{ .id = "SC-T2S-2", .region = SC, .direction = T2S, .route = REGULAR,
	  FIXED(GT_SKILL_TECHNICIAN), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_title = GT_TITLE_INTERMEDIATE, .years_cumulative = 4, .clause = "附件2 五（二）5",
	  .text = "取得中级职称或中级专业技术职业资格，累计从事本专业技术技能工作达到4年。" },
	{ .id = "SC-T2S-3", .region = SC, .direction = T2S, .route = REGULAR,
	  FIXED(GT_SKILL_SENIOR_TECHNICIAN), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_title = GT_TITLE_DEPUTY_SENIOR, .years_cumulative = 8, .clause = "附件2 五（三）6",
	  .text = "取得副高级职称，累计从事本专业技术技能工作达到8年。" },
	/* 晋级 stops at 高级技师 (interp. 21); it rests on the held level (interp. 18) */
	{ .id = "SC-T2S-4", .region = SC, .direction = T2S, .route = REGULAR,
	  .target_kind = GT_TGT_NEXT_SKILL, .target = GT_SKILL_SENIOR_TECHNICIAN,
	  .flags = GT_RF_MANUAL | GT_RF_RELATED, .max_title = NO_MAX,
	  .min_skill = GT_SKILL_JUNIOR, SKILL_YEARS(1), .clause = "三（三）2",
	  .note = NOTE_CUMULATIVE,
	  .text = "专业技术人才取得职业资格或职业技能等级1年后，可按累计工作年限申报相应职业（工种）晋级评价。" },
	{ .id = "SC-T2S-5", .region = SC, .direction = T2S, .route = DIRECT,
	  OPEN(ALL_SKILLS), .flags = GT_RF_MANUAL, .max_title = NO_MAX,
	  .honours = HON(PROVINCIAL_SCI_TECH_AWARD), .clause = "三（三）3", .note = NOTE_SCI_TECH,
	  .text = "获得省（部）级以上科学技术奖、具有相应职业（工种）技能等级水平的专业技术人才可直接申报该职业（工种）的职业技能等级评价。" },
	{ .id = "SC-T2S-6", .region = SC, .direction = T2S, .route = DIRECT,
	  FIXED(GT_SKILL_SENIOR_TECHNICIAN), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_title = GT_TITLE_FULL_SENIOR, .clause = "三（三）3",
	  .text = "正高级职称不受年限限制，可直接申报相应职业（工种）高级技师资格。" },

	/* ---- Jiangsu, skill_to_title: 二 ---- */
	{ .id = "JS-S2T-1", .region = JS, .direction = S2T, .route = REGULAR,
	  FIXED(GT_TITLE_ASSISTANT), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_skill = GT_SKILL_SENIOR, SKILL_YEARS(2), .clause = "二（二）1",
	  .text = "取得高级工（三级）以上职业资格或职业技能等级后从事技术技能工作满2年，可申报评审相应专业助理级职称" },
	{ .id = "JS-S2T-2", .region = JS, .direction = S2T, .route = REGULAR,
	  FIXED(GT_TITLE_INTERMEDIATE), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_skill = GT_SKILL_TECHNICIAN, SKILL_YEARS(3), .clause = "二（二）1",
	  .text = "取得技师（二级）职业资格或职业技能等级后从事技术技能工作满3年，可申报评审相应专业中级职称" },
	{ .id = "JS-S2T-3", .region = JS, .direction = S2T, .route = REGULAR,
	  FIXED(GT_TITLE_DEPUTY_SENIOR), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_skill = GT_SKILL_SENIOR_TECHNICIAN, SKILL_YEARS(4), .clause = "二（二）1",
	  .text = "取得高级技师（一级）职业资格或职业技能等级后从事技术技能工作满4年，可申报评审相应专业副高级职称" },
	{ .id = "JS-S2T-G1", .region = JS, .direction = S2T, .route = GREEN,
	  FIXED(GT_TITLE_DEPUTY_SENIOR), .max_title = NO_MAX,
	  .honours = JS_TOP_HONOURS, ADMITS(JS_TOP_COMPS), .clause = "二（二）3",
	  .text = "获得中华技能大奖、全国技术能手，担任国家级技能大师工作室或省级技能大师工作室带头人……世界技能大赛金牌、银牌、铜牌获得者及其指导教练（1人）……可直接申报评审副高级职称" },
	{ .id = "JS-S2T-G1L", .region = JS, .direction = S2T, .route = GREEN,
	  FIXED(GT_TITLE_DEPUTY_SENIOR), .flags = GT_RF_LEVEL_BASIS, .max_title = NO_MAX,
	  .min_skill = GT_SKILL_PRINCIPAL_TECHNICIAN, .clause = "二（二）3",
	  .text = "经省人力资源社会保障厅认定的特级技师……可直接申报评审副高级职称" },
	{ .id = "JS-S2T-G2", .region = JS, .direction = S2T, .route = GREEN,
	  FIXED(GT_TITLE_FULL_SENIOR), .max_title = NO_MAX, .min_title = GT_TITLE_DEPUTY_SENIOR,
	  .honours = JS_TOP_HONOURS, ADMITS(JS_TOP_COMPS), .clause = "二（二）3",
	  .text = "（同上所列人员）已有副高级职称的，可直接申报评审正高级职称。" },
	{ .id = "JS-S2T-G2L", .region = JS, .direction = S2T, .route = GREEN,
	  FIXED(GT_TITLE_FULL_SENIOR), .flags = GT_RF_LEVEL_BASIS, .max_title = NO_MAX,
	  .min_skill = GT_SKILL_PRINCIPAL_TECHNICIAN, .min_title = GT_TITLE_DEPUTY_SENIOR,
	  .clause = "二（二）3",
	  .text = "经省人力资源社会保障厅认定的特级技师……已有副高级职称的，可直接申报评审正高级职称。" },
	{ .id = "JS-S2T-G3", .region = JS, .direction = S2T, .route = GREEN,
	  /* no title held: no starting point, a level up to the cap but never 员级 (interp. 7, 32) */
	  .target_kind = GT_TGT_TITLE_UP_CAP, .target = GT_TITLE_DEPUTY_SENIOR,
	  .target_mask = TL(ASSISTANT) | TL(INTERMEDIATE) | TL(DEPUTY_SENIOR), .max_title = NO_MAX,
	  .honours = HON(JIANGSU_CRAFTSMAN),
	  ADMITS({ CMP(WORLDSKILLS), RES(EXCELLENCE), NO_RANK, WINNER_COACH },
		 { CMP(NATIONAL_SKILLS), RES(SILVER) | RES(BRONZE), NO_RANK, WINNER_COACH }),
	  .clause = "二（二）3", .note = NOTE_NO_TITLE,
	  .text = "江苏工匠，世界技能大赛优胜奖获得者及其指导教练（1人），中华人民共和国职业技能大赛银牌、铜牌获得者及其指导教练（1人）等可直接申报评审高一级职称（最高到副高级）。" },
	{ .id = "JS-S2T-M", .region = JS, .direction = S2T, .route = GREEN,
	  OPEN(ALL_TITLES), .flags = GT_RF_MANUAL, .max_title = NO_MAX,
	  /* the results the lists above do not name (interp. 28) */
	  ADMITS({ NATIONAL_AND_PROVINCIAL & ~(CMP(NATIONAL_SKILLS) | CMP(JIANGSU_CHAMPION) |
					       CMP(JIANGSU_RURAL)), ANY_RESULT, NO_RANK, WINNER },
		 { CMP(NATIONAL_SKILLS), RES(EXCELLENCE) | PRIZES | RES(RANK), NO_RANK, WINNER },
		 { CMP(JIANGSU_CHAMPION) | CMP(JIANGSU_RURAL),
		   RES(SILVER) | RES(BRONZE) | RES(EXCELLENCE) | RES(SECOND) | RES(THIRD) | RES(RANK),
		   NO_RANK, WINNER }),
	  .clause = "二（二）3", .note = NOTE_COMPETITION_POLICY,
	  .text = "国家级和省级职业技能竞赛的获奖选手申报职称评审按省人力资源社会保障厅职业技能竞赛奖励政策有关规定执行。" },

	/* ---- Jiangsu, title_to_skill: 三 ---- */
	{ .id = "JS-T2S-1", .region = JS, .direction = T2S, .route = REGULAR,
	  FIXED(GT_SKILL_SENIOR), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_title = GT_TITLE_ASSISTANT, TITLE_YEARS(1), .clause = "三（二）1",
	  .text = "取得本专业助理级职称满1年，可申报高级工（三级）职业资格评价或职业技能等级认定" },
	{ .id = "JS-T2S-2A", .region = JS, .direction = T2S, .route = REGULAR,
	  FIXED(GT_SKILL_TECHNICIAN), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_title = GT_TITLE_INTERMEDIATE, TITLE_YEARS(1), .clause = "三（二）1",
	  .text = "取得本专业中级职称满1年……可申报技师（二级）职业资格评价或职业技能等级认定" },
	{ .id = "JS-T2S-2B", .region = JS, .direction = T2S, .route = REGULAR,
	  FIXED(GT_SKILL_TECHNICIAN), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_title = GT_TITLE_ASSISTANT, TITLE_YEARS(4), .clause = "三（二）1",
	  .text = "……或取得助理级职称后从事相应技能工作满4年，可申报技师（二级）职业资格评价或职业技能等级认定" },
	{ .id = "JS-T2S-3A", .region = JS, .direction = T2S, .route = REGULAR,
	  FIXED(GT_SKILL_SENIOR_TECHNICIAN), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_title = GT_TITLE_DEPUTY_SENIOR, TITLE_YEARS(1), .clause = "三（二）1",
	  .text = "取得本专业副高级及以上职称满1年……可申报高级技师（一级）职业资格评价或职业技能等级认定" },
	{ .id = "JS-T2S-3B", .region = JS, .direction = T2S, .route = REGULAR,
	  FIXED(GT_SKILL_SENIOR_TECHNICIAN), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_title = GT_TITLE_INTERMEDIATE, TITLE_YEARS(4), .clause = "三（二）1",
	  .text = "……或取得中级职称后从事相应技能工作满4年，可申报高级技师（一级）职业资格评价或职业技能等级认定" },
	{ .id = "JS-T2S-D1", .region = JS, .direction = T2S, .route = DIRECT,
	  FIXED(GT_SKILL_TECHNICIAN), .max_title = NO_MAX,
	  .honours = JS_T2S_HONOURS, ADMITS(JS_T2S_COMPS), .clause = "三（二）2",
	  .text = "享受国务院政府特殊津贴专家，省有突出贡献的中青年专家，中华人民共和国职业技能大赛获得优胜奖以上、江苏技能状元大赛（职工组）或省乡土人才技艺技能大赛获得一等奖的专业技术人员，可认定技师（二级）职业资格或职业技能等级" },
	{ .id = "JS-T2S-D2", .region = JS, .direction = T2S, .route = DIRECT,
	  FIXED(GT_SKILL_SENIOR_TECHNICIAN), .max_title = NO_MAX, .min_skill = GT_SKILL_TECHNICIAN,
	  .honours = JS_T2S_HONOURS, ADMITS(JS_T2S_COMPS), .clause = "三（二）2",
	  .text = "（同上所列人员）已具备技师（二级）职业资格或职业技能等级的，可晋升高级技师（一级）职业资格或职业技能等级。" },
	{ .id = "JS-T2S-M", .region = JS, .direction = T2S, .route = DIRECT,
	  OPEN(ALL_SKILLS), .flags = GT_RF_MANUAL, .max_title = NO_MAX,
	  /* the results 三（二）2's list does not name (interp. 28) */
	  ADMITS({ NATIONAL_AND_PROVINCIAL & ~(CMP(NATIONAL_SKILLS) | CMP(JIANGSU_CHAMPION) |
					       CMP(JIANGSU_RURAL)), ANY_RESULT, NO_RANK, WINNER },
		 { CMP(NATIONAL_SKILLS), PRIZES | RES(RANK), NO_RANK, WINNER },
		 { CMP(JIANGSU_CHAMPION) | CMP(JIANGSU_RURAL),
		   RES(SILVER) | RES(BRONZE) | RES(EXCELLENCE) | RES(SECOND) | RES(THIRD) | RES(RANK),
		   NO_RANK, WINNER }),
	  .clause = "三（二）2", .note = NOTE_COMPETITION_POLICY,
	  .text = "国家级和省级职业技能竞赛获奖的专业技术人才按省人力资源社会保障厅职业技能竞赛奖励政策有关规定执行。" },
	/* maps a held level to a level: regular (interp. 14) */
	{ .id = "JS-T2S-P1", .region = JS, .direction = T2S, .route = REGULAR,
	  FIXED(GT_SKILL_PRINCIPAL_TECHNICIAN), .flags = GT_RF_MANUAL | GT_RF_RELATED,
	  .max_title = NO_MAX, .min_title = GT_TITLE_FULL_SENIOR, .clause = "三（二）3",
	  .note = NOTE_PRINCIPAL,
	  .text = "具有本专业正高级职称的……可按照省有关规定申报评审特级技师。" },
	{ .id = "JS-T2S-P2", .region = JS, .direction = T2S, .route = DIRECT,
	  FIXED(GT_SKILL_PRINCIPAL_TECHNICIAN), .flags = GT_RF_MANUAL, .max_title = NO_MAX,
	  .honours = HON(CHINA_SKILLS_AWARD),
	  ADMITS({ CMP(WORLDSKILLS), MEDALS, NO_RANK, COACHES }),
	  .clause = "三（二）3", .note = NOTE_PRINCIPAL,
	  .text = "……或获得中华技能大奖的专业技术人才，或世界技能大赛金、银、铜牌获得者的指导教练（1人），可按照省有关规定申报评审特级技师。" },
	{ .id = "JS-T2S-I", .region = JS, .direction = T2S, .route = DIRECT,
	  OPEN(ALL_SKILLS), .flags = GT_RF_MANUAL, .max_title = NO_MAX,
	  .honours = HON(INTERNATIONAL_CERTIFICATE), .evidence = EV(INTERNATIONAL_CERTIFICATE),
	  .clause = "三（二）3", .note = NOTE_INTL,
	  .text = "持有国际职业资格证书的，可按照我省有关规定申报认定相应职业技能等级，或取得相应职称后再申请参加职业技能评价。" },

	/* ---- Guangzhou (news report of the plan; interp. 9, 12, 15, 16) ---- */
	{ .id = "GZ-S2T-1", .region = GZ, .direction = S2T, .route = REGULAR,
	  FIXED(GT_TITLE_ASSISTANT), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_skill = GT_SKILL_SENIOR, SKILL_YEARS(2), .clause = GZ_SKILL_TO_TITLE,
	  .text = "取得高级工职业资格或职业技能等级后从事相应技术技能工作满2年的，可申报评审相应系列初级职称。" },
	{ .id = "GZ-S2T-2", .region = GZ, .direction = S2T, .route = REGULAR,
	  FIXED(GT_TITLE_FULL_SENIOR), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_skill = GT_SKILL_PRINCIPAL_TECHNICIAN, SKILL_YEARS(5), .clause = GZ_SKILL_TO_TITLE,
	  .text = "取得特级技师或首席技师技能等级后从事相应技术技能工作满5年的，可申报评审相应系列正高级职称。" },
	{ .id = "GZ-S2T-M", .region = GZ, .direction = S2T, .route = REGULAR,
	  /* any title level above the held one (interp. 36) */
	  OPEN(ALL_TITLES), .flags = GT_RF_MANUAL | GT_RF_ABOVE_HELD, .max_title = NO_MAX,
	  .clause = GZ_SKILL_TO_TITLE, .note = NOTE_GZ_STEPS,
	  .text = "具有高级工以上职业资格或职业技能等级的高技能人才具备相关条件的，可按有关规定参加对应相关系列和层级的职称评审。" },
	{ .id = "GZ-S2T-C", .region = GZ, .direction = S2T, .route = COMPETITION,
	  OPEN(TL(INTERMEDIATE) | TL(DEPUTY_SENIOR)),
	  .flags = GT_RF_MANUAL | GT_RF_NO_LEVEL_SCOPE | GT_RF_NO_PILOT, .max_title = NO_MAX,
	  ADMITS({ CMP(WORLDSKILLS) | CMP(NATIONAL_SKILLS), EXCELLENCE_UP, NO_RANK, WINNER }),
	  .years_in_region = 1, .clause = GZ_COMPETITION, .note = NOTE_GZ_COMPETITION,
	  .text = "探索在世界技能大赛、全国技能大赛获得优胜奖以上的选手……具有广州市企业满1年及以上工作经历或毕业后在广州市企业工作满1年的对应颁发中级职称、高级职称证书。" },
	{ .id = "GZ-T2S-1", .region = GZ, .direction = T2S, .route = REGULAR,
	  FIXED(GT_SKILL_SENIOR), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_title = GT_TITLE_ASSISTANT, TITLE_YEARS(1), .clause = GZ_TITLE_TO_SKILL,
	  .text = "取得符合专业对应关系的初级职称（专业技术人员职业资格）后，累计从事本职业或相关职业工作满1年，可申报三级/高级工职业技能评价。" },
	{ .id = "GZ-T2S-2", .region = GZ, .direction = T2S, .route = REGULAR,
	  FIXED(GT_SKILL_CHIEF_TECHNICIAN), .flags = GT_RF_RELATED, .max_title = NO_MAX,
	  .min_title = GT_TITLE_FULL_SENIOR, TITLE_YEARS(3), .clause = GZ_TITLE_TO_SKILL,
	  .text = "取得与参评职业（工种）相关的正高级职称后，累计从事本职业或相关职业工作满3年，可申报首席技师评聘。" },
	{ .id = "GZ-T2S-M", .region = GZ, .direction = T2S, .route = REGULAR,
	  /* any skill level above the held one, whatever title is held (interp. 27, 36) */
	  OPEN(ALL_SKILLS), .flags = GT_RF_MANUAL | GT_RF_ABOVE_HELD, .max_title = NO_MAX,
	  .clause = GZ_TITLE_TO_SKILL, .note = NOTE_GZ_STEPS,
	  .text = "符合职业技能评价条件的专业技术人才具备相关条件的，可按有关规定申请参加与现岗位相对应职业（工种）的职业技能评价。" },
	{ .id = "GZ-T2S-C", .region = GZ, .direction = T2S, .route = COMPETITION,
	  OPEN(SK(TECHNICIAN) | SK(SENIOR_TECHNICIAN)),
	  .flags = GT_RF_MANUAL | GT_RF_NO_LEVEL_SCOPE | GT_RF_NO_PILOT, .max_title = NO_MAX,
	  ADMITS({ CMP(WORLDSKILLS) | CMP(NATIONAL_SKILLS), EXCELLENCE_UP, NO_RANK, WINNER }),
	  .clause = GZ_COMPETITION, .note = NOTE_GZ_COMPETITION,
	  .text = "探索在世界技能大赛、全国技能大赛获得优胜奖以上的选手，按规定颁发技师、高级技师职业资格或职业技能等级证书" },
};

const int gt_rule_count = (int)(sizeof gt_rules / sizeof gt_rules[0]);

const struct gt_exemption gt_exemptions[] = {
	/* Non-diploma waivers first: they need no document. */
	/* Recognition without assessment (interp. 23, 35). */
	{ CQ, false, 1u << GT_ROUTE_DIRECT, 0, "三（二）1", "三（二）1",
	  "1. 直接认定。……可直接认定相应职业技能等级。" },
	{ GZ, false, 1u << GT_ROUTE_COMPETITION, 0, GZ_COMPETITION, GZ_COMPETITION,
	  "探索在世界技能大赛、全国技能大赛获得优胜奖以上的选手,按规定颁发技师、高级技师职业资格或职业技能等级证书" },
	{ CQ, false, 1u << GT_ROUTE_REGULAR, SK(SENIOR), NULL, "三（二）3",
	  "对符合破格认定条件以外的专业技术人才，申报高级工的，免于理论知识考试" },
	{ JS, false, 0, 0, NULL, "三（三）",
	  "专业技术人才参加职业技能评价，注重操作技能考核和实际工作业绩，免于理论知识考试和论文（技术小结）答辩。" },
	{ CQ, true, 0, 0, NULL, "三（二）",
	  "具有所申报职业相关专业毕业证书的，可免于理论知识考试。" },
	{ AS, true, 0, 0, NULL, "四",
	  "对具有所申报职业（专业）或相关职业（专业）毕业证书的，可免于理论知识考试。" },
	{ SC, true, 0, 0, NULL, "五（二）",
	  "专业技术人才参加职业技能评价，注重操作技能考核，具有所申报职业相关专业毕业证书的，可免于理论知识考试。" },
};
const int gt_exemption_count = (int)(sizeof gt_exemptions / sizeof gt_exemptions[0]);

const struct gt_note gt_notes[] = {
	{ AS, GT_NOTE_TECH_SCHOOL, 1u << S2T, "三（二）1",
	  "技工院校中级工班、高级工班、预备技师（技师）班毕业，可分别按相当于中专，大专、本科学历申报评审相应专业职称。" },
	{ SC, GT_NOTE_TECH_SCHOOL, 1u << S2T, "三（二）2",
	  "技工院校中级工班、高级工班、预备技师（技师）班毕业，可分别按相当于中专、大专、本科学历，报名参加……专业技术人员职业资格考试。" },
	{ JS, GT_NOTE_PUBLIC_INSTITUTION, (1u << S2T) | (1u << T2S), "“事业单位在编在岗工勤人员”条",
	  "事业单位在编在岗工勤人员，通过贯通改革取得的相应职称或职业资格等，不与转岗直接挂钩，其岗位聘用按照事业单位聘用管理有关规定执行。" },
	{ CQ, GT_NOTE_BOTH_LEVELS, (1u << S2T) | (1u << T2S), "四（三）",
	  "对同时取得对应等级专业技术职称和职业技能等级的专业技术人才或高技能人才，在申报评审高一级专业技术职称或职业技能等级时，同等条件下优先考虑。" },
};
const int gt_note_count = (int)(sizeof gt_notes / sizeof gt_notes[0]);

/* The C table as document versions, for the byte-for-byte comparison with
 * the packs (GT_RULES_SOURCE=ctable); goes with the table. */
#include <stdlib.h>
#include <stdio.h>
#include "gt_pack.h"
int gt_rules_ctable(struct gt_ruleset *rs);
int gt_rules_ctable(struct gt_ruleset *rs)
{
	for (int g = 0; g < GT_REGION_COUNT; g++) {
		struct gt_docver *dv = calloc(1, sizeof *dv);
		struct gt_rule *r = calloc((size_t)gt_rule_count, sizeof *r);
		if (!dv || !r)
			return -1;
		dv->doc = gt_documents[g];
		int ymd = dv->doc.effective_ymd;
		dv->doc.effective = gt_date_from_ymd(ymd / 10000, ymd / 100 % 100, ymd % 100);
		dv->doc.until = GT_DATE_NONE;
		for (int d = 0; d < GT_DIR_COUNT; d++) {
			dv->scopes[d] = gt_scopes[g][d];
			dv->first[d] = dv->nrules;
			for (int i = 0; i < gt_rule_count; i++)
				if (gt_rules[i].region == g && gt_rules[i].direction == d)
					r[dv->nrules++] = gt_rules[i];
			dv->count[d] = dv->nrules - dv->first[d];
		}
		dv->rules = r;
		struct gt_exemption *x = calloc((size_t)gt_exemption_count, sizeof *x);
		struct gt_note *n = calloc((size_t)gt_note_count, sizeof *n);
		if (!x || !n)
			return -1;
		for (int i = 0; i < gt_exemption_count; i++)
			if (gt_exemptions[i].region == g)
				x[dv->nexemptions++] = gt_exemptions[i];
		for (int i = 0; i < gt_note_count; i++)
			if (gt_notes[i].region == g)
				n[dv->nnotes++] = gt_notes[i];
		dv->exemptions = x;
		dv->notes = n;
		snprintf(dv->id, sizeof dv->id, "%s ctable", dv->doc.number);
		rs->v = realloc(rs->v, (size_t)(rs->n + 1) * sizeof *rs->v);
		rs->v[rs->n++] = dv;
	}
	return 0;
}
