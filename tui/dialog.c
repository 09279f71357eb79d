/* Dialogs: a line editor, prompts, questions, messages, the help screen and
 * pick lists. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "gt_i18n.h"
#include "tui.h"

/* ---- the line editor */

void le_set(struct line_edit *le, const char *s)
{
	snprintf(le->buf, sizeof le->buf, "%s", s ? s : "");
	le->len = strlen(le->buf);
	le->cur = le->len;
	le->scroll = 0;
}

static size_t prev_char(const char *s, size_t i)
{
	if (i == 0)
		return 0;
	i--;
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	return i;
}

static size_t next_char(const char *s, size_t len, size_t i)
{
	if (i >= len)
		return len;
	i++;
	while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
		i++;
	return i;
}

static void insert_bytes(struct line_edit *le, const char *b, size_t n)
{
	if (le->len + n >= sizeof le->buf)
		return;
	memmove(le->buf + le->cur + n, le->buf + le->cur, le->len - le->cur + 1);
	memcpy(le->buf + le->cur, b, n);
	le->len += n;
	le->cur += n;
}

bool le_key(struct line_edit *le, int key)
{
	if (key & TUI_WIDE) {
		char mb[8];
		mbstate_t ps;
		memset(&ps, 0, sizeof ps);
		size_t n = wcrtomb(mb, (wchar_t)(key & ~TUI_WIDE), &ps);
		if (n != (size_t)-1)
			insert_bytes(le, mb, n);
		return true;
	}
	if (key >= 0x20 && key < 0x7f) {
		char c = (char)key;
		insert_bytes(le, &c, 1);
		return true;
	}
	switch (key) {
	case KEY_LEFT:
		le->cur = prev_char(le->buf, le->cur);
		return true;
	case KEY_RIGHT:
		le->cur = next_char(le->buf, le->len, le->cur);
		return true;
	case KEY_HOME: case 1: /* ^A */
		le->cur = 0;
		return true;
	case KEY_END: case 5: /* ^E */
		le->cur = le->len;
		return true;
	case KEY_BACKSPACE: case 127: case 8: {
		size_t p = prev_char(le->buf, le->cur);
		memmove(le->buf + p, le->buf + le->cur, le->len - le->cur + 1);
		le->len -= le->cur - p;
		le->cur = p;
		return true;
	}
	case KEY_DC: case 4: { /* Delete, ^D */
		size_t n = next_char(le->buf, le->len, le->cur);
		memmove(le->buf + le->cur, le->buf + n, le->len - n + 1);
		le->len -= n - le->cur;
		return true;
	}
	case 21: /* ^U */
		le->buf[0] = '\0';
		le->len = le->cur = 0;
		return true;
	default:
		return false;
	}
}

void le_draw(struct line_edit *le, int y, int x, int w, bool focused)
{
	/* Keep the cursor in view: columns before it. */
	char before[sizeof le->buf];
	memcpy(before, le->buf, le->cur);
	before[le->cur] = '\0';
	int cx = tui_width(before);
	if (cx < le->scroll)
		le->scroll = cx;
	if (cx - le->scroll > w - 1)
		le->scroll = cx - (w - 1);
	/* Skip `scroll` columns. */
	size_t i = 0;
	int col = 0;
	while (i < le->len && col < le->scroll) {
		size_t n = next_char(le->buf, le->len, i);
		char one[8];
		memcpy(one, le->buf + i, n - i);
		one[n - i] = '\0';
		col += tui_width(one);
		i = n;
	}
	tui_cell(y, x, le->buf + i, w, false);
	if (focused) {
		move(y, x + cx - le->scroll);
		curs_set(1);
	}
}

/* ---- prompts and messages */

bool tui_prompt(const char *label, char *buf, size_t size)
{
	struct line_edit le;
	le_set(&le, buf);
	for (;;) {
		int y = LINES - 2;
		move(y, 0);
		clrtoeol();
		tui_attr_on(C_HEADER);
		int lw = tui_width(label);
		tui_cell(y, 0, label, lw, false);
		tui_attr_off(0);
		le_draw(&le, y, lw + 1, COLS - lw - 2, true);
		refresh();
		int k = tui_getkey(-1);
		if (k == KEY_RESIZE)
			continue;
		if (k == 27) {
			curs_set(0);
			return false;
		}
		if (k == '\n' || k == '\r' || k == KEY_ENTER) {
			curs_set(0);
			snprintf(buf, size, "%s", le.buf);
			return true;
		}
		le_key(&le, k);
	}
}

bool tui_confirm(const char *question)
{
	for (;;) {
		int y = LINES - 2;
		move(y, 0);
		clrtoeol();
		char q[512];
		snprintf(q, sizeof q, "%s %s", question, _("(y/n)"));
		tui_attr_on(C_WARN);
		tui_cell(y, 0, q, COLS, false);
		tui_attr_off(0);
		refresh();
		int k = tui_getkey(-1);
		if (k == 'y' || k == 'Y')
			return true;
		if (k == 'n' || k == 'N' || k == 27)
			return false;
	}
}

void tui_message(const char *title, const char *text)
{
	int w = COLS - 8 > 90 ? 90 : COLS - 8;
	int starts[64], lens[64];
	int n = tui_wrap(text, w - 4, starts, lens, 64);
	int h = n + 4 > LINES - 2 ? LINES - 2 : n + 4;
	int y = (LINES - h) / 2, x = (COLS - w) / 2;
	tui_clear_rect(y, x, h, w);
	tui_box(y, x, h, w);
	tui_attr_on(C_HEADER);
	tui_cell(y, x + 2, title, tui_width(title) < w - 4 ? tui_width(title) : w - 4, false);
	tui_attr_off(0);
	for (int i = 0; i < n && i < h - 4; i++) {
		char line[1024];
		snprintf(line, sizeof line, "%.*s", lens[i], text + starts[i]);
		tui_cell(y + 2 + i, x + 2, line, w - 4, false);
	}
	refresh();
	tui_getkey(-1);
}

/* ---- help */

/* The words the queue and the case view use, explained in the help. */
static const char *const outcome_help[GT_OUT_COUNT] = {
	N_("every condition of a route is met and its documents are verified"),
	N_("the conditions are met; documents the route asks for are missing or not yet verified"),
	N_("no route's conditions are met; the case view says what is missing, and for how long"),
	N_("a veto clause applies (e.g. falsified records): no route may be used; only an administrator "
	   "may approve, with a note"),
	N_("the document leaves the question to the committee, or is silent: a person decides"),
	N_("the case's data is wrong or incomplete: correct it (e)"),
};
static const char *const route_help[GT_ROUTE_COUNT] = {
	"",
	N_("the regular path: the level held and the years worked since"),
	N_("an exception for honours and competition results named in the document, with fewer years"),
	N_("recognition or application without the usual steps, as the document names"),
	N_("a competition result counts as the evaluation itself"),
};

/* One entry of the help: a label in the first 12 columns and its text
 * wrapped in the rest (never cut). */
static void help_entry(char ***lines, int **kinds, int *n, int *cap, const char *label, const char *text, int kind)
{
	int w = COLS - 16;
	int starts[32], lens[32];
	int k = tui_wrap(text, w, starts, lens, 32);
	for (int i = 0; i < k; i++) {
		if (*n == *cap) {
			int c = *cap ? *cap * 2 : 64;
			char **l = realloc(*lines, sizeof *l * (size_t)c);
			if (!l)
				return;
			*lines = l;
			int *kd = realloc(*kinds, sizeof *kd * (size_t)c);
			if (!kd)
				return;
			*kinds = kd;
			*cap = c;
		}
		char buf[1024];
		char lab[128];
		int pad = 12 - tui_width(i ? "" : label);
		snprintf(lab, sizeof lab, "%s%*s", i ? "" : label, pad > 0 ? pad : 1, "");
		snprintf(buf, sizeof buf, "%s%.*s", lab, lens[i], text + starts[i]);
		(*lines)[*n] = strdup(buf);
		(*kinds)[*n] = i == 0 ? kind : C_NORMAL;
		if ((*lines)[*n])
			(*n)++;
	}
}

void tui_help(unsigned screen)
{
	int top = 0;
	char **lines = NULL;
	int *kinds = NULL, n = 0, cap = 0, built_cols = 0;
	for (;;) {
		if (built_cols != COLS) {
			for (int i = 0; i < n; i++)
				free(lines[i]);
			n = 0;
			for (int i = 0; i < tui_nactions; i++) {
				const struct action_def *a = &tui_actions[i];
				if (a->screens & screen)
					help_entry(&lines, &kinds, &n, &cap, a->keyname, _(a->help), C_NORMAL);
			}
			if (screen & (SCR_QUEUE | SCR_CASE)) {
				help_entry(&lines, &kinds, &n, &cap, "", "", C_NORMAL);
				help_entry(&lines, &kinds, &n, &cap, "", _("Outcomes of the evaluation"), C_TITLE);
				for (int o = 0; o < GT_OUT_COUNT; o++) {
					char lab[64];
					snprintf(lab, sizeof lab, "%s %s", tui_outcome_mark(o), gt_name_of(&gt_outcomes, o));
					help_entry(&lines, &kinds, &n, &cap, "", lab, tui_outcome_color(o));
					help_entry(&lines, &kinds, &n, &cap, "", _(outcome_help[o]), C_NORMAL);
				}
				help_entry(&lines, &kinds, &n, &cap, "", "", C_NORMAL);
				help_entry(&lines, &kinds, &n, &cap, "", _("Routes"), C_TITLE);
				for (int r = 1; r < GT_ROUTE_COUNT; r++) {
					help_entry(&lines, &kinds, &n, &cap, "", gt_name_of(&gt_routes, r), C_HEADER);
					help_entry(&lines, &kinds, &n, &cap, "", _(route_help[r]), C_NORMAL);
				}
			}
			built_cols = COLS;
		}
		erase();
		tui_draw_title(_("Keys of this screen"));
		int h = LINES - 4;
		for (int i = 0; i < h && top + i < n; i++) {
			const char *l = lines[top + i];
			/* The label (first 12 columns) in its colour, the text plain. */
			tui_attr_on(kinds[top + i]);
			tui_cell(2 + i, 2, l, tui_width(l) < COLS - 3 ? tui_width(l) : COLS - 3, false);
			tui_attr_off(0);
		}
		tui_draw_footer(SCR_HELP);
		refresh();
		int k = tui_getkey(-1);
		if (k == KEY_RESIZE || k == ERR)
			continue;
		enum action act = tui_action_for(k, SCR_HELP);
		if (act == ACT_BACK || k == '?')
			break;
		int max = n > h ? n - h : 0;
		if (act == ACT_DOWN)
			top++;
		else if (act == ACT_UP)
			top--;
		else if (act == ACT_PGDN)
			top += h - 1;
		else if (act == ACT_PGUP)
			top -= h - 1;
		else if (act == ACT_HOME)
			top = 0;
		else if (act == ACT_END)
			top = max;
		if (top > max)
			top = max;
		if (top < 0)
			top = 0;
	}
	for (int i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	free(kinds);
}

/* ---- pick lists */

static bool matches(const struct pick_item *it, const char *filter)
{
	if (!*filter || it->header)
		return !*filter || !it->header;
	return strstr(it->label, filter) || (it->search && strstr(it->search, filter));
}

/* A pick list. Keys move and mark as on every list (j/k, Space, Enter, ?);
 * the search is a visible line, entered with / or by typing a character no
 * key uses (a Chinese character from the IME), left with Enter (the list
 * stays narrowed) or Esc (the search is cleared). */
int tui_pick(const char *title, struct pick_item *items, int n, bool multi, int current)
{
	struct line_edit filter;
	le_set(&filter, "");
	int sel = current >= 0 && current < n ? current : 0;
	int top = 0;
	bool searchable = n > 12, searching = false; /* searchable: the search line is shown */
	int *vis = malloc(sizeof *vis * (size_t)(n > 0 ? n : 1));
	if (!vis)
		return -1;
	int result = -1;
	for (;;) {
		int nv = 0;
		for (int i = 0; i < n; i++)
			if (matches(&items[i], filter.buf))
				vis[nv++] = i;
		/* The selection stays on a selectable visible item. */
		int pos = 0;
		for (int i = 0; i < nv; i++)
			if (vis[i] == sel)
				pos = i;
		if (nv && (vis[pos] != sel || items[sel].header)) {
			pos = 0;
			while (pos < nv - 1 && items[vis[pos]].header)
				pos++;
			sel = vis[pos];
		}
		int h = LINES - 6, w = COLS - 10;
		int y0 = 2, x0 = 5;
		if (pos < top)
			top = pos;
		if (pos >= top + h - 4)
			top = pos - (h - 5);
		tui_clear_rect(y0, x0, h, w);
		tui_box(y0, x0, h, w);
		tui_attr_on(C_HEADER);
		tui_cell(y0, x0 + 2, title, tui_width(title) < w - 4 ? tui_width(title) : w - 4, false);
		tui_attr_off(0);
		if (searchable || searching || filter.len) {
			const char *lbl = _("Search:");
			tui_cell(y0 + 1, x0 + 2, lbl, tui_width(lbl), false);
			if (searching || filter.len) {
				tui_attr_on(searching ? C_SELECT : C_NORMAL);
				le_draw(&filter, y0 + 1, x0 + 3 + tui_width(lbl), w - 6 - tui_width(lbl), false);
				tui_attr_off(0);
			} else {
				tui_attr_on(C_DIM);
				tui_cell(y0 + 1, x0 + 3 + tui_width(lbl), _("(/ to search)"), w - 6 - tui_width(lbl), false);
				tui_attr_off(0);
			}
		}
		for (int i = 0; i + top < nv && i < h - 4; i++) {
			const struct pick_item *it = &items[vis[i + top]];
			char line[512];
			if (it->header)
				snprintf(line, sizeof line, "%s", it->label);
			else if (multi)
				snprintf(line, sizeof line, "[%s] %s", it->selected ? "x" : " ", it->label);
			else
				snprintf(line, sizeof line, "%s", it->label);
			int c = vis[i + top] == sel ? C_SELECT : it->header ? C_TITLE : C_NORMAL;
			tui_attr_on(c);
			tui_cell(y0 + 2 + i, x0 + 2, line, w - 4, false);
			tui_attr_off(c);
		}
		if (!nv)
			tui_cell(y0 + 2, x0 + 2, _("(nothing matches the search)"), w - 4, false);
		tui_draw_footer(SCR_PICK | SCR_LIST);
		if (searching) {
			le_draw(&filter, y0 + 1, x0 + 3 + tui_width(_("Search:")), w - 6 - tui_width(_("Search:")), true);
		}
		refresh();
		int k = tui_getkey(-1);
		if (k == KEY_RESIZE) {
			erase();
			if (!tui_check_size())
				continue;
			continue;
		}
		enum action act = tui_action_for(k, SCR_PICK | SCR_LIST);
		if (searching) {
			if (k == 27) {
				le_set(&filter, "");
				searching = false;
				curs_set(0);
			} else if (k == '\n' || k == '\r' || k == KEY_ENTER) {
				searching = false;
				curs_set(0);
			} else if (act == ACT_UP || act == ACT_DOWN || act == ACT_PGUP || act == ACT_PGDN) {
				if (k >= 0x20 && k < 0x7f)
					le_key(&filter, k); /* j and k are letters here */
				else
					goto move;
			} else {
				le_key(&filter, k);
			}
			continue;
		}
		if (act == ACT_SEARCH || (k & TUI_WIDE)) {
			searching = true;
			if (k & TUI_WIDE)
				le_key(&filter, k);
			continue;
		}
	move:
		if (act == ACT_BACK) {
			break;
		} else if (act == ACT_HELP) {
			tui_help(SCR_PICK | SCR_LIST);
			erase();
		} else if (act == ACT_CLEAR) {
			le_set(&filter, "");
		} else if (act == ACT_UP || act == ACT_DOWN || act == ACT_PGUP || act == ACT_PGDN || act == ACT_HOME ||
			   act == ACT_END) {
			int step = act == ACT_UP ? -1 : act == ACT_DOWN ? 1 : act == ACT_PGUP ? -(h - 4)
				 : act == ACT_PGDN ? h - 4 : act == ACT_HOME ? -nv : nv;
			int np = pos + step;
			if (np < 0)
				np = 0;
			if (np >= nv)
				np = nv - 1;
			/* Skip section titles in the direction of travel. */
			int dir = step < 0 ? -1 : 1;
			while (np > 0 && np < nv - 1 && items[vis[np]].header)
				np += dir;
			if (nv && !items[vis[np]].header)
				sel = vis[np];
		} else if (act == ACT_TOGGLE && multi && nv) {
			items[sel].selected = !items[sel].selected;
		} else if (act == ACT_PICK && nv) {
			if (multi) {
				result = 1;
			} else if (!items[sel].header) {
				result = sel;
			} else {
				continue;
			}
			break;
		}
	}
	curs_set(0);
	free(vis);
	return result;
}
