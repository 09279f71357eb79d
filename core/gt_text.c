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

void gt_sb_add(struct gt_sb *sb, const char *s)
{
	if (sb->truncated || sb->size == 0)
		return;
	size_t n = strlen(s);
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

void gt_sb_addf(struct gt_sb *sb, const char *fmt, ...)
{
	if (sb->truncated || sb->size == 0)
		return;
	va_list ap;
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

