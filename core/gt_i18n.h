/* Message translation: msgids are English; po/zh_CN.po holds the Chinese.
 * The core only marks and looks up; the program binds the text domain. */
#ifndef GT_I18N_H
#define GT_I18N_H

#ifdef GT_NO_NLS
#define _(s) (s)
#else
#include <libintl.h>
#define _(s) dgettext("guantong", s)
#endif
#define N_(s) (s)

#endif
