/* Unit tests of store/gt_draft.c: several named drafts per user (issue 17,
 * item 7), on real SQLite files; and the migration of schema 6's one draft
 * per user and case. */
#define _GNU_SOURCE /* mkdtemp */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gt_store.h"

static char dir[256], dbpath[512], err[1024];

static void setup(void)
{
	snprintf(dir, sizeof dir, "%s/gt-draft-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(dbpath, sizeof dbpath, "%s/cases.db", dir);
}

static void teardown(void)
{
	char p[600];
	for (const char *const *s = (const char *const[]){ "", "-wal", "-shm", "-journal", NULL }; *s; s++) {
		snprintf(p, sizeof p, "%s%s", dbpath, *s);
		unlink(p);
	}
	rmdir(dir);
}

static gt_store *open_as(const char *actor)
{
	gt_store *st = NULL;
	int rc = gt_store_open_as(&st, dbpath, GT_OPEN_CREATE, actor, err, sizeof err);
	cr_assert_eq(rc, GT_OK, "open as %s: %s", actor, err);
	return st;
}

TestSuite(draft, .init = setup, .fini = teardown, .timeout = 30);

Test(draft, several_per_user_numbered_named_listed)
{
	gt_store *st = open_as("ann");
	int64_t a = 0, b = 0, e = 0;
	cr_assert_eq(gt_store_draft_save(st, &a, "王五", 0, 0, NULL, "h\nv1\n"), GT_OK);
	cr_assert_eq(gt_store_draft_save(st, &b, "赵六", 0, 0, NULL, "h\nv2\n"), GT_OK);
	cr_assert_eq(gt_store_draft_save(st, &e, "张三", 7, 3, "h\nbase\n", "h\nedit\n"), GT_OK);
	cr_expect_eq(a, 1);
	cr_expect_eq(b, 2, "a second new-case draft does not replace the first");
	cr_expect_eq(e, 3);
	struct gt_draft *l;
	int n;
	cr_assert_eq(gt_store_draft_list(st, 0, &l, &n), GT_OK);
	cr_assert_eq(n, 2, "the new-case drafts only");
	cr_expect(strcmp(l[0].name, "王五") == 0 || strcmp(l[0].name, "赵六") == 0);
	free(l);
	cr_assert_eq(gt_store_draft_list(st, -1, &l, &n), GT_OK);
	cr_expect_eq(n, 3);
	free(l);
	/* Saved again under its number: updated, not added. */
	cr_assert_eq(gt_store_draft_save(st, &a, "王五五", 0, 0, NULL, "h\nv1b\n"), GT_OK);
	cr_expect_eq(a, 1);
	struct gt_draft d;
	char *fields, *base;
	cr_assert_eq(gt_store_draft_load(st, 1, &d, &fields, &base), GT_OK);
	cr_expect_str_eq(fields, "h\nv1b\n");
	cr_expect_str_eq(base, "");
	cr_expect_str_eq(d.name, "王五五");
	free(fields);
	free(base);
	cr_assert_eq(gt_store_draft_load(st, 3, &d, &fields, &base), GT_OK);
	cr_expect_eq(d.case_id, 7);
	cr_expect_eq(d.base_version, 3);
	cr_expect_str_eq(base, "h\nbase\n", "an edit keeps the case as it began");
	free(fields);
	free(base);
	cr_assert_eq(gt_store_draft_delete(st, 2), GT_OK);
	cr_assert_eq(gt_store_draft_list(st, 0, &l, &n), GT_OK);
	cr_expect_eq(n, 1);
	free(l);
	/* A draft deleted meanwhile (saved elsewhere) is kept as a new one. */
	cr_assert_eq(gt_store_draft_delete(st, 1), GT_OK);
	cr_assert_eq(gt_store_draft_save(st, &a, "王五", 0, 0, NULL, "h\nv1c\n"), GT_OK);
	cr_expect_eq(a, 4);
	gt_store_close(st);
	/* Another user's drafts are their own, numbered from 1. */
	gt_store *bob = open_as("bob");
	cr_assert_eq(gt_store_draft_list(bob, -1, &l, &n), GT_OK);
	cr_expect_eq(n, 0);
	free(l);
	int64_t x = 0;
	cr_assert_eq(gt_store_draft_save(bob, &x, "", 0, 0, NULL, "h\n"), GT_OK);
	cr_expect_eq(x, 1);
	gt_store_close(bob);
}

/* Schema 5 had one draft per user and case: both are kept, numbered. */
Test(draft, migrated_from_schema_6)
{
	gt_store *st = open_as("ann");
	gt_store_close(st);
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	const char *v5 =
		"DROP TABLE drafts;"
		"CREATE TABLE drafts (owner TEXT NOT NULL, case_id INTEGER NOT NULL, base_version INTEGER NOT NULL "
		"DEFAULT 0, updated_at TEXT NOT NULL, fields TEXT NOT NULL, PRIMARY KEY (owner, case_id)) WITHOUT ROWID;"
		"INSERT INTO drafts VALUES ('ann', 0, 0, '2026-12-01 10:00:00+00:00', 'new'),"
		"  ('ann', 5, 2, '2026-12-01 11:00:00+00:00', 'edit'), ('bob', 0, 0, '2026-12-01 12:00:00+00:00', 'b');"
		"PRAGMA user_version = 6;";
	cr_assert_eq(sqlite3_exec(db, v5, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_close(db);
	st = open_as("ann");
	struct gt_draft *l;
	int n;
	cr_assert_eq(gt_store_draft_list(st, -1, &l, &n), GT_OK);
	cr_assert_eq(n, 2);
	free(l);
	struct gt_draft d;
	char *fields, *base;
	cr_assert_eq(gt_store_draft_load(st, 2, &d, &fields, &base), GT_OK);
	cr_expect_eq(d.case_id, 5);
	cr_expect_eq(d.base_version, 2);
	cr_expect_str_eq(fields, "edit");
	cr_expect_str_eq(base, "", "schema 6 kept no base");
	free(fields);
	free(base);
	gt_store_close(st);
}
