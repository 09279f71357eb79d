/* The committee's lists (issue 18): the cases awaiting a decision, for the
 * meeting's agenda, and the audit row of a printed form. Read through SQL on
 * the columns the queue filters on; each case itself is then read by the
 * store's one read path (gt_store_get, gt_store_answer). */
#include <stdlib.h>
#include <string.h>

#include "gt_i18n.h"
#include "gt_pg.h"
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

bool gt_awaiting_of(const struct gt_export_filter *f, int64_t id, const char *const col[6], struct gt_awaiting *a)
{
	const char *status = col[0], *region = col[1], *direction = col[2], *series = col[3], *level = col[4],
		   *outcome = col[5];
	memset(a, 0, sizeof *a);
	a->id = id;
	a->status = gt_status_parse(status);
	a->region = gt_code_lookup(&gt_regions, region, strlen(region));
	a->direction = gt_code_lookup(&gt_directions, direction, strlen(direction));
	a->series = gt_code_lookup(&gt_series_codes, series, strlen(series));
	const struct gt_code_table *lt = a->direction == GT_DIR_TITLE_TO_SKILL ? &gt_skill_levels : &gt_title_levels;
	a->level = level[0] ? gt_code_lookup(lt, level, strlen(level)) : -1;
	a->outcome = gt_code_lookup(&gt_outcomes, outcome, strlen(outcome));
	return !(f && ((f->status_mask && (a->status < 0 || !(f->status_mask & (1u << a->status)))) ||
		       !in_mask(f->region_mask, &gt_regions, region) || !in_mask(f->outcome_mask, &gt_outcomes, outcome) ||
		       !in_mask(f->direction_mask, &gt_directions, direction)));
}

void gt_awaiting_since(const struct gt_export_filter *f, char since[32])
{
	since[0] = '\0';
	if (f && f->since[0]) {
		gt_date d;
		if (gt_date_parse(f->since, strlen(f->since), &d) == 0)
			gt_time_local_day_start(d, since);
	}
}

int gt_store_awaiting(gt_store *st, const struct gt_export_filter *f,
		      int (*fn)(const struct gt_awaiting *a, void *arg), void *arg)
{
	if (st->pg)
		return gt_pg_awaiting(st, f, fn, arg);
	/* Submitted and in review: what the committee decides. Grouped by
	 * series (by its code's text, as before schema 13 numbered it) and
	 * level (the level applied for, else the evaluation's). */
	static const char sql[] =
		"SELECT id, status, region, direction, series, coalesce(requested_level, target), outcome "
		"FROM cases WHERE (status = 'submitted' OR status = 'in_review') "
		"AND (?1 = '' OR " GT_TIME_SECONDS("updated_at") " >= ?2) "
		"ORDER BY coalesce((SELECT name FROM input_codes WHERE col = 'series' AND code = series), series), "
		"direction, coalesce(requested_level, target), id";
	sqlite3_stmt *s = gt_prepare(st, sql);
	if (!s)
		return GT_ERR;
	char since[32];
	gt_awaiting_since(f, since);
	sqlite3_bind_text(s, 1, since, -1, SQLITE_STATIC);
	gt_bind_time(s, 2, since);
	int rc = GT_OK, step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct gt_awaiting a;
		const char *col[6];
		char num[GT_INPUT_TEXT_MAX];
		size_t n;
		for (int i = 0; i < 6; i++)
			col[i] = i == 3 ? gt_input_text(s, i + 1, GT_COL_SERIES, num, &n) : gt_col_text(s, i + 1);
		if (!gt_awaiting_of(f, sqlite3_column_int64(s, 0), col, &a))
			continue;
		if ((rc = fn(&a, arg)) != 0)
			break;
	}
	if (rc == GT_OK && step != SQLITE_DONE)
		rc = gt_fail_sql(st, _("reading the cases"));
	sqlite3_finalize(s);
	return rc;
}
