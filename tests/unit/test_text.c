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
