/* Message translation: msgids are English; po/zh_CN.po holds the Chinese.
 * The core only marks and looks up; the program binds the text domain.
 * A msgid is translated once and the answer kept (gt_i18n.c): the program
 * calls gt_i18n_forget after it binds the domain or changes the language. */
#ifndef GT_I18N_H
#define GT_I18N_H

#ifdef GT_NO_NLS
#define _(s) (s)
#else
#include <libintl.h>
const char *gt_gettext(const char *msgid) __attribute__((format_arg(1)));
#define _(s) gt_gettext(s)
#endif
#define N_(s) (s)

const char *gt_ngettext(const char *msgid, const char *plural, unsigned long n)
	__attribute__((format_arg(1), format_arg(2)));
void gt_i18n_forget(void);
/* How many times gt_i18n_forget was called: a text made of translations
 * stays right while this does not change (a translation changes only after
 * a call to gt_i18n_forget: until then every msgid gives its kept answer). */
unsigned gt_i18n_generation(void);

#endif
