/* The workstation's queue on PostgreSQL: keyset pages, never all rows. Every
 * order is (column, case number), walked by the index on the two
 * (schema.sql); the name order too, in pinyin order (ICU's "zh" collation,
 * which SQLite's store keeps a sort key of). A position is only used with the
 * store that made it. The search walks case_terms, as on SQLite. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gt_i18n.h"
#include "gt_pg.h"
#include "gt_pg_int.h"

/* The level's rank, from the lowest (as SQLite's LEVEL_RANK, store/
 * gt_queue.c): skill levels 01-07, titles 11-15, by the direction that says
 * which cases.level holds; the expression of the index cases_level_rank
 * (schema.sql, migrate/003.sql), which serves only this very expression. */
#define LEVEL_RANK \
	"(CASE WHEN c.direction = 'title_to_skill' THEN (CASE c.level WHEN 'junior' THEN '01' " \
	"WHEN 'intermediate' THEN '02' WHEN 'senior' THEN '03' WHEN 'technician' THEN '04' " \
	"WHEN 'senior_technician' THEN '05' WHEN 'principal_technician' THEN '06' " \
	"WHEN 'chief_technician' THEN '07' ELSE '00' END) ELSE (CASE c.level WHEN 'entry' THEN '11' " \
	"WHEN 'assistant' THEN '12' WHEN 'intermediate' THEN '13' WHEN 'deputy_senior' THEN '14' " \
	"WHEN 'full_senior' THEN '15' ELSE '00' END) END)"

static const char *const sort_col[GT_QS_COUNT] = {
	[GT_QS_ID] = "c.id",
	[GT_QS_NAME] = "c.name COLLATE guantong.zh",
	[GT_QS_REGION] = "c.region",
	[GT_QS_DIRECTION] = "c.direction",
	[GT_QS_LEVEL] = LEVEL_RANK,
	[GT_QS_OUTCOME] = "c.outcome",
	[GT_QS_STATUS] = "c.status",
	[GT_QS_ASSIGNEE] = "coalesce(c.assignee, '')",
	[GT_QS_UPDATED] = "c.updated_at",
};

struct params {
	const char *v[16];
	char buf[8][512];
	int n, nbuf;
};

/* Adds a parameter; returns its number ($n). */
static int param(struct params *p, const char *v)
{
	p->v[p->n] = v;
	return ++p->n;
}

/* A parameter holding the codes of the set bits of mask, as a text array. */
static int mask_param(struct params *p, uint32_t mask, int count, const char *(*code)(int))
{
	char *b = p->buf[p->nbuf++];
	struct gt_sb sb = gt_sb_make(b, sizeof p->buf[0]);
	gt_sb_add(&sb, "{");
	bool first = true;
	for (int i = 0; i < count; i++) {
		if (!(mask & (1u << i)))
			continue;
		gt_sb_addf(&sb, "%s%s", first ? "" : ",", code(i));
		first = false;
	}
	gt_sb_add(&sb, "}");
	return param(p, b);
}

static const char *status_code(int i) { return gt_status_codes[i]; }
static const char *region_code(int i) { return gt_code_of(&gt_regions, i); }
static const char *outcome_code(int i) { return gt_code_of(&gt_outcomes, i); }
static const char *direction_code(int i) { return gt_code_of(&gt_directions, i); }

static void add_filter(gt_store *st, struct gt_sb *sb, struct params *p, const struct gt_queue_filter *f)
{
	if (f->status_mask)
		gt_sb_addf(sb, " AND c.status = ANY($%d::text[])", mask_param(p, f->status_mask, GT_ST_COUNT, status_code));
	else /* no status marked: all but the voided (GT_ST_LIVE_MASK) */
		gt_sb_add(sb, " AND c.status <> 'void'");
	if (f->region_mask)
		gt_sb_addf(sb, " AND c.region = ANY($%d::text[])",
			   mask_param(p, f->region_mask, gt_regions.count, region_code));
	if (f->outcome_mask)
		gt_sb_addf(sb, " AND c.outcome = ANY($%d::text[])",
			   mask_param(p, f->outcome_mask, gt_outcomes.count, outcome_code));
	if (f->direction_mask)
		gt_sb_addf(sb, " AND c.direction = ANY($%d::text[])",
			   mask_param(p, f->direction_mask, gt_directions.count, direction_code));
	if (f->mine) {
		int k = param(p, st->actor);
		gt_sb_addf(sb, " AND (c.assignee = $%d OR c.updated_by = $%d)", k, k);
	}
}

static void fill_row(PGresult *res, int i, struct gt_queue_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = gt_pg_int(res, i, 0);
	gt_copy(r->name, sizeof r->name, gt_pg_val(res, i, 1));
	gt_copy(r->id_number, sizeof r->id_number, gt_pg_val(res, i, 2));
	const char *v = gt_pg_val(res, i, 3);
	r->region = gt_code_lookup(&gt_regions, v, strlen(v));
	v = gt_pg_val(res, i, 4);
	r->direction = gt_code_lookup(&gt_directions, v, strlen(v));
	gt_copy(r->level, sizeof r->level, gt_pg_val(res, i, 5));
	v = gt_pg_val(res, i, 6);
	r->outcome = gt_code_lookup(&gt_outcomes, v, strlen(v));
	r->status = gt_status_parse(gt_pg_val(res, i, 7));
	gt_copy(r->assignee, sizeof r->assignee, gt_pg_val(res, i, 8));
	gt_copy(r->updated_at, sizeof r->updated_at, gt_pg_val(res, i, 9));
	gt_copy(r->sortkey, sizeof r->sortkey, gt_pg_val(res, i, 10));
}

/* The keyset condition: (col, id) after pos in the order, desc or not. */
static void add_after(struct gt_sb *sb, struct params *p, const char *col, bool desc,
		      const struct gt_queue_pos *pos, char idbuf[24])
{
	snprintf(idbuf, 24, "%lld", (long long)pos->id);
	const char *op = desc ? (pos->inclusive ? "<=" : "<") : (pos->inclusive ? ">=" : ">");
	if (strcmp(col, "c.id") == 0) {
		gt_sb_addf(sb, " AND c.id %s $%d::bigint", op, param(p, idbuf));
	} else {
		int k = param(p, pos->key);
		gt_sb_addf(sb, " AND (%s, c.id) %s ($%d, $%d::bigint)", col, op, k, param(p, idbuf));
	}
}

/* Rows in the order (col, id) after pos, n at most; reversed when the walk
 * runs against the display order. */
static int walk(gt_store *st, const struct gt_queue_filter *f, const char *col, const char *shown, bool desc,
		const struct gt_queue_pos *pos, int n, struct gt_queue_row *rows, int *count, bool reverse)
{
	char sql[2048];
	struct gt_sb sb = gt_sb_make(sql, sizeof sql);
	struct params p = { .n = 0 };
	gt_sb_addf(&sb, "SELECT c.id, c.name, '', c.region, c.direction, c.level, c.outcome, c.status, "
		   "c.assignee, c.updated_at, (%s)::text FROM guantong.cases c WHERE true",
		   shown);
	add_filter(st, &sb, &p, f);
	char idbuf[24];
	if (pos)
		add_after(&sb, &p, col, desc, pos, idbuf);
	const char *dir = desc ? "DESC" : "ASC";
	if (strcmp(col, "c.id") == 0)
		gt_sb_addf(&sb, " ORDER BY c.id %s", dir);
	else
		gt_sb_addf(&sb, " ORDER BY %s %s, c.id %s", col, dir, dir);
	char lim[16];
	snprintf(lim, sizeof lim, "%d", n);
	gt_sb_addf(&sb, " LIMIT $%d", param(&p, lim));
	if (sb.truncated)
		return gt_fail(st, GT_ERR, "query too long");
	PGresult *res = gt_pg_exec(st, sql, p.n, p.v, _("reading the queue"));
	if (!res)
		return gt_pg_rc(st);
	int m = PQntuples(res);
	for (int i = 0; i < m; i++)
		fill_row(res, i, &rows[reverse ? m - 1 - i : i]);
	*count = m;
	PQclear(res);
	return GT_OK;
}

int gt_pg_queue_fetch(gt_store *st, const struct gt_queue_filter *f, int sort, bool desc,
		      const struct gt_queue_pos *after, bool backward, int n, struct gt_queue_row *rows, int *count)
{
	*count = 0;
	if (sort < 0 || sort >= GT_QS_COUNT || n <= 0)
		return gt_fail(st, GT_ERR_INVALID, "bad queue request");
	const char *col = sort_col[sort];
	return walk(st, f, col, sort == GT_QS_ID ? "''" : col, desc != backward, after, n, rows, count, backward);
}

/* As gt_queue_count: the cases of the filter, and those before `at` in
 * the order (the rows after it read backward), each counted by the server
 * (no counters here: the cost grows with the count). */
int gt_pg_queue_count(gt_store *st, const struct gt_queue_filter *f, int sort, bool desc,
		      const struct gt_queue_pos *at, int64_t *total, int64_t *before)
{
	for (int k = 0; k < (at ? 2 : 1); k++) {
		char sql[2048], idbuf[24];
		struct gt_sb sb = gt_sb_make(sql, sizeof sql);
		struct params p = { .n = 0 };
		gt_sb_add(&sb, "SELECT count(*) FROM guantong.cases c WHERE true");
		add_filter(st, &sb, &p, f);
		struct gt_queue_pos pos;
		if (k == 1) {
			pos = *at;
			pos.inclusive = false;
			add_after(&sb, &p, sort_col[sort], !desc, &pos, idbuf);
		}
		if (sb.truncated)
			return gt_fail(st, GT_ERR, "query too long");
		PGresult *res = gt_pg_exec(st, sql, p.n, p.v, _("reading the queue"));
		if (!res)
			return gt_pg_rc(st);
		*(k ? before : total) = gt_pg_int(res, 0, 0);
		PQclear(res);
	}
	return GT_OK;
}

/* As on SQLite (gt_queue_search): the next (term, case) of case_terms after
 * `from` whose term starts with q, the query in lower case (the terms are),
 * each case at its first matching term only, so that it comes once; the
 * walk is the terms' index in order, one step to the next match however many
 * cases match. The terms are bytes (COLLATE "C"): a prefix is a range. */
int gt_pg_queue_search(gt_store *st, const struct gt_queue_filter *f, int sort, const char *q,
		       const struct gt_queue_pos *from, bool backward, struct gt_queue_row *hit,
		       struct gt_queue_pos *hit_pos, bool *found)
{
	*found = false;
	if (!q || !*q)
		return GT_OK;
	if (sort < 0 || sort >= GT_QS_COUNT)
		return gt_fail(st, GT_ERR_INVALID, "bad queue request");
	char key[GT_TEXT_MAX_BYTES + 1];
	gt_copy(key, sizeof key, q);
	for (char *p = key; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	char sql[2048];
	struct gt_sb sb = gt_sb_make(sql, sizeof sql);
	struct params p = { .n = 0 };
	int kq = param(&p, key);
	gt_sb_addf(&sb, "SELECT c.id, c.name, c.id_number, c.region, c.direction, c.level, c.outcome, c.status, "
		   "c.assignee, c.updated_at, (%s)::text, t.term FROM guantong.case_terms t "
		   "JOIN guantong.cases c ON c.id = t.case_id "
		   "WHERE t.term >= $%d AND t.term < $%d || chr(1114111) "
		   "AND NOT EXISTS (SELECT 1 FROM guantong.case_terms e WHERE e.case_id = t.case_id "
		   "AND e.term >= $%d AND e.term < t.term)",
		   sort == GT_QS_ID ? "''" : sort_col[sort], kq, kq, kq);
	add_filter(st, &sb, &p, f);
	char idbuf[24];
	if (from) {
		snprintf(idbuf, sizeof idbuf, "%lld", (long long)from->id);
		int k = param(&p, from->key);
		gt_sb_addf(&sb, " AND (t.term, t.case_id) %s ($%d, $%d::bigint)", backward ? "<" : ">", k,
			   param(&p, idbuf));
	}
	gt_sb_addf(&sb, " ORDER BY t.term %s, t.case_id %s LIMIT 1", backward ? "DESC" : "ASC",
		   backward ? "DESC" : "ASC");
	if (sb.truncated)
		return gt_fail(st, GT_ERR, "query too long");
	PGresult *res = gt_pg_exec(st, sql, p.n, p.v, _("reading the queue"));
	if (!res)
		return gt_pg_rc(st);
	if (PQntuples(res) == 1) {
		fill_row(res, 0, hit);
		gt_queue_pos_of(hit, hit_pos);
		gt_copy(hit_pos->key, sizeof hit_pos->key, gt_pg_val(res, 0, 11));
		hit_pos->id = hit->id;
		hit_pos->inclusive = false;
		*found = true;
	}
	PQclear(res);
	return GT_OK;
}

/* ---- the committee's lists (gt_agenda.c's SQL, on this schema) */

int gt_pg_awaiting(gt_store *st, const struct gt_export_filter *f,
		   int (*fn)(const struct gt_awaiting *a, void *arg), void *arg)
{
	/* As on SQLite: submitted and in review, by series, direction, level
	 * (cases.level: the level applied for, else the evaluation's) and
	 * number, the codes in byte order. */
	static const char sql[] =
		"SELECT * FROM (SELECT id, status, region, direction, "
		"fields[(SELECT pos FROM guantong.case_columns WHERE name = 'series')] AS series, level, outcome "
		"FROM guantong.cases WHERE status IN ('submitted', 'in_review') AND ($1 = '' OR updated_at >= $1)) x "
		"ORDER BY series COLLATE \"C\", direction COLLATE \"C\", level COLLATE \"C\", id";
	char since[32];
	gt_awaiting_since(f, since);
	const char *v[] = { since };
	PGresult *res = gt_pg_exec(st, sql, 1, v, _("reading the cases"));
	if (!res)
		return gt_pg_rc(st);
	int rc = GT_OK;
	for (int r = 0; r < PQntuples(res) && rc == GT_OK; r++) {
		const char *col[6];
		for (int i = 0; i < 6; i++)
			col[i] = gt_pg_val(res, r, i + 1);
		struct gt_awaiting a;
		if (gt_awaiting_of(f, gt_pg_int(res, r, 0), col, &a))
			rc = fn(&a, arg);
	}
	PQclear(res);
	return rc;
}
