/* Bounded string building and the language of display names. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gt_text.h"

static bool names_zh;

void gt_set_names_zh(bool zh)
{
	names_zh = zh;
}

bool gt_names_zh(void)
{
	return names_zh;
}

static void sb_fix_utf8(struct gt_sb *sb)
{
	/* Cut back to the start of a partial UTF-8 sequence at the end. */
	size_t n = sb->len;
	size_t k = n;
	while (k > 0 && ((unsigned char)sb->p[k - 1] & 0xC0) == 0x80)
		k--;
	if (k > 0) {
		unsigned char lead = (unsigned char)sb->p[k - 1];
		size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
		if (n - (k - 1) < want)
			n = k - 1;
	}
	sb->len = n;
	sb->p[n] = '\0';
}

struct gt_sb gt_sb_heap(void)
{
	struct gt_sb sb = { malloc(256), 256, 0, false, true };
	if (sb.p)
		sb.p[0] = '\0';
	else
		sb.size = 0, sb.truncated = true;
	return sb;
}

void gt_sb_free(struct gt_sb *sb)
{
	if (sb->grow)
		free(sb->p);
	sb->p = NULL;
	sb->size = sb->len = 0;
}

/* Room for n more bytes and a NUL in a growing builder. */
static bool sb_reserve(struct gt_sb *sb, size_t n)
{
	if (!sb->grow || sb->len + n + 1 <= sb->size)
		return true;
	size_t size = sb->size * 2 > sb->len + n + 1 ? sb->size * 2 : sb->len + n + 1;
	char *p = realloc(sb->p, size);
	if (!p) {
		sb->truncated = true;
		return false;
	}
	sb->p = p;
	sb->size = size;
	return true;
}

void gt_sb_add_slow(struct gt_sb *sb, const char *s, size_t n)
{
	if (sb->truncated || sb->size == 0)
		return;
	if (!sb_reserve(sb, n))
		return;
	size_t room = sb->size - 1 - sb->len;
	if (n > room) {
		n = room;
		sb->truncated = true;
	}
	memcpy(sb->p + sb->len, s, n);
	sb->len += n;
	sb->p[sb->len] = '\0';
	if (sb->truncated)
		sb_fix_utf8(sb);
}


/* The formats the core's messages use -- %s, %d, %u, %ld and %% -- written
 * directly, in one pass: vsnprintf's general machinery was a fifth of
 * screen's time. On any other conversion (a width, a flag, a positional
 * argument a translation may use) it takes back what it wrote and returns
 * false, for vsnprintf to do. */
static bool sb_format_simple(struct gt_sb *sb, const char *fmt, va_list ap)
{
	size_t len0 = sb->len;
	const char *f = fmt;
	while (*f && !sb->truncated) {
		const char *pct = strchr(f, '%');
		if (!pct) {
			gt_sb_add(sb, f);
			break;
		}
		gt_sb_add_n(sb, f, (size_t)(pct - f));
		f = pct + 1;
		bool is_long = *f == 'l';
		if (is_long)
			f++;
		char num[24];
		char *e = num + sizeof num, *q = e;
		switch (*f) {
		case 's': {
			if (is_long)
				goto other;
			const char *a = va_arg(ap, const char *);
			gt_sb_add(sb, a ? a : "(null)");
			break;
		}
		case 'd': {
			long v = is_long ? va_arg(ap, long) : va_arg(ap, int);
			unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
			do
				*--q = (char)('0' + u % 10);
			while (u /= 10);
			if (v < 0)
				*--q = '-';
			gt_sb_add_n(sb, q, (size_t)(e - q));
			break;
		}
		case 'u': {
			unsigned long u = is_long ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
			do
				*--q = (char)('0' + u % 10);
			while (u /= 10);
			gt_sb_add_n(sb, q, (size_t)(e - q));
			break;
		}
		case '%':
			if (is_long)
				goto other;
			gt_sb_add_n(sb, "%", 1);
			break;
		default:
			goto other;
		}
		f++;
	}
	return true;
other:
	sb->len = len0;
	sb->truncated = false;
	sb->p[len0] = '\0';
	return false;
}

void gt_sb_addf(struct gt_sb *sb, const char *fmt, ...)
{
	if (sb->truncated || sb->size == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	bool done = sb_format_simple(sb, fmt, ap);
	va_end(ap);
	if (done)
		return;
	va_start(ap, fmt);
	size_t room = sb->size - sb->len;
	int n = vsnprintf(sb->p + sb->len, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= room && sb->grow) {
		if (!sb_reserve(sb, (size_t)n))
			return;
		va_start(ap, fmt);
		n = vsnprintf(sb->p + sb->len, sb->size - sb->len, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		room = sb->size - sb->len;
	}
	if ((size_t)n >= room) {
		sb->len = sb->size - 1;
		sb->truncated = true;
		sb_fix_utf8(sb);
	} else {
		sb->len += (size_t)n;
	}
}


/* Columns a code point takes on a terminal: East Asian Wide and Fullwidth
 * characters two, combining marks and zero-width spaces none, others one.
 * Locale-independent (the core does not depend on the C library's wcwidth
 * tables or on LC_CTYPE), and agreeing with wcwidth for the characters of
 * names, levels and citations. */
static int cp_width(unsigned cp)
{
	if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) ||
	    (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF)
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F) ||
	    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
	    (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
	    (cp >= 0x20000 && cp <= 0x3FFFD))
		return 2;
	return 1;
}

int gt_text_width(const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	int w = 0;
	while (*s) {
		unsigned c = *s, cp;
		int len;
		if (c < 0x80) {
			w++;
			s++;
			continue;
		} else if (c >= 0xF0) {
			cp = c & 0x07, len = 4;
		} else if (c >= 0xE0) {
			cp = c & 0x0F, len = 3;
		} else if (c >= 0xC0) {
			cp = c & 0x1F, len = 2;
		} else {
			w++; /* a stray continuation byte: one replacement character */
			s++;
			continue;
		}
		int k = 1;
		for (; k < len && (s[k] & 0xC0) == 0x80; k++)
			cp = (cp << 6) | (s[k] & 0x3F);
		w += k == len ? cp_width(cp) : 1;
		s += k;
	}
	return w;
}

void gt_sb_add_padded(struct gt_sb *sb, const char *s, int width)
{
	gt_sb_add(sb, s);
	static const char spaces[] = "                                        ";
	for (int pad = width - gt_text_width(s); pad > 0;) {
		int k = pad < (int)sizeof spaces - 1 ? pad : (int)sizeof spaces - 1;
		gt_sb_add_n(sb, spaces, (size_t)k);
		pad -= k;
	}
}

/* Full-width punctuation folded to ASCII and white space removed: the seed
 * texts mix both widths, and the rules quote them (rules check, test_rules). */
void gt_text_fold(char *s)
{
	static const char *const wide[][2] = {
		{ "，", "," }, { "（", "(" }, { "）", ")" }, { "：", ":" }, { "；", ";" },
	};
	size_t k = 0;
	for (size_t i = 0; s[i];) {
		bool done = false;
		for (size_t w = 0; w < sizeof wide / sizeof wide[0] && !done; w++) {
			size_t n = strlen(wide[w][0]);
			if (strncmp(s + i, wide[w][0], n) == 0) {
				s[k++] = wide[w][1][0];
				i += n;
				done = true;
			}
		}
		if (done)
			continue;
		if (s[i] != ' ' && s[i] != '\n' && s[i] != '\r' && s[i] != '\t')
			s[k++] = s[i];
		i++;
	}
	s[k] = '\0';
}

/* Every fragment of a quotation between "……" (ignoring a leading note in
 * parentheses, which paraphrases what the clause refers back to) must be in
 * the folded document: the first fragment that is not, folded, in frag; or
 * NULL. A trailing full stop may be the quotation's, not the text's. */
const char *gt_quote_missing(const char *doc, const char *text, char *frag, size_t size)
{
	const char *p = text;
	if (strncmp(p, "（同上", strlen("（同上")) == 0) {
		const char *close = strstr(p, "）");
		if (close)
			p = close + strlen("）");
	}
	while (*p) {
		const char *e = strstr(p, "……");
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n >= 3 && memcmp(p + n - 3, "。", 3) == 0)
			n -= 3;
		if (n >= 6) {
			if (n >= size)
				n = size - 1;
			memcpy(frag, p, n);
			frag[n] = '\0';
			gt_text_fold(frag);
			if (!strstr(doc, frag))
				return frag;
		}
		p = e ? e + strlen("……") : p + strlen(p);
	}
	return NULL;
}

/* What an input method types for ASCII: the full-width forms U+FF01-U+FF5E
 * become their ASCII letters, the ideographic space a space, and the
 * enumeration comma 、 a list separator (sep, or left as it is when 0).
 * Writes at most size-1 bytes to out; returns the length written. */
size_t gt_text_halfwidth(const char *s, size_t n, char sep, char *out, size_t size)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < size;) {
		const unsigned char *u = (const unsigned char *)s + i;
		if (i + 2 < n && u[0] == 0xEF && (u[1] == 0xBC || u[1] == 0xBD)) {
			unsigned cp = 0xF000u | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
			if (cp >= 0xFF01 && cp <= 0xFF5E) {
				out[k++] = (char)(cp - 0xFEE0);
				i += 3;
				continue;
			}
		}
		if (i + 2 < n && u[0] == 0xE3 && u[1] == 0x80 && (u[2] == 0x80 || (u[2] == 0x81 && sep))) {
			out[k++] = u[2] == 0x80 ? ' ' : sep;
			i += 3;
			continue;
		}
		/* Never split a character at the end of out. */
		size_t len = u[0] < 0x80 ? 1 : u[0] < 0xE0 ? 2 : u[0] < 0xF0 ? 3 : 4;
		if (i + len > n)
			len = n - i; /* a broken sequence at the end: kept as it is, for the error to show */
		if (k + len >= size)
			break;
		memcpy(out + k, s + i, len);
		k += len;
		i += len;
	}
	out[k] = '\0';
	return k;
}

/* gt_copy_short's copy of more than 32 bytes. */
void gt_copy_long(char *d, const char *s, size_t n)
{
	memcpy(d, s, n);
}
