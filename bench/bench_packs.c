/* bench_packs [REPEAT]: times loading the built-in policy packs (parse with
 * libcyaml and compile into the evaluator's table), REPEAT times (default
 * 50), and prints the best and the median in milliseconds, beside issue 19's
 * target (< 20 ms for the five). Single thread, CLOCK_MONOTONIC. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "gt_pack.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int repeat = argc > 1 ? atoi(argv[1]) : 50;
	if (repeat < 1 || repeat > 100000)
		repeat = 50;
	double *t = malloc((size_t)repeat * sizeof *t);
	size_t bytes = 0;
	int rules = 0;
	if (!t)
		return 1;
	for (int i = 0; i < gt_builtin_pack_count; i++)
		bytes += gt_builtin_packs[i].len;
	for (int k = 0; k < repeat; k++) {
		struct gt_ruleset rs = { 0 };
		struct gt_pack_error err;
		double t0 = now_ms();
		if (gt_ruleset_add_builtin(&rs, &err) < 0) {
			fprintf(stderr, "bench_packs: %s\n", err.msg);
			return 1;
		}
		t[k] = now_ms() - t0;
		rules = 0;
		for (int i = 0; i < rs.n; i++)
			rules += rs.v[i]->nrules;
		gt_ruleset_free(&rs);
	}
	qsort(t, (size_t)repeat, sizeof *t, cmp_double);
	printf("packs:             %d (%zu bytes, %d rules)\n", gt_builtin_pack_count, bytes, rules);
	printf("load best:         %.3f ms\n", t[0]);
	printf("load median:       %.3f ms   (target < 20 ms)\n", t[repeat / 2]);
	free(t);
	return 0;
}
