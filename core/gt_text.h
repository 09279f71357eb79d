/* Bounded string building for the core's text (never overflows, truncates
 * on a UTF-8 boundary). */
#ifndef GT_TEXT_H
#define GT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct gt_sb {
	char *p;
	size_t size, len;
	bool truncated;
	bool grow;       /* p is the heap's and grows (gt_sb_heap): never truncated */
};

static inline struct gt_sb gt_sb_make(char *buf, size_t size)
{
	struct gt_sb sb = { buf, size, 0, false, false };
	if (size)
		buf[0] = '\0';
	return sb;
}

/* A builder on the heap that grows as text is added, for text that must be
 * complete (audit records); truncated is set only when memory runs out.
 * Free with gt_sb_free. */
struct gt_sb gt_sb_heap(void);
void gt_sb_free(struct gt_sb *sb);

/* Appends s[0..n): the slow path (growth, truncation on a UTF-8 boundary). */
void gt_sb_add_slow(struct gt_sb *sb, const char *s, size_t n);

/* Copies s[0..n) to d, n in [k, 2k]: its first k bytes and its last k, which
 * overlap in the middle (k a constant: fixed moves, no call). */
static inline void gt_copy_ends(char *d, const char *s, size_t n, size_t k)
{
	char a[16], b[16];
	memcpy(a, s, k);
	memcpy(b, s + n - k, k);
	memcpy(d, a, k);
	memcpy(d + n - k, b, k);
}

/* Copies s[0..n) to d: up to 32 bytes in line (never reading past s + n),
 * more by memcpy. The explanation's pieces are mostly that short, and a
 * call to memcpy was a third of the cost of each of its some four hundred
 * appends a case. */
void gt_copy_long(char *d, const char *s, size_t n);

static inline void gt_copy_short(char *d, const char *s, size_t n)
{
	if (n > 32) {
		gt_copy_long(d, s, n); /* out of line: gcc -O3, inlining this into
					* a caller with a short source, cannot
					* always bound n and warns of an over-read */
	} else if (n >= 16) {
		gt_copy_ends(d, s, n, 16);
	} else if (n >= 8) {
		gt_copy_ends(d, s, n, 8);
	} else if (n >= 4) {
		gt_copy_ends(d, s, n, 4);
	} else if (n) {
		d[0] = s[0];
		d[n / 2] = s[n / 2];
		d[n - 1] = s[n - 1];
	}
}

/* Appends s[0..n). In line, as the explanation's some four hundred short
 * appends a case were a sixth of its time as calls. */
static inline void gt_sb_add_n(struct gt_sb *sb, const char *s, size_t n)
{
	if (!sb->truncated && sb->len + n < sb->size) {
		char *d = sb->p + sb->len;
		gt_copy_short(d, s, n);
		d[n] = '\0';
		sb->len += n;
		return;
	}
	gt_sb_add_slow(sb, s, n);
}

/* Appends s (a literal's length is known when compiling). */
static inline void gt_sb_add(struct gt_sb *sb, const char *s)
{
	gt_sb_add_n(sb, s, strlen(s));
}
void gt_sb_addf(struct gt_sb *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Columns the UTF-8 text takes on a terminal (a CJK character two). */
int gt_text_width(const char *s);
/* Adds s and pads it with spaces to `width` columns. */
void gt_sb_add_padded(struct gt_sb *sb, const char *s, int width);

/* Display names follow the message language: Chinese names when the zh_CN
 * catalogue is in use, else the ASCII codes. Set once by the program. */
void gt_set_names_zh(bool zh);
bool gt_names_zh(void);

/* Full-width punctuation folded to ASCII, white space removed, in place. */
void gt_text_fold(char *s);
/* Full-width ASCII forms (what an IME types: ２０２２、：；) as ASCII, the
 * ideographic space as a space, 、 as sep (kept when sep is 0); s[0..n) into
 * out (NUL-terminated, never a split character). Returns the length. */
size_t gt_text_halfwidth(const char *s, size_t n, char sep, char *out, size_t size);
/* The first fragment of a quoted clause text (between "……") that is not in
 * doc (folded by gt_text_fold), folded into frag; NULL when all are there. */
const char *gt_quote_missing(const char *doc, const char *text, char *frag, size_t size);

/* FNV-1a, 64 bits: h carried on over n bytes of p (start from
 * GT_FNV1A_INIT). A hash for tables and fingerprints, not for security. */
#define GT_FNV1A_INIT 0xcbf29ce484222325ull
static inline uint64_t gt_fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

#endif
