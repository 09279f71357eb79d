/* The case store on PostgreSQL: import (COPY into a temporary table, then
 * the server's import_run) and export (CSV, streamed row by row). */
#include <errno.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gt_csv.h"
#include "gt_i18n.h"
#include "gt_pg.h"
#include "gt_pg_int.h"
#include "gt_time.h"

/* ---- COPY text format */

/* Appends s to sb as COPY's text format wants a column: backslash, tab,
 * newline and carriage return escaped. */
static void copy_text(struct gt_sb *sb, const char *s, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		const char *e = c == '\\' ? "\\\\" : c == '\t' ? "\\t" : c == '\n' ? "\\n" : c == '\r' ? "\\r" : NULL;
		if (!e)
			continue;
		if (i > run)
			gt_sb_addf(sb, "%.*s", (int)(i - run), s + run);
		gt_sb_add(sb, e);
		run = i + 1;
	}
	if (n > run)
		gt_sb_addf(sb, "%.*s", (int)(n - run), s + run);
}

/* The case's fields as an array literal ({"a","b"}), escaped for COPY. */
static void copy_array(struct gt_sb *sb, const struct gt_case *c)
{
	char cell[1024], lit[2100];
	gt_sb_add(sb, "{");
	for (int i = 0; i < GT_COL_COUNT; i++) {
		size_t n = gt_case_field(c, i, cell, sizeof cell), k = 0;
		lit[k++] = '"';
		for (size_t j = 0; j < n && k < sizeof lit - 3; j++) {
			if (cell[j] == '"' || cell[j] == '\\')
				lit[k++] = '\\';
			lit[k++] = cell[j];
		}
		lit[k++] = '"';
		if (i)
			gt_sb_add(sb, ",");
		copy_text(sb, lit, k);
	}
	gt_sb_add(sb, "}");
}

/* ---- import */

static const char *extra_columns[GT_SUM_COUNT + GT_XCOL_COUNT + 1];

static void extra_init(void)
{
	for (int i = 0; i < GT_SUM_COUNT; i++)
		extra_columns[i] = gt_summary_names[i];
	for (int i = 0; i < GT_XCOL_COUNT; i++)
		extra_columns[GT_SUM_COUNT + i] = gt_export_store_columns[i];
	extra_columns[GT_SUM_COUNT + GT_XCOL_COUNT] = "reject_reason";
}

/* The file's size and SHA-256 (a regular file; -1 and "" otherwise), read
 * through its descriptor without moving the stream. */
static void fingerprint(FILE *in, char hex[65], char size[24])
{
	hex[0] = '\0';
	snprintf(size, 24, "-1");
	int fd = fileno(in);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
		return;
	struct sha256_ctx ctx;
	sha256_init(&ctx);
	unsigned char *buf = malloc(1 << 17);
	off_t off = 0;
	ssize_t n;
	while (buf && (n = pread(fd, buf, 1 << 17, off)) > 0) {
		sha256_update(&ctx, (size_t)n, buf);
		off += n;
	}
	free(buf);
	unsigned char d[SHA256_DIGEST_SIZE];
	sha256_digest(&ctx, sizeof d, d);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	snprintf(size, 24, "%lld", (long long)off);
}

struct pg_import {
	gt_store *st;
	const struct gt_import_opts *o;
	struct gt_import_result *res;
	const char *name;
	struct gt_out *reject;
	struct gt_sb buf;       /* COPY data not sent yet */
	struct gt_case_prepared *p;
	struct gt_case c;
	int nheader;            /* columns of the header row */
	PGresult *decided_res;
	const char **decided;   /* "id_number\x1fregion\x1fdirection" of the decided cases, sorted */
	size_t ndecided;
	struct held *held;      /* rows whose report waits for the server (see hold_row) */
	size_t nheld, cap_held;
	bool holding;           /* a row that may be refused was held: later reports wait too */
	long ncandidates;
};

/* A row as read (cells not restored) and, when it is invalid, why; NULL msg:
 * a row that would change a decided case when it differs from it. */
struct held {
	long line;
	int nfields;
	char *msg;
	size_t *len;            /* nfields lengths, then the cells' bytes */
};

/* A rejected row goes to the reject file as read, padded to the header's
 * columns, with the reason in the reject_reason column (as SQLite's). */
static void reject_cells(struct pg_import *im, int nfields, const size_t *len, const char *const *cell,
			 const char *msg)
{
	im->res->invalid++;
	if (im->o->on_error)
		im->o->on_error(msg, im->o->arg);
	if (!im->reject)
		return;
	int n = nfields > im->nheader ? nfields : im->nheader;
	for (int i = 0; i < n; i++)
		gt_out_cell(im->reject, i < nfields ? cell[i] : "", i < nfields ? len[i] : 0, i == 0);
	gt_out_cell(im->reject, msg, strlen(msg), n == 0);
	gt_out_end(im->reject);
}

static int hold_row(struct pg_import *im, const struct gt_csv_record *rec, const char *msg)
{
	if (im->nheld == im->cap_held) {
		size_t cap = im->cap_held ? 2 * im->cap_held : 64;
		struct held *h = realloc(im->held, cap * sizeof *h);
		if (!h)
			return gt_fail(im->st, GT_ERR, "%s", strerror(ENOMEM));
		im->held = h;
		im->cap_held = cap;
	}
	size_t need = (size_t)rec->nfields * sizeof(size_t);
	for (int i = 0; i < rec->nfields; i++)
		need += rec->fields[i].n;
	struct held *h = &im->held[im->nheld];
	h->line = rec->line;
	h->nfields = rec->nfields;
	h->len = malloc(need ? need : 1);
	h->msg = msg ? strdup(msg) : NULL;
	if (!h->len || (msg && !h->msg)) {
		free(h->len);
		free(h->msg);
		return gt_fail(im->st, GT_ERR, "%s", strerror(ENOMEM));
	}
	char *d = (char *)(h->len + rec->nfields);
	for (int i = 0; i < rec->nfields; i++) {
		h->len[i] = rec->fields[i].n;
		memcpy(d, rec->fields[i].p, rec->fields[i].n);
		d += rec->fields[i].n;
	}
	im->nheld++;
	im->holding = true;
	return GT_OK;
}

static void held_report(struct pg_import *im, const struct held *h, const char *msg)
{
	const char *cell[GT_CSV_MAX_FIELDS];
	const char *d = (const char *)(h->len + h->nfields);
	for (int i = 0; i < h->nfields; i++) {
		cell[i] = d;
		d += h->len[i];
	}
	reject_cells(im, h->nfields, h->len, cell, msg);
}

/* An invalid row: reported now, or kept in line order behind a held row. */
static int reject_row(struct pg_import *im, const struct gt_csv_record *rec, const char *msg)
{
	if (im->holding)
		return hold_row(im, rec, msg);
	const char *cell[GT_CSV_MAX_FIELDS];
	size_t len[GT_CSV_MAX_FIELDS];
	for (int i = 0; i < rec->nfields; i++) {
		cell[i] = rec->fields[i].p;
		len[i] = rec->fields[i].n;
	}
	reject_cells(im, rec->nfields, len, cell, msg);
	return GT_OK;
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The keys of the decided cases, which an import row may not change: the
 * rows given for them are kept (hold_row) until the server says which of
 * them differ from the stored case. */
static int decided_load(struct pg_import *im)
{
	PGresult *res = gt_pg_exec(im->st, "SELECT id_number || chr(31) || region || chr(31) || direction "
				   "FROM guantong.cases WHERE status IN ('approved', 'rejected', 'void')",
				   0, NULL, _("importing"));
	if (!res)
		return gt_pg_rc(im->st);
	im->decided_res = res;
	int n = PQntuples(res);
	im->decided = malloc(n ? (size_t)n * sizeof *im->decided : 1);
	if (!im->decided)
		return gt_fail(im->st, GT_ERR, "%s", strerror(ENOMEM));
	for (int i = 0; i < n; i++)
		im->decided[i] = PQgetvalue(res, i, 0);
	im->ndecided = (size_t)n;
	qsort(im->decided, im->ndecided, sizeof *im->decided, key_cmp);
	return GT_OK;
}

static bool decided_has(const struct pg_import *im, const struct gt_case *c)
{
	if (!im->ndecided)
		return false;
	char key[3 * 256 + 3];
	size_t n = 0;
	int cols[] = { GT_COL_ID_NUMBER, GT_COL_REGION, GT_COL_DIRECTION };
	for (int i = 0; i < 3; i++) {
		if (i)
			key[n++] = '\x1f';
		n += gt_case_field(c, cols[i], key + n, 256);
	}
	key[n] = '\0';
	const char *k = key;
	return bsearch(&k, im->decided, im->ndecided, sizeof *im->decided, key_cmp) != NULL;
}

/* The held rows reported in line order, in the same transaction after the
 * COPY: those the server's import_run will refuse (a decided case they would
 * change) as SQLite reports them, invalid; without --skip-invalid only the
 * first (SQLite checks no row after an invalid one). A held row the query
 * does not name was given for a case that is the same, or no longer decided. */
static int held_resolve(struct pg_import *im)
{
	PGresult *res = NULL;
	int rc = GT_OK, nref = 0, r = 0;
	if (im->ncandidates) {
		char sql[512];
		snprintf(sql, sizeof sql,
			 "SELECT i.line, c.id, c.status FROM pg_temp.gt_import i JOIN guantong.cases c "
			 "ON c.id_number = i.fields[%d] AND c.region = i.fields[%d] AND c.direction = i.fields[%d] "
			 "WHERE c.status IN ('approved', 'rejected', 'void') AND c.fields <> i.fields ORDER BY i.line",
			 GT_COL_ID_NUMBER + 1, GT_COL_REGION + 1, GT_COL_DIRECTION + 1);
		if (!(res = gt_pg_exec(im->st, sql, 0, NULL, _("importing"))))
			return gt_pg_rc(im->st);
		nref = PQntuples(res);
	}
	bool stop = false;
	for (size_t i = 0; i < im->nheld; i++) {
		struct held *h = &im->held[i];
		if (h->msg) {
			held_report(im, h, h->msg);
			stop = !im->o->skip_invalid;
			continue;
		}
		while (r < nref && gt_pg_int(res, r, 0) < h->line)
			r++;
		if (r == nref || gt_pg_int(res, r, 0) != h->line || stop)
			continue;
		char msg[512];
		snprintf(msg, sizeof msg, _("line %ld: case %lld is %s; import does not change a decided case "
					    "(an administrator can reopen it)"),
			 h->line, (long long)gt_pg_int(res, r, 1), gt_status_name(gt_status_parse(PQgetvalue(res, r, 2))));
		im->res->refused++;
		held_report(im, h, msg);
		stop = !im->o->skip_invalid;
	}
	/* A row the query names that was not held: its case was decided after
	 * the keys were read. */
	for (int k = 0; k < nref && !rc; k++) {
		struct held key = { .line = gt_pg_int(res, k, 0) };
		size_t lo = 0, hi = im->nheld;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (im->held[mid].line < key.line)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == im->nheld || im->held[lo].line != key.line || im->held[lo].msg)
			rc = gt_fail(im->st, GT_ERR_CONFLICT, _("%s: a case was decided or reopened while the file was "
							     "imported; nothing was imported (import it again)"),
				     im->name);
	}
	PQclear(res);
	return rc;
}

static int send_copy(struct pg_import *im, bool all)
{
	if (!all && im->buf.len < (1u << 16))
		return GT_OK;
	if (im->buf.truncated)
		return gt_fail(im->st, GT_ERR, "%s", strerror(ENOMEM));
	if (im->buf.len && PQputCopyData(im->st->pg->conn, im->buf.p, (int)im->buf.len) != 1)
		return gt_fail(im->st, GT_ERR, _("%s: %s"), _("importing"), PQerrorMessage(im->st->pg->conn));
	im->buf.len = 0;
	im->buf.p[0] = '\0';
	return GT_OK;
}

static int copy_row(struct pg_import *im, long line)
{
	char pinyin[4 * GT_TEXT_MAX_BYTES];
	int rc = gt_pg_pinyin(im->st, im->c.name, pinyin, sizeof pinyin);
	if (rc)
		return rc;
	gt_case_prepare(&im->c, -1, im->p);
	gt_sb_addf(&im->buf, "%ld\t", line);
	copy_array(&im->buf, &im->c);
	gt_sb_add(&im->buf, "\t");
	char ev[4096];
	struct gt_sb e = gt_sb_make(ev, sizeof ev);
	gt_pg_eval_json(im->p, im->c.direction, pinyin, &e);
	copy_text(&im->buf, ev, e.len);
	gt_sb_add(&im->buf, "\n");
	return send_copy(im, false);
}

int gt_pg_import(gt_store *st, FILE *in, const char *name, const struct gt_import_opts *o,
		 struct gt_import_result *res)
{
	memset(res, 0, sizeof *res);
	if (st->role < GT_USER_CLERK)
		return gt_fail(st, GT_ERR_DENIED,
			       _("%s is not a user of this database; an administrator can add you with "
				 "\"guantong user add %s --role clerk\""), st->actor, st->actor);
	if (!extra_columns[0])
		extra_init();
	struct pg_import im = { .st = st, .o = o, .res = res, .name = name, .buf = gt_sb_heap() };
	gt_csv *r = gt_csv_new(in);
	struct gt_csv_record *rec = malloc(sizeof *rec);
	im.p = malloc(sizeof *im.p);
	struct gt_file **rfile = o->skip_invalid && o->reject_file && *o->reject_file ? o->reject_file : NULL;
	FILE *rstream = rfile ? gt_file_stream(*rfile) : o->skip_invalid ? o->reject : NULL;
	if (rstream)
		im.reject = malloc(sizeof *im.reject);
	int rc = GT_OK;
	bool in_tx = false, copying = false;
	if (!r || !rec || !im.p || (rstream && !im.reject)) {
		rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
		goto out;
	}
	if (im.reject)
		gt_out_init(im.reject, rstream);
	if (gt_csv_set_encoding(r, o->encoding) < 0) {
		rc = gt_fail(st, GT_ERR, "%s: %s: %s", name, o->encoding, strerror(errno));
		goto out;
	}
	int step = gt_csv_next(r, rec);
	if (step <= 0) {
		rc = step < 0 ? gt_fail(st, GT_ERR, "%s: %s", name, strerror(errno))
			      : gt_fail(st, GT_ERR_INVALID, _("%s: the file is empty; expected a header row"), name);
		goto out;
	}
	if (rec->error == GT_CSV_BAD_UTF8)
		res->not_utf8 = true;
	if (rec->error != GT_CSV_OK) {
		rc = gt_fail(st, GT_ERR_INVALID, _("%s: line %ld, column %d: %s"), name, rec->err_line,
			     rec->err_field + 1, _(gt_csv_strerror(rec->error)));
		goto out;
	}
	struct gt_header h;
	char msg[1024];
	if (gt_header_parse(&h, rec->fields, rec->nfields, extra_columns,
			    (int)(sizeof extra_columns / sizeof extra_columns[0]), msg, sizeof msg) < 0) {
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
	char sha[65], size[24];
	fingerprint(in, sha, size);
	const char *what = _("importing");
	if ((rc = gt_pg_run(st, "BEGIN", 0, NULL, what)))
		goto out;
	in_tx = true;
	if ((rc = decided_load(&im)))
		goto out;
	if ((rc = gt_pg_run(st, "CREATE TEMP TABLE gt_import (line bigint, fields text[], eval jsonb) "
			    "ON COMMIT DROP", 0, NULL, what)) ||
	    (rc = gt_pg_run(st, "GRANT SELECT ON pg_temp.gt_import TO guantong_owner", 0, NULL, what)))
		goto out;
	PGresult *cres = PQexec(st->pg->conn, "COPY pg_temp.gt_import (line, fields, eval) FROM STDIN");
	if (PQresultStatus(cres) != PGRES_COPY_IN) {
		rc = gt_pg_fail(st, cres, what);
		goto out;
	}
	PQclear(cres);
	copying = true;
	gt_date as_of = o->as_of == GT_DATE_NONE ? gt_date_today() : o->as_of;
	char *restored = NULL;
	size_t restored_size = 0;
	long bad = 0; /* invalid rows read */
	while ((step = gt_csv_next(r, rec)) > 0) {
		res->rows++;
		if (o->progress && res->rows % 10000 == 0)
			o->progress(res->rows, o->arg);
		if (rec->error != GT_CSV_OK) {
			if (rec->error == GT_CSV_BAD_UTF8)
				res->not_utf8 = true;
			snprintf(msg, sizeof msg, _("line %ld, column %d: %s"), rec->err_line, rec->err_field + 1,
				 _(gt_csv_strerror(rec->error)));
			bad++;
			if ((rc = reject_row(&im, rec, msg)))
				break;
			continue;
		}
		/* An export's neutralised formula cells read back as they were. */
		size_t need = 1;
		for (int i = 0; i < rec->nfields; i++)
			need += rec->fields[i].n;
		if (need > restored_size) {
			char *np = realloc(restored, need);
			if (!np) {
				rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
				break;
			}
			restored = np;
			restored_size = need;
		}
		struct gt_span f[GT_CSV_MAX_FIELDS];
		char *outp = restored;
		for (int i = 0; i < rec->nfields; i++) {
			size_t n = rec->fields[i].n;
			if (n && memchr(rec->fields[i].p, '\'', n))
				n = gt_cell_restore(rec->fields[i].p, n, outp);
			else if (n)
				memcpy(outp, rec->fields[i].p, n);
			f[i].p = outp;
			f[i].n = n;
			outp += n;
		}
		struct gt_row_error err;
		if (gt_case_parse(&im.c, &h, f, rec->nfields, as_of, &err) < 0) {
			gt_row_error_format(&err, rec->line, msg, sizeof msg);
			bad++;
			if ((rc = reject_row(&im, rec, msg)))
				break;
			continue;
		}
		if (bad && !o->skip_invalid)
			continue;
		if (decided_has(&im, &im.c)) {
			im.ncandidates++;
			if ((rc = hold_row(&im, rec, NULL)))
				break;
		}
		if ((rc = copy_row(&im, rec->line)))
			break;
	}
	free(restored);
	if (!rc && step < 0)
		rc = gt_fail(st, GT_ERR, "%s: %s", name, strerror(errno));
	if (!rc)
		rc = send_copy(&im, true);
	copying = false;
	if (PQputCopyEnd(st->pg->conn, rc ? "import stopped" : NULL) != 1 && !rc)
		rc = gt_fail(st, GT_ERR, _("%s: %s"), what, PQerrorMessage(st->pg->conn));
	PGresult *end;
	while ((end = PQgetResult(st->pg->conn))) {
		if (PQresultStatus(end) != PGRES_COMMAND_OK && !rc)
			rc = gt_pg_fail(st, end, what);
		else
			PQclear(end);
	}
	if (rc || (rc = held_resolve(&im)))
		goto out;
	if (res->invalid && !o->skip_invalid) {
		rc = gt_fail(st, GT_ERR_INVALID,
			     gt_ngettext("%s: %ld row is invalid; nothing was imported",
				      "%s: %ld rows are invalid; nothing was imported", (unsigned long)res->invalid),
			     name, res->invalid);
		goto out;
	}
	/* Its statistics, for the plans of import_run's joins (only the
	 * table's owner may take them). */
	if ((rc = gt_pg_run(st, "ANALYZE pg_temp.gt_import", 0, NULL, what)))
		goto out;
	/* The client's reading of the file, for the audit row (as SQLite's). */
	struct gt_sb meta = gt_sb_heap();
	char d[11];
	gt_date_format(as_of, d);
	gt_sb_add(&meta, "{\"encoding\":");
	gt_json_str(&meta, o->encoding ? o->encoding : "utf-8");
	gt_sb_addf(&meta, ",\"as_of\":\"%s\",\"ruleset\":", d);
	gt_json_str(&meta, gt_store_ruleset());
	gt_sb_addf(&meta, ",\"rows\":%ld,\"invalid\":%ld}", res->rows, res->invalid);
	if (meta.truncated) {
		gt_sb_free(&meta);
		rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
		goto out;
	}
	const char *v[] = { name, size, sha[0] ? sha : NULL, meta.p };
	PGresult *run = gt_pg_exec(st, "SELECT inserted, updated, unchanged, refused FROM guantong.import_run($1, "
				   "$2::bigint, $3, $4::jsonb)", 4, v, what);
	gt_sb_free(&meta);
	if (!run) {
		rc = gt_pg_rc(st);
		goto out;
	}
	res->inserted = (long)gt_pg_int(run, 0, 0);
	res->updated = (long)gt_pg_int(run, 0, 1);
	res->unchanged = (long)gt_pg_int(run, 0, 2);
	long refused = (long)gt_pg_int(run, 0, 3);
	PQclear(run);
	/* The server refuses by itself what it refuses; the reports above
	 * named the same rows unless a case was decided or reopened since. */
	if (refused != res->refused) {
		rc = gt_fail(st, GT_ERR_CONFLICT, _("%s: a case was decided or reopened while the file was "
						   "imported; nothing was imported (import it again)"),
			     name);
		goto out;
	}
	/* The reject file is written and named before the cases commit, and
	 * after import_run: an import that fails there (a case decided
	 * meanwhile) leaves no reject file behind. */
	if (rfile) {
		/* What failed, in SQLite's words (store/gt_import.c). */
		if ((rc = gt_import_reject_flush(st, im.reject, gt_file_target(*rfile))))
			goto out;
		if (res->invalid) {
			char ferr[1024];
			int frc = gt_file_commit(rfile, ferr, sizeof ferr);
			if (frc != GT_FILE_OK) {
				rc = gt_fail(st, frc == GT_FILE_EXISTS ? GT_ERR_EXISTS : GT_ERR, _("%s; nothing was imported"),
					     ferr);
				goto out;
			}
		} else {
			gt_file_abort(rfile);
		}
	} else if (im.reject) {
		gt_out_flush(im.reject);
	}
	rc = gt_pg_run(st, "COMMIT", 0, NULL, what);
	in_tx = false;
out:
	if (copying) {
		PQputCopyEnd(st->pg->conn, "import stopped");
		PGresult *x;
		while ((x = PQgetResult(st->pg->conn)))
			PQclear(x);
	}
	if (in_tx)
		PQclear(PQexec(st->pg->conn, "ROLLBACK"));
	if (rc && rfile && *rfile)
		gt_file_abort(rfile);
	gt_csv_free(&r);
	free(rec);
	free(im.p);
	free(im.reject);
	gt_sb_free(&im.buf);
	free(im.decided);
	PQclear(im.decided_res);
	for (size_t i = 0; i < im.nheld; i++) {
		free(im.held[i].len);
		free(im.held[i].msg);
	}
	free(im.held);
	return rc;
}

/* ---- export */

static const char *export_select(void)
{
	static char sql[4096];
	if (sql[0])
		return sql;
	struct gt_sb sb = gt_sb_make(sql, sizeof sql);
	gt_pg_select_fields(&sb);
	gt_sb_add(&sb, "e.outcome, e.target, e.route, e.basis, e.unmet, e.missing_evidence, "
		  "CASE WHEN e.theory_exempt THEN 'yes' ELSE 'no' END, NULL, NULL, "
		  "c.id, c.status, d.decided_by, d.decided_at, d.note, e.ruleset, "
		  "CASE WHEN d.case_version = c.version THEN d.ruleset END");
	for (int i = 0; i < GT_SUM_COUNT; i++)
		gt_sb_addf(&sb, ", CASE WHEN d.case_version = c.version THEN d.summary::jsonb->>%d END", i);
	gt_sb_add(&sb, " FROM guantong.cases c JOIN guantong.evaluations e ON e.id = c.eval_id "
		  "LEFT JOIN guantong.decisions d ON d.id = c.decision_id WHERE true");
	return sql;
}

#define NCOLS (GT_COL_COUNT + GT_SUM_COUNT + GT_XCOL_COUNT)

static void mask_json(struct gt_sb *sb, const char *key, uint32_t mask, int n, const char *(*code)(int))
{
	if (!mask)
		return;
	gt_sb_addf(sb, ",\"%s\":\"", key);
	bool first = true;
	for (int i = 0; i < n; i++)
		if (mask & (1u << i)) {
			gt_sb_addf(sb, "%s%s", first ? "" : ",", code(i));
			first = false;
		}
	gt_sb_add(sb, "\"");
}

static const char *status_code(int i) { return gt_status_codes[i]; }
static const char *region_code(int i) { return gt_code_of(&gt_regions, i); }
static const char *outcome_code(int i) { return gt_code_of(&gt_outcomes, i); }
static const char *direction_code(int i) { return gt_code_of(&gt_directions, i); }

/* The export's filter as a WHERE clause's rest (" AND ...") with its
 * parameters in v (pointing into codes and from); returns their number. */
static int filter_sql(const struct gt_export_filter *f, struct gt_sb *sb, const char *v[8], char codes[4][256],
		      char from[32])
{
	int n = 0;
	const struct { uint32_t mask; const char *col; int count; const char *(*code)(int); } sets[] = {
		{ f->status_mask, "c.status", GT_ST_COUNT, status_code },
		{ f->region_mask, "c.region", GT_REGION_COUNT, region_code },
		{ f->outcome_mask, "c.outcome", GT_OUT_COUNT, outcome_code },
		{ f->direction_mask, "c.direction", GT_DIR_COUNT, direction_code },
	};
	/* No status asked for: every case but the voided ones (as on SQLite). */
	if (!f->status_mask)
		gt_sb_add(sb, " AND c.status <> 'void'");
	for (int k = 0; k < 4; k++) {
		if (!sets[k].mask)
			continue;
		struct gt_sb a = gt_sb_make(codes[k], 256);
		gt_sb_add(&a, "{");
		bool first = true;
		for (int i = 0; i < sets[k].count; i++)
			if (sets[k].mask & (1u << i)) {
				gt_sb_addf(&a, "%s%s", first ? "" : ",", sets[k].code(i));
				first = false;
			}
		gt_sb_add(&a, "}");
		v[n++] = codes[k];
		gt_sb_addf(sb, " AND %s = ANY($%d::text[])", sets[k].col, n);
	}
	if (f->since[0]) {
		gt_date d;
		if (gt_date_parse(f->since, strlen(f->since), &d) == 0)
			gt_time_local_day_start(d, from);
		else
			gt_copy(from, 32, f->since);
		v[n++] = from;
		gt_sb_addf(sb, " AND c.updated_at >= $%d", n);
	}
	if (f->assignee[0]) {
		v[n++] = f->assignee;
		gt_sb_addf(sb, " AND (c.assignee = $%d OR c.updated_by = $%d)", n, n);
	}
	return n;
}

/* The export's read (gt_export.c writes the file): one REPEATABLE READ
 * snapshot, the rows streamed one at a time (single-row mode). */
struct pg_xread {
	PGresult *res; /* the row handed out last */
	bool streaming, in_tx;
};

int gt_pg_export_begin(gt_store *st, const struct gt_export_filter *f, long *total, void **ctx)
{
	struct pg_xread *x = calloc(1, sizeof *x);
	if (!x)
		return gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
	*ctx = x;
	const char *what = _("exporting");
	int rc = GT_OK;
	if ((rc = gt_pg_run(st, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL, what)))
		goto out;
	x->in_tx = true;
	char where[2048], codes[4][256], from[32];
	const char *v[8];
	struct gt_sb w = gt_sb_make(where, sizeof where);
	int n = filter_sql(f, &w, v, codes, from);
	if (f->due_until[0]) { /* the call-back list: gt_store_due_cases's selection, as on SQLite */
		v[n++] = f->due_until;
		gt_sb_addf(&w, " AND c.status <> 'approved' AND c.status <> 'void' AND c.due_on <= $%d::date", n);
	}
	char sql[8192];
	struct gt_sb sb = gt_sb_make(sql, sizeof sql);
	if (total) {
		gt_sb_addf(&sb, "SELECT count(*) FROM guantong.cases c WHERE true%s", where);
		PGresult *res = gt_pg_exec(st, sql, n, v, what);
		if (!res) {
			rc = gt_pg_rc(st);
			goto out;
		}
		*total = (long)gt_pg_int(res, 0, 0);
		PQclear(res);
		sb.len = 0;
	}
	gt_sb_addf(&sb, "%s%s ORDER BY c.id", export_select(), where);
	if (!PQsendQueryParams(st->pg->conn, sql, n, NULL, v, NULL, NULL, 0) || !PQsetSingleRowMode(st->pg->conn)) {
		rc = gt_fail(st, GT_ERR, _("%s: %s"), what, PQerrorMessage(st->pg->conn));
		goto out;
	}
	x->streaming = true;
out:
	return rc;
}

int gt_pg_export_next(gt_store *st, void *ctx, struct gt_xrow *r)
{
	struct pg_xread *x = ctx;
	if (x->res)
		PQclear(x->res);
	x->res = NULL;
	PGresult *res;
	while (x->streaming && (res = PQgetResult(st->pg->conn))) {
		ExecStatusType s = PQresultStatus(res);
		if (s == PGRES_SINGLE_TUPLE) {
			x->res = res;
			for (int i = 0; i < GT_XROW_COLS; i++) {
				bool null = PQgetisnull(res, 0, i);
				/* NULL stays NULL past the input columns: gt_answer_make reads it. */
				r->v[i] = null && i >= GT_COL_COUNT ? NULL : PQgetvalue(res, 0, i);
				r->n[i] = null ? 0 : (size_t)PQgetlength(res, 0, i);
			}
			for (int i = GT_COL_COUNT + GT_SUM_COUNT; i < NCOLS; i++)
				if (!r->v[i])
					r->v[i] = "";
			return 1;
		}
		if (s == PGRES_TUPLES_OK) {
			PQclear(res);
			continue;
		}
		int rc = gt_pg_fail(st, res, _("exporting"));
		while ((res = PQgetResult(st->pg->conn)))
			PQclear(res);
		x->streaming = false;
		return rc;
	}
	x->streaming = false;
	return 0;
}

void gt_pg_export_end(gt_store *st, void *ctx, bool commit)
{
	struct pg_xread *x = ctx;
	if (x->res)
		PQclear(x->res);
	if (x->streaming) {
		PGresult *res;
		while ((res = PQgetResult(st->pg->conn)))
			PQclear(res);
	}
	if (x->in_tx)
		PQclear(PQexec(st->pg->conn, commit ? "COMMIT" : "ROLLBACK"));
	free(x);
}

int gt_pg_audit_file(gt_store *st, const char *action, const char *file, const char *format, long cases,
		     const struct gt_export_filter *f)
{
	char fj[1024] = "null";
	if (f) {
		struct gt_sb j = gt_sb_make(fj, sizeof fj);
		gt_sb_add(&j, "{\"since\":");
		gt_json_str(&j, f->since);
		gt_sb_add(&j, ",\"mine_of\":");
		gt_json_str(&j, f->assignee);
		if (f->due_until[0]) {
			gt_sb_add(&j, ",\"due_until\":");
			gt_json_str(&j, f->due_until);
		}
		mask_json(&j, "status", f->status_mask, GT_ST_COUNT, status_code);
		mask_json(&j, "region", f->region_mask, GT_REGION_COUNT, region_code);
		mask_json(&j, "outcome", f->outcome_mask, GT_OUT_COUNT, outcome_code);
		mask_json(&j, "direction", f->direction_mask, GT_DIR_COUNT, direction_code);
		gt_sb_add(&j, "}");
	}
	char count[24];
	snprintf(count, sizeof count, "%ld", cases);
	const char *av[] = { action, file, format, count, fj };
	return gt_pg_run(st, "SELECT guantong.audit_file($1, $2, $3, $4::bigint, $5::jsonb)", 5, av,
			 _("writing the audit log"));
}

/* ---- reevaluate */

/* Sends one COPY of the stale cases in buf into gt_reeval. */
static int reeval_copy(gt_store *st, struct gt_sb *buf, const char *what)
{
	if (!buf->len)
		return GT_OK;
	if (buf->truncated)
		return gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
	PGresult *res = PQexec(st->pg->conn, "COPY pg_temp.gt_reeval (case_id, version, eval) FROM STDIN");
	if (PQresultStatus(res) != PGRES_COPY_IN)
		return gt_pg_fail(st, res, what);
	PQclear(res);
	int rc = GT_OK;
	if (PQputCopyData(st->pg->conn, buf->p, (int)buf->len) != 1 || PQputCopyEnd(st->pg->conn, NULL) != 1)
		rc = gt_fail(st, GT_ERR, _("%s: %s"), what, PQerrorMessage(st->pg->conn));
	while ((res = PQgetResult(st->pg->conn))) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && !rc)
			rc = gt_pg_fail(st, res, what);
		else
			PQclear(res);
	}
	buf->len = 0;
	buf->p[0] = '\0';
	return rc;
}

/* As on SQLite: the undecided cases this program's rule set evaluates
 * differently get a new evaluation, in one transaction with one audit row.
 * The cases are read through a cursor, a batch at a time; the server's
 * reevaluate_run writes (store/pg/functions.sql). */
int gt_pg_reevaluate_all(gt_store *st, struct gt_reevaluate_result *res)
{
	memset(res, 0, sizeof *res);
	if (st->role < GT_USER_CLERK)
		return gt_fail(st, GT_ERR_DENIED,
			       _("%s is not a user of this database; an administrator can add you with "
				 "\"guantong user add %s --role clerk\""), st->actor, st->actor);
	const char *what = _("re-evaluating the cases");
	struct gt_sb buf = gt_sb_heap();
	struct gt_case *c = malloc(sizeof *c);
	struct gt_case_prepared *p = malloc(sizeof *p);
	char sql[4096];
	struct gt_sb q = gt_sb_make(sql, sizeof sql);
	int rc = GT_OK;
	bool in_tx = false;
	if (!c || !p) {
		rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
		goto out;
	}
	if ((rc = gt_pg_run(st, "BEGIN ISOLATION LEVEL REPEATABLE READ", 0, NULL, what)))
		goto out;
	in_tx = true;
	gt_sb_add(&q, "DECLARE gt_reeval_cur NO SCROLL CURSOR FOR ");
	gt_pg_select_fields(&q);
	gt_sb_add(&q, "c.id, c.version, e.ruleset FROM guantong.cases c JOIN guantong.evaluations e ON e.id = c.eval_id "
		  "LEFT JOIN guantong.decisions d ON d.id = c.decision_id AND d.case_version = c.version "
		  "WHERE d.id IS NULL ORDER BY c.id");
	if ((rc = gt_pg_run(st, "CREATE TEMP TABLE gt_reeval (case_id bigint, version bigint, eval jsonb) "
			    "ON COMMIT DROP", 0, NULL, what)) ||
	    (rc = gt_pg_run(st, "GRANT SELECT ON pg_temp.gt_reeval TO guantong_owner", 0, NULL, what)) ||
	    (rc = gt_pg_run(st, sql, 0, NULL, what)))
		goto out;
	const char *ruleset = gt_store_ruleset();
	for (;;) {
		PGresult *r = gt_pg_exec(st, "FETCH 2000 FROM gt_reeval_cur", 0, NULL, what);
		if (!r) {
			rc = gt_pg_rc(st);
			goto out;
		}
		int n = PQntuples(r);
		for (int i = 0; i < n && !rc; i++) {
			int64_t id = gt_pg_int(r, i, GT_COL_COUNT);
			if ((rc = gt_pg_case_of(st, r, i, id, c)))
				break;
			gt_case_prepare(c, -1, p);
			if (strcmp(gt_pg_val(r, i, GT_COL_COUNT + 2), gt_store_eval_ruleset(&p->ev)) == 0)
				continue;
			gt_sb_addf(&buf, "%lld\t%lld\t", (long long)id, (long long)gt_pg_int(r, i, GT_COL_COUNT + 1));
			char ev[4096];
			struct gt_sb e = gt_sb_make(ev, sizeof ev);
			gt_pg_eval_json(p, c->direction, NULL, &e); /* the name is unchanged */
			copy_text(&buf, ev, e.len);
			gt_sb_add(&buf, "\n");
		}
		PQclear(r);
		if (rc || (rc = reeval_copy(st, &buf, what)))
			goto out;
		if (n == 0)
			break;
	}
	if ((rc = gt_pg_run(st, "CLOSE gt_reeval_cur", 0, NULL, what)))
		goto out;
	const char *v[] = { ruleset };
	PGresult *r = gt_pg_exec(st, "SELECT cases_done, changed_outcome FROM guantong.reevaluate_run($1)", 1, v, what);
	if (!r) {
		rc = gt_pg_rc(st);
		if (rc == GT_ERR_CONFLICT)
			rc = gt_fail(st, GT_ERR_CONFLICT, _("cases were changed or decided while they were being "
							    "re-evaluated; nothing was saved; run it again"));
		goto out;
	}
	res->cases = (long)gt_pg_int(r, 0, 0);
	res->changed_outcome = (long)gt_pg_int(r, 0, 1);
	PQclear(r);
	rc = gt_pg_run(st, "COMMIT", 0, NULL, what);
	in_tx = false;
out:
	if (in_tx)
		PQclear(PQexec(st->pg->conn, "ROLLBACK"));
	gt_sb_free(&buf);
	free(c);
	free(p);
	return rc;
}
