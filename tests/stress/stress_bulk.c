/* Kill stress of an import into an empty store (issue 14): the import that
 * runs with a rollback journal instead of the WAL (gt_store_journal_alone,
 * store/gt_store.c), killed with SIGKILL at a random moment, over and over.
 *
 * Each run starts from the same empty store (a copy of the file as it was
 * made), runs the real binary, `guantong import --db FILE CSV`, on a file
 * of new cases, and kills it at a random moment between its start and the
 * length of a whole import. Afterwards the file must open (the journal the
 * kill left played back), be in WAL mode again, pass integrity_check and
 * foreign_key_check, and hold either every row of the file (schema, tables
 * and their counts as a finished import leaves them) or the store exactly
 * as it was (the same schema, every table's count, the same audit rows):
 * all or nothing. The directory must hold nothing new but, after a kill,
 * the scratch database of the terms' merge (.guantong-terms-*, made by
 * name and unlinked within the same millisecond, store/gt_keys.c), which
 * is counted and removed. At least one kill must have left the journal of
 * the new mode behind, or the runs did not test it (more runs are made, up
 * to four times those asked for, while none has; with the store's 64 MiB page
 * cache the file itself is written only at the commit: a kill then leaves
 * the hot journal, which the next open plays back).
 *
 * Usage: stress_bulk GUANTONG [--runs N] [--rows N] [--seed S] [--dir DIR] [--keep]
 * (defaults: 30 runs of 2,000 rows). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "stress_common.h"

static char dir[4096], db[4200], csv[4200], logpath[4300];
static const char *binary;
static int fail_count;

#define FAIL(...) do { fail_count++; if (fail_count <= 30) { fprintf(stderr, "FAIL: " __VA_ARGS__); fputc('\n', stderr); } } while (0)

/* The files beside the store: s is "-journal", "-wal" or "-shm". */
static void side_path(char *out, size_t size, const char *s)
{
	snprintf(out, size, "%s%s", db, s);
}

/* A journal beside the store that SQLite would play back: one that begins
 * with its magic number. A kill before the journal's first sync leaves one
 * whose header is still zeros (pager.c writes the magic only once the
 * records are on the disk, and the database file is not written before):
 * SQLite leaves it where it is and ignores it. */
static bool journal_is_hot(void)
{
	static const unsigned char magic[8] = { 0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7 };
	char p[4300];
	side_path(p, sizeof p, "-journal");
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	unsigned char head[8];
	bool hot = read(fd, head, sizeof head) == (ssize_t)sizeof head && memcmp(head, magic, sizeof magic) == 0;
	close(fd);
	return hot;
}

/* The whole of a file this program made, or NULL. */
static char *slurp(const char *path, size_t *n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	char *p = malloc((size_t)sb.st_size + 1);
	ssize_t got = p ? read(fd, p, (size_t)sb.st_size) : -1;
	close(fd);
	if (got != sb.st_size) {
		free(p);
		return NULL;
	}
	*n = (size_t)sb.st_size;
	return p;
}

/* The empty store again: its file as it was made, nothing beside it. */
static int restore(const char *bytes, size_t n)
{
	const char *side[] = { "-journal", "-wal", "-shm" };
	for (int i = 0; i < 3; i++) {
		char p[4300];
		side_path(p, sizeof p, side[i]);
		unlink(p);
	}
	int fd = open(db, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t w = write(fd, bytes, n);
	close(fd);
	return w == (ssize_t)n ? 0 : -1;
}

/* What must be the same in two states of the store: its schema (a bulk load
 * drops indexes and triggers and makes them again), every table's count and
 * the audit's last row. */
static char *fingerprint(gt_store *st)
{
	sqlite3 *q = gt_store_db(st);
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(q, "SELECT type, name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name", -1,
			       &s, NULL) != SQLITE_OK)
		return NULL;
	size_t cap = 1 << 16, len = 0;
	char *out = malloc(cap);
	while (out && sqlite3_step(s) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(s, 0), *name = (const char *)sqlite3_column_text(s, 1);
		const char *sql = (const char *)sqlite3_column_text(s, 2);
		long long n = -1;
		if (strcmp(type, "table") == 0) {
			char *c = sqlite3_mprintf("SELECT count(*) FROM \"%w\"", name);
			n = c ? stress_query_int(st, c, -2) : -3;
			sqlite3_free(c);
		}
		size_t need = strlen(type) + strlen(name) + strlen(sql) + 64;
		if (len + need > cap) {
			char *p = realloc(out, cap = 2 * cap + need);
			if (!p) {
				free(out);
				out = NULL;
				break;
			}
			out = p;
		}
		len += (size_t)snprintf(out + len, cap - len, "%s %s %lld %s\n", type, name, n, sql);
	}
	sqlite3_finalize(s);
	if (out) {
		char tail[64];
		snprintf(tail, sizeof tail, "audit max %lld\n",
			 (long long)stress_query_int(st, "SELECT max(id) FROM audit", -1));
		char *p = realloc(out, len + sizeof tail);
		if (p)
			strcpy(p + len, tail);
		else
			free(out);
		out = p;
	}
	return out;
}

/* Opens the store as the next clerk would (the journal played back), checks
 * it and returns its fingerprint, or NULL. */
static char *check_file(int run)
{
	gt_store *st;
	char err[1024];
	if (gt_store_open_as(&st, db, 0, "clerk", err, sizeof err) != GT_OK) {
		FAIL("run %d: the file does not open after the kill: %s", run, err);
		return NULL;
	}
	char *fp = NULL;
	long long wal = stress_query_int(st, "SELECT journal_mode = 'wal' FROM pragma_journal_mode", -1);
	if (wal != 1)
		FAIL("run %d: the store is not in WAL mode once opened again", run);
	if (journal_is_hot())
		FAIL("run %d: a hot journal is left beside the store once opened again", run);
	if (!stress_integrity_ok(st))
		FAIL("run %d: PRAGMA integrity_check is not ok", run);
	long fk = stress_fk_violations(st);
	if (fk != 0)
		FAIL("run %d: PRAGMA foreign_key_check: %ld rows", run, fk);
	if (!(fp = fingerprint(st)))
		FAIL("run %d: reading the store: %s", run, sqlite3_errmsg(gt_store_db(st)));
	gt_store_close(st);
	return fp;
}

/* The names in the directory besides the store's files, the CSV and the
 * log: a scratch database left by a kill (killed) is counted in *scratch
 * and removed; anything else fails the run. */
static void check_dir(int run, bool killed, long *scratch)
{
	static const char *const ours[] = { ".", "..", "cases.db", "cases.db-journal", "cases.db-wal", "cases.db-shm",
					    "import.csv", "children.log" };
	DIR *d = opendir(dir);
	if (!d) {
		FAIL("run %d: %s: %s", run, dir, strerror(errno));
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		bool known = false;
		for (size_t i = 0; i < sizeof ours / sizeof ours[0] && !known; i++)
			known = strcmp(e->d_name, ours[i]) == 0;
		if (known)
			continue;
		if (killed && strncmp(e->d_name, ".guantong-terms-", 16) == 0) {
			/* the scratch directory, with at most its database */
			char p[4400], f[4410];
			snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
			snprintf(f, sizeof f, "%s/db", p);
			unlink(f);
			if (rmdir(p) != 0)
				FAIL("run %d: %s holds more than its database: %s", run, e->d_name, strerror(errno));
			++*scratch;
			continue;
		}
		FAIL("run %d (%s): the directory holds %s", run, killed ? "killed" : "finished", e->d_name);
	}
	closedir(d);
}

/* Runs the import; kills it after `delay` seconds unless it ended. Returns
 * the wait status; *took: its time when it ended by itself. */
static int run_import(double delay, bool *killed, double *took)
{
	fflush(NULL);
	double t0 = stress_now();
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		execl(binary, binary, "import", "--db", db, "--as-of", "2024-06-30", csv,
		      (char *)NULL);
		_exit(127);
	}
	int status = 0;
	/* Until the kill time, looking every 5 ms: an import that ended
	 * earlier is waited for then. */
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid) {
			*killed = false;
			*took = stress_now() - t0;
			return status;
		}
		if (stress_now() - t0 >= delay)
			break;
		stress_sleep_us(5000);
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	*killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
	*took = stress_now() - t0;
	return status;
}

static int usage(void)
{
	fprintf(stderr, "usage: stress_bulk GUANTONG [--runs N] [--rows N] [--seed S] [--dir DIR] [--keep]\n");
	return 2;
}

int main(int argc, char **argv)
{
	int runs = 30, rows = 2000;
	uint64_t seed = (uint64_t)time(NULL);
	const char *given = NULL;
	bool keep = false;
	if (argc < 2 || argv[1][0] == '-' || access(argv[1], X_OK) != 0)
		return usage();
	binary = argv[1];
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--keep") == 0)
			keep = true;
		else if (!v)
			return usage();
		else if (strcmp(a, "--runs") == 0)
			runs = atoi(v), i++;
		else if (strcmp(a, "--rows") == 0)
			rows = atoi(v), i++;
		else if (strcmp(a, "--seed") == 0)
			seed = strtoull(v, NULL, 10), i++;
		else if (strcmp(a, "--dir") == 0)
			given = v, i++;
		else
			return usage();
	}
	if (runs < 1 || rows < 1 || stress_make_dir(given, dir, sizeof dir) != 0)
		return usage();
	snprintf(db, sizeof db, "%s/cases.db", dir);
	snprintf(csv, sizeof csv, "%s/import.csv", dir);
	snprintf(logpath, sizeof logpath, "%s/children.log", dir);
	printf("stress_bulk: %d runs, imports of %d new cases into an empty store killed at random, seed %llu, %s\n",
	       runs, rows, (unsigned long long)seed, db);

	/* The empty store, made by the OS account the binary runs as (its
	 * administrator), closed: its file alone. */
	gt_store *st;
	char err[1024];
	if (gt_store_open(&st, db, GT_OPEN_CREATE, err, sizeof err) != GT_OK) {
		fprintf(stderr, "stress_bulk: %s\n", err);
		return 1;
	}
	gt_store_close(st);
	size_t n = 0;
	char *empty = slurp(db, &n);
	char *before = check_file(0);
	if (!empty || !before || stress_write_csv(csv, 500000, rows, "B-") != 0) {
		fprintf(stderr, "stress_bulk: setting up failed\n");
		return 1;
	}

	/* Run 0: a whole import, which gives the file as an import leaves it and
	 * the kill window (the longest whole import seen). */
	bool killed;
	double took, window = 0;
	int status = run_import(1e9, &killed, &took);
	char *after = WIFEXITED(status) && WEXITSTATUS(status) == 0 ? check_file(0) : NULL;
	if (!after) {
		fprintf(stderr, "stress_bulk: the whole import failed (status %#x); see %s\n", status, logpath);
		return 1;
	}
	window = took;
	uint64_t rnd = seed * 2654435761u + 7;
	long kills = 0, during = 0, hot = 0, committed = 0, rolled_back = 0, scratch = 0;
	check_dir(0, false, &scratch);
	double t_start = stress_now();
	/* Past the runs asked for, a few more (up to as many again, three
	 * times) while no kill has yet landed in the import's rollback mode. */
	int last = runs;
	for (int run = 1; run <= last && fail_count == 0; run++) {
		if (restore(empty, n) != 0) {
			FAIL("run %d: restoring the empty store: %s", run, strerror(errno));
			break;
		}
		/* In the last two thirds of an import: the first third is mostly
		 * the process starting and the store opening. */
		double delay = window * (0.33 + 0.67 * (double)stress_rand_below(&rnd, 1000) / 1000.0);
		status = run_import(delay, &killed, &took);
		char jp[4300];
		side_path(jp, sizeof jp, "-journal");
		bool in_mode = killed && access(jp, F_OK) == 0, left_journal = killed && journal_is_hot();
		char *now = check_file(run);
		check_dir(run, killed, &scratch);
		if (!killed && (!WIFEXITED(status) || WEXITSTATUS(status) != 0))
			FAIL("run %d: the import ended with status %#x without being killed; see %s", run, status, logpath);
		/* The window follows the latest whole import, down as well as up:
		 * kept at the longest, one slow import (the first, on a machine
		 * busy with other tests) left every later kill after the end
		 * (10 sanitized runs, no kill at all, in a CI run). */
		if (!killed)
			window = took;
		kills += killed;
		hot += left_journal;
		during += in_mode;
		if (now && strcmp(now, after) == 0)
			committed++;
		else if (now && killed && strcmp(now, before) == 0)
			rolled_back++;
		else if (now)
			FAIL("run %d (%s at %.3f s%s): the store is neither as before nor as a whole import leaves it",
			     run, killed ? "killed" : "finished", took, left_journal ? ", journal left" : "");
		free(now);
		if (run == last && during == 0 && last < 4 * runs)
			last += runs;
	}
	double elapsed = stress_now() - t_start;
	printf("runs: %d in %.1f s; kills: %ld, %ld of them in rollback mode "
	       "(a journal beside the store), %ld in its commit (the journal hot); %ld stores as a whole import leaves "
	       "them, %ld as before; %ld scratch databases left by a kill\n", last, elapsed, kills, during, hot,
	       committed, rolled_back, scratch);
	if (fail_count == 0 && during == 0)
		FAIL("no kill left a rollback journal: the runs did not test an import in that mode");
	free(empty);
	free(before);
	free(after);
	if (fail_count) {
		printf("stress_bulk: FAILED (%d problems; files kept in %s)\n", fail_count, dir);
		return 1;
	}
	printf("stress_bulk: passed\n");
	if (!keep)
		stress_remove_dir(dir);
	return 0;
}
