/* libFuzzer: the policy pack parser (gt_pack_parse: libyaml, libcyaml's
 * schemas, the compile step). For any bytes:
 *   - either a compiled version or an error with a non-empty message and a
 *     line and column that are 0 or inside the input;
 *   - a compiled version is consistent: its rules grouped by direction within
 *     the evaluator's limits, every rule with its clause and words, codes in
 *     range; it is judged once (gt_evaluate on a case of its region) and freed.
 * Seeds: the packs of rules/ and tests/packs/. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gt_case.h"
#include "gt_eval.h"
#include "gt_pack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Lines as YAML counts them (libyaml's marks): a line break is LF, CR, CR LF,
 * NEL (U+0085), LS (U+2028) or PS (U+2029). */
static int count_lines(const uint8_t *data, size_t size)
{
	int n = 1;
	for (size_t i = 0; i < size; i++) {
		if (data[i] == '\n')
			n++;
		else if (data[i] == '\r')
			n += i + 1 >= size || data[i + 1] != '\n';
		else if (data[i] == 0xC2 && i + 1 < size && data[i + 1] == 0x85)
			n++;
		else if (data[i] == 0xE2 && i + 2 < size && data[i + 1] == 0x80 &&
			 (data[i + 2] == 0xA8 || data[i + 2] == 0xA9))
			n++;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gt_pack_error err;
	struct gt_docver *dv = gt_pack_parse((const char *)data, size, "fuzz", &err);
	if (!dv) {
		if (!err.msg[0] || err.line < 0 || err.column < 0 || err.line > count_lines(data, size) + 1) {
			fprintf(stderr, "fuzz_pack: bad error: line %d column %d \"%s\"\n", err.line, err.column,
				err.msg);
			abort();
		}
		return 0;
	}
	if (dv->doc.region >= GT_REGION_COUNT || dv->nrules < 1 ||
	    dv->count[0] + dv->count[1] != dv->nrules || dv->count[0] > GT_MAX_PATHS ||
	    dv->count[1] > GT_MAX_PATHS || !dv->doc.number[0]) {
		fprintf(stderr, "fuzz_pack: inconsistent version\n");
		abort();
	}
	for (int i = 0; i < dv->nrules; i++) {
		const struct gt_rule *r = &dv->rules[i];
		if (!r->clause || !r->clause[0] || !r->text || !r->text[0] || r->direction >= GT_DIR_COUNT ||
		    r->nadmits > GT_MAX_ADMITS || (i < dv->count[0]) != (r->direction == 0)) {
			fprintf(stderr, "fuzz_pack: rule %d inconsistent\n", i);
			abort();
		}
	}
	/* Judge one case with it. */
	struct gt_docver *only[1] = { dv };
	struct gt_ruleset one = { only, 1, 1 };
	const struct gt_ruleset *before = gt_rules_active();
	struct gt_case *c = calloc(1, sizeof *c);
	struct gt_eval *ev = calloc(1, sizeof *ev);
	if (c && ev) {
		gt_case_init(c);
		c->region = dv->doc.region;
		c->direction = (uint8_t)(size & 1);
		c->skill = GT_SKILL_SENIOR;
		c->skill_date = dv->doc.effective - 3000;
		c->application_date = dv->doc.effective + 1;
		c->requested = -1;
		gt_rules_install(&one);
		gt_evaluate(c, ev);
		char buf[4096];
		gt_eval_message(ev, buf, sizeof buf);
		gt_rules_install(before);
	}
	free(c);
	free(ev);
	gt_pack_free(dv);
	return 0;
}
