/* libFuzzer: arbitrary bytes through gt_store_import into a real store.
 *
 * The store is opened once per process with gt_store_open_as on ":memory:"
 * (which works: SQLite keeps the database in memory; gt_store_open_as first
 * creates an empty file of that name in the working directory, so the open
 * happens in a private temporary directory that is removed at once). Its
 * pristine state (the schema, the first admin, one audit row) is kept with
 * sqlite3_serialize and put back before every input with
 * sqlite3_deserialize, so that each input meets a fresh database in
 * microseconds.
 *
 * Each input is imported twice: without skip_invalid, then (on what the
 * first import left) with it. The invariants:
 *   - nothing crashes; the result is GT_OK or GT_ERR_INVALID (any other error
 *     means SQLite refused something the parser accepted);
 *   - a failed import writes nothing: every table has the rows it had;
 *   - without skip_invalid, one invalid row fails the import; with it, the
 *     same rows are found invalid and written to the reject file (a header
 *     and one record each), and the import succeeds;
 *   - after a successful import: rows = inserted + updated + unchanged +
 *     invalid; one case per insert and one audit row per change; every case
 *     has its evaluation (cases.eval_id in evaluations, for this case and
 *     version, same outcome) and its applicant; PRAGMA integrity_check is
 *     "ok" and PRAGMA foreign_key_check is empty. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "gt_csv.h"
#include "gt_store.h"
#include "import_checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gt_store *st;
static sqlite3 *db;
static unsigned char *pristine;
static sqlite3_int64 pristine_size;

static const char *const tables[] = {
	"meta", "users", "applicants", "cases", "case_honours", "case_competitions",
	"evidence", "evaluations", "rulesets", "decisions", "audit", "drafts",
};
#define NTABLES (sizeof tables / sizeof tables[0])

/* The rows of every table, in one statement (prepared once per reset). */
static sqlite3_stmt *count_stmt;

static void counts(int64_t out[NTABLES])
{
	if (!count_stmt) {
		char sql[1024];
		size_t n = (size_t)snprintf(sql, sizeof sql, "SELECT ");
		for (size_t i = 0; i < NTABLES; i++)
			n += (size_t)snprintf(sql + n, sizeof sql - n, "%s(SELECT count(*) FROM %s)",
					      i ? ", " : "", tables[i]);
		if (sqlite3_prepare_v2(db, sql, -1, &count_stmt, NULL) != SQLITE_OK)
			fuzz_fail("cannot prepare %s: %s", sql, sqlite3_errmsg(db));
	}
	if (sqlite3_step(count_stmt) != SQLITE_ROW)
		fuzz_fail("cannot count the rows: %s", sqlite3_errmsg(db));
	for (size_t i = 0; i < NTABLES; i++)
		out[i] = sqlite3_column_int64(count_stmt, (int)i);
	sqlite3_reset(count_stmt);
}

static int64_t count_of(const int64_t c[NTABLES], const char *table)
{
	for (size_t i = 0; i < NTABLES; i++)
		if (strcmp(tables[i], table) == 0)
			return c[i];
	abort();
}

static void init(void)
{
	char dir[] = "/dev/shm/gt-fuzz-import-XXXXXX", cwd[4096], err[1024];
	char *d = mkdtemp(dir);
	if (!d) {
		snprintf(dir, sizeof dir, "/tmp/gt-fuzz-XXXXXX");
		d = mkdtemp(dir);
	}
	/* The harness is one thread: SQLite's mutexes and memory statistics
	 * only cost time here (a tenth of it, measured with perf). */
	if (sqlite3_config(SQLITE_CONFIG_SINGLETHREAD) != SQLITE_OK ||
	    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
		fuzz_fail("cannot configure SQLite for one thread");
	if (!d || !getcwd(cwd, sizeof cwd) || chdir(d) != 0)
		fuzz_fail("no temporary directory: %s", strerror(errno));
	int rc = gt_store_open_as(&st, ":memory:", GT_OPEN_CREATE, "fuzzer", err, sizeof err);
	unlink(":memory:");
	if (chdir(cwd) != 0 || rmdir(d) != 0)
		fuzz_fail("cannot leave or remove the temporary directory: %s", strerror(errno));
	if (rc != GT_OK)
		fuzz_fail("cannot open the store: %s (%d)", err, rc);
	db = gt_store_db(st);
	pristine = sqlite3_serialize(db, "main", &pristine_size, 0);
	if (!pristine)
		fuzz_fail("cannot serialise the pristine store");
}

/* Puts the pristine database back. */
static void reset(void)
{
	unsigned char *copy = sqlite3_malloc64((sqlite3_uint64)pristine_size);
	if (!copy)
		abort();
	memcpy(copy, pristine, (size_t)pristine_size);
	if (sqlite3_deserialize(db, "main", copy, pristine_size, pristine_size,
				SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE) != SQLITE_OK)
		fuzz_fail("cannot restore the pristine store: %s", sqlite3_errmsg(db));
}

static void on_error(const char *msg, void *arg)
{
	long *n = arg;
	(*n)++;
	if (!msg[0] || gt_utf8_check(msg, strlen(msg)) != GT_CSV_OK)
		fuzz_fail("an invalid-row message is empty or not UTF-8: \"%s\"", msg);
}

static void check_store(const int64_t before[NTABLES], const struct gt_import_result *res)
{
	fuzz_import_sound(db, "", count_of(before, "cases"), count_of(before, "audit"), res);
}

static void check_unchanged(const int64_t before[NTABLES], int rc)
{
	int64_t now[NTABLES];
	counts(now);
	for (size_t i = 0; i < NTABLES; i++)
		if (now[i] != before[i])
			fuzz_fail("a failed import (rc %d) changed table %s (%lld rows, was %lld)", rc, tables[i],
			    (long long)now[i], (long long)before[i]);
}

/* Records in a CSV text (the reject file). */
static long records(const char *p, size_t n)
{
	static struct gt_csv_record rec;
	gt_csv *r = gt_csv_new_mem(p, n);
	long k = 0;
	while (r && gt_csv_next(r, &rec) == 1)
		k++;
	gt_csv_free(&r);
	return k;
}

static int import(const uint8_t *data, size_t size, bool skip, FILE *reject, long *errors,
		  struct gt_import_result *res)
{
	/* fmemopen refuses a zero-length buffer in some C libraries. */
	static const char empty[1];
	FILE *in = fmemopen(size ? (void *)data : (void *)empty, size ? size : 1, "rb");
	if (!in)
		fuzz_fail("fmemopen: %s", strerror(errno));
	if (!size)
		fgetc(in);
	struct gt_import_opts o = {
		.skip_invalid = skip, .reject = reject, .as_of = gt_date_from_ymd(2024, 6, 30),
		.on_error = on_error, .arg = errors,
	};
	int rc = gt_store_import(st, in, "fuzz.csv", &o, res);
	fclose(in);
	if (rc != GT_OK && rc != GT_ERR_INVALID)
		fuzz_fail("import failed with %d: %s", rc, gt_store_errmsg(st));
	if (rc != GT_OK && (!gt_store_errmsg(st)[0] ||
			    gt_utf8_check(gt_store_errmsg(st), strlen(gt_store_errmsg(st))) != GT_CSV_OK))
		fuzz_fail("the import's message is empty or not UTF-8: %s", gt_store_errmsg(st));
	if (res->invalid != *errors)
		fuzz_fail("invalid %ld, messages %ld", res->invalid, *errors);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t before[NTABLES], after1[NTABLES];
	struct gt_import_result r1, r2;
	long e1 = 0, e2 = 0;

	if (!st) {
		fuzz_name = "fuzz_import";
		init();
	}
	reset();
	counts(before);

	/* 1. All or nothing. */
	int rc1 = import(data, size, false, NULL, &e1, &r1);
	if (rc1 == GT_OK) {
		if (r1.invalid)
			fuzz_fail("an import with %ld invalid rows succeeded", r1.invalid);
		check_store(before, &r1);
	} else {
		if (r1.inserted || r1.updated)
			fuzz_fail("a failed import reports %ld inserted, %ld updated", r1.inserted, r1.updated);
		check_unchanged(before, rc1);
	}
	counts(after1);

	/* 2. The valid rows, the invalid ones to the reject file. */
	char *rej = NULL;
	size_t rejlen = 0;
	FILE *reject = open_memstream(&rej, &rejlen);
	if (!reject)
		abort();
	int rc2 = import(data, size, true, reject, &e2, &r2);
	fclose(reject);
	if (rc1 == GT_OK && rc2 != GT_OK)
		fuzz_fail("the same file failed with skip_invalid (%d): %s", rc2, gt_store_errmsg(st));
	if (rc2 == GT_OK) {
		check_store(after1, &r2);
		if (rc1 != GT_OK && (r2.rows != r1.rows || r2.invalid != r1.invalid))
			fuzz_fail("the two imports disagree: %ld/%ld vs %ld/%ld invalid/rows", r1.invalid, r1.rows, r2.invalid, r2.rows);
		if (r2.invalid && records(rej, rejlen) != r2.invalid + 1)
			fuzz_fail("the reject file has %ld records for %ld invalid rows", records(rej, rejlen), r2.invalid);
	} else {
		check_unchanged(after1, rc2);
	}
	free(rej);
	return 0;
}
