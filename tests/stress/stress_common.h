/* Shared by the stress programs: valid generated cases, a temporary
 * directory, SQL checks on the finished file, time. */
#ifndef GT_STRESS_COMMON_H
#define GT_STRESS_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gt_store.h"

/* The header of the generated case CSV (a subset of the contract's columns). */
extern const char stress_csv_header[];

/* A valid GB 11643 identity number, distinct for every k >= 0 (up to 900 a
 * day of birth from 1960-01-01). */
void stress_idnum(long k, char out[19]);

/* One CSV line (no line end) of generated case k with the given case_ref. */
void stress_case_line(long k, const char *case_ref, char *buf, size_t size);

/* Generated case k as a parsed gt_case (through the real parser). */
int stress_make_case(long k, const char *case_ref, struct gt_case *c);

/* Writes a case CSV of n cases k0..k0+n-1, case_ref "<prefix><k-k0>". */
int stress_write_csv(const char *path, long k0, long n, const char *prefix);

/* mkdtemp under $TMPDIR (or /tmp), or the given directory (created). */
int stress_make_dir(const char *given, char *out, size_t size);
/* rm -r of the directory's files (one level) and the directory. */
void stress_remove_dir(const char *dir);

/* Sleeps for us microseconds. */
void stress_sleep_us(long us);

/* Seconds since an arbitrary start (CLOCK_MONOTONIC). */
double stress_now(void);

/* PRAGMA integrity_check: 1 when "ok" (else prints what it said). */
bool stress_integrity_ok(gt_store *st);
/* PRAGMA foreign_key_check: the number of rows it returned (prints some). */
long stress_fk_violations(gt_store *st);

/* The first column of the first row of sql as an integer (dflt when none). */
int64_t stress_query_int(gt_store *st, const char *sql, int64_t dflt);

/* A small deterministic generator (xorshift64*), one per process. */
uint64_t stress_rand(uint64_t *state);
/* Uniform in [0, n). */
unsigned stress_rand_below(uint64_t *state, unsigned n);

#endif
