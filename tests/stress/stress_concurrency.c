/* Concurrency stress (issue 5): several processes, each a different user,
 * work on one database file at once: intake of new cases, evidence toggles,
 * edits and workflow actions on a shared pool of cases, so that their writes
 * overlap. Every write carries the version its process read; a write that
 * lost the race must be refused with GT_ERR_CONFLICT and change nothing.
 *
 * Each process logs every operation and its result to its own file; the
 * parent then checks the file against the logs:
 *   - every successful write is there: its audit row (case, action, actor,
 *     the new version), its decision row for approve/reject/return, its
 *     evaluation for saves and evidence;
 *   - no lost update: each case's version is 1 + its successful writes, and
 *     its audit rows carry the versions 1..version, each exactly once;
 *   - the audit log has exactly one row per successful change (by case and
 *     action) and nothing else;
 *   - every refusal is a genuine conflict (the message names the version the
 *     writer had, and another user's write made the next version), or a
 *     refusal the program asked for on purpose (a clerk approving: DENIED; an
 *     action the case's status does not allow: TRANSITION);
 *   - no GT_ERR_BUSY (the busy timeout must cover the waits);
 *   - PRAGMA integrity_check is ok and PRAGMA foreign_key_check is empty.
 *
 * Before that, the same processes open a new file at once, --first-opens
 * times: every open must succeed (no GT_ERR_BUSY) and each file must have
 * exactly one creator, its admin. And a file caught between its creation and
 * its switch to WAL, with another process's write in progress, must open
 * after a wait, not fail with GT_ERR_BUSY.
 *
 * Usage: stress_concurrency [--procs N] [--ops N] [--pool N] [--first-opens N] [--seed S] [--dir DIR] [--keep]
 * (defaults: the sizes, 4 processes x 1,000 operations, a pool of 20
 * cases; 20 first opens). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "gt_case.h"
#include "stress_common.h"

/* The version an audit row leaves a case at (a creation does not say: 1). */
#define AUDIT_VERSION(a) "coalesce(json_extract(" a "after, '$.version'), iif(" a "action = 'case.create', 1, NULL))"

enum op_kind { OP_INTAKE, OP_EDIT, OP_EVIDENCE, OP_ACT, OP_KINDS };
static const char *const op_names[OP_KINDS] = { "intake", "edit", "evidence", "act" };

/* What the process expected of an operation. */
enum want { WANT_OK, WANT_DENIED, WANT_TRANSITION };
static const char *const want_names[] = { "ok", "denied", "transition" };

#define MAX_PROCS 16
#define MAX_POOL 256

struct config {
	int procs, ops, pool, first_opens;
	uint64_t seed;
	const char *dir;
	bool keep;
};

static char dir[4096], db[4200];
static int64_t pool_ids[MAX_POOL];
static int pool_n;

/* The users: process p is user_name(p), with role_of(p). */
static int role_of(int p)
{
	static const int roles[4] = { GT_USER_CLERK, GT_USER_REVIEWER, GT_USER_ADMIN, GT_USER_REVIEWER };
	return roles[p % 4];
}

static void user_name(int p, char out[65])
{
	snprintf(out, 65, "u%d-%s", p, gt_role_codes[role_of(p)]);
}

/* ---- the workers */

struct worker {
	int p;
	gt_store *st;
	FILE *log;
	uint64_t rnd;
	long intakes;
};

/* One log line: seq kind case expect want action rc new_version message. */
static void log_op(struct worker *w, int seq, int kind, int64_t id, int64_t expect, int want, int action,
		   int rc, int64_t newv, const char *msg)
{
	char clean[1100];
	size_t k = 0;
	for (const char *p = msg ? msg : ""; *p && k < sizeof clean - 1; p++)
		clean[k++] = (*p == '\t' || *p == '\n' || *p == '\r') ? ' ' : *p;
	clean[k] = '\0';
	fprintf(w->log, "%d\t%s\t%lld\t%lld\t%s\t%s\t%d\t%lld\t%s\n", seq, op_names[kind], (long long)id,
		(long long)expect, want_names[want], action >= 0 ? gt_action_codes[action] : "-", rc,
		(long long)newv, clean);
}

static const char *const notes[] = {
	"材料齐全，同意", "缺少工作年限证明，请补充", "复核：证书编号与系统不符", "重新审查", "ok",
};

/* The actions the worker's role may take from a status. */
static int allowed_actions(int role, int status, int *out)
{
	int n = 0;
	for (int a = 0; a < GT_ACT_COUNT; a++)
		if (gt_role_allows(role, a) && gt_transition(status, a, NULL) >= 0)
			out[n++] = a;
	return n;
}

static int do_intake(struct worker *w, int seq)
{
	struct gt_case_row *row = calloc(1, sizeof *row);
	if (!row)
		return -1;
	long k = 100000L * (w->p + 1) + w->intakes++;
	char ref[64];
	snprintf(ref, sizeof ref, "N%d-%d", w->p, seq);
	if (stress_make_case(k, ref, &row->c) != 0) {
		free(row);
		return -1;
	}
	row->id = 0;
	row->status = stress_rand_below(&w->rnd, 2) ? GT_ST_SUBMITTED : GT_ST_DRAFT;
	int rc = gt_store_save(w->st, row);
	log_op(w, seq, OP_INTAKE, rc ? 0 : row->id, 0, WANT_OK, -1, rc, rc ? 0 : row->version,
	       rc ? gt_store_errmsg(w->st) : "");
	free(row);
	return 0;
}

static int do_one(struct worker *w, int seq)
{
	int role = role_of(w->p);
	if (stress_rand_below(&w->rnd, 100) < 8)
		return do_intake(w, seq);
	struct gt_case_row *row = malloc(sizeof *row);
	if (!row)
		return -1;
	int64_t id = 0;
	int kind = -1, action = -1, want = WANT_OK;
	unsigned r = stress_rand_below(&w->rnd, 100);
	for (int attempt = 0; attempt < 6 && kind < 0; attempt++) {
		id = pool_ids[stress_rand_below(&w->rnd, (unsigned)pool_n)];
		int rc = gt_store_get(w->st, id, row);
		if (rc) {
			log_op(w, seq, OP_ACT, id, 0, WANT_OK, -1, rc, 0, gt_store_errmsg(w->st));
			free(row);
			return 0; /* logged as a failed read: the parent reports it */
		}
		bool open = row->status != GT_ST_APPROVED && row->status != GT_ST_REJECTED && row->status != GT_ST_VOID;
		int acts[GT_ACT_COUNT];
		int nacts = allowed_actions(role, row->status, acts);
		if (r < 3 && role == GT_USER_CLERK) {
			/* On purpose: a clerk may not approve. */
			kind = OP_ACT, action = GT_ACT_APPROVE, want = WANT_DENIED;
		} else if (r < 6) {
			/* On purpose: an action the role may take, but not from here. */
			int bad[GT_ACT_COUNT], nbad = 0;
			for (int a = 0; a < GT_ACT_COUNT; a++)
				if (gt_role_allows(role, a) && gt_transition(row->status, a, NULL) < 0)
					bad[nbad++] = a;
			if (nbad)
				kind = OP_ACT, action = bad[stress_rand_below(&w->rnd, (unsigned)nbad)],
				want = WANT_TRANSITION;
		} else if (open && r < 30) {
			kind = OP_EVIDENCE;
		} else if (open && r < 40) {
			kind = OP_EDIT;
		} else if (nacts) {
			kind = OP_ACT, action = acts[stress_rand_below(&w->rnd, (unsigned)nacts)];
		} else if (open) {
			kind = OP_EVIDENCE;
		}
	}
	if (kind < 0) {
		free(row);
		return do_intake(w, seq); /* nothing this user can do on the cases it looked at */
	}
	/* A moment "at the screen" between reading and writing. */
	stress_sleep_us((long)stress_rand_below(&w->rnd, 2000));
	int64_t expect = row->version;
	int rc;
	int64_t newv = 0;
	if (kind == OP_ACT) {
		const char *note = notes[stress_rand_below(&w->rnd, sizeof notes / sizeof notes[0])];
		rc = gt_store_act(w->st, id, expect, action, note);
		newv = rc ? 0 : expect + 1;
	} else if (kind == OP_EVIDENCE) {
		int code = (int)stress_rand_below(&w->rnd, GT_EV_COUNT);
		bool verified = !row->evidence[code].verified;
		bool received = verified || stress_rand_below(&w->rnd, 2);
		rc = gt_store_set_evidence(w->st, id, expect, code, received, verified,
					   stress_rand_below(&w->rnd, 3) ? "" : "原件已核");
		newv = rc ? 0 : expect + 1;
	} else {
		snprintf(row->c.case_ref, sizeof row->c.case_ref, "P%d-%d", w->p, seq);
		rc = gt_store_save(w->st, row);
		newv = rc ? 0 : row->version;
	}
	log_op(w, seq, kind, id, expect, want, action, rc, newv, rc ? gt_store_errmsg(w->st) : "");
	free(row);
	return 0;
}

static int worker_main(int p, const struct config *cf, int start_fd)
{
	struct worker w = { .p = p, .rnd = cf->seed * 1000003u + (uint64_t)p * 7919u + 1 };
	char path[4300], user[65], err[1024];
	snprintf(path, sizeof path, "%s/proc-%d.log", dir, p);
	w.log = fopen(path, "w");
	if (!w.log) {
		fprintf(stderr, "worker %d: %s: %s\n", p, path, strerror(errno));
		return 1;
	}
	user_name(p, user);
	if (gt_store_open_as(&w.st, db, 0, user, err, sizeof err) != GT_OK) {
		fprintf(stderr, "worker %d: %s\n", p, err);
		fclose(w.log);
		return 1;
	}
	/* Wait until every worker is ready, then go together. */
	char c;
	while (read(start_fd, &c, 1) < 0 && errno == EINTR)
		;
	close(start_fd);
	int status = 0;
	for (int seq = 0; seq < cf->ops; seq++)
		if (do_one(&w, seq) != 0) {
			fprintf(stderr, "worker %d: out of memory or bad generated case\n", p);
			status = 1;
			break;
		}
	gt_store_close(w.st);
	if (fclose(w.log) != 0)
		status = 1;
	return status;
}

/* ---- the checks */

struct rec {
	int proc, seq, kind, want, action, rc;
	int64_t id, expect, newv;
	char msg[1100];
};

struct tally {
	long ops, ok, conflicts, denied, transitions, busy, other, bad, reads_failed;
	long by_kind_ok[OP_KINDS], by_act_ok[GT_ACT_COUNT];
	long conflicts_checked;
};

static int fail_count;

#define FAIL(...) do { fail_count++; if (fail_count <= 30) { fprintf(stderr, "FAIL: " __VA_ARGS__); fputc('\n', stderr); } } while (0)

static int parse_line(char *line, int proc, struct rec *r)
{
	char *f[9];
	int n = 0;
	char *p = line;
	size_t len = strlen(p);
	if (len && p[len - 1] == '\n')
		p[--len] = '\0';
	for (; n < 9; n++) {
		f[n] = p;
		char *tab = n < 8 ? strchr(p, '\t') : NULL;
		if (n < 8 && !tab)
			return -1;
		if (tab) {
			*tab = '\0';
			p = tab + 1;
		}
	}
	memset(r, 0, sizeof *r);
	r->proc = proc;
	r->seq = atoi(f[0]);
	r->kind = -1;
	for (int k = 0; k < OP_KINDS; k++)
		if (strcmp(f[1], op_names[k]) == 0)
			r->kind = k;
	r->id = strtoll(f[2], NULL, 10);
	r->expect = strtoll(f[3], NULL, 10);
	r->want = -1;
	for (int k = 0; k < 3; k++)
		if (strcmp(f[4], want_names[k]) == 0)
			r->want = k;
	r->action = -1;
	for (int a = 0; a < GT_ACT_COUNT; a++)
		if (strcmp(f[5], gt_action_codes[a]) == 0)
			r->action = a;
	r->rc = atoi(f[6]);
	r->newv = strtoll(f[7], NULL, 10);
	snprintf(r->msg, sizeof r->msg, "%s", f[8]);
	return r->kind < 0 || r->want < 0 ? -1 : 0;
}

static const char *audit_action_of(const struct rec *r, char buf[32])
{
	switch (r->kind) {
	case OP_INTAKE: return "case.create";
	case OP_EDIT: return "case.update";
	case OP_EVIDENCE: return "evidence.set";
	default: snprintf(buf, 32, "case.%s", gt_action_codes[r->action]); return buf;
	}
}

/* Per-case expectations, by case id (ids are small: dense array). */
struct case_expect {
	bool known;
	long writes;            /* successful writes including the create */
	long by_action[16];     /* audit action index, see action_index() */
	long evals;             /* create + edits + evidence */
	long decisions;
};

static const char *const audit_actions[] = {
	"case.create", "case.update", "evidence.set", "case.submit", "case.take", "case.approve",
	"case.reject", "case.return", "case.reopen", "case.void",
};
#define N_AUDIT_ACTIONS (int)(sizeof audit_actions / sizeof audit_actions[0])

static int action_index(const char *a)
{
	for (int i = 0; i < N_AUDIT_ACTIONS; i++)
		if (strcmp(a, audit_actions[i]) == 0)
			return i;
	return -1;
}

static int check(const struct config *cf, struct rec *recs, long nrecs, long audit_before, struct tally *t)
{
	char err[1024];
	gt_store *st;
	if (gt_store_open_as(&st, db, 0, "admin0", err, sizeof err) != GT_OK) {
		FAIL("reopening %s: %s", db, err);
		return -1;
	}
	sqlite3 *sq = gt_store_db(st);
	int64_t max_id = stress_query_int(st, "SELECT max(id) FROM cases", 0);
	struct case_expect *ce = calloc((size_t)max_id + 1, sizeof *ce);
	if (!ce) {
		gt_store_close(st);
		return -1;
	}
	for (int i = 0; i < cf->pool; i++) {
		ce[pool_ids[i]].known = true;
		ce[pool_ids[i]].writes = 1;
		ce[pool_ids[i]].evals = 1;
		ce[pool_ids[i]].by_action[0] = 1;
	}

	sqlite3_stmt *find_audit = NULL, *find_decision = NULL, *find_other = NULL;
	sqlite3_prepare_v2(sq, "SELECT count(*) FROM audit WHERE entity = 'case' AND entity_id = ?1 "
			   "AND action = ?2 AND actor = ?3 AND " AUDIT_VERSION("") " = ?4",
			   -1, &find_audit, NULL);
	sqlite3_prepare_v2(sq, "SELECT count(*) FROM decisions d WHERE case_id = ?1 AND case_version = ?2 "
			   "AND action = ?3 AND decided_by = ?4 AND EXISTS (SELECT 1 FROM cases c WHERE "
			   "c.id = d.case_id) ", -1, &find_decision, NULL);
	/* Who wrote version ?2 of case ?1 (the write that beat a refused one). */
	sqlite3_prepare_v2(sq, "SELECT actor FROM audit WHERE entity = 'case' AND entity_id = ?1 AND "
			   AUDIT_VERSION("") " = ?2", -1, &find_other, NULL);
	if (!find_audit || !find_decision || !find_other) {
		FAIL("preparing the checks: %s", sqlite3_errmsg(sq));
		goto out;
	}

	for (long i = 0; i < nrecs; i++) {
		struct rec *r = &recs[i];
		char user[65], abuf[32], idbuf[24];
		user_name(r->proc, user);
		snprintf(idbuf, sizeof idbuf, "%lld", (long long)r->id);
		t->ops++;
		if (r->rc == GT_OK) {
			t->ok++;
			t->by_kind_ok[r->kind]++;
			if (r->kind == OP_ACT)
				t->by_act_ok[r->action]++;
			if (r->want != WANT_OK) {
				FAIL("process %d op %d: %s %s of case %lld succeeded; it should have been refused (%s)",
				     r->proc, r->seq, op_names[r->kind], r->action >= 0 ? gt_action_codes[r->action] : "",
				     (long long)r->id, want_names[r->want]);
				continue;
			}
			if (r->id <= 0 || r->id > max_id) {
				FAIL("process %d op %d: success on case %lld, which is not in the file", r->proc, r->seq,
				     (long long)r->id);
				continue;
			}
			struct case_expect *e = &ce[r->id];
			const char *aa = audit_action_of(r, abuf);
			if (r->kind == OP_INTAKE) {
				if (e->known)
					FAIL("process %d op %d: intake returned case %lld, already known", r->proc,
					     r->seq, (long long)r->id);
				e->known = true;
				if (r->newv != 1)
					FAIL("intake of case %lld: version %lld, not 1", (long long)r->id,
					     (long long)r->newv);
			} else if (!e->known) {
				FAIL("process %d op %d: write to case %lld, not a pool case", r->proc, r->seq,
				     (long long)r->id);
			} else if (r->newv != r->expect + 1) {
				FAIL("process %d op %d: case %lld went from version %lld to %lld", r->proc, r->seq,
				     (long long)r->id, (long long)r->expect, (long long)r->newv);
			}
			e->writes++;
			if (action_index(aa) >= 0)
				e->by_action[action_index(aa)]++;
			if (r->kind != OP_ACT)
				e->evals++;
			bool decision = r->kind == OP_ACT && (r->action == GT_ACT_APPROVE ||
							   r->action == GT_ACT_REJECT || r->action == GT_ACT_RETURN);
			if (decision)
				e->decisions++;
			/* Its audit row: this case, this action, this user, this version. */
			sqlite3_bind_text(find_audit, 1, idbuf, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(find_audit, 2, aa, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(find_audit, 3, user, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(find_audit, 4, r->newv);
			int64_t n = sqlite3_step(find_audit) == SQLITE_ROW ? sqlite3_column_int64(find_audit, 0) : -1;
			sqlite3_reset(find_audit);
			if (n != 1)
				FAIL("lost update: process %d op %d (%s of case %lld to version %lld by %s) has %lld "
				     "audit rows, not 1", r->proc, r->seq, aa, (long long)r->id, (long long)r->newv,
				     user, (long long)n);
			if (decision) {
				sqlite3_bind_int64(find_decision, 1, r->id);
				sqlite3_bind_int64(find_decision, 2, r->newv);
				sqlite3_bind_text(find_decision, 3, gt_action_codes[r->action], -1, SQLITE_STATIC);
				sqlite3_bind_text(find_decision, 4, user, -1, SQLITE_TRANSIENT);
				n = sqlite3_step(find_decision) == SQLITE_ROW ? sqlite3_column_int64(find_decision, 0) : -1;
				sqlite3_reset(find_decision);
				if (n != 1)
					FAIL("lost decision: process %d op %d (%s of case %lld at version %lld) has %lld "
					     "decision rows", r->proc, r->seq, aa, (long long)r->id, (long long)r->newv,
					     (long long)n);
			}
			continue;
		}
		/* Refused. */
		if (r->rc == GT_ERR_CONFLICT) {
			t->conflicts++;
			long long now_v = 0, had_v = 0;
			const char *p = strstr(r->msg, "it is now version ");
			if (!strstr(r->msg, "after you opened it") || !p ||
			    sscanf(p, "it is now version %lld, you had version %lld", &now_v, &had_v) != 2) {
				FAIL("process %d op %d: GT_ERR_CONFLICT without the conflict message: %s", r->proc,
				     r->seq, r->msg);
				continue;
			}
			if (had_v != r->expect || now_v <= had_v)
				FAIL("process %d op %d: conflict message says now %lld, had %lld; the process had %lld",
				     r->proc, r->seq, now_v, had_v, (long long)r->expect);
			/* Genuine: another user wrote the next version. */
			sqlite3_bind_text(find_other, 1, idbuf, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(find_other, 2, r->expect + 1);
			int step = sqlite3_step(find_other);
			if (step != SQLITE_ROW)
				FAIL("process %d op %d: conflict on case %lld version %lld, but no write made version %lld",
				     r->proc, r->seq, (long long)r->id, (long long)r->expect, (long long)r->expect + 1);
			else if (strcmp((const char *)sqlite3_column_text(find_other, 0), user) == 0)
				FAIL("process %d op %d: conflict on case %lld with its own write", r->proc, r->seq,
				     (long long)r->id);
			else
				t->conflicts_checked++;
			sqlite3_reset(find_other);
			continue;
		}
		if (r->rc == GT_ERR_DENIED) {
			t->denied++;
			if (r->want != WANT_DENIED)
				FAIL("process %d op %d: unexpected GT_ERR_DENIED: %s", r->proc, r->seq, r->msg);
			continue;
		}
		if (r->rc == GT_ERR_TRANSITION) {
			t->transitions++;
			if (r->want != WANT_TRANSITION)
				FAIL("process %d op %d: unexpected GT_ERR_TRANSITION: %s", r->proc, r->seq, r->msg);
			continue;
		}
		if (r->rc == GT_ERR_BUSY) {
			t->busy++;
			FAIL("process %d op %d: GT_ERR_BUSY despite the busy timeout: %s", r->proc, r->seq, r->msg);
			continue;
		}
		t->other++;
		FAIL("process %d op %d: %s of case %lld: error %d: %s", r->proc, r->seq, op_names[r->kind],
		     (long long)r->id, r->rc, r->msg);
	}
	for (long i = 0; i < nrecs; i++)
		if (recs[i].want == WANT_DENIED && recs[i].rc != GT_ERR_DENIED)
			FAIL("process %d op %d: a clerk's approve gave %d, not GT_ERR_DENIED", recs[i].proc,
			     recs[i].seq, recs[i].rc);
		else if (recs[i].want == WANT_TRANSITION && recs[i].rc != GT_ERR_TRANSITION &&
			 recs[i].rc != GT_ERR_CONFLICT)
			FAIL("process %d op %d: an action not allowed from the status gave %d", recs[i].proc,
			     recs[i].seq, recs[i].rc);

	/* Each case: its version, its audit rows (versions 1..version once each,
	 * and by action), its evaluations and decisions. */
	sqlite3_stmt *s = NULL;
	sqlite3_prepare_v2(sq, "SELECT c.id, c.version, "
			   "(SELECT count(*) FROM evaluations e WHERE e.case_id = c.id), "
			   "(SELECT count(*) FROM decisions d WHERE d.case_id = c.id), "
			   "(SELECT count(*) FROM audit a WHERE a.entity = 'case' AND a.entity_id = CAST(c.id AS TEXT)), "
			   "(SELECT count(DISTINCT " AUDIT_VERSION("a.") ") FROM audit a WHERE "
			   "  a.entity = 'case' AND a.entity_id = CAST(c.id AS TEXT)), "
			   "(SELECT min(" AUDIT_VERSION("a.") ") FROM audit a WHERE "
			   "  a.entity = 'case' AND a.entity_id = CAST(c.id AS TEXT)), "
			   "(SELECT max(" AUDIT_VERSION("a.") ") FROM audit a WHERE "
			   "  a.entity = 'case' AND a.entity_id = CAST(c.id AS TEXT)) "
			   "FROM cases c ORDER BY c.id", -1, &s, NULL);
	long ncases = 0;
	while (s && sqlite3_step(s) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0), v = sqlite3_column_int64(s, 1);
		int64_t evals = sqlite3_column_int64(s, 2), decs = sqlite3_column_int64(s, 3);
		int64_t na = sqlite3_column_int64(s, 4), nd = sqlite3_column_int64(s, 5);
		int64_t vmin = sqlite3_column_int64(s, 6), vmax = sqlite3_column_int64(s, 7);
		ncases++;
		if (id > max_id || !ce[id].known) {
			FAIL("case %lld is in the file but no process reported creating it", (long long)id);
			continue;
		}
		struct case_expect *e = &ce[id];
		if (v != e->writes)
			FAIL("case %lld: version %lld, but 1 + successful writes = %ld", (long long)id, (long long)v,
			     e->writes);
		if (na != e->writes || nd != na || vmin != 1 || vmax != v)
			FAIL("case %lld: %lld audit rows with %lld distinct versions %lld..%lld; expected %ld rows, "
			     "versions 1..%lld once each", (long long)id, (long long)na, (long long)nd,
			     (long long)vmin, (long long)vmax, e->writes, (long long)v);
		if (evals != e->evals)
			FAIL("case %lld: %lld evaluations, expected %ld", (long long)id, (long long)evals, e->evals);
		if (decs != e->decisions)
			FAIL("case %lld: %lld decisions, expected %ld", (long long)id, (long long)decs, e->decisions);
	}
	sqlite3_finalize(s);
	long known = 0;
	for (int64_t id = 1; id <= max_id; id++)
		known += ce[id].known;
	if (known != ncases)
		FAIL("%ld cases known from the logs, %ld in the file", known, ncases);

	/* The audit log by case and action: exactly the successful changes. */
	s = NULL;
	sqlite3_prepare_v2(sq, "SELECT CAST(entity_id AS INTEGER), action, count(*) FROM audit "
			   "WHERE entity = 'case' GROUP BY entity_id, action", -1, &s, NULL);
	long audit_rows = 0;
	while (s && sqlite3_step(s) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		const char *a = (const char *)sqlite3_column_text(s, 1);
		int64_t n = sqlite3_column_int64(s, 2);
		int k = action_index(a);
		audit_rows += n;
		if (id < 1 || id > max_id || k < 0 || ce[id].by_action[k] != n)
			FAIL("audit: case %lld has %lld \"%s\" rows, expected %ld", (long long)id, (long long)n, a,
			     id >= 1 && id <= max_id && k >= 0 ? ce[id].by_action[k] : 0L);
		else
			ce[id].by_action[k] = -1; /* seen */
	}
	sqlite3_finalize(s);
	for (int64_t id = 1; id <= max_id; id++)
		for (int k = 0; k < N_AUDIT_ACTIONS; k++)
			if (ce[id].known && ce[id].by_action[k] > 0)
				FAIL("audit: case %lld has no \"%s\" rows, expected %ld", (long long)id, audit_actions[k],
				     ce[id].by_action[k]);
	int64_t total_audit = stress_query_int(st, "SELECT count(*) FROM audit", -1);
	if (total_audit != audit_before + t->ok)
		FAIL("audit: %lld rows; %ld before the workers + %ld successful writes = %ld",
		     (long long)total_audit, audit_before, t->ok, audit_before + t->ok);
	printf("audit rows: %lld in all, %ld for cases (%d pool creations + %ld successful writes)\n",
	       (long long)total_audit, audit_rows, cf->pool, t->ok);

	bool integrity = stress_integrity_ok(st);
	long fk = stress_fk_violations(st);
	if (!integrity)
		FAIL("PRAGMA integrity_check is not ok");
	if (fk != 0)
		FAIL("PRAGMA foreign_key_check: %ld rows", fk);
	printf("integrity_check: %s; foreign_key_check: %ld rows\n", integrity ? "ok" : "FAILED", fk);
out:
	sqlite3_finalize(find_audit);
	sqlite3_finalize(find_decision);
	sqlite3_finalize(find_other);
	free(ce);
	gt_store_close(st);
	return 0;
}

/* ---- first open: the processes open one new file at once */

/* A child: opens (creating) the file as its user; exit status 0 opened,
 * 1 GT_ERR_BUSY, 2 another error. */
static int first_open_child(const char *path, int p, int start_fd)
{
	char c, user[65], err[1024];
	while (read(start_fd, &c, 1) < 0 && errno == EINTR)
		;
	close(start_fd);
	user_name(p, user);
	gt_store *st;
	int rc = gt_store_open_as(&st, path, GT_OPEN_CREATE, user, err, sizeof err);
	if (rc != GT_OK) {
		fprintf(stderr, "first open by %s: error %d: %s\n", user, rc, err);
		return rc == GT_ERR_BUSY ? 1 : 2;
	}
	gt_store_close(st);
	return 0;
}

/* rounds x procs opens of new files; every open must succeed (no
 * GT_ERR_BUSY), and each file must have exactly one creator: one user, the
 * admin, one audit row, created_by naming it; in WAL mode. */
static void first_opens(const struct config *cf, long *opens, long *busy)
{
	char path[4300];
	snprintf(path, sizeof path, "%s/first.db", dir);
	for (int round = 0; round < cf->first_opens; round++) {
		char side[4400];
		unlink(path);
		snprintf(side, sizeof side, "%s-wal", path);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", path);
		unlink(side);
		int start[2];
		if (pipe(start) != 0) {
			FAIL("pipe: %s", strerror(errno));
			return;
		}
		fflush(NULL);
		for (int p = 0; p < cf->procs; p++) {
			pid_t pid = fork();
			if (pid < 0) {
				FAIL("fork: %s", strerror(errno));
				break;
			}
			if (pid == 0) {
				close(start[1]);
				int st = first_open_child(path, p, start[0]);
				fflush(NULL);
				exit(st);
			}
		}
		close(start[0]);
		close(start[1]); /* go */
		int status;
		pid_t pid;
		while ((pid = wait(&status)) > 0 || (pid < 0 && errno == EINTR)) {
			if (pid < 0)
				continue;
			++*opens;
			if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
				++*busy;
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
				FAIL("round %d: an opener of the new file ended with status %#x", round, status);
		}
		gt_store *st;
		char err[1024];
		if (gt_store_open_as(&st, path, 0, "checker", err, sizeof err) != GT_OK) {
			FAIL("round %d: the new file does not open: %s", round, err);
			continue;
		}
		int64_t users = stress_query_int(st, "SELECT count(*) FROM users", -1);
		int64_t admins = stress_query_int(st, "SELECT count(*) FROM users u JOIN meta m ON "
						  "m.key = 'created_by' AND m.value = u.login WHERE u.role = 'admin'", -1);
		int64_t audit = stress_query_int(st, "SELECT count(*) FROM audit", -1);
		int64_t wal = stress_query_int(st, "SELECT journal_mode = 'wal' FROM pragma_journal_mode", -1);
		if (users != 1 || admins != 1 || audit != 1 || wal != 1)
			FAIL("round %d: the new file has %lld users, %lld admin named by meta.created_by, %lld audit rows, "
			     "WAL %lld; expected one creator and WAL", round, (long long)users, (long long)admins,
			     (long long)audit, (long long)wal);
		if (!stress_integrity_ok(st))
			FAIL("round %d: PRAGMA integrity_check of the new file is not ok", round);
		gt_store_close(st);
	}
}

/* The moment between a new file's creation and its switch to WAL, held
 * open: the file is still in rollback-journal mode and another process holds
 * its write lock for a while. Opening it must wait for the lock (the busy
 * timeout), not fail at once with GT_ERR_BUSY. Returns the wait in seconds. */
static double open_while_locked(void)
{
	char path[4300], err[1024];
	snprintf(path, sizeof path, "%s/rollback.db", dir);
	unlink(path);
	gt_store *st;
	if (gt_store_open_as(&st, path, GT_OPEN_CREATE, "u0-clerk", err, sizeof err) != GT_OK) {
		FAIL("creating %s: %s", path, err);
		return -1;
	}
	gt_store_close(st);
	sqlite3 *h = NULL;
	if (sqlite3_open(path, &h) != SQLITE_OK ||
	    sqlite3_exec(h, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK) {
		FAIL("%s back to rollback mode: %s", path, h ? sqlite3_errmsg(h) : "out of memory");
		sqlite3_close(h);
		return -1;
	}
	sqlite3_close(h);
	int ready[2];
	if (pipe(ready) != 0) {
		FAIL("pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		/* Another clerk's write, in progress for 300 ms. */
		close(ready[0]);
		int status = 1;
		h = NULL;
		if (sqlite3_open(path, &h) == SQLITE_OK && sqlite3_busy_timeout(h, 10000) == SQLITE_OK &&
		    sqlite3_exec(h, "BEGIN IMMEDIATE; UPDATE meta SET value = value WHERE key = 'created_by'",
				 NULL, NULL, NULL) == SQLITE_OK) {
			status = write(ready[1], "x", 1) == 1 ? 0 : 1;
			stress_sleep_us(300000);
			sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
		}
		sqlite3_close(h);
		close(ready[1]);
		exit(status);
	}
	close(ready[1]);
	char c;
	ssize_t got;
	while ((got = read(ready[0], &c, 1)) < 0 && errno == EINTR)
		;
	close(ready[0]);
	double t0 = stress_now(), waited = -1;
	if (got != 1) {
		FAIL("the process holding the write lock did not start");
	} else if (gt_store_open_as(&st, path, 0, "u0-clerk", err, sizeof err) != GT_OK) {
		FAIL("opening a file in rollback mode while another process writes: %s", err);
	} else {
		waited = stress_now() - t0;
		if (stress_query_int(st, "SELECT journal_mode = 'wal' FROM pragma_journal_mode", -1) != 1)
			FAIL("%s is not in WAL mode after the open", path);
		gt_store_close(st);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		FAIL("the process holding the write lock ended with status %#x", status);
	return waited;
}

/* ---- setup and the run */

static int setup(const struct config *cf, long *audit_before)
{
	char err[1024];
	gt_store *st;
	if (gt_store_open_as(&st, db, GT_OPEN_CREATE, "admin0", err, sizeof err) != GT_OK) {
		fprintf(stderr, "stress_concurrency: %s\n", err);
		return -1;
	}
	int rc = GT_OK;
	for (int p = 0; p < cf->procs && !rc; p++) {
		char user[65];
		user_name(p, user);
		rc = gt_store_user_set(st, user, role_of(p), NULL);
	}
	struct gt_case_row *row = calloc(1, sizeof *row);
	for (int i = 0; i < cf->pool && !rc; i++) {
		memset(row, 0, sizeof *row);
		char ref[32];
		snprintf(ref, sizeof ref, "POOL-%d", i);
		if (!row || stress_make_case(i, ref, &row->c) != 0) {
			rc = GT_ERR;
			break;
		}
		row->status = i % 4 == 0 ? GT_ST_DRAFT : GT_ST_SUBMITTED;
		rc = gt_store_save(st, row);
		pool_ids[i] = row->id;
	}
	free(row);
	if (rc)
		fprintf(stderr, "stress_concurrency: setting up: %s\n", gt_store_errmsg(st));
	*audit_before = (long)stress_query_int(st, "SELECT count(*) FROM audit", -1);
	gt_store_close(st);
	return rc ? -1 : 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: stress_concurrency [--procs N] [--ops N] [--pool N] [--first-opens N] [--seed S] [--dir DIR] [--keep]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct config cf = { .procs = 4, .ops = 1000, .pool = 20, .first_opens = 20, .seed = (uint64_t)time(NULL) };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--keep") == 0)
			cf.keep = true;
		else if (!v)
			return usage();
		else if (strcmp(a, "--procs") == 0)
			cf.procs = atoi(v), i++;
		else if (strcmp(a, "--ops") == 0)
			cf.ops = atoi(v), i++;
		else if (strcmp(a, "--pool") == 0)
			cf.pool = atoi(v), i++;
		else if (strcmp(a, "--first-opens") == 0)
			cf.first_opens = atoi(v), i++;
		else if (strcmp(a, "--seed") == 0)
			cf.seed = strtoull(v, NULL, 10), i++;
		else if (strcmp(a, "--dir") == 0)
			cf.dir = v, i++;
		else
			return usage();
	}
	if (cf.procs < 1 || cf.procs > MAX_PROCS || cf.ops < 1 || cf.pool < 1 || cf.pool > MAX_POOL ||
	    cf.first_opens < 0)
		return usage();
	pool_n = cf.pool;
	if (stress_make_dir(cf.dir, dir, sizeof dir) != 0)
		return 1;
	snprintf(db, sizeof db, "%s/cases.db", dir);
	unlink(db);
	printf("stress_concurrency: %d processes x %d operations, pool of %d cases, seed %llu, %s\n", cf.procs,
	       cf.ops, cf.pool, (unsigned long long)cf.seed, db);
	double t_first = stress_now();
	long first_n = 0, first_busy = 0;
	first_opens(&cf, &first_n, &first_busy);
	printf("first opens: %ld opens of %d new files, %d processes at once, in %.2f s: %ld failed with "
	       "GT_ERR_BUSY\n", first_n, cf.first_opens, cf.procs, stress_now() - t_first, first_busy);
	double waited = open_while_locked();
	printf("open of a file not yet in WAL mode while another process writes for 0.3 s: %s after %.2f s\n",
	       waited >= 0 ? "opened" : "FAILED", waited);

	long audit_before;
	if (setup(&cf, &audit_before) != 0)
		return 1;

	double t0 = stress_now();
	int start[2];
	if (pipe(start) != 0) {
		perror("pipe");
		return 1;
	}
	fflush(NULL);
	pid_t pids[MAX_PROCS];
	for (int p = 0; p < cf.procs; p++) {
		pids[p] = fork();
		if (pids[p] < 0) {
			perror("fork");
			return 1;
		}
		if (pids[p] == 0) {
			close(start[1]);
			int st = worker_main(p, &cf, start[0]);
			fflush(NULL);
			exit(st); /* everything is freed: LeakSanitizer checks the worker too */
		}
	}
	close(start[0]);
	close(start[1]); /* go */
	int bad_exit = 0, done = 0;
	double deadline = t0 + 300;
	while (done < cf.procs) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);
		if (pid < 0 && errno != EINTR)
			break;
		if (pid > 0) {
			done++;
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
				fprintf(stderr, "FAIL: worker pid %ld ended with status %#x\n", (long)pid, status);
				bad_exit++;
			}
			continue;
		}
		if (stress_now() > deadline) {
			fprintf(stderr, "FAIL: the workers did not finish in 300 s; killing them\n");
			for (int p = 0; p < cf.procs; p++)
				kill(pids[p], SIGKILL);
			while (waitpid(-1, NULL, 0) > 0)
				;
			bad_exit++;
			break;
		}
		stress_sleep_us(5000);
	}
	double elapsed = stress_now() - t0;

	/* Read the logs. */
	long cap = (long)cf.procs * cf.ops, nrecs = 0;
	struct rec *recs = calloc((size_t)cap, sizeof *recs);
	char line[2048], path[4300];
	for (int p = 0; p < cf.procs && recs; p++) {
		snprintf(path, sizeof path, "%s/proc-%d.log", dir, p);
		FILE *f = fopen(path, "r");
		if (!f) {
			FAIL("%s: %s", path, strerror(errno));
			continue;
		}
		long n = 0;
		while (fgets(line, sizeof line, f) && nrecs < cap) {
			if (parse_line(line, p, &recs[nrecs]) != 0)
				FAIL("%s: bad line: %s", path, line);
			else
				nrecs++, n++;
		}
		fclose(f);
		if (n != cf.ops)
			FAIL("%s: %ld operations logged, expected %d", path, n, cf.ops);
	}
	struct tally t;
	memset(&t, 0, sizeof t);
	if (recs && !bad_exit)
		check(&cf, recs, nrecs, audit_before, &t);
	free(recs);
	fail_count += bad_exit;

	printf("operations: %ld in %.2f s (%.0f/s) by %d processes\n", t.ops, elapsed, t.ops / elapsed, cf.procs);
	printf("successes: %ld (intake %ld, edit %ld, evidence %ld, act %ld: submit %ld, take %ld, approve %ld, "
	       "reject %ld, return %ld, reopen %ld)\n", t.ok, t.by_kind_ok[OP_INTAKE], t.by_kind_ok[OP_EDIT],
	       t.by_kind_ok[OP_EVIDENCE], t.by_kind_ok[OP_ACT], t.by_act_ok[GT_ACT_SUBMIT], t.by_act_ok[GT_ACT_TAKE],
	       t.by_act_ok[GT_ACT_APPROVE], t.by_act_ok[GT_ACT_REJECT], t.by_act_ok[GT_ACT_RETURN],
	       t.by_act_ok[GT_ACT_REOPEN]);
	printf("conflicts: %ld (each matched to the other user's write that made the next version: %ld)\n",
	       t.conflicts, t.conflicts_checked);
	printf("other refusals: %ld denied (a clerk approving, on purpose), %ld transition (an action the "
	       "status does not allow, on purpose); busy: %ld; other errors: %ld\n",
	       t.denied, t.transitions, t.busy, t.other);
	if (cf.procs > 1 && cf.ops >= 100 && t.conflicts == 0)
		FAIL("no conflict happened: the processes did not overlap");
	if (fail_count) {
		printf("stress_concurrency: FAILED (%d problems; files kept in %s)\n", fail_count, dir);
		return 1;
	}
	printf("stress_concurrency: passed\n");
	if (!cf.keep)
		stress_remove_dir(dir);
	return 0;
}
