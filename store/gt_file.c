/* Writing a user's file safely (see gt_file.h). */
#define _GNU_SOURCE /* linkat's AT_SYMLINK_FOLLOW, O_NOFOLLOW, O_DIRECTORY */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "gt_file.h"
#include "gt_i18n.h"

#define GT_FILE_PATH_MAX 4352
#define WORK_MAX (2 * GT_FILE_PATH_MAX + 64)

struct gt_file {
	char target[GT_FILE_PATH_MAX]; /* expanded */
	char dir[GT_FILE_PATH_MAX];    /* the target's directory */
	char work[WORK_MAX];           /* the temporary file, or the file in the private directory */
	char priv[GT_FILE_PATH_MAX + 32]; /* the private directory ("" without one) */
	unsigned flags;
	int fd;                        /* the work file (-1 in private-directory mode) */
	int dfd;                       /* the private directory, held open (-1: none) */
	char base[NAME_MAX + 1];       /* the work file's name in it */
	char via_fd[64 + NAME_MAX + 2];  /* the work file through dfd: /proc/self/fd/N/NAME */
	char dir_via_fd[64];           /* the private directory through dfd */
	FILE *stream;
	int slot;                      /* in the cleanup list */
	dev_t dev;
	ino_t ino;
};

/* ---- the cleanup list, walked by the signal handler
 *
 * Each slot names what to remove: the temporary file, or the private
 * directory's files (the work file and the -journal, -wal and -shm SQLite
 * may leave beside it) and then the directory. The strings are written
 * before `used` is set, with the signals blocked; the handler only calls
 * unlink(2), rmdir(2), lseek(2), getdents64(2) (empty_private),
 * sigaction(2) and raise(3), which are async-signal-safe. */
#define SLOTS 4
static const char *const extra_suffix[] = { "-journal", "-wal", "-shm" };
#define NEXTRA (sizeof extra_suffix / sizeof extra_suffix[0])
static struct slot {
	volatile sig_atomic_t used;
	char work[WORK_MAX];
	int dfd;                               /* private directory: names relative to it */
	char extra[NEXTRA + 1][NAME_MAX + 16]; /* the work file, then its SQLite companions */
	char priv[GT_FILE_PATH_MAX + 32];
} slots[SLOTS];
static volatile sig_atomic_t interrupted; /* a signal removed the files */
static int nused;
static const int caught[] = { SIGINT, SIGTERM, SIGHUP };
#define NCAUGHT 3
static struct sigaction previous[NCAUGHT];

/* Removes every name in the private directory dfd. What is in it is ours:
 * the directory is 0700, made by us with mkdir's O_EXCL semantics, and
 * holds the work file, what SQLite may leave beside it, and libxlsxwriter's
 * temporary files (tmpdir), each of which exists from its open to its
 * unlink a moment later: a signal in between found the directory not empty,
 * and rmdir left it, with that file in it. Listed with the getdents64
 * system call into a buffer on the stack, since the signal handler calls
 * this (readdir is not async-signal-safe; a system call is); read again
 * from the start after each pass that removed something. */
static void empty_private(int dfd)
{
#ifdef SYS_getdents64
	for (int pass = 0; pass < 64; pass++) {
		_Alignas(8) char buf[2048];
		if (lseek(dfd, 0, SEEK_SET) != 0)
			return;
		long n = syscall(SYS_getdents64, dfd, buf, sizeof buf);
		bool removed = false;
		for (long at = 0; at < n;) {
			/* struct linux_dirent64: inode, offset, record length, type, name */
			unsigned short reclen;
			memcpy(&reclen, buf + at + 16, sizeof reclen);
			const char *name = buf + at + 19;
			if (reclen == 0)
				return;
			if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0 && unlinkat(dfd, name, 0) == 0)
				removed = true;
			at += reclen;
		}
		if (!removed)
			return;
	}
#else
	(void)dfd; /* the names the list holds only */
#endif
}

static void slot_clean(struct slot *s)
{
	if (!s->used)
		return;
	if (s->dfd >= 0) {
		for (size_t i = 0; i <= NEXTRA; i++)
			unlinkat(s->dfd, s->extra[i], 0);
		empty_private(s->dfd);
		rmdir(s->priv);
	} else {
		unlink(s->work);
	}
	s->used = 0;
}

static void on_signal(int sig, siginfo_t *info, void *ctx)
{
	int saved = errno;
	for (int i = 0; i < SLOTS; i++)
		slot_clean(&slots[i]);
	interrupted = 1;
	int k = 0;
	while (k < NCAUGHT && caught[k] != sig)
		k++;
	if (k == NCAUGHT) {
		errno = saved;
		return;
	}
	const struct sigaction *old = &previous[k];
	if ((old->sa_flags & SA_SIGINFO) && old->sa_sigaction) {
		/* The workstation's handler: it saves the draft and exits at
		 * its next key; the export sees `interrupted` and stops. */
		old->sa_sigaction(sig, info, ctx);
	} else if (old->sa_handler == SIG_DFL) {
		/* Die of the signal, as without us: it is blocked in here and
		 * arrives as soon as the handler returns. */
		sigaction(sig, old, NULL);
		raise(sig);
	} else if (old->sa_handler != SIG_IGN && !(old->sa_flags & SA_SIGINFO)) {
		old->sa_handler(sig);
	}
	errno = saved;
}

static void block_signals(sigset_t *old)
{
	sigset_t set;
	sigemptyset(&set);
	for (int k = 0; k < NCAUGHT; k++)
		sigaddset(&set, caught[k]);
	sigprocmask(SIG_BLOCK, &set, old);
}

/* Puts f's names in the list (installing the handler for the first one). */
static int slot_take(struct gt_file *f)
{
	sigset_t old;
	block_signals(&old);
	int i = 0;
	while (i < SLOTS && slots[i].used)
		i++;
	if (i == SLOTS) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		return -1;
	}
	struct slot *s = &slots[i];
	memcpy(s->work, f->work, sizeof s->work);
	memcpy(s->priv, f->priv, sizeof s->priv);
	s->dfd = f->dfd;
	snprintf(s->extra[0], sizeof s->extra[0], "%s", f->base);
	for (size_t k = 0; k < NEXTRA; k++)
		snprintf(s->extra[k + 1], sizeof s->extra[k + 1], "%s%s", f->base, extra_suffix[k]);
	if (nused++ == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = on_signal;
		sa.sa_flags = SA_SIGINFO;
		sigemptyset(&sa.sa_mask);
		for (int k = 0; k < NCAUGHT; k++) {
			sigaction(caught[k], NULL, &previous[k]);
			/* An ignored signal (nohup) stays ignored. */
			if (!(previous[k].sa_flags & SA_SIGINFO) && previous[k].sa_handler == SIG_IGN)
				continue;
			sigaction(caught[k], &sa, NULL);
		}
		interrupted = 0;
	}
	s->used = 1;
	f->slot = i;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return 0;
}

/* Takes f's names off the list (after they were removed or committed). */
static void slot_release(struct gt_file *f)
{
	if (f->slot < 0)
		return;
	sigset_t old;
	block_signals(&old);
	slots[f->slot].used = 0;
	f->slot = -1;
	if (--nused == 0)
		for (int k = 0; k < NCAUGHT; k++) {
			struct sigaction cur;
			sigaction(caught[k], NULL, &cur);
			if ((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == on_signal)
				sigaction(caught[k], &previous[k], NULL);
		}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* The one-file scratch of gt_file_scratch when O_TMPFILE is refused:
 * DIR/.guantong-XXXXXX, removed at once; its descriptor. */
static int scratch_unlinked(const char *dir)
{
	char name[GT_FILE_PATH_MAX + 64];
	if (snprintf(name, sizeof name, "%s/.guantong-XXXXXX", dir) >= (int)sizeof name) {
		errno = ENAMETOOLONG;
		return -1;
	}
	sigset_t old;
	block_signals(&old); /* the name lives from mkostemp to unlink: no signal between */
	int fd = mkostemp(name, O_CLOEXEC), e = errno;
	if (fd >= 0 && unlink(name) != 0) {
		e = errno;
		close(fd);
		fd = -1;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return fd;
}

int gt_file_scratch_named(const char *dir, const char *stem, int (*use)(const char *name, int fd, void *arg),
			  void *arg)
{
	char pdir[GT_FILE_PATH_MAX + 64], name[GT_FILE_PATH_MAX + 80];
	if (snprintf(pdir, sizeof pdir, "%s/.guantong-%sXXXXXX", dir, stem) >= (int)sizeof pdir) {
		errno = ENAMETOOLONG;
		return -1;
	}
	sigset_t old;
	block_signals(&old); /* the names live from mkdtemp to rmdir: no signal between */
	int rc = -1, e = 0, dfd = -1, fd = -1;
	struct stat ds;
	if (!mkdtemp(pdir)) { /* 0700: nobody else can put a file or a link in it */
		e = errno;
		goto out;
	}
	dfd = open(pdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0) {
		e = errno;
		rmdir(pdir); /* empty, just made */
		goto out;
	}
	if (fstat(dfd, &ds) != 0 || ds.st_uid != geteuid() || (ds.st_mode & 077)) {
		e = EPERM; /* not the directory made: left alone */
		goto out;
	}
	snprintf(name, sizeof name, "%s/db", pdir);
	if ((fd = openat(dfd, "db", O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0)
		e = errno;
	else if ((rc = use(name, fd, arg)) < 0)
		e = errno;
	/* What use() opened works on without the names (a SQLite database in
	 * journal_mode OFF makes no other file; a journal, were there one, is
	 * ours too: the directory is). */
	static const char *const made[] = { "db", "db-journal", "db-wal", "db-shm" };
	for (size_t i = 0; fd >= 0 && i < sizeof made / sizeof made[0]; i++)
		if (unlinkat(dfd, made[i], 0) != 0 && errno != ENOENT && rc >= 0) {
			e = errno;
			rc = -1;
		}
	struct stat now;
	if (stat(pdir, &now) == 0 && now.st_dev == ds.st_dev && now.st_ino == ds.st_ino && rmdir(pdir) != 0 && rc >= 0) {
		e = errno;
		rc = -1;
	}
out:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return rc;
}

int gt_file_scratch(const char *dir)
{
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd;
	return scratch_unlinked(dir);
}


bool gt_file_interrupted(void)
{
	return interrupted && nused > 0;
}

bool gt_file_none_pending(void)
{
	return nused == 0;
}

/* ---- names */

int gt_file_expand(const char *path, char *out, size_t size)
{
	int n;
	if (path[0] != '~') {
		n = snprintf(out, size, "%s", path);
		return n < 0 || (size_t)n >= size ? -1 : 0;
	}
	const char *rest = strchr(path, '/');
	size_t ulen = rest ? (size_t)(rest - path - 1) : strlen(path + 1);
	const char *home = NULL;
	if (ulen == 0) {
		home = getenv("HOME");
		if (!home || !*home) {
			struct passwd *pw = getpwuid(geteuid());
			home = pw ? pw->pw_dir : NULL;
		}
	} else {
		char user[256];
		if (ulen >= sizeof user)
			return -1;
		memcpy(user, path + 1, ulen);
		user[ulen] = '\0';
		struct passwd *pw = getpwnam(user);
		home = pw ? pw->pw_dir : NULL;
	}
	if (!home)
		return -1;
	n = snprintf(out, size, "%s%s", home, rest ? rest : "");
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* dir gets the directory part of path ("." when none), base points into path. */
static const char *split(const char *path, char *dir, size_t size)
{
	const char *slash = strrchr(path, '/');
	if (!slash) {
		snprintf(dir, size, ".");
		return path;
	}
	if (slash == path)
		snprintf(dir, size, "/");
	else
		snprintf(dir, size, "%.*s", (int)(slash - path), path);
	return slash + 1;
}

/* The path with its directory resolved (the last component as given):
 * two names of one place compare equal. */
static void canonical(const char *path, char *out, size_t size)
{
	char dir[GT_FILE_PATH_MAX], real[PATH_MAX];
	const char *base = split(path, dir, sizeof dir);
	int n = -1;
	if (realpath(dir, real))
		n = snprintf(out, size, "%s/%s", strcmp(real, "/") == 0 ? "" : real, base);
	if (n < 0 || (size_t)n >= size) /* unresolved, or too long to hold: as given */
		snprintf(out, size, "%s", path);
}

/* Whether target is the database db or one of its companion files: by
 * name (also a companion that does not exist now) and by device and inode
 * (a hard link, or the same file through a linked directory). */
static bool is_database(const char *target, const struct stat *tst, const char *db)
{
	if (!db || !*db)
		return false;
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	char ct[GT_FILE_PATH_MAX + 8], real[PATH_MAX];
	canonical(target, ct, sizeof ct);
	bool have_real = realpath(db, real) != NULL;
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		char name[GT_FILE_PATH_MAX + 16], cn[GT_FILE_PATH_MAX + 32];
		snprintf(name, sizeof name, "%s%s", db, suffix[i]);
		canonical(name, cn, sizeof cn);
		if (strcmp(ct, cn) == 0)
			return true;
		if (have_real) {
			snprintf(cn, sizeof cn, "%s%s", real, suffix[i]);
			if (strcmp(ct, cn) == 0)
				return true;
		}
		struct stat ds;
		if (tst && stat(name, &ds) == 0 && ds.st_dev == tst->st_dev && ds.st_ino == tst->st_ino)
			return true;
	}
	return false;
}

static const char *kind_of(mode_t m)
{
	return S_ISFIFO(m) ? _("a FIFO")
	       : S_ISCHR(m) || S_ISBLK(m) ? _("a device")
	       : S_ISSOCK(m) ? _("a socket")
			     : _("not a regular file");
}

/* The checks of gt_file_check on an expanded path. */
static int check_expanded(const char *target, unsigned flags, const char *db, char *err, size_t errsz)
{
	char dir[GT_FILE_PATH_MAX];
	const char *base = split(target, dir, sizeof dir);
	struct stat ds, st;
	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
		snprintf(err, errsz, _("%s is a directory; give a file name"), target);
		return GT_FILE_REFUSED;
	}
	if (stat(dir, &ds) != 0) {
		snprintf(err, errsz, _("%s: the directory %s: %s"), target, dir, strerror(errno));
		return GT_FILE_ERR;
	}
	if (!S_ISDIR(ds.st_mode)) {
		snprintf(err, errsz, _("%s: %s is not a directory"), target, dir);
		return GT_FILE_ERR;
	}
	bool exists = lstat(target, &st) == 0;
	if (!exists && errno != ENOENT) {
		snprintf(err, errsz, "%s: %s", target, strerror(errno));
		return GT_FILE_ERR;
	}
	if (is_database(target, exists ? &st : NULL, db)) {
		snprintf(err, errsz, _("%s is the database or one of its files; guantong never writes over it"),
			 target);
		return GT_FILE_REFUSED;
	}
	if (!exists)
		return GT_FILE_OK;
	if (S_ISLNK(st.st_mode)) {
		snprintf(err, errsz,
			 _("%s is a symbolic link; guantong does not write through one (give another name)"), target);
		return GT_FILE_REFUSED;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errsz, _("%s is a directory; give a file name"), target);
		return GT_FILE_REFUSED;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errsz, _("%s is %s; guantong writes only regular files"), target, kind_of(st.st_mode));
		return GT_FILE_REFUSED;
	}
	if (!(flags & GT_FILE_REPLACE)) {
		snprintf(err, errsz, _("%s exists and was not replaced"), target);
		return GT_FILE_EXISTS;
	}
	return GT_FILE_OK;
}

static int file_check(const char *path, unsigned flags, const char *db, char *err, size_t errsz)
{
	char target[GT_FILE_PATH_MAX];
	if (gt_file_expand(path, target, sizeof target) != 0) {
		snprintf(err, errsz, _("%s: cannot tell which file that is (an unknown user or a name too long)"),
			 path);
		return GT_FILE_ERR;
	}
	return check_expanded(target, flags, db, err, errsz);
}

/* ---- creating, committing, aborting */

static int io_error(const char *target, int e, char *err, size_t errsz)
{
	if (e == ENOSPC || e == EFBIG || e == EDQUOT) {
		snprintf(err, errsz,
			 _("writing %s: %s (the disk is full or the file size limit was reached); %s was not "
			   "written and nothing of it is left"),
			 target, strerror(e), target);
		return GT_FILE_FULL;
	}
	snprintf(err, errsz, _("writing %s: %s; %s was not written and nothing of it is left"), target,
		 strerror(e), target);
	return GT_FILE_ERR;
}

/* A name for the temporary file or directory: TARGET.part-XXXXXX. */
static void temp_name(const struct gt_file *f, char *out, size_t size)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	static unsigned long counter;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t x = (uint64_t)ts.tv_nsec * 2654435761u ^ (uint64_t)getpid() << 20 ^ ++counter * 40503u ^
		     (uint64_t)ts.tv_sec;
	char suffix[7];
	for (int i = 0; i < 6; i++) {
		suffix[i] = chars[x % 62];
		x /= 62;
		x ^= (uint64_t)ts.tv_nsec >> (i + 3);
	}
	suffix[6] = '\0';
	snprintf(out, size, "%s.part-%s", f->target, suffix);
}

static int file_create(struct gt_file **out, const char *path, unsigned flags, const char *db, char *err,
		   size_t errsz)
{
	*out = NULL;
	struct gt_file *f = calloc(1, sizeof *f);
	if (!f) {
		snprintf(err, errsz, "%s", strerror(ENOMEM));
		return GT_FILE_ERR;
	}
	f->fd = -1;
	f->dfd = -1;
	f->slot = -1;
	f->flags = flags;
	int rc;
	sigset_t mask;
	bool blocked = false;
	if (gt_file_expand(path, f->target, sizeof f->target) != 0 || strlen(f->target) > PATH_MAX - 32) {
		snprintf(err, errsz, _("%s: cannot tell which file that is (an unknown user or a name too long)"),
			 path);
		rc = GT_FILE_ERR;
		goto fail;
	}
	if ((rc = check_expanded(f->target, flags, db, err, errsz)) != GT_FILE_OK)
		goto fail;
	split(f->target, f->dir, sizeof f->dir);

	/* INT, TERM and HUP wait from before the temporary file or directory
	 * exists until it is in the cleanup list (slot_take): a signal in
	 * between would end the process with the file left behind. */
	block_signals(&mask);
	blocked = true;
	int e = 0;
	for (int tries = 0; tries < 100; tries++) {
		char name[GT_FILE_PATH_MAX + 32];
		temp_name(f, name, sizeof name);
		if (flags & GT_FILE_PRIVATE_DIR) {
			/* 0700, ours: nobody else can put anything in it. It is
			 * held open, and everything inside it is reached
			 * through that descriptor, so that even renaming the
			 * directory (in a directory others may write) does not
			 * redirect a write. */
			if (mkdir(name, 0700) != 0) {
				e = errno;
				if (e == EEXIST)
					continue;
				break;
			}
			f->dfd = open(name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			struct stat ds;
			if (f->dfd < 0 || fstat(f->dfd, &ds) != 0 || ds.st_uid != geteuid() || (ds.st_mode & 077)) {
				e = f->dfd < 0 ? errno : EPERM;
				if (f->dfd >= 0)
					close(f->dfd);
				f->dfd = -1;
				break; /* not the directory we made: leave it alone */
			}
			snprintf(f->priv, sizeof f->priv, "%s", name);
			const char *base = strrchr(f->target, '/');
			base = base ? base + 1 : f->target;
			if (strlen(base) >= sizeof f->base) {
				e = ENAMETOOLONG;
				close(f->dfd);
				f->dfd = -1;
				rmdir(name);
				f->priv[0] = '\0';
				break;
			}
			memcpy(f->base, base, strlen(base) + 1);
			snprintf(f->work, sizeof f->work, "%s/%s", name, f->base);
			/* The libraries get the names through the descriptor
			 * when /proc shows it (it does on Linux). */
			struct stat vs;
			snprintf(f->dir_via_fd, sizeof f->dir_via_fd, "/proc/self/fd/%d", f->dfd);
			if (stat(f->dir_via_fd, &vs) == 0 && vs.st_dev == ds.st_dev && vs.st_ino == ds.st_ino)
				snprintf(f->via_fd, sizeof f->via_fd, "%s/%s", f->dir_via_fd, f->base);
			else
				f->dir_via_fd[0] = '\0';
			f->fd = openat(f->dfd, f->base, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		} else {
			snprintf(f->work, sizeof f->work, "%s", name);
			/* Never an existing file, never through a link. */
			f->fd = open(f->work, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		}
		if (f->fd < 0) {
			e = errno;
			if (f->priv[0]) {
				close(f->dfd);
				f->dfd = -1;
				rmdir(f->priv);
				f->priv[0] = '\0';
			}
			if (e == EEXIST)
				continue;
			break;
		}
		e = 0;
		break;
	}
	if (f->fd < 0) {
		rc = io_error(f->target, e ? e : EEXIST, err, errsz);
		if (rc != GT_FILE_FULL)
			snprintf(err, errsz, _("%s: cannot create a file in %s: %s"), f->target, f->dir,
				 strerror(e ? e : EEXIST));
		goto fail;
	}
	struct stat st;
	if (fchmod(f->fd, 0600) != 0 || fstat(f->fd, &st) != 0) {
		rc = io_error(f->target, errno, err, errsz);
		goto fail_created;
	}
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	if (slot_take(f) != 0) {
		snprintf(err, errsz, _("%s: too many files being written at once"), f->target);
		rc = GT_FILE_ERR;
		goto fail_created;
	}
	if (f->priv[0]) {
		/* SQLite and libxlsxwriter open the work file themselves; an
		 * open descriptor of ours would drop SQLite's POSIX locks when
		 * closed. */
		close(f->fd);
		f->fd = -1;
	}
	sigprocmask(SIG_SETMASK, &mask, NULL);
	*out = f;
	return GT_FILE_OK;

fail_created:
	close(f->fd);
	f->fd = -1;
	if (f->dfd >= 0) {
		unlinkat(f->dfd, f->base, 0);
		close(f->dfd);
		rmdir(f->priv);
	} else {
		unlink(f->work);
	}
fail:
	if (blocked)
		sigprocmask(SIG_SETMASK, &mask, NULL);
	free(f);
	return rc;
}

const char *gt_file_target(const struct gt_file *f) { return f->target; }
const char *gt_file_work_path(const struct gt_file *f) { return f->work; }
const char *gt_file_private_dir(const struct gt_file *f) { return f->priv[0] ? f->priv : NULL; }
const char *gt_file_work_path_fd(const struct gt_file *f) { return f->via_fd[0] ? f->via_fd : f->work; }
const char *gt_file_private_dir_fd(const struct gt_file *f)
{
	return f->dir_via_fd[0] ? f->dir_via_fd : gt_file_private_dir(f);
}

FILE *gt_file_stream(struct gt_file *f)
{
	if (!f->stream && f->fd >= 0) {
		f->stream = fdopen(f->fd, "wb");
		if (f->stream)
			f->fd = -1; /* the stream owns it now */
	}
	return f->stream;
}

/* The private directory's files (the work file if still there, what SQLite
 * may leave beside it, and anything else in it: empty_private), then the
 * directory. */
static void remove_private(struct gt_file *f)
{
	unlinkat(f->dfd, f->base, 0);
	for (size_t i = 0; i < NEXTRA; i++) {
		char name[NAME_MAX + 16];
		snprintf(name, sizeof name, "%s%s", f->base, extra_suffix[i]);
		unlinkat(f->dfd, name, 0);
	}
	empty_private(f->dfd);
	rmdir(f->priv);
}

static void remove_work(struct gt_file *f)
{
	if (f->stream) {
		fclose(f->stream);
		f->stream = NULL;
	}
	if (f->fd >= 0) {
		close(f->fd);
		f->fd = -1;
	}
	/* A slot the signal handler emptied was removed already (and its
	 * name may since be someone else's). */
	if (f->slot >= 0 && slots[f->slot].used) {
		if (f->dfd >= 0)
			remove_private(f);
		else
			unlink(f->work);
	}
	slot_release(f);
	if (f->dfd >= 0) {
		close(f->dfd);
		f->dfd = -1;
	}
}

static void file_abort(struct gt_file **pf)
{
	struct gt_file *f = *pf;
	if (!f)
		return;
	remove_work(f);
	free(f);
	*pf = NULL;
}

static int interrupted_error(const struct gt_file *f, char *err, size_t errsz)
{
	snprintf(err, errsz, _("%s: interrupted; %s was not written and nothing of it is left"), f->target,
		 f->target);
	return GT_FILE_ERR;
}

int gt_file_sync(struct gt_file *f, char *err, size_t errsz)
{
	if (interrupted)
		return interrupted_error(f, err, errsz);
	if (f->stream) {
		if (fflush(f->stream) != 0 || ferror(f->stream))
			return io_error(f->target, errno ? errno : EIO, err, errsz);
		if (fsync(fileno(f->stream)) != 0)
			return io_error(f->target, errno, err, errsz);
		return GT_FILE_OK;
	}
	int fd = f->fd;
	if (fd < 0) {
		/* Private-directory mode: the work file was written by its
		 * library, which has closed it. Nobody else can have replaced
		 * it: the directory is ours and 0700. */
		fd = openat(f->dfd, f->base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return io_error(f->target, errno, err, errsz);
	}
	struct stat st;
	int rc = GT_FILE_OK;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid())
		rc = io_error(f->target, errno ? errno : EINVAL, err, errsz);
	else if (fchmod(fd, 0600) != 0 || fsync(fd) != 0)
		rc = io_error(f->target, errno, err, errsz);
	else {
		f->dev = st.st_dev;
		f->ino = st.st_ino;
	}
	if (fd != f->fd)
		close(fd);
	return rc;
}

/* Whether the work file's name still names the file we created. */
static bool work_is_ours(const struct gt_file *f)
{
	struct stat st;
	int r = f->dfd >= 0 ? fstatat(f->dfd, f->base, &st, AT_SYMLINK_NOFOLLOW) : lstat(f->work, &st);
	return r == 0 && S_ISREG(st.st_mode) && st.st_dev == f->dev && st.st_ino == f->ino;
}

static int file_commit(struct gt_file **pf, char *err, size_t errsz)
{
	struct gt_file *f = *pf;
	int rc = gt_file_sync(f, err, errsz);
	if (rc != GT_FILE_OK)
		goto out;
	if (f->stream) {
		int e = fclose(f->stream) != 0 ? errno : 0;
		f->stream = NULL;
		if (e) {
			rc = io_error(f->target, e, err, errsz);
			goto out;
		}
	} else if (f->fd >= 0) {
		int e = close(f->fd) != 0 ? errno : 0;
		f->fd = -1;
		if (e) {
			rc = io_error(f->target, e, err, errsz);
			goto out;
		}
	}
	if (interrupted) {
		rc = interrupted_error(f, err, errsz);
		goto out;
	}
	if (!work_is_ours(f)) {
		snprintf(err, errsz, _("%s: the temporary file %s was changed by someone else; %s was not written"),
			 f->target, f->work, f->target);
		rc = GT_FILE_ERR;
		goto out;
	}
	/* What is at the target now (it may have changed since the check). */
	if ((rc = check_expanded(f->target, f->flags, NULL, err, errsz)) != GT_FILE_OK)
		goto out;
	struct stat st;
	bool replacing = lstat(f->target, &st) == 0;
	if (!replacing) {
		/* link(2) never replaces: a file that appeared meanwhile stays. */
		if (linkat(f->dfd >= 0 ? f->dfd : AT_FDCWD, f->dfd >= 0 ? f->base : f->work, AT_FDCWD, f->target,
			   0) != 0) {
			int e = errno;
			if (e == EEXIST) {
				snprintf(err, errsz, _("%s exists and was not replaced"), f->target);
				rc = GT_FILE_EXISTS;
			} else {
				rc = io_error(f->target, e, err, errsz);
			}
			goto out;
		}
		if (f->dfd >= 0)
			unlinkat(f->dfd, f->base, 0);
		else
			unlink(f->work);
	} else if (renameat(f->dfd >= 0 ? f->dfd : AT_FDCWD, f->dfd >= 0 ? f->base : f->work, AT_FDCWD,
			    f->target) != 0) {
		rc = io_error(f->target, errno, err, errsz);
		goto out;
	}
	/* The new name must reach the disk too. */
	int dfd = open(f->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	if (f->dfd >= 0)
		remove_private(f);
	slot_release(f);
out:
	file_abort(pf); /* after a commit only frees; else removes the work file */
	return rc;
}

/* ---- logs */

static FILE *file_append(const char *path, const char *db)
{
	char target[GT_FILE_PATH_MAX], err[512];
	if (gt_file_expand(path, target, sizeof target) != 0)
		return NULL;
	int rc = check_expanded(target, GT_FILE_REPLACE, db, err, sizeof err);
	if (rc != GT_FILE_OK)
		return NULL;
	/* O_NONBLOCK: a FIFO put there since the check fails (ENXIO) instead
	 * of hanging the program. */
	int fd = open(target, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
	if (fd < 0)
		return NULL;
	fcntl(fd, F_SETFL, O_APPEND);
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || is_database(target, &st, db)) {
		close(fd);
		return NULL;
	}
	FILE *out = fdopen(fd, "a");
	if (!out)
		close(fd);
	return out;
}

/* ---- the user's rights, not the program's group

In the shared SQLite install (scripts/install-shared.sh) the program runs
setgid to the group that may open the database. A file made for the user
(an export, a reject file, a backup, a log) must get no more than the user's
own rights: every function here that creates, names or removes a file by
name runs with the effective group set back to the real one
(setegid(getgid())) and restores it afterwards (the saved set-group-ID
allows that). Without setgid the two are the same and nothing changes. */

static gid_t as_user(void)
{
	gid_t egid = getegid();
	if (egid != getgid() && setegid(getgid()) != 0)
		_exit(70); /* never write a user's file with the program's group */
	return egid;
}

static void as_program(gid_t egid)
{
	if (egid != getegid() && setegid(egid) != 0)
		_exit(70);
}

int gt_file_check(const char *path, unsigned flags, const char *db, char *err, size_t errsz)
{
	gid_t g = as_user();
	int rc = file_check(path, flags, db, err, errsz);
	as_program(g);
	return rc;
}

int gt_file_create(struct gt_file **out, const char *path, unsigned flags, const char *db, char *err,
		   size_t errsz)
{
	gid_t g = as_user();
	int rc = file_create(out, path, flags, db, err, errsz);
	as_program(g);
	return rc;
}

void gt_file_abort(struct gt_file **pf)
{
	gid_t g = as_user();
	file_abort(pf);
	as_program(g);
}

int gt_file_commit(struct gt_file **pf, char *err, size_t errsz)
{
	gid_t g = as_user();
	int rc = file_commit(pf, err, errsz);
	as_program(g);
	return rc;
}

FILE *gt_file_append(const char *path, const char *db)
{
	gid_t g = as_user();
	FILE *f = file_append(path, db);
	as_program(g);
	return f;
}
