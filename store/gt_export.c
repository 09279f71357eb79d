/* guantong export: the stored cases as the export CSV (case CSV input
 * columns, the screening summary, the store's columns) or as XLSX. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "gt_csv.h"
#include "gt_file.h"
#include "gt_i18n.h"
#include "gt_pg.h"
#include "gt_store_int.h"
#include "gt_text.h"
#include "gt_time.h"
#include "gt_xlsx_module.h"

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
	"c.id, c.status, d.decided_by, d.decided_at, d.note, "
	/* NCOLS on: what gt_answer_make needs besides (see gt_store_answer) */
	"(SELECT name FROM rulesets WHERE id = e.ruleset), iif(d.case_version = c.version, d.ruleset, NULL), "
	"iif(d.case_version = c.version, json_extract(d.summary, '$[0]'), NULL), "
	"iif(d.case_version = c.version, json_extract(d.summary, '$[1]'), NULL), "
	"iif(d.case_version = c.version, json_extract(d.summary, '$[2]'), NULL), "
	"iif(d.case_version = c.version, json_extract(d.summary, '$[3]'), NULL), "
	"iif(d.case_version = c.version, json_extract(d.summary, '$[4]'), NULL), "
	"iif(d.case_version = c.version, json_extract(d.summary, '$[5]'), NULL), "
	"iif(d.case_version = c.version, json_extract(d.summary, '$[6]'), NULL), "
	"iif(d.case_version = c.version, json_extract(d.summary, '$[7]'), NULL), "
	"iif(d.case_version = c.version, json_extract(d.summary, '$[8]'), NULL) "
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
	/* No status asked for: every case but the voided ones (--status void
	 * exports those). */
	if (!f->status_mask)
		gt_sb_add(&sb, " AND c.status <> 'void'");
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
		gt_sb_add(&sb, " AND " GT_TIME_SECONDS("c.updated_at") " >= ?");
	if (f->assignee[0]) /* the queue's "mine" */
		gt_sb_add(&sb, " AND (c.assignee = ? OR c.updated_by = ?)");
	/* the call-back list: gt_store_due's selection (never an approved or a
	 * void case, whatever the statuses asked for) */
	if (f->due_until[0])
		gt_sb_add(&sb, " AND c.status <> 'approved' AND c.status <> 'void' "
			       "AND c.id IN (SELECT case_id FROM case_due WHERE due_on <= ?)");
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
		gt_bind_time(s, b++, from);
	}
	if (f->assignee[0]) {
		sqlite3_bind_text(s, b++, f->assignee, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, b++, f->assignee, -1, SQLITE_TRANSIENT);
	}
	if (f->due_until[0])
		sqlite3_bind_text(s, b++, f->due_until, -1, SQLITE_TRANSIENT);
	*out = s;
	return GT_OK;
}

/* ---- the form for people */

/* The identity number grouped 6-8-4 (area, birth date, sequence and check
 * character), as printed on forms: with the spaces no spreadsheet (Excel,
 * WPS, LibreOffice) reads it as a number, so all 18 characters survive an
 * open and a save; gt_id_validate reads the grouped form back. */
static const char *id_grouped(const char *v, size_t *n, char buf[24])
{
	if (*n != 18)
		return v;
	memcpy(buf, v, 6);
	buf[6] = ' ';
	memcpy(buf + 7, v + 6, 8);
	buf[15] = ' ';
	memcpy(buf + 16, v + 14, 4);
	buf[20] = '\0';
	*n = 20;
	return buf;
}

/* The Chinese name of one code of t, or the text as stored (a code this
 * program does not know). */
static void add_zh(struct gt_sb *sb, const struct gt_code_table *t, const char *p, size_t n)
{
	int i = gt_code_lookup(t, p, n);
	if (i >= 0)
		gt_sb_add(sb, gt_zh_of(t, i));
	else
		gt_sb_addf(sb, "%.*s", (int)n, p);
}

/* One competition entry "competition:result[:role[:team_size]]" in words. */
static void add_competition(struct gt_sb *sb, const char *p, size_t n)
{
	const char *part[4] = { 0 };
	size_t len[4] = { 0 };
	int k = 0;
	const char *end = p + n;
	while (k < 4 && p <= end) {
		const char *c = memchr(p, ':', (size_t)(end - p));
		part[k] = p;
		len[k] = c ? (size_t)(c - p) : (size_t)(end - p);
		k++;
		if (!c)
			break;
		p = c + 1;
	}
	add_zh(sb, &gt_comps, part[0], len[0]);
	if (k > 1) {
		if (len[1] > 4 && memcmp(part[1], "rank", 4) == 0)
			gt_sb_addf(sb, "第%.*s名", (int)(len[1] - 4), part[1] + 4);
		else {
			gt_sb_add(sb, " ");
			add_zh(sb, &gt_results, part[1], len[1]);
		}
	}
	if (k > 2 && !(len[2] == 6 && memcmp(part[2], "winner", 6) == 0)) {
		gt_sb_add(sb, "（");
		add_zh(sb, &gt_roles, part[2], len[2]);
		gt_sb_add(sb, "）");
	}
	if (k > 3 && !(len[3] == 1 && part[3][0] == '1'))
		gt_sb_addf(sb, "（%.*s人项目）", (int)len[3], part[3]);
}

/* A ';'-separated list of codes as Chinese names separated by '、'. The
 * basis column mixes honours, competition results and a skill level. */
static void add_zh_list(struct gt_sb *sb, const struct gt_code_table *t, const char *v, size_t n, bool basis)
{
	const char *p = v, *end = v + n;
	bool first = true;
	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		size_t len = semi ? (size_t)(semi - p) : (size_t)(end - p);
		if (len) {
			if (!first)
				gt_sb_add(sb, "、");
			first = false;
			if (t == &gt_comps || (basis && memchr(p, ':', len)))
				add_competition(sb, p, len);
			else if (basis && gt_code_lookup(&gt_honours, p, len) < 0)
				add_zh(sb, &gt_skill_levels, p, len);
			else
				add_zh(sb, t, p, len);
		}
		p += len + 1;
	}
}

/* Status names in Chinese, as the catalogue gives them (the XLSX is for
 * Chinese readers whatever the locale of the one who exports). */
static const char *const status_zh[GT_ST_COUNT] = {
	"草稿", "已提交", "审核中", "已批准", "未通过", "已退回", "作废",
};

/* The column of the XLSX for people: Chinese names for codes, 是/否 for
 * yes/no, local time for a stored time. direction is the row's. */
static const char *zh_cell(int i, const char *v, size_t *n, int direction, char *buf, size_t size)
{
	struct gt_sb sb = gt_sb_make(buf, size);
	const struct gt_code_table *levels_in = direction == GT_DIR_TITLE_TO_SKILL ? &gt_skill_levels : &gt_title_levels;
	const struct gt_code_table *t = NULL;
	bool yes_no = false, list = false, basis = false;
	if (!*n)
		return v;
	switch (i) {
	case GT_COL_REGION: t = &gt_regions; break;
	case GT_COL_DIRECTION: t = &gt_directions; break;
	case GT_COL_SERIES: t = &gt_series_codes; break;
	case GT_COL_SKILL_LEVEL: t = &gt_skill_levels; break;
	case GT_COL_TITLE_LEVEL: t = &gt_title_levels; break;
	case GT_COL_TECH_SCHOOL_CLASS: t = &gt_schools; break;
	case GT_COL_REQUESTED_LEVEL: t = levels_in; break;
	case GT_COL_HONORS: t = &gt_honours; list = true; break;
	case GT_COL_COMPETITIONS: t = &gt_comps; list = true; break;
	case GT_COL_EVIDENCE: t = &gt_evidence_codes; list = true; break;
	case GT_COL_RELATED: case GT_COL_FRONTLINE: case GT_COL_EMPLOYED_IN_REGION: case GT_COL_SELF_EMPLOYED:
	case GT_COL_PILOT_ENTERPRISE: case GT_COL_DIPLOMA_RELATED: case GT_COL_INTEGRITY_FLAG:
	case GT_COL_PUBLIC_INSTITUTION_WORKER: yes_no = true; break;
	case GT_COL_COUNT + GT_SUM_OUTCOME: t = &gt_outcomes; break;
	case GT_COL_COUNT + GT_SUM_TARGET: t = levels_in; break;
	case GT_COL_COUNT + GT_SUM_ROUTE: t = &gt_routes; break;
	case GT_COL_COUNT + GT_SUM_BASIS: t = &gt_honours; list = basis = true; break;
	case GT_COL_COUNT + GT_SUM_UNMET: t = &gt_unmet_codes; list = true; break;
	case GT_COL_COUNT + GT_SUM_MISSING: t = &gt_evidence_codes; list = true; break;
	case GT_COL_COUNT + GT_SUM_THEORY_EXEMPT: yes_no = true; break;
	case GT_COL_COUNT + GT_SUM_COUNT + GT_XCOL_STATUS: {
		int st = -1;
		for (int k = 0; k < GT_ST_COUNT; k++)
			if (strlen(gt_status_codes[k]) == *n && memcmp(gt_status_codes[k], v, *n) == 0)
				st = k;
		if (st < 0)
			return v;
		*n = strlen(status_zh[st]);
		return status_zh[st];
	}
	case GT_COL_COUNT + GT_SUM_COUNT + GT_XCOL_DECIDED_AT:
		gt_time_show(v, buf, size);
		*n = strlen(buf);
		return buf;
	default:
		return v;
	}
	if (yes_no) {
		const char *w = *n == 3 && memcmp(v, "yes", 3) == 0 ? "是" : *n == 2 && memcmp(v, "no", 2) == 0 ? "否" : v;
		if (w != v)
			*n = strlen(w);
		return w;
	}
	if (list)
		add_zh_list(&sb, t, v, *n, basis);
	else
		add_zh(&sb, t, v, *n);
	*n = sb.len;
	return buf;
}

/* A row of the SELECT as a gt_xrow, canonical: the honours in code order,
 * cases.evidence (a set of bits) as text, the codes and dates stored as
 * numbers as text (into num). */
static void xrow_sqlite(sqlite3_stmt *s, struct gt_xrow *r, char *honours, size_t hsize,
			char evidence[GT_EVIDENCE_TEXT_MAX], char (*num)[GT_INPUT_TEXT_MAX])
{
	for (int i = 0; i < GT_XROW_COLS; i++) {
		if (i < GT_COL_COUNT) {
			r->v[i] = gt_input_text(s, i, i, num[i], &r->n[i]);
			continue;
		}
		r->v[i] = (const char *)sqlite3_column_text(s, i);
		r->n[i] = (size_t)sqlite3_column_bytes(s, i);
	}
	for (int i = 0; i < NCOLS; i++) /* the stored summary's NULLs stay: gt_answer_make reads them */
		if (!r->v[i] && (i < GT_COL_COUNT || i >= GT_COL_COUNT + GT_SUM_COUNT))
			r->v[i] = "";
	if (*r->v[GT_COL_HONORS]) {
		r->n[GT_COL_HONORS] = canonical_mask(&gt_honours, r->v[GT_COL_HONORS], honours, hsize);
		r->v[GT_COL_HONORS] = honours;
	}
	r->n[GT_COL_EVIDENCE] = gt_evidence_text(s, GT_COL_EVIDENCE, evidence);
	r->v[GT_COL_EVIDENCE] = evidence;
}

/* The bytes that make gt_out_cell quote a cell (1: , and " ; 2: the
 * separators ; tab CR LF, after which a part of the cell starts), and those
 * that make a part's start a formula (' = + - @ and the same white space). */
static const unsigned char special_any[256] = {
	[','] = 1, ['"'] = 1, [';'] = 2, ['\t'] = 2, ['\r'] = 2, ['\n'] = 2,
};
static const unsigned char special_first[256] = {
	['\''] = 1, ['='] = 1, ['+'] = 1, ['-'] = 1, ['@'] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1,
};

/* The first byte from i on that special_any names (n: none), sixteen bytes
 * at a time where it can. */
static size_t next_special(const unsigned char *u, size_t i, size_t n)
{
#ifdef __SSE2__
	const __m128i comma = _mm_set1_epi8(','), dq = _mm_set1_epi8('"'), semi = _mm_set1_epi8(';');
	const __m128i tab = _mm_set1_epi8('\t'), cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');
	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
		__m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, dq)),
					   _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, semi), _mm_cmpeq_epi8(v, tab)),
							_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf))));
		int m = _mm_movemask_epi8(hit);
		if (m)
			return i + (size_t)__builtin_ctz((unsigned)m);
	}
#endif
	while (i < n && !special_any[u[i]])
		i++;
	return i;
}

/* gt_out_cell, byte for byte, with a short way for the common cell that
 * needs no apostrophe and has no '"' to double (a code, a date, a name, a
 * list of codes, a message): one pass over it, and a copy, quoted when it
 * holds , or a separator. */
static void put_cell(struct gt_out *o, const char *v, size_t n, int first)
{
	const unsigned char *u = (const unsigned char *)v;
	bool quote = false, plain = n < sizeof o->buf / 2 && !(n && special_first[u[0]]);
	for (size_t i = next_special(u, 0, n); i < n && plain; i = next_special(u, i + 1, n)) {
		quote = true;
		plain = u[i] != '"' && !(special_any[u[i]] == 2 && i + 1 < n && special_first[u[i + 1]]);
	}
	if (!plain) {
		gt_out_cell(o, v, n, first);
		return;
	}
	if (sizeof o->buf - o->len < n + 3)
		gt_out_flush(o);
	if (!first)
		o->buf[o->len++] = ',';
	if (quote)
		o->buf[o->len++] = '"';
	memcpy(o->buf + o->len, v, n);
	o->len += n;
	if (quote)
		o->buf[o->len++] = '"';
}

struct sink {
	gt_store *st;
	struct gt_answer *ans;
	struct gt_case ans_case;
	int format;
	struct gt_out *csv;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *text, *head, *wrap;
	long row;
	bool machine;
	int width[NCOLS]; /* XLSX for people: the widest cell of each column, in columns */
};

static int write_header(struct sink *k, const struct gt_export_opts *o)
{
	if (k->format == GT_EXPORT_CSV) {
		if (o->bom || !o->machine) {
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
	for (int i = 0; i < NCOLS; i++) {
		if (worksheet_write_string(k->ws, 0, (lxw_col_t)i, zh_headers[i], k->head) != LXW_NO_ERROR)
			return -1;
		k->width[i] = gt_text_width(zh_headers[i]);
	}
	worksheet_freeze_panes(k->ws, 1, 0);
	if (!k->machine) {
		/* Printed as a clerk hands it on: A4 landscape, the header row on
		 * every page, every column on one page's width. */
		worksheet_set_paper(k->ws, 9);
		worksheet_set_landscape(k->ws);
		worksheet_repeat_rows(k->ws, 0, 0);
		worksheet_fit_to_pages(k->ws, 1, 0);
		worksheet_set_margins(k->ws, 0.4, 0.4, 0.6, 0.6);
		char now[32], when[32], head[128];
		gt_now(now);
		gt_time_show(now, when, sizeof when);
		snprintf(head, sizeof head, "&L&\"-,Bold\"贯通 案件导出&R导出时间 %s", when);
		worksheet_set_header(k->ws, head);
		worksheet_set_footer(k->ws, "&C第 &P 页，共 &N 页");
	}
	return 0;
}

/* The columns of long texts and lists, which wrap in the XLSX for people. */
static bool long_text(int i)
{
	switch (i) {
	case GT_COL_HONORS: case GT_COL_COMPETITIONS: case GT_COL_EVIDENCE:
	case GT_COL_COUNT + GT_SUM_BASIS: case GT_COL_COUNT + GT_SUM_UNMET: case GT_COL_COUNT + GT_SUM_MISSING:
	case GT_COL_COUNT + GT_SUM_CITATION: case GT_COL_COUNT + GT_SUM_MESSAGE:
	case GT_COL_COUNT + GT_SUM_COUNT + GT_XCOL_DECISION_NOTE:
		return true;
	default:
		return false;
	}
}

/* The columns shown and printed in the XLSX for people: who, which
 * request, the answer and the decision. */
static bool printed(int i)
{
	switch (i) {
	case GT_COL_NAME: case GT_COL_ID_NUMBER: case GT_COL_REGION: case GT_COL_DIRECTION:
	case GT_COL_SKILL_LEVEL: case GT_COL_TITLE_LEVEL: case GT_COL_REQUESTED_LEVEL:
	case GT_COL_COUNT + GT_SUM_OUTCOME: case GT_COL_COUNT + GT_SUM_TARGET: case GT_COL_COUNT + GT_SUM_ROUTE:
	case GT_COL_COUNT + GT_SUM_MISSING: case GT_COL_COUNT + GT_SUM_MESSAGE:
	case GT_COL_COUNT + GT_SUM_COUNT + GT_XCOL_CASE_ID: case GT_COL_COUNT + GT_SUM_COUNT + GT_XCOL_STATUS:
	case GT_COL_COUNT + GT_SUM_COUNT + GT_XCOL_DECIDED_AT:
		return true;
	default:
		return false;
	}
}

/* The summary columns of the row: the stored answer in words, or the
 * decision's (gt_answer_make, as everything that reads evaluations). */
static int row_answer(struct sink *k, const struct gt_xrow *r)
{
	struct gt_span f[GT_COL_COUNT];
	struct gt_header h;
	for (int i = 0; i < GT_COL_COUNT; i++) {
		f[i].p = r->v[i];
		f[i].n = r->n[i];
		h.pos[i] = (int16_t)i;
	}
	h.nfields = GT_COL_COUNT;
	gt_date app = GT_DATE_NONE;
	gt_date_parse(f[GT_COL_APPLICATION_DATE].p, f[GT_COL_APPLICATION_DATE].n, &app);
	struct gt_row_error err;
	struct gt_case *parsed = &k->ans_case;
	if (gt_case_parse(parsed, &h, f, GT_COL_COUNT, app, &err) < 0) {
		char msg[512];
		gt_row_error_format(&err, 0, msg, sizeof msg);
		return gt_fail(k->st, GT_ERR, _("case %lld in the database does not read back: %s"),
			       strtoll(r->v[GT_COL_COUNT + GT_SUM_COUNT + GT_XCOL_CASE_ID], NULL, 10), msg);
	}
	struct gt_answer_in in = { .c = parsed, .ruleset = r->v[NCOLS] ? r->v[NCOLS] : "" };
	for (int i = 0; i < GT_SUM_COUNT; i++) {
		in.stored[i] = r->v[GT_COL_COUNT + i];
		in.decided[i] = r->v[NCOLS + 2 + i];
	}
	in.decided_ruleset = r->v[NCOLS + 1];
	gt_answer_make(&in, k->ans);
	return GT_OK;
}

/* Column i of the row being written: the summary columns from the answer
 * (row_answer), the others as read. */
static const char *row_value(struct sink *k, const struct gt_xrow *r, int i, size_t *n)
{
	if (i >= GT_COL_COUNT && i < GT_COL_COUNT + GT_SUM_COUNT) {
		const char *v = k->ans->col[i - GT_COL_COUNT];
		*n = strlen(v);
		return v;
	}
	*n = r->n[i];
	return r->v[i];
}

static int write_row(struct sink *k, const struct gt_xrow *r)
{
	char zh[4096], id[24];
	k->row++;
	if (row_answer(k, r))
		return -2;
	int direction = gt_code_lookup(&gt_directions, r->v[GT_COL_DIRECTION], r->n[GT_COL_DIRECTION]);
	if (k->format == GT_EXPORT_XLSX && !k->machine) {
		/* A row as tall as its longest wrapped text (columns of at most
		 * 40, about 36 to a line): in constant_memory mode the height
		 * goes before the cells, and no reader fits rows to wrapped
		 * text by itself. */
		int lines = 1;
		for (int i = 0; i < NCOLS; i++) {
			if (!long_text(i) || !printed(i))
				continue;
			size_t n;
			const char *v = zh_cell(i, row_value(k, r, i, &n), &n, direction, zh, sizeof zh);
			int l = n ? (gt_text_width(v) + 35) / 36 : 1;
			lines = l > lines ? l : lines;
		}
		if (lines > 1 && worksheet_set_row(k->ws, (lxw_row_t)k->row, 15.0 * lines, NULL) != LXW_NO_ERROR)
			return -1;
	}
	for (int i = 0; i < NCOLS; i++) {
		/* The SELECT lists case_id after message; the export puts it first
		 * of the store's columns, which is the same place. */
		size_t n;
		const char *v = row_value(k, r, i, &n);
		if (k->format == GT_EXPORT_CSV) {
			if (i == GT_COL_ID_NUMBER && !k->machine)
				v = id_grouped(v, &n, id);
			put_cell(k->csv, v, n, i == 0);
		} else if (n) {
			if (!k->machine) {
				v = zh_cell(i, v, &n, direction, zh, sizeof zh);
				int w = gt_text_width(v);
				if (w > k->width[i])
					k->width[i] = w;
			}
			/* Strings, never numbers or formulas: identity numbers and
			 * dates keep every digit. */
			lxw_format *fmt = !k->machine && long_text(i) ? k->wrap : k->text;
			if (worksheet_write_string(k->ws, (lxw_row_t)k->row, (lxw_col_t)i, v, fmt) != LXW_NO_ERROR)
				return -1;
		}
	}
	if (k->format == GT_EXPORT_CSV) {
		gt_out_end(k->csv);
		return k->csv->err ? -1 : 0;
	}
	return 0;
}

/* Each column as wide as its widest cell (a CJK character counts two
 * columns), within limits: long texts (messages, lists) wrap instead. The
 * column records are written when the workbook closes, so they may come
 * after the rows even in constant_memory mode. */
static void size_columns(struct sink *k)
{
	for (int i = 0; i < NCOLS; i++) {
		int w = k->width[i] + 2, most = long_text(i) ? 40 : 60;
		w = w > most ? most : w < 6 ? 6 : w;
		/* The columns a reader of the printed page does not need are
		 * grouped and folded (the outline's + shows them again): 42
		 * columns on one A4 width would be unreadable. */
		lxw_row_col_options fold = { .hidden = !printed(i), .level = !printed(i) };
		worksheet_set_column_opt(k->ws, (lxw_col_t)i, (lxw_col_t)i, w, long_text(i) ? k->wrap : k->text,
					 &fold);
	}
}

/* The codes of a mask's bits, comma-separated ("" for none: no filter). */
static void mask_codes(uint32_t mask, int n, const char *(*code)(int), char *buf, size_t size)
{
	struct gt_sb sb = gt_sb_make(buf, size);
	for (int i = 0; i < n; i++)
		if (mask & (1u << i)) {
			if (sb.len)
				gt_sb_add(&sb, ",");
			gt_sb_add(&sb, code(i));
		}
}

int gt_audit_file_write(gt_store *st, const char *action, const char *file, const char *format, long cases,
			const struct gt_export_filter *f)
{
	if (st->pg)
		return gt_pg_audit_file(st, action, file, format, cases, f);
	/* SQLite's json_object() builds the record: any file name, complete
	 * and valid JSON. */
	static const char sql[] =
		"SELECT json_object('file', ?1, 'format', ?2, 'cases', ?3, 'filter', "
		"CASE WHEN ?4 THEN json_object('status', nullif(?5, ''), 'region', nullif(?6, ''), "
		"'outcome', nullif(?7, ''), 'direction', nullif(?8, ''), 'since', nullif(?9, ''), "
		"'mine_of', nullif(?10, ''), 'due_until', nullif(?11, '')) END)";
	char codes[4][256] = { "", "", "", "" };
	if (f) {
		mask_codes(f->status_mask, GT_ST_COUNT, status_code, codes[0], sizeof codes[0]);
		mask_codes(f->region_mask, GT_REGION_COUNT, region_code, codes[1], sizeof codes[1]);
		mask_codes(f->outcome_mask, GT_OUT_COUNT, outcome_code, codes[2], sizeof codes[2]);
		mask_codes(f->direction_mask, GT_DIR_COUNT, direction_code, codes[3], sizeof codes[3]);
	}
	sqlite3_busy_timeout(st->db, GT_AUDIT_FILE_TIMEOUT_MS);
	int rc = gt_begin(st);
	sqlite3_busy_timeout(st->db, GT_BUSY_TIMEOUT_MS);
	if (rc)
		return rc;
	sqlite3_stmt *s = gt_prepare(st, sql);
	if (!s) {
		rc = GT_ERR;
		goto out;
	}
	sqlite3_bind_text(s, 1, file, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, format, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, cases);
	sqlite3_bind_int(s, 4, f != NULL);
	for (int i = 0; i < 4; i++)
		sqlite3_bind_text(s, 5 + i, codes[i], -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 9, f ? f->since : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 10, f ? f->assignee : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 11, f ? f->due_until : "", -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_ROW) {
		rc = gt_fail_sql(st, _("writing the audit log"));
		goto out;
	}
	char now[32];
	gt_now(now);
	rc = gt_audit(st, now, action, action, file, NULL, gt_col_text(s, 0));
out:
	sqlite3_finalize(s);
	if (rc) {
		gt_rollback(st);
		return rc;
	}
	return gt_commit(st);
}

int gt_export_format_of(const char *path, int given, int *format)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	int ext = -1;
	if (dot && (!slash || dot > slash)) {
		if (strcasecmp(dot, ".csv") == 0)
			ext = GT_EXPORT_CSV;
		else if (strcasecmp(dot, ".xlsx") == 0)
			ext = GT_EXPORT_XLSX;
	}
	if (ext < 0)
		return -1;
	if (given >= 0 && given != ext)
		return -2;
	*format = ext;
	return 0;
}

/* gt_file's answer as the store's. */
static int file_fail(gt_store *st, int frc, const char *err)
{
	return gt_fail(st, frc == GT_FILE_EXISTS ? GT_ERR_EXISTS : frc == GT_FILE_REFUSED ? GT_ERR_INVALID : GT_ERR,
		       "%s", err);
}

/* Whether a zip file ends in its end-of-central-directory record (the last
 * thing written; without a comment it is the last 22 bytes). */
static bool xlsx_complete(const char *path)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return false;
	struct stat sb;
	unsigned char end[22];
	bool ok = fstat(fd, &sb) == 0 && sb.st_size >= 22 &&
		  pread(fd, end, sizeof end, sb.st_size - 22) == (ssize_t)sizeof end &&
		  memcmp(end, "PK\x05\x06", 4) == 0;
	close(fd);
	return ok;
}

/* A failed write: a full disk says so, and what was not written. */
static int write_fail(gt_store *st, const char *shown, int e)
{
	if (e == ENOSPC || e == EFBIG || e == EDQUOT)
		return gt_fail(st, GT_ERR,
			       _("writing %s: %s (the disk is full or the file size limit was reached); %s was not "
				 "written and nothing of it is left"), shown, strerror(e), shown);
	return gt_fail(st, GT_ERR, _("writing %s: %s; %s was not written and nothing of it is left"), shown,
		       strerror(e), shown);
}

/* Where the rows come from, inside one read transaction (one consistent
 * snapshot however long it takes): the SELECT above on SQLite, the
 * PostgreSQL store's (gt_pg_export_begin) there. */
struct xread {
	gt_store *st;
	sqlite3_stmt *s;
	void *pg;
	bool in_tx;
	struct gt_xrow row;
	char honours[256];
	char evidence[GT_EVIDENCE_TEXT_MAX];
	char num[GT_COL_COUNT][GT_INPUT_TEXT_MAX]; /* xrow_sqlite's numbers as text */
};

/* total: the number of rows to come, when not NULL. */
static int xread_begin(struct xread *x, const struct gt_export_filter *f, long *total)
{
	gt_store *st = x->st;
	if (st->pg)
		return gt_pg_export_begin(st, f, total, &x->pg);
	if (sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return gt_fail_sql(st, _("starting the export"));
	x->in_tx = true;
	if (total) {
		sqlite3_stmt *c = NULL;
		int rc = build_query(st, f, true, &c);
		if (rc)
			return rc;
		if (sqlite3_step(c) == SQLITE_ROW)
			*total = (long)sqlite3_column_int64(c, 0);
		sqlite3_finalize(c);
	}
	return build_query(st, f, false, &x->s);
}

/* 1: a row in x->row; 0: the end; else the error's code, its message set. */
static int xread_next(struct xread *x)
{
	if (x->st->pg)
		return gt_pg_export_next(x->st, x->pg, &x->row);
	int step = sqlite3_step(x->s);
	if (step == SQLITE_ROW) {
		xrow_sqlite(x->s, &x->row, x->honours, sizeof x->honours, x->evidence, x->num);
		return 1;
	}
	if (step == SQLITE_DONE)
		return 0;
	return gt_fail_sql(x->st, _("reading the cases"));
}

static void xread_end(struct xread *x, bool commit)
{
	if (x->st->pg) {
		if (x->pg)
			gt_pg_export_end(x->st, x->pg, commit);
		x->pg = NULL;
		return;
	}
	sqlite3_finalize(x->s);
	x->s = NULL;
	if (x->in_tx)
		sqlite3_exec(x->st->db, commit ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
	x->in_tx = false;
}

int gt_store_export(gt_store *st, const char *path, const struct gt_export_opts *o, long *rows)
{
	*rows = 0;
	bool to_stdout = strcmp(path, "-") == 0;
	if (to_stdout && o->format == GT_EXPORT_XLSX)
		return gt_fail(st, GT_ERR_INVALID, _("an XLSX export needs --out FILE"));
	/* gt-xlsx.so (store/gt_module.h), before the temporary target: a
	 * missing module is refused at no cost. */
	char no_module[2048];
	if (o->format == GT_EXPORT_XLSX && !gt_xlsx_load(no_module, sizeof no_module))
		return gt_fail(st, GT_ERR, "%s", no_module);
	struct sink k = { .st = st, .format = o->format };
	struct gt_file *file = NULL;
	struct xread *x = calloc(1, sizeof *x);
	FILE *f = NULL;
	char err[1024];
	int rc = GT_OK;
	if (!x)
		return gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
	x->st = st;

	/* The target is checked, and the temporary file made, before anything
	 * is read: a refusal costs nothing. libxlsxwriter opens its output by
	 * name when the workbook is closed (zipOpen(filename)), and Debian 12's
	 * 1.1.4 has no output buffer: it writes into a private directory
	 * (0700, ours, made with mkdir's O_EXCL semantics) beside the target,
	 * where nobody else can swap the file for a link, and its
	 * constant_memory temporary files go there too (tmpdir; it unlinks
	 * them as soon as they are made). It is given both names through the
	 * directory's open descriptor (/proc/self/fd/N/...), so that even a
	 * rename of the directory cannot redirect it. The finished workbook is
	 * then linked into place like any other file. */
	if (!to_stdout) {
		unsigned fl = (o->replace ? GT_FILE_REPLACE : 0) |
			      (o->format == GT_EXPORT_XLSX ? GT_FILE_PRIVATE_DIR : 0);
		int frc = gt_file_create(&file, path, fl, st->pg ? NULL : st->path, err, sizeof err);
		if (frc != GT_FILE_OK) {
			free(x);
			return file_fail(st, frc, err);
		}
	}

	long total = -1;
	if ((rc = xread_begin(x, &o->filter, o->progress || o->format == GT_EXPORT_XLSX ? &total : NULL)))
		goto out;
	if (o->format == GT_EXPORT_XLSX && total > 1048575) {
		rc = gt_fail(st, GT_ERR_INVALID, _("%ld cases do not fit in one XLSX sheet (at most 1048575 "
						   "rows); export CSV, or filter"), total);
		goto out;
	}
	if (!(k.ans = malloc(sizeof *k.ans))) {
		rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
		goto out;
	}

	if (o->format == GT_EXPORT_CSV) {
		f = to_stdout ? stdout : gt_file_stream(file);
		k.csv = malloc(sizeof *k.csv);
		if (!f || !k.csv) {
			rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
			goto out;
		}
		gt_out_init(k.csv, f);
	} else {
		lxw_workbook_options wo = { .constant_memory = LXW_TRUE,
					    .tmpdir = (char *)gt_file_private_dir_fd(file),
					    .use_zip64 = LXW_TRUE };
		k.wb = workbook_new_opt(gt_file_work_path_fd(file), &wo);
		k.ws = k.wb ? workbook_add_worksheet(k.wb, "cases") : NULL;
		if (!k.ws) {
			rc = gt_fail(st, GT_ERR, _("%s: cannot create the workbook"), path);
			goto out;
		}
		k.text = workbook_add_format(k.wb);
		format_set_num_format(k.text, "@");
		if (!o->machine) /* with the wrapped texts, each row reads from its top */
			format_set_align(k.text, LXW_ALIGN_VERTICAL_TOP);
		k.head = workbook_add_format(k.wb);
		format_set_bold(k.head);
		format_set_num_format(k.head, "@");
		k.wrap = workbook_add_format(k.wb);
		format_set_num_format(k.wrap, "@");
		format_set_text_wrap(k.wrap);
		format_set_align(k.wrap, LXW_ALIGN_VERTICAL_TOP);
		if (o->machine) {
			worksheet_set_column(k.ws, 0, NCOLS - 1, 14, k.text);
			worksheet_set_column(k.ws, 1, 1, 10, k.text);
			worksheet_set_column(k.ws, 2, 2, 21, k.text);
			worksheet_set_column(k.ws, GT_COL_COUNT + GT_SUM_MESSAGE, GT_COL_COUNT + GT_SUM_MESSAGE, 60,
					     k.text);
		}
	}
	k.machine = o->machine;
	const char *shown = file ? gt_file_target(file) : path;
	if (write_header(&k, o) < 0) {
		rc = gt_fail(st, GT_ERR, _("writing %s failed; nothing of it is left"), shown);
		goto out;
	}
	int step;
	while ((step = xread_next(x)) == 1) {
		int wr = write_row(&k, &x->row);
		if (wr == -2) { /* the message is set */
			rc = GT_ERR;
			goto out;
		}
		if (wr < 0) {
			rc = write_fail(st, shown, k.csv && k.csv->err ? k.csv->err : EIO);
			goto out;
		}
		(*rows)++;
		if (file && *rows % 1024 == 0 && gt_file_interrupted()) {
			rc = gt_fail(st, GT_ERR, _("%s: interrupted; %s was not written and nothing of it is left"),
				     shown, shown);
			goto out;
		}
		if (o->progress && *rows % 4096 == 0)
			o->progress(*rows, total, o->arg);
	}
	if (step < 0) {
		rc = step;
		goto out;
	}
	if (k.csv) {
		if (gt_out_flush(k.csv) != 0 || fflush(f) != 0) {
			rc = write_fail(st, shown, k.csv->err ? k.csv->err : errno);
			goto out;
		}
	} else {
		/* In constant_memory mode the rows go to a temporary file whose
		 * write errors libxlsxwriter 1.1.4 does not check: a full disk or
		 * a file size limit would give a complete-looking workbook with
		 * the rows cut short. Its stream remembers the error. */
		FILE *rows_tmp = k.ws->optimize_tmpfile;
		if (rows_tmp && (fflush(rows_tmp) != 0 || ferror(rows_tmp))) {
			rc = write_fail(st, shown, errno == ENOSPC || errno == EDQUOT ? errno : EFBIG);
			goto out;
		}
		if (!k.machine)
			size_columns(&k);
		errno = 0;
		lxw_error e = workbook_close(k.wb);
		k.wb = NULL;
		if (e != LXW_NO_ERROR && (errno == ENOSPC || errno == EFBIG || errno == EDQUOT)) {
			rc = write_fail(st, shown, errno);
			goto out;
		}
		if (e != LXW_NO_ERROR) {
			rc = gt_fail(st, GT_ERR, _("writing %s: %s; %s was not written and nothing of it is left"), shown,
				     lxw_strerror(e), shown);
			goto out;
		}
	}
	if (k.format == GT_EXPORT_XLSX && !xlsx_complete(gt_file_work_path_fd(file))) {
		/* libxlsxwriter 1.1.4 can miss a failed write (a file size
		 * limit): the workbook's last record must be there. */
		rc = write_fail(st, shown, EFBIG);
		goto out;
	}
	if (file) {
		int frc = gt_file_sync(file, err, sizeof err);
		if (frc != GT_FILE_OK) {
			rc = file_fail(st, frc, err);
			goto out;
		}
	}
	if (o->progress)
		o->progress(*rows, total < 0 ? *rows : total, o->arg);
	xread_end(x, true);

	/* Who exported what, and when: the audit row commits first, then the
	 * file gets its name. Without the row there is no file. (Standard
	 * output has been written already: its row comes after.) */
	if ((rc = gt_audit_file_write(st, "export", to_stdout ? "-" : shown,
				      o->format == GT_EXPORT_CSV ? "csv" : "xlsx", *rows, &o->filter))) {
		char why[sizeof st->err];
		memcpy(why, st->err, sizeof why);
		rc = gt_fail(st, rc, to_stdout ? _("%s; the export went to standard output but is not in the audit log")
					       : _("%s; an export that is not in the audit log is not kept: nothing was written"),
			     why);
		goto out;
	}
	if (file) {
		int frc = gt_file_commit(&file, err, sizeof err);
		if (frc != GT_FILE_OK) {
			rc = file_fail(st, frc, err);
			goto out;
		}
	}
out:
	xread_end(x, false);
	free(x);
	if (k.wb)
		workbook_close(k.wb);
	gt_file_abort(&file);
	free(k.csv);
	free(k.ans);
	return rc;
}
