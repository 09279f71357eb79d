/* gt_file: writing a user's file. Real files in a temporary directory:
 * what is refused (links, directories, special files, the database and its
 * companions by name and by inode), what is never replaced (an existing
 * file, one that appears while the data is written), what is left after an
 * error, an abort or a signal (nothing), and the mode (0600). */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <dirent.h>

#include "gt_file.h"

static char dir[512];

static void setup(void)
{
	snprintf(dir, sizeof dir, "%s/gt-file-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	cr_assert_not_null(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	umask(022);
}

static void teardown(void)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}

TestSuite(file, .init = setup, .fini = teardown, .timeout = 30);

static void in_dir(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", dir, name);
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
}

static const char *get(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* The names in dir, sorted, space-separated. */
static const char *listing(void)
{
	static char out[4096];
	struct dirent **list;
	int n = scandir(dir, &list, NULL, alphasort);
	cr_assert_geq(n, 0);
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (strcmp(list[i]->d_name, ".") != 0 && strcmp(list[i]->d_name, "..") != 0) {
			if (out[0])
				strcat(out, " ");
			strcat(out, list[i]->d_name);
		}
		free(list[i]);
	}
	free(list);
	return out;
}

static int write_file(const char *path, unsigned flags, const char *db, const char *text, char *err, size_t errsz)
{
	struct gt_file *f;
	int rc = gt_file_create(&f, path, flags, db, err, errsz);
	if (rc != GT_FILE_OK)
		return rc;
	if (flags & GT_FILE_PRIVATE_DIR) {
		/* As SQLite and libxlsxwriter do: by name, inside the private
		 * directory. */
		FILE *s = fopen(gt_file_work_path(f), "w");
		cr_assert_not_null(s);
		fputs(text, s);
		fclose(s);
	} else {
		FILE *s = gt_file_stream(f);
		cr_assert_not_null(s);
		fputs(text, s);
	}
	return gt_file_commit(&f, err, errsz);
}

Test(file, a_new_file_is_0600_and_complete)
{
	char path[600], err[1024];
	in_dir(path, sizeof path, "out.csv");
	cr_assert_eq(write_file(path, 0, NULL, "a,b\r\n", err, sizeof err), GT_FILE_OK, "%s", err);
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	cr_expect_eq(st.st_mode & 0777, 0600, "mode %o under umask 022", st.st_mode & 0777);
	cr_expect_str_eq(get(path), "a,b\r\n");
	cr_expect_str_eq(listing(), "out.csv", "no temporary file is left");
	cr_expect(gt_file_none_pending());
}

Test(file, an_existing_file_is_replaced_only_when_asked)
{
	char path[600], err[1024];
	in_dir(path, sizeof path, "out.csv");
	put(path, "earlier");
	cr_expect_eq(write_file(path, 0, NULL, "new", err, sizeof err), GT_FILE_EXISTS);
	cr_expect(strstr(err, "exists"), "%s", err);
	cr_expect_str_eq(get(path), "earlier");
	cr_expect_str_eq(listing(), "out.csv");
	cr_expect_eq(write_file(path, GT_FILE_REPLACE, NULL, "new", err, sizeof err), GT_FILE_OK, "%s", err);
	cr_expect_str_eq(get(path), "new");
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	cr_expect_eq(st.st_mode & 0777, 0600);
}

/* A file that appears while the data is written is not replaced: the
 * commit is a link(2), which fails on an existing name. */
Test(file, a_file_that_appears_meanwhile_is_kept)
{
	char path[600], err[1024];
	in_dir(path, sizeof path, "out.csv");
	struct gt_file *f;
	cr_assert_eq(gt_file_create(&f, path, 0, NULL, err, sizeof err), GT_FILE_OK, "%s", err);
	fputs("ours", gt_file_stream(f));
	put(path, "theirs");
	cr_expect_eq(gt_file_commit(&f, err, sizeof err), GT_FILE_EXISTS);
	cr_expect_null(f);
	cr_expect_str_eq(get(path), "theirs");
	cr_expect_str_eq(listing(), "out.csv", "the temporary file was removed");
}

Test(file, links_directories_and_special_files_are_refused)
{
	char path[600], victim[600], err[1024];
	in_dir(victim, sizeof victim, "victim");
	put(victim, "precious");
	in_dir(path, sizeof path, "link.csv");
	cr_assert_eq(symlink(victim, path), 0);
	for (unsigned fl = 0; fl <= GT_FILE_REPLACE; fl += GT_FILE_REPLACE) {
		cr_expect_eq(write_file(path, fl, NULL, "x", err, sizeof err), GT_FILE_REFUSED);
		cr_expect(strstr(err, "symbolic link"), "%s", err);
	}
	/* A dangling link too: it would create its target. */
	char dangling[600], nowhere[600];
	in_dir(dangling, sizeof dangling, "dangling.csv");
	in_dir(nowhere, sizeof nowhere, "nowhere");
	cr_assert_eq(symlink(nowhere, dangling), 0);
	cr_expect_eq(write_file(dangling, 0, NULL, "x", err, sizeof err), GT_FILE_REFUSED);
	cr_expect_eq(access(nowhere, F_OK), -1);

	char fifo[600], sub[600];
	in_dir(fifo, sizeof fifo, "fifo.csv");
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	cr_expect_eq(write_file(fifo, GT_FILE_REPLACE, NULL, "x", err, sizeof err), GT_FILE_REFUSED);
	cr_expect(strstr(err, "FIFO"), "%s", err);
	in_dir(sub, sizeof sub, "sub.csv");
	cr_assert_eq(mkdir(sub, 0700), 0);
	cr_expect_eq(write_file(sub, GT_FILE_REPLACE, NULL, "x", err, sizeof err), GT_FILE_REFUSED);
	cr_expect(strstr(err, "directory"), "%s", err);
	cr_expect_eq(write_file("/dev/null", GT_FILE_REPLACE, NULL, "x", err, sizeof err), GT_FILE_REFUSED);
	cr_expect(strstr(err, "device"), "%s", err);

	cr_expect_str_eq(get(victim), "precious");
	struct stat st;
	cr_expect(lstat(path, &st) == 0 && S_ISLNK(st.st_mode));
	cr_expect(lstat(fifo, &st) == 0 && S_ISFIFO(st.st_mode));
	cr_expect(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode));
	cr_expect_str_eq(listing(), "dangling.csv fifo.csv link.csv sub.csv victim");
}

/* The database and its companions, by name (also those that do not exist
 * now, and through another spelling of the directory) and by inode (a hard
 * link). */
Test(file, the_database_and_its_companions_are_refused)
{
	char db[600], path[700], err[1024];
	in_dir(db, sizeof db, "cases.db");
	put(db, "SQLite format 3");
	static const char *const names[] = { "cases.db", "cases.db-wal", "cases.db-shm", "cases.db-journal",
					     "./cases.db", "../" };
	const char *base = strrchr(dir, '/') + 1;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(names[i], "../") == 0) /* another spelling of the directory */
			snprintf(path, sizeof path, "%s/../%.100s/cases.db-wal", dir, base);
		else
			snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		cr_expect_eq(write_file(path, GT_FILE_REPLACE, db, "x", err, sizeof err), GT_FILE_REFUSED, "%s", path);
		cr_expect(strstr(err, "database"), "%s", err);
	}
	in_dir(path, sizeof path, "other-name.csv");
	cr_assert_eq(link(db, path), 0);
	cr_expect_eq(write_file(path, GT_FILE_REPLACE, db, "x", err, sizeof err), GT_FILE_REFUSED);
	cr_expect_str_eq(get(db), "SQLite format 3");
	cr_expect_str_eq(listing(), "cases.db other-name.csv");
}

Test(file, a_leading_tilde_is_the_home_directory)
{
	char out[600];
	setenv("HOME", dir, 1);
	cr_assert_eq(gt_file_expand("~/x.csv", out, sizeof out), 0);
	char want[600];
	in_dir(want, sizeof want, "x.csv");
	cr_expect_str_eq(out, want);
	cr_assert_eq(gt_file_expand("~", out, sizeof out), 0);
	cr_expect_str_eq(out, dir);
	cr_assert_eq(gt_file_expand("a/~/b", out, sizeof out), 0);
	cr_expect_str_eq(out, "a/~/b");
	cr_assert_eq(gt_file_expand("~root/x", out, sizeof out), 0);
	cr_expect(strcmp(out, "~root/x") != 0 && strstr(out, "/x"), "%s", out);
	cr_expect_eq(gt_file_expand("~no-such-user-gt/x", out, sizeof out), -1);
	char err[1024];
	cr_expect_eq(write_file("~/t.csv", 0, NULL, "t", err, sizeof err), GT_FILE_OK, "%s", err);
	in_dir(want, sizeof want, "t.csv");
	cr_expect_str_eq(get(want), "t");
}

/* An abort, and every error, leave nothing; the private directory is 0700
 * while it exists. */
Test(file, an_abort_leaves_nothing)
{
	char path[600], err[1024];
	in_dir(path, sizeof path, "out.xlsx");
	struct gt_file *f;
	cr_assert_eq(gt_file_create(&f, path, GT_FILE_PRIVATE_DIR, NULL, err, sizeof err), GT_FILE_OK, "%s", err);
	struct stat st;
	cr_assert_eq(stat(gt_file_private_dir(f), &st), 0);
	cr_expect_eq(st.st_mode & 0777, 0700);
	cr_assert_eq(lstat(gt_file_work_path(f), &st), 0);
	cr_expect_eq(st.st_mode & 0777, 0600);
	char journal[1200];
	snprintf(journal, sizeof journal, "%s-journal", gt_file_work_path(f));
	put(journal, "j"); /* as SQLite would leave it */
	gt_file_abort(&f);
	cr_expect_null(f);
	cr_expect_str_eq(listing(), "");
	cr_expect(gt_file_none_pending());

	in_dir(path, sizeof path, "out.csv");
	cr_assert_eq(gt_file_create(&f, path, 0, NULL, err, sizeof err), GT_FILE_OK, "%s", err);
	gt_file_abort(&f);
	cr_expect_str_eq(listing(), "");
}

/* A planted TARGET.part (a link, or a world-writable file) is never used. */
Test(file, a_planted_part_file_is_not_used)
{
	char path[600], part[700], victim[600], err[1024];
	in_dir(path, sizeof path, "copy.db");
	in_dir(victim, sizeof victim, "victim");
	put(victim, "precious");
	snprintf(part, sizeof part, "%s.part", path);
	cr_assert_eq(symlink(victim, part), 0);
	cr_expect_eq(write_file(path, GT_FILE_PRIVATE_DIR, NULL, "", err, sizeof err), GT_FILE_OK, "%s", err);
	cr_expect_str_eq(get(victim), "precious");
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	cr_expect_eq(st.st_mode & 0777, 0600);
}

/* SIGTERM while a file is being written: the handler removes the temporary
 * file and the process dies of the signal, as it would have without it. */
Test(file, a_signal_removes_the_temporary_file)
{
	int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	for (int k = 0; k < 3; k++) {
		for (unsigned fl = 0; fl <= GT_FILE_PRIVATE_DIR; fl += GT_FILE_PRIVATE_DIR) {
			int pipefd[2];
			cr_assert_eq(pipe(pipefd), 0);
			pid_t pid = fork();
			cr_assert_geq(pid, 0);
			if (pid == 0) {
				signal(sigs[k], SIG_DFL);
				char path[600], err[1024];
				in_dir(path, sizeof path, "out.csv");
				struct gt_file *f;
				if (gt_file_create(&f, path, fl, NULL, err, sizeof err) != GT_FILE_OK)
					_exit(3);
				if (f && gt_file_stream(f))
					fputs("data", gt_file_stream(f));
				if (write(pipefd[1], "x", 1) != 1)
					_exit(4);
				pause();
				_exit(5);
			}
			char c;
			close(pipefd[1]);
			cr_assert_eq(read(pipefd[0], &c, 1), 1);
			close(pipefd[0]);
			cr_expect_neq(listing()[0], '\0', "the temporary file exists while writing");
			kill(pid, sigs[k]);
			int status;
			waitpid(pid, &status, 0);
			cr_expect(WIFSIGNALED(status) && WTERMSIG(status) == sigs[k], "status %#x", status);
			cr_expect_str_eq(listing(), "", "signal %d, flags %u: left %s", sigs[k], fl, listing());
		}
	}
}

/* SIGKILL cannot be caught: the temporary file (0600) stays, under a name
 * of its own, and the next write of the same target does not trip over it. */
Test(file, after_sigkill_the_next_write_succeeds)
{
	int pipefd[2];
	cr_assert_eq(pipe(pipefd), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	char path[600], err[1024];
	in_dir(path, sizeof path, "out.csv");
	if (pid == 0) {
		struct gt_file *f;
		if (gt_file_create(&f, path, 0, NULL, err, sizeof err) != GT_FILE_OK)
			_exit(3);
		fputs("data", gt_file_stream(f));
		if (write(pipefd[1], "x", 1) != 1)
			_exit(4);
		pause();
		_exit(5);
	}
	char c;
	close(pipefd[1]);
	cr_assert_eq(read(pipefd[0], &c, 1), 1);
	close(pipefd[0]);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	const char *left = listing();
	cr_expect(strncmp(left, "out.csv.part-", 13) == 0, "%s", left);
	char leftover[700];
	in_dir(leftover, sizeof leftover, left);
	struct stat st;
	cr_assert_eq(stat(leftover, &st), 0);
	cr_expect_eq(st.st_mode & 0777, 0600);
	cr_expect_eq(write_file(path, 0, NULL, "again", err, sizeof err), GT_FILE_OK, "%s", err);
	cr_expect_str_eq(get(path), "again");
	cr_expect_eq(stat(leftover, &st), 0, "another run's leftover is not ours to delete");
}

/* The log: appended to, created 0600, never through a link or into a FIFO
 * or the database. */
Test(file, a_log_is_created_0600_and_never_through_a_link)
{
	char path[600], victim[600], db[600];
	in_dir(path, sizeof path, "plans.log");
	in_dir(victim, sizeof victim, "victim");
	in_dir(db, sizeof db, "cases.db");
	put(victim, "precious");
	put(db, "SQLite format 3");
	cr_assert_eq(symlink(victim, path), 0);
	cr_expect_null(gt_file_append(path, db));
	cr_expect_str_eq(get(victim), "precious");
	unlink(path);
	cr_assert_eq(mkfifo(path, 0600), 0);
	cr_expect_null(gt_file_append(path, db));
	unlink(path);
	cr_expect_null(gt_file_append(db, db));
	FILE *f = gt_file_append(path, db);
	cr_assert_not_null(f);
	fputs("one\n", f);
	fclose(f);
	f = gt_file_append(path, db);
	cr_assert_not_null(f);
	fputs("two\n", f);
	fclose(f);
	cr_expect_str_eq(get(path), "one\ntwo\n");
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	cr_expect_eq(st.st_mode & 0777, 0600);
}

/* What gt_file_scratch_named hands its use(): checked there, and the
 * result use() should return. */
struct named_seen {
	int result, err;
	bool called;
	mode_t dir_mode, file_mode;
	bool same_file;   /* name and fd are the one file */
	bool link_refused; /* a link could not be planted beside it */
};

static int named_use(const char *name, int fd, void *arg)
{
	struct named_seen *s = arg;
	s->called = true;
	struct stat byname, byfd, pd;
	char parent[600];
	snprintf(parent, sizeof parent, "%s", name);
	*strrchr(parent, '/') = '\0';
	if (stat(parent, &pd) == 0)
		s->dir_mode = pd.st_mode & 07777;
	if (stat(name, &byname) == 0 && fstat(fd, &byfd) == 0) {
		s->file_mode = byname.st_mode & 07777;
		s->same_file = byname.st_dev == byfd.st_dev && byname.st_ino == byfd.st_ino;
	}
	/* Another user could not, the owner could: make sure the directory is
	 * one nobody but its owner writes (mode 0700, checked above), and that
	 * the clean-up removes what the library adds beside the file. */
	char journal[620];
	snprintf(journal, sizeof journal, "%s-journal", name);
	int j = open(journal, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (j >= 0)
		close(j);
	s->link_refused = symlink("/etc/passwd", name) != 0 && errno == EEXIST;
	errno = s->err;
	return s->result;
}

Test(file, a_named_scratch_is_private_and_removed)
{
	struct named_seen s = { .result = 0 };
	cr_assert_eq(gt_file_scratch_named(dir, "test-", named_use, &s), 0, "%s", strerror(errno));
	cr_expect(s.called);
	cr_expect_eq(s.dir_mode, 0700, "the scratch directory is %o", (unsigned)s.dir_mode);
	cr_expect_eq(s.file_mode, 0600, "the scratch file is %o", (unsigned)s.file_mode);
	cr_expect(s.same_file, "the name and the descriptor are not the same file");
	cr_expect(s.link_refused);
	cr_expect_str_eq(listing(), "", "left behind: %s", listing());

	/* use() failing: its errno, and nothing left either. */
	struct named_seen f = { .result = -1, .err = EIO };
	cr_expect_eq(gt_file_scratch_named(dir, "test-", named_use, &f), -1);
	cr_expect_eq(errno, EIO, "errno %d", errno);
	cr_expect_str_eq(listing(), "", "left behind after a failure: %s", listing());
}
