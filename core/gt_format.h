/* A case and its evaluation as text: the canonical spelling of every input
 * column (what export writes and import reads back to the same case) and the
 * screening summary columns. */
#ifndef GT_FORMAT_H
#define GT_FORMAT_H

#include <stddef.h>

#include "gt_case.h"
#include "gt_eval.h"

/* The canonical text of one input column of a case: ASCII codes, YYYY-MM-DD
 * dates, blank for a default that has no code (an unknown appraisal count, no
 * requested level). Returns the length written (NUL-terminated, truncated at
 * size-1; 512 bytes always suffice). */
size_t gt_case_field(const struct gt_case *c, int col, char *buf, size_t size);

/* The screening columns from outcome to message, as screen writes them. */
enum {
	GT_SUM_OUTCOME, GT_SUM_TARGET, GT_SUM_ROUTE, GT_SUM_BASIS, GT_SUM_UNMET,
	GT_SUM_MISSING, GT_SUM_THEORY_EXEMPT, GT_SUM_CITATION, GT_SUM_MESSAGE,
	GT_SUM_COUNT
};
extern const char *const gt_summary_names[GT_SUM_COUNT];

struct gt_summary {
	const char *col[GT_SUM_COUNT]; /* point into buf or static strings */
	size_t len[GT_SUM_COUNT];      /* their lengths */
	char buf[4096];
};

void gt_summary_make(const struct gt_eval *ev, struct gt_summary *s);
/* The same but for the citation and the message, left empty: the store
 * keeps an evaluation's answer and derives those two on read (an import
 * made them for every row, 8% of its reader thread's time at 1M). */
void gt_summary_answer(const struct gt_eval *ev, struct gt_summary *s);

/* The compact record of every pathway, for the store: "rule_id=outcome",
 * ';'-separated, in the evaluator's order.
 * Returns the length (NUL-terminated, truncated at size-1). */
size_t gt_eval_paths(const struct gt_eval *ev, char *buf, size_t size);

#endif
