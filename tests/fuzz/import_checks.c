/* What the import fuzzers share (import_checks.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_checks.h"

const char *fuzz_name = "fuzz";
void (*fuzz_at_fail)(void);

void fuzz_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", fuzz_name);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	if (fuzz_at_fail)
		fuzz_at_fail();
	abort();
}

int64_t fuzz_one_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	int64_t v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fuzz_fail("cannot prepare %s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

const char *fuzz_one_text(sqlite3 *db, const char *sql, char *out, size_t size)
{
	sqlite3_stmt *s = NULL;
	out[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fuzz_fail("cannot prepare %s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		snprintf(out, size, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return out;
}

void fuzz_import_sound(sqlite3 *db, const char *who, int64_t cases_before, int64_t audit_before,
		       const struct gt_import_result *r)
{
	const char *sep = who[0] ? ": " : "";
	if (r->rows != r->inserted + r->updated + r->unchanged + r->invalid)
		fuzz_fail("%s%srows %ld != the sum of the outcomes %ld", who, sep, r->rows,
			  r->inserted + r->updated + r->unchanged + r->invalid);
	int64_t cases = fuzz_one_int(db, "SELECT count(*) FROM cases");
	if (cases != cases_before + r->inserted)
		fuzz_fail("%s%scases %lld, %lld before, inserted %ld", who, sep, (long long)cases,
			  (long long)cases_before, r->inserted);
	/* An import is audited as an import (issue 14): its one row names the
	 * cases it created; a case it changed has a row of its own. */
	int64_t audit = fuzz_one_int(db, "SELECT count(*) FROM audit");
	if (audit != audit_before + 1 + r->updated)
		fuzz_fail("%s%s%lld audit rows for an import that changed %ld cases", who, sep,
			  (long long)(audit - audit_before), r->updated);
	int64_t bad = fuzz_one_int(db, "SELECT count(*) FROM cases c LEFT JOIN evaluations e ON e.id = c.eval_id "
				       "WHERE e.id IS NULL OR e.case_id != c.id OR e.case_version != c.version "
				       "OR e.outcome != c.outcome");
	if (bad)
		fuzz_fail("%s%s%lld cases without their evaluation", who, sep, (long long)bad);
	bad = fuzz_one_int(db, "SELECT count(*) FROM cases c LEFT JOIN applicants a ON a.id = c.applicant_id "
			       "WHERE a.id IS NULL");
	if (bad)
		fuzz_fail("%s%s%lld cases without their applicant", who, sep, (long long)bad);
	char buf[256];
	if (strcmp(fuzz_one_text(db, "PRAGMA integrity_check", buf, sizeof buf), "ok") != 0)
		fuzz_fail("%s%sintegrity_check: %s", who, sep, buf);
	/* The PRAGMA, not the table-valued pragma_foreign_key_check: SQLite
	 * 3.40.1 crashed preparing that (sqlite3SchemaToIndex) on
	 * fuzz_import's store, put back by sqlite3_deserialize. */
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &s, NULL) != SQLITE_OK)
		fuzz_fail("cannot prepare PRAGMA foreign_key_check: %s", sqlite3_errmsg(db));
	int step = sqlite3_step(s);
	if (step == SQLITE_ROW)
		fuzz_fail("%s%sforeign_key_check: row %lld of %s names a missing row of %s", who, sep,
			  (long long)sqlite3_column_int64(s, 1), (const char *)sqlite3_column_text(s, 0),
			  (const char *)sqlite3_column_text(s, 2));
	if (step != SQLITE_DONE)
		fuzz_fail("%s%sforeign_key_check: %s", who, sep, sqlite3_errmsg(db));
	sqlite3_finalize(s);
}
