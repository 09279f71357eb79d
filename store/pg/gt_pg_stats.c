/* The office's figures on PostgreSQL (gt_store_stats): the same tables as
 * store/gt_stats.c reads from SQLite's counters, here from the server's
 * (schema.sql's case_counts, decision_counts and decision_hours, kept by the
 * triggers of functions.sql in the transaction of every write), in one
 * read-only snapshot: small tables, whatever the number of cases. Codes in
 * byte order, as SQLite's. The month is the reader's local month of each
 * decision's UTC hour, made here as SQLite's strftime(..., 'localtime') does. */
#define _DEFAULT_SOURCE /* timegm */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gt_i18n.h"
#include "gt_time.h"
#include "gt_pg.h"
#include "gt_pg_int.h"

/* The counted cases by one key (cases.level is the level applied for, else
 * the one judged for, as SQLite's counts it). */
#define BY(key, where)                                                                                         \
	"SELECT " key ", sum(n) FROM guantong.case_counts " where " GROUP BY 1 HAVING sum(n) <> 0 "                \
	"ORDER BY " key " COLLATE \"C\""

static struct gt_stat_row *add_row(gt_store *st, struct gt_stat_table *t)
{
	if (t->n == t->cap) {
		int cap = t->cap ? t->cap * 2 : 16;
		struct gt_stat_row *r = realloc(t->rows, (size_t)cap * sizeof *r);
		if (!r) {
			gt_fail(st, GT_ERR, "%s", _("out of memory"));
			return NULL;
		}
		t->rows = r;
		t->cap = cap;
	}
	struct gt_stat_row *r = &t->rows[t->n++];
	memset(r, 0, sizeof *r);
	return r;
}

/* Rows of (key, n, n2, key2) from sql into t. */
static int rows(gt_store *st, const char *sql, struct gt_stat_table *t)
{
	PGresult *res = gt_pg_exec(st, sql, 0, NULL, _("counting the cases"));
	if (!res)
		return gt_pg_rc(st);
	int rc = GT_OK, nf = PQnfields(res);
	for (int i = 0; i < PQntuples(res) && !rc; i++) {
		struct gt_stat_row *r = add_row(st, t);
		if (!r) {
			rc = GT_ERR;
			break;
		}
		gt_copy(r->key, sizeof r->key, gt_pg_val(res, i, 0));
		r->n = gt_pg_int(res, i, 1);
		if (nf > 2)
			r->n2 = gt_pg_int(res, i, 2);
		if (nf > 3)
			gt_copy(r->key2, sizeof r->key2, gt_pg_val(res, i, 3));
	}
	PQclear(res);
	return rc;
}

/* "YYYY-MM-DD HH" in UTC (the stored time's first 13 bytes) to the local
 * "YYYY-MM" ("" when it does not read). */
static void local_month(const char *hour, char out[8])
{
	char stored[32];
	time_t t;
	struct tm lt;
	out[0] = '\0';
	snprintf(stored, sizeof stored, "%.13s:00", hour);
	if (gt_time_parse(stored, &t) == 0 && localtime_r(&t, &lt))
		strftime(out, 8, "%Y-%m", &lt);
}

/* Approvals and rejections by the reader's month: by UTC hour from the
 * server (in order), merged by month here. */
static int by_month(gt_store *st, struct gt_stat_table *t)
{
	PGresult *res = gt_pg_exec(st,
				   "SELECT hour, sum(approved), sum(rejected) FROM guantong.decision_counts "
				   "GROUP BY 1 HAVING sum(approved) <> 0 OR sum(rejected) <> 0 ORDER BY hour COLLATE \"C\"",
				   0, NULL, _("counting the decisions"));
	if (!res)
		return gt_pg_rc(st);
	int rc = GT_OK;
	for (int i = 0; i < PQntuples(res) && !rc; i++) {
		char m[8];
		local_month(gt_pg_val(res, i, 0), m);
		struct gt_stat_row *r = NULL;
		for (int k = 0; k < t->n && !r; k++)
			if (strcmp(t->rows[k].key, m) == 0)
				r = &t->rows[k];
		if (!r && (r = add_row(st, t)))
			gt_copy(r->key, sizeof r->key, m);
		if (!r) {
			rc = GT_ERR;
			break;
		}
		r->n += gt_pg_int(res, i, 1);
		r->n2 += gt_pg_int(res, i, 2);
	}
	PQclear(res);
	for (int a = 1; a < t->n; a++) /* months in order (few: insertion sort) */
		for (int b = a; b > 0 && strcmp(t->rows[b - 1].key, t->rows[b].key) > 0; b--) {
			struct gt_stat_row x = t->rows[b];
			t->rows[b] = t->rows[b - 1];
			t->rows[b - 1] = x;
		}
	return rc;
}

/* Whole hours from intake to each current approval or rejection: the
 * median and the 90th percentile, as stats_decision_days reads them. */
static int decision_days(gt_store *st, struct gt_stats *s)
{
	PGresult *res = gt_pg_exec(st,
				   "SELECT hours, n FROM guantong.decision_hours WHERE n <> 0 ORDER BY hours",
				   0, NULL, _("counting the decisions"));
	if (!res)
		return gt_pg_rc(st);
	int64_t total = 0;
	int n = PQntuples(res);
	for (int i = 0; i < n; i++)
		total += gt_pg_int(res, i, 1);
	s->decided = total;
	struct gt_hour_ranks r;
	gt_hour_ranks_init(&r, total);
	for (int i = 0; i < n && total > 0; i++)
		if (gt_hour_ranks_add(&r, gt_pg_int(res, i, 0), gt_pg_int(res, i, 1), s))
			break;
	PQclear(res);
	return GT_OK;
}

int gt_pg_stats(gt_store *st, struct gt_stats *s)
{
	static const char *const sql[GT_STAT_COUNT] = {
		[GT_STAT_REGION] = BY("region", "WHERE status <> 'void'"),
		[GT_STAT_DIRECTION] = BY("direction", "WHERE status <> 'void'"),
		[GT_STAT_LEVEL] = "SELECT level, sum(n), 0, direction FROM guantong.case_counts WHERE status <> 'void' "
				  "GROUP BY 1, 4 HAVING sum(n) <> 0 ORDER BY level COLLATE \"C\", direction COLLATE \"C\"",
		[GT_STAT_OUTCOME] = BY("outcome", "WHERE status <> 'void'"),
		[GT_STAT_ROUTE] = BY("route", "WHERE status <> 'void'"),
		[GT_STAT_STATUS] = BY("status", ""),
		[GT_STAT_REVIEWER] = "SELECT reviewer, sum(approved), sum(rejected) FROM guantong.decision_counts "
				     "GROUP BY 1 HAVING sum(approved) + sum(rejected) <> 0 "
				     "ORDER BY sum(approved) + sum(rejected) DESC, reviewer COLLATE \"C\"",
		[GT_STAT_AWARD] = "SELECT item, sum(n) FROM guantong.case_counts, unnest(string_to_array(award, ';')) item "
				  "WHERE award <> '' AND status <> 'void' AND item <> '' GROUP BY 1 HAVING sum(n) <> 0 "
				  "ORDER BY sum(n) DESC, item COLLATE \"C\"",
	};
	memset(s, 0, sizeof *s);
	int rc = gt_pg_run(st, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL, _("counting the cases"));
	for (int i = 0; i < GT_STAT_COUNT && rc == GT_OK; i++)
		rc = i == GT_STAT_MONTH ? by_month(st, &s->t[i]) : rows(st, sql[i], &s->t[i]);
	if (rc == GT_OK)
		rc = decision_days(st, s);
	for (int i = 0; rc == GT_OK && i < s->t[GT_STAT_STATUS].n; i++)
		s->cases += s->t[GT_STAT_STATUS].rows[i].n;
	PQclear(PQexec(st->pg->conn, "COMMIT"));
	if (rc != GT_OK)
		gt_stats_free(s);
	return rc;
}
