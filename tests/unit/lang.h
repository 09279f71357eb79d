/* The language of a unit test that writes what a person reads: the zh_CN
 * catalogue of the build tree, or none (English). Included by the test
 * files that compare a text in both languages (test_eval, test_explain). */
#ifndef GT_TEST_LANG_H
#define GT_TEST_LANG_H

#include <criterion/criterion.h>
#include <libintl.h>
#include <locale.h>
#include <stdbool.h>
#include <stdlib.h>

#include "gt_i18n.h"
#include "gt_text.h"

static inline void language(bool zh)
{
	setlocale(LC_ALL, "C.UTF-8");
	if (zh)
		setenv("LANGUAGE", "zh_CN", 1);
	else
		unsetenv("LANGUAGE");
	bindtextdomain("guantong", GT_BUILD_LOCALEDIR);
	bind_textdomain_codeset("guantong", "UTF-8");
	textdomain("guantong");
	gt_i18n_forget();
	gt_set_names_zh(zh);
	if (zh)
		cr_assert_str_neq(_("  outcome: %s"), "  outcome: %s", "is the zh_CN catalogue built?");
}

#endif
