/* The statistics screen (issue 18, item 3): `t` from the queue. The
 * figures of `guantong stats` (the store's counters, store/gt_stats.c) as
 * bar charts that scroll: names cut and padded by display columns
 * (tui_cell), bars of block characters in eighths, or '#' under ASCII
 * borders, in colour only when the terminal has colours and NO_COLOR is
 * unset. The figures follow another clerk's commits. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gt_i18n.h"
#include "tui.h"

/* One screen line: a statistic's title, one of its rows, a line of text
 * (the totals, "(none)", the time to decision) or a blank. */
enum { SL_TITLE, SL_ROW, SL_TEXT, SL_BLANK };
struct sline {
	int kind;
	int stat;     /* SL_TITLE, SL_ROW: the statistic */
	int row;      /* SL_ROW: its row */
	char text[192];
};

struct statsview {
	struct gt_stats s;
	bool have;
	struct sline *lines;
	int n, cap;
	struct tui_list list; /* the lines' scrolling: list.top is the first shown */
};

static void sv_add(struct statsview *v, int kind, int stat, int row, const char *text)
{
	if (v->n == v->cap) {
		int cap = v->cap ? v->cap * 2 : 64;
		struct sline *l = realloc(v->lines, (size_t)cap * sizeof *l);
		if (!l)
			return; /* the screen shows what it has */
		v->lines = l;
		v->cap = cap;
	}
	struct sline *l = &v->lines[v->n++];
	*l = (struct sline){ .kind = kind, .stat = stat, .row = row };
	snprintf(l->text, sizeof l->text, "%s", text ? text : "");
}

/* Reads the figures again and lays out the lines. */
static void sv_load(struct statsview *v)
{
	if (v->have)
		gt_stats_free(&v->s);
	v->have = false;
	v->n = 0;
	if (gt_store_stats(T.st, &v->s) != GT_OK) {
		tui_set_status(true, "%s", gt_store_errmsg(T.st));
		return;
	}
	v->have = true;
	char buf[192];
	snprintf(buf, sizeof buf, ngettext("%lld case", "%lld cases", (unsigned long)v->s.cases),
		 (long long)v->s.cases);
	sv_add(v, SL_TEXT, 0, 0, buf);
	for (int k = 0; k < GT_STAT_COUNT; k++) {
		sv_add(v, SL_BLANK, 0, 0, NULL);
		sv_add(v, SL_TITLE, k, 0, cli_stat_title(k));
		if (!v->s.t[k].n)
			sv_add(v, SL_TEXT, k, 0, _("(none)"));
		for (int i = 0; i < v->s.t[k].n; i++)
			sv_add(v, SL_ROW, k, i, NULL);
	}
	sv_add(v, SL_BLANK, 0, 0, NULL);
	sv_add(v, SL_TITLE, -1, 0, _("Time from intake to decision"));
	if (!v->s.decided) {
		sv_add(v, SL_TEXT, -1, 0, _("(no case decided yet)"));
		return;
	}
	char med[64], p90[64];
	cli_days_text(v->s.median_days, med, sizeof med);
	cli_days_text(v->s.p90_days, p90, sizeof p90);
	snprintf(buf, sizeof buf,
		 ngettext("%lld case decided: median %s, 90th percentile %s",
			  "%lld cases decided: median %s, 90th percentile %s", (unsigned long)v->s.decided),
		 (long long)v->s.decided, med, p90);
	sv_add(v, SL_TEXT, -1, 0, buf);
}

/* A bar of value/max * w columns, in eighths of a block (or '#'). */
static void sv_bar(int y, int x, int w, int64_t value, int64_t max)
{
	static const char *const eighths[8] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
	if (max <= 0 || value <= 0 || w <= 0)
		return;
	int64_t units = value * w * 8 / max;
	if (units == 0)
		units = 1; /* a count above zero shows */
	move(y, x);
	tui_attr_on(C_OK);
	for (int64_t i = 0; i < units / 8; i++)
		addstr(T.ascii ? "#" : "█");
	if (units % 8)
		addstr(T.ascii ? "#" : eighths[units % 8]);
	tui_attr_off(C_OK);
}

/* A statistic's widest name (at most a third of the screen) and largest value. */
static void sv_measure(const struct statsview *v, int k, int *namew, int64_t *max, int64_t *total)
{
	const struct gt_stat_table *t = &v->s.t[k];
	char name[256];
	*namew = 4;
	*max = *total = 0;
	for (int i = 0; i < t->n; i++) {
		cli_stat_row_name(k, &t->rows[i], name, sizeof name);
		int w = tui_width(name);
		*namew = w > *namew ? w : *namew;
		int64_t val = t->rows[i].n + t->rows[i].n2;
		*max = val > *max ? val : *max;
		*total += val;
	}
	if (*namew > COLS / 3)
		*namew = COLS / 3;
}

static void sv_draw_row(const struct statsview *v, const struct sline *l, int y)
{
	const struct gt_stat_row *r = &v->s.t[l->stat].rows[l->row];
	bool two = l->stat == GT_STAT_MONTH || l->stat == GT_STAT_REVIEWER;
	int namew;
	int64_t max, total;
	sv_measure(v, l->stat, &namew, &max, &total);
	char name[256], num[64];
	cli_stat_row_name(l->stat, r, name, sizeof name);
	tui_cell(y, 2, name, namew, false);
	int x = 2 + namew + 1;
	if (two)
		snprintf(num, sizeof num, "%8lld / %-8lld", (long long)r->n, (long long)r->n2);
	else
		snprintf(num, sizeof num, "%9lld %5.1f%%", (long long)r->n,
			 total ? 100.0 * (double)r->n / (double)total : 0.0);
	int numw = (int)strlen(num);
	tui_cell(y, x, num, numw, false);
	x += numw + 1;
	sv_bar(y, x, COLS - x - 1, r->n + r->n2, max);
}

static void sv_draw(void *self)
{
	const struct statsview *v = self;
	erase();
	tui_draw_title(_(" guantong — statistics"));
	int h = LINES - 3; /* title, status, footer */
	int top = (int)v->list.top;
	for (int i = 0; i < h && top + i < v->n; i++) {
		const struct sline *l = &v->lines[top + i];
		int y = 1 + i;
		switch (l->kind) {
		case SL_TITLE:
			tui_attr_on(C_HEADER);
			tui_cell(y, 0, l->text, COLS, false);
			tui_attr_off(C_HEADER);
			break;
		case SL_ROW: sv_draw_row(v, l, y); break;
		case SL_TEXT: tui_cell(y, 2, l->text, COLS - 2, false); break;
		default: break;
		}
	}
	if (!T.status[0] && v->n > h) {
		char pos[96];
		snprintf(pos, sizeof pos, _("Lines %d-%d of %d"), top + 1,
			 top + h < v->n ? top + h : v->n, v->n);
		tui_set_status(false, "%s", pos);
		tui_draw_footer(SCR_STATS);
		T.status[0] = '\0';
	} else {
		tui_draw_footer(SCR_STATS);
	}
	refresh();
}

static int sv_refresh(void *self)
{
	struct statsview *v = self;
	sv_load(v); /* another clerk committed: the figures follow */
	v->list.n = v->n;
	tui_list_clamp(&v->list, LINES - 3);
	return SK_DONE;
}

static int sv_resize(void *self)
{
	struct statsview *v = self;
	tui_list_clamp(&v->list, LINES - 3);
	return SK_DONE;
}

static int sv_key(void *self, enum action a, int key)
{
	(void)key;
	struct statsview *v = self;
	return tui_list_move(&v->list, a, LINES - 3) ? SK_DONE : SK_IGNORED;
}

static const struct tui_screen stats_screen = {
	.scr = SCR_STATS, .draw = sv_draw, .key = sv_key, .resize = sv_resize, .follow = sv_refresh,
};

bool tui_stats_view(void)
{
	struct statsview v = { 0 };
	T.status[0] = '\0';
	sv_refresh(&v);
	int r = tui_screen_run(&stats_screen, &v);
	if (v.have)
		gt_stats_free(&v.s);
	free(v.lines);
	T.status[0] = '\0';
	return r == SK_QUIT;
}
