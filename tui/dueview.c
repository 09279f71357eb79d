/* The queue's 到期 list (issue 18, item 4): d from the queue. The cases
 * not yet eligible only because a year threshold is not met, falling due
 * within N days (or due already), earliest first: the selection of
 * `guantong due --within N` (cli_due_list, store/gt_due.c), a case opened
 * with Enter, exported with x like any filter (export --due N). */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gt_i18n.h"
#include "tui.h"

struct dueview {
	int within;
	gt_date today;
	struct cli_due_item *items;
	struct tui_list list; /* list.n items, list.cur selected */
};

static int dv_rows(void)
{
	return LINES - 4; /* title, header, status, footer */
}

/* Reads the list again, the selection kept on the same case. */
static void dv_load(struct dueview *v)
{
	struct tui_list *l = &v->list;
	int64_t sel = l->n ? v->items[l->cur].id : 0;
	free(v->items);
	v->items = NULL;
	l->n = 0;
	v->today = gt_date_today();
	if (cli_due_list(T.st, v->today + v->within, &v->items, &l->n) != GT_OK)
		tui_set_status(true, "%s", gt_store_errmsg(T.st));
	l->cur = 0;
	for (long i = 0; i < l->n; i++)
		if (v->items[i].id == sel)
			l->cur = i;
	tui_list_clamp(l, dv_rows());
}

/* The columns: date, days left, case, name, region, level, route. */
static void dv_draw(void *self)
{
	const struct dueview *v = self;
	const struct tui_list *l = &v->list;
	erase();
	char title[160];
	snprintf(title, sizeof title, 
		 gt_ngettext(" guantong — due within %d day", " guantong — due within %d days", (unsigned long)v->within),
		 v->within);
	tui_draw_title(title);
	int namew = COLS - (11 + 11 + 7 + 7 + 13 + 14) - 1;
	const int x_days = 11, x_case = 22, x_name = 29, x_region = x_name + namew + 1, x_level = x_region + 7,
		  x_route = x_level + 13;
	tui_attr_on(C_HEADER);
	move(1, 0);
	for (int i = 0; i < COLS; i++)
		addch(' ');
	tui_cell(1, 0, _("due date"), 10, false);
	tui_cell(1, x_days, _("days"), 10, true);
	tui_cell(1, x_case, _("case"), 6, true);
	tui_cell(1, x_name, _("name"), namew, false);
	tui_cell(1, x_region, _("region"), 6, false);
	tui_cell(1, x_level, _("level"), 12, false);
	tui_cell(1, x_route, _("route"), COLS - x_route, false);
	tui_attr_off(C_HEADER);
	int h = dv_rows();
	for (int i = 0; i < h && l->top + i < l->n; i++) {
		const struct cli_due_item *it = &v->items[l->top + i];
		int y = 2 + i;
		bool sel = l->top + i == l->cur;
		char d[11], days[64], num[24];
		gt_date_format(it->on, d);
		cli_due_days((long)(it->on - v->today), days, sizeof days);
		snprintf(num, sizeof num, "%lld", (long long)it->id);
		if (sel) {
			tui_attr_on(C_SELECT);
			move(y, 0);
			for (int c = 0; c < COLS; c++)
				addch(' ');
		}
		tui_cell(y, 0, d, 10, false);
		tui_cell(y, x_days, days, 10, true);
		tui_cell(y, x_case, num, 6, true);
		tui_cell(y, x_name, cli_vis(it->name), namew, false);
		tui_cell(y, x_region, gt_name_of(&gt_regions, it->region), 6, false);
		tui_cell(y, x_level, cli_due_level(it), 12, false);
		tui_cell(y, x_route, gt_name_of(&gt_routes, it->route), COLS - x_route, false);
		if (sel)
			tui_attr_off(C_SELECT);
	}
	if (!l->n)
		tui_cell(3, 2, _("No case falls due within these days (d to change them)."), COLS - 4, false);
	if (!T.status[0]) {
		tui_set_status(false,
			       ngettext("%ld case falls due within %d days (or is due already).",
					"%ld cases fall due within %d days (or are due already).", (unsigned long)l->n),
			       l->n, v->within);
		tui_draw_footer(SCR_DUE);
		T.status[0] = '\0';
	} else {
		tui_draw_footer(SCR_DUE);
	}
	refresh();
}

/* Asks for the number of days; false when the clerk cancels. */
static bool dv_ask_days(struct dueview *v)
{
	char buf[16];
	snprintf(buf, sizeof buf, "%d", v->within);
	for (;;) {
		if (!tui_prompt(_("Cases falling due within how many days (0 to 36600):"), buf, sizeof buf))
			return false;
		char *end = NULL;
		long n = strtol(buf, &end, 10);
		if (buf[0] && !*end && n >= 0 && n <= 36600) {
			v->within = (int)n;
			return true;
		}
		tui_set_status(true, "%s", _("A number of days from 0 to 36600, please."));
	}
}

static void dv_export(const struct dueview *v)
{
	struct gt_export_filter xf = { 0 };
	gt_date_format(v->today + v->within, xf.due_until);
	tui_export_filter(&xf);
}

static int dv_refresh(void *self)
{
	dv_load(self); /* another clerk committed: the list follows */
	return SK_DONE;
}

static int dv_resize(void *self)
{
	struct dueview *v = self;
	tui_list_clamp(&v->list, dv_rows());
	return SK_DONE;
}

static int dv_key(void *self, enum action a, int key)
{
	(void)key;
	struct dueview *v = self;
	if (tui_list_move(&v->list, a, dv_rows()))
		return SK_DONE;
	switch (a) {
	case ACT_OPEN:
		if (v->list.n && tui_case_view(v->items[v->list.cur].id))
			return SK_QUIT;
		dv_load(v);
		return SK_DONE;
	case ACT_DUE:
		if (dv_ask_days(v))
			dv_load(v);
		return SK_DONE;
	case ACT_EXPORT: dv_export(v); return SK_DONE;
	default: return SK_IGNORED;
	}
}

static const struct tui_screen due_screen = {
	.scr = SCR_DUE, .draw = dv_draw, .key = dv_key, .resize = dv_resize, .follow = dv_refresh,
};

bool tui_due_view(void)
{
	struct dueview v = { .within = 30, .list = { .cursor = true } };
	T.status[0] = '\0';
	dv_load(&v);
	int r = tui_screen_run(&due_screen, &v);
	free(v.items);
	T.status[0] = '\0';
	return r == SK_QUIT;
}
