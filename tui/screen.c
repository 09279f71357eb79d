/* The one event loop (issue 16, "How to build it"): a screen is a struct of
 * functions (struct tui_screen: draw, key, resize, refresh on another
 * clerk's commit, idle work) run by tui_screen_run, whose dispatcher turns
 * a key into an action through the one table (actions.c), checks the
 * action's preconditions once there (the same check that leaves an action
 * out of the footer), and handles what every screen shares: help, redraw,
 * back, quit, a key that does nothing. A screen opened from another runs
 * in the same loop, nested (htop's ScreenManager_run over a Panel; tmux's
 * window_mode). tui_list is the list those screens scroll. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>

#include "gt_i18n.h"
#include "tui.h"

/* The dispatcher: the action of key on s, refused here when its
 * preconditions fail, else given to the screen, then to the common keys. */
static int screen_dispatch(const struct tui_screen *s, void *self, int key)
{
	enum action a = tui_action_for(key, s->scr);
	if (a == ACT_NONE) {
		tui_key_unknown(key);
		return SK_DONE;
	}
	if (!tui_action_possible(a)) {
		tui_action_refuse(a);
		return SK_DONE;
	}
	int r = s->key ? s->key(self, a, key) : SK_IGNORED;
	if (r != SK_IGNORED)
		return r;
	switch (a) {
	case ACT_HELP: tui_help(s->scr); return SK_DONE;
	case ACT_REDRAW: clearok(curscr, TRUE); return SK_DONE;
	case ACT_BACK: return SK_CLOSE;
	case ACT_QUIT: return SK_QUIT;
	default: tui_key_unknown(key); return SK_DONE;
	}
}

int tui_screen_run(const struct tui_screen *s, void *self)
{
	int r = SK_DONE;
	bool drawn = false, opened = false;
	for (;;) {
		if (!T.too_small && !drawn)
			s->draw(self);
		if (!opened && !T.too_small)
			tui_screen_opened(s->scr);
		opened = opened || !T.too_small;
		drawn = false;
		bool idle = s->idle_pending && s->idle_pending(self);
		int k = tui_getkey(idle ? 0 : 1000);
		if (k == ERR) {
			if (idle) {
				s->idle(self);
				continue;
			}
			/* Another clerk committed? Then the screen follows. */
			int64_t dv = gt_store_data_version(T.st);
			if (dv != T.data_version) {
				T.data_version = dv;
				if (s->follow && s->follow(self) == SK_CLOSE)
					return SK_CLOSE;
			}
			continue;
		}
		if (k == KEY_RESIZE) {
			if (tui_check_size() && s->resize && s->resize(self) == SK_CLOSE)
				return SK_CLOSE;
			continue;
		}
		if (T.too_small) {
			if (k == 'q' || k == 'Q')
				return SK_QUIT;
			continue;
		}
		T.status[0] = '\0';
		T.status_error = false;
		r = screen_dispatch(s, self, k);
		if (r == SK_DONE && !T.too_small) {
			/* Drawn before the key's time is taken: the time is the
			 * user's, from the key read to the screen shown. */
			s->draw(self);
			drawn = true;
		}
		tui_key_done(k);
		if (r == SK_CLOSE || r == SK_QUIT)
			return r;
	}
}

void tui_list_clamp(struct tui_list *l, int h)
{
	if (l->cursor) {
		l->cur = l->cur >= l->n ? l->n - 1 : l->cur;
		l->cur = l->cur < 0 ? 0 : l->cur;
		if (l->cur < l->top)
			l->top = l->cur;
		if (l->cur >= l->top + h)
			l->top = l->cur - h + 1;
	}
	long max = l->n > h ? l->n - h : 0;
	l->top = l->top > max ? max : l->top < 0 ? 0 : l->top;
}

bool tui_list_move(struct tui_list *l, enum action a, int h)
{
	long *v = l->cursor ? &l->cur : &l->top;
	switch (a) {
	case ACT_DOWN: ++*v; break;
	case ACT_UP: --*v; break;
	case ACT_PGDN: *v += h - 1; break;
	case ACT_PGUP: *v -= h - 1; break;
	case ACT_HOME: *v = 0; break;
	case ACT_END: *v = l->n; break;
	default: return false;
	}
	tui_list_clamp(l, h);
	return true;
}
