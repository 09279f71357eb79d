/* The case store: one SQLite file (schema.sql) that the clerks of one server
 * share. WAL mode, foreign keys on, synchronous=FULL, a busy timeout; every
 * write in BEGIN IMMEDIATE; every statement prepared with bound parameters.
 * Each change writes one audit row (who, when, what, before/after).
 *
 * Functions return GT_OK or a negative gt_store_rc; gt_store_errmsg() then
 * says what went wrong in words for the person at the keyboard. */
#ifndef GT_STORE_H
#define GT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gt_case.h"
#include "gt_eval.h"
#include "gt_format.h"

#define GT_SCHEMA_VERSION 16
/* A queue sort key: the longest is a name's ICU collation key, in hex. */
#define GT_KEY_MAX 1024
/* The page size of a file this program creates (bytes). */
#define GT_PAGE_SIZE 16384
/* Room for a stored rule set: a policy pack's "number version hash" (gt_docver.id). */
#define GT_RULESET_MAX 192
/* A decision's note, and a user's display name, in bytes of UTF-8. */
#define GT_NOTE_MAX 16384
#define GT_DISPLAY_NAME_MAX 128

typedef struct gt_store gt_store;
struct sqlite3;

enum gt_store_rc {
	GT_OK = 0,
	GT_ERR = -1,            /* SQLite or I/O error */
	GT_ERR_CONFLICT = -2,   /* the case changed since it was read */
	GT_ERR_DENIED = -3,     /* the user's role does not allow it */
	GT_ERR_TRANSITION = -4, /* not allowed from the case's status */
	GT_ERR_NOT_FOUND = -5,
	GT_ERR_INVALID = -6,    /* bad input (rows, arguments) */
	GT_ERR_NEWER = -7,      /* the file's schema is newer than this program */
	GT_ERR_NOT_DB = -8,     /* the file is not a guantong database */
	GT_ERR_BUSY = -9,       /* another process held the write lock too long */
	GT_ERR_EXISTS = -10,    /* the file to write exists, and replacing it was not asked for */
};

enum gt_user_role { GT_USER_NONE, GT_USER_CLERK, GT_USER_REVIEWER, GT_USER_ADMIN, GT_USER_ROLES };

enum gt_status {
	GT_ST_DRAFT, GT_ST_SUBMITTED, GT_ST_IN_REVIEW, GT_ST_APPROVED, GT_ST_REJECTED,
	GT_ST_RETURNED,
	GT_ST_VOID,      /* set aside by an administrator (a duplicate, a mistake): kept, left out of
	                    the queue, exports and figures unless asked for */
	GT_ST_COUNT
};
/* The statuses a filter with no status marked stands for: all but void. */
#define GT_ST_LIVE_MASK (((1u << GT_ST_COUNT) - 1) & ~(1u << GT_ST_VOID))

/* What can happen to a case; gt_transition() is the one place that says from
 * which status, to which status, and for which role. */
enum gt_action {
	GT_ACT_SUBMIT,   /* draft/returned -> submitted (clerk) */
	GT_ACT_TAKE,     /* submitted -> in_review (reviewer) */
	GT_ACT_APPROVE,  /* submitted/in_review -> approved (reviewer) */
	GT_ACT_REJECT,   /* submitted/in_review -> rejected (reviewer) */
	GT_ACT_RETURN,   /* submitted/in_review -> returned, for evidence (clerk) */
	GT_ACT_REOPEN,   /* approved/rejected/returned -> in_review, void -> submitted (admin) */
	GT_ACT_VOID,     /* any but void -> void, with a note (admin) */
	GT_ACT_COUNT
};

extern const char *const gt_role_codes[GT_USER_ROLES];
extern const char *const gt_status_codes[GT_ST_COUNT];
extern const char *const gt_action_codes[GT_ACT_COUNT];
int gt_role_parse(const char *s);
int gt_status_parse(const char *s);
const char *gt_status_name(int status);   /* translated, for people */
const char *gt_action_name(int action);   /* translated */

/* The status an action leads to from `from`, or -1 when it is not allowed
 * from there. *min_role is the least role that may do it. */
int gt_transition(int from, int action, int *min_role);
/* Whether `role` may do `action` (admin > reviewer > clerk). */
bool gt_role_allows(int role, int action);

/* Approving against the evaluation (issue 16, item 1): what an approval of
 * a case whose evaluation says `outcome` (gt_outcome) needs. */
enum gt_approve_need {
	GT_APPROVE_FREE,   /* eligible: a note is optional */
	GT_APPROVE_NOTE,   /* needs evidence, not eligible, manual review: a note saying why */
	GT_APPROVE_ADMIN,  /* vetoed: an administrator, with a note */
};
int gt_approve_need(int outcome);

/* ---- the shared install (scripts/install-shared.sh; store/gt_shared.c) */
/* Whether the program runs setgid (effective group not the real one). */
bool gt_shared_setgid(void);
/* First thing in main: when setgid, descriptors 0-2 open, the environment
 * cleared but for a short allow-list, PATH fixed, umask 077. */
void gt_shared_startup(void);

/* ---- opening */
enum { GT_OPEN_CREATE = 1, GT_OPEN_READONLY = 2 };

/* The default file: $GUANTONG_DB, else $XDG_DATA_HOME/guantong/cases.db, else
 * ~/.local/share/guantong/cases.db. */
int gt_store_default_path(char *buf, size_t size);
/* The demo database, never the real one: $XDG_DATA_HOME/guantong/demo.db,
 * else ~/.local/share/guantong/demo.db (GUANTONG_DB does not move it). */
int gt_store_demo_path(char *buf, size_t size);

/* Opens (creating the file with mode 0600 and its directory with 0700 when
 * GT_OPEN_CREATE) and migrates an older schema forward in one transaction.
 * The actor is the OS account running the program; the first user of a new
 * file becomes its admin. On failure *out is NULL and err says why. */
int gt_store_open(gt_store **out, const char *path, unsigned flags, char *err, size_t errsz);

/* For guantong itself, before anything else of SQLite: turns off SQLite's
 * memory statistics and its connections' mutexes (each connection is used
 * by one thread), which took about a tenth of an import's time; keeps its
 * global ones (SQLITE_CONFIG_MULTITHREAD), without which an import's
 * second connection could not write the terms on another thread
 * (store/gt_keys.c: it then stays on the calling thread). */
void gt_store_multi_threaded(void);
/* The same with a given actor (tests and the stress programs, which run
 * several simulated users under one OS account). */
int gt_store_open_as(gt_store **out, const char *path, unsigned flags, const char *actor,
		     char *err, size_t errsz);
void gt_store_close(gt_store *st);

/* Whether db names a PostgreSQL database (a postgresql:// or postgres:// URI,
 * or libpq's "key=value ..." form) rather than an SQLite file. */
bool gt_store_is_server(const char *db);
/* Sets up a fresh PostgreSQL database (store/pg/): the owner and group roles,
 * the schema, and the first administrator (admin, or the caller when NULL);
 * each step is told to say. */
int gt_store_init_server(const char *db, const char *admin, void (*say)(const char *line, void *arg), void *arg,
			 char *err, size_t errsz);

const char *gt_store_errmsg(const gt_store *st);
const char *gt_store_path(const gt_store *st); /* the database file, as opened */
const char *gt_store_actor(const gt_store *st);
int gt_store_role(const gt_store *st);   /* GT_USER_NONE: not a registered user */
struct sqlite3 *gt_store_db(gt_store *st);
/* Changes when another connection commits (PRAGMA data_version). */
int64_t gt_store_data_version(gt_store *st);

/* "YYYY-MM-DD HH:MM:SS+hh:mm", local time. */
void gt_now(char buf[32]);

/* ---- users */
struct gt_user {
	char login[65];
	int role;
	char display_name[GT_DISPLAY_NAME_MAX + 1];
	bool active;
	char created_at[32];
};
int gt_store_user_set(gt_store *st, const char *login, int role, const char *display_name);
int gt_store_user_list(gt_store *st, int (*fn)(const struct gt_user *u, void *arg), void *arg);

/* ---- cases */
struct gt_evidence_item {
	bool received, verified;
	char received_by[65], received_at[32], verified_by[65], verified_at[32];
	char note[257];
};

struct gt_case_row {
	int64_t id;            /* 0: not stored yet */
	int64_t version;
	int status;
	char assignee[65];
	char created_at[32], created_by[65], updated_at[32], updated_by[65];
	struct gt_case c;      /* c.evidence: the verified documents */
	struct gt_evidence_item evidence[16]; /* by gt_evidence code */
	int64_t eval_id;
	int64_t decision_id;
};

/* The stored evaluation of a case (summary columns and paths). */
struct gt_stored_eval {
	int64_t id, case_id, case_version;
	char ruleset[GT_RULESET_MAX], as_of[11], evaluated_at[32], evaluated_by[65];
	char col[GT_SUM_COUNT][1024]; /* citation and message "" unless stored (has_text) */
	char paths[4096];
	char rule_id[32];
	bool has_text;                /* stored before schema version 5, with its text */
};

struct gt_decision {
	int64_t id, case_id, case_version, eval_id;
	char action[16], decided_by[65], decided_at[32], note[GT_NOTE_MAX + 1];
};

int gt_store_get(gt_store *st, int64_t id, struct gt_case_row *row);
/* A case by number, by case_ref, or by identity number (the newest case). */
int gt_store_find(gt_store *st, const char *key, int64_t *id);
int gt_store_get_eval(gt_store *st, int64_t eval_id, struct gt_stored_eval *ev);
int gt_store_get_decision(gt_store *st, int64_t decision_id, struct gt_decision *d);

/* Saves a case: inserts when row->id is 0 (status row->status: draft or
 * submitted), else updates the case if its version is still row->version.
 * Evaluates it and stores the evaluation. On success row->id, version,
 * eval_id are updated; an update that changes nothing writes nothing (no
 * version, no audit row) and leaves row->version as it was. GT_ERR_CONFLICT when the case changed meanwhile: the
 * message names who changed it and when, and nothing is written. */
int gt_store_save(gt_store *st, struct gt_case_row *row);

/* Moves a case along gt_transition(); approve, reject and return also record
 * a decision (with the note) on the case's current evaluation. expect_version
 * is the version the user saw (0: whatever is current). */
int gt_store_act(gt_store *st, int64_t id, int64_t expect_version, int action, const char *note);

/* Marks one document received and/or verified (or not), with a note; the
 * case gets a new version and a new evaluation. */
int gt_store_set_evidence(gt_store *st, int64_t id, int64_t expect_version, int code,
			  bool received, bool verified, const char *note);

/* Marks the whole checklist at once (issue 16, item 9: the case view's staged
 * marks): bit k of received / verified for document k (verified implies
 * received). One new version, one evaluation and one audit row whose before
 * and after name each document that changed. Nothing different: nothing is
 * written and *changed is false. */
int gt_store_mark_evidence(gt_store *st, int64_t id, int64_t expect_version, uint16_t received,
			   uint16_t verified, bool *changed);

/* Re-evaluates a case as of its application date with this program's rules
 * and stores the evaluation when it differs from the current one. */
int gt_store_reevaluate(gt_store *st, int64_t id);

/* Re-evaluates, in one transaction with one audit row, every case whose
 * current evaluation was made by another rule set than this program's,
 * except a case shown as decided (a decision of its current version keeps
 * what the reviewer saw). The audit row names the rule sets, the number of
 * cases, and the cases whose outcome changed (number, before, after).
 * Nothing to do writes nothing. */
struct gt_reevaluate_result {
	long cases, changed_outcome;
};
int gt_store_reevaluate_all(gt_store *st, struct gt_reevaluate_result *res);
/* Whether the case's current evaluation was made by another rule set and
 * the case is not shown as decided: gt_store_reevaluate_all would take it. */
int gt_store_eval_stale(gt_store *st, int64_t id, bool *stale);

/* The audit rows of a case (oldest first). */
struct gt_audit_row {
	int64_t id;
	char at[32], actor[65], action[32];
	const char *before, *after; /* JSON or NULL; valid during the callback */
};
int gt_store_history(gt_store *st, int64_t case_id,
		     int (*fn)(const struct gt_audit_row *a, void *arg), void *arg);

/* ---- evaluations as the store answers them (store/gt_answer.c) */
/* This program's rules as a whole: a digest of every loaded policy pack's
 * "number version hash" (a test build may simulate another:
 * GUANTONG_TEST_RULESET, see gt_answer.c). An import records it. */
const char *gt_store_ruleset(void);
/* The rule set one evaluation was made by, as stored with it: the document
 * version in force on the case's date (gt_eval_ruleset), or the test
 * build's simulated one. */
const char *gt_store_eval_ruleset(const struct gt_eval *ev);
/* gt_evaluate with this program's rule set (scratch: room for the case as
 * the test build's simulated rule set reads it; ev->c may point to it). */
void gt_store_evaluate(const struct gt_case *c, struct gt_case *scratch, struct gt_eval *ev);

enum gt_answer_source {
	GT_ANS_DERIVED,  /* the stored answer; message and citation derived by the same rules */
	GT_ANS_STORED,   /* text stored with the evaluation (before schema version 5) */
	GT_ANS_DECISION, /* what the reviewer saw when deciding (the case is as decided) */
	GT_ANS_TODAY,    /* stored by another rule set and not re-evaluated yet: today's reading */
};

struct gt_answer_in {
	const struct gt_case *c;
	const char *ruleset;               /* the stored evaluation's */
	const char *stored[GT_SUM_COUNT];  /* its columns; citation and message NULL unless stored */
	const char *decided[GT_SUM_COUNT]; /* the decision's columns when it is of this version, else NULL */
	const char *decided_ruleset;
};

struct gt_answer {
	int source;                 /* enum gt_answer_source */
	bool differs;               /* this program's rules would answer otherwise */
	char ruleset[GT_RULESET_MAX]; /* the rule set of the columns */
	const char *col[GT_SUM_COUNT]; /* the screening columns from outcome to message */
	char buf[8192];
	struct gt_case c;           /* scratch of gt_store_evaluate */
	struct gt_eval ev;          /* this program's rules on the case */
	struct gt_summary today;    /* and its columns */
};
/* Pure: the columns from what is stored (export calls it for each row). */
void gt_answer_make(const struct gt_answer_in *in, struct gt_answer *a);
/* The answer for a loaded case (its current evaluation and, when it is of
 * this version, its decision). */
int gt_store_answer(gt_store *st, const struct gt_case_row *row, struct gt_answer *a);
/* A decision's explanation as shown when it was taken (*explanation
 * malloc'ed, NULL when the decision predates schema version 5). */
int gt_store_decision_text(gt_store *st, int64_t decision_id, char **explanation, char ruleset[GT_RULESET_MAX]);

/* ---- import */
struct gt_import_opts {
	bool skip_invalid;   /* import the good rows, write the bad ones to reject */
	FILE *reject;        /* with skip_invalid: the bad rows, as read, plus a reason column */
	/* Instead of reject: the reject file (gt_file_create). The import
	 * commits it when there are invalid rows, before the cases (a reject
	 * file that cannot be written means nothing is imported), and aborts it
	 * otherwise; it is NULL afterwards. */
	struct gt_file **reject_file;
	gt_date as_of;       /* application date of rows that give none (GT_DATE_NONE: today) */
	const char *encoding; /* "gb18030", or NULL for UTF-8 (gt_csv_set_encoding) */
	/* Each invalid row, as "line N, column C: reason" (may be NULL). */
	void (*on_error)(const char *msg, void *arg);
	void (*progress)(long rows, void *arg);
	void *arg;
	/* Tests: an import into an empty store writes each row by its own
	 * statement, as into a store holding cases, rather than a table's
	 * rows a batch at a time, and makes a name's keys and a case's search
	 * terms on the writing thread, not the reading one (the two are
	 * compared row for row). */
	bool row_by_row;
};

struct gt_import_result {
	long rows, inserted, updated, unchanged, invalid, refused;
	bool not_utf8;       /* a row (or the header) is not UTF-8: the file may be GB18030 */
	int64_t same_as;     /* the audit row of the import this file repeats, nothing read (0: read) */
};

/* Reads the case CSV (or an export) and stores every case in one transaction:
 * all rows or none. Without skip_invalid, one invalid row means nothing is
 * written (every problem is reported through on_error; GT_ERR_INVALID). */
int gt_store_import(gt_store *st, FILE *in, const char *name, const struct gt_import_opts *o,
		    struct gt_import_result *res);

/* ---- export */
enum gt_export_format { GT_EXPORT_CSV, GT_EXPORT_XLSX };

struct gt_export_filter {
	uint32_t status_mask;  /* bit per gt_status; 0: all */
	uint32_t region_mask;  /* bit per gt_region; 0: all */
	uint32_t outcome_mask; /* bit per gt_outcome; 0: all */
	uint32_t direction_mask;
	char since[11];        /* changed on or after this date ("": any) */
	char assignee[65];     /* "": any; else the cases assigned to, or last
	                          changed by, this login (the queue's "mine") */
	char due_until[11];    /* "": any; else the call-back list's cases due on
	                          or before this date (gt_store_due_cases's selection) */
};

struct gt_export_opts {
	int format;
	bool replace;          /* an existing regular file may be replaced (--force, or confirmed) */
	bool bom;              /* CSV: a UTF-8 byte-order mark for Excel */
	bool machine;          /* the spec-exact form for programs (--machine): CSV without
	                          a BOM (unless bom) and identity numbers as 18 characters;
	                          XLSX with codes and stored (UTC) times. Otherwise the
	                          form for people: CSV with a BOM and identity numbers
	                          grouped 6-8-4 ("500103 19690715 4321", which a
	                          spreadsheet keeps as text and import reads back);
	                          XLSX with Chinese names, local times, sized columns
	                          and a print setup. */
	struct gt_export_filter filter;
	void (*progress)(long done, long total, void *arg);
	void *arg;
};

/* Writes the export to `path` ("-": standard output, CSV only) through
 * gt_file: the file appears complete or not at all; a link, a special file,
 * the database, or (without o->replace) an existing file is refused
 * (GT_ERR_EXISTS for the last). The export is audited (file, format, number
 * of cases, filter) before the file gets its name. *rows gets the number of
 * cases written. */
int gt_store_export(gt_store *st, const char *path, const struct gt_export_opts *o, long *rows);

/* The export format of a file name: *format from its extension (.csv,
 * .xlsx, any case); -1 when the extension is neither, -2 when it is not
 * `given` (a gt_export_format, or -1 for any). */
int gt_export_format_of(const char *path, int given, int *format);

/* The export's columns after the input ones and the summary ones. */
enum { GT_XCOL_CASE_ID, GT_XCOL_STATUS, GT_XCOL_DECIDED_BY, GT_XCOL_DECIDED_AT,
       GT_XCOL_DECISION_NOTE, GT_XCOL_COUNT };
extern const char *const gt_export_store_columns[GT_XCOL_COUNT];

/* ---- the committee's lists (store/gt_agenda.c) */
/* The audit row of a file written for people (a printed form): the file,
 * its format ("pdf"), the number of cases and the filter (NULL: none). */
int gt_store_audit_file(gt_store *st, const char *action, const char *file, const char *format, long cases,
			const struct gt_export_filter *f);

/* A case awaiting a decision (submitted or in review), as listed. */
struct gt_awaiting {
	int64_t id;
	int status, region, direction, series;
	int level;   /* the level applied for, else the evaluation's target; -1: none */
	int outcome; /* the stored evaluation's (gt_outcome) */
};
/* The cases awaiting a decision within the filter (status, region, outcome,
 * direction, since), by series, direction, level and number; fn's non-zero
 * return stops the walk and is returned. */
int gt_store_awaiting(gt_store *st, const struct gt_export_filter *f,
		      int (*fn)(const struct gt_awaiting *a, void *arg), void *arg);

/* The call-back list (store/gt_due.c): the cases whose answer is "not
 * eligible" only because a year threshold is not met yet (every unmet
 * condition of the nearest route is years), falling due on or before until
 * (or due already), approved ones left out, earliest first (then by
 * number), each with that date, as gt_store_get loads it and its answer
 * (gt_store_answer); on PostgreSQL one query (the evidence items' who,
 * when and note are not read: the row's evidence is what its evidence
 * column says). row and ans live until fn returns; fn may read the store
 * and its non-zero return stops the walk. */
int gt_store_due_cases(gt_store *st, gt_date until,
		       int (*fn)(const struct gt_case_row *row, const struct gt_answer *ans, gt_date on, void *arg),
		       void *arg);

/* ---- the office's figures (store/gt_stats.c): SQL aggregates, no case loaded */
enum gt_stat_kind {
	GT_STAT_REGION, GT_STAT_DIRECTION, GT_STAT_LEVEL, GT_STAT_OUTCOME, GT_STAT_ROUTE, GT_STAT_STATUS,
	GT_STAT_MONTH,    /* approvals (n) and rejections (n2) by local month "YYYY-MM" */
	GT_STAT_REVIEWER, /* approvals (n) and rejections (n2) by login */
	GT_STAT_AWARD,    /* the awards green channels rest on: honour or "competition:result" */
	GT_STAT_COUNT
};
struct gt_stat_row {
	char key[96];   /* the stored code (or month, login) */
	char key2[32];  /* GT_STAT_LEVEL: the direction that names the level */
	int64_t n, n2;
};
struct gt_stat_table {
	struct gt_stat_row *rows;
	int n, cap;
};
struct gt_stats {
	int64_t cases;
	struct gt_stat_table t[GT_STAT_COUNT];
	int64_t decided;              /* cases whose current decision approves or rejects */
	double median_days, p90_days; /* intake to that decision in whole hours, as days (lower median, nearest-rank 90th) */
};
/* Every figure, in one read transaction. Free with gt_stats_free. */
int gt_store_stats(gt_store *st, struct gt_stats *s);
void gt_stats_free(struct gt_stats *s);

/* ---- backup: SQLite's online backup API, safe while others write. The copy
 * is made in a private directory beside dest and linked to dest, which must
 * not exist (GT_ERR_EXISTS), after its audit row commits. */
int gt_store_backup(gt_store *st, const char *dest);

/* ---- the workstation's queue: keyset pages, never all rows */
/* The sortable orders, one per column of the queue, in the columns' order. */
enum gt_qsort {
	GT_QS_ID, GT_QS_NAME, GT_QS_REGION, GT_QS_DIRECTION, GT_QS_LEVEL, GT_QS_OUTCOME, GT_QS_STATUS,
	GT_QS_ASSIGNEE, GT_QS_UPDATED, GT_QS_COUNT
};

struct gt_queue_filter {
	uint32_t status_mask, region_mask, outcome_mask, direction_mask; /* 0: all */
	bool mine;                /* assigned to, or last changed by, the user */
};

struct gt_queue_row {
	int64_t id;
	char name[GT_TEXT_MAX_BYTES + 1];
	char id_number[19];       /* only from the search by identity number */
	int region, direction;
	char level[32];           /* requested level, else the evaluation's target */
	int outcome;              /* gt_outcome */
	int status;
	char assignee[65];
	char updated_at[32];
	char sortkey[GT_KEY_MAX]; /* the row's value in the sort order */
	int64_t applicant_id;
};

/* A place in an order, between two rows. Every order is total:
 *   number:                          (case number)
 *   name, and the search by name:    (name, applicant, region, direction)
 *   the search by identity number:   (identity number, region, direction)
 *   every other column:              (that column, case number)
 * The name orders end in the applicant and the region and direction (unique
 * together) rather than the case number, because that is the order in which
 * SQLite meets the rows walking the applicants' index and then each
 * applicant's cases: no sort, however many share a name. With inclusive the
 * row at the place itself comes first, else the one after it. */
struct gt_queue_pos {
	char key[GT_KEY_MAX];
	int64_t applicant_id;
	int region, direction;
	int64_t id;
	bool inclusive;
};
void gt_queue_pos_of(const struct gt_queue_row *r, struct gt_queue_pos *p);

/* Up to n rows after `after` in the order (from the start when NULL); with
 * backward, up to n rows before `after` (from the end when NULL), returned
 * in display order. *count gets the number of rows. */
int gt_queue_fetch(gt_store *st, const struct gt_queue_filter *f, int sort, bool desc,
		   const struct gt_queue_pos *after, bool backward, int n, struct gt_queue_row *rows,
		   int *count);

/* Search, within the filter: q is the start of a term of a case (store/
 * gt_keys.c: any suffix of the name, its pinyin by syllable or its
 * initials; the case_ref, identity number or case number), case-blind.
 * Matches come in the order of the terms (then case number), each case once,
 * not the queue's: `from` is the previous match's search position (NULL:
 * the first, or with backward the last), and *hit_pos gets the hit's.
 * *found is false when there is none. */
int gt_queue_search(gt_store *st, const struct gt_queue_filter *f, int sort, const char *q,
		    const struct gt_queue_pos *from, bool backward, struct gt_queue_row *hit,
		    struct gt_queue_pos *hit_pos, bool *found);

/* How many cases the filter leaves (*total), and with `at` (a row's place,
 * as gt_queue_pos_of gives it) how many come before that row in the order
 * (*before; -1 without `at`). The total is kept while nothing changes (the
 * same data_version and filter); the rank is counted, its cost growing with
 * it. PostgreSQL: counted each time. */
int gt_queue_count(gt_store *st, const struct gt_queue_filter *f, int sort, bool desc,
		   const struct gt_queue_pos *at, int64_t *total, int64_t *before);

/* Fills the identity number of each row that has none (the queue's column
 * from 100 columns up), from the applicant of the row. */
int gt_queue_id_numbers(gt_store *st, struct gt_queue_row *rows, int n);

/* Makes every case's queue keys anew (store/gt_keys.c): after an upgrade of
 * ICU, whose collation keys may change, or names written behind the store's
 * back. One transaction. */
int gt_store_keys_rebuild(gt_store *st);

/* Where a filtered page stops being read through the filter's index and
 * sorted, and starts being walked in the order's index: a filter that leaves
 * fewer than n cases (default 5000; 0 restores it). For tests. */
void gt_queue_set_few(int64_t n);
/* Whether a filter that leaves few cases keeps their order between pages
 * (default true; false reads and sorts them for every page). For tests. */
void gt_queue_use_sets(bool on);

/* The page cache of this connection, in KiB (the workstation keeps it small). */
void gt_store_cache_kib(gt_store *st, int kib);

/* Whether the file holds no cases at all. */
int gt_store_is_empty(gt_store *st, bool *empty);

/* ---- intake drafts (gt_draft.c): several per user, each named, for a new
 * case (case_id 0) or an edit; not audited until the case is saved */
struct gt_draft {
	int64_t id;             /* per user: 1, 2, ... */
	char name[128];
	int64_t case_id;        /* 0: a new case */
	int64_t base_version;   /* an edit: the version the draft began from */
	char updated_at[32];    /* UTC, as stored */
};
/* Saves the draft *id (0: a new one, whose number is written to *id).
 * base_fields: an edit's case at base_version (NULL or "" for a new case). */
int gt_store_draft_save(gt_store *st, int64_t *id, const char *name, int64_t case_id, int64_t base_version,
			const char *base_fields, const char *fields);
/* The user's drafts for case_id (-1: all), newest first; *list is malloc'ed. */
int gt_store_draft_list(gt_store *st, int64_t case_id, struct gt_draft **list, int *n);
/* *fields and *base_fields are malloc'ed (NULL when there is no such draft). */
int gt_store_draft_load(gt_store *st, int64_t id, struct gt_draft *d, char **fields, char **base_fields);
int gt_store_draft_delete(gt_store *st, int64_t id);

#endif
