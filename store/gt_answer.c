/* An evaluation as the store answers it: the one place that turns a stored
 * evaluation (its answer, schema version 5) back into the screening columns,
 * deriving the message and the citation with the same rule set, or gives a
 * decided case's columns as the reviewer saw them. evaluate, export, the case
 * view and reevaluate read evaluations through here. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gt_i18n.h"
#include "gt_rules.h"
#include "gt_pg.h"
#include "gt_store_int.h"

/* ---- the rule set, and the test build's simulated change of it
 *
 * Built with GT_TEST_HOOKS (only when the test suite is built: GT_TESTS),
 * GUANTONG_TEST_RULESET="VERSION[:DAYS]" makes this program's rule set
 * VERSION, and with DAYS its evaluator reads every case as if it had been
 * made DAYS days later (so that year conditions are met, or not, otherwise):
 * a rule-set change whose answers differ, without a second rule table. */
static char hook_version[32];
static int hook_days;
static pthread_once_t hook_once = PTHREAD_ONCE_INIT;

static void hook_read(void)
{
#ifdef GT_TEST_HOOKS
	const char *v = getenv("GUANTONG_TEST_RULESET");
	if (!v || !*v)
		return;
	const char *colon = strchr(v, ':');
	size_t n = colon ? (size_t)(colon - v) : strlen(v);
	if (n >= sizeof hook_version)
		n = sizeof hook_version - 1;
	memcpy(hook_version, v, n);
	hook_version[n] = '\0';
	hook_days = colon ? atoi(colon + 1) : 0;
#endif
}

static char program_ruleset[40];
static pthread_once_t program_once = PTHREAD_ONCE_INIT;

/* FNV-1a 64 over the loaded versions' ids, in the loader's order (region,
 * then in-force date): changes whenever a pack is added, replaced or edited. */
static void program_read(void)
{
	/* Not FNV-1a's own offset basis (a digit short of 14695981039346656037):
	 * kept, since the versions stored in existing databases are made of it. */
	uint64_t h = 1469598103934665603ull;
	const struct gt_ruleset *rs = gt_rules_active();
	for (int i = 0; rs && i < rs->n; i++)
		h = gt_fnv1a(h, rs->v[i]->id, strlen(rs->v[i]->id) + 1); /* with its NUL */
	snprintf(program_ruleset, sizeof program_ruleset, "packs %016llx", (unsigned long long)h);
}

const char *gt_store_ruleset(void)
{
	pthread_once(&hook_once, hook_read);
	if (hook_version[0])
		return hook_version;
	pthread_once(&program_once, program_read);
	return program_ruleset;
}

const char *gt_store_eval_ruleset(const struct gt_eval *ev)
{
	pthread_once(&hook_once, hook_read);
	return hook_version[0] ? hook_version : gt_eval_ruleset(ev);
}

void gt_store_evaluate(const struct gt_case *c, struct gt_case *scratch, struct gt_eval *ev)
{
	pthread_once(&hook_once, hook_read);
	if (!hook_days) {
		gt_evaluate(c, ev);
		return;
	}
	*scratch = *c;
	scratch->application_date += hook_days;
	gt_evaluate(scratch, ev);
}

/* ---- the answer */

static const char *keep(struct gt_answer *a, size_t *used, const char *s)
{
	size_t n = strlen(s), left = sizeof a->buf - *used;
	if (n >= left)
		n = left ? left - 1 : 0;
	char *p = a->buf + *used;
	if (left) {
		memcpy(p, s, n);
		p[n] = '\0';
		*used += n + 1;
	}
	return left ? p : "";
}

void gt_answer_make(const struct gt_answer_in *in, struct gt_answer *a)
{
	gt_store_evaluate(in->c, &a->c, &a->ev);
	gt_summary_make(&a->ev, &a->today);
	size_t used = 0;
	a->differs = false;
	if (in->decided[0]) {
		a->source = GT_ANS_DECISION;
		gt_copy(a->ruleset, sizeof a->ruleset, in->decided_ruleset ? in->decided_ruleset : "");
		for (int i = 0; i < GT_SUM_COUNT; i++)
			a->col[i] = keep(a, &used, in->decided[i] ? in->decided[i] : "");
	} else if (in->stored[GT_SUM_MESSAGE]) {
		a->source = GT_ANS_STORED;
		gt_copy(a->ruleset, sizeof a->ruleset, in->ruleset);
		for (int i = 0; i < GT_SUM_COUNT; i++)
			a->col[i] = keep(a, &used, in->stored[i] ? in->stored[i] : "");
	} else if (strcmp(in->ruleset, gt_store_eval_ruleset(&a->ev)) == 0) {
		/* The stored answer; its words by the same rules. */
		a->source = GT_ANS_DERIVED;
		gt_copy(a->ruleset, sizeof a->ruleset, in->ruleset);
		for (int i = 0; i < GT_SUM_COUNT; i++)
			a->col[i] = i == GT_SUM_CITATION || i == GT_SUM_MESSAGE || !in->stored[i]
					    ? a->today.col[i]
					    : keep(a, &used, in->stored[i]);
	} else {
		/* Made by other rules, whose words this program cannot give:
		 * today's reading until the case is re-evaluated. */
		a->source = GT_ANS_TODAY;
		gt_copy(a->ruleset, sizeof a->ruleset, gt_store_eval_ruleset(&a->ev));
		for (int i = 0; i < GT_SUM_COUNT; i++)
			a->col[i] = a->today.col[i];
		for (int i = 0; i < GT_SUM_CITATION; i++)
			if (in->stored[i] && strcmp(in->stored[i], a->today.col[i]) != 0)
				a->differs = true;
		return;
	}
	/* The message is the columns in words, in the language of whoever made
	 * it: a decision taken under another locale does not differ by that. */
	for (int i = 0; i < GT_SUM_MESSAGE; i++)
		if (strcmp(a->col[i], a->today.col[i]) != 0)
			a->differs = true;
}

int gt_store_answer(gt_store *st, const struct gt_case_row *row, struct gt_answer *a)
{
	if (st->pg)
		return gt_pg_answer(st, row, a);
	static const char sql[] =
		"SELECT (SELECT name FROM rulesets WHERE id = e.ruleset), e.outcome, e.target, e.route, e.basis, e.unmet, e.missing_evidence, "
		"iif(e.theory_exempt, 'yes', 'no'), e.citation, e.message, d.ruleset, "
		"json_extract(d.summary, '$[0]'), json_extract(d.summary, '$[1]'), json_extract(d.summary, '$[2]'), "
		"json_extract(d.summary, '$[3]'), json_extract(d.summary, '$[4]'), json_extract(d.summary, '$[5]'), "
		"json_extract(d.summary, '$[6]'), json_extract(d.summary, '$[7]'), json_extract(d.summary, '$[8]') "
		"FROM evaluations e LEFT JOIN decisions d ON d.id = ?2 AND d.case_version = ?3 "
		"AND d.summary IS NOT NULL WHERE e.id = ?1";
	sqlite3_stmt *s = gt_prepare(st, sql);
	if (!s)
		return GT_ERR;
	sqlite3_bind_int64(s, 1, row->eval_id);
	sqlite3_bind_int64(s, 2, row->decision_id);
	sqlite3_bind_int64(s, 3, row->version);
	int step = sqlite3_step(s), rc = GT_OK;
	if (step == SQLITE_ROW) {
		struct gt_answer_in in = { .c = &row->c, .ruleset = gt_col_text(s, 0) };
		for (int i = 0; i < GT_SUM_COUNT; i++) {
			in.stored[i] = (const char *)sqlite3_column_text(s, 1 + i);
			in.decided[i] = (const char *)sqlite3_column_text(s, 11 + i);
		}
		in.decided_ruleset = (const char *)sqlite3_column_text(s, 10);
		gt_answer_make(&in, a);
	} else {
		rc = step == SQLITE_DONE ? gt_fail(st, GT_ERR_NOT_FOUND, _("no evaluation %lld"), (long long)row->eval_id)
					 : gt_fail_sql(st, _("reading the evaluation"));
	}
	sqlite3_finalize(s);
	return rc;
}

int gt_store_decision_text(gt_store *st, int64_t decision_id, char **explanation, char ruleset[GT_RULESET_MAX])
{
	if (st->pg)
		return gt_pg_decision_text(st, decision_id, explanation, ruleset);
	*explanation = NULL;
	ruleset[0] = '\0';
	sqlite3_stmt *s = gt_prepare(st, "SELECT explanation, ruleset FROM decisions WHERE id = ?");
	if (!s)
		return GT_ERR;
	sqlite3_bind_int64(s, 1, decision_id);
	int rc = GT_OK;
	if (sqlite3_step(s) == SQLITE_ROW) {
		if (sqlite3_column_type(s, 0) != SQLITE_NULL && !(*explanation = strdup(gt_col_text(s, 0))))
			rc = gt_fail(st, GT_ERR, "out of memory");
		gt_copy(ruleset, GT_RULESET_MAX, gt_col_text(s, 1));
	} else {
		rc = gt_fail(st, GT_ERR_NOT_FOUND, _("no decision %lld"), (long long)decision_id);
	}
	sqlite3_finalize(s);
	return rc;
}
