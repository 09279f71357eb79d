/* libFuzzer: the case-row parser on its own. The input is a case CSV: its
 * first record is the header when gt_header_parse accepts it, else every
 * record is a row under the full header in the spec's column order (so that
 * mutated inputs still reach the row parser). For every row:
 *   - gt_case_parse never fails silently: on error the column is -1 or a real
 *     column and the message is non-empty, valid UTF-8;
 *   - a parsed case passes gt_case_validate, and loses it when a required
 *     date is taken away;
 *   - the round trip: the case written column by column with gt_case_field
 *     (the canonical text) and parsed again gives the same case and the same
 *     canonical text.
 *   - gt_case_parse (its fast path) and gt_case_parse_reference give the
 *     same case, or the same error.
 * A row whose identity number is 17 digits and a wrong check character is
 * also tried with the right one, so that the fuzzer gets past the checksum
 * to the birth date and everything after it. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gt_case.h"
#include "gt_csv.h"
#include "gt_format.h"
#include "gt_idnum.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Columns of an export that import reads past (as in store/gt_import.c). */
static const char *const export_extra[] = {
	"outcome", "target", "route", "basis", "unmet", "missing_evidence", "theory_exempt",
	"citation", "message", "case_id", "status", "decided_by", "decided_at", "decision_note",
};

static void die(const char *what, const struct gt_case *c, int col, const char *a, const char *b)
{
	fprintf(stderr, "fuzz_case: %s (case_ref \"%s\", column %d): \"%s\" vs \"%s\"\n", what,
		c ? c->case_ref : "", col, a ? a : "", b ? b : "");
	abort();
}

static void check_error(const struct gt_row_error *err, long line)
{
	char msg[1024];
	if (err->column < -1 || err->column >= GT_COL_COUNT)
		die("error column out of range", NULL, err->column, err->msg, NULL);
	if (!err->msg[0] || gt_utf8_check(err->msg, strlen(err->msg)) != GT_CSV_OK)
		die("error message empty or not UTF-8", NULL, err->column, err->msg, NULL);
	size_t n = gt_row_error_format(err, line, msg, sizeof msg);
	if (n == 0 || n != strlen(msg) || gt_utf8_check(msg, n) != GT_CSV_OK)
		die("formatted error empty or not UTF-8", NULL, err->column, msg, NULL);
}

/* The canonical header: every input column, in the spec's order. */
static struct gt_header canon_header(void)
{
	static struct gt_span names[GT_COL_COUNT];
	struct gt_header h;
	char msg[256];
	for (int i = 0; i < GT_COL_COUNT; i++) {
		names[i].p = gt_column_names[i];
		names[i].n = strlen(gt_column_names[i]);
	}
	if (gt_header_parse(&h, names, GT_COL_COUNT, NULL, 0, msg, sizeof msg) != 0)
		die("the canonical header is refused", NULL, -1, msg, NULL);
	return h;
}

static void round_trip(const struct gt_case *c, const struct gt_header *canon)
{
	static char text[GT_COL_COUNT][512], again[512];
	static struct gt_case c2;
	struct gt_span f[GT_COL_COUNT];
	struct gt_row_error err;

	for (int col = 0; col < GT_COL_COUNT; col++) {
		size_t n = gt_case_field(c, col, text[col], sizeof text[col]);
		if (n != strlen(text[col]) || n >= sizeof text[col] - 1)
			die("canonical text length", c, col, text[col], NULL);
		if (gt_utf8_check(text[col], n) != GT_CSV_OK)
			die("canonical text is not UTF-8", c, col, text[col], NULL);
		f[col].p = text[col];
		f[col].n = n;
	}
	/* No default date: the canonical row carries its application date. */
	if (gt_case_parse(&c2, canon, f, GT_COL_COUNT, GT_DATE_NONE, &err) != 0)
		die("the canonical text of a parsed case does not parse", c, err.column, err.msg, NULL);
	for (int col = 0; col < GT_COL_COUNT; col++) {
		gt_case_field(&c2, col, again, sizeof again);
		if (strcmp(again, text[col]) != 0)
			die("canonical text changed on a second parse", c, col, text[col], again);
	}
	if (!gt_case_same(c, &c2))
		die("the case changed on a second parse", c, -1, NULL, NULL);
}

/* Validation must refuse the case once a date its levels need is taken away. */
static void check_validate(const struct gt_case *c)
{
	static struct gt_case m;
	struct gt_row_error err;
	if (gt_case_validate(c, &err) != 0)
		die("a parsed case fails validation", c, err.column, err.msg, NULL);
	m = *c;
	m.application_date = GT_DATE_NONE;
	if (gt_case_validate(&m, &err) == 0 || err.column != GT_COL_APPLICATION_DATE)
		die("validation misses a blank application date", c, err.column, err.msg, NULL);
	if (c->skill) {
		m = *c;
		m.skill_date = GT_DATE_NONE;
		if (gt_case_validate(&m, &err) == 0 || err.column != GT_COL_SKILL_DATE)
			die("validation misses a blank skill_date", c, err.column, err.msg, NULL);
	}
	if (c->title) {
		m = *c;
		m.title_date = GT_DATE_NONE;
		if (gt_case_validate(&m, &err) == 0 || err.column != GT_COL_TITLE_DATE)
			die("validation misses a blank title_date", c, err.column, err.msg, NULL);
	}
}

static void parse_row(const struct gt_header *h, const struct gt_header *canon,
		      const struct gt_span *fields, int nfields, long line)
{
	static struct gt_case c;
	struct gt_row_error err;
	static struct gt_case ref;
	struct gt_row_error ref_err;
	gt_date as_of = gt_date_from_ymd(2024, 6, 30);
	/* The fast path against the reference: the same case or the same error. */
	int rc = gt_case_parse(&c, h, fields, nfields, as_of, &err);
	int ref_rc = gt_case_parse_reference(&ref, h, fields, nfields, as_of, &ref_err);
	if (rc != ref_rc || err.column != ref_err.column || strcmp(err.msg, ref_err.msg) != 0 ||
	    (rc == 0 && !gt_case_same(&c, &ref)))
		die("gt_case_parse differs from gt_case_parse_reference", &ref, ref_err.column, err.msg,
		    ref_err.msg);
	if (rc != 0) {
		check_error(&err, line);
		return;
	}
	if (c.application_date == GT_DATE_NONE || c.birth_date > c.application_date)
		die("a parsed case has no application date or is born after it", &c, -1, NULL, NULL);
	check_validate(&c);
	round_trip(&c, canon);
}

/* gt_case_parse_record (no cell trimmed when the reader saw no blank in the
 * row) against the reference: the same case or the same error. */
static void parse_record(const struct gt_header *h, const struct gt_csv_record *rec)
{
	static struct gt_case c, ref;
	struct gt_row_error err, ref_err;
	gt_date as_of = gt_date_from_ymd(2024, 6, 30);
	int rc = gt_case_parse_record(&c, h, rec, as_of, &err);
	int ref_rc = gt_case_parse_reference(&ref, h, rec->fields, rec->nfields, as_of, &ref_err);
	if (rc != ref_rc || err.column != ref_err.column || strcmp(err.msg, ref_err.msg) != 0 ||
	    (rc == 0 && !gt_case_same(&c, &ref)))
		die("gt_case_parse_record differs from gt_case_parse_reference", &ref, ref_err.column, err.msg,
		    ref_err.msg);
}

/* The identity number field with its check character put right, when it is
 * 17 digits and one more character that is not the right one. */
static bool fix_id(const struct gt_header *h, const struct gt_span *fields, int nfields,
		   struct gt_span *copy, char buf[32])
{
	int pos = h->pos[GT_COL_ID_NUMBER];
	if (pos < 0 || pos >= nfields || nfields != h->nfields)
		return false;
	struct gt_span id = fields[pos];
	while (id.n && (id.p[0] == ' ' || id.p[0] == '\t'))
		id.p++, id.n--;
	while (id.n && (id.p[id.n - 1] == ' ' || id.p[id.n - 1] == '\t'))
		id.n--;
	if (id.n != 18)
		return false;
	for (int i = 0; i < 17; i++)
		if (id.p[i] < '0' || id.p[i] > '9')
			return false;
	char want = gt_id_check_char(id.p);
	if (id.p[17] == want || (want == 'X' && id.p[17] == 'x'))
		return false;
	memcpy(buf, id.p, 17);
	buf[17] = want;
	memcpy(copy, fields, (size_t)nfields * sizeof *copy);
	copy[pos].p = buf;
	copy[pos].n = 18;
	return true;
}

/* The texts check_fast_paths has checked in this input, copied (a record's
 * fields live in the reader's buffer until the next record): an
 * open-addressed set emptied per input by its generation. Both checks are
 * pure functions of a field's bytes, so a text seen again (an input's rows
 * repeat their codes, dates and names) is checked once: the search in
 * order, each table's every entry compared, was a fifth of an execution
 * (perf), spent mostly on repeats. */
enum { SEEN_SLOTS = 4096, SEEN_TEXT = 1 << 18 }; /* SEEN_SLOTS a power of two */
static struct seen {
	uint32_t off, n, gen;
} seen[SEEN_SLOTS];
static char seen_text[SEEN_TEXT];
static uint32_t seen_gen, seen_used, seen_count;

static void seen_reset(void)
{
	if (++seen_gen == 0) { /* wrapped: forget every generation */
		memset(seen, 0, sizeof seen);
		seen_gen = 1;
	}
	seen_used = seen_count = 0;
}

/* True when the text was checked already in this input; else remembers it
 * (while there is room: a text not remembered is checked each time). */
static bool seen_before(const char *p, size_t n)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)p[i]) * 16777619u;
	for (uint32_t k = h & (SEEN_SLOTS - 1);; k = (k + 1) & (SEEN_SLOTS - 1)) {
		struct seen *s = &seen[k];
		if (s->gen != seen_gen) {
			if (seen_count >= SEEN_SLOTS / 2 || n > SEEN_TEXT - seen_used)
				return false;
			memcpy(seen_text + seen_used, p, n);
			*s = (struct seen){ seen_used, (uint32_t)n, seen_gen };
			seen_used += (uint32_t)n;
			seen_count++;
			return false;
		}
		if (s->n == n && memcmp(seen_text + s->off, p, n) == 0)
			return true;
	}
}

/* A field for a message: its bytes end at its length, not at a NUL. */
static const char *field_text(const struct gt_span *f)
{
	static char text[512];
	snprintf(text, sizeof text, "%.*s", (int)(f->n < sizeof text ? f->n : sizeof text - 1), f->p);
	return text;
}

/* The parser's fast paths against their references, on every distinct
 * field text of the input: the code index against the search in order, the
 * dates' YYYY-MM-DD path against gt_date_parse. */
static void check_fast_paths(const struct gt_span *f, int n)
{
	static const struct gt_code_table *const tables[] = {
		&gt_regions, &gt_directions, &gt_series_codes, &gt_skill_levels, &gt_title_levels,
		&gt_honours, &gt_comps, &gt_results, &gt_roles, &gt_schools, &gt_evidence_codes,
		&gt_unmet_codes, &gt_routes, &gt_outcomes,
	};
	for (int i = 0; i < n; i++) {
		if (seen_before(f[i].p, f[i].n))
			continue;
		for (size_t k = 0; k < sizeof tables / sizeof tables[0]; k++)
			if ((unsigned char)(f[i].n ? f[i].p[0] : 0) < 0x80 &&
			    gt_code_lookup(tables[k], f[i].p, f[i].n) != gt_code_lookup_in_order(tables[k], f[i].p, f[i].n))
				die("code index differs from the search in order", NULL, i, field_text(&f[i]),
				    tables[k]->column);
		gt_date a = 0, b = 0;
		int ra = gt_case_date_parse(f[i].p, f[i].n, &a), rb = gt_date_parse(f[i].p, f[i].n, &b);
		if (ra != rb || (ra == 0 && a != b))
			die("date fast path differs from gt_date_parse", NULL, i, field_text(&f[i]), NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gt_csv_record rec;
	static struct gt_span copy[GT_CSV_MAX_FIELDS];
	static struct gt_header canon;
	static bool init;
	char msg[512], idbuf[32];
	struct gt_header h, hx;

	if (!init) {
		canon = canon_header();
		init = true;
	}
	gt_csv *r = gt_csv_new_mem((const char *)data, size);
	if (!r)
		return 0;
	seen_reset();
	int rows = 0;
	h = canon; /* until the first record proves to be a header */
	while (gt_csv_next(r, &rec) == 1 && rows++ < 64) {
		if (rec.error != GT_CSV_OK)
			continue;
		check_fast_paths(rec.fields, rec.nfields);
		if (rows == 1) {
			/* A header that reads without the export's extra columns reads
			 * the same with them. */
			int a = gt_header_parse(&h, rec.fields, rec.nfields, NULL, 0, msg, sizeof msg);
			if (a != 0 && (!msg[0] || gt_utf8_check(msg, strlen(msg)) != GT_CSV_OK))
				die("header message empty or not UTF-8", NULL, -1, msg, NULL);
			int b = gt_header_parse(&hx, rec.fields, rec.nfields, export_extra,
						(int)(sizeof export_extra / sizeof export_extra[0]), msg, sizeof msg);
			if (a == 0 && (b != 0 || memcmp(&h, &hx, sizeof h) != 0))
				die("export columns change a plain header", NULL, -1, msg, NULL);
			if (b == 0) {
				h = hx;
				continue;
			}
		}
		parse_row(&h, &canon, rec.fields, rec.nfields, rec.line);
		parse_record(&h, &rec);
		if (fix_id(&h, rec.fields, rec.nfields, copy, idbuf))
			parse_row(&h, &canon, copy, rec.nfields, rec.line);
	}
	gt_csv_free(&r);
	return 0;
}
