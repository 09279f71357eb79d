/* The queue's orders and searches of a store, as case numbers, one line
 * each, through the public API only: tests/pg/queue.sh runs it on an SQLite
 * file and on PostgreSQL holding the same cases and compares the two.
 * Usage: queue_dump DB QUERY...
 *   "name asc: 3 1 2 ...", "name desc: ...", then for each query
 *   "search Q: ..." (n after n) and "search Q back: ..." (N after N). */
#include <stdio.h>
#include <stdlib.h>

#include "gt_store.h"

static void dump_order(gt_store *st, int sort, bool desc, const char *label)
{
	struct gt_queue_filter f = { 0 };
	struct gt_queue_row rows[7];
	struct gt_queue_pos pos;
	bool have = false;
	int n = 0;
	printf("%s:", label);
	do {
		if (gt_queue_fetch(st, &f, sort, desc, have ? &pos : NULL, false, 7, rows, &n) != GT_OK) {
			printf(" error: %s", gt_store_errmsg(st));
			break;
		}
		for (int i = 0; i < n; i++)
			printf(" %lld", (long long)rows[i].id);
		if (n > 0) {
			gt_queue_pos_of(&rows[n - 1], &pos);
			have = true;
		}
	} while (n == 7);
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
	dump_order(st, GT_QS_NAME, false, "name asc");
	dump_order(st, GT_QS_NAME, true, "name desc");
	for (int i = 2; i < argc; i++) {
		dump_search(st, argv[i], false);
		dump_search(st, argv[i], true);
	}
	gt_store_close(st);
	return 0;
}
