/* Unit tests of core/gt_text: the bounded string builder, whose %s %d %u %ld
 * conversions are written without vsnprintf and must agree with it. */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "gt_text.h"

#define SAME(size, ...)                                                           \
	do {                                                                      \
		char want[512], got[512];                                         \
		snprintf(want, sizeof want, __VA_ARGS__);                         \
		struct gt_sb sb = gt_sb_make(got, sizeof got);                    \
		gt_sb_addf(&sb, __VA_ARGS__);                                     \
		cr_expect_str_eq(got, want);                                      \
		cr_expect_eq(sb.len, strlen(want));                               \
		(void)(size);                                                     \
	} while (0)

Test(sb_addf, simple_conversions_agree_with_snprintf)
{
	SAME(0, "plain text");
	SAME(0, "%s", "");
	SAME(0, "needs %d years since %s, has ", 5, "2020-01-05");
	SAME(0, "%d %d %d", 0, -1, INT_MIN);
	SAME(0, "%d", INT_MAX);
	SAME(0, "%u %u", 0u, UINT_MAX);
	SAME(0, "%ld %ld %ld", 0L, LONG_MIN, LONG_MAX);
	SAME(0, "%lu", ULONG_MAX);
	SAME(0, "100%% of %s", "张三");
	SAME(0, "%s%s%s", "a", "", "第3名");
}

Test(sb_addf, other_conversions_go_to_vsnprintf)
{
	SAME(0, "%5d|%-4s|%.*s|%x", 42, "ab", 3, "abcdef", 255u);
	SAME(0, "%2$s %1$s", "world", "hello");
	SAME(0, "%lld %c", (long long)LLONG_MIN, 'x');
}

Test(sb_addf, truncates_on_a_character_boundary)
{
	char buf[8];
	struct gt_sb sb = gt_sb_make(buf, sizeof buf);
	gt_sb_addf(&sb, "%s%d", "ab张三", 12345);
	cr_expect(sb.truncated);
	cr_expect_str_eq(buf, "ab张");
	gt_sb_addf(&sb, "%s", "more");
	cr_expect_str_eq(buf, "ab张", "nothing is added after truncation");

	sb = gt_sb_make(buf, sizeof buf);
	gt_sb_addf(&sb, "%d-%d", 1234, 5678);
	cr_expect(sb.truncated);
	cr_expect_str_eq(buf, "1234-56");
	cr_expect_eq(sb.len, 7);
}

/* ---- translations looked up once (core/gt_i18n.c) ---- */
#include <libintl.h>
#include <locale.h>
#include <stdlib.h>

#include "gt_i18n.h"

static const char msg_eligible[] = "Eligible for %s by the %s route under %s";

Test(i18n, translation_kept_and_forgotten)
{
	setlocale(LC_ALL, "C.UTF-8");
	unsetenv("LANGUAGE");
	bindtextdomain("guantong", GT_BUILD_LOCALEDIR);
	bind_textdomain_codeset("guantong", "UTF-8");
	gt_i18n_forget();
	cr_expect_eq(gt_gettext(msg_eligible), msg_eligible, "C locale: the msgid");
	/* The language changes: gettext sees it, the kept answer does not ... */
	setenv("LANGUAGE", "zh_CN", 1);
	bindtextdomain("guantong", GT_BUILD_LOCALEDIR); /* gettext's own cache goes */
	cr_assert_str_eq(dgettext("guantong", msg_eligible), "符合申报%s条件（%s，%s）",
			 "is the zh_CN catalogue built?");
	cr_expect_eq(gt_gettext(msg_eligible), msg_eligible, "kept from the first lookup");
	/* ... until the table is forgotten. */
	gt_i18n_forget();
	cr_expect_str_eq(gt_gettext(msg_eligible), "符合申报%s条件（%s，%s）");
	/* Plurals keep their count. */
	cr_expect_str_eq(gt_ngettext("%d year", "%d years", 1), "%d年");
	cr_expect_str_eq(gt_ngettext("%d year", "%d years", 2), "%d年");
	cr_expect_str_eq(gt_ngettext("%d year", "%d years", 5000), "%d年", "past the kept counts");
	unsetenv("LANGUAGE");
}

Test(i18n, many_messages_past_the_table)
{
	/* More distinct msgids than the table has room to probe for: the rest
	 * are asked of gettext each time, and every answer is right. */
	static char ids[3000][16]; /* "m" and any int */
	gt_i18n_forget();
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 3000; i++) {
			snprintf(ids[i], sizeof ids[i], "m%d", i);
			cr_assert_str_eq(gt_gettext(ids[i]), ids[i]);
		}
}

/* ---- gt_text_halfwidth: what an IME types, read as ASCII (issue 17) ---- */

Test(text_halfwidth, full_width_forms_and_separators)
{
	char out[64];
	cr_expect_eq(gt_text_halfwidth("２０２２０１１５", strlen("２０２２０１１５"), 0, out, sizeof out), 8);
	cr_expect_str_eq(out, "20220115");
	gt_text_halfwidth("全国技能大赛：金牌；第３名", strlen("全国技能大赛：金牌；第３名"), ';', out, sizeof out);
	cr_expect_str_eq(out, "全国技能大赛:金牌;第3名", "CJK kept, ：；３ folded");
	gt_text_halfwidth("身份证、职称证书\xe3\x80\x80", strlen("身份证、职称证书\xe3\x80\x80"), ';', out, sizeof out);
	cr_expect_str_eq(out, "身份证;职称证书 ", "、 is the list separator, U+3000 a space");
	gt_text_halfwidth("甲、乙", strlen("甲、乙"), 0, out, sizeof out);
	cr_expect_str_eq(out, "甲、乙", "sep 0 keeps 、");
}

Test(text_halfwidth, never_splits_a_character)
{
	char out[5];
	/* 4 bytes of room: "ab" and one 3-byte character do not fit with the NUL. */
	cr_expect_eq(gt_text_halfwidth("ab金c", strlen("ab金c"), 0, out, sizeof out), 2);
	cr_expect_str_eq(out, "ab");
	char one[1];
	cr_expect_eq(gt_text_halfwidth("x", 1, 0, one, sizeof one), 0);
	cr_expect_str_eq(one, "");
	/* A truncated full-width form at the end is not read past n. */
	cr_expect_eq(gt_text_halfwidth("\xef\xbc", 2, 0, out, sizeof out), 2);
}
