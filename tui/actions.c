/* The one table of actions: which keys do what on which screen. The footer,
 * the help screen (?) and the key list of guantong(1) are made from it. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <string.h>

#include "gt_i18n.h"
#include "tui.h"

#define CTRL(c) ((c) & 0x1f)

const struct action_def tui_actions[] = {
	/* Moving */
	{ ACT_UP, SCR_QUEUE | SCR_CASE | SCR_PICK | SCR_HELP | SCR_STATS | SCR_DUE | SCR_EVIDENCE, { KEY_UP, 'k', 0 }, "k/↑", NULL,
	  N_("move up one line"), 0 },
	{ ACT_DOWN, SCR_QUEUE | SCR_CASE | SCR_PICK | SCR_HELP | SCR_STATS | SCR_DUE | SCR_EVIDENCE, { KEY_DOWN, 'j', 0 }, "j/↓", NULL,
	  N_("move down one line"), 0 },
	{ ACT_PGUP, SCR_QUEUE | SCR_CASE | SCR_PICK | SCR_HELP | SCR_STATS | SCR_DUE, { KEY_PPAGE, CTRL('b'), 0 }, "PgUp", NULL,
	  N_("previous page"), 0 },
	{ ACT_PGDN, SCR_QUEUE | SCR_CASE | SCR_PICK | SCR_HELP | SCR_STATS | SCR_DUE, { KEY_NPAGE, CTRL('f'), 0 }, "PgDn", NULL,
	  N_("next page"), 0 },
	{ ACT_HOME, SCR_QUEUE | SCR_CASE | SCR_PICK | SCR_HELP | SCR_STATS | SCR_DUE | SCR_EVIDENCE, { KEY_HOME, 'g', 0 }, "g/Home", NULL,
	  N_("go to the first line"), 0 },
	{ ACT_END, SCR_QUEUE | SCR_CASE | SCR_PICK | SCR_HELP | SCR_STATS | SCR_DUE | SCR_EVIDENCE, { KEY_END, 'G', 0 }, "G/End", NULL,
	  N_("go to the last line"), 0 },
	/* The queue */
	{ ACT_OPEN, SCR_QUEUE | SCR_DUE, { '\n', '\r', KEY_ENTER }, "Enter", N_("open"),
	  N_("open the selected case: its full evaluation, evidence and history"), 0 },
	{ ACT_JUMP, SCR_QUEUE, { ':', 0, 0 }, ":", NULL,
	  N_("go to a case by its number (or case reference, or identity number)"), 0 },
	{ ACT_SEARCH, SCR_QUEUE, { '/', 0, 0 }, "/", N_("search"),
	  N_("search: any part of the name, its pinyin or initials (mxm, maxuemei, 雪梅); the start of the identity "
	     "number, case number or case reference"), 0 },
	{ ACT_NEXT, SCR_QUEUE, { 'n', 0, 0 }, "n", NULL, N_("next match of the search"), 0 },
	{ ACT_PREV, SCR_QUEUE, { 'N', 0, 0 }, "N", NULL, N_("previous match of the search"), 0 },
	{ ACT_FILTER, SCR_QUEUE, { 'f', 0, 0 }, "f", N_("filter"),
	  N_("filter by status, region, outcome and direction"), 0 },
	{ ACT_MINE, SCR_QUEUE, { 'm', 0, 0 }, "m", N_("mine"),
	  N_("show only my cases (assigned to me or last changed by me), or all"), 0 },
	{ ACT_SORT, SCR_QUEUE, { 's', 0, 0 }, "s", N_("sort"),
	  N_("sort by the next column (number, name in pinyin order, region, direction, level by rank, outcome, "
	     "status, assignee, last change)"), 0 },
	{ ACT_REVERSE, SCR_QUEUE, { 'S', 0, 0 }, "S", NULL, N_("reverse the sort order"), 0 },
	{ ACT_SORT_NUMBER, SCR_QUEUE, { '#', 0, 0 }, "#", NULL, N_("back to number order"), 0 },
	{ ACT_NEW, SCR_QUEUE, { 'i', 0, 0 }, "i", N_("new case"), N_("take in a new case"), NEED_USER },
	{ ACT_EDIT, SCR_QUEUE | SCR_CASE, { 'e', 0, 0 }, "e", N_("edit"), N_("edit the case's data"), NEED_USER },
	{ ACT_EXPORT, SCR_QUEUE | SCR_DUE, { 'x', 0, 0 }, "x", N_("export"),
	  N_("export the cases of the current filter to CSV or XLSX"), 0 },
	{ ACT_STATS, SCR_QUEUE, { 't', 0, 0 }, "t", N_("statistics"),
	  N_("the statistics of all stored cases: counts by region, direction, level, outcome, route and status, "
	     "decisions by month and reviewer, green channels' awards, time to decision"), 0 },
	{ ACT_TOGGLE, SCR_QUEUE, { ' ', 0, 0 }, "Space", NULL,
	  N_("mark or unmark the case and go to the next (p prints the marked cases' sheets)"), 0 },
	{ ACT_PRINT, SCR_QUEUE, { 'p', 0, 0 }, "p", N_("print"),
	  N_("print the case sheets (审核表) of the marked cases, else of the selected one, to a PDF file"), 0 },
	{ ACT_DUE, SCR_QUEUE, { 'd', 0, 0 }, "d", N_("due"),
	  N_("the call-back list: the cases not yet eligible only for years, falling due within N days (or due "
	     "already), by date"), 0 },
	{ ACT_DUE, SCR_DUE, { 'd', 0, 0 }, "d", N_("days"), N_("change the number of days ahead"), 0 },
	/* The case */
	{ ACT_EVIDENCE, SCR_CASE, { 'v', 0, 0 }, "v", N_("evidence"),
	  N_("the evidence checklist: mark documents received and verified"), NEED_USER },
	{ ACT_CLAUSES, SCR_CASE, { 'c', 0, 0 }, "c", N_("clauses"),
	  N_("show or hide the text of each route's clause from the document (the view goes to the routes)"), 0 },
	/* Tab folds and unfolds, as an outline does (Emacs org-mode); the
	 * routes' heading says it. p prints, as in the queue (issue 18). */
	{ ACT_ROUTES, SCR_CASE, { '\t', 0, 0 }, "Tab", NULL,
	  N_("show every other route in full, or one line each"), 0 },
	{ ACT_APPROVE, SCR_CASE, { 'a', 0, 0 }, "a", N_("approve"), N_("approve the case (reviewers)"), NEED_CASE },
	{ ACT_REJECT, SCR_CASE, { 'r', 0, 0 }, "r", N_("reject"), N_("reject the case, with a note (reviewers)"), NEED_CASE },
	{ ACT_RETURN, SCR_CASE, { 'b', 0, 0 }, "b", N_("return"),
	  N_("return the case for evidence, with a note"), NEED_CASE },
	{ ACT_TAKE, SCR_CASE, { 'w', 0, 0 }, "w", N_("take"), N_("take the case into review (reviewers)"), NEED_CASE },
	{ ACT_SUBMIT, SCR_CASE, { 'u', 0, 0 }, "u", N_("resubmit"), N_("submit a returned case again"), NEED_CASE },
	{ ACT_REOPEN, SCR_CASE, { 'o', 0, 0 }, "o", N_("reopen"),
	  N_("reopen a decided or voided case, with a note (admins)"), NEED_CASE },
	{ ACT_PRINT, SCR_CASE, { 'p', 0, 0 }, "p", N_("print"), N_("print the case's sheet (审核表) to a PDF file"), 0 },
	/* A capital: voiding is rare and sets the case aside (nothing is deleted). */
	{ ACT_VOID, SCR_CASE, { 'X', 0, 0 }, "X", N_("void"),
	  N_("void a duplicate or mistaken case, with a note (admins): it leaves the queue, exports and "
	     "lists, and is kept; o undoes it"), NEED_CASE },
	/* Intake */
	{ ACT_NEXT_FIELD, SCR_INTAKE, { '\t', KEY_DOWN, 0 }, "Tab/↓", NULL, N_("next field"), 0 },
	{ ACT_PREV_FIELD, SCR_INTAKE, { KEY_BTAB, KEY_UP, 0 }, "S-Tab/↑", NULL, N_("previous field"), 0 },
	{ ACT_NEXT_PAGE, SCR_INTAKE, { KEY_NPAGE, 0, 0 }, "PgDn", N_("next screen"), N_("next intake screen"), 0 },
	{ ACT_PREV_PAGE, SCR_INTAKE, { KEY_PPAGE, 0, 0 }, "PgUp", N_("previous"), N_("previous intake screen"), 0 },
	{ ACT_PICK, SCR_INTAKE, { '\n', '\r', KEY_ENTER }, "Enter", N_("choose"),
	  N_("choose from the list (codes, honours, evidence), or go to the next field"), 0 },
	{ ACT_SAVE, SCR_INTAKE, { KEY_F(2), CTRL('s'), 0 }, "F2", N_("save"), N_("save the case"), 0 },
	/* Pick lists */
	{ ACT_SEARCH, SCR_LIST, { '/', 0, 0 }, "/", N_("search"),
	  N_("search the list (typing a Chinese character starts it too); Enter keeps the list narrowed, Esc clears it"), 0 },
	{ ACT_TOGGLE, SCR_PICK, { ' ', 0, 0 }, "Space", N_("mark"), N_("mark or unmark the item"), 0 },

	{ ACT_PICK, SCR_PICK, { '\n', '\r', KEY_ENTER }, "Enter", N_("done"), N_("take the choice"), 0 },
	{ ACT_CLEAR, SCR_PICK, { CTRL('u'), 0, 0 }, "^U", NULL, N_("clear the typed filter"), 0 },
	/* The evidence checklist: marks are staged and saved together. */
	{ ACT_TOGGLE, SCR_EVIDENCE, { ' ', 0, 0 }, "Space", N_("mark"),
	  N_("mark the document missing, received (to verify) or verified, in turn"), 0 },
	{ ACT_VERIFY, SCR_EVIDENCE, { 'v', 0, 0 }, "v", NULL, N_("mark the document verified or not"), 0 },
	{ ACT_UNDO, SCR_EVIDENCE, { 'u', 0, 0 }, "u", N_("undo"), N_("undo the last mark not yet saved"), 0 },
	{ ACT_SAVE, SCR_EVIDENCE, { '\n', '\r', KEY_ENTER }, "Enter", N_("save"),
	  N_("save the marks: one new version of the case, one line in its history"), 0 },
	{ ACT_BACK, SCR_EVIDENCE, { 27, 'q', 0 }, "Esc", N_("back"),
	  N_("back to the case (asks first when marks are not saved)"), 0 },
	/* Everywhere */
	{ ACT_HELP, SCR_QUEUE | SCR_CASE | SCR_STATS | SCR_DUE | SCR_EVIDENCE, { '?', KEY_F(1), 0 }, "?", N_("help"),
	  N_("this help: the keys of the screen"), 0 },
	/* Where text is typed, F1 is said too (issue 17). */
	{ ACT_HELP, SCR_INTAKE | SCR_LIST, { '?', KEY_F(1), 0 }, "?/F1", N_("help"),
	  N_("this help: the keys of the screen"), 0 },
	{ ACT_REDRAW, SCR_ALL, { CTRL('l'), 0, 0 }, "^L", NULL, N_("redraw the screen"), 0 },
	/* q closes a view and quits only at the top (neomutt, tig, aerc). */
	{ ACT_BACK, SCR_CASE | SCR_HELP | SCR_STATS | SCR_DUE, { 'q', 27, 0 }, "q", N_("back"),
	  N_("close this view: back to the previous screen (Esc too)"), 0 },
	{ ACT_BACK, SCR_INTAKE | SCR_PICK, { 27, 0, 0 }, "Esc", N_("back"),
	  N_("back to the previous screen"), 0 },
	{ ACT_QUIT, SCR_QUEUE, { 'q', 0, 0 }, "q", N_("quit"),
	  N_("quit (asks only when something is unsaved)"), 0 },
};

const int tui_nactions = (int)(sizeof tui_actions / sizeof tui_actions[0]);

/* The case action (gt_action) a key action stands for, or -1. */
int tui_action_case_act(enum action a)
{
	switch (a) {
	case ACT_APPROVE: return GT_ACT_APPROVE;
	case ACT_REJECT: return GT_ACT_REJECT;
	case ACT_RETURN: return GT_ACT_RETURN;
	case ACT_TAKE: return GT_ACT_TAKE;
	case ACT_SUBMIT: return GT_ACT_SUBMIT;
	case ACT_REOPEN: return GT_ACT_REOPEN;
	case ACT_VOID: return GT_ACT_VOID;
	default: return -1;
	}
}

/* An action's preconditions, from its row of the table (every row of one
 * action says the same). */
static unsigned action_need(enum action a)
{
	for (int i = 0; i < tui_nactions; i++)
		if (tui_actions[i].id == a)
			return tui_actions[i].need;
	return 0;
}

/* The preconditions, checked in one place from the table: a case action
 * (NEED_CASE) needs the case's status to allow it and the user's role;
 * changing data (NEED_USER) needs a user. The footer shows only what
 * passes; the dispatcher (screen.c) refuses the rest and says why. */
bool tui_action_possible(enum action a)
{
	unsigned need = action_need(a);
	int role = gt_store_role(T.st);
	int act = tui_action_case_act(a);
	if ((need & NEED_CASE) && act >= 0 &&
	    !(T.case_status >= 0 && gt_transition(T.case_status, act, NULL) >= 0 && gt_role_allows(role, act)))
		return false;
	if ((need & NEED_USER) && role < GT_USER_CLERK)
		return false;
	return true;
}

/* Why tui_action_possible is false, on the status line: the case's status,
 * else the role (in the store's own words), else no user at all. */
void tui_action_refuse(enum action a)
{
	int act = tui_action_case_act(a);
	if (act >= 0 && T.case_status >= 0 && gt_transition(T.case_status, act, NULL) < 0) {
		tui_set_status(true, _("Case %lld is %s: \"%s\" is not possible now."), (long long)T.case_id,
			       gt_status_name(T.case_status), gt_action_name(act));
	} else if (act >= 0 && T.case_status >= 0) {
		/* The store refuses too; its message names the role needed. */
		gt_store_act(T.st, T.case_id, 0, act, "-");
		tui_set_status(true, "%s", gt_store_errmsg(T.st));
	} else {
		tui_set_status(true, _("%s is not a user of this database: an administrator can add you."),
			       gt_store_actor(T.st));
	}
}

enum action tui_action_for(int key, unsigned screen)
{
	for (int i = 0; i < tui_nactions; i++) {
		const struct action_def *a = &tui_actions[i];
		if (!(a->screens & screen))
			continue;
		for (int k = 0; k < 3; k++)
			if (a->keys[k] && a->keys[k] == key)
				return a->id;
	}
	return ACT_NONE;
}

/* Man page rows: ".TP\n.B key\ntext" per screen, in English (the man page's
 * language); written by `guantong keys`, kept in man/src/guantong.1. */
void tui_print_keys_man(FILE *out)
{
	static const struct {
		unsigned bit;
		const char *title;
	} screens[] = {
		{ SCR_QUEUE, "Queue" }, { SCR_CASE, "Case view" }, { SCR_INTAKE, "Intake" },
		{ SCR_PICK, "Pick lists" }, { SCR_EVIDENCE, "The evidence checklist (v in the case view)" },
		{ SCR_LIST, "Intake pick lists (besides those of all pick lists)" }, { SCR_HELP, "Help screen" },
		{ SCR_STATS, "Statistics screen (t in the queue)" }, { SCR_DUE, "The call-back list (d in the queue)" },
	};
	for (size_t s = 0; s < sizeof screens / sizeof screens[0]; s++) {
		fprintf(out, ".SS %s\n", screens[s].title);
		for (int i = 0; i < tui_nactions; i++) {
			const struct action_def *a = &tui_actions[i];
			if (!(a->screens & screens[s].bit))
				continue;
			fprintf(out, ".TP 12\n.B %s\n%s\n", a->keyname, a->help);
		}
	}
}
