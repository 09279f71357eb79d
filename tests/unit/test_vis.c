/* gt_vis: text made safe for a terminal; gt_time: stored UTC, shown local. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gt_csv.h"
#include "gt_time.h"
#include "gt_vis.h"

static void expect_vis(const char *in, size_t n, unsigned flags, const char *want)
{
	char *got = gt_vis_dup(in, n, flags);
	cr_assert_not_null(got);
	cr_expect_str_eq(got, want);
	cr_expect_eq(gt_vis_is_plain(in, n, flags), strcmp(in, want) == 0 && strlen(want) == n);
	free(got);
}

Test(vis, plain_text_unchanged)
{
	expect_vis("", 0, 0, "");
	expect_vis("abc 123 \\ \"'", 12, 0, "abc 123 \\ \"'");
	expect_vis("魏秋菊 渝人社发〔2021〕55号", strlen("魏秋菊 渝人社发〔2021〕55号"), 0,
		   "魏秋菊 渝人社发〔2021〕55号");
	expect_vis("é😀", strlen("é😀"), 0, "é😀");
}

Test(vis, c0_and_del)
{
	expect_vis("a\x1b]0;X\x07" "b", 8, 0, "a\\x1b]0;X\\x07b");
	expect_vis("\x7f", 1, 0, "\\x7f");
	expect_vis("a\nb\tc\rd", 7, 0, "a\\nb\\tc\\rd");
	expect_vis("a\nb\tc", 5, GT_VIS_KEEP_NL, "a\nb\\tc");
	expect_vis("\0x", 2, 0, "\\x00x");
}

Test(vis, c1_controls)
{
	expect_vis("\xc2\x9b" "2J", 4, 0, "<U+009B>2J");
	expect_vis("\xc2\x80\xc2\x9f\xc2\xa0", 6, 0, "<U+0080><U+009F>\xc2\xa0");
}

Test(vis, bidi_and_invisible)
{
	struct {
		const char *in, *want;
	} t[] = {
		{ "\xe2\x80\xae", "<U+202E>" }, { "\xe2\x80\xaa", "<U+202A>" },
		{ "\xe2\x81\xa6", "<U+2066>" }, { "\xe2\x81\xa9", "<U+2069>" },
		{ "\xe2\x80\x8e", "<U+200E>" }, { "\xe2\x80\x8f", "<U+200F>" },
		{ "\xd8\x9c", "<U+061C>" },     { "\xe2\x80\x8b", "<U+200B>" },
		{ "\xe2\x80\x8d", "<U+200D>" }, { "\xe2\x81\xa0", "<U+2060>" },
		{ "\xef\xbb\xbf", "<U+FEFF>" }, { "\xc2\xad", "<U+00AD>" },
		{ "\xe2\x80\xa8", "<U+2028>" }, { "\xf3\xa0\x80\x81", "<U+E0001>" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		expect_vis(t[i].in, strlen(t[i].in), 0, t[i].want);
	/* The neighbours stay. */
	expect_vis("\xe2\x80\x90\xe2\x80\xaf", 6, 0, "\xe2\x80\x90\xe2\x80\xaf");
}

Test(vis, invalid_utf8_bytes)
{
	expect_vis("a\xff" "b", 3, 0, "a\\xffb");
	expect_vis("\xe9\xad", 2, 0, "\\xe9\\xad");              /* cut short */
	expect_vis("\xc0\xaf", 2, 0, "\\xc0\\xaf");              /* overlong */
	expect_vis("\xed\xa0\x80", 3, 0, "\\xed\\xa0\\x80");     /* surrogate */
	expect_vis("\xf4\x90\x80\x80", 4, 0, "\\xf4\\x90\\x80\\x80"); /* above U+10FFFF */
}

Test(vis, into_a_bounded_buffer)
{
	char buf[8];
	struct gt_sb sb = gt_sb_make(buf, sizeof buf);
	gt_vis_sb(&sb, "ab\x1b\x1b\x1b", 5, 0);
	cr_expect(sb.truncated);
	cr_expect_eq(strlen(buf), 7);
	cr_expect_eq(strchr(buf, 0x1b), NULL);
}

Test(vis, classes)
{
	cr_expect_eq(gt_vis_class('a'), GT_VIS_PRINT);
	cr_expect_eq(gt_vis_class(0x4E2D), GT_VIS_PRINT);
	cr_expect_eq(gt_vis_class(0x1B), GT_VIS_CONTROL);
	cr_expect_eq(gt_vis_class(0x85), GT_VIS_CONTROL);
	cr_expect_eq(gt_vis_class(0x202E), GT_VIS_BIDI);
	cr_expect_eq(gt_vis_class(0x200B), GT_VIS_INVISIBLE);
}

/* The encoder the checks below use. */
static size_t utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | cp >> 18);
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* gt_vis skips printable ASCII sixteen bytes at a time and common CJK
 * without decoding: every code point, at every place a block can cut it,
 * comes out exactly as gt_vis_class says. */
Test(vis, fast_paths_agree_with_the_classes)
{
	static const size_t at[] = { 0, 1, 15, 16, 17, 31 };
	for (uint32_t cp = 1; cp <= 0x10FFFF; cp++) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		char ch[4], want[64], in[64];
		size_t k = utf8_encode(cp, ch);
		enum gt_vis_class cl = gt_vis_class(cp);
		const char *esc = NULL;
		char ebuf[16];
		if (cl != GT_VIS_PRINT) {
			if (cp == '\n')
				esc = "\\n";
			else if (cp == '\r')
				esc = "\\r";
			else if (cp == '\t')
				esc = "\\t";
			else
				snprintf(ebuf, sizeof ebuf, cp < 0x80 ? "\\x%02x" : "<U+%04X>", (unsigned)cp), esc = ebuf;
		}
		for (size_t a = 0; a < sizeof at / sizeof at[0]; a++) {
			size_t n = 0, w = 0;
			memset(in, 'a', at[a]);
			memset(want, 'a', at[a]);
			n = w = at[a];
			memcpy(in + n, ch, k);
			n += k;
			if (esc) {
				memcpy(want + w, esc, strlen(esc));
				w += strlen(esc);
			} else {
				memcpy(want + w, ch, k);
				w += k;
			}
			memcpy(in + n, "bcdefghijklmnopq", 16);
			memcpy(want + w, "bcdefghijklmnopq", 16);
			n += 16;
			w += 16;
			want[w] = '\0';
			char *got = gt_vis_dup(in, n, 0);
			cr_assert_not_null(got);
			if (strcmp(got, want) != 0)
				cr_assert_fail("U+%04X at byte %zu: got \"%s\", want \"%s\"", (unsigned)cp, at[a], got, want);
			free(got);
			if (gt_vis_is_plain(in, n, 0) != (esc == NULL))
				cr_assert_fail("U+%04X at byte %zu: gt_vis_is_plain disagrees", (unsigned)cp, at[a]);
		}
		/* The CSV reader's check takes the same shortcut for CJK. */
		int e = gt_utf8_check(ch, k);
		if (e != (cp == 0xFEFF ? GT_CSV_BOM_INSIDE : GT_CSV_OK))
			cr_assert_fail("gt_utf8_check(U+%04X) = %d", (unsigned)cp, e);
	}
	/* A CJK lead byte with a bad continuation is no character. */
	cr_expect_eq(gt_utf8_check("\xe4\xb8", 2), GT_CSV_BAD_UTF8);
	cr_expect_eq(gt_utf8_check("\xe4\x41\x80", 3), GT_CSV_BAD_UTF8);
	cr_expect_eq(gt_utf8_check("\xe9\xbf\xc0", 3), GT_CSV_BAD_UTF8);
	expect_vis("\xe4\x41\x80", 3, 0, "\\xe4A\\x80");
}

/* ---- time */

static void show_in(const char *tz, const char *stored, const char *want)
{
	setenv("TZ", tz, 1);
	tzset();
	char out[32];
	gt_time_show(stored, out, sizeof out);
	cr_expect_str_eq(out, want, "%s in %s", stored, tz);
}

Test(time, shown_in_local_time)
{
	show_in("Asia/Shanghai", "2026-12-05 05:54:12+00:00", "2026-12-05 13:54");
	show_in("America/Chicago", "2026-12-05 05:54:12+00:00", "2026-12-04 23:54");
	show_in("UTC", "2026-12-05 05:54:12+00:00", "2026-12-05 05:54");
	/* Times written with a local offset before the store wrote UTC. */
	show_in("UTC", "2026-12-05 13:54:12+08:00", "2026-12-05 05:54");
	show_in("America/Chicago", "2026-07-01 00:30:00Z", "2026-06-30 19:30");
	show_in("Asia/Shanghai", "", "");
	show_in("Asia/Shanghai", "not a time", "not a time");
}

Test(time, parse)
{
	time_t t;
	cr_expect_eq(gt_time_parse("1970-01-01 00:00:00+00:00", &t), 0);
	cr_expect_eq(t, 0);
	cr_expect_eq(gt_time_parse("1970-01-01 08:00:00+08:00", &t), 0);
	cr_expect_eq(t, 0);
	cr_expect_eq(gt_time_parse("1970-01-01 00:00-01:00", &t), 0);
	cr_expect_eq(t, 3600);
	cr_expect_eq(gt_time_parse("2026-02-30 00:00:00", &t), -1);
	cr_expect_eq(gt_time_parse("2026-01-01 00:00:00+0800x", &t), -1);
	cr_expect_eq(gt_time_parse("2026-01-01", &t), -1);
}

Test(time, stored_is_utc)
{
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	char buf[32];
	gt_time_format_utc(0, buf);
	cr_expect_str_eq(buf, "1970-01-01 00:00:00+00:00");
	gt_time_now(buf);
	cr_expect_eq(strlen(buf), 25);
	cr_expect_str_eq(buf + 19, "+00:00");
}

Test(time, local_dates)
{
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	cr_expect_eq(gt_time_local_date("2026-12-04 20:00:00+00:00"), gt_date_from_ymd(2026, 12, 5));
	char buf[32];
	gt_time_local_day_start(gt_date_from_ymd(2026, 12, 5), buf);
	cr_expect_str_eq(buf, "2026-12-04 16:00:00+00:00");
	setenv("TZ", "America/Chicago", 1);
	tzset();
	cr_expect_eq(gt_time_local_date("2026-12-05 03:00:00+00:00"), gt_date_from_ymd(2026, 12, 4));
	gt_time_local_day_start(gt_date_from_ymd(2026, 12, 5), buf);
	cr_expect_str_eq(buf, "2026-12-05 06:00:00+00:00");
}
