/* The workstation's frame: ncurses set-up, colours or none, text measured in
 * display columns, the title, footer and status lines, keys and timing. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "cli.h"
#include "gt_i18n.h"
#include "gt_vis.h"
#include "tui.h"

struct tui T;

enum { MIN_COLS = 80, MIN_LINES = 24 };

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---- colours and attributes */

void tui_attr_on(int c)
{
	if (T.color && c != C_NORMAL) {
		attron(COLOR_PAIR(c));
		if (c == C_TITLE || c == C_HEADER)
			attron(A_BOLD);
		return;
	}
	switch (c) {
	case C_HEADER: case C_TITLE: attron(A_BOLD); break;
	case C_SELECT: attron(A_REVERSE); break;
	case C_ERROR: attron(A_BOLD | A_REVERSE); break;
	case C_OK: attron(A_BOLD); break;
	case C_DIM: attron(A_DIM); break;
	case C_WARN: attron(A_UNDERLINE); break;
	case C_BAD: attron(A_BOLD); break;
	default: break;
	}
}

void tui_attr_off(int c)
{
	(void)c;
	attrset(A_NORMAL);
}

static void init_colors(void)
{
	const char *nc = getenv("NO_COLOR");
	T.color = has_colors() && !(nc && *nc);
	if (!T.color)
		return;
	start_color();
	use_default_colors();
	init_pair(C_HEADER, COLOR_BLACK, COLOR_CYAN);
	init_pair(C_SELECT, COLOR_BLACK, COLOR_YELLOW);
	init_pair(C_ERROR, COLOR_WHITE, COLOR_RED);
	init_pair(C_OK, COLOR_GREEN, -1);
	init_pair(C_DIM, COLOR_BLUE, -1);
	init_pair(C_TITLE, COLOR_WHITE, COLOR_BLUE);
	init_pair(C_WARN, COLOR_YELLOW, -1);
	init_pair(C_BAD, COLOR_RED, -1);
}

/* The theme of outcomes: eligible, needs evidence, not eligible, vetoed,
 * manual review, invalid. Marks are ASCII: one column on every terminal. */
static const struct {
	int color;
	const char *mark;
} outcome_theme[GT_OUT_COUNT] = {
	{ C_OK, "+" }, { C_WARN, "~" }, { C_BAD, "x" }, { C_BAD, "!" }, { C_WARN, "?" }, { C_BAD, "x" },
};

int tui_outcome_color(int outcome)
{
	return outcome >= 0 && outcome < GT_OUT_COUNT ? outcome_theme[outcome].color : C_NORMAL;
}

const char *tui_outcome_mark(int outcome)
{
	return outcome >= 0 && outcome < GT_OUT_COUNT ? outcome_theme[outcome].mark : " ";
}

/* ---- text in display columns */

/* A character that must not reach the terminal as it is: what gt_vis
 * escapes in the batch commands (controls, invalid UTF-8, bidi, invisible
 * characters) is drawn here as one "?" column. */
static bool char_unsafe(const char *s, size_t n, int *bytes)
{
	uint32_t cp;
	size_t k = gt_utf8_decode(s, n, &cp);
	*bytes = k ? (int)k : 1;
	return k == 0 || gt_vis_class(cp) != GT_VIS_PRINT;
}

static int char_width(const char *s, size_t n, int *bytes)
{
	if (char_unsafe(s, n, bytes))
		return 1;
	mbstate_t ps;
	memset(&ps, 0, sizeof ps);
	wchar_t wc;
	size_t k = mbrtowc(&wc, s, n, &ps);
	if (k == (size_t)-1 || k == (size_t)-2 || k == 0)
		return 1;
	int w = wcwidth(wc);
	return w < 0 ? 1 : w;
}

int tui_width(const char *s)
{
	int w = 0;
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		int b;
		w += char_width(s + i, n - i, &b);
		i += (size_t)b;
	}
	return w;
}

void tui_cell(int y, int x, const char *s, int w, bool right)
{
	if (x + w > COLS)
		w = COLS - x; /* never wrap onto the next line */
	if (w <= 0 || y < 0 || y >= LINES)
		return;
	size_t n = strlen(s);
	int total = tui_width(s);
	size_t cut = n;
	int used = total;
	bool ellipsis = false;
	if (total > w) {
		/* Keep what fits in w - 1 columns, then "…". */
		used = 0;
		cut = 0;
		while (cut < n) {
			int b, cw = char_width(s + cut, n - cut, &b);
			if (used + cw > w - 1)
				break;
			used += cw;
			cut += (size_t)b;
		}
		ellipsis = true;
	}
	int pad = w - used - (ellipsis ? 1 : 0);
	move(y, x);
	if (right)
		for (int i = 0; i < pad; i++)
			addch(' ');
	for (size_t i = 0; i < cut;) {
		/* Unsafe characters never reach the terminal. */
		int b;
		if (char_unsafe(s + i, cut - i, &b))
			addch('?');
		else
			addnstr(s + i, b);
		i += (size_t)b;
	}
	if (ellipsis)
		addstr(T.ascii ? ">" : "…");
	if (!right)
		for (int i = 0; i < pad; i++)
			addch(' ');
}

/* The character at s (0 when it cannot be read). */
static wchar_t char_at(const char *s, size_t n)
{
	mbstate_t ps;
	memset(&ps, 0, sizeof ps);
	wchar_t wc;
	size_t k = mbrtowc(&wc, s, n, &ps);
	return k == (size_t)-1 || k == (size_t)-2 || k == 0 ? 0 : wc;
}

/* Line-breaking rules for Chinese (kinsoku): a line does not start with a
 * closing mark, nor end with an opening one. */
static bool no_line_start(wchar_t c)
{
	return c && wcschr(L"，。、；：？！）》」』】〉〕”’…·％),.;:!?]}%", c) != NULL;
}
static bool no_line_end(wchar_t c)
{
	return c && wcschr(L"（《「『【〈〔“‘([{", c) != NULL;
}

/* Wraps by display columns. A line may break after a space, or between two
 * characters when either is wide (CJK text has no spaces), unless the
 * break would put a closing mark first or leave an opening mark last;
 * without any such place a line is cut at the width. Spaces at a break
 * are dropped, so a continuation line starts with text. */
int tui_wrap(const char *s, int w, int *starts, int *lens, int max)
{
	int count = 0;
	size_t n = strlen(s), i = 0;
	if (w < 4)
		w = 4;
	while (i < n && count < max) {
		size_t start = i, brk_end = 0, brk_next = 0;
		int used = 0, prev_cw = 0;
		wchar_t prev = 0;
		bool cut = false, seen = false;
		while (i < n && s[i] != '\n') {
			int b, cw = char_width(s + i, n - i, &b);
			wchar_t c = char_at(s + i, n - i);
			if (i > start && prev != L' ' && c != L' ' && (cw == 2 || prev_cw == 2) && !no_line_start(c) &&
			    !no_line_end(prev)) {
				brk_end = i; /* a break before this character */
				brk_next = i;
			}
			if (used + cw > w) {
				cut = true;
				break;
			}
			if (c == L' ' && seen) {
				brk_end = i; /* a break at this space */
				brk_next = i + 1;
			}
			used += cw;
			seen = seen || c != L' ';
			prev = c;
			prev_cw = cw;
			i += (size_t)b;
		}
		size_t end = i;
		if (cut && brk_end > start) {
			end = brk_end;
			i = brk_next;
		}
		while (end > start && s[end - 1] == ' ' && cut)
			end--;
		starts[count] = (int)start;
		lens[count] = (int)(end - start);
		count++;
		if (cut)
			while (i < n && s[i] == ' ')
				i++;
		if (i < n && s[i] == '\n')
			i++;
	}
	if (count == 0 && max > 0) {
		starts[0] = lens[0] = 0;
		count = 1;
	}
	return count;
}

void tui_hline(int y, int x, int w)
{
	move(y, x);
	for (int i = 0; i < w; i++)
		addch(T.ascii ? '-' : ACS_HLINE);
}

void tui_box(int y, int x, int h, int w)
{
	chtype hz = T.ascii ? '-' : ACS_HLINE, vt = T.ascii ? '|' : ACS_VLINE;
	chtype ul = T.ascii ? '+' : ACS_ULCORNER, ur = T.ascii ? '+' : ACS_URCORNER;
	chtype ll = T.ascii ? '+' : ACS_LLCORNER, lr = T.ascii ? '+' : ACS_LRCORNER;
	mvaddch(y, x, ul);
	mvaddch(y, x + w - 1, ur);
	mvaddch(y + h - 1, x, ll);
	mvaddch(y + h - 1, x + w - 1, lr);
	for (int i = 1; i < w - 1; i++) {
		mvaddch(y, x + i, hz);
		mvaddch(y + h - 1, x + i, hz);
	}
	for (int j = 1; j < h - 1; j++) {
		mvaddch(y + j, x, vt);
		mvaddch(y + j, x + w - 1, vt);
	}
}

void tui_clear_rect(int y, int x, int h, int w)
{
	for (int j = 0; j < h; j++) {
		move(y + j, x);
		for (int i = 0; i < w; i++)
			addch(' ');
	}
}

/* ---- the frame */

void tui_set_status(bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(T.status, sizeof T.status, fmt, ap);
	va_end(ap);
	T.status_error = error;
}

void tui_draw_title(const char *title)
{
	tui_attr_on(C_TITLE);
	static const char *const roles[GT_USER_ROLES] = {
		N_("not a user"), N_("clerk"), N_("reviewer"), N_("admin"),
	};
	int role = gt_store_role(T.st);
	char right[160];
	snprintf(right, sizeof right, "%s (%s) ", gt_store_actor(T.st),
		 _(roles[role >= 0 && role < GT_USER_ROLES ? role : 0]));
	int rw = tui_width(right);
	char with[256];
	if (T.demo) {
		snprintf(with, sizeof with, _("%s (demo database)"), title);
		title = with;
	}
	tui_cell(0, 0, title, COLS - rw, false);
	tui_cell(0, COLS - rw, right, rw, true);
	tui_attr_off(C_TITLE);
}

void tui_draw_footer(unsigned screen)
{
	int y = LINES - 1;
	/* The status line, above the keys. */
	move(y - 1, 0);
	clrtoeol();
	if (T.status[0]) {
		tui_attr_on(T.status_error ? C_ERROR : C_OK);
		tui_cell(y - 1, 0, T.status, COLS, false);
		tui_attr_off(0);
	}
	move(y, 0);
	clrtoeol();
	/* Help, back and quit always have room (they end the line); the
	 * others come in the table's order while they fit, never cut. */
	int reserved = 0, x = 0;
	for (int pass = 0; pass < 3; pass++) {
		for (int i = 0; i < tui_nactions; i++) {
			const struct action_def *a = &tui_actions[i];
			if (!(a->screens & screen) || !a->label || !tui_action_possible(a->id))
				continue;
			bool always = a->id == ACT_HELP || a->id == ACT_BACK || a->id == ACT_QUIT;
			const char *label = _(a->label);
			int w = tui_width(a->keyname) + 1 + tui_width(label) + 2;
			if (pass == 0) {
				if (always)
					reserved += w;
				continue;
			}
			if (always != (pass == 2))
				continue;
			if (pass == 1 && x + w > COLS - reserved)
				continue;
			if (pass == 2 && x + w > COLS + 2)
				break;
			tui_attr_on(C_HEADER);
			tui_cell(y, x, a->keyname, tui_width(a->keyname), false);
			tui_attr_off(0);
			tui_cell(y, x + tui_width(a->keyname), " ", 1, false);
			tui_cell(y, x + tui_width(a->keyname) + 1, label, tui_width(label), false);
			x += w;
		}
	}
}

bool tui_check_size(void)
{
	T.too_small = COLS < MIN_COLS || LINES < MIN_LINES;
	if (!T.too_small)
		return true;
	erase();
	char msg[256];
	snprintf(msg, sizeof msg, _("The terminal is %dx%d; guantong needs at least %dx%d. Enlarge it, or q to quit."),
		 COLS, LINES, MIN_COLS, MIN_LINES);
	int starts[8], lens[8];
	int n = tui_wrap(msg, COLS > 2 ? COLS - 2 : 1, starts, lens, 8);
	for (int i = 0; i < n && i < LINES; i++) {
		char line[256];
		snprintf(line, sizeof line, "%.*s", lens[i], msg + starts[i]);
		tui_cell(i + (LINES > n ? (LINES - n) / 2 : 0), 1, line, COLS > 2 ? COLS - 2 : 1, false);
	}
	refresh();
	return false;
}

static double key_t0, key_cpu0;

/* The process's CPU time (user + system), in ms: on a shared machine the
 * wall time of a key waits for the others, its CPU time does not. */
static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}
static volatile sig_atomic_t stop_signal;
static void (*interrupt_hook)(void);

void tui_on_interrupt(void (*hook)(void))
{
	interrupt_hook = hook;
}

/* Ctrl-C (a key in raw mode), SIGINT, SIGTERM or SIGHUP (a lost SSH
 * connection): the screen in progress saves what it has, then we leave.
 * After a hang-up there is no terminal to restore: nothing is written to it. */
static void stop_now(int code)
{
	if (interrupt_hook)
		interrupt_hook();
	if (code != 128 + SIGHUP)
		endwin();
	if (T.st)
		gt_store_close(T.st);
	exit(code);
}

/* get_wch returned no key: a timeout, or a terminal that is gone. A hung-up
 * terminal polls as POLLHUP (or POLLERR, POLLNVAL); one at end of file polls
 * readable with nothing to read (read would return 0 or fail with EIO). Both
 * happen without a SIGHUP when the process that had the terminal (su, a
 * shell) does not pass it on, and each get_wch then returns at once: without
 * this check the key loop spins. */
static int tty_empty_reads;

static bool terminal_gone(void)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
	int r = poll(&p, 1, 0);
	if (r < 0)
		return errno != EINTR && errno != EAGAIN;
	if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
		return true;
	int avail = 0;
	if ((p.revents & POLLIN) && ioctl(STDIN_FILENO, FIONREAD, &avail) < 0)
		return errno == EIO || errno == EBADF;
	/* Readable with nothing to read: EOF or EIO. Once may be a key that
	 * came in just now; twice in a row, with no key between, is not. */
	if ((p.revents & POLLIN) && avail == 0)
		return ++tty_empty_reads >= 2;
	tty_empty_reads = 0;
	return false;
}

int tui_getkey(int ms)
{
	for (;;) {
		timeout(ms);
		wint_t wc;
		int r = get_wch(&wc);
		key_t0 = now_ms();
		key_cpu0 = T.timing ? cpu_ms() : 0;
		int ch = r == ERR ? ERR : r == KEY_CODE_YES ? (int)wc : wc < 0x80 ? (int)wc : (int)(TUI_WIDE | wc);
		if (stop_signal)
			stop_now(128 + stop_signal);
		if (r != ERR)
			tty_empty_reads = 0;
		else if (terminal_gone())
			stop_now(128 + SIGHUP); /* as if SIGHUP had come */
		if (ch == 3) /* Ctrl-C */
			stop_now(130);
		if (ch == KEY_RESIZE) {
			/* The caller redraws; a resize to too small is handled there. */
			return ch;
		}
		if (T.too_small && (ch == 'q' || ch == 'Q'))
			stop_now(0); /* as the message says; a draft is saved first */
		if (T.too_small && ch != ERR)
			continue;
		return ch;
	}
}

void tui_key_unknown(int key)
{
	char name[32];
	if (key > 0x20 && key < 0x7f)
		snprintf(name, sizeof name, "%c", key);
	else if (key & TUI_WIDE)
		snprintf(name, sizeof name, "U+%04X", (unsigned)(key & ~TUI_WIDE));
	else if (key < 0x20)
		snprintf(name, sizeof name, "^%c", key + '@');
	else {
		const char *k = keyname(key);
		snprintf(name, sizeof name, "%s", k && strncmp(k, "KEY_", 4) == 0 ? k + 4 : "?");
	}
	tui_set_status(true, _("The key %s does nothing here; ? lists the keys."), name);
}

void tui_screen_opened(unsigned scr)
{
	/* From the key that opened it (still the last key read); the queue,
	 * opened by no key, has its startup line instead. */
	if (!T.timing || key_t0 == 0)
		return;
	fprintf(T.timing, "open %u %.3f %.3f\n", scr, now_ms() - key_t0, cpu_ms() - key_cpu0);
	fflush(T.timing);
}

void tui_key_done(int key)
{
	if (!T.timing || key == ERR)
		return;
	/* "key CODE WALL-MS CPU-MS" */
	fprintf(T.timing, "key %d %.3f %.3f\n", key, now_ms() - key_t0, cpu_ms() - key_cpu0);
	fflush(T.timing);
}

static void on_signal(int sig)
{
	/* Only a flag here: the key loop wakes within a second and stops. */
	stop_signal = sig;
}

int tui_run(const char *db, bool demo)
{
	T.demo = demo;
	T.case_status = -1;
	T.t_start = now_ms();
	const char *tf = getenv("GUANTONG_TIMING");
	if (tf && *tf)
		T.timing = fopen(tf, "a");
	const char *ascii = getenv("GUANTONG_ASCII");
	if (ascii && *ascii && strcmp(ascii, "0") != 0)
		T.ascii = true;

	int status = gt_open_store(&T.st, db, GT_OPEN_CREATE);
	if (status)
		return status;
	/* The workstation reads a page of rows at a time: a small page cache
	 * keeps it in its memory budget (32 MiB) on a million cases; the
	 * store's own default (64 MiB) is for imports. */
	gt_store_cache_kib(T.st, 8192);
	T.data_version = gt_store_data_version(T.st);

	if (!initscr()) {
		fprintf(stderr, _("%s: cannot start the terminal screen\n"), gt_progname);
		gt_store_close(T.st);
		return GT_EXIT_UNREADABLE;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal; /* no SA_RESTART: getch returns at once */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	raw();
	noecho();
	keypad(stdscr, TRUE);
	/* Home and End as tmux, screen, PuTTY and rxvt send them, whatever
	 * TERM's entry says: else ESC arrives alone and closes the view. */
	static const struct {
		const char *seq;
		int key;
	} extra_keys[] = {
		{ "\033[1~", KEY_HOME }, { "\033[4~", KEY_END }, { "\033[7~", KEY_HOME }, { "\033[8~", KEY_END },
		{ "\033[H", KEY_HOME }, { "\033[F", KEY_END }, { "\033OH", KEY_HOME }, { "\033OF", KEY_END },
	};
	for (size_t i = 0; i < sizeof extra_keys / sizeof extra_keys[0]; i++)
		if (key_defined(extra_keys[i].seq) <= 0)
			define_key(extra_keys[i].seq, extra_keys[i].key);
	set_escdelay(25);
	curs_set(0);
	init_colors();

	status = tui_queue();

	endwin();
	gt_store_close(T.st);
	if (T.timing)
		fclose(T.timing);
	return status;
}

void tui_painted(void)
{
	static bool done;
	if (done || !T.timing)
		return;
	done = true;
	fprintf(T.timing, "startup %.3f\n", now_ms() - T.t_start);
	fflush(T.timing);
}
