/* Unit tests of core/gt_csv: the streaming RFC 4180 reader and the writer.
 * Most reader tests run their body twice, in one test (suite csv_both): over
 * memory (gt_csv_new_mem), then over a stream (gt_csv_new on fmemopen). */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gt_csv.h"

#define MIB (1u << 20) /* the reader's stream chunk size */

static struct gt_csv_record rec;
static gt_csv *rd;
static FILE *rd_file;
/* Which reader the body runs over: named by the helpers' messages. */
static const char *reader_kind = "memory";

static void open_reader(int stream, const char *data, size_t len)
{
	reader_kind = stream ? "stream" : "memory";
	if (stream) {
		rd_file = len ? fmemopen((void *)data, len, "r") : tmpfile();
		cr_assert_not_null(rd_file);
		rd = gt_csv_new(rd_file);
	} else {
		rd_file = NULL;
		rd = gt_csv_new_mem(data, len);
	}
	cr_assert_not_null(rd);
}

static void close_reader(void)
{
	gt_csv_free(&rd);
	cr_expect_null(rd, "gt_csv_free clears the pointer");
	if (rd_file)
		fclose(rd_file);
	rd_file = NULL;
}

static int next(void)
{
	return gt_csv_next(rd, &rec);
}

static bool span_eq(struct gt_span s, const char *v, size_t n)
{
	return s.n == n && memcmp(s.p, v, n) == 0;
}

/* The next record is read without error, starts on `line` and has these fields. */
static void expect_rec_v(long line, int n, const char *const *vals)
{
	cr_assert_eq(next(), 1, "%s reader: expected a record starting on line %ld", reader_kind,
		     line);
	cr_expect_eq(rec.error, GT_CSV_OK, "%s reader: line %ld: unexpected error %s", reader_kind,
		     line, gt_csv_strerror(rec.error));
	cr_expect_eq(rec.line, line, "%s reader: line", reader_kind);
	cr_assert_eq(rec.nfields, n, "%s reader: line %ld: field count", reader_kind, line);
	for (int i = 0; i < n; i++)
		cr_expect(span_eq(rec.fields[i], vals[i], strlen(vals[i])),
			  "%s reader: line %ld field %d: got \"%.*s\", expected \"%s\"", reader_kind,
			  line, i, (int)rec.fields[i].n, rec.fields[i].p, vals[i]);
}
#define EXPECT_REC(line, ...)                                                        \
	expect_rec_v(line, (int)(sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(char *)), \
		     (const char *[]){ __VA_ARGS__ })

/* The next record carries this error at this line and field. */
static void expect_err(int error, long err_line, int err_field)
{
	cr_assert_eq(next(), 1, "%s reader: expected a record with error %s", reader_kind,
		     gt_csv_strerror(error));
	cr_expect_eq(rec.error, error, "%s reader: error: got %s, expected %s", reader_kind,
		     gt_csv_strerror(rec.error), gt_csv_strerror(error));
	cr_expect_eq(rec.err_line, err_line, "%s reader: err_line", reader_kind);
	cr_expect_eq(rec.err_field, err_field, "%s reader: err_field", reader_kind);
}

static void expect_eof(void)
{
	cr_expect_eq(next(), 0, "%s reader: expected the end of input", reader_kind);
	cr_expect_eq(next(), 0, "%s reader: the end of input is sticky", reader_kind);
}

/* Defines one test that runs the body over memory, then over a stream (the
 * helpers' messages say which). Criterion runs each test in a process of its
 * own, about 0.15 s of CPU under the sanitizers, and a second process for the
 * second reader bought nothing: the body starts from a reader it opens and
 * ends by freeing it (LeakSanitizer would report one left open). */
#define BOTH(name)                                              \
	static void name##_body(int stream);                    \
	Test(csv_both, name) { name##_body(0); name##_body(1); } \
	static void name##_body(int stream)

#define OPEN_LIT(lit) open_reader(stream, lit, sizeof(lit) - 1)

/* ---- empty and blank input ---- */

BOTH(empty_input_gives_eof)
{
	OPEN_LIT("");
	expect_eof();
	close_reader();
}

BOTH(only_blank_lines_gives_eof)
{
	OPEN_LIT("\n\r\n\n\r\n");
	expect_eof();
	close_reader();
}

BOTH(only_bom_gives_eof)
{
	OPEN_LIT("\xEF\xBB\xBF");
	expect_eof();
	close_reader();
}

/* ---- simple records ---- */

BOTH(simple_rows)
{
	OPEN_LIT("a,b,c\nd,e,f\n");
	EXPECT_REC(1, "a", "b", "c");
	EXPECT_REC(2, "d", "e", "f");
	expect_eof();
	close_reader();
}

BOTH(last_line_without_newline)
{
	OPEN_LIT("a,b\nc,d");
	EXPECT_REC(1, "a", "b");
	EXPECT_REC(2, "c", "d");
	expect_eof();
	close_reader();
}

BOTH(empty_fields)
{
	OPEN_LIT(",a,,\n,\n");
	EXPECT_REC(1, "", "a", "", "");
	EXPECT_REC(2, "", "");
	expect_eof();
	close_reader();
}

BOTH(trailing_comma_at_eof_gives_empty_field)
{
	OPEN_LIT("a,");
	EXPECT_REC(1, "a", "");
	expect_eof();
	close_reader();
}

BOTH(spaces_are_kept)
{
	OPEN_LIT(" a , b \n");
	EXPECT_REC(1, " a ", " b ");
	close_reader();
}

BOTH(crlf_line_ends)
{
	OPEN_LIT("a,b\r\nc,d\r\n");
	EXPECT_REC(1, "a", "b");
	EXPECT_REC(2, "c", "d");
	expect_eof();
	close_reader();
}

BOTH(mixed_lf_and_crlf)
{
	OPEN_LIT("a\r\nb\nc\r\nd");
	EXPECT_REC(1, "a");
	EXPECT_REC(2, "b");
	EXPECT_REC(3, "c");
	EXPECT_REC(4, "d");
	expect_eof();
	close_reader();
}

BOTH(blank_lines_skipped_and_counted)
{
	OPEN_LIT("\n\na\n\r\n\nb\r\n\r\n");
	EXPECT_REC(3, "a");
	EXPECT_REC(6, "b");
	expect_eof();
	close_reader();
}

BOTH(chinese_text)
{
	OPEN_LIT("张三,工程,\xF0\x9F\x98\x80\n");
	EXPECT_REC(1, "张三", "工程", "\xF0\x9F\x98\x80");
	close_reader();
}

/* ---- quoting ---- */

BOTH(quoted_field_with_commas)
{
	OPEN_LIT("\"a,b\",c\n");
	EXPECT_REC(1, "a,b", "c");
	close_reader();
}

BOTH(doubled_quotes)
{
	OPEN_LIT("\"say \"\"hi\"\"\",\"\"\"\"\n");
	EXPECT_REC(1, "say \"hi\"", "\"");
	close_reader();
}

BOTH(empty_quoted_field)
{
	OPEN_LIT("\"\",x,\"\"\n");
	EXPECT_REC(1, "", "x", "");
	close_reader();
}

BOTH(embedded_lf_and_line_of_next_record)
{
	OPEN_LIT("\"l1\nl2\nl3\",x\nnext\n");
	EXPECT_REC(1, "l1\nl2\nl3", "x");
	EXPECT_REC(4, "next");
	expect_eof();
	close_reader();
}

BOTH(embedded_crlf_kept_and_line_of_next_record)
{
	OPEN_LIT("a,\"l1\r\nl2\"\r\nnext\r\n");
	EXPECT_REC(1, "a", "l1\r\nl2");
	EXPECT_REC(3, "next");
	expect_eof();
	close_reader();
}

BOTH(quoted_last_field_at_eof)
{
	OPEN_LIT("a,\"b\"");
	EXPECT_REC(1, "a", "b");
	expect_eof();
	close_reader();
}

/* ---- BOM ---- */

BOTH(leading_bom_skipped)
{
	OPEN_LIT("\xEF\xBB\xBF" "name,id\nx,y\n");
	EXPECT_REC(1, "name", "id");
	EXPECT_REC(2, "x", "y");
	close_reader();
}

BOTH(bom_at_start_of_second_line)
{
	OPEN_LIT("a,b\n\xEF\xBB\xBF" "c,d\ne,f\n");
	EXPECT_REC(1, "a", "b");
	expect_err(GT_CSV_BOM_INSIDE, 2, 0);
	EXPECT_REC(3, "e", "f");
	close_reader();
}

BOTH(bom_inside_a_field)
{
	OPEN_LIT("a,b\xEF\xBB\xBF" "c\n");
	expect_err(GT_CSV_BOM_INSIDE, 1, 1);
	close_reader();
}

BOTH(second_bom_after_leading_bom)
{
	OPEN_LIT("\xEF\xBB\xBF\xEF\xBB\xBF" "a\n");
	expect_err(GT_CSV_BOM_INSIDE, 1, 0);
	close_reader();
}

/* ---- quote errors ---- */

BOTH(unterminated_quote_then_eof)
{
	OPEN_LIT("h1,h2\na,\"bc\nd,e\n");
	EXPECT_REC(1, "h1", "h2");
	expect_err(GT_CSV_UNTERMINATED_QUOTE, 2, 1);
	expect_eof();
	close_reader();
}

BOTH(unterminated_quote_at_very_end)
{
	OPEN_LIT("\"");
	expect_err(GT_CSV_UNTERMINATED_QUOTE, 1, 0);
	expect_eof();
	close_reader();
}

BOTH(quote_inside_unquoted_field)
{
	OPEN_LIT("ab,c\"d,e\nnext\n");
	expect_err(GT_CSV_BAD_QUOTE, 1, 1);
	EXPECT_REC(2, "next");
	close_reader();
}

BOTH(quote_after_space_is_bad_quote)
{
	OPEN_LIT("a, \"b\"\n");
	expect_err(GT_CSV_BAD_QUOTE, 1, 1);
	close_reader();
}

BOTH(bad_quote_in_third_field_of_second_line)
{
	OPEN_LIT("a,b,c\nd,e,f\"\ng,h,i\n");
	EXPECT_REC(1, "a", "b", "c");
	expect_err(GT_CSV_BAD_QUOTE, 2, 2);
	EXPECT_REC(3, "g", "h", "i");
	close_reader();
}

BOTH(text_after_closing_quote)
{
	OPEN_LIT("\"ab\"c,d\nnext\n");
	expect_err(GT_CSV_AFTER_QUOTE, 1, 0);
	EXPECT_REC(2, "next");
	close_reader();
}

BOTH(space_after_closing_quote)
{
	OPEN_LIT("x,\"ab\" \n");
	expect_err(GT_CSV_AFTER_QUOTE, 1, 1);
	close_reader();
}

BOTH(error_on_line_after_multiline_field)
{
	OPEN_LIT("\"a\nb\",\"c\"x\nnext\n");
	expect_err(GT_CSV_AFTER_QUOTE, 2, 1);
	cr_expect_eq(rec.line, 1);
	EXPECT_REC(3, "next");
	close_reader();
}

/* ---- NUL and UTF-8 ---- */

BOTH(nul_byte)
{
	static const char in[] = "a,b\0c\nnext\n";
	open_reader(stream, in, sizeof in - 1);
	expect_err(GT_CSV_NUL_BYTE, 1, 1);
	EXPECT_REC(2, "next");
	close_reader();
}

static void expect_utf8_error(int stream, const char *in, size_t len, int field)
{
	open_reader(stream, in, len);
	expect_err(GT_CSV_BAD_UTF8, 1, field);
	EXPECT_REC(2, "next");
	close_reader();
}
#define EXPECT_UTF8_ERROR(lit, field) expect_utf8_error(stream, lit, sizeof(lit) - 1, field)

BOTH(utf8_overlong_c0_80) { EXPECT_UTF8_ERROR("a,\xC0\x80\nnext\n", 1); }
BOTH(utf8_overlong_c1_bf) { EXPECT_UTF8_ERROR("\xC1\xBF\nnext\n", 0); }
BOTH(utf8_overlong_three_bytes) { EXPECT_UTF8_ERROR("\xE0\x80\xAF\nnext\n", 0); }
BOTH(utf8_overlong_four_bytes) { EXPECT_UTF8_ERROR("\xF0\x8F\xBF\xBF\nnext\n", 0); }
BOTH(utf8_surrogate_ed_a0_80) { EXPECT_UTF8_ERROR("a,b,\xED\xA0\x80\nnext\n", 2); }
BOTH(utf8_low_surrogate_ed_bf_bf) { EXPECT_UTF8_ERROR("\xED\xBF\xBF\nnext\n", 0); }
BOTH(utf8_truncated_at_end_of_field) { EXPECT_UTF8_ERROR("\xE4\xB8,x\nnext\n", 0); }
BOTH(utf8_truncated_at_end_of_line) { EXPECT_UTF8_ERROR("x,\xE4\xB8\nnext\n", 1); }
BOTH(utf8_f5_byte) { EXPECT_UTF8_ERROR("\xF5\x80\x80\x80\nnext\n", 0); }
BOTH(utf8_ff_byte) { EXPECT_UTF8_ERROR("a\xFF\nnext\n", 0); }
BOTH(utf8_lone_continuation_byte) { EXPECT_UTF8_ERROR("a\x80" "b\nnext\n", 0); }
BOTH(utf8_above_u10ffff) { EXPECT_UTF8_ERROR("\xF4\x90\x80\x80\nnext\n", 0); }
BOTH(utf8_lead_then_ascii) { EXPECT_UTF8_ERROR("\xE4" "ab\nnext\n", 0); }

BOTH(utf8_boundaries_accepted)
{
	/* U+0080, U+07FF, U+0800, U+D7FF, U+E000, U+FFFD, U+10000, U+10FFFF */
	OPEN_LIT("\xC2\x80,\xDF\xBF,\xE0\xA0\x80,\xED\x9F\xBF,\xEE\x80\x80,\xEF\xBF\xBD,"
		 "\xF0\x90\x80\x80,\xF4\x8F\xBF\xBF\n");
	EXPECT_REC(1, "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80",
		   "\xEF\xBF\xBD", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF");
	close_reader();
}

/* ---- limits ---- */

static char *repeat(char ch, size_t n, const char *suffix)
{
	size_t sl = strlen(suffix);
	char *s = malloc(n + sl + 1);
	cr_assert_not_null(s);
	memset(s, ch, n);
	memcpy(s + n, suffix, sl + 1);
	return s;
}

BOTH(field_of_65536_bytes_ok)
{
	char *in = repeat('x', GT_CSV_MAX_FIELD, ",y\n");
	open_reader(stream, in, strlen(in));
	cr_assert_eq(next(), 1);
	cr_expect_eq(rec.error, GT_CSV_OK);
	cr_assert_eq(rec.nfields, 2);
	cr_expect_eq(rec.fields[0].n, GT_CSV_MAX_FIELD);
	cr_expect(span_eq(rec.fields[1], "y", 1));
	expect_eof();
	close_reader();
	free(in);
}

BOTH(field_of_65537_bytes_too_long)
{
	char *in = repeat('x', GT_CSV_MAX_FIELD + 1, "\nnext\n");
	char *pre = malloc(strlen(in) + 3);
	strcpy(pre, "a,");
	strcat(pre, in);
	open_reader(stream, pre, strlen(pre));
	expect_err(GT_CSV_FIELD_TOO_LONG, 1, 1);
	EXPECT_REC(2, "next");
	expect_eof();
	close_reader();
	free(in);
	free(pre);
}

BOTH(quoted_field_of_65537_bytes_too_long)
{
	char *body = repeat('x', GT_CSV_MAX_FIELD + 1, "\"\nnext\n");
	char *in = malloc(strlen(body) + 2);
	in[0] = '"';
	strcpy(in + 1, body);
	open_reader(stream, in, strlen(in));
	expect_err(GT_CSV_FIELD_TOO_LONG, 1, 0);
	EXPECT_REC(2, "next");
	close_reader();
	free(body);
	free(in);
}

static char *n_fields(int n, const char *suffix)
{
	/* "0,1,2,...,n-1" (as the field index mod 10) then suffix */
	size_t sl = strlen(suffix);
	char *s = malloc((size_t)n * 2 + sl + 1);
	cr_assert_not_null(s);
	for (int i = 0; i < n; i++) {
		s[2 * i] = (char)('0' + i % 10);
		s[2 * i + 1] = ',';
	}
	memcpy(s + 2 * n - 1, suffix, sl + 1);
	return s;
}

BOTH(exactly_256_fields_ok)
{
	char *in = n_fields(GT_CSV_MAX_FIELDS, "\n");
	open_reader(stream, in, strlen(in));
	cr_assert_eq(next(), 1);
	cr_expect_eq(rec.error, GT_CSV_OK);
	cr_assert_eq(rec.nfields, GT_CSV_MAX_FIELDS);
	cr_expect(span_eq(rec.fields[0], "0", 1));
	cr_expect(span_eq(rec.fields[255], "5", 1));
	expect_eof();
	close_reader();
	free(in);
}

BOTH(field_257_too_many_and_next_record_fine)
{
	char *in = n_fields(GT_CSV_MAX_FIELDS + 1, "\nx,\"y,z\"\n");
	open_reader(stream, in, strlen(in));
	expect_err(GT_CSV_TOO_MANY_FIELDS, 1, GT_CSV_MAX_FIELDS);
	cr_expect_eq(rec.nfields, GT_CSV_MAX_FIELDS);
	EXPECT_REC(2, "x", "y,z");
	expect_eof();
	close_reader();
	free(in);
}

BOTH(many_extra_fields_and_next_record_fine)
{
	char *in = n_fields(1000, "\nok\n");
	open_reader(stream, in, strlen(in));
	expect_err(GT_CSV_TOO_MANY_FIELDS, 1, GT_CSV_MAX_FIELDS);
	EXPECT_REC(2, "ok");
	close_reader();
	free(in);
}

BOTH(first_error_wins)
{
	OPEN_LIT("a\"b,\"c\"d\n");
	expect_err(GT_CSV_BAD_QUOTE, 1, 0);
	close_reader();
}

BOTH(field_spans_valid_after_many_records)
{
	/* The record buffer grows; spans point into it, not into stale memory. */
	char *big = repeat('q', 10000, ",tail\nshort,s\n");
	open_reader(stream, big, strlen(big));
	cr_assert_eq(next(), 1);
	cr_expect_eq(rec.fields[0].n, 10000);
	cr_expect_eq(rec.fields[0].p[9999], 'q');
	cr_expect(span_eq(rec.fields[1], "tail", 4));
	EXPECT_REC(2, "short", "s");
	close_reader();
	free(big);
}

Test(csv, strerror_distinct_for_every_error)
{
	for (int e = GT_CSV_OK; e <= GT_CSV_BOM_INSIDE; e++) {
		cr_expect_str_neq(gt_csv_strerror(e), "unknown error", "error %d", e);
		for (int k = GT_CSV_OK; k < e; k++)
			cr_expect_str_neq(gt_csv_strerror(e), gt_csv_strerror(k));
	}
	cr_expect_str_eq(gt_csv_strerror(999), "unknown error");
}

Test(csv, free_null_is_harmless)
{
	gt_csv *r = NULL;
	gt_csv_free(&r);
	gt_csv_free(NULL);
	cr_expect_null(r);
}

/* ---- streams larger than the reader's 1 MiB chunk ---- */

struct buf {
	char *p;
	size_t n, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2;
		b->p = realloc(b->p, b->cap);
		cr_assert_not_null(b->p);
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

/* Filler lines "fff…f\n" (each one field) until the buffer is exactly `to` bytes
 * long; returns how many lines were added. */
static int fill_to(struct buf *b, size_t to)
{
	int lines = 0;
	static char f[60001];
	memset(f, 'f', sizeof f);
	while (b->n < to) {
		size_t left = to - b->n;
		size_t len = left > 60001 ? 60000 : left - 1; /* keep the last line >= 2 bytes */
		if (left > 60001 && left - 60001 < 2)
			len = 50000;
		cr_assert_gt(len, 0);
		put(b, f, len);
		put(b, "\n", 1);
		lines++;
	}
	cr_assert_eq(b->n, to);
	return lines;
}

static FILE *tmp_with(const struct buf *b)
{
	FILE *f = tmpfile();
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(b->p, 1, b->n, f), b->n);
	rewind(f);
	return f;
}

/* Reads `fill` filler records and checks their lines. */
static void skip_filler(int fill)
{
	for (int i = 0; i < fill; i++) {
		cr_assert_eq(next(), 1);
		cr_assert_eq(rec.error, GT_CSV_OK, "filler %d: %s", i, gt_csv_strerror(rec.error));
		cr_assert_eq(rec.line, i + 1);
		cr_assert_eq(rec.nfields, 1);
	}
}

/* Builds filler so that `tail[split]` is the first byte of the second chunk. */
static int build_split(struct buf *b, const char *tail, size_t tail_len, size_t split)
{
	int fill = fill_to(b, MIB - split);
	put(b, tail, tail_len);
	return fill;
}

Test(csv_chunks, crlf_split_across_boundary)
{
	struct buf b = { 0 };
	static const char tail[] = "ab,cd\r\nnext\r\n";
	int fill = build_split(&b, tail, sizeof tail - 1, 6); /* '\r' last, '\n' first */
	cr_assert_eq(b.p[MIB - 1], '\r');
	FILE *f = tmp_with(&b);
	rd = gt_csv_new(f);
	skip_filler(fill);
	EXPECT_REC(fill + 1, "ab", "cd");
	EXPECT_REC(fill + 2, "next");
	expect_eof();
	gt_csv_free(&rd);
	fclose(f);
	free(b.p);
}

Test(csv_chunks, blank_crlf_line_split_across_boundary)
{
	struct buf b = { 0 };
	static const char tail[] = "\r\nz\n";
	int fill = build_split(&b, tail, sizeof tail - 1, 1);
	FILE *f = tmp_with(&b);
	rd = gt_csv_new(f);
	skip_filler(fill);
	EXPECT_REC(fill + 2, "z");
	expect_eof();
	gt_csv_free(&rd);
	fclose(f);
	free(b.p);
}

Test(csv_chunks, doubled_quote_split_across_boundary)
{
	struct buf b = { 0 };
	static const char tail[] = "\"q\"\"r\",s\n";
	int fill = build_split(&b, tail, sizeof tail - 1, 3); /* the "" pair is split */
	cr_assert_eq(b.p[MIB - 1], '"');
	cr_assert_eq(b.p[MIB], '"');
	FILE *f = tmp_with(&b);
	rd = gt_csv_new(f);
	skip_filler(fill);
	EXPECT_REC(fill + 1, "q\"r", "s");
	expect_eof();
	gt_csv_free(&rd);
	fclose(f);
	free(b.p);
}

Test(csv_chunks, closing_quote_last_byte_of_chunk)
{
	struct buf b = { 0 };
	static const char tail[] = "\"qr\",s\n";
	int fill = build_split(&b, tail, sizeof tail - 1, 4);
	cr_assert_eq(b.p[MIB - 1], '"');
	FILE *f = tmp_with(&b);
	rd = gt_csv_new(f);
	skip_filler(fill);
	EXPECT_REC(fill + 1, "qr", "s");
	expect_eof();
	gt_csv_free(&rd);
	fclose(f);
	free(b.p);
}

Test(csv_chunks, utf8_character_split_across_boundary)
{
	struct buf b = { 0 };
	static const char tail[] = "a\xE4\xB8\xAD" "b,c\n"; /* 中 split after its first byte */
	int fill = build_split(&b, tail, sizeof tail - 1, 2);
	FILE *f = tmp_with(&b);
	rd = gt_csv_new(f);
	skip_filler(fill);
	EXPECT_REC(fill + 1, "a中b", "c");
	expect_eof();
	gt_csv_free(&rd);
	fclose(f);
	free(b.p);
}

Test(csv_chunks, multiline_quoted_field_across_boundary)
{
	struct buf b = { 0 };
	static const char tail[] = "x,\"l1\nl2\r\nl3\",y\nnext\n";
	int fill = build_split(&b, tail, sizeof tail - 1, 7); /* boundary after "l1\nl" */
	FILE *f = tmp_with(&b);
	rd = gt_csv_new(f);
	skip_filler(fill);
	EXPECT_REC(fill + 1, "x", "l1\nl2\r\nl3", "y");
	EXPECT_REC(fill + 4, "next");
	expect_eof();
	gt_csv_free(&rd);
	fclose(f);
	free(b.p);
}

Test(csv_chunks, long_field_across_two_boundaries_and_many_records)
{
	/* ~3 MiB of varied records; fields of all lengths cross the boundaries.
	 * The stream reader and the memory reader must agree on every record. */
	struct buf b = { 0 };
	char line[600];
	int nrec = 0;
	while (b.n < 3 * MIB + 12345) {
		int k = nrec % 97;
		int len = snprintf(line, sizeof line, "r%d,\"q,%d\"\"\n\",", nrec, k);
		for (int i = 0; i < k * 5; i++)
			line[len++] = (char)('a' + (nrec + i) % 26);
		len += snprintf(line + len, sizeof line - (size_t)len, ",张%d%s", k,
				nrec % 3 ? "\n" : "\r\n");
		put(&b, line, (size_t)len);
		nrec++;
	}
	FILE *f = tmp_with(&b);
	gt_csv *s = gt_csv_new(f);
	gt_csv *m = gt_csv_new_mem(b.p, b.n);
	static struct gt_csv_record rm;
	int n = 0;
	long line_expect = 1;
	for (;;) {
		int a = gt_csv_next(s, &rec), c = gt_csv_next(m, &rm);
		cr_assert_eq(a, c, "record %d: stream %d, memory %d", n, a, c);
		if (a == 0)
			break;
		cr_assert_eq(rec.error, GT_CSV_OK, "record %d: %s", n, gt_csv_strerror(rec.error));
		cr_assert_eq(rec.line, line_expect, "record %d line", n);
		cr_assert_eq(rm.line, line_expect);
		cr_assert_eq(rec.nfields, 4, "record %d", n);
		cr_assert_eq(rm.nfields, 4);
		for (int i = 0; i < 4; i++)
			cr_assert(span_eq(rec.fields[i], rm.fields[i].p, rm.fields[i].n),
				  "record %d field %d differs", n, i);
		char want[32];
		snprintf(want, sizeof want, "r%d", n);
		cr_assert(span_eq(rec.fields[0], want, strlen(want)), "record %d field 0", n);
		snprintf(want, sizeof want, "q,%d\"\n", n % 97);
		cr_assert(span_eq(rec.fields[1], want, strlen(want)), "record %d field 1", n);
		cr_assert_eq(rec.fields[2].n, (size_t)(n % 97) * 5, "record %d field 2", n);
		line_expect += 2; /* each record spans two physical lines */
		n++;
	}
	cr_expect_eq(n, nrec);
	cr_expect_gt(b.n, 3 * MIB);
	gt_csv_free(&s);
	gt_csv_free(&m);
	fclose(f);
	free(b.p);
}

/* ---- the writer ---- */

static struct gt_out out;
static char *out_text;
static size_t out_len;
static FILE *out_file;

static void out_open(void)
{
	out_file = open_memstream(&out_text, &out_len);
	cr_assert_not_null(out_file);
	gt_out_init(&out, out_file);
}

static const char *out_close(void)
{
	cr_expect_eq(gt_out_flush(&out), 0);
	fclose(out_file);
	return out_text;
}

static void row(int n, ...)
{
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		const char *s = va_arg(ap, const char *);
		gt_out_field(&out, s, strlen(s), i == 0);
	}
	va_end(ap);
	gt_out_end(&out);
}

Test(csv_writer, plain_fields_and_crlf)
{
	out_open();
	row(3, "a", "b", "c");
	row(2, "张三", "");
	cr_expect_str_eq(out_close(), "a,b,c\r\n张三,\r\n");
	free(out_text);
}

Test(csv_writer, comma_is_quoted)
{
	out_open();
	row(2, "a,b", "c");
	cr_expect_str_eq(out_close(), "\"a,b\",c\r\n");
	free(out_text);
}

Test(csv_writer, quote_is_doubled_and_quoted)
{
	out_open();
	row(3, "say \"hi\"", "\"", "x\"\"y");
	cr_expect_str_eq(out_close(), "\"say \"\"hi\"\"\",\"\"\"\",\"x\"\"\"\"y\"\r\n");
	free(out_text);
}

Test(csv_writer, lf_is_quoted)
{
	out_open();
	row(1, "l1\nl2");
	cr_expect_str_eq(out_close(), "\"l1\nl2\"\r\n");
	free(out_text);
}

Test(csv_writer, cr_is_quoted)
{
	out_open();
	row(2, "a\rb", "c\r\nd");
	cr_expect_str_eq(out_close(), "\"a\rb\",\"c\r\nd\"\r\n");
	free(out_text);
}

Test(csv_writer, spaces_and_semicolons_not_quoted)
{
	out_open();
	row(2, " a ", "x;y");
	cr_expect_str_eq(out_close(), " a ,x;y\r\n");
	free(out_text);
}

Test(csv_writer, output_larger_than_buffer)
{
	static char big[200001];
	memset(big, 'z', sizeof big - 1);
	out_open();
	for (int i = 0; i < 3; i++)
		row(1, big);
	out_close();
	cr_assert_eq(out_len, 3 * (sizeof big - 1 + 2));
	for (size_t i = 0; i < out_len; i += sizeof big + 1)
		cr_expect_eq(memcmp(out_text + i + sizeof big - 1, "\r\n", 2), 0);
	free(out_text);
}

Test(csv_writer, write_error_reported_by_flush)
{
	static char ro[16];
	FILE *f = fmemopen(ro, sizeof ro, "r");
	cr_assert_not_null(f);
	gt_out_init(&out, f);
	row(1, "abc");
	cr_expect_neq(gt_out_flush(&out), 0);
	cr_expect_neq(out.err, 0);
	fclose(f);
}

Test(csv_writer, round_trip_through_reader)
{
	const char *fields[] = { "plain", "a,b", "say \"hi\"", "l1\r\nl2", "l1\nl2", "", "\"", "张三" };
	const int n = (int)(sizeof fields / sizeof fields[0]);
	out_open();
	for (int i = 0; i < n; i++)
		gt_out_field(&out, fields[i], strlen(fields[i]), i == 0);
	gt_out_end(&out);
	row(1, "second");
	out_close();
	rd = gt_csv_new_mem(out_text, out_len);
	cr_assert_eq(next(), 1);
	cr_assert_eq(rec.error, GT_CSV_OK);
	cr_assert_eq(rec.nfields, n);
	for (int i = 0; i < n; i++)
		cr_expect(span_eq(rec.fields[i], fields[i], strlen(fields[i])), "field %d", i);
	EXPECT_REC(4, "second"); /* record 1 spans lines 1-3 */
	expect_eof();
	gt_csv_free(&rd);
	free(out_text);
}

Test(csv_stream, read_error_returns_minus_one)
{
	static char wbuf[16];
	FILE *f = fmemopen(wbuf, sizeof wbuf, "w"); /* reading it fails */
	cr_assert_not_null(f);
	rd = gt_csv_new(f);
	cr_assert_not_null(rd);
	errno = 0;
	cr_expect_eq(next(), -1);
	cr_expect_eq(errno, EIO);
	gt_csv_free(&rd);
	fclose(f);
}

/* ---- the memchr fast path reads exactly as the byte-by-byte reader ---- */

static bool same_record(const struct gt_csv_record *x, const struct gt_csv_record *y)
{
	if (x->nfields != y->nfields || x->line != y->line || x->error != y->error ||
	    x->err_line != y->err_line || x->err_field != y->err_field)
		return false;
	for (int i = 0; i < x->nfields; i++)
		if (!span_eq(x->fields[i], y->fields[i].p, y->fields[i].n))
			return false;
	return true;
}

/* rec->blanks false promises that no field holds a byte below ',' (so no
 * cell has a space or a tab to trim). */
static void check_blanks(const char *what, const struct gt_csv_record *r)
{
	if (r->blanks)
		return;
	for (int i = 0; i < r->nfields; i++)
		for (size_t k = 0; k < r->fields[i].n; k++)
			cr_assert_geq((unsigned char)r->fields[i].p[k], ',',
				      "%s: line %ld, field %d: byte %d with blanks false", what, r->line, i + 1,
				      (unsigned char)r->fields[i].p[k]);
}

/* Every record of data, read with the fast path (memory and stream) and byte
 * by byte, is the same; returns the number of records. */
static long plain_records; /* records read with blanks false */

static long compare_readers(const char *what, const char *data, size_t len)
{
	static struct gt_csv_record x, y, z;
	gt_csv *fast = gt_csv_new_mem(data, len), *slow = gt_csv_new_mem(data, len);
	FILE *f = fmemopen((void *)data, len, "rb");
	cr_assert_not_null(f);
	gt_csv *stream = gt_csv_new(f);
	cr_assert(fast && slow && stream);
	gt_csv_set_bytewise(slow);
	long n = 0;
	for (;;) {
		int a = gt_csv_next(fast, &x), b = gt_csv_next(slow, &y), c = gt_csv_next(stream, &z);
		cr_assert_eq(a, b, "%s: record %ld: fast %d, bytewise %d", what, n + 1, a, b);
		cr_assert_eq(c, b, "%s: record %ld: stream %d, bytewise %d", what, n + 1, c, b);
		if (a != 1)
			break;
		n++;
		cr_assert(same_record(&x, &y), "%s: record %ld (line %ld) differs from bytewise", what, n,
			  y.line);
		cr_assert(same_record(&z, &y), "%s: record %ld (line %ld) read from a stream differs", what,
			  n, y.line);
		check_blanks(what, &x);
		check_blanks(what, &z);
		plain_records += !x.blanks;
	}
	gt_csv_free(&fast);
	gt_csv_free(&slow);
	gt_csv_free(&stream);
	fclose(f);
	return n;
}

/* The SSE2 paths of the scan and of the quoting check, where the CPU would
 * take the AVX2 ones: each test below runs both ways. */
static void sse2_only(void)
{
	cr_assert(!gt_csv_simd_avx2(false));
}

Test(csv_simd, avx2_taken_when_the_cpu_has_it)
{
#if defined(__x86_64__) && defined(__GNUC__)
	__builtin_cpu_init();
	cr_expect_eq(gt_csv_simd_avx2(true), (bool)__builtin_cpu_supports("avx2"));
#endif
}

static void crafted_lines_read_as_bytewise(void)
{
	static const char *const cases[] = {
		"a,b,c\n1,2,3\n",
		"a,b,c\r\n1,2,3\r\n",
		"a,b,c\n1,2,3",             /* no line end at the end */
		"a,b,c\n1,2,3\r",           /* a CR at the very end */
		"a,b\r1,2\n",               /* a lone CR ends a record */
		"a,\"b,c\",d\n1,2,3\n",     /* quotes go the slow way */
		"a,b\"c,d\n",               /* a quote inside an unquoted field */
		"\xEF\xBB\xBF" "a,b\n1,2\n", /* BOM at the start */
		"a,b\n1,\xEF\xBB\xBF" "2\n", /* BOM inside */
		"a,b\n\xE5\xBC\xA0,\xC3\x28\n\xE6\x9D\x8E,x\n", /* bad UTF-8, then good */
		"a,b\n1,\xF0\x9F\x98\x80\n",
		"\n\n\r\n,\n,,\n",
		",\n",
		"a\n\n\nb\r\n\r\nc",
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		compare_readers(cases[i], cases[i], strlen(cases[i]));
	static const char nul[] = "a,b\n1,\0002\n3,4\n";
	compare_readers("NUL byte", nul, sizeof nul - 1);
}
Test(csv_fast, crafted_lines_read_as_bytewise) { crafted_lines_read_as_bytewise(); }
Test(csv_fast_sse2, crafted_lines_read_as_bytewise, .init = sse2_only) { crafted_lines_read_as_bytewise(); }

static void limits_read_as_bytewise(void)
{
	/* 256 and 257 fields; fields of 65536 and 65537 bytes; a line longer
	 * than the stream's chunk. */
	size_t cap = 4 * GT_CSV_MAX_FIELD + 4096;
	char *b = malloc(cap);
	cr_assert_not_null(b);
	size_t n = 0;
	for (int k = 0; k < 2; k++) {
		for (int i = 0; i < GT_CSV_MAX_FIELDS + k; i++)
			b[n++] = 'x', b[n++] = i + 1 < GT_CSV_MAX_FIELDS + k ? ',' : '\n';
	}
	for (int k = 0; k < 2; k++) {
		memset(b + n, 'y', GT_CSV_MAX_FIELD + k);
		n += GT_CSV_MAX_FIELD + k;
		b[n++] = ',';
		b[n++] = 'z';
		b[n++] = '\n';
	}
	memcpy(b + n, "1,2\n", 4);
	n += 4;
	cr_assert_lt(n, cap);
	cr_expect_eq(compare_readers("limits", b, n), 5);
	free(b);
}
Test(csv_fast, limits_read_as_bytewise) { limits_read_as_bytewise(); }
Test(csv_fast_sse2, limits_read_as_bytewise, .init = sse2_only) { limits_read_as_bytewise(); }

static void fixture_files_read_as_bytewise(void)
{
	static const char *const files[] = {
		"fixtures/demo.csv", "fixtures/screen/chongqing.csv", "fixtures/screen/invalid.csv",
		"fixtures/bad/bom-inside.csv", "fixtures/bad/invalid-utf8.csv", "fixtures/bad/nul-byte.csv",
		"fixtures/bad/quote-in-field.csv", "fixtures/bad/text-after-quote.csv",
		"fixtures/bad/unterminated-quote.csv", "fixtures/bad/too-many-fields.csv",
		"fixtures/bad/hostile-cells.csv",
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char path[512];
		snprintf(path, sizeof path, "%s/%s", GT_SOURCE_DIR, files[i]);
		FILE *f = fopen(path, "rb");
		cr_assert_not_null(f, "%s", path);
		static char data[1 << 20];
		size_t len = fread(data, 1, sizeof data, f);
		fclose(f);
		cr_expect_gt(compare_readers(files[i], data, len), 0, "%s", files[i]);
	}
	/* The fixtures' plain rows are read with blanks false (the check above is not idle). */
	cr_expect_gt(plain_records, 10, "%ld records with blanks false", plain_records);
}
Test(csv_fast, fixture_files_read_as_bytewise) { fixture_files_read_as_bytewise(); }
Test(csv_fast_sse2, fixture_files_read_as_bytewise, .init = sse2_only) { fixture_files_read_as_bytewise(); }

/* Every byte class at every place of lines of 1-40 bytes (the 16-byte
 * blocks' edges, the tail shorter than a block), with LF and CRLF ends and
 * none at the end of the input. */
static void every_byte_class_at_every_place(void)
{
	static const unsigned char cls[] = { ',', '"', '\r', '\n', 0, ' ', '\t', 'x', 0xE5, 0x80, 0xFF };
	char buf[256];
	for (size_t len = 1; len <= 40; len++)
		for (size_t pos = 0; pos < len; pos++)
			for (size_t k = 0; k < sizeof cls; k++)
				for (int form = 0; form < 3; form++) {
					size_t n = 0;
					memcpy(buf, "h1,h2\n", 6);
					n = 6;
					for (size_t i = 0; i < len; i++)
						buf[n++] = i == pos ? (char)cls[k] : (i % 5 == 4 ? ',' : 'a');
					if (cls[k] == 0xE5 && pos + 2 < len)
						buf[n - len + pos + 1] = (char)0xBC, buf[n - len + pos + 2] = (char)0xA0;
					if (form == 0)
						buf[n++] = '\n';
					else if (form == 1)
						buf[n++] = '\r', buf[n++] = '\n';
					if (form < 2) {
						memcpy(buf + n, "z,\xE5\xBC\xA0\r\n", 8);
						n += 8;
					}
					compare_readers("byte at a place", buf, n);
				}
}
Test(csv_fast, every_byte_class_at_every_place) { every_byte_class_at_every_place(); }
Test(csv_fast_sse2, every_byte_class_at_every_place, .init = sse2_only) { every_byte_class_at_every_place(); }

/* Lines of random length and bytes, most plain and commas, a few CJK, spaces,
 * quotes, CRs and NULs, over several of the stream's 64 KiB chunks: the
 * chunk's end falls inside lines, blocks and characters. */
static void random_lines_across_chunk_boundaries(void)
{
	size_t cap = 600000, n = 0;
	char *b = malloc(cap);
	cr_assert_not_null(b);
	uint64_t x = 0x9E3779B97F4A7C15u;
	for (int round = 0; round < 2; round++) {
		n = 0;
		while (n < cap - 1000) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			size_t len = (size_t)(x % 400);
			for (size_t i = 0; i < len; i++) {
				x ^= x << 13, x ^= x >> 7, x ^= x << 17;
				unsigned r = (unsigned)(x >> 40) % 1000;
				if (r < 150)
					b[n++] = ',';
				else if (r < 250 && i + 3 <= len)
					memcpy(b + n, "\xE5\xBC\xA0", 3), n += 3, i += 2;
				else if (r < 260)
					b[n++] = ' ';
				else if (round == 1 && r < 263)
					b[n++] = '"';
				else if (round == 1 && r < 265)
					b[n++] = '\r';
				else if (round == 1 && r < 266)
					b[n++] = 0;
				else
					b[n++] = (char)('a' + r % 26);
			}
			if (x & 1)
				b[n++] = '\r';
			b[n++] = '\n';
		}
		cr_expect_gt(compare_readers(round ? "random lines, odd bytes" : "random lines", b, n), 1000);
	}
	free(b);
}
Test(csv_fast, random_lines_across_chunk_boundaries) { random_lines_across_chunk_boundaries(); }
Test(csv_fast_sse2, random_lines_across_chunk_boundaries, .init = sse2_only) { random_lines_across_chunk_boundaries(); }

/* A stream's first read is one whole chunk (64 KiB): lines placed so that
 * each byte of a CRLF line, of its fields and of a CJK character in turn is
 * the chunk's last byte. */
static void line_at_the_first_chunk_edge(void)
{
	static const char tail[] = "ab,cd\r\nx,\xE5\xBC\xA0,y\r\n\"q\",r\r\nlast\r\n";
	size_t cap = 65536 + 200;
	char *b = malloc(cap);
	cr_assert_not_null(b);
	for (size_t k = 1; k <= sizeof tail; k++) {
		size_t n = 0, to = 65536 - k;
		while (n < to) {
			size_t len = to - n > 101 ? 99 : to - n - 1;
			memset(b + n, 'f', len);
			n += len;
			b[n++] = '\n';
		}
		memcpy(b + n, tail, sizeof tail - 1);
		n += sizeof tail - 1;
		compare_readers("line at the chunk edge", b, n);
	}
	free(b);
}
Test(csv_fast, line_at_the_first_chunk_edge) { line_at_the_first_chunk_edge(); }
Test(csv_fast_sse2, line_at_the_first_chunk_edge, .init = sse2_only) { line_at_the_first_chunk_edge(); }

/* ---- gt_out_row: a whole row at once, against gt_out_field ---- */

static bool field_needs_quotes(const char *s)
{
	return strpbrk(s, ",\"\r\n") != NULL;
}

static void row_at_once_agrees_with_field_by_field(void)
{
	static const char *pool[] = { "", "a", "eligible", "张三", "a,b", "say \"hi\"", "l1\nl2", "c\r", ";x;y",
				      "符合申报副高级条件（年限贯通，苏人社发〔2021〕132号 二（二）1）。",
				      "Eligible for senior by the regular route under X 1, resting on y.",
				      "0123456789abcdef0123456789abcdef,", "0123456789abcdef0123456789abcdef" };
	const int npool = (int)(sizeof pool / sizeof pool[0]);
	static char pad[70000];
	memset(pad, 'p', sizeof pad);
	unsigned seed = 12345;
	long plain = 0, quoted = 0;
	for (int round = 0; round < 3000; round++) {
		const char *s[11];
		size_t n[11];
		int count = 1 + round % 11;
		uint32_t check = 0;
		bool quote = false;
		for (int i = 0; i < count; i++) {
			seed = seed * 1103515245u + 12345u;
			s[i] = pool[(seed >> 16) % (unsigned)npool];
			n[i] = strlen(s[i]);
			if ((seed >> 8) & 1) {
				check |= 1u << i;
				quote |= field_needs_quotes(s[i]);
			} else if (field_needs_quotes(s[i])) {
				s[i] = "plain"; /* the caller's promise: unchecked fields need none */
				n[i] = 5;
			}
		}
		/* Bytes already in the buffer, up to nearly full: the row then
		 * flushes them first. */
		size_t before = (size_t)(round * 7919) % (sizeof out.buf + 1);
		if (round % 5 == 0)
			before = sizeof out.buf - (size_t)(round % 40);

		char *ref_text, *got_text;
		size_t ref_len, got_len;
		FILE *f = open_memstream(&ref_text, &ref_len);
		cr_assert_not_null(f);
		gt_out_init(&out, f);
		gt_out_plain(&out, pad, before, 1);
		for (int i = 0; i < count; i++)
			gt_out_field(&out, s[i], n[i], i == 0);
		gt_out_end(&out);
		cr_assert_eq(gt_out_flush(&out), 0);
		fclose(f);

		f = open_memstream(&got_text, &got_len);
		cr_assert_not_null(f);
		gt_out_init(&out, f);
		gt_out_plain(&out, pad, before, 1);
		bool ok = gt_out_row(&out, s, n, count, check);
		cr_assert(ok, "round %d: a row that fits is written, quoted where it needs it", round);
		if (quote)
			quoted++;
		else
			plain++;
		cr_assert_eq(gt_out_flush(&out), 0);
		fclose(f);
		cr_assert_eq(got_len, ref_len, "round %d", round);
		cr_assert(memcmp(got_text, ref_text, ref_len) == 0, "round %d", round);
		free(ref_text);
		free(got_text);
	}
	cr_expect_gt(plain, 500);
	cr_expect_gt(quoted, 500);
}
Test(csv_writer, row_at_once_agrees_with_field_by_field) { row_at_once_agrees_with_field_by_field(); }
Test(csv_writer_sse2, row_at_once_agrees_with_field_by_field, .init = sse2_only) { row_at_once_agrees_with_field_by_field(); }

/* Every byte value at every place of fields of 1 to 160 bytes (the SIMD
 * scans' blocks, their ends and the overlapping last block): a field is
 * quoted exactly when it holds a comma, a quote, a CR or an LF. */
static void every_byte_at_every_place(void)
{
	static char field[160];
	long quoted = 0;
	out_open();
	for (size_t n = 1; n <= sizeof field; n++)
		for (size_t at = 0; at < n; at++)
			for (int b = 0; b < 256; b++) {
				memset(field, 'x', n);
				field[at] = (char)b;
				bool special = b == ',' || b == '"' || b == '\r' || b == '\n';
				const char *s[1] = { field };
				size_t len[1] = { n };
				out.len = 0; /* the row alone in the buffer, looked at there */
				cr_assert(gt_out_row(&out, s, len, 1, 1u));
				size_t want = n + 2 + (special ? 2 + (b == '"') : 0);
				cr_assert_eq(out.len, want, "byte 0x%02x at %zu of %zu", b, at, n);
				cr_assert_eq(out.buf[0] == '"', special, "byte 0x%02x at %zu of %zu", b, at, n);
				quoted += special;
			}
	out.len = 0;
	out_close();
	free(out_text);
	cr_expect_eq(quoted, 4L * (160 * 161 / 2));
}
Test(csv_writer, every_byte_at_every_place) { every_byte_at_every_place(); }
Test(csv_writer_sse2, every_byte_at_every_place, .init = sse2_only) { every_byte_at_every_place(); }

Test(csv_writer, row_larger_than_the_buffer_is_refused)
{
	static char big[(1 << 16) + 10];
	memset(big, 'z', sizeof big);
	const char *s[2] = { "a", big };
	size_t n[2] = { 1, sizeof big };
	out_open();
	cr_expect(!gt_out_row(&out, s, n, 2, 0));
	cr_expect_eq(out.len, 0);
	n[1] = sizeof out.buf - 5; /* "a," + it + CRLF: one byte short of the buffer */
	cr_expect(gt_out_row(&out, s, n, 2, 0));
	out_close();
	cr_expect_eq(out_len, sizeof out.buf - 1);
	free(out_text);

	/* A row one byte larger than the room left: what is there goes first. */
	static char pad[sizeof out.buf];
	memset(pad, 'p', sizeof pad);
	const char *ab[2] = { "a", "b" };
	size_t abn[2] = { 1, 1 }; /* "a,b\r\n": 5 bytes */
	for (size_t room = 3; room <= 6; room++) {
		out_open();
		gt_out_plain(&out, pad, sizeof out.buf - room, 1);
		cr_assert(gt_out_row(&out, ab, abn, 2, 0));
		cr_assert_leq(out.len, sizeof out.buf);
		cr_expect_eq(out.len, room >= 5 ? sizeof out.buf - room + 5 : 5, "room %zu", room);
		out_close();
		cr_expect_eq(out_len, sizeof out.buf - room + 5);
		cr_expect(memcmp(out_text + out_len - 5, "a,b\r\n", 5) == 0);
		free(out_text);
	}
}

static void quoting_found_at_every_place_of_every_length(void)
{
	/* Text of Chinese, spaces and ASCII around one byte of every value, at
	 * every place of every length to 70: quoted exactly when that byte is
	 * one of , " CR LF (the reference is strchr on the byte), a quote
	 * doubled. */
	static const char filler[] = "符合 a1条件（;）、-";
	char text[80], want[170];
	out_open();
	for (size_t n = 1; n <= 70; n++)
		for (size_t pos = 0; pos < n; pos++)
			for (int b = 1; b < 256; b++) {
				for (size_t k = 0; k < n; k++)
					text[k] = filler[(k * 7 + n) % (sizeof filler - 1)];
				text[pos] = (char)b;
				const char *s[1] = { text };
				size_t len[1] = { n };
				bool quote = strchr(",\"\r\n", b) != NULL;
				size_t w = 0;
				if (quote)
					want[w++] = '"';
				for (size_t k = 0; k < n; k++) {
					want[w++] = text[k];
					if (text[k] == '"')
						want[w++] = '"';
				}
				if (quote)
					want[w++] = '"';
				want[w++] = '\r';
				want[w++] = '\n';
				out.len = 0;
				cr_assert(gt_out_row(&out, s, len, 1, 1));
				cr_assert_eq(out.len, w, "byte %d at %zu of %zu", b, pos, n);
				cr_assert(memcmp(out.buf, want, w) == 0, "byte %d at %zu of %zu", b, pos, n);
			}
	out.len = 0;
	out_close();
	free(out_text);
}
Test(csv_writer, quoting_found_at_every_place_of_every_length) { quoting_found_at_every_place_of_every_length(); }
Test(csv_writer_sse2, quoting_found_at_every_place_of_every_length, .init = sse2_only) { quoting_found_at_every_place_of_every_length(); }

static void quote_doubled_after_a_comma_at_every_place(void)
{
	/* A byte that makes the field quoted (, CR LF or ") and a quote, each at
	 * every place of every length to 70: the writer may learn that the field
	 * is quoted before it sees the quote, which must still be doubled. */
	static const char filler[] = "符合 a1条件（;）、-";
	static const char first[] = ",\r\n\"";
	char text[80], want[170];
	out_open();
	for (size_t n = 2; n <= 70; n++)
		for (size_t p1 = 0; p1 < n; p1++)
			for (size_t p2 = 0; p2 < n; p2++) {
				if (p1 == p2)
					continue;
				for (size_t k = 0; k < n; k++)
					text[k] = filler[(k * 7 + n) % (sizeof filler - 1)];
				text[p1] = first[(p1 + n) % 4];
				text[p2] = '"';
				size_t w = 0;
				want[w++] = '"';
				for (size_t k = 0; k < n; k++) {
					want[w++] = text[k];
					if (text[k] == '"')
						want[w++] = '"';
				}
				want[w++] = '"';
				want[w++] = '\r';
				want[w++] = '\n';
				const char *s[1] = { text };
				size_t len[1] = { n };
				out.len = 0;
				cr_assert(gt_out_row(&out, s, len, 1, 1));
				cr_assert_eq(out.len, w, "%zu: bytes at %zu and %zu", n, p1, p2);
				cr_assert(memcmp(out.buf, want, w) == 0, "%zu: bytes at %zu and %zu", n, p1, p2);
				/* field by field, the same */
				out.len = 0;
				gt_out_field(&out, text, n, 1);
				gt_out_end(&out);
				cr_assert(out.len == w && memcmp(out.buf, want, w) == 0, "%zu: at %zu and %zu (field)", n,
					  p1, p2);
			}
	out.len = 0;
	out_close();
	free(out_text);
}
Test(csv_writer, quote_doubled_after_a_comma_at_every_place) { quote_doubled_after_a_comma_at_every_place(); }
Test(csv_writer_sse2, quote_doubled_after_a_comma_at_every_place, .init = sse2_only) { quote_doubled_after_a_comma_at_every_place(); }
