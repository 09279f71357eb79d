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

static void load_builtin(void)
{
	if (gt_ruleset_add_builtin(&builtin, &builtin_err) < 0)
		builtin_failed = 1;
}

void gt_rules_install(const struct gt_ruleset *rs)
{
	installed = rs;
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
