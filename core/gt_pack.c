/* Policy packs: libcyaml's schemas read the YAML into raw_* structures of
 * strings and numbers; compile() turns the codes into the bit masks and enums
 * of gt_rules.h, so that the evaluator reads what it read from the C table. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cyaml/cyaml.h>
#include <yaml.h>

#include "gt_codes.h"
#include "gt_date.h"
#include "gt_eval.h"
#include "gt_i18n.h"
#include "gt_pack.h"
#include "gt_vis.h"

/* ---- the raw document, as the schemas read it */

struct raw_admit {
	char **comps;
	unsigned comps_count;
	char **results;
	unsigned results_count;
	unsigned *rank_max;
	unsigned rank_max_count;
	char **roles;
	unsigned roles_count;
};

struct raw_rule {
	char *id, *direction, *route, *target, *level;
	char **levels;
	unsigned levels_count;
	char **flags;
	unsigned flags_count;
	char *min_skill, *min_title, *max_title, *years_from;
	unsigned years_since, years_cumulative, years_in_region;
	char **honours;
	unsigned honours_count;
	struct raw_admit *competitions;
	unsigned competitions_count;
	char **evidence;
	unsigned evidence_count;
	char *clause, *text, *note;
};

struct raw_scope {
	char *direction, *section_clause, *min_skill, *min_title, *level_clause;
	char **series;
	unsigned series_count;
	char *series_clause, *region_clause;
	bool pilot;
	char *pilot_clause, *frontline, *frontline_clause;
	bool appraisal;
	char *appraisal_clause;
	char **achievement_levels;
	unsigned achievement_levels_count;
	char *achievement_clause;
	bool self_employed_proof;
	char *self_employed_clause;
};

struct raw_exemption {
	bool by_diploma;
	char **routes;
	unsigned routes_count;
	char **levels;
	unsigned levels_count;
	char *rule_clause, *clause, *text;
};

struct raw_note {
	char *kind;
	char **directions;
	unsigned directions_count;
	char *clause, *text;
};

struct raw_doc {
	char *number, *version, *title, *source, *region, *in_force_from, *in_force_until;
	char *effective_clause, *veto_clause;
};

struct raw_pack {
	unsigned format;
	struct raw_doc *document;
	struct raw_scope *scopes;
	unsigned scopes_count;
	struct raw_rule *rules;
	unsigned rules_count;
	struct raw_exemption *exemptions;
	unsigned exemptions_count;
	struct raw_note *notes;
	unsigned notes_count;
};

/* ---- schemas */

#define OPT (CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL)
#define STR(key, type, member) CYAML_FIELD_STRING_PTR(key, CYAML_FLAG_POINTER, type, member, 0, 4096)
#define OSTR(key, type, member) CYAML_FIELD_STRING_PTR(key, OPT, type, member, 0, 4096)
#define LIST(key, type, member) \
	CYAML_FIELD_SEQUENCE(key, OPT, type, member, &code_schema, 0, 64)

static const cyaml_schema_value_t code_schema = {
	CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 1, 64),
};
static const cyaml_schema_value_t uint_schema = {
	CYAML_VALUE_UINT(CYAML_FLAG_DEFAULT, unsigned),
};

static const cyaml_schema_field_t admit_fields[] = {
	LIST("comps", struct raw_admit, comps),
	LIST("results", struct raw_admit, results),
	CYAML_FIELD_SEQUENCE("rank_max", OPT, struct raw_admit, rank_max, &uint_schema, 3, 3),
	LIST("roles", struct raw_admit, roles),
	CYAML_FIELD_END
};
static const cyaml_schema_value_t admit_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct raw_admit, admit_fields),
};

static const cyaml_schema_field_t rule_fields[] = {
	STR("id", struct raw_rule, id),
	STR("direction", struct raw_rule, direction),
	STR("route", struct raw_rule, route),
	STR("target", struct raw_rule, target),
	OSTR("level", struct raw_rule, level),
	LIST("levels", struct raw_rule, levels),
	LIST("flags", struct raw_rule, flags),
	OSTR("min_skill", struct raw_rule, min_skill),
	OSTR("min_title", struct raw_rule, min_title),
	OSTR("max_title", struct raw_rule, max_title),
	OSTR("years_from", struct raw_rule, years_from),
	CYAML_FIELD_UINT("years_since", CYAML_FLAG_OPTIONAL, struct raw_rule, years_since),
	CYAML_FIELD_UINT("years_cumulative", CYAML_FLAG_OPTIONAL, struct raw_rule, years_cumulative),
	CYAML_FIELD_UINT("years_in_region", CYAML_FLAG_OPTIONAL, struct raw_rule, years_in_region),
	LIST("honours", struct raw_rule, honours),
	CYAML_FIELD_SEQUENCE("competitions", OPT, struct raw_rule, competitions, &admit_schema,
			     0, GT_MAX_ADMITS),
	LIST("evidence", struct raw_rule, evidence),
	OSTR("clause", struct raw_rule, clause),
	OSTR("text", struct raw_rule, text),
	OSTR("note", struct raw_rule, note),
	CYAML_FIELD_END
};
static const cyaml_schema_value_t rule_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct raw_rule, rule_fields),
};

static const cyaml_schema_field_t scope_fields[] = {
	STR("direction", struct raw_scope, direction),
	OSTR("section_clause", struct raw_scope, section_clause),
	OSTR("min_skill", struct raw_scope, min_skill),
	OSTR("min_title", struct raw_scope, min_title),
	OSTR("level_clause", struct raw_scope, level_clause),
	LIST("series", struct raw_scope, series),
	OSTR("series_clause", struct raw_scope, series_clause),
	OSTR("region_clause", struct raw_scope, region_clause),
	CYAML_FIELD_BOOL("pilot", CYAML_FLAG_OPTIONAL, struct raw_scope, pilot),
	OSTR("pilot_clause", struct raw_scope, pilot_clause),
	OSTR("frontline", struct raw_scope, frontline),
	OSTR("frontline_clause", struct raw_scope, frontline_clause),
	CYAML_FIELD_BOOL("appraisal", CYAML_FLAG_OPTIONAL, struct raw_scope, appraisal),
	OSTR("appraisal_clause", struct raw_scope, appraisal_clause),
	LIST("achievement_levels", struct raw_scope, achievement_levels),
	OSTR("achievement_clause", struct raw_scope, achievement_clause),
	CYAML_FIELD_BOOL("self_employed_proof", CYAML_FLAG_OPTIONAL, struct raw_scope, self_employed_proof),
	OSTR("self_employed_clause", struct raw_scope, self_employed_clause),
	CYAML_FIELD_END
};
static const cyaml_schema_value_t scope_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct raw_scope, scope_fields),
};

static const cyaml_schema_field_t exemption_fields[] = {
	CYAML_FIELD_BOOL("by_diploma", CYAML_FLAG_OPTIONAL, struct raw_exemption, by_diploma),
	LIST("routes", struct raw_exemption, routes),
	LIST("levels", struct raw_exemption, levels),
	OSTR("rule_clause", struct raw_exemption, rule_clause),
	OSTR("clause", struct raw_exemption, clause),
	OSTR("text", struct raw_exemption, text),
	CYAML_FIELD_END
};
static const cyaml_schema_value_t exemption_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct raw_exemption, exemption_fields),
};

static const cyaml_schema_field_t note_fields[] = {
	STR("kind", struct raw_note, kind),
	LIST("directions", struct raw_note, directions),
	OSTR("clause", struct raw_note, clause),
	OSTR("text", struct raw_note, text),
	CYAML_FIELD_END
};
static const cyaml_schema_value_t note_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct raw_note, note_fields),
};

static const cyaml_schema_field_t doc_fields[] = {
	STR("number", struct raw_doc, number),
	STR("version", struct raw_doc, version),
	STR("title", struct raw_doc, title),
	STR("source", struct raw_doc, source),
	STR("region", struct raw_doc, region),
	STR("in_force_from", struct raw_doc, in_force_from),
	OSTR("in_force_until", struct raw_doc, in_force_until),
	OSTR("effective_clause", struct raw_doc, effective_clause),
	OSTR("veto_clause", struct raw_doc, veto_clause),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t pack_fields[] = {
	CYAML_FIELD_UINT("format", CYAML_FLAG_DEFAULT, struct raw_pack, format),
	CYAML_FIELD_MAPPING_PTR("document", CYAML_FLAG_POINTER, struct raw_pack, document, doc_fields),
	CYAML_FIELD_SEQUENCE("scopes", CYAML_FLAG_POINTER, struct raw_pack, scopes, &scope_schema,
			     GT_DIR_COUNT, GT_DIR_COUNT),
	CYAML_FIELD_SEQUENCE("rules", CYAML_FLAG_POINTER, struct raw_pack, rules, &rule_schema, 1, 1024),
	CYAML_FIELD_SEQUENCE("exemptions", OPT, struct raw_pack, exemptions, &exemption_schema, 0, 256),
	CYAML_FIELD_SEQUENCE("notes", OPT, struct raw_pack, notes, &note_schema, 0, 32),
	CYAML_FIELD_END
};
static const cyaml_schema_value_t pack_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct raw_pack, pack_fields),
};

/* ---- errors */

/* The first error libcyaml logs, and the value it names. */
struct log_state {
	char first[256];
};

static void log_fn(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
	__attribute__((format(printf, 3, 0)));
static void log_fn(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
{
	struct log_state *st = ctx;
	if (level < CYAML_LOG_ERROR || st->first[0])
		return;
	vsnprintf(st->first, sizeof st->first, fmt, args);
	size_t n = strlen(st->first);
	while (n && (st->first[n - 1] == '\n' || st->first[n - 1] == ' '))
		st->first[--n] = '\0';
}

static void set_error(struct gt_pack_error *err, int line, int column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void set_error(struct gt_pack_error *err, int line, int column, const char *fmt, ...)
{
	va_list ap;
	err->line = line;
	err->column = column;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
}

/* libyaml alone: a syntax error with its mark, or 0. */
static int syntax_check(const char *bytes, size_t len, struct gt_pack_error *err)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int rc = 0;
	if (!yaml_parser_initialize(&p))
		return -1;
	yaml_parser_set_input_string(&p, (const unsigned char *)bytes, len);
	for (;;) {
		if (!yaml_parser_parse(&p, &ev)) {
			set_error(err, (int)p.problem_mark.line + 1, (int)p.problem_mark.column + 1,
				  _("not YAML: %s"), p.problem ? p.problem : "?");
			rc = -1;
			break;
		}
		yaml_event_type_t t = ev.type;
		/* Every text of a pack is shown to people as it is (the
		 * explanation is made visible only where it quotes a case):
		 * no control, bidi or invisible character, in any escape. */
		if (t == YAML_SCALAR_EVENT &&
		    !gt_vis_is_plain((const char *)ev.data.scalar.value, ev.data.scalar.length,
				     GT_VIS_KEEP_NL)) {
			set_error(err, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1,
				  _("a control, bidi or invisible character: text in a pack must be "
				    "plain (line breaks allowed)"));
			rc = -1;
		}
		yaml_event_delete(&ev);
		if (rc < 0 || t == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&p);
	return rc;
}

int gt_pack_locate(const char *bytes, size_t len, const char *anchor, const char *value,
		   int *line, int *column)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int rc = -1;
	bool past = anchor == NULL;
	if (!yaml_parser_initialize(&p))
		return -1;
	yaml_parser_set_input_string(&p, (const unsigned char *)bytes, len);
	while (yaml_parser_parse(&p, &ev)) {
		yaml_event_type_t t = ev.type;
		if (t == YAML_SCALAR_EVENT) {
			const char *v = (const char *)ev.data.scalar.value;
			if (past && strcmp(v, value) == 0) {
				*line = (int)ev.start_mark.line + 1;
				*column = (int)ev.start_mark.column + 1;
				rc = 0;
			} else if (!past && strcmp(v, anchor) == 0) {
				past = true;
			}
		}
		yaml_event_delete(&ev);
		if (rc == 0 || t == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&p);
	return rc;
}

/* ---- compiling */

struct pack {
	struct gt_docver dv;   /* first: gt_pack_free casts back */
	struct raw_pack *raw;
	char *origin;
	struct gt_rule *rules;
	struct gt_exemption *exemptions;
	struct gt_note *notes;
	struct gt_cite_text *cites;
	char *cite_text;
};

static void cites_make(struct pack *pk);

static const cyaml_config_t base_config = {
	.log_fn = log_fn,
	.mem_fn = cyaml_mem,
	.log_level = CYAML_LOG_ERROR,
	.flags = CYAML_CFG_DEFAULT,
};

struct ctx {
	const char *bytes;
	size_t len;
	const char *anchor; /* the rule id being compiled, to place errors */
	struct gt_pack_error *err;
};

static int fail_at(struct ctx *x, const char *value, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail_at(struct ctx *x, const char *value, const char *fmt, ...)
{
	int line = 0, column = 0;
	va_list ap;
	if (value && gt_pack_locate(x->bytes, x->len, x->anchor, value, &line, &column) < 0 && x->anchor)
		gt_pack_locate(x->bytes, x->len, NULL, x->anchor, &line, &column);
	else if (!value && x->anchor)
		gt_pack_locate(x->bytes, x->len, NULL, x->anchor, &line, &column);
	x->err->line = line;
	x->err->column = column;
	va_start(ap, fmt);
	vsnprintf(x->err->msg, sizeof x->err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

static int code(struct ctx *x, const struct gt_code_table *t, const char *s, const char *what)
{
	int i = s ? gt_code_lookup(t, s, strlen(s)) : -1;
	if (i < 0 || (t == &gt_routes && i == 0))
		return fail_at(x, s, _("unknown %s code \"%s\""), what, s ? s : "");
	return i;
}

static int name_index(struct ctx *x, const char *const *names, int n, const char *s, const char *what)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return fail_at(x, s, _("unknown %s \"%s\""), what, s);
}

static int mask_of(struct ctx *x, const struct gt_code_table *t, char **list, unsigned n,
		   const char *what, uint32_t *out)
{
	*out = 0;
	for (unsigned i = 0; i < n; i++) {
		int c = code(x, t, list[i], what);
		if (c < 0)
			return -1;
		*out |= 1u << c;
	}
	return 0;
}

static int date_of(struct ctx *x, const char *s, int *ymd, gt_date *d)
{
	int y, m, dd;
	char tail;
	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &dd, &tail) != 3 ||
	    gt_date_parse(s, strlen(s), d) != 0)
		return fail_at(x, s, _("\"%s\" is not a date (YYYY-MM-DD)"), s);
	*ymd = y * 10000 + m * 100 + dd;
	return 0;
}

static const char *const target_names[] = { "fixed", "open", "title_up_cap", "match_title", "next_skill" };
static const char *const from_names[] = { "none", "skill", "title" };
static const char *const frontline_names[] = { "none", "frontline", "frontline_or_self" };
static const char *const flag_names[] = { "no_level_scope", "no_pilot", "related", "frontline",
	"commendation", "manual", "level_basis", "above_held" };
static const char *const note_names[] = { "tech_school", "public_institution", "both_levels" };
#define COUNT(a) ((int)(sizeof a / sizeof a[0]))

static const struct gt_code_table *level_table(int direction)
{
	return direction == GT_DIR_SKILL_TO_TITLE ? &gt_title_levels : &gt_skill_levels;
}

static int compile_scope(struct ctx *x, const struct raw_scope *r, struct gt_scope *s, int region)
{
	int dir = code(x, &gt_directions, r->direction, "direction");
	uint32_t m;
	if (dir < 0)
		return -1;
	s->region = (uint8_t)region;
	s->direction = (uint8_t)dir;
	if (r->min_skill && (s->min_skill = (uint8_t)code(x, &gt_skill_levels, r->min_skill, "skill_level")) == 0xff)
		return -1;
	if (r->min_title && (s->min_title = (uint8_t)code(x, &gt_title_levels, r->min_title, "title_level")) == 0xff)
		return -1;
	s->level_clause = r->level_clause;
	if (!r->series_count)
		return fail_at(x, r->direction, _("a scope names no series"));
	if (mask_of(x, &gt_series_codes, r->series, r->series_count, "series", &m) < 0)
		return -1;
	s->series_mask = (uint8_t)m;
	s->series_clause = r->series_clause;
	s->region_clause = r->region_clause;
	s->pilot = r->pilot;
	s->pilot_clause = r->pilot_clause;
	if (r->frontline) {
		int f = name_index(x, frontline_names, COUNT(frontline_names), r->frontline, "frontline");
		if (f < 0)
			return -1;
		s->frontline = (uint8_t)f;
	}
	s->frontline_clause = r->frontline_clause;
	s->appraisal = r->appraisal;
	s->appraisal_clause = r->appraisal_clause;
	s->section_clause = r->section_clause;
	if (mask_of(x, level_table(dir), r->achievement_levels, r->achievement_levels_count,
		    "level", &m) < 0)
		return -1;
	s->achievement_levels = (uint16_t)m;
	s->achievement_clause = r->achievement_clause;
	s->self_employed_proof = r->self_employed_proof;
	s->self_employed_clause = r->self_employed_clause;
	return 0;
}

static int compile_rule(struct ctx *x, const struct raw_rule *r, struct gt_rule *o, int region)
{
	uint32_t m;
	int v;
	x->anchor = r->id;
	o->id = r->id;
	o->region = (uint8_t)region;
	if ((v = code(x, &gt_directions, r->direction, "direction")) < 0)
		return -1;
	o->direction = (uint8_t)v;
	if ((v = code(x, &gt_routes, r->route, "route")) < 0)
		return -1;
	o->route = (uint8_t)v;
	if ((v = name_index(x, target_names, COUNT(target_names), r->target, "target kind")) < 0)
		return -1;
	o->target_kind = (uint8_t)v;
	const struct gt_code_table *lv = level_table(o->direction);
	if (r->level) {
		if ((v = code(x, lv, r->level, "level")) < 0)
			return -1;
		o->target = (uint8_t)v;
	}
	if ((o->target_kind == GT_TGT_FIXED || o->target_kind == GT_TGT_TITLE_UP_CAP ||
	     o->target_kind == GT_TGT_NEXT_SKILL) && !o->target)
		return fail_at(x, r->target, _("target %s needs a level"), r->target);
	if (mask_of(x, lv, r->levels, r->levels_count, "level", &m) < 0)
		return -1;
	o->target_mask = (uint16_t)m;
	if (o->target_kind == GT_TGT_OPEN && !m)
		return fail_at(x, r->target, _("an open target needs its levels"));
	for (unsigned i = 0; i < r->flags_count; i++) {
		if ((v = name_index(x, flag_names, COUNT(flag_names), r->flags[i], "flag")) < 0)
			return -1;
		o->flags |= (uint16_t)(1u << v);
	}
	if (r->min_skill) {
		if ((v = code(x, &gt_skill_levels, r->min_skill, "skill_level")) < 0)
			return -1;
		o->min_skill = (uint8_t)v;
	}
	if (r->min_title) {
		if ((v = code(x, &gt_title_levels, r->min_title, "title_level")) < 0)
			return -1;
		o->min_title = (uint8_t)v;
	}
	o->max_title = 0xff;
	if (r->max_title) {
		if ((v = code(x, &gt_title_levels, r->max_title, "title_level")) < 0)
			return -1;
		o->max_title = (uint8_t)v;
	}
	if (r->years_from) {
		if ((v = name_index(x, from_names, COUNT(from_names), r->years_from, "years_from")) < 0)
			return -1;
		o->years_from = (uint8_t)v;
	}
	if (r->years_since > 60 || r->years_cumulative > 60 || r->years_in_region > 60)
		return fail_at(x, NULL, _("rule %s: more than 60 years"), r->id);
	if (r->years_since && !o->years_from)
		return fail_at(x, NULL, _("rule %s: years_since needs years_from"), r->id);
	o->years_since = (uint8_t)r->years_since;
	o->years_cumulative = (uint8_t)r->years_cumulative;
	o->years_in_region = (uint8_t)r->years_in_region;
	if (mask_of(x, &gt_honours, r->honours, r->honours_count, "honour", &m) < 0)
		return -1;
	o->honours = m;
	o->nadmits = (uint8_t)r->competitions_count;
	for (unsigned k = 0; k < r->competitions_count; k++) {
		const struct raw_admit *a = &r->competitions[k];
		struct gt_comp_admit *b = &o->admits[k];
		if (mask_of(x, &gt_comps, a->comps, a->comps_count, "competition", &m) < 0)
			return -1;
		if (!m)
			return fail_at(x, NULL, _("rule %s: a competition entry names no competition"), r->id);
		b->comps = (uint16_t)m;
		if (mask_of(x, &gt_results, a->results, a->results_count, "result", &m) < 0)
			return -1;
		b->results = (uint8_t)m;
		for (unsigned j = 0; j < a->rank_max_count && j < 3; j++) {
			if (a->rank_max[j] > 99)
				return fail_at(x, NULL, _("rule %s: rank above 99"), r->id);
			b->rank_max[j] = (uint8_t)a->rank_max[j];
		}
		if (mask_of(x, &gt_roles, a->roles, a->roles_count, "role", &m) < 0)
			return -1;
		if (!m)
			return fail_at(x, NULL, _("rule %s: a competition entry names no role"), r->id);
		b->roles = (uint8_t)m;
	}
	if (mask_of(x, &gt_evidence_codes, r->evidence, r->evidence_count, "evidence", &m) < 0)
		return -1;
	o->evidence = (uint16_t)m;
	if (!r->clause || !r->clause[0])
		return fail_at(x, NULL, _("rule %s has no clause path (citation)"), r->id);
	if (!r->text || !r->text[0])
		return fail_at(x, NULL, _("rule %s quotes no words of its clause"), r->id);
	o->clause = r->clause;
	o->text = r->text;
	o->note = r->note;
	return 0;
}

/* The evidence a rule asks whatever the case holds (spec: Evidence): the
 * identity card, the clause's own, the certificate of every level the rule
 * or the direction's level scope names (interp. 24), the work record for
 * years, the appraisals the scope asks, the award for an honour or result,
 * the commendation, employment proof for years in the region, and the
 * achievements of the level it fixes. What depends on the case is added by
 * the evaluator. */
static uint16_t rule_evidence_asked(const struct gt_rule *r, const struct gt_scope *sc)
{
	uint32_t ev = 1u << GT_EV_ID_CARD | r->evidence;
	bool level_scope = !(r->flags & GT_RF_NO_LEVEL_SCOPE);
	if (r->min_skill || (level_scope && sc->min_skill))
		ev |= 1u << GT_EV_SKILL_CERTIFICATE;
	if (r->min_title || (level_scope && sc->min_title))
		ev |= 1u << GT_EV_TITLE_CERTIFICATE;
	if (r->years_since || r->years_cumulative)
		ev |= 1u << GT_EV_WORK_RECORD;
	if (sc->appraisal)
		ev |= 1u << GT_EV_APPRAISAL_RECORDS;
	if (r->honours || r->nadmits)
		ev |= 1u << GT_EV_AWARD_CERTIFICATE;
	if (r->flags & GT_RF_COMMENDATION)
		ev |= 1u << GT_EV_COMMENDATION_DOCUMENT;
	if (r->years_in_region)
		ev |= 1u << GT_EV_EMPLOYMENT_PROOF;
	/* The achievements of a level that asks them (interp. 26, 41): the
	 * evaluator works them out for a level the rule does not fix. */
	if (r->target_kind == GT_TGT_FIXED && (sc->achievement_levels & 1u << r->target))
		ev |= 1u << GT_EV_ACHIEVEMENT_EVIDENCE;
	return (uint16_t)ev;
}

static int compile(struct ctx *x, struct pack *pk)
{
	struct raw_pack *r = pk->raw;
	struct gt_docver *dv = &pk->dv;
	struct raw_doc *d = r->document;
	int region;

	if (r->format != 1)
		return fail_at(x, "format", _("pack format %u is not known (1 is)"), r->format);
	if ((region = code(x, &gt_regions, d->region, "region")) < 0)
		return -1;
	if (!d->number[0] || !d->version[0])
		return fail_at(x, "number", _("the document needs a number and a version"));
	dv->doc.region = (uint8_t)region;
	dv->doc.number = d->number;
	dv->doc.version = d->version;
	dv->doc.title = d->title;
	dv->doc.source = d->source;
	if (date_of(x, d->in_force_from, &dv->doc.effective_ymd, &dv->doc.effective) < 0)
		return -1;
	dv->doc.until = GT_DATE_NONE;
	if (d->in_force_until) {
		if (date_of(x, d->in_force_until, &dv->doc.until_ymd, &dv->doc.until) < 0)
			return -1;
		if (dv->doc.until <= dv->doc.effective)
			return fail_at(x, d->in_force_until, _("in force until %s, not after it took effect"),
				       d->in_force_until);
	}
	if (!d->effective_clause || !d->veto_clause)
		return fail_at(x, "document", _("the document needs effective_clause and veto_clause"));
	dv->doc.effective_clause = d->effective_clause;
	dv->doc.veto_clause = d->veto_clause;

	bool seen[GT_DIR_COUNT] = { false };
	for (unsigned i = 0; i < r->scopes_count; i++) {
		struct gt_scope s = { 0 };
		if (compile_scope(x, &r->scopes[i], &s, region) < 0)
			return -1;
		if (seen[s.direction])
			return fail_at(x, r->scopes[i].direction, _("two scopes for %s"), r->scopes[i].direction);
		seen[s.direction] = true;
		dv->scopes[s.direction] = s;
	}

	/* Rules grouped by direction, in pack order within one. */
	pk->rules = calloc(r->rules_count, sizeof *pk->rules);
	if (!pk->rules)
		return fail_at(x, NULL, _("out of memory"));
	struct gt_rule *tmp = calloc(r->rules_count, sizeof *tmp);
	if (!tmp)
		return fail_at(x, NULL, _("out of memory"));
	for (unsigned i = 0; i < r->rules_count; i++) {
		if (compile_rule(x, &r->rules[i], &tmp[i], region) < 0) {
			free(tmp);
			return -1;
		}
		for (unsigned j = 0; j < i; j++)
			if (strcmp(tmp[j].id, tmp[i].id) == 0) {
				free(tmp);
				return fail_at(x, NULL, _("rule id %s is used twice"), r->rules[i].id);
			}
	}
	x->anchor = NULL;
	int n = 0;
	for (int dir = 0; dir < GT_DIR_COUNT; dir++) {
		dv->first[dir] = n;
		for (unsigned i = 0; i < r->rules_count; i++)
			if (tmp[i].direction == dir)
				pk->rules[n++] = tmp[i];
		dv->count[dir] = n - dv->first[dir];
		if (dv->count[dir] > 24) {
			free(tmp);
			return fail_at(x, NULL, _("more than 24 rules in one direction"));
		}
	}
	free(tmp);
	dv->rules = pk->rules;
	dv->nrules = n;
	for (int i = 0; i < n; i++)
		pk->rules[i].evidence_asked = rule_evidence_asked(&pk->rules[i],
								  &dv->scopes[pk->rules[i].direction]);

	if (r->exemptions_count) {
		pk->exemptions = calloc(r->exemptions_count, sizeof *pk->exemptions);
		if (!pk->exemptions)
			return fail_at(x, NULL, _("out of memory"));
	}
	for (unsigned i = 0; i < r->exemptions_count; i++) {
		const struct raw_exemption *e = &r->exemptions[i];
		struct gt_exemption *o = &pk->exemptions[i];
		uint32_t m;
		o->region = (uint8_t)region;
		o->by_diploma = e->by_diploma;
		if (mask_of(x, &gt_routes, e->routes, e->routes_count, "route", &m) < 0)
			return -1;
		o->route_mask = (uint8_t)m;
		if (mask_of(x, &gt_skill_levels, e->levels, e->levels_count, "skill_level", &m) < 0)
			return -1;
		o->target_mask = (uint16_t)m;
		if (!e->clause || !e->text)
			return fail_at(x, NULL, _("an exemption needs its clause and words"));
		o->rule_clause = e->rule_clause;
		o->clause = e->clause;
		o->text = e->text;
	}
	dv->exemptions = pk->exemptions;
	dv->nexemptions = (int)r->exemptions_count;

	if (r->notes_count) {
		pk->notes = calloc(r->notes_count, sizeof *pk->notes);
		if (!pk->notes)
			return fail_at(x, NULL, _("out of memory"));
	}
	for (unsigned i = 0; i < r->notes_count; i++) {
		const struct raw_note *e = &r->notes[i];
		struct gt_note *o = &pk->notes[i];
		uint32_t m;
		int k = name_index(x, note_names, COUNT(note_names), e->kind, "note kind");
		if (k < 0)
			return -1;
		o->region = (uint8_t)region;
		o->kind = (uint8_t)k;
		if (mask_of(x, &gt_directions, e->directions, e->directions_count, "direction", &m) < 0)
			return -1;
		o->direction_mask = (uint8_t)m;
		if (!e->clause || !e->text)
			return fail_at(x, NULL, _("a note needs its clause and words"));
		o->clause = e->clause;
		o->text = e->text;
	}
	dv->notes = pk->notes;
	dv->nnotes = (int)r->notes_count;

	snprintf(dv->hash, sizeof dv->hash, "%016llx", (unsigned long long)gt_fnv1a(GT_FNV1A_INIT, x->bytes, x->len));
	snprintf(dv->id, sizeof dv->id, "%s %s %s", dv->doc.number, dv->doc.version, dv->hash);
	dv->origin = pk->origin;
	gt_eval_plan_make(dv);
	cites_make(pk);
	return 0;
}

void gt_pack_free(struct gt_docver *dv)
{
	struct pack *pk = (struct pack *)dv;
	if (!pk)
		return;
	if (pk->raw)
		cyaml_free(&base_config, &pack_schema, pk->raw, 0);
	free(pk->rules);
	free(pk->exemptions);
	free(pk->notes);
	free(pk->cites);
	free(pk->cite_text);
	free(pk->origin);
	free(pk);
}

/* Every rule's citation, as gt_cite writes it, in one block (dv->cites);
 * without memory, none (the citation is then made on use). */
static void cites_make(struct pack *pk)
{
	struct gt_docver *dv = &pk->dv;
	size_t total = 0;
	for (int i = 0; i < dv->nrules; i++) {
		const char *clause = dv->rules[i].clause;
		total += strlen(dv->doc.number) + (clause && *clause ? 1 + strlen(clause) : 0) + 1;
	}
	pk->cites = calloc((size_t)dv->nrules + 1, sizeof *pk->cites);
	pk->cite_text = malloc(total + 1);
	if (!pk->cites || !pk->cite_text) {
		free(pk->cites);
		free(pk->cite_text);
		pk->cites = NULL;
		pk->cite_text = NULL;
		return;
	}
	char *p = pk->cite_text;
	for (int i = 0; i < dv->nrules; i++) {
		size_t n = gt_cite(dv, dv->rules[i].clause, p, total + 1 - (size_t)(p - pk->cite_text));
		pk->cites[i] = (struct gt_cite_text){ p, (uint32_t)n };
		p += n + 1;
	}
	dv->cites = pk->cites;
}

struct gt_docver *gt_pack_parse(const char *bytes, size_t len, const char *origin,
				struct gt_pack_error *err)
{
	struct log_state log = { { 0 } };
	cyaml_config_t config = base_config;
	struct ctx x = { bytes, len, NULL, err };
	struct pack *pk = NULL;
	cyaml_err_t rc;

	err->line = err->column = 0;
	err->msg[0] = '\0';
	if (memchr(bytes, '\0', len)) {
		set_error(err, 0, 0, _("a NUL byte: this is not a text file"));
		return NULL;
	}
	if (syntax_check(bytes, len, err) < 0)
		return NULL;
	pk = calloc(1, sizeof *pk);
	if (!pk || !(pk->origin = strdup(origin ? origin : ""))) {
		set_error(err, 0, 0, _("out of memory"));
		goto fail;
	}
	config.log_ctx = &log;
	rc = cyaml_load_data((const uint8_t *)bytes, len, &config, &pack_schema,
			     (cyaml_data_t **)&pk->raw, NULL);
	if (rc != CYAML_OK) {
		/* libcyaml names the key or value, not where: find it. */
		const char *msg = log.first[0] ? log.first : cyaml_strerror(rc);
		if (strncmp(msg, "Load: ", 6) == 0)
			msg += 6;
		const char *q = strrchr(msg, ':');
		char value[128] = "";
		if (q) {
			snprintf(value, sizeof value, "%s", q + 1 + (q[1] == ' '));
			size_t n = strlen(value);
			if (n >= 2 && value[0] == '\'' && value[n - 1] == '\'') {
				memmove(value, value + 1, n - 2);
				value[n - 2] = '\0';
			}
		}
		int line = 0, column = 0;
		if (value[0])
			gt_pack_locate(bytes, len, NULL, value, &line, &column);
		set_error(err, line, column, _("does not fit the pack format: %s"), msg);
		goto fail;
	}
	if (!pk->raw) {
		/* An empty file, or one of comments only: YAML's null document. */
		set_error(err, 1, 1, _("the pack is empty"));
		goto fail;
	}
	if (compile(&x, pk) < 0)
		goto fail;
	return &pk->dv;
fail:
	gt_pack_free(pk ? &pk->dv : NULL);
	return NULL;
}

/* ---- rulesets */

static int version_cmp(const struct gt_docver *a, const struct gt_docver *b)
{
	if (a->doc.region != b->doc.region)
		return a->doc.region < b->doc.region ? -1 : 1;
	if (a->doc.effective != b->doc.effective)
		return a->doc.effective < b->doc.effective ? -1 : 1;
	return 0;
}

int gt_ruleset_add(struct gt_ruleset *rs, struct gt_docver *dv)
{
	for (int i = 0; i < rs->n; i++)
		if (strcmp(rs->v[i]->doc.number, dv->doc.number) == 0 &&
		    strcmp(rs->v[i]->doc.version, dv->doc.version) == 0) {
			gt_pack_free(rs->v[i]);
			memmove(&rs->v[i], &rs->v[i + 1], (size_t)(rs->n - i - 1) * sizeof rs->v[0]);
			rs->n--;
			break;
		}
	if (rs->n == rs->cap) {
		int cap = rs->cap ? rs->cap * 2 : 8;
		struct gt_docver **v = realloc(rs->v, (size_t)cap * sizeof *v);
		if (!v) {
			gt_pack_free(dv);
			return -1;
		}
		rs->v = v;
		rs->cap = cap;
	}
	/* Insertion keeps the order stable: an equal date goes after. */
	int at = rs->n;
	while (at > 0 && version_cmp(rs->v[at - 1], dv) > 0)
		at--;
	memmove(&rs->v[at + 1], &rs->v[at], (size_t)(rs->n - at) * sizeof rs->v[0]);
	rs->v[at] = dv;
	rs->n++;
	return 0;
}

void gt_ruleset_free(struct gt_ruleset *rs)
{
	for (int i = 0; i < rs->n; i++)
		gt_pack_free(rs->v[i]);
	free(rs->v);
	rs->v = NULL;
	rs->n = rs->cap = 0;
}

int gt_ruleset_add_builtin(struct gt_ruleset *rs, struct gt_pack_error *err)
{
	for (int i = 0; i < gt_builtin_pack_count; i++) {
		const struct gt_builtin_pack *b = &gt_builtin_packs[i];
		struct gt_docver *dv = gt_pack_parse(b->data, b->len, b->name, err);
		if (!dv) {
			char m[sizeof err->msg + 64];
			snprintf(m, sizeof m, "%s:%d:%d: %s", b->name, err->line, err->column, err->msg);
			memcpy(err->msg, m, sizeof err->msg - 1);
			err->msg[sizeof err->msg - 1] = '\0';
			return -1;
		}
		if (gt_ruleset_add(rs, dv) < 0) {
			set_error(err, 0, 0, _("out of memory"));
			return -1;
		}
	}
	return 0;
}
