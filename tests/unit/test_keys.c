/* Unit tests of the queue's keys of a name (store/gt_keys.c): the pinyin
 * made from the table of characters (gt_keys_make) must be byte for byte
 * what ICU's transform of the whole name makes (gt_keys_make_whole), as the
 * stored keys were made before the table, so that they need no rebuild.
 * Compared on every ideograph of the basic block and Ext-A, on every pair of
 * the characters that generated and fixture names use and that the context
 * rules name, and on 100,000 generated names (sanitized: a sample, see
 * SAMPLE). The table written at build
 * time (gen_pinyin) is compared with this ICU on every code point.
 *
 * Suites: keys. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <signal.h>
#include <sys/resource.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include <unicode/uversion.h>
#include <unistd.h>

#include "gt_csv.h"
#include "gt_pinyin.h"
#include "gt_store_int.h"

/* ================= helpers ================= */

enum { MAX_CHARS = 4096 };

/* Sanitized (CI's second pass: -O1 under AddressSanitizer, several times
 * slower), the comparisons of the table with ICU below run on a stratified
 * sample of their inputs. gt_keys_make, gt_keys_make_whole and the table
 * are pure functions of a name's bytes (of a code point), and the plain
 * suite compares every input: every ideograph, every pair, 100,000 names,
 * every code point. What the sanitized run adds is a memory error on the
 * path an input takes, and the sample takes every path: each page of the
 * table, its first and last row and one row in SAMPLE (every row on some
 * pages; every UTF-8 length), every context character (the only ones read
 * in context) beside such a sample of the ideographs, every character of
 * the names first and second in a pair, and every SAMPLE-th generated name
 * (gen_cases's every shape). Sanitized, these five tests were 12.9 s of
 * CPU, 5.5 s now. */
#if defined(__SANITIZE_ADDRESS__)
enum { SAMPLE = 8 };
#else
enum { SAMPLE = 1 };
#endif

/* Whether input i of n (i from 0, i & 0xff its row in a page of the table:
 * every range compared starts a page) is in the sample: the first and the
 * last row of each page, the last input, and one row in SAMPLE, which one
 * moving from page to page (so that every row of a page is sampled on some
 * pages). */
static bool sampled(long i, long n)
{
	long row = i & 0xff;
	return SAMPLE == 1 || row == 0 || row == 0xff || i == n - 1 || i % SAMPLE == (i >> 8) % SAMPLE;
}

/* How many of n inputs are in the sample. */
static long sample_size(long n)
{
	long k = 0;
	for (long i = 0; i < n; i++)
		k += sampled(i, n);
	return k;
}

/* Where the table and ICU differ: how often, and the first such name. */
struct diff {
	long names, differ, seen; /* seen: the names offered (name_compare compares a sample) */
	char first[256], table[1200], whole[1200];
};

static void compare(struct diff *d, const char *name)
{
	struct gt_keys a, b;
	int ra = gt_keys_make(name, &a), rb = gt_keys_make_whole(name, &b);
	d->names++;
	if (ra == rb && (ra != 0 || memcmp(&a, &b, sizeof a) == 0))
		return;
	if (!d->differ++) {
		snprintf(d->first, sizeof d->first, "%s", name);
		snprintf(d->table, sizeof d->table, "%d %s %s %d", ra, a.pinyin, a.initials, a.nsyllables);
		snprintf(d->whole, sizeof d->whole, "%d %s %s %d", rb, b.pinyin, b.initials, b.nsyllables);
	}
}

static void expect_none(const struct diff *d)
{
	cr_expect_eq(d->differ, 0, "%ld of %ld names differ; first \"%s\": table [%s], ICU whole [%s]", d->differ,
		     d->names, d->first, d->table, d->whole);
}

static int put_utf8(char *s, uint32_t c)
{
	uint8_t *u = (uint8_t *)s;
	int n = 0;
	U8_APPEND_UNSAFE(u, n, c);
	return n;
}

/* The characters of a valid UTF-8 name, added to chars[0..*n) if new. */
static void add_chars(uint32_t *chars, int *n, const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		UChar32 c;
		U8_NEXT_UNSAFE(s, i, c);
		bool seen = false;
		for (int j = 0; j < *n && !seen; j++)
			seen = chars[j] == (uint32_t)c;
		if (!seen && *n < MAX_CHARS)
			chars[(*n)++] = (uint32_t)c;
	}
}

/* Calls fn with each name (the "name" column) of a case CSV. */
static void each_name(FILE *f, void (*fn)(const char *name, size_t n, void *arg), void *arg)
{
	gt_csv *r = gt_csv_new(f);
	cr_assert_not_null(r);
	struct gt_csv_record *rec = calloc(1, sizeof *rec);
	cr_assert_not_null(rec);
	int col = -1;
	while (gt_csv_next(r, rec) > 0) {
		if (rec->error != GT_CSV_OK)
			continue;
		if (col < 0) {
			for (int i = 0; i < rec->nfields && col < 0; i++)
				if (rec->fields[i].n == 4 && memcmp(rec->fields[i].p, "name", 4) == 0)
					col = i;
			if (col < 0)
				break;
			continue;
		}
		if (col < rec->nfields && rec->fields[col].n && gt_utf8_check(rec->fields[col].p, rec->fields[col].n) == 0)
			fn(rec->fields[col].p, rec->fields[col].n, arg);
	}
	free(rec);
	gt_csv_free(&r);
}

static FILE *gen_cases(int n)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "'%s' %d 1 2>/dev/null", GT_GEN_CASES, n);
	FILE *f = popen(cmd, "r");
	cr_assert_not_null(f, "cannot run %s", GT_GEN_CASES);
	return f;
}

struct charset {
	uint32_t c[MAX_CHARS];
	int n;
};

static void name_chars(const char *name, size_t n, void *arg)
{
	struct charset *cs = arg;
	add_chars(cs->c, &cs->n, name, n);
}

static void name_compare(const char *name, size_t n, void *arg)
{
	char s[GT_TEXT_MAX_BYTES + 1];
	struct diff *d = arg;
	if (n >= sizeof s || d->seen++ % SAMPLE != 0)
		return;
	memcpy(s, name, n);
	s[n] = '\0';
	compare(arg, s);
}

/* ================= keys ================= */

/* Han-Latin's context rules, from ICU's own rule text: a few characters are
 * read in context (ICU 72: 藏 重 沈 秘, before 文 庆 阳 鲁). */
Test(keys, context_rules_found)
{
	uint32_t ctx[64], named[64];
	int nctx = gt_keys_context_chars(false, ctx, 64), nnamed = gt_keys_context_chars(true, named, 64);
	cr_assert_gt(nctx, 0, "no context characters found in Han-Latin's rules");
	cr_assert_geq(nnamed, nctx);
	cr_assert_leq(nnamed, 64);
	char list[64 * 5] = "";
	for (int i = 0, k = 0; i < nnamed; i++)
		k += put_utf8(list + k, named[i]);
	cr_log_info("%d characters read in context; the context rules name %d: %s", nctx, nnamed, list);
	for (int i = 0; i < nctx; i++) {
		bool in = false;
		for (int j = 0; j < nnamed && !in; j++)
			in = named[j] == ctx[i];
		cr_expect(in, "U+%04X is read in context but not named", ctx[i]);
	}
	/* 重 before 庆 is the case the table must not read alone. */
	struct gt_keys k;
	cr_assert_eq(gt_keys_make("重庆", &k), 0);
	cr_expect_str_eq(k.pinyin, "chongqing");
	cr_assert_eq(gt_keys_make("重", &k), 0);
	cr_expect_str_eq(k.pinyin, "zhong");
}

Test(keys, every_ideograph_alone, .timeout = 600)
{
	struct diff d = { 0 };
	static const uint32_t blocks[][2] = { { 0x4E00, 0x9FFF }, { 0x3400, 0x4DBF } };
	for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++)
		for (uint32_t c = blocks[b][0]; c <= blocks[b][1]; c++) {
			if (!sampled(c - blocks[b][0], blocks[b][1] - blocks[b][0] + 1))
				continue;
			char s[8];
			s[put_utf8(s, c)] = '\0';
			compare(&d, s);
		}
	expect_none(&d);
	cr_expect_eq(d.names, sample_size(20992) + sample_size(6592));
}

Test(keys, every_pair_of_name_characters, .timeout = 600)
{
	static struct charset cs;
	FILE *f = gen_cases(100000);
	each_name(f, name_chars, &cs);
	cr_assert_eq(pclose(f), 0);
	int from_gen = cs.n;
	glob_t g;
	cr_assert_eq(glob(GT_SOURCE_DIR "/fixtures/*.csv", 0, NULL, &g), 0);
	glob(GT_SOURCE_DIR "/fixtures/*/*.csv", GLOB_APPEND, NULL, &g);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		FILE *fx = fopen(g.gl_pathv[i], "rb");
		cr_assert_not_null(fx, "%s", g.gl_pathv[i]);
		each_name(fx, name_chars, &cs);
		fclose(fx);
	}
	globfree(&g);
	uint32_t named[64];
	int nnamed = gt_keys_context_chars(true, named, 64);
	cr_assert_gt(nnamed, 0);
	for (int i = 0; i < nnamed && i < 64; i++) {
		char s[8];
		int k = put_utf8(s, named[i]);
		add_chars(cs.c, &cs.n, s, (size_t)k);
	}
	cr_assert_gt(from_gen, 100);
	cr_assert_lt(cs.n, MAX_CHARS);
	struct diff d = { 0 };
	for (int i = 0; i < cs.n; i++)
		for (int j = (SAMPLE - i % SAMPLE) % SAMPLE; j < cs.n; j += SAMPLE) { /* each character first and second */
			char s[16];
			int k = put_utf8(s, cs.c[i]);
			k += put_utf8(s + k, cs.c[j]);
			s[k] = '\0';
			compare(&d, s);
		}
	expect_none(&d);
	cr_log_info("%d characters (%d from generated names), %ld pairs", cs.n, from_gen, d.names);
}

Test(keys, generated_names, .timeout = 600)
{
	struct diff d = { 0 };
	FILE *f = gen_cases(100000);
	each_name(f, name_compare, &d);
	cr_assert_eq(pclose(f), 0);
	cr_expect_gt(d.names, 99000 / SAMPLE);
	expect_none(&d);
}

/* The table built by gen_pinyin is what this ICU says of every character,
 * and its context sets are Han-Latin's: the keys made from it are those
 * made from ICU at run time. */
Test(keys, built_table_is_this_icus, .timeout = 600)
{
	UVersionInfo v;
	char version[U_MAX_VERSION_STRING_LENGTH];
	u_getVersion(v);
	u_versionToString(v, version);
	cr_assert_str_eq(gt_py_table_icu, version, "the table was built from another ICU");
	cr_assert(gt_py_table_usable);
	struct gt_py_icu icu;
	cr_assert_eq(gt_py_icu_open(&icu), 0);
	cr_assert(icu.usable);
	long differ = 0, syllables = 0;
	UChar32 first = -1;
	for (UChar32 c = 0; c < 0x110000; c++) {
		if (!sampled(c, 0x110000))
			continue;
		char py[GT_PY_MAX];
		gt_py_icu_char(&icu, c, py);
		int i = gt_py_table_rows[gt_py_table_page[c >> 8]][c & 0xff];
		syllables += py[0] != '\0';
		if (strcmp(i ? gt_py_table_syllables[i] : "", py) != 0 && !differ++)
			first = c;
	}
	cr_expect_eq(differ, 0, "%ld characters differ, the first U+%04X", differ, (unsigned)first);
	cr_expect_gt(syllables, 40000 / SAMPLE);
	uint32_t ctx[64], named[64];
	int nctx = gt_keys_context_chars(false, ctx, 64), nnamed = gt_keys_context_chars(true, named, 64);
	cr_assert_eq(nctx, uset_size(icu.context));
	cr_assert_eq(nnamed, uset_size(icu.named));
	for (int i = 0; i < nctx; i++)
		cr_expect(uset_contains(icu.context, (UChar32)ctx[i]), "U+%04X", ctx[i]);
	for (int i = 0; i < nnamed; i++)
		cr_expect(uset_contains(icu.named, (UChar32)named[i]), "U+%04X", named[i]);
	gt_py_icu_close(&icu);
}

/* A name of plain ideographs, context characters and middle dots
 * included, is made without opening ICU's transform (a billion
 * instructions); one with a Latin letter goes through it. */
Test(keys, a_plain_name_opens_no_transform)
{
	struct gt_keys k;
	cr_assert_eq(gt_keys_make("马雪梅", &k), 0);
	cr_expect_str_eq(k.pinyin, "maxuemei");
	cr_expect_str_eq(k.initials, "mxm");
	/* The context characters, alone and before what their rules name. */
	static const char *const ctx[][2] = { { "沈小红", "shenxiaohong" }, { "重庆", "chongqing" },
					      { "重阳", "zhongyang" }, { "秘鲁", "bilu" }, { "藏文", "zangwen" } };
	for (size_t i = 0; i < sizeof ctx / sizeof ctx[0]; i++) {
		cr_assert_eq(gt_keys_make(ctx[i][0], &k), 0);
		cr_expect_str_eq(k.pinyin, ctx[i][1]);
	}
	/* The middle dot between the parts of a name. */
	cr_assert_eq(gt_keys_make("次仁·多吉", &k), 0);
	cr_expect_str_eq(k.pinyin, "cirenduoji");
	cr_expect_str_eq(k.initials, "crdj");
	cr_expect_not(gt_keys_transform_opened());
	cr_assert_eq(gt_keys_make("Anna 马", &k), 0);
	cr_expect_str_eq(k.pinyin, "annama");
	cr_expect(gt_keys_transform_opened());
}

/* The context characters' pairs hold before and after every ideograph of
 * the basic block: their reading depends on the next character alone. */
Test(keys, context_characters_beside_every_ideograph, .timeout = 600)
{
	uint32_t ctx[64];
	int nctx = gt_keys_context_chars(false, ctx, 64);
	cr_assert_gt(nctx, 0);
	cr_assert_leq(nctx, 64);
	struct diff d = { 0 };
	for (int i = 0; i < nctx; i++)
		for (uint32_t c = 0x4E00; c <= 0x9FFF; c++) {
			if (!sampled(c - 0x4E00, 20992))
				continue;
			char s[16];
			int k = put_utf8(s, ctx[i]);
			k += put_utf8(s + k, c);
			s[k] = '\0';
			compare(&d, s);
			k = put_utf8(s, c);
			k += put_utf8(s + k, ctx[i]);
			s[k] = '\0';
			compare(&d, s);
		}
	expect_none(&d);
	cr_expect_eq(d.names, 2L * nctx * sample_size(20992));
}

/* ================= terms ================= */

/* Every row of case_terms and case_keys, in order, as text (malloc'ed). */
/* A new store, cases.db in a new directory made from the template dir;
 * its file's name in path. */
static gt_store *new_store(char *dir, char *path, size_t size)
{
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, size, "%s/cases.db", dir);
	gt_store *st = NULL;
	char err[512];
	cr_assert_eq(gt_store_open_as(&st, path, GT_OPEN_CREATE, "clerk1", err, sizeof err), GT_OK, "%s", err);
	return st;
}

/* Removes a test's store file and its WAL and shared-memory files. */
static void remove_store(const char *path)
{
	char side[PATH_MAX];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

static char *terms_dump(gt_store *st, long *terms)
{
	sqlite3_stmt *s = NULL;
	cr_assert_eq(sqlite3_prepare_v2(st->db,
					"SELECT 't', term, case_id FROM case_terms UNION ALL SELECT 'k', hex(name_key) || ' ' "
					"|| pinyin || ' ' || initials || ' ' || syllables, case_id FROM case_keys ORDER BY 1, 2, 3",
					-1, &s, NULL),
		     SQLITE_OK, "%s", sqlite3_errmsg(st->db));
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	cr_assert_not_null(m);
	*terms = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		*terms += sqlite3_column_text(s, 0)[0] == 't';
		fprintf(m, "%s %s %lld\n", sqlite3_column_text(s, 0), sqlite3_column_text(s, 1),
			(long long)sqlite3_column_int64(s, 2));
	}
	sqlite3_finalize(s);
	fclose(m);
	return buf;
}

/* Two dumps of terms_dump the same, or where they part. */
static void expect_same_rows(const char *bulk, const char *rows, const char *what)
{
	size_t i = 0;
	while (bulk[i] && bulk[i] == rows[i])
		i++;
	size_t from = i > 60 ? i - 60 : 0;
	cr_expect(bulk[i] == rows[i], "%s: the rows differ from the row writer's at byte %zu: [%.120s] [%.120s]", what,
		  i, bulk + from, rows + from);
}

/* Data line i of a case CSV again, under another name ("欧阳" before it),
 * case_ref (a "b" after it) and, when flip, the other direction: the same
 * case written again (or the same person's other case, renamed). */
static void put_changed(FILE *out, const char *line, bool flip)
{
	const char *c1 = strchr(line, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
	if (!c2 || memchr(line, '"', (size_t)(c2 - line)))
		return;
	const char *rest = c2 + 1;
	const char *from = flip ? (strstr(rest, ",skill_to_title,") ? ",skill_to_title," : ",title_to_skill,") : NULL;
	const char *at = from ? strstr(rest, from) : NULL;
	fprintf(out, "%.*sb,欧阳%.*s,", (int)(c1 - line), line, (int)(c2 - c1 - 1), c1 + 1);
	if (!at) {
		fputs(rest, out);
		return;
	}
	fprintf(out, "%.*s%s%s", (int)(at - rest), rest, from[1] == 's' ? ",title_to_skill," : ",skill_to_title,",
		at + strlen(from));
}

/* An import into an empty store writes the new cases' terms a sorted run
 * at a time (gt_keys_bulk); the rows must be those the row-by-row writer
 * makes. 30,000 generated cases (more terms than one run holds); among
 * the last 4,000 cases written again by later rows of the file, renamed
 * (their old terms dropped from the run that holds them, or deleted from
 * case_terms when the first run was written before), then the same
 * persons' cases in the other direction (renaming their first case), and
 * the cases written again written a third time, as they were (their terms
 * dropped from a run that holds them after later cases' terms), then
 * 1,000 new cases (the last run).
 * Compared with what gt_store_keys_rebuild writes, case by case, after a
 * failed import on the same connection (which must end the run). */
Test(terms, bulk_import_writes_what_the_row_writer_writes, .timeout = 600)
{
	enum { N = 30000, AGAIN_FROM = 26000, LAST = 29000, EVERY = 97 };
	FILE *gen = gen_cases(N);
	char **lines = calloc(N + 2, sizeof *lines);
	cr_assert_not_null(lines);
	size_t cap = 0;
	int n = 0;
	char *line = NULL;
	while (n < N + 1 && getline(&line, &cap, gen) > 0)
		lines[n++] = strdup(line);
	free(line);
	cr_assert_eq(pclose(gen), 0);
	cr_assert_eq(n, N + 1);
	FILE *csv = tmpfile();
	cr_assert_not_null(csv);
	for (int i = 0; i < n; i++) {
		if (i == LAST) {
			for (int k = EVERY; k < LAST; k += 2 * EVERY)
				put_changed(csv, lines[k], true);
			for (int k = AGAIN_FROM + 1; k < LAST; k++)
				if (k % EVERY == 0)
					fputs(lines[k - 300], csv);
		}
		fputs(lines[i], csv);
		if (i > AGAIN_FROM && i < LAST && i % EVERY == 0)
			put_changed(csv, lines[i - 300], false);
	}
	rewind(csv);

	char dir[] = "/tmp/gt-terms-XXXXXX", path[64];
	gt_store *st = new_store(dir, path, sizeof path);
	FILE *rej = tmpfile();
	struct gt_import_opts o = { .skip_invalid = true, .reject = rej, .as_of = GT_DATE_NONE };
	struct gt_import_result res;
	cr_assert_eq(gt_store_import(st, csv, "cases.csv", &o, &res), GT_OK, "%s", gt_store_errmsg(st));
	cr_assert_gt(res.inserted, N * 9 / 10);
	cr_assert_gt(res.updated, 20, "%ld cases written again", res.updated);
	cr_log_info("%ld rows: %ld new cases, %ld written again, %ld invalid", res.rows, res.inserted, res.updated,
		    res.invalid);
	long bulk_terms, row_terms;
	char *bulk = terms_dump(st, &bulk_terms);
	cr_assert_gt(bulk_terms, 262144, "%ld terms: fewer than a run holds", bulk_terms);

	/* A failed import (another file, with an invalid row, not skipped):
	 * nothing written, the run ended. */
	FILE *part = tmpfile();
	cr_assert_not_null(part);
	for (int k = 0; k < 2000; k++)
		fputs(lines[k], part);
	rewind(part);
	struct gt_import_opts strict = { .as_of = GT_DATE_NONE };
	cr_assert_eq(gt_store_import(st, part, "part.csv", &strict, &res), GT_ERR_INVALID);
	cr_assert_eq(res.same_as, 0);
	fclose(part);
	cr_assert_eq(gt_store_keys_rebuild(st), GT_OK, "%s", gt_store_errmsg(st));
	char *rows = terms_dump(st, &row_terms);
	cr_expect_eq(bulk_terms, row_terms);
	expect_same_rows(bulk, rows, "the bulk import");
	free(bulk);
	free(rows);
	gt_store_close(st);
	fclose(rej);
	fclose(csv);
	for (int k = 0; k < n; k++)
		free(lines[k]);
	free(lines);
	remove_store(path);
	rmdir(dir);
}

/* A run written after the database's schema was made again on the same
 * connection (sqlite3_deserialize, as fuzz_import resets its store between
 * inputs): the table-valued function that writes the run must not keep
 * the table of the schema before. The first version read freed memory
 * inside SQLite here (AddressSanitizer: SEGV in sqlite3SchemaToIndex;
 * fuzz_import's crash of 2026-12-06). */
Test(terms, a_run_after_the_schema_is_made_again)
{
	FILE *gen = gen_cases(300);
	FILE *csv = tmpfile();
	cr_assert_not_null(csv);
	char buf[8192];
	size_t got;
	while ((got = fread(buf, 1, sizeof buf, gen)) > 0)
		fwrite(buf, 1, got, csv);
	cr_assert_eq(pclose(gen), 0);

	char dir[] = "/tmp/gt-terms-XXXXXX", cwd[4096], err[512];
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_not_null(getcwd(cwd, sizeof cwd));
	cr_assert_eq(chdir(dir), 0);
	gt_store *st = NULL;
	cr_assert_eq(gt_store_open_as(&st, ":memory:", GT_OPEN_CREATE, "clerk1", err, sizeof err), GT_OK, "%s", err);
	unlink(":memory:");
	cr_assert_eq(chdir(cwd), 0);
	rmdir(dir);
	sqlite3_int64 size = 0;
	unsigned char *pristine = sqlite3_serialize(st->db, "main", &size, 0);
	cr_assert_not_null(pristine);

	long terms[2];
	for (int round = 0; round < 2; round++) {
		if (round) {
			unsigned char *copy = sqlite3_malloc64((sqlite3_uint64)size);
			cr_assert_not_null(copy);
			memcpy(copy, pristine, (size_t)size);
			cr_assert_eq(sqlite3_deserialize(st->db, "main", copy, size, size,
							 SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE),
				     SQLITE_OK, "%s", sqlite3_errmsg(st->db));
		}
		rewind(csv);
		FILE *rej = tmpfile();
		struct gt_import_opts o = { .skip_invalid = true, .reject = rej, .as_of = GT_DATE_NONE };
		struct gt_import_result res;
		cr_assert_eq(gt_store_import(st, csv, "cases.csv", &o, &res), GT_OK, "round %d: %s", round,
			     gt_store_errmsg(st));
		cr_assert_gt(res.inserted, 250, "round %d: %ld new cases", round, res.inserted);
		free(terms_dump(st, &terms[round]));
		fclose(rej);
	}
	cr_expect_gt(terms[0], 0);
	cr_expect_eq(terms[0], terms[1], "%ld terms, then %ld", terms[0], terms[1]);
	sqlite3_free(pristine);
	gt_store_close(st);
	fclose(csv);
}

/* Whether any of this process's descriptors names something in dir (a
 * scratch file left open: "dir/#123 (deleted)"). */
static bool fd_in(const char *dir)
{
	glob_t g;
	bool found = false;
	if (glob("/proc/self/fd/*", 0, NULL, &g) != 0)
		return false;
	for (size_t i = 0; i < g.gl_pathc && !found; i++) {
		char to[4096];
		ssize_t n = readlink(g.gl_pathv[i], to, sizeof to - 1);
		if (n > 0) {
			to[n] = '\0';
			found = strncmp(to, dir, strlen(dir)) == 0 && strstr(to, "cases.db") == NULL;
		}
	}
	globfree(&g);
	return found;
}

/* Imports csv into st (invalid rows skipped), then compares case_terms and
 * case_keys with what gt_store_keys_rebuild writes, case by case; the
 * number of terms. */
static long import_as_rebuilt(gt_store *st, FILE *csv, const char *what)
{
	rewind(csv);
	FILE *rej = tmpfile();
	cr_assert_not_null(rej);
	struct gt_import_opts o = { .skip_invalid = true, .reject = rej, .as_of = GT_DATE_NONE };
	struct gt_import_result res;
	cr_assert_eq(gt_store_import(st, csv, "cases.csv", &o, &res), GT_OK, "%s: %s", what, gt_store_errmsg(st));
	cr_log_info("%s: %ld rows: %ld new cases, %ld written again", what, res.rows, res.inserted, res.updated);
	cr_assert_gt(res.updated, 50, "%s: %ld cases written again", what, res.updated);
	fclose(rej);
	long bulk_terms, row_terms;
	char *bulk = terms_dump(st, &bulk_terms);
	cr_assert_eq(gt_store_keys_rebuild(st), GT_OK, "%s", gt_store_errmsg(st));
	char *rows = terms_dump(st, &row_terms);
	cr_expect_eq(bulk_terms, row_terms, "%s: %ld terms, the row writer %ld", what, bulk_terms, row_terms);
	expect_same_rows(bulk, rows, what);
	free(bulk);
	free(rows);
	return bulk_terms;
}

/* The merge of spilled runs (gt_keys.c, terms_write): with runs of 2,000
 * terms (about 150 cases each; gt_keys_run_size) two imports of 4,000 and
 * 2,000 generated cases spill dozens of runs to the scratch file and
 * merge them; among their rows cases written again, renamed, from runs
 * written long before (left out of them by the merge), from the run in
 * memory (dropped from it), then a third time as they were (left out of a
 * second spilled run); the same persons' cases in the other direction
 * (which renames their first case); in the second import cases of the
 * first (in case_terms: deleted there). Each import's case_terms and
 * case_keys must be what the row writer makes; no scratch file may stay
 * open, nor after an import of 1,500 new cases that fails at its last row
 * once its runs were spilled. */
Test(terms, spilled_runs_merged_write_what_the_row_writer_writes, .timeout = 600)
{
	enum { N = 6000, FIRST = 4000, BAD = 1500, RUN = 2000 };
	gt_keys_run_size(RUN);
	FILE *gen = gen_cases(N + BAD);
	char **lines = calloc(N + BAD + 2, sizeof *lines);
	cr_assert_not_null(lines);
	size_t cap = 0;
	int n = 0;
	char *line = NULL;
	while (n < N + BAD + 1 && getline(&line, &cap, gen) > 0)
		lines[n++] = strdup(line);
	free(line);
	cr_assert_eq(pclose(gen), 0);
	cr_assert_eq(n, N + BAD + 1);
	FILE *csv[2] = { tmpfile(), tmpfile() };
	cr_assert(csv[0] && csv[1]);
	for (int f = 0; f < 2; f++) {
		int from = f ? FIRST + 1 : 1, to = f ? N + 1 : FIRST + 1;
		fputs(lines[0], csv[f]);
		for (int i = from; i < to; i++) {
			fputs(lines[i], csv[f]);
			if (i - from > 700 && i % 37 == 0)
				put_changed(csv[f], lines[i - 650], false); /* a spilled run's case */
			if (i - from > 20 && i % 53 == 0)
				put_changed(csv[f], lines[i - 20], i % 2); /* likely the run in memory's */
			if (f && i % 29 == 0)
				put_changed(csv[f], lines[i - FIRST], i % 3 == 0); /* the first import's */
		}
		for (int i = from + 700; i < to - 700; i += 37 * 7)
			fputs(lines[i - 650], csv[f]); /* the third time, as it was */
	}

	char dir[] = "/tmp/gt-terms-XXXXXX", path[64];
	gt_store *st = new_store(dir, path, sizeof path);
	long terms = import_as_rebuilt(st, csv[0], "into the empty store");
	cr_assert_gt(terms, 20L * RUN, "%ld terms: too few runs", terms);
	cr_expect(!fd_in(dir), "a scratch file is still open");
	terms = import_as_rebuilt(st, csv[1], "into the store of the first");
	cr_assert_gt(terms, 30L * RUN, "%ld terms", terms);
	cr_expect(!fd_in(dir), "a scratch file is still open");

	/* New cases with an invalid row at the end, not skipped: their runs
	 * are spilled before the row fails the import. */
	FILE *bad = tmpfile();
	cr_assert_not_null(bad);
	for (int i = 0; i <= BAD; i++)
		fputs(lines[i ? N + i : 0], bad);
	fputs("not,a,case\n", bad);
	rewind(bad);
	struct gt_import_opts strict = { .as_of = GT_DATE_NONE };
	struct gt_import_result res;
	cr_assert_eq(gt_store_import(st, bad, "bad.csv", &strict, &res), GT_ERR_INVALID, "%s", gt_store_errmsg(st));
	cr_expect_eq(res.inserted, 0);
	cr_expect(!fd_in(dir), "a scratch file is still open after a failed import");
	fclose(bad);

	gt_store_close(st);
	gt_keys_run_size(0);
	for (int f = 0; f < 2; f++)
		fclose(csv[f]);
	for (int k = 0; k < n; k++)
		free(lines[k]);
	free(lines);
	remove_store(path);
	cr_expect_eq(rmdir(dir), 0, "%s: %s", dir, strerror(errno));
}

/* How many names directory dir holds besides the store's own (cases.db and
 * its -wal, -shm and -journal); the first of them in first. */
static int strangers_in(const char *dir, char *first, size_t size)
{
	DIR *d = opendir(dir);
	cr_assert_not_null(d, "%s: %s", dir, strerror(errno));
	int n = 0;
	first[0] = '\0';
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *s = e->d_name;
		if (!strcmp(s, ".") || !strcmp(s, "..") || !strcmp(s, "cases.db") || !strcmp(s, "cases.db-wal") ||
		    !strcmp(s, "cases.db-shm") || !strcmp(s, "cases.db-journal"))
			continue;
		if (!n++)
			snprintf(first, size, "%s", s);
	}
	closedir(d);
	return n;
}

/* A gen_cases file of n cases in a temporary file. */
static FILE *cases_file(int n)
{
	FILE *gen = gen_cases(n), *csv = tmpfile();
	cr_assert_not_null(csv);
	char buf[8192];
	size_t got;
	while ((got = fread(buf, 1, sizeof buf, gen)) > 0)
		cr_assert_eq(fwrite(buf, 1, got, csv), got);
	cr_assert_eq(pclose(gen), 0);
	rewind(csv);
	return csv;
}

/* Imports csv into st under a file size limit of limit bytes (no
 * SIGXFSZ), which must make it fail. */
static void import_fails_under(gt_store *st, FILE *csv, struct gt_import_opts *o, struct gt_import_result *res,
			       rlim_t limit)
{
	struct rlimit was, small;
	cr_assert_eq(getrlimit(RLIMIT_FSIZE, &was), 0);
	small = was;
	small.rlim_cur = limit;
	signal(SIGXFSZ, SIG_IGN);
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
	int rc = gt_store_import(st, csv, "cases.csv", o, res);
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &was), 0);
	cr_assert_neq(rc, GT_OK, "the import passed under a file size limit of %lu KiB", (unsigned long)(limit >> 10));
}

/* After a failed import: count (the rows it would have written) is 0,
 * and dir holds no name but the store's, nor an open file. */
static void expect_nothing_left(gt_store *st, const char *dir, const char *count)
{
	char stranger[256];
	sqlite3_stmt *q = NULL;
	cr_assert_eq(sqlite3_prepare_v2(st->db, count, -1, &q, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
	cr_expect_eq(sqlite3_column_int(q, 0), 0, "the failed import wrote rows");
	sqlite3_finalize(q);
	cr_expect_eq(strangers_in(dir, stranger, sizeof stranger), 0, "%s holds %s after the failed import", dir,
		     stranger);
	cr_expect(!fd_in(dir), "a scratch file is still open after the failed import");
}

/* An import into an empty store whose terms were spilled writes their merge
 * on a second thread into a scratch database, made by name beside the
 * store, attached to the store's connection and copied into case_terms
 * (gt_keys.c, side_start) by SQLite's transfer. Its file must be gone after the import: no name
 * in the directory, no descriptor open; so after an import that fails on
 * that thread (a file size limit of 512 KiB lets the scratch file of
 * runs be written, not the scratch database: EFBIG), which
 * writes nothing and says it was the search keys. */
Test(terms, the_merge_thread_leaves_no_file_behind, .timeout = 300)
{
	enum { N = 4000, RUN = 2000 };
	gt_keys_run_size(RUN);
	FILE *csv = cases_file(N);
	char stranger[256];
	char dir[] = "/tmp/gt-side-XXXXXX", path[64];
	gt_store *st = new_store(dir, path, sizeof path);
	rewind(csv);
	struct gt_import_opts o = { .as_of = GT_DATE_NONE, .skip_invalid = true, .reject = tmpfile() };
	struct gt_import_result res;
	cr_assert_not_null(o.reject);
	cr_assert_eq(gt_store_import(st, csv, "cases.csv", &o, &res), GT_OK, "%s", gt_store_errmsg(st));
	cr_assert_gt(res.inserted, N / 2);
	long terms;
	free(terms_dump(st, &terms));
	cr_expect_gt(terms, 10L * RUN, "%ld terms", terms);
	/* Copied by SQLite's transfer, its pages filled whole: as many as a
	 * transfer into a table made like it (appended row by row, an eighth
	 * of each page stays empty). */
	cr_assert_eq(sqlite3_exec(st->db, "CREATE TABLE t2 (term TEXT NOT NULL, case_id INTEGER NOT NULL, "
					  "PRIMARY KEY (term, case_id)) WITHOUT ROWID; INSERT INTO t2 SELECT * FROM case_terms",
				  NULL, NULL, NULL),
		     SQLITE_OK, "%s", sqlite3_errmsg(st->db));
	sqlite3_stmt *pages = NULL;
	cr_assert_eq(sqlite3_prepare_v2(st->db, "SELECT (SELECT count(*) FROM dbstat WHERE name = 'case_terms'), "
					"(SELECT count(*) FROM dbstat WHERE name = 't2')", -1, &pages, NULL),
		     SQLITE_OK, "%s", sqlite3_errmsg(st->db));
	cr_assert_eq(sqlite3_step(pages), SQLITE_ROW);
	cr_expect_eq(sqlite3_column_int(pages, 0), sqlite3_column_int(pages, 1),
		     "case_terms has %d pages, a transfer of it %d", sqlite3_column_int(pages, 0),
		     sqlite3_column_int(pages, 1));
	sqlite3_finalize(pages);
	cr_expect_eq(strangers_in(dir, stranger, sizeof stranger), 0, "%s holds %s after the import", dir, stranger);
	cr_expect(!fd_in(dir), "a scratch file is still open after the import");
	gt_store_close(st);
	remove_store(path);
	cr_assert_eq(rmdir(dir), 0, "%s: %s", dir, strerror(errno));

	char dir2[] = "/tmp/gt-side-XXXXXX";
	st = new_store(dir2, path, sizeof path);
	rewind(csv);
	rewind(o.reject);
	import_fails_under(st, csv, &o, &res, 1 << 19);
	/* SQLite's word for EFBIG (ENOSPC: "database or disk is full"); the
	 * scratch file of runs would fail with strerror's, the store's file
	 * only at the commit ("saving the change"). The scratch database
	 * holds the load's evaluations, keys and applicants too: whichever
	 * the thread was writing when it outgrew the limit. */
	cr_expect(strstr(gt_store_errmsg(st), "search keys: disk I/O error") ||
			  strstr(gt_store_errmsg(st), "saving the evaluation: disk I/O error") ||
			  strstr(gt_store_errmsg(st), "saving the applicant: disk I/O error"),
		  "not the second thread's failure: %s", gt_store_errmsg(st));
	cr_expect_eq(res.inserted, 0);
	expect_nothing_left(st, dir2, "SELECT (SELECT count(*) FROM cases) + (SELECT count(*) FROM case_terms)");
	gt_store_close(st);
	gt_keys_run_size(0);
	fclose(o.reject);
	fclose(csv);
	remove_store(path);
	cr_expect_eq(rmdir(dir2), 0, "%s: %s", dir2, strerror(errno));
}

/* The merge's scratch database has no name in the directory while the
 * merge runs: gt_keys_bulk_merge returns with the thread started, the file
 * attached as gt_side (until the transaction ends) and nothing in the
 * store's directory but the store's own files. Then the terms are the
 * load's, all of them. */
Test(terms, the_scratch_names_are_gone_while_the_merge_runs, .timeout = 120)
{
	enum { N = 3000, RUN = 2000 };
	gt_keys_run_size(RUN);
	char dir[] = "/tmp/gt-terms-XXXXXX", path[64], stranger[256];
	gt_store *st = new_store(dir, path, sizeof path);
	cr_assert_eq(sqlite3_exec(st->db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL), SQLITE_OK);
	cr_assert_eq(gt_begin(st), GT_OK, "%s", gt_store_errmsg(st));
	cr_assert_eq(gt_keys_bulk(st), GT_OK, "%s", gt_store_errmsg(st));
	for (int i = 1; i <= N; i++) {
		char id[32], ref[32];
		snprintf(id, sizeof id, "11010519491231%04d", i);
		snprintf(ref, sizeof ref, "R-%05d", i);
		cr_assert_eq(gt_keys_write(st, i, i % 2 ? "马雪梅" : "廖淑芬", id, ref, NULL, NULL, NULL), GT_OK, "%s",
			     gt_store_errmsg(st));
	}
	cr_assert_eq(gt_keys_bulk_merge(st), GT_OK, "%s", gt_store_errmsg(st));
	sqlite3_stmt *q = NULL;
	cr_assert_eq(sqlite3_prepare_v2(st->db, "SELECT count(*) FROM pragma_database_list WHERE name = 'gt_side'", -1, &q,
					NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
	cr_expect_eq(sqlite3_column_int(q, 0), 1, "the merge is not on its own thread's database");
	sqlite3_finalize(q);
	cr_expect_eq(strangers_in(dir, stranger, sizeof stranger), 0, "%s holds %s while the merge runs", dir, stranger);
	cr_assert_eq(gt_keys_bulk_end(st, true), GT_OK, "%s", gt_store_errmsg(st));
	cr_assert_eq(sqlite3_prepare_v2(st->db, "SELECT count(DISTINCT case_id), count(*) FROM case_terms", -1, &q, NULL),
		     SQLITE_OK);
	cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
	cr_expect_eq(sqlite3_column_int(q, 0), N);
	cr_expect_gt(sqlite3_column_int(q, 1), 10 * N, "%d terms", sqlite3_column_int(q, 1));
	sqlite3_finalize(q);
	gt_rollback(st);
	gt_keys_side_detach(st);
	cr_expect_eq(strangers_in(dir, stranger, sizeof stranger), 0, "%s holds %s after the merge", dir, stranger);
	cr_expect(!fd_in(dir), "a scratch file is still open");
	gt_store_close(st);
	gt_keys_run_size(0);
	remove_store(path);
	cr_expect_eq(rmdir(dir), 0, "%s: %s", dir, strerror(errno));
}

/* The store connection's page cache size (the second thread's borrows
 * from it while it writes the applicants: side_cache_lend). */
static int cache_size(gt_store *st)
{
	sqlite3_stmt *q = NULL;
	cr_assert_eq(sqlite3_prepare_v2(st->db, "PRAGMA main.cache_size", -1, &q, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
	int n = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return n;
}

/* The copies of a bulk load's second connection into the store, seen by
 * SQLite's profile callback: each copy's VDBE steps and its table. */
enum { NCOPIES = 4 };
struct copies {
	long steps[NCOPIES];
	int seen[NCOPIES];
};
static const char *const copy_sql[NCOPIES] = {
	"INSERT INTO main.evaluations SELECT * FROM gt_side.evaluations",
	"INSERT INTO main.case_keys SELECT * FROM gt_side.case_keys",
	"INSERT OR IGNORE INTO main.case_terms SELECT * FROM gt_side.case_terms",
	"INSERT INTO main.applicants SELECT * FROM gt_side.applicants",
};

static int copy_seen(unsigned what, void *arg, void *p, void *x)
{
	(void)x;
	struct copies *c = arg;
	const char *sql = what == SQLITE_TRACE_PROFILE ? sqlite3_sql(p) : NULL;
	for (int i = 0; sql && i < NCOPIES; i++)
		if (strcmp(sql, copy_sql[i]) == 0) {
			c->steps[i] += sqlite3_stmt_status(p, SQLITE_STMTSTATUS_VM_STEP, 0);
			c->seen[i]++;
		}
	return 0;
}

/* An import into an empty store writes its evaluations, keys and
 * applicants on the second thread while the rows are read, and its terms'
 * merge there after them (gt_keys.c, side_start with rows); the four tables
 * are then copied into the store's by SQLite's transfer, which copies each
 * record (and each entry of case_keys_name and of the applicants' unique
 * index) as it is: a handful of VDBE steps a row,
 * where a copy row by row (refused transfer: a trigger on the table, its
 * foreign keys on, an index the scratch database lacks) takes one a
 * column and more. The copies must run, once each, and be transfers. */
Test(terms, the_second_threads_rows_are_copied_by_transfer, .timeout = 120)
{
	enum { N = 3000 };
	FILE *csv = cases_file(N);
	char dir[] = "/tmp/gt-side-XXXXXX", path[64], stranger[256];
	gt_store *st = new_store(dir, path, sizeof path);
	struct copies c = { { 0 }, { 0 } };
	int cache = cache_size(st);
	gt_import_filter_bits(1 << 12); /* some numbers looked up: the load's reads of the second connection */
	sqlite3_trace_v2(st->db, SQLITE_TRACE_PROFILE, copy_seen, &c);
	struct gt_import_opts o = { .as_of = GT_DATE_NONE, .skip_invalid = true, .reject = tmpfile() };
	struct gt_import_result res;
	cr_assert_not_null(o.reject);
	cr_assert_eq(gt_store_import(st, csv, "cases.csv", &o, &res), GT_OK, "%s", gt_store_errmsg(st));
	sqlite3_trace_v2(st->db, 0, NULL, NULL);
	cr_assert_gt(res.inserted, N / 2);
	gt_import_filter_bits(0);
	cr_expect_eq(cache_size(st), cache, "the store's page cache was not given back");
	static const char *const count[NCOPIES] = { "SELECT count(*) FROM evaluations", "SELECT count(*) FROM case_keys",
						    "SELECT count(*) FROM case_terms", "SELECT count(*) FROM applicants" };
	for (int i = 0; i < NCOPIES; i++) {
		sqlite3_stmt *q = NULL;
		cr_assert_eq(sqlite3_prepare_v2(st->db, count[i], -1, &q, NULL), SQLITE_OK);
		cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
		long rows = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
		/* Once, or twice when the first saw the thread's new index and
		 * was prepared again (SQLITE_SCHEMA). */
		cr_expect(c.seen[i] == 1 || c.seen[i] == 2, "%s: ran %d times", copy_sql[i], c.seen[i]);
		cr_expect_gt(rows, res.inserted - 1);
		cr_log_info("%s: %ld steps for %ld rows", copy_sql[i], c.steps[i], rows);
		cr_expect_lt(c.steps[i], 10 * rows, "%s: %ld VDBE steps for %ld rows: not a transfer", copy_sql[i],
			     c.steps[i], rows);
	}
	cr_expect_eq(strangers_in(dir, stranger, sizeof stranger), 0, "%s holds %s after the import", dir, stranger);
	cr_expect(!fd_in(dir), "a scratch file is still open after the import");
	gt_store_close(st);
	fclose(o.reject);
	fclose(csv);
	remove_store(path);
	cr_expect_eq(rmdir(dir), 0, "%s: %s", dir, strerror(errno));
}

/* Imports csv into a new store: the result, and the applicants as
 * "number name" lines (malloc'd). */
static char *applicants_after(FILE *csv, bool row_by_row, struct gt_import_result *res)
{
	char dir[] = "/tmp/gt-side-XXXXXX", path[64];
	gt_store *st = new_store(dir, path, sizeof path);
	struct gt_import_opts o = { .as_of = GT_DATE_NONE, .skip_invalid = true, .row_by_row = row_by_row };
	rewind(csv);
	cr_assert_eq(gt_store_import(st, csv, "cases.csv", &o, res), GT_OK, "%s", gt_store_errmsg(st));
	sqlite3_stmt *q = NULL;
	cr_assert_eq(sqlite3_prepare_v2(st->db, "SELECT group_concat(id_number || ' ' || name, char(10)) "
						"FROM (SELECT id_number, name FROM applicants ORDER BY id)",
					-1, &q, NULL),
		     SQLITE_OK);
	cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
	char *all = strdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	gt_store_close(st);
	remove_store(path);
	cr_expect_eq(rmdir(dir), 0, "%s: %s", dir, strerror(errno));
	return all;
}

/* A person the load's second connection knows (their row handed over
 * long before), whose case comes again under a new name, then a third time
 * under that name: the first is an update and a rename, the second changes
 * nothing. The writer asks for the applicant up to three times a row and
 * keeps the last one found (gt_keys_side_applicant_find), which the rename
 * must replace: else the third row still sees the old name and renames
 * again. Compared with the same file row by row. */
Test(terms, an_applicant_renamed_amid_a_bulk_load_is_found_under_the_new_name, .timeout = 120)
{
	enum { N = 40 };
	FILE *gen = cases_file(N), *csv = tmpfile();
	cr_assert_not_null(csv);
	char line[8192], first[8192] = "";
	for (int i = 0; fgets(line, sizeof line, gen); i++) {
		fputs(line, csv);
		if (i == 1)
			memcpy(first, line, sizeof line);
	}
	/* The first case's row again, its name (the second field) made
	 * another: twice. */
	char *name = strchr(first, ','), *rest = name ? strchr(name + 1, ',') : NULL;
	cr_assert_not_null(rest);
	for (int k = 0; k < 2; k++)
		fprintf(csv, "%.*s,新名字%s", (int)(name - first), first, rest);
	fclose(gen);
	gt_keys_side_size(4); /* handed over every four rows: the person is on the second connection */
	struct gt_import_result bulk, rows;
	char *bulk_apps = applicants_after(csv, false, &bulk);
	char *row_apps = applicants_after(csv, true, &rows);
	gt_keys_side_size(0);
	cr_expect_eq(rows.updated, 1, "row by row: %ld updated", rows.updated);
	cr_expect_eq(rows.unchanged, 1, "row by row: %ld unchanged", rows.unchanged);
	cr_expect(strstr(row_apps, " 新名字"), "row by row: nobody renamed");
	cr_expect_eq(bulk.inserted, rows.inserted);
	cr_expect_eq(bulk.updated, rows.updated, "bulk: %ld updated, row by row %ld", bulk.updated, rows.updated);
	cr_expect_eq(bulk.unchanged, rows.unchanged, "bulk: %ld unchanged, row by row %ld", bulk.unchanged,
		     rows.unchanged);
	cr_expect_str_eq(bulk_apps, row_apps);
	free(bulk_apps);
	free(row_apps);
	fclose(csv);
}

/* The load's identity numbers kept in memory until the applicants' index
 * is built after the rows (gt_keys.c, struct numbers), and that memory
 * full amid the rows (eight slots: six numbers), when the index is built
 * there and then and the look-ups go through it: people who come again
 * before and after that point, some renamed, give the same applicants and
 * the same counts as the same file row by row, which looks each up in the
 * store's own index. A look-up that missed one would write the person
 * again, which the index refuses. */
Test(terms, a_loads_numbers_in_memory_then_in_the_index_find_everyone, .timeout = 120)
{
	enum { N = 60 };
	FILE *gen = cases_file(N), *csv = tmpfile();
	cr_assert_not_null(csv);
	char line[8192], again[4][8192];
	int keep[4] = { 1, 3, 40, 55 }; /* data rows: two before the memory is full, two after */
	for (int i = 0; fgets(line, sizeof line, gen); i++) {
		fputs(line, csv);
		for (int k = 0; k < 4; k++)
			if (i == keep[k])
				memcpy(again[k], line, sizeof line);
	}
	fclose(gen);
	/* Each kept row again, the first and the third under a new name. */
	for (int k = 0; k < 4; k++) {
		char *name = strchr(again[k], ','), *rest = name ? strchr(name + 1, ',') : NULL;
		cr_assert_not_null(rest);
		if (k % 2 == 0)
			fprintf(csv, "%.*s,又一个名字%s", (int)(name - again[k]), again[k], rest);
		else
			fputs(again[k], csv);
	}
	struct gt_import_result rows;
	char *row_apps = applicants_after(csv, true, &rows);
	cr_expect_eq(rows.updated, 2, "row by row: %ld updated", rows.updated);
	cr_expect_eq(rows.unchanged, 2, "row by row: %ld unchanged", rows.unchanged);
	for (int full = 0; full < 2; full++) {
		gt_keys_side_size(4);
		gt_keys_side_numbers(full ? 8 : 0);
		struct gt_import_result bulk;
		char *bulk_apps = applicants_after(csv, false, &bulk);
		gt_keys_side_numbers(0);
		gt_keys_side_size(0);
		cr_expect_eq(bulk.inserted, rows.inserted, "%s: %ld inserted, row by row %ld",
			     full ? "memory full" : "in memory", bulk.inserted, rows.inserted);
		cr_expect_eq(bulk.updated, rows.updated, "%s: %ld updated", full ? "memory full" : "in memory",
			     bulk.updated);
		cr_expect_eq(bulk.unchanged, rows.unchanged, "%s: %ld unchanged", full ? "memory full" : "in memory",
			     bulk.unchanged);
		cr_expect_str_eq(bulk_apps, row_apps, "%s", full ? "memory full" : "in memory");
		free(bulk_apps);
	}
	free(row_apps);
	fclose(csv);
}

/* The second thread failing while the rows are read (a file size limit of
 * 512 KiB: its scratch database outgrows it with the first 10,000 or so
 * evaluations, long before the terms' merge, while the store's own pages
 * wait in its cache for the commit, and the terms' run is not spilled;
 * the thread's rows are one transaction, its page cache made small here so
 * that they reach its file amid the rows, as a large load's do): the
 * import fails saying so, writes nothing, and leaves no file. */
Test(terms, the_second_thread_failing_amid_the_rows_leaves_nothing, .timeout = 300)
{
	enum { N = 20000 };
	FILE *csv = cases_file(N);
	char dir[] = "/tmp/gt-side-XXXXXX", path[64];
	gt_store *st = new_store(dir, path, sizeof path);
	struct gt_import_opts o = { .as_of = GT_DATE_NONE, .skip_invalid = true, .reject = tmpfile() };
	struct gt_import_result res;
	cr_assert_not_null(o.reject);
	gt_keys_side_cache(256);
	int cache = cache_size(st);
	import_fails_under(st, csv, &o, &res, 1 << 19);
	gt_keys_side_cache(0);
	cr_expect_eq(cache_size(st), cache, "the store's page cache was not given back");
	cr_log_info("after %ld rows: %s", res.rows, gt_store_errmsg(st));
	cr_expect(strstr(gt_store_errmsg(st), "saving the evaluation: disk I/O error") ||
			  strstr(gt_store_errmsg(st), "saving the case's search keys: disk I/O error") ||
			  strstr(gt_store_errmsg(st), "saving the applicant: disk I/O error"),
		  "not the second thread's failure amid the rows: %s", gt_store_errmsg(st));
	/* Seen at a hand-over, and the rows stopped there. */
	cr_expect_lt(res.rows, N - 2 * 2048, "%ld rows read: the failure was not seen amid the rows", res.rows);
	cr_expect_eq(res.inserted, 0);
	expect_nothing_left(st, dir, "SELECT (SELECT count(*) FROM cases) + (SELECT count(*) FROM evaluations) "
				     "+ (SELECT count(*) FROM case_keys) + (SELECT count(*) FROM case_terms) "
				     "+ (SELECT count(*) FROM applicants) + (SELECT count(*) FROM case_counts)");
	/* Then the same file imports whole. */
	rewind(csv);
	rewind(o.reject);
	cr_assert_eq(gt_store_import(st, csv, "cases.csv", &o, &res), GT_OK, "%s", gt_store_errmsg(st));
	cr_expect_gt(res.inserted, N / 2);
	gt_store_close(st);
	fclose(o.reject);
	fclose(csv);
	remove_store(path);
	cr_expect_eq(rmdir(dir), 0, "%s: %s", dir, strerror(errno));
}

/* An applicant's row failing on the second thread (an identity number of
 * 5 characters: the table's CHECK), amid a bulk load's rows written there
 * directly: the failure comes back to the writer at a later hand-over or
 * look-up, and after the rollback no applicant, no file is left. */
Test(terms, an_applicant_failing_on_the_second_thread_fails_the_load, .timeout = 120)
{
	enum { N = 6000, BAD = 100 };
	char dir[] = "/tmp/gt-side-XXXXXX", path[64];
	gt_store *st = new_store(dir, path, sizeof path);
	cr_assert_eq(sqlite3_exec(st->db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL), SQLITE_OK);
	cr_assert_eq(gt_begin(st), GT_OK, "%s", gt_store_errmsg(st));
	cr_assert_eq(gt_keys_bulk(st), GT_OK, "%s", gt_store_errmsg(st));
	cr_assert_not_null(gt_keys_side_rows(st, GT_SIDE_APPLICANTS), "the applicants are not on the second thread");
	int rc = GT_OK, at = 0;
	for (int i = 1; i <= N && rc == GT_OK; i++) {
		char id[32];
		snprintf(id, sizeof id, i == BAD ? "12345" : "11010519491231%04d", i);
		at = i;
		rc = gt_keys_side_applicant_put(st, i, id, "马雪梅", 0, false);
		if (rc == GT_OK && i % 500 == 0) { /* and a look-up of one written by then */
			struct gt_side_applicant a;
			bool found = false;
			snprintf(id, sizeof id, "11010519491231%04d", 1);
			rc = gt_keys_side_applicant_find(st, id, 0, &a, &found);
			cr_expect(rc != GT_OK || (found && a.id == 1), "applicant 1 not found after %d", i);
		}
	}
	cr_log_info("failed at %d: %s", at, gt_store_errmsg(st));
	cr_expect_neq(rc, GT_OK, "the load did not fail");
	cr_expect(strstr(gt_store_errmsg(st), "saving the applicant") && strstr(gt_store_errmsg(st), "CHECK"),
		  "not the applicant's failure: %s", gt_store_errmsg(st));
	cr_expect_gt(at, 2048, "failed at %d: before the row was handed over", at);
	cr_expect_leq(at, 4096, "failed at %d: not seen at the next hand-over", at);
	cr_expect_eq(gt_keys_bulk_end(st, false), GT_OK);
	gt_rollback(st);
	gt_keys_side_detach(st);
	expect_nothing_left(st, dir, "SELECT count(*) FROM applicants");
	gt_store_close(st);
	remove_store(path);
	cr_expect_eq(rmdir(dir), 0, "%s: %s", dir, strerror(errno));
}

/* The same keys and terms written case by case by gt_keys_write into the
 * store of path, in one transaction: during a bulk load (bulk: runs of RUN
 * terms, each full run spilled on the spiller's thread, held until the
 * writer waits for it) or row by row. Cases 1..n of alternating names;
 * every 7th case, from the 40th, writes case i - 30 again under another
 * name and case_ref (old: as it was), so that some of them find their
 * terms in a run handed to the spiller and not yet written. Returns
 * case_terms and case_keys as text (malloc'd), their number of terms in
 * *terms. */
static char *written_by_hand(const char *path, bool bulk, bool side_rows, int n, long *terms)
{
	gt_store *st = NULL;
	char err[512];
	cr_assert_eq(gt_store_open_as(&st, path, GT_OPEN_CREATE, "clerk1", err, sizeof err), GT_OK, "%s", err);
	cr_assert_eq(sqlite3_exec(st->db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL), SQLITE_OK);
	cr_assert_eq(gt_begin(st), GT_OK, "%s", gt_store_errmsg(st));
	/* Without the second thread's rows (side_rows false): with them, a
	 * case written again while a run is spilled has which run holds its
	 * terms asked later (spill_drop_later), and a join missing before
	 * spill_drop_case would not be seen. */
	if (bulk)
		cr_assert_eq(gt_keys_bulk_with(st, side_rows), GT_OK, "%s", gt_store_errmsg(st));
	if (side_rows)
		cr_assert_not_null(gt_keys_side_rows(st, GT_SIDE_KEYS), "the keys are not on the second thread");
	static const char *const names[] = { "马雪梅", "廖淑芬", "欧阳志远", "张伟" };
	struct gt_case *old = calloc(1, sizeof *old);
	cr_assert_not_null(old);
	for (int i = 1; i <= n; i++) {
		char id[32], ref[32];
		snprintf(id, sizeof id, "11010519491231%04d", i);
		snprintf(ref, sizeof ref, "R-%05d", i);
		cr_assert_eq(gt_keys_write(st, i, names[i % 4], id, ref, NULL, NULL, NULL), GT_OK, "%s",
			     gt_store_errmsg(st));
		if (i < 40 || i % 7)
			continue;
		int j = i - 30;
		snprintf(old->name, sizeof old->name, "%s", names[j % 4]);
		snprintf(old->id_number, sizeof old->id_number, "11010519491231%04d", j % 10000);
		snprintf(old->case_ref, sizeof old->case_ref, "R-%05d", j);
		snprintf(ref, sizeof ref, "R-%05db", j);
		cr_assert_eq(gt_keys_write(st, j, "司马光", old->id_number, ref, NULL, NULL, old), GT_OK, "%s",
			     gt_store_errmsg(st));
	}
	free(old);
	if (bulk) {
		cr_assert_eq(gt_keys_bulk_merge(st), GT_OK, "%s", gt_store_errmsg(st));
		cr_assert_eq(gt_keys_bulk_end(st, true), GT_OK, "%s", gt_store_errmsg(st));
	}
	cr_assert_eq(gt_commit(st), GT_OK, "%s", gt_store_errmsg(st));
	gt_keys_side_detach(st);
	char *dump = terms_dump(st, terms);
	gt_store_close(st);
	return dump;
}

/* A full run is sorted and written to the scratch file on a thread of its
 * own while the writer fills the next (gt_keys.c, run_spill). A case
 * written again whose terms are in the run being spilled: the writer waits
 * for that run to be written, then leaves the case's terms out of it
 * (spill_drop_case). With runs of 2,000 terms, the spiller held until the
 * writer waits for it (gt_keys_spill_hold: every such case meets its run
 * not yet written), case_terms and case_keys must be those the row writer
 * leaves. */
Test(terms, a_case_written_again_while_its_run_is_spilled, .timeout = 120)
{
	enum { N = 3000, RUN = 2000 };
	char dir[] = "/tmp/gt-terms-XXXXXX", path[64];
	cr_assert_not_null(mkdtemp(dir));
	long bulk_terms, row_terms;
	gt_keys_run_size(RUN);
	gt_keys_spill_hold(true);
	snprintf(path, sizeof path, "%s/bulk.db", dir);
	char *bulk = written_by_hand(path, true, false, N, &bulk_terms);
	remove_store(path);
	/* The same with the second thread taking the rows: the cases written
	 * again while the spiller is held are dropped from their runs only
	 * at the writer's next wait for it (spill_drop_later). */
	long side_terms;
	char *side = written_by_hand(path, true, true, N, &side_terms);
	remove_store(path);
	gt_keys_spill_hold(false);
	gt_keys_run_size(0);
	snprintf(path, sizeof path, "%s/rows.db", dir);
	char *rows = written_by_hand(path, false, false, N, &row_terms);
	remove_store(path);
	cr_assert_gt(row_terms, 10L * RUN, "%ld terms: too few runs", row_terms);
	cr_expect_eq(bulk_terms, row_terms, "the bulk load wrote %ld terms, the row writer %ld", bulk_terms, row_terms);
	expect_same_rows(bulk, rows, "the bulk load");
	cr_expect_eq(side_terms, row_terms, "the bulk load with the second thread's rows wrote %ld terms, the row "
		     "writer %ld", side_terms, row_terms);
	expect_same_rows(side, rows, "the bulk load with the second thread's rows");
	free(bulk);
	free(side);
	free(rows);
	cr_expect_eq(rmdir(dir), 0, "%s: %s", dir, strerror(errno));
}

/* A run that cannot be written to the scratch file (a file size limit of
 * 1 MiB, which the store's journal stays under, at most the empty store's
 * 0.7 MB, and the runs of 20,000 cases do not: EFBIG on the spiller's
 * thread) fails the import, which says it was the search keys and why,
 * writes nothing and leaves no file open. Row by row: the second thread's
 * scratch database, which takes the evaluations and keys during the rows,
 * would reach the limit first. */
Test(terms, a_spill_failing_on_its_thread_fails_the_import, .timeout = 120)
{
	enum { N = 20000, RUN = 2000 };
	gt_keys_run_size(RUN);
	FILE *csv = cases_file(N);
	char dir[] = "/tmp/gt-terms-XXXXXX", path[64];
	gt_store *st = new_store(dir, path, sizeof path);
	struct gt_import_opts o = { .as_of = GT_DATE_NONE, .skip_invalid = true, .row_by_row = true };
	struct gt_import_result res;
	import_fails_under(st, csv, &o, &res, 1 << 20);
	char want[256];
	snprintf(want, sizeof want, "search keys: %s", strerror(EFBIG));
	cr_expect(strstr(gt_store_errmsg(st), want), "not the spill's failure: %s", gt_store_errmsg(st));
	cr_expect_eq(res.inserted, 0);
	expect_nothing_left(st, dir, "SELECT (SELECT count(*) FROM cases) + (SELECT count(*) FROM case_terms)");
	gt_store_close(st);
	gt_keys_run_size(0);
	fclose(csv);
	remove_store(path);
	cr_expect_eq(rmdir(dir), 0, "%s: %s", dir, strerror(errno));
}

/* The bulk load's tables (the filter of identity numbers, the second
 * thread's numbers): zeroed, whole, and each its own mapping. */
Test(keys, a_table_is_zeroed_and_its_own)
{
	cr_expect_null(gt_table_alloc(0));
	static const size_t sizes[] = { 64, (2u << 20) + 5, 16u << 20 };
	unsigned char *t[3];
	for (int i = 0; i < 3; i++) {
		t[i] = gt_table_alloc(sizes[i]);
		cr_assert_not_null(t[i]);
		size_t nonzero = 0;
		for (size_t k = 0; k < sizes[i]; k++)
			nonzero += t[i][k] != 0;
		cr_expect_eq(nonzero, 0, "table %d: %zu bytes not zero", i, nonzero);
		memset(t[i], 0xa0 + i, sizes[i]);
	}
	for (int i = 0; i < 3; i++) {
		cr_expect_eq(t[i][0], 0xa0 + i);
		cr_expect_eq(t[i][sizes[i] - 1], 0xa0 + i, "table %d overlaps another", i);
		gt_table_free(t[i], sizes[i]);
	}
	gt_table_free(NULL, 0);
}
