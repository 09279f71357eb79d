/* Unit tests of the case store (store/): real SQLite files in a temporary
 * directory, several simulated users (gt_store_open_as), real child processes
 * for the lost-update test. No mocks.
 *
 * Suites: open (new file, refusals), migrate, audit, roles, transitions,
 * concurrency, import, cells (gt_cell_neutralise / gt_cell_restore), backup. */
#define _GNU_SOURCE /* fmemopen, open_memstream, mkdtemp, nftw */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gt_codes.h"
#include "gt_csv.h"
#include "gt_date.h"
#include "gt_store.h"
#include "gt_store_int.h" /* gt_keys_run_size */
#include "gt_time.h"

/* ================= helpers ================= */

static char dir[256];   /* this test's temporary directory */
static char dbpath[512]; /* dir/cases.db */
static char err[1024];

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb, (void)flag, (void)f;
	return remove(p);
}

static void make_dir(void)
{
	snprintf(dir, sizeof dir, "%s/gt-store-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	cr_assert_not_null(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	snprintf(dbpath, sizeof dbpath, "%s/cases.db", dir);
}

static void remove_dir(void)
{
	if (dir[0])
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	dir[0] = '\0';
}

static void path_in(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", dir, name);
}

static gt_store *open_as(const char *path, const char *actor)
{
	gt_store *st = NULL;
	err[0] = '\0';
	int rc = gt_store_open_as(&st, path, GT_OPEN_CREATE, actor, err, sizeof err);
	cr_assert_eq(rc, GT_OK, "open %s as %s: rc %d: %s", path, actor, rc, err);
	cr_assert_not_null(st);
	return st;
}

/* A plain SQLite connection, for looking at the file the way an outsider does. */
static sqlite3 *raw_open(const char *path)
{
	sqlite3 *db = NULL;
	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), SQLITE_OK,
		     "sqlite3_open %s", path);
	sqlite3_busy_timeout(db, 10000);
	return db;
}

static void raw_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	cr_assert_eq(rc, SQLITE_OK, "%s: %s", sql, msg ? msg : "");
	sqlite3_free(msg);
}

static long long q_int(sqlite3 *db, const char *fmt, ...)
{
	char sql[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	sqlite3_stmt *s = NULL;
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
	int step = sqlite3_step(s);
	cr_assert_eq(step, SQLITE_ROW, "%s: no row (%s)", sql, sqlite3_errmsg(db));
	long long v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* The first column of the first row as text ("" for NULL), in a static buffer. */
static const char *q_text(sqlite3 *db, const char *fmt, ...)
{
	static char buf[4][4096];
	static int k;
	char sql[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	sqlite3_stmt *s = NULL;
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_step(s), SQLITE_ROW, "%s: no row", sql);
	char *out = buf[k++ % 4];
	const unsigned char *t = sqlite3_column_text(s, 0);
	snprintf(out, sizeof buf[0], "%s", t ? (const char *)t : "");
	sqlite3_finalize(s);
	return out;
}

/* "table=count;..." over every table of the file, by name. */
static void table_counts(sqlite3 *db, char *out, size_t size)
{
	sqlite3_stmt *s = NULL;
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name",
					-1, &s, NULL), SQLITE_OK);
	size_t len = 0;
	out[0] = '\0';
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(s, 0);
		long long n = q_int(db, "SELECT count(*) FROM \"%s\"", name);
		len += (size_t)snprintf(out + len, size - len, "%s=%lld;", name, n);
		cr_assert_lt(len, size);
	}
	sqlite3_finalize(s);
}

static char *read_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *p = malloc((size_t)len + 1);
	cr_assert_not_null(p);
	cr_assert_eq(fread(p, 1, (size_t)len, f), (size_t)len);
	p[len] = '\0';
	fclose(f);
	*n = (size_t)len;
	return p;
}

static bool file_exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

static bool contains(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

/* A valid resident identity number: 110105, the birth date 19YY-MM-DD made
 * from k, a sequence number from k, and the GB 11643 check character. */
static void make_id(int k, char out[19])
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	static const char check[] = "10X98765432";
	char buf[64];
	snprintf(buf, sizeof buf, "110105%04d%02d%02d%03d", 1960 + k % 40, k / 40 % 12 + 1, k / 480 % 28 + 1,
		 k / 13440 % 1000);
	memcpy(out, buf, 17);
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (out[i] - '0') * w[i];
	out[17] = check[sum % 11];
	out[18] = '\0';
}

/* The columns of the test rows. */
static const char HDR[] = "case_ref,name,id_number,region,direction,series,skill_level,skill_date,"
			  "title_level,appraisals_passed,evidence,application_date\n";

/* One valid data row (a Chongqing technician, eligible for 中级 by years). */
static void row_k(char *buf, size_t size, int k, const char *name, int appraisals)
{
	char id[19];
	make_id(k, id);
	snprintf(buf, size, "R%d,%s,%s,chongqing,skill_to_title,engineering,technician,2021-06-30,none,%d,"
		 "id_card;skill_certificate;work_record;appraisal_records,2024-06-30\n",
		 k, name, id, appraisals);
}

/* A CSV of n rows numbered from k0; with bad_every > 0, every bad_every-th
 * row has appraisals out of range (7), the others are valid. */
static char *csv_rows_mixed(int k0, int n, int appraisals, int bad_every)
{
	size_t size = sizeof HDR + (size_t)n * 256;
	char *p = malloc(size);
	cr_assert_not_null(p);
	size_t len = (size_t)snprintf(p, size, "%s", HDR);
	for (int k = k0; k < k0 + n; k++) {
		char name[32];
		snprintf(name, sizeof name, "张伟%d", k);
		bool bad = bad_every > 0 && (k - k0 + 1) % bad_every == 0;
		row_k(p + len, size - len, k, name, bad ? 7 : appraisals);
		len += strlen(p + len);
	}
	return p;
}

/* A CSV of n valid rows, numbered from k0. */
static char *csv_rows(int k0, int n, int appraisals)
{
	return csv_rows_mixed(k0, n, appraisals, 0);
}

/* Collects on_error messages. */
struct errs {
	int n;
	char msg[16][512];
};

static void collect(const char *msg, void *arg)
{
	struct errs *e = arg;
	if (e->n < 16)
		snprintf(e->msg[e->n], sizeof e->msg[0], "%s", msg);
	e->n++;
}

static int import_text(gt_store *st, const char *csv, struct gt_import_opts *o, struct gt_import_result *res)
{
	FILE *f = fmemopen((void *)csv, strlen(csv), "r");
	cr_assert_not_null(f);
	int rc = gt_store_import(st, f, "test.csv", o, res);
	fclose(f);
	return rc;
}

/* Imports csv with skip_invalid: the problems in *e, the reject file in
 * *rej (to be freed). */
static int import_skipping(gt_store *st, const char *csv, struct errs *e, char **rej,
			   struct gt_import_result *res)
{
	size_t rejn = 0;
	*rej = NULL;
	FILE *rf = open_memstream(rej, &rejn);
	cr_assert_not_null(rf);
	struct gt_import_opts o = { .skip_invalid = true, .reject = rf, .as_of = GT_DATE_NONE,
				    .on_error = collect, .arg = e };
	int rc = import_text(st, csv, &o, res);
	fclose(rf);
	return rc;
}

/* Imports csv, which must succeed. */
static struct gt_import_result import_ok(gt_store *st, const char *csv)
{
	struct gt_import_opts o = { .as_of = GT_DATE_NONE };
	struct gt_import_result res;
	int rc = import_text(st, csv, &o, &res);
	cr_assert_eq(rc, GT_OK, "import: rc %d: %s", rc, gt_store_errmsg(st));
	return res;
}

/* Parses one data row of HDR's columns into c. */
static void parse_row(const char *line, struct gt_case *c)
{
	char text[1024];
	snprintf(text, sizeof text, "%s%s", HDR, line);
	gt_csv *r = gt_csv_new_mem(text, strlen(text));
	static struct gt_csv_record rec;
	struct gt_header h;
	char msg[256];
	cr_assert_eq(gt_csv_next(r, &rec), 1);
	cr_assert_eq(gt_header_parse(&h, rec.fields, rec.nfields, NULL, 0, msg, sizeof msg), 0, "%s", msg);
	cr_assert_eq(gt_csv_next(r, &rec), 1);
	struct gt_row_error e;
	cr_assert_eq(gt_case_parse(c, &h, rec.fields, rec.nfields, GT_DATE_NONE, &e), 0, "%s", e.msg);
	gt_csv_free(&r);
}

/* Saves a new case (row k) as st's user; returns its number. */
static int64_t new_case(gt_store *st, int k)
{
	char line[512], name[32];
	snprintf(name, sizeof name, "李娜%d", k);
	row_k(line, sizeof line, k, name, 3);
	struct gt_case_row *row = calloc(1, sizeof *row);
	cr_assert_not_null(row);
	parse_row(line, &row->c);
	row->status = GT_ST_SUBMITTED;
	int rc = gt_store_save(st, row);
	cr_assert_eq(rc, GT_OK, "save: %s", gt_store_errmsg(st));
	int64_t id = row->id;
	cr_assert_gt(id, 0);
	cr_assert_eq(row->version, 1);
	free(row);
	return id;
}

static int64_t case_version(gt_store *st, int64_t id)
{
	return q_int(gt_store_db(st), "SELECT version FROM cases WHERE id = %lld", (long long)id);
}

static const char *case_status(gt_store *st, int64_t id)
{
	return q_text(gt_store_db(st), "SELECT status FROM cases WHERE id = %lld", (long long)id);
}

/* A new database made by admin "ann", with clerk "carl", reviewers "rita"
 * and "rob", and a second admin "abe". */
static gt_store *admin;

static void setup_users(void)
{
	make_dir();
	admin = open_as(dbpath, "ann");
	cr_assert_eq(gt_store_user_set(admin, "carl", GT_USER_CLERK, "Carl"), GT_OK, "%s", gt_store_errmsg(admin));
	cr_assert_eq(gt_store_user_set(admin, "rita", GT_USER_REVIEWER, NULL), GT_OK, "%s", gt_store_errmsg(admin));
	cr_assert_eq(gt_store_user_set(admin, "rob", GT_USER_REVIEWER, NULL), GT_OK, "%s", gt_store_errmsg(admin));
}

static void teardown_users(void)
{
	gt_store_close(admin);
	admin = NULL;
	remove_dir();
}

/* ================= open: a new file ================= */

TestSuite(open, .init = make_dir, .fini = remove_dir, .timeout = 30);

Test(open, new_file_mode_wal_foreign_keys_version_admin)
{
	/* Whatever the umask, the file is born 0600 and its new directories 0700. */
	mode_t old = umask(0);
	char path[600], sub[600];
	path_in(sub, sizeof sub, "a/b");
	path_in(path, sizeof path, "a/b/cases.db");
	gt_store *st = open_as(path, "ann");
	umask(old);

	struct stat sb;
	cr_assert_eq(stat(path, &sb), 0);
	cr_expect_eq(sb.st_mode & 07777, 0600, "file mode %o, expected 0600", sb.st_mode & 07777);
	cr_assert_eq(stat(sub, &sb), 0);
	cr_expect_eq(sb.st_mode & 07777, 0700, "directory mode %o, expected 0700", sb.st_mode & 07777);

	sqlite3 *db = gt_store_db(st);
	cr_expect_str_eq(q_text(db, "PRAGMA journal_mode"), "wal");
	cr_expect_eq(q_int(db, "PRAGMA foreign_keys"), 1);
	cr_expect_eq(q_int(db, "PRAGMA synchronous"), 2, "synchronous = FULL");
	cr_expect_eq(q_int(db, "PRAGMA user_version"), GT_SCHEMA_VERSION);
	cr_expect_eq(q_int(db, "PRAGMA page_size"), GT_PAGE_SIZE);
	cr_expect_eq(gt_store_role(st), GT_USER_ADMIN, "the creator is admin");
	cr_expect_str_eq(gt_store_actor(st), "ann");
	cr_expect_str_eq(q_text(db, "SELECT role FROM users WHERE login = 'ann'"), "admin");
	cr_expect_eq(q_int(db, "SELECT count(*) FROM users"), 1);
	cr_expect_str_eq(q_text(db, "SELECT value FROM meta WHERE key = 'created_by'"), "ann");
	cr_expect_eq(q_int(db, "SELECT count(*) FROM audit WHERE action = 'user.create' AND entity_id = 'ann' "
			       "AND json_extract(after, '$.role') = 'admin'"), 1);
	gt_store_close(st);

	/* Seen from outside: WAL is the file's mode, the version is in the header. */
	sqlite3 *raw = raw_open(path);
	cr_expect_str_eq(q_text(raw, "PRAGMA journal_mode"), "wal");
	cr_expect_eq(q_int(raw, "PRAGMA user_version"), GT_SCHEMA_VERSION);
	cr_expect_str_eq(q_text(raw, "PRAGMA integrity_check"), "ok");
	sqlite3_close(raw);

	/* A second user opening the file is not made anything. */
	st = open_as(path, "bob");
	cr_expect_eq(gt_store_role(st), GT_USER_NONE);
	cr_expect_eq(q_int(gt_store_db(st), "SELECT count(*) FROM users"), 1);
	gt_store_close(st);
}

/* cases.evidence is a set of bits: the file names each bit's code, and
 * that is the program's code list (guantong-csv(5)), bit k for code k. */
Test(open, evidence_bits_are_the_programs_codes)
{
	char path[600];
	path_in(path, sizeof path, "bits.db");
	gt_store *st = open_as(path, "ann");
	sqlite3 *db = gt_store_db(st);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM evidence_codes"), GT_EV_COUNT);
	for (int k = 0; k < GT_EV_COUNT; k++)
		cr_expect_str_eq(q_text(db, "SELECT code FROM evidence_codes WHERE bit = %d", k),
				 gt_code_of(&gt_evidence_codes, k), "bit %d", k);
	gt_store_close(st);
}

Test(open, gt_store_open_uses_the_os_login)
{
	gt_store *st = NULL;
	int rc = gt_store_open(&st, dbpath, GT_OPEN_CREATE, err, sizeof err);
	cr_assert_eq(rc, GT_OK, "%s", err);
	cr_expect_str_neq(gt_store_actor(st), "");
	cr_expect_eq(gt_store_role(st), GT_USER_ADMIN);
	gt_store_close(st);
}

Test(open, missing_file_without_create_or_readonly)
{
	gt_store *st = (gt_store *)1;
	cr_expect_eq(gt_store_open_as(&st, dbpath, 0, "ann", err, sizeof err), GT_ERR);
	cr_expect_null(st);
	cr_expect(contains(err, "No such file"), "%s", err);
	cr_expect_eq(gt_store_open_as(&st, dbpath, GT_OPEN_READONLY | GT_OPEN_CREATE, "ann", err, sizeof err),
		     GT_ERR);
	cr_expect(!file_exists(dbpath), "nothing was created");
}

/* ================= open: files that are refused ================= */

/* A file in rollback-journal mode, as another program would leave it. */
static void write_foreign_sqlite(const char *path, int user_version)
{
	sqlite3 *db = raw_open(path);
	raw_exec(db, "CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('precious')");
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", user_version);
	raw_exec(db, sql);
	sqlite3_close(db);
}

static void expect_untouched(const char *path, const char *before, size_t n)
{
	size_t m;
	char *after = read_file(path, &m);
	cr_expect_eq(m, n, "the file's size changed: %zu -> %zu", n, m);
	cr_expect(m == n && memcmp(before, after, n) == 0, "the file's bytes changed");
	free(after);
	char side[600];
	snprintf(side, sizeof side, "%s-wal", path);
	cr_expect(!file_exists(side), "a -wal file was left beside it");
	snprintf(side, sizeof side, "%s-journal", path);
	cr_expect(!file_exists(side), "a -journal file was left beside it");
}

Test(open, newer_schema_refused_and_file_unchanged)
{
	/* A guantong file of a newer program: made by this one, then marked 99. */
	gt_store *st = open_as(dbpath, "ann");
	new_case(st, 1);
	gt_store_close(st);
	sqlite3 *db = raw_open(dbpath);
	raw_exec(db, "PRAGMA user_version = 99");
	sqlite3_close(db);

	size_t n;
	char *before = read_file(dbpath, &n);
	st = (gt_store *)1;
	int rc = gt_store_open_as(&st, dbpath, GT_OPEN_CREATE, "ann", err, sizeof err);
	cr_expect_eq(rc, GT_ERR_NEWER, "rc %d: %s", rc, err);
	cr_expect_null(st);
	cr_expect(contains(err, "99"), "the message names the file's version: %s", err);
	char mine[16];
	snprintf(mine, sizeof mine, "up to %d", GT_SCHEMA_VERSION);
	cr_expect(contains(err, mine), "the message names this program's version: %s", err);
	cr_expect(contains(err, dbpath), "the message names the file: %s", err);
	expect_untouched(dbpath, before, n);
	free(before);

	/* Read-only is refused the same way. */
	rc = gt_store_open_as(&st, dbpath, GT_OPEN_READONLY, "ann", err, sizeof err);
	cr_expect_eq(rc, GT_ERR_NEWER, "read-only: rc %d: %s", rc, err);
}

Test(open, newer_schema_in_rollback_journal_mode_unchanged)
{
	/* The same with a file that is not in WAL mode: opening it must not
	 * switch its journal mode (a change to the file) before refusing it. */
	write_foreign_sqlite(dbpath, 99);
	size_t n;
	char *before = read_file(dbpath, &n);
	gt_store *st;
	int rc = gt_store_open_as(&st, dbpath, GT_OPEN_CREATE, "ann", err, sizeof err);
	cr_expect_eq(rc, GT_ERR_NEWER, "rc %d: %s", rc, err);
	expect_untouched(dbpath, before, n);
	free(before);
}

Test(open, random_bytes_not_a_database)
{
	unsigned char junk[8192];
	unsigned x = 12345;
	for (size_t i = 0; i < sizeof junk; i++) {
		x = x * 1103515245u + 12345u;
		junk[i] = (unsigned char)(x >> 16);
	}
	FILE *f = fopen(dbpath, "wb");
	cr_assert_not_null(f);
	fwrite(junk, 1, sizeof junk, f);
	fclose(f);
	gt_store *st = (gt_store *)1;
	int rc = gt_store_open_as(&st, dbpath, GT_OPEN_CREATE, "ann", err, sizeof err);
	cr_expect_eq(rc, GT_ERR_NOT_DB, "rc %d: %s", rc, err);
	cr_expect_null(st);
	cr_expect(contains(err, "not"), "%s", err);
	expect_untouched(dbpath, (const char *)junk, sizeof junk);

	/* A text file too. */
	f = fopen(dbpath, "wb");
	fputs("case_ref,name\nA1,张三\n", f);
	fclose(f);
	rc = gt_store_open_as(&st, dbpath, GT_OPEN_CREATE, "ann", err, sizeof err);
	cr_expect_eq(rc, GT_ERR_NOT_DB, "text file: rc %d: %s", rc, err);
}

Test(open, other_sqlite_file_refused_and_untouched)
{
	write_foreign_sqlite(dbpath, 0);
	size_t n;
	char *before = read_file(dbpath, &n);
	gt_store *st = (gt_store *)1;
	int rc = gt_store_open_as(&st, dbpath, GT_OPEN_CREATE, "ann", err, sizeof err);
	cr_expect_eq(rc, GT_ERR_NOT_DB, "rc %d: %s", rc, err);
	cr_expect_null(st);
	cr_expect(contains(err, "not a guantong database"), "%s", err);
	expect_untouched(dbpath, before, n);
	free(before);
	sqlite3 *db = raw_open(dbpath);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM sqlite_schema"), 1, "no table was added");
	cr_expect_str_eq(q_text(db, "SELECT x FROM t"), "precious");
	sqlite3_close(db);
}

Test(open, directory_refused)
{
	gt_store *st;
	cr_expect_eq(gt_store_open_as(&st, dir, GT_OPEN_CREATE, "ann", err, sizeof err), GT_ERR);
	cr_expect(contains(err, "directory"), "%s", err);
}

/* ================= migrate ================= */

TestSuite(migrate, .init = make_dir, .fini = remove_dir, .timeout = 30);

/* A version-1 file built from tests/data/schema-v1.sql, with one user, one
 * applicant, one case, its evaluation and its audit row. */
static void write_v1(const char *path)
{
	size_t n;
	char *schema = read_file(GT_SOURCE_DIR "/tests/data/schema-v1.sql", &n);
	sqlite3 *db = raw_open(path);
	raw_exec(db, "BEGIN");
	raw_exec(db, schema);
	free(schema);
	raw_exec(db, "PRAGMA user_version = 1");
	raw_exec(db,
		 "INSERT INTO meta VALUES ('created_at', '2024-01-02 09:00:00+08:00'), ('created_by', 'alice');"
		 "INSERT INTO users (login, role, display_name, created_at, created_by) VALUES "
		 "  ('alice', 'admin', 'Alice', '2024-01-02 09:00:00+08:00', 'alice'),"
		 "  ('rita', 'reviewer', '', '2024-01-02 09:00:00+08:00', 'alice');"
		 "INSERT INTO applicants (id, id_number, name, birth_date) VALUES "
		 "  (1, '11010519491231002X', '张伟', '1949-12-31');"
		 "INSERT INTO cases (id, applicant_id, case_ref, region, direction, series, skill_level, "
		 "  skill_date, title_level, appraisals_passed, application_date, evidence, status, version, "
		 "  created_at, created_by, updated_at, updated_by, outcome, target, eval_id) VALUES "
		 "  (1, 1, 'A1', 'chongqing', 'skill_to_title', 'engineering', 'technician', '2021-06-30', "
		 "   'none', 3, '2024-06-30', 'id_card;skill_certificate;work_record;appraisal_records', "
		 "   'submitted', 1, '2024-07-01 10:00:00+08:00', 'alice', '2024-07-01 10:00:00+08:00', "
		 "   'alice', 'eligible', 'intermediate', 1);"
		 "INSERT INTO evaluations (id, case_id, case_version, ruleset, as_of, evaluated_at, "
		 "  evaluated_by, outcome, target, route, basis, unmet, missing_evidence, theory_exempt, "
		 "  citation, message, paths) VALUES (1, 1, 1, '2024.1.0', '2024-06-30', "
		 "  '2024-07-01 10:00:00+08:00', 'alice', 'eligible', 'intermediate', 'regular', '', '', '', 0, "
		 "  '渝人社发〔2021〕55号 二（一）2', 'v1 message', 'CQ-S2T-2=eligible');"
		 "INSERT INTO audit (at, actor, action, entity, entity_id, before, after) VALUES "
		 "  ('2024-07-01 10:00:00+08:00', 'alice', 'case.import', 'case', '1', NULL, "
		 "   '{\"name\":\"张伟\"}');"
		 /* An earlier decision on the case (returned, then resubmitted). */
		 "INSERT INTO decisions (id, case_id, case_version, eval_id, action, decided_by, decided_at, note, "
		 "  snapshot) VALUES (1, 1, 1, 1, 'return', 'alice', '2024-07-01 11:00:00+08:00', 'v1 note', 'v1 snapshot');");
	raw_exec(db, "COMMIT");
	sqlite3_close(db);
}

/* Each schema object as "type name: sql" with comments dropped and white
 * space normalised, sorted: the shape of the file whatever the order the
 * objects were created in. */
static char *schema_of(const char *path)
{
	sqlite3 *db = raw_open(path);
	sqlite3_stmt *s = NULL;
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, sql FROM sqlite_schema "
					"ORDER BY type, name", -1, &s, NULL), SQLITE_OK);
	size_t size = 1 << 16, len = 0;
	char *out = malloc(size);
	cr_assert_not_null(out);
	out[0] = '\0';
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *sql = (const char *)sqlite3_column_text(s, 3);
		len += (size_t)snprintf(out + len, size - len, "%s %s on %s: ", sqlite3_column_text(s, 0),
					sqlite3_column_text(s, 1), sqlite3_column_text(s, 2));
		bool space = false;
		for (const char *p = sql ? sql : ""; *p; p++) {
			if (p[0] == '-' && p[1] == '-') {
				while (*p && *p != '\n')
					p++;
				space = true;
				if (!*p)
					break;
				continue;
			}
			if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
				space = true;
				continue;
			}
			bool punct = strchr("(),", *p) != NULL;
			char prev = len ? out[len - 1] : ' ';
			if (space && !punct && prev != '(' && prev != ',' && prev != ' ')
				out[len++] = ' ';
			space = false;
			out[len++] = *p;
			cr_assert_lt(len + 2, size);
		}
		out[len++] = '\n';
		out[len] = '\0';
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	return out;
}

Test(migrate, v1_to_current_keeps_data_and_matches_a_new_file)
{
	write_v1(dbpath);
	gt_store *st = open_as(dbpath, "alice");
	sqlite3 *db = gt_store_db(st);
	cr_expect_eq(q_int(db, "PRAGMA user_version"), GT_SCHEMA_VERSION);
	cr_expect_eq(gt_store_role(st), GT_USER_ADMIN);

	/* What version 2 adds (and version 12 takes away again: applicants_name,
	 * which nothing reads). */
	cr_expect_eq(q_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'drafts'"), 1);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'applicants_name'"),
		     0);
	/* The data, intact. */
	cr_expect_eq(q_int(db, "SELECT count(*) FROM users"), 2);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM cases"), 1);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM evaluations"), 1);
	cr_expect_str_eq(q_text(db, "SELECT value FROM meta WHERE key = 'created_by'"), "alice");
	struct gt_case_row row;
	cr_assert_eq(gt_store_get(st, 1, &row), GT_OK, "%s", gt_store_errmsg(st));
	cr_expect_str_eq(row.c.name, "张伟");
	cr_expect_str_eq(row.c.id_number, "11010519491231002X");
	cr_expect_str_eq(row.c.case_ref, "A1");
	cr_expect_eq(row.version, 1);
	/* Version 6: the verified documents as bits, the rule set by its id. */
	cr_expect_eq(row.c.evidence, (1u << GT_EV_ID_CARD) | (1u << GT_EV_SKILL_CERTIFICATE) |
				     (1u << GT_EV_WORK_RECORD) | (1u << GT_EV_APPRAISAL_RECORDS));
	cr_expect_str_eq(q_text(db, "SELECT evidence FROM case_evidence WHERE case_id = 1"),
			 "id_card;skill_certificate;work_record;appraisal_records");
	cr_expect_str_eq(q_text(db, "SELECT ruleset FROM evaluation_rulesets WHERE eval_id = 1"), "2024.1.0");
	/* Version 13: the input codes and dates as numbers, the view gives
	 * them as written. */
	cr_expect_str_eq(q_text(db, "SELECT typeof(series) || typeof(skill_level) || typeof(title_level) || "
				"typeof(tech_school_class) || typeof(skill_date) || typeof(title_date) || "
				"typeof(application_date) FROM cases WHERE id = 1"),
			 "integerintegerintegerintegerintegernullinteger");
	cr_expect_str_eq(q_text(db, "SELECT series || ' ' || skill_level || ' ' || skill_date || ' ' || title_level || "
				"' ' || tech_school_class || ' ' || application_date FROM case_inputs WHERE case_id = 1"),
			 "engineering technician 2021-06-30 none none 2024-06-30");
	cr_expect_eq(row.c.skill, GT_SKILL_TECHNICIAN);
	cr_expect_eq(row.c.skill_date, gt_date_from_ymd(2021, 6, 30));
	cr_expect_eq(row.c.application_date, gt_date_from_ymd(2024, 6, 30));
	cr_expect_eq(q_int(db, "SELECT birth_date FROM applicants WHERE id = 1 AND typeof(birth_date) = 'integer'"),
		     gt_date_from_ymd(1949, 12, 31));
	struct gt_stored_eval ev13;
	cr_assert_eq(gt_store_get_eval(st, 1, &ev13), GT_OK, "%s", gt_store_errmsg(st));
	cr_expect_str_eq(ev13.as_of, "2024-06-30");
	cr_expect_str_eq(q_text(db, "SELECT typeof(as_of) FROM evaluations WHERE id = 1"), "integer");
	/* The queue's keys of the existing case, made in C by the migration
	 * (issue 16, items 3 and 4). */
	cr_expect_str_eq(q_text(db, "SELECT pinyin || ' ' || initials FROM case_keys WHERE case_id = 1"), "zhangwei zw");
	cr_expect_eq(q_int(db, "SELECT count(*) FROM case_search_terms WHERE case_id = 1 AND term IN ('伟', 'wei', 'w', 'a1', "
			       "'11010519491231002x', '1')"), 6);
	cr_expect_eq(row.status, GT_ST_SUBMITTED);
	struct gt_stored_eval ev;
	cr_assert_eq(gt_store_get_eval(st, row.eval_id, &ev), GT_OK);
	cr_expect_str_eq(ev.ruleset, "2024.1.0");
	cr_expect_str_eq(ev.col[GT_SUM_MESSAGE], "v1 message");
	/* Version 5: the old evaluation keeps its text, and is read as stored;
	 * the old decision is kept, without the snapshot it never had. */
	cr_expect(ev.has_text);
	cr_expect_str_eq(ev.paths, "CQ-S2T-2=eligible");
	struct gt_answer *ans = malloc(sizeof *ans);
	cr_assert_not_null(ans);
	cr_assert_eq(gt_store_answer(st, &row, ans), GT_OK, "%s", gt_store_errmsg(st));
	cr_expect_eq(ans->source, GT_ANS_STORED);
	cr_expect_str_eq(ans->col[GT_SUM_MESSAGE], "v1 message");
	cr_expect_str_eq(ans->col[GT_SUM_CITATION], "渝人社发〔2021〕55号 二（一）2");
	free(ans);
	cr_expect_str_eq(q_text(db, "SELECT note || ' ' || snapshot || ' ' || (summary IS NULL) FROM decisions WHERE id = 1"),
			 "v1 note v1 snapshot 1");
	cr_expect_eq(q_int(db, "SELECT count(*) FROM audit"), 1 + GT_SCHEMA_VERSION - 1, "the audit rows kept");
	/* What version 3 adds: an index for each sortable column of the queue
	 * (cases_level went again with version 11: the level order is by rank). */
	cr_expect_eq(q_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN "
			       "('cases_region', 'cases_direction', 'cases_assignee')"), 3);
	/* Version 14: the queue's indexes hold the ranks of the status, region,
	 * outcome and direction; the queue reads the migrated case through
	 * them, by its filter's index and walking the region's order. */
	cr_expect_eq(q_int(db, "SELECT count(*) FROM sqlite_schema WHERE name IN ('cases_status', 'cases_region', "
			       "'cases_outcome', 'cases_direction', 'cases_filter') AND instr(sql, 'CASE') > 0"), 5);
	struct gt_queue_filter qf = { .region_mask = 1u << row.c.region, .status_mask = 1u << row.status };
	struct gt_queue_row qr[2];
	int qn = 0;
	for (int few = 0; few < 2; few++) {
		gt_queue_set_few(few ? 1 : 1000);
		cr_assert_eq(gt_queue_fetch(st, &qf, GT_QS_REGION, false, NULL, false, 2, qr, &qn), GT_OK, "%s",
			     gt_store_errmsg(st));
		cr_expect_eq(qn, 1);
		cr_expect_eq(qr[0].id, 1);
	}
	gt_queue_set_few(0);
	/* Version 14 makes cases again: its rows as they were, and one case per
	 * person, region and direction still (cases_person, on the ranks). */
	cr_expect_eq(q_int(db, "SELECT count(*) FROM cases WHERE id = 1 AND applicant_id = 1"), 1);
	cr_expect_eq(sqlite3_exec(db, "INSERT INTO cases (applicant_id, region, direction, outcome, eval_id, created_by, "
				      "updated_by) SELECT applicant_id, region, direction, outcome, eval_id, created_by, "
				      "updated_by FROM cases WHERE id = 1", NULL, NULL, NULL), SQLITE_CONSTRAINT);
	/* Version 15: the identity numbers unique by the index
	 * applicants_id_number, no longer by the table's constraint; the
	 * person's row as it was. */
	cr_expect_eq(q_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'applicants_id_number'"), 1);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM sqlite_schema WHERE tbl_name = 'applicants' "
			       "AND name LIKE 'sqlite_autoindex_%%'"), 0);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM applicants WHERE id = 1 AND length(id_number) = 18"), 1);
	cr_expect_eq(sqlite3_exec(db, "INSERT INTO applicants (id_number, name) SELECT id_number, 'x' FROM applicants "
				      "WHERE id = 1", NULL, NULL, NULL), SQLITE_CONSTRAINT);
	/* Version 11: the collation keys as their bytes, no index of the terms
	 * by case. */
	cr_expect_eq(q_int(db, "SELECT count(*) FROM case_keys WHERE typeof(name_key) <> 'blob'"), 0);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM sqlite_schema WHERE name IN ('case_terms_case', 'cases_level')"),
		     0);
	/* The migration is audited: one row per step, version 1 to 2 to 3. */
	cr_expect_eq(q_int(db, "SELECT count(*) FROM audit WHERE action = 'schema.migrate'"), GT_SCHEMA_VERSION - 1);
	cr_expect_eq(q_int(db, "SELECT json_extract(before, '$.version') FROM audit WHERE action = 'schema.migrate' "
			       "ORDER BY id LIMIT 1"), 1);
	cr_expect_eq(q_int(db, "SELECT json_extract(after, '$.version') FROM audit WHERE action = 'schema.migrate' "
			       "ORDER BY id DESC LIMIT 1"), GT_SCHEMA_VERSION);
	cr_expect_str_eq(q_text(db, "PRAGMA integrity_check"), "ok");
	cr_expect_eq(q_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	/* And it works: the reviewer decides the migrated case. */
	gt_store *rv = open_as(dbpath, "rita");
	cr_expect_eq(gt_store_act(rv, 1, 1, GT_ACT_APPROVE, "ok"), GT_OK, "%s", gt_store_errmsg(rv));
	/* The new decision keeps what rita saw: the stored text, as shown. */
	cr_expect_str_eq(q_text(db, "SELECT ruleset || ' ' || json_extract(summary, '$[8]') || ' ' || "
				"(length(explanation) > 0) FROM decisions WHERE id = 2"), "2024.1.0 v1 message 1");
	gt_store_close(rv);
	gt_store_close(st);

	/* Opening again changes nothing more. */
	st = open_as(dbpath, "alice");
	cr_expect_eq(q_int(gt_store_db(st), "SELECT count(*) FROM audit WHERE action = 'schema.migrate'"),
		     GT_SCHEMA_VERSION - 1);
	gt_store_close(st);

	/* The migrated file has the very shape of a new one. */
	char fresh[600];
	path_in(fresh, sizeof fresh, "fresh.db");
	gt_store_close(open_as(fresh, "ann"));
	char *a = schema_of(dbpath), *b = schema_of(fresh);
	cr_expect_str_eq(a, b, "migrated schema:\n%s\nnew schema:\n%s", a, b);
	free(a);
	free(b);
}

/* Version 13 keeps a value it cannot number as it was: a date that does not
 * read (30 February) and a code no table has stay text, and the case then
 * reports that it does not read back (no crash, nothing guessed). */
Test(migrate, v13_keeps_what_does_not_read_as_text)
{
	write_v1(dbpath);
	sqlite3 *raw = raw_open(dbpath);
	raw_exec(raw, "UPDATE cases SET title_date = '2021-02-30', series = 'astronomy' WHERE id = 1");
	sqlite3_close(raw);
	gt_store *st = open_as(dbpath, "alice");
	sqlite3 *db = gt_store_db(st);
	cr_expect_eq(q_int(db, "PRAGMA user_version"), GT_SCHEMA_VERSION);
	cr_expect_str_eq(q_text(db, "SELECT typeof(title_date) || ' ' || title_date || ' ' || typeof(series) || ' ' || "
				"series || ' ' || typeof(skill_date) FROM cases WHERE id = 1"),
			 "text 2021-02-30 text astronomy integer");
	cr_expect_str_eq(q_text(db, "SELECT title_date || ' ' || series FROM case_inputs WHERE case_id = 1"),
			 "2021-02-30 astronomy");
	struct gt_case_row row;
	cr_expect_eq(gt_store_get(st, 1, &row), GT_ERR);
	cr_expect(contains(gt_store_errmsg(st), "astronomy"), "%s", gt_store_errmsg(st));
	gt_store_close(st);
}

Test(migrate, failed_migration_changes_nothing)
{
	/* A version-1 file that already has a table called drafts: the step to
	 * version 2 fails half-way (after its index), and all of it is undone. */
	write_v1(dbpath);
	sqlite3 *db = raw_open(dbpath);
	raw_exec(db, "CREATE TABLE drafts (x)");
	sqlite3_close(db);
	gt_store *st = (gt_store *)1;
	int rc = gt_store_open_as(&st, dbpath, GT_OPEN_CREATE, "alice", err, sizeof err);
	cr_expect_neq(rc, GT_OK);
	cr_expect_null(st);
	cr_expect(contains(err, "drafts"), "%s", err);
	db = raw_open(dbpath);
	cr_expect_eq(q_int(db, "PRAGMA user_version"), 1);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'applicants_name'"), 0);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM audit"), 1);
	sqlite3_close(db);
}

Test(migrate, readonly_open_of_old_file_refused)
{
	write_v1(dbpath);
	gt_store *st;
	int rc = gt_store_open_as(&st, dbpath, GT_OPEN_READONLY, "alice", err, sizeof err);
	cr_expect_neq(rc, GT_OK);
	cr_expect(contains(err, "upgraded"), "%s", err);
	sqlite3 *db = raw_open(dbpath);
	cr_expect_eq(q_int(db, "PRAGMA user_version"), 1);
	sqlite3_close(db);
}

/* A new file with cases 1 and 2, open raw (to be made an older one). */
static sqlite3 *two_cases_raw(void)
{
	gt_store *st = open_as(dbpath, "alice");
	new_case(st, 1);
	new_case(st, 2);
	gt_store_close(st);
	return raw_open(dbpath);
}

/* The raw file closed and opened by the program, which upgrades it: the
 * store, its connection in *db. */
static gt_store *upgraded(sqlite3 *raw, sqlite3 **db)
{
	sqlite3_close(raw);
	gt_store *st = open_as(dbpath, "alice");
	*db = gt_store_db(st);
	cr_expect_eq(q_int(*db, "PRAGMA user_version"), GT_SCHEMA_VERSION);
	return st;
}

/* A file of version 10: the collation keys as hex text and the terms'
 * index by case. Version 11 turns the keys into their bytes (the same
 * order) and drops the index. */
Test(migrate, v10_keys_become_their_bytes)
{
	sqlite3 *db = two_cases_raw();
	char want[256];
	snprintf(want, sizeof want, "%s", q_text(db, "SELECT group_concat(hex(name_key), ',') FROM (SELECT name_key "
						     "FROM case_keys ORDER BY case_id)"));
	raw_exec(db, "UPDATE case_keys SET name_key = lower(hex(name_key)); "
		     "CREATE INDEX case_terms_case ON case_terms (case_id); PRAGMA user_version = 10");
	cr_assert_eq(q_int(db, "SELECT count(*) FROM case_keys WHERE typeof(name_key) = 'text'"), 2);
	gt_store *st = upgraded(db, &db);
	cr_expect_str_eq(q_text(db, "SELECT group_concat(hex(name_key), ',') FROM (SELECT name_key FROM case_keys "
				    "WHERE typeof(name_key) = 'blob' ORDER BY case_id)"), want);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'case_terms_case'"), 0);
	cr_expect_str_eq(q_text(db, "PRAGMA integrity_check"), "ok");
	gt_store_close(st);
}

/* An upgrade gives a case without keys (written by hand) its keys and its
 * terms afresh, its old terms gone; the other cases keep theirs. */
Test(migrate, a_case_without_keys_gets_them_and_its_terms_afresh)
{
	sqlite3 *db = two_cases_raw();
	char keys[512], terms[4096];
	snprintf(keys, sizeof keys, "%s", q_text(db, "SELECT hex(name_key) || pinyin || initials || syllables "
						     "FROM case_keys WHERE case_id = 1"));
	snprintf(terms, sizeof terms, "%s", q_text(db, "SELECT group_concat(term, '|') FROM (SELECT term FROM "
						       "case_terms WHERE case_id = 1 ORDER BY term)"));
	cr_assert_gt(strlen(terms), 0);
	int64_t others = q_int(db, "SELECT count(*) FROM case_terms WHERE case_id <> 1");
	raw_exec(db, "DELETE FROM case_keys WHERE case_id = 1; INSERT INTO case_terms VALUES ('by hand', 1); "
		     "PRAGMA user_version = 15");
	gt_store *st = upgraded(db, &db);
	cr_expect_str_eq(q_text(db, "SELECT hex(name_key) || pinyin || initials || syllables FROM case_keys "
				    "WHERE case_id = 1"), keys);
	cr_expect_str_eq(q_text(db, "SELECT group_concat(term, '|') FROM (SELECT term FROM case_terms "
				    "WHERE case_id = 1 ORDER BY term)"), terms);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM case_terms WHERE case_id <> 1"), others);
	gt_store_close(st);
}

/* ================= audit ================= */

TestSuite(audit, .init = setup_users, .fini = teardown_users, .timeout = 30);

/* ================= keys: the queue's search terms ================= */

TestSuite(keys, .init = setup_users, .fini = teardown_users, .timeout = 30);

/* A case's terms in term order, as one text. */
static const char *terms_of_case(sqlite3 *db, int64_t id)
{
	return q_text(db, "SELECT group_concat(term, '|') FROM (SELECT term FROM case_terms WHERE case_id = %lld "
			  "ORDER BY term)", (long long)id);
}

/* The terms have no index by case: a changed case's old terms are made
 * again from the case as stored and deleted one by one. What is left is
 * exactly what a case stored afresh with the new values has (the rebuild
 * of every case's keys is the reference). */
Test(keys, a_changed_case_keeps_exactly_its_new_terms)
{
	sqlite3 *db = gt_store_db(admin);
	int64_t id = new_case(admin, 1), other = new_case(admin, 2);
	char others[1024];
	snprintf(others, sizeof others, "%s", terms_of_case(db, other));
	cr_expect_eq(q_int(db, "SELECT count(*) FROM case_terms WHERE case_id = %lld AND term = 'lina1'", (long long)id),
		     1);
	struct gt_case_row *row = malloc(sizeof *row);
	cr_assert_not_null(row);
	cr_assert_eq(gt_store_get(admin, id, row), GT_OK);
	snprintf(row->c.name, sizeof row->c.name, "王小明");
	snprintf(row->c.case_ref, sizeof row->c.case_ref, "NEW-9");
	cr_assert_eq(gt_store_save(admin, row), GT_OK, "%s", gt_store_errmsg(admin));
	char after[1024];
	snprintf(after, sizeof after, "%s", terms_of_case(db, id));
	cr_expect_eq(q_int(db, "SELECT count(*) FROM case_terms WHERE case_id = %lld AND (term GLOB '*娜*' OR "
			       "term GLOB 'lina*' OR term = 'ln1')", (long long)id), 0, "old terms left: %s", after);
	cr_expect(strstr(after, "xiaoming") && strstr(after, "new-9"), "%s", after);
	cr_assert_eq(gt_store_keys_rebuild(admin), GT_OK, "%s", gt_store_errmsg(admin));
	cr_expect_str_eq(after, terms_of_case(db, id));
	cr_expect_str_eq(others, terms_of_case(db, other), "another case's terms changed");

	/* Stored keys that do not read (here: initials that are not the
	 * pinyin's syllables') cannot make the old terms again: all of that
	 * case's terms go, read through the whole table, and its new ones are
	 * written. */
	char sql[256];
	snprintf(sql, sizeof sql, "UPDATE case_keys SET pinyin = 'other' WHERE case_id = %lld; "
		 "INSERT INTO case_terms (term, case_id) VALUES ('zzmadebyanothericu', %lld)", (long long)id, (long long)id);
	raw_exec(db, sql);
	cr_assert_eq(gt_store_get(admin, id, row), GT_OK);
	snprintf(row->c.name, sizeof row->c.name, "李娜");
	cr_assert_eq(gt_store_save(admin, row), GT_OK, "%s", gt_store_errmsg(admin));
	snprintf(after, sizeof after, "%s", terms_of_case(db, id));
	cr_expect_eq(q_int(db, "SELECT count(*) FROM case_terms WHERE term = 'zzmadebyanothericu'"), 0, "%s", after);
	cr_assert_eq(gt_store_keys_rebuild(admin), GT_OK, "%s", gt_store_errmsg(admin));
	cr_expect_str_eq(after, terms_of_case(db, id));
	free(row);
}

/* The terms of every case, one line each, in case order. */
static char *all_terms(sqlite3 *db)
{
	return strdup(q_text(db, "SELECT group_concat(t, char(10)) FROM (SELECT case_id || ':' || group_concat(term, '|') "
				 "AS t FROM (SELECT case_id, term FROM case_terms ORDER BY case_id, term) GROUP BY case_id "
				 "ORDER BY case_id)"));
}

/* Renaming an applicant through one case: its other cases show the new
 * name (applicants.name) and must be found by it, not by the old one. */
Test(keys, a_rename_through_one_case_moves_the_other_cases_terms)
{
	sqlite3 *db = gt_store_db(admin);
	int64_t id = new_case(admin, 1);
	struct gt_case_row *row = malloc(sizeof *row);
	cr_assert_not_null(row);
	/* A second case of the same applicant, in another region. */
	cr_assert_eq(gt_store_get(admin, id, row), GT_OK);
	row->id = 0;
	row->c.region = GT_REGION_ANSHAN;
	snprintf(row->c.case_ref, sizeof row->c.case_ref, "AS-1");
	cr_assert_eq(gt_store_save(admin, row), GT_OK, "%s", gt_store_errmsg(admin));
	int64_t other = row->id;
	cr_assert_neq(other, id);
	cr_assert_eq(gt_store_get(admin, id, row), GT_OK);
	snprintf(row->c.name, sizeof row->c.name, "王小明");
	cr_assert_eq(gt_store_save(admin, row), GT_OK, "%s", gt_store_errmsg(admin));
	cr_expect_str_eq(q_text(db, "SELECT a.name FROM applicants a JOIN cases c ON c.applicant_id = a.id WHERE c.id = %lld",
				(long long)other), "王小明");
	char *before = all_terms(db);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM case_terms WHERE case_id = %lld AND (term GLOB '*娜*' OR "
			       "term GLOB 'lina*')", (long long)other), 0, "the other case keeps the old name's terms: %s",
		     terms_of_case(db, other));
	cr_expect_str_eq(q_text(db, "SELECT pinyin FROM case_keys WHERE case_id = %lld", (long long)other), "wangxiaoming");
	cr_assert_eq(gt_store_keys_rebuild(admin), GT_OK, "%s", gt_store_errmsg(admin));
	char *rebuilt = all_terms(db);
	cr_expect_str_eq(before, rebuilt);
	free(before);
	free(rebuilt);
	free(row);
}

Test(audit, append_only)
{
	int64_t id = new_case(admin, 1);
	(void)id;
	char path[600];
	snprintf(path, sizeof path, "%s", dbpath);
	sqlite3 *db = raw_open(path);
	long long n = q_int(db, "SELECT count(*) FROM audit");
	cr_assert_gt(n, 0);
	const char *sql[] = {
		"UPDATE audit SET actor = 'mallory'",
		"UPDATE audit SET after = NULL WHERE id = 1",
		"DELETE FROM audit",
		"DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)",
	};
	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		char *msg = NULL;
		int rc = sqlite3_exec(db, sql[i], NULL, NULL, &msg);
		cr_expect_neq(rc, SQLITE_OK, "%s succeeded", sql[i]);
		cr_expect(contains(msg, "append-only"), "%s: %s", sql[i], msg ? msg : "(no message)");
		sqlite3_free(msg);
	}
	cr_expect_eq(q_int(db, "SELECT count(*) FROM audit"), n);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM audit WHERE actor = 'mallory'"), 0);
	/* Through the store's own connection too. */
	char *msg = NULL;
	cr_expect_neq(sqlite3_exec(gt_store_db(admin), "DELETE FROM audit", NULL, NULL, &msg), SQLITE_OK);
	cr_expect(contains(msg, "append-only"), "%s", msg ? msg : "");
	sqlite3_free(msg);
	sqlite3_close(db);
}

static long long audit_count(void)
{
	return q_int(gt_store_db(admin), "SELECT count(*) FROM audit");
}

/* The one audit row written since `since` (exactly one), as its id. */
static long long one_new_audit(long long since, const char *action)
{
	sqlite3 *db = gt_store_db(admin);
	cr_expect_eq(audit_count(), since + 1, "%s: expected exactly one audit row", action);
	long long id = q_int(db, "SELECT max(id) FROM audit");
	cr_expect_str_eq(q_text(db, "SELECT action FROM audit WHERE id = %lld", id), action);
	cr_expect_neq(q_int(db, "SELECT count(*) FROM audit WHERE id = %lld AND at LIKE '____-__-__ __:__:__%%'", id), 0,
		      "%s: the time", action);
	cr_expect_eq(q_int(db, "SELECT json_valid(after) FROM audit WHERE id = %lld", id), 1, "%s: after is JSON", action);
	return id;
}

Test(audit, every_change_writes_one_row_with_before_and_after)
{
	sqlite3 *db = gt_store_db(admin);
	gt_store *clerk = open_as(dbpath, "carl");
	gt_store *rv = open_as(dbpath, "rita");

	/* create */
	long long n = audit_count();
	int64_t id = new_case(clerk, 7);
	long long a = one_new_audit(n, "case.create");
	cr_expect_str_eq(q_text(db, "SELECT actor FROM audit WHERE id = %lld", a), "carl");
	cr_expect_str_eq(q_text(db, "SELECT entity || ':' || entity_id FROM audit WHERE id = %lld", a),
			 q_text(db, "SELECT 'case:' || %lld", (long long)id));
	cr_expect_eq(q_int(db, "SELECT before IS NULL FROM audit WHERE id = %lld", a), 1);
	cr_expect_str_eq(q_text(db, "SELECT json_extract(after, '$.name') FROM audit WHERE id = %lld", a), "李娜7");
	cr_expect_str_eq(q_text(db, "SELECT json_extract(after, '$.status') FROM audit WHERE id = %lld", a), "submitted");
	cr_expect_str_eq(q_text(db, "SELECT json_extract(after, '$.region') FROM audit WHERE id = %lld", a), "chongqing");

	/* update: the changed fields only, before and after */
	struct gt_case_row *row = malloc(sizeof *row);
	cr_assert_eq(gt_store_get(clerk, id, row), GT_OK);
	snprintf(row->c.name, sizeof row->c.name, "李娜改");
	row->c.appraisals = 2;
	n = audit_count();
	cr_assert_eq(gt_store_save(clerk, row), GT_OK, "%s", gt_store_errmsg(clerk));
	cr_expect_eq(row->version, 2);
	a = one_new_audit(n, "case.update");
	cr_expect_eq(q_int(db, "SELECT json_valid(before) FROM audit WHERE id = %lld", a), 1);
	cr_expect_str_eq(q_text(db, "SELECT json_extract(before, '$.name') FROM audit WHERE id = %lld", a), "李娜7");
	cr_expect_str_eq(q_text(db, "SELECT json_extract(after, '$.name') FROM audit WHERE id = %lld", a), "李娜改");
	cr_expect_str_eq(q_text(db, "SELECT json_extract(before, '$.appraisals_passed') FROM audit WHERE id = %lld", a), "3");
	cr_expect_str_eq(q_text(db, "SELECT json_extract(after, '$.appraisals_passed') FROM audit WHERE id = %lld", a), "2");
	cr_expect_eq(q_int(db, "SELECT json_extract(before, '$.version') FROM audit WHERE id = %lld", a), 1);
	cr_expect_eq(q_int(db, "SELECT json_extract(after, '$.version') FROM audit WHERE id = %lld", a), 2);
	cr_expect_eq(q_int(db, "SELECT json_type(after, '$.region') IS NULL FROM audit WHERE id = %lld", a), 1,
		     "an unchanged field is not in the audit row");

	/* evidence */
	n = audit_count();
	cr_assert_eq(gt_store_set_evidence(clerk, id, 2, GT_EV_FRONTLINE_PROOF, true, false, "original seen"), GT_OK,
		     "%s", gt_store_errmsg(clerk));
	a = one_new_audit(n, "evidence.set");
	cr_expect_eq(q_int(db, "SELECT json_valid(before) FROM audit WHERE id = %lld", a), 1);
	cr_expect_str_eq(q_text(db, "SELECT json_extract(after, '$.frontline_proof.received') FROM audit WHERE id = %lld", a),
			 "1");
	cr_expect_str_eq(q_text(db, "SELECT json_extract(after, '$.frontline_proof.note') FROM audit WHERE id = %lld", a),
			 "original seen");
	cr_expect_str_eq(q_text(db, "SELECT json_extract(before, '$.frontline_proof.received') FROM audit WHERE id = %lld", a),
			 "0");
	cr_expect_eq(case_version(admin, id), 3);
	cr_expect_str_eq(q_text(db, "SELECT received_by FROM evidence WHERE case_id = %lld AND code = 'frontline_proof'",
				(long long)id), "carl");

	/* act */
	n = audit_count();
	cr_assert_eq(gt_store_act(rv, id, 3, GT_ACT_APPROVE, "meets 二（一）2"), GT_OK, "%s", gt_store_errmsg(rv));
	a = one_new_audit(n, "case.approve");
	cr_expect_str_eq(q_text(db, "SELECT actor FROM audit WHERE id = %lld", a), "rita");
	cr_expect_str_eq(q_text(db, "SELECT json_extract(before, '$.status') FROM audit WHERE id = %lld", a), "submitted");
	cr_expect_str_eq(q_text(db, "SELECT json_extract(after, '$.status') FROM audit WHERE id = %lld", a), "approved");
	cr_expect_str_eq(q_text(db, "SELECT json_extract(after, '$.note') FROM audit WHERE id = %lld", a), "meets 二（一）2");
	cr_expect_eq(q_int(db, "SELECT json_extract(after, '$.decision_id') FROM audit WHERE id = %lld", a),
		     q_int(db, "SELECT decision_id FROM cases WHERE id = %lld", (long long)id));

	/* users */
	n = audit_count();
	cr_assert_eq(gt_store_user_set(admin, "dora", GT_USER_CLERK, "Dora \"D\""), GT_OK);
	a = one_new_audit(n, "user.create");
	cr_expect_str_eq(q_text(db, "SELECT json_extract(after, '$.display_name') FROM audit WHERE id = %lld", a),
			 "Dora \"D\"");
	n = audit_count();
	cr_assert_eq(gt_store_user_set(admin, "dora", GT_USER_REVIEWER, NULL), GT_OK);
	a = one_new_audit(n, "user.update");
	cr_expect_str_eq(q_text(db, "SELECT json_extract(before, '$.role') FROM audit WHERE id = %lld", a), "clerk");
	cr_expect_str_eq(q_text(db, "SELECT json_extract(after, '$.role') FROM audit WHERE id = %lld", a), "reviewer");

	/* The history of the case, oldest first, is these rows. */
	cr_expect_eq(q_int(db, "SELECT count(*) FROM audit WHERE entity = 'case' AND entity_id = '%lld'", (long long)id), 4);
	/* A refused change writes nothing. */
	n = audit_count();
	cr_expect_eq(gt_store_act(rv, id, 0, GT_ACT_APPROVE, NULL), GT_ERR_TRANSITION);
	cr_expect_eq(audit_count(), n);
	free(row);
	gt_store_close(clerk);
	gt_store_close(rv);
}

static int history_cb(const struct gt_audit_row *a, void *arg)
{
	char *out = arg;
	strcat(out, a->action);
	strcat(out, ";");
	return 0;
}

Test(audit, history_lists_the_case_rows_oldest_first)
{
	int64_t id = new_case(admin, 3);
	cr_assert_eq(gt_store_act(admin, id, 1, GT_ACT_TAKE, NULL), GT_OK, "%s", gt_store_errmsg(admin));
	cr_assert_eq(gt_store_act(admin, id, 2, GT_ACT_REJECT, "no"), GT_OK, "%s", gt_store_errmsg(admin));
	char out[256] = "";
	cr_assert_eq(gt_store_history(admin, id, history_cb, out), GT_OK);
	cr_expect_str_eq(out, "case.create;case.take;case.reject;");
}

/* ================= roles ================= */

TestSuite(roles, .init = setup_users, .fini = teardown_users, .timeout = 30);

Test(roles, clerk_cannot_approve_or_reject_but_can_return)
{
	int64_t id = new_case(admin, 1);
	gt_store *clerk = open_as(dbpath, "carl");
	cr_expect_eq(gt_store_role(clerk), GT_USER_CLERK);
	sqlite3 *db = gt_store_db(admin);

	cr_expect_eq(gt_store_act(clerk, id, 1, GT_ACT_APPROVE, "fine"), GT_ERR_DENIED);
	const char *m = gt_store_errmsg(clerk);
	cr_expect(contains(m, "reviewer") && contains(m, "carl") && contains(m, "approve"), "%s", m);
	cr_expect_eq(gt_store_act(clerk, id, 1, GT_ACT_REJECT, "no"), GT_ERR_DENIED);
	cr_expect(contains(gt_store_errmsg(clerk), "reject"), "%s", gt_store_errmsg(clerk));
	cr_expect_eq(gt_store_act(clerk, id, 1, GT_ACT_TAKE, NULL), GT_ERR_DENIED);
	cr_expect_eq(gt_store_act(clerk, id, 1, GT_ACT_REOPEN, "x"), GT_ERR_DENIED);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM decisions"), 0);
	cr_expect_str_eq(case_status(admin, id), "submitted");
	cr_expect_eq(case_version(admin, id), 1);

	/* Return needs a note; with one, the clerk may. */
	cr_expect_eq(gt_store_act(clerk, id, 1, GT_ACT_RETURN, NULL), GT_ERR_INVALID);
	cr_expect_eq(gt_store_act(clerk, id, 1, GT_ACT_RETURN, ""), GT_ERR_INVALID);
	cr_expect(contains(gt_store_errmsg(clerk), "note"), "%s", gt_store_errmsg(clerk));
	cr_expect_eq(gt_store_act(clerk, id, 1, GT_ACT_RETURN, "需补充工作年限证明"), GT_OK, "%s",
		     gt_store_errmsg(clerk));
	cr_expect_str_eq(case_status(admin, id), "returned");
	cr_expect_eq(q_int(db, "SELECT count(*) FROM decisions WHERE case_id = %lld AND action = 'return' "
			       "AND decided_by = 'carl' AND note = '需补充工作年限证明'", (long long)id), 1);
	/* ... and submit it again. */
	cr_expect_eq(gt_store_act(clerk, id, 2, GT_ACT_SUBMIT, NULL), GT_OK, "%s", gt_store_errmsg(clerk));
	cr_expect_str_eq(case_status(admin, id), "submitted");
	gt_store_close(clerk);
}

Test(roles, reviewer_can_take_approve_and_reject)
{
	int64_t a = new_case(admin, 1), b = new_case(admin, 2);
	gt_store *rv = open_as(dbpath, "rita");
	cr_expect_eq(gt_store_role(rv), GT_USER_REVIEWER);
	cr_expect_eq(gt_store_act(rv, a, 1, GT_ACT_TAKE, NULL), GT_OK, "%s", gt_store_errmsg(rv));
	cr_expect_str_eq(q_text(gt_store_db(rv), "SELECT assignee FROM cases WHERE id = %lld", (long long)a), "rita");
	cr_expect_eq(gt_store_act(rv, a, 2, GT_ACT_APPROVE, NULL), GT_OK, "%s", gt_store_errmsg(rv));
	cr_expect_str_eq(case_status(rv, a), "approved");
	cr_expect_eq(gt_store_act(rv, b, 1, GT_ACT_REJECT, "不符合年限"), GT_OK, "%s", gt_store_errmsg(rv));
	cr_expect_str_eq(case_status(rv, b), "rejected");
	struct gt_case_row row;
	cr_assert_eq(gt_store_get(rv, b, &row), GT_OK);
	struct gt_decision d;
	cr_assert_eq(gt_store_get_decision(rv, row.decision_id, &d), GT_OK);
	cr_expect_str_eq(d.action, "reject");
	cr_expect_str_eq(d.decided_by, "rita");
	cr_expect_str_eq(d.note, "不符合年限");
	cr_expect_eq(d.eval_id, row.eval_id, "the decision is on the case's current evaluation");
	cr_expect_eq(d.case_version, 2);
	/* A reviewer may not reopen or manage users. */
	cr_expect_eq(gt_store_act(rv, b, 2, GT_ACT_REOPEN, "again"), GT_ERR_DENIED);
	cr_expect_eq(gt_store_user_set(rv, "eve", GT_USER_ADMIN, NULL), GT_ERR_DENIED);
	gt_store_close(rv);
}

Test(roles, unregistered_login_cannot_write)
{
	int64_t id = new_case(admin, 1);
	sqlite3 *db = gt_store_db(admin);
	char before[1024], after[1024];
	table_counts(db, before, sizeof before);

	gt_store *x = open_as(dbpath, "mallory");
	cr_expect_eq(gt_store_role(x), GT_USER_NONE);
	struct gt_case_row *row = calloc(1, sizeof *row);
	char line[512];
	row_k(line, sizeof line, 9, "王五", 3);
	parse_row(line, &row->c);
	cr_expect_eq(gt_store_save(x, row), GT_ERR_DENIED);
	cr_expect(contains(gt_store_errmsg(x), "mallory is not a user"), "%s", gt_store_errmsg(x));
	cr_expect(contains(gt_store_errmsg(x), "guantong user add mallory"), "%s", gt_store_errmsg(x));
	cr_expect_eq(gt_store_act(x, id, 1, GT_ACT_RETURN, "x"), GT_ERR_DENIED);
	cr_expect_eq(gt_store_set_evidence(x, id, 1, GT_EV_DIPLOMA, true, true, ""), GT_ERR_DENIED);
	cr_expect_eq(gt_store_user_set(x, "mallory", GT_USER_ADMIN, NULL), GT_ERR_DENIED);
	struct gt_import_opts o = { .as_of = GT_DATE_NONE };
	struct gt_import_result res;
	char *csv = csv_rows(20, 3, 3);
	cr_expect_eq(import_text(x, csv, &o, &res), GT_ERR_DENIED);
	free(csv);
	table_counts(db, after, sizeof after);
	cr_expect_str_eq(after, before, "nothing was written");
	gt_store_close(x);

	/* A removed user is no user. */
	cr_assert_eq(gt_store_user_set(admin, "carl", GT_USER_NONE, NULL), GT_OK, "%s", gt_store_errmsg(admin));
	x = open_as(dbpath, "carl");
	cr_expect_eq(gt_store_role(x), GT_USER_NONE);
	cr_expect_eq(gt_store_act(x, id, 1, GT_ACT_RETURN, "x"), GT_ERR_DENIED);
	gt_store_close(x);
	free(row);
}

Test(roles, only_admin_manages_users_and_last_admin_stays)
{
	gt_store *clerk = open_as(dbpath, "carl");
	sqlite3 *db = gt_store_db(admin);
	long long users = q_int(db, "SELECT count(*) FROM users");
	cr_expect_eq(gt_store_user_set(clerk, "eve", GT_USER_CLERK, NULL), GT_ERR_DENIED);
	cr_expect(contains(gt_store_errmsg(clerk), "administrator"), "%s", gt_store_errmsg(clerk));
	cr_expect_eq(gt_store_user_set(clerk, "carl", GT_USER_ADMIN, NULL), GT_ERR_DENIED, "no self-promotion");
	cr_expect_eq(q_int(db, "SELECT count(*) FROM users"), users);
	cr_expect_str_eq(q_text(db, "SELECT role FROM users WHERE login = 'carl'"), "clerk");

	/* Bad input. */
	cr_expect_eq(gt_store_user_set(admin, "", GT_USER_CLERK, NULL), GT_ERR_INVALID);
	cr_expect_eq(gt_store_user_set(admin, "a b", GT_USER_CLERK, NULL), GT_ERR_INVALID);
	cr_expect_eq(gt_store_user_set(admin, "nobody-here", GT_USER_NONE, NULL), GT_ERR_NOT_FOUND);

	/* ann is the only admin: she may not step down nor be removed. */
	cr_expect_eq(gt_store_user_set(admin, "ann", GT_USER_REVIEWER, NULL), GT_ERR_DENIED);
	cr_expect(contains(gt_store_errmsg(admin), "last administrator"), "%s", gt_store_errmsg(admin));
	cr_expect_eq(gt_store_user_set(admin, "ann", GT_USER_NONE, NULL), GT_ERR_DENIED);
	cr_expect_str_eq(q_text(db, "SELECT role || active FROM users WHERE login = 'ann'"), "admin1");
	/* With a second admin she may. */
	cr_assert_eq(gt_store_user_set(admin, "abe", GT_USER_ADMIN, NULL), GT_OK);
	cr_expect_eq(gt_store_user_set(admin, "ann", GT_USER_REVIEWER, NULL), GT_OK, "%s", gt_store_errmsg(admin));
	cr_expect_eq(gt_store_role(admin), GT_USER_REVIEWER, "the handle's role follows");
	cr_expect_eq(gt_store_user_set(admin, "carl", GT_USER_ADMIN, NULL), GT_ERR_DENIED, "ann is no admin now");
	/* abe is now the last one. */
	gt_store *abe = open_as(dbpath, "abe");
	cr_expect_eq(gt_store_user_set(abe, "abe", GT_USER_CLERK, NULL), GT_ERR_DENIED);
	gt_store_close(abe);
	gt_store_close(clerk);
}

/* ================= transitions ================= */

TestSuite(transitions, .timeout = 30);

/* The intended workflow (the issue's table):
 *
 *   action   from                     to          least role
 *   submit   draft, returned          submitted   clerk
 *   take     submitted                in_review   reviewer
 *   approve  submitted, in_review     approved    reviewer
 *   reject   submitted, in_review     rejected    reviewer
 *   return   submitted, in_review     returned    clerk
 *   reopen   approved, rejected,      in_review   admin
 *            returned
 *            void                     submitted   admin
 *   void     any but void             void        admin
 *
 * Everything else is refused. Roles are ordered clerk < reviewer < admin. */
enum { D = GT_ST_DRAFT, S = GT_ST_SUBMITTED, I = GT_ST_IN_REVIEW, A = GT_ST_APPROVED, R = GT_ST_REJECTED,
       T = GT_ST_RETURNED, V = GT_ST_VOID, X = -1 };
static const int intended[GT_ACT_COUNT][GT_ST_COUNT] = {
	/*                  draft submitted in_review approved rejected returned void */
	[GT_ACT_SUBMIT]  = { S,   X,        X,        X,       X,       S,       X },
	[GT_ACT_TAKE]    = { X,   I,        X,        X,       X,       X,       X },
	[GT_ACT_APPROVE] = { X,   A,        A,        X,       X,       X,       X },
	[GT_ACT_REJECT]  = { X,   R,        R,        X,       X,       X,       X },
	[GT_ACT_RETURN]  = { X,   T,        T,        X,       X,       X,       X },
	[GT_ACT_REOPEN]  = { X,   X,        X,        I,       I,       I,       S },
	[GT_ACT_VOID]    = { V,   V,        V,        V,       V,       V,       X },
};
static const int intended_role[GT_ACT_COUNT] = {
	[GT_ACT_SUBMIT] = GT_USER_CLERK, [GT_ACT_TAKE] = GT_USER_REVIEWER, [GT_ACT_APPROVE] = GT_USER_REVIEWER,
	[GT_ACT_REJECT] = GT_USER_REVIEWER, [GT_ACT_RETURN] = GT_USER_CLERK, [GT_ACT_REOPEN] = GT_USER_ADMIN,
	[GT_ACT_VOID] = GT_USER_ADMIN,
};

Test(transitions, table_is_exactly_the_intended_one)
{
	for (int a = 0; a < GT_ACT_COUNT; a++) {
		for (int from = 0; from < GT_ST_COUNT; from++) {
			int role = -99;
			int to = gt_transition(from, a, &role);
			cr_expect_eq(to, intended[a][from], "%s from %s: got %d, expected %d", gt_action_codes[a],
				     gt_status_codes[from], to, intended[a][from]);
			cr_expect_eq(role, intended_role[a], "%s: least role %d, expected %d", gt_action_codes[a],
				     role, intended_role[a]);
			cr_expect_eq(gt_transition(from, a, NULL), to, "min_role may be NULL");
		}
		for (int r = GT_USER_NONE; r < GT_USER_ROLES; r++)
			cr_expect_eq(gt_role_allows(r, a), r >= intended_role[a], "role %d, %s", r, gt_action_codes[a]);
	}
	int role;
	cr_expect_eq(gt_transition(-1, GT_ACT_SUBMIT, &role), -1);
	cr_expect_eq(gt_transition(GT_ST_COUNT, GT_ACT_SUBMIT, &role), -1);
	cr_expect_eq(gt_transition(GT_ST_DRAFT, -1, &role), -1);
	cr_expect_eq(gt_transition(GT_ST_DRAFT, GT_ACT_COUNT, &role), -1);
	cr_expect(!gt_role_allows(GT_USER_ADMIN, GT_ACT_COUNT));
	cr_expect(!gt_role_allows(GT_USER_ADMIN, -1));
	/* Codes round-trip. */
	for (int s = 0; s < GT_ST_COUNT; s++)
		cr_expect_eq(gt_status_parse(gt_status_codes[s]), s);
	for (int r = GT_USER_CLERK; r < GT_USER_ROLES; r++)
		cr_expect_eq(gt_role_parse(gt_role_codes[r]), r);
	cr_expect_eq(gt_role_parse(""), -1);
	cr_expect_eq(gt_role_parse("root"), -1);
	cr_expect_eq(gt_status_parse("closed"), -1);
}

TestSuite(workflow, .init = setup_users, .fini = teardown_users, .timeout = 30);

/* Every action from every status, through the store, as admin: the status it
 * leads to is the table's, and a refused one changes nothing. */
Test(workflow, store_follows_the_table_from_every_status)
{
	/* Paths to each status from a new (submitted) case. */
	static const int path[GT_ST_COUNT][3] = {
		[GT_ST_DRAFT] = { -1 },
		[GT_ST_SUBMITTED] = { -1 },
		[GT_ST_IN_REVIEW] = { GT_ACT_TAKE, -1 },
		[GT_ST_APPROVED] = { GT_ACT_APPROVE, -1 },
		[GT_ST_REJECTED] = { GT_ACT_REJECT, -1 },
		[GT_ST_RETURNED] = { GT_ACT_RETURN, -1 },
		[GT_ST_VOID] = { GT_ACT_VOID, -1 },
	};
	int k = 100;
	for (int from = 0; from < GT_ST_COUNT; from++) {
		for (int a = 0; a < GT_ACT_COUNT; a++) {
			struct gt_case_row *row = calloc(1, sizeof *row);
			char line[512];
			row_k(line, sizeof line, k++, "赵六", 3);
			parse_row(line, &row->c);
			row->status = from == GT_ST_DRAFT ? GT_ST_DRAFT : GT_ST_SUBMITTED;
			cr_assert_eq(gt_store_save(admin, row), GT_OK, "%s", gt_store_errmsg(admin));
			cr_assert_str_eq(case_status(admin, row->id), gt_status_codes[row->status]);
			for (int i = 0; path[from][i] >= 0; i++)
				cr_assert_eq(gt_store_act(admin, row->id, 0, path[from][i], "why"), GT_OK, "%s",
					     gt_store_errmsg(admin));
			cr_assert_str_eq(case_status(admin, row->id), gt_status_codes[from]);
			int64_t v = case_version(admin, row->id);
			int rc = gt_store_act(admin, row->id, v, a, "a note");
			if (intended[a][from] < 0) {
				cr_expect_eq(rc, GT_ERR_TRANSITION, "%s from %s: rc %d", gt_action_codes[a],
					     gt_status_codes[from], rc);
				cr_expect_str_eq(case_status(admin, row->id), gt_status_codes[from]);
				cr_expect_eq(case_version(admin, row->id), v);
			} else {
				cr_expect_eq(rc, GT_OK, "%s from %s: %s", gt_action_codes[a], gt_status_codes[from],
					     gt_store_errmsg(admin));
				cr_expect_str_eq(case_status(admin, row->id), gt_status_codes[intended[a][from]]);
				cr_expect_eq(case_version(admin, row->id), v + 1);
			}
			free(row);
		}
	}
}

/* Issue 16, item 12: a void sets a case aside, kept and audited. */
Test(workflow, void_sets_a_case_aside)
{
	int64_t id = new_case(admin, 1), other = new_case(admin, 2);
	gt_store *rv = open_as(dbpath, "rita");
	sqlite3 *db = gt_store_db(admin);
	/* Only an administrator, and only with a note. */
	cr_expect_eq(gt_store_act(rv, id, 0, GT_ACT_VOID, "dup"), GT_ERR_DENIED);
	cr_expect_eq(gt_store_act(admin, id, 0, GT_ACT_VOID, ""), GT_ERR_INVALID);
	cr_expect(contains(gt_store_errmsg(admin), "note is required"), "%s", gt_store_errmsg(admin));
	cr_expect_str_eq(case_status(admin, id), "submitted");
	cr_expect_eq(gt_store_act(admin, id, 1, GT_ACT_VOID, "a duplicate of the other"), GT_OK, "%s",
		     gt_store_errmsg(admin));
	cr_expect_str_eq(case_status(admin, id), "void");
	cr_expect_str_eq(q_text(db, "SELECT json_extract(after, '$.note') || ' ' || json_extract(before, '$.status') "
				"FROM audit WHERE action = 'case.void' AND entity_id = '%lld'", (long long)id),
			 "a duplicate of the other submitted");
	/* Kept: nothing is deleted, and it cannot be changed until reopened. */
	cr_expect_eq(q_int(db, "SELECT count(*) FROM cases WHERE id = %lld", (long long)id), 1);
	struct gt_case_row *row = calloc(1, sizeof *row);
	cr_assert_eq(gt_store_get(admin, id, row), GT_OK);
	cr_expect_eq(gt_store_set_evidence(admin, id, 0, GT_EV_ID_CARD, true, false, ""), GT_ERR_TRANSITION);
	/* The queue leaves it out unless the void status is asked for. */
	struct gt_queue_row rows[8];
	int n = 0;
	struct gt_queue_filter all = { 0 }, voided = { .status_mask = 1u << GT_ST_VOID };
	for (int sort = 0; sort < GT_QS_COUNT; sort++) {
		cr_assert_eq(gt_queue_fetch(admin, &all, sort, false, NULL, false, 8, rows, &n), GT_OK);
		cr_expect_eq(n, 1, "sort %d", sort);
		cr_expect_eq(rows[0].id, other);
	}
	cr_assert_eq(gt_queue_fetch(admin, &voided, GT_QS_ID, false, NULL, false, 8, rows, &n), GT_OK);
	cr_expect(n == 1 && rows[0].id == id);
	bool found = true;
	struct gt_queue_pos pos;
	cr_assert_eq(gt_queue_search(admin, &all, GT_QS_ID, row->c.id_number, NULL, false, rows, &pos, &found), GT_OK);
	cr_expect(!found, "the search does not find a voided case in the queue");
	/* An administrator undoes it: reopened, it is submitted again. */
	cr_expect_eq(gt_store_act(admin, id, 0, GT_ACT_REOPEN, "not a duplicate after all"), GT_OK);
	cr_expect_str_eq(case_status(admin, id), "submitted");
	free(row);
	gt_store_close(rv);
}

/* Issue 16, item 9: an unchanged form writes nothing; the checklist's marks
 * are one version and one audit row. */
Test(workflow, unchanged_save_and_staged_marks)
{
	int64_t id = new_case(admin, 1);
	sqlite3 *db = gt_store_db(admin);
	struct gt_case_row *row = calloc(1, sizeof *row);
	cr_assert_eq(gt_store_get(admin, id, row), GT_OK);
	long long audits = q_int(db, "SELECT count(*) FROM audit");
	cr_expect_eq(gt_store_save(admin, row), GT_OK, "%s", gt_store_errmsg(admin));
	cr_expect_eq(row->version, 1);
	cr_expect_eq(case_version(admin, id), 1, "no new version");
	cr_expect_eq(q_int(db, "SELECT count(*) FROM audit"), audits, "no audit row");
	bool changed = true;
	/* Two documents not received yet: the first received, the second verified. */
	uint16_t rec = 0, ver = 0;
	int e1 = -1, e2 = -1;
	for (int e = 0; e < GT_EV_COUNT; e++) {
		rec |= (uint16_t)(row->evidence[e].received << e);
		ver |= (uint16_t)(row->evidence[e].verified << e);
		if (!row->evidence[e].received)
			*(e1 < 0 ? &e1 : e2 < 0 ? &e2 : &(int){ 0 }) = e;
	}
	cr_assert(e1 >= 0 && e2 >= 0);
	rec |= (uint16_t)(1u << e1 | 1u << e2);
	ver |= (uint16_t)(1u << e2);
	cr_expect_eq(gt_store_mark_evidence(admin, id, 1, rec, ver, &changed), GT_OK, "%s", gt_store_errmsg(admin));
	cr_expect(changed);
	cr_expect_eq(case_version(admin, id), 2, "one version for both marks");
	cr_expect_eq(q_int(db, "SELECT count(*) FROM audit"), audits + 1, "one audit row");
	const char *c1 = gt_code_of(&gt_evidence_codes, e1), *c2 = gt_code_of(&gt_evidence_codes, e2);
	cr_expect_eq(q_int(db, "SELECT json_extract(after, '$.%s.received') FROM audit ORDER BY id DESC LIMIT 1", c1), 1);
	cr_expect_eq(q_int(db, "SELECT json_extract(before, '$.%s.received') FROM audit ORDER BY id DESC LIMIT 1", c1), 0);
	cr_expect_eq(q_int(db, "SELECT json_extract(after, '$.%s.verified') FROM audit ORDER BY id DESC LIMIT 1", c2), 1);
	/* The same marks again: nothing written. */
	cr_expect_eq(gt_store_mark_evidence(admin, id, 2, rec, ver, &changed), GT_OK);
	cr_expect(!changed);
	cr_expect_eq(case_version(admin, id), 2);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM audit"), audits + 1);
	/* A stale version is a conflict. */
	cr_expect_eq(gt_store_mark_evidence(admin, id, 1, 0, 0, &changed), GT_ERR_CONFLICT);
	free(row);
}

Test(workflow, decided_cases_and_notes)
{
	int64_t id = new_case(admin, 1);
	gt_store *rv = open_as(dbpath, "rita");
	sqlite3 *db = gt_store_db(admin);
	/* reject and return need a note */
	cr_expect_eq(gt_store_act(rv, id, 1, GT_ACT_REJECT, NULL), GT_ERR_INVALID);
	cr_expect(contains(gt_store_errmsg(rv), "note is required"), "%s", gt_store_errmsg(rv));
	cr_expect_eq(gt_store_act(rv, id, 1, GT_ACT_REJECT, ""), GT_ERR_INVALID);
	cr_expect_eq(gt_store_act(rv, id, 1, GT_ACT_RETURN, NULL), GT_ERR_INVALID);
	/* a note that is too long or not UTF-8 */
	char big[GT_NOTE_MAX + 2];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	cr_expect_eq(gt_store_act(rv, id, 1, GT_ACT_REJECT, big), GT_ERR_INVALID);
	cr_expect_eq(gt_store_act(rv, id, 1, GT_ACT_REJECT, "\xff\xfe"), GT_ERR_INVALID);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM decisions"), 0);
	cr_expect_eq(case_version(admin, id), 1);

	cr_expect_eq(gt_store_act(rv, id, 1, GT_ACT_APPROVE, NULL), GT_OK, "%s", gt_store_errmsg(rv));
	/* approve of an approved case */
	cr_expect_eq(gt_store_act(rv, id, 2, GT_ACT_APPROVE, NULL), GT_ERR_TRANSITION);
	cr_expect(contains(gt_store_errmsg(rv), "approved"), "%s", gt_store_errmsg(rv));
	cr_expect_eq(gt_store_act(rv, id, 2, GT_ACT_REJECT, "changed my mind"), GT_ERR_TRANSITION);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM decisions"), 1);

	/* an approved case cannot be saved or have its evidence changed */
	struct gt_case_row *row = malloc(sizeof *row);
	cr_assert_eq(gt_store_get(admin, id, row), GT_OK);
	row->c.appraisals = 1;
	cr_expect_eq(gt_store_save(admin, row), GT_ERR_TRANSITION);
	cr_expect(contains(gt_store_errmsg(admin), "reopen"), "%s", gt_store_errmsg(admin));
	cr_expect_eq(gt_store_set_evidence(admin, id, 2, GT_EV_DIPLOMA, true, true, ""), GT_ERR_TRANSITION);
	cr_expect_eq(case_version(admin, id), 2);
	cr_expect_eq(q_int(db, "SELECT appraisals_passed FROM cases WHERE id = %lld", (long long)id), 3);

	/* reopen: admin only, with a note; then it can be changed again */
	cr_expect_eq(gt_store_act(rv, id, 2, GT_ACT_REOPEN, "new evidence"), GT_ERR_DENIED);
	cr_expect_eq(gt_store_act(admin, id, 2, GT_ACT_REOPEN, NULL), GT_ERR_INVALID);
	cr_expect_eq(gt_store_act(admin, id, 2, GT_ACT_REOPEN, "new evidence"), GT_OK, "%s", gt_store_errmsg(admin));
	cr_expect_str_eq(case_status(admin, id), "in_review");
	cr_expect_eq(case_version(admin, id), 3);
	row->version = 3;
	cr_expect_eq(gt_store_save(admin, row), GT_OK, "%s", gt_store_errmsg(admin));
	cr_expect_eq(q_int(db, "SELECT appraisals_passed FROM cases WHERE id = %lld", (long long)id), 1);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM decisions"), 1, "reopen is no decision");
	/* The earlier decision is still there. */
	cr_expect_str_eq(q_text(db, "SELECT action || ' ' || decided_by FROM decisions"), "approve rita");
	free(row);
	gt_store_close(rv);
}

/* Schema 12: the times of a case and of its evaluation are whole seconds;
 * read back they are gt_now's UTC text, the same through the shell's view;
 * a time a person wrote as text with the shell is shown as written, counted
 * by the triggers, and the next change writes seconds again. */
Test(workflow, times_are_seconds_read_back_as_utc_text)
{
	int64_t id = new_case(admin, 7);
	sqlite3 *db = gt_store_db(admin);
	cr_expect_str_eq(q_text(db, "SELECT typeof(created_at) || typeof(updated_at) || (SELECT typeof(evaluated_at) "
				"FROM evaluations e WHERE e.id = c.eval_id) FROM cases c WHERE id = %lld", (long long)id),
			 "integerintegerinteger");
	struct gt_case_row row;
	cr_assert_eq(gt_store_get(admin, id, &row), GT_OK, "%s", gt_store_errmsg(admin));
	cr_expect_eq(strlen(row.created_at), 25, "%s", row.created_at);
	cr_expect(contains(row.created_at, "+00:00"), "%s", row.created_at);
	cr_expect_str_eq(row.created_at, q_text(db, "SELECT created_at FROM case_times WHERE case_id = %lld",
						(long long)id));
	cr_expect_str_eq(row.updated_at, q_text(db, "SELECT updated_at FROM case_times WHERE case_id = %lld",
						(long long)id));
	/* The seconds are those of the text (SQLite's reading of it). */
	cr_expect_eq(q_int(db, "SELECT created_at - unixepoch('%s') FROM cases WHERE id = %lld", row.created_at,
			   (long long)id), 0);
	struct gt_stored_eval ev;
	cr_assert_eq(gt_store_get_eval(admin, row.eval_id, &ev), GT_OK);
	cr_expect_str_eq(ev.evaluated_at, row.created_at);

	/* Written by hand as text, with an offset: shown as written, and the
	 * decision's hours counted from it (09:00 UTC to the decision). */
	char sql[128];
	snprintf(sql, sizeof sql, "UPDATE cases SET created_at = '2020-01-01 17:00:00+08:00' WHERE id = %lld",
		 (long long)id);
	raw_exec(db, sql);
	cr_assert_eq(gt_store_get(admin, id, &row), GT_OK);
	cr_expect_str_eq(row.created_at, "2020-01-01 17:00:00+08:00");
	cr_expect_eq(gt_store_act(admin, id, row.version, GT_ACT_APPROVE, "ok"), GT_OK, "%s", gt_store_errmsg(admin));
	cr_expect_eq(q_int(db, "SELECT count(*) FROM decision_hours WHERE n = 1 AND hours = (SELECT (unixepoch(d.decided_at) "
			       "- unixepoch('2020-01-01 09:00:00')) / 3600 FROM decisions d WHERE d.case_id = %lld)",
			   (long long)id), 1);
	cr_expect_str_eq(q_text(db, "SELECT typeof(updated_at) FROM cases WHERE id = %lld", (long long)id), "integer");
}

/* Schema 13: the codes and dates only the case's reading uses are numbers
 * (input_codes' numbers, days since 1970), read back as the CSV writes them;
 * text written by hand with the shell is read as written; a number that is
 * no code is reported, not guessed. */
Test(workflow, input_codes_and_dates_are_numbers_read_back_as_text)
{
	int64_t id = new_case(admin, 8);
	sqlite3 *db = gt_store_db(admin);
	cr_expect_str_eq(q_text(db, "SELECT typeof(series) || typeof(skill_level) || typeof(title_level) || "
				"typeof(tech_school_class) || typeof(skill_date) || typeof(title_date) || "
				"typeof(work_start) || typeof(application_date) FROM cases WHERE id = %lld", (long long)id),
			 "integerintegerintegerintegerintegernullnullinteger");
	cr_expect_eq(q_int(db, "SELECT skill_date FROM cases WHERE id = %lld", (long long)id),
		     gt_date_from_ymd(2021, 6, 30));
	cr_expect_str_eq(q_text(db, "SELECT series || ' ' || skill_level || ' ' || skill_date || ' ' || title_level || "
				"' ' || tech_school_class || ' ' || application_date FROM case_inputs WHERE case_id = %lld",
				(long long)id),
			 "engineering technician 2021-06-30 none none 2024-06-30");
	struct gt_case_row row;
	cr_assert_eq(gt_store_get(admin, id, &row), GT_OK, "%s", gt_store_errmsg(admin));
	cr_expect_eq(row.c.series, GT_SERIES_ENGINEERING);
	cr_expect_eq(row.c.skill, GT_SKILL_TECHNICIAN);
	cr_expect_eq(row.c.skill_date, gt_date_from_ymd(2021, 6, 30));
	cr_expect_eq(row.c.title_date, GT_DATE_NONE);
	cr_expect_eq(row.c.application_date, gt_date_from_ymd(2024, 6, 30));
	/* The applicant's birth date (case 8: 1968-01-01) and the evaluation's
	 * as-of date likewise. */
	cr_expect_eq(q_int(db, "SELECT birth_date FROM applicants a JOIN cases c ON c.applicant_id = a.id "
			       "WHERE c.id = %lld AND typeof(birth_date) = 'integer'", (long long)id),
		     gt_date_from_ymd(1968, 1, 1));
	cr_expect_eq(q_int(db, "SELECT as_of FROM evaluations e JOIN cases c ON c.eval_id = e.id "
			       "WHERE c.id = %lld AND typeof(as_of) = 'integer'", (long long)id),
		     gt_date_from_ymd(2024, 6, 30));
	struct gt_stored_eval ev;
	cr_assert_eq(gt_store_get_eval(admin, row.eval_id, &ev), GT_OK, "%s", gt_store_errmsg(admin));
	cr_expect_str_eq(ev.as_of, "2024-06-30");
	/* Schema 14: the chosen pathway's rule by its id in rule_names, read
	 * back as its text (and by hand, as text, as written). */
	cr_expect_str_eq(q_text(db, "SELECT typeof(rule_id) || ' ' || (rule_id > 0) FROM evaluations WHERE id = %lld",
				(long long)row.eval_id), "integer 1");
	cr_expect_str_eq(ev.rule_id, "CQ-S2T-2"); /* case 8: Chongqing, its second skill-to-title rule */
	cr_expect_str_eq(q_text(db, "SELECT rule_id FROM evaluation_rules WHERE eval_id = %lld", (long long)row.eval_id),
			 "CQ-S2T-2");
	char upd[96];
	snprintf(upd, sizeof upd, "UPDATE evaluations SET rule_id = 'X-1' WHERE id = %lld", (long long)row.eval_id);
	raw_exec(db, upd);
	cr_assert_eq(gt_store_get_eval(admin, row.eval_id, &ev), GT_OK, "%s", gt_store_errmsg(admin));
	cr_expect_str_eq(ev.rule_id, "X-1");

	/* By hand, as text. */
	char sql[160];
	snprintf(sql, sizeof sql, "UPDATE cases SET skill_level = 'senior', skill_date = '2019-05-01', "
		 "tech_school_class = 'senior_worker' WHERE id = %lld", (long long)id);
	raw_exec(db, sql);
	cr_assert_eq(gt_store_get(admin, id, &row), GT_OK, "%s", gt_store_errmsg(admin));
	cr_expect_eq(row.c.skill, GT_SKILL_SENIOR);
	cr_expect_eq(row.c.skill_date, gt_date_from_ymd(2019, 5, 1));
	cr_expect_eq(row.c.tech_school, GT_SCHOOL_SENIOR_WORKER);
	cr_expect_str_eq(q_text(db, "SELECT skill_level || ' ' || skill_date FROM case_inputs WHERE case_id = %lld",
				(long long)id), "senior 2019-05-01");

	/* A number that is no code. */
	snprintf(sql, sizeof sql, "UPDATE cases SET title_level = 42 WHERE id = %lld", (long long)id);
	raw_exec(db, sql);
	cr_expect_eq(gt_store_get(admin, id, &row), GT_ERR);
	cr_expect(contains(gt_store_errmsg(admin), "42"), "%s", gt_store_errmsg(admin));
}

/* input_codes numbers the codes as the program's tables do: a code moved or
 * renamed in core/gt_codes.c would read every stored case wrongly. */
Test(workflow, input_codes_are_the_programs_code_tables)
{
	sqlite3 *db = gt_store_db(admin);
	const struct { const char *col; const struct gt_code_table *t; } tables[] = {
		{ "series", &gt_series_codes }, { "skill_level", &gt_skill_levels },
		{ "title_level", &gt_title_levels }, { "tech_school_class", &gt_schools },
	};
	for (size_t k = 0; k < sizeof tables / sizeof tables[0]; k++) {
		cr_expect_eq(q_int(db, "SELECT count(*) FROM input_codes WHERE col = '%s'", tables[k].col),
			     tables[k].t->count, "%s", tables[k].col);
		for (int i = 0; i < tables[k].t->count; i++)
			cr_expect_str_eq(q_text(db, "SELECT coalesce((SELECT name FROM input_codes WHERE col = '%s' "
						"AND code = %d), '?')", tables[k].col, i),
					 gt_code_of(tables[k].t, i), "%s %d", tables[k].col, i);
	}
}

Test(workflow, unknown_case)
{
	cr_expect_eq(gt_store_act(admin, 999, 0, GT_ACT_TAKE, NULL), GT_ERR_NOT_FOUND);
	struct gt_case_row row;
	cr_expect_eq(gt_store_get(admin, 999, &row), GT_ERR_NOT_FOUND);
	int64_t id;
	cr_expect_eq(gt_store_find(admin, "nope", &id), GT_ERR_NOT_FOUND);
	int64_t c = new_case(admin, 5);
	char idn[19];
	make_id(5, idn);
	cr_expect_eq(gt_store_find(admin, idn, &id), GT_OK);
	cr_expect_eq(id, c);
	cr_expect_eq(gt_store_find(admin, "R5", &id), GT_OK);
	cr_expect_eq(id, c);
}

/* ================= concurrency ================= */

TestSuite(concurrency, .init = setup_users, .fini = teardown_users, .timeout = 60);

Test(concurrency, second_writer_with_the_same_version_gets_a_conflict)
{
	int64_t id = new_case(admin, 1);
	gt_store *a = open_as(dbpath, "rita"), *b = open_as(dbpath, "rob");
	struct gt_case_row ra, rb;
	cr_assert_eq(gt_store_get(a, id, &ra), GT_OK);
	cr_assert_eq(gt_store_get(b, id, &rb), GT_OK);
	cr_assert_eq(ra.version, rb.version);

	cr_expect_eq(gt_store_act(a, id, ra.version, GT_ACT_APPROVE, "ok"), GT_OK, "%s", gt_store_errmsg(a));
	int rc = gt_store_act(b, id, rb.version, GT_ACT_REJECT, "no");
	cr_expect_eq(rc, GT_ERR_CONFLICT, "rc %d: %s", rc, gt_store_errmsg(b));
	const char *m = gt_store_errmsg(b);
	struct gt_case_row now;
	cr_assert_eq(gt_store_get(admin, id, &now), GT_OK);
	cr_expect(contains(m, "rita"), "names who changed it: %s", m);
	char when[32];
	gt_time_show(now.updated_at, when, sizeof when);
	cr_expect(contains(m, when), "names when, in local time (%s): %s", when, m);
	cr_expect(contains(m, "nothing was saved"), "%s", m);
	cr_expect_eq(now.status, GT_ST_APPROVED, "nothing overwritten");
	cr_expect_eq(now.version, ra.version + 1);
	sqlite3 *db = gt_store_db(admin);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM decisions WHERE case_id = %lld", (long long)id), 1);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM audit WHERE entity = 'case' AND entity_id = '%lld' "
			       "AND action IN ('case.approve', 'case.reject')", (long long)id), 1);

	/* The same for saving and for evidence. */
	int64_t id2 = new_case(admin, 2);
	struct gt_case_row *sa = malloc(sizeof *sa), *sb = malloc(sizeof *sb);
	cr_assert_eq(gt_store_get(a, id2, sa), GT_OK);
	cr_assert_eq(gt_store_get(b, id2, sb), GT_OK);
	snprintf(sa->c.name, sizeof sa->c.name, "甲");
	snprintf(sb->c.name, sizeof sb->c.name, "乙");
	cr_expect_eq(gt_store_save(a, sa), GT_OK, "%s", gt_store_errmsg(a));
	cr_expect_eq(gt_store_save(b, sb), GT_ERR_CONFLICT);
	cr_expect(contains(gt_store_errmsg(b), "rita"), "%s", gt_store_errmsg(b));
	cr_expect_str_eq(q_text(db, "SELECT a.name FROM cases c JOIN applicants a ON a.id = c.applicant_id "
				    "WHERE c.id = %lld", (long long)id2), "甲");
	cr_expect_eq(gt_store_set_evidence(b, id2, 1, GT_EV_DIPLOMA, true, true, ""), GT_ERR_CONFLICT);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM evidence WHERE case_id = %lld", (long long)id2), 0);
	cr_expect_eq(case_version(admin, id2), 2);
	free(sa);
	free(sb);
	gt_store_close(a);
	gt_store_close(b);
}

/* What a child process reports back. */
struct child_result {
	int who;
	int rc;
	char msg[1000];
};

static void write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t k = write(fd, c, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			_exit(99);
		c += k;
		n -= (size_t)k;
	}
}

/* One racer: open as `login`, read the case's version, tell the parent,
 * wait for the start, act, report. Never returns. */
static void racer(int who, const char *login, int64_t id, int action, int ready_fd, int go_fd, int res_fd)
{
	struct child_result r = { .who = who, .rc = 1000 };
	gt_store *st = NULL;
	char e[1024];
	if (gt_store_open_as(&st, dbpath, 0, login, e, sizeof e) != GT_OK) {
		r.rc = 1001;
		snprintf(r.msg, sizeof r.msg, "open: %.900s", e);
		write_all(res_fd, &r, sizeof r);
		write_all(ready_fd, "x", 1);
		_exit(1);
	}
	struct gt_case_row *row = malloc(sizeof *row);
	if (!row || gt_store_get(st, id, row) != GT_OK) {
		r.rc = 1002;
		snprintf(r.msg, sizeof r.msg, "get: %s", gt_store_errmsg(st));
		write_all(res_fd, &r, sizeof r);
		write_all(ready_fd, "x", 1);
		_exit(2);
	}
	int64_t version = row->version;
	write_all(ready_fd, "r", 1);
	char c;
	while (read(go_fd, &c, 1) < 0 && errno == EINTR)
		; /* EOF: go */
	r.rc = gt_store_act(st, id, version, action, "race");
	snprintf(r.msg, sizeof r.msg, "%s", r.rc ? gt_store_errmsg(st) : "");
	write_all(res_fd, &r, sizeof r);
	gt_store_close(st);
	free(row);
	_exit(0);
}

Test(concurrency, lost_update_two_processes, .timeout = 120)
{
	enum { ROUNDS = 20 };
	char *csv = csv_rows(1000, ROUNDS, 3);
	struct gt_import_result res = import_ok(admin, csv);
	free(csv);
	cr_assert_eq(res.inserted, ROUNDS);
	gt_store_close(admin); /* no connection crosses fork() */
	admin = NULL;

	static const char *const login[2] = { "rita", "rob" };
	for (int round = 0; round < ROUNDS; round++) {
		int64_t id = round + 1;
		int ready[2], go[2], out[2];
		cr_assert_eq(pipe(ready), 0);
		cr_assert_eq(pipe(go), 0);
		cr_assert_eq(pipe(out), 0);
		/* Half the rounds: both approve; the other half approve vs reject. */
		int action[2] = { GT_ACT_APPROVE, round % 2 ? GT_ACT_REJECT : GT_ACT_APPROVE };
		if (round % 4 == 3) { /* and who rejects alternates */
			action[0] = GT_ACT_REJECT;
			action[1] = GT_ACT_APPROVE;
		}
		pid_t pid[2];
		for (int w = 0; w < 2; w++) {
			pid[w] = fork();
			cr_assert_geq(pid[w], 0, "fork: %s", strerror(errno));
			if (pid[w] == 0) {
				close(ready[0]);
				close(go[1]);
				close(out[0]);
				racer(w, login[w], id, action[w], ready[1], go[0], out[1]);
			}
		}
		close(ready[1]);
		close(go[0]);
		close(out[1]);
		/* The barrier: both have read the version. */
		char buf[2];
		size_t got = 0;
		while (got < 2) {
			ssize_t k = read(ready[0], buf + got, 2 - got);
			cr_assert_gt(k, 0, "round %d: a child died before reading the case", round);
			got += (size_t)k;
		}
		close(go[1]); /* both go at once */
		struct child_result r[2];
		for (int w = 0; w < 2; w++) {
			struct child_result one;
			size_t n = 0;
			while (n < sizeof one) {
				ssize_t k = read(out[0], (char *)&one + n, sizeof one - n);
				cr_assert_gt(k, 0, "round %d: a child reported nothing", round);
				n += (size_t)k;
			}
			cr_assert(one.who == 0 || one.who == 1);
			r[one.who] = one;
		}
		for (int w = 0; w < 2; w++) {
			int status;
			cr_assert_eq(waitpid(pid[w], &status, 0), pid[w]);
			cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "round %d: child %d status %d", round,
				  w, status);
		}
		close(ready[0]);
		close(out[0]);

		int ok = (r[0].rc == GT_OK) + (r[1].rc == GT_OK);
		cr_assert_eq(ok, 1, "round %d: %d succeeded (rc %d \"%s\", rc %d \"%s\")", round, ok, r[0].rc,
			     r[0].msg, r[1].rc, r[1].msg);
		int win = r[0].rc == GT_OK ? 0 : 1, lose = 1 - win;
		cr_expect_eq(r[lose].rc, GT_ERR_CONFLICT, "round %d: the loser got rc %d: %s", round, r[lose].rc,
			     r[lose].msg);
		cr_expect(contains(r[lose].msg, login[win]), "round %d: names the winner %s: %s", round, login[win],
			  r[lose].msg);
		cr_expect(contains(r[lose].msg, "nothing was saved"), "round %d: %s", round, r[lose].msg);

		sqlite3 *db = raw_open(dbpath);
		cr_expect_eq(q_int(db, "SELECT count(*) FROM decisions WHERE case_id = %lld", (long long)id), 1,
			     "round %d: one decision", round);
		cr_expect_eq(q_int(db, "SELECT count(*) FROM audit WHERE entity = 'case' AND entity_id = '%lld' "
				       "AND action IN ('case.approve', 'case.reject')", (long long)id), 1,
			     "round %d: one decision in the audit", round);
		cr_expect_str_eq(q_text(db, "SELECT decided_by FROM decisions WHERE case_id = %lld", (long long)id),
				 login[win]);
		cr_expect_str_eq(q_text(db, "SELECT status FROM cases WHERE id = %lld", (long long)id),
				 action[win] == GT_ACT_APPROVE ? "approved" : "rejected", "round %d", round);
		cr_expect_eq(q_int(db, "SELECT version FROM cases WHERE id = %lld", (long long)id), 2);
		/* When, as people read it: local time to the minute. */
		char when[32];
		gt_time_show(q_text(db, "SELECT updated_at FROM case_times WHERE case_id = %lld", (long long)id), when,
			     sizeof when);
		cr_expect(contains(r[lose].msg, when), "round %d: names when (%s): %s", round, when, r[lose].msg);
		sqlite3_close(db);
	}
	sqlite3 *db = raw_open(dbpath);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM decisions"), ROUNDS);
	cr_expect_str_eq(q_text(db, "PRAGMA integrity_check"), "ok");
	sqlite3_close(db);
	admin = open_as(dbpath, "ann");
}

/* ================= import ================= */

/* The imports with the smallest run of terms (a case or two): every load
 * of a few cases into an empty store spills runs and merges them on a
 * second thread (store/gt_keys.c, side_start). */
static void setup_import(void)
{
	gt_keys_run_size(1);
	setup_users();
}

TestSuite(import, .init = setup_import, .fini = teardown_users, .timeout = 30);

Test(import, one_bad_row_writes_nothing_and_every_problem_is_reported)
{
	/* Some cases already there, so that "nothing" is measurable everywhere. */
	char *good = csv_rows(1, 5, 3);
	import_ok(admin, good);
	sqlite3 *db = gt_store_db(admin);
	char before[1024], after[1024];
	table_counts(db, before, sizeof before);

	char r1[512], r2[512], r3[512], r4[512], r5[512];
	row_k(r1, sizeof r1, 50, "甲", 3);                   /* line 2: good */
	snprintf(r2, sizeof r2, "B1,乙,110105198001010010,chongqing,skill_to_title,engineering,technician,"
		 "2021-06-30,none,3,id_card,2024-06-30\n");       /* line 3: bad check character */
	row_k(r3, sizeof r3, 51, "丙", 3);                   /* line 4: good but for the region */
	char *p = strstr(r3, "chongqing");
	memcpy(p, "beijing,", 8);
	memmove(p + 8, p + 10, strlen(p + 10) + 1);
	row_k(r4, sizeof r4, 52, "丁", 7);                   /* line 5: appraisals out of range */
	snprintf(r5, sizeof r5, "B5,\"戊\n");                  /* lines 6-7: an unterminated quote */
	char csv[4096];
	snprintf(csv, sizeof csv, "%s%s%s%s%s%s", HDR, r1, r2, r3, r4, r5);
	/* a changed version of an existing row too: it must not be written either */
	struct errs e = { 0 };
	struct gt_import_opts o = { .as_of = GT_DATE_NONE, .on_error = collect, .arg = &e };
	struct gt_import_result res;
	int rc = import_text(admin, csv, &o, &res);
	cr_expect_eq(rc, GT_ERR_INVALID, "rc %d: %s", rc, gt_store_errmsg(admin));
	cr_expect(contains(gt_store_errmsg(admin), "nothing was imported"), "%s", gt_store_errmsg(admin));
	cr_expect_eq(res.inserted, 0);
	cr_expect_eq(res.updated, 0);
	cr_expect_eq(res.invalid, 4);
	cr_assert_eq(e.n, 4, "every problem is reported (%d)", e.n);
	cr_expect(strncmp(e.msg[0], "line 3, identity card number: ", 30) == 0, "%s", e.msg[0]);
	cr_expect(contains(e.msg[0], "does not check"), "%s", e.msg[0]);
	cr_expect(strncmp(e.msg[1], "line 4, region of the case: ", 28) == 0, "%s", e.msg[1]);
	cr_expect(contains(e.msg[1], "beijing"), "%s", e.msg[1]);
	cr_expect(strncmp(e.msg[2], "line 5, appraisals passed in the last 3 years: ", 47) == 0, "%s", e.msg[2]);
	cr_expect(strncmp(e.msg[3], "line 6, applicant name: ", 26) == 0 ||
		  strncmp(e.msg[3], "line 6, ", 8) == 0, "%s", e.msg[3]);
	table_counts(db, after, sizeof after);
	cr_expect_str_eq(after, before, "nothing was written");
	free(good);
}

Test(import, first_row_bad_later_rows_good_still_nothing)
{
	sqlite3 *db = gt_store_db(admin);
	char before[1024], after[1024];
	table_counts(db, before, sizeof before);
	char *csv = csv_rows(1, 300, 3);
	/* Break the id of the first data row (line 2). */
	char *row1 = strchr(csv, '\n') + 1;
	char *comma = strchr(strchr(row1, ',') + 1, ',') + 1; /* the id_number cell */
	comma[17] = comma[17] == '0' ? '1' : '0';
	struct errs e = { 0 };
	struct gt_import_opts o = { .as_of = GT_DATE_NONE, .on_error = collect, .arg = &e };
	struct gt_import_result res;
	cr_expect_eq(import_text(admin, csv, &o, &res), GT_ERR_INVALID);
	cr_expect_eq(e.n, 1);
	cr_expect(strncmp(e.msg[0], "line 2, identity card number: ", 30) == 0, "%s", e.msg[0]);
	cr_expect_eq(res.rows, 300, "every row was still checked");
	table_counts(db, after, sizeof after);
	cr_expect_str_eq(after, before);
	free(csv);
}

Test(import, skip_invalid_writes_the_reject_file)
{
	char r1[512], r2[512], r3[512];
	row_k(r1, sizeof r1, 60, "甲", 3);
	snprintf(r2, sizeof r2, "B2,\"乙, 丙\",110105198001010010,chongqing,skill_to_title,engineering,technician,"
		 "2021-06-30,none,3,id_card,2024-06-30\n");
	row_k(r3, sizeof r3, 61, "丁", 3);
	char csv[4096];
	snprintf(csv, sizeof csv, "%s%s%s%s", HDR, r1, r2, r3);
	char *rej;
	struct errs e = { 0 };
	struct gt_import_result res;
	int rc = import_skipping(admin, csv, &e, &rej, &res);
	cr_assert_eq(rc, GT_OK, "%s", gt_store_errmsg(admin));
	cr_expect_eq(res.rows, 3);
	cr_expect_eq(res.inserted, 2);
	cr_expect_eq(res.invalid, 1);
	cr_expect_eq(e.n, 1);
	cr_expect_eq(q_int(gt_store_db(admin), "SELECT count(*) FROM cases"), 2);
	/* The header with reject_reason, then the bad row as read, with its reason. */
	cr_expect(strncmp(rej, "case_ref,name,id_number,", 24) == 0, "%s", rej);
	cr_expect(contains(rej, "application_date,reject_reason\r\n"), "%s", rej);
	cr_expect(contains(rej, "B2,\"乙, 丙\",110105198001010010,chongqing,"), "%s", rej);
	cr_expect(contains(rej, ",\"line 3, identity card number: \"\"110105198001010010\"\""), "%s", rej);
	int lines = 0;
	for (const char *p = rej; *p; p++)
		lines += *p == '\n';
	cr_expect_eq(lines, 2, "header and one row: %s", rej);
	free(rej);
}

/* The reader thread hands rows over in batches: across many of them, the
 * rows are written, reported and rejected in the file's order. */
Test(import, rows_in_many_batches_keep_the_file_order)
{
	enum { K0 = 1000, N = 1000, EVERY = 97 };
	char *csv = csv_rows_mixed(K0, N, 3, EVERY), *rej;
	struct errs e = { 0 };
	struct gt_import_result res;
	int rc = import_skipping(admin, csv, &e, &rej, &res);
	cr_assert_eq(rc, GT_OK, "%s", gt_store_errmsg(admin));
	int bad = N / EVERY;
	cr_expect_eq(res.rows, N);
	cr_expect_eq(res.invalid, bad);
	cr_expect_eq(res.inserted, N - bad);
	cr_assert_eq(e.n, bad);
	const char *at = rej;
	for (int i = 0; i < bad; i++) {
		int k = K0 + (i + 1) * EVERY - 1;
		char want[64], ref[16];
		snprintf(want, sizeof want, "line %d, appraisals passed in the last 3 years: ", k - K0 + 2);
		cr_expect(strncmp(e.msg[i], want, strlen(want)) == 0, "problem %d: %s", i, e.msg[i]);
		snprintf(ref, sizeof ref, "\nR%d,", k);
		const char *p = strstr(rej, ref);
		cr_expect(p && p > at, "R%d is in the reject file after the one before it", k);
		if (p)
			at = p;
	}
	/* Written in file order, each with its evaluation, and named by the
	 * import's one audit row (a created case has no row of its own). */
	sqlite3 *db = gt_store_db(admin);
	sqlite3_stmt *s = NULL;
	cr_expect_eq(q_int(db, "SELECT count(*) FROM audit WHERE action = 'case.import'"), 0);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT c.case_ref, c.outcome = e.outcome AND e.case_version = 1, "
					"(SELECT count(*) FROM audit a, json_each(a.after, '$.created') r "
					"WHERE a.action = 'import' AND c.id BETWEEN json_extract(r.value, '$[0]') "
					"AND json_extract(r.value, '$[1]')) "
					"FROM cases c JOIN evaluations e ON e.id = c.eval_id "
					"WHERE c.case_ref LIKE 'R1%' ORDER BY c.id", -1, &s, NULL), SQLITE_OK);
	int k = K0, n = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		if ((k - K0 + 1) % EVERY == 0)
			k++;
		char ref[16];
		snprintf(ref, sizeof ref, "R%d", k++);
		cr_expect_str_eq((const char *)sqlite3_column_text(s, 0), ref);
		cr_expect_eq(sqlite3_column_int(s, 1), 1, "%s: its evaluation", ref);
		cr_expect_eq(sqlite3_column_int(s, 2), 1, "%s: named by the import's audit row", ref);
		n++;
	}
	sqlite3_finalize(s);
	cr_expect_eq(n, N - bad);
	/* Each rule set's version is stored once, whatever the number of
	 * evaluations that name it, and reads back as the program's. */
	cr_expect_eq(q_int(db, "SELECT count(*) FROM rulesets"),
		     q_int(db, "SELECT count(DISTINCT ruleset) FROM evaluations"));
	cr_expect_eq(q_int(db, "SELECT count(*) FROM evaluations e LEFT JOIN rulesets r ON r.id = e.ruleset "
			       "WHERE r.id IS NULL"), 0);
	free(rej);
	free(csv);
}

/* Into an empty store, where the identity numbers already written are kept
 * in a filter that spares the lookup of a number not seen before: a later
 * row for the applicant of an earlier one still finds them, for the same
 * case (an update) and for a case in another region (their second case). */
Test(import, into_an_empty_store_a_later_row_finds_the_earlier_applicant)
{
	enum { N = 300 };
	char *rows = csv_rows(1, N, 1);
	char same[512], other[512], id[19];
	row_k(same, sizeof same, 7, "张伟7", 2);
	make_id(9, id);
	snprintf(other, sizeof other, "R9b,张伟9,%s,anshan,skill_to_title,engineering,technician,2021-06-30,none,1,"
		 "id_card;skill_certificate;work_record;appraisal_records,2024-06-30\n", id);
	size_t n = strlen(rows) + strlen(same) + strlen(other) + 1;
	char *csv = malloc(n);
	cr_assert_not_null(csv);
	snprintf(csv, n, "%s%s%s", rows, same, other);
	sqlite3 *db = gt_store_db(admin);
	int cache = q_int(db, "PRAGMA cache_size");
	struct gt_import_result res = import_ok(admin, csv);
	cr_expect_eq(res.rows, N + 2);
	cr_expect_eq(res.inserted, N + 1);
	cr_expect_eq(res.updated, 1);
	/* The indexes were built under a smaller page cache, their sort in
	 * temporary files; the store's cache and its temporary storage in
	 * memory (2) are back. */
	cr_expect_eq(q_int(db, "PRAGMA cache_size"), cache);
	cr_expect_eq(q_int(db, "PRAGMA temp_store"), 2);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM applicants"), N);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM cases"), N + 1);
	/* R9's applicant has two cases; R7 is at its second version. */
	sqlite3_stmt *s = NULL;
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT count(*), max(c.version) FROM cases c JOIN applicants a "
					"ON a.id = c.applicant_id WHERE a.id_number = ?", -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
	cr_expect_eq(sqlite3_column_int(s, 0), 2);
	sqlite3_reset(s);
	make_id(7, id);
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
	cr_expect_eq(sqlite3_column_int(s, 0), 1);
	cr_expect_eq(sqlite3_column_int(s, 1), 2);
	sqlite3_finalize(s);
	free(csv);
	free(rows);
}

/* What the files beside the store and a second connection show while an
 * import runs: looked at from its progress callback (called with the
 * rows read, inside the import's transaction). */
struct journal_seen {
	int calls;
	bool journal, wal;  /* -journal and -wal beside the store (every call) */
	int other_read;     /* a second connection's SELECT: its SQLite code */
	long long other_cases;
	int other_write;    /* its BEGIN IMMEDIATE */
	gt_store *other;    /* when set: a connection kept open through the import */
	long long other_kept; /* its count of cases */
};

static void journal_look(long rows, void *arg)
{
	(void)rows;
	struct journal_seen *j = arg;
	char path[600];
	snprintf(path, sizeof path, "%s-journal", dbpath);
	j->journal = file_exists(path);
	snprintf(path, sizeof path, "%s-wal", dbpath);
	j->wal = file_exists(path);
	j->calls++;
	/* A second connection now, which waits for nothing: what it can read,
	 * whether it can write. */
	sqlite3 *db = NULL;
	cr_assert_eq(sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	sqlite3_stmt *s = NULL;
	j->other_read = sqlite3_prepare_v2(db, "SELECT count(*) FROM cases", -1, &s, NULL);
	if (j->other_read == SQLITE_OK) {
		j->other_read = sqlite3_step(s);
		j->other_cases = j->other_read == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
	}
	sqlite3_finalize(s);
	j->other_write = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	if (j->other)
		j->other_kept = q_int(gt_store_db(j->other), "SELECT count(*) FROM cases");
}

/* Into an empty store, by the file's only connection: the import's
 * transaction has a rollback journal (every new page written once, into
 * the file), not the WAL; meanwhile another connection reads the store as
 * it was or waits, and cannot write; after it the store is in WAL mode
 * again and the journal is gone. */
Test(import, into_an_empty_store_alone_a_rollback_journal_then_wal_again)
{
	char *csv = csv_rows(1, 300, 1);
	struct journal_seen j = { 0 };
	struct gt_import_opts o = { .as_of = GT_DATE_NONE, .progress = journal_look, .arg = &j };
	struct gt_import_result res;
	cr_assert_eq(import_text(admin, csv, &o, &res), GT_OK, "%s", gt_store_errmsg(admin));
	cr_assert_gt(j.calls, 0);
	cr_expect(j.journal, "a rollback journal during the import");
	cr_expect(!j.wal, "no WAL during the import");
	cr_expect(j.other_read == SQLITE_BUSY || (j.other_read == SQLITE_ROW && j.other_cases == 0),
		  "a reader meanwhile: code %d, %lld cases", j.other_read, j.other_cases);
	cr_expect_eq(j.other_write, SQLITE_BUSY);
	sqlite3 *db = gt_store_db(admin);
	cr_expect_str_eq(q_text(db, "PRAGMA journal_mode"), "wal");
	cr_expect_eq(q_int(db, "SELECT count(*) FROM cases"), 300);
	char path[600];
	snprintf(path, sizeof path, "%s-journal", dbpath);
	cr_expect(!file_exists(path), "the journal is gone");
	/* The file says WAL to every later connection (header bytes 18 and 19). */
	sqlite3 *raw = raw_open(dbpath);
	cr_expect_str_eq(q_text(raw, "PRAGMA journal_mode"), "wal");
	cr_expect_str_eq(q_text(raw, "PRAGMA integrity_check"), "ok");
	sqlite3_close(raw);
	/* A refused import in the same mode leaves nothing and WAL mode too:
	 * the next one into a store with cases stays in WAL mode all along. */
	gt_store_close(admin);
	remove_dir();
	setup_users();
	char *bad = csv_rows_mixed(1, 300, 1, 150);
	j = (struct journal_seen){ 0 };
	cr_expect_eq(import_text(admin, bad, &o, &res), GT_ERR_INVALID);
	cr_expect(j.journal);
	db = gt_store_db(admin);
	cr_expect_str_eq(q_text(db, "PRAGMA journal_mode"), "wal");
	cr_expect_eq(q_int(db, "SELECT count(*) FROM cases"), 0);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM applicants"), 0);
	cr_expect(!file_exists(path), "the journal is gone");
	import_ok(admin, csv);
	char *more = csv_rows(1001, 20, 1);
	j = (struct journal_seen){ 0 };
	cr_assert_eq(import_text(admin, more, &o, &res), GT_OK, "%s", gt_store_errmsg(admin));
	cr_expect(!j.journal && j.wal, "into a store with cases: WAL (journal %d, wal %d)", j.journal, j.wal);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM cases"), 320);
	free(more);
	free(bad);
	free(csv);
}

/* Into a store with cases whose file is smaller than the file imported
 * (a real file: its size is known), alone: a rollback journal too; the
 * rows are written as into any store with cases. */
Test(import, into_a_small_store_alone_a_rollback_journal)
{
	sqlite3 *db = gt_store_db(admin);
	char *few = csv_rows(1, 5, 1);
	import_ok(admin, few);
	free(few);
	char *csv = csv_rows(101, 6000, 1);
	long long store = q_int(db, "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()");
	cr_assert_gt((long long)strlen(csv), store, "the file (%zu bytes) is larger than the store", strlen(csv));
	char path[600];
	path_in(path, sizeof path, "big.csv");
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	cr_assert_eq(fputs(csv, f) >= 0, true);
	fclose(f);
	f = fopen(path, "r");
	struct journal_seen j = { 0 };
	struct gt_import_opts o = { .as_of = GT_DATE_NONE, .progress = journal_look, .arg = &j };
	struct gt_import_result res;
	cr_assert_eq(gt_store_import(admin, f, "big.csv", &o, &res), GT_OK, "%s", gt_store_errmsg(admin));
	fclose(f);
	cr_expect(j.journal && !j.wal, "a rollback journal (journal %d, wal %d)", j.journal, j.wal);
	cr_expect_eq(res.inserted, 6000);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM cases"), 6005);
	cr_expect_str_eq(q_text(db, "PRAGMA journal_mode"), "wal");
	cr_expect_str_eq(q_text(db, "PRAGMA integrity_check"), "ok");
	free(csv);
}

/* Into an empty store with another connection open (a workstation): the
 * import stays in WAL mode, and that connection reads the store as it was
 * while the import runs. */
Test(import, into_an_empty_store_beside_another_connection_stays_in_wal)
{
	gt_store *other = open_as(dbpath, "carl");
	cr_expect_eq(q_int(gt_store_db(other), "SELECT count(*) FROM cases"), 0);
	char *csv = csv_rows(1, 300, 1);
	struct journal_seen j = { .other = other, .other_kept = -1 };
	struct gt_import_opts o = { .as_of = GT_DATE_NONE, .progress = journal_look, .arg = &j };
	struct gt_import_result res;
	cr_assert_eq(import_text(admin, csv, &o, &res), GT_OK, "%s", gt_store_errmsg(admin));
	cr_assert_gt(j.calls, 0);
	cr_expect(!j.journal && j.wal, "WAL mode all along (journal %d, wal %d)", j.journal, j.wal);
	cr_expect_eq(j.other_read, SQLITE_ROW);
	cr_expect_eq(j.other_cases, 0);
	cr_expect_eq(j.other_write, SQLITE_BUSY);
	cr_expect_eq(j.other_kept, 0);
	cr_expect_eq(q_int(gt_store_db(other), "SELECT count(*) FROM cases"), 300);
	cr_expect_str_eq(q_text(gt_store_db(admin), "PRAGMA journal_mode"), "wal");
	gt_store_close(other);
	free(csv);
}

/* case_counts as the cases and their evaluations make it (the grouping of
 * its triggers), and as it holds it, rows of 0 left out. */
#define COUNTS_OF_CASES                                                                                        \
	"SELECT group_concat(k || '|' || n, char(10)) FROM (SELECT k, count(*) AS n FROM (SELECT c.region "     \
	"|| '|' || c.direction || '|' || ifnull(c.requested_level, c.target) || '|' || c.outcome || '|' || "   \
	"e.route || '|' || iif(e.route = 'green_channel', e.basis, '') || '|' || c.status AS k FROM cases c "  \
	"JOIN evaluations e ON e.id = c.eval_id) GROUP BY k ORDER BY k)"
#define COUNTS_KEPT                                                                                            \
	"SELECT group_concat(r, char(10)) FROM (SELECT region || '|' || direction || '|' || level || '|' || "  \
	"outcome || '|' || route || '|' || award || '|' || status || '|' || n AS r FROM case_counts "          \
	"WHERE n <> 0 ORDER BY 1)"

/* Into an empty store the counters' triggers are dropped and the import
 * counts the cases itself: a later row of the file that changes a case it
 * created moves that case from its old row of case_counts to its new one. */
Test(import, into_an_empty_store_the_counts_follow_a_case_the_file_changes)
{
	enum { N = 60, CHANGED = 20 };
	char *rows = csv_rows(1, N, 1);
	size_t n = strlen(rows) + CHANGED * 256;
	char *csv = malloc(n);
	cr_assert_not_null(csv);
	size_t len = (size_t)snprintf(csv, n, "%s", rows);
	for (int k = 1; k <= CHANGED; k++) { /* the same cases, three appraisals passed */
		char name[32];
		snprintf(name, sizeof name, "张伟%d", k);
		row_k(csv + len, n - len, k, name, 3);
		len += strlen(csv + len);
	}
	char once[600];
	path_in(once, sizeof once, "once.db");
	gt_store *st = open_as(once, "ann");
	import_ok(st, rows);
	sqlite3 *db1 = gt_store_db(st), *db = gt_store_db(admin);
	struct gt_import_result res = import_ok(admin, csv);
	cr_expect_eq(res.inserted, N);
	cr_expect_eq(res.updated, CHANGED);
	char *without = strdup(q_text(db1, COUNTS_OF_CASES));
	cr_expect_str_eq(q_text(db1, COUNTS_KEPT), without);
	char *with = strdup(q_text(db, COUNTS_OF_CASES));
	cr_expect_str_neq(with, without, "the later rows changed the cases' outcomes");
	cr_expect_str_eq(q_text(db, COUNTS_KEPT), with);
	free(with);
	free(without);
	gt_store_close(st);
	free(csv);
	free(rows);
}

/* A failure in the middle of a long file: the writer stops the reader, which
 * is still reading ahead, and nothing is written. */
/* A row naming a stored applicant (by identity number) under another name,
 * in a region where that applicant has no case yet: the row's name is the
 * applicant's name now, as a row that updates a case makes it, and every
 * case of the applicant is found by it. Into an empty store (one file) and
 * into a store that has the applicant. */
Test(import, a_new_case_under_a_known_applicants_new_name_renames_the_applicant)
{
	char first[512], second[512], id[19], csv[2048];
	row_k(first, sizeof first, 1, "李娜", 3);
	make_id(1, id);
	snprintf(second, sizeof second, "R1b,王小明,%s,anshan,skill_to_title,engineering,technician,2021-06-30,none,3,"
		 "id_card;skill_certificate;work_record;appraisal_records,2024-06-30\n", id);
	for (int round = 0; round < 2; round++) {
		/* Round 0: both rows in one file, into the empty store; round
		 * 1: the case of the first row stored, the second imported. */
		char path[600];
		path_in(path, sizeof path, round == 0 ? "one.db" : "two.db");
		gt_store *st = open_as(path, "ann");
		sqlite3 *db = gt_store_db(st);
		if (round == 0) {
			snprintf(csv, sizeof csv, "%s%s%s", HDR, first, second);
		} else {
			snprintf(csv, sizeof csv, "%s%s", HDR, first);
			import_ok(st, csv);
			snprintf(csv, sizeof csv, "%s%s", HDR, second);
		}
		struct gt_import_result res = import_ok(st, csv);
		cr_expect_eq(res.inserted, round == 0 ? 2 : 1, "round %d", round);
		cr_expect_eq(q_int(db, "SELECT count(*) FROM applicants"), 1);
		cr_expect_str_eq(q_text(db, "SELECT name FROM applicants"), "王小明", "round %d", round);
		cr_expect_eq(q_int(db, "SELECT count(*) FROM case_keys WHERE pinyin = 'wangxiaoming'"), 2, "round %d", round);
		cr_expect_eq(q_int(db, "SELECT count(*) FROM case_terms WHERE term GLOB '*娜*' OR term GLOB 'lina*'"), 0,
			     "round %d: terms of the old name left", round);
		char *before = all_terms(db);
		cr_assert_eq(gt_store_keys_rebuild(st), GT_OK, "%s", gt_store_errmsg(st));
		char *rebuilt = all_terms(db);
		cr_expect_str_eq(before, rebuilt, "round %d", round);
		free(before);
		free(rebuilt);
		gt_store_close(st);
	}
}

Test(import, a_failure_in_the_middle_writes_nothing_and_stops_the_reader)
{
	sqlite3 *db = gt_store_db(admin);
	char before[1024], after[1024];
	table_counts(db, before, sizeof before);
	cr_assert_eq(sqlite3_exec(db, "CREATE TEMP TRIGGER fail_midway BEFORE INSERT ON main.cases "
				  "WHEN NEW.case_ref = 'R2500' BEGIN SELECT RAISE(ABORT, 'stopped on purpose'); END",
				  NULL, NULL, NULL), SQLITE_OK);
	char *csv = csv_rows(2000, 3000, 3);
	struct gt_import_opts o = { .as_of = GT_DATE_NONE };
	struct gt_import_result res;
	int rc = import_text(admin, csv, &o, &res);
	cr_expect_eq(rc, GT_ERR, "rc %d: %s", rc, gt_store_errmsg(admin));
	cr_expect(contains(gt_store_errmsg(admin), "stopped on purpose"), "%s", gt_store_errmsg(admin));
	cr_expect_eq(res.inserted, 0);
	cr_expect_lt(res.rows, 3000, "the writer stopped at the failing row (%ld)", res.rows);
	table_counts(db, after, sizeof after);
	cr_expect_str_eq(after, before, "nothing was written");
	/* The store is as good as before: the same file goes in whole. */
	cr_assert_eq(sqlite3_exec(db, "DROP TRIGGER fail_midway", NULL, NULL, NULL), SQLITE_OK);
	struct gt_import_result ok = import_ok(admin, csv);
	cr_expect_eq(ok.inserted, 3000);
	free(csv);
}

/* Imports csv from a regular file (tmpfile: a file has a size and a
 * fingerprint, a stream in memory has neither), which must succeed. */
static struct gt_import_result import_file_ok(gt_store *st, const char *csv)
{
	FILE *f = tmpfile();
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(csv, 1, strlen(csv), f), strlen(csv));
	cr_assert_eq(fflush(f), 0);
	rewind(f);
	struct gt_import_opts o = { .as_of = GT_DATE_NONE };
	struct gt_import_result res;
	int rc = gt_store_import(st, f, "test.csv", &o, &res);
	fclose(f);
	cr_assert_eq(rc, GT_OK, "import: rc %d: %s", rc, gt_store_errmsg(st));
	return res;
}

/* The file's fingerprint is made while the rows are read, and looked at
 * before them only when the last import's file had the same size: a file
 * of the same size but other bytes is read as a new file, the same bytes
 * are the import repeated, and each audit row has the size and hash of
 * its own file. */
Test(import, a_file_of_the_same_size_counts_as_the_same_only_by_its_hash)
{
	sqlite3 *db = gt_store_db(admin);
	char *csv = csv_rows(1, 4, 3);
	struct gt_import_result res = import_file_ok(admin, csv);
	cr_expect_eq(res.inserted, 4);
	cr_expect_eq(res.same_as, 0);
#define LAST_IMPORT(what) "SELECT " what " FROM audit WHERE action = 'import' ORDER BY id DESC LIMIT 1"
	char want[64];
	snprintf(want, sizeof want, "%zu 64", strlen(csv));
	cr_expect_str_eq(q_text(db, LAST_IMPORT("json_extract(after, '$.size') || ' ' || "
						"length(json_extract(after, '$.sha256'))")), want);
	const char *sql = LAST_IMPORT("json_extract(after, '$.sha256')");
#undef LAST_IMPORT
	char first[65];
	snprintf(first, sizeof first, "%s", q_text(db, "%s", sql));

	res = import_file_ok(admin, csv);
	cr_expect_eq(res.unchanged, 4);
	cr_expect_neq(res.same_as, 0, "the same bytes: the import repeated");
	cr_expect_str_eq(q_text(db, "%s", sql), first);

	char *changed = csv_rows(1, 4, 3); /* appraisals 3 -> 2 in one row: same size */
	char *three = strstr(strstr(changed, "\nR2,") + 1, ",3,id_card");
	three[1] = '2';
	cr_assert_eq(strlen(changed), strlen(csv));
	res = import_file_ok(admin, changed);
	cr_expect_eq(res.same_as, 0, "same size, other bytes: not the same file");
	cr_expect_eq(res.updated, 1);
	cr_expect_eq(res.unchanged, 3);
	cr_expect_str_neq(q_text(db, "%s", sql), first);
	free(changed);
	free(csv);
}

Test(import, reimport_unchanged_then_changed_then_decided)
{
	sqlite3 *db = gt_store_db(admin);
	char *csv = csv_rows(1, 4, 3);
	struct gt_import_result res = import_ok(admin, csv);
	cr_expect_eq(res.inserted, 4);
	/* Audited as an import: one row naming the four cases it created (at
	 * version 1), none of their own. */
	cr_expect_eq(q_int(db, "SELECT count(*) FROM audit WHERE action = 'case.import'"), 0, "no row per created case");
	cr_expect_eq(q_int(db, "SELECT count(*) FROM audit WHERE action = 'import'"), 1, "one row for the import");
	cr_expect_str_eq(q_text(db, "SELECT json_extract(after, '$.created') FROM audit WHERE action = 'import'"),
			 q_text(db, "SELECT json_array(json_array(min(id), max(id))) FROM cases"));
	cr_expect_eq(q_int(db, "SELECT count(*) FROM cases"), 4);
	cr_expect_eq(q_int(db, "SELECT max(id) - min(id) + 1 FROM cases"), 4, "the range names exactly the cases");
	cr_expect_str_eq(q_text(db, "SELECT actor || ' ' || entity_id || ' ' || json_extract(after, '$.rows') || ' ' || "
				"json_extract(after, '$.inserted') FROM audit WHERE action = 'import'"),
			 q_text(db, "SELECT '%s test.csv 4 4'", gt_store_actor(admin)));
	cr_expect_eq(q_int(db, "SELECT count(*) FROM evaluations"), 4);

	/* The same file again: nothing changes; the import is audited, once. */
	char before[1024], after[1024];
	table_counts(db, before, sizeof before);
	res = import_ok(admin, csv);
	cr_expect_eq(res.unchanged, 4);
	cr_expect_eq(res.inserted + res.updated, 0);
	table_counts(db, after, sizeof after);
	cr_expect_str_eq(after, q_text(db, "SELECT replace('%s', 'audit=%lld;', 'audit=%lld;')", before,
				       q_int(db, "SELECT count(*) FROM audit") - 1, q_int(db, "SELECT count(*) FROM audit")),
			 "one audit row more, nothing else");
	cr_expect_eq(q_int(db, "SELECT count(*) FROM audit WHERE action = 'import'"), 2);
	cr_expect_eq(q_int(db, "SELECT max(version) FROM cases"), 1);

	/* One row changed (appraisals 3 -> 2): that case becomes version 2; its
	 * own audit row has exactly the changed fields, the import's names it. */
	char *changed = csv_rows(1, 4, 3);
	char *line3 = strstr(changed, "\nR2,") + 1;
	char *three = strstr(line3, ",3,id_card");
	three[1] = '2';
	res = import_ok(admin, changed);
	cr_expect_eq(res.updated, 1);
	cr_expect_eq(res.unchanged, 3);
	int64_t id;
	cr_assert_eq(gt_store_find(admin, "R2", &id), GT_OK);
	cr_expect_eq(case_version(admin, id), 2);
	cr_expect_eq(q_int(db, "SELECT appraisals_passed FROM cases WHERE id = %lld", (long long)id), 2);
	long long a = q_int(db, "SELECT max(id) FROM audit WHERE action = 'case.import'");
	cr_expect_str_eq(q_text(db, "SELECT action || ' ' || entity_id FROM audit WHERE id = %lld", a),
			 q_text(db, "SELECT 'case.import ' || %lld", (long long)id));
	cr_expect_str_eq(q_text(db, "SELECT (SELECT group_concat(key) FROM json_each(before)) || ' ' || "
				"(SELECT group_concat(key) FROM json_each(after)) FROM audit WHERE id = %lld", a),
			 q_int(db, "SELECT count(DISTINCT outcome) FROM evaluations WHERE case_id = %lld", (long long)id) == 2
				 ? "appraisals_passed,version,outcome appraisals_passed,version,outcome"
				 : "appraisals_passed,version appraisals_passed,version",
			 "exactly the changed fields");
	cr_expect_str_eq(q_text(db, "SELECT json_extract(before, '$.appraisals_passed') FROM audit WHERE id = %lld", a), "3");
	cr_expect_str_eq(q_text(db, "SELECT json_extract(after, '$.appraisals_passed') FROM audit WHERE id = %lld", a), "2");
	cr_expect_str_eq(q_text(db, "SELECT json_extract(after, '$.changed') || json_extract(after, '$.created') "
				"FROM audit WHERE action = 'import' ORDER BY id DESC LIMIT 1"),
			 q_text(db, "SELECT '[[%lld,2]][]'", (long long)id), "the import names the case it changed");
	cr_expect_eq(q_int(db, "SELECT count(*) FROM evaluations WHERE case_id = %lld", (long long)id), 2);
	cr_expect_eq(q_int(db, "SELECT case_version FROM evaluations WHERE id = (SELECT eval_id FROM cases WHERE id = %lld)",
			   (long long)id), 2);

	/* Decided: import does not change it. */
	cr_assert_eq(gt_store_act(admin, id, 2, GT_ACT_APPROVE, "the committee accepts the appraisal record"), GT_OK, "%s", gt_store_errmsg(admin));
	table_counts(db, before, sizeof before);
	struct errs e = { 0 };
	struct gt_import_opts o = { .as_of = GT_DATE_NONE, .on_error = collect, .arg = &e };
	int rc = import_text(admin, csv, &o, &res); /* appraisals back to 3 */
	cr_expect_eq(rc, GT_ERR_INVALID, "rc %d", rc);
	cr_expect_eq(res.refused, 1);
	cr_expect_eq(e.n, 1);
	cr_expect(contains(e.msg[0], "line 3") && contains(e.msg[0], "approved"), "%s", e.msg[0]);
	table_counts(db, after, sizeof after);
	cr_expect_str_eq(after, before);
	/* With --skip-invalid the others go in, the decided one stays. */
	char *more = csv_rows(1, 6, 3);
	FILE *rf = tmpfile();
	struct gt_import_opts o2 = { .skip_invalid = true, .reject = rf, .as_of = GT_DATE_NONE };
	rc = import_text(admin, more, &o2, &res);
	fclose(rf);
	cr_expect_eq(rc, GT_OK, "%s", gt_store_errmsg(admin));
	cr_expect_eq(res.inserted, 2);
	cr_expect_eq(res.refused, 1);
	cr_expect_eq(q_int(db, "SELECT appraisals_passed FROM cases WHERE id = %lld", (long long)id), 2);
	cr_expect_eq(case_version(admin, id), 3);
	cr_expect_str_eq(case_status(admin, id), "approved");
	free(more);
	free(changed);
	free(csv);
}

Test(import, an_export_reads_back_with_neutralised_cells)
{
	/* Hostile names through export and import: the same cases, the same
	 * text. The cases are saved with these exact names (an imported cell
	 * that looks neutralised would be restored on the way in). */
	static const char *const names[] = { "=cmd|' /C calc'!A0", "+1", "-1", "@SUM(1)", "'=x", "''+1", "'plain",
					     "a;=b", "x,y", "say \"hi\"", "李;王", "c;'d" };
	enum { N = sizeof names / sizeof names[0] };
	for (int i = 0; i < N; i++) {
		struct gt_case_row *row = calloc(1, sizeof *row);
		char line[512];
		row_k(line, sizeof line, 200 + i, "x", 3);
		parse_row(line, &row->c);
		snprintf(row->c.name, sizeof row->c.name, "%s", names[i]);
		row->status = GT_ST_SUBMITTED;
		cr_assert_eq(gt_store_save(admin, row), GT_OK, "%s", gt_store_errmsg(admin));
		free(row);
	}
	char out1[600], out2[600], db2[600];
	path_in(out1, sizeof out1, "e1.csv");
	path_in(out2, sizeof out2, "e2.csv");
	path_in(db2, sizeof db2, "second.db");
	struct gt_export_opts eo = { .format = GT_EXPORT_CSV };
	long rows;
	cr_assert_eq(gt_store_export(admin, out1, &eo, &rows), GT_OK, "%s", gt_store_errmsg(admin));
	cr_expect_eq(rows, N);
	size_t n1;
	char *e1 = read_file(out1, &n1);
	cr_expect(contains(e1, ",'=cmd|' /C calc'!A0,"), "%s", e1);
	cr_expect(contains(e1, ",'+1,"));
	cr_expect(contains(e1, ",'-1,"));
	cr_expect(contains(e1, ",'@SUM(1),"));
	cr_expect(contains(e1, ",''=x,"));
	cr_expect(contains(e1, ",'''+1,"));
	cr_expect(contains(e1, ",'plain,"), "not dangerous: as it is");
	/* Quoted where a separator or a quote is, each part after a separator
	 * neutralised (export copies the cells that need neither apostrophe nor
	 * doubled quote itself: the same bytes as gt_out_cell). */
	cr_expect(contains(e1, ",\"a;'=b\","), "%s", e1);
	cr_expect(contains(e1, ",\"x,y\","));
	cr_expect(contains(e1, ",\"say \"\"hi\"\"\","));
	cr_expect(contains(e1, ",\"李;王\","));
	cr_expect(contains(e1, ",\"c;'d\","), "an apostrophe before safe text is left as it is");

	gt_store *st2 = open_as(db2, "ann");
	FILE *f = fopen(out1, "rb");
	struct gt_import_opts o = { .as_of = GT_DATE_NONE };
	struct gt_import_result res;
	cr_assert_eq(gt_store_import(st2, f, out1, &o, &res), GT_OK, "%s", gt_store_errmsg(st2));
	fclose(f);
	cr_expect_eq(res.inserted, N);
	for (int i = 0; i < N; i++) {
		char idn[19];
		make_id(200 + i, idn);
		cr_expect_str_eq(q_text(gt_store_db(st2), "SELECT name FROM applicants WHERE id_number = '%s'", idn),
				 names[i]);
	}
	cr_assert_eq(gt_store_export(st2, out2, &eo, &rows), GT_OK, "%s", gt_store_errmsg(st2));
	size_t n2;
	char *e2 = read_file(out2, &n2);
	cr_expect(n1 == n2 && memcmp(e1, e2, n1) == 0, "export -> import -> export is byte-identical");
	free(e1);
	free(e2);
	gt_store_close(st2);
}

Test(import, empty_and_header_only_files)
{
	struct gt_import_opts o = { .as_of = GT_DATE_NONE };
	struct gt_import_result res;
	cr_expect_eq(import_text(admin, "", &o, &res), GT_ERR_INVALID);
	cr_expect_eq(import_text(admin, HDR, &o, &res), GT_ERR_INVALID);
	cr_expect(contains(gt_store_errmsg(admin), "no rows"), "%s", gt_store_errmsg(admin));
	cr_expect_eq(import_text(admin, "case_ref,colour\nA,red\n", &o, &res), GT_ERR_INVALID);
	cr_expect_eq(q_int(gt_store_db(admin), "SELECT count(*) FROM cases"), 0);
}

/* ================= cells ================= */

static void expect_cell_roundtrip(const char *s, size_t n)
{
	char out[64], back[64];
	size_t m = gt_cell_neutralise(s, n, out);
	cr_assert_leq(m, 2 * n + 1);
	/* No part starts a formula: the start, and after each ; tab CR LF. */
	for (size_t p = 0; p < m; p++)
		if (p == 0 || memchr(";\t\r\n", out[p - 1], 4))
			cr_expect(strchr("=+-@\t\r\n", out[p]) == NULL || out[p] == '\0',
				  "neutralised \"%.*s\" has a part starting with 0x%02x", (int)n, s,
				  (unsigned char)out[p]);
	cr_expect_eq(m > 0 && gt_cell_dangerous(out, m) && out[0] != '\'', false);
	size_t k = gt_cell_restore(out, m, back);
	cr_expect(k == n && memcmp(back, s, n) == 0, "restore(neutralise(\"%.*s\")) = \"%.*s\"", (int)n, s, (int)k,
		  back);
	bool parts = memchr(s, ';', n) || memchr(s, '\t', n) || memchr(s, '\r', n) || memchr(s, '\n', n);
	if (gt_cell_dangerous(s, n))
		cr_expect(out[0] == '\'' && (parts || m == n + 1), "\"%.*s\" gets one apostrophe", (int)n, s);
	else if (!parts)
		cr_expect(m == n && memcmp(out, s, n) == 0, "\"%.*s\" is left as it is", (int)n, s);
}

Test(cells, named_cases_round_trip)
{
	static const char *const xs[] = {
		"'=x", "''+1", "=cmd|' /C calc'!A0", "+1", "-1", "@SUM(1)", "\t1", "\r", "\n", "=", "+", "-",
		"@", "'", "''", "'''", "'abc", "abc", "张三", "", "1+1", "a=b", " =1", "=HYPERLINK(\"http://x\")",
		"-\t", "'\r\n", "\r\nx", "@@", "x;=1+1", "a;'=b", "a\n-1", "a\t+1;@x", ";;=", "x;'", "x;''-",
	};
	for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++)
		expect_cell_roundtrip(xs[i], strlen(xs[i]));
	char out[16];
	cr_expect_eq(gt_cell_neutralise("=1", 2, out), 3);
	cr_expect(memcmp(out, "'=1", 3) == 0);
	cr_expect_eq(gt_cell_neutralise("'=1", 3, out), 4);
	cr_expect(memcmp(out, "''=1", 4) == 0);
	cr_expect_eq(gt_cell_restore("'abc", 4, out), 4, "a lone apostrophe before safe text stays");
	cr_expect_eq(gt_cell_neutralise("x;=1+1", 6, out), 7);
	cr_expect(memcmp(out, "x;'=1+1", 7) == 0, "a part after ';' is neutralised");
	cr_expect_eq(gt_cell_neutralise("=a\n-b", 5, out), 7);
	cr_expect(memcmp(out, "'=a\n'-b", 7) == 0, "and after a line break");
	cr_expect(gt_cell_dangerous("\t", 1));
	cr_expect(!gt_cell_dangerous("", 0));
	cr_expect(!gt_cell_dangerous("'", 1));
	cr_expect(!gt_cell_dangerous("a-1", 3));
}

Test(cells, every_short_string_round_trips)
{
	/* Every string of up to 4 characters over the characters that matter. */
	static const char alpha[] = { '\'', '=', '+', '-', '@', '\t', '\r', '\n', 'a', ';', '"' };
	enum { K = sizeof alpha };
	char s[4];
	long total = 0;
	for (int len = 0; len <= 4; len++) {
		long count = 1;
		for (int i = 0; i < len; i++)
			count *= K;
		for (long x = 0; x < count; x++) {
			long y = x;
			for (int i = 0; i < len; i++) {
				s[i] = alpha[y % K];
				y /= K;
			}
			expect_cell_roundtrip(s, (size_t)len);
			total++;
		}
	}
	cr_expect_eq(total, 1 + 11 + 121 + 1331 + 14641);
}

/* ================= backup ================= */

TestSuite(backup, .init = setup_users, .fini = teardown_users, .timeout = 30);

Test(backup, copy_is_complete_and_refuses_to_overwrite)
{
	char *csv = csv_rows(1, 50, 3);
	import_ok(admin, csv);
	free(csv);
	char dest[600];
	path_in(dest, sizeof dest, "copy.db");
	cr_assert_eq(gt_store_backup(admin, dest), GT_OK, "%s", gt_store_errmsg(admin));
	struct stat sb;
	cr_assert_eq(stat(dest, &sb), 0);
	cr_expect_eq(sb.st_mode & 0777, 0600);
	sqlite3 *db = raw_open(dest);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM cases"), 50);
	cr_expect_str_eq(q_text(db, "PRAGMA integrity_check"), "ok");
	cr_expect_eq(q_int(db, "PRAGMA user_version"), GT_SCHEMA_VERSION);
	sqlite3_close(db);
	cr_expect_eq(gt_store_backup(admin, dest), GT_ERR_EXISTS, "an existing file is not overwritten");
}

/* Every row of sql's result, each cell quoted, one row a line (malloc'd). */
static char *dump_rows(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);
	cr_assert_not_null(f);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(s); i++) {
			const unsigned char *t = sqlite3_column_text(s, i);
			fprintf(f, "%s%s/%d", i ? "|" : "", t ? (const char *)t : "NULL", sqlite3_column_type(s, i));
		}
		fputc('\n', f);
	}
	cr_assert_eq(step, SQLITE_DONE, "%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_finalize(s);
	fclose(f);
	return out;
}

/* The queries of every column of cases and of evaluations, in rowid
 * order, their times relative to the last one. */
static void rows_queries(sqlite3 *db, char cases[2048], char evals[1024])
{
	snprintf(cases, 2048,
		 "SELECT %s, created_at - (SELECT max(updated_at) FROM cases), "
		 "updated_at - (SELECT max(updated_at) FROM cases) FROM cases ORDER BY rowid",
		 q_text(db, "SELECT group_concat(name) FROM pragma_table_info('cases') "
			    "WHERE name NOT IN ('created_at', 'updated_at')"));
	snprintf(evals, 1024,
		 "SELECT %s, evaluated_at - (SELECT max(evaluated_at) FROM evaluations) FROM evaluations "
		 "ORDER BY rowid",
		 q_text(db, "SELECT group_concat(name) FROM pragma_table_info('evaluations') "
			    "WHERE name <> 'evaluated_at'"));
}

/* A bulk import (into an empty store) writes its new applicants', cases'
 * and evaluations' rows a batch at a time; the same file imported row by
 * row (gt_import_opts.row_by_row, the statements an import into a store
 * holding cases uses) leaves the same rows: the same ids, in the same
 * order, every column (times relative to the import's). The file spans
 * several batches and has, between them, rows that are not a new
 * applicant's new case (a case written again, a known applicant's case in
 * another region, one under a new name), each of which writes the batch
 * first. */
Test(import, batched_rows_are_the_row_by_row_ones)
{
	enum { N = 5000 };
	size_t size = sizeof HDR + (size_t)(N + 8) * 320, len = 0;
	char *csv = malloc(size);
	cr_assert_not_null(csv);
	/* HDR with honours and competitions: a row without them ends ",,". */
	len += (size_t)snprintf(csv, size, "%.*s,honors,competitions\n", (int)strlen(HDR) - 1, HDR);
	static const char *const honours[] = { "", "municipal_master_studio", "",
					       "chongqing_skills_master;municipal_master_studio" };
	static const char *const comps[] = { "", "", "national_skills:first:coach",
					     "municipal:gold:coach_leader;provincial_other:third" };
	for (int k = 1; k <= N; k++) {
		char name[32], id[19];
		snprintf(name, sizeof name, k % 7 ? "张伟%d" : "欧阳%d", k);
		row_k(csv + len, size - len, k, name, k % 5 ? k % 4 : 3);
		if (k % 5 == 0) { /* a level of last year: not yet eligible, due when the years are */
			char *d = strstr(csv + len, "2021-06-30");
			cr_assert_not_null(d);
			memcpy(d, "2023-09-30", 10);
		}
		len += strlen(csv + len) - 1;
		len += (size_t)snprintf(csv + len, size - len, ",%s,%s\n", honours[k / 3 % 4], comps[k / 7 % 4]);
		if (k == 2100 || k == 4500) { /* again, changed; another region; a new name in another */
			int back = k == 2100 ? 10 : 1000; /* in the batch being gathered, or in one written */
			row_k(csv + len, size - len, k - back, "张伟改", 2);
			len += strlen(csv + len) - 1;
			len += (size_t)snprintf(csv + len, size - len, ",,\n");
			make_id(k - 2 * back, id);
			len += (size_t)snprintf(csv + len, size - len, "R%db,张伟%d,%s,anshan,skill_to_title,engineering,"
						"technician,2021-06-30,none,1,id_card;skill_certificate,2024-06-30,"
						"municipal_master_studio,\n",
						k, k - 2 * back, id);
			make_id(k - 3 * back, id);
			len += (size_t)snprintf(csv + len, size - len, "R%dc,李娜%d,%s,sichuan,skill_to_title,engineering,"
						"technician,2021-06-30,none,3,id_card,2024-06-30,,"
						"national_skills:first:coach\n", k, k, id);
		}
	}
	enum { NQ = 12 };
	char *dumps[2][NQ];
	for (int round = 0; round < 2; round++) {
		char path[600];
		path_in(path, sizeof path, round ? "rows.db" : "batched.db");
		gt_store *st = open_as(path, "ann");
		sqlite3 *db = gt_store_db(st);
		struct gt_import_opts o = { .as_of = GT_DATE_NONE, .row_by_row = round == 1 };
		struct gt_import_result res;
		cr_assert_eq(import_text(st, csv, &o, &res), GT_OK, "round %d: %s", round, gt_store_errmsg(st));
		cr_expect_eq(res.inserted, N + 4, "round %d", round);
		cr_expect_eq(res.updated, 2, "round %d", round);
		char cases[2048], evals[1024];
		rows_queries(db, cases, evals);
		const char *sql[NQ] = {
			"SELECT * FROM applicants ORDER BY rowid", cases, evals,
			"SELECT * FROM case_keys ORDER BY rowid", "SELECT * FROM case_terms",
			"SELECT * FROM case_due ORDER BY rowid", "SELECT * FROM case_counts",
			"SELECT * FROM rulesets ORDER BY rowid", "SELECT * FROM rule_names ORDER BY rowid",
			"SELECT * FROM case_honours", "SELECT * FROM case_competitions",
			"SELECT * FROM evidence",
		};
		for (int i = 0; i < NQ; i++)
			dumps[round][i] = dump_rows(db, sql[i]);
		/* Rows in each table the batch writes, not only in the cases. */
		cr_expect_gt(q_int(db, "SELECT count(*) FROM case_due"), N / 10, "round %d", round);
		cr_expect_gt(q_int(db, "SELECT count(*) FROM case_honours"), N / 2, "round %d", round);
		cr_expect_gt(q_int(db, "SELECT count(*) FROM case_competitions"), N / 2, "round %d", round);
		/* Cases of the same inputs chose the same rule, whose id the
		 * import looked up once and then found in its cache (name_id):
		 * the two rounds share that cache, so this compares each round
		 * with itself. Several rules, so the cache holds several. */
		cr_expect_gt(q_int(db, "SELECT count(DISTINCT rule_id) FROM evaluations"), 2, "round %d", round);
		cr_expect_eq(q_int(db, "SELECT count(*) FROM (SELECT count(DISTINCT e.rule_id) AS n FROM cases c "
				       "JOIN evaluations e ON e.id = c.eval_id GROUP BY c.region, c.direction, c.series, "
				       "c.skill_level, c.skill_date, c.title_level, c.appraisals_passed, c.evidence, "
				       "c.application_date, (SELECT group_concat(honour) FROM case_honours WHERE case_id = c.id), "
				       "(SELECT group_concat(competition || result || role) FROM case_competitions "
				       "WHERE case_id = c.id) HAVING n > 1)"), 0, "round %d", round);
		cr_expect_eq(q_int(db, "SELECT count(*) FROM cases"), N + 4);
		cr_expect_str_eq(q_text(db, "PRAGMA integrity_check"), "ok");
		cr_expect_eq(q_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
		gt_store_close(st);
	}
	for (int i = 0; i < NQ; i++) {
		cr_expect(strcmp(dumps[0][i], dumps[1][i]) == 0, "query %d: the batched rows differ from the row by row ones",
			  i);
		free(dumps[0][i]);
		free(dumps[1][i]);
	}
	free(csv);
}

/* A test trigger, temp.refuse, that fails an insert into table when the
 * condition holds ("refused by the test"); DROP TRIGGER temp.refuse ends it. */
static void refuse_insert(sqlite3 *db, const char *table, const char *when)
{
	char *sql = sqlite3_mprintf("CREATE TEMP TRIGGER refuse BEFORE INSERT ON main.%s WHEN %s "
				    "BEGIN SELECT RAISE(FAIL, 'refused by the test'); END",
				    table, when);
	cr_assert_not_null(sql);
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_free(sql);
	cr_assert_eq(rc, SQLITE_OK, "%s", sqlite3_errmsg(db));
}

/* A batch that fails half-way leaves nothing: its INSERT ... SELECT is
 * OR FAIL (the rows before the failing one stay in the statement), and the
 * import's transaction is what takes them back. A test trigger refuses the
 * 1,500th case of 3,000, inside a batch's statement into cases, after
 * other batches were written.
 * Then, the trigger gone, the same file imports whole. */
Test(import, a_batch_failing_half_way_leaves_nothing)
{
	char path[600];
	path_in(path, sizeof path, "half.db");
	gt_store *st = open_as(path, "ann");
	sqlite3 *db = gt_store_db(st);
	refuse_insert(db, "cases", "NEW.id = 1500");
	char *csv = csv_rows(1, 3000, 1);
	struct gt_import_opts o = { .as_of = GT_DATE_NONE };
	struct gt_import_result res;
	cr_assert_neq(import_text(st, csv, &o, &res), GT_OK, "the import passed");
	cr_expect(strstr(gt_store_errmsg(st), "refused by the test") && strstr(gt_store_errmsg(st), "saving the case"),
		  "%s", gt_store_errmsg(st));
	cr_expect_eq(res.inserted, 0);
	cr_expect_eq(q_int(db, "SELECT (SELECT count(*) FROM cases) + (SELECT count(*) FROM applicants) + "
			       "(SELECT count(*) FROM evaluations) + (SELECT count(*) FROM case_keys) + "
			       "(SELECT count(*) FROM case_terms) + (SELECT count(*) FROM case_counts)"),
		     0, "the failed import left rows");
	cr_expect_eq(q_int(db, "SELECT count(*) FROM audit WHERE action = 'import'"), 0);
	cr_assert_eq(sqlite3_exec(db, "DROP TRIGGER temp.refuse", NULL, NULL, NULL), SQLITE_OK);
	cr_assert_eq(import_text(st, csv, &o, &res), GT_OK, "%s", gt_store_errmsg(st));
	cr_expect_eq(res.inserted, 3000);
	cr_expect_eq(q_int(db, "SELECT count(*) FROM cases"), 3000);
	free(csv);
	gt_store_close(st);
}

/* A batch's failure says which of the case's tables was being written:
 * here a test trigger refuses the 400th competition of 600 new cases. */
Test(import, a_batch_failing_names_the_table)
{
	char path[600];
	path_in(path, sizeof path, "half-comps.db");
	gt_store *st = open_as(path, "ann");
	sqlite3 *db = gt_store_db(st);
	refuse_insert(db, "case_competitions", "NEW.case_id = 400");
	enum { N = 600 };
	size_t size = sizeof HDR + 32 + (size_t)N * 320, len = 0;
	char *csv = malloc(size);
	cr_assert_not_null(csv);
	len += (size_t)snprintf(csv, size, "%.*s,honors,competitions\n", (int)strlen(HDR) - 1, HDR);
	for (int k = 1; k <= N; k++) {
		char name[32];
		snprintf(name, sizeof name, "张伟%d", k);
		row_k(csv + len, size - len, k, name, 3);
		len += strlen(csv + len) - 1;
		len += (size_t)snprintf(csv + len, size - len, ",,national_skills:first:coach\n");
	}
	struct gt_import_opts o = { .as_of = GT_DATE_NONE };
	struct gt_import_result res;
	cr_assert_neq(import_text(st, csv, &o, &res), GT_OK, "the import passed");
	cr_expect(strstr(gt_store_errmsg(st), "saving the competitions") &&
			  strstr(gt_store_errmsg(st), "refused by the test"),
		  "%s", gt_store_errmsg(st));
	cr_expect_eq(q_int(db, "SELECT (SELECT count(*) FROM cases) + (SELECT count(*) FROM case_competitions)"), 0,
		     "the failed import left rows");
	cr_assert_eq(sqlite3_exec(db, "DROP TRIGGER temp.refuse", NULL, NULL, NULL), SQLITE_OK);
	cr_assert_eq(import_text(st, csv, &o, &res), GT_OK, "%s", gt_store_errmsg(st));
	cr_expect_eq(q_int(db, "SELECT count(*) FROM case_competitions"), N);
	free(csv);
	gt_store_close(st);
}

/* Counts the runs of the statements that copy a bulk load's second
 * connection's evaluations (arg[0]) and applicants (arg[1]) into the store
 * (SQLite's profile callback). */
static int side_copy_seen(unsigned what, void *arg, void *p, void *x)
{
	(void)x;
	if (what == SQLITE_TRACE_PROFILE && strstr(sqlite3_sql(p), "FROM gt_side.evaluations"))
		((int *)arg)[0]++;
	if (what == SQLITE_TRACE_PROFILE && strstr(sqlite3_sql(p), "FROM gt_side.applicants"))
		((int *)arg)[1]++;
	return 0;
}

/* An import into an empty store writes its evaluations, keys and
 * applicants on a second connection while the rows are read
 * (store/gt_keys.c, side_start). A row that writes a case again finds its
 * applicant there (gt_keys_side_applicant_find: by identity number, and by
 * id when the case is loaded), reads that case's evaluation there (its
 * counts' row taken away, its audit row's old outcome: gt_keys_side_eval)
 * and replaces its keys there; a known person under a new name is renamed
 * there and has the keys of their other cases written again. The evaluations, keys, terms,
 * counts, cases, applicants and audit rows must be those of the same file
 * imported row by row (gt_import_opts.row_by_row: every row written to the
 * store as it comes). Written again: the same person, region and direction
 * 2,500 rows later (the evaluation written by the second thread), then the
 * same person under another name in another region (renaming the first
 * case); and 3 rows later under another name (the evaluation still in the
 * rows being filled). */
static void again_as_row_by_row(uint32_t filter_bits, bool hold)
{
	enum { N = 4000, LONG = 2500 };
	size_t size = sizeof HDR + (size_t)N * 3 * 256, len = 0;
	char *csv = malloc(size);
	cr_assert_not_null(csv);
	len += (size_t)snprintf(csv, size, "%s", HDR);
	for (int k = 1; k <= N; k++) {
		char name[32], id[19];
		snprintf(name, sizeof name, "张伟%d", k);
		row_k(csv + len, size - len, k, name, k % 4);
		len += strlen(csv + len);
		if (k > LONG + 100 && k % 53 == 0) {
			snprintf(name, sizeof name, "张伟%d", k - LONG);
			row_k(csv + len, size - len, k - LONG, name, (k - LONG + 1) % 4);
			len += strlen(csv + len);
			make_id(k - LONG, id);
			len += (size_t)snprintf(csv + len, size - len, "R%db,王芳%d,%s,sichuan,skill_to_title,engineering,"
						"technician,2021-06-30,none,3,id_card;skill_certificate,2024-06-30\n",
						k, k, id);
		}
		if (k > 20 && k % 61 == 0) {
			snprintf(name, sizeof name, "李娜%d", k);
			row_k(csv + len, size - len, k - 3, name, (k - 3 + 2) % 4);
			len += strlen(csv + len);
		}
	}
	enum { NQ = 8 };
	char *dumps[2][NQ];
	for (int round = 0; round < 2; round++) {
		char path[600];
		path_in(path, sizeof path, round ? "again-rows.db" : "again-side.db");
		gt_store *st = open_as(path, "ann");
		sqlite3 *db = gt_store_db(st);
		int copies[2] = { 0, 0 };
		sqlite3_trace_v2(db, SQLITE_TRACE_PROFILE, side_copy_seen, copies);
		struct gt_import_opts o = { .as_of = GT_DATE_NONE, .row_by_row = round == 1 };
		struct gt_import_result res;
		gt_import_filter_bits(filter_bits);
		gt_keys_side_hold(hold);
		int rc = import_text(st, csv, &o, &res);
		gt_keys_side_hold(false);
		gt_import_filter_bits(0);
		cr_assert_eq(rc, GT_OK, "round %d: %s", round, gt_store_errmsg(st));
		sqlite3_trace_v2(db, 0, NULL, NULL);
		for (int t = 0; t < 2; t++)
			cr_expect_eq(copies[t] ? 0 : 1, round, "round %d: the %s were %scopied from the second connection",
				     round, t ? "applicants" : "evaluations", copies[t] ? "" : "not ");
		cr_expect_gt(res.updated, 80, "round %d: %ld cases written again", round, res.updated);
		char cases[2048], evals[1024];
		rows_queries(db, cases, evals);
		const char *sql[NQ] = {
			"SELECT * FROM applicants ORDER BY rowid", cases, evals,
			"SELECT * FROM case_keys ORDER BY rowid", "SELECT * FROM case_terms",
			"SELECT * FROM case_counts",
			"SELECT action, entity, entity_id, before, after FROM audit ORDER BY id",
			"SELECT count(*) FROM audit WHERE action = 'case.import' AND instr(before, '\"outcome\"') > 0",
		};
		for (int i = 0; i < NQ; i++)
			dumps[round][i] = dump_rows(db, sql[i]);
		/* Changed outcomes among the cases written again: their audit
		 * rows name the old one, read from the evaluations. */
		cr_expect_gt(q_int(db, sql[NQ - 1]), 10, "round %d", round);
		cr_expect_str_eq(q_text(db, "PRAGMA integrity_check"), "ok");
		cr_expect_eq(q_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
		gt_store_close(st);
	}
	for (int i = 0; i < NQ; i++) {
		cr_expect(strcmp(dumps[0][i], dumps[1][i]) == 0, "query %d: the rows differ from the row by row ones", i);
		free(dumps[0][i]);
		free(dumps[1][i]);
	}
	free(csv);
}

Test(import, rows_written_again_beside_the_second_thread_are_the_row_by_row_ones)
{
	again_as_row_by_row(0, false);
}

/* The same with a Bloom filter of 64 bits (gt_import_filter_bits): soon
 * every identity number is one it may have seen, so every row asks the
 * second connection for its applicant, most finding none, which leaves the
 * batch gathering; and with the thread holding the applicants handed over
 * until the writer waits (gt_keys_side_hold), so that the look-ups find the
 * rows being filled, those handed over and those written, each. The rows
 * must still be the row-by-row ones. */
Test(import, rows_beside_the_second_thread_under_a_filter_that_sees_every_number)
{
	again_as_row_by_row(64, true);
}
