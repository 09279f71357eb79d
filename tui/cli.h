/* The batch commands behind the one binary. */
#ifndef GT_CLI_H
#define GT_CLI_H

#include <stdio.h>

enum { GT_EXIT_OK = 0, GT_EXIT_UNREADABLE = 1, GT_EXIT_USAGE = 2 };

extern const char *gt_progname;

int cmd_screen(int argc, char **argv);
void usage_screen(FILE *out);

/* Binds the message catalogue and picks display names by language. */
void gt_i18n_init(void);

#endif
