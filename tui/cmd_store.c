/* The batch commands on the case store: import, export, evaluate, decide,
 * user, backup. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "gt_csv.h"
#include "gt_file.h"
#include "gt_i18n.h"
#include "gt_rules.h"
#include "gt_store.h"
#include "gt_text.h"
#include "gt_codes.h"

/* --db PATH / --db=PATH; returns 1 when argv[*i] was it, -1 on a missing value. */
int db_option(int argc, char **argv, int *i, const char **db)
{
	const char *a = argv[*i];
	if (strcmp(a, "--db") == 0) {
		if (*i + 1 >= argc)
			return -1;
		*db = argv[++*i];
		return 1;
	}
	if (strncmp(a, "--db=", 5) == 0) {
		*db = a + 5;
		return 1;
	}
	return 0;
}

/* The value of --name VALUE or --name=VALUE at argv[*i], or NULL when absent. */
const char *opt_value(int argc, char **argv, int *i, const char *name, bool *missing)
{
	size_t n = strlen(name);
	const char *a = argv[*i];
	if (strncmp(a, name, n) != 0)
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

/* db, or the default database (in path); NULL, said, when there is none. */
static const char *db_or_default(const char *db, char *path, size_t size)
{
	if (db && *db)
		return db;
	if (gt_store_default_path(path, size) != 0) {
		fprintf(stderr, _("%s: cannot tell where the database is: set GUANTONG_DB or give --db PATH\n"),
			gt_progname);
		return NULL;
	}
	return path;
}

int gt_open_store(gt_store **st, const char *db, unsigned flags)
{
	char path[4096];
	if (!(db = db_or_default(db, path, sizeof path)))
		return GT_EXIT_UNREADABLE;
	char err[1024];
	if (gt_store_open(st, db, flags, err, sizeof err) != GT_OK) {
		fprintf(stderr, "%s: %s\n", gt_progname, cli_vis(err));
		return GT_EXIT_UNREADABLE;
	}
	return GT_EXIT_OK;
}

int store_fail(gt_store *st, const char *cmd)
{
	fprintf(stderr, "%s %s: %s\n", gt_progname, cmd, cli_vis(gt_store_errmsg(st)));
	return GT_EXIT_UNREADABLE;
}

/* A usage error: the one thing that is wrong, and where the rest is; not
 * the whole help. */
int cli_usage_error(const char *cmd, const char *msg)
{
	fprintf(stderr, "%s %s: %s\n", gt_progname, cmd, msg);
	fprintf(stderr, _("Try \"%s %s --help\" for the usage.\n"), gt_progname, cmd);
	return GT_EXIT_USAGE;
}

int bad_usage(const char *cmd, const char *fmt, const char *arg)
{
	char msg[1024];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(msg, sizeof msg, fmt, cli_vis(arg)); /* fmt: a literal at every call, with one %s */
#pragma GCC diagnostic pop
	return cli_usage_error(cmd, msg);
}

/* ---- import */

void usage_import(FILE *out)
{
	fprintf(out, _("Usage: %s import [--db PATH] [--as-of YYYY-MM-DD] [--encoding gb18030]\n"
		       "                [--skip-invalid [--reject FILE] [--force]] FILE.csv\n"
		       "\n"
		       "Stores every case of FILE (the case CSV, or an export; - for standard input)\n"
		       "and its evaluation, in one transaction. A case of the same identity number,\n"
		       "region and direction as a stored one updates it (a new version, audited).\n"
		       "\n"
		       "Every row is checked first: if any is invalid, nothing is imported and each\n"
		       "problem is listed as \"line N, column C: reason\".\n"
		       "\n"
		       "  --skip-invalid   import the valid rows; write the invalid ones, with a\n"
		       "                   reject_reason column, to the reject file\n"
		       "  --reject FILE    the reject file (default: FILE.rejects.csv), written 0600\n"
		       "                   only when some row is invalid; an existing file is not\n"
		       "                   replaced, and a link or special file (even /dev/null)\n"
		       "                   is refused. If it cannot be written, nothing is imported.\n"
		       "  --force          replace an existing reject file\n"
		       "  --as-of DATE     the application date of rows that give none (default: today)\n"
		       "  --encoding gb18030\n"
		       "                   the file is GB18030 (as a spreadsheet on Chinese Windows\n"
		       "                   saves it), not UTF-8\n"
		       "\n"
		       "Exit status: 0 imported, 1 nothing imported (invalid rows, unreadable file,\n"
		       "database error), 2 bad usage.\n"),
		gt_progname);
}

static void print_error(const char *msg, void *arg)
{
	(void)arg;
	/* The message quotes the file's cells: made visible. */
	fprintf(stderr, "%s\n", cli_vis(msg));
}

static void import_progress(long rows, void *arg)
{
	(void)arg;
	if (isatty(STDERR_FILENO))
		fprintf(stderr, gt_ngettext("\r%ld row read", "\r%ld rows read", (unsigned long)rows), rows);
}

int cmd_import(int argc, char **argv)
{
	const char *db = NULL, *path = NULL, *reject_path = NULL;
	bool force = false;
	struct gt_import_opts o = { .as_of = GT_DATE_NONE, .on_error = print_error };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		bool missing = false;
		int r = db_option(argc, argv, &i, &db);
		if (r < 0)
			return bad_usage("import", _("%s needs a value"), a);
		if (r > 0)
			continue;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage_import(stdout);
			return GT_EXIT_OK;
		} else if (strcmp(a, "--skip-invalid") == 0) {
			o.skip_invalid = true;
		} else if (strcmp(a, "--force") == 0) {
			force = true;
		} else if ((v = opt_value(argc, argv, &i, "--reject", &missing)) || missing) {
			if (missing)
				return bad_usage("import", _("%s needs a value"), a);
			reject_path = v;
		} else if ((v = opt_value(argc, argv, &i, "--as-of", &missing)) || missing) {
			if (missing || gt_date_parse(v, strlen(v), &o.as_of) != 0)
				return bad_usage("import", _("%s needs a real date YYYY-MM-DD"), "--as-of");
		} else if ((v = opt_value(argc, argv, &i, "--encoding", &missing)) || missing) {
			if (missing || !gt_csv_encoding_known(v))
				return bad_usage("import", _("%s takes gb18030 or utf-8"), "--encoding");
			o.encoding = v;
		} else if (a[0] == '-' && a[1] != '\0') {
			return bad_usage("import", _("unknown option \"%s\""), a);
		} else if (path) {
			return bad_usage("import", _("only one FILE may be given%s"), "");
		} else {
			path = a;
		}
	}
	if (!path)
		return bad_usage("import", _("a FILE (or - for standard input) is required%s"), "");
	if (reject_path && !o.skip_invalid)
		return bad_usage("import", _("%s goes with --skip-invalid"), "--reject");
	if (force && !o.skip_invalid)
		return bad_usage("import", _("%s goes with --skip-invalid"), "--force");

	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!in) {
		fprintf(stderr, "%s import: %s: %s\n", gt_progname, path, strerror(errno));
		return GT_EXIT_UNREADABLE;
	}
	gt_store *st;
	int status = gt_open_store(&st, db, GT_OPEN_CREATE);
	if (status) {
		if (in != stdin)
			fclose(in);
		return status;
	}
	char rejbuf[4200];
	struct gt_file *rej = NULL;
	if (o.skip_invalid) {
		if (!reject_path) {
			snprintf(rejbuf, sizeof rejbuf, "%s.rejects.csv", in == stdin ? "import" : path);
			reject_path = rejbuf;
		}
		/* Made now, before anything is read: a reject file that may not
		 * be written stops the import before it starts. */
		char err[1024];
		int frc = gt_file_create(&rej, reject_path, force ? GT_FILE_REPLACE : 0, gt_store_path(st), err,
					 sizeof err);
		if (frc != GT_FILE_OK) {
			if (frc == GT_FILE_EXISTS)
				fprintf(stderr, _("%s import: %s (give --force to replace it, or --reject another "
						  "name); nothing was imported\n"), gt_progname, err);
			else
				fprintf(stderr, _("%s import: the reject file: %s; nothing was imported\n"), gt_progname,
					err);
			gt_store_close(st);
			if (in != stdin)
				fclose(in);
			return GT_EXIT_UNREADABLE;
		}
		reject_path = gt_file_target(rej);
		snprintf(rejbuf, sizeof rejbuf, "%s", reject_path);
		reject_path = rejbuf;
		/* --force must not make the input its own reject file. */
		struct stat is, rs;
		if (in != stdin && fstat(fileno(in), &is) == 0 && lstat(reject_path, &rs) == 0 &&
		    is.st_dev == rs.st_dev && is.st_ino == rs.st_ino) {
			fprintf(stderr, _("%s import: the reject file %s is the file being imported; nothing was "
					  "imported\n"), gt_progname, reject_path);
			gt_file_abort(&rej);
			gt_store_close(st);
			fclose(in);
			return GT_EXIT_UNREADABLE;
		}
		o.reject_file = &rej;
	}
	if (isatty(STDERR_FILENO))
		o.progress = import_progress;
	struct gt_import_result res;
	int rc = gt_store_import(st, in, in == stdin ? _("standard input") : path, &o, &res);
	if (o.progress)
		fputc('\n', stderr);
	bool hinted = false;
	if (res.not_utf8)
		gt_hint_encoding(in == stdin ? _("standard input") : path, GT_CSV_BAD_UTF8, &hinted);
	if (rc != GT_OK) {
		fprintf(stderr, "%s import: %s\n", gt_progname, gt_store_errmsg(st));
		status = GT_EXIT_UNREADABLE;
	} else {
		/* one sentence in three parts: a plural form for each count that has one */
		fprintf(stderr, gt_ngettext("%s: %ld row: ", "%s: %ld rows: ", (unsigned long)res.rows),
			in == stdin ? _("standard input") : path, res.rows);
		fprintf(stderr, gt_ngettext("%ld new case, ", "%ld new cases, ", (unsigned long)res.inserted),
			res.inserted);
		fprintf(stderr, _("%ld updated, %ld unchanged, %ld invalid\n"), res.updated, res.unchanged,
			res.invalid);
		if (o.skip_invalid && res.invalid)
			fprintf(stderr, _("the invalid rows are in %s\n"), reject_path);
	}
	gt_file_abort(&rej); /* the import committed or removed it already */
	gt_store_close(st);
	if (in != stdin)
		fclose(in);
	return status;
}

/* ---- export */

void usage_export(FILE *out)
{
	fprintf(out, _("Usage: %s export [--db PATH] [--format csv|xlsx] [--out FILE [--force]]\n"
		       "                [--machine [--bom]] [--status S[,S...]] [--region R[,R...]]\n"
		       "                [--outcome O[,O...]] [--direction D] [--since YYYY-MM-DD]\n"
		       "                [--due N]\n"
		       "\n"
		       "Writes the stored cases: the case CSV's input columns, the screening columns\n"
		       "(outcome to message) and case_id, status, decided_by, decided_at,\n"
		       "decision_note. CSV is RFC 4180 with CRLF line ends, UTF-8; cells that a\n"
		       "spreadsheet would read as a formula get a leading apostrophe, which import\n"
		       "removes again.\n"
		       "\n"
		       "By default the files are for people: the CSV begins with a byte-order mark\n"
		       "(Excel and WPS then read UTF-8) and writes identity numbers grouped 6-8-4\n"
		       "(\"500103 19690715 4321\"), which a spreadsheet keeps as text and import reads\n"
		       "back; the XLSX has Chinese headers and values, local times, columns sized\n"
		       "to their content and an A4 landscape print setup.\n"
		       "\n"
		       "  --format F     csv or xlsx (default: from FILE's extension, else csv)\n"
		       "  --out FILE     where to write (default: standard output; required for xlsx).\n"
		       "                 FILE ends in .csv or .xlsx; it is written 0600 and appears\n"
		       "                 complete or not at all. A link, a directory, a special\n"
		       "                 file or the database itself is refused, and so is an\n"
		       "                 existing file unless --force is given\n"
		       "  --force        replace an existing FILE\n"
		       "  --machine      the form for programs, exactly as guantong-csv(5) says: CSV\n"
		       "                 without a byte-order mark, identity numbers as 18 characters;\n"
		       "                 XLSX with codes and the stored UTC times\n"
		       "  --bom          with --machine: begin the CSV with a UTF-8 byte-order mark\n"
		       "  --status, --region, --outcome, --direction  keep only these: codes or\n"
		       "                 Chinese names, separated by commas (, ，or 、)\n"
		       "  --since DATE   keep only cases changed on or after DATE (a local date)\n"
		       "  --due N        keep only the call-back list's cases falling due within N\n"
		       "                 days (or due already), as guantong due --within N lists them\n"
		       "\n"
		       "Exit status: 0 written, 1 not written, 2 bad usage.\n"),
		gt_progname);
}

/* The store's statuses and roles as code tables, with the Chinese names
 * the catalogue gives them, so that an option takes what a person types. */
static const struct gt_code status_list[] = {
	{ "draft", "draft", "草稿", NULL },
	{ "submitted", "submitted", "已提交", "提交" },
	{ "in_review", "in review", "审核中", NULL },
	{ "approved", "approved", "已批准", "批准" },
	{ "rejected", "rejected", "未通过", "驳回|不通过" },
	{ "returned", "returned", "已退回", "退回" },
	{ "void", "void", "作废", "已作废" },
};
const struct gt_code_table status_table = { "status", status_list,
						   (int)(sizeof status_list / sizeof status_list[0]), NULL };
static const struct gt_code role_list[] = {
	{ "clerk", "clerk", "经办员", "经办人" },
	{ "reviewer", "reviewer", "审核员", "审核人" },
	{ "admin", "admin", "管理员", NULL },
};
static const struct gt_code_table role_table = { "role", role_list, (int)(sizeof role_list / sizeof role_list[0]), NULL };

/* The accepted values of an option, "重庆 (chongqing), 鞍山 (anshan), ...". */
static void accepted_values(const struct gt_code_table *t, char *buf, size_t size)
{
	struct gt_sb sb = gt_sb_make(buf, size);
	for (int i = 0; i < t->count; i++) {
		if (!t->codes[i].code[0])
			continue;
		if (sb.len)
			gt_sb_add(&sb, _(", "));
		gt_sb_addf(&sb, _("%s (%s)"), t->codes[i].zh, t->codes[i].code);
	}
}

/* A value that an option does not take: which one, and every one it takes. */
static int bad_value(const char *cmd, const char *opt, const char *v, size_t n, const struct gt_code_table *t)
{
	char item[256], list[2048], msg[3072];
	snprintf(item, sizeof item, "%.*s", (int)(n < 200 ? n : 200), v);
	accepted_values(t, list, sizeof list);
	if (n == 0)
		snprintf(msg, sizeof msg, _("%s needs a value; it takes %s"), opt, list);
	else
		snprintf(msg, sizeof msg, _("%s does not take \"%s\"; it takes %s"), opt, cli_vis(item), list);
	return cli_usage_error(cmd, msg);
}

static size_t trimmed(const char **p, size_t n)
{
	while (n && (**p == ' ' || **p == '\t')) {
		(*p)++;
		n--;
	}
	while (n && ((*p)[n - 1] == ' ' || (*p)[n - 1] == '\t'))
		n--;
	return n;
}

/* The next item of a list separated by ',', the IME's '，' or '、': its
 * length, and in *sep the separator's (0 at the end). */
static size_t next_item(const char *p, size_t *sep)
{
	for (size_t i = 0; p[i]; i++) {
		if (p[i] == ',') {
			*sep = 1;
			return i;
		}
		if (strncmp(p + i, "，", 3) == 0 || strncmp(p + i, "、", 3) == 0) {
			*sep = 3;
			return i;
		}
	}
	*sep = 0;
	return strlen(p);
}

/* Parses a list of codes or their Chinese names into a bit mask; a name
 * that holds a '，' itself (条件符合，材料待补) is read whole. On a value it
 * does not know, says so (with the accepted ones) and returns the usage
 * exit status. */
int parse_set(const char *cmd, const char *opt, const char *v, const struct gt_code_table *t, uint32_t *mask)
{
	*mask = 0;
	const char *p = v;
	if (!*p)
		return bad_value(cmd, opt, p, 0, t);
	while (*p) {
		size_t sep, len = next_item(p, &sep);
		const char *it = p;
		size_t n = trimmed(&it, len);
		int found = gt_code_lookup(t, it, n);
		while (found < 0 && sep == 3) {
			/* A full-width separator inside a name: try the longer item. */
			size_t sep2, more = next_item(p + len + sep, &sep2);
			len += sep + more;
			sep = sep2;
			it = p;
			n = trimmed(&it, len);
			found = gt_code_lookup(t, it, n);
		}
		if (found < 0) {
			size_t first = next_item(p, &sep);
			it = p;
			return bad_value(cmd, opt, it, trimmed(&it, first), t);
		}
		if (t->codes[found].code[0])
			*mask |= 1u << found;
		p += len + sep;
	}
	return *mask ? 0 : bad_value(cmd, opt, v, strlen(v), t);
}

int filter_option(const char *cmd, int argc, char **argv, int *i, struct gt_export_filter *f)
{
	const char *v;
	bool missing = false;
	if ((v = opt_value(argc, argv, i, "--status", &missing)) || missing)
		return parse_set(cmd, "--status", missing ? "" : v, &status_table, &f->status_mask) ? -1 : 1;
	if ((v = opt_value(argc, argv, i, "--region", &missing)) || missing)
		return parse_set(cmd, "--region", missing ? "" : v, &gt_regions, &f->region_mask) ? -1 : 1;
	if ((v = opt_value(argc, argv, i, "--outcome", &missing)) || missing)
		return parse_set(cmd, "--outcome", missing ? "" : v, &gt_outcomes, &f->outcome_mask) ? -1 : 1;
	if ((v = opt_value(argc, argv, i, "--direction", &missing)) || missing)
		return parse_set(cmd, "--direction", missing ? "" : v, &gt_directions, &f->direction_mask) ? -1 : 1;
	if ((v = opt_value(argc, argv, i, "--since", &missing)) || missing) {
		gt_date d;
		if (missing || gt_date_parse(v, strlen(v), &d) != 0) {
			bad_usage(cmd, _("%s needs a real date YYYY-MM-DD"), "--since");
			return -1;
		}
		gt_date_format(d, f->since);
		return 1;
	}
	return 0;
}

static void export_progress(long done, long total, void *arg)
{
	(void)arg;
	if (total > 0)
		fprintf(stderr, "\r%ld / %ld (%d%%)", done, total, (int)(done * 100 / total));
}

/* A target that no name would make acceptable (the database, a link, a
 * special file) is reported as such rather than as a bad extension. */
static bool refused_target(const char *db, const char *out)
{
	char path[4096], err[1024];
	if (!db || !*db) {
		if (gt_store_default_path(path, sizeof path) != 0)
			return false;
		db = path;
	}
	if (gt_file_check(out, GT_FILE_REPLACE, db, err, sizeof err) != GT_FILE_REFUSED)
		return false;
	fprintf(stderr, "%s export: %s\n", gt_progname, err);
	return true;
}

int cmd_export(int argc, char **argv)
{
	const char *db = NULL, *out = "-";
	int given = -1;
	struct gt_export_opts o = { .format = GT_EXPORT_CSV };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		bool missing = false;
		int r = db_option(argc, argv, &i, &db);
		if (r < 0)
			return bad_usage("export", _("%s needs a value"), a);
		if (r > 0)
			continue;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage_export(stdout);
			return GT_EXIT_OK;
		} else if (strcmp(a, "--bom") == 0) {
			o.bom = true;
		} else if (strcmp(a, "--machine") == 0) {
			o.machine = true;
		} else if (strcmp(a, "--force") == 0) {
			o.replace = true;
		} else if ((v = opt_value(argc, argv, &i, "--format", &missing)) || missing) {
			if (v && strcmp(v, "csv") == 0)
				given = GT_EXPORT_CSV;
			else if (v && strcmp(v, "xlsx") == 0)
				given = GT_EXPORT_XLSX;
			else
				return bad_usage("export", _("%s is csv or xlsx"), "--format");
		} else if ((v = opt_value(argc, argv, &i, "--out", &missing)) || missing) {
			if (missing)
				return bad_usage("export", _("%s needs a value"), a);
			out = v;
		} else if ((v = opt_value(argc, argv, &i, "--due", &missing)) || missing) {
			char *end = NULL;
			long n = missing ? -1 : strtol(v, &end, 10);
			if (missing || !*v || *end || n < 0 || n > 36600)
				return bad_usage("export", _("%s needs a number of days from 0 to 36600"), "--due");
			gt_date_format(gt_date_today() + (gt_date)n, o.filter.due_until);
		} else if ((r = filter_option("export", argc, argv, &i, &o.filter)) != 0) {
			if (r < 0)
				return GT_EXIT_USAGE;
		} else {
			return bad_usage("export", _("unknown argument \"%s\""), a);
		}
	}
	if (given == GT_EXPORT_XLSX && strcmp(out, "-") == 0)
		return bad_usage("export", _("%s: an XLSX export needs --out FILE"), "--format xlsx");
	if (strcmp(out, "-") == 0) {
		o.format = GT_EXPORT_CSV;
		if (o.replace)
			return bad_usage("export", _("%s goes with --out FILE"), "--force");
	} else {
		int r = gt_export_format_of(out, given, &o.format);
		if (r < 0 && refused_target(db, out))
			return GT_EXIT_UNREADABLE;
		if (r == -1)
			return bad_usage("export", _("%s: the file name must end in .csv or .xlsx"), out);
		if (r == -2)
			return bad_usage("export",
					 given == GT_EXPORT_CSV ? _("%s: the extension says xlsx but --format says csv")
								: _("%s: the extension says csv but --format says xlsx"),
					 out);
	}
	gt_store *st;
	int status = gt_open_store(&st, db, 0);
	if (status)
		return status;
	bool show = strcmp(out, "-") != 0 && isatty(STDERR_FILENO);
	if (show)
		o.progress = export_progress;
	long rows;
	int rc = gt_store_export(st, out, &o, &rows);
	if (show)
		fputc('\n', stderr);
	if (rc == GT_ERR_EXISTS)
		fprintf(stderr, _("%s export: %s (give --force to replace it)\n"), gt_progname, gt_store_errmsg(st));
	if (rc == GT_ERR_EXISTS)
		status = GT_EXIT_UNREADABLE;
	else if (rc != GT_OK)
		status = store_fail(st, "export");
	else if (strcmp(out, "-") != 0)
	{
		char shown[4096];
		if (gt_file_expand(out, shown, sizeof shown) != 0)
			snprintf(shown, sizeof shown, "%s", out);
		fprintf(stderr, ngettext("%s: %ld case written\n", "%s: %ld cases written\n", (unsigned long)rows),
			shown, rows);
	}
	gt_store_close(st);
	return status;
}

/* ---- evaluate */

void usage_evaluate(FILE *out)
{
	fprintf(out, _("Usage: %s evaluate [--db PATH] CASE\n"
		       "\n"
		       "Explains a stored case: every pathway with each condition required vs\n"
		       "actual and its clause, the date a year threshold is met, the evidence\n"
		       "received, verified and missing, the stored evaluation and the decision.\n"
		       "CASE is a case number, a case_ref or an identity number.\n"),
		gt_progname);
}

static int print_history(const struct gt_audit_row *a, void *arg)
{
	(void)arg;
	printf("  %s  %-10s %-16s %s\n", cli_time(a->at), cli_vis(a->actor), a->action,
	       cli_vis(a->after ? a->after : ""));
	return 0;
}

int find_case(gt_store *st, const char *cmd, const char *key, int64_t *id)
{
	if (gt_store_find(st, key, id) != GT_OK) {
		fprintf(stderr, "%s %s: %s\n", gt_progname, cmd, cli_vis(gt_store_errmsg(st)));
		return GT_EXIT_UNREADABLE;
	}
	return GT_EXIT_OK;
}

/* The display name of a stored code; a code this program does not know (a
 * later rule set's) is shown as stored. */
static const char *stored_name(const struct gt_code_table *t, const char *code)
{
	int i = gt_code_lookup(t, code, strlen(code));
	return i < 0 ? code : gt_name_of(t, i);
}

/* Widest evidence name, for the evidence list's columns. */
static int evidence_width(void)
{
	int w = 0;
	for (int e = 0; e < GT_EV_COUNT; e++) {
		int k = gt_text_width(gt_name_of(&gt_evidence_codes, e));
		w = k > w ? k : w;
	}
	return w;
}

int cmd_evaluate(int argc, char **argv)
{
	const char *db = NULL, *key = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int r = db_option(argc, argv, &i, &db);
		if (r < 0)
			return bad_usage("evaluate", _("%s needs a value"), a);
		if (r > 0)
			continue;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage_evaluate(stdout);
			return GT_EXIT_OK;
		}
		if (a[0] == '-' || key)
			return bad_usage("evaluate", _("unknown argument \"%s\""), a);
		key = a;
	}
	if (!key)
		return bad_usage("evaluate", _("a CASE is required%s"), "");
	gt_store *st;
	int status = gt_open_store(&st, db, GT_OPEN_READONLY);
	if (status)
		return status;
	int64_t id;
	struct gt_case_row *row = malloc(sizeof *row);
	struct gt_stored_eval *se = malloc(sizeof *se);
	struct gt_answer *ans = malloc(sizeof *ans);
	if (!row || !se || !ans) {
		status = GT_EXIT_UNREADABLE;
		goto out;
	}
	if ((status = find_case(st, "evaluate", key, &id)))
		goto out;
	if (gt_store_get(st, id, row) != GT_OK || gt_store_get_eval(st, row->eval_id, se) != GT_OK) {
		status = store_fail(st, "evaluate");
		goto out;
	}
	printf(_("Case %lld: %s (%s), %s, version %lld\n"), (long long)row->id, cli_vis(row->c.name),
	       cli_vis(row->c.id_number), gt_status_name(row->status), (long long)row->version);
	printf(_("  created %s by %s; last changed %s by %s\n"), cli_time(row->created_at),
	       cli_vis(row->created_by), cli_time(row->updated_at), cli_vis(row->updated_by));
	if (row->assignee[0])
		printf(_("  assigned to %s\n"), cli_vis(row->assignee));
	printf(_("Stored evaluation %lld: rule set %s, as of %s, by %s at %s\n"), (long long)se->id,
	       cli_vis(se->ruleset), se->as_of, cli_vis(se->evaluated_by), cli_time(se->evaluated_at));
	/* The columns as the store answers them: the decision's when the case
	 * is as decided, else the stored answer in words (gt_store_answer). */
	if (gt_store_answer(st, row, ans) != GT_OK) {
		status = store_fail(st, "evaluate");
		goto out;
	}
	if (ans->source == GT_ANS_DECISION)
		printf(_("  as decided, by rule set %s:\n"), cli_vis(ans->ruleset));
	/* The stored columns are codes; a person reads their names. */
	const struct gt_code_table *levels =
		row->c.direction == GT_DIR_SKILL_TO_TITLE ? &gt_title_levels : &gt_skill_levels;
	printf("  %s  %s  %s  %s\n", cli_vis(stored_name(&gt_outcomes, ans->col[GT_SUM_OUTCOME])),
	       cli_vis(stored_name(levels, ans->col[GT_SUM_TARGET])),
	       cli_vis(stored_name(&gt_routes, ans->col[GT_SUM_ROUTE])),
	       cli_vis(ans->col[GT_SUM_CITATION]));
	printf("\n");

	char *decided_text = NULL;
	char decided_ruleset[GT_RULESET_MAX];
	if (ans->source == GT_ANS_DECISION &&
	    gt_store_decision_text(st, row->decision_id, &decided_text, decided_ruleset) == GT_OK && decided_text) {
		/* What the reviewer saw, kept with the decision. */
		cli_vis_lines(decided_text, strlen(decided_text), stdout);
		free(decided_text);
		if (ans->differs)
			printf(_("\nNote: this program's rules (%s) would answer differently today:\n  %s\n"),
			       cli_vis(gt_store_eval_ruleset(&ans->ev)), cli_vis(ans->today.col[GT_SUM_MESSAGE]));
	} else {
		if (ans->differs || ans->source == GT_ANS_TODAY)
			printf(_("Note: this program's rules (%s) give a different answer from the stored "
				 "evaluation (%s); below is today's reading.\n\n"),
			       cli_vis(gt_store_eval_ruleset(&ans->ev)), cli_vis(se->ruleset));
		/* The explanation: the evaluator replayed on the stored case. */
		cli_explain(&ans->ev, stdout);
	}
	const struct gt_eval *ev = &ans->ev;

	printf(_("\nEvidence:\n"));
	int ewidth = evidence_width();
	for (int e = 0; e < GT_EV_COUNT; e++) {
		const struct gt_evidence_item *it = &row->evidence[e];
		bool needed = ev->chosen >= 0 && (ev->paths[ev->chosen].required_ev & (1u << e));
		if (!it->received && !needed)
			continue;
		const char *state = it->verified ? _("verified") : it->received ? _("received") : _("missing");
		const char *ename = gt_name_of(&gt_evidence_codes, e);
		printf("  %s%*s  %s", ename, ewidth - gt_text_width(ename), "", state);
		if (it->verified && it->verified_by[0])
			printf(_(" by %s at %s"), cli_vis(it->verified_by), cli_time(it->verified_at));
		else if (it->verified)
			printf("%s", _(" with the case's data (see its history)"));
		else if (it->received && it->received_by[0])
			printf(_(" by %s at %s"), cli_vis(it->received_by), cli_time(it->received_at));
		if (it->note[0])
			printf(" (%s)", cli_vis(it->note));
		printf("\n");
	}
	if (row->decision_id) {
		struct gt_decision d;
		if (gt_store_get_decision(st, row->decision_id, &d) == GT_OK)
			printf(_("\nDecision: %s by %s at %s, on evaluation %lld: %s\n"), cli_vis(d.action),
			       cli_vis(d.decided_by), cli_time(d.decided_at), (long long)d.eval_id, cli_vis(d.note));
	}
	printf(_("\nHistory:\n"));
	if (gt_store_history(st, id, print_history, NULL) != GT_OK)
		status = store_fail(st, "evaluate");
out:
	free(row);
	free(se);
	free(ans);
	gt_store_close(st);
	return status;
}

/* ---- decide */

/* An argument of decide or void other than the action: --db, --note,
 * --version, -h, or the CASE. -1 when taken; else the exit status (help
 * shown, or a usage error said). */
static int act_argument(const char *cmd, void (*usage)(FILE *), int argc, char **argv, int *i, const char **db,
			const char **key, const char **note, long long *version)
{
	const char *a = argv[*i], *v;
	bool missing = false;
	int r = db_option(argc, argv, i, db);
	if (r < 0)
		return bad_usage(cmd, _("%s needs a value"), a);
	if (r > 0)
		return -1;
	if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
		usage(stdout);
		return GT_EXIT_OK;
	} else if ((v = opt_value(argc, argv, i, "--note", &missing)) || missing) {
		if (missing)
			return bad_usage(cmd, _("%s needs a value"), a);
		*note = v;
	} else if ((v = opt_value(argc, argv, i, "--version", &missing)) || missing) {
		char *end;
		*version = missing ? 0 : strtoll(v, &end, 10);
		if (missing || *end || *version < 1)
			return bad_usage(cmd, _("%s needs a version number"), "--version");
	} else if (a[0] == '-' || *key) {
		return bad_usage(cmd, _("unknown argument \"%s\""), a);
	} else {
		*key = a;
	}
	return -1;
}

/* Moves case `key` along `action` and says where it is now: decide and void. */
static int act_on_case(const char *cmd, const char *db, const char *key, long long version, int action,
		       const char *note)
{
	gt_store *st;
	int status = gt_open_store(&st, db, 0);
	if (status)
		return status;
	int64_t id;
	if ((status = find_case(st, cmd, key, &id)) == GT_EXIT_OK) {
		int rc = gt_store_act(st, id, version, action, note);
		if (rc == GT_OK) {
			struct gt_case_row row;
			if (gt_store_get(st, id, &row) == GT_OK)
				printf(_("case %lld: %s (version %lld)\n"), (long long)id, gt_status_name(row.status),
				       (long long)row.version);
		} else {
			store_fail(st, cmd);
			status = rc == GT_ERR_CONFLICT ? GT_EXIT_CONFLICT : GT_EXIT_UNREADABLE;
		}
	}
	gt_store_close(st);
	return status;
}

void usage_decide(FILE *out)
{
	fprintf(out, _("Usage: %s decide [--db PATH] CASE --approve|--reject|--return [--note TEXT]\n"
		       "                [--version N]\n"
		       "\n"
		       "Records a decision on a case, as the OS user running it: approve and reject\n"
		       "are for reviewers; clerks and reviewers may return a case for evidence. A\n"
		       "note is required to reject or return. With --version, the decision is refused\n"
		       "if the case has changed since that version was read (nothing is overwritten).\n"
		       "\n"
		       "Exit status: 0 recorded, 1 refused or failed, 2 bad usage, 3 the case changed\n"
		       "since the given version.\n"),
		gt_progname);
}

int cmd_decide(int argc, char **argv)
{
	const char *db = NULL, *key = NULL, *note = NULL;
	int action = -1;
	long long version = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int act = strcmp(a, "--approve") == 0 ? GT_ACT_APPROVE
			  : strcmp(a, "--reject") == 0 ? GT_ACT_REJECT
			  : strcmp(a, "--return") == 0 ? GT_ACT_RETURN
						       : -1;
		if (act >= 0) {
			if (action >= 0 && action != act)
				return bad_usage("decide", _("give one of --approve, --reject, --return%s"), "");
			action = act;
			continue;
		}
		int r = act_argument("decide", usage_decide, argc, argv, &i, &db, &key, &note, &version);
		if (r >= 0)
			return r;
	}
	if (!key || action < 0)
		return bad_usage("decide", _("a CASE and one of --approve, --reject, --return are required%s"), "");
	return act_on_case("decide", db, key, version, action, note);
}

/* ---- void */

void usage_void(FILE *out)
{
	fprintf(out, _("Usage: %s void [--db PATH] CASE --note TEXT [--version N]\n"
		       "\n"
		       "Voids a case that is a duplicate or a mistake, as the OS user running it\n"
		       "(administrators only). The note, which is required, says why. Nothing is\n"
		       "deleted: the case keeps its data and history, and the void is audited. A\n"
		       "voided case is left out of the workstation's queue, of export and of due\n"
		       "unless asked for (the queue's status filter, export --status void). An\n"
		       "administrator undoes a void by reopening the case in the workstation (o).\n"
		       "With --version, the void is refused if the case has changed since that\n"
		       "version was read.\n"
		       "\n"
		       "Exit status: 0 voided, 1 refused or failed, 2 bad usage, 3 the case changed\n"
		       "since the given version.\n"),
		gt_progname);
}

int cmd_void(int argc, char **argv)
{
	const char *db = NULL, *key = NULL, *note = NULL;
	long long version = 0;
	for (int i = 1; i < argc; i++) {
		int r = act_argument("void", usage_void, argc, argv, &i, &db, &key, &note, &version);
		if (r >= 0)
			return r;
	}
	if (!key)
		return bad_usage("void", _("a CASE is required%s"), "");
	if (!note || !*note)
		return bad_usage("void", _("%s is required: say why the case is voided"), "--note TEXT");
	return act_on_case("void", db, key, version, GT_ACT_VOID, note);
}

/* ---- user */

void usage_user(FILE *out)
{
	fprintf(out, _("Usage: %s user [--db PATH] list\n"
		       "       %s user [--db PATH] add LOGIN --role ROLE [--name TEXT]\n"
		       "       %s user [--db PATH] remove LOGIN\n"
		       "\n"
		       "Who may use the database, by OS login name, and in which role: a clerk takes\n"
		       "in cases and returns them for evidence, a reviewer also approves and rejects,\n"
		       "an admin also manages users and reopens decided cases. Only an admin may add,\n"
		       "change or remove users; the one who creates the database is its first admin.\n"
		       "ROLE is clerk (经办员), reviewer (审核员) or admin (管理员).\n"),
		gt_progname, gt_progname, gt_progname);
}

static int print_user(const struct gt_user *u, void *arg)
{
	(void)arg;
	printf("%-16s %-9s %-6s %s  %s\n", cli_vis(u->login), gt_role_codes[u->role > 0 ? u->role : 0],
	       u->active ? _("active") : _("removed"), cli_time(u->created_at), cli_vis(u->display_name));
	return 0;
}

int cmd_user(int argc, char **argv)
{
	const char *db = NULL, *verb = NULL, *login = NULL, *name = NULL;
	int role = -1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		bool missing = false;
		int r = db_option(argc, argv, &i, &db);
		if (r < 0)
			return bad_usage("user", _("%s needs a value"), a);
		if (r > 0)
			continue;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage_user(stdout);
			return GT_EXIT_OK;
		} else if ((v = opt_value(argc, argv, &i, "--role", &missing)) || missing) {
			const char *rv = missing ? "" : v;
			int k = gt_code_lookup(&role_table, rv, strlen(rv));
			if (k < 0)
				return bad_value("user", "--role", rv, strlen(rv), &role_table);
			role = gt_role_parse(role_list[k].code);
		} else if ((v = opt_value(argc, argv, &i, "--name", &missing)) || missing) {
			if (missing)
				return bad_usage("user", _("%s needs a value"), a);
			name = v;
		} else if (a[0] == '-') {
			return bad_usage("user", _("unknown option \"%s\""), a);
		} else if (!verb) {
			verb = a;
		} else if (!login) {
			login = a;
		} else {
			return bad_usage("user", _("unknown argument \"%s\""), a);
		}
	}
	bool list = verb && strcmp(verb, "list") == 0, add = verb && strcmp(verb, "add") == 0,
	     remove = verb && strcmp(verb, "remove") == 0;
	if (!list && !add && !remove)
		return bad_usage("user", _("say list, add or remove%s"), "");
	if ((add || remove) && !login)
		return bad_usage("user", _("a LOGIN is required%s"), "");
	if (add && role < 0)
		return bad_usage("user", _("%s is required"), "--role");
	gt_store *st;
	int status = gt_open_store(&st, db, list ? GT_OPEN_READONLY : GT_OPEN_CREATE);
	if (status)
		return status;
	int rc = list ? gt_store_user_list(st, print_user, NULL)
		      : gt_store_user_set(st, login, add ? role : GT_USER_NONE, name);
	if (rc != GT_OK)
		status = store_fail(st, "user");
	gt_store_close(st);
	return status;
}

/* ---- init */

void usage_init(FILE *out)
{
	fprintf(out, _("Usage: %s init [--db PATH|CONNINFO] [--admin LOGIN]\n"
		       "\n"
		       "Sets up a new database and says what it did. A PATH (or $GUANTONG_DB) is an\n"
		       "SQLite file, created 0600 with you as its first admin. A PostgreSQL\n"
		       "connection string (postgresql:///guantong, or \"host=... dbname=...\") names an\n"
		       "existing, empty database; run it as a role that may create roles (the\n"
		       "database's owner with CREATEROLE, or a superuser): it creates the roles\n"
		       "guantong_owner (owns the tables, no login), guantong_clerk,\n"
		       "guantong_reviewer and guantong_admin, the schema, and the first admin:\n"
		       "LOGIN, or you. On a PostgreSQL database an older guantong set up, it\n"
		       "upgrades the schema instead, in one transaction, and says so.\n"),
		gt_progname);
}

static void say_line(const char *line, void *arg)
{
	(void)arg;
	printf("%s\n", line);
}

int cmd_init(int argc, char **argv)
{
	const char *db = NULL, *admin = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		bool missing = false;
		int r = db_option(argc, argv, &i, &db);
		if (r < 0)
			return bad_usage("init", _("%s needs a value"), a);
		if (r > 0)
			continue;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage_init(stdout);
			return GT_EXIT_OK;
		} else if ((v = opt_value(argc, argv, &i, "--admin", &missing)) || missing) {
			if (missing)
				return bad_usage("init", _("%s needs a value"), a);
			admin = v;
		} else {
			return bad_usage("init", _("unknown argument \"%s\""), a);
		}
	}
	char path[4096];
	if (!(db = db_or_default(db, path, sizeof path)))
		return GT_EXIT_UNREADABLE;
	char err[1024];
	if (gt_store_is_server(db)) {
		if (gt_store_init_server(db, admin, say_line, NULL, err, sizeof err) != GT_OK) {
			fprintf(stderr, "%s init: %s\n", gt_progname, cli_vis(err));
			return GT_EXIT_UNREADABLE;
		}
		printf(_("the database is ready: add users with \"%s user add LOGIN --role clerk\"\n"), gt_progname);
		return GT_EXIT_OK;
	}
	if (admin)
		return bad_usage("init", _("%s is for a PostgreSQL database; an SQLite file's first admin is "
					   "the one who creates it"), "--admin");
	if (access(db, F_OK) == 0) {
		fprintf(stderr, _("%s init: %s exists; nothing was changed\n"), gt_progname, cli_vis(db));
		return GT_EXIT_UNREADABLE;
	}
	gt_store *st;
	int status = gt_open_store(&st, db, GT_OPEN_CREATE);
	if (status)
		return status;
	printf(_("created %s (mode 0600); first admin: %s\n"), cli_vis(db), cli_vis(gt_store_actor(st)));
	gt_store_close(st);
	return GT_EXIT_OK;
}

/* ---- reevaluate */

void usage_reevaluate(FILE *out)
{
	fprintf(out, _("Usage: %s reevaluate [--db PATH]\n"
		       "\n"
		       "Re-evaluates with this program's rules every case whose stored evaluation was\n"
		       "made by another rule set, in one step recorded in the audit log with the\n"
		       "number of cases and those whose outcome changed. A decided case keeps what\n"
		       "the reviewer saw. Running it again changes nothing.\n"),
		gt_progname);
}

int cmd_reevaluate(int argc, char **argv)
{
	const char *db = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int r = db_option(argc, argv, &i, &db);
		if (r < 0)
			return bad_usage("reevaluate", _("%s needs a value"), a);
		if (r > 0)
			continue;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage_reevaluate(stdout);
			return GT_EXIT_OK;
		}
		return bad_usage("reevaluate", _("unknown argument \"%s\""), a);
	}
	gt_store *st;
	int status = gt_open_store(&st, db, 0);
	if (status)
		return status;
	struct gt_reevaluate_result r;
	if (gt_store_reevaluate_all(st, &r) != GT_OK)
		status = store_fail(st, "reevaluate");
	else if (r.cases == 0)
		fprintf(stderr, _("every undecided case is evaluated by rule set %s; nothing to do\n"), gt_store_ruleset());
	else
		fprintf(stderr, ngettext("%ld case re-evaluated by rule set %s; %ld changed outcome\n",
					 "%ld cases re-evaluated by rule set %s; %ld changed outcome\n", (unsigned long)r.cases),
			r.cases, gt_store_ruleset(), r.changed_outcome);
	gt_store_close(st);
	return status;
}

/* ---- backup */

void usage_backup(FILE *out)
{
	fprintf(out, _("Usage: %s backup [--db PATH] FILE\n"
		       "\n"
		       "Copies the live database to FILE (which must not exist) with SQLite's online\n"
		       "backup API: safe while clerks are working; the copy is checked, and the\n"
		       "backup recorded in the audit log, before it is given its name. It is written\n"
		       "0600 in a private directory beside FILE and linked to FILE, which never\n"
		       "replaces a file, even one that appeared meanwhile.\n"),
		gt_progname);
}

int cmd_backup(int argc, char **argv)
{
	const char *db = NULL, *dest = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int r = db_option(argc, argv, &i, &db);
		if (r < 0)
			return bad_usage("backup", _("%s needs a value"), a);
		if (r > 0)
			continue;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage_backup(stdout);
			return GT_EXIT_OK;
		}
		if (a[0] == '-' || dest)
			return bad_usage("backup", _("unknown argument \"%s\""), a);
		dest = a;
	}
	if (!dest)
		return bad_usage("backup", _("a FILE is required%s"), "");
	gt_store *st;
	/* Read-write: the backup writes its audit row. */
	int status = gt_open_store(&st, db, 0);
	if (status)
		return status;
	if (gt_store_backup(st, dest) != GT_OK)
		status = store_fail(st, "backup");
	else
		fprintf(stderr, _("backed up to %s\n"), dest);
	gt_store_close(st);
	return status;
}
