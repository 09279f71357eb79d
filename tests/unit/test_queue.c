/* Unit tests of the workstation's queue (store/gt_queue.c) on a real SQLite
 * file: keyset pages and searches must visit every case of the filter
 * exactly once, in a total order, forwards and backwards, whatever the page
 * size, and however many rows tie on the sorted column (many applicants of
 * one name, several cases of one applicant, one last-change time for a whole
 * import). The reference is the same filter read in one plain query. */
#define _GNU_SOURCE /* mkdtemp, nftw */
#include <criterion/criterion.h>
#include <errno.h>
#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gt_store.h"

#define MAXN 4096

static char dir[256], dbpath[512];
static gt_store *st;

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb, (void)flag, (void)f;
	return remove(p);
}

static void raw(const char *sql)
{
	sqlite3 *db = NULL;
	cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 10000);
	char *msg = NULL;
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &msg), SQLITE_OK, "%s: %s", sql, msg ? msg : "");
	sqlite3_close(db);
}

/* The five regions' screening fixtures, then ties made on purpose: four
 * names for all applicants, cases gathered under forty applicants
 * (several regions and directions each), three statuses. */
static void setup(void)
{
	snprintf(dir, sizeof dir, "%s/gt-queue-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	cr_assert_not_null(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	snprintf(dbpath, sizeof dbpath, "%s/cases.db", dir);
	char err[512];
	cr_assert_eq(gt_store_open_as(&st, dbpath, GT_OPEN_CREATE, "clerk1", err, sizeof err), GT_OK, "%s", err);
	static const char *const regions[] = { "chongqing", "anshan", "sichuan", "jiangsu", "guangzhou" };
	for (size_t i = 0; i < 5; i++) {
		char path[1024];
		snprintf(path, sizeof path, "%s/fixtures/screen/%s.csv", GT_SOURCE_DIR, regions[i]);
		FILE *f = fopen(path, "r");
		cr_assert_not_null(f, "%s", path);
		FILE *rej = tmpfile();
		struct gt_import_opts o = { .skip_invalid = true, .reject = rej, .as_of = GT_DATE_NONE };
		struct gt_import_result res;
		cr_assert_eq(gt_store_import(st, f, path, &o, &res), GT_OK, "%s", gt_store_errmsg(st));
		fclose(f);
		fclose(rej);
	}
	raw("UPDATE applicants SET name = CASE id % 4 WHEN 0 THEN '王伟' WHEN 1 THEN '李娜' "
	    "WHEN 2 THEN '王伟伟' ELSE 'Ann' END");
	raw("UPDATE OR IGNORE cases SET applicant_id = applicant_id % 40 + 1");
	raw("UPDATE cases SET status = CASE id % 3 WHEN 0 THEN 'submitted' WHEN 1 THEN 'in_review' "
	    "ELSE 'returned' END, updated_at = CASE WHEN id % 5 = 0 THEN '2026-01-02 00:00:00+00:00' "
	    "ELSE updated_at END");
	/* Some cases assigned (the rest have none: NULL, shown and sorted as ""). */
	raw("INSERT INTO users (login, role, created_at, created_by) VALUES ('rita', 'reviewer', '2026-01-01', 'clerk1')");
	raw("UPDATE cases SET assignee = CASE id % 7 WHEN 0 THEN 'rita' WHEN 1 THEN 'clerk1' END");
	/* "mine" for clerk1: assigned to clerk1, or last changed by clerk1
	 * (who imported them all, so some were last changed by rita since). */
	raw("UPDATE cases SET updated_by = 'rita' WHERE id % 3 <> 1");
	/* The names were changed behind the store's back: their keys anew. */
	cr_assert_eq(gt_store_keys_rebuild(st), GT_OK, "%s", gt_store_errmsg(st));
}

#define MINE "(coalesce(c.assignee, '') = 'clerk1' OR c.updated_by = 'clerk1')"

static void teardown(void)
{
	gt_store_close(st);
	st = NULL;
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* The time-out is for a hang, not a speed test: sanitized, on a machine
 * loaded by other work (load 8-12 on 2 cores), one test's page walks took more
 * than 60 s of wall for less than 20 s of CPU and failed as "Timed out". */
TestSuite(queue, .init = setup, .fini = teardown, .timeout = 600);

static const char *const order_terms[GT_QS_COUNT] = {
	[GT_QS_ID] = "c.id",
	[GT_QS_NAME] = "k.name_key, c.id",
	[GT_QS_REGION] = "c.region, c.id",
	[GT_QS_DIRECTION] = "c.direction, c.id",
	/* by rank: skill levels when the case asks for one, else titles (an
	 * unknown level first) */
	[GT_QS_LEVEL] = "(CASE WHEN c.direction = 'title_to_skill' AND instr('|junior|intermediate|senior|technician|"
			"senior_technician|principal_technician|chief_technician|', '|' || coalesce(c.requested_level, "
			"c.target) || '|') > 0 THEN instr('|junior|intermediate|senior|technician|senior_technician|"
			"principal_technician|chief_technician|', '|' || coalesce(c.requested_level, c.target) || '|') "
			"WHEN c.direction = 'skill_to_title' AND instr('|entry|assistant|intermediate|deputy_senior|"
			"full_senior|', '|' || coalesce(c.requested_level, c.target) || '|') > 0 THEN 1000 + "
			"instr('|entry|assistant|intermediate|deputy_senior|full_senior|', '|' || "
			"coalesce(c.requested_level, c.target) || '|') ELSE 0 END), c.id",
	[GT_QS_OUTCOME] = "c.outcome, c.id",
	[GT_QS_STATUS] = "c.status, c.id",
	[GT_QS_ASSIGNEE] = "coalesce(c.assignee, ''), c.id",
	[GT_QS_UPDATED] = "c.updated_at, c.id",
};

/* The case numbers of the filter in the order, from one plain query. */
static int reference_by(const char *where, const char *t, bool desc, int64_t *ids)
{
	sqlite3 *db = NULL;
	cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	char sql[4096], terms[2048] = "";
	/* each term with the direction */
	for (const char *p = t; *p;) {
		const char *e = p;
		for (int depth = 0; *e && (depth || *e != ','); e++)
			depth += *e == '(' ? 1 : *e == ')' ? -1 : 0;
		size_t n = (size_t)(e - p);
		snprintf(terms + strlen(terms), sizeof terms - strlen(terms), "%s%.*s %s", terms[0] ? ", " : "",
			 (int)n, p, desc ? "DESC" : "ASC");
		p += n;
		while (*p == ',' || *p == ' ')
			p++;
	}
	snprintf(sql, sizeof sql, "SELECT c.id FROM cases c JOIN applicants a ON a.id = c.applicant_id "
		 "JOIN case_keys k ON k.case_id = c.id WHERE %s ORDER BY %s", where, terms);
	sqlite3_stmt *s = NULL;
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	int n = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		cr_assert_lt(n, MAXN);
		ids[n++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

static int reference(const char *where, int sort, bool desc, int64_t *ids)
{
	return reference_by(where, order_terms[sort], desc, ids);
}

static struct gt_queue_row rows[64];

/* Pages through the whole order, forwards or backwards, page rows at a time. */
static int walk(const struct gt_queue_filter *f, int sort, bool desc, bool backward, int page, int64_t *ids)
{
	int total = 0, n = 0;
	struct gt_queue_pos pos;
	bool have = false;
	for (;;) {
		cr_assert_eq(gt_queue_fetch(st, f, sort, desc, have ? &pos : NULL, backward, page, rows, &n), GT_OK,
			     "%s", gt_store_errmsg(st));
		if (n == 0)
			break;
		cr_assert_leq(n, page);
		for (int i = 0; i < n; i++) {
			cr_assert_lt(total, MAXN);
			/* backward pages come in display order: store them reversed */
			ids[total++] = backward ? rows[n - 1 - i].id : rows[i].id;
		}
		gt_queue_pos_of(backward ? &rows[0] : &rows[n - 1], &pos);
		have = true;
		if (n < page)
			break;
	}
	return total;
}

static void check_same(const int64_t *want, int nwant, const int64_t *got, int ngot, const char *what)
{
	cr_assert_eq(ngot, nwant, "%s: %d rows, the plain query has %d", what, ngot, nwant);
	for (int i = 0; i < nwant; i++)
		cr_assert_eq(got[i], want[i], "%s: row %d is case %lld, the plain query's is %lld", what, i,
			     (long long)got[i], (long long)want[i]);
}

/* The page sizes check_orders walks. Sanitized (CI's second pass): the
 * smallest and a large page only; pages of one case each are the walk's
 * hardest edges, and every size runs in the plain suite. Three sizes were
 * 90 s of that pass. */
#if defined(__SANITIZE_ADDRESS__)
static const int page_sizes[] = { 1, 35 };
#else
static const int page_sizes[] = { 1, 3, 35 };
#endif
static const int *pages = page_sizes;
static size_t npages = sizeof page_sizes / sizeof page_sizes[0];

static void check_orders(const struct gt_queue_filter *f, const char *where)
{
	static int64_t want[MAXN], got[MAXN], rev[MAXN];
	for (int sort = 0; sort < GT_QS_COUNT; sort++)
		for (int desc = 0; desc < 2; desc++) {
			int nwant = reference(where, sort, desc, want);
			cr_assert_gt(nwant, 10, "the filter %s leaves too few cases to test", where);
			for (size_t p = 0; p < npages; p++) {
				char what[128];
				snprintf(what, sizeof what, "%s, sort %d%s, pages of %d, forwards", where, sort,
					 desc ? " descending" : "", pages[p]);
				check_same(want, nwant, got, walk(f, sort, desc, false, pages[p], got), what);
				int n = walk(f, sort, desc, true, pages[p], rev);
				for (int i = 0; i < n; i++)
					got[i] = rev[n - 1 - i];
				snprintf(what, sizeof what, "%s, sort %d%s, pages of %d, backwards", where, sort,
					 desc ? " descending" : "", pages[p]);
				check_same(want, nwant, got, n, what);
			}
		}
}

Test(queue, pages_visit_every_case_once_in_every_order)
{
	/* The ties are there: otherwise this test proves nothing. */
	int64_t ids[MAXN];
	cr_assert_gt(reference("a.name = '王伟'", GT_QS_ID, false, ids), 40);
	cr_assert_gt(reference("c.applicant_id IN (SELECT applicant_id FROM cases GROUP BY applicant_id "
			       "HAVING count(*) >= 3)", GT_QS_ID, false, ids), 9);
	struct gt_queue_filter all = { 0 };
	check_orders(&all, "1");
}

/* Both ways of reading a filtered page: through the filter's index and
 * sorted (every filter here leaves fewer than a million cases), and walking
 * the order's index (none leaves fewer than one). */
static void check_filters(void)
{
	struct gt_queue_filter f = { .status_mask = 1u << GT_ST_IN_REVIEW, .region_mask = 1u << GT_REGION_SICHUAN };
	check_orders(&f, "c.status = 'in_review' AND c.region = 'sichuan'");
	struct gt_queue_filter g = { .direction_mask = 1u << GT_DIR_TITLE_TO_SKILL };
	check_orders(&g, "c.direction = 'title_to_skill'");
	struct gt_queue_filter h = { .outcome_mask = (1u << GT_OUT_ELIGIBLE) | (1u << GT_OUT_NOT_ELIGIBLE),
				     .status_mask = (1u << GT_ST_SUBMITTED) | (1u << GT_ST_RETURNED) };
	check_orders(&h, "c.outcome IN ('eligible', 'not_eligible') AND c.status IN ('submitted', 'returned')");
	struct gt_queue_filter m = { .mine = true };
	check_orders(&m, MINE);
	struct gt_queue_filter mr = { .mine = true, .region_mask = (1u << GT_REGION_JIANGSU) | (1u << GT_REGION_ANSHAN) };
	check_orders(&mr, MINE " AND c.region IN ('jiangsu', 'anshan')");
}

Test(queue, pages_within_a_filter_read_through_its_index)
{
	gt_queue_set_few(1000000);
	check_filters();
	gt_queue_set_few(0);
}

Test(queue, pages_within_a_filter_read_and_sorted_for_each_page)
{
#if defined(__SANITIZE_ADDRESS__)
	/* Sanitized, pages of 35 only: read and sorted again for each page,
	 * the whole filter is sorted (by SQLite, not sanitized) for every page,
	 * so pages of one case cost the square of the filter's cases (this
	 * test: 11.3 -> 3.3 s of CPU). A page of one runs the same code of ours
	 * (fetch_rows, only its LIMIT differs), which the sanitized walks of
	 * the same filters in pages of one run: through the kept set
	 * (pages_within_a_filter_read_through_its_index) and walking the order
	 * (pages_within_a_filter_walking_the_order); the plain suite walks
	 * this way in pages of 1, 3 and 35. */
	static const int sorted_sizes[] = { 35 };
	pages = sorted_sizes;
	npages = 1;
#endif
	gt_queue_set_few(1000000);
	gt_queue_use_sets(false);
	check_filters();
	gt_queue_use_sets(true);
	gt_queue_set_few(0);
}

static bool page_has(const struct gt_queue_row *r, int n, int64_t id)
{
	for (int i = 0; i < n; i++)
		if (r[i].id == id)
			return true;
	return false;
}

/* The order a filter keeps between pages is forgotten when the data
 * changes: a commit by another connection, or a write by this one. */
Test(queue, kept_order_follows_the_data)
{
	struct gt_queue_filter f = { .status_mask = 1u << GT_ST_IN_REVIEW };
	int n = 0;
	cr_assert_eq(gt_queue_fetch(st, &f, GT_QS_NAME, false, NULL, false, 64, rows, &n), GT_OK);
	cr_assert_gt(n, 10);
	int64_t first = rows[0].id, second = rows[1].id;
	/* another connection takes the first case out of the filter */
	char sql[128];
	snprintf(sql, sizeof sql, "UPDATE cases SET status = 'returned' WHERE id = %lld", (long long)first);
	raw(sql);
	cr_assert_eq(gt_queue_fetch(st, &f, GT_QS_NAME, false, NULL, false, 64, rows, &n), GT_OK);
	cr_expect_not(page_has(rows, n, first), "case %lld left the filter but is still shown", (long long)first);
	cr_expect_eq(rows[0].id, second);
	/* this connection brings it back */
	snprintf(sql, sizeof sql, "UPDATE cases SET status = 'in_review' WHERE id = %lld", (long long)first);
	cr_assert_eq(sqlite3_exec(gt_store_db(st), sql, NULL, NULL, NULL), SQLITE_OK);
	cr_assert_eq(gt_queue_fetch(st, &f, GT_QS_NAME, false, NULL, false, 64, rows, &n), GT_OK);
	cr_expect_eq(rows[0].id, first, "case %lld came back into the filter but is not shown", (long long)first);
}

Test(queue, pages_within_a_filter_walking_the_order)
{
	gt_queue_set_few(1);
	check_filters();
	gt_queue_set_few(0);
}

/* An inclusive anchor (where a search puts the queue) starts at its row:
 * walking the order, and in the order a filter of few cases keeps. */
static void check_inclusive(const struct gt_queue_filter *all, const char *where)
{
	static int64_t want[MAXN];
	for (int sort = 0; sort < GT_QS_COUNT; sort++) {
		int n = reference(where, sort, false, want);
		cr_assert_gt(n, 40);
		for (int i = 0; i < n; i += 37) {
			struct gt_queue_row r[2];
			int k = 0;
			/* the row at i: the last of the first i + 1 */
			struct gt_queue_pos pos;
			struct gt_queue_row *page = calloc((size_t)i + 1, sizeof *page);
			cr_assert_not_null(page);
			cr_assert_eq(gt_queue_fetch(st, all, sort, false, NULL, false, i + 1, page, &k), GT_OK);
			cr_assert_eq(k, i + 1);
			r[0] = page[i];
			free(page);
			cr_assert_eq(r[0].id, want[i]);
			gt_queue_pos_of(&r[0], &pos);
			pos.inclusive = true;
			cr_assert_eq(gt_queue_fetch(st, all, sort, false, &pos, false, 2, r, &k), GT_OK);
			cr_assert_geq(k, 1);
			cr_assert_eq(r[0].id, want[i], "%s, sort %d: an inclusive anchor at row %d starts at case %lld",
				     where, sort, i, (long long)r[0].id);
		}
	}
}

Test(queue, inclusive_anchor_starts_at_the_row)
{
	struct gt_queue_filter all = { 0 }, few = { .status_mask = 1u << GT_ST_IN_REVIEW };
	check_inclusive(&all, "1");
	check_inclusive(&few, "c.status = 'in_review'");
}

/* Every match of q, n after n (or N after N), until the search comes back. */
static int search_all(const struct gt_queue_filter *f, const char *q, bool backward, int64_t *ids)
{
	struct gt_queue_pos pos;
	struct gt_queue_row hit;
	bool found, have = false;
	int n = 0;
	for (;;) {
		cr_assert_eq(gt_queue_search(st, f, GT_QS_ID, q, have ? &pos : NULL, backward, &hit, &pos, &found),
			     GT_OK, "%s", gt_store_errmsg(st));
		if (!found)
			break;
		cr_assert_lt(n, MAXN);
		ids[n++] = hit.id;
		have = true;
	}
	return n;
}

static void check_search(const struct gt_queue_filter *f, const char *q, const char *where, const char *order)
{
	static int64_t want[MAXN], got[MAXN], rev[MAXN];
	int nwant = reference_by(where, order, false, want);
	cr_assert_gt(nwant, 3, "%s matches too few cases to test", where);
	check_same(want, nwant, got, search_all(f, q, false, got), q);
	int n = search_all(f, q, true, rev);
	for (int i = 0; i < n; i++)
		got[i] = rev[n - 1 - i];
	check_same(want, nwant, got, n, q);
}

/* Cases whose terms start with Q (a literal), each at its first such term
 * (case_search_terms: those of case_terms and the identity numbers). */
#define MATCHES(q) \
	"c.id IN (SELECT case_id FROM case_search_terms WHERE term >= " q " AND term < " q " || char(1114111))"
#define FIRST_TERM(q)                                                                                             \
	"(SELECT min(term) FROM case_search_terms t WHERE t.case_id = c.id AND t.term >= " q " AND t.term < " q \
	" || char(1114111)), c.id"

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* The cases a search finds are those `where` says, whatever their order. */
static void check_search_set(const struct gt_queue_filter *f, const char *q, const char *where)
{
	static int64_t want[MAXN], got[MAXN];
	int nwant = reference_by(where, "c.id", false, want);
	cr_assert_gt(nwant, 3, "%s matches too few cases to test", where);
	int n = search_all(f, q, false, got);
	qsort(got, (size_t)n, sizeof got[0], cmp_id);
	check_same(want, nwant, got, n, q);
}

Test(queue, search_finds_every_match_once)
{
	struct gt_queue_filter all = { 0 };
	/* in the order of the terms, each case once (at its first term) */
	check_search(&all, "王伟", MATCHES("'王伟'"), FIRST_TERM("'王伟'"));
	check_search(&all, "w", MATCHES("'w'"), FIRST_TERM("'w'"));
	struct gt_queue_filter f = { .status_mask = 1u << GT_ST_SUBMITTED };
	check_search(&f, "李", "c.status = 'submitted' AND " MATCHES("'李'"), FIRST_TERM("'李'"));
	/* what matches: any part of the name, its pinyin, its initials; the
	 * start of the identity number, case number or case_ref; case-blind */
	check_search_set(&all, "伟", "instr(a.name, '伟') > 0");
	check_search_set(&all, "Ann", "a.name = 'Ann'");
	check_search_set(&all, "wangwei", "a.name IN ('王伟', '王伟伟')");
	check_search_set(&all, "WEI", "a.name IN ('王伟', '王伟伟')");
	check_search_set(&all, "ww", "a.name IN ('王伟', '王伟伟')");
	check_search_set(&all, "lin", "a.name = '李娜'");
	check_search_set(&all, "5001", "a.id_number LIKE '5001%' OR CAST(c.id AS TEXT) LIKE '5001%' "
				       "OR lower(c.case_ref) LIKE '5001%'");
	check_search_set(&all, "1", "a.id_number LIKE '1%' OR CAST(c.id AS TEXT) LIKE '1%' "
				    "OR lower(c.case_ref) LIKE '1%'");
	/* Identity numbers (walked in the applicants' index since schema 14)
	 * and case numbers or case_refs (case_terms), merged in the terms'
	 * order; with a filter; an x as the 18th character. */
	check_search(&all, "5", MATCHES("'5'"), FIRST_TERM("'5'"));
	check_search(&all, "1", MATCHES("'1'"), FIRST_TERM("'1'"));
	check_search(&f, "5", "c.status = 'submitted' AND " MATCHES("'5'"), FIRST_TERM("'5'"));
	sqlite3 *xdb = gt_store_db(st);
	char xq[19];
	sqlite3_stmt *xs = NULL;
	cr_assert_eq(sqlite3_prepare_v2(xdb, "SELECT lower(id_number) FROM applicants WHERE id_number LIKE '%X' AND "
				      "id IN (SELECT applicant_id FROM cases) LIMIT 1", -1, &xs, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(xs), SQLITE_ROW, "no identity number ends with X");
	snprintf(xq, sizeof xq, "%s", (const char *)sqlite3_column_text(xs, 0));
	sqlite3_finalize(xs);
	int64_t xids[MAXN];
	cr_expect_gt(search_all(&all, xq, false, xids), 0, "%s", xq);
	int64_t ids[MAXN];
	cr_assert_eq(search_all(&all, "no such name", false, ids), 0);
	/* A found case's terms are made again from the case and its stored
	 * keys; for keys that do not read (initials that are not the pinyin's
	 * syllables') they are read from case_terms instead: the same matches,
	 * in the same order. */
	sqlite3 *db = gt_store_db(st);
	cr_assert_eq(sqlite3_exec(db, "UPDATE case_keys SET pinyin = '~' || pinyin WHERE case_id % 3 = 0", NULL, NULL,
				  NULL), SQLITE_OK);
	check_search(&all, "w", MATCHES("'w'"), FIRST_TERM("'w'"));
	check_search(&f, "李", "c.status = 'submitted' AND " MATCHES("'李'"), FIRST_TERM("'李'"));
	cr_assert_eq(sqlite3_exec(db, "UPDATE case_keys SET pinyin = substr(pinyin, 2) WHERE case_id % 3 = 0", NULL,
				  NULL, NULL), SQLITE_OK);
}

/* The plans SQLite chose, as logged with GUANTONG_QUERY_PLANS: the reads,
 * each of a page from a place in the middle of every order (inside a run of
 * equal keys, for all but the case number), forwards and backwards. */
/* The plan log's text, the log removed. */
static char *read_plans(const char *path)
{
	FILE *in = fopen(path, "r");
	cr_assert_not_null(in, "%s", path);
	static char text[1 << 20];
	size_t len = fread(text, 1, sizeof text - 1, in);
	fclose(in);
	text[len] = '\0';
	remove(path);
	return text;
}

static char *plans_of(const struct gt_queue_filter *f, const char *path)
{
	static struct gt_queue_row page[40];
	for (int sort = 0; sort < GT_QS_COUNT; sort++)
		for (int desc = 0; desc < 2; desc++) {
			int n = 0;
			cr_assert_eq(gt_queue_fetch(st, f, sort, desc, NULL, false, 40, page, &n), GT_OK);
			cr_assert_gt(n, 4);
			struct gt_queue_pos pos;
			gt_queue_pos_of(&page[n / 2], &pos);
			cr_assert_eq(gt_queue_fetch(st, f, sort, desc, &pos, false, 35, page, &n), GT_OK);
			cr_assert_eq(gt_queue_fetch(st, f, sort, desc, &pos, true, 35, page, &n), GT_OK);
		}
	return read_plans(path);
}

/* Walked, every order is read in its index: no statement sorts, whatever the
 * filter (a sort of a million cases per page is what this guards against). */
Test(queue, walked_pages_never_sort)
{
	char path[600];
	snprintf(path, sizeof path, "%s/plans.txt", dir);
	setenv("GUANTONG_QUERY_PLANS", path, 1);
	gt_queue_set_few(1);
	struct gt_queue_filter all = { 0 }, region = { .region_mask = 1u << GT_REGION_SICHUAN },
			       both = { .region_mask = 1u << GT_REGION_SICHUAN, .status_mask = 1u << GT_ST_IN_REVIEW,
					.mine = true };
	const struct gt_queue_filter *filters[] = { &all, &region, &both };
	for (size_t i = 0; i < 3; i++) {
		const char *plans = plans_of(filters[i], path);
		cr_assert(strstr(plans, "-- SELECT c.id"), "no statement logged");
		cr_expect_null(strstr(plans, "TEMP B-TREE"), "filter %zu: a walked page sorts:\n%s", i, plans);
	}
	/* A filter that leaves few cases is read through the index of all the
	 * filter's columns, "mine" through its own two. */
	gt_queue_set_few(0);
	const char *plans = plans_of(&region, path);
	cr_expect(strstr(plans, "USING INDEX cases_filter"), "%s", plans);
	struct gt_queue_filter mine = { .mine = true };
	plans = plans_of(&mine, path);
	cr_expect(strstr(plans, "MULTI-INDEX OR"), "%s", plans);
	cr_expect(strstr(plans, "cases_updated_by"), "%s", plans);
	gt_queue_set_few(0);
}

/* The plan log holds searched identity-number prefixes: it is created 0600
 * whatever the umask, and never written through a link planted at its name
 * (issue 13). */
/* Read through cases_filter, a filter gives the cases of every combination
 * of its marked codes (an unmarked column: all its codes; no status: the
 * live ones), and it is read there: a statement of that index that SQLite
 * refused would be read walking the order instead, the same cases, and no
 * other test would see it (schema version 16 made its key one integer). */
Test(queue, filter_index_reads_every_marked_combination)
{
	char path[600];
	snprintf(path, sizeof path, "%s/plans.txt", dir);
	setenv("GUANTONG_QUERY_PLANS", path, 1);
	gt_queue_set_few(1000000);
	static const struct {
		struct gt_queue_filter f;
		const char *where;
	} filters[] = {
		{ { .outcome_mask = (1u << GT_OUT_ELIGIBLE) | (1u << GT_OUT_NOT_ELIGIBLE),
		    .status_mask = (1u << GT_ST_SUBMITTED) | (1u << GT_ST_RETURNED) },
		  "c.outcome IN ('eligible', 'not_eligible') AND c.status IN ('submitted', 'returned')" },
		{ { .direction_mask = 1u << GT_DIR_SKILL_TO_TITLE }, "c.direction = 'skill_to_title' AND c.status <> 'void'" },
		{ { .region_mask = (1u << GT_REGION_COUNT) - 1, .direction_mask = 1u << GT_DIR_TITLE_TO_SKILL,
		    .outcome_mask = (1u << GT_OUT_COUNT) - 1 },
		  "c.direction = 'title_to_skill' AND c.status <> 'void'" },
		{ { .status_mask = (1u << GT_ST_COUNT) - 1, .region_mask = 1u << GT_REGION_CHONGQING },
		  "c.region = 'chongqing'" },
		{ { .status_mask = (1u << GT_ST_IN_REVIEW) | (1u << GT_ST_SUBMITTED),
		    .region_mask = (1u << GT_REGION_SICHUAN) | (1u << GT_REGION_JIANGSU),
		    .outcome_mask = (1u << GT_OUT_ELIGIBLE) | (1u << GT_OUT_NEEDS_EVIDENCE) | (1u << GT_OUT_MANUAL_REVIEW),
		    .direction_mask = 1u << GT_DIR_SKILL_TO_TITLE },
		  "c.status IN ('in_review', 'submitted') AND c.region IN ('sichuan', 'jiangsu') AND "
		  "c.outcome IN ('eligible', 'needs_evidence', 'manual_review') AND c.direction = 'skill_to_title'" },
	};
	static int64_t want[MAXN], got[MAXN];
	for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
		remove(path);
		int nwant = reference(filters[i].where, GT_QS_ID, false, want);
		cr_assert_gt(nwant, 4, "the filter %s leaves too few cases to test", filters[i].where);
		check_same(want, nwant, got, walk(&filters[i].f, GT_QS_ID, false, false, 35, got), filters[i].where);
		const char *plans = read_plans(path);
		cr_expect(strstr(plans, "USING INDEX cases_filter"), "%s:\n%s", filters[i].where, plans);
	}
	gt_queue_set_few(0);
}

Test(queue, the_plan_log_is_private_and_never_through_a_link)
{
	char path[600], victim[600];
	snprintf(path, sizeof path, "%s/plans.log", dir);
	snprintf(victim, sizeof victim, "%s/victim", dir);
	FILE *v = fopen(victim, "w");
	cr_assert_not_null(v);
	fputs("precious", v);
	fclose(v);
	cr_assert_eq(symlink(victim, path), 0);
	setenv("GUANTONG_QUERY_PLANS", path, 1);
	umask(022);
	static struct gt_queue_row page[10];
	struct gt_queue_filter all = { 0 };
	int n = 0;
	cr_assert_eq(gt_queue_fetch(st, &all, GT_QS_ID, false, NULL, false, 10, page, &n), GT_OK);
	cr_assert_gt(n, 0);
	char text[64] = "";
	v = fopen(victim, "r");
	cr_assert_not_null(v);
	cr_expect_not_null(fgets(text, sizeof text, v));
	fclose(v);
	cr_expect_str_eq(text, "precious", "the log went through the link");
	struct stat sb;
	cr_expect(lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode));
	unlink(path);
	cr_assert_eq(gt_queue_fetch(st, &all, GT_QS_ID, false, NULL, false, 10, page, &n), GT_OK);
	cr_assert_eq(stat(path, &sb), 0, "the log was not written");
	cr_expect_eq(sb.st_mode & 0777, 0600, "mode %o", sb.st_mode & 0777);
	cr_expect_gt(sb.st_size, 0);
}
