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
#include "gt_rules.h"
#include "gt_text.h"
#include "cli.h"
#include "tui.h"

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
	N_("1 Applicant"), N_("2 Application"), N_("3 Levels held"), N_("4 Work and circumstances"),
	N_("5 Honours and competitions"), N_("6 Evidence"), N_("7 Review and save"),
};

struct form {
	int64_t case_id;           /* 0: a new case */
	int64_t version;           /* the version read, for the save */
	char val[GT_COL_COUNT][512];
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

static const char *name_of(const struct gt_code_table *t, int i)
{
	return gt_names_zh() ? gt_zh_of(t, i) : gt_code_of(t, i);
}

static int direction_of(const struct form *f)
{
	const char *v = f->val[GT_COL_DIRECTION];
	int d = gt_code_lookup(&gt_directions, v, strlen(v));
	return d < 0 ? GT_DIR_SKILL_TO_TITLE : d;
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

static void evaluate(struct form *f)
{
	struct gt_row_error err;
	f->valid = parse_form((const char (*)[512])f->val, &f->c, &err) == 0;
	if (f->valid) {
		gt_evaluate(&f->c, &f->ev);
		f->problem[0] = '\0';
		f->problem_col = -1;
	} else {
		gt_row_error_format(&err, 0, f->problem, sizeof f->problem);
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
	snprintf(msg, size, "%s", err.msg);
	return false;
}

/* Dates: YYYYMMDD is accepted and written as YYYY-MM-DD. */
static void normalise_date(char *v)
{
	size_t n = strlen(v);
	if (n == 8 && strspn(v, "0123456789") == 8) {
		char out[16];
		snprintf(out, sizeof out, "%.4s-%.2s-%.2s", v, v + 4, v + 6);
		strcpy(v, out);
	}
}

/* ---- the draft: a case CSV of two lines, header and values */

static char *form_csv(const struct form *f)
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
			gt_out_field(o, f->val[i], strlen(f->val[i]), i == 0);
		gt_out_end(o);
		gt_out_flush(o);
		free(o);
	}
	fclose(m);
	return text;
}

static bool form_from_csv(struct form *f, const char *text)
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
			f->val[i][0] = '\0';
			if (h.pos[i] >= 0 && h.pos[i] < rec->nfields) {
				size_t n = rec->fields[h.pos[i]].n < 511 ? rec->fields[h.pos[i]].n : 511;
				memcpy(f->val[i], rec->fields[h.pos[i]].p, n);
				f->val[i][n] = '\0';
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
	char *text = form_csv(f);
	if (text && gt_store_draft_save(T.st, f->case_id, f->version, text) == GT_OK) {
		f->draft_dirty = false;
		f->last_draft = now_s();
	}
	free(text);
}

/* ---- field display and editing */

static bool is_text(enum ftype t)
{
	return t == F_TEXT || t == F_ID || t == F_DATE || t == F_COUNT03 || t == F_COMPS;
}

static const struct gt_code_table *level_table(const struct form *f, const struct field *fd)
{
	if (fd->type == F_LEVEL)
		return fd->table;
	/* The level applied for: a title for skill_to_title, else a skill level. */
	return direction_of(f) == GT_DIR_SKILL_TO_TITLE ? &gt_title_levels : &gt_skill_levels;
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
		gt_sb_add(&sb, strcmp(v, "yes") == 0 ? _("yes") : _("no"));
		break;
	case F_HONOURS: case F_EVIDENCE: {
		const char *p = v;
		int n = 0;
		while (*p) {
			const char *semi = strchr(p, ';');
			size_t len = semi ? (size_t)(semi - p) : strlen(p);
			int i = gt_code_lookup(fd->table, p, len);
			gt_sb_addf(&sb, "%s%s", n++ ? ", " : "", i >= 0 ? name_of(fd->table, i) : "?");
			p += len + (semi ? 1 : 0);
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
			snprintf(labels[h], sizeof labels[h], "%s  (%s)", gt_zh_of(&gt_honours, h), gt_code_of(&gt_honours, h));
			items[n++] = (struct pick_item){ .label = labels[h], .search = gt_code_of(&gt_honours, h),
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
		snprintf(labels[n], sizeof labels[n], "%s  (%s)", gt_zh_of(t, i), gt_code_of(t, i));
		items[n] = (struct pick_item){ .label = labels[n], .search = gt_code_of(t, i),
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
		snprintf(v, 512, "%s", strcmp(v, "yes") == 0 ? "no" : "yes");
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
	}
	save_draft(f);
	char msg[512];
	if (!check_one(fd->col, f->val[fd->col], msg, sizeof msg)) {
		tui_set_status(true, "%s: %s", _(fd->label), msg);
		return false;
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
		snprintf(buf, sizeof buf, _("Target: %s"), gt_names_zh() ? gt_level_zh(dir, ev->target) : gt_level_code(dir, ev->target));
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
	/* The page tabs. */
	int x = 0;
	for (int p = 0; p < NPAGES; p++) {
		const char *t = _(page_titles[p]);
		int tw = tui_width(t) + 2;
		if (x + tw > form_w)
			break;
		if (p == f->page)
			tui_attr_on(C_SELECT);
		else
			tui_attr_on(C_DIM);
		tui_cell(1, x, t, tw - 1, false);
		tui_attr_off(0);
		x += tw;
	}
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
				shown = *v && strcmp(v, "no") != 0 && strcmp(v, "none") != 0 &&
					!(fd->col == GT_COL_RELATED && strcmp(v, "yes") == 0) &&
					!(fd->col == GT_COL_EMPLOYED_IN_REGION && strcmp(v, "yes") == 0);
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
				   : fd->type == F_COMPS ? _("competition:result[:role[:team size]];… e.g. national_class1:gold, 全国技能大赛:金牌")
				   : fd->type == F_BOOL ? _("Space or ←/→ switches yes/no")
				   : fd->type == F_ENUM || fd->type == F_LEVEL || fd->type == F_REQUESTED ? _("Enter: choose from the list; ←/→: previous/next")
				   : fd->type == F_ID ? _("18 characters; the last is checked as you type")
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

/* The identity number, checked as it is typed. */
static void check_id_typing(struct form *f)
{
	const char *v = f->le.buf;
	size_t n = strlen(v);
	if (n == 17 && strspn(v, "0123456789") == 17) {
		tui_set_status(false, _("The check character should be %c."), gt_id_check_char(v));
	} else if (n == 18) {
		char norm[19];
		gt_date birth;
		int r = gt_id_validate(v, n, norm, &birth);
		if (r == GT_ID_OK)
			tui_set_status(false, "%s", _("Identity number: check character correct."));
		else if (r == GT_ID_CHECK)
			tui_set_status(true, _("Identity number: the check character should be %c."), gt_id_check_char(v));
		else
			tui_set_status(true, "%s", _("Identity number: not 17 digits and a check character, or no real birth date."));
	} else if (n > 18) {
		tui_set_status(true, "%s", _("Identity number: more than 18 characters."));
	} else {
		T.status[0] = '\0';
	}
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
		gt_store_draft_delete(T.st, f->case_id);
		f->dirty = f->draft_dirty = false;
		free(row);
		return true;
	}
	char msg[1200];
	snprintf(msg, sizeof msg, "%s", gt_store_errmsg(T.st));
	free(row);
	if (rc == GT_ERR_CONFLICT) {
		erase();
		tui_message(_("Someone else changed this case"), msg);
		if (tui_confirm(_("Reload the case as it is now? Your changes on screen are dropped."))) {
			struct gt_case_row *r2 = malloc(sizeof *r2);
			if (r2 && gt_store_get(T.st, f->case_id, r2) == GT_OK) {
				for (int i = 0; i < GT_COL_COUNT; i++)
					gt_case_field(&r2->c, i, f->val[i], sizeof f->val[i]);
				f->version = r2->version;
				f->dirty = false;
				f->draft_dirty = true;
				enter_field(f, f->focus);
				evaluate(f);
				save_draft(f);
				tui_set_status(false, _("Reloaded version %lld; make your changes again and save."),
					       (long long)r2->version);
			}
			free(r2);
		} else {
			tui_set_status(true, "%s", _("Not saved: the case changed. Esc keeps your changes in the draft."));
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
	snprintf(f->val[GT_COL_RELATED], 512, "yes");
	snprintf(f->val[GT_COL_EMPLOYED_IN_REGION], 512, "yes");
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
		f->version = row->version;
		free(row);
	}
	/* A draft left by a crash, a lost connection or Esc. */
	char *draft = NULL, when[32] = "";
	int64_t base = 0;
	if (gt_store_draft_load(T.st, id, &draft, &base, when) == GT_OK && draft) {
		erase();
		tui_draw_title(id ? _(" guantong — edit case") : _(" guantong — new case"));
		char q[256];
		snprintf(q, sizeof q, _("A draft from %s is waiting. Resume it?"), cli_time(when));
		if (tui_confirm(q)) {
			if (form_from_csv(f, draft)) {
				f->dirty = true;
				if (id && base != f->version)
					tui_set_status(true, "%s", _("The case changed since the draft was made; saving will say so."));
				if (id)
					f->version = base;
			}
		} else {
			gt_store_draft_delete(T.st, id);
		}
		free(draft);
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
		    a != ACT_SAVE && a != ACT_BACK && a != ACT_PICK && a != ACT_REDRAW && le_key(&f->le, k)) {
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
					tui_key_done(k);
					continue;
				}
			}
		}
		switch (a) {
		case ACT_NEXT_FIELD:
		case ACT_PICK:
			if (a == ACT_PICK && f->page != REVIEW_PAGE && !text) {
				if (fd->type == F_HONOURS)
					pick_honours(f, fd);
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
