/* The case view's staged evidence marks (gt_store_mark_evidence) from the
 * command line, for tests/pg/void.sh: on an SQLite file or PostgreSQL.
 * Usage: mark_evidence DB CASE VERSION RECEIVED VERIFIED
 *   RECEIVED and VERIFIED are bit masks by document code (0x..., or decimal).
 * Prints "changed" or "unchanged"; exit 1 with the store's message. */
#include <stdio.h>
#include <stdlib.h>

#include "gt_store.h"

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: mark_evidence DB CASE VERSION RECEIVED VERIFIED\n");
		return 2;
	}
	gt_store *st = NULL;
	char err[1024];
	if (gt_store_open(&st, argv[1], 0, err, sizeof err) != GT_OK) {
		fprintf(stderr, "mark_evidence: %s\n", err);
		return 1;
	}
	bool changed = false;
	int rc = gt_store_mark_evidence(st, strtoll(argv[2], NULL, 10), strtoll(argv[3], NULL, 10),
					(uint16_t)strtoul(argv[4], NULL, 0), (uint16_t)strtoul(argv[5], NULL, 0), &changed);
	if (rc != GT_OK)
		fprintf(stderr, "mark_evidence: %s\n", gt_store_errmsg(st));
	else
		printf("%s\n", changed ? "changed" : "unchanged");
	gt_store_close(st);
	return rc == GT_OK ? 0 : 1;
}
