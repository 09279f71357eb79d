/* Unit tests of core/gt_eval's summary evaluation (issue 12): what
 * gt_evaluate_summary gives (the conditions of the chosen path alone) is
 * gt_evaluate's answer field for field, and the summary row made from it is
 * byte for byte the same, on every case of the screen fixtures and on
 * generated cases, in English and in Chinese. */
#include <criterion/criterion.h>
#include <glob.h>
#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gt_csv.h"
#include "gt_eval.h"
#include "gt_format.h"
#include "gt_i18n.h"
#include "gt_pack.h"
#include "gt_text.h"
#include "csv_cases.h"
#include "lang.h"

static bool same_cond(const struct gt_cond *a, const struct gt_cond *b)
{
	return a->code == b->code && a->state == b->state && a->what == b->what && a->need == b->need &&
	       a->have == b->have && a->since == b->since && a->met_on == b->met_on && a->clause == b->clause;
}

/* Which field of the two evaluations differs first ("" when none). */
static const char *differs(const struct gt_eval *f, const struct gt_eval *s)
{
#define CHECK(x) \
	if (f->x != s->x) \
		return #x
	CHECK(c); CHECK(dv); CHECK(outcome); CHECK(kind); CHECK(target); CHECK(route);
	CHECK(chosen); CHECK(next); CHECK(unmet); CHECK(missing_ev); CHECK(basis_honours);
	CHECK(basis_comps); CHECK(basis_level); CHECK(theory_exempt); CHECK(exemption);
	CHECK(diploma_unproven); CHECK(clause); CHECK(manual_above); CHECK(notes); CHECK(npaths);
	int held = f->c->direction == GT_DIR_SKILL_TO_TITLE ? f->c->title : f->c->skill;
	for (int i = 0; i < f->npaths; i++) {
		CHECK(paths[i].rule); CHECK(paths[i].target); CHECK(paths[i].candidate);
		/* A path no candidate that cannot be `next` is not applied. */
		if (!f->paths[i].candidate && !(f->c->requested < 0 && f->paths[i].target > held)) {
			if (s->paths[i].nconds != 0 || s->paths[i].unmet != (1u << GT_UNMET_NO_RULE))
				return "a path not applied";
			continue;
		}
		CHECK(paths[i].outcome);
		CHECK(paths[i].candidate); CHECK(paths[i].unmet); CHECK(paths[i].required_ev);
		CHECK(paths[i].missing_ev); CHECK(paths[i].basis_honours); CHECK(paths[i].basis_comps);
		CHECK(paths[i].presented); CHECK(paths[i].ready_on);
		if (i != f->chosen) {
			if (s->paths[i].nconds != 0)
				return "conditions of a path not chosen";
			continue;
		}
		CHECK(paths[i].nconds);
		for (int k = 0; k < f->paths[i].nconds; k++)
			if (!same_cond(&f->paths[i].conds[k], &s->paths[i].conds[k]))
				return "a condition of the chosen path";
	}
#undef CHECK
	return "";
}

struct tally {
	long cases, chosen, skipped, above; /* above: no candidate, but applied (may be `next`) */
};

/* One valid case, evaluated both ways and summarized (t: struct tally). */
static void compare_case(const struct gt_case *c, const char *name, long line, void *arg)
{
	static struct gt_eval full, lean;
	static struct gt_summary s1, s2;
	struct tally *t = arg;
	gt_evaluate(c, &full);
	/* what an earlier case left in the paths must not show */
	memset(&lean, 0xA5, sizeof lean);
	gt_evaluate_summary(c, &lean);
	const char *d = differs(&full, &lean);
	cr_assert_str_empty(d, "%s line %ld: %s differs", name, line, d);
	gt_summary_make(&full, &s1);
	gt_summary_make(&lean, &s2);
	for (int i = 0; i < GT_SUM_COUNT; i++)
		cr_assert(s1.len[i] == s2.len[i] && memcmp(s1.col[i], s2.col[i], s1.len[i]) == 0,
			  "%s line %ld: column %s differs\n--- gt_evaluate:\n%.*s\n--- summary:\n%.*s", name,
			  line, gt_summary_names[i], (int)s1.len[i], s1.col[i], (int)s2.len[i],
			  s2.col[i]);
	/* the summary's message is made with its citation column: the
	 * same as the message that makes its own */
	static char m[sizeof s1.buf];
	size_t nm = gt_eval_message(&full, m, sizeof m);
	cr_assert(nm == s1.len[GT_SUM_MESSAGE] && memcmp(m, s1.col[GT_SUM_MESSAGE], nm) == 0,
		  "%s line %ld: the summary's message differs\n--- gt_eval_message:\n%s\n--- summary:\n%.*s",
		  name, line, m, (int)s1.len[GT_SUM_MESSAGE], s1.col[GT_SUM_MESSAGE]);
	t->cases++;
	t->chosen += full.chosen >= 0;
	for (int i = 0; i < lean.npaths; i++) {
		t->skipped += lean.paths[i].unmet == (1u << GT_UNMET_NO_RULE);
		t->above += !lean.paths[i].candidate && lean.paths[i].unmet != (1u << GT_UNMET_NO_RULE);
	}
}

/* Every valid case of one CSV stream, evaluated both ways and summarized. */
static void compare_stream(FILE *f, const char *name, struct tally *t)
{
	each_csv_case(f, name, compare_case, t);
}

static void compare_generated(struct tally *t)
{
	for (int seed = 1; seed <= 2; seed++) {
		char cmd[1024];
		snprintf(cmd, sizeof cmd, "'%s' 30000 %d 2>/dev/null", GT_GEN_CASES, seed);
		FILE *f = popen(cmd, "r");
		cr_assert(f, "cannot run %s", GT_GEN_CASES);
		compare_stream(f, "gen_cases", t);
		cr_assert_eq(pclose(f), 0);
	}
}

static void compare_all(bool zh)
{
	language(zh);
	struct tally t = { 0, 0, 0, 0 };
	glob_t g;
	cr_assert_eq(glob(GT_SOURCE_DIR "/fixtures/screen/*.csv", 0, NULL, &g), 0);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		if (strstr(g.gl_pathv[i], ".expected") || strstr(g.gl_pathv[i], ".intent"))
			continue;
		FILE *f = fopen(g.gl_pathv[i], "rb");
		cr_assert(f, "%s", g.gl_pathv[i]);
		compare_stream(f, g.gl_pathv[i], &t);
		fclose(f);
	}
	globfree(&g);
	long fixtures = t.cases;
	compare_generated(&t);
	cr_log_info("%s: %ld cases (%ld of the fixtures), %ld with a chosen path, %ld paths not applied, "
		    "%ld applied for `next` alone",
		    zh ? "zh" : "en", t.cases, fixtures, t.chosen, t.skipped, t.above);
	cr_assert_gt(fixtures, 100);
	cr_assert_gt(t.cases, 59000);
	cr_assert_gt(t.chosen, t.cases / 3);
	cr_assert_gt(t.skipped, t.cases / 2);
}

Test(summary_eval, same_answer_as_gt_evaluate_en, .timeout = 300)
{
	compare_all(false);
}

Test(summary_eval, same_answer_as_gt_evaluate_zh, .timeout = 300)
{
	compare_all(true);
}

/* The plans compiled at load (gt_eval_plan_make) left out: every path's
 * part in the summary worked out case by case, the reference the plans
 * are held to above. */
Test(summary_eval, same_answer_without_the_plans, .timeout = 300)
{
	gt_eval_plan_off(true);
	compare_all(false);
	gt_eval_plan_off(false);
}

/* No shipped rule bounded by the title held fixes a level (Anshan 四（一） is
 * open), so none is ever `next` without being a candidate. With the packs
 * changed so that one fixes 高级技师, a holder of more than 员级 is no
 * candidate for it, yet it is the higher level that waits for years: the
 * summary's evaluation must apply it. */
Test(summary_eval, a_bounded_rule_above_the_level_held_is_applied, .timeout = 300)
{
	static const char open[] = "    target: open\n"
				   "    levels: [junior, intermediate, senior, technician, senior_technician]\n"
				   "    flags: [manual]\n"
				   "    max_title: entry\n";
	static const char fixed[] = "    target: fixed\n"
				    "    level: senior_technician\n"
				    "    years_from: skill\n"
				    "    years_since: 30\n"
				    "    max_title: entry\n";
	static struct gt_ruleset rs;
	bool changed = false;
	for (int i = 0; i < gt_builtin_pack_count; i++) {
		const struct gt_builtin_pack *b = &gt_builtin_packs[i];
		char *bytes = malloc(b->len + sizeof fixed);
		cr_assert(bytes);
		memcpy(bytes, b->data, b->len);
		size_t len = b->len;
		bytes[len] = '\0';
		char *at = strstr(bytes, open);
		if (at) {
			size_t tail = len - (size_t)(at - bytes) - strlen(open);
			memmove(at + strlen(fixed), at + strlen(open), tail);
			memcpy(at, fixed, strlen(fixed));
			len = len - strlen(open) + strlen(fixed);
			changed = true;
		}
		struct gt_pack_error err;
		struct gt_docver *dv = gt_pack_parse(bytes, len, b->name, &err);
		cr_assert(dv, "%s line %d: %s", b->name, err.line, err.msg);
		cr_assert_eq(gt_ruleset_add(&rs, dv), 0);
		free(bytes);
	}
	cr_assert(changed, "Anshan 四（一） is no longer as this test expects");
	gt_rules_install(&rs);
	language(false);
	struct tally t = { 0, 0, 0, 0 };
	compare_generated(&t);
	cr_log_info("%ld cases, %ld paths not applied, %ld applied for `next` alone", t.cases, t.skipped, t.above);
	cr_assert_gt(t.above, 100);
}

/* The citations compiled at load (dv->cites) are gt_cite's, rule by rule,
 * and the summary's citation column is the same with them and without. */
Test(summary_eval, compiled_citations_are_gt_cite)
{
	const struct gt_ruleset *rs = gt_rules_active();
	int rules = 0;
	cr_assert_gt(rs->n, 4);
	for (int v = 0; v < rs->n; v++) {
		const struct gt_docver *dv = rs->v[v];
		cr_assert(dv->cites, "%s", dv->id);
		for (int i = 0; i < dv->nrules; i++) {
			char want[512];
			size_t n = gt_cite(dv, dv->rules[i].clause, want, sizeof want);
			cr_assert(dv->cites[i].len == n && strcmp(dv->cites[i].s, want) == 0,
				  "%s: \"%s\" compiled as \"%s\"", dv->rules[i].id, want, dv->cites[i].s);
			rules++;
		}
	}
	cr_assert_gt(rules, 50);
	gt_eval_cites_off(true);
	compare_all(false);
	gt_eval_cites_off(false);
}
