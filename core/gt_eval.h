/* The generic evaluator: every rule of the case's region and direction, each
 * condition required vs actual, and the spec's summary row. */
#ifndef GT_EVAL_H
#define GT_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gt_case.h"
#include "gt_rules.h"

enum gt_cond_state { GT_COND_MET, GT_COND_UNMET, GT_COND_PENDING };

/* One condition of one pathway, as required and as the applicant has it. */
/* How to read a condition's need and have. */
enum gt_cond_what {
	GT_WHAT_FLAG,      /* need 1, have 0/1 (region, pilot, related, frontline, honour) */
	GT_WHAT_SKILL_MIN, /* need: a gt_skill at least; have: the held one */
	GT_WHAT_TITLE_MIN, /* need: a gt_title at least; have: the held one */
	GT_WHAT_TITLE_MAX, /* need: a gt_title at most; have: the held one */
	GT_WHAT_YEARS,     /* need: years; have: whole months completed */
	GT_WHAT_SERIES,    /* need: a series mask; have: the gt_series */
	GT_WHAT_APPRAISALS,/* need 3; have 0-3, or -1 unknown */
};

struct gt_cond {
	uint8_t code;      /* gt_unmet */
	uint8_t state;     /* enum gt_cond_state */
	uint8_t what;      /* enum gt_cond_what */
	int16_t need;
	int16_t have;
	gt_date since;     /* the date the years count from */
	gt_date met_on;    /* years: the date the threshold is (or was) reached */
	const char *clause;/* where this condition comes from */
};

#define GT_MAX_CONDS 16 /* a rule has at most 15: see test_rules.c */
#define GT_MAX_PATHS 24

/* One pathway: a rule applied to the case. */
struct gt_path {
	const struct gt_rule *rule;
	uint8_t outcome;        /* eligible, needs_evidence, not_eligible, manual_review */
	int8_t target;          /* the level it gives, or -1 when the text fixes none */
	bool candidate;         /* counts for the summary (gives a level above what is held,
	                           or the requested one) */
	uint16_t unmet;         /* bit per gt_unmet */
	uint16_t required_ev;   /* bit per gt_evidence */
	uint16_t missing_ev;
	uint32_t basis_honours; /* honours it rests on */
	uint16_t basis_comps;   /* bit per index into case->comps */
	uint8_t presented;      /* the applicant's entries in competitions the rule names */
	gt_date ready_on;       /* when every year condition is met (GT_DATE_NONE: no years) */
	uint8_t nconds;
	struct gt_cond conds[GT_MAX_CONDS];
};

/* Why a summary was chosen, for the message. */
enum gt_summary_kind {
	GT_SUM_ELIGIBLE,        /* a path reaches the target */
	GT_SUM_MANUAL,          /* a manual-review rule decides */
	GT_SUM_NOT_ELIGIBLE,    /* nearest rule not met */
	GT_SUM_NO_RULE,         /* requested level no rule gives */
	GT_SUM_VETOED,
	GT_SUM_NOT_IN_FORCE,    /* application date before the document took effect */
	GT_SUM_NOTHING_ABOVE,   /* no rule gives a level above what is held */
};

struct gt_eval {
	const struct gt_case *c;
	const struct gt_docver *dv; /* the document version that judged the case */
	uint8_t outcome;        /* gt_outcome */
	uint8_t kind;           /* enum gt_summary_kind */
	int8_t target;          /* level code index, -1 when empty */
	uint8_t route;          /* gt_route */
	int chosen;             /* index into paths, -1 when none */
	int next;               /* a higher level that waits only for years, or -1 */
	uint16_t unmet;
	uint16_t missing_ev;
	uint32_t basis_honours;
	uint16_t basis_comps;
	bool basis_level;       /* the held skill level is the basis (Jiangsu 特级技师) */
	bool theory_exempt;
	const struct gt_exemption *exemption; /* the clause that waives the theory exam */
	bool diploma_unproven;  /* diploma_related but no diploma in evidence */
	const char *clause;     /* the deciding clause path (with the region's document) */
	uint32_t manual_above;  /* bit per path index: manual routes for a higher level */
	uint32_t notes;         /* bit per dv->notes index that applies */
	int npaths;
	struct gt_path paths[GT_MAX_PATHS];
};

/* Evaluates a valid case. Pure: no I/O, no allocation. */
void gt_evaluate(const struct gt_case *c, struct gt_eval *ev);
/* The same for the summary row alone (screen's CSV): the answer (every
 * field of the gt_eval) is gt_evaluate's, and so is every path the summary
 * may read, except that only the chosen one keeps its conditions (the
 * others' nconds is 0). A path that is no candidate and cannot be `next`
 * (a level was requested, or its target is not above the level held) is
 * not applied: it carries its rule, target and candidate (false), and
 * no_rule as its unmet. What gt_summary_make reads is the same; the
 * explanation, the stored paths and anything else that reads the other
 * paths need gt_evaluate. */
void gt_evaluate_summary(const struct gt_case *c, struct gt_eval *ev);
/* Fills dv->plan from its rules (called by the pack loader once its rules
 * are in place); gt_eval_plan_off makes gt_evaluate_summary work every
 * plan out case by case again (the reference the tests hold the table to). */
void gt_eval_plan_make(struct gt_docver *dv);
void gt_eval_plan_off(bool off);

/* The code table of the levels a direction gives. */
static inline const struct gt_code_table *gt_level_table(int direction)
{
	return direction == GT_DIR_SKILL_TO_TITLE ? &gt_title_levels : &gt_skill_levels;
}

/* The level code of a target for the case's direction ("" when -1). */
const char *gt_level_code(int direction, int level);
const char *gt_level_zh(int direction, int level);

/* The summary's text columns. Each writes a NUL-terminated string and returns
 * its length (truncating at size-1). */
size_t gt_eval_basis(const struct gt_eval *ev, char *buf, size_t size);
size_t gt_eval_citation(const struct gt_eval *ev, char *buf, size_t size);
/* gt_eval_citation copies the chosen rule's citation compiled at load
 * (dv->cites); off, it makes it with gt_cite (the tests' reference). */
void gt_eval_cites_off(bool off);
size_t gt_eval_message(const struct gt_eval *ev, char *buf, size_t size);
/* The same, given the case's citation (gt_eval_citation's text and length,
 * made once for the summary's column; NULL: made here). */
size_t gt_eval_message_cited(const struct gt_eval *ev, const char *citation, size_t citation_len,
			     char *buf, size_t size);
size_t gt_mask_codes(const struct gt_code_table *t, uint32_t mask, char *buf, size_t size);

/* One condition in words, what is required and what the applicant has
 * (the explanation's line without its mark). */
size_t gt_cond_text(const struct gt_cond *k, char *buf, size_t size);

/* Full citation of a clause of a document version. */
size_t gt_cite(const struct gt_docver *dv, const char *clause, char *buf, size_t size);

/* The rule-set version an evaluation is stored with: the document number,
 * the pack's version and its content hash (gt_docver.id). */
const char *gt_eval_ruleset(const struct gt_eval *ev);

/* Whether condition i of a path says what an earlier one of it says (the
 * scope and the rule may ask the same level): shown once. */
bool gt_cond_repeats(const struct gt_path *p, int i);
/* What a path lacks, short, for a route on one line ("lacks 技师; short by
 * 3 years"); "" when nothing. */
size_t gt_path_gaps(const struct gt_path *p, char *buf, size_t size);

/* The level an answer is about, for a list of cases: the target; else the
 * nearest route's (not eligible); else, vetoed with no level applied for,
 * the highest a route would give without the veto; -1 when none. */
int gt_eval_level(const struct gt_eval *ev);

/* The full explanation: every pathway, each condition required vs actual,
 * the dates year thresholds are met, missing evidence, citations. */
void gt_explain(const struct gt_eval *ev, FILE *out);
/* The same, made visible for a terminal (gt_vis, line breaks kept): the
 * explanation carries the applicant's name and case_ref as given. */
void gt_explain_visible(const struct gt_eval *ev, FILE *out);
/* A writer of many explanations (screen --explain): they go out through one
 * buffer kept from case to case, in large writes; text between them
 * (gt_explain_out_text) keeps its place. visible: as gt_explain_visible.
 * NULL without memory. Free (which flushes) before checking out's errors. */
struct gt_explain_out;
struct gt_explain_out *gt_explain_out_new(FILE *out, bool visible);
void gt_explain_out_case(struct gt_explain_out *eo, const struct gt_eval *ev);
void gt_explain_out_text(struct gt_explain_out *eo, const char *s, size_t n);
void gt_explain_out_free(struct gt_explain_out *eo);
/* The explanation's pieces are translated and measured once per language and
 * kept (on by default); off, each is worked out afresh on every use, the
 * reference for the tests. */
void gt_explain_cache(bool on);

#endif
