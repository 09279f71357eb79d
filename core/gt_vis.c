/* Text made safe for a terminal (see gt_vis.h).
 *
 * Not libbsd's strnvis: it classifies bytes with the C library's locale (in
 * the C locale every byte of a Chinese name is escaped; in a UTF-8 locale
 * Debian 12's libbsd 0.11.7 cut 魏 into escaped and raw bytes), and it knows
 * nothing of bidi or zero-width characters. This is the same idea — every
 * unsafe unit gets a visible escape — over UTF-8 code points. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <string.h>

#include "gt_vis.h"

enum gt_vis_class gt_vis_class(uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
		return GT_VIS_CONTROL;
	if (cp < 0xA0)
		return GT_VIS_PRINT;
	switch (cp) {
	case 0x2028: case 0x2029:           /* line and paragraph separators */
		return GT_VIS_CONTROL;
	case 0x061C:                        /* Arabic letter mark */
	case 0x200E: case 0x200F:           /* LRM, RLM */
		return GT_VIS_BIDI;
	case 0x00AD:                        /* soft hyphen */
	case 0x034F:                        /* combining grapheme joiner */
	case 0x115F: case 0x1160:           /* Hangul fillers */
	case 0x17B4: case 0x17B5:           /* Khmer inherent vowels */
	case 0x180E:                        /* Mongolian vowel separator */
	case 0x3164: case 0xFFA0:           /* Hangul fillers */
	case 0xFEFF:                        /* zero-width no-break space, BOM */
		return GT_VIS_INVISIBLE;
	default:
		break;
	}
	if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
		return GT_VIS_BIDI;
	if ((cp >= 0x200B && cp <= 0x200D) || (cp >= 0x2060 && cp <= 0x2064) ||
	    (cp >= 0x206A && cp <= 0x206F) || (cp >= 0xFFF9 && cp <= 0xFFFB) ||
	    (cp >= 0xE0000 && cp <= 0xE007F) || (cp >= 0x1BCA0 && cp <= 0x1BCA3))
		return GT_VIS_INVISIBLE;
	return GT_VIS_PRINT;
}

size_t gt_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char c = p[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t len;
	uint32_t v, min;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2, v = c & 0x1F, min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3, v = c & 0x0F, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (p[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

/* The escape for one unit, or NULL when it is shown as it is. */
static const char *vis_escape(const char *s, size_t n, unsigned flags, size_t *len, char buf[16])
{
	uint32_t cp;
	size_t k = gt_utf8_decode(s, n, &cp);
	if (k == 0) {
		*len = 1;
		snprintf(buf, 16, "\\x%02x", (unsigned char)s[0]);
		return buf;
	}
	*len = k;
	if (gt_vis_class(cp) == GT_VIS_PRINT)
		return NULL;
	switch (cp) {
	case '\n':
		return flags & GT_VIS_KEEP_NL ? NULL : "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	default:
		break;
	}
	if (cp < 0x80)
		snprintf(buf, 16, "\\x%02x", (unsigned)cp);
	else
		snprintf(buf, 16, "<U+%04X>", (unsigned)cp);
	return buf;
}

/* The length of the run of printable ASCII (0x20-0x7E) at the start of
 * s[0..n), counted sixteen bytes at a time where it can: most of an
 * explanation is such runs between line breaks. */
static inline size_t ascii_print_run(const char *s, size_t n)
{
	size_t i = 0;
#ifdef __SSE2__
	const __m128i lo = _mm_set1_epi8(0x1F), hi = _mm_set1_epi8(0x7F);
	while (i + 16 <= n) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		/* signed: bytes >= 0x80 are negative, so fail the first test */
		__m128i ok = _mm_and_si128(_mm_cmpgt_epi8(v, lo), _mm_cmplt_epi8(v, hi));
		unsigned m = (unsigned)_mm_movemask_epi8(ok);
		if (m != 0xFFFF)
			return i + (size_t)__builtin_ctz(~m);
		i += 16;
	}
#endif
	while (i < n && (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7F)
		i++;
	return i;
}

/* The length of a plain character at s that needs no decoding: the common
 * cases of a Chinese text, all printable (gt_vis_class has no exception in
 * them): CJK ideographs U+4000-U+9FFF, CJK symbols and kana U+3000-U+30FF,
 * full-width forms U+FF00-U+FF7F. 0 otherwise. */
static inline size_t plain_cjk(const unsigned char *p, size_t n)
{
	if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
		return 0;
	if ((p[0] >= 0xE4 && p[0] <= 0xE9) || (p[0] == 0xE3 && p[1] <= 0x83) ||
	    (p[0] == 0xEF && (p[1] == 0xBC || p[1] == 0xBD)))
		return 3;
	return 0;
}

/* Calls out(text, len, arg) for each run of plain text and each escape. */
static int vis_walk(const char *s, size_t n, unsigned flags, int (*out)(const char *, size_t, void *),
		    void *arg)
{
	size_t from = 0, i = 0;
	char buf[16];
	while (i < n) {
		size_t len;
		const char *e;
		i += ascii_print_run(s + i, n - i);
		if (i >= n)
			break;
		if (s[i] == '\n' && (flags & GT_VIS_KEEP_NL)) {
			i++;
			continue;
		}
		if ((len = plain_cjk((const unsigned char *)s + i, n - i))) {
			i += len;
			continue;
		}
		e = vis_escape(s + i, n - i, flags, &len, buf);
		if (!e) {
			i += len;
			continue;
		}
		if (i > from && out(s + from, i - from, arg) != 0)
			return -1;
		if (out(e, strlen(e), arg) != 0)
			return -1;
		i += len;
		from = i;
	}
	if (n > from && out(s + from, n - from, arg) != 0)
		return -1;
	return 0;
}

static int out_sb(const char *s, size_t n, void *arg)
{
	struct gt_sb *sb = arg;
	char tmp[256];
	while (n) {
		size_t k = n < sizeof tmp - 1 ? n : sizeof tmp - 1;
		memcpy(tmp, s, k);
		tmp[k] = '\0';
		gt_sb_add(sb, tmp);
		s += k;
		n -= k;
	}
	return sb->truncated ? -1 : 0;
}

void gt_vis_sb(struct gt_sb *sb, const char *s, size_t n, unsigned flags)
{
	vis_walk(s, n, flags, out_sb, sb);
}

struct vis_buf {
	char *p;
	size_t len, cap;
};

static int out_buf(const char *s, size_t n, void *arg)
{
	struct vis_buf *b = arg;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap * 2 > b->len + n + 1 ? b->cap * 2 : b->len + n + 1;
		char *p = realloc(b->p, cap);
		if (!p)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

char *gt_vis_dup(const char *s, size_t n, unsigned flags)
{
	struct vis_buf b = { malloc(n + 1), 0, n + 1 };
	if (!b.p)
		return NULL;
	b.p[0] = '\0';
	if (vis_walk(s, n, flags, out_buf, &b) != 0) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

static int out_file(const char *s, size_t n, void *arg)
{
	return fwrite(s, 1, n, arg) == n ? 0 : -1;
}

int gt_vis_fwrite(const char *s, size_t n, unsigned flags, FILE *f)
{
	return vis_walk(s, n, flags, out_file, f) == 0 ? 0 : EOF;
}

bool gt_vis_is_plain(const char *s, size_t n, unsigned flags)
{
	char buf[16];
	for (size_t i = 0; i < n;) {
		size_t len;
		if ((len = ascii_print_run(s + i, n - i))) {
			i += len;
			continue;
		}
		if ((len = plain_cjk((const unsigned char *)s + i, n - i))) {
			i += len;
			continue;
		}
		if (vis_escape(s + i, n - i, flags, &len, buf))
			return false;
		i += len;
	}
	return true;
}
