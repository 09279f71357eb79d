/* The installed rules: which document version judges a case. */
#include <stddef.h>
#include <threads.h>

#include "gt_pack.h"
#include "gt_rules.h"

static const struct gt_ruleset *installed;
static struct gt_ruleset builtin;
static struct gt_pack_error builtin_err;
static once_flag builtin_once = ONCE_FLAG_INIT;
static int builtin_failed;

/* Where each region's versions sit in the active set (sorted by region,
 * then in-force date): a case finds its document without looking at the
 * other regions'. Built when a set becomes active; a set that has changed
 * since (its count differs) is scanned instead. */
static struct {
	const struct gt_ruleset *rs;
	int n;
	int first[GT_REGION_COUNT], count[GT_REGION_COUNT];
} region_index;

static void index_regions(const struct gt_ruleset *rs)
{
	region_index.rs = NULL;
	for (int g = 0; g < GT_REGION_COUNT; g++)
		region_index.count[g] = 0;
	for (int i = 0; i < rs->n; i++) {
		int g = rs->v[i]->doc.region;
		if (g >= GT_REGION_COUNT || (region_index.count[g] && i > 0 &&
					     rs->v[i - 1]->doc.region != g))
			return; /* not grouped by region: scan */
		if (!region_index.count[g]++)
			region_index.first[g] = i;
	}
	region_index.rs = rs;
	region_index.n = rs->n;
}

static void load_builtin(void)
{
	if (gt_ruleset_add_builtin(&builtin, &builtin_err) < 0)
		builtin_failed = 1;
	if (!installed)
		index_regions(&builtin);
}

void gt_rules_install(const struct gt_ruleset *rs)
{
	installed = rs;
	if (rs)
		index_regions(rs);
	else if (builtin.n)
		index_regions(&builtin);
}

const struct gt_ruleset *gt_rules_active(void)
{
	if (installed)
		return installed;
	call_once(&builtin_once, load_builtin);
	return &builtin;
}

const char *gt_rules_builtin_error(void)
{
	call_once(&builtin_once, load_builtin);
	return builtin_failed ? builtin_err.msg : NULL;
}

const struct gt_docver *gt_rules_for(int region, gt_date date)
{
	const struct gt_ruleset *rs = gt_rules_active();
	if (rs == region_index.rs && rs->n == region_index.n && region >= 0 &&
	    region < GT_REGION_COUNT) {
		int i = region_index.first[region], end = i + region_index.count[region];
		if (i == end)
			return NULL;
		const struct gt_docver *best = rs->v[i]; /* the earliest, when date is before all */
		while (++i < end && rs->v[i]->doc.effective <= date)
			best = rs->v[i];
		return best;
	}
	const struct gt_docver *first = NULL, *best = NULL;
	for (int i = 0; i < rs->n; i++) {
		const struct gt_docver *v = rs->v[i];
		if (v->doc.region != region)
			continue;
		if (!first)
			first = v;
		if (v->doc.effective <= date)
			best = v; /* sorted by date: the last one wins */
	}
	return best ? best : first;
}

void gt_rules_range(const struct gt_docver *dv, int direction, int *first, int *count)
{
	*first = dv->first[direction];
	*count = dv->count[direction];
}
