/* The batch commands behind the one binary. */
#ifndef GT_CLI_H
#define GT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum { GT_EXIT_OK = 0, GT_EXIT_UNREADABLE = 1, GT_EXIT_USAGE = 2, GT_EXIT_CONFLICT = 3 };

extern const char *gt_progname;

int cmd_screen(int argc, char **argv);
void usage_screen(FILE *out);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_evaluate(int argc, char **argv);
int cmd_decide(int argc, char **argv);
int cmd_void(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_rules(int argc, char **argv);
/* Loads the policy packs (built-in, /etc/guantong/rules.d, the user's) and
 * installs them; prints why not and returns GT_EXIT_UNREADABLE. */
int gt_rules_startup(void);
int cmd_reevaluate(int argc, char **argv);
int cmd_sheet(int argc, char **argv);
int cmd_agenda(int argc, char **argv);
void usage_sheet(FILE *out);
void usage_agenda(FILE *out);
int cmd_stats(int argc, char **argv);
void usage_stats(FILE *out);
/* What the statistics screen shares with `stats` (cmd_stats.c): a
 * statistic's title, a row's name for people, days as "%.1f 天". */
struct gt_stat_row;
const char *cli_stat_title(int k);
void cli_stat_row_name(int k, const struct gt_stat_row *r, char *buf, size_t size);
void cli_days_text(double d, char *buf, size_t size);
/* A case of the call-back list (`due`, the queue's 到期 list): its date,
 * and the route that opens then with its level (-1: set by committee). */
struct cli_due_item {
	int64_t id;
	int32_t on; /* gt_date */
	int direction, region, status, level, route;
	char name[256 + 1];
	char id_number[19];
};
struct gt_store;
/* The cases falling due on or before until (or due already), earliest
 * first; *items is malloc'd (free it). */
int cli_due_list(struct gt_store *st, int32_t until, struct cli_due_item **items, long *n);
/* An item's level for people. */
const char *cli_due_level(const struct cli_due_item *it);
/* Days until a call-back, for people: the number ahead, "due now" (已到期)
 * today, "N days overdue" (逾期N天) past it, never a negative number. */
void cli_due_days(long days, char *out, size_t size);
int cmd_due(int argc, char **argv);
void usage_due(FILE *out);
void usage_import(FILE *out);
void usage_export(FILE *out);
void usage_evaluate(FILE *out);
void usage_decide(FILE *out);
void usage_void(FILE *out);
void usage_user(FILE *out);
void usage_init(FILE *out);
void usage_backup(FILE *out);
void usage_reevaluate(FILE *out);

/* A usage error: "guantong CMD: msg" and how to see the usage, on stderr;
 * returns GT_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *msg);

/* The batch commands' option helpers (cmd_store.c), shared by cmd_sheet.c. */
/* --db PATH / --db=PATH; returns 1 when argv[*i] was it, -1 on a missing value. */
int db_option(int argc, char **argv, int *i, const char **db);
/* The value of --name VALUE or --name=VALUE at argv[*i], or NULL when absent
 * (*missing: the option without its value). */
const char *opt_value(int argc, char **argv, int *i, const char *name, bool *missing);
/* cli_usage_error with fmt's one %s filled by arg (made visible). */
int bad_usage(const char *cmd, const char *fmt, const char *arg);
struct gt_code_table;
/* A list of codes or Chinese names into a bit mask; says what is wrong and
 * returns GT_EXIT_USAGE on a value it does not know. */
int parse_set(const char *cmd, const char *opt, const char *v, const struct gt_code_table *t, uint32_t *mask);
struct gt_export_filter;
/* --status, --region, --outcome, --direction or --since at argv[*i] into f:
 * 1 when it was one, 0 when not, -1 after saying what is wrong. */
int filter_option(const char *cmd, int argc, char **argv, int *i, struct gt_export_filter *f);
/* The store's statuses as a code table (codes and Chinese names). */
extern const struct gt_code_table status_table;

struct gt_store;
/* The store's message for a failed command, on stderr: GT_EXIT_UNREADABLE. */
int store_fail(struct gt_store *st, const char *cmd);
/* A case by number, case_ref or identity number, saying why not. */
int find_case(struct gt_store *st, const char *cmd, const char *key, int64_t *id);
/* Opens the database at db (NULL: the default path), printing why not. */
int gt_open_store(struct gt_store **st, const char *db, unsigned flags);

/* The spec's one-line hint, once per file, when a record is not UTF-8:
 * the file may be GB18030 (--encoding gb18030). */
void gt_hint_encoding(const char *name, int csv_error, bool *said);
/* Stored or input text as it may be shown on a terminal (gt_vis): s itself
 * when nothing needs escaping, else one of 8 buffers reused in turn, so that
 * one printf may take up to 8 of these. */
const char *cli_vis(const char *s);
/* A stored time as local "YYYY-MM-DD HH:MM" (8 buffers in turn, likewise). */
const char *cli_time(const char *stored);
/* Multi-line text: line feeds kept, every other unsafe character escaped. */
int cli_vis_lines(const char *s, size_t n, FILE *f);
struct gt_eval;
/* gt_explain's text, made visible. */
int cli_explain(const struct gt_eval *ev, FILE *f);

/* The demo database (gt_store_demo_path) into path, created and loaded with
 * the demo cases when it is new or empty. */
int gt_demo_prepare(char *path, size_t size);

/* Binds the message catalogue and picks display names by language. */
void gt_i18n_init(void);

#endif
