/* libFuzzer: a clerk's first import, by the threaded bulk path, against the
 * same file imported row by row (a differential fuzzer).
 *
 * fuzz_import runs on a store in memory with SQLite single-threaded, so it
 * never takes the path an import into an empty file store takes: the
 * second thread writing the evaluations, keys and terms into a scratch
 * database that is copied in by SQLite's transfer (store/gt_keys.c, struct
 * side), the spiller of the terms' runs, the new cases written a batch at a
 * time (store/gt_case_io.c), the reader thread's keys and terms, the hash
 * thread (store/gt_import.c). Here each input is imported into two empty
 * FILE stores made alike: one as `guantong import` does (the bulk path),
 * one with gt_import_opts.row_by_row (every row by its own statements, keys
 * and terms made on the writing thread). Then everything must be the same:
 * the result code and message, the counts, the invalid rows' messages, the
 * reject file's bytes, the schema, and every row of every table (the
 * tables read from the store's own schema, so that a table moved to the
 * second thread later is compared without a change here).
 *
 * What legitimately differs, and how it is made equal:
 *   - the time of each import (gt_now: the store has no fixed clock, and
 *     the two imports may straddle a second). Every value equal to an
 *     import's time (its audit row's `at`) is written as @NOW: as text
 *     anywhere (the audit rows' JSON too), as whole seconds in a column
 *     named at or *_at (cases, evaluations). Not which import's: the first
 *     and the repeated import may fall in one second in one store and not
 *     in the other. Any other time must be equal (the pristine store's are
 *     of a second before the first import: init waits for the next).
 *   - nothing else: same ids, rowids, ordering, every column.
 * The two stores are cases.db in two directories of their own, so that no
 * name differs either.
 *
 * Three imports a pair of stores: without skip_invalid (one invalid row:
 * nothing written, every row of the store as it was); if it had
 * invalid rows, with skip_invalid and the reject file made as the command
 * makes it (gt_file_create); then the same file again into what that left
 * (a repeated import: nothing read, one audit row, or its invalid rows
 * checked again). After each, on both stores: the invariants of
 * fuzz_import (rows = the outcomes' sum; one case a new case; one audit row
 * the import and one a changed case; every case its evaluation and
 * applicant; integrity_check; foreign_key_check), the schema unchanged
 * (the bulk path drops and remakes indexes and triggers), journal_mode WAL
 * and foreign keys on again, and the directories holding only the store's
 * files and the reject file (no scratch directory left).
 *
 * The path must be taken: a bulk import that succeeded with new cases must
 * have copied the evaluations from the second thread's database and
 * written new cases by a batch (sqlite3_trace_v2 on the store's
 * connection); the row-by-row one must have done neither. Else the fuzzer
 * stops: a harness that silently fell back to the simple path would
 * compare it with itself.
 *
 * Fuzz-sized inputs (tens of rows) would never reach the hand-overs of the
 * production sizes (2,048 rows to the second thread, 256 new cases a batch,
 * runs of 2^18 terms spilled). So each input chooses, from a hash of its
 * bytes, smaller ones through the store's test knobs (gt_keys_side_size,
 * gt_case_batch_size, gt_keys_run_size, gt_keys_side_numbers: the
 * applicants' index then built amid the rows; the production sizes among
 * the choices), and how many times its rows are repeated (see expand): copies
 * with new identity numbers (new people), with those of the copy before
 * shifted by one row (known people with other data: updates, renames, a
 * known person's case in another region, across batches and hand-overs),
 * and unchanged (the same rows again).
 *
 * Each execution copies a pristine store file (made once: the schema, the
 * first admin) to the two directories, opens both, and removes them at the
 * end; all in a private directory (in /dev/shm when there is one) removed
 * at exit and by the harness's own failures. A sanitizer's report or a
 * signal leaves it (gt-fuzz-bulk-*): the sanitizers' death callback is
 * libFuzzer's, which writes the input, and is not replaced. At exit it
 * prints how often the paths were taken. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "gt_csv.h"
#include "gt_idnum.h"
#include "gt_store.h"
#include "gt_store_int.h" /* the test knobs */
#include "import_checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { BULK, ROWS, NSTORES };
static const char *const store_name[NSTORES] = { "bulk", "rows" };

static char dir[64];                  /* the private directory */
static char path[NSTORES][128];       /* DIR/bulk/cases.db, DIR/rows/cases.db */
static char rej_path[NSTORES][128];   /* DIR/bulk/rej.csv, ... */
static char input_path[128];          /* DIR/fuzz.csv */
static unsigned char *pristine;       /* the pristine store file */
static size_t pristine_len;
static char *pristine_rows, *pristine_schema;

/* What the paths took, printed at exit. */
static struct {
	long executions, bulk_new;        /* bulk imports that wrote new cases (into an empty store) */
	long side_copied, batches_many;   /* of those: copied from the second thread; more than one batch */
	long handed_during;               /* more evaluations than the side's size: handed over during the rows */
	long terms_over_run;              /* more terms than a run holds: runs spilled */
	long failed_same, skipped, repeated;
} stats;

/* ---- files */

static void write_file(const char *p, const void *bytes, size_t n)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		fuzz_fail("cannot create %s: %s", p, strerror(errno));
	const char *b = bytes;
	while (n) {
		ssize_t w = write(fd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			fuzz_fail("cannot write %s: %s", p, strerror(errno));
		b += w;
		n -= (size_t)w;
	}
	close(fd);
}

/* The file's bytes (NULL and *n 0 when it does not exist). */
static char *read_file(const char *p, size_t *n)
{
	*n = 0;
	FILE *f = fopen(p, "rb");
	if (!f) {
		if (errno != ENOENT)
			fuzz_fail("cannot open %s: %s", p, strerror(errno));
		return NULL;
	}
	char *buf = NULL;
	size_t cap = 0;
	for (;;) {
		if (*n == cap && !(buf = realloc(buf, cap = cap ? cap * 2 : 4096)))
			abort();
		size_t r = fread(buf + *n, 1, cap - *n, f);
		*n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	return buf;
}

/* Removes dir's files (a store's, a reject file) and, with rm_dir, dir. */
static void empty_dir(const char *d, bool rm_dir)
{
	DIR *dp = opendir(d);
	struct dirent *e;
	while (dp && (e = readdir(dp))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char p[512];
		snprintf(p, sizeof p, "%s/%s", d, e->d_name);
		struct stat sb;
		if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
			empty_dir(p, true);
		else
			unlink(p);
	}
	if (dp)
		closedir(dp);
	if (rm_dir)
		rmdir(d);
}

static void cleanup(void)
{
	if (dir[0])
		empty_dir(dir, true);
	dir[0] = '\0';
}

/* A store's directory holds only the store's files and the reject file:
 * a scratch directory (.guantong-terms-...) or a temporary file left by the
 * import is a failure. */
static void check_dir(int k, const char *when)
{
	static const char *const allowed[] = { "cases.db", "cases.db-wal", "cases.db-shm", "cases.db-journal",
					       "rej.csv" };
	char d[128];
	snprintf(d, sizeof d, "%s/%s", dir, store_name[k]);
	DIR *dp = opendir(d);
	if (!dp)
		fuzz_fail("cannot read %s: %s", d, strerror(errno));
	struct dirent *e;
	while ((e = readdir(dp))) {
		bool ok = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
		for (size_t i = 0; !ok && i < sizeof allowed / sizeof allowed[0]; i++)
			ok = strcmp(e->d_name, allowed[i]) == 0;
		if (!ok)
			fuzz_fail("%s, %s: the store's directory holds %s", store_name[k], when, e->d_name);
	}
	closedir(dp);
}

/* ---- the rows of a store, as text */

/* The time of each import (its audit row's), as text and as seconds. */
enum { TIMES_MAX = 8 };
struct times {
	int n;
	char text[TIMES_MAX][40];
	int64_t secs[TIMES_MAX];
};

static void import_times(sqlite3 *db, struct times *t)
{
	sqlite3_stmt *s = NULL;
	t->n = 0;
	if (sqlite3_prepare_v2(db, "SELECT at, unixepoch(at) FROM audit WHERE action = 'import' ORDER BY id", -1, &s,
			       NULL) != SQLITE_OK)
		fuzz_fail("cannot read the audit rows: %s", sqlite3_errmsg(db));
	while (sqlite3_step(s) == SQLITE_ROW && t->n < TIMES_MAX) {
		snprintf(t->text[t->n], sizeof t->text[0], "%s", (const char *)sqlite3_column_text(s, 0));
		t->secs[t->n] = sqlite3_column_int64(s, 1);
		t->n++;
	}
	sqlite3_finalize(s);
}

static bool time_column(const char *name)
{
	size_t n = strlen(name);
	return strcmp(name, "at") == 0 || (n > 3 && strcmp(name + n - 3, "_at") == 0);
}

/* A text cell, each import's time in it written as @NOW. */
static void put_text(FILE *f, const char *p, size_t n, const struct times *t)
{
	fprintf(f, "t%zu:", n);
	while (n) {
		int k = -1;
		size_t len = 0;
		for (int i = 0; i < t->n && k < 0; i++) {
			len = strlen(t->text[i]);
			if (len && len <= n && memcmp(p, t->text[i], len) == 0)
				k = i;
		}
		if (k >= 0) {
			fputs("@NOW", f);
			p += len;
			n -= len;
		} else {
			fputc(*p++, f);
			n--;
		}
	}
}

static void put_cell(FILE *f, sqlite3_stmt *s, int i, const struct times *t)
{
	switch (sqlite3_column_type(s, i)) {
	case SQLITE_NULL:
		fputs("N", f);
		break;
	case SQLITE_INTEGER: {
		int64_t v = sqlite3_column_int64(s, i);
		for (int k = 0; k < t->n && time_column(sqlite3_column_name(s, i)); k++)
			if (v == t->secs[k]) {
				fputs("i@NOW", f);
				return;
			}
		fprintf(f, "i%lld", (long long)v);
		break;
	}
	case SQLITE_FLOAT:
		fprintf(f, "f%.17g", sqlite3_column_double(s, i));
		break;
	case SQLITE_BLOB: {
		const unsigned char *b = sqlite3_column_blob(s, i);
		int n = sqlite3_column_bytes(s, i);
		fputc('x', f);
		for (int j = 0; j < n; j++)
			fprintf(f, "%02x", b[j]);
		break;
	}
	default:
		put_text(f, (const char *)sqlite3_column_text(s, i), (size_t)sqlite3_column_bytes(s, i), t);
	}
}

/* The query of each table's rows (the pristine store's tables, in name
 * order: every store's schema is checked to be the pristine one): a rowid
 * table's by rowid, rowid included; a WITHOUT ROWID table's by all its
 * columns (its key is among them). Made once. */
static char **table_sql;
static int ntables;

static void table_queries(sqlite3 *db)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, "SELECT l.name, l.wr, (SELECT count(*) FROM pragma_table_info(l.name)) "
			       "FROM pragma_table_list l WHERE l.schema = 'main' AND l.type = 'table' "
			       "AND l.name NOT IN ('sqlite_schema', 'sqlite_temp_schema') ORDER BY l.name",
			       -1, &s, NULL) != SQLITE_OK)
		fuzz_fail("cannot list the tables: %s", sqlite3_errmsg(db));
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(s, 0);
		bool wr = sqlite3_column_int(s, 1);
		int ncols = sqlite3_column_int(s, 2);
		char sql[512];
		size_t n = (size_t)snprintf(sql, sizeof sql, wr ? "SELECT '%s', * FROM \"%s\" ORDER BY 2" :
							       "SELECT '%s', rowid, * FROM \"%s\" ORDER BY rowid", name, name);
		for (int c = 3; wr && c <= ncols + 1 && n < sizeof sql; c++)
			n += (size_t)snprintf(sql + n, sizeof sql - n, ", %d", c);
		if (n >= sizeof sql || !(table_sql = realloc(table_sql, (size_t)(ntables + 1) * sizeof *table_sql)) ||
		    !(table_sql[ntables++] = strdup(sql)))
			fuzz_fail("no memory for the tables' queries");
	}
	sqlite3_finalize(s);
}

/* Every row of every table, as text: a line a row, its first cell the
 * table's name. */
static char *dump_rows(sqlite3 *db)
{
	struct times t;
	import_times(db, &t);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		abort();
	for (int i = 0; i < ntables; i++) {
		sqlite3_stmt *s = NULL;
		if (sqlite3_prepare_v2(db, table_sql[i], -1, &s, NULL) != SQLITE_OK)
			fuzz_fail("cannot read the rows (%s): %s", table_sql[i], sqlite3_errmsg(db));
		int step;
		while ((step = sqlite3_step(s)) == SQLITE_ROW) {
			fputs((const char *)sqlite3_column_text(s, 0), f);
			for (int c = 1; c < sqlite3_column_count(s); c++) {
				fputc('|', f);
				put_cell(f, s, c, &t);
			}
			fputc('\n', f);
		}
		if (step != SQLITE_DONE)
			fuzz_fail("cannot read the rows (%s): %s", table_sql[i], sqlite3_errmsg(db));
		sqlite3_finalize(s);
	}
	fclose(f);
	return out;
}

/* The schema (every table, index, trigger and view, but where it is). */
static char *dump_schema(sqlite3 *db)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	sqlite3_stmt *s = NULL;
	if (!f || sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name", -1,
				     &s, NULL) != SQLITE_OK)
		fuzz_fail("cannot read the schema: %s", sqlite3_errmsg(db));
	while (sqlite3_step(s) == SQLITE_ROW)
		fprintf(f, "%s %s %s %s\n", sqlite3_column_text(s, 0), sqlite3_column_text(s, 1),
			sqlite3_column_text(s, 2), sqlite3_column_type(s, 3) == SQLITE_NULL ? "-" :
			(const char *)sqlite3_column_text(s, 3));
	sqlite3_finalize(s);
	fclose(f);
	return out;
}

/* Dies with the first line where a and b differ. */
static void same_text(const char *a, const char *b, const char *what)
{
	if (strcmp(a, b) == 0)
		return;
	size_t i = 0, line = 1, from = 0;
	for (; a[i] && a[i] == b[i]; i++)
		if (a[i] == '\n') {
			line++;
			from = i + 1;
		}
	const char *ea = strchr(a + from, '\n'), *eb = strchr(b + from, '\n');
	int na = ea ? (int)(ea - a - from) : (int)strlen(a + from), nb = eb ? (int)(eb - b - from) : (int)strlen(b + from);
	fuzz_fail("%s differ at line %zu:\n  %.*s\n  %.*s", what, line, na > 600 ? 600 : na, a + from, nb > 600 ? 600 : nb,
	    b + from);
}

/* ---- the stores */

struct seen {
	int side_copies; /* INSERT ... FROM gt_side.evaluations: the second thread's rows copied in */
	int batches;     /* INSERT OR FAIL INTO cases ... FROM gt_rows: a batch of new cases */
};

static int traced(unsigned what, void *arg, void *p, void *x)
{
	struct seen *s = arg;
	(void)p;
	if (what == SQLITE_TRACE_STMT && x) {
		const char *sql = x;
		if (strstr(sql, "FROM gt_side.evaluations"))
			s->side_copies++;
		else if (strstr(sql, "INTO cases (") && strstr(sql, "FROM gt_rows("))
			s->batches++;
	}
	return 0;
}

static gt_store *open_store(int k)
{
	gt_store *st = NULL;
	char err[1024];
	int rc = gt_store_open_as(&st, path[k], 0, "fuzzer", err, sizeof err);
	if (rc != GT_OK)
		fuzz_fail("cannot open %s: %s (%d)", path[k], err, rc);
	return st;
}

static void init(void)
{
	fuzz_name = "fuzz_import_bulk";
	fuzz_at_fail = cleanup;
	/* As guantong's main does: without SQLite's global mutexes the second
	 * thread is never started (store/gt_keys.c, side_mutexes_check). */
	gt_store_multi_threaded();
	const char *const bases[] = { "/dev/shm", "/tmp" };
	for (size_t i = 0; i < 2 && !dir[0]; i++) {
		snprintf(dir, sizeof dir, "%s/gt-fuzz-bulk-XXXXXX", bases[i]);
		if (!mkdtemp(dir))
			dir[0] = '\0';
	}
	if (!dir[0])
		fuzz_fail("no temporary directory: %s", strerror(errno));
	atexit(cleanup);
	snprintf(input_path, sizeof input_path, "%s/fuzz.csv", dir);
	for (int k = 0; k < NSTORES; k++) {
		char d[128];
		snprintf(d, sizeof d, "%s/%s", dir, store_name[k]);
		if (mkdir(d, 0700) != 0)
			fuzz_fail("cannot make %s: %s", d, strerror(errno));
		snprintf(path[k], sizeof path[k], "%s/cases.db", d);
		snprintf(rej_path[k], sizeof rej_path[k], "%s/rej.csv", d);
	}
	/* The pristine store: made once, its file kept (checkpointed, so that
	 * the file alone holds it). */
	gt_store *st = NULL;
	char err[1024];
	if (gt_store_open_as(&st, path[BULK], GT_OPEN_CREATE, "fuzzer", err, sizeof err) != GT_OK)
		fuzz_fail("cannot create the store: %s", err);
	sqlite3 *db = gt_store_db(st);
	if (sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL) != SQLITE_OK)
		fuzz_fail("cannot checkpoint the store: %s", sqlite3_errmsg(db));
	table_queries(db);
	pristine_rows = dump_rows(db);
	pristine_schema = dump_schema(db);
	gt_store_close(st);
	/* The pristine rows' times (the first admin's) are of this second:
	 * no import's may be (they would be read as the import's, @NOW). */
	for (time_t made = time(NULL); time(NULL) == made;)
		nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
	pristine = (unsigned char *)read_file(path[BULK], &pristine_len);
	if (!pristine)
		fuzz_fail("the store %s is gone", path[BULK]);
	char d[128];
	snprintf(d, sizeof d, "%s/%s", dir, store_name[BULK]);
	empty_dir(d, false);
}

static void print_stats(void)
{
	fprintf(stderr,
		"fuzz_import_bulk: %ld executions; %ld bulk imports wrote new cases: %ld copied from the second "
		"thread, %ld in more than one batch, %ld with more evaluations than a hand-over (handed over "
		"during the rows), %ld with more terms than a run (runs spilled); %ld failed imports left the "
		"stores as they were, %ld imports with skip_invalid, %ld repeated imports\n",
		stats.executions, stats.bulk_new, stats.side_copied, stats.batches_many, stats.handed_during,
		stats.terms_over_run, stats.failed_same, stats.skipped, stats.repeated);
}

/* ---- an import and its checks */

struct outcome {
	int rc;
	struct gt_import_result res;
	char msg[1024];
	char *errors;       /* the invalid rows' messages, a line each */
	size_t errors_len;
	char *reject;       /* the reject file's bytes (NULL: none) */
	size_t reject_len;
	struct seen seen;
	char *rows;         /* every table's rows after it */
	char *schema;
};

static void outcome_free(struct outcome *o)
{
	free(o->errors);
	free(o->reject);
	free(o->rows);
	free(o->schema);
	memset(o, 0, sizeof *o);
}

struct errors {
	FILE *f;
	long n;
};

static void on_error(const char *msg, void *arg)
{
	struct errors *e = arg;
	if (!msg[0] || gt_utf8_check(msg, strlen(msg)) != GT_CSV_OK)
		fuzz_fail("an invalid-row message is empty or not UTF-8: \"%s\"", msg);
	fprintf(e->f, "%s\n", msg);
	e->n++;
}

/* Imports the input into store k (its rows before: before). */
static void import(int k, gt_store *st, bool skip, const char *before, struct outcome *out)
{
	sqlite3 *db = gt_store_db(st);
	memset(out, 0, sizeof *out);
	int64_t cases_before = fuzz_one_int(db, "SELECT count(*) FROM cases");
	int64_t audit_before = fuzz_one_int(db, "SELECT count(*) FROM audit");
	struct errors errors = { .f = open_memstream(&out->errors, &out->errors_len) };
	FILE *in = fopen(input_path, "rb");
	if (!errors.f || !in)
		fuzz_fail("cannot open the input: %s", strerror(errno));
	/* The reject file as `guantong import --skip-invalid --reject` makes it. */
	struct gt_file *rej = NULL;
	char err[1024];
	if (skip && gt_file_create(&rej, rej_path[k], 0, path[k], err, sizeof err) != GT_FILE_OK)
		fuzz_fail("%s: cannot make the reject file: %s", store_name[k], err);
	struct gt_import_opts o = {
		.skip_invalid = skip, .reject_file = skip ? &rej : NULL, .as_of = gt_date_from_ymd(2024, 6, 30),
		.on_error = on_error, .arg = &errors, .row_by_row = k == ROWS,
	};
	sqlite3_trace_v2(db, SQLITE_TRACE_STMT, traced, &out->seen);
	out->rc = gt_store_import(st, in, "fuzz.csv", &o, &out->res);
	sqlite3_trace_v2(db, 0, NULL, NULL);
	if (rej)
		fuzz_fail("%s: the import left its reject file open", store_name[k]);
	fclose(in);
	fclose(errors.f);
	snprintf(out->msg, sizeof out->msg, "%s", out->rc == GT_OK ? "" : gt_store_errmsg(st));
	out->reject = read_file(rej_path[k], &out->reject_len);
	unlink(rej_path[k]);
	out->schema = dump_schema(db);
	same_text(pristine_schema, out->schema, "the schema: before and after the import");
	out->rows = dump_rows(db);

	const char *who = store_name[k];
	const struct gt_import_result *r = &out->res;
	if (out->rc != GT_OK && out->rc != GT_ERR_INVALID)
		fuzz_fail("%s: the import failed with %d: %s", who, out->rc, out->msg);
	if (out->rc != GT_OK && (!out->msg[0] || gt_utf8_check(out->msg, strlen(out->msg)) != GT_CSV_OK))
		fuzz_fail("%s: the import's message is empty or not UTF-8: %s", who, out->msg);
	if (errors.n != r->invalid)
		fuzz_fail("%s: invalid %ld, messages %ld", who, r->invalid, errors.n);
	/* The reject file: made when there were invalid rows and the import
	 * succeeded; a header and one record a row. */
	bool want_reject = skip && out->rc == GT_OK && r->invalid > 0;
	if (want_reject != (out->reject != NULL))
		fuzz_fail("%s: the reject file %s (rc %d, %ld invalid)", who, out->reject ? "exists" : "is missing", out->rc,
		    r->invalid);
	if (out->rc == GT_OK) {
		if (!skip && r->invalid)
			fuzz_fail("%s: an import with %ld invalid rows succeeded", who, r->invalid);
		fuzz_import_sound(db, who, cases_before, audit_before, r);
	} else {
		if (r->inserted || r->updated)
			fuzz_fail("%s: a failed import reports %ld inserted, %ld updated", who, r->inserted, r->updated);
		same_text(before, out->rows, "a failed import changed the rows: before and after");
	}
	char buf[64];
	if (strcmp(fuzz_one_text(db, "PRAGMA journal_mode", buf, sizeof buf), "wal") != 0)
		fuzz_fail("%s: journal_mode %s after the import", who, buf);
	if (fuzz_one_int(db, "PRAGMA foreign_keys") != 1)
		fuzz_fail("%s: the foreign keys are off after the import", who);
	check_dir(k, "after the import");
}

/* The two imports must agree; the bulk path must have been taken where it
 * applies (the store was empty: bulk_into). */
static void compare(const struct outcome *b, const struct outcome *r, bool bulk_into, size_t side, size_t run,
		    sqlite3 *db)
{
	if (b->rc != r->rc)
		fuzz_fail("the result differs: bulk %d (%s), row by row %d (%s)", b->rc, b->msg, r->rc, r->msg);
	same_text(b->msg, r->msg, "the messages: bulk and row by row");
	const struct gt_import_result *x = &b->res, *y = &r->res;
	if (x->rows != y->rows || x->inserted != y->inserted || x->updated != y->updated ||
	    x->unchanged != y->unchanged || x->invalid != y->invalid || x->refused != y->refused ||
	    x->not_utf8 != y->not_utf8 || x->same_as != y->same_as)
		fuzz_fail("the counts differ: bulk %ld rows %ld/%ld/%ld/%ld/%ld %d %lld, row by row %ld rows "
		    "%ld/%ld/%ld/%ld/%ld %d %lld (inserted/updated/unchanged/invalid/refused not_utf8 same_as)",
		    x->rows, x->inserted, x->updated, x->unchanged, x->invalid, x->refused, x->not_utf8,
		    (long long)x->same_as, y->rows, y->inserted, y->updated, y->unchanged, y->invalid, y->refused,
		    y->not_utf8, (long long)y->same_as);
	same_text(b->errors ? b->errors : "", r->errors ? r->errors : "", "the invalid rows' messages: bulk and row by row");
	if (b->reject_len != r->reject_len || (b->reject_len && memcmp(b->reject, r->reject, b->reject_len) != 0))
		fuzz_fail("the reject files differ: bulk %zu bytes, row by row %zu", b->reject_len, r->reject_len);
	same_text(b->rows, r->rows, "the stored rows: bulk and row by row");
	if (r->seen.side_copies || r->seen.batches)
		fuzz_fail("the row-by-row import took the bulk path (%d copies, %d batches)", r->seen.side_copies,
		    r->seen.batches);
	if (!bulk_into || b->rc != GT_OK || x->inserted == 0)
		return;
	stats.bulk_new++;
	if (!b->seen.side_copies)
		fuzz_fail("a bulk import of %ld new cases into an empty file store did not copy the evaluations from the "
		    "second thread's database: the threaded path was not taken", x->inserted);
	if (!b->seen.batches)
		fuzz_fail("a bulk import of %ld new cases wrote none by a batch", x->inserted);
	stats.side_copied++;
	stats.batches_many += b->seen.batches > 1;
	stats.handed_during += fuzz_one_int(db, "SELECT count(*) FROM evaluations") > (int64_t)side;
	stats.terms_over_run += fuzz_one_int(db, "SELECT count(*) FROM case_terms") > (int64_t)run;
}

/* ---- the input: the sizes it chooses, its rows repeated */

struct config {
	size_t batch, side, run, numbers; /* the knobs' values (0: the program's) */
	int copies;              /* of the rows, the input's own included */
};

static struct config config_of(const uint8_t *data, size_t size)
{
	static const size_t batch[] = { 1, 2, 3, 5, 16, 0 }, side[] = { 1, 2, 4, 9, 32, 0 },
			    run[] = { 1, 400, 1500, 0 }, numbers[] = { 8, 16, 64, 0 };
	static const int copies[] = { 1, 1, 2, 3, 4, 6, 9 };
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 0x100000001b3ull;
	h ^= h >> 29;
	struct config c = {
		.batch = batch[h % 6], .side = side[(h >> 8) % 6], .run = run[(h >> 16) % 4],
		.copies = copies[(h >> 24) % 7], .numbers = numbers[(h >> 32) % 4],
	};
	return c;
}

/* Where an identity number (17 digits and a digit or X) starts at p[i]. */
static bool id_at(const char *p, size_t n, size_t i)
{
	if (i + 18 > n || (i > 0 && p[i - 1] >= '0' && p[i - 1] <= '9'))
		return false;
	for (size_t j = 0; j < 17; j++)
		if (p[i + j] < '0' || p[i + j] > '9')
			return false;
	char c = p[i + 17];
	if (!((c >= '0' && c <= '9') || c == 'X' || c == 'x'))
		return false;
	return i + 18 == n || p[i + 18] < '0' || p[i + 18] > '9';
}

/* The identity number at id, its sequence (digits 15-17) moved by shift,
 * with its check character made again if it was right. */
static void id_shift(char *id, int shift)
{
	bool valid = gt_id_check_char(id) == (id[17] == 'x' ? 'X' : id[17]);
	int seq = (id[14] - '0') * 100 + (id[15] - '0') * 10 + (id[16] - '0');
	seq = (seq + shift) % 1000;
	id[14] = (char)('0' + seq / 100);
	id[15] = (char)('0' + seq / 10 % 10);
	id[16] = (char)('0' + seq % 10);
	if (valid)
		id[17] = gt_id_check_char(id);
}

/* The input, its rows (what follows the first line) repeated: copy r (1,
 * 2, ...) of them has, by r % 3, 1: every identity number's sequence moved
 * (new people, the same data); 2: the numbers of copy r - 1, each moved to
 * the next occurrence (those people with another row's data: updates,
 * renames, a known person in another region and direction); 0: the rows
 * as they are (the same people, the same data, again). */
static char *expand(const uint8_t *data, size_t size, int copies, size_t *len)
{
	const char *p = (const char *)data;
	const char *nl = memchr(p, '\n', size);
	size_t head = nl ? (size_t)(nl - p) + 1 : size, nbody = size - head;
	bool end_nl = nbody && p[size - 1] == '\n';
	size_t cap = size + (size_t)(copies - 1) * (nbody + 1) + 1;
	char *out = malloc(cap);
	if (!out)
		abort();
	memcpy(out, p, size);
	*len = size;
	if (!nbody || copies < 2)
		return out;
	/* The identity numbers of the rows, where they are. */
	size_t nids = 0, *at = malloc((nbody / 18 + 1) * sizeof *at);
	if (!at)
		abort();
	for (size_t i = 0; i + 18 <= nbody; i++)
		if (id_at(p + head, nbody, i)) {
			at[nids++] = i;
			i += 17;
		}
	for (int r = 1; r < copies; r++) {
		if (!end_nl && out[*len - 1] != '\n')
			out[(*len)++] = '\n';
		char *body = out + *len;
		memcpy(body, p + head, nbody);
		*len += nbody;
		if (r % 3 == 0 || !nids)
			continue;
		char (*ids)[18] = malloc(nids * sizeof *ids);
		if (!ids)
			abort();
		for (size_t j = 0; j < nids; j++) {
			memcpy(ids[j], p + head + at[j], 18);
			id_shift(ids[j], r % 3 == 1 ? 389 * r : 389 * (r - 1));
		}
		for (size_t j = 0; j < nids; j++)
			memcpy(body + at[j], ids[r % 3 == 1 ? j : (j + 1) % nids], 18);
		free(ids);
	}
	free(at);
	return out;
}

/* ---- one input */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dir[0]) {
		init();
		atexit(print_stats);
	}
	stats.executions++;
	struct config cf = config_of(data, size);
	gt_case_batch_size(cf.batch);
	gt_keys_side_size(cf.side);
	gt_keys_run_size(cf.run);
	gt_keys_side_numbers(cf.numbers);
	size_t len;
	char *text = expand(data, size, cf.copies, &len);
	write_file(input_path, text, len);
	free(text);

	gt_store *st[NSTORES];
	for (int k = 0; k < NSTORES; k++) {
		write_file(path[k], pristine, pristine_len);
		st[k] = open_store(k);
	}
	sqlite3 *db = gt_store_db(st[BULK]);
	struct outcome o[NSTORES];
	size_t side = cf.side ? cf.side : 2048, run = cf.run ? cf.run < GT_TERMS_MAX ? GT_TERMS_MAX : cf.run : 1 << 18;

	/* 1. All or nothing. */
	for (int k = 0; k < NSTORES; k++)
		import(k, st[k], false, pristine_rows, &o[k]);
	compare(&o[BULK], &o[ROWS], true, side, run, db);
	bool skip = false;
	if (o[BULK].rc != GT_OK) {
		stats.failed_same++;
		/* 2. The valid rows, the invalid ones to the reject file. */
		skip = true;
		stats.skipped++;
		for (int k = 0; k < NSTORES; k++) {
			outcome_free(&o[k]);
			import(k, st[k], true, pristine_rows, &o[k]);
		}
		compare(&o[BULK], &o[ROWS], true, side, run, db);
		if (o[BULK].rc == GT_OK && o[BULK].res.invalid == 0)
			fuzz_fail("a file refused for its invalid rows has none with skip_invalid");
	}
	/* 3. The same file again, into what that left (when it was refused
	 * even so, the stores are as they were: nothing new to try). */
	if (o[BULK].rc != GT_OK) {
		for (int k = 0; k < NSTORES; k++)
			outcome_free(&o[k]);
		goto end;
	}
	bool into_empty = o[BULK].res.inserted == 0 && fuzz_one_int(db, "SELECT count(*) FROM cases") == 0;
	char *before[NSTORES];
	for (int k = 0; k < NSTORES; k++) {
		before[k] = o[k].rows;
		o[k].rows = NULL;
		outcome_free(&o[k]);
	}
	for (int k = 0; k < NSTORES; k++)
		import(k, st[k], skip, before[k], &o[k]);
	stats.repeated++;
	compare(&o[BULK], &o[ROWS], into_empty, side, run, db);
	for (int k = 0; k < NSTORES; k++) {
		free(before[k]);
		outcome_free(&o[k]);
	}
end:
	for (int k = 0; k < NSTORES; k++) {
		gt_store_close(st[k]);
		check_dir(k, "after the store was closed");
		char d[128];
		snprintf(d, sizeof d, "%s/%s", dir, store_name[k]);
		empty_dir(d, false);
	}
	unlink(input_path);
	return 0;
}
