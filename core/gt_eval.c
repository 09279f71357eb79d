/* The generic evaluator: applies every rule row of the case's region and
 * direction, then picks the summary row by the spec's tie rules. */
#include <string.h>

#include "gt_eval.h"

#define BIT(x) (1u << (x))

/* Inlined into each of its callers with `full` a constant: the summary's
 * evaluation (full false) then carries none of the conditions' stores. */
#define EVAL_INLINE static inline __attribute__((always_inline))

/* The index of the lowest path in a set, taken out of it. */
static inline int take_bit(uint32_t *set)
{
	int i = __builtin_ctz(*set);
	*set &= *set - 1;
	return i;
}

/* Bits set in a 16-bit mask: __builtin_popcount is a library call on the
 * baseline x86-64 this is built for. */
static inline int bit_count16(unsigned v)
{
	v = v - ((v >> 1) & 0x5555u);
	v = (v & 0x3333u) + ((v >> 2) & 0x3333u);
	v = (v + (v >> 4)) & 0x0f0fu;
	return (int)((v + (v >> 8)) & 0x1fu);
}

/* Nearness order of unmet codes (spec 5): later is nearer. */
static int nearness(int code)
{
	switch (code) {
	case GT_UNMET_HELD_LEVEL: return 1;
	case GT_UNMET_RELATED: return 2;
	case GT_UNMET_HONOUR: return 3;
	case GT_UNMET_FRONTLINE: return 4;
	case GT_UNMET_APPRAISAL: return 5;
	case GT_UNMET_YEARS_IN_REGION: return 6;
	case GT_UNMET_YEARS_CUMULATIVE: return 7;
	case GT_UNMET_YEARS_SINCE_LEVEL: return 8;
	case GT_UNMET_NO_RULE: return 9;
	default: return 0; /* scope_* */
	}
}

#define YEAR_BITS (BIT(GT_UNMET_YEARS_SINCE_LEVEL) | BIT(GT_UNMET_YEARS_CUMULATIVE) | \
		   BIT(GT_UNMET_YEARS_IN_REGION))
#define SCOPE_BITS (BIT(GT_UNMET_SCOPE_LEVEL) | BIT(GT_UNMET_SCOPE_SERIES) | \
		    BIT(GT_UNMET_SCOPE_REGION) | BIT(GT_UNMET_SCOPE_PILOT))

/* A path's conditions as they are built: the next free slot, the unmet bits
 * and the day every year condition is met, kept in locals rather than read
 * back through the path after each store. */
struct cond_sink {
	struct gt_cond *k;
	uint16_t unmet;
	gt_date ready_on;
};

/* Adds a condition; without `full` only its unmet bit (returns NULL). */
EVAL_INLINE struct gt_cond *add_cond_x(struct cond_sink *s, bool full, int code, int what, bool met,
				       int need, int have, const char *clause)
{
	s->unmet |= (uint16_t)((unsigned)!met << code);
	if (!full)
		return NULL;
	struct gt_cond *k = s->k++;
	*k = (struct gt_cond){
		.code = (uint8_t)code,
		.state = met ? GT_COND_MET : GT_COND_UNMET,
		.what = (uint8_t)what,
		.need = (int16_t)need,
		.have = (int16_t)have,
		.since = GT_DATE_NONE,
		.met_on = GT_DATE_NONE,
		.clause = clause,
	};
	return k;
}

static inline struct gt_cond *add_cond(struct cond_sink *s, int code, int what, bool met, int need,
				       int have, const char *clause)
{
	return add_cond_x(s, true, code, what, met, need, have, clause);
}

/* The direction's scope and basic conditions are the same for every rule
 * of it: built once a case, then copied into each path that takes them. */
struct scope_conds {
	struct gt_cond head[4];     /* scope level (skill, title), series, region, pilot */
	int nhead;
	uint16_t head_unmet;
	struct gt_cond appraisal;   /* when the scope asks 近3年年度考核合格 */
	uint16_t appraisal_unmet;
	uint16_t appraisal_missing; /* appraisal_records, when the count is blank */
	struct gt_cond frontline;   /* when the scope asks a frontline post */
	uint16_t frontline_unmet;
	/* Evidence of the post, for a rule with a frontline condition and for
	 * one without: frontline_proof when a frontline post is shown, else
	 * employment_proof for one in scope as self-employed (interp. 25, 41). */
	uint16_t ev_frontline, ev_no_frontline;
};

EVAL_INLINE void scope_conds_build(struct scope_conds *sh, const struct gt_case *c,
				   const struct gt_scope *sc)
{
	struct cond_sink s = { .k = sh->head, .unmet = 0, .ready_on = GT_DATE_NONE };
	if (sc->min_skill)
		add_cond(&s, GT_UNMET_SCOPE_LEVEL, GT_WHAT_SKILL_MIN, c->skill >= sc->min_skill,
			 sc->min_skill, c->skill, sc->level_clause);
	if (sc->min_title)
		add_cond(&s, GT_UNMET_SCOPE_LEVEL, GT_WHAT_TITLE_MIN, c->title >= sc->min_title,
			 sc->min_title, c->title, sc->level_clause);
	if (sc->series_mask != 0xFF)
		add_cond(&s, GT_UNMET_SCOPE_SERIES, GT_WHAT_SERIES, sc->series_mask & BIT(c->series),
			 sc->series_mask, c->series, sc->series_clause);
	add_cond(&s, GT_UNMET_SCOPE_REGION, GT_WHAT_FLAG, c->employed_in_region, 1,
		 c->employed_in_region, sc->region_clause);
	if (sc->pilot)
		add_cond(&s, GT_UNMET_SCOPE_PILOT, GT_WHAT_FLAG, c->pilot_enterprise, 1,
			 c->pilot_enterprise, sc->pilot_clause);
	sh->nhead = (int)(s.k - sh->head);
	sh->head_unmet = s.unmet;

	/* 近3年年度考核合格 where the direction's basic conditions ask it (interp. 2, 19). */
	sh->appraisal_missing = 0;
	if (sc->appraisal) {
		s = (struct cond_sink){ .k = &sh->appraisal, .unmet = 0, .ready_on = GT_DATE_NONE };
		struct gt_cond *k = add_cond(&s, GT_UNMET_APPRAISAL, GT_WHAT_APPRAISALS,
					     c->appraisals < 0 || c->appraisals >= 3, 3,
					     c->appraisals, sc->appraisal_clause);
		if (c->appraisals < 0) {
			k->state = GT_COND_PENDING;
			sh->appraisal_missing = BIT(GT_EV_APPRAISAL_RECORDS);
		}
		sh->appraisal_unmet = s.unmet;
	}
	/* The region's frontline scope (interp. 5, 13), unless a rule asks its own. */
	if (sc->frontline != GT_FL_NONE) {
		s = (struct cond_sink){ .k = &sh->frontline, .unmet = 0, .ready_on = GT_DATE_NONE };
		bool met = c->frontline || (sc->frontline == GT_FL_FRONTLINE_OR_SELF && c->self_employed);
		add_cond(&s, GT_UNMET_FRONTLINE, GT_WHAT_FLAG, met, 1, met, sc->frontline_clause);
		sh->frontline_unmet = s.unmet;
	}
	uint16_t self_employed = sc->self_employed_proof && c->self_employed
		? BIT(GT_EV_EMPLOYMENT_PROOF) : 0;
	sh->ev_frontline = c->frontline ? BIT(GT_EV_FRONTLINE_PROOF) : self_employed;
	sh->ev_no_frontline = self_employed;
}

/* The dates a case's year conditions count from, each taken apart once per
 * case: the rules of a direction count from the same three or four dates,
 * and the calendar arithmetic is most of the evaluator's work otherwise. */
struct since_memo {
	gt_date at;             /* the application date */
	int ay, am, ad;         /* at taken apart, when `at_split` */
	bool at_split;
	int n;
	struct {
		gt_date date;
		int y, m, d;
		int months;     /* whole months completed on `at`; -1: not yet counted */
	} e[4];
};

static int since_index(struct since_memo *mm, gt_date since)
{
	for (int i = 0; i < mm->n; i++)
		if (mm->e[i].date == since)
			return i;
	int i = mm->n < 4 ? mm->n++ : 3; /* a case has four dates at most */
	mm->e[i].date = since;
	gt_date_to_ymd(since, &mm->e[i].y, &mm->e[i].m, &mm->e[i].d);
	mm->e[i].months = -1;
	return i;
}

/* The months a condition shows as had: counted only for a condition that
 * is kept (the summary's other paths need only the date the years are met). */
EVAL_INLINE int since_months(struct since_memo *mm, int i)
{
	if (mm->e[i].months < 0) {
		if (!mm->at_split) {
			gt_date_to_ymd(mm->at, &mm->ay, &mm->am, &mm->ad);
			mm->at_split = true;
		}
		mm->e[i].months = mm->e[i].date < mm->at
			? gt_months_between_ymd(mm->e[i].y, mm->e[i].m, mm->e[i].d, mm->ay, mm->am, mm->ad)
			: 0;
	}
	return mm->e[i].months;
}

/* A year condition counted from `since` (GT_DATE_NONE: not known). */
EVAL_INLINE void add_years(struct cond_sink *s, bool full, struct since_memo *mm, int code, int years,
			   gt_date since, bool pending_when_unknown, const char *clause)
{
	if (since == GT_DATE_NONE) {
		/* Unknown start: pending (evidence to collect) or simply unmet. */
		struct gt_cond *k = add_cond_x(s, full, code, GT_WHAT_YEARS, pending_when_unknown, years,
					       0, clause);
		if (full && pending_when_unknown)
			k->state = GT_COND_PENDING;
		return;
	}
	int i = since_index(mm, since);
	gt_date when = gt_date_add_years_ymd(since, mm->e[i].y, mm->e[i].m, mm->e[i].d, years);
	struct gt_cond *k = add_cond_x(s, full, code, GT_WHAT_YEARS, mm->at >= when, years,
				       full ? since_months(mm, i) : 0, clause);
	if (full) {
		k->since = since;
		k->met_on = when;
	}
	if (s->ready_on == GT_DATE_NONE || when > s->ready_on)
		s->ready_on = when;
}

static bool admit_matches(const struct gt_comp_admit *a, const struct gt_comp_entry *e)
{
	if (!(a->comps & BIT(e->comp)) || !(a->roles & BIT(e->role)))
		return false;
	if (a->results & BIT(e->result))
		return true; /* GT_RES_RANK in results admits any placement */
	/* 前N名: medals count as ranks 1-3, prizes do not (interp. 6). */
	int team = e->team_size >= 1 && e->team_size <= 3 ? e->team_size : 1;
	return e->rank > 0 && e->rank <= a->rank_max[team - 1];
}

static int match_title_skill(int title)
{
	/* interp. 8: 助理级 → 高级工, 中级 → 技师, 副高级 and above → 高级技师 */
	switch (title) {
	case GT_TITLE_ASSISTANT: return GT_SKILL_SENIOR;
	case GT_TITLE_INTERMEDIATE: return GT_SKILL_TECHNICIAN;
	case GT_TITLE_DEPUTY_SENIOR:
	case GT_TITLE_FULL_SENIOR: return GT_SKILL_SENIOR_TECHNICIAN;
	default: return -1;
	}
}

/* The level a rule gives the case, or -1 when the text fixes none. */
static inline int8_t rule_target(const struct gt_case *c, const struct gt_rule *r)
{
	switch (r->target_kind) {
	case GT_TGT_FIXED:
		return (int8_t)r->target;
	case GT_TGT_TITLE_UP_CAP:
		if (c->title == GT_TITLE_NONE)
			return -1;
		return (int8_t)(c->title + 1 < r->target ? c->title + 1 : r->target);
	case GT_TGT_MATCH_TITLE:
		return (int8_t)match_title_skill(c->title);
	case GT_TGT_NEXT_SKILL:
		/* 晋级 stops at the top of its ladder (interp. 21) */
		return c->skill >= GT_SKILL_JUNIOR && c->skill < r->target ? (int8_t)(c->skill + 1) : -1;
	default:
		return -1;
	}
}

/* A rule applied to the case. Without `full`, the path's conditions are
 * not kept (nconds 0): everything else of it is as with them. */
EVAL_INLINE void eval_rule(const struct gt_case *c, const struct gt_scope *sc,
			   const struct scope_conds *sh, const struct gt_rule *r, struct gt_path *p,
			   struct since_memo *mm, bool full, int8_t target)
{
	struct cond_sink s = { .k = p->conds, .unmet = 0, .ready_on = GT_DATE_NONE };
	uint16_t forced_missing = 0;

	p->rule = r;
	p->basis_honours = 0;
	p->basis_comps = 0;
	p->presented = 0;
	p->candidate = false;

	p->target = target; /* rule_target(c, r) */

	/* Scope and basic conditions of the region and direction, less what
	 * the rule leaves out (Guangzhou 以赛代评: level scope and pilot). */
	uint16_t skip = (r->flags & GT_RF_NO_LEVEL_SCOPE ? BIT(GT_UNMET_SCOPE_LEVEL) : 0) |
			(r->flags & GT_RF_NO_PILOT ? BIT(GT_UNMET_SCOPE_PILOT) : 0);
	if (!full) {
		/* only the unmet bits, below */
	} else if (!skip) {
		/* All four slots at once (a path has room for 16): cheaper than
		 * a loop over the ones that are filled. */
		memcpy(s.k, sh->head, sizeof sh->head);
		s.k += sh->nhead;
	} else {
		for (int i = 0; i < sh->nhead; i++)
			if (!(skip & BIT(sh->head[i].code)))
				*s.k++ = sh->head[i];
	}
	s.unmet = sh->head_unmet & (uint16_t)~skip;

	/* The level the rule starts from (interp. 4: more than asked satisfies). */
	if (r->min_skill) {
		struct gt_cond *k = add_cond_x(&s, full, GT_UNMET_HELD_LEVEL, GT_WHAT_SKILL_MIN,
					       c->skill >= r->min_skill, r->min_skill, c->skill, r->clause);
		if (full)
			k->since = c->skill_date;
	}
	if (r->min_title) {
		struct gt_cond *k = add_cond_x(&s, full, GT_UNMET_HELD_LEVEL, GT_WHAT_TITLE_MIN,
					       c->title >= r->min_title, r->min_title, c->title, r->clause);
		if (full)
			k->since = c->title_date;
	}
	if (r->max_title != 0xFF)
		add_cond_x(&s, full, GT_UNMET_HELD_LEVEL, GT_WHAT_TITLE_MAX, c->title <= r->max_title,
			   r->max_title, c->title, r->clause);
	if (r->flags & GT_RF_RELATED)
		add_cond_x(&s, full, GT_UNMET_RELATED, GT_WHAT_FLAG, c->related, 1, c->related, r->clause);

	/* 取得 X 后满 N 年: from the held level's date (interp. 3, 4). */
	if (r->years_since) {
		bool held = r->years_from == GT_FROM_SKILL ? c->skill >= r->min_skill && c->skill
							   : c->title >= r->min_title && c->title;
		gt_date since = r->years_from == GT_FROM_SKILL ? c->skill_date : c->title_date;
		add_years(&s, full, mm, GT_UNMET_YEARS_SINCE_LEVEL, r->years_since,
			  held ? since : GT_DATE_NONE, false, r->clause);
	}
	/* 累计工作年限 from work_start; blank is pending (interp. 3). */
	if (r->years_cumulative) {
		add_years(&s, full, mm, GT_UNMET_YEARS_CUMULATIVE, r->years_cumulative, c->work_start,
			  true, r->clause);
		if (c->work_start == GT_DATE_NONE)
			forced_missing |= BIT(GT_EV_WORK_RECORD);
	}

	/* 近3年年度考核合格 where the direction's basic conditions ask it (built once a case). */
	if (sc->appraisal) {
		if (full)
			*s.k++ = sh->appraisal;
		s.unmet |= sh->appraisal_unmet;
		forced_missing |= sh->appraisal_missing;
	}

	/* Frontline: the clause's own, or the region's scope (interp. 5, 13). */
	bool frontline = true;
	if (r->flags & GT_RF_FRONTLINE) {
		add_cond_x(&s, full, GT_UNMET_FRONTLINE, GT_WHAT_FLAG, c->frontline, 1, c->frontline,
			   r->clause);
	} else if (sc->frontline != GT_FL_NONE) {
		if (full)
			*s.k++ = sh->frontline;
		s.unmet |= sh->frontline_unmet;
	} else {
		frontline = false;
	}

	/* The honour or competition result the route rests on. */
	if (r->honours || r->nadmits) {
		uint32_t honours = c->honours & r->honours;
		uint16_t comps = 0;
		uint8_t presented = 0;
		for (int i = 0; i < c->ncomps; i++)
			for (int a = 0; a < r->nadmits; a++) {
				if (r->admits[a].comps & BIT(c->comps[i].comp))
					presented++;
				if (admit_matches(&r->admits[a], &c->comps[i])) {
					comps |= (uint16_t)BIT(i);
					break;
				}
			}
		p->basis_honours = honours;
		p->basis_comps = comps;
		p->presented = presented;
		add_cond_x(&s, full, GT_UNMET_HONOUR, GT_WHAT_FLAG, honours || comps, 1,
			   honours || comps, r->clause);
	}

	if (r->years_in_region) {
		add_years(&s, full, mm, GT_UNMET_YEARS_IN_REGION, r->years_in_region,
			  c->region_work_start, true, r->clause);
		if (c->region_work_start == GT_DATE_NONE)
			forced_missing |= BIT(GT_EV_EMPLOYMENT_PROOF);
	}

	/* Evidence (spec: Evidence): what the rule asks whatever the case holds
	 * (compiled at load: gt_pack.c, with the achievements of a fixed
	 * level), then what depends on the case: the frontline post or the
	 * employment of one in scope as self-employed (built once a case). */
	uint16_t ev = r->evidence_asked | (frontline ? sh->ev_frontline : sh->ev_no_frontline);
	if (r->target_kind != GT_TGT_FIXED) {
		/* The title a relative level is counted from (interp. 24). */
		if ((r->target_kind == GT_TGT_TITLE_UP_CAP || r->target_kind == GT_TGT_MATCH_TITLE) &&
		    p->target >= 0)
			ev |= BIT(GT_EV_TITLE_CERTIFICATE);
		/* Achievements of the levels that ask them; a rule that fixes no
		 * level asks them for a requested level (interp. 26, 41). */
		int level = p->target >= 0 ? p->target : c->requested;
		if (level >= 0 && (sc->achievement_levels & BIT(level)))
			ev |= BIT(GT_EV_ACHIEVEMENT_EVIDENCE);
	}
	p->required_ev = ev;
	p->missing_ev = (uint16_t)((ev & ~c->evidence) | forced_missing);

	/* Report causes, not their consequences: below the document's level
	 * scope the rule's own level does not matter; without the level, no
	 * years count from it. Region, series and pilot are independent facts. */
	uint16_t unmet = s.unmet;
	if (unmet & BIT(GT_UNMET_SCOPE_LEVEL))
		unmet &= (uint16_t)~BIT(GT_UNMET_HELD_LEVEL);
	if ((unmet & (BIT(GT_UNMET_SCOPE_LEVEL) | BIT(GT_UNMET_HELD_LEVEL))) && r->years_since)
		unmet &= (uint16_t)~BIT(GT_UNMET_YEARS_SINCE_LEVEL);
	p->unmet = unmet;
	p->nconds = (uint8_t)(s.k - p->conds);
	p->ready_on = s.ready_on;

	if (unmet)
		p->outcome = GT_OUT_NOT_ELIGIBLE;
	else if ((r->flags & GT_RF_MANUAL) || p->target < 0)
		p->outcome = GT_OUT_MANUAL_REVIEW;
	else
		p->outcome = p->missing_ev ? GT_OUT_NEEDS_EVIDENCE : GT_OUT_ELIGIBLE;
}

/* Whether a path gives `level`, or (level < 0) some level above `held`
 * (spec 2, 5; interp. 22, 32, 36). */
EVAL_INLINE bool path_gives(const struct gt_path *p, int level, int held)
{
	const struct gt_rule *r = p->rule;
	/* A relative or bounded level, or Guangzhou's open step, is given only
	 * above what is held, also to a request (spec 5; interp. 36, 41). */
	bool above_only = r->target_kind != GT_TGT_FIXED &&
			  (r->target_kind != GT_TGT_OPEN || (r->flags & GT_RF_ABOVE_HELD));
	if (level >= 0 && above_only && level <= held)
		return false;
	if (p->target >= 0)
		return level >= 0 ? p->target == level : p->target > held;
	if (r->target_kind == GT_TGT_NEXT_SKILL) {
		/* 晋级 with nothing held: a candidate failing held_level, for a
		 * request of 初级工 only; at the top of its ladder: none. */
		if (held != GT_SKILL_NONE)
			return false;
		return level < 0 || level == GT_SKILL_JUNIOR;
	}
	/* A level the clause does not fix: any in the rule's mask. */
	if (level >= 0)
		return (r->target_mask & BIT(level)) != 0;
	return (r->target_mask >> (held + 1)) != 0;
}

/* The nearness key of a path's unmet set: the earliest (least near) code. */
static int near_key(uint16_t unmet)
{
	int k = 99;
	for (int i = 0; i < GT_UNMET_COUNT; i++)
		if ((unmet & BIT(i)) && nearness(i) < k)
			k = nearness(i);
	return k;
}

/* Is a better than b as the nearest unmet rule (spec 5)? */
EVAL_INLINE bool nearer(const struct gt_path *a, const struct gt_path *b)
{
	bool sa = !(a->unmet & SCOPE_BITS), sb = !(b->unmet & SCOPE_BITS);
	if (sa != sb)
		return sa;
	if (a->target != b->target)
		return a->target < b->target; /* -1 (not fixed) counts as lowest */
	int na = bit_count16(a->unmet), nb = bit_count16(b->unmet);
	if (na != nb)
		return na < nb;
	if (a->rule->route != b->rule->route)
		return a->rule->route < b->rule->route;
	if (near_key(a->unmet) != near_key(b->unmet))
		return near_key(a->unmet) > near_key(b->unmet);
	/* The spec stops here; of the rest, the clause that names a competition
	 * the applicant took part in, so the citation says what was measured. */
	return a->presented > b->presented;
}

/* Is a better than b among manual routes (spec 4, last sentence)? The clause
 * fixing the highest level first (one fixing none counts lowest), then route
 * order; the earlier clause otherwise (the caller keeps the first). */
static bool better_manual(const struct gt_path *a, const struct gt_path *b)
{
	if (a->target != b->target)
		return a->target > b->target;
	return a->rule->route < b->rule->route;
}

/* Alternatives of one clause that tie completely (same level, route, outcome
 * and missing evidence) are reported together in basis (interp. 34). */
static bool complete_tie(const struct gt_path *a, const struct gt_path *b)
{
	return a->target == b->target && a->rule->route == b->rule->route &&
	       a->outcome == b->outcome && a->missing_ev == b->missing_ev &&
	       strcmp(a->rule->clause, b->rule->clause) == 0;
}

/* Is a better than b among reaching paths (spec 3, 4)? */
EVAL_INLINE bool better_reach(const struct gt_path *a, const struct gt_path *b, bool by_level)
{
	if (by_level && a->target != b->target)
		return a->target > b->target;
	if (a->outcome != b->outcome)
		return a->outcome == GT_OUT_ELIGIBLE;
	if (a->rule->route != b->rule->route)
		return a->rule->route < b->rule->route;
	/* The spec stops here; of the rest, the one that asks for less. */
	return bit_count16(a->missing_ev) < bit_count16(b->missing_ev);
}

static bool corresponding_levels(const struct gt_case *c)
{
	int s = match_title_skill(c->title);
	return s >= 0 && c->skill >= GT_SKILL_SENIOR && c->skill == s;
}

EVAL_INLINE void find_exemption(const struct gt_case *c, struct gt_eval *ev, const struct gt_path *p)
{
	for (int i = 0; i < ev->dv->nexemptions; i++) {
		const struct gt_exemption *x = &ev->dv->exemptions[i];
		if (x->region != c->region)
			continue;
		if (x->route_mask && !(x->route_mask & BIT(p->rule->route)))
			continue;
		if (x->rule_clause && strcmp(x->rule_clause, p->rule->clause) != 0)
			continue;
		if (x->target_mask && (p->target < 0 || !(x->target_mask & BIT(p->target))))
			continue;
		if (!x->by_diploma) {
			ev->theory_exempt = true;
			ev->exemption = x;
			return;
		}
		if (c->diploma_related) {
			if (c->evidence & BIT(GT_EV_DIPLOMA)) {
				ev->theory_exempt = true;
				ev->exemption = x;
				return;
			}
			ev->diploma_unproven = true;
			ev->exemption = x;
		}
	}
}

/* Whether the summary can leave a rule unapplied: it is no candidate (the
 * summary chooses among candidates alone), and with a level requested, or
 * at a level not above the one held, it cannot be the higher level that
 * waits for years either (`next`: above the target chosen, itself above
 * what is held). Such a path is left with its rule, target and candidate
 * (false) set, no conditions, and no_rule as its only unmet code (so that
 * nothing can take it for a route that waits for years). */
static inline void summary_skip_fill(const struct gt_rule *r, struct gt_path *p, int8_t target)
{
	p->rule = r;
	p->target = target;
	p->outcome = GT_OUT_NOT_ELIGIBLE;
	p->candidate = false;
	p->unmet = BIT(GT_UNMET_NO_RULE);
	p->required_ev = p->missing_ev = 0;
	p->basis_honours = 0;
	p->basis_comps = 0;
	p->presented = 0;
	p->ready_on = GT_DATE_NONE;
	p->nconds = 0;
}

/* Whether a path is a candidate (spec 5; interp. 22: a rule bounded by the
 * title held is none for one who holds more); p's rule and target set. */
static inline bool is_candidate(const struct gt_case *c, const struct gt_path *p, int req, int held)
{
	return c->title <= p->rule->max_title && path_gives(p, req, held);
}

static inline bool summary_skips(const struct gt_case *c, const struct gt_rule *r, struct gt_path *p,
				 int req, int held)
{
	p->rule = r;
	p->target = rule_target(c, r);
	if ((req < 0 && p->target > held) || is_candidate(c, p, req, held))
		return false;
	summary_skip_fill(r, p, p->target);
	return true;
}

/* The plans (struct gt_eval_plan) by requested level, title and skill: -1
 * for a key past the table (no valid case has one). */
static inline int plan_key(int req, int title, int skill)
{
	if ((unsigned)(req + 1) > GT_SKILL_COUNT || (unsigned)title >= GT_TITLE_COUNT ||
	    (unsigned)skill >= GT_SKILL_COUNT)
		return -1;
	return ((req + 1) * GT_TITLE_COUNT + title) * GT_SKILL_COUNT + skill;
}

static _Atomic bool plan_off;

void gt_eval_plan_off(bool off)
{
	plan_off = off;
}

/* Every key's plan, worked out as summary_skips and is_candidate work it
 * out for a case: they read of the case its direction, title, skill and
 * requested level alone. */
void gt_eval_plan_make(struct gt_docver *dv)
{
	static const struct gt_case zero;
	struct gt_case c = zero;
	struct gt_path p;
	dv->plan_ready = false;
	for (int dir = 0; dir < GT_DIR_COUNT; dir++) {
		if (dv->count[dir] > GT_PLAN_PATHS)
			return;
		for (int req = -1; req < GT_SKILL_COUNT; req++)
			for (int title = 0; title < GT_TITLE_COUNT; title++)
				for (int skill = 0; skill < GT_SKILL_COUNT; skill++) {
					c.direction = (uint8_t)dir;
					c.title = (uint8_t)title;
					c.skill = (uint8_t)skill;
					c.requested = (int8_t)req;
					int held = dir == GT_DIR_SKILL_TO_TITLE ? title : skill;
					struct gt_eval_plan *pl = &dv->plan[dir][plan_key(req, title, skill)];
					*pl = (struct gt_eval_plan){ 0, 0, 0, { 0 } };
					for (int i = 0; i < dv->count[dir]; i++) {
						const struct gt_rule *r = &dv->rules[dv->first[dir] + i];
						p.rule = r;
						p.target = pl->target[i] = rule_target(&c, r);
						bool cand = is_candidate(&c, &p, req, held);
						if (cand || (req < 0 && p.target > held))
							pl->live |= BIT(i);
						if (cand)
							pl->candidate |= BIT(i);
						if (cand && req >= 0 && p.target == req)
							pl->fixing |= BIT(i);
					}
				}
	}
	dv->plan_ready = true;
}

/* The conditions of the path the summary chose, for its message (the
 * summary's evaluation keeps no others). */
static void keep_conds(const struct gt_case *c, const struct gt_scope *sc,
		       const struct scope_conds *sh, struct gt_path *p, struct since_memo *mm)
{
	bool candidate = p->candidate;
	eval_rule(c, sc, sh, p->rule, p, mm, true, p->target);
	p->candidate = candidate;
}

EVAL_INLINE void evaluate(const struct gt_case *c, struct gt_eval *ev, bool full)
{
	static const struct gt_docver none = { .doc = { .number = "", .version = "", .title = "",
		.source = "", .effective_clause = "", .veto_clause = "", .until = GT_DATE_NONE } };
	const struct gt_docver *dv = gt_rules_for(c->region, c->application_date);
	if (!dv)
		dv = &none; /* no pack for the region: a manual review below */
	const struct gt_scope *sc = &dv->scopes[c->direction];
	int first, count;

	ev->c = c;
	ev->dv = dv;
	ev->target = -1;
	ev->route = GT_ROUTE_NONE;
	ev->chosen = -1;
	ev->next = -1;
	ev->unmet = 0;
	ev->missing_ev = 0;
	ev->basis_honours = 0;
	ev->basis_comps = 0;
	ev->basis_level = false;
	ev->theory_exempt = false;
	ev->exemption = NULL;
	ev->diploma_unproven = false;
	ev->clause = NULL;
	ev->manual_above = 0;
	ev->notes = 0;

	first = dv->first[c->direction];
	count = dv->count[c->direction];
	if (count > GT_MAX_PATHS)
		count = GT_MAX_PATHS; /* guarded by a test on the table */
	int held = c->direction == GT_DIR_SKILL_TO_TITLE ? c->title : c->skill;
	int req = c->requested;
	struct since_memo mm; /* its entries are filled as they are found */
	mm.at = c->application_date;
	mm.at_split = false;
	mm.n = 0;
	struct scope_conds sh;
	scope_conds_build(&sh, c, sc);
	/* The paths the summary chooses from, as sets (bit i: path i), so that
	 * each step below visits only its own, in path order: the candidates,
	 * those that reach a level, the manual ones, and those that fix the
	 * requested level. */
	uint32_t candidates = 0, reaching = 0, manual = 0, fixing = 0;
	ev->npaths = count;
	/* The summary's plan for the case, compiled at load: which paths it
	 * applies and which are candidates (else worked out path by path). */
	const struct gt_eval_plan *plan = NULL;
	if (!full && dv->plan_ready && !plan_off) {
		int key = plan_key(req, c->title, c->skill);
		if (key >= 0)
			plan = &dv->plan[c->direction][key];
	}
	for (int i = 0; i < count; i++) {
		struct gt_path *p = &ev->paths[i];
		const struct gt_rule *r = &dv->rules[first + i];
		if (plan) {
			if (!(plan->live & BIT(i))) {
				summary_skip_fill(r, p, plan->target[i]);
				continue;
			}
		} else if (!full && summary_skips(c, r, p, req, held)) {
			continue;
		}
		eval_rule(c, sc, &sh, r, p, &mm, full,
			  plan ? plan->target[i] : full ? rule_target(c, r) : p->target);
		p->candidate = plan ? (plan->candidate >> i & 1) != 0 : is_candidate(c, p, req, held);
		if (!p->candidate)
			continue;
		candidates |= BIT(i);
		if (p->outcome == GT_OUT_ELIGIBLE || p->outcome == GT_OUT_NEEDS_EVIDENCE)
			reaching |= BIT(i);
		else if (p->outcome == GT_OUT_MANUAL_REVIEW)
			manual |= BIT(i);
		if (!plan && req >= 0 && p->target == req)
			fixing |= BIT(i);
	}
	if (plan)
		fixing = plan->fixing;

	for (int i = 0; i < dv->nnotes; i++) {
		const struct gt_note *n = &dv->notes[i];
		if (n->region != c->region || !(n->direction_mask & BIT(c->direction)))
			continue;
		if ((n->kind == GT_NOTE_TECH_SCHOOL && c->tech_school != GT_SCHOOL_NONE) ||
		    (n->kind == GT_NOTE_PUBLIC_INSTITUTION && c->public_institution_worker) ||
		    (n->kind == GT_NOTE_BOTH_LEVELS && corresponding_levels(c)))
			ev->notes |= BIT(i);
	}

	/* 1. The veto comes before anything else (interp. 10). */
	if (c->integrity_flag) {
		ev->outcome = GT_OUT_VETOED;
		ev->kind = GT_SUM_VETOED;
		ev->target = (int8_t)req;
		ev->clause = dv->doc.veto_clause;
		return;
	}
	/* A document not yet in force on the application date (interp. 38). */
	if (dv == &none || c->application_date < dv->doc.effective) {
		ev->outcome = GT_OUT_MANUAL_REVIEW;
		ev->kind = GT_SUM_NOT_IN_FORCE;
		ev->target = (int8_t)req;
		ev->clause = dv->doc.effective_clause;
		return;
	}

	/* 2-4. The best path that reaches a level. */
	int best = -1;
	for (uint32_t set = reaching; set;) {
		int i = take_bit(&set);
		if (best < 0 || better_reach(&ev->paths[i], &ev->paths[best], req < 0))
			best = i;
	}
	if (best >= 0) {
		const struct gt_path *p = &ev->paths[best];
		ev->kind = GT_SUM_ELIGIBLE;
		ev->outcome = p->outcome;
		ev->target = p->target;
		ev->missing_ev = p->missing_ev;
		for (uint32_t set = manual; set;) {
			int i = take_bit(&set);
			if (path_gives(&ev->paths[i], -1, p->target))
				ev->manual_above |= BIT(i);
		}
		/* A higher level that only waits for years: say when. */
		for (int i = 0; req < 0 && i < count; i++) {
			const struct gt_path *q = &ev->paths[i];
			if (q->target > p->target && q->outcome == GT_OUT_NOT_ELIGIBLE &&
			    !(q->unmet & ~YEAR_BITS) &&
			    (ev->next < 0 || q->target > ev->paths[ev->next].target ||
			     (q->target == ev->paths[ev->next].target &&
			      q->ready_on < ev->paths[ev->next].ready_on)))
				ev->next = i;
		}
	} else {
		for (uint32_t set = manual; set;) {
			int i = take_bit(&set);
			if (best < 0 || better_manual(&ev->paths[i], &ev->paths[best]))
				best = i;
		}
		if (best >= 0) {
			const struct gt_path *p = &ev->paths[best];
			ev->kind = GT_SUM_MANUAL;
			ev->outcome = GT_OUT_MANUAL_REVIEW;
			/* The level a manual clause would give goes in the message,
			 * not in target (spec: target). */
			ev->target = (int8_t)req;
			ev->missing_ev = p->missing_ev;
		}
	}
	if (best >= 0) {
		const struct gt_path *p = &ev->paths[best];
		ev->chosen = best;
		if (!full)
			keep_conds(c, sc, &sh, &ev->paths[best], &mm);
		ev->route = p->rule->route;
		ev->clause = p->rule->clause;
		for (uint32_t set = candidates; set;) {
			int i = take_bit(&set);
			const struct gt_path *q = &ev->paths[i];
			if (i != best && !complete_tie(q, p))
				continue;
			ev->basis_honours |= q->basis_honours;
			ev->basis_comps |= q->basis_comps;
			ev->basis_level |= (q->rule->flags & GT_RF_LEVEL_BASIS) != 0;
		}
		if (c->direction == GT_DIR_TITLE_TO_SKILL)
			find_exemption(c, ev, p);
		return;
	}

	/* 5. Nothing qualifies: the nearest rule says what is unmet. */
	ev->outcome = GT_OUT_NOT_ELIGIBLE;
	ev->target = (int8_t)req;
	/* With a level requested, the rules that fix that level come first; a
	 * rule that fixes none is the nearest only when no rule fixes it. */
	int near = -1;
	for (uint32_t set = fixing ? fixing : candidates; set;) {
		int i = take_bit(&set);
		if (near < 0 || nearer(&ev->paths[i], &ev->paths[near]))
			near = i;
	}
	if (near < 0) {
		ev->kind = req >= 0 ? GT_SUM_NO_RULE : GT_SUM_NOTHING_ABOVE;
		ev->unmet = BIT(GT_UNMET_NO_RULE);
		ev->clause = ""; /* the document number alone (spec: citation) */
		return;
	}
	ev->kind = GT_SUM_NOT_ELIGIBLE;
	ev->chosen = near;
	if (!full)
		keep_conds(c, sc, &sh, &ev->paths[near], &mm);
	ev->unmet = ev->paths[near].unmet;
	ev->clause = ev->paths[near].rule->clause;
}

void gt_evaluate(const struct gt_case *c, struct gt_eval *ev)
{
	evaluate(c, ev, true);
}

void gt_evaluate_summary(const struct gt_case *c, struct gt_eval *ev)
{
	evaluate(c, ev, false);
}
