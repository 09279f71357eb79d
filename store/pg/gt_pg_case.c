/* The case store on PostgreSQL: reading and changing cases, decisions,
 * evidence, history, drafts. The server functions (functions.sql) do the
 * writing, check the caller's group and write the audit row; this side
 * evaluates (the evaluator is C) and sends the values. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gt_csv.h"
#include "gt_i18n.h"
#include "gt_pg.h"
#include "gt_pg_int.h"
#include "gt_time.h"

/* ---- loading */

int gt_pg_case_of(gt_store *st, PGresult *res, int r, int64_t id, struct gt_case *c)
{
	struct gt_span f[GT_COL_COUNT];
	struct gt_header h;
	for (int i = 0; i < GT_COL_COUNT; i++) {
		f[i].p = gt_pg_val(res, r, i);
		f[i].n = strlen(f[i].p);
		h.pos[i] = (int16_t)i;
	}
	h.nfields = GT_COL_COUNT;
	gt_date app = GT_DATE_NONE;
	gt_date_parse(f[GT_COL_APPLICATION_DATE].p, f[GT_COL_APPLICATION_DATE].n, &app);
	struct gt_row_error err;
	if (gt_case_parse(c, &h, f, GT_COL_COUNT, app, &err) < 0) {
		char msg[512];
		gt_row_error_format(&err, 0, msg, sizeof msg);
		return gt_fail(st, GT_ERR, _("case %lld in the database does not read back: %s"), (long long)id, msg);
	}
	return GT_OK;
}

void gt_pg_select_fields(struct gt_sb *sb)
{
	gt_sb_add(sb, "SELECT ");
	for (int i = 0; i < GT_COL_COUNT; i++)
		gt_sb_addf(sb, "c.fields[%d], ", i + 1);
}

/* A case's row as gt_pg_get reads it: the input columns in the contract's
 * order (cases c), then these (ROW_COLS of them). */
#define ROW_TAIL "c.status, c.assignee, c.version, c.created_at, c.created_by, c.updated_at, c.updated_by, " \
	"c.eval_id, c.decision_id"
enum { ROW_COLS = GT_COL_COUNT + 9 };

static const char *case_select(void)
{
	static char sql[2048];
	if (sql[0])
		return sql;
	struct gt_sb sb = gt_sb_make(sql, sizeof sql);
	gt_pg_select_fields(&sb);
	gt_sb_add(&sb, ROW_TAIL " FROM guantong.cases c WHERE c.id = $1");
	return sql;
}

/* Row r of a result in that shape into row (evidence: what the case's
 * evidence column says is verified). */
static int row_of(gt_store *st, PGresult *res, int r, int64_t id, struct gt_case_row *row)
{
	memset(row, 0, sizeof *row);
	if (gt_pg_case_of(st, res, r, id, &row->c))
		return GT_ERR;
	int k = GT_COL_COUNT;
	row->id = id;
	row->status = gt_status_parse(gt_pg_val(res, r, k));
	gt_copy(row->assignee, sizeof row->assignee, gt_pg_val(res, r, k + 1));
	row->version = gt_pg_int(res, r, k + 2);
	gt_copy(row->created_at, sizeof row->created_at, gt_pg_val(res, r, k + 3));
	gt_copy(row->created_by, sizeof row->created_by, gt_pg_val(res, r, k + 4));
	gt_copy(row->updated_at, sizeof row->updated_at, gt_pg_val(res, r, k + 5));
	gt_copy(row->updated_by, sizeof row->updated_by, gt_pg_val(res, r, k + 6));
	row->eval_id = gt_pg_int(res, r, k + 7);
	row->decision_id = gt_pg_int(res, r, k + 8);
	for (int e = 0; e < GT_EV_COUNT; e++)
		if (row->c.evidence & (1u << e))
			row->evidence[e].received = row->evidence[e].verified = true;
	return GT_OK;
}

int gt_pg_get(gt_store *st, int64_t id, struct gt_case_row *row)
{
	char idbuf[24];
	snprintf(idbuf, sizeof idbuf, "%lld", (long long)id);
	const char *v[] = { idbuf };
	PGresult *res = gt_pg_exec(st, case_select(), 1, v, _("reading a case"));
	if (!res)
		return gt_pg_rc(st);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return gt_fail(st, GT_ERR_NOT_FOUND, _("no case %lld"), (long long)id);
	}
	if (row_of(st, res, 0, id, row)) {
		PQclear(res);
		return GT_ERR;
	}
	PQclear(res);

	res = gt_pg_exec(st, "SELECT code, received, verified, received_by, received_at, verified_by, "
			 "verified_at, note FROM guantong.evidence WHERE case_id = $1", 1, v, _("reading a case"));
	if (!res)
		return gt_pg_rc(st);
	for (int i = 0; i < PQntuples(res); i++) {
		const char *code = gt_pg_val(res, i, 0);
		int e = gt_code_lookup(&gt_evidence_codes, code, strlen(code));
		if (e < 0)
			continue;
		struct gt_evidence_item *it = &row->evidence[e];
		it->received = strcmp(gt_pg_val(res, i, 1), "t") == 0;
		it->verified = (row->c.evidence & (1u << e)) != 0; /* the case's evidence column decides */
		gt_copy(it->received_by, sizeof it->received_by, gt_pg_val(res, i, 3));
		gt_copy(it->received_at, sizeof it->received_at, gt_pg_val(res, i, 4));
		gt_copy(it->verified_by, sizeof it->verified_by, gt_pg_val(res, i, 5));
		gt_copy(it->verified_at, sizeof it->verified_at, gt_pg_val(res, i, 6));
		gt_copy(it->note, sizeof it->note, gt_pg_val(res, i, 7));
	}
	PQclear(res);
	for (int e = 0; e < GT_EV_COUNT; e++)
		if (row->c.evidence & (1u << e))
			row->evidence[e].received = row->evidence[e].verified = true;
	return GT_OK;
}

int gt_pg_find(gt_store *st, const char *key, int64_t *id)
{
	*id = 0;
	const char *p = key;
	if (*p == '#')
		p++;
	char *end;
	errno = 0;
	long long n = strtoll(p, &end, 10);
	bool numeric = *p >= '0' && *p <= '9' && !*end && errno == 0 && strlen(p) < 18;
	PGresult *res;
	if (numeric) {
		char idbuf[24];
		snprintf(idbuf, sizeof idbuf, "%lld", n);
		const char *v[] = { idbuf };
		res = gt_pg_exec(st, "SELECT id FROM guantong.cases WHERE id = $1", 1, v, _("finding the case"));
	} else {
		const char *v[] = { key };
		res = gt_pg_exec(st, "SELECT id FROM guantong.cases WHERE case_ref = $1 AND $1 <> '' UNION ALL "
				 "SELECT id FROM guantong.cases WHERE id_number = upper($1) ORDER BY 1 DESC LIMIT 2",
				 1, v, _("finding the case"));
	}
	if (!res)
		return gt_pg_rc(st);
	int rc = GT_OK;
	if (PQntuples(res) == 0)
		rc = gt_fail(st, GT_ERR_NOT_FOUND, _("no case \"%s\""), key);
	else if (!numeric && PQntuples(res) > 1)
		rc = gt_fail(st, GT_ERR_INVALID, _("\"%s\" matches more than one case; give the case number"), key);
	else
		*id = gt_pg_int(res, 0, 0);
	PQclear(res);
	return rc;
}

int gt_pg_get_eval(gt_store *st, int64_t eval_id, struct gt_stored_eval *ev)
{
	char idbuf[24];
	snprintf(idbuf, sizeof idbuf, "%lld", (long long)eval_id);
	const char *v[] = { idbuf };
	PGresult *res = gt_pg_exec(st, "SELECT id, case_id, case_version, ruleset, as_of, evaluated_at, evaluated_by, "
				   "outcome, target, route, basis, unmet, missing_evidence, "
				   "CASE WHEN theory_exempt THEN 'yes' ELSE 'no' END, rule_id "
				   "FROM guantong.evaluations WHERE id = $1", 1, v, _("reading the evaluation"));
	if (!res)
		return gt_pg_rc(st);
	int rc = GT_OK;
	if (PQntuples(res) == 1) {
		memset(ev, 0, sizeof *ev);
		ev->id = gt_pg_int(res, 0, 0);
		ev->case_id = gt_pg_int(res, 0, 1);
		ev->case_version = gt_pg_int(res, 0, 2);
		gt_copy(ev->ruleset, sizeof ev->ruleset, gt_pg_val(res, 0, 3));
		gt_copy(ev->as_of, sizeof ev->as_of, gt_pg_val(res, 0, 4));
		gt_copy(ev->evaluated_at, sizeof ev->evaluated_at, gt_pg_val(res, 0, 5));
		gt_copy(ev->evaluated_by, sizeof ev->evaluated_by, gt_pg_val(res, 0, 6));
		/* citation and message are derived on read (gt_answer.c), never stored here */
		for (int i = 0; i < GT_SUM_CITATION; i++)
			gt_copy(ev->col[i], sizeof ev->col[i], gt_pg_val(res, 0, 7 + i));
		gt_copy(ev->rule_id, sizeof ev->rule_id, gt_pg_val(res, 0, 14));
	} else {
		rc = gt_fail(st, GT_ERR_NOT_FOUND, _("no evaluation %lld"), (long long)eval_id);
	}
	PQclear(res);
	return rc;
}

int gt_pg_get_decision(gt_store *st, int64_t decision_id, struct gt_decision *d)
{
	char idbuf[24];
	snprintf(idbuf, sizeof idbuf, "%lld", (long long)decision_id);
	const char *v[] = { idbuf };
	PGresult *res = gt_pg_exec(st, "SELECT id, case_id, case_version, eval_id, action, decided_by, decided_at, note "
				   "FROM guantong.decisions WHERE id = $1", 1, v, _("reading the decision"));
	if (!res)
		return gt_pg_rc(st);
	int rc = GT_OK;
	if (PQntuples(res) == 1) {
		d->id = gt_pg_int(res, 0, 0);
		d->case_id = gt_pg_int(res, 0, 1);
		d->case_version = gt_pg_int(res, 0, 2);
		d->eval_id = gt_pg_int(res, 0, 3);
		gt_copy(d->action, sizeof d->action, gt_pg_val(res, 0, 4));
		gt_copy(d->decided_by, sizeof d->decided_by, gt_pg_val(res, 0, 5));
		gt_copy(d->decided_at, sizeof d->decided_at, gt_pg_val(res, 0, 6));
		gt_copy(d->note, sizeof d->note, gt_pg_val(res, 0, 7));
	} else {
		rc = gt_fail(st, GT_ERR_NOT_FOUND, _("no decision %lld"), (long long)decision_id);
	}
	PQclear(res);
	return rc;
}

int gt_pg_history(gt_store *st, int64_t case_id, int (*fn)(const struct gt_audit_row *a, void *arg), void *arg)
{
	char idbuf[24];
	snprintf(idbuf, sizeof idbuf, "%lld", (long long)case_id);
	const char *v[] = { idbuf };
	/* A case an import created has no row of its own: the import's row
	 * (its ranges of created cases) stands for it, as in SQLite. */
	PGresult *res = gt_pg_exec(st, "SELECT id, at, actor, action, before, after FROM guantong.audit "
				   "WHERE entity = 'case' AND entity_id = $1 "
				   "UNION ALL SELECT a.id, a.at, a.actor, 'case.import', NULL, "
				   "jsonb_build_object('file', a.after::jsonb->>'file', 'sha256', a.after::jsonb->>'sha256', "
				   "'version', 1)::text FROM guantong.audit a WHERE a.action = 'import' AND EXISTS "
				   "(SELECT 1 FROM jsonb_array_elements(a.after::jsonb->'created') r "
				   "WHERE $1::bigint BETWEEN (r->>0)::bigint AND (r->>1)::bigint) ORDER BY 1",
				   1, v, _("reading the history"));
	if (!res)
		return gt_pg_rc(st);
	int rc = GT_OK;
	for (int i = 0; i < PQntuples(res) && !rc; i++) {
		struct gt_audit_row a;
		a.id = gt_pg_int(res, i, 0);
		gt_copy(a.at, sizeof a.at, gt_pg_val(res, i, 1));
		gt_copy(a.actor, sizeof a.actor, gt_pg_val(res, i, 2));
		gt_copy(a.action, sizeof a.action, gt_pg_val(res, i, 3));
		a.before = PQgetisnull(res, i, 4) ? NULL : PQgetvalue(res, i, 4);
		a.after = PQgetisnull(res, i, 5) ? NULL : PQgetvalue(res, i, 5);
		rc = fn(&a, arg);
	}
	PQclear(res);
	return rc;
}

/* The stored answer's columns (evaluations e, decisions d of the case's
 * version), as gt_answer_in reads them: ANSWER_COLS of them. */
#define ANSWER_COLS_SQL "e.ruleset, e.outcome, e.target, e.route, e.basis, e.unmet, e.missing_evidence, " \
	"CASE WHEN e.theory_exempt THEN 'yes' ELSE 'no' END, NULL, NULL, d.ruleset, " \
	"s->>0, s->>1, s->>2, s->>3, s->>4, s->>5, s->>6, s->>7, s->>8 "
#define ANSWER_JOIN_SQL "LEFT JOIN LATERAL (SELECT d.summary::jsonb AS s) x ON true "

/* The answer for row from the columns at k of result row r. */
static void answer_of(PGresult *res, int r, int k, const struct gt_case_row *row, struct gt_answer *a)
{
	struct gt_answer_in in = { .c = &row->c, .ruleset = gt_pg_val(res, r, k) };
	for (int i = 0; i < GT_SUM_COUNT; i++) {
		in.stored[i] = PQgetisnull(res, r, k + 1 + i) ? NULL : PQgetvalue(res, r, k + 1 + i);
		in.decided[i] = PQgetisnull(res, r, k + 11 + i) ? NULL : PQgetvalue(res, r, k + 11 + i);
	}
	in.decided_ruleset = PQgetisnull(res, r, k + 10) ? NULL : PQgetvalue(res, r, k + 10);
	gt_answer_make(&in, a);
}

int gt_pg_answer(gt_store *st, const struct gt_case_row *row, struct gt_answer *a)
{
	char e[24], d[24], ver[24];
	snprintf(e, sizeof e, "%lld", (long long)row->eval_id);
	snprintf(d, sizeof d, "%lld", (long long)row->decision_id);
	snprintf(ver, sizeof ver, "%lld", (long long)row->version);
	const char *v[] = { e, d, ver };
	PGresult *res = gt_pg_exec(st,
		"SELECT " ANSWER_COLS_SQL
		"FROM guantong.evaluations e LEFT JOIN guantong.decisions d ON d.id = $2 AND d.case_version = $3 "
		"AND d.summary IS NOT NULL " ANSWER_JOIN_SQL "WHERE e.id = $1",
		3, v, _("reading the evaluation"));
	if (!res)
		return gt_pg_rc(st);
	int rc = GT_OK;
	if (PQntuples(res) == 1)
		answer_of(res, 0, 0, row, a);
	else
		rc = gt_fail(st, GT_ERR_NOT_FOUND, _("no evaluation %lld"), (long long)row->eval_id);
	PQclear(res);
	return rc;
}

int gt_pg_due_cases(gt_store *st, gt_date until,
		    int (*fn)(const struct gt_case_row *row, const struct gt_answer *ans, gt_date on, void *arg),
		    void *arg)
{
	/* gt_store_due_cases's selection (cases.due_on, the index cases_due) with
	 * each case and its answer, in one query. */
	static char sql[4096];
	if (!sql[0]) {
		struct gt_sb sb = gt_sb_make(sql, sizeof sql);
		gt_pg_select_fields(&sb);
		gt_sb_add(&sb, ROW_TAIL ", c.id, to_char(c.due_on, 'YYYY-MM-DD'), " ANSWER_COLS_SQL
			  "FROM guantong.cases c JOIN guantong.evaluations e ON e.id = c.eval_id "
			  "LEFT JOIN guantong.decisions d ON d.id = c.decision_id AND d.case_version = c.version "
			  "AND d.summary IS NOT NULL " ANSWER_JOIN_SQL
			  "WHERE c.due_on <= $1::date AND c.status <> 'approved' AND c.status <> 'void' "
			  "ORDER BY c.due_on, c.id");
	}
	char d[11];
	gt_date_format(until, d);
	const char *v[] = { d };
	struct gt_case_row *row = malloc(sizeof *row);
	struct gt_answer *a = malloc(sizeof *a);
	PGresult *res = row && a ? gt_pg_exec(st, sql, 1, v, _("reading the cases")) : NULL;
	int rc = !row || !a ? gt_fail(st, GT_ERR, "%s", strerror(ENOMEM)) : !res ? gt_pg_rc(st) : GT_OK;
	for (int r = 0; res && r < PQntuples(res) && rc == GT_OK; r++) {
		gt_date on;
		const char *t = gt_pg_val(res, r, ROW_COLS + 1);
		if (gt_date_parse(t, strlen(t), &on) != 0)
			continue;
		if ((rc = row_of(st, res, r, gt_pg_int(res, r, ROW_COLS), row)))
			break;
		answer_of(res, r, ROW_COLS + 2, row, a);
		rc = fn(row, a, on, arg);
	}
	if (res)
		PQclear(res);
	free(row);
	free(a);
	return rc;
}

int gt_pg_decision_text(gt_store *st, int64_t decision_id, char **explanation, char ruleset[GT_RULESET_MAX])
{
	*explanation = NULL;
	ruleset[0] = '\0';
	char idbuf[24];
	snprintf(idbuf, sizeof idbuf, "%lld", (long long)decision_id);
	const char *v[] = { idbuf };
	PGresult *res = gt_pg_exec(st, "SELECT explanation, ruleset FROM guantong.decisions WHERE id = $1", 1, v,
				   _("reading the decision"));
	if (!res)
		return gt_pg_rc(st);
	int rc = GT_OK;
	if (PQntuples(res) == 1) {
		if (!PQgetisnull(res, 0, 0) && !(*explanation = strdup(PQgetvalue(res, 0, 0))))
			rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
		gt_copy(ruleset, GT_RULESET_MAX, gt_pg_val(res, 0, 1));
	} else {
		rc = gt_fail(st, GT_ERR_NOT_FOUND, _("no decision %lld"), (long long)decision_id);
	}
	PQclear(res);
	return rc;
}

int gt_pg_eval_stale(gt_store *st, int64_t id, bool *stale)
{
	*stale = false;
	char idbuf[24];
	snprintf(idbuf, sizeof idbuf, "%lld", (long long)id);
	const char *v[] = { idbuf };
	PGresult *res = gt_pg_exec(st, "SELECT e.ruleset FROM guantong.cases c JOIN guantong.evaluations e "
				   "ON e.id = c.eval_id LEFT JOIN guantong.decisions d ON d.id = c.decision_id "
				   "AND d.case_version = c.version WHERE d.id IS NULL AND c.id = $1", 1, v,
				   _("reading the evaluation"));
	if (!res)
		return gt_pg_rc(st);
	char stored[GT_RULESET_MAX] = "";
	bool undecided = PQntuples(res) == 1;
	if (undecided)
		gt_copy(stored, sizeof stored, gt_pg_val(res, 0, 0));
	PQclear(res);
	if (!undecided)
		return GT_OK;
	struct gt_case_row *row = malloc(sizeof *row);
	struct gt_case_prepared *p = malloc(sizeof *p);
	int rc = row && p ? gt_pg_get(st, id, row) : gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
	if (!rc) {
		gt_store_evaluate(&row->c, &p->scratch, &p->ev);
		*stale = strcmp(stored, gt_store_eval_ruleset(&p->ev)) != 0;
	}
	free(row);
	free(p);
	return rc;
}

int gt_pg_is_empty(gt_store *st, bool *empty)
{
	PGresult *res = gt_pg_exec(st, "SELECT NOT EXISTS (SELECT 1 FROM guantong.cases)", 0, NULL,
				   _("reading the cases"));
	if (!res)
		return gt_pg_rc(st);
	*empty = strcmp(gt_pg_val(res, 0, 0), "t") == 0;
	PQclear(res);
	return GT_OK;
}

/* ---- writing */

/* The case's input columns as a JSON array of their canonical text. */
void gt_pg_fields_json(const struct gt_case *c, struct gt_sb *sb)
{
	char buf[1024];
	gt_sb_add(sb, "[");
	for (int i = 0; i < GT_COL_COUNT; i++) {
		gt_case_field(c, i, buf, sizeof buf);
		gt_sb_add(sb, i ? "," : "");
		gt_json_str(sb, buf);
	}
	gt_sb_add(sb, "]");
}

int gt_pg_pinyin(gt_store *st, const char *name, char *out, size_t size)
{
	struct gt_keys k;
	if (gt_keys_make(name, &k) != 0)
		return gt_fail(st, GT_ERR, _("cannot make the sort key of the name (ICU's zh collator or Han-Latin transform "
					     "is missing)"));
	struct gt_sb sb = gt_sb_make(out, size);
	for (int i = 0; i < k.nsyllables; i++) {
		int end = i + 1 < k.nsyllables ? k.syllable[i + 1] : (int)strlen(k.pinyin);
		gt_sb_addf(&sb, "%s%.*s", i ? " " : "", end - k.syllable[i], k.pinyin + k.syllable[i]);
	}
	return sb.truncated ? gt_fail(st, GT_ERR, "%s", strerror(ENOMEM)) : GT_OK;
}

/* The evaluation as functions.sql's eval_add reads it; with the name's
 * pinyin (gt_pg_pinyin) when it is not NULL. */
void gt_pg_eval_json(const struct gt_case_prepared *p, int direction, const char *pinyin, struct gt_sb *sb)
{
	static const char *const keys[GT_SUM_CITATION] = {
		"outcome", "target", "route", "basis", "unmet", "missing_evidence", "theory_exempt",
	};
	gt_sb_add(sb, "{\"ruleset\":");
	gt_json_str(sb, gt_store_eval_ruleset(&p->ev));
	gt_sb_add(sb, ",\"as_of\":");
	gt_json_str(sb, p->as_of);
	for (int i = 0; i < GT_SUM_CITATION; i++) {
		gt_sb_addf(sb, ",\"%s\":", keys[i]);
		if (i == GT_SUM_THEORY_EXEMPT)
			gt_sb_add(sb, p->ev.theory_exempt ? "true" : "false");
		else
			gt_json_str(sb, p->sum.col[i]);
	}
	/* The level judged for, as the queue shows it (also for a vetoed case). */
	gt_sb_add(sb, ",\"level\":");
	gt_json_str(sb, gt_level_code(direction, gt_eval_level(&p->ev)));
	gt_sb_add(sb, ",\"rule_id\":");
	gt_json_str(sb, p->ev.chosen >= 0 ? p->ev.paths[p->ev.chosen].rule->id : "");
	if (pinyin) {
		gt_sb_add(sb, ",\"pinyin\":");
		gt_json_str(sb, pinyin);
	}
	/* The call-back list's date, kept by the server with the evaluation
	 * (functions.sql's eval_due) as SQLite's case_due. */
	gt_date due = gt_due_of(&p->ev, p->sum.col[GT_SUM_OUTCOME], p->sum.col[GT_SUM_UNMET]);
	if (due != GT_DATE_NONE) {
		char d[11];
		gt_date_format(due, d);
		gt_sb_addf(sb, ",\"due\":\"%s\"", d);
	}
	gt_sb_add(sb, "}");
}

static int not_a_user(gt_store *st)
{
	return gt_fail(st, GT_ERR_DENIED,
		       _("%s is not a user of this database; an administrator can add you with "
			 "\"guantong user add %s --role clerk\""), st->actor, st->actor);
}

/* A conflict in words: who changed the case and when (read after the fact). */
static int conflict(gt_store *st, int64_t id, int64_t expect)
{
	char idbuf[24];
	snprintf(idbuf, sizeof idbuf, "%lld", (long long)id);
	const char *v[] = { idbuf };
	PGresult *res = gt_pg_exec(st, "SELECT version, updated_by, updated_at FROM guantong.cases WHERE id = $1", 1,
				   v, _("reading a case"));
	if (!res || PQntuples(res) != 1) {
		if (res)
			PQclear(res);
		return gt_fail(st, GT_ERR_CONFLICT, _("case %lld changed while it was being saved; nothing was saved"),
			       (long long)id);
	}
	char when[32];
	gt_time_show(gt_pg_val(res, 0, 2), when, sizeof when);
	long long now_v = gt_pg_int(res, 0, 0);
	int rc;
	if (expect > now_v)
		rc = gt_fail(st, GT_ERR_INVALID,
			     _("case %lld is at version %lld; there is no version %lld (give the version "
			       "you read, which \"guantong evaluate\" shows); nothing was saved"),
			     (long long)id, now_v, (long long)expect);
	else
		rc = gt_fail(st, GT_ERR_CONFLICT,
			     _("case %lld was changed by %s at %s after you opened it (it is now "
			       "version %lld, you had version %lld); nothing was saved"),
			     (long long)id, gt_pg_val(res, 0, 1), when, now_v, (long long)expect);
	PQclear(res);
	return rc;
}

/* Sends a case to case_write: row->id 0 inserts. evidence_json: NULL, or
 * the items that changed. On success row->id, version and eval_id are set. */
static int write_case(gt_store *st, struct gt_case_row *row, const char *evidence_json, const char *action)
{
	struct gt_case_prepared *p = malloc(sizeof *p);
	struct gt_sb f = gt_sb_heap(), e = gt_sb_heap();
	int rc = GT_OK;
	if (!p) {
		rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
		goto out;
	}
	gt_case_prepare(&row->c, -1, p);
	char pinyin[4 * GT_TEXT_MAX_BYTES];
	if ((rc = gt_pg_pinyin(st, row->c.name, pinyin, sizeof pinyin)))
		goto out;
	gt_pg_fields_json(&row->c, &f);
	gt_pg_eval_json(p, row->c.direction, pinyin, &e);
	if (f.truncated || e.truncated) {
		rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
		goto out;
	}
	char idbuf[24], ver[24];
	snprintf(idbuf, sizeof idbuf, "%lld", (long long)row->id);
	snprintf(ver, sizeof ver, "%lld", (long long)row->version);
	const char *v[] = { row->id ? idbuf : NULL, ver, gt_status_codes[row->status], f.p, e.p, evidence_json, action };
	PGresult *res = gt_pg_exec(st, "SELECT case_id, case_version, eval_id FROM guantong.case_write($1, $2, $3, "
				   "$4::jsonb, $5::jsonb, $6::jsonb, $7)", 7, v, _("saving the case"));
	if (!res) {
		rc = gt_pg_rc(st);
		if (rc == GT_ERR_CONFLICT)
			rc = conflict(st, row->id, row->version);
		else if (rc == GT_ERR_INVALID && strstr(st->err, "exists:"))
			rc = gt_fail(st, GT_ERR_INVALID, _("%s already has case %lld in %s, %s; open that case instead"),
				     row->c.id_number, strtoll(strstr(st->err, "exists:") + 7, NULL, 10),
				     gt_name_of(&gt_regions, row->c.region), gt_name_of(&gt_directions, row->c.direction));
		else if (rc == GT_ERR_TRANSITION)
			rc = gt_fail(st, GT_ERR_TRANSITION,
				     _("case %lld is %s; an administrator must reopen it before it can be changed"),
				     (long long)row->id, gt_status_name(row->status));
		goto out;
	}
	row->id = gt_pg_int(res, 0, 0);
	row->version = gt_pg_int(res, 0, 1);
	row->eval_id = gt_pg_int(res, 0, 2);
	PQclear(res);
out:
	free(p);
	gt_sb_free(&f);
	gt_sb_free(&e);
	return rc;
}

int gt_pg_save(gt_store *st, struct gt_case_row *row)
{
	if (st->role < GT_USER_CLERK)
		return not_a_user(st);
	struct gt_row_error e;
	if (gt_case_validate(&row->c, &e) < 0) {
		char msg[512];
		gt_row_error_format(&e, 0, msg, sizeof msg);
		return gt_fail(st, GT_ERR_INVALID, "%s", msg);
	}
	if (!row->id && row->status != GT_ST_DRAFT)
		row->status = GT_ST_SUBMITTED;
	if (row->id) {
		struct gt_case_row *old = malloc(sizeof *old);
		int rc = old ? gt_pg_get(st, row->id, old) : gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
		if (!rc)
			row->status = old->status;
		free(old);
		if (rc)
			return rc;
	}
	return write_case(st, row, NULL, row->id ? "case.update" : "case.create");
}

/* The case (malloc'd in *row, the caller frees it), if it is still at the
 * version the caller read (expect; 0: whatever it is now). */
static int load_at(gt_store *st, int64_t id, int64_t expect, struct gt_case_row **row)
{
	*row = malloc(sizeof **row);
	int rc = *row ? gt_pg_get(st, id, *row) : gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
	if (!rc && expect && expect != (*row)->version)
		rc = conflict(st, id, expect);
	return rc;
}

int gt_pg_set_evidence(gt_store *st, int64_t id, int64_t expect_version, int code, bool received, bool verified,
		       const char *note)
{
	if (st->role < GT_USER_CLERK)
		return not_a_user(st);
	if (code < 0 || code >= GT_EV_COUNT)
		return gt_fail(st, GT_ERR_INVALID, _("unknown evidence code"));
	if (verified)
		received = true;
	if (!note)
		note = "";
	if (strlen(note) > 256 || gt_utf8_check(note, strlen(note)) != 0)
		return gt_fail(st, GT_ERR_INVALID, _("the note must be UTF-8 text of at most 256 bytes"));
	struct gt_case_row *row = NULL;
	int rc = load_at(st, id, expect_version, &row);
	if (rc)
		goto out;
	if (verified)
		row->c.evidence |= (uint16_t)(1u << code);
	else
		row->c.evidence &= (uint16_t)~(1u << code);
	char ev[600];
	struct gt_sb sb = gt_sb_make(ev, sizeof ev);
	gt_sb_add(&sb, "{");
	gt_json_str(&sb, gt_code_of(&gt_evidence_codes, code));
	gt_sb_addf(&sb, ":{\"received\":%s,\"verified\":%s,\"note\":", received ? "true" : "false",
		   verified ? "true" : "false");
	gt_json_str(&sb, note);
	gt_sb_add(&sb, "}}");
	rc = write_case(st, row, ev, "evidence.set");
out:
	free(row);
	return rc;
}

int gt_pg_mark_evidence(gt_store *st, int64_t id, int64_t expect_version, uint16_t received, uint16_t verified,
			bool *changed)
{
	*changed = false;
	if (st->role < GT_USER_CLERK)
		return not_a_user(st);
	received |= verified;
	struct gt_case_row *row = NULL;
	struct gt_sb ev = gt_sb_heap();
	int rc = load_at(st, id, expect_version, &row);
	if (rc)
		goto out;
	/* The documents whose marks change, each with its note as it is: one
	 * case_write, one version, one audit row (as evidence_write on SQLite). */
	gt_sb_add(&ev, "{");
	bool any = false;
	for (int e = 0; e < GT_EV_COUNT; e++) {
		bool r = received & (1u << e), v = verified & (1u << e);
		if (r == row->evidence[e].received && v == row->evidence[e].verified)
			continue;
		gt_sb_add(&ev, any ? "," : "");
		gt_json_str(&ev, gt_code_of(&gt_evidence_codes, e));
		gt_sb_addf(&ev, ":{\"received\":%s,\"verified\":%s,\"note\":", r ? "true" : "false", v ? "true" : "false");
		gt_json_str(&ev, row->evidence[e].note);
		gt_sb_add(&ev, "}");
		if (v)
			row->c.evidence |= (uint16_t)(1u << e);
		else
			row->c.evidence &= (uint16_t)~(1u << e);
		any = true;
	}
	gt_sb_add(&ev, "}");
	if (ev.truncated)
		rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
	else if (any && !(rc = write_case(st, row, ev.p, "evidence.set")))
		*changed = true;
out:
	free(row);
	gt_sb_free(&ev);
	return rc;
}

int gt_pg_act(gt_store *st, int64_t id, int64_t expect_version, int action, const char *note)
{
	if (st->role == GT_USER_NONE)
		return not_a_user(st);
	/* The server checks again; this says it in the user's words first. */
	if (!gt_role_allows(st->role, action)) {
		int min = GT_USER_CLERK;
		gt_transition(0, action, &min);
		return gt_fail(st, GT_ERR_DENIED, _("only a %s may %s a case; you (%s) are a %s"), _(gt_role_codes[min]),
			       gt_action_name(action), st->actor, _(gt_role_codes[st->role]));
	}
	if (!note)
		note = "";
	if ((action == GT_ACT_REJECT || action == GT_ACT_RETURN || action == GT_ACT_REOPEN || action == GT_ACT_VOID) &&
	    !*note)
		return gt_fail(st, GT_ERR_INVALID, _("a note is required to %s a case: say why"), gt_action_name(action));
	if (strlen(note) > GT_NOTE_MAX || gt_utf8_check(note, strlen(note)) != 0)
		return gt_fail(st, GT_ERR_INVALID, _("the note must be UTF-8 text of at most %d bytes"), GT_NOTE_MAX);
	bool decision = action == GT_ACT_APPROVE || action == GT_ACT_REJECT || action == GT_ACT_RETURN;
	struct gt_case_row *row = malloc(sizeof *row);
	struct gt_answer *ans = malloc(sizeof *ans);
	struct gt_sb snap = gt_sb_heap(), summary = gt_sb_heap();
	char *explanation = NULL;
	size_t explanation_len = 0;
	int rc = row && ans ? gt_pg_get(st, id, row) : gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
	if (rc)
		goto out;
	if (expect_version > row->version) {
		rc = conflict(st, id, expect_version);
		goto out;
	}
	/* What the reviewer sees, kept with the decision (as in SQLite). The
	 * server checks the role, the transition and the version itself. */
	if (decision) {
		gt_case_csv_row(&row->c, &snap);
		if ((rc = gt_pg_answer(st, row, ans)))
			goto out;
		gt_sb_add(&summary, "[");
		for (int i = 0; i < GT_SUM_COUNT; i++) {
			gt_sb_add(&summary, i ? "," : "");
			gt_json_str(&summary, ans->col[i]);
		}
		gt_sb_add(&summary, "]");
		FILE *m = open_memstream(&explanation, &explanation_len);
		if (!m || (gt_explain(&ans->ev, m), fclose(m) != 0) || summary.truncated || snap.truncated) {
			rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
			goto out;
		}
	}
	char idbuf[24], ver[24];
	snprintf(idbuf, sizeof idbuf, "%lld", (long long)id);
	snprintf(ver, sizeof ver, "%lld", (long long)(expect_version ? expect_version : row->version));
	const char *v[] = { idbuf, ver, gt_action_codes[action], note, decision ? snap.p : NULL,
			    decision ? ans->ruleset : NULL, decision ? summary.p : NULL, decision ? explanation : NULL };
	PGresult *res = gt_pg_exec(st, "SELECT guantong.case_act($1, $2, $3, $4, $5, $6, $7, $8)", 8, v,
				   _("saving the decision"));
	if (!res) {
		rc = gt_pg_rc(st);
		if (rc == GT_ERR_CONFLICT)
			rc = conflict(st, id, expect_version ? expect_version : row->version);
		else if (rc == GT_ERR_TRANSITION)
			rc = gt_fail(st, GT_ERR_TRANSITION, _("case %lld is %s; it cannot be given \"%s\""), (long long)id,
				     gt_status_name(row->status), gt_action_name(action));
		goto out;
	}
	PQclear(res);
out:
	free(row);
	free(ans);
	free(explanation);
	gt_sb_free(&snap);
	gt_sb_free(&summary);
	return rc;
}

/* ---- drafts */

int gt_pg_draft_save(gt_store *st, int64_t *id, const char *name, int64_t case_id, int64_t base_version,
		     const char *base_fields, const char *fields)
{
	char i[24], c[24], b[24];
	snprintf(i, sizeof i, "%lld", (long long)*id);
	snprintf(c, sizeof c, "%lld", (long long)case_id);
	snprintf(b, sizeof b, "%lld", (long long)base_version);
	const char *v[] = { i, name ? name : "", c, b, base_fields ? base_fields : "", fields };
	PGresult *res = gt_pg_exec(st, "SELECT guantong.draft_save($1, $2, $3, $4, $5, $6)", 6, v,
				   _("saving the draft"));
	if (!res)
		return gt_pg_rc(st);
	*id = gt_pg_int(res, 0, 0);
	PQclear(res);
	return GT_OK;
}

static void pg_draft_of_row(PGresult *res, int row, struct gt_draft *d)
{
	d->id = gt_pg_int(res, row, 0);
	gt_copy(d->name, sizeof d->name, gt_pg_val(res, row, 1));
	d->case_id = gt_pg_int(res, row, 2);
	d->base_version = gt_pg_int(res, row, 3);
	gt_copy(d->updated_at, sizeof d->updated_at, gt_pg_val(res, row, 4));
}

int gt_pg_draft_list(gt_store *st, int64_t case_id, struct gt_draft **list, int *n)
{
	*list = NULL;
	*n = 0;
	char c[24];
	snprintf(c, sizeof c, "%lld", (long long)case_id);
	const char *v[] = { c };
	PGresult *res = gt_pg_exec(st, "SELECT * FROM guantong.draft_list($1)", 1, v, _("reading the drafts"));
	if (!res)
		return gt_pg_rc(st);
	int rows = PQntuples(res), rc = GT_OK;
	if (rows > 0 && !(*list = calloc((size_t)rows, sizeof **list))) {
		rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
	} else {
		for (int r = 0; r < rows; r++)
			pg_draft_of_row(res, r, &(*list)[r]);
		*n = rows;
	}
	PQclear(res);
	return rc;
}

int gt_pg_draft_load(gt_store *st, int64_t id, struct gt_draft *d, char **fields, char **base_fields)
{
	*fields = NULL;
	*base_fields = NULL;
	char i[24];
	snprintf(i, sizeof i, "%lld", (long long)id);
	const char *v[] = { i };
	PGresult *res = gt_pg_exec(st, "SELECT * FROM guantong.draft_load($1)", 1, v, _("reading the draft"));
	if (!res)
		return gt_pg_rc(st);
	int rc = GT_OK;
	if (PQntuples(res) == 1) {
		pg_draft_of_row(res, 0, d);
		*fields = strdup(gt_pg_val(res, 0, 5));
		*base_fields = strdup(gt_pg_val(res, 0, 6));
		if (!*fields || !*base_fields) {
			free(*fields);
			free(*base_fields);
			*fields = *base_fields = NULL;
			rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
		}
	}
	PQclear(res);
	return rc;
}

int gt_pg_draft_delete(gt_store *st, int64_t id)
{
	char i[24];
	snprintf(i, sizeof i, "%lld", (long long)id);
	const char *v[] = { i };
	return gt_pg_run(st, "SELECT guantong.draft_delete($1)", 1, v, _("deleting the draft"));
}
