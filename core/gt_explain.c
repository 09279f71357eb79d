/* The evaluator's answer as text: the summary's columns and message, and the
 * full explanation of every pathway. */
#include <stdatomic.h>
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
	return gt_code_of(gt_level_table(direction), level);
}

const char *gt_level_zh(int direction, int level)
{
	if (level < 0)
		return "";
	return gt_zh_of(direction == GT_DIR_SKILL_TO_TITLE ? &gt_title_levels : &gt_skill_levels,
			level);
}

size_t gt_mask_codes(const struct gt_code_table *t, uint32_t mask, char *buf, size_t size)
{
	struct gt_sb sb = gt_sb_make(buf, size);
	if (t->count < 32)
		mask &= BIT(t->count) - 1;
	for (; mask; mask &= mask - 1) {
		int i = __builtin_ctz(mask);
		if (sb.len)
			gt_sb_add_n(&sb, ";", 1);
		gt_sb_add_n(&sb, t->codes[i].code, gt_code_len(t, i));
	}
	return sb.len;
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
	/* the honours held, lowest first: most cases hold none */
	_Static_assert(GT_HON_COUNT < 32, "honours are a mask");
	for (uint32_t set = honours & (BIT(GT_HON_COUNT) - 1); set; set &= set - 1) {
		int i = __builtin_ctz(set);
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

static _Atomic bool cites_off;

void gt_eval_cites_off(bool off)
{
	cites_off = off;
}

/* gt_cite of rule r's clause: the text compiled at load when there is one. */
static inline size_t rule_cite(const struct gt_docver *dv, const struct gt_rule *r, char *buf, size_t size)
{
	if (dv->cites && !cites_off) {
		const struct gt_cite_text *t = &dv->cites[r - dv->rules];
		if (t->len < size) {
			memcpy(buf, t->s, t->len + 1);
			return t->len;
		}
	}
	return gt_cite(dv, r->clause, buf, size);
}

size_t gt_eval_citation(const struct gt_eval *ev, char *buf, size_t size)
{
	if (!ev->clause) {
		if (size)
			buf[0] = '\0';
		return 0;
	}
	/* the chosen rule's, compiled at load (most rows) */
	const struct gt_rule *r = ev->chosen >= 0 ? ev->paths[ev->chosen].rule : NULL;
	if (r && ev->clause == r->clause)
		return rule_cite(ev->dv, r, buf, size);
	return gt_cite(ev->dv, ev->clause, buf, size);
}

/* ---- The explanation's pieces, translated and measured once ----
 * An explanation is some seventy-five lines a case, each a sentence of the
 * message catalogue with names of the code tables in it. Every such template
 * is looked up, split at its conversions and copied once per language, and
 * every name measured (its length, its display width, its cell of the route
 * table padded to the column's width) in a table built at first use; lines
 * are then appended piece by piece (gt_sb_add_n) and numbers written by
 * sb_add_int, with no vsnprintf, strlen or catalogue look-up on the way.
 * The table is replaced when the language changes (x_table). With the cache
 * off (gt_explain_cache) every piece is worked out afresh on every use: the
 * reference the tests hold the table to. */

enum xmsg {
	XM_OUTCOME, /* first: its translation tells the language (x_table) */
	XM_TARGET, XM_ROUTE, XM_OPEN,
	XM_YEARS_PENDING, XM_YEARS_NOT_HELD, XM_YEARS_SINCE, XM_SHORT_BY_COMMA,
	XM_MET_ON, XM_MET_SINCE, XM_SKILL_MIN, XM_TITLE_MIN, XM_TITLE_MAX,
	XM_SERIES, XM_SERIES_ONLY, XM_APPR_UNKNOWN, XM_APPR,
	XM_REGION_MET, XM_REGION_UNMET, XM_PILOT_MET, XM_PILOT_UNMET,
	XM_RELATED_MET, XM_RELATED_UNMET, XM_FRONTLINE_MET, XM_FRONTLINE_UNMET,
	XM_HONOUR_MET, XM_HONOUR_UNMET,
	XM_BASIS, XM_YEARS_MET, XM_MISSING_EV, XM_MANUAL, XM_WAIVED, XM_WAIVER_DIPLOMA,
	/* the summary message (gt_eval_message) */
	XM_VETOED, XM_NOT_IN_FORCE, XM_NO_RULE, XM_NOTHING_ABOVE, XM_NOT_ELIGIBLE_FOR,
	XM_NOT_ELIGIBLE_NEAREST, XM_NOT_ELIGIBLE_RULE, XM_COMMITTEE, XM_NO_LEVEL, XM_WOULD_GIVE,
	XM_TO_COLLECT, XM_ELIGIBLE, XM_CONDITIONS_MET, XM_RESTING_ON, XM_MISSING, XM_OPENS,
	XM_HIGHER, XM_EXAM_WAIVED, XM_DIPLOMA, XM_NOTE, XM_NOTE_TECH_SCHOOL,
	XM_NOTE_PUBLIC_INSTITUTION, XM_NOTE_BOTH_LEVELS,
	XM_COUNT
};

static const char *const xmsgid[XM_COUNT] = {
	[XM_OUTCOME] = N_("  outcome: %s"),
	[XM_TARGET] = N_("  target: %s"),
	[XM_ROUTE] = N_("  route: %s"),
	[XM_OPEN] = N_("set by committee"),
	/* the three counts of years: their singulars, translated by years_fmt */
	[XM_YEARS_PENDING] = "needs %d year; the start date is not recorded",
	[XM_YEARS_NOT_HELD] = "needs %d year since the level is obtained; the level is not held",
	[XM_YEARS_SINCE] = "needs %d year since %s, has ",
	[XM_SHORT_BY_COMMA] = N_(", short by "),
	[XM_MET_ON] = N_(" (met on %s)"),
	[XM_MET_SINCE] = N_(" (met since %s)"),
	[XM_SKILL_MIN] = N_("needs skill level %s or above, holds %s"),
	[XM_TITLE_MIN] = N_("needs title %s or above, holds %s"),
	[XM_TITLE_MAX] = N_("for holders of title %s or below, holds %s"),
	[XM_SERIES] = N_("covers the series "),
	[XM_SERIES_ONLY] = N_(" only; the case is %s"),
	[XM_APPR_UNKNOWN] = N_("needs 3 passed annual appraisals in the last 3 years; not yet recorded"),
	[XM_APPR] = N_("needs 3 passed annual appraisals in the last 3 years, has %d"),
	[XM_REGION_MET] = N_("employed in the region"),
	[XM_REGION_UNMET] = N_("not employed in the region"),
	[XM_PILOT_MET] = N_("in a pilot enterprise"),
	[XM_PILOT_UNMET] = N_("not in a pilot enterprise"),
	[XM_RELATED_MET] = N_("the held level is in a related specialty"),
	[XM_RELATED_UNMET] = N_("the held level is not in a related specialty"),
	[XM_FRONTLINE_MET] = N_("in a frontline post"),
	[XM_FRONTLINE_UNMET] = N_("not in a frontline post"),
	[XM_HONOUR_MET] = N_("holds an honour or result the clause lists"),
	[XM_HONOUR_UNMET] = N_("no honour or competition result the clause lists"),
	[XM_BASIS] = N_("      basis: %s"),
	[XM_YEARS_MET] = N_("      year conditions met on %s"),
	[XM_MISSING_EV] = N_("      missing evidence: %s"),
	[XM_MANUAL] = N_("      manual review: %s"),
	[XM_WAIVED] = N_("  theory exam waived: %s"),
	[XM_WAIVER_DIPLOMA] = N_("  theory exam waiver needs the diploma: %s"),
	[XM_VETOED] = N_("Vetoed: a recorded finding of falsified material or plagiarism (%s)."),
	[XM_NOT_IN_FORCE] = N_("The application date %s is before %s took effect on %s; decide under the policy then in force."),
	[XM_NO_RULE] = N_("No rule of %s gives %s in this direction."),
	[XM_NOTHING_ABOVE] = N_("No rule of %s gives a level above the one held."),
	[XM_NOT_ELIGIBLE_FOR] = N_("Not eligible for %s under %s: "),
	[XM_NOT_ELIGIBLE_NEAREST] = N_("Not eligible; nearest is %s under %s: "),
	[XM_NOT_ELIGIBLE_RULE] = N_("Not eligible; nearest rule is %s: "),
	[XM_COMMITTEE] = N_("Needs a committee decision under %s: %s."),
	[XM_NO_LEVEL] = N_("the clause fixes no level"),
	[XM_WOULD_GIVE] = N_(" The clause would give %s."),
	[XM_TO_COLLECT] = N_(" Still to collect: "),
	[XM_ELIGIBLE] = N_("Eligible for %s by the %s route under %s"),
	[XM_CONDITIONS_MET] = N_("Conditions met for %s by the %s route under %s"),
	[XM_RESTING_ON] = N_(", resting on "),
	[XM_MISSING] = N_(" Missing: "),
	[XM_OPENS] = N_(" %s opens on %s (%s)."),
	[XM_HIGHER] = N_(" A higher level may be open by committee decision under "),
	[XM_EXAM_WAIVED] = N_(" Theory exam waived (%s)."),
	[XM_DIPLOMA] = N_(" The theory-exam waiver by diploma (%s) needs the diploma in evidence."),
	[XM_NOTE] = N_(" Note (%s): %s."),
	[XM_NOTE_TECH_SCHOOL] = N_("a technical-school class counts as 中专, 大专 or 本科 for this application"),
	[XM_NOTE_PUBLIC_INSTITUTION] = N_("for 事业单位工勤人员 the result is not tied to a change of post"),
	[XM_NOTE_BOTH_LEVELS] = N_("holds both corresponding levels: priority at equal merit"),
};

/* Message m (one of the three counts of years) for n years: the plural form
 * of the catalogue's language ("needs 1 year", "needs 2 years"). */
#define XM_YEARS_N 3
static const char *years_fmt(enum xmsg m, int n)
{
	unsigned long u = n < 0 ? 0ul : (unsigned long)n;
	switch (m) {
	case XM_YEARS_PENDING:
		return gt_ngettext("needs %d year; the start date is not recorded",
				   "needs %d years; the start date is not recorded", u);
	case XM_YEARS_NOT_HELD:
		return gt_ngettext("needs %d year since the level is obtained; the level is not held",
				   "needs %d years since the level is obtained; the level is not held", u);
	default:
		return gt_ngettext("needs %d year since %s, has ", "needs %d years since %s, has ", u);
	}
}

/* The code tables whose names the explanation says; the first four are the
 * route table's columns. */
enum xname { XN_OUTCOME, XN_TITLE, XN_SKILL, XN_ROUTE, XN_CELLS = XN_ROUTE + 1,
	     XN_EVIDENCE = XN_CELLS, XN_HONOUR, XN_COMP, XN_RESULT, XN_SERIES, XN_UNMET, XN_COUNT };

static const struct gt_code_table *const xname_table[XN_COUNT] = {
	[XN_OUTCOME] = &gt_outcomes, [XN_TITLE] = &gt_title_levels, [XN_SKILL] = &gt_skill_levels,
	[XN_ROUTE] = &gt_routes, [XN_EVIDENCE] = &gt_evidence_codes, [XN_HONOUR] = &gt_honours,
	[XN_COMP] = &gt_comps, [XN_RESULT] = &gt_results, [XN_SERIES] = &gt_series_codes,
	[XN_UNMET] = &gt_unmet_codes,
};

/* A piece of text with its length in bytes and its width in columns. */
struct frag {
	const char *s;
	uint32_t len;
	int width;
};

/* A template: literal pieces and conversions (%s, %d, %N$s, %N$d; %% is a
 * literal), in the order the translation writes them. */
#define TPL_PARTS 8
struct tpl_part {
	const char *s;
	uint16_t len;
	int8_t arg;  /* -1: the literal s[0..len) */
	char conv;   /* 's' or 'd' */
};
struct tpl {
	int n;
	struct tpl_part part[TPL_PARTS];
};

/* A template's argument: text of known length (%s) or an int (%d). */
struct xarg {
	const char *s;
	size_t len;
	int v;
};
#define XS(str, n) ((struct xarg){ (str), (n), 0 })
#define XF(f) ((struct xarg){ (f).s, (f).len, 0 })
#define XD(x) ((struct xarg){ NULL, 0, (x) })

#define XT_MAXC 40     /* names a table may have: more are measured on use */
#define XT_YEARS 64    /* "%d years" kept for 0..63 */
#define XT_LEVELS 10   /* conditions on levels kept for need 0..9, have -1..9 */
#define XT_SERIES 16   /* series conditions kept for one series of 0..14, have -1..14 */
#define XT_POOL 262144 /* the table's own copy of the catalogue's text */
#define XT_ROWLEVELS 12 /* route rows kept for levels -1..10 */

struct xtab {
	bool zh;                 /* gt_names_zh when built */
	char probe[128];         /* XM_OUTCOME's translation when built */
	_Atomic unsigned gen;    /* a gt_i18n_generation under which probe was current */
	struct xtab *older;      /* replaced tables, kept for a thread still reading */
	struct tpl msg[XM_COUNT];
	struct frag name[XN_COUNT][XT_MAXC];
	struct frag cell[XN_CELLS][XT_MAXC]; /* the name padded to its column */
	struct frag cell_open;   /* XM_OPEN padded to the level column */
	/* A route's row whole up to its rule's id: its mark (chosen or not)
	 * and the three cells, by the level column's table (title or not),
	 * outcome, level + 1 and route: one piece a route. */
	struct frag row[2][2][GT_OUT_COUNT][XT_ROWLEVELS][GT_ROUTE_COUNT];
	int width[XN_CELLS];     /* the columns, two spaces after the widest */
	struct tpl years[XT_YEARS], months[12];
	struct tpl need_years[XM_YEARS_N][XT_YEARS]; /* years_fmt's, by message and n */
	struct frag dur[XT_YEARS * 12]; /* durations of 0..XT_YEARS years, whole */
	/* Whole conditions that are not about years, in words (gt_cond_text),
	 * by their state: a flag's by its code, a level's by what, need and
	 * have, the appraisals' by have; most of a case's forty. Each is kept
	 * after its state's line mark and before a newline, so that a line of
	 * the explanation is one piece (cond_keep). */
	struct frag cond_flag[3][GT_UNMET_COUNT];
	struct frag cond_level[3][3][XT_LEVELS][XT_LEVELS + 1];
	struct frag cond_appr[3][5];
	/* years with no start date, by need (years_fmt's two sentences), and
	 * a series condition naming one series, by that series and have */
	struct frag cond_years_none[3][XT_YEARS];
	struct frag cond_series[3][XT_SERIES - 1][XT_SERIES];
	/* A years condition's sentence around its dates (years_keep): before
	 * and after the start date by the years needed, and the endings after
	 * the duration held, before and after the date it is met on. */
	bool years_ok;
	struct frag since_pre[XT_YEARS], since_post[XT_YEARS];
	struct frag short_by, met_on_pre, met_on_post, met_since_pre, met_since_post;
	size_t used;
	char pool[XT_POOL];
};

static _Atomic bool xcache_off;
static struct xtab *_Atomic xtabs[2]; /* by gt_names_zh */

void gt_explain_cache(bool on)
{
	xcache_off = !on;
}

static bool tpl_lit(struct tpl *t, const char *s, size_t n)
{
	if (!n)
		return true;
	if (t->n == TPL_PARTS || n > UINT16_MAX)
		return false;
	t->part[t->n++] = (struct tpl_part){ s, (uint16_t)n, -1, 0 };
	return true;
}

/* Splits a printf format into a template; false on any other conversion. */
static bool tpl_split(const char *fmt, struct tpl *t)
{
	int next = 0;
	t->n = 0;
	for (const char *f = fmt;;) {
		const char *pct = strchr(f, '%');
		if (!pct)
			return tpl_lit(t, f, strlen(f));
		if (pct[1] == '%') {
			if (!tpl_lit(t, f, (size_t)(pct + 1 - f)))
				return false;
			f = pct + 2;
			continue;
		}
		if (!tpl_lit(t, f, (size_t)(pct - f)))
			return false;
		const char *q = pct + 1;
		int arg = next++;
		if (*q >= '1' && *q <= '9' && q[1] == '$') {
			arg = *q - '1';
			q += 2;
		}
		if ((*q != 's' && *q != 'd') || t->n == TPL_PARTS)
			return false;
		t->part[t->n++] = (struct tpl_part){ NULL, 0, (int8_t)arg, *q };
		f = q + 1;
	}
}

/* The template of a translation fmt of msgid: the translation's when each of
 * its conversions is one of the msgid's (the same argument, the same type),
 * else the msgid's own (the arguments are passed as the msgid orders them). */
static void tpl_make(const char *msgid, const char *fmt, struct tpl *t)
{
	struct tpl m;
	bool ok = tpl_split(msgid, &m) && fmt != msgid && tpl_split(fmt, t);
	for (int i = 0; ok && i < t->n; i++) {
		if (t->part[i].arg < 0)
			continue;
		bool found = false;
		for (int j = 0; j < m.n && !found; j++)
			found = m.part[j].arg == t->part[i].arg && m.part[j].conv == t->part[i].conv;
		ok = found;
	}
	if (!ok)
		*t = m;
}

/* An int as %d writes it. */
static void sb_add_int(struct gt_sb *sb, int v)
{
	char num[12];
	char *e = num + sizeof num, *q = e;
	unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
	do
		*--q = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--q = '-';
	gt_sb_add_n(sb, q, (size_t)(e - q));
}

static void tpl_put(struct gt_sb *sb, const struct tpl *t, const struct xarg *a)
{
	for (int i = 0; i < t->n; i++) {
		const struct tpl_part *p = &t->part[i];
		if (p->arg < 0)
			gt_sb_add_n(sb, p->s, p->len);
		else if (p->conv == 's')
			gt_sb_add_n(sb, a[p->arg].s, a[p->arg].len);
		else
			sb_add_int(sb, a[p->arg].v);
	}
}

/* Message m with its arguments: from the table, or worked out now (x NULL). */
static void put_msg(struct gt_sb *sb, const struct xtab *x, enum xmsg m, const struct xarg *a)
{
	if (x) {
		tpl_put(sb, &x->msg[m], a);
		return;
	}
	struct tpl t;
	tpl_make(xmsgid[m], _(xmsgid[m]), &t);
	tpl_put(sb, &t, a);
}

/* One of the three counts of years (years_fmt) for n years. */
static void put_years_msg(struct gt_sb *sb, const struct xtab *x, enum xmsg m, int n,
			  const struct xarg *a)
{
	if (x && n >= 0 && n < XT_YEARS) {
		tpl_put(sb, &x->need_years[m - XM_YEARS_PENDING][n], a);
		return;
	}
	struct tpl t;
	tpl_make(xmsgid[m], years_fmt(m, n), &t);
	tpl_put(sb, &t, a);
}

static struct frag frag_of(const char *s)
{
	return (struct frag){ s, (uint32_t)strlen(s), gt_text_width(s) };
}

/* Name i of table n in the message language. */
static struct frag xname(const struct xtab *x, enum xname n, int i)
{
	if (x && i >= 0 && i < XT_MAXC)
		return x->name[n][i];
	return frag_of(gt_name_of(xname_table[n], i));
}

static int max_width(const struct gt_code_table *t, int from, int w)
{
	for (int i = from; i < t->count; i++) {
		int k = gt_text_width(gt_name_of(t, i));
		if (k > w)
			w = k;
	}
	return w;
}

/* The route table's column widths, over every value a column can take in
 * the message language, so that the rows of every case line up (a CJK
 * character takes two columns and three bytes); two spaces after each. */
static void cell_widths(int width[XN_CELLS])
{
	width[XN_OUTCOME] = max_width(&gt_outcomes, 0, 0) + 2;
	int level = max_width(&gt_title_levels, 0, max_width(&gt_skill_levels, 0, 0));
	int open = gt_text_width(_(xmsgid[XM_OPEN]));
	width[XN_TITLE] = width[XN_SKILL] = (open > level ? open : level) + 2;
	width[XN_ROUTE] = max_width(&gt_routes, 1, 0) + 2;
}

/* A cell of the route table: name i of table n (i < 0: XM_OPEN, the level a
 * clause leaves to the committee) and the spaces to its column's width. */
static void put_cell(struct gt_sb *sb, const struct xtab *x, enum xname n, int i)
{
	if (x && i < XT_MAXC) {
		const struct frag *f = i < 0 ? &x->cell_open : &x->cell[n][i];
		gt_sb_add_n(sb, f->s, f->len);
		return;
	}
	int width[XN_CELLS];
	cell_widths(width);
	gt_sb_add_padded(sb, i < 0 ? _(xmsgid[XM_OPEN]) : gt_name_of(xname_table[n], i), width[n]);
}

static const char *pool_add(struct xtab *x, const char *s, size_t n)
{
	if (n + 1 > XT_POOL - x->used)
		return NULL;
	char *p = memcpy(x->pool + x->used, s, n);
	p[n] = '\0';
	x->used += n + 1;
	return p;
}

/* Keeps a template's literals in the table's own pool (a catalogue may be
 * unmapped when the domain is bound again). */
static bool tpl_keep(struct xtab *x, struct tpl *t)
{
	for (int i = 0; i < t->n; i++)
		if (t->part[i].arg < 0 && !(t->part[i].s = pool_add(x, t->part[i].s, t->part[i].len)))
			return false;
	return true;
}

static bool cell_keep(struct xtab *x, struct frag *cell, const char *s, int width)
{
	char buf[256];
	struct gt_sb sb = gt_sb_make(buf, sizeof buf);
	gt_sb_add_padded(&sb, s, width);
	*cell = (struct frag){ pool_add(x, buf, sb.len), (uint32_t)sb.len, width };
	return cell->s && !sb.truncated;
}

static const char *duration_fmt(bool zh, bool years, int n)
{
	if (zh)
		return years ? "%d年" : "%d个月";
	return years ? gt_ngettext("%d year", "%d years", (unsigned long)n)
		     : gt_ngettext("%d month", "%d months", (unsigned long)n);
}

/* A date as gt_date_format writes it, by pairs of digits from a table: a
 * case's explanation writes a few, each with the divisions of ten digits. */
static void date_text(gt_date date, char buf[11])
{
	static const char pairs[] = "00010203040506070809101112131415161718192021222324"
				    "25262728293031323334353637383940414243444546474849"
				    "50515253545556575859606162636465666768697071727374"
				    "75767778798081828384858687888990919293949596979899";
	int y, m, d;
	gt_date_to_ymd(date, &y, &m, &d);
	if (y < 0 || y > 9999 || m < 0 || m > 99 || d < 0 || d > 99) {
		gt_date_format(date, buf);
		return;
	}
	memcpy(buf, pairs + 2 * (y / 100), 2);
	memcpy(buf + 2, pairs + 2 * (y % 100), 2);
	buf[4] = '-';
	memcpy(buf + 5, pairs + 2 * m, 2);
	buf[7] = '-';
	memcpy(buf + 8, pairs + 2 * d, 2);
	buf[10] = '\0';
}

static void add_cond_text_x(struct gt_sb *sb, const struct xtab *x, const struct gt_cond *k);
static void add_duration_x(struct gt_sb *sb, const struct xtab *x, int months);

/* The mark of a condition's line in the explanation, by its state. */
#define MARK_LEN 10
static const char *cond_mark(int state)
{
	return state == GT_COND_MET ? "      [x] " : state == GT_COND_PENDING ? "      [?] " : "      [ ] ";
}

/* A condition kept whole, after the line mark of k's state and before a
 * newline in the pool (a line is then one piece): width is 1 + that state. */
static bool cond_keep(struct xtab *x, struct frag *f, const struct gt_cond *k)
{
	char buf[512];
	struct gt_sb sb = gt_sb_make(buf, sizeof buf);
	gt_sb_add_n(&sb, cond_mark(k->state), MARK_LEN);
	add_cond_text_x(&sb, x, k);
	size_t len = sb.len;
	gt_sb_add_n(&sb, "\n", 1);
	const char *p = pool_add(x, buf, sb.len);
	*f = (struct frag){ p ? p + MARK_LEN : NULL, (uint32_t)(len - MARK_LEN), k->state + 1 };
	return f->s && !sb.truncated;
}

/* Fills the conditions kept whole, in words made from x's pieces. */
static bool conds_keep(struct xtab *x)
{
	for (int st = 0; st < 3; st++) {
		struct gt_cond k = { .what = GT_WHAT_FLAG, .state = (uint8_t)st };
		for (int code = 0; code < GT_UNMET_COUNT; code++) {
			k.code = (uint8_t)code;
			if (!cond_keep(x, &x->cond_flag[st][code], &k))
				return false;
		}
		for (int w = 0; w < 3; w++)
			for (int need = 0; need < XT_LEVELS; need++)
				for (int have = -1; have < XT_LEVELS; have++) {
					k = (struct gt_cond){ .what = (uint8_t)(GT_WHAT_SKILL_MIN + w),
							      .state = (uint8_t)st, .need = (int16_t)need,
							      .have = (int16_t)have };
					if (!cond_keep(x, &x->cond_level[st][w][need][have + 1], &k))
						return false;
				}
		for (int have = -1; have <= 3; have++) {
			k = (struct gt_cond){ .what = GT_WHAT_APPRAISALS, .state = (uint8_t)st, .need = 3,
					      .have = (int16_t)have };
			if (!cond_keep(x, &x->cond_appr[st][have + 1], &k))
				return false;
		}
		for (int need = 0; need < XT_YEARS; need++) {
			k = (struct gt_cond){ .what = GT_WHAT_YEARS, .state = (uint8_t)st, .need = (int16_t)need,
					      .since = GT_DATE_NONE };
			if (!cond_keep(x, &x->cond_years_none[st][need], &k))
				return false;
		}
		for (int series = 0; series < XT_SERIES - 1; series++)
			for (int have = -1; have < XT_SERIES - 1; have++) {
				k = (struct gt_cond){ .what = GT_WHAT_SERIES, .state = (uint8_t)st,
						      .need = (int16_t)(1u << series), .have = (int16_t)have };
				if (!cond_keep(x, &x->cond_series[st][series][have + 1], &k))
					return false;
			}
	}
	return true;
}

/* The route rows kept whole (struct xtab's row), from the cells. */
static bool rows_keep(struct xtab *x)
{
	for (int title = 0; title < 2; title++)
		for (int chosen = 0; chosen < 2; chosen++)
			for (int o = 0; o < GT_OUT_COUNT; o++)
				for (int l = -1; l < XT_ROWLEVELS - 1; l++)
					for (int r = 0; r < GT_ROUTE_COUNT; r++) {
						const struct frag *lv = l < 0 ? &x->cell_open
									      : &x->cell[title ? XN_TITLE : XN_SKILL][l];
						char buf[1024];
						struct gt_sb sb = gt_sb_make(buf, sizeof buf);
						gt_sb_add_n(&sb, chosen ? "\n  * " : "\n    ", 5);
						gt_sb_add_n(&sb, x->cell[XN_OUTCOME][o].s, x->cell[XN_OUTCOME][o].len);
						gt_sb_add_n(&sb, lv->s, lv->len);
						gt_sb_add_n(&sb, x->cell[XN_ROUTE][r].s, x->cell[XN_ROUTE][r].len);
						struct frag *f = &x->row[title][chosen][o][l + 1][r];
						*f = (struct frag){ pool_add(x, buf, sb.len), (uint32_t)sb.len, 0 };
						if (!f->s || sb.truncated)
							return false;
					}
	return true;
}

/* Template t with arguments a as the text before and after its one use of
 * argument sarg (a %s); false when it uses it other than once. */
static bool tpl_around(struct xtab *x, const struct tpl *t, int sarg, const struct xarg *a,
		       struct frag *pre, struct frag *post)
{
	char buf[2][512];
	struct gt_sb sb[2] = { gt_sb_make(buf[0], sizeof buf[0]), gt_sb_make(buf[1], sizeof buf[1]) };
	int side = 0;
	for (int i = 0; i < t->n; i++) {
		const struct tpl_part *p = &t->part[i];
		if (p->arg == sarg) {
			if (p->conv != 's' || side++)
				return false;
			continue;
		}
		struct tpl one = { 1, { *p } };
		tpl_put(&sb[side], &one, a);
	}
	*pre = (struct frag){ pool_add(x, buf[0], sb[0].len), (uint32_t)sb[0].len, 0 };
	*post = (struct frag){ pool_add(x, buf[1], sb[1].len), (uint32_t)sb[1].len, 0 };
	return side == 1 && pre->s && post->s && !sb[0].truncated && !sb[1].truncated;
}

/* The pieces of a years condition's sentence (struct xtab's since_pre…). */
static bool years_keep(struct xtab *x)
{
	for (int n = 0; n < XT_YEARS; n++)
		if (!tpl_around(x, &x->need_years[XM_YEARS_SINCE - XM_YEARS_PENDING][n], 1,
				(struct xarg[]){ XD(n), XS("", 0) }, &x->since_pre[n], &x->since_post[n]))
			return false;
	char buf[512];
	struct gt_sb sb = gt_sb_make(buf, sizeof buf);
	tpl_put(&sb, &x->msg[XM_SHORT_BY_COMMA], NULL);
	x->short_by = (struct frag){ pool_add(x, buf, sb.len), (uint32_t)sb.len, 0 };
	return x->short_by.s && !sb.truncated &&
	       tpl_around(x, &x->msg[XM_MET_ON], 0, &XS("", 0), &x->met_on_pre, &x->met_on_post) &&
	       tpl_around(x, &x->msg[XM_MET_SINCE], 0, &XS("", 0), &x->met_since_pre, &x->met_since_post);
}

static struct xtab *xtab_build(bool zh, const char *probe, unsigned gen)
{
	struct xtab *x = calloc(1, sizeof *x);
	if (!x || strlen(probe) >= sizeof x->probe)
		goto fail;
	x->zh = zh;
	atomic_init(&x->gen, gen);
	strcpy(x->probe, probe);
	for (int m = 0; m < XM_COUNT; m++) {
		tpl_make(xmsgid[m], _(xmsgid[m]), &x->msg[m]);
		if (!tpl_keep(x, &x->msg[m]))
			goto fail;
	}
	cell_widths(x->width);
	/* Past a table's end a name is "" (gt_name_of), as it is on use. */
	for (int n = 0; n < XN_COUNT; n++)
		for (int i = 0; i < XT_MAXC; i++) {
			x->name[n][i] = frag_of(gt_name_of(xname_table[n], i));
			if (n < XN_CELLS && !cell_keep(x, &x->cell[n][i], x->name[n][i].s, x->width[n]))
				goto fail;
		}
	if (!cell_keep(x, &x->cell_open, _(xmsgid[XM_OPEN]), x->width[XN_TITLE]))
		goto fail;
	for (int n = 0; n < XT_YEARS; n++) {
		const char *f = duration_fmt(zh, true, n);
		tpl_make(f, f, &x->years[n]);
		if (!tpl_keep(x, &x->years[n]))
			goto fail;
	}
	for (int m = 0; m < XM_YEARS_N; m++)
		for (int n = 0; n < XT_YEARS; n++) {
			struct tpl *t = &x->need_years[m][n];
			tpl_make(xmsgid[XM_YEARS_PENDING + m], years_fmt(XM_YEARS_PENDING + m, n), t);
			if (!tpl_keep(x, t))
				goto fail;
		}
	for (int n = 0; n < 12; n++) {
		const char *f = duration_fmt(zh, false, n);
		tpl_make(f, f, &x->months[n]);
		if (!tpl_keep(x, &x->months[n]))
			goto fail;
	}
	for (int n = 0; n < XT_YEARS * 12; n++) {
		char buf[64];
		struct gt_sb sb = gt_sb_make(buf, sizeof buf);
		add_duration_x(&sb, x, n);
		x->dur[n] = (struct frag){ pool_add(x, buf, sb.len), (uint32_t)sb.len, 0 };
		if (!x->dur[n].s || sb.truncated)
			goto fail;
	}
	x->years_ok = years_keep(x);
	if (!conds_keep(x) || !rows_keep(x))
		goto fail;
	return x;
fail:
	free(x);
	return NULL;
}

/* The table for the language in use: built at first use, and again when
 * XM_OUTCOME's translation says the catalogue changed. That translation is
 * looked at only when gt_i18n_forget was called since the table was last
 * found current (gt_i18n_generation): until then every translation is the
 * one kept, and a row of screen asks for the table once or twice. A table
 * another thread published first is used instead of one's own; a replaced
 * one is kept (a thread may still read it). NULL with the cache off, or
 * without memory: every piece is then worked out on use. */
static const struct xtab *x_table(void)
{
	if (xcache_off)
		return NULL;
	bool zh = gt_names_zh();
	unsigned gen = gt_i18n_generation(); /* read before the probe */
	struct xtab *x = atomic_load_explicit(&xtabs[zh], memory_order_acquire);
	if (x && atomic_load_explicit(&x->gen, memory_order_relaxed) == gen)
		return x;
	const char *probe = _(xmsgid[XM_OUTCOME]);
	if (x && strcmp(x->probe, probe) == 0) {
		atomic_store_explicit(&x->gen, gen, memory_order_relaxed);
		return x;
	}
	struct xtab *mine = xtab_build(zh, probe, gen);
	if (!mine)
		return NULL;
	mine->older = x;
	if (atomic_compare_exchange_strong_explicit(&xtabs[zh], &x, mine, memory_order_acq_rel,
						    memory_order_acquire))
		return mine;
	free(mine);
	return x;
}

/* "%d years" or "%d months" with its count. */
static void put_count(struct gt_sb *sb, const struct xtab *x, bool years, int n)
{
	struct tpl t;
	const struct tpl *tp = &t;
	if (x && n >= 0 && n < (years ? XT_YEARS : 12)) {
		tp = years ? &x->years[n] : &x->months[n];
	} else {
		const char *f = duration_fmt(gt_names_zh(), years, n);
		tpl_make(f, f, &t);
	}
	tpl_put(sb, tp, (struct xarg[]){ XD(n) });
}

static void add_duration_x(struct gt_sb *sb, const struct xtab *x, int months)
{
	if (x && months >= 0 && months < XT_YEARS * 12 && x->dur[months].s) {
		gt_sb_add_n(sb, x->dur[months].s, x->dur[months].len);
		return;
	}
	int y = months / 12, m = months % 12;
	if (y)
		put_count(sb, x, true, y);
	if (y && m && !gt_names_zh())
		gt_sb_add_n(sb, " ", 1);
	if (m || !y)
		put_count(sb, x, false, m);
}

static void add_duration(struct gt_sb *sb, int months)
{
	add_duration_x(sb, x_table(), months);
}

static void add_names_x(struct gt_sb *sb, const struct xtab *x, enum xname n, uint32_t mask)
{
	int count = xname_table[n]->count;
	if (count < 32)
		mask &= BIT(count) - 1;
	for (uint32_t m = mask; m; m &= m - 1) {
		if (m != mask)
			gt_sb_add(sb, gt_names_zh() ? "、" : ", ");
		struct frag f = xname(x, n, __builtin_ctz(m));
		gt_sb_add_n(sb, f.s, f.len);
	}
}

/* The two names of a "needs … holds …" sentence. */
static void put_levels(struct gt_sb *sb, const struct xtab *x, enum xmsg m, enum xname n,
		       const struct gt_cond *k)
{
	struct frag need = xname(x, n, k->need), have = xname(x, n, k->have);
	put_msg(sb, x, m, (struct xarg[]){ XF(need), XF(have) });
}

/* A years condition with its start date, from x's pieces (years_keep):
 * written at once, each piece's length known; false (nothing written) when
 * a duration is not in the table. */
static bool add_years_x(struct gt_sb *sb, const struct xtab *x, const struct gt_cond *k)
{
	char d[11];
	const struct frag *pre = &x->since_pre[k->need], *post = &x->since_post[k->need];
	int short_by = k->need * 12 - k->have;
	struct frag have = { "", 0, 0 }, gap = have;
	if (k->have >= 0 && k->have < XT_YEARS * 12)
		have = x->dur[k->have];
	if (short_by >= 0 && short_by < XT_YEARS * 12)
		gap = x->dur[short_by];
	if (!have.len || (k->state == GT_COND_UNMET && !gap.len))
		return false; /* a duration past the table */
	const struct frag *end_pre = &x->met_since_pre, *end_post = &x->met_since_post;
	size_t n = pre->len + 10 + post->len + have.len + 10;
	if (k->state == GT_COND_UNMET) {
		end_pre = &x->met_on_pre;
		end_post = &x->met_on_post;
		n += x->short_by.len + gap.len;
	}
	n += end_pre->len + end_post->len;
	/* written in place, each piece's length known (the builder's room
	 * checked once); into a buffer first when the room is short */
	char text[1024];
	bool direct = !sb->truncated && sb->len + n < sb->size;
	if (!direct && n > sizeof text)
		return false;
	char *w = direct ? sb->p + sb->len : text;
#define YPUT(s, len) (gt_copy_short(w, (s), (len)), w += (len))
#define YFRAG(f) YPUT((f).s, (f).len)
	YFRAG(*pre);
	date_text(k->since, d);
	YPUT(d, 10);
	YFRAG(*post);
	YFRAG(have);
	if (k->state == GT_COND_UNMET) {
		YFRAG(x->short_by);
		YFRAG(gap);
	}
	YFRAG(*end_pre);
	date_text(k->met_on, d);
	YPUT(d, 10);
	YFRAG(*end_post);
#undef YPUT
#undef YFRAG
	if (direct) {
		*w = '\0';
		sb->len += n;
	} else {
		gt_sb_add_n(sb, text, n);
	}
	return true;
}

/* One condition in words: what is required and what the applicant has. */
static void add_cond_text_x(struct gt_sb *sb, const struct xtab *x, const struct gt_cond *k)
{
	char d1[11], d2[11];
	bool met = k->state == GT_COND_MET;
	switch (k->what) {
	case GT_WHAT_YEARS:
		if (k->since == GT_DATE_NONE) {
			put_years_msg(sb, x, k->state == GT_COND_PENDING ? XM_YEARS_PENDING : XM_YEARS_NOT_HELD,
				      k->need, (struct xarg[]){ XD(k->need) });
			break;
		}
		if (x && x->years_ok && k->need >= 0 && k->need < XT_YEARS && add_years_x(sb, x, k))
			break;
		/* the reference (x NULL) by gt_date_format */
		(x ? date_text : gt_date_format)(k->since, d1);
		(x ? date_text : gt_date_format)(k->met_on, d2);
		put_years_msg(sb, x, XM_YEARS_SINCE, k->need, (struct xarg[]){ XD(k->need), XS(d1, 10) });
		add_duration_x(sb, x, k->have);
		if (k->state == GT_COND_UNMET) {
			put_msg(sb, x, XM_SHORT_BY_COMMA, NULL);
			add_duration_x(sb, x, k->need * 12 - k->have);
			put_msg(sb, x, XM_MET_ON, (struct xarg[]){ XS(d2, 10) });
		} else {
			put_msg(sb, x, XM_MET_SINCE, (struct xarg[]){ XS(d2, 10) });
		}
		break;
	case GT_WHAT_SKILL_MIN:
		put_levels(sb, x, XM_SKILL_MIN, XN_SKILL, k);
		break;
	case GT_WHAT_TITLE_MIN:
		put_levels(sb, x, XM_TITLE_MIN, XN_TITLE, k);
		break;
	case GT_WHAT_TITLE_MAX:
		put_levels(sb, x, XM_TITLE_MAX, XN_TITLE, k);
		break;
	case GT_WHAT_SERIES: {
		put_msg(sb, x, XM_SERIES, NULL);
		add_names_x(sb, x, XN_SERIES, (uint32_t)k->need);
		struct frag have = xname(x, XN_SERIES, k->have);
		put_msg(sb, x, XM_SERIES_ONLY, (struct xarg[]){ XF(have) });
		break;
	}
	case GT_WHAT_APPRAISALS:
		if (k->have < 0)
			put_msg(sb, x, XM_APPR_UNKNOWN, NULL);
		else
			put_msg(sb, x, XM_APPR, (struct xarg[]){ XD(k->have) });
		break;
	default:
		switch (k->code) {
		case GT_UNMET_SCOPE_REGION:
			put_msg(sb, x, met ? XM_REGION_MET : XM_REGION_UNMET, NULL);
			break;
		case GT_UNMET_SCOPE_PILOT:
			put_msg(sb, x, met ? XM_PILOT_MET : XM_PILOT_UNMET, NULL);
			break;
		case GT_UNMET_RELATED:
			put_msg(sb, x, met ? XM_RELATED_MET : XM_RELATED_UNMET, NULL);
			break;
		case GT_UNMET_FRONTLINE:
			put_msg(sb, x, met ? XM_FRONTLINE_MET : XM_FRONTLINE_UNMET, NULL);
			break;
		case GT_UNMET_HONOUR:
			put_msg(sb, x, met ? XM_HONOUR_MET : XM_HONOUR_UNMET, NULL);
			break;
		default: {
			struct frag f = xname(x, XN_UNMET, k->code);
			gt_sb_add_n(sb, f.s, f.len);
		}
		}
	}
}

/* What an explanation makes once a case and says again: the conditions the
 * table does not keep whole (years with their dates, series), which recur on
 * every route of a case and in its message, and the notes of the clauses a
 * condition comes from (the scope's, the same for every route). Text is kept
 * in buf while it has room; past that it is made every time. */
struct xspan {
	uint16_t off, len; /* a text in xmemo's buf */
};

struct xmemo {
	int nconds, nnotes, nmissing;
	size_t used;
	struct {
		struct gt_cond k;
		struct xspan t;
	} cond[12];
	struct {
		const char *clause;
		size_t clause_len;
		struct xspan t;
	} note[6];
	struct {
		uint32_t mask;
		struct xspan t;
	} missing[4]; /* a route's missing evidence, the whole line */
	char buf[2048];
};

static void xmemo_init(struct xmemo *mm)
{
	mm->nconds = mm->nnotes = mm->nmissing = 0;
	mm->used = 0;
}

/* Room in the memo's buffer; used stays below its size, so that the
 * builder keeps room for its NUL and a full one truncates. */
static struct gt_sb xmemo_room(struct xmemo *mm)
{
	return gt_sb_make(mm->buf + mm->used, sizeof mm->buf - mm->used);
}

/* Keeps the text b made in the memo's room (xmemo_room), from byte skip on,
 * as t; false when it did not fit. */
static bool xmemo_keep(struct xmemo *mm, const struct gt_sb *b, size_t skip, struct xspan *t)
{
	if (b->truncated)
		return false;
	t->off = (uint16_t)(mm->used + skip);
	t->len = (uint16_t)(b->len - skip);
	mm->used += b->len;
	return true;
}

/* A kept text, with the `before` bytes kept ahead of it. */
static void xmemo_put(struct gt_sb *sb, const struct xmemo *mm, struct xspan t, size_t before)
{
	gt_sb_add_n(sb, mm->buf + t.off - before, t.len + before);
}

static bool cond_same(const struct gt_cond *a, const struct gt_cond *b)
{
	return a->what == b->what && a->state == b->state && a->code == b->code && a->need == b->need &&
	       a->have == b->have && a->since == b->since && a->met_on == b->met_on;
}

/* A condition kept whole in x (conds_keep), or NULL. */
static inline const struct frag *cond_frag(const struct xtab *x, const struct gt_cond *k)
{
	if (k->state > GT_COND_PENDING)
		return NULL;
	switch (k->what) {
	case GT_WHAT_FLAG:
		if (k->code < GT_UNMET_COUNT)
			return &x->cond_flag[k->state][k->code];
		break;
	case GT_WHAT_SKILL_MIN:
	case GT_WHAT_TITLE_MIN:
	case GT_WHAT_TITLE_MAX:
		if (k->need >= 0 && k->need < XT_LEVELS && k->have >= -1 && k->have < XT_LEVELS)
			return &x->cond_level[k->state][k->what - GT_WHAT_SKILL_MIN][k->need][k->have + 1];
		break;
	case GT_WHAT_APPRAISALS:
		if (k->have >= -1 && k->have <= 3)
			return &x->cond_appr[k->state][k->have + 1];
		break;
	case GT_WHAT_YEARS:
		if (k->since == GT_DATE_NONE && k->need >= 0 && k->need < XT_YEARS)
			return &x->cond_years_none[k->state][k->need];
		break;
	case GT_WHAT_SERIES: {
		unsigned need = (uint16_t)k->need;
		if (need && !(need & (need - 1)) && need < 1u << (XT_SERIES - 1) && k->have >= -1 &&
		    k->have < XT_SERIES - 1)
			return &x->cond_series[k->state][__builtin_ctz(need)][k->have + 1];
		break;
	}
	}
	return NULL;
}

static bool cond_memo(const struct xtab *x, const struct gt_cond *k, struct xmemo *mm, const char **s,
		      size_t *n);

/* A condition's text after its line mark and before a newline: kept whole
 * in x (cond_frag) or made once a case in mm (cond_memo). Sets *s to the
 * mark and *n to the mark and the text (s[n] is the newline); false when x
 * is NULL or the memo is full. */
static inline bool cond_piece(const struct xtab *x, const struct gt_cond *k, struct xmemo *mm,
			      const char **s, size_t *n)
{
	if (!x)
		return false;
	const struct frag *f = cond_frag(x, k);
	if (f) {
		*s = f->s - MARK_LEN;
		*n = f->len + MARK_LEN;
		return true;
	}
	return mm && cond_memo(x, k, mm, s, n);
}

static __attribute__((noinline)) bool cond_memo(const struct xtab *x, const struct gt_cond *k,
						struct xmemo *mm, const char **s, size_t *n)
{
	for (int i = 0; i < mm->nconds; i++)
		if (cond_same(&mm->cond[i].k, k)) {
			*s = mm->buf + mm->cond[i].t.off - MARK_LEN;
			*n = mm->cond[i].t.len + MARK_LEN;
			return true;
		}
	if (mm->nconds == (int)(sizeof mm->cond / sizeof mm->cond[0]))
		return false;
	struct gt_sb cb = xmemo_room(mm);
	gt_sb_add_n(&cb, cond_mark(k->state), MARK_LEN);
	add_cond_text_x(&cb, x, k);
	size_t len = cb.len;
	gt_sb_add_n(&cb, "\n", 1);
	struct xspan *t = &mm->cond[mm->nconds].t;
	if (!xmemo_keep(mm, &cb, MARK_LEN, t))
		return false;
	t->len = (uint16_t)(len - MARK_LEN);
	mm->cond[mm->nconds++].k = *k;
	*s = cb.p;
	*n = len;
	return true;
}

/* A condition in words, after its line mark when marked: cond_piece's, or
 * made now. */
static void put_cond(struct gt_sb *sb, const struct xtab *x, const struct gt_cond *k, struct xmemo *mm,
		     bool marked)
{
	const char *s;
	size_t n;
	if (cond_piece(x, k, mm, &s, &n)) {
		size_t skip = marked ? 0 : MARK_LEN;
		gt_sb_add_n(sb, s + skip, n - skip);
		return;
	}
	if (marked)
		gt_sb_add_n(sb, cond_mark(k->state), MARK_LEN);
	add_cond_text_x(sb, x, k);
}

static void add_cond_text(struct gt_sb *sb, const struct gt_cond *k)
{
	put_cond(sb, x_table(), k, NULL, false);
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
		add_names_x(&sb, x_table(), XN_EVIDENCE, p->missing_ev);
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

/* A document's number, measured once an explanation, and a clause of it. */
static void add_cite_len(struct gt_sb *sb, const struct frag *number, const char *clause, size_t len)
{
	gt_sb_add_n(sb, number->s, number->len);
	if (len) {
		gt_sb_add_n(sb, " ", 1);
		gt_sb_add_n(sb, clause, len);
	}
}

static void add_cite_n(struct gt_sb *sb, const struct frag *number, const char *clause)
{
	add_cite_len(sb, number, clause, clause ? strlen(clause) : 0);
}

/* The name of a level in the message language; none for -1. */
static struct frag level_frag(const struct xtab *x, int direction, int level)
{
	if (level < 0)
		return (struct frag){ "", 0, 0 };
	return xname(x, direction == GT_DIR_SKILL_TO_TITLE ? XN_TITLE : XN_SKILL, level);
}

static enum xmsg note_msg(int kind)
{
	switch (kind) {
	case GT_NOTE_TECH_SCHOOL:
		return XM_NOTE_TECH_SCHOOL;
	case GT_NOTE_PUBLIC_INSTITUTION:
		return XM_NOTE_PUBLIC_INSTITUTION;
	default:
		return XM_NOTE_BOTH_LEVELS;
	}
}

/* The unmet conditions of a path, nearest-first reading order. */
static void add_unmet_text(struct gt_sb *sb, const struct xtab *x, const struct gt_path *p,
			   struct xmemo *mm)
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
		put_cond(sb, x, k, mm, false);
		first = false;
	}
}

/* The summary message, in the explanation's sentences (x: its table, NULL
 * with the cache off; mm: the explanation's memo, which the years wording
 * of the chosen route shares with the route table, or NULL). */
static void put_message(struct gt_sb *sb, const struct gt_eval *ev, const struct xtab *x,
			struct xmemo *mm, const char *citation, size_t citation_len)
{
	const struct gt_case *c = ev->c;
	const struct gt_document *doc = &ev->dv->doc;
	const struct gt_path *p = ev->chosen >= 0 ? &ev->paths[ev->chosen] : NULL;
	char cite[256], date[11], date2[11];
	int dir = c->direction;
	struct frag number = { doc->number, (uint32_t)strlen(doc->number), 0 };
	struct frag level, route;

	/* the summary's citation column when the caller has it (no longer
	 * than this one: the same text), else made here */
	struct xarg ct = citation && citation_len < sizeof cite
		? XS(citation, citation_len) : XS(cite, gt_eval_citation(ev, cite, sizeof cite));
	switch (ev->kind) {
	case GT_SUM_VETOED:
		put_msg(sb, x, XM_VETOED, &ct);
		return;
	case GT_SUM_NOT_IN_FORCE:
		(x ? date_text : gt_date_format)(c->application_date, date);
		(x ? date_text : gt_date_format)(doc->effective, date2);
		put_msg(sb, x, XM_NOT_IN_FORCE, (struct xarg[]){ XS(date, 10), XF(number), XS(date2, 10) });
		return;
	case GT_SUM_NO_RULE:
		level = level_frag(x, dir, c->requested);
		put_msg(sb, x, XM_NO_RULE, (struct xarg[]){ XF(number), XF(level) });
		return;
	case GT_SUM_NOTHING_ABOVE:
		put_msg(sb, x, XM_NOTHING_ABOVE, &XF(number));
		return;
	case GT_SUM_NOT_ELIGIBLE:
		if (ev->target >= 0) {
			level = level_frag(x, dir, ev->target);
			put_msg(sb, x, XM_NOT_ELIGIBLE_FOR, (struct xarg[]){ XF(level), ct });
		} else if (p->target >= 0) {
			level = level_frag(x, dir, p->target);
			put_msg(sb, x, XM_NOT_ELIGIBLE_NEAREST, (struct xarg[]){ XF(level), ct });
		} else {
			put_msg(sb, x, XM_NOT_ELIGIBLE_RULE, &ct);
		}
		add_unmet_text(sb, x, p, mm);
		gt_sb_add(sb, STOP);
		break;
	case GT_SUM_MANUAL:
		if (p->rule->note) {
			const char *note = _(p->rule->note);
			put_msg(sb, x, XM_COMMITTEE, (struct xarg[]){ ct, XS(note, strlen(note)) });
		} else {
			/* the sentence's second slot filled with XM_NO_LEVEL's text */
			char none[256];
			struct gt_sb nb = gt_sb_make(none, sizeof none);
			put_msg(&nb, x, XM_NO_LEVEL, NULL);
			put_msg(sb, x, XM_COMMITTEE, (struct xarg[]){ ct, XS(none, nb.len) });
		}
		/* target stays empty without a request: the level is named here */
		if (ev->target < 0 && p->target >= 0) {
			level = level_frag(x, dir, p->target);
			put_msg(sb, x, XM_WOULD_GIVE, &XF(level));
		}
		if (ev->missing_ev) {
			put_msg(sb, x, XM_TO_COLLECT, NULL);
			add_names_x(sb, x, XN_EVIDENCE, ev->missing_ev);
			gt_sb_add(sb, STOP);
		}
		break;
	case GT_SUM_ELIGIBLE:
		level = level_frag(x, dir, ev->target);
		route = xname(x, XN_ROUTE, ev->route);
		put_msg(sb, x, ev->outcome == GT_OUT_ELIGIBLE ? XM_ELIGIBLE : XM_CONDITIONS_MET,
			(struct xarg[]){ XF(level), XF(route), ct });
		if (ev->route != GT_ROUTE_REGULAR) {
			/* A route that rests on nothing of the applicant's (a direct
			 * rule on the held level alone) says nothing more. */
			char basis[512];
			struct gt_sb bs = gt_sb_make(basis, sizeof basis);
			add_basis(&bs, c, ev->basis_honours, ev->basis_comps, ev->basis_level, true);
			if (bs.len) {
				put_msg(sb, x, XM_RESTING_ON, NULL);
				gt_sb_add_n(sb, basis, bs.len);
			}
		} else {
			for (int i = 0; i < p->nconds; i++)
				if (p->conds[i].what == GT_WHAT_YEARS && p->conds[i].state == GT_COND_MET) {
					gt_sb_add(sb, COLON);
					put_cond(sb, x, &p->conds[i], mm, false);
					break;
				}
		}
		gt_sb_add(sb, STOP);
		if (ev->outcome == GT_OUT_NEEDS_EVIDENCE) {
			put_msg(sb, x, XM_MISSING, NULL);
			add_names_x(sb, x, XN_EVIDENCE, ev->missing_ev);
			gt_sb_add(sb, STOP);
		}
		break;
	}

	if (ev->next >= 0) {
		const struct gt_path *q = &ev->paths[ev->next];
		ct = XS(cite, rule_cite(ev->dv, q->rule, cite, sizeof cite));
		(x ? date_text : gt_date_format)(q->ready_on, date);
		level = level_frag(x, dir, q->target);
		put_msg(sb, x, XM_OPENS, (struct xarg[]){ XF(level), XS(date, 10), ct });
	}
	if (ev->manual_above) {
		put_msg(sb, x, XM_HIGHER, NULL);
		bool first = true;
		for (int i = 0; i < ev->npaths; i++)
			if (ev->manual_above & BIT(i)) {
				/* Several rows may share a clause: name it once. */
				bool seen = false;
				for (int j = 0; j < i && !seen; j++)
					seen = (ev->manual_above & BIT(j)) &&
					       strcmp(ev->paths[j].rule->clause, ev->paths[i].rule->clause) == 0;
				if (seen)
					continue;
				char cl[192];
				size_t n = gt_cite(ev->dv, ev->paths[i].rule->clause, cl, sizeof cl);
				if (!first)
					gt_sb_add(sb, gt_names_zh() ? "、" : ", ");
				gt_sb_add_n(sb, cl, n);
				first = false;
			}
		gt_sb_add(sb, STOP);
	}
	if (ev->theory_exempt || ev->diploma_unproven) {
		ct = XS(cite, gt_cite(ev->dv, ev->exemption->clause, cite, sizeof cite));
		put_msg(sb, x, ev->theory_exempt ? XM_EXAM_WAIVED : XM_DIPLOMA, &ct);
	}
	for (int i = 0; i < ev->dv->nnotes; i++)
		if (ev->notes & BIT(i)) {
			ct = XS(cite, gt_cite(ev->dv, ev->dv->notes[i].clause, cite, sizeof cite));
			char note[256];
			struct gt_sb nb = gt_sb_make(note, sizeof note);
			put_msg(&nb, x, note_msg(ev->dv->notes[i].kind), NULL);
			put_msg(sb, x, XM_NOTE, (struct xarg[]){ ct, XS(note, nb.len) });
		}
}

size_t gt_eval_message(const struct gt_eval *ev, char *buf, size_t size)
{
	return gt_eval_message_cited(ev, NULL, 0, buf, size);
}

size_t gt_eval_message_cited(const struct gt_eval *ev, const char *citation, size_t citation_len,
			     char *buf, size_t size)
{
	struct gt_sb sb = gt_sb_make(buf, size);
	put_message(&sb, ev, x_table(), NULL, citation, citation_len);
	return sb.len;
}

/* The explanation is built in one buffer and written in large pieces: a
 * case's explanation is some seventy-five lines. gt_explain writes a case's
 * from a buffer on the stack; a writer (gt_explain_out) keeps its buffer
 * from case to case, so that many cases go out in one large fwrite (stdio
 * then copies little of them: a case at a time it copied every byte). */
struct xout {
	FILE *out;
	size_t len, cap;
	char *buf;
};

#define XOUT_LINE 8192   /* room kept for the line being built */
#define XOUT_CASE 32768  /* room a case starts with: its first lines' */
#define XOUT_KEEP (1u << 18) /* a writer's buffer */

static struct gt_sb xout_line(struct xout *xo)
{
	return gt_sb_make(xo->buf + xo->len, xo->cap - xo->len);
}

static void xout_flush(struct xout *xo)
{
	if (xo->len)
		fwrite(xo->buf, 1, xo->len, xo->out);
	xo->len = 0;
}

/* Ends the line being built in sb (which runs on from the lines before it in
 * the buffer); when less than a line's room is left, they are written out. */
static void put_lines_out(struct gt_sb *sb, struct xout *xo)
{
	xo->len += sb->len;
	xout_flush(xo);
	*sb = xout_line(xo);
}

static inline void put_line(struct gt_sb *sb, struct xout *xo)
{
	gt_sb_add_n(sb, "\n", 1);
	if (sb->size - sb->len < XOUT_LINE)
		put_lines_out(sb, xo);
}

/* The route table is written through a cursor w into xo's buffer, kept in a
 * register: most of its lines are one or two pieces of known length, and
 * a builder's checks on every append cost more than the copies. */
static char *xw_full(struct xout *xo, char *w, const char *s, size_t n)
{
	xo->len = (size_t)(w - xo->buf);
	xout_flush(xo);
	if (n >= xo->cap) {
		fwrite(s, 1, n, xo->out);
		return xo->buf;
	}
	memcpy(xo->buf, s, n);
	return xo->buf + n;
}

/* end: xo->buf + xo->cap, kept by the caller in a register (a store
 * through w may alias xo, so xo's fields would be loaded again each time). */
static inline char *xw_put(struct xout *xo, char *w, char *end, const char *s, size_t n)
{
	if (__builtin_expect(n <= (size_t)(end - w), 1)) {
		gt_copy_short(w, s, n);
		return w + n;
	}
	return xw_full(xo, w, s, n);
}

/* A builder for a line at w with at least XOUT_LINE of room (as put_line
 * leaves); the caller moves w past what it wrote (w += sb.len). */
static struct gt_sb xw_line(struct xout *xo, char **w, char *end)
{
	if ((size_t)(end - *w) < XOUT_LINE) {
		xo->len = (size_t)(*w - xo->buf);
		xout_flush(xo);
		*w = xo->buf;
	}
	return gt_sb_make(*w, (size_t)(end - *w));
}

/* A condition's own clause, "  (number clause)" after it (and a newline
 * after that in the memo): the same few for
 * every route of a case (the scope's), so each is made once a case, with
 * the clause's length (a route compares it with its own clause). NULL when
 * the memo is off (mm NULL: the reference) or full. */
static const struct xspan *note_memo(struct xmemo *mm, const struct frag *number, const char *clause,
				     size_t *clause_len)
{
	for (int i = 0; i < mm->nnotes; i++)
		if (mm->note[i].clause == clause) {
			*clause_len = mm->note[i].clause_len;
			return &mm->note[i].t;
		}
	if (mm->nnotes == (int)(sizeof mm->note / sizeof mm->note[0]))
		return NULL;
	size_t len = strlen(clause);
	struct gt_sb nb = xmemo_room(mm);
	gt_sb_add_n(&nb, "  (", 3);
	add_cite_len(&nb, number, clause, len);
	gt_sb_add_n(&nb, ")\n", 2); /* the newline kept after the note */
	if (!xmemo_keep(mm, &nb, 0, &mm->note[mm->nnotes].t))
		return NULL;
	mm->note[mm->nnotes].t.len--;
	mm->note[mm->nnotes].clause = clause;
	mm->note[mm->nnotes].clause_len = *clause_len = len;
	return &mm->note[mm->nnotes++].t;
}

static void put_clause_note(struct gt_sb *sb, const struct frag *number, const char *clause)
{
	gt_sb_add_n(sb, "  (", 3);
	add_cite_n(sb, number, clause);
	gt_sb_add_n(sb, ")", 1);
}

/* A route's line of missing evidence: most routes of a case miss the same. */
static void put_missing(struct gt_sb *sb, const struct xtab *x, uint32_t mask, struct xmemo *mm)
{
	for (int i = 0; mm && i < mm->nmissing; i++)
		if (mm->missing[i].mask == mask) {
			xmemo_put(sb, mm, mm->missing[i].t, 0);
			return;
		}
	char names[1024];
	struct gt_sb nb = gt_sb_make(names, sizeof names);
	add_names_x(&nb, x, XN_EVIDENCE, mask);
	if (mm && mm->nmissing < (int)(sizeof mm->missing / sizeof mm->missing[0])) {
		struct gt_sb lb = xmemo_room(mm);
		put_msg(&lb, x, XM_MISSING_EV, &XS(names, nb.len));
		if (xmemo_keep(mm, &lb, 0, &mm->missing[mm->nmissing].t)) {
			mm->missing[mm->nmissing++].mask = mask;
			gt_sb_add_n(sb, lb.p, lb.len);
			return;
		}
	}
	put_msg(sb, x, XM_MISSING_EV, &XS(names, nb.len));
}

/* What a writer (gt_explain_out) keeps from case to case: a route's head
 * (its row in the route table and the line of its rule's citation, the same
 * for every case the rule applies to with the same outcome and level) and a
 * line of missing evidence (by the evidence missing), in the language of
 * table x. Each is looked up in a table indexed by a hash of its key; its
 * text is in an arena, emptied with the table when full. Only with the
 * table of pieces (gt_explain_cache): the reference path makes every line. */
#define XC_SLOTS 1024   /* a power of two */
#define XC_ARENA (1u << 18)

struct xc_slot {
	const void *a, *b; /* the key: the rule and the document's number, or NULL */
	uint32_t c;        /* the rest of the key: mark, outcome, level; or the mask */
	uint32_t off, len; /* the text in the arena; len 0: empty */
	uint32_t aux;      /* a route's head: its rule's clause's length */
};

struct xcache {
	const struct xtab *x;
	size_t used;
	struct xc_slot head[XC_SLOTS], missing[XC_SLOTS];
	char arena[XC_ARENA];
};

static void xc_clear(struct xcache *xc, const struct xtab *x)
{
	xc->x = x;
	xc->used = 0;
	memset(xc->head, 0, sizeof xc->head);
	memset(xc->missing, 0, sizeof xc->missing);
}

static inline struct xc_slot *xc_slot(struct xc_slot *tab, const void *a, uint32_t c)
{
	uint32_t h = (uint32_t)((uintptr_t)a >> 3) * 0x9e3779b1u ^ c * 0x85ebca6bu;
	return &tab[(h ^ h >> 15) & (XC_SLOTS - 1)];
}

/* The slot's text when it holds the key, else NULL. */
static inline const char *xc_get(const struct xcache *xc, const struct xc_slot *sl, const void *a,
				 const void *b, uint32_t c)
{
	return sl->len && sl->a == a && sl->b == b && sl->c == c ? xc->arena + sl->off : NULL;
}

/* Keeps s[0..n) in slot sl under the key (nothing when it cannot). */
static void xc_keep(struct xcache *xc, struct xc_slot *sl, const void *a, const void *b, uint32_t c,
		    const char *s, size_t n, size_t aux)
{
	if (!n || n > XC_ARENA / 16)
		return;
	if (XC_ARENA - xc->used < n) {
		xc_clear(xc, xc->x); /* every slot's text goes with the arena */
	}
	memcpy(xc->arena + xc->used, s, n);
	*sl = (struct xc_slot){ a, b, c, (uint32_t)xc->used, (uint32_t)n, (uint32_t)aux };
	xc->used += n;
}

/* A route's head: the row (mark, outcome, level, route; from the table of
 * pieces x when it has it) and the rule's id, then the line of its
 * citation. */
static void route_head(struct gt_sb *sb, const struct xtab *x, enum xname levels, bool chosen,
		       const struct gt_path *p, const struct frag *number)
{
	const struct gt_rule *r = p->rule;
	int level = p->target >= 0 ? p->target : -1;
	if (x && level < XT_ROWLEVELS - 1) {
		const struct frag *row = &x->row[levels == XN_TITLE][chosen][p->outcome][level + 1][r->route];
		gt_sb_add_n(sb, row->s, row->len);
	} else {
		gt_sb_add_n(sb, chosen ? "\n  * " : "\n    ", 5);
		put_cell(sb, x, XN_OUTCOME, p->outcome);
		put_cell(sb, x, levels, level);
		put_cell(sb, x, XN_ROUTE, r->route);
	}
	gt_sb_add_n(sb, "[", 1);
	gt_sb_add(sb, r->id);
	gt_sb_add_n(sb, "]\n    ", 6);
	add_cite_n(sb, number, r->clause);
	gt_sb_add_n(sb, "\n", 1);
}

/* Case ev's explanation after what xo holds (written out as it fills). */
static void explain_to(const struct gt_eval *ev, struct xout *xo, bool visible, struct xcache *xc)
{
	const struct gt_case *c = ev->c;
	const struct xtab *x = x_table();
	char buf[2048], date[11];
	enum xname levels = c->direction == GT_DIR_SKILL_TO_TITLE ? XN_TITLE : XN_SKILL;
	struct frag number = { ev->dv->doc.number, (uint32_t)strlen(ev->dv->doc.number), 0 };
	struct xmemo memo, *mm = x ? &memo : NULL;
	if (!x)
		xc = NULL;
	else if (xc && xc->x != x)
		xc_clear(xc, x);
	if (xo->cap - xo->len < XOUT_CASE)
		xout_flush(xo);
	xmemo_init(&memo);
	struct gt_sb ln = xout_line(xo);

	struct gt_sb msg = gt_sb_make(buf, sizeof buf);
	put_message(&msg, ev, x, mm, NULL, 0);
	size_t msg_len = msg.len;
	/* The case's own text, as given; made visible for a terminal. The
	 * rest is the catalogue's and the packs' (plain: gt_pack checks). */
	char *ref_vis = NULL, *name_vis = NULL;
	if (visible) {
		if (!gt_vis_is_plain(c->case_ref, strlen(c->case_ref), 0))
			ref_vis = gt_vis_dup(c->case_ref, strlen(c->case_ref), 0);
		if (!gt_vis_is_plain(c->name, strlen(c->name), 0))
			name_vis = gt_vis_dup(c->name, strlen(c->name), 0);
	}
	gt_sb_add(&ln, ref_vis ? ref_vis : c->case_ref[0] ? c->case_ref : "-");
	gt_sb_add_n(&ln, " ", 1);
	gt_sb_add(&ln, name_vis ? name_vis : c->name);
	gt_sb_add_n(&ln, "  ", 2);
	gt_sb_add(&ln, c->id_number);
	free(ref_vis);
	free(name_vis);
	put_line(&ln, xo);
	/* the answer's line: kept by the writer under its outcome, target and
	 * route (xc itself the key's first part, which no rule's head has) */
	uint32_t akey = (uint32_t)(uint8_t)ev->outcome | (uint32_t)(levels == XN_TITLE) << 8 |
			(uint32_t)(uint8_t)(ev->target + 1) << 9 | (uint32_t)(uint8_t)ev->route << 17;
	struct xc_slot *asl = xc ? xc_slot(xc->head, xc, akey) : NULL;
	const char *ah = asl ? xc_get(xc, asl, xc, NULL, akey) : NULL;
	if (ah) {
		gt_sb_add_n(&ln, ah, asl->len);
	} else {
		size_t from = ln.len;
		struct frag f = xname(x, XN_OUTCOME, ev->outcome);
		put_msg(&ln, x, XM_OUTCOME, &XF(f));
		if (ev->target >= 0) {
			f = xname(x, levels, ev->target);
			put_msg(&ln, x, XM_TARGET, &XF(f));
		}
		if (ev->route) {
			f = xname(x, XN_ROUTE, ev->route);
			put_msg(&ln, x, XM_ROUTE, &XF(f));
		}
		if (asl && !ln.truncated)
			xc_keep(xc, asl, xc, NULL, akey, ln.p + from, ln.len - from, 0);
	}
	put_line(&ln, xo);
	gt_sb_add_n(&ln, "  ", 2);
	gt_sb_add_n(&ln, buf, msg_len);
	put_line(&ln, xo);
	char *w = ln.p + ln.len, *const end = xo->buf + xo->cap;
	for (int i = 0; i < ev->npaths; i++) {
		const struct gt_path *p = &ev->paths[i];
		const struct gt_rule *r = p->rule;
		/* The route table's row: outcome, level, route and the rule, in
		 * columns; the clause on the line below, so that the row fits in
		 * 80 columns whatever the document's number. A clause that fixes
		 * no level leaves it to the committee. */
		int level = p->target >= 0 ? p->target : -1;
		/* The route's head: kept by a writer from case to case, else
		 * made in place (and kept). */
		size_t rule_len;
		uint32_t key = 0;
		struct xc_slot *hsl = NULL;
		const char *kept = NULL;
		if (xc) {
			key = (uint32_t)(i == ev->chosen) | (uint32_t)(uint8_t)p->outcome << 1 |
			      (uint32_t)(levels == XN_TITLE) << 9 | (uint32_t)(uint8_t)(level + 1) << 10;
			hsl = xc_slot(xc->head, r, key);
			kept = xc_get(xc, hsl, r, number.s, key);
		}
		if (kept) {
			w = xw_put(xo, w, end, kept, hsl->len);
			rule_len = hsl->aux;
		} else {
			struct gt_sb sb = xw_line(xo, &w, end);
			route_head(&sb, x, levels, i == ev->chosen, p, &number);
			rule_len = r->clause ? strlen(r->clause) : 0;
			if (hsl && !sb.truncated)
				xc_keep(xc, hsl, r, number.s, key, sb.p, sb.len, rule_len);
			w += sb.len;
		}
		/* A condition's clause is noted when it is not the rule's: the
		 * answer for the last clause compared is kept (a scope clause
		 * recurs on a route), and with the memo the clauses' lengths
		 * mostly answer it. A line is then its condition's piece with
		 * its newline, or that and the note's with its newline. */
		const char *last = NULL;
		const struct xspan *last_note = NULL;
		bool last_differs = false;
		for (int k = 0; k < p->nconds; k++) {
			const struct gt_cond *cd = &p->conds[k];
			bool noted = false;
			if (cd->clause && cd->clause != r->clause) {
				if (cd->clause != last) {
					size_t len = 0;
					last = cd->clause;
					last_note = mm ? note_memo(mm, &number, cd->clause, &len) : NULL;
					last_differs = last_note ? len != rule_len || (len && memcmp(cd->clause, r->clause, len) != 0)
								 : strcmp(cd->clause, r->clause) != 0;
				}
				noted = last_differs;
			}
			const char *cs;
			size_t cn;
			if ((!noted || last_note) && cond_piece(x, cd, mm, &cs, &cn)) {
				if (!noted) {
					w = xw_put(xo, w, end, cs, cn + 1);
				} else {
					w = xw_put(xo, w, end, cs, cn);
					w = xw_put(xo, w, end, mm->buf + last_note->off, last_note->len + 1u);
				}
				continue;
			}
			struct gt_sb sb = xw_line(xo, &w, end);
			put_cond(&sb, x, cd, mm, true);
			if (noted && last_note)
				xmemo_put(&sb, mm, *last_note, 0);
			else if (noted)
				put_clause_note(&sb, &number, cd->clause);
			gt_sb_add_n(&sb, "\n", 1);
			w += sb.len;
		}
		if (p->basis_honours || p->basis_comps) {
			struct gt_sb sb = gt_sb_make(buf, sizeof buf);
			add_basis(&sb, c, p->basis_honours, p->basis_comps, false, true);
			struct gt_sb lb = xw_line(xo, &w, end);
			put_msg(&lb, x, XM_BASIS, &XS(buf, sb.len));
			gt_sb_add_n(&lb, "\n", 1);
			w += lb.len;
		}
		if (p->ready_on != GT_DATE_NONE && p->ready_on > c->application_date) {
			(x ? date_text : gt_date_format)(p->ready_on, date);
			struct gt_sb lb = xw_line(xo, &w, end);
			put_msg(&lb, x, XM_YEARS_MET, &XS(date, 10));
			gt_sb_add_n(&lb, "\n", 1);
			w += lb.len;
		}
		if (p->missing_ev) {
			struct xc_slot *sl = xc ? xc_slot(xc->missing, NULL, p->missing_ev) : NULL;
			const char *h = sl ? xc_get(xc, sl, NULL, NULL, p->missing_ev) : NULL;
			if (h) {
				w = xw_put(xo, w, end, h, sl->len);
			} else {
				struct gt_sb lb = xw_line(xo, &w, end);
				put_missing(&lb, x, p->missing_ev, mm);
				gt_sb_add_n(&lb, "\n", 1);
				if (sl && !lb.truncated)
					xc_keep(xc, sl, NULL, NULL, p->missing_ev, lb.p, lb.len, 0);
				w += lb.len;
			}
		}
		if (r->note && p->outcome == GT_OUT_MANUAL_REVIEW) {
			const char *note = _(r->note);
			struct gt_sb lb = xw_line(xo, &w, end);
			put_msg(&lb, x, XM_MANUAL, &XS(note, strlen(note)));
			gt_sb_add_n(&lb, "\n", 1);
			w += lb.len;
		}
	}
	if (ev->exemption) {
		struct gt_sb sb = gt_sb_make(buf, sizeof buf);
		add_cite_n(&sb, &number, ev->exemption->clause);
		struct gt_sb lb = xw_line(xo, &w, end);
		gt_sb_add_n(&lb, "\n", 1);
		put_msg(&lb, x, ev->theory_exempt ? XM_WAIVED : XM_WAIVER_DIPLOMA, &XS(buf, sb.len));
		gt_sb_add_n(&lb, "\n", 1);
		w += lb.len;
	}
	xo->len = (size_t)(w - xo->buf);
}

/* A case's explanation from a buffer on the stack: no allocation a case. */
static void explain_one(const struct gt_eval *ev, FILE *out, bool visible)
{
	char buf[XOUT_CASE];
	struct xout xo = { out, 0, sizeof buf, buf };
	explain_to(ev, &xo, visible, NULL);
	xout_flush(&xo);
}

void gt_explain(const struct gt_eval *ev, FILE *out)
{
	explain_one(ev, out, false);
}

void gt_explain_visible(const struct gt_eval *ev, FILE *out)
{
	explain_one(ev, out, true);
}

struct gt_explain_out {
	struct xout xo;
	bool visible;
	struct xcache xc;
};

struct gt_explain_out *gt_explain_out_new(FILE *out, bool visible)
{
	struct gt_explain_out *eo = malloc(sizeof *eo);
	char *buf = malloc(XOUT_KEEP);
	if (!eo || !buf) {
		free(eo);
		free(buf);
		return NULL;
	}
	eo->xo = (struct xout){ out, 0, XOUT_KEEP, buf };
	eo->visible = visible;
	xc_clear(&eo->xc, NULL);
	return eo;
}

void gt_explain_out_case(struct gt_explain_out *eo, const struct gt_eval *ev)
{
	explain_to(ev, &eo->xo, eo->visible, &eo->xc);
}

void gt_explain_out_text(struct gt_explain_out *eo, const char *s, size_t n)
{
	struct xout *xo = &eo->xo;
	char *w = xw_put(xo, xo->buf + xo->len, xo->buf + xo->cap, s, n);
	xo->len = (size_t)(w - xo->buf);
}

void gt_explain_out_free(struct gt_explain_out *eo)
{
	if (!eo)
		return;
	xout_flush(&eo->xo);
	free(eo->xo.buf);
	free(eo);
}
