/* A streaming RFC 4180 reader: UTF-8, optional leading BOM, LF or CRLF, blank
 * lines skipped. Never fails on content: a malformed record is returned with
 * its error set, and reading goes on at the next record. */
#ifndef GT_CSV_H
#define GT_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "gt_case.h" /* struct gt_span */

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define GT_CSV_MAX_FIELD  65536   /* bytes in one field */
#define GT_CSV_MAX_FIELDS 256     /* fields in one record */

enum gt_csv_error {
	GT_CSV_OK,
	GT_CSV_UNTERMINATED_QUOTE, /* end of file inside a quoted field */
	GT_CSV_BAD_QUOTE,          /* a quote inside an unquoted field */
	GT_CSV_AFTER_QUOTE,        /* text after a closing quote */
	GT_CSV_FIELD_TOO_LONG,
	GT_CSV_TOO_MANY_FIELDS,
	GT_CSV_NUL_BYTE,
	GT_CSV_BAD_UTF8,
	GT_CSV_BOM_INSIDE,         /* a byte-order mark after the start of the file */
	GT_CSV_BAD_ENCODING,       /* bytes that are not GB18030 (with gt_csv_set_encoding) */
};

struct gt_csv_record {
	int nfields;
	struct gt_span fields[GT_CSV_MAX_FIELDS];
	long line;       /* physical line on which the record starts (1-based) */
	int error;       /* enum gt_csv_error */
	long err_line;   /* where the error is */
	int err_field;   /* 0-based field index of the error */
	/* False only when no field holds a byte below ',' (a space, a tab, a
	 * control character): the fast scan saw none but commas and the line
	 * end. Then no cell has a blank to trim (gt_case_parse_record). */
	bool blanks;
};

typedef struct gt_csv gt_csv;

/* Reads from a stream (not closed by gt_csv_free). */
gt_csv *gt_csv_new(FILE *in);
/* Reads from memory (the buffer must outlive the reader). */
gt_csv *gt_csv_new_mem(const char *data, size_t len);
void gt_csv_free(gt_csv **r);
/* Reads every record byte by byte, without the block-scanning fast path for plain
 * lines: for tests and fuzzers that check the two read alike. */
void gt_csv_set_bytewise(gt_csv *r);
/* Reads the input as GB18030 ("gb18030"), converted to UTF-8 as it is read,
 * or as UTF-8 ("utf-8", NULL). Call before the first gt_csv_next. Returns -1
 * (errno EINVAL) for another encoding, or when the converter cannot be had. */
int gt_csv_set_encoding(gt_csv *r, const char *encoding);
/* True for the encodings gt_csv_set_encoding takes. */
bool gt_csv_encoding_known(const char *encoding);

/* Returns 1 and fills rec; 0 at end of input; -1 on a read error (errno set).
 * Field spans stay valid until the next call. */
int gt_csv_next(gt_csv *r, struct gt_csv_record *rec);

const char *gt_csv_strerror(int error);

/* The fast reader's scan and the writer's quoting check take AVX2 paths when
 * the CPU has AVX2 (decided at start-up), SSE2 ones otherwise. The tests turn
 * the AVX2 paths off (false) to test the others. Returns whether they are on. */
bool gt_csv_simd_avx2(bool on);

/* Validates UTF-8 (no overlongs, no surrogates, at most U+10FFFF) and finds a
 * byte-order mark: GT_CSV_OK, GT_CSV_BAD_UTF8 or GT_CSV_BOM_INSIDE. */
int gt_utf8_check(const char *s, size_t n);

#ifdef __SSE2__
/* s[0..n), n <= 16, as a block zero past n, by two loads that may overlap
 * and read only s[0..n). */
static inline __m128i gt_load16(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	uint64_t lo = 0, hi = 0;
	if (n >= 8) {
		uint64_t a, b;
		memcpy(&a, p, 8);
		memcpy(&b, p + n - 8, 8);
		lo = a;
		/* bytes 8..n-1 are b's last n-8 bytes */
		hi = n > 8 ? b >> (8 * (16 - n)) : 0;
	} else if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, p, 4);
		memcpy(&b, p + n - 4, 4);
		lo = a | (uint64_t)b << (8 * (n - 4));
	} else if (n) {
		lo = p[0] | (uint64_t)p[n / 2] << (8 * (n / 2)) | (uint64_t)p[n - 1] << (8 * (n - 1));
	}
	return _mm_set_epi64x((long long)hi, (long long)lo);
}

/* gt_utf8_cjk16 of a text already loaded by gt_load16. */
static inline bool gt_utf8_cjk16_block(__m128i v, size_t n, size_t *chars, bool *control)
{
	unsigned high = (unsigned)_mm_movemask_epi8(v);
	unsigned valid = (1u << n) - 1;
	/* ASCII controls: below 0x20 (within n: the zeros past it are not) or 0x7F */
	unsigned ctl = ((unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20))) & ~high & valid) |
		       (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F)));
	size_t conts = 0;
	if (high) {
		/* signed: continuations 0x80..0xBF are -128..-65, leads 0xE4..0xE9 -28..-23 */
		__m128i cv = _mm_cmplt_epi8(v, _mm_set1_epi8((char)0xC0));
		unsigned cont = (unsigned)_mm_movemask_epi8(cv);
		unsigned lead = (unsigned)_mm_movemask_epi8(
			_mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8((char)0xE3)),
				      _mm_cmplt_epi8(v, _mm_set1_epi8((char)0xEA))));
		if ((high & ~(cont | lead)) != 0 || cont != ((lead << 1) | (lead << 2)))
			return false;
		/* their count: the sums of the two halves' 0/1 bytes */
		__m128i sum = _mm_sad_epu8(_mm_and_si128(cv, _mm_set1_epi8(1)), _mm_setzero_si128());
		conts = (size_t)_mm_cvtsi128_si32(sum) + (size_t)_mm_extract_epi16(sum, 4);
	}
	*chars = n - conts;
	*control = ctl != 0;
	return true;
}
#endif

/* A text of at most 16 bytes that is ASCII and CJK ideographs U+4000..U+9FFF
 * alone (valid UTF-8 whatever their continuation bytes): true, with its
 * characters and whether it holds an ASCII control. False for anything
 * else, which the caller checks byte by byte (as it does every text without
 * SSE2). One block: the bytes copied by two loads that may overlap (reading
 * only s[0..n)), zero past n, and classed a bit each: leads E4..E9,
 * continuations, controls. The text is taken exactly when every byte above
 * 0x7F is a lead or a continuation and the continuations are exactly the
 * two bytes after each lead (a byte past n is 0, never a continuation, so
 * a sequence cut by the end fails). */
static inline bool gt_utf8_cjk16(const char *s, size_t n, size_t *chars, bool *control)
{
#ifdef __SSE2__
	return gt_utf8_cjk16_block(gt_load16(s, n), n, chars, control);
#else
	(void)s, (void)n, (void)chars, (void)control;
	return false;
#endif
}

/* A buffered CSV writer with RFC 4180 quoting and CRLF line ends. */
struct gt_out {
	FILE *f;
	size_t len;
	int err;
	char buf[1 << 16];
};

void gt_out_init(struct gt_out *o, FILE *f);
void gt_out_field(struct gt_out *o, const char *s, size_t n, int first);
/* A cell meant for a spreadsheet: formula-neutralised (see below) at any
 * length, and quoted when it holds , " CR LF ; or a tab. */
void gt_out_cell(struct gt_out *o, const char *s, size_t n, int first);
/* A field the caller knows needs no quotes (a code, codes joined by ';'). */
void gt_out_plain(struct gt_out *o, const char *s, size_t n, int first);
void gt_out_end(struct gt_out *o);
/* A whole row and its CRLF at once, as gt_out_field and gt_out_end would
 * write it, in one pass into the buffer. The fields whose bit is set in
 * `check` (at most 32 fields) are looked at and quoted when they need it;
 * the others the caller knows need no quotes. False, with nothing written,
 * only when the row is larger than the buffer or has no field or more than
 * 32; the caller then writes it field by field. */
bool gt_out_row(struct gt_out *o, const char *const *s, const size_t *n, int count, uint32_t check);
int gt_out_flush(struct gt_out *o);

/* Formula neutralisation for spreadsheets: a cell that a spreadsheet would
 * read as a formula (after any leading apostrophes, a leading = + - @, tab,
 * CR or LF) gets one more leading apostrophe, and so does each part of it
 * after a ';', a tab, a CR or an LF (where a spreadsheet using ';' or tab as
 * its separator starts a new cell). gt_cell_restore removes exactly those
 * apostrophes again, so restore(neutralise(x)) == x for every x.
 * gt_cell_neutralise writes at most 2n + 1 bytes, gt_cell_restore at most n;
 * each returns the length written. gt_cell_dangerous looks at the start only. */
bool gt_cell_dangerous(const char *s, size_t n);
size_t gt_cell_neutralise(const char *s, size_t n, char *out);
size_t gt_cell_restore(const char *s, size_t n, char *out);

#endif
