/* Parsing and validating one input row of the case CSV. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "gt_case.h"
#include "gt_csv.h"
#include "gt_i18n.h"
#include "gt_idnum.h"
#include "gt_text.h"

const char *const gt_column_names[GT_COL_COUNT] = {
	"case_ref", "name", "id_number", "region", "direction", "series", "occupation_code",
	"skill_level", "skill_date", "title_level", "title_date", "related", "work_start",
	"appraisals_passed", "frontline", "employed_in_region", "self_employed",
	"region_work_start", "pilot_enterprise", "honors", "competitions", "diploma_related",
	"tech_school_class", "integrity_flag", "public_institution_worker", "evidence",
	"requested_level", "application_date",
};

/* What a person calls each column (msgids; the XLSX's Chinese headers). */
static const char *const column_labels[GT_COL_COUNT] = {
	N_("applicant reference"), N_("applicant name"), N_("identity card number"),
	N_("region of the case"), N_("direction of the application"), N_("title series"),
	N_("occupation (trade) code"), N_("skill level held"), N_("date the skill level was obtained"),
	N_("title level held"), N_("date the title was obtained"),
	N_("specialty or trade corresponds"), N_("date work started"),
	N_("appraisals passed in the last 3 years"), N_("frontline production or service post"),
	N_("employed in the region"), N_("self-employed or freelance"),
	N_("date work with enterprises in the region started"), N_("pilot enterprise"),
	N_("honours held"), N_("competition results"), N_("diploma in a related specialty"),
	N_("technical school class"), N_("record of fraud"), N_("worker of a public institution"),
	N_("verified documents"), N_("level applied for"), N_("date of application"),
};

const char *gt_column_label(int col)
{
	return col >= 0 && col < GT_COL_COUNT ? _(column_labels[col]) : "";
}

size_t gt_csv_error_format(const struct gt_header *h, const struct gt_csv_record *rec, char *buf,
			   size_t size)
{
	int col = -1, n;
	for (int k = 0; k < GT_COL_COUNT && col < 0; k++)
		if (h->pos[k] == rec->err_field)
			col = k;
	if (col >= 0)
		n = snprintf(buf, size, _("line %ld, %s (column %d): %s"), rec->err_line,
			     gt_column_label(col), rec->err_field + 1, _(gt_csv_strerror(rec->error)));
	else
		n = snprintf(buf, size, _("line %ld, field %d: %s"), rec->err_line, rec->err_field + 1,
			     _(gt_csv_strerror(rec->error)));
	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

bool gt_column_required(gt_column c)
{
	switch (c) {
	case GT_COL_NAME: case GT_COL_ID_NUMBER: case GT_COL_REGION: case GT_COL_DIRECTION:
	case GT_COL_SERIES: case GT_COL_SKILL_LEVEL: case GT_COL_TITLE_LEVEL:
		return true;
	default:
		return false;
	}
}

static struct gt_span trim_blanks(struct gt_span s)
{
	while (s.n && (s.p[0] == ' ' || s.p[0] == '\t')) {
		s.p++;
		s.n--;
	}
	while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t'))
		s.n--;
	return s;
}

/* Spaces and tabs around a cell are not part of it. Most cells have none:
 * an edge byte above ' ' is neither, and the cell is left as it is. */
static inline struct gt_span trim(struct gt_span s)
{
	if (s.n == 0 || ((unsigned char)s.p[0] > ' ' && (unsigned char)s.p[s.n - 1] > ' '))
		return s;
	return trim_blanks(s);
}

static int column_index(const char *p, size_t n)
{
	for (int i = 0; i < GT_COL_COUNT; i++)
		if (strlen(gt_column_names[i]) == n && memcmp(gt_column_names[i], p, n) == 0)
			return i;
	return -1;
}

/* Copies at most `max` bytes of s into buf for a message, never splitting a
 * UTF-8 sequence, and marks a cut with "…". */
static const char *quote_value(struct gt_span s, char *buf, size_t size)
{
	if (gt_utf8_check(s.p, s.n) != GT_CSV_OK) {
		/* Not text: show it as ASCII, never pass bad bytes on. */
		size_t k = 0;
		for (size_t i = 0; i < s.n && k + 4 < size; i++) {
			unsigned char ch = (unsigned char)s.p[i];
			buf[k++] = ch >= 0x20 && ch < 0x7F ? (char)ch : '?';
		}
		buf[k] = '\0';
		return buf;
	}
	size_t max = size > 8 ? size - 8 : 0, n = s.n;
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s.p[n] & 0xC0) == 0x80)
			n--;
		snprintf(buf, size, "%.*s…", (int)n, s.p);
	} else {
		snprintf(buf, size, "%.*s", (int)n, s.p);
	}
	return buf;
}

int gt_header_parse(struct gt_header *h, const struct gt_span *fields, int nfields,
		    const char *const *extra_allowed, int nextra, char *msg, size_t msgsz)
{
	char v[64];
	for (int i = 0; i < GT_COL_COUNT; i++)
		h->pos[i] = -1;
	h->nfields = nfields;
	for (int f = 0; f < nfields; f++) {
		struct gt_span s = trim(fields[f]);
		int c = column_index(s.p, s.n);
		if (c < 0) {
			bool extra = false;
			for (int k = 0; k < nextra && !extra; k++)
				extra = strlen(extra_allowed[k]) == s.n &&
					memcmp(extra_allowed[k], s.p, s.n) == 0;
			if (extra)
				continue;
			if (s.n == 0)
				snprintf(msg, msgsz, _("line 1, column %d: the header has an empty column name"), f + 1);
			else
				snprintf(msg, msgsz, _("line 1, column %d: unknown column \"%s\""), f + 1,
					 quote_value(s, v, sizeof v));
			return -1;
		}
		if (h->pos[c] >= 0) {
			snprintf(msg, msgsz, _("line 1, column %d: duplicated column \"%s\" (also column %d)"),
				 f + 1, gt_column_names[c], h->pos[c] + 1);
			return -1;
		}
		h->pos[c] = (int16_t)f;
	}
	for (int c = 0; c < GT_COL_COUNT; c++) {
		if (gt_column_required((gt_column)c) && h->pos[c] < 0) {
			snprintf(msg, msgsz, _("line 1: the header is missing the required column \"%s\""),
				 gt_column_names[c]);
			return -1;
		}
	}
	return 0;
}

/* The fields from birth_date up to the competition entries: every one but
 * the texts and the entries. */
#define CASE_SCALARS_AT offsetof(struct gt_case, birth_date)
#define CASE_SCALARS_LEN (offsetof(struct gt_case, comps) - CASE_SCALARS_AT)

/* The fields cleared and given their defaults, the texts and the entries
 * left as they are. gt_case_init clears those too; the fast path, which
 * writes every text of the case and each entry up to ncomps, does not (some
 * 750 bytes a row, most of them the texts' room). */
static inline void case_init_fields(struct gt_case *c)
{
	memset((char *)c + CASE_SCALARS_AT, 0, CASE_SCALARS_LEN);
	c->appraisals = -1;
	c->requested = -1;
	c->related = true;
	c->employed_in_region = true;
	c->skill_date = c->title_date = c->work_start = GT_DATE_NONE;
	c->region_work_start = c->application_date = c->birth_date = GT_DATE_NONE;
}

void gt_case_init(struct gt_case *c)
{
	memset(c, 0, CASE_SCALARS_AT);
	memset(c->comps, 0, sizeof c->comps);
	case_init_fields(c);
}

bool gt_case_same(const struct gt_case *a, const struct gt_case *b)
{
	_Static_assert(offsetof(struct gt_case, comps) + sizeof a->comps == sizeof(struct gt_case),
		       "the entries are the case's last field");
	return strcmp(a->case_ref, b->case_ref) == 0 && strcmp(a->name, b->name) == 0 &&
	       strcmp(a->id_number, b->id_number) == 0 && strcmp(a->occupation_code, b->occupation_code) == 0 &&
	       memcmp((const char *)a + CASE_SCALARS_AT, (const char *)b + CASE_SCALARS_AT, CASE_SCALARS_LEN) == 0 &&
	       memcmp(a->comps, b->comps, a->ncomps * sizeof a->comps[0]) == 0;
}

static int fail(struct gt_row_error *err, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct gt_row_error *err, int col, const char *fmt, ...)
{
	va_list ap;
	err->column = col;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

size_t gt_row_error_format(const struct gt_row_error *err, long line, char *buf, size_t size)
{
	int n;
	if (line <= 0 && err->column >= 0) /* a case not read from a file */
		n = snprintf(buf, size, _("%s: %s"), gt_column_label(err->column), err->msg);
	else if (line <= 0)
		n = snprintf(buf, size, "%s", err->msg);
	else if (err->column >= 0)
		n = snprintf(buf, size, _("line %ld, %s: %s"), line, gt_column_label(err->column),
			     err->msg);
	else
		n = snprintf(buf, size, _("line %ld: %s"), line, err->msg);
	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

static size_t utf8_chars(const char *p, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)p[i] & 0xC0) != 0x80;
	return k;
}

static bool has_control(struct gt_span s)
{
	for (size_t i = 0; i < s.n; i++) {
		unsigned char ch = (unsigned char)s.p[i];
		if (ch < 0x20 || ch == 0x7F)
			return true;
	}
	return false;
}

/* The common text (ASCII and CJK ideographs U+4000-U+9FFF, which are valid
 * UTF-8 whatever their continuation bytes) in one pass: its characters and
 * whether it holds a control character. False for anything else, which the
 * caller reads with gt_utf8_check, utf8_chars and has_control. */
static bool text_scan_bytewise(struct gt_span s, size_t *chars, bool *control)
{
	const unsigned char *p = (const unsigned char *)s.p;
	size_t k = 0, i = 0;
	bool ctl = false;
	while (i < s.n) {
		unsigned c = p[i];
		if (c < 0x80) {
			ctl |= c < 0x20 || c == 0x7F;
			i++;
		} else if (c >= 0xE4 && c <= 0xE9 && i + 3 <= s.n && (p[i + 1] & 0xC0) == 0x80 &&
			   (p[i + 2] & 0xC0) == 0x80) {
			i += 3;
		} else {
			return false;
		}
		k++;
	}
	*chars = k;
	*control = ctl;
	return true;
}

/* The text of a case_ref or name cell: false when it is not ASCII and the
 * three-byte characters U+4000..U+9FFF alone (which the reference's reader
 * then words), else its characters and whether it holds an ASCII control. */
static inline bool text_scan(struct gt_span s, size_t *chars, bool *control)
{
	/* what the block path leaves, the byte loop takes (and most often
	 * refuses: text that is not ASCII and ideographs) */
	if (s.n <= 16 && gt_utf8_cjk16(s.p, s.n, chars, control))
		return true;
	return text_scan_bytewise(s, chars, control);
}

bool gt_case_text_scan(const char *p, size_t n, size_t *chars, bool *control, bool bytewise)
{
	struct gt_span s = { p, n };
	return bytewise ? text_scan_bytewise(s, chars, control) : text_scan(s, chars, control);
}

static int parse_text(struct gt_span s, int col, char *dst, bool required,
		      struct gt_row_error *err)
{
	char v[48];
	if (s.n == 0) {
		if (required)
			return fail(err, col, _("a value is required"));
		dst[0] = '\0';
		return 0;
	}
	if (required && trim(s).n == 0)
		return fail(err, col, _("a value is required (only spaces given)"));
	size_t chars;
	bool control;
	if (!text_scan(s, &chars, &control)) {
		/* The parser does not rely on its caller having checked the text. */
		if (gt_utf8_check(s.p, s.n) != GT_CSV_OK)
			return fail(err, col, _("is not valid UTF-8 text"));
		chars = utf8_chars(s.p, s.n);
		control = has_control(s);
	}
	if (chars > GT_TEXT_MAX_CHARS || s.n > GT_TEXT_MAX_BYTES)
		return fail(err, col, _("\"%s\" has %zu characters; at most %d are allowed"),
			    quote_value(s, v, sizeof v), chars, GT_TEXT_MAX_CHARS);
	if (control)
		return fail(err, col, _("contains a control character (tab or line break)"));
	memcpy(dst, s.p, s.n);
	dst[s.n] = '\0';
	return 0;
}

static int parse_code(const struct gt_code_table *t, struct gt_span s, int col,
		      bool required, int dflt, int *out, struct gt_row_error *err)
{
	char v[64];
	s = trim(s);
	if (s.n == 0) {
		if (required)
			return fail(err, col, _("a value is required"));
		*out = dflt;
		return 0;
	}
	int i = gt_code_lookup(t, s.p, s.n);
	if (i < 0) {
		/* Short lists are spelled out: the clerk sees what would do. */
		char list[200] = "";
		size_t n = 0;
		bool zh = gt_names_zh(); /* the names a Chinese clerk may type */
		for (int k = 0; k < t->count && t->count <= 10 && n < sizeof list; k++)
			n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", k ? (zh ? "、" : ", ") : "",
					      zh && t->codes[k].zh[0] ? t->codes[k].zh : t->codes[k].code);
		if (list[0])
			return fail(err, col, _("unknown code \"%s\"; expected one of %s"),
				    quote_value(s, v, sizeof v), list);
		return fail(err, col, _("unknown code \"%s\""), quote_value(s, v, sizeof v));
	}
	*out = i;
	return 0;
}

static int parse_bool(struct gt_span s, int col, bool dflt, bool *out, struct gt_row_error *err)
{
	char v[48];
	s = trim(s);
	if (s.n == 0)
		*out = dflt;
	else if (s.n == 3 && memcmp(s.p, "yes", 3) == 0)
		*out = true;
	else if (s.n == 2 && memcmp(s.p, "no", 2) == 0)
		*out = false;
	else
		return fail(err, col, _("\"%s\" is not yes or no"), quote_value(s, v, sizeof v));
	return 0;
}

/* Days of 1 January of each year 1900-2200, and from 1 January to the first
 * of each month and the length of each month in a common year: a date of
 * the fast path is a sum. */
static gt_date year_day1[301];
static const uint16_t month_day1[13] = { 0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
static const uint8_t month_len[13] = { 0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

__attribute__((constructor)) static void case_date_tables(void)
{
	for (int i = 0; i <= 300; i++)
		year_day1[i] = gt_date_from_ymd(1900 + i, 1, 1);
}

/* gt_date_parse, with the common YYYY-MM-DD read in place; anything else
 * (other forms, errors) is left to it. The first eight bytes are checked and
 * read as one word: with the dashes made '0', each byte is a digit exactly
 * when it is ASCII, subtracting '0' sets no high bit (no byte below '0') and
 * adding 0x46 sets none (none above '9'). */
int gt_case_date_parse(const char *s, size_t n, gt_date *out)
{
	if (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && n == 10 && s[4] == '-' && s[7] == '-') {
		uint64_t x;
		memcpy(&x, s, 8);
		x = (x & 0x00FFFF00FFFFFFFFu) | 0x3000003000000000u; /* little-endian: bytes 4 and 7 */
		const uint64_t high = 0x8080808080808080u;
		unsigned d8 = (unsigned)((unsigned char)s[8] - '0'), d9 = (unsigned)((unsigned char)s[9] - '0');
		if (((x | (x - 0x3030303030303030u) | (x + 0x4646464646464646u)) & high) == 0 && d8 <= 9 &&
		    d9 <= 9) {
			uint64_t d = x - 0x3030303030303030u;
			/* byte k of t: digit k * 10 + digit k+1 (at most 99: no
			 * carry), so bytes 0 and 2 are the year's two halves and
			 * byte 5 the month */
			uint64_t t = d * 10 + (d >> 8);
			unsigned y = (unsigned)(t & 0xFF) * 100 + (unsigned)(t >> 16 & 0xFF);
			unsigned m = (unsigned)(t >> 40 & 0xFF);
			unsigned day = d8 * 10 + d9;
			if (y - 1900 < 300 && m - 1 < 12 && day >= 1) {
				gt_date y1 = year_day1[y - 1900];
				unsigned leap = (unsigned)(year_day1[y - 1899] - y1 - 365); /* 0 or 1 */
				if (day <= month_len[m] + (m == 2) * leap) {
					*out = y1 + month_day1[m] + (gt_date)((m > 2) * leap + day - 1);
					return 0;
				}
			}
		}
	}
	return gt_date_parse(s, n, out);
}

/* A date column: blank allowed unless required; never after the application date. */
static int parse_date(struct gt_span s, int col, bool required, gt_date app,
		      gt_date *out, struct gt_row_error *err)
{
	char v[48], a[11];
	s = trim(s);
	if (s.n == 0) {
		if (required)
			return -2; /* the caller says why it is required */
		*out = GT_DATE_NONE;
		return 0;
	}
	int rc = gt_case_date_parse(s.p, s.n, out);
	if (rc == -1)
		return fail(err, col, _("\"%s\" is not a date of the form YYYY-MM-DD, YYYY/M/D or YYYY.M.D"),
			    quote_value(s, v, sizeof v));
	if (rc == -2)
		return fail(err, col, _("\"%s\" is not a real date"), quote_value(s, v, sizeof v));
	if (app != GT_DATE_NONE && *out > app) {
		gt_date_format(app, a);
		return fail(err, col, _("%.*s is after the application date %s"), (int)s.n, s.p, a);
	}
	return 0;
}

/* Iterates the ';'-separated entries of a list cell, trimmed, skipping empty ones. */
static bool next_item(struct gt_span *rest, struct gt_span *item)
{
	while (rest->n) {
		const char *semi = memchr(rest->p, ';', rest->n);
		size_t len = semi ? (size_t)(semi - rest->p) : rest->n;
		item->p = rest->p;
		item->n = len;
		rest->p += semi ? len + 1 : len;
		rest->n -= semi ? len + 1 : len;
		*item = trim(*item);
		if (item->n)
			return true;
	}
	return false;
}

static int parse_result(struct gt_span s, struct gt_comp_entry *e)
{
	int i = gt_code_lookup(&gt_results, s.p, s.n);
	if (i >= 0 && i != GT_RES_RANK) {
		e->result = (uint8_t)i;
		e->rank = i <= GT_RES_BRONZE ? (uint16_t)(i + 1) : 0; /* medals rank 1-3 */
		return 0;
	}
	/* rankN, or 第N名 */
	const char *p = s.p;
	size_t n = s.n;
	if (n > 4 && memcmp(p, "rank", 4) == 0) {
		p += 4;
		n -= 4;
	} else if (n > 6 && memcmp(p, "第", 3) == 0 && memcmp(p + n - 3, "名", 3) == 0) {
		p += 3;
		n -= 6;
	} else {
		return -1;
	}
	if (n == 0 || n > 3 || p[0] == '0')
		return -1;
	unsigned v = 0;
	for (size_t k = 0; k < n; k++) {
		if (p[k] < '0' || p[k] > '9')
			return -1;
		v = v * 10 + (unsigned)(p[k] - '0');
	}
	e->result = GT_RES_RANK;
	e->rank = (uint16_t)v;
	return 0;
}

static int parse_comps(struct gt_span s, struct gt_case *c, struct gt_row_error *err)
{
	char v[64];
	struct gt_span rest = s, item;
	while (next_item(&rest, &item)) {
		struct gt_span part[5];
		int np = 0;
		const char *p = item.p, *end = item.p + item.n;
		while (np < 5) {
			const char *colon = memchr(p, ':', (size_t)(end - p));
			part[np].p = p;
			part[np].n = colon ? (size_t)(colon - p) : (size_t)(end - p);
			part[np] = trim(part[np]);
			np++;
			if (!colon)
				break;
			p = colon + 1;
		}
		if (np < 2 || np > 4)
			return fail(err, GT_COL_COMPETITIONS,
				    _("\"%s\" is not competition:result[:role[:team_size]]"),
				    quote_value(item, v, sizeof v));
		if (c->ncomps == GT_MAX_COMPS)
			return fail(err, GT_COL_COMPETITIONS, _("more than %d competition entries"),
				    GT_MAX_COMPS);
		struct gt_comp_entry *e = &c->comps[c->ncomps];
		int i = gt_code_lookup(&gt_comps, part[0].p, part[0].n);
		if (i < 0)
			return fail(err, GT_COL_COMPETITIONS, _("unknown competition \"%s\""),
				    quote_value(part[0], v, sizeof v));
		e->comp = (uint8_t)i;
		if (parse_result(part[1], e) < 0)
			return fail(err, GT_COL_COMPETITIONS,
				    _("unknown result \"%s\" (expected gold, silver, bronze, excellence, first, second, third or rankN)"),
				    quote_value(part[1], v, sizeof v));
		e->role = GT_ROLE_WINNER;
		if (np >= 3 && part[2].n) {
			i = gt_code_lookup(&gt_roles, part[2].p, part[2].n);
			if (i < 0)
				return fail(err, GT_COL_COMPETITIONS, _("unknown role \"%s\""),
					    quote_value(part[2], v, sizeof v));
			e->role = (uint8_t)i;
		}
		e->team_size = 1;
		if (np == 4 && part[3].n) {
			if (part[3].n != 1 || part[3].p[0] < '1' || part[3].p[0] > '3')
				return fail(err, GT_COL_COMPETITIONS,
					    _("team size \"%s\" is not 1, 2 or 3"),
					    quote_value(part[3], v, sizeof v));
			e->team_size = (uint8_t)(part[3].p[0] - '0');
		}
		c->ncomps++;
	}
	return 0;
}

/* A list cell as an input method types it (全国技能大赛：金牌；…、…) read as
 * the codes' ASCII punctuation; a cell too long for buf is read as it is. */
static struct gt_span fold_list(struct gt_span s, char *buf, size_t size)
{
	/* Only U+3000..U+303F (lead byte E3) and U+FF01..U+FF5E (EF) fold; a
	 * cell with neither, as every machine-written one, is read in place. */
	if (s.n >= size || (!memchr(s.p, 0xEF, s.n) && !memchr(s.p, 0xE3, s.n)))
		return s;
	size_t n = gt_text_halfwidth(s.p, s.n, ';', buf, size);
	return (struct gt_span){ buf, n };
}

static int parse_mask(const struct gt_code_table *t, struct gt_span s, int col,
		      uint32_t *mask, struct gt_row_error *err)
{
	char v[64];
	struct gt_span rest = s, item;
	*mask = 0;
	while (next_item(&rest, &item)) {
		int i = gt_code_lookup(t, item.p, item.n);
		if (i < 0)
			return fail(err, col, _("unknown code \"%s\""), quote_value(item, v, sizeof v));
		*mask |= 1u << i;
	}
	return 0;
}

static int parse_level(struct gt_span s, int col, bool title, int *out, struct gt_row_error *err)
{
	char v[64];
	s = trim(s);
	if (s.n == 6 && memcmp(s.p, "初级", 6) == 0)
		return fail(err, col, title
			? _("\"初级\" is ambiguous: write 员级 or 助理级")
			: _("\"初级\" is ambiguous: write 初级工 or 五级 for a skill level"));
	const struct gt_code_table *t = title ? &gt_title_levels : &gt_skill_levels;
	int rc = parse_code(t, s, col, true, 0, out, err);
	if (rc == 0 || col != GT_COL_REQUESTED_LEVEL)
		return rc;
	/* A requested level of the other direction's kind: say so. */
	const struct gt_code_table *other = title ? &gt_skill_levels : &gt_title_levels;
	if (gt_code_lookup(other, s.p, s.n) >= 0)
		return fail(err, col, title
			? _("\"%s\" is a skill level; an application for a title requests a title level")
			: _("\"%s\" is a title level; an application for a skill level requests a skill level"),
			quote_value(s, v, sizeof v));
	return rc;
}

static struct gt_span field_of(const struct gt_header *h, const struct gt_span *fields, int col)
{
	struct gt_span none = { "", 0 };
	return h->pos[col] >= 0 ? fields[h->pos[col]] : none;
}

int gt_case_parse_reference(struct gt_case *c, const struct gt_header *h,
			    const struct gt_span *f, int nfields, gt_date as_of,
			    struct gt_row_error *err)
{
	char v[48];
	int i;
	uint32_t m;

	gt_case_init(c);
	err->column = -1;
	err->msg[0] = '\0';
	if (nfields != h->nfields)
		return fail(err, -1,
			    gt_ngettext("the row has %d field but the header has %d",
					"the row has %d fields but the header has %d", (unsigned long)nfields),
			    nfields, h->nfields);

#define F(col) field_of(h, f, col)
	/* The application date first: the other dates are judged against it. */
	if (parse_date(F(GT_COL_APPLICATION_DATE), GT_COL_APPLICATION_DATE, false, GT_DATE_NONE,
		       &c->application_date, err) < 0)
		return -1;
	if (c->application_date == GT_DATE_NONE)
		c->application_date = as_of;
	if (c->application_date == GT_DATE_NONE)
		return fail(err, GT_COL_APPLICATION_DATE, _("a value is required"));
	gt_date app = c->application_date;

	if (parse_text(F(GT_COL_CASE_REF), GT_COL_CASE_REF, c->case_ref, false, err) < 0 ||
	    parse_text(F(GT_COL_NAME), GT_COL_NAME, c->name, true, err) < 0)
		return -1;

	struct gt_span id = trim(F(GT_COL_ID_NUMBER));
	if (id.n == 0)
		return fail(err, GT_COL_ID_NUMBER, _("a value is required"));
	switch (gt_id_validate(id.p, id.n, c->id_number, &c->birth_date)) {
	case GT_ID_OK:
		break;
	case GT_ID_LENGTH:
		return fail(err, GT_COL_ID_NUMBER, _("\"%s\" has %zu characters; an identity number has 18"),
			    quote_value(id, v, sizeof v), utf8_chars(id.p, id.n));
	case GT_ID_CHARS:
		return fail(err, GT_COL_ID_NUMBER, _("\"%s\" must be 17 digits and a digit or X"),
			    quote_value(id, v, sizeof v));
	case GT_ID_CHECK: {
		/* The grouped form (6-8-4) has its digits at other places. A
		 * mistyped character may be any of the 18, so the message says
		 * what the number reads as, to compare with the card, and never
		 * which last character would make it check (issue 17). */
		char d[17], birth[11] = "?", area[160];
		bool grouped = id.n == 20;
		for (int k = 0; k < 17; k++)
			d[k] = id.p[grouped ? k + (k >= 6) + (k >= 14) : k];
		struct gt_id_info info;
		gt_id_decode(d, 17, &info);
		if (info.birth != GT_DATE_NONE)
			gt_date_format(info.birth, birth);
		const struct gt_id_area *a = info.city ? info.city : info.province;
		if (a)
			snprintf(area, sizeof area, "%s", gt_names_zh() ? a->zh : a->en);
		else
			snprintf(area, sizeof area, _("no province has the code %.2s"), info.area);
		return fail(err, GT_COL_ID_NUMBER,
			    _("\"%s\" does not check: a character is mistyped; it reads born %s, %s, issued in %s (%s): compare it with the card"),
			    quote_value(id, v, sizeof v), birth, info.sex == 1 ? _("male") : _("female"), area,
			    info.area);
	}
	case GT_ID_BIRTH_DATE:
		return fail(err, GT_COL_ID_NUMBER, _("\"%s\": characters 7-14 are not a real birth date"),
			    quote_value(id, v, sizeof v));
	}
	if (c->birth_date > app) {
		char a[11];
		gt_date_format(app, a);
		return fail(err, GT_COL_ID_NUMBER, _("the birth date in \"%s\" is after the application date %s"),
			    c->id_number, a);
	}

	if (parse_code(&gt_regions, F(GT_COL_REGION), GT_COL_REGION, true, 0, &i, err) < 0)
		return -1;
	c->region = (uint8_t)i;
	if (parse_code(&gt_directions, F(GT_COL_DIRECTION), GT_COL_DIRECTION, true, 0, &i, err) < 0)
		return -1;
	c->direction = (uint8_t)i;
	if (parse_code(&gt_series_codes, F(GT_COL_SERIES), GT_COL_SERIES, true, 0, &i, err) < 0)
		return -1;
	c->series = (uint8_t)i;

	struct gt_span occ = trim(F(GT_COL_OCCUPATION_CODE));
	if (occ.n > GT_OCCUPATION_MAX)
		return fail(err, GT_COL_OCCUPATION_CODE, _("longer than %d characters"), GT_OCCUPATION_MAX);
	for (size_t k = 0; k < occ.n; k++) {
		char ch = occ.p[k];
		if (!((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || ch == '-'))
			return fail(err, GT_COL_OCCUPATION_CODE,
				    _("\"%s\" is not an occupation code such as 6-31-03"),
				    quote_value(occ, v, sizeof v));
	}
	memcpy(c->occupation_code, occ.p, occ.n);
	c->occupation_code[occ.n] = '\0';

	if (parse_level(F(GT_COL_SKILL_LEVEL), GT_COL_SKILL_LEVEL, false, &i, err) < 0)
		return -1;
	c->skill = (uint8_t)i;
	int rc = parse_date(F(GT_COL_SKILL_DATE), GT_COL_SKILL_DATE, c->skill != GT_SKILL_NONE, app,
			    &c->skill_date, err);
	if (rc == -2)
		return fail(err, GT_COL_SKILL_DATE, _("required when a skill level is held"));
	if (rc < 0)
		return -1;
	if (parse_level(F(GT_COL_TITLE_LEVEL), GT_COL_TITLE_LEVEL, true, &i, err) < 0)
		return -1;
	c->title = (uint8_t)i;
	rc = parse_date(F(GT_COL_TITLE_DATE), GT_COL_TITLE_DATE, c->title != GT_TITLE_NONE, app,
			&c->title_date, err);
	if (rc == -2)
		return fail(err, GT_COL_TITLE_DATE, _("required when a title is held"));
	if (rc < 0)
		return -1;

	if (parse_bool(F(GT_COL_RELATED), GT_COL_RELATED, true, &c->related, err) < 0 ||
	    parse_date(F(GT_COL_WORK_START), GT_COL_WORK_START, false, app, &c->work_start, err) < 0)
		return -1;

	struct gt_span ap = trim(F(GT_COL_APPRAISALS_PASSED));
	if (ap.n == 0)
		c->appraisals = -1;
	else if (ap.n == 1 && ap.p[0] >= '0' && ap.p[0] <= '3')
		c->appraisals = (int8_t)(ap.p[0] - '0');
	else
		return fail(err, GT_COL_APPRAISALS_PASSED, _("\"%s\" is not a number from 0 to 3"),
			    quote_value(ap, v, sizeof v));

	if (parse_bool(F(GT_COL_FRONTLINE), GT_COL_FRONTLINE, false, &c->frontline, err) < 0 ||
	    parse_bool(F(GT_COL_EMPLOYED_IN_REGION), GT_COL_EMPLOYED_IN_REGION, true,
		       &c->employed_in_region, err) < 0 ||
	    parse_bool(F(GT_COL_SELF_EMPLOYED), GT_COL_SELF_EMPLOYED, false, &c->self_employed, err) < 0 ||
	    parse_date(F(GT_COL_REGION_WORK_START), GT_COL_REGION_WORK_START, false, app,
		       &c->region_work_start, err) < 0 ||
	    parse_bool(F(GT_COL_PILOT_ENTERPRISE), GT_COL_PILOT_ENTERPRISE, false,
		       &c->pilot_enterprise, err) < 0)
		return -1;

	char folded[2048];
	if (parse_mask(&gt_honours, fold_list(F(GT_COL_HONORS), folded, sizeof folded), GT_COL_HONORS, &m, err) < 0)
		return -1;
	c->honours = m;
	if (parse_comps(fold_list(F(GT_COL_COMPETITIONS), folded, sizeof folded), c, err) < 0)
		return -1;

	if (parse_bool(F(GT_COL_DIPLOMA_RELATED), GT_COL_DIPLOMA_RELATED, false,
		       &c->diploma_related, err) < 0)
		return -1;
	if (parse_code(&gt_schools, F(GT_COL_TECH_SCHOOL_CLASS), GT_COL_TECH_SCHOOL_CLASS, false,
		       GT_SCHOOL_NONE, &i, err) < 0)
		return -1;
	c->tech_school = (uint8_t)i;
	if (parse_bool(F(GT_COL_INTEGRITY_FLAG), GT_COL_INTEGRITY_FLAG, false, &c->integrity_flag, err) < 0 ||
	    parse_bool(F(GT_COL_PUBLIC_INSTITUTION_WORKER), GT_COL_PUBLIC_INSTITUTION_WORKER, false,
		       &c->public_institution_worker, err) < 0)
		return -1;
	if (parse_mask(&gt_evidence_codes, fold_list(F(GT_COL_EVIDENCE), folded, sizeof folded), GT_COL_EVIDENCE,
		       &m, err) < 0)
		return -1;
	c->evidence = (uint16_t)m;

	struct gt_span req = trim(F(GT_COL_REQUESTED_LEVEL));
	if (req.n) {
		if (parse_level(req, GT_COL_REQUESTED_LEVEL, c->direction == GT_DIR_SKILL_TO_TITLE,
				&i, err) < 0)
			return -1;
		if (i == 0)
			return fail(err, GT_COL_REQUESTED_LEVEL, _("\"none\" is not a level one can apply for"));
		c->requested = (int8_t)i;
	}
#undef F
	return gt_case_validate(c, err);
}

/* ---- The fast path: a row as files commonly hold it ----
 * The same columns read the same way as gt_case_parse_reference, but with no
 * error to word: each reader says only whether its cell is plain and valid.
 * On the first that is not (an error, or something it leaves to the
 * reference, such as a list typed with full-width punctuation), the row is
 * read again by the reference, which finds and words the error; so both give
 * the same case and the same error for every row (test_case and fuzz_case
 * compare them). */

/* The fast path's readers are inlined into both of its versions (with and
 * without trimming), whatever their size. */
#define FAST_INLINE static inline __attribute__((always_inline))

/* A cell trimmed, unless the row is known to have no blanks at all. */
static inline struct gt_span cell(struct gt_span s, bool blanks)
{
	return blanks ? trim(s) : s;
}

FAST_INLINE bool fast_text(struct gt_span s, char *dst, bool required, bool blanks)
{
	size_t chars;
	bool control;
	if (s.n == 0) {
		dst[0] = '\0';
		return !required;
	}
#ifdef __SSE2__
	/* a short text loaded once, checked and stored as one block (dst has
	 * room for 16 bytes and more; the block is zero past the text) */
	_Static_assert(GT_TEXT_MAX_BYTES + 1 >= 16, "a text's buffer holds a block");
	if (s.n <= 16) {
		__m128i v = gt_load16(s.p, s.n);
		if ((required && cell(s, blanks).n == 0) || !gt_utf8_cjk16_block(v, s.n, &chars, &control) ||
		    control)
			goto bytewise;
		_mm_storeu_si128((__m128i *)(void *)dst, v);
		dst[s.n] = '\0';
		return true;
	}
bytewise:
#endif
	if ((required && cell(s, blanks).n == 0) || !text_scan(s, &chars, &control) || control ||
	    chars > GT_TEXT_MAX_CHARS || s.n > GT_TEXT_MAX_BYTES)
		return false;
	memcpy(dst, s.p, s.n);
	dst[s.n] = '\0';
	return true;
}

/* A code column; an empty cell is dflt, or invalid when dflt < 0. */
FAST_INLINE bool fast_code(const struct gt_code_table *t, struct gt_span s, int dflt, uint8_t *out,
			  bool blanks)
{
	s = cell(s, blanks);
	int i = s.n ? gt_code_find(t, s.p, s.n) : dflt;
	*out = (uint8_t)i;
	return i >= 0;
}

/* Whether s[0..n) is the n bytes of lit, compared in line (a memcmp of a
 * length the compiler knows may still be a library call). */
static inline bool span_is(struct gt_span s, const char *lit, size_t n)
{
	if (s.n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s.p[i] != lit[i])
			return false;
	return true;
}

static inline bool is_chuji(struct gt_span s)
{
	return span_is(s, "初级", 6);
}

FAST_INLINE bool fast_level(struct gt_span s, bool title, uint8_t *out, bool blanks)
{
	return !is_chuji(cell(s, blanks)) &&
	       fast_code(title ? &gt_title_levels : &gt_skill_levels, s, -1, out, blanks);
}

FAST_INLINE bool fast_bool(struct gt_span s, bool dflt, bool *out, bool blanks)
{
	s = cell(s, blanks);
	if (s.n == 0)
		*out = dflt;
	else if (span_is(s, "yes", 3))
		*out = true;
	else if (span_is(s, "no", 2))
		*out = false;
	else
		return false;
	return true;
}

/* A date column, not after the application date app; an empty cell is
 * GT_DATE_NONE, or invalid when required. */
FAST_INLINE bool fast_date(struct gt_span s, bool required, gt_date app, gt_date *out, bool blanks)
{
	s = cell(s, blanks);
	if (s.n == 0) {
		*out = GT_DATE_NONE;
		return !required;
	}
	return gt_case_date_parse(s.p, s.n, out) == 0 && *out <= app;
}

/* One item of a list cell (between ';'s): trimmed, and skipped when empty. */
static inline bool mask_item(const struct gt_code_table *t, const char *p, size_t n, uint32_t *mask,
			     bool blanks)
{
	struct gt_span item = cell((struct gt_span){ p, n }, blanks);
	if (item.n == 0)
		return true;
	int i = gt_code_find(t, item.p, item.n);
	if (i < 0)
		return false;
	*mask |= 1u << i;
	return true;
}

/* The bytes of an occupation code: digits, upper-case letters and '-'. */
static const bool occupation_byte[256] = {
	['-'] = true,
	['0'] = true, ['1'] = true, ['2'] = true, ['3'] = true, ['4'] = true, ['5'] = true, ['6'] = true,
	['7'] = true, ['8'] = true, ['9'] = true,
	['A'] = true, ['B'] = true, ['C'] = true, ['D'] = true, ['E'] = true, ['F'] = true, ['G'] = true,
	['H'] = true, ['I'] = true, ['J'] = true, ['K'] = true, ['L'] = true, ['M'] = true, ['N'] = true,
	['O'] = true, ['P'] = true, ['Q'] = true, ['R'] = true, ['S'] = true, ['T'] = true, ['U'] = true,
	['V'] = true, ['W'] = true, ['X'] = true, ['Y'] = true, ['Z'] = true,
};

/* An occupation code's cell (at most GT_OCCUPATION_MAX bytes) into dst when
 * every byte is an occupation_byte. A code of at most 16 bytes is loaded,
 * checked and stored as one block (dst has room for 16 bytes and more). */
static inline bool fast_occupation_bytewise(struct gt_span s, char *dst)
{
	unsigned bad = 0; /* the byte classes of the whole code at once: no early exit */
	for (size_t k = 0; k < s.n; k++)
		bad |= !occupation_byte[(unsigned char)s.p[k]];
	if (bad)
		return false;
	memcpy(dst, s.p, s.n);
	dst[s.n] = '\0';
	return true;
}

static inline bool fast_occupation(struct gt_span s, char *dst)
{
#ifdef __SSE2__
	_Static_assert(GT_OCCUPATION_MAX + 1 >= 16, "the code's buffer holds a block");
	if (s.n <= 16) {
		__m128i v = gt_load16(s.p, s.n);
		/* '-', '0'..'9', 'A'..'Z' by signed compares (bytes above 0x7F are
		 * negative: none of them) */
		__m128i ok = _mm_or_si128(
			_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('-')),
				     _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
						   _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)))),
			_mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('A' - 1)),
				      _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1))));
		unsigned valid = (1u << s.n) - 1;
		if (((unsigned)_mm_movemask_epi8(ok) & valid) != valid)
			return false;
		_mm_storeu_si128((__m128i *)(void *)dst, v);
		dst[s.n] = '\0';
		return true;
	}
#endif
	return fast_occupation_bytewise(s, dst);
}

bool gt_case_occupation_check(const char *p, size_t n, char *dst, bool bytewise)
{
	struct gt_span s = { p, n };
	return bytewise ? fast_occupation_bytewise(s, dst) : fast_occupation(s, dst);
}

#define MASK_FAST_MAX 256 /* bytes of a list cell read by fast_mask */

/* A list cell of codes. An ASCII cell of at most MASK_FAST_MAX bytes is read
 * here: copied into a block-padded buffer, its ';'s found 16 bytes a step
 * (a bit each), its items looked up by the index. Anything else (a Chinese
 * spelling, full-width punctuation to fold, a longer cell) is read by the
 * reference's readers, an error there making the row the reference's. */
static inline bool fast_mask(const struct gt_code_table *t, struct gt_span s, int col, uint32_t *mask,
			     bool blanks)
{
	*mask = 0;
	if (s.n == 0 || (s.n <= MASK_FAST_MAX && gt_code_list_exact(t, s.p, s.n, mask)))
		return true;
	uint64_t semi[MASK_FAST_MAX / 64] = { 0 };
	char b[MASK_FAST_MAX + 16] __attribute__((aligned(16)));
	bool ascii = s.n <= MASK_FAST_MAX;
	if (ascii) {
		/* The block the cell ends in, zero past its end: no ';', no high bit. */
		memset(b + (s.n & ~(size_t)15), 0, 16);
		memcpy(b, s.p, s.n);
#ifdef __SSE2__
		const __m128i sc = _mm_set1_epi8(';');
		unsigned high = 0;
		for (size_t k = 0; k < s.n; k += 16) {
			__m128i v = _mm_load_si128((const __m128i *)(const void *)(b + k));
			semi[k / 64] |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, sc)) << (k % 64);
			high |= (unsigned)_mm_movemask_epi8(v);
		}
		ascii = high == 0;
#else
		for (size_t k = 0; k < s.n; k++) {
			semi[k / 64] |= (uint64_t)(b[k] == ';') << (k % 64);
			ascii &= (unsigned char)b[k] < 0x80;
		}
#endif
	}
	if (!ascii) {
		char folded[2048];
		struct gt_row_error scratch;
		return parse_mask(t, fold_list(s, folded, sizeof folded), col, mask, &scratch) == 0;
	}
	/* the items before each ';', in the words the cell's bytes fill, then
	 * the last one */
	size_t from = 0;
	for (size_t w = 0; w < (s.n + 63) / 64; w++)
		for (uint64_t m = semi[w]; m; m &= m - 1) {
			size_t to = 64 * w + (size_t)__builtin_ctzll(m);
			if (!mask_item(t, b + from, to - from, mask, blanks))
				return false;
			from = to + 1;
		}
	return mask_item(t, b + from, s.n - from, mask, blanks);
}

/* The fast path; `blanks` false when the CSV reader found no byte below
 * ',' in the row but commas (rec->blanks): no cell is then trimmed;
 * `canon` when the header has the input columns in the spec's order and
 * nothing else (header_canonical): a column's cell is then read at its
 * fixed place, with no look-up in the header. */
FAST_INLINE bool parse_fast_with(struct gt_case *c, const struct gt_header *h, const struct gt_span *f,
				 gt_date as_of, bool blanks, bool canon)
{
#define F(col) (canon ? f[col] : field_of(h, f, col))
	case_init_fields(c);
	struct gt_span s = cell(F(GT_COL_APPLICATION_DATE), blanks);
	if (s.n == 0)
		c->application_date = as_of;
	else if (gt_case_date_parse(s.p, s.n, &c->application_date) != 0)
		return false;
	gt_date app = c->application_date;
	if (app == GT_DATE_NONE)
		return false;

	if (!fast_text(F(GT_COL_CASE_REF), c->case_ref, false, blanks) ||
	    !fast_text(F(GT_COL_NAME), c->name, true, blanks))
		return false;
	s = cell(F(GT_COL_ID_NUMBER), blanks);
	if (s.n == 0 || gt_id_validate(s.p, s.n, c->id_number, &c->birth_date) != GT_ID_OK ||
	    c->birth_date > app)
		return false;
	if (!fast_code(&gt_regions, F(GT_COL_REGION), -1, &c->region, blanks) ||
	    !fast_code(&gt_directions, F(GT_COL_DIRECTION), -1, &c->direction, blanks) ||
	    !fast_code(&gt_series_codes, F(GT_COL_SERIES), -1, &c->series, blanks))
		return false;

	s = cell(F(GT_COL_OCCUPATION_CODE), blanks);
	if (s.n > GT_OCCUPATION_MAX)
		return false;
	if (!fast_occupation(s, c->occupation_code))
		return false;

	if (!fast_level(F(GT_COL_SKILL_LEVEL), false, &c->skill, blanks) ||
	    !fast_date(F(GT_COL_SKILL_DATE), c->skill != GT_SKILL_NONE, app, &c->skill_date, blanks) ||
	    !fast_level(F(GT_COL_TITLE_LEVEL), true, &c->title, blanks) ||
	    !fast_date(F(GT_COL_TITLE_DATE), c->title != GT_TITLE_NONE, app, &c->title_date, blanks) ||
	    !fast_bool(F(GT_COL_RELATED), true, &c->related, blanks) ||
	    !fast_date(F(GT_COL_WORK_START), false, app, &c->work_start, blanks))
		return false;

	s = cell(F(GT_COL_APPRAISALS_PASSED), blanks);
	if (s.n == 1 && s.p[0] >= '0' && s.p[0] <= '3')
		c->appraisals = (int8_t)(s.p[0] - '0');
	else if (s.n)
		return false;

	uint32_t m;
	if (!fast_bool(F(GT_COL_FRONTLINE), false, &c->frontline, blanks) ||
	    !fast_bool(F(GT_COL_EMPLOYED_IN_REGION), true, &c->employed_in_region, blanks) ||
	    !fast_bool(F(GT_COL_SELF_EMPLOYED), false, &c->self_employed, blanks) ||
	    !fast_date(F(GT_COL_REGION_WORK_START), false, app, &c->region_work_start, blanks) ||
	    !fast_bool(F(GT_COL_PILOT_ENTERPRISE), false, &c->pilot_enterprise, blanks) ||
	    !fast_mask(&gt_honours, F(GT_COL_HONORS), GT_COL_HONORS, &m, blanks))
		return false;
	c->honours = m;
	s = F(GT_COL_COMPETITIONS);
	if (s.n) {
		char folded[2048];
		struct gt_row_error scratch;
		if (parse_comps(fold_list(s, folded, sizeof folded), c, &scratch) < 0)
			return false;
	}
	if (!fast_bool(F(GT_COL_DIPLOMA_RELATED), false, &c->diploma_related, blanks) ||
	    !fast_code(&gt_schools, F(GT_COL_TECH_SCHOOL_CLASS), GT_SCHOOL_NONE, &c->tech_school, blanks) ||
	    !fast_bool(F(GT_COL_INTEGRITY_FLAG), false, &c->integrity_flag, blanks) ||
	    !fast_bool(F(GT_COL_PUBLIC_INSTITUTION_WORKER), false, &c->public_institution_worker, blanks) ||
	    !fast_mask(&gt_evidence_codes, F(GT_COL_EVIDENCE), GT_COL_EVIDENCE, &m, blanks))
		return false;
	c->evidence = (uint16_t)m;

	s = cell(F(GT_COL_REQUESTED_LEVEL), blanks);
	if (s.n) {
		uint8_t level;
		if (!fast_level(s, c->direction == GT_DIR_SKILL_TO_TITLE, &level, blanks) || level == 0)
			return false;
		c->requested = (int8_t)level;
	}
#undef F
	struct gt_row_error scratch;
	return gt_case_validate(c, &scratch) == 0;
}

static bool parse_fast(struct gt_case *c, const struct gt_header *h, const struct gt_span *f, gt_date as_of)
{
	return parse_fast_with(c, h, f, as_of, true, false);
}

static bool parse_fast_plain(struct gt_case *c, const struct gt_header *h, const struct gt_span *f,
			     gt_date as_of)
{
	return parse_fast_with(c, h, f, as_of, false, false);
}

static bool parse_fast_canon(struct gt_case *c, const struct gt_header *h, const struct gt_span *f,
			     gt_date as_of)
{
	return parse_fast_with(c, h, f, as_of, true, true);
}

static bool parse_fast_plain_canon(struct gt_case *c, const struct gt_header *h, const struct gt_span *f,
				   gt_date as_of)
{
	return parse_fast_with(c, h, f, as_of, false, true);
}

/* Whether the header is the spec's own: every input column, in its order,
 * and nothing else (what export and gen_cases write). */
static bool header_canonical(const struct gt_header *h)
{
	static const int16_t order[GT_COL_COUNT] = {
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
		24, 25, 26, 27,
	};
	_Static_assert(GT_COL_COUNT == 28, "the table above lists every column");
	return h->nfields == GT_COL_COUNT && memcmp(h->pos, order, sizeof order) == 0;
}

/* The fast path for the header and the row's cells (`blanks`: some cell
 * may need trimming). */
static bool parse_fast_any(struct gt_case *c, const struct gt_header *h, const struct gt_span *f,
			   int nfields, gt_date as_of, bool blanks)
{
	if (nfields != h->nfields)
		return false;
	if (header_canonical(h))
		return blanks ? parse_fast_canon(c, h, f, as_of) : parse_fast_plain_canon(c, h, f, as_of);
	return blanks ? parse_fast(c, h, f, as_of) : parse_fast_plain(c, h, f, as_of);
}

bool gt_case_parse_fast(struct gt_case *c, const struct gt_header *h, const struct gt_span *f, int nfields,
			gt_date as_of)
{
	return parse_fast_any(c, h, f, nfields, as_of, true);
}

int gt_case_parse(struct gt_case *c, const struct gt_header *h, const struct gt_span *f, int nfields,
		  gt_date as_of, struct gt_row_error *err)
{
	if (parse_fast_any(c, h, f, nfields, as_of, true)) {
		err->column = -1;
		err->msg[0] = '\0';
		return 0;
	}
	return gt_case_parse_reference(c, h, f, nfields, as_of, err);
}

int gt_case_parse_record(struct gt_case *c, const struct gt_header *h, const struct gt_csv_record *rec,
			 gt_date as_of, struct gt_row_error *err)
{
	if (parse_fast_any(c, h, rec->fields, rec->nfields, as_of, rec->blanks)) {
		err->column = -1;
		err->msg[0] = '\0';
		return 0;
	}
	return gt_case_parse_reference(c, h, rec->fields, rec->nfields, as_of, err);
}

int gt_case_validate(const struct gt_case *c, struct gt_row_error *err)
{
	if (c->region >= GT_REGION_COUNT)
		return fail(err, GT_COL_REGION, _("unknown region"));
	if (c->direction >= GT_DIR_COUNT)
		return fail(err, GT_COL_DIRECTION, _("unknown direction"));
	if (c->series >= GT_SERIES_COUNT)
		return fail(err, GT_COL_SERIES, _("unknown series"));
	if (c->application_date == GT_DATE_NONE)
		return fail(err, GT_COL_APPLICATION_DATE, _("a value is required"));
	if (c->skill != GT_SKILL_NONE && c->skill_date == GT_DATE_NONE)
		return fail(err, GT_COL_SKILL_DATE, _("required when a skill level is held"));
	if (c->title != GT_TITLE_NONE && c->title_date == GT_DATE_NONE)
		return fail(err, GT_COL_TITLE_DATE, _("required when a title is held"));
	return 0;
}
