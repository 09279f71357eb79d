/* The lost-update race and the concurrency stress through the public store
 * API only, so that the same program runs on either backend (issue 15): an
 * SQLite file, or a PostgreSQL database given by a connection string (each
 * simulated user connects as the role of that name: the test cluster's
 * database gtstress trusts its local connections, see tests/pg/cluster.sh).
 *
 *  1. The race, --races times: a new case; two reviewers read it at the same
 *     version, wait for each other, and approve it at once. Exactly one must
 *     win; the other gets GT_ERR_CONFLICT; the case has exactly one approval
 *     in its history.
 *  2. The stress: --procs processes, each a different user, --ops operations
 *     each on a shared pool of --pool cases (edits, evidence, workflow
 *     actions), every write carrying the version its process read. Each
 *     success is logged; then for every case: its version is 1 + the
 *     successes on it (no lost update), its audit rows carry the versions
 *     2..version exactly once, each by the user whose success made it (audit
 *     complete, nothing else in it). No GT_ERR_BUSY, no other error.
 *
 * The database must be new: on SQLite a path that does not exist (made here,
 * with stadmin as its first admin); on PostgreSQL one set up by
 * `guantong init --admin stadmin`.
 *
 * Usage: stress_backend --db DB [--procs N] [--ops N] [--pool N] [--races N] [--seed S]
 * (defaults: 4 processes x 1,000 operations, a pool of 20, 50 races). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gt_case.h"
#include "stress_common.h"

#define MAX_PROCS 16
#define MAX_POOL 256

static int failures;
#define FAIL(...) do { fprintf(stderr, "stress_backend: " __VA_ARGS__); fputc('\n', stderr); failures++; } while (0)

static const char *db;

static gt_store *open_as(const char *user)
{
	gt_store *st = NULL;
	char err[1024];
	if (gt_store_open_as(&st, db, GT_OPEN_CREATE, user, err, sizeof err) != GT_OK) {
		fprintf(stderr, "stress_backend: open as %s: %s\n", user, err);
		return NULL;
	}
	return st;
}

static int64_t new_case(gt_store *st, long k)
{
	struct gt_case_row row;
	memset(&row, 0, sizeof row);
	char ref[32];
	snprintf(ref, sizeof ref, "S%ld", k);
	if (stress_make_case(k, ref, &row.c) != 0) {
		FAIL("case %ld does not parse", k);
		return 0;
	}
	row.status = GT_ST_SUBMITTED;
	if (gt_store_save(st, &row) != GT_OK) {
		FAIL("saving case %ld: %s", k, gt_store_errmsg(st));
		return 0;
	}
	return row.id;
}

/* ---- 1. the race */

static int racer(const char *user, int64_t id, int ready_fd, int go_fd)
{
	gt_store *st = open_as(user);
	if (!st)
		return 90;
	struct gt_case_row *row = malloc(sizeof *row);
	if (!row || gt_store_get(st, id, row) != GT_OK)
		return 91;
	int64_t v = row->version;
	char c = 'r', go;
	if (write(ready_fd, &c, 1) != 1 || read(go_fd, &go, 1) < 0)
		return 92;
	int rc = gt_store_act(st, id, v, GT_ACT_APPROVE, "approved in the race");
	gt_store_close(st);
	free(row);
	return rc == GT_OK ? 0 : rc == GT_ERR_CONFLICT ? 1 : 93;
}

static int count_action(const struct gt_audit_row *a, void *arg)
{
	if (strcmp(a->action, "case.approve") == 0)
		(*(int *)arg)++;
	return 0;
}

static void run_races(gt_store *admin, int races)
{
	int one_winner = 0;
	for (int r = 0; r < races; r++) {
		int64_t id = new_case(admin, 100000 + r);
		if (!id)
			return;
		int ready[2], go[2];
		if (pipe(ready) || pipe(go)) {
			FAIL("pipe: %s", strerror(errno));
			return;
		}
		pid_t pid[2];
		for (int i = 0; i < 2; i++) {
			pid[i] = fork();
			if (pid[i] == 0) {
				close(go[1]);
				_exit(racer(i ? "strev2" : "strev1", id, ready[1], go[0]));
			}
		}
		char c;
		for (int i = 0; i < 2; i++)
			if (read(ready[0], &c, 1) != 1)
				FAIL("race %d: a racer did not get ready", r);
		close(go[1]); /* both read EOF at once: go */
		int wins = 0, conflicts = 0;
		for (int i = 0; i < 2; i++) {
			int status;
			waitpid(pid[i], &status, 0);
			int code = WIFEXITED(status) ? WEXITSTATUS(status) : 100;
			wins += code == 0;
			conflicts += code == 1;
			if (code > 1)
				FAIL("race %d: racer %d ended with %d", r, i, code);
		}
		close(ready[0]);
		close(ready[1]);
		close(go[0]);
		int approvals = 0;
		gt_store_history(admin, id, count_action, &approvals);
		if (wins != 1 || conflicts != 1 || approvals != 1)
			FAIL("race %d on case %lld: %d winners, %d conflicts, %d approvals in the history", r,
			     (long long)id, wins, conflicts, approvals);
		else
			one_winner++;
	}
	printf("race: %d of %d races had exactly one winner, one conflict and one approval on record\n",
	       one_winner, races);
}

/* ---- 2. the stress */

struct success {
	int64_t id, version;
};

static int worker(int p, int ops, const int64_t *pool, int npool, uint64_t seed, const char *log)
{
	char user[16];
	snprintf(user, sizeof user, "stu%d", p);
	gt_store *st = open_as(user);
	if (!st)
		return 90;
	FILE *out = fopen(log, "w");
	struct gt_case_row *row = malloc(sizeof *row);
	if (!out || !row)
		return 91;
	uint64_t rs = seed * 7919 + (uint64_t)p + 1;
	int bad = 0;
	for (int i = 0; i < ops; i++) {
		int64_t id = pool[stress_rand_below(&rs, (unsigned)npool)];
		if (gt_store_get(st, id, row) != GT_OK) {
			fprintf(stderr, "stress_backend: %s: get %lld: %s\n", user, (long long)id, gt_store_errmsg(st));
			bad++;
			continue;
		}
		int64_t v = row->version;
		int rc;
		unsigned what = stress_rand_below(&rs, 10);
		if (what < 3) {
			snprintf(row->c.case_ref, sizeof row->c.case_ref, "E%d-%d", p, i);
			rc = gt_store_save(st, row);
		} else if (what < 6) {
			int code = (int)stress_rand_below(&rs, GT_EV_COUNT);
			bool on = stress_rand_below(&rs, 2);
			rc = gt_store_set_evidence(st, id, v, code, on, on && stress_rand_below(&rs, 2), "checked");
		} else {
			static const int acts[] = { GT_ACT_TAKE, GT_ACT_APPROVE, GT_ACT_REJECT, GT_ACT_RETURN,
						    GT_ACT_SUBMIT, GT_ACT_REOPEN };
			int a = acts[stress_rand_below(&rs, p == 0 ? 6 : 5)];
			rc = gt_store_act(st, id, v, a, "a note");
		}
		if (rc == GT_OK)
			fprintf(out, "%lld %lld\n", (long long)id, (long long)v + 1);
		else if (rc != GT_ERR_CONFLICT && rc != GT_ERR_TRANSITION && rc != GT_ERR_DENIED) {
			fprintf(stderr, "stress_backend: %s: operation %d on case %lld: %d %s\n", user, i, (long long)id,
				rc, gt_store_errmsg(st));
			bad++;
		}
	}
	fclose(out);
	free(row);
	gt_store_close(st);
	return bad ? 1 : 0;
}

struct audit_check {
	int64_t max;
	int seen[4096];
	char actor[4096][65];
	int other;
};

static int collect(const struct gt_audit_row *a, void *arg)
{
	struct audit_check *c = arg;
	const char *v = a->after ? strstr(a->after, "\"version\":") : NULL;
	if (!v) {
		c->other += strcmp(a->action, "case.create") != 0;
		return 0;
	}
	long n = strtol(v + 10, NULL, 10);
	if (n < 0 || n >= 4096)
		return 0;
	c->seen[n]++;
	snprintf(c->actor[n], sizeof c->actor[n], "%s", a->actor);
	return 0;
}

static void run_stress(gt_store *admin, int procs, int ops, int npool, uint64_t seed)
{
	int64_t pool[MAX_POOL];
	for (int i = 0; i < npool; i++)
		if (!(pool[i] = new_case(admin, i)))
			return;
	char dir[4096], logs[MAX_PROCS][4200];
	if (stress_make_dir(NULL, dir, sizeof dir) != 0) {
		FAIL("temporary directory: %s", strerror(errno));
		return;
	}
	double t0 = stress_now();
	pid_t pid[MAX_PROCS];
	for (int p = 0; p < procs; p++) {
		snprintf(logs[p], sizeof logs[p], "%s/p%d.log", dir, p);
		pid[p] = fork();
		if (pid[p] == 0)
			_exit(worker(p, ops, pool, npool, seed, logs[p]));
	}
	for (int p = 0; p < procs; p++) {
		int status;
		waitpid(pid[p], &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			FAIL("process %d ended with %d", p, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
	double secs = stress_now() - t0;
	/* What the processes say they did. */
	static int64_t succ[MAX_POOL][4096];
	static char who[MAX_POOL][4096];
	memset(succ, 0, sizeof succ);
	long total = 0;
	for (int p = 0; p < procs; p++) {
		FILE *f = fopen(logs[p], "r");
		long long id, v;
		while (f && fscanf(f, "%lld %lld", &id, &v) == 2) {
			int k = -1;
			for (int i = 0; i < npool; i++)
				if (pool[i] == id)
					k = i;
			if (k < 0 || v < 2 || v >= 4096) {
				FAIL("log of process %d: case %lld version %lld", p, id, v);
				continue;
			}
			if (succ[k][v]++)
				FAIL("case %lld version %lld was written twice (a lost update)", id, v);
			who[k][v] = (char)p;
			total++;
		}
		if (f)
			fclose(f);
	}
	struct gt_case_row *row = malloc(sizeof *row);
	struct audit_check *c = malloc(sizeof *c);
	for (int k = 0; row && c && k < npool; k++) {
		if (gt_store_get(admin, pool[k], row) != GT_OK) {
			FAIL("reading case %lld: %s", (long long)pool[k], gt_store_errmsg(admin));
			continue;
		}
		memset(c, 0, sizeof *c);
		gt_store_history(admin, pool[k], collect, c);
		for (int64_t v = 2; v <= row->version && v < 4096; v++) {
			char want[16];
			snprintf(want, sizeof want, "stu%d", who[k][v]);
			if (!succ[k][v])
				FAIL("case %lld version %lld: no process says it wrote it", (long long)pool[k], (long long)v);
			if (c->seen[v] != 1)
				FAIL("case %lld version %lld: %d audit rows", (long long)pool[k], (long long)v, c->seen[v]);
			else if (succ[k][v] && strcmp(c->actor[v], want) != 0)
				FAIL("case %lld version %lld: audited as %s, written by %s", (long long)pool[k], (long long)v,
				     c->actor[v], want);
		}
		for (int v = (int)row->version + 1; v < 4096; v++)
			if (succ[k][v] || c->seen[v])
				FAIL("case %lld: version %d written or audited beyond its version %lld", (long long)pool[k], v,
				     (long long)row->version);
		if (c->other)
			FAIL("case %lld: %d audit rows without a version", (long long)pool[k], c->other);
	}
	free(row);
	free(c);
	stress_remove_dir(dir);
	printf("stress: %d processes x %d operations on %d cases in %.1f s: %ld writes succeeded, "
	       "every one audited once by its writer, no lost update\n", procs, ops, npool, secs, total);
}

int main(int argc, char **argv)
{
	int procs = 4, ops = 1000, npool = 20, races = 50;
	uint64_t seed = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v) {
			fprintf(stderr, "usage: stress_backend --db DB [--procs N] [--ops N] [--pool N] [--races N] [--seed S]\n");
			return 2;
		}
		if (strcmp(a, "--db") == 0)
			db = v;
		else if (strcmp(a, "--procs") == 0)
			procs = atoi(v);
		else if (strcmp(a, "--ops") == 0)
			ops = atoi(v);
		else if (strcmp(a, "--pool") == 0)
			npool = atoi(v);
		else if (strcmp(a, "--races") == 0)
			races = atoi(v);
		else if (strcmp(a, "--seed") == 0)
			seed = strtoull(v, NULL, 10);
		else {
			fprintf(stderr, "stress_backend: unknown option %s\n", a);
			return 2;
		}
		i++;
	}
	if (!db || procs < 1 || procs > MAX_PROCS || npool < 1 || npool > MAX_POOL || ops < 1) {
		fprintf(stderr, "stress_backend: --db is required; 1..%d processes, 1..%d cases\n", MAX_PROCS, MAX_POOL);
		return 2;
	}
	gt_store *admin = open_as("stadmin");
	if (!admin)
		return 1;
	static const char *const users[] = { "strev1", "strev2" };
	for (int i = 0; i < 2; i++)
		if (gt_store_user_set(admin, users[i], GT_USER_REVIEWER, NULL) != GT_OK)
			FAIL("user %s: %s", users[i], gt_store_errmsg(admin));
	for (int p = 0; p < procs; p++) {
		char u[16];
		snprintf(u, sizeof u, "stu%d", p);
		if (gt_store_user_set(admin, u, p == 0 ? GT_USER_ADMIN : GT_USER_REVIEWER, NULL) != GT_OK)
			FAIL("user %s: %s", u, gt_store_errmsg(admin));
	}
	printf("backend: %s\n", gt_store_is_server(db) ? "PostgreSQL" : "SQLite");
	if (!failures)
		run_races(admin, races);
	if (!failures)
		run_stress(admin, procs, ops, npool, seed);
	gt_store_close(admin);
	if (failures) {
		printf("stress_backend: %d failures\n", failures);
		return 1;
	}
	printf("stress_backend: ok\n");
	return 0;
}
