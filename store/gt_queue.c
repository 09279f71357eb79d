/* The workstation's queue: pages of cases in a chosen order, by keyset
 * (the last row's sort key and case number), so that paging, jumping to
 * either end and searching stay instant on a million cases. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gt_i18n.h"
#include "gt_pg.h"
#include "gt_store_int.h"

/* The level's rank, from the lowest: skill levels 1-7, titles 11-15, by the
 * direction that says which the column holds (the expression of the index
 * cases_level_rank, store/migrate/006.sql; one character since version 14:
 * 0 unknown, 1-7, then a-e). */
#define LEVEL_RANK \
	"(CASE WHEN c.direction = 'title_to_skill' THEN (CASE coalesce(c.requested_level, " \
	"c.target) WHEN 'junior' THEN '1' WHEN 'intermediate' THEN '2' WHEN 'senior' THEN '3' " \
	"WHEN 'technician' THEN '4' WHEN 'senior_technician' THEN '5' WHEN " \
	"'principal_technician' THEN '6' WHEN 'chief_technician' THEN '7' ELSE '0' END) ELSE " \
	"(CASE coalesce(c.requested_level, c.target) WHEN 'entry' THEN 'a' WHEN " \
	"'assistant' THEN 'b' WHEN 'intermediate' THEN 'c' WHEN 'deputy_senior' THEN 'd' " \
	"WHEN 'full_senior' THEN 'e' ELSE '0' END) END)" 

/* The ranks of the status, region, outcome and direction: one letter in
 * the order of the codes, as the indexes of schema.sql have them (version
 * 14); rank_of gives the letter of a code. */
#define STATUS_RANK \
	"(CASE c.status WHEN 'approved' THEN 'a' WHEN 'draft' THEN 'b' WHEN 'in_review' THEN 'c' WHEN 'rejected' " \
	"THEN 'd' WHEN 'returned' THEN 'e' WHEN 'submitted' THEN 'f' WHEN 'void' THEN 'g' ELSE c.status END)"
#define REGION_RANK \
	"(CASE c.region WHEN 'anshan' THEN 'a' WHEN 'chongqing' THEN 'b' WHEN 'guangzhou' THEN 'c' WHEN 'jiangsu' " \
	"THEN 'd' WHEN 'sichuan' THEN 'e' ELSE c.region END)"
#define OUTCOME_RANK \
	"(CASE c.outcome WHEN 'eligible' THEN 'a' WHEN 'invalid' THEN 'b' WHEN 'manual_review' THEN 'c' WHEN " \
	"'needs_evidence' THEN 'd' WHEN 'not_eligible' THEN 'e' WHEN 'vetoed' THEN 'f' ELSE c.outcome END)"
#define DIRECTION_RANK \
	"(CASE c.direction WHEN 'skill_to_title' THEN 'a' WHEN 'title_to_skill' THEN 'b' ELSE c.direction END)"

/* The filter's key (schema.sql: cases_filter, version 16): the ranks of the
 * status, region, outcome and direction as numbers, 1 for the first code
 * alphabetically (the letter's place above), 0 for none, in one integer;
 * add_filter_keys writes the keys a filter reads. */
#define FILTER_KEY \
	"((((CASE c.status WHEN 'approved' THEN 1 WHEN 'draft' THEN 2 WHEN 'in_review' THEN 3 WHEN 'rejected' " \
	"THEN 4 WHEN 'returned' THEN 5 WHEN 'submitted' THEN 6 WHEN 'void' THEN 7 ELSE 0 END) * 8 " \
	"+ (CASE c.region WHEN 'anshan' THEN 1 WHEN 'chongqing' THEN 2 WHEN 'guangzhou' THEN 3 WHEN 'jiangsu' " \
	"THEN 4 WHEN 'sichuan' THEN 5 ELSE 0 END)) * 8 " \
	"+ (CASE c.outcome WHEN 'eligible' THEN 1 WHEN 'invalid' THEN 2 WHEN 'manual_review' THEN 3 WHEN " \
	"'needs_evidence' THEN 4 WHEN 'not_eligible' THEN 5 WHEN 'vetoed' THEN 6 ELSE 0 END)) * 4 " \
	"+ (CASE c.direction WHEN 'skill_to_title' THEN 1 WHEN 'title_to_skill' THEN 2 ELSE 0 END))"
_Static_assert(GT_ST_COUNT < 8 && GT_REGION_COUNT < 8 && GT_OUT_COUNT < 8 && GT_DIR_COUNT < 4,
	       "each rank fits its place in the filter's key");

/* Each order's leading column, as its index in schema.sql has it (an index
 * on an expression serves only that very expression). */
static const char *const sort_expr[GT_QS_COUNT] = {
	[GT_QS_ID] = "c.id",
	[GT_QS_NAME] = "k.name_key",
	[GT_QS_REGION] = REGION_RANK,
	[GT_QS_DIRECTION] = DIRECTION_RANK,
	[GT_QS_LEVEL] = LEVEL_RANK,
	[GT_QS_OUTCOME] = OUTCOME_RANK,
	[GT_QS_STATUS] = STATUS_RANK,
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

/* The rank of code i of the n codes code(0 .. n-1): "a" for the first of
 * them in the order of their bytes (the letters of the *_RANK expressions,
 * which must agree: tests/unit/test_queue.c compares the two). */
static const char *rank_of(const char *(*code)(int), int n, int i)
{
	static const char letters[] = "a\0b\0c\0d\0e\0f\0g\0h\0i\0j\0k\0l\0m\0n\0o\0p";
	int r = 0;
	for (int j = 0; j < n; j++)
		r += strcmp(code(j), code(i)) < 0;
	return letters + 2 * r;
}

static const char *status_code(int i) { return gt_status_codes[i]; }
static const char *region_code(int i) { return gt_code_of(&gt_regions, i); }
static const char *outcome_code(int i) { return gt_code_of(&gt_outcomes, i); }
static const char *direction_code(int i) { return gt_code_of(&gt_directions, i); }
static const char *status_rank(int i) { return rank_of(status_code, GT_ST_COUNT, i); }
static const char *region_rank(int i) { return rank_of(region_code, GT_REGION_COUNT, i); }
static const char *outcome_rank(int i) { return rank_of(outcome_code, GT_OUT_COUNT, i); }
static const char *direction_rank(int i) { return rank_of(direction_code, GT_DIR_COUNT, i); }

/* The shapes of the orders (see struct gt_queue_pos): after the leading
 * column, the columns that break its ties. */
enum shape { BY_ID, BY_COLUMN_ID, BY_NAME, BY_ID_NUMBER, BY_KEY, BY_TERM };

struct binds {
	const char *text[64];
	int64_t num[64];
	bool is_num[64];
	bool is_blob[64];
	int n;
};

static void add_text(struct binds *b, const char *v)
{
	b->text[b->n] = v;
	b->is_blob[b->n] = false;
	b->is_num[b->n++] = false;
}

/* The name's collation key (case_keys.name_key) is a BLOB: bound as one, as
 * a text never compares equal to a BLOB and sorts before every one. */
static void add_key(struct binds *b, enum shape shape, const char *key)
{
	add_text(b, key);
	b->is_blob[b->n - 1] = shape == BY_KEY;
}

static void add_num(struct binds *b, int64_t v)
{
	b->num[b->n] = v;
	b->is_num[b->n++] = true;
}

/* The place's key in the order of col. The time of the last change is
 * stored as seconds (schema version 12): its key, read back as text, is
 * bound as the number it was, for a column the statement writes as
 * "+c.updated_at" (kept off an index) has no affinity to make it one, and
 * text sorts after every number. A time stored as text stays text. */
static void add_place_key(struct binds *b, enum shape shape, const char *col, const char *key)
{
	char *end = NULL;
	errno = 0;
	long long v = strtoll(key, &end, 10);
	bool seconds = strcmp(col + (*col == '+'), sort_expr[GT_QS_UPDATED]) == 0;
	if (seconds && *key >= '0' && *key <= '9' && *end == '\0' && !errno && (*key != '0' || !key[1]))
		add_num(b, v);
	else
		add_key(b, shape, key);
}

static void bind_all(sqlite3_stmt *s, const struct binds *b)
{
	for (int i = 0; i < b->n; i++) {
		if (b->is_num[i])
			sqlite3_bind_int64(s, i + 1, b->num[i]);
		else if (b->is_blob[i])
			sqlite3_bind_blob(s, i + 1, b->text[i], (int)strlen(b->text[i]), SQLITE_STATIC);
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
	/* Searched identity-number prefixes end up in it: created 0600, never
	 * through a link, never a special file or the database. */
	FILE *out = gt_file_append(path, st->path);
	if (!out)
		return;
	char explain[8400];
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

/* The filter's columns, in the order of their places in the key of the
 * index on all four (schema.sql: cases_filter); each also has an index of
 * its own, for its sort order. */
enum { F_STATUS, F_REGION, F_OUTCOME, F_DIRECTION, F_COUNT };

struct fcol {
	uint32_t mask;
	const char *col;
	int n;
	const char *(*code)(int);
};

static void filter_cols(const struct gt_queue_filter *f, struct fcol out[F_COUNT])
{
	out[F_STATUS] = (struct fcol){ f->status_mask, STATUS_RANK, GT_ST_COUNT, status_rank };
	out[F_REGION] = (struct fcol){ f->region_mask, REGION_RANK, GT_REGION_COUNT, region_rank };
	out[F_OUTCOME] = (struct fcol){ f->outcome_mask, OUTCOME_RANK, GT_OUT_COUNT, outcome_rank };
	out[F_DIRECTION] = (struct fcol){ f->direction_mask, DIRECTION_RANK, GT_DIR_COUNT, direction_rank };
}

/* The filter column that leads sort order `sort`, or -1. */
static int filter_col_of(int sort)
{
	switch (sort) {
	case GT_QS_STATUS: return F_STATUS;
	case GT_QS_REGION: return F_REGION;
	case GT_QS_OUTCOME: return F_OUTCOME;
	case GT_QS_DIRECTION: return F_DIRECTION;
	default: return -1;
	}
}

/* Where the rows of a page come from. SQLite, which has no statistics here,
 * is not left to choose: reading a region of a million cases through the
 * region's index and sorting it took 1.6 s a page, and ANALYZE chose worse. */
enum source {
	SRC_WALK,   /* the order's index, skipping the rows the filter leaves out */
	SRC_FILTER, /* cases_filter, every combination of the marked codes; sorted */
	SRC_MINE,   /* the assignee's and the last changer's indexes; sorted */
};

/* The rank of code i of c as a number: 1 for the first alphabetically. */
static int rank_num(const struct fcol *c, int i)
{
	return c->code(i)[0] - 'a' + 1;
}

/* cases_filter's keys of every combination of the marked codes (an unmarked
 * column: every code, the CHECKs of schema.sql; the outcomes are the
 * evaluator's; the status: the live ones), as numbers in the statement (at
 * most 7 x 5 x 6 x 2 of them): the key is the program's, not the user's. */
static void add_filter_keys(const struct fcol cols[F_COUNT], struct gt_sb *sb)
{
	uint32_t m[F_COUNT];
	for (int k = 0; k < F_COUNT; k++)
		m[k] = cols[k].mask ? cols[k].mask : k == F_STATUS ? GT_ST_LIVE_MASK : (1u << cols[k].n) - 1;
	gt_sb_add(sb, " AND " FILTER_KEY " IN (");
	bool first = true;
	for (int s = 0; s < cols[F_STATUS].n; s++)
		for (int r = 0; r < cols[F_REGION].n; r++)
			for (int o = 0; o < cols[F_OUTCOME].n; o++)
				for (int d = 0; d < cols[F_DIRECTION].n; d++) {
					if (!(m[F_STATUS] >> s & 1) || !(m[F_REGION] >> r & 1) ||
					    !(m[F_OUTCOME] >> o & 1) || !(m[F_DIRECTION] >> d & 1))
						continue;
					int key = ((rank_num(&cols[F_STATUS], s) * 8 + rank_num(&cols[F_REGION], r)) * 8 +
						   rank_num(&cols[F_OUTCOME], o)) * 4 + rank_num(&cols[F_DIRECTION], d);
					gt_sb_addf(sb, first ? "%d" : ",%d", key);
					first = false;
				}
	gt_sb_add(sb, ")");
}

static void add_in(const struct fcol *c, uint32_t mask, bool indexable, struct gt_sb *sb, struct binds *b)
{
	/* A unary + keeps SQLite from using the column's index for this term. */
	gt_sb_addf(sb, " AND %s%s IN (", indexable ? "" : "+", c->col);
	bool first = true;
	for (int i = 0; i < c->n; i++) {
		if (!(mask & (1u << i)))
			continue;
		gt_sb_add(sb, first ? "?" : ", ?");
		add_text(b, c->code(i));
		first = false;
	}
	gt_sb_add(sb, ")");
}

/* The filter's terms, indexable only where src reads through them; walking,
 * the column that leads the order (lead, or -1) is a range of its index. */
static void add_filter(gt_store *st, const struct gt_queue_filter *f, enum source src, int lead, struct gt_sb *sb,
		       struct binds *b)
{
	struct fcol cols[F_COUNT];
	filter_cols(f, cols);
	if (src == SRC_FILTER)
		add_filter_keys(cols, sb);
	for (int k = 0; k < F_COUNT && src != SRC_FILTER; k++) {
		if (cols[k].mask) {
			add_in(&cols[k], cols[k].mask, src == SRC_WALK && k == lead, sb, b);
		} else if (k == F_STATUS) {
			/* No status marked: every case but the voided ones (a
			 * test of the row read, never a range of an index). */
			gt_sb_add(sb, " AND +c.status <> 'void'");
		}
	}
	if (f->mine) {
		const char *p = src == SRC_MINE ? "" : "+";
		gt_sb_addf(sb, " AND (%scoalesce(c.assignee, '') = ? OR %sc.updated_by = ?)", p, p);
		add_text(b, st->actor);
		add_text(b, st->actor);
	}
}

/* How a filtered page is read. A filter that leaves few cases is read through
 * its indexes and sorted (fewer than few_cases rows); one that leaves many, by
 * walking the order's index and skipping what the filter leaves out (about a
 * page times cases / few_cases rows, if the filter and the order are not
 * correlated). */
static int64_t few_cases = 5000;
static unsigned tuning; /* changes with few_cases: what was kept by the old one is void */

void gt_queue_set_few(int64_t n)
{
	few_cases = n > 0 ? n : 5000;
	tuning++;
}

/* How many cases (never counting past few_cases) src's part of the filter
 * leaves, counted in its indexes alone: the marked codes of all four columns
 * together, or "mine". */
static int64_t count_in(gt_store *st, const struct gt_queue_filter *f, enum source src)
{
	struct gt_queue_filter part = *f;
	if (src == SRC_FILTER)
		part.mine = false;
	else
		part = (struct gt_queue_filter){ .mine = true };
	char sql[8192];
	struct gt_sb sb = gt_sb_make(sql, sizeof sql);
	struct binds b = { .n = 0 };
	gt_sb_addf(&sb, "SELECT count(*) FROM (SELECT 1 FROM cases c%s WHERE 1",
		   src == SRC_FILTER ? " INDEXED BY cases_filter" : "");
	add_filter(st, &part, src, -1, &sb, &b);
	gt_sb_addf(&sb, " LIMIT %lld)", (long long)few_cases);
	if (sb.truncated)
		return few_cases; /* never: the longest is half the buffer */
	log_plan(st, sql, &b);
	sqlite3_stmt *s = gt_prepare(st, sql);
	if (!s)
		return few_cases;
	bind_all(s, &b);
	int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : few_cases;
	sqlite3_finalize(s);
	return n;
}

static enum source pick_source(gt_store *st, const struct gt_queue_filter *f)
{
	bool cols = f->status_mask || f->region_mask || f->outcome_mask || f->direction_mask;
	int64_t by_cols = cols ? count_in(st, f, SRC_FILTER) : few_cases;
	int64_t by_mine = f->mine ? count_in(st, f, SRC_MINE) : few_cases;
	if (by_cols < few_cases && by_cols <= by_mine)
		return SRC_FILTER;
	return by_mine < few_cases ? SRC_MINE : SRC_WALK;
}

enum tie { TIE_CASE, TIE_APPLICANT, TIE_REGION, TIE_DIRECTION, TIE_KEY_CASE, TIE_TERM_CASE };

/* The name's order and the search break ties by the case number as their
 * own index has it (k.case_id, t.case_id): by c.id SQLite sorted each page. */
static const char *const tie_column[] = {
	[TIE_CASE] = "c.id", [TIE_APPLICANT] = "a.id", [TIE_REGION] = "c.region", [TIE_DIRECTION] = "c.direction",
	[TIE_KEY_CASE] = "k.case_id", [TIE_TERM_CASE] = "t.case_id",
};

static const struct {
	int n;
	enum tie t[3];
} shape_ties[] = {
	[BY_ID] = { 0, { 0 } }, /* the leading column is the case number itself */
	[BY_COLUMN_ID] = { 1, { TIE_CASE } },
	[BY_NAME] = { 3, { TIE_APPLICANT, TIE_REGION, TIE_DIRECTION } },
	[BY_ID_NUMBER] = { 2, { TIE_REGION, TIE_DIRECTION } },
	[BY_KEY] = { 1, { TIE_KEY_CASE } },
	[BY_TERM] = { 1, { TIE_TERM_CASE } },
};

static const char *code_or_empty(const struct gt_code_table *t, int i)
{
	return i >= 0 ? gt_code_of(t, i) : "";
}

static void bind_tie(enum tie t, const struct gt_queue_pos *pos, struct binds *b)
{
	switch (t) {
	case TIE_CASE: case TIE_KEY_CASE: case TIE_TERM_CASE: add_num(b, pos->id); break;
	case TIE_APPLICANT: add_num(b, pos->applicant_id); break;
	case TIE_REGION: add_text(b, code_or_empty(&gt_regions, pos->region)); break;
	case TIE_DIRECTION: add_text(b, code_or_empty(&gt_directions, pos->direction)); break;
	}
}

/* Which rows after a place a statement reads: all of them, or (walking an
 * index) the rest of the place's run of equal keys, then the rows past it. */
enum part { PART_ALL, PART_TIES, PART_AFTER };

/* The keyset condition: the rows after (or before) pos in the effective
 * direction, of an order whose leading column is col. */
static void add_keyset(enum shape shape, const char *col, bool descending, const struct gt_queue_pos *pos,
		       enum part part, struct gt_sb *sb, struct binds *b)
{
	int nt = shape_ties[shape].n;
	const enum tie *t = shape_ties[shape].t;
	const char *op = descending ? (pos && pos->inclusive ? "<=" : "<") : (pos && pos->inclusive ? ">=" : ">");
	if (!pos) {
		/* Always true, but it makes SQLite walk the name index: without it
		 * the first or last page by name sorted every case (a second on a
		 * million cases, and the page cache filled). */
		if (shape == BY_NAME)
			gt_sb_addf(sb, " AND %s >= ''", col);
		return;
	}
	if (nt == 0) {
		gt_sb_addf(sb, " AND %s %s ?", col, op);
		add_num(b, pos->id);
		return;
	}
	switch (part) {
	case PART_ALL:
		/* The leading column's own bound is what SQLite turns into the
		 * start of an index range; the row value then skips the ties. */
		gt_sb_addf(sb, " AND %s %s= ? AND (%s", col, descending ? "<" : ">", col);
		add_place_key(b, shape, col, pos->key);
		break;
	case PART_TIES:
		/* The run of equal keys, from the place: the key, and for the
		 * name the applicant, are a range of the index. */
		gt_sb_addf(sb, " AND %s = ?", col);
		add_place_key(b, shape, col, pos->key);
		if (t[0] == TIE_APPLICANT) {
			gt_sb_addf(sb, " AND a.id %s= ?", descending ? "<" : ">");
			add_num(b, pos->applicant_id);
		}
		gt_sb_add(sb, " AND (");
		break;
	case PART_AFTER:
		gt_sb_addf(sb, " AND %s %s ?", col, descending ? "<" : ">");
		add_place_key(b, shape, col, pos->key);
		return;
	}
	for (int i = 0; i < nt; i++)
		gt_sb_addf(sb, "%s%s", i || part == PART_ALL ? ", " : "", tie_column[t[i]]);
	gt_sb_addf(sb, ") %s (", op);
	if (part == PART_ALL) {
		gt_sb_add(sb, "?, ");
		add_place_key(b, shape, col, pos->key);
	}
	for (int i = 0; i < nt; i++) {
		gt_sb_add(sb, i ? ", ?" : "?");
		bind_tie(t[i], pos, b);
	}
	gt_sb_add(sb, ")");
}

/* Within a run of equal keys (PART_TIES) only the ties order the rows: an
 * ORDER BY that named the leading column too made SQLite sort what an index
 * on an expression already gave in order. */
static void add_order_by(enum shape shape, const char *col, bool descending, enum part part, struct gt_sb *sb)
{
	const char *dir = descending ? "DESC" : "ASC", *sep = " ORDER BY ";
	if (part != PART_TIES) {
		gt_sb_addf(sb, "%s%s %s", sep, col, dir);
		sep = ", ";
	}
	for (int i = 0; i < shape_ties[shape].n; i++, sep = ", ")
		gt_sb_addf(sb, "%s%s %s", sep, tie_column[shape_ties[shape].t[i]], dir);
}

/* One read of the queue. */
struct request {
	const struct gt_queue_filter *f;
	enum source src;
	enum shape shape;
	const char *col;    /* the order's leading column, as the statement has it */
	const char *shown;  /* the sort key each row carries */
	int lead;           /* the filter column that leads the order, or -1 */
	bool desc;          /* the direction read in */
	const struct gt_queue_pos *pos;
	const char *prefix; /* a search: the leading column starts with it */
	bool keys;          /* the statement reads case_keys (k): the name's order */
	bool terms;         /* the statement walks case_terms (t): a search */
};

/* The identity number (the first %s) only where the applicants' index on it
 * is walked: elsewhere it would cost a read of the applicant's row for each
 * case, the one thing besides the case that paging by name reads from disk
 * when the file is not in memory. */
#define SELECT_COLS                                                                         \
	"SELECT c.id, a.name, %s, c.region, c.direction, "                                  \
	"coalesce(c.requested_level, c.target), c.outcome, c.status, coalesce(c.assignee, ''), " \
	GT_TIME_TEXT("c.updated_at") ", %s, a.id FROM %s WHERE 1"

/* The join. Walking the name or identity-number order, the applicants' index
 * must be the outer loop (CROSS JOIN fixes SQLite's join order): left to
 * itself, with a filter on a case column SQLite scanned the cases and sorted
 * them all (1.45 s for the first page by name of one region on a million
 * cases, against under 10 ms walking the index). */
static const char *from_of(const struct request *rq)
{
	/* The name's order walks case_keys' index on the collation key, a
	 * search case_terms' on the terms: each the outer loop. */
	if (rq->terms)
		return rq->keys ? "case_terms t CROSS JOIN cases c ON c.id = t.case_id JOIN applicants a ON a.id = "
				  "c.applicant_id JOIN case_keys k ON k.case_id = c.id"
				: "case_terms t CROSS JOIN cases c ON c.id = t.case_id JOIN applicants a ON a.id = c.applicant_id";
	switch (rq->src) {
	case SRC_FILTER:
		return rq->keys ? "cases c INDEXED BY cases_filter JOIN applicants a ON a.id = c.applicant_id "
				  "JOIN case_keys k ON k.case_id = c.id"
				: "cases c INDEXED BY cases_filter JOIN applicants a ON a.id = c.applicant_id";
	case SRC_MINE:
		return rq->keys ? "cases c JOIN applicants a ON a.id = c.applicant_id JOIN case_keys k ON k.case_id = c.id"
				: "cases c JOIN applicants a ON a.id = c.applicant_id";
	case SRC_WALK: break;
	}
	if (rq->keys)
		return "case_keys k CROSS JOIN cases c ON c.id = k.case_id JOIN applicants a ON a.id = c.applicant_id";
	return rq->shape == BY_ID_NUMBER ? "applicants a CROSS JOIN cases c ON c.applicant_id = a.id"
					 : "cases c JOIN applicants a ON a.id = c.applicant_id";
}

static void build(gt_store *st, const struct request *rq, enum part part, int limit, struct gt_sb *sb,
		  struct binds *b)
{
	gt_sb_addf(sb, SELECT_COLS, rq->shape == BY_ID_NUMBER ? "a.id_number" : "''", rq->shown, from_of(rq));
	if (rq->prefix) {
		gt_sb_addf(sb, " AND %s >= ? AND %s < ? || char(1114111)", rq->col, rq->col);
		add_text(b, rq->prefix);
		add_text(b, rq->prefix);
	}
	add_filter(st, rq->f, rq->src, rq->lead, sb, b);
	add_keyset(rq->shape, rq->col, rq->desc, rq->pos, part, sb, b);
	/* A filter that leaves one code of the order's leading column makes the
	 * whole page one run of equal ranks: SQLite, which counts an equality on
	 * a column but not on an expression as ordering it, sorted each such
	 * page (schema version 14) unless only the ties order it. */
	struct fcol cols[F_COUNT];
	filter_cols(rq->f, cols);
	bool one = rq->lead >= 0 && cols[rq->lead].mask && !(cols[rq->lead].mask & (cols[rq->lead].mask - 1));
	add_order_by(rq->shape, rq->col, rq->desc, one ? PART_TIES : part, sb);
	gt_sb_addf(sb, " LIMIT %d", limit);
}

/* A row of SELECT_COLS. */
static void fill_row(sqlite3_stmt *s, struct gt_queue_row *r)
{
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

static int run(gt_store *st, const char *sql, const struct binds *b, struct gt_queue_row *rows, int max,
	       int *count)
{
	log_plan(st, sql, b);
	sqlite3_stmt *s = gt_prepare(st, sql);
	if (!s)
		return GT_ERR;
	bind_all(s, b);
	int n = 0, step;
	while (n < max && (step = sqlite3_step(s)) == SQLITE_ROW)
		fill_row(s, &rows[n++]);
	if (n < max && step != SQLITE_DONE) {
		sqlite3_finalize(s);
		return gt_fail_sql(st, _("reading the queue"));
	}
	sqlite3_finalize(s);
	*count = n;
	return GT_OK;
}

/* Up to n rows of the request. Walking an index from a place inside a run of
 * equal keys, it reads the rest of the run (an index range of its own), then
 * what is past the key: in one statement SQLite started at the run's first
 * row and skipped to the place, half a second a page deep in a million cases
 * of one status. */
static int fetch_rows(gt_store *st, const struct request *rq, struct gt_queue_row *rows, int n, int *count)
{
	bool split = rq->pos && rq->src == SRC_WALK && rq->shape != BY_ID;
	*count = 0;
	for (enum part part = split ? PART_TIES : PART_ALL;; part = PART_AFTER) {
		char sql[8192];
		struct gt_sb sb = gt_sb_make(sql, sizeof sql);
		struct binds b = { .n = 0 };
		build(st, rq, part, n - *count, &sb, &b);
		if (sb.truncated)
			return gt_fail(st, GT_ERR, "queue statement too long");
		int got = 0;
		int rc = run(st, sql, &b, rows + *count, n - *count, &got);
		if (rc)
			return rc;
		*count += got;
		if (part != PART_TIES || *count == n)
			return GT_OK;
	}
}

static void reverse(struct gt_queue_row *rows, int n)
{
	for (int i = 0, j = n - 1; i < j; i++, j--) {
		struct gt_queue_row t = rows[i];
		rows[i] = rows[j];
		rows[j] = t;
	}
}

static enum shape shape_of(int sort)
{
	return sort == GT_QS_ID ? BY_ID : sort == GT_QS_NAME ? BY_KEY : BY_COLUMN_ID;
}

/* ---- what the queue keeps between pages
 *
 * While nothing changes (the same data_version: no other connection has
 * committed; the same total_changes: this one has written nothing), a filter
 * keeps its source, and a filter that leaves few cases keeps their case
 * numbers in the order last asked for: read once through the filter's
 * indexes and sorted, then paged in memory, each page reading only its own
 * rows. Sorted again for every page, a filter of 1,915 cases of a million
 * took 14 ms a page by name (each case's row and its applicant's). */
struct gt_queue_cache {
	bool valid;
	unsigned tuning;
	int64_t data_version, changes; /* when it was made */
	struct gt_queue_filter f;
	enum source src;
	int sort;       /* the order of ids, ascending (-1: no ids kept) */
	int n, cap;
	int64_t *ids;
	int64_t total;  /* gt_queue_count's, -1: not counted yet */
};

static bool use_sets = true;

void gt_queue_use_sets(bool on)
{
	use_sets = on;
}

void gt_queue_cache_free(struct gt_queue_cache *c)
{
	if (c)
		free(c->ids);
	free(c);
}

static bool same_filter(const struct gt_queue_filter *a, const struct gt_queue_filter *b)
{
	return a->status_mask == b->status_mask && a->region_mask == b->region_mask &&
	       a->outcome_mask == b->outcome_mask && a->direction_mask == b->direction_mask && a->mine == b->mine;
}

/* The cache for filter f, made anew when f or the data changed; NULL when
 * out of memory (then nothing is kept). */
static struct gt_queue_cache *cache_for(gt_store *st, const struct gt_queue_filter *f)
{
	struct gt_queue_cache *c = st->queue;
	if (!c && !(c = st->queue = calloc(1, sizeof *c)))
		return NULL;
	int64_t dv = gt_store_data_version(st), changes = sqlite3_total_changes64(st->db);
	if (!c->valid || c->tuning != tuning || dv < 0 || dv != c->data_version || changes != c->changes ||
	    !same_filter(f, &c->f)) {
		c->valid = dv >= 0;
		c->tuning = tuning;
		c->data_version = dv;
		c->changes = changes;
		c->f = *f;
		c->src = pick_source(st, f);
		c->sort = -1;
		c->total = -1;
	}
	return c;
}

/* The statement sb holds, logged (log_plan) and its values bound; NULL on
 * failure (st says why). */
static sqlite3_stmt *prepare_read(gt_store *st, const struct gt_sb *sb, const struct binds *b)
{
	if (sb->truncated) {
		gt_fail(st, GT_ERR, "queue statement too long");
		return NULL;
	}
	log_plan(st, sb->p, b);
	sqlite3_stmt *s = gt_prepare(st, sb->p);
	if (s)
		bind_all(s, b);
	return s;
}

/* Reads the case numbers of the cache's filter in rq's order, ascending.
 * More than twice few_cases (the data changed since they were counted):
 * none kept. */
static int load_set(gt_store *st, struct gt_queue_cache *c, int sort, const struct request *rq)
{
	c->sort = -1;
	int64_t cap = 2 * few_cases + 1;
	if (c->cap < cap) {
		int64_t *p = realloc(c->ids, (size_t)cap * sizeof *p);
		if (!p)
			return GT_OK; /* nothing kept: read as if there were no cache */
		c->ids = p;
		c->cap = (int)cap;
	}
	char sql[8192];
	struct gt_sb sb = gt_sb_make(sql, sizeof sql);
	struct binds b = { .n = 0 };
	gt_sb_addf(&sb, "SELECT c.id FROM cases c%s%s WHERE 1", c->src == SRC_FILTER ? " INDEXED BY cases_filter" : "",
		   rq->keys ? " JOIN case_keys k ON k.case_id = c.id" : "");
	add_filter(st, &c->f, c->src, -1, &sb, &b);
	add_order_by(rq->shape, rq->col, false, PART_ALL, &sb);
	gt_sb_addf(&sb, " LIMIT %lld", (long long)cap);
	sqlite3_stmt *s = prepare_read(st, &sb, &b);
	if (!s)
		return GT_ERR;
	int n = 0, step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW)
		c->ids[n++] = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (step != SQLITE_DONE)
		return gt_fail_sql(st, _("reading the queue"));
	c->n = n;
	if (n < cap)
		c->sort = sort;
	return GT_OK;
}

/* A page of rq from the kept case numbers: 1 when rq's place is not among
 * them (then the statements read it). */
static int page_of_set(gt_store *st, const struct gt_queue_cache *c, const struct request *rq, int n,
		       struct gt_queue_row *rows, int *count)
{
	int step = rq->desc ? -1 : 1, i = rq->desc ? c->n - 1 : 0;
	if (rq->pos) {
		int at = 0;
		while (at < c->n && c->ids[at] != rq->pos->id)
			at++;
		if (at == c->n)
			return 1;
		i = rq->pos->inclusive ? at : at + step;
	}
	char sql[4096];
	struct gt_sb sb = gt_sb_make(sql, sizeof sql);
	gt_sb_addf(&sb, SELECT_COLS " AND c.id = ?", "''", rq->shown,
		   rq->keys ? "cases c JOIN applicants a ON a.id = c.applicant_id JOIN case_keys k ON k.case_id = c.id"
			    : "cases c JOIN applicants a ON a.id = c.applicant_id");
	sqlite3_stmt *s = gt_prepare(st, sql);
	if (!s)
		return GT_ERR;
	*count = 0;
	int rc = GT_OK;
	for (; i >= 0 && i < c->n && *count < n; i += step) {
		sqlite3_bind_int64(s, 1, c->ids[i]);
		int r = sqlite3_step(s);
		if (r == SQLITE_ROW)
			fill_row(s, &rows[(*count)++]);
		else if (r != SQLITE_DONE) {
			rc = gt_fail_sql(st, _("reading the queue"));
			break;
		}
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	return rc;
}

int gt_queue_fetch(gt_store *st, const struct gt_queue_filter *f, int sort, bool desc,
		   const struct gt_queue_pos *after, bool backward, int n, struct gt_queue_row *rows,
		   int *count)
{
	if (st->pg)
		return gt_pg_queue_fetch(st, f, sort, desc, after, backward, n, rows, count);
	*count = 0;
	if (sort < 0 || sort >= GT_QS_COUNT || n <= 0)
		return gt_fail(st, GT_ERR_INVALID, "bad queue request");
	bool filtered = f->status_mask || f->region_mask || f->outcome_mask || f->direction_mask || f->mine;
	struct gt_queue_cache *c = filtered ? cache_for(st, f) : NULL;
	enum source src = !filtered ? SRC_WALK : c ? c->src : pick_source(st, f);
	/* Read and sorted, the order's index must stay out (the unary +). */
	char col[1024];
	snprintf(col, sizeof col, "%s%s", src == SRC_WALK ? "" : "+", sort_expr[sort]);
	struct request rq = {
		.f = f,
		.src = src,
		.shape = shape_of(sort),
		.col = col,
		.shown = sort == GT_QS_ID ? "''" : sort_expr[sort],
		.lead = filter_col_of(sort),
		.desc = desc != backward,
		.pos = after,
		.keys = sort == GT_QS_NAME,
	};
	int rc = 1;
	if (c && src != SRC_WALK && use_sets) {
		rc = c->sort == sort ? GT_OK : load_set(st, c, sort, &rq);
		if (!rc) /* 1: not kept, or the place is not in it */
			rc = c->sort == sort ? page_of_set(st, c, &rq, n, rows, count) : 1;
	}
	if (rc == 1)
		rc = fetch_rows(st, &rq, rows, n, count);
	if (!rc && backward)
		reverse(rows, *count);
	return rc;
}

/* The request of gt_queue_fetch, for counting: the same source, order and
 * filter terms. */
static void count_request(gt_store *st, const struct gt_queue_filter *f, int sort, bool desc, enum source *src,
			  char *col, size_t size, struct request *rq)
{
	bool filtered = f->status_mask || f->region_mask || f->outcome_mask || f->direction_mask || f->mine;
	struct gt_queue_cache *c = filtered ? cache_for(st, f) : NULL;
	*src = !filtered ? SRC_WALK : c ? c->src : pick_source(st, f);
	snprintf(col, size, "%s%s", *src == SRC_WALK ? "" : "+", sort_expr[sort]);
	*rq = (struct request){
		.f = f, .src = *src, .shape = shape_of(sort), .col = col, .shown = "''", .lead = filter_col_of(sort),
		.desc = desc, .keys = sort == GT_QS_NAME,
	};
}

static int count_sql(gt_store *st, const char *sql, const struct binds *b, int64_t *n)
{
	log_plan(st, sql, b);
	sqlite3_stmt *s = gt_prepare(st, sql);
	if (!s)
		return GT_ERR;
	bind_all(s, b);
	int r = sqlite3_step(s);
	*n = r == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	return r == SQLITE_ROW ? GT_OK : gt_fail_sql(st, _("reading the queue"));
}

int gt_queue_count(gt_store *st, const struct gt_queue_filter *f, int sort, bool desc,
		   const struct gt_queue_pos *at, int64_t *total, int64_t *before)
{
	*total = 0;
	*before = -1;
	if (sort < 0 || sort >= GT_QS_COUNT)
		return gt_fail(st, GT_ERR_INVALID, "bad queue request");
	if (st->pg)
		return gt_pg_queue_count(st, f, sort, desc, at, total, before);
	/* The total: every case of the filter, counted in the indexes alone
	 * where they can (kept while nothing changes). */
	struct gt_queue_cache *c = cache_for(st, f);
	if (c && c->total >= 0) {
		*total = c->total;
	} else {
		char sql[8192];
		struct gt_sb sb = gt_sb_make(sql, sizeof sql);
		struct binds b = { .n = 0 };
		/* Without "mine", the sum of the counters kept on write
		 * (case_counts, store/migrate/010.sql: a few hundred rows of
		 * region, direction, level, outcome, route, award and status),
		 * not a count of a million entries of cases_filter, which took
		 * the CPU for 0.1 s or more after every filter and held up a key
		 * pressed meanwhile. "Mine": cases_filter, the keys of every
		 * combination of the marked codes. No status marked: the live
		 * ones. */
		struct gt_queue_filter part = *f;
		part.status_mask = f->status_mask ? f->status_mask : GT_ST_LIVE_MASK;
		if (f->mine) {
			gt_sb_add(&sb, "SELECT count(*) FROM cases c INDEXED BY cases_filter WHERE 1");
			add_filter(st, &part, SRC_FILTER, -1, &sb, &b);
		} else {
			struct fcol cols[F_COUNT];
			filter_cols(&part, cols);
			gt_sb_add(&sb, "SELECT coalesce(sum(c.n), 0) FROM case_counts c WHERE 1");
			for (int k = 0; k < F_COUNT; k++)
				if (cols[k].mask)
					add_in(&cols[k], cols[k].mask, true, &sb, &b);
		}
		int rc = sb.truncated ? gt_fail(st, GT_ERR, "queue statement too long") : count_sql(st, sql, &b, total);
		if (rc)
			return rc;
		if (c)
			c->total = *total;
	}
	if (!at)
		return GT_OK;
	/* The rank: the rows after `at` read backward. */
	enum source src;
	char col[1024], sql[8192];
	struct request rq;
	count_request(st, f, sort, !desc, &src, col, sizeof col, &rq);
	struct gt_queue_pos pos = *at;
	pos.inclusive = false;
	rq.pos = &pos;
	/* Only what the filter and the order need: not the applicant, whose
	 * row would be read for every case counted. */
	char from[512];
	gt_copy(from, sizeof from, from_of(&rq));
	static const char applicant[] = " JOIN applicants a ON a.id = c.applicant_id";
	char *cut = strstr(from, applicant);
	if (cut)
		memmove(cut, cut + sizeof applicant - 1, strlen(cut + sizeof applicant - 1) + 1);
	struct gt_sb sb = gt_sb_make(sql, sizeof sql);
	struct binds b = { .n = 0 };
	gt_sb_addf(&sb, "SELECT count(*) FROM %s WHERE 1", from);
	add_filter(st, f, src, rq.lead, &sb, &b);
	add_keyset(rq.shape, rq.col, rq.desc, rq.pos, PART_ALL, &sb, &b);
	if (sb.truncated)
		return gt_fail(st, GT_ERR, "queue statement too long");
	return count_sql(st, sql, &b, before);
}

int gt_queue_id_numbers(gt_store *st, struct gt_queue_row *rows, int n)
{
	if (st->pg) /* not there yet: the column stays empty */
		return GT_OK;
	sqlite3_stmt *s = gt_prepare(st, "SELECT id_number FROM applicants WHERE id = ?");
	if (!s)
		return GT_ERR;
	int rc = GT_OK;
	for (int i = 0; i < n && !rc; i++) {
		if (rows[i].id_number[0])
			continue;
		sqlite3_bind_int64(s, 1, rows[i].applicant_id);
		int r = sqlite3_step(s);
		if (r == SQLITE_ROW)
			gt_copy(rows[i].id_number, sizeof rows[i].id_number, gt_col_text(s, 0));
		else if (r != SQLITE_DONE)
			rc = gt_fail_sql(st, _("reading the queue"));
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	return rc;
}

/* Whether term matches the search q (q is its prefix) and comes after
 * (or, backward, before) the place (key, id) in the terms' order. */
static bool term_after(const char *term, const char *q, int64_t case_id, const struct gt_queue_pos *pos,
		       bool backward)
{
	if (strncmp(term, q, strlen(q)) != 0)
		return false;
	if (!pos)
		return true;
	int c = strcmp(term, pos->key);
	if (c == 0)
		c = case_id < pos->id ? -1 : case_id > pos->id;
	return backward ? c < 0 : c > 0;
}

/* Of a hit on case id, found by the search q past pos (the previous
 * match's place, or NULL): the term it was found by, the first of its
 * matching terms in the search's direction, and whether it has a matching
 * term before that one (then the case was, or will be, had at that one and
 * is skipped here, so that each case comes once however many of its terms
 * match). Made from the case (gt_keys_case_terms), which has no index of
 * its terms; read from case_search_terms only for keys another ICU made. */
static int hit_term(gt_store *st, int64_t id, const char *q, const struct gt_queue_pos *pos, bool backward,
		    char term[GT_KEY_MAX], bool *earlier)
{
	const char(*t)[GT_TERM_BYTES] = NULL;
	int n = -1;
	int rc = gt_keys_case_terms(st, id, &t, &n);
	if (rc)
		return rc;
	if (n >= 0) {
		const char *hit = NULL;
		for (int i = 0; i < n; i++)
			if (term_after(t[i], q, id, pos, backward) &&
			    (!hit || (backward ? strcmp(t[i], hit) > 0 : strcmp(t[i], hit) < 0)))
				hit = t[i];
		gt_copy(term, GT_KEY_MAX, hit ? hit : "");
		*earlier = false;
		for (int i = 0; i < n && hit; i++)
			if (strncmp(t[i], q, strlen(q)) == 0 && strcmp(t[i], term) < 0)
				*earlier = true;
		return GT_OK;
	}
	char sql[512];
	snprintf(sql, sizeof sql,
		 "SELECT term, EXISTS (SELECT 1 FROM case_search_terms e WHERE e.case_id = ?1 AND e.term >= ?2 AND e.term < "
		 "?2 || char(1114111) AND e.term < t.term) FROM case_search_terms t WHERE case_id = ?1 AND term >= ?2 "
		 "AND term < ?2 || char(1114111)%s ORDER BY term %s LIMIT 1",
		 pos ? (backward ? " AND (term, case_id) < (?3, ?4)" : " AND (term, case_id) > (?3, ?4)") : "",
		 backward ? "DESC" : "ASC");
	sqlite3_stmt *s = gt_prepare(st, sql);
	if (!s)
		return GT_ERR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, q, -1, SQLITE_STATIC);
	if (pos) {
		sqlite3_bind_text(s, 3, pos->key, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(s, 4, pos->id);
	}
	int r = sqlite3_step(s);
	gt_copy(term, GT_KEY_MAX, r == SQLITE_ROW ? gt_col_text(s, 0) : "");
	*earlier = r == SQLITE_ROW && sqlite3_column_int(s, 1);
	sqlite3_finalize(s);
	return r == SQLITE_ROW || r == SQLITE_DONE ? GT_OK : gt_fail_sql(st, _("reading the queue"));
}

/* The first case after pos (NULL: from the start; backward: before it), in
 * the order of (identity number in lower case, case number), whose identity
 * number starts with q and which the filter keeps: *id (0: none) and its
 * term. Only a q of digits, with an x 18th, can start one. The range of the
 * applicants' index is bounded by the digits pos's key starts with: an
 * identity number is digits and a final X, which compare with the key's
 * first character that is not a digit as its x does. */
static int id_number_next(gt_store *st, const struct gt_queue_filter *f, const char *q,
			  const struct gt_queue_pos *pos, bool backward, int64_t *id, char term[GT_KEY_MAX])
{
	*id = 0;
	size_t len = strlen(q);
	if (len > 18 || strspn(q, "0123456789") < (len == 18 ? 17 : len) || (len == 18 && q[17] != 'x' &&
									 (q[17] < '0' || q[17] > '9')))
		return GT_OK;
	char lo[19], kd[GT_KEY_MAX];
	gt_copy(lo, sizeof lo, q);
	if (len == 18 && lo[17] == 'x')
		lo[17] = 'X';
	char sql[4096];
	struct gt_sb sb = gt_sb_make(sql, sizeof sql);
	struct binds b = { .n = 0 };
	gt_sb_add(&sb, "SELECT c.id, lower(a.id_number) FROM applicants a CROSS JOIN cases c ON c.applicant_id = a.id "
		       "WHERE a.id_number >= ? AND a.id_number < ? || char(1114111)");
	add_text(&b, lo);
	add_text(&b, lo);
	if (pos) {
		size_t d = strspn(pos->key, "0123456789");
		snprintf(kd, sizeof kd, "%.*s", (int)d, pos->key);
		gt_sb_add(&sb, backward ? " AND a.id_number < ? || char(1114111) AND (lower(a.id_number), c.id) < (?, ?)"
					: " AND a.id_number >= ? AND (lower(a.id_number), c.id) > (?, ?)");
		add_text(&b, kd);
		add_text(&b, pos->key);
		add_num(&b, pos->id);
	}
	add_filter(st, f, SRC_WALK, -1, &sb, &b);
	gt_sb_addf(&sb, " ORDER BY a.id_number %s, c.id %s LIMIT 1", backward ? "DESC" : "ASC",
		   backward ? "DESC" : "ASC");
	sqlite3_stmt *s = prepare_read(st, &sb, &b);
	if (!s)
		return GT_ERR;
	int r = sqlite3_step(s);
	if (r == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		gt_copy(term, GT_KEY_MAX, gt_col_text(s, 1));
	}
	sqlite3_finalize(s);
	return r == SQLITE_ROW || r == SQLITE_DONE ? GT_OK : gt_fail_sql(st, _("reading the queue"));
}

/* Case id's row of the queue, its sort key shown (keys: with case_keys). */
static int row_of(gt_store *st, int64_t id, const char *shown, bool keys, struct gt_queue_row *row, int *n)
{
	char sql[4096];
	struct gt_sb sb = gt_sb_make(sql, sizeof sql);
	gt_sb_addf(&sb, SELECT_COLS " AND c.id = ?", "''", shown,
		   keys ? "cases c JOIN applicants a ON a.id = c.applicant_id JOIN case_keys k ON k.case_id = c.id"
			: "cases c JOIN applicants a ON a.id = c.applicant_id");
	struct binds b = { .n = 0 };
	add_num(&b, id);
	return sb.truncated ? gt_fail(st, GT_ERR, "queue statement too long") : run(st, sql, &b, row, 1, n);
}

int gt_queue_search(gt_store *st, const struct gt_queue_filter *f, int sort, const char *q,
		    const struct gt_queue_pos *from, bool backward, struct gt_queue_row *hit,
		    struct gt_queue_pos *hit_pos, bool *found)
{
	if (st->pg)
		return gt_pg_queue_search(st, f, sort, q, from, backward, hit, hit_pos, found);
	*found = false;
	if (!q || !*q)
		return GT_OK;
	/* The terms are lower case (pinyin, case_ref, the identity number's x). */
	char key[GT_TEXT_MAX_BYTES + 1];
	gt_copy(key, sizeof key, q);
	for (char *p = key; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	char shown[1024];
	snprintf(shown, sizeof shown, "%s", sort == GT_QS_ID ? "''" : sort_expr[sort]);
	struct gt_queue_pos at;
	if (from)
		at = *from;
	/* Matches in the order of the terms' index, so that the next match is an
	 * index step away however many match. */
	for (int tries = 0; tries < 10000; tries++) {
		struct request rq = {
			.f = f,
			.src = SRC_WALK,
			.shape = BY_TERM,
			.col = "t.term",
			.shown = shown,
			.lead = -1,
			.desc = backward,
			.pos = from || tries ? &at : NULL,
			.prefix = key,
			.keys = sort == GT_QS_NAME,
			.terms = true,
		};
		/* The next case by case_terms (its row carries the term), and
		 * by the identity numbers: the one that comes first. */
		rq.shown = "t.term";
		int n = 0;
		int rc = fetch_rows(st, &rq, hit, 1, &n);
		int64_t by_id = 0;
		char id_term[GT_KEY_MAX];
		if (!rc)
			rc = id_number_next(st, f, key, rq.pos, backward, &by_id, id_term);
		if (rc)
			return rc;
		if (by_id) {
			int c = n ? strcmp(id_term, hit->sortkey) : 0;
			if (c == 0 && n)
				c = by_id < hit->id ? -1 : by_id > hit->id;
			if (!n || (backward ? c > 0 : c < 0)) {
				hit->id = by_id;
				n = 1;
			}
		}
		if (n == 0)
			return GT_OK;
		int64_t found_id = hit->id;
		if ((rc = row_of(st, found_id, shown, sort == GT_QS_NAME, hit, &n)))
			return rc;
		if (n == 0) /* gone meanwhile: another connection wrote between the two reads */
			return GT_OK;
		/* The term the row was found by (its sortkey is the queue's key). */
		bool earlier = false;
		if ((rc = hit_term(st, hit->id, key, rq.pos, backward, at.key, &earlier)))
			return rc;
		at.id = hit->id;
		at.inclusive = false;
		if (!earlier) {
			*found = true;
			*hit_pos = at;
			return GT_OK;
		}
	}
	return GT_OK;
}

void gt_store_cache_kib(gt_store *st, int kib)
{
	if (st->pg)
		return;
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", kib > 0 ? kib : 2048);
	sqlite3_exec(st->db, sql, NULL, NULL, NULL);
}

int gt_store_is_empty(gt_store *st, bool *empty)
{
	if (st->pg)
		return gt_pg_is_empty(st, empty);
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
