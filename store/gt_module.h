/* The loadable modules (issue 15's start-up cost): the PDF forms (Cairo and
 * Pango, report/gt_sheet.c, gt-pdf.so) and the PostgreSQL store (libpq,
 * store/pg/, gt-pg.so) are shared objects of our own that the program
 * dlopens when a command first needs them, so that a start that needs
 * neither maps neither those libraries nor the fifty they pull in.
 *
 * One interface: each module exports one table of function pointers (its
 * only visible symbol) whose first member is the ABI string, a digest of
 * the headers it was compiled against (gt_module_abi.h, generated). A module
 * from another build is refused with a clear error. The program keeps the
 * same function names as before (gt_pg_open, gt_sheet_write, ...): here
 * they forward to the loaded table, so the callers are unchanged. The
 * module calls back into the program's own functions (gt_fail, gt_sb_*,
 * ...), which the program exports (cmake/gt-host.dynlist).
 *
 * Where a module is read from is fixed at build time (gt_module_dir: the
 * build tree for build/guantong, the install's libdir/guantong for the
 * installed binary), never from the environment or the current directory;
 * see gt_module_load and SECURITY.md. */
#ifndef GT_MODULE_H
#define GT_MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gt_module_abi.h"
#include "gt_store_int.h"

/* The first member of every module's table, in every version to come. */
#define GT_MODULE_ABI_MAX 128
struct gt_module_head {
	char abi[GT_MODULE_ABI_MAX]; /* GT_MODULE_ABI of the build that made it */
};

/* The directory the modules are read from (absolute, set at build time). */
extern const char gt_module_dir[];

/* The table symbol of module file (in gt_module_dir), loaded once and kept;
 * NULL, with why in err (words for people), when the file is missing, is
 * not safe to load (gt_module_path_safe), does not load, or was built from
 * other sources. what names the feature that needs it, for the message. */
const void *gt_module_load(const char *file, const char *sym, const char *what, char *err, size_t errsz);

/* Whether path may be loaded into this process: absolute, and every
 * component from / down neither a symbolic link nor owned by anyone but
 * root or (without setgid) the real user, each directory writable by no
 * one else unless sticky, the file itself a regular file writable by no
 * one else. Setgid (AT_SECURE): root's only. 0, or -1 with why in err. */
int gt_module_path_safe(const char *path, bool secure, char *err, size_t errsz);

/* ---- gt-pdf.so: report/gt_sheet.c (gt_sheet.h) */
struct gt_sheet_result;
struct gt_pdf_module {
	struct gt_module_head head;
	int (*sheet_write)(gt_store *st, const char *path, const int64_t *ids, long n, bool replace,
			   struct gt_sheet_result *res, char *err, size_t errsz);
	int (*agenda_write)(gt_store *st, const char *path, const struct gt_export_filter *f, bool replace,
			    struct gt_sheet_result *res, char *err, size_t errsz);
};
#define GT_PDF_MODULE_FILE "gt-pdf.so"
#define GT_PDF_MODULE_SYM "gt_pdf_module"

/* ---- gt-pg.so: store/pg/ (gt_pg.h) */
/* X(return type, name, (parameters), (arguments)) for each gt_pg_NAME the
 * store calls once a store is open on PostgreSQL; V(...) for those that
 * return nothing. open and init, which start using the module, are apart. */
#define GT_PG_CALLS(X, V)                                                                                      \
	V(close, (gt_store * st), (st))                                                                          \
	X(int64_t, data_version, (gt_store * st), (st))                                                          \
	X(int, user_set, (gt_store * st, const char *login, int role, const char *display_name),                \
	  (st, login, role, display_name))                                                                       \
	X(int, user_list, (gt_store * st, int (*fn)(const struct gt_user *u, void *arg), void *arg), (st, fn, arg)) \
	X(int, get, (gt_store * st, int64_t id, struct gt_case_row *row), (st, id, row))                          \
	X(int, find, (gt_store * st, const char *key, int64_t *id), (st, key, id))                                \
	X(int, get_eval, (gt_store * st, int64_t eval_id, struct gt_stored_eval *ev), (st, eval_id, ev))         \
	X(int, get_decision, (gt_store * st, int64_t decision_id, struct gt_decision *d), (st, decision_id, d))  \
	X(int, history, (gt_store * st, int64_t case_id, int (*fn)(const struct gt_audit_row *a, void *arg), void *arg), \
	  (st, case_id, fn, arg))                                                                                \
	X(int, save, (gt_store * st, struct gt_case_row *row), (st, row))                                         \
	X(int, act, (gt_store * st, int64_t id, int64_t expect_version, int action, const char *note),          \
	  (st, id, expect_version, action, note))                                                                \
	X(int, mark_evidence,                                                                                    \
	  (gt_store * st, int64_t id, int64_t expect_version, uint16_t received, uint16_t verified, bool *changed), \
	  (st, id, expect_version, received, verified, changed))                                                 \
	X(int, stats, (gt_store * st, struct gt_stats *s), (st, s))                                               \
	X(int, set_evidence,                                                                                     \
	  (gt_store * st, int64_t id, int64_t expect_version, int code, bool received, bool verified, const char *note), \
	  (st, id, expect_version, code, received, verified, note))                                              \
	X(int, reevaluate_all, (gt_store * st, struct gt_reevaluate_result *res), (st, res))                      \
	X(int, eval_stale, (gt_store * st, int64_t id, bool *stale), (st, id, stale))                             \
	X(int, answer, (gt_store * st, const struct gt_case_row *row, struct gt_answer *a), (st, row, a))         \
	X(int, decision_text, (gt_store * st, int64_t decision_id, char **explanation, char ruleset[GT_RULESET_MAX]), \
	  (st, decision_id, explanation, ruleset))                                                               \
	X(int, import, (gt_store * st, FILE *in, const char *name, const struct gt_import_opts *o,               \
			struct gt_import_result *res),                                                           \
	  (st, in, name, o, res))                                                                                \
	X(int, export_begin, (gt_store * st, const struct gt_export_filter *f, long *total, void **ctx),         \
	  (st, f, total, ctx))                                                                                   \
	X(int, export_next, (gt_store * st, void *ctx, struct gt_xrow *r), (st, ctx, r))                          \
	V(export_end, (gt_store * st, void *ctx, bool commit), (st, ctx, commit))                                \
	X(int, audit_file, (gt_store * st, const char *action, const char *file, const char *format, long cases, \
			    const struct gt_export_filter *f),                                                   \
	  (st, action, file, format, cases, f))                                                                  \
	X(int, queue_fetch, (gt_store * st, const struct gt_queue_filter *f, int sort, bool desc,               \
			     const struct gt_queue_pos *after, bool backward, int n, struct gt_queue_row *rows, \
			     int *count),                                                                        \
	  (st, f, sort, desc, after, backward, n, rows, count))                                                  \
	X(int, queue_count, (gt_store * st, const struct gt_queue_filter *f, int sort, bool desc,               \
			     const struct gt_queue_pos *at, int64_t *total, int64_t *before),                    \
	  (st, f, sort, desc, at, total, before))                                                                \
	X(int, queue_search, (gt_store * st, const struct gt_queue_filter *f, int sort, const char *q,          \
			      const struct gt_queue_pos *from, bool backward, struct gt_queue_row *hit,         \
			      struct gt_queue_pos *hit_pos, bool *found),                                       \
	  (st, f, sort, q, from, backward, hit, hit_pos, found))                                                 \
	X(int, is_empty, (gt_store * st, bool *empty), (st, empty))                                               \
	X(int, draft_save, (gt_store * st, int64_t *id, const char *name, int64_t case_id, int64_t base_version, \
			    const char *base_fields, const char *fields),                                        \
	  (st, id, name, case_id, base_version, base_fields, fields))                                            \
	X(int, draft_list, (gt_store * st, int64_t case_id, struct gt_draft **list, int *n), (st, case_id, list, n)) \
	X(int, draft_load, (gt_store * st, int64_t id, struct gt_draft *d, char **fields, char **base_fields),   \
	  (st, id, d, fields, base_fields))                                                                      \
	X(int, draft_delete, (gt_store * st, int64_t id), (st, id))                                               \
	X(int, awaiting, (gt_store * st, const struct gt_export_filter *f,                                        \
			  int (*fn)(const struct gt_awaiting *a, void *arg), void *arg),                         \
	  (st, f, fn, arg))                                                                                      \
	X(int, due_cases, (gt_store * st, gt_date until,                                                         \
			   int (*fn)(const struct gt_case_row *row, const struct gt_answer *ans, gt_date on, void *arg), \
			   void *arg),                                                                           \
	  (st, until, fn, arg))                                                                                  \
	X(int, unsupported, (gt_store * st, const char *what), (st, what))

#define GT_PG_MEMBER(ret, name, params, args) ret(*name) params;
#define GT_PG_VMEMBER(name, params, args) void(*name) params;
struct gt_pg_module {
	struct gt_module_head head;
	int (*open)(gt_store **out, const char *conninfo, unsigned flags, const char *actor, char *err, size_t errsz);
	int (*init)(const char *conninfo, const char *admin, void (*say)(const char *line, void *arg), void *arg,
		    char *err, size_t errsz);
	GT_PG_CALLS(GT_PG_MEMBER, GT_PG_VMEMBER)
};
#define GT_PG_MODULE_FILE "gt-pg.so"
#define GT_PG_MODULE_SYM "gt_pg_module"

#endif
