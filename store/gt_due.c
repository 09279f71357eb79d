/* The call-back list (issue 18, item 4): the cases that are not eligible
 * yet only because a year threshold is not met, with the date the earliest
 * such route opens. The date is the evaluator's (gt_path.ready_on), so it
 * is kept in case_due when the case's evaluation is written, and read by
 * `due`, the queue's 到期 list and `export --due` alike: one selection. */
#include <stdlib.h>
#include <string.h>

#include "gt_i18n.h"
#include "gt_store_int.h"
#include "pg/gt_pg.h"

/* Whether every ';'-separated code of unmet is a year threshold. */
static bool unmet_only_years(const char *unmet)
{
	static const char *const years[] = { "years_since_level", "years_cumulative", "years_in_region" };
	if (!unmet || !*unmet)
		return false;
	for (const char *p = unmet; *p;) {
		size_t n = strcspn(p, ";");
		bool year = false;
		for (size_t i = 0; i < sizeof years / sizeof years[0] && !year; i++)
			year = strlen(years[i]) == n && memcmp(years[i], p, n) == 0;
		if (!year && n)
			return false;
		p += n + (p[n] == ';');
	}
	return true;
}

gt_date gt_due_of(const struct gt_eval *ev, const char *outcome, const char *unmet)
{
	/* The answer is "not eligible" and every unmet condition of its nearest
	 * route is years; the date is the earliest of the routes that wait for
	 * years only. */
	if (!outcome || strcmp(outcome, "not_eligible") != 0 || !unmet_only_years(unmet))
		return GT_DATE_NONE;
	const uint32_t years = (1u << GT_UNMET_YEARS_SINCE_LEVEL) | (1u << GT_UNMET_YEARS_CUMULATIVE) |
			       (1u << GT_UNMET_YEARS_IN_REGION);
	gt_date best = GT_DATE_NONE;
	for (int i = 0; i < ev->npaths; i++) {
		const struct gt_path *p = &ev->paths[i];
		if (!p->candidate || p->outcome != GT_OUT_NOT_ELIGIBLE || !p->unmet || (p->unmet & ~years) ||
		    p->ready_on == GT_DATE_NONE)
			continue;
		if (best == GT_DATE_NONE || p->ready_on < best)
			best = p->ready_on;
	}
	return best;
}

int gt_due_write(gt_store *st, int64_t case_id, gt_date on, bool new_case)
{
	if (on == GT_DATE_NONE && new_case)
		return GT_OK; /* nothing to take out */
	sqlite3_stmt *s = gt_prepare(st, on == GT_DATE_NONE ? "DELETE FROM case_due WHERE case_id = ?1"
							    : "INSERT INTO case_due (case_id, due_on) VALUES (?1, ?2) "
							      "ON CONFLICT (case_id) DO UPDATE SET due_on = ?2");
	if (!s)
		return GT_ERR;
	sqlite3_bind_int64(s, 1, case_id);
	if (on != GT_DATE_NONE) {
		char d[11];
		gt_date_format(on, d);
		sqlite3_bind_text(s, 2, d, 10, SQLITE_TRANSIENT);
	}
	int rc = sqlite3_step(s) == SQLITE_DONE ? GT_OK : gt_fail_sql(st, _("saving the case's due date"));
	sqlite3_finalize(s);
	return rc;
}

int gt_due_fill(gt_store *st)
{
	/* The stored answers that can wait for years only (the same test as
	 * gt_due_of's first, in SQL), each evaluated again for its date. */
	sqlite3_stmt *s = gt_prepare(st,
		"SELECT c.id FROM cases c JOIN evaluations e ON e.id = c.eval_id "
		"WHERE c.outcome = 'not_eligible' AND e.unmet <> '' "
		"AND replace(replace(replace(replace(e.unmet, 'years_since_level', ''), 'years_cumulative', ''), "
		"'years_in_region', ''), ';', '') = '' AND c.id NOT IN (SELECT case_id FROM case_due)");
	if (!s)
		return GT_ERR;
	struct gt_case_row *row = malloc(sizeof *row);
	struct gt_answer *ans = malloc(sizeof *ans);
	int rc = row && ans ? GT_OK : gt_fail(st, GT_ERR, "%s", _("out of memory"));
	int step = SQLITE_DONE;
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		if ((rc = gt_store_get(st, id, row)) || (rc = gt_store_answer(st, row, ans)))
			break;
		rc = gt_due_write(st, id, gt_due_of(&ans->ev, ans->col[GT_SUM_OUTCOME], ans->col[GT_SUM_UNMET]), false);
	}
	if (!rc && step != SQLITE_DONE)
		rc = gt_fail_sql(st, _("upgrading the database"));
	sqlite3_finalize(s);
	free(row);
	free(ans);
	return rc;
}

/* gt_store_due_cases's selection on SQLite: the case numbers and dates
 * (case_due), each loaded by the caller. */
static int due_walk(gt_store *st, gt_date until, int (*fn)(int64_t id, gt_date on, void *arg), void *arg)
{
	sqlite3_stmt *s = gt_prepare(st, "SELECT d.case_id, d.due_on FROM case_due d JOIN cases c ON c.id = d.case_id "
					 "WHERE d.due_on <= ?1 AND c.status <> 'approved' AND c.status <> 'void' ORDER BY d.due_on, d.case_id");
	if (!s)
		return GT_ERR;
	char d[11];
	gt_date_format(until, d);
	sqlite3_bind_text(s, 1, d, 10, SQLITE_TRANSIENT);
	int rc = GT_OK, step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		gt_date on;
		const char *t = gt_col_text(s, 1);
		if (gt_date_parse(t, strlen(t), &on) != 0)
			continue;
		if ((rc = fn(sqlite3_column_int64(s, 0), on, arg)) != 0)
			break;
	}
	if (rc == GT_OK && step != SQLITE_DONE && step != SQLITE_ROW)
		rc = gt_fail_sql(st, _("reading the cases"));
	sqlite3_finalize(s);
	return rc;
}

/* The SQLite store's gt_store_due_cases: each case of due_walk loaded. */
struct due_load {
	gt_store *st;
	struct gt_case_row *row;
	struct gt_answer *ans;
	int (*fn)(const struct gt_case_row *row, const struct gt_answer *ans, gt_date on, void *arg);
	void *arg;
};

static int due_load_one(int64_t id, gt_date on, void *arg)
{
	struct due_load *w = arg;
	int rc;
	if ((rc = gt_store_get(w->st, id, w->row)) || (rc = gt_store_answer(w->st, w->row, w->ans)))
		return rc;
	return w->fn(w->row, w->ans, on, w->arg);
}

int gt_store_due_cases(gt_store *st, gt_date until,
		       int (*fn)(const struct gt_case_row *row, const struct gt_answer *ans, gt_date on, void *arg),
		       void *arg)
{
	if (st->pg)
		return gt_pg_due_cases(st, until, fn, arg);
	struct due_load w = { .st = st, .row = malloc(sizeof *w.row), .ans = malloc(sizeof *w.ans), .fn = fn, .arg = arg };
	int rc = w.row && w.ans ? due_walk(st, until, due_load_one, &w) : gt_fail(st, GT_ERR, "%s", _("out of memory"));
	free(w.row);
	free(w.ans);
	return rc;
}
