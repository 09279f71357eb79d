/* Bounded string building and the language of display names. */
#include <stdarg.h>
#include <stdio.h>
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

void gt_sb_add(struct gt_sb *sb, const char *s)
{
	if (sb->truncated || sb->size == 0)
		return;
	size_t n = strlen(s), room = sb->size - 1 - sb->len;
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
	if ((size_t)n >= room) {
		sb->len = sb->size - 1;
		sb->truncated = true;
		sb_fix_utf8(sb);
	} else {
		sb->len += (size_t)n;
	}
}

