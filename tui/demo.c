/* guantong --demo: a database of example cases of its own, never the real
 * one (the first-run question of an empty database offers no examples). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "gt_i18n.h"
#include "gt_store.h"

/* The demo cases, embedded from fixtures/demo.csv at build time: the binary
 * needs no installed file. */
extern const char gt_demo_csv[];

int gt_demo_prepare(char *path, size_t size)
{
	if (gt_store_demo_path(path, size) != 0) {
		fprintf(stderr, _("%s: cannot tell where the demo database goes: set XDG_DATA_HOME or HOME\n"),
			gt_progname);
		return GT_EXIT_UNREADABLE;
	}
	gt_store *st;
	int status = gt_open_store(&st, path, GT_OPEN_CREATE);
	if (status)
		return status;
	bool empty = false;
	if (gt_store_is_empty(st, &empty) == GT_OK && empty) {
		FILE *in = fmemopen((void *)gt_demo_csv, strlen(gt_demo_csv), "r");
		struct gt_import_opts o = { .skip_invalid = true, .as_of = GT_DATE_NONE };
		struct gt_import_result res;
		/* demo.csv has one invalid row on purpose (fixtures/bad): skipped. */
		if (!in || gt_store_import(st, in, "fixtures/demo.csv", &o, &res) != GT_OK) {
			fprintf(stderr, "%s --demo: %s\n", gt_progname, in ? cli_vis(gt_store_errmsg(st)) : "fmemopen");
			status = GT_EXIT_UNREADABLE;
		}
		if (in)
			fclose(in);
	}
	gt_store_close(st);
	return status;
}
