/* guantong export: the stored cases as the export CSV (case CSV input
 * columns, the screening summary, the store's columns) or as XLSX. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "gt_csv.h"
#include "gt_i18n.h"
#include "gt_store_int.h"
#include "gt_time.h"

const char *const gt_export_store_columns[GT_XCOL_COUNT] = {
	"case_id", "status", "decided_by", "decided_at", "decision_note",
};

#define NCOLS (GT_COL_COUNT + GT_SUM_COUNT + GT_XCOL_COUNT)

/* Chinese headers of the XLSX, column by column. */
static const char *const zh_headers[NCOLS] = {
	"申请人编号（case_ref）", "姓名", "身份证号码", "地区", "方向", "职称系列", "职业（工种）代码",
	"技能等级", "取得技能等级日期", "职称级别", "取得职称日期", "专业/职业对应", "参加工作日期",
	"近3年考核合格次数", "生产服务一线", "在本地区就业", "自由职业", "在本地区企业工作起始日期",
	"试点企业", "荣誉", "竞赛成绩", "相关专业学历", "技工院校班级", "弄虚作假记录", "事业单位工勤人员",
	"已核验材料", "申报等级", "申报日期",
	"结果", "目标等级", "途径", "依据", "未满足条件", "缺少材料", "免考理论知识", "政策依据条款", "说明",
	"案件编号", "状态", "决定人", "决定时间", "决定意见",
};

/* The SELECT's columns: the input columns in spec order (canonical text, as
 * gt_load_case reads them), then the summary, then the store's columns. */
static const char select_sql[] =
	"SELECT c.case_ref, a.name, a.id_number, c.region, c.direction, c.series, c.occupation_code, "
	"c.skill_level, c.skill_date, c.title_level, c.title_date, iif(c.related, 'yes', 'no'), "
	"c.work_start, c.appraisals_passed, iif(c.frontline, 'yes', 'no'), "
	"iif(c.employed_in_region, 'yes', 'no'), iif(c.self_employed, 'yes', 'no'), c.region_work_start, "
	"iif(c.pilot_enterprise, 'yes', 'no'), "
	"(SELECT group_concat(honour, ';') FROM case_honours WHERE case_id = c.id), "
	"(SELECT group_concat(e, ';') FROM (SELECT competition || ':' || result || "
	"  CASE WHEN role = 'winner' AND team_size = 1 THEN '' ELSE ':' || role END || "
	"  CASE WHEN team_size = 1 THEN '' ELSE ':' || team_size END AS e "
	"  FROM case_competitions WHERE case_id = c.id ORDER BY seq)), "
	"iif(c.diploma_related, 'yes', 'no'), c.tech_school_class, iif(c.integrity_flag, 'yes', 'no'), "
	"iif(c.public_institution_worker, 'yes', 'no'), "
	"c.evidence, "
	"c.requested_level, c.application_date, "
	"e.outcome, e.target, e.route, e.basis, e.unmet, e.missing_evidence, "
	"iif(e.theory_exempt, 'yes', 'no'), e.citation, e.message, "
	"c.id, c.status, d.decided_by, d.decided_at, d.note "
	"FROM cases c JOIN applicants a ON a.id = c.applicant_id "
	"JOIN evaluations e ON e.id = c.eval_id "
	"LEFT JOIN decisions d ON d.id = c.decision_id";

/* Honours come out of the store in the order of their table's key; the
 * canonical order is the code table's, as gt_case_field writes. */
static size_t canonical_mask(const struct gt_code_table *t, const char *s, char *buf, size_t size)
{
	uint32_t mask = 0;
	const char *p = s;
	while (*p) {
		const char *semi = strchr(p, ';');
		size_t n = semi ? (size_t)(semi - p) : strlen(p);
		int i = gt_code_lookup(t, p, n);
		if (i >= 0)
			mask |= 1u << i;
		p += n + (semi ? 1 : 0);
	}
	return gt_mask_codes(t, mask, buf, size);
}

static const char *status_code(int i) { return gt_status_codes[i]; }
static const char *region_code(int i) { return gt_code_of(&gt_regions, i); }
static const char *outcome_code(int i) { return gt_code_of(&gt_outcomes, i); }
static const char *direction_code(int i) { return gt_code_of(&gt_directions, i); }

static int build_query(gt_store *st, const struct gt_export_filter *f, bool count, sqlite3_stmt **out)
{
	char sql[4096];
	struct gt_sb sb = gt_sb_make(sql, sizeof sql);
	gt_sb_add(&sb, count ? "SELECT count(*) FROM cases c" : select_sql);
	gt_sb_add(&sb, " WHERE 1");
	const struct set {
		uint32_t mask;
		const char *col;
		int n;
		const char *(*code)(int);
	} sets[] = {
		{ f->status_mask, "c.status", GT_ST_COUNT, status_code },
		{ f->region_mask, "c.region", GT_REGION_COUNT, region_code },
		{ f->outcome_mask, "c.outcome", GT_OUT_COUNT, outcome_code },
		{ f->direction_mask, "c.direction", GT_DIR_COUNT, direction_code },
	};
	const int nsets = (int)(sizeof sets / sizeof sets[0]);
	for (int k = 0; k < nsets; k++) {
		if (!sets[k].mask)
			continue;
		gt_sb_addf(&sb, " AND %s IN (", sets[k].col);
		bool first = true;
		for (int i = 0; i < sets[k].n; i++)
			if (sets[k].mask & (1u << i)) {
				gt_sb_add(&sb, first ? "?" : ", ?");
				first = false;
			}
		gt_sb_add(&sb, ")");
	}
	if (f->since[0])
		gt_sb_add(&sb, " AND c.updated_at >= ?");
	if (f->assignee[0]) /* the queue's "mine" */
		gt_sb_add(&sb, " AND (c.assignee = ? OR c.updated_by = ?)");
	gt_sb_add(&sb, count ? "" : " ORDER BY c.id");
	sqlite3_stmt *s = gt_prepare(st, sql);
	if (!s)
		return GT_ERR;
	int b = 1;
	for (int k = 0; k < nsets; k++)
		for (int i = 0; i < sets[k].n; i++) {
			if (!(sets[k].mask & (1u << i)))
				continue;
			sqlite3_bind_text(s, b++, sets[k].code(i), -1, SQLITE_STATIC);
		}
	if (f->since[0]) {
		/* A local date: from its first moment, in the stored UTC. */
		char from[32];
		gt_date d;
		if (gt_date_parse(f->since, strlen(f->since), &d) == 0)
			gt_time_local_day_start(d, from);
		else
			gt_copy(from, sizeof from, f->since);
		sqlite3_bind_text(s, b++, from, -1, SQLITE_TRANSIENT);
	}
	if (f->assignee[0]) {
		sqlite3_bind_text(s, b++, f->assignee, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, b++, f->assignee, -1, SQLITE_TRANSIENT);
	}
	*out = s;
	return GT_OK;
}

/* One row's cells, canonical: the honours in code order (cases.evidence is
 * stored canonical). */
static const char *cell(sqlite3_stmt *s, int i, char *buf, size_t size, size_t *n)
{
	const char *v = gt_col_text(s, i);
	if (i == GT_COL_HONORS && *v) {
		*n = canonical_mask(&gt_honours, v, buf, size);
		return buf;
	}
	*n = (size_t)sqlite3_column_bytes(s, i);
	return v;
}

struct sink {
	int format;
	struct gt_out *csv;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *text, *head;
	long row;
};

static int write_header(struct sink *k, const struct gt_export_opts *o)
{
	if (k->format == GT_EXPORT_CSV) {
		if (o->bom) {
			memcpy(k->csv->buf + k->csv->len, "\xEF\xBB\xBF", 3);
			k->csv->len += 3;
		}
		for (int i = 0; i < NCOLS; i++) {
			const char *h = i < GT_COL_COUNT		 ? gt_column_names[i]
					: i < GT_COL_COUNT + GT_SUM_COUNT ? gt_summary_names[i - GT_COL_COUNT]
									  : gt_export_store_columns[i - GT_COL_COUNT - GT_SUM_COUNT];
			gt_out_field(k->csv, h, strlen(h), i == 0);
		}
		gt_out_end(k->csv);
		return 0;
	}
	for (int i = 0; i < NCOLS; i++)
		if (worksheet_write_string(k->ws, 0, (lxw_col_t)i, zh_headers[i], k->head) != LXW_NO_ERROR)
			return -1;
	worksheet_freeze_panes(k->ws, 1, 0);
	return 0;
}

static int write_row(struct sink *k, sqlite3_stmt *s)
{
	char buf[2048];
	k->row++;
	for (int i = 0; i < NCOLS; i++) {
		/* The SELECT lists case_id after message; the export puts it first
		 * of the store's columns, which is the same place. */
		size_t n;
		const char *v = cell(s, i, buf, sizeof buf, &n);
		if (k->format == GT_EXPORT_CSV) {
			gt_out_cell(k->csv, v, n, i == 0);
		} else if (n) {
			/* Strings, never numbers or formulas: identity numbers and
			 * dates keep every digit. */
			if (worksheet_write_string(k->ws, (lxw_row_t)k->row, (lxw_col_t)i, v, k->text) != LXW_NO_ERROR)
				return -1;
		}
	}
	if (k->format == GT_EXPORT_CSV) {
		gt_out_end(k->csv);
		return k->csv->err ? -1 : 0;
	}
	return 0;
}

static void filter_json(const struct gt_export_filter *f, const char *path, const struct gt_export_opts *o,
			long rows, struct gt_sb *sb)
{
	gt_sb_addf(sb, "{\"format\":\"%s\",\"rows\":%ld,\"file\":", o->format == GT_EXPORT_CSV ? "csv" : "xlsx",
		   rows);
	gt_json_str(sb, path);
	gt_sb_addf(sb, ",\"status_mask\":%u,\"region_mask\":%u,\"outcome_mask\":%u,\"direction_mask\":%u",
		   f->status_mask, f->region_mask, f->outcome_mask, f->direction_mask);
	gt_sb_add(sb, ",\"since\":");
	gt_json_str(sb, f->since);
	gt_sb_add(sb, ",\"assignee\":");
	gt_json_str(sb, f->assignee);
	gt_sb_add(sb, "}");
}

int gt_store_export(gt_store *st, const char *path, const struct gt_export_opts *o, long *rows)
{
	*rows = 0;
	bool to_stdout = strcmp(path, "-") == 0;
	if (to_stdout && o->format == GT_EXPORT_XLSX)
		return gt_fail(st, GT_ERR_INVALID, _("an XLSX export needs --out FILE"));
	char tmp[4200] = "";
	struct sink k = { .format = o->format };
	sqlite3_stmt *s = NULL;
	FILE *f = NULL;
	int rc = GT_OK;
	bool in_tx = false;

	/* A read transaction: one consistent snapshot however long it takes. */
	if (sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return gt_fail_sql(st, _("starting the export"));
	in_tx = true;
	long total = -1;
	if (o->progress || o->format == GT_EXPORT_XLSX) {
		sqlite3_stmt *c = NULL;
		if ((rc = build_query(st, &o->filter, true, &c)))
			goto out;
		if (sqlite3_step(c) == SQLITE_ROW)
			total = (long)sqlite3_column_int64(c, 0);
		sqlite3_finalize(c);
		if (o->format == GT_EXPORT_XLSX && total > 1048575) {
			rc = gt_fail(st, GT_ERR_INVALID, _("%ld cases do not fit in one XLSX sheet (at most 1048575 "
							   "rows); export CSV, or filter"), total);
			goto out;
		}
	}
	if ((rc = build_query(st, &o->filter, false, &s)))
		goto out;

	if (!to_stdout) {
		snprintf(tmp, sizeof tmp, "%s.partXXXXXX", path);
		int fd = mkstemp(tmp);
		if (fd < 0) {
			rc = gt_fail(st, GT_ERR, "%s: %s", path, strerror(errno));
			tmp[0] = '\0';
			goto out;
		}
		fchmod(fd, 0600);
		if (o->format == GT_EXPORT_CSV) {
			f = fdopen(fd, "wb");
			if (!f) {
				close(fd);
				rc = gt_fail(st, GT_ERR, "%s: %s", path, strerror(errno));
				goto out;
			}
		} else {
			close(fd);
		}
	} else {
		f = stdout;
	}

	if (o->format == GT_EXPORT_CSV) {
		k.csv = malloc(sizeof *k.csv);
		if (!k.csv) {
			rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
			goto out;
		}
		gt_out_init(k.csv, f);
	} else {
		lxw_workbook_options wo = { .constant_memory = LXW_TRUE, .tmpdir = NULL,
					    .use_zip64 = LXW_TRUE };
		k.wb = workbook_new_opt(tmp, &wo);
		k.ws = k.wb ? workbook_add_worksheet(k.wb, "cases") : NULL;
		if (!k.ws) {
			rc = gt_fail(st, GT_ERR, _("%s: cannot create the workbook"), path);
			goto out;
		}
		k.text = workbook_add_format(k.wb);
		format_set_num_format(k.text, "@");
		k.head = workbook_add_format(k.wb);
		format_set_bold(k.head);
		format_set_num_format(k.head, "@");
		worksheet_set_column(k.ws, 0, NCOLS - 1, 14, k.text);
		worksheet_set_column(k.ws, 1, 1, 10, k.text);
		worksheet_set_column(k.ws, 2, 2, 21, k.text);
		worksheet_set_column(k.ws, GT_COL_COUNT + GT_SUM_MESSAGE, GT_COL_COUNT + GT_SUM_MESSAGE, 60, k.text);
	}
	if (write_header(&k, o) < 0) {
		rc = gt_fail(st, GT_ERR, _("writing %s failed"), path);
		goto out;
	}
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		if (write_row(&k, s) < 0) {
			rc = gt_fail(st, GT_ERR, _("writing %s: %s"), path,
				     k.csv && k.csv->err ? strerror(k.csv->err) : _("write error"));
			goto out;
		}
		(*rows)++;
		if (o->progress && *rows % 4096 == 0)
			o->progress(*rows, total, o->arg);
	}
	if (step != SQLITE_DONE) {
		rc = gt_fail_sql(st, _("reading the cases"));
		goto out;
	}
	if (k.csv) {
		if (gt_out_flush(k.csv) != 0 || fflush(f) != 0 || (f != stdout && fsync(fileno(f)) != 0)) {
			rc = gt_fail(st, GT_ERR, _("writing %s: %s"), path,
				     strerror(k.csv->err ? k.csv->err : errno));
			goto out;
		}
	} else {
		lxw_error e = workbook_close(k.wb);
		k.wb = NULL;
		if (e != LXW_NO_ERROR) {
			rc = gt_fail(st, GT_ERR, _("writing %s: %s"), path, lxw_strerror(e));
			goto out;
		}
	}
	if (o->progress)
		o->progress(*rows, total < 0 ? *rows : total, o->arg);
	sqlite3_finalize(s);
	s = NULL;
	sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
	in_tx = false;
	if (f && f != stdout) {
		if (fclose(f) != 0) {
			f = NULL;
			rc = gt_fail(st, GT_ERR, _("writing %s: %s"), path, strerror(errno));
			goto out;
		}
		f = NULL;
	}
	if (!to_stdout && rename(tmp, path) != 0) {
		rc = gt_fail(st, GT_ERR, "%s: %s", path, strerror(errno));
		goto out;
	}
	tmp[0] = '\0';

	/* Who exported what, and when. */
	char now[32], after[1024];
	struct gt_sb sb = gt_sb_make(after, sizeof after);
	filter_json(&o->filter, path, o, *rows, &sb);
	gt_now(now);
	if ((rc = gt_begin(st)) == GT_OK) {
		rc = gt_audit(st, now, "export", "export", to_stdout ? "-" : path, NULL, after);
		if (rc)
			gt_rollback(st);
		else
			rc = gt_commit(st);
	}
out:
	sqlite3_finalize(s);
	if (in_tx)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	if (k.wb)
		workbook_close(k.wb);
	if (f && f != stdout)
		fclose(f);
	if (tmp[0])
		unlink(tmp);
	free(k.csv);
	return rc;
}
