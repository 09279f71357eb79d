/* Shared by the stress programs (see stress_common.h). */
#include "stress_common.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "gt_case.h"
#include "gt_idnum.h"

const char stress_csv_header[] =
	"case_ref,name,id_number,region,direction,series,skill_level,skill_date,title_level,"
	"appraisals_passed,evidence,application_date";

void stress_idnum(long k, char out[19])
{
	static const char *const areas[] = { "500103", "210302", "510104", "320602", "440106" };
	gt_date birth = gt_date_from_ymd(1960, 1, 1) + (gt_date)(k / 900);
	int y, m, d;
	gt_date_to_ymd(birth, &y, &m, &d);
	snprintf(out, 19, "%s%04d%02d%02d%03ld", areas[k % 5], y, m, d, 100 + k % 900);
	out[17] = gt_id_check_char(out);
	out[18] = '\0';
}

void stress_case_line(long k, const char *case_ref, char *buf, size_t size)
{
	static const char *const regions[] = { "chongqing", "anshan", "sichuan", "jiangsu", "guangzhou" };
	static const char *const names[] = { "张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏" };
	static const char *const skills[] = { "technician", "senior", "senior_technician" };
	static const char *const evidence[] = {
		"id_card;skill_certificate;work_record;appraisal_records",
		"id_card;skill_certificate",
		"id_card;skill_certificate;work_record;appraisal_records;employment_proof",
	};
	char id[19];
	stress_idnum(k, id);
	snprintf(buf, size, "%s,%s,%s,%s,skill_to_title,engineering,%s,20%02ld-06-30,none,%ld,%s,2024-06-30",
		 case_ref, names[k % 7], id, regions[(k / 5) % 5], skills[k % 3], 10 + k % 12, k % 4,
		 evidence[k % 3]);
}

/* Splits a line of plain fields (no quotes) at the commas. */
static int split(char *line, struct gt_span *f, int max)
{
	int n = 0;
	char *p = line;
	for (;;) {
		char *comma = strchr(p, ',');
		if (n == max)
			return -1;
		f[n].p = p;
		f[n].n = comma ? (size_t)(comma - p) : strlen(p);
		n++;
		if (!comma)
			return n;
		p = comma + 1;
	}
}

int stress_make_case(long k, const char *case_ref, struct gt_case *c)
{
	char hbuf[512], line[1024], msg[256];
	struct gt_span hf[GT_COL_COUNT], f[GT_COL_COUNT];
	snprintf(hbuf, sizeof hbuf, "%s", stress_csv_header);
	int nh = split(hbuf, hf, GT_COL_COUNT);
	struct gt_header h;
	if (nh < 0 || gt_header_parse(&h, hf, nh, NULL, 0, msg, sizeof msg) < 0) {
		fprintf(stderr, "stress: the generated header does not parse: %s\n", msg);
		return -1;
	}
	stress_case_line(k, case_ref, line, sizeof line);
	int n = split(line, f, GT_COL_COUNT);
	struct gt_row_error err;
	if (n < 0 || gt_case_parse(c, &h, f, n, GT_DATE_NONE, &err) < 0) {
		fprintf(stderr, "stress: generated case %ld does not parse: %s (%s)\n", k, err.msg, line);
		return -1;
	}
	return 0;
}

int stress_write_csv(const char *path, long k0, long n, const char *prefix)
{
	FILE *f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "stress: %s: %s\n", path, strerror(errno));
		return -1;
	}
	char line[1024], ref[64];
	fprintf(f, "%s\r\n", stress_csv_header);
	for (long i = 0; i < n; i++) {
		snprintf(ref, sizeof ref, "%s%ld", prefix, i);
		stress_case_line(k0 + i, ref, line, sizeof line);
		fprintf(f, "%s\r\n", line);
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "stress: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int stress_make_dir(const char *given, char *out, size_t size)
{
	if (given) {
		snprintf(out, size, "%s", given);
		if (mkdir(out, 0700) != 0 && errno != EEXIST) {
			fprintf(stderr, "stress: %s: %s\n", out, strerror(errno));
			return -1;
		}
		return 0;
	}
	const char *tmp = getenv("TMPDIR");
	snprintf(out, size, "%s/gt-stress-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(out)) {
		fprintf(stderr, "stress: mkdtemp %s: %s\n", out, strerror(errno));
		return -1;
	}
	return 0;
}

void stress_remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	char path[4200];
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

void stress_sleep_us(long us)
{
	struct timespec ts = { .tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000 };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

double stress_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool stress_integrity_ok(gt_store *st)
{
	sqlite3_stmt *s = NULL;
	bool ok = false;
	if (sqlite3_prepare_v2(gt_store_db(st), "PRAGMA integrity_check", -1, &s, NULL) == SQLITE_OK) {
		int step, n = 0;
		while ((step = sqlite3_step(s)) == SQLITE_ROW) {
			const char *t = (const char *)sqlite3_column_text(s, 0);
			if (n++ == 0 && t && strcmp(t, "ok") == 0)
				ok = true;
			else if (n < 10)
				fprintf(stderr, "stress: integrity_check: %s\n", t ? t : "(null)");
		}
		if (step != SQLITE_DONE) {
			fprintf(stderr, "stress: integrity_check: %s\n", sqlite3_errmsg(gt_store_db(st)));
			ok = false;
		}
		if (n != 1)
			ok = false;
	} else {
		fprintf(stderr, "stress: integrity_check: %s\n", sqlite3_errmsg(gt_store_db(st)));
	}
	sqlite3_finalize(s);
	return ok;
}

long stress_fk_violations(gt_store *st)
{
	sqlite3_stmt *s = NULL;
	long n = 0;
	if (sqlite3_prepare_v2(gt_store_db(st), "PRAGMA foreign_key_check", -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "stress: foreign_key_check: %s\n", sqlite3_errmsg(gt_store_db(st)));
		return -1;
	}
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		if (n++ < 10)
			fprintf(stderr, "stress: foreign_key_check: table %s row %lld refers to %s\n",
				(const char *)sqlite3_column_text(s, 0), (long long)sqlite3_column_int64(s, 1),
				(const char *)sqlite3_column_text(s, 2));
	}
	if (step != SQLITE_DONE) {
		fprintf(stderr, "stress: foreign_key_check: %s\n", sqlite3_errmsg(gt_store_db(st)));
		n = n ? n : -1;
	}
	sqlite3_finalize(s);
	return n;
}

int64_t stress_query_int(gt_store *st, const char *sql, int64_t dflt)
{
	sqlite3_stmt *s = NULL;
	int64_t v = dflt;
	if (sqlite3_prepare_v2(gt_store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		fprintf(stderr, "stress: %s: %s\n", sql, sqlite3_errmsg(gt_store_db(st)));
	else if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

uint64_t stress_rand(uint64_t *state)
{
	uint64_t x = *state ? *state : 0x9E3779B97F4A7C15u;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1Du;
}

unsigned stress_rand_below(uint64_t *state, unsigned n)
{
	return n ? (unsigned)((stress_rand(state) >> 33) % n) : 0;
}
