/* The office's figures (issue 18, item 3): counts and times of the stored
 * cases, each one SQL aggregate (no case is loaded), one function per
 * statistic so that another backend can give its own SQL for each.
 *
 * The columns read: cases.status, region, direction, requested_level,
 * target, outcome, created_at, eval_id, decision_id; evaluations.id, route,
 * basis; decisions.id, action, decided_by, decided_at. */
#include <stdlib.h>
#include <string.h>

#include "gt_i18n.h"
#include "gt_store_int.h"

/* Rows of (key, key2, n, n2) from a statement into t. */
static int stats_rows(gt_store *st, const char *sql, struct gt_stat_table *t, int ncols)
{
	sqlite3_stmt *s = gt_prepare(st, sql);
	if (!s)
		return GT_ERR;
	int rc = GT_OK, step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		if (t->n == t->cap) {
			int cap = t->cap ? t->cap * 2 : 16;
			struct gt_stat_row *r = realloc(t->rows, (size_t)cap * sizeof *r);
			if (!r) {
				rc = gt_fail(st, GT_ERR, "%s", _("out of memory"));
				break;
			}
			t->rows = r;
			t->cap = cap;
		}
		struct gt_stat_row *r = &t->rows[t->n++];
		memset(r, 0, sizeof *r);
		gt_copy(r->key, sizeof r->key, gt_col_text(s, 0));
		r->n = sqlite3_column_int64(s, 1);
		if (ncols > 2)
			r->n2 = sqlite3_column_int64(s, 2);
		if (ncols > 3)
			gt_copy(r->key2, sizeof r->key2, gt_col_text(s, 3));
	}
	if (rc == GT_OK && step != SQLITE_DONE)
		rc = gt_fail_sql(st, _("counting the cases"));
	sqlite3_finalize(s);
	return rc;
}

static int stats_by_region(gt_store *st, struct gt_stat_table *t)
{
	return stats_rows(st, "SELECT region, count(*) FROM cases GROUP BY region ORDER BY region", t, 2);
}

static int stats_by_direction(gt_store *st, struct gt_stat_table *t)
{
	return stats_rows(st, "SELECT direction, count(*) FROM cases GROUP BY direction ORDER BY direction", t, 2);
}

/* The level shown in the queue: the one applied for, else the evaluation's
 * target, counted in its index (cases_level) without reading a case; with
 * the direction that names it. A code that names a level in both
 * directions ("intermediate") is split by a second count of its rows. */
static int stats_by_level(gt_store *st, struct gt_stat_table *t)
{
	int rc = stats_rows(st,
			    "SELECT coalesce(requested_level, target), count(*) FROM cases "
			    "GROUP BY coalesce(requested_level, target) ORDER BY 1",
			    t, 2);
	int n = t->n;
	for (int i = 0; rc == GT_OK && i < n; i++) {
		struct gt_stat_row *r = &t->rows[i];
		const char *code = r->key;
		bool skill = gt_code_lookup(&gt_skill_levels, code, strlen(code)) >= 0;
		bool title = gt_code_lookup(&gt_title_levels, code, strlen(code)) >= 0;
		/* No level ("": set by the committee) is in both directions too. */
		if (!(skill && title) && code[0]) {
			gt_copy(r->key2, sizeof r->key2, skill ? "title_to_skill" : "skill_to_title");
			continue;
		}
		sqlite3_stmt *s = gt_prepare(st, "SELECT count(*) FROM cases WHERE coalesce(requested_level, target) = ?1 "
						 "AND direction = 'title_to_skill'");
		if (!s)
			return GT_ERR;
		sqlite3_bind_text(s, 1, code, -1, SQLITE_TRANSIENT);
		int64_t k = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
		sqlite3_finalize(s);
		if (k < 0)
			return gt_fail_sql(st, _("counting the cases"));
		/* This row becomes the titles; the skill levels get a row of their own. */
		struct gt_stat_row skill_row = *r;
		gt_copy(r->key2, sizeof r->key2, "skill_to_title");
		r->n -= k;
		gt_copy(skill_row.key2, sizeof skill_row.key2, "title_to_skill");
		skill_row.n = k;
		if (t->n == t->cap) {
			struct gt_stat_row *g = realloc(t->rows, (size_t)(t->cap + 4) * sizeof *g);
			if (!g)
				return gt_fail(st, GT_ERR, "%s", _("out of memory"));
			t->rows = g;
			t->cap += 4;
		}
		if (skill_row.n) /* no skill level of that name: no row */
			t->rows[t->n++] = skill_row;
		if (!t->rows[i].n) /* no title of that name: the row goes */
			t->rows[i] = t->rows[--t->n];
	}
	return rc;
}

static int stats_by_outcome(gt_store *st, struct gt_stat_table *t)
{
	return stats_rows(st, "SELECT outcome, count(*) FROM cases GROUP BY outcome ORDER BY outcome", t, 2);
}

/* The route of each case's current evaluation. */
static int stats_by_route(gt_store *st, struct gt_stat_table *t)
{
	return stats_rows(st,
			  "SELECT e.route, count(*) FROM cases c JOIN evaluations e ON e.id = c.eval_id "
			  "GROUP BY e.route ORDER BY e.route",
			  t, 2);
}

static int stats_by_status(gt_store *st, struct gt_stat_table *t)
{
	return stats_rows(st, "SELECT status, count(*) FROM cases GROUP BY status ORDER BY status", t, 2);
}

/* Approvals and rejections by local month ("YYYY-MM"). */
static int stats_by_month(gt_store *st, struct gt_stat_table *t)
{
	return stats_rows(st,
			  "SELECT strftime('%Y-%m', decided_at, 'localtime') AS m, "
			  "sum(action = 'approve'), sum(action = 'reject') FROM decisions "
			  "WHERE action = 'approve' OR action = 'reject' GROUP BY m ORDER BY m",
			  t, 3);
}

/* Approvals and rejections by reviewer (login). */
static int stats_by_reviewer(gt_store *st, struct gt_stat_table *t)
{
	return stats_rows(st,
			  "SELECT decided_by, sum(action = 'approve'), sum(action = 'reject') FROM decisions "
			  "WHERE action = 'approve' OR action = 'reject' GROUP BY decided_by "
			  "ORDER BY count(*) DESC, decided_by",
			  t, 3);
}

/* The awards (honour codes, "competition:result") each green channel
 * rests on, by the current evaluations whose route is green_channel: the
 * basis column split at its ';'. */
static int stats_by_award(gt_store *st, struct gt_stat_table *t)
{
	return stats_rows(st,
			  "WITH RECURSIVE b(rest, item) AS ("
			  "  SELECT e.basis || ';', NULL FROM cases c JOIN evaluations e ON e.id = c.eval_id "
			  "  WHERE e.route = 'green_channel' AND e.basis <> '' "
			  "  UNION ALL SELECT substr(rest, instr(rest, ';') + 1), substr(rest, 1, instr(rest, ';') - 1) "
			  "  FROM b WHERE rest <> '') "
			  "SELECT item, count(*) FROM b WHERE item IS NOT NULL AND item <> '' "
			  "GROUP BY item ORDER BY count(*) DESC, item",
			  t, 2);
}

/* Days from intake (the case's creation) to its current decision, when
 * that is an approval or a rejection: how many, the median and the 90th
 * percentile (nearest rank). */
static int stats_decision_days(gt_store *st, struct gt_stats *s)
{
	static const char sql[] =
		"WITH d AS (SELECT julianday(x.decided_at) - julianday(c.created_at) AS days "
		"  FROM decisions x JOIN cases c ON c.id = x.case_id AND c.decision_id = x.id "
		"  WHERE x.action = 'approve' OR x.action = 'reject'), "
		"n AS (SELECT count(*) AS k FROM d) "
		"SELECT (SELECT k FROM n), "
		"(SELECT days FROM d ORDER BY days LIMIT 1 OFFSET (SELECT (k - 1) / 2 FROM n)), "
		"(SELECT days FROM d ORDER BY days LIMIT 1 OFFSET (SELECT max(0, CAST((k * 9 + 9) / 10 AS INTEGER) - 1) FROM n))";
	sqlite3_stmt *q = gt_prepare(st, sql);
	if (!q)
		return GT_ERR;
	int rc = GT_OK;
	if (sqlite3_step(q) == SQLITE_ROW) {
		s->decided = sqlite3_column_int64(q, 0);
		s->median_days = sqlite3_column_double(q, 1);
		s->p90_days = sqlite3_column_double(q, 2);
	} else {
		rc = gt_fail_sql(st, _("counting the decisions"));
	}
	sqlite3_finalize(q);
	return rc;
}

int gt_store_stats(gt_store *st, struct gt_stats *s)
{
	static int (*const fn[GT_STAT_COUNT])(gt_store *, struct gt_stat_table *) = {
		[GT_STAT_REGION] = stats_by_region,     [GT_STAT_DIRECTION] = stats_by_direction,
		[GT_STAT_LEVEL] = stats_by_level,       [GT_STAT_OUTCOME] = stats_by_outcome,
		[GT_STAT_ROUTE] = stats_by_route,       [GT_STAT_STATUS] = stats_by_status,
		[GT_STAT_MONTH] = stats_by_month,       [GT_STAT_REVIEWER] = stats_by_reviewer,
		[GT_STAT_AWARD] = stats_by_award,
	};
	memset(s, 0, sizeof *s);
	/* One read transaction: every figure of the same moment. */
	if (sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return gt_fail_sql(st, _("counting the cases"));
	int rc = GT_OK;
	for (int i = 0; i < GT_STAT_COUNT && rc == GT_OK; i++)
		rc = fn[i](st, &s->t[i]);
	if (rc == GT_OK)
		rc = stats_decision_days(st, s);
	for (int i = 0; rc == GT_OK && i < s->t[GT_STAT_STATUS].n; i++)
		s->cases += s->t[GT_STAT_STATUS].rows[i].n;
	sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
	if (rc != GT_OK)
		gt_stats_free(s);
	return rc;
}

void gt_stats_free(struct gt_stats *s)
{
	for (int i = 0; i < GT_STAT_COUNT; i++) {
		free(s->t[i].rows);
		s->t[i].rows = NULL;
		s->t[i].n = s->t[i].cap = 0;
	}
}
