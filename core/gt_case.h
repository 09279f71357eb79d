/* An applicant case: the input row of the case CSV contract, parsed and validated. */
#ifndef GT_CASE_H
#define GT_CASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gt_codes.h"
#include "gt_date.h"

#define GT_MAX_COMPS 16
#define GT_TEXT_MAX_CHARS 64   /* case_ref and name, in characters */
#define GT_TEXT_MAX_BYTES (GT_TEXT_MAX_CHARS * 4)
#define GT_OCCUPATION_MAX 32

struct gt_comp_entry {
	uint8_t comp;      /* gt_comp */
	uint8_t result;    /* gt_result */
	uint8_t role;      /* gt_role */
	uint8_t team_size; /* 1..3 */
	uint16_t rank;     /* for GT_RES_RANK; medals are ranked 1-3 here too, prizes 0 */
};

/* Tri-state yes/no flags are plain bools: every flag column has a default. */
struct gt_case {
	char case_ref[GT_TEXT_MAX_BYTES + 1];
	char name[GT_TEXT_MAX_BYTES + 1];
	char id_number[19];
	char occupation_code[GT_OCCUPATION_MAX + 1];
	gt_date birth_date;

	uint8_t region;      /* gt_region */
	uint8_t direction;   /* gt_direction */
	uint8_t series;      /* gt_series */
	uint8_t skill;       /* gt_skill */
	uint8_t title;       /* gt_title */
	uint8_t tech_school; /* gt_school */
	int8_t appraisals;   /* 0..3, or -1 when blank (not yet shown) */
	int8_t requested;    /* gt_skill or gt_title by direction, -1 when blank */

	bool related, frontline, employed_in_region, self_employed, pilot_enterprise;
	bool diploma_related, integrity_flag, public_institution_worker;

	gt_date skill_date, title_date, work_start, region_work_start, application_date;

	uint32_t honours;  /* bit per gt_honour */
	uint16_t evidence; /* bit per gt_evidence */
	uint8_t ncomps;
	struct gt_comp_entry comps[GT_MAX_COMPS];
};

/* The input columns, in the order of the spec's input table. */
typedef enum {
	GT_COL_CASE_REF, GT_COL_NAME, GT_COL_ID_NUMBER, GT_COL_REGION, GT_COL_DIRECTION,
	GT_COL_SERIES, GT_COL_OCCUPATION_CODE, GT_COL_SKILL_LEVEL, GT_COL_SKILL_DATE,
	GT_COL_TITLE_LEVEL, GT_COL_TITLE_DATE, GT_COL_RELATED, GT_COL_WORK_START,
	GT_COL_APPRAISALS_PASSED, GT_COL_FRONTLINE, GT_COL_EMPLOYED_IN_REGION,
	GT_COL_SELF_EMPLOYED, GT_COL_REGION_WORK_START, GT_COL_PILOT_ENTERPRISE,
	GT_COL_HONORS, GT_COL_COMPETITIONS, GT_COL_DIPLOMA_RELATED,
	GT_COL_TECH_SCHOOL_CLASS, GT_COL_INTEGRITY_FLAG, GT_COL_PUBLIC_INSTITUTION_WORKER,
	GT_COL_EVIDENCE, GT_COL_REQUESTED_LEVEL, GT_COL_APPLICATION_DATE,
	GT_COL_COUNT
} gt_column;

extern const char *const gt_column_names[GT_COL_COUNT];
bool gt_column_required(gt_column c);

/* Where each input column sits in a file's rows (-1: absent). Columns other
 * than the input ones are allowed only when `extra_ok` (import of an export). */
struct gt_header {
	int16_t pos[GT_COL_COUNT];
	int nfields;
};

/* A text span: not NUL-terminated. */
struct gt_span {
	const char *p;
	size_t n;
};

/* Maps a header row; on error fills msg (which column, why) and returns -1. */
int gt_header_parse(struct gt_header *h, const struct gt_span *fields, int nfields,
		    const char *const *extra_allowed, int nextra, char *msg, size_t msgsz);

/* A reason a row is invalid: the column and a message. */
struct gt_row_error {
	int column; /* gt_column, or -1 for the row as a whole */
	char msg[256];
};

/* Parses one data row into c. `as_of` is the default application date.
 * Returns 0, or -1 with err filled (the first problem found). */
int gt_case_parse(struct gt_case *c, const struct gt_header *h,
		  const struct gt_span *fields, int nfields, gt_date as_of,
		  struct gt_row_error *err);

/* gt_case_parse by the reader that words every error, column by column in a
 * fixed order; gt_case_parse reads a plain row by a faster path and gives it
 * any other. The tests and fuzz_case hold the two equal. */
int gt_case_parse_reference(struct gt_case *c, const struct gt_header *h,
			    const struct gt_span *fields, int nfields, gt_date as_of,
			    struct gt_row_error *err);

/* The check of a case_ref or name cell's text (ASCII and U+4000..U+9FFF,
 * else false; its characters and whether it holds a control): by its block
 * path for short texts, or byte by byte, which the tests hold it to. */
bool gt_case_text_scan(const char *p, size_t n, size_t *chars, bool *control, bool bytewise);

/* The fast path's check of an occupation code's cell (digits, upper-case
 * letters, '-'), copied into dst (GT_OCCUPATION_MAX + 1 bytes) when it
 * passes: by its block path for short codes, or byte by byte, for tests. */
bool gt_case_occupation_check(const char *p, size_t n, char *dst, bool bytewise);

struct gt_csv_record;
/* gt_case_parse of a record as the CSV reader gives it: the same case or
 * error, and no cell trimmed when the reader saw no blank in the row
 * (rec->blanks false). */
int gt_case_parse_record(struct gt_case *c, const struct gt_header *h, const struct gt_csv_record *rec,
			 gt_date as_of, struct gt_row_error *err);

/* gt_case_parse's fast path alone: true with c filled when it reads the
 * row, false when it leaves the row to the reference (for the tests, which
 * hold it to the reference and to reading the rows it is meant for). */
bool gt_case_parse_fast(struct gt_case *c, const struct gt_header *h, const struct gt_span *f, int nfields,
			gt_date as_of);

/* "line N, <column's label>: reason" (or "line N: reason" for the row as a
 * whole; without the line when line <= 0, for a case not read from a file).
 * The label is what a person calls the column, never its CSV name. */
size_t gt_row_error_format(const struct gt_row_error *err, long line, char *buf, size_t size);

/* The label of a column, translated ("" for none). */
const char *gt_column_label(int col);

struct gt_csv_record;
/* A record the CSV reader refused (rec->error set): its line, the column's
 * label and number in the file, and the reason. */
size_t gt_csv_error_format(const struct gt_header *h, const struct gt_csv_record *rec, char *buf,
			   size_t size);

/* The default case: every column at its default, region etc. unset (0). */
void gt_case_init(struct gt_case *c);
/* Whether two cases hold the same: their texts up to their ends, every
 * other field, and their competition entries up to ncomps. What lies past a
 * text's NUL or past ncomps is not part of a case: the parser's fast path
 * leaves there what an earlier case left (gt_case_parse). */
bool gt_case_same(const struct gt_case *a, const struct gt_case *b);

/* Checks a filled-in case (used by parse, and by the intake screens later). */
int gt_case_validate(const struct gt_case *c, struct gt_row_error *err);

/* gt_date_parse, with a fast path for the common YYYY-MM-DD (the tests hold
 * it to gt_date_parse). */
int gt_case_date_parse(const char *s, size_t n, gt_date *out);

#endif
