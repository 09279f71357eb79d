/* What the batch commands print of stored or input text goes through here:
 * made visible by gt_vis (never raw to a terminal), times in local time. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gt_eval.h"
#include "gt_time.h"
#include "gt_vis.h"

/* A ring of buffers, so that one printf may take several of these. */
#define RING 8

const char *cli_vis(const char *s)
{
	static char *ring[RING];
	static int next;
	if (!s)
		return "";
	size_t n = strlen(s);
	if (gt_vis_is_plain(s, n, 0))
		return s;
	char *v = gt_vis_dup(s, n, 0);
	if (!v)
		return "?";
	free(ring[next]);
	ring[next] = v;
	next = (next + 1) % RING;
	return v;
}

const char *cli_time(const char *stored)
{
	static char ring[RING][32];
	static int next;
	char *out = ring[next];
	next = (next + 1) % RING;
	gt_time_show(stored, out, sizeof ring[0]);
	return out;
}

int cli_vis_lines(const char *s, size_t n, FILE *f)
{
	return gt_vis_fwrite(s, n, GT_VIS_KEEP_NL, f);
}

int cli_explain(const struct gt_eval *ev, FILE *f)
{
	/* gt_explain writes names and case_ref among its lines: made visible. */
	gt_explain_visible(ev, f);
	return ferror(f) ? EOF : 0;
}
