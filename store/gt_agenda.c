/* The committee's lists (issue 18): the cases awaiting a decision, for the
 * meeting's agenda, and the audit row of a printed form. Read through SQL on
 * the columns the queue filters on; each case itself is then read by the
 * store's one read path (gt_store_get, gt_store_answer). */
#include <stdlib.h>
#include <string.h>

#include "gt_i18n.h"
#include "gt_store_int.h"
#include "gt_time.h"

int gt_store_audit_file(gt_store *st, const char *action, const char *file, const char *format, long cases,
			const struct gt_export_filter *f)
{
	return gt_audit_file_write(st, action, file, format, cases, f);
}

static bool in_mask(uint32_t mask, const struct gt_code_table *t, const char *code)
{
	if (!mask)
		return true;
	int i = gt_code_lookup(t, code, strlen(code));
	return i >= 0 && (mask & (1u << i));
}

int gt_store_awaiting(gt_store *st, const struct gt_export_filter *f,
		      int (*fn)(const struct gt_awaiting *a, void *arg), void *arg)
{
	/* Submitted and in review: what the committee decides. Grouped by
	 * series and level (the level applied for, else the evaluation's). */
	static const char sql[] =
		"SELECT id, status, region, direction, series, coalesce(requested_level, target), outcome "
		"FROM cases WHERE (status = 'submitted' OR status = 'in_review') "
		"AND (?1 = '' OR updated_at >= ?1) "
		"ORDER BY series, direction, coalesce(requested_level, target), id";
	sqlite3_stmt *s = gt_prepare(st, sql);
	if (!s)
		return GT_ERR;
	char since[32] = "";
	if (f && f->since[0]) {
		gt_date d;
		if (gt_date_parse(f->since, strlen(f->since), &d) == 0)
			gt_time_local_day_start(d, since);
	}
	sqlite3_bind_text(s, 1, since, -1, SQLITE_STATIC);
	int rc = GT_OK, step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct gt_awaiting a = { .id = sqlite3_column_int64(s, 0) };
		const char *status = gt_col_text(s, 1);
		a.status = gt_status_parse(status);
		a.region = gt_code_lookup(&gt_regions, gt_col_text(s, 2), strlen(gt_col_text(s, 2)));
		a.direction = gt_code_lookup(&gt_directions, gt_col_text(s, 3), strlen(gt_col_text(s, 3)));
		a.series = gt_code_lookup(&gt_series_codes, gt_col_text(s, 4), strlen(gt_col_text(s, 4)));
		const char *level = gt_col_text(s, 5);
		const struct gt_code_table *lt = a.direction == GT_DIR_TITLE_TO_SKILL ? &gt_skill_levels : &gt_title_levels;
		a.level = level[0] ? gt_code_lookup(lt, level, strlen(level)) : -1;
		a.outcome = gt_code_lookup(&gt_outcomes, gt_col_text(s, 6), strlen(gt_col_text(s, 6)));
		if (f && ((f->status_mask && (a.status < 0 || !(f->status_mask & (1u << a.status)))) ||
			  !in_mask(f->region_mask, &gt_regions, gt_col_text(s, 2)) ||
			  !in_mask(f->outcome_mask, &gt_outcomes, gt_col_text(s, 6)) ||
			  !in_mask(f->direction_mask, &gt_directions, gt_col_text(s, 3))))
			continue;
		if ((rc = fn(&a, arg)) != 0)
			break;
	}
	if (rc == GT_OK && step != SQLITE_DONE)
		rc = gt_fail_sql(st, _("reading the cases"));
	sqlite3_finalize(s);
	return rc;
}

int gt_store_year_waiting(gt_store *st, int (*fn)(int64_t id, void *arg), void *arg)
{
	/* The stored answer is not eligible and every unmet condition of its
	 * nearest route is a year threshold: take out the three year codes
	 * and their separators, and nothing is left. Approved cases are done. */
	static const char sql[] =
		"SELECT c.id FROM cases c JOIN evaluations e ON e.id = c.eval_id "
		"WHERE c.outcome = 'not_eligible' AND c.status <> 'approved' AND c.status <> 'void' AND e.unmet <> '' "
		"AND replace(replace(replace(replace(e.unmet, 'years_since_level', ''), 'years_cumulative', ''), "
		"'years_in_region', ''), ';', '') = '' ORDER BY c.id";
	sqlite3_stmt *s = gt_prepare(st, sql);
	if (!s)
		return GT_ERR;
	int rc = GT_OK, step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW)
		if ((rc = fn(sqlite3_column_int64(s, 0), arg)) != 0)
			break;
	if (rc == GT_OK && step != SQLITE_DONE)
		rc = gt_fail_sql(st, _("reading the cases"));
	sqlite3_finalize(s);
	return rc;
}
