/* The case store: opening and migrating the file, users and roles, status
 * transitions, saving cases, decisions, evidence, the audit log, backup. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gt_csv.h"
#include "gt_i18n.h"
#include "gt_rules.h"
#include "gt_pg.h"
#include "gt_store_int.h"
#include "gt_time.h"
#include "gt_vis.h"

/* Generated from schema.sql and store/migrate/ (see CMakeLists.txt). */
extern const char gt_schema_sql[];
extern const char *const gt_migrations[]; /* [k]: from version k+1 to k+2 */
extern const int gt_nmigrations;

const char *const gt_role_codes[GT_USER_ROLES] = { "", "clerk", "reviewer", "admin" };
const char *const gt_status_codes[GT_ST_COUNT] = {
	"draft", "submitted", "in_review", "approved", "rejected", "returned", "void",
};
const char *const gt_action_codes[GT_ACT_COUNT] = {
	"submit", "take", "approve", "reject", "return", "reopen", "void",
};

static int lookup(const char *const *t, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (s && strcmp(t[i], s) == 0)
			return i;
	return -1;
}

int gt_role_parse(const char *s)
{
	int r = lookup(gt_role_codes, GT_USER_ROLES, s);
	return r > 0 ? r : -1;
}

int gt_status_parse(const char *s)
{
	return lookup(gt_status_codes, GT_ST_COUNT, s);
}

const char *gt_status_name(int status)
{
	static const char *const names[GT_ST_COUNT] = {
		N_("draft"), N_("submitted"), N_("in review"), N_("approved"), N_("rejected"),
		N_("returned"), N_("void"),
	};
	return status >= 0 && status < GT_ST_COUNT ? _(names[status]) : "";
}

const char *gt_action_name(int action)
{
	static const char *const names[GT_ACT_COUNT] = {
		N_("submit"), N_("take into review"), N_("approve"), N_("reject"),
		N_("return for evidence"), N_("reopen"), N_("void"),
	};
	return action >= 0 && action < GT_ACT_COUNT ? _(names[action]) : "";
}

/* The one table of allowed transitions. */
static const struct {
	int8_t to[GT_ST_COUNT]; /* by from-status; -1 not allowed */
	int8_t role;
} transitions[GT_ACT_COUNT] = {
	/* from: draft, submitted, in_review, approved, rejected, returned, void */
	[GT_ACT_SUBMIT]  = { { GT_ST_SUBMITTED, -1, -1, -1, -1, GT_ST_SUBMITTED, -1 }, GT_USER_CLERK },
	[GT_ACT_TAKE]    = { { -1, GT_ST_IN_REVIEW, -1, -1, -1, -1, -1 }, GT_USER_REVIEWER },
	[GT_ACT_APPROVE] = { { -1, GT_ST_APPROVED, GT_ST_APPROVED, -1, -1, -1, -1 }, GT_USER_REVIEWER },
	[GT_ACT_REJECT]  = { { -1, GT_ST_REJECTED, GT_ST_REJECTED, -1, -1, -1, -1 }, GT_USER_REVIEWER },
	[GT_ACT_RETURN]  = { { -1, GT_ST_RETURNED, GT_ST_RETURNED, -1, -1, -1, -1 }, GT_USER_CLERK },
	/* A void undone goes back to the start of review. */
	[GT_ACT_REOPEN]  = { { -1, -1, -1, GT_ST_IN_REVIEW, GT_ST_IN_REVIEW, GT_ST_IN_REVIEW, GT_ST_SUBMITTED },
			     GT_USER_ADMIN },
	[GT_ACT_VOID]    = { { GT_ST_VOID, GT_ST_VOID, GT_ST_VOID, GT_ST_VOID, GT_ST_VOID, GT_ST_VOID, -1 },
			     GT_USER_ADMIN },
};
_Static_assert(GT_ST_COUNT == 7, "each row of transitions names every status");

int gt_transition(int from, int action, int *min_role)
{
	if (action < 0 || action >= GT_ACT_COUNT || from < 0 || from >= GT_ST_COUNT)
		return -1;
	if (min_role)
		*min_role = transitions[action].role;
	return transitions[action].to[from];
}

bool gt_role_allows(int role, int action)
{
	return action >= 0 && action < GT_ACT_COUNT && role >= transitions[action].role;
}

int gt_approve_need(int outcome)
{
	if (outcome == GT_OUT_ELIGIBLE)
		return GT_APPROVE_FREE;
	return outcome == GT_OUT_VETOED ? GT_APPROVE_ADMIN : GT_APPROVE_NOTE;
}

/* ---- errors and small helpers */

int gt_fail(gt_store *st, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(st->err, sizeof st->err, fmt, ap);
	va_end(ap);
	return rc;
}

int gt_fail_sql(gt_store *st, const char *what)
{
	int code = sqlite3_errcode(st->db);
	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return gt_fail(st, GT_ERR_BUSY,
			       _("%s: the database stayed locked by another user for too long; try again"),
			       what);
	if (code == SQLITE_FULL)
		return gt_fail(st, GT_ERR, _("%s: the disk is full; nothing was saved"), what);
	if (code == SQLITE_READONLY)
		return gt_fail(st, GT_ERR, _("%s: the database file is read-only; nothing was saved"), what);
	if (code == SQLITE_NOTADB)
		return gt_fail(st, GT_ERR_NOT_DB, _("%s is not a guantong database (not an SQLite file)"),
			       st->path);
	return gt_fail(st, GT_ERR, "%s: %s", what, sqlite3_errmsg(st->db));
}

sqlite3_stmt *gt_prepare(gt_store *st, const char *sql)
{
	sqlite3_stmt *s = NULL;
	/* A store function without its PostgreSQL side says so; it never
	 * reaches SQLite with no database. */
	if (!st->db) {
		gt_fail(st, GT_ERR, _("this is not available on a PostgreSQL database yet"));
		return NULL;
	}
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		gt_fail_sql(st, _("preparing a query"));
		return NULL;
	}
	return s;
}

char *gt_store_dir(const gt_store *st)
{
	const char *slash = strrchr(st->path, '/');
	if (!slash)
		return sqlite3_mprintf(".");
	if (slash == st->path)
		return sqlite3_mprintf("/");
	return sqlite3_mprintf("%.*s", (int)(slash - st->path), st->path);
}

/* ---- gt_ptr_table: one sqlite3_module for every such function, its
 * gt_ptr_table the module's client data. */

struct ptr_vtab {
	sqlite3_vtab base;
	const struct gt_ptr_table *t;
};

struct ptr_cursor {
	sqlite3_vtab_cursor base;
	const struct gt_ptr_table *t;
	void *p;
	size_t at;
};

static int ptr_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **vt, char **err)
{
	(void)argc;
	(void)argv;
	(void)err;
	const struct gt_ptr_table *t = aux;
	int rc = sqlite3_declare_vtab(db, t->decl);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY); /* never from the schema or a trigger */
	struct ptr_vtab *v = sqlite3_malloc(sizeof *v);
	if (!v)
		return SQLITE_NOMEM;
	memset(v, 0, sizeof *v);
	v->t = t;
	*vt = &v->base;
	return SQLITE_OK;
}

static int ptr_disconnect(sqlite3_vtab *vt)
{
	sqlite3_free(vt);
	return SQLITE_OK;
}

static int ptr_best_index(sqlite3_vtab *vt, sqlite3_index_info *ii)
{
	const struct gt_ptr_table *t = ((struct ptr_vtab *)vt)->t;
	for (int i = 0; i < ii->nConstraint; i++) {
		const struct sqlite3_index_constraint *c = &ii->aConstraint[i];
		if (c->iColumn == t->hidden && c->op == SQLITE_INDEX_CONSTRAINT_EQ && c->usable) {
			ii->aConstraintUsage[i].argvIndex = 1;
			ii->aConstraintUsage[i].omit = 1;
			ii->estimatedCost = t->rows;
			ii->estimatedRows = t->rows;
			return SQLITE_OK;
		}
	}
	return SQLITE_CONSTRAINT;
}

static int ptr_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **cur)
{
	struct ptr_cursor *c = sqlite3_malloc(sizeof *c);
	if (!c)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof *c);
	c->t = ((struct ptr_vtab *)vt)->t;
	*cur = &c->base;
	return SQLITE_OK;
}

static int ptr_close(sqlite3_vtab_cursor *cur)
{
	sqlite3_free(cur);
	return SQLITE_OK;
}

static int ptr_filter(sqlite3_vtab_cursor *cur, int idx, const char *idx_str, int argc, sqlite3_value **argv)
{
	(void)idx;
	(void)idx_str;
	struct ptr_cursor *c = (struct ptr_cursor *)cur;
	c->p = argc == 1 ? sqlite3_value_pointer(argv[0], c->t->name) : NULL;
	c->at = 0;
	return SQLITE_OK;
}

static int ptr_next(sqlite3_vtab_cursor *cur)
{
	struct ptr_cursor *c = (struct ptr_cursor *)cur;
	c->at++;
	return c->t->next && c->t->next(c->p) != 0 ? SQLITE_IOERR : SQLITE_OK;
}

static int ptr_eof(sqlite3_vtab_cursor *cur)
{
	const struct ptr_cursor *c = (const struct ptr_cursor *)cur;
	return !c->p || c->t->done(c->p, c->at);
}

static int ptr_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
	const struct ptr_cursor *c = (const struct ptr_cursor *)cur;
	c->t->column(c->p, c->at, col, ctx);
	return SQLITE_OK;
}

static int ptr_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
	*rowid = (sqlite3_int64)((const struct ptr_cursor *)cur)->at;
	return SQLITE_OK;
}

static const sqlite3_module ptr_module = {
	.xConnect = ptr_connect,
	.xBestIndex = ptr_best_index,
	.xDisconnect = ptr_disconnect,
	.xOpen = ptr_open,
	.xClose = ptr_close,
	.xFilter = ptr_filter,
	.xNext = ptr_next,
	.xEof = ptr_eof,
	.xColumn = ptr_column,
	.xRowid = ptr_rowid,
};

int gt_ptr_table_module(sqlite3 *db, const struct gt_ptr_table *t)
{
	return sqlite3_create_module_v2(db, t->name, &ptr_module, (void *)t, NULL);
}

int gt_ptr_table_register(gt_store *st, const struct gt_ptr_table *t)
{
	if (gt_ptr_table_module(st->db, t) != SQLITE_OK)
		return gt_fail_sql(st, _("preparing a query"));
	return GT_OK;
}

void gt_bind_text(sqlite3_stmt *s, int i, const char *v, bool null_if_empty)
{
	if (!v || (null_if_empty && !*v))
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

const char *gt_col_text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? (const char *)t : "";
}

void gt_copy(char *dst, size_t size, const char *src)
{
	struct gt_sb sb = gt_sb_make(dst, size);
	gt_sb_add(&sb, src ? src : "");
}

/* A JSON string: quotes, backslashes and controls escaped; a byte that is not
 * UTF-8 (never stored by this program, but the OS may give a login so) becomes
 * U+FFFD, so that the record is always valid JSON. */
void gt_json_str(struct gt_sb *sb, const char *s)
{
	char tmp[512];
	size_t k = 0, n = strlen(s);
	tmp[k++] = '"';
	for (size_t i = 0; i < n;) {
		const unsigned char *p = (const unsigned char *)s + i;
		if (k > sizeof tmp - 8) {
			tmp[k] = '\0';
			gt_sb_add(sb, tmp);
			k = 0;
		}
		uint32_t cp;
		size_t len = *p < 0x80 ? 1 : gt_utf8_decode(s + i, n - i, &cp);
		if (len == 0) {
			k += (size_t)snprintf(tmp + k, 8, "\\ufffd");
			i++;
			continue;
		}
		if (*p == '"' || *p == '\\') {
			tmp[k++] = '\\';
			tmp[k++] = (char)*p;
		} else if (*p < 0x20) {
			k += (size_t)snprintf(tmp + k, 8, "\\u%04x", *p);
		} else {
			memcpy(tmp + k, p, len);
			k += len;
		}
		i += len;
	}
	tmp[k++] = '"';
	tmp[k] = '\0';
	gt_sb_add(sb, tmp);
}

/* Stored times are UTC, so that their text sorts as time does (the queue's
 * order, export --since); people see them in local time (gt_time_show). */
void gt_now(char buf[32])
{
	gt_time_now(buf);
}

int gt_begin(gt_store *st)
{
	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return gt_fail_sql(st, _("starting a change"));
	return GT_OK;
}

int gt_commit(gt_store *st)
{
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		int rc = gt_fail_sql(st, _("saving the change"));
		gt_rollback(st);
		return rc;
	}
	return GT_OK;
}

void gt_rollback(gt_store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

static int exec(gt_store *st, const char *sql, const char *what)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return gt_fail_sql(st, what);
	return GT_OK;
}

static int64_t query_int(gt_store *st, const char *sql, int64_t dflt)
{
	sqlite3_stmt *s = NULL;
	int64_t v = dflt;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

int gt_audit(gt_store *st, const char *at, const char *action, const char *entity,
	     const char *entity_id, const char *before, const char *after)
{
	sqlite3_stmt *s = gt_prepare(st, "INSERT INTO audit (at, actor, action, entity, entity_id, before, after) "
				     "VALUES (?, ?, ?, ?, ?, ?, ?)");
	if (!s)
		return GT_ERR;
	gt_bind_text(s, 1, at, false);
	gt_bind_text(s, 2, st->actor, false);
	gt_bind_text(s, 3, action, false);
	gt_bind_text(s, 4, entity, false);
	gt_bind_text(s, 5, entity_id, false);
	gt_bind_text(s, 6, before, true);
	gt_bind_text(s, 7, after, true);
	int rc = sqlite3_step(s) == SQLITE_DONE ? GT_OK : gt_fail_sql(st, _("writing the audit log"));
	sqlite3_finalize(s);
	return rc;
}

/* ---- opening */

/* FILE in guantong's data directory: $XDG_DATA_HOME/guantong, else
 * ~/.local/share/guantong. */
static int data_path(char *buf, size_t size, const char *file)
{
	const char *env = getenv("XDG_DATA_HOME");
	int n;
	if (env && env[0] == '/') {
		n = snprintf(buf, size, "%s/guantong/%s", env, file);
	} else {
		const char *home = getenv("HOME");
		if (!home || !*home) {
			struct passwd *pw = getpwuid(getuid());
			home = pw ? pw->pw_dir : NULL;
		}
		if (!home)
			return -1;
		n = snprintf(buf, size, "%s/.local/share/guantong/%s", home, file);
	}
	return n > 0 && (size_t)n < size ? 0 : -1;
}

int gt_store_default_path(char *buf, size_t size)
{
	/* The shared install (setgid): its database unless GUANTONG_DB says otherwise. */
	if (gt_shared_setgid() && !getenv("GUANTONG_DB"))
		return snprintf(buf, size, "%s", GT_SHARED_DB) < (int)size ? 0 : -1;
	const char *env = getenv("GUANTONG_DB");
	if (env && *env) {
		int n = snprintf(buf, size, "%s", env);
		return n > 0 && (size_t)n < size ? 0 : -1;
	}
	return data_path(buf, size, "cases.db");
}

int gt_store_demo_path(char *buf, size_t size)
{
	return data_path(buf, size, "demo.db");
}

/* mkdir -p of the file's directory, new directories 0700. */
static int make_parent(const char *path)
{
	char dir[4096];
	if (snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir)
		return -1;
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

static int create_schema(gt_store *st)
{
	char now[32];
	gt_now(now);
	int rc = exec(st, gt_schema_sql, _("creating the database"));
	if (rc)
		return rc;
	sqlite3_stmt *s = gt_prepare(st, "INSERT INTO meta (key, value) VALUES ('created_at', ?1), "
				     "('created_by', ?2), ('created_with', ?3)");
	if (!s)
		return GT_ERR;
	gt_bind_text(s, 1, now, false);
	gt_bind_text(s, 2, st->actor, false);
	gt_bind_text(s, 3, "guantong " GT_VERSION, false);
	rc = sqlite3_step(s) == SQLITE_DONE ? GT_OK : gt_fail_sql(st, _("creating the database"));
	sqlite3_finalize(s);
	if (rc)
		return rc;
	/* The first user of a new file is its administrator. */
	s = gt_prepare(st, "INSERT INTO users (login, role, created_at, created_by) VALUES (?1, 'admin', ?2, ?1)");
	if (!s)
		return GT_ERR;
	gt_bind_text(s, 1, st->actor, false);
	gt_bind_text(s, 2, now, false);
	rc = sqlite3_step(s) == SQLITE_DONE ? GT_OK : gt_fail_sql(st, _("creating the database"));
	sqlite3_finalize(s);
	if (rc)
		return rc;
	struct gt_sb sb = gt_sb_heap();
	gt_sb_add(&sb, "{\"role\":\"admin\",\"login\":");
	gt_json_str(&sb, st->actor);
	gt_sb_add(&sb, "}");
	rc = sb.truncated ? gt_fail(st, GT_ERR, "%s", strerror(ENOMEM))
			  : gt_audit(st, now, "user.create", "user", st->actor, NULL, sb.p);
	gt_sb_free(&sb);
	return rc;
}

static int set_user_version(gt_store *st, int v)
{
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
	return exec(st, sql, _("recording the schema version"));
}

/* Brings the file to GT_SCHEMA_VERSION in one transaction. */
static int init_or_migrate(gt_store *st, bool readonly)
{
	int64_t v = query_int(st, "PRAGMA user_version", -1);
	if (v < 0) {
		/* Reading the header failed: not a database, or unreadable. */
		sqlite3_stmt *s = NULL;
		sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL);
		if (s)
			sqlite3_step(s);
		sqlite3_finalize(s);
		return gt_fail_sql(st, _("opening the database"));
	}
	if (v == GT_SCHEMA_VERSION)
		return GT_OK;
	if (v > GT_SCHEMA_VERSION)
		return gt_fail(st, GT_ERR_NEWER,
			       _("%s was written by a newer guantong (schema version %lld; this program knows "
				 "versions up to %d); use that version or a newer one, nothing was changed"),
			       st->path, (long long)v, GT_SCHEMA_VERSION);
	if (readonly)
		return gt_fail(st, GT_ERR, _("%s needs to be upgraded (schema version %lld to %d) and was "
					      "opened read-only"), st->path, (long long)v, GT_SCHEMA_VERSION);
	/* An upgrade may make a table again (014.sql: cases), which SQLite
	 * does only with the foreign keys off; the pragma takes effect only
	 * outside a transaction. The rows keep their ids: every reference holds. */
	bool fk_off = v > 0 && sqlite3_exec(st->db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL) == SQLITE_OK;
	int rc = gt_begin(st);
	if (rc) {
		if (fk_off)
			sqlite3_exec(st->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
		return rc;
	}
	/* Another process may have done it while we waited for the lock. */
	v = query_int(st, "PRAGMA user_version", -1);
	if (v == 0) {
		int64_t tables = query_int(st, "SELECT count(*) FROM sqlite_schema", -1);
		if (tables != 0) {
			gt_rollback(st);
			return gt_fail(st, GT_ERR_NOT_DB,
				       _("%s is an SQLite file but not a guantong database; nothing was changed"),
				       st->path);
		}
		rc = create_schema(st);
	} else if (v > 0 && v < GT_SCHEMA_VERSION) {
		char now[32];
		gt_now(now);
		for (int64_t k = v; k < GT_SCHEMA_VERSION && !rc; k++) {
			if (k - 1 >= gt_nmigrations) {
				rc = gt_fail(st, GT_ERR, "no migration from schema version %lld", (long long)k);
				break;
			}
			rc = exec(st, gt_migrations[k - 1], _("upgrading the database"));
			if (!rc) {
				char b[48], a[48]; /* room for any long long */
				snprintf(b, sizeof b, "{\"version\":%lld}", (long long)k);
				snprintf(a, sizeof a, "{\"version\":%lld}", (long long)k + 1);
				rc = gt_audit(st, now, "schema.migrate", "schema", "user_version", b, a);
			}
		}
		/* The keys the queue's indexes need are made by ICU, in C. */
		if (!rc)
			rc = gt_keys_fill(st);
		/* So are the call-back dates (the evaluator's). */
		if (!rc)
			rc = gt_due_fill(st);
	}
	if (!rc)
		rc = set_user_version(st, GT_SCHEMA_VERSION);
	if (rc)
		gt_rollback(st);
	else
		rc = gt_commit(st);
	if (fk_off)
		sqlite3_exec(st->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	return rc;
}

static int load_role(gt_store *st)
{
	sqlite3_stmt *s = gt_prepare(st, "SELECT role FROM users WHERE login = ? AND active = 1");
	if (!s)
		return GT_ERR;
	gt_bind_text(s, 1, st->actor, false);
	st->role = GT_USER_NONE;
	int step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		int r = gt_role_parse(gt_col_text(s, 0));
		st->role = r > 0 ? r : GT_USER_NONE;
	}
	/* A failed read is not "no such user": say what went wrong. */
	int rc = step == SQLITE_ROW || step == SQLITE_DONE ? GT_OK : gt_fail_sql(st, _("opening the database"));
	sqlite3_finalize(s);
	return rc;
}

/* PRAGMA journal_mode = WAL. The switch needs the file to itself for a
 * moment and SQLite does not wait for that (no busy handler), so several
 * clerks opening a new file at once got "locked" at once: it is tried again
 * for as long as the busy timeout. */
static int wal_on(gt_store *st)
{
	for (int ms = 0;; ms += 10) {
		int rc = exec(st, "PRAGMA main.journal_mode = WAL", _("opening the database"));
		if (rc != GT_ERR_BUSY || ms >= GT_BUSY_TIMEOUT_MS)
			return rc;
		sqlite3_sleep(10);
	}
}

/* A bulk load into an empty store writes every page once in a rollback
 * journal's mode: SQLite journals only the pages the file had when the
 * transaction began (pager.c: no journal record for a page beyond the
 * original size), and the new ones go straight into the file. In WAL mode
 * each goes into the WAL, then again into the file at the checkpoint: the
 * import of a million cases wrote 1.70 GB for a 638 MB file.
 *
 * Leaving WAL mode takes an exclusive lock on the file, and SQLite refuses
 * it (SQLITE_BUSY, at once: no busy handler) while any other connection has
 * the file open: every connection in WAL mode holds a shared lock on it for
 * as long as it is open. So this is also the test that the import is
 * alone; when it is not, the import stays in WAL mode as before. A kill
 * between here and gt_store_journal_wal leaves either a file in rollback
 * mode with its hot journal, which the next connection plays back (the
 * store as it was before the import), or a file in rollback mode without
 * one; the next open switches it back to WAL. True: the store is now in
 * rollback mode; the caller calls gt_store_journal_wal after its
 * transaction, whatever its outcome. */
bool gt_store_journal_alone(gt_store *st)
{
	if (st->pg || !sqlite3_get_autocommit(st->db))
		return false;
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, "PRAGMA main.journal_mode = DELETE", -1, &s, NULL) != SQLITE_OK)
		return false;
	bool on = sqlite3_step(s) == SQLITE_ROW && strcmp(gt_col_text(s, 0), "delete") == 0;
	sqlite3_finalize(s);
	return on;
}

/* Back to WAL mode after gt_store_journal_alone. A failure leaves the file
 * in rollback mode, which is safe: every open switches it to WAL again. */
int gt_store_journal_wal(gt_store *st)
{
	return wal_on(st);
}

void gt_store_multi_threaded(void)
{
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* The oldest SQLite whose SQL the store uses: iif() (3.32.0) in the export
 * and case queries, UPSERT (3.24.0) for evidence and users, PRAGMA
 * data_version (3.12.0), WAL, WITHOUT ROWID. Checked when the program is
 * built (the header) and when it opens a database (the library it runs
 * with, which may be older than the header it was built with). */
#define GT_SQLITE_MIN 3032000
#define GT_SQLITE_MIN_TEXT "3.32.0"
#if SQLITE_VERSION_NUMBER < GT_SQLITE_MIN
#error "guantong needs SQLite 3.32.0 or newer"
#endif

int gt_store_open_as(gt_store **out, const char *path, unsigned flags, const char *actor,
		     char *err, size_t errsz)
{
	*out = NULL;
	if (gt_pg_is_conninfo(path))
		return gt_pg_open(out, path, flags, actor, err, errsz);
	if (sqlite3_libversion_number() < GT_SQLITE_MIN) {
		snprintf(err, errsz,
			 _("this system's SQLite is version %s; guantong needs %s or newer (its SQL uses iif() "
			   "and UPSERT); nothing was opened"),
			 sqlite3_libversion(), GT_SQLITE_MIN_TEXT);
		return GT_ERR;
	}
	/* Setgid (the shared install): the group only for the install's file. */
	char shared[4096];
	if (gt_shared_open_path(path, shared, sizeof shared) != 0) {
		snprintf(err, errsz, "%s", strerror(errno));
		return GT_ERR;
	}
	path = shared;
	gt_store *st = calloc(1, sizeof *st);
	if (!st) {
		snprintf(err, errsz, "%s", strerror(ENOMEM));
		return GT_ERR;
	}
	gt_copy(st->path, sizeof st->path, path);
	gt_copy(st->actor, sizeof st->actor, actor);
	bool readonly = flags & GT_OPEN_READONLY;
	int rc = GT_OK;

	struct stat sb;
	if (stat(path, &sb) != 0) {
		if (errno != ENOENT || !(flags & GT_OPEN_CREATE) || readonly) {
			rc = gt_fail(st, GT_ERR, "%s: %s", path, strerror(errno));
			goto out;
		}
		/* Create it ourselves so that it is born 0600 whatever the umask. */
		if (make_parent(path) != 0) {
			rc = gt_fail(st, GT_ERR, _("%s: cannot create its directory: %s"), path, strerror(errno));
			goto out;
		}
		int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST) {
			rc = gt_fail(st, GT_ERR, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (fd >= 0) {
			fchmod(fd, 0600);
			close(fd);
		}
	} else if (S_ISDIR(sb.st_mode)) {
		rc = gt_fail(st, GT_ERR, _("%s is a directory, not a database file"), path);
		goto out;
	}

	int oflags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	if (sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		rc = gt_fail(st, GT_ERR, "%s: %s", path, st->db ? sqlite3_errmsg(st->db) : strerror(ENOMEM));
		goto out;
	}
	sqlite3_extended_result_codes(st->db, 0);
	sqlite3_busy_timeout(st->db, GT_BUSY_TIMEOUT_MS);
	/* A file that is not SQLite fails on the first read. */
	if (sqlite3_exec(st->db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL) != SQLITE_OK) {
		rc = gt_fail_sql(st, _("opening the database"));
		goto out;
	}
	/* A new file gets 16 KiB pages: a case, its evaluation and its audit
	 * row are about 1.5 KiB, and with 4 KiB pages a large import spent a
	 * fifth of its time in the kernel writing and checkpointing them page
	 * by page. SQLite ignores it for a file that has pages already. It
	 * comes before the cache size: a cache of 64 MiB set while the pages
	 * were 4 KiB counted 16,000 pages, which grew to 256 MiB at 16 KiB. */
	char sql[160];
	snprintf(sql, sizeof sql, "PRAGMA page_size = %d; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; "
		 "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY", GT_PAGE_SIZE);
	if ((rc = exec(st, sql, _("opening the database"))))
		goto out;
	if ((rc = init_or_migrate(st, readonly)))
		goto out;
	/* Only now: switching to WAL writes the file's header, and a file that
	 * is refused above (newer, or not ours) must be left untouched. */
	if (!readonly && (rc = wal_on(st)))
		goto out;
	rc = load_role(st);
out:
	if (rc) {
		snprintf(err, errsz, "%s", st->err);
		gt_store_close(st);
		return rc;
	}
	*out = st;
	return GT_OK;
}

int gt_store_open(gt_store **out, const char *path, unsigned flags, char *err, size_t errsz)
{
	/* On PostgreSQL the connection's user is the actor (peer authentication). */
	if (gt_pg_is_conninfo(path))
		return gt_pg_open(out, path, flags, NULL, err, errsz);
	/* The real user: setgid (the shared install) changes no user ID, and
	 * USER and LOGNAME are the caller's to set. */
	char login[65];
	struct passwd *pw = getpwuid(getuid());
	if (pw && pw->pw_name && *pw->pw_name)
		gt_copy(login, sizeof login, pw->pw_name);
	else
		snprintf(login, sizeof login, "uid%ld", (long)getuid());
	return gt_store_open_as(out, path, flags, login, err, errsz);
}

void gt_store_close(gt_store *st)
{
	if (!st)
		return;
	if (st->pg) {
		gt_pg_close(st);
		return;
	}
	if (st->db)
		sqlite3_close_v2(st->db);
	gt_queue_cache_free(st->queue);
	gt_keys_stmts_free(st->keys);
	free(st);
}

const char *gt_store_errmsg(const gt_store *st) { return st->err; }
const char *gt_store_actor(const gt_store *st) { return st->actor; }
const char *gt_store_path(const gt_store *st) { return st->path; }
int gt_store_role(const gt_store *st) { return st->role; }
sqlite3 *gt_store_db(gt_store *st) { return st->db; }

int64_t gt_store_data_version(gt_store *st)
{
	if (st->pg)
		return gt_pg_data_version(st);
	return query_int(st, "PRAGMA data_version", -1);
}

/* ---- users */

static int count_admins(gt_store *st)
{
	return (int)query_int(st, "SELECT count(*) FROM users WHERE role = 'admin' AND active = 1", 0);
}

int gt_store_user_set(gt_store *st, const char *login, int role, const char *display_name)
{
	if (st->pg)
		return gt_pg_user_set(st, login, role, display_name);
	if (load_role(st))
		return GT_ERR;
	if (st->role != GT_USER_ADMIN)
		return gt_fail(st, GT_ERR_DENIED, _("only an administrator may manage users (you are %s)"),
			       st->actor);
	if (!login || !*login || strlen(login) > 64 || strpbrk(login, " \t\r\n/:") ||
	    gt_utf8_check(login, strlen(login)) != 0)
		return gt_fail(st, GT_ERR_INVALID, _("\"%s\" is not an OS login name"), login ? login : "");
	if (display_name && (strlen(display_name) > GT_DISPLAY_NAME_MAX ||
			     gt_utf8_check(display_name, strlen(display_name)) != 0))
		return gt_fail(st, GT_ERR_INVALID, _("the name must be UTF-8 text of at most %d bytes"),
			       GT_DISPLAY_NAME_MAX);
	if (role != GT_USER_NONE && (role < GT_USER_CLERK || role > GT_USER_ADMIN))
		return gt_fail(st, GT_ERR_INVALID, _("unknown role"));
	int rc = gt_begin(st);
	if (rc)
		return rc;
	char now[32];
	gt_now(now);
	/* On the heap: a display name is complete in the audit record. */
	struct gt_sb b = gt_sb_heap(), a = gt_sb_heap();
	sqlite3_stmt *s = gt_prepare(st, "SELECT role, active, display_name FROM users WHERE login = ?");
	if (!s) {
		gt_rollback(st);
		rc = GT_ERR;
		goto out;
	}
	gt_bind_text(s, 1, login, false);
	bool exists = sqlite3_step(s) == SQLITE_ROW;
	if (exists) {
		gt_sb_addf(&b, "{\"role\":\"%s\",\"active\":%d,\"display_name\":", gt_col_text(s, 0),
			   sqlite3_column_int(s, 1));
		gt_json_str(&b, gt_col_text(s, 2));
		gt_sb_add(&b, "}");
		bool was_admin = strcmp(gt_col_text(s, 0), "admin") == 0 && sqlite3_column_int(s, 1);
		sqlite3_finalize(s);
		s = NULL;
		if (was_admin && role != GT_USER_ADMIN && count_admins(st) <= 1) {
			gt_rollback(st);
			rc = gt_fail(st, GT_ERR_DENIED, _("%s is the last administrator; make another user admin first"),
				     login);
			goto out;
		}
	}
	sqlite3_finalize(s);
	if (role == GT_USER_NONE)
		s = gt_prepare(st, "UPDATE users SET active = 0 WHERE login = ?1");
	else
		s = gt_prepare(st, "INSERT INTO users (login, role, display_name, created_at, created_by) "
			       "VALUES (?1, ?2, coalesce(?3, ''), ?4, ?5) ON CONFLICT (login) DO UPDATE SET "
			       "role = excluded.role, active = 1, "
			       "display_name = coalesce(?3, users.display_name)");
	if (!s) {
		gt_rollback(st);
		rc = GT_ERR;
		goto out;
	}
	gt_bind_text(s, 1, login, false);
	if (role != GT_USER_NONE) {
		gt_bind_text(s, 2, gt_role_codes[role], false);
		gt_bind_text(s, 3, display_name, false);
		gt_bind_text(s, 4, now, false);
		gt_bind_text(s, 5, st->actor, false);
	}
	rc = sqlite3_step(s) == SQLITE_DONE ? GT_OK : gt_fail_sql(st, _("saving the user"));
	sqlite3_finalize(s);
	if (!rc && role == GT_USER_NONE && !exists)
		rc = gt_fail(st, GT_ERR_NOT_FOUND, _("no user %s"), login);
	if (!rc) {
		if (role == GT_USER_NONE) {
			gt_sb_add(&a, "{\"active\":0}");
		} else {
			gt_sb_addf(&a, "{\"role\":\"%s\",\"active\":1", gt_role_codes[role]);
			if (display_name) {
				gt_sb_add(&a, ",\"display_name\":");
				gt_json_str(&a, display_name);
			}
			gt_sb_add(&a, "}");
		}
		if (a.truncated || b.truncated)
			rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
		else
			rc = gt_audit(st, now, exists ? "user.update" : "user.create", "user", login,
				      exists ? b.p : NULL, a.p);
	}
	if (rc) {
		gt_rollback(st);
		goto out;
	}
	rc = gt_commit(st);
	if (!rc)
		load_role(st);
out:
	gt_sb_free(&b);
	gt_sb_free(&a);
	return rc;
}

int gt_store_user_list(gt_store *st, int (*fn)(const struct gt_user *u, void *arg), void *arg)
{
	if (st->pg)
		return gt_pg_user_list(st, fn, arg);
	sqlite3_stmt *s = gt_prepare(st, "SELECT login, role, display_name, active, created_at FROM users "
				     "ORDER BY login");
	if (!s)
		return GT_ERR;
	int rc = GT_OK, step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct gt_user u;
		gt_copy(u.login, sizeof u.login, gt_col_text(s, 0));
		u.role = gt_role_parse(gt_col_text(s, 1));
		gt_copy(u.display_name, sizeof u.display_name, gt_col_text(s, 2));
		u.active = sqlite3_column_int(s, 3) != 0;
		gt_copy(u.created_at, sizeof u.created_at, gt_col_text(s, 4));
		if ((rc = fn(&u, arg)) != 0)
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = gt_fail_sql(st, _("reading the users"));
	sqlite3_finalize(s);
	return rc;
}

/* ---- reading cases */

int gt_store_get_eval(gt_store *st, int64_t eval_id, struct gt_stored_eval *ev)
{
	if (st->pg)
		return gt_pg_get_eval(st, eval_id, ev);
	sqlite3_stmt *s = gt_prepare(st, "SELECT id, case_id, case_version, "
				     "(SELECT name FROM rulesets r WHERE r.id = evaluations.ruleset), as_of, "
				     GT_TIME_TEXT("evaluated_at") ", "
				     "evaluated_by, outcome, target, route, basis, unmet, missing_evidence, "
				     "theory_exempt, citation, message, paths, iif(typeof(rule_id) = 'integer', "
				     "coalesce((SELECT name FROM rule_names n WHERE n.id = rule_id), ''), rule_id), "
				     "message IS NOT NULL "
				     "FROM evaluations WHERE id = ?");
	if (!s)
		return GT_ERR;
	sqlite3_bind_int64(s, 1, eval_id);
	int rc = GT_OK;
	if (sqlite3_step(s) == SQLITE_ROW) {
		memset(ev, 0, sizeof *ev);
		ev->id = sqlite3_column_int64(s, 0);
		ev->case_id = sqlite3_column_int64(s, 1);
		ev->case_version = sqlite3_column_int64(s, 2);
		gt_copy(ev->ruleset, sizeof ev->ruleset, gt_col_text(s, 3));
		char day[GT_INPUT_TEXT_MAX];
		size_t n;
		/* the application date it was made on: days since 1970, or text */
		gt_copy(ev->as_of, sizeof ev->as_of, gt_input_text(s, 4, GT_COL_APPLICATION_DATE, day, &n));
		gt_copy(ev->evaluated_at, sizeof ev->evaluated_at, gt_col_text(s, 5));
		gt_copy(ev->evaluated_by, sizeof ev->evaluated_by, gt_col_text(s, 6));
		for (int i = 0; i < GT_SUM_COUNT; i++) {
			if (i == GT_SUM_THEORY_EXEMPT)
				gt_copy(ev->col[i], sizeof ev->col[i], sqlite3_column_int(s, 13) ? "yes" : "no");
			else
				gt_copy(ev->col[i], sizeof ev->col[i], gt_col_text(s, 7 + i));
		}
		gt_copy(ev->paths, sizeof ev->paths, gt_col_text(s, 16));
		gt_copy(ev->rule_id, sizeof ev->rule_id, gt_col_text(s, 17));
		ev->has_text = sqlite3_column_int(s, 18) != 0;
	} else {
		rc = gt_fail(st, GT_ERR_NOT_FOUND, _("no evaluation %lld"), (long long)eval_id);
	}
	sqlite3_finalize(s);
	return rc;
}

int gt_store_get_decision(gt_store *st, int64_t decision_id, struct gt_decision *d)
{
	if (st->pg)
		return gt_pg_get_decision(st, decision_id, d);
	sqlite3_stmt *s = gt_prepare(st, "SELECT id, case_id, case_version, eval_id, action, decided_by, "
				     "decided_at, note FROM decisions WHERE id = ?");
	if (!s)
		return GT_ERR;
	sqlite3_bind_int64(s, 1, decision_id);
	int rc = GT_OK;
	if (sqlite3_step(s) == SQLITE_ROW) {
		d->id = sqlite3_column_int64(s, 0);
		d->case_id = sqlite3_column_int64(s, 1);
		d->case_version = sqlite3_column_int64(s, 2);
		d->eval_id = sqlite3_column_int64(s, 3);
		gt_copy(d->action, sizeof d->action, gt_col_text(s, 4));
		gt_copy(d->decided_by, sizeof d->decided_by, gt_col_text(s, 5));
		gt_copy(d->decided_at, sizeof d->decided_at, gt_col_text(s, 6));
		gt_copy(d->note, sizeof d->note, gt_col_text(s, 7));
	} else {
		rc = gt_fail(st, GT_ERR_NOT_FOUND, _("no decision %lld"), (long long)decision_id);
	}
	sqlite3_finalize(s);
	return rc;
}

int gt_store_get(gt_store *st, int64_t id, struct gt_case_row *row)
{
	if (st->pg)
		return gt_pg_get(st, id, row);
	return gt_load_case(st, id, row);
}

int gt_store_find(gt_store *st, const char *key, int64_t *id)
{
	if (st->pg)
		return gt_pg_find(st, key, id);
	*id = 0;
	const char *p = key;
	if (*p == '#')
		p++;
	char *end;
	errno = 0;
	long long n = strtoll(p, &end, 10);
	bool numeric = *p >= '0' && *p <= '9' && !*end && errno == 0 && strlen(p) < 18;
	sqlite3_stmt *s;
	if (numeric) {
		s = gt_prepare(st, "SELECT id FROM cases WHERE id = ?");
		if (!s)
			return GT_ERR;
		sqlite3_bind_int64(s, 1, n);
	} else {
		s = gt_prepare(st, "SELECT id FROM cases WHERE case_ref = ?1 AND ?1 <> '' UNION ALL "
			       "SELECT c.id FROM cases c JOIN applicants a ON a.id = c.applicant_id "
			       "WHERE a.id_number = upper(?1) ORDER BY 1 DESC LIMIT 2");
		if (!s)
			return GT_ERR;
		gt_bind_text(s, 1, key, false);
	}
	int rc = GT_OK;
	if (sqlite3_step(s) == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		if (!numeric && sqlite3_step(s) == SQLITE_ROW)
			rc = gt_fail(st, GT_ERR_INVALID,
				     _("\"%s\" matches more than one case; give the case number"), key);
	} else {
		rc = gt_fail(st, GT_ERR_NOT_FOUND, _("no case \"%s\""), key);
	}
	sqlite3_finalize(s);
	return rc;
}

/* ---- history */

int gt_store_history(gt_store *st, int64_t case_id,
		     int (*fn)(const struct gt_audit_row *a, void *arg), void *arg)
{
	if (st->pg)
		return gt_pg_history(st, case_id, fn, arg);
	/* A case an import created has no row of its own: the import's row
	 * names it (in its ranges of created cases), and stands for it here,
	 * with the file name as what it recorded. */
	sqlite3_stmt *s = gt_prepare(st, "SELECT id, at, actor, action, before, after FROM audit "
				     "WHERE entity = 'case' AND entity_id = ?1 "
				     "UNION ALL SELECT a.id, a.at, a.actor, 'case.import', NULL, "
				     "json_object('file', json_extract(a.after, '$.file'), 'sha256', "
				     "json_extract(a.after, '$.sha256'), 'version', 1) FROM audit a "
				     "WHERE a.action = 'import' AND EXISTS (SELECT 1 FROM json_each(a.after, '$.created') r "
				     "WHERE CAST(?1 AS INTEGER) BETWEEN json_extract(r.value, '$[0]') "
				     "AND json_extract(r.value, '$[1]')) ORDER BY 1");
	if (!s)
		return GT_ERR;
	char idbuf[24];
	snprintf(idbuf, sizeof idbuf, "%lld", (long long)case_id);
	gt_bind_text(s, 1, idbuf, false);
	int rc = GT_OK, step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct gt_audit_row a;
		a.id = sqlite3_column_int64(s, 0);
		gt_copy(a.at, sizeof a.at, gt_col_text(s, 1));
		gt_copy(a.actor, sizeof a.actor, gt_col_text(s, 2));
		gt_copy(a.action, sizeof a.action, gt_col_text(s, 3));
		a.before = (const char *)sqlite3_column_text(s, 4);
		a.after = (const char *)sqlite3_column_text(s, 5);
		if ((rc = fn(&a, arg)) != 0)
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = gt_fail_sql(st, _("reading the history"));
	sqlite3_finalize(s);
	return rc;
}

/* ---- changes to a case */

/* Reads the case's version and last change inside the caller's transaction and
 * checks it against what the user saw. */
static int check_version(gt_store *st, int64_t id, int64_t expect, int *status, int64_t *version)
{
	sqlite3_stmt *s = gt_prepare(st, "SELECT version, status, updated_by, " GT_TIME_TEXT("updated_at")
				     " FROM cases WHERE id = ?");
	if (!s)
		return GT_ERR;
	sqlite3_bind_int64(s, 1, id);
	int rc = GT_OK;
	if (sqlite3_step(s) != SQLITE_ROW) {
		rc = gt_fail(st, GT_ERR_NOT_FOUND, _("no case %lld"), (long long)id);
	} else {
		*version = sqlite3_column_int64(s, 0);
		*status = gt_status_parse(gt_col_text(s, 1));
		char when[32];
		gt_time_show(gt_col_text(s, 3), when, sizeof when);
		if (expect > *version)
			/* Not a change by someone else: a version never read. */
			rc = gt_fail(st, GT_ERR_INVALID,
				     _("case %lld is at version %lld; there is no version %lld (give the version "
				       "you read, which \"guantong evaluate\" shows); nothing was saved"),
				     (long long)id, (long long)*version, (long long)expect);
		else if (expect && *version != expect)
			rc = gt_fail(st, GT_ERR_CONFLICT,
				     _("case %lld was changed by %s at %s after you opened it (it is now "
				       "version %lld, you had version %lld); nothing was saved"),
				     (long long)id, gt_col_text(s, 2), when, (long long)*version, (long long)expect);
	}
	sqlite3_finalize(s);
	return rc;
}

static int denied(gt_store *st, int action)
{
	int min = GT_USER_CLERK;
	gt_transition(0, action, &min);
	if (st->role == GT_USER_NONE)
		return gt_fail(st, GT_ERR_DENIED,
			       _("%s is not a user of this database; an administrator can add you with "
				 "\"guantong user add %s --role clerk\""), st->actor, st->actor);
	return gt_fail(st, GT_ERR_DENIED, _("only a %s may %s a case; you (%s) are a %s"),
		       _(gt_role_codes[min]), gt_action_name(action), st->actor, _(gt_role_codes[st->role]));
}

int gt_store_save(gt_store *st, struct gt_case_row *row)
{
	if (st->pg)
		return gt_pg_save(st, row);
	if (load_role(st))
		return GT_ERR;
	if (st->role < GT_USER_CLERK)
		return denied(st, GT_ACT_SUBMIT);
	struct gt_row_error e;
	if (gt_case_validate(&row->c, &e) < 0) {
		char msg[512];
		gt_row_error_format(&e, 0, msg, sizeof msg);
		return gt_fail(st, GT_ERR_INVALID, "%s", msg);
	}
	struct gt_case_stmts cs;
	int rc = gt_begin(st);
	if (rc)
		return rc;
	struct gt_case_row *old = NULL;
	if ((rc = gt_case_stmts_prepare(st, &cs)))
		goto fail;
	char now[32];
	gt_now(now);
	if (row->id) {
		int status;
		int64_t version;
		if ((rc = check_version(st, row->id, row->version, &status, &version)))
			goto fail;
		if (status == GT_ST_APPROVED || status == GT_ST_REJECTED || status == GT_ST_VOID) {
			rc = gt_fail(st, GT_ERR_TRANSITION,
				     _("case %lld is %s; an administrator must reopen it before it can be changed"),
				     (long long)row->id, gt_status_name(status));
			goto fail;
		}
		old = malloc(sizeof *old);
		if (!old || (rc = gt_load_case(st, row->id, old))) {
			rc = old ? rc : gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
			goto fail;
		}
		row->status = old->status;
		/* An unchanged form writes nothing: no version, no audit row. */
		if (!gt_case_differs(row, old)) {
			row->version = old->version;
			row->eval_id = old->eval_id;
			gt_case_stmts_finalize(&cs);
			free(old);
			gt_rollback(st);
			return GT_OK;
		}
		rc = gt_write_case(st, &cs, row, old, -1, now, "case.update");
	} else {
		if (row->status != GT_ST_DRAFT)
			row->status = GT_ST_SUBMITTED;
		rc = gt_write_case(st, &cs, row, NULL, -1, now, "case.create");
	}
	if (rc)
		goto fail;
	gt_case_stmts_finalize(&cs);
	free(old);
	return gt_commit(st);
fail:
	gt_case_stmts_finalize(&cs);
	free(old);
	gt_rollback(st);
	return rc;
}

void gt_case_csv_row(const struct gt_case *c, struct gt_sb *sb)
{
	char buf[1024];
	for (int i = 0; i < GT_COL_COUNT; i++) {
		size_t n = gt_case_field(c, i, buf, sizeof buf);
		if (i)
			gt_sb_add(sb, ",");
		bool quote = strpbrk(buf, ",\"\r\n") != NULL;
		if (!quote) {
			gt_sb_add(sb, buf);
			continue;
		}
		gt_sb_add(sb, "\"");
		for (size_t k = 0; k < n; k++) {
			char one[3] = { buf[k], buf[k] == '"' ? '"' : '\0', '\0' };
			gt_sb_add(sb, one);
		}
		gt_sb_add(sb, "\"");
	}
}

/* An approval against the case's current evaluation needs a note, and a
 * vetoed case an administrator too: the committee's reason is on record. */
static int check_approve(gt_store *st, const struct gt_case_row *row, const char *note)
{
	sqlite3_stmt *s = gt_prepare(st, "SELECT outcome FROM evaluations WHERE id = ?");
	if (!s)
		return GT_ERR;
	sqlite3_bind_int64(s, 1, row->eval_id);
	int outcome = GT_OUT_ELIGIBLE;
	if (sqlite3_step(s) == SQLITE_ROW) {
		const char *o = gt_col_text(s, 0);
		outcome = gt_code_lookup(&gt_outcomes, o, strlen(o));
	}
	sqlite3_finalize(s);
	int need = gt_approve_need(outcome);
	const char *said = outcome >= 0 ? gt_name_of(&gt_outcomes, outcome) : "?";
	if (need == GT_APPROVE_ADMIN && st->role != GT_USER_ADMIN)
		return gt_fail(st, GT_ERR_DENIED,
			       _("case %lld is vetoed (%s): only an administrator may approve it; you (%s) are a %s"),
			       (long long)row->id, said, st->actor, _(gt_role_codes[st->role]));
	if (need != GT_APPROVE_FREE && !*note)
		return gt_fail(st, GT_ERR_INVALID,
			       _("the evaluation of case %lld says \"%s\": approving against it needs a note that says why"),
			       (long long)row->id, said);
	return GT_OK;
}

int gt_store_act(gt_store *st, int64_t id, int64_t expect_version, int action, const char *note)
{
	if (st->pg)
		return gt_pg_act(st, id, expect_version, action, note);
	if (load_role(st))
		return GT_ERR;
	if (!gt_role_allows(st->role, action))
		return denied(st, action);
	bool decision = action == GT_ACT_APPROVE || action == GT_ACT_REJECT || action == GT_ACT_RETURN;
	if (!note)
		note = "";
	if ((action == GT_ACT_REJECT || action == GT_ACT_RETURN || action == GT_ACT_REOPEN || action == GT_ACT_VOID) &&
	    !*note)
		return gt_fail(st, GT_ERR_INVALID, _("a note is required to %s a case: say why"),
			       gt_action_name(action));
	if (strlen(note) > GT_NOTE_MAX || gt_utf8_check(note, strlen(note)) != 0)
		return gt_fail(st, GT_ERR_INVALID, _("the note must be UTF-8 text of at most %d bytes"), GT_NOTE_MAX);
	int rc = gt_begin(st);
	if (rc)
		return rc;
	int status;
	int64_t version;
	struct gt_case_row *row = NULL;
	struct gt_answer *ans = NULL;
	struct gt_sb summary = { 0 };
	char *explanation = NULL;
	size_t explanation_len = 0;
	sqlite3_stmt *s = NULL;
	if ((rc = check_version(st, id, expect_version, &status, &version)))
		goto fail;
	int to = gt_transition(status, action, NULL);
	if (to < 0) {
		rc = gt_fail(st, GT_ERR_TRANSITION, _("case %lld is %s; it cannot be given \"%s\""),
			     (long long)id, gt_status_name(status), gt_action_name(action));
		goto fail;
	}
	char now[32];
	gt_now(now);
	int64_t decision_id = 0;
	row = malloc(sizeof *row);
	if (!row || (rc = gt_load_case(st, id, row))) {
		rc = row ? rc : gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
		goto fail;
	}
	if (action == GT_ACT_APPROVE && (rc = check_approve(st, row, note)))
		goto fail;
	if (decision) {
		char snap[4096];
		struct gt_sb sb = gt_sb_make(snap, sizeof snap);
		gt_case_csv_row(&row->c, &sb);
		/* What the reviewer sees: the columns and the explanation, kept
		 * with the decision (gt_store_answer shows them while the case
		 * stays as decided). */
		if (!(ans = malloc(sizeof *ans))) {
			rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
			goto fail;
		}
		if ((rc = gt_store_answer(st, row, ans)))
			goto fail;
		summary = gt_sb_heap();
		gt_sb_add(&summary, "[");
		for (int i = 0; i < GT_SUM_COUNT; i++) {
			gt_sb_add(&summary, i ? "," : "");
			gt_json_str(&summary, ans->col[i]);
		}
		gt_sb_add(&summary, "]");
		FILE *m = open_memstream(&explanation, &explanation_len);
		if (!m || (gt_explain(&ans->ev, m), fclose(m) != 0) || summary.truncated) {
			rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
			goto fail;
		}
		s = gt_prepare(st, "INSERT INTO decisions (case_id, case_version, eval_id, action, decided_by, "
			       "decided_at, note, snapshot, ruleset, summary, explanation) "
			       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
		if (!s) {
			rc = GT_ERR;
			goto fail;
		}
		gt_bind_text(s, 9, ans->ruleset, false);
		sqlite3_bind_text(s, 10, summary.p, (int)summary.len, SQLITE_STATIC);
		sqlite3_bind_text(s, 11, explanation, (int)explanation_len, SQLITE_STATIC);
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, version + 1);
		sqlite3_bind_int64(s, 3, row->eval_id);
		gt_bind_text(s, 4, gt_action_codes[action], false);
		gt_bind_text(s, 5, st->actor, false);
		gt_bind_text(s, 6, now, false);
		gt_bind_text(s, 7, note, false);
		gt_bind_text(s, 8, snap, false);
		if (sqlite3_step(s) != SQLITE_DONE) {
			rc = gt_fail_sql(st, _("recording the decision"));
			goto fail;
		}
		decision_id = sqlite3_last_insert_rowid(st->db);
		sqlite3_finalize(s);
	}
	s = gt_prepare(st, "UPDATE cases SET status = ?1, version = version + 1, updated_at = ?2, "
		       "updated_by = ?3, decision_id = coalesce(?4, decision_id), "
		       "assignee = CASE WHEN ?5 THEN ?3 ELSE assignee END WHERE id = ?6 AND version = ?7");
	if (!s) {
		rc = GT_ERR;
		goto fail;
	}
	gt_bind_text(s, 1, gt_status_codes[to], false);
	gt_bind_time(s, 2, now);
	gt_bind_text(s, 3, st->actor, false);
	if (decision_id)
		sqlite3_bind_int64(s, 4, decision_id);
	else
		sqlite3_bind_null(s, 4);
	sqlite3_bind_int(s, 5, action == GT_ACT_TAKE);
	sqlite3_bind_int64(s, 6, id);
	sqlite3_bind_int64(s, 7, version);
	if (sqlite3_step(s) != SQLITE_DONE || sqlite3_changes(st->db) != 1) {
		rc = gt_fail_sql(st, _("saving the decision"));
		goto fail;
	}
	char before[128], idbuf[24], what[32];
	snprintf(before, sizeof before, "{\"status\":\"%s\",\"version\":%lld}", gt_status_codes[status],
		 (long long)version);
	/* On the heap: the note is complete in the audit record. */
	struct gt_sb a = gt_sb_heap();
	gt_sb_addf(&a, "{\"status\":\"%s\",\"version\":%lld", gt_status_codes[to], (long long)version + 1);
	if (decision_id)
		gt_sb_addf(&a, ",\"decision_id\":%lld", (long long)decision_id);
	if (*note) {
		gt_sb_add(&a, ",\"note\":");
		gt_json_str(&a, note);
	}
	gt_sb_add(&a, "}");
	snprintf(idbuf, sizeof idbuf, "%lld", (long long)id);
	snprintf(what, sizeof what, "case.%s", gt_action_codes[action]);
	rc = a.truncated ? gt_fail(st, GT_ERR, "%s", strerror(ENOMEM)) : gt_audit(st, now, what, "case", idbuf, before, a.p);
	gt_sb_free(&a);
	if (rc)
		goto fail;
	sqlite3_finalize(s);
	free(row);
	free(ans);
	free(explanation);
	if (summary.p)
		gt_sb_free(&summary);
	return gt_commit(st);
fail:
	sqlite3_finalize(s);
	free(row);
	free(ans);
	free(explanation);
	if (summary.p)
		gt_sb_free(&summary);
	gt_rollback(st);
	return rc;
}

/* Writes the documents of `which` (bits by code) as received / verified
 * say, and with note_code >= 0 that document's note: one version, one
 * evaluation, one audit row. With skip_same, marks that change nothing
 * write nothing (*changed false). */
static int evidence_write(gt_store *st, int64_t id, int64_t expect_version, uint16_t which, uint16_t received,
			  uint16_t verified, int note_code, const char *note, bool skip_same, bool *changed)
{
	*changed = false;
	if (load_role(st))
		return GT_ERR;
	if (st->role < GT_USER_CLERK)
		return denied(st, GT_ACT_SUBMIT);
	received |= verified;
	int rc = gt_begin(st);
	if (rc)
		return rc;
	struct gt_case_stmts cs;
	memset(&cs, 0, sizeof cs);
	struct gt_case_row *old = malloc(sizeof *old), *row = malloc(sizeof *row);
	int status;
	int64_t version;
	if (!old || !row) {
		rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
		goto fail;
	}
	if ((rc = check_version(st, id, expect_version, &status, &version)))
		goto fail;
	if (status == GT_ST_APPROVED || status == GT_ST_REJECTED || status == GT_ST_VOID) {
		rc = gt_fail(st, GT_ERR_TRANSITION,
			     _("case %lld is %s; an administrator must reopen it before it can be changed"),
			     (long long)id, gt_status_name(status));
		goto fail;
	}
	if ((rc = gt_load_case(st, id, old)) || (rc = gt_case_stmts_prepare(st, &cs)))
		goto fail;
	*row = *old;
	char now[32];
	gt_now(now);
	for (int e = 0; e < GT_EV_COUNT; e++) {
		if (!(which & (1u << e)))
			continue;
		struct gt_evidence_item *it = &row->evidence[e];
		bool r = received & (1u << e), v = verified & (1u << e);
		if (r != it->received) {
			it->received = r;
			gt_copy(it->received_by, sizeof it->received_by, r ? st->actor : "");
			gt_copy(it->received_at, sizeof it->received_at, r ? now : "");
		}
		if (v != it->verified) {
			it->verified = v;
			gt_copy(it->verified_by, sizeof it->verified_by, v ? st->actor : "");
			gt_copy(it->verified_at, sizeof it->verified_at, v ? now : "");
		}
		if (v)
			row->c.evidence |= (uint16_t)(1u << e);
		else
			row->c.evidence &= (uint16_t)~(1u << e);
	}
	if (note_code >= 0)
		gt_copy(row->evidence[note_code].note, sizeof row->evidence[note_code].note, note);
	if (skip_same && !gt_case_differs(row, old)) {
		gt_case_stmts_finalize(&cs);
		free(old);
		free(row);
		gt_rollback(st);
		return GT_OK;
	}
	row->version = version;
	if ((rc = gt_write_case(st, &cs, row, old, -1, now, "evidence.set")))
		goto fail;
	gt_case_stmts_finalize(&cs);
	free(old);
	free(row);
	*changed = true;
	return gt_commit(st);
fail:
	gt_case_stmts_finalize(&cs);
	free(old);
	free(row);
	gt_rollback(st);
	return rc;
}

int gt_store_set_evidence(gt_store *st, int64_t id, int64_t expect_version, int code,
			  bool received, bool verified, const char *note)
{
	if (st->pg)
		return gt_pg_set_evidence(st, id, expect_version, code, received, verified, note);
	if (code < 0 || code >= GT_EV_COUNT)
		return gt_fail(st, GT_ERR_INVALID, _("unknown evidence code"));
	if (!note)
		note = "";
	if (strlen(note) > 256 || gt_utf8_check(note, strlen(note)) != 0)
		return gt_fail(st, GT_ERR_INVALID, _("the note must be UTF-8 text of at most 256 bytes"));
	bool changed;
	uint16_t bit = (uint16_t)(1u << code);
	return evidence_write(st, id, expect_version, bit, received ? bit : 0, verified ? bit : 0, code, note, false,
			      &changed);
}

int gt_store_mark_evidence(gt_store *st, int64_t id, int64_t expect_version, uint16_t received,
			   uint16_t verified, bool *changed)
{
	*changed = false;
	received |= verified;
	if (st->pg)
		return gt_pg_mark_evidence(st, id, expect_version, received, verified, changed);
	return evidence_write(st, id, expect_version, (uint16_t)((1u << GT_EV_COUNT) - 1), received, verified, -1, NULL,
			      true, changed);
}

int gt_store_reevaluate(gt_store *st, int64_t id)
{
	if (st->pg)
		return gt_pg_unsupported(st, "reevaluate");
	if (load_role(st))
		return GT_ERR;
	if (st->role < GT_USER_CLERK)
		return denied(st, GT_ACT_SUBMIT);
	int rc = gt_begin(st);
	if (rc)
		return rc;
	struct gt_case_stmts cs;
	memset(&cs, 0, sizeof cs);
	struct gt_case_row *row = malloc(sizeof *row);
	if (!row) {
		rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
		goto out;
	}
	if ((rc = gt_load_case(st, id, row)) || (rc = gt_case_stmts_prepare(st, &cs)))
		goto out;
	char now[32];
	gt_now(now);
	rc = gt_write_case(st, &cs, row, row, -1, now, "case.reevaluate");
out:
	gt_case_stmts_finalize(&cs);
	free(row);
	if (rc) {
		gt_rollback(st);
		return rc;
	}
	return gt_commit(st);
}

/* The undecided cases and the rule set each was evaluated by. Whether that
 * is still this program's answer depends on the case (the document version in
 * force on its date), so the comparison is made per case (stale_case). */
static const char undecided_sql[] =
	"SELECT c.id, (SELECT name FROM rulesets WHERE id = e.ruleset) "
	"FROM cases c JOIN evaluations e ON e.id = c.eval_id "
	"LEFT JOIN decisions d ON d.id = c.decision_id AND d.case_version = c.version "
	"WHERE d.id IS NULL";

/* Whether row, evaluated by the rule set `stored`, would be evaluated by
 * another one today. */
static int stale_case(gt_store *st, const struct gt_case_row *row, const char *stored, bool *stale)
{
	struct gt_case_prepared *p = malloc(sizeof *p);
	if (!p)
		return gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
	gt_store_evaluate(&row->c, &p->scratch, &p->ev);
	*stale = strcmp(stored, gt_store_eval_ruleset(&p->ev)) != 0;
	free(p);
	return GT_OK;
}

int gt_store_eval_stale(gt_store *st, int64_t id, bool *stale)
{
	if (st->pg)
		return gt_pg_eval_stale(st, id, stale);
	*stale = false;
	char sql[512];
	snprintf(sql, sizeof sql, "%s AND c.id = ?1", undecided_sql);
	sqlite3_stmt *s = gt_prepare(st, sql);
	if (!s)
		return GT_ERR;
	sqlite3_bind_int64(s, 1, id);
	int step = sqlite3_step(s);
	char stored[GT_RULESET_MAX] = "";
	if (step == SQLITE_ROW)
		gt_copy(stored, sizeof stored, gt_col_text(s, 1));
	sqlite3_finalize(s);
	if (step == SQLITE_DONE)
		return GT_OK;
	if (step != SQLITE_ROW)
		return gt_fail_sql(st, _("reading the evaluation"));
	struct gt_case_row *row = malloc(sizeof *row);
	if (!row)
		return gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
	int rc = gt_load_case(st, id, row);
	if (!rc)
		rc = stale_case(st, row, stored, stale);
	free(row);
	return rc;
}

int gt_store_reevaluate_all(gt_store *st, struct gt_reevaluate_result *res)
{
	if (st->pg)
		return gt_pg_reevaluate_all(st, res);
	memset(res, 0, sizeof *res);
	if (load_role(st))
		return GT_ERR;
	if (st->role < GT_USER_CLERK)
		return denied(st, GT_ACT_SUBMIT);
	int rc = gt_begin(st);
	if (rc)
		return rc;
	struct gt_case_stmts cs;
	memset(&cs, 0, sizeof cs);
	struct gt_case_row *row = malloc(sizeof *row);
	sqlite3_stmt *list = NULL, *outc = NULL;
	struct gt_sb changed = gt_sb_heap(), before = gt_sb_heap();
	if (!row) {
		rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
		goto out;
	}
	if ((rc = gt_case_stmts_prepare(st, &cs)))
		goto out;
	cs.quiet = true;
	if (!(list = gt_prepare(st, undecided_sql)) ||
	    !(outc = gt_prepare(st, "SELECT outcome FROM cases WHERE id = ?"))) {
		rc = GT_ERR;
		goto out;
	}
	char now[32];
	gt_now(now);
	int step;
	gt_sb_add(&changed, "[");
	gt_sb_add(&before, "[");
	/* The ids first: writing evaluations while walking them would meet
	 * the cases again. */
	struct undecided { int64_t id; char *ruleset; } *ids = NULL;
	size_t n = 0, cap = 0;
	while ((step = sqlite3_step(list)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			struct undecided *p = realloc(ids, cap * sizeof *ids);
			if (!p) {
				step = SQLITE_NOMEM;
				break;
			}
			ids = p;
		}
		ids[n].id = sqlite3_column_int64(list, 0);
		if (!(ids[n].ruleset = strdup(gt_col_text(list, 1)))) {
			step = SQLITE_NOMEM;
			break;
		}
		n++;
	}
	if (step != SQLITE_DONE)
		rc = step == SQLITE_NOMEM ? gt_fail(st, GT_ERR, "%s", strerror(ENOMEM))
					  : gt_fail_sql(st, _("reading the cases"));
	/* The rule sets the re-evaluated cases were evaluated by, for the record. */
	char **olds_seen = NULL;
	size_t nolds = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		bool stale = false;
		if ((rc = gt_load_case(st, ids[i].id, row)) || (rc = stale_case(st, row, ids[i].ruleset, &stale)))
			break;
		if (!stale)
			continue;
		bool seen = false;
		for (size_t k = 0; k < nolds && !seen; k++)
			seen = strcmp(olds_seen[k], ids[i].ruleset) == 0;
		if (!seen) {
			char **p = realloc(olds_seen, (nolds + 1) * sizeof *p);
			if (!p) {
				rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
				break;
			}
			olds_seen = p;
			olds_seen[nolds] = ids[i].ruleset;
			gt_sb_add(&before, nolds ? "," : "");
			gt_json_str(&before, ids[i].ruleset);
			nolds++;
		}
		char was[32] = "";
		sqlite3_bind_int64(outc, 1, ids[i].id);
		if (sqlite3_step(outc) == SQLITE_ROW)
			gt_copy(was, sizeof was, gt_col_text(outc, 0));
		sqlite3_reset(outc);
		if ((rc = gt_write_case(st, &cs, row, row, -1, now, "case.reevaluate")))
			break;
		res->cases++;
		sqlite3_bind_int64(outc, 1, ids[i].id);
		if (sqlite3_step(outc) == SQLITE_ROW && strcmp(was, gt_col_text(outc, 0)) != 0) {
			gt_sb_addf(&changed, "%s[%lld,\"%s\",\"%s\"]", res->changed_outcome ? "," : "",
				   (long long)ids[i].id, was, gt_col_text(outc, 0));
			res->changed_outcome++;
		}
		sqlite3_reset(outc);
	}
	gt_sb_add(&before, "]");
	free(olds_seen);
	for (size_t i = 0; i < n; i++)
		free(ids[i].ruleset);
	free(ids);
	if (rc)
		goto out;
	gt_sb_add(&changed, "]");
	if (res->cases) {
		struct gt_sb a = gt_sb_heap();
		gt_sb_add(&a, "{\"ruleset\":");
		gt_json_str(&a, gt_store_ruleset());
		gt_sb_addf(&a, ",\"cases\":%ld,\"changed_outcome\":%ld,\"changed\":%s}", res->cases,
			   res->changed_outcome, changed.p);
		struct gt_sb b = gt_sb_heap();
		gt_sb_add(&b, "{\"rulesets\":");
		gt_sb_add(&b, before.len ? before.p : "[]");
		gt_sb_add(&b, "}");
		rc = gt_audit(st, now, "reevaluate", "ruleset", gt_store_ruleset(), b.p, a.p);
		gt_sb_free(&a);
		gt_sb_free(&b);
	}
out:
	sqlite3_finalize(list);
	sqlite3_finalize(outc);
	gt_sb_free(&changed);
	gt_sb_free(&before);
	gt_case_stmts_finalize(&cs);
	free(row);
	if (rc) {
		gt_rollback(st);
		return rc;
	}
	return gt_commit(st);
}

/* ---- backup */

int gt_store_backup(gt_store *st, const char *dest)
{
	/* The server's dump is the backup: a copy this client could make would
	 * miss the roles, and need rights no clerk has. */
	if (st->pg)
		return gt_fail(st, GT_ERR, _("on a PostgreSQL database the backup is the server's pg_dump, run by the "
					     "database's owner or a superuser (see SECURITY.md); nothing was written"));
	/* SQLite opens the copy by name: it is made in a private directory
	 * (0700, ours) beside dest, as a file created O_EXCL|O_NOFOLLOW 0600,
	 * so that nobody can plant or swap it; a .part file someone left is
	 * never used. It gets its name by link(2), which never replaces a file,
	 * even one that appeared meanwhile. */
	struct gt_file *file = NULL;
	char err[1024];
	int frc = gt_file_create(&file, dest, GT_FILE_PRIVATE_DIR, st->path, err, sizeof err);
	if (frc == GT_FILE_EXISTS)
		return gt_fail(st, GT_ERR_EXISTS, _("%s exists; give a new file name"), dest);
	if (frc != GT_FILE_OK)
		return gt_fail(st, frc == GT_FILE_REFUSED ? GT_ERR_INVALID : GT_ERR, "%s", err);
	/* SQLite gets the copy's name through the private directory's open
	 * descriptor (/proc/self/fd/N/NAME), and keeps its rollback journal in
	 * memory: it opens no other file by name. */
	const char *target = gt_file_target(file), *tmp = gt_file_work_path_fd(file);
	sqlite3 *out = NULL;
	int rc = GT_OK;
	long cases = -1; /* set before any jump to done: the audit row reads it */
	if (sqlite3_open_v2(tmp, &out, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_exec(out, "PRAGMA journal_mode=MEMORY", NULL, NULL, NULL) != SQLITE_OK) {
		rc = gt_fail(st, GT_ERR, "%s: %s", target, out ? sqlite3_errmsg(out) : "out of memory");
		goto done;
	}
	sqlite3_backup *b = sqlite3_backup_init(out, "main", st->db, "main");
	if (!b) {
		rc = gt_fail(st, GT_ERR, "%s: %s", target, sqlite3_errmsg(out));
		goto done;
	}
	int step;
	/* Small steps, so that writers are held up only briefly. */
	while ((step = sqlite3_backup_step(b, 256)) == SQLITE_OK || step == SQLITE_BUSY ||
	       step == SQLITE_LOCKED)
		if (step != SQLITE_OK)
			sqlite3_sleep(20);
	sqlite3_backup_finish(b);
	if (step != SQLITE_DONE) {
		if (sqlite3_errcode(out) == SQLITE_FULL || step == SQLITE_FULL)
			rc = gt_fail(st, GT_ERR,
				     _("backing up to %s: the disk is full or the file size limit was reached; %s "
				       "was not written and nothing of it is left"), target, target);
		else
			rc = gt_fail(st, GT_ERR, _("backing up to %s: %s; %s was not written and nothing of it is left"),
				     target, sqlite3_errmsg(out), target);
		goto done;
	}
	/* The copy must be a complete, consistent database before it is named. */
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(out, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW || strcmp((const char *)sqlite3_column_text(s, 0), "ok") != 0)
		rc = gt_fail(st, GT_ERR, _("backing up to %s: the copy failed its integrity check"), target);
	sqlite3_finalize(s);
	s = NULL;
	if (!rc && sqlite3_prepare_v2(out, "SELECT count(*) FROM cases", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		cases = (long)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
done:
	if (out)
		sqlite3_close(out);
	if (!rc && (frc = gt_file_sync(file, err, sizeof err)) != GT_FILE_OK)
		rc = gt_fail(st, GT_ERR, "%s", err);
	/* The audit row first; without it, no copy. */
	if (!rc && (rc = gt_audit_file_write(st, "backup", target, "sqlite", cases, NULL))) {
		char why[sizeof st->err];
		memcpy(why, st->err, sizeof why);
		rc = gt_fail(st, rc, _("%s; a copy that is not in the audit log is not kept: nothing was written"), why);
	}
	if (!rc && (frc = gt_file_commit(&file, err, sizeof err)) != GT_FILE_OK)
		rc = gt_fail(st, frc == GT_FILE_EXISTS ? GT_ERR_EXISTS : GT_ERR, "%s", err);
	gt_file_abort(&file);
	return rc;
}
