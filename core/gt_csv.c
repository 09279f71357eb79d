/* Streaming RFC 4180 reader and writer. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "gt_csv.h"
#include "gt_i18n.h"

#define GT_CSV_CHUNK (1u << 16) /* 64 KiB reads; larger buys nothing */

struct gt_csv {
	FILE *in;
	const unsigned char *p, *end; /* unread input */
	unsigned char *chunk;         /* owned buffer when reading a stream */
	bool eof, read_error, at_start;
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

void gt_csv_free(gt_csv **rp)
{
	if (!rp || !*rp)
		return;
	free((*rp)->chunk);
	free((*rp)->data);
	free(*rp);
	*rp = NULL;
}

static bool refill(gt_csv *r)
{
	if (r->eof)
		return false;
	size_t n = fread(r->chunk, 1, GT_CSV_CHUNK, r->in);
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
		unsigned c = s[i];
		if (c < 0x80) {
			i++;
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

int gt_csv_next(gt_csv *r, struct gt_csv_record *rec)
{
	int c;

	rec->nfields = 0;
	rec->error = GT_CSV_OK;
	rec->err_line = 0;
	rec->err_field = 0;

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

void gt_out_field(struct gt_out *o, const char *s, size_t n, int first)
{
	if (!first)
		out_bytes(o, ",", 1);
	bool quote = false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == ',' || c == '"' || c == '\n' || c == '\r') {
			quote = true;
			break;
		}
	}
	if (!quote) {
		out_bytes(o, s, n);
		return;
	}
	out_bytes(o, "\"", 1);
	size_t from = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"') {
			out_bytes(o, s + from, i - from + 1);
			out_bytes(o, "\"", 1);
			from = i + 1;
		}
	}
	out_bytes(o, s + from, n - from);
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
