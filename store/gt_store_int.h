/* Internals shared by the store's source files. */
#ifndef GT_STORE_INT_H
#define GT_STORE_INT_H

#include <sqlite3.h>

#include "gt_file.h"
#include "gt_store.h"
#include "gt_text.h"

struct gt_store {
	sqlite3 *db;
	char path[4096];
	char actor[65];
	int role;
	char err[1024];
	struct gt_queue_cache *queue; /* gt_queue.c: what the queue keeps between pages */
	struct gt_pg *pg;             /* on PostgreSQL (store/pg/): db is NULL */
	struct gt_keys_stmts *keys;   /* gt_keys.c: its statements */
};

void gt_queue_cache_free(struct gt_queue_cache *c);

/* ---- the queue's keys of a case (store/gt_keys.c) */
#define GT_MAX_SYLLABLES 64
struct gt_keys {
	char sortkey[GT_KEY_MAX];            /* ICU "zh" collation key: its bytes, stored as a BLOB */
	char pinyin[4 * GT_TEXT_MAX_BYTES];  /* "maxuemei" */
	char initials[GT_MAX_SYLLABLES + 1]; /* "mxm" */
	uint16_t syllable[GT_MAX_SYLLABLES]; /* where each syllable starts in pinyin */
	int nsyllables;
};
/* The keys of a name; -1 when ICU cannot make them. */
int gt_keys_make(const char *name, struct gt_keys *k);
/* The same by ICU's transform of the whole name, never the table of
 * characters: what gt_keys_make is tested against. */
int gt_keys_make_whole(const char *name, struct gt_keys *k);
/* The characters of Han-Latin's rules with a context: those whose reading
 * depends on their neighbour (named false) or all they name (named true),
 * up to max of them into out; their number, -1 without ICU. */
int gt_keys_context_chars(bool named, uint32_t *out, int max);
/* Whether this process has opened ICU's transform (a name's keys need it
 * only for a name the built table cannot read). */
bool gt_keys_transform_opened(void);
/* The search terms of one case, at most. */
#define GT_TERMS_MAX (4 * GT_MAX_SYLLABLES + 8)
/* A case's search terms but its case number's (which needs the number
 * the writer gives): made on the import's reader thread for a new case
 * (gt_terms_make, from the keys made there), and given to gt_keys_write,
 * which copies them into its run as they are. The n terms written to
 * case_terms, each closed by a 0, one after another in text[0..block),
 * with their lengths and heads (their first 8 bytes, big-endian, 0 after
 * their end); then the identity number's (not written to case_terms: it
 * only keeps the case number's term out when they are the same text),
 * id_len bytes, -1 when it has none of its own. */
struct gt_terms {
	int n, id_len;
	size_t block, size;
	char *text; /* malloc'd, grown as needed (gt_terms_free) */
	uint16_t len[GT_TERMS_MAX];
	uint64_t head[GT_TERMS_MAX];
};
struct gt_term_maker; /* its work space */
struct gt_term_maker *gt_term_maker_new(void);
void gt_term_maker_free(struct gt_term_maker *m);
/* The terms of a case of this name, identity number and case_ref, whose
 * name has the keys k; -1 when out of memory. */
int gt_terms_make(struct gt_term_maker *m, const char *name, const char *id_number, const char *case_ref,
		  const struct gt_keys *k, struct gt_terms *out);
void gt_terms_free(struct gt_terms *t);
/* Writes a case's keys and search terms (the one writer: gt_write_case):
 * from given keys of the name when not NULL (made on the import's reader
 * thread), else made here; during a bulk load a new case's terms from
 * given_terms when not NULL (made from the same name, identity number,
 * case_ref and given keys), else made here; old: the case as stored, whose
 * terms are made again to be deleted (NULL: the case has no terms yet). */
int gt_keys_write(gt_store *st, int64_t case_id, const char *name, const char *id_number, const char *case_ref,
		  const struct gt_keys *given, const struct gt_terms *given_terms, const struct gt_case *old);
/* A search term's bytes, at most. */
#define GT_TERM_BYTES (GT_KEY_MAX / 2)
/* The search terms of stored case case_id, made again as gt_keys_write
 * made them, from the case and its stored keys (without ICU): *n of them in
 * *terms (valid until the next call), or *n = -1 when they cannot be (no
 * keys, or keys of a name its applicant no longer has): then only
 * case_terms has them. */
int gt_keys_case_terms(gt_store *st, int64_t case_id, const char (**terms)[GT_TERM_BYTES], int *n);
/* A bulk load (an import, in its transaction): from gt_keys_bulk on, the
 * terms of the cases gt_keys_write writes are kept in sorted runs (in
 * memory, then in a scratch file); gt_keys_bulk_end(st, true) writes them
 * all to case_terms, merged in order, gt_keys_bulk_end(st, false) drops
 * them (the load failed: its transaction is rolled back). Either ends it,
 * and must before the transaction does. */
int gt_keys_bulk(gt_store *st);
/* The same; without side_rows the load's evaluations and keys are written
 * to the store as they come (gt_keys_side_rows NULL), as a row-by-row
 * import does. */
int gt_keys_bulk_with(gt_store *st, bool side_rows);
int gt_keys_bulk_end(gt_store *st, bool write);
/* After a bulk load's rows: starts the merge of its terms, on a second
 * thread when it can (see gt_keys.c), else writes them as
 * gt_keys_bulk_end(st, true) would; gt_keys_bulk_end then finishes it. */
int gt_keys_bulk_merge(gt_store *st);
/* After the import's commit or rollback: detaches the second thread's
 * scratch database, if any (DETACH is refused inside the transaction). */
void gt_keys_side_detach(gt_store *st);
/* A bulk load into a store whose evaluations, case_keys and case_terms are
 * empty writes the first two on its second connection too, while the rows
 * are read (see gt_keys.c), and the applicants when that table is empty as
 * well: the rows of table GT_SIDE_EVALS (write_eval's cells) or
 * GT_SIDE_KEYS being filled, to which the caller adds one (gt_rows_add);
 * NULL when the load's rows of that table go to the store. GT_SIDE_APPLICANTS
 * is filled by gt_keys_side_applicant_put only (its rows are looked up). */
enum { GT_SIDE_EVALS, GT_SIDE_KEYS, GT_SIDE_APPLICANTS, GT_SIDE_TABLES };
struct gt_rows *gt_keys_side_rows(gt_store *st, int table);
/* After a row was added: hands the rows over to the second thread when
 * they are enough (waiting while it writes the ones before); an error when
 * that thread failed. */
int gt_keys_side_hand(gt_store *st, int table);
/* Evaluation id's answer as the second connection holds it (*found false
 * when the load's evaluations go to the store: read it there). */
struct gt_side_eval {
	char outcome[32], route[64], basis[128];
};
int gt_keys_side_eval(gt_store *st, int64_t id, struct gt_side_eval *e, bool *found);
/* While the second connection takes the load's applicants
 * (gt_keys_side_rows(st, GT_SIDE_APPLICANTS) not NULL), every applicant row
 * of the load goes there and every read of one asks it, the store's table
 * staying empty until it is copied whole (gt_keys_bulk_end): applicant id
 * written (a new one, its id the caller's counter, one more than the last
 * new one's; or with rename, the row of that id takes the name), and found by identity number (id_number) or, with
 * id_number NULL, by id. */
struct gt_side_applicant {
	int64_t id;
	char id_number[19];
	char name[GT_TEXT_MAX_BYTES + 1];
};
int gt_keys_side_applicant_put(gt_store *st, int64_t id, const char *id_number, const char *name,
			       int64_t birth_date, bool rename);
int gt_keys_side_applicant_find(gt_store *st, const char *id_number, int64_t id, struct gt_side_applicant *a,
				bool *found);
/* write_eval's cells (?k of its INSERT) that gt_keys_side_eval reads. */
enum { GT_EVAL_CELL_ID = 1, GT_EVAL_CELL_OUTCOME = 8, GT_EVAL_CELL_ROUTE = 10, GT_EVAL_CELL_BASIS = 11 };
/* For tests: a bulk load's run of terms holds at most this many (0: the
 * program's size, 2^18), so that a small file's load writes several. */
void gt_keys_run_size(size_t terms);
/* For tests: the thread that spills a full run starts its work only when
 * the writer waits for it (the next full run, a case written again whose
 * terms are not in the run filling, the merge), so that those happen
 * while a run is surely being spilled. */
void gt_keys_spill_hold(bool hold);
/* For tests (tests/fuzz/fuzz_import_bulk.c): a bulk load hands its rows to
 * the second thread this many at a time (0: the program's, 2,048), so that
 * a small file's load hands several over while its rows are read. */
void gt_keys_side_size(size_t rows);
/* For tests: a bulk load's second thread leaves the applicants' rows
 * handed over unwritten until the writer waits for it, so that a look-up
 * finds them there (gt_keys.c). */
void gt_keys_side_hold(bool hold);
/* For tests: that thread's connection's page cache in KiB (0: the
 * program's, 32 MiB), so that its rows reach its file amid a small load. */
void gt_keys_side_cache(int kib);
/* For tests: a bulk load keeps the identity numbers of its applicants in
 * memory in this many slots (a power of two from 8; 0: the program's,
 * 2^21), filled to three quarters before the applicants' index is built
 * amid the rows (gt_keys.c, numbers_off). */
void gt_keys_side_numbers(size_t slots);
/* For tests: an import's Bloom filter of the identity numbers it wrote
 * (gt_import.c, ids_seen) has this many bits, a power of two from 64 (0:
 * the program's, 2^25), so that a small file has numbers the filter may
 * have seen that no applicant has. */
void gt_import_filter_bits(uint32_t bits);
/* Fills the keys of every case that has none (the migration to them). */
int gt_keys_fill(gt_store *st);
/* The call-back date of an evaluation (store/gt_due.c): the earliest day a
 * route waiting only for years opens, when the answer (its outcome and
 * unmet columns) is "not eligible" for years only; else GT_DATE_NONE. */
gt_date gt_due_of(const struct gt_eval *ev, const char *outcome, const char *unmet);
/* Keeps case_due with the case's evaluation (the one writer: gt_write_case). */
int gt_due_write(gt_store *st, int64_t case_id, gt_date on, bool new_case);
/* Fills case_due for every stored case that waits for years and has no row
 * (the migration to it). */
int gt_due_fill(gt_store *st);
void gt_keys_stmts_free(struct gt_keys_stmts *ks);

/* Sets the error message (printf-style) and returns rc. */
int gt_fail(gt_store *st, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* An SQLite failure: the message names what was being done. */
int gt_fail_sql(gt_store *st, const char *what);

/* A bulk load's journal: a rollback journal while the connection is the
 * file's only one (true: switched), WAL again after (gt_store.c). */
bool gt_store_journal_alone(gt_store *st);
int gt_store_journal_wal(gt_store *st);

int gt_begin(gt_store *st);      /* BEGIN IMMEDIATE, waiting up to the busy timeout */
int gt_commit(gt_store *st);
void gt_rollback(gt_store *st);

/* The directory of the store's file, where the program's temporary files
 * for it go (SQLite's sort runs, an import's runs of terms):
 * sqlite3_malloc'd, NULL when out of memory. */
char *gt_store_dir(const gt_store *st);

/* A zeroed table of bytes bytes read and written at random (an import's
 * filter of identity numbers, the second thread's numbers), in pages of
 * 2 MiB where the kernel has them; NULL when out of memory. Given back by
 * gt_table_free with the same size. */
void *gt_table_alloc(size_t bytes);
void gt_table_free(void *p, size_t bytes);

/* Prepares sql, or sets the error and returns NULL. */
sqlite3_stmt *gt_prepare(gt_store *st, const char *sql);

/* A table-valued function over rows the program holds (a bulk import's
 * batch, a run of search terms): name(p), p bound by sqlite3_bind_pointer
 * with the type name, so that one INSERT ... SELECT writes them all. */
struct gt_ptr_table {
	const char *name;      /* the function's, and the pointer's type */
	const char *decl;      /* "CREATE TABLE x (..., p HIDDEN)": the hidden column last */
	int hidden;            /* its index */
	int rows;              /* about how many rows p holds, for SQLite's planner */
	/* Whether p has no row at (rows 0, 1, ... in turn). */
	bool (*done)(const void *p, size_t at);
	/* A stream's step to its next row (NULL: rows are read by index);
	 * non-zero is an I/O error, which ends the statement. */
	int (*next)(void *p);
	/* Sets the value of column col of row at (nothing: NULL). */
	void (*column)(const void *p, size_t at, int col, sqlite3_context *ctx);
};
/* A table's rows kept for one INSERT ... SELECT from the table-valued
 * function gt_rows(?1) (store/gt_case_io.c): cell k of a row is what ?k of
 * the table's INSERT would be bound to; texts and blobs are copied. */
struct gt_rows;
struct gt_rows *gt_rows_new(int ncols);
void gt_rows_free(struct gt_rows *r);
size_t gt_rows_count(const struct gt_rows *r);
bool gt_rows_whole(const struct gt_rows *r); /* false: a cell was lost (out of memory) */
void gt_rows_empty(struct gt_rows *r);
/* A new last row, all NULL (-1: out of memory), whose cells these set. */
int gt_rows_add(struct gt_rows *r);
void gt_rows_int(struct gt_rows *r, int col, int64_t v);
void gt_rows_text(struct gt_rows *r, int col, const char *v, int n); /* n < 0: up to the NUL */
void gt_rows_blob(struct gt_rows *r, int col, const void *v, int n);
int64_t gt_rows_get_int(const struct gt_rows *r, size_t at, int col);
const char *gt_rows_get_text(const struct gt_rows *r, size_t at, int col, int *n); /* NULL: not text */
/* Registers gt_rows on another connection (a bulk load's second one). */
int gt_rows_module(sqlite3 *db);
/* The INSERT of write_eval's cells from gt_rows(?1) into evaluations. */
void gt_eval_rows_sql(char *out, size_t size);
/* Registers t on the store's connection (again: SQLite 3.40 keeps a
 * table-valued function's table with a pointer to the schema it was first
 * used under, which a schema made again by sqlite3_deserialize frees;
 * registering again drops that table). */
int gt_ptr_table_register(gt_store *st, const struct gt_ptr_table *t);
/* The same on another connection (an import's second one); SQLite's code. */
int gt_ptr_table_module(sqlite3 *db, const struct gt_ptr_table *t);

/* Binds canonical text (NULL for an empty string when null_if_empty). */
void gt_bind_text(sqlite3_stmt *s, int i, const char *v, bool null_if_empty);
const char *gt_col_text(sqlite3_stmt *s, int i); /* "" for NULL */
/* The times of cases and evaluations are stored as whole seconds since 1970
 * UTC (schema version 12). gt_bind_time binds a time given as text (as
 * gt_now writes it; what gt_time_parse reads) as those seconds; text it
 * cannot read is bound as it is. GT_TIME_TEXT
 * reads such a column back as gt_now's text ("...+00:00"), and text stored
 * there (by the shell, or an old time that did not read) as it is. */
void gt_bind_time(sqlite3_stmt *s, int i, const char *v);
#define GT_TIME_TEXT(col) "coalesce(datetime(" col ", 'unixepoch') || '+00:00', " col ")"
/* Such a column's seconds, whatever it holds, to compare with gt_bind_time's. */
#define GT_TIME_SECONDS(col) "iif(typeof(" col ") = 'integer', " col ", unixepoch(" col "))"
void gt_copy(char *dst, size_t size, const char *src);

/* Appends a JSON string literal. */
void gt_json_str(struct gt_sb *sb, const char *s);
/* Flushes an import's reject file; when that fails, says so (the file, the
 * reason, a full disk) and returns GT_ERR: nothing is imported (gt_import.c). */
struct gt_out;
int gt_import_reject_flush(gt_store *st, struct gt_out *reject, const char *name);

/* Writes one audit row. entity_id is text (a case number, a login). */
int gt_audit(gt_store *st, const char *at, const char *action, const char *entity,
	     const char *entity_id, const char *before, const char *after);

/* How long a statement waits for another connection's write lock. */
#define GT_BUSY_TIMEOUT_MS 10000
/* How long an export or a backup waits to record itself: a large import
 * holds the write lock for its whole transaction (about 40 s for a million
 * rows), and the copy or export is already made by then. */
#define GT_AUDIT_FILE_TIMEOUT_MS 300000

/* The audit row of an export or a backup: the file, its format, the number
 * of cases and the filter (NULL: none), as JSON made by SQLite; in its own
 * transaction. */
int gt_audit_file_write(gt_store *st, const char *action, const char *file, const char *format, long cases,
			const struct gt_export_filter *f);

/* Case storage shared by save and import. */
#define GT_RULESET_CACHE 16
#define GT_RULE_CACHE 128
#define GT_NAME_HINTS 256 /* indexed by the top 8 bits of a hash */
/* cases.evidence, a set of bits (evidence_codes), as the case CSV writes it:
 * column i of s into out; returns its length. */
#define GT_EVIDENCE_TEXT_MAX 512
size_t gt_evidence_text(sqlite3_stmt *s, int i, char out[GT_EVIDENCE_TEXT_MAX]);
/* Column i of s, which holds the case CSV's column col, as the CSV writes
 * it: the codes and dates that schema 13 stores as numbers given as their
 * text, text a person wrote with the shell as it is (*n: its length). */
#define GT_INPUT_TEXT_MAX 24
const char *gt_input_text(sqlite3_stmt *s, int i, int col, char buf[GT_INPUT_TEXT_MAX], size_t *n);

/* The committee's list (gt_agenda.c), for both backends: a case's row from
 * its status, region, direction, series, level and outcome codes (true:
 * the filter keeps it), and the filter's since as the stored UTC ("": none). */
bool gt_awaiting_of(const struct gt_export_filter *f, int64_t id, const char *const col[6], struct gt_awaiting *a);
void gt_awaiting_since(const struct gt_export_filter *f, char since[32]);

/* One row of an export as gt_export.c writes it, from either backend: the
 * input columns (canonical text), the stored summary, the store's columns,
 * then the rule set of the evaluation, the decision's rule set and its
 * summary (NULL: none). */
#define GT_XROW_COLS (GT_COL_COUNT + 2 * GT_SUM_COUNT + GT_XCOL_COUNT + 2)
struct gt_xrow {
	const char *v[GT_XROW_COLS];
	size_t n[GT_XROW_COLS];
};


#define GT_AUDIT_JSON_MAX 16384
#define GT_PATHS_MAX 8192

/* What gt_write_case derives from the case's data alone: pure, no SQLite,
 * so that import computes it on its reader thread. */
struct gt_case_prepared {
	struct gt_eval ev;            /* ev.c points to the case it was made from */
	struct gt_summary sum;
	struct gt_case scratch;       /* gt_store_evaluate's */
	char as_of[11];               /* the evaluation's as-of date */
	char after[GT_AUDIT_JSON_MAX]; /* the audit row of the case as a new one */
	size_t after_len;
	bool after_cut;               /* longer than after: not valid JSON, never written */
	int after_status;             /* the status after was made for; -1: not made */
};
/* Evaluates c into p; with new_status >= 0, also the audit JSON of c as a
 * new case in that status. */
void gt_case_prepare(const struct gt_case *c, int new_status, struct gt_case_prepared *p);

/* case_counts' rows (the grouping of its triggers, schema.sql: region,
 * direction, level, outcome, route, award, status) tallied in memory by an
 * import into an empty store, which drops those triggers, and written at
 * its end (gt_tally_write). Its size is the number of distinct rows, a few
 * hundred, whatever the number of cases. */
enum { GT_TALLY_COLS = 7 };
struct gt_tally;
struct gt_tally *gt_tally_new(void);
void gt_tally_free(struct gt_tally *t);
/* Adds n (-1: takes one away) to a row; -1 when out of memory. */
int gt_tally_add(struct gt_tally *t, const char *const col[GT_TALLY_COLS], int64_t n);
/* Adds every row that is not 0 to case_counts. */
int gt_tally_write(gt_store *st, const struct gt_tally *t);

/* A bulk import writes its new cases GT_BATCH_CASES at a time (an INSERT
 * ... SELECT a table), while its reader waits with its rows ready
 * (gt_import.c: as many as a batch): a batch the reader cannot read ahead
 * of leaves it idle while the batch is written, and the writer then waits
 * for it row after row until the next batch. With 2,048 (the reader 128
 * rows ahead) the writing thread waited for the reader about 4,200 times
 * a 200k import (perf, sched_switch) and was busy 76% of the rows' time;
 * with 256, the 200k import took 2.76 s (median of 5, wall) where 2,048
 * took 3.34 s. The statements' own cost a batch is small beside that
 * (128: 2.89 s). */
enum { GT_BATCH_CASES = 256 };
/* For tests (tests/fuzz/fuzz_import_bulk.c): a batch holds at most this
 * many new cases (0: GT_BATCH_CASES), so that a small file spans several;
 * the reader's slots stay GT_BATCH_CASES. */
void gt_case_batch_size(size_t cases);

struct gt_case_stmts {
	sqlite3_stmt *find_applicant, *insert_applicant, *update_applicant;
	sqlite3_stmt *find_case, *insert_case, *update_case;
	sqlite3_stmt *del_honours, *ins_honour, *del_comps, *ins_comp;
	sqlite3_stmt *upsert_evidence;
	sqlite3_stmt *insert_eval, *insert_audit;
	sqlite3_stmt *find_ruleset, *insert_ruleset, *find_rule, *insert_rule;
	/* The rule sets' ids met so far in this transaction (rulesets), and
	 * the rules' (rule_names, schema 14). */
	struct gt_name_id { char name[GT_RULESET_MAX]; int64_t id; } rulesets[GT_RULESET_CACHE];
	int nrulesets;
	struct gt_name_id rules[GT_RULE_CACHE];
	int nrules;
	/* Where in its cache a name was last found, by the name's address
	 * (the rules' ids are the rule sets' own strings): name_id. */
	struct gt_name_hint { const char *at; int i; } ruleset_hints[GT_NAME_HINTS], rule_hints[GT_NAME_HINTS];
	int64_t next_eval; /* the id the next evaluation gets (we hold the write lock) */
	/* The id the next new applicant gets, when a batch or the bulk load's
	 * second connection numbers them (0: not read yet). */
	int64_t next_applicant;
	/* The next gt_write_case uses this instead of preparing the case
	 * itself; the caller sets it for one call (import) and clears it. */
	const struct gt_case_prepared *given;
	/* Likewise the keys of the case's name (import: made on its reader
	 * thread), for one call; NULL: made when needed. */
	const struct gt_keys *given_keys;
	/* And the terms of the case (all but its number's), made there from
	 * given_keys and the case's data; NULL: made when needed. */
	const struct gt_terms *given_terms;
	/* Import: a case it creates has no audit row of its own (the
	 * import's row names it), and a case it changes has only the fields
	 * that changed. */
	bool no_new_audit;
	/* reevaluate: no row per case (its own row names them all). */
	bool quiet;
	/* Import into an empty store: case_counts' triggers are dropped and
	 * every case written is counted here instead (NULL: the triggers
	 * count). */
	struct gt_tally *tally;
	sqlite3_stmt *counted; /* a stored case's row of case_counts, for tally */
	/* Kept once prepared: a case read back (gt_load_case_with), the
	 * outcome of a changed case's evaluation, a renamed applicant's other
	 * cases. */
	sqlite3_stmt *load_case, *load_evidence, *old_outcome, *other_cases;
	/* The last `now` text bound and its seconds: an import binds the same
	 * time for every case, parsed once (gt_bind_now). */
	char now_text[40];
	int64_t now_secs;
	bool now_parsed;
	/* Work space of gt_write_case, allocated once per batch. */
	struct gt_case_prepared *work;
	char *before, *after;
	/* A bulk import's new cases of new applicants: their applicant, case
	 * and evaluation rows gathered and written a table at a time
	 * (gt_case_batch_flush); NULL: each row by its own statement. */
	struct gt_row_batch *batch;
};
int gt_case_stmts_prepare(gt_store *st, struct gt_case_stmts *cs);
void gt_case_stmts_finalize(struct gt_case_stmts *cs);
/* Starts gathering rows (cs->batch) for an import into a store that holds
 * no case; gt_case_stmts_finalize ends it, unwritten rows dropped. */
int gt_case_batch_start(gt_store *st, struct gt_case_stmts *cs);
/* Writes the rows gathered so far: before anything reads cases, applicants
 * or evaluations, and before a row is written by its own statement
 * (gt_write_case does that itself). */
int gt_case_batch_flush(gt_store *st, struct gt_case_stmts *cs);

/* The stored applicant of identity number id_number: *aid (0: none) and
 * their name; during a bulk load whose applicants are on the second
 * connection, asked there. */
int gt_find_applicant(gt_store *st, struct gt_case_stmts *cs, const char *id_number, int64_t *aid,
		      char name[GT_TEXT_MAX_BYTES + 1]);

/* Loads a case (every column, evidence included). */
int gt_load_case(gt_store *st, int64_t id, struct gt_case_row *row);
/* The same through statements kept in cs (finalized with it). */
int gt_load_case_with(gt_store *st, struct gt_case_stmts *cs, int64_t id, struct gt_case_row *row);

/* The JSON object of a case's input columns: with b, those whose canonical
 * text differs from b's; without, the required ones and those not at their
 * default. Returns the number of fields. */
int gt_case_json(const struct gt_case *a, const struct gt_case *b, struct gt_sb *sb);

/* Writes a new case (id 0) or the new data of an existing one, its children,
 * its evaluation and its audit row; inside a transaction the caller holds.
 * `old` is the stored case for an update (NULL for an insert). */
int gt_write_case(gt_store *st, struct gt_case_stmts *cs, struct gt_case_row *row,
		  const struct gt_case_row *old, int64_t aid_hint, const char *now, const char *audit_action);
/* aid_hint: -1 look the applicant up; 0 the caller found none; > 0 the
 * caller found this applicant and no case of it in the row's region and
 * direction. Ignored for updates. With cs->batch, a new case of a new
 * applicant (aid_hint 0) gets the next numbers and its three rows wait in
 * the batch; any other write sends the batch first. */

/* The shared install's setgid rules (gt_shared.c): the name to open path
 * by (resolved when it is the install's database), the group given up for
 * good otherwise; -1 when that failed. */
int gt_shared_open_path(const char *path, char *out, size_t size);

/* The case CSV row of a case, without its line end (a decision's snapshot). */
void gt_case_csv_row(const struct gt_case *c, struct gt_sb *sb);

/* Whether two cases differ in any input column or evidence detail. */
bool gt_case_differs(const struct gt_case_row *a, const struct gt_case_row *b);

/* The median and 90th percentile (nearest rank; the lower of the middle
 * two) of a histogram of whole hours from intake to decision, fed bucket by
 * bucket in ascending hours: init with the total, then add each bucket;
 * add returns true once both are set in s (as days). */
struct gt_hour_ranks {
	int64_t seen, rank_med, rank_p90;
	bool med;
};
void gt_hour_ranks_init(struct gt_hour_ranks *r, int64_t total);
bool gt_hour_ranks_add(struct gt_hour_ranks *r, int64_t hours, int64_t n, struct gt_stats *s);

#endif
