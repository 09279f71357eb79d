/* Printing case sheets from the workstation (issue 18, item 1): p in the
 * queue prints the marked cases (Space marks), else the selected one; p in
 * the case view prints that case. The file's name is asked for (by default
 * in the home directory), written 0600 complete or not at all and never
 * over an existing file without a question that names it (gt_sheet_write,
 * through gt_file); the status line says where it went. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli.h"
#include "gt_file.h"
#include "gt_i18n.h"
#include "gt_sheet.h"
#include "tui.h"

/* The queue's marked cases, in the order they were marked. */
static struct {
	int64_t *ids;
	long n, cap;
} M;

static long marks_find(int64_t id)
{
	for (long i = 0; i < M.n; i++)
		if (M.ids[i] == id)
			return i;
	return -1;
}

bool tui_marks_has(int64_t id)
{
	return marks_find(id) >= 0;
}

long tui_marks_count(void)
{
	return M.n;
}

void tui_marks_toggle(int64_t id)
{
	long i = marks_find(id);
	if (i >= 0) {
		memmove(&M.ids[i], &M.ids[i + 1], (size_t)(M.n - i - 1) * sizeof *M.ids);
		M.n--;
	} else {
		if (M.n == M.cap) {
			long cap = M.cap ? M.cap * 2 : 32;
			int64_t *p = realloc(M.ids, (size_t)cap * sizeof *p);
			if (!p) {
				tui_set_status(true, "%s", _("out of memory"));
				return;
			}
			M.ids = p;
			M.cap = cap;
		}
		M.ids[M.n++] = id;
	}
	tui_set_status(false, ngettext("%ld case marked (p prints its case sheet).",
				       "%ld cases marked (p prints their case sheets).", (unsigned long)M.n),
		       M.n);
}

void tui_marks_clear(void)
{
	free(M.ids);
	M.ids = NULL;
	M.n = M.cap = 0;
}

/* Asks for the file and writes the sheets of ids[0..n). */
static void print_ids(const int64_t *ids, long n)
{
	char path[1024], shown[1024], err[1024];
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	char day[16];
	strftime(day, sizeof day, "%Y%m%d", &tm);
	if (n == 1)
		snprintf(path, sizeof path, "~/guantong-sheet-%lld-%s.pdf", (long long)ids[0], day);
	else
		snprintf(path, sizeof path, "~/guantong-sheets-%s.pdf", day);
	char question[160];
	snprintf(question, sizeof question,
		 ngettext("The case sheet of %ld case to (.pdf):", "The case sheets of %ld cases to (.pdf):",
			  (unsigned long)n),
		 n);
	if (!tui_prompt(question, path, sizeof path) || !path[0])
		return;
	size_t len = strlen(path);
	if (len < 4 || strcasecmp(path + len - 4, ".pdf") != 0) {
		tui_set_status(true, _("%s: the file name must end in .pdf; nothing was written."), cli_vis(path));
		return;
	}
	if (gt_file_expand(path, shown, sizeof shown) != 0)
		snprintf(shown, sizeof shown, "%s", path);
	tui_set_status(false, "%s", _("Writing the case sheets…"));
	tui_draw_footer(0);
	refresh();
	struct gt_sheet_result res = { 0 };
	int rc = gt_sheet_write(T.st, shown, ids, n, false, &res, err, sizeof err);
	if (rc == GT_ERR_EXISTS) {
		char q[1200];
		snprintf(q, sizeof q, _("%s exists. Replace it?"), cli_vis(shown));
		if (!tui_confirm(q)) {
			tui_set_status(false, _("Not printed: %s was left as it was."), cli_vis(shown));
			return;
		}
		rc = gt_sheet_write(T.st, shown, ids, n, true, &res, err, sizeof err);
	}
	if (rc != GT_OK) {
		tui_set_status(true, "%s", err[0] ? err : gt_store_errmsg(T.st));
		return;
	}
	tui_set_status(false, ngettext("%ld page written to %s.", "%ld pages written to %s.", (unsigned long)res.pages),
		       res.pages, cli_vis(shown));
}

void tui_print_queue(int64_t selected)
{
	if (M.n) {
		print_ids(M.ids, M.n);
		return;
	}
	if (!selected) {
		tui_set_status(true, "%s", _("No case to print."));
		return;
	}
	print_ids(&selected, 1);
}

void tui_print_case(int64_t id)
{
	print_ids(&id, 1);
}
