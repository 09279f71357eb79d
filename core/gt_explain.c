/* The evaluator's answer as text: the summary's columns and message, and the
 * full explanation of every pathway. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gt_eval.h"
#include "gt_vis.h"
#include "gt_i18n.h"
#include "gt_text.h"

#define BIT(x) (1u << (x))

/* Punctuation between pieces of a message, in the message's language. */
#define PUNCT(en, zh) (gt_names_zh() ? (zh) : (en))
#define STOP PUNCT(".", "。")
#define SEMI PUNCT("; ", "；")
#define COLON PUNCT(": ", "：")

/* Sentences name things in words, never by their codes (gt_name_of). */
static const char *name_of(const struct gt_code_table *t, int i)
{
	return gt_name_of(t, i);
}

const char *gt_level_code(int direction, int level)
{
	if (level < 0)
		return "";
	return gt_code_of(direction == GT_DIR_SKILL_TO_TITLE ? &gt_title_levels : &gt_skill_levels,
			  level);
}

const char *gt_level_zh(int direction, int level)
{
	if (level < 0)
		return "";
	return gt_zh_of(direction == GT_DIR_SKILL_TO_TITLE ? &gt_title_levels : &gt_skill_levels,
			level);
}

static const char *level_name(int direction, int level)
{
	if (level < 0)
		return "";
	return name_of(direction == GT_DIR_SKILL_TO_TITLE ? &gt_title_levels : &gt_skill_levels, level);
}

size_t gt_mask_codes(const struct gt_code_table *t, uint32_t mask, char *buf, size_t size)
{
	struct gt_sb sb = gt_sb_make(buf, size);
	if (t->count < 32)
		mask &= BIT(t->count) - 1;
	for (; mask; mask &= mask - 1) {
		if (sb.len)
			gt_sb_add(&sb, ";");
		gt_sb_add(&sb, t->codes[__builtin_ctz(mask)].code);
	}
	return sb.len;
}

static void add_names(struct gt_sb *sb, const struct gt_code_table *t, uint32_t mask)
{
	bool first = true;
	for (int i = 0; i < t->count; i++)
		if (mask & BIT(i)) {
			if (!first)
				gt_sb_add(sb, gt_names_zh() ? "、" : ", ");
			gt_sb_add(sb, name_of(t, i));
			first = false;
		}
}

static void add_cite(struct gt_sb *sb, const struct gt_docver *dv, const char *clause)
{
	gt_sb_add(sb, dv->doc.number);
	if (clause && *clause) {
		gt_sb_add(sb, " ");
		gt_sb_add(sb, clause);
	}
}

size_t gt_cite(const struct gt_docver *dv, const char *clause, char *buf, size_t size)
{
	struct gt_sb sb = gt_sb_make(buf, size);
	add_cite(&sb, dv, clause);
	return sb.len;
}

const char *gt_eval_ruleset(const struct gt_eval *ev)
{
	return ev->dv->id;
}

/* "competition:result" of a case's competition entry. */
static void add_comp(struct gt_sb *sb, const struct gt_comp_entry *e, bool display)
{
	const char *comp = display ? name_of(&gt_comps, e->comp) : gt_code_of(&gt_comps, e->comp);
	gt_sb_add(sb, comp);
	gt_sb_add(sb, !display ? ":" : gt_names_zh() ? "" : " ");
	if (e->result == GT_RES_RANK) {
		if (display && gt_names_zh())
			gt_sb_addf(sb, "第%u名", e->rank);
		else if (display)
			gt_sb_addf(sb, "place %u", e->rank);
		else
			gt_sb_addf(sb, "rank%u", e->rank);
	} else {
		gt_sb_add(sb, display ? name_of(&gt_results, e->result) : gt_code_of(&gt_results, e->result));
	}
}

static void add_basis(struct gt_sb *sb, const struct gt_case *c, uint32_t honours,
		      uint16_t comps, bool level, bool display)
{
	const char *sep = display ? (gt_names_zh() ? "、" : ", ") : ";";
	bool first = true;
	for (int i = 0; i < GT_HON_COUNT; i++)
		if (honours & BIT(i)) {
			if (!first)
				gt_sb_add(sb, sep);
			gt_sb_add(sb, display ? name_of(&gt_honours, i) : gt_code_of(&gt_honours, i));
			first = false;
		}
	for (int i = 0; i < c->ncomps; i++) {
		if (!(comps & BIT(i)))
			continue;
		/* The same competition:result twice (two roles) is listed once. */
		bool dup = false;
		for (int j = 0; j < i && !dup; j++)
			dup = (comps & BIT(j)) && c->comps[j].comp == c->comps[i].comp &&
			      c->comps[j].result == c->comps[i].result &&
			      c->comps[j].rank == c->comps[i].rank;
		if (dup)
			continue;
		if (!first)
			gt_sb_add(sb, sep);
		add_comp(sb, &c->comps[i], display);
		first = false;
	}
	if (level) {
		if (!first)
			gt_sb_add(sb, sep);
		gt_sb_add(sb, display ? name_of(&gt_skill_levels, c->skill) : gt_code_of(&gt_skill_levels, c->skill));
	}
}

size_t gt_eval_basis(const struct gt_eval *ev, char *buf, size_t size)
{
	struct gt_sb sb = gt_sb_make(buf, size);
	if (ev->route != GT_ROUTE_REGULAR)
		add_basis(&sb, ev->c, ev->basis_honours, ev->basis_comps, ev->basis_level, false);
	return sb.len;
}

size_t gt_eval_citation(const struct gt_eval *ev, char *buf, size_t size)
{
	if (!ev->clause) {
		if (size)
			buf[0] = '\0';
		return 0;
	}
	return gt_cite(ev->dv, ev->clause, buf, size);
}

static void add_duration(struct gt_sb *sb, int months)
{
	int y = months / 12, m = months % 12;
	if (gt_names_zh()) {
		if (y)
			gt_sb_addf(sb, "%d年", y);
		if (m || !y)
			gt_sb_addf(sb, "%d个月", m);
		return;
	}
	if (y)
		gt_sb_addf(sb, gt_ngettext("%d year", "%d years", (unsigned long)y), y);
	if (y && m)
		gt_sb_add(sb, " ");
	if (m || !y)
		gt_sb_addf(sb, gt_ngettext("%d month", "%d months", (unsigned long)m), m);
}

/* One condition in words: what is required and what the applicant has. */
static void add_cond_text(struct gt_sb *sb, const struct gt_cond *k)
{
	char d1[11], d2[11];
	switch (k->what) {
	case GT_WHAT_YEARS:
		if (k->since == GT_DATE_NONE) {
			gt_sb_addf(sb, k->state == GT_COND_PENDING
				   ? _("needs %d years; the start date is not recorded")
				   : _("needs %d years since the level is obtained; the level is not held"),
				   k->need);
			break;
		}
		gt_date_format(k->since, d1);
		gt_date_format(k->met_on, d2);
		gt_sb_addf(sb, _("needs %d years since %s, has "), k->need, d1);
		add_duration(sb, k->have);
		if (k->state == GT_COND_UNMET) {
			gt_sb_add(sb, _(", short by "));
			add_duration(sb, k->need * 12 - k->have);
			gt_sb_addf(sb, _(" (met on %s)"), d2);
		} else {
			gt_sb_addf(sb, _(" (met since %s)"), d2);
		}
		break;
	case GT_WHAT_SKILL_MIN:
		gt_sb_addf(sb, _("needs skill level %s or above, holds %s"),
			   name_of(&gt_skill_levels, k->need), name_of(&gt_skill_levels, k->have));
		break;
	case GT_WHAT_TITLE_MIN:
		gt_sb_addf(sb, _("needs title %s or above, holds %s"),
			   name_of(&gt_title_levels, k->need), name_of(&gt_title_levels, k->have));
		break;
	case GT_WHAT_TITLE_MAX:
		gt_sb_addf(sb, _("for holders of title %s or below, holds %s"),
			   name_of(&gt_title_levels, k->need), name_of(&gt_title_levels, k->have));
		break;
	case GT_WHAT_SERIES:
		gt_sb_add(sb, _("covers the series "));
		add_names(sb, &gt_series_codes, (uint32_t)k->need);
		gt_sb_addf(sb, _(" only; the case is %s"), name_of(&gt_series_codes, k->have));
		break;
	case GT_WHAT_APPRAISALS:
		if (k->have < 0)
			gt_sb_add(sb, _("needs 3 passed annual appraisals in the last 3 years; not yet recorded"));
		else
			gt_sb_addf(sb, _("needs 3 passed annual appraisals in the last 3 years, has %d"), k->have);
		break;
	default:
		switch (k->code) {
		case GT_UNMET_SCOPE_REGION:
			gt_sb_add(sb, k->state == GT_COND_MET ? _("employed in the region") : _("not employed in the region"));
			break;
		case GT_UNMET_SCOPE_PILOT:
			gt_sb_add(sb, k->state == GT_COND_MET ? _("in a pilot enterprise") : _("not in a pilot enterprise"));
			break;
		case GT_UNMET_RELATED:
			gt_sb_add(sb, k->state == GT_COND_MET ? _("the held level is in a related specialty")
							      : _("the held level is not in a related specialty"));
			break;
		case GT_UNMET_FRONTLINE:
			gt_sb_add(sb, k->state == GT_COND_MET ? _("in a frontline post") : _("not in a frontline post"));
			break;
		case GT_UNMET_HONOUR:
			gt_sb_add(sb, k->state == GT_COND_MET ? _("holds an honour or result the clause lists")
							      : _("no honour or competition result the clause lists"));
			break;
		default:
			gt_sb_add(sb, name_of(&gt_unmet_codes, k->code));
		}
	}
}

size_t gt_cond_text(const struct gt_cond *k, char *buf, size_t size)
{
	struct gt_sb sb = gt_sb_make(buf, size);
	add_cond_text(&sb, k);
	return sb.len;
}

bool gt_cond_repeats(const struct gt_path *p, int i)
{
	const struct gt_cond *k = &p->conds[i];
	for (int j = 0; j < i; j++) {
		const struct gt_cond *o = &p->conds[j];
		if (o->state == k->state && o->what == k->what && o->need == k->need && o->have == k->have &&
		    (k->what != GT_WHAT_FLAG || o->code == k->code) &&
		    (k->what != GT_WHAT_YEARS || (o->since == k->since && o->code == k->code)))
			return true;
	}
	return false;
}

/* One gap of a condition, as short as a one-line route says it. */
static void add_gap(struct gt_sb *sb, const struct gt_cond *k)
{
	switch (k->what) {
	case GT_WHAT_YEARS:
		if (k->state == GT_COND_PENDING) {
			gt_sb_add(sb, _("no start date for the years"));
			break;
		}
		/* Not held: every year of it is still to come. */
		gt_sb_add(sb, _("short by "));
		add_duration(sb, k->since == GT_DATE_NONE ? k->need * 12 : k->need * 12 - k->have);
		break;
	case GT_WHAT_SKILL_MIN:
		gt_sb_addf(sb, _("lacks %s"), name_of(&gt_skill_levels, k->need));
		break;
	case GT_WHAT_TITLE_MIN:
		gt_sb_addf(sb, _("lacks %s"), name_of(&gt_title_levels, k->need));
		break;
	case GT_WHAT_TITLE_MAX:
		gt_sb_addf(sb, _("only up to %s"), name_of(&gt_title_levels, k->need));
		break;
	case GT_WHAT_SERIES:
		gt_sb_addf(sb, _("not for the series %s"), name_of(&gt_series_codes, k->have));
		break;
	case GT_WHAT_APPRAISALS:
		if (k->have < 0)
			gt_sb_add(sb, _("appraisals not recorded"));
		else
			gt_sb_addf(sb, _("%d of 3 appraisals passed"), k->have);
		break;
	default:
		gt_sb_add(sb, name_of(&gt_unmet_codes, k->code));
	}
}

size_t gt_path_gaps(const struct gt_path *p, char *buf, size_t size)
{
	struct gt_sb sb = gt_sb_make(buf, size);
	for (int i = 0; i < p->nconds; i++) {
		const struct gt_cond *k = &p->conds[i];
		if (k->state == GT_COND_MET || gt_cond_repeats(p, i))
			continue;
		if (sb.len)
			gt_sb_add(&sb, SEMI);
		add_gap(&sb, k);
	}
	if (p->missing_ev) {
		if (sb.len)
			gt_sb_add(&sb, SEMI);
		gt_sb_add(&sb, _("missing: "));
		add_names(&sb, &gt_evidence_codes, p->missing_ev);
	}
	return sb.len;
}

int gt_eval_level(const struct gt_eval *ev)
{
	if (ev->target >= 0)
		return ev->target;
	if (ev->chosen >= 0 && ev->paths[ev->chosen].target >= 0)
		return ev->paths[ev->chosen].target;
	int best = -1;
	for (int i = 0; i < ev->npaths; i++) {
		const struct gt_path *p = &ev->paths[i];
		if (p->candidate && p->target > best &&
		    (p->outcome == GT_OUT_ELIGIBLE || p->outcome == GT_OUT_NEEDS_EVIDENCE))
			best = p->target;
	}
	return best;
}

static const char *route_name(int route)
{
	return name_of(&gt_routes, route);
}

static const char *note_text(int kind)
{
	switch (kind) {
	case GT_NOTE_TECH_SCHOOL:
		return _("a technical-school class counts as 中专, 大专 or 本科 for this application");
	case GT_NOTE_PUBLIC_INSTITUTION:
		return _("for 事业单位工勤人员 the result is not tied to a change of post");
	default:
		return _("holds both corresponding levels: priority at equal merit");
	}
}

/* The unmet conditions of a path, nearest-first reading order. */
static void add_unmet_text(struct gt_sb *sb, const struct gt_path *p)
{
	bool first = true;
	for (int i = 0; i < p->nconds; i++) {
		const struct gt_cond *k = &p->conds[i];
		if (k->state != GT_COND_UNMET || !(p->unmet & BIT(k->code)))
			continue;
		/* The scope and the rule may ask the same level: say it once. */
		bool dup = false;
		for (int j = 0; j < i && !dup; j++)
			dup = p->conds[j].state == GT_COND_UNMET && p->conds[j].what == k->what &&
			      k->what != GT_WHAT_FLAG && p->conds[j].need == k->need &&
			      p->conds[j].have == k->have;
		if (dup)
			continue;
		if (!first)
			gt_sb_add(sb, SEMI);
		add_cond_text(sb, k);
		first = false;
	}
}

/* The message's sentences, cut once into their pieces. A sentence of the
 * summary message is a translated format with %s (or %N$s) slots; formatting
 * it anew for every row scanned its text for '%' again and again. The cut
 * literal pieces are kept per call site and per thread (import evaluates on a
 * second one), and redone only when the catalogue's text for the msgid is
 * another (the language changed). A translation this cannot cut, or with
 * another number of slots than the msgid, is not used: the English msgid is
 * then written, as gettext does for a missing translation. */
#define TMPL_ARGS 4
#define TMPL_PIECES 12

struct tmpl_piece {
	const char *p; /* a literal piece, or NULL for argument `arg` */
	uint16_t n;
	int8_t arg;
};

struct tmpl {
	const char *src; /* the text it was cut from */
	int npieces;
	struct tmpl_piece pc[TMPL_PIECES];
};

struct targ {
	const char *p;
	size_t n;
};

/* Cuts f into t; false for a conversion other than %s, %d (the caller
 * passes the number written out), %N$s, %N$d and %%, for
 * more pieces than fit, or when the slots are not exactly 0..nargs-1. */
static bool tmpl_cut(struct tmpl *t, const char *f, int nargs)
{
	int np = 0, next = 0;
	unsigned used = 0;
	size_t i = 0, from = 0;
	for (;;) {
		char ch = f[i];
		if (ch != '\0' && ch != '%') {
			i++;
			continue;
		}
		if (i > from) {
			if (np == TMPL_PIECES || i - from > UINT16_MAX)
				return false;
			t->pc[np++] = (struct tmpl_piece){ f + from, (uint16_t)(i - from), -1 };
		}
		if (ch == '\0')
			break;
		size_t j = i + 1;
		if (np == TMPL_PIECES)
			return false;
		if (f[j] == '%') {
			t->pc[np++] = (struct tmpl_piece){ f + j, 1, -1 };
		} else {
			int arg = next++;
			if (f[j] >= '1' && f[j] <= '9' && f[j + 1] == '$') {
				arg = f[j] - '1';
				j += 2;
			}
			if ((f[j] != 's' && f[j] != 'd') || arg >= nargs || arg >= TMPL_ARGS)
				return false;
			used |= 1u << arg;
			t->pc[np++] = (struct tmpl_piece){ NULL, 0, (int8_t)arg };
		}
		i = from = j + 1;
	}
	if (used != (1u << nargs) - 1)
		return false;
	t->npieces = np;
	t->src = f;
	return true;
}

static void say_args(struct gt_sb *sb, struct tmpl *t, const char *msgid, const char *text,
		     const struct targ *a, int nargs)
{
	if (t->src != text && !tmpl_cut(t, text, nargs) && !tmpl_cut(t, msgid, nargs))
		return; /* never: the msgids are ours (test_explain checks them) */
	for (int i = 0; i < t->npieces; i++) {
		const struct tmpl_piece *pc = &t->pc[i];
		if (pc->p)
			gt_sb_add_n(sb, pc->p, pc->n);
		else
			gt_sb_add_n(sb, a[pc->arg].p, a[pc->arg].n);
	}
}

static inline struct targ targ_of(const char *s)
{
	return (struct targ){ s, strlen(s) };
}

/* An int as %d writes it, into num[12]. */
static struct targ targ_int(int v, char *num)
{
	char *e = num + 12, *q = e;
	unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
	do
		*--q = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--q = '-';
	return (struct targ){ q, (size_t)(e - q) };
}

/* SAY(&sb, N_("... %s ..."), targ, ...): the sentence's translation with
 * its slots filled, as gt_sb_addf(&sb, _(msgid), ...) would write it. */
#define SAY(sb, msgid, ...)                                                                   \
	do {                                                                                  \
		static _Thread_local struct tmpl say_t;                                       \
		const struct targ say_a[] = { __VA_ARGS__ };                                  \
		say_args((sb), &say_t, (msgid), _(msgid), say_a,                              \
			 (int)(sizeof say_a / sizeof say_a[0]));                              \
	} while (0)

/* add_duration, for the message: the Chinese spelling without a format. */
static void say_duration(struct gt_sb *sb, int months)
{
	if (!gt_names_zh()) {
		add_duration(sb, months);
		return;
	}
	int y = months / 12, m = months % 12;
	char num[12];
	struct targ t;
	if (y) {
		t = targ_int(y, num);
		gt_sb_add_n(sb, t.p, t.n);
		gt_sb_add_n(sb, "年", strlen("年"));
	}
	if (m || !y) {
		t = targ_int(m, num);
		gt_sb_add_n(sb, t.p, t.n);
		gt_sb_add_n(sb, "个月", strlen("个月"));
	}
}

/* A met years condition in the words add_cond_text gives it (the reference:
 * gt_message_years_text is tested against gt_cond_text). */
static void say_years_met(struct gt_sb *sb, const struct gt_cond *k)
{
	if (k->what != GT_WHAT_YEARS || k->state != GT_COND_MET || k->since == GT_DATE_NONE) {
		add_cond_text(sb, k);
		return;
	}
	char d1[11], d2[11], num[12];
	gt_date_format(k->since, d1);
	gt_date_format(k->met_on, d2);
	SAY(sb, N_("needs %d years since %s, has "), targ_int(k->need, num), targ_of(d1));
	say_duration(sb, k->have);
	SAY(sb, N_(" (met since %s)"), targ_of(d2));
}

size_t gt_message_years_text(const struct gt_cond *k, char *buf, size_t size)
{
	struct gt_sb sb = gt_sb_make(buf, size);
	say_years_met(&sb, k);
	return sb.len;
}

size_t gt_eval_message(const struct gt_eval *ev, char *buf, size_t size)
{
	const struct gt_case *c = ev->c;
	const struct gt_document *doc = &ev->dv->doc;
	const struct gt_path *p = ev->chosen >= 0 ? &ev->paths[ev->chosen] : NULL;
	struct gt_sb sb = gt_sb_make(buf, size);
	char cite[256], date[11], date2[11];
	int dir = c->direction;

	struct targ ct = { cite, gt_eval_citation(ev, cite, sizeof cite) };
	switch (ev->kind) {
	case GT_SUM_VETOED:
		SAY(&sb, N_("Vetoed: a recorded finding of falsified material or plagiarism (%s)."), ct);
		return sb.len;
	case GT_SUM_NOT_IN_FORCE:
		gt_date_format(c->application_date, date);
		gt_date_format(doc->effective, date2);
		SAY(&sb, N_("The application date %s is before %s took effect on %s; decide under the policy then in force."),
		    (struct targ){ date, 10 }, targ_of(doc->number), (struct targ){ date2, 10 });
		return sb.len;
	case GT_SUM_NO_RULE:
		SAY(&sb, N_("No rule of %s gives %s in this direction."), targ_of(doc->number),
		    targ_of(level_name(dir, c->requested)));
		return sb.len;
	case GT_SUM_NOTHING_ABOVE:
		SAY(&sb, N_("No rule of %s gives a level above the one held."), targ_of(doc->number));
		return sb.len;
	case GT_SUM_NOT_ELIGIBLE:
		if (ev->target >= 0)
			SAY(&sb, N_("Not eligible for %s under %s: "), targ_of(level_name(dir, ev->target)), ct);
		else if (p->target >= 0)
			SAY(&sb, N_("Not eligible; nearest is %s under %s: "), targ_of(level_name(dir, p->target)), ct);
		else
			SAY(&sb, N_("Not eligible; nearest rule is %s: "), ct);
		add_unmet_text(&sb, p);
		gt_sb_add(&sb, STOP);
		break;
	case GT_SUM_MANUAL:
		SAY(&sb, N_("Needs a committee decision under %s: %s."), ct,
		    targ_of(p->rule->note ? _(p->rule->note) : _("the clause fixes no level")));
		/* target stays empty without a request: the level is named here */
		if (ev->target < 0 && p->target >= 0)
			SAY(&sb, N_(" The clause would give %s."), targ_of(level_name(dir, p->target)));
		if (ev->missing_ev) {
			gt_sb_add(&sb, _(" Still to collect: "));
			add_names(&sb, &gt_evidence_codes, ev->missing_ev);
			gt_sb_add(&sb, STOP);
		}
		break;
	case GT_SUM_ELIGIBLE:
		if (ev->outcome == GT_OUT_ELIGIBLE)
			SAY(&sb, N_("Eligible for %s by the %s route under %s"),
			    targ_of(level_name(dir, ev->target)), targ_of(route_name(ev->route)), ct);
		else
			SAY(&sb, N_("Conditions met for %s by the %s route under %s"),
			    targ_of(level_name(dir, ev->target)), targ_of(route_name(ev->route)), ct);
		if (ev->route != GT_ROUTE_REGULAR) {
			/* A route that rests on nothing of the applicant's (a direct
			 * rule on the held level alone) says nothing more. */
			char basis[512];
			struct gt_sb bs = gt_sb_make(basis, sizeof basis);
			add_basis(&bs, c, ev->basis_honours, ev->basis_comps, ev->basis_level, true);
			if (bs.len) {
				gt_sb_add(&sb, _(", resting on "));
				gt_sb_add(&sb, basis);
			}
		} else {
			for (int i = 0; i < p->nconds; i++)
				if (p->conds[i].what == GT_WHAT_YEARS && p->conds[i].state == GT_COND_MET) {
					gt_sb_add(&sb, COLON);
					say_years_met(&sb, &p->conds[i]);
					break;
				}
		}
		gt_sb_add(&sb, STOP);
		if (ev->outcome == GT_OUT_NEEDS_EVIDENCE) {
			gt_sb_add(&sb, _(" Missing: "));
			add_names(&sb, &gt_evidence_codes, ev->missing_ev);
			gt_sb_add(&sb, STOP);
		}
		break;
	}

	if (ev->next >= 0) {
		const struct gt_path *q = &ev->paths[ev->next];
		ct.n = gt_cite(ev->dv, q->rule->clause, cite, sizeof cite);
		gt_date_format(q->ready_on, date);
		SAY(&sb, N_(" %s opens on %s (%s)."), targ_of(level_name(dir, q->target)), (struct targ){ date, 10 }, ct);
	}
	if (ev->manual_above) {
		gt_sb_add(&sb, _(" A higher level may be open by committee decision under "));
		bool first = true;
		for (int i = 0; i < ev->npaths; i++)
			if (ev->manual_above & BIT(i)) {
				char cl[192];
				gt_cite(ev->dv, ev->paths[i].rule->clause, cl, sizeof cl);
				/* Several rows may share a clause: name it once. */
				bool seen = false;
				for (int j = 0; j < i && !seen; j++)
					seen = (ev->manual_above & BIT(j)) &&
					       strcmp(ev->paths[j].rule->clause, ev->paths[i].rule->clause) == 0;
				if (seen)
					continue;
				if (!first)
					gt_sb_add(&sb, gt_names_zh() ? "、" : ", ");
				gt_sb_add(&sb, cl);
				first = false;
			}
		gt_sb_add(&sb, STOP);
	}
	if (ev->theory_exempt) {
		ct.n = gt_cite(ev->dv, ev->exemption->clause, cite, sizeof cite);
		SAY(&sb, N_(" Theory exam waived (%s)."), ct);
	} else if (ev->diploma_unproven) {
		ct.n = gt_cite(ev->dv, ev->exemption->clause, cite, sizeof cite);
		SAY(&sb, N_(" The theory-exam waiver by diploma (%s) needs the diploma in evidence."), ct);
	}
	for (int i = 0; i < ev->dv->nnotes; i++)
		if (ev->notes & BIT(i)) {
			ct.n = gt_cite(ev->dv, ev->dv->notes[i].clause, cite, sizeof cite);
			SAY(&sb, N_(" Note (%s): %s."), ct, targ_of(note_text(ev->dv->notes[i].kind)));
		}
	return sb.len;
}

static const char *outcome_name(int o)
{
	return name_of(&gt_outcomes, o);
}

/* Widths of the route table's columns, in display columns, over every value
 * the column can take in the message language, so that the rows of every
 * case line up (a CJK character takes two columns and three bytes). */
struct table_widths {
	int outcome, level, route;
};

static int max_width(const struct gt_code_table *t, int from, int w)
{
	for (int i = from; i < t->count; i++) {
		int k = gt_text_width(name_of(t, i));
		if (k > w)
			w = k;
	}
	return w;
}

/* Measured once per message language: they depend on nothing else. */
static struct table_widths table_widths(void)
{
	static _Atomic int cache[2][3]; /* [zh][outcome, level, route], 0: not yet */
	int zh = gt_names_zh();
	struct table_widths tw = { cache[zh][0], cache[zh][1], cache[zh][2] };
	if (tw.outcome && tw.level && tw.route)
		return tw;
	tw.outcome = max_width(&gt_outcomes, 0, 0);
	tw.level = max_width(&gt_title_levels, 0, max_width(&gt_skill_levels, 0, 0));
	int open = gt_text_width(_("set by committee"));
	if (open > tw.level)
		tw.level = open;
	tw.route = max_width(&gt_routes, 1, 0);
	cache[zh][0] = tw.outcome;
	cache[zh][1] = tw.level;
	cache[zh][2] = tw.route;
	return tw;
}

/* The explanation is built line by line in one buffer and written in large
 * pieces: a case's explanation is some seventy lines. */
struct xout {
	FILE *out;
	size_t len;
	char buf[1 << 15];
};

#define XOUT_LINE 8192 /* room kept for the line being built */

static struct gt_sb xout_line(struct xout *xo)
{
	return gt_sb_make(xo->buf + xo->len, sizeof xo->buf - xo->len);
}

static void xout_flush(struct xout *xo)
{
	if (xo->len)
		fwrite(xo->buf, 1, xo->len, xo->out);
	xo->len = 0;
}

/* Ends the line built in sb, and starts the next one. */
static void put_line(struct gt_sb *sb, struct xout *xo)
{
	gt_sb_add(sb, "\n");
	xo->len += sb->len;
	if (sizeof xo->buf - xo->len < XOUT_LINE)
		xout_flush(xo);
	*sb = xout_line(xo);
}

static void explain_to(const struct gt_eval *ev, FILE *out, bool visible)
{
	const struct gt_case *c = ev->c;
	char buf[2048], cite[256], date[11];
	int dir = c->direction;
	struct table_widths tw = table_widths();
	struct xout *xo = malloc(sizeof *xo);
	if (!xo)
		return;
	xo->out = out;
	xo->len = 0;
	struct gt_sb ln = xout_line(xo);

	gt_eval_message(ev, buf, sizeof buf);
	/* The case's own text, as given; made visible for a terminal. The
	 * rest is the catalogue's and the packs' (plain: gt_pack checks). */
	char *ref_vis = NULL, *name_vis = NULL;
	if (visible) {
		if (!gt_vis_is_plain(c->case_ref, strlen(c->case_ref), 0))
			ref_vis = gt_vis_dup(c->case_ref, strlen(c->case_ref), 0);
		if (!gt_vis_is_plain(c->name, strlen(c->name), 0))
			name_vis = gt_vis_dup(c->name, strlen(c->name), 0);
	}
	gt_sb_addf(&ln, "%s %s  %s", ref_vis ? ref_vis : c->case_ref[0] ? c->case_ref : "-",
		   name_vis ? name_vis : c->name, c->id_number);
	free(ref_vis);
	free(name_vis);
	put_line(&ln, xo);
	gt_sb_addf(&ln, _("  outcome: %s"), outcome_name(ev->outcome));
	if (ev->target >= 0)
		gt_sb_addf(&ln, _("  target: %s"), level_name(dir, ev->target));
	if (ev->route)
		gt_sb_addf(&ln, _("  route: %s"), route_name(ev->route));
	put_line(&ln, xo);
	gt_sb_addf(&ln, "  %s", buf);
	put_line(&ln, xo);
	for (int i = 0; i < ev->npaths; i++) {
		const struct gt_path *p = &ev->paths[i];
		struct gt_sb sb;
		/* The route table's row: outcome, level, route and the rule, in
		 * columns; the clause on the line below, so that the row fits in
		 * 80 columns whatever the document's number. */
		put_line(&ln, xo);
		gt_sb_add(&ln, i == ev->chosen ? "  * " : "    ");
		gt_sb_add_padded(&ln, outcome_name(p->outcome), tw.outcome + 2);
		/* A clause that fixes no level leaves it to the committee. */
		gt_sb_add_padded(&ln, p->target >= 0 ? level_name(dir, p->target) : _("set by committee"),
				 tw.level + 2);
		gt_sb_add_padded(&ln, route_name(p->rule->route), tw.route + 2);
		gt_sb_addf(&ln, "[%s]", p->rule->id);
		put_line(&ln, xo);
		gt_sb_add(&ln, "    ");
		add_cite(&ln, ev->dv, p->rule->clause);
		put_line(&ln, xo);
		for (int k = 0; k < p->nconds; k++) {
			const struct gt_cond *cd = &p->conds[k];
			/* Written straight into the line: some fifty a case. */
			gt_sb_add(&ln, cd->state == GT_COND_MET ? "      [x] " :
				  cd->state == GT_COND_PENDING ? "      [?] " : "      [ ] ");
			add_cond_text(&ln, cd);
			if (cd->clause && strcmp(cd->clause, p->rule->clause) != 0) {
				gt_sb_add(&ln, "  (");
				add_cite(&ln, ev->dv, cd->clause);
				gt_sb_add(&ln, ")");
			}
			put_line(&ln, xo);
		}
		if (p->basis_honours || p->basis_comps) {
			sb = gt_sb_make(buf, sizeof buf);
			add_basis(&sb, c, p->basis_honours, p->basis_comps, false, true);
			gt_sb_addf(&ln, _("      basis: %s"), buf);
			put_line(&ln, xo);
		}
		if (p->ready_on != GT_DATE_NONE && p->ready_on > c->application_date) {
			gt_date_format(p->ready_on, date);
			gt_sb_addf(&ln, _("      year conditions met on %s"), date);
			put_line(&ln, xo);
		}
		if (p->missing_ev) {
			sb = gt_sb_make(buf, sizeof buf);
			add_names(&sb, &gt_evidence_codes, p->missing_ev);
			gt_sb_addf(&ln, _("      missing evidence: %s"), buf);
			put_line(&ln, xo);
		}
		if (p->rule->note && p->outcome == GT_OUT_MANUAL_REVIEW) {
			gt_sb_addf(&ln, _("      manual review: %s"), _(p->rule->note));
			put_line(&ln, xo);
		}
	}
	if (ev->exemption) {
		gt_cite(ev->dv, ev->exemption->clause, cite, sizeof cite);
		put_line(&ln, xo);
		gt_sb_addf(&ln, ev->theory_exempt ? _("  theory exam waived: %s")
			   : _("  theory exam waiver needs the diploma: %s"), cite);
		put_line(&ln, xo);
	}
	xout_flush(xo);
	free(xo);
}

void gt_explain(const struct gt_eval *ev, FILE *out)
{
	explain_to(ev, out, false);
}

void gt_explain_visible(const struct gt_eval *ev, FILE *out)
{
	explain_to(ev, out, true);
}
