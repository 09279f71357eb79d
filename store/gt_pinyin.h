/* The pinyin of a name by ICU's "Han-Latin; Latin-ASCII; Lower" transform,
 * and what a table of single characters needs from it (store/gt_pinyin.c):
 * shared by the store (store/gt_keys.c) and by the program that writes the
 * table at build time (store/gen/gen_pinyin.c), so that both read ICU's
 * rules the same way. */
#ifndef GT_PINYIN_H
#define GT_PINYIN_H

#include <stdbool.h>
#include <stdint.h>

#include <unicode/uset.h>
#include <unicode/utrans.h>

#define GT_PY_MAX 8 /* a syllable and its closing 0: "zhuang" is the longest */

/* ICU's side: the transform and what its rules say of the table. */
struct gt_py_icu {
	UTransliterator *trans; /* "Han-Latin; Latin-ASCII; Lower" */
	USet *context;          /* characters read in context: their names go through ICU whole */
	USet *named;            /* every character the context rules name */
	bool usable;            /* the rules are as the table needs them */
};

/* Opens the transform (about a billion instructions: Han-Latin's rules are
 * compiled) and reads Han-Latin's context rules; -1 without the transform. */
int gt_py_icu_open(struct gt_py_icu *p);
void gt_py_icu_close(struct gt_py_icu *p);
/* The transform of u[0..n) into UTF-8 out; -1 when it does not fit. */
int gt_py_icu_whole(UTransliterator *trans, const UChar *u, int32_t n, char *out, int32_t size);
/* Character c's syllable into py, " " for a character that joins the
 * parts of a name (the middle dot) and that the transform leaves as a
 * space between syllables, or "" when a name holding it must go through
 * ICU whole (not an ideograph of one plain syllable, or read in context). */
void gt_py_icu_char(const struct gt_py_icu *p, UChar32 c, char py[GT_PY_MAX]);
/* The transform of the n characters cs as n plain syllables, one a
 * character, into out; -1 when it is anything else. */
int gt_py_icu_syllables(const struct gt_py_icu *p, const UChar32 *cs, int n, char (*out)[GT_PY_MAX]);

/* A character read in context (Han-Latin's "{重}' '?庆 > chóng"): its
 * syllable before the character next (0: before any other, or at the end). */
struct gt_py_pair {
	uint32_t c, next;
	char py[GT_PY_MAX];
};

/* The table written at build time from the same ICU (gt_pinyin_table.c,
 * made by gen_pinyin): for each page of 256 code points its row in
 * gt_py_table_rows (0: none, every character there goes through ICU
 * whole), each entry an index into gt_py_table_syllables (0: through ICU
 * whole). Used only when the ICU at run time is the version it was made
 * from. */
extern const char gt_py_table_icu[];
extern const bool gt_py_table_usable;
extern const char gt_py_table_syllables[][GT_PY_MAX];
extern const uint16_t gt_py_table_page[0x110000 >> 8];
extern const uint16_t gt_py_table_rows[][256];
extern const uint32_t gt_py_table_context[], gt_py_table_named[];
extern const int gt_py_table_context_count, gt_py_table_named_count;
/* The context characters whose reading depends on the next character
 * alone (checked against ICU before and after every ideograph of the
 * table): a name holding them needs no transform. */
extern const struct gt_py_pair gt_py_table_pairs[];
extern const int gt_py_table_pairs_count;

#endif
