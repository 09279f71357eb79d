/* Text made safe for a terminal: stored or input text (names, notes,
 * case_ref, CSV cells) is shown with every character that could move the
 * cursor, change the terminal's state, reorder the line or hide itself made
 * visible, never passed through. Pure text: the core has no terminal, the
 * batch commands and the workstation both classify with this module. */
#ifndef GT_VIS_H
#define GT_VIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gt_text.h"

enum gt_vis_class {
	GT_VIS_PRINT,     /* shown as it is */
	GT_VIS_CONTROL,   /* C0, DEL, C1, U+2028/U+2029: would act on the terminal */
	GT_VIS_BIDI,      /* bidi embeddings, overrides, isolates and marks */
	GT_VIS_INVISIBLE, /* zero-width and other characters that show nothing */
};

/* The class of one code point. */
enum gt_vis_class gt_vis_class(uint32_t cp);

/* Decodes one UTF-8 character of s[0..n) (n >= 1): returns its length and
 * sets *cp, or returns 0 when the bytes at s are not valid UTF-8 (overlong,
 * surrogate, above U+10FFFF, cut short). */
size_t gt_utf8_decode(const char *s, size_t n, uint32_t *cp);

enum {
	GT_VIS_KEEP_NL = 1u << 0, /* a line feed stays a line feed (multi-line text) */
};

/* The visible form: \n \r \t for those three (unless kept), \xNN for any
 * other C0 byte, DEL and every byte that is not valid UTF-8, <U+XXXX> for C1
 * controls, bidi and invisible characters. Everything else, Chinese
 * included, is unchanged. */
void gt_vis_sb(struct gt_sb *sb, const char *s, size_t n, unsigned flags);
/* Into a new string (malloc; NULL when out of memory). */
char *gt_vis_dup(const char *s, size_t n, unsigned flags);
/* To a stream; returns 0, or EOF on a write error. */
int gt_vis_fwrite(const char *s, size_t n, unsigned flags, FILE *f);
/* True when s[0..n) would be shown exactly as it is. */
bool gt_vis_is_plain(const char *s, size_t n, unsigned flags);

#endif
