/* guantong screen: the case CSV in, the screening CSV out (spec: Output). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "gt_csv.h"
#include "gt_eval.h"
#include "gt_format.h"
#include "gt_i18n.h"
#include "gt_vis.h"

void usage_screen(FILE *out)
{
	fprintf(out, _("Usage: %s screen [--as-of YYYY-MM-DD] [--encoding gb18030] [--explain] FILE.csv\n"
		       "\n"
		       "Reads the case CSV (FILE, or - for standard input) and writes one\n"
		       "screening row per case to standard output, in the same order:\n"
		       "case_ref,outcome,target,route,basis,unmet,missing_evidence,theory_exempt,\n"
		       "citation,message (UTF-8, CRLF). A bad row becomes an 'invalid' row whose\n"
		       "message names the line, the column and the reason. On a terminal, control,\n"
		       "bidi and invisible characters in the cells are shown as \\x1b or <U+202E>;\n"
		       "into a pipe or a file the bytes are unchanged.\n"
		       "\n"
		       "  --as-of DATE   the application date of rows that give none (default: today)\n"
		       "  --encoding gb18030\n"
		       "                 the file is GB18030 (as a spreadsheet on Chinese Windows saves\n"
		       "                 it), not UTF-8\n"
		       "  --explain      write every pathway with its conditions instead of CSV\n"
		       "\n"
		       "Exit status: 0 every row was read, 1 the file cannot be read, 2 bad usage.\n"),
		gt_progname);
}

static const char *const out_columns[] = {
	"case_ref", "outcome", "target", "route", "basis", "unmet", "missing_evidence",
	"theory_exempt", "citation", "message",
};

/* When standard output is a terminal, every cell is made visible (gt_vis):
 * a file's cells never act on the terminal. Into a pipe or a file the bytes
 * are those of the contract (spec: Output), unchanged. */
static bool to_tty;

static void put(struct gt_out *o, const char *s, int first)
{
	size_t n = strlen(s);
	char *v = to_tty && !gt_vis_is_plain(s, n, 0) ? gt_vis_dup(s, n, 0) : NULL;
	if (v)
		gt_out_field(o, v, strlen(v), first);
	else
		gt_out_field(o, s, n, first);
	free(v);
}

/* The caller's case_ref for an invalid row, when it can be echoed safely. */
static void raw_case_ref(const struct gt_header *h, const struct gt_csv_record *rec, char *buf)
{
	buf[0] = '\0';
	int pos = h->pos[GT_COL_CASE_REF];
	if (rec->error != GT_CSV_OK || pos < 0 || pos >= rec->nfields)
		return;
	const struct gt_span *f = &rec->fields[pos];
	if (f->n <= GT_TEXT_MAX_BYTES && !memchr(f->p, '\n', f->n) && !memchr(f->p, '\r', f->n)) {
		memcpy(buf, f->p, f->n);
		buf[f->n] = '\0';
	}
}

static void write_invalid(struct gt_out *o, const char *case_ref, const char *msg)
{
	put(o, case_ref, 1);
	put(o, "invalid", 0);
	/* An invalid row reports no route: theory_exempt is "no" (spec). */
	for (int i = 2; i < 9; i++)
		put(o, i == 7 ? "no" : "", 0);
	put(o, msg, 0);
	gt_out_end(o);
}

/* The columns of codes (outcome, target, route, basis, unmet,
 * missing_evidence, theory_exempt) are ASCII letters, digits, '_', ':' and
 * ';': nothing to quote, nothing a terminal acts on. */
static bool column_of_codes(int i)
{
	return i != GT_SUM_CITATION && i != GT_SUM_MESSAGE;
}

static void write_eval(struct gt_out *o, const struct gt_eval *ev, struct gt_summary *sum)
{
	gt_summary_make(ev, sum);
	if (!to_tty) {
		/* The row at once: only case_ref, citation and message may need
		 * quotes (gt_out_row looks at them and quotes them). Field by
		 * field below only on a terminal or for a row larger than the
		 * writer's buffer. */
		const char *s[1 + GT_SUM_COUNT];
		size_t n[1 + GT_SUM_COUNT];
		s[0] = ev->c->case_ref;
		n[0] = strlen(s[0]);
		for (int i = 0; i < GT_SUM_COUNT; i++) {
			s[1 + i] = sum->col[i];
			n[1 + i] = sum->len[i];
		}
		if (gt_out_row(o, s, n, 1 + GT_SUM_COUNT,
			       1u | 1u << (1 + GT_SUM_CITATION) | 1u << (1 + GT_SUM_MESSAGE)))
			return;
	}
	put(o, ev->c->case_ref, 1);
	for (int i = 0; i < GT_SUM_COUNT; i++) {
		if (column_of_codes(i))
			gt_out_plain(o, sum->col[i], sum->len[i], 0);
		else if (to_tty)
			put(o, sum->col[i], 0);
		else
			gt_out_field(o, sum->col[i], sum->len[i], 0);
	}
	gt_out_end(o);
}

/* An invalid row under --explain: its case_ref and a space (ref NULL: a
 * record the reader refused, none) and the message, made visible, on one
 * line among the explanations. */
static void explain_line(struct gt_explain_out *xo, const char *ref, const char *msg)
{
	if (ref) {
		const char *v = cli_vis(ref);
		gt_explain_out_text(xo, v, strlen(v));
		gt_explain_out_text(xo, " ", 1);
	}
	const char *v = cli_vis(msg);
	gt_explain_out_text(xo, v, strlen(v));
	gt_explain_out_text(xo, "\n", 1);
}

/* Said once, on the first record that is not UTF-8 (spec: Input). */
void gt_hint_encoding(const char *name, int error, bool *said)
{
	if (error != GT_CSV_BAD_UTF8 || *said)
		return;
	*said = true;
	fprintf(stderr, _("%s: %s: rows are not valid UTF-8; the file may be GB18030 (as a spreadsheet on "
			  "Chinese Windows saves it): read it with --encoding gb18030\n"), gt_progname, name);
}

int cmd_screen(int argc, char **argv)
{
	const char *path = NULL, *encoding = NULL;
	bool hinted = false;
	gt_date as_of = GT_DATE_NONE;
	bool explain = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage_screen(stdout);
			return GT_EXIT_OK;
		} else if (strcmp(a, "--explain") == 0) {
			explain = true;
		} else if (strcmp(a, "--as-of") == 0 || strncmp(a, "--as-of=", 8) == 0) {
			const char *v = a[7] == '=' ? a + 8 : (i + 1 < argc ? argv[++i] : NULL);
			if (!v || gt_date_parse(v, strlen(v), &as_of) != 0) {
				return cli_usage_error("screen", _("--as-of needs a real date YYYY-MM-DD"));
			}
		} else if (strcmp(a, "--encoding") == 0 || strncmp(a, "--encoding=", 11) == 0) {
			encoding = a[10] == '=' ? a + 11 : (i + 1 < argc ? argv[++i] : NULL);
			if (!encoding || !gt_csv_encoding_known(encoding)) {
				return cli_usage_error("screen", _("--encoding takes gb18030 or utf-8"));
			}
		} else if (a[0] == '-' && a[1] != '\0') {
			char msg[512];
			snprintf(msg, sizeof msg, _("unknown option \"%s\""), cli_vis(a));
			return cli_usage_error("screen", msg);
		} else if (path) {
			return cli_usage_error("screen", _("only one FILE may be given"));
		} else {
			path = a;
		}
	}
	if (!path) {
		return cli_usage_error("screen", _("a FILE (or - for standard input) is required"));
	}
	if (as_of == GT_DATE_NONE)
		as_of = gt_date_today();
	to_tty = isatty(STDOUT_FILENO);

	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!in) {
		fprintf(stderr, "%s: %s: %s\n", gt_progname, path, strerror(errno));
		return GT_EXIT_UNREADABLE;
	}
	const char *name = in == stdin ? _("standard input") : path;
	int status = GT_EXIT_OK;
	gt_csv *r = gt_csv_new(in);
	struct gt_csv_record *rec = malloc(sizeof *rec);
	struct gt_eval *ev = malloc(sizeof *ev);
	struct gt_case *c = malloc(sizeof *c);
	struct gt_summary *sum = malloc(sizeof *sum);
	if (!r || !rec || !ev || !c || !sum) {
		fprintf(stderr, "%s: %s\n", gt_progname, strerror(ENOMEM));
		status = GT_EXIT_UNREADABLE;
		goto out;
	}
	if (gt_csv_set_encoding(r, encoding) < 0) {
		fprintf(stderr, "%s: %s: %s\n", gt_progname, encoding, strerror(errno));
		status = GT_EXIT_UNREADABLE;
		goto out;
	}

	struct gt_header h;
	char msg[1024];
	int rc = gt_csv_next(r, rec);
	if (rc < 0) {
		fprintf(stderr, "%s: %s: %s\n", gt_progname, name, strerror(errno));
		status = GT_EXIT_UNREADABLE;
		goto out;
	}
	if (rc == 0) {
		fprintf(stderr, _("%s: %s: the file is empty; expected a header row\n"), gt_progname, name);
		status = GT_EXIT_UNREADABLE;
		goto out;
	}
	if (rec->error != GT_CSV_OK) {
		fprintf(stderr, _("%s: %s: line %ld, column %d: %s\n"), gt_progname, name,
			rec->err_line, rec->err_field + 1, _(gt_csv_strerror(rec->error)));
		gt_hint_encoding(name, rec->error, &hinted);
		status = GT_EXIT_UNREADABLE;
		goto out;
	}
	if (gt_header_parse(&h, rec->fields, rec->nfields, NULL, 0, msg, sizeof msg) < 0) {
		fprintf(stderr, "%s: %s: %s\n", gt_progname, cli_vis(name), cli_vis(msg));
		status = GT_EXIT_UNREADABLE;
		goto out;
	}

	struct gt_out *o = malloc(sizeof *o);
	if (!o) {
		status = GT_EXIT_UNREADABLE;
		goto out;
	}
	gt_out_init(o, stdout);
	/* --explain: every line goes through one writer, in large pieces */
	struct gt_explain_out *xo = explain ? gt_explain_out_new(stdout, true) : NULL;
	if (explain && !xo) {
		fprintf(stderr, "%s: %s\n", gt_progname, strerror(ENOMEM));
		free(o);
		status = GT_EXIT_UNREADABLE;
		goto out;
	}
	if (!explain) {
		for (size_t i = 0; i < sizeof out_columns / sizeof out_columns[0]; i++)
			put(o, out_columns[i], i == 0);
		gt_out_end(o);
	}

	long rows = 0;
	char ref[GT_TEXT_MAX_BYTES + 1];
	while ((rc = gt_csv_next(r, rec)) == 1) {
		rows++;
		if (rec->error != GT_CSV_OK) {
			gt_hint_encoding(name, rec->error, &hinted);
			gt_csv_error_format(&h, rec, msg, sizeof msg);
			if (explain)
				explain_line(xo, NULL, msg);
			else
				write_invalid(o, "", msg);
			continue;
		}
		struct gt_row_error err;
		if (gt_case_parse_record(c, &h, rec, as_of, &err) < 0) {
			gt_row_error_format(&err, rec->line, msg, sizeof msg);
			raw_case_ref(&h, rec, ref);
			if (explain)
				explain_line(xo, ref, msg);
			else
				write_invalid(o, ref, msg);
			continue;
		}
		if (explain) {
			gt_evaluate(c, ev);
			gt_explain_out_case(xo, ev); /* made visible, as cli_explain */
			gt_explain_out_text(xo, "\n", 1);
		} else {
			/* the summary reads the chosen path's conditions alone */
			gt_evaluate_summary(c, ev);
			write_eval(o, ev, sum);
		}
	}
	if (rc < 0) {
		fprintf(stderr, "%s: %s: %s\n", gt_progname, name, strerror(errno));
		status = GT_EXIT_UNREADABLE;
	} else if (rows == 0) {
		fprintf(stderr, _("%s: %s: the file has a header but no rows\n"), gt_progname, name);
	}
	gt_explain_out_free(xo);
	if (gt_out_flush(o) != 0 || fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, _("%s: writing the output: %s\n"), gt_progname, strerror(o->err ? o->err : errno));
		status = GT_EXIT_UNREADABLE;
	}
	free(o);
out:
	free(sum);
	free(c);
	free(ev);
	free(rec);
	gt_csv_free(&r);
	if (in && in != stdin)
		fclose(in);
	return status;
}
