/* bench_eval FILE.csv [REPEAT]: parses a whole case CSV with the core into an
 * array of cases (invalid rows skipped and counted), then times gt_evaluate()
 * alone over the array, and gt_evaluate() plus the summary text columns
 * (basis, citation, message); REPEAT passes each (default 3), best reported.
 * An untimed last pass checksums every field of every evaluation and its text
 * columns (checksum_full), so a faster evaluator can be shown to answer the same.
 * Single thread, CLOCK_MONOTONIC. */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gt_case.h"
#include "gt_codes.h"
#include "gt_csv.h"
#include "gt_date.h"
#include "gt_eval.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* FNV-1a style mixing of a few small values into the running checksum. */
static inline uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v;
	return h * 0x100000001b3ull;
}

static inline uint64_t mix_eval(uint64_t h, const struct gt_eval *ev)
{
	h = mix(h, ev->outcome);
	h = mix(h, (uint64_t)(uint8_t)ev->target);
	h = mix(h, ev->route);
	h = mix(h, ev->unmet);
	return mix(h, ev->missing_ev);
}

static uint64_t mix_str(uint64_t h, const char *s)
{
	if (!s)
		return mix(h, 0x100);
	for (; *s; s++)
		h = mix(h, (uint8_t)*s);
	return mix(h, 0x101);
}

/* Every field of an evaluation the program reads (screen, --explain, the
 * store): the summary, each pathway and each condition, with the strings
 * hashed by content; what the timed checksum leaves out. */
static uint64_t mix_eval_full(uint64_t h, const struct gt_eval *ev)
{
	h = mix_eval(h, ev);
	h = mix_str(h, ev->dv->id);
	h = mix(h, ev->kind);
	h = mix(h, (uint64_t)(int64_t)ev->chosen);
	h = mix(h, (uint64_t)(int64_t)ev->next);
	h = mix(h, ev->basis_honours);
	h = mix(h, ev->basis_comps);
	h = mix(h, ev->basis_level);
	h = mix(h, ev->theory_exempt);
	h = mix_str(h, ev->exemption ? ev->exemption->clause : NULL);
	h = mix(h, ev->diploma_unproven);
	h = mix_str(h, ev->clause);
	h = mix(h, ev->manual_above);
	h = mix(h, ev->notes);
	h = mix(h, (uint64_t)(int64_t)ev->npaths);
	for (int i = 0; i < ev->npaths; i++) {
		const struct gt_path *p = &ev->paths[i];
		h = mix_str(h, p->rule->id);
		h = mix(h, p->outcome);
		h = mix(h, (uint64_t)(uint8_t)p->target);
		h = mix(h, p->candidate);
		h = mix(h, p->unmet);
		h = mix(h, p->required_ev);
		h = mix(h, p->missing_ev);
		h = mix(h, p->basis_honours);
		h = mix(h, p->basis_comps);
		h = mix(h, p->presented);
		h = mix(h, (uint32_t)p->ready_on);
		h = mix(h, p->nconds);
		for (int j = 0; j < p->nconds; j++) {
			const struct gt_cond *k = &p->conds[j];
			h = mix(h, k->code);
			h = mix(h, k->state);
			h = mix(h, k->what);
			h = mix(h, (uint16_t)k->need);
			h = mix(h, (uint16_t)k->have);
			h = mix(h, (uint32_t)k->since);
			h = mix(h, (uint32_t)k->met_on);
			h = mix_str(h, k->clause);
		}
	}
	return h;
}

/* Thousands separators, for reading. */
static const char *fmt_count(double v, char *buf, size_t size)
{
	char raw[32];
	snprintf(raw, sizeof raw, "%.0f", v);
	size_t n = strlen(raw), o = 0;
	for (size_t i = 0; i < n && o + 2 < size; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = raw[i];
	}
	buf[o] = '\0';
	return buf;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int rc = 1;
	FILE *in = NULL;
	gt_csv *csv = NULL;
	struct gt_csv_record *rec = NULL;
	struct gt_case *cases = NULL;
	struct gt_eval *ev = NULL;
	double *times = NULL;

	if (argc < 2 || argc > 3) {
		fputs("usage: bench_eval FILE.csv [REPEAT]\n", stderr);
		return 2;
	}
	int repeat = 3;
	if (argc == 3) {
		char *end;
		long r = strtol(argv[2], &end, 10);
		if (*end || r < 1 || r > 1000) {
			fputs("bench_eval: REPEAT must be 1..1000\n", stderr);
			return 2;
		}
		repeat = (int)r;
	}

	in = fopen(argv[1], "rb");
	if (!in) {
		fprintf(stderr, "bench_eval: %s: %s\n", argv[1], strerror(errno));
		goto out;
	}
	csv = gt_csv_new(in);
	rec = malloc(sizeof *rec);
	ev = malloc(sizeof *ev);
	times = malloc(sizeof *times * (size_t)repeat);
	if (!csv || !rec || !ev || !times) {
		fputs("bench_eval: out of memory\n", stderr);
		goto out;
	}

	/* ---- parse (timed for information only) */
	double t_parse0 = now_s();
	struct gt_header hdr;
	char msg[512];
	int r = gt_csv_next(csv, rec);
	if (r != 1) {
		fprintf(stderr, "bench_eval: %s: no header row\n", argv[1]);
		goto out;
	}
	if (rec->error != GT_CSV_OK ||
	    gt_header_parse(&hdr, rec->fields, rec->nfields, NULL, 0, msg, sizeof msg) != 0) {
		fprintf(stderr, "bench_eval: %s: bad header: %s\n", argv[1],
			rec->error != GT_CSV_OK ? gt_csv_strerror(rec->error) : msg);
		goto out;
	}
	gt_date as_of = gt_date_from_ymd(2025, 6, 30); /* rows carry application_date */
	size_t ncases = 0, cap = 1 << 16, nrows = 0, bad_csv = 0, bad_case = 0;
	size_t bad_col[GT_COL_COUNT + 1] = {0};
	cases = malloc(sizeof *cases * cap);
	if (!cases) {
		fputs("bench_eval: out of memory\n", stderr);
		goto out;
	}
	struct gt_row_error err;
	while ((r = gt_csv_next(csv, rec)) == 1) {
		nrows++;
		if (rec->error != GT_CSV_OK) {
			bad_csv++;
			continue;
		}
		if (ncases == cap) {
			struct gt_case *p = realloc(cases, sizeof *cases * cap * 2);
			if (!p) {
				fputs("bench_eval: out of memory\n", stderr);
				goto out;
			}
			cases = p;
			cap *= 2;
		}
		if (gt_case_parse(&cases[ncases], &hdr, rec->fields, rec->nfields, as_of, &err) != 0) {
			bad_case++;
			bad_col[err.column >= 0 && err.column < GT_COL_COUNT ? err.column : GT_COL_COUNT]++;
			continue;
		}
		ncases++;
	}
	if (r < 0) {
		fprintf(stderr, "bench_eval: %s: read error: %s\n", argv[1], strerror(errno));
		goto out;
	}
	double t_parse = now_s() - t_parse0;
	if (!ncases) {
		fputs("bench_eval: no valid rows\n", stderr);
		goto out;
	}

	char b1[32], b2[32];
	printf("file:              %s\n", argv[1]);
	printf("rows:              %s (%zu invalid: %zu CSV-level, %zu rejected by gt_case_parse)\n",
	       fmt_count((double)nrows, b1, sizeof b1), bad_csv + bad_case, bad_csv, bad_case);
	printf("cases evaluated:   %s\n", fmt_count((double)ncases, b1, sizeof b1));
	printf("parse (read+parse, once): %.3f s, %s rows/s\n", t_parse,
	       fmt_count((double)nrows / t_parse, b2, sizeof b2));
	printf("sizeof(struct gt_case) = %zu B, sizeof(struct gt_eval) = %zu B, cases array %.0f MiB\n",
	       sizeof(struct gt_case), sizeof(struct gt_eval),
	       (double)(sizeof *cases * ncases) / (1024.0 * 1024.0));
	if (bad_case) {
		printf("rejected rows by column:");
		for (int c = 0; c <= GT_COL_COUNT; c++)
			if (bad_col[c])
				printf(" %s=%zu", c < GT_COL_COUNT ? gt_column_names[c] : "(row)", bad_col[c]);
		printf("\n");
	}

	/* ---- gt_evaluate alone */
	uint64_t sum_eval = 0;
	int stable = 1;
	for (int p = 0; p < repeat; p++) {
		uint64_t h = 0xcbf29ce484222325ull;
		double t0 = now_s();
		for (size_t i = 0; i < ncases; i++) {
			gt_evaluate(&cases[i], ev);
			h = mix_eval(h, ev);
		}
		times[p] = now_s() - t0;
		if (p && h != sum_eval)
			stable = 0;
		sum_eval = h;
	}
	qsort(times, (size_t)repeat, sizeof *times, cmp_double);
	double best_eval = times[0], med_eval = times[repeat / 2];

	/* ---- gt_evaluate + the summary text columns */
	static char basis[1024], citation[1024], message[4096];
	uint64_t sum_fmt = 0;
	size_t text_bytes = 0;
	for (int p = 0; p < repeat; p++) {
		uint64_t h = 0xcbf29ce484222325ull;
		size_t bytes = 0;
		double t0 = now_s();
		for (size_t i = 0; i < ncases; i++) {
			gt_evaluate(&cases[i], ev);
			size_t nb = gt_eval_basis(ev, basis, sizeof basis);
			size_t nc = gt_eval_citation(ev, citation, sizeof citation);
			size_t nm = gt_eval_message(ev, message, sizeof message);
			h = mix_eval(h, ev);
			h = mix(h, nb ^ (nc << 12) ^ (nm << 24));
			h = mix(h, (uint8_t)message[nm ? nm - 1 : 0]);
			bytes += nb + nc + nm;
		}
		times[p] = now_s() - t0;
		if (p && h != sum_fmt)
			stable = 0;
		sum_fmt = h;
		text_bytes = bytes;
	}
	qsort(times, (size_t)repeat, sizeof *times, cmp_double);
	double best_fmt = times[0], med_fmt = times[repeat / 2];

	/* ---- histogram and the full checksum (one more pass, untimed) */
	uint64_t sum_full = 0xcbf29ce484222325ull;
	size_t hist[GT_OUT_COUNT] = {0}, by_region[GT_REGION_COUNT][GT_OUT_COUNT] = {{0}};
	size_t by_route[GT_ROUTE_COUNT] = {0};
	for (size_t i = 0; i < ncases; i++) {
		gt_evaluate(&cases[i], ev);
		sum_full = mix_eval_full(sum_full, ev);
		gt_eval_basis(ev, basis, sizeof basis);
		gt_eval_citation(ev, citation, sizeof citation);
		gt_eval_message(ev, message, sizeof message);
		sum_full = mix_str(mix_str(mix_str(sum_full, basis), citation), message);
		int o = ev->outcome < GT_OUT_COUNT ? ev->outcome : GT_OUT_INVALID;
		hist[o]++;
		if (cases[i].region < GT_REGION_COUNT)
			by_region[cases[i].region][o]++;
		if (ev->route < GT_ROUTE_COUNT)
			by_route[ev->route]++;
	}

	printf("\ngt_evaluate only:            best %.3f s, median %.3f s of %d -> %s evaluations/s (%.0f ns each)\n",
	       best_eval, med_eval, repeat, fmt_count((double)ncases / best_eval, b1, sizeof b1),
	       best_eval * 1e9 / (double)ncases);
	printf("gt_evaluate + basis/citation/message: best %.3f s, median %.3f s of %d -> %s evaluations/s (%.0f ns each, %.1f text bytes/case)\n",
	       best_fmt, med_fmt, repeat, fmt_count((double)ncases / best_fmt, b2, sizeof b2),
	       best_fmt * 1e9 / (double)ncases, (double)text_bytes / (double)ncases);
	printf("checksum: outcomes %016" PRIx64 ", with text %016" PRIx64 " (%s across passes), "
	       "every field and text %016" PRIx64 "\n",
	       sum_eval, sum_fmt, stable ? "stable" : "UNSTABLE", sum_full);

	printf("\noutcome histogram (%zu rows):\n", nrows);
	for (int o = 0; o < GT_OUT_COUNT; o++) {
		size_t n = hist[o] + (o == GT_OUT_INVALID ? bad_csv + bad_case : 0);
		printf("  %-16s %9zu  %6.2f%%%s\n", gt_code_of(&gt_outcomes, o), n,
		       100.0 * (double)n / (double)nrows,
		       o == GT_OUT_INVALID ? "  (rows rejected by the parser)" : "");
	}
	printf("route of the summary:");
	for (int t = 0; t < GT_ROUTE_COUNT; t++)
		printf(" %s=%zu", t ? gt_code_of(&gt_routes, t) : "(none)", by_route[t]);
	printf("\nby region (eligible / needs_evidence / not_eligible / vetoed / manual_review):\n");
	for (int g = 0; g < GT_REGION_COUNT; g++)
		printf("  %-10s %8zu %8zu %8zu %8zu %8zu\n", gt_code_of(&gt_regions, g),
		       by_region[g][GT_OUT_ELIGIBLE], by_region[g][GT_OUT_NEEDS_EVIDENCE],
		       by_region[g][GT_OUT_NOT_ELIGIBLE], by_region[g][GT_OUT_VETOED],
		       by_region[g][GT_OUT_MANUAL_REVIEW]);

	/* one line for scripts */
	printf("\nRESULT cases=%zu rows=%zu invalid=%zu eval_per_s=%.0f eval_per_s_median=%.0f "
	       "eval_fmt_per_s=%.0f eval_fmt_per_s_median=%.0f parse_rows_per_s=%.0f checksum=%016" PRIx64
	       " checksum_full=%016" PRIx64 "\n",
	       ncases, nrows, bad_csv + bad_case, (double)ncases / best_eval, (double)ncases / med_eval,
	       (double)ncases / best_fmt, (double)ncases / med_fmt, (double)nrows / t_parse, sum_eval, sum_full);
	rc = stable ? 0 : 1;
out:
	free(times);
	free(ev);
	free(cases);
	free(rec);
	gt_csv_free(&csv);
	if (in)
		fclose(in);
	return rc;
}
