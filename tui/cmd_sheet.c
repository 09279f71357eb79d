/* The committee's batch commands (issue 18): sheet and agenda (PDF, by
 * report/gt_sheet.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "gt_file.h"
#include "gt_i18n.h"
#include "gt_sheet.h"
#include "gt_store.h"

/* ---- sheet */

void usage_sheet(FILE *out)
{
	fprintf(out, _("Usage: %s sheet [--db PATH] CASE... [--out FILE.pdf] [--force]\n"
		       "\n"
		       "Writes the case sheet (审核表) of each CASE as PDF, one A4 page per case\n"
		       "where it fits: the applicant, the application, the conclusion with the\n"
		       "clause's words and citation, the awards relied on, the evidence, the\n"
		       "conditions of the chosen route required and actual, the date a year\n"
		       "condition falls due, and the decision or blank lines for the committee's\n"
		       "vote. A decided case shows what the reviewer decided on. CASE is a case\n"
		       "number, a case_ref or an identity number.\n"
		       "\n"
		       "  --out FILE     where to write (default: sheet-CASE.pdf, or sheets.pdf for\n"
		       "                 several). It is written 0600 and appears complete or not at\n"
		       "                 all; a link, a directory, a special file or the database is\n"
		       "                 refused, and so is an existing file unless --force is given.\n"
		       "                 The file is recorded in the audit log.\n"
		       "  --force        replace an existing FILE\n"
		       "\n"
		       "Exit status: 0 written, 1 not written, 2 bad usage.\n"),
		gt_progname);
}

/* A PDF's name: it must end in .pdf. */
static bool pdf_name(const char *path)
{
	size_t n = strlen(path);
	return n > 4 && strcasecmp(path + n - 4, ".pdf") == 0;
}

static int report_done(gt_store *st, const char *cmd, int rc, const char *err, const char *out,
		       const struct gt_sheet_result *res)
{
	(void)st;
	if (rc == GT_ERR_EXISTS) {
		fprintf(stderr, _("%s %s: %s (give --force to replace it)\n"), gt_progname, cmd, cli_vis(err));
		return GT_EXIT_UNREADABLE;
	}
	if (rc != GT_OK) {
		fprintf(stderr, "%s %s: %s\n", gt_progname, cmd, cli_vis(err));
		return GT_EXIT_UNREADABLE;
	}
	char shown[4096];
	if (gt_file_expand(out, shown, sizeof shown) != 0)
		snprintf(shown, sizeof shown, "%s", out);
	fprintf(stderr, ngettext("%s: %ld case sheet, ", "%s: %ld case sheets, ", (unsigned long)res->cases),
		cli_vis(shown), res->cases);
	fprintf(stderr, ngettext("%ld page\n", "%ld pages\n", (unsigned long)res->pages), res->pages);
	if (res->over)
		fprintf(stderr, ngettext("%ld case sheet took more than one page\n",
					 "%ld case sheets took more than one page\n", (unsigned long)res->over),
			res->over);
	return GT_EXIT_OK;
}

int cmd_sheet(int argc, char **argv)
{
	const char *db = NULL, *out = NULL;
	bool replace = false;
	const char **keys = calloc((size_t)argc, sizeof *keys);
	int64_t *ids = calloc((size_t)argc, sizeof *ids);
	long n = 0;
	int status = GT_EXIT_OK;
	gt_store *st = NULL;
	if (!keys || !ids) {
		status = GT_EXIT_UNREADABLE;
		goto out;
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		bool missing = false;
		int r = db_option(argc, argv, &i, &db);
		if (r < 0) {
			status = bad_usage("sheet", _("%s needs a value"), a);
			goto out;
		}
		if (r > 0)
			continue;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage_sheet(stdout);
			goto out;
		} else if (strcmp(a, "--force") == 0) {
			replace = true;
		} else if ((v = opt_value(argc, argv, &i, "--out", &missing)) || missing) {
			if (missing) {
				status = bad_usage("sheet", _("%s needs a value"), a);
				goto out;
			}
			out = v;
		} else if (a[0] == '-') {
			status = bad_usage("sheet", _("unknown argument \"%s\""), a);
			goto out;
		} else {
			keys[n++] = a;
		}
	}
	if (!n) {
		status = bad_usage("sheet", _("a CASE is required%s"), "");
		goto out;
	}
	if (out && !pdf_name(out)) {
		status = bad_usage("sheet", _("%s: the file name must end in .pdf"), out);
		goto out;
	}
	if ((status = gt_open_store(&st, db, 0)))
		goto out;
	for (long i = 0; i < n; i++)
		if ((status = find_case(st, "sheet", keys[i], &ids[i])))
			goto out;
	/* The default name: by case number, in the current directory. */
	char deflt[64];
	if (!out) {
		if (n == 1)
			snprintf(deflt, sizeof deflt, "sheet-%lld.pdf", (long long)ids[0]);
		else
			snprintf(deflt, sizeof deflt, "sheets.pdf");
		out = deflt;
	}
	struct gt_sheet_result res;
	char err[1024];
	int rc = gt_sheet_write(st, out, ids, n, replace, &res, err, sizeof err);
	status = report_done(st, "sheet", rc, err, out, &res);
out:
	if (st)
		gt_store_close(st);
	free(keys);
	free(ids);
	return status;
}

/* ---- agenda */

void usage_agenda(FILE *out)
{
	fprintf(out, _("Usage: %s agenda [--db PATH] --out FILE.pdf [--force] [--status S[,S...]]\n"
		       "                [--region R[,R...]] [--outcome O[,O...]] [--direction D]\n"
		       "                [--since YYYY-MM-DD]\n"
		       "\n"
		       "Writes the meeting's agenda as PDF: the cases awaiting a decision (submitted\n"
		       "or in review) grouped by series and level, one line each with the\n"
		       "evaluation's outcome, a vote table per group, then their case sheets.\n"
		       "\n"
		       "  --out FILE     where to write (required; it ends in .pdf). Written 0600,\n"
		       "                 complete or not at all, recorded in the audit log; an\n"
		       "                 existing file is replaced only with --force\n"
		       "  --status, --region, --outcome, --direction  keep only these: codes or\n"
		       "                 Chinese names, separated by commas (, ，or 、)\n"
		       "  --since DATE   keep only cases changed on or after DATE (a local date)\n"
		       "\n"
		       "Exit status: 0 written, 1 not written, 2 bad usage.\n"),
		gt_progname);
}

int cmd_agenda(int argc, char **argv)
{
	const char *db = NULL, *out = NULL;
	bool replace = false;
	struct gt_export_filter f = { 0 };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		bool missing = false;
		int r = db_option(argc, argv, &i, &db);
		if (r < 0)
			return bad_usage("agenda", _("%s needs a value"), a);
		if (r > 0)
			continue;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage_agenda(stdout);
			return GT_EXIT_OK;
		} else if (strcmp(a, "--force") == 0) {
			replace = true;
		} else if ((v = opt_value(argc, argv, &i, "--out", &missing)) || missing) {
			if (missing)
				return bad_usage("agenda", _("%s needs a value"), a);
			out = v;
		} else if ((r = filter_option("agenda", argc, argv, &i, &f)) != 0) {
			if (r < 0)
				return GT_EXIT_USAGE;
		} else {
			return bad_usage("agenda", _("unknown argument \"%s\""), a);
		}
	}
	if (!out)
		return bad_usage("agenda", _("%s is required"), "--out FILE.pdf");
	if (!pdf_name(out))
		return bad_usage("agenda", _("%s: the file name must end in .pdf"), out);
	gt_store *st;
	int status = gt_open_store(&st, db, 0);
	if (status)
		return status;
	struct gt_sheet_result res;
	char err[1024];
	int rc = gt_agenda_write(st, out, &f, replace, &res, err, sizeof err);
	status = report_done(st, "agenda", rc, err, out, &res);
	gt_store_close(st);
	return status;
}
