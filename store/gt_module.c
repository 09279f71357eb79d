/* The loadable modules (gt_module.h): where they are read from, how they
 * are checked, and the program's side of their interface. */
#define _GNU_SOURCE
#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gt_i18n.h"
#include "gt_module.h"
#include "gt_pg.h"
#include "gt_sheet.h"

/* The build tree's directory (CMakeLists.txt); the installed binary links a
 * definition of its own (the install's libdir/guantong), which wins. */
__attribute__((weak)) const char gt_module_dir[] = GT_MODULE_DIR;

/* ---- where from */

/* An owner that may have put code in the module's path: root, or the real
 * user when the program runs with no more rights than theirs. */
static bool trusted_owner(uid_t uid, bool secure)
{
	return uid == 0 || (!secure && uid == getuid());
}

/* Checks one component (an ancestor directory, or the file when last). */
static int component_safe(const char *path, bool last, bool secure, char *err, size_t errsz)
{
	struct stat sb;
	if (lstat(path, &sb) != 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISLNK(sb.st_mode)) {
		snprintf(err, errsz, _("%s is a symbolic link"), path);
		return -1;
	}
	if (!trusted_owner(sb.st_uid, secure)) {
		if (secure)
			snprintf(err, errsz, _("%s belongs to user %ld, not to root"), path, (long)sb.st_uid);
		else
			snprintf(err, errsz, _("%s belongs to user %ld, not to root or to you"), path, (long)sb.st_uid);
		return -1;
	}
	if (last) {
		if (!S_ISREG(sb.st_mode)) {
			snprintf(err, errsz, _("%s is not a regular file"), path);
			return -1;
		}
		if (sb.st_mode & (S_IWGRP | S_IWOTH)) {
			snprintf(err, errsz, _("%s may be written by others (mode %04o)"), path,
				 (unsigned)(sb.st_mode & 07777));
			return -1;
		}
		return 0;
	}
	if (!S_ISDIR(sb.st_mode)) {
		snprintf(err, errsz, _("%s is not a directory"), path);
		return -1;
	}
	/* In a sticky directory (/tmp) no one may rename or remove what a
	 * trusted owner put there; in any other, a writer could. */
	if ((sb.st_mode & (S_IWGRP | S_IWOTH)) && !(sb.st_mode & S_ISVTX)) {
		snprintf(err, errsz, _("%s may be written by others (mode %04o)"), path, (unsigned)(sb.st_mode & 07777));
		return -1;
	}
	return 0;
}

int gt_module_path_safe(const char *path, bool secure, char *err, size_t errsz)
{
	char buf[PATH_MAX];
	size_t n = strlen(path);
	if (path[0] != '/' || n >= sizeof buf) {
		snprintf(err, errsz, _("%s is not an absolute path"), path);
		return -1;
	}
	memcpy(buf, path, n + 1);
	/* "/", then each prefix ending before a '/', then the whole path. */
	if (component_safe("/", false, secure, err, errsz) != 0)
		return -1;
	for (size_t i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		char c = buf[i];
		buf[i] = '\0';
		int rc = component_safe(buf, c == '\0', secure, err, errsz);
		buf[i] = c;
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* ---- loading */

struct loaded {
	const char *file;
	const void *table;
};

const void *gt_module_load(const char *file, const char *sym, const char *what, char *err, size_t errsz)
{
	static struct loaded loaded[3]; /* pdf, pg, xlsx */
	for (size_t i = 0; i < sizeof loaded / sizeof loaded[0]; i++)
		if (loaded[i].file && strcmp(loaded[i].file, file) == 0)
			return loaded[i].table;
	char path[PATH_MAX], why[2 * PATH_MAX + 256];
	snprintf(path, sizeof path, "%s/%s", gt_module_dir, file);
	/* Setgid (or otherwise more rights than the caller's): the kernel's
	 * word, fixed at exec, still true after the group is given up. */
	bool secure = getauxval(AT_SECURE) != 0;
	const void *table = NULL;
	int safe = gt_module_path_safe(path, secure, why, sizeof why);
	struct stat sb;
	if (safe != 0 && !secure && lstat(path, &sb) != 0 && (errno == ENOENT || errno == EACCES)) {
		/* Not there, or not reachable by this user (a build tree under
		 * a directory only its owner may enter): beside the program
		 * itself, by the kernel's name for it. Never when setgid: a
		 * user could link the binary into a directory of theirs. A
		 * program with only its user's rights gains nothing from a
		 * module its user put there that it could not have had by
		 * running a program of their own. */
		char self[PATH_MAX], why2[PATH_MAX + 128];
		ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
		char *slash = n > 0 ? memrchr(self, '/', (size_t)n) : NULL;
		if (slash && (size_t)(slash - self) + 1 + strlen(file) < sizeof self) {
			snprintf(slash + 1, sizeof self - (size_t)(slash + 1 - self), "%s", file);
			if (strcmp(self, path) != 0) {
				if ((safe = gt_module_path_safe(self, secure, why2, sizeof why2)) == 0)
					snprintf(path, sizeof path, "%s", self);
				else
					snprintf(why + strlen(why), sizeof why - strlen(why), "; %s", why2);
			}
		}
	}
	if (safe == 0) {
		/* An absolute path: dlopen searches nothing (no LD_LIBRARY_PATH,
		 * no RUNPATH). RTLD_LOCAL: its symbols stay its own. */
		void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		if (!h) {
			const char *e = dlerror();
			snprintf(why, sizeof why, "%s", e ? e : path);
		} else {
			const struct gt_module_head *head = dlsym(h, sym);
			if (!head)
				snprintf(why, sizeof why, _("%s has no %s"), path, sym);
			else if (strncmp(head->abi, GT_MODULE_ABI, sizeof head->abi) != 0)
				snprintf(why, sizeof why, _("%s was built from other sources (%.*s, this program %s)"),
					 path, (int)strnlen(head->abi, sizeof head->abi), head->abi, GT_MODULE_ABI);
			else
				table = head;
			/* Never unloaded: a refused one too (its code may have run). */
		}
	}
	if (!table) {
		snprintf(err, errsz, _("%s needs the module %s, which cannot be loaded: %s"), what, file, why);
		return NULL;
	}
	for (size_t i = 0; i < sizeof loaded / sizeof loaded[0]; i++)
		if (!loaded[i].file) {
			loaded[i].file = file;
			loaded[i].table = table;
			break;
		}
	return table;
}

/* ---- gt-pdf.so */

static const struct gt_pdf_module *pdf_module(char *err, size_t errsz)
{
	return gt_module_load(GT_PDF_MODULE_FILE, GT_PDF_MODULE_SYM, _("writing a PDF"), err, errsz);
}

int gt_sheet_write(gt_store *st, const char *path, const int64_t *ids, long n, bool replace,
		   struct gt_sheet_result *res, char *err, size_t errsz)
{
	const struct gt_pdf_module *m = pdf_module(err, errsz);
	return m ? m->sheet_write(st, path, ids, n, replace, res, err, errsz) : GT_ERR;
}

int gt_agenda_write(gt_store *st, const char *path, const struct gt_export_filter *f, bool replace,
		    struct gt_sheet_result *res, char *err, size_t errsz)
{
	const struct gt_pdf_module *m = pdf_module(err, errsz);
	return m ? m->agenda_write(st, path, f, replace, res, err, errsz) : GT_ERR;
}

/* ---- gt-pg.so */

/* Set by the first open or init that loads it; a store on PostgreSQL
 * exists only once it is. */
static const struct gt_pg_module *pg;

static const struct gt_pg_module *pg_module(char *err, size_t errsz)
{
	if (!pg)
		pg = gt_module_load(GT_PG_MODULE_FILE, GT_PG_MODULE_SYM, _("a PostgreSQL database"), err, errsz);
	return pg;
}

bool gt_pg_is_conninfo(const char *s)
{
	if (!s)
		return false;
	if (strncmp(s, "postgresql://", 13) == 0 || strncmp(s, "postgres://", 11) == 0)
		return true;
	static const char *const keys[] = { "host", "hostaddr", "port", "dbname", "user", "service",
					    "sslmode", "application_name", "connect_timeout", "options" };
	while (isspace((unsigned char)*s))
		s++;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		size_t n = strlen(keys[i]);
		if (strncmp(s, keys[i], n) != 0)
			continue;
		const char *p = s + n;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '=')
			return true;
	}
	return false;
}

bool gt_store_is_server(const char *db)
{
	return gt_pg_is_conninfo(db);
}

int gt_pg_open(gt_store **out, const char *conninfo, unsigned flags, const char *actor, char *err, size_t errsz)
{
	*out = NULL;
	return pg_module(err, errsz) ? pg->open(out, conninfo, flags, actor, err, errsz) : GT_ERR;
}

int gt_store_init_server(const char *db, const char *admin, void (*say)(const char *line, void *arg), void *arg,
			 char *err, size_t errsz)
{
	return pg_module(err, errsz) ? pg->init(db, admin, say, arg, err, errsz) : GT_ERR;
}

/* The rest: only on a store gt_pg_open opened, so the module is loaded. */
#define GT_PG_FORWARD(ret, name, params, args) \
	ret gt_pg_##name params                \
	{                                      \
		return pg->name args;          \
	}
#define GT_PG_VFORWARD(name, params, args) \
	void gt_pg_##name params           \
	{                                  \
		pg->name args;             \
	}
GT_PG_CALLS(GT_PG_FORWARD, GT_PG_VFORWARD)
