/* Streaming RFC 4180 reader and writer. */
#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#define CSV_AVX2 1 /* AVX2 paths, compiled for the target and taken when the CPU has it */
#include <immintrin.h>
#endif

#include "gt_csv.h"
#include "gt_i18n.h"

#define GT_CSV_CHUNK (1u << 16) /* 64 KiB reads; larger buys nothing */

struct gt_csv {
	FILE *in;
	const unsigned char *p, *end; /* unread input */
	unsigned char *chunk;         /* owned buffer when reading a stream */
	bool eof, read_error, at_start;
	bool bytewise;                /* no fast path (tests compare the two) */
	/* --encoding gb18030: the input is converted to UTF-8 as it is read. */
	iconv_t cd;                   /* (iconv_t)-1: the input is UTF-8 */
	unsigned char *raw;           /* bytes read, not yet converted */
	size_t raw_len;
	bool raw_eof;
	FILE *mem_file;               /* a memory reader turned into a stream */
	long line;
	char *data;                   /* the current record's field bytes */
	size_t cap, len;
	size_t off[GT_CSV_MAX_FIELDS];
	size_t flen[GT_CSV_MAX_FIELDS];
};

static gt_csv *csv_alloc(void)
{
	gt_csv *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->cap = 4096;
	r->data = malloc(r->cap);
	if (!r->data) {
		free(r);
		return NULL;
	}
	r->line = 1;
	r->at_start = true;
	r->cd = (iconv_t)-1;
	return r;
}

gt_csv *gt_csv_new(FILE *in)
{
	gt_csv *r = csv_alloc();
	if (!r)
		return NULL;
	r->in = in;
	r->chunk = malloc(GT_CSV_CHUNK);
	if (!r->chunk) {
		gt_csv_free(&r);
		return NULL;
	}
	r->p = r->end = r->chunk;
	return r;
}

gt_csv *gt_csv_new_mem(const char *data, size_t len)
{
	gt_csv *r = csv_alloc();
	if (!r)
		return NULL;
	r->p = (const unsigned char *)data;
	r->end = r->p + len;
	r->eof = true;
	return r;
}

void gt_csv_set_bytewise(gt_csv *r)
{
	r->bytewise = true;
}

void gt_csv_free(gt_csv **rp)
{
	if (!rp || !*rp)
		return;
	if ((*rp)->cd != (iconv_t)-1)
		iconv_close((*rp)->cd);
	if ((*rp)->mem_file)
		fclose((*rp)->mem_file);
	free((*rp)->raw);
	free((*rp)->chunk);
	free((*rp)->data);
	free(*rp);
	*rp = NULL;
}

#define GT_CSV_RAW (1u << 14) /* bytes converted at a time */

/* Converts what is read, GB18030 to UTF-8, into dst. A byte sequence that is
 * not GB18030 becomes one 0xFF byte, which no UTF-8 text has: the reader then
 * reports the field it falls in (GT_CSV_BAD_ENCODING) and reads on. */
static size_t convert_read(gt_csv *r, unsigned char *dst, size_t cap)
{
	char *out = (char *)dst;
	size_t outleft = cap;
	while (outleft >= 4) {
		if (r->raw_len < GT_CSV_RAW && !r->raw_eof) {
			size_t n = fread(r->raw + r->raw_len, 1, GT_CSV_RAW - r->raw_len, r->in);
			if (n == 0)
				r->raw_eof = true;
			r->raw_len += n;
		}
		if (r->raw_len == 0)
			break;
		char *in = (char *)r->raw;
		size_t inleft = r->raw_len;
		size_t rc = iconv(r->cd, &in, &inleft, &out, &outleft);
		int err = rc == (size_t)-1 ? errno : 0;
		memmove(r->raw, in, inleft);
		r->raw_len = inleft;
		if (err == EILSEQ || (err == EINVAL && r->raw_eof)) {
			/* Not GB18030, or cut short by the end of the file. */
			*out++ = (char)0xFF;
			outleft--;
			memmove(r->raw, r->raw + 1, --r->raw_len);
			continue;
		}
		if (err == E2BIG || (out != (char *)dst && err == 0))
			break;
		/* EINVAL: a sequence continues in the bytes not read yet. */
	}
	return cap - outleft;
}

/* Reads up to cap bytes of UTF-8 into dst; 0 at the end or on an error. */
static size_t source_read(gt_csv *r, unsigned char *dst, size_t cap)
{
	if (r->cd != (iconv_t)-1)
		return convert_read(r, dst, cap);
	return fread(dst, 1, cap, r->in);
}

static bool is_utf8_name(const char *encoding)
{
	return !encoding || strcasecmp(encoding, "utf-8") == 0 || strcasecmp(encoding, "utf8") == 0;
}

bool gt_csv_encoding_known(const char *encoding)
{
	return is_utf8_name(encoding) || strcasecmp(encoding, "gb18030") == 0;
}

int gt_csv_set_encoding(gt_csv *r, const char *encoding)
{
	if (is_utf8_name(encoding))
		return 0;
	if (!gt_csv_encoding_known(encoding)) {
		errno = EINVAL;
		return -1;
	}
	if (!r->in) {
		/* A memory reader reads its buffer as a stream from here on. */
		r->mem_file = fmemopen((void *)r->p, (size_t)(r->end - r->p), "rb");
		r->chunk = malloc(GT_CSV_CHUNK);
		if (!r->mem_file || !r->chunk)
			return -1;
		r->in = r->mem_file;
		r->p = r->end = r->chunk;
		r->eof = false;
	}
	r->raw = malloc(GT_CSV_RAW);
	r->cd = iconv_open("UTF-8", "GB18030");
	if (!r->raw || r->cd == (iconv_t)-1)
		return -1;
	return 0;
}

static bool refill(gt_csv *r)
{
	if (r->eof)
		return false;
	size_t n = source_read(r, r->chunk, GT_CSV_CHUNK);
	if (n == 0) {
		r->eof = true;
		if (ferror(r->in))
			r->read_error = true;
		return false;
	}
	r->p = r->chunk;
	r->end = r->chunk + n;
	return true;
}

/* Next byte, or -1 at end of input. */
static inline int get(gt_csv *r)
{
	if (r->p == r->end && !refill(r))
		return -1;
	return *r->p++;
}

static inline int peek(gt_csv *r)
{
	if (r->p == r->end && !refill(r))
		return -1;
	return *r->p;
}

static bool grow(gt_csv *r)
{
	size_t cap = r->cap * 2;
	char *d = realloc(r->data, cap);
	if (!d)
		return false;
	r->data = d;
	r->cap = cap;
	return true;
}

int gt_utf8_check(const char *text, size_t n)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;
	while (i < n) {
		/* Most of a case file is ASCII: skip it a block at a time. */
#ifdef __SSE2__
		while (i + 16 <= n &&
		       !_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + i))))
			i += 16;
#endif
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (w & 0x8080808080808080u)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		unsigned c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		/* A CJK ideograph (U+4000-U+9FFF): lead E4-E9 and two
		 * continuation bytes is valid whatever they are, and is most of
		 * a Chinese name. */
		if (c >= 0xE4 && c <= 0xE9 && i + 3 <= n && (s[i + 1] & 0xC0) == 0x80 &&
		    (s[i + 2] & 0xC0) == 0x80) {
			i += 3;
			continue;
		}
		size_t len;
		unsigned cp;
		if (c >= 0xC2 && c <= 0xDF) {
			len = 2;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			cp = c & 0x07;
		} else {
			return GT_CSV_BAD_UTF8;
		}
		if (i + len > n)
			return GT_CSV_BAD_UTF8;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return GT_CSV_BAD_UTF8;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
			return GT_CSV_BAD_UTF8;
		if (cp == 0xFEFF)
			return GT_CSV_BOM_INSIDE;
		i += len;
	}
	return GT_CSV_OK;
}

static void set_error(struct gt_csv_record *rec, int error, long line, int field)
{
	if (rec->error == GT_CSV_OK) {
		rec->error = error;
		rec->err_line = line;
		rec->err_field = field;
	}
}

/* Moves the unread bytes to the front of the chunk and reads more after them.
 * False when nothing more can be had: a memory reader, the end of the input
 * already seen, a read error, or a chunk full of one line. */
static bool more_input(gt_csv *r)
{
	size_t have = (size_t)(r->end - r->p);
	if (!r->in || r->eof || have + 64 >= GT_CSV_CHUNK)
		return false;
	memmove(r->chunk, r->p, have);
	r->p = r->chunk;
	r->end = r->chunk + have;
	size_t n = source_read(r, r->chunk + have, GT_CSV_CHUNK - have);
	r->end += n;
	if (n == 0) {
		r->eof = true;
		if (ferror(r->in))
			r->read_error = true;
	}
	return !r->read_error;
}

/* Whether the AVX2 paths are taken (with BMI1's tzcnt and blsr, which every
 * CPU with AVX2 has): decided once at start-up from the CPU;
 * gt_csv_simd_avx2 turns them off for the tests of the SSE2 paths. */
static bool csv_avx2;

#ifdef CSV_AVX2
__attribute__((constructor)) static void csv_simd_init(void)
{
	__builtin_cpu_init();
	csv_avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi");
}
#endif

bool gt_csv_simd_avx2(bool on)
{
#ifdef CSV_AVX2
	__builtin_cpu_init();
	csv_avx2 = on && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi");
#else
	(void)on;
#endif
	return csv_avx2;
}

/* Of 64 bytes: those at or below ',' (a comma, a quote, a line end, a NUL,
 * also a space), the commas, and those above 0x7F, a bit each. */
static inline void block_masks(const unsigned char *b, uint64_t *low, uint64_t *commas, uint64_t *high)
{
	uint64_t l = 0, c = 0, h = 0;
#ifdef __SSE2__
	const __m128i comma = _mm_set1_epi8(',');
	for (unsigned k = 0; k < 64; k += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + k));
		l |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(v, comma), v)) << k;
		c |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma)) << k;
		h |= (uint64_t)(unsigned)_mm_movemask_epi8(v) << k;
	}
#else
	for (unsigned i = 0; i < 64; i++) {
		l |= (uint64_t)(b[i] <= ',') << i;
		c |= (uint64_t)(b[i] == ',') << i;
		h |= (uint64_t)(b[i] >> 7) << i;
	}
#endif
	*low = l, *commas = c, *high = h;
}

#ifdef CSV_AVX2
/* block_masks by two 32-byte steps. */
__attribute__((target("avx2,bmi"))) static inline void block_masks_avx2(const unsigned char *b, uint64_t *low,
								     uint64_t *commas, uint64_t *high)
{
	const __m256i comma = _mm256_set1_epi8(',');
	__m256i v = _mm256_loadu_si256((const __m256i *)(const void *)b);
	__m256i w = _mm256_loadu_si256((const __m256i *)(const void *)(b + 32));
	*low = (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_min_epu8(v, comma), v)) |
	       (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_min_epu8(w, comma), w)) << 32;
	*commas = (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, comma)) |
		  (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(w, comma)) << 32;
	*high = (uint64_t)(uint32_t)_mm256_movemask_epi8(v) | (uint64_t)(uint32_t)_mm256_movemask_epi8(w) << 32;
}
#endif

enum { SCAN_SLOW, SCAN_MORE, SCAN_LINE };

/* The common record: one line in the buffer with no quote, no NUL, no lone
 * CR, at most GT_CSV_MAX_FIELDS fields and no longer than GT_CSV_MAX_FIELD
 * bytes (so no field is longer); its fields point into the buffer, and its
 * UTF-8 is checked once for the whole line. The line is scanned 64 bytes at a
 * time for the commas and the line end: a block with no byte at or below ','
 * other than commas (most of them) needs no look at its bytes. SCAN_MORE:
 * the buffer ends inside the line. SCAN_SLOW: anything else, left to the
 * byte-by-byte reader (nothing consumed), so both give the same records and
 * the same errors. */
static inline __attribute__((always_inline)) int scan_line_with(gt_csv *r, struct gt_csv_record *rec,
								  bool avx2)
{
	const unsigned char *p = r->p, *end = r->end, *q = p, *f = p;
	const unsigned char *le = NULL, *next = NULL;
	/* The first and the last byte above 0x7F: the UTF-8 to check. */
	const unsigned char *high = NULL, *high_end = NULL;
	/* The next field; up to last_safe, a block's commas all fit. */
	struct gt_span *fp = rec->fields, *last_safe = rec->fields + GT_CSV_MAX_FIELDS - 64;
	bool blanks = false;
	for (; q < end && !le; q += 64) {
		uint64_t low, cm, hm;
		const unsigned char *bq = q;
		unsigned char tail[64];
		if (end - q < 64) {
			/* The last bytes of the buffer, padded with bytes of no class. */
			memset(tail, 'a', sizeof tail);
			memcpy(tail, q, (size_t)(end - q));
			bq = tail;
		}
#ifdef CSV_AVX2
		if (avx2)
			block_masks_avx2(bq, &low, &cm, &hm);
		else
#endif
			block_masks(bq, &low, &cm, &hm);
		for (uint64_t other = low & ~cm; other; other &= other - 1) {
			unsigned x = (unsigned)__builtin_ctzll(other);
			const unsigned char *b = q + x;
			if (*b == '\n') {
				le = b;
				next = b + 1;
			} else if (*b == '\r') {
				if (b + 1 == end && !r->eof)
					return SCAN_MORE;
				if (b + 1 < end && b[1] != '\n')
					return SCAN_SLOW; /* a lone CR */
				le = b;
				next = b + 1 < end ? b + 2 : end;
			} else if (*b == '"' || *b == 0) {
				return SCAN_SLOW;
			} else {
				blanks = true; /* a space and the like */
				continue;
			}
			cm &= (UINT64_C(1) << x) - 1;
			hm &= (UINT64_C(1) << x) - 1;
			break;
		}
		if (hm) {
			if (!high)
				high = q + __builtin_ctzll(hm);
			high_end = q + 64 - __builtin_clzll(hm);
		}
		if (fp > last_safe)
			return SCAN_SLOW;
		while (cm) {
			const unsigned char *c = q + (unsigned)__builtin_ctzll(cm);
			cm &= cm - 1;
			fp->p = (const char *)f;
			fp->n = (size_t)(c - f);
			fp++;
			f = c + 1;
		}
	}
	int nf = (int)(fp - rec->fields);
	if (!le) {
		if (!r->eof)
			return SCAN_MORE;
		le = next = end;
	}
	if (nf == GT_CSV_MAX_FIELDS || le - p > GT_CSV_MAX_FIELD)
		return SCAN_SLOW;
	fp->p = (const char *)f;
	fp->n = (size_t)(le - f);
	nf++;
	/* The separators are ASCII, which no UTF-8 sequence contains: the line is
	 * valid exactly when every field is; look for the field only on error.
	 * Around [high, high_end) is only ASCII: the line is valid exactly when
	 * that part is (a sequence cut at high_end is invalid either way, as the
	 * byte after it is ASCII). Most often that part is a Chinese name, which
	 * gt_utf8_cjk16 takes as one block. */
	size_t hn = high ? (size_t)(high_end - high) : 0, chars;
	bool control;
	if (high && !(hn <= 16 && gt_utf8_cjk16((const char *)high, hn, &chars, &control)) &&
	    gt_utf8_check((const char *)high, hn) != GT_CSV_OK)
		for (int i = 0; i < nf; i++) {
			int e = gt_utf8_check(rec->fields[i].p, rec->fields[i].n);
			if (e != GT_CSV_OK) {
				set_error(rec, e, r->line, i);
				break;
			}
		}
	rec->line = r->line;
	rec->nfields = nf;
	rec->blanks = blanks;
	r->line++;
	r->p = next;
	return SCAN_LINE;
}

static int scan_line_sse2(gt_csv *r, struct gt_csv_record *rec)
{
	return scan_line_with(r, rec, false);
}

#ifdef CSV_AVX2
__attribute__((target("avx2,bmi"))) static int scan_line_avx2(gt_csv *r, struct gt_csv_record *rec)
{
	return scan_line_with(r, rec, true);
}
#endif

static int scan_line(gt_csv *r, struct gt_csv_record *rec)
{
#ifdef CSV_AVX2
	if (csv_avx2)
		return scan_line_avx2(r, rec);
#endif
	return scan_line_sse2(r, rec);
}

static bool next_fast(gt_csv *r, struct gt_csv_record *rec)
{
	if (r->bytewise)
		return false;
	for (;;) {
		int s = scan_line(r, rec);
		if (s == SCAN_LINE)
			return true;
		/* SCAN_MORE: read on and scan the line again from its start. */
		if (s == SCAN_SLOW || !more_input(r))
			return false;
	}
}

static int csv_next(gt_csv *r, struct gt_csv_record *rec);

int gt_csv_next(gt_csv *r, struct gt_csv_record *rec)
{
	int rc = csv_next(r, rec);
	/* Converted text is UTF-8: bytes that are not come from input that was
	 * not GB18030. */
	if (rc == 1 && r->cd != (iconv_t)-1 && rec->error == GT_CSV_BAD_UTF8)
		rec->error = GT_CSV_BAD_ENCODING;
	return rc;
}

static int csv_next(gt_csv *r, struct gt_csv_record *rec)
{
	int c;

	rec->nfields = 0;
	rec->error = GT_CSV_OK;
	rec->err_line = 0;
	rec->err_field = 0;
	rec->blanks = true;

	if (r->at_start) {
		r->at_start = false;
		if (peek(r) == 0xEF && r->end - r->p >= 3 && r->p[1] == 0xBB && r->p[2] == 0xBF)
			r->p += 3;
	}
	/* Skip blank lines. */
	for (;;) {
		c = peek(r);
		if (c == '\n') {
			r->p++;
			r->line++;
		} else if (c == '\r') {
			r->p++;
			if (peek(r) == '\n')
				r->p++;
			r->line++;
		} else {
			break;
		}
	}
	if (c < 0) {
		if (r->read_error) {
			errno = EIO;
			return -1;
		}
		return 0;
	}

	if (next_fast(r, rec))
		return 1;
	rec->blanks = true; /* not looked for byte by byte */

	rec->line = r->line;
	r->len = 0;
	int nf = 0;          /* fields begun */
	bool storing = true; /* false once the field count is exceeded */
	size_t start = 0;
	bool end_record = false;

	while (!end_record) {
		/* One field. */
		int field = nf;
		if (nf < GT_CSV_MAX_FIELDS) {
			start = r->len;
			storing = true;
		} else {
			set_error(rec, GT_CSV_TOO_MANY_FIELDS, r->line, nf);
			storing = false;
		}
		nf++;
		bool quoted = false, after_quote = false, too_long = false;
		c = get(r);
		if (c == '"') {
			quoted = true;
			c = get(r);
		}
		for (;;) {
			if (c < 0) {
				if (quoted && !after_quote)
					set_error(rec, GT_CSV_UNTERMINATED_QUOTE, rec->line, field);
				end_record = true;
				break;
			}
			if (quoted && !after_quote) {
				if (c == '"') {
					if (peek(r) == '"') {
						r->p++;
					} else {
						after_quote = true;
						c = get(r);
						continue;
					}
				} else if (c == '\n') {
					r->line++;
				}
			} else {
				if (c == ',')
					break;
				if (c == '\n' || c == '\r') {
					if (c == '\r' && peek(r) == '\n')
						r->p++;
					r->line++;
					end_record = true;
					break;
				}
				if (after_quote) {
					set_error(rec, GT_CSV_AFTER_QUOTE, r->line, field);
				} else if (c == '"') {
					set_error(rec, GT_CSV_BAD_QUOTE, r->line, field);
				}
			}
			if (c == 0)
				set_error(rec, GT_CSV_NUL_BYTE, r->line, field);
			if (storing && !too_long) {
				if (r->len - start >= GT_CSV_MAX_FIELD) {
					too_long = true;
					set_error(rec, GT_CSV_FIELD_TOO_LONG, r->line, field);
				} else {
					if (r->len == r->cap && !grow(r)) {
						errno = ENOMEM;
						return -1;
					}
					r->data[r->len++] = (char)c;
				}
			}
			c = get(r);
		}
		if (storing) {
			r->off[field] = start;
			r->flen[field] = r->len - start;
			if (rec->error == GT_CSV_OK) {
				int e = gt_utf8_check(r->data + start, r->len - start);
				if (e != GT_CSV_OK)
					set_error(rec, e, rec->line, field);
			}
		}
	}
	rec->nfields = nf < GT_CSV_MAX_FIELDS ? nf : GT_CSV_MAX_FIELDS;
	for (int i = 0; i < rec->nfields; i++) {
		rec->fields[i].p = r->data + r->off[i];
		rec->fields[i].n = r->flen[i];
	}
	if (r->read_error) {
		errno = EIO;
		return -1;
	}
	return 1;
}

const char *gt_csv_strerror(int error)
{
	/* Marked for translation; the caller translates. */
	switch (error) {
	case GT_CSV_OK: return N_("no error");
	case GT_CSV_UNTERMINATED_QUOTE: return N_("a quoted field is not closed before the end of the file");
	case GT_CSV_BAD_QUOTE: return N_("a double quote inside an unquoted field (quote the whole field and double the quote)");
	case GT_CSV_AFTER_QUOTE: return N_("text after the closing quote of a field (expected a comma or the end of the line)");
	case GT_CSV_FIELD_TOO_LONG: return N_("the field is longer than 65536 bytes");
	case GT_CSV_TOO_MANY_FIELDS: return N_("the row has more than 256 fields");
	case GT_CSV_NUL_BYTE: return N_("the field contains a NUL byte");
	case GT_CSV_BAD_UTF8: return N_("the field is not valid UTF-8");
	case GT_CSV_BOM_INSIDE: return N_("a byte-order mark (U+FEFF) inside the data");
	case GT_CSV_BAD_ENCODING: return N_("the field is not valid GB18030 (the file was read with --encoding gb18030)");
	}
	return N_("unknown error");
}

void gt_out_init(struct gt_out *o, FILE *f)
{
	o->f = f;
	o->len = 0;
	o->err = 0;
}

int gt_out_flush(struct gt_out *o)
{
	if (o->len && fwrite(o->buf, 1, o->len, o->f) != o->len)
		o->err = errno ? errno : EIO;
	o->len = 0;
	return o->err;
}

static inline void out_bytes(struct gt_out *o, const char *s, size_t n)
{
	if (n <= sizeof o->buf - o->len) {
		memcpy(o->buf + o->len, s, n);
		o->len += n;
		return;
	}
	while (n) {
		size_t room = sizeof o->buf - o->len;
		if (room == 0) {
			gt_out_flush(o);
			room = sizeof o->buf;
		}
		size_t k = n < room ? n : room;
		memcpy(o->buf + o->len, s, k);
		o->len += k;
		s += k;
		n -= k;
	}
}

static const bool quote_byte[256] = { [','] = true, ['"'] = true, ['\n'] = true, ['\r'] = true };

#ifdef __SSE2__
/* Of 16 bytes, those that make a field need quotes: a comma, a quote, a line end. */
static inline __m128i block_quote_bytes(__m128i v)
{
	const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"');
	const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
	return _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, quote)),
			    _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)));
}
#endif

/* A field with a comma, a quote or a line end is written quoted. Fields of
 * 16 bytes or more are looked at 32 bytes a step, the bytes that need quotes
 * gathered and tested once a step; the last 16 end at n (they may overlap). */
static bool needs_quotes(const char *s, size_t n)
{
	size_t i = 0;
#ifdef __SSE2__
	if (n >= 16) {
		for (; i + 32 <= n; i += 32) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
			__m128i w = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 16));
			if (_mm_movemask_epi8(_mm_or_si128(block_quote_bytes(v), block_quote_bytes(w))))
				return true;
		}
		for (; i < n; i += 16) {
			if (i + 16 > n)
				i = n - 16;
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
			if (_mm_movemask_epi8(block_quote_bytes(v)))
				return true;
		}
		return false;
	}
#endif
	for (; i < n; i++)
		if (quote_byte[(unsigned char)s[i]])
			return true;
	return false;
}

#ifdef CSV_AVX2
/* Of 32 bytes, those that make a field need quotes, by one look-up: the four
 * bytes have four different low nibbles ('"' 0x22, '\n' 0x0A, ',' 0x2C, '\r'
 * 0x0D), so a byte is one of them exactly when it equals the entry of a
 * 16-byte table at its low nibble (0x80 where none: never equal to a byte
 * below 0x80; a byte with its high bit set looks up 0, and is not 0). */
__attribute__((target("avx2"))) static inline __m256i quote_bytes_avx2(__m256i v)
{
	const __m256i table = _mm256_setr_epi8(
		(char)0x80, (char)0x80, '"', (char)0x80, (char)0x80, (char)0x80, (char)0x80, (char)0x80,
		(char)0x80, (char)0x80, '\n', (char)0x80, ',', '\r', (char)0x80, (char)0x80,
		(char)0x80, (char)0x80, '"', (char)0x80, (char)0x80, (char)0x80, (char)0x80, (char)0x80,
		(char)0x80, (char)0x80, '\n', (char)0x80, ',', '\r', (char)0x80, (char)0x80);
	return _mm256_cmpeq_epi8(_mm256_shuffle_epi8(table, v), v);
}

/* needs_quotes for n >= 32, 64 bytes a step, the last 32 ending at n. */
__attribute__((target("avx2"))) static bool needs_quotes_avx2(const char *s, size_t n)
{
	size_t i = 0;
	for (; i + 64 <= n; i += 64) {
		__m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
		__m256i w = _mm256_loadu_si256((const __m256i *)(const void *)(s + i + 32));
		if (_mm256_movemask_epi8(_mm256_or_si256(quote_bytes_avx2(v), quote_bytes_avx2(w))))
			return true;
	}
	for (; i < n; i += 32) {
		if (i + 32 > n)
			i = n - 32;
		__m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
		if (_mm256_movemask_epi8(quote_bytes_avx2(v)))
			return true;
	}
	return false;
}
#endif

/* needs_quotes by the widest path the CPU has. */
static inline bool field_needs_quotes(const char *s, size_t n)
{
#ifdef CSV_AVX2
	if (csv_avx2 && n >= 32)
		return needs_quotes_avx2(s, n);
#endif
	return needs_quotes(s, n);
}

/* The quotes in s[0..n), each written twice inside a quoted field. */
static size_t count_quotes(const char *s, size_t n)
{
	size_t k = 0;
	const char *q;
	while ((q = memchr(s, '"', n))) {
		k++;
		n -= (size_t)(q - s) + 1;
		s = q + 1;
	}
	return k;
}

/* Writes s[0..n) quoted, its quotes doubled, at d; returns the end. */
static char *put_quoted(char *d, const char *s, size_t n)
{
	*d++ = '"';
	const char *q;
	while ((q = memchr(s, '"', n))) {
		size_t k = (size_t)(q - s) + 1;
		memcpy(d, s, k);
		d += k;
		*d++ = '"';
		s += k;
		n -= k;
	}
	memcpy(d, s, n);
	d += n;
	*d++ = '"';
	return d;
}

void gt_out_field(struct gt_out *o, const char *s, size_t n, int first)
{
	if (!first)
		out_bytes(o, ",", 1);
	if (!field_needs_quotes(s, n)) {
		out_bytes(o, s, n);
		return;
	}
	out_bytes(o, "\"", 1);
	const char *q;
	while ((q = memchr(s, '"', n))) {
		size_t k = (size_t)(q - s) + 1;
		out_bytes(o, s, k);
		out_bytes(o, "\"", 1);
		s += k;
		n -= k;
	}
	out_bytes(o, s, n);
	out_bytes(o, "\"", 1);
}

/* A character after which a spreadsheet may start a new cell: the separators
 * ';' and tab (LibreOffice and Excel in many locales use ';'), and the line
 * ends. A spreadsheet splitting on ';' reads "x;=1+1" as the cells "x" and
 * "=1+1", whatever the quotes around it, which it sees only at a cell's start. */
static inline bool cell_sep(char c)
{
	return c == ';' || c == '\t' || c == '\r' || c == '\n';
}

/* The end of the segment that starts at i: just past the next separator. */
static inline size_t segment_end(const char *s, size_t n, size_t i)
{
	while (i < n && !cell_sep(s[i]))
		i++;
	return i < n ? i + 1 : n;
}

static void out_quoted(struct gt_out *o, const char *s, size_t n)
{
	size_t from = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"') {
			out_bytes(o, s + from, i - from + 1);
			out_bytes(o, "\"", 1);
			from = i + 1;
		}
	}
	out_bytes(o, s + from, n - from);
}

/* A cell for a spreadsheet (export, reject file): neutralised as
 * gt_cell_neutralise does, at any length (no buffer), and quoted when it
 * holds , " CR LF ; or a tab. */
void gt_out_cell(struct gt_out *o, const char *s, size_t n, int first)
{
	if (!first)
		out_bytes(o, ",", 1);
	bool quote = false;
	for (size_t i = 0; i < n && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || cell_sep(s[i]);
	if (quote)
		out_bytes(o, "\"", 1);
	for (size_t i = 0;;) {
		size_t j = segment_end(s, n, i);
		if (gt_cell_dangerous(s + i, n - i))
			out_bytes(o, "'", 1);
		if (quote)
			out_quoted(o, s + i, j - i);
		else
			out_bytes(o, s + i, j - i);
		if (j >= n)
			break;
		i = j;
	}
	if (quote)
		out_bytes(o, "\"", 1);
}

/* memcpy in line for the short cells of a summary row (most are codes of
 * under 32 bytes): two copies that may overlap, reading only s[0..n). */
static inline void copy_cell(char *d, const char *s, size_t n)
{
	uint64_t a, b;
	if (n > 32) {
		memcpy(d, s, n);
	} else if (n >= 16) {
#ifdef __SSE2__
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
		__m128i y = _mm_loadu_si128((const __m128i *)(const void *)(s + n - 16));
		_mm_storeu_si128((__m128i *)(void *)d, x);
		_mm_storeu_si128((__m128i *)(void *)(d + n - 16), y);
#else
		memcpy(d, s, n);
#endif
	} else if (n >= 8) {
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
	} else if (n >= 4) {
		uint32_t x, y;
		memcpy(&x, s, 4);
		memcpy(&y, s + n - 4, 4);
		memcpy(d, &x, 4);
		memcpy(d + n - 4, &y, 4);
	} else if (n) {
		d[0] = s[0];
		d[n / 2] = s[n / 2];
		d[n - 1] = s[n - 1];
	}
}

bool gt_out_row(struct gt_out *o, const char *const *s, const size_t *n, int count, uint32_t check)
{
	if (count < 1 || count > 32)
		return false;
	size_t total = (size_t)count + 1; /* the commas and CRLF */
	for (int i = 0; i < count; i++)
		total += n[i];
	uint32_t quote = 0;
	/* only the fields the caller marked */
	for (uint32_t m = check & (UINT32_MAX >> (32 - count)); m; m &= m - 1) {
		int i = __builtin_ctz(m);
		if (field_needs_quotes(s[i], n[i])) {
			quote |= 1u << i;
			total += 2 + count_quotes(s[i], n[i]);
		}
	}
	if (total > sizeof o->buf - o->len) {
		if (total > sizeof o->buf)
			return false;
		gt_out_flush(o);
	}
	char *d = o->buf + o->len;
	for (int i = 0; i < count; i++) {
		if (quote >> i & 1) {
			d = put_quoted(d, s[i], n[i]);
		} else {
			copy_cell(d, s[i], n[i]);
			d += n[i];
		}
		*d++ = ','; /* the last one becomes the CR */
	}
	d[-1] = '\r';
	d[0] = '\n';
	o->len += total;
	return true;
}

void gt_out_plain(struct gt_out *o, const char *s, size_t n, int first)
{
	if (!first)
		out_bytes(o, ",", 1);
	out_bytes(o, s, n);
}

void gt_out_end(struct gt_out *o)
{
	out_bytes(o, "\r\n", 2);
}

/* After any leading apostrophes, a character that starts a formula. */
bool gt_cell_dangerous(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && s[i] == '\'')
		i++;
	if (i == n)
		return false;
	switch (s[i]) {
	case '=': case '+': case '-': case '@': case '\t': case '\r': case '\n':
		return true;
	default:
		return false;
	}
}

size_t gt_cell_neutralise(const char *s, size_t n, char *out)
{
	size_t k = 0;
	for (size_t i = 0;;) {
		size_t j = segment_end(s, n, i);
		if (gt_cell_dangerous(s + i, n - i))
			out[k++] = '\'';
		memcpy(out + k, s + i, j - i);
		k += j - i;
		if (j >= n)
			break;
		i = j;
	}
	return k;
}

size_t gt_cell_restore(const char *s, size_t n, char *out)
{
	size_t k = 0;
	for (size_t i = 0;;) {
		size_t j = segment_end(s, n, i);
		if (i < n && s[i] == '\'' && gt_cell_dangerous(s + i + 1, n - i - 1))
			i++;
		memcpy(out + k, s + i, j - i);
		k += j - i;
		if (j >= n)
			break;
		i = j;
	}
	return k;
}
