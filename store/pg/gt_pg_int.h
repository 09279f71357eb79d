/* Internals shared by the PostgreSQL store's source files. */
#ifndef GT_PG_INT_H
#define GT_PG_INT_H

#include <libpq-fe.h>

#include "gt_store_int.h"

struct gt_pg {
	PGconn *conn;
	int64_t notified; /* notifications read so far (gt_pg_data_version) */
	int last_rc;      /* the return code of the last failure */
};

/* Sets the error from a failed result (its SQLSTATE decides the return
 * code; class GT is functions.sql's), clears res, returns the code. */
int gt_pg_fail(gt_store *st, PGresult *res, const char *what);
/* Runs sql with text parameters: the result, or NULL with the error set. */
PGresult *gt_pg_exec(gt_store *st, const char *sql, int n, const char *const *vals, const char *what);
/* The same for a statement whose result is not needed: GT_OK or the code. */
int gt_pg_run(gt_store *st, const char *sql, int n, const char *const *vals, const char *what);
int gt_pg_rc(gt_store *st);
const char *gt_pg_val(PGresult *res, int row, int col); /* "" for NULL */
int64_t gt_pg_int(PGresult *res, int row, int col);

/* The input columns in row r's first GT_COL_COUNT columns, parsed into c
 * (case id for the message when they do not read back). */
int gt_pg_case_of(gt_store *st, PGresult *res, int r, int64_t id, struct gt_case *c);

/* A case's input columns as a JSON array of their canonical text, and its
 * evaluation as functions.sql's eval_add reads it (gt_pg_case.c). */
void gt_pg_fields_json(const struct gt_case *c, struct gt_sb *sb);
/* "SELECT c.fields[1], ..., c.fields[N], ": a case's input columns in the
 * contract's order (cases c), for the caller to add the rest. */
void gt_pg_select_fields(struct gt_sb *sb);
/* The name's pinyin as the server keeps it: store/gt_keys.c's syllables,
 * separated by spaces ("ma xue mei"). */
int gt_pg_pinyin(gt_store *st, const char *name, char *out, size_t size);
void gt_pg_eval_json(const struct gt_case_prepared *p, int direction, const char *pinyin, struct gt_sb *sb);

#endif
