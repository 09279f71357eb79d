/* Crash stress (issue 5): imports and bursts of decisions killed with SIGKILL
 * at a random moment, over and over, on one database file.
 *
 * An import run is the real binary, `guantong import --db FILE CSV`, on a
 * file of new cases and updates of stored ones; it is killed at a random
 * moment between its start and its expected end. Afterwards the import must
 * be all or nothing: either every row of the file is in (the case count went
 * up by the new rows, every updated case carries the file's case_ref, one
 * evaluation and one audit row per row) or none is.
 *
 * A decision run is a child process that decides cases one by one through
 * gt_store_act() (approve, reject, return; reopen to make them decidable
 * again) and, only after gt_store_act() returned GT_OK, reports the decision
 * to the parent through a pipe. It is killed at a random moment. Afterwards
 * every reported decision must be in the file: its audit row with that
 * version, and for approve/reject/return its decision row. At most one
 * unreported change may be there (the one committed just before the kill).
 *
 * After every run the file must open (recovering the WAL), pass PRAGMA
 * integrity_check and have no foreign_key_check rows. At the end every
 * decision reported in any run is checked again.
 *
 * Usage: stress_crash GUANTONG [--runs N] [--rows N] [--burst N] [--seed S] [--dir DIR] [--keep] [-v]
 * (defaults: 100 runs, half imports and half decision bursts; imports of
 * 2,000 rows, 1,500 new and 500 updates; bursts of up to 100 decisions). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "stress_common.h"

struct config {
	const char *binary;
	int runs, rows, burst;
	uint64_t seed;
	const char *dir;
	bool keep, verbose;
};

/* A decision reported by the child after GT_OK. */
struct report {
	int64_t case_id, version; /* the version the action left the case at */
	int32_t action, pad;
};

static char dir[4096], db[4200], logpath[4300];
static int fail_count, integrity_failures;
static const char *decider = "decider";

#define FAIL(...) do { fail_count++; if (fail_count <= 30) { fprintf(stderr, "FAIL: " __VA_ARGS__); fputc('\n', stderr); } } while (0)

/* The cases the decision runs work on, and the stored cases the imports
 * update (never decided, so that an import may change them). */
#define POOL_K0 0L
#define SEED_K0 10000L
#define NEW_K0 100000L
enum { POOL = 300, SEED = 1000 };
static int64_t pool_ids[POOL];

static long next_new_k = NEW_K0;

struct reports {
	struct report *v;
	long n, cap;
};

static int reports_add(struct reports *r, const struct report *x)
{
	if (r->n == r->cap) {
		long cap = r->cap ? r->cap * 2 : 1024;
		struct report *p = realloc(r->v, (size_t)cap * sizeof *p);
		if (!p)
			return -1;
		r->v = p;
		r->cap = cap;
	}
	r->v[r->n++] = *x;
	return 0;
}

/* ---- the children */

/* Decides cases one by one until `burst` changes are done (or killed). */
static int decision_child(int fd, int burst, uint64_t seed)
{
	gt_store *st;
	char err[1024];
	if (gt_store_open_as(&st, db, 0, decider, err, sizeof err) != GT_OK) {
		fprintf(stderr, "decision child: %s\n", err);
		return 1;
	}
	struct gt_case_row *row = malloc(sizeof *row);
	uint64_t rnd = seed;
	int status = 0, done = 0;
	unsigned at = stress_rand_below(&rnd, POOL);
	while (row && done < burst) {
		int64_t id = pool_ids[at++ % POOL];
		int rc = gt_store_get(st, id, row);
		if (rc) {
			fprintf(stderr, "decision child: case %lld: %s\n", (long long)id, gt_store_errmsg(st));
			status = 1;
			break;
		}
		int action;
		const char *note = "";
		switch (row->status) {
		case GT_ST_DRAFT:
			action = GT_ACT_SUBMIT;
			break;
		case GT_ST_RETURNED:
			action = stress_rand_below(&rnd, 2) ? GT_ACT_SUBMIT : GT_ACT_REOPEN;
			note = "补正后重新提交";
			break;
		case GT_ST_SUBMITTED:
		case GT_ST_IN_REVIEW: {
			static const int acts[] = { GT_ACT_APPROVE, GT_ACT_REJECT, GT_ACT_RETURN, GT_ACT_APPROVE };
			action = acts[stress_rand_below(&rnd, 4)];
			note = action == GT_ACT_APPROVE ? "委员会审议通过" : "材料不足"; /* an approval against the evaluation needs a note */
			break;
		}
		default:
			action = GT_ACT_REOPEN;
			note = "复议";
			break;
		}
		rc = gt_store_act(st, id, row->version, action, note);
		if (rc) {
			fprintf(stderr, "decision child: %s of case %lld: %s\n", gt_action_codes[action],
				(long long)id, gt_store_errmsg(st));
			status = 1;
			break;
		}
		/* Committed: now (and only now) tell the parent. */
		struct report r = { .case_id = id, .version = row->version + 1, .action = action };
		if (write(fd, &r, sizeof r) != (ssize_t)sizeof r) {
			status = 1;
			break;
		}
		done++;
	}
	free(row);
	gt_store_close(st);
	close(fd);
	return status;
}

/* Runs the real binary on the import file. */
static void import_child(const struct config *cf, const char *csv)
{
	int fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
	execl(cf->binary, cf->binary, "import", "--db", db, "--as-of", "2024-06-30", csv, (char *)NULL);
	fprintf(stderr, "%s: %s\n", cf->binary, strerror(errno));
	_exit(127);
}

/* Waits for the child until `window` seconds after t0, then kills it.
 * Returns the wait status; *killed says whether the kill ended it.
 * SIGCHLD is blocked (main) and waited for with the time left as time-out,
 * not polled: a poll every 200 us was most of this process's CPU (under
 * load each wake-up costs more than the checks it waits between). A
 * SIGCHLD left pending by an earlier child costs one more waitpid. */
static int run_until(pid_t pid, double t0, double window, bool *killed, double *took)
{
	int status = 0;
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	*killed = false;
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid) {
			*took = stress_now() - t0;
			return status;
		}
		if (r < 0 && errno != EINTR) {
			perror("waitpid");
			return -1;
		}
		double left = t0 + window - stress_now();
		if (left <= 0)
			break;
		if (left > 3600)
			left = 3600;
		struct timespec ts = { .tv_sec = (time_t)left, .tv_nsec = (long)((left - (double)(time_t)left) * 1e9) };
		sigtimedwait(&chld, NULL, &ts); /* SIGCHLD, the time-out or EINTR: look again */
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	*took = stress_now() - t0;
	*killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
	return status;
}

/* ---- checks */

static gt_store *reopen(void)
{
	gt_store *st;
	char err[1024];
	if (gt_store_open_as(&st, db, 0, decider, err, sizeof err) != GT_OK) {
		FAIL("the file does not open after the kill: %s", err);
		return NULL;
	}
	return st;
}

static bool file_ok(gt_store *st, int run)
{
	bool ok = true;
	if (!stress_integrity_ok(st)) {
		FAIL("run %d: PRAGMA integrity_check is not ok", run);
		ok = false;
	}
	long fk = stress_fk_violations(st);
	if (fk != 0) {
		FAIL("run %d: PRAGMA foreign_key_check: %ld rows", run, fk);
		ok = false;
	}
	integrity_failures += !ok;
	return ok;
}

struct counts {
	int64_t cases, evals, import_audit, refs_new, refs_upd;
};

static void count(gt_store *st, int run, struct counts *c)
{
	char sql[256];
	c->cases = stress_query_int(st, "SELECT count(*) FROM cases", -1);
	c->evals = stress_query_int(st, "SELECT count(*) FROM evaluations", -1);
	/* The cases the imports wrote, by their audit: a changed case has its
	 * own row, a created one is named by its import's row (issue 14). */
	c->import_audit = stress_query_int(st, "SELECT (SELECT count(*) FROM audit WHERE action = 'case.import') + "
				"(SELECT coalesce(sum(json_extract(after, '$.inserted')), 0) FROM audit "
				"WHERE action = 'import')", -1);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM cases WHERE case_ref GLOB 'I%d-*'", run);
	c->refs_new = stress_query_int(st, sql, -1);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM cases WHERE case_ref GLOB 'U%d-*'", run);
	c->refs_upd = stress_query_int(st, sql, -1);
}

/* Every reported decision is in the file. Returns how many are missing. */
static long check_reports(gt_store *st, const struct report *v, long n, const char *when)
{
	sqlite3 *sq = gt_store_db(st);
	sqlite3_stmt *a = NULL, *d = NULL;
	sqlite3_prepare_v2(sq, "SELECT count(*) FROM audit WHERE entity = 'case' AND entity_id = ?1 AND "
			   "action = ?2 AND actor = ?3 AND json_extract(after, '$.version') = ?4", -1, &a, NULL);
	sqlite3_prepare_v2(sq, "SELECT count(*) FROM decisions WHERE case_id = ?1 AND case_version = ?2 AND "
			   "action = ?3 AND decided_by = ?4", -1, &d, NULL);
	long missing = 0;
	for (long i = 0; a && d && i < n; i++) {
		char idbuf[24], what[32];
		snprintf(idbuf, sizeof idbuf, "%lld", (long long)v[i].case_id);
		snprintf(what, sizeof what, "case.%s", gt_action_codes[v[i].action]);
		sqlite3_bind_text(a, 1, idbuf, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(a, 2, what, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(a, 3, decider, -1, SQLITE_STATIC);
		sqlite3_bind_int64(a, 4, v[i].version);
		int64_t na = sqlite3_step(a) == SQLITE_ROW ? sqlite3_column_int64(a, 0) : -1;
		sqlite3_reset(a);
		int64_t nd = 1;
		if (v[i].action == GT_ACT_APPROVE || v[i].action == GT_ACT_REJECT || v[i].action == GT_ACT_RETURN) {
			sqlite3_bind_int64(d, 1, v[i].case_id);
			sqlite3_bind_int64(d, 2, v[i].version);
			sqlite3_bind_text(d, 3, gt_action_codes[v[i].action], -1, SQLITE_STATIC);
			sqlite3_bind_text(d, 4, decider, -1, SQLITE_STATIC);
			nd = sqlite3_step(d) == SQLITE_ROW ? sqlite3_column_int64(d, 0) : -1;
			sqlite3_reset(d);
		}
		if (na != 1 || nd != 1) {
			missing++;
			FAIL("%s: reported %s of case %lld (version %lld) is missing: %lld audit rows, %lld decision rows",
			     when, gt_action_codes[v[i].action], (long long)v[i].case_id, (long long)v[i].version,
			     (long long)na, (long long)nd);
		}
	}
	if (!a || !d) {
		FAIL("preparing the checks: %s", sqlite3_errmsg(sq));
		missing = -1;
	}
	sqlite3_finalize(a);
	sqlite3_finalize(d);
	return missing;
}

/* ---- setup */

static int setup(const struct config *cf)
{
	char err[1024];
	gt_store *st;
	/* The OS account (the one the binary runs as) creates the file: admin. */
	if (gt_store_open(&st, db, GT_OPEN_CREATE, err, sizeof err) != GT_OK) {
		fprintf(stderr, "stress_crash: %s\n", err);
		return -1;
	}
	int rc = gt_store_user_set(st, decider, GT_USER_ADMIN, "stress decisions");
	struct gt_case_row *row = calloc(1, sizeof *row);
	for (int i = 0; i < POOL && !rc; i++) {
		char ref[32];
		snprintf(ref, sizeof ref, "D-%d", i);
		memset(row, 0, sizeof *row);
		if (!row || stress_make_case(POOL_K0 + i, ref, &row->c) != 0) {
			rc = GT_ERR;
			break;
		}
		row->status = GT_ST_SUBMITTED;
		rc = gt_store_save(st, row);
		pool_ids[i] = row->id;
	}
	free(row);
	if (rc)
		fprintf(stderr, "stress_crash: setting up: %s\n", gt_store_errmsg(st));
	gt_store_close(st);
	if (rc)
		return -1;
	/* The stored cases that imports update: through the binary, which also
	 * has to work before anything else can. */
	char csv[4300];
	snprintf(csv, sizeof csv, "%s/seed.csv", dir);
	if (stress_write_csv(csv, SEED_K0, SEED, "S-") != 0)
		return -1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0)
		import_child(cf, csv);
	int status = 0;
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "stress_crash: the seed import failed (status %#x); see %s\n", status, logpath);
		return -1;
	}
	unlink(csv);
	return 0;
}

/* The import file of run r: `rows` rows, a quarter updates of stored cases
 * (case_ref "U<r>-i"), the rest new cases (case_ref "I<r>-i"). */
static int write_import(const char *path, int r, int rows, int *n_new, int *n_upd)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	*n_upd = rows / 4 < SEED ? rows / 4 : SEED; /* each stored case once */
	*n_new = rows - *n_upd;
	char line[1024], ref[64];
	fprintf(f, "%s\r\n", stress_csv_header);
	for (int i = 0; i < *n_upd; i++) {
		long k = SEED_K0 + ((long)(r + 2) * 389 + i) % SEED; /* r >= -1: distinct for i < SEED */
		snprintf(ref, sizeof ref, "U%d-%d", r, i);
		stress_case_line(k, ref, line, sizeof line);
		fprintf(f, "%s\r\n", line);
	}
	for (int i = 0; i < *n_new; i++) {
		snprintf(ref, sizeof ref, "I%d-%d", r, i);
		stress_case_line(next_new_k++, ref, line, sizeof line);
		fprintf(f, "%s\r\n", line);
	}
	return fclose(f);
}

/* ---- one run */

struct state {
	uint64_t rnd;
	/* The kill windows: the longest run of each kind seen to complete. */
	double import_est, burst_est;
	long imports, import_kills, import_committed, import_rolled_back, import_killed_committed;
	long bursts, burst_kills, unreported, missing;
	struct reports all; /* every decision reported, in every run */
	sigset_t mask;      /* the signal mask before SIGCHLD was blocked: the children's */
	char csv[4300];
};

/* An import (the binary) or a decision burst, killed after a random part of
 * its expected time (or fixed_window seconds when >= 0), then the checks. */
static int one_run(const struct config *cf, struct state *S, int run, bool is_import, double fixed_window)
{
	const char *csv = S->csv;
	gt_store *st = reopen();
	if (!st)
		return -1;
	struct counts before;
	count(st, run, &before);
	int64_t audit_max = stress_query_int(st, "SELECT coalesce(max(id), 0) FROM audit", -1);
	gt_store_close(st);
	int n_new = 0, n_upd = 0, fds[2] = { -1, -1 };
	if (is_import && write_import(csv, run, cf->rows, &n_new, &n_upd) != 0) {
		FAIL("writing %s: %s", csv, strerror(errno));
		return -1;
	}
	if (!is_import && pipe(fds) != 0) {
		perror("pipe");
		return -1;
	}
	double est = is_import ? S->import_est : S->burst_est;
	double window = fixed_window >= 0 ? fixed_window
					  : est * 1.25 * (double)stress_rand_below(&S->rnd, 10001) / 10000.0;
	fflush(NULL);
	double t0 = stress_now();
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return -1;
	}
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &S->mask, NULL);
		if (is_import)
			import_child(cf, csv);
		close(fds[0]);
		int status = decision_child(fds[1], cf->burst, cf->seed * 31u + (uint64_t)run);
		fflush(NULL);
		exit(status); /* everything is freed: LeakSanitizer checks the child too */
	}
	if (!is_import)
		close(fds[1]);
	bool killed = false;
	double took = 0;
	int status = run_until(pid, t0, window, &killed, &took);
	bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	if (!killed && !clean)
		FAIL("run %d: the %s ended with status %#x without being killed; see %s", run,
		     is_import ? "import" : "decision child", status, logpath);
	if (clean && took > est)
		*(is_import ? &S->import_est : &S->burst_est) = took;

	/* Read what the decision child reported before it died. */
	long first = S->all.n;
	if (!is_import) {
		struct report r;
		ssize_t got;
		while ((got = read(fds[0], &r, sizeof r)) == (ssize_t)sizeof r || (got < 0 && errno == EINTR))
			if (got > 0 && reports_add(&S->all, &r) != 0) {
				FAIL("out of memory");
				break;
			}
		if (got > 0)
			FAIL("run %d: a torn report of %zd bytes", run, got);
		close(fds[0]);
	}

	double t_check = stress_now();
	st = reopen();
	if (!st)
		return -1;
	file_ok(st, run);
	char result[96] = "";
	if (is_import) {
		if (run > 0) { /* run -1 is the calibration import */
			S->imports++;
			S->import_kills += killed;
		}
		struct counts after;
		count(st, run, &after);
		int rows = n_new + n_upd;
		bool none = after.cases == before.cases && after.refs_new == 0 && after.refs_upd == 0 &&
			    after.evals == before.evals && after.import_audit == before.import_audit;
		bool all_in = after.cases == before.cases + n_new && after.refs_new == n_new &&
			      after.refs_upd == n_upd && after.evals == before.evals + rows &&
			      after.import_audit == before.import_audit + rows;
		snprintf(result, sizeof result, "%s", all_in ? "committed" : none ? "rolled back" : "PARTIAL");
		if (all_in) {
			S->import_committed += run > 0;
			S->import_killed_committed += run > 0 && killed;
		}
		else if (none)
			S->import_rolled_back += run > 0;
		else
			FAIL("run %d: the import is neither all nor nothing: cases %lld -> %lld (file: %d new), "
			     "%lld/%d new and %lld/%d updated rows of the file in, evaluations +%lld, "
			     "import audit rows +%lld (file: %d rows)", run, (long long)before.cases,
			     (long long)after.cases, n_new, (long long)after.refs_new, n_new,
			     (long long)after.refs_upd, n_upd, (long long)(after.evals - before.evals),
			     (long long)(after.import_audit - before.import_audit), rows);
		if (clean && !all_in)
			FAIL("run %d: the import exited 0 but is not in the file", run);
	} else {
		if (run > 0) { /* run 0 is the calibration burst */
			S->bursts++;
			S->burst_kills += killed;
		}
		char when[64];
		snprintf(when, sizeof when, "run %d", run);
		long m = check_reports(st, S->all.v + first, S->all.n - first, when);
		S->missing += m > 0 ? m : 0;
		/* What the child committed beyond its reports: at most the
		 * change it was making when it was killed. */
		char sql[160];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE id > %lld AND actor = 'decider'",
			 (long long)audit_max);
		int64_t n = stress_query_int(st, sql, -1);
		int64_t extra = n - (S->all.n - first);
		if (extra < 0 || extra > 1 || (clean && extra != 0))
			FAIL("run %d: %lld changes by the decision child in the file, %ld reported", run,
			     (long long)n, S->all.n - first);
		else
			S->unreported += extra;
		snprintf(result, sizeof result, "%ld reported, %lld in the file", S->all.n - first, (long long)n);
	}
	gt_store_close(st);
	if (cf->verbose)
		printf("run %3d %-9s window %6.3f s, ran %6.3f s, %s: %s; checks %.3f s\n", run,
		       is_import ? "import" : "decisions", window > 1e8 ? -1.0 : window, took,
		       killed ? "killed" : "finished", result, stress_now() - t_check);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: stress_crash GUANTONG [--runs N] [--rows N] [--burst N] [--seed S] [--dir DIR] [--keep] [-v]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct config cf = { .runs = 100, .rows = 2000, .burst = 100, .seed = (uint64_t)time(NULL) };
	if (argc < 2 || argv[1][0] == '-')
		return usage();
	cf.binary = argv[1];
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--keep") == 0)
			cf.keep = true;
		else if (strcmp(a, "-v") == 0)
			cf.verbose = true;
		else if (!v)
			return usage();
		else if (strcmp(a, "--runs") == 0)
			cf.runs = atoi(v), i++;
		else if (strcmp(a, "--rows") == 0)
			cf.rows = atoi(v), i++;
		else if (strcmp(a, "--burst") == 0)
			cf.burst = atoi(v), i++;
		else if (strcmp(a, "--seed") == 0)
			cf.seed = strtoull(v, NULL, 10), i++;
		else if (strcmp(a, "--dir") == 0)
			cf.dir = v, i++;
		else
			return usage();
	}
	if (cf.runs < 1 || cf.rows < 4 || cf.burst < 1 || access(cf.binary, X_OK) != 0)
		return usage();
	if (stress_make_dir(cf.dir, dir, sizeof dir) != 0)
		return 1;
	snprintf(db, sizeof db, "%s/cases.db", dir);
	snprintf(logpath, sizeof logpath, "%s/children.log", dir);
	unlink(db);
	printf("stress_crash: %d runs (imports of %d rows through %s, bursts of up to %d decisions), seed %llu, %s\n",
	       cf.runs, cf.rows, cf.binary, cf.burst, (unsigned long long)cf.seed, db);
	if (setup(&cf) != 0)
		return 1;
	struct state S = {
		.rnd = cf.seed * 2654435761u + 17,

	};
	snprintf(S.csv, sizeof S.csv, "%s/import.csv", dir);
	/* Blocked so that run_until can wait for it (sigtimedwait). */
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &S.mask);
	double t_start = stress_now();
	/* Runs -1 and 0, an import and a burst left to finish, time the first
	 * kill windows. */
	for (int run = -1; run <= cf.runs; run++)
		if (one_run(&cf, &S, run, run == -1 || (run > 0 && run % 2 == 1), run <= 0 ? 1e9 : -1) != 0)
			break;
	double elapsed = stress_now() - t_start;

	/* Once more at the end: every decision ever reported, and the file. */
	gt_store *st = reopen();
	long final_missing = -1;
	bool final_ok = false;
	if (st) {
		final_missing = check_reports(st, S.all.v, S.all.n, "at the end");
		final_ok = file_ok(st, 0);
		printf("file: %lld cases, %lld evaluations, %lld decisions, %lld audit rows, %.1f MiB\n",
		       (long long)stress_query_int(st, "SELECT count(*) FROM cases", -1),
		       (long long)stress_query_int(st, "SELECT count(*) FROM evaluations", -1),
		       (long long)stress_query_int(st, "SELECT count(*) FROM decisions", -1),
		       (long long)stress_query_int(st, "SELECT count(*) FROM audit", -1),
		       (double)stress_query_int(st, "SELECT page_count * page_size FROM pragma_page_count(), "
						    "pragma_page_size()", 0) / 1048576.0);
		gt_store_close(st);
	}
	free(S.all.v);
	unlink(S.csv);

	printf("runs: %ld in %.1f s (%ld imports, %ld decision bursts); kills: %ld (%ld imports, %ld bursts; "
	       "the other runs finished before their kill time)\n", S.imports + S.bursts, elapsed, S.imports, S.bursts,
	       S.import_kills + S.burst_kills, S.import_kills, S.burst_kills);
	printf("imports: %ld committed whole (%ld of them killed after the commit), %ld rolled back whole, "
	       "%ld partial\n", S.import_committed, S.import_killed_committed, S.import_rolled_back,
	       S.imports - S.import_committed - S.import_rolled_back);
	printf("decisions: %ld reported committed, %ld missing after their run, %ld missing at the end; "
	       "%ld committed but killed before reporting\n", S.all.n, S.missing, final_missing, S.unreported);
	printf("integrity_check and foreign_key_check after every run and at the end: %s (%d failed)\n",
	       integrity_failures == 0 ? "ok" : "FAILED", integrity_failures);
	if (fail_count || !final_ok || final_missing != 0) {
		printf("stress_crash: FAILED (%d problems; files kept in %s)\n", fail_count, dir);
		return 1;
	}
	printf("stress_crash: passed\n");
	if (!cf.keep)
		stress_remove_dir(dir);
	return 0;
}
