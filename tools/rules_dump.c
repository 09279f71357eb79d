/* rules_dump: writes the C rule table (core/gt_rules_data.c) as one YAML pack
 * per document into DIR. A one-off: it made rules/*.yaml and goes with the
 * table. Build: cc -Icore tools/rules_dump.c core/gt_rules_data.c core/gt_codes.c ... */
#include <stdio.h>
#include <string.h>

#include "gt_codes.h"
#include "gt_rules.h"

static const char *const kinds[] = { "fixed", "open", "title_up_cap", "match_title", "next_skill" };
static const char *const froms[] = { "none", "skill", "title" };
static const char *const fls[] = { "none", "frontline", "frontline_or_self" };
static const char *const flags[] = { "no_level_scope", "no_pilot", "related", "frontline",
	"commendation", "manual", "level_basis", "above_held" };
static const char *const note_kinds[] = { "tech_school", "public_institution", "both_levels" };

static void str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void kv(FILE *f, const char *ind, const char *k, const char *v)
{
	if (!v)
		return;
	fprintf(f, "%s%s: ", ind, k);
	str(f, v);
	fputc('\n', f);
}

static void mask(FILE *f, const char *ind, const char *k, const struct gt_code_table *t, uint32_t m)
{
	if (!m)
		return;
	fprintf(f, "%s%s: [", ind, k);
	int first = 1;
	for (int i = 0; i < 32; i++)
		if (m & (1u << i)) {
			fprintf(f, "%s%s", first ? "" : ", ", gt_code_of(t, i));
			first = 0;
		}
	fprintf(f, "]\n");
}

static void names(FILE *f, const char *ind, const char *k, const char *const *n, int count, uint32_t m)
{
	if (!m)
		return;
	fprintf(f, "%s%s: [", ind, k);
	int first = 1;
	for (int i = 0; i < count; i++)
		if (m & (1u << i)) {
			fprintf(f, "%s%s", first ? "" : ", ", n[i]);
			first = 0;
		}
	fprintf(f, "]\n");
}

int main(int argc, char **argv)
{
	static const char *const files[] = { "chongqing", "anshan", "sichuan", "jiangsu", "guangzhou" };
	if (argc != 2)
		return 2;
	for (int g = 0; g < GT_REGION_COUNT; g++) {
		char path[512];
		snprintf(path, sizeof path, "%s/%s.yaml", argv[1], files[g]);
		FILE *f = fopen(path, "w");
		if (!f)
			return 1;
		const struct gt_document *d = &gt_documents[g];
		fprintf(f, "# guantong policy pack: see guantong-rules(5).\n");
		fprintf(f, "# %s\n", d->title);
		fprintf(f, "format: 1\n");
		fprintf(f, "document:\n");
		kv(f, "  ", "number", d->number);
		kv(f, "  ", "version", "1");
		kv(f, "  ", "title", d->title);
		kv(f, "  ", "source", d->source);
		fprintf(f, "  region: %s\n", gt_code_of(&gt_regions, d->region));
		fprintf(f, "  in_force_from: %04d-%02d-%02d\n", d->effective_ymd / 10000,
			d->effective_ymd / 100 % 100, d->effective_ymd % 100);
		kv(f, "  ", "effective_clause", d->effective_clause);
		kv(f, "  ", "veto_clause", d->veto_clause);
		fprintf(f, "scopes:\n");
		for (int dir = 0; dir < GT_DIR_COUNT; dir++) {
			const struct gt_scope *s = &gt_scopes[g][dir];
			const struct gt_code_table *lv = dir == GT_DIR_SKILL_TO_TITLE ? &gt_title_levels : &gt_skill_levels;
			fprintf(f, "  - direction: %s\n", gt_code_of(&gt_directions, dir));
			kv(f, "    ", "section_clause", s->section_clause);
			if (s->min_skill)
				fprintf(f, "    min_skill: %s\n", gt_code_of(&gt_skill_levels, s->min_skill));
			if (s->min_title)
				fprintf(f, "    min_title: %s\n", gt_code_of(&gt_title_levels, s->min_title));
			kv(f, "    ", "level_clause", s->level_clause);
			mask(f, "    ", "series", &gt_series_codes, s->series_mask);
			kv(f, "    ", "series_clause", s->series_clause);
			kv(f, "    ", "region_clause", s->region_clause);
			if (s->pilot)
				fprintf(f, "    pilot: true\n");
			kv(f, "    ", "pilot_clause", s->pilot_clause);
			if (s->frontline)
				fprintf(f, "    frontline: %s\n", fls[s->frontline]);
			kv(f, "    ", "frontline_clause", s->frontline_clause);
			if (s->appraisal)
				fprintf(f, "    appraisal: true\n");
			kv(f, "    ", "appraisal_clause", s->appraisal_clause);
			mask(f, "    ", "achievement_levels", lv, s->achievement_levels);
			kv(f, "    ", "achievement_clause", s->achievement_clause);
			if (s->self_employed_proof)
				fprintf(f, "    self_employed_proof: true\n");
			kv(f, "    ", "self_employed_clause", s->self_employed_clause);
		}
		fprintf(f, "rules:\n");
		for (int i = 0; i < gt_rule_count; i++) {
			const struct gt_rule *r = &gt_rules[i];
			if (r->region != g)
				continue;
			const struct gt_code_table *lv = r->direction == GT_DIR_SKILL_TO_TITLE ? &gt_title_levels : &gt_skill_levels;
			fprintf(f, "  - id: %s\n", r->id);
			fprintf(f, "    direction: %s\n", gt_code_of(&gt_directions, r->direction));
			fprintf(f, "    route: %s\n", gt_code_of(&gt_routes, r->route));
			fprintf(f, "    target: %s\n", kinds[r->target_kind]);
			if (r->target)
				fprintf(f, "    level: %s\n", gt_code_of(lv, r->target));
			mask(f, "    ", "levels", lv, r->target_mask);
			names(f, "    ", "flags", flags, 8, r->flags);
			if (r->min_skill)
				fprintf(f, "    min_skill: %s\n", gt_code_of(&gt_skill_levels, r->min_skill));
			if (r->min_title)
				fprintf(f, "    min_title: %s\n", gt_code_of(&gt_title_levels, r->min_title));
			if (r->max_title != 0xff)
				fprintf(f, "    max_title: %s\n", gt_code_of(&gt_title_levels, r->max_title));
			if (r->years_from)
				fprintf(f, "    years_from: %s\n", froms[r->years_from]);
			if (r->years_since)
				fprintf(f, "    years_since: %d\n", r->years_since);
			if (r->years_cumulative)
				fprintf(f, "    years_cumulative: %d\n", r->years_cumulative);
			if (r->years_in_region)
				fprintf(f, "    years_in_region: %d\n", r->years_in_region);
			mask(f, "    ", "honours", &gt_honours, r->honours);
			if (r->nadmits) {
				fprintf(f, "    competitions:\n");
				for (int k = 0; k < r->nadmits; k++) {
					const struct gt_comp_admit *a = &r->admits[k];
					mask(f, "      - ", "comps", &gt_comps, a->comps);
					mask(f, "        ", "results", &gt_results, a->results);
					if (a->rank_max[0] || a->rank_max[1] || a->rank_max[2])
						fprintf(f, "        rank_max: [%d, %d, %d]\n", a->rank_max[0], a->rank_max[1], a->rank_max[2]);
					mask(f, "        ", "roles", &gt_roles, a->roles);
				}
			}
			mask(f, "    ", "evidence", &gt_evidence_codes, r->evidence);
			kv(f, "    ", "clause", r->clause);
			kv(f, "    ", "text", r->text);
			kv(f, "    ", "note", r->note);
		}
		int any = 0;
		for (int i = 0; i < gt_exemption_count; i++) {
			const struct gt_exemption *x = &gt_exemptions[i];
			if (x->region != g)
				continue;
			if (!any++)
				fprintf(f, "exemptions:\n");
			fprintf(f, "  - by_diploma: %s\n", x->by_diploma ? "true" : "false");
			mask(f, "    ", "routes", &gt_routes, x->route_mask);
			mask(f, "    ", "levels", &gt_skill_levels, x->target_mask);
			kv(f, "    ", "rule_clause", x->rule_clause);
			kv(f, "    ", "clause", x->clause);
			kv(f, "    ", "text", x->text);
		}
		any = 0;
		for (int i = 0; i < gt_note_count; i++) {
			const struct gt_note *n = &gt_notes[i];
			if (n->region != g)
				continue;
			if (!any++)
				fprintf(f, "notes:\n");
			fprintf(f, "  - kind: %s\n", note_kinds[n->kind]);
			mask(f, "    ", "directions", &gt_directions, n->direction_mask);
			kv(f, "    ", "clause", n->clause);
			kv(f, "    ", "text", n->text);
		}
		fclose(f);
	}
	return 0;
}
