/* Canonical column text of a case, and the screening summary columns. */
#include <stdio.h>
#include <string.h>

#include "gt_format.h"
#include "gt_text.h"

const char *const gt_summary_names[GT_SUM_COUNT] = {
	"outcome", "target", "route", "basis", "unmet", "missing_evidence", "theory_exempt",
	"citation", "message",
};

static size_t put(char *buf, size_t size, const char *s)
{
	struct gt_sb sb = gt_sb_make(buf, size);
	gt_sb_add(&sb, s);
	return sb.len;
}

static size_t put_date(char *buf, size_t size, gt_date d)
{
	if (d == GT_DATE_NONE || size < 11)
		return put(buf, size, "");
	gt_date_format(d, buf);
	return 10;
}

static size_t put_comps(const struct gt_case *c, char *buf, size_t size)
{
	struct gt_sb sb = gt_sb_make(buf, size);
	for (int i = 0; i < c->ncomps; i++) {
		const struct gt_comp_entry *e = &c->comps[i];
		if (i)
			gt_sb_add(&sb, ";");
		gt_sb_add(&sb, gt_code_of(&gt_comps, e->comp));
		if (e->result == GT_RES_RANK)
			gt_sb_addf(&sb, ":rank%u", (unsigned)e->rank);
		else
			gt_sb_addf(&sb, ":%s", gt_code_of(&gt_results, e->result));
		if (e->role != GT_ROLE_WINNER || e->team_size != 1)
			gt_sb_addf(&sb, ":%s", gt_code_of(&gt_roles, e->role));
		if (e->team_size != 1)
			gt_sb_addf(&sb, ":%u", (unsigned)e->team_size);
	}
	return sb.len;
}

size_t gt_case_field(const struct gt_case *c, int col, char *buf, size_t size)
{
	switch ((gt_column)col) {
	case GT_COL_CASE_REF: return put(buf, size, c->case_ref);
	case GT_COL_NAME: return put(buf, size, c->name);
	case GT_COL_ID_NUMBER: return put(buf, size, c->id_number);
	case GT_COL_REGION: return put(buf, size, gt_code_of(&gt_regions, c->region));
	case GT_COL_DIRECTION: return put(buf, size, gt_code_of(&gt_directions, c->direction));
	case GT_COL_SERIES: return put(buf, size, gt_code_of(&gt_series_codes, c->series));
	case GT_COL_OCCUPATION_CODE: return put(buf, size, c->occupation_code);
	case GT_COL_SKILL_LEVEL: return put(buf, size, gt_code_of(&gt_skill_levels, c->skill));
	case GT_COL_SKILL_DATE: return put_date(buf, size, c->skill_date);
	case GT_COL_TITLE_LEVEL: return put(buf, size, gt_code_of(&gt_title_levels, c->title));
	case GT_COL_TITLE_DATE: return put_date(buf, size, c->title_date);
	case GT_COL_RELATED: return put(buf, size, c->related ? "yes" : "no");
	case GT_COL_WORK_START: return put_date(buf, size, c->work_start);
	case GT_COL_APPRAISALS_PASSED:
		if (c->appraisals < 0)
			return put(buf, size, "");
		return (size_t)snprintf(buf, size, "%d", c->appraisals);
	case GT_COL_FRONTLINE: return put(buf, size, c->frontline ? "yes" : "no");
	case GT_COL_EMPLOYED_IN_REGION: return put(buf, size, c->employed_in_region ? "yes" : "no");
	case GT_COL_SELF_EMPLOYED: return put(buf, size, c->self_employed ? "yes" : "no");
	case GT_COL_REGION_WORK_START: return put_date(buf, size, c->region_work_start);
	case GT_COL_PILOT_ENTERPRISE: return put(buf, size, c->pilot_enterprise ? "yes" : "no");
	case GT_COL_HONORS: return gt_mask_codes(&gt_honours, c->honours, buf, size);
	case GT_COL_COMPETITIONS: return put_comps(c, buf, size);
	case GT_COL_DIPLOMA_RELATED: return put(buf, size, c->diploma_related ? "yes" : "no");
	case GT_COL_TECH_SCHOOL_CLASS: return put(buf, size, gt_code_of(&gt_schools, c->tech_school));
	case GT_COL_INTEGRITY_FLAG: return put(buf, size, c->integrity_flag ? "yes" : "no");
	case GT_COL_PUBLIC_INSTITUTION_WORKER:
		return put(buf, size, c->public_institution_worker ? "yes" : "no");
	case GT_COL_EVIDENCE: return gt_mask_codes(&gt_evidence_codes, c->evidence, buf, size);
	case GT_COL_REQUESTED_LEVEL:
		return put(buf, size, c->requested < 0 ? "" : gt_level_code(c->direction, c->requested));
	case GT_COL_APPLICATION_DATE: return put_date(buf, size, c->application_date);
	case GT_COL_COUNT: break;
	}
	return put(buf, size, "");
}

static void summary_make(const struct gt_eval *ev, struct gt_summary *s, bool texts)
{
	const struct gt_case *c = ev->c;
	s->col[GT_SUM_OUTCOME] = gt_code_of(&gt_outcomes, ev->outcome);
	s->col[GT_SUM_TARGET] = gt_level_code(c->direction, ev->target);
	s->col[GT_SUM_ROUTE] = gt_code_of(&gt_routes, ev->route);
	s->col[GT_SUM_THEORY_EXEMPT] = ev->theory_exempt ? "yes" : "no";
	s->len[GT_SUM_OUTCOME] = gt_code_len(&gt_outcomes, ev->outcome);
	s->len[GT_SUM_TARGET] = gt_code_len(gt_level_table(c->direction), ev->target);
	s->len[GT_SUM_ROUTE] = gt_code_len(&gt_routes, ev->route);
	s->len[GT_SUM_THEORY_EXEMPT] = ev->theory_exempt ? 3 : 2;

	bool show_unmet = ev->outcome == GT_OUT_NOT_ELIGIBLE;
	bool show_missing = ev->outcome == GT_OUT_NEEDS_EVIDENCE || ev->outcome == GT_OUT_MANUAL_REVIEW;
	/* The buffer is shared: basis, unmet and missing are short (< 512 each),
	 * citation < 512, the message takes the rest. */
	char *p = s->buf;
	size_t left = sizeof s->buf;
	size_t n;

	s->col[GT_SUM_BASIS] = p;
	n = s->len[GT_SUM_BASIS] = gt_eval_basis(ev, p, left < 512 ? left : 512);
	p += n + 1, left -= n + 1;
	s->col[GT_SUM_UNMET] = p;
	n = s->len[GT_SUM_UNMET] = gt_mask_codes(&gt_unmet_codes, show_unmet ? ev->unmet : 0, p, left < 512 ? left : 512);
	p += n + 1, left -= n + 1;
	s->col[GT_SUM_MISSING] = p;
	n = s->len[GT_SUM_MISSING] =
		gt_mask_codes(&gt_evidence_codes, show_missing ? ev->missing_ev : 0, p, left < 512 ? left : 512);
	p += n + 1, left -= n + 1;
	if (!texts) {
		s->col[GT_SUM_CITATION] = s->col[GT_SUM_MESSAGE] = "";
		s->len[GT_SUM_CITATION] = s->len[GT_SUM_MESSAGE] = 0;
		return;
	}
	s->col[GT_SUM_CITATION] = p;
	n = s->len[GT_SUM_CITATION] = gt_eval_citation(ev, p, left < 512 ? left : 512);
	p += n + 1, left -= n + 1;
	s->col[GT_SUM_MESSAGE] = p;
	s->len[GT_SUM_MESSAGE] =
		gt_eval_message_cited(ev, s->col[GT_SUM_CITATION], s->len[GT_SUM_CITATION], p, left);
}

void gt_summary_make(const struct gt_eval *ev, struct gt_summary *s)
{
	summary_make(ev, s, true);
}

void gt_summary_answer(const struct gt_eval *ev, struct gt_summary *s)
{
	summary_make(ev, s, false);
}

size_t gt_eval_paths(const struct gt_eval *ev, char *buf, size_t size)
{
	struct gt_sb sb = gt_sb_make(buf, size);
	for (int i = 0; i < ev->npaths; i++) {
		const struct gt_path *p = &ev->paths[i];
		gt_sb_addf(&sb, "%s%s=%s", i ? ";" : "", p->rule->id, gt_code_of(&gt_outcomes, p->outcome));
	}
	return sb.len;
}
