/* The workstation: ncurses (wide characters), keyboard only. */
#ifndef GT_TUI_H
#define GT_TUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gt_store.h"

/* Screens, as bits: an action names the screens it works on. */
enum {
	SCR_QUEUE = 1 << 0,
	SCR_CASE = 1 << 1,
	SCR_INTAKE = 1 << 2,
	SCR_PICK = 1 << 3,
	SCR_HELP = 1 << 4,
	SCR_LIST = 1 << 5,   /* an intake pick list: keys first, / searches */
	SCR_EVIDENCE = 1 << 6, /* the case's evidence checklist: marks staged, saved at once */
	SCR_STATS = 1 << 7,  /* the statistics screen (t) */
	SCR_DUE = 1 << 8,    /* the 到期 list (d) */
	SCR_ALL = 0xffff,
};

/* Everything a key can do. The one table of them (actions.c) drives the
 * footer, the help screen and the man page's key list. */
enum action {
	ACT_NONE,
	ACT_UP, ACT_DOWN, ACT_PGUP, ACT_PGDN, ACT_HOME, ACT_END,
	ACT_OPEN, ACT_BACK, ACT_QUIT, ACT_HELP, ACT_REDRAW, ACT_JUMP,
	ACT_SEARCH, ACT_NEXT, ACT_PREV, ACT_FILTER, ACT_MINE, ACT_SORT, ACT_REVERSE, ACT_NEW, ACT_EDIT, ACT_EXPORT,
	ACT_APPROVE, ACT_REJECT, ACT_RETURN, ACT_TAKE, ACT_SUBMIT, ACT_REOPEN, ACT_EVIDENCE, ACT_CLAUSES, ACT_ROUTES, ACT_SORT_NUMBER,
	ACT_NEXT_FIELD, ACT_PREV_FIELD, ACT_NEXT_PAGE, ACT_PREV_PAGE, ACT_PICK, ACT_SAVE,
	ACT_TOGGLE, ACT_VERIFY, ACT_CLEAR, ACT_VOID, ACT_UNDO,
	ACT_STATS, ACT_DUE, ACT_PRINT,
	ACT_COUNT
};

/* An action's preconditions, checked once by the dispatcher (screen.c)
 * and by the footer: */
enum {
	NEED_USER = 1 << 0, /* a user of the database (clerk or above) */
	NEED_CASE = 1 << 1, /* a case action: the open case's status and the role allow it */
};

struct action_def {
	enum action id;
	unsigned screens;   /* SCR_* bits */
	int keys[3];        /* ncurses key codes (0: none) */
	const char *keyname;/* as shown: "j/↓", "PgDn" */
	const char *label;  /* msgid: short, for the footer (NULL: not in the footer) */
	const char *help;   /* msgid: one line, for the help screen and the man page */
	unsigned need;      /* NEED_* */
};

extern const struct action_def tui_actions[];
extern const int tui_nactions;

/* The action of a key on a screen (ACT_NONE when none). */
enum action tui_action_for(int key, unsigned screen);
/* The gt_action a key action stands for (approve...), or -1. */
int tui_action_case_act(enum action a);
/* Whether the action's preconditions (role, the case's status) hold now. */
bool tui_action_possible(enum action a);
/* Says on the status line that key does nothing on this screen. */
void tui_key_unknown(int key);
/* Prints the key table as man page rows (for man/src/guantong.1). */
void tui_print_keys_man(FILE *out);

struct tui {
	gt_store *st;
	bool color;
	bool ascii;
	bool too_small;
	int64_t data_version;
	char status[512];
	bool status_error;
	FILE *timing;      /* GUANTONG_TIMING: startup and per-key times, for bench/ */
	bool demo;         /* the demo database (--demo): said in the title */
	double t_start;
	int case_status;   /* the open case's gt_status, -1 when no case is open */
	int64_t case_id;   /* the open case's number (0: none), for messages */
};

extern struct tui T;

/* ---- drawing helpers (tui.c) */
enum { C_NORMAL, C_HEADER, C_SELECT, C_ERROR, C_OK, C_DIM, C_TITLE, C_WARN, C_BAD };
/* An outcome's screen element (C_OK, C_WARN, C_BAD) and its mark, which
 * says the same without colour (NO_COLOR, a monochrome terminal). */
int tui_outcome_color(int outcome);
const char *tui_outcome_mark(int outcome);
void tui_attr_on(int c);
void tui_attr_off(int c);
int tui_width(const char *s);
/* Writes s at (y, x) cut or padded to exactly w columns (wide characters
 * counted by wcwidth; a cut is marked with "…"). right: align right. */
void tui_cell(int y, int x, const char *s, int w, bool right);
void tui_hline(int y, int x, int w);
void tui_box(int y, int x, int h, int w);
void tui_clear_rect(int y, int x, int h, int w);
/* Wraps s to width w: fills lines[] with byte offsets, returns the count. */
int tui_wrap(const char *s, int w, int *starts, int *lens, int max);

void tui_set_status(bool error, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tui_draw_footer(unsigned screen);
void tui_draw_title(const char *title);
/* Whether the terminal is large enough; draws the message when not. */
bool tui_check_size(void);

/* Reads a key, waiting at most ms (then returns ERR; -1 waits). Function
 * keys come as KEY_*, ASCII as itself, other characters as TUI_WIDE | wc. */
#define TUI_WIDE 0x40000000
int tui_getkey(int ms);

/* A one-line text editor (UTF-8, cursor by characters). */
struct line_edit {
	char buf[512];
	size_t len, cur;
	int scroll; /* first column shown */
};
void le_set(struct line_edit *le, const char *s);
/* Handles an editing key; false when the key is not an editing key. */
bool le_key(struct line_edit *le, int key);
/* Draws the text in w columns at (y, x); places the cursor when focused. */
void le_draw(struct line_edit *le, int y, int x, int w, bool focused);
void tui_key_done(int key); /* timing of the key just handled */
/* Timing: a screen of the loop is drawn for the first time, from the key
 * that opened it ("open SCR WALL-MS CPU-MS"). */
void tui_screen_opened(unsigned scr);
void tui_painted(void);     /* the first screen is on the terminal (timing) */
/* What to save when the user interrupts (Ctrl-C) or the connection drops;
 * NULL for nothing. */
void tui_on_interrupt(void (*hook)(void));

/* ---- dialogs (dialog.c) */
/* A one-line editor at the bottom: returns true when confirmed (Enter),
 * false on Esc. buf holds the initial text and the result (UTF-8). */
bool tui_prompt(const char *label, char *buf, size_t size);
/* A yes/no question; returns true for yes. */
bool tui_confirm(const char *question);
/* A message box; waits for a key. */
void tui_message(const char *title, const char *text);
void tui_help(unsigned screen);

/* A pick list: single or multiple choice, with type-to-filter. */
struct pick_item {
	const char *label;   /* shown */
	const char *search;  /* also matched by the filter (may be NULL) */
	bool selected;
	bool header;         /* a section title, not selectable */
	int value;
};
/* Returns the index chosen (single) or 1 (multi, confirmed), -1 on Esc.
 * The keys of every list come first (j/k, ?, Space); the search is a
 * visible line entered with / or by typing a Chinese character (issue 17). */
int tui_pick(const char *title, struct pick_item *items, int n, bool multi, int current);

/* ---- screens */
int tui_queue(void);                       /* the main loop */
/* The case view; returns true when the user quits the workstation (q). */
bool tui_case_view(int64_t id);
/* ---- the one event loop (screen.c)
 * A screen is a struct of functions over tui_screen_run: the loop draws,
 * reads a key, and its dispatcher turns the key into an action of the
 * table for the screen's SCR_* bit, refuses it there when its
 * preconditions fail (tui_action_possible, the footer's own test), gives
 * it to the screen's key function, and handles what that leaves
 * (SK_IGNORED): help, redraw, back, quit, or says the key does nothing. */
enum {
	SK_DONE,    /* handled: drawn again */
	SK_IGNORED, /* not the screen's: the common keys, else "does nothing" */
	SK_CLOSE,   /* close this screen (back to the one under it) */
	SK_QUIT,    /* quit the workstation */
};
struct tui_screen {
	unsigned scr;                /* SCR_*: the action table's rows */
	void (*draw)(void *self);    /* the whole screen, refresh() included */
	int (*key)(void *self, enum action a, int key); /* SK_* */
	/* The terminal's size changed; another connection committed: SK_DONE,
	 * or SK_CLOSE when the screen cannot go on (each may be NULL). */
	int (*resize)(void *self);
	int (*follow)(void *self);
	/* Work done only while no key waits (may be NULL): the queue's count. */
	bool (*idle_pending)(void *self);
	void (*idle)(void *self);
};
/* Runs s until it closes: SK_CLOSE, or SK_QUIT when the user quits. */
int tui_screen_run(const struct tui_screen *s, void *self);
/* Says on the status line why an action's preconditions fail. */
void tui_action_refuse(enum action a);

/* The list a screen scrolls: n lines, the first shown (top), and with a
 * cursor the selected one (cur); kept in range for h lines shown. */
struct tui_list {
	long n, cur, top;
	bool cursor;
};
/* Moves for the moving actions (up, down, pages, ends); false for others. */
bool tui_list_move(struct tui_list *l, enum action a, int h);
void tui_list_clamp(struct tui_list *l, int h);

/* The statistics screen (statsview.c), until q; true when the user quits
 * the workstation there. */
bool tui_stats_view(void);
/* Case sheets as PDF (printview.c): the queue's marks (Space), p in the
 * queue (the marked cases, else the selected one: 0 for none), p in the
 * case view. */
void tui_marks_toggle(int64_t id);
bool tui_marks_has(int64_t id);
long tui_marks_count(void);
void tui_marks_clear(void);
void tui_print_queue(int64_t selected);
void tui_print_case(int64_t id);
/* Intake: a new case (id 0) or an edit; returns the saved case number or 0. */
int64_t tui_intake(int64_t id);
/* Export with a progress bar, to a path asked for. */
void tui_export(const struct gt_queue_filter *f);
/* The same for any export filter (the 到期 list's). */
void tui_export_filter(const struct gt_export_filter *xf);
/* The 到期 list (dueview.c): the call-back list as a screen; true when the
 * user quits the workstation from a case opened there. */
bool tui_due_view(void);

/* The workstation's entry point: db NULL for the default database. */
int tui_run(const char *db, bool demo);

#endif
