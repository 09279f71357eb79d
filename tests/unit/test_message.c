/* The summary message's fast wording (core/gt_explain.c) against the
 * reference it replaces: a met years condition written from pieces cut once
 * must read exactly as gt_cond_text words it, in English and in Chinese. */
#include <criterion/criterion.h>
#include <libintl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "gt_eval.h"
#include "gt_i18n.h"
#include "gt_text.h"

static void language(bool zh)
{
	setlocale(LC_ALL, "C.UTF-8");
	if (zh)
		setenv("LANGUAGE", "zh_CN", 1);
	else
		unsetenv("LANGUAGE");
	bindtextdomain("guantong", GT_BUILD_LOCALEDIR);
	bind_textdomain_codeset("guantong", "UTF-8");
	gt_i18n_forget();
	gt_set_names_zh(zh);
}

/* Every state, need and have a years condition takes (and some it does
 * not), with and without a start date: the same text both ways. */
static void years_agree(bool zh)
{
	static const gt_date since[] = { GT_DATE_NONE, 0, 7300, 20000 };
	char want[512], got[512];
	long n = 0;
	language(zh);
	for (int st = GT_COND_MET; st <= GT_COND_PENDING; st++)
		for (int need = 0; need <= 12; need++)
			for (int have = -13; have <= 200; have++)
				for (size_t s = 0; s < sizeof since / sizeof since[0]; s++) {
					struct gt_cond k = { .code = 0, .state = (uint8_t)st, .what = GT_WHAT_YEARS,
							     .need = (int16_t)need, .have = (int16_t)have,
							     .since = since[s], .met_on = since[s] == GT_DATE_NONE ? GT_DATE_NONE : since[s] + need * 365 };
					size_t a = gt_cond_text(&k, want, sizeof want);
					size_t b = gt_message_years_text(&k, got, sizeof got);
					cr_assert_str_eq(got, want, "state %d need %d have %d since %d", st, need,
							 have, since[s]);
					cr_assert_eq(a, b);
					n++;
				}
	cr_expect_gt(n, 10000);
}

Test(message, years_text_agrees_with_cond_text_en)
{
	years_agree(false);
}

Test(message, years_text_agrees_with_cond_text_zh)
{
	years_agree(true);
	char buf[256];
	struct gt_cond k = { .state = GT_COND_MET, .what = GT_WHAT_YEARS, .need = 4, .have = 64,
			     .since = 18000, .met_on = 19461 };
	gt_message_years_text(&k, buf, sizeof buf);
	cr_expect(strstr(buf, "5年4个月") != NULL, "the Chinese catalogue is in use: %s", buf);
	unsetenv("LANGUAGE");
}
