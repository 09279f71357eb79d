/* The policy documents as data: one row per clause, each with its citation.
 * Read by the one generic evaluator in gt_eval.c; nothing here is code. The
 * rows come from policy packs (rules/NAME.yaml, guantong-rules(5)) compiled at
 * start by gt_pack.c into these structures, one gt_docver per document
 * version; several versions of one region's document may be loaded, and a
 * case is judged by the one in force on its application date. */
#ifndef GT_RULES_H
#define GT_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "gt_codes.h"
#include "gt_date.h"

/* A policy document version: the citation prefix and when it is in force. */
struct gt_document {
	uint8_t region;            /* gt_region */
	const char *number;        /* citation prefix, e.g. "渝人社发〔2021〕55号" */
	const char *version;       /* the pack's version of the document, e.g. "1" */
	const char *title;
	const char *source;        /* file under shared/seeds/ */
	gt_date effective;         /* in force from (day number) */
	int effective_ymd;         /* YYYYMMDD */
	gt_date until;             /* superseded on this day (GT_DATE_NONE: not superseded) */
	int until_ymd;             /* YYYYMMDD, 0: none */
	const char *effective_clause;
	const char *veto_clause;   /* integrity: interpretations item 10 */
};

/* Frontline requirement kinds. */
enum { GT_FL_NONE, GT_FL_FRONTLINE, GT_FL_FRONTLINE_OR_SELF };

/* The scope and basic conditions of one region and direction, each with the
 * clause it comes from; they bind every rule of that direction
 * (interpretations items 1, 2 and 5), except where a rule opts out. */
struct gt_scope {
	uint8_t region, direction;
	uint8_t min_skill;          /* scope_level: held skill at least this (0: none) */
	uint8_t min_title;          /* scope_level: held title at least this (0: none) */
	const char *level_clause;
	uint8_t series_mask;        /* scope_series: bit per gt_series */
	const char *series_clause;
	const char *region_clause;  /* scope_region */
	bool pilot;                 /* scope_pilot */
	const char *pilot_clause;
	uint8_t frontline;          /* GT_FL_* */
	const char *frontline_clause;
	bool appraisal;             /* 近3年年度考核合格 */
	const char *appraisal_clause;
	const char *section_clause; /* the part of the document for this direction */
	/* Levels whose every route asks for achievement_evidence (bit per level;
	 * Sichuan 「还应分别具备以下条件」, interp. 26). */
	uint16_t achievement_levels;
	const char *achievement_clause;
	/* A self-employed applicant is in scope as 在本省就业的自由职业… and shows
	 * employment_proof unless a frontline post is shown instead (interp. 25, 41). */
	bool self_employed_proof;
	const char *self_employed_clause;
};

/* How a rule's target level is found. */
enum gt_target_kind {
	GT_TGT_FIXED,        /* the level named by the clause */
	GT_TGT_OPEN,         /* a level the text does not fix (any in `mask`): manual review */
	GT_TGT_TITLE_UP_CAP, /* one title level above the held one, capped at `target`
	                        (Jiangsu 高一级); no title held: any in `mask` (interp. 7, 32) */
	GT_TGT_MATCH_TITLE,  /* the skill level that corresponds to the held title (Chongqing
	                        直接认定); none corresponds: any in `mask` (interp. 8, 22, 23) */
	GT_TGT_NEXT_SKILL,   /* one skill level above the held one, up to `target` (晋级评价,
	                        interp. 21); nothing held: 初级工 by request only (interp. 32) */
};

/* Which date "取得 X 后…满 N 年" counts from: the held level's (interpretations 3, 4). */
enum { GT_FROM_NONE, GT_FROM_SKILL, GT_FROM_TITLE };

/* Rule flags. */
enum {
	GT_RF_NO_LEVEL_SCOPE = 1u << 0, /* scope_level not asked (Guangzhou 以赛代评) */
	GT_RF_NO_PILOT       = 1u << 1, /* pilot enterprise not asked (Guangzhou 以赛代评) */
	GT_RF_RELATED        = 1u << 2, /* rests on a held level: related asked (interp. 18) */
	GT_RF_FRONTLINE      = 1u << 3, /* the clause itself asks for a frontline post */
	GT_RF_COMMENDATION   = 1u << 4, /* 以证书和表彰文件为准: commendation_document */
	GT_RF_MANUAL         = 1u << 5, /* met conditions lead to manual_review */
	GT_RF_LEVEL_BASIS    = 1u << 6, /* the held skill level is the green-channel basis (特级技师) */
	GT_RF_ABOVE_HELD     = 1u << 7, /* an open level only above the held one, also to a
	                                   request (Guangzhou 按有关规定, interp. 36, 41) */
};

/* A competition result a clause admits: any listed result, or a rank within
 * rank_max[team_size-1] (medals count as ranks 1-3, prizes do not: interp. 6). */
struct gt_comp_admit {
	uint16_t comps;      /* bit per gt_comp */
	uint8_t results;     /* bit per gt_result admitted outright */
	uint8_t rank_max[3]; /* 前N名 for individual, pair, three-person events; 0: none */
	uint8_t roles;       /* bit per gt_role */
};

#define GT_MAX_ADMITS 4

struct gt_rule {
	const char *id;             /* stable identifier, e.g. "CQ-S2T-1" */
	uint8_t region, direction, route;
	uint8_t target_kind;        /* enum gt_target_kind */
	uint8_t target;             /* FIXED: the level; TITLE_UP_CAP: the cap */
	uint16_t target_mask;       /* the levels it may give when it fixes none (bit per level) */
	uint16_t flags;             /* GT_RF_* */
	uint8_t min_skill, min_title;   /* held-level conditions (0: none) */
	uint8_t max_title;              /* held title at most this (0xff: no bound); one who
	                                   holds more is no candidate (interp. 22) */
	uint8_t years_from;             /* GT_FROM_* */
	uint8_t years_since;            /* 取得 X 后满 N 年 */
	uint8_t years_cumulative;       /* 累计工作年限 from work_start */
	uint8_t years_in_region;        /* years with enterprises in the region */
	uint32_t honours;               /* any of these honours ... */
	uint8_t nadmits;                /* ... or any of these competition results */
	struct gt_comp_admit admits[GT_MAX_ADMITS];
	uint16_t evidence;              /* evidence the clause asks for beyond the generic */
	const char *clause;             /* clause path in the document, e.g. "二（一）3" */
	const char *text;               /* the clause's words (Chinese, verbatim or close) */
	const char *note;               /* msgid: why a manual rule is manual, or NULL */
	/* Compiled at load (gt_pack.c) from the fields above and the scope of
	 * the rule's direction, so that an evaluation need not work it out
	 * case by case: the evidence asked whatever the case holds. */
	uint16_t evidence_asked;
};

/* A theory-exam exemption for title_to_skill. */
struct gt_exemption {
	uint8_t region;
	bool by_diploma;        /* needs diploma_related = yes and diploma in evidence */
	uint8_t route_mask;     /* bit per gt_route (0: any) */
	uint16_t target_mask;   /* bit per gt_skill (0: any) */
	const char *rule_clause;/* only for the rule of this clause (NULL: any) */
	const char *clause;
	const char *text;
};

/* Notes that change no outcome (interpretations item 11). */
enum gt_note_kind { GT_NOTE_TECH_SCHOOL, GT_NOTE_PUBLIC_INSTITUTION, GT_NOTE_BOTH_LEVELS };

struct gt_note {
	uint8_t region;
	uint8_t kind;           /* enum gt_note_kind */
	uint8_t direction_mask; /* bit per gt_direction */
	const char *clause;
	const char *text;
};

/* The summary's plan of one direction for one key (gt_eval_plan_key: the
 * requested level, the title and the skill level held): the paths it
 * applies (live), those that are candidates, and those that fix the
 * requested level (bit i: the direction's rule i). */
#define GT_PLAN_PATHS 24 /* rules of one direction at most (gt_pack.c) */
struct gt_eval_plan {
	uint32_t live, candidate, fixing;
	int8_t target[GT_PLAN_PATHS]; /* the level each rule gives (-1: none fixed) */
};
#define GT_PLAN_KEYS ((GT_SKILL_COUNT + 1) * GT_TITLE_COUNT * GT_SKILL_COUNT)

/* One document version, compiled: what the evaluator reads. */
struct gt_docver {
	struct gt_document doc;
	struct gt_scope scopes[GT_DIR_COUNT];
	const struct gt_rule *rules;   /* grouped by direction, pack order within */
	int nrules;
	int first[GT_DIR_COUNT], count[GT_DIR_COUNT];
	const struct gt_exemption *exemptions;
	int nexemptions;
	const struct gt_note *notes;
	int nnotes;
	char hash[17];                 /* FNV-1a 64 of the pack's bytes, hex */
	char id[192];                  /* "number version hash": the rule-set version stored */
	const char *origin;            /* where the pack came from ("built-in", a path) */
	/* Compiled at load (gt_eval_plan_make): what gt_evaluate_summary
	 * would otherwise work out rule by rule for every case; not used
	 * unless plan_ready. */
	bool plan_ready;
	struct gt_eval_plan plan[GT_DIR_COUNT][GT_PLAN_KEYS];
	/* Compiled at load: rule i's citation as gt_cite writes it (the
	 * document number and the clause), NULL when not compiled. */
	const struct gt_cite_text {
		const char *s;
		uint32_t len;
	} *cites;
};

/* The loaded document versions, sorted by region then in-force date. */
struct gt_ruleset {
	struct gt_docver **v;
	int n, cap;
};

/* Installs rs as the rules every later evaluation reads (the caller keeps it
 * alive). Not thread-safe: call at start, before evaluating. */
void gt_rules_install(const struct gt_ruleset *rs);

/* The installed rules; the built-in packs, compiled at first use, when none
 * were installed. Never NULL (an empty set if the built-ins fail: see
 * gt_rules_builtin_error). */
const struct gt_ruleset *gt_rules_active(void);

/* The version of a region's document in force on a date: the latest whose
 * in-force date is not after it; the earliest when the date is before all
 * (the caller sees doc.effective > date). NULL when the region has none. */
const struct gt_docver *gt_rules_for(int region, gt_date date);

/* The rows of one direction of a version: dv->rules[*first .. *first + *count). */
void gt_rules_range(const struct gt_docver *dv, int direction, int *first, int *count);

/* Why the built-in packs did not load, or NULL. */
const char *gt_rules_builtin_error(void);

#endif
