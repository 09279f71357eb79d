/* Reading and writing one case: its row, its honours, competitions and
 * evidence, its evaluation and its audit row. Shared by save and import. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gt_i18n.h"
#include "gt_rules.h"
#include "gt_time.h"
#include "gt_store_int.h"

static const char *const case_columns =
	"case_ref, region, direction, series, occupation_code, skill_level, skill_date, title_level, "
	"title_date, related, work_start, appraisals_passed, frontline, employed_in_region, "
	"self_employed, region_work_start, pilot_enterprise, diploma_related, tech_school_class, "
	"integrity_flag, public_institution_worker, requested_level, application_date, evidence";

/* ---- where a row's values go: bound to a statement, or kept in a batch */

/* A table's rows gathered by a bulk import: cell k of a row is what ?k of
 * the table's INSERT would be bound to; the texts are copied (the case, its
 * evaluation and the reader's slot they come from are reused for the next
 * row). Written by one INSERT ... SELECT from the table-valued function
 * gt_rows over them (sqlite3_bind_pointer, type "gt_rows"), at most
 * GT_BATCH_CASES cases at a time (gt_store_int.h). */
enum { ROWS_COLS = 35 };
struct gt_cell {
	int type;     /* SQLITE_NULL, SQLITE_INTEGER, SQLITE_TEXT or SQLITE_BLOB */
	int n;        /* a text's bytes */
	int64_t v;    /* the integer, or where the text is in text */
};
struct gt_rows {
	int ncols;
	size_t n, cap;
	struct gt_cell *cells; /* n rows of ncols */
	char *text;
	size_t used, text_cap;
	bool oom;
	sqlite3_stmt *ins;
};
struct gt_row_batch {
	/* Written in this order (batch_tables). */
	struct gt_rows applicants, cases, evals, honours, comps, due;
	int64_t next_case; /* 0: read from the table when first needed */
	sqlite3_stmt *max_case; /* reads it (a batch at a time: kept) */
};
enum { BATCH_TABLES = 6 };

/* The batch's tables in the order they are written. */
static void batch_tables(struct gt_row_batch *bt, struct gt_rows *all[BATCH_TABLES])
{
	all[0] = &bt->applicants;
	all[1] = &bt->cases;
	all[2] = &bt->evals;
	all[3] = &bt->honours;
	all[4] = &bt->comps;
	all[5] = &bt->due;
}

struct binder {
	sqlite3_stmt *s;        /* or */
	struct gt_rows *rows;   /* and cells, the row being added */
	struct gt_cell *cells;
};

static void bd_int(const struct binder *b, int i, int64_t v)
{
	if (b->s) {
		sqlite3_bind_int64(b->s, i, v);
		return;
	}
	b->cells[i].type = SQLITE_INTEGER;
	b->cells[i].v = v;
}

static void bd_null(const struct binder *b, int i)
{
	if (b->s)
		sqlite3_bind_null(b->s, i);
	else
		b->cells[i].type = SQLITE_NULL;
}

/* Copies len bytes of v into the rows' text as cell i of b's row, of type
 * type (SQLITE_TEXT or SQLITE_BLOB). */
static void cell_bytes(const struct binder *b, int i, const void *v, size_t len, int type)
{
	struct gt_rows *r = b->rows;
	if (r->used + len > r->text_cap) {
		size_t cap = r->text_cap ? r->text_cap : 1 << 16;
		while (cap < r->used + len)
			cap *= 2;
		char *p = realloc(r->text, cap);
		if (!p) {
			r->oom = true;
			b->cells[i].type = SQLITE_NULL;
			return;
		}
		r->text = p;
		r->text_cap = cap;
	}
	if (len)
		memcpy(r->text + r->used, v, len);
	b->cells[i].type = type;
	b->cells[i].n = (int)len;
	b->cells[i].v = (int64_t)r->used;
	r->used += len;
}

/* v NULL binds NULL (as sqlite3_bind_text does); n < 0: up to its NUL.
 * copy: the statement makes its own copy (a batch always does). */
static void bd_text(const struct binder *b, int i, const char *v, int n, bool copy)
{
	if (b->s) {
		sqlite3_bind_text(b->s, i, v, n, copy ? SQLITE_TRANSIENT : SQLITE_STATIC);
		return;
	}
	if (!v) {
		b->cells[i].type = SQLITE_NULL;
		return;
	}
	cell_bytes(b, i, v, n < 0 ? strlen(v) : (size_t)n, SQLITE_TEXT);
}

static void bd_time(const struct binder *b, int i, const char *v)
{
	time_t t;
	if (v && gt_time_parse(v, &t) == 0)
		bd_int(b, i, (int64_t)t);
	else
		bd_text(b, i, v ? v : "", -1, true);
}

static void batch_free(struct gt_row_batch *bt)
{
	if (!bt)
		return;
	struct gt_rows *all[BATCH_TABLES];
	batch_tables(bt, all);
	sqlite3_finalize(bt->max_case);
	for (size_t i = 0; i < BATCH_TABLES; i++) {
		sqlite3_finalize(all[i]->ins);
		free(all[i]->cells);
		free(all[i]->text);
	}
	free(bt);
}

/* A new row of r, all NULL, for b; -1 when out of memory. */
static int rows_add(struct gt_rows *r, struct binder *b)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 256;
		struct gt_cell *p = realloc(r->cells, cap * (size_t)r->ncols * sizeof *p);
		if (!p)
			return -1;
		r->cells = p;
		r->cap = cap;
	}
	struct gt_cell *c = r->cells + r->n++ * (size_t)r->ncols;
	for (int i = 0; i < r->ncols; i++)
		c[i].type = SQLITE_NULL;
	*b = (struct binder){ .rows = r, .cells = c };
	return 0;
}

/* A statement of the cache *at (prepared there when first needed, and
 * reset for the next use by done_with), or a new one when at is NULL. */
static sqlite3_stmt *stmt_for(gt_store *st, sqlite3_stmt **at, const char *sql)
{
	if (!at)
		return gt_prepare(st, sql);
	if (!*at)
		*at = gt_prepare(st, sql);
	return *at;
}

static void done_with(sqlite3_stmt **at, sqlite3_stmt *s)
{
	if (at) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
	} else {
		sqlite3_finalize(s);
	}
}

/* The table's next rowid (nothing else writes it meanwhile: we hold the
 * write lock) into *next when it is 0. */
static int next_rowid(gt_store *st, sqlite3_stmt **at, const char *sql, const char *what, int64_t *next)
{
	if (*next)
		return GT_OK;
	sqlite3_stmt *s = stmt_for(st, at, sql);
	if (!s)
		return GT_ERR;
	int step = sqlite3_step(s);
	if (step == SQLITE_ROW)
		*next = sqlite3_column_int64(s, 0);
	done_with(at, s);
	return step == SQLITE_ROW ? GT_OK : gt_fail_sql(st, _(what));
}

/* A new row of r, all NULL, for b; the cases' next number read first when
 * a batch begins. */
static int batch_row(gt_store *st, struct gt_row_batch *bt, struct gt_rows *r, struct binder *b)
{
	int rc = next_rowid(st, &bt->max_case, "SELECT coalesce(max(id), 0) + 1 FROM cases", N_("saving the case"),
			    &bt->next_case);
	if (rc)
		return rc;
	return rows_add(r, b) == 0 ? GT_OK : gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
}

/* The number of the next new applicant (cs->next_applicant), when a batch
 * or the bulk load's second connection numbers them: the table's next
 * rowid when first needed, then counted (the applicants written by their
 * own statement keep it: gt_write_case). While the second connection
 * takes the applicants the store's table is empty and every applicant of
 * the load is numbered here. */
static int applicant_next(gt_store *st, struct gt_case_stmts *cs, int64_t *aid)
{
	int rc = next_rowid(st, NULL, "SELECT coalesce(max(id), 0) + 1 FROM applicants", N_("saving the applicant"),
			    &cs->next_applicant);
	*aid = cs->next_applicant;
	return rc;
}

/* The table-valued function gt_rows(batch): the columns c0 ... c34 of the
 * batch's rows, in the order they were added. */
static bool rows_done(const void *p, size_t at)
{
	return at >= ((const struct gt_rows *)p)->n;
}

static void rows_column(const void *p, size_t at, int col, sqlite3_context *ctx)
{
	const struct gt_rows *r = p;
	if (col >= r->ncols)
		return; /* NULL */
	const struct gt_cell *v = &r->cells[at * (size_t)r->ncols + (size_t)col];
	if (v->type == SQLITE_INTEGER)
		sqlite3_result_int64(ctx, v->v);
	else if (v->type == SQLITE_TEXT)
		sqlite3_result_text(ctx, r->text + v->v, v->n, SQLITE_STATIC); /* the batch outlives the statement */
	else if (v->type == SQLITE_BLOB) /* never NULL: an empty one when nothing was copied yet */
		sqlite3_result_blob(ctx, v->n ? r->text + v->v : "", v->n, SQLITE_STATIC);
}

static const struct gt_ptr_table rows_table = {
	.name = "gt_rows",
	.decl = "CREATE TABLE x (c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, "
		"c18, c19, c20, c21, c22, c23, c24, c25, c26, c27, c28, c29, c30, c31, c32, c33, c34, rows HIDDEN)",
	.hidden = ROWS_COLS,
	.rows = GT_BATCH_CASES,
	.done = rows_done,
	.column = rows_column,
};

/* ---- the same rows for another module (gt_keys.c: those a bulk load's
 * second connection writes; gt_store_int.h) */

struct gt_rows *gt_rows_new(int ncols)
{
	struct gt_rows *r = calloc(1, sizeof *r);
	if (r)
		r->ncols = ncols;
	return r;
}

void gt_rows_free(struct gt_rows *r)
{
	if (!r)
		return;
	free(r->cells);
	free(r->text);
	free(r);
}

size_t gt_rows_count(const struct gt_rows *r)
{
	return r->n;
}

bool gt_rows_whole(const struct gt_rows *r)
{
	return !r->oom;
}

void gt_rows_empty(struct gt_rows *r)
{
	r->n = r->used = 0;
	r->oom = false;
}

static struct binder rows_last(struct gt_rows *r)
{
	return (struct binder){ .rows = r, .cells = r->cells + (r->n - 1) * (size_t)r->ncols };
}

int gt_rows_add(struct gt_rows *r)
{
	struct binder b;
	return rows_add(r, &b);
}

void gt_rows_int(struct gt_rows *r, int col, int64_t v)
{
	struct binder b = rows_last(r);
	bd_int(&b, col, v);
}

void gt_rows_text(struct gt_rows *r, int col, const char *v, int n)
{
	struct binder b = rows_last(r);
	bd_text(&b, col, v, n, true);
}

void gt_rows_blob(struct gt_rows *r, int col, const void *v, int n)
{
	struct binder b = rows_last(r);
	cell_bytes(&b, col, v, (size_t)n, SQLITE_BLOB);
}

int64_t gt_rows_get_int(const struct gt_rows *r, size_t at, int col)
{
	return r->cells[at * (size_t)r->ncols + (size_t)col].v;
}

const char *gt_rows_get_text(const struct gt_rows *r, size_t at, int col, int *n)
{
	const struct gt_cell *c = &r->cells[at * (size_t)r->ncols + (size_t)col];
	if (c->type != SQLITE_TEXT)
		return NULL;
	*n = c->n;
	return r->text + c->v;
}

int gt_rows_module(sqlite3 *db)
{
	return gt_ptr_table_module(db, &rows_table);
}

/* "?k" as "ck": an INSERT's values as a SELECT from gt_rows. */
static void values_as_columns(const char *values, char *out, size_t size)
{
	size_t n = 0;
	for (; *values && n + 1 < size; values++)
		out[n++] = *values == '?' ? 'c' : *values;
	out[n] = '\0';
}

/* The values of a new case's row (the parameters bind_case and
 * gt_write_case bind), and of its evaluation's; a batch selects the same
 * from its columns (?k is ck). */
static const char case_values[] = "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
				  "?18, ?19, ?20, ?21, ?22, ?23, ?24, ?34, ?25, 1, ?26, ?27, ?26, ?27, ?28, ?29, ?30";
static const char case_insert_columns[] = "status, version, created_at, created_by, updated_at, updated_by, outcome, "
					  "target, eval_id";
static const char eval_columns[] = "id, case_id, case_version, ruleset, as_of, evaluated_at, evaluated_by, outcome, "
				   "target, route, basis, unmet, missing_evidence, theory_exempt, rule_id";
static const char eval_values[] = "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15";

void gt_eval_rows_sql(char *out, size_t size)
{
	char cols[256];
	values_as_columns(eval_values, cols, sizeof cols);
	snprintf(out, size, "INSERT OR FAIL INTO evaluations (%s) SELECT %s FROM gt_rows(?1)", eval_columns, cols);
}

int gt_case_stmts_prepare(gt_store *st, struct gt_case_stmts *cs)
{
	memset(cs, 0, sizeof *cs);
	char ins[1024], upd[1024], ins_eval[512];
	snprintf(ins, sizeof ins, "INSERT INTO cases (applicant_id, %s, %s) VALUES (%s)", case_columns,
		 case_insert_columns, case_values);
	snprintf(ins_eval, sizeof ins_eval, "INSERT INTO evaluations (%s) VALUES (%s)", eval_columns, eval_values);
	snprintf(upd, sizeof upd,
		 "UPDATE cases SET applicant_id = ?1, case_ref = ?2, region = ?3, direction = ?4, series = ?5, "
		 "occupation_code = ?6, skill_level = ?7, skill_date = ?8, title_level = ?9, title_date = ?10, "
		 "related = ?11, work_start = ?12, appraisals_passed = ?13, frontline = ?14, "
		 "employed_in_region = ?15, self_employed = ?16, region_work_start = ?17, "
		 "pilot_enterprise = ?18, diploma_related = ?19, tech_school_class = ?20, "
		 "integrity_flag = ?21, public_institution_worker = ?22, requested_level = ?23, "
		 "application_date = ?24, evidence = ?34, status = ?25, version = version + ?31, updated_at = ?26, "
		 "updated_by = ?27, outcome = ?28, target = ?29, eval_id = ?30 "
		 "WHERE id = ?32 AND version = ?33");
	if (!(cs->find_applicant = gt_prepare(st, "SELECT id, name FROM applicants WHERE id_number = ?")) ||
	    !(cs->insert_applicant = gt_prepare(st, "INSERT INTO applicants (id_number, name, birth_date) "
						     "VALUES (?, ?, ?)")) ||
	    !(cs->update_applicant = gt_prepare(st, "UPDATE applicants SET name = ? WHERE id = ?")) ||
	    !(cs->find_case = gt_prepare(st, "SELECT id FROM cases WHERE applicant_id = ? AND region = ? "
					      "AND direction = ?")) ||
	    !(cs->insert_case = gt_prepare(st, ins)) ||
	    !(cs->update_case = gt_prepare(st, upd)) ||
	    !(cs->del_honours = gt_prepare(st, "DELETE FROM case_honours WHERE case_id = ?")) ||
	    !(cs->ins_honour = gt_prepare(st, "INSERT INTO case_honours (case_id, honour) VALUES (?, ?)")) ||
	    !(cs->del_comps = gt_prepare(st, "DELETE FROM case_competitions WHERE case_id = ?")) ||
	    !(cs->ins_comp = gt_prepare(st, "INSERT INTO case_competitions (case_id, seq, competition, "
					     "result, role, team_size) VALUES (?, ?, ?, ?, ?, ?)")) ||
	    !(cs->upsert_evidence = gt_prepare(st,
		"INSERT INTO evidence (case_id, code, received, verified, received_by, received_at, "
		"verified_by, verified_at, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
		"ON CONFLICT (case_id, code) DO UPDATE SET received = ?3, verified = ?4, received_by = ?5, "
		"received_at = ?6, verified_by = ?7, verified_at = ?8, note = ?9")) ||
	    !(cs->insert_eval = gt_prepare(st, ins_eval)) ||
	    !(cs->find_ruleset = gt_prepare(st, "SELECT id FROM rulesets WHERE name = ?")) ||
	    !(cs->insert_ruleset = gt_prepare(st, "INSERT INTO rulesets (name) VALUES (?)")) ||
	    !(cs->find_rule = gt_prepare(st, "SELECT id FROM rule_names WHERE name = ?")) ||
	    !(cs->insert_rule = gt_prepare(st, "INSERT INTO rule_names (name) VALUES (?)")) ||
	    !(cs->insert_audit = gt_prepare(st,
		"INSERT INTO audit (at, actor, action, entity, entity_id, before, after) "
		"VALUES (?, ?, ?, 'case', ?, ?, ?)"))) {
		gt_case_stmts_finalize(cs);
		return GT_ERR;
	}
	cs->work = malloc(sizeof *cs->work);
	cs->before = malloc(GT_AUDIT_JSON_MAX);
	cs->after = malloc(GT_AUDIT_JSON_MAX);
	if (!cs->work || !cs->before || !cs->after) {
		gt_case_stmts_finalize(cs);
		return gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
	}
	sqlite3_stmt *s = gt_prepare(st, "SELECT coalesce(max(id), 0) + 1 FROM evaluations");
	if (!s) {
		gt_case_stmts_finalize(cs);
		return GT_ERR;
	}
	cs->next_eval = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 1;
	sqlite3_finalize(s);
	return GT_OK;
}

void gt_case_stmts_finalize(struct gt_case_stmts *cs)
{
	sqlite3_stmt **all[] = {
		&cs->find_applicant, &cs->insert_applicant, &cs->update_applicant, &cs->find_case,
		&cs->insert_case, &cs->update_case, &cs->del_honours, &cs->ins_honour, &cs->del_comps,
		&cs->ins_comp, &cs->upsert_evidence, &cs->insert_eval,
		&cs->find_ruleset, &cs->insert_ruleset, &cs->find_rule, &cs->insert_rule, &cs->insert_audit,
		&cs->counted, &cs->load_case, &cs->load_evidence, &cs->old_outcome, &cs->other_cases,
	};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		sqlite3_finalize(*all[i]);
		*all[i] = NULL;
	}
	batch_free(cs->batch);
	cs->batch = NULL;
	free(cs->work);
	free(cs->before);
	free(cs->after);
	cs->work = NULL;
	cs->before = cs->after = NULL;
	cs->nrulesets = 0;
	cs->nrules = 0;
}

int gt_case_batch_start(gt_store *st, struct gt_case_stmts *cs)
{
	struct gt_row_batch *bt = calloc(1, sizeof *bt);
	if (!bt)
		return gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
	bt->applicants.ncols = 4;
	bt->cases.ncols = ROWS_COLS;
	bt->evals.ncols = 16;
	bt->honours.ncols = 3; /* cell k is ?k of the row's statement, as for evals */
	bt->comps.ncols = 7;
	bt->due.ncols = 3;
	char cols[256], sql[1536];
	int rc = gt_ptr_table_register(st, &rows_table); /* for each import: see there */
	/* The applicants a row at a time (rows_insert_each): a CHECK that
	 * calls a function (length(), schema.sql) makes SQLite keep a
	 * statement journal for an INSERT of several rows, a copy of each page
	 * the statement changes that was there before it. The identity
	 * numbers' index takes a batch's numbers in random order: at 1M cases
	 * each batch copied most of that index (7.9 s of the import, growing
	 * with the square of the number of cases). A statement of one row
	 * needs no statement journal. Its rowid is SQLite's own (?1 unused),
	 * which spares a seek of the table (rows_insert_each checks it).
	 *
	 * The other tables' batches are one statement each, OR FAIL: a
	 * constraint that fails aborts (ABORT, the default, undoes the
	 * statement's rows, for which SQLite keeps a statement journal of an
	 * INSERT ... SELECT; their CHECKs call no function, which would keep
	 * one all the same), and any failure here ends the import, whose
	 * transaction is rolled back whole. What the schema checks is checked
	 * as before. */
	if (!rc && !(bt->applicants.ins = gt_prepare(st, "INSERT INTO applicants (id_number, name, birth_date) "
							 "VALUES (?2, ?3, ?4)")))
		rc = GT_ERR;
	values_as_columns(case_values, cols, sizeof cols);
	snprintf(sql, sizeof sql, "INSERT OR FAIL INTO cases (id, applicant_id, %s, %s) SELECT c0, %s FROM gt_rows(?1)",
		 case_columns, case_insert_columns, cols);
	if (!rc && !(bt->cases.ins = gt_prepare(st, sql)))
		rc = GT_ERR;
	gt_eval_rows_sql(sql, sizeof sql);
	if (!rc && !(bt->evals.ins = gt_prepare(st, sql)))
		rc = GT_ERR;
	/* A new case's honours, competitions and due date: its own (the case
	 * is new: nothing to replace). */
	if (!rc && (!(bt->honours.ins = gt_prepare(st, "INSERT OR FAIL INTO case_honours (case_id, honour) "
						  "SELECT c1, c2 FROM gt_rows(?1)")) ||
		    !(bt->comps.ins = gt_prepare(st, "INSERT OR FAIL INTO case_competitions (case_id, seq, "
						"competition, result, role, team_size) "
						"SELECT c1, c2, c3, c4, c5, c6 FROM gt_rows(?1)")) ||
		    !(bt->due.ins = gt_prepare(st, "INSERT OR FAIL INTO case_due (case_id, due_on) "
					      "SELECT c1, c2 FROM gt_rows(?1)"))))
		rc = GT_ERR;
	if (rc) {
		batch_free(bt);
		return rc;
	}
	cs->batch = bt;
	return GT_OK;
}

/* Each row of r by its statement of one row: cell k bound to ?k+1. Cell
 * 0 is the rowid the row must get, which the statement leaves to SQLite
 * (the table's largest plus one: the batch's numbers were counted from
 * there, and only the batch writes the table meanwhile); checked. */
static int rows_insert_each(gt_store *st, const struct gt_rows *r)
{
	for (size_t at = 0; at < r->n; at++) {
		const struct gt_cell *c = &r->cells[at * (size_t)r->ncols];
		for (int i = 0; i < r->ncols; i++) {
			if (c[i].type == SQLITE_INTEGER)
				sqlite3_bind_int64(r->ins, i + 1, c[i].v);
			else if (c[i].type == SQLITE_TEXT)
				sqlite3_bind_text(r->ins, i + 1, r->text + c[i].v, c[i].n, SQLITE_STATIC);
			else
				sqlite3_bind_null(r->ins, i + 1);
		}
		int step = sqlite3_step(r->ins);
		sqlite3_reset(r->ins);
		if (step != SQLITE_DONE)
			return gt_fail_sql(st, _("saving the applicant"));
		if (sqlite3_last_insert_rowid(st->db) != c[0].v)
			return gt_fail(st, GT_ERR, "%s", _("saving the applicant"));
	}
	return GT_OK;
}

int gt_case_batch_flush(gt_store *st, struct gt_case_stmts *cs)
{
	struct gt_row_batch *bt = cs->batch;
	if (!bt)
		return GT_OK;
	struct gt_rows *all[BATCH_TABLES];
	batch_tables(bt, all);
	/* What each table's statement was doing, in batch_tables' order (the
	 * applicants say it themselves). */
	static const char *const what[BATCH_TABLES] = {
		N_("saving the applicant"), N_("saving the case"), N_("saving the evaluation"),
		N_("saving the honours"), N_("saving the competitions"), N_("saving the case's due date"),
	};
	int rc = GT_OK;
	for (size_t i = 0; i < BATCH_TABLES && !rc; i++) {
		struct gt_rows *r = all[i];
		if (r->oom)
			rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
		else if (r == &bt->applicants)
			rc = rows_insert_each(st, r);
		else if (r->n) {
			sqlite3_bind_pointer(r->ins, 1, r, "gt_rows", NULL);
			int step = sqlite3_step(r->ins);
			sqlite3_reset(r->ins);
			if (step != SQLITE_DONE)
				rc = gt_fail_sql(st, _(what[i]));
		}
	}
	for (size_t i = 0; i < BATCH_TABLES; i++) {
		all[i]->n = all[i]->used = 0;
		all[i]->oom = false;
	}
	bt->next_case = 0;
	return rc;
}

void gt_bind_time(sqlite3_stmt *s, int i, const char *v)
{
	bd_time(&(struct binder){ .s = s }, i, v);
}

/* gt_bind_time of now, which is the same text for every case of a batch:
 * parsed when it changes, not twice per case. */
static void bind_now(struct gt_case_stmts *cs, const struct binder *b, int i, const char *now)
{
	if (!now || strlen(now) >= sizeof cs->now_text) {
		bd_time(b, i, now);
		return;
	}
	if (!cs->now_parsed || strcmp(cs->now_text, now) != 0) {
		time_t t;
		if (gt_time_parse(now, &t) != 0) {
			bd_time(b, i, now);
			return;
		}
		gt_copy(cs->now_text, sizeof cs->now_text, now);
		cs->now_secs = (int64_t)t;
		cs->now_parsed = true;
	}
	bd_int(b, i, cs->now_secs);
}

/* The code table of a case CSV column stored as a number (schema 13), or
 * NULL; *date: the column is a date stored as days. */
static const struct gt_code_table *numeric_input(int col, bool *date)
{
	*date = false;
	switch (col) {
	case GT_COL_SERIES: return &gt_series_codes;
	case GT_COL_SKILL_LEVEL: return &gt_skill_levels;
	case GT_COL_TITLE_LEVEL: return &gt_title_levels;
	case GT_COL_TECH_SCHOOL_CLASS: return &gt_schools;
	case GT_COL_SKILL_DATE: case GT_COL_TITLE_DATE: case GT_COL_WORK_START: case GT_COL_REGION_WORK_START:
	case GT_COL_APPLICATION_DATE: *date = true; return NULL;
	default: return NULL;
	}
}

const char *gt_input_text(sqlite3_stmt *s, int i, int col, char buf[GT_INPUT_TEXT_MAX], size_t *n)
{
	bool date;
	const struct gt_code_table *t = numeric_input(col, &date);
	if ((t || date) && sqlite3_column_type(s, i) == SQLITE_INTEGER) {
		int64_t v = sqlite3_column_int64(s, i);
		if (t && v >= 0 && v < t->count) {
			*n = strlen(t->codes[v].code);
			return t->codes[v].code;
		}
		/* 0001-01-01 to 9999-12-31: what gt_date_format writes */
		if (date && v >= -719162 && v <= 2932896) {
			gt_date_format((gt_date)v, buf);
			buf[10] = '\0';
			*n = 10;
			return buf;
		}
		/* Not ours: shown as it is, and the case does not read back. */
		*n = (size_t)snprintf(buf, GT_INPUT_TEXT_MAX, "%lld", (long long)v);
		return buf;
	}
	const char *v = (const char *)sqlite3_column_text(s, i);
	*n = v ? (size_t)sqlite3_column_bytes(s, i) : 0;
	return v ? v : "";
}

size_t gt_evidence_text(sqlite3_stmt *s, int i, char out[GT_EVIDENCE_TEXT_MAX])
{
	return gt_mask_codes(&gt_evidence_codes, (uint32_t)sqlite3_column_int64(s, i), out, GT_EVIDENCE_TEXT_MAX);
}

/* ---- loading */

/* gt_load_case; with cs, through statements kept in it (an import reads
 * back every case it changes: preparing the two each time was 2% of the
 * writer's time during the rows of a 1M import, perf). */
static int load_case(gt_store *st, struct gt_case_stmts *cs, int64_t id, struct gt_case_row *row)
{
	sqlite3_stmt **at_case = cs ? &cs->load_case : NULL, **at_evidence = cs ? &cs->load_evidence : NULL;
	static const char sql[] =
		"SELECT c.case_ref, a.name, a.id_number, c.region, c.direction, c.series, "
		"c.occupation_code, c.skill_level, c.skill_date, c.title_level, c.title_date, "
		"iif(c.related, 'yes', 'no'), c.work_start, c.appraisals_passed, iif(c.frontline, 'yes', 'no'), "
		"iif(c.employed_in_region, 'yes', 'no'), iif(c.self_employed, 'yes', 'no'), c.region_work_start, "
		"iif(c.pilot_enterprise, 'yes', 'no'), "
		"(SELECT group_concat(honour, ';') FROM case_honours WHERE case_id = c.id), "
		"(SELECT group_concat(e, ';') FROM (SELECT competition || ':' || result || ':' || role || ':' "
		"  || team_size AS e FROM case_competitions WHERE case_id = c.id ORDER BY seq)), "
		"iif(c.diploma_related, 'yes', 'no'), c.tech_school_class, iif(c.integrity_flag, 'yes', 'no'), "
		"iif(c.public_institution_worker, 'yes', 'no'), "
		"c.evidence, "
		"c.requested_level, c.application_date, "
		"c.status, c.assignee, c.version, " GT_TIME_TEXT("c.created_at") ", c.created_by, "
		GT_TIME_TEXT("c.updated_at") ", c.updated_by, "
		"c.eval_id, c.decision_id, c.applicant_id "
		"FROM cases c LEFT JOIN applicants a ON a.id = c.applicant_id WHERE c.id = ?";
	sqlite3_stmt *s = stmt_for(st, at_case, sql);
	if (!s)
		return GT_ERR;
	sqlite3_bind_int64(s, 1, id);
	int rc = GT_OK;
	int step = sqlite3_step(s);
	/* Its applicant: during a bulk load whose applicants are on the second
	 * connection, asked there (the store's table is empty until the end). */
	struct gt_side_applicant person = { 0 };
	bool app_found = step == SQLITE_ROW && sqlite3_column_type(s, 2) != SQLITE_NULL;
	if (step == SQLITE_ROW && !app_found &&
	    (rc = gt_keys_side_applicant_find(st, NULL, sqlite3_column_int64(s, GT_COL_COUNT + 9), &person, &app_found))) {
		done_with(at_case, s);
		return rc;
	}
	if (step != SQLITE_ROW || !app_found) {
		rc = step == SQLITE_DONE || step == SQLITE_ROW ? gt_fail(st, GT_ERR_NOT_FOUND, _("no case %lld"), (long long)id)
							       : gt_fail_sql(st, _("reading a case"));
		done_with(at_case, s);
		return rc;
	}
	memset(row, 0, sizeof *row);
	struct gt_span f[GT_COL_COUNT];
	struct gt_header h;
	char evidence[GT_EVIDENCE_TEXT_MAX];
	char num[GT_COL_COUNT][GT_INPUT_TEXT_MAX];
	for (int i = 0; i < GT_COL_COUNT; i++) {
		f[i].p = gt_input_text(s, i, i, num[i], &f[i].n);
		h.pos[i] = (int16_t)i;
	}
	if (sqlite3_column_type(s, 2) == SQLITE_NULL) { /* the second connection's */
		f[GT_COL_NAME] = (struct gt_span){ person.name, strlen(person.name) };
		f[GT_COL_ID_NUMBER] = (struct gt_span){ person.id_number, strlen(person.id_number) };
	}
	f[GT_COL_EVIDENCE].p = evidence;
	f[GT_COL_EVIDENCE].n = gt_evidence_text(s, GT_COL_EVIDENCE, evidence);
	h.nfields = GT_COL_COUNT;
	gt_date app = GT_DATE_NONE;
	gt_date_parse(f[GT_COL_APPLICATION_DATE].p, f[GT_COL_APPLICATION_DATE].n, &app);
	struct gt_row_error err;
	if (gt_case_parse(&row->c, &h, f, GT_COL_COUNT, app, &err) < 0) {
		char msg[512];
		gt_row_error_format(&err, 0, msg, sizeof msg);
		rc = gt_fail(st, GT_ERR, _("case %lld in the database does not read back: %s"), (long long)id, msg);
		done_with(at_case, s);
		return rc;
	}
	int k = GT_COL_COUNT;
	row->id = id;
	row->status = gt_status_parse(gt_col_text(s, k));
	gt_copy(row->assignee, sizeof row->assignee, gt_col_text(s, k + 1));
	row->version = sqlite3_column_int64(s, k + 2);
	gt_copy(row->created_at, sizeof row->created_at, gt_col_text(s, k + 3));
	gt_copy(row->created_by, sizeof row->created_by, gt_col_text(s, k + 4));
	gt_copy(row->updated_at, sizeof row->updated_at, gt_col_text(s, k + 5));
	gt_copy(row->updated_by, sizeof row->updated_by, gt_col_text(s, k + 6));
	row->eval_id = sqlite3_column_int64(s, k + 7);
	row->decision_id = sqlite3_column_int64(s, k + 8);
	done_with(at_case, s);

	s = stmt_for(st, at_evidence, "SELECT code, received, verified, received_by, received_at, verified_by, "
		     "verified_at, note FROM evidence WHERE case_id = ?");
	if (!s)
		return GT_ERR;
	sqlite3_bind_int64(s, 1, id);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		const char *code = gt_col_text(s, 0);
		int e = gt_code_lookup(&gt_evidence_codes, code, strlen(code));
		if (e < 0)
			continue;
		struct gt_evidence_item *it = &row->evidence[e];
		it->received = sqlite3_column_int(s, 1) != 0;
		it->verified = (row->c.evidence & (1u << e)) != 0; /* cases.evidence decides */
		gt_copy(it->received_by, sizeof it->received_by, gt_col_text(s, 3));
		gt_copy(it->received_at, sizeof it->received_at, gt_col_text(s, 4));
		gt_copy(it->verified_by, sizeof it->verified_by, gt_col_text(s, 5));
		gt_copy(it->verified_at, sizeof it->verified_at, gt_col_text(s, 6));
		gt_copy(it->note, sizeof it->note, gt_col_text(s, 7));
	}
	if (step != SQLITE_DONE)
		rc = gt_fail_sql(st, _("reading a case"));
	done_with(at_evidence, s);
	/* Verified by an import: no row of its own. */
	for (int e = 0; e < GT_EV_COUNT; e++)
		if (row->c.evidence & (1u << e))
			row->evidence[e].received = row->evidence[e].verified = true;
	return rc;
}

int gt_load_case(gt_store *st, int64_t id, struct gt_case_row *row)
{
	return load_case(st, NULL, id, row);
}

int gt_load_case_with(gt_store *st, struct gt_case_stmts *cs, int64_t id, struct gt_case_row *row)
{
	return load_case(st, cs, id, row);
}

/* ---- comparing */

int gt_case_json(const struct gt_case *a, const struct gt_case *b, struct gt_sb *sb)
{
	char va[1024], vb[1024];
	int n = 0;
	struct gt_case dflt;
	if (!b) {
		gt_case_init(&dflt);
		dflt.appraisals = -1;
		dflt.requested = -1;
	}
	gt_sb_add(sb, "{");
	for (int i = 0; i < GT_COL_COUNT; i++) {
		gt_case_field(a, i, va, sizeof va);
		/* A new case: every required column, and the others that are
		 * not at their default. */
		gt_case_field(b ? b : &dflt, i, vb, sizeof vb);
		if (strcmp(va, vb) == 0 && (b || !gt_column_required((gt_column)i)))
			continue;
		if (n++)
			gt_sb_add(sb, ",");
		gt_json_str(sb, gt_column_names[i]);
		gt_sb_add(sb, ":");
		gt_json_str(sb, va);
	}
	gt_sb_add(sb, "}");
	return n;
}

static bool evidence_same(const struct gt_evidence_item *a, const struct gt_evidence_item *b)
{
	return a->received == b->received && a->verified == b->verified && strcmp(a->note, b->note) == 0;
}

bool gt_case_differs(const struct gt_case_row *a, const struct gt_case_row *b)
{
	char va[1024], vb[1024];
	for (int i = 0; i < GT_COL_COUNT; i++) {
		gt_case_field(&a->c, i, va, sizeof va);
		gt_case_field(&b->c, i, vb, sizeof vb);
		if (strcmp(va, vb) != 0)
			return true;
	}
	for (int e = 0; e < GT_EV_COUNT; e++)
		if (!evidence_same(&a->evidence[e], &b->evidence[e]))
			return true;
	return false;
}

/* ---- writing */

/* what: a message id (N_), translated only when the step fails: these run
 * for every row of an import. */
static int step_done(gt_store *st, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_DONE ? GT_OK : gt_fail_sql(st, _(what));
}

static void bind_date(const struct binder *b, int i, gt_date d)
{
	if (d == GT_DATE_NONE) {
		bd_null(b, i);
		return;
	}
	bd_int(b, i, d); /* days since 1970 (schema 13) */
}

static void bind_static(sqlite3_stmt *s, int i, const char *v)
{
	sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

/* Binds ?2..?24 and ?34 (the case columns) of insert_case or update_case,
 * or sets them in a batch's row: the codes and dates that schema 13 stores
 * as numbers as numbers (gt_input_text). Bound, the texts are c's own, not
 * copied (SQLITE_STATIC): the caller steps the statement, and resets it,
 * while c holds them; a batch copies them. */
static void bind_case(const struct binder *b, const struct gt_case *c)
{
	bd_text(b, 2, c->case_ref, -1, false);
	bd_text(b, 3, gt_code_of(&gt_regions, c->region), -1, false);
	bd_text(b, 4, gt_code_of(&gt_directions, c->direction), -1, false);
	bd_int(b, 5, c->series);
	bd_text(b, 6, c->occupation_code, -1, false);
	bd_int(b, 7, c->skill);
	bind_date(b, 8, c->skill_date);
	bd_int(b, 9, c->title);
	bind_date(b, 10, c->title_date);
	bd_int(b, 11, c->related);
	bind_date(b, 12, c->work_start);
	if (c->appraisals < 0)
		bd_null(b, 13);
	else
		bd_int(b, 13, c->appraisals);
	bd_int(b, 14, c->frontline);
	bd_int(b, 15, c->employed_in_region);
	bd_int(b, 16, c->self_employed);
	bind_date(b, 17, c->region_work_start);
	bd_int(b, 18, c->pilot_enterprise);
	bd_int(b, 19, c->diploma_related);
	bd_int(b, 20, c->tech_school);
	bd_int(b, 21, c->integrity_flag);
	bd_int(b, 22, c->public_institution_worker);
	if (c->requested < 0)
		bd_null(b, 23);
	else
		bd_text(b, 23, gt_level_code(c->direction, c->requested), -1, false);
	bind_date(b, 24, c->application_date);
	bd_int(b, 34, c->evidence); /* the set of bits (evidence_codes) */
}

/* The honours and competitions of case id: written, or with batched (a
 * new case) added to the batch. */
static int write_children(gt_store *st, struct gt_case_stmts *cs, int64_t id, const struct gt_case *c,
			  const struct gt_case *old, bool batched)
{
	int rc;
	struct binder b;
	if (!old || old->honours != c->honours) {
		if (old) {
			sqlite3_bind_int64(cs->del_honours, 1, id);
			if ((rc = step_done(st, cs->del_honours, N_("saving the honours"))))
				return rc;
		}
		for (int h = 0; h < GT_HON_COUNT; h++) {
			if (!(c->honours & (1u << h)))
				continue;
			b = (struct binder){ .s = cs->ins_honour };
			if (batched && (rc = batch_row(st, cs->batch, &cs->batch->honours, &b)))
				return rc;
			bd_int(&b, 1, id);
			bd_text(&b, 2, gt_code_of(&gt_honours, h), -1, false);
			if (!batched && (rc = step_done(st, b.s, N_("saving the honours"))))
				return rc;
		}
	}
	bool comps_same = old && old->ncomps == c->ncomps &&
			  memcmp(old->comps, c->comps, c->ncomps * sizeof c->comps[0]) == 0;
	if (!comps_same) {
		if (old) {
			sqlite3_bind_int64(cs->del_comps, 1, id);
			if ((rc = step_done(st, cs->del_comps, N_("saving the competitions"))))
				return rc;
		}
		for (int i = 0; i < c->ncomps; i++) {
			const struct gt_comp_entry *e = &c->comps[i];
			char res[16];
			if (e->result == GT_RES_RANK)
				snprintf(res, sizeof res, "rank%u", (unsigned)e->rank);
			else
				snprintf(res, sizeof res, "%s", gt_code_of(&gt_results, e->result));
			b = (struct binder){ .s = cs->ins_comp };
			if (batched && (rc = batch_row(st, cs->batch, &cs->batch->comps, &b)))
				return rc;
			bd_int(&b, 1, id);
			bd_int(&b, 2, i + 1);
			bd_text(&b, 3, gt_code_of(&gt_comps, e->comp), -1, false);
			bd_text(&b, 4, res, -1, false); /* stepped below, or copied */
			bd_text(&b, 5, gt_code_of(&gt_roles, e->role), -1, false);
			bd_int(&b, 6, e->team_size);
			if (!batched && (rc = step_done(st, b.s, N_("saving the competitions"))))
				return rc;
		}
	}
	return GT_OK;
}

static int write_evidence(gt_store *st, struct gt_case_stmts *cs, int64_t id,
			  const struct gt_case_row *row, const struct gt_case_row *old)
{
	static const struct gt_evidence_item none;
	for (int e = 0; e < GT_EV_COUNT; e++) {
		const struct gt_evidence_item *it = &row->evidence[e];
		const struct gt_evidence_item *was = old ? &old->evidence[e] : &none;
		if (evidence_same(it, was))
			continue;
		/* A document verified with the case's data (intake, import) is
		 * recorded by the case's audit row; a row is kept for what the
		 * case row cannot say: received only, a note, or a change. */
		if (!old && !(it->received && !it->verified) && !it->note[0])
			continue;
		sqlite3_stmt *s = cs->upsert_evidence;
		sqlite3_bind_int64(s, 1, id);
		bind_static(s, 2, gt_code_of(&gt_evidence_codes, e));
		sqlite3_bind_int(s, 3, it->received);
		sqlite3_bind_int(s, 4, it->verified);
		gt_bind_text(s, 5, it->received_by, true);
		gt_bind_text(s, 6, it->received_at, true);
		gt_bind_text(s, 7, it->verified_by, true);
		gt_bind_text(s, 8, it->verified_at, true);
		gt_bind_text(s, 9, it->note, false);
		int rc = step_done(st, s, N_("saving the evidence"));
		if (rc)
			return rc;
	}
	return GT_OK;
}

void gt_case_prepare(const struct gt_case *c, int new_status, struct gt_case_prepared *p)
{
	gt_store_evaluate(c, &p->scratch, &p->ev);
	gt_summary_answer(&p->ev, &p->sum); /* what is stored: no citation, no message */
	gt_date_format(c->application_date, p->as_of);
	p->after_len = 0;
	p->after_cut = false;
	p->after_status = new_status;
	if (new_status < 0)
		return;
	struct gt_sb a = gt_sb_make(p->after, sizeof p->after);
	gt_case_json(c, NULL, &a);
	a.len--; /* reopen the object */
	a.p[a.len] = '\0';
	gt_sb_addf(&a, ",\"status\":\"%s\",\"outcome\":\"%s\"}", gt_status_codes[new_status],
		   p->sum.col[GT_SUM_OUTCOME]);
	p->after_len = a.len;
	p->after_cut = a.truncated;
}

/* The id of name in a table of names (rulesets: a rule set's version;
 * rule_names: a rule's id), added when new, by the statements find and
 * insert. The few names an import meets are kept in cache (n of max; the
 * statements live no longer than the transaction, so an id of a row rolled
 * back is never reused). hints: where a name at the same address was last
 * found in cache, tried first (and compared) before the whole cache,
 * whose search took 13 string comparisons a rule on average. */
static int name_id(gt_store *st, sqlite3_stmt *find, sqlite3_stmt *insert, struct gt_name_id *cache, int *n,
		   int max, struct gt_name_hint hints[GT_NAME_HINTS], const char *name, int64_t *id)
{
	struct gt_name_hint *h = &hints[((uint64_t)(uintptr_t)name * 0x9E3779B97F4A7C15u) >> 56];
	if (h->at == name && h->i < *n && strcmp(cache[h->i].name, name) == 0) {
		*id = cache[h->i].id;
		return GT_OK;
	}
	for (int i = 0; i < *n; i++)
		if (strcmp(cache[i].name, name) == 0) {
			*id = cache[i].id;
			*h = (struct gt_name_hint){ name, i };
			return GT_OK;
		}
	sqlite3_stmt *s = find;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	int step = sqlite3_step(s);
	*id = step == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return gt_fail_sql(st, _("saving the evaluation"));
	if (!*id) {
		s = insert;
		sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
		int rc = step_done(st, s, N_("saving the evaluation"));
		if (rc)
			return rc;
		*id = sqlite3_last_insert_rowid(st->db);
	}
	int i = *n < max ? (*n)++ : (int)(*id % max);
	gt_copy(cache[i].name, sizeof cache[i].name, name);
	cache[i].id = *id;
	*h = (struct gt_name_hint){ name, i };
	return GT_OK;
}

_Static_assert(GT_EVAL_CELL_OUTCOME == 8 + GT_SUM_OUTCOME && GT_EVAL_CELL_ROUTE == 8 + GT_SUM_ROUTE &&
		       GT_EVAL_CELL_BASIS == 8 + GT_SUM_BASIS,
	       "write_eval's cells: the answer's columns from ?8 on");

/* The case's evaluation row: written, or with batched added to the batch. */
static int write_eval(gt_store *st, struct gt_case_stmts *cs, int64_t id, int64_t version,
		      const struct gt_case_prepared *p, const char *now, bool batched)
{
	const struct gt_eval *ev = &p->ev;
	const struct gt_summary *sum = &p->sum;
	/* The rule set's and the chosen rule's ids (schema 14; rule 0: none)
	 * first: name_id may write a new name. */
	int64_t ruleset, rule = 0;
	int rc = name_id(st, cs->find_ruleset, cs->insert_ruleset, cs->rulesets, &cs->nrulesets, GT_RULESET_CACHE,
			 cs->ruleset_hints, gt_store_eval_ruleset(ev), &ruleset);
	if (rc)
		return rc;
	if (ev->chosen >= 0 && ev->paths[ev->chosen].rule->id[0] &&
	    (rc = name_id(st, cs->find_rule, cs->insert_rule, cs->rules, &cs->nrules, GT_RULE_CACHE, cs->rule_hints,
			  ev->paths[ev->chosen].rule->id, &rule)))
		return rc;
	/* During a bulk load every evaluation goes to the load's second
	 * connection (gt_keys_side_rows), which writes it while the rows are
	 * read; evaluations stays empty until it is copied whole. */
	struct gt_rows *side = gt_keys_side_rows(st, GT_SIDE_EVALS);
	struct binder b = { .s = cs->insert_eval };
	if (side && rows_add(side, &b) != 0)
		return gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
	if (!side && batched && (rc = batch_row(st, cs->batch, &cs->batch->evals, &b)))
		return rc;
	bd_int(&b, GT_EVAL_CELL_ID, cs->next_eval);
	bd_int(&b, 2, id);
	bd_int(&b, 3, version);
	bd_int(&b, 4, ruleset);
	gt_date as_of;
	if (gt_date_parse(p->as_of, 10, &as_of) == 0)
		bd_int(&b, 5, as_of); /* days since 1970 (schema 13) */
	else
		bd_text(&b, 5, p->as_of, 10, false);
	bind_now(cs, &b, 6, now);
	bd_text(&b, 7, st->actor, -1, false);
	/* The answer only: citation and message are derived on read
	 * (gt_answer.c). */
	for (int i = 0; i < GT_SUM_CITATION; i++) {
		if (i == GT_SUM_THEORY_EXEMPT)
			bd_int(&b, 8 + i, ev->theory_exempt);
		else
			bd_text(&b, 8 + i, sum->col[i], (int)sum->len[i], false);
	}
	bd_int(&b, 15, rule);
	if (side)
		rc = gt_keys_side_hand(st, GT_SIDE_EVALS);
	else if (!batched)
		rc = step_done(st, b.s, N_("saving the evaluation"));
	if (!rc)
		cs->next_eval++;
	return rc;
}

/* The case's due date (gt_due_write), or with batched (a new case) added
 * to the batch when it has one. */
static int write_due(gt_store *st, struct gt_case_stmts *cs, int64_t id, gt_date on, bool new_case, bool batched)
{
	if (!batched)
		return gt_due_write(st, id, on, new_case);
	if (on == GT_DATE_NONE)
		return GT_OK;
	struct binder b;
	int rc = batch_row(st, cs->batch, &cs->batch->due, &b);
	if (rc)
		return rc;
	char d[11];
	gt_date_format(on, d);
	bd_int(&b, 1, id);
	bd_text(&b, 2, d, 10, true);
	return GT_OK;
}

/* ---- case_counts' rows, tallied by an import into an empty store */

struct gt_tally_row {
	char *key;      /* the GT_TALLY_COLS columns, each ended by a NUL */
	size_t len;
	uint64_t hash;
	int64_t n;
};
struct gt_tally {
	struct gt_tally_row *rows; /* open addressing; cap a power of two */
	size_t cap, used;
};

struct gt_tally *gt_tally_new(void)
{
	struct gt_tally *t = calloc(1, sizeof *t);
	if (t && !(t->rows = calloc(t->cap = 256, sizeof *t->rows))) {
		free(t);
		t = NULL;
	}
	return t;
}

void gt_tally_free(struct gt_tally *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->cap; i++)
		free(t->rows[i].key);
	free(t->rows);
	free(t);
}

static struct gt_tally_row *tally_slot(struct gt_tally_row *rows, size_t cap, const char *key, size_t len,
				       uint64_t hash)
{
	size_t i = hash & (cap - 1);
	while (rows[i].key && (rows[i].hash != hash || rows[i].len != len || memcmp(rows[i].key, key, len) != 0))
		i = (i + 1) & (cap - 1);
	return &rows[i];
}

int gt_tally_add(struct gt_tally *t, const char *const col[GT_TALLY_COLS], int64_t n)
{
	char key[1024];
	size_t len = 0;
	for (int i = 0; i < GT_TALLY_COLS; i++) {
		size_t k = strlen(col[i]) + 1;
		if (len + k > sizeof key)
			return -1; /* not a row of codes */
		memcpy(key + len, col[i], k);
		len += k;
	}
	uint64_t h = gt_fnv1a(GT_FNV1A_INIT, key, len);
	struct gt_tally_row *r = tally_slot(t->rows, t->cap, key, len, h);
	if (!r->key) {
		if (2 * (t->used + 1) > t->cap) { /* at most half full */
			size_t cap = 2 * t->cap;
			struct gt_tally_row *rows = calloc(cap, sizeof *rows);
			if (!rows)
				return -1;
			for (size_t i = 0; i < t->cap; i++)
				if (t->rows[i].key)
					*tally_slot(rows, cap, t->rows[i].key, t->rows[i].len, t->rows[i].hash) = t->rows[i];
			free(t->rows);
			t->rows = rows;
			t->cap = cap;
			r = tally_slot(rows, cap, key, len, h);
		}
		if (!(r->key = malloc(len)))
			return -1;
		memcpy(r->key, key, len);
		r->len = len;
		r->hash = h;
		r->n = 0;
		t->used++;
	}
	r->n += n;
	return 0;
}

int gt_tally_write(gt_store *st, const struct gt_tally *t)
{
	sqlite3_stmt *s = gt_prepare(st, "INSERT INTO case_counts (region, direction, level, outcome, route, award, "
				     "status, n) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
				     "ON CONFLICT DO UPDATE SET n = n + excluded.n");
	if (!s)
		return GT_ERR;
	int rc = GT_OK;
	for (size_t i = 0; i < t->cap && !rc; i++) {
		const struct gt_tally_row *r = &t->rows[i];
		if (!r->key || r->n == 0)
			continue;
		const char *p = r->key;
		for (int k = 0; k < GT_TALLY_COLS; k++) {
			sqlite3_bind_text(s, k + 1, p, -1, SQLITE_STATIC);
			p += strlen(p) + 1;
		}
		sqlite3_bind_int64(s, 8, r->n);
		rc = step_done(st, s, N_("counting the cases"));
	}
	sqlite3_finalize(s);
	return rc;
}

/* Takes a stored case's row of case_counts away from the tally (before it
 * is changed), as case_counts_update would: its columns read back from the
 * case and its evaluation, by the same expressions as the import's
 * aggregate of old (gt_import.c). */
static int tally_stored(gt_store *st, struct gt_case_stmts *cs, int64_t id)
{
	if (!cs->counted &&
	    !(cs->counted = gt_prepare(st, "SELECT c.region, c.direction, coalesce(c.requested_level, c.target), "
				       "c.outcome, coalesce(e.route, ''), coalesce(iif(e.route = 'green_channel', "
				       "e.basis, ''), ''), c.status, c.eval_id FROM cases c LEFT JOIN evaluations e "
				       "ON e.id = c.eval_id WHERE c.id = ?")))
		return GT_ERR;
	sqlite3_stmt *s = cs->counted;
	sqlite3_bind_int64(s, 1, id);
	int step = sqlite3_step(s), rc = GT_OK;
	if (step == SQLITE_ROW) {
		const char *col[GT_TALLY_COLS];
		for (int k = 0; k < GT_TALLY_COLS; k++)
			col[k] = gt_col_text(s, k);
		/* Its evaluation may be on the bulk load's second connection. */
		struct gt_side_eval ev;
		bool found = false;
		rc = gt_keys_side_eval(st, sqlite3_column_int64(s, GT_TALLY_COLS), &ev, &found);
		if (!rc && found) {
			col[4] = ev.route;
			col[5] = strcmp(ev.route, "green_channel") == 0 ? ev.basis : "";
		}
		if (!rc && gt_tally_add(cs->tally, col, -1) < 0)
			rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
	} else if (step != SQLITE_DONE) {
		rc = gt_fail_sql(st, _("saving the case"));
	}
	sqlite3_reset(s);
	return rc;
}

/* Adds the case's row of case_counts as written (the values bound to the
 * case and its evaluation), as case_counts_insert and
 * case_counts_evaluation would. */
static int tally_written(gt_store *st, struct gt_case_stmts *cs, const struct gt_case_row *row,
			 const struct gt_case_prepared *p)
{
	const struct gt_case *c = &row->c;
	const char *target = gt_level_code(c->direction, gt_eval_level(&p->ev));
	const char *req = c->requested < 0 ? NULL : gt_level_code(c->direction, c->requested);
	const char *route = p->sum.col[GT_SUM_ROUTE] ? p->sum.col[GT_SUM_ROUTE] : "";
	const char *basis = p->sum.col[GT_SUM_BASIS] ? p->sum.col[GT_SUM_BASIS] : "";
	const char *col[GT_TALLY_COLS] = {
		gt_code_of(&gt_regions, c->region), gt_code_of(&gt_directions, c->direction),
		req ? req : target ? target : "", p->sum.col[GT_SUM_OUTCOME], route,
		strcmp(route, "green_channel") == 0 ? basis : "", gt_status_codes[row->status],
	};
	if (gt_tally_add(cs->tally, col, 1) < 0)
		return gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
	return GT_OK;
}

/* The audit JSON of evidence that changed. */
static void evidence_json(const struct gt_case_row *row, const struct gt_case_row *other, struct gt_sb *sb)
{
	for (int e = 0; e < GT_EV_COUNT; e++) {
		const struct gt_evidence_item *it = &row->evidence[e];
		if (evidence_same(it, &other->evidence[e]))
			continue;
		gt_sb_add(sb, sb->p[sb->len - 1] == '{' ? "" : ",");
		gt_sb_addf(sb, "\"%s\":{\"received\":%s,\"verified\":%s,\"note\":",
			   gt_code_of(&gt_evidence_codes, e), it->received ? "true" : "false",
			   it->verified ? "true" : "false");
		gt_json_str(sb, it->note);
		gt_sb_add(sb, "}");
	}
}

/* After an applicant's rename through case except: the keys and terms of
 * its other cases follow the new name (c's), as every case shows the
 * applicant's name; was is the name their terms were made from. */
static int rekey_other_cases(gt_store *st, struct gt_case_stmts *cs, int64_t aid, int64_t except, const char *was,
			     const struct gt_case *c, const struct gt_keys *keys)
{
	sqlite3_stmt *s =
		stmt_for(st, &cs->other_cases, "SELECT id, case_ref FROM cases WHERE applicant_id = ? AND id <> ?");
	struct gt_case *old = calloc(1, sizeof *old);
	int rc = GT_OK, step = SQLITE_DONE;
	if (!s || !old) {
		rc = s ? gt_fail(st, GT_ERR, "%s", strerror(ENOMEM)) : GT_ERR;
		goto out;
	}
	gt_copy(old->name, sizeof old->name, was);
	gt_copy(old->id_number, sizeof old->id_number, c->id_number);
	sqlite3_bind_int64(s, 1, aid);
	sqlite3_bind_int64(s, 2, except);
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		gt_copy(old->case_ref, sizeof old->case_ref, gt_col_text(s, 1));
		rc = gt_keys_write(st, sqlite3_column_int64(s, 0), c->name, c->id_number, old->case_ref, keys, NULL,
				   old);
	}
	if (!rc && step != SQLITE_DONE)
		rc = gt_fail_sql(st, _("saving the case's search keys"));
out:
	if (s)
		done_with(&cs->other_cases, s);
	free(old);
	return rc;
}

static size_t batch_cases = GT_BATCH_CASES; /* gt_case_batch_size */

void gt_case_batch_size(size_t cases)
{
	batch_cases = cases && cases < GT_BATCH_CASES ? cases : GT_BATCH_CASES;
}

int gt_find_applicant(gt_store *st, struct gt_case_stmts *cs, const char *id_number, int64_t *aid,
		      char name[GT_TEXT_MAX_BYTES + 1])
{
	*aid = 0;
	if (gt_keys_side_rows(st, GT_SIDE_APPLICANTS)) { /* the load's applicants are all there */
		struct gt_side_applicant a;
		bool found = false;
		int rc = gt_keys_side_applicant_find(st, id_number, 0, &a, &found);
		if (!rc && found) {
			*aid = a.id;
			gt_copy(name, GT_TEXT_MAX_BYTES + 1, a.name);
		}
		return rc;
	}
	sqlite3_stmt *s = cs->find_applicant;
	sqlite3_bind_text(s, 1, id_number, -1, SQLITE_STATIC);
	int step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		*aid = sqlite3_column_int64(s, 0);
		gt_copy(name, GT_TEXT_MAX_BYTES + 1, gt_col_text(s, 1));
	}
	sqlite3_reset(s);
	return step == SQLITE_ROW || step == SQLITE_DONE ? GT_OK : gt_fail_sql(st, _("finding the applicant"));
}

int gt_write_case(gt_store *st, struct gt_case_stmts *cs, struct gt_case_row *row,
		  const struct gt_case_row *old, int64_t aid_hint, const char *now, const char *audit_action)
{
	const struct gt_case *c = &row->c;
	bool reeval = old == row;
	/* A new case of a new applicant, during a bulk import: its rows wait
	 * in the batch. Anything else is written now, after the batch. */
	bool batched = cs->batch && !old && aid_hint == 0;
	int rc;
	if (cs->batch && (!batched || cs->batch->cases.n >= batch_cases) && (rc = gt_case_batch_flush(st, cs)))
		return rc;

	/* The case's evidence mask is what is verified; the items follow it.
	 * Not for a batched case: its items are all empty (store_row), and
	 * those its mask verifies would get no row (write_evidence keeps
	 * none for a document verified with a new case's data), so they are
	 * left empty, the mask alone saying what is verified, as when the
	 * case is read back (gt_load_case). Each item's who and when were
	 * 23 copies a case, 0.85% of an import's instructions. */
	for (int e = 0; e < GT_EV_COUNT && !reeval && !batched; e++) {
		struct gt_evidence_item *it = &row->evidence[e];
		bool want = c->evidence & (1u << e);
		if (want && !it->verified) {
			it->verified = true;
			gt_copy(it->verified_by, sizeof it->verified_by, st->actor);
			gt_copy(it->verified_at, sizeof it->verified_at, now);
		} else if (!want && it->verified) {
			it->verified = false;
			it->verified_by[0] = it->verified_at[0] = '\0';
		}
		if (it->verified && !it->received) {
			it->received = true;
			gt_copy(it->received_by, sizeof it->received_by, st->actor);
			gt_copy(it->received_at, sizeof it->received_at, now);
		}
	}

	/* The applicant, by identity number. During a bulk load into a store
	 * without applicants they are all written, and read, on the load's
	 * second connection (gt_keys_side_applicant_put, _find). */
	int64_t aid = 0;
	sqlite3_stmt *s;
	int step;
	bool rename = false;
	bool on_side = gt_keys_side_rows(st, GT_SIDE_APPLICANTS) != NULL;
	char was[GT_TEXT_MAX_BYTES + 1]; /* the applicant's name before a rename */
	if (aid_hint < 0 || old) {
		if ((rc = gt_find_applicant(st, cs, c->id_number, &aid, was)))
			return rc;
		rename = aid && strcmp(was, c->name) != 0 && !reeval;
	} else {
		aid = aid_hint; /* the caller looked: 0 none yet, else this one, no case of it here */
	}
	if (!aid && on_side) {
		if ((rc = applicant_next(st, cs, &aid)) ||
		    (rc = gt_keys_side_applicant_put(st, aid, c->id_number, c->name, c->birth_date, false)))
			return rc;
		cs->next_applicant++;
	} else if (!aid) {
		struct binder b = { .s = cs->insert_applicant };
		if (batched) {
			if ((rc = batch_row(st, cs->batch, &cs->batch->applicants, &b)) ||
			    (rc = applicant_next(st, cs, &aid)))
				return rc;
			cs->next_applicant++;
			bd_int(&b, 0, aid);
		}
		bd_text(&b, 1, c->id_number, -1, false);
		bd_text(&b, 2, c->name, -1, false);
		bd_int(&b, 3, c->birth_date); /* days since 1970 (schema 13) */
		if (!batched) {
			if ((rc = step_done(st, b.s, N_("saving the applicant"))))
				return rc;
			aid = sqlite3_last_insert_rowid(st->db);
			if (cs->next_applicant) /* counted: the next is after this one */
				cs->next_applicant = aid + 1;
		}
	} else if (rename && on_side) { /* its row again, under the new name (birth date kept: ON CONFLICT) */
		if ((rc = gt_keys_side_applicant_put(st, aid, c->id_number, c->name, c->birth_date, true)))
			return rc;
	} else if (rename) {
		s = cs->update_applicant;
		sqlite3_bind_text(s, 1, c->name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, aid);
		if ((rc = step_done(st, s, N_("saving the applicant"))))
			return rc;
	}

	if (!old && aid_hint < 0) {
		s = cs->find_case;
		sqlite3_bind_int64(s, 1, aid);
		bind_static(s, 2, gt_code_of(&gt_regions, c->region));
		bind_static(s, 3, gt_code_of(&gt_directions, c->direction));
		step = sqlite3_step(s);
		int64_t dup = step == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
		sqlite3_reset(s);
		if (dup)
			return gt_fail(st, GT_ERR_INVALID,
				       _("%s already has case %lld in %s, %s; open that case instead"),
				       c->id_number, (long long)dup, gt_name_of(&gt_regions, c->region),
				       gt_name_of(&gt_directions, c->direction));
	}

	/* The evaluation, and for a new case its audit JSON: given (import
	 * made them on its reader thread) or made here. */
	const struct gt_case_prepared *p = cs->given;
	if (!p || (!old && !cs->no_new_audit && p->after_status != row->status)) {
		gt_case_prepare(c, old ? -1 : row->status, cs->work);
		p = cs->work;
	}
	const struct gt_summary *sum = &p->sum;
	char *before = cs->before, *after = cs->after;
	int64_t eval_id = cs->next_eval;
	int64_t version = old ? (reeval ? old->version : old->version + 1) : 1;

	if (old && cs->tally && (rc = tally_stored(st, cs, old->id)))
		return rc;
	if (!old) {
		struct binder b = { .s = cs->insert_case };
		if (batched) {
			if ((rc = batch_row(st, cs->batch, &cs->batch->cases, &b)))
				goto out;
			row->id = cs->batch->next_case++;
			bd_int(&b, 0, row->id);
		}
		bd_int(&b, 1, aid);
		bind_case(&b, c);
		bd_text(&b, 25, gt_status_codes[row->status], -1, false);
		bind_now(cs, &b, 26, now);
		bd_text(&b, 27, st->actor, -1, false);
		bd_text(&b, 28, sum->col[GT_SUM_OUTCOME], (int)sum->len[GT_SUM_OUTCOME], false);
		bd_text(&b, 29, gt_level_code(c->direction, gt_eval_level(&p->ev)), -1, false);
		bd_int(&b, 30, eval_id);
		if (!batched) {
			if ((rc = step_done(st, b.s, N_("saving the case"))))
				goto out;
			row->id = sqlite3_last_insert_rowid(st->db);
		}
	} else {
		s = cs->update_case;
		const struct binder b = { .s = s };
		sqlite3_bind_int64(s, 1, aid);
		bind_case(&b, c);
		bind_static(s, 25, gt_status_codes[row->status]);
		if (reeval)
			gt_bind_time(s, 26, old->updated_at);
		else
			bind_now(cs, &b, 26, now);
		sqlite3_bind_text(s, 27, reeval ? old->updated_by : st->actor, -1, SQLITE_TRANSIENT);
		bind_static(s, 28, sum->col[GT_SUM_OUTCOME]);
		bind_static(s, 29, gt_level_code(c->direction, gt_eval_level(&p->ev)));
		sqlite3_bind_int64(s, 30, eval_id);
		sqlite3_bind_int(s, 31, reeval ? 0 : 1);
		sqlite3_bind_int64(s, 32, old->id);
		sqlite3_bind_int64(s, 33, old->version);
		if ((rc = step_done(st, s, N_("saving the case"))))
			goto out;
		if (sqlite3_changes(st->db) != 1) {
			rc = gt_fail(st, GT_ERR_CONFLICT, _("case %lld changed while it was being saved; "
							    "nothing was saved"), (long long)old->id);
			goto out;
		}
		row->id = old->id;
	}
	if (!reeval) {
		if ((rc = write_children(st, cs, row->id, c, old ? &old->c : NULL, batched)) ||
		    (!batched && (rc = write_evidence(st, cs, row->id, row, old))))
			goto out;
	}
	/* The queue's keys follow the name, the identity number and the case_ref. */
	if ((!old || strcmp(old->c.name, c->name) != 0 || strcmp(old->c.case_ref, c->case_ref) != 0 ||
	     strcmp(old->c.id_number, c->id_number) != 0) &&
	    (rc = gt_keys_write(st, row->id, c->name, c->id_number, c->case_ref, cs->given_keys, cs->given_terms,
				 old ? &old->c : NULL)))
		goto out;
	if (rename && (rc = rekey_other_cases(st, cs, aid, row->id, was, c, cs->given_keys)))
		goto out;
	if ((rc = write_eval(st, cs, row->id, version, p, now, batched)))
		goto out;
	if (cs->tally && (rc = tally_written(st, cs, row, p)))
		goto out;
	if ((rc = write_due(st, cs, row->id, gt_due_of(&p->ev, sum->col[GT_SUM_OUTCOME], sum->col[GT_SUM_UNMET]),
			    !old, batched)))
		goto out;

	if ((!old && cs->no_new_audit) || cs->quiet) {
		row->version = version;
		row->eval_id = eval_id;
		goto out;
	}
	/* One audit row for the whole change. */
	struct gt_sb b = gt_sb_make(before, GT_AUDIT_JSON_MAX), a = gt_sb_make(after, GT_AUDIT_JSON_MAX);
	const char *after_text = after;
	if (!old) {
		after_text = p->after; /* made above, or given in the status the caller set */
		a.len = p->after_len;
	} else {
		char old_outcome[32] = "";
		struct gt_side_eval ev;
		bool found = false;
		if ((rc = gt_keys_side_eval(st, old->eval_id, &ev, &found)))
			goto out;
		if (found)
			gt_copy(old_outcome, sizeof old_outcome, ev.outcome);
		sqlite3_stmt *q =
			found ? NULL : stmt_for(st, &cs->old_outcome, "SELECT outcome FROM evaluations WHERE id = ?");
		if (q) {
			sqlite3_bind_int64(q, 1, old->eval_id);
			if (sqlite3_step(q) == SQLITE_ROW)
				gt_copy(old_outcome, sizeof old_outcome, gt_col_text(q, 0));
			done_with(&cs->old_outcome, q);
		}
		gt_case_json(&old->c, c, &b);
		gt_case_json(c, &old->c, &a);
		b.len--, a.len--;
		b.p[b.len] = a.p[a.len] = '\0';
		evidence_json(old, row, &b);
		evidence_json(row, old, &a);
		const char *sep_b = b.p[b.len - 1] == '{' ? "" : ",";
		const char *sep_a = a.p[a.len - 1] == '{' ? "" : ",";
		/* The outcome only when it changed: the record holds exactly
		 * the fields that changed. */
		bool same_outcome = strcmp(old_outcome, sum->col[GT_SUM_OUTCOME]) == 0;
		gt_sb_addf(&b, "%s\"version\":%lld", sep_b, (long long)old->version);
		gt_sb_addf(&a, "%s\"version\":%lld", sep_a, (long long)version);
		if (!same_outcome) {
			gt_sb_addf(&b, ",\"outcome\":\"%s\"", old_outcome);
			gt_sb_addf(&a, ",\"outcome\":\"%s\"", sum->col[GT_SUM_OUTCOME]);
		}
		gt_sb_add(&b, "}");
		gt_sb_add(&a, "}");
	}
	/* An audit record is complete, valid JSON, or the change is not made. */
	if (old ? a.truncated || b.truncated : p->after_cut) {
		rc = gt_fail(st, GT_ERR_INVALID, _("the audit record of case %lld would be longer than %d bytes; "
						   "nothing was saved"), (long long)row->id, GT_AUDIT_JSON_MAX);
		goto out;
	}
	char idbuf[24];
	snprintf(idbuf, sizeof idbuf, "%lld", (long long)row->id);
	s = cs->insert_audit;
	sqlite3_bind_text(s, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, st->actor, -1, SQLITE_STATIC);
	bind_static(s, 3, audit_action);
	sqlite3_bind_text(s, 4, idbuf, -1, SQLITE_TRANSIENT);
	if (old)
		sqlite3_bind_text(s, 5, before, (int)b.len, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 5);
	sqlite3_bind_text(s, 6, after_text, (int)a.len, SQLITE_STATIC);
	if ((rc = step_done(st, s, N_("writing the audit log"))))
		goto out;
	row->version = version;
	row->eval_id = eval_id;
out:
	return rc;
}
