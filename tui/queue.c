/* The queue: the cases as a list, a page at a time (keyset pages: never all
 * rows), with filters, sorting, search, and a live refresh when another
 * clerk commits. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gt_i18n.h"
#include "gt_text.h"
#include "tui.h"

#define MAX(a, b) ((a) > (b) ? (a) : (b))


enum { MAX_ROWS = 256 };

static struct {
	struct gt_queue_filter filter;
	int sort;
	bool desc;
	struct gt_queue_row rows[MAX_ROWS];
	int count;
	int cur;               /* selected row on the page */
	bool have_first;
	struct gt_queue_pos first; /* the first row shown (inclusive) */
	char search[128];
	struct gt_queue_pos search_pos; /* the last match, in the search's order */
	bool have_search_pos;
	bool search_shown;     /* the last key was a search: its label is shown */
	/* The place of the first row shown in the order (the status line's
	 * "第20–38件"): known, unknown (counted when drawn), or at the end
	 * (the total less the page). */
	enum { POS_KNOWN, POS_UNKNOWN, POS_FROM_END, POS_NONE /* cannot be counted */ } pos_state;
	int64_t pos;
	int64_t total; /* the cases of the filter; -1: to be counted (when no key waits) */
} Q;

static int page_rows(void)
{
	int n = LINES - 5; /* title, header, status, footer, filter line */
	return n < 1 ? 1 : n > MAX_ROWS ? MAX_ROWS : n;
}

/* The anchor that starts a page at pos, the row at pos included. */
static struct gt_queue_pos inclusive(const struct gt_queue_pos *pos)
{
	struct gt_queue_pos p = *pos;
	p.inclusive = true;
	return p;
}

static bool fetch(const struct gt_queue_pos *after, bool backward)
{
	struct gt_queue_row *tmp = malloc(sizeof *tmp * MAX_ROWS);
	if (!tmp)
		return false;
	int n = 0;
	int rc = gt_queue_fetch(T.st, &Q.filter, Q.sort, Q.desc, after, backward, page_rows(), tmp, &n);
	if (rc != GT_OK) {
		tui_set_status(true, "%s", gt_store_errmsg(T.st));
		free(tmp);
		return false;
	}
	Q.total = -1; /* the store keeps it while nothing changed */
	if (n > 0 || !after) {
		Q.pos = 0;
		Q.pos_state = after ? POS_UNKNOWN : backward ? POS_FROM_END : POS_KNOWN;
		memcpy(Q.rows, tmp, sizeof *tmp * (size_t)n);
		Q.count = n;
		if (n) {
			gt_queue_pos_of(&Q.rows[0], &Q.first);
			Q.have_first = true;
		} else {
			Q.have_first = false;
		}
	}
	free(tmp);
	if (Q.cur >= Q.count)
		Q.cur = Q.count ? Q.count - 1 : 0;
	return n > 0;
}

/* Reloads the page from its first row, keeping the selection on the same case. */
static void reload(void)
{
	int64_t sel = Q.count ? Q.rows[Q.cur].id : 0;
	if (Q.have_first) {
		struct gt_queue_pos p = inclusive(&Q.first);
		int state = Q.pos_state;
		int64_t pos = Q.pos;
		if (!fetch(&p, false))
			fetch(NULL, false);
		else if (state == POS_KNOWN) /* the same first row */
			Q.pos_state = POS_KNOWN, Q.pos = pos;
	} else {
		fetch(NULL, false);
	}
	for (int i = 0; i < Q.count; i++)
		if (Q.rows[i].id == sel)
			Q.cur = i;
}

static void show_from(const struct gt_queue_row *r)
{
	struct gt_queue_pos p;
	gt_queue_pos_of(r, &p);
	p = inclusive(&p);
	fetch(&p, false);
	Q.cur = 0;
}

/* ---- drawing */

static const char *level_name(int direction, const char *code)
{
	const struct gt_code_table *t = direction == GT_DIR_SKILL_TO_TITLE ? &gt_title_levels : &gt_skill_levels;
	int i = gt_code_lookup(t, code, strlen(code));
	if (i < 0)
		return code;
	return gt_short_name_of(t, i);
}

/* Outcomes, short enough for the queue's column. */
static const char *outcome_short(int i)
{
	static const char *const names[GT_OUT_COUNT] = {
		N_("eligible"), N_("needs evidence"), N_("not eligible"), N_("vetoed"), N_("manual review"),
		N_("invalid"),
	};
	return i >= 0 && i < GT_OUT_COUNT ? _(names[i]) : "";
}

static const char *direction_short(int d)
{
	return d == GT_DIR_SKILL_TO_TITLE ? _("S→T") : _("T→S");
}

static const char *sort_name(int s)
{
	static const char *const names[GT_QS_COUNT] = {
		N_("number"), N_("name"), N_("region"), N_("direction"), N_("level"), N_("outcome"),
		N_("status"), N_("assignee"), N_("last change"),
	};
	return _(names[s]);
}

/* The count and the place of the page, "共317件，第20–38件", at the right
 * end of the status line (of the filter line when a message fills it). */
static void draw_count(void)
{
	int64_t total = Q.total;
	if (total < 0)
		return;
	if (Q.pos_state == POS_FROM_END) {
		Q.pos = total - Q.count > 0 ? total - Q.count : 0;
		Q.pos_state = POS_KNOWN;
	}
	char text[128];
	if (Q.count && Q.pos_state == POS_KNOWN)
		snprintf(text, sizeof text, ngettext("%lld case, %lld–%lld", "%lld cases, %lld–%lld", (unsigned long)total),
			 (long long)total, (long long)Q.pos + 1, (long long)(Q.pos + Q.count));
	else
		snprintf(text, sizeof text, ngettext("%lld case", "%lld cases", (unsigned long)total), (long long)total);
	int w = tui_width(text);
	int y = T.status[0] && tui_width(T.status) + w + 2 > COLS ? LINES - 3 : LINES - 2;
	tui_attr_on(y == LINES - 2 ? C_NORMAL : C_DIM);
	tui_cell(y, COLS - w - 1, " ", 1, false);
	tui_cell(y, COLS - w, text, w, false);
	tui_attr_off(0);
}

/* The place of the page when it is not known (after a jump, a search or
 * another clerk's change): counted when no key waits, so that the key's
 * screen is not held up by a count that grows with the place. */
static void count_place(void)
{
	int64_t total = -1, before = -1;
	if (Q.total < 0) {
		if (gt_queue_count(T.st, &Q.filter, Q.sort, Q.desc, NULL, &total, &before) != GT_OK || total < 0) {
			Q.total = -2; /* not to be counted (PostgreSQL, an error) */
			return;
		}
		Q.total = total;
		return; /* the place next, if no key waits */
	}
	if (Q.pos_state != POS_UNKNOWN || !Q.count)
		return;
	struct gt_queue_pos at;
	gt_queue_pos_of(&Q.rows[0], &at);
	if (gt_queue_count(T.st, &Q.filter, Q.sort, Q.desc, &at, &total, &before) == GT_OK && before >= 0) {
		Q.pos = before;
		Q.pos_state = POS_KNOWN;
	} else {
		Q.pos_state = POS_NONE; /* not counted again */
	}
}

static void draw(void)
{
	erase();
	char title[256];
	snprintf(title, sizeof title, _(" guantong — case queue (sorted by %s%s)%s"), sort_name(Q.sort),
		 Q.desc ? _(", descending") : "", Q.filter.mine ? _(" — mine") : "");
	tui_draw_title(title);

	/* The columns; the identity number from 100 columns up. */
	enum { C_NUM, C_NAME, C_IDNUM, C_REGION, C_DIR, C_LEVEL, C_OUTCOME, C_STATUS, C_ASSIGNEE, C_UPDATED, NC };
	const char *titles[NC] = {
		_("No."), _("Name"), _("Identity number"), _("Region"), _("Dir."), _("Level"), _("Outcome"),
		_("Status"), _("Assignee"), _("Last change"),
	};
	bool idnum = COLS >= 100;
	if (idnum)
		gt_queue_id_numbers(T.st, Q.rows, Q.count);
	const char *vals[MAX_ROWS][NC];
	char nums[MAX_ROWS][24], whens[MAX_ROWS][24], outs[MAX_ROWS][64];
	for (int r = 0; r < Q.count; r++) {
		const struct gt_queue_row *q = &Q.rows[r];
		snprintf(nums[r], sizeof nums[r], "%s%lld", tui_marks_has(q->id) ? "*" : "", (long long)q->id);
		snprintf(whens[r], sizeof whens[r], "%s", cli_time(q->updated_at));
		snprintf(outs[r], sizeof outs[r], "%s %s", tui_outcome_mark(q->outcome), outcome_short(q->outcome));
		const char *v[NC] = {
			nums[r], q->name, q->id_number, gt_short_name_of(&gt_regions, q->region),
			direction_short(q->direction),
			level_name(q->direction, q->level), outs[r],
			gt_status_name(q->status), q->assignee, whens[r],
		};
		memcpy(vals[r], v, sizeof v);
	}
	/* Widths from every value a column can hold (the code tables), not
	 * from the page: the layout stays put from page to page, and one long
	 * name is cut with "…" instead of pushing columns off. A title keeps
	 * room for its sort arrow, and is never cut. The number column fits
	 * the largest number on the page. */
	int width[NC];
	for (int i = 0; i < NC; i++)
		width[i] = tui_width(titles[i]) + 1;
	for (int r = 0; r < Q.count; r++)
		if (tui_width(nums[r]) > width[C_NUM])
			width[C_NUM] = tui_width(nums[r]);
	width[C_IDNUM] = idnum ? MAX(width[C_IDNUM], 18) : 0;
	for (int v = 0; v < GT_REGION_COUNT; v++)
		width[C_REGION] = MAX(width[C_REGION], tui_width(gt_short_name_of(&gt_regions, v)));
	for (int v = 0; v < GT_DIR_COUNT; v++)
		width[C_DIR] = MAX(width[C_DIR], tui_width(direction_short(v)));
	const struct gt_code_table *lt[2] = { &gt_title_levels, &gt_skill_levels };
	for (int t = 0; t < 2; t++)
		for (int v = 0; v < lt[t]->count; v++)
			width[C_LEVEL] = MAX(width[C_LEVEL], tui_width(gt_short_name_of(lt[t], v)));
	/* a longer name: cut, not the columns after it */
	if (width[C_LEVEL] > 14)
		width[C_LEVEL] = MAX(14, tui_width(titles[C_LEVEL]) + 1);
	for (int v = 0; v < GT_OUT_COUNT; v++)
		width[C_OUTCOME] = MAX(width[C_OUTCOME], 2 + tui_width(outcome_short(v)));
	for (int v = 0; v < GT_ST_COUNT; v++)
		width[C_STATUS] = MAX(width[C_STATUS], tui_width(gt_status_name(v)));
	width[C_UPDATED] = MAX(width[C_UPDATED], 16);
	width[C_NAME] = 0;
	int total = 0;
	for (int i = 0; i < NC; i++)
		total += width[i] ? width[i] + 1 : 0;
	/* The name takes what is left, from 8 to 24 columns (its title never
	 * cut); on a narrow screen the assignee, then the last change, then the
	 * region make room. */
	int name_min = MAX(8, tui_width(titles[C_NAME]) + 1);
	static const int drop_order[] = { C_ASSIGNEE, C_UPDATED, C_REGION };
	for (size_t k = 0; COLS - total < name_min && k < sizeof drop_order / sizeof drop_order[0]; k++) {
		total -= width[drop_order[k]] + 1;
		width[drop_order[k]] = 0;
	}
	width[C_NAME] = COLS - total;
	if (width[C_NAME] > 24)
		width[C_NAME] = 24;
	if (width[C_NAME] < 1)
		width[C_NAME] = 1;
	/* Sorting marks: the sorted column's title gets an arrow. */
	/* the orders are in the columns' order, the identity number aside */
	int sorted_col = Q.sort >= C_IDNUM ? Q.sort + 1 : Q.sort;
	int x = 0;
	tui_attr_on(C_HEADER);
	move(1, 0);
	for (int i = 0; i < COLS; i++)
		addch(' ');
	for (int i = 0; i < NC; i++) {
		if (!width[i])
			continue;
		char t[64];
		snprintf(t, sizeof t, "%s%s", titles[i],
			 i == sorted_col ? (T.ascii ? (Q.desc ? "v" : "^") : (Q.desc ? "▼" : "▲")) : "");
		tui_cell(1, x, t, width[i], i == C_NUM);
		x += width[i] + 1;
	}
	tui_attr_off(C_HEADER);

	for (int r = 0; r < Q.count; r++) {
		int y = 2 + r;
		if (r == Q.cur)
			tui_attr_on(C_SELECT);
		x = 0;
		for (int i = 0; i < NC; i++) {
			if (!width[i])
				continue;
			if (i == C_OUTCOME && r != Q.cur) { /* the outcome in its theme colour */
				tui_attr_on(tui_outcome_color(Q.rows[r].outcome));
				tui_cell(y, x, vals[r][i], width[i], false);
				tui_attr_off(0);
			} else {
				tui_cell(y, x, vals[r][i], width[i], i == C_NUM);
			}
			if (x + width[i] < COLS)
				tui_cell(y, x + width[i], " ", 1, false);
			x += width[i] + 1;
		}
		if (r == Q.cur)
			tui_attr_off(C_SELECT);
	}
	if (Q.count == 0) {
		const char *empty = Q.filter.status_mask || Q.filter.region_mask || Q.filter.outcome_mask ||
					    Q.filter.direction_mask || Q.filter.mine
					    ? _("No case matches the filter (f to change it).")
					    : _("No cases yet: i takes in a new case.");
		tui_cell(3, 2, empty, COLS - 4, false);
	}
	/* The filter line. */
	char f[512];
	struct gt_sb sb = gt_sb_make(f, sizeof f);
	gt_sb_add(&sb, _("Filter: "));
	bool any = false;
	const struct {
		uint32_t mask;
		int n;
		int kind;
	} facets[] = {
		{ Q.filter.status_mask, GT_ST_COUNT, 0 }, { Q.filter.region_mask, GT_REGION_COUNT, 1 },
		{ Q.filter.outcome_mask, GT_OUT_COUNT, 2 }, { Q.filter.direction_mask, GT_DIR_COUNT, 3 },
	};
	for (size_t k = 0; k < sizeof facets / sizeof facets[0]; k++) {
		if (!facets[k].mask)
			continue;
		gt_sb_add(&sb, any ? "; " : "");
		bool first = true;
		for (int i = 0; i < facets[k].n; i++) {
			if (!(facets[k].mask & (1u << i)))
				continue;
			const char *name = facets[k].kind == 0 ? gt_status_name(i)
					   : facets[k].kind == 1 ? gt_short_name_of(&gt_regions, i)
					   : facets[k].kind == 2 ? outcome_short(i)
								 : direction_short(i);
			gt_sb_addf(&sb, "%s%s", first ? "" : ",", name);
			first = false;
		}
		any = true;
	}
	if (!any)
		gt_sb_add(&sb, _("all cases"));
	if (Q.search[0] && Q.search_shown)
		gt_sb_addf(&sb, _("   Search: %s"), Q.search);
	tui_attr_on(C_DIM);
	tui_cell(LINES - 3, 0, f, COLS, false);
	tui_attr_off(C_DIM);
	tui_draw_footer(SCR_QUEUE);
	draw_count();
	refresh();
	tui_painted();
}

/* ---- commands */

static void filter_dialog(void)
{
	struct pick_item items[64];
	char search[GT_REGION_COUNT][128];
	int n = 0;
	items[n++] = (struct pick_item){ .label = _("Status"), .header = true };
	for (int i = 0; i < GT_ST_COUNT; i++)
		items[n++] = (struct pick_item){ .label = gt_status_name(i),
						 .selected = Q.filter.status_mask & (1u << i), .value = i };
	items[n++] = (struct pick_item){ .label = _("Region"), .header = true };
	/* Regions by name in either language; typing the code or either
	 * name still finds one. */
	for (int i = 0; i < GT_REGION_COUNT; i++) {
		snprintf(search[i], sizeof search[i], "%s %s %s", gt_code_of(&gt_regions, i),
			 gt_zh_of(&gt_regions, i), gt_en_of(&gt_regions, i));
		items[n++] = (struct pick_item){ .label = gt_short_name_of(&gt_regions, i), .search = search[i],
						 .selected = Q.filter.region_mask & (1u << i), .value = 100 + i };
	}
	items[n++] = (struct pick_item){ .label = _("Outcome"), .header = true };
	for (int i = 0; i < GT_OUT_COUNT; i++)
		items[n++] = (struct pick_item){ .label = outcome_short(i),
						 .selected = Q.filter.outcome_mask & (1u << i), .value = 200 + i };
	items[n++] = (struct pick_item){ .label = _("Direction"), .header = true };
	for (int i = 0; i < GT_DIR_COUNT; i++)
		items[n++] = (struct pick_item){ .label = direction_short(i),
						 .selected = Q.filter.direction_mask & (1u << i), .value = 300 + i };
	if (tui_pick(_("Filter: mark with Space, Enter to apply"), items, n, true, 1) < 0)
		return;
	struct gt_queue_filter f = { .mine = Q.filter.mine };
	for (int i = 0; i < n; i++) {
		if (items[i].header || !items[i].selected)
			continue;
		int v = items[i].value;
		uint32_t *mask = v < 100 ? &f.status_mask : v < 200 ? &f.region_mask : v < 300 ? &f.outcome_mask
											: &f.direction_mask;
		*mask |= 1u << (v % 100);
	}
	Q.filter = f;
	Q.cur = 0;
	fetch(NULL, false);
}

static void do_search(bool backward, bool fresh)
{
	if (fresh) {
		char q[128] = "";
		if (!tui_prompt(_("Search (name, pinyin, initials, identity number, case number or reference):"), q, sizeof q) || !q[0])
			return;
		snprintf(Q.search, sizeof Q.search, "%s", q);
		Q.have_search_pos = false;
	}
	if (!Q.search[0]) {
		tui_set_status(true, "%s", _("No search yet: / starts one."));
		return;
	}
	struct gt_queue_row hit;
	struct gt_queue_pos pos;
	bool found = false, wrapped = false;
	if (gt_queue_search(T.st, &Q.filter, Q.sort, Q.search, Q.have_search_pos ? &Q.search_pos : NULL,
			    backward, &hit, &pos, &found) != GT_OK) {
		tui_set_status(true, "%s", gt_store_errmsg(T.st));
		return;
	}
	if (!found && Q.have_search_pos) { /* wrap around */
		if (gt_queue_search(T.st, &Q.filter, Q.sort, Q.search, NULL, backward, &hit, &pos, &found) != GT_OK) {
			tui_set_status(true, "%s", gt_store_errmsg(T.st));
			return;
		}
		wrapped = found;
	}
	if (!found) {
		tui_set_status(true, _("No case matches \"%s\"."), Q.search);
		return;
	}
	Q.search_pos = pos;
	Q.have_search_pos = true;
	Q.search_shown = true;
	/* A match on the page moves the selection only: the rows stay put. */
	int on_page = -1;
	for (int i = 0; i < Q.count; i++)
		if (Q.rows[i].id == hit.id)
			on_page = i;
	if (on_page >= 0)
		Q.cur = on_page;
	else
		show_from(&hit);
	if (wrapped)
		tui_set_status(false, "%s", _("Search wrapped around."));
	else
		tui_set_status(false, _("Case %lld: %s"), (long long)hit.id, hit.name);
}

/* `:` and a case number (or case reference, or identity number): the
 * selection goes to that case. The queue keeps its filter; a case outside
 * it is said so. Other orders than the number's show the case from the top
 * of the page, in number order (said so too). */
static void do_jump(void)
{
	char q[128] = "";
	if (!tui_prompt(_("Go to case (number, case reference or identity number):"), q, sizeof q) || !q[0])
		return;
	int64_t id = 0;
	if (gt_store_find(T.st, q, &id) != GT_OK || id <= 0) {
		tui_set_status(true, _("No case \"%s\"."), q);
		return;
	}
	for (int i = 0; i < Q.count; i++)
		if (Q.rows[i].id == id) {
			Q.cur = i;
			return;
		}
	bool resorted = Q.sort != GT_QS_ID || Q.desc;
	struct gt_queue_row r = { .id = id };
	Q.sort = GT_QS_ID;
	Q.desc = false;
	show_from(&r);
	if (!Q.count || Q.rows[0].id != id) {
		tui_set_status(true, _("Case %lld is not in the current filter (f to change it)."), (long long)id);
		return;
	}
	if (resorted)
		tui_set_status(false, _("Case %lld, in number order."), (long long)id);
}

/* One line down; at the bottom the page scrolls by one when there is more. */
static void move_down(void)
{
	if (!Q.count)
		return;
	if (Q.cur < Q.count - 1) {
		Q.cur++;
		return;
	}
	struct gt_queue_row *tmp = malloc(sizeof *tmp * MAX_ROWS);
	int n = 0;
	struct gt_queue_pos first;
	gt_queue_pos_of(&Q.rows[0], &first);
	if (tmp && gt_queue_fetch(T.st, &Q.filter, Q.sort, Q.desc, &first, false, page_rows(), tmp, &n) == GT_OK &&
	    n > 0 && tmp[n - 1].id != Q.rows[Q.count - 1].id) {
		Q.pos++; /* the page starts a row later */
		memcpy(Q.rows, tmp, sizeof *tmp * (size_t)n);
		Q.count = n;
		gt_queue_pos_of(&Q.rows[0], &Q.first);
		Q.cur = n - 1;
	}
	free(tmp);
}

static void move_up(void)
{
	if (!Q.count)
		return;
	if (Q.cur > 0) {
		Q.cur--;
		return;
	}
	struct gt_queue_row prev;
	int n = 0;
	struct gt_queue_pos first;
	gt_queue_pos_of(&Q.rows[0], &first);
	int state = Q.pos_state;
	int64_t pos = Q.pos;
	if (gt_queue_fetch(T.st, &Q.filter, Q.sort, Q.desc, &first, true, 1, &prev, &n) == GT_OK && n == 1) {
		show_from(&prev);
		if (state == POS_KNOWN && pos > 0)
			Q.pos_state = POS_KNOWN, Q.pos = pos - 1;
	}
	Q.cur = 0;
}

/* ---- the queue as a screen of the one loop (screen.c) */

static void q_draw(void *self)
{
	(void)self;
	draw();
}

static int q_reload(void *self)
{
	(void)self;
	reload();
	return SK_DONE;
}

/* Another clerk committed: the page follows. */
static int q_follow(void *self)
{
	(void)self;
	reload();
	Q.pos_state = POS_UNKNOWN; /* rows before the page may have come or gone */
	return SK_DONE;
}

/* The count and the place are counted only while no key waits. */
static bool q_counting(void *self)
{
	(void)self;
	return Q.total == -1 || (Q.total >= 0 && Q.pos_state == POS_UNKNOWN && Q.count);
}

static void q_count(void *self)
{
	(void)self;
	count_place();
}

static void page_down(void)
{
	if (!Q.count)
		return;
	struct gt_queue_pos last;
	gt_queue_pos_of(&Q.rows[Q.count - 1], &last);
	int state = Q.pos_state, was = Q.count;
	int64_t pos = Q.pos;
	if (fetch(&last, false)) {
		Q.cur = 0;
		if (state == POS_KNOWN)
			Q.pos_state = POS_KNOWN, Q.pos = pos + was;
	} else {
		Q.cur = Q.count - 1;
	}
}

static void page_up(void)
{
	if (!Q.count)
		return;
	struct gt_queue_pos first;
	gt_queue_pos_of(&Q.rows[0], &first);
	struct gt_queue_row *tmp = malloc(sizeof *tmp * MAX_ROWS);
	int n = 0;
	int state = Q.pos_state;
	int64_t pos = Q.pos;
	if (tmp && gt_queue_fetch(T.st, &Q.filter, Q.sort, Q.desc, &first, true, page_rows(), tmp, &n) == GT_OK &&
	    n > 0) {
		show_from(&tmp[0]);
		if (state == POS_KNOWN && pos - n >= 0)
			Q.pos_state = POS_KNOWN, Q.pos = pos - n;
	} else {
		Q.cur = 0;
	}
	free(tmp);
}

/* A new order or filter: from its first page. */
static void from_top(void)
{
	Q.cur = 0;
	fetch(NULL, false);
}

static int q_key(void *self, enum action a, int key)
{
	(void)self;
	(void)key;
	Q.search_shown = false;
	switch (a) {
	case ACT_DOWN: move_down(); break;
	case ACT_UP: move_up(); break;
	case ACT_PGDN: page_down(); break;
	case ACT_PGUP: page_up(); break;
	case ACT_HOME: from_top(); break;
	case ACT_END:
		fetch(NULL, true);
		Q.cur = Q.count ? Q.count - 1 : 0;
		break;
	case ACT_OPEN:
		if (Q.count) {
			if (tui_case_view(Q.rows[Q.cur].id))
				return SK_QUIT;
			reload();
		}
		break;
	case ACT_NEW:
		tui_intake(0); /* says on the status line what was saved */
		reload();
		break;
	case ACT_EDIT:
		if (Q.count) {
			tui_intake(Q.rows[Q.cur].id);
			reload();
		}
		break;
	case ACT_SEARCH: do_search(false, true); break;
	case ACT_NEXT: do_search(false, false); break;
	case ACT_PREV: do_search(true, false); break;
	case ACT_FILTER: filter_dialog(); break;
	case ACT_MINE:
		Q.filter.mine = !Q.filter.mine;
		from_top();
		break;
	case ACT_SORT:
		Q.sort = (Q.sort + 1) % GT_QS_COUNT;
		from_top();
		break;
	case ACT_SORT_NUMBER:
		Q.sort = GT_QS_ID;
		Q.desc = false;
		from_top();
		break;
	case ACT_REVERSE:
		Q.desc = !Q.desc;
		from_top();
		break;
	case ACT_EXPORT: tui_export(&Q.filter); break;
	case ACT_STATS:
		if (tui_stats_view())
			return SK_QUIT;
		reload();
		break;
	case ACT_TOGGLE:
		if (Q.count) {
			tui_marks_toggle(Q.rows[Q.cur].id);
			move_down();
		}
		break;
	case ACT_PRINT: tui_print_queue(Q.count ? Q.rows[Q.cur].id : 0); break;
	case ACT_DUE:
		if (tui_due_view())
			return SK_QUIT;
		reload();
		break;
	case ACT_JUMP: do_jump(); break;
	default: return SK_IGNORED; /* help, redraw, quit: the loop's */
	}
	return SK_DONE;
}

static const struct tui_screen queue_screen = {
	.scr = SCR_QUEUE,
	.draw = q_draw,
	.key = q_key,
	.resize = q_reload,
	.follow = q_follow,
	.idle_pending = q_counting,
	.idle = q_count,
};

int tui_queue(void)
{
	Q.sort = GT_QS_ID;
	if (!tui_check_size()) {
		/* Wait for a usable size before the first question. */
		for (;;) {
			int k = tui_getkey(-1);
			if (k == 'q' || k == 'Q')
				return GT_EXIT_OK;
			if (k == KEY_RESIZE && tui_check_size())
				break;
		}
	}
	bool empty = false;
	if (!T.demo && gt_store_is_empty(T.st, &empty) == GT_OK && empty && gt_store_role(T.st) >= GT_USER_CLERK) {
		/* Example cases never go into what may be the office's
		 * database: they have a database of their own (--demo). */
		erase();
		tui_draw_title(_(" guantong — case queue"));
		refresh();
		if (!tui_confirm(_("No cases yet: start empty? (examples: guantong --demo)")))
			return GT_EXIT_OK;
	}
	if (T.demo)
		tui_set_status(false, "%s", _("The demo database: example cases, kept apart from real ones."));
	if (gt_store_role(T.st) == GT_USER_NONE)
		tui_set_status(true, _("%s is not a user of this database: you can look, not change. An administrator "
				       "can add you: guantong user add %s --role clerk"),
			       gt_store_actor(T.st), gt_store_actor(T.st));
	fetch(NULL, false);
	tui_screen_run(&queue_screen, NULL);
	return GT_EXIT_OK;
}
