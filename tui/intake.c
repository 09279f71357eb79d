/* Intake: a new case or an edit, as a sequence of screens of fields, with
 * the evaluation live in a side panel, each field checked on leaving it, and
 * a draft saved as the clerk goes. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gt_csv.h"
#include "gt_i18n.h"
#include "gt_idnum.h"
#include "gt_date.h"
#include "gt_rules.h"
#include "gt_text.h"
#include "cli.h"
#include "tui.h"
#include "intake_occupations.h"

enum ftype { F_TEXT, F_ID, F_DATE, F_ENUM, F_BOOL, F_LEVEL, F_REQUESTED, F_COUNT03, F_HONOURS, F_COMPS, F_EVIDENCE };

struct field {
	int col;                          /* gt_column */
	enum ftype type;
	const struct gt_code_table *table;/* F_ENUM */
	int page;
	const char *label;                /* msgid */
};

static const struct field fields[] = {
	{ GT_COL_NAME, F_TEXT, NULL, 0, N_("Name") },
	{ GT_COL_ID_NUMBER, F_ID, NULL, 0, N_("Identity number") },
	{ GT_COL_CASE_REF, F_TEXT, NULL, 0, N_("Reference") },
	{ GT_COL_REGION, F_ENUM, &gt_regions, 1, N_("Region") },
	{ GT_COL_DIRECTION, F_ENUM, &gt_directions, 1, N_("Direction") },
	{ GT_COL_SERIES, F_ENUM, &gt_series_codes, 1, N_("Title series") },
	{ GT_COL_OCCUPATION_CODE, F_TEXT, NULL, 1, N_("Occupation code") },
	{ GT_COL_REQUESTED_LEVEL, F_REQUESTED, NULL, 1, N_("Level applied for") },
	{ GT_COL_APPLICATION_DATE, F_DATE, NULL, 1, N_("Application date") },
	{ GT_COL_SKILL_LEVEL, F_LEVEL, &gt_skill_levels, 2, N_("Skill level held") },
	{ GT_COL_SKILL_DATE, F_DATE, NULL, 2, N_("  obtained on") },
	{ GT_COL_TITLE_LEVEL, F_LEVEL, &gt_title_levels, 2, N_("Title held") },
	{ GT_COL_TITLE_DATE, F_DATE, NULL, 2, N_("  obtained on") },
	{ GT_COL_RELATED, F_BOOL, NULL, 2, N_("Related specialty") },
	{ GT_COL_WORK_START, F_DATE, NULL, 3, N_("Work start") },
	{ GT_COL_APPRAISALS_PASSED, F_COUNT03, NULL, 3, N_("Appraisals passed (of 3)") },
	{ GT_COL_FRONTLINE, F_BOOL, NULL, 3, N_("Frontline post") },
	{ GT_COL_EMPLOYED_IN_REGION, F_BOOL, NULL, 3, N_("Employed in region") },
	{ GT_COL_SELF_EMPLOYED, F_BOOL, NULL, 3, N_("Self-employed") },
	{ GT_COL_REGION_WORK_START, F_DATE, NULL, 3, N_("Work in region since") },
	{ GT_COL_PILOT_ENTERPRISE, F_BOOL, NULL, 3, N_("Pilot enterprise") },
	{ GT_COL_DIPLOMA_RELATED, F_BOOL, NULL, 3, N_("Related diploma") },
	{ GT_COL_TECH_SCHOOL_CLASS, F_ENUM, &gt_schools, 3, N_("Technical school") },
	{ GT_COL_PUBLIC_INSTITUTION_WORKER, F_BOOL, NULL, 3, N_("Public institution") },
	{ GT_COL_INTEGRITY_FLAG, F_BOOL, NULL, 3, N_("Integrity finding") },
	{ GT_COL_HONORS, F_HONOURS, &gt_honours, 4, N_("Honours") },
	{ GT_COL_COMPETITIONS, F_COMPS, NULL, 4, N_("Competitions") },
	{ GT_COL_EVIDENCE, F_EVIDENCE, &gt_evidence_codes, 5, N_("Verified documents") },
};
enum { NFIELDS = (int)(sizeof fields / sizeof fields[0]), NPAGES = 7, REVIEW_PAGE = 6 };

static const char *const page_titles[NPAGES] = {
	N_("Applicant"), N_("Application"), N_("Levels held"), N_("Work and circumstances"),
	N_("Honours and competitions"), N_("Evidence"), N_("Review and save"),
};

/* Questions a clerk must answer on intake: no favourable default (the CSV
 * keeps its defaults, case-csv.md; a person is asked). */
static bool must_answer(int col)
{
	return col == GT_COL_RELATED || col == GT_COL_EMPLOYED_IN_REGION;
}

struct form {
	int64_t case_id;           /* 0: a new case */
	int64_t version;           /* the version read, for the save */
	char val[GT_COL_COUNT][512];
	/* An edit: the case as it was at `version`, to tell the clerk's changes
	 * from someone else's (have_base: known; a draft of schema 5 has none). */
	char base[GT_COL_COUNT][512];
	bool have_base;
	int64_t draft_id;          /* 0: none saved yet */
	int page, focus;           /* focus: index into fields */
	struct line_edit le;       /* the focused text field */
	bool dirty, draft_dirty;   /* unsaved changes; not yet in the draft */
	double last_draft;
	/* The live evaluation. */
	struct gt_case c;
	struct gt_eval ev;
	bool valid;
	char problem[512];
	int problem_col;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Display names: Chinese under zh_CN, English names in English; never the
 * codes, which the lists' search still finds. */
static const char *name_of(const struct gt_code_table *t, int i)
{
	return gt_name_of(t, i);
}

static int direction_of(const struct form *f)
{
	const char *v = f->val[GT_COL_DIRECTION];
	int d = gt_code_lookup(&gt_directions, v, strlen(v));
	return d < 0 ? GT_DIR_SKILL_TO_TITLE : d;
}

static int region_of(const struct form *f)
{
	const char *rv = f->val[GT_COL_REGION];
	return gt_code_lookup(&gt_regions, rv, strlen(rv));
}

/* ---- parsing the form as a case CSV row */

static int parse_form(const char (*val)[512], struct gt_case *c, struct gt_row_error *err)
{
	struct gt_header h;
	struct gt_span sp[GT_COL_COUNT];
	for (int i = 0; i < GT_COL_COUNT; i++) {
		h.pos[i] = (int16_t)i;
		sp[i].p = val[i];
		sp[i].n = strlen(val[i]);
	}
	h.nfields = GT_COL_COUNT;
	return gt_case_parse(c, &h, sp, GT_COL_COUNT, gt_date_today(), err);
}

static void id_message(const char *typed, int region, char *out, size_t size, bool *error);

static const struct field *field_of_col(int col)
{
	for (int i = 0; i < NFIELDS; i++)
		if (fields[i].col == col)
			return &fields[i];
	return NULL;
}

/* A problem as the form says it: the field's label, never the CSV column's
 * name, and the form's words where the CSV's name codes. */
static void form_problem(const struct gt_row_error *err, const char *id, char *out, size_t size)
{
	const char *msg = err->msg;
	if (err->column == GT_COL_SKILL_DATE && strcmp(msg, _("required when skill_level is not none")) == 0)
		msg = _("required when a skill level is held");
	else if (err->column == GT_COL_TITLE_DATE && strcmp(msg, _("required when title_level is not none")) == 0)
		msg = _("required when a title is held");
	if (err->column == GT_COL_ID_NUMBER && id[0]) {
		bool error;
		id_message(id, -1, out, size, &error);
		if (error)
			return;
	}
	const struct field *fd = err->column >= 0 ? field_of_col(err->column) : NULL;
	if (!fd) {
		snprintf(out, size, "%s", msg);
		return;
	}
	/* "  obtained on": the date under a level, named with it. */
	const char *label = _(fd->label);
	if (fd->col == GT_COL_SKILL_DATE)
		label = _("Skill level obtained on");
	else if (fd->col == GT_COL_TITLE_DATE)
		label = _("Title obtained on");
	snprintf(out, size, _("%s: %s"), label, msg);
}

static void evaluate(struct form *f)
{
	struct gt_row_error err;
	f->valid = parse_form((const char (*)[512])f->val, &f->c, &err) == 0;
	/* A question not answered yet: no evaluation claims anything on it. */
	for (int i = 0; i < NFIELDS && f->valid; i++)
		if (must_answer(fields[i].col) && !f->val[fields[i].col][0]) {
			f->valid = false;
			snprintf(f->problem, sizeof f->problem, _("%s: not answered yet (Space: yes or no)"),
				 _(fields[i].label));
			f->problem_col = fields[i].col;
			return;
		}
	if (f->valid) {
		gt_evaluate(&f->c, &f->ev);
		f->problem[0] = '\0';
		f->problem_col = -1;
	} else {
		form_problem(&err, f->val[GT_COL_ID_NUMBER], f->problem, sizeof f->problem);
		f->problem_col = err.column;
	}
}

/* A field checked on its own: the other columns from a valid baseline. */
static bool check_one(int col, const char *value, char *msg, size_t size)
{
	static char base[GT_COL_COUNT][512];
	memset(base, 0, sizeof base);
	snprintf(base[GT_COL_NAME], 512, "%s", "x");
	snprintf(base[GT_COL_ID_NUMBER], 512, "%s", "11010519491231002X");
	snprintf(base[GT_COL_REGION], 512, "%s", "chongqing");
	snprintf(base[GT_COL_DIRECTION], 512, "%s", "skill_to_title");
	snprintf(base[GT_COL_SERIES], 512, "%s", "engineering");
	snprintf(base[GT_COL_SKILL_LEVEL], 512, "%s", "none");
	snprintf(base[GT_COL_TITLE_LEVEL], 512, "%s", "none");
	snprintf(base[col], 512, "%s", value);
	struct gt_case c;
	struct gt_row_error err;
	if (parse_form((const char (*)[512])base, &c, &err) == 0 || err.column != col)
		return true;
	form_problem(&err, base[GT_COL_ID_NUMBER], msg, size);
	return false;
}

/* What the IME typed in a field of digits and codes (２０２２０１１５,
 * 6－31－03) read as ASCII. */
static void normalise_halfwidth(char *v)
{
	char out[512];
	gt_text_halfwidth(v, strlen(v), 0, out, sizeof out);
	strcpy(v, out);
}

/* Dates: YYYYMMDD is accepted and written as YYYY-MM-DD. */
static void normalise_date(char *v)
{
	normalise_halfwidth(v);
	gt_date d;
	if (gt_date_parse(v, strlen(v), &d) == 0) {
		gt_date_format(d, v);
		return;
	}
	size_t n = strlen(v);
	if (n == 8 && strspn(v, "0123456789") == 8) {
		char out[16];
		snprintf(out, sizeof out, "%.4s-%.2s-%.2s", v, v + 4, v + 6);
		strcpy(v, out);
	}
}

/* ---- the draft: a case CSV of two lines, header and values */

static char *form_csv(const char (*val)[512])
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	if (!m)
		return NULL;
	struct gt_out *o = malloc(sizeof *o);
	if (o) {
		gt_out_init(o, m);
		for (int i = 0; i < GT_COL_COUNT; i++)
			gt_out_field(o, gt_column_names[i], strlen(gt_column_names[i]), i == 0);
		gt_out_end(o);
		for (int i = 0; i < GT_COL_COUNT; i++)
			gt_out_field(o, val[i], strlen(val[i]), i == 0);
		gt_out_end(o);
		gt_out_flush(o);
		free(o);
	}
	fclose(m);
	return text;
}

static bool form_from_csv(char (*val)[512], const char *text)
{
	gt_csv *r = gt_csv_new_mem(text, strlen(text));
	struct gt_csv_record *rec = malloc(sizeof *rec);
	bool ok = false;
	struct gt_header h;
	char msg[256];
	if (r && rec && gt_csv_next(r, rec) == 1 && rec->error == GT_CSV_OK &&
	    gt_header_parse(&h, rec->fields, rec->nfields, NULL, 0, msg, sizeof msg) == 0 &&
	    gt_csv_next(r, rec) == 1 && rec->error == GT_CSV_OK) {
		for (int i = 0; i < GT_COL_COUNT; i++) {
			val[i][0] = '\0';
			if (h.pos[i] >= 0 && h.pos[i] < rec->nfields) {
				size_t n = rec->fields[h.pos[i]].n < 511 ? rec->fields[h.pos[i]].n : 511;
				memcpy(val[i], rec->fields[h.pos[i]].p, n);
				val[i][n] = '\0';
			}
		}
		ok = true;
	}
	free(rec);
	gt_csv_free(&r);
	return ok;
}

static void save_draft(struct form *f)
{
	if (!f->draft_dirty || gt_store_role(T.st) < GT_USER_CLERK)
		return;
	char *text = form_csv((const char (*)[512])f->val);
	char *base = f->case_id && f->have_base ? form_csv((const char (*)[512])f->base) : NULL;
	/* Named by the applicant, as the draft list shows it. */
	const char *name = f->val[GT_COL_NAME][0] ? f->val[GT_COL_NAME] : "";
	if (text && gt_store_draft_save(T.st, &f->draft_id, name, f->case_id, f->version, base, text) == GT_OK) {
		f->draft_dirty = false;
		f->last_draft = now_s();
	}
	free(text);
	free(base);
}

/* ---- field display and editing */

static bool is_text(enum ftype t)
{
	return t == F_TEXT || t == F_ID || t == F_DATE || t == F_COUNT03;
}

static const struct gt_code_table *level_table(const struct form *f, const struct field *fd)
{
	if (fd->type == F_LEVEL)
		return fd->table;
	/* The level applied for: a title for skill_to_title, else a skill level. */
	return direction_of(f) == GT_DIR_SKILL_TO_TITLE ? &gt_title_levels : &gt_skill_levels;
}

/* ---- competitions: entries competition:result[:role[:team size]] (codes,
 * as the CSV has them), chosen in four steps, never typed */

/* The next entry of a competitions value into part[] (empty strings for the
 * parts not given); NULL at the end. Full-width ：；、 read as : and ;. */
static const char *comp_next(const char *p, char part[4][200])
{
	while (*p == ';' || *p == ' ')
		p++;
	if (!*p)
		return NULL;
	const char *semi = strchr(p, ';');
	size_t len = semi ? (size_t)(semi - p) : strlen(p);
	char item[800];
	gt_text_halfwidth(p, len, ';', item, sizeof item);
	for (int k = 0; k < 4; k++)
		part[k][0] = '\0';
	char *q = item;
	for (int k = 0; k < 4 && q; k++) {
		char *colon = strchr(q, ':');
		if (colon)
			*colon = '\0';
		size_t l = strlen(q) < 199 ? strlen(q) : 199;
		memcpy(part[k], q, l);
		part[k][l] = '\0';
		q = colon ? colon + 1 : NULL;
	}
	return p + len;
}

/* An entry in words: 全国技能大赛、金牌、选手、3人. */
static void comp_name(char part[4][200], char *out, size_t size)
{
	struct gt_sb sb = gt_sb_make(out, size);
	int c = gt_code_lookup(&gt_comps, part[0], strlen(part[0]));
	gt_sb_add(&sb, c >= 0 ? name_of(&gt_comps, c) : part[0]);
	int r = gt_code_lookup(&gt_results, part[1], strlen(part[1]));
	if (r >= 0 && r != GT_RES_RANK)
		gt_sb_addf(&sb, "%s%s", _(", "), name_of(&gt_results, r));
	else if (strncmp(part[1], "rank", 4) == 0)
		gt_sb_addf(&sb, _(", place %s"), part[1] + 4);
	else if (part[1][0])
		gt_sb_addf(&sb, "%s%s", _(", "), part[1]);
	int role = gt_code_lookup(&gt_roles, part[2], strlen(part[2]));
	if (role > 0)
		gt_sb_addf(&sb, "%s%s", _(", "), name_of(&gt_roles, role));
	if (part[3][0] && strcmp(part[3], "1") != 0)
		gt_sb_addf(&sb, _(", team of %s"), part[3]);
}

/* One step: a single choice from a code table (all of it, or from `from`);
 * the index or -1 on Esc. */
static int pick_one(const char *title, const struct gt_code_table *t, int from)
{
	struct pick_item items[32];
	char search[32][256];
	int n = 0;
	for (int i = from; i < t->count && n < 32; i++) {
		snprintf(search[n], sizeof search[n], "%s %s %s", gt_code_of(t, i), gt_zh_of(t, i), gt_en_of(t, i));
		items[n] = (struct pick_item){ .label = name_of(t, i), .search = search[n], .value = i };
		n++;
	}
	int r = tui_pick(title, items, n, false, 0);
	return r < 0 ? -1 : items[r].value;
}

/* A new entry: competition, result or place, role, team size. */
static bool comp_add(char *v, size_t size)
{
	int c = pick_one(_("Competition (1/4): Enter to choose"), &gt_comps, 0);
	if (c < 0)
		return false;
	int r = pick_one(_("Result or place (2/4): Enter to choose"), &gt_results, 0);
	if (r < 0)
		return false;
	char result[32];
	snprintf(result, sizeof result, "%s", gt_code_of(&gt_results, r));
	if (r == GT_RES_RANK) {
		char num[64] = "";
		for (;;) {
			if (!tui_prompt(_("Place (1-999):"), num, sizeof num))
				return false;
			char d[64];
			gt_text_halfwidth(num, strlen(num), 0, d, sizeof d);
			size_t k = strlen(d);
			if (k >= 1 && k <= 3 && strspn(d, "0123456789") == k && d[0] != '0') {
				snprintf(result, sizeof result, "rank%.3s", d); /* 1-3 digits, checked */
				break;
			}
			tui_set_status(true, "%s", _("A place is a number from 1 to 999."));
			tui_draw_footer(SCR_INTAKE);
		}
	}
	int role = pick_one(_("Role (3/4): Enter to choose"), &gt_roles, 0);
	if (role < 0)
		return false;
	static const char *const sizes[] = { N_("alone (1)"), N_("team of 2"), N_("team of 3") };
	struct pick_item items[3];
	for (int i = 0; i < 3; i++)
		items[i] = (struct pick_item){ .label = _(sizes[i]), .value = i + 1 };
	int t = tui_pick(_("Team size (4/4): Enter to choose"), items, 3, false, 0);
	if (t < 0)
		return false;
	size_t len = strlen(v);
	snprintf(v + len, size - len, "%s%s:%s:%s:%d", len ? ";" : "", gt_code_of(&gt_comps, c), result,
		 gt_code_of(&gt_roles, role), items[t].value);
	return true;
}

/* The competitions of the case: the entries, Enter on one removes it, the
 * last line adds one. */
static void pick_comps(struct form *f, const struct field *fd)
{
	char *v = f->val[fd->col];
	for (;;) {
		struct pick_item items[GT_MAX_COMPS + 2];
		char names[GT_MAX_COMPS][400];
		int n = 0;
		char one[4][200];
		const char *p = v;
		while (n < GT_MAX_COMPS && (p = comp_next(p, one)) != NULL) {
			comp_name(one, names[n], sizeof names[n]);
			items[n] = (struct pick_item){ .label = names[n], .value = n };
			n++;
		}
		int add = n;
		if (n < GT_MAX_COMPS)
			items[n++] = (struct pick_item){ .label = _("+ add a competition result"), .value = -1 };
		int r = tui_pick(_("Competitions: Enter on a result removes it; the last line adds one"), items, n, false,
				 add < n ? add : 0);
		if (r < 0)
			return;
		if (items[r].value < 0) {
			if (!comp_add(v, 512))
				return;
		} else {
			erase();
			if (!tui_confirm(_("Remove this competition result?")))
				continue;
			/* Rebuild the value without entry r. */
			char out[512];
			struct gt_sb sb = gt_sb_make(out, sizeof out);
			p = v;
			for (int i = 0; (p = comp_next(p, one)) != NULL; i++) {
				if (i == items[r].value)
					continue;
				gt_sb_addf(&sb, "%s%s:%s%s%s%s%s", sb.len ? ";" : "", one[0], one[1],
					   one[2][0] || one[3][0] ? ":" : "", one[2], one[3][0] ? ":" : "", one[3]);
			}
			snprintf(v, 512, "%s", out);
		}
		f->dirty = f->draft_dirty = true;
		evaluate(f);
	}
}

static void field_display(const struct form *f, const struct field *fd, char *out, size_t size)
{
	const char *v = f->val[fd->col];
	struct gt_sb sb = gt_sb_make(out, size);
	switch (fd->type) {
	case F_ENUM: case F_LEVEL: case F_REQUESTED: {
		const struct gt_code_table *t = fd->type == F_ENUM ? fd->table : level_table(f, fd);
		int i = gt_code_lookup(t, v, strlen(v));
		gt_sb_add(&sb, i >= 0 ? name_of(t, i) : *v ? v : (fd->type == F_REQUESTED ? _("(highest reachable)") : _("(choose: Enter)")));
		break;
	}
	case F_BOOL:
		gt_sb_add(&sb, !*v ? _("(not answered: Space)") : strcmp(v, "yes") == 0 ? _("yes") : _("no"));
		break;
	case F_HONOURS: case F_EVIDENCE: {
		const char *p = v;
		int n = 0;
		while (*p) {
			const char *semi = strchr(p, ';');
			size_t len = semi ? (size_t)(semi - p) : strlen(p);
			int i = gt_code_lookup(fd->table, p, len);
			gt_sb_addf(&sb, "%s%s", n++ ? _(", ") : "", i >= 0 ? name_of(fd->table, i) : "?");
			p += len + (semi ? 1 : 0);
		}
		if (!n)
			gt_sb_add(&sb, _("(none: Enter to choose)"));
		break;
	}
	case F_COMPS: {
		char one[4][200];
		const char *p = v;
		int n = 0;
		while ((p = comp_next(p, one)) != NULL) {
			char name[400];
			comp_name(one, name, sizeof name);
			gt_sb_addf(&sb, "%s%s", n++ ? _("; ") : "", name);
		}
		if (!n)
			gt_sb_add(&sb, _("(none: Enter to choose)"));
		break;
	}
	default:
		gt_sb_add(&sb, v);
	}
}

/* The honours pick list: the region's own first (those its rules name). */
static void pick_honours(struct form *f, const struct field *fd)
{
	const char *rv = f->val[GT_COL_REGION];
	int region = gt_code_lookup(&gt_regions, rv, strlen(rv));
	uint32_t named = 0;
	/* Every loaded version of the region's document. */
	const struct gt_ruleset *rs = gt_rules_active();
	for (int v = 0; v < rs->n; v++)
		if (rs->v[v]->doc.region == region)
			for (int i = 0; i < rs->v[v]->nrules; i++)
				named |= rs->v[v]->rules[i].honours;
	uint32_t have = 0;
	const char *p = f->val[fd->col];
	while (*p) {
		const char *semi = strchr(p, ';');
		size_t len = semi ? (size_t)(semi - p) : strlen(p);
		int i = gt_code_lookup(&gt_honours, p, len);
		if (i >= 0)
			have |= 1u << i;
		p += len + (semi ? 1 : 0);
	}
	struct pick_item items[GT_HON_COUNT + 2];
	char labels[GT_HON_COUNT][320];
	int n = 0;
	for (int pass = 0; pass < 2; pass++) {
		items[n++] = (struct pick_item){
			.label = pass == 0 ? _("Named by this region's rules") : _("Other honours"), .header = true };
		for (int h = 0; h < GT_HON_COUNT; h++) {
			bool mine = named & (1u << h);
			if ((pass == 0) != mine)
				continue;
			/* The name alone (a long honour is not cut for a code); the
			 * search finds the code and the other language's name too. */
			snprintf(labels[h], sizeof labels[h], "%s %s %s", gt_code_of(&gt_honours, h),
				 gt_zh_of(&gt_honours, h), gt_en_of(&gt_honours, h));
			items[n++] = (struct pick_item){ .label = name_of(&gt_honours, h), .search = labels[h],
							 .selected = have & (1u << h), .value = h };
		}
	}
	if (tui_pick(_("Honours: type to search, Space to mark, Enter when done"), items, n, true, 1) < 0)
		return;
	uint32_t mask = 0;
	for (int i = 0; i < n; i++)
		if (!items[i].header && items[i].selected)
			mask |= 1u << items[i].value;
	gt_mask_codes(&gt_honours, mask, f->val[fd->col], sizeof f->val[fd->col]);
	f->dirty = f->draft_dirty = true;
}

/* The occupations (职业（工种）) of the Jiangsu 指导目录 (苏人社发〔2021〕132号
 * 附件), those of the case's title series first; a code not listed may still
 * be typed. */
static void pick_occupation(struct form *f, const struct field *fd)
{
	enum { NOCC = (int)(sizeof occupations / sizeof occupations[0]) };
	const char *sv = f->val[GT_COL_SERIES];
	int series = gt_code_lookup(&gt_series_codes, sv, strlen(sv));
	struct pick_item items[NOCC + 2];
	char labels[NOCC][200], search[NOCC][300], head[160];
	int n = 0, current = -1;
	snprintf(head, sizeof head, _("Listed for this series (%s)"),
		 series >= 0 ? name_of(&gt_series_codes, series) : "?");
	for (int pass = 0; pass < 2; pass++) {
		items[n++] = (struct pick_item){ .label = pass == 0 ? head : _("Listed for other series"), .header = true };
		for (int i = 0; i < NOCC; i++) {
			int s = gt_code_lookup(&gt_series_codes, occupations[i].series, strlen(occupations[i].series));
			if ((pass == 0) != (s == series))
				continue;
			if (pass == 0)
				snprintf(labels[i], sizeof labels[i], "%s  %s", occupations[i].code, occupations[i].name);
			else
				snprintf(labels[i], sizeof labels[i], _("%s  %s (%s)"), occupations[i].code,
					 occupations[i].name, name_of(&gt_series_codes, s));
			snprintf(search[i], sizeof search[i], "%s %s %s", occupations[i].code, occupations[i].name,
				 gt_zh_of(&gt_series_codes, s));
			if (current < 0 && strcmp(occupations[i].code, f->le.buf) == 0)
				current = n;
			items[n++] = (struct pick_item){ .label = labels[i], .search = search[i], .value = i };
		}
	}
	int r = tui_pick(_("Occupation code (Jiangsu 指导目录): Enter to choose; a code not listed may be typed"), items,
			 n, false, current < 0 ? 1 : current);
	if (r < 0 || items[r].header)
		return;
	snprintf(f->val[fd->col], sizeof f->val[fd->col], "%s", occupations[items[r].value].code);
	le_set(&f->le, f->val[fd->col]);
	f->dirty = f->draft_dirty = true;
}

static void pick_codes(struct form *f, const struct field *fd)
{
	const struct gt_code_table *t = fd->type == F_ENUM || fd->type == F_EVIDENCE ? fd->table : level_table(f, fd);
	bool multi = fd->type == F_EVIDENCE;
	struct pick_item items[32];
	char labels[32][256];
	int n = 0, current = 0;
	const char *v = f->val[fd->col];
	if (fd->type == F_REQUESTED) {
		items[n++] = (struct pick_item){ .label = _("(highest reachable)"), .value = -1 };
		current = 0;
	}
	uint32_t have = 0;
	if (multi) {
		const char *p = v;
		while (*p) {
			const char *semi = strchr(p, ';');
			size_t len = semi ? (size_t)(semi - p) : strlen(p);
			int i = gt_code_lookup(t, p, len);
			if (i >= 0)
				have |= 1u << i;
			p += len + (semi ? 1 : 0);
		}
	}
	for (int i = 0; i < t->count && n < 32; i++) {
		if (fd->type == F_REQUESTED && i == 0)
			continue; /* "none" is not a level one applies for */
		snprintf(labels[n], sizeof labels[n], "%s %s %s", gt_code_of(t, i), gt_zh_of(t, i), gt_en_of(t, i));
		items[n] = (struct pick_item){ .label = name_of(t, i), .search = labels[n],
					       .selected = have & (1u << i), .value = i };
		if (!multi && strcmp(gt_code_of(t, i), v) == 0)
			current = n;
		n++;
	}
	char title[256];
	snprintf(title, sizeof title, multi ? _("%s: Space to mark, Enter when done") : _("%s: Enter to choose"),
		 _(fd->label));
	int r = tui_pick(title, items, n, multi, current);
	if (r < 0)
		return;
	if (multi) {
		uint32_t mask = 0;
		for (int i = 0; i < n; i++)
			if (items[i].selected)
				mask |= 1u << items[i].value;
		gt_mask_codes(t, mask, f->val[fd->col], sizeof f->val[fd->col]);
	} else {
		snprintf(f->val[fd->col], sizeof f->val[fd->col], "%s",
			 items[r].value < 0 ? "" : gt_code_of(t, items[r].value));
	}
	f->dirty = f->draft_dirty = true;
}

static void cycle(struct form *f, const struct field *fd, int dir)
{
	char *v = f->val[fd->col];
	if (fd->type == F_BOOL) {
		/* An unanswered question: Space or → says yes, ← no. */
		snprintf(v, 512, "%s", !*v ? (dir < 0 ? "no" : "yes") : strcmp(v, "yes") == 0 ? "no" : "yes");
	} else if (fd->type == F_ENUM || fd->type == F_LEVEL) {
		const struct gt_code_table *t = fd->type == F_ENUM ? fd->table : level_table(f, fd);
		int i = gt_code_lookup(t, v, strlen(v));
		i = i < 0 ? 0 : (i + dir + t->count) % t->count;
		snprintf(v, 512, "%s", gt_code_of(t, i));
	} else {
		return;
	}
	f->dirty = f->draft_dirty = true;
}

/* Leaving a field: normalise it, check it on its own. */
static bool leave_field(struct form *f)
{
	const struct field *fd = &fields[f->focus];
	if (is_text(fd->type)) {
		if (strcmp(f->val[fd->col], f->le.buf) != 0) {
			snprintf(f->val[fd->col], sizeof f->val[fd->col], "%s", f->le.buf);
			f->dirty = f->draft_dirty = true;
		}
		if (fd->type == F_DATE)
			normalise_date(f->val[fd->col]);
		else if (fd->type == F_ID || fd->type == F_COUNT03 || fd->col == GT_COL_OCCUPATION_CODE)
			normalise_halfwidth(f->val[fd->col]);
	}
	save_draft(f);
	char msg[512];
	if (!check_one(fd->col, f->val[fd->col], msg, sizeof msg)) {
		tui_set_status(true, "%s", msg);
		return false;
	}
	/* The number and the region, once both are there: issued elsewhere? */
	if ((fd->col == GT_COL_ID_NUMBER || fd->col == GT_COL_REGION) && f->val[GT_COL_ID_NUMBER][0]) {
		bool error;
		id_message(f->val[GT_COL_ID_NUMBER], region_of(f), msg, sizeof msg, &error);
		if (error)
			tui_set_status(true, "%s", msg);
	}
	return true;
}

static void enter_field(struct form *f, int idx)
{
	f->focus = idx;
	f->page = fields[idx].page;
	le_set(&f->le, f->val[fields[idx].col]);
}

/* ---- drawing */

static void draw_panel(struct form *f, int x, int w)
{
	int y = 2;
	tui_attr_on(C_HEADER);
	tui_cell(y++, x, _(" Live evaluation"), w, false);
	tui_attr_off(0);
	char buf[2048];
	struct gt_id_info id;
	const char *idv = f->val[GT_COL_ID_NUMBER];
	int region = region_of(f);
	if (region >= 0 && strlen(idv) == 18 && gt_id_decode(idv, 18, &id) && !gt_id_in_region(id.area, region)) {
		tui_attr_on(C_WARN);
		snprintf(buf, sizeof buf, _("Identity number issued outside %s"), name_of(&gt_regions, region));
		tui_cell(y++, x, buf, w, false);
		tui_attr_off(0);
	}
	if (!f->valid) {
		tui_attr_on(C_WARN);
		tui_cell(y++, x, _("Not complete yet:"), w, false);
		tui_attr_off(0);
		int starts[16], lens[16];
		int n = tui_wrap(f->problem, w, starts, lens, 16);
		for (int i = 0; i < n && y < LINES - 3; i++) {
			snprintf(buf, sizeof buf, "%.*s", lens[i], f->problem + starts[i]);
			tui_cell(y++, x, buf, w, false);
		}
		return;
	}
	const struct gt_eval *ev = &f->ev;
	int dir = f->c.direction;
	tui_attr_on(ev->outcome == GT_OUT_ELIGIBLE ? C_OK : C_WARN);
	snprintf(buf, sizeof buf, "%s", name_of(&gt_outcomes, ev->outcome));
	tui_cell(y++, x, buf, w, false);
	tui_attr_off(0);
	if (ev->target >= 0) {
		snprintf(buf, sizeof buf, _("Target: %s"),
			 name_of(dir == GT_DIR_SKILL_TO_TITLE ? &gt_title_levels : &gt_skill_levels, ev->target));
		tui_cell(y++, x, buf, w, false);
	}
	if (ev->route) {
		snprintf(buf, sizeof buf, _("Route: %s"), name_of(&gt_routes, ev->route));
		tui_cell(y++, x, buf, w, false);
	}
	/* The honours that apply, as the basis of the chosen route. */
	if (ev->basis_honours || ev->basis_comps) {
		tui_cell(y++, x, _("Rests on:"), w, false);
		for (int h = 0; h < GT_HON_COUNT && y < LINES - 3; h++)
			if (ev->basis_honours & (1u << h)) {
				snprintf(buf, sizeof buf, "  %s", name_of(&gt_honours, h));
				tui_cell(y++, x, buf, w, false);
			}
		for (int k = 0; k < f->c.ncomps && y < LINES - 3; k++)
			if (ev->basis_comps & (1u << k)) {
				snprintf(buf, sizeof buf, "  %s", name_of(&gt_comps, f->c.comps[k].comp));
				tui_cell(y++, x, buf, w, false);
			}
	}
	if (ev->outcome == GT_OUT_NEEDS_EVIDENCE || ev->outcome == GT_OUT_MANUAL_REVIEW) {
		if (ev->missing_ev) {
			tui_cell(y++, x, _("Missing:"), w, false);
			for (int e = 0; e < GT_EV_COUNT && y < LINES - 3; e++)
				if (ev->missing_ev & (1u << e)) {
					snprintf(buf, sizeof buf, "  %s", name_of(&gt_evidence_codes, e));
					tui_cell(y++, x, buf, w, false);
				}
		}
	}
	if (ev->outcome == GT_OUT_NOT_ELIGIBLE && ev->unmet) {
		tui_cell(y++, x, _("Not met:"), w, false);
		for (int u = 0; u < 16 && y < LINES - 3; u++)
			if (ev->unmet & (1u << u)) {
				snprintf(buf, sizeof buf, "  %s", name_of(&gt_unmet_codes, u));
				tui_cell(y++, x, buf, w, false);
			}
	}
	char cite[512];
	gt_eval_citation(ev, cite, sizeof cite);
	if (cite[0] && y < LINES - 4) {
		int starts[8], lens[8];
		int n = tui_wrap(cite, w, starts, lens, 8);
		tui_attr_on(C_DIM);
		for (int i = 0; i < n && y < LINES - 3; i++) {
			snprintf(buf, sizeof buf, "%.*s", lens[i], cite + starts[i]);
			tui_cell(y++, x, buf, w, false);
		}
		tui_attr_off(0);
	}
}

/* Where the clerk is: "5/7 Honours and competitions", then the pages
 * before and after, as many as fit, so that none is out of sight unsaid. */
static void draw_pages(const struct form *f, int width)
{
	char here[160];
	snprintf(here, sizeof here, _("%d/%d %s"), f->page + 1, NPAGES, _(page_titles[f->page]));
	tui_attr_on(C_SELECT);
	tui_cell(1, 0, here, tui_width(here), false);
	tui_attr_off(0);
	int x = tui_width(here) + 2;
	tui_attr_on(C_DIM);
	for (int p = f->page + 1; p < f->page + NPAGES; p++) {
		int q = p % NPAGES;
		char t[160];
		snprintf(t, sizeof t, q == 0 ? _("| %d %s") : "%d %s", q + 1, _(page_titles[q]));
		int tw = tui_width(t);
		if (x + tw > width)
			break;
		tui_cell(1, x, t, tw, false);
		x += tw + 2;
	}
	tui_attr_off(0);
}

static void draw(struct form *f)
{
	erase();
	curs_set(0);
	char title[256];
	if (f->case_id)
		snprintf(title, sizeof title, _(" guantong — edit case %lld — %s"), (long long)f->case_id,
			 _(page_titles[f->page]));
	else
		snprintf(title, sizeof title, _(" guantong — new case — %s"), _(page_titles[f->page]));
	tui_draw_title(title);
	int panel_w = COLS >= 120 ? 44 : 30;
	int form_w = COLS - panel_w - 1;
	int label_w = form_w >= 60 ? 26 : 20;
	draw_pages(f, COLS);
	int y = 3;
	int cursor_y = -1;
	if (f->page == REVIEW_PAGE) {
		/* What was entered, compactly: the required fields and those not
		 * at their default. */
		int hidden = 0;
		for (int i = 0; i < NFIELDS; i++) {
			const struct field *fd = &fields[i];
			bool shown = gt_column_required((gt_column)fd->col) || fd->col == f->problem_col ||
				     fd->col == GT_COL_APPLICATION_DATE;
			if (!shown) {
				const char *v = f->val[fd->col];
				shown = must_answer(fd->col) ||
					(*v && strcmp(v, "no") != 0 && strcmp(v, "none") != 0);
			}
			if (!shown)
				continue;
			if (y >= LINES - 4) {
				hidden++;
				continue;
			}
			char v[1024];
			field_display(f, fd, v, sizeof v);
			tui_attr_on(fd->col == f->problem_col ? C_ERROR : C_DIM);
			tui_cell(y, 0, _(fd->label), label_w, false);
			tui_attr_off(0);
			tui_cell(y, label_w + 1, v, form_w - label_w - 1, false);
			y++;
		}
		if (hidden) {
			char more[128];
			snprintf(more, sizeof more, _("… and %d more (PgUp to see them)"), hidden);
			tui_cell(y++, 0, more, form_w, false);
		}
		if (y < LINES - 3) {
			tui_attr_on(C_OK);
			tui_cell(y, 0, f->valid ? _("F2 saves the case.") : _("Correct the field marked, then F2 saves."),
				 form_w, false);
			tui_attr_off(0);
		}
	} else {
		for (int i = 0; i < NFIELDS; i++) {
			const struct field *fd = &fields[i];
			if (fd->page != f->page)
				continue;
			bool focused = i == f->focus;
			tui_attr_on(fd->col == f->problem_col ? C_WARN : C_NORMAL);
			tui_cell(y, 0, _(fd->label), label_w, false);
			tui_attr_off(0);
			int vx = label_w + 1, vw = form_w - label_w - 1;
			if (focused && is_text(fd->type)) {
				tui_attr_on(C_SELECT);
				le_draw(&f->le, y, vx, vw, false);
				tui_attr_off(0);
				cursor_y = y;
			} else {
				char v[1024];
				field_display(f, fd, v, sizeof v);
				if (focused)
					tui_attr_on(C_SELECT);
				tui_cell(y, vx, v, vw, false);
				if (focused)
					tui_attr_off(0);
			}
			y++;
		}
		/* A hint for the focused field. */
		const struct field *fd = &fields[f->focus];
		const char *hint = fd->type == F_DATE ? _("YYYY-MM-DD or YYYYMMDD")
				   : fd->type == F_COMPS ? _("Enter: add or remove a competition result")
				   : fd->type == F_BOOL ? _("Space or ←/→ switches yes/no")
				   : fd->type == F_ENUM || fd->type == F_LEVEL || fd->type == F_REQUESTED ? _("Enter: choose from the list; ←/→: previous/next")
				   : fd->col == GT_COL_OCCUPATION_CODE ? _("Enter: choose from the Jiangsu 指导目录, or type a code such as 6-31-03")
				   : fd->type == F_ID ? _("18 characters; checked as you type, with the birth date, sex and issuing area it encodes")
				   : fd->type == F_HONOURS || fd->type == F_EVIDENCE ? _("Enter: choose from the list")
				   : "";
		if (*hint) {
			tui_attr_on(C_DIM);
			int starts[4], lens[4];
			int n = tui_wrap(hint, form_w, starts, lens, 4);
			for (int i = 0; i < n && y + 1 + i < LINES - 2; i++) {
				char b[512];
				snprintf(b, sizeof b, "%.*s", lens[i], hint + starts[i]);
				tui_cell(y + 1 + i, 0, b, form_w, false);
			}
			tui_attr_off(0);
		}
	}
	/* The separator and the live panel. */
	for (int j = 2; j < LINES - 2; j++)
		mvaddch(j, form_w, T.ascii ? '|' : ACS_VLINE);
	draw_panel(f, form_w + 1, panel_w);
	tui_draw_footer(SCR_INTAKE);
	if (cursor_y >= 0) {
		const struct field *fd = &fields[f->focus];
		le_draw(&f->le, cursor_y, label_w + 1, form_w - label_w - 1, true);
		(void)fd;
	}
	refresh();
}

/* What an identity number encodes, to compare with the card: the birth
 * date, the sex and the issuing area (GB 11643, GB/T 2260). */
static void id_area(const struct gt_id_info *id, char *area, size_t size)
{
	const struct gt_id_area *a = id->city ? id->city : id->province;
	if (a && id->city && id->province)
		snprintf(area, size, gt_names_zh() ? "%s%s" : "%s, %s", gt_names_zh() ? id->province->zh : id->city->en,
			 gt_names_zh() ? id->city->zh : id->province->en);
	else if (a)
		snprintf(area, size, "%s", gt_names_zh() ? a->zh : a->en);
	else
		snprintf(area, size, _("no province has the code %.2s"), id->area);
}

static void id_describe(const struct gt_id_info *id, char *out, size_t size)
{
	char birth[11] = "", area[160];
	if (id->birth != GT_DATE_NONE)
		gt_date_format(id->birth, birth);
	id_area(id, area, sizeof area);
	snprintf(out, size, _("born %s, %s, issued in %s (%s)"),
		 *birth ? birth : _("(no real date)"), id->sex == 1 ? _("male") : _("female"), area, id->area);
}

/* The identity number as typed so far: what it encodes, and whether it
 * checks; "" when there is nothing to say yet. A number that does not check
 * has a mistyped character anywhere, so the form never names the "right"
 * last character. *error: the message is a problem. */
static void id_message(const char *typed, int region, char *out, size_t size, bool *error)
{
	char buf[512];
	gt_text_halfwidth(typed, strlen(typed), 0, buf, sizeof buf);
	size_t n = strlen(buf);
	struct gt_id_info id;
	char what[256];
	*error = true;
	out[0] = '\0';
	if (n > 18) {
		snprintf(out, size, "%s", _("Identity number: more than 18 characters."));
		return;
	}
	if (n < 17 || !gt_id_decode(buf, n, &id)) {
		if (strspn(buf, "0123456789") < (n < 17 ? n : 17))
			snprintf(out, size, "%s", _("Identity number: 17 digits, then a digit or X."));
		else
			*error = false;
		return;
	}
	id_describe(&id, what, sizeof what);
	if (n == 17) {
		*error = false;
		snprintf(out, size, _("Identity number: %s; one character to go."), what);
		return;
	}
	char norm[19];
	gt_date birth;
	int r = gt_id_validate(buf, n, norm, &birth);
	if (r == GT_ID_CHECK) {
		snprintf(out, size, _("Identity number does not check: a character is mistyped. It reads: %s. Compare it with the card."),
			 what);
	} else if (r != GT_ID_OK) {
		snprintf(out, size, _("Identity number: characters 7-14 are not a real birth date (%s)."), what);
	} else if (region >= 0 && !gt_id_in_region(id.area, region)) {
		char area[160];
		id_area(&id, area, sizeof area);
		snprintf(out, size, _("Identity number issued in %s, not in %s, the case's region: compare it with the card."),
			 area, name_of(&gt_regions, region));
	} else {
		*error = false;
		snprintf(out, size, _("Identity number checks: %s."), what);
	}
}

static void check_id_typing(struct form *f)
{
	char msg[512];
	bool error;
	id_message(f->le.buf, region_of(f), msg, sizeof msg, &error);
	if (msg[0])
		tui_set_status(error, "%s", msg);
	else
		T.status[0] = '\0';
}

static int first_field_of_page(int page)
{
	for (int i = 0; i < NFIELDS; i++)
		if (fields[i].page == page)
			return i;
	return 0;
}

static void goto_page(struct form *f, int page)
{
	if (page < 0 || page >= NPAGES)
		return;
	leave_field(f);
	f->page = page;
	if (page != REVIEW_PAGE)
		enter_field(f, first_field_of_page(page));
}

/* A field's value as the form shows it (names, not codes). */
static void value_display(const struct form *f, const struct field *fd, const char *v, char *out, size_t size)
{
	static struct form scratch;
	memcpy(scratch.val, f->val, sizeof scratch.val);
	snprintf(scratch.val[fd->col], sizeof scratch.val[fd->col], "%s", v);
	field_display(&scratch, fd, out, size);
}

/* The case changed since the form's version (someone else saved it): says
 * which fields they changed, and offers to apply the clerk's own changes
 * (the fields that differ from the version the clerk began from) to the case
 * as it is now. Returns true when the form now stands on the new version. */
static bool reapply(struct form *f)
{
	struct gt_case_row *row = malloc(sizeof *row);
	static char cur[GT_COL_COUNT][512];
	bool done = false;
	if (!row || gt_store_get(T.st, f->case_id, row) != GT_OK) {
		tui_set_status(true, "%s", gt_store_errmsg(T.st));
		goto out;
	}
	for (int i = 0; i < GT_COL_COUNT; i++)
		gt_case_field(&row->c, i, cur[i], sizeof cur[i]);
	char text[4096];
	struct gt_sb sb = gt_sb_make(text, sizeof text);
	gt_sb_addf(&sb, _("%s changed the case at %s (version %lld; you began from version %lld)."),
		   row->updated_by, cli_time(row->updated_at), (long long)row->version, (long long)f->version);
	if (!f->have_base) {
		gt_sb_add(&sb, " ");
		gt_sb_add(&sb, _("This draft does not say what the case was when it began, so their changes cannot be told from yours."));
		erase();
		tui_message(_("Someone else changed this case"), text);
		if (tui_confirm(_("Reload the case as it is now? Your changes on screen are dropped."))) {
			memcpy(f->val, cur, sizeof cur);
			memcpy(f->base, cur, sizeof cur);
			f->have_base = true;
			f->version = row->version;
			f->draft_dirty = true;
			done = true;
		}
		goto out;
	}
	int theirs = 0, mine = 0;
	for (int i = 0; i < NFIELDS; i++) {
		const struct field *fd = &fields[i];
		int c = fd->col;
		if (strcmp(cur[c], f->base[c]) == 0)
			continue;
		char was[600], now[600];
		value_display(f, fd, f->base[c], was, sizeof was);
		value_display(f, fd, cur[c], now, sizeof now);
		gt_sb_addf(&sb, "%s%s%s", theirs++ ? _("; ") : _(" They changed: "), _(fd->label), _(": "));
		gt_sb_addf(&sb, _("%s → %s"), was, now);
		if (strcmp(f->val[c], f->base[c]) != 0 && strcmp(f->val[c], cur[c]) != 0)
			gt_sb_add(&sb, _(" (you changed it too)"));
	}
	if (!theirs)
		gt_sb_add(&sb, _(" They changed no field of this form."));
	for (int i = 0; i < NFIELDS; i++) {
		int c = fields[i].col;
		if (strcmp(f->val[c], f->base[c]) == 0)
			continue;
		gt_sb_addf(&sb, "%s%s", mine++ ? _(", ") : _(" Your changes: "), _(fields[i].label));
	}
	if (!mine)
		gt_sb_add(&sb, _(" You changed nothing yet."));
	erase();
	tui_message(_("Someone else changed this case"), text);
	if (tui_confirm(_("Apply your changes to the case as it is now? Where you both changed a field, yours is kept."))) {
		for (int c = 0; c < GT_COL_COUNT; c++)
			if (strcmp(f->val[c], f->base[c]) == 0)
				memcpy(f->val[c], cur[c], sizeof f->val[c]);
		memcpy(f->base, cur, sizeof cur);
		f->version = row->version;
		f->dirty = f->draft_dirty = true;
		done = true;
		tui_set_status(false, _("Your changes now stand on version %lld; check them and save (F2)."),
			       (long long)row->version);
	} else {
		tui_set_status(true, "%s", _("Not applied: the draft stays on the old version; saving will ask again."));
	}
out:
	free(row);
	return done;
}

static bool save(struct form *f, int64_t *saved)
{
	if (!leave_field(f))
		return false;
	evaluate(f);
	if (!f->valid) {
		tui_set_status(true, "%s", f->problem);
		for (int i = 0; i < NFIELDS; i++)
			if (fields[i].col == f->problem_col)
				enter_field(f, i);
		return false;
	}
	struct gt_case_row *row = calloc(1, sizeof *row);
	if (!row)
		return false;
	int rc;
	if (f->case_id) {
		if ((rc = gt_store_get(T.st, f->case_id, row)) == GT_OK) {
			row->c = f->c;
			row->version = f->version;
			rc = gt_store_save(T.st, row);
		}
	} else {
		row->c = f->c;
		row->status = GT_ST_SUBMITTED;
		rc = gt_store_save(T.st, row);
	}
	if (rc == GT_OK) {
		*saved = row->id;
		/* An edit that changes nothing writes nothing (gt_store_save). */
		if (f->case_id && row->version == f->version)
			tui_set_status(false, _("Case %lld: nothing was changed, so nothing was saved."), (long long)row->id);
		else
			tui_set_status(false, _("Case %lld saved."), (long long)row->id);
		if (f->draft_id)
			gt_store_draft_delete(T.st, f->draft_id);
		f->dirty = f->draft_dirty = false;
		free(row);
		return true;
	}
	char msg[1200];
	snprintf(msg, sizeof msg, "%s", gt_store_errmsg(T.st));
	free(row);
	if (rc == GT_ERR_CONFLICT) {
		if (reapply(f)) {
			enter_field(f, f->focus);
			evaluate(f);
			save_draft(f);
		}
		return false;
	}
	tui_set_status(true, "%s", msg);
	return false;
}

static struct form *current_form;

static void save_on_interrupt(void)
{
	struct form *f = current_form;
	if (!f)
		return;
	const struct field *fd = &fields[f->focus];
	if (f->page != REVIEW_PAGE && is_text(fd->type) && strcmp(f->le.buf, f->val[fd->col]) != 0) {
		snprintf(f->val[fd->col], sizeof f->val[fd->col], "%s", f->le.buf);
		f->draft_dirty = true;
	}
	save_draft(f);
}

/* The user's drafts of this case (or of new cases), newest first: resume
 * one, or start afresh and keep them all. False on Esc (no intake). */
static bool choose_draft(struct form *f)
{
	struct gt_draft *list = NULL;
	int n = 0;
	if (gt_store_draft_list(T.st, f->case_id, &list, &n) != GT_OK || n == 0) {
		free(list);
		return true;
	}
	struct pick_item *items = calloc((size_t)n + 1, sizeof *items);
	char (*labels)[256] = calloc((size_t)n, sizeof *labels);
	bool go = false;
	if (!items || !labels)
		goto out;
	for (int i = 0; i < n; i++) {
		/* (tui_cell makes the name safe for the terminal) */
		snprintf(labels[i], sizeof labels[i], _("%s, saved %s"),
			 list[i].name[0] ? list[i].name : _("(no name yet)"), cli_time(list[i].updated_at));
		items[i] = (struct pick_item){ .label = labels[i], .value = i };
	}
	items[n] = (struct pick_item){ .label = f->case_id ? _("Start from the case as it is now (the drafts are kept)")
							    : _("Start a new case (the drafts are kept)"),
				       .value = -1 };
	erase();
	tui_draw_title(f->case_id ? _(" guantong — edit case") : _(" guantong — new case"));
	int r = tui_pick(f->case_id ? _("Drafts of this case: Enter resumes one") : _("Drafts of new cases: Enter resumes one"),
			 items, n + 1, false, 0);
	if (r < 0)
		goto out;
	go = true;
	if (items[r].value < 0)
		goto out;
	const struct gt_draft *d = &list[items[r].value];
	char *values = NULL, *base = NULL;
	struct gt_draft info;
	if (gt_store_draft_load(T.st, d->id, &info, &values, &base) == GT_OK && values &&
	    form_from_csv(f->val, values)) {
		f->draft_id = d->id;
		f->dirty = true;
		if (f->case_id) {
			f->have_base = base && *base && form_from_csv(f->base, base);
			int64_t now = f->version;
			f->version = d->base_version;
			/* Changed meanwhile: say what they changed, offer to re-apply. */
			if (now != d->base_version && reapply(f))
				save_draft(f);
		}
	} else {
		tui_set_status(true, "%s", _("The draft could not be read; the form starts afresh."));
	}
	free(values);
	free(base);
out:
	free(items);
	free(labels);
	free(list);
	return go;
}

int64_t tui_intake(int64_t id)
{
	if (gt_store_role(T.st) < GT_USER_CLERK) {
		tui_set_status(true, _("%s is not a user of this database and cannot take in cases."), gt_store_actor(T.st));
		return 0;
	}
	struct form *f = calloc(1, sizeof *f);
	if (!f)
		return 0;
	f->case_id = id;
	/* Defaults: the form starts as the case CSV's defaults. */
	snprintf(f->val[GT_COL_SKILL_LEVEL], 512, "none");
	snprintf(f->val[GT_COL_TITLE_LEVEL], 512, "none");
	/* 专业（职业）对应 and 在本地区就业 start unanswered (must_answer). */
	snprintf(f->val[GT_COL_TECH_SCHOOL_CLASS], 512, "none");
	snprintf(f->val[GT_COL_DIRECTION], 512, "skill_to_title");
	snprintf(f->val[GT_COL_SERIES], 512, "engineering");
	for (const int *c = (const int[]){ GT_COL_FRONTLINE, GT_COL_SELF_EMPLOYED, GT_COL_PILOT_ENTERPRISE,
					   GT_COL_DIPLOMA_RELATED, GT_COL_PUBLIC_INSTITUTION_WORKER,
					   GT_COL_INTEGRITY_FLAG, -1 };
	     *c >= 0; c++)
		snprintf(f->val[*c], 512, "no");
	char today[11];
	gt_date_format(gt_date_today(), today);
	snprintf(f->val[GT_COL_APPLICATION_DATE], 512, "%s", today);
	if (id) {
		struct gt_case_row *row = malloc(sizeof *row);
		if (!row || gt_store_get(T.st, id, row) != GT_OK) {
			tui_set_status(true, "%s", gt_store_errmsg(T.st));
			free(row);
			free(f);
			return 0;
		}
		for (int i = 0; i < GT_COL_COUNT; i++)
			gt_case_field(&row->c, i, f->val[i], sizeof f->val[i]);
		memcpy(f->base, f->val, sizeof f->base);
		f->have_base = true;
		f->version = row->version;
		free(row);
	}
	/* Drafts left by a crash, a lost connection or Esc: listed, by name. */
	if (!choose_draft(f)) {
		free(f);
		return 0;
	}
	enter_field(f, 0);
	evaluate(f);
	current_form = f;
	tui_on_interrupt(save_on_interrupt);
	int64_t saved = 0;
	for (;;) {
		if (!T.too_small)
			draw(f);
		int k = tui_getkey(1000);
		if (k == ERR) {
			if (f->draft_dirty || strcmp(f->le.buf, f->val[fields[f->focus].col]) != 0) {
				/* Idle: keep the draft current, even mid-field. */
				const struct field *fd = &fields[f->focus];
				if (is_text(fd->type) && strcmp(f->le.buf, f->val[fd->col]) != 0) {
					snprintf(f->val[fd->col], sizeof f->val[fd->col], "%s", f->le.buf);
					f->dirty = f->draft_dirty = true;
				}
				save_draft(f);
			}
			continue;
		}
		if (k == KEY_RESIZE) {
			tui_check_size();
			continue;
		}
		if (T.too_small)
			continue;
		const struct field *fd = &fields[f->focus];
		enum action a = tui_action_for(k, SCR_INTAKE);
		bool text = f->page != REVIEW_PAGE && is_text(fd->type);
		/* In a text field, characters and editing keys go to the field. */
		if (text && a != ACT_NEXT_FIELD && a != ACT_PREV_FIELD && a != ACT_NEXT_PAGE && a != ACT_PREV_PAGE &&
		    a != ACT_SAVE && a != ACT_BACK && a != ACT_PICK && a != ACT_REDRAW && a != ACT_HELP &&
		    le_key(&f->le, k)) {
			snprintf(f->val[fd->col], sizeof f->val[fd->col], "%s", f->le.buf);
			f->dirty = f->draft_dirty = true;
			if (fd->type == F_ID)
				check_id_typing(f);
			evaluate(f);
			tui_key_done(k);
			continue;
		}
		if (!text && f->page != REVIEW_PAGE) {
			if (k == ' ' || k == KEY_LEFT || k == KEY_RIGHT) {
				if (fd->type == F_BOOL || fd->type == F_ENUM || fd->type == F_LEVEL) {
					cycle(f, fd, k == KEY_LEFT ? -1 : 1);
					evaluate(f);
					if (T.status_error)
						T.status[0] = '\0';
					tui_key_done(k);
					continue;
				}
			}
		}
		if (a == ACT_PICK && text && fd->col == GT_COL_OCCUPATION_CODE) {
			snprintf(f->val[fd->col], sizeof f->val[fd->col], "%s", f->le.buf);
			pick_occupation(f, fd);
			evaluate(f);
			save_draft(f);
			tui_key_done(k);
			continue;
		}
		switch (a) {
		case ACT_NEXT_FIELD:
		case ACT_PICK:
			if (a == ACT_PICK && f->page != REVIEW_PAGE && !text) {
				if (fd->type == F_HONOURS)
					pick_honours(f, fd);
				else if (fd->type == F_COMPS)
					pick_comps(f, fd);
				else if (fd->type == F_BOOL)
					cycle(f, fd, 1);
				else
					pick_codes(f, fd);
				evaluate(f);
				save_draft(f);
				break;
			}
			if (f->page == REVIEW_PAGE)
				break;
			if (leave_field(f))
				T.status[0] = T.status_error ? T.status[0] : '\0';
			if (f->focus + 1 < NFIELDS)
				enter_field(f, f->focus + 1);
			else
				f->page = REVIEW_PAGE;
			break;
		case ACT_PREV_FIELD:
			if (f->page == REVIEW_PAGE) {
				enter_field(f, NFIELDS - 1);
				break;
			}
			leave_field(f);
			if (f->focus > 0)
				enter_field(f, f->focus - 1);
			break;
		case ACT_NEXT_PAGE: goto_page(f, f->page + 1); break;
		case ACT_PREV_PAGE: goto_page(f, f->page - 1); break;
		case ACT_SAVE:
			if (save(f, &saved))
				goto out;
			break;
		case ACT_HELP: tui_help(SCR_INTAKE); break;
		case ACT_REDRAW: clearok(curscr, TRUE); break;
		case ACT_BACK:
			if (f->page != REVIEW_PAGE)
				leave_field(f);
			save_draft(f);
			if (!f->dirty || tui_confirm(_("Leave without saving? The draft is kept and offered next time.")))
				goto out;
			break;
		default: break;
		}
		evaluate(f);
		tui_key_done(k);
	}
out:
	tui_on_interrupt(NULL);
	current_form = NULL;
	curs_set(0);
	free(f);
	return saved;
}
