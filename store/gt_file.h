/* Writing a user's file safely: every file guantong writes for a person
 * (exports, the import's reject file, backups) goes through here. The shape
 * is git's lockfile.c/tempfile.c: the data goes into a new file beside the
 * target, created with O_CREAT|O_EXCL|O_NOFOLLOW and mode 0600; it is
 * flushed, fsync'ed, and only then given the target's name, by link(2)
 * (which fails if the name appeared meanwhile) or, when replacing was asked
 * for, by rename(2). Until then a cleanup list, walked by an
 * async-signal-safe handler on SIGINT, SIGTERM and SIGHUP, removes the
 * temporary file; every error path removes it too. A file this module did
 * not create is never deleted, truncated or written.
 *
 * The target must not be a symbolic link, a directory, a FIFO, a device or
 * a socket, nor the database or its -wal, -shm or -journal file (by name and
 * by device and inode). */
#ifndef GT_FILE_H
#define GT_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum gt_file_rc {
	GT_FILE_OK = 0,
	GT_FILE_ERR = -1,     /* an I/O error (the message says which) */
	GT_FILE_EXISTS = -2,  /* a regular file is there and replacing was not asked for */
	GT_FILE_REFUSED = -3, /* not a file we may write: a link, a directory, a special file, the database */
	GT_FILE_FULL = -4,    /* no space, or the file size limit (ENOSPC, EFBIG, EDQUOT) */
};

enum gt_file_flags {
	GT_FILE_REPLACE = 1, /* an existing regular file may be replaced (--force, or confirmed) */
	/* The data is written by someone who opens it by name (SQLite,
	 * libxlsxwriter): the work file lives in a private directory (0700,
	 * mkdtemp) made in the target's directory, where nobody else can put a
	 * link or another file in its place. */
	GT_FILE_PRIVATE_DIR = 2,
};

struct gt_file;

/* A leading "~" or "~/" becomes the home directory ($HOME, else the
 * password entry), "~user/" that user's. Returns 0, or -1 when it does not
 * fit or the user is unknown. */
int gt_file_expand(const char *path, char *out, size_t size);

/* Whether path (expanded) may be written with these flags: GT_FILE_OK when
 * it is absent (and its directory exists) or, with GT_FILE_REPLACE, a
 * regular file. db: the open database (NULL: none). The message, in words
 * for people, goes to err. */
int gt_file_check(const char *path, unsigned flags, const char *db, char *err, size_t errsz);

/* Checks the target, then creates the temporary file (or private directory
 * and work file). *out is NULL on failure. */
int gt_file_create(struct gt_file **out, const char *path, unsigned flags, const char *db, char *err,
		   size_t errsz);

/* The target as expanded; the work file's path (the temporary file, or the
 * file inside the private directory: give this to SQLite or libxlsxwriter);
 * the private directory (NULL without GT_FILE_PRIVATE_DIR). */
const char *gt_file_target(const struct gt_file *f);
const char *gt_file_work_path(const struct gt_file *f);
const char *gt_file_private_dir(const struct gt_file *f);
/* The same two through the private directory's open descriptor
 * (/proc/self/fd/N/NAME, when /proc is there): a library that opens them
 * by name reaches our directory even if its name was changed meanwhile. */
const char *gt_file_work_path_fd(const struct gt_file *f);
const char *gt_file_private_dir_fd(const struct gt_file *f);

/* A stdio stream on the work file (made once; the module closes it). */
FILE *gt_file_stream(struct gt_file *f);

/* Flushes the stream and fsyncs the work file: after this the data is on
 * the disk (or the error, GT_FILE_FULL for a full disk, is known). */
int gt_file_sync(struct gt_file *f, char *err, size_t errsz);

/* Syncs, then gives the file its name: link(2) without GT_FILE_REPLACE (an
 * existing name, even one that appeared meanwhile, is GT_FILE_EXISTS),
 * rename(2) with it (only over a regular file). Frees *f whatever happens;
 * on failure nothing of it is left. */
int gt_file_commit(struct gt_file **f, char *err, size_t errsz);

/* Removes the temporary file (or private directory) and frees *f. */
void gt_file_abort(struct gt_file **f);

/* The same for a file that is only appended to (logs): opens path for
 * appending with O_NOFOLLOW, creating it 0600; a symbolic link, a special
 * file or the database is refused. Returns the stream or NULL. */
FILE *gt_file_append(const char *path, const char *db);

/* Whether SIGINT, SIGTERM or SIGHUP removed the files being written (in the
 * workstation, whose own handler then runs and the program goes on): a long
 * writer stops early rather than finish a file that is gone. */
bool gt_file_interrupted(void);

/* A scratch file for the program's own temporary data (an import's sorted
 * runs of search terms), read and written by descriptor: made 0600 in
 * directory dir with no name (O_TMPFILE), so that it is gone when it is
 * closed or the process ends, however it ends. Where the file system has
 * no O_TMPFILE it is made under a fresh name (O_EXCL) and unlinked at
 * once, SIGINT, SIGTERM and SIGHUP held meanwhile. Returns the
 * descriptor, or -1 with errno set. */
int gt_file_scratch(const char *dir);

/* A scratch file that another library must open by its name (SQLite):
 * makes the directory DIR/.guantong-STEMXXXXXX (mkdtemp: 0700, ours, so
 * nobody else can put a file or a link in it) and in it the file db
 * (O_EXCL, 0600), hands use(name, fd, arg) its name and a descriptor of
 * it (to check that what use() opened is that file), then removes the
 * file (and a -journal, -wal or -shm beside it) and the directory.
 * SIGINT, SIGTERM and SIGHUP are held from mkdtemp to rmdir; a SIGKILL
 * (or a crash) in that time leaves the directory. Returns use()'s result,
 * or -1 with errno set when the names could not be made or removed (then
 * the caller closes what use() opened). */
int gt_file_scratch_named(const char *dir, const char *stem, int (*use)(const char *name, int fd, void *arg),
			  void *arg);

/* For tests: whether the cleanup list is empty. */
bool gt_file_none_pending(void);

#endif
