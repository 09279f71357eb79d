/* The rule table, as compiled from the shipped policy packs (the rules directory):
 * every row cited, every quoted clause present in its seed document, and
 * every row exercised by a case that passes it and one that does not. */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gt_case.h"
#include "gt_eval.h"
#include "gt_pack.h"
#include "gt_rules.h"
#include "gt_text.h"

/* The built-in packs' rows, gathered region by region (the version of each
 * region's document in force today), under the names the checks used when
 * the rows were a C table. */
#define MAX_ROWS 256
static struct gt_document gt_documents[GT_REGION_COUNT];
static struct gt_scope gt_scopes[GT_REGION_COUNT][GT_DIR_COUNT];
static struct gt_rule gt_rules[MAX_ROWS];
static int gt_rule_count;
static struct gt_exemption gt_exemptions[MAX_ROWS];
static int gt_exemption_count;
static struct gt_note gt_notes[MAX_ROWS];
static int gt_note_count;
static int group_first[GT_REGION_COUNT][GT_DIR_COUNT], group_count[GT_REGION_COUNT][GT_DIR_COUNT];

static void gather(void) __attribute__((constructor));
static void gather(void)
{
	if (gt_rules_builtin_error()) {
		fprintf(stderr, "test_rules: the built-in packs: %s\n", gt_rules_builtin_error());
		abort();
	}
	for (int g = 0; g < GT_REGION_COUNT; g++) {
		const struct gt_docver *dv = gt_rules_for(g, gt_date_from_ymd(2100, 1, 1));
		if (!dv)
			abort(); /* a shipped region without its pack */
		gt_documents[g] = dv->doc;
		for (int d = 0; d < GT_DIR_COUNT; d++) {
			gt_scopes[g][d] = dv->scopes[d];
			group_first[g][d] = gt_rule_count;
			group_count[g][d] = dv->count[d];
			for (int i = 0; i < dv->count[d] && gt_rule_count < MAX_ROWS; i++)
				gt_rules[gt_rule_count++] = dv->rules[dv->first[d] + i];
		}
		for (int i = 0; i < dv->nexemptions && gt_exemption_count < MAX_ROWS; i++)
			gt_exemptions[gt_exemption_count++] = dv->exemptions[i];
		for (int i = 0; i < dv->nnotes && gt_note_count < MAX_ROWS; i++)
			gt_notes[gt_note_count++] = dv->notes[i];
	}
}

/* ---- citations ---- */

Test(citations, every_rule_has_id_clause_text_and_a_known_document)
{
	for (int i = 0; i < gt_rule_count; i++) {
		const struct gt_rule *r = &gt_rules[i];
		cr_assert(r->id && r->id[0], "rule %d has no id", i);
		cr_assert(r->region < GT_REGION_COUNT, "%s cites no document of the table", r->id);
		cr_assert(gt_documents[r->region].number && gt_documents[r->region].number[0],
			  "%s: document without a number", r->id);
		cr_assert(r->clause && r->clause[0], "%s has no clause path", r->id);
		cr_assert(r->text && r->text[0], "%s has no clause text", r->id);
		cr_assert(r->direction < GT_DIR_COUNT, "%s", r->id);
		if ((r->flags & GT_RF_MANUAL) || r->target_kind == GT_TGT_OPEN)
			cr_assert(r->note, "%s is a manual rule without a reason", r->id);
		for (int j = 0; j < i; j++)
			cr_assert(strcmp(gt_rules[j].id, r->id) != 0, "duplicate rule id %s", r->id);
	}
}

Test(citations, every_scope_condition_is_cited)
{
	for (int g = 0; g < GT_REGION_COUNT; g++)
		for (int d = 0; d < GT_DIR_COUNT; d++) {
			const struct gt_scope *s = &gt_scopes[g][d];
			cr_assert_eq(s->region, g);
			cr_assert_eq(s->direction, d);
			cr_assert(s->region_clause && s->section_clause, "%d/%d", g, d);
			cr_assert(!(s->min_skill || s->min_title) || s->level_clause, "%d/%d", g, d);
			cr_assert(s->series_mask == 0xFF || s->series_clause, "%d/%d", g, d);
			cr_assert(!s->pilot || s->pilot_clause, "%d/%d", g, d);
			cr_assert(!s->frontline || s->frontline_clause, "%d/%d", g, d);
			cr_assert(!s->appraisal || s->appraisal_clause, "%d/%d", g, d);
			cr_assert(!s->achievement_levels || s->achievement_clause, "%d/%d", g, d);
			cr_assert(!s->self_employed_proof || s->self_employed_clause, "%d/%d", g, d);
		}
	for (int g = 0; g < GT_REGION_COUNT; g++) {
		cr_assert_eq(gt_documents[g].region, g);
		cr_assert(gt_documents[g].veto_clause && gt_documents[g].effective_clause);
		cr_assert(gt_documents[g].effective_ymd > 20000000);
	}
	for (int i = 0; i < gt_exemption_count; i++) {
		const struct gt_exemption *x = &gt_exemptions[i];
		cr_assert(x->clause && x->text, "exemption %d", i);
		/* an exemption for one clause's rule names a clause some rule has */
		bool found = !x->rule_clause;
		for (int k = 0; k < gt_rule_count && !found; k++)
			found = gt_rules[k].region == x->region &&
				gt_rules[k].direction == GT_DIR_TITLE_TO_SKILL &&
				strcmp(gt_rules[k].clause, x->rule_clause) == 0;
		cr_assert(found, "exemption %s names no rule's clause", x->clause);
	}
	for (int i = 0; i < gt_note_count; i++)
		cr_assert(gt_notes[i].clause && gt_notes[i].text, "note %d", i);
}

/* The seed text, folded, for finding quotations. */
static char *load_seed(const char *file)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", GT_SEEDS_DIR, file);
	FILE *f = fopen(path, "rb");
	cr_assert(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	size_t got = fread(s, 1, (size_t)n, f);
	fclose(f);
	s[got] = '\0';
	gt_text_fold(s);
	return s;
}

Test(citations, every_quoted_clause_is_in_its_document)
{
	char *docs[GT_REGION_COUNT];
	char frag[2048];
	for (int g = 0; g < GT_REGION_COUNT; g++)
		docs[g] = load_seed(gt_documents[g].source);
	for (int i = 0; i < gt_rule_count; i++) {
		const struct gt_rule *r = &gt_rules[i];
		const char *miss = gt_quote_missing(docs[r->region], r->text, frag, sizeof frag);
		cr_expect(miss == NULL, "%s quotes text not in %s: %s", r->id,
			  gt_documents[r->region].source, miss);
	}
	for (int i = 0; i < gt_exemption_count; i++) {
		const char *miss = gt_quote_missing(docs[gt_exemptions[i].region], gt_exemptions[i].text,
						    frag, sizeof frag);
		cr_expect(miss == NULL, "exemption %s: %s", gt_exemptions[i].clause, miss);
	}
	for (int i = 0; i < gt_note_count; i++) {
		const char *miss = gt_quote_missing(docs[gt_notes[i].region], gt_notes[i].text,
						    frag, sizeof frag);
		cr_expect(miss == NULL, "note %s: %s", gt_notes[i].clause, miss);
	}
	for (int g = 0; g < GT_REGION_COUNT; g++)
		free(docs[g]);
}

Test(table, rows_are_grouped_by_region_and_direction_and_fit_the_answer)
{
	int total = 0;
	for (int g = 0; g < GT_REGION_COUNT; g++)
		for (int d = 0; d < GT_DIR_COUNT; d++) {
			int first, count;
			first = group_first[g][d];
			count = group_count[g][d];
			cr_assert(count > 0, "region %d direction %d has no rules", g, d);
			cr_assert(count <= GT_MAX_PATHS, "region %d direction %d: %d rules", g, d, count);
			for (int i = first; i < first + count; i++)
				cr_assert(gt_rules[i].region == g && gt_rules[i].direction == d,
					  "%s is outside its group", gt_rules[i].id);
			total += count;
		}
	cr_assert_eq(total, gt_rule_count);
	for (int i = 1; i < gt_rule_count; i++)
		cr_assert(gt_rules[i - 1].region * GT_DIR_COUNT + gt_rules[i - 1].direction <=
			  gt_rules[i].region * GT_DIR_COUNT + gt_rules[i].direction,
			  "%s is out of order: the table is sorted by region, then direction",
			  gt_rules[i].id);
	/* Conditions one rule can produce: scope level, series, region, pilot,
	 * held skill, held title, title bound, related, years since, cumulative,
	 * appraisal, frontline, honour, years in region = 14. */
	cr_assert(GT_MAX_CONDS >= 14);
	for (int i = 0; i < gt_rule_count; i++) {
		const struct gt_rule *r = &gt_rules[i];
		if (r->max_title != 0xFF)
			cr_assert_str_eq(r->id, "AS-T2S-1", "only 四（一） bounds the title held");
		cr_assert(r->nadmits <= GT_MAX_ADMITS);
		/* a level the clause may leave unfixed has its range in the table
		 * (interp. 22, 32, 36); 晋级 has the top of its ladder (interp. 21) */
		if (r->target_kind == GT_TGT_OPEN || r->target_kind == GT_TGT_TITLE_UP_CAP ||
		    r->target_kind == GT_TGT_MATCH_TITLE)
			cr_assert(r->target_mask, "%s gives no level when it fixes none", r->id);
		if (r->target_kind == GT_TGT_NEXT_SKILL)
			cr_assert_eq(r->target, GT_SKILL_SENIOR_TECHNICIAN, "%s: 晋级 stops at 高级技师", r->id);
		if (r->direction == GT_DIR_SKILL_TO_TITLE)
			cr_assert(!(r->target_mask & (1u << GT_TITLE_ENTRY)), "%s gives 员级 (interp. 32)", r->id);
		if (r->flags & GT_RF_ABOVE_HELD)
			cr_assert_eq(r->target_kind, GT_TGT_OPEN, "%s", r->id);
		if (r->years_since)
			cr_assert(r->years_from == GT_FROM_SKILL ? r->min_skill : r->min_title,
				  "%s counts years from a level it does not ask for", r->id);
	}
}

/* ---- every rule row, passed and failed ---- */

#define ALL_EVIDENCE "id_card;skill_certificate;title_certificate;work_record;appraisal_records;" \
	"award_certificate;commendation_document;frontline_proof;employment_proof;achievement_evidence;" \
	"international_certificate"

/* Builds a case from "column=value" words over sensible defaults, through the
 * real parser. */
static void make_case(struct gt_case *c, const char *kv)
{
	const char *val[GT_COL_COUNT] = { 0 };
	char *copy = strdup(kv), *save = NULL;
	val[GT_COL_NAME] = "测试";
	val[GT_COL_ID_NUMBER] = "11010519491231002X";
	val[GT_COL_SERIES] = "engineering";
	val[GT_COL_SKILL_LEVEL] = "none";
	val[GT_COL_TITLE_LEVEL] = "none";
	val[GT_COL_APPRAISALS_PASSED] = "3";
	val[GT_COL_EVIDENCE] = ALL_EVIDENCE;
	val[GT_COL_APPLICATION_DATE] = "2024-06-30";
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(w, '=');
		cr_assert(eq, "bad word %s", w);
		*eq = '\0';
		int col = -1;
		for (int i = 0; i < GT_COL_COUNT; i++)
			if (strcmp(gt_column_names[i], w) == 0)
				col = i;
		cr_assert(col >= 0, "unknown column %s", w);
		val[col] = eq + 1;
	}
	struct gt_header h;
	struct gt_span f[GT_COL_COUNT];
	for (int i = 0; i < GT_COL_COUNT; i++) {
		h.pos[i] = (int16_t)i;
		f[i].p = val[i] ? val[i] : "";
		f[i].n = strlen(f[i].p);
	}
	h.nfields = GT_COL_COUNT;
	struct gt_row_error err;
	int rc = gt_case_parse(c, &h, f, GT_COL_COUNT, gt_date_from_ymd(2024, 6, 30), &err);
	cr_assert_eq(rc, 0, "case \"%s\" does not parse: %s", kv, err.msg);
	free(copy);
}

static const struct gt_path *path_of(const struct gt_eval *ev, const char *id)
{
	for (int i = 0; i < ev->npaths; i++)
		if (strcmp(ev->paths[i].rule->id, id) == 0)
			return &ev->paths[i];
	return NULL;
}

struct row_case {
	const char *rule;
	const char *kv;
	int outcome;        /* of that rule's path */
	int unmet;          /* a code that must be unmet, or -1 */
	int target;         /* the path's target level, or -2 to skip */
};

#define CQS "region=chongqing direction=skill_to_title "
#define CQT "region=chongqing direction=title_to_skill "
#define ASS "region=anshan direction=skill_to_title frontline=yes "
#define AST "region=anshan direction=title_to_skill "
#define SCS "region=sichuan direction=skill_to_title "
#define SCT "region=sichuan direction=title_to_skill "
#define JSS "region=jiangsu direction=skill_to_title frontline=yes "
#define JST "region=jiangsu direction=title_to_skill "
#define GZS "region=guangzhou direction=skill_to_title pilot_enterprise=yes "
#define GZT "region=guangzhou direction=title_to_skill pilot_enterprise=yes "
#define OK GT_OUT_ELIGIBLE
#define NO GT_OUT_NOT_ELIGIBLE
#define MR GT_OUT_MANUAL_REVIEW
#define NE GT_OUT_NEEDS_EVIDENCE
#define U(x) GT_UNMET_##x
#define SKIP -2

static const struct row_case row_cases[] = {
	/* Chongqing 二（一）, anniversaries on 2024-06-30 (the application date) */
	{ "CQ-S2T-1", CQS "skill_level=senior skill_date=2022-06-30", OK, -1, GT_TITLE_ASSISTANT },
	{ "CQ-S2T-1", CQS "skill_level=senior skill_date=2022-07-01", NO, U(YEARS_SINCE_LEVEL), SKIP },
	{ "CQ-S2T-1", CQS "skill_level=intermediate skill_date=2010-01-01", NO, U(SCOPE_LEVEL), SKIP },
	{ "CQ-S2T-2", CQS "skill_level=technician skill_date=2021-06-30", OK, -1, GT_TITLE_INTERMEDIATE },
	{ "CQ-S2T-2", CQS "skill_level=technician skill_date=2021-07-01", NO, U(YEARS_SINCE_LEVEL), SKIP },
	{ "CQ-S2T-2", CQS "skill_level=technician skill_date=2021-06-30 related=no", NO, U(RELATED), SKIP },
	{ "CQ-S2T-3", CQS "skill_level=senior_technician skill_date=2020-06-30", OK, -1, GT_TITLE_DEPUTY_SENIOR },
	{ "CQ-S2T-3", CQS "skill_level=senior_technician skill_date=2020-07-01", NO, U(YEARS_SINCE_LEVEL), SKIP },
	{ "CQ-S2T-G1", CQS "skill_level=senior skill_date=2023-01-01 honors=china_skills_award", OK, -1, GT_TITLE_FULL_SENIOR },
	{ "CQ-S2T-G1", CQS "skill_level=senior skill_date=2023-01-01 competitions=worldskills:gold:expert_leader", OK, -1, SKIP },
	{ "CQ-S2T-G1", CQS "skill_level=senior skill_date=2023-01-01 competitions=worldskills:gold:coach", NO, U(HONOUR), SKIP },
	{ "CQ-S2T-G1", CQS "skill_level=senior skill_date=2023-01-01 honors=china_skills_award appraisals_passed=2", NO, U(APPRAISAL), SKIP },
	{ "CQ-S2T-G2", CQS "skill_level=senior skill_date=2023-01-01 honors=chongqing_skills_master", OK, -1, GT_TITLE_DEPUTY_SENIOR },
	{ "CQ-S2T-G2", CQS "skill_level=senior skill_date=2023-01-01 competitions=worldskills:silver", OK, -1, SKIP },
	{ "CQ-S2T-G2", CQS "skill_level=intermediate skill_date=2023-01-01 honors=chongqing_skills_master", NO, U(SCOPE_LEVEL), SKIP },
	{ "CQ-S2T-G3", CQS "skill_level=senior skill_date=2023-01-01 competitions=national_class1:rank5", OK, -1, GT_TITLE_INTERMEDIATE },
	{ "CQ-S2T-G3", CQS "skill_level=senior skill_date=2023-01-01 competitions=chongqing_skills:bronze", OK, -1, SKIP },
	{ "CQ-S2T-G3", CQS "skill_level=senior skill_date=2023-01-01 competitions=national_class1:rank6", NO, U(HONOUR), SKIP },
	{ "CQ-S2T-G3", CQS "skill_level=senior skill_date=2023-01-01 competitions=national_class2:rank4", NO, U(HONOUR), SKIP },
	/* Chongqing 二（二）, 三（二）1 */
	{ "CQ-T2S-1A", CQT "title_level=assistant title_date=2024-01-01", OK, -1, GT_SKILL_SENIOR },
	{ "CQ-T2S-1A", CQT "title_level=assistant title_date=2024-01-01 related=no", NO, U(RELATED), SKIP },
	{ "CQ-T2S-1B", CQT "title_level=intermediate title_date=2024-01-01", OK, -1, GT_SKILL_TECHNICIAN },
	{ "CQ-T2S-1B", CQT "title_level=intermediate title_date=2024-01-01 appraisals_passed=2", NO, U(APPRAISAL), SKIP },
	{ "CQ-T2S-1C", CQT "title_level=deputy_senior title_date=2024-01-01", OK, -1, GT_SKILL_SENIOR_TECHNICIAN },
	{ "CQ-T2S-1C", CQT "title_level=deputy_senior title_date=2024-01-01 employed_in_region=no", NO, U(SCOPE_REGION), SKIP },
	{ "CQ-T2S-2", CQT "title_level=assistant title_date=2015-01-01 skill_level=senior skill_date=2023-06-30 work_start=2020-06-30", OK, -1, GT_SKILL_TECHNICIAN },
	{ "CQ-T2S-2", CQT "title_level=assistant title_date=2015-01-01 skill_level=senior skill_date=2023-06-30 work_start=2020-07-01", NO, U(YEARS_CUMULATIVE), SKIP },
	{ "CQ-T2S-2", CQT "title_level=assistant title_date=2015-01-01 skill_level=senior skill_date=2023-06-30", NE, -1, SKIP },
	{ "CQ-T2S-3", CQT "title_level=intermediate title_date=2015-01-01 skill_level=technician skill_date=2023-06-30 work_start=2020-06-30", OK, -1, GT_SKILL_SENIOR_TECHNICIAN },
	{ "CQ-T2S-3", CQT "title_level=intermediate title_date=2015-01-01 skill_level=technician skill_date=2023-07-01 work_start=2020-06-30", NO, U(YEARS_SINCE_LEVEL), SKIP },
	{ "CQ-T2S-4", CQT "title_level=deputy_senior title_date=2024-01-01 frontline=yes", OK, -1, GT_SKILL_SENIOR_TECHNICIAN },
	{ "CQ-T2S-4", CQT "title_level=deputy_senior title_date=2024-01-01", NO, U(FRONTLINE), SKIP },
	{ "CQ-T2S-D", CQT "title_level=intermediate title_date=2024-01-01 honors=provincial_talent_program", OK, -1, GT_SKILL_TECHNICIAN },
	{ "CQ-T2S-D", CQT "title_level=assistant title_date=2024-01-01 competitions=provincial_other:second:student_coach", OK, -1, GT_SKILL_SENIOR },
	{ "CQ-T2S-D", CQT "title_level=intermediate title_date=2024-01-01 competitions=provincial:third", NO, U(HONOUR), SKIP },
	{ "CQ-T2S-D", CQT "honors=provincial_gov_award", MR, -1, -1 },
	/* Anshan 三, 四 */
	{ "AS-S2T-1", ASS "skill_level=senior skill_date=2022-06-30", OK, -1, GT_TITLE_ASSISTANT },
	{ "AS-S2T-1", ASS "skill_level=senior skill_date=2022-06-30 series=agriculture", NO, U(SCOPE_SERIES), SKIP },
	{ "AS-S2T-2", ASS "skill_level=technician skill_date=2021-06-30", OK, -1, GT_TITLE_INTERMEDIATE },
	{ "AS-S2T-2", ASS "skill_level=technician skill_date=2021-06-30 frontline=no", NO, U(FRONTLINE), SKIP },
	{ "AS-S2T-3", ASS "skill_level=senior_technician skill_date=2020-06-30", OK, -1, GT_TITLE_DEPUTY_SENIOR },
	{ "AS-S2T-3", ASS "skill_level=senior_technician skill_date=2020-07-01", NO, U(YEARS_SINCE_LEVEL), SKIP },
	{ "AS-S2T-G1", ASS "skill_level=senior skill_date=2024-01-01 honors=liaoning_craftsman", OK, -1, GT_TITLE_FULL_SENIOR },
	{ "AS-S2T-G1", ASS "skill_level=senior skill_date=2024-01-01 honors=liaoning_outstanding", NO, U(HONOUR), SKIP },
	{ "AS-S2T-G1C", ASS "skill_level=senior skill_date=2024-01-01 competitions=worldskills:bronze:expert", OK, -1, GT_TITLE_FULL_SENIOR },
	{ "AS-S2T-G1C", ASS "skill_level=senior skill_date=2024-01-01 competitions=worldskills:bronze:expert evidence=id_card;award_certificate;appraisal_records;frontline_proof", NE, -1, SKIP },
	{ "AS-S2T-G2", ASS "skill_level=senior skill_date=2024-01-01 honors=provincial_master_studio", OK, -1, GT_TITLE_DEPUTY_SENIOR },
	{ "AS-S2T-G3", ASS "skill_level=senior skill_date=2024-01-01 honors=anshan_craftsman", OK, -1, GT_TITLE_INTERMEDIATE },
	{ "AS-S2T-G3C", ASS "skill_level=senior skill_date=2024-01-01 competitions=provincial:rank3:coach", OK, -1, GT_TITLE_INTERMEDIATE },
	{ "AS-S2T-G3C", ASS "skill_level=senior skill_date=2024-01-01 competitions=provincial:third", NO, U(HONOUR), SKIP },
	{ "AS-S2T-G4", ASS "skill_level=senior skill_date=2024-01-01 competitions=municipal:bronze", OK, -1, GT_TITLE_ASSISTANT },
	{ "AS-S2T-G4", ASS "skill_level=senior skill_date=2024-01-01 competitions=municipal:rank4", NO, U(HONOUR), SKIP },
	{ "AS-T2S-1", AST "title_level=entry title_date=2020-01-01", MR, -1, -1 },
	{ "AS-T2S-1", AST "title_level=assistant title_date=2020-01-01", NO, U(HELD_LEVEL), SKIP },
	{ "AS-T2S-2", AST "title_level=assistant title_date=2024-06-30", OK, -1, GT_SKILL_SENIOR },
	{ "AS-T2S-3A", AST "title_level=assistant title_date=2021-06-30", OK, -1, GT_SKILL_TECHNICIAN },
	{ "AS-T2S-3A", AST "title_level=assistant title_date=2021-07-01", NO, U(YEARS_SINCE_LEVEL), SKIP },
	{ "AS-T2S-3B", AST "title_level=intermediate title_date=2024-06-30", OK, -1, GT_SKILL_TECHNICIAN },
	{ "AS-T2S-4A", AST "title_level=intermediate title_date=2021-06-30", OK, -1, GT_SKILL_SENIOR_TECHNICIAN },
	{ "AS-T2S-4A", AST "title_level=intermediate title_date=2021-07-01", NO, U(YEARS_SINCE_LEVEL), SKIP },
	{ "AS-T2S-4B", AST "title_level=deputy_senior title_date=2024-06-30", OK, -1, GT_SKILL_SENIOR_TECHNICIAN },
	{ "AS-T2S-4B", AST "title_level=deputy_senior title_date=2024-06-30 series=art", NO, U(SCOPE_SERIES), SKIP },
	{ "AS-T2S-5", AST "skill_level=senior skill_date=2023-06-30", MR, -1, GT_SKILL_TECHNICIAN },
	{ "AS-T2S-5", AST "skill_level=senior skill_date=2023-07-01", NO, U(YEARS_SINCE_LEVEL), SKIP },
	/* Sichuan 附件1 */
	{ "SC-S2T-1", SCS "skill_level=senior skill_date=2022-06-30", OK, -1, GT_TITLE_ASSISTANT },
	{ "SC-S2T-1", SCS "skill_level=senior skill_date=2022-06-30", OK, -1, SKIP },
	{ "SC-S2T-2", SCS "skill_level=technician skill_date=2021-06-30", OK, -1, GT_TITLE_INTERMEDIATE },
	{ "SC-S2T-3", SCS "skill_level=senior_technician skill_date=2020-06-30", OK, -1, GT_TITLE_DEPUTY_SENIOR },
	{ "SC-S2T-4A", SCS "skill_level=senior skill_date=2010-01-01 title_level=deputy_senior title_date=2019-06-30", OK, -1, GT_TITLE_FULL_SENIOR },
	{ "SC-S2T-4A", SCS "skill_level=senior skill_date=2010-01-01 title_level=deputy_senior title_date=2019-07-01", NO, U(YEARS_SINCE_LEVEL), SKIP },
	{ "SC-S2T-4B", SCS "skill_level=senior_technician skill_date=2014-06-30", OK, -1, GT_TITLE_FULL_SENIOR },
	{ "SC-S2T-4B", SCS "skill_level=senior_technician skill_date=2014-07-01", NO, U(YEARS_SINCE_LEVEL), SKIP },
	{ "SC-S2T-G1-1", SCS "skill_level=senior skill_date=2024-01-01 competitions=national_class2:bronze", OK, -1, GT_TITLE_INTERMEDIATE },
	{ "SC-S2T-G1-1", SCS "skill_level=senior skill_date=2024-01-01 competitions=national_class2:rank3", NO, U(HONOUR), SKIP },
	{ "SC-S2T-G1-2", SCS "skill_level=senior skill_date=2024-01-01 honors=sichuan_technical_expert", OK, -1, GT_TITLE_INTERMEDIATE },
	{ "SC-S2T-G1-3", SCS "skill_level=senior skill_date=2024-01-01 honors=provincial_master_studio", OK, -1, GT_TITLE_INTERMEDIATE },
	{ "SC-S2T-G1-4", SCS "skill_level=senior skill_date=2024-01-01 honors=provincial_heritage_inheritor", OK, -1, GT_TITLE_INTERMEDIATE },
	{ "SC-S2T-G2-1", SCS "skill_level=senior skill_date=2024-01-01 honors=tianfu_craftsman", OK, -1, GT_TITLE_DEPUTY_SENIOR },
	{ "SC-S2T-G2-2", SCS "skill_level=senior skill_date=2024-01-01 honors=national_master_studio", OK, -1, GT_TITLE_DEPUTY_SENIOR },
	{ "SC-S2T-G2-3", SCS "skill_level=senior skill_date=2024-01-01 competitions=national_class1:rank3:winner:2", OK, -1, GT_TITLE_DEPUTY_SENIOR },
	{ "SC-S2T-G2-3", SCS "skill_level=senior skill_date=2024-01-01 competitions=national_class1:rank4:winner:2", NO, U(HONOUR), SKIP },
	{ "SC-S2T-G2-3", SCS "skill_level=senior skill_date=2024-01-01 competitions=national_class1:rank2:winner:3", OK, -1, SKIP },
	{ "SC-S2T-G2-3", SCS "skill_level=senior skill_date=2024-01-01 competitions=national_class1:bronze:winner:3", NO, U(HONOUR), SKIP },
	{ "SC-S2T-G2-3", SCS "skill_level=senior skill_date=2024-01-01 competitions=national_class1:rank5", OK, -1, SKIP },
	{ "SC-S2T-G2-4", SCS "skill_level=senior skill_date=2024-01-01 honors=national_heritage_inheritor", OK, -1, GT_TITLE_DEPUTY_SENIOR },
	{ "SC-S2T-G3-1", SCS "skill_level=senior skill_date=2024-01-01 honors=state_council_allowance frontline=yes", OK, -1, GT_TITLE_FULL_SENIOR },
	{ "SC-S2T-G3-1", SCS "skill_level=senior skill_date=2024-01-01 honors=state_council_allowance", NO, U(FRONTLINE), SKIP },
	{ "SC-S2T-G3-2", SCS "skill_level=senior skill_date=2024-01-01 honors=china_skills_award", OK, -1, GT_TITLE_FULL_SENIOR },
	{ "SC-S2T-G3-3", SCS "skill_level=senior skill_date=2024-01-01 competitions=worldskills:gold:coach_leader", OK, -1, GT_TITLE_FULL_SENIOR },
	{ "SC-S2T-G3-3", SCS "skill_level=senior skill_date=2024-01-01 competitions=worldskills:gold:coach", NO, U(HONOUR), SKIP },
	/* Sichuan 附件2, 三（三） */
	{ "SC-T2S-1", SCT "title_level=assistant title_date=2020-01-01 work_start=2022-06-30", OK, -1, GT_SKILL_SENIOR },
	{ "SC-T2S-1", SCT "title_level=assistant title_date=2020-01-01 work_start=2022-07-01", NO, U(YEARS_CUMULATIVE), SKIP },
	{ "SC-T2S-1", SCT "title_level=assistant title_date=2020-01-01", NE, -1, SKIP },
	{ "SC-T2S-2", SCT "title_level=intermediate title_date=2020-01-01 work_start=2020-06-30", OK, -1, GT_SKILL_TECHNICIAN },
	{ "SC-T2S-3", SCT "title_level=deputy_senior title_date=2020-01-01 work_start=2016-06-30", OK, -1, GT_SKILL_SENIOR_TECHNICIAN },
	{ "SC-T2S-3", SCT "title_level=deputy_senior title_date=2020-01-01 work_start=2016-07-01", NO, U(YEARS_CUMULATIVE), SKIP },
	{ "SC-T2S-4", SCT "skill_level=junior skill_date=2023-06-30", MR, -1, GT_SKILL_INTERMEDIATE },
	{ "SC-T2S-5", SCT "honors=provincial_sci_tech_award", MR, -1, -1 },
	{ "SC-T2S-6", SCT "title_level=full_senior title_date=2024-06-30", OK, -1, GT_SKILL_SENIOR_TECHNICIAN },
	/* Jiangsu 二 */
	{ "JS-S2T-1", JSS "skill_level=senior skill_date=2022-06-30", OK, -1, GT_TITLE_ASSISTANT },
	{ "JS-S2T-1", JSS "skill_level=senior skill_date=2022-06-30 frontline=no", NO, U(FRONTLINE), SKIP },
	{ "JS-S2T-1", JSS "skill_level=senior skill_date=2022-06-30 frontline=no self_employed=yes", OK, -1, SKIP },
	{ "JS-S2T-2", JSS "skill_level=technician skill_date=2021-06-30", OK, -1, GT_TITLE_INTERMEDIATE },
	{ "JS-S2T-3", JSS "skill_level=senior_technician skill_date=2020-06-30", OK, -1, GT_TITLE_DEPUTY_SENIOR },
	{ "JS-S2T-G1", JSS "skill_level=senior skill_date=2024-01-01 honors=jiangsu_young_expert", OK, -1, GT_TITLE_DEPUTY_SENIOR },
	{ "JS-S2T-G1", JSS "skill_level=senior skill_date=2024-01-01 competitions=jiangsu_champion:first", OK, -1, SKIP },
	{ "JS-S2T-G1", JSS "skill_level=senior skill_date=2024-01-01 competitions=jiangsu_champion:second", NO, U(HONOUR), SKIP },
	{ "JS-S2T-G1", JSS "skill_level=senior skill_date=2024-01-01 competitions=worldskills:silver:coach", OK, -1, SKIP },
	{ "JS-S2T-G1L", JSS "skill_level=principal_technician skill_date=2023-01-01", OK, -1, GT_TITLE_DEPUTY_SENIOR },
	{ "JS-S2T-G1L", JSS "skill_level=senior_technician skill_date=2023-01-01", NO, U(HELD_LEVEL), SKIP },
	{ "JS-S2T-G2", JSS "skill_level=senior skill_date=2020-01-01 title_level=deputy_senior title_date=2024-01-01 honors=jiangsu_great_craftsman", OK, -1, GT_TITLE_FULL_SENIOR },
	{ "JS-S2T-G2", JSS "skill_level=senior skill_date=2020-01-01 title_level=intermediate title_date=2024-01-01 honors=jiangsu_great_craftsman", NO, U(HELD_LEVEL), SKIP },
	{ "JS-S2T-G2L", JSS "skill_level=chief_technician skill_date=2020-01-01 title_level=deputy_senior title_date=2024-01-01", OK, -1, GT_TITLE_FULL_SENIOR },
	{ "JS-S2T-G3", JSS "skill_level=senior skill_date=2020-01-01 title_level=assistant title_date=2024-01-01 honors=jiangsu_craftsman", OK, -1, GT_TITLE_INTERMEDIATE },
	{ "JS-S2T-G3", JSS "skill_level=senior skill_date=2020-01-01 title_level=deputy_senior title_date=2024-01-01 honors=jiangsu_craftsman", OK, -1, GT_TITLE_DEPUTY_SENIOR },
	{ "JS-S2T-G3", JSS "skill_level=senior skill_date=2020-01-01 honors=jiangsu_craftsman", MR, -1, -1 },
	{ "JS-S2T-M", JSS "skill_level=senior skill_date=2020-01-01 competitions=national_class1:rank7", MR, -1, -1 },
	{ "JS-S2T-M", JSS "skill_level=senior skill_date=2020-01-01 competitions=municipal:first", NO, U(HONOUR), SKIP },
	/* Jiangsu 三 */
	{ "JS-T2S-1", JST "title_level=assistant title_date=2023-06-30", OK, -1, GT_SKILL_SENIOR },
	{ "JS-T2S-1", JST "title_level=assistant title_date=2023-07-01", NO, U(YEARS_SINCE_LEVEL), SKIP },
	{ "JS-T2S-2A", JST "title_level=intermediate title_date=2023-06-30", OK, -1, GT_SKILL_TECHNICIAN },
	{ "JS-T2S-2B", JST "title_level=assistant title_date=2020-06-30", OK, -1, GT_SKILL_TECHNICIAN },
	{ "JS-T2S-2B", JST "title_level=assistant title_date=2020-07-01", NO, U(YEARS_SINCE_LEVEL), SKIP },
	{ "JS-T2S-3A", JST "title_level=deputy_senior title_date=2023-06-30", OK, -1, GT_SKILL_SENIOR_TECHNICIAN },
	{ "JS-T2S-3B", JST "title_level=intermediate title_date=2020-06-30", OK, -1, GT_SKILL_SENIOR_TECHNICIAN },
	{ "JS-T2S-D1", JST "title_level=assistant title_date=2024-06-30 honors=state_council_allowance", OK, -1, GT_SKILL_TECHNICIAN },
	{ "JS-T2S-D1", JST "title_level=assistant title_date=2024-06-30 competitions=national_skills:excellence", OK, -1, SKIP },
	{ "JS-T2S-D1", JST "honors=state_council_allowance", NO, U(SCOPE_LEVEL), SKIP },
	{ "JS-T2S-D2", JST "title_level=assistant title_date=2024-06-30 skill_level=technician skill_date=2020-01-01 honors=jiangsu_young_expert", OK, -1, GT_SKILL_SENIOR_TECHNICIAN },
	{ "JS-T2S-D2", JST "title_level=assistant title_date=2024-06-30 skill_level=senior skill_date=2020-01-01 honors=jiangsu_young_expert", NO, U(HELD_LEVEL), SKIP },
	{ "JS-T2S-M", JST "title_level=assistant title_date=2024-06-30 competitions=provincial:third", MR, -1, -1 },
	{ "JS-T2S-P1", JST "title_level=full_senior title_date=2024-06-30", MR, -1, GT_SKILL_PRINCIPAL_TECHNICIAN },
	{ "JS-T2S-P2", JST "title_level=assistant title_date=2024-06-30 honors=china_skills_award", MR, -1, GT_SKILL_PRINCIPAL_TECHNICIAN },
	{ "JS-T2S-P2", JST "title_level=assistant title_date=2024-06-30 competitions=worldskills:bronze:coach", MR, -1, SKIP },
	{ "JS-T2S-P2", JST "title_level=assistant title_date=2024-06-30 competitions=worldskills:bronze", NO, U(HONOUR), SKIP },
	{ "JS-T2S-I", JST "title_level=assistant title_date=2024-06-30 honors=international_certificate", MR, -1, -1 },
	/* Guangzhou */
	{ "GZ-S2T-1", GZS "skill_level=senior skill_date=2022-06-30", OK, -1, GT_TITLE_ASSISTANT },
	{ "GZ-S2T-1", GZS "skill_level=senior skill_date=2022-06-30 pilot_enterprise=no", NO, U(SCOPE_PILOT), SKIP },
	{ "GZ-S2T-2", GZS "skill_level=principal_technician skill_date=2019-06-30", OK, -1, GT_TITLE_FULL_SENIOR },
	{ "GZ-S2T-2", GZS "skill_level=principal_technician skill_date=2019-07-01", NO, U(YEARS_SINCE_LEVEL), SKIP },
	{ "GZ-S2T-M", GZS "skill_level=senior skill_date=2023-01-01", MR, -1, -1 },
	{ "GZ-S2T-C", GZS "pilot_enterprise=no competitions=national_skills:excellence region_work_start=2023-06-30", MR, -1, -1 },
	{ "GZ-S2T-C", GZS "pilot_enterprise=no competitions=national_skills:excellence region_work_start=2023-07-01", NO, U(YEARS_IN_REGION), SKIP },
	{ "GZ-T2S-1", GZT "title_level=assistant title_date=2023-06-30", OK, -1, GT_SKILL_SENIOR },
	{ "GZ-T2S-1", GZT "title_level=assistant title_date=2023-07-01", NO, U(YEARS_SINCE_LEVEL), SKIP },
	{ "GZ-T2S-2", GZT "title_level=full_senior title_date=2021-06-30", OK, -1, GT_SKILL_CHIEF_TECHNICIAN },
	{ "GZ-T2S-2", GZT "title_level=full_senior title_date=2021-07-01", NO, U(YEARS_SINCE_LEVEL), SKIP },
	{ "GZ-T2S-M", GZT "title_level=intermediate title_date=2020-01-01", MR, -1, -1 },
	{ "GZ-T2S-M", GZT "title_level=intermediate title_date=2020-01-01 pilot_enterprise=no", NO, U(SCOPE_PILOT), SKIP },
	{ "GZ-T2S-C", GZT "pilot_enterprise=no competitions=worldskills:silver", MR, -1, -1 },
	{ "GZ-T2S-C", GZT "pilot_enterprise=no competitions=worldskills:rank4", NO, U(HONOUR), SKIP },
};

Test(rows, every_rule_row_passes_and_fails_where_its_clause_says)
{
	struct gt_case c;
	struct gt_eval ev;
	for (size_t i = 0; i < sizeof row_cases / sizeof row_cases[0]; i++) {
		const struct row_case *t = &row_cases[i];
		make_case(&c, t->kv);
		gt_evaluate(&c, &ev);
		const struct gt_path *p = path_of(&ev, t->rule);
		cr_assert(p, "no path %s for \"%s\"", t->rule, t->kv);
		cr_expect_eq(p->outcome, t->outcome, "%s on \"%s\": outcome %s, expected %s", t->rule,
			     t->kv, gt_code_of(&gt_outcomes, p->outcome), gt_code_of(&gt_outcomes, t->outcome));
		if (t->unmet >= 0)
			cr_expect(p->unmet & (1u << t->unmet), "%s on \"%s\": %s should be unmet",
				  t->rule, t->kv, gt_code_of(&gt_unmet_codes, t->unmet));
		if (t->target != SKIP)
			cr_expect_eq(p->target, t->target, "%s on \"%s\": target %d, expected %d",
				     t->rule, t->kv, p->target, t->target);
	}
}

Test(rows, every_rule_row_has_a_passing_case)
{
	for (int i = 0; i < gt_rule_count; i++) {
		bool found = false;
		for (size_t k = 0; k < sizeof row_cases / sizeof row_cases[0] && !found; k++)
			found = strcmp(row_cases[k].rule, gt_rules[i].id) == 0 &&
				row_cases[k].outcome != GT_OUT_NOT_ELIGIBLE;
		cr_expect(found, "rule %s has no passing case in row_cases", gt_rules[i].id);
	}
}

/* ---- the summary's tie rules ---- */

static void summary(const char *kv, struct gt_case *c, struct gt_eval *ev)
{
	make_case(c, kv);
	gt_evaluate(c, ev);
}

Test(summary, vetoed_before_anything_else)
{
	struct gt_case c;
	struct gt_eval ev;
	summary(CQS "skill_level=senior skill_date=2020-01-01 integrity_flag=yes honors=china_skills_award", &c, &ev);
	cr_assert_eq(ev.outcome, GT_OUT_VETOED);
	cr_assert_eq(ev.route, GT_ROUTE_NONE);
}

Test(summary, highest_reachable_without_request)
{
	struct gt_case c;
	struct gt_eval ev;
	summary(CQS "skill_level=technician skill_date=2019-01-01 honors=national_technical_expert", &c, &ev);
	cr_assert_eq(ev.outcome, GT_OUT_ELIGIBLE);
	cr_assert_eq(ev.target, GT_TITLE_DEPUTY_SENIOR);
	cr_assert_eq(ev.route, GT_ROUTE_GREEN_CHANNEL);
}

Test(summary, requested_level_counts_only_rules_giving_it)
{
	struct gt_case c;
	struct gt_eval ev;
	/* an honour that opens 正高 does not by itself open 中级 (spec 2) */
	summary(CQS "skill_level=senior skill_date=2023-01-01 honors=china_skills_award requested_level=intermediate", &c, &ev);
	cr_assert_eq(ev.outcome, GT_OUT_NOT_ELIGIBLE);
	cr_assert_eq(ev.target, GT_TITLE_INTERMEDIATE);
	/* nearest: 二（一）2 and the honour route each miss one thing (no years
	 * are counted from a level not held); regular comes first (spec 4) */
	cr_assert_str_eq(ev.paths[ev.chosen].rule->id, "CQ-S2T-2");
	cr_assert_eq(ev.unmet, 1u << GT_UNMET_HELD_LEVEL);
}

Test(summary, regular_beats_green_channel_at_the_same_level)
{
	struct gt_case c;
	struct gt_eval ev;
	summary(CQS "skill_level=technician skill_date=2019-01-01 competitions=worldskills:bronze", &c, &ev);
	cr_assert_eq(ev.target, GT_TITLE_INTERMEDIATE);
	cr_assert_eq(ev.route, GT_ROUTE_REGULAR);
}

Test(summary, eligible_beats_needs_evidence_before_route)
{
	struct gt_case c;
	struct gt_eval ev;
	summary(CQS "skill_level=technician skill_date=2019-01-01 competitions=worldskills:bronze "
		"evidence=id_card;skill_certificate;award_certificate;appraisal_records", &c, &ev);
	cr_assert_eq(ev.outcome, GT_OUT_ELIGIBLE);
	cr_assert_eq(ev.route, GT_ROUTE_GREEN_CHANNEL);
}

Test(summary, nearest_rule_prefers_years_only_over_held_level)
{
	struct gt_case c;
	struct gt_eval ev;
	summary(CQS "skill_level=senior skill_date=2023-01-01", &c, &ev);
	cr_assert_eq(ev.outcome, GT_OUT_NOT_ELIGIBLE);
	cr_assert_str_eq(ev.paths[ev.chosen].rule->id, "CQ-S2T-1");
	cr_assert_eq(ev.unmet, 1u << GT_UNMET_YEARS_SINCE_LEVEL);
}

Test(summary, no_rule_for_requested_level)
{
	struct gt_case c;
	struct gt_eval ev;
	summary(ASS "skill_level=senior skill_date=2010-01-01 requested_level=full_senior", &c, &ev);
	/* Anshan gives 正高级 by honour only: the rule exists, the honour is unmet */
	cr_assert_eq(ev.outcome, GT_OUT_NOT_ELIGIBLE);
	cr_assert(ev.unmet & (1u << GT_UNMET_HONOUR));
	summary(CQT "title_level=full_senior title_date=2010-01-01 requested_level=chief_technician", &c, &ev);
	cr_assert_eq(ev.outcome, GT_OUT_NOT_ELIGIBLE);
	cr_assert_eq(ev.unmet, 1u << GT_UNMET_NO_RULE);
}

Test(summary, manual_review_only_when_nothing_reachable)
{
	struct gt_case c;
	struct gt_eval ev;
	summary(JST "title_level=full_senior title_date=2024-06-30", &c, &ev);
	/* 三（二）1 gives 高级技师 (满1年 not yet met? 2024-06-30 → 0 years): manual 特级技师 */
	cr_assert_eq(ev.outcome, GT_OUT_MANUAL_REVIEW);
	/* no level requested: target is empty, the clause's level is the path's */
	cr_assert_eq(ev.target, -1);
	cr_assert_eq(ev.paths[ev.chosen].target, GT_SKILL_PRINCIPAL_TECHNICIAN);
	summary(JST "title_level=full_senior title_date=2020-06-30", &c, &ev);
	cr_assert_eq(ev.outcome, GT_OUT_ELIGIBLE);
	cr_assert_eq(ev.target, GT_SKILL_SENIOR_TECHNICIAN);
	cr_assert(ev.manual_above != 0, "the 特级技师 route should be named");
}

Test(summary, not_in_force_before_the_effective_date)
{
	struct gt_case c;
	struct gt_eval ev;
	summary(CQS "skill_level=senior skill_date=2018-01-01 application_date=2021-12-09", &c, &ev);
	cr_assert_eq(ev.outcome, GT_OUT_MANUAL_REVIEW);
	summary(CQS "skill_level=senior skill_date=2018-01-01 application_date=2021-12-10", &c, &ev);
	cr_assert_eq(ev.outcome, GT_OUT_ELIGIBLE);
}

Test(summary, theory_exemptions)
{
	struct gt_case c;
	struct gt_eval ev;
	summary(CQT "title_level=assistant title_date=2024-01-01", &c, &ev);
	cr_assert(ev.theory_exempt, "Chongqing 三（二）3: 高级工 by 考核评价");
	summary(CQT "title_level=intermediate title_date=2024-01-01", &c, &ev);
	cr_assert(!ev.theory_exempt);
	summary(CQT "title_level=intermediate title_date=2024-01-01 diploma_related=yes", &c, &ev);
	cr_assert(!ev.theory_exempt && ev.diploma_unproven);
	summary(CQT "title_level=intermediate title_date=2024-01-01 diploma_related=yes evidence=" ALL_EVIDENCE ";diploma", &c, &ev);
	cr_assert(ev.theory_exempt);
	summary(JST "title_level=assistant title_date=2023-01-01", &c, &ev);
	cr_assert(ev.theory_exempt, "Jiangsu 三（三）");
	summary(GZT "title_level=assistant title_date=2023-01-01 diploma_related=yes evidence=" ALL_EVIDENCE ";diploma", &c, &ev);
	cr_assert(!ev.theory_exempt, "Guangzhou grants none");
}

/* ---- the second reading (interpretations 21-41) ---- */

Test(second, no_rule_cites_the_document_number_alone)
{
	struct gt_case c;
	struct gt_eval ev;
	char cite[256];
	summary(CQS "skill_level=senior_technician skill_date=2015-01-01 title_level=full_senior title_date=2020-01-01", &c, &ev);
	cr_assert_eq(ev.unmet, 1u << GT_UNMET_NO_RULE);
	gt_eval_citation(&ev, cite, sizeof cite);
	cr_assert_str_eq(cite, "渝人社发〔2021〕55号");
	summary(GZS "skill_level=senior skill_date=2020-01-01 integrity_flag=yes", &c, &ev);
	gt_eval_citation(&ev, cite, sizeof cite);
	cr_assert_str_eq(cite, gt_documents[GT_REGION_GUANGZHOU].number, "interp. 37");
}

Test(second, promotion_stops_at_senior_technician)
{
	struct gt_case c;
	struct gt_eval ev;
	/* 技师 → 高级技师 is the last 晋级 step (interp. 21) */
	summary(AST "skill_level=technician skill_date=2020-01-01", &c, &ev);
	cr_assert_eq(ev.outcome, GT_OUT_MANUAL_REVIEW);
	cr_assert_eq(ev.target, -1);
	cr_assert_str_eq(ev.paths[ev.chosen].rule->id, "AS-T2S-5");
	cr_assert_eq(ev.paths[ev.chosen].target, GT_SKILL_SENIOR_TECHNICIAN);
	summary(AST "skill_level=senior_technician skill_date=2020-01-01", &c, &ev);
	cr_assert_eq(ev.outcome, GT_OUT_NOT_ELIGIBLE);
	cr_assert_eq(ev.unmet, 1u << GT_UNMET_NO_RULE);
	/* Sichuan: 三（三）3 科学技术奖 may still give more (interp. 21, 22) */
	summary(SCT "skill_level=senior_technician skill_date=2010-01-01", &c, &ev);
	cr_assert_eq(ev.unmet, 1u << GT_UNMET_HONOUR);
	cr_assert_str_eq(ev.clause, "三（三）3");
	summary(SCT "skill_level=chief_technician skill_date=2010-01-01", &c, &ev);
	cr_assert_eq(ev.unmet, 1u << GT_UNMET_NO_RULE);
	/* related binds 晋级 (interp. 18) */
	summary(AST "skill_level=technician skill_date=2020-01-01 title_level=assistant title_date=2018-01-01 related=no", &c, &ev);
	cr_assert_eq(ev.outcome, GT_OUT_NOT_ELIGIBLE);
	cr_assert_eq(ev.unmet, 1u << GT_UNMET_RELATED);
}

Test(second, bounded_rules_are_no_candidate_for_one_who_holds_more)
{
	struct gt_case c;
	struct gt_eval ev;
	/* Anshan 四（一） for at most 技术员 (interp. 22) */
	summary(AST "skill_level=technician skill_date=2023-06-24 title_level=assistant title_date=2020-12-20 series=agriculture", &c, &ev);
	cr_assert_str_eq(ev.paths[ev.chosen].rule->id, "AS-T2S-5");
	cr_assert_eq(ev.unmet, 1u << GT_UNMET_SCOPE_SERIES);
	/* Chongqing 三（二）1 with no title: at most 高级技师 (interp. 22, 23) */
	summary(CQT "skill_level=principal_technician skill_date=2018-01-01 competitions=worldskills:gold", &c, &ev);
	cr_assert_eq(ev.unmet, 1u << GT_UNMET_NO_RULE);
	summary(CQT "skill_level=technician skill_date=2018-01-01 title_level=entry title_date=2011-07-01 competitions=provincial:second", &c, &ev);
	cr_assert_eq(ev.outcome, GT_OUT_MANUAL_REVIEW);
	cr_assert_eq(ev.route, GT_ROUTE_DIRECT);
	cr_assert(ev.theory_exempt, "直接认定 waives the theory exam (interp. 35)");
	/* a relative level is given only above the one held, also to a request (spec 5) */
	summary(JSS "skill_level=senior skill_date=2015-01-01 title_level=deputy_senior title_date=2020-01-01 "
		"honors=jiangsu_craftsman requested_level=deputy_senior", &c, &ev);
	cr_assert_eq(ev.outcome, GT_OUT_NOT_ELIGIBLE);
	cr_assert_str_eq(ev.paths[ev.chosen].rule->id, "JS-S2T-3");
	/* no rule gives 员级 (interp. 32) */
	summary(JSS "skill_level=senior skill_date=2020-01-01 honors=jiangsu_craftsman requested_level=entry", &c, &ev);
	cr_assert_eq(ev.unmet, 1u << GT_UNMET_NO_RULE);
}

Test(second, guangzhou_open_step_gives_any_level_above_held)
{
	struct gt_case c;
	struct gt_eval ev;
	summary(GZS "skill_level=senior_technician skill_date=2015-01-01 title_level=deputy_senior title_date=2019-01-01", &c, &ev);
	cr_assert_eq(ev.outcome, GT_OUT_MANUAL_REVIEW);
	cr_assert_str_eq(ev.paths[ev.chosen].rule->id, "GZ-S2T-M");
	/* not to a request at or below the level held (interp. 41) */
	summary(GZT "skill_level=senior_technician skill_date=2015-01-01 title_level=intermediate title_date=2015-01-01 requested_level=technician", &c, &ev);
	cr_assert_eq(ev.outcome, GT_OUT_NOT_ELIGIBLE);
	cr_assert_str_eq(ev.paths[ev.chosen].rule->id, "GZ-T2S-C");
	summary(GZT "skill_level=technician skill_date=2015-01-01 title_level=intermediate title_date=2015-01-01 requested_level=senior_technician", &c, &ev);
	cr_assert_eq(ev.outcome, GT_OUT_MANUAL_REVIEW);
	/* 以赛代评 for a skill level waives the theory exam (interp. 35) */
	summary(GZT "pilot_enterprise=no competitions=worldskills:excellence", &c, &ev);
	cr_assert_eq(ev.route, GT_ROUTE_COMPETITION);
	cr_assert(ev.theory_exempt);
}

Test(second, certificates_of_the_levels_the_decision_turns_on)
{
	struct gt_case c;
	struct gt_eval ev;
	/* the 高级工 scope of an honour route (interp. 24); both lack it: regular */
	summary(CQS "skill_level=senior_technician skill_date=2019-08-27 honors=state_council_allowance "
		"evidence=id_card;work_record;appraisal_records;award_certificate", &c, &ev);
	cr_assert_eq(ev.outcome, GT_OUT_NEEDS_EVIDENCE);
	cr_assert_eq(ev.route, GT_ROUTE_REGULAR);
	cr_assert_eq(ev.missing_ev, 1u << GT_EV_SKILL_CERTIFICATE);
	/* Jiangsu 高一级 counts from the title held */
	summary(JSS "skill_level=senior skill_date=2020-01-01 title_level=assistant title_date=2024-01-01 "
		"honors=jiangsu_craftsman evidence=id_card;skill_certificate;appraisal_records;award_certificate;frontline_proof", &c, &ev);
	cr_assert_eq(ev.target, GT_TITLE_INTERMEDIATE);
	cr_assert_eq(ev.missing_ev, 1u << GT_EV_TITLE_CERTIFICATE);
	/* Anshan 四（一） asks no title certificate */
	summary(AST "title_level=entry title_date=2020-01-01 evidence=id_card", &c, &ev);
	cr_assert_eq(ev.outcome, GT_OUT_MANUAL_REVIEW);
	cr_assert_eq(ev.missing_ev, 0);
}

Test(second, sichuan_achievements_and_jiangsu_self_employed)
{
	struct gt_case c;
	struct gt_eval ev;
	/* 中级 and above ask achievement_evidence; 助理级 does not (interp. 26) */
	summary(SCS "skill_level=technician skill_date=2015-06-30 evidence=id_card;skill_certificate;work_record;appraisal_records", &c, &ev);
	cr_assert_eq(ev.target, GT_TITLE_INTERMEDIATE);
	cr_assert_eq(ev.missing_ev, 1u << GT_EV_ACHIEVEMENT_EVIDENCE);
	summary(SCS "skill_level=senior skill_date=2015-06-30 evidence=id_card;skill_certificate;work_record;appraisal_records", &c, &ev);
	cr_assert_eq(ev.outcome, GT_OUT_ELIGIBLE);
	/* the open 科学技术奖 route asks it only for a requested level (interp. 41) */
	summary(SCT "honors=provincial_sci_tech_award evidence=id_card;award_certificate;appraisal_records", &c, &ev);
	cr_assert_eq(ev.missing_ev, 0);
	summary(SCT "honors=provincial_sci_tech_award requested_level=technician evidence=id_card;award_certificate;appraisal_records", &c, &ev);
	cr_assert_eq(ev.missing_ev, 1u << GT_EV_ACHIEVEMENT_EVIDENCE);
	/* Jiangsu self-employed: employment_proof, unless a frontline post is shown (interp. 25, 41) */
	summary(JST "title_level=intermediate title_date=2023-01-01 self_employed=yes evidence=id_card;title_certificate;work_record", &c, &ev);
	cr_assert_eq(ev.missing_ev, 1u << GT_EV_EMPLOYMENT_PROOF);
	summary(JSS "skill_level=senior skill_date=2020-01-01 self_employed=yes evidence=id_card;skill_certificate;work_record;appraisal_records;frontline_proof", &c, &ev);
	cr_assert_eq(ev.outcome, GT_OUT_ELIGIBLE, "frontline post shown");
	summary(JSS "skill_level=senior skill_date=2020-01-01 frontline=no self_employed=yes evidence=id_card;skill_certificate;work_record;appraisal_records", &c, &ev);
	cr_assert_eq(ev.missing_ev, 1u << GT_EV_EMPLOYMENT_PROOF);
}

Test(second, manual_route_and_basis_ties)
{
	struct gt_case c;
	struct gt_eval ev;
	/* the manual clause fixing the highest level first (spec 4) */
	summary(JST "skill_level=senior_technician skill_date=2019-01-01 title_level=assistant title_date=2018-01-01 "
		"honors=china_skills_award competitions=provincial:rank3", &c, &ev);
	cr_assert_eq(ev.outcome, GT_OUT_MANUAL_REVIEW);
	cr_assert_str_eq(ev.paths[ev.chosen].rule->id, "JS-T2S-P2");
	/* two alternatives of 二（二）3 that tie completely (interp. 34) */
	summary(JSS "skill_level=principal_technician skill_date=2024-01-01 honors=jiangsu_great_craftsman", &c, &ev);
	cr_assert_eq(ev.target, GT_TITLE_DEPUTY_SENIOR);
	cr_assert(ev.basis_level && ev.basis_honours == 1u << GT_HON_JIANGSU_GREAT_CRAFTSMAN);
	/* ... but not when one misses evidence the other has */
	summary(JSS "skill_level=principal_technician skill_date=2024-01-01 honors=jiangsu_great_craftsman "
		"evidence=id_card;skill_certificate;appraisal_records;frontline_proof", &c, &ev);
	cr_assert_eq(ev.outcome, GT_OUT_ELIGIBLE);
	cr_assert(ev.basis_level && !ev.basis_honours);
}
