/* The case store on PostgreSQL (libpq): the same public functions as the
 * SQLite store (gt_store.h), chosen by a connection string instead of a
 * path. gt_store.c and its companions call these at the top of each public
 * function when the store is on PostgreSQL. The server keeps the roles and
 * writes the audit log (store/pg/functions.sql): this side prepares the
 * values (the evaluation, the decision's snapshot) and reads. */
#ifndef GT_PG_H
#define GT_PG_H

#include "gt_store_int.h"

struct gt_pg;

/* Whether s is a libpq connection string: a postgresql:// or postgres://
 * URI, or key=value pairs starting with a libpq keyword ("host=... dbname=..."). */
bool gt_pg_is_conninfo(const char *s);

/* actor NULL: the connection's own user (peer authentication: the OS login). */
int gt_pg_open(gt_store **out, const char *conninfo, unsigned flags, const char *actor, char *err, size_t errsz);
void gt_pg_close(gt_store *st);

/* Sets up a fresh database: the owner and group roles, the schema, and
 * the first administrator (admin, or the caller when NULL). Each step
 * is reported through say. */
int gt_pg_init(const char *conninfo, const char *admin, void (*say)(const char *line, void *arg), void *arg,
	       char *err, size_t errsz);

int64_t gt_pg_data_version(gt_store *st);
int gt_pg_user_set(gt_store *st, const char *login, int role, const char *display_name);
int gt_pg_user_list(gt_store *st, int (*fn)(const struct gt_user *u, void *arg), void *arg);
int gt_pg_get(gt_store *st, int64_t id, struct gt_case_row *row);
int gt_pg_find(gt_store *st, const char *key, int64_t *id);
int gt_pg_get_eval(gt_store *st, int64_t eval_id, struct gt_stored_eval *ev);
int gt_pg_get_decision(gt_store *st, int64_t decision_id, struct gt_decision *d);
int gt_pg_history(gt_store *st, int64_t case_id, int (*fn)(const struct gt_audit_row *a, void *arg), void *arg);
int gt_pg_save(gt_store *st, struct gt_case_row *row);
int gt_pg_act(gt_store *st, int64_t id, int64_t expect_version, int action, const char *note);
/* The staged marks of a whole checklist: one version (gt_store_mark_evidence). */
int gt_pg_mark_evidence(gt_store *st, int64_t id, int64_t expect_version, uint16_t received, uint16_t verified,
			bool *changed);
/* The office's figures (gt_store_stats), by SQL aggregates. */
int gt_pg_stats(gt_store *st, struct gt_stats *s);
int gt_pg_set_evidence(gt_store *st, int64_t id, int64_t expect_version, int code, bool received, bool verified,
		       const char *note);
int gt_pg_reevaluate_all(gt_store *st, struct gt_reevaluate_result *res);
int gt_pg_eval_stale(gt_store *st, int64_t id, bool *stale);
int gt_pg_answer(gt_store *st, const struct gt_case_row *row, struct gt_answer *a);
int gt_pg_decision_text(gt_store *st, int64_t decision_id, char **explanation, char ruleset[GT_RULESET_MAX]);
int gt_pg_import(gt_store *st, FILE *in, const char *name, const struct gt_import_opts *o,
		 struct gt_import_result *res);
/* The export's rows (gt_export.c writes them): begin opens a read-only
 * snapshot (total: the count, when not NULL), next gives a row (1), the
 * end (0) or an error's code, end closes it. */
int gt_pg_export_begin(gt_store *st, const struct gt_export_filter *f, long *total, void **ctx);
int gt_pg_export_next(gt_store *st, void *ctx, struct gt_xrow *r);
void gt_pg_export_end(gt_store *st, void *ctx, bool commit);
/* The audit row of a file written (export, sheet): audit_file on the server. */
int gt_pg_audit_file(gt_store *st, const char *action, const char *file, const char *format, long cases,
		     const struct gt_export_filter *f);
int gt_pg_queue_fetch(gt_store *st, const struct gt_queue_filter *f, int sort, bool desc,
		      const struct gt_queue_pos *after, bool backward, int n, struct gt_queue_row *rows, int *count);
int gt_pg_queue_count(gt_store *st, const struct gt_queue_filter *f, int sort, bool desc,
		      const struct gt_queue_pos *at, int64_t *total, int64_t *before);
int gt_pg_queue_search(gt_store *st, const struct gt_queue_filter *f, int sort, const char *q,
		       const struct gt_queue_pos *from, bool backward, struct gt_queue_row *hit,
		       struct gt_queue_pos *hit_pos, bool *found);
int gt_pg_is_empty(gt_store *st, bool *empty);
int gt_pg_draft_save(gt_store *st, int64_t *id, const char *name, int64_t case_id, int64_t base_version,
		     const char *base_fields, const char *fields);
int gt_pg_draft_list(gt_store *st, int64_t case_id, struct gt_draft **list, int *n);
int gt_pg_draft_load(gt_store *st, int64_t id, struct gt_draft *d, char **fields, char **base_fields);
int gt_pg_draft_delete(gt_store *st, int64_t id);
int gt_pg_awaiting(gt_store *st, const struct gt_export_filter *f,
		   int (*fn)(const struct gt_awaiting *a, void *arg), void *arg);
/* The call-back list (gt_store_due_cases): cases.due_on, kept by the server. */
int gt_pg_due_cases(gt_store *st, gt_date until,
		    int (*fn)(const struct gt_case_row *row, const struct gt_answer *ans, gt_date on, void *arg),
		    void *arg);
/* What the SQLite store does and this one does not (yet): says so. */
int gt_pg_unsupported(gt_store *st, const char *what);

#endif
