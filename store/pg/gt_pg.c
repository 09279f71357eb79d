/* The case store on PostgreSQL: connection, init, users, reading and
 * writing cases (see gt_pg.h). Every statement is sent with parameters
 * (PQexecParams); the SQL text is constant. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "gt_csv.h"
#include "gt_i18n.h"
#include "gt_pg.h"
#include "gt_pg_int.h"
#include "gt_time.h"

/* Generated from store/pg/ roles.sql, schema.sql and functions.sql (see CMakeLists.txt). */
extern const char gt_pg_roles_sql[];
extern const char gt_pg_schema_sql[];
extern const char gt_pg_migrate_002_sql[];
extern const char gt_pg_migrate_003_sql[];
extern const char gt_pg_migrate_004_sql[];
extern const char gt_pg_migrate_005_sql[];
extern const char gt_pg_migrate_006_sql[];

/* The schema's version (meta.schema_version; a database without it is 1),
 * and the scripts that bring a database from version v - 1 to v
 * (store/pg/migrate/), run by init as the owner in one transaction. */
#define GT_PG_SCHEMA_VERSION 6
static const char *const migrate_sql[GT_PG_SCHEMA_VERSION + 1] = {
	[2] = gt_pg_migrate_002_sql,
	[3] = gt_pg_migrate_003_sql,
	[4] = gt_pg_migrate_004_sql,
	[5] = gt_pg_migrate_005_sql,
	[6] = gt_pg_migrate_006_sql,
};
extern const char gt_pg_functions_sql[];

/* ---- results and errors */

int gt_pg_fail(gt_store *st, PGresult *res, const char *what)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (!msg)
		msg = PQerrorMessage(st->pg->conn);
	int rc = GT_ERR;
	if (state) {
		if (strcmp(state, "GT001") == 0)
			rc = GT_ERR_CONFLICT;
		else if (strcmp(state, "GT002") == 0 || strcmp(state, "42501") == 0)
			rc = GT_ERR_DENIED;
		else if (strcmp(state, "GT003") == 0)
			rc = GT_ERR_TRANSITION;
		else if (strcmp(state, "GT004") == 0)
			rc = GT_ERR_NOT_FOUND;
		else if (strcmp(state, "GT005") == 0 || strcmp(state, "23505") == 0 ||
			 strcmp(state, "22021") == 0)
			rc = GT_ERR_INVALID;
		else if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
			 strcmp(state, "55P03") == 0)
			rc = GT_ERR_BUSY;
	}
	st->pg->last_rc = rc;
	char m[768];
	gt_copy(m, sizeof m, msg);
	size_t n = strlen(m);
	while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
		m[--n] = '\0';
	if (rc == GT_ERR_DENIED && st->role == GT_USER_NONE && st->actor[0])
		gt_fail(st, rc, _("%s is not a user of this database; an administrator can add you with "
				  "\"guantong user add %s --role clerk\""), st->actor, st->actor);
	else if (rc == GT_ERR_DENIED)
		gt_fail(st, rc, _("%s: the server refused: %s"), what, m);
	else
		gt_fail(st, rc, _("%s: %s"), what, m);
	if (res)
		PQclear(res);
	return rc;
}

PGresult *gt_pg_exec(gt_store *st, const char *sql, int n, const char *const *vals, const char *what)
{
	PGresult *res = PQexecParams(st->pg->conn, sql, n, NULL, vals, NULL, NULL, 0);
	ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK)
		return res;
	gt_pg_fail(st, res, what);
	return NULL;
}

int gt_pg_run(gt_store *st, const char *sql, int n, const char *const *vals, const char *what)
{
	PGresult *res = gt_pg_exec(st, sql, n, vals, what);
	if (!res)
		return gt_pg_rc(st);
	PQclear(res);
	return GT_OK;
}

/* A script of several statements (no parameters): the SQL files. */
static int run_script(gt_store *st, const char *sql, const char *what)
{
	PGresult *res = PQexec(st->pg->conn, sql);
	ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK || s == PGRES_EMPTY_QUERY) { /* empty: comments only */
		PQclear(res);
		return GT_OK;
	}
	return gt_pg_fail(st, res, what);
}

/* Runs the statement that SELECT format(fmt, arg) makes: DDL naming a role
 * (%I quotes it), which takes no parameters. */
static int run_formatted(gt_store *st, const char *fmt, const char *arg, const char *what)
{
	const char *v[] = { fmt, arg };
	PGresult *res = gt_pg_exec(st, "SELECT format($1, $2::text)", 2, v, what);
	if (!res)
		return gt_pg_rc(st);
	char ddl[256];
	gt_copy(ddl, sizeof ddl, gt_pg_val(res, 0, 0));
	PQclear(res);
	return gt_pg_run(st, ddl, 0, NULL, what);
}

/* libpq's message of a failed connection, on one line. */
static const char *conn_error(PGconn *c, char *buf, size_t size)
{
	gt_copy(buf, size, c ? PQerrorMessage(c) : strerror(ENOMEM));
	size_t n = strlen(buf);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return buf;
}

int gt_pg_rc(gt_store *st)
{
	return st->pg->last_rc ? st->pg->last_rc : GT_ERR;
}

const char *gt_pg_val(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? "" : PQgetvalue(res, row, col);
}

int64_t gt_pg_int(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? 0 : strtoll(PQgetvalue(res, row, col), NULL, 10);
}

int gt_pg_unsupported(gt_store *st, const char *what)
{
	return gt_fail(st, GT_ERR, _("%s is not available on a PostgreSQL database (%s)"), what,
		       _("use the server's own tools, e.g. pg_dump for a backup"));
}

/* Reads the notifications that arrived (LISTEN guantong): each is a commit
 * of another session, or of ours. */
int64_t gt_pg_data_version(gt_store *st)
{
	PQconsumeInput(st->pg->conn);
	PGnotify *n;
	while ((n = PQnotifies(st->pg->conn))) {
		st->pg->notified++;
		PQfreemem(n);
	}
	return st->pg->notified;
}

static int load_role(gt_store *st)
{
	PGresult *res = gt_pg_exec(st, "SELECT guantong.my_role(), session_user", 0, NULL, _("opening the database"));
	if (!res)
		return GT_ERR;
	int r = gt_role_parse(gt_pg_val(res, 0, 0));
	st->role = r > 0 ? r : GT_USER_NONE;
	gt_copy(st->actor, sizeof st->actor, gt_pg_val(res, 0, 1));
	PQclear(res);
	return GT_OK;
}

/* libpq's notices (a WARNING of the server) are not for the terminal. */
static void quiet_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static PGconn *connect_to(const char *conninfo, const char *actor)
{
	const char *keys[] = { "dbname", actor ? "user" : NULL, NULL };
	const char *vals[] = { conninfo, actor, NULL };
	PGconn *c = PQconnectdbParams(keys, vals, 1);
	if (c)
		PQsetNoticeProcessor(c, quiet_notice, NULL);
	return c;
}

/* The database's schema version; 0 when the caller may not read meta (no
 * longer a user: load_role says so), -1 with the error set. */
static int schema_version(gt_store *st)
{
	PGresult *res = gt_pg_exec(st, "SELECT has_table_privilege('guantong.meta', 'SELECT')", 0, NULL,
				   _("opening the database"));
	if (!res)
		return -1;
	bool may = strcmp(gt_pg_val(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!may)
		return 0;
	res = gt_pg_exec(st, "SELECT coalesce((SELECT value FROM guantong.meta WHERE key = 'schema_version'), '1')", 0,
			 NULL, _("opening the database"));
	if (!res)
		return -1;
	int v = atoi(gt_pg_val(res, 0, 0));
	PQclear(res);
	return v;
}

/* A database of another schema version is not used: an older one is upgraded
 * by init (as the owner may), a newer one needs a newer program. */
static int schema_version_check(gt_store *st)
{
	int v = schema_version(st);
	if (v < 0)
		return gt_pg_rc(st);
	if (v == 0)
		return GT_OK;
	if (v > GT_PG_SCHEMA_VERSION)
		return gt_fail(st, GT_ERR_NEWER,
			       _("the PostgreSQL database has schema version %d, newer than this program's %d; use a newer "
				 "guantong"), v, GT_PG_SCHEMA_VERSION);
	if (v < GT_PG_SCHEMA_VERSION)
		return gt_fail(st, GT_ERR,
			       _("the PostgreSQL database has schema version %d, older than this program's %d; an "
				 "administrator of the server upgrades it with \"guantong init --db CONNINFO\" (one "
				 "transaction)"), v, GT_PG_SCHEMA_VERSION);
	return GT_OK;
}

int gt_pg_open(gt_store **out, const char *conninfo, unsigned flags, const char *actor, char *err, size_t errsz)
{
	(void)flags;
	*out = NULL;
	gt_store *st = calloc(1, sizeof *st);
	if (st)
		st->pg = calloc(1, sizeof *st->pg);
	if (!st || !st->pg) {
		free(st);
		snprintf(err, errsz, "%s", strerror(ENOMEM));
		return GT_ERR;
	}
	gt_copy(st->path, sizeof st->path, conninfo);
	int rc = GT_OK;
	st->pg->conn = connect_to(conninfo, actor);
	if (!st->pg->conn || PQstatus(st->pg->conn) != CONNECTION_OK) {
		char ce[512];
		rc = gt_fail(st, GT_ERR, _("cannot connect to the PostgreSQL database: %s"),
			     conn_error(st->pg->conn, ce, sizeof ce));
		goto out;
	}
	PGresult *res = gt_pg_exec(st, "SELECT to_regclass('guantong.meta') IS NOT NULL", 0, NULL,
				   _("opening the database"));
	if (!res) {
		rc = GT_ERR;
		goto out;
	}
	bool ours = strcmp(gt_pg_val(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!ours) {
		/* A stranger cannot see the schema either (no USAGE): the same words. */
		rc = gt_fail(st, GT_ERR_NOT_DB,
			     _("the PostgreSQL database is not set up for guantong, or you may not read it; an "
			       "administrator sets it up with \"guantong init --db CONNINFO\" and adds you with "
			       "\"guantong user add LOGIN --role clerk\""));
		goto out;
	}
	if ((rc = schema_version_check(st)))
		goto out;
	if ((rc = gt_pg_run(st, "SET search_path = guantong, pg_catalog", 0, NULL, _("opening the database"))) ||
	    (rc = gt_pg_run(st, "LISTEN guantong", 0, NULL, _("opening the database"))))
		goto out;
	rc = load_role(st);
out:
	if (rc) {
		snprintf(err, errsz, "%s", st->err);
		gt_pg_close(st);
		return rc;
	}
	*out = st;
	return GT_OK;
}

void gt_pg_close(gt_store *st)
{
	if (!st)
		return;
	if (st->pg && st->pg->conn)
		PQfinish(st->pg->conn);
	free(st->pg);
	free(st);
}

/* ---- init */

/* A login as user_set accepts it (functions.sql): a role name that needs no quoting tricks. */
static bool login_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 63 || s[0] == '-' || s[0] == '.' || strncmp(s, "guantong_", 9) == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
			return false;
	return true;
}

/* The pinyin of every case (schema version 2), made here: the server has no
 * transform. A page of cases at a time, by number. */
static int fill_pinyin(gt_store *st, const char *what)
{
	struct gt_sb ids = gt_sb_heap(), pys = gt_sb_heap();
	char last[24] = "0";
	int rc = GT_OK;
	for (;;) {
		const char *v[] = { last };
		PGresult *res = gt_pg_exec(st, "SELECT id, name FROM cases WHERE id > $1::bigint ORDER BY id LIMIT 5000", 1,
					   v, what);
		if (!res) {
			rc = gt_pg_rc(st);
			break;
		}
		int n = PQntuples(res);
		ids.len = pys.len = 0;
		gt_sb_add(&ids, "{");
		gt_sb_add(&pys, "{");
		for (int i = 0; i < n && !rc; i++) {
			char py[4 * GT_TEXT_MAX_BYTES];
			rc = gt_pg_pinyin(st, gt_pg_val(res, i, 1), py, sizeof py);
			gt_sb_addf(&ids, "%s%s", i ? "," : "", gt_pg_val(res, i, 0));
			gt_sb_addf(&pys, "%s\"%s\"", i ? "," : "", py); /* [a-z0-9 ] only: nothing to escape */
		}
		gt_sb_add(&ids, "}");
		gt_sb_add(&pys, "}");
		if (n)
			gt_copy(last, sizeof last, gt_pg_val(res, n - 1, 0));
		PQclear(res);
		if (rc || n == 0)
			break;
		if (ids.truncated || pys.truncated) {
			rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
			break;
		}
		const char *uv[] = { ids.p, pys.p };
		if ((rc = gt_pg_run(st, "UPDATE cases c SET pinyin = u.p FROM unnest($1::bigint[], $2::text[]) u(id, p) "
				    "WHERE c.id = u.id AND u.p <> ''", 2, uv, what)))
			break;
	}
	gt_sb_free(&ids);
	gt_sb_free(&pys);
	return rc;
}

/* The due date of every stored case that waits for years only (schema
 * version 5), as SQLite's gt_due_fill makes it: the stored answer and this
 * program's evaluation of the case (gt_answer_make). A page at a time. */
static int fill_due(gt_store *st, const char *what)
{
	struct gt_sb q = gt_sb_heap(), ids = gt_sb_heap(), dates = gt_sb_heap();
	struct gt_answer *a = malloc(sizeof *a);
	struct gt_case *c = malloc(sizeof *c);
	char last[24] = "0";
	int rc = a && c ? GT_OK : gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
	gt_pg_select_fields(&q);
	gt_sb_add(&q, "c.id, e.ruleset, e.outcome, e.target, e.route, e.basis, e.unmet, e.missing_evidence, "
		  "CASE WHEN e.theory_exempt THEN 'yes' ELSE 'no' END FROM cases c JOIN evaluations e ON e.id = c.eval_id "
		  "WHERE c.id > $1::bigint AND c.outcome = 'not_eligible' AND e.unmet <> '' AND replace(replace(replace("
		  "replace(e.unmet, 'years_since_level', ''), 'years_cumulative', ''), 'years_in_region', ''), ';', '') = '' "
		  "ORDER BY c.id LIMIT 2000");
	if (!rc && q.truncated)
		rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
	while (!rc) {
		const char *v[] = { last };
		PGresult *res = gt_pg_exec(st, q.p, 1, v, what);
		if (!res) {
			rc = gt_pg_rc(st);
			break;
		}
		int n = PQntuples(res);
		ids.len = dates.len = 0;
		gt_sb_add(&ids, "{");
		gt_sb_add(&dates, "{");
		for (int i = 0; i < n && !rc; i++) {
			int64_t id = gt_pg_int(res, i, GT_COL_COUNT);
			if ((rc = gt_pg_case_of(st, res, i, id, c)))
				break;
			struct gt_answer_in in = { .c = c, .ruleset = gt_pg_val(res, i, GT_COL_COUNT + 1) };
			for (int k = 0; k < GT_SUM_CITATION; k++)
				in.stored[k] = gt_pg_val(res, i, GT_COL_COUNT + 2 + k);
			gt_answer_make(&in, a);
			gt_date on = gt_due_of(&a->ev, a->col[GT_SUM_OUTCOME], a->col[GT_SUM_UNMET]);
			char d[11] = "NULL";
			if (on != GT_DATE_NONE)
				gt_date_format(on, d);
			gt_sb_addf(&ids, "%s%lld", i ? "," : "", (long long)id);
			gt_sb_addf(&dates, "%s%s", i ? "," : "", d);
		}
		gt_sb_add(&ids, "}");
		gt_sb_add(&dates, "}");
		if (n)
			gt_copy(last, sizeof last, gt_pg_val(res, n - 1, GT_COL_COUNT));
		PQclear(res);
		if (rc || n == 0)
			break;
		if (ids.truncated || dates.truncated) {
			rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
			break;
		}
		const char *uv[] = { ids.p, dates.p };
		rc = gt_pg_run(st, "UPDATE cases c SET due_on = u.d FROM unnest($1::bigint[], $2::date[]) u(id, d) "
			       "WHERE c.id = u.id AND u.d IS NOT NULL", 2, uv, what);
	}
	gt_sb_free(&q);
	gt_sb_free(&ids);
	gt_sb_free(&dates);
	free(a);
	free(c);
	return rc;
}

/* Brings the database from schema version `from` to this program's, in the
 * caller's transaction: the migration scripts as the owner, then every
 * function of functions.sql anew (dropped first: a signature may change),
 * then what needs them. Adds an audit row. */
static int upgrade(gt_store *st, const char *me, int from, const char *what)
{
	int rc;
	if ((rc = run_script(st, gt_pg_roles_sql, what)) ||
	    (rc = gt_pg_run(st, "SET LOCAL ROLE guantong_owner", 0, NULL, what)) ||
	    (rc = gt_pg_run(st, "SET LOCAL search_path = guantong", 0, NULL, what)))
		return rc;
	for (int v = from + 1; v <= GT_PG_SCHEMA_VERSION; v++)
		if (migrate_sql[v] && (rc = run_script(st, migrate_sql[v], what)))
			return rc;
	if (from < 2 && (rc = fill_pinyin(st, what)))
		return rc;
	if ((rc = run_script(st, "DO $$ DECLARE f regprocedure; BEGIN "
			     "FOR f IN SELECT p.oid::regprocedure FROM pg_proc p WHERE p.pronamespace = "
			     "'guantong'::regnamespace AND p.proname <> 'audit_append_only' LOOP "
			     "EXECUTE 'DROP FUNCTION ' || f::text || ' CASCADE'; END LOOP; END $$", what)) ||
	    (rc = run_script(st, gt_pg_functions_sql, what)))
		return rc;
	if (from < 2 && (rc = gt_pg_run(st, "INSERT INTO case_terms (term, case_id) SELECT t, c.id FROM cases c, "
					"case_terms_of(c.id, c.name, c.pinyin, c.case_ref, c.id_number) t", 0, NULL, what)))
		return rc;
	/* Version 5: one name per identity number (the case changed last
	 * names the applicant, as SQLite's applicants row), the search terms
	 * following by the triggers; and the due dates. */
	if (from < 5 &&
	    ((rc = gt_pg_run(st, "UPDATE cases c SET name = l.name, pinyin = l.pinyin, "
			     "fields[(SELECT pos FROM case_columns WHERE name = 'name')] = l.name "
			     "FROM (SELECT DISTINCT ON (id_number) id_number, name, pinyin FROM cases "
			     "ORDER BY id_number, updated_at DESC, id DESC) l "
			     "WHERE c.id_number = l.id_number AND c.name <> l.name", 0, NULL, what)) ||
	     (rc = fill_due(st, what))))
		return rc;
	char fv[16], tv[16];
	snprintf(fv, sizeof fv, "%d", from);
	snprintf(tv, sizeof tv, "%d", GT_PG_SCHEMA_VERSION);
	const char *v[] = { fv, tv, "guantong " GT_VERSION };
	if ((rc = gt_pg_run(st, "INSERT INTO meta (key, value) VALUES ('schema_version', $1) "
			    "ON CONFLICT (key) DO UPDATE SET value = excluded.value", 1, v + 1, what)) ||
	    (rc = gt_pg_run(st, "SELECT audit_add('schema.upgrade', 'schema', $2::text, "
			    "jsonb_build_object('version', $1::text::int), "
			    "jsonb_build_object('version', $2::text::int, 'by', $3::text))", 3, v, what)) ||
	    (rc = gt_pg_run(st, "RESET ROLE", 0, NULL, what)))
		return rc;
	return run_formatted(st, "REVOKE guantong_owner FROM %I", me, what);
}

int gt_pg_init(const char *conninfo, const char *admin, void (*say)(const char *line, void *arg), void *arg,
	       char *err, size_t errsz)
{
	gt_store *st = calloc(1, sizeof *st);
	if (st)
		st->pg = calloc(1, sizeof *st->pg);
	if (!st || !st->pg) {
		free(st);
		snprintf(err, errsz, "%s", strerror(ENOMEM));
		return GT_ERR;
	}
	char said[4][512]; /* told once everything committed */
	int nsaid = 0;
	int rc = GT_OK;
	bool in_tx = false;
	PGresult *res = NULL;
	st->pg->conn = connect_to(conninfo, NULL);
	if (!st->pg->conn || PQstatus(st->pg->conn) != CONNECTION_OK) {
		char ce[512];
		rc = gt_fail(st, GT_ERR, _("cannot connect to the PostgreSQL database: %s"),
			     conn_error(st->pg->conn, ce, sizeof ce));
		goto out;
	}
	const char *what = _("setting up the database");
	if ((rc = gt_pg_run(st, "BEGIN", 0, NULL, what)))
		goto out;
	in_tx = true;
	if (!(res = gt_pg_exec(st, "SELECT session_user, current_database(), "
			       "EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'guantong')", 0, NULL, what))) {
		rc = GT_ERR;
		goto out;
	}
	char me[65], dbname[128];
	gt_copy(me, sizeof me, gt_pg_val(res, 0, 0));
	gt_copy(dbname, sizeof dbname, gt_pg_val(res, 0, 1));
	bool exists = strcmp(gt_pg_val(res, 0, 2), "t") == 0;
	PQclear(res);
	res = NULL;
	if (exists) {
		int from = schema_version(st);
		if (from < 0) {
			rc = gt_pg_rc(st);
			goto out;
		}
		if (from == 0 || from >= GT_PG_SCHEMA_VERSION) { /* 0: the caller may not even read it */
			rc = from > GT_PG_SCHEMA_VERSION ? schema_version_check(st)
				: gt_fail(st, GT_ERR_EXISTS,
					  _("the database %s is set up for guantong already; nothing was changed"), dbname);
			goto out;
		}
		if ((rc = upgrade(st, me, from, what)) || (rc = gt_pg_run(st, "COMMIT", 0, NULL, what)))
			goto out;
		in_tx = false;
		snprintf(said[nsaid++], sizeof said[0], _("upgraded the database %s from schema version %d to %d"), dbname,
			 from, GT_PG_SCHEMA_VERSION);
		for (int i = 0; i < nsaid; i++)
			say(said[i], arg);
		goto out;
	}
	if (!admin || !*admin)
		admin = me;
	if ((rc = run_script(st, gt_pg_roles_sql, what)))
		goto out;
	snprintf(said[nsaid++], sizeof said[0], _("roles: guantong_owner (owns the tables, no login), guantong_clerk, "
				      "guantong_reviewer, guantong_admin"));
	if ((rc = gt_pg_run(st, "CREATE SCHEMA guantong AUTHORIZATION guantong_owner", 0, NULL, what)) ||
	    (rc = gt_pg_run(st, "SET LOCAL ROLE guantong_owner", 0, NULL, what)) ||
	    (rc = gt_pg_run(st, "SET LOCAL search_path = guantong", 0, NULL, what)) ||
	    (rc = run_script(st, gt_pg_schema_sql, what)))
		goto out;
	for (int i = 0; i < GT_COL_COUNT; i++) {
		char pos[16];
		snprintf(pos, sizeof pos, "%d", i + 1);
		const char *v[] = { pos, gt_column_names[i] };
		if ((rc = gt_pg_run(st, "INSERT INTO case_columns (pos, name) VALUES ($1, $2)", 2, v, what)))
			goto out;
	}
	char sv[16];
	snprintf(sv, sizeof sv, "%d", GT_PG_SCHEMA_VERSION);
	const char *mv[] = { me, "guantong " GT_VERSION, sv };
	if ((rc = run_script(st, gt_pg_functions_sql, what)) ||
	    (rc = gt_pg_run(st, "INSERT INTO meta (key, value) VALUES ('created_at', now_text()), "
			    "('created_by', $1), ('created_with', $2), ('backend', 'postgresql'), "
			    "('schema_version', $3)", 3, mv, what)))
		goto out;
	snprintf(said[nsaid++], sizeof said[0], _("schema guantong in database %s: tables, and the functions that are "
				      "the only way to write them"), dbname);
	/* The first administrator: a login role of that name (made when
	 * missing), in guantong_admin, and its user row and audit row. */
	const char *av[] = { admin };
	if (!login_ok(admin)) {
		rc = gt_fail(st, GT_ERR_INVALID, _("\"%s\" is not a login this database accepts"), admin);
		goto out;
	}
	if (!(res = gt_pg_exec(st, "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", 1, av, what))) {
		rc = GT_ERR;
		goto out;
	}
	bool have_role = strcmp(gt_pg_val(res, 0, 0), "t") == 0;
	PQclear(res);
	res = NULL;
	if ((!have_role && (rc = run_formatted(st, "CREATE ROLE %I LOGIN", admin, what))) ||
	    (rc = run_formatted(st, "GRANT guantong_admin TO %I", admin, what)))
		goto out;
	const char *uv[] = { admin, me };
	if ((rc = gt_pg_run(st, "INSERT INTO users (login, role, created_at, created_by) "
			    "VALUES ($1, 'admin', now_text(), $2)", 2, uv, what)) ||
	    (rc = gt_pg_run(st, "SELECT audit_add('user.create', 'user', $1, NULL, "
			    "jsonb_build_object('role', 'admin', 'login', $1::text))", 1, av, what)))
		goto out;
	snprintf(said[nsaid++], sizeof said[0], _("first administrator: %s (a login role in guantong_admin)"), admin);
	/* The caller keeps no rights of the owner. */
	if ((rc = gt_pg_run(st, "RESET ROLE", 0, NULL, what)) ||
	    (rc = run_formatted(st, "REVOKE guantong_owner FROM %I", me, what)) ||
	    (rc = gt_pg_run(st, "COMMIT", 0, NULL, what)))
		goto out;
	in_tx = false;
	snprintf(said[nsaid++], sizeof said[0], _("%s is no longer a member of guantong_owner"), me);
	for (int i = 0; i < nsaid; i++)
		say(said[i], arg);
out:
	if (res)
		PQclear(res);
	if (in_tx)
		PQclear(PQexec(st->pg->conn, "ROLLBACK"));
	if (rc)
		snprintf(err, errsz, "%s", st->err);
	gt_pg_close(st);
	return rc;
}

/* ---- users */

int gt_pg_user_set(gt_store *st, const char *login, int role, const char *display_name)
{
	/* The server refuses a non-admin by the function's grant; this says so
	 * in SQLite's words first. */
	if (load_role(st))
		return GT_ERR;
	if (st->role != GT_USER_ADMIN)
		return gt_fail(st, GT_ERR_DENIED, _("only an administrator may manage users (you are %s)"),
			       st->actor);
	if (role != GT_USER_NONE && (role < GT_USER_CLERK || role > GT_USER_ADMIN))
		return gt_fail(st, GT_ERR_INVALID, _("unknown role"));
	if (display_name && (strlen(display_name) > GT_DISPLAY_NAME_MAX ||
			     gt_utf8_check(display_name, strlen(display_name)) != 0))
		return gt_fail(st, GT_ERR_INVALID, _("the name must be UTF-8 text of at most %d bytes"),
			       GT_DISPLAY_NAME_MAX);
	const char *v[] = { login, role == GT_USER_NONE ? NULL : gt_role_codes[role], display_name };
	int rc = gt_pg_run(st, "SELECT guantong.user_set($1, $2, $3)", 3, v, _("saving the user"));
	if (!rc)
		load_role(st);
	return rc;
}

int gt_pg_user_list(gt_store *st, int (*fn)(const struct gt_user *u, void *arg), void *arg)
{
	PGresult *res = gt_pg_exec(st, "SELECT login, role, display_name, active, created_at FROM guantong.users "
				   "ORDER BY login", 0, NULL, _("reading the users"));
	if (!res)
		return GT_ERR;
	int rc = GT_OK;
	for (int i = 0; i < PQntuples(res) && !rc; i++) {
		struct gt_user u;
		gt_copy(u.login, sizeof u.login, gt_pg_val(res, i, 0));
		u.role = gt_role_parse(gt_pg_val(res, i, 1));
		gt_copy(u.display_name, sizeof u.display_name, gt_pg_val(res, i, 2));
		u.active = strcmp(gt_pg_val(res, i, 3), "t") == 0;
		gt_copy(u.created_at, sizeof u.created_at, gt_pg_val(res, i, 4));
		rc = fn(&u, arg);
	}
	PQclear(res);
	return rc;
}
