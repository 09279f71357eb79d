/* Intake drafts: the user's own work in progress, several per user, each
 * named and numbered; for an edit, the case as it was when the draft began.
 * Not audited until the case is saved. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "gt_i18n.h"
#include "gt_pg.h"
#include "gt_store_int.h"

/* The user's next draft number. */
static int64_t next_id(gt_store *st)
{
	sqlite3_stmt *s = gt_prepare(st, "SELECT coalesce(max(id), 0) + 1 FROM drafts WHERE owner = ?");
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, st->actor, -1, SQLITE_STATIC);
	int64_t id = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
	sqlite3_finalize(s);
	return id;
}

int gt_store_draft_save(gt_store *st, int64_t *id, const char *name, int64_t case_id, int64_t base_version,
			const char *base_fields, const char *fields)
{
	if (st->pg)
		return gt_pg_draft_save(st, id, name, case_id, base_version, base_fields, fields);
	char now[32];
	gt_now(now);
	bool insert = *id == 0;
	int64_t the_id = *id;
	if (insert && (the_id = next_id(st)) < 0)
		return gt_fail_sql(st, _("saving the draft"));
	sqlite3_stmt *s = gt_prepare(st, insert
		? "INSERT INTO drafts (owner, name, case_id, base_version, base_fields, updated_at, fields, id) "
		  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
		: "UPDATE drafts SET name = ?2, case_id = ?3, base_version = ?4, base_fields = ?5, "
		  "updated_at = ?6, fields = ?7 WHERE owner = ?1 AND id = ?8");
	if (!s)
		return GT_ERR;
	sqlite3_bind_text(s, 1, st->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, name ? name : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, case_id);
	sqlite3_bind_int64(s, 4, base_version);
	sqlite3_bind_text(s, 5, base_fields ? base_fields : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, fields, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 8, the_id);
	int rc = sqlite3_step(s) == SQLITE_DONE ? GT_OK : gt_fail_sql(st, _("saving the draft"));
	bool gone = rc == GT_OK && !insert && sqlite3_changes(st->db) == 0;
	sqlite3_finalize(s);
	if (gone) {
		/* Deleted meanwhile (the case saved from another session): kept
		 * as a new draft, since the clerk is still typing. */
		*id = 0;
		return gt_store_draft_save(st, id, name, case_id, base_version, base_fields, fields);
	}
	if (rc == GT_OK)
		*id = the_id;
	return rc;
}

static void draft_of_row(sqlite3_stmt *s, struct gt_draft *d)
{
	d->id = sqlite3_column_int64(s, 0);
	gt_copy(d->name, sizeof d->name, gt_col_text(s, 1));
	d->case_id = sqlite3_column_int64(s, 2);
	d->base_version = sqlite3_column_int64(s, 3);
	gt_copy(d->updated_at, sizeof d->updated_at, gt_col_text(s, 4));
}

int gt_store_draft_list(gt_store *st, int64_t case_id, struct gt_draft **list, int *n)
{
	if (st->pg)
		return gt_pg_draft_list(st, case_id, list, n);
	*list = NULL;
	*n = 0;
	sqlite3_stmt *s = gt_prepare(st, "SELECT id, name, case_id, base_version, updated_at FROM drafts "
				     "WHERE owner = ? AND (? < 0 OR case_id = ?) ORDER BY updated_at DESC, id DESC");
	if (!s)
		return GT_ERR;
	sqlite3_bind_text(s, 1, st->actor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, case_id);
	sqlite3_bind_int64(s, 3, case_id);
	int rc = GT_OK, cap = 0, step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			struct gt_draft *l = realloc(*list, sizeof *l * (size_t)cap);
			if (!l) {
				rc = gt_fail(st, GT_ERR, "out of memory");
				break;
			}
			*list = l;
		}
		draft_of_row(s, &(*list)[(*n)++]);
	}
	if (rc == GT_OK && step != SQLITE_DONE)
		rc = gt_fail_sql(st, _("reading the drafts"));
	sqlite3_finalize(s);
	if (rc != GT_OK) {
		free(*list);
		*list = NULL;
		*n = 0;
	}
	return rc;
}

int gt_store_draft_load(gt_store *st, int64_t id, struct gt_draft *d, char **fields, char **base_fields)
{
	if (st->pg)
		return gt_pg_draft_load(st, id, d, fields, base_fields);
	*fields = NULL;
	*base_fields = NULL;
	sqlite3_stmt *s = gt_prepare(st, "SELECT id, name, case_id, base_version, updated_at, fields, base_fields "
				     "FROM drafts WHERE owner = ? AND id = ?");
	if (!s)
		return GT_ERR;
	sqlite3_bind_text(s, 1, st->actor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, id);
	int rc = GT_OK;
	int step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		draft_of_row(s, d);
		*fields = strdup(gt_col_text(s, 5));
		*base_fields = strdup(gt_col_text(s, 6));
		if (!*fields || !*base_fields) {
			free(*fields);
			free(*base_fields);
			*fields = *base_fields = NULL;
			rc = gt_fail(st, GT_ERR, "out of memory");
		}
	} else if (step != SQLITE_DONE) {
		rc = gt_fail_sql(st, _("reading the draft"));
	}
	sqlite3_finalize(s);
	return rc;
}

int gt_store_draft_delete(gt_store *st, int64_t id)
{
	if (st->pg)
		return gt_pg_draft_delete(st, id);
	sqlite3_stmt *s = gt_prepare(st, "DELETE FROM drafts WHERE owner = ? AND id = ?");
	if (!s)
		return GT_ERR;
	sqlite3_bind_text(s, 1, st->actor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, id);
	int rc = sqlite3_step(s) == SQLITE_DONE ? GT_OK : gt_fail_sql(st, _("deleting the draft"));
	sqlite3_finalize(s);
	return rc;
}
