/* What the import fuzzers (fuzz_import, fuzz_import_bulk) share: how they
 * fail, and their checks of a store after an import that succeeded. */
#ifndef FUZZ_IMPORT_CHECKS_H
#define FUZZ_IMPORT_CHECKS_H

#include <stdint.h>

#include <sqlite3.h>

#include "gt_store.h"

/* The harness's name, which begins each message (the CI shows the lines
 * that begin "fuzz_...: "), and what it does before aborting (NULL:
 * nothing; fuzz_import_bulk removes its directory). */
extern const char *fuzz_name;
extern void (*fuzz_at_fail)(void);

/* Prints the message and aborts (libFuzzer keeps the input). */
void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* The first column of sql's first row (-1: no row); *out: the same as
 * text (empty: none). A statement that cannot be prepared fails. */
int64_t fuzz_one_int(sqlite3 *db, const char *sql);
const char *fuzz_one_text(sqlite3 *db, const char *sql, char *out, size_t size);

/* A store after an import that succeeded (who: which store, for the
 * message; "" for the only one): rows = inserted + updated + unchanged +
 * invalid; one case more a case inserted; one audit row for the import
 * and one a changed case (issue 14); every case with its evaluation (this
 * case and version, the same outcome) and its applicant; PRAGMA
 * integrity_check "ok" and foreign_key_check empty. cases_before and
 * audit_before: the tables' rows before the import. */
void fuzz_import_sound(sqlite3 *db, const char *who, int64_t cases_before, int64_t audit_before,
		       const struct gt_import_result *r);

#endif
