/* Policy packs (guantong-rules(5)): a YAML file per document version, parsed
 * through libcyaml's schemas and compiled into the gt_docver the evaluator
 * reads. Bytes in, structures out: no file is opened here (the program finds
 * the packs: tui/rules_load.c). */
#ifndef GT_PACK_H
#define GT_PACK_H

#include <stddef.h>

#include "gt_rules.h"

/* Where a pack is wrong: 1-based line and column (0: the file as a whole). */
struct gt_pack_error {
	int line, column;
	char msg[384];
};

/* Parses and compiles one pack. Returns a version to add to a ruleset (or
 * free with gt_pack_free), or NULL with err filled. origin names the pack in
 * messages and `rules list` (copied). */
struct gt_docver *gt_pack_parse(const char *bytes, size_t len, const char *origin,
				struct gt_pack_error *err);
void gt_pack_free(struct gt_docver *dv);

/* Adds dv to rs, which owns it from then on. A version with the same document
 * number and version as one loaded supersedes it (the old one is freed).
 * Returns 0, or -1 when out of memory (dv is freed). */
int gt_ruleset_add(struct gt_ruleset *rs, struct gt_docver *dv);
void gt_ruleset_free(struct gt_ruleset *rs);

/* Adds the packs carried in the binary (rules/NAME.yaml at build time).
 * Returns 0, or -1 with err naming the pack. */
int gt_ruleset_add_builtin(struct gt_ruleset *rs, struct gt_pack_error *err);

/* The built-in packs' bytes, for `rules check` of the shipped packs. */
struct gt_builtin_pack {
	const char *name;
	const char *data;
	size_t len;
};
extern const struct gt_builtin_pack gt_builtin_packs[];
extern const int gt_builtin_pack_count;

/* Finds the position of a scalar in a pack: the first scalar equal to value
 * after the first one equal to anchor (anchor NULL: from the start). Returns
 * 0 and sets line/column, or -1. */
int gt_pack_locate(const char *bytes, size_t len, const char *anchor, const char *value,
		   int *line, int *column);

#endif
