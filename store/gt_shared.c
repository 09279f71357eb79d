/* The shared SQLite install (issue 15, scripts/install-shared.sh): the
 * binary is setgid to a dedicated group (guantong), the database directory
 * root:GROUP 2770 and the file root:GROUP 0660, so that the clerks, who are
 * not in the group, reach the file only through the program and its role
 * checks. A setgid program must not let its caller steer it:
 *   - gt_shared_startup(): standard descriptors 0-2 open (else the database
 *     could become descriptor 2 and take an error message), the environment
 *     cleared but for a short allow-list, a fixed PATH, umask 077;
 *   - gt_shared_open_path(): the group is kept only for a database that the
 *     install made, a regular file root:GROUP 0660 (not a link, not a
 *     -wal, -shm or -journal file) in a directory root:GROUP 2770, opened by
 *     its resolved name; any other database is opened with the user's own
 *     rights, the group given up for good (setresgid);
 *   - store/gt_file.c gives the group up around every file it makes for the
 *     user (exports, reject files, backups, logs).
 * The identity is the real user's (getpwuid(getuid())): setgid changes no
 * user ID. Without setgid (getegid() == getgid()) all this does nothing. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gt_store_int.h"

bool gt_shared_setgid(void)
{
	return getegid() != getgid();
}

void gt_shared_startup(void)
{
	if (!gt_shared_setgid())
		return;
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
			_exit(70);
	static const char *const keep[] = {
		"TERM", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "LC_TIME", "LC_COLLATE",
		"LC_NUMERIC", "COLUMNS", "LINES", "NO_COLOR", "GUANTONG_ASCII", "GUANTONG_DB", "TZ",
	};
	enum { NKEEP = sizeof keep / sizeof keep[0] };
	char *val[NKEEP];
	for (size_t i = 0; i < NKEEP; i++) {
		const char *v = getenv(keep[i]);
		val[i] = v && strlen(v) < 4096 ? strdup(v) : NULL;
	}
	clearenv();
	for (size_t i = 0; i < NKEEP; i++) {
		/* TZ names a zone, never a file of the caller's choosing. */
		bool ok = val[i] && !(strcmp(keep[i], "TZ") == 0 && (strchr(val[i], '/') || strstr(val[i], "..")));
		if (ok)
			setenv(keep[i], val[i], 1);
		free(val[i]);
	}
	setenv("PATH", "/usr/bin:/bin", 1);
	struct passwd *pw = getpwuid(getuid());
	if (pw && pw->pw_dir)
		setenv("HOME", pw->pw_dir, 1);
	umask(077);
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && strcmp(s + n - t, tail) == 0;
}

/* Whether real (resolved) is a database the install made for the group. */
static bool installed_db(const char *real, gid_t group)
{
	struct stat f, d;
	if (lstat(real, &f) != 0 || !S_ISREG(f.st_mode) || f.st_uid != 0 || f.st_gid != group ||
	    (f.st_mode & 07777) != 0660 || ends_with(real, "-wal") || ends_with(real, "-shm") ||
	    ends_with(real, "-journal"))
		return false;
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", real);
	char *slash = strrchr(dir, '/');
	if (!slash)
		return false;
	*slash = '\0';
	return lstat(*dir ? dir : "/", &d) == 0 && S_ISDIR(d.st_mode) && d.st_uid == 0 && d.st_gid == group &&
	       (d.st_mode & 07777) == 02770;
}

int gt_shared_open_path(const char *path, char *out, size_t size)
{
	snprintf(out, size, "%s", path);
	if (!gt_shared_setgid())
		return 0;
	char real[PATH_MAX];
	if (realpath(path, real) && installed_db(real, getegid())) {
		snprintf(out, size, "%s", real);
		return 0;
	}
	gid_t g = getgid();
	return setresgid(g, g, g);
}
