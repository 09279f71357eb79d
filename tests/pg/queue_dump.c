/* The queue's orders and searches of a store, as case numbers, one line
 * each, through the public API only: tests/pg/queue.sh runs it on an SQLite
 * file and on PostgreSQL holding the same cases and compares the two.
 * Usage: queue_dump DB QUERY...
 *   "name asc: 3 1 2 ...", "name desc: ...", "level asc: ...", "level
 *   desc: ...", each followed by "count ORDER: TOTAL B0 B1 ..." (the total,
 *   and gt_queue_count's place of every 17th row), and for the submitted
 *   cases "count submitted: ..."; then for each query "search Q: ..." (n
 *   after n), "search Q back: ..." (N after N) and "jump Q: ID ID ID" (`:`
 *   in the queue: the case gt_store_find finds and the rows from it in
 *   number order). */
#include <stdio.h>
#include <stdlib.h>

#include "gt_store.h"

static void dump_order(gt_store *st, const struct gt_queue_filter *fp, int sort, bool desc, const char *label)
{
	struct gt_queue_filter f = *fp;
	struct gt_queue_row rows[7];
	struct gt_queue_pos pos, places[64];
	int nplaces = 0, seen = 0;
	bool have = false;
	int n = 0;
	printf("%s:", label);
	do {
		if (gt_queue_fetch(st, &f, sort, desc, have ? &pos : NULL, false, 7, rows, &n) != GT_OK) {
			printf(" error: %s", gt_store_errmsg(st));
			break;
		}
		for (int i = 0; i < n; i++, seen++) {
			printf(" %lld", (long long)rows[i].id);
			if (seen % 17 == 0 && nplaces < 64)
				gt_queue_pos_of(&rows[i], &places[nplaces++]);
		}
		if (n > 0) {
			gt_queue_pos_of(&rows[n - 1], &pos);
			have = true;
		}
	} while (n == 7);
	printf("\n");
	int64_t total = -1, before = -1;
	printf("count %s:", label);
	if (gt_queue_count(st, &f, sort, desc, NULL, &total, &before) != GT_OK)
		printf(" error: %s", gt_store_errmsg(st));
	printf(" %lld", (long long)total);
	for (int i = 0; i < nplaces; i++) {
		if (gt_queue_count(st, &f, sort, desc, &places[i], &total, &before) != GT_OK)
			printf(" error: %s", gt_store_errmsg(st));
		printf(" %lld", (long long)before);
	}
	printf("\n");
}

static void dump_jump(gt_store *st, const char *q)
{
	struct gt_queue_filter f = { 0 };
	struct gt_queue_row rows[3];
	int64_t id = 0;
	int n = 0;
	printf("jump %s:", q);
	if (gt_store_find(st, q, &id) == GT_OK && id > 0) {
		struct gt_queue_pos pos = { .id = id, .inclusive = true };
		if (gt_queue_fetch(st, &f, GT_QS_ID, false, &pos, false, 3, rows, &n) != GT_OK)
			printf(" error: %s", gt_store_errmsg(st));
		for (int i = 0; i < n; i++)
			printf(" %lld", (long long)rows[i].id);
	}
	printf("\n");
}

static void dump_search(gt_store *st, const char *q, bool backward)
{
	struct gt_queue_filter f = { 0 };
	struct gt_queue_row hit;
	struct gt_queue_pos pos;
	bool found, have = false;
	printf("search %s%s:", q, backward ? " back" : "");
	for (int i = 0; i < 100000; i++) {
		if (gt_queue_search(st, &f, GT_QS_NAME, q, have ? &pos : NULL, backward, &hit, &pos, &found) != GT_OK) {
			printf(" error: %s", gt_store_errmsg(st));
			break;
		}
		if (!found)
			break;
		printf(" %lld", (long long)hit.id);
		have = true;
	}
	printf("\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: queue_dump DB QUERY...\n");
		return 2;
	}
	gt_store *st = NULL;
	char err[1024];
	if (gt_store_open(&st, argv[1], 0, err, sizeof err) != GT_OK) {
		fprintf(stderr, "queue_dump: %s\n", err);
		return 1;
	}
	struct gt_queue_filter all = { 0 }, submitted = { .status_mask = 1u << GT_ST_SUBMITTED };
	dump_order(st, &all, GT_QS_NAME, false, "name asc");
	dump_order(st, &all, GT_QS_NAME, true, "name desc");
	dump_order(st, &all, GT_QS_LEVEL, false, "level asc");
	dump_order(st, &all, GT_QS_LEVEL, true, "level desc");
	dump_order(st, &submitted, GT_QS_LEVEL, false, "submitted");
	for (int i = 2; i < argc; i++) {
		dump_search(st, argv[i], false);
		dump_search(st, argv[i], true);
		dump_jump(st, argv[i]);
	}
	gt_store_close(st);
	return 0;
}
