/* The office's figures (issue 18, item 3): counts and times of the stored
 * cases, each one SQL aggregate (no case is loaded), one function per
 * statistic so that another backend can give its own SQL for each.
 *
 * They read the counters that triggers keep on write (store/migrate/
 * 010.sql): case_counts (cases by region, direction, level, outcome, route,
 * green channel's awards and status), decision_counts (approvals and
 * rejections by UTC hour and reviewer) and decision_hours (the hours from
 * intake to each case's current decision). Each is a few thousand rows at
 * most, whatever the number of cases. */
#include <stdlib.h>
#include <string.h>

#include "gt_i18n.h"
#include "gt_pg.h"
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
	return stats_rows(st, "SELECT region, sum(n) FROM case_counts WHERE status <> 'void' GROUP BY region HAVING sum(n) <> 0 ORDER BY region",
			  t, 2);
}

static int stats_by_direction(gt_store *st, struct gt_stat_table *t)
{
	return stats_rows(st, "SELECT direction, sum(n) FROM case_counts WHERE status <> 'void' GROUP BY direction HAVING sum(n) <> 0 "
			      "ORDER BY direction", t, 2);
}

/* The level shown in the queue (the one applied for, else the
 * evaluation's target) with the case's direction, which names it: a code
 * such as "intermediate" is a level in both. */
static int stats_by_level(gt_store *st, struct gt_stat_table *t)
{
	return stats_rows(st, "SELECT level, sum(n), 0, direction FROM case_counts WHERE status <> 'void' GROUP BY level, direction "
			      "HAVING sum(n) <> 0 ORDER BY level, direction", t, 4);
}

static int stats_by_outcome(gt_store *st, struct gt_stat_table *t)
{
	return stats_rows(st, "SELECT outcome, sum(n) FROM case_counts WHERE status <> 'void' GROUP BY outcome HAVING sum(n) <> 0 "
			      "ORDER BY outcome", t, 2);
}

/* The route of each case's current evaluation. */
static int stats_by_route(gt_store *st, struct gt_stat_table *t)
{
	return stats_rows(st, "SELECT route, sum(n) FROM case_counts WHERE status <> 'void' GROUP BY route HAVING sum(n) <> 0 "
			      "ORDER BY route", t, 2);
}

static int stats_by_status(gt_store *st, struct gt_stat_table *t)
{
	return stats_rows(st, "SELECT status, sum(n) FROM case_counts GROUP BY status HAVING sum(n) <> 0 "
			      "ORDER BY status", t, 2);
}

/* Approvals and rejections by local month ("YYYY-MM") of their UTC hour. */
static int stats_by_month(gt_store *st, struct gt_stat_table *t)
{
	return stats_rows(st,
			  "SELECT strftime('%Y-%m', hour, 'localtime') AS m, sum(approved), sum(rejected) "
			  "FROM decision_counts GROUP BY m HAVING sum(approved) <> 0 OR sum(rejected) <> 0 ORDER BY m",
			  t, 3);
}

/* Approvals and rejections by reviewer (login). */
static int stats_by_reviewer(gt_store *st, struct gt_stat_table *t)
{
	return stats_rows(st,
			  "SELECT reviewer, sum(approved), sum(rejected) FROM decision_counts GROUP BY reviewer "
			  "HAVING sum(approved) <> 0 OR sum(rejected) <> 0 "
			  "ORDER BY sum(approved) + sum(rejected) DESC, reviewer",
			  t, 3);
}

/* The awards (honour codes, "competition:result") each green channel
 * rests on, by the current evaluations whose route is green_channel: each
 * distinct basis split at its ';', weighted by its cases. */
static int stats_by_award(gt_store *st, struct gt_stat_table *t)
{
	return stats_rows(st,
			  "WITH RECURSIVE a(basis, n) AS ("
			  "  SELECT award, sum(n) FROM case_counts WHERE award <> '' AND status <> 'void' GROUP BY award HAVING sum(n) <> 0), "
			  "b(rest, item, n) AS (SELECT basis || ';', NULL, n FROM a "
			  "  UNION ALL SELECT substr(rest, instr(rest, ';') + 1), substr(rest, 1, instr(rest, ';') - 1), n "
			  "  FROM b WHERE rest <> '') "
			  "SELECT item, sum(n) FROM b WHERE item IS NOT NULL AND item <> '' "
			  "GROUP BY item ORDER BY sum(n) DESC, item",
			  t, 2);
}

void gt_hour_ranks_init(struct gt_hour_ranks *r, int64_t total)
{
	/* 1-based ranks: the median (k - 1) / 2 + 1, the 90th ceil(0.9 k). */
	*r = (struct gt_hour_ranks){ .rank_med = (total - 1) / 2 + 1, .rank_p90 = (total * 9 + 9) / 10 };
}

bool gt_hour_ranks_add(struct gt_hour_ranks *r, int64_t hours, int64_t n, struct gt_stats *s)
{
	r->seen += n;
	if (!r->med && r->seen >= r->rank_med) {
		s->median_days = (double)hours / 24.0;
		r->med = true;
	}
	if (r->seen < r->rank_p90)
		return false;
	s->p90_days = (double)hours / 24.0;
	return true;
}

/* Days from intake (the case's creation) to its current decision, when
 * that is an approval or a rejection, in whole hours: how many, the median
 * and the 90th percentile (nearest rank; the lower of the middle two), read
 * from the histogram decision_hours. */
static int stats_decision_days(gt_store *st, struct gt_stats *s)
{
	sqlite3_stmt *q = gt_prepare(st, "SELECT hours, n FROM decision_hours WHERE n <> 0 ORDER BY hours");
	if (!q)
		return GT_ERR;
	int64_t total = 0;
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW)
		total += sqlite3_column_int64(q, 1);
	int rc = step == SQLITE_DONE ? GT_OK : gt_fail_sql(st, _("counting the decisions"));
	s->decided = total;
	struct gt_hour_ranks r;
	gt_hour_ranks_init(&r, total);
	bool p90 = false;
	sqlite3_reset(q);
	while (rc == GT_OK && total > 0 && !p90 && (step = sqlite3_step(q)) == SQLITE_ROW)
		p90 = gt_hour_ranks_add(&r, sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1), s);
	if (rc == GT_OK && total > 0 && !p90)
		rc = gt_fail_sql(st, _("counting the decisions"));
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
	if (st->pg)
		return gt_pg_stats(st, s);
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
