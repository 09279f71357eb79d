/* The workstation's queue: pages of cases in a chosen order, by keyset
 * (the last row's sort key and case number), so that paging, jumping to
 * either end and searching stay instant on a million cases. Intake drafts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gt_i18n.h"
#include "gt_store_int.h"

/* Each order's leading column, as its index in schema.sql has it (an index
 * on an expression serves only that very expression). */
static const char *const sort_expr[GT_QS_COUNT] = {
	[GT_QS_ID] = "c.id",
	[GT_QS_NAME] = "a.name",
	[GT_QS_REGION] = "c.region",
	[GT_QS_DIRECTION] = "c.direction",
	[GT_QS_LEVEL] = "coalesce(c.requested_level, c.target)",
	[GT_QS_OUTCOME] = "c.outcome",
	[GT_QS_STATUS] = "c.status",
	[GT_QS_ASSIGNEE] = "coalesce(c.assignee, '')",
	[GT_QS_UPDATED] = "c.updated_at",
};

void gt_queue_pos_of(const struct gt_queue_row *r, struct gt_queue_pos *p)
{
	gt_copy(p->key, sizeof p->key, r->sortkey);
	p->applicant_id = r->applicant_id;
	p->region = r->region;
	p->direction = r->direction;
	p->id = r->id;
	p->inclusive = false;
}

static const char *status_code(int i) { return gt_status_codes[i]; }
static const char *region_code(int i) { return gt_code_of(&gt_regions, i); }
static const char *outcome_code(int i) { return gt_code_of(&gt_outcomes, i); }
static const char *direction_code(int i) { return gt_code_of(&gt_directions, i); }

struct binds {
	const char *text[64];
	int64_t num[64];
	bool is_num[64];
	int n;
};

static void add_text(struct binds *b, const char *v)
{
	b->text[b->n] = v;
	b->is_num[b->n++] = false;
}

static void add_num(struct binds *b, int64_t v)
{
	b->num[b->n] = v;
	b->is_num[b->n++] = true;
}

static void bind_all(sqlite3_stmt *s, const struct binds *b)
{
	for (int i = 0; i < b->n; i++) {
		if (b->is_num[i])
			sqlite3_bind_int64(s, i + 1, b->num[i]);
		else
			sqlite3_bind_text(s, i + 1, b->text[i], -1, SQLITE_STATIC);
	}
}

/* With GUANTONG_QUERY_PLANS=FILE, each queue statement (its values bound) and
 * SQLite's plan for it are appended to FILE: how an administrator or a
 * benchmark sees which index a page is read through. */
static void log_plan(gt_store *st, const char *sql, const struct binds *b)
{
	static const char *path;
	static bool looked;
	if (!looked) {
		path = getenv("GUANTONG_QUERY_PLANS");
		looked = true;
	}
	if (!path || !*path)
		return;
	FILE *out = fopen(path, "a");
	if (!out)
		return;
	char explain[2200];
	snprintf(explain, sizeof explain, "EXPLAIN QUERY PLAN %s", sql);
	sqlite3_stmt *q = gt_prepare(st, sql), *e = gt_prepare(st, explain);
	if (q && e) {
		bind_all(q, b);
		bind_all(e, b);
		char *x = sqlite3_expanded_sql(q);
		fprintf(out, "-- %s\n", x ? x : sql);
		sqlite3_free(x);
		while (sqlite3_step(e) == SQLITE_ROW)
			fprintf(out, "   %s\n", gt_col_text(e, 3));
	}
	sqlite3_finalize(q);
	sqlite3_finalize(e);
	fclose(out);
}

/* The filter's columns (each has an index: schema.sql). */
enum { F_STATUS, F_REGION, F_OUTCOME, F_DIRECTION, F_COUNT };

struct fcol {
	uint32_t mask;
	const char *col;
	int n;
	const char *(*code)(int);
};

static void filter_cols(const struct gt_queue_filter *f, struct fcol out[F_COUNT])
{
	out[F_STATUS] = (struct fcol){ f->status_mask, "c.status", GT_ST_COUNT, status_code };
	out[F_REGION] = (struct fcol){ f->region_mask, "c.region", GT_REGION_COUNT, region_code };
	out[F_OUTCOME] = (struct fcol){ f->outcome_mask, "c.outcome", GT_OUT_COUNT, outcome_code };
	out[F_DIRECTION] = (struct fcol){ f->direction_mask, "c.direction", GT_DIR_COUNT, direction_code };
}

static void add_in(const struct fcol *c, bool indexable, struct gt_sb *sb, struct binds *b)
{
	/* A unary + keeps SQLite from using the column's index for this term. */
	gt_sb_addf(sb, " AND %s%s IN (", indexable ? "" : "+", c->col);
	bool first = true;
	for (int i = 0; i < c->n; i++) {
		if (!(c->mask & (1u << i)))
			continue;
		gt_sb_add(sb, first ? "?" : ", ?");
		add_text(b, c->code(i));
		first = false;
	}
	gt_sb_add(sb, ")");
}

/* The filter's terms; only the column `indexed` (-1: none) may be read
 * through its index. */
static void add_filter(gt_store *st, const struct gt_queue_filter *f, int indexed, struct gt_sb *sb,
		       struct binds *b)
{
	struct fcol cols[F_COUNT];
	filter_cols(f, cols);
	for (int k = 0; k < F_COUNT; k++)
		if (cols[k].mask)
			add_in(&cols[k], k == indexed, sb, b);
	if (f->mine) {
		gt_sb_add(sb, " AND (c.assignee = ? OR c.updated_by = ?)");
		add_text(b, st->actor);
		add_text(b, st->actor);
	}
}

/* How a filtered page is read. A filter that leaves few cases is read through
 * the index of its most selective column and sorted (fewer than few_cases
 * rows); one that leaves many, by walking the order's index and skipping what
 * the filter leaves out (about a page times cases / few_cases rows, if the
 * filter's columns are not much rarer together than apart).
 * Left to itself SQLite, which has no statistics, read a region of a million
 * cases through the region's index and sorted it for every page (1.6 s). */
static int64_t few_cases = 5000;

void gt_queue_set_few(int64_t n)
{
	few_cases = n > 0 ? n : 5000;
}

/* The filter column with the fewest cases, when it has fewer than few_cases
 * (each counted through its own index, never more than few_cases entries);
 * else -1. */
static int selective_column(gt_store *st, const struct gt_queue_filter *f)
{
	struct fcol cols[F_COUNT];
	filter_cols(f, cols);
	int best = -1;
	int64_t best_n = few_cases;
	for (int k = 0; k < F_COUNT; k++) {
		if (!cols[k].mask)
			continue;
		char sql[512];
		struct gt_sb sb = gt_sb_make(sql, sizeof sql);
		struct binds b = { .n = 0 };
		gt_sb_add(&sb, "SELECT count(*) FROM (SELECT 1 FROM cases c WHERE 1");
		add_in(&cols[k], true, &sb, &b);
		gt_sb_addf(&sb, " LIMIT %lld)", (long long)few_cases);
		log_plan(st, sql, &b);
		sqlite3_stmt *s = gt_prepare(st, sql);
		if (!s)
			return -1;
		bind_all(s, &b);
		int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : few_cases;
		sqlite3_finalize(s);
		if (n < best_n) {
			best_n = n;
			best = k;
		}
	}
	return best;
}

/* The shapes of the orders (see struct gt_queue_pos): after the leading
 * column, the columns that break its ties. */
enum shape { BY_ID, BY_COLUMN_ID, BY_NAME, BY_ID_NUMBER };
enum tie { TIE_CASE, TIE_APPLICANT, TIE_REGION, TIE_DIRECTION };

static const char *const tie_column[] = {
	[TIE_CASE] = "c.id", [TIE_APPLICANT] = "a.id", [TIE_REGION] = "c.region", [TIE_DIRECTION] = "c.direction",
};

static const struct {
	int n;
	enum tie t[3];
} shape_ties[] = {
	[BY_ID] = { 0, { 0 } }, /* the leading column is the case number itself */
	[BY_COLUMN_ID] = { 1, { TIE_CASE } },
	[BY_NAME] = { 3, { TIE_APPLICANT, TIE_REGION, TIE_DIRECTION } },
	[BY_ID_NUMBER] = { 2, { TIE_REGION, TIE_DIRECTION } },
};

static const char *code_or_empty(const struct gt_code_table *t, int i)
{
	return i >= 0 ? gt_code_of(t, i) : "";
}

static void bind_tie(enum tie t, const struct gt_queue_pos *pos, struct binds *b)
{
	switch (t) {
	case TIE_CASE: add_num(b, pos->id); break;
	case TIE_APPLICANT: add_num(b, pos->applicant_id); break;
	case TIE_REGION: add_text(b, code_or_empty(&gt_regions, pos->region)); break;
	case TIE_DIRECTION: add_text(b, code_or_empty(&gt_directions, pos->direction)); break;
	}
}

/* The keyset condition (rows after, or before, pos in the effective
 * direction) and the ORDER BY of an order whose leading column is col. The
 * leading column also gets a plain bound of its own: it is what SQLite turns
 * into the start of the index range, the row value then skips the ties. */
static void add_order(enum shape shape, const char *col, bool descending, const struct gt_queue_pos *pos,
		      struct gt_sb *sb, struct binds *b)
{
	const char *dir = descending ? "DESC" : "ASC";
	int nt = shape_ties[shape].n;
	const enum tie *t = shape_ties[shape].t;
	if (pos) {
		const char *op = descending ? (pos->inclusive ? "<=" : "<") : (pos->inclusive ? ">=" : ">");
		if (nt == 0) {
			gt_sb_addf(sb, " AND %s %s ?", col, op);
			add_num(b, pos->id);
		} else {
			gt_sb_addf(sb, " AND %s %s= ? AND (%s", col, descending ? "<" : ">", col);
			for (int i = 0; i < nt; i++)
				gt_sb_addf(sb, ", %s", tie_column[t[i]]);
			gt_sb_addf(sb, ") %s (?", op);
			for (int i = 0; i < nt; i++)
				gt_sb_add(sb, ", ?");
			gt_sb_add(sb, ")");
			add_text(b, pos->key);
			add_text(b, pos->key);
			for (int i = 0; i < nt; i++)
				bind_tie(t[i], pos, b);
		}
	} else if (shape == BY_NAME) {
		/* Always true, but it makes SQLite walk the name index: without it
		 * the first or last page by name sorted every case (a second on a
		 * million cases, and the page cache filled). */
		gt_sb_addf(sb, " AND %s >= ''", col);
	}
	gt_sb_addf(sb, " ORDER BY %s %s", col, dir);
	for (int i = 0; i < nt; i++)
		gt_sb_addf(sb, ", %s %s", tie_column[t[i]], dir);
}

#define SELECT_COLS                                                                         \
	"SELECT c.id, a.name, a.id_number, c.region, c.direction, "                         \
	"coalesce(c.requested_level, c.target), c.outcome, c.status, coalesce(c.assignee, ''), " \
	"c.updated_at, %s, a.id FROM %s WHERE 1"

/* The join for each shape. In the name and identity-number orders the
 * applicants' index must be the outer loop (CROSS JOIN fixes SQLite's join
 * order): left to itself, with a filter on a case column SQLite scanned the
 * cases and sorted them all (1.45 s for the first page by name of one region
 * on a million cases, against under 10 ms walking the index). */
static const char *from_of(enum shape shape, bool few)
{
	return (shape == BY_NAME || shape == BY_ID_NUMBER) && !few
		       ? "applicants a CROSS JOIN cases c ON c.applicant_id = a.id"
		       : "cases c JOIN applicants a ON a.id = c.applicant_id";
}

static int run(gt_store *st, const char *sql, const struct binds *b, struct gt_queue_row *rows, int max,
	       int *count)
{
	log_plan(st, sql, b);
	sqlite3_stmt *s = gt_prepare(st, sql);
	if (!s)
		return GT_ERR;
	bind_all(s, b);
	int n = 0, step;
	while (n < max && (step = sqlite3_step(s)) == SQLITE_ROW) {
		struct gt_queue_row *r = &rows[n++];
		r->id = sqlite3_column_int64(s, 0);
		gt_copy(r->name, sizeof r->name, gt_col_text(s, 1));
		gt_copy(r->id_number, sizeof r->id_number, gt_col_text(s, 2));
		const char *v = gt_col_text(s, 3);
		r->region = gt_code_lookup(&gt_regions, v, strlen(v));
		v = gt_col_text(s, 4);
		r->direction = gt_code_lookup(&gt_directions, v, strlen(v));
		gt_copy(r->level, sizeof r->level, gt_col_text(s, 5));
		v = gt_col_text(s, 6);
		r->outcome = gt_code_lookup(&gt_outcomes, v, strlen(v));
		r->status = gt_status_parse(gt_col_text(s, 7));
		gt_copy(r->assignee, sizeof r->assignee, gt_col_text(s, 8));
		gt_copy(r->updated_at, sizeof r->updated_at, gt_col_text(s, 9));
		gt_copy(r->sortkey, sizeof r->sortkey, gt_col_text(s, 10));
		r->applicant_id = sqlite3_column_int64(s, 11);
	}
	if (n < max && step != SQLITE_DONE) {
		sqlite3_finalize(s);
		return gt_fail_sql(st, _("reading the queue"));
	}
	sqlite3_finalize(s);
	*count = n;
	return GT_OK;
}

static void reverse(struct gt_queue_row *rows, int n)
{
	for (int i = 0, j = n - 1; i < j; i++, j--) {
		struct gt_queue_row t = rows[i];
		rows[i] = rows[j];
		rows[j] = t;
	}
}

int gt_queue_fetch(gt_store *st, const struct gt_queue_filter *f, int sort, bool desc,
		   const struct gt_queue_pos *after, bool backward, int n, struct gt_queue_row *rows,
		   int *count)
{
	*count = 0;
	if (sort < 0 || sort >= GT_QS_COUNT || n <= 0)
		return gt_fail(st, GT_ERR_INVALID, "bad queue request");
	bool eff_desc = desc != backward;
	char sql[2048];
	struct gt_sb sb = gt_sb_make(sql, sizeof sql);
	struct binds b = { .n = 0 };
	enum shape shape = sort == GT_QS_ID ? BY_ID : sort == GT_QS_NAME ? BY_NAME : BY_COLUMN_ID;
	bool filtered = f->status_mask || f->region_mask || f->outcome_mask || f->direction_mask;
	int indexed = filtered ? selective_column(st, f) : -1;
	/* Few cases: read through the filter's index and sorted (the unary +
	 * keeps the order's index out); else walked in the order's index. */
	char lead[128];
	snprintf(lead, sizeof lead, "%s%s", indexed >= 0 ? "+" : "", sort_expr[sort]);
	gt_sb_addf(&sb, SELECT_COLS, sort == GT_QS_ID ? "''" : sort_expr[sort], from_of(shape, indexed >= 0));
	add_filter(st, f, indexed, &sb, &b);
	add_order(shape, lead, eff_desc, after, &sb, &b);
	gt_sb_addf(&sb, " LIMIT %d", n);
	int rc = run(st, sql, &b, rows, n, count);
	if (!rc && backward)
		reverse(rows, *count);
	return rc;
}

/* Whether q reads as the start of an identity number. */
static bool id_prefix(const char *q)
{
	for (const char *p = q; *p; p++)
		if (!((*p >= '0' && *p <= '9') || *p == 'X' || *p == 'x'))
			return false;
	return true;
}

int gt_queue_search(gt_store *st, const struct gt_queue_filter *f, int sort, const char *q,
		    const struct gt_queue_pos *from, bool backward, struct gt_queue_row *hit,
		    struct gt_queue_pos *hit_pos, bool *found)
{
	*found = false;
	if (!q || !*q)
		return GT_OK;
	/* Matches in the order of the applicants' index on the searched column,
	 * so that the next match is an index step away however many match. */
	const char *col = id_prefix(q) ? "a.id_number" : sort_expr[GT_QS_NAME];
	char key[GT_TEXT_MAX_BYTES + 1];
	gt_copy(key, sizeof key, q);
	if (col[2] == 'i')
		for (char *p = key; *p; p++)
			if (*p == 'x')
				*p = 'X';
	char sql[2048];
	struct gt_sb sb = gt_sb_make(sql, sizeof sql);
	struct binds b = { .n = 0 };
	enum shape shape = col[2] == 'i' ? BY_ID_NUMBER : BY_NAME;
	gt_sb_addf(&sb, SELECT_COLS, sort == GT_QS_ID ? "''" : sort_expr[sort], from_of(shape, false));
	gt_sb_addf(&sb, " AND %s >= ?1 AND %s < ?1 || char(1114111)", col, col);
	add_text(&b, key);
	add_filter(st, f, -1, &sb, &b);
	add_order(shape, col, backward, from, &sb, &b);
	gt_sb_add(&sb, " LIMIT 1");
	int n = 0;
	int rc = run(st, sql, &b, hit, 1, &n);
	*found = n == 1;
	if (*found) {
		gt_queue_pos_of(hit, hit_pos);
		gt_copy(hit_pos->key, sizeof hit_pos->key, col[2] == 'i' ? hit->id_number : hit->name);
	}
	return rc;
}

void gt_store_cache_kib(gt_store *st, int kib)
{
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", kib > 0 ? kib : 2048);
	sqlite3_exec(st->db, sql, NULL, NULL, NULL);
}

int gt_store_is_empty(gt_store *st, bool *empty)
{
	sqlite3_stmt *s = gt_prepare(st, "SELECT NOT EXISTS (SELECT 1 FROM cases)");
	if (!s)
		return GT_ERR;
	int rc = GT_OK;
	if (sqlite3_step(s) == SQLITE_ROW)
		*empty = sqlite3_column_int(s, 0) != 0;
	else
		rc = gt_fail_sql(st, _("reading the queue"));
	sqlite3_finalize(s);
	return rc;
}

/* ---- drafts: the user's own work in progress; not audited until saved */

int gt_store_draft_save(gt_store *st, int64_t case_id, int64_t base_version, const char *fields)
{
	char now[32];
	gt_now(now);
	sqlite3_stmt *s = gt_prepare(st, "INSERT INTO drafts (owner, case_id, base_version, updated_at, fields) "
				     "VALUES (?, ?, ?, ?, ?) ON CONFLICT (owner, case_id) DO UPDATE SET "
				     "base_version = excluded.base_version, updated_at = excluded.updated_at, "
				     "fields = excluded.fields");
	if (!s)
		return GT_ERR;
	sqlite3_bind_text(s, 1, st->actor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, case_id);
	sqlite3_bind_int64(s, 3, base_version);
	sqlite3_bind_text(s, 4, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, fields, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s) == SQLITE_DONE ? GT_OK : gt_fail_sql(st, _("saving the draft"));
	sqlite3_finalize(s);
	return rc;
}

int gt_store_draft_load(gt_store *st, int64_t case_id, char **fields, int64_t *base_version,
			char updated_at[32])
{
	*fields = NULL;
	sqlite3_stmt *s = gt_prepare(st, "SELECT fields, base_version, updated_at FROM drafts "
				     "WHERE owner = ? AND case_id = ?");
	if (!s)
		return GT_ERR;
	sqlite3_bind_text(s, 1, st->actor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, case_id);
	int rc = GT_OK;
	int step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		*fields = strdup(gt_col_text(s, 0));
		*base_version = sqlite3_column_int64(s, 1);
		gt_copy(updated_at, 32, gt_col_text(s, 2));
		if (!*fields)
			rc = gt_fail(st, GT_ERR, "out of memory");
	} else if (step != SQLITE_DONE) {
		rc = gt_fail_sql(st, _("reading the draft"));
	}
	sqlite3_finalize(s);
	return rc;
}

int gt_store_draft_delete(gt_store *st, int64_t case_id)
{
	sqlite3_stmt *s = gt_prepare(st, "DELETE FROM drafts WHERE owner = ? AND case_id = ?");
	if (!s)
		return GT_ERR;
	sqlite3_bind_text(s, 1, st->actor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, case_id);
	int rc = sqlite3_step(s) == SQLITE_DONE ? GT_OK : gt_fail_sql(st, _("deleting the draft"));
	sqlite3_finalize(s);
	return rc;
}
