/* guantong import: the case CSV (or an export) into the store, all rows or
 * none, in one transaction. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gt_csv.h"
#include "gt_i18n.h"
#include "gt_store_int.h"

/* Columns of an export, and of a reject file, that import reads past. */
static const char *const export_extra[GT_SUM_COUNT + GT_XCOL_COUNT + 1] = {
	"outcome", "target", "route", "basis", "unmet", "missing_evidence", "theory_exempt",
	"citation", "message", "case_id", "status", "decided_by", "decided_at", "decision_note",
	"reject_reason",
};

struct importer {
	gt_store *st;
	const struct gt_import_opts *o;
	struct gt_import_result *res;
	const char *name;
	struct gt_out *reject;
	struct gt_case_stmts cs;
	struct gt_case_row *row, *old;
	char *scratch;          /* restored cells */
	size_t scratch_size;
	char now[32];
	bool writing;           /* false once a row is invalid (without skip_invalid) */
	int nheader;            /* fields in the header row */
	char *cellbuf;          /* a neutralised cell for the reject file */
};

/* A rejected row goes to the reject file as read (cells neutralised again,
 * as export writes them, so that the file is safe in a spreadsheet and reads
 * back the same), with the reason in the reject_reason column. */
static void report(struct importer *im, const struct gt_csv_record *rec, const char *msg)
{
	im->res->invalid++;
	if (im->o->on_error)
		im->o->on_error(msg, im->o->arg);
	if (im->o->skip_invalid && im->reject) {
		int n = rec->nfields > im->nheader ? rec->nfields : im->nheader;
		for (int i = 0; i < n; i++) {
			const struct gt_span *f = &rec->fields[i];
			if (i >= rec->nfields || !f->n) {
				gt_out_field(im->reject, "", 0, i == 0);
			} else if (gt_cell_dangerous(f->p, f->n) && f->n < GT_CSV_MAX_FIELD) {
				size_t k = gt_cell_neutralise(f->p, f->n, im->cellbuf);
				gt_out_field(im->reject, im->cellbuf, k, i == 0);
			} else {
				gt_out_field(im->reject, f->p, f->n, i == 0);
			}
		}
		gt_out_field(im->reject, msg, strlen(msg), n == 0);
		gt_out_end(im->reject);
	} else if (!im->o->skip_invalid) {
		im->writing = false;
	}
}

/* Undoes export's formula neutralisation, cell by cell (into scratch). */
static int restore_cells(struct importer *im, struct gt_csv_record *rec)
{
	size_t need = 0;
	for (int i = 0; i < rec->nfields; i++)
		if (rec->fields[i].n && rec->fields[i].p[0] == '\'')
			need += rec->fields[i].n;
	if (!need)
		return 0;
	if (need > im->scratch_size) {
		char *p = realloc(im->scratch, need);
		if (!p)
			return -1;
		im->scratch = p;
		im->scratch_size = need;
	}
	char *out = im->scratch;
	for (int i = 0; i < rec->nfields; i++) {
		struct gt_span *f = &rec->fields[i];
		if (!f->n || f->p[0] != '\'')
			continue;
		size_t n = gt_cell_restore(f->p, f->n, out);
		f->p = out;
		f->n = n;
		out += n;
	}
	return 0;
}

/* The stored applicant (*aid, 0 when none) and their case in the row's
 * region and direction (*id, 0 when none). */
static int find_existing(struct importer *im, const struct gt_case *c, int64_t *aid, int64_t *id)
{
	sqlite3_stmt *s = im->cs.find_applicant;
	sqlite3_bind_text(s, 1, c->id_number, -1, SQLITE_STATIC);
	int step = sqlite3_step(s);
	*aid = step == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	*id = 0;
	sqlite3_reset(s);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return gt_fail_sql(im->st, _("finding the applicant"));
	if (!*aid)
		return GT_OK;
	s = im->cs.find_case;
	sqlite3_bind_int64(s, 1, *aid);
	sqlite3_bind_text(s, 2, gt_code_of(&gt_regions, c->region), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, gt_code_of(&gt_directions, c->direction), -1, SQLITE_STATIC);
	step = sqlite3_step(s);
	*id = step == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return gt_fail_sql(im->st, _("finding the case"));
	return GT_OK;
}

static int store_row(struct importer *im, const struct gt_csv_record *rec)
{
	gt_store *st = im->st;
	struct gt_case_row *row = im->row, *old = im->old;
	int64_t aid, id;
	int rc = find_existing(im, &row->c, &aid, &id);
	if (rc)
		return rc;
	if (!id) {
		row->id = 0;
		row->status = GT_ST_SUBMITTED;
		memset(row->evidence, 0, sizeof row->evidence);
		rc = gt_write_case(st, &im->cs, row, NULL, aid, im->now, "case.import");
		if (!rc)
			im->res->inserted++;
		return rc;
	}
	if ((rc = gt_load_case(st, id, old)))
		return rc;
	/* The new data over the stored case: evidence details are kept for the
	 * documents still listed; the workflow fields are the stored ones. */
	struct gt_case c = row->c;
	*row = *old;
	row->c = c;
	for (int e = 0; e < GT_EV_COUNT; e++) {
		struct gt_evidence_item *it = &row->evidence[e];
		if ((c.evidence & (1u << e)) && !it->verified) {
			it->received = it->verified = true;
			gt_copy(it->received_by, sizeof it->received_by, it->received_by[0] ? it->received_by : st->actor);
			gt_copy(it->received_at, sizeof it->received_at, it->received_at[0] ? it->received_at : im->now);
			gt_copy(it->verified_by, sizeof it->verified_by, st->actor);
			gt_copy(it->verified_at, sizeof it->verified_at, im->now);
		} else if (!(c.evidence & (1u << e)) && it->verified) {
			it->verified = false;
			it->verified_by[0] = it->verified_at[0] = '\0';
		}
	}
	if (!gt_case_differs(row, old)) {
		im->res->unchanged++;
		return GT_OK;
	}
	if (old->status == GT_ST_APPROVED || old->status == GT_ST_REJECTED) {
		char msg[512];
		snprintf(msg, sizeof msg, _("line %ld: case %lld is %s; import does not change a decided case "
					    "(an administrator can reopen it)"),
			 rec->line, (long long)id, gt_status_name(old->status));
		im->res->refused++;
		report(im, rec, msg);
		return GT_OK;
	}
	rc = gt_write_case(st, &im->cs, row, old, -1, im->now, "case.import");
	if (!rc)
		im->res->updated++;
	return rc;
}

static void csv_error_message(const struct gt_header *h, const struct gt_csv_record *rec, char *msg,
			      size_t size)
{
	const char *col = NULL;
	for (int k = 0; k < GT_COL_COUNT && !col; k++)
		if (h->pos[k] == rec->err_field)
			col = gt_column_names[k];
	if (col)
		snprintf(msg, size, _("line %ld, column %s: %s"), rec->err_line, col,
			 _(gt_csv_strerror(rec->error)));
	else
		snprintf(msg, size, _("line %ld, field %d: %s"), rec->err_line, rec->err_field + 1,
			 _(gt_csv_strerror(rec->error)));
}

int gt_store_import(gt_store *st, FILE *in, const char *name, const struct gt_import_opts *o,
		    struct gt_import_result *res)
{
	memset(res, 0, sizeof *res);
	if (st->role < GT_USER_CLERK)
		return gt_fail(st, GT_ERR_DENIED,
			       _("%s is not a user of this database; an administrator can add you with "
				 "\"guantong user add %s --role clerk\""), st->actor, st->actor);
	struct importer im = { .st = st, .o = o, .res = res, .name = name, .writing = true };
	gt_csv *r = gt_csv_new(in);
	struct gt_csv_record *rec = malloc(sizeof *rec);
	im.row = malloc(sizeof *im.row);
	im.old = malloc(sizeof *im.old);
	if (o->skip_invalid && o->reject) {
		im.reject = malloc(sizeof *im.reject);
		im.cellbuf = malloc(GT_CSV_MAX_FIELD + 1);
	}
	int rc = GT_OK;
	bool in_tx = false;
	if (!r || !rec || !im.row || !im.old || (o->skip_invalid && o->reject && (!im.reject || !im.cellbuf))) {
		rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
		goto out;
	}
	if (im.reject)
		gt_out_init(im.reject, o->reject);

	char msg[1024];
	struct gt_header h;
	int step = gt_csv_next(r, rec);
	if (step < 0) {
		rc = gt_fail(st, GT_ERR, "%s: %s", name, strerror(errno));
		goto out;
	}
	if (step == 0) {
		rc = gt_fail(st, GT_ERR_INVALID, _("%s: the file is empty; expected a header row"), name);
		goto out;
	}
	if (rec->error != GT_CSV_OK) {
		rc = gt_fail(st, GT_ERR_INVALID, _("%s: line %ld, column %d: %s"), name, rec->err_line,
			     rec->err_field + 1, _(gt_csv_strerror(rec->error)));
		goto out;
	}
	if (gt_header_parse(&h, rec->fields, rec->nfields, export_extra,
			    (int)(sizeof export_extra / sizeof export_extra[0]), msg, sizeof msg) < 0) {
		rc = gt_fail(st, GT_ERR_INVALID, "%s: %s", name, msg);
		goto out;
	}
	im.nheader = rec->nfields;
	if (im.reject) {
		for (int i = 0; i < rec->nfields; i++)
			gt_out_field(im.reject, rec->fields[i].p, rec->fields[i].n, i == 0);
		gt_out_field(im.reject, "reject_reason", 13, rec->nfields == 0);
		gt_out_end(im.reject);
	}
	gt_date as_of = o->as_of == GT_DATE_NONE ? gt_date_today() : o->as_of;

	if ((rc = gt_begin(st)))
		goto out;
	in_tx = true;
	gt_now(im.now);
	if ((rc = gt_case_stmts_prepare(st, &im.cs)))
		goto out;

	while ((step = gt_csv_next(r, rec)) == 1) {
		res->rows++;
		if (o->progress && res->rows % 10000 == 0)
			o->progress(res->rows, o->arg);
		if (rec->error != GT_CSV_OK) {
			csv_error_message(&h, rec, msg, sizeof msg);
			report(&im, rec, msg);
			continue;
		}
		if (restore_cells(&im, rec) < 0) {
			rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
			goto out;
		}
		struct gt_row_error err;
		if (gt_case_parse(&im.row->c, &h, rec->fields, rec->nfields, as_of, &err) < 0) {
			gt_row_error_format(&err, rec->line, msg, sizeof msg);
			report(&im, rec, msg);
			continue;
		}
		if (!im.writing)
			continue; /* only validating now: nothing will be written */
		if ((rc = store_row(&im, rec)))
			goto out;
	}
	if (step < 0) {
		rc = gt_fail(st, GT_ERR, "%s: %s", name, strerror(errno));
		goto out;
	}
	if (o->progress)
		o->progress(res->rows, o->arg);
	if (res->rows == 0) {
		rc = gt_fail(st, GT_ERR_INVALID, _("%s: the file has a header but no rows; nothing was imported"),
			     name);
		goto out;
	}
	if (!im.writing) {
		rc = gt_fail(st, GT_ERR_INVALID,
			     ngettext("%s: %ld row is invalid; nothing was imported",
				      "%s: %ld rows are invalid; nothing was imported", (unsigned long)res->invalid),
			     name, res->invalid);
		goto out;
	}
	if (im.reject && gt_out_flush(im.reject) != 0) {
		rc = gt_fail(st, GT_ERR, _("writing the reject file: %s"), strerror(im.reject->err));
		goto out;
	}
	gt_case_stmts_finalize(&im.cs);
	in_tx = false;
	rc = gt_commit(st);
out:
	gt_case_stmts_finalize(&im.cs);
	if (in_tx)
		gt_rollback(st);
	if (rc) /* what was counted as written was rolled back */
		res->inserted = res->updated = 0;
	gt_csv_free(&r);
	free(rec);
	free(im.row);
	free(im.old);
	free(im.reject);
	free(im.cellbuf);
	free(im.scratch);
	return rc;
}
